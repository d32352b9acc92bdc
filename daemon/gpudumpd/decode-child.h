/* SPDX-License-Identifier: MIT */
/* decode-child.c: the Decode method's work, in a short-lived child process. */
#pragma once

#include <systemd/sd-bus.h>

/* Decode the stored dump open at fd with gpudump_dump_to_json() flags in a child process; the
 * child closes bus_fd (the daemon's bus socket, -EBADF for none). 0 with *ret_json (malloc'd),
 * or a negative errno with error set, naming id. */
int decode_in_child(int fd, unsigned flags, const char *id, int bus_fd, char **ret_json, sd_bus_error *error);
