/* SPDX-License-Identifier: MIT */
/*
 * What the fuzz targets share (docs/fuzzing.md). Each target is one LLVMFuzzerTestOneInput();
 * a crash, a sanitizer report, a leak or an abort() here is a finding.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The library promises a report that is valid JSON: a broken one is a finding. */
void fuzz_check_json(const char *json);
/* Walk every VMA and blob of d as a consumer would: gpudump_vma_read() of each, and
 * gpudump_dump_read_va() at the edges of each (inside, across the end, before the start). */
struct gpudump_dump;
void fuzz_read_vmas(struct gpudump_dump *d);
