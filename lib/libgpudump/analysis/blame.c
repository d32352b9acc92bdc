/* SPDX-License-Identifier: MIT */
/*
 * Which engine hung, from the evidence the dump carries, never from print order.
 *
 * xe: the Reason line names the GuC id of the queue the TDR fired on; that context gives the
 * engine class (and logical mask); among the captured engines of that class the busy one wins
 * (ring head != tail, ACTHD set, INSTDONE not idle, errors latched), and an engine whose
 * execlist status / submit queue names that context wins outright.
 * i915: the ecode's class mask, an engine's "hung: 1", "Active process (on ring X)" and a
 * request in ELSP.
 * Every point scored is written down as evidence; ties are not broken by position.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "gd-macro.h"

static const char *xe_class_name(int id) {
        static const char *const names[] = { "render", "video", "video-enhance", "copy", "other", "compute" };
        return id >= 0 && id < 6 ? names[id] : NULL;
}

/* i915 uabi class bits of the ecode's middle field */
static unsigned i915_class_bit(const char *cls) {
        if (!cls)
                return 0;
        if (!strcmp(cls, "render"))
                return 0x1;
        if (!strcmp(cls, "copy"))
                return 0x2;
        if (!strcmp(cls, "video"))
                return 0x4;
        if (!strcmp(cls, "video-enhance"))
                return 0x8;
        if (!strcmp(cls, "compute"))
                return 0x10;
        return 0;
}

static bool parse_guc_id(const char *reason, int64_t *ret) {
        const char *p = reason ? strstr(reason, "guc_id=") : NULL;
        char *end;
        if (!p)
                return false;
        long long v = strtoll(p + 7, &end, 10);
        if (end == p + 7)
                return false;
        *ret = v;
        return true;
}

static const char *prop(const struct gd_engine *e, const char *key) {
        for (size_t i = 0; i < e->n_props; i++)
                if (e->props[i].key && strcmp(e->props[i].key, key) == 0)
                        return e->props[i].value ? e->props[i].value : "";
        return NULL;
}

struct cand {
        int score;
        struct gd_strv why;
};

static void cands_free(struct cand *c, size_t n) {
        if (!c)
                return;
        for (size_t i = 0; i < n; i++)
                gd_strv_free(&c[i].why);
        free(c);
}

/* Points for what the registers say about an engine. */
static int score_registers(struct gd_analysis *a, size_t i, struct cand *c) {
        const struct gd_engine_state *s = &a->engines[i];
        int r;
        if (s->ring_idle == 0) {
                c->score += 2;
                if ((r = gd_strv_add(&c->why, "RING_HEAD 0x%" PRIx64 " != RING_TAIL 0x%" PRIx64,
                                     s->reg[GD_KR_HEAD] & 0x1ffffc, s->reg[GD_KR_TAIL] & 0x1ffff8)) < 0)
                        return r;
        }
        if (s->have[GD_KR_ACTHD] && s->reg[GD_KR_ACTHD]) {
                c->score += 2;
                if ((r = gd_strv_add(&c->why, "ACTHD 0x%" PRIx64 " is non-zero", s->reg[GD_KR_ACTHD])) < 0)
                        return r;
        }
        if (s->have[GD_KR_INSTDONE]) {
                uint64_t v = s->reg[GD_KR_INSTDONE] & 0xffffffffull;
                if (v != 0xffffffffull && v != 0) {
                        c->score += 1;
                        if ((r = gd_strv_add(&c->why, "RING_INSTDONE 0x%08" PRIx64 " not idle", v)) < 0)
                                return r;
                }
        }
        if ((s->have[GD_KR_ESR] && s->reg[GD_KR_ESR]) || (s->have[GD_KR_EIR] && s->reg[GD_KR_EIR])) {
                c->score += 2;
                if ((r = gd_strv_add(&c->why, "error registers set (ESR 0x%" PRIx64 ", EIR 0x%" PRIx64 ")",
                                     s->reg[GD_KR_ESR], s->reg[GD_KR_EIR])) < 0)
                        return r;
        }
        if (s->have[GD_KR_FAULT_REG] && (s->reg[GD_KR_FAULT_REG] & 1)) {
                static const char *const types[] = { "page", "invalid PD", "unloaded PD", "invalid and unloaded PD" };
                c->score += 3;
                if ((r = gd_strv_add(&c->why, "FAULT_REG 0x%08" PRIx64 ": %s fault pending",
                                     s->reg[GD_KR_FAULT_REG], types[(s->reg[GD_KR_FAULT_REG] >> 1) & 3])) < 0)
                        return r;
        }
        if (s->have[GD_KR_IPEHR] && s->reg[GD_KR_IPEHR]) {
                struct gd_instr in;
                uint32_t w = (uint32_t)s->reg[GD_KR_IPEHR];
                char buf[48];
                gd_instr_decode(&w, 1, a->gfx_ver, GD_EK_ANY, &in);
                c->score += 1;
                if ((r = gd_strv_add(&c->why, "IPEHR 0x%08" PRIx32 " (%s) in flight", w,
                                     gd_instr_display_name(&in, buf, sizeof(buf)))) < 0)
                        return r;
        }
        return 0;
}

