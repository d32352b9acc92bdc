/* SPDX-License-Identifier: MIT */
/*
 * The xe devcoredump parser, every era (reference: devcoredump-formats.md §1), and the reference
 * driver's `.zstd:` variant (docs/compressed-format.md). One forward pass over the lines; blobs
 * are only located (spans), never decoded here. Every field is optional: whatever the kernel
 * printed that we do not model is kept as key/value text, and damage becomes diagnostics.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gd-macro.h"
#include "gd-string.h"
#include "formats.h"

#define XE_MAGIC "**** Xe Device Coredump ****"

enum section {
        SEC_HEADER,
        SEC_GT,
        SEC_GUC_LOG,
        SEC_GUC_CT,
        SEC_CONTEXTS,
        SEC_JOB,
        SEC_HW_ENGINES,
        SEC_VM_STATE,
        SEC_UNKNOWN,
};

/* A `[name].length:` line waiting for its `.data:` / `.zstd:` / `.error:` line. */
struct pending {
        bool active;
        char name[64];
        uint64_t length;
        uint64_t offset;
        uint64_t line;
};

struct xe {
        struct gpudump_dump *d;
        struct gd_lines lines;
        enum section sec;
        char *sec_title;       /* title of the current section, for kept key/values */
        ssize_t gt;            /* GT id block receiving `\t` lines in the header, or -1 */
        ssize_t ctx;           /* current context, or -1 */
        ssize_t engine;        /* current engine (until its blank line), or -1 */
        const char *ct_side;   /* "H2G" / "G2H" inside GuC CT */
        struct pending pend;
        bool seen_magic;
        bool expect_vm;        /* the era prints a VM state section (v6.9+) */
        bool vm_has_entries;
        uint64_t last_offset;  /* offset of the last line, for end-of-input diagnostics */
        uint64_t last_line;
};

static int oom(void) {
        return -ENOMEM;
}

/* ---- small text helpers over (pointer, length) ---- */

static size_t skip_tabs(const char **s, size_t *n) {
        size_t t = 0;
        while (*n > 0 && **s == '\t') {
                (*s)++;
                (*n)--;
                t++;
        }
        return t;
}

/* Split "key: value" (or "key:" at the end of the line). */
static bool split_kv(const char *s, size_t n, const char **k, size_t *kn, const char **v, size_t *vn) {
        const char *c = memchr(s, ':', n);

        while (c) {
                size_t at = (size_t)(c - s);
                if (at + 1 == n || s[at + 1] == ' ') {
                        *k = s;
                        *kn = at;
                        *v = at + 1 < n ? c + 2 : c + 1;
                        *vn = at + 1 < n ? n - at - 2 : 0;
                        return *kn > 0;
                }
                c = memchr(c + 1, ':', n - at - 1);
        }
        return false;
}

static char *dup_trim(const char *s, size_t n) {
        gd_trim(&s, &n);
        return gd_strndup(s, n);
}

static int set_str(char **field, const char *s, size_t n) {
        char *v = dup_trim(s, n);
        if (!v)
                return oom();
        free(*field);
        *field = v;
        return 0;
}

static int keep_kv(struct xe *x, const char *prefix, const char *k, size_t kn, const char *v, size_t vn) {
        char key[128];

        if (prefix) {
                int m = snprintf(key, sizeof(key), "%s.%.*s", prefix, (int)(kn < 100 ? kn : 100), k);
                k = key;
                kn = (size_t)m < sizeof(key) ? (size_t)m : sizeof(key) - 1;
        }
        return gd_kv_push(&x->d->kvs, &x->d->n_kvs, x->sec_title, k, kn, v, vn);
}

/* Keep a line we do not model: "key: value" when it has that shape, else the whole line. */
static int keep_line(struct xe *x, struct gd_kv **arr, size_t *n, const char *s, size_t len) {
        const char *k, *v;
        size_t kn, vn;

        skip_tabs(&s, &len);
        if (len == 0)
                return 0;
        if (split_kv(s, len, &k, &kn, &v, &vn))
                return gd_kv_push(arr, n, arr == &x->d->kvs ? x->sec_title : NULL, k, kn, v, vn);
        return gd_kv_push(arr, n, arr == &x->d->kvs ? x->sec_title : NULL, s, len, NULL, 0);
}

static int64_t dec_or(const char *s, size_t n, int64_t fallback) {
        int64_t v;
        size_t used;
        gd_trim(&s, &n);
        if (gd_parse_dec_prefix(s, n, &v, &used) <= 0)
                return fallback;
        return v;
}

static bool hex_value(const char *s, size_t n, uint64_t *ret) {
        gd_trim(&s, &n);
        return gd_parse_hex(s, n, ret) > 0;
}

/* ---- blobs ---- */

static int add_span(struct gd_blob *b, uint64_t offset, uint64_t length) {
        struct gd_span sp = { offset, length };
        if (length == 0)
                return 0;
        /* A wrapped blob continues exactly where the previous line's text ended only when no
         * prefix or newline was in between; otherwise it is a new span. */
        if (b->n_spans > 0 && b->spans[b->n_spans - 1].offset + b->spans[b->n_spans - 1].length == offset) {
                b->spans[b->n_spans - 1].length += length;
                return 0;
        }
        return GD_ARRAY_PUSH(b->spans, b->n_spans, sp);
}

/* Old kernels (and dmesg) wrap blobs into lines of ~800 characters: join the following lines
 * that hold nothing but ascii85. */
