/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the libgpudump core: ascii85, the tokenizer (huge and wrapped lines, dmesg and
 * mail prefixes), the xe parser on the reference example rebuilt by dumpgen.c, compressed input
 * (whole-file zstd and the reference driver's `.zstd:` blobs), fd input from a pipe, truncation
 * at every byte, damaged blobs and unknown input.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>


#if defined(__SANITIZE_ADDRESS__)
#  define GD_TEST_ASAN 1
#elif defined(__has_feature)
#  if __has_feature(address_sanitizer)
#    define GD_TEST_ASAN 1
#  endif
#endif

#ifdef GD_TEST_ASAN
/* Under ASan an allocation above 512 MiB fails instead of succeeding, so huge_declared_length
 * still catches a buffer sized by a claimed length. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
        return "max_allocation_size_mb=512:allocator_may_return_null=1";
}
#endif

#include "dumpgen.h"
#include "gd-string.h"
#include "gpudump.h"
#include "input.h"
#include "model.h"

static struct gpudump_dump *open_text(const char *text, size_t len, unsigned flags) {
        struct gpudump_dump *d = NULL;
        int r = gpudump_dump_new_from_memory(text, len, flags, &d);
        ck_assert_int_eq(r, 0);
        ck_assert_ptr_nonnull(d);
        return d;
}

static struct gpudump_dump *open_gen(const struct dumpgen_opts *o) {
        size_t len;
        char *t = dumpgen_xe(o, &len);
        struct gpudump_dump *d = open_text(t, len, GPUDUMP_OPEN_NO_ANALYSIS);
        free(t);
        return d;
}

static bool has_diag(struct gpudump_dump *d, enum gpudump_severity sev, const char *needle,
                     uint64_t *ret_offset) {
        for (size_t i = 0; i < gpudump_dump_get_n_diagnostics(d); i++) {
                enum gpudump_severity s;
                uint64_t off, line;
                const char *msg;
                ck_assert_int_eq(gpudump_dump_get_diagnostic(d, i, &s, &off, &line, &msg), 0);
                if (s == sev && strstr(msg, needle)) {
                        if (ret_offset)
                                *ret_offset = off;
                        return true;
                }
        }
        return false;
}

static size_t count_errors(struct gpudump_dump *d) {
        size_t n = 0;
        for (size_t i = 0; i < gpudump_dump_get_n_diagnostics(d); i++) {
                enum gpudump_severity s;
                ck_assert_int_eq(gpudump_dump_get_diagnostic(d, i, &s, NULL, NULL, NULL), 0);
                n += s == GPUDUMP_SEVERITY_ERROR;
        }
        return n;
}

/* ---- lib/shared string helpers ---- */

START_TEST(string_helpers) {
        uint64_t h;
        int64_t v;
        size_t used;
        ck_assert_int_eq(gd_parse_hex("0x1a0000000", 11, &h), 9);
        ck_assert_uint_eq(h, 0x1a0000000ull);
        ck_assert_int_eq(gd_parse_hex("ffffffffffffffff", 16, &h), 16);
        ck_assert_uint_eq(h, UINT64_MAX);
        ck_assert_int_eq(gd_parse_hex("1ffffffffffffffff", 17, &h), -1); /* 65 bits */
        ck_assert_int_eq(gd_parse_hex("00000000000000000001", 20, &h), 20); /* zeros do not overflow */
        ck_assert_uint_eq(h, 1);
        ck_assert_int_eq(gd_parse_hex("0x", 2, &h), -1);
        ck_assert_int_eq(gd_parse_hex("12g", 3, &h), -1);
        ck_assert_int_eq(gd_parse_dec("-127", 4, &v), 3);
        ck_assert_int_eq(v, -127);
        ck_assert_int_eq(gd_parse_dec("9223372036854775807", 19, &v), 19);
        ck_assert_int_eq(gd_parse_dec("9223372036854775808", 19, &v), -1);
        ck_assert_int_eq(gd_parse_dec("-9223372036854775808", 20, &v), 19);
        ck_assert_int_eq(v, INT64_MIN);
        ck_assert_int_eq(gd_parse_dec("", 0, &v), -1);
        ck_assert_int_eq(gd_parse_dec_prefix("560 (ms)", 8, &v, &used), 3);
        ck_assert_uint_eq(used, 3);
        ck_assert(gd_startswith("GuC ID: 1", 9, "GuC ID:"));
        ck_assert(!gd_startswith("GuC", 3, "GuC ID:"));
        const char *t = " \tx y\t ";
        size_t n = strlen(t);
        gd_trim(&t, &n);
        ck_assert_uint_eq(n, 3);
        ck_assert_int_eq(memcmp(t, "x y", 3), 0);
        char *c = gd_strndup("abcdef", 3);
        ck_assert_str_eq(c, "abc");
        free(c);
}
END_TEST

/* ---- ascii85 ---- */

static uint32_t a85_one(const char *s, int *ret) {
        struct gd_a85 st = {};
        uint8_t out[64];
        uint64_t bad = 0;
        const char *why = NULL;
        ssize_t n = gd_a85_decode(&st, (const uint8_t *)s, strlen(s), 0, out, &bad, &why);
        *ret = (int)n;
        if (n < 4)
                return 0xdeadbeef;
        return (uint32_t)out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16 | (uint32_t)out[3] << 24;
}

START_TEST(a85_values) {
        int r;
        ck_assert_uint_eq(a85_one("z", &r), 0);
        ck_assert_int_eq(r, 4);
        ck_assert_uint_eq(a85_one("!!!!!", &r), 0);
        ck_assert_int_eq(r, 4);
        ck_assert_uint_eq(a85_one("!!!!\"", &r), 1);
        ck_assert_uint_eq(a85_one("s8W-!", &r), 0xffffffffu);
        ck_assert_int_eq(r, 4);
        ck_assert_uint_eq(a85_one("\"TSN&", &r), 0x05000000u);
        ck_assert_uint_eq(a85_one("%KO9G", &r), 0x0e00c002u);
        ck_assert_uint_eq(a85_one("5C`_6", &r), 0x3f800000u);
        ck_assert_uint_eq(a85_one("b.FY8", &r), 0xcabba9e6u);
        /* Little-endian byte order in the output. */
        struct gd_a85 st = {};
        uint8_t out[16];
        uint64_t bad;
        const char *why;
        ck_assert_int_eq(gd_a85_decode(&st, (const uint8_t *)"%KO9Gz", 6, 0, out, &bad, &why), 8);
        ck_assert_uint_eq(out[0], 0x02);
        ck_assert_uint_eq(out[3], 0x0e);
        ck_assert_uint_eq(out[4] | out[5] | out[6] | out[7], 0);
}
END_TEST

START_TEST(a85_errors) {
        struct gd_a85 st = {};
        uint8_t out[64];
        uint64_t bad = 0;
        const char *why = NULL;

        /* Bad character: the offset names it (base offset 1000 + index 7). */
        ck_assert_int_eq(gd_a85_decode(&st, (const uint8_t *)"zz!!!!!~!!!!", 12, 1000, out, &bad, &why), -EBADMSG);
        ck_assert_uint_eq(bad, 1007);
        ck_assert_ptr_nonnull(strstr(why, "invalid"));
        /* Characters past 'u' (other than z) and below '!' are invalid. */
        st = (struct gd_a85){};
        ck_assert_int_eq(gd_a85_decode(&st, (const uint8_t *)"!!v!!", 5, 0, out, &bad, &why), -EBADMSG);
        ck_assert_uint_eq(bad, 2);
        st = (struct gd_a85){};
        ck_assert_int_eq(gd_a85_decode(&st, (const uint8_t *)"z z", 3, 0, out, &bad, &why), -EBADMSG);
        ck_assert_uint_eq(bad, 1);
        /* Value overflow: s8W-" is 0xffffffff + 1; the offset is the group's first character. */
        st = (struct gd_a85){};
        ck_assert_int_eq(gd_a85_decode(&st, (const uint8_t *)"zs8W-\"", 6, 50, out, &bad, &why), -EBADMSG);
        ck_assert_uint_eq(bad, 51);
        ck_assert_ptr_nonnull(strstr(why, "exceeds"));
        st = (struct gd_a85){};
        ck_assert_int_eq(gd_a85_decode(&st, (const uint8_t *)"uuuuu", 5, 0, out, &bad, &why), -EBADMSG);
        /* 'z' inside a group. */
        st = (struct gd_a85){};
        ck_assert_int_eq(gd_a85_decode(&st, (const uint8_t *)"!!z!!", 5, 0, out, &bad, &why), -EBADMSG);
        ck_assert_uint_eq(bad, 2);
}
END_TEST

START_TEST(a85_partial_groups) {
        struct gd_a85 st = {};
        uint8_t out[64];
        uint64_t bad;
        const char *why;

        /* A group split across two spans (wrapped lines) decodes as one word. */
        ck_assert_int_eq(gd_a85_decode(&st, (const uint8_t *)"zs8W", 4, 0, out, &bad, &why), 4);
        ck_assert_uint_eq(st.n, 3);
        ck_assert_int_eq(gd_a85_decode(&st, (const uint8_t *)"-!z", 3, 10, out, &bad, &why), 8);
        ck_assert_uint_eq(out[0] & out[1] & out[2] & out[3], 0xff);
        ck_assert_uint_eq(st.n, 0);

        /* A blob that ends inside a group is an error naming where the group starts. */
        const char *text = "**** Xe Device Coredump ****\n**** VM state ****\n"
                           "[1000].length: 0x8\n[1000].data: zs8W\n";
        struct gpudump_dump *d = open_text(text, strlen(text), GPUDUMP_OPEN_NO_ANALYSIS);
        void *data = NULL;
        size_t size = 0;
        ck_assert_uint_eq(gpudump_dump_get_n_vmas(d), 1);
        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_get_vma(d, 0), &data, &size), -EBADMSG);
        uint64_t off = 0;
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_ERROR, "inside an ascii85 group", &off));
        ck_assert_uint_eq(off, (uint64_t)(strstr(text, "s8W") - text));
        gpudump_dump_unref(d);
}
END_TEST