static int blame_xe(struct gpudump_dump *d, struct gd_analysis *a, struct cand *c) {
        const struct gd_context *ctx = NULL;
        const char *cls = NULL;
        int64_t guc_id = -1;
        int r;

        if (parse_guc_id(d->reason, &guc_id)) {
                if ((r = gd_strv_add(&a->evidence, "Reason names guc_id=%" PRId64, guc_id)) < 0)
                        return r;
                for (size_t i = 0; i < d->n_contexts; i++)
                        if (d->contexts[i].guc_id == guc_id) {
                                ctx = &d->contexts[i];
                                break;
                        }
                if (!ctx && (r = gd_strv_add(&a->evidence, "no context with GuC ID %" PRId64
                                             " in the dump", guc_id)) < 0)
                        return r;
        } else if (d->n_contexts == 1) {
                /* Older kernels print no Reason; a lone context is the faulting queue. */
                ctx = &d->contexts[0];
                guc_id = ctx->guc_id;
                if ((r = gd_strv_add(&a->evidence, "no Reason line; the dump holds one context "
                                     "(GuC ID %" PRId64 ")", ctx->guc_id)) < 0)
                        return r;
        }
        if (ctx) {
                cls = xe_class_name(ctx->class_id);
                if (cls && (r = gd_strv_add(&a->evidence, "context GuC ID %" PRId64 " (%s) is class %d "
                                            "(%s), logical mask 0x%" PRIx64, ctx->guc_id,
                                            ctx->name ? ctx->name : "?", ctx->class_id, cls,
                                            ctx->logical_mask)) < 0)
                        return r;
        }

        for (size_t i = 0; i < d->n_engines; i++) {
                const struct gd_engine *e = &d->engines[i];
                const struct gd_engine_state *s = &a->engines[i];
                if (cls && e->class_name && strcmp(cls, e->class_name) != 0) {
                        c[i].score = -1000; /* another class cannot run this queue */
                        continue;
                }
                if (ctx && ctx->logical_mask && e->logical_instance >= 0 && e->logical_instance < 64 &&
                    !(ctx->logical_mask & (1ull << e->logical_instance))) {
                        c[i].score = -1000;
                        continue;
                }
                if (e->reserved) {
                        c[i].score -= 1;
                        if ((r = gd_strv_add(&c[i].why, "engine reserved for kernel use")) < 0)
                                return r;
                }
                if (ctx && s->have[GD_KR_EXECLIST_STATUS] && guc_id >= 0 &&
                    (s->reg[GD_KR_EXECLIST_STATUS] >> 32) == (uint64_t)guc_id && guc_id != 0) {
                        c[i].score += 4;
                        if ((r = gd_strv_add(&c[i].why, "RING_EXECLIST_STATUS current context id 0x%" PRIx64
                                             " is GuC ID %" PRId64, s->reg[GD_KR_EXECLIST_STATUS] >> 32,
                                             guc_id)) < 0)
                                return r;
                }
                if (ctx && ctx->n_lrcs && s->have[GD_KR_EXECLIST_SQ] && (s->reg[GD_KR_EXECLIST_SQ] & 1) &&
                    ((s->reg[GD_KR_EXECLIST_SQ] & 0xfffff000ull) == (ctx->lrcs[0].context_desc & 0xfffff000ull)) &&
                    (ctx->lrcs[0].context_desc & 0xfffff000ull) != 0) {
                        c[i].score += 4;
                        if ((r = gd_strv_add(&c[i].why, "RING_EXECLIST_SQ_CONTENTS LRCA 0x%08" PRIx64
                                             " is the context's HW Context Desc",
                                             (uint64_t)(s->reg[GD_KR_EXECLIST_SQ] & 0xfffff000u))) < 0)
                                return r;
                }
                if ((r = score_registers(a, i, &c[i])) < 0)
                        return r;
                if (cls && (r = gd_strv_add(&c[i].why, "class %s matches the context", cls)) < 0)
                        return r;
        }
        return cls ? 1 : 0;
}

