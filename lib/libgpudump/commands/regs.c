/* SPDX-License-Identifier: MIT */
/*
 * Intel engine register names and bitfields, written from the public PRMs ("Command Stream
 * Registers", "Render Engine Registers") for the graphics versions i915 and xe cover.
 *
 * A printed name is matched with and without "[n]" indices, with the _LO/_HI (_LDW/_UDW) halves
 * some kernels print, and under its i915 and legacy xe spellings (CTL, HEAD, BBADDR, DMA_FADDR,
 * ...). Where a field moved between graphics versions there is one definition per range.
 * Registers nobody here knows stay raw: lookup returns NULL and the caller prints the value.
 * Masked registers (MODE, MI_MODE, INSTPM, ...) read back their values in bits 15:0.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "gd-macro.h"

enum bf_kind {
        BF_BOOL = 0, /* one bit, true/false */
        BF_UINT,     /* shifted down */
        BF_HEX,      /* shifted down, shown in hex */
        BF_ADDR,     /* kept in place (an address whose low bits are other fields) */
        BF_ENUM,     /* shifted down, named by `enums` */
        BF_PAGES,    /* (value + 1) * 4096: a ring length in pages - 1 */
        BF_DONE,     /* INSTDONE bit: 1 = the unit is idle */
};

struct bitfield {
        const char *name;
        uint8_t lo, hi;
        uint8_t kind;
        const char *const *enums;
        uint8_t n_enums;
};

enum {
        RF_MASKED = 1 << 0,      /* upper 16 bits are a write mask */
        RF_INSTDONE = 1 << 1,    /* clear bits = busy units */
        RF_INSTRUCTION = 1 << 2, /* the value is an instruction header (IPEHR) */
};

struct gd_regdef {
        const char *name;
        const char *aliases[6];
        uint16_t min_ver, max_ver; /* 0 = unbounded */
        uint8_t flags;
        uint8_t engines;           /* 0 = every engine, else 1 << gd_engine_kind */
        const struct bitfield *fields;
        uint8_t n_fields;
        const char *desc;
};

#define F(arr) arr, (uint8_t)(sizeof(arr) / sizeof(arr[0]))
#define NOF NULL, 0
#define E(arr) arr, (uint8_t)(sizeof(arr) / sizeof(arr[0]))

static const char *const ctl_report[] = { "OFF", "64KB", "4KB", "128KB" };
static const struct bitfield f_ctl[] = {
        { "RING_VALID", 0, 0, BF_BOOL },
        { "AUTOMATIC_REPORT_HEAD", 1, 2, BF_ENUM, E(ctl_report) },
        { "RING_WAIT_SEMAPHORE", 10, 10, BF_BOOL },
        { "RING_WAIT", 11, 11, BF_BOOL },
        { "BUFFER_LENGTH", 12, 20, BF_PAGES },
};
static const struct bitfield f_head[] = {
        { "HEAD_OFFSET", 2, 20, BF_ADDR },
        { "WRAP_COUNT", 21, 31, BF_UINT },
};
static const struct bitfield f_tail[] = {
        { "TAIL_OFFSET", 3, 20, BF_ADDR },
};
static const struct bitfield f_page_addr[] = {
        { "ADDRESS", 12, 31, BF_ADDR },
};
static const struct bitfield f_addr64[] = {
        { "ADDRESS", 2, 63, BF_ADDR },
};
static const struct bitfield f_mode_gen8[] = {
        { "PPGTT_ENABLE", 9, 9, BF_BOOL },
        { "PSMI_GRANULARITY", 10, 10, BF_BOOL },
        { "REPLAY_MODE", 11, 11, BF_BOOL },
        { "SURFACE_FAULT_ENABLE", 12, 12, BF_BOOL },
        { "TLB_INVALIDATE_EXPLICIT", 13, 13, BF_BOOL },
        { "RUN_LIST_ENABLE", 15, 15, BF_BOOL },
};
static const struct bitfield f_mode_gen11[] = {
        { "DISABLE_LEGACY_MODE", 3, 3, BF_BOOL },
        { "PPGTT_ENABLE", 9, 9, BF_BOOL },
        { "REPLAY_MODE", 11, 11, BF_BOOL },
        { "SURFACE_FAULT_ENABLE", 12, 12, BF_BOOL },
        { "TLB_INVALIDATE_EXPLICIT", 13, 13, BF_BOOL },
};
static const struct bitfield f_mi_mode_old[] = {
        { "VS_TIMER_DISPATCH", 6, 6, BF_BOOL },
        { "STOP_RING", 8, 8, BF_BOOL },
        { "MODE_IDLE", 9, 9, BF_BOOL },
        { "MI_FLUSH_ENABLE", 12, 12, BF_BOOL },
        { "ASYNC_FLIP_PERF_DISABLE", 14, 14, BF_BOOL },
};
static const struct bitfield f_mi_mode_gen12[] = {
        { "STOP_RING", 8, 8, BF_BOOL },
        { "MODE_IDLE", 9, 9, BF_BOOL },
        { "NESTED_BB_ENABLE", 12, 12, BF_BOOL },
        { "ASYNC_FLIP_PERF_DISABLE", 14, 14, BF_BOOL },
};
/* Error identity/status/mask: bit 0 is the instruction (parser) error on every version; the
 * refresh and page-table bits exist only before gen8. */
