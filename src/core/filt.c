/*
 * filt.c - the display-filter language (filt.h): a lexer, a recursive-descent
 * parser that resolves every value against its field's kind at compile time
 * (so evaluation never parses text), and a tree evaluator over store rows and
 * sockets.
 */
#include "wsk/filt.h"
#include "wsk/nts.h"
#include "wsk/rx.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- fields ---- */

typedef enum field_kind {
    FK_NUM,     /* plain number */
    FK_HEX,     /* number shown in hex (pointers) */
    FK_DUR,     /* 100 ns units; values take time units */
    FK_BYTES,   /* values take byte units */
    FK_STATUS,  /* NTSTATUS: success/pending/error classes and names */
    FK_OPS,     /* the event's operation aliases (or its id) */
    FK_STR,     /* text */
    FK_ENUM,    /* small number with names */
    FK_ADDR,    /* network address */
    FK_BOOL,
    FK_PAYLOAD, /* a decoded AFD field, typed by the event's schema */
} field_kind;

typedef enum field_id {
    F_PID, F_TID, F_CPU, F_ID, F_LEVEL, F_OPCODE, F_BYTES, F_STATUS, F_EVENT, F_NAME, F_MALFORMED,
    F_S_PID, F_S_PROCESS, F_S_ENDPOINT, F_S_GENERATION, F_S_STATE, F_S_OUTCOME, F_S_FAMILY, F_S_TYPE,
    F_S_PROTOCOL, F_S_DURATION, F_S_ERROR, F_S_SENDS, F_S_RECEIVES, F_S_BYTES_SENT, F_S_BYTES_RECEIVED,
    F_S_EVENTS, F_S_PREEXISTING, F_LOCAL, F_REMOTE, F_LOCAL_PORT, F_REMOTE_PORT, F_PAYLOAD,
} field_id;

typedef struct field_def {
    const char *name;
    uint8_t id;
    uint8_t kind;
    uint8_t socket; /* needs the row's socket */
} field_def;

static const field_def fields[] = {
    {"pid", F_PID, FK_NUM, 0},
    {"tid", F_TID, FK_NUM, 0},
    {"cpu", F_CPU, FK_NUM, 0},
    {"id", F_ID, FK_NUM, 0},
    {"event.id", F_ID, FK_NUM, 0},
    {"level", F_LEVEL, FK_NUM, 0},
    {"opcode", F_OPCODE, FK_NUM, 0},
    {"bytes", F_BYTES, FK_BYTES, 0},
    {"status", F_STATUS, FK_STATUS, 0},
    {"event", F_EVENT, FK_OPS, 0},
    {"name", F_NAME, FK_STR, 0},
    {"malformed", F_MALFORMED, FK_BOOL, 0},
    {"socket.pid", F_S_PID, FK_NUM, 1},
    {"process", F_S_PROCESS, FK_STR, 1},
    {"socket.process", F_S_PROCESS, FK_STR, 1},
    {"socket.endpoint", F_S_ENDPOINT, FK_HEX, 1},
    {"socket.generation", F_S_GENERATION, FK_NUM, 1},
    {"socket.state", F_S_STATE, FK_ENUM, 1},
    {"socket.outcome", F_S_OUTCOME, FK_ENUM, 1},
    {"socket.family", F_S_FAMILY, FK_ENUM, 1},
    {"socket.type", F_S_TYPE, FK_ENUM, 1},
    {"socket.protocol", F_S_PROTOCOL, FK_ENUM, 1},
    {"socket.duration", F_S_DURATION, FK_DUR, 1},
    {"socket.error", F_S_ERROR, FK_STATUS, 1},
    {"socket.sends", F_S_SENDS, FK_NUM, 1},
    {"socket.receives", F_S_RECEIVES, FK_NUM, 1},
    {"socket.bytes_sent", F_S_BYTES_SENT, FK_BYTES, 1},
    {"socket.bytes_received", F_S_BYTES_RECEIVED, FK_BYTES, 1},
    {"socket.events", F_S_EVENTS, FK_NUM, 1},
    {"socket.preexisting", F_S_PREEXISTING, FK_BOOL, 1},
    {"local", F_LOCAL, FK_ADDR, 1},
    {"remote", F_REMOTE, FK_ADDR, 1},
    {"local.port", F_LOCAL_PORT, FK_NUM, 1},
    {"remote.port", F_REMOTE_PORT, FK_NUM, 1},
};

typedef struct name_value {
    const char *name;
    uint32_t value;
} name_value;

static const name_value family_names[] = {
    {"ipv4", AFD_AF_INET}, {"inet", AFD_AF_INET}, {"af_inet", AFD_AF_INET},
    {"ipv6", AFD_AF_INET6}, {"inet6", AFD_AF_INET6}, {"af_inet6", AFD_AF_INET6},
    {"unix", AFD_AF_UNIX}, {"af_unix", AFD_AF_UNIX}, {NULL, 0},
};
static const name_value protocol_names[] = {
    {"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmpv6", 58}, {"raw", 255}, {NULL, 0},
};
static const name_value type_names[] = {
    {"stream", 1}, {"dgram", 2}, {"datagram", 2}, {"raw", 3}, {"rdm", 4}, {"seqpacket", 5}, {NULL, 0},
};

/* ---- values ---- */

typedef enum value_kind {
    V_NUM,          /* number (already scaled by its unit) */
    V_STATUS_CLASS, /* num: 0 success, 1 pending, 2 error, 3 warning, 4 info */
    V_WSA,          /* num: a Winsock error code: any status that maps to it */
    V_OPS,          /* num: AFD_OP_* bits */
    V_STR,
    V_ADDR,         /* addr, prefix (bits, -1 = whole address), with_port */
} value_kind;

typedef struct fvalue {
    uint8_t kind;
    int16_t prefix;
    uint8_t with_port;
    uint64_t num;
    afd_addr addr;
    char *str;
} fvalue;

enum { OP_EXISTS, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_IN, OP_CONTAINS, OP_MATCH };
enum { N_AND, N_OR, N_NOT, N_CMP, N_TRUE };

