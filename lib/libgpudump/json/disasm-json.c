/* SPDX-License-Identifier: MIT */
/*
 * The full listing as JSON (schemas/gpudump-disasm.schema.json): {"buffers": [{address, kind,
 * engine, from, depth, size, [head, tail,] end, instructions: [...]}], "notes": [...]}, each
 * instruction the object of the report's ring listing (instr-json.c).
 */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gd-macro.h"
#include "json.h"

struct jb {
        bool oom;
};

static struct json_object *chk(struct jb *b, struct json_object *o) {
        if (!o)
                b->oom = true;
        return o;
}

static void add(struct jb *b, struct json_object *o, const char *key, struct json_object *v) {
        if (!o || json_object_object_add(o, key, v) < 0) {
                b->oom = true;
                json_object_put(v);
        }
}

static void push(struct jb *b, struct json_object *a, struct json_object *v) {
        if (!v || !a || json_object_array_add(a, v) < 0) {
                b->oom = true;
                json_object_put(v);
        }
}

static struct json_object *hex(struct jb *b, uint64_t v) {
        char buf[24];

        snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
        return chk(b, json_object_new_string(buf));
}

static struct json_object *buffer_json(struct jb *b, const struct gd_disasm *dis, const struct gd_dis_buffer *f) {
        struct json_object *o = chk(b, json_object_new_object()), *arr = chk(b, json_object_new_array());

        add(b, o, "address", hex(b, f->address));
        add(b, o, "kind", chk(b, json_object_new_string(f->kind)));
        add(b, o, "engine", f->engine ? chk(b, json_object_new_string(f->engine)) : NULL);
        add(b, o, "from", f->has_from ? hex(b, f->from) : NULL);
        add(b, o, "depth", chk(b, json_object_new_int((int)f->depth)));
        add(b, o, "size", chk(b, json_object_new_uint64(4 * (uint64_t)f->n_dw)));
        if (f->has_head_tail) {
                add(b, o, "head", hex(b, f->head));
                add(b, o, "tail", hex(b, f->tail));
        }
        add(b, o, "end", chk(b, json_object_new_string(f->end ? f->end : "end of buffer")));
        for (size_t i = 0; i < f->n_instrs && !b->oom; i++) {
                const struct gd_dis_instr *di = &f->instrs[i];
                struct gd_instr in;

                gd_instr_decode(f->dw + di->index, f->n_dw - di->index, dis->gfx_ver, f->ek, &in);
                push(b, arr, gd_json_instr(f->address + 4 * (uint64_t)di->index, f->dw + di->index,
                                           di->n_dwords, &in, di->hung));
        }
        add(b, o, "instructions", arr);
        return o;
}

_public_ int gpudump_dump_disasm_to_json(struct gpudump_dump *dump, uint64_t address, unsigned flags,
                                         char **ret_json) {
        struct gd_disasm dis;
        struct jb b = {};
        struct json_object *o, *arr, *notes;
        int r;

        if (!dump || !ret_json)
                return -EINVAL;
        r = gd_disasm(dump, flags & GPUDUMP_DISASM_AT_ADDRESS, address, &dis);
        if (r < 0)
                return r;
        o = chk(&b, json_object_new_object());
        arr = chk(&b, json_object_new_array());
        notes = chk(&b, json_object_new_array());
        for (size_t i = 0; i < dis.n_buffers && !b.oom; i++)
                push(&b, arr, buffer_json(&b, &dis, &dis.buffers[i]));
        for (size_t i = 0; i < dis.notes.n && !b.oom; i++)
                push(&b, notes, chk(&b, json_object_new_string(dis.notes.v[i])));
        add(&b, o, "buffers", arr);
        add(&b, o, "notes", notes);
        gd_disasm_free(&dis);
        if (b.oom) {
                json_object_put(o);
                return -ENOMEM;
        }
        return gd_json_take_string(o, flags & GPUDUMP_DISASM_PRETTY, ret_json);
}
