/* SPDX-License-Identifier: MIT */
/*
 * The bus API (docs/dbus-api.md): org.gpudump.GpuDump1 on the system bus. Listing metadata is
 * open to everyone (as coredumpctl lists); contents and deletion need root or polkit. The
 * DumpCollected signal carries only the id, so listening leaks nothing about other users.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "bus-args.h"
#include "daemon.h"
#include "decode-child.h"
#include "gd-log.h"
#include "libgpudump-dl.h"

#define ERROR_NO_SUCH_ENTRY "org.gpudump.GpuDump1.Error.NoSuchEntry"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct json_object *, json_object_put)

static int method_list(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        struct manager *mgr = userdata;
        struct bus_list_filters f;
        _cleanup_(json_object_putp) struct json_object *all = NULL, *out = NULL;
        int r;

        r = bus_read_list_filters(m, &f, error);
        if (r >= 0) {
                r = gd_store_list(mgr->store, &all);
                if (r < 0)
                        r = sd_bus_error_set_errnof(error, -r, "cannot list the store: %s",
                                                    strerror(-r));
        }
        if (r >= 0)
                r = bus_list_filter(&f, all, &out);
        bus_list_filters_done(&f);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, "s",
                                          json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN |
                                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int no_such_entry(sd_bus_error *error, const char *id, int r) {
        if (r == -ENOENT)
                return sd_bus_error_setf(error, ERROR_NO_SUCH_ENTRY, "no entry %s", id);
        return sd_bus_error_set_errnof(error, -r, "cannot read entry %s: %s", id, strerror(-r));
}

static int method_get(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        struct manager *mgr = userdata;
        _cleanup_(json_object_putp) struct json_object *meta = NULL;
        const char *id;
        int r;

        r = sd_bus_message_read(m, "s", &id);
        if (r < 0)
                return r;
        r = gd_store_get(mgr->store, id, &meta);
        if (r < 0)
                return no_such_entry(error, id, r);
        return sd_bus_reply_method_return(m, "s",
                                          json_object_to_json_string_ext(meta, JSON_C_TO_STRING_PLAIN |
                                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int open_authorized(sd_bus_message *m, struct manager *mgr, sd_bus_error *error) {
        _cleanup_close_ int fd = -EBADF;
        const char *id;
        int r;

        r = sd_bus_message_read(m, "s", &id);
        if (r < 0)
                return r;
        r = gd_store_open_dump(mgr->store, id, &fd);
        if (r < 0)
                return no_such_entry(error, id, r);
        return sd_bus_reply_method_return(m, "h", fd); /* sd-bus dups the fd */
}

static int method_open(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        return polkit_authorize(userdata, m, "org.gpudump.read-dumps", open_authorized, error);
}

static int decode_authorized(sd_bus_message *m, struct manager *mgr, sd_bus_error *error) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *json = NULL;
        unsigned flags;
        const char *id;
        int r;

        r = bus_read_decode_args(m, &id, &flags, error);
        if (r < 0)
                return r;
        r = gd_store_open_dump(mgr->store, id, &fd);
        if (r < 0)
                return no_such_entry(error, id, r);
        r = decode_in_child(fd, flags, id, mgr->bus ? sd_bus_get_fd(mgr->bus) : -EBADF, &json, error);
        if (r < 0)
                return r;
        return sd_bus_reply_method_return(m, "s", json);
}

static int method_decode(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        unsigned flags;
        const char *id;
        int r;

        /* Bad options are refused before anyone is asked for authorization. */
        r = bus_read_decode_args(m, &id, &flags, error);
        if (r < 0)
                return r;
        return polkit_authorize(userdata, m, "org.gpudump.read-dumps", decode_authorized, error);
}

static int delete_authorized(sd_bus_message *m, struct manager *mgr, sd_bus_error *error) {
        const char *id;
        int r;

        r = sd_bus_message_read(m, "s", &id);
        if (r < 0)
                return r;
        r = gd_store_delete(mgr->store, id);
        if (r < 0)
                return no_such_entry(error, id, r);
        log_info("entry %s deleted on request of %s", id, sd_bus_message_get_sender(m));
        return sd_bus_reply_method_return(m, NULL);
}

static int method_delete(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        return polkit_authorize(userdata, m, "org.gpudump.delete-dumps", delete_authorized,
                                error);
}

static int property_version(sd_bus *bus, const char *path, const char *interface,
                            const char *property, sd_bus_message *reply, void *userdata,
                            sd_bus_error *error) {
        return sd_bus_message_append(reply, "s", GPUDUMPD_VERSION);
}

static const sd_bus_vtable manager_vtable[] = {
        SD_BUS_VTABLE_START(0),
        SD_BUS_METHOD_WITH_NAMES("ListEntries", "a{sv}", SD_BUS_PARAM(filters), "s",
                                 SD_BUS_PARAM(json), method_list, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_NAMES("GetEntry", "s", SD_BUS_PARAM(id), "s", SD_BUS_PARAM(json),
                                 method_get, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_NAMES("OpenDump", "s", SD_BUS_PARAM(id), "h", SD_BUS_PARAM(fd),
                                 method_open, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_NAMES("Decode", "sa{sv}", SD_BUS_PARAM(id) SD_BUS_PARAM(options), "s",
                                 SD_BUS_PARAM(json), method_decode, SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_METHOD_WITH_NAMES("DeleteEntry", "s", SD_BUS_PARAM(id), NULL, , method_delete,
                                 SD_BUS_VTABLE_UNPRIVILEGED),
        SD_BUS_SIGNAL_WITH_NAMES("DumpCollected", "s", SD_BUS_PARAM(id), 0),
        SD_BUS_PROPERTY("Version", "s", property_version, 0, SD_BUS_VTABLE_PROPERTY_CONST),
        SD_BUS_VTABLE_END,
};

int bus_setup(struct manager *m) {
        int r;

        r = sd_bus_open_system(&m->bus);
        if (r < 0)
                return log_error_errno(r, "cannot connect to the system bus: %s", strerror(-r));
        r = sd_bus_add_object_vtable(m->bus, NULL, GPUDUMPD_BUS_PATH, GPUDUMPD_BUS_IFACE,
                                     manager_vtable, m);
        if (r < 0)
                return log_error_errno(r, "cannot register the bus object: %s", strerror(-r));
        /* Queued: a previous instance that was just killed may hold the name for a moment
         * more (until the bus notices its connection is gone); the name comes once it does. */
        r = sd_bus_request_name(m->bus, GPUDUMPD_BUS_NAME, SD_BUS_NAME_QUEUE);
        if (r < 0)
                return log_error_errno(r, "cannot own the bus name %s: %s", GPUDUMPD_BUS_NAME,
                                       strerror(-r));
        if (r == 0)
                log_info("the bus name %s is still held (a previous instance?); queued for it",
                         GPUDUMPD_BUS_NAME);
        r = sd_bus_attach_event(m->bus, m->event, SD_EVENT_PRIORITY_NORMAL);
        if (r < 0)
                return log_error_errno(r, "cannot attach the bus: %s", strerror(-r));
        return 0;
}

void bus_emit_collected(struct manager *m, const char *id) {
        int r;

        if (!m->bus)
                return;
        r = sd_bus_emit_signal(m->bus, GPUDUMPD_BUS_PATH, GPUDUMPD_BUS_IFACE, "DumpCollected", "s",
                               id);
        if (r < 0)
                log_warning("cannot emit DumpCollected for %s: %s", id, strerror(-r));
}
