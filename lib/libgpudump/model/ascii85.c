/* SPDX-License-Identifier: MIT */
/*
 * The kernel's ascii85 flavour (include/linux/ascii85.h): one group per little-endian u32, most
 * significant base-85 digit first, 'z' for a zero word, no delimiters, no partial groups.
 *
 * Decoding is most of the cost of hashing a dump, so whole groups take a fast path:
 *  - window path: 64 characters are classified at once (SSE2 where available, else one at a
 *    time) into a bitmask of 'z' positions and the length of the valid prefix; groups inside that
 *    prefix are then decoded without a data-dependent branch ('z' or not is a conditional move:
 *    real memory is a fifth zero words at random places, which a branch would mispredict);
 *  - on CPUs with AVX-512 VBMI, before that, a vector path: the next 12 tokens ('z' or group) of
 *    a 64-character window are located with byte permutes (pointer doubling over "where does
 *    the token at i end"), gathered, checked and computed 12 at a time;
 *  - group path: near the end of a chunk, one group at a time with one combined validity test.
 * Anything else (a group split across spans, a bad character, a 'z' inside a group, a value
 * above 0xffffffff) goes to the checked path, one character at a time, which names the offset.
 */
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_VBMI 1
#endif

#include "model.h"

#define WINDOW 64
#define P4 52200625ull /* 85^4 */
#define P3 614125ull
#define P2 7225ull
#define P1 85ull
/* The digits are characters minus '!': subtract it once for the whole sum. */
#define BIAS (33ull * (P4 + P3 + P2 + P1 + 1))

/* 0..84 for '!'..'u', 85 for 'z', 255 for anything else. */
static inline unsigned cls(uint8_t c) {
        if (c >= '!' && c <= 'u')
                return (unsigned)(c - '!');
        return c == 'z' ? 85 : 255;
}

bool gd_a85_is_line(const uint8_t *s, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (cls(s[i]) == 255)
                        return false;
        return n > 0;
}

static inline void put_le32(uint8_t *out, uint32_t v) {
        out[0] = (uint8_t)v;
        out[1] = (uint8_t)(v >> 8);
        out[2] = (uint8_t)(v >> 16);
        out[3] = (uint8_t)(v >> 24);
}

/* Value of the group at p, whose five characters are known to be in '!'..'u'. */
static inline uint64_t group_value(const uint8_t *p) {
        return p[0] * P4 + p[1] * P3 + p[2] * P2 + p[3] * P1 + p[4] - BIAS;
}

/* Classify WINDOW characters at p: bit k of *ret_z is set when p[k] is 'z'; returns how many
 * leading characters are valid ('!'..'u' or 'z'). */
static inline unsigned classify(const uint8_t *p, uint64_t *ret_z) {
        uint64_t z = 0, bad = 0;
#if defined(__SSE2__)
        const __m128i lo = _mm_set1_epi8('!' - 1), hi = _mm_set1_epi8('u' + 1), zc = _mm_set1_epi8('z');
        for (unsigned k = 0; k < WINDOW; k += 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + k));
                /* Signed compares: bytes >= 0x80 are negative, so below '!'. */
                __m128i isz = _mm_cmpeq_epi8(v, zc);
                __m128i ok = _mm_or_si128(_mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi)), isz);
                z |= (uint64_t)(unsigned)_mm_movemask_epi8(isz) << k;
                bad |= (uint64_t)(unsigned)(~_mm_movemask_epi8(ok) & 0xffff) << k;
        }
#else
        for (unsigned k = 0; k < WINDOW; k++) {
                unsigned c = cls(p[k]);
                z |= (uint64_t)(c == 85) << k;
                bad |= (uint64_t)(c == 255) << k;
        }
#endif
        *ret_z = z;
        return bad ? (unsigned)__builtin_ctzll(bad) : WINDOW;
}

/* Decode whole groups from a window of valid characters; stops at the first group that does
 * not fit in `valid` characters or is damaged. Returns the characters consumed. */
static inline unsigned window_groups(const uint8_t *p, uint64_t z, unsigned valid, uint8_t **o) {
        uint8_t *out = *o;
        unsigned pos = 0;

        while (pos + 5 <= valid) {
                uint64_t m = z >> pos;
                /* All ones for a digit group, 0 for 'z': arithmetic, not a branch. */
                uint64_t keep = (m & 1) - 1;
                uint64_t v = group_value(p + pos) & keep;
                /* A digit group must hold no 'z' and fit in 32 bits. */
                if (__builtin_expect((((m & 0x1e) | (v >> 32)) & keep) != 0, 0))
                        break;
                put_le32(out, (uint32_t)v);
                out += 4;
                pos += 1 + (unsigned)(keep & 4);
        }
        *o = out;
        return pos;
}

#ifdef HAVE_VBMI
#define VBMI_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi")))
#define TOKENS 12 /* 12 tokens span at most 60 characters: always inside the window */

