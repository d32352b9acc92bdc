/* SPDX-License-Identifier: MIT */
/*
 * i915 error state (/sys/class/drm/card<N>/error, drivers/gpu/drm/i915/i915_gpu_error.c).
 *
 * A line format: a `key: value` header, `<engine> command stream:` blocks of two-space indented
 * `KEY: value` lines (or the GuC error-capture dump on GuC platforms), then buffer objects, each
 * a `<engine> --- <name> = 0x<upper> <lower>` header followed by one data line (`:` zlib +
 * ascii85, `~` ascii85) or, before ~v4.10, by `%08x :  %08x` offset/word lines. Object contents
 * are only located here; gd_blob_decode() decodes them when asked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gd-macro.h"
#include "gd-string.h"
#include "fmt-util.h"

struct i915_state {
        int engine;            /* index of the engine block we are in, -1 outside */
        bool guc;              /* that block is a GuC error-capture dump */
        int vma;               /* object whose data lines may follow, -1 when none */
        bool vma_has_data;
        bool vma_hex;          /* the object's data are old-style hex lines */
        uint64_t hex_next;     /* expected offset of the next hex line */
        uint64_t vma_line;     /* header line of the object, for diagnostics */
        uint64_t vma_offset;
        /* `batch: [start, end]` of the current engine gives the batch object's length */
        char batch_engine[64];
        uint64_t batch_start, batch_end;
        char section[128];     /* title of a header sub-section ("Pinned [28]"), or empty */
};

static const char *vma_desc(const struct gd_vma *v, char *buf, size_t size) {
        snprintf(buf, size, "%s --- %s = 0x%08llx %08llx", v->engine ? v->engine : "?",
                 v->kind ? v->kind : "?", (unsigned long long)(v->address >> 32),
                 (unsigned long long)(v->address & 0xffffffffu));
        return buf;
}

/* The object before this line got no contents at all. */
static void object_without_data(struct gpudump_dump *d, struct i915_state *st, bool at_eof) {
        char desc[256];
        struct gd_vma *v = &d->vmas[st->vma];

        if (at_eof)
                d->truncated = true;
        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, st->vma_offset, st->vma_line,
                    "i915 object '%s' has no contents: %s", vma_desc(v, desc, sizeof(desc)),
                    at_eof ? "the input ends after its header (truncated)"
                           : "its header is followed by something else");
}

static bool is_hex_chars(const uint8_t *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') ||
                      (p[i] >= 'A' && p[i] <= 'F')))
                        return false;
        return true;
}

/* Old (< v4.10) object contents: "%08x :  %08x\n", offset then word. */
static bool is_hex_word_line(const struct gd_line *l) {
        return l->len == 20 && is_hex_chars(l->p, 8) && memcmp(l->p + 8, " :  ", 4) == 0 &&
               is_hex_chars(l->p + 12, 8);
}

/* "[%04x] %08x %08x %08x %08x" */
static bool is_hex_quad_line(const struct gd_line *l) {
        if (l->len != 42 || l->p[0] != '[' || !is_hex_chars(l->p + 1, 4) || l->p[5] != ']')
                return false;
        for (size_t i = 0; i < 4; i++)
                if (l->p[6 + 9 * i] != ' ' || !is_hex_chars(l->p + 7 + 9 * i, 8))
                        return false;
        return true;
}

/* "<comm> [<pid>]" possibly followed by more text (v4.x: "Xorg [1234], reason: ..."): the pid
 * is the last "[digits]"; comm, which may hold spaces or brackets, is what precedes it. */
