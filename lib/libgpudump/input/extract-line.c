/* SPDX-License-Identifier: MIT */
/*
 * Per-line cleaning before dumps are searched: HTML (tags, <br> and block tags as line breaks,
 * <pre> as a block, entities), then on each line `>` quoting at any depth, a kernel log prefix
 * (dmesg, syslog, journalctl short/short-precise/short-monotonic/short-iso, with or without a
 * `driver device:` and `[drm]` part), and markdown code fences.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "extract-int.h"

/* w starts with a character that has no case ('<', '&'): only where it occurs is compared, so
 * a long line without it (binary junk, a log) costs one memchr. */
static bool has_ci(const uint8_t *p, size_t n, const char *w) {
        size_t k = strlen(w);
        const uint8_t *q = p, *end = p + n;

        while (k > 0 && (size_t)(end - q) >= k && (q = memchr(q, w[0], (size_t)(end - q) - k + 1))) {
                if (strncasecmp((const char *)q, w, k) == 0)
                        return true;
                q++;
        }
        return false;
}

bool gd_x_html_detect(const struct tvec *lines) {
        static const char *const marks[] = { "<pre>", "<pre ", "<br>", "<br/>", "<br />", "</p>", "</div>",
                                             "&lt;", "&gt;", "&amp;", "&quot;" };

        for (size_t i = 0; i < lines->n; i++) {
                const struct tline *l = &lines->v[i];
                if (!memchr(l->p, '<', l->len) && !memchr(l->p, '&', l->len))
                        continue;
                /* ascii85 blobs hold '<' and '&' too: only text with words counts. */
                if (l->len > 64 && !memchr(l->p + l->len - 64, ' ', 64))
                        continue;
                for (size_t k = 0; k < sizeof(marks) / sizeof(marks[0]); k++)
                        if (has_ci(l->p, l->len, marks[k]))
                                return true;
        }
        return false;
}

/* One entity at p (after '&'): the bytes it stands for into out, the length consumed (0: not an
 * entity, keep the '&'). */
static size_t entity(const uint8_t *p, size_t n, uint8_t *out, size_t *ret_out) {
        static const struct { const char *name; char c; } named[] = {
                { "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' }, { "nbsp;", ' ' },
        };
        for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
                size_t k = strlen(named[i].name);
                if (n >= k && strncasecmp((const char *)p, named[i].name, k) == 0) {
                        out[0] = (uint8_t)named[i].c;
                        *ret_out = 1;
                        return k;
                }
        }
        if (n >= 3 && p[0] == '#') {
                size_t i = 1;
                unsigned long v = 0;
                bool hex = i < n && (p[i] == 'x' || p[i] == 'X');
                i += hex;
                size_t d0 = i;
                while (i < n && i < d0 + 7 && (hex ? isxdigit(p[i]) : isdigit(p[i]))) {
                        v = v * (hex ? 16 : 10) + (unsigned long)(isdigit(p[i]) ? p[i] - '0' : (tolower(p[i]) - 'a' + 10));
                        i++;
                }
                if (i == d0 || i >= n || p[i] != ';' || v == 0 || v > 0x10ffff)
                        return 0;
                /* UTF-8: never longer than the "&#NN;" it replaces. */
                if (v < 0x80) {
                        out[0] = (uint8_t)v;
                        *ret_out = 1;
                } else if (v < 0x800) {
                        out[0] = (uint8_t)(0xc0 | v >> 6);
                        out[1] = (uint8_t)(0x80 | (v & 0x3f));
                        *ret_out = 2;
                } else if (v < 0x10000) {
                        out[0] = (uint8_t)(0xe0 | v >> 12);
                        out[1] = (uint8_t)(0x80 | ((v >> 6) & 0x3f));
                        out[2] = (uint8_t)(0x80 | (v & 0x3f));
                        *ret_out = 3;
                } else {
                        out[0] = (uint8_t)(0xf0 | v >> 18);
                        out[1] = (uint8_t)(0x80 | ((v >> 12) & 0x3f));
                        out[2] = (uint8_t)(0x80 | ((v >> 6) & 0x3f));
                        out[3] = (uint8_t)(0x80 | (v & 0x3f));
                        *ret_out = 4;
                }
                return i + 1;
        }
        return 0;
}

enum tag { TAG_OTHER, TAG_BREAK, TAG_PRE_OPEN, TAG_PRE_CLOSE };

