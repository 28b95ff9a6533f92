/*
 * afd_format.c - text and JSON of decoded Winsock-AFD events. Only visible
 * rows are ever formatted, but a list scrolls fast, so numbers are written by
 * hand instead of through printf.
 */
#include <wsk/afd.h>
#include <wsk/nts.h>

#include <string.h>

/* A bounded writer with snprintf semantics: n counts the full length; the NUL is written once, by
   sb_done, so the per-character path is a compare and a store. */
typedef struct sbuf {
    char *p;
    size_t cap, n;
} sbuf;

static void sb_init(sbuf *b, char *p, size_t cap)
{
    b->p = p;
    b->cap = cap;
    b->n = 0;
}

static size_t sb_done(sbuf *b)
{
    if (b->cap)
        b->p[b->n < b->cap ? b->n : b->cap - 1] = 0;
    return b->n;
}

static void sb_putc(sbuf *b, char c)
{
    if (b->n + 1 < b->cap)
        b->p[b->n] = c;
    b->n++;
}

static void sb_write(sbuf *b, const char *s, size_t len)
{
    if (b->n + len < b->cap) {
        memcpy(b->p + b->n, s, len);
        b->n += len;
    } else {
        for (size_t i = 0; i < len; i++)
            sb_putc(b, s[i]);
    }
}

static void sb_puts(sbuf *b, const char *s)
{
    sb_write(b, s, strlen(s));
}

static void sb_dec(sbuf *b, uint64_t v)
{
    char t[24];
    int n = 24;
    do {
        t[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    sb_write(b, t + n, (size_t)(24 - n));
}

static void sb_signed(sbuf *b, int64_t v)
{
    if (v < 0) {
        sb_putc(b, '-');
        sb_dec(b, (uint64_t)0 - (uint64_t)v);
    } else {
        sb_dec(b, (uint64_t)v);
    }
}

static const char hexd[] = "0123456789abcdef";

/* Lowercase hex without leading zeros. */
static void sb_hexn(sbuf *b, uint64_t v)
{
    char t[16];
    int n = 16;
    do {
        t[--n] = hexd[v & 15];
        v >>= 4;
    } while (v);
    sb_write(b, t + n, (size_t)(16 - n));
}

static void sb_hex(sbuf *b, uint64_t v)
{
    sb_puts(b, "0x");
    sb_hexn(b, v);
}

static void sb_bytes_hex(sbuf *b, const uint8_t *p, uint32_t n)
{
    sb_puts(b, "0x");
    for (uint32_t i = 0; i < n; i++) {
        sb_putc(b, hexd[p[i] >> 4]);
        sb_putc(b, hexd[p[i] & 15]);
    }
}

static void sb_ipv4(sbuf *b, const uint8_t *p)
{
    for (int i = 0; i < 4; i++) {
        if (i)
            sb_putc(b, '.');
        sb_dec(b, p[i]);
    }
}

/* RFC 5952: lowercase, no leading zeros, the longest run (>= 2) of zero groups
   compressed to "::" (the first one on ties), IPv4-mapped as ::ffff:a.b.c.d. */
static void sb_ipv6(sbuf *b, const uint8_t *p)
{
    uint16_t g[8];
    int best = -1, best_len = 0;
    for (int i = 0; i < 8; i++)
        g[i] = (uint16_t)(p[2 * i] << 8 | p[2 * i + 1]);
    if (!g[0] && !g[1] && !g[2] && !g[3] && !g[4] && g[5] == 0xffff) {
        sb_puts(b, "::ffff:");
        sb_ipv4(b, p + 12);
        return;
    }
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            sb_puts(b, "::");
            i += best_len - 1;
            continue;
        }
        if (i && i != best + best_len)
            sb_putc(b, ':');
        sb_hexn(b, g[i]);
    }
}

static void sb_address(sbuf *b, const afd_addr *a)
{
    switch (a->family) {
    case AFD_AF_INET:
        sb_ipv4(b, a->bytes);
        if (a->has_port) {
            sb_putc(b, ':');
            sb_dec(b, a->port);
        }
        return;
    case AFD_AF_INET6:
        if (a->has_port)
            sb_putc(b, '[');
        sb_ipv6(b, a->bytes);
        if (a->scope) {
            sb_putc(b, '%');
            sb_dec(b, a->scope);
        }
        if (a->has_port) {
            sb_puts(b, "]:");
            sb_dec(b, a->port);
        }
        return;
    case AFD_AF_UNIX:
        /* Control characters would break a one-line row; the path stays readable otherwise. */
        for (uint32_t i = 0; i < a->raw_len; i++)
            sb_putc(b, a->raw[i] < 0x20 || a->raw[i] == 0x7f ? '?' : (char)a->raw[i]);
        return;
    default:
        if (a->family == 0 && a->raw_len == 0)
            return;
        sb_puts(b, "family ");
        sb_dec(b, a->family);
        if (a->raw_len) {
            sb_putc(b, ' ');
            sb_bytes_hex(b, a->raw, a->raw_len);
        }
        return;
    }
}

size_t afd_format_address(const afd_addr *a, char *buf, size_t cap)
{
    sbuf b;
    sb_init(&b, buf, cap);
    if (a)
        sb_address(&b, a);
    return sb_done(&b);
}

