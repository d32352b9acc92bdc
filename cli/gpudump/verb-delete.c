/* SPDX-License-Identifier: MIT */
/* gpudump delete ID */
#include "cli.h"

int verb_delete(int argc, char **argv) {
        _cleanup_(source_freep) struct source *src = NULL;

        if (source_open(&src) < 0)
                return EXIT_FAIL;
        return source_delete(src, argv[0]) < 0 ? EXIT_FAIL : EXIT_OK;
}