static enum tag tag_kind(const uint8_t *p, size_t n) {
        bool close = n > 0 && p[0] == '/';
        size_t i = close, k = i;
        char name[12];

        while (k < n && k - i < sizeof(name) - 1 && isalpha(p[k]))
                k++;
        for (size_t j = i; j < k; j++)
                name[j - i] = (char)tolower(p[j]);
        name[k - i] = 0;
        if (strcmp(name, "pre") == 0)
                return close ? TAG_PRE_CLOSE : TAG_PRE_OPEN;
        if (strcmp(name, "br") == 0 || strcmp(name, "p") == 0 || strcmp(name, "div") == 0 ||
            strcmp(name, "li") == 0 || strcmp(name, "tr") == 0)
                return TAG_BREAK;
        return TAG_OTHER;
}

int gd_x_html_lines(struct xstate *x, const struct tvec *in, struct tvec *ret) {
        int r;

        for (size_t i = 0; i < in->n; i++) {
                const struct tline *l = &in->v[i];
                uint8_t *buf = gd_x_arena_alloc(&x->arena, l->len + 1), *o = buf, *start = buf;
                unsigned strip = 0;
                if (!buf)
                        return -ENOMEM;
#define EMIT(is_marker)                                                                  \
        do {                                                                             \
                struct tline t_ = *l;                                                    \
                t_.p = start;                                                            \
                t_.len = (size_t)(o - start);                                            \
                t_.exact = false;                                                        \
                t_.strip |= strip;                                                       \
                t_.marker = (is_marker);                                                 \
                r = gd_x_tvec_push(ret, &t_);                                                 \
                if (r < 0)                                                               \
                        return r;                                                        \
                start = o;                                                               \
        } while (0)
                for (size_t k = 0; k < l->len; k++) {
                        uint8_t c = l->p[k];
                        if (c == '<') {
                                const uint8_t *gt = memchr(l->p + k, '>', l->len - k);
                                if (gt && k + 1 < l->len && (isalpha(l->p[k + 1]) || l->p[k + 1] == '/' || l->p[k + 1] == '!')) {
                                        enum tag t = tag_kind(l->p + k + 1, (size_t)(gt - l->p) - k - 1);
                                        strip |= GD_STRIP_HTML_TAGS;
                                        k = (size_t)(gt - l->p);
                                        if (t == TAG_BREAK)
                                                EMIT(false);
                                        else if (t == TAG_PRE_OPEN || t == TAG_PRE_CLOSE) {
                                                if (o > start)
                                                        EMIT(false);
                                                EMIT(true);
                                        }
                                        continue;
                                }
                        } else if (c == '&') {
                                size_t outn, used = entity(l->p + k + 1, l->len - k - 1, o, &outn);
                                if (used > 0) {
                                        o += outn;
                                        k += used;
                                        strip |= GD_STRIP_HTML_ENTITIES;
                                        continue;
                                }
                        }
                        *o++ = c;
                }
                /* The text line itself ends here (a source newline inside <pre> is a line). */
                if (o > start || start == buf)
                        EMIT(false);
#undef EMIT
        }
        return 0;
}

/* ---- kernel log prefixes ---- */

static size_t skip_digits(const uint8_t *p, size_t n, size_t i) {
        while (i < n && isdigit(p[i]))
                i++;
        return i;
}

/* "[  123.456789]" (+ optional "[ T123]" caller id) and the space after: the end, or 0. */
static size_t dmesg_stamp(const uint8_t *p, size_t n, size_t i) {
        if (i >= n || p[i] != '[')
                return 0;
        i++;
        while (i < n && p[i] == ' ')
                i++;
        size_t d = skip_digits(p, n, i);
        if (d == i || d >= n || p[d] != '.')
                return 0;
        i = skip_digits(p, n, d + 1);
        if (i == d + 1 || i >= n || p[i] != ']')
                return 0;
        i++;
        if (i < n && p[i] == '[') {
                size_t k = i + 1;
                while (k < n && p[k] == ' ')
                        k++;
                if (k < n && (p[k] == 'T' || p[k] == 'C')) {
                        size_t e = skip_digits(p, n, k + 1);
                        if (e > k + 1 && e < n && p[e] == ']')
                                i = e + 1;
                }
        }
        if (i < n && p[i] == ' ')
                i++;
        return i;
}

