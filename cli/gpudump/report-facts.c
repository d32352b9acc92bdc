/* SPDX-License-Identifier: MIT */
/*
 * Read the facts a human wants first out of the JSON report. Several spellings are accepted for
 * each (the report schema is versioned and the analysis object grows), so the CLI degrades to ""
 * instead of failing when a field moves or is absent.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>

#include "cli.h"

const char *json_scalar_str(struct json_object *v, char *buf, size_t size) {
        buf[0] = '\0';
        if (!v || json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array))
                return buf;
        if (json_object_is_type(v, json_type_string))
                xsnprintf(buf, size, "%s", json_object_get_string(v));
        else
                xsnprintf(buf, size, "%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
        return buf;
}

/* The first of the NULL-terminated paths that exists. */
static struct json_object *first(struct json_object *o, const char *const *paths) {
        for (; *paths; paths++) {
                struct json_object *v = json_get(o, *paths);
                if (v)
                        return v;
        }
        return NULL;
}

#define FIRST(o, ...) first((o), (const char *const[]) { __VA_ARGS__, NULL })

static void str_of(struct json_object *v, char *buf, size_t size) {
        json_scalar_str(v, buf, size);
}

/* PCI ids may be numbers or "0x64a0" strings. */
static void hex_of(struct json_object *v, char *buf, size_t size) {
        if (v && json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0)
                xsnprintf(buf, size, "0x%04" PRIx64, (uint64_t)json_object_get_int64(v));
        else
                str_of(v, buf, size);
}

static void count_diagnostics(struct report_facts *f) {
        if (!f->diagnostics || !json_object_is_type(f->diagnostics, json_type_array))
                return;
        for (size_t i = 0; i < json_object_array_length(f->diagnostics); i++) {
                const char *sev = json_get_str(json_object_array_get_idx(f->diagnostics, i), "severity");
                if (sev && strcmp(sev, "error") == 0)
                        f->n_errors++;
                else if (sev && strcmp(sev, "warning") == 0)
                        f->n_warnings++;
                else
                        f->n_info++;
        }
}

/* "1760433512.418203551" (xe) or "1760433512 s 418203 us" (i915): add the UTC date in front, so
 * a reader needs no calculator; UTC so the same dump reads the same everywhere. */
