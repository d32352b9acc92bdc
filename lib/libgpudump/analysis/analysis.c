/* SPDX-License-Identifier: MIT */
/*
 * The analysis pass entry points (its orchestrator) and the shared per-engine / per-context
 * facts: which engine looks busy and why, where its pointers (ACTHD, RING_BBADDR,
 * RING_DMA_FADD) land, and which jobs of each context completed. Blame, hang location and
 * signature build on these.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "gd-macro.h"

/* Value of a canonical register on an engine, combining _LO/_HI halves when printed split. */
static void engine_key_regs(const struct gd_engine *e, unsigned ver, struct gd_engine_state *s) {
        enum gd_engine_kind ek = gd_engine_kind_from_class(e->class_name);
        for (size_t i = 0; i < e->n_regs; i++) {
                struct gd_regname rn;
                const struct gd_regdef *def = gd_reg_lookup(e->regs[i].name, ver, ek, &rn);
                if (!def)
                        continue;
                /* Per-DSS copies ([n]) of a register are not engine-wide state. */
                if (rn.n_indices > 0)
                        continue;
                for (int k = 0; k < GD_KR__MAX; k++) {
                        if (strcmp(gd_regdef_name(def), gd_key_reg_name(k)) != 0)
                                continue;
                        uint64_t v = e->regs[i].value;
                        if (rn.part == GD_REG_LO) {
                                s->reg[k] = (s->reg[k] & ~0xffffffffull) | (v & 0xffffffffull);
                        } else if (rn.part == GD_REG_HI) {
                                s->reg[k] = (s->reg[k] & 0xffffffffull) | (v << 32);
                        } else {
                                s->reg[k] = v;
                        }
                        s->have[k] = true;
                }
        }
}

static bool in_ring(const struct gd_engine_state *s, uint64_t va) {
        if (!s->have[GD_KR_START] || s->ring_size == 0)
                return false;
        uint64_t start = s->reg[GD_KR_START] & ~0xfffull;
        return va >= start && va - start < s->ring_size;
}

static int add_pointer(struct gpudump_dump *d, struct gd_analysis *a, struct gd_engine_state *s,
                       enum gd_key_reg k) {
        if (!s->have[k])
                return 0;
        struct gd_pointer p = { .reg = gd_key_reg_name(k), .value = s->reg[k] };
        uint64_t va = k == GD_KR_START ? p.value & ~0xfffull : p.value & ~3ull;
        const struct gd_vma *v = va ? gd_analysis_find_vma(d, a, va) : NULL;
        p.in_ring = k != GD_KR_START && in_ring(s, va);
        if (v) {
                p.found = true;
                p.vma = v->address;
                p.offset = va - v->address;
        }
        return GD_ARRAY_PUSH(s->pointers, s->n_pointers, p);
}

int gd_analysis_engines(struct gpudump_dump *d, struct gd_analysis *a) {
        int r;

        if (d->n_engines == 0)
                return 0;
        a->engines = calloc(d->n_engines, sizeof(*a->engines));
        if (!a->engines)
                return -ENOMEM;
        a->n_engines = d->n_engines;
        for (size_t i = 0; i < d->n_engines; i++) {
                const struct gd_engine *e = &d->engines[i];
                struct gd_engine_state *s = &a->engines[i];
                s->engine = i;
                s->ring_idle = -1;
                engine_key_regs(e, a->gfx_ver, s);

                if (s->have[GD_KR_CTL] && (s->reg[GD_KR_CTL] & 1))
                        s->ring_size = (((s->reg[GD_KR_CTL] >> 12) & 0x1ff) + 1) * 4096;
                if (s->have[GD_KR_HEAD] && s->have[GD_KR_TAIL]) {
                        uint64_t h = s->reg[GD_KR_HEAD] & 0x1ffffc, t = s->reg[GD_KR_TAIL] & 0x1ffff8;
                        s->ring_idle = h == t;
                        if (h != t && (r = gd_strv_add(&s->busy_reasons,
                                                       "RING_HEAD 0x%" PRIx64 " != RING_TAIL 0x%" PRIx64
                                                       ": commands left in the ring", h, t)) < 0)
                                return r;
                }
                if (s->have[GD_KR_ACTHD] && s->reg[GD_KR_ACTHD] != 0 &&
                    (r = gd_strv_add(&s->busy_reasons, "ACTHD 0x%" PRIx64 " is non-zero",
                                     s->reg[GD_KR_ACTHD])) < 0)
                        return r;
                if (s->have[GD_KR_INSTDONE]) {
                        uint64_t v = s->reg[GD_KR_INSTDONE] & 0xffffffffull;
                        if (v != 0xffffffffull && v != 0 &&
                            (r = gd_strv_add(&s->busy_reasons,
                                             "RING_INSTDONE 0x%08" PRIx64 ": units not idle", v)) < 0)
                                return r;
                }
                if (s->have[GD_KR_ESR] && s->reg[GD_KR_ESR] != 0 &&
                    (r = gd_strv_add(&s->busy_reasons, "RING_ESR 0x%08" PRIx64 ": error status set",
                                     s->reg[GD_KR_ESR])) < 0)
                        return r;
                if (s->have[GD_KR_EIR] && s->reg[GD_KR_EIR] != 0 &&
                    (r = gd_strv_add(&s->busy_reasons, "RING_EIR 0x%08" PRIx64 ": error latched",
                                     s->reg[GD_KR_EIR])) < 0)
                        return r;
                s->busy = s->busy_reasons.n > 0;

                static const enum gd_key_reg ptrs[] = { GD_KR_ACTHD, GD_KR_BBADDR, GD_KR_DMA_FADD, GD_KR_START };
                for (size_t k = 0; k < ELEMENTSOF(ptrs); k++)
                        if ((r = add_pointer(d, a, s, ptrs[k])) < 0)
                                return r;
        }
        return 0;
}

