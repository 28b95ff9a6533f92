/*
 * export.c - one list of (key, value) cells per socket, written out as JSON,
 * CSV or text by three small writers, so the formats cannot drift apart.
 */
#include "wsk/export.h"
#include "wsk/etl.h"
#include "wsk/nts.h"

#include <stdio.h>
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

/* JSON string body: quotes, backslashes and control characters escaped. */
static void put_json_text(sink *k, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        char esc[8];
        if (ch == '"' || ch == '\\') {
            esc[0] = '\\', esc[1] = (char)ch, esc[2] = 0;
            puts_(k, esc);
        } else if (ch < 0x20) {
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            puts_(k, esc);
        } else {
            put(k, (const char *)&ch, 1);
        }
    }
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
            puts_(&k, "\"");
            put_json_text(&k, c[i].text);
            puts_(&k, "\"");
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
        if (c[i].kind != C_STR || !strpbrk(c[i].text, ",\"\r\n")) {
            puts_(&k, c[i].text);
            continue;
        }
        puts_(&k, "\"");
        for (const char *p = c[i].text; *p; p++) {
            if (*p == '"')
                puts_(&k, "\"\"");
            else
                put(&k, p, 1);
        }
        puts_(&k, "\"");
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