static void human_time(char *buf, size_t size) {
        char *end;
        long long sec;
        time_t t;
        struct tm tm;
        char date[64];

        if (!buf[0])
                return;
        errno = 0;
        sec = strtoll(buf, &end, 10);
        /* Only wall-clock times: an uptime ("5234.77") is not a date. */
        if (errno || end == buf || sec < 1000000000LL || (*end && *end != '.' && *end != ' '))
                return;
        t = (time_t)sec;
        if (!gmtime_r(&t, &tm) || strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
                return;
        {
                char raw[64];
                xsnprintf(raw, sizeof(raw), "%s", buf);
                xsnprintf(buf, size, "%s (%s)", date, raw);
        }
}

void report_facts_get(struct json_object *r, struct report_facts *f) {
        char id[32], rev[32], name[128], pid[32], extra[128];
        struct json_object *v;

        *f = (struct report_facts) {};

        str_of(FIRST(r, "format"), f->format, sizeof(f->format));
        str_of(FIRST(r, "size", "input.size"), f->size, sizeof(f->size));
        {
                struct json_object *b;
                const char *notes[3] = {};
                size_t n = 0;

                if ((b = json_get(r, "compressed")) && json_object_get_boolean(b))
                        notes[n++] = "zstd-compressed";
                if ((b = json_get(r, "truncated")) && json_object_get_boolean(b))
                        notes[n++] = "truncated";
                if ((b = json_get(r, "empty")) && json_object_get_boolean(b))
                        notes[n++] = "empty: no error state captured";
                xsnprintf(f->input_notes, sizeof(f->input_notes), "%s%s%s%s%s", n > 0 ? notes[0] : "",
                          n > 1 ? ", " : "", n > 1 ? notes[1] : "", n > 2 ? ", " : "", n > 2 ? notes[2] : "");
        }
        if ((v = json_get(r, "source")) && json_object_is_type(v, json_type_object)) {
                int64_t first = 0, last = 0, index = 0, count = 0, size = 0;
                struct json_object *st = json_get(v, "stripped");
                char stripped[200] = "", part[64];
                size_t len = 0;

                json_get_int(v, "first_line", &first);
                json_get_int(v, "last_line", &last);
                json_get_int(v, "index", &index);
                json_get_int(v, "count", &count);
                json_get_int(v, "dump_size", &size);
                for (size_t i = 0; st && json_object_is_type(st, json_type_array) &&
                                   i < json_object_array_length(st) && len < sizeof(stripped) - 1; i++) {
                        json_scalar_str(json_object_array_get_idx(st, i), part, sizeof(part));
                        xsnprintf(stripped + len, sizeof(stripped) - len, "%s%s", i ? ", " : "", part);
                        len = strlen(stripped);
                }
                if (count > 1)
                        xsnprintf(extra, sizeof(extra), ", dump %" PRIi64 " of %" PRIi64 " (--index %" PRIi64 ")",
                                  index + 1, count, index);
                else
                        extra[0] = 0;
                xsnprintf(f->found, sizeof(f->found), "lines %" PRIi64 "-%" PRIi64 " of the input (%" PRIi64 " bytes of dump)%s%s%s%s",
                          first, last, size, extra, stripped[0] ? "; stripped: " : "", stripped, "");
        }
        str_of(FIRST(r, "driver", "device.driver", "header.driver", "module"), f->driver, sizeof(f->driver));
        str_of(FIRST(r, "kernel", "header.kernel", "kernel_release"), f->kernel, sizeof(f->kernel));
        str_of(FIRST(r, "reason", "header.reason"), f->reason, sizeof(f->reason));
        str_of(FIRST(r, "snapshot_time", "time", "header.snapshot_time", "times.snapshot"), f->time, sizeof(f->time));
        str_of(FIRST(r, "signature", "analysis.signature"), f->signature, sizeof(f->signature));
        human_time(f->time, sizeof(f->time));

        hex_of(FIRST(r, "device.pci_id", "device.device_id", "pci_id", "header.pci_id"), id, sizeof(id));
        hex_of(FIRST(r, "device.pci_revision", "device.revision", "pci_revision", "header.pci_revision"), rev, sizeof(rev));
        str_of(FIRST(r, "device.platform", "platform", "header.platform"), extra, sizeof(extra));
        {
                char ver[32] = "";
                str_of(json_get(r, "device.graphics_version"), ver, sizeof(ver));
                if (ver[0]) {
                        size_t l = strlen(extra);
                        xsnprintf(extra + l, sizeof(extra) - l, "%sgraphics %s", l ? ", " : "", ver);
                }
        }
        if (id[0])
                xsnprintf(f->device, sizeof(f->device), "PCI %s%s%s%s%s%s", id, rev[0] ? " rev " : "", rev,
                         extra[0] ? " (" : "", extra, extra[0] ? ")" : "");
        else if (extra[0])
                xsnprintf(f->device, sizeof(f->device), "%s", extra);

        v = FIRST(r, "process", "header.process");
        if (v && json_object_is_type(v, json_type_object)) {
                str_of(json_get(v, "name"), name, sizeof(name));
                str_of(json_get(v, "pid"), pid, sizeof(pid));
        } else {
                str_of(v ?: FIRST(r, "process_name"), name, sizeof(name));
                str_of(FIRST(r, "pid", "process_pid"), pid, sizeof(pid));
        }
        if (name[0] || (pid[0] && strcmp(pid, "-1") != 0))
                xsnprintf(f->process, sizeof(f->process), "%s%s%s%s", name[0] ? name : "?",
                         pid[0] && strcmp(pid, "-1") != 0 ? " [" : "",
                         pid[0] && strcmp(pid, "-1") != 0 ? pid : "",
                         pid[0] && strcmp(pid, "-1") != 0 ? "]" : "");

        f->engines = FIRST(r, "engines");
        f->contexts = FIRST(r, "contexts", "exec_queues");
        f->vmas = FIRST(r, "vmas", "buffers");
        f->diagnostics = FIRST(r, "diagnostics");
        f->analysis = FIRST(r, "analysis");
        if (f->analysis && !json_object_is_type(f->analysis, json_type_object))
                f->analysis = NULL;
        count_diagnostics(f);

        /* Blamed engine: the analysis' verdict, else the engine flagged in the engine list. */
        v = FIRST(r, "analysis.blamed", "analysis.blamed_engine", "analysis.blame", "blamed_engine");
        if (v && json_object_is_type(v, json_type_object)) {
                char cls[48], conf[32];

                str_of(FIRST(v, "engine", "name"), f->blamed, sizeof(f->blamed));
                str_of(json_get(v, "class"), cls, sizeof(cls));
                str_of(json_get(v, "confidence"), conf, sizeof(conf));
                xsnprintf(f->blamed_detail, sizeof(f->blamed_detail), "%s%s%s%s", cls,
                          cls[0] && conf[0] ? ", " : "", conf[0] ? "confidence " : "", conf);
                f->blamed_evidence = FIRST(v, "evidence", "reasons");
        } else
                str_of(v, f->blamed, sizeof(f->blamed));
        if (!f->blamed[0] && f->engines && json_object_is_type(f->engines, json_type_array))
                for (size_t i = 0; i < json_object_array_length(f->engines); i++) {
                        struct json_object *e = json_object_array_get_idx(f->engines, i), *b;
                        if (json_object_object_get_ex(e, "blamed", &b) && json_object_get_boolean(b)) {
                                str_of(json_get(e, "name"), f->blamed, sizeof(f->blamed));
                                break;
                        }
                }

        f->hung = FIRST(r, "analysis.hung_instruction");
        if (f->hung && json_object_is_type(f->hung, json_type_object)) {
                char ins[96], addr[32], vma[32], off[32], src[32], eng[32];

                f->hung_window = json_get(f->hung, "window");
                str_of(json_get(f->hung, "instruction"), ins, sizeof(ins));
                str_of(FIRST(f->hung, "instruction_address", "address"), addr, sizeof(addr));
                str_of(json_get(f->hung, "vma"), vma, sizeof(vma));
                str_of(json_get(f->hung, "offset"), off, sizeof(off));
                str_of(json_get(f->hung, "source"), src, sizeof(src));
                str_of(json_get(f->hung, "engine"), eng, sizeof(eng));
                if (vma[0])
                        xsnprintf(f->hung_text, sizeof(f->hung_text), "%s at %s on %s (VMA %s + %s, from %s)",
                                  ins[0] ? ins : "instruction", addr, eng[0] ? eng : "?", vma, off,
                                  src[0] ? src : "?");
                else
                        xsnprintf(f->hung_text, sizeof(f->hung_text), "%s at %s on %s (not in a captured VMA, from %s)",
                                  ins[0] ? ins : "instruction", addr, eng[0] ? eng : "?", src[0] ? src : "?");
        } else
                f->hung = NULL;
        if (f->hung_window && !json_object_is_type(f->hung_window, json_type_array))
                f->hung_window = NULL;
        str_of(FIRST(r, "analysis.wait.explanation"), f->wait_text, sizeof(f->wait_text));
        str_of(FIRST(r, "analysis.summary"), f->summary, sizeof(f->summary));
        f->notes = FIRST(r, "analysis.notes");
        if (f->notes && (!json_object_is_type(f->notes, json_type_array) || json_object_array_length(f->notes) == 0))
                f->notes = NULL;
        f->fault = FIRST(r, "analysis.fault");
        if (f->fault && !json_object_is_type(f->fault, json_type_object))
                f->fault = NULL;

        v = FIRST(r, "analysis.ring");
        if (v && json_object_is_type(v, json_type_object)) {
                char eng[32], start[32], size[32], head[32], tail[32], cap[8];

                str_of(json_get(v, "engine"), eng, sizeof(eng));
                str_of(json_get(v, "start"), start, sizeof(start));
                str_of(json_get(v, "size"), size, sizeof(size));
                str_of(json_get(v, "head"), head, sizeof(head));
                str_of(json_get(v, "tail"), tail, sizeof(tail));
                str_of(json_get(v, "captured"), cap, sizeof(cap));
                xsnprintf(f->ring_text, sizeof(f->ring_text), "%s: start %s, size %s, head %s, tail %s%s",
                          eng, start, size, head, tail, strcmp(cap, "false") == 0 ? " (contents not captured)" : "");
        }
}

bool analysis_key_curated(const char *key) {
        static const char *const keys[] = {
                "blamed", "hung_instruction", "wait", "signature", "contexts", "ring", "summary",
                "notes", "fault",
                /* per-engine register decoding: long, and complete in the JSON */
                "engines",
        };

        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (strcmp(key, keys[i]) == 0)
                        return true;
        return false;
}

bool format_window_entry(struct json_object *insn, char *buf, size_t size) {
        struct json_object *dws = json_get(insn, "dwords"), *fields = json_get(insn, "fields"), *h;
        char tmp[64];
        size_t n = 0;

#define APPEND(...) do { if (n < size) n += (size_t)snprintf(buf + n, size - n, __VA_ARGS__); } while (0)
        buf[0] = '\0';
        APPEND("%-12s", json_scalar_str(json_get(insn, "address"), tmp, sizeof(tmp)));
        for (size_t i = 0; dws && json_object_is_type(dws, json_type_array) && i < json_object_array_length(dws); i++) {
                const char *d = json_scalar_str(json_object_array_get_idx(dws, i), tmp, sizeof(tmp));
                if (i == 6) {
                        APPEND(" ...");
                        break;
                }
                APPEND(" %s", strncmp(d, "0x", 2) == 0 ? d + 2 : d);
        }
        APPEND("  %s", json_scalar_str(json_get(insn, "name"), tmp, sizeof(tmp)));
        if (fields && json_object_is_type(fields, json_type_object) && json_object_object_length(fields) > 0) {
                bool first = true;
                APPEND(" (");
                json_object_object_foreach(fields, key, val) {
                        APPEND("%s%s=%s", first ? "" : ", ", key, json_scalar_str(val, tmp, sizeof(tmp)));
                        first = false;
                }
                APPEND(")");
        }
#undef APPEND
        if (n >= size && size > 4)
                memcpy(buf + size - 4, "...", 4);
        return json_object_object_get_ex(insn, "hung", &h) && json_object_get_boolean(h);
}

const char *analysis_context_state(struct report_facts *f, struct json_object *ctx) {
        struct json_object *ctxs = f->analysis ? json_get(f->analysis, "contexts") : NULL;
        int64_t id, aid;

        if (!ctxs || !json_object_is_type(ctxs, json_type_array) || !json_get_int(ctx, "guc_id", &id))
                return NULL;
        for (size_t i = 0; i < json_object_array_length(ctxs); i++) {
                struct json_object *a = json_object_array_get_idx(ctxs, i);
                if (json_get_int(a, "guc_id", &aid) && aid == id)
                        return json_get_str(a, "state");
        }
        return NULL;
}

bool format_engine_state(struct report_facts *f, size_t i, bool *ret_blamed, char *buf, size_t size) {
        struct json_object *engs = f->analysis ? json_get(f->analysis, "engines") : NULL, *e, *b, *reasons;
        char name[64], cls[64], tmp[256];
        size_t n = 0;

        if (!engs || !json_object_is_type(engs, json_type_array) || i >= json_object_array_length(engs))
                return false;
        e = json_object_array_get_idx(engs, i);
        json_scalar_str(json_get(e, "name"), name, sizeof(name));
        json_scalar_str(json_get(e, "class"), cls, sizeof(cls));
        *ret_blamed = f->blamed[0] && strcmp(name, f->blamed) == 0;
        b = json_get(e, "busy");
        n += (size_t)snprintf(buf, size, "%s%s%s%s: %s", name, cls[0] ? " (" : "", cls, cls[0] ? ")" : "",
                              !b ? "unknown" : json_object_get_boolean(b) ? "busy" : "idle");
        reasons = json_get(e, "busy_reasons");
        for (size_t k = 0; reasons && json_object_is_type(reasons, json_type_array) &&
                           k < json_object_array_length(reasons) && n < size; k++)
                n += (size_t)snprintf(buf + n, size - n, "%s%s", k ? "; " : ": ",
                                      json_scalar_str(json_object_array_get_idx(reasons, k), tmp, sizeof(tmp)));
        return true;
}