/* Decode windows of 64 characters from s (at a group boundary) while at least 64 are left:
 * each step locates the next TOKENS tokens ('z' or group), checks and decodes them at once.
 * Stops before a window whose tokens hold anything but valid groups and 'z' (the scalar paths
 * handle it and name the damage). Returns the characters consumed; *o advances. The output
 * needs 4 bytes per character consumed plus 64 bytes of slack, which the caller's 4 bytes per
 * input character guarantee while 64 characters are left. */
VBMI_TARGET static size_t decode_vbmi(const uint8_t *s, size_t n, uint8_t **o) {
        static const uint8_t iota[64] = {
                0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43,
                44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
        };
        const __m512i idx = _mm512_loadu_si512((const void *)iota);
        /* rep4: byte j takes token j / 4; inc4: plus j % 4 (the group's j % 4-th character). */
        const __m512i rep4 = _mm512_srli_epi16(_mm512_and_si512(idx, _mm512_set1_epi8((char)0xfc)), 2);
        const __m512i inc4 = _mm512_and_si512(idx, _mm512_set1_epi8(3));
        const __m512i w85 = _mm512_set1_epi16(85 | (1 << 8));      /* d0 * 85 + d1 */
        const __m512i w7225 = _mm512_set1_epi32(7225 | (1 << 16)); /* (d0d1) * 7225 + (d2d3) */
        const __m512i lim = _mm512_set1_epi32(50529027);           /* 0xffffffff / 85 */
        const __mmask16 tokmask = (1u << TOKENS) - 1;
        uint8_t *out = *o;
        size_t i = 0;

        while (n - i >= WINDOW) {
                const __m512i v = _mm512_loadu_si512((const void *)(s + i));
                const __mmask64 zm = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('z'));
                const __mmask64 ok = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('!')),
                                                            _mm512_set1_epi8(85)) | zm;

                /* n1[i]: where a token starting at i ends; composing it with itself gives where
                 * the 2nd, 4th, 8th token after i starts. Indices past 63 wrap, but are only
                 * reached beyond the 12th token, which is never used. */
                const __m512i n1 = _mm512_mask_add_epi8(_mm512_add_epi8(idx, _mm512_set1_epi8(5)), zm, idx,
                                                        _mm512_set1_epi8(1));
                const __m512i n2 = _mm512_permutexvar_epi8(n1, n1);
                const __m512i n4 = _mm512_permutexvar_epi8(n2, n2);
                const __m512i n8 = _mm512_permutexvar_epi8(n4, n4);
                /* Token 12 starts at n8[n4[0]]: the shortest chain from a window to the next. */
                const unsigned end = (unsigned)_mm_cvtsi128_si32(_mm512_castsi512_si128(
                                             _mm512_permutexvar_epi8(n4, n8))) & 0xff;
                /* Every character before token 12 must be valid. */
                if (~ok & ((1ull << end) - 1))
                        break;

                /* f[k]: start of token k (lanes 12..15 are not used). */
                __m128i f = _mm_setzero_si128();
#define STEP(bits, sh, nn) \
        f = _mm_mask_blend_epi8(bits, f, _mm512_castsi512_si128(_mm512_permutexvar_epi8( \
                                                 _mm512_zextsi128_si512(_mm_bslli_si128(f, sh)), nn)))
                STEP(0x0002, 1, n1);
                STEP(0x000c, 2, n2);
                STEP(0x00f0, 4, n4);
                STEP(0xff00, 8, n8);
#undef STEP
                const __m512i fz = _mm512_zextsi128_si512(f);
                /* Per token (dword lane): its first four characters, and its fifth. */
                const __m512i g = _mm512_add_epi8(_mm512_permutexvar_epi8(rep4, fz), inc4);
                const __m512i g4 = _mm512_add_epi8(_mm512_permutexvar_epi8(rep4, fz),
                                                   _mm512_set1_epi8(4));
                const __m512i zv = _mm512_movm_epi8(zm);
                const __m512i zg = _mm512_permutexvar_epi8(g, zv), zg4 = _mm512_permutexvar_epi8(g4, zv);
                const __mmask16 ztok = _mm512_test_epi32_mask(zg, _mm512_set1_epi32(0xff)) & tokmask;
                /* A group must not hold a 'z'. */
                const __mmask16 zin = _mm512_test_epi32_mask(zg, _mm512_set1_epi32((int)0xffffff00)) |
                                      _mm512_test_epi32_mask(zg4, _mm512_set1_epi32(0xff));
                const __m512i c = _mm512_sub_epi8(_mm512_permutexvar_epi8(g, v), _mm512_set1_epi8('!'));
                const __m512i hi = _mm512_madd_epi16(_mm512_maddubs_epi16(c, w85), w7225);
                const __m512i d4 = _mm512_sub_epi32(_mm512_and_si512(_mm512_permutexvar_epi8(g4, v),
                                                                     _mm512_set1_epi32(0xff)),
                                                    _mm512_set1_epi32('!'));
                /* hi * 85 + d4 fits in 32 bits iff hi < 50529027, or hi == 50529027 and d4 == 0. */
                const __mmask16 over = _mm512_cmpgt_epu32_mask(hi, lim) |
                                       _mm512_mask_cmpneq_epi32_mask(_mm512_cmpeq_epi32_mask(hi, lim), d4,
                                                                     _mm512_setzero_si512());
                if ((zin | over) & tokmask & ~ztok)
                        break;
                const __m512i w = _mm512_maskz_add_epi32((__mmask16)~ztok,
                                                         _mm512_mullo_epi32(hi, _mm512_set1_epi32(85)), d4);
                _mm512_storeu_si512((void *)out, w);
                out += 4 * TOKENS;
                i += end;
        }
        *o = out;
        return i;
}

