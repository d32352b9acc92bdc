/* SPDX-License-Identifier: MIT */
/*
 * Where the blamed engine stopped: from ACTHD (or RING_BBADDR / RING_DMA_FADD when ACTHD is 0,
 * not captured or inside the ring) to a captured VMA and offset, then a window of decoded
 * instructions around it. Decoding always starts at a known instruction boundary (a batch
 * start, the ring head, a chained batch's target), never at the address itself unless nothing
 * else leads there, so a stale or mid-instruction ACTHD still lands on the right instruction.
 * MI_BATCH_BUFFER_START chains are followed (depth and total dwords capped). When the hung
 * instruction waits on a semaphore, the semaphore is read from the captured memory.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "gd-macro.h"

#define WIN_BEFORE 8
#define WIN_AFTER 8
#define MAX_DEPTH 8
#define MAX_TOTAL_DWORDS (1u << 18)  /* over the whole walk, chains included */
#define MAX_SEG_BYTES (256u * 1024u) /* read per segment */
#define MAX_RING_INSTRS 64

struct seg {
        uint32_t *dw;
        size_t n;
        uint64_t base;
        bool ring;
        uint64_t ring_start, ring_size, head;
};

static uint64_t seg_addr(const struct seg *s, size_t i) {
        if (s->ring)
                return s->ring_start + ((s->head + 4 * (uint64_t)i) % s->ring_size);
        return s->base + 4 * (uint64_t)i;
}

/* Read up to max bytes of captured memory from va, stopping at the end of its VMA. */
static int read_seg(struct gpudump_dump *d, struct gd_analysis *a, uint64_t va, size_t max, struct seg *s) {
        const struct gd_vma *v = gd_analysis_find_vma(d, a, va);
        memset(s, 0, sizeof(*s));
        s->base = va;
        if (!v)
                return -ENOENT;
        uint64_t avail = v->address + gd_analysis_vma_length(d, a, v) - va;
        size_t len = (size_t)(avail < max ? avail : max) & ~(size_t)3;
        if (len == 0)
                return -ENOENT;
        s->dw = malloc(len);
        if (!s->dw)
                return -ENOMEM;
        int r = gd_analysis_read(d, a, va, s->dw, len);
        if (r < 0) {
                free(s->dw);
                s->dw = NULL;
                return r;
        }
        s->n = len / 4;
        return 0;
}

/* The ring, unwrapped from head: dword i is at ring_start + (head + 4i) % size. i915 ring objects
 * may carry no declared length, so the ring is decoded from its VMA's blob directly. */
static int read_ring(struct gpudump_dump *d, const struct gd_vma *v, uint64_t start, uint64_t size,
                     uint64_t head, struct seg *s) {
        void *data = NULL;
        size_t len = 0;
        int r;
        memset(s, 0, sizeof(*s));
        if (!v || size == 0 || size > MAX_SEG_BYTES * 8)
                return -ERANGE;
        uint64_t skip = start - v->address;
        if (v->length != 0) {
                /* a declared length: read just the ring, never a whole (maybe huge) VMA */
                if (skip >= v->length)
                        return -ENOENT;
                len = (size_t)(v->length - skip < size ? v->length - skip : size);
                data = malloc(len ? len : 1);
                if (!data)
                        return -ENOMEM;
                r = gd_dump_read_va(d, start, data, len);
                if (r < 0) {
                        free(data);
                        return r;
                }
                skip = 0;
        } else {
                r = gd_blob_decode(d, &v->blob, &data, &len);
                if (r < 0)
                        return r;
        }
        if (len < skip + size) {
                /* RING_CTL and the captured object disagree: trust the bytes we have */
                if (len <= skip + 4) {
                        free(data);
                        return -ENOENT;
                }
                size = (len - skip) & ~(uint64_t)3;
        }
        s->dw = malloc((size_t)size);
        if (!s->dw) {
                free(data);
                return -ENOMEM;
        }
        s->n = (size_t)size / 4;
        const uint32_t *w = (const uint32_t *)((const uint8_t *)data + skip);
        for (size_t i = 0; i < s->n; i++)
                memcpy(&s->dw[i], &w[((head / 4) + i) % s->n], 4);
        free(data);
        s->ring = true;
        s->ring_start = start;
        s->ring_size = size;
        s->head = head % size;
        return 0;
}

struct walk {
        struct gpudump_dump *d;
        struct gd_analysis *a;
        unsigned ver;
        enum gd_engine_kind ek;
        uint64_t target;
        size_t budget;
        bool found;
        bool exact;
        uint64_t seg_start;
        unsigned depth;
        struct gd_win_instr *win;
        size_t n_win;
        size_t hung_index;
        struct gd_chain_step *path;
        size_t n_path;
        struct gd_strv *notes;
        bool depth_noted, budget_noted;
        size_t n_unknown;       /* unknown opcodes stepped over on the way (boundaries suspect) */
        uint64_t first_unknown;
};

