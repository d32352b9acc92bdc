/* SPDX-License-Identifier: MIT */
/*
 * Decode every non-xe fixture that gen-fixtures.py wrote (i915 of every era, amdgpu, msm,
 * panfrost, etnaviv, and their damaged variants) through the public API and hold it to the
 * truth file beside it: header fields, engines and registers in dump order, every VMA's
 * address, length, kind and decoded bytes, named blobs, the number of diagnostics. Then render
 * the JSON reports and validate them against the schema.
 *
 * Usage: test-formats FIXTURE_DIR   (FIXTURE_DIR/manifest.txt lists the dumps)
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gd-macro.h"
#include "gpudump.h"

extern char **environ;

static const char *fixture_dir;
static char report_dir[] = "/tmp/gpudump-formats-XXXXXX";
static char **fixtures;
static size_t n_fixtures;

static json_object *jget(json_object *o, const char *key) {
        json_object *v = NULL;
        if (!json_object_object_get_ex(o, key, &v))
                return NULL;
        return v;
}

static const char *jstr(json_object *o, const char *key) {
        json_object *v = jget(o, key);
        return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static uint64_t jhex(json_object *v) {
        return strtoull(json_object_get_string(v), NULL, 16);
}

/* Equal strings, NULL only equal to NULL (a JSON null or missing key is NULL). */
static void check_str(const char *file, const char *what, const char *got, const char *want) {
        if (!got || !want)
                ck_assert_msg(got == want, "%s: %s is '%s', expected '%s'", file, what,
                              got ? got : "(null)", want ? want : "(null)");
        else
                ck_assert_msg(strcmp(got, want) == 0, "%s: %s is '%s', expected '%s'", file, what,
                              got, want);
}

static void check_bytes(const char *file, const char *what, const uint8_t *got, size_t n,
                        const char *hex) {
        size_t want = strlen(hex) / 2;
        _cleanup_free_ uint8_t *bytes = malloc(want + 1);

        /* One assertion per buffer, not per byte: every ck_assert writes to check's pipe. */
        ck_assert_ptr_nonnull(bytes);
        ck_assert_msg(n == want, "%s: %s decodes to %zu bytes, expected %zu", file, what, n, want);
        for (size_t i = 0; i < want; i++) {
                unsigned b;
                if (sscanf(hex + 2 * i, "%2x", &b) != 1)
                        ck_abort_msg("%s: bad hex in the truth of %s", file, what);
                bytes[i] = (uint8_t)b;
        }
        if (memcmp(got, bytes, n) != 0) {
                size_t i = 0;
                while (got[i] == bytes[i])
                        i++;
                ck_abort_msg("%s: %s byte %zu is 0x%02x, expected 0x%02x", file, what, i, got[i],
                             bytes[i]);
        }
}

static void check_engine(const char *file, struct gpudump_engine *e, json_object *te) {
        json_object *regs = jget(te, "registers");
        const char *name = jstr(te, "name");
        size_t n = json_object_array_length(regs);

        check_str(file, "engine name", gpudump_engine_get_name(e), name);
        check_str(file, "engine class", gpudump_engine_get_class(e), jstr(te, "class"));
        ck_assert_msg(gpudump_engine_get_instance(e) == json_object_get_int(jget(te, "instance")),
                      "%s: engine %s instance %d, expected %d", file, name,
                      gpudump_engine_get_instance(e), json_object_get_int(jget(te, "instance")));
        ck_assert_msg(gpudump_engine_get_n_registers(e) == n,
                      "%s: engine %s has %zu registers, expected %zu", file, name,
                      gpudump_engine_get_n_registers(e), n);
        for (size_t i = 0; i < n; i++) {
                json_object *tr = json_object_array_get_idx(regs, i);
                const char *rname;
                uint64_t value, want;
                unsigned width;

                ck_assert_int_eq(gpudump_engine_get_register(e, i, &rname, &value, &width), 0);
                check_str(file, "register name", rname,
                          json_object_get_string(json_object_array_get_idx(tr, 0)));
                want = jhex(json_object_array_get_idx(tr, 1));
                ck_assert_msg(value == want, "%s: %s %s = 0x%llx, expected 0x%llx", file, name,
                              rname, (unsigned long long)value, (unsigned long long)want);
                ck_assert_msg(width == (unsigned)json_object_get_int(json_object_array_get_idx(tr, 2)),
                              "%s: %s %s width %u", file, name, rname, width);
        }
}

static struct gpudump_engine *find_engine(struct gpudump_dump *d, const char *name) {
        for (size_t i = 0; i < gpudump_dump_get_n_engines(d); i++) {
                struct gpudump_engine *e = gpudump_dump_get_engine(d, i);
                if (strcmp(gpudump_engine_get_name(e), name) == 0)
                        return e;
        }
        return NULL;
}