static size_t hhmmss(const uint8_t *p, size_t n, size_t i) {
        for (int part = 0; part < 3; part++) {
                if (i + 2 > n || !isdigit(p[i]) || !isdigit(p[i + 1]))
                        return 0;
                i += 2;
                if (part < 2) {
                        if (i >= n || p[i] != ':')
                                return 0;
                        i++;
                }
        }
        if (i < n && (p[i] == '.' || p[i] == ','))
                i = skip_digits(p, n, i + 1);
        return i;
}

/* "Dec  7 12:00:01[.123456] " / "2026-12-07T12:00:01[.123][+0000|+00:00|Z] " / "[ 12.3] " (monotonic). */
static size_t syslog_stamp(const uint8_t *p, size_t n) {
        static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
        size_t i;

        if (n > 16 && isdigit(p[0]) && isdigit(p[3]) && p[4] == '-' && p[7] == '-' && p[10] == 'T') {
                i = hhmmss(p, n, 11);
                if (i == 0)
                        return 0;
                if (i < n && p[i] == 'Z')
                        i++;
                else if (i < n && (p[i] == '+' || p[i] == '-')) {
                        i++;
                        while (i < n && (isdigit(p[i]) || p[i] == ':'))
                                i++;
                }
                return i < n && p[i] == ' ' ? i + 1 : 0;
        }
        if (n > 15 && p[3] == ' ') {
                bool month = false;
                for (size_t m = 0; m < 36; m += 3)
                        month |= memcmp(p, months + m, 3) == 0;
                if (!month)
                        return dmesg_stamp(p, n, 0);
                i = 4;
                if (p[i] == ' ')
                        i++;
                size_t d = skip_digits(p, n, i);
                if (d == i || d - i > 2 || d >= n || p[d] != ' ')
                        return 0;
                i = hhmmss(p, n, d + 1);
                return i > 0 && i < n && p[i] == ' ' ? i + 1 : 0;
        }
        return dmesg_stamp(p, n, 0);
}

static uint32_t hash(const uint8_t *p, size_t n) {
        uint32_t h = 2166136261u;

        for (size_t i = 0; i < n; i++)
                h = (h ^ p[i]) * 16777619u;
        return h ? h : 1;
}

/* "xe 0000:03:00.0: " (driver and PCI device), then "[drm] ". *ret_src hashes the first part. */
static size_t driver_prefix(const uint8_t *p, size_t n, size_t i, uint32_t *ret_src) {
        size_t k = i;

        while (k < n && (isalnum(p[k]) || p[k] == '_' || p[k] == '-'))
                k++;
        if (k > i && k + 1 < n && p[k] == ' ') {
                size_t e = k + 1;
                while (e < n && (isxdigit(p[e]) || p[e] == ':' || p[e] == '.'))
                        e++;
                while (e > k + 1 && p[e - 1] == ':')
                        e--;
                if (e > k + 8 && e + 1 < n && p[e - 1] != ':' && p[e] == ':' && p[e + 1] == ' ') {
                        *ret_src = hash(p + i, e - i);
                        i = e + 2;
                }
        }
        if (n - i >= 6 && memcmp(p + i, "[drm] ", 6) == 0)
                i += 6;
        else if (n - i == 5 && memcmp(p + i, "[drm]", 5) == 0)
                i += 5; /* an empty message whose trailing blank a mailer or editor trimmed */
        return i;
}

/* syslog and journal: "host ident[pid]: " after the stamp. The end, or 0; *ret_kernel when
 * ident is the kernel. */
static size_t host_ident(const uint8_t *p, size_t n, size_t i, bool *ret_kernel) {
        size_t h = i, id, e;

        while (h < n && p[h] != ' ' && p[h] != ':' && p[h] != '[')
                h++;
        if (h == i || h >= n || p[h] != ' ')
                return 0;
        id = e = h + 1;
        while (e < n && (isalnum(p[e]) || p[e] == '_' || p[e] == '-' || p[e] == '.' || p[e] == '/' || p[e] == '@'))
                e++;
        if (e == id)
                return 0;
        *ret_kernel = e - id == 6 && memcmp(p + id, "kernel", 6) == 0;
        if (e < n && p[e] == '[') {
                size_t d = skip_digits(p, n, e + 1);
                if (d == e + 1 || d >= n || p[d] != ']')
                        return 0;
                e = d + 1;
        }
        return e + 1 < n && p[e] == ':' && p[e + 1] == ' ' ? e + 2 : (e + 1 == n && p[e] == ':' ? e + 1 : 0);
}