/* Per context: which jobs completed and which never signalled. */
int gd_analysis_contexts(struct gpudump_dump *d, struct gd_analysis *a) {
        if (d->n_contexts == 0)
                return 0;
        a->contexts = calloc(d->n_contexts, sizeof(*a->contexts));
        if (!a->contexts)
                return -ENOMEM;
        a->n_contexts = d->n_contexts;
        for (size_t i = 0; i < d->n_contexts; i++) {
                const struct gd_context *c = &d->contexts[i];
                struct gd_context_state *s = &a->contexts[i];
                /* Seqnos may be negative (xe starts at -127): GD_SEQNO_NONE is "absent". */
                int64_t seqno = c->n_lrcs ? c->lrcs[0].seqno : GD_SEQNO_NONE;
                int64_t start = c->n_lrcs ? c->lrcs[0].start_seqno : GD_SEQNO_NONE;
                bool have_seqno = seqno != GD_SEQNO_NONE, have_start = start != GD_SEQNO_NONE;
                s->context = i;
                s->first_unsignalled = GD_SEQNO_NONE;
                size_t unnumbered = 0; /* pending jobs whose line carries no seqno */
                for (size_t j = 0; j < c->n_jobs; j++) {
                        const struct gd_job *jb = &c->jobs[j];
                        if (jb->seqno == GD_SEQNO_NONE) {
                                /* No seqno to list it by (damaged line): counted, not listed. */
                                unnumbered += jb->fence_signaled != 1;
                                continue;
                        }
                        bool done = jb->fence_signaled == 1 ||
                                    (jb->fence_signaled < 0 && have_seqno && jb->seqno <= seqno);
                        int r = done ? GD_ARRAY_PUSH(s->completed, s->n_completed, jb->seqno)
                                     : GD_ARRAY_PUSH(s->pending, s->n_pending, jb->seqno);
                        if (r < 0)
                                return r;
                        if (!done && s->first_unsignalled == GD_SEQNO_NONE)
                                s->first_unsignalled = jb->seqno;
                }
                char buf[256];
                if (s->first_unsignalled != GD_SEQNO_NONE && have_start && have_seqno && start > seqno &&
                    s->first_unsignalled <= start)
                        snprintf(buf, sizeof(buf),
                                 "job %" PRId64 " started (start seqno %" PRId64 ") but never completed "
                                 "(seqno %" PRId64 "); %zu job(s) pending",
                                 s->first_unsignalled, start, seqno, s->n_pending);
                else if (s->first_unsignalled != GD_SEQNO_NONE && have_start && have_seqno && start == seqno)
                        snprintf(buf, sizeof(buf),
                                 "job %" PRId64 " never started: the last started job (%" PRId64
                                 ") completed; %zu job(s) pending", s->first_unsignalled, start,
                                 s->n_pending);
                else if (s->first_unsignalled != GD_SEQNO_NONE)
                        snprintf(buf, sizeof(buf), "job %" PRId64 " never signalled; %zu job(s) pending",
                                 s->first_unsignalled, s->n_pending);
                else if (unnumbered > 0)
                        snprintf(buf, sizeof(buf), "%zu job(s) without seqno never signalled", unnumbered);
                else if (c->n_jobs > 0)
                        snprintf(buf, sizeof(buf), "all %zu job(s) signalled", c->n_jobs);
                else if (have_start && have_seqno && start > seqno)
                        snprintf(buf, sizeof(buf), "seqno %" PRId64 " started but only %" PRId64
                                 " completed", start, seqno);
                else
                        snprintf(buf, sizeof(buf), "no pending jobs");
                s->state = strdup(buf);
                if (!s->state)
                        return -ENOMEM;
        }
        return 0;
}

