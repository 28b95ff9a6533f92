/* The socket model and the filter language on hand-built event sequences: every event is encoded from
 * field values with afd_encode and decoded back with afd_decode, so the model sees exactly what it sees
 * when reading a trace. The sequences follow what AFD emits (request/completion pairs, completions in
 * System context, accept events naming the listener and the accepted endpoint). */
#include "check.h"
#include "wsk/afd.h"
#include "wsk/filt.h"
#include "wsk/nts.h"
#include "wsk/rows.h"
#include "wsk/sock.h"
#include "wsk/store.h"

#define MAX_EVENTS 256

typedef struct named {
    const char *name;
    uint64_t value;
} named;

typedef struct trace {
    store *st;
    sock_model *sm;
    uint8_t payload[MAX_EVENTS][128];
    uint32_t payload_len[MAX_EVENTS];
    uint64_t time;
} trace;

static const uint64_t PROC_A = 0xffffa0010000a000ull;
static const uint64_t PROC_B = 0xffffa0020000b000ull;

static void trace_init(trace *t)
{
    memset(t, 0, sizeof *t);
    CHECK(store_create(MAX_EVENTS, &t->st) == 0);
    CHECK(sock_model_create(&t->sm) == 0);
    t->time = 133800000000000000ull;
}

static void trace_free(trace *t)
{
    store_destroy(t->st);
    sock_model_destroy(t->sm);
}

static int decode_row(void *user, uint64_t row, afd_fields *out)
{
    trace *t = user;
    const store_row *r = store_row_at(t->st, row);
    return afd_decode(afd_schema_find(r->id, 0), t->payload[row], t->payload_len[row], 8, out);
}

/* Appends one event: values by field name (others 0), an optional address for the sockaddr/IP field. */
static uint32_t ev(trace *t, uint16_t id, uint32_t header_pid, const afd_addr *addr, const named *vals)
{
    const afd_event_schema *s = afd_schema_find(id, 0);
    afd_value v[AFD_MAX_FIELDS];
    uint8_t sa[32];
    afd_fields f;
    size_t len = 0;
    CHECK(s != NULL);
    if (!s)
        return SOCK_NONE;
    memset(v, 0, sizeof v);
    for (unsigned i = 0; i < s->nfields; i++) {
        const afd_field_def *d = &s->fields[i];
        for (const named *n = vals; n && n->name; n++)
            if (!strcmp(n->name, d->name))
                v[i].u = n->value;
        if (d->type == AFD_T_SOCKADDR && addr) {
            v[i].data = sa;
            v[i].len = (uint32_t)afd_sockaddr_build(addr, sa, sizeof sa);
        }
    }
    uint64_t row = store_count(t->st);
    CHECK(afd_encode(s, 8, v, s->nfields, t->payload[row], sizeof t->payload[row], &len) == 0);
    t->payload_len[row] = (uint32_t)len;
    CHECK(afd_decode(s, t->payload[row], (uint32_t)len, 8, &f) == 0);
    CHECK(f.malformed == 0);
    t->time += 10000; /* 1 ms apart */
    uint32_t sock = sock_model_feed(t->sm, row, t->time, header_pid, 0, &f);
    store_row *r = store_append(t->st);
    memset(r, 0, sizeof *r);
    r->time = t->time;
    r->pid = header_pid;
    r->id = id;
    r->level = s->level;
    r->socket = sock == SOCK_NONE ? STORE_NO_SOCKET : sock;
    r->flags = STORE_ROW_AFD | (f.has_status ? STORE_ROW_HAS_STATUS : 0);
    r->status = f.status;
    r->bytes = (uint32_t)afd_get(&f, AFD_ROLE_BYTES, 0);
    store_publish(t->st);
    return sock;
}

static afd_addr v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port)
{
    afd_addr x;
    memset(&x, 0, sizeof x);
    x.family = AFD_AF_INET;
    x.bytes[0] = a, x.bytes[1] = b, x.bytes[2] = c, x.bytes[3] = d;
    x.port = port;
    x.has_port = 1;
    return x;
}