static void fill_win(const struct seg *s, size_t i, const struct gd_instr *in, struct gd_win_instr *w) {
        memset(w, 0, sizeof(*w));
        w->address = seg_addr(s, i);
        w->in = *in;
        unsigned n = in->length;
        if (i + n > s->n)
                n = (unsigned)(s->n - i);
        if (n > ELEMENTSOF(w->dwords))
                n = ELEMENTSOF(w->dwords);
        for (unsigned k = 0; k < n; k++)
                w->dwords[k] = s->dw[i + k];
        w->n_dwords = n;
}

static int walk_seg(struct walk *w, const struct seg *s, unsigned depth);

static int found_here(struct walk *w, const struct seg *s, size_t i, size_t used, const struct gd_instr *in,
                      struct gd_win_instr *hist, size_t n_hist, size_t hist_pos, unsigned depth, bool exact) {
        size_t cap = n_hist + 1 + WIN_AFTER;
        w->win = calloc(cap, sizeof(*w->win));
        if (!w->win)
                return -ENOMEM;
        /* history in order: oldest first */
        for (size_t k = 0; k < n_hist; k++)
                w->win[w->n_win++] = hist[(hist_pos + WIN_BEFORE - n_hist + k) % WIN_BEFORE];
        w->hung_index = w->n_win;
        fill_win(s, i, in, &w->win[w->n_win]);
        w->win[w->n_win++].hung = true;
        size_t j = i + used;
        for (unsigned k = 0; k < WIN_AFTER && j < s->n; k++) {
                struct gd_instr nx;
                gd_instr_decode(s->dw + j, s->n - j, w->ver, w->ek, &nx);
                fill_win(s, j, &nx, &w->win[w->n_win++]);
                size_t u = nx.length < s->n - j ? nx.length : s->n - j;
                j += u ? u : 1;
                if (nx.flow == GD_FLOW_BB_END)
                        break;
        }
        w->found = true;
        w->exact = exact;
        w->seg_start = s->ring ? s->ring_start : s->base;
        w->depth = depth;
        return 1;
}

static int follow(struct walk *w, const struct gd_instr *in, uint64_t from, unsigned depth) {
        struct gd_chain_step st = {
                .from = from, .to = in->target, .depth = depth + 1, .second_level = in->second_level,
        };
        struct seg s2;
        int r;

        if (depth + 1 > MAX_DEPTH) {
                if (!w->depth_noted) {
                        w->depth_noted = true;
                        return gd_strv_add(w->notes, "batch chain deeper than %d levels at 0x%" PRIx64
                                           "; not followed", MAX_DEPTH, from);
                }
                return 0;
        }
        r = read_seg(w->d, w->a, in->target, MAX_SEG_BYTES, &s2);
        if (r == -ENOMEM)
                return r;
        st.captured = r >= 0;
        if (GD_ARRAY_PUSH(w->path, w->n_path, st) < 0) {
                free(s2.dw);
                return -ENOMEM;
        }
        if (r < 0)
                return 0; /* keep the step: the chain leads to memory that was not captured */
        r = walk_seg(w, &s2, depth + 1);
        free(s2.dw);
        if (r != 0)
                return r;
        w->n_path--; /* not on the way to the hang */
        return 0;
}

/* Returns 1 found, 0 not found (stream ended), < 0 error. */
static int walk_seg(struct walk *w, const struct seg *s, unsigned depth) {
        struct gd_win_instr hist[WIN_BEFORE];
        size_t n_hist = 0, hist_pos = 0;
        size_t i = 0;
        int r;

        while (i < s->n) {
                if (w->budget == 0) {
                        if (!w->budget_noted) {
                                w->budget_noted = true;
                                return gd_strv_add(w->notes, "stopped after %u decoded dwords",
                                                   MAX_TOTAL_DWORDS) < 0 ? -ENOMEM : 0;
                        }
                        return 0;
                }
                struct gd_instr in;
                gd_instr_decode(s->dw + i, s->n - i, w->ver, w->ek, &in);
                size_t used = in.length < s->n - i ? in.length : s->n - i;
                if (used == 0)
                        used = 1;
                w->budget = w->budget > used ? w->budget - used : 0;
                if (in.unknown && w->n_unknown++ == 0)
                        w->first_unknown = seg_addr(s, i);

                for (size_t j = i; j < i + used; j++)
                        if (seg_addr(s, j) == w->target)
                                return found_here(w, s, i, used, &in, hist, n_hist, hist_pos, depth, j == i);

                fill_win(s, i, &in, &hist[hist_pos]);
                hist_pos = (hist_pos + 1) % WIN_BEFORE;
                if (n_hist < WIN_BEFORE)
                        n_hist++;

                if (in.flow == GD_FLOW_BB_START) {
                        r = follow(w, &in, seg_addr(s, i), depth);
                        if (r != 0)
                                return r;
                        if (!in.second_level && !s->ring)
                                return 0; /* a jump: the stream continues in the target only */
                        /* second level, or a batch the ring starts: execution returns here after
                         * its MI_BATCH_BUFFER_END */
                }
                if (in.flow == GD_FLOW_BB_END)
                        return 0;
                i += used;
        }
        return 0;
}

