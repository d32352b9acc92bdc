/* SPDX-License-Identifier: MIT */
/*
 * The report verb's Markdown: a summary a maintainer reads in a tracker comment, then the complete
 * JSON report in a ```json fence (machine-readable, extractable by anything that splits on it).
 */
#include <inttypes.h>
#include <string.h>

#include "cli.h"

/* Free text from the dump (reasons, process names, analysis sentences) must not turn into
 * Markdown: "*0x1b0000040" would start emphasis, '|' would end a table cell. */
static void md_text(FILE *f, const char *text) {
        for (const char *p = text; p && *p; p++) {
                /* '_' inside words is literal in CommonMark/GFM: left alone for readability. */
                if (strchr("\\`*<|", *p))
                        fputc('\\', f);
                fputc(*p == '\n' ? ' ' : *p, f);
        }
}

/* A table row; '|' in a value (a reason, a process name) would end the cell, so escape it. */
static void row(FILE *f, const char *label, const char *value) {
        if (!value || !value[0])
                return;
        fprintf(f, "| %s | ", label);
        md_text(f, value);
        fputs(" |\n", f);
}

static bool is_array(struct json_object *v) {
        return v && json_object_is_type(v, json_type_array);
}

static void pending_jobs(FILE *f, struct report_facts *fa) {
        char a[64], b[64], c[64];
        size_t n = is_array(fa->contexts) ? json_object_array_length(fa->contexts) : 0;

        if (n == 0)
                return;
        fputs("\n### Jobs and fences\n\n"
              "| context | completed seqno | started seqno | job | fence signaled | finished |\n"
              "|---|---|---|---|---|---|\n", f);
        for (size_t i = 0; i < n; i++) {
                struct json_object *ctx = json_object_array_get_idx(fa->contexts, i);
                struct json_object *jobs = json_get(ctx, "jobs");

                json_scalar_str(json_get(ctx, "guc_id"), a, sizeof(a));
                json_scalar_str(json_get(ctx, "seqno"), b, sizeof(b));
                json_scalar_str(json_get(ctx, "start_seqno"), c, sizeof(c));
                if (!is_array(jobs) || json_object_array_length(jobs) == 0) {
                        fprintf(f, "| %s | %s | %s | (none) | | |\n", a, b, c);
                        continue;
                }
                for (size_t j = 0; j < json_object_array_length(jobs); j++) {
                        struct json_object *job = json_object_array_get_idx(jobs, j);
                        char s[64], fs[16], fi[16];
                        struct json_object *fence = json_get(job, "fence_signaled") ?: json_get(job, "fence");

                        json_scalar_str(json_get(job, "seqno"), s, sizeof(s));
                        json_scalar_str(fence, fs, sizeof(fs));
                        json_scalar_str(json_get(job, "finished"), fi, sizeof(fi));
                        fprintf(f, "| %s | %s | %s | %s | %s | %s |\n", j == 0 ? a : "", j == 0 ? b : "",
                                j == 0 ? c : "", s, fs, fi);
                }
        }
        /* The analysis' reading of each context, under the table. */
        fputc('\n', f);
        for (size_t i = 0; i < n; i++) {
                struct json_object *ctx = json_object_array_get_idx(fa->contexts, i);
                const char *state = analysis_context_state(fa, ctx);

                if (state) {
                        fprintf(f, "- context %s: ", json_scalar_str(json_get(ctx, "guc_id"), a, sizeof(a)));
                        md_text(f, state);
                        fputc('\n', f);
                }
        }
}