static const struct bitfield f_err_old[] = {
        { "INSTRUCTION_ERROR", 0, 0, BF_BOOL },
        { "MEMORY_REFRESH_ERROR", 1, 1, BF_BOOL },
        { "PAGE_TABLE_ERROR", 4, 4, BF_BOOL },
};
static const struct bitfield f_err[] = {
        { "INSTRUCTION_ERROR", 0, 0, BF_BOOL },
};
/* Interrupt bits of an engine (IMR, HWSTAM): 1 = masked. */
static const struct bitfield f_irq[] = {
        { "USER_INTERRUPT", 0, 0, BF_BOOL },
        { "CS_MASTER_ERROR", 3, 3, BF_BOOL },
        { "PIPE_CONTROL_NOTIFY", 4, 4, BF_BOOL },
        { "CONTEXT_SWITCH", 8, 8, BF_BOOL },
        { "WAIT_ON_SEMAPHORE", 11, 11, BF_BOOL },
};
static const struct bitfield f_execlist_status[] = {
        { "STATUS", 0, 31, BF_HEX },
        { "CURRENT_CONTEXT_ID", 32, 63, BF_HEX },
};
static const struct bitfield f_execlist_sq[] = {
        { "VALID", 0, 0, BF_BOOL },
        { "LRCA", 12, 31, BF_ADDR },
        { "CONTEXT_ID", 32, 63, BF_HEX },
};
static const struct bitfield f_forcewake[] = {
        { "KERNEL", 0, 0, BF_BOOL },
        { "USER", 1, 1, BF_BOOL },
        { "KERNEL_FALLBACK", 15, 15, BF_BOOL },
};
static const struct bitfield f_rcu_mode[] = {
        { "CCS_ENABLE", 0, 0, BF_BOOL },
        { "FIXED_SLICE_CCS_MODE", 1, 1, BF_BOOL },
};
static const char *const fault_types[] = { "PAGE", "INVALID_PD", "UNLOADED_PD", "INVALID_AND_UNLOADED_PD" };
static const struct bitfield f_fault_reg[] = {
        { "VALID", 0, 0, BF_BOOL },
        { "FAULT_TYPE", 1, 2, BF_ENUM, E(fault_types) },
        { "SOURCE_ID", 3, 10, BF_HEX },
        { "GGTT", 11, 11, BF_BOOL },
        { "ENGINE_ID", 12, 14, BF_UINT },
};
static const struct bitfield f_tlb0[] = {
        { "VA_47_12_LOW", 0, 31, BF_HEX },
};
static const struct bitfield f_tlb1[] = {
        { "VA_HIGH_BITS", 0, 3, BF_HEX },
        { "GGTT", 4, 4, BF_BOOL },
};
static const struct bitfield f_instpm[] = {
        { "SYNC_FLUSH", 5, 5, BF_BOOL },
        { "FORCE_ORDERING", 7, 7, BF_BOOL },
        { "TLB_INVALIDATE", 9, 9, BF_BOOL },
};
static const struct bitfield f_ccid[] = {
        { "VALID", 0, 0, BF_BOOL },
        { "EXTENDED_STATE_RESTORE", 2, 2, BF_BOOL },
        { "EXTENDED_STATE_SAVE", 3, 3, BF_BOOL },
        { "CONTEXT_ADDRESS", 12, 31, BF_ADDR },
};
static const struct bitfield f_nopid[] = {
        { "NOOP_ID", 0, 21, BF_HEX },
};
/* Render INSTDONE (INSTDONE_1) from gen8 on: one "done" bit per unit of the 3D pipe. */
static const struct bitfield f_instdone_render[] = {
        { "PRB0_RING_ENABLE", 0, 0, BF_BOOL }, /* a state bit, not a unit */
        { "VFG", 1, 1, BF_DONE },
        { "VS", 2, 2, BF_DONE },
        { "HS", 3, 3, BF_DONE },
        { "TE", 4, 4, BF_DONE },
        { "DS", 5, 5, BF_DONE },
        { "GS", 6, 6, BF_DONE },
        { "SOL", 7, 7, BF_DONE },
        { "CL", 8, 8, BF_DONE },
        { "SF", 9, 9, BF_DONE },
        { "TDG1", 11, 11, BF_DONE },
        { "TDG0", 12, 12, BF_DONE },
        { "URBM", 13, 13, BF_DONE },
        { "SVG", 14, 14, BF_DONE },
        { "GAFS", 15, 15, BF_DONE },
        { "VFE", 16, 16, BF_DONE },
        { "TSG0", 17, 17, BF_DONE },
        { "GAFM", 18, 18, BF_DONE },
        { "GAM", 19, 19, BF_DONE },
        { "RS", 20, 20, BF_DONE },
        { "CS", 21, 21, BF_DONE },
        { "SDE", 22, 22, BF_DONE },
        { "RCCFBC_CS", 23, 23, BF_DONE },
        { "TSG1", 24, 24, BF_DONE },
};

