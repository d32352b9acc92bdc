/* SPDX-License-Identifier: MIT */
/*
 * vxe-dumpcheck: check a vxe devcoredump against what vxe-hang wrote.
 *
 * Usage: vxe-dumpcheck DUMP EXPECTDIR
 * DUMP is a file (e.g. /sys/class/devcoredump/devcdN/data, read to EOF:
 * sysfs reports size 0). Prints one "PASS <check>" or "FAIL <check>: why"
 * line per check; exit status 0 only if all passed.
 *
 * This is the VM test's own decoder for the two VM blob encodings
 * ([va].data ascii85 and [va].zstd ascii85-of-zstd), independent of
 * libgpudump so the kernel side can be checked on its own.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

static int failures;

static __attribute__((format(printf, 3, 4))) void check(bool ok, const char *name, const char *fmt, ...)
{
        va_list ap;

        if (ok) {
                printf("PASS %s\n", name);
                return;
        }
        printf("FAIL %s: ", name);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        failures++;
}

static char *read_all(const char *path, size_t *len)
{
        size_t cap = 1 << 20, n = 0;
        char *buf = malloc(cap + 1);
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0 || !buf) {
                fprintf(stderr, "vxe-dumpcheck: %s: %s\n", path, strerror(errno));
                free(buf);
                if (fd >= 0)
                        close(fd);
                return NULL;
        }
        for (;;) {
                ssize_t r;

                if (n == cap) {
                        char *nb = realloc(buf, 2 * cap + 1);

                        if (!nb) {
                                free(buf);
                                close(fd);
                                return NULL;
                        }
                        buf = nb;
                        cap *= 2;
                }
                r = read(fd, buf + n, cap - n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0) {
                        fprintf(stderr, "vxe-dumpcheck: reading %s at byte %zu: %s\n", path, n,
                                strerror(errno));
                        free(buf);
                        close(fd);
                        return NULL;
                }
                if (r == 0)
                        break;
                n += r;
        }
        close(fd);
        buf[n] = 0;
        *len = n;
        return buf;
}

/* gpudumpd stores dumps as one zstd frame: accept those too. */
static char *maybe_unzstd(char *buf, size_t *len)
{
        static const unsigned char magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };
        ZSTD_inBuffer in = { buf, *len, 0 };
        size_t cap = 4 * *len + (1 << 20), ret;
        ZSTD_DStream *ds;
        char *out;

        if (*len < 4 || memcmp(buf, magic, 4))
                return buf;
        ds = ZSTD_createDStream();
        out = malloc(cap + 1);
        if (!ds || !out)
                goto fail;
        {
                ZSTD_outBuffer o = { out, cap, 0 };

                do {
                        if (o.pos == o.size) {
                                char *nb = realloc(out, 2 * cap + 1);

                                if (!nb)
                                        goto fail;
                                out = nb;
                                cap *= 2;
                                o.dst = out;
                                o.size = cap;
                        }
                        ret = ZSTD_decompressStream(ds, &o, &in);
                        if (ZSTD_isError(ret)) {
                                fprintf(stderr, "vxe-dumpcheck: zstd input at byte %zu: %s\n", in.pos,
                                        ZSTD_getErrorName(ret));
                                goto fail;
                        }
                } while (ret != 0 && (in.pos < in.size || o.pos == o.size));
                if (ret != 0) {
                        fprintf(stderr, "vxe-dumpcheck: truncated zstd frame (%zu bytes)\n", in.size);
                        goto fail;
                }
                *len = o.pos;
        }
        ZSTD_freeDStream(ds);
        free(buf);
        out[*len] = 0;
        return out;
fail:
        ZSTD_freeDStream(ds);
        free(out);
        free(buf);
        return NULL;
}

/* Returns the line starting with prefix (at a line start), or NULL. */
static const char *find_line(const char *text, const char *prefix)
{
        size_t pl = strlen(prefix);
        const char *p = text;

        while (p && *p) {
                if (!strncmp(p, prefix, pl))
                        return p;
                p = strchr(p, '\n');
                if (p)
                        p++;
        }
        return NULL;
}

/* Kernel ascii85: 'z' = 0, else 5 digits, most significant first, value
 * stored little-endian. Stops at '\n'. Returns bytes written or -1. */
