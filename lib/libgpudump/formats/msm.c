/* SPDX-License-Identifier: MIT */
/*
 * msm / Adreno GPU crash state (msm_gpu_devcoredump_read() + adreno_show()): YAML-like text.
 * Top-level `key: value` lines, then lists: `ringbuffer:` (one engine per ring, its contents a
 * VMA at the ring's iova), `bos:` (VMAs), `registers:` (`- { offset: 0x%04x, value: 0x%08x }`,
 * one engine). Object data follow `data: !!ascii85 |` on one line indented five spaces; the
 * kernel cut them after the last non-zero dword, so decoding zero-fills to the declared size.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gd-macro.h"
#include "gd-string.h"
#include "fmt-util.h"

enum msm_section {
        MSM_NONE,
        MSM_FAULT,
        MSM_RING,
        MSM_BOS,
        MSM_REGS,
        MSM_OTHER,
};

struct msm_state {
        enum msm_section section;
        char section_name[64];
        int ring_engine;     /* engine of the current ring item, -1 */
        uint64_t ring_iova, ring_size;
        bool ring_iova_set;
        int reg_engine;      /* engine of the current registers section, -1 */
        int bo;              /* VMA of the current bos item, -1 */
        uint64_t item_size;  /* `size:` of the current item of another section */
        /* after `data: !!ascii85 |`: where its one data line goes */
        bool want_data;
        int data_vma;        /* VMA index, or -1 */
        int data_blob;       /* global blob index, or -1 */
        uint64_t data_line, data_offset;
        /* fault-info */
        char fault_iova[32], fault_dir[16], fault_type[64], fault_source[64];
};

static int regs_engine(struct gpudump_dump *d, struct msm_state *st, const char *name,
                       uint64_t offset) {
        for (size_t i = 0; i < d->n_engines; i++)
                if (strcmp(d->engines[i].name, name) == 0)
                        return (int)i;
        return gd_fmt_engine_add(d, name, strlen(name), strcmp(name, "gpu") == 0 ? "render" : "other",
                                 -1, offset);
}

static struct gd_blob *data_target(struct gpudump_dump *d, struct msm_state *st) {
        if (st->data_vma >= 0)
                return &d->vmas[st->data_vma].blob;
        if (st->data_blob >= 0)
                return &d->blobs[st->data_blob];
        return NULL;
}

/* "    data: !!ascii85 |" seen: decide where the next line's ascii85 goes. */
static int data_start(struct gpudump_dump *d, struct msm_state *st, const struct gd_line *l) {
        int r;

        st->data_vma = -1;
        st->data_blob = -1;
        if (st->section == MSM_RING && st->ring_engine >= 0) {
                char kind[] = "ring";
                r = gd_fmt_vma_add(d, st->ring_iova, st->ring_size, kind,
                                   d->engines[st->ring_engine].name, l->offset, l->line);
                if (r < 0)
                        return r;
                st->data_vma = r;
                d->vmas[r].blob.declared_length = st->ring_size;
        } else if (st->section == MSM_BOS && st->bo >= 0) {
                st->data_vma = st->bo;
                d->vmas[st->bo].blob.offset = l->offset;
                d->vmas[st->bo].blob.line = l->line;
        } else {
                /* a6xx/a7xx extras (gmu-log, gmu-hfi, ...): keep as a named global blob */
                r = gd_fmt_blob_add(d, st->section_name[0] ? st->section_name : "data",
                                    GD_ENC_A85_ZEROFILL, l->offset, l->line);
                if (r < 0)
                        return r;
                st->data_blob = r;
                d->blobs[r].declared_length = st->item_size;
        }
        st->want_data = true;
        st->data_line = l->line;
        st->data_offset = l->offset;
        return 0;
}

