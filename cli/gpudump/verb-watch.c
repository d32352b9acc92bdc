/* SPDX-License-Identifier: MIT */
/* gpudump watch: one line per newly collected dump, as it arrives (DumpCollected, or inotify on
 * --store DIR). With --json, one JSON object per line. */
#include "cli.h"
#include "gd-log.h"

struct watch_state {
        enum json_mode mode;
        unsigned seen;
        bool legend_done;
};

static int on_dump(struct source *src, const char *id, void *userdata) {
        struct watch_state *w = userdata;
        struct json_object *meta = NULL, *one;

        if (source_get(src, id, &meta) < 0)
                return 0; /* deleted again already; keep watching */
        if (w->mode != JSON_OFF)
                /* One object per line so a reader can consume the stream line by line. */
                json_print(stdout, meta, JSON_SHORT);
        else {
                one = json_object_new_array();
                if (one) {
                        json_object_array_add(one, json_object_get(meta));
                        render_table(stdout, one, !arg_no_legend && !w->legend_done, true);
                        w->legend_done = true;
                        json_object_put(one);
                }
        }
        fflush(stdout);
        json_object_put(meta);
        w->seen++;
        return arg_count && w->seen >= arg_count ? 1 : 0;
}

int verb_watch(int argc, char **argv) {
        _cleanup_(source_freep) struct source *src = NULL;
        struct watch_state w = { json_mode_effective(JSON_OFF), 0, false };

        if (source_open(&src) < 0)
                return EXIT_FAIL;
        if (source_watch(src, on_dump, &w) < 0)
                return EXIT_FAIL;
        return EXIT_OK;
}
