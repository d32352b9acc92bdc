/* SPDX-License-Identifier: MIT */
/*
 * The helpers the analysis files share, below all of them: string lists, and reads of captured
 * memory through the analysis' cache of decoded VMA lengths.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "gd-macro.h"

int gd_strv_add(struct gd_strv *sv, const char *fmt, ...) {
        va_list ap;
        char *s = NULL;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        if (GD_ARRAY_PUSH(sv->v, sv->n, s) < 0) {
                free(s);
                return -ENOMEM;
        }
        return 0;
}

void gd_strv_free(struct gd_strv *sv) {
        for (size_t i = 0; i < sv->n; i++)
                free(sv->v[i]);
        free(sv->v);
        sv->v = NULL;
        sv->n = 0;
}

uint64_t gd_analysis_vma_length(struct gpudump_dump *d, struct gd_analysis *a, const struct gd_vma *v) {
        if (v->length || !a->vma_len)
                return v->length;
        size_t i = (size_t)(v - d->vmas);
        if (a->vma_len[i] == UINT64_MAX) {
                void *data = NULL;
                size_t len = 0;
                a->vma_len[i] = gd_blob_decode(d, &v->blob, &data, &len) < 0 ? 0 : len;
                free(data);
        }
        return a->vma_len[i];
}

const struct gd_vma *gd_analysis_find_vma(struct gpudump_dump *d, struct gd_analysis *a, uint64_t va) {
        size_t lo = (size_t)(gd_vma_floor(d, va) + 1); /* entries [0, lo) start at or below va */

        /* xe VMAs never overlap, but i915 objects of several address spaces and objects of
         * unknown length can sit between the floor and the one holding va: look a few entries
         * back. */
        for (size_t k = lo, seen = 0; k > 0 && seen < 64; k--, seen++) {
                const struct gd_vma *v = &d->vmas[k - 1];
                if (va - v->address < v->length)
                        return v;
                if (!v->length && va - v->address < (256ull << 20) &&
                    va - v->address < gd_analysis_vma_length(d, a, v))
                        return v;
        }
        return NULL;
}

int gd_analysis_read(struct gpudump_dump *d, struct gd_analysis *a, uint64_t va, void *buf, size_t size) {
        const struct gd_vma *v = gd_analysis_find_vma(d, a, va);
        void *data = NULL;
        size_t len = 0;
        int r;

        if (!v)
                return -ENOENT;
        if (v->length) {
                r = gd_dump_read_va(d, va, buf, size);
                return r == -ENOMEM ? r : r < 0 ? -ENOENT : 0;
        }
        r = gd_blob_decode(d, &v->blob, &data, &len);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return -ENOENT;
        uint64_t off = va - v->address;
        bool ok = off <= len && size <= len - off;
        if (ok)
                memcpy(buf, (const uint8_t *)data + off, size);
        free(data);
        return ok ? 0 : -ENOENT;
}
