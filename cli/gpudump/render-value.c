/* SPDX-License-Identifier: MIT */
/*
 * Render any JSON value as indented text or as Markdown bullets. Used for the report's "analysis"
 * object, whose fields grow with the analysis pass: whatever is present is shown, nothing is
 * assumed, so a new field never needs a CLI change and an absent one never crashes.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Long strings (base64 contents) are summarised, not printed. */
#define SCALAR_MAX 200

static void scalar(FILE *f, struct json_object *v) {
        if (!v) {
                fputs("null", f);
                return;
        }
        if (json_object_is_type(v, json_type_string)) {
                size_t n = (size_t)json_object_get_string_len(v);
                if (n > SCALAR_MAX)
                        fprintf(f, "(%zu characters)", n);
                else
                        fputs(json_object_get_string(v), f);
                return;
        }
        fputs(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), f);
}

static bool is_scalar(struct json_object *v) {
        return !v || !(json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array));
}

static bool is_scalar_array(struct json_object *v) {
        if (!json_object_is_type(v, json_type_array))
                return false;
        for (size_t i = 0; i < json_object_array_length(v); i++)
                if (!is_scalar(json_object_array_get_idx(v, i)))
                        return false;
        return true;
}

static void scalar_array(FILE *f, struct json_object *v) {
        for (size_t i = 0; i < json_object_array_length(v); i++) {
                if (i)
                        fputs(", ", f);
                scalar(f, json_object_array_get_idx(v, i));
        }
}

static bool is_empty_container(struct json_object *v) {
        return v && ((json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0) ||
                     (json_object_is_type(v, json_type_object) && json_object_object_length(v) == 0));
}

static void text_entry(FILE *f, const char *key, struct json_object *v, int indent) {
        fprintf(f, "%*s%s:", indent, "", key);
        if (is_empty_container(v)) {
                fputs(" (none)\n", f);
        } else if (is_scalar(v)) {
                fputc(' ', f);
                scalar(f, v);
                fputc('\n', f);
        } else if (is_scalar_array(v)) {
                fputc(' ', f);
                scalar_array(f, v);
                fputc('\n', f);
        } else {
                fputc('\n', f);
                render_value_text(f, v, indent + 2);
        }
}

void render_value_text(FILE *f, struct json_object *v, int indent) {
        if (json_object_is_type(v, json_type_object)) {
                json_object_object_foreach(v, key, val)
                        text_entry(f, key, val, indent);
        } else if (json_object_is_type(v, json_type_array)) {
                for (size_t i = 0; i < json_object_array_length(v); i++) {
                        char key[32];
                        xsnprintf(key, sizeof(key), "[%zu]", i);
                        text_entry(f, key, json_object_array_get_idx(v, i), indent);
                }
        } else {
                fprintf(f, "%*s", indent, "");
                scalar(f, v);
                fputc('\n', f);
        }
}

/* Inline code for a scalar; a value holding a backtick needs a double-backtick fence. */
static void md_code(FILE *f, struct json_object *v, bool array) {
        char *buf = NULL;
        size_t size = 0;
        FILE *m = open_memstream(&buf, &size);
        bool tick;

        if (!m)
                return;
        if (array)
                scalar_array(m, v);
        else
                scalar(m, v);
        fclose(m);
        if (!buf)
                return;
        tick = strchr(buf, '`') != NULL;
        fprintf(f, " %s%s%s", tick ? "`` " : "`", buf, tick ? " ``" : "`");
        free(buf);
}

static void md_entry(FILE *f, const char *key, struct json_object *v, int indent) {
        fprintf(f, "%*s- **%s**:", indent, "", key);
        if (is_empty_container(v)) {
                fputs(" (none)\n", f);
        } else if (is_scalar(v)) {
                md_code(f, v, false);
                fputc('\n', f);
        } else if (is_scalar_array(v)) {
                md_code(f, v, true);
                fputc('\n', f);
        } else {
                fputc('\n', f);
                render_value_markdown(f, v, indent + 2);
        }
}

void render_value_markdown(FILE *f, struct json_object *v, int indent) {
        if (json_object_is_type(v, json_type_object)) {
                json_object_object_foreach(v, key, val)
                        md_entry(f, key, val, indent);
        } else if (json_object_is_type(v, json_type_array)) {
                for (size_t i = 0; i < json_object_array_length(v); i++) {
                        char key[32];
                        xsnprintf(key, sizeof(key), "%zu", i);
                        md_entry(f, key, json_object_array_get_idx(v, i), indent);
                }
        } else {
                fprintf(f, "%*s-", indent, "");
                md_code(f, v, false);
                fputc('\n', f);
        }
}