static int parse_comm_pid(const char *s, char **ret_comm, int64_t *ret_pid) {
        const char *open = NULL;
        uint64_t pid = 0;
        size_t n;

        for (const char *p = strchr(s, '['); p; p = strchr(p + 1, '[')) {
                const char *q = p + 1;
                while (*q >= '0' && *q <= '9')
                        q++;
                if (q > p + 1 && q - p < 20 && *q == ']')
                        open = p;
        }
        if (!open || open == s)
                return 0;
        for (const char *q = open + 1; *q != ']'; q++)
                pid = pid * 10 + (uint64_t)(*q - '0');
        n = (size_t)(open - s);
        while (n > 0 && s[n - 1] == ' ')
                n--;
        if (n == 0)
                return 0;
        if (gd_fmt_set_str(ret_comm, s, n) < 0)
                return -ENOMEM;
        *ret_pid = (int64_t)pid;
        return 0;
}

static int header_line(struct gpudump_dump *d, const struct i915_state *st, char *s) {
        const char *sect = st->section[0] ? st->section : NULL;
        char *colon = strstr(s, ": ");
        char *key, *value;
        uint64_t v;

        if (strncmp(s, "GPU HANG: ", 10) == 0) {
                const char *in = strstr(s, ", in ");
                if (gd_fmt_set_str(&d->reason, s, strlen(s)) < 0)
                        return -ENOMEM;
                if (in && parse_comm_pid(in + 5, &d->process_name, &d->pid) < 0)
                        return -ENOMEM;
                return 0;
        }
        if (!colon) {
                /* Section titles and lines such as "GuC CTB fence: -1" without a blank */
                size_t n = strlen(s);
                if (n > 0 && s[n - 1] == ':') {
                        s[n - 1] = '\0';
                        return gd_fmt_kv_add(d, sect, s, "");
                }
                return n ? gd_fmt_kv_add(d, sect, s, "") : 0;
        }
        *colon = '\0';
        key = s;
        value = gd_fmt_strip(colon + 2);

        if (strcmp(key, "Kernel") == 0) {
                /* "<release> <machine>": keep the machine as a key/value */
                char *sp = strchr(value, ' ');
                if (gd_fmt_set_str(&d->kernel, value, sp ? (size_t)(sp - value) : strlen(value)) < 0)
                        return -ENOMEM;
                return sp ? gd_fmt_kv_add(d, NULL, "Machine", gd_fmt_strip(sp)) : 0;
        }
        if (strcmp(key, "Platform") == 0)
                return gd_fmt_set_str(&d->platform, value, strlen(value));
        if (strcmp(key, "PCI ID") == 0 && gd_fmt_hex(value, &v) && v <= 0xffff) {
                d->pci_id = (int)v;
                return 0;
        }
        if (strcmp(key, "PCI Revision") == 0 && gd_fmt_hex(value, &v) && v <= 0xff) {
                d->pci_revision = (int)v;
                return 0;
        }
        if (strcmp(key, "PCI Subsystem") == 0)
                return gd_fmt_set_str(&d->pci_subsystem, value, strlen(value));
        if (strcmp(key, "Time") == 0)
                return gd_fmt_set_str(&d->snapshot_time, value, strlen(value));
        if (strcmp(key, "Boottime") == 0)
                return gd_fmt_set_str(&d->boottime, value, strlen(value));
        if (strcmp(key, "Uptime") == 0)
                return gd_fmt_set_str(&d->uptime, value, strlen(value));
        if (strncmp(key, "Active process (on ring ", 24) == 0 && !d->process_name) {
                if (parse_comm_pid(value, &d->process_name, &d->pid) < 0)
                        return -ENOMEM;
        }
        return gd_fmt_kv_add(d, sect, key, value);
}

static bool key_is_register_name(const char *key) {
        if (strncmp(key, "REG-0x", 6) == 0)
                return true;
        for (const char *p = key; *p; p++)
                if (*p >= 'a' && *p <= 'z')
                        return false;
        return *key != '\0';
}

static bool is_guc_meta_key(const char *key) {
        static const char *const keys[] = {
                "Coverage", "RegListType", "Owner-Id", "GuC-Eng-Class", "i915-Eng-Class",
                "GuC-Eng-Id", "i915-Eng-Inst", "i915-Eng-Name", "i915-Eng-Inst-Mask",
                "GuC-Context-Id", "LRCA", "NumRegs",
        };
        for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                if (strcmp(key, keys[i]) == 0)
                        return true;
        return false;
}

