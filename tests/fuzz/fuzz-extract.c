/* SPDX-License-Identifier: MIT */
/*
 * Extraction of dumps from pasted text (input/extract.c: mail, MIME, quoted-printable, base64,
 * `>` quoting, code fences, HTML, kernel logs), then what `gpudump extract` reads of each dump
 * found: every VMA (gpudump_vma_read), reads by VA across the VMAs' edges (gpudump_dump_read_va)
 * and the named blobs.
 */
#include <stdlib.h>

#include "gpudump.h"
#include "input/extract.h"
#include "fuzz.h"

static void read_dump(const uint8_t *data, size_t size) {
        struct gpudump_dump *d = NULL;

        if (gpudump_dump_new_from_memory(data, size, GPUDUMP_OPEN_NO_ANALYSIS, &d) < 0)
                return;
        fuzz_read_vmas(d);
        gpudump_dump_unref(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct gd_extract e = {};

        if (gd_extract_is_bare(data, size)) {
                read_dump(data, size);
                return 0;
        }
        if (gd_extract(data, size, &e) < 0)
                return 0;
        for (size_t i = 0; i < e.n_found; i++) {
                const struct gd_found *f = &e.found[i];
                uint64_t off, line;

                if (f->first_line > f->last_line)
                        abort();
                for (size_t k = 0; k < f->n_lines; k++) {
                        if (f->lines[k].out > f->size || f->lines[k].in > size)
                                abort(); /* a line mapped outside the bytes */
                        if (k > 0 && f->lines[k].out < f->lines[k - 1].out)
                                abort(); /* lines out of order */
                }
                gd_found_map(f, f->size, f->n_lines, &off, &line);
                if (off > size)
                        abort();
                read_dump(f->data, f->size);
        }
        gd_extract_done(&e);
        return 0;
}
