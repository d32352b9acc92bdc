/* SPDX-License-Identifier: MIT */
/* gpudump list: the collected dumps, as a table or as the metadata array (--json). */
#include "cli.h"
#include "gd-log.h"
#include "gd-pager.h"

int verb_list(int argc, char **argv) {
        _cleanup_(source_freep) struct source *src = NULL;
        struct json_object *all = NULL, *shown;
        enum json_mode mode = json_mode_effective(JSON_OFF);
        size_t n;
        int r;

        r = source_open(&src);
        if (r < 0)
                return EXIT_FAIL;
        r = source_list(src, &all);
        if (r < 0)
                return EXIT_FAIL;

        /* Sources give oldest first; -1 keeps the newest, -r turns the order round. */
        n = json_object_array_length(all);
        shown = json_object_new_array();
        if (!shown) {
                json_object_put(all);
                log_error("out of memory");
                return EXIT_FAIL;
        }
        for (size_t i = 0; i < n; i++) {
                size_t idx = arg_reverse ? n - 1 - i : i;
                if (arg_last_only && idx != n - 1)
                        continue;
                json_object_array_add(shown, json_object_get(json_object_array_get_idx(all, idx)));
        }
        json_object_put(all);

        if (mode != JSON_OFF)
                json_print(stdout, shown, mode);
        else if (json_object_array_length(shown) == 0)
                log_info("no dumps found");
        else {
                gd_pager_open(arg_no_pager);
                render_table(stdout, shown, !arg_no_legend, false);
        }
        json_object_put(shown);
        return EXIT_OK;
}
