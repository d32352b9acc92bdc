/* SPDX-License-Identifier: MIT */
/* Unit tests of gpudumpd's configuration parser (daemon/gpudumpd/config.c, gpudumpd.conf(5)). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "daemon.h"
#include "gd-log.h"

static char dir[64];

static void setup(void) {
        strcpy(dir, "/tmp/gpudumpd-conf.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(dir));
        gd_log_setup("test-config", GD_LOG_ERR);
}

static void teardown(void) {
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        ck_assert_int_eq(system(cmd), 0);
}

static void put(const char *name, const char *text) {
        char path[256];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "we");
        ck_assert_ptr_nonnull(f);
        fputs(text, f);
        fclose(f);
}

static int load(struct config *c) {
        char path[256];
        snprintf(path, sizeof(path), "%s/gpudumpd.conf", dir);
        return config_load(c, path);
}

START_TEST(test_sizes_and_times) {
        uint64_t v;

        ck_assert_int_eq(config_parse_size("4K", &v), 0);
        ck_assert_uint_eq(v, 4096);
        ck_assert_int_eq(config_parse_size("2G", &v), 0);
        ck_assert_uint_eq(v, UINT64_C(2) << 30);
        ck_assert_int_eq(config_parse_size("10MiB", &v), 0);
        ck_assert_uint_eq(v, UINT64_C(10) << 20);
        ck_assert_int_eq(config_parse_size("123", &v), 0);
        ck_assert_uint_eq(v, 123);
        ck_assert_int_eq(config_parse_size("infinity", &v), 0);
        ck_assert_int_eq(config_parse_size("-1", &v), -EINVAL);
        ck_assert_int_eq(config_parse_size("4X", &v), -EINVAL);
        ck_assert_int_eq(config_parse_size("99999999999999999999", &v), -ERANGE);
        ck_assert_int_eq(config_parse_size("20000000000T", &v), -ERANGE);
        ck_assert_int_eq(config_parse_usec("2w", &v), 0);
        ck_assert_uint_eq(v, UINT64_C(14) * 86400 * 1000000);
        ck_assert_int_eq(config_parse_usec("30min", &v), 0);
        ck_assert_uint_eq(v, UINT64_C(1800) * 1000000);
        ck_assert_int_eq(config_parse_usec("90", &v), 0);
        ck_assert_uint_eq(v, UINT64_C(90) * 1000000);
        ck_assert_int_eq(config_parse_usec("infinity", &v), 0);
        ck_assert_uint_eq(v, 0);
        ck_assert_int_eq(config_parse_usec("soon", &v), -EINVAL);
        ck_assert_int_eq(config_parse_usec("5 fortnights", &v), -EINVAL);
}
END_TEST

START_TEST(test_defaults_and_missing_file) {
        struct config c;

        config_init(&c);
        ck_assert_int_eq(load(&c), 0); /* no file at all is fine */
        ck_assert_uint_eq(c.max_entries, 1000);
        ck_assert_uint_eq(c.rate_limit_burst, 5);
        ck_assert_int_eq(c.compression_level, 1);
        ck_assert_str_eq(c.allow_drivers[0], "*");
        ck_assert_ptr_null(c.deny_drivers[0]);
        ck_assert(c.free_kernel_copy && c.i915_error_state);
        config_done(&c);
}
END_TEST

START_TEST(test_dropins_override) {
        struct config c;
        char d[128];

        put("gpudumpd.conf", "[Store]\nMaxEntries=10\nDirectory=/srv/a\n[Collect]\n"
                             "DenyDrivers=iwlwifi\n");
        snprintf(d, sizeof(d), "%s/gpudumpd.conf.d", dir);
        ck_assert_int_eq(mkdir(d, 0755), 0);
        put("gpudumpd.conf.d/20-b.conf", "[Store]\nMaxEntries=30\n");
        put("gpudumpd.conf.d/10-a.conf", "[Store]\nMaxEntries=20\nDirectory=/srv/b\n"
                                         "[RateLimit]\nBurst=0\nInterval=10min\n");
        put("gpudumpd.conf.d/30-c.conf.disabled", "[Store]\nMaxEntries=99\n");
        put("gpudumpd.conf.d/40-d.conf", "[Collect]\nAllowDrivers=xe, i915 amdgpu\n"
                                         "FreeKernelCopy=no\nCompressionLevel=3\n");
        config_init(&c);
        ck_assert_int_eq(load(&c), 0);
        ck_assert_uint_eq(c.max_entries, 30); /* lexical order, last wins */
        ck_assert_str_eq(c.store_dir, "/srv/b");
        ck_assert_uint_eq(c.rate_limit_burst, 0);
        ck_assert_uint_eq(c.rate_limit_interval_usec, UINT64_C(600) * 1000000);
        ck_assert_str_eq(c.deny_drivers[0], "iwlwifi");
        ck_assert_str_eq(c.allow_drivers[0], "xe");
        ck_assert_str_eq(c.allow_drivers[1], "i915");
        ck_assert_str_eq(c.allow_drivers[2], "amdgpu");
        ck_assert_ptr_null(c.allow_drivers[3]);
        ck_assert(!c.free_kernel_copy);
        ck_assert_int_eq(c.compression_level, 3);
        config_done(&c);
}
END_TEST

START_TEST(test_bad_values) {
        static const char *const bad[] = {
                "[Store]\nMaxUse=lots\n",       "[Store]\nDirectory=relative\n",
                "[Collect]\nCompressionLevel=0\n", "[Collect]\nCompressionLevel=20\n",
                "[Collect]\nFreeKernelCopy=maybe\n", "[RateLimit]\nInterval=0\n",
                "[RateLimit]\nBurst=-3\n",       "[Collect]\nAnalyzeSizeMax=2G\n",
                "this is not ini\n",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                struct config c;

                put("gpudumpd.conf", bad[i]);
                config_init(&c);
                ck_assert_msg(load(&c) == -EINVAL, "accepted: %s", bad[i]);
                config_done(&c);
        }
}
END_TEST

START_TEST(test_unknown_key_ignored) {
        struct config c;

        put("gpudumpd.conf", "[Store]\nMaxEntrys=5\nMaxEntries=7\n[Nope]\nX=1\n");
        config_init(&c);
        ck_assert_int_eq(load(&c), 0);
        ck_assert_uint_eq(c.max_entries, 7);
        config_done(&c);
}
END_TEST

int main(void) {
        Suite *suite = suite_create("gpudumpd-config");
        TCase *tc = tcase_create("config");
        SRunner *sr;
        int failed;

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_sizes_and_times);
        tcase_add_test(tc, test_defaults_and_missing_file);
        tcase_add_test(tc, test_dropins_override);
        tcase_add_test(tc, test_bad_values);
        tcase_add_test(tc, test_unknown_key_ignored);
        suite_add_tcase(suite, tc);
        sr = srunner_create(suite);
        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
