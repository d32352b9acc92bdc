/* SPDX-License-Identifier: MIT */
/*
 * Authorization for reading and deleting dumps: uid 0 is allowed; anyone else is asked about
 * through org.freedesktop.PolicyKit1 CheckAuthorization over the bus (docs/dbus-api.md). No
 * polkit on the bus, or any error talking to it, means "denied".
 *
 * The check allows user interaction, so polkitd may wait minutes for a password typed into an
 * agent. It therefore runs asynchronously: the method call stays referenced in a request, the
 * event loop keeps collecting dumps, serving other callers and petting the watchdog, and the
 * method's reply is sent when polkitd answers. A caller that disconnects meanwhile has its
 * check cancelled (its agent dialog goes away) and nothing is sent.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "gd-log.h"

#define POLKIT_NAME "org.freedesktop.PolicyKit1"
#define POLKIT_PATH "/org/freedesktop/PolicyKit1/Authority"
#define POLKIT_IFACE "org.freedesktop.PolicyKit1.Authority"
/* Long enough for someone to read a password prompt and answer it. */
#define POLKIT_TIMEOUT_USEC (UINT64_C(5) * 60 * 1000 * 1000)

struct polkit_request {
        struct polkit_request *next;
        struct manager *mgr;
        sd_bus_message *call; /* the caller's method call, answered when polkitd is */
        sd_bus_slot *check_slot; /* the pending CheckAuthorization */
        sd_bus_slot *owner_slot; /* NameOwnerChanged of the caller: it disconnecting */
        polkit_authorized_t authorized;
        char action[64];
        char cancellation_id[64];
};

static int sender_uid(sd_bus_message *m, uid_t *ret) {
        sd_bus_creds *creds = NULL;
        int r;

        r = sd_bus_query_sender_creds(m, SD_BUS_CREDS_EUID | SD_BUS_CREDS_UID, &creds);
        if (r < 0)
                return r;
        r = sd_bus_creds_get_euid(creds, ret);
        if (r < 0)
                r = sd_bus_creds_get_uid(creds, ret);
        sd_bus_creds_unref(creds);
        return r;
}

static int access_denied(sd_bus_message *m, const char *action, sd_bus_error *error) {
        const char *sender = sd_bus_message_get_sender(m);

        return sd_bus_error_setf(error, SD_BUS_ERROR_ACCESS_DENIED,
                                 "Not authorized: %s needs root or polkit action %s",
                                 sender ? sender : "caller", action);
}

/* Unlink q from the manager's list and free it; its slots going cancels what is pending. */
static void request_free(struct polkit_request *q) {
        for (struct polkit_request **p = &q->mgr->polkit_requests; *p; p = &(*p)->next)
                if (*p == q) {
                        *p = q->next;
                        break;
                }
        sd_bus_slot_unref(q->check_slot);
        sd_bus_slot_unref(q->owner_slot);
        sd_bus_message_unref(q->call);
        free(q);
}

static int run_authorized(sd_bus_message *m, struct manager *mgr,
                          polkit_authorized_t authorized, sd_bus_error *error) {
        /* The handler read the arguments already; its second part reads them again. */
        int r = sd_bus_message_rewind(m, true);

        return r < 0 ? r : authorized(m, mgr, error);
}

/* Run the method's authorized part (or refuse) and send whatever reply results. */
static void request_finish(struct polkit_request *q, bool authorized) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        if (authorized)
                r = run_authorized(q->call, q->mgr, q->authorized, &error);
        else
                r = access_denied(q->call, q->action, &error);
        if (r < 0 || sd_bus_error_is_set(&error)) {
                r = sd_bus_reply_method_errno(q->call, r < 0 ? r : -EIO, &error);
                if (r < 0)
                        log_warning("cannot reply to %s: %s", sd_bus_message_get_sender(q->call),
                                    strerror(-r));
        }
        sd_bus_error_free(&error);
}

static int on_check_reply(sd_bus_message *reply, void *userdata, sd_bus_error *ret_error) {
        struct polkit_request *q = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(reply);
        int authorized = 0, challenge = 0, r = 0;

        if (!e) {
                r = sd_bus_message_enter_container(reply, 'r', "bba{ss}");
                if (r >= 0)
                        r = sd_bus_message_read(reply, "bb", &authorized, &challenge);
        }
        if (e || r < 0)
                log_info("authorization of %s for %s failed (%s); denying",
                         sd_bus_message_get_sender(q->call), q->action,
                         e ? (e->message ? e->message : e->name) : strerror(-r));
        request_finish(q, (!e && r >= 0 && authorized));
        request_free(q);
        return 0;
}

