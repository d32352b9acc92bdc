/* SPDX-License-Identifier: MIT */
/*
 * dump.c's entries that are not public API: for the tests and fuzz targets that link the
 * internal archive (libgpudump-internal). Hidden like every gd_ symbol.
 */
#pragma once

#include <stddef.h>

#include "gpudump.h"

/* gpudump_dump_new_from_memory(), but the input goes to format's parser whatever its start
 * says (no detection): a fuzz target reaches one parser with every input. -EINVAL for
 * GPUDUMP_FORMAT_UNKNOWN. */
int gd_dump_new_from_memory_as(const void *data, size_t size, enum gpudump_format format,
                               unsigned flags, struct gpudump_dump **ret);