static void sha256_hex(const void *p, size_t n, char hex[65]) {
        unsigned char md[32];
        unsigned l = 0;
        EVP_Digest(p, n, md, &l, EVP_sha256(), NULL);
        for (int i = 0; i < 32; i++)
                sprintf(hex + 2 * i, "%02x", md[i]);
}

/* ---- the xe example ---- */

static void check_example(struct gpudump_dump *d, bool vxe) {
        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_XE);
        ck_assert_str_eq(gpudump_dump_get_reason(d), "Timedout job - seqno=4242, lrc_seqno=4242, guc_id=17, flags=0x0");
        ck_assert_str_eq(gpudump_dump_get_kernel(d), "6.16.0-xe-synthetic");
        ck_assert_str_eq(gpudump_dump_get_driver(d), vxe ? "vxe" : "xe");
        ck_assert_str_eq(gpudump_dump_get_process_name(d), "vkcube");
        ck_assert_int_eq(gpudump_dump_get_process_pid(d), 4321);
        ck_assert_int_eq(gpudump_dump_get_pci_id(d), 0x64a0);
        ck_assert_int_eq(gpudump_dump_get_pci_revision(d), 4);
        ck_assert(!d->truncated);
        ck_assert_uint_eq(count_errors(d), 0);
        ck_assert_uint_eq(d->n_gts, 2);
        ck_assert_str_eq(d->gts[1].type, "media");
        ck_assert_str_eq(d->gts[1].ip_version, "20.0.4");
        ck_assert_uint_eq(d->gts[0].cs_reference_clock, 19200000);
        ck_assert_str_eq(d->snapshot_time, "1760433512.418203551");
        ck_assert_str_eq(d->uptime, "5234.771204883");

        /* Context, LRC, jobs. */
        ck_assert_uint_eq(gpudump_dump_get_n_contexts(d), 1);
        struct gpudump_context *c = gpudump_dump_get_context(d, 0);
        ck_assert_int_eq(gpudump_context_get_guc_id(c), 17);
        int64_t seqno;
        ck_assert_int_eq(gpudump_context_get_seqno(c, &seqno), 0);
        ck_assert_int_eq(seqno, 4241);
        ck_assert_int_eq(gpudump_context_get_start_seqno(c, &seqno), 0);
        ck_assert_int_eq(seqno, 4242);
        ck_assert_uint_eq(gpudump_context_get_n_jobs(c), 3);
        int fence, finished;
        ck_assert_int_eq(gpudump_context_get_job(c, 1, &seqno, &fence, &finished), 0);
        ck_assert_int_eq(seqno, 4242);
        ck_assert_int_eq(fence, 0);
        ck_assert_int_eq(finished, 0);
        ck_assert_int_eq(gpudump_context_get_job(c, 3, NULL, NULL, NULL), -ERANGE);
        const struct gd_context *mc = &d->contexts[0];
        ck_assert_str_eq(mc->name, "ccs17");
        ck_assert_int_eq(mc->class_id, 5);
        ck_assert_uint_eq(mc->logical_mask, 3);
        ck_assert_int_eq(mc->schedule_state, 0x201);
        ck_assert_int_eq(mc->timeout_ms, 5000);
        ck_assert_uint_eq(mc->n_lrcs, 1);
        ck_assert_uint_eq(mc->lrcs[0].context_desc, 0xfe4000);
        ck_assert_int_eq(mc->lrcs[0].head, 560);
        ck_assert_int_eq(mc->lrcs[0].tail_internal, 640);
        ck_assert_uint_eq(mc->lrcs[0].ring_start, 0xfe0000);
        ck_assert_int_eq(mc->lrcs[0].job_timestamp, 0x0a3a1f00);

        /* HWSP holds the seqno at byte 512. */
        void *data = NULL;
        size_t size = 0;
        ck_assert_int_eq(gpudump_dump_read_blob(d, "HWSP", &data, &size), 0);
        ck_assert_uint_eq(size, 4096);
        uint32_t w;
        memcpy(&w, (uint8_t *)data + 512, 4);
        ck_assert_uint_eq(w, 4241);
        free(data);
        ck_assert_int_eq(gpudump_dump_read_blob(d, "HWCTX", &data, &size), 0);
        ck_assert_uint_eq(size, 256);
        free(data);
        ck_assert_int_eq(gpudump_dump_read_blob(d, "CTB", &data, &size), 0);
        ck_assert_uint_eq(size, 64);
        free(data);
        ck_assert_int_eq(gpudump_dump_read_blob(d, "LOG", &data, &size), 0);
        ck_assert_uint_eq(size, 64);
        memcpy(&w, data, 4);
        ck_assert_uint_eq(w, 0xcabba9e6);
        free(data);
        ck_assert_int_eq(gpudump_dump_read_blob(d, "nope", &data, &size), -ENOENT);

        /* Job and engines. */
        ck_assert_uint_eq(d->n_batch_addrs, 1);
        ck_assert_uint_eq(d->batch_addrs[0], 0x1a0000000ull);
        ck_assert_uint_eq(gpudump_dump_get_n_engines(d), 2);
        struct gpudump_engine *e = gpudump_dump_get_engine(d, 0);
        ck_assert_str_eq(gpudump_engine_get_name(e), "ccs0");
        ck_assert_str_eq(gpudump_engine_get_class(e), "compute");
        ck_assert_int_eq(gpudump_engine_get_instance(e), 0);
        ck_assert_str_eq(d->engines[0].capture_source, "GuC");
        ck_assert_str_eq(d->engines[1].capture_source, "Manual");
        uint64_t v;
        ck_assert_int_eq(gpudump_engine_find_register(e, "RING_HEAD", &v), 0);
        ck_assert_uint_eq(v, 0x230);
        ck_assert_int_eq(gpudump_engine_find_register(e, "SC_INSTDONE[1]", &v), 0);
        ck_assert_uint_eq(v, 0xfffffff1u);
        ck_assert_int_eq(gpudump_engine_find_register(e, "NOPE", &v), -ENOENT);
        const char *name;
        unsigned width;
        ck_assert_int_eq(gpudump_engine_get_register(e, 0, &name, &v, &width), 0);
        ck_assert_str_eq(name, "FORCEWAKE_GT"); /* dump order */
        ck_assert_uint_eq(width, 32);
        for (size_t i = 0; i < gpudump_engine_get_n_registers(e); i++) {
                ck_assert_int_eq(gpudump_engine_get_register(e, i, &name, &v, &width), 0);
                if (strcmp(name, "ACTHD") == 0) {
                        ck_assert_uint_eq(width, 64);
                        ck_assert_uint_eq(v, 0x1a0000000ull);
                }
        }
        ck_assert_int_eq(gpudump_engine_get_register(e, 999, NULL, NULL, NULL), -ERANGE);

        /* VMs: two ranges with contents, one the kernel could not capture. */
        ck_assert_uint_ge(gpudump_dump_get_n_vmas(d), 3);
        struct gpudump_vma *vma = gpudump_dump_find_vma(d, 0x1a0000000ull);
        ck_assert_ptr_nonnull(vma);
        ck_assert_uint_eq(gpudump_vma_get_length(vma), 4096);
        ck_assert_int_eq(d->vmas[0].blob.encoding, vxe ? GD_ENC_A85_ZSTD : GD_ENC_A85);
        ck_assert_int_eq(gpudump_vma_read(vma, &data, &size), 0);
        ck_assert_uint_eq(size, 4096);
        ck_assert_mem_eq(data, dumpgen_batch_words, sizeof(dumpgen_batch_words));
        free(data);
        uint32_t words[3];
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x1a0000008ull, words, sizeof(words)), 0);
        ck_assert_uint_eq(words[0], 0xb0000040u);
        ck_assert_uint_eq(words[2], 0x05000000u);
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x1b0000040ull, words, 8), 0);
        ck_assert_uint_eq(words[0], 0);
        ck_assert_uint_eq(words[1], 0xffffffffu);
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x1a0000ffcull, words, 8), -ENOENT); /* gap after */
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x100ull, words, 4), -ENOENT);
        struct gpudump_vma *bad = gpudump_dump_find_vma(d, 0x1c0000000ull);
        ck_assert_ptr_nonnull(bad);
        ck_assert_int_eq(gpudump_vma_get_error(bad), -14);
        ck_assert_int_eq(gpudump_vma_read(bad, &data, &size), -ENODATA);
        ck_assert_ptr_null(gpudump_dump_find_vma(d, 0x1a0000004ull));

        char *json = NULL;
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        ck_assert_ptr_nonnull(strstr(json, "\"RING_HEAD\":\"0x230\""));
        ck_assert_ptr_nonnull(strstr(json, "\"pci_id\":\"0x64a0\""));
        ck_assert_ptr_nonnull(strstr(json, "\"address\":\"0x1a0000000\""));
        ck_assert_ptr_nonnull(strstr(json, "\"error\":-14"));
        free(json);
}

