/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the fast ascii85 paths (lib/libgpudump/model/ascii85.c) against a plain reference
 * decoder written here, one character at a time: every position of a 'z', a bad character, the
 * maximum group s8W-! and the overflowing s8W-" relative to the 5-character groups and the
 * 64-character windows, every split of the input into two calls, and bad characters at the
 * 16 KiB chunk boundaries of blob decoding. Each case runs with the vector decoder (where the
 * CPU has one) and with the scalar paths. Plus i915 zlib objects, whose length is only known
 * once inflated, read by virtual address and reported in JSON; and the pipelined hashing of
 * one big VMA.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "dumpgen.h"
#include "gd-macro.h"
#include "gpudump.h"
#include "input.h"
#include "model.h"

/* The library picks the vector decoder unless GPUDUMP_A85_SCALAR=1: run each case both ways. */
static void set_simd(bool enable) {
        setenv("GPUDUMP_A85_SCALAR", enable ? "0" : "1", 1);
}

#define N_WORDS 400

/* The reference: the kernel flavour, character by character. */
struct ref_result {
        ssize_t n;       /* bytes, or -EBADMSG */
        uint64_t bad;
        const char *why; /* a word of the expected reason */
};

static struct ref_result ref_decode(const uint8_t *s, size_t n, uint8_t *out) {
        uint64_t acc = 0, start = 0;
        unsigned k = 0;
        size_t o = 0;

        for (size_t i = 0; i < n; i++) {
                uint8_t c = s[i];
                if (c == 'z') {
                        if (k != 0)
                                return (struct ref_result){ -EBADMSG, i, "inside" };
                        memset(out + o, 0, 4);
                        o += 4;
                        continue;
                }
                if (c < '!' || c > 'u')
                        return (struct ref_result){ -EBADMSG, i, "invalid" };
                if (k == 0)
                        start = i;
                acc = acc * 85 + (c - '!');
                if (++k == 5) {
                        if (acc > 0xffffffffull)
                                return (struct ref_result){ -EBADMSG, start, "exceeds" };
                        for (unsigned b = 0; b < 4; b++)
                                out[o++] = (uint8_t)(acc >> (8 * b));
                        acc = 0;
                        k = 0;
                }
        }
        if (k != 0)
                return (struct ref_result){ -EBADMSG, start, "partial" };
        return (struct ref_result){ (ssize_t)o, 0, NULL };
}

/* Decode with the library in pieces split at the given offsets (sorted, may repeat). */
static struct ref_result lib_decode(const uint8_t *s, size_t n, const size_t *cuts, size_t n_cuts,
                                    uint64_t base, uint8_t *out) {
        struct gd_a85 st = {};
        size_t pos = 0, o = 0;

        for (size_t c = 0; c <= n_cuts; c++) {
                size_t end = c < n_cuts ? cuts[c] : n;
                uint64_t bad = 0;
                const char *why = NULL;
                ssize_t r = gd_a85_decode(&st, s + pos, end - pos, base + pos, out + o, &bad, &why);
                if (r < 0)
                        return (struct ref_result){ r, bad - base, why };
                o += (size_t)r;
                pos = end;
        }
        if (st.n != 0)
                return (struct ref_result){ -EBADMSG, st.group_offset - base, "partial" };
        return (struct ref_result){ (ssize_t)o, 0, NULL };
}

static void check_same(const uint8_t *s, size_t n, const size_t *cuts, size_t n_cuts, const char *what,
                       size_t where) {
        static uint8_t want[4 * 4 * N_WORDS + 64], got[4 * 4 * N_WORDS + 64];
        struct ref_result e = ref_decode(s, n, want);
        struct ref_result g = lib_decode(s, n, cuts, n_cuts, 7000, got);

        ck_assert_msg(g.n == e.n, "%s at %zu: decoded %zd, expected %zd", what, where, g.n, e.n);
        if (e.n >= 0) {
                ck_assert_msg(memcmp(got, want, (size_t)e.n) == 0, "%s at %zu: bytes differ", what, where);
                return;
        }
        ck_assert_msg(g.bad == e.bad, "%s at %zu: error at %llu, expected %llu", what, where,
                      (unsigned long long)g.bad, (unsigned long long)e.bad);
        ck_assert_msg(strstr(g.why, e.why), "%s at %zu: reason '%s', expected '%s'", what, where, g.why, e.why);
}

