/* SPDX-License-Identifier: MIT */
/*
 * The decoded model that every format parser fills and that analysis and JSON read.
 * Internal to libgpudump: the public API (gpudump.h) hands out pointers to these structs as
 * opaque types, so their layout may change freely.
 *
 * The model knows no format and no analysis: formats/ fill it, analysis/ and json/ read it.
 * Ownership: every pointer below is owned by its parent struct and freed by gd_dump_free()
 * (but for the analysis: see below).
 * Arrays are (pointer, count) pairs grown with GD_ARRAY_PUSH() from gd-util.h.
 * Offsets are byte offsets into dump->data (the decompressed input).
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "gpudump.h"
#include "extract.h"
#include "input.h"

/* An absent seqno. Seqnos are printed with %d and a new xe queue starts at
 * XE_FENCE_INITIAL_SEQNO (-127), so every 32-bit value, -1 included, is a real seqno: absence
 * needs a value no dump can print. */
#define GD_SEQNO_NONE GPUDUMP_SEQNO_NONE

/* One diagnostic about the input: what and where. */
struct gd_diag {
        enum gpudump_severity severity;
        uint64_t offset; /* byte offset in the input */
        uint64_t line;   /* 1-based line, 0 for binary formats */
        char *message;
};

/* A byte range of the input. A blob wrapped over several lines (old kernels, dmesg) is several
 * spans; each span holds only encoded characters (prefixes and newlines excluded). */
struct gd_span {
        uint64_t offset;
        uint64_t length;
};

enum gd_encoding {
        GD_ENC_NONE = 0,     /* no contents (error line, or nothing printed) */
        GD_ENC_A85,          /* kernel ascii85: whole LE u32 words, 'z' = 0 */
        GD_ENC_A85_ZSTD,     /* ascii85 of a zstd frame (reference driver, `.zstd:` key) */
        GD_ENC_A85_ZLIB,     /* i915 ':' objects: ascii85 of a zlib stream, zero padded */
        GD_ENC_HEX_WORDS,    /* i915 < 4.10: "%08x :  %08x" offset/word lines */
        GD_ENC_RAW,          /* binary formats: spans are the bytes themselves */
        GD_ENC_A85_ZEROFILL, /* msm: ascii85 cut after the last non-zero word; zero-fill */
};

/* Contents of a blob (VMA, LOG, CTB, HWSP, HWCTX, i915 object): located, never copied at parse
 * time; decoded lazily by gd_blob_decode(). */
struct gd_blob {
        char *name;                 /* "LOG", "CTB", "HWSP", "HWCTX", "ring", ... or NULL */
        enum gd_encoding encoding;
        struct gd_span *spans;
        size_t n_spans;
        uint64_t declared_length;   /* from the `.length` line / object size; 0 if unknown */
        uint64_t compressed_length; /* GD_ENC_A85_ZSTD: bytes of the zstd frame */
        uint64_t offset;            /* input offset of the line that introduced the blob */
        uint64_t line;              /* and its line number */
        int error;                  /* negative errno from `.error:` lines, else 0 */
        /* GD_ENC_A85_ZLIB: what the contents inflate to, learnt by the first complete decode
         * (i915 prints no length for them). Caches, read and written with __atomic builtins:
         * inflated is valid once inflate_state is 1; -1 means the contents do not decode. */
        uint64_t inflated;
        int inflate_state;
        uint32_t hash_id;           /* 1 + its job in the parse's hash pool, 0 if none */
        struct gd_blob_hash *hash;  /* owned: the hash the pool computed, or NULL */
};

/* One register: name as printed (including "[n]" indices), value, width in bits. Legacy split
 * pairs (NAME_LO + NAME_HI, NAME + NAME_UDW) are merged by the xe parser into one 64-bit NAME;
 * a name may occur twice in an engine (v6.8 RING_MODE). */
struct gd_reg {
        char *name;
        uint64_t value;
        unsigned width;
        uint64_t offset; /* where the line is, for diagnostics and golden output */
};

/* A free key/value line kept from a section we do not model (or from a modelled section's
 * extra lines), so nothing the kernel printed is lost. */
