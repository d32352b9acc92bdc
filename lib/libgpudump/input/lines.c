/* SPDX-License-Identifier: MIT */
/*
 * The line tokenizer: memchr over the input, no copies, no line-length limit (a blob line may be
 * gigabytes). It strips the prefix of dumps embedded in dmesg or mail, and hands the input pages
 * it has passed back to the kernel so a forward pass over a huge dump keeps RSS flat.
 */
#include <string.h>

#include "input.h"

#define RELEASE_STEP (2u << 20)

static inline bool is_wild(uint8_t c) {
        return c == ' ' || (c >= '0' && c <= '9');
}

ssize_t gd_prefix_match(const struct gd_prefix *p, const uint8_t *s, size_t n) {
        size_t i = 0, j = 0;

        while (i < p->len) {
                if (is_wild(p->pat[i])) {
                        size_t e = i;
                        bool digit = false;
                        while (e < p->len && is_wild(p->pat[e])) {
                                digit |= p->pat[e] != ' ';
                                e++;
                        }
                        if (digit) {
                                /* Timestamps and device numbers vary from line to line. */
                                if (j >= n || !is_wild(s[j]))
                                        return -1;
                                while (j < n && is_wild(s[j]))
                                        j++;
                                i = e;
                                continue;
                        }
                }
                if (j >= n || s[j] != p->pat[i])
                        return -1;
                i++;
                j++;
        }
        return (ssize_t)j;
}

void gd_lines_init(struct gd_lines *l, const struct gd_input *d, uint64_t start) {
        *l = (struct gd_lines){
                .d = d,
                .data = d->data,
                .size = d->size,
                .pos = start,
                .line_no = 1,
                .released = 0,
        };
}

static bool lines_read(struct gd_lines *l, struct gd_line *ret) {
        const uint8_t *start, *nl;
        size_t n;

        if (l->pos >= l->size)
                return false;
        start = l->data + l->pos;
        /* Search in steps so the pages of a gigabyte line are released while we pass them
         * (in hold mode, only past GD_LINES_HOLD: a shorter line's reader releases it). */
        nl = NULL;
        uint64_t scan_released = l->pos;
        const uint64_t keep = l->hold ? GD_LINES_HOLD : RELEASE_STEP;
        for (uint64_t at = l->pos; at < l->size;) {
                size_t step = l->size - at < RELEASE_STEP ? (size_t)(l->size - at) : RELEASE_STEP;
                nl = memchr(l->data + at, '\n', step);
                if (nl)
                        break;
                at += step;
                /* l->released stays at or before this line's start: the parser reads the line's
                 * head again, and the next call releases everything up to the next line. */
                if (at - scan_released >= keep) {
                        gd_input_release(l->d, scan_released, at, false);
                        scan_released = at;
                }
        }
        n = nl ? (size_t)(nl - start) : (size_t)(l->size - l->pos);

        ret->foreign = false;
        ret->start = l->pos;
        ret->line = l->line_no;
        ret->newline = nl != NULL;
        ret->p = start;
        ret->len = n;
        if (ret->len > 0 && ret->p[ret->len - 1] == '\r')
                ret->len--;
        if (l->prefix.len > 0) {
                ssize_t k = gd_prefix_match(&l->prefix, ret->p, ret->len);
                if (k >= 0) {
                        ret->p += k;
                        ret->len -= (size_t)k;
                } else {
                        /* Mail quoting drops the trailing space on blank lines ("> " -> ">"). */
                        size_t t = l->prefix.len;
                        while (t > 0 && l->prefix.pat[t - 1] == ' ')
                                t--;
                        if (t > 0 && ret->len <= t && gd_prefix_match(&(struct gd_prefix){ l->prefix.pat, t },
                                                                      ret->p, ret->len) >= 0)
                                ret->len = 0;
                        else
                                ret->foreign = true;
                }
        }
        ret->offset = (uint64_t)(ret->p - l->data);

        l->pos += n + (nl ? 1 : 0);
        l->line_no++;
        if (!l->hold && l->pos - l->released >= RELEASE_STEP) {
                gd_input_release(l->d, l->released, ret->start, false);
                l->released = ret->start;
        } else if (l->hold && ret->start - l->released >= GD_LINES_HOLD + RELEASE_STEP) {
                /* Whoever reads the held text releases it; this bounds what nobody reads. */
                gd_input_release(l->d, l->released, ret->start - GD_LINES_HOLD, false);
                l->released = ret->start - GD_LINES_HOLD;
        }
        return true;
}

bool gd_lines_next(struct gd_lines *l, struct gd_line *ret) {
        if (l->has_peeked) {
                *ret = l->peeked;
                l->has_peeked = false;
                return true;
        }
        return lines_read(l, ret);
}

bool gd_lines_peek(struct gd_lines *l, struct gd_line *ret) {
        if (!l->has_peeked) {
                if (!lines_read(l, &l->peeked))
                        return false;
                l->has_peeked = true;
        }
        *ret = l->peeked;
        return true;
}
