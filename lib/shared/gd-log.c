/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "gd-log.h"

/* Process-wide by nature: a binary has one stderr and one name. Set once from main(). */
static const char *log_program;
static enum gd_log_level log_max_level = GD_LOG_INFO;

void gd_log_setup(const char *program, enum gd_log_level max_level) {
        log_program = program;
        log_max_level = max_level;
}

int gd_log_full(enum gd_log_level level, int error, const char *fmt, ...) {
        int saved = errno;
        va_list ap;

        if (level <= log_max_level) {
                /* Build the line first so concurrent writers never interleave inside it. */
                char buf[4096];
                int n = 0;

                if (log_program)
                        n = snprintf(buf, sizeof(buf), "%s: ", log_program);
                va_start(ap, fmt);
                vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
                va_end(ap);
                fprintf(stderr, "%s\n", buf);
        }
        errno = saved;
        return error < 0 ? error : -error;
}
