/* SPDX-License-Identifier: MIT */
/*
 * Getting the input bytes: regular files are mapped (never read into memory); pipes and sysfs
 * files (which report size 0) are read to EOF into a memfd and mapped; zstd input is decompressed
 * into a memfd. Keeping every input a shared/file mapping lets the parser hand consumed pages
 * back to the kernel (MADV_DONTNEED), so RSS stays flat however large the dump is.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "gd-macro.h"
#include "input.h"

#define ZSTD_MAGIC "\x28\xb5\x2f\xfd"
#define CHUNK (1u << 20)

/* Released ranges are whole 2 MiB blocks of the address space: a large file mapping is
 * PMD-aligned and its page cache may be mapped with huge pages, which a partial MADV_DONTNEED
 * leaves mapped. */
#define RELEASE_ALIGN ((uintptr_t)2 << 20)

void gd_input_release(const struct gd_input *d, uint64_t start, uint64_t end, bool done) {
        uintptr_t base, a, b, map_end;

        /* Only mappings can drop pages; an owned malloc buffer would lose its contents. */
        if (!d->map || end <= start)
                return;
        base = (uintptr_t)d->map;
        map_end = base + d->map_size;
        if (end > d->map_size)
                end = d->map_size;
        /* Whole blocks: `start` rounds down (bytes before it in its block may still be read by
         * somebody: re-read on fault, so that is only a cost); `end` rounds down while the caller
         * is still inside the range, and up once it is `done` with it, so no block stays mapped. */
        a = (base + start) & ~(RELEASE_ALIGN - 1);
        if (a < base)
                a = base;
        if (done || end >= d->map_size)
                b = (base + end + RELEASE_ALIGN - 1) & ~(RELEASE_ALIGN - 1);
        else
                b = (base + end) & ~(RELEASE_ALIGN - 1);
        if (b > map_end)
                b = map_end;
        if (b > a)
                (void)madvise((void *)a, b - a, MADV_DONTNEED);
}

void gd_input_close(struct gd_input *d) {
        if (d->map)
                munmap(d->map, d->map_size);
        free(d->owned);
        d->map = NULL;
        d->map_size = 0;
        d->owned = NULL;
}

static int map_fd(struct gd_input *d, int fd, uint64_t size) {
        void *p;

        if (size == 0) {
                d->data = (const uint8_t *)"";
                d->size = 0;
                return 0;
        }
        if (size > SIZE_MAX)
                return -EFBIG;
        p = mmap(NULL, (size_t)size, PROT_READ, MAP_SHARED, fd, 0);
        if (p == MAP_FAILED)
                return -errno;
        /* One forward pass: read-ahead helps, and pages behind the cursor are not reused. */
        (void)madvise(p, (size_t)size, MADV_SEQUENTIAL);
        d->map = p;
        d->map_size = (size_t)size;
        d->data = p;
        d->size = size;
        return 0;
}

static int write_all(int fd, const void *buf, size_t n) {
        const uint8_t *p = buf;

        while (n > 0) {
                ssize_t k = write(fd, p, n);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                p += k;
                n -= (size_t)k;
        }
        return 0;
}

/* A sink for bytes: a growing malloc buffer while the bytes are few, a memfd (when the kernel
 * has them) once they outgrow a release block. Releasing consumed input (gd_input_release())
 * works in whole 2 MiB blocks, so a smaller input gains nothing from a memfd and would pay its
 * memfd_create(), write(), mmap() and munmap() on every decode. */
#define SINK_MEMFD_MIN (RELEASE_ALIGN)

struct sink {
        int fd;
        uint8_t *buf;
        size_t len, cap;
};

static int sink_open(struct sink *s) {
        *s = (struct sink){ .fd = -1 };
        return 0;
}

static int sink_write(struct sink *s, const void *p, size_t n) {
        if (s->fd < 0 && s->len + n > SINK_MEMFD_MIN) {
                int fd = memfd_create("gpudump-input", MFD_CLOEXEC);
                if (fd >= 0) {
                        int r = write_all(fd, s->buf, s->len);
                        if (r < 0) {
                                close(fd);
                                return r;
                        }
                        free(s->buf);
                        *s = (struct sink){ .fd = fd };
                }
        }
        if (s->fd >= 0)
                return write_all(s->fd, p, n);
        if (s->len + n > s->cap) {
                size_t cap = s->cap ? s->cap : (n < CHUNK ? (n > 4096 ? n : 4096) : CHUNK);
                while (cap < s->len + n)
                        cap *= 2;
                uint8_t *b = realloc(s->buf, cap);
                if (!b)
                        return -ENOMEM;
                s->buf = b;
                s->cap = cap;
        }
        memcpy(s->buf + s->len, p, n);
        s->len += n;
        return 0;
}

