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

        if (arg_threads > 0)
                (void)gpudump_dump_set_threads(in->dump, arg_threads);
        r = gpudump_dump_to_json(in->dump, flags, &text);
        if (r < 0)
                return log_error_errno(r, "%s: cannot render the report: %s", in->name, strerror(-r));
        in->report = json_tokener_parse(text);
        if (!in->report)
                return log_error_errno(EBADMSG, "%s: the library produced malformed JSON", in->name);
        return 0;
}

/* Open arg and decode its first dump (the library finds dumps in mail, posts and logs). */
static int open_first(const char *arg, bool with_report, bool include_vma_data, struct input *ret) {
        struct input in = {};
        struct stat st;
        int r, sr, serr;
        /* A report hashes every VMA: have the library hash while it parses. */
        unsigned flags = with_report ? GPUDUMP_OPEN_HASH | GPUDUMP_OPEN_THREADS(arg_threads) : 0;

        sr = stat(arg, &st);
        serr = sr < 0 ? errno : 0;
        if (strcmp(arg, "-") == 0) {
                in.name = strdup("stdin");
                if (!in.name)
                        return log_error_errno(ENOMEM, "out of memory");
                r = gpudump_dump_new_from_fd(STDIN_FILENO, flags, &in.dump);
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
                r = gpudump_dump_new_from_path(arg, flags, &in.dump);
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
                        /* The daemon decodes: works for users allowed to read dumps via polkit.
                         * A collected dump is the kernel's file: one dump. */
                        r = source_decode(src, arg, include_vma_data, &in.report);
                        if (r < 0) {
                                input_done(&in);
                                return r;
                        }
                        const char *fmt = json_get_str(in.report, "format");
                        in.not_a_dump = fmt && strcmp(fmt, "unknown") == 0;
                        in.count = in.not_a_dump ? 0 : 1;
                        *ret = in;
                        return 0;
                }
                _cleanup_close_ int fd = -EBADF;
                r = source_open_dump(src, arg, &fd);
                if (r < 0) {
                        input_done(&in);
                        return r;
                }
                r = gpudump_dump_new_from_fd(fd, flags, &in.dump);
                if (r < 0) {
                        input_done(&in);
                        return decode_error(arg, r);
                }
        }
        in.count = gpudump_dump_get_n_embedded(in.dump);
        *ret = in;
        return 0;
}

/* Dump index of the input first was opened from (first itself for index 0). */
static int open_index(struct input *first, size_t index, struct input *ret) {
        struct input in = { .index = index, .count = first->count };
        int r;

        in.name = strdup(first->name);
        if (!in.name)
                return log_error_errno(ENOMEM, "out of memory");
        if (!first->dump) {
                /* Decoded by the daemon: one dump. */
                in.report = json_object_get(first->report);
                in.not_a_dump = first->not_a_dump;
                *ret = in;
                return 0;
        }
        if (index == gpudump_dump_get_embedded_index(first->dump))
                in.dump = gpudump_dump_ref(first->dump);
        else {
                r = gpudump_dump_new_embedded(first->dump, index, 0, &in.dump);
                if (r < 0) {
                        input_done(&in);
                        return log_error_errno(r, "%s: cannot decode dump %zu: %s", first->name, index, strerror(-r));
                }
        }
        in.not_a_dump = gpudump_dump_get_format(in.dump) == GPUDUMP_FORMAT_UNKNOWN;
        if (in.count > 1)
                (void)gpudump_dump_get_embedded_lines(in.dump, index, &in.first_line, &in.last_line);
        *ret = in;
        return 0;
}

/* Several dumps and nothing says which: list them and say how to pick, rather than guess. */
static int log_several(const struct input *first) {
        char list[512] = "";
        size_t len = 0;

        for (size_t i = 0; i < first->count && len < sizeof(list) - 64; i++) {
                uint64_t a = 0, b = 0;
                if (i == 8) {
                        len += (size_t)snprintf(list + len, sizeof(list) - len, ", ...");
                        break;
                }
                (void)gpudump_dump_get_embedded_lines(first->dump, i, &a, &b);
                len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%zu: lines %" PRIu64 "-%" PRIu64,
                                        i ? ", " : "", i, a, b);
        }
        return log_error_errno(EMLINK, "%s holds %zu dumps (%s); pick one with --index N (0 to %zu), or decode each with --all",
                               first->name, first->count, list, first->count - 1);
}

int inputs_open(const char *arg, bool with_report, bool include_vma_data, struct input **ret,
                size_t *ret_n) {
        struct input first = {};
        _cleanup_free_ struct input *v = NULL;
        size_t from, n = 0, count;
        int r;

        r = open_first(arg, with_report, include_vma_data, &first);
        if (r < 0)
                return r;
        count = first.count;
        if (arg_index >= 0 && (uint64_t)arg_index >= (count ? count : 1)) {
                if (count == 0)
                        log_error("%s: --index %" PRIi64 ": it holds no GPU dump", first.name, arg_index);
                else if (count == 1)
                        log_error("%s: --index %" PRIi64 ": it holds one dump (--index 0)", first.name, arg_index);
                else
                        log_error("%s: --index %" PRIi64 ": it holds %zu dumps (--index 0 to %zu)", first.name,
                                  arg_index, count, count - 1);
                input_done(&first);
                return -ERANGE;
        }
        if (count > 1 && arg_index < 0 && !arg_all) {
                r = log_several(&first);
                input_done(&first);
                return r;
        }
        from = arg_index >= 0 ? (size_t)arg_index : 0;
        n = arg_all && arg_index < 0 && count > 1 ? count : 1;
        v = calloc(n, sizeof(*v));
        if (!v) {
                input_done(&first);
                return log_error_errno(ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
                r = open_index(&first, from + i, &v[i]);
                if (r >= 0 && with_report && !v[i].report)
                        r = build_report(&v[i], include_vma_data);
                if (r < 0) {
                        inputs_free(TAKE_PTR(v), i + 1);
                        input_done(&first);
                        return r;
                }
        }
        input_done(&first);
        *ret = TAKE_PTR(v);
        *ret_n = n;
        return 0;
}

int input_open(const char *arg, bool with_report, bool include_vma_data, struct input *ret) {
        struct input *v;
        size_t n;
        int r;

        r = inputs_open(arg, with_report, include_vma_data, &v, &n);
        if (r < 0)
                return r;
        *ret = v[0];
        for (size_t i = 1; i < n; i++)
                input_done(&v[i]);
        free(v);
        return 0;
}

void inputs_free(struct input *in, size_t n) {
        for (size_t i = 0; in && i < n; i++)
                input_done(&in[i]);
        free(in);
}

const char *input_title(const struct input *in, char *buf, size_t size) {
        if (in->count > 1)
                xsnprintf(buf, size, "%s --index %zu (of %zu dumps; lines %" PRIu64 "-%" PRIu64 ")", in->name,
                          in->index, in->count, in->first_line, in->last_line);
        else
                xsnprintf(buf, size, "%s", in->name);
        return buf;
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