static afd_addr v6mapped(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port)
{
    afd_addr x = v4(a, b, c, d, port);
    x.family = AFD_AF_INET6;
    memset(x.bytes, 0, 16);
    x.bytes[10] = x.bytes[11] = 0xff;
    x.bytes[12] = a, x.bytes[13] = b, x.bytes[14] = c, x.bytes[15] = d;
    return x;
}

#define STATUS_REFUSED 0xC0000236u
#define STATUS_PENDING_ 0x00000103u

/* A TCP client (pid 1200) that connects to 93.184.216.34:443, sends 3 x 100 bytes, receives 2 x 1000
 * bytes and closes; a second socket on the same endpoint address that is refused; a pre-existing UDP
 * socket of pid 2400 whose first event is a send. */
static void build_client_trace(trace *t, uint32_t *first, uint32_t *second, uint32_t *udp)
{
    const uint64_t ep = 0xffffc00012340000ull;
    afd_addr local = v4(10, 1, 2, 3, 50000), remote = v4(93, 184, 216, 34, 443);
    named create_req[] = {{"EnterExit", 0}, {"Process", PROC_A}, {"Endpoint", ep}, {"AddressFamily", 2},
                          {"SocketType", 1}, {"Protocol", 6}, {"ProcessId", 1200}, {NULL, 0}};
    named create_done[] = {{"EnterExit", 1}, {"Process", PROC_A}, {"Endpoint", ep}, {"AddressFamily", 2},
                           {"SocketType", 1}, {"Protocol", 6}, {"ProcessId", 1200}, {NULL, 0}};
    *first = ev(t, 1000, 1200, NULL, create_req);
    CHECK(ev(t, 1000, 1200, NULL, create_done) == *first);
    named bind[] = {{"EnterExit", 1}, {"Process", PROC_A}, {"Endpoint", ep}, {NULL, 0}};
    ev(t, 1030, 1200, &local, bind);
    named conn_req[] = {{"EnterExit", 0}, {"Process", PROC_A}, {"Endpoint", ep}, {"Status", STATUS_PENDING_},
                        {NULL, 0}};
    ev(t, 1021, 1200, &remote, conn_req);
    named conn_done[] = {{"EnterExit", 1}, {"Process", PROC_A}, {"Endpoint", ep}, {NULL, 0}};
    ev(t, 1021, 4, &remote, conn_done);
    for (int i = 0; i < 3; i++) {
        named req[] = {{"EnterExit", 0}, {"Process", PROC_A}, {"Endpoint", ep}, {"BufferLength", 100},
                       {"Status", STATUS_PENDING_}, {NULL, 0}};
        named done[] = {{"EnterExit", 1}, {"Process", PROC_A}, {"Endpoint", ep}, {"BufferLength", 100}, {NULL, 0}};
        ev(t, 1003, 1200, NULL, req);
        ev(t, 1003, 4, NULL, done);
    }
    /* A batch completion repeats what was already counted (Location 3073): not counted again. */
    named batch[] = {{"EnterExit", 1}, {"Location", 3073}, {"Process", PROC_A}, {"Endpoint", ep},
                     {"BufferLength", 300}, {NULL, 0}};
    ev(t, 1003, 4, NULL, batch);
    for (int i = 0; i < 2; i++) {
        named done[] = {{"EnterExit", 1}, {"Process", PROC_A}, {"Endpoint", ep}, {"BufferLength", 1000}, {NULL, 0}};
        ev(t, 1004, 4, NULL, done);
    }
    named ind[] = {{"EnterExit", 3}, {"Process", PROC_A}, {"Endpoint", ep}, {"BufferLength", 1460}, {NULL, 0}};
    ev(t, 3003, 4, NULL, ind);
    named cleanup[] = {{"EnterExit", 1}, {"Process", PROC_A}, {"Endpoint", ep}, {NULL, 0}};
    ev(t, 1002, 1200, NULL, cleanup);
    ev(t, 1001, 1200, NULL, cleanup);
    /* A late completion after the close still belongs to the first socket. */
    CHECK(ev(t, 1004, 4, NULL, batch) == *first);

    /* The endpoint address is reused: a new generation, refused. */
    *second = ev(t, 1000, 1200, NULL, create_done);
    CHECK(*second != *first);
    ev(t, 1021, 1200, &remote, conn_req);
    named refused[] = {{"EnterExit", 1}, {"Process", PROC_A}, {"Endpoint", ep}, {"Status", STATUS_REFUSED},
                       {NULL, 0}};
    ev(t, 1021, 4, &remote, refused);
    ev(t, 1001, 1200, NULL, cleanup);

    /* Pre-existing UDP socket of another process: no create, owner from a request's context. */
    const uint64_t uep = 0xffffc00056780000ull;
    afd_addr dns = v4(8, 8, 8, 8, 53);
    named sendto[] = {{"EnterExit", 0}, {"Process", PROC_B}, {"Endpoint", uep}, {"BufferLength", 40},
                      {"Status", STATUS_PENDING_}, {NULL, 0}};
    *udp = ev(t, 1007, 2400, &dns, sendto);
}

