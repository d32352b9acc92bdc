/* SPDX-License-Identifier: MIT */
/*
 * Scope-bound cleanup and small helpers shared by libgpudump, the CLI and the daemon.
 * Depends on nothing of ours. Modelled on systemd's/libinput's idiom: a variable declared with
 * _cleanup_free_ is freed when it leaves scope; ownership leaves the scope through TAKE_PTR().
 */
#pragma once

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define _public_ __attribute__((visibility("default")))

#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

static inline void freep(void *p) { free(*(void **)p); }
#define _cleanup_free_ _cleanup_(freep)

static inline void closep(int *fd) {
        if (*fd >= 0) {
                int saved = errno;
                close(*fd);
                errno = saved;
        }
}
#define _cleanup_close_ _cleanup_(closep)

/* Hand ownership out of a cleanup-scoped variable. */
#define TAKE_PTR(p)                                   \
        ({                                            \
                __typeof__(p) _tp_ = (p);             \
                (p) = NULL;                           \
                _tp_;                                 \
        })
#define TAKE_FD(fd)                                   \
        ({                                            \
                int _tf_ = (fd);                      \
                (fd) = -EBADF;                        \
                _tf_;                                 \
        })

/* Define foop(), the cleanup function for a pointer freed by func(). */
#define DEFINE_TRIVIAL_CLEANUP_FUNC(type, func)       \
        static inline void func##p(type *p) {         \
                if (*p)                               \
                        func(*p);                     \
        }

/* Grow-by-doubling array push: GD_ARRAY_PUSH(arr, n, value) -> 0 or -ENOMEM. `arr` must be a
 * pointer variable and `n` its count; capacity is derived (next power of two), so no third
 * field is needed. */
static inline int gd_array_grow(void **arr, size_t n, size_t elsize) {
        if (n == 0 || (n & (n - 1)) == 0) {
                size_t cap = n ? n * 2 : 4;
                if (n != 0 && n < 4)
                        return 0;
                void *p = reallocarray(*arr, cap, elsize);
                if (!p)
                        return -ENOMEM;
                *arr = p;
        }
        return 0;
}
#define GD_ARRAY_PUSH(arr, n, value)                                                  \
        ({                                                                            \
                int _r_ = gd_array_grow((void **)&(arr), (n), sizeof(*(arr)));        \
                if (_r_ == 0)                                                         \
                        (arr)[(n)++] = (value);                                       \
                _r_;                                                                  \
        })
