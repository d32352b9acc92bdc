/* SPDX-License-Identifier: MIT */
/*
 * etnaviv devcoredump (etnaviv_dump.c/.h): binary, little-endian. An array of 32-byte object
 * headers (magic "ETNA", type, file_offset, file_size -- offset before size, unlike panfrost --
 * iova, data[2]) then the payloads: REG ({reg, value} pairs), MMU, RING, CMD, BOMAP, BO, END.
 * Every header's magic and payload bounds are checked; the first bad header stops the walk.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gd-macro.h"
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

static int etna_regs(struct gpudump_dump *d, uint64_t hoff, uint32_t off, uint32_t size) {
        char buf[32];
        int e, r;

        e = gd_fmt_engine_add(d, "gpu", 3, "render", -1, hoff);
        if (e < 0)
                return e;
        if (size % 8 != 0)
                gd_fmt_diag(d, GPUDUMP_SEVERITY_WARNING, hoff, 0,
                            "etnaviv: REG payload size %u is not a multiple of 8; last %u bytes "
                            "ignored", size, size % 8);
        for (uint32_t i = 0; i + 8 <= size; i += 8) {
                const uint8_t *p = d->data + off + i;
                snprintf(buf, sizeof(buf), "0x%04x", gd_fmt_le32(p));
                r = gd_fmt_reg_add(&d->engines[e], buf, strlen(buf), gd_fmt_le32(p + 4), 32, off + i);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int raw_vma(struct gpudump_dump *d, uint64_t iova, const char *kind, uint64_t hoff,
                   uint32_t off, uint32_t size) {
        int v = gd_fmt_vma_add(d, iova, size, kind, NULL, hoff, 0);
        int r;

        if (v < 0)
                return v;
        d->vmas[v].blob.encoding = GD_ENC_RAW;
        d->vmas[v].blob.declared_length = size;
        if (size > 0 && (r = gd_fmt_span_add(&d->vmas[v].blob, off, size)) < 0)
                return r;
        return 0;
}

static int raw_blob(struct gpudump_dump *d, const char *name, uint64_t hoff, uint32_t off,
                    uint32_t size) {
        int b = gd_fmt_blob_add(d, name, GD_ENC_RAW, hoff, 0);
        int r;

        if (b < 0)
                return b;
        d->blobs[b].declared_length = size;
        if (size > 0 && (r = gd_fmt_span_add(&d->blobs[b], off, size)) < 0)
                return r;
        return 0;
}

int gd_parse_etnaviv(struct gpudump_dump *d) {
        uint64_t hoff = 0, payload_start = UINT64_MAX;
        bool end = false;
        int r = 0;

        d->format = GPUDUMP_FORMAT_ETNAVIV;
        if (!d->driver && !(d->driver = strdup("etnaviv")))
                return -ENOMEM;

        while (hoff < payload_start) {
                const uint8_t *h;
                uint32_t magic, type, off, size;
                uint64_t iova;

                if (hoff + ETNA_HDR_SIZE > d->size) {
                        d->truncated = true;
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff, 0,
                                    "etnaviv: object header at byte %llu is cut off by the end "
                                    "of input (%llu bytes); no END",
                                    (unsigned long long)hoff, (unsigned long long)d->size);
                        return 0;
                }
                h = d->data + hoff;
                magic = gd_fmt_le32(h);
                type = gd_fmt_le32(h + 4);
                off = gd_fmt_le32(h + 8);
                size = gd_fmt_le32(h + 12);
                iova = gd_fmt_le64(h + 16);
                if (magic != ETNA_MAGIC) {
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff, 0,
                                    "etnaviv: object header at byte %llu has bad magic 0x%08x "
                                    "(expected 0x%08x \"ETNA\"); decoding stops here",
                                    (unsigned long long)hoff, magic, ETNA_MAGIC);
                        return 0;
                }
                if ((uint64_t)off + size > d->size) {
                        d->truncated = true;
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff + 8, 0,
                                    "etnaviv: object at byte %llu (type %u) claims payload "
                                    "[%u, +%u) beyond the end of input (%llu bytes); decoding "
                                    "stops here",
                                    (unsigned long long)hoff, type, off, size,
                                    (unsigned long long)d->size);
                        return 0;
                }
                if (type == ETNA_END) {
                        end = true;
                        break;
                }
                if (size > 0 && off < hoff + ETNA_HDR_SIZE) {
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff + 8, 0,
                                    "etnaviv: object at byte %llu has payload offset %u inside "
                                    "the header array; decoding stops here",
                                    (unsigned long long)hoff, off);
                        return 0;
                }
                if (size > 0 && off < payload_start)
                        payload_start = off;

                switch (type) {
                case ETNA_REG:
                        r = etna_regs(d, hoff, off, size);
                        break;
                case ETNA_MMU:
                        r = raw_blob(d, "MMU", hoff, off, size);
                        break;
                case ETNA_BOMAP:
                        r = raw_blob(d, "BOMAP", hoff, off, size);
                        break;
                case ETNA_RING:
                        r = raw_vma(d, iova, "ring", hoff, off, size);
                        break;
                case ETNA_CMD:
                        r = raw_vma(d, iova, "cmd", hoff, off, size);
                        break;
                case ETNA_BO:
                        r = raw_vma(d, iova, "bo", hoff, off, size);
                        break;
                default:
                        gd_fmt_diag(d, GPUDUMP_SEVERITY_WARNING, hoff + 4, 0,
                                    "etnaviv: object at byte %llu has unknown type %u; skipped",
                                    (unsigned long long)hoff, type);
                        break;
                }
                if (r < 0)
                        return r;
                hoff += ETNA_HDR_SIZE;
        }
        if (!end)
                gd_fmt_diag(d, GPUDUMP_SEVERITY_ERROR, hoff, 0,
                            "etnaviv: no END object before the payloads start at byte %llu",
                            (unsigned long long)hoff);
        return 0;
}
