/* SPDX-License-Identifier: MIT */
/*
 * Lazy blob decoding. Parsers only record where a blob's characters are (spans); the bytes are
 * produced here, streamed in 64 KiB pieces, when somebody asks (read, read_va, JSON hashes).
 * Nothing here copies the encoded text, and input pages already decoded are handed back to the
 * kernel, so decoding a gigabyte VMA needs no more memory than its caller asks for.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "gd-macro.h"
#include "gd-string.h"
#include "model.h"

#define OUT_CHUNK (64u * 1024u)
#define IN_CHUNK (OUT_CHUNK / 4) /* one 'z' yields 4 bytes: 16 KiB of text fills 64 KiB at most */
#define RELEASE_STEP (2u << 20)

/* Second stage after ascii85 (or raw bytes): plain, zstd, zlib. */
struct stage {
        struct gpudump_dump *d;
        const struct gd_blob *blob;
        gd_blob_sink sink;
        void *userdata;
        uint64_t produced;    /* bytes handed to the sink */
        uint64_t consumed;    /* bytes fed to the second stage (compressed bytes for zstd/zlib) */
        bool done;            /* compressed stream ended; ignore padding after it */
        bool stopped;         /* the sink asked to stop */
        ZSTD_DStream *zstd;
        z_stream *zlib;
        uint8_t *out;         /* out_size bytes of scratch for decompressed output */
        size_t out_size;
        const char *error;    /* static reason for -EBADMSG */
        uint64_t limit;       /* most bytes a compressed blob may inflate to (bomb guard) */
        struct gd_blob_diag *defer; /* hold the damage here instead of adding it (or NULL) */
};

static void add_diag(struct gpudump_dump *d, const struct gd_blob *b, uint64_t offset, const char *msg) {
        pthread_mutex_lock(&d->lock);
        uint64_t line = gd_dump_line_of(d, b->offset, b->line, offset);
        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, offset, line, "%s: %s", b->name ? b->name : "blob", msg);
        pthread_mutex_unlock(&d->lock);
}

static void blob_diag(struct stage *s, uint64_t offset, const char *why, const char *detail) {
        char msg[sizeof(s->defer->message)];

        if (!s->d)
                return;
        snprintf(msg, sizeof(msg), "%s%s", why, detail ? detail : "");
        if (s->defer) {
                s->defer->set = true;
                s->defer->offset = offset;
                memcpy(s->defer->message, msg, sizeof(msg));
                return;
        }
        add_diag(s->d, s->blob, offset, msg);
}

void gd_blob_diag_flush(struct gpudump_dump *d, const struct gd_blob *blob, const struct gd_blob_diag *diag) {
        if (d && diag && diag->set)
                add_diag(d, blob, diag->offset, diag->message);
}

static int emit(struct stage *s, const uint8_t *p, size_t n) {
        int r;

        if (n == 0 || s->stopped)
                return 0;
        if (s->limit && n > s->limit - s->produced) {
                s->error = "decompressed data exceeds the declared length";
                return -EBADMSG;
        }
        r = s->sink(p, n, s->userdata);
        s->produced += n;
        if (r > 0)
                s->stopped = true;
        return r < 0 ? r : 0;
}