typedef struct fnode {
    uint8_t kind;
    uint8_t op;
    uint8_t field;      /* field_id */
    uint8_t fkind;      /* field_kind */
    int a, b;           /* children, or first value and value count for N_CMP */
    char *payload_name; /* F_PAYLOAD: canonical field name */
    rx *re;             /* OP_MATCH */
    uint8_t *memo;      /* socket fields during filt_select: per socket 0 unknown, 1 false, 2 true */
} fnode;

struct filt {
    fnode *nodes;
    int node_count, node_cap;
    fvalue *values;
    int value_count, value_cap;
    int root;
    int uses_event;
    int memo_sockets;   /* length of every node's memo (0: no memo in use) */
};

/* ---- lexer ---- */

enum tok_kind { T_END, T_WORD, T_STR, T_LP, T_RP, T_COMMA, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_MATCH, T_AND, T_OR,
                T_NOT, T_BAD };

typedef struct token {
    int kind;
    size_t pos;
    const char *text;
    size_t len;
} token;

typedef struct parser {
    const char *src;
    size_t pos;
    token tok;
    filt *f;
    filt_error *err;
    int failed;
} parser;

static int is_word_char(int c)
{
    return isalnum(c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '%' || c == '[' || c == ']';
}

static void next_token(parser *p)
{
    const char *s = p->src;
    while (s[p->pos] == ' ' || s[p->pos] == '\t' || s[p->pos] == '\r' || s[p->pos] == '\n')
        p->pos++;
    token t = {T_END, p->pos, s + p->pos, 0};
    char c = s[p->pos];
    char d = c ? s[p->pos + 1] : 0;
    if (!c) {
        p->tok = t;
        return;
    }
    t.len = 1;
    if (c == '(') {
        t.kind = T_LP;
    } else if (c == ')') {
        t.kind = T_RP;
    } else if (c == ',') {
        t.kind = T_COMMA;
    } else if (c == '~') {
        t.kind = T_MATCH;
    } else if (c == '=' && d == '=') {
        t.kind = T_EQ, t.len = 2;
    } else if (c == '!' && d == '=') {
        t.kind = T_NE, t.len = 2;
    } else if (c == '<') {
        t.kind = d == '=' ? T_LE : T_LT, t.len = d == '=' ? 2 : 1;
    } else if (c == '>') {
        t.kind = d == '=' ? T_GE : T_GT, t.len = d == '=' ? 2 : 1;
    } else if (c == '&' && d == '&') {
        t.kind = T_AND, t.len = 2;
    } else if (c == '|' && d == '|') {
        t.kind = T_OR, t.len = 2;
    } else if (c == '!') {
        t.kind = T_NOT;
    } else if (c == '=') {
        t.kind = T_EQ;
    } else if (c == '"') {
        size_t i = p->pos + 1;
        while (s[i] && s[i] != '"')
            i += (s[i] == '\\' && s[i + 1]) ? 2 : 1;
        if (!s[i]) {
            t.kind = T_BAD;
            t.len = i - p->pos;
        } else {
            t.kind = T_STR;
            t.text = s + p->pos + 1;
            t.len = i - p->pos - 1;
            p->pos = i + 1;
            p->tok = t;
            return;
        }
    } else if (is_word_char((unsigned char)c)) {
        size_t i = p->pos;
        while (is_word_char((unsigned char)s[i]))
            i++;
        t.kind = T_WORD;
        t.len = i - p->pos;
    } else {
        t.kind = T_BAD;
    }
    p->pos += t.len;
    p->tok = t;
}

static int word_is(const token *t, const char *w)
{
    size_t n = strlen(w);
    if (t->kind != T_WORD || t->len != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)t->text[i]) != w[i])
            return 0;
    return 1;
}

static void fail_at(parser *p, size_t pos, const char *msg)
{
    if (p->failed)
        return;
    p->failed = 1;
    p->err->column = pos + 1;
    snprintf(p->err->message, sizeof p->err->message, "%s", msg);
}

static const char *tok_desc(const token *t, char *buf, size_t cap)
{
    if (t->kind == T_END)
        return "the end";
    snprintf(buf, cap, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->text);
    return buf;
}

static void fail_expected(parser *p, const char *what)
{
    char found[64], msg[160];
    snprintf(msg, sizeof msg, "expected %s, found %s", what, tok_desc(&p->tok, found, sizeof found));
    fail_at(p, p->tok.pos, msg);
}

/* ---- node and value pools ---- */

static int add_node(parser *p, uint8_t kind)
{
    filt *f = p->f;
    if (f->node_count == f->node_cap) {
        int cap = f->node_cap ? f->node_cap * 2 : 16;
        fnode *n = realloc(f->nodes, sizeof *n * (size_t)cap);
        if (!n) {
            fail_at(p, p->tok.pos, "out of memory");
            return -1;
        }
        f->nodes = n;
        f->node_cap = cap;
    }
    fnode *n = &f->nodes[f->node_count];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    return f->node_count++;
}

static fvalue *add_value(parser *p)
{
    filt *f = p->f;
    if (f->value_count == f->value_cap) {
        int cap = f->value_cap ? f->value_cap * 2 : 16;
        fvalue *v = realloc(f->values, sizeof *v * (size_t)cap);
        if (!v) {
            fail_at(p, p->tok.pos, "out of memory");
            return NULL;
        }
        f->values = v;
        f->value_cap = cap;
    }
    fvalue *v = &f->values[f->value_count++];
    memset(v, 0, sizeof *v);
    return v;
}

/* ---- value literals ---- */

static int parse_ipv4(const char *s, size_t len, uint8_t out[4], size_t *used)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        unsigned v = 0, digits = 0;
        while (i < len && isdigit((unsigned char)s[i]) && digits < 4) {
            v = v * 10 + (unsigned)(s[i++] - '0');
            digits++;
        }
        if (!digits || v > 255)
            return 0;
        out[part] = (uint8_t)v;
        if (part < 3) {
            if (i >= len || s[i] != '.')
                return 0;
            i++;
        }
    }
    *used = i;
    return 1;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* RFC 4291 text form, with an optional embedded IPv4 tail. */
