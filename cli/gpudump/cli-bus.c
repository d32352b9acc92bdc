/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli-bus.h"
#include "gd-log.h"
#include "gd-macro.h"

#if HAVE_SDBUS
#include <systemd/sd-bus.h>

#define BUS_NAME "org.gpudump.GpuDump1"
#define BUS_PATH "/org/gpudump/GpuDump1"
#define BUS_IFACE "org.gpudump.GpuDump1"

struct cli_bus {
        sd_bus *bus;
};

int cli_bus_open(struct cli_bus **ret) {
        struct cli_bus *b = calloc(1, sizeof(*b));
        int r;

        if (!b)
                return log_error_errno(ENOMEM, "out of memory");
        /* sd_bus_open_system() honours DBUS_SYSTEM_BUS_ADDRESS (tests use a private bus). */
        r = sd_bus_open_system(&b->bus);
        if (r < 0) {
                free(b);
                return log_error_errno(r, "cannot connect to the system bus: %s (use --store DIR to read a store directly)",
                                       strerror(-r));
        }
        /* Reading contents and deleting may need polkit to ask for a password: let it ask, and
         * wait as long as gpudumpd waits for polkit's answer (5 minutes), not sd-bus's 25 s. */
        (void) sd_bus_set_allow_interactive_authorization(b->bus, true);
        (void) sd_bus_set_method_call_timeout(b->bus, UINT64_C(5) * 60 * 1000 * 1000);
        *ret = b;
        return 0;
}

struct cli_bus *cli_bus_free(struct cli_bus *b) {
        if (b) {
                sd_bus_flush_close_unref(b->bus);
                free(b);
        }
        return NULL;
}

static int bus_error(const char *what, const sd_bus_error *e, int r) {
        if (sd_bus_error_has_name(e, BUS_IFACE ".Error.NoSuchEntry"))
                r = -ENOENT;
        else if (sd_bus_error_has_name(e, SD_BUS_ERROR_ACCESS_DENIED))
                r = -EACCES;
        else if (sd_bus_error_has_name(e, SD_BUS_ERROR_INVALID_ARGS))
                r = -EINVAL;
        else if (sd_bus_error_has_name(e, SD_BUS_ERROR_SERVICE_UNKNOWN) ||
                 sd_bus_error_has_name(e, SD_BUS_ERROR_NAME_HAS_NO_OWNER))
                return log_error_errno(-EHOSTDOWN,
                                       "%s: gpudumpd is not running (%s); use --store DIR to read a store directly",
                                       what, e->message ?: "no owner");
        return log_error_errno(r, "%s: %s", what, e && e->message ? e->message : strerror(-r));
}

/* Calls a method that returns one string and duplicates it into *ret_json. */
static int call_string(struct cli_bus *b, sd_bus_message *m, const char *what, char **ret_json) {
        sd_bus_error e = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        const char *s;
        int r;

        r = sd_bus_call(b->bus, m, 0, &e, &reply);
        if (r < 0) {
                r = bus_error(what, &e, r);
                sd_bus_error_free(&e);
                return r;
        }
        r = sd_bus_message_read(reply, "s", &s);
        if (r < 0) {
                sd_bus_message_unref(reply);
                return log_error_errno(r, "%s: malformed reply from gpudumpd: %s", what, strerror(-r));
        }
        *ret_json = strdup(s);
        sd_bus_message_unref(reply);
        return *ret_json ? 0 : log_error_errno(ENOMEM, "out of memory");
}

int cli_bus_list(struct cli_bus *b, uint64_t since, uint64_t until, const char *driver, char **ret_json) {
        sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(b->bus, &m, BUS_NAME, BUS_PATH, BUS_IFACE, "ListEntries");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "{sv}");
        if (r >= 0 && since)
                r = sd_bus_message_append(m, "{sv}", "since", "t", since);
        if (r >= 0 && until)
                r = sd_bus_message_append(m, "{sv}", "until", "t", until);
        if (r >= 0 && driver)
                r = sd_bus_message_append(m, "{sv}", "driver", "s", driver);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r < 0) {
                sd_bus_message_unref(m);
                return log_error_errno(r, "ListEntries: cannot build the call: %s", strerror(-r));
        }
        r = call_string(b, m, "ListEntries", ret_json);
        sd_bus_message_unref(m);
        return r;
}

int cli_bus_get(struct cli_bus *b, const char *id, char **ret_json) {
        sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(b->bus, &m, BUS_NAME, BUS_PATH, BUS_IFACE, "GetEntry");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", id);
        if (r < 0) {
                sd_bus_message_unref(m);
                return log_error_errno(r, "GetEntry: cannot build the call: %s", strerror(-r));
        }
        r = call_string(b, m, id, ret_json);
        sd_bus_message_unref(m);
        return r;
}

