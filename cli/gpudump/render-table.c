/* SPDX-License-Identifier: MIT */
/* Store entries as text: the coredumpctl-like table (list, watch) and the info block. Both read the
 * entry metadata objects (schemas/gpudump-entry.schema.json) that --json prints unchanged. */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

enum { COL_TIME, COL_ID, COL_DRIVER, COL_DEVICE, COL_PROCESS, COL_PID, COL_SIGNATURE, COL_SIZE, N_COLS };
static const char *const headers[N_COLS] = { "TIME", "ID", "DRIVER", "DEVICE", "PROCESS", "PID", "SIGNATURE", "SIZE" };

static const char *entry_device(struct json_object *e, char *buf, size_t size) {
        const char *s = json_get_str(e, "device.drm_card");

        if (!s)
                s = json_get_str(e, "device.pci_slot");
        if (!s)
                s = json_get_str(e, "devname");
        xsnprintf(buf, size, "%s", s ?: "-");
        return buf;
}

static void cells(struct json_object *e, char c[N_COLS][128]) {
        int64_t v;
        char tmp[64];

        if (json_get_int(e, "timestamp_usec", &v) && v >= 0)
                xsnprintf(c[COL_TIME], 128, "%s", format_usec((uint64_t)v, tmp));
        else
                xsnprintf(c[COL_TIME], 128, "%s", json_get_str(e, "time") ?: "-");
        xsnprintf(c[COL_ID], 128, "%s", json_get_str(e, "id") ?: "-");
        xsnprintf(c[COL_DRIVER], 128, "%s", json_get_str(e, "driver") ?: "-");
        entry_device(e, c[COL_DEVICE], 128);
        xsnprintf(c[COL_PROCESS], 128, "%s", json_get_str(e, "process.name") ?: "-");
        if (json_get_int(e, "process.pid", &v) && v > 0)
                xsnprintf(c[COL_PID], 128, "%" PRId64, v);
        else
                xsnprintf(c[COL_PID], 128, "-");
        xsnprintf(c[COL_SIGNATURE], 128, "%s", json_get_str(e, "signature") ?: "-");
        if (json_get_int(e, "size", &v) && v >= 0)
                format_size((uint64_t)v, c[COL_SIZE]);
        else
                xsnprintf(c[COL_SIZE], 128, "-");
}

void render_table(FILE *f, struct json_object *entries, bool legend, bool stream) {
        /* watch prints rows one at a time: typical widths keep them under the header. */
        static const int stream_width[N_COLS] = { 27, 31, 6, 6, 15, 7, 19, 6 };
        size_t n = json_object_array_length(entries);
        int width[N_COLS];

        for (int i = 0; i < N_COLS; i++) {
                width[i] = legend ? (int)strlen(headers[i]) : 0;
                if (stream && stream_width[i] > width[i])
                        width[i] = stream_width[i];
        }
        for (size_t r = 0; r < n; r++) {
                char c[N_COLS][128];
                cells(json_object_array_get_idx(entries, r), c);
                for (int i = 0; i < N_COLS; i++)
                        if ((int)strlen(c[i]) > width[i])
                                width[i] = (int)strlen(c[i]);
        }
        if (legend) {
                fputs(ansi_highlight(), f);
                for (int i = 0; i < N_COLS; i++)
                        fprintf(f, i == N_COLS - 1 ? "%*s" : "%-*s ", width[i], headers[i]);
                fprintf(f, "%s\n", ansi_normal());
        }
        for (size_t r = 0; r < n; r++) {
                char c[N_COLS][128];
                cells(json_object_array_get_idx(entries, r), c);
                for (int i = 0; i < N_COLS; i++) {
                        /* Numbers right-aligned, as coredumpctl does. */
                        bool right = i == COL_PID || i == COL_SIZE;
                        fprintf(f, right ? "%*s" : "%-*s", width[i], c[i]);
                        if (i < N_COLS - 1)
                                fputc(' ', f);
                }
                fputc('\n', f);
        }
}

static void info_line(FILE *f, const char *label, const char *value) {
        if (value && value[0])
                fprintf(f, "%s%16s:%s %s\n", ansi_highlight(), label, ansi_normal(), value);
}