START_TEST(xe_example) {
        struct dumpgen_opts o = {};
        struct gpudump_dump *d = open_gen(&o);
        check_example(d, false);
        ck_assert_uint_eq(gpudump_dump_get_n_diagnostics(d), 0);
        gpudump_dump_unref(d);
}
END_TEST

START_TEST(xe_dmesg_prefix) {
        struct dumpgen_opts o = { .prefix = DUMPGEN_PREFIX_DMESG };
        struct gpudump_dump *d = open_gen(&o);
        check_example(d, false);
        /* Spans hold only ascii85: the first span of the LOG starts right after ".data: ". */
        const struct gd_blob *log = &d->blobs[0];
        ck_assert_str_eq(log->name, "LOG");
        ck_assert_int_eq(memcmp(d->data + log->spans[0].offset, "b.FY8", 5), 0);
        gpudump_dump_unref(d);
}
END_TEST

START_TEST(xe_mail_prefix) {
        struct dumpgen_opts o = { .prefix = DUMPGEN_PREFIX_MAIL };
        struct gpudump_dump *d = open_gen(&o);
        check_example(d, false);
        gpudump_dump_unref(d);
}
END_TEST

START_TEST(xe_bom_crlf) {
        /* Editors add a byte order mark and CRLF line ends: neither is part of the dump. */
        struct dumpgen_opts o = {};
        size_t len;
        char *t = dumpgen_xe(&o, &len);
        char *u = malloc(2 * len + 4), *w = u;
        memcpy(w, "\xef\xbb\xbf", 3);
        w += 3;
        for (size_t i = 0; i < len; i++) {
                if (t[i] == '\n')
                        *w++ = '\r';
                *w++ = t[i];
        }
        struct gpudump_dump *d = open_text(u, (size_t)(w - u), GPUDUMP_OPEN_NO_ANALYSIS);
        check_example(d, false);
        gpudump_dump_unref(d);
        free(u);
        free(t);
}
END_TEST

START_TEST(embedded_dumps) {
        /* Two dumps in a post: each reachable by index, from the same input, with its lines. */
        struct dumpgen_opts o = {};
        size_t len;
        char *t = dumpgen_xe(&o, &len);
        size_t cap = 2 * len + 256, n = 0;
        char *post = malloc(cap);
        uint64_t a0, b0, a1, b1;
        struct gpudump_dump *d, *second, *again, *bare;

        ck_assert_ptr_nonnull(post);
        n += (size_t)snprintf(post + n, cap - n, "Two hangs today.\n\n```\n");
        memcpy(post + n, t, len);
        n += len;
        n += (size_t)snprintf(post + n, cap - n, "```\n\nAnd again tonight.\n\n```\n");
        memcpy(post + n, t, len);
        n += len;
        n += (size_t)snprintf(post + n, cap - n, "```\n");

        d = open_text(post, n, GPUDUMP_OPEN_NO_ANALYSIS);
        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_XE);
        ck_assert_uint_eq(gpudump_dump_get_n_embedded(d), 2);
        ck_assert_uint_eq(gpudump_dump_get_embedded_index(d), 0);
        ck_assert_int_eq(gpudump_dump_get_embedded_lines(d, 0, &a0, &b0), 0);
        ck_assert_int_eq(gpudump_dump_get_embedded_lines(d, 1, &a1, &b1), 0);
        ck_assert_uint_eq(a0, 4);
        ck_assert_uint_lt(b0, a1);
        ck_assert_int_eq(gpudump_dump_get_embedded_lines(d, 2, NULL, NULL), -ERANGE);
        ck_assert_int_eq(gpudump_dump_new_embedded(d, 2, 0, &second), -ERANGE);

        ck_assert_int_eq(gpudump_dump_new_embedded(d, 1, GPUDUMP_OPEN_NO_ANALYSIS, &second), 0);
        ck_assert_uint_eq(gpudump_dump_get_embedded_index(second), 1);
        ck_assert_str_eq(gpudump_dump_get_signature(second), gpudump_dump_get_signature(d));
        ck_assert_uint_eq(gpudump_dump_get_n_vmas(second), gpudump_dump_get_n_vmas(d));
        /* The new dump keeps the input alive: drop the first one before reading it. */
        gpudump_dump_unref(d);
        free(post);
        uint32_t w;
        ck_assert_int_eq(gpudump_dump_read_va(second, 0x1a0000000ull, &w, sizeof(w)), 0);
        ck_assert_uint_eq(w, dumpgen_batch_words[0]);
        /* Opened from a dump that was itself opened by index: the same input. */
        ck_assert_int_eq(gpudump_dump_new_embedded(second, 0, GPUDUMP_OPEN_NO_ANALYSIS, &again), 0);
        ck_assert_uint_eq(gpudump_dump_get_embedded_index(again), 0);
        gpudump_dump_unref(second);
        gpudump_dump_unref(again);

        /* A bare dump is one dump, in place, and has no source object. */
        bare = open_text(t, len, GPUDUMP_OPEN_NO_ANALYSIS);
        ck_assert_uint_eq(gpudump_dump_get_n_embedded(bare), 1);
        char *json = NULL;
        ck_assert_int_eq(gpudump_dump_to_json(bare, GPUDUMP_JSON_NO_SHA256, &json), 0);
        ck_assert_ptr_null(strstr(json, "\"source\""));
        free(json);
        gpudump_dump_unref(bare);
        /* Text holding no dump holds zero. */
        bare = open_text("Hello, world.\n", 14, 0);
        ck_assert_uint_eq(gpudump_dump_get_n_embedded(bare), 0);
        ck_assert_int_eq(gpudump_dump_new_embedded(bare, 0, 0, &again), -ERANGE);
        gpudump_dump_unref(bare);
        free(t);
}
END_TEST

START_TEST(embedded_diag_lines) {
        /* A damaged dump in a mail: its diagnostic names the mail's line, not the cleaned copy's. */
        static const char mail[] =
                "From: a@example.org\nSubject: hang\n\nHi,\n\n"
                "**** Xe Device Coredump ****\nkernel: 6.16.0\nmodule: xe\n\n"
                "**** VM state ****\nVM.uapi_flags: 0x1\n[1a0000000].length: 0x8\n[1a0000000].data: z!!!\n";
        struct gpudump_dump *d = open_text(mail, sizeof(mail) - 1, GPUDUMP_OPEN_NO_ANALYSIS);
        void *data = NULL;
        size_t size = 0;
        uint64_t line = 0, offset = 0;
        const char *msg = NULL;
        bool found = false;

        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_XE);
        (void)gpudump_vma_read(gpudump_dump_get_vma(d, 0), &data, &size);
        free(data);
        for (size_t i = 0; i < gpudump_dump_get_n_diagnostics(d); i++) {
                ck_assert_int_eq(gpudump_dump_get_diagnostic(d, i, NULL, &offset, &line, &msg), 0);
                if (line == 13) {
                        found = true;
                        ck_assert_uint_ge(offset, (uint64_t)(strstr(mail, "[1a0000000].data") - mail));
                }
        }
        ck_assert_msg(found, "no diagnostic on line 13 of the mail (last: line %llu: %s)",
                      (unsigned long long)line, msg ? msg : "none");
        gpudump_dump_unref(d);
}
END_TEST

