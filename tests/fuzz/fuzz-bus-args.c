/* SPDX-License-Identifier: MIT */
/*
 * gpudumpd's method arguments (daemon/gpudumpd/bus-args.c): the input describes a method call
 * (ListEntries with its a{sv} filters, Decode with an id and its options, or an id alone as
 * GetEntry/OpenDump/DeleteEntry take it), which is built with sd-bus exactly as a client's
 * message would arrive, then read and checked by the daemon's own code; the filters are applied
 * to a small list of entries.
 *
 * Input: byte 0 picks the method; then records of {key, type, value}: key byte (one of the
 * known keys, or a string from the input), type byte (a D-Bus signature among those below),
 * value bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bus-args.h"
#include "gd-macro.h"
#include "gpudump.h"
#include "gd-store.h"
#include "fuzz.h"

static sd_bus *bus;
static struct json_object *entries;

static const char *const keys[] = { "since", "until", "driver", "limit", "reverse",
                                    "include_vma_data" };
static const char *const types[] = { "t", "s", "u", "b", "i", "x", "y", "q", "n", "d", "o",
                                     "g", "as", "at", "a{sv}", "v", "(su)" };

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        int fds[2];

        /* A bus object over a socket nobody answers: enough to build and read messages. */
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) < 0)
                return -1;
        if (sd_bus_new(&bus) < 0 || sd_bus_set_fd(bus, fds[0], fds[0]) < 0 || sd_bus_start(bus) < 0)
                return -1;
        entries = json_tokener_parse(
                "[{\"id\":\"20261121T081500-1a2b3c4d-000001\",\"timestamp_usec\":1763712900000000,\"driver\":\"xe\"},"
                "{\"id\":\"20261121T081501-1a2b3c4d-000002\",\"timestamp_usec\":1763712901000000,\"driver\":\"i915\"},"
                "{\"id\":\"20261121T081502-1a2b3c4d-000003\",\"driver\":7},"
                "{\"id\":\"20261121T081503-1a2b3c4d-000004\",\"timestamp_usec\":-5},"
                "{\"id\":\"20261121T081504-1a2b3c4d-000005\",\"timestamp_usec\":\"x\",\"driver\":\"xe\"}]");
        return entries ? 0 : -1;
}

struct reader {
        const uint8_t *p, *end;
};

static uint8_t get_byte(struct reader *r) {
        return r->p < r->end ? *r->p++ : 0;
}

static uint64_t get_u64(struct reader *r) {
        uint64_t v = 0;

        for (int i = 0; i < 8; i++)
                v = v << 8 | get_byte(r);
        return v;
}

/* A string of the input: a length byte, then that many bytes (NUL ends it early). */
static void get_str(struct reader *r, char *buf, size_t size) {
        size_t n = get_byte(r), k = 0;

        while (k < n && k + 1 < size && r->p < r->end)
                buf[k++] = (char)*r->p++;
        buf[k] = 0;
}

static int append_value(sd_bus_message *m, struct reader *r, const char *type, int depth) {
        char s[256];

        switch (type[0]) {
        case 't': return sd_bus_message_append(m, "t", get_u64(r));
        case 'x': return sd_bus_message_append(m, "x", (int64_t)get_u64(r));
        case 'u': return sd_bus_message_append(m, "u", (uint32_t)get_u64(r));
        case 'i': return sd_bus_message_append(m, "i", (int32_t)get_u64(r));
        case 'q': return sd_bus_message_append(m, "q", (uint16_t)get_byte(r));
        case 'n': return sd_bus_message_append(m, "n", (int16_t)get_byte(r));
        case 'y': return sd_bus_message_append(m, "y", get_byte(r));
        case 'b': return sd_bus_message_append(m, "b", (int)(get_byte(r) & 1));
        case 'd': return sd_bus_message_append(m, "d", (double)(int64_t)get_u64(r));
        case 's':
                get_str(r, s, sizeof(s));
                return sd_bus_message_append(m, "s", s);
        case 'o':
                get_str(r, s, sizeof(s));
                return sd_bus_message_append(m, "o", s[0] == '/' ? s : "/");
        case 'g':
                get_str(r, s, sizeof(s));
                return sd_bus_message_append(m, "g", s);
        default:
                return -EINVAL;
        }
}

