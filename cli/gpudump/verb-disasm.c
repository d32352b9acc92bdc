/* SPDX-License-Identifier: MIT */
/*
 * gpudump disasm FILE|-|ID [--vma ADDR] [--json=pretty|short|off]: every instruction of every
 * ring and batch buffer (chained and second-level batches followed), as text like IGT's
 * intel_error_decode, or as the library's JSON listing (schemas/gpudump-disasm.schema.json).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gd-log.h"
#include "gd-pager.h"

static int listing(struct input *in, bool at, uint64_t address, struct json_object **ret) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = gpudump_dump_disasm_to_json(in->dump, address, at ? GPUDUMP_DISASM_AT_ADDRESS : 0, &text);
        if (r == -ENOENT)
                return log_error_errno(r, "%s: no captured buffer holds 0x%" PRIx64, in->name, address);
        if (r < 0)
                return log_error_errno(r, "%s: cannot list the instructions: %s", in->name, strerror(-r));
        *ret = json_tokener_parse(text);
        if (!*ret)
                return log_error_errno(EBADMSG, "%s: the library produced malformed JSON", in->name);
        return 0;
}

int verb_disasm(int argc, char **argv) {
        struct input *in = NULL;
        size_t n = 0;
        enum json_mode mode = json_mode_effective(JSON_OFF);
        struct json_object *all = NULL, **lists = NULL;
        uint64_t address = 0;
        int r, ret = EXIT_FAIL;

        if (arg_vma && parse_address(arg_vma, &address) < 0) {
                log_error("disasm: --vma: '%s' is not a hex address", arg_vma);
                return EXIT_USAGE;
        }
        r = inputs_open(argv[0], false, false, &in, &n);
        if (r < 0)
                return EXIT_FAIL;
        if (n == 1 && in[0].not_a_dump) {
                input_log_not_a_dump(&in[0]);
                goto out;
        }
        lists = calloc(n, sizeof(*lists));
        if (!lists) {
                log_error("out of memory");
                goto out;
        }
        for (size_t i = 0; i < n; i++)
                if (listing(&in[i], arg_vma, address, &lists[i]) < 0)
                        goto out;

        gd_pager_open(arg_no_pager);
        if (arg_all && mode != JSON_OFF) {
                all = json_object_new_array();
                for (size_t i = 0; all && i < n; i++)
                        json_object_array_add(all, json_object_get(lists[i]));
                if (!all) {
                        log_error("out of memory");
                        goto out;
                }
                json_print(stdout, all, mode);
        } else
                for (size_t i = 0; i < n; i++) {
                        char title[512];

                        if (mode != JSON_OFF) {
                                json_print(stdout, lists[i], mode);
                                continue;
                        }
                        if (n > 1)
                                printf("%s== %s ==\n", i ? "\n" : "", input_title(&in[i], title, sizeof(title)));
                        render_disasm(stdout, lists[i], in[i].name);
                }
        ret = EXIT_OK;
out:
        for (size_t i = 0; lists && i < n; i++)
                json_object_put(lists[i]);
        free(lists);
        json_object_put(all);
        inputs_free(in, n);
        return ret;
}
