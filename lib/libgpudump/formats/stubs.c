/* SPDX-License-Identifier: MIT */
/* Placeholder parsers until the real ones land: each format stays "unknown". */
#include "model.h"

int gd_parse_i915(struct gpudump_dump *d) { (void)d; return 0; }
int gd_parse_amdgpu(struct gpudump_dump *d) { (void)d; return 0; }
int gd_parse_msm(struct gpudump_dump *d) { (void)d; return 0; }
int gd_parse_panfrost(struct gpudump_dump *d) { (void)d; return 0; }
int gd_parse_etnaviv(struct gpudump_dump *d) { (void)d; return 0; }
