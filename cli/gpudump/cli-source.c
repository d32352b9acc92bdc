/* SPDX-License-Identifier: MIT */
/*
 * Where stored entries come from: gpudumpd over the system bus, or with --store DIR the store
 * directory itself (read-only, through lib/shared/gd-store.h). Everything above this file sees one
 * interface; every function here logs its failures (naming the id), so callers only exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "cli.h"
#include "cli-bus.h"
#include "gd-log.h"
#include "gd-store.h"

struct source {
        struct gd_store *store; /* --store */
        struct cli_bus *bus;    /* otherwise */
};

int source_open(struct source **ret) {
        struct source *s = calloc(1, sizeof(*s));
        int r;

        if (!s)
                return log_error_errno(ENOMEM, "out of memory");
        if (arg_store) {
                r = gd_store_open(arg_store, false, &s->store);
                if (r < 0) {
                        free(s);
                        return log_error_errno(r, "%s: cannot open the store: %s", arg_store, strerror(-r));
                }
        } else {
                r = cli_bus_open(&s->bus);
                if (r < 0) {
                        free(s);
                        return r;
                }
        }
        *ret = s;
        return 0;
}

struct source *source_free(struct source *s) {
        if (s) {
                gd_store_free(s->store);
                cli_bus_free(s->bus);
                free(s);
        }
        return NULL;
}

const char *source_name(struct source *s) {
        return s->store ? gd_store_get_dir(s->store) : "gpudumpd";
}

static int parse_json(const char *what, const char *text, enum json_type type, struct json_object **ret) {
        struct json_object *o = json_tokener_parse(text);

        if (!o || !json_object_is_type(o, type)) {
                json_object_put(o);
                return log_error_errno(EBADMSG, "%s: gpudumpd sent malformed JSON", what);
        }
        *ret = o;
        return 0;
}

static bool entry_matches(struct json_object *e) {
        int64_t ts;
        const char *drv;

        if (arg_since || arg_until) {
                if (!json_get_int(e, "timestamp_usec", &ts))
                        return false;
                if (arg_since && (uint64_t)ts < arg_since)
                        return false;
                if (arg_until && (uint64_t)ts > arg_until)
                        return false;
        }
        if (arg_driver) {
                drv = json_get_str(e, "driver");
                if (!drv || strcmp(drv, arg_driver) != 0)
                        return false;
        }
        return true;
}

int source_list(struct source *s, struct json_object **ret_array) {
        struct json_object *all = NULL, *out;
        int r;

        if (s->store) {
                r = gd_store_list(s->store, &all);
                if (r < 0)
                        return log_error_errno(r, "%s: cannot list the store: %s", source_name(s), strerror(-r));
        } else {
                _cleanup_free_ char *text = NULL;

                r = cli_bus_list(s->bus, arg_since, arg_until, arg_driver, &text);
                if (r < 0)
                        return r;
                r = parse_json("ListEntries", text, json_type_array, &all);
                if (r < 0)
                        return r;
        }
        /* Filter here too: the store has no filters and re-checking the daemon's answer is cheap. */
        out = json_object_new_array();
        if (!out) {
                json_object_put(all);
                return log_error_errno(ENOMEM, "out of memory");
        }
        for (size_t i = 0; i < json_object_array_length(all); i++) {
                struct json_object *e = json_object_array_get_idx(all, i);
                if (entry_matches(e))
                        json_object_array_add(out, json_object_get(e));
        }
        json_object_put(all);
        *ret_array = out;
        return 0;
}

static int check_id(const char *id) {
        if (!gd_store_id_is_valid(id))
                return log_error_errno(EINVAL, "%s: not a valid dump id", id);
        return 0;
}

int source_get(struct source *s, const char *id, struct json_object **ret_meta) {
        int r = check_id(id);

        if (r < 0)
                return r;
        if (s->store) {
                r = gd_store_get(s->store, id, ret_meta);
                if (r == -ENOENT)
                        return log_error_errno(r, "%s: no such dump in %s", id, source_name(s));
                if (r < 0)
                        return log_error_errno(r, "%s: cannot read its metadata: %s", id, strerror(-r));
                return 0;
        }
        _cleanup_free_ char *text = NULL;
        r = cli_bus_get(s->bus, id, &text);
        if (r < 0)
                return r;
        return parse_json(id, text, json_type_object, ret_meta);
}

