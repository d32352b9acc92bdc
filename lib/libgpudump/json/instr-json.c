/* SPDX-License-Identifier: MIT */
/*
 * One decoded instruction as JSON: the object the analysis' windows and ring listing use and the
 * full listing (`gpudump disasm`) uses, so the two cannot drift apart.
 */
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>

#include "json.h"

static struct json_object *hex(uint64_t v) {
        char buf[24];

        snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
        return json_object_new_string(buf);
}

/* json-c refuses NULL values only by leaving them out; count them as out of memory. */
static bool add(struct json_object *o, const char *key, struct json_object *v, bool null_ok) {
        if (!v && !null_ok)
                return false;
        if (json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return false;
        }
        return true;
}

struct json_object *gd_json_fields(const struct gd_field *f, unsigned n) {
        struct json_object *o = json_object_new_object();
        bool ok = o != NULL;

        for (unsigned i = 0; ok && i < n; i++) {
                struct json_object *v;
                switch (f[i].kind) {
                case GD_FK_BOOL:
                        v = json_object_new_boolean(f[i].value != 0);
                        break;
                case GD_FK_HEX:
                        v = hex(f[i].value);
                        break;
                case GD_FK_TEXT:
                        v = f[i].text ? json_object_new_string(f[i].text) : NULL;
                        ok = add(o, f[i].name, v, !f[i].text);
                        continue;
                default:
                        v = json_object_new_uint64(f[i].value);
                        break;
                }
                ok = add(o, f[i].name, v, false);
        }
        if (!ok) {
                json_object_put(o);
                return NULL;
        }
        return o;
}

struct json_object *gd_json_instr(uint64_t address, const uint32_t *dw, unsigned n_dwords,
                                  const struct gd_instr *in, bool hung) {
        struct json_object *o = json_object_new_object(), *dws = json_object_new_array();
        char buf[48];
        bool ok = o && dws;

        for (unsigned k = 0; ok && k < n_dwords; k++) {
                snprintf(buf, sizeof(buf), "0x%08" PRIx32, dw[k]);
                struct json_object *s = json_object_new_string(buf);
                ok = s && json_object_array_add(dws, s) == 0;
                if (!ok)
                        json_object_put(s);
        }
        if (!ok) {
                json_object_put(o);
                json_object_put(dws);
                return NULL;
        }
        ok = add(o, "address", hex(address), false) && add(o, "dwords", dws, false) &&
             add(o, "name", json_object_new_string(gd_instr_display_name(in, buf, sizeof(buf))), false) &&
             add(o, "type", json_object_new_string(gd_instr_type_name(in->type)), false) &&
             add(o, "length", json_object_new_int((int)in->length), false) &&
             add(o, "unknown", json_object_new_boolean(in->unknown), false) &&
             (!in->truncated || add(o, "truncated", json_object_new_boolean(true), false)) &&
             add(o, "fields", gd_json_fields(in->fields, in->n_fields), false) &&
             add(o, "hung", json_object_new_boolean(hung), false);
        if (!ok) {
                json_object_put(o);
                return NULL;
        }
        return o;
}
