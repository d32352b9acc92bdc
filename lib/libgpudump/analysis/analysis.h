/* SPDX-License-Identifier: MIT */
/*
 * The analysis layer: internal types shared by its files, by json/ and by the unit tests.
 *
 * It reads the model and the command decoder (commands/): analysis.c, the orchestrator, runs
 * the steps in blame.c, locate.c and hang-signature.c, which share the helpers of helpers.c;
 * together they fill struct gd_analysis, which json/analysis-json.c renders. signature.c is the
 * fallback signature when the analysis did not run or found nothing to key on.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "commands.h"
#include "model.h"

/* ---- results (analysis.c and friends fill them, analysis-json.c renders them) ---------- */

enum gd_confidence { GD_CONF_NONE = 0, GD_CONF_LOW, GD_CONF_MEDIUM, GD_CONF_HIGH };

struct gd_strv {
        char **v;
        size_t n;
};

struct gd_pointer {
        const char *reg;     /* static canonical name */
        uint64_t value;
        bool in_ring;
        bool found;          /* inside a captured VMA */
        uint64_t vma;        /* its start */
        uint64_t offset;
};

struct gd_engine_state {
        size_t engine;       /* index in d->engines */
        bool have[GD_KR__MAX];
        uint64_t reg[GD_KR__MAX];
        bool busy;
        struct gd_strv busy_reasons;
        int ring_idle;       /* 1 head == tail, 0 not, -1 unknown */
        uint64_t ring_size;  /* from RING_CTL, 0 unknown */
        struct gd_pointer *pointers;
        size_t n_pointers;
};

struct gd_context_state {
        size_t context;      /* index in d->contexts */
        int64_t *completed;
        size_t n_completed;
        int64_t *pending;
        size_t n_pending;
        int64_t first_unsignalled; /* GD_SEQNO_NONE none */
        char *state;         /* one line for a human */
};

/* One decoded instruction of a window. */
struct gd_win_instr {
        uint64_t address;
        uint32_t dwords[16]; /* first dwords (n_dwords <= 16 are shown) */
        unsigned n_dwords;
        struct gd_instr in;
        bool hung;
};

struct gd_chain_step {
        uint64_t from;       /* address of the MI_BATCH_BUFFER_START, 0 for the first batch */
        uint64_t to;
        unsigned depth;
        bool second_level;
        bool captured;
};

struct gd_hung {
        bool present;
        size_t engine;
        uint64_t address;
        bool found;          /* address lies in a captured VMA */
        uint64_t vma;
        uint64_t offset;     /* within the VMA */
        uint64_t batch_start;/* start of the batch (segment) holding it */
        bool in_ring;
        const char *source;  /* "ACTHD", "RING_BBADDR", "RING_DMA_FADD", "batch_addr" */
        bool exact;
        bool resynced;       /* the walk lost its place; found again from ACTHD and IPEHR */
        unsigned depth;      /* chain depth at which it was found */
        struct gd_win_instr *window;
        size_t n_window;
        size_t hung_index;   /* index in window, or SIZE_MAX */
        struct gd_chain_step *chain;
        size_t n_chain;
        struct gd_strv notes;
};

struct gd_ring {
        bool present;
        size_t engine;
        uint64_t start;
        uint64_t size;
        uint64_t head, tail;
        bool captured;
        struct gd_win_instr *instrs;
        size_t n_instrs;
};

struct gd_wait {
        bool present;
        const char *instruction;
        uint64_t address;
        bool ggtt;
        unsigned op;
        uint32_t expected;
        bool captured;
        uint32_t actual;
        bool satisfied;
        char *explanation;
};

/* A GPU page fault reported by FAULT_REG / FAULT_TLB_DATA, correlated with the captured VMAs. */
struct gd_fault {
        bool present;
        int engine;          /* engine whose FAULT_REG is valid, -1 none */
        uint32_t fault_reg;
        bool have_address;
        uint64_t address;
        bool ggtt;
        bool inside;         /* address lies in a captured VMA */
        bool near;           /* else the closest VMA (below or above) */
        uint64_t vma;
        int64_t distance;    /* address - VMA start (inside) or to the nearest VMA edge */
};

struct gd_analysis {
        unsigned gfx_ver;
        int blamed;          /* engine index, -1 none */
        enum gd_confidence confidence;
        struct gd_strv evidence;
        struct gd_engine_state *engines; /* one per d->engines */
        size_t n_engines;
        struct gd_context_state *contexts;
        size_t n_contexts;
        struct gd_hung hung;
        struct gd_ring ring;
        struct gd_wait wait;
        struct gd_fault fault;
        char *sig_driver, *sig_class, *sig_instr, *sig_offset, *sig_reason;
        char *summary;       /* one sentence for a human */
        uint64_t *vma_len;   /* decoded lengths of VMAs without a declared one; UINT64_MAX unknown */
};