#define ER (1u << GD_EK_RENDER)

static const struct gd_regdef regs[] = {
        { "RING_CTL", { "CTL", "RING_BUFFER_CTL" }, 0, 0, 0, 0, F(f_ctl),
          "ring buffer control: enable, length, wait state" },
        { "RING_HEAD", { "HEAD" }, 0, 0, 0, 0, F(f_head), "ring head offset (next dword the CS fetches)" },
        { "RING_TAIL", { "TAIL" }, 0, 0, 0, 0, F(f_tail), "ring tail offset (end of submitted commands)" },
        { "RING_START", { "START" }, 0, 0, 0, 0, F(f_page_addr), "ring buffer start (GGTT)" },
        { "RING_MODE", { "GFX_MODE", "RING_MODE_GEN7" }, 1100, 0, RF_MASKED, 0, F(f_mode_gen11),
          "engine mode (masked)" },
        { "RING_MODE", { "GFX_MODE", "RING_MODE_GEN7" }, 0, 1099, RF_MASKED, 0, F(f_mode_gen8),
          "engine mode (masked)" },
        { "RING_MI_MODE", { "MI_MODE", "MODE" }, 1200, 0, RF_MASKED, 0, F(f_mi_mode_gen12),
          "MI mode (masked): stop ring, idle" },
        { "RING_MI_MODE", { "MI_MODE", "MODE" }, 0, 1199, RF_MASKED, 0, F(f_mi_mode_old),
          "MI mode (masked): stop ring, idle" },
        { "RING_ESR", { "ESR" }, 800, 0, 0, 0, F(f_err), "error status" },
        { "RING_ESR", { "ESR" }, 0, 799, 0, 0, F(f_err_old), "error status" },
        { "RING_EIR", { "EIR" }, 800, 0, 0, 0, F(f_err), "error identity (latched errors)" },
        { "RING_EIR", { "EIR" }, 0, 799, 0, 0, F(f_err_old), "error identity (latched errors)" },
        { "RING_EMR", { "EMR" }, 800, 0, 0, 0, F(f_err), "error mask (1 = masked)" },
        { "RING_EMR", { "EMR" }, 0, 799, 0, 0, F(f_err_old), "error mask (1 = masked)" },
        { "RING_IMR", { "IMR" }, 0, 0, 0, 0, F(f_irq), "interrupt mask (1 = masked)" },
        { "HWSTAM", { "RING_HWSTAM" }, 0, 0, 0, 0, F(f_irq), "hardware status mask (1 = masked)" },
        { "RING_HWS_PGA", { "HWS", "HWS_PGA" }, 0, 0, 0, 0, F(f_page_addr), "hardware status page (GGTT)" },
        { "IPEIR", { "RING_IPEIR" }, 0, 0, 0, 0, NOF,
          "instruction parser error identity: non-zero = the parser rejected an instruction" },
        { "IPEHR", { "RING_IPEHR" }, 0, 0, RF_INSTRUCTION, 0, NOF,
          "instruction parser error header: header of the instruction in flight" },
        { "RING_INSTDONE", { "INSTDONE", "INSTDONE1", "INSTDONE_1" }, 800, 0, RF_INSTDONE, ER,
          F(f_instdone_render), "units done (1 = idle)" },
        { "RING_INSTDONE", { "INSTDONE", "INSTDONE1", "INSTDONE_1" }, 0, 0, RF_INSTDONE, 0, NOF,
          "units done (1 = idle)" },
        { "SC_INSTDONE", { 0 }, 0, 0, RF_INSTDONE, 0, NOF, "slice common units done (1 = idle)" },
        { "SC_INSTDONE_EXTRA", { 0 }, 1200, 0, RF_INSTDONE, 0, NOF, "slice common units done, extra" },
        { "SC_INSTDONE_EXTRA2", { 0 }, 1200, 0, RF_INSTDONE, 0, NOF, "slice common units done, extra 2" },
        { "SAMPLER_INSTDONE", { 0 }, 0, 0, RF_INSTDONE, 0, NOF, "sampler units done per DSS (1 = idle)" },
        { "ROW_INSTDONE", { 0 }, 0, 0, RF_INSTDONE, 0, NOF, "EU row units done per DSS (1 = idle)" },
        { "INSTDONE_GEOM_SVGUNIT", { "GEOM_SVGUNIT_INSTDONE" }, 1255, 0, RF_INSTDONE, 0, NOF,
          "geometry units done per DSS (1 = idle)" },
        { "SFC_DONE", { 0 }, 1100, 0, RF_INSTDONE, 0, NOF, "scaler/format converter done" },
        { "GAM_DONE", { 0 }, 1200, 0, RF_INSTDONE, 0, NOF, "graphics arbiter done" },
        { "ACTHD", { "RING_ACTHD" }, 0, 0, 0, 0, F(f_addr64),
          "active head: address of the instruction being executed" },
        { "RING_BBADDR", { "BBADDR", "BB_ADDR" }, 0, 0, 0, 0, F(f_addr64),
          "address in the current batch buffer" },
        { "RING_DMA_FADD", { "DMA_FADDR", "FADDR", "DMA_FADD" }, 0, 0, 0, 0,
          F(f_addr64), "DMA fetch address (prefetch, runs ahead of ACTHD)" },
        { "RING_EXECLIST_STATUS", { "EXECLIST_STATUS" }, 0, 0, 0, 0, F(f_execlist_status),
          "execlist status: current context id in the high dword" },
        { "RING_EXECLIST_SQ_CONTENTS", { "EXECLIST_SQ_CONTENTS" }, 0, 0, 0, 0, F(f_execlist_sq),
          "execlist submit queue: context descriptor" },
        { "INDIRECT_RING_STATE", { 0 }, 0, 0, 0, 0, F(f_page_addr), "indirect ring state (GGTT)" },
        { "FORCEWAKE_GT", { "FORCEWAKE", "FORCEWAKE_MT", "FORCEWAKE_RENDER" }, 0, 0, RF_MASKED, 0,
          F(f_forcewake), "forcewake requests (masked)" },
        { "RCU_MODE", { 0 }, 1200, 0, RF_MASKED, 0, F(f_rcu_mode), "render/compute unit mode (masked)" },
        { "FAULT_REG", { "RING_FAULT_REG" }, 800, 0, 0, 0, F(f_fault_reg),
          "page fault status" },
        { "FAULT_TLB_DATA0", { "FAULT_TLB_DATA" }, 800, 0, 0, 0, F(f_tlb0), "faulting address bits 43:12" },
        { "FAULT_TLB_DATA1", { 0 }, 800, 0, 0, 0, F(f_tlb1), "faulting address bits 47:44, GGTT" },
        { "INSTPM", { 0 }, 0, 0, RF_MASKED, 0, F(f_instpm), "instruction parser mode (masked)" },
        { "CCID", { "RING_CCID" }, 0, 0, 0, 0, F(f_ccid), "current context id (legacy submission)" },
        { "NOPID", { "RING_NOPID" }, 0, 0, 0, 0, F(f_nopid), "identification of the last MI_NOOP" },
        { "BB_STATE", { "RING_BBSTATE" }, 0, 0, 0, 0, NOF, "batch buffer state" },
        { "INSTPS", { 0 }, 0, 0, 0, 0, NOF, "instruction parser state" },
        { "PGTBL_ER", { 0 }, 0, 0, 0, 0, NOF, "page table error" },
        { "CTX_SR_CTL", { 0 }, 0, 0, 0, 0, NOF, "context save/restore control" },
        { "RC PSMI", { "RC_PSMI_CTRL", "PSMI_CTRL" }, 0, 0, RF_MASKED, 0, NOF, "power state idle messaging" },
};

