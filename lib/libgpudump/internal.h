/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers of the libgpudump core shared between its files (input, tokenizer, blob
 * decoding, JSON). Format parsers only need model.h; these are for the core and tests.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "model.h"

/* ---- input (input.c) ---- */

/* Fill d->data/size/map from an fd: regular files are mapped, anything else is read to EOF into
 * a memfd (so consumed pages can be dropped later). zstd input is decompressed. */
int gd_input_from_fd(struct gpudump_dump *d, int fd);
int gd_input_from_memory(struct gpudump_dump *d, const void *data, size_t size);
/* Tell the kernel we no longer need the input bytes in [start, end), in whole 2 MiB blocks, when
 * the input is a mapping whose pages can be re-read (file or memfd): a forward pass calls it
 * as it goes (done = false: the block holding `end` is kept) and once at the end (done = true:
 * that block goes too). Releasing bytes somebody still reads only costs a re-read. */
void gd_input_release(const struct gpudump_dump *d, uint64_t start, uint64_t end, bool done);

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
        const struct gpudump_dump *d;
        const uint8_t *data;
        uint64_t size;
        uint64_t pos;      /* offset of the next line */
        uint64_t line_no;  /* number of the next line */
        struct gd_prefix prefix;
        uint64_t released; /* input before this offset was handed back to the kernel */
        struct gd_line peeked;
        bool has_peeked;
};

void gd_lines_init(struct gd_lines *l, const struct gpudump_dump *d, uint64_t start);
/* Next line, or false at the end of input. */
bool gd_lines_next(struct gd_lines *l, struct gd_line *ret);
bool gd_lines_peek(struct gd_lines *l, struct gd_line *ret);
/* Strip the prefix pattern from a raw line; returns the number of bytes stripped or -1. */
ssize_t gd_prefix_match(const struct gd_prefix *p, const uint8_t *s, size_t n);

/* ---- ascii85 (ascii85.c) ---- */

/* The streaming kernel-ascii85 decoder: groups may be split across spans. */
struct gd_a85 {
        uint64_t acc;
        unsigned n;       /* characters of the current group so far */
        uint64_t group_offset; /* input offset of the group's first character */
};

/* Decode n characters at s (input offset off). Writes whole words to out (capacity must be
 * >= 4 * n bytes) and returns bytes written, or -EBADMSG with *ret_bad set to the offset of
 * the bad character and *ret_why to a static reason. */
ssize_t gd_a85_decode(struct gd_a85 *st, const uint8_t *s, size_t n, uint64_t off, uint8_t *out,
                      uint64_t *ret_bad, const char **ret_why);
/* Count valid ascii85 characters: true when all n chars are in '!'..'u' or 'z'. */
bool gd_a85_is_line(const uint8_t *s, size_t n);

/* ---- blob decoding (blob.c) ---- */

/* Called with up to 64 KiB of decoded bytes at a time; return > 0 to stop early, < 0 to fail. */
typedef int (*gd_blob_sink)(const uint8_t *buf, size_t n, void *userdata);

/* Stream a blob's decoded bytes to sink. Returns 0, 1 (sink stopped), -ENODATA, -EBADMSG
 * (diagnostic added when d is non-NULL), -ENOMEM, or the sink's error. *ret_total (optional)
 * receives the number of bytes produced. */
int gd_blob_stream(struct gpudump_dump *d, const struct gd_blob *blob, gd_blob_sink sink,
                   void *userdata, uint64_t *ret_total);
/* Hex SHA-256 of the decoded bytes into hex[65]. */
int gd_blob_sha256(struct gpudump_dump *d, const struct gd_blob *blob, char hex[static 65]);
/* The same; pipelined: decode on this thread while a helper thread hashes (for one blob big
 * enough to keep two cores busy). Falls back to one thread when no thread can be created. */
int gd_blob_sha256_full(struct gpudump_dump *d, const struct gd_blob *blob, bool pipelined,
                        char hex[static 65]);

/* ---- VMAs (dump.c) ---- */

/* What gpudump_vma_get_length() answers: the declared length, or for i915 zlib objects (which
 * declare none) the inflated length, decoding them once if nothing has yet (0 when they do not
 * decode). */
uint64_t gd_vma_length(struct gpudump_dump *d, struct gd_vma *v);

/* ---- detection (detect.c) ---- */

/* Which parser to run (spec §0.4); an xe dump embedded in dmesg or mail counts as xe. */
enum gpudump_format gd_detect_format(const struct gpudump_dump *d);
/* d->first_line for unknown input: printable ASCII, at most 200 characters. */
int gd_set_first_line(struct gpudump_dump *d);

/* ---- model (model.c) ---- */

void gd_dump_free(struct gpudump_dump *d);
/* Once parsing ends: make every model string valid UTF-8, sort VMAs by address. */
void gd_dump_finish(struct gpudump_dump *d);
/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not valid. */
size_t gd_utf8_len(const unsigned char *s);
/* Replace the bytes of invalid UTF-8 sequences by '?', in place. */
void gd_utf8_sanitize(char *s);
/* Line number of an input offset (counts newlines; for diagnostics only). */
uint64_t gd_dump_line_of(const struct gpudump_dump *d, uint64_t from_offset, uint64_t from_line,
                         uint64_t offset);
/* Fallback signature when analysis left d->signature NULL (signature.c). */
int gd_signature_fallback(struct gpudump_dump *d);
void gd_blob_clear(struct gd_blob *b);
void gd_kv_clear(struct gd_kv *kv);
int gd_kv_push(struct gd_kv **arr, size_t *n, const char *section, const char *key, size_t key_len,
               const char *value, size_t value_len);
