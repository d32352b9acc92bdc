/* SPDX-License-Identifier: MIT */
/*
 * gpudumpd.conf(5): /etc/gpudump/gpudumpd.conf, then gpudumpd.conf.d/\*.conf next to it in
 * lexical order, later files overriding earlier ones (as coredump.conf does). Parsed with inih.
 */
#include <ctype.h>
#include <dirent.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <ini.h>

#include "daemon.h"
#include "gd-log.h"
#include "gd-string.h"

static char **strv_split(const char *s) {
        char **v = NULL;
        size_t n = 0;
        const char *p = s;

        v = calloc(1, sizeof(char *));
        if (!v)
                return NULL;
        while (*p) {
                size_t len;
                char *w, **nv;

                while (*p && (isspace((unsigned char)*p) || *p == ','))
                        p++;
                len = strcspn(p, " \t,");
                if (len == 0)
                        break;
                w = strndup(p, len);
                nv = w ? realloc(v, (n + 2) * sizeof(char *)) : NULL;
                if (!nv) {
                        free(w);
                        for (size_t i = 0; i < n; i++)
                                free(v[i]);
                        free(v);
                        return NULL;
                }
                v = nv;
                v[n++] = w;
                v[n] = NULL;
                p += len;
        }
        return v;
}

static void strv_free(char **v) {
        for (size_t i = 0; v && v[i]; i++)
                free(v[i]);
        free(v);
}

void config_init(struct config *c) {
        *c = (struct config){
                .store_dir = NULL,
                .max_use = UINT64_MAX,
                .keep_free = UINT64_MAX,
                .max_entries = 1000,
                .max_age_usec = UINT64_C(14) * 24 * 3600 * 1000000, /* a Friday hang survives Monday */
                .dump_size_max = UINT64_C(4) << 30,
                .analyze_size_max = UINT64_C(8) << 20,
                .compression_level = 1, /* >= 400 MB/s on one core; see tests/bench */
                .i915_error_state = true,
                .free_kernel_copy = true,
                .rate_limit_burst = 5,
                .rate_limit_interval_usec = UINT64_C(3600) * 1000000,
        };
        c->allow_drivers = strv_split("*");
        c->deny_drivers = strv_split("");
}

void config_done(struct config *c) {
        free(c->store_dir);
        strv_free(c->allow_drivers);
        strv_free(c->deny_drivers);
        *c = (struct config){ 0 };
}

int config_parse_size(const char *s, uint64_t *ret) {
        if (strcasecmp(s, "infinity") == 0) {
                *ret = UINT64_MAX - 1; /* "no limit", distinct from UINT64_MAX = auto */
                return 0;
        }
        return gd_parse_size(s, ret);
}

int config_parse_usec(const char *s, uint64_t *ret) {
        static const struct {
                const char *suffix;
                uint64_t usec;
        } units[] = {
                { "", 1000000 },        { "s", 1000000 },          { "sec", 1000000 },
                { "min", 60000000 },    { "m", 60000000 },         { "h", UINT64_C(3600000000) },
                { "d", UINT64_C(86400000000) }, { "w", UINT64_C(604800000000) },
                { "ms", 1000 },         { "us", 1 },
        };
        char *end;
        unsigned long long v;

        if (strcasecmp(s, "infinity") == 0) {
                *ret = 0;
                return 0;
        }
        if (!isdigit((unsigned char)*s))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno)
                return -errno;
        while (isspace((unsigned char)*end))
                end++;
        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                if (strcmp(end, units[i].suffix) == 0) {
                        if (v > UINT64_MAX / units[i].usec)
                                return -ERANGE;
                        *ret = v * units[i].usec;
                        return 0;
                }
        return -EINVAL;
}

static int parse_bool(const char *s) {
        if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcasecmp(s, "on") ||
            !strcmp(s, "1"))
                return 1;
        if (!strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcasecmp(s, "off") ||
            !strcmp(s, "0"))
                return 0;
        return -EINVAL;
}

struct parse_ctx {
        struct config *c;
        const char *path;
        int errors;
};