START_TEST(xe_wrapped_blobs) {
        /* Wrapped in dmesg too: spans exclude prefixes and newlines. */
        for (int prefix = 0; prefix < 3; prefix++) {
                struct dumpgen_opts o = { .prefix = (enum dumpgen_prefix)prefix, .wrap = 76, .big_vma = 64 * 1024 };
                struct gpudump_dump *d = open_gen(&o);
                check_example(d, false);
                ck_assert_uint_gt(d->vmas[0].blob.n_spans, 1);
                uint32_t w[4];
                ck_assert_int_eq(gpudump_dump_read_va(d, 0x200000000ull + 4 * 999, w, sizeof(w)), 0);
                for (int i = 0; i < 4; i++)
                        ck_assert_uint_eq(w[i], dumpgen_big_word(999 + (size_t)i));
                gpudump_dump_unref(d);
        }
}
END_TEST

START_TEST(xe_huge_line) {
        /* An 8 MiB VMA: one line of ~8-10 MB of ascii85. */
        struct dumpgen_opts o = { .big_vma = 8u << 20 };
        struct gpudump_dump *d = open_gen(&o);
        check_example(d, false);
        struct gpudump_vma *v = gpudump_dump_find_vma(d, 0x200000000ull);
        ck_assert_ptr_nonnull(v);
        ck_assert_uint_eq(d->vmas[3].blob.n_spans, 1);
        ck_assert_uint_gt(d->vmas[3].blob.spans[0].length, 8u << 20);
        void *data;
        size_t size;
        ck_assert_int_eq(gpudump_vma_read(v, &data, &size), 0);
        ck_assert_uint_eq(size, 8u << 20);
        const uint32_t *w = data;
        for (size_t i = 0; i < size / 4; i += 4099)
                ck_assert_uint_eq(w[i], dumpgen_big_word(i));
        ck_assert_uint_eq(w[size / 4 - 1], dumpgen_big_word(size / 4 - 1));
        /* The report hashes VMAs on two threads once there is this much: same hash. */
        char want[65], *json;
        sha256_hex(data, size, want);
        free(data);
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        ck_assert_ptr_nonnull(strstr(json, want));
        free(json);
        uint32_t last;
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x200000000ull + (8u << 20) - 4, &last, 4), 0);
        ck_assert_uint_eq(last, dumpgen_big_word((8u << 20) / 4 - 1));
        gpudump_dump_unref(d);
}
END_TEST

/* Hashing while parsing (GPUDUMP_OPEN_HASH, on 1 or 3 threads) gives the report hashing later
 * gives, damaged VMAs included, and really hashes during the parse. */
static char *report_text_of(const char *text, size_t len, unsigned flags, bool want_pool) {
        struct gpudump_dump *d = open_text(text, len, flags);
        char *json = NULL;
        size_t pooled = 0;

        for (size_t i = 0; i < d->n_vmas; i++)
                pooled += d->vmas[i].blob.hash != NULL;
        if (want_pool)
                ck_assert_uint_ge(pooled, 2);
        else
                ck_assert_uint_eq(pooled, 0);
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        gpudump_dump_unref(d);
        return json;
}

START_TEST(xe_hash_while_parsing) {
        const struct dumpgen_opts opts[] = { { .big_vma = 1u << 20 }, { .big_vma = 1u << 20, .wrap = 76 },
                                             { .vxe = true, .big_vma = 1u << 20 } };
        for (size_t k = 0; k < 2 * (sizeof(opts) / sizeof(opts[0])); k++) {
                size_t len;
                char *t = dumpgen_xe(&opts[k / 2], &len);
                if (k % 2) {
                        /* Damage the big VMA: a character outside the alphabet. */
                        char *big = strstr(t, "[200000000].");
                        ck_assert_ptr_nonnull(big);
                        char *data = strchr(big + 20, ' ');
                        ck_assert_ptr_nonnull(data);
                        data[5000] = '~';

                }
                char *later = report_text_of(t, len, 0, false);
                char *one = report_text_of(t, len, GPUDUMP_OPEN_HASH | GPUDUMP_OPEN_THREADS(1), true);
                char *three = report_text_of(t, len, GPUDUMP_OPEN_HASH | GPUDUMP_OPEN_THREADS(3), true);
                ck_assert_str_eq(one, later);
                ck_assert_str_eq(three, later);
                if (k % 2)
                        ck_assert_ptr_nonnull(strstr(later, "\"severity\":\"error\",\"offset\":"));
                free(later);
                free(one);
                free(three);
                free(t);
        }
}
END_TEST

START_TEST(xe_legacy) {
        struct dumpgen_opts o = { .legacy = true, .wrap = 20 };
        struct gpudump_dump *d = open_gen(&o);
        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_XE);
        ck_assert(!d->truncated);
        ck_assert_uint_eq(count_errors(d), 0);
        /* `Log data:` wrapped over several lines, no .length. */
        void *data;
        size_t size;
        ck_assert_int_eq(gpudump_dump_read_blob(d, "LOG", &data, &size), 0);
        ck_assert_uint_eq(size, 64);
        uint32_t w;
        memcpy(&w, data, 4);
        ck_assert_uint_eq(w, 0xcabba9e6);
        free(data);
        /* The queue printed under GuC CT without a Contexts header. */
        ck_assert_uint_eq(gpudump_dump_get_n_contexts(d), 1);
        ck_assert_int_eq(gpudump_context_get_guc_id(gpudump_dump_get_context(d, 0)), 17);
        ck_assert_uint_eq(gpudump_context_get_n_jobs(gpudump_dump_get_context(d, 0)), 3);
        /* _LO/_HI combined into one 64-bit register; legacy names kept as printed. */
        struct gpudump_engine *e = gpudump_dump_get_engine(d, 0);
        uint64_t v;
        ck_assert_int_eq(gpudump_engine_find_register(e, "RING_EXECLIST_SQ_CONTENTS", &v), 0);
        ck_assert_uint_eq(v, 0x1100fe4009ull);
        ck_assert_int_eq(gpudump_engine_find_register(e, "RING_EXECLIST_SQ_CONTENTS_LO", &v), -ENOENT);
        ck_assert_int_eq(gpudump_engine_find_register(e, "BBADDR", &v), 0);
        ck_assert_uint_eq(v, 0x1a0000000ull);
        /* cmd[n] lines kept as CT key/values. */
        bool found = false;
        for (size_t i = 0; i < d->n_kvs; i++)
                if (strcmp(d->kvs[i].key, "H2G.cmd[1]") == 0 && strcmp(d->kvs[i].value, "0x00000002") == 0)
                        found = true;
        ck_assert(found);
        gpudump_dump_unref(d);
}
END_TEST

/* ---- compressed input ---- */

static void *zstd_of(const void *p, size_t n, size_t *ret) {
        size_t cap = ZSTD_compressBound(n);
        void *z = malloc(cap);
        ck_assert_ptr_nonnull(z);
        *ret = ZSTD_compress(z, cap, p, n, 1);
        ck_assert(!ZSTD_isError(*ret));
        return z;
}

START_TEST(zstd_input) {
        struct dumpgen_opts o = { .big_vma = 256 * 1024 };
        size_t len, zl;
        char *t = dumpgen_xe(&o, &len);
        void *z = zstd_of(t, len, &zl);
        struct gpudump_dump *d = open_text(z, zl, 0);
        ck_assert(d->input.was_compressed);
        ck_assert_uint_eq(gpudump_dump_get_size(d), len);
        check_example(d, false);
        gpudump_dump_unref(d);

        /* The same from a file path. */
        char path[] = "/tmp/gpudump-unit-XXXXXX";
        int fd = mkstemp(path);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, z, zl), (ssize_t)zl);
        close(fd);
        ck_assert_int_eq(gpudump_dump_new_from_path(path, 0, &d), 0);
        check_example(d, false);
        gpudump_dump_unref(d);

        /* A corrupt container is an error of the open, not a crash. */
        fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, z, zl / 2), (ssize_t)(zl / 2));
        close(fd);
        ck_assert_int_eq(gpudump_dump_new_from_path(path, 0, &d), -EIO);
        unlink(path);
        ck_assert_int_eq(gpudump_dump_new_from_path("/nonexistent/gpudump", 0, &d), -ENOENT);
        free(z);
        free(t);
}
END_TEST

struct writer {
        int fd;
        const char *p;
        size_t n;
};

static void *writer_main(void *userdata) {
        struct writer *w = userdata;
        size_t off = 0;
        while (off < w->n) {
                /* Small writes, like sysfs reads in 4 KiB pieces. */
                size_t k = w->n - off < 4096 ? w->n - off : 4096;
                ssize_t r = write(w->fd, w->p + off, k);
                if (r <= 0)
                        break;
                off += (size_t)r;
        }
        close(w->fd);
        return NULL;
}