/* The address a field of type IPV4/IPV6/SOCKADDR holds (without the separate Port of 1-41). */
static void field_addr(const afd_fields *f, size_t i, afd_addr *a)
{
    const afd_value *v = &f->v[i];
    uint8_t type = f->schema->fields[i].type;
    if (type == AFD_T_SOCKADDR) {
        afd_sockaddr_parse(v->data, v->len, a);
        return;
    }
    memset(a, 0, sizeof *a);
    a->family = type == AFD_T_IPV4 ? AFD_AF_INET : AFD_AF_INET6;
    memcpy(a->bytes, v->data, type == AFD_T_IPV4 ? 4 : 16);
}

static void sb_value(sbuf *b, const afd_fields *f, size_t i)
{
    const afd_field_def *fd = &f->schema->fields[i];
    const afd_value *v = &f->v[i];
    const char *mapped = fd->map ? afd_map_name((afd_map)fd->map, (uint32_t)v->u) : NULL;
    afd_addr a;
    char tmp[16];

    if (mapped) {
        sb_puts(b, mapped);
        sb_puts(b, " (");
    }
    switch (fd->type) {
    case AFD_T_POINTER:
    case AFD_T_HEX32:
        sb_hex(b, v->u);
        break;
    case AFD_T_I32:
        sb_signed(b, (int64_t)v->u);
        break;
    case AFD_T_BOOL:
        sb_puts(b, v->u ? "true" : "false");
        break;
    case AFD_T_NTSTATUS:
        sb_puts(b, nts_name((uint32_t)v->u, tmp, sizeof tmp));
        break;
    case AFD_T_IPV4:
    case AFD_T_IPV6:
    case AFD_T_SOCKADDR:
        field_addr(f, i, &a);
        sb_address(b, &a);
        break;
    default:
        sb_dec(b, v->u);
        break;
    }
    if (mapped)
        sb_putc(b, ')');
}

size_t afd_format_value(const afd_fields *f, size_t i, char *buf, size_t cap)
{
    sbuf b;
    sb_init(&b, buf, cap);
    if (f && f->schema && i < f->count)
        sb_value(&b, f, i);
    return sb_done(&b);
}

static void sb_malformed(sbuf *b, const afd_fields *f)
{
    const char *sep = "";
    sb_puts(b, "[malformed:");
    if (f->malformed & AFD_MAL_SHORT) {
        sb_puts(b, " short, ");
        sb_dec(b, f->count);
        sb_putc(b, '/');
        sb_dec(b, f->schema->nfields);
        sb_puts(b, " fields");
        sep = ";";
    }
    if (f->malformed & AFD_MAL_LONG) {
        sb_puts(b, sep);
        sb_putc(b, ' ');
        sb_dec(b, f->extra);
        sb_puts(b, " extra bytes");
        sep = ";";
    }
    if (f->malformed & AFD_MAL_ADDR) {
        sb_puts(b, sep);
        sb_puts(b, " truncated sockaddr");
    }
    sb_putc(b, ']');
}

size_t afd_format_details(const afd_fields *f, char *buf, size_t cap)
{
    sbuf b;
    sb_init(&b, buf, cap);
    if (!f || !f->schema)
        return sb_done(&b);
    for (size_t i = 0; i < f->count; i++) {
        if (i)
            sb_putc(&b, ' ');
        sb_puts(&b, f->schema->fields[i].name);
        sb_putc(&b, '=');
        sb_value(&b, f, i);
    }
    if (f->malformed) {
        if (f->count)
            sb_putc(&b, ' ');
        sb_malformed(&b, f);
    }
    return sb_done(&b);
}

/* A JSON string of text that is already formatted (addresses): escapes what JSON requires;
   bytes >= 0x80 (AF_UNIX paths) become \u00XX so the output stays valid UTF-8. */
static void sb_json_str(sbuf *b, const char *s, size_t n)
{
    sb_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            sb_putc(b, '\\');
            sb_putc(b, (char)c);
        } else if (c < 0x20 || c >= 0x7f) {
            sb_puts(b, "\\u00");
            sb_putc(b, hexd[c >> 4]);
            sb_putc(b, hexd[c & 15]);
        } else {
            sb_putc(b, (char)c);
        }
    }
    sb_putc(b, '"');
}

size_t afd_format_json(const afd_fields *f, char *buf, size_t cap)
{
    sbuf b;
    sb_init(&b, buf, cap);
    if (!f || !f->schema)
        return sb_done(&b);
    sb_putc(&b, '{');
    for (size_t i = 0; i < f->count; i++) {
        const afd_field_def *fd = &f->schema->fields[i];
        const afd_value *v = &f->v[i];
        if (i)
            sb_putc(&b, ',');
        sb_putc(&b, '"');
        sb_puts(&b, fd->name);
        sb_puts(&b, "\":");
        switch (fd->type) {
        case AFD_T_POINTER:
            sb_putc(&b, '"');
            sb_hex(&b, v->u);
            sb_putc(&b, '"');
            break;
        case AFD_T_I32:
            sb_signed(&b, (int64_t)v->u);
            break;
        case AFD_T_BOOL:
            sb_puts(&b, v->u ? "true" : "false");
            break;
        case AFD_T_IPV4:
        case AFD_T_IPV6:
        case AFD_T_SOCKADDR: {
            char text[300];
            afd_addr a;
            size_t n;
            field_addr(f, i, &a);
            n = afd_format_address(&a, text, sizeof text);
            if (n >= sizeof text) {
                /* a long AF_UNIX path or unknown family: fall back to the raw bytes */
                sb_putc(&b, '"');
                sb_bytes_hex(&b, v->data, v->len);
                sb_putc(&b, '"');
            } else {
                sb_json_str(&b, text, n);
            }
            break;
        }
        default:
            sb_dec(&b, v->u);
            break;
        }
    }
    sb_putc(&b, '}');
    return sb_done(&b);
}
