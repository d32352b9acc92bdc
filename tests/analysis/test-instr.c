/* SPDX-License-Identifier: MIT */
/*
 * The instruction decoder on known dwords: every MI command's name, length and fields, the
 * length rules (bias, per-command length masks, per-version differences), GFXPIPE/blitter/video
 * opcodes, and unknown headers (named "unknown opcode 0x...", length 1, flagged).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cmds.h"
#include "commands.h"

static struct gd_instr in;

static const struct gd_instr *dec(const uint32_t *w, size_t n, unsigned ver, enum gd_engine_kind ek) {
        gd_instr_decode(w, n, ver, ek, &in);
        return &in;
}

static const struct gd_field *field(const struct gd_instr *i, const char *name) {
        for (unsigned k = 0; k < i->n_fields; k++)
                if (!strcmp(i->fields[k].name, name))
                        return &i->fields[k];
        return NULL;
}

static uint64_t fval(const struct gd_instr *i, const char *name) {
        const struct gd_field *f = field(i, name);
        ck_assert_msg(f, "field %s missing from %s", name, i->name ? i->name : "(unknown)");
        return f->value;
}

static const char *ftext(const struct gd_instr *i, const char *name) {
        const struct gd_field *f = field(i, name);
        ck_assert_msg(f, "field %s missing from %s", name, i->name ? i->name : "(unknown)");
        ck_assert_int_eq(f->kind, GD_FK_TEXT);
        return f->text;
}

#define EXPECT(words, ver, ek, nm, len)                                                      \
        do {                                                                                 \
                const uint32_t _w[] = words;                                                 \
                const struct gd_instr *_i = dec(_w, sizeof(_w) / 4, ver, ek);                 \
                ck_assert_msg(_i->name && !strcmp(_i->name, nm), "0x%08x: got %s, want %s",   \
                              _w[0], _i->name ? _i->name : "(unknown)", nm);                  \
                ck_assert_uint_eq(_i->length, len);                                          \
                ck_assert(!_i->unknown);                                                     \
        } while (0)
#define W(...) { __VA_ARGS__ }

/* One-dword MI commands: opcode below 0x10, no length field. */
START_TEST(mi_single_dword) {
        EXPECT(W(0x00000000), 1200, GD_EK_RENDER, "MI_NOOP", 1);
        EXPECT(W(0x00800001), 1200, GD_EK_RENDER, "MI_SET_PREDICATE", 1);
        ck_assert_str_eq(ftext(&in, "predicate_enable"), "NOOP_ON_RESULT_CLEAR");
        EXPECT(W(0x01000000), 1200, GD_EK_RENDER, "MI_USER_INTERRUPT", 1);
        EXPECT(W(0x01800000), 1200, GD_EK_RENDER, "MI_WAIT_FOR_EVENT", 1);
        ck_assert(in.is_wait);
        EXPECT(W(0x02800000), 1200, GD_EK_RENDER, "MI_ARB_CHECK", 1);
        EXPECT(W(0x03000001), 1200, GD_EK_RENDER, "MI_RS_CONTROL", 1);
        ck_assert_uint_eq(fval(&in, "enable"), 1);
        EXPECT(W(0x03800000), 1200, GD_EK_RENDER, "MI_REPORT_HEAD", 1);
        EXPECT(W(0x04000001), 1200, GD_EK_RENDER, "MI_ARB_ON_OFF", 1);
        ck_assert_uint_eq(fval(&in, "enable"), 1);
        EXPECT(W(0x04000000), 1200, GD_EK_RENDER, "MI_ARB_ON_OFF", 1);
        ck_assert_uint_eq(fval(&in, "enable"), 0);
        EXPECT(W(0x05000000), 1200, GD_EK_RENDER, "MI_BATCH_BUFFER_END", 1);
        ck_assert_int_eq(in.flow, GD_FLOW_BB_END);
        EXPECT(W(0x05800001), 1200, GD_EK_RENDER, "MI_SUSPEND_FLUSH", 1);
        /* MI_PREDICATE LOADINV | COMBINE_XOR | COMPARE_SRCS_EQUAL */
        EXPECT(W(0x06000000 | (3 << 6) | (3 << 3) | 2), 1200, GD_EK_RENDER, "MI_PREDICATE", 1);
        ck_assert_str_eq(ftext(&in, "load_operation"), "LOADINV");
        ck_assert_str_eq(ftext(&in, "combine_operation"), "XOR");
        ck_assert_str_eq(ftext(&in, "compare_operation"), "SRCS_EQUAL");
        EXPECT(W(0x06800005), 1200, GD_EK_RENDER, "MI_TOPOLOGY_FILTER", 1);
        ck_assert_uint_eq(fval(&in, "topology_filter"), 5);
        EXPECT(W(0x07000042), 1200, GD_EK_RENDER, "MI_SET_APPID", 1);
        ck_assert_uint_eq(fval(&in, "session_id"), 0x42);
        EXPECT(W(0x07800001), 1200, GD_EK_RENDER, "MI_RS_CONTEXT", 1);
        ck_assert_str_eq(ftext(&in, "operation"), "SAVE");
        /* MI_NOOP with an identification */
        EXPECT(W(0x00400123), 1200, GD_EK_RENDER, "MI_NOOP", 1);
        ck_assert_uint_eq(fval(&in, "identification"), 0x123);
}
END_TEST

