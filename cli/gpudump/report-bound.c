/* SPDX-License-Identifier: MIT */
/*
 * Keep a report under a byte budget (trackers reject huge comments/attachments). What goes first
 * is what is least useful per byte: the largest contents strings (base64 VMA/blob data), then, if
 * that is not enough, the tail of the largest arrays. Everything left out is listed, both for the
 * Markdown note and as an info diagnostic inside the report, so a reader knows the report is cut.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Keys whose string values are dump contents (never identity or summary fields). */
static bool is_data_key(const char *key) {
        static const char *const keys[] = { "data", "base64", "contents", "bytes", "raw" };

        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (strcmp(key, keys[i]) == 0)
                        return true;
        return false;
}

struct cand {
        struct json_object *parent; /* object holding key, or array */
        char *key;                  /* NULL for arrays */
        char *path;
        size_t bytes;
};

struct cands {
        struct cand *v;
        size_t n;
};

static size_t json_size(struct json_object *o) {
        size_t n = 0;
        json_object_to_json_string_length(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE, &n);
        return n;
}

static void collect(struct json_object *o, const char *path, bool arrays, struct cands *c) {
        char sub[512];

        if (json_object_is_type(o, json_type_object)) {
                json_object_object_foreach(o, key, val) {
                        xsnprintf(sub, sizeof(sub), "%s%s%s", path, path[0] ? "." : "", key);
                        if (!arrays && val && json_object_is_type(val, json_type_string) && is_data_key(key) &&
                            json_object_get_string_len(val) >= 64) {
                                struct cand cd = { o, strdup(key), strdup(sub), (size_t)json_object_get_string_len(val) };
                                if (!cd.key || !cd.path || GD_ARRAY_PUSH(c->v, c->n, cd) < 0) {
                                        free(cd.key);
                                        free(cd.path);
                                }
                        } else if (arrays && val && json_object_is_type(val, json_type_array) &&
                                   json_object_array_length(val) > 0 &&
                                   /* diagnostics say what is wrong with the input: they stay */
                                   strcmp(sub, "diagnostics") != 0) {
                                struct cand cd = { val, NULL, strdup(sub), json_size(val) };
                                if (!cd.path || GD_ARRAY_PUSH(c->v, c->n, cd) < 0)
                                        free(cd.path);
                        }
                        if (val)
                                collect(val, sub, arrays, c);
                }
        } else if (json_object_is_type(o, json_type_array)) {
                for (size_t i = 0; i < json_object_array_length(o); i++) {
                        xsnprintf(sub, sizeof(sub), "%s[%zu]", path, i);
                        collect(json_object_array_get_idx(o, i), sub, arrays, c);
                }
        }
}

static void cands_free(struct cands *c) {
        for (size_t i = 0; i < c->n; i++) {
                free(c->v[i].key);
                free(c->v[i].path);
        }
        free(c->v);
        *c = (struct cands) {};
}

static int by_size_desc(const void *a, const void *b) {
        const struct cand *x = a, *y = b;
        return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : strcmp(x->path, y->path);
}

static void note_dropped(struct json_object *dropped, const char *path, size_t bytes) {
        struct json_object *d = json_object_new_object();

        if (!d)
                return;
        json_object_object_add(d, "path", json_object_new_string(path));
        json_object_object_add(d, "bytes", json_object_new_int64((int64_t)bytes));
        json_object_array_add(dropped, d);
}

/* Pass 1: drop contents strings, largest first, until the estimate fits. */
static void drop_data(struct json_object *report, size_t *size, uint64_t budget, struct json_object *dropped) {
        struct cands c = {};

        collect(report, "", false, &c);
        if (c.n > 1) /* qsort() must not see the NULL array of an empty list */
                qsort(c.v, c.n, sizeof(*c.v), by_size_desc);
        for (size_t i = 0; i < c.n && *size > budget; i++) {
                note_dropped(dropped, c.v[i].path, c.v[i].bytes);
                json_object_object_del(c.v[i].parent, c.v[i].key);
                *size = json_size(report);
        }
        cands_free(&c);
}

/* Pass 2: halve the largest array (dropping its tail) until it fits; bounded by the depth of
 * halving, so it terminates even when nothing more can go. */
static void drop_array_tails(struct json_object *report, size_t *size, uint64_t budget,
                             struct json_object *dropped) {
        for (unsigned round = 0; round < 256 && *size > budget; round++) {
                struct cands c = {};
                struct json_object *arr;
                size_t len, keep;
                char what[600];

                collect(report, "", true, &c);
                if (c.n == 0) {
                        cands_free(&c);
                        return;
                }
                qsort(c.v, c.n, sizeof(*c.v), by_size_desc);
                arr = c.v[0].parent;
                len = json_object_array_length(arr);
                keep = len / 2;
                xsnprintf(what, sizeof(what), "%s[%zu..%zu]", c.v[0].path, keep, len - 1);
                json_object_array_del_idx(arr, keep, len - keep);
                {
                        size_t before = *size;
                        *size = json_size(report);
                        note_dropped(dropped, what, before - *size);
                }
                cands_free(&c);
        }
}

#define NOTE_PREFIX "gpudump report: "

/* One info diagnostic says the report was cut; bounding again updates it instead of adding. */
static void add_diagnostic(struct json_object *report, struct json_object *dropped, uint64_t max_size) {
        struct json_object *diags = json_get(report, "diagnostics"), *d = NULL;
        char msg[256], sz[16];

        if (!diags || !json_object_is_type(diags, json_type_array)) {
                diags = json_object_new_array();
                if (!diags)
                        return;
                json_object_object_add(report, "diagnostics", diags);
        }
        xsnprintf(msg, sizeof(msg),
                  NOTE_PREFIX "%zu item(s) left out to keep the report under %s (largest contents first)",
                  json_object_array_length(dropped), format_size(max_size, sz));
        for (size_t i = 0; i < json_object_array_length(diags); i++) {
                const char *m = json_get_str(json_object_array_get_idx(diags, i), "message");
                if (m && strncmp(m, NOTE_PREFIX, strlen(NOTE_PREFIX)) == 0)
                        d = json_object_array_get_idx(diags, i);
        }
        if (d) {
                json_object_object_add(d, "message", json_object_new_string(msg));
                return;
        }
        d = json_object_new_object();
        if (!d)
                return;
        json_object_object_add(d, "severity", json_object_new_string("info"));
        json_object_object_add(d, "offset", json_object_new_int64(0));
        json_object_object_add(d, "line", json_object_new_int64(0));
        json_object_object_add(d, "message", json_object_new_string(msg));
        json_object_array_add(diags, d);
}

int report_bound(struct json_object *report, uint64_t max_size, uint64_t overhead,
                 struct json_object *dropped) {
        /* Room for the diagnostic we add. */
        uint64_t reserve = overhead + 256;
        uint64_t budget = max_size > reserve ? max_size - reserve : 0;
        size_t size = json_size(report);

        if (size <= budget)
                return 0;
        drop_data(report, &size, budget, dropped);
        if (size > budget)
                drop_array_tails(report, &size, budget, dropped);
        add_diagnostic(report, dropped, max_size);
        return size <= budget ? 1 : -EFBIG;
}