static void test_client_lifecycle(void)
{
    trace t;
    uint32_t a, b, u;
    trace_init(&t);
    build_client_trace(&t, &a, &b, &u);
    CHECK(sock_model_set_process_name(t.sm, 1200, "client.exe") == 0);
    sock_model_finish(t.sm);
    CHECK_U64(sock_model_count(t.sm), 3);

    const sock_info *s = sock_model_at(t.sm, a);
    CHECK_U64(s->endpoint, 0xffffc00012340000ull);
    CHECK_U64(s->generation, 1);
    CHECK_U64(s->pid, 1200);
    CHECK_U64(s->family, AFD_AF_INET);
    CHECK_U64(s->type, 1);
    CHECK_U64(s->protocol, 6);
    char text[64];
    afd_format_address(&s->local, text, sizeof text);
    CHECK_STR(text, "10.1.2.3:50000");
    afd_format_address(&s->remote, text, sizeof text);
    CHECK_STR(text, "93.184.216.34:443");
    CHECK_U64(s->sends, 3);
    CHECK_U64(s->bytes_sent, 300);
    CHECK_U64(s->receives, 3); /* the late completion after the close counts too */
    CHECK_U64(s->bytes_received, 2300);
    CHECK_U64(s->indications, 1);
    CHECK_U64(s->bytes_indicated, 1460);
    CHECK(s->flags & SOCK_F_CLOSED);
    CHECK(!(s->flags & SOCK_F_PREEXISTING));
    CHECK_U64(s->state, SOCK_CLOSED);
    CHECK_U64(s->outcome, SOCK_OUTCOME_CLOSED);
    /* created, bound, connecting, connected, closing, closed: in that order */
    static const uint8_t want[] = {SOCK_CREATED, SOCK_BOUND, SOCK_CONNECTING, SOCK_CONNECTED, SOCK_CLOSING,
                                   SOCK_CLOSED};
    CHECK_U64(s->ntransitions, sizeof want);
    for (unsigned i = 0; i < s->ntransitions && i < sizeof want; i++) {
        CHECK_U64(s->transitions[i].state, want[i]);
        if (i)
            CHECK(s->transitions[i].time > s->transitions[i - 1].time);
    }
    CHECK_U64(s->events, 18);
    CHECK_STR(sock_model_process_name(t.sm, s->pid), "client.exe");

    s = sock_model_at(t.sm, b);
    CHECK_U64(s->generation, 2);
    CHECK_U64(s->state, SOCK_CLOSED);
    CHECK_U64(s->outcome, SOCK_OUTCOME_FAILED);
    CHECK(s->flags & SOCK_F_HAS_ERROR);
    CHECK_U64(s->error, STATUS_REFUSED);
    CHECK_U64(s->error_event, 1021);

    s = sock_model_at(t.sm, u);
    CHECK(s->flags & SOCK_F_PREEXISTING);
    CHECK(s->flags & SOCK_F_OWNER_GUESSED);
    CHECK_U64(s->pid, 2400);
    CHECK_U64(s->sends, 1);
    CHECK_U64(s->bytes_sent, 40);
    CHECK_U64(s->outcome, SOCK_OUTCOME_OPEN);
    afd_format_address(&s->remote, text, sizeof text);
    CHECK_STR(text, "8.8.8.8:53");
    trace_free(&t);
}

