/* SPDX-License-Identifier: MIT */
/* decode --text: a human summary rendered from the JSON report (the same object --json prints). */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

/* "     Label: " or, for continuation lines, the same width of blanks. */
static void label(FILE *f, const char *text) {
        if (text && text[0])
                fprintf(f, "%s%12s:%s ", ansi_highlight(), text, ansi_normal());
        else
                fprintf(f, "%14s", "");
}

static void field(FILE *f, const char *text, const char *value) {
        if (value && value[0]) {
                label(f, text);
                fprintf(f, "%s\n", value);
        }
}

static bool is_array(struct json_object *v) {
        return v && json_object_is_type(v, json_type_array);
}

static void engines(FILE *f, struct report_facts *fa) {
        char buf[64], line[1024];
        bool is_blamed;

        /* With an analysis: one line per engine, busy or idle and why. */
        if (format_engine_state(fa, 0, &is_blamed, line, sizeof(line))) {
                for (size_t i = 0; format_engine_state(fa, i, &is_blamed, line, sizeof(line)); i++) {
                        label(f, i == 0 ? "Engines" : "");
                        fprintf(f, "%s%s%s%s\n", is_blamed ? ansi_red() : "", line, is_blamed ? " [blamed]" : "",
                                is_blamed ? ansi_normal() : "");
                }
                return;
        }

        if (!is_array(fa->engines) || json_object_array_length(fa->engines) == 0)
                return;
        label(f, "Engines");
        for (size_t i = 0; i < json_object_array_length(fa->engines); i++) {
                struct json_object *e = json_object_array_get_idx(fa->engines, i), *b;
                bool blamed = json_object_object_get_ex(e, "blamed", &b) && json_object_get_boolean(b);

                fprintf(f, "%s%s%s%s%s", i ? " " : "", blamed ? ansi_red() : "",
                        json_scalar_str(json_get(e, "name"), buf, sizeof(buf)), blamed ? "*" : "",
                        blamed ? ansi_normal() : "");
        }
        fputc('\n', f);
}

static const char *job_state(struct json_object *job) {
        struct json_object *fence = NULL, *fin = NULL;

        if (!json_object_object_get_ex(job, "fence_signaled", &fence))
                json_object_object_get_ex(job, "fence", &fence);
        json_object_object_get_ex(job, "finished", &fin);
        if (fence && json_object_get_boolean(fence))
                return fin && json_object_get_boolean(fin) ? "done" : "signaled";
        if (fence)
                return "pending";
        return "unknown";
}

static void contexts(FILE *f, struct report_facts *fa) {
        char a[64], b[64], c[64];

        if (!is_array(fa->contexts))
                return;
        for (size_t i = 0; i < json_object_array_length(fa->contexts); i++) {
                struct json_object *ctx = json_object_array_get_idx(fa->contexts, i);
                struct json_object *jobs = json_get(ctx, "jobs");

                label(f, i == 0 ? "Contexts" : "");
                fprintf(f, "GuC ID %s", json_scalar_str(json_get(ctx, "guc_id"), a, sizeof(a)));
                if (json_get(ctx, "name"))
                        fprintf(f, " (%s)", json_scalar_str(json_get(ctx, "name"), a, sizeof(a)));
                json_scalar_str(json_get(ctx, "seqno"), b, sizeof(b));
                json_scalar_str(json_get(ctx, "start_seqno"), c, sizeof(c));
                if (b[0])
                        fprintf(f, ", completed seqno %s", b);
                if (c[0])
                        fprintf(f, ", started seqno %s", c);
                fputc('\n', f);
                if (analysis_context_state(fa, ctx)) {
                        label(f, "");
                        fprintf(f, "  state: %s\n", analysis_context_state(fa, ctx));
                }
                for (size_t j = 0; is_array(jobs) && j < json_object_array_length(jobs); j++) {
                        struct json_object *job = json_object_array_get_idx(jobs, j);
                        label(f, "");
                        fprintf(f, "  job %s: %s\n",
                                json_scalar_str(json_get(job, "seqno"), a, sizeof(a)), job_state(job));
                }
        }
}

static void vmas(FILE *f, struct report_facts *fa) {
        char a[64], l[64], e[64], k[64], en[64];
        size_t n;

        if (!is_array(fa->vmas) || (n = json_object_array_length(fa->vmas)) == 0)
                return;
        for (size_t i = 0; i < n; i++) {
                struct json_object *v = json_object_array_get_idx(fa->vmas, i), *dmg;
                int64_t addr;

                if (json_get_int(v, "address", &addr))
                        xsnprintf(a, sizeof(a), "0x%" PRIx64, (uint64_t)addr);
                else
                        json_scalar_str(json_get(v, "address"), a, sizeof(a));
                json_scalar_str(json_get(v, "length"), l, sizeof(l));
                json_scalar_str(json_get(v, "error"), e, sizeof(e));
                json_scalar_str(json_get(v, "kind"), k, sizeof(k));
                json_scalar_str(json_get(v, "engine"), en, sizeof(en));
                label(f, i == 0 ? "VMAs" : "");
                fprintf(f, "%s length %s", a, l);
                if (k[0])
                        fprintf(f, " %s", k);
                if (en[0])
                        fprintf(f, " (%s)", en);
                if (e[0] && strcmp(e, "0") != 0)
                        fprintf(f, ", %serror %s%s", ansi_yellow(), e, ansi_normal());
                if (json_object_object_get_ex(v, "damaged", &dmg) && json_object_get_boolean(dmg))
                        fprintf(f, ", %sdamaged%s", ansi_red(), ansi_normal());
                fputc('\n', f);
        }
}

