/* SPDX-License-Identifier: MIT */
/*
 * panfrost devcoredump (panfrost_dump.c, uAPI panfrost_drm.h): binary, little-endian. An array
 * of 2000-byte object headers (magic "PANF", type, file_size, file_offset, a type-specific
 * union), then the payloads. REG (register {reg, value} pairs + job chain / GPU id), BOMAP
 * (physical page addresses), one BO per buffer (iova in the header), TRAILER. Every header's
 * magic and payload bounds are checked; the first bad header stops the walk.
 */
#include <stdio.h>
#include <string.h>

#include "bin-util.h"
#include "fmt-util.h"

#define PANF_MAGIC 0x464E4150u
#define PANF_HDR_SIZE 2000u

enum {
        PANF_REG = 0,
        PANF_BOMAP = 1,
        PANF_BO = 2,
        PANF_TRAILER = 3,
};

static int panf_object(struct gpudump_dump *d, const struct gd_bin_obj *o);

static const struct gd_bin_layout panf_layout = {
        .format = GPUDUMP_FORMAT_PANFROST,
        .driver = "panfrost",
        .magic = PANF_MAGIC,
        .magic_name = "PANF",
        .hdr_size = PANF_HDR_SIZE,
        .off_at = 12,
        .size_at = 8,
        .end_type = PANF_TRAILER,
        .end_name = "TRAILER",
        .object = panf_object,
};

static int panf_regs(struct gpudump_dump *d, const struct gd_bin_obj *o) {
        const uint8_t *h = o->h;
        char buf[32];
        int e, r;

        e = gd_bin_regs(d, &panf_layout, o);
        if (e < 0)
                return e;
        /* reghdr: le64 jc @16, le32 gpu_id @24, major @28, minor @32, le64 nbos @40 */
        snprintf(buf, sizeof(buf), "0x%016llx", (unsigned long long)gd_fmt_le64(h + 16));
        if ((r = gd_fmt_prop_add(&d->engines[e], "jc", buf)) < 0)
                return r;
        snprintf(buf, sizeof(buf), "0x%08x", gd_fmt_le32(h + 24));
        if ((r = gd_fmt_kv_add(d, NULL, "gpu_id", buf)) < 0)
                return r;
        snprintf(buf, sizeof(buf), "%u.%u", gd_fmt_le32(h + 28), gd_fmt_le32(h + 32));
        if ((r = gd_fmt_kv_add(d, NULL, "version", buf)) < 0)
                return r;
        if (gd_fmt_le32(h + 28) != 1)
                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, o->hoff + 28, 0,
                            "panfrost: dump version %s, this decoder knows 1.0", buf);
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)gd_fmt_le64(h + 40));
        return gd_fmt_kv_add(d, NULL, "nbos", buf);
}

static int panf_object(struct gpudump_dump *d, const struct gd_bin_obj *o) {
        switch (o->type) {
        case PANF_REG:
                return panf_regs(d, o);
        case PANF_BOMAP:
                return gd_bin_raw_blob(d, "BOMAP", o);
        case PANF_BO: {
                /* bomap: le32 valid @16, le64 iova @24, le32 data[2] @32 */
                uint64_t iova = gd_fmt_le64(o->h + 24);
                int v;

                if (gd_fmt_le32(o->h + 16) != 0)
                        return gd_bin_raw_vma(d, iova, NULL, o);
                /* The kernel could not map the BO: its payload is no data. */
                v = gd_fmt_vma_add(d, iova, o->size, NULL, NULL, o->hoff, 0);
                if (v < 0)
                        return v;
                gd_diag_add(d, GPUDUMP_SEVERITY_INFO, o->hoff + 16, 0,
                            "panfrost: BO at 0x%llx was not mapped at capture time (valid = 0); "
                            "no contents", (unsigned long long)iova);
                return 0;
        }
        default:
                gd_bin_unknown(d, &panf_layout, o);
                return 0;
        }
}

int gd_parse_panfrost(struct gpudump_dump *d) {
        return gd_bin_walk(d, &panf_layout);
}

static enum gd_detect detect(const uint8_t *p, size_t n) {
        return n >= 4 && memcmp(p, "PANF", 4) == 0 ? GD_DETECT_YES : GD_DETECT_NO;
}

const struct gd_format gd_format_panfrost = {
        .format = GPUDUMP_FORMAT_PANFROST,
        .name = "panfrost",
        .detect = detect,
        .parse = gd_parse_panfrost,
};
