/* SPDX-License-Identifier: MIT */
/*
 * Intel command-streamer instruction decoder: name, length and fields of one instruction.
 *
 * Written from the public Intel PRMs ("Command Reference: Instructions") and the opcode facts
 * visible in public driver headers. Layout of a header dword:
 *   bits 31:29 command type: 0 MI, 2 2D (blitter), 3 GFXPIPE; 1 and 4-7 are reserved here.
 *   MI:      opcode 28:23. Opcodes below 0x10 are one dword; the others carry a DWord Length
 *            field (total length - 2), 7:0 for most, narrower where a command uses the bits.
 *   2D:      opcode 28:22, DWord Length 7:0 (+2).
 *   GFXPIPE: pipeline 28:27, opcode 26:24, sub-opcode 23:16, DWord Length 7:0 (+2); pipeline 1
 *            commands (PIPELINE_SELECT, 3DSTATE_VF_STATISTICS, MFX_WAIT) are one dword.
 *   Video codec commands (HCP, VDENC, VD_*) use opcode 26:23 and command 22:16, length 11:0.
 * Pure functions on words: no allocation, no dump needed, so the unit tests drive it directly.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"

/* Engine-kind masks of a table entry; 0 = every engine. */
#define E_R (1u << GD_EK_RENDER)
#define E_C (1u << GD_EK_COMPUTE)
#define E_B (1u << GD_EK_COPY)
#define E_V (1u << GD_EK_VIDEO)
#define E_VE (1u << GD_EK_VIDEO_ENHANCE)
#define E_RC (E_R | E_C)

typedef void (*decode_fn)(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in);

struct op_def {
        uint32_t match;
        uint32_t mask;
        const char *name;
        uint32_t len_mask;   /* 0: fixed length */
        uint8_t bias;        /* added to the length field */
        uint8_t fixed;       /* fixed length when len_mask == 0 */
        uint16_t min_ver, max_ver; /* 0 = unbounded */
        uint8_t engines;
        decode_fn decode;
};

#define MI(op) ((uint32_t)(op) << 23)
#define MI_MASK 0xff800000u
#define BLT(op) ((2u << 29) | ((uint32_t)(op) << 22))
#define BLT_MASK 0xffc00000u
#define GFX(pipe, op, sub) ((3u << 29) | ((uint32_t)(pipe) << 27) | ((uint32_t)(op) << 24) | \
                            ((uint32_t)(sub) << 16))
#define GFX_MASK 0xffff0000u
/* MFX: sub-opcode A 23:21, B 20:16 */
#define MFX(pipe, op, a, b) ((3u << 29) | ((uint32_t)(pipe) << 27) | ((uint32_t)(op) << 24) | \
                             ((uint32_t)(a) << 21) | ((uint32_t)(b) << 16))
/* Video codec engines (HCP, VDENC, VD): opcode 26:23, command 22:16 */
#define VDC(op, cmd) ((3u << 29) | (2u << 27) | ((uint32_t)(op) << 23) | ((uint32_t)(cmd) << 16))

static void add(struct gd_instr *in, const char *name, enum gd_field_kind kind, uint64_t v,
                const char *text) {
        if (in->n_fields >= GD_INSTR_MAX_FIELDS)
                return;
        in->fields[in->n_fields++] = (struct gd_field){ name, kind, v, text };
}
static void addu(struct gd_instr *in, const char *name, uint64_t v) { add(in, name, GD_FK_UINT, v, NULL); }
static void addx(struct gd_instr *in, const char *name, uint64_t v) { add(in, name, GD_FK_HEX, v, NULL); }
static void addb(struct gd_instr *in, const char *name, bool v) { add(in, name, GD_FK_BOOL, v, NULL); }
static void addt(struct gd_instr *in, const char *name, uint64_t v, const char *text) {
        add(in, name, text ? GD_FK_TEXT : GD_FK_UINT, v, text);
}

static uint32_t bits(uint32_t v, unsigned hi, unsigned lo) {
        return (v >> lo) & (uint32_t)((hi - lo >= 31) ? 0xffffffffu : ((1u << (hi - lo + 1)) - 1));
}
static bool bit(uint32_t v, unsigned b) { return (v >> b) & 1; }

/* A 64-bit address from two dwords; the low dword's two lowest bits are flags or MBZ. */
static uint64_t addr64(const uint32_t *dw, unsigned n, unsigned i) {
        uint64_t lo = i < n ? dw[i] & ~3u : 0;
        uint64_t hi = i + 1 < n ? dw[i + 1] & 0xffffu : 0;
        return lo | (hi << 32);
}

static const char *const sem_ops[] = {
        "SAD_GT_SDD", "SAD_GTE_SDD", "SAD_LT_SDD", "SAD_LTE_SDD", "SAD_EQ_SDD", "SAD_NEQ_SDD",
};
static const char *const sem_syms[] = { ">", ">=", "<", "<=", "==", "!=" };

const char *gd_sem_op_name(unsigned op) { return op < 6 ? sem_ops[op] : "reserved"; }
const char *gd_sem_op_symbol(unsigned op) { return op < 6 ? sem_syms[op] : "?"; }

bool gd_sem_satisfied(unsigned op, uint32_t mem, uint32_t data) {
        switch (op) {
        case GD_SEM_SAD_GT_SDD: return mem > data;
        case GD_SEM_SAD_GTE_SDD: return mem >= data;
        case GD_SEM_SAD_LT_SDD: return mem < data;
        case GD_SEM_SAD_LTE_SDD: return mem <= data;
        case GD_SEM_SAD_EQ_SDD: return mem == data;
        case GD_SEM_SAD_NEQ_SDD: return mem != data;
        default: return false;
        }
}

/* ---- MI field decoders ---- */

static void d_noop(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (bit(dw[0], 22)) {
                addb(in, "identification_enable", true);
                addx(in, "identification", bits(dw[0], 21, 0));
        }
}

static void d_bb_end(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        in->flow = GD_FLOW_BB_END;
        if (ver >= 1200 && bit(dw[0], 0))
                addb(in, "end_context", true);
}

static void d_arb_on_off(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "enable", bit(dw[0], 0));
}

static void d_arb_check(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (ver >= 1200 && bit(dw[0], 8))
                addb(in, "pre_parser_disable", bit(dw[0], 0));
}