static int parse_ipv6(const char *s, size_t len, uint8_t out[16])
{
    uint16_t groups[8];
    int n = 0, gap = -1;
    size_t i = 0;
    if (len >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    } else if (len && s[0] == ':') {
        return 0;
    }
    while (i < len) {
        size_t start = i;
        unsigned v = 0;
        int digits = 0;
        while (i < len && hexval((unsigned char)s[i]) >= 0 && digits < 5) {
            v = v * 16 + (unsigned)hexval((unsigned char)s[i++]);
            digits++;
        }
        if (i < len && s[i] == '.') {
            uint8_t v4[4];
            size_t used;
            if (n > 6 || !parse_ipv4(s + start, len - start, v4, &used) || start + used != len)
                return 0;
            groups[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
            groups[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
            i = len;
            break;
        }
        if (!digits || digits > 4 || n == 8)
            return 0;
        groups[n++] = (uint16_t)v;
        if (i == len)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return 0;
            gap = n;
            i++;
        } else if (i == len) {
            return 0;
        }
    }
    if (gap < 0 && n != 8)
        return 0;
    if (gap >= 0 && n > 7)
        return 0;
    memset(out, 0, 16);
    int tail = gap < 0 ? 0 : n - gap;
    for (int k = 0; k < n - tail; k++) {
        out[2 * k] = (uint8_t)(groups[k] >> 8);
        out[2 * k + 1] = (uint8_t)groups[k];
    }
    for (int k = 0; k < tail; k++) {
        int pos = 8 - tail + k;
        out[2 * pos] = (uint8_t)(groups[gap + k] >> 8);
        out[2 * pos + 1] = (uint8_t)groups[gap + k];
    }
    return 1;
}

static int parse_uint(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (!len)
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)s[i]) || v > (UINT64_MAX - 9) / 10)
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 1;
}

/* Address literal: a.b.c.d[:port], [v6][:port], v6, with an optional /prefix. */
static int parse_address(const char *s, size_t len, fvalue *v)
{
    char buf[80];
    size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
    uint64_t num;
    memcpy(buf, s, n);
    buf[n] = 0;
    v->kind = V_ADDR;
    v->prefix = -1;
    char *slash = strchr(buf, '/');
    if (slash) {
        if (!parse_uint(slash + 1, strlen(slash + 1), &num) || num > 128)
            return 0;
        v->prefix = (int16_t)num;
        *slash = 0;
    }
    char *text = buf;
    char *port = NULL;
    if (text[0] == '[') {
        char *close = strchr(text, ']');
        if (!close)
            return 0;
        *close = 0;
        if (close[1] == ':')
            port = close + 2;
        else if (close[1])
            return 0;
        text++;
    } else if (strchr(text, '.') && strchr(text, ':') && strchr(text, ':') == strrchr(text, ':')) {
        /* a.b.c.d:port */
        port = strchr(text, ':');
        *port++ = 0;
    }
    char *pct = strchr(text, '%');
    if (pct) {
        if (!parse_uint(pct + 1, strlen(pct + 1), &num) || num > UINT32_MAX)
            return 0;
        v->addr.scope = (uint32_t)num;
        *pct = 0;
    }
    size_t used;
    if (!strchr(text, ':') && parse_ipv4(text, strlen(text), v->addr.bytes, &used) && used == strlen(text)) {
        v->addr.family = AFD_AF_INET;
        if (v->prefix > 32)
            return 0;
    } else if (parse_ipv6(text, strlen(text), v->addr.bytes)) {
        v->addr.family = AFD_AF_INET6;
    } else {
        return 0;
    }
    if (port) {
        if (!parse_uint(port, strlen(port), &num) || num > 65535 || v->prefix >= 0)
            return 0;
        v->addr.port = (uint16_t)num;
        v->addr.has_port = 1;
        v->with_port = 1;
    }
    return 1;
}

/* Number with an optional fraction and unit, scaled for the field kind. */
static int parse_number(const char *s, size_t len, field_kind kind, uint64_t *out, const char **why)
{
    size_t i = 0;
    uint64_t whole = 0, frac = 0, frac_scale = 1;
    if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        uint64_t v = 0;
        for (i = 2; i < len; i++) {
            int h = hexval((unsigned char)s[i]);
            if (h < 0 || v >> 60)
                return 0;
            v = v * 16 + (uint64_t)h;
        }
        *out = v;
        return 1;
    }
    while (i < len && isdigit((unsigned char)s[i])) {
        if (whole > UINT64_MAX / 10 - 1)
            return 0;
        whole = whole * 10 + (uint64_t)(s[i++] - '0');
    }
    if (!i)
        return 0;
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && isdigit((unsigned char)s[i])) {
            if (frac_scale < 1000000000ull) {
                frac = frac * 10 + (uint64_t)(s[i] - '0');
                frac_scale *= 10;
            }
            i++;
        }
    }
    char unit[8] = "";
    size_t ul = len - i;
    if (ul >= sizeof unit)
        return 0;
    for (size_t k = 0; k < ul; k++)
        unit[k] = (char)tolower((unsigned char)s[i + k]);
    unit[ul] = 0;
    uint64_t scale = 1;
    if (!ul) {
        if (kind == FK_DUR) {
            *why = "a duration needs a unit (ns, us, ms, s, m)";
            return 0;
        }
    } else if (kind == FK_DUR) {
        if (!strcmp(unit, "ns"))
            scale = 0; /* handled below: 100 ns units */
        else if (!strcmp(unit, "us"))
            scale = 10;
        else if (!strcmp(unit, "ms"))
            scale = 10000;
        else if (!strcmp(unit, "s"))
            scale = 10000000;
        else if (!strcmp(unit, "m") || !strcmp(unit, "min"))
            scale = 600000000;
        else {
            *why = "unknown time unit (ns, us, ms, s, m)";
            return 0;
        }
    } else if (kind == FK_BYTES || kind == FK_NUM || kind == FK_PAYLOAD) {
        if (!strcmp(unit, "b"))
            scale = 1;
        else if (!strcmp(unit, "kb") || !strcmp(unit, "kib") || !strcmp(unit, "k"))
            scale = 1024;
        else if (!strcmp(unit, "mb") || !strcmp(unit, "mib"))
            scale = 1024 * 1024;
        else if (!strcmp(unit, "gb") || !strcmp(unit, "gib"))
            scale = 1024ull * 1024 * 1024;
        else {
            *why = "unknown unit (B, KB, MB, GB)";
            return 0;
        }
    } else {
        *why = "this field takes no unit";
        return 0;
    }
    if (kind == FK_DUR && scale == 0) {
        *out = (whole + 50) / 100; /* ns -> 100 ns, fractions of ns ignored */
        return 1;
    }
    if (whole && scale > UINT64_MAX / whole)
        return 0;
    *out = whole * scale + frac * scale / frac_scale;
    return 1;
}