static long a85_decode(const char *s, uint8_t *out, size_t cap, const char **end)
{
        size_t n = 0;

        while (*s && *s != '\n') {
                uint64_t v = 0;
                int i;

                if (*s == 'z') {
                        v = 0;
                        s++;
                } else {
                        for (i = 0; i < 5; i++) {
                                if (s[i] < '!' || s[i] > 'u') {
                                        *end = s + i;
                                        return -1;
                                }
                                v = v * 85 + (uint64_t)(s[i] - '!');
                        }
                        if (v > 0xffffffffULL) {
                                *end = s;
                                return -1;
                        }
                        s += 5;
                }
                if (n + 4 > cap) {
                        *end = s;
                        return -1;
                }
                out[n++] = v & 0xff;
                out[n++] = (v >> 8) & 0xff;
                out[n++] = (v >> 16) & 0xff;
                out[n++] = (v >> 24) & 0xff;
        }
        *end = s;
        return (long)n;
}

static void check_vma(const char *dump, const char *dir, uint64_t va, uint64_t len, int want_err,
                      const char *encoding)
{
        char name[64], prefix[96], detail[256], path[4096];
        const char *line;
        uint8_t *got = NULL, *want = NULL, *blob = NULL;
        size_t want_len = 0;

        snprintf(name, sizeof(name), "vma-%" PRIx64, va);
        snprintf(prefix, sizeof(prefix), "[%" PRIx64 "].length: 0x%" PRIx64 "\n", va, len);
        if (!find_line(dump, prefix)) {
                check(false, name, "no line '%s'", prefix);
                return;
        }
        if (want_err) {
                snprintf(prefix, sizeof(prefix), "[%" PRIx64 "].error: %d\n", va, want_err);
                check(find_line(dump, prefix) != NULL, name, "no line '%s'", prefix);
                return;
        }
        snprintf(path, sizeof(path), "%s/%" PRIx64 ".bin", dir, va);
        want = (uint8_t *)read_all(path, &want_len);
        got = malloc(len + 8);
        if (!want || !got || want_len != len) {
                check(false, name, "expected bytes %s unusable", path);
                goto out;
        }
        snprintf(prefix, sizeof(prefix), "[%" PRIx64 "].data: ", va);
        line = find_line(dump, prefix);
        if (line && strcmp(encoding, "data")) {
                check(false, name, "[va].data line, expected [va].%s", encoding);
                goto out;
        }
        if (line) {
                const char *end = line;
                long n = a85_decode(line + strlen(prefix), got, len + 8, &end);

                snprintf(detail, sizeof(detail), "decoded %ld bytes, want %" PRIu64 "", n, len);
                if (n < 0)
                        check(false, name, "bad ascii85 at byte %td of the dump", end - dump);
                else
                        check(n == (long)len && !memcmp(got, want, len), name, "%s or contents differ",
                              detail);
                goto out;
        }
        snprintf(prefix, sizeof(prefix), "[%" PRIx64 "].zstd: 0x", va);
        line = find_line(dump, prefix);
        if (line && strcmp(encoding, "zstd")) {
                check(false, name, "[va].zstd line, expected [va].%s", encoding);
                goto out;
        }
        if (line) {
                char *sp;
                unsigned long long zlen = strtoull(line + strlen(prefix), &sp, 16);
                const char *end = line;
                size_t bcap = 0, dn;
                long n;

                if (*sp != ' ') {
                        check(false, name, "malformed zstd line");
                        goto out;
                }
                /* "z" is one character for 4 bytes: the most a line can hold */
                bcap = strcspn(sp + 1, "\n") * 4 + 8;
                blob = malloc(bcap);
                n = blob ? a85_decode(sp + 1, blob, bcap, &end) : -1;
                if (n < 0) {
                        check(false, name, "bad ascii85 at byte %td of the dump", end - dump);
                        goto out;
                }
                if ((unsigned long long)n < zlen || (unsigned long long)n >= zlen + 4) {
                        check(false, name, "zstd blob of %ld bytes for a 0x%llx-byte frame (byte %td)", n,
                              zlen, line - dump);
                        goto out;
                }
                dn = ZSTD_decompress(got, len + 8, blob, zlen);
                if (ZSTD_isError(dn)) {
                        check(false, name, "zstd: %s", ZSTD_getErrorName(dn));
                        goto out;
                }
                snprintf(detail, sizeof(detail), "decompressed %zu bytes, want %" PRIu64, dn, len);
                check(dn == len && !memcmp(got, want, len), name, "%s or contents differ", detail);
                goto out;
        }
        check(false, name, "no data, zstd or error line for the range");
out:
        free(got);
        free(want);
        free(blob);
}

