/* SPDX-License-Identifier: MIT */
/*
 * libgpudump, loaded on demand. The daemon needs the decoder only for the moment it analyses a
 * dump, and the library pulls in libcrypto and friends: linked directly they would stay resident
 * all the time the daemon idles. So it is dlopen()ed for the analysis and dlclose()d after it,
 * and called through the sym_ pointers below (the pattern systemd uses for optional libraries).
 */
#pragma once

#include "gpudump.h"

#define GD_DLSYM_PROTOTYPE(symbol) extern typeof(symbol) *sym_##symbol

GD_DLSYM_PROTOTYPE(gpudump_dump_new_from_fd);
GD_DLSYM_PROTOTYPE(gpudump_dump_new_from_memory);
GD_DLSYM_PROTOTYPE(gpudump_dump_unref);
GD_DLSYM_PROTOTYPE(gpudump_dump_get_format);
GD_DLSYM_PROTOTYPE(gpudump_format_to_string);
GD_DLSYM_PROTOTYPE(gpudump_dump_get_reason);
GD_DLSYM_PROTOTYPE(gpudump_dump_get_driver);
GD_DLSYM_PROTOTYPE(gpudump_dump_get_process_name);
GD_DLSYM_PROTOTYPE(gpudump_dump_get_process_pid);
GD_DLSYM_PROTOTYPE(gpudump_dump_get_pci_id);
GD_DLSYM_PROTOTYPE(gpudump_dump_get_signature);
GD_DLSYM_PROTOTYPE(gpudump_dump_get_blamed_engine);
GD_DLSYM_PROTOTYPE(gpudump_engine_get_name);
GD_DLSYM_PROTOTYPE(gpudump_dump_to_json);

/**
 * Load libgpudump (or take another reference on it) and fill the sym_ pointers.
 * Event loop thread only. Logs the first failure, stays quiet about later ones.
 * @return 0, or a negative errno (-EOPNOTSUPP when the library or a symbol is missing);
 *         on failure nothing needs releasing.
 */
int libgpudump_dl_open(void);

/** Drop a reference taken by libgpudump_dl_open(); the last one unloads the library. */
void libgpudump_dl_close(void);

/** Cleanup helper: *p is the return value of libgpudump_dl_open(); closes only on success. */
static inline void libgpudump_dl_closep(int *p) {
        if (*p >= 0)
                libgpudump_dl_close();
}
