/* SPDX-License-Identifier: MIT */
/* Unit tests of lib/shared/gd-store.c: the store's writer and reader sides (docs/store.md). */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>
#include <zstd.h>

#include "gd-macro.h"
#include "gd-store.h"

static char tmpdir[64];
static char storedir[128];

static void setup(void) {
        strcpy(tmpdir, "/tmp/gd-store-test.XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
        snprintf(storedir, sizeof(storedir), "%s/store", tmpdir);
}

static void teardown(void) {
        char cmd[160];

        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        ck_assert_int_eq(system(cmd), 0);
}

static const char BOOT[] = "0123456789abcdef0123456789abcdef";

static void write_all(int fd, const void *p, size_t n) {
        ck_assert_int_eq(write(fd, p, n), (ssize_t)n);
}

/* Store one entry with contents text the way gpudumpd does; returns its id in id. */
static void store_entry(struct gd_store *s, const char *text, char *id, size_t idsize) {
        size_t n = strlen(text), cap = ZSTD_compressBound(n);
        _cleanup_free_ void *z = malloc(cap);
        _cleanup_free_ char *tmpname = NULL;
        struct json_object *meta;
        int fd;

        ck_assert_int_eq(gd_store_new_id(s, UINT64_C(1795248397000000), BOOT, id, idsize), 0);
        ck_assert_int_eq(gd_store_tmp_create(s, id, &fd, &tmpname), 0);
        n = ZSTD_compress(z, cap, text, n, 1);
        ck_assert(!ZSTD_isError(n));
        write_all(fd, z, n);
        ck_assert_int_eq(gd_store_tmp_link(s, fd, tmpname, id), 0);
        close(fd);
        meta = json_object_new_object();
        json_object_object_add(meta, "id", json_object_new_string(id));
        ck_assert_int_eq(gd_store_write_meta(s, id, meta), 0);
        json_object_put(meta);
}

START_TEST(test_id_syntax) {
        ck_assert_int_eq(gd_store_id_is_valid("20261121T081500-1a2b3c4d-000001"), 1);
        ck_assert_int_eq(gd_store_id_is_valid("20261121T081500-1a2b3c4d-00000001"), 1);
        ck_assert_int_eq(gd_store_id_is_valid("20261121T081500-1a2b3c4d-00000"), 0);
        ck_assert_int_eq(gd_store_id_is_valid("20261121X081500-1a2b3c4d-000001"), 0);
        ck_assert_int_eq(gd_store_id_is_valid("20261121T081500-1A2B3C4D-000001"), 0);
        ck_assert_int_eq(gd_store_id_is_valid("../../../../etc/passwd-aaaaaaaaaaa"), 0);
        ck_assert_int_eq(gd_store_id_is_valid(".tmp-20261121T081500-1a2b3c4d-01"), 0);
        ck_assert_int_eq(gd_store_id_is_valid(NULL), 0);
}
END_TEST

START_TEST(test_roundtrip) {
        struct gd_store *s = NULL;
        char id[64], id2[64];
        struct json_object *arr = NULL, *meta = NULL;
        struct stat st;
        char path[256], out[256];
        int fd, outfd;
        const char *text = "**** Xe Device Coredump ****\nReason: test\n";

        ck_assert_int_eq(gd_store_open(storedir, true, &s), 0);
        ck_assert_int_eq(stat(storedir, &st), 0);
        ck_assert_int_eq(st.st_mode & 07777, 0750);
        store_entry(s, text, id, sizeof(id));
        ck_assert_str_eq(id, "20261121T080637-01234567-000001");
        store_entry(s, "second", id2, sizeof(id2));
        ck_assert_str_eq(id2, "20261121T080637-01234567-000002");

        for (int i = 0; i < 2; i++) {
                snprintf(path, sizeof(path), "%s/%s.%s", storedir, id, i ? "json" : "zst");
                ck_assert_int_eq(stat(path, &st), 0);
                ck_assert_int_eq(st.st_mode & 0777, 0640);
        }
        ck_assert_int_eq(gd_store_list(s, &arr), 0);
        ck_assert_int_eq(json_object_array_length(arr), 2);
        json_object_put(arr);
        ck_assert_int_eq(gd_store_get(s, id, &meta), 0);
        ck_assert_str_eq(json_object_get_string(json_object_object_get(meta, "id")), id);
        json_object_put(meta);

        ck_assert_int_eq(gd_store_open_dump(s, id, &fd), 0);
        snprintf(out, sizeof(out), "%s/out", tmpdir);
        outfd = open(out, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
        ck_assert_int_ge(outfd, 0);
        ck_assert_int_eq(gd_zstd_decompress_fd(fd, outfd), 0);
        close(fd);
        close(outfd);
        ck_assert_int_eq(stat(out, &st), 0);
        ck_assert_int_eq(st.st_size, (off_t)strlen(text));

        ck_assert_int_eq(gd_store_delete(s, id), 0);
        ck_assert_int_eq(gd_store_get(s, id, &meta), -ENOENT);
        ck_assert_int_eq(gd_store_open_dump(s, id, &fd), -ENOENT);
        ck_assert_int_eq(gd_store_delete(s, id), -ENOENT);
        snprintf(path, sizeof(path), "%s/%s.zst", storedir, id);
        ck_assert_int_eq(access(path, F_OK), -1);
        ck_assert_int_eq(gd_store_get(s, "../x", &meta), -ENOENT);
        gd_store_free(s);
}
END_TEST

START_TEST(test_incomplete) {
        struct gd_store *s = NULL;
        char id[64], path[256];
        struct json_object *arr = NULL;
        int fd;

        ck_assert_int_eq(gd_store_open(storedir, true, &s), 0);
        store_entry(s, "complete", id, sizeof(id));
        /* Leftovers of a daemon killed mid-way: a temp file, a dump without metadata, and a
         * half-written metadata temp file. */
        snprintf(path, sizeof(path), "%s/.tmp-20261121T080637-01234567-000009.zst", storedir);
        fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
        ck_assert_int_ge(fd, 0);
        close(fd);
        snprintf(path, sizeof(path), "%s/20261121T080637-01234567-000008.zst", storedir);
        fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
        ck_assert_int_ge(fd, 0);
        close(fd);
        snprintf(path, sizeof(path), "%s/.tmp-20261121T080637-01234567-000008.json", storedir);
        fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
        ck_assert_int_ge(fd, 0);
        write_all(fd, "{\"id\":", 6);
        close(fd);
        ck_assert_int_eq(gd_store_remove_incomplete(s), 3);
        ck_assert_int_eq(gd_store_remove_incomplete(s), 0);
        ck_assert_int_eq(gd_store_list(s, &arr), 0);
        ck_assert_int_eq(json_object_array_length(arr), 1);
        json_object_put(arr);
        /* Garbage metadata is skipped by list, reported by get. */
        snprintf(path, sizeof(path), "%s/20261121T080637-01234567-000007.json", storedir);
        fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
        write_all(fd, "not json", 8);
        close(fd);
        ck_assert_int_eq(gd_store_list(s, &arr), 0);
        ck_assert_int_eq(json_object_array_length(arr), 1);
        json_object_put(arr);
        ck_assert_int_eq(gd_store_get(s, "20261121T080637-01234567-000007", &arr), -EBADMSG);
        gd_store_free(s);
}
END_TEST

START_TEST(test_decompress_damaged) {
        char path[256];
        const char *text = "some dump text that is long enough to compress into a frame";
        char z[256];
        size_t n = ZSTD_compress(z, sizeof(z), text, strlen(text), 1);
        int fd, null_fd;

        ck_assert(!ZSTD_isError(n));
        snprintf(path, sizeof(path), "%s/cut.zst", tmpdir);
        fd = open(path, O_CREAT | O_RDWR | O_TRUNC | O_CLOEXEC, 0600);
        write_all(fd, z, n - 3); /* a frame cut short */
        null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
        lseek(fd, 0, SEEK_SET);
        ck_assert_int_eq(gd_zstd_decompress_fd(fd, null_fd), -EBADMSG);
        ck_assert_int_eq(ftruncate(fd, 0), 0);
        write_all(fd, "plain text", 10);
        lseek(fd, 0, SEEK_SET);
        ck_assert_int_eq(gd_zstd_decompress_fd(fd, null_fd), -EBADMSG);
        close(fd);
        close(null_fd);
}
END_TEST

START_TEST(test_readonly_missing) {
        struct gd_store *s = NULL;

        ck_assert_int_eq(gd_store_open(storedir, false, &s), -ENOENT);
        ck_assert_ptr_null(s);
}
END_TEST

int main(void) {
        Suite *suite = suite_create("gd-store");
        TCase *tc = tcase_create("store");
        SRunner *sr;
        int failed;

        tcase_add_checked_fixture(tc, setup, teardown);
        tcase_add_test(tc, test_id_syntax);
        tcase_add_test(tc, test_roundtrip);
        tcase_add_test(tc, test_incomplete);
        tcase_add_test(tc, test_decompress_damaged);
        tcase_add_test(tc, test_readonly_missing);
        suite_add_tcase(suite, tc);
        sr = srunner_create(suite);
        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
