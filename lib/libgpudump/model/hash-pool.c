/* SPDX-License-Identifier: MIT */
/*
 * Hashing while parsing (GPUDUMP_OPEN_HASH). The parser hands each blob it has located to this
 * pool, whose threads decode and hash it while the parser reads on: the hashing no longer waits
 * for the whole parse. The pool belongs to one gpudump_dump_new_*() call: dump.c creates
 * it before the parse and gd_hash_pool_finish() joins it after, handing each blob its result;
 * the report (json.c) then uses those instead of hashing again.
 *
 * A VMA's `.data:` line goes further (gd_hash_pool_scan_a85()): the parser does not look for
 * its end and then hand it over; it decodes the line itself, chunk by chunk, finding the end on
 * the way, and hands the decoded chunks to a hasher thread (or hashes them itself with one
 * thread). The text is read once, cache-hot, and decoding overlaps hashing whatever the size
 * of the VMA: one pass over the input.
 *
 * Bounds: blobs of more than JOB_MAX bytes of text are left to the report (one such blob is
 * hashed there pipelined, on two threads); the parser waits, or hashes a queued blob itself,
 * while more than PENDING_MAX bytes of text are submitted and not hashed.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
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
        struct gd_blob_hash result; /* r is 1 until hashed */
};

/* Decoded text of one line, handed to a hasher: SLOT_TEXT characters decode to at most four
 * bytes each (about 1.2 bytes per byte of real memory's text). The parser, faster than SHA-256,
 * waits for half the ring to be free before it goes on, and each side wakes the other only when
 * it waits: few context switches. */
#define SLOT_TEXT (64u << 10)
#define SLOT_CAP (4 * SLOT_TEXT + 64)
#define RING_SLOTS 8

struct slot {
        uint8_t *buf;
        size_t len;
        EVP_MD_CTX *ctx;            /* the line's digest (the hasher frees it after the last) */
        struct gd_blob_hash *final; /* set on a line's last slot: the result goes there */
        bool valid;                 /* last slot: the line decoded cleanly, keep the hash */
};

struct hasher {
        pthread_t th;
        bool started;
        pthread_mutex_t lock;
        pthread_cond_t cond;
        struct slot slots[RING_SLOTS];
        uint64_t filled, hashed; /* slots handed over / hashed (never wrap) */
        bool closing;
        bool hasher_waits, parser_waits;
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
        struct job **lines;     /* jobs of lines the parser decodes itself */
        size_t n_lines;
        struct hasher *hashers; /* max_workers of them, started on first use */
        size_t next_hasher;
        uint8_t *inline_buf;    /* SLOT_CAP, for hashing lines on the parser's thread */
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

static void finish_digest(EVP_MD_CTX *ctx, struct gd_blob_hash *final, bool valid) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned mdlen = 0;

        if (valid && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 32) {
                for (unsigned i = 0; i < 32; i++)
                        snprintf(final->sha + 2 * i, 3, "%02x", md[i]);
                final->r = 0;
        }
        EVP_MD_CTX_free(ctx);
}

static void *hasher_main(void *userdata) {
        struct hasher *h = userdata;

        pthread_mutex_lock(&h->lock);
        for (;;) {
                while (h->hashed == h->filled && !h->closing) {
                        h->hasher_waits = true;
                        pthread_cond_wait(&h->cond, &h->lock);
                        h->hasher_waits = false;
                }
                if (h->hashed == h->filled)
                        break;
                struct slot *sl = &h->slots[h->hashed % RING_SLOTS];
                pthread_mutex_unlock(&h->lock);
                /* SHA-256 updates do not fail (no allocation): nothing to carry to the last slot. */
                if (sl->len > 0)
                        (void)EVP_DigestUpdate(sl->ctx, sl->buf, sl->len);
                if (sl->final)
                        finish_digest(sl->ctx, sl->final, sl->valid);
                pthread_mutex_lock(&h->lock);
                h->hashed++;
                if (h->parser_waits && h->filled - h->hashed <= RING_SLOTS / 2)
                        pthread_cond_broadcast(&h->cond);
        }
        pthread_mutex_unlock(&h->lock);
        return NULL;
}