struct gd_kv {
        char *section; /* section title, e.g. "GuC Log"; NULL for the header */
        char *key;
        char *value;
};

struct gd_engine {
        char *name;          /* "rcs0", "ccs1", "bcs0", ... */
        char *class_name;    /* "render", "copy", "video", "video-enhance", "compute", "other" */
        int instance;        /* physical, -1 if unknown */
        int logical_instance;/* -1 if unknown */
        char *capture_source;/* "GuC" / "Manual" / NULL */
        char *coverage;
        bool reserved;
        bool blamed;
        struct gd_reg *regs;
        size_t n_regs;
        struct gd_kv *props; /* other lines (Forcewake:, i915 ELSP[n], hung:, ...) */
        size_t n_props;
        uint64_t offset;     /* input offset of the engine's header line */
};

struct gd_job {
        int64_t seqno;      /* GD_SEQNO_NONE if the line carries none */
        int fence_signaled; /* 0/1, -1 unknown */
        int finished;       /* 0/1, -1 unknown */
};

struct gd_lrc {
        uint64_t context_desc;     /* HW Context Desc */
        uint64_t ring_address;     /* HW Ring address, UINT64_MAX if absent */
        uint64_t indirect_ring_state; /* UINT64_MAX if absent */
        int64_t head;              /* LRC Head (memory), -1 if absent */
        int64_t tail_internal;     /* -1 if absent */
        int64_t tail_memory;       /* -1 if absent */
        uint64_t ring_start;       /* UINT64_MAX if absent */
        int64_t start_seqno;       /* GD_SEQNO_NONE if absent (printed %d: may be negative) */
        int64_t seqno;             /* GD_SEQNO_NONE if absent (may be negative) */
        int64_t timestamp;         /* -1 if absent */
        int64_t job_timestamp;     /* -1 if absent */
        struct gd_blob hwsp;       /* encoding GD_ENC_NONE when absent */
        struct gd_blob hwctx;
};

struct gd_context {
        int64_t guc_id;          /* -1 if absent */
        char *name;              /* "ccs17" */
        int class_id;            /* xe engine class number, -1 if absent */
        uint64_t logical_mask;
        int width;
        int64_t ref;
        int64_t timeout_ms, timeslice_us, preempt_timeout_us; /* -1 if absent */
        struct gd_lrc *lrcs;
        size_t n_lrcs;
        int64_t schedule_state;  /* -1 if absent */
        int64_t flags;           /* -1 if absent */
        struct gd_job *jobs;
        size_t n_jobs;
        struct gd_kv *props;     /* WQ lines, multi-queue lines, unknown lines */
        size_t n_props;
        uint64_t offset;
};

/* A captured VA range (xe VM state, vxe) or an i915 / msm / panfrost / etnaviv buffer. */
struct gd_vma {
        uint64_t address;
        uint64_t length;    /* declared (0 for i915 zlib objects: see gd_vma_length()) */
        char *kind;         /* i915: "batch", "ring", "user", "HW context", ...; else NULL */
        char *engine;       /* i915: engine the object belongs to; else NULL */
        struct gd_blob blob;
        struct gpudump_dump *dump; /* back pointer, set by gd_dump_finish() */
};

/* A GT of the device (xe `GT id:` blocks). */
struct gd_gt {
        int id;
        int tile;
        char *type;     /* "main" / "media" */
        char *ip_version;
        uint64_t cs_reference_clock;
};

/* Filled by the analysis pass (analysis/), opaque here; parsers leave it NULL. */
struct gd_analysis;

/* Where the dump was found: in place (a bare dump), or by the extraction step (input/extract.h)
 * inside mail, a post or a log. The dump opened from the input owns what was read and what was
 * found; a dump opened by index holds a reference to that one (parent) and decodes its copy. */
struct gd_source {
        struct gd_input outer;        /* the input as read, when the decoded bytes are a found copy */
        struct gd_extract extract;    /* every dump found in it (the first dump only) */
        struct gpudump_dump *parent;  /* dumps opened by index: the dump that owns the above */
        const struct gd_found *found; /* the found dump decoded here; NULL when decoded in place */
        size_t index;                 /* which of the input's dumps this is */
        size_t n_found;               /* dumps in the input (1 for a bare one, 0 for none) */
        uint64_t input_size;          /* bytes of the input as read (decompressed) */
};

