/* SPDX-License-Identifier: MIT */
/* The parsed command line (set once by gpudump.c's parse_argv(), read by the verbs). Kept apart
 * from main() so the CLI's helpers link into unit tests without it. */
#include "cli.h"

enum json_mode arg_json = JSON_DEFAULT;
bool arg_text;
bool arg_include_vma_data;
bool arg_no_pager;
bool arg_no_legend;
bool arg_colour;
const char *arg_store;
const char *arg_output;
const char *arg_vma;
const char *arg_blob;
uint64_t arg_max_size = 10u * 1024 * 1024;
uint64_t arg_since;
uint64_t arg_until;
const char *arg_driver;
bool arg_last_only;
bool arg_reverse;
unsigned arg_count;
int64_t arg_index = -1;
bool arg_all;
unsigned arg_threads;
