/* SPDX-License-Identifier: MIT */
/*
 * The full listing (`gpudump disasm`): every instruction of every ring and batch buffer the dump
 * captured, as IGT's intel_error_decode lists them, plus what they chain to. Rings are listed
 * whole from their start (the engine's head and tail are marked, not used as bounds: the dwords
 * past the tail are the ring's history); batches from their start to MI_BATCH_BUFFER_END. An
 * MI_BATCH_BUFFER_START is followed: a first-level one is a jump (its batch ends there and the
 * target is listed as a "chained batch"), a second-level one a call (the target is listed as a
 * "second-level batch" and the listing goes on after it). Every buffer is listed once, chains
 * are capped in depth and the whole listing in dwords, each cap saying so in a note.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "gd-macro.h"

#define MAX_DEPTH 16
#define MAX_BUFFER_BYTES (4u << 20)   /* read per buffer */
#define MAX_TOTAL_DWORDS (1u << 20)   /* over the whole listing */

struct dis {
        struct gpudump_dump *d;
        struct gd_analysis tmp;       /* private VMA length cache (the dump's analysis is shared) */
        struct gd_disasm *out;
        size_t budget;
        bool budget_noted, depth_noted;
        uint64_t hung_address;
        bool have_hung;
};

static bool listed(const struct dis *x, uint64_t address) {
        for (size_t i = 0; i < x->out->n_buffers; i++)
                if (x->out->buffers[i].address == address)
                        return true;
        return false;
}

static enum gd_engine_kind engine_kind(struct gpudump_dump *d, const char *name) {
        for (size_t i = 0; name && i < d->n_engines; i++)
                if (d->engines[i].name && strcmp(d->engines[i].name, name) == 0)
                        return gd_engine_kind_from_class(d->engines[i].class_name);
        return GD_EK_ANY;
}

/* The dwords from va to the end of its VMA (at most max bytes); ring objects without a declared
 * length are read whole. 0, -ENOENT (not captured), -ENOMEM. */
static int read_buffer(struct dis *x, uint64_t va, size_t max, uint32_t **ret, size_t *ret_n) {
        const struct gd_vma *v = gd_analysis_find_vma(x->d, &x->tmp, va);
        uint64_t avail;
        size_t len;
        uint32_t *dw;
        int r;

        if (!v)
                return -ENOENT;
        avail = v->address + gd_analysis_vma_length(x->d, &x->tmp, v) - va;
        len = (size_t)(avail < max ? avail : max) & ~(size_t)3;
        if (len == 0)
                return -ENOENT;
        dw = malloc(len);
        if (!dw)
                return -ENOMEM;
        r = gd_analysis_read(x->d, &x->tmp, va, dw, len);
        if (r < 0) {
                free(dw);
                return r;
        }
        *ret = dw;
        *ret_n = len / 4;
        return 0;
}

static int note(struct dis *x, bool *once, const char *what, uint64_t where) {
        if (*once)
                return 0;
        *once = true;
        return gd_strv_add(&x->out->notes, "%s (at 0x%" PRIx64 ")", what, where);
}

static int list_buffer(struct dis *x, struct gd_dis_buffer *b);

/* An MI_BATCH_BUFFER_START at `from`: list its target (once), right after the current buffers. */
static int follow(struct dis *x, const struct gd_dis_buffer *parent, uint64_t from, const struct gd_instr *in) {
        struct gd_dis_buffer b = {
                .address = in->target,
                .kind = parent->ring ? "batch" : in->second_level ? "second-level batch" : "chained batch",
                .engine = parent->engine,
                .ek = parent->ek,
                .has_from = true,
                .from = from,
                .depth = parent->depth + 1,
        };
        int r;

        if (listed(x, in->target))
                return 0;
        if (b.depth > MAX_DEPTH)
                return note(x, &x->depth_noted, "batch chain deeper than 16 levels; not followed", from) < 0 ? -ENOMEM : 0;
        r = read_buffer(x, in->target, MAX_BUFFER_BYTES, &b.dw, &b.n_dw);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                b.end = "not captured";
        return list_buffer(x, &b);
}