size_t gd_reg_table_size(void) { return sizeof(regs) / sizeof(regs[0]); }
const struct gd_regdef *gd_reg_table_get(size_t i) { return i < gd_reg_table_size() ? &regs[i] : NULL; }
const char *gd_regdef_name(const struct gd_regdef *def) { return def->name; }
const char *gd_regdef_description(const struct gd_regdef *def) { return def->desc; }
bool gd_regdef_is_instdone(const struct gd_regdef *def) { return def->flags & RF_INSTDONE; }
bool gd_regdef_is_instruction(const struct gd_regdef *def) { return def->flags & RF_INSTRUCTION; }

static bool ends_with(const char *s, size_t len, const char *suffix, size_t *ret_len) {
        size_t sl = strlen(suffix);
        if (len > sl && memcmp(s + len - sl, suffix, sl) == 0) {
                *ret_len = len - sl;
                return true;
        }
        return false;
}

int gd_regname_parse(const char *name, struct gd_regname *r) {
        memset(r, 0, sizeof(*r));
        if (!name)
                return -EINVAL;
        while (*name == ' ' || *name == '\t')
                name++;
        const char *br = strchr(name, '[');
        size_t len = br ? (size_t)(br - name) : strlen(name);
        while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == ':'))
                len--;
        if (len == 0 || len >= sizeof(r->base))
                return -EINVAL;
        /* indices: "[1]", "[0][2]"; anything else after the name is ignored */
        for (const char *p = br; p && *p == '[' && r->n_indices < 3;) {
                char *end;
                long v = strtol(p + 1, &end, 10);
                if (end == p + 1 || *end != ']')
                        break;
                r->indices[r->n_indices++] = (int)v;
                p = end + 1;
        }
        size_t l2;
        if (ends_with(name, len, "_LO", &l2) || ends_with(name, len, "_LDW", &l2)) {
                r->part = GD_REG_LO;
                len = l2;
        } else if (ends_with(name, len, "_HI", &l2) || ends_with(name, len, "_UDW", &l2)) {
                r->part = GD_REG_HI;
                len = l2;
        }
        for (size_t i = 0; i < len; i++)
                r->base[i] = (char)toupper((unsigned char)name[i]);
        r->base[len] = '\0';
        return 0;
}