/* Text of N_WORDS words: a fifth zero ('z'), some 0xffffffff (s8W-!), the rest mixed; *starts
 * receives each token's offset. */
static uint8_t *make_text(size_t *ret_len, size_t *starts) {
        uint32_t words[N_WORDS];
        uint64_t x = 0x9e3779b97f4a7c15ull;
        size_t len = 0;

        for (size_t i = 0; i < N_WORDS; i++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                words[i] = (x % 5 == 0) ? 0 : (x % 11 == 0) ? 0xffffffffu : (uint32_t)(x >> 16);
        }
        char *t = dumpgen_a85(words, N_WORDS, &len);
        for (size_t i = 0, k = 0; i < N_WORDS; i++) {
                starts[i] = k;
                k += t[k] == 'z' ? 1 : 5;
        }
        *ret_len = len;
        return (uint8_t *)t;
}

static const bool simd_modes[] = { true, false };

START_TEST(a85_fast_clean_and_splits) {
        size_t starts[N_WORDS], len;
        uint8_t *t = make_text(&len, starts);

        set_simd(simd_modes[_i]);
        check_same(t, len, NULL, 0, "whole", 0);
        /* Every split into two calls (a group cut anywhere, a window cut anywhere). */
        for (size_t k = 0; k <= len; k++)
                check_same(t, len, &k, 1, "split", k);
        /* Three pieces around window-sized lengths. */
        for (size_t k = 0; k + 130 <= len; k += 7) {
                size_t cuts[2] = { k, k + 63 + k % 3 };
                check_same(t, len, cuts, 2, "split3", k);
        }
        set_simd(true);
        free(t);
}
END_TEST

START_TEST(a85_fast_damage_everywhere) {
        static const uint8_t bad_chars[] = { 'z', '~', ' ', 'v', 0x80, 0xff, '\n', 0 };
        size_t starts[N_WORDS], len;
        uint8_t *t = make_text(&len, starts);
        size_t limit = len < 400 ? len : 400; /* past six windows and any token alignment */

        set_simd(simd_modes[_i]);
        /* A bad character or a 'z' at every position: the reference says which error, where. */
        for (size_t p = 0; p < limit; p++)
                for (size_t b = 0; b < sizeof(bad_chars); b++) {
                        uint8_t keep = t[p];
                        t[p] = bad_chars[b];
                        check_same(t, len, NULL, 0, "damage", p);
                        /* ...and with a split right before and right after it. */
                        size_t cut = p;
                        check_same(t, len, &cut, 1, "damage+split", p);
                        cut = p + 1;
                        check_same(t, len, &cut, 1, "damage+split", p);
                        t[p] = keep;
                }
        /* The largest group and the first overflowing one at every token position. */
        for (size_t w = 0; w < N_WORDS && starts[w] + 5 <= len && starts[w] < limit; w++) {
                if (t[starts[w]] == 'z')
                        continue;
                uint8_t keep[5];
                memcpy(keep, t + starts[w], 5);
                memcpy(t + starts[w], "s8W-!", 5);
                check_same(t, len, NULL, 0, "max", starts[w]);
                uint8_t out[4 * N_WORDS];
                struct ref_result g = lib_decode(t, len, NULL, 0, 0, out);
                ck_assert_int_ge(g.n, 0);
                ck_assert_uint_eq(out[4 * w] & out[4 * w + 1] & out[4 * w + 2] & out[4 * w + 3], 0xff);
                memcpy(t + starts[w], "s8W-\"", 5);
                g = lib_decode(t, len, NULL, 0, 0, out);
                ck_assert_int_eq(g.n, -EBADMSG);
                ck_assert_uint_eq(g.bad, starts[w]);
                ck_assert_ptr_nonnull(strstr(g.why, "exceeds"));
                check_same(t, len, NULL, 0, "overflow", starts[w]);
                memcpy(t + starts[w], keep, 5);
        }
        set_simd(true);
        free(t);
}
END_TEST

