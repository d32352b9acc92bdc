/* SPDX-License-Identifier: MIT */
/*
 * Builds xe devcoredump text for the unit tests, from the kernel's format strings (the layout of
 * the reference example, newest era), with variants: embedded in dmesg or mail, wrapped blobs,
 * the legacy layout, the reference driver's `.zstd:` VMAs, and an extra large VMA.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum dumpgen_prefix {
        DUMPGEN_PREFIX_NONE,
        DUMPGEN_PREFIX_DMESG, /* "[  12.345678] xe 0000:00:02.0: [drm] *ERROR* ", time varies */
        DUMPGEN_PREFIX_MAIL,  /* "> " (blank lines become ">") */
};

struct dumpgen_opts {
        enum dumpgen_prefix prefix;
        size_t wrap;          /* wrap blob text every `wrap` characters (0: one line) */
        bool vxe;             /* module: vxe, VMAs as `[va].zstd:` */
        bool legacy;          /* v6.8-v6.13 forms: Log data:, \nGuC ID under CT, _LO/_HI, cmd[n] */
        size_t big_vma;       /* bytes of an extra VMA at 0x200000000 with pseudo-random words */
};

/* The 4 KiB batch at 0x1a0000000: MI_SEMAPHORE_WAIT on 0x1b0000040, then BB end. */
extern const uint32_t dumpgen_batch_words[5];

/* Kernel ascii85 of n little-endian words, appended to a malloc'd buffer. */
char *dumpgen_a85(const uint32_t *words, size_t n, size_t *ret_len);

/* The whole dump as text (malloc'd, NUL-terminated; *ret_len without the NUL). */
char *dumpgen_xe(const struct dumpgen_opts *o, size_t *ret_len);

/* The pseudo-random word i of the big VMA (so tests can check bytes without storing them). */
uint32_t dumpgen_big_word(size_t i);

/* Small hand-written dumps (NUL-terminated text) for single concerns. */
extern const char dumpgen_seqno_text[];    /* seqnos -1, -127, and absent ones */
extern const char dumpgen_dup_regs_text[]; /* register names printed twice (v6.8 RING_MODE) */

/* An i915 error state holding one zlib (`:`) object of the given zlib stream at 0x100100000
 * (rcs0 user), and with_raw a `~` ring object of two words (1, 0) at 0x100200000. */
char *dumpgen_i915_zlib(const uint8_t *zdata, size_t zlen, bool with_raw, size_t *ret_len);
