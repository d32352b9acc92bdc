/* SPDX-License-Identifier: MIT */
/* File descriptor helpers for the binaries (gpudump, gpudumpd). */
#pragma once

#include <stddef.h>

/* Write all size bytes of buf to fd, again after EINTR and short writes. 0 or -errno. */
int gd_write_all(int fd, const void *buf, size_t size);
