/* SPDX-License-Identifier: MIT */
/*
 * The generated hang scenarios (scenarios.py, written at build time) through the library's
 * internals, cheap enough to run under valgrind: blamed engine, hung instruction, chain depth,
 * wait, and signature equality / difference, plus a JSON render of each report.
 * usage: test-scenario-lib DIR   (DIR holds <scenario>.txt)
 */
#include <check.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "gpudump.h"

static const char *dir;

struct expect {
        const char *name;
        const char *blamed;    /* NULL: nothing may be blamed */
        bool hung;             /* a hung instruction is located */
        const char *instr;     /* NULL: unknown opcode */
        unsigned depth;
        bool in_ring;
        bool wait_captured;
        bool has_wait;
        const char *group;
};

static const struct expect scen[] = {
        { "semwait_a", "ccs0", true, "MI_SEMAPHORE_WAIT", 0, false, true, true, "semwait" },
        { "semwait_b", "ccs1", true, "MI_SEMAPHORE_WAIT", 0, false, true, true, "semwait" },
        { "semwait_uncaptured", "ccs0", true, "MI_SEMAPHORE_WAIT", 0, false, false, true, "semwait" },
        { "unknown_opcode", "rcs0", true, NULL, 0, false, false, false, "unknown" },
        { "chained", "ccs0", true, "MI_SEMAPHORE_WAIT", 1, false, true, true, "chained" },
        { "chained_mid", "ccs0", true, "MI_SEMAPHORE_WAIT", 1, false, true, true, "chained" },
        { "ring", "bcs0", true, "MI_SEMAPHORE_WAIT", 0, true, true, true, "ring" },
        { "tie", NULL, false, NULL, 0, false, false, false, "tie" },
        { "batch_error", "ccs0", false, NULL, 0, false, false, false, "batch_error" },
        { "selfloop", "rcs0", true, "PIPE_CONTROL", 0, false, false, false, "selfloop" },
        { "i915_semwait_a", "vcs0", true, "MI_SEMAPHORE_WAIT", 0, false, true, true, "i915" },
        { "i915_semwait_b", "vcs0", true, "MI_SEMAPHORE_WAIT", 0, false, true, true, "i915" },
        { "i915_fault", "rcs0", true, "MI_STORE_DATA_IMM", 0, false, false, false, "i915_fault" },
};

static char sigs[sizeof(scen) / sizeof(scen[0])][128];

static struct gpudump_dump *open_scen(const char *name) {
        char path[4096];
        struct gpudump_dump *d = NULL;
        snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
        int r = gpudump_dump_new_from_path(path, 0, &d);
        ck_assert_msg(r == 0, "%s: %d", path, r);
        return d;
}

START_TEST(scenario) {
        const struct expect *e = &scen[_i];
        struct gpudump_dump *d = open_scen(e->name);
        struct gpudump_engine *b = gpudump_dump_get_blamed_engine(d);
        if (e->blamed) {
                ck_assert_msg(b, "%s: nothing blamed", e->name);
                ck_assert_str_eq(gpudump_engine_get_name(b), e->blamed);
        } else {
                ck_assert_ptr_null(b);
        }

        const struct gd_analysis *a = d->analysis;
        ck_assert_ptr_nonnull(a);
        ck_assert_int_eq(a->hung.present, e->hung);
        if (e->hung) {
                ck_assert_uint_ne(a->hung.hung_index, SIZE_MAX);
                const struct gd_instr *in = &a->hung.window[a->hung.hung_index].in;
                if (e->instr)
                        ck_assert_str_eq(in->name, e->instr);
                else
                        ck_assert(in->unknown && in->length == 1);
                ck_assert_uint_eq(a->hung.depth, e->depth);
                ck_assert_int_eq(a->hung.in_ring, e->in_ring);
        } else if (e->blamed) {
                ck_assert_uint_gt(a->hung.notes.n, 0); /* says why */
        }
        ck_assert_int_eq(a->wait.present, e->has_wait);
        if (e->has_wait) {
                ck_assert_int_eq(a->wait.captured, e->wait_captured);
                ck_assert(!a->wait.satisfied);
        }

        const char *sig = gpudump_dump_get_signature(d);
        ck_assert_ptr_nonnull(sig);
        snprintf(sigs[_i], sizeof(sigs[_i]), "%s", sig);

        char *json = NULL;
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        struct json_object *o = json_tokener_parse(json);
        ck_assert_ptr_nonnull(o);
        struct json_object *an, *bl, *eng;
        ck_assert(json_object_object_get_ex(o, "analysis", &an));
        ck_assert(json_object_object_get_ex(an, "blamed", &bl));
        ck_assert(json_object_object_get_ex(bl, "engine", &eng));
        if (e->blamed)
                ck_assert_str_eq(json_object_get_string(eng), e->blamed);
        else
                ck_assert_ptr_null(eng);
        json_object_put(o);
        free(json);
        gpudump_dump_unref(d);
}
END_TEST