static int add_continuations(struct xe *x, struct gd_blob *b) {
        struct gd_line l;
        int r;

        while (gd_lines_peek(&x->lines, &l)) {
                if (l.foreign || !gd_a85_is_line(l.p, l.len))
                        break;
                /* A last line cut short may be the start of the next record ("[1b0", "***"),
                 * whose characters all happen to be ascii85: that is not more blob. */
                if (!l.newline && (l.p[0] == '[' || l.p[0] == '*'))
                        break;
                gd_lines_next(&x->lines, &l);
                x->last_offset = l.offset;
                x->last_line = l.line;
                r = add_span(b, l.offset, l.len);
                if (r < 0)
                        return r;
                if (!l.newline)
                        break;
        }
        return 0;
}

static bool is_hex_name(const char *s) {
        if (!*s)
                return false;
        for (; *s; s++)
                if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
                        return false;
        return true;
}

static struct gd_lrc *cur_lrc(struct xe *x);

/* Where a finished blob goes: a VMA (hex name), the current LRC (HWSP/HWCTX), or the dump's
 * named blobs (LOG, CTB, anything else). */
static int place_blob(struct xe *x, struct gd_blob *b, uint64_t length) {
        struct gpudump_dump *d = x->d;
        int r;

        /* Located: with GPUDUMP_OPEN_HASH, hashed from here on while the parse goes on. */
        gd_hash_pool_submit(d->hash_pool, b);

        if (is_hex_name(b->name) && !(strcmp(b->name, "0") == 0 && b->encoding == GD_ENC_NONE)) {
                uint64_t va = 0;
                (void)gd_parse_hex(b->name, strlen(b->name), &va);
                struct gd_vma v = { .address = va, .length = length, .blob = *b };
                r = GD_ARRAY_PUSH(d->vmas, d->n_vmas, v);
                if (r < 0) {
                        gd_blob_clear(b);
                        return r;
                }
                x->vm_has_entries = true;
                *b = (struct gd_blob){};
                return 0;
        }
        if (strcmp(b->name, "HWSP") == 0 || strcmp(b->name, "HWCTX") == 0) {
                struct gd_lrc *l = cur_lrc(x);
                if (l) {
                        struct gd_blob *slot = strcmp(b->name, "HWSP") == 0 ? &l->hwsp : &l->hwctx;
                        if (slot->encoding != GD_ENC_NONE || slot->error)
                                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, b->offset, b->line,
                                            "second [%s] blob for one LRC; keeping the last", b->name);
                        gd_blob_clear(slot);
                        *slot = *b;
                        *b = (struct gd_blob){};
                        return 0;
                }
        }
        r = GD_ARRAY_PUSH(d->blobs, d->n_blobs, *b);
        if (r < 0) {
                gd_blob_clear(b);
                return r;
        }
        *b = (struct gd_blob){};
        return 0;
}

/* A `.length` line that never got its data line: record the range without contents. */
static int flush_pending(struct xe *x, const char *why) {
        struct pending *p = &x->pend;
        struct gd_blob b = {};

        if (!p->active)
                return 0;
        p->active = false;
        gd_diag_add(x->d, GPUDUMP_SEVERITY_WARNING, p->offset, p->line,
                    "[%s].length without a .data or .error line (%s)", p->name, why);
        b.name = strdup(p->name);
        if (!b.name)
                return oom();
        b.declared_length = p->length;
        b.offset = p->offset;
        b.line = p->line;
        return place_blob(x, &b, p->length);
}

/* Handle `[<name>].<key>: <value>` lines. Returns 1 when the line was one, 0 if not. */
static int blob_line(struct xe *x, const struct gd_line *l, const char *s, size_t n) {
        struct gpudump_dump *d = x->d;
        const char *close, *key, *val;
        size_t name_len, key_len, val_len;
        char name[64];
        int r;

        if (n < 4 || s[0] != '[')
                return 0;
        close = memchr(s, ']', n);
        if (!close || close == s + 1 || (size_t)(close - s) + 2 >= n || close[1] != '.')
                return 0;
        name_len = (size_t)(close - s) - 1;
        if (name_len >= sizeof(name))
                return 0;
        memcpy(name, s + 1, name_len);
        name[name_len] = 0;
        key = close + 2;
        val = memchr(key, ':', n - (size_t)(key - s));
        if (!val)
                return 0;
        key_len = (size_t)(val - key);
        val++;
        val_len = n - (size_t)(val - s);
        if (val_len > 0 && *val == ' ') {
                val++;
                val_len--;
        }

        if (gd_memeq(key, key_len, "length")) {
                uint64_t len;
                r = flush_pending(x, "another .length followed");
                if (r < 0)
                        return r;
                if (!hex_value(val, val_len, &len)) {
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                                    "[%s].length: bad value '%.*s'", name, (int)(val_len < 40 ? val_len : 40), val);
                        len = 0;
                }
                x->pend = (struct pending){ .active = true, .length = len, .offset = l->offset, .line = l->line };
                memcpy(x->pend.name, name, name_len + 1);
                return 1;
        }

        bool is_data = gd_memeq(key, key_len, "data"), is_zstd = gd_memeq(key, key_len, "zstd"),
             is_error = gd_memeq(key, key_len, "error");
        if (!is_data && !is_zstd && !is_error)
                return 0;

        struct gd_blob b = { .offset = l->offset, .line = l->line };
        uint64_t length = 0;
        bool have_length = false;
        if (x->pend.active && strcmp(x->pend.name, name) == 0) {
                length = x->pend.length;
                have_length = true;
                b.offset = x->pend.offset;
                b.line = x->pend.line;
                x->pend.active = false;
        } else {
                r = flush_pending(x, "a different blob followed");
                if (r < 0)
                        return r;
        }

        if (is_error) {
                int64_t e;
                if (gd_parse_dec(val, val_len, &e) <= 0 || e > 0 || e < -4095) {
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                                    "[%s].error: bad errno '%.*s'", name, (int)(val_len < 40 ? val_len : 40), val);
                        e = -EIO;
                }
                if (strcmp(name, "0") == 0 && !have_length) {
                        /* Whole-section status: 0 no VM snapshot, -ENODEV no dumpable VMA. */
                        d->vm_error = (int)e;
                        d->vm_error_present = true;
                        x->vm_has_entries = true;
                        return 1;
                }
                b.name = strdup(name);
                if (!b.name)
                        return oom();
                b.error = e == 0 ? -EIO : (int)e;
                b.declared_length = length;
                return place_blob(x, &b, length) < 0 ? -ENOMEM : 1;
        }

        b.name = strdup(name);
        if (!b.name)
                return oom();
        b.declared_length = length;
        b.encoding = GD_ENC_A85;
        if (!have_length && !(strcmp(name, "LOG") == 0 || strcmp(name, "CTB") == 0))
                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, l->offset, l->line,
                            "[%s].%.*s without a preceding [%s].length line", name, (int)key_len, key, name);
        if (is_zstd) {
                /* `[name].zstd: 0x<compressed length> <ascii85 of the frame>` */
                uint64_t clen;
                size_t used;
                b.encoding = GD_ENC_A85_ZSTD;
                if (gd_parse_hex_prefix(val, val_len, &clen, &used) <= 0 ||
                    (used < val_len && val[used] != ' ')) {
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line,
                                    "[%s].zstd: bad compressed length", name);
                        clen = 0;
                        used = 0;
                }
                b.compressed_length = clen;
                val += used;
                val_len -= used;
                if (val_len > 0 && *val == ' ') {
                        val++;
                        val_len--;
                }
        }
        r = add_span(&b, (uint64_t)((const uint8_t *)val - d->data), val_len);
        if (r >= 0 && l->newline)
                r = add_continuations(x, &b);
        if (r < 0) {
                gd_blob_clear(&b);
                return r;
        }
        return place_blob(x, &b, length) < 0 ? -ENOMEM : 1;
}