/* The next free slot of h (waits while the ring is full). */
static struct slot *hasher_slot(struct hasher *h) {
        pthread_mutex_lock(&h->lock);
        if (h->filled - h->hashed >= RING_SLOTS) {
                h->parser_waits = true;
                while (h->filled - h->hashed > RING_SLOTS / 2)
                        pthread_cond_wait(&h->cond, &h->lock);
                h->parser_waits = false;
        }
        pthread_mutex_unlock(&h->lock);
        return &h->slots[h->filled % RING_SLOTS];
}

static void hasher_publish(struct hasher *h) {
        pthread_mutex_lock(&h->lock);
        h->filled++;
        if (h->hasher_waits)
                pthread_cond_broadcast(&h->cond);
        pthread_mutex_unlock(&h->lock);
}

/* A hasher for the next line, round robin; NULL: hash on the parser's thread. */
static struct hasher *pick_hasher(struct gd_hash_pool *p) {
        if (p->max_workers == 0)
                return NULL;
        if (!p->hashers) {
                p->hashers = calloc(p->max_workers, sizeof(*p->hashers));
                if (!p->hashers) {
                        p->max_workers = 0;
                        return NULL;
                }
        }
        for (size_t tries = 0; tries < p->max_workers; tries++) {
                struct hasher *h = &p->hashers[p->next_hasher++ % p->max_workers];
                if (h->started)
                        return h;
                pthread_mutex_init(&h->lock, NULL);
                pthread_cond_init(&h->cond, NULL);
                bool ok = true;
                for (size_t i = 0; i < RING_SLOTS && ok; i++)
                        ok = (h->slots[i].buf = malloc(SLOT_CAP)) != NULL;
                if (ok && pthread_create(&h->th, NULL, hasher_main, h) == 0) {
                        h->started = true;
                        return h;
                }
                for (size_t i = 0; i < RING_SLOTS; i++) {
                        free(h->slots[i].buf);
                        h->slots[i].buf = NULL;
                }
                pthread_cond_destroy(&h->cond);
                pthread_mutex_destroy(&h->lock);
        }
        return NULL;
}

/* Lines hashed by gd_hash_pool_scan_a85() are jobs of their own kind, apart from the queue
 * (only the parser's thread adds them): their ids have LINE_JOB set. */
#define LINE_JOB 0x80000000u

static uint32_t new_line_job(struct gd_hash_pool *p) {
        struct job *j = calloc(1, sizeof(*j));

        if (!j)
                return 0;
        j->result.r = 1;
        if (p->n_lines >= LINE_JOB - 1 || GD_ARRAY_PUSH(p->lines, p->n_lines, j) < 0) {
                free(j);
                return 0;
        }
        return LINE_JOB | (uint32_t)p->n_lines;
}

static struct job *job_of(struct gd_hash_pool *p, uint32_t id) {
        if (id & LINE_JOB)
                return (id & ~LINE_JOB) - 1 < p->n_lines ? p->lines[(id & ~LINE_JOB) - 1] : NULL;
        return id != 0 && id <= p->n_jobs ? p->jobs[id - 1] : NULL;
}

#define SCAN_RELEASE_STEP (2u << 20)

