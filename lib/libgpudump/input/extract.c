/* SPDX-License-Identifier: MIT */
/*
 * Finding dumps in text (see extract.h): the input is split into lines; a mail becomes its text
 * parts; HTML becomes lines; each line loses quoting, kernel log prefix and fences; then dumps are
 * found by their first line and followed while their lines share the first line's context
 * (quoting depth, fence block, log source, learned line prefix), and copied out clean.
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

/* ---- finding the first lines ---- */

enum kind { K_NONE, K_XE, K_AMD, K_I915, K_MSM };

static const uint8_t *lskip(const struct tline *l, size_t *ret_n) {
        size_t i = 0;

        while (i < l->len && (l->p[i] == ' ' || l->p[i] == '\t'))
                i++;
        *ret_n = l->len - i;
        return l->p + i;
}

/* Does line j (in the same context as i) start with one of the i915 header keys? */
static bool i915_key_near(const struct tvec *v, size_t i, const char *const *keys) {
        for (size_t j = i + 1; j < v->n && j <= i + 4; j++) {
                size_t n;
                const uint8_t *p = lskip(&v->v[j], &n);
                if (v->v[j].src != v->v[i].src || v->v[j].depth != v->v[i].depth)
                        continue;
                for (size_t k = 0; keys[k]; k++)
                        if (gd_startswith(p, n, keys[k]))
                                return true;
        }
        return false;
}

/* A dump's first line: the kind, and in *ret_at where in the line the dump's text starts. */
static enum kind title(const struct tvec *v, size_t i, size_t *ret_at) {
        static const char *const after_hang[] = { "Kernel: ", "Time: ", "Driver: ", NULL };
        static const char *const after_time[] = { "Kernel: ", NULL };
        static const char *const after_kernel[] = { "Time: ", "Driver: ", "PCI ID: ", NULL };
        const struct tline *l = &v->v[i];
        const uint8_t *m;
        size_t n;
        const uint8_t *p = lskip(l, &n);

        if (l->marker || l->other_log)
                return K_NONE;
        /* The xe and amdgpu titles are unmistakable: found after any prefix, which is learned. */
        if ((m = memmem(l->p, l->len, XE_TITLE, strlen(XE_TITLE)))) {
                *ret_at = (size_t)(m - l->p);
                return K_XE;
        }
        if ((m = memmem(l->p, l->len, AMD_TITLE, strlen(AMD_TITLE)))) {
                *ret_at = (size_t)(m - l->p);
                return K_AMD;
        }
        *ret_at = (size_t)(p - l->p);
        /* i915 first lines also occur in logs alone ("GPU HANG: ecode ..." is a normal dmesg
         * message): an error state needs its header keys right after. */
        if ((gd_startswith(p, n, "GPU HANG: ecode ") && i915_key_near(v, i, after_hang)) ||
            (gd_startswith(p, n, "Time: ") && i915_key_near(v, i, after_time)) ||
            (gd_startswith(p, n, "Kernel: ") && i915_key_near(v, i, after_kernel)) ||
            gd_memeq(p, n, "No error state collected"))
                return K_I915;
        if (gd_memeq(p, n, "---") && i + 1 < v->n) {
                size_t n2;
                const uint8_t *p2 = lskip(&v->v[i + 1], &n2);
                if (gd_startswith(p2, n2, "kernel: ") && (size_t)(p2 - v->v[i + 1].p) == *ret_at)
                        return K_MSM;
        }
        return K_NONE;
}

/* Prose after a blank line ends a dump that no fence bounds: a sentence of several words with
 * no "key: value" shape. */
static bool prose(const struct tline *l) {
        size_t words = 1, n = l->len;

        if (n == 0)
                return false;
        if (gd_startswith(l->p, n, "-- ") || gd_memeq(l->p, n, "--"))
                return true; /* mail signature */
        if (!((l->p[0] >= 'A' && l->p[0] <= 'Z') || (l->p[0] >= 'a' && l->p[0] <= 'z')))
                return false;
        for (size_t i = 0; i < n; i++) {
                if (l->p[i] == ' ')
                        words++;
                if (l->p[i] == '=' || l->p[i] == '\t' || l->p[i] == ':' || l->p[i] == '[' ||
                    (l->p[i] == '0' && i + 1 < n && l->p[i + 1] == 'x'))
                        return false;
        }
        /* A mail's closing ("Thanks,", "Best regards,") is prose however short. */
        if (l->p[n - 1] == ',' && words <= 3)
                return true;
        return words >= 4 && (l->p[n - 1] == '.' || l->p[n - 1] == '!' || l->p[n - 1] == '?' || l->p[n - 1] == ',');
}