/* Feed decoded (first stage) bytes into the second stage. */
static int stage_feed(struct stage *s, const uint8_t *p, size_t n) {
        const struct gd_blob *b = s->blob;
        int r;

        switch (b->encoding) {
        case GD_ENC_A85_ZSTD: {
                /* The frame is zero-padded to whole words: only the first compressed_length bytes count. */
                if (s->consumed >= b->compressed_length || s->done) {
                        s->consumed += n;
                        return 0;
                }
                if (n > b->compressed_length - s->consumed)
                        n = (size_t)(b->compressed_length - s->consumed);
                s->consumed += n;
                ZSTD_inBuffer in = { p, n, 0 };
                while (in.pos < in.size || !s->done) {
                        ZSTD_outBuffer o = { s->out, s->out_size, 0 };
                        size_t ret = ZSTD_decompressStream(s->zstd, &o, &in);
                        if (ZSTD_isError(ret)) {
                                s->error = ZSTD_getErrorName(ret);
                                return -EBADMSG;
                        }
                        r = emit(s, s->out, o.pos);
                        if (r < 0)
                                return r;
                        if (ret == 0) {
                                s->done = true;
                                break;
                        }
                        if (in.pos == in.size && o.pos < s->out_size)
                                break;
                        if (s->stopped)
                                return 0;
                }
                return 0;
        }
        case GD_ENC_A85_ZLIB: {
                if (s->done)
                        return 0;
                s->consumed += n;
                s->zlib->next_in = (Bytef *)p;
                s->zlib->avail_in = (uInt)n;
                do {
                        s->zlib->next_out = s->out;
                        s->zlib->avail_out = (uInt)s->out_size;
                        int zr = inflate(s->zlib, Z_NO_FLUSH);
                        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
                                s->error = s->zlib->msg ? s->zlib->msg : "zlib inflate failed";
                                return -EBADMSG;
                        }
                        r = emit(s, s->out, s->out_size - s->zlib->avail_out);
                        if (r < 0)
                                return r;
                        if (zr == Z_STREAM_END) {
                                /* The rest is the zero padding of the last page. */
                                s->done = true;
                                return 0;
                        }
                        if (zr == Z_BUF_ERROR)
                                break;
                        if (s->stopped)
                                return 0;
                } while (s->zlib->avail_in > 0 || s->zlib->avail_out == 0);
                return 0;
        }
        default:
                s->consumed += n;
                return emit(s, p, n);
        }
}

/* "%08x :  %08x ..." lines of old i915: the words after the colon, little-endian. */
static int hex_words_span(struct stage *s, const uint8_t *p, size_t n, uint64_t off, uint8_t *out,
                          size_t out_size, uint64_t *ret_bad) {
        const uint8_t *colon = memchr(p, ':', n);
        size_t i = colon ? (size_t)(colon - p) + 1 : 0, k = 0;

        while (i < n) {
                while (i < n && (p[i] == ' ' || p[i] == '\t'))
                        i++;
                if (i >= n)
                        break;
                uint64_t v;
                size_t used;
                int digits = gd_parse_hex_prefix((const char *)p + i, n - i, &v, &used);
                if (digits <= 0 || digits > 8 || (i + used < n && p[i + used] != ' ' && p[i + used] != '\t')) {
                        *ret_bad = off + i;
                        return -EBADMSG;
                }
                out[k++] = (uint8_t)v;
                out[k++] = (uint8_t)(v >> 8);
                out[k++] = (uint8_t)(v >> 16);
                out[k++] = (uint8_t)(v >> 24);
                i += used;
                if (k + 4 > out_size) {
                        int r = stage_feed(s, out, k);
                        if (r < 0)
                                return r;
                        k = 0;
                }
        }
        return stage_feed(s, out, k);
}