static int reg_hex(struct gpudump_dump *d, struct gd_engine *e, const char *key, const char *value,
                   uint64_t offset, uint64_t line) {
        uint64_t v;
        const char *digits = value;

        if (strncmp(digits, "0x", 2) == 0)
                digits += 2;
        if (!gd_fmt_hex(value, &v)) {
                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, offset, line,
                            "i915 register %s of %s: cannot parse value '%s'", key, e->name, value);
                return gd_fmt_prop_add(e, key, value);
        }
        return gd_fmt_reg_add(e, key, strlen(key), v, strlen(digits) > 8 ? 64 : 32, offset);
}

/* "0x%08x %08x" (ACTHD, FADDR) or "0x%08x_%08x" (BBADDR, batch): upper and lower halves */
static bool parse_split64(const char *value, char sep, uint64_t *ret) {
        char hi[16], lo[16];
        uint64_t h, lw;

        if (strlen(value) != 19 || strncmp(value, "0x", 2) != 0 || value[10] != sep)
                return false;
        memcpy(hi, value + 2, 8);
        hi[8] = '\0';
        memcpy(lo, value + 11, 8);
        lo[8] = '\0';
        if (!gd_fmt_hex(hi, &h) || !gd_fmt_hex(lo, &lw))
                return false;
        *ret = h << 32 | lw;
        return true;
}

static int engine_field(struct gpudump_dump *d, struct i915_state *st, const struct gd_line *l,
                        char *s) {
        struct gd_engine *e = &d->engines[st->engine];
        char *key, *value, *colon;
        uint64_t v;
        int r;

        s = gd_fmt_strip(s);
        if (*s == '\0')
                return 0;

        if (strncmp(s, "ELSP[", 5) == 0 && (colon = strstr(s, "]:"))) {
                /* An empty port prints "  ELSP[n]:" without a newline, so whatever the kernel
                 * printed next (another port, "  hung: 1") is glued to it. */
                char *rest = colon + 2;
                colon[1] = '\0';
                if (strncmp(rest, "  pid ", 6) == 0 || strncmp(rest, " pid ", 5) == 0)
                        return gd_fmt_prop_add(e, s, gd_fmt_strip(rest));
                r = gd_fmt_prop_add(e, s, "");
                if (r < 0)
                        return r;
                return engine_field(d, st, l, rest);
        }

        colon = strchr(s, ':');
        if (!colon)
                return gd_fmt_prop_add(e, s, ""); /* "context timeline seqno 41" */
        *colon = '\0';
        key = gd_fmt_strip(s);
        value = gd_fmt_strip(colon + 1);

        if (st->guc) {
                if (strcmp(key, "Coverage") == 0)
                        return gd_fmt_set_str(&e->coverage, value, strlen(value));
                /* Node metadata is mixed case ("Owner-Id", "i915-Eng-Inst-Id") or LRCA;
                 * registers are upper case or "REG-0x<offset>". */
                if (is_guc_meta_key(key) || !key_is_register_name(key) ||
                    strncmp(value, "0x", 2) != 0 || !gd_fmt_hex(value, &v))
                        return gd_fmt_prop_add(e, key, value);
                return gd_fmt_reg_add(e, key, strlen(key), v, 32, l->offset);
        }

        if (strcmp(key, "ACTHD") == 0 || strcmp(key, "FADDR") == 0) {
                if (parse_split64(value, ' ', &v))
                        return gd_fmt_reg_add(e, key, strlen(key), v, 64, l->offset);
                return reg_hex(d, e, key, value, l->offset, l->line);
        }
        if (strcmp(key, "BBADDR") == 0) {
                if (parse_split64(value, '_', &v))
                        return gd_fmt_reg_add(e, key, strlen(key), v, 64, l->offset);
                return reg_hex(d, e, key, value, l->offset, l->line);
        }
        if (strcmp(key, "HEAD") == 0 || strcmp(key, "TAIL") == 0) {
                /* "0x%08x [0x%08x]" / "0x%08x [0x%08x, 0x%08x]": register, then the request's
                 * view, kept as "<KEY> request". */
                char *br = strchr(value, '[');
                if (br) {
                        char pk[32];
                        char *end = br;
                        snprintf(pk, sizeof(pk), "%s request", key);
                        r = gd_fmt_prop_add(e, pk, br);
                        if (r < 0)
                                return r;
                        while (end > value && end[-1] == ' ')
                                end--;
                        *end = '\0';
                }
                return reg_hex(d, e, key, value, l->offset, l->line);
        }
        if (strcmp(key, "batch") == 0) {
                /* "[0x%08x_%08x, 0x%08x_%08x]": start and end of the batch object */
                uint64_t a, b;
                char tmp[64];
                if (strlen(value) == 42 && value[0] == '[' && value[41] == ']') {
                        memcpy(tmp, value + 1, 19);
                        tmp[19] = '\0';
                        if (parse_split64(tmp, '_', &a)) {
                                memcpy(tmp, value + 22, 19);
                                /* An end below the start, or a span no GTT can hold, is a
                                 * damaged line: keep it as text, do not size the object by it. */
                                if (parse_split64(tmp, '_', &b) && b >= a &&
                                    b - a <= UINT64_C(1) << 32) {
                                        snprintf(st->batch_engine, sizeof(st->batch_engine), "%s",
                                                 e->name);
                                        st->batch_start = a;
                                        st->batch_end = b;
                                }
                        }
                }
                return gd_fmt_prop_add(e, key, value);
        }
        if (key_is_register_name(key) && strncmp(value, "0x", 2) == 0 && !strchr(value, ' '))
                return reg_hex(d, e, key, value, l->offset, l->line);
        return gd_fmt_prop_add(e, key, value);
}