static void hung_free(struct gd_hung *h) {
        free(h->window);
        free(h->chain);
        gd_strv_free(&h->notes);
}

void gd_analysis_free(struct gd_analysis *a) {
        if (!a)
                return;
        gd_strv_free(&a->evidence);
        for (size_t i = 0; i < a->n_engines; i++) {
                gd_strv_free(&a->engines[i].busy_reasons);
                free(a->engines[i].pointers);
        }
        free(a->engines);
        for (size_t i = 0; i < a->n_contexts; i++) {
                free(a->contexts[i].completed);
                free(a->contexts[i].pending);
                free(a->contexts[i].state);
        }
        free(a->contexts);
        hung_free(&a->hung);
        free(a->ring.instrs);
        free(a->wait.explanation);
        free(a->sig_driver);
        free(a->sig_class);
        free(a->sig_instr);
        free(a->sig_offset);
        free(a->sig_reason);
        free(a->summary);
        free(a->vma_len);
        free(a);
}

DEFINE_TRIVIAL_CLEANUP_FUNC(struct gd_analysis *, gd_analysis_free);

int gd_analyse(struct gpudump_dump *d) {
        _cleanup_(gd_analysis_freep) struct gd_analysis *a = NULL;
        int r;

        if (!d)
                return -EINVAL;
        if (d->analysis) {
                gd_analysis_free(d->analysis);
                d->analysis = NULL;
        }
        for (size_t i = 0; i < d->n_engines; i++)
                d->engines[i].blamed = false;
        if (d->format == GPUDUMP_FORMAT_UNKNOWN || d->empty)
                return 0; /* nothing to analyse; the fallback signature (signature.c) applies */

        a = calloc(1, sizeof(*a));
        if (!a)
                return -ENOMEM;
        a->blamed = -1;
        a->hung.hung_index = SIZE_MAX;
        if (d->n_vmas) {
                a->vma_len = malloc(d->n_vmas * sizeof(*a->vma_len));
                if (!a->vma_len)
                        return -ENOMEM;
                for (size_t i = 0; i < d->n_vmas; i++)
                        a->vma_len[i] = UINT64_MAX;
        }
        a->gfx_ver = gd_dump_gfx_ver(d, NULL, NULL);

        if ((r = gd_analysis_engines(d, a)) < 0 || (r = gd_analysis_contexts(d, a)) < 0 ||
            (r = gd_analysis_fault(d, a)) < 0 || (r = gd_analysis_blame(d, a)) < 0 ||
            (r = gd_analysis_locate(d, a)) < 0 ||
            (r = gd_analysis_signature(d, a)) < 0 || (r = gd_analysis_summary(d, a)) < 0)
                return r;
        if (a->blamed >= 0)
                d->engines[a->blamed].blamed = true;
        d->analysis = TAKE_PTR(a);
        return 0;
}

/* "ccs0 (compute) hung on MI_SEMAPHORE_WAIT at 0x1a0000000 (batch +0x0): waits until
 * *0x1b0000040 == 0x1, memory holds 0x0. Job 4242 (GuC ID 17) never completed." */
