/* SPDX-License-Identifier: MIT */
/* Unit tests of the CLI's helpers: size/time/address parsing and the report size bound. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gd-string.h"

START_TEST(test_parse_size) {
        uint64_t v = 0;

        ck_assert_int_eq(gd_parse_size("4096", &v), 0);
        ck_assert_uint_eq(v, 4096);
        ck_assert_int_eq(gd_parse_size("512K", &v), 0);
        ck_assert_uint_eq(v, 512 * 1024);
        ck_assert_int_eq(gd_parse_size("10M", &v), 0);
        ck_assert_uint_eq(v, 10 * 1024 * 1024);
        ck_assert_int_eq(gd_parse_size("1G", &v), 0);
        ck_assert_uint_eq(v, 1024ULL * 1024 * 1024);
        ck_assert_int_eq(gd_parse_size("2MiB", &v), 0);
        ck_assert_uint_eq(v, 2 * 1024 * 1024);
        ck_assert_int_eq(gd_parse_size("3kB", &v), 0);
        ck_assert_uint_eq(v, 3 * 1024);
        ck_assert_int_lt(gd_parse_size("", &v), 0);
        ck_assert_int_lt(gd_parse_size("-1", &v), 0);
        ck_assert_int_lt(gd_parse_size("10X", &v), 0);
        ck_assert_int_lt(gd_parse_size("10MM", &v), 0);
        ck_assert_int_lt(gd_parse_size("ten", &v), 0);
        ck_assert_int_lt(gd_parse_size("99999999999999999999", &v), 0);
        ck_assert_int_lt(gd_parse_size("17179869184G", &v), 0); /* 2^34 GiB overflows 64 bits */
}
END_TEST

START_TEST(test_parse_time) {
        uint64_t v = 0;

        setenv("TZ", "UTC", 1);
        ck_assert_int_eq(parse_time("@1763712900", &v), 0);
        ck_assert_uint_eq(v, 1763712900ULL * 1000000);
        ck_assert_int_eq(parse_time("2026-11-21T08:15:00Z", &v), 0);
        ck_assert_uint_eq(v, 1795248900ULL * 1000000);
        ck_assert_int_eq(parse_time("2026-11-21 08:15", &v), 0);
        ck_assert_uint_eq(v, 1795248900ULL * 1000000);
        ck_assert_int_eq(parse_time("2026-11-21", &v), 0);
        ck_assert_uint_eq(v, 1795219200ULL * 1000000);
        ck_assert_int_eq(parse_time("now", &v), 0);
        ck_assert_uint_gt(v, 1700000000ULL * 1000000);
        ck_assert_int_eq(parse_time("yesterday", &v), 0);
        ck_assert_int_lt(parse_time("", &v), 0);
        ck_assert_int_lt(parse_time("@", &v), 0);
        ck_assert_int_lt(parse_time("@12x", &v), 0);
        ck_assert_int_lt(parse_time("2026-11-21 08", &v), 0);
        ck_assert_int_lt(parse_time("2026-11-21 08:15:00 junk", &v), 0);
        ck_assert_int_lt(parse_time("last tuesday", &v), 0);
}
END_TEST

START_TEST(test_parse_address) {
        uint64_t v = 0;

        ck_assert_int_eq(parse_address("1a0000000", &v), 0);
        ck_assert_uint_eq(v, 0x1a0000000ULL);
        ck_assert_int_eq(parse_address("0x1A0000000", &v), 0);
        ck_assert_uint_eq(v, 0x1a0000000ULL);
        ck_assert_int_eq(parse_address("0", &v), 0);
        ck_assert_uint_eq(v, 0);
        ck_assert_int_lt(parse_address("", &v), 0);
        ck_assert_int_lt(parse_address("0x", &v), 0);
        ck_assert_int_lt(parse_address("xyz", &v), 0);
        ck_assert_int_lt(parse_address("12g", &v), 0);
        ck_assert_int_lt(parse_address("-1", &v), 0);
        ck_assert_int_lt(parse_address("10000000000000000", &v), 0);
}
END_TEST

START_TEST(test_format_size) {
        char buf[16];

        ck_assert_str_eq(format_size(0, buf), "0B");
        ck_assert_str_eq(format_size(1023, buf), "1023B");
        ck_assert_str_eq(format_size(1024, buf), "1.0K");
        ck_assert_str_eq(format_size(7533, buf), "7.4K");
        ck_assert_str_eq(format_size(10 * 1024 * 1024, buf), "10.0M");
        ck_assert_str_eq(format_size(UINT64_MAX, buf), "16.0E");
}
END_TEST

START_TEST(test_json_get) {
        struct json_object *o = json_tokener_parse("{\"a\":{\"b\":{\"c\":42}},\"s\":\"x\",\"n\":null}");
        int64_t v = 0;

        ck_assert_ptr_nonnull(o);
        ck_assert_ptr_nonnull(json_get(o, "a.b"));
        ck_assert(json_get_int(o, "a.b.c", &v));
        ck_assert_int_eq(v, 42);
        ck_assert(!json_get_int(o, "s", &v));
        ck_assert_str_eq(json_get_str(o, "s"), "x");
        ck_assert_ptr_null(json_get_str(o, "a"));
        ck_assert_ptr_null(json_get(o, "a.x.c"));
        ck_assert_ptr_null(json_get(o, "s.t"));
        ck_assert_ptr_null(json_get(o, "n"));
        json_object_put(o);
}
END_TEST