/* Legacy `Log data: <a85>` / `CTB data: <a85>` (~v6.13-rc), wrapped into lines. */
static int legacy_blob(struct xe *x, const struct gd_line *l, const char *name, const char *val, size_t val_len) {
        struct gd_blob b = { .offset = l->offset, .line = l->line, .encoding = GD_ENC_A85 };
        int r;

        b.name = strdup(name);
        if (!b.name)
                return oom();
        r = add_span(&b, (uint64_t)((const uint8_t *)val - x->d->data), val_len);
        if (r >= 0 && l->newline)
                r = add_continuations(x, &b);
        if (r < 0) {
                gd_blob_clear(&b);
                return r;
        }
        return place_blob(x, &b, 0);
}

/* ---- sections ---- */

static void end_objects(struct xe *x) {
        x->gt = -1;
        x->engine = -1;
        x->ct_side = NULL;
}

static int start_section(struct xe *x, const char *t, size_t n) {
        static const struct {
                const char *title;
                enum section sec;
        } known[] = {
                { "GuC Log", SEC_GUC_LOG },   { "GuC CT", SEC_GUC_CT }, { "Contexts", SEC_CONTEXTS },
                { "Job", SEC_JOB },           { "HW Engines", SEC_HW_ENGINES },
                { "VM state", SEC_VM_STATE }, { "Xe Device Coredump", SEC_HEADER },
        };
        int r = flush_pending(x, "a new section started");
        if (r < 0)
                return r;
        end_objects(x);
        free(x->sec_title);
        x->sec_title = gd_strndup(t, n);
        if (!x->sec_title)
                return oom();
        x->sec = SEC_UNKNOWN;
        for (size_t i = 0; i < ELEMENTSOF(known); i++)
                if (gd_memeq(t, n, known[i].title))
                        x->sec = known[i].sec;
        if (x->sec == SEC_HEADER && x->seen_magic)
                gd_diag_add(x->d, GPUDUMP_SEVERITY_WARNING, x->last_offset, x->last_line,
                            "a second dump starts here; its header overrides the first one's");
        if (x->sec == SEC_HEADER)
                x->seen_magic = true;
        if (gd_startswith(t, n, "GT #")) {
                x->sec = SEC_GT;
                x->d->gt_id = (int)dec_or(t + 4, n - 4, -1);
        }
        if (x->sec == SEC_JOB)
                x->expect_vm = true;
        if (x->sec == SEC_VM_STATE)
                x->d->vm_state_present = true;
        return 0;
}

