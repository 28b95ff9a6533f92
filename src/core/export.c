/*
 * export.c - one list of (key, value) cells per socket, written out as JSON,
 * CSV or text by three small writers, so the formats cannot drift apart; and
 * events as `wskdump events` and the viewer's export write them.
 */
#include "wsk/export.h"
#include "wsk/afd.h"
#include "wsk/etl.h"
#include "wsk/nts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum cell_kind { C_NULL, C_NUM, C_STR, C_BOOL };

typedef struct cell {
    const char *key;
    int kind;
    char text[72];
} cell;

#define NCELLS 24

static const char *const socket_keys[NCELLS] = {
    "endpoint", "generation", "pid", "process", "family", "type", "protocol", "local", "remote", "listener",
    "created", "created_utc", "closed", "closed_utc", "pre_existing", "state", "outcome", "error",
    "error_name", "sends", "receives", "bytes_sent", "bytes_received", "events",
};

static void set_num(cell *c, uint64_t v)
{
    c->kind = C_NUM;
    snprintf(c->text, sizeof c->text, "%llu", (unsigned long long)v);
}

static void set_str(cell *c, const char *s)
{
    c->kind = s ? C_STR : C_NULL;
    snprintf(c->text, sizeof c->text, "%s", s ? s : "");
}

static void set_addr(cell *c, const afd_addr *a)
{
    c->kind = a->family ? C_STR : C_NULL;
    if (a->family)
        afd_format_address(a, c->text, sizeof c->text);
}

static void set_time(cell *c, cell *utc, uint64_t ft, int valid)
{
    if (!valid) {
        c->kind = utc->kind = C_NULL;
        return;
    }
    set_num(c, ft);
    utc->kind = C_STR;
    etl_format_iso_utc(ft, utc->text, sizeof utc->text);
}

static void socket_cells(const sock_model *m, const sock_info *s, cell *c)
{
    const char *proc = s->pid ? sock_model_process_name(m, s->pid) : NULL;
    char hex[24];
    for (int i = 0; i < NCELLS; i++) {
        c[i].key = socket_keys[i];
        c[i].kind = C_NULL;
        c[i].text[0] = 0;
    }
    snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)s->endpoint);
    set_str(&c[0], hex);
    set_num(&c[1], s->generation);
    if (s->pid)
        set_num(&c[2], s->pid);
    set_str(&c[3], proc);
    set_str(&c[4], s->family ? afd_map_name(AFD_MAP_FAMILY, s->family) : NULL);
    set_str(&c[5], s->type ? afd_map_name(AFD_MAP_SOCKET_TYPE, s->type) : NULL);
    set_str(&c[6], s->protocol ? afd_map_name(AFD_MAP_PROTOCOL, s->protocol) : NULL);
    set_addr(&c[7], &s->local);
    set_addr(&c[8], &s->remote);
    if (s->listener != SOCK_NONE) {
        snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)sock_model_at(m, s->listener)->endpoint);
        set_str(&c[9], hex);
    }
    set_time(&c[10], &c[11], s->created, 1);
    set_time(&c[12], &c[13], s->closed, (s->flags & SOCK_F_CLOSED) != 0);
    c[14].kind = C_BOOL;
    snprintf(c[14].text, sizeof c[14].text, "%s", (s->flags & SOCK_F_PREEXISTING) ? "true" : "false");
    set_str(&c[15], sock_state_name((sock_state)s->state));
    set_str(&c[16], sock_outcome_name((sock_outcome)s->outcome));
    if (s->flags & SOCK_F_HAS_ERROR) {
        char name[16];
        char hexs[12];
        snprintf(hexs, sizeof hexs, "0x%08x", (unsigned)s->error);
        set_str(&c[17], hexs);
        set_str(&c[18], nts_name(s->error, name, sizeof name));
    }
    set_num(&c[19], s->sends);
    set_num(&c[20], s->receives);
    set_num(&c[21], s->bytes_sent);
    set_num(&c[22], s->bytes_received);
    set_num(&c[23], s->events);
}

