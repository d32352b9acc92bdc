/* SPDX-License-Identifier: MIT */
/*
 * The job queue: jobs waiting to be run, oldest first, by the callback it was given (the
 * collector: main.c wires it). One timer source runs it, armed only while there is work, so an
 * idle daemon never wakes up (besides the watchdog). One job is run per dispatch so bus calls
 * and uevents are served between jobs, and one at a time: a pending job holds the queue.
 */
#include <malloc.h>
#include <string.h>
#include <time.h>

#include "daemon.h"
#include "gd-log.h"

void queue_init(struct queue *q, sd_event *event, queue_run_t run, void *userdata) {
        *q = (struct queue){ .event = event, .run = run, .userdata = userdata };
}

static void job_free(struct job *j) {
        if (!j)
                return;
        free(j->syspath);
        free(j->devname);
        free(j);
}

int queue_add(struct queue *q, enum job_kind kind, const char *syspath, const char *devname) {
        struct job *j, **tail;

        /* A second event for a dump already queued (scan + add race) is the same dump. */
        for (tail = &q->jobs; *tail; tail = &(*tail)->next)
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
        return queue_schedule(q);
}

void queue_drop(struct queue *q, const char *syspath) {
        for (struct job **p = &q->jobs; *p; p = &(*p)->next)
                if (strcmp((*p)->syspath, syspath) == 0) {
                        struct job *j = *p;

                        if (j->in_flight) {
                                /* The read in progress ends on its own (EOF or ENODEV). */
                                log_warning("%s: removed by the kernel while being collected",
                                            j->devname);
                                return;
                        }

                        log_warning("%s: the kernel dropped the dump before it was collected",
                                    j->devname);
                        *p = j->next;
                        job_free(j);
                        (void)queue_schedule(q);
                        return;
                }
}

void queue_done(struct queue *q) {
        while (q->jobs) {
                struct job *j = q->jobs;
                q->jobs = j->next;
                job_free(j);
        }
        q->work_source = sd_event_source_unref(q->work_source);
}

static uint64_t now_mono(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

static int on_work(sd_event_source *s, uint64_t usec, void *userdata) {
        struct queue *q = userdata;
        uint64_t now = now_mono();

        for (struct job **p = &q->jobs; *p; p = &(*p)->next) {
                struct job *j = *p;
                uint64_t delay;

                if (j->not_before_usec > now)
                        continue;
                delay = q->run(j, q->userdata);
                if (delay == QUEUE_PENDING) {
                        j->in_flight = true;
                        q->busy = true;
                        break;
                }
                /* A job (a collection) peaks at a few MiB of buffers; give them back while idle. */
                (void)malloc_trim(0);
                if (delay == 0) {
                        /* The callback may not touch the list, so p is still valid. */
                        *p = j->next;
                        job_free(j);
                } else
                        j->not_before_usec = now_mono() + delay;
                break;
        }
        return queue_schedule(q);
}

void queue_job_done(struct queue *q, struct job *j, uint64_t delay) {
        j->in_flight = false;
        q->busy = false;
        (void)malloc_trim(0);
        if (delay != 0)
                j->not_before_usec = now_mono() + delay;
        else
                for (struct job **p = &q->jobs; *p; p = &(*p)->next)
                        if (*p == j) {
                                *p = j->next;
                                job_free(j);
                                break;
                        }
        (void)queue_schedule(q);
}

int queue_schedule(struct queue *q) {
        uint64_t next = UINT64_MAX;
        int r;

        /* One job at a time: the queue resumes from queue_job_done(). */
        if (q->busy)
                return q->work_source ? sd_event_source_set_enabled(q->work_source, SD_EVENT_OFF)
                                      : 0;

        for (struct job *j = q->jobs; j; j = j->next)
                if (j->not_before_usec < next)
                        next = j->not_before_usec;
        if (next == UINT64_MAX)
                return q->work_source ? sd_event_source_set_enabled(q->work_source, SD_EVENT_OFF)
                                      : 0;
        if (!q->work_source) {
                r = sd_event_add_time(q->event, &q->work_source, CLOCK_MONOTONIC, next, 0,
                                      on_work, q);
                if (r < 0)
                        return log_error_errno(r, "cannot add work timer: %s", strerror(-r));
                return 0;
        }
        r = sd_event_source_set_time(q->work_source, next);
        if (r >= 0)
                r = sd_event_source_set_enabled(q->work_source, SD_EVENT_ONESHOT);
        if (r < 0)
                return log_error_errno(r, "cannot arm work timer: %s", strerror(-r));
        return 0;
}
