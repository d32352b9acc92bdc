/* SPDX-License-Identifier: MIT */
/*
 * The public dump object: construction (input, detection, parse, analysis) and the getters.
 * The one file that knows every layer (input, model, formats, analysis, json); no file of the
 * library calls it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "gd-macro.h"
#include "analysis.h"
#include "dump-internal.h"
#include "extract.h"
#include "formats.h"
#include "input.h"
#include "json.h"
#include "model.h"

static struct gpudump_dump *dump_alloc(void) {
        struct gpudump_dump *d = calloc(1, sizeof(*d));

        if (!d)
                return NULL;
        d->n_ref = 1;
        d->pid = -1;
        d->pci_id = -1;
        d->pci_revision = -1;
        d->gt_id = -1;
        pthread_mutex_init(&d->lock, NULL);
        return d;
}

/* The dump owns its model and its analysis: the analysis goes first, it points into the model.
 * A dump opened by index reads its parent's bytes: the parent goes last. */
static void dump_free(struct gpudump_dump *d) {
        struct gpudump_dump *parent;

        if (!d)
                return;
        parent = d->source.parent;
        gd_analysis_free(d->analysis);
        d->analysis = NULL;
        gd_dump_free(d);
        gpudump_dump_unref(parent);
}

DEFINE_TRIVIAL_CLEANUP_FUNC(struct gpudump_dump *, dump_free);

/* Decode the bytes of a found dump (not owned: they belong to the extraction). */
static void dump_use_found(struct gpudump_dump *d, const struct gd_found *f, size_t index) {
        bool compressed = d->input.was_compressed;

        d->input = (struct gd_input){ .data = f->data, .size = f->size, .was_compressed = compressed };
        d->source.found = f;
        d->source.index = index;
}

/* Where the dump is: a bare dump (a format claims the input's start) is decoded in place; other
 * text (mail, a post, a log) is searched for dumps (input/extract.c) and the first one found is
 * decoded here, the others by gpudump_dump_new_embedded(). Text in which nothing is found is
 * still given to the formats, whose own detection may find a dump in it. */
static int dump_locate(struct gpudump_dump *d) {
        const uint8_t *p = d->input.data;
        size_t n = (size_t)d->input.size;
        int r;

        d->source.input_size = d->input.size;
        d->source.n_found = 1;
        if (n == 0 || gd_extract_is_bare(p, n) || gd_formats_claim_start(&d->input))
                return 0;
        r = gd_extract(p, n, &d->source.extract);
        if (r < 0)
                return r;
        if (d->source.extract.n_found == 0)
                return 0;
        d->source.n_found = d->source.extract.n_found;
        d->source.outer = d->input;
        dump_use_found(d, &d->source.extract.found[0], 0);
        /* The parsers read the cleaned copies: the input's pages can go (re-read if touched). */
        gd_input_release(&d->source.outer, 0, d->source.outer.size, true);
        return 0;
}

/* The decode path, top to bottom: the input is read; the dump is located in it; formats/ detects
 * and fills the model; the model is finished; the analysis reads it (and the command decoder). */
