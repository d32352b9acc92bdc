/* SPDX-License-Identifier: MIT */
/*
 * The bus methods' arguments (docs/dbus-api.md), read and checked apart from any store, bus
 * connection or authorization, so that tests/fuzz/ can drive them with any message: the
 * ListEntries filters and their application to the entries, the Decode options, the ids.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bus-args.h"
#include "gpudump.h"

void bus_list_filters_done(struct bus_list_filters *f) {
        free(f->driver);
        f->driver = NULL;
}

int bus_read_list_filters(sd_bus_message *m, struct bus_list_filters *f, sd_bus_error *error) {
        int r;

        *f = (struct bus_list_filters){ .until = UINT64_MAX };
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const char *key, *sig, *drv = NULL;

                r = sd_bus_message_read(m, "s", &key);
                if (r < 0)
                        return r;
                r = sd_bus_message_peek_type(m, NULL, &sig);
                if (r < 0)
                        return r;
#define VARIANT(name, type, ptr)                                                               \
        if (strcmp(key, name) == 0) {                                                          \
                if (strcmp(sig, type) != 0)                                                    \
                        return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,             \
                                                 "filter %s must have type %s, not %s", name, \
                                                 type, sig);                                   \
                r = sd_bus_message_read(m, "v", type, ptr);                                    \
        } else
                VARIANT("since", "t", &f->since)
                VARIANT("until", "t", &f->until)
                VARIANT("driver", "s", &drv)
                VARIANT("limit", "u", &f->limit)
                VARIANT("reverse", "b", &f->reverse)
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS, "unknown filter %s",
                                         key);
#undef VARIANT
                if (r < 0)
                        return r;
                if (drv) {
                        free(f->driver);
                        f->driver = strdup(drv);
                        if (!f->driver)
                                return -ENOMEM;
                }
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        if (r < 0)
                return r;
        return sd_bus_message_exit_container(m);
}

int bus_list_filter(const struct bus_list_filters *f, struct json_object *all,
                    struct json_object **ret) {
        struct json_object *out;
        size_t n;

        if (!json_object_is_type(all, json_type_array))
                return -EINVAL;
        out = json_object_new_array();
        if (!out)
                return -ENOMEM;
        n = json_object_array_length(all);
        for (size_t k = 0; k < n; k++) {
                size_t i = f->reverse ? n - 1 - k : k;
                struct json_object *e = json_object_array_get_idx(all, i), *v;
                uint64_t ts = 0;

                if (json_object_object_get_ex(e, "timestamp_usec", &v))
                        ts = (uint64_t)json_object_get_int64(v);
                if (ts < f->since || ts > f->until)
                        continue;
                if (f->driver && (!json_object_object_get_ex(e, "driver", &v) ||
                                  !json_object_is_type(v, json_type_string) ||
                                  strcmp(json_object_get_string(v), f->driver) != 0))
                        continue;
                if (f->limit > 0 && json_object_array_length(out) >= f->limit)
                        break;
                if (json_object_array_add(out, json_object_get(e)) < 0) {
                        json_object_put(e);
                        json_object_put(out);
                        return -ENOMEM;
                }
        }
        *ret = out;
        return 0;
}

int bus_read_decode_args(sd_bus_message *m, const char **id, unsigned *flags,
                         sd_bus_error *error) {
        int r;

        *flags = 0;
        r = sd_bus_message_read(m, "s", id);
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(m, 'a', "{sv}");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                const char *key, *sig;
                int b = 0;

                r = sd_bus_message_read(m, "s", &key);
                if (r >= 0)
                        r = sd_bus_message_peek_type(m, NULL, &sig);
                if (r < 0)
                        return r;
                if (strcmp(key, "include_vma_data") != 0 || strcmp(sig, "b") != 0)
                        return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                                 "unknown option %s of type %s", key, sig);
                r = sd_bus_message_read(m, "v", "b", &b);
                if (r < 0)
                        return r;
                if (b)
                        *flags |= GPUDUMP_JSON_INCLUDE_VMA_DATA;
                r = sd_bus_message_exit_container(m);
                if (r < 0)
                        return r;
        }
        return r;
}