static int find_engine(struct gpudump_dump *d, const char *name) {
        for (size_t i = 0; i < d->n_engines; i++)
                if (strcmp(d->engines[i].name, name) == 0)
                        return (int)i;
        return -1;
}

static int engine_start(struct gpudump_dump *d, struct i915_state *st, const struct gd_line *l,
                        const char *name, bool guc) {
        int idx = guc ? find_engine(d, name) : -1;
        int instance;
        const char *cls = gd_fmt_engine_class(name, &instance);

        if (idx < 0) {
                idx = gd_fmt_engine_add(d, name, strlen(name), cls, instance, l->offset);
                if (idx < 0)
                        return idx;
        }
        if (guc && !d->engines[idx].capture_source &&
            !(d->engines[idx].capture_source = strdup("GuC")))
                return -ENOMEM;
        st->engine = idx;
        st->guc = guc;
        return 0;
}

/* Make the object at address the current one: the lines that follow hold its data. */
static int object_open(struct gpudump_dump *d, struct i915_state *st, const struct gd_line *l,
                       uint64_t address, uint64_t length, const char *kind, const char *engine) {
        int idx = gd_fmt_vma_add(d, address, length, kind, engine, l->offset, l->line);

        if (idx < 0)
                return idx;
        st->vma = idx;
        st->vma_has_data = false;
        st->vma_hex = false;
        st->hex_next = 0;
        st->vma_line = l->line;
        st->vma_offset = l->offset;
        return 0;
}