static void d_predicate(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        static const char *const load[] = { "KEEP", "reserved", "LOAD", "LOADINV" };
        static const char *const comb[] = { "SET", "AND", "OR", "XOR" };
        static const char *const cmp[] = { "TRUE", "FALSE", "SRCS_EQUAL", "DELTAS_EQUAL" };
        addt(in, "load_operation", bits(dw[0], 7, 6), load[bits(dw[0], 7, 6)]);
        addt(in, "combine_operation", bits(dw[0], 4, 3), comb[bits(dw[0], 4, 3)]);
        addt(in, "compare_operation", bits(dw[0], 1, 0), cmp[bits(dw[0], 1, 0)]);
}

static void d_set_predicate(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        static const char *const en[] = {
                "NOOP_NEVER", "NOOP_ON_RESULT_CLEAR", "NOOP_ON_RESULT_SET", "NOOP_ALWAYS",
        };
        uint32_t v = bits(dw[0], 3, 0);
        addt(in, "predicate_enable", v, v < 4 ? en[v] : NULL);
}

static void d_rs(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "enable", bit(dw[0], 0));
}

static void d_rs_context(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addt(in, "operation", bit(dw[0], 0), bit(dw[0], 0) ? "SAVE" : "RESTORE");
}

static void d_topology(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addu(in, "topology_filter", bits(dw[0], 5, 0));
}

static void d_set_appid(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addu(in, "session_id", bits(dw[0], 6, 0));
}

static void d_wait_for_event(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        in->is_wait = true;
        addx(in, "events", bits(dw[0], 22, 0));
}

static void d_suspend(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "suspend_flush", bit(dw[0], 0));
}

static void d_scan_lines(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addu(in, "display_plane", bits(dw[0], 21, 19));
        if (n > 1) {
                addu(in, "start_scan_line", bits(dw[1], 28, 16));
                addu(in, "end_scan_line", bits(dw[1], 12, 0));
        }
}

static void d_display_flip(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "async", bit(dw[0], 22));
        addu(in, "display_plane", bits(dw[0], 21, 19));
        if (n > 1)
                addu(in, "pitch", bits(dw[1], 15, 6) * 64);
        if (n > 2)
                addx(in, "base_address", dw[2] & ~0xfffu);
}

static void d_set_context(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (n < 2)
                return;
        addx(in, "context_address", dw[1] & ~0xfffu);
        addb(in, "ggtt", bit(dw[1], 8));
        addb(in, "extended_state_save", bit(dw[1], 3));
        addb(in, "extended_state_restore", bit(dw[1], 2));
        addb(in, "force_restore", bit(dw[1], 1));
        addb(in, "restore_inhibit", bit(dw[1], 0));
}

static const char *alu_op_name(uint32_t op) {
        switch (op) {
        case 0x000: return "NOOP";
        case 0x080: return "LOAD";
        case 0x480: return "LOADINV";
        case 0x081: return "LOAD0";
        case 0x481: return "LOAD1";
        case 0x082: return "LOADIND";
        case 0x100: return "ADD";
        case 0x101: return "SUB";
        case 0x102: return "AND";
        case 0x103: return "OR";
        case 0x104: return "XOR";
        case 0x105: return "SHL";
        case 0x106: return "SHR";
        case 0x180: return "STORE";
        case 0x580: return "STOREINV";
        case 0x181: return "STOREIND";
        case 0x107: return "SAR";
        default: return "unknown";
        }
}

static void d_math(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        static const char *const slot[] = { "alu0", "alu1", "alu2", "alu3", "alu4", "alu5", "alu6", "alu7" };
        unsigned count = in->length > 1 ? in->length - 1 : 0;
        addu(in, "alu_instructions", count);
        for (unsigned i = 0; i < count && i < 8 && 1 + i < n; i++)
                addt(in, slot[i], dw[1 + i], alu_op_name(bits(dw[1 + i], 31, 20)));
}

static void d_sem_signal(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "post_sync_operation", bit(dw[0], 21));
        addu(in, "target_engine", bits(dw[0], 17, 15));
        if (n > 1)
                addx(in, "target_context_id", dw[1]);
}

static void d_sem_wait(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        uint32_t op = bits(dw[0], 14, 12);
        in->is_wait = true;
        in->is_semaphore = true;
        in->ppgtt = !bit(dw[0], 22);
        in->sem_op = op;
        in->sem_poll = bit(dw[0], 15);
        addt(in, "memory_type", bit(dw[0], 22), bit(dw[0], 22) ? "GGTT" : "PPGTT");
        addt(in, "wait_mode", bit(dw[0], 15), bit(dw[0], 15) ? "POLL" : "SIGNAL");
        addt(in, "compare_operation", op, gd_sem_op_name(op));
        if (ver >= 1200 && bit(dw[0], 16))
                addb(in, "register_poll", true);
        if (ver >= 2000)
                addu(in, "wait_token", bits(dw[0], 9, 2));
        else if (ver >= 1200)
                addu(in, "wait_token", bits(dw[0], 9, 5));
        if (n > 1) {
                in->sem_data = dw[1];
                addx(in, "semaphore_data", dw[1]);
        }
        if (n > 2) {
                in->sem_address = addr64(dw, n, 2);
                addx(in, "semaphore_address", in->sem_address);
        }
}

static void d_sdi(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "ggtt", bit(dw[0], 22));
        addb(in, "store_qword", bit(dw[0], 21));
        if (ver >= 800 || ver == 0) {
                if (n > 1)
                        addx(in, "address", addr64(dw, n, 1));
                if (n > 3)
                        addx(in, "data", dw[3]);
                if (n > 4 && in->length > 4)
                        addx(in, "data_high", dw[4]);
        } else {
                if (n > 2)
                        addx(in, "address", dw[2] & ~3u);
                if (n > 3)
                        addx(in, "data", dw[3]);
        }
}

static void d_sdx(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "store_qword", bit(dw[0], 21));
        if (n > 1)
                addx(in, "offset", bits(dw[1], 11, 2) * 4);
        if (n > 2)
                addx(in, "data", dw[2]);
}

static void d_lri(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        static const char *const rn[] = { "register0", "register1", "register2", "register3" };
        static const char *const rv[] = { "value0", "value1", "value2", "value3" };
        unsigned pairs = in->length > 1 ? (in->length - 1) / 2 : 0;
        addu(in, "registers", pairs);
        if (ver >= 1200 || ver == 0) {
                if (bit(dw[0], 19))
                        addb(in, "cs_mmio_relative", true);
                if (bit(dw[0], 17))
                        addb(in, "mmio_remap", true);
        }
        if (bit(dw[0], 12))
                addb(in, "force_posted", true);
        for (unsigned i = 0; i < pairs && i < 4 && 2 + 2 * i < n; i++) {
                addx(in, rn[i], dw[1 + 2 * i] & 0x7ffffcu);
                addx(in, rv[i], dw[2 + 2 * i]);
        }
}

