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