struct gpudump_dump {
        unsigned n_ref;

        /* Input: the whole (decompressed) dump, mapped or owned (input/); data and size are
         * input.data and input.size, here because every parser reads them. */
        struct gd_input input;
        const uint8_t *data;
        uint64_t size;
        struct gd_source source;

        enum gpudump_format format;
        bool empty;          /* i915 "No error state collected" */
        bool truncated;      /* the input stopped inside a record */
        char *first_line;    /* unknown formats: first line, for the report */

        /* Header */
        char *reason;
        char *kernel;
        char *driver;        /* module: line, or the format's driver name */
        char *process_name;
        int64_t pid;         /* -1 */
        int pci_id;          /* -1 */
        int pci_revision;    /* -1 */
        char *pci_subsystem;
        char *platform;      /* i915 Platform: */
        char *snapshot_time; /* as printed: "<sec>.<nsec>" (xe) / "<sec> s <usec> us" (i915) */
        char *uptime;
        char *boottime;
        int gt_id;           /* the `**** GT #n ****` the dump is about, -1 */
        struct gd_gt *gts;
        size_t n_gts;

        struct gd_engine *engines;
        size_t n_engines;
        struct gd_context *contexts;
        size_t n_contexts;
        uint64_t *batch_addrs;   /* xe `**** Job ****` batch_addr[i] */
        size_t n_batch_addrs;
        struct gd_vma *vmas;     /* sorted by address once parsing ends (gd_dump_finish()) */
        size_t n_vmas;
        int vm_error;            /* xe `[0].error: <e>` whole-section status, 0 if none */
        bool vm_error_present;   /* a `[0].error:` line was printed (vm_error 0 is meaningful) */
        bool vm_state_present;
        struct gd_blob *blobs;   /* LOG, CTB and other named global blobs */
        size_t n_blobs;
        struct gd_kv *kvs;       /* every header/section line we did not model */
        size_t n_kvs;
        struct gd_diag *diags;
        size_t n_diags;

        /* NULL until analysed or with GPUDUMP_OPEN_NO_ANALYSIS. The model only holds it: the
         * analysis (a layer above) fills it and dump.c, which owns both, frees it. */
        struct gd_analysis *analysis;
        char *signature;              /* owned; computed by analysis (or its fallback) */

        unsigned threads;     /* gpudump_dump_set_threads(); 0: automatic (gd_dump_threads()) */
        struct gd_hash_pool *hash_pool; /* during a GPUDUMP_OPEN_HASH parse only */
        pthread_mutex_t lock; /* guards lazy decoding caches */
};

/* ---- helpers the parsers share (diag.c, blob.c, vma.c) ---- */

