/* SPDX-License-Identifier: MIT */
/* Diagnostics: what is wrong with the input, and where. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gd-macro.h"
#include "model.h"

/* A damaged multi-gigabyte dump could otherwise yield millions of diagnostics (and the duplicate
 * check below is linear): past this many, one last diagnostic says the rest were dropped. */
#define MAX_DIAGS 4096

void gd_diag_add(struct gpudump_dump *d, enum gpudump_severity sev, uint64_t offset, uint64_t line,
                 const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        if (d->n_diags > MAX_DIAGS)
                return;
        /* A dump found inside other text: say where in the input the user gave. */
        if (d->source.found)
                gd_found_map(d->source.found, offset, line, &offset, &line);
        if (d->n_diags == MAX_DIAGS) {
                struct gd_diag last = {
                        .severity = GPUDUMP_SEVERITY_WARNING,
                        .offset = offset,
                        .line = line,
                        .message = strdup("too many diagnostics; further ones are not reported"),
                };
                if (last.message && GD_ARRAY_PUSH(d->diags, d->n_diags, last) < 0)
                        free(last.message);
                return;
        }

        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0) {
                msg = NULL;
                return;
        }

        /* Lazy decoding may find the same damage twice (JSON hashing, then a read): say it once. */
        for (size_t i = 0; i < d->n_diags; i++)
                if (d->diags[i].offset == offset && d->diags[i].severity == sev &&
                    strcmp(d->diags[i].message, msg) == 0)
                        return;

        struct gd_diag diag = {
                .severity = sev,
                .offset = offset,
                .line = line,
                .message = msg,
        };
        if (GD_ARRAY_PUSH(d->diags, d->n_diags, diag) == 0)
                TAKE_PTR(msg);
}