static void d_update_gtt(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (n > 1)
                addx(in, "entry_address", dw[1] & ~3u);
        addu(in, "entries", in->length > 2 ? in->length - 2 : 0);
}

static void d_srm(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "ggtt", bit(dw[0], 22));
        if (ver >= 1200 && bit(dw[0], 19))
                addb(in, "cs_mmio_relative", true);
        if (n > 1)
                addx(in, "register", dw[1] & 0x7ffffcu);
        if (n > 2)
                addx(in, "address", addr64(dw, n, 2));
}

static void d_lrm(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "ggtt", bit(dw[0], 22));
        addb(in, "async", bit(dw[0], 21));
        if (n > 1)
                addx(in, "register", dw[1] & 0x7ffffcu);
        if (n > 2)
                addx(in, "address", addr64(dw, n, 2));
}

static void d_lrr(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (n > 1)
                addx(in, "source_register", dw[1] & 0x7ffffcu);
        if (n > 2)
                addx(in, "destination_register", dw[2] & 0x7ffffcu);
}

static void d_flush_dw(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        static const char *const post[] = { "NONE", "WRITE_IMMEDIATE", "reserved", "WRITE_TIMESTAMP" };
        addt(in, "post_sync_operation", bits(dw[0], 15, 14), post[bits(dw[0], 15, 14)]);
        addb(in, "store_data_index", bit(dw[0], 21));
        addb(in, "tlb_invalidate", bit(dw[0], 18));
        if (bit(dw[0], 16))
                addb(in, "flush_ccs", true);
        if (bit(dw[0], 8))
                addb(in, "notify", true);
        if (bit(dw[0], 7))
                addb(in, "video_pipeline_cache_invalidate", true);
        if (n > 1) {
                addx(in, "address", addr64(dw, n, 1) & ~7ull);
                addb(in, "ggtt", bit(dw[1], 2));
        }
        if (n > 3)
                addx(in, "data", dw[3]);
}

static void d_report_perf(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (n > 1)
                addx(in, "address", addr64(dw, n, 1) & ~0x3full);
        if (n > 3)
                addx(in, "report_id", dw[3]);
}

static void d_copy_mem(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "source_ggtt", bit(dw[0], 22));
        addb(in, "destination_ggtt", bit(dw[0], 21));
        if (n > 1)
                addx(in, "destination", addr64(dw, n, 1));
        if (n > 3)
                addx(in, "source", addr64(dw, n, 3));
}

static void d_atomic(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        static const char *const size[] = { "DWORD", "QWORD", "OCTWORD", "reserved" };
        uint32_t op = bits(dw[0], 15, 8);
        const char *opn = NULL;
        switch (op & 0x0f) {
        case 0x1: opn = "AND"; break;
        case 0x2: opn = "OR"; break;
        case 0x3: opn = "XOR"; break;
        case 0x4: opn = "MOVE"; break;
        case 0x5: opn = "INC"; break;
        case 0x6: opn = "DEC"; break;
        case 0x7: opn = "ADD"; break;
        case 0x8: opn = "SUB"; break;
        case 0x9: opn = "RSUB"; break;
        case 0xa: opn = "IMAX"; break;
        case 0xb: opn = "IMIN"; break;
        case 0xc: opn = "UMAX"; break;
        case 0xd: opn = "UMIN"; break;
        case 0xe: opn = "CMP_WR"; break;
        default: break;
        }
        addb(in, "ggtt", bit(dw[0], 22));
        addb(in, "return_data", bit(dw[0], 21));
        addt(in, "data_size", bits(dw[0], 20, 19), size[bits(dw[0], 20, 19)]);
        addb(in, "inline_data", bit(dw[0], 18));
        addb(in, "cs_stall", bit(dw[0], 17));
        addt(in, "atomic_opcode", op, opn);
        if (n > 1)
                addx(in, "address", addr64(dw, n, 1));
        if (n > 3 && bit(dw[0], 18))
                addx(in, "operand1", dw[3]);
}

static void d_bb_start(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        in->flow = GD_FLOW_BB_START;
        in->second_level = bit(dw[0], 22);
        in->ppgtt = bit(dw[0], 8);
        addb(in, "second_level", in->second_level);
        addt(in, "address_space", bit(dw[0], 8), bit(dw[0], 8) ? "PPGTT" : "GGTT");
        if (bit(dw[0], 16))
                addb(in, "add_offset_enable", true);
        if (bit(dw[0], 15))
                addb(in, "predication_enable", true);
        if (bit(dw[0], 10))
                addb(in, "resource_streamer_enable", true);
        if (in->length >= 3 || ver >= 800) {
                in->target = addr64(dw, n, 1);
        } else {
                in->target = n > 1 ? dw[1] & ~3u : 0;
        }
        addx(in, "address", in->target);
}

static void d_cond_bb_end(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        in->flow = GD_FLOW_COND_END;
        addb(in, "ggtt", bit(dw[0], 22));
        addb(in, "compare_semaphore", bit(dw[0], 21));
        if (ver >= 1200) {
                addb(in, "end_current_batch_level", bit(dw[0], 19));
                addt(in, "compare_operation", bits(dw[0], 14, 12), gd_sem_op_name(bits(dw[0], 14, 12)));
        }
        if (n > 1)
                addx(in, "compare_data", dw[1]);
        if (n > 2) {
                in->target = addr64(dw, n, 2) & ~7ull;
                addx(in, "compare_address", in->target);
        }
}

static void d_force_wakeup(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (n > 1) {
                addx(in, "mask", bits(dw[1], 31, 16));
                addx(in, "force_wakeup", bits(dw[1], 15, 0));
        }
}

static void d_rs_sdi(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (n > 1)
                addx(in, "address", addr64(dw, n, 1));
        if (n > 3)
                addx(in, "data", dw[3]);
}

static void d_mbox(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "register_select", bits(dw[0], 17, 16) != 3);
        if (n > 1)
                addx(in, "semaphore_data", dw[1]);
}

/* ---- GFXPIPE / blitter decoders ---- */