static void walk_reset(struct walk *w) {
        free(w->win);
        w->win = NULL;
        w->n_win = 0;
        w->n_path = 0;
        w->found = false;
}

/* Walk from a known boundary; on success move the result into h. */
static int try_from(struct walk *w, const struct seg *s, struct gd_hung *h) {
        struct gd_chain_step first = { .from = 0, .to = seg_addr(s, 0), .depth = 0, .captured = true };
        w->n_path = 0;
        w->n_unknown = 0;
        if (GD_ARRAY_PUSH(w->path, w->n_path, first) < 0)
                return -ENOMEM;
        int r = walk_seg(w, s, 0);
        if (r <= 0) {
                walk_reset(w);
                return r;
        }
        h->window = TAKE_PTR(w->win);
        h->n_window = w->n_win;
        h->hung_index = w->hung_index;
        h->exact = w->exact;
        h->batch_start = w->seg_start;
        h->depth = w->depth;
        h->chain = calloc(w->n_path ? w->n_path : 1, sizeof(*h->chain));
        if (!h->chain)
                return -ENOMEM;
        memcpy(h->chain, w->path, w->n_path * sizeof(*h->chain));
        h->n_chain = w->n_path;
        return 1;
}

struct ring_info {
        bool known;     /* RING_START known */
        bool captured;
        const struct gd_vma *vma;
        uint64_t start, size, head, tail;
        uint64_t walk_head; /* the instruction boundary at or before head (head may be inside one) */
        uint64_t ctx_head;  /* up to WIN_BEFORE instructions before walk_head: where walks start */
};

static void ring_info(struct gpudump_dump *d, struct gd_analysis *a, const struct gd_engine *e,
                      const struct gd_engine_state *s, struct ring_info *ri) {
        memset(ri, 0, sizeof(*ri));
        const struct gd_vma *v = NULL;
        /* i915 captures the ring as an object of kind "ring" on the engine */
        for (size_t i = 0; i < d->n_vmas; i++)
                if (d->vmas[i].kind && !strcmp(d->vmas[i].kind, "ring") && d->vmas[i].engine &&
                    !strcmp(d->vmas[i].engine, e->name)) {
                        v = &d->vmas[i];
                        break;
                }
        if (s->have[GD_KR_START]) {
                ri->known = true;
                ri->start = s->reg[GD_KR_START] & ~0xfffull;
                if (!v && ri->start)
                        v = gd_analysis_find_vma(d, a, ri->start);
                if (v && v->address != ri->start && !(v->kind && !strcmp(v->kind, "ring")))
                        v = NULL; /* the ring must start where its VMA starts */
        }
        if (v) {
                ri->known = true;
                ri->start = v->address;
        }
        ri->size = s->ring_size;
        if (v && v->length && (ri->size == 0 || ri->size > v->length))
                ri->size = v->length;
        ri->vma = v;
        ri->head = s->have[GD_KR_HEAD] ? s->reg[GD_KR_HEAD] & 0x1ffffc : 0;
        ri->tail = s->have[GD_KR_TAIL] ? s->reg[GD_KR_TAIL] & 0x1ffff8 : 0;
        if (ri->size) {
                ri->head %= ri->size;
                ri->tail %= ri->size;
        }
        ri->walk_head = ri->ctx_head = ri->head;
        ri->captured = v && ri->size > 0 && v->blob.encoding != GD_ENC_NONE && !v->blob.error;
}

/* RING_HEAD is where the command streamer reads, not always where an instruction starts (it
 * stops inside one). i915 pads the ring to its end with MI_NOOP before wrapping, so instructions
 * are contiguous from offset 0: walk from there to the boundary at or before head. Kept only
 * when every instruction on the way is known; else head stays as it is, with a note. */