int cli_bus_decode(struct cli_bus *b, const char *id, bool include_vma_data, char **ret_json) {
        sd_bus_message *m = NULL;
        int r;

        r = sd_bus_message_new_method_call(b->bus, &m, BUS_NAME, BUS_PATH, BUS_IFACE, "Decode");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", id);
        if (r >= 0)
                r = sd_bus_message_append(m, "a{sv}", 1, "include_vma_data", "b", (int)include_vma_data);
        if (r < 0) {
                sd_bus_message_unref(m);
                return log_error_errno(r, "Decode: cannot build the call: %s", strerror(-r));
        }
        r = call_string(b, m, id, ret_json);
        sd_bus_message_unref(m);
        return r;
}

int cli_bus_open_dump(struct cli_bus *b, const char *id, int *ret_fd) {
        sd_bus_error e = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        int r, fd;

        r = sd_bus_call_method(b->bus, BUS_NAME, BUS_PATH, BUS_IFACE, "OpenDump", &e, &reply, "s", id);
        if (r < 0) {
                r = bus_error(id, &e, r);
                sd_bus_error_free(&e);
                return r;
        }
        r = sd_bus_message_read(reply, "h", &fd);
        if (r < 0) {
                sd_bus_message_unref(reply);
                return log_error_errno(r, "%s: malformed reply from gpudumpd: %s", id, strerror(-r));
        }
        /* The fd belongs to the message: keep our own copy. */
        *ret_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        r = *ret_fd < 0 ? -errno : 0;
        sd_bus_message_unref(reply);
        return r < 0 ? log_error_errno(r, "%s: cannot duplicate the dump fd: %s", id, strerror(-r)) : 0;
}

int cli_bus_delete(struct cli_bus *b, const char *id) {
        sd_bus_error e = SD_BUS_ERROR_NULL;
        int r;

        r = sd_bus_call_method(b->bus, BUS_NAME, BUS_PATH, BUS_IFACE, "DeleteEntry", &e, NULL, "s", id);
        if (r < 0) {
                r = bus_error(id, &e, r);
                sd_bus_error_free(&e);
        }
        return r < 0 ? r : 0;
}

struct watch_data {
        int (*cb)(const char *id, void *userdata);
        void *userdata;
        int result;
};

static int on_dump_collected(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        struct watch_data *w = userdata;
        const char *id;

        if (sd_bus_message_read(m, "s", &id) < 0) {
                log_warning("ignoring a malformed DumpCollected signal");
                return 0;
        }
        if (w->result == 0)
                w->result = w->cb(id, w->userdata);
        return 0;
}

int cli_bus_watch(struct cli_bus *b, int (*cb)(const char *id, void *userdata), void *userdata) {
        struct watch_data w = { cb, userdata, 0 };
        sd_bus_slot *slot = NULL;
        int r;

        r = sd_bus_match_signal(b->bus, &slot, NULL, BUS_PATH, BUS_IFACE, "DumpCollected",
                                on_dump_collected, &w);
        if (r < 0)
                return log_error_errno(r, "cannot subscribe to DumpCollected: %s", strerror(-r));
        while (w.result == 0) {
                r = sd_bus_process(b->bus, NULL);
                if (r < 0) {
                        log_error_errno(r, "bus connection failed: %s", strerror(-r));
                        break;
                }
                if (r > 0)
                        continue;
                r = sd_bus_wait(b->bus, UINT64_MAX);
                if (r < 0 && r != -EINTR) {
                        log_error_errno(r, "waiting on the bus failed: %s", strerror(-r));
                        break;
                }
        }
        sd_bus_slot_unref(slot);
        if (r < 0 && r != -EINTR)
                return r;
        return w.result < 0 ? w.result : 0;
}

#else /* !HAVE_SDBUS */

int cli_bus_open(struct cli_bus **ret) {
        return log_error_errno(EOPNOTSUPP, "gpudump was built without sd-bus; use --store DIR");
}
struct cli_bus *cli_bus_free(struct cli_bus *b) { return NULL; }
int cli_bus_list(struct cli_bus *b, uint64_t since, uint64_t until, const char *driver, char **ret_json) { return -EOPNOTSUPP; }
int cli_bus_get(struct cli_bus *b, const char *id, char **ret_json) { return -EOPNOTSUPP; }
int cli_bus_open_dump(struct cli_bus *b, const char *id, int *ret_fd) { return -EOPNOTSUPP; }
int cli_bus_decode(struct cli_bus *b, const char *id, bool include_vma_data, char **ret_json) { return -EOPNOTSUPP; }
int cli_bus_delete(struct cli_bus *b, const char *id) { return -EOPNOTSUPP; }
int cli_bus_watch(struct cli_bus *b, int (*cb)(const char *id, void *userdata), void *userdata) { return -EOPNOTSUPP; }

#endif