/* "<engine> --- <name> = 0x%08x %08x" (or "= 0x%08x" on old kernels) */
static int object_header(struct gpudump_dump *d, struct i915_state *st, const struct gd_line *l,
                         char *s, char *dashes) {
        char *eng = s, *kind = dashes + 5, *eq, *value;
        uint64_t hi = 0, lo = 0, length = 0;
        char *sp;

        *dashes = '\0';
        eq = strstr(kind, " = ");
        if (!eq)
                return gd_fmt_kv_add(d, eng, kind, ""); /* v4.x "<ring> --- 2 requests" */
        *eq = '\0';
        {
                /* v4.x decorated the engine: "render ring (Xorg [1234])", "render ring (w/a)",
                 * and named kinds differently; map them to today's names. */
                size_t n = strlen(eng);
                char *paren = strstr(eng, " (");
                bool wa = false;
                if (paren && n > 0 && eng[n - 1] == ')') {
                        wa = strcmp(paren, " (w/a)") == 0;
                        eng[n - 1] = '\0';
                        if (!wa && !d->process_name &&
                            parse_comm_pid(paren + 2, &d->process_name, &d->pid) < 0)
                                return -ENOMEM;
                        *paren = '\0';
                }
                /* Those kernels named rings "render ring" in object headers but "render" in
                 * the register blocks: file the object under the block's engine. */
                if (find_engine(d, eng) < 0) {
                        static const char *const old_names[][2] = {
                                { "render ring", "render" }, { "bsd ring", "bsd" },
                                { "blitter ring", "blt" },   { "video enhancement ring", "vebox" },
                                { "bsd2 ring", "bsd2" },
                        };
                        for (size_t i = 0; i < ELEMENTSOF(old_names); i++)
                                if (strcmp(eng, old_names[i][0]) == 0 &&
                                    find_engine(d, old_names[i][1]) >= 0) {
                                        eng = (char *)old_names[i][1];
                                        break;
                                }
                }
                if (strcmp(kind, "gtt_offset") == 0)
                        kind = wa ? (char *)"WA batch" : (char *)"batch";
                else if (strcmp(kind, "ringbuffer") == 0)
                        kind = (char *)"ring";
                else if (strcmp(kind, "HW Context") == 0)
                        kind = (char *)"HW context";
        }
        value = eq + 3;
        sp = strchr(value, ' ');
        if (sp) {
                *sp = '\0';
                if (!gd_fmt_hex(value, &hi) || !gd_fmt_hex(sp + 1, &lo) || hi > 0xffffffffu ||
                    lo > 0xffffffffu) {
                        *sp = ' ';
                        goto bad;
                }
        } else if (!gd_fmt_hex(value, &lo)) {
                goto bad;
        }
        if (strcmp(kind, "batch") == 0 && strcmp(st->batch_engine, eng) == 0 &&
            st->batch_start == (hi << 32 | lo))
                length = st->batch_end - st->batch_start;

        return object_open(d, st, l, hi << 32 | lo, length, kind, eng);
bad:
        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                    "i915 object header '%s --- %s': cannot parse address '%s'", eng, kind, value);
        return 0;
}

static uint64_t a85_words(const uint8_t *p, size_t n) {
        uint64_t words = 0, chars = 0;

        for (size_t i = 0; i < n; i++) {
                if (p[i] == 'z')
                        words++;
                else
                        chars++;
        }
        return words + chars / 5;
}

/* The object's data ended (another line, or the end of input). */
static void object_end(struct gpudump_dump *d, struct i915_state *st, bool at_eof) {
        struct gd_vma *v = &d->vmas[st->vma];

        if (!st->vma_has_data)
                object_without_data(d, st, at_eof);
        else if (st->vma_hex && v->blob.declared_length % 4096 != 0) {
                /* Objects are whole pages, printed 1024 lines each. */
                char desc[256];
                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, st->vma_offset, st->vma_line,
                            "i915 object '%s': %llu hex words are not whole 4 KiB pages "
                            "(lines missing or truncated)", vma_desc(v, desc, sizeof(desc)),
                            (unsigned long long)(v->blob.declared_length / 4));
        }
        st->vma = -1;
}

/* One old-style hex data line of the current object: the offset (digits hex digits at byte at)
 * must follow the previous line's; the data (span_len bytes at byte span_at of the line) hold
 * bytes bytes of the object. */
