/* SPDX-License-Identifier: MIT */
/*
 * The library's cost alone: decode FILE and render its JSON report (with VMA hashes), as
 * `gpudump decode --json` does, without the CLI around it. Prints the report size.
 * usage: bench-decode FILE [--no-sha256]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpudump.h"

int main(int argc, char **argv) {
        struct gpudump_dump *d = NULL;
        char *json = NULL;
        unsigned flags = 0;
        int r;

        if (argc < 2) {
                fprintf(stderr, "usage: %s FILE [--no-sha256]\n", argv[0]);
                return 2;
        }
        if (argc > 2 && strcmp(argv[2], "--no-sha256") == 0)
                flags |= GPUDUMP_JSON_NO_SHA256;
        /* As gpudump decode does: hash while parsing, unless no hashes are wanted. */
        r = gpudump_dump_new_from_path(argv[1], flags ? 0 : GPUDUMP_OPEN_HASH, &d);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", argv[1], strerror(-r));
                return 1;
        }
        r = gpudump_dump_to_json(d, flags, &json);
        if (r < 0) {
                fprintf(stderr, "json: %s\n", strerror(-r));
                gpudump_dump_unref(d);
                return 1;
        }
        printf("%zu VMAs, %zu bytes of JSON, %zu diagnostics\n", gpudump_dump_get_n_vmas(d), strlen(json),
               gpudump_dump_get_n_diagnostics(d));
        free(json);
        gpudump_dump_unref(d);
        return 0;
}