static int header_line(struct xe *x, const char *s, size_t n, size_t tabs) {
        struct gpudump_dump *d = x->d;
        const char *k, *v;
        size_t kn, vn;

        if (!split_kv(s, n, &k, &kn, &v, &vn))
                return keep_line(x, &d->kvs, &d->n_kvs, s, n);

        if (tabs > 0 && x->gt >= 0) {
                struct gd_gt *g = &d->gts[x->gt];
                if (gd_memeq(k, kn, "Tile"))
                        g->tile = (int)dec_or(v, vn, -1);
                else if (gd_memeq(k, kn, "Type"))
                        return set_str(&g->type, v, vn);
                else if (gd_memeq(k, kn, "IP ver"))
                        return set_str(&g->ip_version, v, vn);
                else if (gd_memeq(k, kn, "CS reference clock"))
                {
                        int64_t hz = dec_or(v, vn, 0);
                        g->cs_reference_clock = hz > 0 ? (uint64_t)hz : 0;
                }
                else
                        return keep_kv(x, "GT", k, kn, v, vn);
                return 0;
        }
        if (tabs == 0)
                x->gt = -1;

        if (gd_memeq(k, kn, "Reason")) {
                x->expect_vm = true;
                return set_str(&d->reason, v, vn);
        }
        if (gd_memeq(k, kn, "kernel"))
                return set_str(&d->kernel, v, vn);
        if (gd_memeq(k, kn, "module"))
                return set_str(&d->driver, v, vn);
        if (gd_memeq(k, kn, "Snapshot time"))
                return set_str(&d->snapshot_time, v, vn);
        if (gd_memeq(k, kn, "Uptime"))
                return set_str(&d->uptime, v, vn);
        if (gd_memeq(k, kn, "Boot time"))
                return set_str(&d->boottime, v, vn);
        if (gd_memeq(k, kn, "Process")) {
                /* "<comm> [<pid>]"; comm may itself hold spaces or brackets: the pid is last. */
                gd_trim(&v, &vn);
                x->expect_vm = true;
                const char *open = NULL;
                for (size_t i = vn; i-- > 0;)
                        if (v[i] == '[') {
                                open = v + i;
                                break;
                        }
                int64_t pid = -1;
                size_t namelen = vn;
                if (open && vn > 0 && v[vn - 1] == ']') {
                        pid = dec_or(open + 1, (size_t)(v + vn - 1 - open - 1), -1);
                        namelen = (size_t)(open - v);
                }
                if (pid == 0 && gd_memeq(v, namelen, "no process "))
                        return 0; /* a kernel queue or a GT-level dump: nobody to blame */
                d->pid = pid;
                return set_str(&d->process_name, v, namelen);
        }
        if (gd_memeq(k, kn, "PCI ID")) {
                uint64_t id;
                x->expect_vm = true;
                if (hex_value(v, vn, &id) && id <= 0xffff)
                        d->pci_id = (int)id;
                return 0;
        }
        if (gd_memeq(k, kn, "PCI revision")) {
                uint64_t rev;
                if (hex_value(v, vn, &rev) && rev <= 0xff)
                        d->pci_revision = (int)rev;
                return 0;
        }
        if (gd_memeq(k, kn, "GT id")) {
                struct gd_gt g = { .id = (int)dec_or(v, vn, -1), .tile = -1 };
                int r = GD_ARRAY_PUSH(d->gts, d->n_gts, g);
                if (r < 0)
                        return r;
                x->gt = (ssize_t)d->n_gts - 1;
                return 0;
        }
        return keep_kv(x, NULL, k, kn, v, vn);
}

static int ct_line(struct xe *x, const char *s, size_t n, size_t tabs) {
        const char *k, *v;
        size_t kn, vn;

        if (tabs == 0 && gd_startswith(s, n, "H2G CTB")) {
                x->ct_side = "H2G";
                return 0;
        }
        if (tabs == 0 && gd_startswith(s, n, "G2H CTB")) {
                x->ct_side = "G2H";
                return 0;
        }
        if (!split_kv(s, n, &k, &kn, &v, &vn))
                return keep_line(x, &x->d->kvs, &x->d->n_kvs, s, n);
        /* `g2h outstanding` belongs to the CT, not to the G2H block printed before it. */
        if (tabs > 0 && x->ct_side && !gd_memeq(k, kn, "g2h outstanding"))
                return keep_kv(x, x->ct_side, k, kn, v, vn);
        return keep_kv(x, NULL, k, kn, v, vn);
}

/* ---- contexts ---- */

static struct gd_context *cur_ctx(struct xe *x) {
        return x->ctx >= 0 ? &x->d->contexts[x->ctx] : NULL;
}

static int new_lrc(struct gd_context *c) {
        struct gd_lrc l = {
                .ring_address = UINT64_MAX,
                .indirect_ring_state = UINT64_MAX,
                .head = -1,
                .tail_internal = -1,
                .tail_memory = -1,
                .ring_start = UINT64_MAX,
                .start_seqno = GD_SEQNO_NONE,
                .seqno = GD_SEQNO_NONE,
                .timestamp = -1,
                .job_timestamp = -1,
        };
        return GD_ARRAY_PUSH(c->lrcs, c->n_lrcs, l);
}

static struct gd_lrc *cur_lrc(struct xe *x) {
        struct gd_context *c = cur_ctx(x);
        if (!c || c->n_lrcs == 0)
                return NULL;
        return &c->lrcs[c->n_lrcs - 1];
}

static int new_context(struct xe *x, const char *v, size_t vn) {
        struct gd_context c = {
                .guc_id = dec_or(v, vn, -1),
                .class_id = -1,
                .ref = -1,
                .timeout_ms = -1,
                .timeslice_us = -1,
                .preempt_timeout_us = -1,
                .schedule_state = -1,
                .flags = -1,
        };
        int r = GD_ARRAY_PUSH(x->d->contexts, x->d->n_contexts, c);
        if (r < 0)
                return r;
        x->ctx = (ssize_t)x->d->n_contexts - 1;
        return 0;
}

/* "(memory) 560" / "(internal) 640, (memory) 640": the number after a tag, else fallback
 * (-1 for lengths and flags, GD_SEQNO_NONE for seqnos, which may be -1). */
static int64_t tagged_or(const char *v, size_t vn, const char *tag, int64_t fallback) {
        size_t tl = strlen(tag);
        for (size_t i = 0; i + tl <= vn; i++)
                if (memcmp(v + i, tag, tl) == 0)
                        return dec_or(v + i + tl, vn - i - tl, fallback);
        return fallback;
}