static void d_pipe_control(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        static const char *const post[] = { "NONE", "WRITE_IMMEDIATE", "WRITE_PS_DEPTH_COUNT", "WRITE_TIMESTAMP" };
        if (n < 2)
                return;
        uint32_t f = dw[1];
        addt(in, "post_sync_operation", bits(f, 15, 14), post[bits(f, 15, 14)]);
        addb(in, "cs_stall", bit(f, 20));
        addb(in, "depth_stall", bit(f, 13));
        addb(in, "stall_at_pixel_scoreboard", bit(f, 1));
        addb(in, "render_target_cache_flush", bit(f, 12));
        addb(in, "depth_cache_flush", bit(f, 0));
        addb(in, "dc_flush", bit(f, 5));
        addb(in, "tlb_invalidate", bit(f, 18));
        addb(in, "instruction_cache_invalidate", bit(f, 11));
        addb(in, "texture_cache_invalidate", bit(f, 10));
        addb(in, "vf_cache_invalidate", bit(f, 4));
        addb(in, "constant_cache_invalidate", bit(f, 3));
        addb(in, "state_cache_invalidate", bit(f, 2));
        addb(in, "notify", bit(f, 8));
        addb(in, "store_data_index", bit(f, 21));
        if (ver >= 1200 || ver == 0)
                addb(in, "hdc_pipeline_flush", bit(dw[0], 9));
        addt(in, "destination_address_type", bit(f, 24), bit(f, 24) ? "GGTT" : "PPGTT");
        if (n > 2)
                addx(in, "address", addr64(dw, n, 2) & ~7ull);
        if (n > 4)
                addx(in, "immediate_data", dw[4]);
}

static void d_pipeline_select(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        static const char *const p[] = { "3D", "MEDIA", "GPGPU", "reserved" };
        addt(in, "pipeline", bits(dw[0], 1, 0), p[bits(dw[0], 1, 0)]);
        if (bits(dw[0], 15, 8))
                addx(in, "mask_bits", bits(dw[0], 15, 8));
}

static void d_3dprimitive(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addb(in, "indirect_parameter_enable", bit(dw[0], 10));
        addb(in, "predicate_enable", bit(dw[0], 8));
        if (ver != 0 && ver < 700) {
                addu(in, "topology", bits(dw[0], 14, 10));
                return;
        }
        if (n > 1) {
                addt(in, "vertex_access", bit(dw[1], 8), bit(dw[1], 8) ? "RANDOM" : "SEQUENTIAL");
                addu(in, "topology", bits(dw[1], 5, 0));
        }
        if (n > 2)
                addu(in, "vertex_count_per_instance", dw[2]);
        if (n > 3)
                addu(in, "start_vertex", dw[3]);
        if (n > 4)
                addu(in, "instance_count", dw[4]);
}

static void d_blt_copy(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        /* XY_SRC_COPY_BLT / XY_COLOR_BLT: BR13 pitch, BR22/23 rectangle, BR09 destination */
        if (n > 1)
                addu(in, "destination_pitch", bits(dw[1], 15, 0));
        if (n > 3) {
                addu(in, "x1", bits(dw[2], 15, 0));
                addu(in, "y1", bits(dw[2], 31, 16));
                addu(in, "x2", bits(dw[3], 15, 0));
                addu(in, "y2", bits(dw[3], 31, 16));
        }
        if (n > 4)
                addx(in, "destination_address", in->length >= 8 ? addr64(dw, n, 4) : dw[4]);
}

static void d_fast_copy(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (n > 1)
                addu(in, "destination_pitch", bits(dw[1], 15, 0));
        if (n > 3) {
                addu(in, "x1", bits(dw[2], 15, 0));
                addu(in, "y1", bits(dw[2], 31, 16));
                addu(in, "x2", bits(dw[3], 15, 0));
                addu(in, "y2", bits(dw[3], 31, 16));
        }
        if (n > 5)
                addx(in, "destination_address", ((uint64_t)dw[5] << 32) | dw[4]);
        if (n > 9)
                addx(in, "source_address", ((uint64_t)dw[9] << 32) | dw[8]);
}

static void d_mem_copy(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addt(in, "copy_type", bits(dw[0], 18, 17), bits(dw[0], 18, 17) ? "MATRIX" : "LINEAR");
        if (n > 1)
                addu(in, "width", (uint64_t)dw[1] + 1);
        if (n > 5) {
                addx(in, "source_address", ((uint64_t)dw[5] << 32) | dw[4]);
        }
        if (n > 7)
                addx(in, "destination_address", ((uint64_t)dw[7] << 32) | dw[6]);
}

static void d_mem_set(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        addt(in, "fill_type", bit(dw[0], 17), bit(dw[0], 17) ? "MATRIX" : "LINEAR");
        if (n > 1)
                addu(in, "width", (uint64_t)dw[1] + 1);
        if (n > 4)
                addx(in, "destination_address", ((uint64_t)dw[4] << 32) | dw[3]);
        if (n > 6)
                addx(in, "fill_data", bits(dw[6], 31, 24));
}

static void d_sba(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        if (n > 2)
                addx(in, "general_state_base", addr64(dw, n, 1) & ~0xfffull);
}

static void d_mfx_wait(const uint32_t *dw, unsigned n, unsigned ver, struct gd_instr *in) {
        in->is_wait = true;
        addb(in, "mfx_sync_control", bit(dw[0], 8));
}

/* ---- the table ---- */

#define MI1(op, nm, fn) { MI(op), MI_MASK, nm, 0, 0, 1, 0, 0, 0, fn }
#define MIN_(op, nm, lm, fn) { MI(op), MI_MASK, nm, lm, 2, 0, 0, 0, 0, fn }
#define MIV(op, nm, lm, lo, hi, fn) { MI(op), MI_MASK, nm, lm, 2, 0, lo, hi, 0, fn }
#define MIF(op, nm, fixed, lo, hi, fn) { MI(op), MI_MASK, nm, 0, 0, fixed, lo, hi, 0, fn }
#define B2(op, nm, fn) { BLT(op), BLT_MASK, nm, 0xff, 2, 0, 0, 0, 0, fn }
#define B2V(op, nm, lo, hi, fn) { BLT(op), BLT_MASK, nm, 0xff, 2, 0, lo, hi, 0, fn }
#define G(p, o, s, nm, eng, fn) { GFX(p, o, s), GFX_MASK, nm, 0xff, 2, 0, 0, 0, eng, fn }
#define GV(p, o, s, nm, lo, hi, eng, fn) { GFX(p, o, s), GFX_MASK, nm, 0xff, 2, 0, lo, hi, eng, fn }
#define G1(p, o, s, nm, eng, fn) { GFX(p, o, s), GFX_MASK, nm, 0, 0, 1, 0, 0, eng, fn }
#define GL(p, o, s, nm, lm, eng) { GFX(p, o, s), GFX_MASK, nm, lm, 2, 0, 0, 0, eng, NULL }
#define MF(o, a, b, nm) { MFX(2, o, a, b), GFX_MASK, nm, 0xfff, 2, 0, 0, 0, E_V, NULL }
#define VD(o, c, nm) { VDC(o, c), GFX_MASK, nm, 0xfff, 2, 0, 0, 0, E_V, NULL }
#define VE(o, s, nm) { GFX(2, o, s), GFX_MASK, nm, 0xfff, 2, 0, 0, 0, E_VE, NULL }

