/* SPDX-License-Identifier: MIT */
/*
 * Test helper: decode one dump through the public API and print its JSON report (with the
 * analysis) on stdout, so the scenario tests can check and schema-validate it.
 * usage: analysis-report FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpudump.h"

int main(int argc, char **argv) {
        struct gpudump_dump *d = NULL;
        char *json = NULL;
        int r;

        if (argc != 2) {
                fprintf(stderr, "usage: %s FILE\n", argv[0]);
                return 2;
        }
        r = gpudump_dump_new_from_path(argv[1], 0, &d);
        if (r < 0) {
                fprintf(stderr, "%s: cannot decode: %s\n", argv[1], strerror(-r));
                return 1;
        }
        r = gpudump_dump_to_json(d, GPUDUMP_JSON_PRETTY | GPUDUMP_JSON_NO_SHA256, &json);
        if (r < 0) {
                fprintf(stderr, "%s: cannot render JSON: %s\n", argv[1], strerror(-r));
                gpudump_dump_unref(d);
                return 1;
        }
        fputs(json, stdout);
        fputc('\n', stdout);
        free(json);
        gpudump_dump_unref(d);
        return 0;
}
