/* SPDX-License-Identifier: MIT */
/*
 * Load libgpudump for the duration of an analysis (see libgpudump-dl.h). The library is looked
 * up by soname: installed, through the normal linker path; in the build tree, through the
 * build_rpath meson gives the daemon (meson strips it on install).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

#include "gd-log.h"
#include "libgpudump-dl.h"

#define LIBGPUDUMP_SONAME "libgpudump.so.0"

#define GD_DLSYM_DEFINE(symbol) typeof(symbol) *sym_##symbol = NULL

GD_DLSYM_DEFINE(gpudump_dump_new_from_fd);
GD_DLSYM_DEFINE(gpudump_dump_new_from_memory);
GD_DLSYM_DEFINE(gpudump_dump_unref);
GD_DLSYM_DEFINE(gpudump_dump_get_format);
GD_DLSYM_DEFINE(gpudump_format_to_string);
GD_DLSYM_DEFINE(gpudump_dump_get_reason);
GD_DLSYM_DEFINE(gpudump_dump_get_driver);
GD_DLSYM_DEFINE(gpudump_dump_get_process_name);
GD_DLSYM_DEFINE(gpudump_dump_get_process_pid);
GD_DLSYM_DEFINE(gpudump_dump_get_pci_id);
GD_DLSYM_DEFINE(gpudump_dump_get_signature);
GD_DLSYM_DEFINE(gpudump_dump_get_blamed_engine);
GD_DLSYM_DEFINE(gpudump_engine_get_name);
GD_DLSYM_DEFINE(gpudump_dump_to_json);

#define SYM(symbol) { #symbol, (void **)&sym_##symbol }

static const struct {
        const char *name;
        void **ptr;
} symbols[] = {
        SYM(gpudump_dump_new_from_fd),
        SYM(gpudump_dump_new_from_memory),
        SYM(gpudump_dump_unref),
        SYM(gpudump_dump_get_format),
        SYM(gpudump_format_to_string),
        SYM(gpudump_dump_get_reason),
        SYM(gpudump_dump_get_driver),
        SYM(gpudump_dump_get_process_name),
        SYM(gpudump_dump_get_process_pid),
        SYM(gpudump_dump_get_pci_id),
        SYM(gpudump_dump_get_signature),
        SYM(gpudump_dump_get_blamed_engine),
        SYM(gpudump_engine_get_name),
        SYM(gpudump_dump_to_json),
};

/* Only the event loop thread analyses, so plain variables suffice. */
static void *handle;
static unsigned n_refs;
static bool failure_logged;

static void clear_symbols(void) {
        for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++)
                *symbols[i].ptr = NULL;
}

int libgpudump_dl_open(void) {
        void *h;

        if (n_refs > 0) {
                n_refs++;
                return 0;
        }
        h = dlopen(LIBGPUDUMP_SONAME, RTLD_NOW | RTLD_LOCAL);
        if (!h) {
                /* Collection goes on without metadata: say so once, not for every dump. */
                if (!failure_logged)
                        log_warning("cannot load %s: %s; dumps are stored without analysis "
                                    "(driver, reason, process, signature unknown)",
                                    LIBGPUDUMP_SONAME, dlerror());
                failure_logged = true;
                return -EOPNOTSUPP;
        }
        for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
                *symbols[i].ptr = dlsym(h, symbols[i].name);
                if (!*symbols[i].ptr) {
                        if (!failure_logged)
                                log_warning("%s lacks %s: %s; dumps are stored without "
                                            "analysis", LIBGPUDUMP_SONAME, symbols[i].name,
                                            dlerror());
                        failure_logged = true;
                        clear_symbols();
                        (void)dlclose(h);
                        return -EOPNOTSUPP;
                }
        }
        handle = h;
        n_refs = 1;
        return 0;
}

void libgpudump_dl_close(void) {
        if (n_refs == 0 || --n_refs > 0)
                return;
        clear_symbols();
        (void)dlclose(handle);
        handle = NULL;
}