static int blame_i915(struct gpudump_dump *d, struct gd_analysis *a, struct cand *c) {
        unsigned mask = 0, ver, ecode;
        bool have_mask = false;
        int r;

        if (d->reason) {
                const char *e = strstr(d->reason, "ecode ");
                if (e && sscanf(e + 6, "%u:%x:%x", &ver, &mask, &ecode) == 3) {
                        have_mask = mask && mask < 0x20;
                        if ((r = gd_strv_add(&a->evidence, have_mask ? "ecode %u:%x:%08x: hung class mask 0x%x"
                                                                      : "ecode %u:%x:%08x: no class mask (0x%x)",
                                             ver, mask, ecode, mask)) < 0)
                                return r;
                }
        }
        long max_hangcheck = 0;
        for (size_t i = 0; i < d->n_engines; i++) {
                const char *hc = prop(&d->engines[i], "hangcheck");
                const char *br = hc ? strchr(hc, '[') : NULL;
                long sc = br ? strtol(br + 1, NULL, 10) : 0;
                if (sc > max_hangcheck)
                        max_hangcheck = sc;
        }
        for (size_t i = 0; i < d->n_engines; i++) {
                const struct gd_engine *e = &d->engines[i];
                unsigned cb = i915_class_bit(e->class_name);
                const char *hung = prop(e, "hung");
                /* Before ~v5.8 the middle field was an engine mask; only trust it as a class
                 * mask when it has no bits beyond the five classes. */
                if (have_mask && mask && mask < 0x20 && cb) {
                        if (mask & cb) {
                                c[i].score += 1;
                                if ((r = gd_strv_add(&c[i].why, "class %s is in the ecode mask 0x%x",
                                                     e->class_name, mask)) < 0)
                                        return r;
                        } else {
                                c[i].score -= 3;
                        }
                }
                if (hung && strtol(hung, NULL, 10) > 0) {
                        c[i].score += 6;
                        if ((r = gd_strv_add(&c[i].why, "hung: %s", hung)) < 0)
                                return r;
                }
                /* kernels before ~4.10: "hangcheck: hung [score]", the highest score is the
                 * engine stuck longest */
                const char *hc = prop(e, "hangcheck");
                if (hc && strncmp(hc, "hung", 4) == 0) {
                        long sc = 0;
                        const char *br = strchr(hc, '[');
                        if (br)
                                sc = strtol(br + 1, NULL, 10);
                        c[i].score += 4 + (sc > 0 && sc == max_hangcheck);
                        if ((r = gd_strv_add(&c[i].why, "hangcheck: %s%s", hc,
                                             sc > 0 && sc == max_hangcheck ? " (highest score)" : "")) < 0)
                                return r;
                }
                for (size_t k = 0; k < d->n_kvs; k++) {
                        const struct gd_kv *kv = &d->kvs[k];
                        char want[96], want_old[104];
                        snprintf(want, sizeof(want), "Active process (on ring %s)", e->name);
                        /* old kernels name the ring "render ring" and the engine "render" */
                        snprintf(want_old, sizeof(want_old), "Active process (on ring %s ring)", e->name);
                        if (!kv->section && kv->key &&
                            (strcmp(kv->key, want) == 0 || strcmp(kv->key, want_old) == 0)) {
                                c[i].score += 2;
                                if ((r = gd_strv_add(&c[i].why, "%s: %s", kv->key,
                                                     kv->value ? kv->value : "")) < 0)
                                        return r;
                        }
                }
                for (size_t k = 0; k < e->n_props; k++) {
                        const struct gd_kv *kv = &e->props[k];
                        if (kv->key && strncmp(kv->key, "ELSP[0]", 7) == 0 && kv->value &&
                            strstr(kv->value, "pid ")) {
                                c[i].score += 1;
                                if ((r = gd_strv_add(&c[i].why, "ELSP[0] holds a request: %s", kv->value)) < 0)
                                        return r;
                        }
                }
                if ((r = score_registers(a, i, &c[i])) < 0)
                        return r;
        }
        return have_mask;
}

