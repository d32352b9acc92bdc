/* SPDX-License-Identifier: MIT */
/*
 * "analysis" of the JSON report (schema: $defs/analysis in schemas/gpudump-report.schema.json).
 * Addresses and register values are "0x..." strings: 64-bit values do not survive every JSON
 * reader as numbers, and a triager reads them in hex anyway.
 */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "gd-macro.h"

struct jctx {
        bool oom;
};

static struct json_object *chk(struct jctx *j, struct json_object *o) {
        if (!o)
                j->oom = true;
        return o;
}

/* v == NULL is JSON null (json-c's representation); allocation failures were caught by chk(). */
static void put(struct jctx *j, struct json_object *obj, const char *key, struct json_object *v) {
        if (!obj) {
                j->oom = true;
                json_object_put(v);
                return;
        }
        if (json_object_object_add(obj, key, v) < 0) {
                j->oom = true;
                json_object_put(v);
        }
}

static void push(struct jctx *j, struct json_object *arr, struct json_object *v) {
        if (!arr) {
                j->oom = true;
                json_object_put(v);
                return;
        }
        if (json_object_array_add(arr, v) < 0) {
                j->oom = true;
                json_object_put(v);
        }
}

static struct json_object *jhex(struct jctx *j, uint64_t v) {
        char buf[24];
        snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
        return chk(j, json_object_new_string(buf));
}

static struct json_object *jstr(struct jctx *j, const char *s) {
        return s ? chk(j, json_object_new_string(s)) : json_object_new_null();
}

static struct json_object *jstrv(struct jctx *j, const struct gd_strv *sv) {
        struct json_object *a = chk(j, json_object_new_array());
        for (size_t i = 0; i < sv->n; i++)
                push(j, a, jstr(j, sv->v[i]));
        return a;
}

static struct json_object *jfields(struct jctx *j, const struct gd_field *f, unsigned n) {
        return chk(j, gd_json_fields(f, n));
}

/* The instruction object is shared with the full listing (instr-json.c). */
static struct json_object *jinstr(struct jctx *j, const struct gd_win_instr *w) {
        return chk(j, gd_json_instr(w->address, w->dwords, w->n_dwords, &w->in, w->hung));
}

static const char *conf_name(enum gd_confidence c) {
        switch (c) {
        case GD_CONF_HIGH: return "high";
        case GD_CONF_MEDIUM: return "medium";
        case GD_CONF_LOW: return "low";
        default: return "none";
        }
}

static struct json_object *jregisters(struct jctx *j, const struct gd_engine *e, unsigned ver) {
        struct json_object *arr = chk(j, json_object_new_array());
        enum gd_engine_kind ek = gd_engine_kind_from_class(e->class_name);
        for (size_t i = 0; i < e->n_regs; i++) {
                const struct gd_reg *rg = &e->regs[i];
                struct gd_regname rn;
                const struct gd_regdef *def = gd_reg_lookup(rg->name, ver, ek, &rn);
                struct json_object *o = chk(j, json_object_new_object());
                put(j, o, "name", jstr(j, rg->name));
                put(j, o, "value", jhex(j, rg->value));
                put(j, o, "known", chk(j, json_object_new_boolean(def != NULL)));
                if (def) {
                        struct gd_field f[32];
                        unsigned n = gd_reg_decode(def, rg->value, rn.part, rg->width, f, ELEMENTSOF(f));
                        put(j, o, "register", jstr(j, gd_regdef_name(def)));
                        put(j, o, "description", jstr(j, gd_regdef_description(def)));
                        if (rn.part != GD_REG_FULL)
                                put(j, o, "part", jstr(j, rn.part == GD_REG_LO ? "lo" : "hi"));
                        put(j, o, "fields", jfields(j, f, n));
                        if (gd_regdef_is_instdone(def)) {
                                const char *names[64];
                                char scratch[64][8];
                                unsigned nb = gd_reg_busy_units(def, rg->value, rg->width, names, 64, scratch);
                                struct json_object *b = chk(j, json_object_new_array());
                                for (unsigned k = 0; k < nb; k++)
                                        push(j, b, jstr(j, names[k]));
                                put(j, o, "busy_units", b);
                        }
                        if (gd_regdef_is_instruction(def)) {
                                struct gd_instr in;
                                uint32_t w = (uint32_t)rg->value;
                                char buf[48];
                                gd_instr_decode(&w, 1, ver, ek, &in);
                                put(j, o, "instruction", jstr(j, gd_instr_display_name(&in, buf, sizeof(buf))));
                        }
                }
                push(j, arr, o);
        }
        return arr;
}