typedef struct sink {
    char *buf;
    size_t cap, len;
} sink;

static void put(sink *k, const char *s, size_t n)
{
    if (k->len < k->cap) {
        size_t room = k->cap - k->len - 1;
        memcpy(k->buf + k->len, s, n < room ? n : room);
        k->buf[k->len + (n < room ? n : room)] = 0;
    }
    k->len += n;
}

static void puts_(sink *k, const char *s)
{
    put(k, s, strlen(s));
}

static const char hexdig[] = "0123456789abcdef";

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not valid. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
            return 0; /* overlong, or a UTF-16 surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* A JSON string with its quotes: quotes, backslashes and control characters escaped, bytes that are not
 * UTF-8 replaced, so text taken from a trace cannot break the JSON around it. */
static void put_json_str(sink *k, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    put(k, "\"", 1);
    while (*p) {
        const unsigned char *run = p;
        size_t n;
        /* Plain printable ASCII goes out in one copy. */
        while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        put(k, (const char *)run, (size_t)(p - run));
        if (!*p)
            break;
        if (*p == '"' || *p == '\\') {
            char esc[2];
            esc[0] = '\\', esc[1] = (char)*p;
            put(k, esc, 2);
            p++;
        } else if (*p < 0x20) {
            char esc[6];
            if (*p == '\n') {
                put(k, "\\n", 2);
            } else if (*p == '\t') {
                put(k, "\\t", 2);
            } else if (*p == '\r') {
                put(k, "\\r", 2);
            } else {
                memcpy(esc, "\\u00", 4);
                esc[4] = hexdig[*p >> 4];
                esc[5] = hexdig[*p & 15];
                put(k, esc, 6);
            }
            p++;
        } else if ((n = utf8_len(p)) != 0) {
            put(k, (const char *)p, n);
            p += n;
        } else {
            put(k, "\\ufffd", 6);
            p++;
        }
    }
    put(k, "\"", 1);
}

/* A CSV field (RFC 4180): quoted only when it holds a comma, quote, CR or LF. */
static void put_csv_str(sink *k, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        puts_(k, s);
        return;
    }
    puts_(k, "\"");
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            puts_(k, "\"\"");
        else
            put(k, p, 1);
    }
    puts_(k, "\"");
}

static size_t start(sink *k, char *buf, size_t cap)
{
    k->buf = buf;
    k->cap = cap;
    k->len = 0;
    if (cap)
        buf[0] = 0;
    return 0;
}

size_t export_socket_json(const sock_model *m, size_t index, char *buf, size_t cap)
{
    cell c[NCELLS];
    sink k;
    start(&k, buf, cap);
    socket_cells(m, sock_model_at(m, index), c);
    puts_(&k, "{");
    for (int i = 0; i < NCELLS; i++) {
        puts_(&k, i ? ",\"" : "\"");
        puts_(&k, c[i].key);
        puts_(&k, "\":");
        if (c[i].kind == C_NULL) {
            puts_(&k, "null");
        } else if (c[i].kind == C_STR) {
            put_json_str(&k, c[i].text);
        } else {
            puts_(&k, c[i].text);
        }
    }
    puts_(&k, "}");
    return k.len;
}

const char *export_socket_csv_header(void)
{
    return "endpoint,generation,pid,process,family,type,protocol,local,remote,listener,created,created_utc,"
           "closed,closed_utc,pre_existing,state,outcome,error,error_name,sends,receives,bytes_sent,"
           "bytes_received,events";
}

size_t export_socket_csv(const sock_model *m, size_t index, char *buf, size_t cap)
{
    cell c[NCELLS];
    sink k;
    start(&k, buf, cap);
    socket_cells(m, sock_model_at(m, index), c);
    for (int i = 0; i < NCELLS; i++) {
        if (i)
            puts_(&k, ",");
        if (c[i].kind == C_STR)
            put_csv_str(&k, c[i].text);
        else
            puts_(&k, c[i].text);
    }
    return k.len;
}