int gd_analysis_blame(struct gpudump_dump *d, struct gd_analysis *a) {
        struct cand *c;
        int r, keyed = 0;

        if (d->n_engines == 0) {
                a->confidence = GD_CONF_NONE;
                return gd_strv_add(&a->evidence, "the dump holds no engine");
        }
        c = calloc(d->n_engines, sizeof(*c));
        if (!c)
                return -ENOMEM;
        if (d->format == GPUDUMP_FORMAT_XE)
                r = blame_xe(d, a, c);
        else if (d->format == GPUDUMP_FORMAT_I915)
                r = blame_i915(d, a, c);
        else {
                r = 0;
                for (size_t i = 0; i < d->n_engines && r >= 0; i++)
                        r = score_registers(a, i, &c[i]);
        }
        if (r < 0)
                goto out;
        keyed = r;

        size_t best = SIZE_MAX, n_candidates = 0, n_best = 0;
        for (size_t i = 0; i < d->n_engines; i++) {
                if (c[i].score <= -1000)
                        continue;
                n_candidates++;
                if (best == SIZE_MAX || c[i].score > c[best].score) {
                        best = i;
                        n_best = 1;
                } else if (c[i].score == c[best].score) {
                        n_best++;
                }
        }

        if (best == SIZE_MAX) {
                a->confidence = GD_CONF_NONE;
                r = gd_strv_add(&a->evidence, "no captured engine can run the faulting context");
                goto out;
        }
        if (n_best > 1 && c[best].score > 0) {
                a->confidence = GD_CONF_NONE;
                r = gd_strv_add(&a->evidence, "%zu engines look equally busy (score %d); not guessing",
                                n_best, c[best].score);
                goto out;
        }
        if (c[best].score <= 0 && !(keyed && n_candidates == 1)) {
                a->confidence = GD_CONF_NONE;
                r = gd_strv_add(&a->evidence, "no engine shows activity");
                goto out;
        }

        a->blamed = (int)best;
        if (c[best].score <= 0)
                a->confidence = GD_CONF_LOW; /* the only engine that can run the context, idle */
        else if (keyed && c[best].score >= 3)
                a->confidence = GD_CONF_HIGH;
        else if (keyed || c[best].score >= 4)
                a->confidence = GD_CONF_MEDIUM;
        else
                a->confidence = GD_CONF_LOW;
        if (keyed && n_candidates == 1 && (r = gd_strv_add(&a->evidence, "%s is the only captured "
                                                           "engine that can run the context",
                                                           d->engines[best].name)) < 0)
                goto out;
        for (size_t k = 0; k < c[best].why.n; k++)
                if ((r = gd_strv_add(&a->evidence, "%s: %s", d->engines[best].name, c[best].why.v[k])) < 0)
                        goto out;
        for (size_t i = 0; i < d->n_engines; i++) {
                if (i == best || c[i].score <= -1000)
                        continue;
                if ((r = gd_strv_add(&a->evidence, "%s scored lower (%d vs %d)%s", d->engines[i].name,
                                     c[i].score, c[best].score,
                                     a->engines[i].busy ? "" : ": idle")) < 0)
                        goto out;
        }
        r = 0;
out:
        cands_free(c, d->n_engines);
        return r < 0 ? r : 0;
}