/* A listener (pid 3300) accepts two connections; one peer is IPv4-mapped; the accepted endpoint of the
 * second was created beforehand by the application (AcceptEx) and is kept, not duplicated. The
 * listener's owner is known only through its EPROCESS pointer. */
/* A socket seeded from the system's TCP table at capture start: listed, never tied to events. */
static void test_existing(void)
{
    trace t;
    uint32_t a, b, u;
    trace_init(&t);
    afd_addr l = v4(0, 0, 0, 0, 445);
    uint32_t k = sock_model_add_existing(t.sm, 133800000000000000ull, 4, AFD_AF_INET, 1, 6, &l, NULL, SOCK_LISTENING);
    build_client_trace(&t, &a, &b, &u);
    sock_model_finish(t.sm);
    CHECK_U64(sock_model_count(t.sm), 4);
    const sock_info *s = sock_model_at(t.sm, k);
    CHECK(s->flags & SOCK_F_PREEXISTING);
    CHECK_U64(s->endpoint, 0);
    CHECK_U64(s->pid, 4);
    CHECK_U64(s->state, SOCK_LISTENING);
    CHECK_U64(s->outcome, SOCK_OUTCOME_OPEN);
    CHECK_U64(s->events, 0);
    CHECK_U64(s->local.port, 445);
    CHECK(s->remote.family == 0);
    CHECK(a != k && b != k && u != k);
    trace_free(&t);
}

static void test_server_accept(void)
{
    trace t;
    trace_init(&t);
    const uint64_t lep = 0xffffc000aaaa0000ull, a1 = 0xffffc000bbbb0000ull, a2 = 0xffffc000cccc0000ull;
    afd_addr any = v4(0, 0, 0, 0, 8080);
    named owner[] = {{"EnterExit", 1}, {"Process", PROC_B}, {"Endpoint", 0xffffc000dddd0000ull},
                     {"AddressFamily", 23}, {"SocketType", 1}, {"Protocol", 6}, {"ProcessId", 3300}, {NULL, 0}};
    ev(&t, 1000, 3300, NULL, owner); /* teaches PROC_B -> 3300 */
    named lis[] = {{"EnterExit", 1}, {"Process", PROC_B}, {"Endpoint", lep}, {NULL, 0}};
    uint32_t l = ev(&t, 1030, 4, &any, lis); /* listener created before the trace */
    named listen[] = {{"EnterExit", 1}, {"Process", PROC_B}, {"Endpoint", lep}, {"Backlog", 200}, {NULL, 0}};
    CHECK(ev(&t, 1037, 4, NULL, listen) == l);
    afd_addr peer1 = v4(192, 168, 1, 50, 61000);
    named acc1[] = {{"EnterExit", 1}, {"Process", PROC_B}, {"Endpoint", lep}, {"AcceptEndpoint", a1}, {NULL, 0}};
    uint32_t s1 = ev(&t, 1024, 4, &peer1, acc1);
    CHECK(s1 != l);
    named create2[] = {{"EnterExit", 1}, {"Process", PROC_B}, {"Endpoint", a2}, {"AddressFamily", 23},
                       {"SocketType", 1}, {"Protocol", 6}, {"ProcessId", 3300}, {NULL, 0}};
    uint32_t pre = ev(&t, 1000, 3300, NULL, create2);
    afd_addr peer2 = v6mapped(10, 9, 8, 7, 62000);
    named acc2[] = {{"EnterExit", 1}, {"Process", PROC_B}, {"Endpoint", lep}, {"AcceptEndpoint", a2}, {NULL, 0}};
    uint32_t s2 = ev(&t, 1027, 4, &peer2, acc2);
    CHECK_U64(s2, pre);
    named recv[] = {{"EnterExit", 1}, {"Process", PROC_B}, {"Endpoint", a1}, {"BufferLength", 512}, {NULL, 0}};
    CHECK(ev(&t, 1004, 4, NULL, recv) == s1);
    named abort_[] = {{"EnterExit", 2}, {"Process", PROC_B}, {"Endpoint", a1}, {"Reason", 7}, {NULL, 0}};
    ev(&t, 1032, 4, NULL, abort_);
    named close_[] = {{"EnterExit", 1}, {"Process", PROC_B}, {"Endpoint", a1}, {NULL, 0}};
    ev(&t, 1001, 3300, NULL, close_);
    sock_model_finish(t.sm);

    const sock_info *L = sock_model_at(t.sm, l), *S1 = sock_model_at(t.sm, s1), *S2 = sock_model_at(t.sm, s2);
    CHECK(L->flags & SOCK_F_PREEXISTING);
    CHECK_U64(L->pid, 3300);
    CHECK_U64(L->state, SOCK_LISTENING);
    CHECK_U64(L->accepts, 2);
    CHECK_U64(S1->listener, l);
    CHECK_U64(S1->pid, 3300);
    CHECK(S1->flags & SOCK_F_ACCEPTED);
    char text[64];
    afd_format_address(&S1->remote, text, sizeof text);
    CHECK_STR(text, "192.168.1.50:61000");
    afd_format_address(&S1->local, text, sizeof text);
    CHECK_STR(text, "0.0.0.0:8080");
    CHECK_U64(S1->receives, 1);
    CHECK_U64(S1->outcome, SOCK_OUTCOME_ABORTED);
    CHECK_U64(S1->abort_reason, 7);
    CHECK_U64(S1->abort_event, 1032);
    CHECK_U64(S2->listener, l);
    CHECK_U64(S2->family, AFD_AF_INET6);
    CHECK_U64(S2->state, SOCK_CONNECTED);
    CHECK_U64(S2->outcome, SOCK_OUTCOME_OPEN);
    afd_format_address(&S2->remote, text, sizeof text);
    CHECK_STR(text, "[::ffff:10.9.8.7]:62000");
    trace_free(&t);
}