static int64_t tagged(const char *v, size_t vn, const char *tag) {
        return tagged_or(v, vn, tag, -1);
}

/* The number after the tag, or the whole value when the tag is missing (older layouts). */
static int64_t tagged_or_plain(const char *v, size_t vn, const char *tag, int64_t fallback) {
        const char *t = memmem(v, vn, tag, strlen(tag));
        if (t)
                return dec_or(t + strlen(tag), vn - (size_t)(t - v) - strlen(tag), fallback);
        return dec_or(v, vn, fallback);
}

static uint64_t tagged_hex(const char *v, size_t vn, const char *tag, uint64_t fallback) {
        size_t tl = strlen(tag);
        for (size_t i = 0; i + tl <= vn; i++)
                if (memcmp(v + i, tag, tl) == 0) {
                        uint64_t h;
                        size_t used;
                        const char *p = v + i + tl;
                        size_t pn = vn - i - tl;
                        gd_trim(&p, &pn);
                        if (gd_parse_hex_prefix(p, pn, &h, &used) > 0)
                                return h;
                        return fallback;
                }
        return fallback;
}

static int lrc_for_field(struct xe *x, struct gd_lrc **ret) {
        struct gd_context *c = cur_ctx(x);
        if (c->n_lrcs == 0) {
                /* v6.8 and damaged dumps: LRC fields without a HW Context Desc line. */
                int r = new_lrc(c);
                if (r < 0)
                        return r;
        }
        *ret = &c->lrcs[c->n_lrcs - 1];
        return 0;
}

static int context_line(struct xe *x, const struct gd_line *l, const char *s, size_t n) {
        struct gd_context *c = cur_ctx(x);
        struct gd_lrc *lrc;
        const char *k, *v;
        size_t kn, vn;
        int r;

        if (!split_kv(s, n, &k, &kn, &v, &vn))
                return keep_line(x, &c->props, &c->n_props, s, n);

        if (gd_memeq(k, kn, "Name"))
                return set_str(&c->name, v, vn);
        if (gd_memeq(k, kn, "Class")) {
                c->class_id = (int)dec_or(v, vn, -1);
                return 0;
        }
        if (gd_memeq(k, kn, "Logical mask")) {
                (void)hex_value(v, vn, &c->logical_mask);
                return 0;
        }
        if (gd_memeq(k, kn, "Width")) {
                c->width = (int)dec_or(v, vn, 0);
                return 0;
        }
        if (gd_memeq(k, kn, "Ref")) {
                c->ref = dec_or(v, vn, -1);
                return 0;
        }
        if (gd_memeq(k, kn, "Timeout")) {
                c->timeout_ms = dec_or(v, vn, -1);
                return 0;
        }
        if (gd_memeq(k, kn, "Timeslice")) {
                c->timeslice_us = dec_or(v, vn, -1);
                return 0;
        }
        if (gd_memeq(k, kn, "Preempt timeout")) {
                c->preempt_timeout_us = dec_or(v, vn, -1);
                return 0;
        }
        if (gd_memeq(k, kn, "HW Context Desc")) {
                /* Parallel queues (Width > 1) print one LRC block per batch: a repeated
                 * descriptor starts the next one. */
                if (c->n_lrcs > 0 && c->width <= 1)
                        gd_diag_add(x->d, GPUDUMP_SEVERITY_WARNING, l->offset, l->line,
                                    "another LRC in a queue of width %d", c->width);
                r = new_lrc(c);
                if (r < 0)
                        return r;
                (void)hex_value(v, vn, &c->lrcs[c->n_lrcs - 1].context_desc);
                return 0;
        }
        static const char *const lrc_keys[] = {
                "HW Ring address", "HW Indirect Ring State", "LRC Head", "LRC Tail", "Ring start",
                "Start seqno", "Seqno", "Timestamp", "Job Timestamp",
        };
        for (size_t i = 0; i < ELEMENTSOF(lrc_keys); i++) {
                if (!gd_memeq(k, kn, lrc_keys[i]))
                        continue;
                r = lrc_for_field(x, &lrc);
                if (r < 0)
                        return r;
                uint64_t h;
                switch (i) {
                case 0:
                        if (hex_value(v, vn, &h))
                                lrc->ring_address = h;
                        break;
                case 1:
                        if (hex_value(v, vn, &h))
                                lrc->indirect_ring_state = h;
                        break;
                case 2:
                        lrc->head = tagged_or_plain(v, vn, "(memory)", -1);
                        break;
                case 3:
                        lrc->tail_internal = tagged(v, vn, "(internal)");
                        lrc->tail_memory = tagged(v, vn, "(memory)");
                        break;
                case 4:
                        lrc->ring_start = tagged_hex(v, vn, "(memory)", UINT64_MAX);
                        if (lrc->ring_start == UINT64_MAX && hex_value(v, vn, &h))
                                lrc->ring_start = h;
                        break;
                case 5:
                        /* Seqnos are printed with %d and start at -127 on a new queue. */
                        lrc->start_seqno = tagged_or_plain(v, vn, "(memory)", GD_SEQNO_NONE);
                        break;
                case 6:
                        lrc->seqno = tagged_or_plain(v, vn, "(memory)", GD_SEQNO_NONE);
                        break;
                case 7:
                        if (hex_value(v, vn, &h))
                                lrc->timestamp = (int64_t)h;
                        break;
                case 8:
                        if (hex_value(v, vn, &h))
                                lrc->job_timestamp = (int64_t)h;
                        break;
                }
                return 0;
        }
        if (gd_memeq(k, kn, "Schedule State")) {
                uint64_t h;
                if (hex_value(v, vn, &h) && h <= INT64_MAX)
                        c->schedule_state = (int64_t)h;
                return 0;
        }
        if (gd_memeq(k, kn, "Flags")) {
                uint64_t h;
                if (hex_value(v, vn, &h) && h <= INT64_MAX)
                        c->flags = (int64_t)h;
                return 0;
        }
        if (gd_memeq(k, kn, "Job")) {
                /* "seqno=4241, fence=1, finished=1" */
                struct gd_job j = {
                        .seqno = tagged_or(v, vn, "seqno=", GD_SEQNO_NONE),
                        .fence_signaled = (int)tagged(v, vn, "fence="),
                        .finished = (int)tagged(v, vn, "finished="),
                };
                return GD_ARRAY_PUSH(c->jobs, c->n_jobs, j);
        }
        return gd_kv_push(&c->props, &c->n_props, NULL, k, kn, v, vn);
}