static int lookup_name(const name_value *table, const char *s, size_t len, uint64_t *out)
{
    for (; table->name; table++)
        if (strlen(table->name) == len && !strncmp(table->name, s, len)) {
            *out = table->value;
            return 1;
        }
    return 0;
}

static int strcasecmp_portable(const char *a, const char *b)
{
    for (;; a++, b++) {
        int d = tolower((unsigned char)*a) - tolower((unsigned char)*b);
        if (d || !*a)
            return d;
    }
}

static int lower_copy(const char *s, size_t len, char *buf, size_t cap)
{
    if (len >= cap)
        return 0;
    for (size_t i = 0; i < len; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    buf[len] = 0;
    return 1;
}

static int resolve_enum(const fnode *n, const char *w, size_t len, uint64_t *out)
{
    char low[40];
    if (!lower_copy(w, len, low, sizeof low))
        return 0;
    switch (n->field) {
    case F_S_STATE:
        for (unsigned k = 0; k < SOCK_STATE_COUNT; k++)
            if (!strcmp(low, sock_state_name((sock_state)k))) {
                *out = k;
                return 1;
            }
        return 0;
    case F_S_OUTCOME:
        for (unsigned k = 0; k < SOCK_OUTCOME_COUNT; k++)
            if (!strcmp(low, sock_outcome_name((sock_outcome)k))) {
                *out = k;
                return 1;
            }
        return 0;
    case F_S_FAMILY:
        return lookup_name(family_names, low, len, out);
    case F_S_PROTOCOL:
        return lookup_name(protocol_names, low, len, out);
    case F_S_TYPE:
        return lookup_name(type_names, low, len, out);
    default:
        return 0;
    }
}

static int resolve_status_word(const char *w, size_t len, fvalue *v)
{
    static const char *const classes[] = {"success", "pending", "error", "warning", "info"};
    char low[64];
    if (!lower_copy(w, len, low, sizeof low))
        return 0;
    for (unsigned k = 0; k < 5; k++)
        if (!strcmp(low, classes[k])) {
            v->kind = V_STATUS_CLASS;
            v->num = k;
            return 1;
        }
    for (size_t i = 0; i < nts_count(); i++) {
        const nts_info *in = nts_at(i);
        if (strlen(in->name) == len && !strncmp(in->name, w, len)) {
            v->kind = V_NUM;
            v->num = in->status;
            return 1;
        }
        if (in->wsa_name && strlen(in->wsa_name) == len && !strncmp(in->wsa_name, w, len)) {
            v->kind = V_WSA;
            v->num = in->wsa;
            return 1;
        }
    }
    return 0;
}

/* The text of a word or quoted string (backslash escapes removed) as a V_STR value. */
static int take_text(parser *p, fvalue *v, const token *t)
{
    v->kind = V_STR;
    v->str = malloc(t->len + 1);
    if (!v->str) {
        fail_at(p, t->pos, "out of memory");
        return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < t->len; i++) {
        if (t->kind == T_STR && t->text[i] == '\\' && i + 1 < t->len)
            i++;
        v->str[o++] = t->text[i];
    }
    v->str[o] = 0;
    return 0;
}

/* Parses one value token for node n's field into a new pool entry. */
static int parse_value(parser *p, fnode *n)
{
    token t = p->tok;
    fvalue *v = add_value(p);
    const char *why = NULL;
    if (!v)
        return -1;
    if (t.kind == T_STR) {
        if (take_text(p, v, &t) != 0)
            return -1;
        size_t o = strlen(v->str);
        if (n->fkind == FK_ADDR || n->fkind == FK_PAYLOAD) {
            /* A quoted address is an address, unless the operator wants text. */
            fvalue tmp;
            memset(&tmp, 0, sizeof tmp);
            if (n->op != OP_CONTAINS && n->op != OP_MATCH && parse_address(v->str, o, &tmp)) {
                free(v->str);
                *v = tmp;
            }
        }
        if (v->kind == V_STR && n->op != OP_CONTAINS && n->op != OP_MATCH && n->fkind != FK_STR) {
            fail_at(p, t.pos, "a text value needs a text field, 'contains' or '~'");
            return -1;
        }
        next_token(p);
        return 0;
    }
    if (t.kind != T_WORD) {
        fail_expected(p, "a value");
        return -1;
    }
    int ok = 0;
    switch (n->fkind) {
    case FK_ADDR:
        ok = parse_address(t.text, t.len, v);
        if (!ok)
            why = "expected an address (a.b.c.d, [v6]:port, a CIDR range like 10.0.0.0/8)";
        break;
    case FK_PAYLOAD:
        ok = (memchr(t.text, ':', t.len) || (memchr(t.text, '.', t.len) && isdigit((unsigned char)t.text[0])))
                 ? parse_address(t.text, t.len, v)
                 : (v->kind = V_NUM, parse_number(t.text, t.len, FK_PAYLOAD, &v->num, &why));
        break;
    case FK_STATUS:
        ok = resolve_status_word(t.text, t.len, v) || (v->kind = V_NUM, parse_number(t.text, t.len, FK_NUM, &v->num, &why));
        if (!ok && !why)
            why = "expected a status: success, pending, error, a STATUS_ or WSAE name, or a number";
        break;
    case FK_OPS: {
        char low[40];
        uint32_t bit = lower_copy(t.text, t.len, low, sizeof low) ? afd_op_from_name(low) : 0;
        if (bit) {
            v->kind = V_OPS;
            v->num = bit;
            ok = 1;
        } else {
            v->kind = V_NUM;
            ok = parse_number(t.text, t.len, FK_NUM, &v->num, &why);
            if (!ok)
                why = "expected an operation (connect, accept, send, ...) or an event id";
        }
        break;
    }
    case FK_ENUM:
        v->kind = V_NUM;
        ok = resolve_enum(n, t.text, t.len, &v->num) || parse_number(t.text, t.len, FK_NUM, &v->num, &why);
        if (!ok)
            why = "unknown name for this field";
        break;
    case FK_BOOL: {
        v->kind = V_NUM;
        if (word_is(&t, "true") || word_is(&t, "1"))
            v->num = 1, ok = 1;
        else if (word_is(&t, "false") || word_is(&t, "0"))
            v->num = 0, ok = 1;
        else
            why = "expected true or false";
        break;
    }
    case FK_STR:
        if (take_text(p, v, &t) != 0)
            return -1;
        ok = 1;
        break;
    default:
        v->kind = V_NUM;
        ok = parse_number(t.text, t.len, (field_kind)n->fkind, &v->num, &why);
        if (!ok && !why)
            why = "expected a number";
        break;
    }
    if (!ok) {
        fail_at(p, t.pos, why ? why : "invalid value");
        return -1;
    }
    next_token(p);
    return 0;
}

static const field_def *find_field(const token *t)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (word_is(t, fields[i].name))
            return &fields[i];
    return NULL;
}

