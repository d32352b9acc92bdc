/* SPDX-License-Identifier: MIT */
/*
 * panfrost devcoredump (panfrost_dump.c, uAPI panfrost_drm.h): binary, little-endian. An array
 * of 2000-byte object headers (magic "PANF", type, file_size, file_offset, a type-specific
 * union), then the payloads. REG (register {reg, value} pairs + job chain / GPU id), BOMAP
 * (physical page addresses), one BO per buffer (iova in the header), TRAILER. Every header's
 * magic and payload bounds are checked; the first bad header stops the walk.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gd-macro.h"
#include "fmt-util.h"

#define PANF_MAGIC 0x464E4150u
#define PANF_HDR_SIZE 2000u

enum {
        PANF_REG = 0,
        PANF_BOMAP = 1,
        PANF_BO = 2,
        PANF_TRAILER = 3,
};

static int panf_regs(struct gpudump_dump *d, const uint8_t *h, uint64_t hoff, uint32_t off,
                     uint32_t size) {
        char buf[32];
        int e, r;

        e = gd_fmt_engine_add(d, "gpu", 3, "render", -1, hoff);
        if (e < 0)
                return e;
        if (size % 8 != 0)
                gd_fmt_diag(d, GPUDUMP_SEVERITY_WARNING, hoff, 0,
                            "panfrost: REG payload size %u is not a multiple of 8; last %u bytes "
                            "ignored", size, size % 8);
        for (uint32_t i = 0; i + 8 <= size; i += 8) {
                const uint8_t *p = d->data + off + i;
                snprintf(buf, sizeof(buf), "0x%04x", gd_fmt_le32(p));
                r = gd_fmt_reg_add(&d->engines[e], buf, strlen(buf), gd_fmt_le32(p + 4), 32, off + i);
                if (r < 0)
                        return r;
        }
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
                gd_fmt_diag(d, GPUDUMP_SEVERITY_WARNING, hoff + 28, 0,
                            "panfrost: dump version %s, this decoder knows 1.0", buf);
        snprintf(buf, sizeof(buf), "%llu", (unsigned long long)gd_fmt_le64(h + 40));
        return gd_fmt_kv_add(d, NULL, "nbos", buf);
}

int gd_parse_panfrost(struct gpudump_dump *d) {
        uint64_t hoff = 0, payload_start = UINT64_MAX;
        bool trailer = false;
        int r;

        d->format = GPUDUMP_FORMAT_PANFROST;
        if (!d->driver && !(d->driver = strdup("panfrost")))
                return -ENOMEM;

        /* Headers precede every payload; the walk ends at TRAILER or where payloads begin. */
        while (hoff < payload_start) {
                const uint8_t *h;
                uint32_t magic, type, size, off;

                if (hoff + PANF_HDR_SIZE > d->size) {
                        d->truncated = true;
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff, 0,
                                    "panfrost: object header at byte %llu is cut off by the end "
                                    "of input (%llu bytes); no TRAILER",
                                    (unsigned long long)hoff, (unsigned long long)d->size);
                        return 0;
                }
                h = d->data + hoff;
                magic = gd_fmt_le32(h);
                type = gd_fmt_le32(h + 4);
                size = gd_fmt_le32(h + 8);
                off = gd_fmt_le32(h + 12);
                if (magic != PANF_MAGIC) {
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff, 0,
                                    "panfrost: object header at byte %llu has bad magic 0x%08x "
                                    "(expected 0x%08x \"PANF\"); decoding stops here",
                                    (unsigned long long)hoff, magic, PANF_MAGIC);
                        return 0;
                }
                if ((uint64_t)off + size > d->size) {
                        d->truncated = true;
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff + 8, 0,
                                    "panfrost: object at byte %llu (type %u) claims payload "
                                    "[%u, +%u) beyond the end of input (%llu bytes); decoding "
                                    "stops here",
                                    (unsigned long long)hoff, type, off, size,
                                    (unsigned long long)d->size);
                        return 0;
                }
                if (type == PANF_TRAILER) {
                        trailer = true;
                        break;
                }
                if (size > 0 && off < hoff + PANF_HDR_SIZE) {
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff + 12, 0,
                                    "panfrost: object at byte %llu has payload offset %u inside "
                                    "the header array; decoding stops here",
                                    (unsigned long long)hoff, off);
                        return 0;
                }
                if (size > 0 && off < payload_start)
                        payload_start = off;

                switch (type) {
                case PANF_REG:
                        r = panf_regs(d, h, hoff, off, size);
                        if (r < 0)
                                return r;
                        break;
                case PANF_BOMAP:
                        r = gd_fmt_blob_add(d, "BOMAP", GD_ENC_RAW, hoff, 0);
                        if (r < 0)
                                return r;
                        d->blobs[r].declared_length = size;
                        if (size > 0 && (r = gd_fmt_span_add(&d->blobs[r], off, size)) < 0)
                                return r;
                        break;
                case PANF_BO: {
                        /* bomap: le32 valid @16, le64 iova @24, le32 data[2] @32 */
                        uint64_t iova = gd_fmt_le64(h + 24);
                        int v = gd_fmt_vma_add(d, iova, size, NULL, NULL, hoff, 0);
                        if (v < 0)
                                return v;
                        if (gd_fmt_le32(h + 16) == 0) {
                                /* The kernel could not map the BO: its payload is no data. */
                                gd_fmt_diag(d, GPUDUMP_SEVERITY_INFO, hoff + 16, 0,
                                            "panfrost: BO at 0x%llx was not mapped at capture "
                                            "time (valid = 0); no contents",
                                            (unsigned long long)iova);
                                break;
                        }
                        d->vmas[v].blob.encoding = GD_ENC_RAW;
                        d->vmas[v].blob.declared_length = size;
                        if (size > 0 && (r = gd_fmt_span_add(&d->vmas[v].blob, off, size)) < 0)
                                return r;
                        break;
                }
                default:
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_WARNING, hoff + 4, 0,
                                    "panfrost: object at byte %llu has unknown type %u; skipped",
                                    (unsigned long long)hoff, type);
                        break;
                }
                hoff += PANF_HDR_SIZE;
        }
        if (!trailer)
                gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff, 0,
                            "panfrost: no TRAILER object before the payloads start at byte %llu",
                            (unsigned long long)hoff);
        return 0;
}
