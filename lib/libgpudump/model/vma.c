/* SPDX-License-Identifier: MIT */
/* Captured memory by GPU address: the VMA floor search, VMA lengths, and reads across VMAs. */
#include <errno.h>
#include <string.h>

#include "model.h"

ssize_t gd_vma_floor(const struct gpudump_dump *d, uint64_t va) {
        size_t lo = 0, hi = d->n_vmas;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (d->vmas[mid].address <= va)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return (ssize_t)lo - 1;
}

static int count_sink(const uint8_t *p, size_t n, void *userdata) {
        (void)p;
        (void)n;
        (void)userdata;
        return 0;
}

/* The VMA's length: declared, or for i915 zlib objects (which print none) what the contents
 * inflate to, learnt by their first complete decode (here, or reads and hashing before) and
 * cached in the blob. Two threads may both decode it once; both store the same answer. */
uint64_t gd_vma_length(struct gpudump_dump *d, struct gd_vma *v) {
        struct gd_blob *b = &v->blob;

        if (v->length != 0 || b->encoding != GD_ENC_A85_ZLIB || b->error != 0)
                return v->length;
        if (__atomic_load_n(&b->inflate_state, __ATOMIC_ACQUIRE) == 0)
                (void)gd_blob_stream(d, b, count_sink, NULL, NULL);
        if (__atomic_load_n(&b->inflate_state, __ATOMIC_ACQUIRE) != 1)
                return 0;
        return __atomic_load_n(&b->inflated, __ATOMIC_RELAXED);
}

struct va_copy {
        uint8_t *buf;
        uint64_t skip; /* decoded bytes before the wanted window */
        size_t want;
        size_t got;
};

static int va_sink(const uint8_t *p, size_t n, void *userdata) {
        struct va_copy *c = userdata;

        if (c->skip >= n) {
                c->skip -= n;
                return 0;
        }
        p += c->skip;
        n -= (size_t)c->skip;
        c->skip = 0;
        if (n > c->want - c->got)
                n = c->want - c->got;
        memcpy(c->buf + c->got, p, n);
        c->got += n;
        return c->got == c->want; /* stop decoding once the window is filled */
}

int gd_dump_read_va(struct gpudump_dump *dump, uint64_t va, void *buf, size_t size) {
        uint8_t *out = buf;

        while (size > 0) {
                ssize_t i = gd_vma_floor(dump, va);
                /* Walk back over VMAs sharing the floor's address to find one covering va. */
                struct gd_vma *v = NULL;
                uint64_t length = 0;
                for (ssize_t k = i; k >= 0 && dump->vmas[k].address == dump->vmas[i].address; k--) {
                        length = gd_vma_length(dump, &dump->vmas[k]);
                        if (va - dump->vmas[k].address < length) {
                                v = &dump->vmas[k];
                                break;
                        }
                }
                if (!v)
                        return -ENOENT;
                uint64_t off = va - v->address;
                size_t n = length - off < size ? (size_t)(length - off) : size;
                struct va_copy c = { .buf = out, .skip = off, .want = n };
                uint64_t total = 0;
                int r = gd_blob_stream(dump, &v->blob, va_sink, &c, &total);
                if (r < 0)
                        return r;
                if (c.got < n) {
                        /* msm cuts data after the last non-zero word: the rest is zeros. */
                        if (v->blob.encoding != GD_ENC_A85_ZEROFILL)
                                return -ENOENT;
                        memset(out + c.got, 0, n - c.got);
                }
                out += n;
                size -= n;
                va += n;
                if (size > 0 && va == 0)
                        return -ENOENT; /* wrapped around the address space */
        }
        return 0;
}