/* Decode b's dwords into instructions, append b to the listing, then list what it leads to. */
static int list_buffer(struct dis *x, struct gd_dis_buffer *b) {
        struct gd_disasm *o = x->out;
        struct gd_instr in;
        size_t idx, i = 0;
        int r;

        if (GD_ARRAY_PUSH(o->buffers, o->n_buffers, *b) < 0) {
                free(b->dw);
                return -ENOMEM;
        }
        idx = o->n_buffers - 1;
        while (i < o->buffers[idx].n_dw) {
                struct gd_dis_buffer *cur = &o->buffers[idx];
                struct gd_dis_instr di = { .index = (uint32_t)i };
                uint64_t at = cur->address + 4 * (uint64_t)i;

                if (x->budget == 0) {
                        cur->end = "listing limit";
                        return note(x, &x->budget_noted, "listing stopped after 1048576 dwords", at) < 0 ? -ENOMEM : 0;
                }
                gd_instr_decode(cur->dw + i, cur->n_dw - i, o->gfx_ver, cur->ek, &in);
                di.n_dwords = (uint32_t)(in.length < cur->n_dw - i ? in.length : cur->n_dw - i);
                if (di.n_dwords == 0)
                        di.n_dwords = 1;
                di.hung = x->have_hung && x->hung_address >= at && x->hung_address < at + 4ull * di.n_dwords;
                if (GD_ARRAY_PUSH(cur->instrs, cur->n_instrs, di) < 0)
                        return -ENOMEM;
                x->budget = x->budget > di.n_dwords ? x->budget - di.n_dwords : 0;
                i += di.n_dwords;

                if (in.flow == GD_FLOW_BB_START) {
                        bool jump = !cur->ring && !in.second_level;
                        struct gd_dis_buffer parent = *cur;

                        if (jump)
                                cur->end = "MI_BATCH_BUFFER_START";
                        r = follow(x, &parent, at, &in);
                        if (r < 0)
                                return r;
                        if (jump)
                                return 0;
                        continue;
                }
                if (in.flow == GD_FLOW_BB_END && !o->buffers[idx].ring) {
                        o->buffers[idx].end = "MI_BATCH_BUFFER_END";
                        return 0;
                }
        }
        if (!o->buffers[idx].end)
                o->buffers[idx].end = "end of buffer";
        return 0;
}

static int add_root(struct dis *x, uint64_t address, const char *kind, const char *engine, bool ring,
                    uint64_t max) {
        struct gd_dis_buffer b = {
                .address = address, .kind = kind, .engine = engine,
                .ek = engine_kind(x->d, engine), .ring = ring,
        };
        int r;

        if (listed(x, address))
                return 0;
        r = read_buffer(x, address, (size_t)max, &b.dw, &b.n_dw);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                b.end = "not captured";
        if (ring && x->d->analysis) {
                /* The engine's head and tail, as addresses in the ring. */
                const struct gd_analysis *a = x->d->analysis;
                for (size_t e = 0; e < x->d->n_engines && e < a->n_engines; e++) {
                        const struct gd_engine_state *s = &a->engines[e];
                        if (!engine || strcmp(x->d->engines[e].name, engine) != 0 || !s->have[GD_KR_HEAD] ||
                            !s->have[GD_KR_TAIL] || b.n_dw == 0)
                                continue;
                        b.has_head_tail = true;
                        b.head = address + ((s->reg[GD_KR_HEAD] & 0x1ffffc) % (4 * (uint64_t)b.n_dw));
                        b.tail = address + ((s->reg[GD_KR_TAIL] & 0x1ffff8) % (4 * (uint64_t)b.n_dw));
                }
        }
        return list_buffer(x, &b);
}

