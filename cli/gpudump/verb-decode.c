/* SPDX-License-Identifier: MIT */
/*
 * gpudump decode FILE|-|ID: the JSON report, or its human summary with --text. Of an input
 * holding several dumps (a mail thread, a log), --index N decodes one and --all each: as a JSON
 * array of reports, or one summary after another.
 */
#include "cli.h"
#include "gd-log.h"
#include "gd-pager.h"

int verb_decode(int argc, char **argv) {
        struct input *in = NULL;
        size_t n = 0;
        enum json_mode mode = json_mode_effective(JSON_AUTO);
        struct json_object *all = NULL;
        int r, ret = EXIT_OK;

        r = inputs_open(argv[0], true, arg_include_vma_data, &in, &n);
        if (r < 0)
                return EXIT_FAIL;
        if (n == 1 && in[0].not_a_dump) {
                input_log_not_a_dump(&in[0]);
                inputs_free(in, n);
                return EXIT_FAIL;
        }
        /* Errors go to stderr for people and scripts alike; they are in the report as well. */
        for (size_t i = 0; i < n; i++)
                input_print_errors(&in[i], 0);

        gd_pager_open(arg_no_pager);
        if (arg_all && mode != JSON_OFF) {
                all = json_object_new_array();
                for (size_t i = 0; all && i < n; i++)
                        json_object_array_add(all, json_object_get(in[i].report));
                if (!all) {
                        log_error("out of memory");
                        ret = EXIT_FAIL;
                } else
                        json_print(stdout, all, mode);
                json_object_put(all);
        } else
                for (size_t i = 0; i < n; i++) {
                        char title[512];

                        if (mode != JSON_OFF) {
                                json_print(stdout, in[i].report, mode);
                                continue;
                        }
                        if (i > 0)
                                fputc('\n', stdout);
                        render_summary(stdout, in[i].report, input_title(&in[i], title, sizeof(title)));
                }
        inputs_free(in, n);
        return ret;
}
