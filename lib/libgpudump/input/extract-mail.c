/* SPDX-License-Identifier: MIT */
/*
 * Mail (RFC 822/2045/2046): the header block, MIME multipart bodies (nested), message/rfc822
 * parts, and the transfer encodings quoted-printable (soft line breaks, =XX) and base64. Each
 * text part becomes a segment whose lines still name the message's own lines; a base64
 * attachment that decodes to a bare dump (text or binary) is a found dump as it is.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "extract-int.h"
#include "gd-macro.h"

#define MAX_DEPTH 8        /* nesting of multiparts and forwarded messages */
#define FIELD_MAX 1024     /* bytes kept of an unfolded Content-Type value */

static bool is_header_line(const struct tline *l) {
        size_t i = 0;

        while (i < l->len && l->p[i] > ' ' && l->p[i] < 0x7f && l->p[i] != ':')
                i++;
        return i > 0 && i < l->len && l->p[i] == ':';
}

static bool known_field(const struct tline *l) {
        static const char *const names[] = {
                "from:", "to:", "cc:", "subject:", "date:", "message-id:", "received:",
                "mime-version:", "content-type:", "return-path:", "delivered-to:", "in-reply-to:",
                "references:", "list-id:", "reply-to:", "sender:", "user-agent:",
        };
        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                size_t k = strlen(names[i]);
                if (l->len >= k && strncasecmp((const char *)l->p, names[i], k) == 0)
                        return true;
        }
        return false;
}

bool gd_x_mail_detect(const struct tvec *lines) {
        size_t i = 0, known = 0;

        if (lines->n > 0 && lines->v[0].len >= 5 && memcmp(lines->v[0].p, "From ", 5) == 0)
                i = 1; /* mbox separator */
        if (i >= lines->n || !is_header_line(&lines->v[i]))
                return false;
        for (; i < lines->n && i < 200 && lines->v[i].len > 0; i++) {
                const struct tline *l = &lines->v[i];
                if (l->p[0] == ' ' || l->p[0] == '\t')
                        continue;
                if (!is_header_line(l))
                        return false;
                known += known_field(l);
        }
        return known >= 2;
}

struct entity {
        char type[FIELD_MAX];     /* unfolded Content-Type value, lowercase type/subtype first */
        char encoding[64];        /* Content-Transfer-Encoding, lowercase */
        size_t body;              /* index of the first body line */
};

/* Append an (unfolded) header value to buf, bounded. */
static void field_append(char *buf, size_t size, const uint8_t *p, size_t n) {
        size_t have = strlen(buf);

        while (n > 0 && (*p == ' ' || *p == '\t')) {
                p++;
                n--;
        }
        if (have > 0 && have + 1 < size)
                buf[have++] = ' ';
        if (n > size - 1 - have)
                n = size - 1 - have;
        memcpy(buf + have, p, n);
        buf[have + n] = 0;
}

static void parse_headers(const struct tvec *lines, size_t a, size_t b, struct entity *e) {
        char *cur = NULL;
        size_t cur_size = 0;
        size_t i = a;

        *e = (struct entity){};
        if (i < b && lines->v[i].len >= 5 && memcmp(lines->v[i].p, "From ", 5) == 0)
                i++;
        for (; i < b && lines->v[i].len > 0; i++) {
                const struct tline *l = &lines->v[i];
                if ((l->p[0] == ' ' || l->p[0] == '\t')) {
                        if (cur)
                                field_append(cur, cur_size, l->p, l->len);
                        continue;
                }
                cur = NULL;
                if (!is_header_line(l))
                        break; /* not a header: the body starts without a blank line */
                if (l->len >= 13 && strncasecmp((const char *)l->p, "content-type:", 13) == 0) {
                        cur = e->type;
                        cur_size = sizeof(e->type);
                        field_append(cur, cur_size, l->p + 13, l->len - 13);
                } else if (l->len >= 26 && strncasecmp((const char *)l->p, "content-transfer-encoding:", 26) == 0) {
                        cur = e->encoding;
                        cur_size = sizeof(e->encoding);
                        field_append(cur, cur_size, l->p + 26, l->len - 26);
                }
        }
        e->body = i < b && lines->v[i].len == 0 ? i + 1 : i;
        for (char *s = e->encoding; *s; s++)
                *s = (char)tolower((unsigned char)*s);
}

static bool type_is(const struct entity *e, const char *prefix) {
        return strncasecmp(e->type, prefix, strlen(prefix)) == 0;
}

