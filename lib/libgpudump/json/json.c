/* SPDX-License-Identifier: MIT */
/*
 * The JSON report (schemas/gpudump-report.schema.json, documented in docs/report.md).
 * 64-bit addresses and register values are hex strings: JSON numbers lose precision above 2^53.
 * VMA hashes are computed first (on a pool of threads: several VMAs at once, or one big VMA
 * decoded and hashed in a pipeline), so decoding damage they find is part of the report's
 * diagnostics.
 */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "gd-macro.h"
#include "formats.h"
#include "intel-devices.h"
#include "json.h"

/* Below this much encoded text per thread, another thread costs more than it saves. */
#define THREAD_MIN_BYTES (8u << 20)

static const char *encoding_name(enum gd_encoding e) {
        switch (e) {
        case GD_ENC_A85:
                return "ascii85";
        case GD_ENC_A85_ZSTD:
                return "ascii85-zstd";
        case GD_ENC_A85_ZLIB:
                return "ascii85-zlib";
        case GD_ENC_HEX_WORDS:
                return "hex-words";
        case GD_ENC_RAW:
                return "raw";
        case GD_ENC_A85_ZEROFILL:
                return "ascii85-zerofill";
        default:
                return "none";
        }
}

static const char *severity_name(enum gpudump_severity s) {
        switch (s) {
        case GPUDUMP_SEVERITY_ERROR:
                return "error";
        case GPUDUMP_SEVERITY_WARNING:
                return "warning";
        default:
                return "info";
        }
}

/* json-c reports allocation failure by NULL; collect it once instead of checking every call. */
struct jb {
        bool oom;
};

/* Dump text is whatever the kernel (or a damaged file) holds; JSON must be valid UTF-8, so
 * invalid bytes become '?'. */
static struct json_object *jstr(struct jb *b, const char *s) {
        struct json_object *o;
        const unsigned char *p = (const unsigned char *)(s ? s : "");
        size_t i = 0, n = strlen((const char *)p);
        _cleanup_free_ char *copy = NULL;

        while (i < n) {
                size_t k = gd_utf8_len(p + i);
                if (k == 0) {
                        if (!copy) {
                                copy = strdup((const char *)p);
                                if (!copy) {
                                        b->oom = true;
                                        return NULL;
                                }
                        }
                        copy[i] = '?';
                        k = 1;
                }
                i += k;
        }
        o = json_object_new_string(copy ? copy : (const char *)p);
        if (!o)
                b->oom = true;
        return o;
}

static struct json_object *jhex(struct jb *b, uint64_t v) {
        char buf[24];
        snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
        return jstr(b, buf);
}

static struct json_object *jint(struct jb *b, int64_t v) {
        struct json_object *o = json_object_new_int64(v);
        if (!o)
                b->oom = true;
        return o;
}

/* Sizes are unsigned 64-bit in the model but JSON integers are signed: a damaged dump may claim
 * an absurd length, which is clamped rather than rendered negative. */