static int ring_boundary(struct gpudump_dump *d, struct gd_analysis *a, struct ring_info *ri,
                         enum gd_engine_kind ek) {
        struct seg s;
        int r = read_ring(d, ri->vma, ri->start, ri->size, 0, &s);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        size_t i = 0, target = (size_t)(ri->head / 4), unknown = 0;
        size_t prev[WIN_BEFORE] = {}, n_prev = 0; /* the boundaries before i, for the window */
        while (i < s.n) {
                struct gd_instr in;
                gd_instr_decode(s.dw + i, s.n - i, a->gfx_ver, ek, &in);
                size_t used = in.length ? in.length : 1;
                unknown += in.unknown;
                if (i + used > target)
                        break;
                prev[n_prev++ % WIN_BEFORE] = i;
                i += used;
        }
        free(s.dw);
        if (i >= s.n)
                return 0;
        if (unknown > 0)
                return gd_strv_add(&a->hung.notes, "ring head 0x%" PRIx64 ": %zu unknown opcodes from the "
                                   "ring start; decoded from the head itself", ri->head, unknown) < 0 ? -ENOMEM : 0;
        ri->walk_head = 4 * (uint64_t)i;
        ri->ctx_head = n_prev ? 4 * (uint64_t)prev[n_prev >= WIN_BEFORE ? n_prev % WIN_BEFORE : 0] : ri->walk_head;
        if (ri->walk_head == ri->head)
                return 0;
        return gd_strv_add(&a->hung.notes, "ring head 0x%" PRIx64 " is inside the instruction at ring offset 0x%"
                           PRIx64 "; the ring is decoded from there", ri->head, ri->walk_head) < 0 ? -ENOMEM : 0;
}

static int decode_ring(struct gpudump_dump *d, struct gd_analysis *a, size_t ei, struct ring_info *ri,
                       enum gd_engine_kind ek, uint64_t acthd) {
        struct gd_ring *rg = &a->ring;
        struct seg s;
        int r;

        rg->present = true;
        rg->engine = ei;
        rg->start = ri->start;
        rg->size = ri->size;
        rg->head = ri->head;
        rg->tail = ri->tail;
        if (!ri->captured)
                return 0;
        if ((r = ring_boundary(d, a, ri, ek)) < 0)
                return r;
        r = read_ring(d, ri->vma, ri->start, ri->size, ri->walk_head, &s);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0;
        rg->captured = true;
        rg->size = s.ring_size;
        rg->head = ri->head;
        rg->tail = ri->tail % s.ring_size;
        size_t span = (size_t)(((rg->tail + s.ring_size - s.head) % s.ring_size) / 4);
        rg->instrs = calloc(MAX_RING_INSTRS, sizeof(*rg->instrs));
        if (!rg->instrs) {
                free(s.dw);
                return -ENOMEM;
        }
        for (size_t i = 0; i < span && rg->n_instrs < MAX_RING_INSTRS;) {
                struct gd_instr in;
                gd_instr_decode(s.dw + i, span - i, a->gfx_ver, ek, &in);
                struct gd_win_instr *w = &rg->instrs[rg->n_instrs++];
                fill_win(&s, i, &in, w);
                size_t used = in.length < span - i ? in.length : span - i;
                if (used == 0)
                        used = 1;
                for (size_t j = i; j < i + used; j++)
                        if (acthd && seg_addr(&s, j) == acthd)
                                w->hung = true;
                i += used;
        }
        free(s.dw);
        return 0;
}

static int wait_analysis(struct gpudump_dump *d, struct gd_analysis *a) {
        struct gd_hung *h = &a->hung;
        struct gd_wait *wt = &a->wait;
        if (h->hung_index == SIZE_MAX)
                return 0;
        const struct gd_instr *in = &h->window[h->hung_index].in;
        if (!in->is_wait)
                return 0;
        wt->present = true;
        wt->instruction = in->name;
        if (!in->is_semaphore) {
                return asprintf(&wt->explanation, "%s waits for hardware events (0x%08" PRIx32
                                "); their state is not in the dump", in->name,
                                in->header & 0x7fffff) < 0 ? -ENOMEM : 0;
        }
        wt->address = in->sem_address;
        wt->ggtt = !in->ppgtt;
        wt->op = in->sem_op;
        wt->expected = in->sem_data;
        uint32_t v = 0;
        int r = in->sem_address ? gd_analysis_read(d, a, in->sem_address, &v, sizeof(v)) : -ENOENT;
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                wt->captured = false;
                return asprintf(&wt->explanation, "%s waits until *0x%" PRIx64 " %s 0x%" PRIx32
                                " (%s); the address was not captured%s", in->name, in->sem_address,
                                gd_sem_op_symbol(in->sem_op), in->sem_data, gd_sem_op_name(in->sem_op),
                                wt->ggtt ? " (GGTT address; the VM capture holds PPGTT ranges)" : "")
                               < 0 ? -ENOMEM : 0;
        }
        wt->captured = true;
        wt->actual = v;
        wt->satisfied = gd_sem_satisfied(in->sem_op, v, in->sem_data);
        return asprintf(&wt->explanation, "%s waits until *0x%" PRIx64 " %s 0x%" PRIx32 " (%s); memory "
                        "holds 0x%" PRIx32 ": %s", in->name, in->sem_address, gd_sem_op_symbol(in->sem_op),
                        in->sem_data, gd_sem_op_name(in->sem_op), v,
                        wt->satisfied ? "satisfied at capture time (it was signalled after the hang was "
                                        "detected, or the wait never re-polled)"
                                      : "never satisfied: nothing wrote the value the wait expects")
                       < 0 ? -ENOMEM : 0;
}

