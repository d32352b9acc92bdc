/* SPDX-License-Identifier: MIT */
/*
 * Page long output through less when stdout is a terminal, as coredumpctl does. The pager is
 * $GPUDUMP_PAGER, else $PAGER, else less (with LESS=FRSXMK unless $LESS is set); an empty value
 * or "cat" means no pager.
 */
#pragma once

#include <stdbool.h>

/* Start the pager and point stdout at it. No-op when stdout is not a tty or no_pager is set.
 * Returns 0 (also when no pager runs) or a negative errno when starting it failed. */
int gd_pager_open(bool no_pager);
/* Flush stdout, close it towards the pager and wait for the pager to exit. Safe to call twice. */
void gd_pager_close(void);
/* true while a pager process owns our stdout. */
bool gd_pager_active(void);