START_TEST(a85_fast_z_runs) {
        /* Long runs of 'z' (a window of zero words), then groups, in every mix. */
        uint8_t t[1200];
        size_t len = 0;

        set_simd(simd_modes[_i]);
        for (size_t run = 0; run < 140; run += 3) {
                len = 0;
                for (size_t i = 0; i < run; i++)
                        t[len++] = 'z';
                for (size_t i = 0; i < 40; i++) {
                        memcpy(t + len, i % 3 ? "b.FY8" : "s8W-!", 5);
                        len += 5;
                        if (i % 4 == 0)
                                t[len++] = 'z';
                }
                check_same(t, len, NULL, 0, "z run", run);
        }
        set_simd(true);
}
END_TEST

static struct gpudump_dump *open_text(const char *text, size_t len) {
        struct gpudump_dump *d = NULL;
        ck_assert_int_eq(gpudump_dump_new_from_memory(text, len, GPUDUMP_OPEN_NO_ANALYSIS, &d), 0);
        ck_assert_ptr_nonnull(d);
        return d;
}

static bool diag_at(struct gpudump_dump *d, const char *needle, uint64_t offset) {
        for (size_t i = 0; i < gpudump_dump_get_n_diagnostics(d); i++) {
                uint64_t off;
                const char *msg;
                ck_assert_int_eq(gpudump_dump_get_diagnostic(d, i, NULL, &off, NULL, &msg), 0);
                if (strstr(msg, needle) && off == offset)
                        return true;
        }
        return false;
}

START_TEST(a85_blob_chunk_boundaries) {
        /* One VMA of 40000 words: blob decoding feeds the decoder 16 KiB at a time, so groups
         * are cut at 16384 and 32768; damage there must still be named by its offset. */
        static const size_t n_words = 40000;
        uint32_t *w = malloc(n_words * 4);
        ck_assert_ptr_nonnull(w);
        for (size_t i = 0; i < n_words; i++)
                w[i] = i % 7 == 3 ? 0 : (uint32_t)(i * 2654435761u) | 1;
        size_t tl;
        char *a = dumpgen_a85(w, n_words, &tl);
        char head[128];
        int hl = snprintf(head, sizeof(head), "**** Xe Device Coredump ****\n\n**** VM state ****\n"
                                              "[1000].length: 0x%zx\n[1000].data: ", n_words * 4);
        size_t len = (size_t)hl + tl + 1;
        char *text = malloc(len);
        ck_assert_ptr_nonnull(text);
        memcpy(text, head, (size_t)hl);
        memcpy(text + hl, a, tl);
        text[len - 1] = '\n';

        set_simd(simd_modes[_i]);
        /* Clean: the bytes come back. */
        struct gpudump_dump *d = open_text(text, len);
        void *data = NULL;
        size_t size = 0;
        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_find_vma(d, 0x1000), &data, &size), 0);
        ck_assert_uint_eq(size, n_words * 4);
        ck_assert_int_eq(memcmp(data, w, size), 0);
        free(data);
        gpudump_dump_unref(d);

        for (size_t chunk = 16384; chunk <= 32768; chunk += 16384)
                for (size_t k = chunk - 6; k <= chunk + 6; k++) {
                        size_t p = (size_t)hl + k;
                        char keep = text[p];
                        text[p] = '~';
                        d = open_text(text, len);
                        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_find_vma(d, 0x1000), &data, &size),
                                         -EBADMSG);
                        ck_assert_msg(diag_at(d, "invalid ascii85 character 0x7e", p),
                                      "no diagnostic at offset %zu", p);
                        gpudump_dump_unref(d);
                        text[p] = keep;
                }
        set_simd(true);
        free(text);
        free(a);
        free(w);
}
END_TEST