/* The first byte before strcmp(): a lookup walks the whole table for every register line, and
 * most names differ at once; a strcmp() call per entry and alias was most of decoding a small
 * dump's registers. */
static bool def_matches(const struct gd_regdef *d, const char *base) {
        if (d->name[0] == base[0] && !strcmp(d->name, base))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(d->aliases) && d->aliases[i]; i++)
                if (d->aliases[i][0] == base[0] && !strcmp(d->aliases[i], base))
                        return true;
        return false;
}

const struct gd_regdef *gd_reg_lookup(const char *name, unsigned ver, enum gd_engine_kind ek,
                                      struct gd_regname *ret) {
        struct gd_regname local;
        struct gd_regname *r = ret ? ret : &local;
        if (gd_regname_parse(name, r) < 0)
                return NULL;
        /* gd_regname_parse() already dropped the indices and the _LO/_HI/_UDW half suffix;
         * i915 prefixes some names with the generation that introduced them (GEN12_GAM_DONE) */
        const char *base = r->base;
        if (!strncmp(base, "GEN", 3) && isdigit((unsigned char)base[3])) {
                const char *u = strchr(base, '_');
                bool known = false;
                for (size_t i = 0; i < gd_reg_table_size() && !known; i++)
                        known = def_matches(&regs[i], base);
                if (u && u[1] && !known)
                        base = u + 1;
        }
        for (size_t i = 0; i < gd_reg_table_size(); i++) {
                const struct gd_regdef *d = &regs[i];
                if (!def_matches(d, base))
                        continue;
                if (ver && ((d->min_ver && ver < d->min_ver) || (d->max_ver && ver > d->max_ver)))
                        continue;
                if (d->engines && ek != GD_EK_ANY && !(d->engines & (1u << ek)))
                        continue;
                if (d->engines && ek == GD_EK_ANY)
                        continue; /* engine-specific layout needs a known engine */
                return d;
        }
        return NULL;
}