static int hex_line(struct gpudump_dump *d, struct i915_state *st, const struct gd_line *l,
                    const char *what, size_t at, int digits, uint64_t span_at, uint64_t span_len,
                    unsigned bytes) {
        struct gd_vma *v = &d->vmas[st->vma];
        char off[9];
        uint64_t o;
        int r;

        memcpy(off, l->p + at, (size_t)digits);
        off[digits] = '\0';
        (void)gd_fmt_hex(off, &o);
        if (o != st->hex_next) {
                char desc[256];
                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                            "i915 object '%s': %s at offset 0x%0*llx, expected 0x%0*llx (lines "
                            "missing)", vma_desc(v, desc, sizeof(desc)), what, digits,
                            (unsigned long long)o, digits, (unsigned long long)st->hex_next);
        }
        st->hex_next = o + bytes;
        v->blob.encoding = GD_ENC_HEX_WORDS;
        r = gd_fmt_span_add(&v->blob, l->offset + span_at, span_len);
        if (r < 0)
                return r;
        v->blob.declared_length += bytes;
        v->length = v->blob.declared_length;
        st->vma_has_data = true;
        st->vma_hex = true;
        return 0;
}

/* A line right after an object header (or after its first hex line). Returns 1 when consumed. */
static int object_data(struct gpudump_dump *d, struct i915_state *st, const struct gd_line *l) {
        struct gd_vma *v = &d->vmas[st->vma];
        int r;

        if (!st->vma_has_data && l->len >= 1 && (l->p[0] == ':' || l->p[0] == '~')) {
                v->blob.encoding = l->p[0] == ':' ? GD_ENC_A85_ZLIB : GD_ENC_A85;
                r = gd_fmt_span_add(&v->blob, l->offset + 1, l->len - 1);
                if (r < 0)
                        return r;
                if (l->p[0] == '~') {
                        /* Raw ascii85 carries its length: 1 or 5 characters per word. */
                        v->blob.declared_length = a85_words(l->p + 1, l->len - 1) * 4;
                        if (v->length == 0)
                                v->length = v->blob.declared_length;
                }
                if (!l->newline) {
                        char desc[256];
                        d->truncated = true;
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                                    "i915 object '%s': data line is cut off by the end of input "
                                    "(truncated)", vma_desc(v, desc, sizeof(desc)));
                }
                st->vma = -1;
                return 1;
        }
        if (!st->vma_has_data && l->len > 16 && memcmp(l->p, "gtt_page_sizes = ", 17) == 0) {
                char buf[GD_FMT_LINE_MAX];
                char sect[256];
                if (!gd_fmt_cstr(l, buf, sizeof(buf)))
                        return 1;
                r = gd_fmt_kv_add(d, vma_desc(v, sect, sizeof(sect)), "gtt_page_sizes",
                                  gd_fmt_strip(buf + 17));
                return r < 0 ? r : 1;
        }
        if ((!st->vma_has_data || st->vma_hex) && is_hex_word_line(l)) {
                /* "%08x :  %08x": offset, one word */
                r = hex_line(d, st, l, "hex line", 0, 8, 12, 8, 4);
                return r < 0 ? r : 1;
        }
        if ((!st->vma_has_data || st->vma_hex) && is_hex_quad_line(l)) {
                /* v4.x HW Status / semaphore page: "[%04x] %08x %08x %08x %08x" */
                r = hex_line(d, st, l, "line", 1, 4, 7, 35, 16);
                return r < 0 ? r : 1;
        }
        object_end(d, st, false);
        return 0;
}

