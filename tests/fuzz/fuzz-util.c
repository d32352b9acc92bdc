/* SPDX-License-Identifier: MIT */
#include "gpudump.h"
#include "fuzz.h"

/* json-c writes well-formed JSON from any tree, but passes string bytes >= 0x80 through as they
 * are: what can go wrong is a string that is not UTF-8 (the library promises clean UTF-8),
 * or a report that is not one object. Checking that costs far less than parsing it back. */
void fuzz_check_json(const char *json) {
        const uint8_t *p = (const uint8_t *)json;
        size_t n = strlen(json);

        if (n < 2 || p[0] != '{' || p[n - 1] != '}')
                abort();
        for (size_t i = 0; i < n;) {
                uint8_t c = p[i];
                size_t k;
                uint32_t cp;

                if (c < 0x80) {
                        i++;
                        continue;
                }
                if (c >= 0xc2 && c <= 0xdf)
                        k = 1, cp = c & 0x1f;
                else if (c >= 0xe0 && c <= 0xef)
                        k = 2, cp = c & 0x0f;
                else if (c >= 0xf0 && c <= 0xf4)
                        k = 3, cp = c & 0x07;
                else
                        abort(); /* not a UTF-8 lead byte */
                if (i + k >= n)
                        abort();
                for (size_t j = 1; j <= k; j++) {
                        if ((p[i + j] & 0xc0) != 0x80)
                                abort();
                        cp = cp << 6 | (p[i + j] & 0x3f);
                }
                if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
                    (cp >= 0xd800 && cp <= 0xdfff))
                        abort(); /* overlong, out of range or a surrogate */
                i += k + 1;
        }
}

static const char *const blob_names[] = { "HWSP", "HWCTX", "LOG", "CTB", "batch", "ring" };

void fuzz_read_vmas(struct gpudump_dump *d) {
        size_t n = gpudump_dump_get_n_vmas(d);
        uint8_t buf[64];

        for (size_t i = 0; i < n; i++) {
                struct gpudump_vma *v = gpudump_dump_get_vma(d, i);
                uint64_t a = gpudump_vma_get_address(v), len = gpudump_vma_get_length(v);
                void *data = NULL;
                size_t size = 0;

                /* A VMA with a declared length yields exactly that (else -EBADMSG); data without
                 * a .length line (length 0) is a warning and yields what it encodes. */
                if (gpudump_vma_read(v, &data, &size) == 0 && len != 0 && size != len)
                        abort();
                free(data);
                (void)gpudump_dump_read_va(d, a, buf, sizeof(buf));
                (void)gpudump_dump_read_va(d, a + len - 4, buf, 8);
                (void)gpudump_dump_read_va(d, a - 4, buf, 8);
                (void)gpudump_dump_find_vma(d, a + len / 2);
        }
        for (size_t i = 0; i < sizeof(blob_names) / sizeof(blob_names[0]); i++) {
                void *data = NULL;
                size_t size = 0;

                if (gpudump_dump_read_blob(d, blob_names[i], &data, &size) == 0)
                        free(data);
        }
}
