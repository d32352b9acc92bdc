/* SPDX-License-Identifier: MIT */
/*
 * One parser, whatever the input's start says (FUZZ_FORMAT, set by meson.build: xe, i915, vxe
 * (the xe parser on the reference driver's zstd blobs), amdgpu, msm, panfrost, etnaviv): parse,
 * analyse, read every VMA and blob, render the report.
 */
#include <stdlib.h>

#include "dump-internal.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct gpudump_dump *d = NULL;
        char *json = NULL;

        if (gd_dump_new_from_memory_as(data, size, FUZZ_FORMAT, 0, &d) < 0)
                return 0;
        if (gpudump_dump_get_format(d) != FUZZ_FORMAT &&
            gpudump_dump_get_format(d) != GPUDUMP_FORMAT_UNKNOWN)
                abort(); /* the parser ran but the dump says another format */
        fuzz_read_vmas(d);
        if (gpudump_dump_to_json(d, 0, &json) == 0)
                fuzz_check_json(json);
        free(json);
        gpudump_dump_unref(d);
        return 0;
}
