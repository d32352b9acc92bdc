/* SPDX-License-Identifier: MIT */
/*
 * Declarations shared by the gpudump command's files: the parsed options (arg_*, set once by
 * gpudump.c), the verbs, and the small helpers they share. Internal to cli/gpudump/.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "gd-macro.h"
#include "gpudump.h"

/* Exit statuses (documented in man/gpudump.1). */
enum {
        EXIT_OK = 0,
        EXIT_FAIL = 1,  /* not a dump, no such entry/VMA, I/O errors */
        EXIT_USAGE = 2, /* bad command line */
};

enum json_mode {
        JSON_DEFAULT = -1, /* the verb decides (decode: on; others: off) */
        JSON_OFF = 0,
        JSON_SHORT,
        JSON_PRETTY,
        JSON_AUTO,         /* --json without a value: pretty on a tty, short otherwise */
};

/* ---- options (gpudump.c) ---- */
extern enum json_mode arg_json;
extern bool arg_text;
extern bool arg_include_vma_data;
extern bool arg_no_pager;
extern bool arg_no_legend;
extern bool arg_colour;
extern const char *arg_store;
extern const char *arg_output;
extern const char *arg_vma;
extern const char *arg_blob;
extern uint64_t arg_max_size;
extern uint64_t arg_since;  /* usec since the epoch, 0 = unset */
extern uint64_t arg_until;  /* usec since the epoch, 0 = unset */
extern const char *arg_driver;
extern bool arg_last_only;
extern bool arg_reverse;
extern unsigned arg_count; /* watch: stop after this many dumps, 0 = never */
extern int64_t arg_index; /* --index N: which dump of a file holding several, -1 = unset */
extern bool arg_all;      /* --all: every dump of a file holding several */
extern unsigned arg_threads; /* decode/report: -j, 0 = the library's default */

/* ---- verbs: each takes the positional arguments after the verb name, returns an exit status ---- */
int verb_decode(int argc, char **argv);
int verb_extract(int argc, char **argv);
int verb_report(int argc, char **argv);
int verb_disasm(int argc, char **argv);
int verb_list(int argc, char **argv);
int verb_info(int argc, char **argv);
int verb_dump(int argc, char **argv);
int verb_delete(int argc, char **argv);
int verb_watch(int argc, char **argv);

/* ---- cli-util.c ---- */
/* "@SECONDS", "now", "today", "yesterday", "YYYY-mm-dd[ HH:MM[:SS]]" (also with 'T'; local
 * time, or UTC with a trailing 'Z') -> usec since the epoch. */
int parse_time(const char *s, uint64_t *ret_usec);
/* "1a0000000" or "0x1a0000000" -> address. */
int parse_address(const char *s, uint64_t *ret);
/* "4.0K", "12.5M": sizes in tables. */
const char *format_size(uint64_t bytes, char buf[static 16]);
/* Local time as coredumpctl prints it: "Sat 2026-11-21 08:15:00 UTC". */
const char *format_usec(uint64_t usec, char buf[static 64]);
/* Open the -o file (0640, O_CLOEXEC, truncating) or return stdout's fd; refuses binary output to
 * a tty. Logs its errors. Returns an fd (caller closes unless STDOUT_FILENO) or negative errno. */
int open_output(const char *path, bool binary);
/* open_output(), write all bytes, close; logs its errors. 0 or negative errno. */
int write_output(const char *path, bool binary, const void *buf, size_t size);
/* The json mode that applies when the verb's default is def. */
enum json_mode json_mode_effective(enum json_mode def);
/* Print obj in mode (SHORT/PRETTY) followed by a newline. */
int json_print(FILE *f, struct json_object *obj, enum json_mode mode);
/* Look up a dotted path ("device.pci_id"); NULL when any step is missing. */
struct json_object *json_get(struct json_object *obj, const char *path);
/* The string at path, NULL when absent or not a string. */
const char *json_get_str(struct json_object *obj, const char *path);
/* The integer at path in *ret; false when absent or not a number. */
bool json_get_int(struct json_object *obj, const char *path, int64_t *ret);
/* ANSI helpers: return "" when colour is off. */
const char *ansi_highlight(void);
const char *ansi_red(void);
const char *ansi_yellow(void);
const char *ansi_grey(void);
const char *ansi_normal(void);