static const struct op_def ops[] = {
        /* MI: one dword (opcode < 0x10) */
        MI1(0x00, "MI_NOOP", d_noop),
        MI1(0x01, "MI_SET_PREDICATE", d_set_predicate),
        MI1(0x02, "MI_USER_INTERRUPT", NULL),
        MI1(0x03, "MI_WAIT_FOR_EVENT", d_wait_for_event),
        MIF(0x04, "MI_FLUSH", 1, 0, 599, NULL),
        MI1(0x05, "MI_ARB_CHECK", d_arb_check),
        MI1(0x06, "MI_RS_CONTROL", d_rs),
        MI1(0x07, "MI_REPORT_HEAD", NULL),
        MI1(0x08, "MI_ARB_ON_OFF", d_arb_on_off),
        MIF(0x09, "MI_URB_ATOMIC_ALLOC", 1, 700, 899, NULL),
        MI1(0x0a, "MI_BATCH_BUFFER_END", d_bb_end),
        MI1(0x0b, "MI_SUSPEND_FLUSH", d_suspend),
        MI1(0x0c, "MI_PREDICATE", d_predicate),
        MI1(0x0d, "MI_TOPOLOGY_FILTER", d_topology),
        MI1(0x0e, "MI_SET_APPID", d_set_appid),
        MI1(0x0f, "MI_RS_CONTEXT", d_rs_context),
        /* MI: with a DWord Length field */
        MIN_(0x11, "MI_OVERLAY_FLIP", 0x3f, NULL),
        MIN_(0x12, "MI_LOAD_SCAN_LINES_INCL", 0x3f, d_scan_lines),
        MIN_(0x13, "MI_LOAD_SCAN_LINES_EXCL", 0x3f, d_scan_lines),
        MIN_(0x14, "MI_DISPLAY_FLIP", 0xff, d_display_flip),
        MIV(0x16, "MI_SEMAPHORE_MBOX", 0xff, 600, 799, d_mbox),
        MIN_(0x18, "MI_SET_CONTEXT", 0xff, d_set_context),
        MIN_(0x19, "MI_URB_CLEAR", 0xff, NULL),
        MIN_(0x1a, "MI_MATH", 0xff, d_math),
        MIV(0x1b, "MI_SEMAPHORE_SIGNAL", 0xff, 800, 0, d_sem_signal),
        /* The token field took the high length bits: 9:5 on Xe-LP, 9:2 on Xe2. */
        MIV(0x1c, "MI_SEMAPHORE_WAIT", 0x3, 2000, 0, d_sem_wait),
        MIV(0x1c, "MI_SEMAPHORE_WAIT", 0x1f, 1200, 1999, d_sem_wait),
        MIV(0x1c, "MI_SEMAPHORE_WAIT", 0xff, 0, 1199, d_sem_wait),
        MIN_(0x1d, "MI_FORCE_WAKEUP", 0xff, d_force_wakeup),
        MIN_(0x20, "MI_STORE_DATA_IMM", 0x3ff, d_sdi),
        MIN_(0x21, "MI_STORE_DATA_INDEX", 0xff, d_sdx),
        MIN_(0x22, "MI_LOAD_REGISTER_IMM", 0xff, d_lri),
        MIN_(0x23, "MI_UPDATE_GTT", 0x3ff, d_update_gtt),
        MIN_(0x24, "MI_STORE_REGISTER_MEM", 0xff, d_srm),
        MIN_(0x26, "MI_FLUSH_DW", 0x3f, d_flush_dw),
        MIN_(0x27, "MI_CLFLUSH", 0x3ff, NULL),
        MIN_(0x28, "MI_REPORT_PERF_COUNT", 0x3f, d_report_perf),
        MIN_(0x29, "MI_LOAD_REGISTER_MEM", 0xff, d_lrm),
        MIN_(0x2a, "MI_LOAD_REGISTER_REG", 0xff, d_lrr),
        MIN_(0x2b, "MI_RS_STORE_DATA_IMM", 0xff, d_rs_sdi),
        MIN_(0x2c, "MI_LOAD_URB_MEM", 0xff, NULL),
        MIN_(0x2d, "MI_STORE_URB_MEM", 0xff, NULL),
        MIV(0x2e, "MI_COPY_MEM_MEM", 0xff, 800, 0, d_copy_mem),
        MIV(0x2f, "MI_ATOMIC", 0xff, 800, 0, d_atomic),
        MIN_(0x31, "MI_BATCH_BUFFER_START", 0xff, d_bb_start),
        MIN_(0x36, "MI_CONDITIONAL_BATCH_BUFFER_END", 0xff, d_cond_bb_end),

        /* 2D / blitter */
        B2(0x01, "XY_SETUP_BLT", NULL),
        B2(0x03, "XY_SETUP_CLIP_BLT", NULL),
        B2(0x11, "XY_SETUP_MONO_PATTERN_SL_BLT", NULL),
        B2(0x24, "XY_PIXEL_BLT", NULL),
        B2(0x25, "XY_SCANLINES_BLT", NULL),
        B2(0x26, "XY_TEXT_BLT", NULL),
        B2(0x31, "XY_TEXT_IMMEDIATE_BLT", NULL),
        B2V(0x40, "COLOR_BLT", 0, 899, NULL),
        B2V(0x41, "XY_BLOCK_COPY_BLT", 1200, 0, d_fast_copy),
        B2V(0x42, "XY_FAST_COPY_BLT", 900, 0, d_fast_copy),
        B2V(0x43, "SRC_COPY_BLT", 0, 899, NULL),
        B2V(0x44, "XY_FAST_COLOR_BLT", 1200, 0, NULL),
        B2V(0x48, "XY_CTRL_SURF_COPY_BLT", 1200, 0, NULL),
        B2(0x50, "XY_COLOR_BLT", d_blt_copy),
        B2(0x51, "XY_PAT_BLT", NULL),
        B2(0x52, "XY_MONO_PAT_BLT", NULL),
        B2(0x53, "XY_SRC_COPY_BLT", d_blt_copy),
        B2(0x54, "XY_MONO_SRC_COPY_BLT", NULL),
        B2(0x55, "XY_FULL_BLT", NULL),
        B2(0x56, "XY_FULL_MONO_SRC_BLT", NULL),
        B2(0x57, "XY_FULL_MONO_PATTERN_BLT", NULL),
        B2(0x58, "XY_FULL_MONO_PATTERN_MONO_SRC_BLT", NULL),
        B2(0x59, "XY_MONO_PAT_FIXED_BLT", NULL),
        B2V(0x5a, "MEM_COPY", 1250, 0, d_mem_copy),
        B2V(0x5b, "MEM_SET", 1250, 0, d_mem_set),
        B2(0x71, "XY_MONO_SRC_COPY_IMMEDIATE_BLT", NULL),
        B2(0x72, "XY_PAT_BLT_IMMEDIATE", NULL),
        B2(0x73, "XY_SRC_COPY_CHROMA_BLT", NULL),
        B2(0x74, "XY_FULL_IMMEDIATE_PATTERN_BLT", NULL),
        B2(0x75, "XY_FULL_MONO_SRC_IMMEDIATE_PATTERN_BLT", NULL),
        B2(0x76, "XY_PAT_CHROMA_BLT", NULL),
        B2(0x77, "XY_PAT_CHROMA_BLT_IMMEDIATE", NULL),

        /* GFXPIPE common (pipeline 0) */
        G(0, 0, 0x03, "STATE_PREFETCH", 0, NULL),
        G(0, 1, 0x01, "STATE_BASE_ADDRESS", 0, d_sba),
        G(0, 1, 0x02, "STATE_SIP", 0, NULL),
        GV(0, 1, 0x04, "GPGPU_CSR_BASE_ADDRESS", 800, 0, 0, NULL),
        GV(0, 1, 0x05, "STATE_COMPUTE_MODE", 1200, 0, 0, NULL),
        GV(0, 1, 0x06, "3DSTATE_BTD", 1250, 0, 0, NULL),
        GV(0, 1, 0x09, "STATE_SYSTEM_MEM_FENCE_ADDRESS", 1250, 0, 0, NULL),
        GV(0, 1, 0x0b, "STATE_CONTEXT_DATA_BASE_ADDRESS", 1250, 0, 0, NULL),
        /* pipeline 1: single dword */
        G1(1, 0, 0x0b, "3DSTATE_VF_STATISTICS", 0, NULL),
        G1(1, 1, 0x04, "PIPELINE_SELECT", 0, d_pipeline_select),
        G1(1, 0, 0x00, "MFX_WAIT", E_V, d_mfx_wait),
        /* pipeline 2: media / compute on render and compute engines */
        GV(2, 0, 0x00, "CFE_STATE", 1250, 0, E_RC, NULL),
        GV(2, 0, 0x00, "MEDIA_VFE_STATE", 0, 1249, E_RC, NULL),
        GV(2, 0, 0x01, "MEDIA_CURBE_LOAD", 0, 1249, E_RC, NULL),
        GV(2, 0, 0x02, "MEDIA_INTERFACE_DESCRIPTOR_LOAD", 0, 1249, E_RC, NULL),
        GV(2, 0, 0x03, "MEDIA_GATEWAY_STATE", 0, 1249, E_RC, NULL),
        G(2, 0, 0x04, "MEDIA_STATE_FLUSH", E_RC, NULL),
        GV(2, 1, 0x00, "MEDIA_OBJECT", 0, 1249, E_RC, NULL),
        GV(2, 1, 0x02, "MEDIA_OBJECT_PRT", 0, 1249, E_RC, NULL),
        GV(2, 1, 0x03, "MEDIA_OBJECT_WALKER", 0, 1249, E_RC, NULL),
        GV(2, 1, 0x05, "GPGPU_WALKER", 0, 1249, E_RC, NULL),
        GV(2, 2, 0x02, "COMPUTE_WALKER", 1250, 0, E_RC, NULL),
        /* pipeline 3: 3D state */
        G(3, 0, 0x00, "3DSTATE_DRAWING_RECTANGLE_FAST", E_R, NULL),
        G(3, 0, 0x04, "3DSTATE_CLEAR_PARAMS", E_R, NULL),
        G(3, 0, 0x05, "3DSTATE_DEPTH_BUFFER", E_R, NULL),
        G(3, 0, 0x06, "3DSTATE_STENCIL_BUFFER", E_R, NULL),
        G(3, 0, 0x07, "3DSTATE_HIER_DEPTH_BUFFER", E_R, NULL),
        G(3, 0, 0x08, "3DSTATE_VERTEX_BUFFERS", E_R, NULL),
        G(3, 0, 0x09, "3DSTATE_VERTEX_ELEMENTS", E_R, NULL),
        G(3, 0, 0x0a, "3DSTATE_INDEX_BUFFER", E_R, NULL),
        G(3, 0, 0x0b, "3DSTATE_VF_STATISTICS", E_R, NULL),
        G(3, 0, 0x0c, "3DSTATE_VF", E_R, NULL),
        GV(3, 0, 0x0d, "3DSTATE_MULTISAMPLE", 800, 0, E_R, NULL),
        G(3, 0, 0x0e, "3DSTATE_CC_STATE_POINTERS", E_R, NULL),
        G(3, 0, 0x0f, "3DSTATE_SCISSOR_STATE_POINTERS", E_R, NULL),
        G(3, 0, 0x10, "3DSTATE_VS", E_R, NULL),
        G(3, 0, 0x11, "3DSTATE_GS", E_R, NULL),
        G(3, 0, 0x12, "3DSTATE_CLIP", E_R, NULL),
        G(3, 0, 0x13, "3DSTATE_SF", E_R, NULL),
        G(3, 0, 0x14, "3DSTATE_WM", E_R, NULL),
        G(3, 0, 0x15, "3DSTATE_CONSTANT_VS", E_R, NULL),
        G(3, 0, 0x16, "3DSTATE_CONSTANT_GS", E_R, NULL),
        G(3, 0, 0x17, "3DSTATE_CONSTANT_PS", E_R, NULL),
        G(3, 0, 0x18, "3DSTATE_SAMPLE_MASK", E_R, NULL),
        G(3, 0, 0x19, "3DSTATE_CONSTANT_HS", E_R, NULL),
        G(3, 0, 0x1a, "3DSTATE_CONSTANT_DS", E_R, NULL),
        G(3, 0, 0x1b, "3DSTATE_HS", E_R, NULL),
        G(3, 0, 0x1c, "3DSTATE_TE", E_R, NULL),
        G(3, 0, 0x1d, "3DSTATE_DS", E_R, NULL),
        G(3, 0, 0x1e, "3DSTATE_STREAMOUT", E_R, NULL),
        G(3, 0, 0x1f, "3DSTATE_SBE", E_R, NULL),
        G(3, 0, 0x20, "3DSTATE_PS", E_R, NULL),
        G(3, 0, 0x21, "3DSTATE_VIEWPORT_STATE_POINTERS_SF_CLIP", E_R, NULL),
        G(3, 0, 0x23, "3DSTATE_VIEWPORT_STATE_POINTERS_CC", E_R, NULL),
        G(3, 0, 0x24, "3DSTATE_BLEND_STATE_POINTERS", E_R, NULL),
        G(3, 0, 0x25, "3DSTATE_DEPTH_STENCIL_STATE_POINTERS", E_R, NULL),
        G(3, 0, 0x26, "3DSTATE_BINDING_TABLE_POINTERS_VS", E_R, NULL),
        G(3, 0, 0x27, "3DSTATE_BINDING_TABLE_POINTERS_HS", E_R, NULL),
        G(3, 0, 0x28, "3DSTATE_BINDING_TABLE_POINTERS_DS", E_R, NULL),
        G(3, 0, 0x29, "3DSTATE_BINDING_TABLE_POINTERS_GS", E_R, NULL),
        G(3, 0, 0x2a, "3DSTATE_BINDING_TABLE_POINTERS_PS", E_R, NULL),
        G(3, 0, 0x2b, "3DSTATE_SAMPLER_STATE_POINTERS_VS", E_R, NULL),
        G(3, 0, 0x2c, "3DSTATE_SAMPLER_STATE_POINTERS_HS", E_R, NULL),
        G(3, 0, 0x2d, "3DSTATE_SAMPLER_STATE_POINTERS_DS", E_R, NULL),
        G(3, 0, 0x2e, "3DSTATE_SAMPLER_STATE_POINTERS_GS", E_R, NULL),
        G(3, 0, 0x2f, "3DSTATE_SAMPLER_STATE_POINTERS_PS", E_R, NULL),
        G(3, 0, 0x30, "3DSTATE_URB_VS", E_R, NULL),
        G(3, 0, 0x31, "3DSTATE_URB_HS", E_R, NULL),
        G(3, 0, 0x32, "3DSTATE_URB_DS", E_R, NULL),
        G(3, 0, 0x33, "3DSTATE_URB_GS", E_R, NULL),
        G(3, 0, 0x49, "3DSTATE_VF_INSTANCING", E_R, NULL),
        G(3, 0, 0x4a, "3DSTATE_VF_SGVS", E_R, NULL),
        G(3, 0, 0x4b, "3DSTATE_VF_TOPOLOGY", E_R, NULL),
        G(3, 0, 0x4c, "3DSTATE_WM_CHROMAKEY", E_R, NULL),
        G(3, 0, 0x4d, "3DSTATE_PS_BLEND", E_R, NULL),
        G(3, 0, 0x4e, "3DSTATE_WM_DEPTH_STENCIL", E_R, NULL),
        G(3, 0, 0x4f, "3DSTATE_PS_EXTRA", E_R, NULL),
        G(3, 0, 0x50, "3DSTATE_RASTER", E_R, NULL),
        G(3, 0, 0x51, "3DSTATE_SBE_SWIZ", E_R, NULL),
        G(3, 0, 0x52, "3DSTATE_WM_HZ_OP", E_R, NULL),
        G(3, 0, 0x55, "3DSTATE_VF_COMPONENT_PACKING", E_R, NULL),
        G(3, 0, 0x56, "3DSTATE_VF_SGVS_2", E_R, NULL),
        G(3, 0, 0x6c, "3DSTATE_PRIMITIVE_REPLICATION", E_R, NULL),
        G(3, 0, 0x71, "3DSTATE_DEPTH_BOUNDS", E_R, NULL),
        G(3, 0, 0x77, "3DSTATE_MESH_CONTROL", E_R, NULL),
        G(3, 0, 0x7c, "3DSTATE_TASK_CONTROL", E_R, NULL),
        G(3, 1, 0x00, "3DSTATE_DRAWING_RECTANGLE", E_R, NULL),
        G(3, 1, 0x04, "3DSTATE_CHROMA_KEY", E_R, NULL),
        G(3, 1, 0x06, "3DSTATE_POLY_STIPPLE_OFFSET", E_R, NULL),
        G(3, 1, 0x07, "3DSTATE_POLY_STIPPLE_PATTERN", E_R, NULL),
        G(3, 1, 0x08, "3DSTATE_LINE_STIPPLE", E_R, NULL),
        G(3, 1, 0x0a, "3DSTATE_AA_LINE_PARAMETERS", E_R, NULL),
        G(3, 1, 0x11, "3DSTATE_MONOFILTER_SIZE", E_R, NULL),
        G(3, 1, 0x12, "3DSTATE_PUSH_CONSTANT_ALLOC_VS", E_R, NULL),
        G(3, 1, 0x13, "3DSTATE_PUSH_CONSTANT_ALLOC_HS", E_R, NULL),
        G(3, 1, 0x14, "3DSTATE_PUSH_CONSTANT_ALLOC_DS", E_R, NULL),
        G(3, 1, 0x15, "3DSTATE_PUSH_CONSTANT_ALLOC_GS", E_R, NULL),
        G(3, 1, 0x16, "3DSTATE_PUSH_CONSTANT_ALLOC_PS", E_R, NULL),
        GL(3, 1, 0x17, "3DSTATE_SO_DECL_LIST", 0x1ff, E_R),
        G(3, 1, 0x18, "3DSTATE_SO_BUFFER", E_R, NULL),
        G(3, 1, 0x19, "3DSTATE_BINDING_TABLE_POOL_ALLOC", E_R, NULL),
        G(3, 1, 0x1a, "3DSTATE_GATHER_POOL_ALLOC", E_R, NULL),
        G(3, 1, 0x1c, "3DSTATE_SAMPLE_PATTERN", E_R, NULL),
        G(3, 1, 0x1e, "3DSTATE_3D_MODE", E_R, NULL),
        G(3, 2, 0x00, "PIPE_CONTROL", E_RC, d_pipe_control),
        G(3, 3, 0x00, "3DPRIMITIVE", E_R, d_3dprimitive),

        /* Video (MFX, sub-opcode A/B) */
        MF(0, 0, 0, "MFX_PIPE_MODE_SELECT"),
        MF(0, 0, 1, "MFX_SURFACE_STATE"),
        MF(0, 0, 2, "MFX_PIPE_BUF_ADDR_STATE"),
        MF(0, 0, 3, "MFX_IND_OBJ_BASE_ADDR_STATE"),
        MF(0, 0, 4, "MFX_BSP_BUF_BASE_ADDR_STATE"),
        MF(0, 0, 6, "MFX_STATE_POINTER"),
        MF(0, 0, 7, "MFX_QM_STATE"),
        MF(0, 0, 8, "MFX_FQM_STATE"),
        MF(0, 2, 8, "MFX_PAK_INSERT_OBJECT"),
        MF(0, 1, 9, "MFD_IT_OBJECT"),
        MF(1, 0, 0, "MFX_AVC_IMG_STATE"),
        MF(1, 0, 2, "MFX_AVC_DIRECTMODE_STATE"),
        MF(1, 0, 3, "MFX_AVC_SLICE_STATE"),
        MF(1, 0, 4, "MFX_AVC_REF_IDX_STATE"),
        MF(1, 0, 5, "MFX_AVC_WEIGHTOFFSET_STATE"),
        MF(1, 1, 6, "MFD_AVC_DPB_STATE"),
        MF(1, 1, 7, "MFD_AVC_SLICEADDR"),
        MF(1, 1, 8, "MFD_AVC_BSD_OBJECT"),
        MF(1, 2, 9, "MFC_AVC_PAK_OBJECT"),
        MF(3, 0, 0, "MFX_MPEG2_PIC_STATE"),
        MF(3, 1, 8, "MFD_MPEG2_BSD_OBJECT"),
        MF(7, 0, 0, "MFX_JPEG_PIC_STATE"),
        MF(7, 1, 8, "MFD_JPEG_BSD_OBJECT"),
        /* Video codec layout: opcode 26:23 (1 VDENC, 7 HCP, 0xf VD), command 22:16 */
        VD(7, 0x00, "HCP_PIPE_MODE_SELECT"),
        VD(7, 0x01, "HCP_SURFACE_STATE"),
        VD(7, 0x02, "HCP_PIPE_BUF_ADDR_STATE"),
        VD(7, 0x03, "HCP_IND_OBJ_BASE_ADDR_STATE"),
        VD(7, 0x04, "HCP_QM_STATE"),
        VD(7, 0x05, "HCP_FQM_STATE"),
        VD(7, 0x10, "HCP_PIC_STATE"),
        VD(7, 0x11, "HCP_TILE_STATE"),
        VD(7, 0x12, "HCP_REF_IDX_STATE"),
        VD(7, 0x13, "HCP_WEIGHTOFFSET_STATE"),
        VD(7, 0x14, "HCP_SLICE_STATE"),
        VD(7, 0x20, "HCP_BSD_OBJECT"),
        VD(1, 0x00, "VDENC_PIPE_MODE_SELECT"),
        VD(0xf, 0x00, "VD_PIPELINE_FLUSH"),
        /* Video enhancement (VEBOX) */
        VE(4, 0x00, "VEBOX_SURFACE_STATE"),
        VE(4, 0x02, "VEBOX_STATE"),
        VE(4, 0x03, "VEB_DI_IECP"),
};