static int i915_line(struct gpudump_dump *d, struct i915_state *st, const struct gd_line *l) {
        char buf[GD_FMT_LINE_MAX];
        char *s, *dashes;
        size_t n;
        int r;

        if (st->vma >= 0) {
                r = object_data(d, st, l);
                if (r != 0)
                        return r < 0 ? r : 0;
        }

        if (l->len > 0 && (l->p[0] == ':' || l->p[0] == '~')) {
                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                            "i915: object data line (%zu bytes) without a valid object header "
                            "before it; ignored", l->len);
                return 0;
        }
        if (!l->newline) {
                gd_fmt_cut_line(d, "i915", l);
                return 0;
        }
        /* A long line outside an object is no i915 construct. */
        s = gd_fmt_text_line(d, "i915", l, buf, sizeof(buf));
        if (!s)
                return 0;
        n = strlen(s);

        if ((dashes = strstr(s, " --- ")) && s[0] != ' ') {
                const char *guc = strstr(dashes, " --- GuC Error Capture on ");
                if (guc == dashes) {
                        char *name = dashes + 26;
                        char *end = strstr(name, " command stream:");
                        if (end)
                                *end = '\0';
                        return engine_start(d, st, l, gd_fmt_strip(name), true);
                }
                st->engine = -1;
                return object_header(d, st, l, s, dashes);
        }
        if (strncmp(s, "Semaphore page = ", 17) == 0) {
                /* v4.x: a global object without the " --- " header */
                uint64_t a;
                if (!gd_fmt_hex(s + 17, &a)) {
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                                    "i915: cannot parse semaphore page address '%s'", s + 17);
                        return 0;
                }
                st->engine = -1;
                return object_open(d, st, l, a, 0, "Semaphore page", NULL);
        }
        if (s[0] != ' ' && n > 16 && strcmp(s + n - 16, " command stream:") == 0) {
                s[n - 16] = '\0';
                return engine_start(d, st, l, s, false);
        }
        if (strncmp(s, "  Missing GuC capture node for ", 31) == 0) {
                /* GuC platform without a capture for this engine: the engine's "hung:" and
                 * context lines follow, so it still opens a block. */
                r = engine_start(d, st, l, gd_fmt_strip(s + 31), false);
                if (r < 0)
                        return r;
                return gd_fmt_prop_add(&d->engines[st->engine], "Missing GuC capture node", "");
        }
        if (s[0] == ' ' && st->engine >= 0)
                return engine_field(d, st, l, s);
        if (n == 0)
                return 0;
        if (s[0] != ' ') {
                st->engine = -1;
                st->section[0] = '\0';
                /* "Pinned [28]:", "Pipe [1]:", "Cursor [0]:": a title for the indented lines
                 * that follow */
                if (s[n - 1] == ':' && !strstr(s, ": ")) {
                        snprintf(st->section, sizeof(st->section), "%.*s", (int)(n - 1), s);
                        return gd_fmt_kv_add(d, NULL, st->section, "");
                }
        }
        return header_line(d, st, gd_fmt_strip(s));
}

int gd_parse_i915(struct gpudump_dump *d) {
        struct i915_state st = { .engine = -1, .vma = -1 };
        struct gd_lines lines;
        struct gd_line l;
        bool first = true;
        int r;

        d->format = GPUDUMP_FORMAT_I915;
        if (!d->driver && !(d->driver = strdup("i915")))
                return -ENOMEM;

        gd_lines_init(&lines, &d->input, 0);
        while (gd_lines_next(&lines, &l)) {
                if (first && l.len == 24 && memcmp(l.p, "No error state collected", 24) == 0) {
                        d->empty = true;
                        return 0;
                }
                first = false;
                r = i915_line(d, &st, &l);
                if (r < 0)
                        return r;
        }
        if (st.vma >= 0)
                object_end(d, &st, true);
        return 0;
}

static enum gd_detect detect(const uint8_t *p, size_t n) {
        if (gd_startswith(p, n, "GPU HANG: ecode ") || gd_startswith(p, n, "Kernel: ") ||
            gd_startswith(p, n, "No error state collected") || gd_startswith(p, n, "Time: "))
                return GD_DETECT_YES;
        return GD_DETECT_NO;
}

const struct gd_format gd_format_i915 = {
        .format = GPUDUMP_FORMAT_I915,
        .name = "i915",
        .detect = detect,
        .parse = gd_parse_i915,
};