static void check_vma(const char *file, struct gpudump_dump *d, json_object *tv) {
        uint64_t address = jhex(jget(tv, "address"));
        struct gpudump_vma *v = gpudump_dump_find_vma(d, address);
        json_object *length = jget(tv, "length"), *data = jget(tv, "data");
        _cleanup_free_ void *buf = NULL;
        size_t n = 0;
        char what[64];
        int r, want_r = json_object_get_int(jget(tv, "read"));

        snprintf(what, sizeof(what), "VMA 0x%llx", (unsigned long long)address);
        ck_assert_msg(v, "%s: no %s", file, what);
        check_str(file, "VMA kind", gpudump_vma_get_kind(v), jstr(tv, "kind"));
        check_str(file, "VMA engine", gpudump_vma_get_engine(v), jstr(tv, "engine"));
        if (length)
                ck_assert_msg(gpudump_vma_get_length(v) == (uint64_t)json_object_get_int64(length),
                              "%s: %s length %llu, expected %lld", file, what,
                              (unsigned long long)gpudump_vma_get_length(v),
                              (long long)json_object_get_int64(length));
        r = gpudump_vma_read(v, &buf, &n);
        ck_assert_msg(r == want_r, "%s: reading %s gives %d, expected %d", file, what, r, want_r);
        if (r == 0 && data)
                check_bytes(file, what, buf, n, json_object_get_string(data));
        /* By virtual address as well, when the dump declares the length (i915 ':' objects
         * know theirs only once inflated). */
        if (r == 0 && data && length && json_object_get_int64(length) > 0) {
                _cleanup_free_ uint8_t *va = malloc(n);
                ck_assert_ptr_nonnull(va);
                ck_assert_msg(gpudump_dump_read_va(d, address, va, n) == 0,
                              "%s: %s not readable by address", file, what);
                ck_assert_msg(memcmp(va, buf, n) == 0, "%s: %s reads differently by address",
                              file, what);
        }
}

static void check_header(const char *file, struct gpudump_dump *d, json_object *t) {
        check_str(file, "format", gpudump_format_to_string(gpudump_dump_get_format(d)),
                  jstr(t, "format"));
        ck_assert_msg(gpudump_dump_is_empty(d) == json_object_get_boolean(jget(t, "empty")),
                      "%s: empty flag", file);
        check_str(file, "reason", gpudump_dump_get_reason(d), jstr(t, "reason"));
        check_str(file, "kernel", gpudump_dump_get_kernel(d), jstr(t, "kernel"));
        check_str(file, "driver", gpudump_dump_get_driver(d), jstr(t, "driver"));
        check_str(file, "process", gpudump_dump_get_process_name(d), jstr(t, "process_name"));
        ck_assert_msg(gpudump_dump_get_process_pid(d) == json_object_get_int64(jget(t, "pid")),
                      "%s: pid %lld", file, (long long)gpudump_dump_get_process_pid(d));
        ck_assert_msg(gpudump_dump_get_pci_id(d) == json_object_get_int(jget(t, "pci_id")),
                      "%s: pci id 0x%x", file, gpudump_dump_get_pci_id(d));
        ck_assert_msg(gpudump_dump_get_pci_revision(d) == json_object_get_int(jget(t, "pci_revision")),
                      "%s: pci revision 0x%x", file, gpudump_dump_get_pci_revision(d));
}

/* The truth's engine properties (ELSP ports, hung, request head/tail, GuC node metadata) must
 * appear, in order, among the engine's "properties" of the report: they exist only there. */
static void check_props(const char *file, json_object *report, json_object *t) {
        json_object *tengines = jget(t, "engines"), *rengines = jget(report, "engines");

        ck_assert_ptr_nonnull(rengines);
        for (size_t i = 0; i < json_object_array_length(tengines); i++) {
                json_object *te = json_object_array_get_idx(tengines, i), *re = NULL;
                json_object *want = jget(te, "properties"), *have;
                size_t k = 0;

                if (!want)
                        continue;
                for (size_t j = 0; j < json_object_array_length(rengines) && !re; j++)
                        if (strcmp(jstr(json_object_array_get_idx(rengines, j), "name"),
                                   jstr(te, "name")) == 0)
                                re = json_object_array_get_idx(rengines, j);
                ck_assert_msg(re, "%s: no engine %s in the report", file, jstr(te, "name"));
                have = jget(re, "properties");
                for (size_t w = 0; w < json_object_array_length(want); w++) {
                        json_object *pw = json_object_array_get_idx(want, w);
                        const char *key = json_object_get_string(json_object_array_get_idx(pw, 0));
                        const char *value = json_object_get_string(json_object_array_get_idx(pw, 1));
                        bool found = false;
                        while (have && k < json_object_array_length(have) && !found) {
                                json_object *ph = json_object_array_get_idx(have, k++);
                                const char *v = jstr(ph, "value");
                                found = strcmp(jstr(ph, "key"), key) == 0 &&
                                        strcmp(v ? v : "", value) == 0;
                        }
                        ck_assert_msg(found, "%s: engine %s lacks property '%s' = '%s' (in order)",
                                      file, jstr(te, "name"), key, value);
                }
        }
}