void render_markdown(FILE *f, struct json_object *report, const char *name,
                     struct json_object *dropped, uint64_t max_size) {
        struct report_facts fa;
        char diag[96];

        report_facts_get(report, &fa);
        fputs("## GPU hang: ", f);
        md_text(f, fa.reason[0] ? fa.reason : name);
        fputs("\n\n", f);
        if (fa.summary[0]) {
                md_text(f, fa.summary);
                fputs("\n\n", f);
        }
        fputs("| | |\n|---|---|\n", f);
        row(f, "Input", name);
        {
                char fmt[160];
                xsnprintf(fmt, sizeof(fmt), "%s%s%s%s", fa.format, fa.input_notes[0] ? " (" : "",
                          fa.input_notes, fa.input_notes[0] ? ")" : "");
                row(f, "Format", fmt);
        }
        row(f, "Found at", fa.found);
        row(f, "Device", fa.device);
        row(f, "Driver", fa.driver);
        row(f, "Kernel", fa.kernel);
        row(f, "Process", fa.process);
        row(f, "Reason", fa.reason);
        row(f, "Time", fa.time);
        {
                char blamed[300];
                xsnprintf(blamed, sizeof(blamed), "%s%s%s%s", fa.blamed[0] ? fa.blamed : "(none)",
                          fa.blamed_detail[0] ? " (" : "", fa.blamed_detail, fa.blamed_detail[0] ? ")" : "");
                row(f, "Blamed engine", blamed);
        }
        row(f, "Signature", fa.signature);
        xsnprintf(diag, sizeof(diag), "%zu (%zu errors, %zu warnings, %zu notes)",
                 fa.n_errors + fa.n_warnings + fa.n_info, fa.n_errors, fa.n_warnings, fa.n_info);
        row(f, "Diagnostics", diag);

        if (fa.blamed_evidence && json_object_is_type(fa.blamed_evidence, json_type_array) &&
            json_object_array_length(fa.blamed_evidence) > 0) {
                char buf[512];

                fputs("\n### Why ", f);
                md_text(f, fa.blamed[0] ? fa.blamed : "this engine");
                fputs("\n\n", f);
                for (size_t i = 0; i < json_object_array_length(fa.blamed_evidence); i++) {
                        fputs("- ", f);
                        md_text(f, json_scalar_str(json_object_array_get_idx(fa.blamed_evidence, i), buf, sizeof(buf)));
                        fputc('\n', f);
                }
        }
        if (fa.hung) {
                char buf[512];

                fputs("\n### Hung instruction\n\n", f);
                md_text(f, fa.hung_text);
                fputc('\n', f);
                if (fa.hung_window && json_object_array_length(fa.hung_window) > 0) {
                        /* A code block keeps the dword columns aligned in any tracker. */
                        fputs("\n```\n", f);
                        for (size_t i = 0; i < json_object_array_length(fa.hung_window); i++) {
                                bool hung = format_window_entry(json_object_array_get_idx(fa.hung_window, i),
                                                                buf, sizeof(buf));
                                fprintf(f, "%s %s\n", hung ? "=>" : "  ", buf);
                        }
                        fputs("```\n", f);
                }
        }
        if (fa.wait_text[0]) {
                fputs("\n**Wait:** ", f);
                md_text(f, fa.wait_text);
                fputc('\n', f);
        }
        if (fa.ring_text[0]) {
                fputs("\n**Ring:** ", f);
                md_text(f, fa.ring_text);
                fputc('\n', f);
        }
        if (fa.notes) {
                char buf[512];

                fputs("\n**Notes:**\n\n", f);
                for (size_t i = 0; i < json_object_array_length(fa.notes); i++) {
                        fputs("- ", f);
                        md_text(f, json_scalar_str(json_object_array_get_idx(fa.notes, i), buf, sizeof(buf)));
                        fputc('\n', f);
                }
        }
        if (fa.fault) {
                fputs("\n### Page fault\n\n", f);
                render_value_markdown(f, fa.fault, 0);
        }
        {
                char line[1024];
                bool blamed;

                for (size_t i = 0; format_engine_state(&fa, i, &blamed, line, sizeof(line)); i++)
                {
                        fprintf(f, "%s- %s", i == 0 ? "\n### Engines\n\n" : "", blamed ? "**" : "");
                        md_text(f, line);
                        fprintf(f, "%s\n", blamed ? "** (blamed)" : "");
                }
        }
        pending_jobs(f, &fa);
        if (fa.analysis) {
                /* Analysis fields without a section above (new ones included) are shown as they are. */
                bool any = false;

                json_object_object_foreach(fa.analysis, key, val) {
                        struct json_object *one;

                        if (analysis_key_curated(key))
                                continue;
                        if (!any)
                                fputs("\n### More analysis\n\n", f);
                        any = true;
                        one = json_object_new_object();
                        if (!one)
                                break;
                        json_object_object_add(one, key, json_object_get(val));
                        render_value_markdown(f, one, 0);
                        json_object_put(one);
                }
        }
        if (dropped && json_object_array_length(dropped) > 0) {
                char sz[16];

                fprintf(f, "\n> **Note:** to stay under %s, this report leaves out:\n",
                        format_size(max_size, sz));
                for (size_t i = 0; i < json_object_array_length(dropped); i++) {
                        struct json_object *d = json_object_array_get_idx(dropped, i);
                        fprintf(f, "> - `%s` (%s bytes)\n", json_get_str(d, "path") ?: "?",
                                json_object_to_json_string(json_get(d, "bytes")));
                }
                fputs("> Run `gpudump report` on the original dump with a larger `--max-size` for everything.\n", f);
        }
        fputs("\n<details><summary>JSON report</summary>\n\n```json\n", f);
        json_print(f, report, JSON_PRETTY);
        fputs("```\n\n</details>\n", f);
}