/* IPEHR holds the header being executed; flag bits may read back otherwise than the batch has
 * them, so the same command (opcode, name) counts as the same instruction. */
static bool ipehr_is(uint32_t ipehr, const struct gd_instr *in, unsigned ver, enum gd_engine_kind ek) {
        struct gd_instr ip;
        if (ipehr == in->header)
                return true;
        if (in->unknown)
                return false;
        gd_instr_decode(&ipehr, 1, ver, ek, &ip);
        return !ip.unknown && ip.name && in->name && strcmp(ip.name, in->name) == 0;
}

/* ACTHD on a boundary just past an instruction IPEHR names, which ends there: the command
 * streamer parsed it and is still executing it, so it is the hung one. 1 when moved, 0 not,
 * -ENOMEM. */
static int just_past(struct gd_hung *h, uint64_t T, uint32_t ipehr, unsigned ver, enum gd_engine_kind ek) {
        struct gd_win_instr *f = &h->window[h->hung_index];
        const char *src = h->source;
        char b1[48];
        if (f->address == T && h->hung_index > 0 && !ipehr_is(ipehr, &f->in, ver, ek)) {
                struct gd_win_instr *p = &h->window[h->hung_index - 1];
                if (ipehr_is(ipehr, &p->in, ver, ek) && p->address + 4ull * p->in.length == T) {
                        /* ACTHD moved past a parsed instruction that is still executing */
                        f->hung = false;
                        p->hung = true;
                        h->hung_index--;
                        h->exact = false;
                        return gd_strv_add(&h->notes, "%s 0x%" PRIx64 " is just past %s at 0x%" PRIx64
                                           "; IPEHR 0x%08" PRIx32 " says it is still executing", src, T,
                                           gd_instr_display_name(&p->in, b1, sizeof(b1)), p->address,
                                           ipehr) < 0 ? -ENOMEM : 1;
                }
        }
        return 0;
}

#define RESYNC_BACK_DWORDS 256 /* how far before ACTHD the header IPEHR latched is looked for */

/* Is the walk's hung instruction the one ACTHD and IPEHR point at? ACTHD is where the command
 * streamer is (on the instruction, or just past it once parsed); IPEHR latches the header it is
 * executing. A walk that stepped over unknown opcodes, or meets neither, lost its place: then
 * decode again from ACTHD, at the nearest header equal to IPEHR whose instruction reaches ACTHD,
 * else at ACTHD itself, and say so. Returns 0 or -ENOMEM. */