int source_open_dump(struct source *s, const char *id, int *ret_fd) {
        int r = check_id(id);

        if (r < 0)
                return r;
        if (!s->store)
                return cli_bus_open_dump(s->bus, id, ret_fd);
        r = gd_store_open_dump(s->store, id, ret_fd);
        if (r == -ENOENT)
                return log_error_errno(r, "%s: no such dump in %s", id, source_name(s));
        if (r < 0)
                return log_error_errno(r, "%s: cannot open the stored dump: %s", id, strerror(-r));
        return 0;
}

int source_decode(struct source *s, const char *id, bool include_vma_data,
                  struct json_object **ret_report) {
        _cleanup_free_ char *text = NULL;
        int r = check_id(id);

        if (r < 0)
                return r;
        /* With --store the caller decodes locally (it needs the dump object); this is the
         * daemon's decode, which also works for users who may not read the store. */
        if (s->store)
                return log_error_errno(EINVAL, "%s: internal error: local entries are decoded by the caller", id);
        r = cli_bus_decode(s->bus, id, include_vma_data, &text);
        if (r < 0)
                return r;
        return parse_json(id, text, json_type_object, ret_report);
}

int source_delete(struct source *s, const char *id) {
        int r = check_id(id);

        if (r < 0)
                return r;
        if (!s->store)
                return cli_bus_delete(s->bus, id);
        r = gd_store_delete(s->store, id);
        if (r == -ENOENT)
                return log_error_errno(r, "%s: no such dump in %s", id, source_name(s));
        if (r < 0)
                return log_error_errno(r, "%s: cannot delete: %s", id, strerror(-r));
        return 0;
}

struct bus_watch_data {
        struct source *s;
        int (*cb)(struct source *s, const char *id, void *userdata);
        void *userdata;
};

static int bus_watch_cb(const char *id, void *userdata) {
        struct bus_watch_data *w = userdata;

        return w->cb(w->s, id, w->userdata);
}

/* --store: an entry becomes visible when <id>.json appears (docs/store.md, completion rule), by
 * rename (the daemon) or by a writer closing it. */
static int store_watch(struct source *s, int (*cb)(struct source *s, const char *id, void *userdata),
                       void *userdata) {
        _cleanup_close_ int fd = -EBADF;
        char last[NAME_MAX + 1] = "";
        int r = 0;

        fd = inotify_init1(IN_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "inotify: %s", strerror(errno));
        if (inotify_add_watch(fd, gd_store_get_dir(s->store), IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
                return log_error_errno(errno, "%s: cannot watch: %s", gd_store_get_dir(s->store), strerror(errno));

        while (r == 0) {
                _Alignas(struct inotify_event) char buf[4096];
                ssize_t n = read(fd, buf, sizeof(buf));

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return log_error_errno(errno, "inotify: %s", strerror(errno));
                }
                for (char *p = buf; p < buf + n && r == 0;) {
                        struct inotify_event *ev = (struct inotify_event *)p;
                        size_t len;

                        p += sizeof(*ev) + ev->len;
                        if (ev->len == 0 || ev->name[0] == '.')
                                continue;
                        len = strlen(ev->name);
                        if (len <= 5 || strcmp(ev->name + len - 5, ".json") != 0)
                                continue;
                        ev->name[len - 5] = '\0';
                        if (strcmp(ev->name, last) == 0 || !gd_store_id_is_valid(ev->name))
                                continue;
                        xsnprintf(last, sizeof(last), "%s", ev->name);
                        r = cb(s, ev->name, userdata);
                }
        }
        return r < 0 ? r : 0;
}

int source_watch(struct source *s, int (*cb)(struct source *s, const char *id, void *userdata),
                 void *userdata) {
        struct bus_watch_data w = { s, cb, userdata };

        if (s->store)
                return store_watch(s, cb, userdata);
        return cli_bus_watch(s->bus, bus_watch_cb, &w);
}
