/* SPDX-License-Identifier: MIT */
/*
 * Finding dumps inside text: mail (headers, MIME multipart, quoted-printable, base64, `>`
 * quoting), markdown and forum posts (code fences, indented code, HTML tags and entities, prose
 * around), kernel logs (dmesg, syslog, journalctl prefixes, interleaved lines of other sources,
 * records wrapped by the log's length limit), CRLF.
 *
 * Pure: bytes in, found dumps out. Each found dump is a cleaned copy of its bytes, as the kernel
 * printed them, with a map from its lines back to the lines of the original input and the list
 * of what was stripped. Work is linear in the input; no allocation is sized by a length that
 * the input claims (only by bytes actually present).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What extraction removed around or inside a dump: the report lists them by name. */
enum gd_strip {
        GD_STRIP_MAIL_HEADERS = 1u << 0,
        GD_STRIP_MIME = 1u << 1,
        GD_STRIP_QP = 1u << 2,
        GD_STRIP_BASE64 = 1u << 3,
        GD_STRIP_QUOTING = 1u << 4,
        GD_STRIP_KERNEL_LOG = 1u << 5,
        GD_STRIP_LINE_PREFIX = 1u << 6,
        GD_STRIP_CODE_FENCE = 1u << 7,
        GD_STRIP_INDENT = 1u << 8,
        GD_STRIP_HTML_TAGS = 1u << 9,
        GD_STRIP_HTML_ENTITIES = 1u << 10,
        GD_STRIP_CRLF = 1u << 11,
        GD_STRIP_WRAPPING = 1u << 12,
        GD_STRIP_OTHER_LINES = 1u << 13,
        GD_STRIP_TEXT_AROUND = 1u << 14,
        GD_STRIP__LAST = GD_STRIP_TEXT_AROUND,
};

/* One line of a cleaned dump and where it came from. */
struct gd_xline {
        uint64_t out;  /* offset of the line in the cleaned bytes */
        uint64_t line; /* 1-based line of the original input */
        uint64_t in;   /* offset in the original input where the line's content starts */
        bool exact;    /* the content is the original's bytes (offsets inside it map 1:1) */
};

struct gd_found {
        uint8_t *data;            /* cleaned bytes (malloc) */
        size_t size;
        struct gd_xline *lines;   /* one per cleaned line, in order */
        size_t n_lines;
        uint64_t first_line, last_line; /* range in the original input */
        unsigned stripped;        /* mask of enum gd_strip */
};

struct gd_extract {
        struct gd_found *found;
        size_t n_found;
};

/* True when the input already is a bare dump (it starts, after a byte order mark and blank
 * lines, with a dump's first line or binary magic): such input is decoded in place. O(1). */
bool gd_extract_is_bare(const uint8_t *p, size_t n);

/* Find every dump in the input. 0 with n_found == 0 when there is none; -ENOMEM. */
int gd_extract(const uint8_t *p, size_t n, struct gd_extract *ret);
void gd_extract_done(struct gd_extract *e);
void gd_found_done(struct gd_found *f);

/* The report's name of one enum gd_strip bit ("quoted-printable", "> quoting", ...). */
const char *gd_strip_name(unsigned bit);

/* Map an offset and line of the cleaned bytes to the original input. */
void gd_found_map(const struct gd_found *f, uint64_t offset, uint64_t line, uint64_t *ret_offset,
                  uint64_t *ret_line);
