/* SPDX-License-Identifier: MIT */
/*
 * Fault injection for the crash-safety tests (tests/daemon): the collector calls
 * test_pause_point() at each stage of a collection; when GPUDUMPD_TEST_PAUSE_AT names that
 * stage the daemon stops there, so a test can SIGKILL it at a known point and check that the
 * store and the kernel's copy survive. Without the variable it does nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"

void test_pause_point(const char *stage) {
        const char *want = getenv("GPUDUMPD_TEST_PAUSE_AT");

        if (!want || strcmp(want, stage) != 0)
                return;
        /* Test-only: stop here so a test can SIGKILL us at a known point of a collection. */
        fprintf(stderr, "gpudumpd: GPUDUMPD_TEST_PAUSED %s\n", stage);
        fflush(stderr);
        for (;;)
                pause();
}
