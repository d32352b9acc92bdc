/* SPDX-License-Identifier: MIT */
/*
 * disasm --json=off: the listing as text, in the layout of IGT's intel_error_decode (libdrm's
 * decoder): one line per dword, "ADDRESS: MARK DWORD: NAME" on an instruction's first dword and
 * "dword N" on the others, MARK being HEAD, TAIL or HUNG where they fall. Rendered from the JSON
 * object disasm prints with --json, so the two never disagree.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static uint64_t hex_of(struct json_object *o, const char *key, bool *ret_ok) {
        const char *s = json_get_str(o, key);
        uint64_t v = 0;

        *ret_ok = s && parse_address(s, &v) >= 0;
        return v;
}

/* "k=v, k=v" of an instruction's fields. */
static void fields_text(struct json_object *fields, char *buf, size_t size) {
        size_t len = 0;
        char v[64];

        buf[0] = 0;
        if (!fields || !json_object_is_type(fields, json_type_object))
                return;
        json_object_object_foreach(fields, key, val) {
                if (len + 4 >= size)
                        break;
                xsnprintf(buf + len, size - len, "%s%s=%s", len ? ", " : "", key,
                          json_scalar_str(val, v, sizeof(v)));
                len = strlen(buf);
        }
}

static void buffer_text(FILE *f, struct json_object *b) {
        struct json_object *instrs = json_get(b, "instructions");
        const char *kind = json_get_str(b, "kind") ?: "buffer", *engine = json_get_str(b, "engine");
        const char *end = json_get_str(b, "end") ?: "";
        bool have_head, have_tail, have_from, ok;
        uint64_t address = hex_of(b, "address", &ok);
        uint64_t head = hex_of(b, "head", &have_head), tail = hex_of(b, "tail", &have_tail);
        uint64_t from = hex_of(b, "from", &have_from);
        int64_t size = 0;
        char line[1024];

        json_get_int(b, "size", &size);
        fprintf(f, "%s%s%s%s at 0x%08" PRIx64 " (%" PRIi64 " bytes", ansi_highlight(), engine ? engine : "",
                engine ? " " : "", kind, address, size);
        if (have_from)
                fprintf(f, ", from MI_BATCH_BUFFER_START at 0x%08" PRIx64, from);
        if (have_head && have_tail)
                fprintf(f, ", head 0x%08" PRIx64 ", tail 0x%08" PRIx64, head, tail);
        fprintf(f, ")%s\n", ansi_normal());

        for (size_t i = 0; instrs && i < json_object_array_length(instrs); i++) {
                struct json_object *in = json_object_array_get_idx(instrs, i), *dws = json_get(in, "dwords");
                struct json_object *hung = json_get(in, "hung");
                uint64_t at = hex_of(in, "address", &ok);
                const char *name = json_get_str(in, "name") ?: "?";

                fields_text(json_get(in, "fields"), line, sizeof(line));
                for (size_t k = 0; dws && k < json_object_array_length(dws); k++) {
                        uint64_t a = at + 4 * k;
                        const char *dw = json_object_get_string(json_object_array_get_idx(dws, k));
                        const char *mark = "    ";

                        if (k == 0 && hung && json_object_get_boolean(hung))
                                mark = "HUNG";
                        else if (have_head && a == head)
                                mark = "HEAD";
                        else if (have_tail && a == tail)
                                mark = "TAIL";
                        if (k == 0)
                                fprintf(f, "0x%08" PRIx64 ": %s %s: %s%s%s%s%s\n", a, mark, dw ?: "?",
                                        strcmp(mark, "HUNG") == 0 ? ansi_red() : "", name,
                                        line[0] ? " (" : "", line, line[0] ? ")" : "");
                        else
                                fprintf(f, "0x%08" PRIx64 ": %s %s:    dword %zu\n", a, mark, dw ?: "?", k);
                        if (k == 0 && strcmp(mark, "HUNG") == 0)
                                fputs(ansi_normal(), f);
                }
        }
        fprintf(f, "%s(%s)%s\n", ansi_grey(), end, ansi_normal());
}

void render_disasm(FILE *f, struct json_object *listing, const char *name) {
        struct json_object *buffers = json_get(listing, "buffers"), *notes = json_get(listing, "notes");
        size_t n = buffers ? json_object_array_length(buffers) : 0;

        if (n == 0)
                fprintf(f, "%s: no ring or batch buffer was captured\n", name);
        for (size_t i = 0; i < n; i++) {
                if (i)
                        fputc('\n', f);
                buffer_text(f, json_object_array_get_idx(buffers, i));
        }
        for (size_t i = 0; notes && i < json_object_array_length(notes); i++)
                fprintf(f, "note: %s\n", json_object_get_string(json_object_array_get_idx(notes, i)));
}