/* The semaphore wait of the reference dump: poll, SAD_EQ_SDD, 1 at 0x1b0000040. */
START_TEST(mi_semaphore_wait) {
        const uint32_t w[] = { 0x0e00c002, 0x1, 0xb0000040, 0x1 };
        dec(w, 4, 2004, GD_EK_COMPUTE);
        ck_assert_str_eq(in.name, "MI_SEMAPHORE_WAIT");
        ck_assert_uint_eq(in.length, 4);
        ck_assert(in.is_wait && in.is_semaphore);
        ck_assert_uint_eq(in.sem_address, 0x1b0000040ull);
        ck_assert_uint_eq(in.sem_data, 1);
        ck_assert_uint_eq(in.sem_op, GD_SEM_SAD_EQ_SDD);
        ck_assert(in.sem_poll);
        ck_assert(in.ppgtt);
        ck_assert_str_eq(ftext(&in, "compare_operation"), "SAD_EQ_SDD");
        ck_assert_str_eq(ftext(&in, "wait_mode"), "POLL");
        ck_assert_str_eq(ftext(&in, "memory_type"), "PPGTT");
        /* every compare op; GGTT, signal mode */
        static const char *const ops[] = { "SAD_GT_SDD", "SAD_GTE_SDD", "SAD_LT_SDD", "SAD_LTE_SDD",
                                           "SAD_EQ_SDD", "SAD_NEQ_SDD" };
        for (unsigned op = 0; op < 6; op++) {
                const uint32_t v[] = { 0x0e400002 | (op << 12), 7, 0x1000, 0 };
                dec(v, 4, 900, GD_EK_RENDER);
                ck_assert_str_eq(ftext(&in, "compare_operation"), ops[op]);
                ck_assert_str_eq(ftext(&in, "memory_type"), "GGTT");
                ck_assert_str_eq(ftext(&in, "wait_mode"), "SIGNAL");
                ck_assert(!in.ppgtt);
        }
        /* Xe-LP: 5 dwords with a wait token in 9:5 (length field 4:0) */
        const uint32_t t[] = { 0x0e00c000 | (3 << 5) | 3, 1, 0x2000, 0, 0 };
        dec(t, 5, 1200, GD_EK_RENDER);
        ck_assert_uint_eq(in.length, 5);
        ck_assert_uint_eq(fval(&in, "wait_token"), 3);
        /* the same header on gen9 reads the token bits as length: 0x63 + 2 */
        dec(t, 5, 900, GD_EK_RENDER);
        ck_assert_uint_eq(in.length, 0x65);
        ck_assert(in.truncated);
        /* Xe2: token in 9:2, length in 1:0 */
        const uint32_t x[] = { 0x0e00c000 | (0x15 << 2) | 3, 1, 0x2000, 0, 0 };
        dec(x, 5, 2004, GD_EK_RENDER);
        ck_assert_uint_eq(in.length, 5);
        ck_assert_uint_eq(fval(&in, "wait_token"), 0x15);
}
END_TEST

START_TEST(sem_compare) {
        ck_assert(gd_sem_satisfied(GD_SEM_SAD_EQ_SDD, 1, 1));
        ck_assert(!gd_sem_satisfied(GD_SEM_SAD_EQ_SDD, 0, 1));
        ck_assert(gd_sem_satisfied(GD_SEM_SAD_GT_SDD, 2, 1));
        ck_assert(!gd_sem_satisfied(GD_SEM_SAD_GT_SDD, 1, 1));
        ck_assert(gd_sem_satisfied(GD_SEM_SAD_GTE_SDD, 1, 1));
        ck_assert(gd_sem_satisfied(GD_SEM_SAD_LT_SDD, 0, 1));
        ck_assert(gd_sem_satisfied(GD_SEM_SAD_LTE_SDD, 1, 1));
        ck_assert(!gd_sem_satisfied(GD_SEM_SAD_LTE_SDD, 2, 1));
        ck_assert(gd_sem_satisfied(GD_SEM_SAD_NEQ_SDD, 0, 1));
        ck_assert(!gd_sem_satisfied(7, 0, 1));
        ck_assert_str_eq(gd_sem_op_symbol(GD_SEM_SAD_LT_SDD), "<");
}
END_TEST