START_TEST(pipelined_hash) {
        /* One 8 MiB VMA outweighs the rest of the dump: the report hashes it pipelined (decode
         * here, hash on a helper thread). Same hash as one thread; damage in the middle stops
         * both threads and is reported with its offset. */
        struct dumpgen_opts o = { .big_vma = 8u << 20 };
        size_t len;
        char *text = dumpgen_xe(&o, &len);
        struct gpudump_dump *d = open_text(text, len);
        struct gpudump_vma *v = gpudump_dump_find_vma(d, 0x200000000ull);
        ck_assert_ptr_nonnull(v);
        const struct gd_blob *blob = &((struct gd_vma *)v)->blob;
        char one[65], two[65];
        ck_assert_int_eq(gd_blob_sha256_full(d, blob, false, NULL, one), 0);
        ck_assert_int_eq(gd_blob_sha256_full(d, blob, true, NULL, two), 0);
        ck_assert_str_eq(one, two);
        char *json = NULL;
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        ck_assert_ptr_nonnull(strstr(json, one));
        free(json);
        gpudump_dump_unref(d);

        const char *data = strstr(text, "[200000000].data: ");
        ck_assert_ptr_nonnull(data);
        size_t bad = (size_t)(data - text) + 18 + 6000000;
        ck_assert_uint_lt(bad, len);
        text[bad] = '~';
        d = open_text(text, len);
        v = gpudump_dump_find_vma(d, 0x200000000ull);
        blob = &((struct gd_vma *)v)->blob;
        ck_assert_int_eq(gd_blob_sha256_full(d, blob, true, NULL, two), -EBADMSG);
        ck_assert(diag_at(d, "invalid ascii85 character 0x7e", bad));
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        ck_assert_ptr_nonnull(strstr(json, "\"damaged\":true"));
        free(json);
        gpudump_dump_unref(d);
        free(text);
}
END_TEST

/* ---- i915 zlib objects by virtual address ---- */

static char *i915_text(const uint8_t *zdata, size_t zlen, size_t *ret_len, bool with_raw) {
        return dumpgen_i915_zlib(zdata, zlen, with_raw, ret_len);
}

START_TEST(i915_zlib_read_va) {
        /* Three pages, each word its index: compressible, and every offset checkable. */
        static const size_t size = 3 * 4096;
        uint32_t *page = malloc(size);
        ck_assert_ptr_nonnull(page);
        for (size_t i = 0; i < size / 4; i++)
                page[i] = (uint32_t)(i * 0x01010101u);
        uLongf zlen = compressBound(size);
        uint8_t *z = malloc(zlen);
        ck_assert_ptr_nonnull(z);
        ck_assert_int_eq(compress(z, &zlen, (const Bytef *)page, size), Z_OK);
        size_t len;
        char *text = i915_text(z, zlen, &len, true);

        /* Twice: once learning the length through read_va itself, once after the JSON hashes
         * (which learn it on the way). */
        for (int pass = 0; pass < 2; pass++) {
                struct gpudump_dump *d = open_text(text, len);
                ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_I915);
                if (pass == 1) {
                        char *json = NULL;
                        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
                        free(json);
                }
                uint32_t buf[8];
                ck_assert_int_eq(gpudump_dump_read_va(d, 0x100100000ull, buf, 8), 0);
                ck_assert_uint_eq(buf[0], 0);
                ck_assert_uint_eq(buf[1], 0x01010101u);
                /* Inside the third page, and right up to the end. */
                ck_assert_int_eq(gpudump_dump_read_va(d, 0x100100000ull + 2 * 4096 + 40, buf, 8), 0);
                ck_assert_uint_eq(buf[0], 2058u * 0x01010101u);
                ck_assert_uint_eq(buf[1], 2059u * 0x01010101u);
                ck_assert_int_eq(gpudump_dump_read_va(d, 0x100100000ull + size - 8, buf, 8), 0);
                ck_assert_uint_eq(buf[1], (uint32_t)(size / 4 - 1) * 0x01010101u);
                /* One byte past the inflated end is not captured. */
                ck_assert_int_eq(gpudump_dump_read_va(d, 0x100100000ull + size - 4, buf, 8), -ENOENT);
                ck_assert_int_eq(gpudump_dump_read_va(d, 0x100100000ull + size, buf, 4), -ENOENT);
                struct gpudump_vma *v = gpudump_dump_find_vma(d, 0x100100000ull);
                ck_assert_ptr_nonnull(v);
                ck_assert_uint_eq(gpudump_vma_get_length(v), size);
                /* The raw object next to it still reads by address too. */
                ck_assert_int_eq(gpudump_dump_read_va(d, 0x100200000ull, buf, 8), 0);
                ck_assert_uint_eq(buf[0], 1);
                ck_assert_uint_eq(buf[1], 0);
                ck_assert_uint_eq(gpudump_dump_get_n_diagnostics(d), 0);
                gpudump_dump_unref(d);
        }
        free(text);

        /* A damaged stream: no length, no read by address, and the damage is named. */
        z[zlen / 2] ^= 0x55;
        z[zlen / 2 + 1] ^= 0xaa;
        text = i915_text(z, zlen / 2 + 2, &len, false);
        struct gpudump_dump *d = open_text(text, len);
        uint32_t buf[2];
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x100100000ull, buf, 8), -ENOENT);
        size_t n_diags = gpudump_dump_get_n_diagnostics(d);
        ck_assert_uint_ge(n_diags, 1);
        /* Learnt once: asking again decodes nothing more and adds no diagnostic. */
        ck_assert_uint_eq(gpudump_vma_get_length(gpudump_dump_find_vma(d, 0x100100000ull)), 0);
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x100100000ull, buf, 8), -ENOENT);
        ck_assert_uint_eq(gpudump_dump_get_n_diagnostics(d), n_diags);
        gpudump_dump_unref(d);
        free(text);
        free(z);
        free(page);
}
END_TEST

