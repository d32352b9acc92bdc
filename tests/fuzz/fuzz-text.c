/* SPDX-License-Identifier: MIT */
/* Text rendering: `gpudump decode --text` (cli/gpudump/render-summary.c) of any input's report. */
#include <stdio.h>

#include "cli.h"
#include "gd-log.h"
#include "fuzz.h"

static FILE *sink;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        gd_log_setup("fuzz-text", 0);
        sink = fopen("/dev/null", "we");
        return sink ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct input in = {};

        if (input_from_memory("fuzz", data, size, false, &in) < 0)
                return 0;
        arg_colour = size > 0 && (data[0] & 1); /* both paths of the ANSI helpers */
        if (!in.not_a_dump)
                render_summary(sink, in.report, in.name);
        input_print_errors(&in, 0);
        input_done(&in);
        return 0;
}
