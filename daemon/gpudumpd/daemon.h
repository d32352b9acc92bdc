/* SPDX-License-Identifier: MIT */
/*
 * gpudumpd's shared state. One manager per process; every file of the daemon works on it.
 * Everything runs from one sd_event loop, except the streaming of the one dump in flight, which
 * a worker thread does (collect.c) so a slow or huge read never stalls the bus or the watchdog.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "gd-macro.h"
#include "gd-store.h"

#define GPUDUMPD_BUS_NAME "org.gpudump.GpuDump1"
#define GPUDUMPD_BUS_PATH "/org/gpudump/GpuDump1"
#define GPUDUMPD_BUS_IFACE "org.gpudump.GpuDump1"
/* MESSAGE_ID of the journal entry logged for every collected dump (packaging/gpudump.catalog). */
#define GPUDUMPD_MESSAGE_ID "5a3326f06881430f9e57269a37d1c13d"

struct udev;
struct udev_monitor;
struct collection;
struct polkit_request;
struct manager;

struct config {
        char *store_dir;
        /* Retention (UINT64_MAX: "auto" for max_use/keep_free, "off" for the others). */
        uint64_t max_use;
        uint64_t keep_free;
        uint64_t max_entries;
        uint64_t max_age_usec;
        /* Collection. */
        uint64_t dump_size_max;
        uint64_t analyze_size_max;
        int compression_level;
        bool i915_error_state;
        bool free_kernel_copy;
        char **allow_drivers; /* NULL-terminated; "*" allows every driver */
        char **deny_drivers;
        /* Rate limit: after burst entries of one signature per interval, count instead. */
        unsigned rate_limit_burst; /* 0 = off */
        uint64_t rate_limit_interval_usec;
};

enum job_kind {
        JOB_DEVCOREDUMP, /* /sys/class/devcoredump/devcdN/data */
        JOB_I915_ERROR,  /* /sys/class/drm/cardN/error */
};

struct job {
        struct job *next;
        enum job_kind kind;
        char *syspath; /* the devcdN or cardN directory */
        char *devname; /* devcdN / cardN */
        unsigned attempts;        /* failed attempts at storing (backoff) */
        unsigned link_waits;      /* waits for a late failing_device link */
        bool in_flight;           /* being run right now (the queue waits for it) */
        uint64_t not_before_usec; /* CLOCK_MONOTONIC */
};

/* queue.c: jobs waiting to be run, oldest first, one at a time, by a callback that knows what
 * they are (main.c wires the collector in). The queue knows nothing of collection. The callback
 * returns 0 (done: the job goes), >0 (retry after that many usec) or QUEUE_PENDING (still
 * running: whoever runs it calls queue_job_done() when it ends; the queue waits till then). */
#define QUEUE_PENDING UINT64_MAX
typedef uint64_t (*queue_run_t)(struct job *j, void *userdata);

struct queue {
        sd_event *event;
        sd_event_source *work_source; /* timer that runs the queue, armed only while there is work */
        struct job *jobs; /* FIFO */
        bool busy;        /* a job is pending */
        queue_run_t run;
        void *userdata;
};

void queue_init(struct queue *q, sd_event *event, queue_run_t run, void *userdata);
int queue_add(struct queue *q, enum job_kind kind, const char *syspath, const char *devname);
void queue_drop(struct queue *q, const char *syspath);
/* Free every job and the timer (shutdown). */
void queue_done(struct queue *q);
int queue_schedule(struct queue *q);
/* The pending job j ended: 0 done (j goes), else retry after delay usec. */
void queue_job_done(struct queue *q, struct job *j, uint64_t delay);

struct manager {
        sd_event *event;
        sd_bus *bus;
        struct udev *udev;
        struct udev_monitor *monitor;
        sd_event_source *monitor_source;
        struct gd_store *store;
        struct config config;
        char boot_id[33];
        char kernel[128];
        struct queue queue; /* dumps waiting to be collected */
        struct collection *collection; /* the one dump being streamed, or NULL */
        struct polkit_request *polkit_requests; /* method calls waiting for polkitd */
};

/* config.c */
void config_init(struct config *c);
void config_done(struct config *c);
/* Load path (missing is fine) and its gpudumpd.conf.d/ drop-ins; logs what is wrong. */
int config_load(struct config *c, const char *path);
/* Parse one file's text from f (path names it in messages) over what c holds; logs what is
 * wrong. -EINVAL after a syntax error or a bad value (every bad line is logged first). */
int config_load_file(struct config *c, FILE *f, const char *path);
int config_parse_size(const char *s, uint64_t *ret);
int config_parse_usec(const char *s, uint64_t *ret);

/* monitor.c */
int monitor_start(struct manager *m);
int monitor_scan(struct manager *m);
void monitor_stop(struct manager *m);
/* The i915 error file of cardN holds an error (not empty, not "No error state collected"). */
bool i915_error_present(const char *card_syspath);

/* collect.c: 0 done (job can go), >0 retry after that many usec, or COLLECT_PENDING: the dump
 * is being streamed by a thread and queue_job_done() follows. Never fails otherwise. */
#define COLLECT_PENDING QUEUE_PENDING
uint64_t collect_job(struct manager *m, struct job *j);
/* Stop the collection in flight (shutdown); the kernel's copy stays for the next start. */
void collect_abort(struct manager *m);

/* retention.c */
/* Delete entries until the limits hold; keep_id (may be NULL) is never deleted. */
int retention_enforce(struct manager *m, const char *keep_id);

/* journal.c */
void journal_log_entry(struct manager *m, struct json_object *meta, bool deduplicated);

/* bus.c */
int bus_setup(struct manager *m);
void bus_emit_collected(struct manager *m, const char *id);

/* polkit.c */
/* The part of a method handler that runs once the caller is authorized; returns like a method
 * handler (the reply sent, or a negative errno with error set). It must read its arguments
 * from the start of m. */
typedef int (*polkit_authorized_t)(sd_bus_message *m, struct manager *mgr, sd_bus_error *error);
/* Run authorized(m, mgr, error) once m's sender may do action: at once (and return its result)
 * for root, else when polkitd answers (return 1: the reply is sent then, AccessDenied when
 * refused). Returns a negative errno with error set (AccessDenied) when it cannot ask. */
int polkit_authorize(struct manager *mgr, sd_bus_message *m, const char *action,
                     polkit_authorized_t authorized, sd_bus_error *error);
/* Drop the checks still waiting (shutdown); their callers get no reply. */
void polkit_free_all(struct manager *mgr);

/* fault-inject.c: stop at a named stage when GPUDUMPD_TEST_PAUSE_AT says so, for the tests that
 * SIGKILL the daemon at a known point of a collection. */
void test_pause_point(const char *stage);
/* The byte offset at which reading devname must fail with EIO, or UINT64_MAX. */
uint64_t test_eio_at(const char *devname);