/* The JSON `length` of an i915 zlib object is what gpudump_vma_get_length() says: the inflated
 * length, whether hashing decoded it or not; 0 and damaged for a stream that does not inflate. */
START_TEST(i915_zlib_json_length) {
        static const size_t size = 2 * 4096;
        static const unsigned modes[] = { 0, GPUDUMP_JSON_NO_SHA256 };
        uint8_t *page = malloc(size);
        ck_assert_ptr_nonnull(page);
        for (size_t i = 0; i < size; i++)
                page[i] = (uint8_t)(i * 7 / 3);
        uLongf zlen = compressBound(size);
        uint8_t *z = malloc(zlen);
        ck_assert_ptr_nonnull(z);
        ck_assert_int_eq(compress(z, &zlen, page, size), Z_OK);

        for (int damaged = 0; damaged < 2; damaged++) {
                if (damaged) {
                        z[zlen / 2] ^= 0x55;
                        z[zlen / 2 + 1] ^= 0xaa;
                }
                size_t len;
                char *text = i915_text(z, damaged ? zlen / 2 + 2 : zlen, &len, false);
                for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
                        struct gpudump_dump *d = open_text(text, len);
                        char *json = NULL, want[96];
                        ck_assert_int_eq(gpudump_dump_to_json(d, modes[m], &json), 0);
                        snprintf(want, sizeof(want), "{\"address\":\"0x100100000\",\"length\":%zu,",
                                 damaged ? (size_t)0 : size);
                        ck_assert_msg(strstr(json, want), "mode %zu damaged %d: no %s in %s", m,
                                      damaged, want, json);
                        ck_assert_msg(!strstr(json, "\"length\":0,") == !damaged, "mode %zu", m);
                        ck_assert(!strstr(json, "\"damaged\":true") == !damaged);
                        ck_assert(!strstr(json, "\"sha256\"") == (damaged || modes[m]));
                        ck_assert_uint_eq(gpudump_vma_get_length(gpudump_dump_find_vma(d, 0x100100000ull)),
                                          damaged ? 0 : size);
                        free(json);
                        gpudump_dump_unref(d);
                }
                free(text);
        }
        free(z);
        free(page);
}
END_TEST

static Suite *a85_suite(void) {
        Suite *s = suite_create("a85");
        TCase *tc = tcase_create("fast");

        tcase_set_timeout(tc, 600);
        tcase_add_loop_test(tc, a85_fast_clean_and_splits, 0, 2);
        tcase_add_loop_test(tc, a85_fast_damage_everywhere, 0, 2);
        tcase_add_loop_test(tc, a85_fast_z_runs, 0, 2);
        tcase_add_loop_test(tc, a85_blob_chunk_boundaries, 0, 2);
        suite_add_tcase(s, tc);

        tc = tcase_create("pipeline");
        tcase_set_timeout(tc, 600);
        tcase_add_test(tc, pipelined_hash);
        suite_add_tcase(s, tc);

        tc = tcase_create("i915");
        tcase_add_test(tc, i915_zlib_read_va);
        tcase_add_test(tc, i915_zlib_json_length);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(a85_suite());
        int failed;

        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