/* A payload field name known to the schema (any event). */
static int is_payload_field(const token *t)
{
    for (size_t i = 0; i < afd_schema_count(); i++) {
        const afd_event_schema *s = afd_schema_at(i);
        for (unsigned k = 0; k < s->nfields; k++)
            if (strlen(s->fields[k].name) == t->len && !strncmp(s->fields[k].name, t->text, t->len))
                return 1;
    }
    return 0;
}

static int parse_binary(parser *p, int level);

static int parse_comparison(parser *p)
{
    token ft = p->tok;
    if (ft.kind != T_WORD) {
        fail_expected(p, "a field name, 'not' or '('");
        return -1;
    }
    const field_def *fd = find_field(&ft);
    int payload = !fd && is_payload_field(&ft);
    if (!fd && !payload) {
        char msg[80];
        snprintf(msg, sizeof msg, "unknown field '%.*s'", (int)(ft.len > 40 ? 40 : ft.len), ft.text);
        fail_at(p, ft.pos, msg);
        return -1;
    }
    int ni = add_node(p, N_CMP);
    if (ni < 0)
        return -1;
    fnode *n = &p->f->nodes[ni];
    n->field = (uint8_t)(fd ? fd->id : F_PAYLOAD);
    n->fkind = (uint8_t)(fd ? fd->kind : FK_PAYLOAD);
    if (!fd || !fd->socket)
        p->f->uses_event = 1;
    if (payload) {
        n->payload_name = malloc(ft.len + 1);
        if (!n->payload_name) {
            fail_at(p, ft.pos, "out of memory");
            return -1;
        }
        memcpy(n->payload_name, ft.text, ft.len);
        n->payload_name[ft.len] = 0;
    }
    next_token(p);

    token ot = p->tok;
    int op;
    switch (ot.kind) {
    case T_EQ: op = OP_EQ; break;
    case T_NE: op = OP_NE; break;
    case T_LT: op = OP_LT; break;
    case T_LE: op = OP_LE; break;
    case T_GT: op = OP_GT; break;
    case T_GE: op = OP_GE; break;
    case T_MATCH: op = OP_MATCH; break;
    default:
        op = word_is(&ot, "in") ? OP_IN : word_is(&ot, "contains") ? OP_CONTAINS : word_is(&ot, "eq") ? OP_EQ
           : word_is(&ot, "ne") ? OP_NE : word_is(&ot, "lt") ? OP_LT : word_is(&ot, "le") ? OP_LE
           : word_is(&ot, "gt") ? OP_GT : word_is(&ot, "ge") ? OP_GE : OP_EXISTS;
        break;
    }
    n = &p->f->nodes[ni];
    n->op = (uint8_t)op;
    if (op == OP_EXISTS)
        return ni;
    int ordered = op == OP_LT || op == OP_LE || op == OP_GT || op == OP_GE;
    if (ordered && (n->fkind == FK_STR || n->fkind == FK_ADDR || n->fkind == FK_OPS || n->fkind == FK_BOOL)) {
        fail_at(p, ot.pos, "this field cannot be ordered: use ==, !=, in, contains or ~");
        return -1;
    }
    next_token(p);
    n->a = p->f->value_count;
    if (op == OP_IN && p->tok.kind != T_LP) {
        /* A single range or value needs no parentheses: remote in 10.0.0.0/8 */
        if (parse_value(p, &p->f->nodes[ni]) != 0)
            return -1;
    } else if (op == OP_IN) {
        next_token(p);
        for (;;) {
            if (parse_value(p, &p->f->nodes[ni]) != 0)
                return -1;
            if (p->tok.kind == T_COMMA) {
                next_token(p);
                continue;
            }
            if (p->tok.kind != T_RP) {
                fail_expected(p, "',' or ')'");
                return -1;
            }
            next_token(p);
            break;
        }
    } else if (op == OP_CONTAINS || op == OP_MATCH) {
        if (p->tok.kind != T_STR && p->tok.kind != T_WORD) {
            fail_expected(p, "a quoted text");
            return -1;
        }
        token vt = p->tok;
        fvalue *v = add_value(p);
        if (!v || take_text(p, v, &vt) != 0)
            return -1;
        next_token(p);
        if (op == OP_MATCH) {
            size_t epos = 0;
            char emsg[96], full[140];
            rx *re = NULL;
            if (rx_compile(v->str, RX_ICASE, &re, &epos, emsg, sizeof emsg) != 0) {
                snprintf(full, sizeof full, "bad regular expression: %s", emsg);
                fail_at(p, vt.pos + (vt.kind == T_STR) + epos, full);
                return -1;
            }
            p->f->nodes[ni].re = re;
        }
    } else {
        if (parse_value(p, &p->f->nodes[ni]) != 0)
            return -1;
        fvalue *v = &p->f->values[p->f->value_count - 1];
        if (ordered && v->kind != V_NUM) {
            fail_at(p, ot.pos, "ordering needs a number");
            return -1;
        }
    }
    n = &p->f->nodes[ni];
    n->b = p->f->value_count - n->a;
    return ni;
}