static int on_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        struct polkit_request *q = userdata;
        const char *name, *old_owner, *new_owner;
        int r;

        r = sd_bus_message_read(m, "sss", &name, &old_owner, &new_owner);
        if (r < 0 || new_owner[0] != '\0')
                return 0;
        log_info("%s disconnected while waiting for authorization for %s; cancelling", name,
                 q->action);
        /* Tell polkitd, so an agent's password dialog goes away; no answer is needed. */
        r = sd_bus_call_method_async(sd_bus_message_get_bus(m), NULL, POLKIT_NAME, POLKIT_PATH,
                                     POLKIT_IFACE, "CancelCheckAuthorization", NULL, NULL, "s",
                                     q->cancellation_id);
        if (r < 0)
                log_debug("cannot cancel the authorization check: %s", strerror(-r));
        request_free(q);
        return 0;
}

static int on_match_installed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        struct polkit_request *q = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);

        /* Handled here, or sd-bus would drop the whole connection over it. */
        if (e)
                log_debug("cannot watch %s for disconnecting (%s); its check runs on",
                          sd_bus_message_get_sender(q->call), e->message ? e->message : e->name);
        return 0;
}

int polkit_authorize(struct manager *mgr, sd_bus_message *m, const char *action,
                     polkit_authorized_t authorized, sd_bus_error *error) {
        static uint64_t counter;
        sd_bus *bus = sd_bus_message_get_bus(m);
        const char *sender = sd_bus_message_get_sender(m);
        _cleanup_free_ char *match = NULL;
        struct polkit_request *q;
        uid_t uid;
        int r;

        r = sender_uid(m, &uid);
        if (r >= 0 && uid == 0)
                return run_authorized(m, mgr, authorized, error);
        if (!sender)
                return access_denied(m, action, error);

        q = calloc(1, sizeof(*q));
        if (!q)
                return -ENOMEM;
        q->mgr = mgr;
        q->call = sd_bus_message_ref(m);
        q->authorized = authorized;
        snprintf(q->action, sizeof(q->action), "%s", action);
        snprintf(q->cancellation_id, sizeof(q->cancellation_id), "gpudumpd-%" PRIu64,
                 ++counter);
        q->next = mgr->polkit_requests;
        mgr->polkit_requests = q;

        /* Installed before the check is sent; a caller gone even earlier makes polkitd fail
         * to look it up, which is a prompt denial sent to nobody. */
        if (asprintf(&match, "type='signal',sender='org.freedesktop.DBus',"
                             "path='/org/freedesktop/DBus',interface='org.freedesktop.DBus',"
                             "member='NameOwnerChanged',arg0='%s'", sender) < 0) {
                match = NULL;
                r = -ENOMEM;
        } else
                r = sd_bus_add_match_async(bus, &q->owner_slot, match, on_owner_changed,
                                           on_match_installed, q);
        if (r >= 0) {
                _cleanup_(sd_bus_message_unrefp) sd_bus_message *req = NULL;

                r = sd_bus_message_new_method_call(bus, &req, POLKIT_NAME, POLKIT_PATH,
                                                   POLKIT_IFACE, "CheckAuthorization");
                if (r >= 0)
                        r = sd_bus_message_append(req, "(sa{sv})sa{ss}us", "system-bus-name", 1,
                                                  "name", "s", sender, action, 0,
                                                  1u /* AllowUserInteraction */,
                                                  q->cancellation_id);
                if (r >= 0)
                        r = sd_bus_call_async(bus, &q->check_slot, req, on_check_reply, q,
                                              POLKIT_TIMEOUT_USEC);
        }
        if (r < 0) {
                log_info("authorization of %s for %s failed (%s); denying", sender, action,
                         strerror(-r));
                request_free(q);
                return access_denied(m, action, error);
        }
        log_debug("asked polkit whether %s may %s", sender, action);
        return 1; /* pending: on_check_reply() sends the method's reply */
}

void polkit_free_all(struct manager *mgr) {
        while (mgr->polkit_requests)
                request_free(mgr->polkit_requests);
}