/* Runs after the loop test (same TCase, no fork needed: the signatures are re-read here). */
START_TEST(signatures) {
        for (size_t i = 0; i < sizeof(scen) / sizeof(scen[0]); i++) {
                struct gpudump_dump *d = open_scen(scen[i].name);
                snprintf(sigs[i], sizeof(sigs[i]), "%s", gpudump_dump_get_signature(d));
                gpudump_dump_unref(d);
        }
        for (size_t i = 0; i < sizeof(scen) / sizeof(scen[0]); i++)
                for (size_t j = 0; j < i; j++) {
                        bool same_group = !strcmp(scen[i].group, scen[j].group);
                        bool same_sig = !strcmp(sigs[i], sigs[j]);
                        ck_assert_msg(same_group == same_sig, "%s (%s) vs %s (%s)", scen[i].name,
                                      sigs[i], scen[j].name, sigs[j]);
                }
}
END_TEST

/* Analysis is optional and repeatable: without it nothing is blamed; running it twice is safe. */
START_TEST(no_analysis) {
        char path[4096];
        struct gpudump_dump *d = NULL;
        snprintf(path, sizeof(path), "%s/semwait_a.txt", dir);
        ck_assert_int_eq(gpudump_dump_new_from_path(path, GPUDUMP_OPEN_NO_ANALYSIS, &d), 0);
        ck_assert_ptr_null(gpudump_dump_get_blamed_engine(d));
        ck_assert_ptr_null(d->analysis);
        ck_assert_int_eq(gd_analyse(d), 0);
        ck_assert_int_eq(gd_analyse(d), 0);
        ck_assert_ptr_nonnull(gpudump_dump_get_blamed_engine(d));
        ck_assert_str_eq(gpudump_engine_get_name(gpudump_dump_get_blamed_engine(d)), "ccs0");
        gpudump_dump_unref(d);
}
END_TEST

static void kind_is(const char *reason, const char *want) {
        char *k = gd_reason_kind(reason);
        ck_assert_ptr_nonnull(k);
        ck_assert_msg(!strcmp(k, want), "%s -> %s, want %s", reason ? reason : "(null)", k, want);
        free(k);
}

START_TEST(reason_kinds) {
        kind_is("Timedout job - seqno=4242, lrc_seqno=4242, guc_id=17, flags=0x0", "timedout-job");
        kind_is("Timedout job - seqno=1, lrc_seqno=1, guc_id=3, flags=0x8", "timedout-job");
        kind_is("GPU HANG: ecode 12:1:f1ff3ffc, in glxgears [1234]", "gpu-hang");
        kind_is("GPU HANG: ecode 8:0:0x6087adf5, in Xorg [44967], reason: Ring hung, action: reset", "gpu-hang");
        kind_is("GT0 TLB invalidation time'd out, seqno=1234, recv=1233", "gt-tlb-invalidation-timed-out");
        kind_is("GT1 TLB invalidation time'd out, seqno=99, recv=98", "gt-tlb-invalidation-timed-out");
        kind_is(NULL, "none");
        kind_is("", "none");
        kind_is("1234 5678", "other");
}
END_TEST

START_TEST(compose) {
        char *a = gd_signature_compose("xe", "compute", "MI_SEMAPHORE_WAIT", "0x0", "timedout-job");
        char *b = gd_signature_compose("xe", "compute", "MI_SEMAPHORE_WAIT", "0x0", "timedout-job");
        char *c = gd_signature_compose("xe", "compute", "MI_SEMAPHORE_WAIT", "0x4", "timedout-job");
        ck_assert_ptr_nonnull(a);
        ck_assert_str_eq(a, b);
        ck_assert_str_ne(a, c);
        /* readable prefix, then 12 hex digits */
        ck_assert(!strncmp(a, "xe:compute:MI_SEMAPHORE_WAIT-", 29));
        ck_assert_uint_eq(strlen(a), 29 + 12);
        ck_assert_uint_eq(strspn(a + 29, "0123456789abcdef"), 12);
        free(a);
        free(b);
        free(c);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("scenarios");
        TCase *tc = tcase_create("library");
        tcase_set_timeout(tc, 120);
        tcase_add_loop_test(tc, scenario, 0, (int)(sizeof(scen) / sizeof(scen[0])));
        tcase_add_test(tc, signatures);
        tcase_add_test(tc, no_analysis);
        tcase_add_test(tc, reason_kinds);
        tcase_add_test(tc, compose);
        suite_add_tcase(s, tc);
        return s;
}

int main(int argc, char **argv) {
        if (argc != 2) {
                fprintf(stderr, "usage: %s DIR\n", argv[0]);
                return 2;
        }
        dir = argv[1];
        SRunner *sr = srunner_create(suite());
        srunner_run_all(sr, CK_ENV);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