static int parse_unary(parser *p)
{
    if (p->tok.kind == T_NOT || word_is(&p->tok, "not")) {
        next_token(p);
        int child = parse_unary(p);
        if (child < 0)
            return -1;
        int n = add_node(p, N_NOT);
        if (n >= 0)
            p->f->nodes[n].a = child;
        return n;
    }
    if (p->tok.kind == T_LP) {
        next_token(p);
        int inner = parse_binary(p, 0);
        if (inner < 0)
            return -1;
        if (p->tok.kind != T_RP) {
            fail_expected(p, "')'");
            return -1;
        }
        next_token(p);
        return inner;
    }
    return parse_comparison(p);
}

/* One level of binary operators: level 0 is `or` over level 1, `and` over unary terms. */
static int parse_binary(parser *p, int level)
{
    static const struct {
        int tok;
        const char *word;
        uint8_t node;
    } ops[2] = {{T_OR, "or", N_OR}, {T_AND, "and", N_AND}};
    int left = level ? parse_unary(p) : parse_binary(p, 1);
    while (left >= 0 && (p->tok.kind == ops[level].tok || word_is(&p->tok, ops[level].word))) {
        next_token(p);
        int right = level ? parse_unary(p) : parse_binary(p, 1);
        if (right < 0)
            return -1;
        int n = add_node(p, ops[level].node);
        if (n < 0)
            return -1;
        p->f->nodes[n].a = left;
        p->f->nodes[n].b = right;
        left = n;
    }
    return left;
}

void filt_free(filt *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->node_count; i++) {
        free(f->nodes[i].payload_name);
        rx_free(f->nodes[i].re);
    }
    for (int i = 0; i < f->value_count; i++)
        free(f->values[i].str);
    free(f->nodes);
    free(f->values);
    free(f);
}

int filt_compile(const char *text, filt **out, filt_error *err)
{
    filt_error local;
    parser p;
    filt *f = calloc(1, sizeof *f);
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    if (!f) {
        snprintf(err->message, sizeof err->message, "out of memory");
        return -1;
    }
    memset(&p, 0, sizeof p);
    p.src = text;
    p.f = f;
    p.err = err;
    next_token(&p);
    if (p.tok.kind == T_END) {
        f->root = add_node(&p, N_TRUE);
    } else {
        f->root = parse_binary(&p, 0);
        if (f->root >= 0 && p.tok.kind == T_BAD)
            fail_at(&p, p.tok.pos, "unexpected character");
        else if (f->root >= 0 && p.tok.kind != T_END)
            fail_expected(&p, "'and', 'or' or the end");
    }
    if (p.failed || f->root < 0) {
        if (!p.failed)
            fail_at(&p, p.tok.pos, "invalid filter");
        filt_free(f);
        return -1;
    }
    *out = f;
    return 0;
}

int filt_uses_event_fields(const filt *f)
{
    return f->uses_event;
}

/* ---- evaluation ---- */

typedef struct eval_row {
    const filt_ctx *c;
    const store_row *row;   /* NULL for socket-level evaluation */
    uint64_t row_index;
    const sock_info *sock;
    uint32_t sock_index;
    afd_fields fields;
    int decoded;            /* 0 not tried, 1 ok, -1 unavailable */
} eval_row;

typedef enum got_kind { G_NONE, G_NUM, G_STR, G_ADDR, G_PAYLOAD_ADDR } got_kind;

typedef struct got {
    int kind;
    uint64_t num;
    const char *str;
    const afd_addr *addr;
    int field_index;        /* payload field */
} got;

static const afd_fields *row_fields(eval_row *e)
{
    if (!e->decoded) {
        e->decoded = -1;
        if (e->row && (e->row->flags & STORE_ROW_AFD) && e->c->decode &&
            e->c->decode(e->c->user, e->row_index, &e->fields) == 0)
            e->decoded = 1;
    }
    return e->decoded == 1 ? &e->fields : NULL;
}

