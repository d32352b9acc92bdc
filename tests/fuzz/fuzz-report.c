/* SPDX-License-Identifier: MIT */
/*
 * `gpudump report`: the Markdown document and its size bound (report_bound()) for any input.
 * The first two bytes choose --max-size (1 KiB to 64 MiB, small ones make the bound drop
 * things) and Markdown or JSON. The result must fit, unless the summary alone is larger.
 */
#include <stdio.h>

#include "cli.h"
#include "gd-log.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        gd_log_setup("fuzz-report", 0);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct input in = {};
        char *text = NULL;
        size_t len = 0;
        uint64_t max_size;
        enum json_mode mode;
        bool over = false;

        if (size < 2)
                return 0;
        max_size = UINT64_C(1024) << (data[0] % 17);
        mode = data[1] & 1 ? JSON_OFF : (data[1] & 2 ? JSON_PRETTY : JSON_SHORT);
        if (input_from_memory("fuzz", data + 2, size - 2, false, &in) < 0)
                return 0;
        if (!in.not_a_dump && report_render(&in, mode, max_size, &text, &len, &over) == 0) {
                if (len > max_size && !over)
                        abort(); /* over the bound without saying so */
                if (strlen(text) != len)
                        abort(); /* a NUL inside the document */
                free(text);
        }
        input_done(&in);
        return 0;
}
