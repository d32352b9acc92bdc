/* SPDX-License-Identifier: MIT */
/*
 * amdgpu devcoredump (amdgpu_dev_coredump.c): text under "**** AMDGPU Device Coredump ****".
 * A `key: value` header, then titled sections: SOC information (PCI device/revision), the ring
 * that timed out and the page fault (the reason), "IP Dump" (per IP block `IP: <name>` then
 * `%-50s \t 0x%08x` registers, one engine per block) and "Ring buffer information" (one engine
 * per ring with Rptr/Wptr/RB mask registers; its contents, `0x%x \t 0x%x` offset/dword lines,
 * become a GD_ENC_HEX_WORDS blob named after the ring).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gd-macro.h"
#include "gd-string.h"
#include "fmt-util.h"

enum amd_section {
        AMD_HEADER,
        AMD_SOC,
        AMD_TIMEOUT,
        AMD_FAULT,
        AMD_IPDUMP,
        AMD_RINGS,
        AMD_OTHER,
};

struct amd_state {
        enum amd_section section;
        char section_name[96];
        int engine;          /* IP block or ring engine, -1 */
        char reg_prefix[64]; /* "mec1.pipe0.queue0." inside an IP block's queue dump */
        int ring_blob;       /* blob of the current ring's contents, -1 */
        uint64_t ring_next;  /* expected offset of the next contents line */
        char timeout_ring[96];
        char fault_hub[16];
        uint64_t fault_addr, fault_status;
        bool fault_seen;
};

static const char *ring_class(const char *name) {
        static const struct {
                const char *prefix;
                const char *cls;
        } map[] = {
                { "gfx", "render" }, { "comp", "compute" }, { "sdma", "copy" },
                { "vcn", "video" },  { "uvd", "video" },    { "jpeg", "video" },
                { "vce", "video-enhance" },
        };
        for (size_t i = 0; i < ELEMENTSOF(map); i++)
                if (strncmp(name, map[i].prefix, strlen(map[i].prefix)) == 0)
                        return map[i].cls;
        return "other";
}

static bool section_title(struct amd_state *st, const char *s) {
        static const struct {
                const char *title;
                enum amd_section section;
        } titles[] = {
                { "SOC Information", AMD_SOC },
                { "SOC Memory Information", AMD_OTHER },
                { "GDS Config", AMD_OTHER },
                { "HW IP Version Information", AMD_OTHER },
                { "IP Firmwares", AMD_OTHER },
                { "VBIOS Information", AMD_OTHER },
                { "Ring timed out details", AMD_TIMEOUT },
                { "IP Dump", AMD_IPDUMP },
                { "Ring buffer information", AMD_RINGS },
        };
        size_t n = strlen(s);

        for (size_t i = 0; i < ELEMENTSOF(titles); i++)
                if (strcmp(s, titles[i].title) == 0) {
                        st->section = titles[i].section;
                        goto found;
                }
        /* "[gfxhub] Page fault observed" / "[mmhub] ..." */
        if (s[0] == '[' && n > 21 && strcmp(s + n - 21, "] Page fault observed") == 0) {
                st->section = AMD_FAULT;
                snprintf(st->fault_hub, sizeof(st->fault_hub), "%.*s", (int)(n - 22), s + 1);
                st->fault_seen = true;
                goto found;
        }
        return false;
found:
        snprintf(st->section_name, sizeof(st->section_name), "%s", s);
        st->engine = -1;
        st->ring_blob = -1;
        st->reg_prefix[0] = '\0';
        return true;
}

/* Any other line of an engine's block: "key: value" (or a bare key) as an engine property. */
static int engine_prop(struct gpudump_dump *d, const struct amd_state *st, char *s) {
        char *colon = strchr(s, ':');

        if (!colon)
                return gd_fmt_prop_add(&d->engines[st->engine], s, "");
        *colon = '\0';
        return gd_fmt_prop_add(&d->engines[st->engine], gd_fmt_strip(s), gd_fmt_strip(colon + 1));
}

/* IP Dump: "%-50s \t 0x%08x" registers, "mec %d, pipe %d, queue %d" queue headers, and
 * "key: value" counts. */
