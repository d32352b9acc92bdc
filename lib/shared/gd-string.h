/* SPDX-License-Identifier: MIT */
/*
 * Bounded string helpers for text that is not NUL-terminated (lines of a mapped dump).
 * Depends on nothing of ours; used by libgpudump, the CLI and the daemon.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* true when the n bytes at s start with the NUL-terminated prefix. */
static inline bool gd_startswith(const void *s, size_t n, const char *prefix) {
        size_t l = strlen(prefix);
        return n >= l && memcmp(s, prefix, l) == 0;
}

/* true when the n bytes at s are exactly the NUL-terminated word. */
static inline bool gd_memeq(const void *s, size_t n, const char *word) {
        size_t l = strlen(word);
        return n == l && memcmp(s, word, l) == 0;
}

/* Parse all n bytes as hex digits (optionally after "0x"). Returns the number of digits, or -1
 * when a byte is not a hex digit, there are none, or the value exceeds 64 bits. */
int gd_parse_hex(const char *s, size_t n, uint64_t *ret);
/* Parse all n bytes as a decimal (optional leading '-'). -1 on junk, empty or overflow. */
int gd_parse_dec(const char *s, size_t n, int64_t *ret);
/* Parse the leading hex digits of s (after an optional "0x"); *ret_used gets the bytes consumed
 * (0 when no digit). Returns the digit count or -1 on overflow. */
int gd_parse_hex_prefix(const char *s, size_t n, uint64_t *ret, size_t *ret_used);
/* Parse a leading decimal (optional '-'); *ret_used as above. -1 on overflow. */
int gd_parse_dec_prefix(const char *s, size_t n, int64_t *ret, size_t *ret_used);
/* NUL-terminated copy of n bytes, NULL on OOM. */
char *gd_strndup(const void *s, size_t n);
/* Parse a NUL-terminated size: digits, optional blanks, an optional unit K, M, G, T (powers of
 * 1024, either case) with an optional "B"/"iB", or a bare "B". 0, -EINVAL on junk, -ERANGE when it
 * does not fit 64 bits. Shared by the CLI's --max-size and gpudumpd's size settings. */
int gd_parse_size(const char *s, uint64_t *ret);
/* Trim leading/trailing spaces and tabs of [*s, *s + *n). */
void gd_trim(const char **s, size_t *n);
