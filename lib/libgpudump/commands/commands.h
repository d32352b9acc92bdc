/* SPDX-License-Identifier: MIT */
/*
 * The commands layer: Intel command-streamer instructions and engine registers, as tables and
 * the decoder over them. Words in, instructions out: no dump needed (tests run it on words).
 * instr.c decodes instructions, regs.c names registers and their bitfields.
 *
 * Graphics versions are written as major * 100 + minor: 12.55 -> 1255, Xe2 20.04 -> 2004,
 * gen9 -> 900; 0 means unknown (tables then use their newest entry).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- instruction decoder (instr.c) ------------------------------------------------------ */

/* Which engine executes the stream: some opcodes mean different commands on the render and
 * the video engines (0x7000xxxx is MEDIA_VFE_STATE on render, MFX_PIPE_MODE_SELECT on vcs). */
enum gd_engine_kind {
        GD_EK_ANY = 0,
        GD_EK_RENDER,
        GD_EK_COMPUTE,
        GD_EK_COPY,
        GD_EK_VIDEO,
        GD_EK_VIDEO_ENHANCE,
        GD_EK_OTHER,
};

enum gd_field_kind {
        GD_FK_UINT = 0, /* JSON integer */
        GD_FK_HEX,      /* JSON "0x..." string (addresses, masks) */
        GD_FK_BOOL,     /* JSON true/false */
        GD_FK_TEXT,     /* JSON string: `text` (an enum value name) */
};

/* One decoded field. `name` and `text` point to static strings. */
struct gd_field {
        const char *name;
        enum gd_field_kind kind;
        uint64_t value;
        const char *text;
};

/* Enough for a walker's body (thread groups, interface descriptor, post-sync). */
#define GD_INSTR_MAX_FIELDS 64

enum gd_instr_flow {
        GD_FLOW_NONE = 0,
        GD_FLOW_BB_START,  /* MI_BATCH_BUFFER_START: target, second_level, ppgtt */
        GD_FLOW_BB_END,    /* MI_BATCH_BUFFER_END */
        GD_FLOW_COND_END,  /* MI_CONDITIONAL_BATCH_BUFFER_END (may end the batch) */
};

struct gd_instr {
        uint32_t header;
        unsigned type;     /* bits 31:29: 0 MI, 2 2D/blitter, 3 GFXPIPE (3D, media, video) */
        const char *name;  /* static; NULL when unknown */
        unsigned length;   /* dwords, >= 1 (1 for unknown opcodes) */
        bool unknown;
        bool truncated;    /* the declared length runs past the dwords available */
        unsigned n_fields;
        struct gd_field fields[GD_INSTR_MAX_FIELDS];

        /* Control flow and waits, so callers need not re-parse the fields. */
        enum gd_instr_flow flow;
        uint64_t target;   /* BB_START target; COND_END compare address */
        bool second_level;
        bool ppgtt;        /* address space of target / semaphore: true = PPGTT */
        bool is_wait;      /* MI_SEMAPHORE_WAIT (sem_* valid) or MI_WAIT_FOR_EVENT */
        bool is_semaphore;
        uint64_t sem_address;
        uint32_t sem_data;
        unsigned sem_op;   /* compare operation, GD_SEM_* */
        bool sem_poll;
};

/* MI_SEMAPHORE_WAIT compare operations: semaphore address data (SAD, memory) against semaphore
 * data dword (SDD, the instruction's value). */
enum {
        GD_SEM_SAD_GT_SDD = 0,
        GD_SEM_SAD_GTE_SDD,
        GD_SEM_SAD_LT_SDD,
        GD_SEM_SAD_LTE_SDD,
        GD_SEM_SAD_EQ_SDD,
        GD_SEM_SAD_NEQ_SDD,
};

/* Decode the instruction at dw[0] (n dwords available, n >= 1). Never fails: unknown headers
 * give unknown = true, length 1. gfx_ver 0 = unknown. */
void gd_instr_decode(const uint32_t *dw, size_t n, unsigned gfx_ver, enum gd_engine_kind ek,
                     struct gd_instr *out);

/* "MI", "2D", "GFXPIPE", or "reserved". */
const char *gd_instr_type_name(unsigned type);
/* The name, or "unknown opcode 0x%08x" (opcode bits of the header) written into buf. */
const char *gd_instr_display_name(const struct gd_instr *in, char *buf, size_t size);
/* Human text for a compare op ("SAD_EQ_SDD"), and whether memory value satisfies it. */
const char *gd_sem_op_name(unsigned op);
const char *gd_sem_op_symbol(unsigned op);
bool gd_sem_satisfied(unsigned op, uint32_t memory, uint32_t data);
/* Table introspection for tests: entry i (false past the end). */
bool gd_instr_table_entry(size_t i, const char **name, uint32_t *match, unsigned *type);
enum gd_engine_kind gd_engine_kind_from_class(const char *class_name);

/* ---- register tables (regs.c) ----------------------------------------------------------- */

enum gd_reg_part { GD_REG_FULL = 0, GD_REG_LO, GD_REG_HI };

struct gd_regdef;

/* A register name as printed split into base, indices and half ("RING_EXECLIST_STATUS_HI",
 * "SAMPLER_INSTDONE[1][0]"). */
struct gd_regname {
        char base[64];
        int indices[3];
        unsigned n_indices;
        enum gd_reg_part part;
};

int gd_regname_parse(const char *name, struct gd_regname *ret);
/* Find the definition for a printed name (with or without [n], legacy or i915 names). */
const struct gd_regdef *gd_reg_lookup(const char *name, unsigned gfx_ver, enum gd_engine_kind ek,
                                      struct gd_regname *ret_parsed);
const char *gd_regdef_name(const struct gd_regdef *def);
const char *gd_regdef_description(const struct gd_regdef *def);
bool gd_regdef_is_instdone(const struct gd_regdef *def);
bool gd_regdef_is_instruction(const struct gd_regdef *def);
/* Decode the fields of value (a whole register, or its LO/HI half). Returns the count. */
unsigned gd_reg_decode(const struct gd_regdef *def, uint64_t value, enum gd_reg_part part,
                       unsigned width, struct gd_field *out, unsigned max);
/* For INSTDONE-family registers: names of the units whose done bit is clear (busy). Unnamed bits
 * come back as "bit N" in scratch. Returns the count. */
unsigned gd_reg_busy_units(const struct gd_regdef *def, uint64_t value, unsigned width,
                           const char **names, unsigned max, char scratch[][8]);
/* Number of definitions, for tests. */
size_t gd_reg_table_size(void);
const struct gd_regdef *gd_reg_table_get(size_t i);

/* Canonical registers the blame and locate logic reads (aliases resolved). */
enum gd_key_reg {
        GD_KR_HEAD = 0,
        GD_KR_TAIL,
        GD_KR_START,
        GD_KR_CTL,
        GD_KR_ACTHD,
        GD_KR_BBADDR,
        GD_KR_DMA_FADD,
        GD_KR_INSTDONE,
        GD_KR_ESR,
        GD_KR_EIR,
        GD_KR_IPEHR,
        GD_KR_IPEIR,
        GD_KR_EXECLIST_STATUS,
        GD_KR_EXECLIST_SQ,
        GD_KR_FAULT_REG,
        GD_KR_TLB0,
        GD_KR_TLB1,
        GD_KR__MAX,
};
/* The canonical name of a key register (matches gd_regdef_name()). */
const char *gd_key_reg_name(enum gd_key_reg k);