/* The rest of a wrapped blob line: one run of ascii85 without blanks. A damaged blob keeps its
 * few bad characters (the parser reports them where the bare dump has them); a short key line
 * such as "bos:" is not a continuation. */
static bool blob_continues(const uint8_t *p, size_t n) {
        size_t bad = 0;

        if (n == 0 || (n < 64 && p[n - 1] == ':'))
                return false;
        for (size_t i = 0; i < n; i++) {
                if (p[i] == ' ' || p[i] == '\t')
                        return false;
                bad += !((p[i] >= '!' && p[i] <= 'u') || p[i] == 'z');
        }
        return bad <= n / 64 && (bad == 0 || n >= 32);
}

/* The line ends in a long ascii85 run: a blob line that a log may have wrapped. i915 starts its
 * blobs with ':' (zlib, an ascii85 character) or '~' (raw, not one). */
static bool ends_in_blob(const uint8_t *p, size_t n) {
        size_t k = n;

        while (k > 0 && p[k - 1] != ' ')
                k--;
        if (k < n && p[k] == '~')
                k++;
        return n - k >= 32 && blob_continues(p + k, n - k);
}


struct out {
        uint8_t *buf;
        size_t size, cap;
        struct gd_xline *lines;
        size_t n_lines;
};

static int out_put(struct out *o, const uint8_t *p, size_t n) {
        if (o->size + n + 1 > o->cap) {
                size_t cap = o->cap ? o->cap : 4096;
                while (cap < o->size + n + 1)
                        cap *= 2;
                uint8_t *b = realloc(o->buf, cap);
                if (!b)
                        return -ENOMEM;
                o->buf = b;
                o->cap = cap;
        }
        memcpy(o->buf + o->size, p, n);
        o->size += n;
        return 0;
}

struct ctx {
        enum kind kind;
        uint8_t depth;
        uint32_t block, src;
        bool klog;
        struct gd_prefix prefix;
        bool prefix_blank; /* the prefix is indentation: a line without it ends the dump */
        unsigned strip;
};

