/* SPDX-License-Identifier: MIT */
/* The model's lifetime: freeing it, the helpers parsers use to fill it, and the end-of-parse pass. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gd-macro.h"
#include "gd-string.h"
#include "model.h"

/* The environment is read on each call, not kept: the library holds no mutable state. */
unsigned gd_dump_threads(const struct gpudump_dump *d) {
        unsigned long n = d ? d->threads : 0;

        if (n == 0) {
                const char *e = getenv("GPUDUMP_THREADS");
                char *end = NULL;
                if (e && *e) {
                        errno = 0;
                        n = strtoul(e, &end, 10);
                        if (errno != 0 || *end != 0)
                                n = 0;
                }
        }
        if (n == 0) {
                long cpus = sysconf(_SC_NPROCESSORS_ONLN);
                n = cpus > 0 ? (unsigned long)cpus : 1;
        }
        return n > GD_MAX_THREADS ? GD_MAX_THREADS : (unsigned)n;
}

void gd_blob_clear(struct gd_blob *b) {
        free(b->name);
        free(b->spans);
        free(b->hash);
        *b = (struct gd_blob){};
}

void gd_kv_clear(struct gd_kv *kv) {
        free(kv->section);
        free(kv->key);
        free(kv->value);
}

int gd_kv_push(struct gd_kv **arr, size_t *n, const char *section, const char *key, size_t key_len,
               const char *value, size_t value_len) {
        struct gd_kv kv = {};

        kv.section = section ? strdup(section) : NULL;
        kv.key = gd_strndup(key, key_len);
        kv.value = gd_strndup(value ? value : "", value ? value_len : 0);
        if ((section && !kv.section) || !kv.key || !kv.value ||
            gd_array_grow((void **)arr, *n, sizeof(**arr)) < 0) {
                gd_kv_clear(&kv);
                return -ENOMEM;
        }
        (*arr)[(*n)++] = kv;
        return 0;
}

static void kvs_free(struct gd_kv *kvs, size_t n) {
        for (size_t i = 0; i < n; i++)
                gd_kv_clear(&kvs[i]);
        free(kvs);
}

void gd_dump_free(struct gpudump_dump *d) {
        if (!d)
                return;
        for (size_t i = 0; i < d->n_engines; i++) {
                struct gd_engine *e = &d->engines[i];
                free(e->name);
                free(e->class_name);
                free(e->capture_source);
                free(e->coverage);
                for (size_t j = 0; j < e->n_regs; j++)
                        free(e->regs[j].name);
                free(e->regs);
                kvs_free(e->props, e->n_props);
        }
        free(d->engines);
        for (size_t i = 0; i < d->n_contexts; i++) {
                struct gd_context *c = &d->contexts[i];
                free(c->name);
                for (size_t j = 0; j < c->n_lrcs; j++) {
                        gd_blob_clear(&c->lrcs[j].hwsp);
                        gd_blob_clear(&c->lrcs[j].hwctx);
                }
                free(c->lrcs);
                free(c->jobs);
                kvs_free(c->props, c->n_props);
        }
        free(d->contexts);
        for (size_t i = 0; i < d->n_vmas; i++) {
                free(d->vmas[i].kind);
                free(d->vmas[i].engine);
                gd_blob_clear(&d->vmas[i].blob);
        }
        free(d->vmas);
        for (size_t i = 0; i < d->n_blobs; i++)
                gd_blob_clear(&d->blobs[i]);
        free(d->blobs);
        for (size_t i = 0; i < d->n_gts; i++) {
                free(d->gts[i].type);
                free(d->gts[i].ip_version);
        }
        free(d->gts);
        free(d->batch_addrs);
        kvs_free(d->kvs, d->n_kvs);
        for (size_t i = 0; i < d->n_diags; i++)
                free(d->diags[i].message);
        free(d->diags);
        free(d->first_line);
        free(d->reason);
        free(d->kernel);
        free(d->driver);
        free(d->process_name);
        free(d->pci_subsystem);
        free(d->platform);
        free(d->snapshot_time);
        free(d->uptime);
        free(d->boottime);
        free(d->signature);
        gd_input_close(&d->input);
        gd_input_close(&d->source.outer);
        gd_extract_done(&d->source.extract);
        pthread_mutex_destroy(&d->lock);
        free(d);
}

static int vma_cmp(const void *a, const void *b) {
        const struct gd_vma *x = a, *y = b;
        return x->address < y->address ? -1 : x->address > y->address;
}

