/* SPDX-License-Identifier: MIT */
/*
 * The input layer, the lowest of libgpudump: the dump's bytes (file, memfd, zstd) and the line
 * tokenizer over them. It knows no dump model: what it reads is a struct gd_input, which the
 * model embeds.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>


/* ---- input (input.c) ---- */

/* The input: the whole (decompressed) dump, mapped or owned. */
struct gd_input {
        const uint8_t *data;
        uint64_t size;
        void *map;           /* munmap(map, map_size) when non-NULL */
        size_t map_size;
        void *owned;         /* free(owned) when non-NULL */
        bool was_compressed; /* input arrived zstd-compressed */
};

/* Fill d->data/size/map from an fd: regular files are mapped, anything else is read to EOF into
 * a memfd (so consumed pages can be dropped later). zstd input is decompressed. */
int gd_input_from_fd(struct gd_input *d, int fd);
int gd_input_from_memory(struct gd_input *d, const void *data, size_t size);
/* Unmap or free the bytes (the struct itself belongs to the caller). */
void gd_input_close(struct gd_input *d);
/* Tell the kernel we no longer need the input bytes in [start, end), in whole 2 MiB blocks, when
 * the input is a mapping whose pages can be re-read (file or memfd): a forward pass calls it
 * as it goes (done = false: the block holding `end` is kept) and once at the end (done = true:
 * that block goes too). Releasing bytes somebody still reads only costs a re-read. */
void gd_input_release(const struct gd_input *d, uint64_t start, uint64_t end, bool done);

/* ---- line tokenizer over the input (lines.c) ---- */

/* Prefix pattern of embedded dumps (dmesg, mail): literal bytes where runs of digits and spaces
 * are wildcards, so timestamps `[  12.345678]` match `[ 123.456789]`. */
struct gd_prefix {
        const uint8_t *pat; /* points into the input: the bytes before the dump's first line */
        size_t len;
};

struct gd_line {
        const uint8_t *p;  /* content start, prefix stripped */
        size_t len;        /* content length, without prefix, "\r" and "\n" */
        uint64_t offset;   /* input offset of p */
        uint64_t start;    /* input offset of the raw line start */
        uint64_t line;     /* 1-based line number */
        bool newline;      /* the line was terminated by "\n" (false: input ended inside it) */
        bool foreign;      /* an embedded dump's line without its prefix: not part of the dump */
};

struct gd_lines {
        const struct gd_input *d;
        const uint8_t *data;
        uint64_t size;
        uint64_t pos;      /* offset of the next line */
        uint64_t line_no;  /* number of the next line */
        struct gd_prefix prefix;
        uint64_t released; /* input before this offset was handed back to the kernel */
        bool hold;         /* keep the last GD_LINES_HOLD bytes mapped: somebody reads them next */
        struct gd_line peeked;
        bool has_peeked;
};

/* In hold mode, what the tokenizer keeps mapped behind it (whoever reads it releases it). */
#define GD_LINES_HOLD ((uint64_t)16 << 20)

void gd_lines_init(struct gd_lines *l, const struct gd_input *d, uint64_t start);
/* Next line, or false at the end of input. */
bool gd_lines_next(struct gd_lines *l, struct gd_line *ret);
bool gd_lines_peek(struct gd_lines *l, struct gd_line *ret);
/* Strip the prefix pattern from a raw line; returns the number of bytes stripped or -1. */
ssize_t gd_prefix_match(const struct gd_prefix *p, const uint8_t *s, size_t n);

/* ---- the text's start and first line (detect.c) ---- */

/* Where the text starts: after a UTF-8 BOM and blank lines (mail and editors add them). Format
 * detection looks here. */
/* Past a leading UTF-8 BOM and blank lines (mail and editors add them), at most to end. */
const uint8_t *gd_skip_blank(const uint8_t *p, const uint8_t *end);
const uint8_t *gd_input_text_start(const struct gd_input *d);
/* The first line for unknown input, for the report: printable ASCII, at most 200 characters,
 * malloc'd into *ret. */
int gd_input_first_line(const struct gd_input *d, char **ret);
