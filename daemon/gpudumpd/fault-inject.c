/* SPDX-License-Identifier: MIT */
/*
 * Fault injection for the crash-safety tests (tests/daemon), driven by the environment and
 * inert without it: the collector calls test_pause_point() at each stage of a collection, and
 * when GPUDUMPD_TEST_PAUSE_AT names that stage the daemon stops there, so a test can SIGKILL it
 * at a known point and check that the store and the kernel's copy survive; test_eio_at() fakes
 * a read error in the middle of a dump.
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

/* Test-only: GPUDUMPD_TEST_READ_EIO_AT=devcdN:BYTES makes reading devcdN fail with EIO after
 * BYTES, as a device reset in the middle of a read does; umockdev cannot fake that. */
uint64_t test_eio_at(const char *devname) {
        const char *v = getenv("GPUDUMPD_TEST_READ_EIO_AT");
        size_t n = strlen(devname);

        if (!v || strncmp(v, devname, n) != 0 || v[n] != ':')
                return UINT64_MAX;
        return strtoull(v + n + 1, NULL, 10);
}