static got get_field(eval_row *e, const fnode *n)
{
    got g = {G_NONE, 0, NULL, NULL, -1};
    const store_row *r = e->row;
    const sock_info *s = e->sock;
    if (n->field < F_S_PID && n->field != F_PAYLOAD && !r)
        return g;
    if (n->field >= F_S_PID && n->field != F_PAYLOAD && !s)
        return g;
    g.kind = G_NUM;
    switch (n->field) {
    case F_PID: g.num = r->pid; break;
    case F_TID: g.num = r->tid; break;
    case F_CPU: g.num = r->cpu; break;
    case F_ID: g.num = r->id; break;
    case F_LEVEL: g.num = r->level; break;
    case F_OPCODE: g.num = r->opcode; break;
    case F_BYTES:
        g.num = r->bytes;
        break;
    case F_STATUS:
        if (!(r->flags & STORE_ROW_HAS_STATUS))
            g.kind = G_NONE;
        g.num = r->status;
        break;
    case F_EVENT:
        g.num = r->id;
        break;
    case F_MALFORMED:
        g.num = (r->flags & STORE_ROW_MALFORMED) != 0;
        break;
    case F_NAME: {
        const afd_event_schema *sc = (r->flags & STORE_ROW_AFD) ? afd_schema_find(r->id, 0) : NULL;
        g.kind = sc ? G_STR : G_NONE;
        g.str = sc ? sc->name : NULL;
        break;
    }
    case F_S_PID: g.num = s->pid; g.kind = s->pid ? G_NUM : G_NONE; break;
    case F_S_PROCESS:
        g.str = e->c->sockets ? sock_model_process_name(e->c->sockets, s->pid) : NULL;
        g.kind = g.str ? G_STR : G_NONE;
        break;
    case F_S_ENDPOINT: g.num = s->endpoint; break;
    case F_S_GENERATION: g.num = s->generation; break;
    case F_S_STATE: g.num = s->state; break;
    case F_S_OUTCOME: g.num = s->outcome; break;
    case F_S_FAMILY: g.num = s->family; break;
    case F_S_TYPE: g.num = s->type; break;
    case F_S_PROTOCOL: g.num = s->protocol; break;
    case F_S_DURATION: {
        uint64_t end = (s->flags & SOCK_F_CLOSED) ? s->closed : e->c->trace_end;
        g.num = end > s->created ? end - s->created : 0;
        break;
    }
    case F_S_ERROR:
        g.num = s->error;
        g.kind = (s->flags & SOCK_F_HAS_ERROR) ? G_NUM : G_NONE;
        break;
    case F_S_SENDS: g.num = s->sends; break;
    case F_S_RECEIVES: g.num = s->receives; break;
    case F_S_BYTES_SENT: g.num = s->bytes_sent; break;
    case F_S_BYTES_RECEIVED: g.num = s->bytes_received; break;
    case F_S_EVENTS: g.num = s->events; break;
    case F_S_PREEXISTING: g.num = (s->flags & SOCK_F_PREEXISTING) != 0; break;
    case F_LOCAL:
    case F_REMOTE: {
        const afd_addr *a = n->field == F_LOCAL ? &s->local : &s->remote;
        g.kind = a->family ? G_ADDR : G_NONE;
        g.addr = a;
        break;
    }
    case F_LOCAL_PORT:
    case F_REMOTE_PORT: {
        const afd_addr *a = n->field == F_LOCAL_PORT ? &s->local : &s->remote;
        g.kind = a->has_port ? G_NUM : G_NONE;
        g.num = a->port;
        break;
    }
    case F_PAYLOAD: {
        const afd_fields *f = row_fields(e);
        g.kind = G_NONE;
        if (!f)
            break;
        for (unsigned k = 0; k < f->count; k++) {
            const afd_field_def *d = &f->schema->fields[k];
            if (strcmp(d->name, n->payload_name) != 0)
                continue;
            g.field_index = (int)k;
            if (d->type == AFD_T_SOCKADDR || d->type == AFD_T_IPV4 || d->type == AFD_T_IPV6) {
                if (f->has_addr) {
                    g.kind = G_PAYLOAD_ADDR;
                    g.addr = &f->addr;
                }
            } else {
                g.kind = G_NUM;
                g.num = f->v[k].u;
            }
            break;
        }
        break;
    }
    default:
        g.kind = G_NONE;
        break;
    }
    return g;
}

/* Address equality or range membership; IPv4 values also match IPv4-mapped IPv6 addresses. */
static int addr_matches(const afd_addr *a, const fvalue *v)
{
    const uint8_t *bytes = a->bytes;
    uint16_t family = a->family;
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (v->addr.family == AFD_AF_INET && family == AFD_AF_INET6 && !memcmp(bytes, mapped, 12)) {
        bytes += 12;
        family = AFD_AF_INET;
    }
    if (family != v->addr.family)
        return 0;
    int total = family == AFD_AF_INET ? 32 : 128;
    int bits = v->prefix >= 0 ? v->prefix : total;
    for (int i = 0; i < bits / 8; i++)
        if (bytes[i] != v->addr.bytes[i])
            return 0;
    if (bits % 8) {
        uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));
        if ((bytes[bits / 8] & mask) != (v->addr.bytes[bits / 8] & mask))
            return 0;
    }
    if (v->with_port && (!a->has_port || a->port != v->addr.port))
        return 0;
    return 1;
}

static int status_class_matches(uint32_t status, uint64_t cls)
{
    nts_result r = nts_outcome(status);
    switch (cls) {
    case 0: return nts_is_success(status) && r != NTS_PENDING;
    case 1: return r == NTS_PENDING;
    case 2: return r == NTS_ERROR;
    case 3: return r == NTS_WARNING;
    default: return r == NTS_INFO;
    }
}

static int value_equals(const eval_row *e, const got *g, const fvalue *v)
{
    switch (v->kind) {
    case V_ADDR:
        return (g->kind == G_ADDR || g->kind == G_PAYLOAD_ADDR) && addr_matches(g->addr, v);
    case V_STR:
        return g->kind == G_STR && !strcasecmp_portable(g->str, v->str);
    case V_STATUS_CLASS:
        return g->kind == G_NUM && status_class_matches((uint32_t)g->num, v->num);
    case V_WSA: {
        const nts_info *in = g->kind == G_NUM ? nts_lookup((uint32_t)g->num) : NULL;
        return in && in->wsa == v->num;
    }
    case V_OPS: {
        const afd_event_schema *sc = e->row && (e->row->flags & STORE_ROW_AFD) ? afd_schema_find(e->row->id, 0)
                                                                               : NULL;
        return sc && (sc->ops & v->num);
    }
    default:
        return g->kind == G_NUM && g->num == v->num;
    }
}