static int append_typed(sd_bus_message *m, struct reader *r, const char *type, int depth) {
        int ret;

        if (strcmp(type, "as") == 0 || strcmp(type, "at") == 0) {
                unsigned n = get_byte(r) % 8;

                ret = sd_bus_message_open_container(m, 'a', type + 1);
                for (unsigned i = 0; ret >= 0 && i < n; i++)
                        ret = append_value(m, r, type + 1, depth);
                return ret < 0 ? ret : sd_bus_message_close_container(m);
        }
        if (strcmp(type, "a{sv}") == 0 || strcmp(type, "v") == 0) {
                unsigned k = get_byte(r) % (sizeof(types) / sizeof(types[0]));

                if (depth > 4)
                        return sd_bus_message_append(m, "s", "deep");
                if (type[0] == 'v') {
                        ret = sd_bus_message_open_container(m, 'v', types[k]);
                        if (ret >= 0)
                                ret = append_typed(m, r, types[k], depth + 1);
                        return ret < 0 ? ret : sd_bus_message_close_container(m);
                }
                ret = sd_bus_message_open_container(m, 'a', "{sv}");
                if (ret >= 0 && get_byte(r) & 1) {
                        ret = sd_bus_message_open_container(m, 'e', "sv");
                        if (ret >= 0)
                                ret = sd_bus_message_append(m, "s", "nested");
                        if (ret >= 0)
                                ret = sd_bus_message_open_container(m, 'v', types[k]);
                        if (ret >= 0)
                                ret = append_typed(m, r, types[k], depth + 1);
                        if (ret >= 0)
                                ret = sd_bus_message_close_container(m);
                        if (ret >= 0)
                                ret = sd_bus_message_close_container(m);
                }
                return ret < 0 ? ret : sd_bus_message_close_container(m);
        }
        if (strcmp(type, "(su)") == 0) {
                char s[256];

                get_str(r, s, sizeof(s));
                return sd_bus_message_append(m, "(su)", s, (uint32_t)get_byte(r));
        }
        return append_value(m, r, type, depth);
}

/* The a{sv} of filters or options. */
static int append_dict(sd_bus_message *m, struct reader *r) {
        int ret = sd_bus_message_open_container(m, 'a', "{sv}");

        while (ret >= 0 && r->p < r->end) {
                uint8_t kb = get_byte(r);
                const char *type = types[get_byte(r) % (sizeof(types) / sizeof(types[0]))];
                char key[256];

                if (kb < 0xc0)
                        snprintf(key, sizeof(key), "%s", keys[kb % (sizeof(keys) / sizeof(keys[0]))]);
                else
                        get_str(r, key, sizeof(key));
                ret = sd_bus_message_open_container(m, 'e', "sv");
                if (ret >= 0)
                        ret = sd_bus_message_append(m, "s", key);
                if (ret >= 0)
                        ret = sd_bus_message_open_container(m, 'v', type);
                if (ret >= 0)
                        ret = append_typed(m, r, type, 0);
                if (ret >= 0)
                        ret = sd_bus_message_close_container(m);
                if (ret >= 0)
                        ret = sd_bus_message_close_container(m);
        }
        return ret < 0 ? ret : sd_bus_message_close_container(m);
}

static void check_id(const char *id) {
        if (!gd_store_id_is_valid(id))
                return;
        /* A valid id names a file in the store directory and nothing else. */
        if (strchr(id, '/') || id[0] == '.' || strstr(id, "..") || strlen(id) > 40)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct reader r = { data, data + size };
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *m = NULL;
        uint8_t method = get_byte(&r) % 3;
        char id[256];
        int ret;

        ret = sd_bus_message_new_method_call(bus, &m, "org.gpudump.GpuDump1",
                                             "/org/gpudump/GpuDump1", "org.gpudump.GpuDump1",
                                             method == 0 ? "ListEntries" :
                                             method == 1 ? "Decode" : "GetEntry");
        if (ret < 0)
                abort();
        if (method != 0) {
                get_str(&r, id, sizeof(id));
                ret = sd_bus_message_append(m, "s", id);
        }
        if (ret >= 0 && method != 2)
                ret = append_dict(m, &r);
        if (ret >= 0)
                ret = sd_bus_message_seal(m, 1, 0);
        if (ret >= 0)
                ret = sd_bus_message_rewind(m, true);
        if (ret < 0)
                goto out; /* sd-bus refused to build it (bad UTF-8, bad path...): no such call */

        if (method == 0) {
                struct bus_list_filters f;
                struct json_object *out = NULL;

                ret = bus_read_list_filters(m, &f, &error) < 0 ? -1 : 0;
                if (ret == 0 && bus_list_filter(&f, entries, &out) == 0) {
                        if (json_object_array_length(out) > json_object_array_length(entries))
                                abort();
                        if (f.limit > 0 && json_object_array_length(out) > f.limit)
                                abort();
                        json_object_put(out);
                }
                bus_list_filters_done(&f);
        } else if (method == 1) {
                const char *got = NULL;
                unsigned flags;

                if (bus_read_decode_args(m, &got, &flags, &error) >= 0) {
                        if (flags & ~(unsigned)GPUDUMP_JSON_INCLUDE_VMA_DATA)
                                abort();
                        check_id(got);
                }
        } else {
                const char *got = NULL;

                if (sd_bus_message_read(m, "s", &got) >= 0)
                        check_id(got);
        }
out:
        sd_bus_message_unref(m);
        return 0;
}