static int sink_finish(struct sink *s, struct gd_input *d) {
        int r;

        if (s->fd >= 0) {
                struct stat st;
                if (fstat(s->fd, &st) < 0)
                        r = -errno;
                else
                        r = map_fd(d, s->fd, (uint64_t)st.st_size);
                close(s->fd);
                s->fd = -1;
                return r;
        }
        d->owned = s->buf;
        d->data = s->buf ? s->buf : (const uint8_t *)"";
        d->size = s->len;
        s->buf = NULL;
        return 0;
}

static void sink_done(struct sink *s) {
        if (s->fd >= 0)
                close(s->fd);
        free(s->buf);
}

/* Decompress the zstd input in d (a mapping or owned buffer) and replace it by the result. */
static int decompress(struct gd_input *d) {
        struct sink s;
        ZSTD_DStream *z;
        _cleanup_free_ uint8_t *out = NULL;
        size_t outsz = ZSTD_DStreamOutSize(), ret = 1;
        ZSTD_inBuffer in = { d->data, (size_t)d->size, 0 };
        size_t released = 0;
        int r = 0;

        out = malloc(outsz);
        z = ZSTD_createDStream();
        if (!out || !z) {
                ZSTD_freeDStream(z);
                return -ENOMEM;
        }
        sink_open(&s);
        /* Several concatenated frames are one stream for zstd(1): accept them too. */
        while (in.pos < in.size) {
                ZSTD_outBuffer o = { out, outsz, 0 };
                ret = ZSTD_decompressStream(z, &o, &in);
                if (ZSTD_isError(ret)) {
                        r = -EIO;
                        break;
                }
                if (o.pos > 0) {
                        r = sink_write(&s, out, o.pos);
                        if (r < 0)
                                break;
                }
                if (ret != 0 && in.pos == in.size && o.pos < outsz)
                        break; /* input ended inside a frame */
                /* The compressed input is read once: hand its pages back as we go. */
                if (d->map && in.pos - released >= (8u << 20)) {
                        gd_input_release(d, released, in.pos, false);
                        released = in.pos;
                }
        }
        /* Flush what zstd still holds once the input is exhausted. */
        while (r == 0 && ret != 0 && !ZSTD_isError(ret)) {
                ZSTD_outBuffer o = { out, outsz, 0 };
                ret = ZSTD_decompressStream(z, &o, &in);
                if (ZSTD_isError(ret)) {
                        r = -EIO;
                        break;
                }
                if (o.pos == 0)
                        break;
                r = sink_write(&s, out, o.pos);
        }
        ZSTD_freeDStream(z);
        if (r == 0 && ret != 0)
                r = -EIO; /* truncated compressed container */
        if (r < 0) {
                sink_done(&s);
                return r;
        }

        gd_input_close(d);
        r = sink_finish(&s, d);
        sink_done(&s);
        if (r < 0)
                return r;
        d->was_compressed = true;
        return 0;
}

static bool is_zstd(const struct gd_input *d) {
        return d->size >= 4 && memcmp(d->data, ZSTD_MAGIC, 4) == 0;
}

int gd_input_from_fd(struct gd_input *d, int fd) {
        struct stat st;
        int r;

        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        r = -ENODEV;
        if (S_ISREG(st.st_mode) && st.st_size > 0)
                r = map_fd(d, fd, (uint64_t)st.st_size);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                /* Pipes, sockets, sysfs attributes (size 0, or not mappable): read until EOF. */
                struct sink s;
                _cleanup_free_ uint8_t *buf = malloc(CHUNK);
                if (!buf)
                        return -ENOMEM;
                sink_open(&s);
                for (;;) {
                        ssize_t k = read(fd, buf, CHUNK);
                        if (k < 0) {
                                if (errno == EINTR)
                                        continue;
                                r = -errno;
                                sink_done(&s);
                                return r;
                        }
                        if (k == 0)
                                break;
                        r = sink_write(&s, buf, (size_t)k);
                        if (r < 0) {
                                sink_done(&s);
                                return r;
                        }
                }
                r = sink_finish(&s, d);
                sink_done(&s);
                if (r < 0)
                        return r;
        }
        return is_zstd(d) ? decompress(d) : 0;
}

int gd_input_from_memory(struct gd_input *d, const void *data, size_t size) {
        struct sink s;
        int r;

        if (size >= 4 && memcmp(data, ZSTD_MAGIC, 4) == 0) {
                /* Decompress straight from the caller's bytes; no copy of the compressed form. */
                d->data = data;
                d->size = size;
                return decompress(d);
        }
        sink_open(&s);
        r = sink_write(&s, data, size);
        if (r == 0)
                r = sink_finish(&s, d);
        sink_done(&s);
        return r;
}
