/* SPDX-License-Identifier: MIT */
/*
 * The json layer, the last of libgpudump: the report (json.c) renders the model, and
 * analysis-json.c the analysis under its "analysis" key. gpudump_dump_to_json() is its entry.
 */
#pragma once

#include "analysis.h"
#include "model.h"

/* What gpudump_report_schema_version() answers: schemas/gpudump-report.schema.json's version. */
#define GD_REPORT_SCHEMA_VERSION 1

/* JSON of the analysis, added under "analysis" of the report (json-c object). */
struct json_object;
int gd_analysis_to_json(struct gpudump_dump *d, struct json_object *report, unsigned flags);

/* instr-json.c: one instruction as the report's windows, ring listing and the full listing
 * show it ({address, dwords, name, type, length, unknown, [truncated,] fields, hung}), and the
 * fields object of an instruction or register. NULL on out of memory. */
struct json_object *gd_json_instr(uint64_t address, const uint32_t *dw, unsigned n_dwords,
                                  const struct gd_instr *in, bool hung);
struct json_object *gd_json_fields(const struct gd_field *f, unsigned n);

/* json.c: o rendered (pretty or plain, no slash escapes) into a malloc'd *ret_json; o's
 * reference is dropped either way. 0 or -ENOMEM. */
int gd_json_take_string(struct json_object *o, bool pretty, char **ret_json);