/* Record a diagnostic; formats the message printf-style. Never fails (drops on OOM). */
void gd_diag_add(struct gpudump_dump *d, enum gpudump_severity sev, uint64_t offset, uint64_t line,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Index of the last VMA (d->vmas is sorted) whose address is <= va, or -1. O(log n). */
ssize_t gd_vma_floor(const struct gpudump_dump *d, uint64_t va);

/* Decode a blob's contents into a new buffer. Returns 0, -ENODATA, -EBADMSG (diagnostic added
 * through d when d is non-NULL), -ENOMEM. */
int gd_blob_decode(struct gpudump_dump *d, const struct gd_blob *blob, void **ret_data,
                   size_t *ret_size);

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
/* A blob's decoding damage, held back instead of added to the dump: blobs hashed on several
 * threads find their damage in any order, and the report must not depend on it. */
struct gd_blob_diag {
        bool set;
        uint64_t offset;
        char message[160];
};
/* Add a held-back diagnostic to the dump (no-op when none was set). */
void gd_blob_diag_flush(struct gpudump_dump *d, const struct gd_blob *blob, const struct gd_blob_diag *diag);

/* Hex SHA-256 of the decoded bytes into hex[65]. */
int gd_blob_sha256(struct gpudump_dump *d, const struct gd_blob *blob, char hex[static 65]);
/* The same; pipelined: decode on this thread while a helper thread hashes (for one blob big
 * enough to keep two cores busy). Falls back to one thread when no thread can be created.
 * With defer non-NULL, damage is stored there instead of added to the dump. */
int gd_blob_sha256_full(struct gpudump_dump *d, const struct gd_blob *blob, bool pipelined,
                        struct gd_blob_diag *defer, char hex[static 65]);

/* What hashing a blob gave: gd_blob_sha256_full()'s result, the hex hash, held-back damage. */
struct gd_blob_hash {
        int r;
        char sha[65];
        struct gd_blob_diag diag;
};

/* ---- hashing while parsing (hash-pool.c) ---- */

/* Blobs of more text than this are not hashed while parsing (the report hashes them). */
#define GD_HASH_JOB_MAX ((uint64_t)32 << 20)
struct gd_hash_pool;
int gd_hash_pool_new(struct gpudump_dump *d, struct gd_hash_pool **ret);
/* Queue a located blob (no-op for a NULL pool, a blob without contents or a big one); sets
 * b->hash_id. May hash queued blobs on the caller's thread, or wait, while much is pending. */
void gd_hash_pool_submit(struct gd_hash_pool *p, struct gd_blob *b);
/* Hash what is left, join the threads, give every submitted blob of the dump its b->hash. */
void gd_hash_pool_finish(struct gd_hash_pool *p);
struct gd_hash_pool *gd_hash_pool_free(struct gd_hash_pool *p);

/* ---- VMAs (vma.c) ---- */

/* What gpudump_vma_get_length() answers: the declared length, or for i915 zlib objects (which
 * declare none) the inflated length, decoding them once if nothing has yet (0 when they do not
 * decode). */
uint64_t gd_vma_length(struct gpudump_dump *d, struct gd_vma *v);
/* Copy size bytes of captured memory at va into buf, across VMAs: what gpudump_dump_read_va()
 * answers. 0, -ENOENT (not all captured), -ENOMEM, -EBADMSG. */
int gd_dump_read_va(struct gpudump_dump *d, uint64_t va, void *buf, size_t size);

/* ---- graphics IP (gfx-version.c) ---- */

struct gd_intel_platform;
enum gd_gfx_ver_source {
        GD_GFX_VER_NONE,
        GD_GFX_VER_GMDID,    /* the hardware's GMD_ID, as the xe dump prints the main GT's IP */
        GD_GFX_VER_PCI_ID,   /* the PCI id's platform (model/intel-devices.c) */
        GD_GFX_VER_ECODE,    /* i915 "GPU HANG: ecode N:": major only */
        GD_GFX_VER_PLATFORM, /* i915 `Platform:` name */
};
/* The Intel graphics version (major * 100 + minor) of an xe or i915 dump, 0 when unknown or not
 * Intel. source (optional) says what decided it; platform (optional) is the PCI id's table entry,
 * NULL when the id is unknown. */
unsigned gd_dump_gfx_ver(const struct gpudump_dump *d, enum gd_gfx_ver_source *source,
                         const struct gd_intel_platform **platform);
/* "gmd_id", "pci_id", "ecode", "platform"; NULL for GD_GFX_VER_NONE. */
const char *gd_gfx_ver_source_name(enum gd_gfx_ver_source s);
/* A graphics version as people write it ("4.5", "12.55", "20.04"); buf of 16 bytes is enough. */
void gd_gfx_ver_format(unsigned ver, char *buf, size_t size);

/* ---- model (model.c) ---- */

/* How many threads decoding may use: gpudump_dump_set_threads(), else GPUDUMP_THREADS from the
 * environment, else the online CPUs; at most GD_MAX_THREADS. */
#define GD_MAX_THREADS 64
unsigned gd_dump_threads(const struct gpudump_dump *d);
/* Free the model (not d->analysis: its owner frees that first). */
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
void gd_blob_clear(struct gd_blob *b);
void gd_kv_clear(struct gd_kv *kv);
int gd_kv_push(struct gd_kv **arr, size_t *n, const char *section, const char *key, size_t key_len,
               const char *value, size_t value_len);