void render_entry_info(FILE *f, struct json_object *e, const char *storage) {
        static const char *const known[] = {
                "id", "time", "timestamp_usec", "boot_id", "driver", "devname", "device", "kernel",
                "process", "reason", "blamed_engine", "signature", "format", "size",
                "compressed_size", "state", "truncated_reason", "occurrences", "last_occurrence", "source",
        };
        char buf[512], t[64], s1[16], s2[16];
        const char *str;
        int64_t v, v2;

        info_line(f, "ID", json_get_str(e, "id"));
        if (json_get_int(e, "timestamp_usec", &v) && v >= 0) {
                xsnprintf(buf, sizeof(buf), "%s (%s)", format_usec((uint64_t)v, t), json_get_str(e, "time") ?: "");
                info_line(f, "Time", buf);
        } else
                info_line(f, "Time", json_get_str(e, "time"));
        info_line(f, "Boot ID", json_get_str(e, "boot_id"));
        info_line(f, "Driver", json_get_str(e, "driver"));
        {
                const char *ven = json_get_str(e, "device.vendor_id"), *dev = json_get_str(e, "device.device_id");
                const char *card = json_get_str(e, "device.drm_card"), *devname = json_get_str(e, "devname");
                char ids[64] = "";

                if (ven && dev) /* lspci style: 8086:64a0 */
                        xsnprintf(ids, sizeof(ids), " [%s:%s]", ven + (strncmp(ven, "0x", 2) == 0 ? 2 : 0),
                                  dev + (strncmp(dev, "0x", 2) == 0 ? 2 : 0));
                xsnprintf(buf, sizeof(buf), "%s%s%s%s%s%s", json_get_str(e, "device.pci_slot") ?: "",
                          ids, card ? " " : "", card ?: "", devname ? " via " : "", devname ?: "");
                info_line(f, "Device", buf[0] == ' ' ? buf + 1 : buf);
                info_line(f, "Sysfs path", json_get_str(e, "device.syspath"));
                info_line(f, "Source", json_get_str(e, "source"));
        }
        info_line(f, "Kernel", json_get_str(e, "kernel"));
        if ((str = json_get_str(e, "process.name")) || json_get(e, "process.pid")) {
                if (json_get_int(e, "process.pid", &v) && v > 0)
                        xsnprintf(buf, sizeof(buf), "%s [%" PRId64 "]", str ?: "?", v);
                else
                        xsnprintf(buf, sizeof(buf), "%s", str ?: "?");
                info_line(f, "Process", buf);
        }
        info_line(f, "Reason", json_get_str(e, "reason"));
        info_line(f, "Blamed engine", json_get_str(e, "blamed_engine"));
        info_line(f, "Signature", json_get_str(e, "signature"));
        info_line(f, "Format", json_get_str(e, "format"));
        if (json_get_int(e, "size", &v)) {
                if (json_get_int(e, "compressed_size", &v2))
                        xsnprintf(buf, sizeof(buf), "%s (%" PRId64 " bytes), %s compressed",
                                 format_size((uint64_t)v, s1), v, format_size((uint64_t)v2, s2));
                else
                        xsnprintf(buf, sizeof(buf), "%s (%" PRId64 " bytes)", format_size((uint64_t)v, s1), v);
                info_line(f, "Size", buf);
        }
        if (json_get_str(e, "truncated_reason")) {
                xsnprintf(buf, sizeof(buf), "%s (%s)", json_get_str(e, "state") ?: "truncated",
                          json_get_str(e, "truncated_reason"));
                info_line(f, "State", buf);
        } else
                info_line(f, "State", json_get_str(e, "state"));
        if (json_get_int(e, "occurrences", &v)) {
                xsnprintf(buf, sizeof(buf), "%" PRId64 "%s%s%s", v,
                         json_get_str(e, "last_occurrence") ? " (last " : "",
                         json_get_str(e, "last_occurrence") ?: "",
                         json_get_str(e, "last_occurrence") ? ")" : "");
                info_line(f, "Occurrences", buf);
        }
        info_line(f, "Storage", storage);

        /* Fields added to the metadata later are shown rather than hidden. */
        json_object_object_foreach(e, key, val) {
                bool is_known = false;
                for (size_t i = 0; i < ELEMENTSOF(known); i++)
                        is_known = is_known || strcmp(key, known[i]) == 0;
                if (!is_known) {
                        char lbl[64];
                        xsnprintf(lbl, sizeof(lbl), "%s", key);
                        if (val && (json_object_is_type(val, json_type_object) || json_object_is_type(val, json_type_array)))
                                info_line(f, lbl, json_object_to_json_string_ext(val, JSON_C_TO_STRING_PLAIN));
                        else
                                info_line(f, lbl, json_scalar_str(val, buf, sizeof(buf)));
                }
        }
}
