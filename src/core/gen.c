/*
 * gen.c - the scenario engine (see gen.h): a simulated machine that drives
 * sockets through their lifecycles and emits Winsock-AFD events the way
 * afd.sys does, keeping the expected per-socket truth as it goes.
 *
 * Every event is built field by field in payload order and checked against
 * the schema table (afd.h) before it reaches the sink, so the engine and the
 * decoder cannot drift apart silently. Everything derived from an event's
 * values (status, EnterExit, Location, byte counts, error) is read back from
 * the values through the schema's field roles, in one place (ev_end).
 */
#include <wsk/gen.h>
#include <wsk/nts.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KW_CHANNEL 0x8000000000000000ull

#define ST_SUCCESS 0x00000000u
#define ST_REFUSED 0xC0000236u     /* STATUS_CONNECTION_REFUSED */
#define ST_TIMEOUT 0xC00000B5u     /* STATUS_IO_TIMEOUT */
#define ST_RESET 0xC000020Du       /* STATUS_CONNECTION_RESET */
#define ST_CANCELLED 0xC0000120u   /* STATUS_CANCELLED */
#define ST_ADDR_EXISTS 0xC000020Au /* STATUS_ADDRESS_ALREADY_EXISTS */
#define ST_ABORTED 0xC0000241u     /* STATUS_CONNECTION_ABORTED */
#define ST_NET_UNREACH 0xC000023Cu /* STATUS_NETWORK_UNREACHABLE */

#define TICK_MS 10000ull /* FILETIME units per millisecond */

enum { SRC_WINSOCK, SRC_TRANSPORT, SRC_RIO, SRC_NRT, SRC_NONE };
#define NO_SOCK ((size_t)-1)

typedef struct gproc {
    uint32_t pid;
    const char *image;
    uint64_t eprocess;
    uint32_t tid[3];
    uint16_t cpu;
} gproc;

/* Engine-side state of a socket record (parallel to gen_result.sockets). */
typedef struct gsock {
    int proc;
    uint8_t ptr;
    uint8_t live;
    uint8_t failed, aborted;
    uint32_t slot;
} gsock;

typedef struct gpool {
    uint32_t *free_slots;
    size_t nfree, cap_free;
    uint32_t next_slot;
    uint32_t *lifetimes; /* per slot: creates seen so far */
    size_t cap_slots;
} gpool;

/* Per event ID: where the schema keeps what ev_end reads back (-1: absent). */
typedef struct gmeta {
    const afd_event_schema *s;
    int8_t ee, loc, bytes, status, endpoint, accept;
} gmeta;

typedef struct gen {
    gen_options o;
    const gen_sink *sink;
    gen_result r;
    size_t cap_sockets;
    gsock *ext;
    size_t cap_ext;
    gproc *procs;
    size_t nprocs, cap_procs;
    gpool pool[2]; /* [0] 4-byte pointers, [1] 8-byte */
    uint64_t rng;
    uint64_t now;
    unsigned ptr;
    uint32_t next_pid;
    int stop;      /* sink's non-zero value */
    int fail;      /* engine error (out of memory, schema mismatch) */
    char *err;
    size_t err_len;
    gen_event ev;
    gmeta *meta;   /* [GEN_ID_LIMIT] */
    size_t sa, sb; /* sockets the current event names */
    uint64_t user_buf;
    int reuse;     /* the next socket takes the most recently freed endpoint */
} gen;

/* ---------------------------------------------------------------- utilities */

