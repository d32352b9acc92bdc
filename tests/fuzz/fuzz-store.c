/* SPDX-License-Identifier: MIT */
/*
 * The store's reader (lib/shared/gd-store.c) on whatever sits in the directory: the input is
 * split at "\n--\n" into the metadata of up to four entries (<id>.json) and the compressed dump
 * of the first (<id>.zst), in a private directory under $TMPDIR (a tmpfs is best); then what
 * `gpudump --store DIR list/info/dump` and the daemon's ListEntries do: list, get each id,
 * open and decompress the dump.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "gd-store.h"
#include "fuzz.h"

static char dir[256];
static int dir_fd = -1, null_fd = -1;
static const char *const ids[] = {
        "20261121T081500-1a2b3c4d-000001",
        "20261121T081501-1a2b3c4d-000002",
        "20261121T081502-1a2b3c4d-0000000000000003", /* the counter may grow past 6 digits */
        "20261121T081503-1a2b3c4d-00000004",
};

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        const char *tmp = getenv("TMPDIR");

        snprintf(dir, sizeof(dir), "%s/fuzz-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir))
                return -1;
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
        return dir_fd >= 0 && null_fd >= 0 ? 0 : -1;
}

static void put(const char *name, const uint8_t *p, size_t n) {
        int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);

        if (fd < 0)
                abort();
        if (n > 0 && write(fd, p, n) != (ssize_t)n)
                abort();
        close(fd);
}

static const uint8_t *next_part(const uint8_t *p, const uint8_t *end) {
        const uint8_t *q = memmem(p, (size_t)(end - p), "\n--\n", 4);

        return q ? q : end;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const uint8_t *p = data, *end = data + size;
        struct gd_store *s = NULL;
        struct json_object *arr = NULL;
        char name[64];
        size_t n_meta = 0;

        for (size_t i = 0; i < 4; i++) {
                snprintf(name, sizeof(name), "%s.json", ids[i]);
                unlinkat(dir_fd, name, 0);
        }
        snprintf(name, sizeof(name), "%s.zst", ids[0]);
        unlinkat(dir_fd, name, 0);

        while (n_meta < 4 && p < end) {
                const uint8_t *q = next_part(p, end);

                snprintf(name, sizeof(name), "%s.json", ids[n_meta++]);
                put(name, p, (size_t)(q - p));
                p = q + (q < end ? 4 : 0);
        }
        snprintf(name, sizeof(name), "%s.zst", ids[0]);
        put(name, p, (size_t)(end - p));

        if (gd_store_open(dir, false, &s) < 0)
                abort();
        if (gd_store_list(s, &arr) == 0) {
                if (json_object_array_length(arr) > n_meta)
                        abort(); /* entries that are not there */
                json_object_put(arr);
        }
        for (size_t i = 0; i < 4; i++) {
                struct json_object *meta = NULL;
                int r = gd_store_get(s, ids[i], &meta);

                if (r == 0 && !json_object_is_type(meta, json_type_object))
                        abort();
                json_object_put(meta);
        }
        {
                int fd = -1;

                if (gd_store_open_dump(s, ids[0], &fd) == 0) {
                        (void)gd_zstd_decompress_fd(fd, null_fd);
                        close(fd);
                }
        }
        gd_store_free(s);
        return 0;
}