static struct json_object *jengines(struct jctx *j, struct gpudump_dump *d, struct gd_analysis *a) {
        struct json_object *arr = chk(j, json_object_new_array());
        for (size_t i = 0; i < a->n_engines; i++) {
                const struct gd_engine_state *s = &a->engines[i];
                const struct gd_engine *e = &d->engines[s->engine];
                struct json_object *o = chk(j, json_object_new_object());
                put(j, o, "name", jstr(j, e->name));
                put(j, o, "class", jstr(j, e->class_name));
                put(j, o, "busy", chk(j, json_object_new_boolean(s->busy)));
                put(j, o, "busy_reasons", jstrv(j, &s->busy_reasons));
                put(j, o, "ring_idle", s->ring_idle < 0 ? json_object_new_null()
                                                        : chk(j, json_object_new_boolean(s->ring_idle == 1)));
                if (s->have[GD_KR_HEAD])
                        put(j, o, "ring_head", jhex(j, s->reg[GD_KR_HEAD] & 0x1ffffc));
                if (s->have[GD_KR_TAIL])
                        put(j, o, "ring_tail", jhex(j, s->reg[GD_KR_TAIL] & 0x1ffff8));
                if (s->ring_size)
                        put(j, o, "ring_size", chk(j, json_object_new_uint64(s->ring_size)));
                struct json_object *ptrs = chk(j, json_object_new_array());
                for (size_t k = 0; k < s->n_pointers; k++) {
                        const struct gd_pointer *p = &s->pointers[k];
                        struct json_object *po = chk(j, json_object_new_object());
                        put(j, po, "register", jstr(j, p->reg));
                        put(j, po, "value", jhex(j, p->value));
                        put(j, po, "in_ring", chk(j, json_object_new_boolean(p->in_ring)));
                        put(j, po, "vma", p->found ? jhex(j, p->vma) : json_object_new_null());
                        put(j, po, "offset", p->found ? jhex(j, p->offset) : json_object_new_null());
                        push(j, ptrs, po);
                }
                put(j, o, "pointers", ptrs);
                put(j, o, "registers", jregisters(j, e, a->gfx_ver));
                push(j, arr, o);
        }
        return arr;
}

static struct json_object *jseqnos(struct jctx *j, const int64_t *v, size_t n) {
        struct json_object *a = chk(j, json_object_new_array());
        for (size_t i = 0; i < n; i++)
                push(j, a, chk(j, json_object_new_int64(v[i])));
        return a;
}

static struct json_object *jint_or_null(struct jctx *j, int64_t v) {
        return v < 0 ? json_object_new_null() : chk(j, json_object_new_int64(v));
}

/* Seqnos may be negative (xe starts at -127): only GD_SEQNO_NONE is "unknown". */
static struct json_object *jseqno_or_null(struct jctx *j, int64_t v) {
        return v == GD_SEQNO_NONE ? json_object_new_null() : chk(j, json_object_new_int64(v));
}

static struct json_object *jcontexts(struct jctx *j, struct gpudump_dump *d, struct gd_analysis *a) {
        struct json_object *arr = chk(j, json_object_new_array());
        for (size_t i = 0; i < a->n_contexts; i++) {
                const struct gd_context_state *s = &a->contexts[i];
                const struct gd_context *c = &d->contexts[s->context];
                struct json_object *o = chk(j, json_object_new_object());
                put(j, o, "guc_id", jint_or_null(j, c->guc_id));
                put(j, o, "name", jstr(j, c->name));
                put(j, o, "seqno", jseqno_or_null(j, c->n_lrcs ? c->lrcs[0].seqno : GD_SEQNO_NONE));
                put(j, o, "start_seqno",
                    jseqno_or_null(j, c->n_lrcs ? c->lrcs[0].start_seqno : GD_SEQNO_NONE));
                put(j, o, "completed", jseqnos(j, s->completed, s->n_completed));
                put(j, o, "pending", jseqnos(j, s->pending, s->n_pending));
                put(j, o, "first_unsignalled", jseqno_or_null(j, s->first_unsignalled));
                put(j, o, "state", jstr(j, s->state));
                push(j, arr, o);
        }
        return arr;
}