/* ---- the filter language ---- */

static uint64_t count_matches(trace *t, const char *expr)
{
    filt *f = NULL;
    filt_error err;
    filt_ctx c = {t->st, t->sm, t->time, decode_row, t};
    if (filt_compile(expr, &f, &err) != 0) {
        check_failures++;
        fprintf(stderr, "filter \"%s\" rejected at column %zu: %s\n", expr, err.column, err.message);
        return UINT64_MAX;
    }
    uint64_t n = 0;
    uint32_t rows[MAX_EVENTS];
    for (uint64_t r = 0; r < store_count(t->st); r++)
        n += (uint64_t)filt_match_event(f, &c, r);
    /* The bulk path (with its per-socket memos) must agree with row-by-row evaluation. */
    CHECK_U64(filt_select(f, &c, 0, store_count(t->st), rows), n);
    filt_free(f);
    return n;
}

static void test_filters(void)
{
    trace t;
    uint32_t a, b, u;
    trace_init(&t);
    build_client_trace(&t, &a, &b, &u);
    CHECK(sock_model_set_process_name(t.sm, 1200, "client.exe") == 0);
    CHECK(sock_model_set_process_name(t.sm, 2400, "svchost.exe") == 0);
    sock_model_finish(t.sm);
    uint64_t total = store_count(t.st);
    CHECK_U64(total, 23);

    CHECK_U64(count_matches(&t, ""), 23);
    CHECK_U64(count_matches(&t, "socket.pid == 1200"), 22);
    CHECK_U64(count_matches(&t, "pid == 4"), 10);
    CHECK_U64(count_matches(&t, "event == connect"), 4);
    CHECK_U64(count_matches(&t, "event in (connect, close)"), 7);
    CHECK_U64(count_matches(&t, "socket.pid == 1200 and event in (connect, accept) and remote.port == 443 and "
                                "status != success"),
              3); /* two pending requests and the refusal */
    CHECK_U64(count_matches(&t, "status == STATUS_CONNECTION_REFUSED"), 1);
    CHECK_U64(count_matches(&t, "status == WSAECONNREFUSED"), 1);
    CHECK_U64(count_matches(&t, "status == pending"), 6);
    CHECK_U64(count_matches(&t, "status == error"), 1);
    CHECK_U64(count_matches(&t, "socket.outcome == failed"), 4);
    CHECK_U64(count_matches(&t, "socket.outcome == closed or socket.outcome == failed"), 22);
    CHECK_U64(count_matches(&t, "not socket.outcome == open"), 22);
    CHECK_U64(count_matches(&t, "remote in 93.0.0.0/8"), 22);
    CHECK_U64(count_matches(&t, "remote in (8.8.8.0/24, 1.1.1.1)"), 1);
    CHECK_U64(count_matches(&t, "remote == 8.8.8.8:53"), 1);
    CHECK_U64(count_matches(&t, "remote == 8.8.8.8:54"), 0);
    CHECK_U64(count_matches(&t, "local == [::ffff:10.1.2.3]:50000"), 0); /* v6 value, v4 address */
    CHECK_U64(count_matches(&t, "local in ([10.1.2.3]:50000, 10.1.2.3:50001)"), 18);
    CHECK_U64(count_matches(&t, "remote contains \"184.216\""), 22);
    CHECK_U64(count_matches(&t, "process ~ \"^CLIENT\""), 22);
    CHECK_U64(count_matches(&t, "process == \"svchost.exe\""), 1);
    CHECK_U64(count_matches(&t, "bytes >= 1KB"), 1);
    CHECK_U64(count_matches(&t, "BufferLength == 300"), 2);
    CHECK_U64(count_matches(&t, "Address in 93.184.216.0/24"), 4);
    CHECK_U64(count_matches(&t, "socket.duration > 1s"), 0);
    CHECK_U64(count_matches(&t, "socket.duration >= 10ms and socket.generation == 1"), 18);
    CHECK_U64(count_matches(&t, "not level <= 3"), 23);
    CHECK_U64(count_matches(&t, "(pid == 4 or pid == 2400) and !(event == send)"), 6);
    CHECK_U64(count_matches(&t, "socket.protocol == tcp && socket.family == ipv4"), 22);
    CHECK_U64(count_matches(&t, "socket.preexisting"), 1);
    trace_free(&t);
}

