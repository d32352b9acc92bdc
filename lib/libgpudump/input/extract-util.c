/* SPDX-License-Identifier: MIT */
/*
 * The pieces every stage of the extraction uses (see extract.h): the arena of cleaned copies,
 * line vectors, splitting bytes into lines, recording segments and found dumps, and the quick
 * test for a bare dump. Kept below extract.c, extract-line.c and extract-mail.c so that those
 * call down into it and never around a circle.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "extract-int.h"
#include "gd-macro.h"
#include "gd-string.h"
#include "input.h"

#define XE_TITLE "**** Xe Device Coredump ****"
#define AMD_TITLE "**** AMDGPU Device Coredump ****"

uint8_t *gd_x_arena_alloc(struct arena *a, size_t n) {
        uint8_t *b = malloc(n ? n : 1);

        if (!b)
                return NULL;
        if (GD_ARRAY_PUSH(a->bufs, a->n, b) < 0) {
                free(b);
                return NULL;
        }
        return b;
}

int gd_x_tvec_push(struct tvec *v, const struct tline *l) {
        return GD_ARRAY_PUSH(v->v, v->n, *l);
}

int gd_x_split_lines(const uint8_t *p, size_t n, uint64_t first_line, uint64_t base, bool exact,
                struct tvec *ret) {
        size_t at = 0;
        uint64_t line = first_line;

        while (at < n) {
                const uint8_t *nl = memchr(p + at, '\n', n - at);
                size_t len = nl ? (size_t)(nl - (p + at)) : n - at;
                struct tline l = { .p = p + at, .len = len, .line = line, .in = base + at,
                                   .exact = exact, .newline = nl != NULL };
                if (l.len > 0 && l.p[l.len - 1] == '\r') {
                        l.len--;
                        l.strip |= GD_STRIP_CRLF;
                }
                if (gd_x_tvec_push(ret, &l) < 0)
                        return -ENOMEM;
                at += len + (nl ? 1 : 0);
                line++;
        }
        return 0;
}

int gd_x_add_segment(struct xstate *x, struct tvec *lines, unsigned strip, bool html) {
        struct segment s = { .lines = *lines, .strip = strip, .html = html };

        if (GD_ARRAY_PUSH(x->segs, x->n_segs, s) < 0) {
                free(lines->v);
                *lines = (struct tvec){};
                return -ENOMEM;
        }
        *lines = (struct tvec){};
        return 0;
}

int gd_x_add_found_bytes(struct xstate *x, uint8_t *data, size_t size, uint64_t first_line,
                    uint64_t last_line, unsigned strip) {
        struct gd_found f = { .data = data, .size = size, .first_line = first_line,
                              .last_line = last_line, .stripped = strip };

        f.lines = malloc(sizeof(*f.lines));
        if (!f.lines) {
                free(data);
                return -ENOMEM;
        }
        f.lines[0] = (struct gd_xline){ .out = 0, .line = first_line, .in = 0 };
        f.n_lines = 1;
        if (GD_ARRAY_PUSH(x->out->found, x->out->n_found, f) < 0) {
                gd_found_done(&f);
                return -ENOMEM;
        }
        return 0;
}

bool gd_extract_is_bare(const uint8_t *data, size_t size) {
        const uint8_t *end = data + size, *p = gd_skip_blank(data, end);
        size_t n = (size_t)(end - p);

        return (n >= 4 && (memcmp(p, "PANF", 4) == 0 || memcmp(p, "ETNA", 4) == 0 ||
                           memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)) ||
               gd_startswith(p, n, XE_TITLE) || gd_startswith(p, n, AMD_TITLE) ||
               gd_startswith(p, n, "GPU HANG: ecode ") || gd_startswith(p, n, "Kernel: ") ||
               gd_startswith(p, n, "No error state collected") || gd_startswith(p, n, "Time: ") ||
               gd_startswith(p, n, "---\nkernel: ") || gd_startswith(p, n, "---\r\nkernel: ");
}


void gd_found_done(struct gd_found *f) {
        free(f->data);
        free(f->lines);
        *f = (struct gd_found){};
}
