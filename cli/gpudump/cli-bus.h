/* SPDX-License-Identifier: MIT */
/* The client side of gpudumpd's bus API (docs/dbus-api.md). Every function logs its own errors
 * (it is where the daemon's error name is known) and returns a negative errno:
 * -ENOENT for NoSuchEntry, -EACCES for AccessDenied, -EINVAL for InvalidArgs. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct cli_bus;

int cli_bus_open(struct cli_bus **ret);
struct cli_bus *cli_bus_free(struct cli_bus *b);
int cli_bus_list(struct cli_bus *b, uint64_t since, uint64_t until, const char *driver, char **ret_json);
int cli_bus_get(struct cli_bus *b, const char *id, char **ret_json);
int cli_bus_open_dump(struct cli_bus *b, const char *id, int *ret_fd);
int cli_bus_decode(struct cli_bus *b, const char *id, bool include_vma_data, char **ret_json);
int cli_bus_delete(struct cli_bus *b, const char *id);
/* Calls cb(id, userdata) for every DumpCollected signal until cb returns non-zero or an error. */
int cli_bus_watch(struct cli_bus *b, int (*cb)(const char *id, void *userdata), void *userdata);