static bool ver_ok(const struct op_def *o, unsigned ver) {
        if (ver == 0)
                return true;
        if (o->min_ver && ver < o->min_ver)
                return false;
        if (o->max_ver && ver > o->max_ver)
                return false;
        return true;
}

static bool engine_ok(const struct op_def *o, enum gd_engine_kind ek) {
        if (o->engines == 0 || ek == GD_EK_ANY || ek == GD_EK_OTHER)
                return true;
        return o->engines & (1u << ek);
}

static const struct op_def *lookup(uint32_t h, unsigned ver, enum gd_engine_kind ek) {
        for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
                const struct op_def *o = &ops[i];
                if ((h & o->mask) != o->match)
                        continue;
                /* Pipeline-2 opcodes mean media/compute commands on render and compute engines
                 * but MFX/VEBOX commands on video engines. */
                if (engine_ok(o, ek) && ver_ok(o, ver))
                        return o;
        }
        return NULL;
}

const char *gd_instr_type_name(unsigned type) {
        switch (type) {
        case 0: return "MI";
        case 2: return "2D";
        case 3: return "GFXPIPE";
        default: return "reserved";
        }
}

enum gd_engine_kind gd_engine_kind_from_class(const char *c) {
        if (!c)
                return GD_EK_ANY;
        if (!strcmp(c, "render"))
                return GD_EK_RENDER;
        if (!strcmp(c, "compute"))
                return GD_EK_COMPUTE;
        if (!strcmp(c, "copy"))
                return GD_EK_COPY;
        if (!strcmp(c, "video"))
                return GD_EK_VIDEO;
        if (!strcmp(c, "video-enhance"))
                return GD_EK_VIDEO_ENHANCE;
        if (!strcmp(c, "other"))
                return GD_EK_OTHER;
        return GD_EK_ANY;
}

