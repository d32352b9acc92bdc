/* SPDX-License-Identifier: MIT */
/* gpudump decode FILE|-|ID: the JSON report, or its human summary with --text. */
#include "cli.h"
#include "gd-log.h"
#include "gd-pager.h"

int verb_decode(int argc, char **argv) {
        struct input in = {};
        enum json_mode mode = json_mode_effective(JSON_AUTO);
        int r;

        r = input_open(argv[0], true, arg_include_vma_data, &in);
        if (r < 0)
                return EXIT_FAIL;
        if (in.not_a_dump) {
                input_log_not_a_dump(&in);
                input_done(&in);
                return EXIT_FAIL;
        }
        /* Errors go to stderr for people and scripts alike; they are in the report as well. */
        input_print_errors(&in, 0);

        gd_pager_open(arg_no_pager);
        if (mode == JSON_OFF)
                render_summary(stdout, in.report, in.name);
        else
                json_print(stdout, in.report, mode);
        input_done(&in);
        return EXIT_OK;
}
