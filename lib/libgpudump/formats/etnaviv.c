/* SPDX-License-Identifier: MIT */
/*
 * etnaviv devcoredump (etnaviv_dump.c/.h): binary, little-endian. An array of 32-byte object
 * headers (magic "ETNA", type, file_offset, file_size -- offset before size, unlike panfrost --
 * iova, data[2]) then the payloads: REG ({reg, value} pairs), MMU, RING, CMD, BOMAP, BO, END.
 * Every header's magic and payload bounds are checked; the first bad header stops the walk.
 */
#include <string.h>

#include "bin-util.h"
#include "fmt-util.h"

#define ETNA_MAGIC 0x414e5445u
#define ETNA_HDR_SIZE 32u

enum {
        ETNA_REG = 0,
        ETNA_MMU = 1,
        ETNA_RING = 2,
        ETNA_CMD = 3,
        ETNA_BOMAP = 4,
        ETNA_BO = 5,
        ETNA_END = 6,
};

static int etna_object(struct gpudump_dump *d, const struct gd_bin_obj *o);

static const struct gd_bin_layout etna_layout = {
        .format = GPUDUMP_FORMAT_ETNAVIV,
        .driver = "etnaviv",
        .magic = ETNA_MAGIC,
        .magic_name = "ETNA",
        .hdr_size = ETNA_HDR_SIZE,
        .off_at = 8,
        .size_at = 12,
        .end_type = ETNA_END,
        .end_name = "END",
        .object = etna_object,
};

static int etna_object(struct gpudump_dump *d, const struct gd_bin_obj *o) {
        /* header: le64 iova @16 */
        uint64_t iova = gd_fmt_le64(o->h + 16);
        int r;

        switch (o->type) {
        case ETNA_REG:
                r = gd_bin_regs(d, &etna_layout, o);
                return r < 0 ? r : 0;
        case ETNA_MMU:
                return gd_bin_raw_blob(d, "MMU", o);
        case ETNA_BOMAP:
                return gd_bin_raw_blob(d, "BOMAP", o);
        case ETNA_RING:
                return gd_bin_raw_vma(d, iova, "ring", o);
        case ETNA_CMD:
                return gd_bin_raw_vma(d, iova, "cmd", o);
        case ETNA_BO:
                return gd_bin_raw_vma(d, iova, "bo", o);
        default:
                gd_bin_unknown(d, &etna_layout, o);
                return 0;
        }
}

int gd_parse_etnaviv(struct gpudump_dump *d) {
        return gd_bin_walk(d, &etna_layout);
}

static enum gd_detect detect(const uint8_t *p, size_t n) {
        return n >= 4 && memcmp(p, "ETNA", 4) == 0 ? GD_DETECT_YES : GD_DETECT_NO;
}

const struct gd_format gd_format_etnaviv = {
        .format = GPUDUMP_FORMAT_ETNAVIV,
        .name = "etnaviv",
        .detect = detect,
        .parse = gd_parse_etnaviv,
};
