/* SPDX-License-Identifier: MIT */
/*
 * extract-json FILE: find the dumps in FILE with the library's extraction step and print, per
 * dump, one line of JSON: {"index", "first_line", "last_line", "stripped": [...], "report": {...}}
 * where report is gpudump_dump_to_json() of the cleaned bytes. A bare dump prints one line with
 * "bare": true. test-extract.py compares these reports to the bare fixtures' ones.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gd-macro.h"
#include "gpudump.h"
#include "input/extract.h"

static int print_report(const void *data, size_t size) {
        struct gpudump_dump *d = NULL;
        char *json = NULL;
        int r = gpudump_dump_new_from_memory(data, size, 0, &d);

        if (r < 0)
                return r;
        r = gpudump_dump_to_json(d, 0, &json);
        if (r >= 0)
                printf("\"signature\": \"%s\", \"report\": %s}\n", gpudump_dump_get_signature(d), json);
        free(json);
        gpudump_dump_unref(d);
        return r;
}

int main(int argc, char **argv) {
        struct gd_extract e = {};
        struct stat st;
        void *map = NULL;
        int fd, r;

        if (argc != 2) {
                fprintf(stderr, "usage: extract-json FILE\n");
                return 2;
        }
        fd = open(argv[1], O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) < 0) {
                perror(argv[1]);
                return 1;
        }
        if (st.st_size > 0) {
                map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
                if (map == MAP_FAILED) {
                        perror("mmap");
                        return 1;
                }
        }
        close(fd);
        if (gd_extract_is_bare(map, (size_t)st.st_size)) {
                printf("{\"index\": 0, \"bare\": true, ");
                r = print_report(map, (size_t)st.st_size);
                return r < 0 ? 1 : 0;
        }
        r = gd_extract(map, (size_t)st.st_size, &e);
        if (r < 0) {
                fprintf(stderr, "gd_extract: %s\n", strerror(-r));
                return 1;
        }
        for (size_t i = 0; i < e.n_found; i++) {
                const struct gd_found *f = &e.found[i];
                printf("{\"index\": %zu, \"first_line\": %llu, \"last_line\": %llu, \"stripped\": [", i,
                       (unsigned long long)f->first_line, (unsigned long long)f->last_line);
                bool first = true;
                for (unsigned bit = 1; bit && bit <= GD_STRIP__LAST; bit <<= 1)
                        if (f->stripped & bit) {
                                printf("%s\"%s\"", first ? "" : ", ", gd_strip_name(bit));
                                first = false;
                        }
                printf("], ");
                r = print_report(f->data, f->size);
                if (r < 0)
                        break;
        }
        gd_extract_done(&e);
        if (map)
                munmap(map, (size_t)st.st_size);
        return r < 0 ? 1 : 0;
}