/* Text of the field for `contains` and `~`: what the list shows. */
static size_t field_text(eval_row *e, const fnode *n, const got *g, char *buf, size_t cap)
{
    switch (g->kind) {
    case G_STR:
        return (size_t)snprintf(buf, cap, "%s", g->str);
    case G_ADDR:
    case G_PAYLOAD_ADDR:
        return afd_format_address(g->addr, buf, cap);
    case G_NUM:
        break;
    default:
        return 0;
    }
    switch (n->fkind) {
    case FK_HEX:
        return (size_t)snprintf(buf, cap, "0x%llx", (unsigned long long)g->num);
    case FK_STATUS:
        nts_name((uint32_t)g->num, buf, cap);
        return strlen(buf);
    case FK_ENUM:
        if (n->field == F_S_STATE)
            return (size_t)snprintf(buf, cap, "%s", sock_state_name((sock_state)g->num));
        if (n->field == F_S_OUTCOME)
            return (size_t)snprintf(buf, cap, "%s", sock_outcome_name((sock_outcome)g->num));
        break;
    case FK_OPS: {
        const afd_event_schema *sc = e->row && (e->row->flags & STORE_ROW_AFD) ? afd_schema_find(e->row->id, 0)
                                                                               : NULL;
        if (sc)
            return (size_t)snprintf(buf, cap, "%s", sc->name);
        break;
    }
    case FK_PAYLOAD: {
        const afd_fields *f = row_fields(e);
        if (f && g->field_index >= 0)
            return afd_format_value(f, (size_t)g->field_index, buf, cap);
        break;
    }
    default:
        break;
    }
    return (size_t)snprintf(buf, cap, "%llu", (unsigned long long)g->num);
}

int filt_text_contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!hay)
        return 0;
    for (; *hay; hay++) {
        size_t i = 0;
        while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
            i++;
        if (i == n)
            return 1;
    }
    return n == 0;
}

static int eval_cmp_now(const filt *f, eval_row *e, const fnode *n);

/* A comparison of socket fields gives the same answer for every event of that socket: during
 * filt_select it is worked out once per socket (text matches on the process name cost the most). */
static int eval_cmp(const filt *f, eval_row *e, const fnode *n)
{
    if (n->memo && e->sock) {
        uint32_t k = e->sock_index;
        if (k < (uint32_t)f->memo_sockets) {
            if (!n->memo[k])
                n->memo[k] = (uint8_t)(1 + eval_cmp_now(f, e, n));
            return n->memo[k] - 1;
        }
    }
    return eval_cmp_now(f, e, n);
}

static int eval_cmp_now(const filt *f, eval_row *e, const fnode *n)
{
    got g = get_field(e, n);
    const fvalue *vals = f->values ? &f->values[n->a] : NULL;
    char text[512];

    if (g.kind == G_NONE)
        return 0;
    switch (n->op) {
    case OP_EXISTS:
        return g.kind != G_NUM || g.num != 0;
    case OP_EQ:
        return value_equals(e, &g, &vals[0]);
    case OP_NE:
        return !value_equals(e, &g, &vals[0]);
    case OP_IN:
        for (int i = 0; i < n->b; i++)
            if (value_equals(e, &g, &vals[i]))
                return 1;
        return 0;
    case OP_CONTAINS:
        field_text(e, n, &g, text, sizeof text);
        return filt_text_contains(text, vals[0].str);
    case OP_MATCH: {
        size_t len = field_text(e, n, &g, text, sizeof text);
        return rx_search(n->re, text, len < sizeof text ? len : sizeof text - 1);
    }
    default:
        if (g.kind != G_NUM)
            return 0;
        switch (n->op) {
        case OP_LT: return g.num < vals[0].num;
        case OP_LE: return g.num <= vals[0].num;
        case OP_GT: return g.num > vals[0].num;
        default: return g.num >= vals[0].num;
        }
    }
}

static int eval_node(const filt *f, eval_row *e, int index)
{
    const fnode *n = &f->nodes[index];
    switch (n->kind) {
    case N_AND:
        return eval_node(f, e, n->a) && eval_node(f, e, n->b);
    case N_OR:
        return eval_node(f, e, n->a) || eval_node(f, e, n->b);
    case N_NOT:
        return !eval_node(f, e, n->a);
    case N_CMP:
        return eval_cmp(f, e, n);
    default:
        return 1;
    }
}

int filt_match_event(filt *f, const filt_ctx *c, uint64_t row)
{
    eval_row e;
    e.c = c;
    e.row_index = row;
    e.row = store_row_at(c->events, row);
    e.sock = (c->sockets && e.row->socket != STORE_NO_SOCKET) ? sock_model_at(c->sockets, e.row->socket) : NULL;
    e.sock_index = e.row->socket;
    e.decoded = 0;
    return eval_node(f, &e, f->root);
}

int filt_match_socket(filt *f, const filt_ctx *c, uint32_t sock)
{
    eval_row e;
    e.c = c;
    e.row_index = 0;
    e.row = NULL;
    e.sock = c->sockets ? sock_model_at(c->sockets, sock) : NULL;
    e.sock_index = sock;
    e.decoded = -1;
    return eval_node(f, &e, f->root);
}

uint64_t filt_select(filt *f, const filt_ctx *c, uint64_t from, uint64_t to, uint32_t *rows)
{
    uint64_t n = 0;
    size_t socks = c->sockets ? sock_model_count(c->sockets) : 0;
    /* Memos only for comparisons of socket fields; without memory they are simply evaluated each time. */
    if (socks && socks <= INT32_MAX) {
        f->memo_sockets = (int)socks;
        for (int i = 0; i < f->node_count; i++) {
            fnode *nd = &f->nodes[i];
            if (nd->kind == N_CMP && nd->field >= F_S_PID && nd->field != F_PAYLOAD)
                nd->memo = calloc(socks, 1);
        }
    }
    for (uint64_t r = from; r < to; r++)
        if (filt_match_event(f, c, r))
            rows[n++] = (uint32_t)r;
    for (int i = 0; i < f->node_count; i++) {
        free(f->nodes[i].memo);
        f->nodes[i].memo = NULL;
    }
    f->memo_sockets = 0;
    return n;
}