static void check_syntax_error(const char *expr, size_t column, const char *fragment)
{
    filt *f = NULL;
    filt_error err;
    if (filt_compile(expr, &f, &err) == 0) {
        check_failures++;
        fprintf(stderr, "filter \"%s\" was accepted\n", expr);
        filt_free(f);
        return;
    }
    if (err.column != column || !strstr(err.message, fragment)) {
        check_failures++;
        fprintf(stderr, "filter \"%s\": column %zu \"%s\", expected column %zu with \"%s\"\n", expr, err.column,
                err.message, column, fragment);
    }
}

static void test_filter_errors(void)
{
    check_syntax_error("pid ==", 7, "expected a value");
    check_syntax_error("pid == 12 and", 14, "expected a field name");
    check_syntax_error("bogus == 1", 1, "unknown field 'bogus'");
    check_syntax_error("(pid == 1", 10, "expected ')'");
    check_syntax_error("pid == 1 pid", 10, "expected 'and', 'or' or the end");
    check_syntax_error("socket.duration > 2", 19, "needs a unit");
    check_syntax_error("socket.duration > 2parsecs", 19, "unknown time unit");
    check_syntax_error("remote in 10.0.0.0/33", 11, "address");
    check_syntax_error("remote > 1.2.3.4", 8, "cannot be ordered");
    check_syntax_error("event in (connect", 18, "expected ',' or ')'");
    check_syntax_error("socket.outcome == exploded", 19, "unknown name");
    check_syntax_error("process ~ \"(abc\"", 16, "bad regular expression");
    check_syntax_error("pid == \"abc", 8, "expected a value");
    check_syntax_error("pid # 3", 5, "unexpected character");
}

/* Random expressions against a brute-force evaluation: atoms whose truth the test computes itself from
 * the row, combined with and/or/not and parentheses into text the filter compiles. */
typedef struct atom {
    const char *text;
    int (*truth)(const store_row *r, const sock_info *s);
} atom;

