/* SPDX-License-Identifier: MIT */
/* Where the text of the input starts (formats/ detects there, from content only: never the file
 * name), and the unknown input's first line. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"

/* Skip a leading UTF-8 BOM and blank lines: mail and editors add them. */
const uint8_t *gd_skip_blank(const uint8_t *p, const uint8_t *end) {
        if (end - p >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
                p += 3;
        while (p < end && (*p == '\n' || *p == '\r' || *p == ' ' || *p == '\t'))
                p++;
        return p;
}

const uint8_t *gd_input_text_start(const struct gd_input *d) {
        return gd_skip_blank(d->data, d->data + d->size);
}

int gd_input_first_line(const struct gd_input *d, char **ret) {
        const uint8_t *p = gd_skip_blank(d->data, d->data + d->size), *end = d->data + d->size;
        size_t n = (size_t)(end - p), len;
        const uint8_t *nl = memchr(p, '\n', n < 4096 ? n : 4096);

        len = nl ? (size_t)(nl - p) : (n < 200 ? n : 200);
        if (len > 200)
                len = 200;
        if (len > 0 && p[len - 1] == '\r')
                len--;
        char *line = malloc(len + 1);
        if (!line)
                return -ENOMEM;
        /* The report is JSON text: keep it printable ASCII so binary junk cannot break it. */
        for (size_t i = 0; i < len; i++)
                line[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
        line[len] = 0;
        *ret = line;
        return 0;
}

