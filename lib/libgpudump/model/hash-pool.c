/* SPDX-License-Identifier: MIT */
/*
 * Hashing while parsing (GPUDUMP_OPEN_HASH). The parser hands each blob it has located to this
 * pool, whose threads decode and hash it while the parser reads on. A blob's text is then read
 * while the parser's pass still has it mapped (the tokenizer holds those pages, the hashing
 * releases them), so each page is faulted in once instead of twice, and the hashing no longer
 * waits for the whole parse. The pool belongs to one gpudump_dump_new_*() call: dump.c creates
 * it before the parse and gd_hash_pool_finish() joins it after, handing each blob its result;
 * the report (json.c) then uses those instead of hashing again.
 *
 * Bounds: blobs of more than JOB_MAX bytes of text are left to the report (one such blob is
 * hashed there pipelined, on two threads); the parser waits, or hashes a queued blob itself,
 * while more than PENDING_MAX bytes of text are submitted and not hashed, so the pages held for
 * the pool stay few however large the dump is.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gd-macro.h"
#include "model.h"

#define PENDING_MAX (12u << 20)
/* Unstarted text that is worth one more thread. */
#define START_BYTES (4u << 20)

struct job {
        struct gd_blob blob; /* a copy with its own spans: the parser may drop the original */
        uint64_t bytes;      /* encoded text */
        struct gd_blob_hash result;
};

struct gd_hash_pool {
        struct gpudump_dump *d;
        pthread_mutex_t lock;
        pthread_cond_t cond;  /* a job queued or finished, or the pool closing */
        struct job **jobs;
        size_t n_jobs;
        size_t next;          /* the first job nobody has started */
        uint64_t pending;     /* text of the jobs submitted and not finished */
        uint64_t queued;      /* text of the jobs nobody has started */
        bool closing;
        unsigned max_workers; /* threads besides the parser's */
        pthread_t th[GD_MAX_THREADS];
        size_t n_threads;
};

static bool hashable(const struct gd_blob *b) {
        return b->encoding != GD_ENC_NONE && b->error == 0;
}

static uint64_t text_bytes(const struct gd_blob *b) {
        uint64_t n = 0;
        for (size_t i = 0; i < b->n_spans; i++)
                n += b->spans[i].length;
        return n;
}

/* Called with the lock held; runs the next job unlocked. */
static void run_next(struct gd_hash_pool *p) {
        struct job *j = p->jobs[p->next++];

        p->queued -= j->bytes;
        pthread_mutex_unlock(&p->lock);
        j->result.r = gd_blob_sha256_full(p->d, &j->blob, false, &j->result.diag, j->result.sha);
        pthread_mutex_lock(&p->lock);
        p->pending -= j->bytes;
        pthread_cond_broadcast(&p->cond);
}

static void *worker(void *userdata) {
        struct gd_hash_pool *p = userdata;

        pthread_mutex_lock(&p->lock);
        for (;;) {
                while (p->next == p->n_jobs && !p->closing)
                        pthread_cond_wait(&p->cond, &p->lock);
                if (p->next == p->n_jobs)
                        break;
                run_next(p);
        }
        pthread_mutex_unlock(&p->lock);
        return NULL;
}

int gd_hash_pool_new(struct gpudump_dump *d, struct gd_hash_pool **ret) {
        struct gd_hash_pool *p = calloc(1, sizeof(*p));

        if (!p)
                return -ENOMEM;
        p->d = d;
        p->max_workers = gd_dump_threads(d) - 1;
        pthread_mutex_init(&p->lock, NULL);
        pthread_cond_init(&p->cond, NULL);
        *ret = p;
        return 0;
}

void gd_hash_pool_submit(struct gd_hash_pool *p, struct gd_blob *b) {
        struct job *j;

        if (!p || !hashable(b) || b->hash_id != 0)
                return;
        uint64_t bytes = text_bytes(b);
        if (bytes > GD_HASH_JOB_MAX)
                return;
        j = calloc(1, sizeof(*j));
        if (!j)
                return;
        j->blob = (struct gd_blob){
                .encoding = b->encoding,
                .n_spans = b->n_spans,
                .declared_length = b->declared_length,
                .compressed_length = b->compressed_length,
                .offset = b->offset,
                .line = b->line,
        };
        j->bytes = bytes;
        if (b->n_spans > 0) {
                j->blob.spans = malloc(b->n_spans * sizeof(*b->spans));
                if (!j->blob.spans) {
                        free(j);
                        return;
                }
                memcpy(j->blob.spans, b->spans, b->n_spans * sizeof(*b->spans));
        }

        pthread_mutex_lock(&p->lock);
        if (p->n_jobs >= UINT32_MAX || GD_ARRAY_PUSH(p->jobs, p->n_jobs, j) < 0) {
                pthread_mutex_unlock(&p->lock);
                free(j->blob.spans);
                free(j);
                return;
        }
        b->hash_id = (uint32_t)p->n_jobs;
        p->pending += bytes;
        p->queued += bytes;
        if (p->n_threads < p->max_workers && p->queued >= START_BYTES &&
            pthread_create(&p->th[p->n_threads], NULL, worker, p) == 0)
                p->n_threads++;
        pthread_cond_broadcast(&p->cond);
        /* Too much held: help, or wait for the workers. */
        while (p->pending > PENDING_MAX) {
                if (p->next < p->n_jobs)
                        run_next(p);
                else
                        pthread_cond_wait(&p->cond, &p->lock);
        }
        pthread_mutex_unlock(&p->lock);
}

static void take_result(struct gd_hash_pool *p, struct gd_blob *b) {
        if (b->hash_id == 0 || b->hash_id > p->n_jobs || b->hash)
                return;
        struct job *j = p->jobs[b->hash_id - 1];
        b->hash = malloc(sizeof(*b->hash));
        if (b->hash)
                *b->hash = j->result;
}

void gd_hash_pool_finish(struct gd_hash_pool *p) {
        struct gpudump_dump *d = p->d;

        pthread_mutex_lock(&p->lock);
        p->closing = true;
        pthread_cond_broadcast(&p->cond);
        while (p->next < p->n_jobs)
                run_next(p);
        pthread_mutex_unlock(&p->lock);
        for (size_t i = 0; i < p->n_threads; i++)
                pthread_join(p->th[i], NULL);
        p->n_threads = 0;

        for (size_t i = 0; i < d->n_vmas; i++)
                take_result(p, &d->vmas[i].blob);
        for (size_t i = 0; i < d->n_blobs; i++)
                take_result(p, &d->blobs[i]);
        for (size_t i = 0; i < d->n_contexts; i++)
                for (size_t k = 0; k < d->contexts[i].n_lrcs; k++) {
                        take_result(p, &d->contexts[i].lrcs[k].hwsp);
                        take_result(p, &d->contexts[i].lrcs[k].hwctx);
                }
}

struct gd_hash_pool *gd_hash_pool_free(struct gd_hash_pool *p) {
        if (!p)
                return NULL;
        if (p->n_threads > 0)
                gd_hash_pool_finish(p);
        for (size_t i = 0; i < p->n_jobs; i++) {
                free(p->jobs[i]->blob.spans);
                free(p->jobs[i]);
        }
        free(p->jobs);
        pthread_cond_destroy(&p->cond);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
}
