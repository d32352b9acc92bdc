/* SPDX-License-Identifier: MIT */
/*
 * The input of decode/extract/report: a path, "-" (stdin, read to EOF by the library), or the id
 * of a stored dump (decoded by gpudumpd, or locally from --store DIR).
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gd-log.h"

/* The store's id format (docs/store.md): YYYYmmddTHHMMSS-<8 hex>-<6 to 15 hex counter>. Only such
 * names are sent to the daemon when no file of that name exists, so a mistyped path says "no such
 * file" instead of talking to the bus. */
static bool looks_like_store_id(const char *s) {
        static const char pattern[] = "ddddddddTdddddd-xxxxxxxx-";
        size_t n = strlen(s), p = sizeof(pattern) - 1;

        if (n < p + 6 || n > p + 15)
                return false;
        for (size_t i = 0; i < n; i++) {
                char c = s[i], want = i < p ? pattern[i] : 'x';
                switch (want) {
                case 'd':
                        if (!isdigit((unsigned char)c))
                                return false;
                        break;
                case 'x':
                        if (!isxdigit((unsigned char)c))
                                return false;
                        break;
                default:
                        if (c != want)
                                return false;
                }
        }
        return true;
}

static int decode_error(const char *name, int r) {
        if (r == -EIO)
                return log_error_errno(r, "%s: the compressed container is corrupt", name);
        return log_error_errno(r, "%s: cannot read: %s", name, strerror(-r));
}

static int build_report(struct input *in, bool include_vma_data) {
        _cleanup_free_ char *text = NULL;
        unsigned flags = include_vma_data ? GPUDUMP_JSON_INCLUDE_VMA_DATA : 0;
        int r;

        r = gpudump_dump_to_json(in->dump, flags, &text);
        if (r < 0)
                return log_error_errno(r, "%s: cannot render the report: %s", in->name, strerror(-r));
        in->report = json_tokener_parse(text);
        if (!in->report)
                return log_error_errno(EBADMSG, "%s: the library produced malformed JSON", in->name);
        return 0;
}

int input_open(const char *arg, bool with_report, bool include_vma_data, struct input *ret) {
        struct input in = {};
        struct stat st;
        int r, sr, serr;

        sr = stat(arg, &st);
        serr = sr < 0 ? errno : 0;
        if (strcmp(arg, "-") == 0) {
                in.name = strdup("stdin");
                if (!in.name)
                        return log_error_errno(ENOMEM, "out of memory");
                r = gpudump_dump_new_from_fd(STDIN_FILENO, 0, &in.dump);
                if (r < 0) {
                        input_done(&in);
                        return decode_error("stdin", r);
                }
        } else if (sr == 0 || serr != ENOENT || (!arg_store && !looks_like_store_id(arg))) {
                in.name = strdup(arg);
                if (!in.name)
                        return log_error_errno(ENOMEM, "out of memory");
                if (sr == 0 && S_ISDIR(st.st_mode)) {
                        input_done(&in);
                        return log_error_errno(EISDIR, "%s: is a directory", arg);
                }
                r = gpudump_dump_new_from_path(arg, 0, &in.dump);
                if (r < 0) {
                        input_done(&in);
                        return decode_error(arg, r);
                }
        } else {
                /* A stored entry. */
                _cleanup_(source_freep) struct source *src = NULL;

                in.name = strdup(arg);
                if (!in.name)
                        return log_error_errno(ENOMEM, "out of memory");
                r = source_open(&src);
                if (r < 0) {
                        input_done(&in);
                        return r;
                }
                if (!arg_store && with_report) {
                        /* The daemon decodes: works for users allowed to read dumps via polkit. */
                        r = source_decode(src, arg, include_vma_data, &in.report);
                        if (r < 0) {
                                input_done(&in);
                                return r;
                        }
                        const char *fmt = json_get_str(in.report, "format");
                        in.not_a_dump = fmt && strcmp(fmt, "unknown") == 0;
                        *ret = in;
                        return 0;
                }
                _cleanup_close_ int fd = -EBADF;
                r = source_open_dump(src, arg, &fd);
                if (r < 0) {
                        input_done(&in);
                        return r;
                }
                r = gpudump_dump_new_from_fd(fd, 0, &in.dump);
                if (r < 0) {
                        input_done(&in);
                        return decode_error(arg, r);
                }
        }

        in.not_a_dump = gpudump_dump_get_format(in.dump) == GPUDUMP_FORMAT_UNKNOWN;
        if (with_report) {
                r = build_report(&in, include_vma_data);
                if (r < 0) {
                        input_done(&in);
                        return r;
                }
        }
        *ret = in;
        return 0;
}

void input_done(struct input *in) {
        free(in->name);
        gpudump_dump_unref(in->dump);
        json_object_put(in->report);
        *in = (struct input) {};
}

static void print_error(const char *name, uint64_t offset, uint64_t line, const char *message) {
        if (line > 0)
                fprintf(stderr, "%s:offset %" PRIu64 " (line %" PRIu64 "): %s\n", name, offset, line, message);
        else
                fprintf(stderr, "%s:offset %" PRIu64 ": %s\n", name, offset, message);
}

void input_log_not_a_dump(struct input *in) {
        const char *first = in->report ? json_get_str(in->report, "first_line") : NULL;

        if (first && first[0])
                log_error("%s: not a GPU dump (format unknown; it starts with \"%.60s%s\")", in->name, first,
                          strlen(first) > 60 ? "..." : "");
        else
                log_error("%s: not a GPU dump (format unknown)", in->name);
}

size_t input_print_errors(struct input *in, size_t since) {
        size_t printed = 0;

        if (in->dump) {
                size_t n = gpudump_dump_get_n_diagnostics(in->dump);

                for (size_t i = since; i < n; i++) {
                        enum gpudump_severity sev;
                        uint64_t offset, line;
                        const char *msg;

                        if (gpudump_dump_get_diagnostic(in->dump, i, &sev, &offset, &line, &msg) < 0 ||
                            sev != GPUDUMP_SEVERITY_ERROR)
                                continue;
                        print_error(in->name, offset, line, msg ?: "(no message)");
                        printed++;
                }
                return printed;
        }

        /* Decoded by the daemon: the same facts, from the report. */
        struct json_object *diags = json_get(in->report, "diagnostics");
        for (size_t i = since; diags && json_object_is_type(diags, json_type_array) &&
                               i < json_object_array_length(diags); i++) {
                struct json_object *d = json_object_array_get_idx(diags, i);
                const char *sev = json_get_str(d, "severity"), *msg = json_get_str(d, "message");
                int64_t offset = 0, line = 0;

                if (!sev || strcmp(sev, "error") != 0)
                        continue;
                json_get_int(d, "offset", &offset);
                json_get_int(d, "line", &line);
                print_error(in->name, (uint64_t)offset, (uint64_t)line, msg ?: "(no message)");
                printed++;
        }
        return printed;
}

int input_from_memory(const char *name, const void *data, size_t size, bool include_vma_data,
                      struct input *ret) {
        struct input in = {};
        int r;

        in.name = strdup(name);
        if (!in.name)
                return log_error_errno(ENOMEM, "out of memory");
        r = gpudump_dump_new_from_memory(data, size, 0, &in.dump);
        if (r < 0) {
                input_done(&in);
                return decode_error(name, r);
        }
        in.not_a_dump = gpudump_dump_get_format(in.dump) == GPUDUMP_FORMAT_UNKNOWN;
        r = build_report(&in, include_vma_data);
        if (r < 0) {
                input_done(&in);
                return r;
        }
        *ret = in;
        return 0;
}
