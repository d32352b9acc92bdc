/* SPDX-License-Identifier: MIT */
/* The header walk shared by the binary object-array dumps (panfrost, etnaviv). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bin-util.h"
#include "fmt-util.h"

int gd_bin_walk(struct gpudump_dump *d, const struct gd_bin_layout *layout) {
        /* Diagnostics about the payload bounds point at the first of its two fields. */
        unsigned bounds_at = layout->off_at < layout->size_at ? layout->off_at : layout->size_at;
        uint64_t hoff = 0, payload_start = UINT64_MAX;
        bool end = false;
        int r;

        d->format = layout->format;
        if (!d->driver && !(d->driver = strdup(layout->driver)))
                return -ENOMEM;

        /* Headers precede every payload; the walk ends at end_type or where payloads begin. */
        while (hoff < payload_start) {
                struct gd_bin_obj o = { .hoff = hoff };
                uint32_t magic;

                if (hoff + layout->hdr_size > d->size) {
                        d->truncated = true;
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, hoff, 0,
                                    "%s: object header at byte %llu is cut off by the end of "
                                    "input (%llu bytes); no %s", layout->driver,
                                    (unsigned long long)hoff, (unsigned long long)d->size,
                                    layout->end_name);
                        return 0;
                }
                o.h = d->data + hoff;
                magic = gd_fmt_le32(o.h);
                o.type = gd_fmt_le32(o.h + 4);
                o.off = gd_fmt_le32(o.h + layout->off_at);
                o.size = gd_fmt_le32(o.h + layout->size_at);
                if (magic != layout->magic) {
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, hoff, 0,
                                    "%s: object header at byte %llu has bad magic 0x%08x "
                                    "(expected 0x%08x \"%s\"); decoding stops here",
                                    layout->driver, (unsigned long long)hoff, magic,
                                    layout->magic, layout->magic_name);
                        return 0;
                }
                if ((uint64_t)o.off + o.size > d->size) {
                        d->truncated = true;
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, hoff + bounds_at, 0,
                                    "%s: object at byte %llu (type %u) claims payload "
                                    "[%u, +%u) beyond the end of input (%llu bytes); decoding "
                                    "stops here", layout->driver,
                                    (unsigned long long)hoff, o.type, o.off, o.size,
                                    (unsigned long long)d->size);
                        return 0;
                }
                if (o.type == layout->end_type) {
                        end = true;
                        break;
                }
                if (o.size > 0 && o.off < hoff + layout->hdr_size) {
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, hoff + layout->off_at, 0,
                                    "%s: object at byte %llu has payload offset %u inside "
                                    "the header array; decoding stops here", layout->driver,
                                    (unsigned long long)hoff, o.off);
                        return 0;
                }
                if (o.size > 0 && o.off < payload_start)
                        payload_start = o.off;

                r = layout->object(d, &o);
                if (r < 0)
                        return r;
                hoff += layout->hdr_size;
        }
        if (!end)
                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, hoff, 0,
                            "%s: no %s object before the payloads start at byte %llu",
                            layout->driver, layout->end_name, (unsigned long long)hoff);
        return 0;
}

void gd_bin_unknown(struct gpudump_dump *d, const struct gd_bin_layout *layout,
                    const struct gd_bin_obj *o) {
        gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, o->hoff + 4, 0,
                    "%s: object at byte %llu has unknown type %u; skipped", layout->driver,
                    (unsigned long long)o->hoff, o->type);
}

int gd_bin_regs(struct gpudump_dump *d, const struct gd_bin_layout *layout,
                const struct gd_bin_obj *o) {
        char buf[32];
        int e, r;

        e = gd_fmt_engine_add(d, "gpu", 3, "render", -1, o->hoff);
        if (e < 0)
                return e;
        if (o->size % 8 != 0)
                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, o->hoff, 0,
                            "%s: REG payload size %u is not a multiple of 8; last %u bytes "
                            "ignored", layout->driver, o->size, o->size % 8);
        for (uint32_t i = 0; i + 8 <= o->size; i += 8) {
                const uint8_t *p = d->data + o->off + i;
                snprintf(buf, sizeof(buf), "0x%04x", gd_fmt_le32(p));
                r = gd_fmt_reg_add(&d->engines[e], buf, strlen(buf), gd_fmt_le32(p + 4), 32,
                                   o->off + i);
                if (r < 0)
                        return r;
        }
        return e;
}

int gd_bin_raw_blob(struct gpudump_dump *d, const char *name, const struct gd_bin_obj *o) {
        int b = gd_fmt_blob_add(d, name, GD_ENC_RAW, o->hoff, 0);
        int r;

        if (b < 0)
                return b;
        d->blobs[b].declared_length = o->size;
        if (o->size > 0 && (r = gd_fmt_span_add(&d->blobs[b], o->off, o->size)) < 0)
                return r;
        return 0;
}

int gd_bin_raw_vma(struct gpudump_dump *d, uint64_t iova, const char *kind,
                   const struct gd_bin_obj *o) {
        int v = gd_fmt_vma_add(d, iova, o->size, kind, NULL, o->hoff, 0);
        int r;

        if (v < 0)
                return v;
        d->vmas[v].blob.encoding = GD_ENC_RAW;
        d->vmas[v].blob.declared_length = o->size;
        if (o->size > 0 && (r = gd_fmt_span_add(&d->vmas[v].blob, o->off, o->size)) < 0)
                return r;
        return 0;
}