static int resync(struct gpudump_dump *d, struct gd_analysis *a, struct walk *w, struct gd_hung *h,
                  const struct gd_vma *v, uint64_t T, bool have_ipehr, uint32_t ipehr) {
        struct gd_win_instr *f = &h->window[h->hung_index];
        bool exact = f->address == T;
        const char *src = h->source;
        char b1[48], b2[48];
        int r;

        if (have_ipehr && ipehr_is(ipehr, &f->in, w->ver, w->ek))
                return 0;
        if (h->in_ring)
                return 0; /* ring walks start at a boundary found from the ring start */

        /* A walk that knew every instruction it passed keeps its place: a disagreeing IPEHR is
         * then noted below (it may be stale), not followed into the middle of an instruction. So
         * does one that met the address on a boundary with nothing to contradict it. */
        if (w->n_unknown == 0 && !f->in.unknown)
                return 0;
        if (!have_ipehr && exact)
                return 0;

        /* Lost: say why, then find the instruction again from the address. */
        if (have_ipehr)
                r = gd_strv_add(&h->notes, "IPEHR 0x%08" PRIx32 " is not the header of the instruction "
                                "the walk from 0x%" PRIx64 " found at %s 0x%" PRIx64 " (%s at 0x%" PRIx64
                                "), and the walk passed %zu unknown opcodes, the first at 0x%" PRIx64, ipehr,
                                h->batch_start, src, T, gd_instr_display_name(&f->in, b1, sizeof(b1)),
                                f->address, w->n_unknown, w->first_unknown);
        else
                r = gd_strv_add(&h->notes, "instruction boundaries from 0x%" PRIx64 " do not meet %s 0x%"
                                PRIx64 " (inside %s at 0x%" PRIx64 "; %zu unknown opcodes on the way, the "
                                "first at 0x%" PRIx64 ")", h->batch_start, src, T,
                                gd_instr_display_name(&f->in, b1, sizeof(b1)), f->address, w->n_unknown,
                                w->first_unknown);
        if (r < 0)
                return -ENOMEM;

        uint64_t back = T - v->address < 4ull * RESYNC_BACK_DWORDS ? T - v->address : 4ull * RESYNC_BACK_DWORDS;
        struct seg sg;
        r = read_seg(d, a, T - back, (size_t)back + 4, &sg);
        if (r == -ENOMEM)
                return r;
        uint64_t at = T;
        const char *how = "at the address itself";
        bool seen = false;
        if (r >= 0 && have_ipehr) {
                for (size_t k = (size_t)(back / 4) + 1; k-- > 0;) {
                        if (k >= sg.n)
                                continue;
                        struct gd_instr in;
                        gd_instr_decode(sg.dw + k, sg.n - k, w->ver, w->ek, &in);
                        if (!ipehr_is(ipehr, &in, w->ver, w->ek))
                                continue;
                        seen = true;
                        uint64_t addr = T - back + 4ull * k;
                        if (!in.unknown && addr + 4ull * in.length >= T) {
                                at = addr;
                                how = addr == T ? "where IPEHR's header is"
                                                : "at IPEHR's header, the instruction the address has just passed";
                                break;
                        }
                }
                if (!seen)
                        how = "at the address itself (IPEHR's header is not in the 1 KiB before it)";
        }
        free(sg.dw);

        /* The walk's chain and batch still tell how execution got here. */
        struct gd_chain_step *chain = TAKE_PTR(h->chain);
        size_t n_chain = h->n_chain;
        uint64_t batch_start = h->batch_start;
        unsigned depth = h->depth;
        struct seg rs;
        r = read_seg(d, a, at, MAX_SEG_BYTES, &rs);
        if (r >= 0) {
                struct gd_win_instr *old = TAKE_PTR(h->window);
                size_t old_n = h->n_window, old_i = h->hung_index;
                w->target = at;
                w->budget = MAX_TOTAL_DWORDS;
                w->win = NULL; /* the first walk's window is h's */
                w->n_win = 0;
                w->found = false;
                r = try_from(w, &rs, h);
                free(rs.dw);
                if (r > 0) {
                        free(old);
                        free(h->chain);
                } else {
                        free(h->window); /* try_from() may fail after taking the new window */
                        h->window = old;
                        h->n_window = old_n;
                        h->hung_index = old_i;
                }
        }
        h->chain = chain;
        h->n_chain = n_chain;
        h->batch_start = batch_start;
        h->depth = depth;
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        h->exact = at == T;
        h->resynced = true;
        f = &h->window[h->hung_index];
        return gd_strv_add(&h->notes, "resynchronised at %s 0x%" PRIx64 ", %s: hung instruction %s at 0x%"
                           PRIx64, src, T, how, gd_instr_display_name(&f->in, b2, sizeof(b2)), f->address)
                       < 0 ? -ENOMEM : 0;
}