/* Render the report into report_dir; test_schema validates them all with one python run. */
static void write_json(const char *file, struct gpudump_dump *d, json_object *t) {
        json_object *report;

        _cleanup_free_ char *json = NULL, *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t len;

        ck_assert_int_eq(gpudump_dump_to_json(d, GPUDUMP_JSON_PRETTY | GPUDUMP_JSON_INCLUDE_VMA_DATA,
                                              &json), 0);
        ck_assert_int_ge(asprintf(&path, "%s/%s.json", report_dir, file), 0);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        ck_assert_msg(fd >= 0, "cannot create %s", path);
        len = strlen(json);
        ck_assert_int_eq(write(fd, json, len), (ssize_t)len);
        report = json_tokener_parse(json);
        ck_assert_msg(report, "%s: the report is not JSON", file);
        check_props(file, report, t);
        json_object_put(report);
}

START_TEST(test_fixture) {
        const char *file = fixtures[_i];
        _cleanup_free_ char *path = NULL, *tpath = NULL;
        struct gpudump_dump *d = NULL;
        json_object *t, *a;
        bool exact;
        size_t n, ndiag;

        ck_assert_int_ge(asprintf(&path, "%s/%s", fixture_dir, file), 0);
        ck_assert_int_ge(asprintf(&tpath, "%s.truth.json", path), 0);
        t = json_object_from_file(tpath);
        ck_assert_msg(t, "cannot read %s", tpath);
        exact = json_object_get_boolean(jget(t, "exact"));

        ck_assert_int_eq(gpudump_dump_new_from_path(path, GPUDUMP_OPEN_NO_ANALYSIS, &d), 0);
        check_header(file, d, t);

        a = jget(t, "engines");
        n = json_object_array_length(a);
        if (exact)
                ck_assert_msg(gpudump_dump_get_n_engines(d) == n, "%s: %zu engines, expected %zu",
                              file, gpudump_dump_get_n_engines(d), n);
        for (size_t i = 0; i < n; i++) {
                json_object *te = json_object_array_get_idx(a, i);
                struct gpudump_engine *e = exact ? gpudump_dump_get_engine(d, i)
                                                 : find_engine(d, jstr(te, "name"));
                ck_assert_msg(e, "%s: no engine %s", file, jstr(te, "name"));
                check_engine(file, e, te);
        }

        a = jget(t, "vmas");
        n = json_object_array_length(a);
        if (exact)
                ck_assert_msg(gpudump_dump_get_n_vmas(d) == n, "%s: %zu VMAs, expected %zu", file,
                              gpudump_dump_get_n_vmas(d), n);
        for (size_t i = 0; i < n; i++) {
                json_object *tv = json_object_array_get_idx(a, i);
                if (exact)
                        ck_assert_msg(gpudump_vma_get_address(gpudump_dump_get_vma(d, i)) ==
                                              jhex(jget(tv, "address")),
                                      "%s: VMA %zu out of address order", file, i);
                check_vma(file, d, tv);
        }

        a = jget(t, "blobs");
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                json_object *tb = json_object_array_get_idx(a, i);
                _cleanup_free_ void *buf = NULL;
                size_t len = 0;
                ck_assert_msg(gpudump_dump_read_blob(d, jstr(tb, "name"), &buf, &len) == 0,
                              "%s: blob %s does not read", file, jstr(tb, "name"));
                check_bytes(file, jstr(tb, "name"), buf, len, jstr(tb, "data"));
        }

        /* Read everything, damaged or not: lazy decoding must neither crash nor, on a good
         * dump, find anything to complain about. */
        for (size_t i = 0; i < gpudump_dump_get_n_vmas(d); i++) {
                _cleanup_free_ void *buf = NULL;
                size_t len;
                int r = gpudump_vma_read(gpudump_dump_get_vma(d, i), &buf, &len);
                ck_assert_msg(r == 0 || r == -ENODATA || r == -EBADMSG, "%s: VMA %zu read: %d",
                              file, i, r);
        }

        ndiag = gpudump_dump_get_n_diagnostics(d);
        {
                json_object *dg = jget(t, "diagnostics"), *max = jget(dg, "max");
                size_t min = (size_t)json_object_get_int(jget(dg, "min"));
                if (ndiag < min || (max && ndiag > (size_t)json_object_get_int(max))) {
                        for (size_t i = 0; i < ndiag; i++) {
                                const char *msg;
                                uint64_t off, line;
                                gpudump_dump_get_diagnostic(d, i, NULL, &off, &line, &msg);
                                fprintf(stderr, "%s: diagnostic @%llu line %llu: %s\n", file,
                                        (unsigned long long)off, (unsigned long long)line, msg);
                        }
                        ck_abort_msg("%s: %zu diagnostics, expected %zu..%s", file, ndiag, min,
                                     max ? json_object_get_string(max) : "");
                }
        }
        for (size_t i = 0; i < ndiag; i++) {
                const char *msg = NULL;
                uint64_t off = 0;
                ck_assert_int_eq(gpudump_dump_get_diagnostic(d, i, NULL, &off, NULL, &msg), 0);
                ck_assert_msg(msg && *msg, "%s: empty diagnostic", file);
                ck_assert_msg(off <= gpudump_dump_get_size(d), "%s: diagnostic offset %llu past "
                              "the input", file, (unsigned long long)off);
        }

        write_json(file, d, t);
        gpudump_dump_unref(d);
        json_object_put(t);
}
END_TEST

