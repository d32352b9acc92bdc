/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "dumpgen.h"

const uint32_t dumpgen_batch_words[5] = { 0x0e00c002, 0x00000001, 0xb0000040, 0x00000001, 0x05000000 };

struct buf {
        char *p;
        size_t len, cap;
        bool bol; /* at the beginning of a line */
        const struct dumpgen_opts *o;
        unsigned n_lines;
};

static void put_raw(struct buf *b, const char *s, size_t n) {
        if (b->len + n + 1 > b->cap) {
                size_t cap = b->cap ? b->cap : 4096;
                while (cap < b->len + n + 1)
                        cap *= 2;
                b->p = realloc(b->p, cap);
                if (!b->p)
                        abort();
                b->cap = cap;
        }
        memcpy(b->p + b->len, s, n);
        b->len += n;
        b->p[b->len] = 0;
}

/* Append text, putting the line prefix in front of each line (as dmesg / mail would). */
static void put(struct buf *b, const char *s, size_t n) {
        while (n > 0) {
                if (b->bol && b->o && b->o->prefix != DUMPGEN_PREFIX_NONE) {
                        char pre[96];
                        int k;
                        if (b->o->prefix == DUMPGEN_PREFIX_DMESG)
                                k = snprintf(pre, sizeof(pre), "[%5u.%06u] xe 0000:00:02.0: [drm] *ERROR* ",
                                             12 + b->n_lines / 7, (b->n_lines * 7919u) % 1000000u);
                        else
                                k = snprintf(pre, sizeof(pre), "%s", *s == '\n' ? ">" : "> ");
                        put_raw(b, pre, (size_t)k);
                }
                const char *nl = memchr(s, '\n', n);
                size_t k = nl ? (size_t)(nl - s) + 1 : n;
                put_raw(b, s, k);
                b->bol = nl != NULL;
                if (nl)
                        b->n_lines++;
                s += k;
                n -= k;
        }
}

static void putf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(struct buf *b, const char *fmt, ...) {
        char *s;
        va_list ap;
        va_start(ap, fmt);
        int k = vasprintf(&s, fmt, ap);
        va_end(ap);
        if (k < 0)
                abort();
        put(b, s, (size_t)k);
        free(s);
}

static void a85_word(char out[6], uint32_t w, size_t *n) {
        if (w == 0) {
                out[0] = 'z';
                *n = 1;
                return;
        }
        for (int i = 4; i >= 0; i--) {
                out[i] = (char)('!' + w % 85);
                w /= 85;
        }
        *n = 5;
}

char *dumpgen_a85(const uint32_t *words, size_t n, size_t *ret_len) {
        struct buf b = {};
        for (size_t i = 0; i < n; i++) {
                char g[6];
                size_t k;
                a85_word(g, words[i], &k);
                put_raw(&b, g, k);
        }
        if (!b.p)
                put_raw(&b, "", 0);
        *ret_len = b.len;
        return b.p;
}

/* A blob's ascii85 text, wrapped if asked, ending with "\n". */
static void put_blob(struct buf *b, const uint8_t *bytes, size_t len) {
        size_t nw = len / 4, tl;
        uint32_t *w = malloc(nw ? nw * 4 : 4);
        if (!w)
                abort();
        memcpy(w, bytes, nw * 4);
        char *t = dumpgen_a85(w, nw, &tl);
        free(w);
        if (b->o->wrap == 0)
                put(b, t, tl);
        else
                for (size_t i = 0; i < tl; i += b->o->wrap) {
                        if (i)
                                put(b, "\n", 1);
                        put(b, t + i, tl - i < b->o->wrap ? tl - i : b->o->wrap);
                }
        put(b, "\n", 1);
        free(t);
}

static void put_words_blob(struct buf *b, const uint32_t *w, size_t nw) {
        put_blob(b, (const uint8_t *)w, nw * 4);
}

uint32_t dumpgen_big_word(size_t i) {
        /* Mostly small values with some zeros, like real GPU memory. */
        uint32_t x = (uint32_t)i * 2654435761u;
        x ^= x >> 13;
        return (i % 5 == 0) ? 0 : x;
}