START_TEST(fd_pipe) {
        struct dumpgen_opts o = { .big_vma = 1u << 20 };
        size_t len;
        char *t = dumpgen_xe(&o, &len);
        int p[2];
        pthread_t th;
        ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
        struct writer w = { p[1], t, len };
        ck_assert_int_eq(pthread_create(&th, NULL, writer_main, &w), 0);
        struct gpudump_dump *d = NULL;
        ck_assert_int_eq(gpudump_dump_new_from_fd(p[0], GPUDUMP_OPEN_NO_ANALYSIS, &d), 0);
        pthread_join(th, NULL);
        close(p[0]);
        ck_assert_uint_eq(gpudump_dump_get_size(d), len);
        check_example(d, false);
        gpudump_dump_unref(d);
        free(t);
}
END_TEST

START_TEST(size_zero_file) {
        /* procfs/sysfs files stat as regular with size 0 (devcoredump's data does): read to EOF. */
        struct gpudump_dump *d = NULL;
        struct stat st;
        ck_assert_int_eq(stat("/proc/self/status", &st), 0);
        ck_assert_int_eq(st.st_size, 0);
        ck_assert_int_eq(gpudump_dump_new_from_path("/proc/self/status", 0, &d), 0);
        ck_assert_uint_gt(gpudump_dump_get_size(d), 10);
        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_UNKNOWN);
        ck_assert_ptr_nonnull(strstr(d->first_line, "Name:"));
        gpudump_dump_unref(d);
        ck_assert_int_eq(gpudump_dump_new_from_path("/proc", 0, &d), -EISDIR);
}
END_TEST

START_TEST(vxe_zstd_blobs) {
        struct dumpgen_opts o = { .vxe = true, .big_vma = 512 * 1024 };
        struct gpudump_dump *d = open_gen(&o);
        check_example(d, true);
        struct gpudump_vma *v = gpudump_dump_find_vma(d, 0x200000000ull);
        void *data;
        size_t size;
        ck_assert_int_eq(gpudump_vma_read(v, &data, &size), 0);
        ck_assert_uint_eq(size, 512 * 1024);
        ck_assert_uint_eq(((uint32_t *)data)[777], dumpgen_big_word(777));
        char want[65], *json;
        sha256_hex(data, size, want);
        free(data);
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        ck_assert_ptr_nonnull(strstr(json, want));
        ck_assert_ptr_nonnull(strstr(json, "\"encoding\":\"ascii85-zstd\""));
        free(json);
        gpudump_dump_unref(d);

        /* Damage: a compressed length longer than the frame, a .length that does not match. */
        size_t len;
        char *t = dumpgen_xe(&o, &len);
        char *zl = strstr(t, "[1a0000000].zstd: 0x");
        ck_assert_ptr_nonnull(zl);
        zl[strlen("[1a0000000].zstd: 0x")] = 'f';
        char *ln = strstr(t, "[1b0000000].length: 0x1000");
        ck_assert_ptr_nonnull(ln);
        ln[strlen("[1b0000000].length: 0x")] = '2';
        d = open_text(t, len, GPUDUMP_OPEN_NO_ANALYSIS);
        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_find_vma(d, 0x1a0000000ull), &data, &size), -EBADMSG);
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_ERROR, "zstd", NULL));
        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_find_vma(d, 0x1b0000000ull), &data, &size), -EBADMSG);
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_ERROR, "length mismatch", NULL));
        /* The JSON still renders, marking both damaged. */
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        ck_assert_ptr_nonnull(strstr(json, "\"damaged\":true"));
        free(json);
        gpudump_dump_unref(d);
        free(t);
}
END_TEST

/* ---- damage ---- */

START_TEST(bad_blobs) {
        const char *text = "**** Xe Device Coredump ****\nkernel: 6.9\nmodule: xe\n\n**** VM state ****\n"
                           "[1000].length: 0x8\n[1000].data: z!!~!!z\n"
                           "[2000].length: 0x4\n[2000].data: s8W-\"\n"
                           "[3000].length: 0xc\n[3000].data: zz\n"
                           "[4000].length: 0x4\n[4000].error: -2\n"
                           "[5000].data: z\n"
                           "[6000].length: 0xZZ\n";
        struct gpudump_dump *d = open_text(text, strlen(text), GPUDUMP_OPEN_NO_ANALYSIS);
        void *data;
        size_t size;
        uint64_t off;
        ck_assert_uint_eq(gpudump_dump_get_n_vmas(d), 6);
        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_find_vma(d, 0x1000), &data, &size), -EBADMSG);
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_ERROR, "invalid ascii85 character 0x7e", &off));
        ck_assert_uint_eq(off, (uint64_t)(strchr(text, '~') - text));
        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_find_vma(d, 0x2000), &data, &size), -EBADMSG);
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_ERROR, "exceeds 0xffffffff", &off));
        ck_assert_uint_eq(off, (uint64_t)(strstr(text, "s8W-\"") - text));
        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_find_vma(d, 0x3000), &data, &size), -EBADMSG);
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_ERROR, "length mismatch", NULL));
        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_find_vma(d, 0x4000), &data, &size), -ENODATA);
        ck_assert_int_eq(gpudump_vma_get_error(gpudump_dump_find_vma(d, 0x4000)), -2);
        /* Without .length the data still decodes, with a warning. */
        ck_assert_int_eq(gpudump_vma_read(gpudump_dump_find_vma(d, 0x5000), &data, &size), 0);
        ck_assert_uint_eq(size, 4);
        free(data);
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_WARNING, "without a preceding", NULL));
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_ERROR, "bad value", NULL));
        /* The trailing .length without data means the dump was cut there. */
        ck_assert(d->truncated);
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_ERROR, "input ends inside", NULL));
        /* Line numbers are 1-based lines of the input. */
        uint64_t line;
        for (size_t i = 0; i < gpudump_dump_get_n_diagnostics(d); i++) {
                const char *msg;
                ck_assert_int_eq(gpudump_dump_get_diagnostic(d, i, NULL, &off, &line, &msg), 0);
                if (strstr(msg, "0x7e"))
                        ck_assert_uint_eq(line, 7);
        }
        ck_assert_int_eq(gpudump_dump_get_diagnostic(d, 999, NULL, NULL, NULL, NULL), -ERANGE);
        gpudump_dump_unref(d);
}
END_TEST

START_TEST(read_va_contiguous) {
        /* Out of order in the dump on purpose: VMAs are sorted for the O(log n) lookup. */
        const char *text = "**** Xe Device Coredump ****\n\n**** VM state ****\n"
                           "[1008].length: 0x8\n[1008].data: !!!!$!!!!%\n"
                           "[1000].length: 0x8\n[1000].data: !!!!\"!!!!#\n"
                           "[2000].length: 0x4\n[2000].data: !!!!&\n";
        struct gpudump_dump *d = open_text(text, strlen(text), GPUDUMP_OPEN_NO_ANALYSIS);
        uint32_t w[4];
        ck_assert_uint_eq(gpudump_vma_get_address(gpudump_dump_get_vma(d, 0)), 0x1000);
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x1000, w, 16), 0);
        for (uint32_t i = 0; i < 4; i++)
                ck_assert_uint_eq(w[i], i + 1);
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x1004, w, 8), 0);
        ck_assert_uint_eq(w[0], 2);
        ck_assert_uint_eq(w[1], 3);
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x100c, w, 8), -ENOENT); /* runs into the gap */
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x2000, w, 4), 0);
        ck_assert_uint_eq(w[0], 5);
        ck_assert_int_eq(gpudump_dump_read_va(d, 0xfff, w, 4), -ENOENT);
        ck_assert_int_eq(gpudump_dump_read_va(d, 0x1000, w, 0), 0);
        gpudump_dump_unref(d);
}
END_TEST

/*
 * Issue 11: a 3.5 KB dump claiming a 4 GiB VMA. The read must not size its buffer from the
 * claim: in a child whose address space is capped well below 4 GiB it fails only because the
 * text decodes short (-EBADMSG and a "length mismatch" diagnostic at the blob's end), not with
 * -ENOMEM or a crash. Forked by hand so the limit holds in CK_NOFORK runs too.
 */
