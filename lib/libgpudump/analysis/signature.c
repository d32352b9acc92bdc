/* SPDX-License-Identifier: MIT */
/*
 * The fallback hang signature, used when the analysis pass did not set one (it was
 * skipped with GPUDUMP_OPEN_NO_ANALYSIS, or it found nothing to key on). It hashes only what is
 * stable between two runs of the same hang: format, driver, device, the engine class and queue
 * class, and the reason with its numbers removed (seqnos and ids change from run to run).
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "formats.h"

static void upd(EVP_MD_CTX *ctx, const char *s) {
        if (s)
                EVP_DigestUpdate(ctx, s, strlen(s));
        EVP_DigestUpdate(ctx, "\x1f", 1);
}

int gd_signature_fallback(struct gpudump_dump *d) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned mdlen = 0;
        char buf[96];
        EVP_MD_CTX *ctx;

        if (d->format == GPUDUMP_FORMAT_UNKNOWN) {
                /* Nothing to key on but how big the input is: its power-of-two class. */
                unsigned cls = 0;
                for (uint64_t s = d->size; s > 1; s >>= 1)
                        cls++;
                snprintf(buf, sizeof(buf), "unknown-size%u", cls);
                d->signature = strdup(buf);
                return d->signature ? 0 : -ENOMEM;
        }

        ctx = EVP_MD_CTX_new();
        if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
                EVP_MD_CTX_free(ctx);
                return -ENOMEM;
        }
        upd(ctx, gd_format_name(d->format));
        upd(ctx, d->driver);
        snprintf(buf, sizeof(buf), "%d", d->pci_id);
        upd(ctx, buf);
        if (d->reason) {
                /* "Timedout job - seqno=4242, ..." -> "Timedout job - seqno=#, ...". */
                char *r = strdup(d->reason), *w = r;
                if (r) {
                        for (const char *p = d->reason; *p; p++) {
                                if (*p >= '0' && *p <= '9') {
                                        if (w == r || w[-1] != '#')
                                                *w++ = '#';
                                } else
                                        *w++ = *p;
                        }
                        *w = 0;
                        upd(ctx, r);
                        free(r);
                }
        }
        for (size_t i = 0; i < d->n_engines; i++)
                if (d->engines[i].blamed)
                        upd(ctx, d->engines[i].class_name);
        if (d->n_contexts > 0) {
                snprintf(buf, sizeof(buf), "%d", d->contexts[0].class_id);
                upd(ctx, buf);
        }
        if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen < 8) {
                EVP_MD_CTX_free(ctx);
                return -ENOMEM;
        }
        EVP_MD_CTX_free(ctx);
        int n = snprintf(buf, sizeof(buf), "%s-", gd_format_name(d->format));
        for (unsigned i = 0; i < 8; i++)
                n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%02x", md[i]);
        d->signature = strdup(buf);
        return d->signature ? 0 : -ENOMEM;
}

const char *gd_signature(struct gpudump_dump *d) {
        /* The signature is computed once; the lock makes the lazy fallback safe from threads. */
        pthread_mutex_lock(&d->lock);
        if (!d->signature)
                (void)gd_signature_fallback(d);
        pthread_mutex_unlock(&d->lock);
        return d->signature;
}