int gd_analysis_locate(struct gpudump_dump *d, struct gd_analysis *a) {
        struct gd_hung *h = &a->hung;
        struct walk w = {};
        struct ring_info ri;
        int r = 0;

        if (a->blamed < 0)
                return 0;
        size_t ei = (size_t)a->blamed;
        const struct gd_engine *e = &d->engines[ei];
        const struct gd_engine_state *s = &a->engines[ei];
        enum gd_engine_kind ek = gd_engine_kind_from_class(e->class_name);

        ring_info(d, a, e, s, &ri);

        /* Candidate addresses, best first. */
        struct { const char *src; uint64_t va; bool ring; } cand[5];
        size_t nc = 0;
        uint64_t acthd = s->have[GD_KR_ACTHD] ? s->reg[GD_KR_ACTHD] & ~3ull : 0;
        uint64_t bbaddr = s->have[GD_KR_BBADDR] ? s->reg[GD_KR_BBADDR] & ~3ull : 0;
        uint64_t fadd = s->have[GD_KR_DMA_FADD] ? s->reg[GD_KR_DMA_FADD] & ~3ull : 0;
        bool acthd_ring = ri.known && ri.size && acthd >= ri.start && acthd - ri.start < ri.size;
        bool fadd_ring = ri.known && ri.size && fadd >= ri.start && fadd - ri.start < ri.size;
        if (acthd && !acthd_ring && ri.known && ri.size && s->have[GD_KR_HEAD] &&
            !gd_analysis_find_vma(d, a, acthd) && (acthd & 0x1ffffc) % ri.size == ri.head) {
                /* Ring mode of older parts: ACTHD is the head offset with the wrap count above
                 * bit 21, as RING_HEAD has it, not an address. */
                if ((r = gd_strv_add(&h->notes, "ACTHD 0x%" PRIx64 " is ring offset 0x%" PRIx64 " (wrap count %"
                                     PRIu64 "), as RING_HEAD", acthd, ri.head, acthd >> 21)) < 0)
                        return r;
                acthd = ri.start + ri.head;
                acthd_ring = true;
        }
        if (ri.known && (r = decode_ring(d, a, ei, &ri, ek, acthd)) < 0)
                return r;
        /* ACTHD in the ring on an instruction other than the MI_BATCH_BUFFER_START that enters
         * the batch: the ring itself is executing, and RING_BBADDR is the last batch's, stale. */
        bool ring_first = false;
        for (size_t k = 0; acthd_ring && k < a->ring.n_instrs; k++)
                if (a->ring.instrs[k].hung)
                        ring_first = !a->ring.instrs[k].in.unknown && a->ring.instrs[k].in.flow != GD_FLOW_BB_START;
        if (acthd && acthd_ring && ring_first)
                cand[nc++] = (typeof(cand[0])){ "ACTHD", acthd, true };
        if (acthd && !acthd_ring)
                cand[nc++] = (typeof(cand[0])){ "ACTHD", acthd, false };
        if (bbaddr)
                cand[nc++] = (typeof(cand[0])){ "RING_BBADDR", bbaddr, false };
        if (fadd && !fadd_ring)
                cand[nc++] = (typeof(cand[0])){ "RING_DMA_FADD", fadd, false };
        if (acthd && acthd_ring && !ring_first)
                cand[nc++] = (typeof(cand[0])){ "ACTHD", acthd, true };

        w.d = d;
        w.a = a;
        w.ver = a->gfx_ver;
        w.ek = ek;
        w.notes = &h->notes;
        h->engine = ei;

        if (acthd == 0 && (r = gd_strv_add(&h->notes, "ACTHD is 0")) < 0)
                goto out;
        if (acthd_ring && (r = gd_strv_add(&h->notes, "ACTHD 0x%" PRIx64 " points into the ring",
                                           acthd)) < 0)
                goto out;

        for (size_t c = 0; c < nc && !h->present; c++) {
                uint64_t T = cand[c].va;
                bool seen = false;
                for (size_t k = 0; k < c; k++)
                        seen |= cand[k].va == T && cand[k].ring == cand[c].ring;
                if (seen)
                        continue; /* RING_BBADDR / DMA_FADD often equal ACTHD: tried already */
                const struct gd_vma *v = gd_analysis_find_vma(d, a, T);
                bool ring_hit = cand[c].ring && ri.captured;
                if (!v && !ring_hit) {
                        if ((r = gd_strv_add(&h->notes, "%s 0x%" PRIx64 " is not in a captured VMA",
                                             cand[c].src, T)) < 0)
                                goto out;
                        continue;
                }
                w.target = T;
                w.budget = MAX_TOTAL_DWORDS;
                r = 0;
                /* 1: from the job's batch starts (xe batch_addr, i915 "batch" objects) */
                if (!cand[c].ring) {
                        for (size_t b = 0; b < d->n_batch_addrs && r == 0; b++) {
                                struct seg sg;
                                int rr = read_seg(d, a, d->batch_addrs[b], MAX_SEG_BYTES, &sg);
                                if (rr == -ENOMEM) {
                                        r = rr;
                                        break;
                                }
                                if (rr < 0)
                                        continue;
                                r = try_from(&w, &sg, h);
                                free(sg.dw);
                        }
                        for (size_t k = 0; k < d->n_vmas && r == 0; k++) {
                                const struct gd_vma *bv = &d->vmas[k];
                                if (!bv->kind || strcmp(bv->kind, "batch") != 0 ||
                                    (bv->engine && strcmp(bv->engine, e->name) != 0))
                                        continue;
                                struct seg sg;
                                int rr = read_seg(d, a, bv->address, MAX_SEG_BYTES, &sg);
                                if (rr == -ENOMEM) {
                                        r = rr;
                                        break;
                                }
                                if (rr < 0)
                                        continue;
                                r = try_from(&w, &sg, h);
                                free(sg.dw);
                        }
                }
                /* 2: from the ring head (follows the ring's MI_BATCH_BUFFER_START) */
                if (r == 0 && ri.captured) {
                        struct seg sg;
                        int rr = read_ring(d, ri.vma, ri.start, ri.size, ri.ctx_head, &sg);
                        if (rr == -ENOMEM) {
                                r = rr;
                        } else if (rr >= 0) {
                                r = try_from(&w, &sg, h);
                                free(sg.dw);
                                if (r > 0)
                                        h->in_ring = h->depth == 0;
                        }
                }
                /* 3: from the start of the VMA that holds the address */
                if (r == 0 && v) {
                        struct seg sg;
                        int rr = read_seg(d, a, v->address, MAX_SEG_BYTES, &sg);
                        if (rr == -ENOMEM) {
                                r = rr;
                        } else if (rr >= 0) {
                                r = try_from(&w, &sg, h);
                                free(sg.dw);
                                if (r > 0 && (r = gd_strv_add(&h->notes, "no batch start leads to 0x%" PRIx64
                                                              "; decoded from the start of its VMA 0x%" PRIx64,
                                                              T, v->address)) == 0)
                                        r = 1;
                        }
                }
                /* 4: from the address itself */
                if (r == 0 && v) {
                        struct seg sg;
                        int rr = read_seg(d, a, T, MAX_SEG_BYTES, &sg);
                        if (rr == -ENOMEM) {
                                r = rr;
                        } else if (rr >= 0) {
                                r = try_from(&w, &sg, h);
                                free(sg.dw);
                                if (r > 0) {
                                        h->exact = false;
                                        h->batch_start = v->address;
                                        if ((r = gd_strv_add(&h->notes, "no known instruction boundary "
                                                             "before 0x%" PRIx64 "; decoded from the "
                                                             "address itself", T)) == 0)
                                                r = 1;
                                }
                        }
                }
                if (r < 0)
                        goto out;
                if (r == 0 && (r = gd_strv_add(&h->notes, "%s 0x%" PRIx64 ": no instruction decoded "
                                               "there from any known boundary (contents not "
                                               "captured?)", cand[c].src, T)) < 0)
                        goto out;
                if (r > 0) {
                        h->present = true;
                        h->source = cand[c].src;
                        h->address = T;
                        if (v) {
                                h->found = true;
                                h->vma = v->address;
                                h->offset = T - v->address;
                        }
                        if (cand[c].ring)
                                h->in_ring = true;
                        if (c > 0 && (r = gd_strv_add(&h->notes, "located through %s", cand[c].src)) < 0)
                                goto out;
                }
        }
        if (!h->present && nc == 0 && (r = gd_strv_add(&h->notes, "no ACTHD, RING_BBADDR or "
                                                        "RING_DMA_FADD to locate the hang")) < 0)
                goto out;
        int moved = 0;
        if (h->present && h->hung_index != SIZE_MAX && s->have[GD_KR_IPEHR] && s->reg[GD_KR_IPEHR] &&
            (moved = r = just_past(h, h->address, (uint32_t)s->reg[GD_KR_IPEHR], a->gfx_ver, ek)) < 0)
                goto out;
        if (!moved && h->present && h->hung_index != SIZE_MAX && h->found && !h->in_ring && h->source &&
            (!strcmp(h->source, "ACTHD") || !strcmp(h->source, "RING_BBADDR"))) {
                bool have_ipehr = s->have[GD_KR_IPEHR] && s->reg[GD_KR_IPEHR];
                const struct gd_vma *v = gd_analysis_find_vma(d, a, h->address);
                if (v && (r = resync(d, a, &w, h, v, h->address, have_ipehr,
                                     (uint32_t)s->reg[GD_KR_IPEHR])) < 0)
                        goto out;
        }
        if (h->present && s->have[GD_KR_IPEHR] && s->reg[GD_KR_IPEHR] && h->hung_index != SIZE_MAX) {
                /* IPEHR latches the header the parser is working on: agreement with the decoded
                 * instruction is a cross-check a triager can trust, disagreement a warning. */
                const struct gd_instr *in = &h->window[h->hung_index].in;
                uint32_t ipehr = (uint32_t)s->reg[GD_KR_IPEHR];
                struct gd_instr ip;
                char b1[48], b2[48];
                gd_instr_decode(&ipehr, 1, a->gfx_ver, ek, &ip);
                if (ipehr_is(ipehr, in, a->gfx_ver, ek))
                        r = gd_strv_add(&h->notes, "IPEHR 0x%08" PRIx32 " matches the hung instruction", ipehr);
                else
                        r = gd_strv_add(&h->notes, "IPEHR 0x%08" PRIx32 " (%s) differs from the hung "
                                        "instruction (%s)", ipehr, gd_instr_display_name(&ip, b1, sizeof(b1)),
                                        gd_instr_display_name(in, b2, sizeof(b2)));
                if (r < 0)
                        goto out;
        }
        if (h->present)
                r = wait_analysis(d, a);
        else
                r = 0;
out:
        free(w.win);
        free(w.path);
        return r < 0 ? r : 0;
}