static void put_vma(struct buf *b, uint64_t va, const uint8_t *bytes, size_t len) {
        putf(b, "[%llx].length: 0x%zx\n", (unsigned long long)va, len);
        if (!b->o->vxe) {
                putf(b, "[%llx].data: ", (unsigned long long)va);
                put_blob(b, bytes, len);
                return;
        }
        size_t cap = ZSTD_compressBound(len);
        uint8_t *z = calloc(1, cap + 4);
        size_t zl = ZSTD_compress(z, cap, bytes, len, 3);
        if (ZSTD_isError(zl))
                abort();
        putf(b, "[%llx].zstd: 0x%zx ", (unsigned long long)va, zl);
        put_blob(b, z, (zl + 3) / 4 * 4); /* zero-padded to whole words */
        free(z);
}

char *dumpgen_xe(const struct dumpgen_opts *o, size_t *ret_len) {
        struct buf b = { .bol = true, .o = o };
        uint32_t w[1024];

        if (o->prefix == DUMPGEN_PREFIX_DMESG) {
                /* Unrelated kernel noise before the dump. */
                put_raw(&b, "[   11.000001] usb 1-1: new high-speed USB device\n", 50);
        }
        put(&b, "**** Xe Device Coredump ****\n", 29);
        if (!o->legacy)
                putf(&b, "Reason: Timedout job - seqno=4242, lrc_seqno=4242, guc_id=17, flags=0x0\n");
        putf(&b, "kernel: 6.16.0-xe-synthetic\nmodule: %s\n", o->vxe ? "vxe" : "xe");
        putf(&b, "Snapshot time: 1760433512.418203551\nUptime: 5234.771204883\n");
        putf(&b, "Process: vkcube [4321]\nPCI ID: 0x64a0\nPCI revision: 0x04\n");
        putf(&b, "GT id: 0\n\tTile: 0\n\tType: main\n\tIP ver: 20.4.4\n\tCS reference clock: 19200000\n");
        putf(&b, "GT id: 1\n\tTile: 0\n\tType: media\n\tIP ver: 20.0.4\n\tCS reference clock: 19200000\n");
        if (!o->legacy)
                putf(&b, "\n**** GT #0 ****\n\tTile: 0\n");

        putf(&b, "\n**** GuC Log ****\nGuC firmware: xe/lnl_guc_70.bin\nGuC version: 70.44.1 (wanted 70.44.1)\n");
        putf(&b, "Kernel timestamp: 0x4C2D0AF376A [5234771310442]\nGuC timestamp: 0x1856A2C4D1 [104532722897]\nLog level: 3\n");
        memset(w, 0, sizeof(w));
        w[0] = 0xcabba9e6;
        for (int i = 2; i < 16; i++)
                w[i] = (uint32_t)i * 0x01010101u;
        if (o->legacy)
                putf(&b, "Log data: ");
        else
                putf(&b, "[LOG].length: 0x40\n[LOG].data: ");
        put_words_blob(&b, w, 16);

        putf(&b, "\n**** GuC CT ****\nH2G CTB (all sizes in DW):\n\tsize: 1024\n\tresv_space: 0\n\thead: 88\n"
                 "\ttail: 88\n\tspace: 1023\n\tbroken: 0\n\thead (memory): 88\n\ttail (memory): 88\n"
                 "\tstatus (memory): 0x0\n");
        if (o->legacy)
                putf(&b, "\tcmd[0]: 0x00001001\n\tcmd[1]: 0x00000002\n");
        putf(&b, "G2H CTB (all sizes in DW):\n\tsize: 32768\n\tresv_space: 8192\n\thead: 1204\n\ttail: 1204\n"
                 "\tspace: 24575\n\tbroken: 0\n\thead (memory): 1204\n\ttail (memory): 1204\n\tstatus (memory): 0x0\n"
                 "\tg2h outstanding: 0\n");
        memset(w, 0, sizeof(w));
        w[0] = 0x1001;
        if (!o->legacy) {
                putf(&b, "[CTB].length: 0x40\n[CTB].data: ");
                put_words_blob(&b, w, 16);
        }

        if (o->legacy)
                putf(&b, "\nGuC ID: 17\n");
        else
                putf(&b, "\n**** Contexts ****\nGuC ID: 17\n");
        putf(&b, "\tName: ccs17\n\tClass: 5\n\tLogical mask: 0x3\n\tWidth: 1\n\tRef: 5\n\tTimeout: 5000 (ms)\n"
                 "\tTimeslice: 1000 (us)\n\tPreempt timeout: 640000 (us)\n\tHW Context Desc: 0x00fe4000\n"
                 "\tHW Ring address: 0x00fe0000\n\tHW Indirect Ring State: 0x00000000\n\tLRC Head: (memory) 560\n"
                 "\tLRC Tail: (internal) 640, (memory) 640\n\tRing start: (memory) 0x00fe0000\n"
                 "\tStart seqno: (memory) 4242\n\tSeqno: (memory) 4241\n\tTimestamp: 0x0a3b8c10\n"
                 "\tJob Timestamp: 0x0a3a1f00\n");
        memset(w, 0, sizeof(w));
        w[128] = 4241;
        w[130] = 4242;
        w[132] = 0x0a3a1f00;
        putf(&b, "\t[HWSP].length: 0x1000\n\t[HWSP].data: ");
        put_words_blob(&b, w, 1024);
        memset(w, 0, sizeof(w));
        for (int i = 0; i < 16; i++)
                w[i] = 0x1000u + (uint32_t)i;
        putf(&b, "\t[HWCTX].length: 0x100\n\t[HWCTX].data: ");
        put_words_blob(&b, w, 64);
        putf(&b, "\tSchedule State: 0x201\n\tFlags: 0x0\n\tJob: seqno=4241, fence=1, finished=1\n"
                 "\tJob: seqno=4242, fence=0, finished=0\n\tJob: seqno=4243, fence=0, finished=0\n");

        putf(&b, "\n**** Job ****\nbatch_addr[0]: 0x00000001a0000000\n");

        putf(&b, "\n**** HW Engines ****\n");
        for (int e = 0; e < 2; e++) {
                putf(&b, "ccs%d (physical), logical instance=%d\n", e, e);
                if (!o->legacy)
                        putf(&b, "\tCapture_source: %s\n\tCoverage: full-capture\n", e ? "Manual" : "GuC");
                putf(&b, "\tForcewake: domain 0x2, ref 1\n");
                if (!o->legacy)
                        putf(&b, "\tReserved: no\n\tFORCEWAKE_GT: 0x00010001\n\tRCU_MODE: 0x00010001\n");
                putf(&b, "\tHWSTAM: 0xffffffff\n\tRING_HWS_PGA: 0x00fd%s000\n\tRING_HEAD: 0x%08x\n"
                         "\tRING_TAIL: 0x%08x\n", e ? "e" : "f", e ? 0 : 0x230, e ? 0 : 0x280);
                putf(&b, "\tIPEHR: 0x%08x\n", e ? 0 : 0x0e00c002);
                if (o->legacy)
                        putf(&b, "\tRING_EXECLIST_SQ_CONTENTS_LO: 0x%08x\n\tRING_EXECLIST_SQ_CONTENTS_HI: 0x%08x\n"
                                 "\tACTHD: 0x%016llx\n\tBBADDR: 0x%016llx\n\tDMA_FADDR: 0x%016llx\n",
                             e ? 0 : 0x00fe4009, e ? 0 : 0x11, e ? 0ull : 0x1a0000000ull,
                             e ? 0ull : 0x1a0000000ull, e ? 0ull : 0x1a0000000ull);
                else
                        putf(&b, "\tACTHD: 0x%016llx\n\tRING_BBADDR: 0x%016llx\n\tRING_START: 0x%016llx\n"
                                 "\tRING_EXECLIST_SQ_CONTENTS: 0x%016llx\n",
                             e ? 0ull : 0x1a0000000ull, e ? 0ull : 0x1a0000000ull, e ? 0ull : 0xfe0000ull,
                             e ? 0ull : 0x1100fe4009ull);
                for (int dss = 0; dss < 2; dss++)
                        putf(&b, "\tSAMPLER_INSTDONE[%d]: 0xffffffff\n\tSC_INSTDONE[%d]: 0x%08x\n", dss, dss,
                             0xfffffff0u + (unsigned)dss);
                putf(&b, "\n");
        }

        {
                putf(&b, "\n**** VM state ****\n");
                memset(w, 0, sizeof(w));
                memcpy(w, dumpgen_batch_words, sizeof(dumpgen_batch_words));
                put_vma(&b, 0x1a0000000ull, (const uint8_t *)w, 4096);
                for (int i = 0; i < 16; i++)
                        w[i] = 0x3f800000;
                memset(w + 16, 0, sizeof(w) - 64);
                w[16] = 0;
                w[17] = 0xffffffff;
                put_vma(&b, 0x1b0000000ull, (const uint8_t *)w, 4096);
                putf(&b, "[1c0000000].length: 0x1000\n[1c0000000].error: -14\n");
                if (o->big_vma) {
                        size_t nw = o->big_vma / 4;
                        uint32_t *big = malloc(nw * 4 + 4);
                        if (!big)
                                abort();
                        for (size_t i = 0; i < nw; i++)
                                big[i] = dumpgen_big_word(i);
                        put_vma(&b, 0x200000000ull, (const uint8_t *)big, nw * 4);
                        free(big);
                }
        }
        *ret_len = b.len;
        return b.p;
}