/* ---- engines ---- */

static const char *engine_class(const char *name, size_t n, size_t *prefix_len) {
        static const struct {
                const char *prefix;
                const char *cls;
        } classes[] = {
                /* gsccs before ccs, vecs before vcs: longest prefix first. */
                { "gsccs", "other" }, { "vecs", "video-enhance" }, { "rcs", "render" },
                { "bcs", "copy" },    { "vcs", "video" },          { "ccs", "compute" },
        };
        for (size_t i = 0; i < ELEMENTSOF(classes); i++)
                if (gd_startswith(name, n, classes[i].prefix)) {
                        *prefix_len = strlen(classes[i].prefix);
                        return classes[i].cls;
                }
        *prefix_len = n;
        return NULL;
}

static int new_engine(struct xe *x, const struct gd_line *l, const char *s, size_t n, const char *phys) {
        struct gd_engine e = { .instance = -1, .logical_instance = -1, .offset = l->offset };
        size_t name_len = (size_t)(phys - s), plen;
        const char *cls;

        e.name = gd_strndup(s, name_len);
        if (!e.name)
                return oom();
        cls = engine_class(s, name_len, &plen);
        if (cls) {
                e.class_name = strdup(cls);
                if (!e.class_name) {
                        free(e.name);
                        return oom();
                }
                e.instance = (int)dec_or(s + plen, name_len - plen, -1);
        }
        const char *li = memmem(s, n, "logical instance=", 17);
        if (li)
                e.logical_instance = (int)dec_or(li + 17, n - (size_t)(li + 17 - s), -1);
        int r = GD_ARRAY_PUSH(x->d->engines, x->d->n_engines, e);
        if (r < 0) {
                free(e.name);
                free(e.class_name);
                return r;
        }
        x->engine = (ssize_t)x->d->n_engines - 1;
        return 0;
}

