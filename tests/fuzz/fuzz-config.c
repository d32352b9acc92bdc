/* SPDX-License-Identifier: MIT */
/* gpudumpd's configuration parser (daemon/gpudumpd/config.c) on any gpudumpd.conf text. */
#include <stdio.h>

#include "daemon.h"
#include "gd-log.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv) {
        gd_log_setup("fuzz-config", 0);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct config c;
        FILE *f;

        config_init(&c);
        f = fmemopen((void *)data, size, "r");
        if (!f) {
                config_done(&c);
                return 0;
        }
        (void)config_load_file(&c, f, "fuzz.conf");
        fclose(f);
        if (c.store_dir && c.store_dir[0] != '/')
                abort(); /* the store must stay an absolute path */
        if (c.compression_level < 1 || c.compression_level > 19)
                abort();
        if (c.analyze_size_max > (UINT64_C(1) << 30))
                abort();
        config_done(&c);
        return 0;
}