static int huge_claim_child(void) {
        uint32_t w[640];
        size_t tl;

        for (size_t i = 0; i < 640; i++)
                w[i] = dumpgen_big_word(i);
        char *t = dumpgen_a85(w, 640, &tl);
        char *text = malloc(tl + tl / 800 + 256);
        if (!t || !text)
                return 10;
        int n = sprintf(text, "**** Xe Device Coredump ****\nkernel: 6.9\nmodule: xe\n\n**** VM state ****\n"
                              "[1000].length: 0x100000000\n[1000].data: ");
        /* A few lines, as the kernel wraps long blobs. */
        for (size_t i = 0; i < tl; i += 800) {
                size_t k = tl - i < 800 ? tl - i : 800;
                if (i)
                        text[n++] = '\n';
                memcpy(text + n, t + i, k);
                n += (int)k;
        }
        text[n++] = '\n';
        size_t end = (size_t)n - 1; /* the blob's last character ends here */
        free(t);

#ifndef GD_TEST_ASAN
        /* ASan reserves terabytes of shadow, so under it the cap is its own (see
         * __asan_default_options below) instead of RLIMIT_AS. */
        struct rlimit rl = { 512ul << 20, 512ul << 20 };
        if (setrlimit(RLIMIT_AS, &rl) < 0)
                return 11;
#endif

        struct gpudump_dump *d = NULL;
        if (gpudump_dump_new_from_memory(text, (size_t)n, GPUDUMP_OPEN_NO_ANALYSIS, &d) < 0 || !d)
                return 12;
        void *data = NULL;
        size_t size = 0;
        int r = gpudump_vma_read(gpudump_dump_find_vma(d, 0x1000), &data, &size);
        if (r != -EBADMSG)
                return r == -ENOMEM ? 13 : 14;
        uint64_t off = 0;
        bool found = false;
        for (size_t i = 0; i < gpudump_dump_get_n_diagnostics(d); i++) {
                enum gpudump_severity sev;
                uint64_t o, line;
                const char *msg;
                if (gpudump_dump_get_diagnostic(d, i, &sev, &o, &line, &msg) < 0)
                        return 15;
                if (sev == GPUDUMP_SEVERITY_ERROR && strstr(msg, "length mismatch") &&
                    strstr(msg, "declared 0x100000000")) {
                        found = true;
                        off = o;
                }
        }
        if (!found)
                return 16;
        if (off != end)
                return 17;
        gpudump_dump_unref(d);
        free(text);
        return 0;
}

START_TEST(huge_declared_length) {
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(huge_claim_child());
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert_msg(WIFEXITED(status), "child died with signal %d", WTERMSIG(status));
        ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(many_diagnostics) {
        /* Thousands of damaged ranges: the diagnostics are capped, the report still renders. */
        size_t cap = 64 * 6000, len = 0;
        char *t = malloc(cap);
        len += (size_t)snprintf(t, cap, "**** Xe Device Coredump ****\n\n**** VM state ****\n");
        for (int i = 1; i <= 6000; i++)
                len += (size_t)snprintf(t + len, cap - len, "[%x].length: 0x4\n[%x].data: ~\n", i << 12, i << 12);
        struct gpudump_dump *d = open_text(t, len, GPUDUMP_OPEN_NO_ANALYSIS);
        char *json;
        ck_assert_uint_eq(gpudump_dump_get_n_vmas(d), 6000);
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        free(json);
        ck_assert_uint_eq(gpudump_dump_get_n_diagnostics(d), 4097);
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_WARNING, "too many diagnostics", NULL));
        gpudump_dump_unref(d);
        free(t);
}
END_TEST

START_TEST(special_lines) {
        const char *text = "**** Xe Device Coredump ****\nReason: bad \xff byte, caf\xc3\xa9\n"
                           "kernel: 6.13\nmodule: xe\nProcess: no process [0]\n"
                           "\n**** GuC Log ****\nSize not word aligned: 6[LOG].length: 0x8\n[LOG].data: zz\n"
                           "\n**** Some Future Section ****\nfoo: bar\nrandom text\n"
                           "\n**** HW Engines ****\nvecs1 (physical), logical instance=0\n\tSFC_DONE[2]: 0x00000001\n"
                           "\tRING_START: 0x00001000\n\tRING_START_UDW: 0x00000002\n\n"
                           "gsccs0 (physical), logical instance=0\n\tRING_HEAD: 0x0000000000000010\n\n"
                           "\n**** VM state ****\n[0].error: -19\n";
        struct gpudump_dump *d = open_text(text, strlen(text), GPUDUMP_OPEN_NO_ANALYSIS);
        ck_assert_ptr_null(gpudump_dump_get_process_name(d));
        ck_assert_int_eq(gpudump_dump_get_process_pid(d), -1);
        /* Invalid UTF-8 in dump text is replaced, valid multi-byte text kept. */
        ck_assert_str_eq(gpudump_dump_get_reason(d), "bad ? byte, caf\xc3\xa9");
        ck_assert(has_diag(d, GPUDUMP_SEVERITY_WARNING, "Size not word aligned: 6", NULL));
        void *data;
        size_t size;
        ck_assert_int_eq(gpudump_dump_read_blob(d, "LOG", &data, &size), 0);
        ck_assert_uint_eq(size, 8);
        free(data);
        ck_assert_int_eq(d->vm_error, -19);
        ck_assert(!d->truncated);
        bool kept = false;
        for (size_t i = 0; i < d->n_kvs; i++)
                if (d->kvs[i].section && strcmp(d->kvs[i].section, "Some Future Section") == 0 &&
                    strcmp(d->kvs[i].key, "foo") == 0 && strcmp(d->kvs[i].value, "bar") == 0)
                        kept = true;
        ck_assert(kept);
        ck_assert_uint_eq(gpudump_dump_get_n_engines(d), 2);
        struct gpudump_engine *e = gpudump_dump_get_engine(d, 0);
        ck_assert_str_eq(gpudump_engine_get_class(e), "video-enhance");
        ck_assert_int_eq(gpudump_engine_get_instance(e), 1);
        uint64_t v;
        unsigned width;
        ck_assert_int_eq(gpudump_engine_find_register(e, "SFC_DONE[2]", &v), 0);
        ck_assert_int_eq(gpudump_engine_find_register(e, "RING_START", &v), 0);
        ck_assert_uint_eq(v, 0x200001000ull);
        ck_assert_uint_eq(gpudump_engine_get_n_registers(e), 2);
        ck_assert_str_eq(gpudump_engine_get_class(gpudump_dump_get_engine(d, 1)), "other");
        ck_assert_int_eq(gpudump_engine_get_register(gpudump_dump_get_engine(d, 1), 0, NULL, &v, &width), 0);
        ck_assert_uint_eq(width, 64);
        gpudump_dump_unref(d);
}
END_TEST

START_TEST(parallel_lrcs) {
        const char *text = "**** Xe Device Coredump ****\n\n**** Contexts ****\nGuC ID: 3\n\tName: vcs3\n\tWidth: 2\n"
                           "\tHW Context Desc: 0x00001000\n\tSeqno: (memory) 7\n"
                           "\tHW Context Desc: 0x00002000\n\tSeqno: (memory) 9\n"
                           "\tWQ head: 0 (internal), 0 (memory)\n\tWQ[0]: 0x00000001\n"
                           "\n**** HW Engines ****\n\n**** VM state ****\n[0].error: 0\n";
        struct gpudump_dump *d = open_text(text, strlen(text), GPUDUMP_OPEN_NO_ANALYSIS);
        ck_assert_uint_eq(d->n_contexts, 1);
        ck_assert_uint_eq(d->contexts[0].n_lrcs, 2);
        ck_assert_uint_eq(d->contexts[0].lrcs[1].context_desc, 0x2000);
        ck_assert_int_eq(d->contexts[0].lrcs[1].seqno, 9);
        ck_assert_uint_eq(d->contexts[0].n_props, 2);
        ck_assert_int_eq(d->vm_error, 0);
        ck_assert(d->vm_state_present || d->vm_error == 0);
        gpudump_dump_unref(d);
}
END_TEST

START_TEST(truncation_everywhere) {
        struct dumpgen_opts o = {};
        size_t len;
        char *t = dumpgen_xe(&o, &len);
        /* Under valgrind every 13th cut; natively every byte. */
        size_t step = getenv("GPUDUMP_UNDER_VALGRIND") ? 13 : 1;
        size_t truncated = 0, cuts = 0;
        /* Where the first VMA's data line ends: any cut after it keeps that VMA whole. */
        const char *first = strstr(t, "[1a0000000].data: ");
        ck_assert_ptr_nonnull(first);
        size_t first_end = (size_t)(strchr(first, '\n') - t) + 1;

        for (size_t cut = 30; cut < len; cut += step) {
                struct gpudump_dump *d = open_text(t, cut, 0);
                bool mid_line = t[cut - 1] != '\n';
                cuts++;
                ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_XE);
                if (mid_line) {
                        ck_assert_msg(d->truncated, "cut at %zu not reported", cut);
                }
                if (d->truncated) {
                        truncated++;
                        ck_assert_msg(has_diag(d, GPUDUMP_SEVERITY_ERROR, "input ends", NULL),
                                      "cut at %zu: no diagnostic", cut);
                }
                if (cut >= first_end) {
                        void *data;
                        size_t size;
                        ck_assert_msg(gpudump_vma_read(gpudump_dump_find_vma(d, 0x1a0000000ull), &data, &size) == 0,
                                      "cut at %zu lost the complete VMA before it", cut);
                        ck_assert_uint_eq(size, 4096);
                        free(data);
                }
                char *json = NULL;
                ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
                ck_assert_ptr_nonnull(strstr(json, d->truncated ? "\"truncated\":true" : "\"truncated\":false"));
                free(json);
                gpudump_dump_unref(d);
        }
        /* Cuts at line ends that look like a complete dump are rare (between VMAs). */
        ck_assert_uint_ge(truncated * 100, cuts * 97);
        free(t);
}
END_TEST

