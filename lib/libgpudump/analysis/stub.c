/* SPDX-License-Identifier: MIT */
/* Placeholder analysis until the real pass lands. */
#include "model.h"

int gd_analyse(struct gpudump_dump *d) { (void)d; return 0; }
void gd_analysis_free(struct gd_analysis *a) { (void)a; }
int gd_analysis_to_json(struct gpudump_dump *d, struct json_object *report, unsigned flags)
{
        (void)d; (void)report; (void)flags;
        return 0;
}
