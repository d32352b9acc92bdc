/* SPDX-License-Identifier: MIT */
/*
 * The formats layer: one file per dump format, each filling the model through the model's
 * functions only, each described by a struct gd_format; formats.c walks the table of them.
 * A format is added by writing its file and adding its entry to the table, nowhere else.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* How sure a format is that the input is one of its dumps. */
enum gd_detect {
        GD_DETECT_NO = 0,
        GD_DETECT_EMBEDDED, /* its dump was found inside other text (dmesg, mail): taken when
                             * no format claims the start of the input */
        GD_DETECT_YES,      /* the input starts the way the format's dumps do */
};

struct gd_format {
        enum gpudump_format format;
        const char *name; /* what gpudump_format_to_string() answers */
        /* From content only (never the file name): p, n is the input from its text start
         * (gd_input_text_start()). */
        enum gd_detect (*detect)(const uint8_t *p, size_t n);
        /* Fill d from d->data/d->size, d->format included. Returns 0 even for damaged input
         * (damage becomes diagnostics); negative errno only for -ENOMEM. */
        int (*parse)(struct gpudump_dump *d);
};

extern const struct gd_format gd_format_xe;
extern const struct gd_format gd_format_i915;
extern const struct gd_format gd_format_amdgpu;
extern const struct gd_format gd_format_msm;
extern const struct gd_format gd_format_panfrost;
extern const struct gd_format gd_format_etnaviv;

/* Detect the input's format and run its parser; an input no format claims is left with
 * format GPUDUMP_FORMAT_UNKNOWN and no error. Negative errno only for -ENOMEM. */
int gd_formats_parse(struct gpudump_dump *d);
/* The format whose parser gd_formats_parse() runs on d, or NULL. */
const struct gd_format *gd_formats_detect(const struct gpudump_dump *d);
/* True when a format claims the start of the input (GD_DETECT_YES): a bare dump, decoded in
 * place rather than searched for in other text. */
bool gd_formats_claim_start(const struct gd_input *in);
/* The table's entry of format, or NULL for GPUDUMP_FORMAT_UNKNOWN and other values. */
const struct gd_format *gd_format_by_id(enum gpudump_format format);
/* "xe", "i915", ...; "unknown" for any other value. */
const char *gd_format_name(enum gpudump_format format);

/* The parsers (struct gd_format.parse). */
int gd_parse_xe(struct gpudump_dump *d);
int gd_parse_i915(struct gpudump_dump *d);
int gd_parse_amdgpu(struct gpudump_dump *d);
int gd_parse_msm(struct gpudump_dump *d);
int gd_parse_panfrost(struct gpudump_dump *d);
int gd_parse_etnaviv(struct gpudump_dump *d);
