/* SPDX-License-Identifier: MIT */
/*
 * gpudumpd: collect every GPU dump (devcoredump, i915 error state) into the store before the
 * kernel drops it. Wires the event sources (signals, udev monitor, bus, work queue) and the
 * objects (config, store, queue, collector), then runs the sd_event loop until SIGTERM/SIGINT.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <systemd/sd-daemon.h>
#include <systemd/sd-id128.h>

#include "daemon.h"
#include "gd-log.h"

static const char *arg_config = GPUDUMPD_CONFIG;
static const char *arg_store;
static bool arg_no_scan;
static bool arg_debug;

static void help(void) {
        printf("Usage: gpudumpd [OPTIONS]\n\n"
               "Collect GPU dumps (devcoredump, i915 error state) into the gpudump store.\n\n"
               "  -h --help          show this help\n"
               "     --version       show the version\n"
               "     --config FILE   configuration file (default %s)\n"
               "     --store DIR     store directory (overrides [Store] Directory=)\n"
               "     --no-scan       do not collect dumps that exist at start\n"
               "     --debug         log every uevent\n",
               GPUDUMPD_CONFIG);
}

static int parse_argv(int argc, char **argv) {
        enum { ARG_VERSION = 0x100, ARG_CONFIG, ARG_STORE, ARG_NO_SCAN, ARG_DEBUG };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "config", required_argument, NULL, ARG_CONFIG },
                { "store", required_argument, NULL, ARG_STORE },
                { "no-scan", no_argument, NULL, ARG_NO_SCAN },
                { "debug", no_argument, NULL, ARG_DEBUG },
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        help();
                        return 0;
                case ARG_VERSION:
                        printf("gpudumpd %s\n", GPUDUMPD_VERSION);
                        return 0;
                case ARG_CONFIG:
                        arg_config = optarg;
                        break;
                case ARG_STORE:
                        if (optarg[0] != '/')
                                return log_error_errno(-EINVAL, "--store needs an absolute path");
                        arg_store = optarg;
                        break;
                case ARG_NO_SCAN:
                        arg_no_scan = true;
                        break;
                case ARG_DEBUG:
                        arg_debug = true;
                        break;
                default:
                        return -EINVAL;
                }
        if (optind < argc)
                return log_error_errno(-EINVAL, "unexpected argument: %s", argv[optind]);
        return 1;
}

static int read_boot_id(char ret[static 33]) {
        sd_id128_t id;
        int r = sd_id128_get_boot(&id);

        if (r < 0)
                return r;
        sd_id128_to_string(id, ret);
        return 0;
}

static int on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        struct manager *m = userdata;

        log_info("received %s, exiting", strsignal((int)si->ssi_signo));
        (void)sd_notify(false, "STOPPING=1");
        return sd_event_exit(m->event, 0);
}

/* The queue runs collections: the one place where the two meet. */
static uint64_t run_job(struct job *j, void *userdata) {
        return collect_job(userdata, j);
}

static void manager_done(struct manager *m) {
        collect_abort(m);
        queue_done(&m->queue);
        monitor_stop(m);
        polkit_free_all(m);
        if (m->bus)
                m->bus = sd_bus_flush_close_unref(m->bus);
        m->event = sd_event_unref(m->event);
        m->store = gd_store_free(m->store);
        config_done(&m->config);
}

static int run(int argc, char **argv) {
        struct manager m = { 0 };
        struct utsname u;
        sigset_t mask;
        const char *dir;
        int r;

        gd_log_setup("gpudumpd", GD_LOG_INFO);
        r = parse_argv(argc, argv);
        if (r <= 0)
                return r;
        if (arg_debug)
                gd_log_setup("gpudumpd", GD_LOG_DEBUG);

        config_init(&m.config);
        r = config_load(&m.config, arg_config);
        if (r < 0)
                goto out;
        /* Under the unit, systemd tells us where StateDirectory= is. */
        dir = arg_store ? arg_store
            : m.config.store_dir ? m.config.store_dir
            : getenv("STATE_DIRECTORY") && getenv("STATE_DIRECTORY")[0] == '/'
                    ? getenv("STATE_DIRECTORY")
                    : GPUDUMPD_STORE_DIR;

        r = read_boot_id(m.boot_id);
        if (r < 0) {
                log_error("cannot read the boot id: %s", strerror(-r));
                goto out;
        }
        if (uname(&u) == 0)
                snprintf(m.kernel, sizeof(m.kernel), "%s", u.release);

        r = gd_store_open(dir, true, &m.store);
        if (r < 0) {
                log_error("cannot open the store %s: %s", dir, strerror(-r));
                goto out;
        }
        r = gd_store_remove_incomplete(m.store);
        if (r > 0)
                log_notice("removed %d incomplete file(s) from the store %s", r, dir);

        r = sd_event_default(&m.event);
        if (r < 0)
                goto out;
        queue_init(&m.queue, m.event, run_job, &m);
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        (void)sd_event_add_signal(m.event, NULL, SIGTERM, on_signal, &m);
        (void)sd_event_add_signal(m.event, NULL, SIGINT, on_signal, &m);
        /* The watchdog is the daemon's only periodic wakeup (WatchdogSec= in the unit). */
        r = sd_event_set_watchdog(m.event, true);
        if (r < 0)
                log_warning("cannot enable the watchdog: %s", strerror(-r));

        r = bus_setup(&m);
        if (r < 0)
                goto out;
        r = monitor_start(&m);
        if (r < 0)
                goto out;
        (void)retention_enforce(&m, NULL);
        /* Scan after the monitor is listening, so nothing falls between the two. */
        if (!arg_no_scan)
                (void)monitor_scan(&m);

        (void)sd_notify(false, "READY=1\nSTATUS=Collecting GPU dumps");
        log_info("ready; store %s", dir);
        r = sd_event_loop(m.event);
        if (r < 0)
                log_error("event loop failed: %s", strerror(-r));
out:
        manager_done(&m);
        return r;
}

int main(int argc, char **argv) {
        int r = run(argc, argv);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
