/* SPDX-License-Identifier: MIT */
/* Writes JSON reports of the dumpgen variants (and damaged / unknown inputs) into a directory,
 * for test-report-schema.sh to validate against the schema. Not a test by itself. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "dumpgen.h"
#include "gpudump.h"

static int write_report(const char *dir, const char *name, const char *text, size_t len, unsigned jflags) {
        struct gpudump_dump *d = NULL;
        char *json = NULL, path[4096];
        int r = gpudump_dump_new_from_memory(text, len, 0, &d);
        if (r < 0) {
                fprintf(stderr, "%s: decode failed: %s\n", name, strerror(-r));
                return 1;
        }
        r = gpudump_dump_to_json(d, jflags, &json);
        gpudump_dump_unref(d);
        if (r < 0) {
                fprintf(stderr, "%s: json failed: %s\n", name, strerror(-r));
                return 1;
        }
        snprintf(path, sizeof(path), "%s/%s.json", dir, name);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        if (fd < 0 || write(fd, json, strlen(json)) != (ssize_t)strlen(json)) {
                perror(path);
                free(json);
                return 1;
        }
        close(fd);
        free(json);
        return 0;
}

int main(int argc, char **argv) {
        static const struct {
                const char *name;
                struct dumpgen_opts o;
                unsigned jflags;
        } variants[] = {
                { "xe", { 0 }, 0 },
                { "xe-dmesg", { .prefix = DUMPGEN_PREFIX_DMESG, .wrap = 100 }, GPUDUMP_JSON_PRETTY },
                { "xe-mail", { .prefix = DUMPGEN_PREFIX_MAIL }, 0 },
                { "xe-legacy", { .legacy = true, .wrap = 80 }, 0 },
                { "vxe", { .vxe = true, .big_vma = 8192 }, GPUDUMP_JSON_INCLUDE_VMA_DATA },
                { "xe-nosha", { 0 }, GPUDUMP_JSON_NO_SHA256 },
        };
        int fails = 0;

        if (argc != 2) {
                fprintf(stderr, "usage: %s DIR\n", argv[0]);
                return 2;
        }
        for (size_t i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
                size_t len;
                char *t = dumpgen_xe(&variants[i].o, &len);
                fails += write_report(argv[1], variants[i].name, t, len, variants[i].jflags);
                /* Cut in the middle of the second VMA's data and inside the engines. */
                char name[64];
                snprintf(name, sizeof(name), "%s-cut", variants[i].name);
                fails += write_report(argv[1], name, t, len - 100, 0);
                snprintf(name, sizeof(name), "%s-cut2", variants[i].name);
                fails += write_report(argv[1], name, t, len / 2, 0);
                free(t);
        }
        const char *damaged = "**** Xe Device Coredump ****\nkernel: x\n\n**** VM state ****\n"
                              "[1000].length: 0x8\n[1000].data: z!!~!!z\n[2000].length: 0x4\n[2000].error: -2\n";
        fails += write_report(argv[1], "damaged", damaged, strlen(damaged), GPUDUMP_JSON_INCLUDE_VMA_DATA);
        /* Negative and absent seqnos; register names printed twice. */
        fails += write_report(argv[1], "seqnos", dumpgen_seqno_text, strlen(dumpgen_seqno_text), 0);
        fails += write_report(argv[1], "dup-regs", dumpgen_dup_regs_text, strlen(dumpgen_dup_regs_text), 0);
        /* i915 zlib objects: inflated length, with and without hashing; a damaged stream. */
        {
                static uint8_t page[4096];
                uint8_t z[8192];
                uLongf zlen = sizeof(z);
                size_t len;
                for (size_t i = 0; i < sizeof(page); i++)
                        page[i] = (uint8_t)(i / 3);
                if (compress(z, &zlen, page, sizeof(page)) != Z_OK)
                        return 1;
                char *t = dumpgen_i915_zlib(z, zlen, true, &len);
                fails += write_report(argv[1], "i915-zlib", t, len, 0);
                fails += write_report(argv[1], "i915-zlib-nosha", t, len, GPUDUMP_JSON_NO_SHA256);
                free(t);
                z[zlen / 2] ^= 0x55;
                t = dumpgen_i915_zlib(z, zlen / 2 + 1, false, &len);
                fails += write_report(argv[1], "i915-zlib-damaged", t, len, GPUDUMP_JSON_NO_SHA256);
                free(t);
        }
        const char *unknown = "not a dump \xff\xfe at all\n";
        fails += write_report(argv[1], "unknown", unknown, strlen(unknown), 0);
        fails += write_report(argv[1], "empty", "", 0, 0);
        return fails ? 1 : 0;
}