static uint64_t mask_of(unsigned lo, unsigned hi) {
        unsigned w = hi - lo + 1;
        return w >= 64 ? ~0ull : ((1ull << w) - 1);
}

unsigned gd_reg_decode(const struct gd_regdef *def, uint64_t value, enum gd_reg_part part,
                       unsigned width, struct gd_field *out, unsigned max) {
        unsigned n = 0;
        uint64_t v = part == GD_REG_HI ? value << 32 : value;
        unsigned lo_bit = part == GD_REG_HI ? 32 : 0;
        unsigned hi_bit = part == GD_REG_LO ? 31 : (width > 32 || part == GD_REG_HI ? 63 : 31);
        if (!def)
                return 0;
        for (unsigned i = 0; i < def->n_fields && n < max; i++) {
                const struct bitfield *f = &def->fields[i];
                /* only fields that lie in the bits this value carries */
                if (f->hi < lo_bit || f->lo > hi_bit)
                        continue;
                uint64_t raw = (v >> f->lo) & mask_of(f->lo, f->hi);
                struct gd_field *o = &out[n++];
                o->name = f->name;
                o->text = NULL;
                switch (f->kind) {
                case BF_BOOL:
                case BF_DONE:
                        o->kind = GD_FK_BOOL;
                        o->value = raw;
                        break;
                case BF_UINT:
                        o->kind = GD_FK_UINT;
                        o->value = raw;
                        break;
                case BF_HEX:
                        o->kind = GD_FK_HEX;
                        o->value = raw;
                        break;
                case BF_ADDR:
                        o->kind = GD_FK_HEX;
                        o->value = raw << f->lo;
                        break;
                case BF_PAGES:
                        o->kind = GD_FK_UINT;
                        o->value = (raw + 1) * 4096;
                        break;
                case BF_ENUM:
                        o->kind = raw < f->n_enums ? GD_FK_TEXT : GD_FK_UINT;
                        o->value = raw;
                        o->text = raw < f->n_enums ? f->enums[raw] : NULL;
                        break;
                default:
                        o->kind = GD_FK_HEX;
                        o->value = raw;
                        break;
                }
        }
        return n;
}

unsigned gd_reg_busy_units(const struct gd_regdef *def, uint64_t value, unsigned width,
                           const char **names, unsigned max, char scratch[][8]) {
        unsigned n = 0;
        if (!def || !(def->flags & RF_INSTDONE))
                return 0;
        if (def->n_fields) {
                for (unsigned i = 0; i < def->n_fields && n < max; i++) {
                        const struct bitfield *f = &def->fields[i];
                        if (f->kind == BF_DONE && !((value >> f->lo) & 1))
                                names[n++] = f->name;
                }
                return n;
        }
        unsigned w = width ? width : 32;
        for (unsigned b = 0; b < w && b < 64 && n < max; b++) {
                if ((value >> b) & 1)
                        continue;
                snprintf(scratch[n], 8, "bit %u", b);
                names[n] = scratch[n];
                n++;
        }
        return n;
}

static const char *const key_names[GD_KR__MAX] = {
        [GD_KR_HEAD] = "RING_HEAD",
        [GD_KR_TAIL] = "RING_TAIL",
        [GD_KR_START] = "RING_START",
        [GD_KR_CTL] = "RING_CTL",
        [GD_KR_ACTHD] = "ACTHD",
        [GD_KR_BBADDR] = "RING_BBADDR",
        [GD_KR_DMA_FADD] = "RING_DMA_FADD",
        [GD_KR_INSTDONE] = "RING_INSTDONE",
        [GD_KR_ESR] = "RING_ESR",
        [GD_KR_EIR] = "RING_EIR",
        [GD_KR_IPEHR] = "IPEHR",
        [GD_KR_IPEIR] = "IPEIR",
        [GD_KR_EXECLIST_STATUS] = "RING_EXECLIST_STATUS",
        [GD_KR_EXECLIST_SQ] = "RING_EXECLIST_SQ_CONTENTS",
        [GD_KR_FAULT_REG] = "FAULT_REG",
        [GD_KR_TLB0] = "FAULT_TLB_DATA0",
        [GD_KR_TLB1] = "FAULT_TLB_DATA1",
};

const char *gd_key_reg_name(enum gd_key_reg k) { return k < GD_KR__MAX ? key_names[k] : NULL; }