static int data_line(struct gpudump_dump *d, struct msm_state *st, const struct gd_line *l) {
        struct gd_blob *b = data_target(d, st);
        size_t skip;
        int r;

        st->want_data = false;
        skip = 5; /* msm_line() checked the indent */
        if (!b)
                return 0;
        b->encoding = GD_ENC_A85_ZEROFILL;
        r = gd_fmt_span_add(b, l->offset + skip, l->len - skip);
        if (r < 0)
                return r;
        if (!l->newline) {
                d->truncated = true;
                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                            "msm: data line of '%s' is cut off by the end of input (truncated)",
                            b->name ? b->name : "object");
        }
        return 0;
}

static int item_field(struct gpudump_dump *d, struct msm_state *st, const struct gd_line *l,
                      char *key, char *value) {
        uint64_t v;
        int r;

        if (strcmp(key, "data") == 0)
                return data_start(d, st, l);

        switch (st->section) {
        case MSM_RING:
                if (strcmp(key, "id") == 0) {
                        char name[32];
                        if (!gd_fmt_dec(value, &v) || v > 1000) {
                                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, l->offset, l->line,
                                            "msm: bad ringbuffer id '%s'", value);
                                v = d->n_engines;
                        }
                        snprintf(name, sizeof(name), "ring%llu", (unsigned long long)v);
                        r = gd_fmt_engine_add(d, name, strlen(name), "render", (int)v, l->offset);
                        if (r < 0)
                                return r;
                        st->ring_engine = r;
                        st->ring_iova = 0;
                        st->ring_size = 0;
                        st->ring_iova_set = false;
                        return 0;
                }
                if (st->ring_engine < 0)
                        break;
                if (gd_fmt_hex(value, &v) && strncmp(value, "0x", 2) == 0) {
                        if (strcmp(key, "iova") == 0) {
                                st->ring_iova = v;
                                st->ring_iova_set = true;
                        }
                        return gd_fmt_reg_add(&d->engines[st->ring_engine], key, strlen(key), v,
                                              strlen(value) > 10 ? 64 : 32, l->offset);
                }
                if (gd_fmt_dec(value, &v)) {
                        if (strcmp(key, "size") == 0)
                                st->ring_size = v;
                        return gd_fmt_reg_add(&d->engines[st->ring_engine], key, strlen(key), v,
                                              v > UINT32_MAX ? 64 : 32, l->offset);
                }
                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, l->offset, l->line,
                            "msm: ringbuffer field %s: cannot parse '%s'", key, value);
                return gd_fmt_prop_add(&d->engines[st->ring_engine], key, value);
        case MSM_BOS:
                if (strcmp(key, "iova") == 0) {
                        if (!gd_fmt_hex(value, &v)) {
                                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                                            "msm: bad bo iova '%s'", value);
                                st->bo = -1;
                                return 0;
                        }
                        r = gd_fmt_vma_add(d, v, 0, NULL, NULL, l->offset, l->line);
                        if (r < 0)
                                return r;
                        st->bo = r;
                        return 0;
                }
                if (st->bo < 0)
                        break;
                if (strcmp(key, "size") == 0) {
                        if (!gd_fmt_dec(value, &v)) {
                                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                                            "msm: bad bo size '%s'", value);
                                return 0;
                        }
                        d->vmas[st->bo].length = v;
                        d->vmas[st->bo].blob.declared_length = v;
                        return 0;
                }
                if (strcmp(key, "name") == 0) {
                        struct gd_vma *vma = &d->vmas[st->bo];
                        if (*value == '\0')
                                return 0;
                        if (gd_fmt_set_str(&vma->kind, value, strlen(value)) < 0 ||
                            gd_fmt_set_str(&vma->blob.name, value, strlen(value)) < 0)
                                return -ENOMEM;
                        return 0;
                }
                {
                        char sect[64];
                        snprintf(sect, sizeof(sect), "bo 0x%016llx",
                                 (unsigned long long)d->vmas[st->bo].address);
                        return gd_fmt_kv_add(d, sect, key, value);
                }
        case MSM_OTHER:
                if (strcmp(key, "size") == 0 && gd_fmt_dec(value, &v))
                        st->item_size = v;
                break;
        default:
                break;
        }
        return gd_fmt_kv_add(d, st->section_name[0] ? st->section_name : NULL, key, value);
}