static void diagnostics(FILE *f, struct report_facts *fa) {
        char line[64];

        label(f, "Diagnostics");
        fprintf(f, "%zu errors, %zu warnings, %zu notes\n", fa->n_errors, fa->n_warnings, fa->n_info);
        if (!is_array(fa->diagnostics))
                return;
        for (size_t i = 0; i < json_object_array_length(fa->diagnostics); i++) {
                struct json_object *d = json_object_array_get_idx(fa->diagnostics, i);
                const char *sev = json_get_str(d, "severity") ?: "info";
                char off[32];

                json_scalar_str(json_get(d, "offset"), off, sizeof(off));
                json_scalar_str(json_get(d, "line"), line, sizeof(line));
                label(f, "");
                fprintf(f, "  %s%s%s offset %s",
                        strcmp(sev, "error") == 0 ? ansi_red() : strcmp(sev, "warning") == 0 ? ansi_yellow() : "",
                        sev, ansi_normal(), off[0] ? off : "?");
                if (line[0] && strcmp(line, "0") != 0)
                        fprintf(f, " (line %s)", line);
                fprintf(f, ": %s\n", json_get_str(d, "message") ?: "");
        }
}

static void bullets(FILE *f, const char *text, struct json_object *v) {
        char buf[512];

        if (!v)
                return;
        if (!json_object_is_type(v, json_type_array)) {
                label(f, text);
                fputc('\n', f);
                render_value_text(f, v, 14);
                return;
        }
        for (size_t i = 0; i < json_object_array_length(v); i++) {
                label(f, i == 0 ? text : "");
                fprintf(f, "- %s\n", json_scalar_str(json_object_array_get_idx(v, i), buf, sizeof(buf)));
        }
}

static void window(FILE *f, struct report_facts *fa) {
        char buf[512];

        for (size_t i = 0; fa->hung_window && i < json_object_array_length(fa->hung_window); i++) {
                bool hung = format_window_entry(json_object_array_get_idx(fa->hung_window, i), buf, sizeof(buf));
                label(f, i == 0 ? "Window" : "");
                fprintf(f, "%s%s %s%s\n", hung ? ansi_red() : "", hung ? "=>" : "  ", buf, hung ? ansi_normal() : "");
        }
}

/* Analysis fields without a section of their own (new ones included) are shown generically. */
static void other_analysis(FILE *f, struct report_facts *fa) {
        bool any = false;

        json_object_object_foreach(fa->analysis, key, val) {
                if (analysis_key_curated(key))
                        continue;
                if (!any)
                        fprintf(f, "\n%sAnalysis%s\n", ansi_highlight(), ansi_normal());
                any = true;
                struct json_object *one = json_object_new_object();
                if (!one)
                        return;
                json_object_object_add(one, key, json_object_get(val));
                render_value_text(f, one, 2);
                json_object_put(one);
        }
}

void render_summary(FILE *f, struct json_object *report, const char *name) {
        struct report_facts fa;
        char fmt[192], blamed[300];

        report_facts_get(report, &fa);
        field(f, "File", name);
        field(f, "Summary", fa.summary);
        if (fa.size[0])
                xsnprintf(fmt, sizeof(fmt), "%s (%s bytes%s%s)", fa.format, fa.size,
                          fa.input_notes[0] ? ", " : "", fa.input_notes);
        else
                xsnprintf(fmt, sizeof(fmt), "%s%s%s%s", fa.format, fa.input_notes[0] ? " (" : "",
                          fa.input_notes, fa.input_notes[0] ? ")" : "");
        field(f, "Format", fmt);
        field(f, "Found", fa.found);
        field(f, "Device", fa.device);
        field(f, "Driver", fa.driver);
        field(f, "Kernel", fa.kernel);
        field(f, "Process", fa.process);
        field(f, "Reason", fa.reason);
        field(f, "Time", fa.time);
        field(f, "Signature", fa.signature);
        xsnprintf(blamed, sizeof(blamed), "%s%s%s%s", fa.blamed, fa.blamed_detail[0] ? " (" : "",
                  fa.blamed_detail, fa.blamed_detail[0] ? ")" : "");
        /* With an analysis, "none" is a finding too (nothing looked hung). */
        field(f, "Blamed", fa.blamed[0] ? blamed : fa.analysis ? "none" : NULL);
        bullets(f, "Evidence", fa.blamed_evidence);
        field(f, "Hung", fa.hung_text);
        window(f, &fa);
        field(f, "Wait", fa.wait_text);
        field(f, "Ring", fa.ring_text);
        bullets(f, "Notes", fa.notes);
        if (fa.fault) {
                label(f, "Fault");
                fputc('\n', f);
                render_value_text(f, fa.fault, 14);
        }
        engines(f, &fa);
        contexts(f, &fa);
        vmas(f, &fa);
        diagnostics(f, &fa);
        if (fa.analysis)
                other_analysis(f, &fa);
}