/* Strip a kernel log prefix from l. */
static void kernel_prefix(struct tline *l) {
        const uint8_t *p = l->p;
        size_t n = l->len, i = 0, s, k;
        uint32_t src = 0;
        bool kernel = false;

        if (n >= 3 && p[0] == '<' && isdigit(p[1])) {
                size_t e = skip_digits(p, n, 1);
                if (e < n && p[e] == '>')
                        i = e + 1;
        }
        s = syslog_stamp(p + i, n - i);
        if (s == 0 && i == 0)
                return;
        bool bracket = s > 0 && p[i] == '[';
        i += s;
        k = s > 0 ? host_ident(p, n, i, &kernel) : 0;
        if (s > 0 && !bracket && k == 0)
                return; /* a date, but not a log line */
        if (k > 0) {
                if (!kernel) {
                        l->klog = true;
                        l->other_log = true;
                        return;
                }
                i = k;
                /* syslog keeps the kernel's own stamp after "kernel: ". */
                size_t d = dmesg_stamp(p, n, i);
                if (d > 0)
                        i = d;
        }
        i = driver_prefix(p, n, i, &src);
        l->p += i;
        l->len -= i;
        l->in += i;
        l->klog = true;
        l->src = src;
        l->strip |= GD_STRIP_KERNEL_LOG;
}

/* Remove up to max levels of `>` quoting; returns how many there were. */
static size_t quoting_max(struct tline *l, size_t max) {
        size_t depth = 0, i = 0;

        while (i < l->len && l->p[i] == '>' && depth < max) {
                depth++;
                i++;
                if (i < l->len && l->p[i] == ' ')
                        i++;
                /* "> > text": quoted quoting keeps its space between levels. */
                if (depth < max && i + 1 < l->len && l->p[i] == ' ' && l->p[i + 1] == '>')
                        i++;
        }
        if (depth > 0) {
                l->p += i;
                l->len -= i;
                l->in += i;
                l->strip |= GD_STRIP_QUOTING;
        }
        return depth > 255 ? 255 : depth;
}

static size_t quoting(struct tline *l) {
        l->q = l->p;
        l->qlen = l->len;
        l->qin = l->in;
        return quoting_max(l, SIZE_MAX);
}

void gd_x_requote(struct tline *l, uint8_t depth) {
        l->p = l->q;
        l->len = l->qlen;
        l->in = l->qin;
        l->depth = (uint8_t)quoting_max(l, depth);
}

/* A fence line: ``` or ~~~ (3 or more) after at most 3 spaces. Returns its char and length. */
static bool fence(const struct tline *l, uint8_t *ret_c, size_t *ret_n) {
        size_t i = 0, k;

        while (i < l->len && i < 3 && l->p[i] == ' ')
                i++;
        if (i >= l->len || (l->p[i] != '`' && l->p[i] != '~'))
                return false;
        k = i;
        while (k < l->len && l->p[k] == l->p[i])
                k++;
        if (k - i < 3)
                return false;
        *ret_c = l->p[i];
        *ret_n = k - i;
        return true;
}

void gd_x_normalise_lines(struct tvec *lines) {
        uint32_t block = 0, open_block = 0;
        uint8_t fence_c = 0;
        size_t fence_n = 0;

        for (size_t i = 0; i < lines->n; i++) {
                struct tline *l = &lines->v[i];
                uint8_t c;
                size_t fn;

                l->depth = (uint8_t)quoting(l);
                kernel_prefix(l);
                if (l->marker) {
                        /* <pre> from HTML: open and close alternate. */
                        if (open_block) {
                                open_block = 0;
                        } else
                                open_block = ++block;
                        l->block = 0;
                        continue;
                }
                if (fence(l, &c, &fn) && (!fence_c || (c == fence_c && fn >= fence_n))) {
                        l->marker = true;
                        l->block = 0;
                        if (fence_c) {
                                fence_c = 0;
                                open_block = 0;
                        } else {
                                fence_c = c;
                                fence_n = fn;
                                open_block = ++block;
                        }
                        continue;
                }
                l->block = open_block;
        }
}