static int blob_stream(struct gpudump_dump *d, const struct gd_blob *blob, gd_blob_sink sink,
                       void *userdata, uint64_t *ret_total, struct gd_blob_diag *defer) {
        _cleanup_free_ uint8_t *buf = NULL;
        struct gd_a85 a85 = {};
        struct stage s = { .d = d, .blob = blob, .sink = sink, .userdata = userdata, .defer = defer };
        z_stream zs = {};
        bool zlib_init = false;
        const uint8_t *base;
        int r = 0;

        if (!blob || blob->error != 0 || blob->encoding == GD_ENC_NONE)
                return -ENODATA;
        if (!d && blob->n_spans > 0)
                return -EINVAL; /* spans are offsets into the dump's input */
        base = d ? d->data : NULL;

        /* Scratch sized by what the blob can need, at most 64 KiB each: the first stage's
         * output for one input chunk of the longest span, and the codec's output for zstd and
         * zlib only. Small blobs are read by address many times (the analysis), and a fixed
         * 128 KiB here was an mmap() and its page faults on every read. */
        uint64_t span_max = 0;
        for (size_t i = 0; i < blob->n_spans; i++)
                if (blob->spans[i].length > span_max)
                        span_max = blob->spans[i].length;
        uint64_t first = blob->encoding == GD_ENC_HEX_WORDS ? 2 * span_max + 8 :
                         4 * (span_max < IN_CHUNK ? span_max : IN_CHUNK) + 4;
        size_t buf_size = first < OUT_CHUNK ? (size_t)first : OUT_CHUNK;
        if (buf_size < 64)
                buf_size = 64;
        if (blob->encoding == GD_ENC_A85_ZSTD || blob->encoding == GD_ENC_A85_ZLIB)
                s.out_size = OUT_CHUNK;
        buf = malloc(buf_size + s.out_size);
        if (!buf)
                return -ENOMEM;
        s.out = buf + buf_size;
        /* A few bytes of zstd or zlib can claim gigabytes: never produce more than the dump
         * declares (zstd), or than deflate's maximum ratio allows (zlib, whose size i915 does
         * not print). */
        uint64_t encoded = 0;
        for (size_t i = 0; i < blob->n_spans; i++)
                encoded += blob->spans[i].length;
        if (blob->encoding == GD_ENC_A85_ZSTD)
                s.limit = blob->declared_length ? blob->declared_length : (uint64_t)1 << 36;
        else if (blob->encoding == GD_ENC_A85_ZLIB)
                s.limit = encoded * 1100 + (1u << 20);
        if (blob->encoding == GD_ENC_A85_ZSTD) {
                s.zstd = ZSTD_createDStream();
                if (!s.zstd)
                        return -ENOMEM;
                ZSTD_initDStream(s.zstd);
        } else if (blob->encoding == GD_ENC_A85_ZLIB) {
                if (inflateInit(&zs) != Z_OK)
                        return -ENOMEM;
                zlib_init = true;
                s.zlib = &zs;
        }

        uint64_t bad = 0;
        const char *why = NULL;
        for (size_t i = 0; i < blob->n_spans && r == 0 && !s.stopped; i++) {
                const struct gd_span *sp = &blob->spans[i];
                uint64_t released = sp->offset;
                if (sp->offset > d->size || sp->length > d->size - sp->offset) {
                        bad = sp->offset;
                        why = "blob span outside the input";
                        r = -EBADMSG;
                        break;
                }
                if (blob->encoding == GD_ENC_HEX_WORDS) {
                        r = hex_words_span(&s, base + sp->offset, (size_t)sp->length, sp->offset, buf, buf_size,
                                           &bad);
                        if (r == -EBADMSG && !s.error)
                                why = "bad hex word";
                        continue;
                }
                for (uint64_t pos = 0; pos < sp->length && r == 0 && !s.stopped;) {
                        size_t n = sp->length - pos < IN_CHUNK ? (size_t)(sp->length - pos) : IN_CHUNK;
                        const uint8_t *p = base + sp->offset + pos;
                        if (blob->encoding == GD_ENC_RAW) {
                                r = stage_feed(&s, p, n);
                        } else {
                                ssize_t k = gd_a85_decode(&a85, p, n, sp->offset + pos, buf, &bad, &why);
                                if (k < 0)
                                        r = (int)k;
                                else
                                        r = stage_feed(&s, buf, (size_t)k);
                        }
                        pos += n;
                        if (d && sp->offset + pos - released >= RELEASE_STEP) {
                                gd_input_release(&d->input, released, sp->offset + pos, false);
                                released = sp->offset + pos;
                        }
                }
                if (d)
                        gd_input_release(&d->input, released, sp->offset + sp->length, true);
        }

        uint64_t end_offset = blob->n_spans ? blob->spans[blob->n_spans - 1].offset +
                                                      blob->spans[blob->n_spans - 1].length
                                            : blob->offset;
        char detail[96] = "";
        if (r == -EBADMSG && s.error) {
                /* zstd/zlib damage: name the codec's reason, at the blob's start. */
                blob_diag(&s, blob->offset, s.error, "");
                goto out;
        }
        if (r == -EBADMSG) {
                if (why && strcmp(why, "invalid ascii85 character") == 0 && d && bad < d->size)
                        snprintf(detail, sizeof(detail), " 0x%02x", d->data[bad]);
                blob_diag(&s, bad, why ? why : "damaged encoding", detail);
                goto out;
        }
        if (r < 0 || s.stopped)
                goto out;

        if (a85.n != 0) {
                blob_diag(&s, a85.group_offset, "input ends inside an ascii85 group", "");
                r = -EBADMSG;
                goto out;
        }
        if (blob->encoding == GD_ENC_A85_ZSTD) {
                if (s.consumed < blob->compressed_length) {
                        snprintf(detail, sizeof(detail), " (%llu of 0x%llx bytes)",
                                 (unsigned long long)s.consumed, (unsigned long long)blob->compressed_length);
                        blob_diag(&s, end_offset, "zstd frame shorter than declared", detail);
                        r = -EBADMSG;
                        goto out;
                }
                if (!s.done) {
                        blob_diag(&s, end_offset, "zstd frame incomplete", "");
                        r = -EBADMSG;
                        goto out;
                }
        }
        if (blob->encoding == GD_ENC_A85_ZLIB && !s.done) {
                blob_diag(&s, end_offset, "zlib stream incomplete", "");
                r = -EBADMSG;
                goto out;
        }
        if (blob->encoding == GD_ENC_A85_ZEROFILL) {
                /* msm drops trailing zero words: restore them up to the declared size. */
                static const uint8_t zeros[OUT_CHUNK];

                while (r == 0 && !s.stopped && s.produced < blob->declared_length) {
                        uint64_t left = blob->declared_length - s.produced;
                        r = emit(&s, zeros, left < OUT_CHUNK ? (size_t)left : OUT_CHUNK);
                }
                if (r < 0 || s.stopped)
                        goto out;
        }
        if (blob->declared_length != 0 && s.produced != blob->declared_length &&
            blob->encoding != GD_ENC_A85_ZLIB && blob->encoding != GD_ENC_HEX_WORDS) {
                snprintf(detail, sizeof(detail), " (decoded 0x%llx bytes, declared 0x%llx)",
                         (unsigned long long)s.produced, (unsigned long long)blob->declared_length);
                blob_diag(&s, end_offset, "length mismatch", detail);
                r = -EBADMSG;
        }
out:
        if (blob->encoding == GD_ENC_A85_ZLIB && !s.stopped && (r == 0 || r == -EBADMSG)) {
                /* A complete pass learnt the object's length (or that it has none): cache it
                 * for lookups by address. The blob is const to callers; this is a cache. */
                struct gd_blob *w = (struct gd_blob *)blob;
                if (r == 0)
                        __atomic_store_n(&w->inflated, s.produced, __ATOMIC_RELAXED);
                __atomic_store_n(&w->inflate_state, r == 0 ? 1 : -1, __ATOMIC_RELEASE);
        }
        if (ret_total)
                *ret_total = s.produced;
        ZSTD_freeDStream(s.zstd);
        if (zlib_init)
                inflateEnd(&zs);
        if (r == 0 && s.stopped)
                return 1;
        return r;
}