static struct json_object *juint(struct jb *b, uint64_t v) {
        return jint(b, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

static struct json_object *jbool(struct jb *b, bool v) {
        struct json_object *o = json_object_new_boolean(v);
        if (!o)
                b->oom = true;
        return o;
}

static struct json_object *jobj(struct jb *b) {
        struct json_object *o = json_object_new_object();
        if (!o)
                b->oom = true;
        return o;
}

static struct json_object *jarr(struct jb *b) {
        struct json_object *o = json_object_new_array();
        if (!o)
                b->oom = true;
        return o;
}

static void add(struct jb *b, struct json_object *obj, const char *key, struct json_object *val) {
        if (!obj || !val) {
                json_object_put(val);
                b->oom = true;
                return;
        }
        if (json_object_object_add(obj, key, val) < 0)
                b->oom = true;
}

static void push(struct jb *b, struct json_object *arr, struct json_object *val) {
        if (!arr || !val || json_object_array_add(arr, val) < 0) {
                json_object_put(val);
                b->oom = true;
        }
}

static void add_str(struct jb *b, struct json_object *o, const char *key, const char *s) {
        if (s)
                add(b, o, key, jstr(b, s));
}

static void add_int_if(struct jb *b, struct json_object *o, const char *key, int64_t v) {
        if (v >= 0)
                add(b, o, key, jint(b, v));
}

/* Seqnos may be negative (a new queue starts at -127, so -1 is a real one): only the model's
 * GD_SEQNO_NONE means absent. */
static void add_seqno(struct jb *b, struct json_object *o, const char *key, int64_t v) {
        if (v != GD_SEQNO_NONE)
                add(b, o, key, jint(b, v));
}

/* ---- blob contents: hash and optional base64 ---- */

struct blob_info {
        const struct gd_blob *blob;
        char sha[65];
        int r;         /* result of hashing; 1 when not attempted */
        struct gd_blob_diag diag; /* damage found while hashing, added in item order */
};

struct hash_job {
        struct gpudump_dump *d;
        struct blob_info *items;
        size_t n;
        size_t next; /* atomically claimed index */
        size_t skip; /* an item hashed apart (pipelined), or SIZE_MAX */
};

static bool hashable(const struct gd_blob *b) {
        return b->encoding != GD_ENC_NONE && b->error == 0;
}

static void *hash_worker(void *userdata) {
        struct hash_job *j = userdata;

        for (;;) {
                size_t i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
                if (i >= j->n)
                        break;
                struct blob_info *bi = &j->items[i];
                if (i == j->skip)
                        continue;
                if (!hashable(bi->blob)) {
                        bi->r = -ENODATA;
                        continue;
                }
                if (bi->blob->hash) {
                        /* Hashed while parsing (GPUDUMP_OPEN_HASH). */
                        bi->r = bi->blob->hash->r;
                        memcpy(bi->sha, bi->blob->hash->sha, sizeof(bi->sha));
                        bi->diag = bi->blob->hash->diag;
                        continue;
                }
                bi->r = gd_blob_sha256_full(j->d, bi->blob, false, &bi->diag, bi->sha);
        }
        return NULL;
}

static uint64_t encoded_bytes(const struct gd_blob *b) {
        uint64_t bytes = 0;
        for (size_t k = 0; k < b->n_spans; k++)
                bytes += b->spans[k].length;
        return bytes;
}

/* A pool of gd_dump_threads() threads, this call's own: blobs are independent streams, so the
 * threads take the next unhashed one until none is left. When one blob outweighs all the others
 * together (a single big VMA), it is hashed first on its own, pipelined: one thread decodes while
 * another hashes. Damage is held per blob and added in blob order once all are done, so the
 * report is the same for any number of threads. */
static void hash_all(struct gpudump_dump *d, struct blob_info *items, size_t n) {
        struct hash_job job = { .d = d, .items = items, .n = n, .skip = SIZE_MAX };
        pthread_t th[GD_MAX_THREADS - 1];
        size_t nth = 0, big = SIZE_MAX, want;
        uint64_t bytes = 0, big_bytes = 0;
        unsigned threads = 1;

        for (size_t i = 0; i < n; i++) {
                if (!hashable(items[i].blob) || items[i].blob->hash)
                        continue;
                uint64_t b = encoded_bytes(items[i].blob);
                bytes += b;
                if (b > big_bytes) {
                        big_bytes = b;
                        big = i;
                }
        }
        /* Finding the CPU count reads /sys/devices/system/cpu/online: only ask when threads
         * could help (small inputs, as the fuzzers give, stay on this thread). */
        if (bytes >= THREAD_MIN_BYTES)
                threads = gd_dump_threads(d);
        if (threads > 1 && big != SIZE_MAX && big_bytes >= THREAD_MIN_BYTES && big_bytes > bytes - big_bytes) {
                items[big].r = gd_blob_sha256_full(d, items[big].blob, true, &items[big].diag, items[big].sha);
                job.skip = big;
                bytes -= big_bytes;
        }
        /* Each thread gets at least THREAD_MIN_BYTES of text, and there are no more threads
         * than blobs. */
        want = threads;
        if (want > n)
                want = n;
        if (want > bytes / THREAD_MIN_BYTES)
                want = (size_t)(bytes / THREAD_MIN_BYTES);
        for (; nth + 1 < want; nth++)
                if (pthread_create(&th[nth], NULL, hash_worker, &job) != 0)
                        break;
        hash_worker(&job);
        for (size_t i = 0; i < nth; i++)
                pthread_join(th[i], NULL);
        for (size_t i = 0; i < n; i++)
                gd_blob_diag_flush(d, items[i].blob, &items[i].diag);
}

static struct json_object *jbase64(struct jb *b, struct gpudump_dump *d, const struct gd_blob *blob) {
        _cleanup_free_ void *data = NULL;
        _cleanup_free_ char *out = NULL;
        size_t size = 0;

        if (gd_blob_decode(d, blob, &data, &size) < 0)
                return NULL;
        /* EVP_EncodeBlock takes an int; base64 of more than 1 GiB in one JSON string is not
         * useful anyway (gpudump_vma_read() is the way to get such contents). */
        if (size > (1u << 30))
                return NULL;
        out = malloc(4 * ((size + 2) / 3) + 1);
        if (!out) {
                b->oom = true;
                return NULL;
        }
        EVP_EncodeBlock((unsigned char *)out, data, (int)size);
        return jstr(b, out);
}

static void add_blob_contents(struct jb *b, struct gpudump_dump *d, struct json_object *o,
                              const struct blob_info *bi, unsigned flags) {
        const struct gd_blob *blob = bi->blob;

        add(b, o, "encoding", jstr(b, encoding_name(blob->encoding)));
        if (blob->error)
                add(b, o, "error", jint(b, blob->error));
        /* An i915 zlib object also learns it does not decode when its length is asked for
         * (with GPUDUMP_JSON_NO_SHA256, nothing else decodes it). */
        bool damaged = bi->r == -EBADMSG ||
                       (blob->encoding == GD_ENC_A85_ZLIB &&
                        __atomic_load_n(&blob->inflate_state, __ATOMIC_ACQUIRE) == -1);
        if (bi->r == 0)
                add(b, o, "sha256", jstr(b, bi->sha));
        else if (damaged)
                add(b, o, "damaged", jbool(b, true));
        if ((flags & GPUDUMP_JSON_INCLUDE_VMA_DATA) && blob->encoding != GD_ENC_NONE && !blob->error &&
            !damaged) {
                struct json_object *s = jbase64(b, d, blob);
                if (s)
                        add(b, o, "data", s);
        }
}

static struct json_object *blob_json(struct jb *b, struct gpudump_dump *d, const struct blob_info *bi,
                                     const char *name, unsigned flags) {
        struct json_object *o = jobj(b);

        add_str(b, o, "name", name ? name : bi->blob->name);
        add(b, o, "length", juint(b, bi->blob->declared_length));
        add_blob_contents(b, d, o, bi, flags);
        return o;
}

/* ---- sections ---- */

static void add_kvs(struct jb *b, struct json_object *o, const char *key, const struct gd_kv *kvs,
                    size_t n, bool with_section) {
        if (n == 0)
                return;
        struct json_object *a = jarr(b);
        for (size_t i = 0; i < n; i++) {
                struct json_object *e = jobj(b);
                if (with_section)
                        add_str(b, e, "section", kvs[i].section);
                add(b, e, "key", jstr(b, kvs[i].key));
                add(b, e, "value", jstr(b, kvs[i].value));
                push(b, a, e);
        }
        add(b, o, key, a);
}

static struct json_object *engine_json(struct jb *b, const struct gd_engine *e) {
        struct json_object *o = jobj(b), *regs = jobj(b), *widths = NULL;

        add(b, o, "name", jstr(b, e->name));
        add_str(b, o, "class", e->class_name);
        add(b, o, "instance", jint(b, e->instance));
        if (e->logical_instance >= 0)
                add(b, o, "logical_instance", jint(b, e->logical_instance));
        add(b, o, "blamed", jbool(b, e->blamed));
        add_str(b, o, "capture_source", e->capture_source);
        add_str(b, o, "coverage", e->coverage);
        add(b, o, "reserved", jbool(b, e->reserved));
        for (size_t i = 0; i < e->n_regs; i++) {
                _cleanup_free_ char *alias = NULL;
                const char *key = e->regs[i].name;
                /* A name printed twice (v6.8 prints MI_MODE and MODE both as RING_MODE) keeps
                 * both values: the first under the name, as gpudump_engine_find_register()
                 * answers, the next ones as "NAME#2", "NAME#3", ... ('#' is in no register
                 * name; a clash with one anyway moves on to the next number). */
                for (unsigned k = 2; regs && json_object_object_get_ex(regs, key, NULL); k++) {
                        free(alias);
                        if (asprintf(&alias, "%s#%u", e->regs[i].name, k) < 0) {
                                alias = NULL;
                                b->oom = true;
                                break;
                        }
                        key = alias;
                }
                if (b->oom)
                        break;
                add(b, regs, key, jhex(b, e->regs[i].value));
                if (e->regs[i].width == 64) {
                        if (!widths)
                                widths = jarr(b);
                        push(b, widths, jstr(b, key));
                }
        }
        add(b, o, "registers", regs);
        if (widths)
                add(b, o, "registers_64bit", widths);
        add_kvs(b, o, "properties", e->props, e->n_props, false);
        return o;
}

static struct json_object *lrc_json(struct jb *b, struct gpudump_dump *d, const struct gd_lrc *l,
                                    const struct blob_info *hwsp, const struct blob_info *hwctx,
                                    unsigned flags) {
        struct json_object *o = jobj(b);

        add(b, o, "context_desc", jhex(b, l->context_desc));
        if (l->ring_address != UINT64_MAX)
                add(b, o, "ring_address", jhex(b, l->ring_address));
        if (l->indirect_ring_state != UINT64_MAX)
                add(b, o, "indirect_ring_state", jhex(b, l->indirect_ring_state));
        add_int_if(b, o, "head", l->head);
        add_int_if(b, o, "tail_internal", l->tail_internal);
        add_int_if(b, o, "tail_memory", l->tail_memory);
        if (l->ring_start != UINT64_MAX)
                add(b, o, "ring_start", jhex(b, l->ring_start));
        add_seqno(b, o, "start_seqno", l->start_seqno);
        add_seqno(b, o, "seqno", l->seqno);
        if (l->timestamp >= 0)
                add(b, o, "timestamp", jhex(b, (uint64_t)l->timestamp));
        if (l->job_timestamp >= 0)
                add(b, o, "job_timestamp", jhex(b, (uint64_t)l->job_timestamp));
        if (l->hwsp.encoding != GD_ENC_NONE || l->hwsp.error)
                add(b, o, "hwsp", blob_json(b, d, hwsp, "HWSP", flags));
        if (l->hwctx.encoding != GD_ENC_NONE || l->hwctx.error)
                add(b, o, "hwctx", blob_json(b, d, hwctx, "HWCTX", flags));
        return o;
}

static struct json_object *context_json(struct jb *b, struct gpudump_dump *d, const struct gd_context *c,
                                        const struct blob_info *lrc_infos, unsigned flags) {
        struct json_object *o = jobj(b), *lrcs = jarr(b), *jobs = jarr(b);

        add_int_if(b, o, "guc_id", c->guc_id);
        add_str(b, o, "name", c->name);
        add_int_if(b, o, "class", c->class_id);
        add(b, o, "logical_mask", jhex(b, c->logical_mask));
        if (c->width > 0)
                add(b, o, "width", jint(b, c->width));
        add_int_if(b, o, "ref", c->ref);
        add_int_if(b, o, "timeout_ms", c->timeout_ms);
        add_int_if(b, o, "timeslice_us", c->timeslice_us);
        add_int_if(b, o, "preempt_timeout_us", c->preempt_timeout_us);
        add_seqno(b, o, "seqno", c->n_lrcs ? c->lrcs[0].seqno : GD_SEQNO_NONE);
        add_seqno(b, o, "start_seqno", c->n_lrcs ? c->lrcs[0].start_seqno : GD_SEQNO_NONE);
        if (c->schedule_state >= 0)
                add(b, o, "schedule_state", jhex(b, (uint64_t)c->schedule_state));
        if (c->flags >= 0)
                add(b, o, "flags", jhex(b, (uint64_t)c->flags));
        for (size_t i = 0; i < c->n_lrcs; i++)
                push(b, lrcs, lrc_json(b, d, &c->lrcs[i], &lrc_infos[2 * i], &lrc_infos[2 * i + 1], flags));
        add(b, o, "lrcs", lrcs);
        for (size_t i = 0; i < c->n_jobs; i++) {
                struct json_object *j = jobj(b);
                add_seqno(b, j, "seqno", c->jobs[i].seqno);
                if (c->jobs[i].fence_signaled >= 0)
                        add(b, j, "fence_signaled", jbool(b, c->jobs[i].fence_signaled));
                if (c->jobs[i].finished >= 0)
                        add(b, j, "finished", jbool(b, c->jobs[i].finished));
                push(b, jobs, j);
        }
        add(b, o, "jobs", jobs);
        add_kvs(b, o, "properties", c->props, c->n_props, false);
        return o;
}

static struct json_object *vma_json(struct jb *b, struct gpudump_dump *d, struct gd_vma *v,
                                    const struct blob_info *bi, unsigned flags) {
        struct json_object *o = jobj(b);

        add(b, o, "address", jhex(b, v->address));
        /* The length gpudump_vma_get_length() gives: i915 zlib objects declare none, so theirs
         * is what they inflate to (already known once hashed; decoded here otherwise). */
        add(b, o, "length", juint(b, gd_vma_length(d, v)));
        add_str(b, o, "kind", v->kind);
        add_str(b, o, "engine", v->engine);
        add_blob_contents(b, d, o, bi, flags);
        return o;
}

/* Where the dump was found in the input: only for dumps found in other text (mail, posts, logs). */
static struct json_object *source_json(struct jb *b, const struct gpudump_dump *d) {
        const struct gd_found *f = d->source.found;
        struct json_object *o = jobj(b), *stripped = jarr(b);

        add(b, o, "index", juint(b, d->source.index));
        add(b, o, "count", juint(b, d->source.n_found));
        add(b, o, "dump_size", juint(b, d->size));
        add(b, o, "first_line", juint(b, f->first_line));
        add(b, o, "last_line", juint(b, f->last_line));
        for (unsigned bit = 1; bit && bit <= GD_STRIP__LAST; bit <<= 1)
                if (f->stripped & bit)
                        push(b, stripped, jstr(b, gd_strip_name(bit)));
        add(b, o, "stripped", stripped);
        return o;
}

static struct json_object *build(struct jb *b, struct gpudump_dump *d, unsigned flags) {
        struct json_object *o = jobj(b);
        _cleanup_free_ struct blob_info *infos = NULL;
        size_t n_lrcs = 0, n_items, k = 0;

        /* Every blob of the dump, hashed in one batch. */
        for (size_t i = 0; i < d->n_contexts; i++)
                n_lrcs += d->contexts[i].n_lrcs;
        n_items = d->n_vmas + d->n_blobs + 2 * n_lrcs;
        infos = calloc(n_items ? n_items : 1, sizeof(*infos));
        if (!infos) {
                json_object_put(o);
                b->oom = true;
                return NULL;
        }
        for (size_t i = 0; i < d->n_vmas; i++)
                infos[k++].blob = &d->vmas[i].blob;
        for (size_t i = 0; i < d->n_blobs; i++)
                infos[k++].blob = &d->blobs[i];
        for (size_t i = 0; i < d->n_contexts; i++)
                for (size_t j = 0; j < d->contexts[i].n_lrcs; j++) {
                        infos[k++].blob = &d->contexts[i].lrcs[j].hwsp;
                        infos[k++].blob = &d->contexts[i].lrcs[j].hwctx;
                }
        for (size_t i = 0; i < n_items; i++)
                infos[i].r = 1;
        if (!(flags & GPUDUMP_JSON_NO_SHA256))
                hash_all(d, infos, n_items);

        add(b, o, "schema_version", jint(b, GD_REPORT_SCHEMA_VERSION));
        add(b, o, "format", jstr(b, gd_format_name(d->format)));
        add(b, o, "size", juint(b, d->source.found ? d->source.input_size : d->size));
        add(b, o, "compressed", jbool(b, d->input.was_compressed));
        add(b, o, "truncated", jbool(b, d->truncated));
        add(b, o, "empty", jbool(b, d->empty));
        add_str(b, o, "first_line", d->first_line);
        if (d->source.found)
                add(b, o, "source", source_json(b, d));
        add(b, o, "signature", jstr(b, gd_signature(d)));
        add_str(b, o, "reason", d->reason);
        add_str(b, o, "kernel", d->kernel);
        add_str(b, o, "snapshot_time", d->snapshot_time);
        add_str(b, o, "uptime", d->uptime);
        add_str(b, o, "boottime", d->boottime);

        struct json_object *dev = jobj(b);
        if (d->pci_id >= 0) {
                char buf[16];
                snprintf(buf, sizeof(buf), "0x%04x", (unsigned)d->pci_id);
                add(b, dev, "pci_id", jstr(b, buf));
        }
        if (d->pci_revision >= 0) {
                char buf[16];
                snprintf(buf, sizeof(buf), "0x%02x", (unsigned)d->pci_revision);
                add(b, dev, "pci_revision", jstr(b, buf));
        }
        add_str(b, dev, "driver", d->driver);
        add_str(b, dev, "pci_subsystem", d->pci_subsystem);
        {
                /* The printed platform wins (it is what the kernel saw); the PCI id's table
                 * entry names it when the dump does not, and gives the version either way. */
                const struct gd_intel_platform *p;
                enum gd_gfx_ver_source src;
                unsigned ver = gd_dump_gfx_ver(d, &src, &p);
                add_str(b, dev, "platform", d->platform ? d->platform : p ? p->name : NULL);
                if (p && p->variant)
                        add_str(b, dev, "variant", p->variant);
                if (ver) {
                        char buf[16];
                        gd_gfx_ver_format(ver, buf, sizeof(buf));
                        add(b, dev, "graphics_version", jstr(b, buf));
                        add(b, dev, "graphics_version_source", jstr(b, gd_gfx_ver_source_name(src)));
                }
        }
        add(b, o, "device", dev);

        if (d->process_name || d->pid >= 0) {
                struct json_object *p = jobj(b);
                add_str(b, p, "name", d->process_name);
                add_int_if(b, p, "pid", d->pid);
                add(b, o, "process", p);
        }

        if (d->gt_id >= 0)
                add(b, o, "gt_id", jint(b, d->gt_id));
        struct json_object *gts = jarr(b);
        for (size_t i = 0; i < d->n_gts; i++) {
                struct json_object *g = jobj(b);
                add(b, g, "id", jint(b, d->gts[i].id));
                add(b, g, "tile", jint(b, d->gts[i].tile));
                add_str(b, g, "type", d->gts[i].type);
                add_str(b, g, "ip_version", d->gts[i].ip_version);
                if (d->gts[i].cs_reference_clock)
                        add(b, g, "cs_reference_clock", juint(b, d->gts[i].cs_reference_clock));
                push(b, gts, g);
        }
        add(b, o, "gts", gts);

        struct json_object *engines = jarr(b);
        for (size_t i = 0; i < d->n_engines; i++)
                push(b, engines, engine_json(b, &d->engines[i]));
        add(b, o, "engines", engines);

        struct json_object *contexts = jarr(b);
        const struct blob_info *lrc_infos = infos + d->n_vmas + d->n_blobs;
        for (size_t i = 0; i < d->n_contexts; i++) {
                push(b, contexts, context_json(b, d, &d->contexts[i], lrc_infos, flags));
                lrc_infos += 2 * d->contexts[i].n_lrcs;
        }
        add(b, o, "contexts", contexts);

        struct json_object *batches = jarr(b);
        for (size_t i = 0; i < d->n_batch_addrs; i++)
                push(b, batches, jhex(b, d->batch_addrs[i]));
        add(b, o, "batch_addrs", batches);

        if (d->vm_error_present || d->vm_error)
                add(b, o, "vm_error", jint(b, d->vm_error));
        struct json_object *vmas = jarr(b);
        for (size_t i = 0; i < d->n_vmas; i++)
                push(b, vmas, vma_json(b, d, &d->vmas[i], &infos[i], flags));
        add(b, o, "vmas", vmas);

        struct json_object *blobs = jarr(b);
        for (size_t i = 0; i < d->n_blobs; i++)
                push(b, blobs, blob_json(b, d, &infos[d->n_vmas + i], NULL, flags));
        add(b, o, "blobs", blobs);

        add_kvs(b, o, "extra", d->kvs, d->n_kvs, true);

        /* Last: hashing and base64 above may have found damage. */
        struct json_object *diags = jarr(b);
        pthread_mutex_lock(&d->lock);
        for (size_t i = 0; i < d->n_diags; i++) {
                struct json_object *g = jobj(b);
                add(b, g, "severity", jstr(b, severity_name(d->diags[i].severity)));
                add(b, g, "offset", juint(b, d->diags[i].offset));
                add(b, g, "line", juint(b, d->diags[i].line));
                add(b, g, "message", jstr(b, d->diags[i].message));
                push(b, diags, g);
        }
        pthread_mutex_unlock(&d->lock);
        add(b, o, "diagnostics", diags);
        return o;
}

_public_ int gpudump_dump_to_json(struct gpudump_dump *dump, unsigned flags, char **ret_json) {
        struct jb b = {};
        struct json_object *o;
        int r;

        if (!dump || !ret_json)
                return -EINVAL;
        o = build(&b, dump, flags);
        if (!o || b.oom) {
                json_object_put(o);
                return -ENOMEM;
        }
        r = gd_analysis_to_json(dump, o, flags);
        if (r < 0) {
                json_object_put(o);
                return r;
        }
        return gd_json_take_string(o, flags & GPUDUMP_JSON_PRETTY, ret_json);
}

int gd_json_take_string(struct json_object *o, bool pretty, char **ret_json) {
        const char *s = json_object_to_json_string_ext(o, (pretty ? JSON_C_TO_STRING_PRETTY
                                                                  : JSON_C_TO_STRING_PLAIN) |
                                                              JSON_C_TO_STRING_NOSLASHESCAPE);
        char *copy = s ? strdup(s) : NULL;

        json_object_put(o);
        if (!copy)
                return -ENOMEM;
        *ret_json = copy;
        return 0;
}