/* A report with three VMAs whose base64 data dominate the size. */
static struct json_object *big_report(void) {
        struct json_object *r = json_object_new_object(), *vmas = json_object_new_array();
        static const size_t sizes[] = { 40000, 10000, 1000 };

        json_object_object_add(r, "format", json_object_new_string("xe"));
        for (size_t i = 0; i < ELEMENTSOF(sizes); i++) {
                struct json_object *v = json_object_new_object();
                char *data = malloc(sizes[i] + 1);

                memset(data, 'A', sizes[i]);
                data[sizes[i]] = '\0';
                json_object_object_add(v, "address", json_object_new_string("0x1000"));
                json_object_object_add(v, "data", json_object_new_string(data));
                json_object_array_add(vmas, v);
                free(data);
        }
        json_object_object_add(r, "vmas", vmas);
        json_object_object_add(r, "diagnostics", json_object_new_array());
        return r;
}

static size_t pretty_len(struct json_object *o) {
        size_t n = 0;
        json_object_to_json_string_length(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                     JSON_C_TO_STRING_NOSLASHESCAPE, &n);
        return n;
}

START_TEST(test_report_bound_largest_first) {
        struct json_object *r = big_report(), *dropped = json_object_new_array(), *diags;

        /* 30000 bytes: only the 40000-byte data has to go. */
        ck_assert_int_eq(report_bound(r, 30000, 0, dropped), 1);
        ck_assert_uint_le(pretty_len(r), 30000);
        ck_assert_uint_eq(json_object_array_length(dropped), 1);
        ck_assert_str_eq(json_get_str(json_object_array_get_idx(dropped, 0), "path"), "vmas[0].data");
        ck_assert_ptr_null(json_get(json_object_array_get_idx(json_get(r, "vmas"), 0), "data"));
        ck_assert_ptr_nonnull(json_get(json_object_array_get_idx(json_get(r, "vmas"), 1), "data"));
        diags = json_get(r, "diagnostics");
        ck_assert_uint_eq(json_object_array_length(diags), 1);
        ck_assert_str_eq(json_get_str(json_object_array_get_idx(diags, 0), "severity"), "info");
        json_object_put(r);
        json_object_put(dropped);
}
END_TEST

START_TEST(test_report_bound_fits) {
        struct json_object *r = big_report(), *dropped = json_object_new_array();

        ck_assert_int_eq(report_bound(r, 10 * 1024 * 1024, 0, dropped), 0);
        ck_assert_uint_eq(json_object_array_length(dropped), 0);
        ck_assert_uint_eq(json_object_array_length(json_get(r, "diagnostics")), 0);
        json_object_put(r);
        json_object_put(dropped);
}
END_TEST

START_TEST(test_report_bound_arrays) {
        struct json_object *r = json_object_new_object(), *regs = json_object_new_array(),
                           *dropped = json_object_new_array();

        /* No data strings at all: the tail of the largest array goes. */
        for (int i = 0; i < 2000; i++) {
                struct json_object *reg = json_object_new_object();
                json_object_object_add(reg, "name", json_object_new_string("RING_EXECLIST_STATUS"));
                json_object_object_add(reg, "value", json_object_new_string("0x0000001100000001"));
                json_object_array_add(regs, reg);
        }
        json_object_object_add(r, "registers", regs);
        ck_assert_uint_gt(pretty_len(r), 100000);
        ck_assert_int_eq(report_bound(r, 50000, 0, dropped), 1);
        ck_assert_uint_le(pretty_len(r), 50000);
        ck_assert_uint_gt(json_object_array_length(json_get(r, "registers")), 0);
        ck_assert_uint_lt(json_object_array_length(json_get(r, "registers")), 2000);
        ck_assert_uint_ge(json_object_array_length(dropped), 1);
        /* The report had no diagnostics array: one is created for the note. */
        ck_assert_uint_eq(json_object_array_length(json_get(r, "diagnostics")), 1);
        json_object_put(r);
        json_object_put(dropped);
}
END_TEST

START_TEST(test_report_bound_impossible) {
        struct json_object *r = big_report(), *dropped = json_object_new_array();

        /* Smaller than anything: drops what it can, says it could not, never loops. */
        ck_assert_int_eq(report_bound(r, 10, 0, dropped), -EFBIG);
        ck_assert_uint_ge(json_object_array_length(dropped), 3);
        json_object_put(r);
        json_object_put(dropped);
}
END_TEST

static Suite *cli_suite(void) {
        Suite *s = suite_create("cli-unit");
        TCase *tc = tcase_create("helpers");

        tcase_add_test(tc, test_parse_size);
        tcase_add_test(tc, test_parse_time);
        tcase_add_test(tc, test_parse_address);
        tcase_add_test(tc, test_format_size);
        tcase_add_test(tc, test_json_get);
        tcase_add_test(tc, test_report_bound_largest_first);
        tcase_add_test(tc, test_report_bound_fits);
        tcase_add_test(tc, test_report_bound_arrays);
        tcase_add_test(tc, test_report_bound_impossible);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(cli_suite());
        int failed;

        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