int gd_blob_stream(struct gpudump_dump *d, const struct gd_blob *blob, gd_blob_sink sink,
                   void *userdata, uint64_t *ret_total) {
        return blob_stream(d, blob, sink, userdata, ret_total, NULL);
}

struct growbuf {
        uint8_t *p;
        size_t len, cap;
};

static int grow_sink(const uint8_t *p, size_t n, void *userdata) {
        struct growbuf *g = userdata;

        if (g->len + n > g->cap) {
                size_t cap = g->cap ? g->cap : OUT_CHUNK;
                while (cap < g->len + n)
                        cap *= 2;
                uint8_t *q = realloc(g->p, cap);
                if (!q)
                        return -ENOMEM;
                g->p = q;
                g->cap = cap;
        }
        memcpy(g->p + g->len, p, n);
        g->len += n;
        return 0;
}

/*
 * The most bytes the blob's encoded text can yield before its second stage: ascii85 gives at
 * most 4 bytes per character ('z' is 4 zero bytes), hex words at most 4 bytes per 2 characters
 * (one digit and a separator), raw spans themselves. zstd, zlib and msm's zero fill can give
 * more, so their buffer is only pre-sized to this and grows as the bytes really come out.
 */
static uint64_t blob_yield_bound(const struct gd_blob *blob) {
        uint64_t encoded = 0;

        for (size_t i = 0; i < blob->n_spans; i++)
                encoded += blob->spans[i].length;
        switch (blob->encoding) {
        case GD_ENC_RAW:
                return encoded;
        case GD_ENC_HEX_WORDS:
                return encoded * 2;
        default:
                return encoded * 4;
        }
}

