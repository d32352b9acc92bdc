/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "gd-string.h"

static int hexval(unsigned char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

int gd_parse_hex_prefix(const char *s, size_t n, uint64_t *ret, size_t *ret_used) {
        size_t i = 0;
        uint64_t v = 0;
        int digits = 0;

        if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && n > 2 && hexval(s[2]) >= 0)
                i = 2;
        for (; i < n; i++) {
                int h = hexval((unsigned char)s[i]);
                if (h < 0)
                        break;
                /* Leading zeros do not count against the 64-bit limit. */
                if (v >> 60)
                        return -1;
                v = v << 4 | (unsigned)h;
                digits++;
        }
        if (digits == 0)
                i = 0;
        *ret = v;
        *ret_used = i;
        return digits;
}

int gd_parse_hex(const char *s, size_t n, uint64_t *ret) {
        size_t used;
        uint64_t v;
        int digits = gd_parse_hex_prefix(s, n, &v, &used);

        if (digits <= 0 || used != n)
                return -1;
        *ret = v;
        return digits;
}

int gd_parse_dec_prefix(const char *s, size_t n, int64_t *ret, size_t *ret_used) {
        size_t i = 0;
        bool neg = false;
        uint64_t v = 0;
        size_t digits = 0;

        if (n > 0 && (s[0] == '-' || s[0] == '+')) {
                neg = s[0] == '-';
                i = 1;
        }
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, digits++) {
                if (v > (UINT64_MAX - 9) / 10)
                        return -1;
                v = v * 10 + (uint64_t)(s[i] - '0');
        }
        if (digits == 0) {
                *ret = 0;
                *ret_used = 0;
                return 0;
        }
        if (neg) {
                if (v > (uint64_t)INT64_MAX + 1)
                        return -1;
                *ret = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
        } else {
                if (v > INT64_MAX)
                        return -1;
                *ret = (int64_t)v;
        }
        *ret_used = i;
        return (int)digits;
}

int gd_parse_dec(const char *s, size_t n, int64_t *ret) {
        size_t used;
        int64_t v;
        int digits = gd_parse_dec_prefix(s, n, &v, &used);

        if (digits <= 0 || used != n)
                return -1;
        *ret = v;
        return digits;
}

char *gd_strndup(const void *s, size_t n) {
        char *p = malloc(n + 1);

        if (!p)
                return NULL;
        memcpy(p, s, n);
        p[n] = 0;
        return p;
}

void gd_trim(const char **s, size_t *n) {
        while (*n > 0 && (**s == ' ' || **s == '\t')) {
                (*s)++;
                (*n)--;
        }
        while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
                (*n)--;
}

int gd_parse_size(const char *s, uint64_t *ret) {
        char *end;
        unsigned long long v;
        uint64_t mul = 1;

        if (!s || !isdigit((unsigned char)*s))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno)
                return -errno;
        while (isspace((unsigned char)*end))
                end++;
        switch (toupper((unsigned char)*end)) {
        case 0: break;
        case 'K': mul = UINT64_C(1) << 10; end++; break;
        case 'M': mul = UINT64_C(1) << 20; end++; break;
        case 'G': mul = UINT64_C(1) << 30; end++; break;
        case 'T': mul = UINT64_C(1) << 40; end++; break;
        case 'B': end++; break;
        default: return -EINVAL;
        }
        /* "10M", "10MB", "10MiB", "10Mi": the unit letter may carry its byte suffix */
        if (*end == 'i' || *end == 'B')
                end += (*end == 'i' && end[1] == 'B') ? 2 : 1;
        if (*end)
                return -EINVAL;
        if (v > UINT64_MAX / mul)
                return -ERANGE;
        *ret = v * mul;
        return 0;
}
