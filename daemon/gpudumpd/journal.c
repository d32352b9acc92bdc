/* SPDX-License-Identifier: MIT */
/*
 * One journal entry per collected dump, with a fixed MESSAGE_ID (explained by
 * packaging/gpudump.catalog) and GPUDUMP_* fields, so `journalctl MESSAGE_ID=...` is an index of
 * every GPU hang, as coredumpctl's is for process crashes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include <json-c/json.h>
#include <systemd/sd-journal.h>

#include "daemon.h"

static const char *get(struct json_object *o, const char *key) {
        struct json_object *v;
        const char *s;

        if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
                return "";
        s = json_object_get_string(v);
        return s ? s : "";
}

/* The GPU as people know it: "card0 (xe, 0000:00:02.0)". The DRM card, else the PCI slot, else
 * the dump's own name (devcdN says nothing about which GPU, but is all there may be). */
static void gpu_name(struct json_object *meta, struct json_object *dev, char *buf, size_t size) {
        const char *card = dev ? get(dev, "drm_card") : "", *slot = dev ? get(dev, "pci_slot") : "";
        const char *driver = get(meta, "driver");
        const char *name = *card ? card : *slot ? slot : get(meta, "devname");

        snprintf(buf, size, "%s (%s%s%s)", name, *driver ? driver : "unknown driver",
                 *slot && name != slot ? ", " : "", name != slot ? slot : "");
}

void journal_log_entry(struct manager *m, struct json_object *meta, bool deduplicated) {
        struct json_object *dev = NULL, *proc = NULL;
        const char *id = get(meta, "id"), *driver = get(meta, "driver");
        const char *reason = get(meta, "reason");
        char filename[4096], gpu[256];

        json_object_object_get_ex(meta, "device", &dev);
        json_object_object_get_ex(meta, "process", &proc);
        snprintf(filename, sizeof(filename), "%s/%s.zst", gd_store_get_dir(m->store), id);
        gpu_name(meta, dev, gpu, sizeof(gpu));
        /* Failing to log is not a reason to fail the collection: ignore the result. */
        (void)sd_journal_send(
                "MESSAGE=GPU hang on %s%s%s; %s %s", gpu, *reason ? ": " : "", reason,
                deduplicated ? "counted into entry" : "dump stored as", id, "GPUDUMP_GPU=%s", gpu,
                "MESSAGE_ID=" GPUDUMPD_MESSAGE_ID, "PRIORITY=%i", LOG_WARNING,
                "GPUDUMP_ID=%s", id, "GPUDUMP_DRIVER=%s", driver,
                "GPUDUMP_DEVNAME=%s", get(meta, "devname"),
                "GPUDUMP_PCI_SLOT=%s", dev ? get(dev, "pci_slot") : "",
                "GPUDUMP_VENDOR_ID=%s", dev ? get(dev, "vendor_id") : "",
                "GPUDUMP_DEVICE_ID=%s", dev ? get(dev, "device_id") : "",
                "GPUDUMP_DRM_CARD=%s", dev ? get(dev, "drm_card") : "",
                "GPUDUMP_PROCESS=%s", proc ? get(proc, "name") : "",
                "GPUDUMP_PID=%s", proc ? get(proc, "pid") : "",
                "GPUDUMP_REASON=%s", reason, "GPUDUMP_BLAMED_ENGINE=%s", get(meta, "blamed_engine"),
                "GPUDUMP_SIGNATURE=%s", get(meta, "signature"), "GPUDUMP_FORMAT=%s",
                get(meta, "format"), "GPUDUMP_SIZE=%s", get(meta, "size"),
                "GPUDUMP_COMPRESSED_SIZE=%s", get(meta, "compressed_size"),
                "GPUDUMP_STATE=%s", get(meta, "state"), "GPUDUMP_OCCURRENCES=%s",
                get(meta, "occurrences"), "GPUDUMP_DEDUPLICATED=%i", deduplicated ? 1 : 0,
                "GPUDUMP_FILENAME=%s", filename, "GPUDUMP_BOOT_ID=%s", m->boot_id, NULL);
}