START_TEST(unknown_input) {
        const char *text = "hello world\nthis is not a dump\n";
        struct gpudump_dump *d = open_text(text, strlen(text), 0);
        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_UNKNOWN);
        ck_assert_str_eq(d->first_line, "hello world");
        ck_assert_ptr_nonnull(gpudump_dump_get_signature(d));
        char *json = NULL;
        ck_assert_int_eq(gpudump_dump_to_json(d, GPUDUMP_JSON_PRETTY, &json), 0);
        ck_assert_ptr_nonnull(strstr(json, "\"format\":\"unknown\""));
        ck_assert_ptr_nonnull(strstr(json, "\"first_line\":\"hello world\""));
        free(json);
        gpudump_dump_unref(d);

        /* Empty input and binary junk. */
        d = open_text("", 0, 0);
        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_UNKNOWN);
        ck_assert_uint_eq(gpudump_dump_get_size(d), 0);
        gpudump_dump_unref(d);
        const char junk[] = { 0x00, (char)0xff, (char)0xfe, '\n', 0x01 };
        d = open_text(junk, sizeof(junk), 0);
        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_UNKNOWN);
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &json), 0);
        free(json);
        ck_assert_ptr_eq(gpudump_dump_unref(d), NULL);
        ck_assert_str_eq(gpudump_format_to_string(GPUDUMP_FORMAT_ETNAVIV), "etnaviv");
        ck_assert_int_eq(gpudump_report_schema_version(), 1);
}
END_TEST

START_TEST(prefix_match) {
        const char *pat = "[  12.345678] xe 0000:00:02.0: [drm] *ERROR* ";
        struct gd_prefix p = { (const uint8_t *)pat, strlen(pat) };
        const char *l1 = "[ 123.000001] xe 0000:00:02.0: [drm] *ERROR* \tRING_HEAD: 0x0";
        ck_assert_int_eq(gd_prefix_match(&p, (const uint8_t *)l1, strlen(l1)), (ssize_t)strlen(pat));
        const char *l2 = "[ 123.000001] usb 1-1: new device";
        ck_assert_int_lt(gd_prefix_match(&p, (const uint8_t *)l2, strlen(l2)), 0);
        struct gd_prefix m = { (const uint8_t *)"> ", 2 };
        ck_assert_int_eq(gd_prefix_match(&m, (const uint8_t *)"> x", 3), 2);
        ck_assert_int_lt(gd_prefix_match(&m, (const uint8_t *)"x", 1), 0);
}
END_TEST

START_TEST(refcount_and_null) {
        struct dumpgen_opts o = {};
        struct gpudump_dump *d = open_gen(&o);
        ck_assert_ptr_eq(gpudump_dump_ref(d), d);
        ck_assert_ptr_null(gpudump_dump_unref(d));
        ck_assert_int_eq(gpudump_dump_get_format(d), GPUDUMP_FORMAT_XE); /* still referenced */
        gpudump_dump_unref(d);
        ck_assert_ptr_null(gpudump_dump_unref(NULL));
        ck_assert_ptr_null(gpudump_dump_ref(NULL));
        ck_assert_int_eq(gpudump_dump_new_from_memory(NULL, 5, 0, &d), -EINVAL);
        ck_assert_int_eq(gpudump_dump_new_from_fd(-1, 0, &d), -EINVAL);
        ck_assert_ptr_null(gpudump_dump_get_engine(NULL, 0));
        ck_assert_uint_eq(gpudump_dump_get_n_vmas(NULL), 0);
}
END_TEST

/* ---- seqnos: any value is a seqno, absence is told apart ---- */