/* Follow one dump from line i; returns the index after its last line. */
static int follow(struct xstate *x, const struct segment *s, size_t i, enum kind kind, size_t at,
                  size_t *ret_next) {
        const struct tvec *v = &s->lines;
        struct ctx c = { .kind = kind, .depth = v->v[i].depth, .block = v->v[i].block,
                         .src = v->v[i].src, .klog = v->v[i].klog, .strip = s->strip };
        struct out o = {};
        size_t j, last = i, blank_run = 0;
        bool prev_blob = false;
        int r = 0;

        c.prefix = (struct gd_prefix){ v->v[i].p, at };
        c.prefix_blank = true;
        for (size_t k = 0; k < at; k++)
                c.prefix_blank &= v->v[i].p[k] == ' ' || v->v[i].p[k] == '\t';
        if (at > 0)
                c.strip |= c.prefix_blank ? GD_STRIP_INDENT : GD_STRIP_LINE_PREFIX;
        if (c.block)
                c.strip |= s->html ? 0 : GD_STRIP_CODE_FENCE;

        for (j = i; j < v->n; j++) {
                const struct tline *l = &v->v[j];
                struct tline requoted;
                const uint8_t *p = l->p;
                size_t n = l->len, at2;

                if (j > i && l->depth > c.depth && l->q && !l->klog && l->block == c.block) {
                        /* Deeper only because the content starts with '>' (ascii85). */
                        requoted = *l;
                        gd_x_requote(&requoted, c.depth);
                        l = &requoted;
                        p = l->p;
                        n = l->len;
                }
                if (j > i) {
                        if (l->marker || l->block != c.block || (l->depth != c.depth && !(n == 0 && l->depth + 1 == c.depth)))
                                break;
                        if (c.klog && (!l->klog || l->other_log || l->src != c.src)) {
                                c.strip |= GD_STRIP_OTHER_LINES;
                                continue;
                        }
                        /* A new dump ends this one; inside an i915 state its own header keys
                         * ("Time:", "Kernel:") are not a new one. */
                        enum kind nk = title(v, j, &at2);
                        if (nk != K_NONE && (kind != K_I915 || nk != K_I915 ||
                                             gd_startswith(p + at2, n - at2, "GPU HANG: ecode ")))
                                break;
                        if (!c.block && !c.klog && blank_run > 0 && prose(l))
                                break;
                }
                if (c.prefix.len > 0) {
                        ssize_t k = gd_prefix_match(&c.prefix, p, n);
                        if (k >= 0) {
                                p += k;
                                n -= (size_t)k;
                        } else {
                                size_t bn;
                                lskip(l, &bn);
                                if (bn == 0)
                                        n = 0; /* blank lines lose their indentation */
                                else if (c.prefix_blank && !c.block)
                                        break; /* an indented block ends at its first unindented line */
                                else {
                                        c.strip |= GD_STRIP_OTHER_LINES;
                                        continue;
                                }
                        }
                }
                blank_run = n == 0 ? blank_run + 1 : 0;
                /* A log wrapped a blob line: join the pieces (xe reads its own continuation lines). */
                if (kind != K_XE && prev_blob && o.n_lines > 0 && blob_continues(p, n)) {
                        o.size--; /* the newline */
                        r = out_put(&o, p, n);
                        if (r < 0)
                                goto fail;
                        r = out_put(&o, (const uint8_t *)"\n", 1);
                        if (r < 0)
                                goto fail;
                        c.strip |= GD_STRIP_WRAPPING;
                        last = j;
                        continue;
                }
                prev_blob = ends_in_blob(p, n);
                struct gd_xline xl = { .out = o.size, .line = l->line, .in = l->in + (uint64_t)(p - l->p), .exact = l->exact };
                r = GD_ARRAY_PUSH(o.lines, o.n_lines, xl);
                if (r < 0)
                        goto fail;
                r = out_put(&o, p, n);
                if (r >= 0 && (l->newline || j + 1 < v->n))
                        r = out_put(&o, (const uint8_t *)"\n", 1);
                if (r < 0)
                        goto fail;
                c.strip |= l->strip;
                last = j;
        }
        /* Blank lines between the dump and what ends it are not the dump's, but for one in xe
         * dumps: older kernels end their last block with a blank line, and the parser reading
         * to the end of a block without it would call the dump truncated. */
        if (!c.block) {
                size_t keep = kind == K_XE ? 2 : 1;
                bool trimmed = false;

                while (o.n_lines > keep && o.lines[o.n_lines - 1].out + 1 == o.size &&
                       (keep == 1 || o.lines[o.n_lines - 2].out + 1 == o.lines[o.n_lines - 1].out)) {
                        o.size = o.lines[o.n_lines - 1].out;
                        o.n_lines--;
                        trimmed = true;
                }
                if (trimmed)
                        for (size_t k = i; k <= last; k++)
                                if (v->v[k].line == o.lines[o.n_lines - 1].line)
                                        last = k;
        }
        /* The input ends inside a line that was not the dump's (a log record cut in its prefix):
         * the dump was cut there too, so its copy ends inside its last line as well, and the
         * parser says it is truncated, as it does for the bare dump cut at the same place. */
        if (j == v->n && v->n > 0 && !v->v[v->n - 1].newline && last != v->n - 1 && o.size > 0 &&
            o.buf[o.size - 1] == '\n')
                o.size--;
        *ret_next = j;

        struct gd_found f = { .data = o.buf ? o.buf : malloc(1), .size = o.size, .lines = o.lines,
                              .n_lines = o.n_lines, .first_line = v->v[i].line,
                              .last_line = v->v[last].line, .stripped = c.strip };
        if (!f.data) {
                r = -ENOMEM;
                goto fail;
        }
        o.buf = NULL;
        o.lines = NULL;
        /* Text before or after it in the same part. */
        for (size_t k = 0; k < v->n; k++)
                if ((k < i || k > last) && v->v[k].len > 0 && !v->v[k].marker) {
                        f.stripped |= GD_STRIP_TEXT_AROUND;
                        break;
                }
        if (GD_ARRAY_PUSH(x->out->found, x->out->n_found, f) < 0) {
                gd_found_done(&f);
                return -ENOMEM;
        }
        return 0;
fail:
        free(o.buf);
        free(o.lines);
        return r;
}