#define TEXT_LAYOUT "%-20s %3s %6s %-16s %-13s %-44s %-44s %-10s %-8s %-26s %6s/%-6s %10s/%-10s"

size_t export_socket_text_header(char *buf, size_t cap)
{
    return (size_t)snprintf(buf, cap, TEXT_LAYOUT, "endpoint", "gen", "pid", "process", "protocol", "local",
                            "remote", "state", "outcome", "error", "sends", "recvs", "sent", "received");
}

size_t export_socket_text(const sock_model *m, size_t index, char *buf, size_t cap)
{
    cell c[NCELLS];
    sink k;
    char line[1200];
    start(&k, buf, cap);
    socket_cells(m, sock_model_at(m, index), c);
    snprintf(line, sizeof line, TEXT_LAYOUT,
             c[0].text, c[1].text, c[2].kind ? c[2].text : "-", c[3].kind ? c[3].text : "-",
             c[6].kind ? c[6].text : "-", c[7].kind ? c[7].text : "-", c[8].kind ? c[8].text : "-",
             c[15].text, c[16].text, c[18].kind ? c[18].text : "-", c[19].text, c[20].text, c[21].text,
             c[22].text);
    puts_(&k, line);
    return k.len;
}

/* ---- events ---------------------------------------------------------------------------------------
 * What `wskdump events` prints, taken here so the viewer's File > Export Events writes the same bytes.
 * Absent values: JSON null, CSV empty field, text "-". */

size_t export_json_string(const char *s, char *buf, size_t cap)
{
    sink k;
    start(&k, buf, cap);
    put_json_str(&k, s);
    return k.len;
}

void export_clock_init(export_clock *c)
{
    c->second = UINT64_MAX;
    c->prefix_len = 0;
}

