/* SPDX-License-Identifier: MIT */
/*
 * The work queue: dumps waiting to be collected, oldest first. One timer source runs it, armed
 * only while there is work, so an idle daemon never wakes up (besides the watchdog). One dump is
 * collected per dispatch so bus calls and uevents are served between dumps.
 */
#include <malloc.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "gd-log.h"

static void job_free(struct job *j) {
        if (!j)
                return;
        free(j->syspath);
        free(j->devname);
        free(j);
}

int queue_add(struct manager *m, enum job_kind kind, const char *syspath, const char *devname) {
        struct job *j, **tail;

        /* A second event for a dump already queued (scan + add race) is the same dump. */
        for (tail = &m->jobs; *tail; tail = &(*tail)->next)
                if (strcmp((*tail)->syspath, syspath) == 0)
                        return 0;
        j = calloc(1, sizeof(*j));
        if (!j)
                return log_error_errno(-ENOMEM, "out of memory queueing %s", devname);
        j->kind = kind;
        j->syspath = strdup(syspath);
        j->devname = strdup(devname);
        if (!j->syspath || !j->devname) {
                job_free(j);
                return log_error_errno(-ENOMEM, "out of memory queueing %s", devname);
        }
        *tail = j;
        log_info("%s: queued %s", devname,
                 kind == JOB_DEVCOREDUMP ? "devcoredump" : "i915 error state");
        return queue_schedule(m);
}

void queue_drop(struct manager *m, const char *syspath) {
        for (struct job **p = &m->jobs; *p; p = &(*p)->next)
                if (strcmp((*p)->syspath, syspath) == 0) {
                        struct job *j = *p;

                        if (m->collection && j->in_flight) {
                                /* The read in progress ends on its own (EOF or ENODEV). */
                                log_warning("%s: removed by the kernel while being collected",
                                            j->devname);
                                return;
                        }

                        log_warning("%s: the kernel dropped the dump before it was collected",
                                    j->devname);
                        *p = j->next;
                        job_free(j);
                        (void)queue_schedule(m);
                        return;
                }
}

void queue_free_all(struct manager *m) {
        while (m->jobs) {
                struct job *j = m->jobs;
                m->jobs = j->next;
                job_free(j);
        }
}

static uint64_t now_mono(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int on_work(sd_event_source *s, uint64_t usec, void *userdata) {
        struct manager *m = userdata;
        uint64_t now = now_mono();

        for (struct job **p = &m->jobs; *p; p = &(*p)->next) {
                struct job *j = *p;
                uint64_t delay;

                if (j->not_before_usec > now)
                        continue;
                delay = collect_job(m, j);
                if (delay == COLLECT_PENDING) {
                        j->in_flight = true;
                        break;
                }
                /* A collection peaks at a few MiB of buffers; give them back while idle. */
                (void)malloc_trim(0);
                if (delay == 0) {
                        /* collect_job() may not touch the list, so p is still valid. */
                        *p = j->next;
                        job_free(j);
                } else
                        j->not_before_usec = now_mono() + delay;
                break;
        }
        return queue_schedule(m);
}

void queue_job_done(struct manager *m, struct job *j, uint64_t delay) {
        j->in_flight = false;
        (void)malloc_trim(0);
        if (delay != 0)
                j->not_before_usec = now_mono() + delay;
        else
                for (struct job **p = &m->jobs; *p; p = &(*p)->next)
                        if (*p == j) {
                                *p = j->next;
                                job_free(j);
                                break;
                        }
        (void)queue_schedule(m);
}

int queue_schedule(struct manager *m) {
        uint64_t next = UINT64_MAX;
        int r;

        /* One collection at a time: the queue resumes from queue_job_done(). */
        if (m->collection)
                return m->work_source ? sd_event_source_set_enabled(m->work_source, SD_EVENT_OFF)
                                      : 0;

        for (struct job *j = m->jobs; j; j = j->next)
                if (j->not_before_usec < next)
                        next = j->not_before_usec;
        if (next == UINT64_MAX)
                return m->work_source ? sd_event_source_set_enabled(m->work_source, SD_EVENT_OFF)
                                      : 0;
        if (!m->work_source) {
                r = sd_event_add_time(m->event, &m->work_source, CLOCK_MONOTONIC, next, 0,
                                      on_work, m);
                if (r < 0)
                        return log_error_errno(r, "cannot add work timer: %s", strerror(-r));
                return 0;
        }
        r = sd_event_source_set_time(m->work_source, next);
        if (r >= 0)
                r = sd_event_source_set_enabled(m->work_source, SD_EVENT_ONESHOT);
        if (r < 0)
                return log_error_errno(r, "cannot arm work timer: %s", strerror(-r));
        return 0;
}
