/* SPDX-License-Identifier: MIT */
/*
 * Where dumps come from: a libudev monitor (devcoredump add; drm change with ERROR=1, the i915
 * error state) and, at start, a scan of what is already there, so dumps made while the daemon
 * was down or restarting are not lost.
 */
#include <fcntl.h>
#include <string.h>

#include <libudev.h>

#include "daemon.h"
#include "device.h"
#include "gd-log.h"

/* An i915 error file holds an error when it is non-empty and not the "no error" text. */
bool i915_error_present(const char *card_syspath) {
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        char buf[64];
        ssize_t n;

        if (asprintf(&path, "%s/error", card_syspath) < 0)
                return false;
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n <= 0)
                return false;
        buf[n] = 0;
        return strncmp(buf, "No error state collected", 24) != 0 && strncmp(buf, "no error", 8) != 0;
}

static bool is_card(const char *sysname) {
        return sysname && strncmp(sysname, "card", 4) == 0 && !strchr(sysname, '-');
}

static void handle_device(struct manager *m, struct udev_device *d) {
        const char *action = udev_device_get_action(d);
        const char *subsystem = udev_device_get_subsystem(d);
        const char *syspath = udev_device_get_syspath(d);
        const char *sysname = udev_device_get_sysname(d);

        if (!action || !subsystem || !syspath || !sysname)
                return;
        log_debug("uevent %s %s %s", action, subsystem, syspath);
        if (strcmp(subsystem, "devcoredump") == 0) {
                if (strcmp(action, "add") == 0)
                        (void)queue_add(&m->queue, JOB_DEVCOREDUMP, syspath, sysname);
                else if (strcmp(action, "remove") == 0)
                        queue_drop(&m->queue, syspath);
        } else if (strcmp(subsystem, "drm") == 0 && strcmp(action, "change") == 0 &&
                   is_card(sysname) && m->config.i915_error_state) {
                const char *error = udev_device_get_property_value(d, "ERROR");

                if (error && strcmp(error, "1") == 0)
                        (void)queue_add(&m->queue, JOB_I915_ERROR, syspath, sysname);
        }
}

static int on_monitor(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        struct manager *m = userdata;
        struct udev_device *d;

        /* Drain everything queued so one wakeup handles a burst. */
        while ((d = udev_monitor_receive_device(m->monitor))) {
                handle_device(m, d);
                udev_device_unref(d);
        }
        return 0;
}

int monitor_start(struct manager *m) {
        int r;

        m->udev = udev_new();
        if (!m->udev)
                return log_error_errno(-ENOMEM, "cannot create udev context");
        m->monitor = udev_monitor_new_from_netlink(m->udev, "udev");
        if (!m->monitor)
                return log_error_errno(-EIO, "cannot open the udev monitor");
        r = udev_monitor_filter_add_match_subsystem_devtype(m->monitor, "devcoredump", NULL);
        if (r >= 0)
                r = udev_monitor_filter_add_match_subsystem_devtype(m->monitor, "drm", NULL);
        if (r >= 0)
                r = udev_monitor_enable_receiving(m->monitor);
        if (r < 0)
                return log_error_errno(r, "cannot set up the udev monitor: %s", strerror(-r));
        r = sd_event_add_io(m->event, &m->monitor_source, udev_monitor_get_fd(m->monitor),
                            EPOLLIN, on_monitor, m);
        if (r < 0)
                return log_error_errno(r, "cannot watch the udev monitor: %s", strerror(-r));
        return 0;
}

static int scan_subsystem(struct manager *m, const char *subsystem) {
        struct udev_enumerate *e = udev_enumerate_new(m->udev);
        struct udev_list_entry *item;
        int r;

        if (!e)
                return log_error_errno(-ENOMEM, "cannot enumerate %s", subsystem);
        r = udev_enumerate_add_match_subsystem(e, subsystem);
        if (r >= 0)
                r = udev_enumerate_scan_devices(e);
        if (r < 0) {
                udev_enumerate_unref(e);
                return log_error_errno(r, "cannot enumerate %s: %s", subsystem, strerror(-r));
        }
        udev_list_entry_foreach(item, udev_enumerate_get_list_entry(e)) {
                const char *syspath = udev_list_entry_get_name(item);
                const char *sysname = strrchr(syspath, '/');

                if (!sysname)
                        continue;
                sysname++;
                if (strcmp(subsystem, "devcoredump") == 0) {
                        _cleanup_free_ char *data = NULL;

                        /* The class also has the "disabled" attribute; dumps have data. */
                        if (asprintf(&data, "%s/data", syspath) < 0 || access(data, F_OK) < 0)
                                continue;
                        (void)queue_add(&m->queue, JOB_DEVCOREDUMP, syspath, sysname);
                } else if (is_card(sysname) && i915_error_present(syspath))
                        (void)queue_add(&m->queue, JOB_I915_ERROR, syspath, sysname);
        }
        udev_enumerate_unref(e);
        return 0;
}

int monitor_scan(struct manager *m) {
        _cleanup_free_ char *disabled = NULL;
        int r;

        /* The kernel's write-once lockdown switch: say so (we never set it ourselves). */
        if (sysfs_read_attr("/sys/class/devcoredump", "disabled", &disabled) >= 0 &&
            strcmp(disabled, "1") == 0)
                log_warning("devcoredumps are disabled until reboot "
                            "(/sys/class/devcoredump/disabled is 1); only i915 error states "
                            "can be collected");
        r = scan_subsystem(m, "devcoredump");
        if (m->config.i915_error_state) {
                int k = scan_subsystem(m, "drm");
                if (r >= 0)
                        r = k;
        }
        return r;
}

void monitor_stop(struct manager *m) {
        m->monitor_source = sd_event_source_unref(m->monitor_source);
        if (m->monitor)
                m->monitor = udev_monitor_unref(m->monitor);
        if (m->udev)
                m->udev = udev_unref(m->udev);
}