/* "2025-10-05T11:30:19.2020520Z" into buf (48 bytes), only the fraction redone within a second. */
static size_t clock_iso(export_clock *c, uint64_t ft, char *buf)
{
    uint64_t sec = ft / 10000000u;
    uint32_t frac = (uint32_t)(ft % 10000000u);
    if (sec != c->second) {
        char full[48];
        char *dot;
        etl_format_iso_utc(sec * 10000000u, full, sizeof full);
        dot = strchr(full, '.');
        c->prefix_len = dot ? (size_t)(dot - full) + 1 : 0;
        if (!dot || c->prefix_len >= sizeof c->prefix) {
            c->second = UINT64_MAX;
            return etl_format_iso_utc(ft, buf, 48);
        }
        memcpy(c->prefix, full, c->prefix_len);
        c->second = sec;
    }
    memcpy(buf, c->prefix, c->prefix_len);
    for (int i = 6; i >= 0; i--) {
        buf[c->prefix_len + (size_t)i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    buf[c->prefix_len + 7] = 'Z';
    buf[c->prefix_len + 8] = '\0';
    return c->prefix_len + 8;
}

size_t export_u64_text(uint64_t v, char *out)
{
    char tmp[EXPORT_NUM_CAP];
    size_t i = sizeof tmp, n;
    do {
        tmp[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    n = sizeof tmp - i;
    memcpy(out, tmp + i, n);
    out[n] = '\0';
    return n;
}

size_t export_hex_text(uint64_t v, int min_digits, char *out)
{
    char tmp[EXPORT_NUM_CAP];
    size_t i = sizeof tmp, n;
    int digits = 0;
    do {
        tmp[--i] = hexdig[v & 15];
        v >>= 4;
        digits++;
    } while (v || (digits < min_digits && digits < 16));
    tmp[--i] = 'x';
    tmp[--i] = '0';
    n = sizeof tmp - i;
    memcpy(out, tmp + i, n);
    out[n] = '\0';
    return n;
}

static void put_u64(sink *k, uint64_t v)
{
    char text[EXPORT_NUM_CAP];
    put(k, text, export_u64_text(v, text));
}

static void put_hex(sink *k, uint64_t v, int min_digits)
{
    char text[EXPORT_NUM_CAP];
    put(k, text, export_hex_text(v, min_digits, text));
}

/* Payload bytes as hex pairs, written straight into the buffer while they fit. */
static void put_hexbytes(sink *k, const uint8_t *p, size_t n)
{
    size_t room = k->len < k->cap ? (k->cap - k->len - 1) / 2 : 0;
    size_t fit = n < room ? n : room;
    if (fit) { /* a length query has no buffer (NULL, cap 0): no pointer into it is formed */
        char *d = k->buf + k->len;
        for (size_t i = 0; i < fit; i++) {
            d[2 * i] = hexdig[p[i] >> 4];
            d[2 * i + 1] = hexdig[p[i] & 15];
        }
        d[2 * fit] = 0;
    }
    k->len += 2 * fit;
    if (fit < n) {
        /* cut: the first pair that does not fit is written as far as it goes, the rest only counted */
        char pair[2];
        pair[0] = hexdig[p[fit] >> 4];
        pair[1] = hexdig[p[fit] & 15];
        put(k, pair, 2);
        k->len += 2 * (n - fit - 1);
    }
}

/* The Winsock-AFD part of one event, as text ready to write. */
typedef struct event_afd {
    int present; /* the event is a Winsock-AFD one */
    const char *name; /* NULL for IDs or versions the schema does not know: shown raw */
    int malformed;
    int has_status;
    uint32_t status;
    const char *status_name;
    char status_buf[16];
    const char *fields; /* JSON object or "Name=value ..." text; NULL when not decoded (or out of memory) */
    char *fields_heap;  /* fields longer than fields_buf */
    char fields_buf[1024];
} event_afd;

static void event_afd_describe(const etl_event *ev, int json, event_afd *t)
{
    const afd_event_schema *s;
    afd_fields fl;
    size_t n;

    t->present = ev->kind == ETL_KIND_EVENT && (ev->flags & ETL_EV_HAS_PROVIDER) && afd_is_provider(&ev->provider);
    t->name = t->status_name = t->fields = NULL;
    t->fields_heap = NULL;
    t->malformed = t->has_status = 0;
    t->status = 0;
    if (!t->present)
        return;
    s = afd_schema_find(ev->id, ev->version);
    if (!s || afd_decode(s, ev->data, ev->data_len, ev->pointer_size, &fl) != 0)
        return;
    t->name = s->name;
    t->malformed = fl.malformed != 0;
    if (fl.has_status) {
        t->has_status = 1;
        t->status = fl.status;
        if (s->status_kind == AFD_STATUS_NTSTATUS)
            t->status_name = nts_name(fl.status, t->status_buf, sizeof t->status_buf);
        else if (s->status_kind == AFD_STATUS_ABORT)
            t->status_name = afd_map_name(AFD_MAP_ABORT_REASON, fl.status);
        else if (s->status_kind == AFD_STATUS_DROP)
            t->status_name = afd_map_name(AFD_MAP_DROP_REASON, fl.status);
    }
    n = json ? afd_format_json(&fl, t->fields_buf, sizeof t->fields_buf)
             : afd_format_details(&fl, t->fields_buf, sizeof t->fields_buf);
    if (n < sizeof t->fields_buf) {
        t->fields = t->fields_buf;
        return;
    }
    t->fields_heap = (char *)malloc(n + 1);
    if (!t->fields_heap)
        return;
    if (json)
        afd_format_json(&fl, t->fields_heap, n + 1);
    else
        afd_format_details(&fl, t->fields_heap, n + 1);
    t->fields = t->fields_heap;
}

/* The parts of an event every format writes. */
typedef struct event_head {
    int has_time, has_pid, has_prov, kernel;
    const char *kind;
    char iso[48], guid[40];
} event_head;

static void event_head_make(const etl_event *ev, export_clock *c, event_head *h)
{
    h->has_time = (ev->flags & ETL_EV_HAS_TIME) != 0;
    h->has_pid = (ev->flags & ETL_EV_HAS_PID) != 0;
    h->has_prov = (ev->flags & ETL_EV_HAS_PROVIDER) != 0;
    h->kernel = ev->kind == ETL_KIND_SYSTEM || ev->kind == ETL_KIND_COMPACT || ev->kind == ETL_KIND_PERFINFO;
    h->kind = etl_kind_name(ev->kind);
    if (h->has_time)
        clock_iso(c, ev->time, h->iso);
    if (h->has_prov)
        etl_guid_format(&ev->provider, h->guid);
}

const char *export_event_csv_header(void)
{
    return "time,time_utc,cpu,pid,tid,header_type,provider,hook_id,id,version,level,opcode,task,keyword,data,"
           "name,malformed,status,status_name,fields";
}

size_t export_event_json(const etl_event *ev, export_clock *c, char *buf, size_t cap)
{
    event_head h;
    event_afd a;
    sink k;

    start(&k, buf, cap);
    event_head_make(ev, c, &h);
    event_afd_describe(ev, 1, &a);
    puts_(&k, "{\"time\":");
    if (h.has_time) {
        put_u64(&k, ev->time);
        puts_(&k, ",\"time_utc\":\"");
        puts_(&k, h.iso);
        puts_(&k, "\"");
    } else {
        puts_(&k, "null,\"time_utc\":null");
    }
    puts_(&k, ",\"cpu\":");
    put_u64(&k, ev->cpu);
    if (h.has_pid) {
        puts_(&k, ",\"pid\":");
        put_u64(&k, ev->pid);
        puts_(&k, ",\"tid\":");
        put_u64(&k, ev->tid);
    } else {
        puts_(&k, ",\"pid\":null,\"tid\":null");
    }
    puts_(&k, ",\"header_type\":\"");
    puts_(&k, h.kind);
    puts_(&k, "\",\"provider\":");
    if (h.has_prov) {
        puts_(&k, "\"");
        puts_(&k, h.guid);
        puts_(&k, "\"");
    } else {
        puts_(&k, "null");
    }
    if (h.kernel) {
        puts_(&k, ",\"hook_id\":\"");
        put_hex(&k, ev->hook_id, 4);
        puts_(&k, "\"");
    }
    puts_(&k, ",\"id\":");
    put_u64(&k, ev->id);
    puts_(&k, ",\"version\":");
    put_u64(&k, ev->version);
    puts_(&k, ",\"level\":");
    put_u64(&k, ev->level);
    puts_(&k, ",\"opcode\":");
    put_u64(&k, ev->opcode);
    puts_(&k, ",\"task\":");
    put_u64(&k, ev->task);
    puts_(&k, ",\"keyword\":\"");
    put_hex(&k, ev->keyword, 16);
    puts_(&k, "\",\"data\":\"");
    put_hexbytes(&k, ev->data, ev->data_len);
    puts_(&k, "\"");
    if (a.present) {
        puts_(&k, ",\"name\":");
        if (a.name)
            put_json_str(&k, a.name);
        else
            puts_(&k, "null");
        puts_(&k, a.malformed ? ",\"malformed\":true,\"status\":" : ",\"malformed\":false,\"status\":");
        if (a.has_status) {
            puts_(&k, "\"");
            put_hex(&k, a.status, 8);
            puts_(&k, "\"");
        } else {
            puts_(&k, "null");
        }
        puts_(&k, ",\"status_name\":");
        if (a.status_name)
            put_json_str(&k, a.status_name);
        else
            puts_(&k, "null");
        puts_(&k, ",\"fields\":");
        puts_(&k, a.fields ? a.fields : "null");
    }
    puts_(&k, "}");
    free(a.fields_heap);
    return k.len;
}

size_t export_event_csv(const etl_event *ev, export_clock *c, char *buf, size_t cap)
{
    event_head h;
    event_afd a;
    sink k;

    start(&k, buf, cap);
    event_head_make(ev, c, &h);
    event_afd_describe(ev, 0, &a);
    if (h.has_time) {
        put_u64(&k, ev->time);
        puts_(&k, ",");
        puts_(&k, h.iso);
    } else {
        puts_(&k, ",");
    }
    puts_(&k, ",");
    put_u64(&k, ev->cpu);
    puts_(&k, ",");
    if (h.has_pid) {
        put_u64(&k, ev->pid);
        puts_(&k, ",");
        put_u64(&k, ev->tid);
    } else {
        puts_(&k, ",");
    }
    puts_(&k, ",");
    puts_(&k, h.kind);
    puts_(&k, ",");
    if (h.has_prov)
        puts_(&k, h.guid);
    puts_(&k, ",");
    if (h.kernel)
        put_hex(&k, ev->hook_id, 4);
    puts_(&k, ",");
    put_u64(&k, ev->id);
    puts_(&k, ",");
    put_u64(&k, ev->version);
    puts_(&k, ",");
    put_u64(&k, ev->level);
    puts_(&k, ",");
    put_u64(&k, ev->opcode);
    puts_(&k, ",");
    put_u64(&k, ev->task);
    puts_(&k, ",");
    put_hex(&k, ev->keyword, 16);
    puts_(&k, ",");
    put_hexbytes(&k, ev->data, ev->data_len);
    puts_(&k, ",");
    if (a.name)
        put_csv_str(&k, a.name);
    puts_(&k, ",");
    if (a.present)
        puts_(&k, a.malformed ? "true" : "false");
    puts_(&k, ",");
    if (a.has_status)
        put_hex(&k, a.status, 8);
    puts_(&k, ",");
    if (a.status_name)
        put_csv_str(&k, a.status_name);
    puts_(&k, ",");
    if (a.fields)
        put_csv_str(&k, a.fields);
    free(a.fields_heap);
    return k.len;
}

size_t export_event_text(const etl_event *ev, export_clock *c, char *buf, size_t cap)
{
    event_head h;
    event_afd a;
    sink k;

    start(&k, buf, cap);
    event_head_make(ev, c, &h);
    event_afd_describe(ev, 0, &a);
    puts_(&k, h.has_time ? h.iso : "-");
    puts_(&k, " cpu=");
    put_u64(&k, ev->cpu);
    puts_(&k, " pid=");
    if (h.has_pid)
        put_u64(&k, ev->pid);
    else
        puts_(&k, "-");
    puts_(&k, " tid=");
    if (h.has_pid)
        put_u64(&k, ev->tid);
    else
        puts_(&k, "-");
    puts_(&k, " ");
    puts_(&k, h.kind);
    puts_(&k, " ");
    puts_(&k, h.has_prov ? h.guid : "-");
    if (h.kernel) {
        puts_(&k, " hook_id=");
        put_hex(&k, ev->hook_id, 4);
    }
    puts_(&k, " id=");
    put_u64(&k, ev->id);
    puts_(&k, " version=");
    put_u64(&k, ev->version);
    puts_(&k, " level=");
    put_u64(&k, ev->level);
    puts_(&k, " opcode=");
    put_u64(&k, ev->opcode);
    puts_(&k, " task=");
    put_u64(&k, ev->task);
    puts_(&k, " keyword=");
    put_hex(&k, ev->keyword, 16);
    if (a.present) {
        puts_(&k, " name=\"");
        puts_(&k, a.name ? a.name : "?");
        puts_(&k, "\"");
        if (a.malformed)
            puts_(&k, " malformed");
        if (a.has_status) {
            puts_(&k, " status=");
            put_hex(&k, a.status, 8);
            if (a.status_name) {
                puts_(&k, " status_name=");
                puts_(&k, a.status_name);
            }
        }
        if (a.fields) {
            puts_(&k, " fields: ");
            puts_(&k, a.fields);
        }
    }
    puts_(&k, " data=");
    put_hexbytes(&k, ev->data, ev->data_len);
    free(a.fields_heap);
    return k.len;
}