START_TEST(test_schema) {
        const char *src = getenv("GPUDUMP_SOURCE_ROOT"), *python = getenv("PYTHON");
        _cleanup_free_ char *script = NULL, *schema = NULL;
        char **argv;
        pid_t pid;
        int status;

        ck_assert_msg(src && python, "GPUDUMP_SOURCE_ROOT and PYTHON must be set");
        ck_assert_int_ge(asprintf(&script, "%s/tests/validate-json.py", src), 0);
        ck_assert_int_ge(asprintf(&schema, "%s/schemas/gpudump-report.schema.json", src), 0);
        argv = calloc(n_fixtures + 4, sizeof(char *));
        ck_assert_ptr_nonnull(argv);
        argv[0] = (char *)python;
        argv[1] = script;
        argv[2] = schema;
        for (size_t i = 0; i < n_fixtures; i++) {
                ck_assert_int_ge(asprintf(&argv[3 + i], "%s/%s.json", report_dir, fixtures[i]), 0);
                /* every fixture test must have left its report */
                ck_assert_msg(access(argv[3 + i], R_OK) == 0, "no report %s", argv[3 + i]);
        }
        ck_assert_int_eq(posix_spawn(&pid, python, NULL, NULL, argv, environ), 0);
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                      "the JSON reports do not validate against the schema");
        for (size_t i = 3; i < n_fixtures + 3; i++) {
                unlink(argv[i]);
                free(argv[i]);
        }
        free(argv);
}
END_TEST

static int load_manifest(const char *dir) {
        _cleanup_free_ char *path = NULL;
        char line[PATH_MAX];
        FILE *f;

        if (asprintf(&path, "%s/manifest.txt", dir) < 0)
                return -ENOMEM;
        f = fopen(path, "re");
        if (!f)
                return -errno;
        while (fgets(line, sizeof(line), f)) {
                line[strcspn(line, "\n")] = '\0';
                if (!*line)
                        continue;
                char **p = reallocarray(fixtures, n_fixtures + 1, sizeof(*fixtures));
                if (!p)
                        break;
                fixtures = p;
                fixtures[n_fixtures] = strdup(line);
                if (!fixtures[n_fixtures])
                        break;
                n_fixtures++;
        }
        fclose(f);
        return 0;
}

int main(int argc, char **argv) {
        SRunner *sr;
        Suite *s;
        TCase *tc;
        int failed, r;

        if (argc != 2) {
                fprintf(stderr, "usage: %s FIXTURE_DIR\n", argv[0]);
                return EXIT_FAILURE;
        }
        fixture_dir = argv[1];
        r = load_manifest(fixture_dir);
        if (r < 0 || n_fixtures == 0) {
                fprintf(stderr, "no fixtures in %s/manifest.txt: %s\n", fixture_dir, strerror(-r));
                return EXIT_FAILURE;
        }

        s = suite_create("formats");
        tc = tcase_create("fixtures");
        tcase_set_timeout(tc, 120);
        tcase_add_loop_test(tc, test_fixture, 0, (int)n_fixtures);
        suite_add_tcase(s, tc);
        /* runs after every fixture test: the srunner runs test cases in order */
        tc = tcase_create("schema");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, test_schema);
        suite_add_tcase(s, tc);
        if (!mkdtemp(report_dir)) {
                fprintf(stderr, "cannot create %s: %m\n", report_dir);
                return EXIT_FAILURE;
        }
        sr = srunner_create(s);
        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        /* reports left behind by failed tests */
        for (size_t i = 0; i < n_fixtures; i++) {
                char path[PATH_MAX];
                snprintf(path, sizeof(path), "%s/%s.json", report_dir, fixtures[i]);
                unlink(path);
        }
        rmdir(report_dir);
        for (size_t i = 0; i < n_fixtures; i++)
                free(fixtures[i]);
        free(fixtures);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