/* Seqnos of every kind: xe starts a queue at XE_FENCE_INITIAL_SEQNO (-127), so -1 and -127 are
 * real seqnos, and a context may carry none (an LRC without seqno lines, no LRC at all, a job
 * line without seqno=). */
const char dumpgen_seqno_text[] =
        "**** Xe Device Coredump ****\nkernel: 6.16.0\nmodule: xe\n"
        "\n**** Contexts ****\n"
        "GuC ID: 1\n\tName: rcs1\n\tClass: 0\n\tLogical mask: 0x1\n\tWidth: 1\n"
        "\tHW Context Desc: 0x00001000\n\tStart seqno: (memory) 0\n\tSeqno: (memory) -1\n"
        "\tJob: seqno=-1, fence=1, finished=1\n\tJob: seqno=0, fence=0, finished=0\n"
        "GuC ID: 2\n\tName: ccs2\n\tClass: 5\n\tLogical mask: 0x1\n\tWidth: 1\n"
        "\tHW Context Desc: 0x00002000\n\tStart seqno: (memory) -126\n\tSeqno: (memory) -127\n"
        "\tJob: seqno=-127, finished=1\n\tJob: seqno=-126, finished=0\n"
        "GuC ID: 3\n\tName: bcs3\n\tClass: 1\n\tLogical mask: 0x1\n\tWidth: 1\n"
        "\tHW Context Desc: 0x00003000\n\tLRC Head: (memory) 0\n"
        "\tJob: fence=0, finished=0\n"
        "GuC ID: 4\n\tName: vcs4\n\tClass: 2\n\tLogical mask: 0x1\n\tWidth: 1\n"
        "\n**** HW Engines ****\n\n**** VM state ****\n[0].error: -19\n";

