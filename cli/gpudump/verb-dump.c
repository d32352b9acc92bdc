/* SPDX-License-Identifier: MIT */
/* gpudump dump ID [-o FILE]: the original bytes the kernel gave, decompressed. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "gd-log.h"
#include "gd-store.h"

int verb_dump(int argc, char **argv) {
        _cleanup_(source_freep) struct source *src = NULL;
        _cleanup_close_ int in_fd = -EBADF;
        struct stat st;
        bool is_regular;
        int out_fd, r;

        /* Dumps are text but can be gigabytes of ascii85: treat as binary for the tty check. */
        if (!arg_output && isatty(STDOUT_FILENO)) {
                log_error("refusing to write a dump to a terminal; use -o FILE or a redirection");
                return EXIT_USAGE;
        }
        if (source_open(&src) < 0)
                return EXIT_FAIL;
        if (source_open_dump(src, argv[0], &in_fd) < 0)
                return EXIT_FAIL;
        out_fd = open_output(arg_output, true);
        if (out_fd < 0)
                return EXIT_FAIL;
        is_regular = out_fd != STDOUT_FILENO && fstat(out_fd, &st) == 0 && S_ISREG(st.st_mode);
        r = gd_zstd_decompress_fd(in_fd, out_fd);
        if (r < 0)
                log_error("%s: cannot decompress the stored dump: %s", argv[0], strerror(-r));
        if (out_fd != STDOUT_FILENO && close(out_fd) < 0 && r >= 0) {
                r = -errno;
                log_error("%s: write failed: %s", arg_output, strerror(errno));
        }
        if (r < 0 && is_regular)
                unlink(arg_output); /* no half dump left behind looking complete */
        return r < 0 ? EXIT_FAIL : EXIT_OK;
}