static int ipdump_line(struct gpudump_dump *d, struct amd_state *st, const struct gd_line *l,
                       char *s) {
        char *tab = strchr(s, '\t');
        unsigned a, b, c;
        uint64_t v;

        if (strncmp(s, "IP: ", 4) == 0) {
                int r = gd_fmt_engine_add(d, s + 4, strlen(s + 4), "other", -1, l->offset);
                if (r < 0)
                        return r;
                st->engine = r;
                st->reg_prefix[0] = '\0';
                return 0;
        }
        if (st->engine < 0)
                return gd_fmt_kv_add(d, st->section_name, s, "");
        if (tab) {
                char name[160], *value = gd_fmt_strip(tab + 1);
                *tab = '\0';
                s = gd_fmt_strip(s);
                if (!gd_fmt_hex(value, &v) || v > UINT32_MAX) {
                        gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, l->offset, l->line,
                                    "amdgpu: register %s of %s: cannot parse value '%s'", s,
                                    d->engines[st->engine].name, value);
                        return gd_fmt_prop_add(&d->engines[st->engine], s, value);
                }
                snprintf(name, sizeof(name), "%s%s", st->reg_prefix, s);
                return gd_fmt_reg_add(&d->engines[st->engine], name, strlen(name), v, 32, l->offset);
        }
        if (sscanf(s, "num_mec: %u num_pipe: %u num_queue: %u", &a, &b, &c) == 3) {
                /* three counts on one line */
                char num[16];
                struct gd_engine *e = &d->engines[st->engine];
                int r;
                snprintf(num, sizeof(num), "%u", a);
                if ((r = gd_fmt_prop_add(e, "num_mec", num)) < 0)
                        return r;
                snprintf(num, sizeof(num), "%u", b);
                if ((r = gd_fmt_prop_add(e, "num_pipe", num)) < 0)
                        return r;
                snprintf(num, sizeof(num), "%u", c);
                return gd_fmt_prop_add(e, "num_queue", num);
        }
        if (sscanf(s, "mec %u, pipe %u, queue %u", &a, &b, &c) == 3) {
                snprintf(st->reg_prefix, sizeof(st->reg_prefix), "mec%u.pipe%u.queue%u.", a, b, c);
                return 0;
        }
        if (sscanf(s, "me %u, pipe %u, queue %u", &a, &b, &c) == 3) {
                snprintf(st->reg_prefix, sizeof(st->reg_prefix), "me%u.pipe%u.queue%u.", a, b, c);
                return 0;
        }
        return engine_prop(d, st, s);
}

static int rings_line(struct gpudump_dump *d, struct amd_state *st, const struct gd_line *l,
                      char *s) {
        unsigned long long rptr, wptr;
        unsigned mask;
        int r;

        if (strncmp(s, "ring name: ", 11) == 0) {
                const char *name = s + 11;
                r = gd_fmt_engine_add(d, name, strlen(name), ring_class(name), -1, l->offset);
                if (r < 0)
                        return r;
                st->engine = r;
                st->ring_blob = -1;
                return 0;
        }
        if (st->engine < 0)
                return gd_fmt_kv_add(d, st->section_name, s, "");
        if (sscanf(s, "Rptr: 0x%llx Wptr: 0x%llx RB mask: %x", &rptr, &wptr, &mask) == 3) {
                struct gd_engine *e = &d->engines[st->engine];
                if ((r = gd_fmt_reg_add(e, "RPTR", 4, rptr, 64, l->offset)) < 0 ||
                    (r = gd_fmt_reg_add(e, "WPTR", 4, wptr, 64, l->offset)) < 0 ||
                    (r = gd_fmt_reg_add(e, "RB_MASK", 7, mask, 32, l->offset)) < 0)
                        return r;
                return 0;
        }
        if (strcmp(s, "Ring contents") == 0 || strcmp(s, "Offset \t Value") == 0) {
                if (st->ring_blob < 0) {
                        r = gd_fmt_blob_add(d, d->engines[st->engine].name, GD_ENC_HEX_WORDS,
                                            l->offset, l->line);
                        if (r < 0)
                                return r;
                        st->ring_blob = r;
                        st->ring_next = 0;
                }
                return 0;
        }
        if (st->ring_blob >= 0 && strncmp(s, "0x", 2) == 0) {
                /* "0x%x \t 0x%x": offset, dword */
                char *sep = strstr(s, " \t 0x");
                uint64_t off, val;
                if (sep) {
                        *sep = '\0';
                        if (gd_fmt_hex(s, &off) && gd_fmt_hex(sep + 3, &val) && val <= UINT32_MAX) {
                                struct gd_blob *b = &d->blobs[st->ring_blob];
                                if (off != st->ring_next)
                                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                                                    "amdgpu: ring %s contents at offset 0x%llx, "
                                                    "expected 0x%llx (lines missing)",
                                                    d->engines[st->engine].name,
                                                    (unsigned long long)off,
                                                    (unsigned long long)st->ring_next);
                                st->ring_next = off + 4;
                                /* the span is the value's hex digits, after "0x" */
                                r = gd_fmt_span_add(b, l->offset + (uint64_t)(sep + 5 - s),
                                                    l->len - (size_t)(sep + 5 - s));
                                if (r < 0)
                                        return r;
                                b->declared_length += 4;
                                return 0;
                        }
                        *sep = ' ';
                }
                /* Quoted without its trailing blanks, which mail and editors trim anyway. */
                size_t n = strlen(s);
                while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
                        s[--n] = 0;
                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                            "amdgpu: cannot parse ring contents line '%s'", s);
                return 0;
        }
        return engine_prop(d, st, s);
}