/* "  - { offset: 0x%04x, value: 0x%08x }" */
static int register_line(struct gpudump_dump *d, struct msm_state *st, const struct gd_line *l,
                         char *s) {
        char off[32], val[32];
        uint64_t o, v;

        if (sscanf(s, " - { offset: %31[0-9a-fA-Fx], value: %31[0-9a-fA-Fx] }", off, val) != 2 ||
            !gd_fmt_hex(off, &o) || !gd_fmt_hex(val, &v) || v > UINT32_MAX) {
                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, l->offset, l->line,
                            "msm: cannot parse register line '%s'", s);
                return 0;
        }
        if (st->reg_engine < 0) {
                int r = regs_engine(d, st,
                                    strcmp(st->section_name, "registers") == 0 ? "gpu" : st->section_name,
                                    l->offset);
                if (r < 0)
                        return r;
                st->reg_engine = r;
        }
        return gd_fmt_reg_add(&d->engines[st->reg_engine], off, strlen(off), v, 32, l->offset);
}

static int fault_line(struct gpudump_dump *d, struct msm_state *st, char *s) {
        /* "  - iova=%.16lx" */
        char *eq, *key, *value;

        s = gd_fmt_strip(s);
        if (strncmp(s, "- ", 2) == 0)
                s += 2;
        eq = strchr(s, '=');
        if (!eq)
                return gd_fmt_kv_add(d, "fault-info", s, "");
        *eq = '\0';
        key = s;
        value = eq + 1;
        if (strcmp(key, "iova") == 0)
                snprintf(st->fault_iova, sizeof(st->fault_iova), "%s", value);
        else if (strcmp(key, "dir") == 0)
                snprintf(st->fault_dir, sizeof(st->fault_dir), "%s", value);
        else if (strcmp(key, "type") == 0)
                snprintf(st->fault_type, sizeof(st->fault_type), "%s", value);
        else if (strcmp(key, "source") == 0)
                snprintf(st->fault_source, sizeof(st->fault_source), "%s", value);
        return gd_fmt_kv_add(d, "fault-info", key, value);
}

static int top_line(struct gpudump_dump *d, struct msm_state *st, const struct gd_line *l, char *s) {
        char *colon = strchr(s, ':');
        char *key = s, *value;
        uint64_t v;

        st->ring_engine = -1;
        st->bo = -1;
        st->reg_engine = -1;
        if (strcmp(s, "---") == 0)
                return 0;
        if (!colon)
                return gd_fmt_kv_add(d, NULL, s, "");
        *colon = '\0';
        value = gd_fmt_strip(colon + 1);
        if (*value == '\0') {
                /* a list section */
                snprintf(st->section_name, sizeof(st->section_name), "%s", key);
                st->item_size = 0;
                if (strcmp(key, "ringbuffer") == 0)
                        st->section = MSM_RING;
                else if (strcmp(key, "bos") == 0)
                        st->section = MSM_BOS;
                else if (strncmp(key, "registers", 9) == 0)
                        st->section = MSM_REGS;
                else if (strcmp(key, "fault-info") == 0)
                        st->section = MSM_FAULT;
                else
                        st->section = MSM_OTHER;
                return 0;
        }
        st->section = MSM_NONE;
        st->section_name[0] = '\0';
        if (strcmp(key, "kernel") == 0)
                return gd_fmt_set_str(&d->kernel, value, strlen(value));
        if (strcmp(key, "module") == 0)
                return gd_fmt_set_str(&d->driver, value, strlen(value));
        if (strcmp(key, "time") == 0)
                return gd_fmt_set_str(&d->snapshot_time, value, strlen(value));
        if (strcmp(key, "comm") == 0)
                return gd_fmt_set_str(&d->process_name, value, strlen(value));
        if (strcmp(key, "revision") == 0)
                return gd_fmt_set_str(&d->platform, value, strlen(value));
        if (strcmp(key, "rbbm-status") == 0 && gd_fmt_hex(value, &v)) {
                int r = regs_engine(d, st, "gpu", l->offset);
                if (r < 0)
                        return r;
                return gd_fmt_reg_add(&d->engines[r], key, strlen(key), v, 32, l->offset);
        }
        return gd_fmt_kv_add(d, NULL, key, value);
}

