/* SPDX-License-Identifier: MIT */
/*
 * Shared between the extraction files: the line vector every stage reads and writes, and the
 * arena that owns the text decoded on the way (quoted-printable, base64, HTML).
 */
#pragma once

#include "extract.h"

/* One line on its way through the stages. p points into the input or into the arena. */
struct tline {
        const uint8_t *p;
        size_t len;
        uint64_t line;     /* original line */
        uint64_t in;       /* original offset of p (or of the line that produced it) */
        unsigned strip;    /* enum gd_strip: what was removed from this line */
        uint32_t src;      /* kernel log: hash of the message source (driver and device), 0 = none */
        uint32_t block;    /* code fence / <pre> block the line is in, 0 = outside */
        uint8_t depth;     /* `>` quoting depth */
        const uint8_t *q;  /* the line before its quoting was removed (q, qlen at offset qin) */
        size_t qlen;
        uint64_t qin;
        bool exact;        /* p..len are the original bytes at `in` */
        bool newline;      /* the original line ended with "\n" */
        bool klog;         /* carried a kernel log prefix */
        bool other_log;    /* a log line of another program (syslog, journal) */
        bool marker;       /* a fence or <pre> line: no content */
};

struct tvec {
        struct tline *v;
        size_t n;
};

/* Buffers of decoded text; the lines that point into them live as long as the arena. */
struct arena {
        uint8_t **bufs;
        size_t n;
};

/* A stretch of text to search for dumps: a mail part, or the whole input. */
struct segment {
        struct tvec lines;
        unsigned strip; /* what was removed to get this text (mail headers, MIME, QP, base64) */
        bool html;
};

struct xstate {
        struct arena arena;
        struct segment *segs;
        size_t n_segs;
        struct gd_extract *out;
};

uint8_t *gd_x_arena_alloc(struct arena *a, size_t n);
int gd_x_tvec_push(struct tvec *v, const struct tline *l);
/* Split bytes into lines; line numbers start at first_line, offsets at base. */
int gd_x_split_lines(const uint8_t *p, size_t n, uint64_t first_line, uint64_t base, bool exact,
                struct tvec *ret);
int gd_x_add_segment(struct xstate *x, struct tvec *lines, unsigned strip, bool html);
int gd_x_add_found_bytes(struct xstate *x, uint8_t *data, size_t size, uint64_t first_line,
                    uint64_t last_line, unsigned strip);

/* extract-mail.c: true when the lines start with an RFC 822 header block. */
bool gd_x_mail_detect(const struct tvec *lines);
/* Split a message into its text parts (segments) and decoded attachments that are dumps. */
int gd_x_mail_split(struct xstate *x, const struct tvec *lines);

/* extract-line.c: HTML to lines, then per line `>` quoting, kernel log prefixes and fences. */
bool gd_x_html_detect(const struct tvec *lines);
int gd_x_html_lines(struct xstate *x, const struct tvec *in, struct tvec *ret);
void gd_x_normalise_lines(struct tvec *lines);
/* The line with only `depth` levels of quoting removed: a quoted dump's line whose content starts
 * with `>` (ascii85 has it) is not quoted deeper. */
void gd_x_requote(struct tline *l, uint8_t depth);