static int header_line(struct gpudump_dump *d, struct amd_state *st, const struct gd_line *l,
                       char *s) {
        char *colon = strstr(s, ": ");
        char *key, *value;
        uint64_t v;

        if (!colon)
                return gd_fmt_kv_add(d, st->section == AMD_HEADER ? NULL : st->section_name, s, "");
        *colon = '\0';
        key = s;
        value = gd_fmt_strip(colon + 2);

        switch (st->section) {
        case AMD_HEADER:
                if (strcmp(key, "kernel") == 0)
                        return gd_fmt_set_str(&d->kernel, value, strlen(value));
                if (strcmp(key, "module") == 0)
                        return gd_fmt_set_str(&d->driver, value, strlen(value));
                if (strcmp(key, "time") == 0)
                        return gd_fmt_set_str(&d->snapshot_time, value, strlen(value));
                if (strcmp(key, "process_name") == 0) {
                        /* "<name> PID: <pid>" */
                        char *p = strstr(value, " PID: ");
                        if (p && gd_fmt_dec(p + 6, &v) && v <= INT64_MAX) {
                                d->pid = (int64_t)v;
                                return gd_fmt_set_str(&d->process_name, value, (size_t)(p - value));
                        }
                        return gd_fmt_set_str(&d->process_name, value, strlen(value));
                }
                return gd_fmt_kv_add(d, NULL, key, value);
        case AMD_SOC:
                if (strcmp(key, "SOC Device id") == 0 && gd_fmt_dec(value, &v) && v <= 0xffff) {
                        d->pci_id = (int)v;
                        return 0;
                }
                if (strcmp(key, "SOC PCI Revision id") == 0 && gd_fmt_dec(value, &v) && v <= 0xff) {
                        d->pci_revision = (int)v;
                        return 0;
                }
                break;
        case AMD_TIMEOUT:
                /* "IP Type: %d Ring Name: %s" */
                if (strcmp(key, "IP Type") == 0) {
                        char *rn = strstr(value, " Ring Name: ");
                        if (rn)
                                snprintf(st->timeout_ring, sizeof(st->timeout_ring), "%s", rn + 12);
                }
                break;
        case AMD_FAULT:
                if (strcmp(key, "Faulty page starting at address") == 0)
                        (void)gd_fmt_hex(value, &st->fault_addr);
                else if (strcmp(key, "Protection fault status register") == 0)
                        (void)gd_fmt_hex(value, &st->fault_status);
                break;
        default:
                break;
        }
        (void)l;
        return gd_fmt_kv_add(d, st->section_name, key, value);
}

static int amd_line(struct gpudump_dump *d, struct amd_state *st, const struct gd_line *l) {
        char buf[GD_FMT_LINE_MAX];
        char *s = gd_fmt_text_line(d, "amdgpu", l, buf, sizeof(buf));

        if (!s)
                return 0;
        if (*s == '\0' || strcmp(s, "**** AMDGPU Device Coredump ****") == 0)
                return 0;
        if (section_title(st, s))
                return 0;
        if (strncmp(s, "VRAM ", 5) == 0 && (strstr(s, "lost") || strstr(s, "skipped")))
                return gd_fmt_kv_add(d, NULL, "VRAM", s);
        if (st->section == AMD_IPDUMP)
                return ipdump_line(d, st, l, s);
        if (st->section == AMD_RINGS)
                return rings_line(d, st, l, s);
        return header_line(d, st, l, s);
}

int gd_parse_amdgpu(struct gpudump_dump *d) {
        struct amd_state st = { .section = AMD_HEADER, .engine = -1, .ring_blob = -1 };
        struct gd_lines lines;
        struct gd_line l;
        int r;

        d->format = GPUDUMP_FORMAT_AMDGPU;
        gd_lines_init(&lines, &d->input, 0);
        while (gd_lines_next(&lines, &l)) {
                if (!l.newline && l.len > 0) {
                        gd_fmt_cut_line(d, "amdgpu", &l);
                        break;
                }
                r = amd_line(d, &st, &l);
                if (r < 0)
                        return r;
        }
        if (!d->driver && !(d->driver = strdup("amdgpu")))
                return -ENOMEM;
        if (!d->reason && (st.timeout_ring[0] || (st.fault_seen && st.fault_addr))) {
                char *reason;
                int n;
                if (st.timeout_ring[0] && st.fault_seen && st.fault_addr)
                        n = asprintf(&reason, "ring %s timed out; %s page fault at 0x%016llx (status 0x%llx)",
                                     st.timeout_ring, st.fault_hub, (unsigned long long)st.fault_addr,
                                     (unsigned long long)st.fault_status);
                else if (st.timeout_ring[0])
                        n = asprintf(&reason, "ring %s timed out", st.timeout_ring);
                else
                        n = asprintf(&reason, "%s page fault at 0x%016llx (status 0x%llx)", st.fault_hub,
                                     (unsigned long long)st.fault_addr,
                                     (unsigned long long)st.fault_status);
                if (n < 0)
                        return -ENOMEM;
                d->reason = reason;
        }
        return 0;
}

static enum gd_detect detect(const uint8_t *p, size_t n) {
        return gd_startswith(p, n, "**** AMDGPU Device Coredump ****") ? GD_DETECT_YES : GD_DETECT_NO;
}

const struct gd_format gd_format_amdgpu = {
        .format = GPUDUMP_FORMAT_AMDGPU,
        .name = "amdgpu",
        .detect = detect,
        .parse = gd_parse_amdgpu,
};