static struct json_object *jhung(struct jctx *j, struct gpudump_dump *d, struct gd_analysis *a) {
        const struct gd_hung *h = &a->hung;
        if (!h->present)
                return json_object_new_null();
        struct json_object *o = chk(j, json_object_new_object());
        put(j, o, "engine", jstr(j, d->engines[h->engine].name));
        put(j, o, "address", jhex(j, h->address));
        put(j, o, "vma", h->found ? jhex(j, h->vma) : json_object_new_null());
        put(j, o, "offset", h->found ? jhex(j, h->offset) : json_object_new_null());
        put(j, o, "source", jstr(j, h->source));
        put(j, o, "exact", chk(j, json_object_new_boolean(h->exact)));
        put(j, o, "resynchronised", chk(j, json_object_new_boolean(h->resynced)));
        put(j, o, "in_ring", chk(j, json_object_new_boolean(h->in_ring)));
        put(j, o, "batch_start", jhex(j, h->batch_start));
        if (h->hung_index != SIZE_MAX) {
                const struct gd_win_instr *w = &h->window[h->hung_index];
                char buf[48];
                put(j, o, "instruction", jstr(j, gd_instr_display_name(&w->in, buf, sizeof(buf))));
                put(j, o, "instruction_address", jhex(j, w->address));
                put(j, o, "batch_offset", jhex(j, w->address - h->batch_start));
        }
        put(j, o, "depth", chk(j, json_object_new_int((int)h->depth)));
        struct json_object *win = chk(j, json_object_new_array());
        for (size_t k = 0; k < h->n_window; k++)
                push(j, win, jinstr(j, &h->window[k]));
        put(j, o, "window", win);
        struct json_object *ch = chk(j, json_object_new_array());
        for (size_t k = 0; k < h->n_chain; k++) {
                const struct gd_chain_step *c = &h->chain[k];
                struct json_object *co = chk(j, json_object_new_object());
                put(j, co, "from", c->depth == 0 ? json_object_new_null() : jhex(j, c->from));
                put(j, co, "address", jhex(j, c->to));
                put(j, co, "depth", chk(j, json_object_new_int((int)c->depth)));
                put(j, co, "second_level", chk(j, json_object_new_boolean(c->second_level)));
                put(j, co, "captured", chk(j, json_object_new_boolean(c->captured)));
                push(j, ch, co);
        }
        put(j, o, "chain", ch);
        put(j, o, "notes", jstrv(j, &h->notes));
        return o;
}

static struct json_object *jring(struct jctx *j, struct gpudump_dump *d, struct gd_analysis *a) {
        const struct gd_ring *r = &a->ring;
        if (!r->present)
                return json_object_new_null();
        struct json_object *o = chk(j, json_object_new_object());
        put(j, o, "engine", jstr(j, d->engines[r->engine].name));
        put(j, o, "start", jhex(j, r->start));
        put(j, o, "size", chk(j, json_object_new_uint64(r->size)));
        put(j, o, "head", jhex(j, r->head));
        put(j, o, "tail", jhex(j, r->tail));
        put(j, o, "captured", chk(j, json_object_new_boolean(r->captured)));
        struct json_object *arr = chk(j, json_object_new_array());
        for (size_t k = 0; k < r->n_instrs; k++)
                push(j, arr, jinstr(j, &r->instrs[k]));
        put(j, o, "instructions", arr);
        return o;
}

static struct json_object *jwait(struct jctx *j, struct gd_analysis *a) {
        const struct gd_wait *w = &a->wait;
        if (!w->present)
                return json_object_new_null();
        struct json_object *o = chk(j, json_object_new_object());
        put(j, o, "instruction", jstr(j, w->instruction));
        if (w->address || (w->instruction && strcmp(w->instruction, "MI_SEMAPHORE_WAIT") == 0)) {
                put(j, o, "address", jhex(j, w->address));
                put(j, o, "address_space", jstr(j, w->ggtt ? "GGTT" : "PPGTT"));
                put(j, o, "compare", jstr(j, gd_sem_op_name(w->op)));
                put(j, o, "compare_symbol", jstr(j, gd_sem_op_symbol(w->op)));
                put(j, o, "expected", jhex(j, w->expected));
                put(j, o, "captured", chk(j, json_object_new_boolean(w->captured)));
                put(j, o, "actual", w->captured ? jhex(j, w->actual) : json_object_new_null());
                put(j, o, "satisfied", w->captured ? chk(j, json_object_new_boolean(w->satisfied))
                                                    : json_object_new_null());
        }
        put(j, o, "explanation", jstr(j, w->explanation));
        return o;
}

