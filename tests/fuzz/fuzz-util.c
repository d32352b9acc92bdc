/* SPDX-License-Identifier: MIT */
#include <json-c/json.h>

#include "gpudump.h"
#include "fuzz.h"

void fuzz_check_json(const char *json) {
        struct json_tokener *tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
        struct json_object *o;

        if (!tok)
                abort();
        o = json_tokener_parse_ex(tok, json, (int)strlen(json));
        if (!o || json_tokener_get_error(tok) != json_tokener_success ||
            !json_object_is_type(o, json_type_object))
                abort(); /* the report is not a JSON object */
        json_object_put(o);
        json_tokener_free(tok);
}

static const char *const blob_names[] = { "HWSP", "HWCTX", "LOG", "CTB", "batch", "ring" };

void fuzz_read_vmas(struct gpudump_dump *d) {
        size_t n = gpudump_dump_get_n_vmas(d);
        uint8_t buf[64];

        for (size_t i = 0; i < n; i++) {
                struct gpudump_vma *v = gpudump_dump_get_vma(d, i);
                uint64_t a = gpudump_vma_get_address(v), len = gpudump_vma_get_length(v);
                void *data = NULL;
                size_t size = 0;

                /* A VMA with a declared length yields exactly that (else -EBADMSG); data without
                 * a .length line (length 0) is a warning and yields what it encodes. */
                if (gpudump_vma_read(v, &data, &size) == 0 && len != 0 && size != len)
                        abort();
                free(data);
                (void)gpudump_dump_read_va(d, a, buf, sizeof(buf));
                (void)gpudump_dump_read_va(d, a + len - 4, buf, 8);
                (void)gpudump_dump_read_va(d, a - 4, buf, 8);
                (void)gpudump_dump_find_vma(d, a + len / 2);
        }
        for (size_t i = 0; i < sizeof(blob_names) / sizeof(blob_names[0]); i++) {
                void *data = NULL;
                size_t size = 0;

                if (gpudump_dump_read_blob(d, blob_names[i], &data, &size) == 0)
                        free(data);
        }
}