static int t_pid4(const store_row *r, const sock_info *s) { (void)s; return r->pid == 4; }
static int t_send(const store_row *r, const sock_info *s) { (void)s; return r->id == 1003 || r->id == 1007; }
static int t_big(const store_row *r, const sock_info *s) { (void)s; return r->bytes > 150; }
static int t_err(const store_row *r, const sock_info *s) { (void)s; return (r->flags & STORE_ROW_HAS_STATUS) && r->status >= 0xC0000000u; }
static int t_gen2(const store_row *r, const sock_info *s) { (void)r; return s && s->generation == 2; }
static int t_udp(const store_row *r, const sock_info *s) { (void)r; return s && (s->flags & SOCK_F_PREEXISTING); }
static int t_id(const store_row *r, const sock_info *s) { (void)s; return r->id >= 1004 && r->id <= 1021; }

static const atom atoms[] = {
    {"pid == 4", t_pid4},          {"event == send", t_send},        {"bytes > 150", t_big},
    {"status == error", t_err},    {"socket.generation == 2", t_gen2}, {"socket.preexisting == true", t_udp},
    {"id in (1004, 1021) or (id > 1004 and id < 1021)", t_id},
};

static uint32_t seed = 99;
static uint32_t rnd(uint32_t n)
{
    seed = seed * 1664525u + 1013904223u;
    return (seed >> 10) % n;
}

typedef struct expr {
    char text[2048];
    int kind, a, b; /* 0 atom (a = index), 1 and, 2 or, 3 not */
} expr;

static expr pool[64];
static int pool_n;

static int gen(int depth)
{
    int i = pool_n++;
    char text[sizeof pool[0].text];
    int k = depth > 3 ? 0 : (int)rnd(4);
    pool[i].kind = k;
    if (k == 0) {
        pool[i].a = (int)rnd(sizeof atoms / sizeof atoms[0]);
        snprintf(text, sizeof text, "(%s)", atoms[pool[i].a].text);
    } else if (k == 3) {
        pool[i].a = gen(depth + 1);
        snprintf(text, sizeof text, rnd(2) ? "not %s" : "!%s", pool[pool[i].a].text);
    } else {
        pool[i].a = gen(depth + 1);
        pool[i].b = gen(depth + 1);
        const char *op = k == 1 ? (rnd(2) ? "and" : "&&") : (rnd(2) ? "or" : "||");
        snprintf(text, sizeof text, "(%s %s %s)", pool[pool[i].a].text, op, pool[pool[i].b].text);
    }
    memcpy(pool[i].text, text, sizeof text);
    return i;
}

static int truth(int i, const store_row *r, const sock_info *s)
{
    const expr *e = &pool[i];
    switch (e->kind) {
    case 0: return atoms[e->a].truth(r, s);
    case 1: return truth(e->a, r, s) && truth(e->b, r, s);
    case 2: return truth(e->a, r, s) || truth(e->b, r, s);
    default: return !truth(e->a, r, s);
    }
}

static void test_filter_random(void)
{
    trace t;
    uint32_t a, b, u;
    trace_init(&t);
    build_client_trace(&t, &a, &b, &u);
    sock_model_finish(t.sm);
    filt_ctx c = {t.st, t.sm, t.time, decode_row, &t};
    int compared = 0;
    for (int iter = 0; iter < 400; iter++) {
        pool_n = 0;
        int root = gen(0);
        filt *f = NULL;
        filt_error err;
        if (filt_compile(pool[root].text, &f, &err) != 0) {
            check_failures++;
            fprintf(stderr, "random filter rejected: %s (%s)\n", pool[root].text, err.message);
            continue;
        }
        for (uint64_t r = 0; r < store_count(t.st); r++) {
            const store_row *row = store_row_at(t.st, r);
            const sock_info *s = row->socket == STORE_NO_SOCKET ? NULL : sock_model_at(t.sm, row->socket);
            if (filt_match_event(f, &c, r) != truth(root, row, s)) {
                check_failures++;
                fprintf(stderr, "row %llu: filter and brute force disagree on %s\n", (unsigned long long)r,
                        pool[root].text);
                break;
            }
            compared++;
        }
        filt_free(f);
    }
    CHECK(compared == 400 * 23);
    trace_free(&t);
}