int main(int argc, char **argv)
{
        char path[4096], line[512], prefix[256], scenario[64] = "", engines[64] = "";
        char encoding[16] = "";
        unsigned long long batch = 0;
        unsigned int seqno = 0;
        size_t dump_len;
        char *dump;
        FILE *f;

        if (argc != 3) {
                fprintf(stderr, "usage: vxe-dumpcheck DUMP EXPECTDIR\n");
                return 2;
        }
        dump = read_all(argv[1], &dump_len);
        if (dump)
                dump = maybe_unzstd(dump, &dump_len);
        if (!dump)
                return 1;
        if (memchr(dump, 0, dump_len)) {
                fprintf(stderr, "vxe-dumpcheck: %s: NUL byte at offset %zu\n", argv[1],
                        (size_t)((char *)memchr(dump, 0, dump_len) - dump));
                return 1;
        }
        snprintf(path, sizeof(path), "%s/expect", argv[2]);
        f = fopen(path, "re");
        if (!f) {
                fprintf(stderr, "vxe-dumpcheck: %s: %s\n", path, strerror(errno));
                return 1;
        }
        check(!strncmp(dump, "**** Xe Device Coredump ****\n", 29), "header", "first line wrong");
        check(find_line(dump, "module: vxe\n") != NULL, "module", "no 'module: vxe'");
        while (fgets(line, sizeof(line), f)) {
                unsigned long long va, len;
                int err;

                if (sscanf(line, "scenario %63s", scenario) == 1)
                        continue;
                if (sscanf(line, "engine %63s", engines) == 1) {
                        char *tok, *save = NULL, copy[64];
                        bool found = false;

                        snprintf(copy, sizeof(copy), "%s", engines);
                        for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                                snprintf(prefix, sizeof(prefix), "%s (physical), logical instance=", tok);
                                if (find_line(dump, prefix))
                                        found = true;
                        }
                        check(found, "engine", "no HW engine block for %s", engines);
                        continue;
                }
                if (sscanf(line, "seqno %u", &seqno) == 1) {
                        snprintf(prefix, sizeof(prefix), "\tJob: seqno=%u, fence=0, finished=0\n", seqno);
                        check(find_line(dump, prefix) != NULL, "pending-job", "no pending job line");
                        snprintf(prefix, sizeof(prefix), "\tStart seqno: (memory) %u\n", seqno);
                        check(find_line(dump, prefix) != NULL, "start-seqno", "no '%s'", prefix);
                        continue;
                }
                if (!strncmp(line, "reason ", 7)) {
                        snprintf(prefix, sizeof(prefix), "Reason: %.*s", (int)strcspn(line + 7, "\n"),
                                 line + 7);
                        check(find_line(dump, prefix) != NULL, "reason", "no '%s'", prefix);
                        continue;
                }
                if (sscanf(line, "encoding %15s", encoding) == 1)
                        continue;
                if (sscanf(line, "batch 0x%llx", &batch) == 1) {
                        snprintf(prefix, sizeof(prefix), "batch_addr[0]: 0x%016llx\n", batch);
                        check(find_line(dump, prefix) != NULL, "batch", "no '%s'", prefix);
                        snprintf(prefix, sizeof(prefix), "\tRING_BBADDR: 0x%016llx\n", batch);
                        check(find_line(dump, prefix) != NULL, "bbaddr", "no '%s'", prefix);
                        continue;
                }
                if (sscanf(line, "vma %llx 0x%llx %d", &va, &len, &err) == 3) {
                        check_vma(dump, argv[2], va, len, err, encoding);
                        continue;
                }
        }
        fclose(f);
        check(scenario[0] && engines[0] && seqno && batch && encoding[0], "expect-file",
              "incomplete expect file");
        printf("%s: dump of %zu bytes, %d failure(s)\n", scenario, dump_len, failures);
        free(dump);
        return failures ? 1 : 0;
}
