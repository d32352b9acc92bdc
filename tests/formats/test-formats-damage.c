/* SPDX-License-Identifier: MIT */
/*
 * Damage every good non-xe fixture many ways -- cut at line starts and inside lines, cut
 * around every binary object header, single bytes overwritten at pseudo-random places -- and
 * decode each variant from memory: it must decode (no crash, no hang, no error return), every
 * VMA must read or fail with -ENODATA/-EBADMSG, the JSON report must render, every diagnostic
 * must point inside the input, and a cut inside a line or a binary record must be diagnosed.
 *
 * Usage: test-formats-damage FIXTURE_DIR   (FIXTURE_DIR/manifest.txt lists the dumps)
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gd-macro.h"
#include "gpudump.h"

/* The good dumps of every format (the damaged ones in the manifest are variants already). */
static const char *const bases[] = {
        "i915-zlib.txt", "i915-raw.txt", "i915-hex.txt", "i915-v4.4.txt", "i915-guc.txt",
        "amdgpu.txt",    "msm.txt",      "panfrost.bin", "etnaviv.bin",
};

static const char *fixture_dir;
static unsigned scale = 1; /* 1 normally, 4 under valgrind: fewer variants, same kinds */

static int read_file(const char *name, uint8_t **ret, size_t *ret_size) {
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        uint8_t *buf;

        if (asprintf(&path, "%s/%s", fixture_dir, name) < 0)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0)
                return -errno;
        buf = malloc((size_t)st.st_size + 1);
        if (!buf)
                return -ENOMEM;
        if (read(fd, buf, (size_t)st.st_size) != st.st_size) {
                free(buf);
                return -EIO;
        }
        *ret = buf;
        *ret_size = (size_t)st.st_size;
        return 0;
}

/* Decode one variant; returns its number of diagnostics, or SIZE_MAX when the damage left no
 * recognisable dump (a cut inside the first line): that is "not a dump", not an error. */
static size_t decode(const char *what, const uint8_t *buf, size_t n) {
        struct gpudump_dump *d = NULL;
        _cleanup_free_ char *json = NULL;
        size_t nd;

        ck_assert_msg(gpudump_dump_new_from_memory(buf, n, 0, &d) == 0, "%s: decode failed", what);
        for (size_t i = 0; i < gpudump_dump_get_n_vmas(d); i++) {
                struct gpudump_vma *v = gpudump_dump_get_vma(d, i);
                _cleanup_free_ void *data = NULL;
                size_t len = 0;
                int r = gpudump_vma_read(v, &data, &len);
                ck_assert_msg(r == 0 || r == -ENODATA || r == -EBADMSG, "%s: VMA %zu read: %d",
                              what, i, r);
        }
        ck_assert_msg(gpudump_dump_to_json(d, GPUDUMP_JSON_NO_SHA256, &json) == 0,
                      "%s: no JSON report", what);
        nd = gpudump_dump_get_n_diagnostics(d);
        if (gpudump_dump_get_format(d) == GPUDUMP_FORMAT_UNKNOWN)
                nd = SIZE_MAX;
        for (size_t i = 0; nd != SIZE_MAX && i < nd; i++) {
                uint64_t off = UINT64_MAX;
                const char *msg = NULL;
                ck_assert_int_eq(gpudump_dump_get_diagnostic(d, i, NULL, &off, NULL, &msg), 0);
                ck_assert_msg(msg && *msg && off <= n, "%s: diagnostic %zu at %llu of %zu: %s",
                              what, i, (unsigned long long)off, n, msg ? msg : "(null)");
        }
        gpudump_dump_unref(d);
        return nd;
}

static bool is_binary(const char *name) {
        return strstr(name, ".bin") != NULL;
}

START_TEST(test_cuts) {
        const char *name = bases[_i];
        _cleanup_free_ uint8_t *buf = NULL;
        size_t n = 0, step, nd;
        char what[128];

        ck_assert_int_eq(read_file(name, &buf, &n), 0);
        if (is_binary(name)) {
                /* Around every header of the header array, then evenly through the payloads. */
                size_t hdr = strncmp(name, "panfrost", 8) == 0 ? 2000 : 32;
                for (size_t at = 0; at < n && at < hdr * 16; at += hdr * scale) {
                        for (size_t c = at ? at - 1 : 0; c <= at + 1 && c < n; c++) {
                                snprintf(what, sizeof(what), "%s cut at %zu", name, c);
                                nd = decode(what, buf, c);
                                /* the magic is not even there below 4 bytes: not a dump */
                                if (c >= 4)
                                        ck_assert_msg(nd > 0, "%s: no diagnostic", what);
                        }
                }
                step = n / (64 / scale) + 1;
                for (size_t c = 4; c < n; c += step) {
                        snprintf(what, sizeof(what), "%s cut at %zu", name, c);
                        ck_assert_msg(decode(what, buf, c) > 0, "%s: no diagnostic", what);
                }
                return;
        }
        /* Text: at line starts (may be clean) and in the middle of lines (must be diagnosed). */
        {
                size_t lines = 0, k = 0;
                for (size_t i = 0; i < n; i++)
                        lines += buf[i] == '\n';
                step = lines / (200 / scale) + 1;
                for (size_t i = 0, start = 0; i < n; i++) {
                        if (buf[i] != '\n')
                                continue;
                        if (k++ % step == 0 && i - start > 2) {
                                size_t mid = start + (i - start) / 2 + 1;
                                snprintf(what, sizeof(what), "%s cut at line start %zu", name, start);
                                decode(what, buf, start);
                                snprintf(what, sizeof(what), "%s cut inside a line at %zu", name, mid);
                                ck_assert_msg(decode(what, buf, mid) > 0, "%s: no diagnostic", what);
                        }
                        start = i + 1;
                }
        }
}
END_TEST

START_TEST(test_bytes) {
        const char *name = bases[_i];
        _cleanup_free_ uint8_t *buf = NULL;
        size_t n = 0;
        uint64_t x = 0x9e3779b97f4a7c15ull + (uint64_t)_i;
        char what[128];

        ck_assert_int_eq(read_file(name, &buf, &n), 0);
        for (unsigned k = 0; k < 96 / scale; k++) {
                /* xorshift64: reproducible positions and values */
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                size_t at = (size_t)(x % n);
                uint8_t old = buf[at], val = (uint8_t)(x >> 32);
                if (val == old)
                        val ^= 0x5a;
                buf[at] = val;
                snprintf(what, sizeof(what), "%s byte %zu 0x%02x -> 0x%02x", name, at, old, val);
                decode(what, buf, n);
                buf[at] = old;
        }
}
END_TEST

int main(int argc, char **argv) {
        SRunner *sr;
        Suite *s;
        TCase *tc;
        int failed;

        if (argc != 2) {
                fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
                return EXIT_FAILURE;
        }
        fixture_dir = argv[1];
        if (getenv("GPUDUMP_UNDER_VALGRIND"))
                scale = 4;

        s = suite_create("formats-damage");
        tc = tcase_create("cuts");
        tcase_set_timeout(tc, 300);
        tcase_add_loop_test(tc, test_cuts, 0, (int)ELEMENTSOF(bases));
        suite_add_tcase(s, tc);
        tc = tcase_create("bytes");
        tcase_set_timeout(tc, 300);
        tcase_add_loop_test(tc, test_bytes, 0, (int)ELEMENTSOF(bases));
        suite_add_tcase(s, tc);
        sr = srunner_create(s);
        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
