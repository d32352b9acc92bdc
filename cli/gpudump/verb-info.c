/* SPDX-License-Identifier: MIT */
/* gpudump info ID: one entry's metadata, as text or JSON. */
#include <stdio.h>

#include "cli.h"
#include "gd-pager.h"

int verb_info(int argc, char **argv) {
        _cleanup_(source_freep) struct source *src = NULL;
        struct json_object *meta = NULL;
        enum json_mode mode = json_mode_effective(JSON_OFF);
        char storage[4096];

        if (source_open(&src) < 0)
                return EXIT_FAIL;
        if (source_get(src, argv[0], &meta) < 0)
                return EXIT_FAIL;
        if (mode != JSON_OFF)
                json_print(stdout, meta, mode);
        else {
                gd_pager_open(arg_no_pager);
                /* Through the daemon the file is not ours to name (it may not be readable). */
                if (arg_store)
                        xsnprintf(storage, sizeof(storage), "%s/%s.zst", arg_store, argv[0]);
                render_entry_info(stdout, meta, arg_store ? storage : NULL);
        }
        json_object_put(meta);
        return EXIT_OK;
}