static uint64_t rnd64(gen *g)
{
    /* splitmix64: tiny, fast and the same everywhere */
    uint64_t z = (g->rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t rnd(gen *g, uint32_t n)
{
    return n ? (uint32_t)((rnd64(g) >> 32) % n) : 0;
}

static void fail(gen *g, const char *what)
{
    if (!g->fail && g->err && g->err_len)
        snprintf(g->err, g->err_len, "%s", what);
    g->fail = 1;
}

static int running(const gen *g)
{
    return !g->stop && !g->fail;
}

static int grow(gen *g, void **p, size_t *cap, size_t need, size_t elem)
{
    size_t n = *cap ? *cap : 16;
    void *q;
    if (need <= *cap)
        return 0;
    while (n < need)
        n *= 2;
    q = realloc(*p, n * elem);
    if (!q) {
        fail(g, "out of memory");
        return -1;
    }
    memset((char *)q + *cap * elem, 0, (n - *cap) * elem);
    *p = q;
    *cap = n;
    return 0;
}

static void wait_ticks(gen *g, uint64_t ticks)
{
    g->now += ticks;
}

static void wait_ms(gen *g, uint32_t lo, uint32_t hi)
{
    wait_ticks(g, (lo + rnd(g, hi - lo + 1)) * TICK_MS);
}

static afd_addr ip4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port)
{
    afd_addr x;
    memset(&x, 0, sizeof x);
    x.family = AFD_AF_INET;
    x.has_port = 1;
    x.port = port;
    x.bytes[0] = a;
    x.bytes[1] = b;
    x.bytes[2] = c;
    x.bytes[3] = d;
    return x;
}

/* 2001:db8:<net>::<host> (documentation prefix) */
static afd_addr ip6(uint16_t net, uint16_t host, uint16_t port)
{
    afd_addr x;
    memset(&x, 0, sizeof x);
    x.family = AFD_AF_INET6;
    x.has_port = 1;
    x.port = port;
    x.bytes[0] = 0x20;
    x.bytes[1] = 0x01;
    x.bytes[2] = 0x0d;
    x.bytes[3] = 0xb8;
    x.bytes[4] = (uint8_t)(net >> 8);
    x.bytes[5] = (uint8_t)net;
    x.bytes[14] = (uint8_t)(host >> 8);
    x.bytes[15] = (uint8_t)host;
    return x;
}

static afd_addr v4mapped(afd_addr v4)
{
    afd_addr x = v4;
    x.family = AFD_AF_INET6;
    memset(x.bytes, 0, sizeof x.bytes);
    x.bytes[10] = 0xff;
    x.bytes[11] = 0xff;
    memcpy(x.bytes + 12, v4.bytes, 4);
    return x;
}

static afd_addr local_addr(uint32_t family, uint16_t port)
{
    return family == AFD_AF_INET6 ? ip6(1, 0x23, port) : ip4(192, 168, 1, 23, port);
}

static afd_addr any_addr(uint32_t family, uint16_t port)
{
    afd_addr x;
    memset(&x, 0, sizeof x);
    x.family = (uint16_t)family;
    x.has_port = 1;
    x.port = port;
    return x;
}

static uint16_t eph_port(gen *g)
{
    return (uint16_t)(49152 + rnd(g, 16000));
}

/* --------------------------------------------------------- machine objects */

static gen_socket *rec(gen *g, size_t s)
{
    return &g->r.sockets[s];
}

static int proc_new(gen *g, const char *image)
{
    gproc *p;
    int i;
    if (grow(g, (void **)&g->procs, &g->cap_procs, g->nprocs + 1, sizeof *g->procs))
        return 0;
    p = &g->procs[g->nprocs];
    p->image = image;
    if (strcmp(image, "System") == 0) {
        p->pid = 4;
    } else {
        g->next_pid += 4 * (1 + rnd(g, 300));
        p->pid = g->next_pid;
    }
    /* kernel-looking EPROCESS addresses, distinct per process */
    p->eprocess = g->ptr == 8 ? 0xffffc30a1e7c2080ull + (uint64_t)g->nprocs * 0x9c0 + (uint64_t)rnd(g, 64) * 0x40000
                              : 0x84d2e030ull + (uint64_t)g->nprocs * 0x3c0;
    for (i = 0; i < 3; i++)
        p->tid[i] = p->pid == 4 ? 8 + 4 * (uint32_t)(1 + rnd(g, 200)) : p->pid + 4 * (uint32_t)(1 + rnd(g, 900));
    p->cpu = (uint16_t)rnd(g, g->o.cpus);
    g->r.process_count++;
    if (g->sink->process && running(g)) {
        int rc = g->sink->process(g->sink->ctx, p->pid, p->image, p->eprocess, g->now);
        if (rc)
            g->stop = rc;
    }
    return (int)g->nprocs++;
}

static uint64_t slot_endpoint(unsigned ptr, uint32_t slot)
{
    return ptr == 8 ? 0xffffb30c5a4e1010ull + (uint64_t)slot * 0x2e0 : 0x8a3c1008ull + (uint64_t)slot * 0x1e0;
}

/* A new socket record: often on the most recently freed endpoint (pool allocators reuse memory LIFO), always
 * when g->reuse asks for it. A socket that existed before the trace started cannot sit on an endpoint the
 * trace saw freed, so it always takes a fresh one. */
static size_t sock_new(gen *g, int proc, uint32_t family, uint32_t type, uint32_t protocol, int pre_existing)
{
    gpool *pl = &g->pool[g->ptr == 8];
    size_t s = g->r.socket_count;
    uint32_t slot;
    gen_socket *k;
    if (grow(g, (void **)&g->r.sockets, &g->cap_sockets, s + 1, sizeof *g->r.sockets) ||
        grow(g, (void **)&g->ext, &g->cap_ext, s + 1, sizeof *g->ext))
        return NO_SOCK;
    if (!pre_existing && pl->nfree && (g->reuse || rnd(g, 2) == 0)) {
        g->reuse = 0;
        slot = pl->free_slots[--pl->nfree];
    } else {
        slot = pl->next_slot++;
        if (grow(g, (void **)&pl->lifetimes, &pl->cap_slots, slot + 1, sizeof *pl->lifetimes))
            return NO_SOCK;
    }
    k = &g->r.sockets[s];
    memset(k, 0, sizeof *k);
    k->endpoint = slot_endpoint(g->ptr, slot);
    k->generation = ++pl->lifetimes[slot];
    k->pid = g->procs[proc].pid;
    k->process = g->procs[proc].image;
    k->family = family;
    k->type = type;
    k->protocol = protocol;
    k->pre_existing = pre_existing;
    k->state = pre_existing ? GEN_ST_CONNECTED : GEN_ST_CREATED;
    g->ext[s].proc = proc;
    g->ext[s].ptr = (uint8_t)g->ptr;
    g->ext[s].live = 1;
    g->ext[s].failed = 0;
    g->ext[s].aborted = 0;
    g->ext[s].slot = slot;
    g->r.socket_count++;
    return s;
}

static void sock_free(gen *g, size_t s)
{
    gsock *x = &g->ext[s];
    gpool *pl = &g->pool[x->ptr == 8];
    if (!x->live)
        return;
    x->live = 0;
    if (grow(g, (void **)&pl->free_slots, &pl->cap_free, pl->nfree + 1, sizeof *pl->free_slots))
        return;
    pl->free_slots[pl->nfree++] = x->slot;
}

/* ------------------------------------------------------------------ events */

typedef struct gctx {
    uint32_t pid, tid;
    uint16_t cpu;
} gctx;

/* The owner's own thread (requests run there); threads sometimes migrate. */
static gctx ctx_app(gen *g, int proc)
{
    gproc *p = &g->procs[proc];
    gctx c;
    if (rnd(g, 16) == 0)
        p->cpu = (uint16_t)rnd(g, g->o.cpus);
    c.pid = p->pid;
    c.tid = p->tid[rnd(g, 3)];
    c.cpu = p->cpu;
    return c;
}

/* Completions and indications: mostly System (DPCs, worker threads), sometimes the owner, sometimes whatever
 * process the CPU happened to run. */
static gctx ctx_async(gen *g, int proc)
{
    uint32_t r = rnd(g, 100);
    gctx c;
    if (r < 25)
        return ctx_app(g, proc);
    if (r < 85 || g->nprocs < 2) {
        const gproc *sys = &g->procs[0];
        c.pid = sys->pid;
        c.tid = sys->tid[rnd(g, 3)];
    } else {
        const gproc *o = &g->procs[rnd(g, (uint32_t)g->nprocs)];
        c.pid = o->pid;
        c.tid = o->tid[rnd(g, 3)];
    }
    c.cpu = (uint16_t)rnd(g, g->o.cpus);
    return c;
}

static const gmeta *meta_of(gen *g, uint16_t id)
{
    gmeta *m = &g->meta[id];
    if (!m->s) {
        m->s = afd_schema_find(id, 0);
        if (!m->s)
            return NULL;
        m->ee = (int8_t)afd_schema_role(m->s, AFD_ROLE_ENTER_EXIT);
        m->loc = (int8_t)afd_schema_role(m->s, AFD_ROLE_LOCATION);
        m->bytes = (int8_t)afd_schema_role(m->s, AFD_ROLE_BYTES);
        m->endpoint = (int8_t)afd_schema_role(m->s, AFD_ROLE_ENDPOINT);
        m->accept = (int8_t)afd_schema_role(m->s, AFD_ROLE_ACCEPT_ENDPOINT);
        m->status = m->s->status_field;
    }
    return m;
}

static void ev_begin(gen *g, uint16_t id, gctx c)
{
    g->now += 1 + rnd(g, 40);
    g->ev.time = g->now;
    g->ev.pid = c.pid;
    g->ev.tid = c.tid;
    g->ev.cpu = c.cpu;
    g->ev.ptr_size = (uint8_t)g->ptr;
    g->ev.id = id;
    g->ev.count = 0;
    g->sa = g->sb = NO_SOCK;
}

static afd_value *put_slot(gen *g)
{
    afd_value *v;
    if (g->ev.count >= AFD_MAX_FIELDS) {
        fail(g, "internal: too many fields");
        g->ev.count = 0;
    }
    v = &g->ev.values[g->ev.count++];
    v->u = 0;
    v->data = NULL;
    v->len = 0;
    return v;
}

static void put(gen *g, uint64_t u)
{
    put_slot(g)->u = u;
}

static void put_ptr(gen *g, uint64_t u)
{
    put_slot(g)->u = g->ptr == 4 ? (u & 0xffffffffu) : u;
}

/* The prefix of the 1000/3000 series: EnterExit, Location, Process. */
static void put_prefix(gen *g, uint32_t ee, uint32_t loc, int proc)
{
    put(g, ee);
    put(g, loc);
    put_ptr(g, g->procs[proc].eprocess);
}

static void put_ep(gen *g, size_t s)
{
    put_ptr(g, rec(g, s)->endpoint);
}

/* AddressLen + Address (a raw SOCKADDR); a == NULL gives AddressLen 0. */
static void put_sockaddr(gen *g, const afd_addr *a)
{
    afd_value *v;
    put(g, 0); /* AddressLen: afd_encode derives it from the next value */
    v = put_slot(g);
    if (a) {
        size_t n = afd_sockaddr_build(a, g->ev.bytes, sizeof g->ev.bytes);
        v->data = g->ev.bytes;
        v->len = (uint32_t)n;
    }
}

/* Legacy Address (IPv4 or IPv6 by the address) + Port. */
static void put_ipport(gen *g, const afd_addr *a)
{
    if (a->family == AFD_AF_INET6) {
        afd_value *v = put_slot(g);
        memcpy(g->ev.bytes, a->bytes, 16);
        v->data = g->ev.bytes;
        v->len = 16;
    } else {
        put(g, (uint64_t)a->bytes[0] << 24 | (uint64_t)a->bytes[1] << 16 | (uint64_t)a->bytes[2] << 8 | a->bytes[3]);
    }
    put(g, a->port);
}

static uint64_t user_buffer(gen *g)
{
    g->user_buf += 0x1000 * (1 + rnd(g, 16));
    return g->ptr == 8 ? 0x000001d4a7c30000ull + (g->user_buf & 0xffffffffull) : 0x00c30000u + (g->user_buf & 0x3fffffu);
}

static int ok_status(uint32_t st)
{
    return nts_is_success(st);
}

static int counts_as_send(uint16_t id, uint64_t ee, uint64_t loc, uint32_t st)
{
    switch (id) {
    case 1003: case 1005: case 1011:
        return ee == 1 && ok_status(st) && loc != 3073;
    case 1007: case 1013:
        return ee == 0;
    case 24: case 25: case 28:
        return 1;
    default:
        return 0;
    }
}

static int counts_as_receive(uint16_t id, uint64_t ee, uint32_t st)
{
    switch (id) {
    case 1004: case 1006: case 1009: case 1012: case 1015:
        return ee == 1 && ok_status(st);
    case 23: case 26: case 27:
        return 1;
    default:
        return 0;
    }
}

static void count_on(gen *g, size_t s, const gmeta *m, uint32_t status, int has_status)
{
    gen_socket *k = rec(g, s);
    const gen_event *e = &g->ev;
    uint64_t ee = m->ee >= 0 ? e->values[m->ee].u : 1;
    uint64_t loc = m->loc >= 0 ? e->values[m->loc].u : 0;
    uint64_t bytes = m->bytes >= 0 ? (e->values[m->bytes].u & 0xffffffffu) : 0;
    k->events++;
    if (!k->created)
        k->created = e->time;
    if (counts_as_send(e->id, ee, loc, status)) {
        k->sends++;
        k->bytes_sent += bytes;
    } else if (counts_as_receive(e->id, ee, status)) {
        k->receives++;
        k->bytes_received += bytes;
    }
    if (has_status && !k->has_error && nts_outcome(status) == NTS_ERROR) {
        k->has_error = 1;
        k->error = status;
    }
}

/* Finishes the current event: runtime descriptor, checks against the schema, sink, bookkeeping. */
static void ev_end(gen *g, int src)
{
    gen_event *e = &g->ev;
    const gmeta *m;
    uint32_t status = 0;
    int has_status = 0;
    uint64_t kw = KW_CHANNEL;
    if (!running(g))
        return;
    m = meta_of(g, e->id);
    if (!m || m->s->nfields != e->count) {
        char msg[96];
        snprintf(msg, sizeof msg, "internal: event %u built with %u fields, the schema %s", e->id, e->count,
                 m ? "disagrees" : "does not know it");
        fail(g, msg);
        return;
    }
    if (m->status >= 0 && m->s->status_kind == AFD_STATUS_NTSTATUS) {
        status = (uint32_t)e->values[m->status].u;
        has_status = 1;
    }
    e->task = m->s->task;
    e->opcode = m->s->opcode;
    e->level = m->s->level;
    if (e->id >= 1000 && has_status && (status & 0x80000000u))
        e->level = 2; /* afd.sys: ((status >> 31) & 0xFE) + 4 */
    if (e->id == 1030)
        e->opcode = (uint8_t)(e->values[0].u == 0 ? 10 : 12);
    if (src == SRC_WINSOCK || src == SRC_TRANSPORT) {
        size_t s = g->sa;
        kw |= src == SRC_WINSOCK ? 0x4 : 0x8;
        if (s != NO_SOCK && rec(g, s)->type)
            kw |= rec(g, s)->type == GEN_SOCK_DGRAM ? 0x1 : 0x2;
        if (e->id == 1003 && e->values[0].u == 1)
            kw |= 0x20; /* buffered send completion */
    } else if (src == SRC_RIO) {
        kw |= 0x40;
    } else if (src == SRC_NRT) {
        kw |= 0x80;
    }
    kw |= m->s->keywords & AFD_KW_DROPPED;
    e->keyword = kw;
    {
        int rc = g->sink->event(g->sink->ctx, e);
        if (rc) {
            g->stop = rc;
            return;
        }
    }
    g->r.events++;
    g->r.end_time = e->time;
    g->r.id_counts[(e->ptr_size == 8 ? GEN_ID_LIMIT : 0) + e->id]++;
    if (g->sa != NO_SOCK)
        count_on(g, g->sa, m, status, has_status);
    if (g->sb != NO_SOCK && g->sb != g->sa)
        count_on(g, g->sb, m, 0, 0);
}

/* ------------------------------------------------- socket operations (modern) */

static size_t op_create(gen *g, int proc, uint32_t family, uint32_t type, uint32_t protocol)
{
    size_t s = sock_new(g, proc, family, type, protocol, 0);
    uint32_t ee;
    if (s == NO_SOCK)
        return s;
    for (ee = 0; ee < 2; ee++) {
        ev_begin(g, 1000, ctx_app(g, proc));
        put_prefix(g, ee, ee ? 1011 : 1000, proc);
        put_ep(g, s);
        put(g, family);
        put(g, type);
        put(g, protocol);
        put_ptr(g, g->procs[proc].pid);
        put(g, ST_SUCCESS);
        g->sa = s;
        ev_end(g, SRC_WINSOCK);
        wait_ticks(g, 20 + rnd(g, 200));
    }
    return s;
}

static void op_bind(gen *g, size_t s, const afd_addr *a, uint32_t status)
{
    int proc = g->ext[s].proc;
    uint32_t ee;
    for (ee = 0; ee < 2; ee++) {
        ev_begin(g, 1030, ee ? ctx_async(g, proc) : ctx_app(g, proc));
        put_prefix(g, ee, ee ? 7022 : 7010, proc);
        put_ep(g, s);
        put(g, ee ? status : ST_SUCCESS);
        put_sockaddr(g, a);
        g->sa = s;
        ev_end(g, SRC_WINSOCK);
        wait_ticks(g, 30 + rnd(g, 300));
    }
    if (status == ST_SUCCESS) {
        rec(g, s)->local = *a;
        rec(g, s)->state = GEN_ST_BOUND;
    } else {
        g->ext[s].failed = 1;
    }
}

/* Bind without an address in the event (1029): the socket is bound, its address is not in the trace. */
static void op_bind_noaddr(gen *g, size_t s)
{
    int proc = g->ext[s].proc;
    uint32_t ee;
    for (ee = 0; ee < 2; ee++) {
        ev_begin(g, 1029, ee ? ctx_async(g, proc) : ctx_app(g, proc));
        put_prefix(g, ee, ee ? 7022 : 7010, proc);
        put_ep(g, s);
        put(g, ST_SUCCESS);
        g->sa = s;
        ev_end(g, SRC_WINSOCK);
    }
    rec(g, s)->state = GEN_ST_BOUND;
}

/* connect (1018/1017) or ConnectEx (1021/1020): the request carries the address, the completion the status. */
static void op_connect(gen *g, size_t s, const afd_addr *remote, int ex, uint32_t status, uint64_t delay)
{
    int proc = g->ext[s].proc;
    ev_begin(g, ex ? 1021 : 1018, ctx_app(g, proc));
    put_prefix(g, 0, 5008, proc);
    put_ep(g, s);
    put_ptr(g, ex ? user_buffer(g) : 0);
    put(g, 0);
    put(g, ST_SUCCESS);
    put_sockaddr(g, remote);
    g->sa = s;
    ev_end(g, SRC_WINSOCK);
    rec(g, s)->remote = *remote;
    rec(g, s)->state = GEN_ST_CONNECTING;
    wait_ticks(g, delay);
    ev_begin(g, ex ? 1020 : 1017, ctx_async(g, proc));
    put_prefix(g, 1, status == ST_SUCCESS ? 5023 : 5031, proc);
    put_ep(g, s);
    put(g, status);
    g->sa = s;
    ev_end(g, SRC_WINSOCK);
    if (status == ST_SUCCESS) {
        rec(g, s)->state = GEN_ST_CONNECTED;
    } else {
        rec(g, s)->state = GEN_ST_FAILED;
        g->ext[s].failed = 1;
    }
}

/* An I/O request + completion of the m_io layout (1003, 1004, 1005, 1006, 1011, 1012). */
static void io_pair(gen *g, size_t s, uint16_t id, uint32_t loc_req, uint32_t loc_done, uint32_t len,
                    uint32_t status)
{
    int proc = g->ext[s].proc;
    uint64_t buf = user_buffer(g);
    uint32_t ee;
    for (ee = 0; ee < 2; ee++) {
        ev_begin(g, id, ee ? ctx_async(g, proc) : ctx_app(g, proc));
        put_prefix(g, ee, ee ? loc_done : loc_req, proc);
        put_ep(g, s);
        put(g, 1);
        put_ptr(g, buf);
        put(g, ee && status != ST_SUCCESS ? 0 : len);
        put(g, ee ? status : ST_SUCCESS);
        g->sa = s;
        ev_end(g, SRC_WINSOCK);
        if (ee == 0)
            wait_ticks(g, 5 + rnd(g, 400));
    }
}

static void op_send(gen *g, size_t s, uint32_t len)
{
    io_pair(g, s, 1003, 3003, 3024, len, ST_SUCCESS);
    if (rnd(g, 8) == 0) {
        /* AfdTLBufferedSendCompleteBatch repeats a completion already logged: not counted again */
        int proc = g->ext[s].proc;
        ev_begin(g, 1003, ctx_async(g, proc));
        put_prefix(g, 1, 3073, proc);
        put_ep(g, s);
        put(g, 1);
        put_ptr(g, user_buffer(g));
        put(g, len);
        put(g, ST_SUCCESS);
        g->sa = s;
        ev_end(g, SRC_WINSOCK);
    }
}

static void op_data_indication(gen *g, size_t s, uint32_t len)
{
    ev_begin(g, 3003, ctx_async(g, g->ext[s].proc));
    put_prefix(g, 3, 4052, g->ext[s].proc);
    put_ep(g, s);
    put_ptr(g, 0);
    put(g, len);
    g->sa = s;
    ev_end(g, SRC_TRANSPORT);
}

/* Receive: the request is posted, data arrives (indication), the request completes. */
static void op_recv(gen *g, size_t s, uint32_t len)
{
    int proc = g->ext[s].proc;
    uint64_t buf = user_buffer(g);
    ev_begin(g, 1004, ctx_app(g, proc));
    put_prefix(g, 0, 4106, proc);
    put_ep(g, s);
    put(g, 1);
    put_ptr(g, buf);
    put(g, 65536);
    put(g, ST_SUCCESS);
    g->sa = s;
    ev_end(g, SRC_WINSOCK);
    wait_ticks(g, 100 + rnd(g, 20000));
    op_data_indication(g, s, len);
    ev_begin(g, 1004, ctx_async(g, proc));
    put_prefix(g, 1, 4201, proc);
    put_ep(g, s);
    put(g, 1);
    put_ptr(g, buf);
    put(g, len);
    put(g, ST_SUCCESS);
    g->sa = s;
    ev_end(g, SRC_WINSOCK);
}

static void note_peer(gen *g, size_t s, const afd_addr *peer)
{
    if (!rec(g, s)->remote.family)
        rec(g, s)->remote = *peer;
}

/* sendto (1007) / WSASendMsg with an address (1013): the request counts; the completion is optional. */
static void op_sendto(gen *g, size_t s, uint16_t id, const afd_addr *to, uint32_t len, int completion)
{
    int proc = g->ext[s].proc;
    uint64_t buf = user_buffer(g);
    uint32_t ee;
    for (ee = 0; ee < (completion ? 2u : 1u); ee++) {
        ev_begin(g, id, ee ? ctx_async(g, proc) : ctx_app(g, proc));
        put_prefix(g, ee, id == 1007 ? (ee ? 3110 : 3104) : (ee ? 3210 : 3203), proc);
        put_ep(g, s);
        put(g, 1);
        put_ptr(g, buf);
        put(g, len);
        put(g, ST_SUCCESS);
        put_sockaddr(g, to);
        g->sa = s;
        ev_end(g, SRC_WINSOCK);
    }
    note_peer(g, s, to);
}

/* recvfrom (1009) / WSARecvMsg with an address (1015): posted without an address, data indicated with the
 * source (3004), completed with it. */
static void op_recvfrom(gen *g, size_t s, uint16_t id, const afd_addr *from, uint32_t len)
{
    int proc = g->ext[s].proc;
    uint64_t buf = user_buffer(g);
    uint32_t ee;
    for (ee = 0; ee < 2; ee++) {
        if (ee) {
            ev_begin(g, 3004, ctx_async(g, proc));
            put_prefix(g, 3, 4052, proc);
            put_ep(g, s);
            put_ptr(g, 0);
            put(g, len);
            put_sockaddr(g, from);
            g->sa = s;
            ev_end(g, SRC_TRANSPORT);
        }
        ev_begin(g, id, ee ? ctx_async(g, proc) : ctx_app(g, proc));
        put_prefix(g, ee, id == 1009 ? (ee ? 4160 : 4150) : (ee ? 4180 : 4170), proc);
        put_ep(g, s);
        put(g, 1);
        put_ptr(g, buf);
        put(g, ee ? len : 65527);
        put(g, ST_SUCCESS);
        put_sockaddr(g, ee ? from : NULL);
        g->sa = s;
        ev_end(g, SRC_WINSOCK);
        wait_ticks(g, 50 + rnd(g, 5000));
    }
    note_peer(g, s, from);
}

static void op_drop(gen *g, size_t s, const afd_addr *from, uint32_t len, uint32_t reason)
{
    int proc = g->ext[s].proc;
    ev_begin(g, 1033, ctx_async(g, proc));
    put_prefix(g, 3, 4300, proc);
    put_ep(g, s);
    put_ptr(g, 0);
    put(g, len);
    put_sockaddr(g, from);
    put(g, reason);
    g->sa = s;
    ev_end(g, SRC_WINSOCK);
}

static void op_option(gen *g, size_t s, uint32_t option, uint32_t value)
{
    int proc = g->ext[s].proc;
    ev_begin(g, 1035, ctx_app(g, proc));
    put_prefix(g, 4, 9002, proc);
    put_ep(g, s);
    put(g, option);
    put(g, value);
    put(g, ST_SUCCESS);
    g->sa = s;
    ev_end(g, SRC_WINSOCK);
}

static void op_send_backlog(gen *g, size_t s, uint32_t backlog)
{
    ev_begin(g, 3007, ctx_async(g, g->ext[s].proc));
    put_prefix(g, 3, 3500, g->ext[s].proc);
    put_ep(g, s);
    put(g, backlog);
    g->sa = s;
    ev_end(g, SRC_TRANSPORT);
}

static void op_listen(gen *g, size_t s, uint32_t backlog)
{
    int proc = g->ext[s].proc;
    uint32_t ee;
    for (ee = 0; ee < 2; ee++) {
        ev_begin(g, 1037, ctx_app(g, proc));
        put_prefix(g, ee, 6101, proc);
        put_ep(g, s);
        put(g, backlog);
        put(g, ST_SUCCESS);
        g->sa = s;
        ev_end(g, SRC_WINSOCK);
    }
    rec(g, s)->state = GEN_ST_LISTENING;
}

static void op_wait_for_listen(gen *g, size_t s)
{
    int proc = g->ext[s].proc;
    uint32_t ee;
    for (ee = 0; ee < 2; ee++) {
        ev_begin(g, 1036, ee ? ctx_async(g, proc) : ctx_app(g, proc));
        put_prefix(g, ee, 6102, proc);
        put_ep(g, s);
        put(g, ST_SUCCESS);
        g->sa = s;
        ev_end(g, SRC_WINSOCK);
        wait_ms(g, 1, 30);
    }
}

static void op_connect_indication(gen *g, size_t l, const afd_addr *peer, uint32_t backlog)
{
    int proc = g->ext[l].proc;
    ev_begin(g, peer ? 3001 : 3000, ctx_async(g, proc));
    put_prefix(g, 3, 6503, proc);
    put_ep(g, l);
    put(g, ST_SUCCESS);
    if (peer) {
        put_sockaddr(g, peer);
        put(g, backlog);
    }
    g->sa = l;
    ev_end(g, SRC_TRANSPORT);
}

static void inherit(gen *g, size_t a, size_t l, const afd_addr *peer)
{
    gen_socket *k = rec(g, a);
    k->remote = *peer;
    k->local = rec(g, l)->local;
    k->listener = rec(g, l)->endpoint;
    k->has_listener = 1;
    k->state = GEN_ST_CONNECTED;
}

/* AcceptEx on a socket created beforehand: 1026 request on the listener, indication, 1027 completion naming
 * the listener (Endpoint) and the accepted socket (AcceptEndpoint). */
static void op_accept_ex(gen *g, size_t l, size_t a, const afd_addr *peer)
{
    int proc = g->ext[l].proc;
    uint64_t buf = user_buffer(g);
    ev_begin(g, 1026, ctx_app(g, proc));
    put_prefix(g, 0, 6222, proc);
    put_ep(g, l);
    put(g, ST_SUCCESS);
    g->sa = l;
    ev_end(g, SRC_WINSOCK);
    wait_ms(g, 1, 50);
    op_connect_indication(g, l, peer, 1);
    ev_begin(g, 1027, ctx_async(g, proc));
    put_prefix(g, 1, 6224, proc);
    put_ep(g, l);
    put_ptr(g, buf);
    put(g, 0);
    put(g, ST_SUCCESS);
    put_sockaddr(g, peer);
    put_ep(g, a);
    put(g, 0);
    g->sa = l;
    g->sb = a;
    ev_end(g, SRC_WINSOCK);
    inherit(g, a, l, peer);
}

/* accept(): AFD makes the accepted endpoint itself (no create event for it). */
static size_t op_accept(gen *g, size_t l, const afd_addr *peer)
{
    int proc = g->ext[l].proc;
    size_t a;
    ev_begin(g, 1023, ctx_app(g, proc));
    put_prefix(g, 0, 6222, proc);
    put_ep(g, l);
    put(g, ST_SUCCESS);
    g->sa = l;
    ev_end(g, SRC_WINSOCK);
    wait_ms(g, 1, 50);
    op_connect_indication(g, l, NULL, 0);
    a = sock_new(g, proc, rec(g, l)->family, rec(g, l)->type, rec(g, l)->protocol, 0);
    if (a == NO_SOCK)
        return a;
    ev_begin(g, 1024, ctx_app(g, proc));
    put_prefix(g, 1, 6224, proc);
    put_ep(g, l);
    put_ptr(g, 0);
    put(g, 0);
    put(g, ST_SUCCESS);
    put_sockaddr(g, peer);
    put_ep(g, a);
    put(g, 0);
    g->sa = l;
    g->sb = a;
    ev_end(g, SRC_WINSOCK);
    inherit(g, a, l, peer);
    return a;
}

static void op_accept_pause(gen *g, size_t l, uint32_t pause, int32_t backlog)
{
    int proc = g->ext[l].proc;
    ev_begin(g, 4019, ctx_async(g, proc));
    put_prefix(g, 4, 6300, proc);
    put_ep(g, l);
    put(g, pause);
    put(g, (uint64_t)(int64_t)backlog);
    g->sa = l;
    ev_end(g, SRC_NONE);
}

static void op_abort_afd(gen *g, size_t s, uint32_t reason, uint32_t loc)
{
    int proc = g->ext[s].proc;
    ev_begin(g, 1032, ctx_async(g, proc));
    put_prefix(g, 2, loc, proc);
    put_ep(g, s);
    put(g, reason);
    g->sa = s;
    ev_end(g, SRC_WINSOCK);
    rec(g, s)->state = GEN_ST_ABORTED;
    g->ext[s].aborted = 1;
}

/* The transport says the peer disconnected: gracefully (status 0) or abortively (a reset). */
static void op_disconnect(gen *g, size_t s, uint32_t status)
{
    int proc = g->ext[s].proc;
    ev_begin(g, 3006, ctx_async(g, proc));
    put_prefix(g, 3, 5602, proc);
    put_ep(g, s);
    put(g, status);
    g->sa = s;
    ev_end(g, SRC_TRANSPORT);
    if (status == ST_SUCCESS) {
        rec(g, s)->state = GEN_ST_CLOSING;
    } else {
        rec(g, s)->state = GEN_ST_ABORTED;
        g->ext[s].aborted = 1;
    }
}

static void finish(gen *g, size_t s)
{
    gen_socket *k = rec(g, s);
    k->closed = g->ev.time;
    k->state = GEN_ST_CLOSED;
    k->outcome = g->ext[s].aborted ? GEN_OUT_ABORTED : g->ext[s].failed ? GEN_OUT_FAILED : GEN_OUT_CLOSED;
    sock_free(g, s);
}

/* closesocket: IRP_MJ_CLEANUP (1002) then IRP_MJ_CLOSE (1001), each a request/completion pair. */
static void op_close(gen *g, size_t s)
{
    int proc = g->ext[s].proc;
    uint16_t id;
    uint32_t ee;
    for (id = 1002;; id = 1001) {
        for (ee = 0; ee < 2; ee++) {
            ev_begin(g, id, ctx_app(g, proc));
            put_prefix(g, ee, 2000 + ee, proc);
            put_ep(g, s);
            put(g, ST_SUCCESS);
            g->sa = s;
            ev_end(g, SRC_WINSOCK);
        }
        if (id == 1001)
            break;
        rec(g, s)->state = GEN_ST_CLOSING;
    }
    finish(g, s);
}

/* ---------------------------------------------------- legacy family (1-41) */

static void lg_head(gen *g, uint16_t id, gctx c, int proc, size_t s)
{
    ev_begin(g, id, c);
    put_ptr(g, g->procs[proc].eprocess);
    if (s != NO_SOCK)
        put_ep(g, s);
    g->sa = s;
}

static size_t lg_create(gen *g, int proc, uint32_t family, uint32_t type, uint32_t protocol)
{
    size_t s = sock_new(g, proc, family, type, protocol, 0);
    if (s == NO_SOCK)
        return s;
    lg_head(g, 1, ctx_app(g, proc), proc, s);
    put(g, family);
    put(g, type);
    put(g, protocol);
    put_ptr(g, g->procs[proc].pid);
    ev_end(g, SRC_NONE);
    return s;
}

/* The Process, Endpoint, Error layout: connect completed (6), failures (9-12, 17, 40), cleanup (14), select
 * completed (31). Error is an NTSTATUS, 0 when the operation succeeded. */
static void lg_status(gen *g, uint16_t id, size_t s, uint32_t error)
{
    int proc = g->ext[s].proc;
    lg_head(g, id, ctx_async(g, proc), proc, s);
    put(g, error);
    ev_end(g, SRC_NONE);
}

static void lg_bind(gen *g, size_t s, const afd_addr *a)
{
    int proc = g->ext[s].proc;
    lg_head(g, a->family == AFD_AF_INET6 ? 3 : 2, ctx_app(g, proc), proc, s);
    put_ipport(g, a);
    put(g, ST_SUCCESS);
    ev_end(g, SRC_NONE);
    rec(g, s)->local = *a;
    rec(g, s)->state = GEN_ST_BOUND;
}

static void lg_connect(gen *g, size_t s, const afd_addr *a, uint32_t error)
{
    int proc = g->ext[s].proc;
    lg_head(g, a->family == AFD_AF_INET6 ? 5 : 4, ctx_app(g, proc), proc, s);
    put_ipport(g, a);
    ev_end(g, SRC_NONE);
    rec(g, s)->remote = *a;
    rec(g, s)->state = GEN_ST_CONNECTING;
    wait_ms(g, 1, 40);
    lg_status(g, 6, s, error);
    rec(g, s)->state = error == ST_SUCCESS ? GEN_ST_CONNECTED : GEN_ST_FAILED;
    if (error != ST_SUCCESS)
        g->ext[s].failed = 1;
}

/* Posted buffer (18 send, 19 receive, 20 recvfrom, 21/22 sendto). */
static void lg_posted(gen *g, uint16_t id, size_t s, uint64_t buf, uint32_t len, const afd_addr *to)
{
    int proc = g->ext[s].proc;
    lg_head(g, to ? (to->family == AFD_AF_INET6 ? 22 : 21) : id, ctx_app(g, proc), proc, s);
    put(g, rnd(g, 2));
    put(g, 1);
    put_ptr(g, buf);
    put(g, len);
    if (to)
        put_ipport(g, to);
    ev_end(g, SRC_NONE);
}

/* Completed buffer (23 receive, 24 send, 25 WSASendMsg, 28 sendto). */
static void lg_done(gen *g, uint16_t id, size_t s, uint64_t buf, uint32_t len)
{
    int proc = g->ext[s].proc;
    lg_head(g, id, ctx_async(g, proc), proc, s);
    put_ptr(g, buf);
    put(g, len);
    ev_end(g, SRC_NONE);
}

static void lg_send(gen *g, size_t s, uint32_t len)
{
    uint64_t buf = user_buffer(g);
    lg_posted(g, 18, s, buf, len, NULL);
    wait_ticks(g, 10 + rnd(g, 500));
    lg_done(g, 24, s, buf, len);
}

static void lg_recv(gen *g, size_t s, uint32_t len)
{
    int proc = g->ext[s].proc;
    uint64_t buf = user_buffer(g);
    lg_posted(g, 19, s, buf, 65536, NULL);
    wait_ticks(g, 100 + rnd(g, 5000));
    lg_head(g, 37, ctx_async(g, proc), proc, s);
    put(g, len);
    ev_end(g, SRC_NONE);
    lg_done(g, 23, s, buf, len);
}

static void lg_sendto(gen *g, size_t s, const afd_addr *to, uint32_t len)
{
    uint64_t buf = user_buffer(g);
    lg_posted(g, 21, s, buf, len, to);
    lg_done(g, 28, s, buf, len);
    note_peer(g, s, to);
}

static void lg_recvfrom(gen *g, size_t s, const afd_addr *from, uint32_t len)
{
    int proc = g->ext[s].proc;
    int v6 = from->family == AFD_AF_INET6;
    uint64_t buf = user_buffer(g);
    lg_posted(g, 20, s, buf, 65527, NULL);
    wait_ticks(g, 100 + rnd(g, 5000));
    lg_head(g, v6 ? 39 : 38, ctx_async(g, proc), proc, s);
    put_ipport(g, from);
    put(g, len);
    ev_end(g, SRC_NONE);
    lg_head(g, v6 ? 27 : 26, ctx_async(g, proc), proc, s);
    put(g, 1);
    put_ptr(g, buf);
    put(g, len);
    put_ipport(g, from);
    ev_end(g, SRC_NONE);
    note_peer(g, s, from);
}

static void lg_close(gen *g, size_t s)
{
    int proc = g->ext[s].proc;
    lg_status(g, 14, s, ST_SUCCESS);
    lg_head(g, 13, ctx_app(g, proc), proc, s);
    put(g, ST_SUCCESS);
    ev_end(g, SRC_NONE);
    finish(g, s);
}

/* ---------------------------------------------------------------- scenarios */

static void sc_tcp_client_fam(gen *g, uint32_t family, int ex, const char *image)
{
    int p = proc_new(g, image);
    afd_addr local = local_addr(family, eph_port(g));
    afd_addr remote = family == AFD_AF_INET6 ? ip6(0xff, 0x10, 443) : ip4(203, 0, 113, 10, 443);
    size_t s = op_create(g, p, family, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    int i;
    if (s == NO_SOCK)
        return;
    op_bind(g, s, &local, ST_SUCCESS);
    op_connect(g, s, &remote, ex, ST_SUCCESS, (10 + rnd(g, 60)) * TICK_MS);
    for (i = 0; i < 3; i++) {
        op_send(g, s, 200 + rnd(g, 1800));
        wait_ms(g, 0, 3);
    }
    for (i = 0; i < 5; i++)
        op_recv(g, s, 1000 + rnd(g, 15000));
    op_disconnect(g, s, ST_SUCCESS);
    op_close(g, s);
}

static void sc_tcp_client_v4(gen *g)
{
    sc_tcp_client_fam(g, AFD_AF_INET, 1, "curl.exe");
}

static void sc_tcp_client_v6(gen *g)
{
    sc_tcp_client_fam(g, AFD_AF_INET6, 0, "msedge.exe");
}

static void sc_dual_stack(gen *g)
{
    int p = proc_new(g, "Teams.exe");
    afd_addr local = v4mapped(ip4(192, 168, 1, 23, eph_port(g)));
    afd_addr remote = v4mapped(ip4(198, 51, 100, 7, 80));
    size_t s = op_create(g, p, AFD_AF_INET6, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    if (s == NO_SOCK)
        return;
    op_option(g, s, 0xd, 0); /* AFD_IPV6_V6ONLY off: dual-stack */
    op_bind(g, s, &local, ST_SUCCESS);
    op_connect(g, s, &remote, 1, ST_SUCCESS, 25 * TICK_MS);
    op_send(g, s, 517);
    op_recv(g, s, 4096);
    op_recv(g, s, 1200);
    op_disconnect(g, s, ST_SUCCESS);
    op_close(g, s);
}

static void server_family(gen *g, int p, uint32_t family, uint16_t port)
{
    afd_addr bind_at = any_addr(family, port);
    afd_addr peer1 = family == AFD_AF_INET6 ? ip6(0x77, 0x51, eph_port(g)) : ip4(198, 51, 100, 21, eph_port(g));
    afd_addr peer2 = family == AFD_AF_INET6 ? ip6(0x77, 0x52, eph_port(g)) : ip4(198, 51, 100, 22, eph_port(g));
    size_t l = op_create(g, p, family, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    size_t a, b;
    if (l == NO_SOCK)
        return;
    op_bind(g, l, &bind_at, ST_SUCCESS);
    op_listen(g, l, 200);
    /* AcceptEx on a socket made beforehand */
    a = op_create(g, p, family, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    if (a == NO_SOCK)
        return;
    op_accept_ex(g, l, a, &peer1);
    op_recv(g, a, 380);
    op_send(g, a, 12000);
    op_send(g, a, 3000);
    /* accept(): the accepted endpoint appears in the completion */
    op_wait_for_listen(g, l);
    b = op_accept(g, l, &peer2);
    if (b == NO_SOCK)
        return;
    op_accept_pause(g, l, 1, 200);
    op_accept_pause(g, l, 0, 12);
    op_recv(g, b, 410);
    op_send(g, b, 900);
    op_disconnect(g, a, ST_SUCCESS);
    op_close(g, a);
    op_disconnect(g, b, ST_SUCCESS);
    op_close(g, b);
    op_close(g, l);
}

static void sc_tcp_server(gen *g)
{
    int p = proc_new(g, "nginx.exe");
    server_family(g, p, AFD_AF_INET, 8080);
    server_family(g, p, AFD_AF_INET6, 8443);
}

static void udp_family(gen *g, int p, uint32_t family)
{
    afd_addr local = local_addr(family, eph_port(g));
    afd_addr dns = family == AFD_AF_INET6 ? ip6(0x53, 0x53, 53) : ip4(192, 0, 2, 53, 53);
    afd_addr other = family == AFD_AF_INET6 ? ip6(0x99, 0x7, 5353) : ip4(192, 0, 2, 99, 5353);
    size_t s = op_create(g, p, family, GEN_SOCK_DGRAM, GEN_PROTO_UDP);
    size_t c;
    if (s == NO_SOCK)
        return;
    op_bind(g, s, &local, ST_SUCCESS);
    op_sendto(g, s, 1007, &dns, 38, 1);
    op_recvfrom(g, s, 1009, &dns, 120);
    op_sendto(g, s, 1013, &dns, 44, 0);
    op_recvfrom(g, s, 1015, &dns, 300);
    op_drop(g, s, &other, 1400, 2);
    op_close(g, s);
    /* a connected UDP socket: plain send/receive events (1005/1006, 1011/1012), bound implicitly */
    c = op_create(g, p, family, GEN_SOCK_DGRAM, GEN_PROTO_UDP);
    if (c == NO_SOCK)
        return;
    op_bind_noaddr(g, c);
    op_connect(g, c, &dns, 0, ST_SUCCESS, 2 * TICK_MS);
    io_pair(g, c, 1005, 3104, 3110, 60, ST_SUCCESS);
    io_pair(g, c, 1006, 4150, 4160, 180, ST_SUCCESS);
    io_pair(g, c, 1011, 3203, 3210, 70, ST_SUCCESS);
    io_pair(g, c, 1012, 4170, 4180, 90, ST_SUCCESS);
    op_close(g, c);
}

static void sc_udp(gen *g)
{
    int p = proc_new(g, "svchost.exe");
    udp_family(g, p, AFD_AF_INET);
    udp_family(g, p, AFD_AF_INET6);
}

static void failed_connect(gen *g, const char *image, uint32_t status, uint64_t delay)
{
    int p = proc_new(g, image);
    afd_addr local = local_addr(AFD_AF_INET, eph_port(g));
    afd_addr remote = ip4(203, 0, 113, 80, 8443);
    size_t s = op_create(g, p, AFD_AF_INET, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    if (s == NO_SOCK)
        return;
    op_bind(g, s, &local, ST_SUCCESS);
    op_connect(g, s, &remote, 1, status, delay);
    op_close(g, s);
}

static void sc_refused(gen *g)
{
    /* Windows retries SYNs for about two seconds before it reports a refusal */
    failed_connect(g, "git.exe", ST_REFUSED, 2000 * TICK_MS);
}

static void sc_timeout(gen *g)
{
    failed_connect(g, "ssh.exe", ST_TIMEOUT, 21000 * TICK_MS);
}

static size_t connected_client(gen *g, int p, uint32_t family, const afd_addr *remote)
{
    afd_addr local = local_addr(family, eph_port(g));
    size_t s = op_create(g, p, family, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    if (s == NO_SOCK)
        return s;
    op_bind(g, s, &local, ST_SUCCESS);
    op_connect(g, s, remote, 1, ST_SUCCESS, (5 + rnd(g, 40)) * TICK_MS);
    return s;
}

static void sc_abort_by_afd(gen *g)
{
    int p = proc_new(g, "OneDrive.exe");
    afd_addr remote = ip4(203, 0, 113, 44, 443);
    size_t s = connected_client(g, p, AFD_AF_INET, &remote);
    if (s == NO_SOCK)
        return;
    op_send(g, s, 16384);
    op_send(g, s, 16384);
    op_recv(g, s, 512);
    /* closed with data pending: AFD aborts the connection */
    op_abort_afd(g, s, 7, 8000);
    op_close(g, s);
}

static void sc_abort_by_transport(gen *g)
{
    int p = proc_new(g, "outlook.exe");
    afd_addr remote = ip6(0xaa, 0x25, 993);
    size_t s = connected_client(g, p, AFD_AF_INET6, &remote);
    uint64_t buf;
    if (s == NO_SOCK)
        return;
    op_send(g, s, 90);
    op_recv(g, s, 300);
    /* a receive is pending when the peer resets the connection */
    buf = user_buffer(g);
    ev_begin(g, 1004, ctx_app(g, p));
    put_prefix(g, 0, 4106, p);
    put_ep(g, s);
    put(g, 1);
    put_ptr(g, buf);
    put(g, 65536);
    put(g, ST_SUCCESS);
    g->sa = s;
    ev_end(g, SRC_WINSOCK);
    wait_ms(g, 100, 900);
    op_disconnect(g, s, ST_RESET);
    ev_begin(g, 1004, ctx_async(g, p));
    put_prefix(g, 1, 4201, p);
    put_ep(g, s);
    put(g, 1);
    put_ptr(g, buf);
    put(g, 0);
    put(g, ST_RESET);
    g->sa = s;
    ev_end(g, SRC_WINSOCK);
    op_close(g, s);
}

static void sc_endpoint_reuse(gen *g)
{
    int p = proc_new(g, "python.exe");
    afd_addr remote = ip4(203, 0, 113, 5, 80);
    size_t a = connected_client(g, p, AFD_AF_INET, &remote);
    size_t b;
    if (a == NO_SOCK)
        return;
    op_send(g, a, 700);
    op_recv(g, a, 2300);
    op_close(g, a);
    /* a late batch completion after the close still belongs to the first socket */
    ev_begin(g, 1003, ctx_async(g, p));
    put_prefix(g, 1, 3073, p);
    put_ep(g, a);
    put(g, 1);
    put_ptr(g, user_buffer(g));
    put(g, 700);
    put(g, ST_SUCCESS);
    g->sa = a;
    ev_end(g, SRC_WINSOCK);
    wait_ms(g, 1, 5);
    /* the next socket gets the same endpoint address */
    g->reuse = 1;
    b = connected_client(g, p, AFD_AF_INET, &remote);
    if (b == NO_SOCK)
        return;
    op_send(g, b, 710);
    op_recv(g, b, 1900);
    op_disconnect(g, b, ST_SUCCESS);
    op_close(g, b);
}

static void sc_multi_process(gen *g)
{
    static const char *const images[3] = {"chrome.exe", "svchost.exe", "Spotify.exe"};
    int p[3];
    size_t s[6];
    int i, round;
    for (i = 0; i < 3; i++)
        p[i] = proc_new(g, images[i]);
    for (i = 0; i < 6; i++) {
        afd_addr remote = i % 2 ? ip6((uint16_t)(0x40 + i), 0x10, 443) : ip4(203, 0, 113, (uint8_t)(100 + i), 443);
        s[i] = connected_client(g, p[i / 2], i % 2 ? AFD_AF_INET6 : AFD_AF_INET, &remote);
        if (s[i] == NO_SOCK)
            return;
    }
    for (round = 0; round < 6; round++) {
        for (i = 0; i < 6; i++) {
            size_t k = (size_t)((i * 5 + round) % 6);
            if (rnd(g, 2))
                op_send(g, s[k], 100 + rnd(g, 4000));
            else
                op_recv(g, s[k], 100 + rnd(g, 30000));
        }
    }
    for (i = 0; i < 6; i++) {
        if (i == 4) {
            op_abort_afd(g, s[i], 2, 8003);
        } else {
            op_disconnect(g, s[i], ST_SUCCESS);
        }
        op_close(g, s[i]);
    }
}

static void sc_pre_existing(gen *g)
{
    int p = proc_new(g, "sqlservr.exe");
    afd_addr remote = ip4(203, 0, 113, 60, 1433);
    size_t fresh = connected_client(g, p, AFD_AF_INET, &remote);
    size_t old1, old2;
    if (fresh == NO_SOCK)
        return;
    /* sockets opened before the trace started: their first events are I/O */
    old1 = sock_new(g, p, 0, GEN_SOCK_STREAM, 0, 1);
    old2 = sock_new(g, p, 0, GEN_SOCK_STREAM, 0, 1);
    if (old1 == NO_SOCK || old2 == NO_SOCK)
        return;
    op_send(g, old1, 4000);
    op_recv(g, old1, 800);
    op_send(g, fresh, 300);
    op_recv(g, old2, 6000);
    op_disconnect(g, old2, ST_SUCCESS);
    op_close(g, old1);
    op_recv(g, fresh, 200);
    op_close(g, fresh);
}

static void sc_options(gen *g)
{
    static const uint32_t opts[][2] = {{0x1, 0}, {0x2, 1}, {0x6, 262144}, {0x7, 131072}, {0x9, 1}, {0xd, 1}};
    int p = proc_new(g, "iperf3.exe");
    afd_addr remote = ip4(203, 0, 113, 9, 5201);
    afd_addr local = local_addr(AFD_AF_INET, eph_port(g));
    size_t s = op_create(g, p, AFD_AF_INET, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    size_t u;
    size_t i;
    if (s == NO_SOCK)
        return;
    for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
        op_option(g, s, opts[i][0], opts[i][1]);
    op_bind(g, s, &local, ST_SUCCESS);
    op_connect(g, s, &remote, 1, ST_SUCCESS, 3 * TICK_MS);
    op_send(g, s, 131072);
    op_send_backlog(g, s, 262144);
    op_send(g, s, 131072);
    op_disconnect(g, s, ST_SUCCESS);
    op_close(g, s);
    u = op_create(g, p, AFD_AF_INET, GEN_SOCK_DGRAM, GEN_PROTO_UDP);
    if (u == NO_SOCK)
        return;
    op_option(g, u, 0xb, 0); /* SIO_UDP_CONNRESET off */
    op_option(g, u, 0xf, 0); /* SIO_UDP_NETRESET off */
    op_close(g, u);
}

static uint64_t kptr(gen *g, uint64_t base64, uint32_t base32)
{
    return g->ptr == 8 ? base64 + (uint64_t)rnd(g, 4096) * 0x100 : base32 + (uint64_t)rnd(g, 4096) * 0x40;
}

static void rio_simple(gen *g, uint16_t id, int proc, uint64_t a, uint32_t n, const uint32_t *u)
{
    uint32_t i;
    ev_begin(g, id, ctx_app(g, proc));
    put_ptr(g, a);
    for (i = 0; i < n; i++)
        put(g, u[i]);
    ev_end(g, SRC_RIO);
}

static void sc_rio(gen *g)
{
    int p = proc_new(g, "rioserver.exe");
    afd_addr remote = ip4(203, 0, 113, 77, 9000);
    uint64_t nrt = kptr(g, 0xffffc30a22000000ull, 0x86200000u);
    uint64_t dom = kptr(g, 0xffffc30a2a000000ull, 0x86a00000u);
    uint64_t cq = kptr(g, 0xffffc30a2b000000ull, 0x86b00000u);
    uint64_t st = kptr(g, 0xffffc30a2c000000ull, 0x86c00000u);
    uint64_t buf = kptr(g, 0xffffc30a2d000000ull, 0x86d00000u);
    uint64_t ua = user_buffer(g), sa = kptr(g, 0xffff9a0012000000ull, 0x9a100000u);
    size_t s;
    uint32_t ee;
    /* name resolution handle around the connect */
    ev_begin(g, 4016, ctx_app(g, p));
    put_ptr(g, nrt);
    put_ptr(g, g->procs[p].eprocess);
    put(g, ST_SUCCESS);
    ev_end(g, SRC_NRT);
    ev_begin(g, 4017, ctx_app(g, p));
    put_ptr(g, nrt);
    put_ptr(g, g->procs[p].eprocess);
    ev_end(g, SRC_NRT);
    s = connected_client(g, p, AFD_AF_INET, &remote);
    if (s == NO_SOCK)
        return;
    ev_begin(g, 4000, ctx_app(g, p));
    put_ptr(g, dom);
    put(g, ST_SUCCESS);
    ev_end(g, SRC_RIO);
    ev_begin(g, 4010, ctx_app(g, p));
    put_ptr(g, buf);
    put_ptr(g, dom);
    put_ptr(g, ua);
    put_ptr(g, sa);
    put(g, 1 << 20);
    put(g, 1);
    put(g, ST_SUCCESS);
    ev_end(g, SRC_RIO);
    ev_begin(g, 4002, ctx_app(g, p));
    put_ptr(g, cq);
    put_ptr(g, dom);
    put(g, 1024);
    put_ptr(g, ua + 0x100000);
    put_ptr(g, sa + 0x100000);
    put(g, 16384);
    put(g, 0);
    put(g, 2); /* IOCP */
    put_ptr(g, g->ptr == 8 ? 0x3a4 : 0x1c8);
    put_ptr(g, kptr(g, 0xffffc30a2e000000ull, 0x86e00000u));
    put_ptr(g, 0x1234);
    put_ptr(g, 0);
    put(g, ST_SUCCESS);
    ev_end(g, SRC_RIO);
    ev_begin(g, 4006, ctx_app(g, p));
    put_ep(g, s);
    put_ptr(g, st);
    put_ptr(g, dom);
    put(g, 256);
    put_ptr(g, ua + 0x200000);
    put_ptr(g, sa + 0x200000);
    put(g, 8192);
    put(g, 256);
    put_ptr(g, ua + 0x300000);
    put_ptr(g, sa + 0x300000);
    put(g, 8192);
    put(g, 0);
    put(g, 0);
    put(g, ST_SUCCESS);
    g->sa = s;
    ev_end(g, SRC_RIO);
    for (ee = 0; ee < 2; ee++) {
        ev_begin(g, 4018, ee ? ctx_async(g, p) : ctx_app(g, p));
        put_prefix(g, ee, 10010 + ee, p);
        put_ptr(g, dom);
        put_ptr(g, cq);
        put(g, ST_SUCCESS);
        ev_end(g, SRC_RIO);
    }
    ev_begin(g, 4005, ctx_app(g, p));
    put_ptr(g, cq);
    put(g, 1024);
    put(g, 0);
    put(g, 17);
    put(g, 17);
    put(g, 2048);
    put_ptr(g, ua + 0x400000);
    put_ptr(g, sa + 0x400000);
    put(g, 32768);
    put(g, ST_SUCCESS);
    ev_end(g, SRC_RIO);
    ev_begin(g, 4009, ctx_app(g, p));
    put_ptr(g, st);
    put(g, 256);
    put(g, 3);
    put(g, 3);
    put(g, 512);
    put_ptr(g, ua + 0x500000);
    put_ptr(g, sa + 0x500000);
    put(g, 16384);
    put(g, 256);
    put(g, 9);
    put(g, 9);
    put(g, 512);
    put_ptr(g, ua + 0x600000);
    put_ptr(g, sa + 0x600000);
    put(g, 16384);
    put(g, ST_SUCCESS);
    ev_end(g, SRC_RIO);
    {
        /* warnings: a bad buffer id, a range outside the buffer, a too small buffer, a sharing mismatch */
        ev_begin(g, 4013, ctx_app(g, p));
        put_ptr(g, dom);
        put_ptr(g, st);
        put(g, 7);
        ev_end(g, SRC_RIO);
        ev_begin(g, 4014, ctx_app(g, p));
        put_ptr(g, dom);
        put_ptr(g, st);
        put_ptr(g, buf);
        put(g, 1048000);
        put(g, 4096);
        ev_end(g, SRC_RIO);
        ev_begin(g, 4015, ctx_app(g, p));
        put_ptr(g, st);
        put(g, 1);
        put(g, 16);
        put(g, 28);
        ev_end(g, SRC_RIO);
        ev_begin(g, 4020, ctx_app(g, p));
        put_ptr(g, dom);
        put_ptr(g, st);
        put(g, 1);
        put(g, 2);
        ev_end(g, SRC_RIO);
    }
    {
        static const uint32_t q[4] = {3, 9, 17, 17};
        static const uint32_t one[1] = {0};
        rio_simple(g, 4007, p, st, 4, q);
        rio_simple(g, 4008, p, st, 0, NULL);
        rio_simple(g, 4011, p, buf, 1, one);
        rio_simple(g, 4012, p, buf, 0, NULL);
        rio_simple(g, 4003, p, cq, 1, q + 2);
        rio_simple(g, 4004, p, cq, 0, NULL);
        rio_simple(g, 4001, p, dom, 0, NULL);
    }
    op_disconnect(g, s, ST_SUCCESS);
    op_close(g, s);
}

static void legacy_tcp(gen *g, int p, uint32_t family)
{
    afd_addr local = local_addr(family, eph_port(g));
    afd_addr remote = family == AFD_AF_INET6 ? ip6(0xff, 0x80, 80) : ip4(203, 0, 113, 81, 80);
    size_t s = lg_create(g, p, family, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    if (s == NO_SOCK)
        return;
    lg_head(g, 29, ctx_app(g, p), p, s);
    put(g, 0x7);
    put(g, 65536);
    ev_end(g, SRC_NONE);
    lg_head(g, 32, ctx_app(g, p), p, s);
    put(g, 0x21); /* FD_READ | FD_CLOSE */
    ev_end(g, SRC_NONE);
    lg_bind(g, s, &local);
    lg_connect(g, s, &remote, ST_SUCCESS);
    lg_send(g, s, 420);
    lg_head(g, 30, ctx_app(g, p), p, NO_SOCK);
    put(g, 1);
    put(g, 5000);
    ev_end(g, SRC_NONE);
    lg_status(g, 31, s, ST_SUCCESS);
    lg_recv(g, s, 5400);
    lg_head(g, 41, ctx_async(g, p), p, s);
    ev_end(g, SRC_NONE);
    rec(g, s)->state = GEN_ST_CLOSING;
    lg_close(g, s);
}

static void legacy_server(gen *g, int p, uint32_t family)
{
    afd_addr bind_at = any_addr(family, 21);
    afd_addr peer = family == AFD_AF_INET6 ? ip6(0x77, 0x90, eph_port(g)) : ip4(198, 51, 100, 90, eph_port(g));
    size_t l = lg_create(g, p, family, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    size_t a;
    if (l == NO_SOCK)
        return;
    lg_bind(g, l, &bind_at);
    rec(g, l)->state = GEN_ST_LISTENING;
    lg_head(g, family == AFD_AF_INET6 ? 36 : 35, ctx_async(g, p), p, l);
    put_ipport(g, &peer);
    ev_end(g, SRC_NONE);
    /* the accepted socket is logged as a create, then the accept names it with the peer */
    a = lg_create(g, p, family, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    if (a == NO_SOCK)
        return;
    lg_head(g, family == AFD_AF_INET6 ? 16 : 15, ctx_app(g, p), p, a);
    put_ipport(g, &peer);
    put(g, ST_SUCCESS);
    ev_end(g, SRC_NONE);
    /* the listener is known to a reader only through the peer it indicated (35/36) */
    inherit(g, a, l, &peer);
    lg_recv(g, a, 64);
    lg_send(g, a, 1500);
    {
        /* WSASendMsg: completed, then a failure */
        uint64_t buf = user_buffer(g);
        lg_done(g, 25, a, buf, 96);
        lg_status(g, 10, a, ST_RESET);
    }
    lg_status(g, 9, a, ST_RESET);
    lg_status(g, 11, a, ST_RESET);
    lg_head(g, 8, ctx_async(g, p), p, a);
    put(g, 4); /* transport indicated abortive disconnect */
    ev_end(g, SRC_NONE);
    rec(g, a)->state = GEN_ST_ABORTED;
    g->ext[a].aborted = 1;
    lg_close(g, a);
    lg_status(g, 17, l, ST_CANCELLED);
    lg_close(g, l);
}

static void legacy_udp(gen *g, int p, uint32_t family)
{
    afd_addr local = local_addr(family, eph_port(g));
    afd_addr peer = family == AFD_AF_INET6 ? ip6(0x53, 0x53, 53) : ip4(192, 0, 2, 53, 53);
    size_t s = lg_create(g, p, family, GEN_SOCK_DGRAM, GEN_PROTO_UDP);
    if (s == NO_SOCK)
        return;
    lg_bind(g, s, &local);
    lg_sendto(g, s, &peer, 40);
    lg_recvfrom(g, s, &peer, 180);
    lg_head(g, family == AFD_AF_INET6 ? 34 : 33, ctx_async(g, p), p, s);
    put(g, 1200);
    put_ipport(g, &peer);
    put(g, 2);
    ev_end(g, SRC_NONE);
    lg_status(g, 12, s, ST_CANCELLED);
    lg_close(g, s);
}

static void sc_legacy(gen *g)
{
    int p = proc_new(g, "legacyapp.exe");
    size_t s, t;
    legacy_tcp(g, p, AFD_AF_INET);
    legacy_tcp(g, p, AFD_AF_INET6);
    legacy_server(g, p, AFD_AF_INET);
    legacy_server(g, p, AFD_AF_INET6);
    legacy_udp(g, p, AFD_AF_INET);
    legacy_udp(g, p, AFD_AF_INET6);
    /* a bind that fails, and a Winsock-initiated abort */
    s = lg_create(g, p, AFD_AF_INET, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    if (s == NO_SOCK)
        return;
    lg_status(g, 40, s, ST_ADDR_EXISTS);
    g->ext[s].failed = 1;
    lg_close(g, s);
    t = lg_create(g, p, AFD_AF_INET, GEN_SOCK_STREAM, GEN_PROTO_TCP);
    if (t == NO_SOCK)
        return;
    {
        afd_addr remote = ip4(203, 0, 113, 82, 80);
        lg_connect(g, t, &remote, ST_SUCCESS);
    }
    lg_send(g, t, 100);
    lg_head(g, 7, ctx_async(g, p), p, t);
    put(g, 7);
    ev_end(g, SRC_NONE);
    rec(g, t)->state = GEN_ST_ABORTED;
    g->ext[t].aborted = 1;
    lg_close(g, t);
}

static void catalogue(gen *g)
{
    sc_tcp_client_v4(g);
    sc_tcp_client_v6(g);
    sc_tcp_server(g);
    sc_udp(g);
    sc_abort_by_afd(g);
    sc_abort_by_transport(g);
    sc_options(g);
    sc_rio(g);
    sc_legacy(g);
}

static void sc_every_event(gen *g)
{
    unsigned keep = g->ptr;
    g->ptr = 8;
    catalogue(g);
    g->ptr = 4;
    catalogue(g);
    g->ptr = keep;
}

typedef struct gscenario {
    const char *name;
    const char *help;
    void (*run)(gen *g);
} gscenario;

static const gscenario scenarios[] = {
    {"tcp-client-v4", "create, bind, ConnectEx, sends and receives, graceful close (IPv4)", sc_tcp_client_v4},
    {"tcp-client-v6", "the same over IPv6 with connect()", sc_tcp_client_v6},
    {"dual-stack", "an IPv6 socket talking to an IPv4-mapped peer", sc_dual_stack},
    {"tcp-server", "listen, AcceptEx and accept (IPv4 and IPv6), data, close", sc_tcp_server},
    {"udp", "sendto/recvfrom with addresses, connected UDP, a datagram drop (IPv4 and IPv6)", sc_udp},
    {"refused", "connect fails with STATUS_CONNECTION_REFUSED", sc_refused},
    {"timeout", "connect fails with STATUS_IO_TIMEOUT", sc_timeout},
    {"abort-by-afd", "AFD aborts a connection (1032, reason 7)", sc_abort_by_afd},
    {"abort-by-transport", "the peer resets the connection (3006 with STATUS_CONNECTION_RESET)",
     sc_abort_by_transport},
    {"endpoint-reuse", "a closed socket's endpoint address is reused by the next socket", sc_endpoint_reuse},
    {"multi-process", "three processes with interleaved sockets", sc_multi_process},
    {"pre-existing", "sockets that were open before the trace started", sc_pre_existing},
    {"options", "socket options (1035) and a send backlog (3007)", sc_options},
    {"rio", "registered I/O and name-resolution handles (4000-4020)", sc_rio},
    {"legacy", "the Vista-style events 1-41 (IPv4 and IPv6)", sc_legacy},
    {"every-event", "every event ID of both families, 8- and 4-byte pointers", sc_every_event},
};
#define NSCENARIOS (sizeof scenarios / sizeof scenarios[0])

const char *gen_scenario_name(size_t i)
{
    return i < NSCENARIOS ? scenarios[i].name : NULL;
}

const char *gen_scenario_help(size_t i)
{
    return i < NSCENARIOS ? scenarios[i].help : NULL;
}

int gen_scenario_known(const char *name)
{
    size_t i;
    if (!name)
        return 0;
    if (strcmp(name, "all") == 0)
        return 1;
    for (i = 0; i < NSCENARIOS; i++)
        if (strcmp(name, scenarios[i].name) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------------- bulk */

#define BULK_MAX_LIVE 1024

static const char *const bulk_images[] = {
    "chrome.exe", "msedge.exe", "svchost.exe", "Teams.exe", "OneDrive.exe", "outlook.exe", "Spotify.exe",
    "firefox.exe", "code.exe", "node.exe", "python.exe", "java.exe", "sqlservr.exe", "nginx.exe", "curl.exe",
    "git.exe", "ssh.exe", "steam.exe", "Discord.exe", "slack.exe", "zoom.exe", "dropbox.exe", "MsMpEng.exe",
    "lsass.exe"};

/* A realistic transfer size: mostly small requests, some full buffers. */
static uint32_t bulk_len(gen *g)
{
    uint32_t r = rnd(g, 100);
    if (r < 50)
        return 40 + rnd(g, 1400);
    if (r < 85)
        return 1460 + rnd(g, 16000);
    return 65536;
}

static void bulk(gen *g)
{
    size_t live[BULK_MAX_LIVE];
    size_t nlive = 0;
    int procs[sizeof bulk_images / sizeof bulk_images[0]];
    size_t nimg = sizeof bulk_images / sizeof bulk_images[0];
    size_t i;
    uint64_t n = g->o.events;
    for (i = 0; i < nimg && running(g); i++)
        procs[i] = proc_new(g, bulk_images[i]);
    while (running(g) && g->r.events < n) {
        uint64_t left = n - g->r.events;
        uint32_t r = rnd(g, 1000);
        if (left < 8) {
            /* single events to land exactly on n */
            if (nlive) {
                size_t s = live[rnd(g, (uint32_t)nlive)];
                if (rec(g, s)->type == GEN_SOCK_STREAM)
                    op_data_indication(g, s, bulk_len(g));
                else
                    op_send_backlog(g, s, 65536);
            } else {
                int p = procs[rnd(g, (uint32_t)nimg)];
                ev_begin(g, 4017, ctx_app(g, p));
                put_ptr(g, kptr(g, 0xffffc30a22000000ull, 0x86200000u));
                put_ptr(g, g->procs[p].eprocess);
                ev_end(g, SRC_NRT);
            }
            continue;
        }
        if (nlive < 8 || (r < 12 && nlive < BULK_MAX_LIVE)) {
            int p = procs[rnd(g, (uint32_t)nimg)];
            uint32_t family = rnd(g, 4) ? AFD_AF_INET : AFD_AF_INET6;
            size_t s;
            if (rnd(g, 8) == 0) {
                afd_addr local = local_addr(family, eph_port(g));
                s = op_create(g, p, family, GEN_SOCK_DGRAM, GEN_PROTO_UDP);
                if (s != NO_SOCK)
                    op_bind(g, s, &local, ST_SUCCESS);
            } else {
                afd_addr remote = family == AFD_AF_INET6 ? ip6((uint16_t)rnd(g, 4096), (uint16_t)(1 + rnd(g, 250)), 443)
                                                         : ip4(203, 0, 113, (uint8_t)(1 + rnd(g, 250)), 443);
                uint32_t st = rnd(g, 50) == 0 ? ST_REFUSED : ST_SUCCESS;
                afd_addr local = local_addr(family, eph_port(g));
                s = op_create(g, p, family, GEN_SOCK_STREAM, GEN_PROTO_TCP);
                if (s != NO_SOCK) {
                    op_bind(g, s, &local, ST_SUCCESS);
                    op_connect(g, s, &remote, 1, st, (1 + rnd(g, 80)) * TICK_MS);
                    if (st != ST_SUCCESS) {
                        op_close(g, s);
                        s = NO_SOCK;
                    }
                }
            }
            if (s != NO_SOCK)
                live[nlive++] = s;
        } else if (r < 24) {
            size_t k = rnd(g, (uint32_t)nlive);
            size_t s = live[k];
            uint32_t how = rnd(g, 100);
            live[k] = live[--nlive];
            if (rec(g, s)->type == GEN_SOCK_STREAM) {
                if (how < 3)
                    op_disconnect(g, s, ST_RESET);
                else if (how < 5)
                    op_abort_afd(g, s, 7, 8000);
                else
                    op_disconnect(g, s, ST_SUCCESS);
            }
            op_close(g, s);
        } else {
            size_t s = live[rnd(g, (uint32_t)nlive)];
            if (rec(g, s)->type == GEN_SOCK_DGRAM) {
                afd_addr peer = ip4(192, 0, 2, (uint8_t)(1 + rnd(g, 4)), 53);
                if (rec(g, s)->family == AFD_AF_INET6)
                    peer = ip6(0x53, (uint16_t)(1 + rnd(g, 4)), 53);
                if (r & 1)
                    op_sendto(g, s, 1007, &peer, 30 + rnd(g, 500), 0);
                else
                    op_recvfrom(g, s, 1009, &peer, 60 + rnd(g, 1200));
            } else if (r & 1) {
                op_send(g, s, bulk_len(g));
            } else {
                op_recv(g, s, bulk_len(g));
            }
        }
        wait_ticks(g, rnd(g, 200));
    }
}

/* ------------------------------------------------------------------ running */

void gen_options_default(gen_options *o)
{
    memset(o, 0, sizeof *o);
    o->scenario = "all";
    o->seed = 1;
    o->ptr_size = 8;
    o->cpus = 4;
    o->start_time = 134129412000000000ull; /* 2026-01-15 09:00:00 UTC */
}

static void gen_release(gen *g)
{
    size_t i;
    for (i = 0; i < 2; i++) {
        free(g->pool[i].free_slots);
        free(g->pool[i].lifetimes);
    }
    free(g->ext);
    free(g->procs);
    free(g->meta);
}

int gen_run(const gen_options *o, const gen_sink *sink, gen_result *result, char *err, size_t err_len)
{
    gen *g = NULL;
    int rc = -1;
    size_t i;
    if (err && err_len)
        err[0] = '\0';
    if (!o || !sink || !sink->event || !result) {
        if (err && err_len)
            snprintf(err, err_len, "gen_run: missing options, sink or result");
        return -1;
    }
    if ((o->ptr_size != 4 && o->ptr_size != 8) || o->cpus < 1 || o->cpus > 64 ||
        (o->scenario ? !gen_scenario_known(o->scenario) : !o->events)) {
        if (err && err_len)
            snprintf(err, err_len, "bad options: pointer size %u (4 or 8), cpus %u (1-64), scenario '%s'",
                     o->ptr_size, o->cpus, o->scenario ? o->scenario : "(none)");
        return -1;
    }
    g = (gen *)calloc(1, sizeof *g);
    if (!g)
        goto cleanup;
    g->o = *o;
    g->sink = sink;
    g->err = err;
    g->err_len = err_len;
    g->rng = o->seed ^ 0x6a09e667f3bcc908ull;
    g->now = o->start_time;
    g->ptr = o->ptr_size;
    g->next_pid = 1000;
    g->meta = (gmeta *)calloc(GEN_ID_LIMIT, sizeof *g->meta);
    g->r.id_counts = (uint64_t *)calloc(2 * GEN_ID_LIMIT, sizeof *g->r.id_counts);
    if (!g->meta || !g->r.id_counts) {
        fail(g, "out of memory");
        goto cleanup;
    }
    proc_new(g, "System"); /* when this fails nothing below runs: every loop checks running() */
    for (i = 0; o->scenario && i < NSCENARIOS && running(g); i++) {
        if (strcmp(o->scenario, "all") == 0 || strcmp(o->scenario, scenarios[i].name) == 0) {
            scenarios[i].run(g);
            wait_ms(g, 50, 500);
        }
    }
    if (o->events && running(g))
        bulk(g);
    if (g->stop) {
        rc = g->stop;
        goto cleanup;
    }
    if (g->fail)
        goto cleanup;
    *result = g->r;
    memset(&g->r, 0, sizeof g->r);
    rc = 0;
cleanup:
    if (g) {
        gen_result_free(&g->r);
        gen_release(g);
        free(g);
    } else if (err && err_len) {
        snprintf(err, err_len, "out of memory");
    }
    return rc;
}

void gen_result_free(gen_result *r)
{
    if (!r)
        return;
    free(r->sockets);
    free(r->id_counts);
    memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------------- output */

const char *gen_state_name(gen_state s)
{
    static const char *const names[] = {"unknown", "created", "bound", "connecting", "connected", "listening",
                                        "closing", "closed", "aborted", "failed"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

const char *gen_outcome_name(gen_outcome o)
{
    static const char *const names[] = {"open", "closed", "aborted", "failed"};
    return (unsigned)o < sizeof names / sizeof names[0] ? names[o] : "open";
}

/* Appends to buf like snprintf at an offset; keeps counting past cap. */
typedef struct gbuf {
    char *p;
    size_t cap, len;
} gbuf;

static void bput(gbuf *b, const char *text)
{
    size_t n = strlen(text);
    if (b->len < b->cap) {
        size_t room = b->cap - b->len - 1;
        memcpy(b->p + b->len, text, n < room ? n : room);
        b->p[b->len + (n < room ? n : room)] = '\0';
    }
    b->len += n;
}

static void bnum(gbuf *b, const char *key, uint64_t v)
{
    char t[64];
    snprintf(t, sizeof t, ",\"%s\":%llu", key, (unsigned long long)v);
    bput(b, t);
}

static void bstr(gbuf *b, const char *key, const char *v)
{
    char t[160];
    if (v)
        snprintf(t, sizeof t, ",\"%s\":\"%s\"", key, v);
    else
        snprintf(t, sizeof t, ",\"%s\":null", key);
    bput(b, t);
}

static void btime(gbuf *b, const char *key, uint64_t ft)
{
    char iso[48], key_utc[32];
    snprintf(key_utc, sizeof key_utc, "%s_utc", key);
    if (!ft) {
        bstr(b, key, NULL);
        bstr(b, key_utc, NULL);
        return;
    }
    bnum(b, key, ft);
    etl_format_iso_utc(ft, iso, sizeof iso);
    bstr(b, key_utc, iso);
}

static void baddr(gbuf *b, const char *key, const afd_addr *a)
{
    char t[96];
    if (!a->family) {
        bstr(b, key, NULL);
        return;
    }
    afd_format_address(a, t, sizeof t);
    bstr(b, key, t);
}

size_t gen_socket_json(const gen_socket *s, char *buf, size_t cap)
{
    gbuf b;
    char t[64];
    b.p = buf;
    b.cap = cap;
    b.len = 0;
    if (cap)
        buf[0] = '\0';
    snprintf(t, sizeof t, "{\"endpoint\":\"0x%llx\"", (unsigned long long)s->endpoint);
    bput(&b, t);
    bnum(&b, "generation", s->generation);
    if (s->pid)
        bnum(&b, "pid", s->pid);
    else
        bstr(&b, "pid", NULL);
    bstr(&b, "process", s->process);
    bstr(&b, "family", s->family ? afd_map_name(AFD_MAP_FAMILY, s->family) : NULL);
    bstr(&b, "type", s->type ? afd_map_name(AFD_MAP_SOCKET_TYPE, s->type) : NULL);
    bstr(&b, "protocol", s->protocol ? afd_map_name(AFD_MAP_PROTOCOL, s->protocol) : NULL);
    baddr(&b, "local", &s->local);
    baddr(&b, "remote", &s->remote);
    if (s->has_listener) {
        snprintf(t, sizeof t, "0x%llx", (unsigned long long)s->listener);
        bstr(&b, "listener", t);
    } else {
        bstr(&b, "listener", NULL);
    }
    btime(&b, "created", s->created);
    btime(&b, "closed", s->closed);
    bput(&b, s->pre_existing ? ",\"pre_existing\":true" : ",\"pre_existing\":false");
    bstr(&b, "state", gen_state_name(s->state));
    bstr(&b, "outcome", gen_outcome_name(s->outcome));
    if (s->has_error) {
        char nb[16];
        snprintf(t, sizeof t, "0x%08x", (unsigned)s->error);
        bstr(&b, "error", t);
        bstr(&b, "error_name", nts_name(s->error, nb, sizeof nb));
    } else {
        bstr(&b, "error", NULL);
        bstr(&b, "error_name", NULL);
    }
    bnum(&b, "sends", s->sends);
    bnum(&b, "receives", s->receives);
    bnum(&b, "bytes_sent", s->bytes_sent);
    bnum(&b, "bytes_received", s->bytes_received);
    bnum(&b, "events", s->events);
    bput(&b, "}");
    return b.len;
}
