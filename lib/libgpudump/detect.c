/* SPDX-License-Identifier: MIT */
/* Format detection from content only (never the file name), and the unknown input's first line. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gd-string.h"
#include "internal.h"

/* Skip a leading UTF-8 BOM and blank lines: mail and editors add them. */
static const uint8_t *skip_blank(const uint8_t *p, const uint8_t *end) {
        if (end - p >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
                p += 3;
        while (p < end && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'))
                p++;
        return p;
}

#define XE_MAGIC "**** Xe Device Coredump ****"

/* Which parser to run, from content only (spec §0.4). An xe dump may be embedded in dmesg or mail,
 * so its title is searched within the first lines too. */
enum gpudump_format gd_detect_format(const struct gpudump_dump *d) {
        const uint8_t *p = skip_blank(d->data, d->data + d->size), *end = d->data + d->size;
        size_t n = (size_t)(end - p);

        if (n >= 4 && memcmp(p, "PANF", 4) == 0)
                return GPUDUMP_FORMAT_PANFROST;
        if (n >= 4 && memcmp(p, "ETNA", 4) == 0)
                return GPUDUMP_FORMAT_ETNAVIV;
        if (gd_startswith(p, n, XE_MAGIC))
                return GPUDUMP_FORMAT_XE;
        if (gd_startswith(p, n, "**** AMDGPU Device Coredump ****"))
                return GPUDUMP_FORMAT_AMDGPU;
        if (gd_startswith(p, n, "GPU HANG: ecode ") || gd_startswith(p, n, "Kernel: ") ||
            gd_startswith(p, n, "No error state collected") || gd_startswith(p, n, "Time: "))
                return GPUDUMP_FORMAT_I915;
        if (gd_startswith(p, n, "---\nkernel: ") || gd_startswith(p, n, "---\r\nkernel: "))
                return GPUDUMP_FORMAT_MSM;

        /* Embedded xe dump (a saved dmesg, a mail): the title anywhere in the first 16 MiB, after
         * a prefix on its line. Bounded so that a huge non-dump is not read twice. */
        size_t window = n < (16u << 20) ? n : (16u << 20);
        if (memmem(p, window, XE_MAGIC, strlen(XE_MAGIC)))
                return GPUDUMP_FORMAT_XE;
        return GPUDUMP_FORMAT_UNKNOWN;
}

int gd_set_first_line(struct gpudump_dump *d) {
        const uint8_t *p = skip_blank(d->data, d->data + d->size), *end = d->data + d->size;
        size_t n = (size_t)(end - p), len;
        const uint8_t *nl = memchr(p, '\n', n < 4096 ? n : 4096);

        len = nl ? (size_t)(nl - p) : (n < 200 ? n : 200);
        if (len > 200)
                len = 200;
        if (len > 0 && p[len - 1] == '\r')
                len--;
        d->first_line = malloc(len + 1);
        if (!d->first_line)
                return -ENOMEM;
        /* The report is JSON text: keep it printable ASCII so binary junk cannot break it. */
        for (size_t i = 0; i < len; i++)
                d->first_line[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
        d->first_line[len] = 0;
        return 0;
}