/* Debian's libinih is built without INI_HANDLER_LINENO: messages name section and key. */
static int handler(void *user, const char *section, const char *key, const char *value) {
        struct parse_ctx *ctx = user;
        struct config *c = ctx->c;
        uint64_t u;
        int r = 0, b;

        if (!strcmp(section, "Store") && !strcmp(key, "Directory")) {
                char *d = strdup(value);
                if (!d)
                        return 0;
                if (value[0] != '/')
                        r = -EINVAL, free(d);
                else
                        free(c->store_dir), c->store_dir = d;
        } else if (!strcmp(section, "Store") && !strcmp(key, "MaxUse"))
                r = config_parse_size(value, &c->max_use);
        else if (!strcmp(section, "Store") && !strcmp(key, "KeepFree"))
                r = config_parse_size(value, &c->keep_free);
        else if (!strcmp(section, "Store") && !strcmp(key, "MaxEntries")) {
                r = config_parse_size(value, &u);
                if (r == 0)
                        c->max_entries = u;
        } else if (!strcmp(section, "Store") && !strcmp(key, "MaxAge"))
                r = config_parse_usec(value, &c->max_age_usec);
        else if (!strcmp(section, "Collect") && !strcmp(key, "DumpSizeMax"))
                r = config_parse_size(value, &c->dump_size_max);
        else if (!strcmp(section, "Collect") && !strcmp(key, "AnalyzeSizeMax")) {
                r = config_parse_size(value, &u);
                if (r == 0 && u > (UINT64_C(1) << 30))
                        r = -ERANGE; /* it is held in memory */
                if (r == 0)
                        c->analyze_size_max = u;
        } else if (!strcmp(section, "Collect") && !strcmp(key, "CompressionLevel")) {
                char *end;
                long l = strtol(value, &end, 10);
                if (*value == 0 || *end || l < 1 || l > 19)
                        r = -EINVAL;
                else
                        c->compression_level = (int)l;
        } else if (!strcmp(section, "Collect") && !strcmp(key, "I915ErrorState")) {
                b = parse_bool(value);
                if (b < 0)
                        r = b;
                else
                        c->i915_error_state = b;
        } else if (!strcmp(section, "Collect") && !strcmp(key, "FreeKernelCopy")) {
                b = parse_bool(value);
                if (b < 0)
                        r = b;
                else
                        c->free_kernel_copy = b;
        } else if (!strcmp(section, "Collect") &&
                   (!strcmp(key, "AllowDrivers") || !strcmp(key, "DenyDrivers"))) {
                char **v = strv_split(value), ***dst;
                if (!v)
                        return 0;
                dst = key[0] == 'A' ? &c->allow_drivers : &c->deny_drivers;
                strv_free(*dst);
                *dst = v;
        } else if (!strcmp(section, "RateLimit") && !strcmp(key, "Burst")) {
                char *end;
                unsigned long l = strtoul(value, &end, 10);
                if (!isdigit((unsigned char)*value) || *end || l > 1000000)
                        r = -EINVAL;
                else
                        c->rate_limit_burst = (unsigned)l;
        } else if (!strcmp(section, "RateLimit") && !strcmp(key, "Interval")) {
                r = config_parse_usec(value, &u);
                if (r == 0 && u == 0)
                        r = -EINVAL;
                if (r == 0)
                        c->rate_limit_interval_usec = u;
        } else {
                log_warning("%s: unknown key [%s] %s, ignoring", ctx->path, section, key);
                return 1;
        }
        if (r < 0) {
                log_error("%s: invalid value for [%s] %s: \"%s\"", ctx->path, section, key,
                          value);
                ctx->errors++;
        }
        return 1; /* keep going: report every bad line at once */
}

int config_load_file(struct config *c, FILE *f, const char *path) {
        struct parse_ctx ctx = { c, path, 0 };
        int r;

        r = ini_parse_file(f, handler, &ctx);
        if (r > 0)
                return log_error_errno(-EINVAL, "%s:%d: syntax error", path, r);
        if (r < 0)
                return log_error_errno(-ENOMEM, "cannot parse %s", path);
        return ctx.errors > 0 ? -EINVAL : 0;
}

static int load_one(struct config *c, const char *path, bool must_exist) {
        FILE *f = fopen(path, "re");
        int r;

        if (!f) {
                if (errno == ENOENT && !must_exist)
                        return 0;
                return log_error_errno(-errno, "cannot read %s: %s", path, strerror(errno));
        }
        r = config_load_file(c, f, path);
        fclose(f);
        return r;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *)a, *(char *const *)b);
}

int config_load(struct config *c, const char *path) {
        _cleanup_free_ char *copy = strdup(path), *dropdir = NULL;
        char **names = NULL;
        size_t n = 0;
        DIR *d;
        struct dirent *de;
        int r;

        if (!copy)
                return -ENOMEM;
        r = load_one(c, path, false);
        if (r < 0)
                return r;
        if (asprintf(&dropdir, "%s/gpudumpd.conf.d", dirname(copy)) < 0)
                return -ENOMEM;
        d = opendir(dropdir);
        if (!d)
                return 0;
        while ((de = readdir(d))) {
                size_t len = strlen(de->d_name);
                char *s;

                if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".conf"))
                        continue;
                s = strdup(de->d_name);
                if (!s || GD_ARRAY_PUSH(names, n, s) < 0) {
                        free(s);
                        r = -ENOMEM;
                        break;
                }
        }
        closedir(d);
        if (n > 0)
                qsort(names, n, sizeof(*names), cmp_str);
        for (size_t i = 0; i < n && r == 0; i++) {
                _cleanup_free_ char *p = NULL;
                if (asprintf(&p, "%s/%s", dropdir, names[i]) < 0)
                        r = -ENOMEM;
                else
                        r = load_one(c, p, true);
        }
        for (size_t i = 0; i < n; i++)
                free(names[i]);
        free(names);
        return r;
}
