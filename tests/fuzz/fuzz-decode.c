/* SPDX-License-Identifier: MIT */
/* Auto-detect decode to JSON: what `gpudump decode` does with any bytes. */
#include <stdlib.h>

#include "gpudump.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct gpudump_dump *d = NULL;
        char *json = NULL;

        if (gpudump_dump_new_from_memory(data, size, 0, &d) < 0)
                return 0;
        (void)gpudump_dump_get_signature(d);
        if (gpudump_dump_to_json(d, 0, &json) == 0)
                fuzz_check_json(json);
        free(json);
        gpudump_dump_unref(d);
        return 0;
}
