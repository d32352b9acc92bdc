/* SPDX-License-Identifier: MIT */
/* Helpers shared by the non-xe format parsers: model array growth and bounded text parsing. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gd-macro.h"
#include "fmt-util.h"

char *gd_fmt_cstr(const struct gd_line *l, char *buf, size_t size) {
        if (l->len >= size)
                return NULL;
        memcpy(buf, l->p, l->len);
        buf[l->len] = '\0';
        /* Embedded NULs would silently shorten the key; the caller treats such lines as noise. */
        if (memchr(buf, '\0', l->len))
                return NULL;
        return buf;
}

char *gd_fmt_text_line(struct gpudump_dump *d, const char *driver, const struct gd_line *l,
                       char *buf, size_t size) {
        char *s = gd_fmt_cstr(l, buf, size);

        if (!s)
                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, l->offset, l->line,
                            "%s: unexpected %s line of %zu bytes ignored", driver,
                            l->len >= size ? "long" : "binary", l->len);
        return s;
}

void gd_fmt_cut_line(struct gpudump_dump *d, const char *driver, const struct gd_line *l) {
        d->truncated = true;
        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                    "%s: the last line (%zu bytes) is cut off by the end of input (truncated); "
                    "ignored", driver, l->len);
}

int gd_fmt_set_str(char **dst, const char *src, size_t n) {
        char *s = strndup(src, n);

        if (!s)
                return -ENOMEM;
        free(*dst);
        *dst = s;
        return 0;
}

int gd_fmt_engine_add(struct gpudump_dump *d, const char *name, size_t name_len,
                      const char *class_name, int instance, uint64_t offset) {
        struct gd_engine e = {
                .instance = instance,
                .logical_instance = -1,
                .offset = offset,
        };

        e.name = strndup(name, name_len);
        if (!e.name)
                return -ENOMEM;
        if (class_name) {
                e.class_name = strdup(class_name);
                if (!e.class_name) {
                        free(e.name);
                        return -ENOMEM;
                }
        }
        if (GD_ARRAY_PUSH(d->engines, d->n_engines, e) < 0) {
                free(e.name);
                free(e.class_name);
                return -ENOMEM;
        }
        return (int)(d->n_engines - 1);
}

int gd_fmt_reg_add(struct gd_engine *e, const char *name, size_t name_len, uint64_t value,
                   unsigned width, uint64_t offset) {
        struct gd_reg r = {
                .value = value,
                .width = width,
                .offset = offset,
        };

        r.name = strndup(name, name_len);
        if (!r.name)
                return -ENOMEM;
        if (GD_ARRAY_PUSH(e->regs, e->n_regs, r) < 0) {
                free(r.name);
                return -ENOMEM;
        }
        return 0;
}

int gd_fmt_prop_add(struct gd_engine *e, const char *key, const char *value) {
        return gd_kv_push(&e->props, &e->n_props, NULL, key, strlen(key), value, strlen(value));
}

int gd_fmt_kv_add(struct gpudump_dump *d, const char *section, const char *key,
                  const char *value) {
        return gd_kv_push(&d->kvs, &d->n_kvs, section, key, strlen(key), value, strlen(value));
}

int gd_fmt_vma_add(struct gpudump_dump *d, uint64_t address, uint64_t length, const char *kind,
                   const char *engine, uint64_t offset, uint64_t line) {
        struct gd_vma v = {
                .address = address,
                .length = length,
                .blob.offset = offset,
                .blob.line = line,
        };

        if (kind && !(v.kind = strdup(kind)))
                goto oom;
        /* The blob carries the kind as its name so gpudump_dump_read_blob("ring") finds it. */
        if (kind && !(v.blob.name = strdup(kind)))
                goto oom;
        if (engine && !(v.engine = strdup(engine)))
                goto oom;
        if (GD_ARRAY_PUSH(d->vmas, d->n_vmas, v) < 0)
                goto oom;
        return (int)(d->n_vmas - 1);
oom:
        free(v.kind);
        free(v.blob.name);
        free(v.engine);
        return -ENOMEM;
}

int gd_fmt_blob_add(struct gpudump_dump *d, const char *name, enum gd_encoding enc,
                    uint64_t offset, uint64_t line) {
        struct gd_blob b = {
                .encoding = enc,
                .offset = offset,
                .line = line,
        };

        b.name = strdup(name);
        if (!b.name)
                return -ENOMEM;
        if (GD_ARRAY_PUSH(d->blobs, d->n_blobs, b) < 0) {
                free(b.name);
                return -ENOMEM;
        }
        return (int)(d->n_blobs - 1);
}

int gd_fmt_span_add(struct gd_blob *b, uint64_t offset, uint64_t length) {
        struct gd_span s = { .offset = offset, .length = length };

        /* Adjacent spans (hex words of consecutive lines never are, but binary payloads may be)
         * merge, keeping the array small. */
        if (b->n_spans > 0 && b->spans[b->n_spans - 1].offset + b->spans[b->n_spans - 1].length ==
                                      offset) {
                b->spans[b->n_spans - 1].length += length;
                return 0;
        }
        return GD_ARRAY_PUSH(b->spans, b->n_spans, s);
}

char *gd_fmt_strip(char *s) {
        size_t n;

        while (*s == ' ' || *s == '\t')
                s++;
        n = strlen(s);
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                s[--n] = '\0';
        return s;
}

bool gd_fmt_hex(const char *s, uint64_t *ret) {
        uint64_t v = 0;
        size_t n = 0;

        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
                s += 2;
        for (; isxdigit((unsigned char)*s); s++, n++) {
                if (v >> 60)
                        return false; /* more than 64 bits */
                v = v << 4 | (uint64_t)(isdigit((unsigned char)*s) ? *s - '0'
                                                                    : (tolower((unsigned char)*s) - 'a' + 10));
        }
        if (n == 0 || *s != '\0')
                return false;
        *ret = v;
        return true;
}

bool gd_fmt_dec(const char *s, uint64_t *ret) {
        uint64_t v = 0;
        size_t n = 0;

        for (; isdigit((unsigned char)*s); s++, n++) {
                if (v > (UINT64_MAX - 9) / 10)
                        return false;
                v = v * 10 + (uint64_t)(*s - '0');
        }
        if (n == 0 || *s != '\0')
                return false;
        *ret = v;
        return true;
}

const char *gd_fmt_engine_class(const char *name, int *ret_instance) {
        static const struct {
                const char *prefix;
                const char *class_name;
        } map[] = {
                /* Longest prefixes first: "vecs" before "vcs". Old kernels printed "render ring",
                 * "bsd ring", "blitter ring", "video enhancement ring". */
                { "vecs", "video-enhance" }, { "rcs", "render" },  { "bcs", "copy" },
                { "vcs", "video" },          { "ccs", "compute" }, { "video enhancement", "video-enhance" },
                { "render", "render" },      { "blitter", "copy" }, { "blt", "copy" },
                { "bsd", "video" },          { "vebox", "video-enhance" },
        };
        const char *cls = "other";
        size_t n = strlen(name);
        int instance = -1;

        for (size_t i = 0; i < ELEMENTSOF(map); i++)
                if (strncmp(name, map[i].prefix, strlen(map[i].prefix)) == 0) {
                        cls = map[i].class_name;
                        break;
                }
        if (n > 0 && isdigit((unsigned char)name[n - 1])) {
                while (n > 0 && isdigit((unsigned char)name[n - 1]))
                        n--;
                if (strlen(name + n) < 6)
                        instance = atoi(name + n);
        }
        if (ret_instance)
                *ret_instance = instance;
        return cls;
}
