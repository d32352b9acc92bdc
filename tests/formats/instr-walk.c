/* SPDX-License-Identifier: MIT */
/*
 * Test helper: walk a buffer of command-streamer instructions with the library's decoder and
 * print one line per instruction, for comparing instruction starts with another decoder
 * (tests/formats/igt-compare.py, test-igt.py).
 *
 *   instr-walk VERSION ENGINE FILE [BASE]
 *
 * VERSION is the graphics version as the dump's model gives it ("4.5", "12.55", "0" unknown),
 * ENGINE an engine class (render, copy, video, video-enhance, compute; "any"), FILE the raw
 * little-endian bytes (gpudump extract), BASE the address of its first byte (hex). Prints
 * "ADDRESS LENGTH NAME" per instruction, NAME "?" for an unknown header; the walk is linear
 * from the start to the end, as the peers print a buffer.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

static unsigned parse_version(const char *s) {
        unsigned major = 0, minor = 0;
        if (sscanf(s, "%u.%u", &major, &minor) < 1)
                return 0;
        return major * 100 + minor;
}

int main(int argc, char **argv) {
        if (argc < 4) {
                fprintf(stderr, "usage: instr-walk VERSION ENGINE FILE [BASE]\n");
                return 2;
        }
        unsigned ver = parse_version(argv[1]);
        enum gd_engine_kind ek = gd_engine_kind_from_class(argv[2]);
        uint64_t base = argc > 4 ? strtoull(argv[4], NULL, 16) : 0;

        FILE *f = fopen(argv[3], "rbe");
        if (!f) {
                fprintf(stderr, "instr-walk: %s: %s\n", argv[3], strerror(errno));
                return 1;
        }
        size_t cap = 1 << 16, n = 0;
        uint32_t *dw = malloc(cap * 4);
        for (;;) {
                uint32_t *p = n == cap ? realloc(dw, cap * 8) : dw;
                if (!p) {
                        fprintf(stderr, "instr-walk: out of memory\n");
                        free(dw);
                        fclose(f);
                        return 1;
                }
                if (n == cap)
                        cap *= 2;
                dw = p;
                size_t got = fread(dw + n, 4, cap - n, f);
                n += got;
                if (got == 0)
                        break;
        }
        fclose(f);

        for (size_t i = 0; i < n;) {
                struct gd_instr in;
                gd_instr_decode(dw + i, n - i, ver, ek, &in);
                printf("0x%" PRIx64 " %u %s\n", base + i * 4, in.length, in.name ? in.name : "?");
                i += in.length ? in.length : 1;
        }
        free(dw);
        return 0;
}