int gd_blob_decode(struct gpudump_dump *d, const struct gd_blob *blob, void **ret_data,
                   size_t *ret_size) {
        struct growbuf g = {};
        int r;

        if (!blob || !ret_data || !ret_size)
                return -EINVAL;
        /* Allocate the declared size up front, one allocation for the common case, but never
         * more than the encoded text can yield: a 3 KB dump may claim a 4 GiB VMA. Anything
         * beyond that bound grows the buffer as the bytes really decode, and a short decode
         * is then the "length mismatch" diagnostic of gd_blob_stream(). */
        uint64_t want = blob->declared_length, most = blob_yield_bound(blob);
        if (want > most)
                want = most;
        if (want > 0 && want < ((uint64_t)1 << 40)) {
                g.cap = (size_t)want;
                g.p = malloc(g.cap);
                if (!g.p)
                        return -ENOMEM;
        }
        r = gd_blob_stream(d, blob, grow_sink, &g, NULL);
        if (r < 0) {
                free(g.p);
                return r;
        }
        if (!g.p) {
                g.p = malloc(1); /* a valid pointer even for zero bytes */
                if (!g.p)
                        return -ENOMEM;
        }
        *ret_data = g.p;
        *ret_size = g.len;
        return 0;
}

static int sha_sink(const uint8_t *p, size_t n, void *userdata) {
        return EVP_DigestUpdate(userdata, p, n) == 1 ? 0 : -ENOMEM;
}

/* ---- SHA-256, optionally pipelined: this thread decodes, a helper hashes ---- */

#define PIPE_SLOTS 4
#define PIPE_SLOT (128u * 1024u) /* 4 slots of decoded bytes stay in the L2 cache */

struct pipe {
        pthread_mutex_t lock;
        pthread_cond_t cond;
        uint8_t *buf;               /* PIPE_SLOTS * PIPE_SLOT */
        size_t len[PIPE_SLOTS];
        uint64_t filled, hashed;    /* slots handed over / hashed so far (never wrap) */
        size_t fill;                /* bytes in the slot being filled (decoder only) */
        bool eof;                   /* the decoder is done */
        bool failed;                /* the hasher failed: the decoder stops */
        EVP_MD_CTX *ctx;
};

static void *pipe_hasher(void *userdata) {
        struct pipe *p = userdata;

        pthread_mutex_lock(&p->lock);
        for (;;) {
                while (p->hashed == p->filled && !p->eof)
                        pthread_cond_wait(&p->cond, &p->lock);
                if (p->hashed == p->filled)
                        break;
                size_t slot = (size_t)(p->hashed % PIPE_SLOTS);
                pthread_mutex_unlock(&p->lock);
                bool ok = EVP_DigestUpdate(p->ctx, p->buf + slot * PIPE_SLOT, p->len[slot]) == 1;
                pthread_mutex_lock(&p->lock);
                p->hashed++;
                if (!ok)
                        p->failed = true;
                pthread_cond_broadcast(&p->cond);
                if (!ok)
                        break;
        }
        pthread_mutex_unlock(&p->lock);
        return NULL;
}