int gd_analysis_summary(struct gpudump_dump *d, struct gd_analysis *a) {
        char buf[768];
        size_t n = 0;
#define APPEND(...)                                                                     \
        do {                                                                            \
                if (n < sizeof(buf))                                                    \
                        n += (size_t)snprintf(buf + n, sizeof(buf) - n, __VA_ARGS__);   \
        } while (0)

        if (a->blamed < 0) {
                APPEND("No engine could be blamed");
        } else {
                const struct gd_engine *e = &d->engines[a->blamed];
                APPEND("%s (%s) hung", e->name, e->class_name ? e->class_name : "unknown class");
                if (a->hung.present && a->hung.hung_index != SIZE_MAX) {
                        const struct gd_win_instr *w = &a->hung.window[a->hung.hung_index];
                        char nb[48];
                        APPEND(" on %s at 0x%" PRIx64, gd_instr_display_name(&w->in, nb, sizeof(nb)), w->address);
                        if (a->hung.in_ring && a->hung.depth == 0)
                                APPEND(" (in the ring)");
                        else
                                APPEND(" (batch 0x%" PRIx64 " +0x%" PRIx64 "%s)", a->hung.batch_start,
                                       w->address - a->hung.batch_start,
                                       a->hung.depth ? ", chained" : "");
                } else {
                        APPEND("; the hung instruction was not captured");
                }
        }
        if (a->wait.present && a->wait.instruction && a->wait.address) {
                if (a->wait.captured)
                        APPEND(": waits until *0x%" PRIx64 " %s 0x%" PRIx32 ", memory holds 0x%" PRIx32 "%s",
                               a->wait.address, gd_sem_op_symbol(a->wait.op), a->wait.expected,
                               a->wait.actual, a->wait.satisfied ? " (satisfied now)" : "");
                else
                        APPEND(": waits until *0x%" PRIx64 " %s 0x%" PRIx32 " (not captured)",
                               a->wait.address, gd_sem_op_symbol(a->wait.op), a->wait.expected);
        }
        APPEND(".");
        if (a->fault.present && a->fault.have_address) {
                APPEND(" Page fault at 0x%" PRIx64, a->fault.address);
                if (a->fault.inside)
                        APPEND(" (VMA 0x%" PRIx64 " +0x%" PRIx64 ").", a->fault.vma, (uint64_t)a->fault.distance);
                else if (a->fault.near && a->fault.distance >= 0)
                        APPEND(" (0x%" PRIx64 " past the end of VMA 0x%" PRIx64 ").", (uint64_t)a->fault.distance,
                               a->fault.vma);
                else if (a->fault.near)
                        APPEND(" (0x%" PRIx64 " before VMA 0x%" PRIx64 ").", (uint64_t)-a->fault.distance,
                               a->fault.vma);
                else
                        APPEND(" (no VMA captured).");
        }
        for (size_t i = 0; i < a->n_contexts; i++) {
                const struct gd_context_state *cs = &a->contexts[i];
                const struct gd_context *c = &d->contexts[cs->context];
                if (cs->first_unsignalled == GD_SEQNO_NONE)
                        continue;
                if (c->guc_id >= 0)
                        APPEND(" Job %" PRId64 " (GuC ID %" PRId64 ") never completed.", cs->first_unsignalled,
                               c->guc_id);
                else
                        APPEND(" Job %" PRId64 " never completed.", cs->first_unsignalled);
                break;
        }
#undef APPEND
        a->summary = strdup(buf);
        return a->summary ? 0 : -ENOMEM;
}

/* FAULT_TLB_DATA0 holds VA bits 43:12, DATA1 bits 47:44 and the GGTT bit. i915 prints both on
 * one header line ("FAULT_TLB_DATA: 0x%08x 0x%08x"); engines may carry them as registers. */
int gd_analysis_fault(struct gpudump_dump *d, struct gd_analysis *a) {
        struct gd_fault *f = &a->fault;
        bool have0 = false, have1 = false;
        uint64_t d0 = 0, d1 = 0;

        f->engine = -1;
        for (size_t i = 0; i < a->n_engines; i++) {
                const struct gd_engine_state *s = &a->engines[i];
                if (f->engine < 0 && s->have[GD_KR_FAULT_REG] && (s->reg[GD_KR_FAULT_REG] & 1)) {
                        f->engine = (int)i;
                        f->fault_reg = (uint32_t)s->reg[GD_KR_FAULT_REG];
                }
                if (!have0 && s->have[GD_KR_TLB0]) {
                        have0 = true;
                        d0 = s->reg[GD_KR_TLB0];
                }
                if (!have1 && s->have[GD_KR_TLB1]) {
                        have1 = true;
                        d1 = s->reg[GD_KR_TLB1];
                }
        }
        for (size_t k = 0; k < d->n_kvs && !have0; k++) {
                const struct gd_kv *kv = &d->kvs[k];
                unsigned long long x0, x1;
                if (!kv->section && kv->key && kv->value && !strcmp(kv->key, "FAULT_TLB_DATA") &&
                    sscanf(kv->value, "%llx %llx", &x0, &x1) == 2) {
                        have0 = have1 = true;
                        d0 = x0;
                        d1 = x1;
                }
        }
        if (f->engine < 0 && !(have0 && (d0 || d1)))
                return 0;
        f->present = true;
        if (have0 && (d0 || d1)) {
                f->have_address = true;
                f->address = ((d1 & 0xfull) << 44) | ((d0 & 0xffffffffull) << 12);
                f->ggtt = (d1 >> 4) & 1;
                const struct gd_vma *v = gd_analysis_find_vma(d, a, f->address);
                if (v) {
                        f->inside = true;
                        f->vma = v->address;
                        f->distance = (int64_t)(f->address - v->address);
                } else {
                        /* the closest VMA edge, like crashdec's ">=" tag: faults just past a
                         * buffer's end are the common out-of-bounds case */
                        uint64_t best = UINT64_MAX;
                        for (size_t i = 0; i < d->n_vmas; i++) {
                                const struct gd_vma *w = &d->vmas[i];
                                uint64_t end = w->address + gd_analysis_vma_length(d, a, w);
                                uint64_t dist = f->address >= end ? f->address - end : w->address - f->address;
                                if (dist < best) {
                                        best = dist;
                                        f->near = true;
                                        f->vma = w->address;
                                        f->distance = f->address >= end ? (int64_t)dist : -(int64_t)dist;
                                }
                        }
                }
        }
        return 0;
}
