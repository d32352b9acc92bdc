/* SPDX-License-Identifier: MIT */
/* gpudump extract FILE --vma ADDR | --blob NAME [-o OUT]: raw decoded bytes. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "gd-log.h"

/* "no such VMA" is only useful with the list of what exists. */
static void list_vmas(struct input *in) {
        size_t n = gpudump_dump_get_n_vmas(in->dump);

        if (n == 0) {
                fprintf(stderr, "%s: the dump holds no VMAs or buffers\n", in->name);
                return;
        }
        fprintf(stderr, "%s: available (%zu):\n", in->name, n);
        for (size_t i = 0; i < n; i++) {
                struct gpudump_vma *v = gpudump_dump_get_vma(in->dump, i);
                const char *kind = gpudump_vma_get_kind(v);
                int err = gpudump_vma_get_error(v);

                fprintf(stderr, "  0x%" PRIx64 "  length 0x%" PRIx64 "%s%s", gpudump_vma_get_address(v),
                        gpudump_vma_get_length(v), kind ? "  " : "", kind ?: "");
                if (err)
                        fprintf(stderr, "  (error %d: %s)", err, strerror(-err));
                fputc('\n', stderr);
        }
}

static int read_failed(struct input *in, const char *what, int r, size_t diags_before) {
        switch (r) {
        case -ENOENT:
                log_error("%s: the dump has no %s", in->name, what);
                break;
        case -ENODATA:
                log_error("%s: %s: the dump carries no contents for it", in->name, what);
                break;
        case -EBADMSG:
                /* The library recorded where the encoding breaks: during this read, or already
                 * while decoding (the analysis pass reads VMAs too), then among all errors. */
                if (input_print_errors(in, diags_before) == 0 && input_print_errors(in, 0) == 0)
                        log_error("%s: %s: the encoded contents are damaged", in->name, what);
                else
                        log_error("%s: %s: the encoded contents are damaged (see above)", in->name, what);
                break;
        default:
                log_error("%s: %s: cannot decode: %s", in->name, what, strerror(-r));
        }
        return EXIT_FAIL;
}

int verb_extract(int argc, char **argv) {
        struct input in = {};
        _cleanup_free_ void *data = NULL;
        char what[128];
        size_t size = 0, diags_before;
        uint64_t addr = 0;
        int r, ret = EXIT_FAIL;

        if (!!arg_vma == !!arg_blob) {
                log_error("extract: give exactly one of --vma ADDR or --blob NAME");
                return EXIT_USAGE;
        }
        if (arg_vma && parse_address(arg_vma, &addr) < 0) {
                log_error("extract: --vma: '%s' is not a hex address", arg_vma);
                return EXIT_USAGE;
        }
        /* Refuse a tty before decoding anything, so the user is told at once. */
        if (!arg_output && isatty(STDOUT_FILENO)) {
                log_error("refusing to write binary data to a terminal; use -o FILE or a redirection");
                return EXIT_USAGE;
        }

        r = input_open(argv[0], false, false, &in);
        if (r < 0)
                return EXIT_FAIL;
        if (in.not_a_dump) {
                input_log_not_a_dump(&in);
                goto out;
        }
        diags_before = gpudump_dump_get_n_diagnostics(in.dump);

        if (arg_vma) {
                struct gpudump_vma *v = gpudump_dump_find_vma(in.dump, addr);
                int err;

                xsnprintf(what, sizeof(what), "VMA 0x%" PRIx64, addr);
                if (!v) {
                        log_error("%s: no VMA or buffer starts at 0x%" PRIx64, in.name, addr);
                        list_vmas(&in);
                        goto out;
                }
                err = gpudump_vma_get_error(v);
                if (err) {
                        log_error("%s: %s has error %d (%s): the kernel could not capture its contents",
                                  in.name, what, err, strerror(-err));
                        goto out;
                }
                r = gpudump_vma_read(v, &data, &size);
        } else {
                xsnprintf(what, sizeof(what), "blob %s", arg_blob);
                r = gpudump_dump_read_blob(in.dump, arg_blob, &data, &size);
        }
        if (r < 0) {
                ret = read_failed(&in, what, r, diags_before);
                goto out;
        }

        r = write_output(arg_output, true, data, size);
        ret = r < 0 ? EXIT_FAIL : EXIT_OK;
out:
        input_done(&in);
        return ret;
}