/* Hand the slot being filled to the hasher. */
static int pipe_publish(struct pipe *p) {
        int r = 0;

        pthread_mutex_lock(&p->lock);
        p->len[p->filled % PIPE_SLOTS] = p->fill;
        p->filled++;
        p->fill = 0;
        pthread_cond_broadcast(&p->cond);
        /* The next slot must have been hashed before it is overwritten. */
        while (p->filled - p->hashed >= PIPE_SLOTS && !p->failed)
                pthread_cond_wait(&p->cond, &p->lock);
        if (p->failed)
                r = -ENOMEM;
        pthread_mutex_unlock(&p->lock);
        return r;
}

static int pipe_sink(const uint8_t *b, size_t n, void *userdata) {
        struct pipe *p = userdata;

        while (n > 0) {
                size_t k = PIPE_SLOT - p->fill < n ? PIPE_SLOT - p->fill : n;
                memcpy(p->buf + (p->filled % PIPE_SLOTS) * PIPE_SLOT + p->fill, b, k);
                p->fill += k;
                b += k;
                n -= k;
                if (p->fill == PIPE_SLOT) {
                        int r = pipe_publish(p);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* Decode here, hash on a helper thread: one big blob keeps two cores busy. */
static int sha_pipelined(struct gpudump_dump *d, const struct gd_blob *blob, EVP_MD_CTX *ctx,
                         struct gd_blob_diag *defer, bool *ret_fallback) {
        struct pipe p = { .ctx = ctx };
        pthread_t th;
        int r;

        p.buf = malloc(PIPE_SLOTS * PIPE_SLOT);
        if (!p.buf)
                return -ENOMEM;
        pthread_mutex_init(&p.lock, NULL);
        pthread_cond_init(&p.cond, NULL);
        if (pthread_create(&th, NULL, pipe_hasher, &p) != 0) {
                /* No thread: the caller hashes on its own. */
                *ret_fallback = true;
                r = 0;
                goto out;
        }
        r = blob_stream(d, blob, pipe_sink, &p, NULL, defer);
        if (r == 0 && p.fill > 0)
                r = pipe_publish(&p);
        pthread_mutex_lock(&p.lock);
        p.eof = true;
        pthread_cond_broadcast(&p.cond);
        pthread_mutex_unlock(&p.lock);
        pthread_join(th, NULL);
        if (r == 0 && p.failed)
                r = -ENOMEM;
out:
        pthread_cond_destroy(&p.cond);
        pthread_mutex_destroy(&p.lock);
        free(p.buf);
        return r;
}

int gd_blob_sha256_full(struct gpudump_dump *d, const struct gd_blob *blob, bool pipelined,
                        struct gd_blob_diag *defer, char hex[static 65]) {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned mdlen = 0;
        bool fallback = !pipelined;
        int r = 0;

        if (!ctx)
                return -ENOMEM;
        if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
                EVP_MD_CTX_free(ctx);
                return -ENOMEM;
        }
        if (pipelined)
                r = sha_pipelined(d, blob, ctx, defer, &fallback);
        if (fallback)
                r = blob_stream(d, blob, sha_sink, ctx, NULL, defer);
        if (r == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
                r = -ENOMEM;
        EVP_MD_CTX_free(ctx);
        if (r < 0)
                return r;
        static const char digits[] = "0123456789abcdef";
        for (unsigned i = 0; i < mdlen && i < 32; i++) {
                hex[2 * i] = digits[md[i] >> 4];
                hex[2 * i + 1] = digits[md[i] & 15];
        }
        hex[64] = 0;
        return 0;
}

int gd_blob_sha256(struct gpudump_dump *d, const struct gd_blob *blob, char hex[static 65]) {
        return gd_blob_sha256_full(d, blob, false, NULL, hex);
}