/* `NAME: 0x<hex>` or `NAME[n]: 0x<hex>`: a register. */
static bool parse_reg(const char *s, size_t n, size_t *name_len, uint64_t *value, unsigned *width) {
        size_t i = 0;

        while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
                         (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
                i++;
        if (i == 0)
                return false;
        if (i < n && s[i] == '[') {
                size_t j = i + 1;
                while (j < n && s[j] >= '0' && s[j] <= '9')
                        j++;
                if (j == i + 1 || j >= n || s[j] != ']')
                        return false;
                i = j + 1;
        }
        *name_len = i;
        /* v6.8 pads with spaces after the colon ("RING_HEAD:  0x...") and prints 64-bit values
         * as "0x%08x_%08x". */
        if (n - i < 2 || s[i] != ':' || s[i + 1] != ' ')
                return false;
        i += 2;
        while (i < n && s[i] == ' ')
                i++;
        if (n - i < 3 || s[i] != '0' || s[i + 1] != 'x')
                return false;
        i += 2;
        uint64_t v = 0;
        int digits = 0;
        for (; i < n; i++) {
                char c = s[i];
                int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (c == '_' && digits > 0 && i + 1 < n)
                        continue;
                if (h < 0 || digits >= 16)
                        return false;
                v = v << 4 | (unsigned)h;
                digits++;
        }
        if (digits == 0)
                return false;
        *value = v;
        *width = digits > 8 ? 64 : 32;
        return true;
}

static bool ends_with(const char *s, const char *suffix) {
        size_t n = strlen(s), m = strlen(suffix);
        return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Legacy split registers: NAME_LO + NAME_HI (either order) and NAME + NAME_UDW become one 64-bit
 * NAME, as newer kernels print them. */
static bool merge_split(struct gd_engine *e, struct gd_reg *reg) {
        static const struct {
                const char *self, *other;
                bool self_high;
        } pairs[] = {
                { "_HI", "_LO", true },
                { "_LO", "_HI", false },
                { "_UDW", "", true },
        };
        char want[160];

        if (reg->width != 32)
                return false;
        for (size_t p = 0; p < ELEMENTSOF(pairs); p++) {
                if (!ends_with(reg->name, pairs[p].self))
                        continue;
                size_t base = strlen(reg->name) - strlen(pairs[p].self);
                if (base == 0 || base + 8 > sizeof(want))
                        continue;
                snprintf(want, sizeof(want), "%.*s%s", (int)base, reg->name, pairs[p].other);
                /* The partner is printed right before: look back a little only. */
                for (size_t i = e->n_regs, k = 0; i-- > 0 && k < 4; k++) {
                        struct gd_reg *o = &e->regs[i];
                        if (o->width != 32 || strcmp(o->name, want) != 0)
                                continue;
                        uint64_t hi = pairs[p].self_high ? reg->value : o->value;
                        uint64_t lo = pairs[p].self_high ? o->value : reg->value;
                        o->name[base] = 0; /* "RING_START_LO" -> "RING_START"; "RING_START" stays */
                        o->value = hi << 32 | lo;
                        o->width = 64;
                        return true;
                }
        }
        return false;
}

static int engine_line(struct xe *x, const char *s, size_t n) {
        struct gd_engine *e = &x->d->engines[x->engine];
        const char *k, *v;
        size_t kn, vn, name_len;
        uint64_t value;
        unsigned width;

        if (parse_reg(s, n, &name_len, &value, &width)) {
                struct gd_reg reg = { .value = value, .width = width, .offset = (uint64_t)((const uint8_t *)s - x->d->data) };
                reg.name = gd_strndup(s, name_len);
                if (!reg.name)
                        return oom();
                if (merge_split(e, &reg)) {
                        free(reg.name);
                        return 0;
                }
                int r = GD_ARRAY_PUSH(e->regs, e->n_regs, reg);
                if (r < 0)
                        free(reg.name);
                return r;
        }
        if (!split_kv(s, n, &k, &kn, &v, &vn))
                return keep_line(x, &e->props, &e->n_props, s, n);
        if (gd_memeq(k, kn, "Capture_source"))
                return set_str(&e->capture_source, v, vn);
        if (gd_memeq(k, kn, "Coverage"))
                return set_str(&e->coverage, v, vn);
        if (gd_memeq(k, kn, "Reserved")) {
                e->reserved = gd_startswith(v, vn, "yes");
                return 0;
        }
        return gd_kv_push(&e->props, &e->n_props, NULL, k, kn, v, vn);
}

/* ---- the pass ---- */

static int handle_line(struct xe *x, const struct gd_line *l) {
        struct gpudump_dump *d = x->d;
        const char *s = (const char *)l->p;
        size_t n = l->len, tabs;
        int r;

        if (n == 0) {
                /* Blank lines separate objects: an engine ends with one. */
                x->engine = -1;
                x->gt = -1;
                return 0;
        }
        if (n >= 10 && gd_startswith(s, n, "**** ") && memcmp(s + n - 5, " ****", 5) == 0)
                return start_section(x, s + 5, n - 10);

        tabs = skip_tabs(&s, &n);

        /* "Size not word aligned: %zu" / "Offset not word aligned: %zu" have no newline and sit
         * in front of the blob line the helper prints next. */
        for (;;) {
                const char *tag = gd_startswith(s, n, "Size not word aligned: ")     ? "Size not word aligned: "
                                  : gd_startswith(s, n, "Offset not word aligned: ") ? "Offset not word aligned: "
                                                                                     : NULL;
                if (!tag)
                        break;
                size_t tl = strlen(tag), i = tl;
                while (i < n && s[i] >= '0' && s[i] <= '9')
                        i++;
                gd_diag_add(d, GPUDUMP_SEVERITY_WARNING, l->offset + (uint64_t)(s - (const char *)l->p), l->line,
                            "%.*s", (int)(i < 60 ? i : 60), s);
                s += i;
                n -= i;
        }
        if (n == 0)
                return 0;

        r = blob_line(x, l, s, n);
        if (r != 0)
                return r < 0 ? r : 0;
        if (gd_startswith(s, n, "Log data: ") || gd_memeq(s, n, "Log data:"))
                return legacy_blob(x, l, "LOG", s + 10 > s + n ? s + n : s + 10, n >= 10 ? n - 10 : 0);
        if (gd_startswith(s, n, "CTB data: ") || gd_memeq(s, n, "CTB data:"))
                return legacy_blob(x, l, "CTB", s + 10 > s + n ? s + n : s + 10, n >= 10 ? n - 10 : 0);

        /* A queue block: under `**** Contexts ****`, or (before ~v6.14) straight after the CT. */
        if (tabs == 0 && gd_startswith(s, n, "GuC ID:") && x->sec != SEC_HW_ENGINES && x->sec != SEC_VM_STATE) {
                if (x->sec != SEC_CONTEXTS) {
                        free(x->sec_title);
                        x->sec_title = strdup("Contexts");
                        if (!x->sec_title)
                                return oom();
                        x->sec = SEC_CONTEXTS;
                }
                end_objects(x);
                return new_context(x, s + 7, n - 7);
        }

        switch (x->sec) {
        case SEC_HEADER:
                return header_line(x, s, n, tabs);
        case SEC_GUC_CT:
                return ct_line(x, s, n, tabs);
        case SEC_CONTEXTS:
                if (x->ctx >= 0 && tabs > 0)
                        return context_line(x, l, s, n);
                break;
        case SEC_JOB:
                if (gd_startswith(s, n, "batch_addr[")) {
                        const char *c = memchr(s, ':', n);
                        uint64_t va;
                        if (c && hex_value(c + 1, n - (size_t)(c + 1 - s), &va))
                                return GD_ARRAY_PUSH(d->batch_addrs, d->n_batch_addrs, va);
                        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, l->offset, l->line, "bad batch_addr line");
                        return 0;
                }
                break;
        case SEC_HW_ENGINES:
                if (tabs == 0) {
                        const char *phys = memmem(s, n, " (physical)", 11);
                        if (phys)
                                return new_engine(x, l, s, n, phys);
                }
                if (x->engine < 0 && tabs > 0 && d->n_engines > 0) {
                        /* v6.8 prints compute engines' RCU_MODE after the blank line that
                         * ends the engine: it still belongs to that engine. */
                        x->engine = (ssize_t)d->n_engines - 1;
                        r = engine_line(x, s, n);
                        x->engine = -1;
                        return r;
                }
                if (x->engine >= 0 && tabs > 0)
                        return engine_line(x, s, n);
                break;
        default:
                break;
        }
        /* Anything else: keep it, so nothing the kernel printed is lost. */
        if (tabs == 0)
                x->gt = -1;
        {
                const char *k, *v;
                size_t kn, vn;
                if (split_kv(s, n, &k, &kn, &v, &vn))
                        return keep_kv(x, tabs > 0 && x->sec == SEC_GUC_CT ? x->ct_side : NULL, k, kn, v, vn);
                return gd_kv_push(&d->kvs, &d->n_kvs, x->sec_title, s, n, NULL, 0);
        }
}

/* The dump may be embedded (dmesg, mail): find its title line and learn the prefix before it. */
static bool find_start(struct xe *x) {
        struct gd_line l;

        while (gd_lines_next(&x->lines, &l)) {
                const uint8_t *m = memmem(l.p, l.len, XE_MAGIC, strlen(XE_MAGIC));
                if (!m)
                        continue;
                x->lines.prefix.pat = l.p;
                x->lines.prefix.len = (size_t)(m - l.p);
                /* A UTF-8 byte order mark belongs to the file, not to every line. */
                if (x->lines.prefix.len >= 3 && memcmp(l.p, "\xef\xbb\xbf", 3) == 0) {
                        x->lines.prefix.pat += 3;
                        x->lines.prefix.len -= 3;
                }
                x->last_offset = l.offset;
                x->last_line = l.line;
                if (x->lines.prefix.len > 0)
                        gd_diag_add(x->d, GPUDUMP_SEVERITY_INFO, l.offset, l.line,
                                    "dump embedded in other text; stripping the %zu-byte line prefix",
                                    x->lines.prefix.len);
                return true;
        }
        return false;
}

static void check_end(struct xe *x, const struct gd_line *last) {
        struct gpudump_dump *d = x->d;
        const char *where = NULL;

        if (last && !last->newline) {
                d->truncated = true;
                gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, d->size, last->line,
                            "input ends inside line %llu (no newline), section '%s'",
                            (unsigned long long)last->line, x->sec_title ? x->sec_title : "?");
                return;
        }
        if (x->pend.active)
                where = "a [.length] record without its data";
        else if (x->sec == SEC_HW_ENGINES && x->engine >= 0)
                where = "an engine block";
        else if (x->sec == SEC_VM_STATE && !x->vm_has_entries)
                where = "the VM state section (no range and no status)";
        else if (x->expect_vm && x->sec != SEC_VM_STATE && x->sec != SEC_UNKNOWN)
                where = "the dump before its VM state section";
        else if (!x->expect_vm && x->sec != SEC_HW_ENGINES && x->sec != SEC_VM_STATE && x->sec != SEC_UNKNOWN)
                where = "the dump before its HW Engines section";
        if (!where)
                return;
        d->truncated = true;
        gd_diag_add(d, GPUDUMP_SEVERITY_ERROR, d->size, x->last_line,
                    "input ends inside %s (after line %llu, section '%s')", where,
                    (unsigned long long)x->last_line, x->sec_title ? x->sec_title : "?");
}

