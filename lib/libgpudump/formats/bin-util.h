/* SPDX-License-Identifier: MIT */
/*
 * The walk shared by the binary object-array dumps (panfrost, etnaviv): an array of fixed-size
 * little-endian headers (le32 magic, le32 type, then le32 file_offset and le32 file_size in a
 * driver-specific order) followed by the payloads, ended by an END/TRAILER header. The layouts
 * differ only in what is described below, so one walker checks every header the same way.
 */
#pragma once

#include <stdint.h>

#include "formats.h"

/* One validated header: its payload [off, off + size) lies within the input. */
struct gd_bin_obj {
        uint64_t hoff;    /* byte offset of the header */
        const uint8_t *h; /* the header (layout->hdr_size bytes) */
        uint32_t type;
        uint32_t off;
        uint32_t size;
};

struct gd_bin_layout {
        enum gpudump_format format;
        const char *driver;     /* default driver name and prefix of every diagnostic */
        uint32_t magic;
        const char *magic_name; /* the magic as text, "ETNA" */
        uint32_t hdr_size;
        unsigned off_at;        /* byte position of le32 file_offset in a header */
        unsigned size_at;       /* byte position of le32 file_size in a header */
        uint32_t end_type;
        const char *end_name;   /* "END", "TRAILER" */
        /* Decode one object (any type but end_type); negative errno stops the walk. */
        int (*object)(struct gpudump_dump *d, const struct gd_bin_obj *o);
};

/* Walk the headers from byte 0 until end_type or the first payload, calling layout->object for
 * each valid one. The first bad header (magic, bounds) stops the walk with a diagnostic; returns
 * 0 or the object callback's negative errno (-ENOMEM). */
int gd_bin_walk(struct gpudump_dump *d, const struct gd_bin_layout *layout);

/* The warning for a header whose type the decoder does not know. */
void gd_bin_unknown(struct gpudump_dump *d, const struct gd_bin_layout *layout,
                    const struct gd_bin_obj *o);

/* A REG payload of le32 {reg, value} pairs as registers of a new "gpu" engine; returns the
 * engine's index or -ENOMEM. */
int gd_bin_regs(struct gpudump_dump *d, const struct gd_bin_layout *layout,
                const struct gd_bin_obj *o);

/* The payload as a raw global blob named name. */
int gd_bin_raw_blob(struct gpudump_dump *d, const char *name, const struct gd_bin_obj *o);

/* The payload as the raw contents of a new VMA at iova (kind may be NULL). */
int gd_bin_raw_vma(struct gpudump_dump *d, uint64_t iova, const char *kind,
                   const struct gd_bin_obj *o);