START_TEST(mi_with_length) {
        /* MI_BATCH_BUFFER_START gen8+: 3 dwords, 48-bit address, second level, PPGTT */
        const uint32_t bb[] = { 0x18800101 | (1 << 22), 0xdead0000, 0x1 };
        dec(bb, 3, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_BATCH_BUFFER_START");
        ck_assert_uint_eq(in.length, 3);
        ck_assert_int_eq(in.flow, GD_FLOW_BB_START);
        ck_assert_uint_eq(in.target, 0x1dead0000ull);
        ck_assert(in.second_level);
        ck_assert(in.ppgtt);
        ck_assert_str_eq(ftext(&in, "address_space"), "PPGTT");
        /* gen7: 2 dwords, GGTT */
        const uint32_t bb7[] = { 0x18800000, 0x00100000 };
        dec(bb7, 2, 700, GD_EK_RENDER);
        ck_assert_uint_eq(in.length, 2);
        ck_assert_uint_eq(in.target, 0x100000);
        ck_assert(!in.second_level);

        /* MI_STORE_DATA_IMM: 4 dwords, GGTT, value */
        const uint32_t sdi[] = { 0x10400002, 0x1000, 0x0, 0xcafe };
        dec(sdi, 4, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_STORE_DATA_IMM");
        ck_assert_uint_eq(in.length, 4);
        ck_assert_uint_eq(fval(&in, "ggtt"), 1);
        ck_assert_uint_eq(fval(&in, "address"), 0x1000);
        ck_assert_uint_eq(fval(&in, "data"), 0xcafe);
        /* qword store: length 5, store_qword */
        const uint32_t sdq[] = { 0x10200003, 0x1000, 0x0, 1, 2 };
        dec(sdq, 5, 1200, GD_EK_RENDER);
        ck_assert_uint_eq(in.length, 5);
        ck_assert_uint_eq(fval(&in, "store_qword"), 1);

        /* MI_STORE_DATA_INDEX */
        const uint32_t sdx[] = { 0x10800001, 0x40, 0x55 };
        dec(sdx, 3, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_STORE_DATA_INDEX");
        ck_assert_uint_eq(in.length, 3);
        ck_assert_uint_eq(fval(&in, "offset"), 0x40);

        /* MI_LOAD_REGISTER_IMM of 2 registers: 1 + 2 * 2 = 5 dwords (length field 3) */
        const uint32_t lri[] = { 0x11000003, 0x2244, 0x1, 0x2248, 0x2 };
        dec(lri, 5, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_LOAD_REGISTER_IMM");
        ck_assert_uint_eq(in.length, 5);
        ck_assert_uint_eq(fval(&in, "registers"), 2);
        ck_assert_uint_eq(fval(&in, "register1"), 0x2248);
        ck_assert_uint_eq(fval(&in, "value1"), 2);

        EXPECT(W(0x11800001, 0x1000, 0), 1200, GD_EK_RENDER, "MI_UPDATE_GTT", 3);
        const uint32_t srm[] = { 0x12400002, 0x2358, 0x2000, 0x0 };
        dec(srm, 4, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_STORE_REGISTER_MEM");
        ck_assert_uint_eq(in.length, 4);
        ck_assert_uint_eq(fval(&in, "register"), 0x2358);
        ck_assert_uint_eq(fval(&in, "address"), 0x2000);

        /* MI_FLUSH_DW: post-sync write immediate, TLB invalidate */
        const uint32_t fl[] = { 0x13000000 | (1 << 14) | (1 << 18) | 2, 0x3000 | 4, 0, 0x77 };
        dec(fl, 4, 1200, GD_EK_COPY);
        ck_assert_str_eq(in.name, "MI_FLUSH_DW");
        ck_assert_uint_eq(in.length, 4);
        ck_assert_str_eq(ftext(&in, "post_sync_operation"), "WRITE_IMMEDIATE");
        ck_assert_uint_eq(fval(&in, "tlb_invalidate"), 1);
        ck_assert_uint_eq(fval(&in, "address"), 0x3000);
        ck_assert_uint_eq(fval(&in, "ggtt"), 1);

        EXPECT(W(0x14000002, 0x2000, 0, 0x1), 1200, GD_EK_RENDER, "MI_REPORT_PERF_COUNT", 4);
        const uint32_t lrm[] = { 0x14a00002, 0x2600, 0x4000, 0 };
        dec(lrm, 4, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_LOAD_REGISTER_MEM");
        ck_assert_uint_eq(fval(&in, "async"), 1);
        ck_assert_uint_eq(fval(&in, "register"), 0x2600);
        const uint32_t lrr[] = { 0x15000001, 0x2600, 0x2604 };
        dec(lrr, 3, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_LOAD_REGISTER_REG");
        ck_assert_uint_eq(fval(&in, "source_register"), 0x2600);
        ck_assert_uint_eq(fval(&in, "destination_register"), 0x2604);
        EXPECT(W(0x15800002, 0x1000, 0, 0x5), 1200, GD_EK_RENDER, "MI_RS_STORE_DATA_IMM", 4);
        EXPECT(W(0x16000001, 0x1, 0x2), 1200, GD_EK_RENDER, "MI_LOAD_URB_MEM", 3);
        EXPECT(W(0x16800001, 0x1, 0x2), 1200, GD_EK_RENDER, "MI_STORE_URB_MEM", 3);

        /* MI_COPY_MEM_MEM: destination then source */
        const uint32_t cmm[] = { 0x17000003, 0x5000, 0, 0x6000, 0 };
        dec(cmm, 5, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_COPY_MEM_MEM");
        ck_assert_uint_eq(in.length, 5);
        ck_assert_uint_eq(fval(&in, "destination"), 0x5000);
        ck_assert_uint_eq(fval(&in, "source"), 0x6000);

        /* MI_ATOMIC ADD, inline data, dword */
        const uint32_t at[] = { 0x17800000 | (1 << 18) | (0x07 << 8) | 9, 0x7000, 0, 1, 0, 0, 0, 0, 0, 0, 0 };
        dec(at, 11, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_ATOMIC");
        ck_assert_uint_eq(in.length, 11);
        ck_assert_str_eq(ftext(&in, "atomic_opcode"), "ADD");
        ck_assert_str_eq(ftext(&in, "data_size"), "DWORD");

        /* MI_CONDITIONAL_BATCH_BUFFER_END */
        const uint32_t cbe[] = { 0x1b000002, 0x10, 0x8000, 0 };
        dec(cbe, 4, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_CONDITIONAL_BATCH_BUFFER_END");
        ck_assert_int_eq(in.flow, GD_FLOW_COND_END);
        ck_assert_uint_eq(fval(&in, "compare_address"), 0x8000);

        /* MI_MATH with 3 ALU instructions: LOAD SRCA R0, LOAD SRCB R1, ADD */
        const uint32_t m[] = { 0x0d000002, 0x08008000, 0x08408001, 0x10000000 };
        dec(m, 4, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "MI_MATH");
        ck_assert_uint_eq(in.length, 4);
        ck_assert_uint_eq(fval(&in, "alu_instructions"), 3);
        ck_assert_str_eq(ftext(&in, "alu0"), "LOAD");
        ck_assert_str_eq(ftext(&in, "alu2"), "ADD");

        /* MI_SEMAPHORE_SIGNAL (2 dwords) */
        EXPECT(W(0x0d800000, 0x11), 1200, GD_EK_RENDER, "MI_SEMAPHORE_SIGNAL", 2);
        ck_assert_uint_eq(fval(&in, "target_context_id"), 0x11);
        /* MI_FORCE_WAKEUP */
        EXPECT(W(0x0e800000, 0x00010001), 1200, GD_EK_VIDEO, "MI_FORCE_WAKEUP", 2);
        ck_assert_uint_eq(fval(&in, "mask"), 1);
        /* MI_SET_CONTEXT */
        EXPECT(W(0x0c000000, 0x00fe4000 | (1 << 8) | 1), 800, GD_EK_RENDER, "MI_SET_CONTEXT", 2);
        ck_assert_uint_eq(fval(&in, "context_address"), 0xfe4000);
        ck_assert_uint_eq(fval(&in, "restore_inhibit"), 1);
        /* display commands */
        EXPECT(W(0x09000000 | (1 << 19), 0x00100010), 900, GD_EK_RENDER, "MI_LOAD_SCAN_LINES_INCL", 2);
        ck_assert_uint_eq(fval(&in, "display_plane"), 1);
        ck_assert_uint_eq(fval(&in, "start_scan_line"), 0x10);
        EXPECT(W(0x09800000, 0x0), 900, GD_EK_RENDER, "MI_LOAD_SCAN_LINES_EXCL", 2);
        EXPECT(W(0x0a000001, 0x1000, 0x200000), 900, GD_EK_RENDER, "MI_DISPLAY_FLIP", 3);
        ck_assert_uint_eq(fval(&in, "base_address"), 0x200000);
        EXPECT(W(0x08800000, 0), 900, GD_EK_RENDER, "MI_OVERLAY_FLIP", 2);
        /* gone from gen9 on (genxml's gen9 excludes it) */
        EXPECT(W(0x0c800000, 0), 800, GD_EK_RENDER, "MI_URB_CLEAR", 2);
        EXPECT(W(0x13800001, 0x1000, 0), 900, GD_EK_RENDER, "MI_CLFLUSH", 3);
        /* per-version: MI_SEMAPHORE_MBOX exists on gen6/7 only; MI_FLUSH before gen6 */
        EXPECT(W(0x0b000001, 0x1, 0x0), 700, GD_EK_RENDER, "MI_SEMAPHORE_MBOX", 3);
        dec((const uint32_t[]){ 0x0b000001, 0x1, 0x0 }, 3, 1200, GD_EK_RENDER);
        ck_assert(in.unknown);
        EXPECT(W(0x02000000), 500, GD_EK_RENDER, "MI_FLUSH", 1);
        EXPECT(W(0x02000000), 705, GD_EK_RENDER, "MI_FLUSH", 1);
        dec((const uint32_t[]){ 0x02000000 }, 1, 900, GD_EK_RENDER);
        ck_assert(in.unknown);
        /* gen11 reused the opcode for the second wait-for-event */
        EXPECT(W(0x02000000), 1200, GD_EK_RENDER, "MI_WAIT_FOR_EVENT_2", 1);
        ck_assert(in.is_wait);
}
END_TEST

START_TEST(unknown_opcode) {
        char buf[48];
        /* MI opcode 0x3f is not a command */
        const uint32_t u[] = { 0x1f800005, 1, 2 };
        dec(u, 3, 1200, GD_EK_RENDER);
        ck_assert(u[0] && in.unknown);
        ck_assert_ptr_null(in.name);
        ck_assert_uint_eq(in.length, 1);
        ck_assert_str_eq(gd_instr_display_name(&in, buf, sizeof(buf)), "unknown opcode 0x1f800000");
        /* reserved command types 1, 4-7 */
        dec((const uint32_t[]){ 0x2abcdef0 }, 1, 1200, GD_EK_RENDER);
        ck_assert(in.unknown);
        ck_assert_uint_eq(in.type, 1);
        ck_assert_str_eq(gd_instr_type_name(in.type), "reserved");
        ck_assert_str_eq(gd_instr_display_name(&in, buf, sizeof(buf)), "unknown opcode 0x2abcdef0");
        dec((const uint32_t[]){ 0xdeadbeef }, 1, 0, GD_EK_ANY);
        ck_assert(in.unknown);
        ck_assert_uint_eq(in.length, 1);
        /* GFXPIPE with an unknown sub-opcode */
        dec((const uint32_t[]){ 0x78ff0003 }, 1, 1200, GD_EK_RENDER);
        ck_assert(in.unknown);
        ck_assert_str_eq(gd_instr_display_name(&in, buf, sizeof(buf)), "unknown opcode 0x78ff0000");
        /* no dwords at all */
        gd_instr_decode(NULL, 0, 1200, GD_EK_RENDER, &in);
        ck_assert(in.unknown && in.truncated);
}
END_TEST

START_TEST(truncated) {
        /* a 3DSTATE_VS claiming 9 dwords with only 2 available */
        dec((const uint32_t[]){ 0x78100007, 0 }, 2, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "3DSTATE_VS");
        ck_assert_uint_eq(in.length, 9);
        ck_assert(in.truncated);
        /* PIPE_CONTROL with one dword: decoders must not read past n */
        dec((const uint32_t[]){ 0x7a000004 }, 1, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "PIPE_CONTROL");
        ck_assert(in.truncated);
        ck_assert_uint_eq(in.n_fields, 0);
}
END_TEST

START_TEST(gfxpipe) {
        /* PIPE_CONTROL: 6 dwords, CS stall + post-sync write immediate, GGTT */
        const uint32_t pc[] = { 0x7a000004, (1 << 20) | (1 << 14) | (1 << 24) | (1 << 12), 0x9000, 0, 0x42, 0 };
        dec(pc, 6, 1200, GD_EK_RENDER);
        ck_assert_str_eq(in.name, "PIPE_CONTROL");
        ck_assert_uint_eq(in.length, 6);
        ck_assert_uint_eq(fval(&in, "cs_stall"), 1);
        ck_assert_uint_eq(fval(&in, "render_target_cache_flush"), 1);
        ck_assert_str_eq(ftext(&in, "post_sync_operation"), "WRITE_IMMEDIATE");
        ck_assert_str_eq(ftext(&in, "destination_address_type"), "GGTT");
        ck_assert_uint_eq(fval(&in, "address"), 0x9000);
        ck_assert_uint_eq(fval(&in, "immediate_data"), 0x42);
        /* PIPELINE_SELECT is one dword */
        EXPECT(W(0x69040302), 1200, GD_EK_RENDER, "PIPELINE_SELECT", 1);
        ck_assert_str_eq(ftext(&in, "pipeline"), "GPGPU");
        EXPECT(W(0x680b0001), 1200, GD_EK_RENDER, "3DSTATE_VF_STATISTICS", 1);
        EXPECT(W(0x61010014), 1200, GD_EK_RENDER, "STATE_BASE_ADDRESS", 22);
        EXPECT(W(0x7b000005, 0x104, 3, 0, 1, 0, 0), 1200, GD_EK_RENDER, "3DPRIMITIVE", 7);
        ck_assert_uint_eq(fval(&in, "topology"), 4);
        ck_assert_uint_eq(fval(&in, "vertex_count_per_instance"), 3);
        EXPECT(W(0x78200000 | 10), 1200, GD_EK_RENDER, "3DSTATE_PS", 12);
        EXPECT(W(0x79000002), 1200, GD_EK_RENDER, "3DSTATE_DRAWING_RECTANGLE", 4);
        /* 3DSTATE_SO_DECL_LIST has a 9-bit length */
        EXPECT(W(0x79170100), 1200, GD_EK_RENDER, "3DSTATE_SO_DECL_LIST", 0x102);
        /* compute */
        /* CFE sub-opcode 2 in 23:18 (genxml), so 0x7208 */
        EXPECT(W(0x72080025), 1255, GD_EK_COMPUTE, "COMPUTE_WALKER", 0x27);
        EXPECT(W(0x71050000 | 13), 900, GD_EK_RENDER, "GPGPU_WALKER", 15);
        /* 0x7000: MEDIA_VFE_STATE before 12.5, MFX_PIPE_MODE_SELECT on vcs; CFE_STATE is
         * compute opcode 2 (0x7200) */
        EXPECT(W(0x70000007), 900, GD_EK_RENDER, "MEDIA_VFE_STATE", 9);
        EXPECT(W(0x72000004), 1255, GD_EK_COMPUTE, "CFE_STATE", 6);
        EXPECT(W(0x70000003), 1200, GD_EK_VIDEO, "MFX_PIPE_MODE_SELECT", 5);
        EXPECT(W(0x7000000f, 0), 1200, GD_EK_VIDEO, "MFX_PIPE_MODE_SELECT", 17);
        EXPECT(W(0x71280003), 1200, GD_EK_VIDEO, "MFD_AVC_BSD_OBJECT", 5);
        EXPECT(W(0x73800004), 1200, GD_EK_VIDEO, "HCP_PIPE_MODE_SELECT", 6);
        EXPECT(W(0x73a00001), 1200, GD_EK_VIDEO, "HCP_BSD_OBJECT", 3);
        EXPECT(W(0x77800000), 1200, GD_EK_VIDEO, "VD_PIPELINE_FLUSH", 2);
        EXPECT(W(0x68000100), 1200, GD_EK_VIDEO, "MFX_WAIT", 1);
        ck_assert(in.is_wait);
        EXPECT(W(0x74020010), 1200, GD_EK_VIDEO_ENHANCE, "VEBOX_STATE", 0x12);
        EXPECT(W(0x61050001), 1200, GD_EK_COMPUTE, "STATE_COMPUTE_MODE", 3);
}
END_TEST

START_TEST(blitter) {
        /* XY_SRC_COPY_BLT gen8+: 10 dwords */
        const uint32_t sc[] = { 0x54c00008, 0x03cc1000, 0x00000000, 0x00100040, 0x10000, 0, 0, 0x1000, 0x20000, 0 };
        dec(sc, 10, 900, GD_EK_COPY);
        ck_assert_str_eq(in.name, "XY_SRC_COPY_BLT");
        ck_assert_uint_eq(in.length, 10);
        ck_assert_uint_eq(fval(&in, "x2"), 0x40);
        ck_assert_uint_eq(fval(&in, "y2"), 0x10);
        EXPECT(W(0x54000005), 900, GD_EK_COPY, "XY_COLOR_BLT", 7);
        const uint32_t fc[] = { 0x50800008, 0x3000000 | 4096, 0, 0x00100400, 0x1000, 0x1, 0, 4096, 0x8000, 0x2 };
        dec(fc, 10, 1200, GD_EK_COPY);
        ck_assert_str_eq(in.name, "XY_FAST_COPY_BLT");
        ck_assert_uint_eq(fval(&in, "destination_address"), 0x100001000ull);
        ck_assert_uint_eq(fval(&in, "source_address"), 0x200008000ull);
        EXPECT(W(0x50400014), 1200, GD_EK_COPY, "XY_BLOCK_COPY_BLT", 22);
        EXPECT(W(0x5100000e), 1200, GD_EK_COPY, "XY_FAST_COLOR_BLT", 16);
        EXPECT(W(0x56800008, 0xfff, 0, 0, 0x1000, 0x1, 0, 0x2000, 0x1, 0), 1255, GD_EK_COPY, "MEM_COPY", 10);
        ck_assert_uint_eq(fval(&in, "width"), 0x1000);
        EXPECT(W(0x56c00005, 0xfff, 0, 0x3000, 0x1, 0, 0xab000000), 1255, GD_EK_COPY, "MEM_SET", 7);
        ck_assert_uint_eq(fval(&in, "fill_data"), 0xab);
        EXPECT(W(0x52000001), 1200, GD_EK_COPY, "XY_CTRL_SURF_COPY_BLT", 3);
        /* COLOR_BLT existed before gen9 only */
        EXPECT(W(0x50000003), 800, GD_EK_COPY, "COLOR_BLT", 5);
        dec((const uint32_t[]){ 0x50000003 }, 1, 1200, GD_EK_COPY);
        ck_assert(in.unknown);
}
END_TEST

/* The issue asks for at least 25 MI commands and 60 others, each with a distinct name. */
START_TEST(table_coverage) {
        const char *name;
        uint32_t match;
        unsigned type, n_mi = 0, n_other = 0;
        static const char *seen[4096];
        unsigned n_seen = 0;
        for (size_t i = 0; gd_instr_table_entry(i, &name, &match, &type); i++) {
                bool dup = false;
                for (unsigned k = 0; k < n_seen; k++)
                        dup |= !strcmp(seen[k], name);
                if (dup)
                        continue;
                ck_assert_uint_lt(n_seen, 4096);
                seen[n_seen++] = name;
                if (type == 0)
                        n_mi++;
                else
                        n_other++;
                /* every entry decodes back to itself on some engine/version */
                gd_instr_decode(&match, 1, 0, GD_EK_ANY, &in);
        }
        ck_assert_uint_ge(n_mi, 25);
        ck_assert_uint_ge(n_other, 60);
}
END_TEST

/* The lookup bisects on bits 31:24: every table sorted by them, every mask covering them, within
 * a run the more specific masks first, and version ranges inside the table's. */
START_TEST(tables_sorted) {
        const struct gd_cmd_table *const *t;
        size_t nt = gd_cmd_tables(&t);
        ck_assert_uint_eq(nt, 9);
        unsigned prev_max = 0;
        for (size_t i = 0; i < nt; i++) {
                ck_assert_uint_gt(t[i]->n_defs, 50);
                ck_assert_uint_gt(t[i]->min_ver, prev_max);
                prev_max = t[i]->max_ver;
                for (size_t j = 0; j < t[i]->n_defs; j++) {
                        const struct gd_cmd_def *d = &t[i]->defs[j];
                        ck_assert_msg((d->mask & 0xff000000u) == 0xff000000u, "%s", d->name);
                        ck_assert_uint_eq(d->match & ~d->mask, 0);
                        ck_assert_msg(d->min_ver >= t[i]->min_ver && d->max_ver <= t[i]->max_ver &&
                                              d->min_ver <= d->max_ver,
                                      "%s %s", t[i]->family, d->name);
                        ck_assert(d->len_mask || d->fixed >= 1);
                        ck_assert_uint_lt(d->hook, GD_HOOK__MAX);
                        ck_assert_uint_le(d->n_fields, GD_INSTR_MAX_FIELDS);
                        for (unsigned a = 0; a < d->n_fields; a++) {
                                ck_assert(d->fields[a].start <= d->fields[a].end &&
                                          d->fields[a].end - d->fields[a].start < 64);
                                for (unsigned b = a + 1; b < d->n_fields; b++)
                                        ck_assert_msg(strcmp(d->fields[a].name, d->fields[b].name),
                                                      "%s: field %s twice", d->name, d->fields[a].name);
                        }
                        if (j == 0)
                                continue;
                        const struct gd_cmd_def *p = &t[i]->defs[j - 1];
                        ck_assert_msg(p->match >> 24 <= d->match >> 24, "%s after %s", d->name, p->name);
                        if (p->match >> 24 == d->match >> 24)
                                ck_assert_msg(__builtin_popcount(p->mask) >= __builtin_popcount(d->mask),
                                              "%s after %s", d->name, p->name);
                }
        }
}
END_TEST

/* The commands of the GM45 error state that lost the walk (issue 9): gen4 3D state. GM45 is
 * graphics version 4.5, written 405 as the model writes it. */
START_TEST(gen4_5) {
        EXPECT(W(0x60000001, 0, 0), 405, GD_EK_RENDER, "URB_FENCE", 3);
        EXPECT(W(0x60020000, 0), 405, GD_EK_RENDER, "CONSTANT_BUFFER", 2);
        EXPECT(W(0x60010000, 0), 405, GD_EK_RENDER, "CS_URB_STATE", 2);
        EXPECT(W(0x61010004, 0, 0, 0, 0, 0), 405, GD_EK_RENDER, "STATE_BASE_ADDRESS", 6);
        EXPECT(W(0x69040000), 405, GD_EK_RENDER, "PIPELINE_SELECT", 1);
        EXPECT(W(0x61040000), 400, GD_EK_RENDER, "PIPELINE_SELECT", 1);
        EXPECT(W(0x78000005, 0, 0, 0, 0, 0, 0), 405, GD_EK_RENDER, "3DSTATE_PIPELINED_POINTERS", 7);
        EXPECT(W(0x79050004, 0, 0, 0, 0, 0), 405, GD_EK_RENDER, "3DSTATE_DEPTH_BUFFER", 6);
        EXPECT(W(0x7a000002, 0, 0, 0), 405, GD_EK_RENDER, "PIPE_CONTROL", 4);
        EXPECT(W(0x7b001004, 0, 0, 0, 0, 0), 405, GD_EK_RENDER, "3DPRIMITIVE", 6);
        EXPECT(W(0x18800000, 0x1000), 405, GD_EK_RENDER, "MI_BATCH_BUFFER_START", 2);
        ck_assert_uint_eq(in.target, 0x1000);
        /* the kernel's gen4/5 start: MI_BATCH_GTT (2 << 6) | MI_BATCH_NON_SECURE_I965 (1 << 8),
         * two dwords although bit 7 lies in a gen6+ length field */
        EXPECT(W(0x18800180, 0x43c000), 500, GD_EK_RENDER, "MI_BATCH_BUFFER_START", 2);
        ck_assert_uint_eq(in.target, 0x43c000);
        ck_assert_str_eq(ftext(&in, "address_space"), "GGTT");
        ck_assert_uint_eq(fval(&in, "non_secure"), 1);
        ck_assert(!in.ppgtt && !in.second_level);
        EXPECT(W(0x7a000003, 0, 0, 0, 0), 500, GD_EK_RENDER, "PIPE_CONTROL", 5);
        EXPECT(W(0x79100001, 0, 0), 500, GD_EK_RENDER, "3DSTATE_CLEAR_PARAMS", 3);
        /* gen4 MI_FLUSH and the 2D engine on the render ring */
        EXPECT(W(0x02000000), 405, GD_EK_RENDER, "MI_FLUSH", 1);
        EXPECT(W(0x54c00006, 0, 0, 0, 0, 0, 0, 0), 500, GD_EK_RENDER, "XY_SRC_COPY_BLT", 8);
        /* gen4/5 PIPE_CONTROL keeps its flags in dword 0 (the real Ironlake ring's first one) */
        EXPECT(W(0x7a005402, 0x00024004, 0x0000fb7c, 0), 500, GD_EK_RENDER, "PIPE_CONTROL", 4);
        ck_assert_uint_eq(fval(&in, "post_sync_operation"), 1);
        ck_assert_uint_eq(fval(&in, "write_cache_flush"), 1);
        ck_assert_uint_eq(fval(&in, "texture_cache_flush_enable"), 1);
        ck_assert_uint_eq(fval(&in, "address"), 0x24000);
        ck_assert_uint_eq(fval(&in, "destination_address_type"), 1);
        /* gen4-7 blits and base addresses are 32-bit */
        EXPECT(W(0x54c00006, 0x03cc0000, 0, 0x00100010, 0x00200000, 0, 0x100, 0x00300000), 500,
               GD_EK_RENDER, "XY_SRC_COPY_BLT", 8);
        ck_assert_uint_eq(fval(&in, "destination_address"), 0x200000);
        EXPECT(W(0x61010008, 0x00847001, 0x003fa001, 0, 0, 0, 0, 0, 0, 0), 700, GD_EK_RENDER,
               "STATE_BASE_ADDRESS", 10);
        ck_assert_uint_eq(fval(&in, "general_state_base"), 0x847000);
        EXPECT(W(0x7a000003, 0x00104000, 0x9004, 0x42, 0), 700, GD_EK_RENDER, "PIPE_CONTROL", 5);
        ck_assert_uint_eq(fval(&in, "address"), 0x9000);
        ck_assert_uint_eq(fval(&in, "immediate_data"), 0x42);
        EXPECT(W(0x13000002, 0x1004, 0x7, 0), 700, GD_EK_COPY, "MI_FLUSH_DW", 4);
        ck_assert_uint_eq(fval(&in, "address"), 0x1000);
        ck_assert_uint_eq(fval(&in, "data"), 7);
        /* URB_FENCE is gone from gen6 on */
        dec((const uint32_t[]){ 0x60000001, 0, 0 }, 3, 600, GD_EK_RENDER);
        ck_assert(in.unknown);
}
END_TEST

START_TEST(gen2_3) {
        EXPECT(W(0x7d040021, 0, 0), 300, GD_EK_RENDER, "3DSTATE_LOAD_STATE_IMMEDIATE_1", 3);
        EXPECT(W(0x7d8e0001, 0, 0), 300, GD_EK_RENDER, "3DSTATE_BUFFER_INFO", 3);
        EXPECT(W(0x7d800003, 0, 0, 0, 0), 300, GD_EK_RENDER, "3DSTATE_DRAWING_RECTANGLE", 5);
        EXPECT(W(0x7d070100, 0, 0), 300, GD_EK_RENDER, "3DSTATE_LOAD_INDIRECT", 1);
        EXPECT(W(0x7c880000), 300, GD_EK_RENDER, "3DSTATE_DEPTH_SUBRECTANGLE_DISABLE", 1);
        EXPECT(W(0x66000000), 300, GD_EK_RENDER, "3DSTATE_ANTI_ALIASING", 1);
        EXPECT(W(0x66000000), 200, GD_EK_RENDER, "3DSTATE_AA", 1);
        /* inline vertices: 17:0 + 2; a sequential index list: 2; counted indices: two a dword */
        EXPECT(W(0x7f000002, 0, 0, 0), 300, GD_EK_RENDER, "3DPRIMITIVE", 4);
        EXPECT(W(0x7f800005, 0), 300, GD_EK_RENDER, "3DPRIMITIVE", 2);
        EXPECT(W(0x7f820005, 0, 0, 0), 300, GD_EK_RENDER, "3DPRIMITIVE", 4);
        /* an index list up to the 0xffff terminator */
        EXPECT(W(0x7f820000, 0x00010000, 0xffff0002, 0x02000000), 300, GD_EK_RENDER, "3DPRIMITIVE", 3);
        EXPECT(W(0x18800000, 0x1000), 300, GD_EK_RENDER, "MI_BATCH_BUFFER_START", 2);
        EXPECT(W(0x18000001, 0x1000, 0x2000), 300, GD_EK_RENDER, "MI_BATCH_BUFFER", 3);
}
END_TEST

/* Fields from the table where no hand-written decoder is: the position genxml gives. */
START_TEST(table_fields) {
        /* COMPUTE_WALKER's body and its interface descriptor are inlined at their place: thread
         * group X dimension in dword 7, the post-sync address in dwords 28-29 (Xe2) */
        uint32_t w[40] = { 0x72080026 };
        w[7] = 64;
        w[28] = 0x1000;
        w[29] = 0x2;
        dec(w, 40, 2004, GD_EK_COMPUTE);
        ck_assert_str_eq(in.name, "COMPUTE_WALKER");
        ck_assert_uint_eq(in.length, 40);
        ck_assert_uint_eq(fval(&in, "thread_group_id_x_dimension"), 64);
        ck_assert_uint_eq(fval(&in, "post_sync_destination_address"), 0x200001000ull);
        /* XY_FAST_COLOR_BLT (Xe-LP) has no hand-written decoder: its fields come from genxml */
        const uint32_t b[16] = { 0x5100000e, 0x0000007f, 0x00100010, 0x00200020, 0x12345000, 0x1 };
        dec(b, 16, 1200, GD_EK_COPY);
        ck_assert_str_eq(in.name, "XY_FAST_COLOR_BLT");
        ck_assert_uint_eq(in.length, 16);
        ck_assert_uint_eq(fval(&in, "destination_x1"), 0x10);
        ck_assert_uint_eq(fval(&in, "destination_y2"), 0x20);
        ck_assert_uint_eq(fval(&in, "destination_base_address"), 0x112345000ull);
}
END_TEST

START_TEST(engine_kinds) {
        ck_assert_int_eq(gd_engine_kind_from_class("compute"), GD_EK_COMPUTE);
        ck_assert_int_eq(gd_engine_kind_from_class("video-enhance"), GD_EK_VIDEO_ENHANCE);
        ck_assert_int_eq(gd_engine_kind_from_class(NULL), GD_EK_ANY);
        ck_assert_int_eq(gd_engine_kind_from_class("bogus"), GD_EK_ANY);
}
END_TEST

/* Random words on every version and engine: never a length of 0, never a field read past the
 * dwords given (valgrind checks the reads), names or the unknown flag, nothing else. */
START_TEST(random_words) {
        static const unsigned vers[] = { 0, 500, 700, 800, 900, 1100, 1200, 1255, 1270, 2004, 3000 };
        uint32_t buf[8];
        uint64_t x = 0x9e3779b97f4a7c15ull;
        for (unsigned iter = 0; iter < 20000; iter++) {
                size_t n = 1 + iter % 8;
                for (size_t k = 0; k < n; k++) {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        buf[k] = (uint32_t)x;
                }
                /* bias towards the interesting command types */
                if (iter & 1)
                        buf[0] = (buf[0] & 0x1fffffff) | ((iter % 4 == 1 ? 0u : 3u) << 29);
                dec(buf, n, vers[iter % 11], (enum gd_engine_kind)(iter % 7));
                ck_assert_uint_ge(in.length, 1);
                ck_assert(in.name || in.unknown);
                ck_assert(!in.unknown || in.length == 1);
                ck_assert_uint_le(in.n_fields, GD_INSTR_MAX_FIELDS);
                ck_assert_int_eq(in.truncated, in.length > n);
                for (unsigned k = 0; k < in.n_fields; k++)
                        ck_assert_ptr_nonnull(in.fields[k].name);
        }
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("instr");
        TCase *tc = tcase_create("decode");
        tcase_add_test(tc, mi_single_dword);
        tcase_add_test(tc, mi_semaphore_wait);
        tcase_add_test(tc, sem_compare);
        tcase_add_test(tc, mi_with_length);
        tcase_add_test(tc, unknown_opcode);
        tcase_add_test(tc, truncated);
        tcase_add_test(tc, gfxpipe);
        tcase_add_test(tc, blitter);
        tcase_add_test(tc, table_coverage);
        tcase_add_test(tc, engine_kinds);
        tcase_add_test(tc, tables_sorted);
        tcase_add_test(tc, gen4_5);
        tcase_add_test(tc, gen2_3);
        tcase_add_test(tc, table_fields);
        tcase_add_test(tc, random_words);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(suite());
        srunner_run_all(sr, CK_ENV);
        int failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