static bool blank(const struct gd_line *l) {
        for (size_t i = 0; i < l->len; i++)
                if (l->p[i] != ' ')
                        return false;
        return true;
}

static int msm_line(struct gpudump_dump *d, struct msm_state *st, const struct gd_line *l) {
        char buf[GD_FMT_LINE_MAX];
        char *s, *colon;

        if (st->want_data) {
                if (l->len >= 5 && memcmp(l->p, "     ", 5) == 0)
                        return data_line(d, st, l);
                if (l->len < 5 && l->newline && blank(l)) {
                        /* The empty data line ("     ") of an empty object, its trailing blanks
                         * trimmed by a mail client or an editor: no data, not damage. */
                        struct gd_blob *b = data_target(d, st);

                        st->want_data = false;
                        if (b)
                                b->encoding = GD_ENC_A85_ZEROFILL;
                        return 0;
                }
                /* no data line: say so, and read this line for what it is */
                st->want_data = false;
                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, st->data_offset, st->data_line,
                            "msm: 'data: !!ascii85 |' is not followed by a data line indented "
                            "five spaces");
        }

        if (!l->newline) {
                gd_fmt_cut_line(d, "msm", l);
                return 0;
        }
        s = gd_fmt_text_line(d, "msm", l, buf, sizeof(buf));
        if (!s)
                return 0;
        if (*s == '\0')
                return 0;
        if (s[0] != ' ')
                return top_line(d, st, l, s);

        switch (st->section) {
        case MSM_FAULT:
                return fault_line(d, st, s);
        case MSM_REGS:
                return register_line(d, st, l, s);
        default:
                break;
        }
        s = gd_fmt_strip(s);
        if (strncmp(s, "- ", 2) == 0)
                s = gd_fmt_strip(s + 2);
        colon = strchr(s, ':');
        if (!colon)
                return gd_fmt_kv_add(d, st->section_name[0] ? st->section_name : NULL, s, "");
        *colon = '\0';
        return item_field(d, st, l, gd_fmt_strip(s), gd_fmt_strip(colon + 1));
}

int gd_parse_msm(struct gpudump_dump *d) {
        struct msm_state st = { .ring_engine = -1, .reg_engine = -1, .bo = -1, .data_vma = -1,
                                .data_blob = -1 };
        struct gd_lines lines;
        struct gd_line l;
        int r;

        d->format = GPUDUMP_FORMAT_MSM;
        gd_lines_init(&lines, &d->input, 0);
        while (gd_lines_next(&lines, &l)) {
                r = msm_line(d, &st, &l);
                if (r < 0)
                        return r;
        }
        if (st.want_data) {
                d->truncated = true;
                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, st.data_offset, st.data_line,
                            "msm: the input ends after 'data: !!ascii85 |' (truncated)");
        }
        if (!d->driver && !(d->driver = strdup("msm")))
                return -ENOMEM;
        if (st.fault_iova[0] && !d->reason) {
                char *reason;
                if (asprintf(&reason, "iova fault at 0x%s (%s, type=%s, source=%s)", st.fault_iova,
                             st.fault_dir[0] ? st.fault_dir : "?", st.fault_type[0] ? st.fault_type : "?",
                             st.fault_source[0] ? st.fault_source : "?") < 0)
                        return -ENOMEM;
                d->reason = reason;
        }
        return 0;
}

static enum gd_detect detect(const uint8_t *p, size_t n) {
        if (gd_startswith(p, n, "---\nkernel: ") || gd_startswith(p, n, "---\r\nkernel: "))
                return GD_DETECT_YES;
        return GD_DETECT_NO;
}

const struct gd_format gd_format_msm = {
        .format = GPUDUMP_FORMAT_MSM,
        .name = "msm",
        .detect = detect,
        .parse = gd_parse_msm,
};
