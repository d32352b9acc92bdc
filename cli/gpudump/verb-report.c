/* SPDX-License-Identifier: MIT */
/*
 * gpudump report FILE|-|ID [-o FILE] [--max-size SIZE] [--include-vma-data] [--json=...]
 * One Markdown document (summary, then the JSON report in a ```json fence), or with --json only the
 * JSON report; either way bounded to --max-size by report_bound().
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gd-log.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct json_object *, json_object_put)

/* Render to memory: we need the size before deciding what to leave out. */
static char *render(struct input *in, struct json_object *dropped, enum json_mode mode, uint64_t max_size,
                    size_t *ret_size) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return NULL;
        char title[512];

        if (mode == JSON_OFF)
                render_markdown(f, in->report, input_title(in, title, sizeof(title)), dropped, max_size);
        else
                json_print(f, in->report, mode);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        *ret_size = size;
        return buf;
}

static size_t json_len(struct json_object *o, enum json_mode mode) {
        size_t n = 0;
        int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
                    (mode == JSON_SHORT ? JSON_C_TO_STRING_PLAIN : JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);

        json_object_to_json_string_length(o, flags, &n);
        return n;
}

int report_render(struct input *in, enum json_mode mode, uint64_t max_size, char **ret_text,
                  size_t *ret_size, bool *ret_over) {
        _cleanup_(json_object_putp) struct json_object *dropped = NULL;
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        int r;

        dropped = json_object_new_array();
        if (!dropped)
                return -ENOMEM;
        text = render(in, dropped, mode, max_size, &size);
        if (!text)
                return -ENOMEM;
        if (size > max_size) {
                /* Everything but the JSON (the summary) stays; the JSON gives way. The Markdown
                 * note grows with what is dropped, so re-measure and tighten until it fits. */
                uint64_t overhead = size - json_len(in->report, mode == JSON_OFF ? JSON_PRETTY : mode);

                for (unsigned attempt = 0; attempt < 8 && size > max_size; attempt++) {
                        r = report_bound(in->report, max_size, overhead, dropped);
                        free(text);
                        text = render(in, dropped, mode, max_size, &size);
                        if (!text)
                                return -ENOMEM;
                        if (r < 0)
                                break; /* nothing left to drop */
                        overhead += size > max_size ? size - max_size + 256 : 0;
                }
                if (size > max_size)
                        log_warning("%s: the report is still %zu bytes, over --max-size %" PRIu64 " (the summary alone is that large)",
                                    in->name, size, max_size);
                else
                        log_info("%s: left out %zu item(s) to stay under --max-size (listed in the report)",
                                 in->name, json_object_array_length(dropped));
        }
        *ret_over = size > max_size;
        *ret_size = size;
        *ret_text = TAKE_PTR(text);
        return 0;
}

int verb_report(int argc, char **argv) {
        struct input *in = NULL;
        enum json_mode mode = json_mode_effective(JSON_OFF);
        _cleanup_free_ char *doc = NULL;
        size_t n = 0, doc_size = 0;
        int r, ret = EXIT_FAIL;

        r = inputs_open(argv[0], true, arg_include_vma_data, &in, &n);
        if (r < 0)
                return EXIT_FAIL;
        if (n == 1 && in[0].not_a_dump) {
                input_log_not_a_dump(&in[0]);
                goto out;
        }
        /* --all: one document of every dump, each bounded to its share of --max-size; with
         * --json, a JSON array of the reports (as decode --all prints them). */
        bool array = arg_all && mode != JSON_OFF;
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *text = NULL;
                size_t size = 0;
                bool over;

                input_print_errors(&in[i], 0);
                r = report_render(&in[i], mode, n > 1 ? arg_max_size / n : arg_max_size, &text, &size, &over);
                if (r < 0) {
                        log_error("out of memory");
                        goto out;
                }
                char *m = realloc(doc, doc_size + size + 4);
                if (!m) {
                        log_error("out of memory");
                        goto out;
                }
                doc = m;
                if (array && i == 0)
                        doc[doc_size++] = '[';
                memcpy(doc + doc_size, text, size);
                doc_size += size;
                if (array)
                        doc[doc_size++] = i + 1 < n ? ',' : ']';
                if (i + 1 < n || array)
                        doc[doc_size++] = '\n';
        }
        r = write_output(arg_output, false, doc ? doc : "", doc_size);
        ret = r < 0 ? EXIT_FAIL : EXIT_OK;
out:
        inputs_free(in, n);
        return ret;
}