static int search(struct xstate *x, struct segment *s) {
        struct tvec html = {};
        int r;

        if (s->html) {
                r = gd_x_html_lines(x, &s->lines, &html);
                if (r < 0) {
                        free(html.v);
                        return r;
                }
                free(s->lines.v);
                s->lines = html;
        }
        gd_x_normalise_lines(&s->lines);
        for (size_t i = 0; i < s->lines.n;) {
                size_t at, next;
                enum kind k = title(&s->lines, i, &at);
                if (k == K_NONE) {
                        i++;
                        continue;
                }
                r = follow(x, s, i, k, at, &next);
                if (r < 0)
                        return r;
                i = next > i ? next : i + 1;
        }
        return 0;
}

void gd_extract_done(struct gd_extract *e) {
        for (size_t i = 0; i < e->n_found; i++)
                gd_found_done(&e->found[i]);
        free(e->found);
        *e = (struct gd_extract){};
}

int gd_extract(const uint8_t *p, size_t n, struct gd_extract *ret) {
        struct xstate x = { .out = ret };
        struct tvec all = {};
        int r;

        *ret = (struct gd_extract){};
        r = gd_x_split_lines(p, n, 1, 0, true, &all);
        if (r < 0)
                goto out;
        if (gd_x_mail_detect(&all)) {
                r = gd_x_mail_split(&x, &all);
                free(all.v);
        } else
                r = gd_x_add_segment(&x, &all, 0, gd_x_html_detect(&all));
        all = (struct tvec){};
        if (r < 0)
                goto out;
        for (size_t i = 0; i < x.n_segs && r >= 0; i++) {
                if (!x.segs[i].html)
                        x.segs[i].html = gd_x_html_detect(&x.segs[i].lines);
                r = search(&x, &x.segs[i]);
        }
out:
        free(all.v);
        for (size_t i = 0; i < x.n_segs; i++)
                free(x.segs[i].lines.v);
        free(x.segs);
        for (size_t i = 0; i < x.arena.n; i++)
                free(x.arena.bufs[i]);
        free(x.arena.bufs);
        if (r < 0)
                gd_extract_done(ret);
        return r;
}

const char *gd_strip_name(unsigned bit) {
        switch (bit) {
        case GD_STRIP_MAIL_HEADERS: return "mail headers";
        case GD_STRIP_MIME: return "MIME multipart";
        case GD_STRIP_QP: return "quoted-printable";
        case GD_STRIP_BASE64: return "base64";
        case GD_STRIP_QUOTING: return "> quoting";
        case GD_STRIP_KERNEL_LOG: return "kernel log prefix";
        case GD_STRIP_LINE_PREFIX: return "line prefix";
        case GD_STRIP_CODE_FENCE: return "code fence";
        case GD_STRIP_INDENT: return "indentation";
        case GD_STRIP_HTML_TAGS: return "html tags";
        case GD_STRIP_HTML_ENTITIES: return "html entities";
        case GD_STRIP_CRLF: return "CRLF";
        case GD_STRIP_WRAPPING: return "wrapped lines";
        case GD_STRIP_OTHER_LINES: return "interleaved lines";
        case GD_STRIP_TEXT_AROUND: return "text around";
        default: return NULL;
        }
}

void gd_found_map(const struct gd_found *f, uint64_t offset, uint64_t line, uint64_t *ret_offset,
                  uint64_t *ret_line) {
        size_t lo = 0, hi = f->n_lines;

        *ret_offset = offset;
        *ret_line = line;
        if (f->n_lines == 0)
                return;
        if (line >= 1 && line <= f->n_lines)
                *ret_line = f->lines[line - 1].line;
        /* The cleaned line holding offset, by binary search. */
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (f->lines[mid].out <= offset)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == 0)
                return;
        const struct gd_xline *xl = &f->lines[lo - 1];
        *ret_offset = xl->in + (xl->exact ? offset - xl->out : 0);
        if (line == 0)
                *ret_line = xl->line;
}