static struct json_object *jfault(struct jctx *j, struct gpudump_dump *d, struct gd_analysis *a) {
        const struct gd_fault *f = &a->fault;
        if (!f->present)
                return NULL;
        struct json_object *o = chk(j, json_object_new_object());
        put(j, o, "engine", f->engine >= 0 ? jstr(j, d->engines[f->engine].name) : NULL);
        if (f->engine >= 0) {
                enum gd_engine_kind ek = gd_engine_kind_from_class(d->engines[f->engine].class_name);
                const struct gd_regdef *def = gd_reg_lookup("FAULT_REG", a->gfx_ver ? a->gfx_ver : 1200, ek, NULL);
                struct gd_field fl[16];
                unsigned n = def ? gd_reg_decode(def, f->fault_reg, GD_REG_FULL, 32, fl, 16) : 0;
                put(j, o, "fault_reg", jhex(j, f->fault_reg));
                put(j, o, "fault_reg_fields", jfields(j, fl, n));
        }
        put(j, o, "address", f->have_address ? jhex(j, f->address) : NULL);
        put(j, o, "address_space", f->have_address ? jstr(j, f->ggtt ? "GGTT" : "PPGTT") : NULL);
        put(j, o, "inside", chk(j, json_object_new_boolean(f->inside)));
        put(j, o, "vma", f->inside || f->near ? jhex(j, f->vma) : NULL);
        put(j, o, "distance", f->inside || f->near ? chk(j, json_object_new_int64(f->distance)) : NULL);
        return o;
}

int gd_analysis_to_json(struct gpudump_dump *d, struct json_object *report, unsigned flags) {
        struct gd_analysis *a;
        struct jctx j = {};

        if (!d || !report)
                return -EINVAL;
        a = d->analysis;
        if (!a)
                return 0; /* not analysed (GPUDUMP_OPEN_NO_ANALYSIS, unknown format) */

        struct json_object *o = chk(&j, json_object_new_object());
        char ver[16];
        if (a->gfx_ver)
                gd_gfx_ver_format(a->gfx_ver, ver, sizeof(ver));
        put(&j, o, "summary", jstr(&j, a->summary));
        put(&j, o, "graphics_version", a->gfx_ver ? jstr(&j, ver) : json_object_new_null());

        struct json_object *b = chk(&j, json_object_new_object());
        put(&j, b, "engine", a->blamed >= 0 ? jstr(&j, d->engines[a->blamed].name) : json_object_new_null());
        put(&j, b, "class", a->blamed >= 0 ? jstr(&j, d->engines[a->blamed].class_name) : json_object_new_null());
        put(&j, b, "evidence", jstrv(&j, &a->evidence));
        put(&j, b, "confidence", jstr(&j, conf_name(a->confidence)));
        put(&j, o, "blamed", b);

        put(&j, o, "engines", jengines(&j, d, a));
        put(&j, o, "contexts", jcontexts(&j, d, a));
        put(&j, o, "hung_instruction", jhung(&j, d, a));
        /* why the hang could (not) be located, also when hung_instruction is null */
        put(&j, o, "notes", jstrv(&j, &a->hung.notes));
        put(&j, o, "ring", jring(&j, d, a));
        put(&j, o, "wait", jwait(&j, a));
        put(&j, o, "fault", jfault(&j, d, a));

        struct json_object *s = chk(&j, json_object_new_object());
        put(&j, s, "value", jstr(&j, d->signature));
        struct json_object *parts = chk(&j, json_object_new_object());
        put(&j, parts, "driver", jstr(&j, a->sig_driver));
        put(&j, parts, "engine_class", jstr(&j, a->sig_class));
        put(&j, parts, "instruction", jstr(&j, a->sig_instr));
        put(&j, parts, "offset", jstr(&j, a->sig_offset));
        put(&j, parts, "reason_kind", jstr(&j, a->sig_reason));
        put(&j, s, "parts", parts);
        put(&j, o, "signature", s);

        if (j.oom) {
                json_object_put(o);
                return -ENOMEM;
        }
        if (json_object_object_add(report, "analysis", o) < 0) {
                json_object_put(o);
                return -ENOMEM;
        }
        return 0;
}