static int dump_parse(struct gpudump_dump *d, const struct gd_format *forced, unsigned flags) {
        int r;

        d->data = d->input.data;
        d->size = d->input.size;
        d->threads = (flags >> 8) & 0x7fu;
        if (d->threads > GD_MAX_THREADS)
                d->threads = GD_MAX_THREADS;
        /* The hash pool lives for the parse only; without it the report hashes (no error:
         * hashing early is only faster). */
        if ((flags & GPUDUMP_OPEN_HASH) && gd_hash_pool_new(d, &d->hash_pool) < 0)
                d->hash_pool = NULL;
        r = forced ? forced->parse(d) : gd_formats_parse(d);
        if (d->hash_pool) {
                gd_hash_pool_finish(d->hash_pool);
                d->hash_pool = gd_hash_pool_free(d->hash_pool);
        }
        if (r < 0)
                return r;
        gd_dump_finish(d);
        /* Text in which nothing was found, decoded in place, holds no dump after all. */
        if (d->format == GPUDUMP_FORMAT_UNKNOWN && !d->source.found && !d->source.parent)
                d->source.n_found = 0;

        if (d->format == GPUDUMP_FORMAT_UNKNOWN) {
                r = gd_input_first_line(&d->input, &d->first_line);
                if (r < 0)
                        return r;
                gd_diag_add(d, GPUDUMP_SEVERITY_INFO, 0, d->size ? 1 : 0,
                            "not a recognised dump format (first line: \"%s\")", d->first_line);
        }
        if (!(flags & GPUDUMP_OPEN_NO_ANALYSIS)) {
                r = gd_analyse(d);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* A dump whose input is read: find the dump in it, then decode. */
static int dump_open(struct gpudump_dump *d, unsigned flags) {
        int r = dump_locate(d);
        return r < 0 ? r : dump_parse(d, NULL, flags);
}

_public_ int gpudump_dump_new_from_fd(int fd, unsigned flags, struct gpudump_dump **ret) {
        _cleanup_(dump_freep) struct gpudump_dump *d = NULL;
        int r;

        if (fd < 0 || !ret)
                return -EINVAL;
        d = dump_alloc();
        if (!d)
                return -ENOMEM;
        r = gd_input_from_fd(&d->input, fd);
        if (r < 0)
                return r;
        r = dump_open(d, flags);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(d);
        return 0;
}

_public_ int gpudump_dump_new_from_path(const char *path, unsigned flags, struct gpudump_dump **ret) {
        _cleanup_close_ int fd = -EBADF;

        if (!path || !ret)
                return -EINVAL;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return -errno;
        return gpudump_dump_new_from_fd(fd, flags, ret);
}

_public_ int gpudump_dump_new_from_memory(const void *data, size_t size, unsigned flags,
                                          struct gpudump_dump **ret) {
        _cleanup_(dump_freep) struct gpudump_dump *d = NULL;
        int r;

        if ((!data && size > 0) || !ret)
                return -EINVAL;
        d = dump_alloc();
        if (!d)
                return -ENOMEM;
        r = gd_input_from_memory(&d->input, data, size);
        if (r < 0)
                return r;
        r = dump_open(d, flags);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(d);
        return 0;
}

/* The dump that owns the input and what was found in it. */
static struct gpudump_dump *dump_root(struct gpudump_dump *d) {
        return d->source.parent ? d->source.parent : d;
}

_public_ size_t gpudump_dump_get_n_embedded(struct gpudump_dump *dump) {
        return dump ? dump->source.n_found : 0;
}

_public_ size_t gpudump_dump_get_embedded_index(struct gpudump_dump *dump) {
        return dump ? dump->source.index : 0;
}

static uint64_t count_lines(const uint8_t *p, uint64_t n) {
        uint64_t lines = 0;
        const uint8_t *end = p + n;

        for (const uint8_t *q = p; q < end; q++) {
                q = memchr(q, '\n', (size_t)(end - q));
                if (!q)
                        break;
                lines++;
        }
        return lines + (n > 0 && p[n - 1] != '\n');
}

_public_ int gpudump_dump_get_embedded_lines(struct gpudump_dump *dump, size_t index,
                                             uint64_t *ret_first_line, uint64_t *ret_last_line) {
        struct gpudump_dump *root;
        uint64_t first = 1, last;

        if (!dump)
                return -EINVAL;
        root = dump_root(dump);
        if (index >= root->source.n_found)
                return -ERANGE;
        if (root->source.extract.n_found > 0) {
                first = root->source.extract.found[index].first_line;
                last = root->source.extract.found[index].last_line;
        } else
                last = count_lines(root->input.data, root->input.size);
        if (ret_first_line)
                *ret_first_line = first;
        if (ret_last_line)
                *ret_last_line = last;
        return 0;
}

_public_ int gpudump_dump_new_embedded(struct gpudump_dump *dump, size_t index, unsigned flags,
                                       struct gpudump_dump **ret) {
        _cleanup_(dump_freep) struct gpudump_dump *d = NULL;
        struct gpudump_dump *root;
        int r;

        if (!dump || !ret)
                return -EINVAL;
        root = dump_root(dump);
        if (index >= root->source.n_found)
                return -ERANGE;
        d = dump_alloc();
        if (!d)
                return -ENOMEM;
        d->source.parent = gpudump_dump_ref(root);
        d->source.n_found = root->source.n_found;
        d->source.input_size = root->source.input_size;
        d->input = (struct gd_input){ .data = root->input.data, .size = root->input.size,
                                      .was_compressed = root->input.was_compressed };
        if (root->source.extract.n_found > 0)
                dump_use_found(d, &root->source.extract.found[index], index);
        r = dump_parse(d, NULL, flags);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(d);
        return 0;
}

/* Not public: the fuzz targets (tests/fuzz/) reach one parser whatever the input's start says. */
int gd_dump_new_from_memory_as(const void *data, size_t size, enum gpudump_format format,
                               unsigned flags, struct gpudump_dump **ret) {
        _cleanup_(dump_freep) struct gpudump_dump *d = NULL;
        const struct gd_format *f;
        int r;

        if ((!data && size > 0) || !ret)
                return -EINVAL;
        f = gd_format_by_id(format);
        if (!f)
                return -EINVAL;
        d = dump_alloc();
        if (!d)
                return -ENOMEM;
        r = gd_input_from_memory(&d->input, data, size);
        if (r < 0)
                return r;
        d->source.input_size = d->input.size;
        d->source.n_found = 1;
        r = dump_parse(d, f, flags);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(d);
        return 0;
}

_public_ struct gpudump_dump *gpudump_dump_ref(struct gpudump_dump *dump) {
        if (dump)
                __atomic_add_fetch(&dump->n_ref, 1, __ATOMIC_RELAXED);
        return dump;
}

_public_ int gpudump_dump_set_threads(struct gpudump_dump *dump, unsigned threads) {
        if (!dump)
                return -EINVAL;
        dump->threads = threads > GD_MAX_THREADS ? GD_MAX_THREADS : threads;
        return 0;
}

_public_ struct gpudump_dump *gpudump_dump_unref(struct gpudump_dump *dump) {
        if (dump && __atomic_sub_fetch(&dump->n_ref, 1, __ATOMIC_ACQ_REL) == 0)
                dump_free(dump);
        return NULL;
}

_public_ enum gpudump_format gpudump_dump_get_format(struct gpudump_dump *dump) {
        return dump ? dump->format : GPUDUMP_FORMAT_UNKNOWN;
}

_public_ const char *gpudump_format_to_string(enum gpudump_format format) {
        return gd_format_name(format);
}

_public_ uint64_t gpudump_dump_get_size(struct gpudump_dump *dump) {
        if (!dump)
                return 0;
        return dump->source.found ? dump->source.input_size : dump->size;
}

_public_ int gpudump_dump_is_empty(struct gpudump_dump *dump) {
        return dump && dump->empty;
}

_public_ const char *gpudump_dump_get_reason(struct gpudump_dump *dump) {
        return dump ? dump->reason : NULL;
}

_public_ const char *gpudump_dump_get_kernel(struct gpudump_dump *dump) {
        return dump ? dump->kernel : NULL;
}

_public_ const char *gpudump_dump_get_driver(struct gpudump_dump *dump) {
        return dump ? dump->driver : NULL;
}

_public_ const char *gpudump_dump_get_process_name(struct gpudump_dump *dump) {
        return dump ? dump->process_name : NULL;
}

_public_ int64_t gpudump_dump_get_process_pid(struct gpudump_dump *dump) {
        return dump ? dump->pid : -1;
}

_public_ int gpudump_dump_get_pci_id(struct gpudump_dump *dump) {
        return dump ? dump->pci_id : -1;
}

_public_ int gpudump_dump_get_pci_revision(struct gpudump_dump *dump) {
        return dump ? dump->pci_revision : -1;
}

_public_ const char *gpudump_dump_get_signature(struct gpudump_dump *dump) {
        return dump ? gd_signature(dump) : NULL;
}

_public_ struct gpudump_engine *gpudump_dump_get_blamed_engine(struct gpudump_dump *dump) {
        if (!dump)
                return NULL;
        for (size_t i = 0; i < dump->n_engines; i++)
                if (dump->engines[i].blamed)
                        return (struct gpudump_engine *)&dump->engines[i];
        return NULL;
}

_public_ size_t gpudump_dump_get_n_diagnostics(struct gpudump_dump *dump) {
        size_t n;

        if (!dump)
                return 0;
        pthread_mutex_lock(&dump->lock);
        n = dump->n_diags;
        pthread_mutex_unlock(&dump->lock);
        return n;
}

_public_ int gpudump_dump_get_diagnostic(struct gpudump_dump *dump, size_t index,
                                         enum gpudump_severity *ret_severity, uint64_t *ret_offset,
                                         uint64_t *ret_line, const char **ret_message) {
        int r = 0;

        if (!dump)
                return -EINVAL;
        pthread_mutex_lock(&dump->lock);
        if (index >= dump->n_diags)
                r = -ERANGE;
        else {
                const struct gd_diag *g = &dump->diags[index];
                if (ret_severity)
                        *ret_severity = g->severity;
                if (ret_offset)
                        *ret_offset = g->offset;
                if (ret_line)
                        *ret_line = g->line;
                if (ret_message)
                        *ret_message = g->message;
        }
        pthread_mutex_unlock(&dump->lock);
        return r;
}

/* The public handle types are the model structs themselves. */
static struct gd_engine *E(struct gpudump_engine *e) { return (struct gd_engine *)e; }
static struct gd_context *C(struct gpudump_context *c) { return (struct gd_context *)c; }
static struct gd_vma *V(struct gpudump_vma *v) { return (struct gd_vma *)v; }

_public_ size_t gpudump_dump_get_n_engines(struct gpudump_dump *dump) {
        return dump ? dump->n_engines : 0;
}

_public_ struct gpudump_engine *gpudump_dump_get_engine(struct gpudump_dump *dump, size_t index) {
        if (!dump || index >= dump->n_engines)
                return NULL;
        return (struct gpudump_engine *)&dump->engines[index];
}

_public_ const char *gpudump_engine_get_name(struct gpudump_engine *engine) {
        return engine ? E(engine)->name : NULL;
}

_public_ const char *gpudump_engine_get_class(struct gpudump_engine *engine) {
        return engine ? E(engine)->class_name : NULL;
}

_public_ int gpudump_engine_get_instance(struct gpudump_engine *engine) {
        return engine ? E(engine)->instance : -1;
}

_public_ int gpudump_engine_is_blamed(struct gpudump_engine *engine) {
        return engine && E(engine)->blamed;
}

_public_ size_t gpudump_engine_get_n_registers(struct gpudump_engine *engine) {
        return engine ? E(engine)->n_regs : 0;
}

_public_ int gpudump_engine_get_register(struct gpudump_engine *engine, size_t index,
                                         const char **ret_name, uint64_t *ret_value,
                                         unsigned *ret_width) {
        if (!engine)
                return -EINVAL;
        if (index >= E(engine)->n_regs)
                return -ERANGE;
        const struct gd_reg *r = &E(engine)->regs[index];
        if (ret_name)
                *ret_name = r->name;
        if (ret_value)
                *ret_value = r->value;
        if (ret_width)
                *ret_width = r->width;
        return 0;
}

_public_ int gpudump_engine_find_register(struct gpudump_engine *engine, const char *name,
                                          uint64_t *ret_value) {
        if (!engine || !name)
                return -EINVAL;
        for (size_t i = 0; i < E(engine)->n_regs; i++)
                if (strcmp(E(engine)->regs[i].name, name) == 0) {
                        if (ret_value)
                                *ret_value = E(engine)->regs[i].value;
                        return 0;
                }
        return -ENOENT;
}

_public_ size_t gpudump_dump_get_n_contexts(struct gpudump_dump *dump) {
        return dump ? dump->n_contexts : 0;
}

_public_ struct gpudump_context *gpudump_dump_get_context(struct gpudump_dump *dump, size_t index) {
        if (!dump || index >= dump->n_contexts)
                return NULL;
        return (struct gpudump_context *)&dump->contexts[index];
}

_public_ int64_t gpudump_context_get_guc_id(struct gpudump_context *ctx) {
        return ctx ? C(ctx)->guc_id : -1;
}

/* The context's seqnos live in its (first) LRC: the HWSP words the kernel printed. Any int
 * may be a seqno, so presence is the return value rather than a special seqno. */
static int seqno_out(int64_t v, int64_t *ret) {
        if (v == GD_SEQNO_NONE)
                return -ENODATA;
        if (ret)
                *ret = v;
        return 0;
}

_public_ int gpudump_context_get_seqno(struct gpudump_context *ctx, int64_t *ret_seqno) {
        if (!ctx)
                return -EINVAL;
        return seqno_out(C(ctx)->n_lrcs > 0 ? C(ctx)->lrcs[0].seqno : GD_SEQNO_NONE, ret_seqno);
}

_public_ int gpudump_context_get_start_seqno(struct gpudump_context *ctx, int64_t *ret_seqno) {
        if (!ctx)
                return -EINVAL;
        return seqno_out(C(ctx)->n_lrcs > 0 ? C(ctx)->lrcs[0].start_seqno : GD_SEQNO_NONE,
                         ret_seqno);
}

_public_ size_t gpudump_context_get_n_jobs(struct gpudump_context *ctx) {
        return ctx ? C(ctx)->n_jobs : 0;
}

_public_ int gpudump_context_get_job(struct gpudump_context *ctx, size_t index, int64_t *ret_seqno,
                                     int *ret_fence_signaled, int *ret_finished) {
        if (!ctx)
                return -EINVAL;
        if (index >= C(ctx)->n_jobs)
                return -ERANGE;
        const struct gd_job *j = &C(ctx)->jobs[index];
        if (ret_seqno)
                *ret_seqno = j->seqno;
        if (ret_fence_signaled)
                *ret_fence_signaled = j->fence_signaled;
        if (ret_finished)
                *ret_finished = j->finished;
        return 0;
}

_public_ size_t gpudump_dump_get_n_vmas(struct gpudump_dump *dump) {
        return dump ? dump->n_vmas : 0;
}

_public_ struct gpudump_vma *gpudump_dump_get_vma(struct gpudump_dump *dump, size_t index) {
        if (!dump || index >= dump->n_vmas)
                return NULL;
        return (struct gpudump_vma *)&dump->vmas[index];
}

_public_ struct gpudump_vma *gpudump_dump_find_vma(struct gpudump_dump *dump, uint64_t address) {
        ssize_t i;

        if (!dump)
                return NULL;
        i = gd_vma_floor(dump, address);
        if (i < 0 || dump->vmas[i].address != address)
                return NULL;
        /* Several objects may share an address (i915 per-engine objects): give the first. */
        while (i > 0 && dump->vmas[i - 1].address == address)
                i--;
        return (struct gpudump_vma *)&dump->vmas[i];
}

_public_ uint64_t gpudump_vma_get_address(struct gpudump_vma *vma) {
        return vma ? V(vma)->address : 0;
}

_public_ uint64_t gpudump_vma_get_length(struct gpudump_vma *vma) {
        return vma ? gd_vma_length(V(vma)->dump, V(vma)) : 0;
}

_public_ int gpudump_vma_get_error(struct gpudump_vma *vma) {
        return vma ? V(vma)->blob.error : 0;
}

_public_ const char *gpudump_vma_get_kind(struct gpudump_vma *vma) {
        return vma ? V(vma)->kind : NULL;
}

_public_ const char *gpudump_vma_get_engine(struct gpudump_vma *vma) {
        return vma ? V(vma)->engine : NULL;
}

_public_ int gpudump_vma_read(struct gpudump_vma *vma, void **ret_data, size_t *ret_size) {
        if (!vma || !ret_data || !ret_size)
                return -EINVAL;
        return gd_blob_decode(V(vma)->dump, &V(vma)->blob, ret_data, ret_size);
}

_public_ int gpudump_dump_read_va(struct gpudump_dump *dump, uint64_t va, void *buf, size_t size) {
        if (!dump || (!buf && size > 0))
                return -EINVAL;
        return gd_dump_read_va(dump, va, buf, size);
}

static const struct gd_blob *find_blob(struct gpudump_dump *d, const char *name) {
        for (size_t i = 0; i < d->n_blobs; i++)
                if (d->blobs[i].name && strcmp(d->blobs[i].name, name) == 0)
                        return &d->blobs[i];
        for (size_t i = 0; i < d->n_contexts; i++)
                for (size_t j = 0; j < d->contexts[i].n_lrcs; j++) {
                        const struct gd_lrc *l = &d->contexts[i].lrcs[j];
                        if (strcmp(name, "HWSP") == 0 && (l->hwsp.encoding != GD_ENC_NONE || l->hwsp.error))
                                return &l->hwsp;
                        if (strcmp(name, "HWCTX") == 0 && (l->hwctx.encoding != GD_ENC_NONE || l->hwctx.error))
                                return &l->hwctx;
                }
        /* i915 objects are VMAs with a kind: the first engine's one. */
        for (size_t i = 0; i < d->n_vmas; i++)
                if (d->vmas[i].kind && strcmp(d->vmas[i].kind, name) == 0)
                        return &d->vmas[i].blob;
        return NULL;
}

_public_ int gpudump_dump_read_blob(struct gpudump_dump *dump, const char *name, void **ret_data,
                                    size_t *ret_size) {
        const struct gd_blob *b;

        if (!dump || !name || !ret_data || !ret_size)
                return -EINVAL;
        b = find_blob(dump, name);
        if (!b)
                return -ENOENT;
        return gd_blob_decode(dump, b, ret_data, ret_size);
}

_public_ int gpudump_report_schema_version(void) {
        return GD_REPORT_SCHEMA_VERSION;
}