static bool use_vbmi(void) {
        /* The CPU's answer, not state: a benign race, every thread computes the same value. */
        static int cached = -1;
        int c = __atomic_load_n(&cached, __ATOMIC_RELAXED);
        if (c < 0) {
                __builtin_cpu_init();
                c = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                    __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi");
                __atomic_store_n(&cached, c, __ATOMIC_RELAXED);
        }
        return c;
}
#else
static bool use_vbmi(void) {
        return false;
}
#endif

/* GPUDUMP_A85_SCALAR=1 turns the vector path off, so tests can check the scalar paths on the same
 * inputs (the output is the same either way, only the speed differs). Read from the environment
 * on each call rather than kept in a library variable: the library holds no mutable state. */
static bool simd_wanted(void) {
        const char *e = getenv("GPUDUMP_A85_SCALAR");
        return !(e && e[0] == '1');
}

ssize_t gd_a85_decode(struct gd_a85 *st, const uint8_t *s, size_t n, uint64_t off, uint8_t *out,
                      uint64_t *ret_bad, const char **ret_why) {
        uint8_t *o = out;
        size_t i = 0;
#ifdef HAVE_VBMI
        const bool simd = n >= WINDOW && use_vbmi() && simd_wanted();
#endif

        while (i < n) {
                if (st->n == 0) {
#ifdef HAVE_VBMI
                        if (simd && n - i >= WINDOW)
                                i += decode_vbmi(s + i, n - i, &o);
#endif
                        while (n - i >= WINDOW) {
                                uint64_t z;
                                unsigned valid = classify(s + i, &z);
                                unsigned k = window_groups(s + i, z, valid, &o);
                                i += k;
                                if (k == 0 || valid < WINDOW)
                                        break;
                        }
                        /* Tail: one group at a time, one combined validity test. */
                        while (n - i >= 5) {
                                const uint8_t *p = s + i;
                                if (p[0] == 'z') {
                                        memset(o, 0, 4);
                                        o += 4;
                                        i++;
                                        continue;
                                }
                                uint32_t d0 = p[0] - 33u, d1 = p[1] - 33u, d2 = p[2] - 33u,
                                         d3 = p[3] - 33u, d4 = p[4] - 33u;
                                uint64_t v = d0 * P4 + d1 * P3 + d2 * P2 + d3 * P1 + d4;
                                bool bad = (d0 >= 85) | (d1 >= 85) | (d2 >= 85) | (d3 >= 85) |
                                           (d4 >= 85) | (v > 0xffffffffull);
                                if (__builtin_expect(bad, 0))
                                        break;
                                put_le32(o, (uint32_t)v);
                                o += 4;
                                i += 5;
                        }
                        if (i >= n)
                                break;
                }
                /* Checked path: one character at a time (group split across spans, or damage). */
                unsigned c = cls(s[i]);
                if (c == 255) {
                        *ret_bad = off + i;
                        *ret_why = "invalid ascii85 character";
                        return -EBADMSG;
                }
                if (c == 85) {
                        if (st->n != 0) {
                                *ret_bad = off + i;
                                *ret_why = "'z' inside an ascii85 group";
                                return -EBADMSG;
                        }
                        memset(o, 0, 4);
                        o += 4;
                        i++;
                        continue;
                }
                if (st->n == 0) {
                        st->group_offset = off + i;
                        st->acc = 0;
                }
                st->acc = st->acc * 85 + c;
                st->n++;
                i++;
                if (st->n == 5) {
                        if (st->acc > 0xffffffffull) {
                                *ret_bad = st->group_offset;
                                *ret_why = "ascii85 group value exceeds 0xffffffff";
                                return -EBADMSG;
                        }
                        put_le32(o, (uint32_t)st->acc);
                        o += 4;
                        st->n = 0;
                        st->acc = 0;
                }
        }
        return (ssize_t)(o - out);
}
