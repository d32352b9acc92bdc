/* SPDX-License-Identifier: MIT */
/*
 * Logging for our binaries (never for libgpudump, which does not log). Messages go to stderr,
 * prefixed with the program name, so a user piping stdout into a file still sees them.
 * The log_*_errno() forms return -abs(error) so callers can `return log_error_errno(r, ...)`.
 */
#pragma once

#include "gd-macro.h"

enum gd_log_level {
        GD_LOG_ERR = 3,
        GD_LOG_WARNING = 4,
        GD_LOG_NOTICE = 5,
        GD_LOG_INFO = 6,
        GD_LOG_DEBUG = 7,
};

/* Set the prefix (usually program_invocation_short_name) and the most verbose level shown. */
void gd_log_setup(const char *program, enum gd_log_level max_level);
/* Print one message; returns -abs(error) (0 stays 0). */
int gd_log_full(enum gd_log_level level, int error, const char *fmt, ...) _printf_(3, 4);

#define log_error(...) gd_log_full(GD_LOG_ERR, 0, __VA_ARGS__)
#define log_warning(...) gd_log_full(GD_LOG_WARNING, 0, __VA_ARGS__)
#define log_notice(...) gd_log_full(GD_LOG_NOTICE, 0, __VA_ARGS__)
#define log_info(...) gd_log_full(GD_LOG_INFO, 0, __VA_ARGS__)
#define log_debug(...) gd_log_full(GD_LOG_DEBUG, 0, __VA_ARGS__)
#define log_error_errno(e, ...) gd_log_full(GD_LOG_ERR, (e), __VA_ARGS__)
#define log_warning_errno(e, ...) gd_log_full(GD_LOG_WARNING, (e), __VA_ARGS__)