/* The boundary="..." parameter of a multipart Content-Type. */
static bool get_boundary(const struct entity *e, char *buf, size_t size) {
        const char *s = e->type;

        for (; *s; s++) {
                if (strncasecmp(s, "boundary=", 9) != 0 || (s != e->type && s[-1] != ';' && s[-1] != ' '))
                        continue;
                s += 9;
                bool quoted = *s == '"';
                size_t n = 0;
                s += quoted;
                while (s[n] && (quoted ? s[n] != '"' : (s[n] != ';' && s[n] != ' ')))
                        n++;
                if (n == 0 || n + 1 > size)
                        return false;
                memcpy(buf, s, n);
                buf[n] = 0;
                return true;
        }
        return false;
}

static int hexval(uint8_t c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        c = (uint8_t)tolower(c);
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        return -1;
}

/* Quoted-printable: a line ending in '=' continues on the next (soft break); =XX is a byte. The
 * decoded line keeps the original line of its first piece. */
static int qp_decode(struct xstate *x, const struct tvec *lines, size_t a, size_t b, struct tvec *ret) {
        size_t total = 0;
        uint8_t *buf, *o;

        for (size_t i = a; i < b; i++)
                total += lines->v[i].len + 1;
        buf = gd_x_arena_alloc(&x->arena, total + 1);
        if (!buf)
                return -ENOMEM;
        o = buf;
        for (size_t i = a; i < b;) {
                struct tline out = lines->v[i];
                uint8_t *start = o;
                out.exact = false;
                out.strip |= GD_STRIP_QP;
                for (;;) {
                        const struct tline *l = &lines->v[i];
                        size_t n = l->len;
                        bool soft = false;
                        /* Trailing whitespace is not part of a QP line (RFC 2045 6.7 rule 3). */
                        while (n > 0 && (l->p[n - 1] == ' ' || l->p[n - 1] == '\t'))
                                n--;
                        if (n > 0 && l->p[n - 1] == '=') {
                                soft = true;
                                n--;
                        }
                        for (size_t k = 0; k < n; k++) {
                                int h1, h2;
                                if (l->p[k] == '=' && k + 2 < n && (h1 = hexval(l->p[k + 1])) >= 0 &&
                                    (h2 = hexval(l->p[k + 2])) >= 0) {
                                        *o++ = (uint8_t)(h1 << 4 | h2);
                                        k += 2;
                                } else
                                        *o++ = l->p[k];
                        }
                        i++;
                        out.newline = l->newline;
                        if (!soft || i >= b)
                                break;
                }
                out.p = start;
                out.len = (size_t)(o - start);
                /* A decoded =0A splits the line: keep the pieces as lines of their own. */
                const uint8_t *s = out.p, *end = out.p + out.len;
                for (;;) {
                        const uint8_t *nl = memchr(s, '\n', (size_t)(end - s));
                        struct tline piece = out;
                        piece.p = s;
                        piece.len = (size_t)((nl ? nl : end) - s);
                        if (piece.len > 0 && piece.p[piece.len - 1] == '\r') {
                                piece.len--;
                                piece.strip |= GD_STRIP_CRLF;
                        }
                        if (nl)
                                piece.newline = true;
                        int r = gd_x_tvec_push(ret, &piece);
                        if (r < 0)
                                return r;
                        if (!nl || nl + 1 == end)
                                break;
                        s = nl + 1;
                }
        }
        return 0;
}

static int b64val(uint8_t c) {
        if (c >= 'A' && c <= 'Z')
                return c - 'A';
        if (c >= 'a' && c <= 'z')
                return c - 'a' + 26;
        if (c >= '0' && c <= '9')
                return c - '0' + 52;
        if (c == '+' || c == '-')
                return 62;
        if (c == '/' || c == '_')
                return 63;
        return -1;
}

/* Base64 into one buffer; starts[i] is where line a+i's output begins, so decoded lines can
 * name the encoded line they came from. */
static int b64_decode(struct xstate *x, const struct tvec *lines, size_t a, size_t b, uint8_t **ret,
                      size_t *ret_size, size_t **ret_starts) {
        size_t total = 0;
        uint8_t *buf, *o;
        size_t *starts;
        uint32_t acc = 0;
        unsigned bits = 0;

        for (size_t i = a; i < b; i++)
                total += lines->v[i].len;
        buf = gd_x_arena_alloc(&x->arena, total / 4 * 3 + 4);
        starts = (size_t *)gd_x_arena_alloc(&x->arena, (b - a + 1) * sizeof(size_t));
        if (!buf || !starts)
                return -ENOMEM;
        o = buf;
        for (size_t i = a; i < b; i++) {
                const struct tline *l = &lines->v[i];
                starts[i - a] = (size_t)(o - buf);
                for (size_t k = 0; k < l->len; k++) {
                        int v = b64val(l->p[k]);
                        if (v < 0)
                                continue; /* '=', whitespace, junk */
                        acc = acc << 6 | (uint32_t)v;
                        bits += 6;
                        if (bits >= 8) {
                                bits -= 8;
                                *o++ = (uint8_t)(acc >> bits);
                        }
                }
        }
        starts[b - a] = (size_t)(o - buf);
        *ret = buf;
        *ret_size = (size_t)(o - buf);
        *ret_starts = starts;
        return 0;
}