uint64_t gd_hash_pool_scan_a85(struct gd_hash_pool *p, uint64_t start, uint32_t *ret_job,
                               uint64_t *ret_produced) {
        struct gpudump_dump *d = p->d;
        const uint8_t *data = d->data;
        struct gd_a85 st = {};
        struct hasher *h = NULL;
        EVP_MD_CTX *ctx = NULL;
        uint64_t pos = start, released = start, produced = 0, end = d->size;
        uint32_t id = 0;
        bool ok = true;

        *ret_job = 0;
        *ret_produced = 0;
        if (start > d->size)
                return d->size;
        /* Every line is one job; a line that does not decode cleanly to its end keeps no hash
         * and is decoded (and its damage named) by whoever asks for it later. */
        id = new_line_job(p);
        ctx = id ? EVP_MD_CTX_new() : NULL;
        if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
                ok = false;
        if (ok) {
                h = pick_hasher(p);
                if (!h && !p->inline_buf && !(p->inline_buf = malloc(SLOT_CAP)))
                        ok = false;
        }
        for (;;) {
                size_t n = d->size - pos < SLOT_TEXT ? (size_t)(d->size - pos) : SLOT_TEXT;
                if (n == 0) {
                        end = d->size;
                        break;
                }
                const uint8_t *nl = memchr(data + pos, '\n', n);
                size_t take = nl ? (size_t)(nl - (data + pos)) : n;
                if (ok) {
                        size_t dec = take;
                        if (nl && dec > 0 && data[pos + dec - 1] == '\r')
                                dec--;
                        struct slot *sl = h ? hasher_slot(h) : NULL;
                        uint8_t *out = sl ? sl->buf : p->inline_buf;
                        uint64_t bad;
                        const char *why;
                        ssize_t k = gd_a85_decode(&st, data + pos, dec, pos, out, &bad, &why);
                        if (k < 0) {
                                ok = false;
                                k = 0;
                        }
                        produced += (uint64_t)k;
                        if (sl) {
                                *sl = (struct slot){ .buf = sl->buf, .len = (size_t)k, .ctx = ctx };
                                hasher_publish(h);
                        } else if (k > 0 && EVP_DigestUpdate(ctx, out, (size_t)k) != 1) {
                                ok = false;
                        }
                }
                pos += take;
                if (pos - released >= SCAN_RELEASE_STEP) {
                        gd_input_release(&d->input, released, pos, false);
                        released = pos;
                }
                if (nl) {
                        end = pos;
                        break;
                }
        }
        /* The whole line is read: its last block goes too (the next lines in it are only
         * faulted in again). */
        gd_input_release(&d->input, released, end, true);
        if (st.n != 0)
                ok = false;
        if (id && ctx) {
                struct job *j = job_of(p, id);
                if (h) {
                        struct slot *sl = hasher_slot(h);
                        *sl = (struct slot){ .buf = sl->buf, .ctx = ctx, .final = &j->result, .valid = ok };
                        hasher_publish(h);
                } else {
                        finish_digest(ctx, &j->result, ok);
                }
        } else if (ctx) {
                EVP_MD_CTX_free(ctx);
        }
        if (ok) {
                *ret_job = id;
                *ret_produced = produced;
        }
        return end;
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
        struct job *j = job_of(p, b->hash_id);
        if (!j || b->hash || j->result.r == 1)
                return; /* not hashed after all: the report hashes it */
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
        for (size_t i = 0; p->hashers && i < p->max_workers; i++) {
                struct hasher *h = &p->hashers[i];
                if (!h->started)
                        continue;
                pthread_mutex_lock(&h->lock);
                h->closing = true;
                pthread_cond_broadcast(&h->cond);
                pthread_mutex_unlock(&h->lock);
                pthread_join(h->th, NULL);
                for (size_t k = 0; k < RING_SLOTS; k++)
                        free(h->slots[k].buf);
                pthread_cond_destroy(&h->cond);
                pthread_mutex_destroy(&h->lock);
                h->started = false;
        }

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
        if (p->n_threads > 0 || p->hashers)
                gd_hash_pool_finish(p);
        free(p->hashers);
        free(p->inline_buf);
        for (size_t i = 0; i < p->n_jobs; i++) {
                free(p->jobs[i]->blob.spans);
                free(p->jobs[i]);
        }
        free(p->jobs);
        for (size_t i = 0; i < p->n_lines; i++)
                free(p->lines[i]);
        free(p->lines);
        pthread_cond_destroy(&p->cond);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return NULL;
}