/* v6.8 prints MI_MODE and MODE both as RING_MODE; a 64-bit name printed twice too. */
const char dumpgen_dup_regs_text[] =
        "**** Xe Device Coredump ****\nkernel: 6.8.0\nmodule: xe\n"
        "\n**** HW Engines ****\n"
        "rcs0 (physical), logical instance=0\n"
        "\tRING_MODE: 0x00000200\n\tRING_HEAD:  0x00000010\n\tRING_MODE: 0x00000080\n"
        "\tRING_MODE: 0x00000001\n\tACTHD:  0x00000001_00000040\n\tACTHD:  0x00000001_00000080\n\n"
        "\n**** VM state ****\n[0].error: -19\n";

char *dumpgen_i915_zlib(const uint8_t *zdata, size_t zlen, bool with_raw, size_t *ret_len) {
        /* zlib output zero-padded to whole words, as i915 prints its last page. */
        size_t nw = (zlen + 3) / 4;
        uint32_t *w = calloc(nw ? nw : 1, 4);
        if (!w)
                abort();
        memcpy(w, zdata, zlen);
        size_t al;
        char *a = dumpgen_a85(w, nw, &al);
        free(w);
        size_t cap = al + 1024;
        char *t = malloc(cap);
        if (!t)
                abort();
        int n = snprintf(t, cap,
                         "GPU HANG: ecode 12:1:85dffffb, in test [42]\n"
                         "Kernel: 6.8.0-45-generic x86_64\n"
                         "Time: 1760433512 s 418203 us\n"
                         "rcs0 --- user = 0x00000001 00100000\n:%s\n", a);
        if (with_raw)
                n += snprintf(t + n, cap - (size_t)n, "rcs0 --- ring = 0x00000001 00200000\n~!!!!\"z\n");
        free(a);
        *ret_len = (size_t)n;
        return t;
}