static int leaf(struct xstate *x, const struct tvec *lines, size_t a, size_t b, const struct entity *e,
                unsigned strip) {
        struct tvec out = {};
        bool html = type_is(e, "text/html");
        int r;

        if (a >= b)
                return 0;
        if (strcmp(e->encoding, "quoted-printable") == 0) {
                r = qp_decode(x, lines, a, b, &out);
                if (r < 0) {
                        free(out.v);
                        return r;
                }
                return gd_x_add_segment(x, &out, strip | GD_STRIP_QP, html);
        }
        if (strcmp(e->encoding, "base64") == 0) {
                uint8_t *data;
                size_t size, *starts;
                r = b64_decode(x, lines, a, b, &data, &size, &starts);
                if (r < 0)
                        return r;
                strip |= GD_STRIP_BASE64;
                if (gd_extract_is_bare(data, size)) {
                        /* An attached dump: as the kernel wrote it (binary formats too). */
                        uint8_t *copy = malloc(size ? size : 1);
                        if (!copy)
                                return -ENOMEM;
                        memcpy(copy, data, size);
                        return gd_x_add_found_bytes(x, copy, size, lines->v[a].line, lines->v[b - 1].line, strip);
                }
                r = gd_x_split_lines(data, size, 0, 0, false, &out);
                if (r < 0) {
                        free(out.v);
                        return r;
                }
                /* Name each decoded line after the encoded line its first byte came from. */
                size_t k = a;
                for (size_t i = 0; i < out.n; i++) {
                        size_t at = (size_t)(out.v[i].p - data);
                        while (k + 1 < b && starts[k + 1 - a] <= at)
                                k++;
                        out.v[i].line = lines->v[k].line;
                        out.v[i].in = lines->v[k].in;
                        out.v[i].strip |= GD_STRIP_BASE64;
                }
                return gd_x_add_segment(x, &out, strip, html);
        }
        for (size_t i = a; i < b; i++) {
                r = gd_x_tvec_push(&out, &lines->v[i]);
                if (r < 0) {
                        free(out.v);
                        return r;
                }
        }
        return gd_x_add_segment(x, &out, strip, html);
}

static bool is_boundary(const struct tline *l, const char *bd, size_t bn, bool *ret_close) {
        size_t n = l->len;

        while (n > 0 && (l->p[n - 1] == ' ' || l->p[n - 1] == '\t'))
                n--;
        if (n < bn + 2 || l->p[0] != '-' || l->p[1] != '-' || memcmp(l->p + 2, bd, bn) != 0)
                return false;
        if (n == bn + 2) {
                *ret_close = false;
                return true;
        }
        if (n == bn + 4 && l->p[bn + 2] == '-' && l->p[bn + 3] == '-') {
                *ret_close = true;
                return true;
        }
        return false;
}

static int entity(struct xstate *x, const struct tvec *lines, size_t a, size_t b, unsigned strip,
                  unsigned depth) {
        struct entity e;
        char bd[256];

        parse_headers(lines, a, b, &e);
        if (depth < MAX_DEPTH && type_is(&e, "multipart/") && get_boundary(&e, bd, sizeof(bd))) {
                size_t bn = strlen(bd), part = SIZE_MAX;
                bool close = false;
                int r;
                for (size_t i = e.body; i < b && !close; i++) {
                        if (!is_boundary(&lines->v[i], bd, bn, &close))
                                continue;
                        if (part != SIZE_MAX) {
                                r = entity(x, lines, part, i, strip | GD_STRIP_MIME, depth + 1);
                                if (r < 0)
                                        return r;
                        }
                        part = i + 1;
                }
                if (part != SIZE_MAX && !close)
                        return entity(x, lines, part, b, strip | GD_STRIP_MIME, depth + 1);
                return 0;
        }
        if (depth < MAX_DEPTH && type_is(&e, "message/rfc822"))
                return entity(x, lines, e.body, b, strip, depth + 1);
        return leaf(x, lines, e.body, b, &e, strip);
}

int gd_x_mail_split(struct xstate *x, const struct tvec *lines) {
        return entity(x, lines, 0, lines->n, GD_STRIP_MAIL_HEADERS, 0);
}
