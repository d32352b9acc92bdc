/* SPDX-License-Identifier: MIT */
/*
 * The bus methods' arguments (bus-args.c): reading and checking them needs a message only, no
 * store and no connection (bus.c calls these; tests/fuzz/fuzz-bus-args.c too).
 */
#pragma once

#include <stdint.h>

#include <systemd/sd-bus.h>

struct json_object;

/* ListEntries(a{sv} filters). */
struct bus_list_filters {
        uint64_t since, until;
        char *driver;
        uint32_t limit; /* 0: no limit */
        int reverse;
};

/* Read the a{sv} at m's position into f (initialised here: free with bus_list_filters_done()
 * whatever the result). An unknown key or a value of the wrong type is InvalidArgs in error. */
int bus_read_list_filters(sd_bus_message *m, struct bus_list_filters *f, sd_bus_error *error);
void bus_list_filters_done(struct bus_list_filters *f);
/* The entries of the array all (store metadata, oldest first) that f lets through, in f's
 * order, as a new array in *ret. */
int bus_list_filter(const struct bus_list_filters *f, struct json_object *all,
                    struct json_object **ret);

/* Decode(s id, a{sv} options): the id (borrowed from m) and GPUDUMP_JSON_* flags. */
int bus_read_decode_args(sd_bus_message *m, const char **id, unsigned *flags,
                         sd_bus_error *error);
