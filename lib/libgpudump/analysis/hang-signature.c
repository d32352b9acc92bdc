/* SPDX-License-Identifier: MIT */
/*
 * The hang signature (docs/signature.md): a short string that is equal for two dumps of the
 * same hang and different for different hangs. Built only from what identifies a hang and
 * survives a rerun: driver, engine class, the hung instruction's name, its offset inside its
 * batch, the chain depth, and the kind of reason. Addresses, seqnos, pids, GuC ids and memory
 * contents change from run to run and never enter it.
 *
 *   <driver>:<class>:<instruction>-<hash>       e.g. xe:compute:MI_SEMAPHORE_WAIT-3f09c2a1d4b7
 * where <hash> is the first 12 hex digits of SHA-256 over the canonical form
 *   <driver>:<class>:<instruction>@<offset>:<reason-kind>
 * with <offset> "0x40", "0x40.depth1" (inside a chained batch) or "ring".
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "formats.h"
#include "gd-macro.h"

char *gd_reason_kind(const char *reason) {
        char buf[48];
        size_t n = 0;
        unsigned words = 0;
        bool stop = false;

        if (!reason || !*reason)
                return strdup("none");
        /* The leading words up to the first value, letters only: "Timedout job - seqno=4242, ..."
         * -> "timedout-job", "GPU HANG: ecode 12:..." -> "gpu-hang", "GT0 TLB invalidation
         * time'd out, seqno=..." -> "gt-tlb-invalidation-timed-out". Digits (GT0, ids) drop out. */
        for (const char *p = reason; *p && !stop && words < 6;) {
                while (*p == ' ' || *p == '\t')
                        p++;
                size_t start = n;
                for (; *p && *p != ' ' && *p != '\t'; p++) {
                        unsigned char ch = (unsigned char)*p;
                        if (ch == ':' || ch == '=' || ch == ',' || ch == ';' || ch == '(' || ch == '[') {
                                stop = true;
                                break;
                        }
                        if ((isalpha(ch) || ch == '_') && n < sizeof(buf) - 2) {
                                if (n == start && n > 0)
                                        buf[n++] = '-', start = n;
                                buf[n++] = (char)tolower(ch);
                        }
                }
                if (n > start)
                        words++;
                /* a word with '=' is a key of a value, not part of the kind */
                if (stop && *p == '=') {
                        n = start;
                        if (n > 0 && buf[n - 1] == '-')
                                n--;
                }
        }
        buf[n] = '\0';
        if (n == 0)
                return strdup("other");
        return strdup(buf);
}

static int sha_hex(const char *s, char *out, size_t digits) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned len = 0;
        if (EVP_Digest(s, strlen(s), md, &len, EVP_sha256(), NULL) != 1 || len * 2 < digits)
                return -ENOMEM;
        for (size_t i = 0; i < digits / 2; i++)
                snprintf(out + 2 * i, 3, "%02x", md[i]);
        out[digits] = '\0';
        return 0;
}

char *gd_signature_compose(const char *driver, const char *klass, const char *instr,
                           const char *offset, const char *reason_kind) {
        _cleanup_free_ char *canon = NULL;
        char hex[13];
        char *out = NULL;

        if (asprintf(&canon, "%s:%s:%s@%s:%s", driver, klass, instr, offset, reason_kind) < 0)
                return NULL;
        if (sha_hex(canon, hex, 12) < 0)
                return NULL;
        if (asprintf(&out, "%s:%s:%s-%s", driver, klass, instr, hex) < 0)
                return NULL;
        return out;
}

/* Signature-safe token: no spaces or colons. */
static char *token(const char *s) {
        char *t = strdup(s ? s : "unknown");
        if (!t)
                return NULL;
        for (char *p = t; *p; p++)
                if (*p == ' ' || *p == ':' || *p == '@' || (unsigned char)*p < 0x20)
                        *p = '-';
        return t;
}

int gd_analysis_signature(struct gpudump_dump *d, struct gd_analysis *a) {
        const struct gd_hung *h = &a->hung;
        char buf[64];

        a->sig_driver = token(d->driver ? d->driver : gd_format_name(d->format));
        a->sig_class = token(a->blamed >= 0 ? d->engines[a->blamed].class_name : "unknown");
        if (h->present && h->hung_index != SIZE_MAX) {
                const struct gd_instr *in = &h->window[h->hung_index].in;
                if (in->name)
                        snprintf(buf, sizeof(buf), "%s", in->name);
                else
                        snprintf(buf, sizeof(buf), "unknown-0x%08" PRIx32,
                                 in->header & (in->type == 0 ? 0xff800000u :
                                               in->type == 2 ? 0xffc00000u :
                                               in->type == 3 ? 0xffff0000u : 0xffffffffu));
                a->sig_instr = token(buf);
                uint64_t off = h->window[h->hung_index].address - h->batch_start;
                if (h->in_ring && h->depth == 0)
                        snprintf(buf, sizeof(buf), "ring");
                else if (h->depth > 0)
                        snprintf(buf, sizeof(buf), "0x%" PRIx64 ".depth%u", off, h->depth);
                else
                        snprintf(buf, sizeof(buf), "0x%" PRIx64, off);
                a->sig_offset = strdup(buf);
        } else {
                a->sig_instr = strdup("none");
                a->sig_offset = strdup("none");
        }
        a->sig_reason = gd_reason_kind(d->reason);
        if (!a->sig_driver || !a->sig_class || !a->sig_instr || !a->sig_offset || !a->sig_reason)
                return -ENOMEM;
        char *sig = gd_signature_compose(a->sig_driver, a->sig_class, a->sig_instr, a->sig_offset,
                                         a->sig_reason);
        if (!sig)
                return -ENOMEM;
        free(d->signature);
        d->signature = sig;
        return 0;
}
