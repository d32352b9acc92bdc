/* SPDX-License-Identifier: MIT */
/* Small helpers the verbs share: parsing of sizes/times/addresses, output files, JSON access. */
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gd-fd.h"
#include "gd-log.h"

int parse_time(const char *s, uint64_t *ret_usec) {
        struct tm tm = {};
        time_t now = time(NULL), t;
        const char *rest;
        bool utc = false;
        char buf[64];
        size_t n;

        if (s[0] == '@') {
                char *end;
                unsigned long long v;

                errno = 0;
                v = strtoull(s + 1, &end, 10);
                if (errno || end == s + 1 || *end || v > UINT64_MAX / 1000000)
                        return -EINVAL;
                *ret_usec = v * 1000000ULL;
                return 0;
        }
        if (strcmp(s, "now") == 0) {
                *ret_usec = (uint64_t)now * 1000000ULL;
                return 0;
        }
        if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
                localtime_r(&now, &tm);
                tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
                if (s[0] == 'y')
                        tm.tm_mday--;
                tm.tm_isdst = -1;
                t = mktime(&tm);
                if (t < 0)
                        return -EINVAL;
                *ret_usec = (uint64_t)t * 1000000ULL;
                return 0;
        }

        n = strlen(s);
        if (n == 0 || n >= sizeof(buf))
                return -EINVAL;
        memcpy(buf, s, n + 1);
        if (buf[n - 1] == 'Z') {
                utc = true;
                buf[--n] = '\0';
        }
        rest = strptime(buf, "%Y-%m-%d", &tm);
        if (!rest)
                return -EINVAL;
        if (*rest == ' ' || *rest == 'T') {
                const char *r2 = strptime(rest + 1, "%H:%M:%S", &tm);
                if (!r2)
                        r2 = strptime(rest + 1, "%H:%M", &tm);
                if (!r2)
                        return -EINVAL;
                rest = r2;
        }
        if (*rest)
                return -EINVAL;
        tm.tm_isdst = -1;
        t = utc ? timegm(&tm) : mktime(&tm);
        if (t < 0)
                return -EINVAL;
        *ret_usec = (uint64_t)t * 1000000ULL;
        return 0;
}

int parse_address(const char *s, uint64_t *ret) {
        char *end;
        unsigned long long v;

        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
                s += 2;
        if (!isxdigit((unsigned char)s[0]))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 16);
        if (errno || *end)
                return -EINVAL;
        *ret = v;
        return 0;
}

const char *format_size(uint64_t bytes, char buf[static 16]) {
        static const char suffix[] = "KMGTPE";
        double v = (double)bytes;
        int i = -1;

        if (bytes < 1024) {
                snprintf(buf, 16, "%" PRIu64 "B", bytes);
                return buf;
        }
        while (v >= 1024 && i < 5) {
                v /= 1024;
                i++;
        }
        snprintf(buf, 16, "%.1f%c", v, suffix[i]);
        return buf;
}

const char *format_usec(uint64_t usec, char buf[static 64]) {
        time_t t = (time_t)(usec / 1000000ULL);
        struct tm tm;

        if (!localtime_r(&t, &tm) || strftime(buf, 64, "%a %Y-%m-%d %H:%M:%S %Z", &tm) == 0)
                snprintf(buf, 64, "@%" PRIu64, (uint64_t)(usec / 1000000ULL));
        return buf;
}

int open_output(const char *path, bool binary) {
        struct stat st;
        int fd;

        if (!path) {
                if (binary && isatty(STDOUT_FILENO)) {
                        log_error("refusing to write binary data to a terminal; use -o FILE or a redirection");
                        return -EINVAL;
                }
                return STDOUT_FILENO;
        }
        /* Dump contents are private: 0640 regardless of umask leniency. */
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0640);
        if (fd < 0)
                return log_error_errno(errno, "%s: cannot open for writing: %s", path, strerror(errno));
        /* Only regular files: -o /dev/null or a fifo must keep their modes. */
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fchmod(fd, 0640) < 0 && errno != EPERM) {
                int r = errno;
                close(fd);
                return log_error_errno(r, "%s: cannot set mode 0640: %s", path, strerror(r));
        }
        return fd;
}

int write_output(const char *path, bool binary, const void *buf, size_t size) {
        int fd, r;

        fd = open_output(path, binary);
        if (fd < 0)
                return fd;
        fflush(stdout); /* anything printf()ed before must come first */
        r = gd_write_all(fd, buf, size);
        if (r < 0)
                log_error("%s: write failed: %s", path ?: "stdout", strerror(-r));
        if (fd != STDOUT_FILENO && close(fd) < 0 && r >= 0) {
                r = -errno;
                log_error("%s: write failed: %s", path, strerror(errno));
        }
        return r < 0 ? r : 0;
}

enum json_mode json_mode_effective(enum json_mode def) {
        enum json_mode m = arg_json == JSON_DEFAULT ? def : arg_json;

        if (m == JSON_AUTO)
                m = isatty(STDOUT_FILENO) ? JSON_PRETTY : JSON_SHORT;
        return m;
}

int json_print(FILE *f, struct json_object *obj, enum json_mode mode) {
        int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

        if (mode == JSON_PRETTY)
                flags |= JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED;
        else
                flags |= JSON_C_TO_STRING_PLAIN;
        fputs(json_object_to_json_string_ext(obj, flags), f);
        fputc('\n', f);
        return 0;
}

struct json_object *json_get(struct json_object *obj, const char *path) {
        char key[128];

        while (obj && *path) {
                const char *dot = strchr(path, '.');
                size_t n = dot ? (size_t)(dot - path) : strlen(path);

                if (n >= sizeof(key) || !json_object_is_type(obj, json_type_object))
                        return NULL;
                memcpy(key, path, n);
                key[n] = '\0';
                if (!json_object_object_get_ex(obj, key, &obj))
                        return NULL;
                path += n + (dot ? 1 : 0);
        }
        return obj;
}

const char *json_get_str(struct json_object *obj, const char *path) {
        struct json_object *v = json_get(obj, path);

        return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

bool json_get_int(struct json_object *obj, const char *path, int64_t *ret) {
        struct json_object *v = json_get(obj, path);

        if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
                return false;
        *ret = json_object_get_int64(v);
        return true;
}

const char *ansi_highlight(void) { return arg_colour ? "\x1b[0;1;39m" : ""; }
const char *ansi_red(void) { return arg_colour ? "\x1b[0;1;31m" : ""; }
const char *ansi_yellow(void) { return arg_colour ? "\x1b[0;1;33m" : ""; }
const char *ansi_grey(void) { return arg_colour ? "\x1b[0;38;5;245m" : ""; }
const char *ansi_normal(void) { return arg_colour ? "\x1b[0m" : ""; }

void xsnprintf(char *buf, size_t size, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(buf, size, fmt, ap);
        va_end(ap);
}