int gd_parse_xe(struct gpudump_dump *d) {
        struct xe x = { .d = d, .sec = SEC_HEADER, .gt = -1, .ctx = -1, .engine = -1 };
        struct gd_line l, last = {};
        bool have_last = false;
        int r = 0;

        gd_lines_init(&x.lines, &d->input, 0);
        /* Blobs handed to the hash pool are read again soon: their reader releases them. */
        x.lines.hold = d->hash_pool != NULL;
        if (!find_start(&x))
                return 0; /* detection saw the title but it is gone: leave the format unknown */
        d->format = GPUDUMP_FORMAT_XE;
        x.sec_title = strdup("Xe Device Coredump");
        if (!x.sec_title)
                return -ENOMEM;
        x.seen_magic = true;
        last = (struct gd_line){ .newline = true };

        while (gd_lines_next(&x.lines, &l)) {
                if (l.foreign)
                        continue;
                last = l;
                have_last = true;
                x.last_offset = l.offset;
                x.last_line = l.line;
                r = handle_line(&x, &l);
                if (r < 0)
                        break;
                /* add_continuations() may have consumed lines; the last one decides truncation. */
                if (x.last_line != l.line) {
                        last.newline = x.lines.pos <= d->size &&
                                       (x.lines.pos > 0 && d->data[x.lines.pos - 1] == '\n');
                        last.line = x.last_line;
                        last.offset = x.last_offset;
                        last.len = 0;
                }
        }
        if (r >= 0) {
                check_end(&x, have_last ? &last : NULL);
                r = flush_pending(&x, "the input ended");
        }
        free(x.sec_title);
        gd_input_release(&d->input, x.lines.released, d->size, true);
        return r;
}

static enum gd_detect detect(const uint8_t *p, size_t n) {
        if (gd_startswith(p, n, XE_MAGIC))
                return GD_DETECT_YES;
        /* Embedded xe dump (a saved dmesg, a mail): the title anywhere in the first 16 MiB, after
         * a prefix on its line. Bounded so that a huge non-dump is not read twice. */
        size_t window = n < (16u << 20) ? n : (16u << 20);
        if (memmem(p, window, XE_MAGIC, strlen(XE_MAGIC)))
                return GD_DETECT_EMBEDDED;
        return GD_DETECT_NO;
}

const struct gd_format gd_format_xe = {
        .format = GPUDUMP_FORMAT_XE,
        .name = "xe",
        .detect = detect,
        .parse = gd_parse_xe,
};
