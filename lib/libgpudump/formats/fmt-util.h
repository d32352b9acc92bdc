/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by the non-xe format parsers (i915, amdgpu, msm, panfrost, etnaviv):
 * growing the model's arrays and parsing bounded (not NUL-terminated) text.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats.h"

/* Lines of interest (headers, registers) are short; longer lines are blobs or noise and are
 * never copied. */
#define GD_FMT_LINE_MAX 1024

/* Copy a short line into buf as a C string; NULL when it does not fit. */
char *gd_fmt_cstr(const struct gd_line *l, char *buf, size_t size);
/* gd_fmt_cstr(), with a warning (prefixed "<driver>: ") when the line is too long or binary to
 * be one of the format's: the caller ignores it. */
char *gd_fmt_text_line(struct gpudump_dump *d, const char *driver, const struct gd_line *l,
                       char *buf, size_t size);
/* Report l, a last line without its "\n", as cut off and mark the dump truncated: the kernel
 * ends every line with one, and a shortened value must not pass for the real one. */
void gd_fmt_cut_line(struct gpudump_dump *d, const char *driver, const struct gd_line *l);

/* Append an engine (instance/logical instance -1); returns its index or -ENOMEM. */
int gd_fmt_engine_add(struct gpudump_dump *d, const char *name, size_t name_len,
                      const char *class_name, int instance, uint64_t offset);
int gd_fmt_reg_add(struct gd_engine *e, const char *name, size_t name_len, uint64_t value,
                   unsigned width, uint64_t offset);
int gd_fmt_prop_add(struct gd_engine *e, const char *key, const char *value);
int gd_fmt_kv_add(struct gpudump_dump *d, const char *section, const char *key,
                  const char *value);
/* Append a VMA; returns its index or -ENOMEM. kind/engine may be NULL. */
int gd_fmt_vma_add(struct gpudump_dump *d, uint64_t address, uint64_t length, const char *kind,
                   const char *engine, uint64_t offset, uint64_t line);
/* Append a named global blob (d->blobs); returns its index or -ENOMEM. */
int gd_fmt_blob_add(struct gpudump_dump *d, const char *name, enum gd_encoding enc,
                    uint64_t offset, uint64_t line);
int gd_fmt_span_add(struct gd_blob *b, uint64_t offset, uint64_t length);

/* Replace *dst with a copy of src (length n). */
int gd_fmt_set_str(char **dst, const char *src, size_t n);

/* Strip leading and trailing blanks of a C string in place; returns the new start. */
char *gd_fmt_strip(char *s);

/* Parse a hex number (optional 0x) spanning all of s; false when s is not one. */
bool gd_fmt_hex(const char *s, uint64_t *ret);
/* Parse an unsigned decimal spanning all of s. */
bool gd_fmt_dec(const char *s, uint64_t *ret);

/* Engine class of an i915/xe style engine name ("rcs0" -> "render") and its trailing instance. */
const char *gd_fmt_engine_class(const char *name, int *ret_instance);

/* Little-endian loads from the input. */
static inline uint32_t gd_fmt_le32(const uint8_t *p) {
        return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t gd_fmt_le64(const uint8_t *p) {
        return (uint64_t)gd_fmt_le32(p) | (uint64_t)gd_fmt_le32(p + 4) << 32;
}