/* ---- the full listing (disasm.c): every instruction of every ring and batch ------------- */

/* One instruction: where its dwords are in its buffer (decoded again when rendered, so the
 * listing holds 16 bytes per instruction, not a struct gd_instr). */
struct gd_dis_instr {
        uint32_t index;      /* first dword in the buffer */
        uint32_t n_dwords;   /* its length, cut to what the buffer holds */
        bool hung;           /* the analysis' hung instruction */
};

struct gd_dis_buffer {
        uint64_t address;
        const char *kind;    /* static: "ring", "batch", "chained batch", "second-level batch" */
        const char *engine;  /* borrowed from the model, or NULL */
        enum gd_engine_kind ek;
        bool has_from;
        uint64_t from;       /* the MI_BATCH_BUFFER_START that leads here */
        unsigned depth;      /* chain depth: 0 for rings and the dump's own batches */
        bool ring;           /* listed whole: MI_BATCH_BUFFER_END does not end it */
        bool has_head_tail;  /* rings: the engine's RING_HEAD and RING_TAIL as addresses */
        uint64_t head, tail;
        const char *end;     /* static: why the listing of this buffer stops */
        uint32_t *dw;        /* owned: the buffer's dwords from address on */
        size_t n_dw;
        struct gd_dis_instr *instrs;
        size_t n_instrs;
};

struct gd_disasm {
        unsigned gfx_ver;
        struct gd_dis_buffer *buffers;
        size_t n_buffers;
        struct gd_strv notes;
};

/* List the dump's rings and batches (i915 ring and batch objects, xe batch_addr, rings found by
 * RING_START), and what they chain to. With at: only the buffer at that address and what it
 * chains to; -ENOENT when no captured VMA holds it. -ENOMEM. */
int gd_disasm(struct gpudump_dump *d, bool at, uint64_t address, struct gd_disasm *ret);
void gd_disasm_free(struct gd_disasm *dis);

/* ---- helpers between the files ---------------------------------------------------------- */

int gd_strv_add(struct gd_strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gd_strv_free(struct gd_strv *sv);

int gd_analysis_engines(struct gpudump_dump *d, struct gd_analysis *a);
int gd_analysis_blame(struct gpudump_dump *d, struct gd_analysis *a);
int gd_analysis_contexts(struct gpudump_dump *d, struct gd_analysis *a);
int gd_analysis_locate(struct gpudump_dump *d, struct gd_analysis *a);
int gd_analysis_signature(struct gpudump_dump *d, struct gd_analysis *a);
int gd_analysis_summary(struct gpudump_dump *d, struct gd_analysis *a);
int gd_analysis_fault(struct gpudump_dump *d, struct gd_analysis *a);
/* The VMA containing va, or NULL (binary search over the sorted VMAs). VMAs without a
 * declared length (i915 compressed objects) count with their decoded length. */
const struct gd_vma *gd_analysis_find_vma(struct gpudump_dump *d, struct gd_analysis *a, uint64_t va);
/* A VMA's length: declared, else decoded once and cached in a. */
uint64_t gd_analysis_vma_length(struct gpudump_dump *d, struct gd_analysis *a, const struct gd_vma *v);
/* Copy captured memory at va (0, -ENOENT when not captured, -ENOMEM). */
int gd_analysis_read(struct gpudump_dump *d, struct gd_analysis *a, uint64_t va, void *buf, size_t size);
/* Compute the signature string from its parts (pure, for tests). Returns malloc'd. */
char *gd_signature_compose(const char *driver, const char *klass, const char *instr,
                           const char *offset, const char *reason_kind);
/* Reduce a reason line to its stable kind ("timedout-job"). Returns malloc'd. */
char *gd_reason_kind(const char *reason);

/* ---- the pass (analysis.c) and the signature (signature.c) ------------------------------ */

/* The analysis pass: blamed engine with evidence, hung instruction, waits, signature. Fills
 * d->analysis (freeing a previous one), d->signature and the engines' `blamed` flags. */
int gd_analyse(struct gpudump_dump *d);
void gd_analysis_free(struct gd_analysis *a);
/* d->signature, computed once: the analysis' one, else the fallback. Thread-safe. */
const char *gd_signature(struct gpudump_dump *d);
/* Set the fallback signature when analysis left d->signature NULL. */
int gd_signature_fallback(struct gpudump_dump *d);