/* ---- cli-source.c: where stored entries come from (the daemon over the bus, or --store DIR) ---- */
struct source;
int source_open(struct source **ret);
struct source *source_free(struct source *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(struct source *, source_free);
/* Entries matching arg_since/arg_until/arg_driver, oldest first (a new array). */
int source_list(struct source *s, struct json_object **ret_array);
int source_get(struct source *s, const char *id, struct json_object **ret_meta);
/* A read-only fd of the stored zstd dump. */
int source_open_dump(struct source *s, const char *id, int *ret_fd);
/* The decoded report of a stored entry. */
int source_decode(struct source *s, const char *id, bool include_vma_data,
                  struct json_object **ret_report);
int source_delete(struct source *s, const char *id);
/* Wait for new entries; calls cb(id) for each. Runs until cb returns non-zero, a signal, or error. */
int source_watch(struct source *s, int (*cb)(struct source *s, const char *id, void *userdata),
                 void *userdata);
/* Name used in messages: the store directory or "gpudumpd". */
const char *source_name(struct source *s);

/* ---- cli-input.c: FILE | - | ID ---- */
struct input {
        char *name;                  /* what messages call it: the path, "stdin", or the id */
        struct gpudump_dump *dump;   /* NULL for entries decoded by the daemon */
        struct json_object *report;  /* the JSON report */
        bool not_a_dump;             /* format unknown */
        size_t index, count;         /* which of the dumps found in the input this is, of how many */
        uint64_t first_line, last_line; /* where it was found (count > 1 or embedded), else 0 */
};
/* Open arg (a path, "-" or a store id) and decode the dump that --index picks, or the only one.
 * An input holding several dumps and no --index is an error that lists them and says how to
 * pick. with_report: also build the JSON report. Logs its errors. Returns 0, -ENOENT... */
int input_open(const char *arg, bool with_report, bool include_vma_data, struct input *ret);
/* The same for verbs that take --all: every dump of the input with --all (at least one: an
 * input holding none is one input that is not a dump). *ret is a new array of *ret_n. */
int inputs_open(const char *arg, bool with_report, bool include_vma_data, struct input **ret,
                size_t *ret_n);
/* input_open() with the report, for bytes in memory (tests/fuzz/ drive the renderers with it). */
int input_from_memory(const char *name, const void *data, size_t size, bool include_vma_data,
                      struct input *ret);
void input_done(struct input *in);
void inputs_free(struct input *in, size_t n);
/* "FILE" or, for one of several dumps in FILE, "FILE --index 1 (of 3 dumps; lines 130-250)". */
const char *input_title(const struct input *in, char *buf, size_t size);
/* Say that the input is not a dump, quoting its first line when the report has it. */
void input_log_not_a_dump(struct input *in);
/* Print the report's error diagnostics as `NAME:offset N (line L): message` on stderr;
 * with since >= 0 only those from index since on. Returns the number printed. */
size_t input_print_errors(struct input *in, size_t since);

/* ---- rendering ---- */
/* render-summary.c: human summary of a report (decode --text). */
void render_summary(FILE *f, struct json_object *report, const char *name);
/* render-disasm.c: the instruction listing (disasm verb) as text, from its JSON. */
void render_disasm(FILE *f, struct json_object *listing, const char *name);
/* render-markdown.c: the tracker comment (report verb). */
void render_markdown(FILE *f, struct json_object *report, const char *name,
                     struct json_object *dropped, uint64_t max_size);
/* render-table.c: the coredumpctl-like table of store entries (stream: fixed column widths, for
 * rows printed one by one). */
void render_table(FILE *f, struct json_object *entries, bool legend, bool stream);
void render_entry_info(FILE *f, struct json_object *meta, const char *storage);
/* report-bound.c: drop the largest data until the serialised report fits in max_size bytes.
 * Appends to dropped (array of {path, bytes}) what was left out, and says so in the report. */
int report_bound(struct json_object *report, uint64_t max_size, uint64_t overhead,
                 struct json_object *dropped);
/* verb-report.c: the report verb's document for in (Markdown, or the JSON in mode), bounded to
 * max_size by report_bound() as far as the summary allows. Returns 0 (*ret_text malloc'd, and
 * 1 in *ret_over when it is still over max_size) or -ENOMEM; logs what it left out. */
int report_render(struct input *in, enum json_mode mode, uint64_t max_size, char **ret_text,
                  size_t *ret_size, bool *ret_over);
/* render-analysis.c: any JSON value as indented "key: value" text or Markdown bullets. */
void render_value_text(FILE *f, struct json_object *v, int indent);
void render_value_markdown(FILE *f, struct json_object *v, int indent);

/* ---- report-facts.c: the facts both the text summary and the Markdown show, read once from the
 * report. Strings are "" when the report lacks the field; objects are borrowed from the report. ---- */
struct report_facts {
        char format[32];
        char size[32];
        char input_notes[96];                /* "zstd-compressed, truncated", "empty: ..." */
        char found[320];                     /* source: "lines 10-267 of 14310 bytes, 1 of 2 (stripped: ...)" */
        char device[160];
        char driver[64];
        char kernel[128];
        char process[160];
        char reason[512];
        char time[64];
        char signature[160];
        char blamed[160];
        char blamed_detail[96];              /* "compute, confidence high" */
        struct json_object *blamed_evidence; /* analysis evidence, any shape, or NULL */
        struct json_object *hung;            /* analysis.hung_instruction, or NULL */
        struct json_object *hung_window;     /* its instruction window (array), or NULL */
        char hung_text[256];                 /* "MI_SEMAPHORE_WAIT at 0x1a0000000 (...)" */
        char wait_text[512];                 /* analysis.wait.explanation */
        char ring_text[256];
        char summary[1024];                  /* analysis.summary: the hang in one sentence */
        struct json_object *notes;           /* analysis.notes (array), or NULL */
        struct json_object *fault;           /* analysis.fault when not null */
        struct json_object *engines, *contexts, *vmas, *diagnostics, *analysis;
        size_t n_errors, n_warnings, n_info;
};
void report_facts_get(struct json_object *report, struct report_facts *f);
/* One instruction of the hung window: "0x1a0000000  0e00c002 00000001  MI_SEMAPHORE_WAIT (k=v, ...)"
 * and whether it is the hung one. */
bool format_window_entry(struct json_object *insn, char *buf, size_t size);
/* The analysis' keys that the summary and the Markdown show in their own sections. */
bool analysis_key_curated(const char *key);
/* "ccs0 (compute): busy: reason; reason" for analysis.engines[i]; false when absent. */
bool format_engine_state(struct report_facts *f, size_t i, bool *ret_blamed, char *buf, size_t size);
/* The state sentence the analysis gives for the context with this GuC id, or NULL. */
const char *analysis_context_state(struct report_facts *f, struct json_object *ctx);
/* A scalar as text into buf ("" for NULL/containers). */
const char *json_scalar_str(struct json_object *v, char *buf, size_t size);
/* snprintf for intentionally truncating display text (no -Wformat-truncation noise). */
void xsnprintf(char *buf, size_t size, const char *fmt, ...) _printf_(3, 4);