static struct json_object *jpath(struct json_object *o, const char *key) {
        struct json_object *v = NULL;
        ck_assert_ptr_nonnull(o);
        return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static struct json_object *report_of(struct gpudump_dump *d) {
        char *text = NULL;
        ck_assert_int_eq(gpudump_dump_to_json(d, 0, &text), 0);
        struct json_object *o = json_tokener_parse(text);
        free(text);
        ck_assert_ptr_nonnull(o);
        return o;
}

static void assert_json_int(struct json_object *o, const char *key, int64_t want) {
        struct json_object *v = jpath(o, key);
        ck_assert_msg(v && json_object_is_type(v, json_type_int), "%s: not an integer", key);
        ck_assert_int_eq(json_object_get_int64(v), want);
}

START_TEST(seqnos_negative_and_absent) {
        struct gpudump_dump *d = open_text(dumpgen_seqno_text, strlen(dumpgen_seqno_text), 0);
        struct gpudump_context *c;
        int64_t v;
        int fence, finished;

        ck_assert_uint_eq(count_errors(d), 0);
        ck_assert_uint_eq(gpudump_dump_get_n_contexts(d), 4);

        /* -1 is a seqno like any other. */
        c = gpudump_dump_get_context(d, 0);
        v = 42;
        ck_assert_int_eq(gpudump_context_get_seqno(c, &v), 0);
        ck_assert_int_eq(v, -1);
        ck_assert_int_eq(gpudump_context_get_start_seqno(c, &v), 0);
        ck_assert_int_eq(v, 0);
        ck_assert_int_eq(gpudump_context_get_job(c, 0, &v, &fence, &finished), 0);
        ck_assert_int_eq(v, -1);
        ck_assert_int_eq(fence, 1);

        /* A new queue: XE_FENCE_INITIAL_SEQNO. */
        c = gpudump_dump_get_context(d, 1);
        ck_assert_int_eq(gpudump_context_get_seqno(c, &v), 0);
        ck_assert_int_eq(v, -127);
        ck_assert_int_eq(gpudump_context_get_start_seqno(c, &v), 0);
        ck_assert_int_eq(v, -126);
        ck_assert_int_eq(gpudump_context_get_job(c, 0, &v, &fence, &finished), 0);
        ck_assert_int_eq(v, -127);
        ck_assert_int_eq(fence, -1); /* not printed */
        ck_assert_int_eq(gpudump_context_get_job(c, 1, &v, NULL, NULL), 0);
        ck_assert_int_eq(v, -126);
        ck_assert_int_eq(gpudump_context_get_seqno(c, NULL), 0); /* presence test */

        /* An LRC without seqno lines, a job line without seqno=, a context without LRC. */
        for (size_t i = 2; i < 4; i++) {
                c = gpudump_dump_get_context(d, i);
                v = 42;
                ck_assert_int_eq(gpudump_context_get_seqno(c, &v), -ENODATA);
                ck_assert_int_eq(gpudump_context_get_start_seqno(c, &v), -ENODATA);
                ck_assert_int_eq(v, 42); /* untouched */
        }
        c = gpudump_dump_get_context(d, 2);
        ck_assert_uint_eq(gpudump_context_get_n_jobs(c), 1);
        ck_assert_int_eq(gpudump_context_get_job(c, 0, &v, &fence, NULL), 0);
        ck_assert(v == GPUDUMP_SEQNO_NONE);
        ck_assert_int_eq(fence, 0);
        ck_assert_int_eq(gpudump_context_get_seqno(NULL, &v), -EINVAL);
        ck_assert_int_eq(gpudump_context_get_start_seqno(NULL, &v), -EINVAL);

        /* JSON: a negative seqno is that number, an absent one is omitted. */
        struct json_object *rep = report_of(d), *ctxs = jpath(rep, "contexts");
        ck_assert_uint_eq(json_object_array_length(ctxs), 4);
        struct json_object *c0 = json_object_array_get_idx(ctxs, 0);
        assert_json_int(c0, "seqno", -1);
        assert_json_int(c0, "start_seqno", 0);
        assert_json_int(json_object_array_get_idx(jpath(c0, "lrcs"), 0), "seqno", -1);
        assert_json_int(json_object_array_get_idx(jpath(c0, "jobs"), 0), "seqno", -1);
        struct json_object *c1 = json_object_array_get_idx(ctxs, 1);
        assert_json_int(c1, "seqno", -127);
        assert_json_int(c1, "start_seqno", -126);
        assert_json_int(json_object_array_get_idx(jpath(c1, "lrcs"), 0), "start_seqno", -126);
        assert_json_int(json_object_array_get_idx(jpath(c1, "jobs"), 0), "seqno", -127);
        for (size_t i = 2; i < 4; i++) {
                struct json_object *ci = json_object_array_get_idx(ctxs, i);
                ck_assert_ptr_null(jpath(ci, "seqno"));
                ck_assert_ptr_null(jpath(ci, "start_seqno"));
        }
        struct json_object *c2 = json_object_array_get_idx(ctxs, 2);
        ck_assert_ptr_null(jpath(json_object_array_get_idx(jpath(c2, "lrcs"), 0), "seqno"));
        struct json_object *j2 = json_object_array_get_idx(jpath(c2, "jobs"), 0);
        ck_assert_ptr_nonnull(j2);
        ck_assert_ptr_null(jpath(j2, "seqno"));
        ck_assert_ptr_nonnull(jpath(j2, "fence_signaled"));

        /* The analysis reads negative seqnos as seqnos: job -126 is pending, not "none". */
        struct json_object *an = jpath(jpath(rep, "analysis"), "contexts");
        ck_assert_ptr_nonnull(an);
        ck_assert_uint_eq(json_object_array_length(an), 4);
        struct json_object *a0 = json_object_array_get_idx(an, 0);
        assert_json_int(a0, "seqno", -1);
        assert_json_int(a0, "first_unsignalled", 0);
        struct json_object *a1 = json_object_array_get_idx(an, 1);
        assert_json_int(a1, "seqno", -127);
        assert_json_int(a1, "start_seqno", -126);
        assert_json_int(a1, "first_unsignalled", -126);
        ck_assert_uint_eq(json_object_array_length(jpath(a1, "completed")), 1);
        ck_assert_ptr_nonnull(strstr(json_object_get_string(jpath(a1, "state")), "job -126 started"));
        /* A job without seqno is not listed under a made-up number, nor called signalled. */
        struct json_object *a2 = json_object_array_get_idx(an, 2);
        ck_assert_uint_eq(json_object_array_length(jpath(a2, "pending")), 0);
        ck_assert_uint_eq(json_object_array_length(jpath(a2, "completed")), 0);
        ck_assert_str_eq(json_object_get_string(jpath(a2, "state")), "1 job(s) without seqno never signalled");
        struct json_object *a3 = json_object_array_get_idx(an, 3);
        ck_assert(json_object_is_type(jpath(a3, "seqno"), json_type_null));
        ck_assert(json_object_is_type(jpath(a3, "first_unsignalled"), json_type_null));
        json_object_put(rep);
        gpudump_dump_unref(d);
}
END_TEST

/* ---- registers: a name printed twice loses nothing ---- */

START_TEST(duplicate_register_names) {
        struct gpudump_dump *d = open_text(dumpgen_dup_regs_text, strlen(dumpgen_dup_regs_text),
                                           GPUDUMP_OPEN_NO_ANALYSIS);
        struct gpudump_engine *e = gpudump_dump_get_engine(d, 0);
        const char *name;
        uint64_t v;
        unsigned width;

        ck_assert_ptr_nonnull(e);
        /* The C API keeps every line, in order; lookup by name gives the first. */
        ck_assert_uint_eq(gpudump_engine_get_n_registers(e), 6);
        ck_assert_int_eq(gpudump_engine_get_register(e, 2, &name, &v, &width), 0);
        ck_assert_str_eq(name, "RING_MODE");
        ck_assert_uint_eq(v, 0x80);
        ck_assert_int_eq(gpudump_engine_find_register(e, "RING_MODE", &v), 0);
        ck_assert_uint_eq(v, 0x200);
        ck_assert_int_eq(gpudump_engine_get_register(e, 5, &name, &v, &width), 0);
        ck_assert_str_eq(name, "ACTHD");
        ck_assert_uint_eq(v, 0x100000080ull);
        ck_assert_uint_eq(width, 64);

        /* JSON keeps `registers` name -> hex, with NAME#2, NAME#3 for the repeats. */
        struct json_object *rep = report_of(d);
        struct json_object *je = json_object_array_get_idx(jpath(rep, "engines"), 0);
        struct json_object *regs = jpath(je, "registers");
        ck_assert_int_eq(json_object_object_length(regs), 6);
        ck_assert_str_eq(json_object_get_string(jpath(regs, "RING_MODE")), "0x200");
        ck_assert_str_eq(json_object_get_string(jpath(regs, "RING_MODE#2")), "0x80");
        ck_assert_str_eq(json_object_get_string(jpath(regs, "RING_MODE#3")), "0x1");
        ck_assert_str_eq(json_object_get_string(jpath(regs, "RING_HEAD")), "0x10");
        ck_assert_str_eq(json_object_get_string(jpath(regs, "ACTHD")), "0x100000040");
        ck_assert_str_eq(json_object_get_string(jpath(regs, "ACTHD#2")), "0x100000080");
        /* Dump order: the repeats sit where they were printed. */
        const char *order[] = { "RING_MODE", "RING_HEAD", "RING_MODE#2", "RING_MODE#3", "ACTHD", "ACTHD#2" };
        size_t k = 0;
        json_object_object_foreach(regs, key, val) {
                (void)val;
                ck_assert_uint_lt(k, 6);
                ck_assert_str_eq(key, order[k]);
                k++;
        }
        struct json_object *wide = jpath(je, "registers_64bit");
        ck_assert_uint_eq(json_object_array_length(wide), 2);
        ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(wide, 0)), "ACTHD");
        ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(wide, 1)), "ACTHD#2");
        json_object_put(rep);

        /* A register whose own name looks like an alias (no kernel prints '#', but other
         * formats may) is not overwritten: the repeat takes the next free number. */
        struct gd_reg *r1 = &d->engines[0].regs[1];
        free(r1->name);
        r1->name = strdup("RING_MODE#2");
        ck_assert_ptr_nonnull(r1->name);
        rep = report_of(d);
        regs = jpath(json_object_array_get_idx(jpath(rep, "engines"), 0), "registers");
        ck_assert_int_eq(json_object_object_length(regs), 6);
        ck_assert_str_eq(json_object_get_string(jpath(regs, "RING_MODE#2")), "0x10");
        ck_assert_str_eq(json_object_get_string(jpath(regs, "RING_MODE#3")), "0x80");
        ck_assert_str_eq(json_object_get_string(jpath(regs, "RING_MODE#4")), "0x1");
        json_object_put(rep);
        gpudump_dump_unref(d);
}
END_TEST

static Suite *core_suite(void) {
        Suite *s = suite_create("core");
        TCase *tc;

        tc = tcase_create("string");
        tcase_add_test(tc, string_helpers);
        suite_add_tcase(s, tc);

        tc = tcase_create("ascii85");
        tcase_add_test(tc, a85_values);
        tcase_add_test(tc, a85_errors);
        tcase_add_test(tc, a85_partial_groups);
        suite_add_tcase(s, tc);

        tc = tcase_create("xe");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, xe_example);
        tcase_add_test(tc, xe_hash_while_parsing);
        tcase_add_test(tc, xe_dmesg_prefix);
        tcase_add_test(tc, xe_mail_prefix);
        tcase_add_test(tc, xe_wrapped_blobs);
        tcase_add_test(tc, xe_bom_crlf);
        tcase_add_test(tc, xe_huge_line);
        tcase_add_test(tc, xe_legacy);
        tcase_add_test(tc, special_lines);
        tcase_add_test(tc, parallel_lrcs);
        tcase_add_test(tc, seqnos_negative_and_absent);
        tcase_add_test(tc, duplicate_register_names);
        tcase_add_test(tc, prefix_match);
        suite_add_tcase(s, tc);

        tc = tcase_create("input");
        tcase_set_timeout(tc, 120);
        tcase_add_test(tc, zstd_input);
        tcase_add_test(tc, fd_pipe);
        tcase_add_test(tc, size_zero_file);
        tcase_add_test(tc, vxe_zstd_blobs);
        tcase_add_test(tc, unknown_input);
        tcase_add_test(tc, refcount_and_null);
        tcase_add_test(tc, embedded_dumps);
        tcase_add_test(tc, embedded_diag_lines);
        suite_add_tcase(s, tc);

        tc = tcase_create("damage");
        tcase_set_timeout(tc, 600);
        tcase_add_test(tc, bad_blobs);
        tcase_add_test(tc, huge_declared_length);
        tcase_add_test(tc, many_diagnostics);
        tcase_add_test(tc, read_va_contiguous);
        tcase_add_test(tc, truncation_everywhere);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        SRunner *sr = srunner_create(core_suite());
        int failed;

        srunner_run_all(sr, CK_ENV);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