static int list_all(struct dis *x) {
        struct gpudump_dump *d = x->d;
        const char *blamed = d->analysis && d->analysis->blamed >= 0 ? d->engines[d->analysis->blamed].name : NULL;
        int r;

        /* i915 ring objects (each on its engine), then rings an engine's RING_START shows. */
        for (size_t i = 0; i < d->n_vmas; i++)
                if (d->vmas[i].kind && strcmp(d->vmas[i].kind, "ring") == 0 &&
                    (r = add_root(x, d->vmas[i].address, "ring", d->vmas[i].engine, true, MAX_BUFFER_BYTES)) < 0)
                        return r;
        for (size_t e = 0; d->analysis && e < d->n_engines && e < d->analysis->n_engines; e++) {
                const struct gd_engine_state *s = &d->analysis->engines[e];
                uint64_t start = s->reg[GD_KR_START] & ~0xfffull;
                const struct gd_vma *v;

                if (!s->have[GD_KR_START] || start == 0 || listed(x, start))
                        continue;
                v = gd_analysis_find_vma(d, &x->tmp, start);
                if (!v || v->address != start)
                        continue; /* a ring starts where its VMA does */
                r = add_root(x, start, "ring", d->engines[e].name, true,
                             s->ring_size ? s->ring_size : MAX_BUFFER_BYTES);
                if (r < 0)
                        return r;
        }
        /* The batches: i915 batch objects, xe's job batch_addr (on the blamed engine). */
        for (size_t i = 0; i < d->n_vmas; i++)
                if (d->vmas[i].kind && strcmp(d->vmas[i].kind, "batch") == 0 &&
                    (r = add_root(x, d->vmas[i].address, "batch", d->vmas[i].engine, false, MAX_BUFFER_BYTES)) < 0)
                        return r;
        for (size_t i = 0; i < d->n_batch_addrs; i++)
                if ((r = add_root(x, d->batch_addrs[i], "batch", blamed, false, MAX_BUFFER_BYTES)) < 0)
                        return r;
        return 0;
}

int gd_disasm(struct gpudump_dump *d, bool at, uint64_t address, struct gd_disasm *ret) {
        struct dis x = { .d = d, .out = ret, .budget = MAX_TOTAL_DWORDS };
        int r;

        *ret = (struct gd_disasm){};
        ret->gfx_ver = d->analysis ? d->analysis->gfx_ver : gd_dump_gfx_ver(d, NULL, NULL);
        if (d->n_vmas > 0) {
                x.tmp.vma_len = malloc(d->n_vmas * sizeof(*x.tmp.vma_len));
                if (!x.tmp.vma_len)
                        return -ENOMEM;
                for (size_t i = 0; i < d->n_vmas; i++)
                        x.tmp.vma_len[i] = UINT64_MAX;
        }
        if (d->analysis && d->analysis->hung.present && d->analysis->hung.hung_index < d->analysis->hung.n_window) {
                x.have_hung = true;
                x.hung_address = d->analysis->hung.window[d->analysis->hung.hung_index].address;
        }
        if (at) {
                const struct gd_vma *v = gd_analysis_find_vma(d, &x.tmp, address);
                const char *kind = "batch";

                if (!v) {
                        r = -ENOENT;
                        goto out;
                }
                if (v->kind && strcmp(v->kind, "ring") == 0 && v->address == address)
                        kind = "ring";
                r = add_root(&x, address, kind, v->engine, strcmp(kind, "ring") == 0, MAX_BUFFER_BYTES);
        } else
                r = list_all(&x);
out:
        free(x.tmp.vma_len);
        if (r < 0)
                gd_disasm_free(ret);
        return r;
}

void gd_disasm_free(struct gd_disasm *dis) {
        for (size_t i = 0; i < dis->n_buffers; i++) {
                free(dis->buffers[i].dw);
                free(dis->buffers[i].instrs);
        }
        free(dis->buffers);
        gd_strv_free(&dis->notes);
        *dis = (struct gd_disasm){};
}
