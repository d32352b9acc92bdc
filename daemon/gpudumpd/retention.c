/* SPDX-License-Identifier: MIT */
/*
 * Retention, as coredump.conf does it: MaxUse (bytes the store may take), KeepFree (bytes the
 * file system must keep free), MaxEntries and MaxAge. Oldest entries go first. Run before each
 * write (to make room) and after it (sparing the new entry). MaxAge is only checked then and at
 * start: the daemon has no periodic timer.
 */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "daemon.h"
#include "gd-log.h"

/* coredump.conf's defaults: MaxUse 10% and KeepFree 15% of the file system, capped at 4 GiB. */
static uint64_t auto_max_use(uint64_t fs_size) {
        uint64_t v = fs_size / 10;
        if (v < (UINT64_C(1) << 20))
                v = UINT64_C(1) << 20;
        return v > (UINT64_C(4) << 30) ? UINT64_C(4) << 30 : v;
}

static uint64_t auto_keep_free(uint64_t fs_size) {
        uint64_t v = fs_size / 100 * 15;
        return v > (UINT64_C(4) << 30) ? UINT64_C(4) << 30 : v;
}

/* Time of an entry from its id (YYYYmmddTHHMMSS), so no metadata needs parsing. */
static uint64_t id_time_usec(const char *id) {
        struct tm tm = { 0 };

        if (!strptime(id, "%Y%m%dT%H%M%S", &tm))
                return 0;
        return (uint64_t)timegm(&tm) * 1000000;
}

int retention_enforce(struct manager *m, const char *keep_id) {
        const struct config *c = &m->config;
        char **ids = NULL;
        uint64_t *sizes = NULL, used = 0, fs_size = 0, fs_free = 0, max_use, keep_free, now;
        size_t n = 0, alive;
        struct timespec ts;
        int r;

        r = gd_store_list_ids(m->store, &ids, &n);
        if (r < 0)
                return log_error_errno(r, "cannot list the store: %s", strerror(-r));
        sizes = calloc(n ? n : 1, sizeof(*sizes));
        if (!sizes) {
                gd_store_free_ids(ids, n);
                return log_error_errno(-ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < n; i++) {
                (void)gd_store_entry_disk_usage(m->store, ids[i], &sizes[i]);
                used += sizes[i];
        }
        (void)gd_store_fs_usage(m->store, &fs_size, &fs_free);
        max_use = c->max_use == UINT64_MAX ? auto_max_use(fs_size) : c->max_use;
        keep_free = c->keep_free == UINT64_MAX ? auto_keep_free(fs_size) : c->keep_free;
        clock_gettime(CLOCK_REALTIME, &ts);
        now = (uint64_t)ts.tv_sec * 1000000;
        alive = n;

        for (size_t i = 0; i < n; i++) {
                const char *why = NULL;

                if (keep_id && strcmp(ids[i], keep_id) == 0)
                        continue;
                if (alive > c->max_entries)
                        why = "MaxEntries";
                else if (used > max_use)
                        why = "MaxUse";
                else if (fs_free < keep_free)
                        why = "KeepFree";
                else if (c->max_age_usec > 0 && id_time_usec(ids[i]) + c->max_age_usec < now)
                        why = "MaxAge";
                else
                        continue; /* entries are oldest first, but MaxAge may skip none later */
                r = gd_store_delete(m->store, ids[i]);
                if (r < 0 && r != -ENOENT) {
                        log_warning("cannot remove entry %s: %s", ids[i], strerror(-r));
                        continue;
                }
                log_info("removed entry %s (%s)", ids[i], why);
                alive--;
                used -= sizes[i];
                fs_free += sizes[i];
        }
        gd_store_free_ids(ids, n);
        free(sizes);
        return 0;
}