size_t gd_utf8_len(const unsigned char *s) {
        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                return (s[1] & 0xc0) == 0x80 ? 2 : 0;
        if (s[0] >= 0xe0 && s[0] <= 0xef) {
                if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
                        return 0;
                if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f))
                        return 0;
                return 3;
        }
        if (s[0] >= 0xf0 && s[0] <= 0xf4) {
                if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
                        return 0;
                if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
                        return 0;
                return 4;
        }
        return 0;
}

void gd_utf8_sanitize(char *str) {
        unsigned char *s = (unsigned char *)str;

        if (!s)
                return;
        while (*s) {
                size_t k = gd_utf8_len(s);
                if (k == 0) {
                        *s = '?';
                        k = 1;
                }
                s += k;
        }
}

static void kvs_sanitize(struct gd_kv *kvs, size_t n) {
        for (size_t i = 0; i < n; i++) {
                gd_utf8_sanitize(kvs[i].section);
                gd_utf8_sanitize(kvs[i].key);
                gd_utf8_sanitize(kvs[i].value);
        }
}

/* Every string of the model is dump text: make it valid UTF-8 once, here, so the JSON report,
 * the analysis and the CLI's terminal output never see broken sequences. */
static void model_sanitize(struct gpudump_dump *d) {
        char **top[] = { &d->reason,  &d->kernel,        &d->driver, &d->process_name, &d->pci_subsystem,
                         &d->platform, &d->snapshot_time, &d->uptime, &d->boottime,     &d->first_line };
        for (size_t i = 0; i < ELEMENTSOF(top); i++)
                gd_utf8_sanitize(*top[i]);
        for (size_t i = 0; i < d->n_gts; i++) {
                gd_utf8_sanitize(d->gts[i].type);
                gd_utf8_sanitize(d->gts[i].ip_version);
        }
        for (size_t i = 0; i < d->n_engines; i++) {
                struct gd_engine *e = &d->engines[i];
                gd_utf8_sanitize(e->name);
                gd_utf8_sanitize(e->class_name);
                gd_utf8_sanitize(e->capture_source);
                gd_utf8_sanitize(e->coverage);
                for (size_t j = 0; j < e->n_regs; j++)
                        gd_utf8_sanitize(e->regs[j].name);
                kvs_sanitize(e->props, e->n_props);
        }
        for (size_t i = 0; i < d->n_contexts; i++) {
                gd_utf8_sanitize(d->contexts[i].name);
                kvs_sanitize(d->contexts[i].props, d->contexts[i].n_props);
                for (size_t j = 0; j < d->contexts[i].n_lrcs; j++) {
                        gd_utf8_sanitize(d->contexts[i].lrcs[j].hwsp.name);
                        gd_utf8_sanitize(d->contexts[i].lrcs[j].hwctx.name);
                }
        }
        for (size_t i = 0; i < d->n_vmas; i++) {
                gd_utf8_sanitize(d->vmas[i].kind);
                gd_utf8_sanitize(d->vmas[i].engine);
                gd_utf8_sanitize(d->vmas[i].blob.name);
        }
        for (size_t i = 0; i < d->n_blobs; i++)
                gd_utf8_sanitize(d->blobs[i].name);
        kvs_sanitize(d->kvs, d->n_kvs);
        for (size_t i = 0; i < d->n_diags; i++)
                gd_utf8_sanitize(d->diags[i].message);
}

void gd_dump_finish(struct gpudump_dump *d) {
        model_sanitize(d);
        /* Stable enough: the kernel prints VMAs ascending already, so this is usually a no-op
         * pass; i915 objects arrive in list order and need it. */
        if (d->n_vmas > 1)
                qsort(d->vmas, d->n_vmas, sizeof(*d->vmas), vma_cmp);
        /* gpudump_vma_read() only gets the VMA: give it the way back to the input. */
        for (size_t i = 0; i < d->n_vmas; i++)
                d->vmas[i].dump = d;
}

uint64_t gd_dump_line_of(const struct gpudump_dump *d, uint64_t from_offset, uint64_t from_line,
                         uint64_t offset) {
        uint64_t line = from_line;
        const uint8_t *p = d->data + from_offset, *end;

        if (offset > d->size)
                offset = d->size;
        if (from_offset > offset)
                return from_line;
        end = d->data + offset;
        while (p < end) {
                const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
                if (!nl)
                        break;
                line++;
                p = nl + 1;
        }
        return line;
}