static uint32_t opcode_bits(uint32_t h) {
        switch (h >> 29) {
        case 0: return h & MI_MASK;
        case 2: return h & BLT_MASK;
        case 3: return h & GFX_MASK;
        default: return h;
        }
}

const char *gd_instr_display_name(const struct gd_instr *in, char *buf, size_t size) {
        if (in->name)
                return in->name;
        snprintf(buf, size, "unknown opcode 0x%08" PRIx32, opcode_bits(in->header));
        return buf;
}

void gd_instr_decode(const uint32_t *dw, size_t n, unsigned ver, enum gd_engine_kind ek,
                     struct gd_instr *out) {
        memset(out, 0, sizeof(*out));
        if (n == 0) {
                out->unknown = true;
                out->length = 1;
                out->truncated = true;
                return;
        }
        uint32_t h = dw[0];
        out->header = h;
        out->type = h >> 29;
        out->length = 1;

        const struct op_def *o = (out->type == 0 || out->type == 2 || out->type == 3)
                                         ? lookup(h, ver, ek) : NULL;
        if (!o) {
                out->unknown = true;
                return;
        }
        out->name = o->name;
        if (o->len_mask)
                out->length = (h & o->len_mask) + o->bias;
        else
                out->length = o->fixed;
        if (out->length > n)
                out->truncated = true;
        if (o->decode) {
                unsigned avail = (unsigned)(n < out->length ? n : out->length);
                o->decode(dw, avail, ver, out);
        }
}

bool gd_instr_table_entry(size_t i, const char **name, uint32_t *match, unsigned *type) {
        if (i >= sizeof(ops) / sizeof(ops[0]))
                return false;
        *name = ops[i].name;
        *match = ops[i].match;
        *type = ops[i].match >> 29;
        return true;
}