/* Sorting against a stable insertion sort on the same keys, computed here from the rows and sockets. */
static uint64_t ref_key(const trace *t, rows_column col, uint32_t row)
{
    const store_row *r = store_row_at(t->st, row);
    const sock_info *s = r->socket == STORE_NO_SOCKET ? NULL : sock_model_at(t->sm, r->socket);
    switch (col) {
    case ROWS_COL_BYTES: return r->bytes;
    case ROWS_COL_EVENT: return r->id;
    case ROWS_COL_STATUS: return (r->flags & STORE_ROW_HAS_STATUS) ? (uint64_t)r->status + 1 : 0;
    /* pids 1200 (client.exe) < 2400 (svchost.exe) both by name and by number here */
    case ROWS_COL_PROCESS: return s ? s->pid : 0;
    /* the remotes are 8.8.8.8 (u) and 93.184.216.34 (a, b) */
    case ROWS_COL_REMOTE: return s ? (uint64_t)s->remote.bytes[0] + 1 : 0;
    default: return row;
    }
}

static void test_sort_and_find(void)
{
    trace t;
    uint32_t a, b, u;
    trace_init(&t);
    build_client_trace(&t, &a, &b, &u);
    CHECK(sock_model_set_process_name(t.sm, 1200, "client.exe") == 0);
    CHECK(sock_model_set_process_name(t.sm, 2400, "svchost.exe") == 0);
    sock_model_finish(t.sm);
    filt_ctx c = {t.st, t.sm, t.time, decode_row, &t};
    uint32_t n = (uint32_t)store_count(t.st);
    static const rows_column cols[] = {ROWS_COL_BYTES, ROWS_COL_EVENT, ROWS_COL_STATUS, ROWS_COL_PROCESS,
                                       ROWS_COL_REMOTE};
    for (size_t ci = 0; ci < sizeof cols / sizeof cols[0]; ci++)
        for (int desc = 0; desc < 2; desc++) {
            uint32_t got[MAX_EVENTS], want[MAX_EVENTS];
            for (uint32_t i = 0; i < n; i++)
                got[i] = want[i] = n - 1 - i; /* start from a non-trivial order */
            for (uint32_t i = 1; i < n; i++)
                for (uint32_t j = i; j > 0; j--) {
                    uint64_t kj = ref_key(&t, cols[ci], want[j]), kp = ref_key(&t, cols[ci], want[j - 1]);
                    if (desc ? kj > kp : kj < kp) {
                        uint32_t x = want[j];
                        want[j] = want[j - 1];
                        want[j - 1] = x;
                    } else {
                        break;
                    }
                }
            CHECK(rows_sort(&c, cols[ci], desc, got, n) == 0);
            CHECK(memcmp(got, want, n * sizeof got[0]) == 0);
        }

    /* Find: forward and backward, by filter and by text, wrapping around. */
    filt *f = NULL;
    filt_error err;
    CHECK(filt_compile("event == connect", &f, &err) == 0);
    CHECK(rows_find(&c, NULL, n, 0, 0, f, NULL) == 3);
    CHECK(rows_find(&c, NULL, n, 3, 0, f, NULL) == 4);
    CHECK(rows_find(&c, NULL, n, 4, 0, f, NULL) == 19);
    CHECK(rows_find(&c, NULL, n, 20, 0, f, NULL) == 3);  /* wraps */
    CHECK(rows_find(&c, NULL, n, 3, 1, f, NULL) == 20);  /* backward wraps */
    CHECK(rows_find(&c, NULL, n, 19, 1, f, NULL) == 4);
    filt_free(f);
    CHECK(rows_find(&c, NULL, n, 0, 0, NULL, "SVCHOST") == 22);
    CHECK(rows_find(&c, NULL, n, 0, 0, NULL, "connection_refused") == 20);
    CHECK(rows_find(&c, NULL, n, 0, 0, NULL, "8.8.8.8:53") == 22);
    CHECK(rows_find(&c, NULL, n, 0, 0, NULL, "no such text") == -1);
    uint32_t view[3] = {22, 5, 0};
    CHECK(rows_find(&c, view, 3, 0, 0, NULL, "client") == 1);
    trace_free(&t);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_client_lifecycle), CHECK_CASE(test_server_accept), CHECK_CASE(test_existing),  CHECK_CASE(test_filters),
        CHECK_CASE(test_filter_errors),    CHECK_CASE(test_filter_random),  CHECK_CASE(test_sort_and_find),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
