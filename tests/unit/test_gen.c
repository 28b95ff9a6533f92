/*
 * test_gen.c - the scenario engine and wskgen's files: every scenario written
 * as a real .etl file, read back with the reader (etl.h) and the decoder
 * (afd.h), and checked event by event against what the engine emitted, and
 * socket by socket against facts typed here by hand (addresses, statuses,
 * byte counts recomputed from the decoded events).
 */
#include "check.h"

#include <wsk/afd.h>
#include <wsk/etl.h>
#include <wsk/etlw.h>
#include <wsk/gen.h>

/* ---- what the engine emitted (a recording sink) ---- */

typedef struct emitted {
    uint64_t time;
    uint32_t pid, tid;
    uint16_t cpu, id, task;
    uint8_t ptr, level, opcode;
    uint64_t keyword;
    uint32_t len;
    uint8_t data[512];
    /* the engine's values (recorder only) */
    uint32_t nvals;
    uint64_t u[AFD_MAX_FIELDS];
    uint32_t blob_len;  /* the one binary value (sockaddr or IPv6) */
    uint8_t blob[32];
} emitted;

typedef struct recorder {
    emitted *ev;
    size_t n, cap;
    int bad;
} recorder;

static int record_event(void *ctx, const gen_event *e)
{
    recorder *r = (recorder *)ctx;
    emitted *x;
    size_t len = 0;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 1024;
        emitted *p = (emitted *)realloc(r->ev, cap * sizeof *p);
        if (!p) {
            r->bad = 1;
            return 1;
        }
        r->ev = p;
        r->cap = cap;
    }
    x = &r->ev[r->n++];
    x->time = e->time;
    x->pid = e->pid;
    x->tid = e->tid;
    x->cpu = e->cpu;
    x->id = e->id;
    x->task = e->task;
    x->ptr = e->ptr_size;
    x->level = e->level;
    x->opcode = e->opcode;
    x->keyword = e->keyword;
    if (afd_encode(afd_schema_find(e->id, 0), e->ptr_size, e->values, e->count, x->data, sizeof x->data, &len))
        r->bad = 1;
    x->len = (uint32_t)len;
    x->nvals = e->count;
    x->blob_len = 0;
    for (len = 0; len < e->count; len++) {
        x->u[len] = e->values[len].u;
        if (e->values[len].data && e->values[len].len <= sizeof x->blob) {
            x->blob_len = e->values[len].len;
            memcpy(x->blob, e->values[len].data, x->blob_len);
        }
    }
    return 0;
}

/* Every decoded field of the file's event equals the value the engine gave (field by field, by type). */
static int fields_match(const emitted *file, const emitted *engine)
{
    afd_fields f;
    unsigned i;
    if (afd_decode(afd_schema_find(file->id, 0), file->data, file->len, file->ptr, &f) != 0 || f.malformed ||
        f.count != engine->nvals)
        return 0;
    for (i = 0; i < f.count; i++) {
        switch (f.schema->fields[i].type) {
        case AFD_T_SOCKADDR:
        case AFD_T_IPV6:
            if (f.v[i].len != engine->blob_len || (f.v[i].len && memcmp(f.v[i].data, engine->blob, f.v[i].len)))
                return 0;
            break;
        case AFD_T_ADDRLEN:
            if (f.v[i].u != engine->blob_len)
                return 0;
            break;
        default:
            if (f.v[i].u != engine->u[i])
                return 0;
            break;
        }
    }
    return 1;
}

/* ---- what the file says ---- */

typedef struct readback {
    emitted *ev;     /* AFD events in time order */
    size_t n, cap;
    uint32_t lost_events;
    size_t nproc;
    uint32_t proc_pid[256];
    char proc_name[256][128];
    etl_header hdr;
    int ok;
} readback;

static void readback_free(readback *b)
{
    free(b->ev);
    memset(b, 0, sizeof *b);
}

static int read_file(const char *path, readback *b)
{
    etl_file *f = NULL;
    etl_iter *it = NULL;
    etl_event ev;
    char err[256];
    memset(b, 0, sizeof *b);
    if (etl_open(path, &f, err, sizeof err) != ETL_OK) {
        fprintf(stderr, "cannot open %s: %s\n", path, err);
        return -1;
    }
    b->hdr = *etl_get_header(f);
    if (etl_iter_create(f, ETL_ORDER_TIME, &it) != ETL_OK) {
        etl_close(f);
        return -1;
    }
    while (etl_iter_next(it, &ev)) {
        if (ev.kind != ETL_KIND_EVENT)
            continue;
        if (ev.flags & ETL_EV_LOST_BEFORE)
            b->lost_events++;
        if (etl_guid_equal(&ev.provider, &etlw_kernel_process_guid) && b->nproc < 256) {
            uint32_t pid = 0;
            if (etlw_process_decode(ev.data, ev.data_len, &pid, b->proc_name[b->nproc], 128) == 0)
                b->proc_pid[b->nproc++] = pid;
            continue;
        }
        if (!afd_is_provider(&ev.provider))
            continue;
        if (b->n == b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 1024;
            emitted *p = (emitted *)realloc(b->ev, cap * sizeof *p);
            if (!p)
                break;
            b->ev = p;
            b->cap = cap;
        }
        {
            emitted *x = &b->ev[b->n++];
            x->time = ev.time;
            x->pid = ev.pid;
            x->tid = ev.tid;
            x->cpu = ev.cpu;
            x->id = ev.id;
            x->task = ev.task;
            x->ptr = ev.pointer_size;
            x->level = ev.level;
            x->opcode = ev.opcode;
            x->keyword = ev.keyword;
            x->len = ev.data_len <= sizeof x->data ? ev.data_len : (uint32_t)sizeof x->data;
            memcpy(x->data, ev.data, x->len);
        }
    }
    b->ok = etl_diag_count(f) == 0;
    if (!b->ok)
        fprintf(stderr, "%s: %s\n", path, etl_diag_at(f, 0)->reason);
    etl_iter_destroy(it);
    etl_close(f);
    return 0;
}

static void tmp_path(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/gen_%s", check_tmp_dir(), name);
}

static gen_options opts(const char *scenario, unsigned ptr)
{
    gen_options o;
    gen_options_default(&o);
    o.scenario = scenario;
    o.ptr_size = ptr;
    o.seed = 7;
    return o;
}

/* Writes the scenario, records it again in memory, reads the file back; checks that the three agree. */
static int write_and_check(const char *scenario, unsigned ptr, int compress, gen_result *res, recorder *rec,
                           readback *back)
{
    gen_options o = opts(scenario, ptr);
    gen_file_options fo;
    gen_sink sink;
    gen_result again;
    char path[512], err[256], name[96];
    size_t i, bad = 0;
    memset(&fo, 0, sizeof fo);
    fo.compress = compress;
    fo.process_table = 1;
    snprintf(name, sizeof name, "%s_%u%s.etl", scenario, ptr, compress ? "z" : "");
    tmp_path(path, sizeof path, name);
    memset(rec, 0, sizeof *rec);
    if (gen_write_etl(path, &o, &fo, res, err, sizeof err) != 0) {
        fprintf(stderr, "gen_write_etl %s: %s\n", scenario, err);
        CHECK(0);
        return -1;
    }
    sink.ctx = rec;
    sink.event = record_event;
    sink.process = NULL;
    CHECK(gen_run(&o, &sink, &again, err, sizeof err) == 0);
    CHECK(!rec->bad);
    CHECK_U64(again.events, res->events);
    CHECK_U64(again.socket_count, res->socket_count);
    gen_result_free(&again);
    if (read_file(path, back) != 0) {
        CHECK(0);
        return -1;
    }
    CHECK(back->ok);
    CHECK_U64(back->n, res->events);
    CHECK_U64(rec->n, res->events);
    CHECK_U64(back->hdr.pointer_size, ptr);
    /* event by event: header context, descriptor and payload bytes, in time order */
    for (i = 0; i < back->n && i < rec->n; i++) {
        const emitted *a = &back->ev[i], *e = &rec->ev[i];
        if (a->time != e->time || a->pid != e->pid || a->tid != e->tid || a->cpu != e->cpu || a->id != e->id ||
            a->ptr != e->ptr || a->level != e->level || a->opcode != e->opcode || a->task != e->task ||
            a->keyword != e->keyword || a->len != e->len || memcmp(a->data, e->data, a->len) != 0 ||
            !fields_match(a, e)) {
            if (bad++ < 3)
                fprintf(stderr, "%s: event %lu differs (id %u vs %u, time %llu vs %llu)\n", scenario, (unsigned long)i, a->id,
                        e->id, (unsigned long long)a->time, (unsigned long long)e->time);
        }
        if (i && a->time <= back->ev[i - 1].time && bad++ < 3)
            fprintf(stderr, "%s: event %lu not after the previous one\n", scenario, (unsigned long)i);
        if (a->cpu >= o.cpus && bad++ < 3)
            fprintf(stderr, "%s: event %lu on cpu %u\n", scenario, (unsigned long)i, a->cpu);
    }
    CHECK_U64(bad, 0);
    return 0;
}

static void decode(const emitted *e, afd_fields *f)
{
    memset(f, 0, sizeof *f);
    CHECK(afd_decode(afd_schema_find(e->id, 0), e->data, e->len, e->ptr, f) == 0);
    CHECK_U64(f->malformed, 0);
}

static uint64_t field(const afd_fields *f, const char *name)
{
    unsigned i;
    for (i = 0; i < f->count; i++)
        if (strcmp(f->schema->fields[i].name, name) == 0)
            return f->v[i].u;
    fprintf(stderr, "event %u has no field %s\n", f->schema->id, name);
    CHECK(0);
    return 0;
}

static void addr_text(const afd_fields *f, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (f->has_addr)
        afd_format_address(&f->addr, buf, cap);
}

/* The socket on that endpoint alive at that time. */
static const gen_socket *live_socket(const gen_result *r, uint64_t endpoint, uint64_t time)
{
    size_t i;
    for (i = 0; i < r->socket_count; i++) {
        const gen_socket *s = &r->sockets[i];
        if (s->endpoint == endpoint && s->created <= time && (!s->closed || s->closed >= time))
            return s;
    }
    return NULL;
}

static const gen_socket *find_socket(const gen_result *r, uint64_t endpoint, uint32_t generation)
{
    size_t i;
    for (i = 0; i < r->socket_count; i++)
        if (r->sockets[i].endpoint == endpoint && r->sockets[i].generation == generation)
            return &r->sockets[i];
    return NULL;
}

static void cleanup(gen_result *res, recorder *rec, readback *back)
{
    gen_result_free(res);
    free(rec->ev);
    readback_free(back);
}

/* Per-ID counts of the file equal the engine's. */
static void check_id_counts(const gen_result *res, const readback *back)
{
    uint64_t *n = (uint64_t *)calloc(2 * GEN_ID_LIMIT, sizeof *n);
    size_t i, bad = 0;
    if (!n) {
        CHECK(0);
        return;
    }
    for (i = 0; i < back->n; i++)
        n[(back->ev[i].ptr == 8 ? GEN_ID_LIMIT : 0) + back->ev[i].id]++;
    for (i = 0; i < 2 * GEN_ID_LIMIT; i++)
        if (n[i] != res->id_counts[i] && bad++ < 3)
            fprintf(stderr, "id %lu ptr %d: file %llu, engine %llu\n", (unsigned long)(i % GEN_ID_LIMIT), i >= GEN_ID_LIMIT ? 8 : 4,
                    (unsigned long long)n[i], (unsigned long long)res->id_counts[i]);
    CHECK_U64(bad, 0);
    free(n);
}

static void test_tcp_client_v4(void)
{
    gen_result res;
    recorder rec;
    readback back;
    const gen_socket *s;
    uint64_t sent = 0, received = 0, sends = 0, receives = 0, events = 0, pid4 = 0;
    char text[96], local[96] = "";
    size_t i;
    if (write_and_check("tcp-client-v4", 8, 0, &res, &rec, &back) != 0)
        return;
    check_id_counts(&res, &back);
    CHECK_U64(res.socket_count, 1);
    s = &res.sockets[0];
    CHECK_STR(s->process, "curl.exe");
    CHECK_U64(s->generation, 1);
    CHECK_U64(s->family, 2);
    CHECK_U64(s->type, 1);
    CHECK_U64(s->protocol, 6);
    CHECK_U64(s->state, GEN_ST_CLOSED);
    CHECK_U64(s->outcome, GEN_OUT_CLOSED);
    CHECK(!s->has_error);
    CHECK_U64(res.id_counts[GEN_ID_LIMIT + 1000], 2);
    CHECK_U64(res.id_counts[GEN_ID_LIMIT + 1021], 1);
    CHECK_U64(res.id_counts[GEN_ID_LIMIT + 1020], 1);
    CHECK_U64(res.id_counts[GEN_ID_LIMIT + 1004], 10);
    CHECK_U64(res.id_counts[GEN_ID_LIMIT + 3003], 5);
    CHECK_U64(res.id_counts[GEN_ID_LIMIT + 3006], 1);
    for (i = 0; i < back.n; i++) {
        afd_fields f;
        const emitted *e = &back.ev[i];
        decode(e, &f);
        CHECK_U64(field(&f, "Endpoint"), s->endpoint);
        CHECK(e->keyword & 0x8000000000000000ull);
        if (e->pid == 4)
            pid4++;
        events++;
        if (e->id == 1000) {
            CHECK_U64(field(&f, "ProcessId"), s->pid);
            CHECK_U64(e->pid, s->pid); /* creates run in the caller */
            CHECK_U64(e->keyword, 0x8000000000000006ull);
        }
        if (e->id == 1021) {
            addr_text(&f, text, sizeof text);
            CHECK_STR(text, "203.0.113.10:443");
            CHECK_U64(field(&f, "EnterExit"), 0);
        }
        if (e->id == 1030 && field(&f, "EnterExit") == 1) {
            addr_text(&f, local, sizeof local);
            CHECK(strncmp(local, "192.168.1.23:", 13) == 0);
        }
        /* the NetBlame rule, recomputed from the decoded events */
        if (e->id == 1003 && field(&f, "EnterExit") == 1 && field(&f, "Location") != 3073 && f.status == 0) {
            sends++;
            sent += field(&f, "BufferLength");
        }
        if (e->id == 1004 && field(&f, "EnterExit") == 1 && f.status == 0) {
            receives++;
            received += field(&f, "BufferLength");
        }
    }
    CHECK(pid4 > 0); /* completions and indications in System context */
    CHECK_U64(sends, 3);
    CHECK_U64(receives, 5);
    CHECK_U64(s->sends, sends);
    CHECK_U64(s->receives, receives);
    CHECK_U64(s->bytes_sent, sent);
    CHECK_U64(s->bytes_received, received);
    CHECK_U64(s->events, events);
    CHECK_U64(s->created, back.ev[0].time);
    CHECK_U64(s->closed, back.ev[back.n - 1].time);
    afd_format_address(&s->local, text, sizeof text);
    CHECK_STR(text, local);
    afd_format_address(&s->remote, text, sizeof text);
    CHECK_STR(text, "203.0.113.10:443");
    /* the process table names the owner */
    {
        size_t k;
        int found = 0;
        for (k = 0; k < back.nproc; k++)
            if (back.proc_pid[k] == s->pid)
                found = strstr(back.proc_name[k], "\\curl.exe") != NULL;
        CHECK(found);
    }
    cleanup(&res, &rec, &back);
}

static void test_refused_and_timeout(void)
{
    static const char *const names[2] = {"refused", "timeout"};
    static const uint32_t status[2] = {0xC0000236u, 0xC00000B5u};
    int k;
    for (k = 0; k < 2; k++) {
        gen_result res;
        recorder rec;
        readback back;
        size_t i;
        int seen = 0;
        if (write_and_check(names[k], 8, 0, &res, &rec, &back) != 0)
            return;
        CHECK_U64(res.socket_count, 1);
        CHECK(res.sockets[0].has_error);
        CHECK_U64(res.sockets[0].error, status[k]);
        CHECK_U64(res.sockets[0].outcome, GEN_OUT_FAILED);
        CHECK_U64(res.sockets[0].sends + res.sockets[0].receives, 0);
        for (i = 0; i < back.n; i++) {
            afd_fields f;
            decode(&back.ev[i], &f);
            if (back.ev[i].id == 1020) {
                seen++;
                CHECK_U64(f.status, status[k]);
                CHECK_U64(back.ev[i].level, 2); /* afd.sys logs failures at level Error */
                CHECK_U64(field(&f, "EnterExit"), 1);
            } else {
                CHECK_U64(back.ev[i].level, 4);
            }
        }
        CHECK_U64(seen, 1);
        cleanup(&res, &rec, &back);
    }
}

static void test_tcp_server(void)
{
    gen_result res;
    recorder rec;
    readback back;
    size_t i, accepts = 0;
    if (write_and_check("tcp-server", 8, 1, &res, &rec, &back) != 0)
        return;
    check_id_counts(&res, &back);
    /* per family: listener, AcceptEx socket, accept() socket */
    CHECK_U64(res.socket_count, 6);
    for (i = 0; i < back.n; i++) {
        afd_fields f;
        const gen_socket *l, *a;
        char peer[96], text[96];
        if (back.ev[i].id != 1024 && back.ev[i].id != 1027)
            continue;
        decode(&back.ev[i], &f);
        accepts++;
        l = live_socket(&res, field(&f, "Endpoint"), back.ev[i].time);
        a = live_socket(&res, field(&f, "AcceptEndpoint"), back.ev[i].time);
        CHECK(l != NULL && a != NULL);
        if (!l || !a)
            continue;
        CHECK_U64(l->state, GEN_ST_CLOSED);
        CHECK_U64(a->listener, l->endpoint);
        CHECK_U64(a->pid, l->pid);
        CHECK_STR(a->process, "nginx.exe");
        addr_text(&f, peer, sizeof peer);
        afd_format_address(&a->remote, text, sizeof text);
        CHECK_STR(text, peer);
        {
            const char *prefix = l->family == 2 ? "198.51.100.2" : "[2001:db8:77::5";
            CHECK(strncmp(peer, prefix, strlen(prefix)) == 0);
        }
        afd_format_address(&a->local, text, sizeof text);
        CHECK_STR(text, l->family == 2 ? "0.0.0.0:8080" : "[::]:8443");
        CHECK(a->bytes_sent > 0 && a->bytes_received > 0);
        CHECK_U64(l->bytes_sent + l->bytes_received, 0);
    }
    CHECK_U64(accepts, 4);
    cleanup(&res, &rec, &back);
}

static void test_udp(void)
{
    gen_result res;
    recorder rec;
    readback back;
    size_t i;
    uint64_t to_v4 = 0, drop = 0;
    if (write_and_check("udp", 4, 0, &res, &rec, &back) != 0)
        return;
    CHECK_U64(res.socket_count, 4);
    for (i = 0; i < back.n; i++) {
        afd_fields f;
        char text[96];
        const emitted *e = &back.ev[i];
        decode(e, &f);
        CHECK_U64(e->ptr, 4);
        CHECK(field(&f, "Endpoint") >= 0x80000000u && field(&f, "Endpoint") <= 0xffffffffu);
        CHECK_U64(e->keyword & 0x3, 0x1); /* DATAGRAM */
        addr_text(&f, text, sizeof text);
        if (e->id == 1007 && strcmp(text, "192.0.2.53:53") == 0)
            to_v4++;
        if (e->id == 1033) {
            drop++;
            CHECK_U64(field(&f, "Reason"), 2);
            CHECK(e->keyword & 0x10000000000ull);
        }
    }
    CHECK_U64(to_v4, 2); /* request and its optional completion */
    CHECK_U64(drop, 2);
    /* sendto counts its request: the first socket's bytes_sent is the two requests (1007, 1013) */
    CHECK_U64(res.sockets[0].sends, 2);
    CHECK_U64(res.sockets[0].bytes_sent, 38 + 44);
    CHECK_U64(res.sockets[0].receives, 2);
    CHECK_U64(res.sockets[0].bytes_received, 120 + 300);
    {
        char text[96];
        afd_format_address(&res.sockets[2].remote, text, sizeof text);
        CHECK_STR(text, "[2001:db8:53::53]:53");
    }
    cleanup(&res, &rec, &back);
}

static void test_endpoint_reuse(void)
{
    gen_result res;
    recorder rec;
    readback back;
    size_t i, creates = 0;
    uint64_t ep = 0;
    const gen_socket *first, *second;
    if (write_and_check("endpoint-reuse", 8, 0, &res, &rec, &back) != 0)
        return;
    for (i = 0; i < back.n; i++) {
        afd_fields f;
        decode(&back.ev[i], &f);
        if (back.ev[i].id == 1000 && field(&f, "EnterExit") == 0) {
            if (!creates++)
                ep = field(&f, "Endpoint");
            else
                CHECK_U64(field(&f, "Endpoint"), ep);
        }
    }
    CHECK_U64(creates, 2);
    first = find_socket(&res, ep, 1);
    second = find_socket(&res, ep, 2);
    CHECK(first && second);
    if (first && second) {
        /* the late batch completion after the close belongs to the first socket and is not counted */
        CHECK(first->closed < second->created);
        CHECK_U64(first->sends, 1);
        CHECK_U64(first->bytes_sent, 700);
        CHECK_U64(second->bytes_sent, 710);
        CHECK_U64(first->events + second->events, back.n);
    }
    cleanup(&res, &rec, &back);
}

static void test_pre_existing_and_aborts(void)
{
    gen_result res;
    recorder rec;
    readback back;
    size_t i, pre = 0;
    if (write_and_check("pre-existing", 8, 0, &res, &rec, &back) != 0)
        return;
    for (i = 0; i < res.socket_count; i++) {
        const gen_socket *s = &res.sockets[i];
        if (!s->pre_existing)
            continue;
        pre++;
        CHECK_U64(s->family, 0);
        CHECK_U64(s->type, 1);
        CHECK_STR(s->process, "sqlservr.exe");
        CHECK(s->created > 0);
    }
    CHECK_U64(pre, 2);
    CHECK_U64(res.id_counts[GEN_ID_LIMIT + 1000], 2); /* only the fresh socket is created */
    CHECK_U64(res.sockets[2].outcome, GEN_OUT_OPEN);
    cleanup(&res, &rec, &back);

    if (write_and_check("abort-by-transport", 8, 0, &res, &rec, &back) != 0)
        return;
    CHECK_U64(res.sockets[0].outcome, GEN_OUT_ABORTED);
    CHECK_U64(res.sockets[0].error, 0xC000020Du);
    for (i = 0; i < back.n; i++) {
        afd_fields f;
        decode(&back.ev[i], &f);
        if (back.ev[i].id == 3006) {
            CHECK_U64(f.status, 0xC000020Du);
            CHECK_U64(back.ev[i].keyword, 0x800000000000000Aull); /* transport | stream | channel */
        }
    }
    cleanup(&res, &rec, &back);

    if (write_and_check("abort-by-afd", 8, 0, &res, &rec, &back) != 0)
        return;
    CHECK_U64(res.sockets[0].outcome, GEN_OUT_ABORTED);
    CHECK(!res.sockets[0].has_error);
    CHECK_U64(res.id_counts[GEN_ID_LIMIT + 1032], 1);
    cleanup(&res, &rec, &back);
}

static void test_every_event(void)
{
    gen_result res;
    recorder rec;
    readback back;
    size_t i, missing = 0;
    if (write_and_check("every-event", 8, 0, &res, &rec, &back) != 0)
        return;
    check_id_counts(&res, &back);
    for (i = 0; afd_schema_at(i); i++) {
        uint16_t id = afd_schema_at(i)->id;
        if (!res.id_counts[id] || !res.id_counts[GEN_ID_LIMIT + id]) {
            if (missing++ < 5)
                fprintf(stderr, "event %u missing (4-byte %llu, 8-byte %llu)\n", id,
                        (unsigned long long)res.id_counts[id], (unsigned long long)res.id_counts[GEN_ID_LIMIT + id]);
        }
    }
    CHECK_U64(afd_schema_count(), 96);
    CHECK_U64(missing, 0);
    cleanup(&res, &rec, &back);
    /* again in a compressed file whose header is the 32-bit form */
    if (write_and_check("every-event", 4, 1, &res, &rec, &back) != 0)
        return;
    check_id_counts(&res, &back);
    /* both address families in every modern event that carries a sockaddr */
    {
        unsigned char fam[GEN_ID_LIMIT];
        size_t k;
        memset(fam, 0, sizeof fam);
        for (i = 0; i < back.n; i++) {
            afd_fields f;
            decode(&back.ev[i], &f);
            if (f.has_addr && back.ev[i].id >= 1000)
                fam[back.ev[i].id] |= f.addr.family == 2 ? 1 : f.addr.family == 23 ? 2 : 4;
        }
        for (k = 0; afd_schema_at(k); k++) {
            const afd_event_schema *s = afd_schema_at(k);
            if (s->id >= 1000 && afd_schema_role(s, AFD_ROLE_ADDR_LEN) >= 0 && fam[s->id] != 3) {
                fprintf(stderr, "event %u: address families seen 0x%x\n", s->id, fam[s->id]);
                CHECK(0);
            }
        }
        CHECK_U64(fam[1027], 3);
    }
    cleanup(&res, &rec, &back);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = NULL;
    long n;
    *len = 0;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        p = (unsigned char *)malloc((size_t)n);
        if (p && fread(p, 1, (size_t)n, f) == (size_t)n) {
            *len = (size_t)n;
        } else {
            free(p);
            p = NULL;
        }
    }
    fclose(f);
    return p;
}

/* Same options and seed: the same bytes (written to the same path: the header holds the file name). */
static void test_determinism(void)
{
    char path[512], err[256];
    gen_options o = opts("all", 8);
    gen_file_options fo;
    gen_result r;
    unsigned char *a, *b, *c;
    size_t na, nb, nc;
    memset(&fo, 0, sizeof fo);
    fo.process_table = 1;
    fo.compress = 1;
    tmp_path(path, sizeof path, "det.etl");
    CHECK(gen_write_etl(path, &o, &fo, &r, err, sizeof err) == 0);
    gen_result_free(&r);
    a = slurp(path, &na);
    CHECK(gen_write_etl(path, &o, &fo, &r, err, sizeof err) == 0);
    gen_result_free(&r);
    b = slurp(path, &nb);
    o.seed = 8;
    CHECK(gen_write_etl(path, &o, &fo, &r, err, sizeof err) == 0);
    gen_result_free(&r);
    c = slurp(path, &nc);
    CHECK(a && b && c);
    CHECK(na > 4096);
    CHECK(na == nb && a && b && memcmp(a, b, na) == 0);
    CHECK(!(na == nc && a && c && memcmp(a, c, na) == 0));
    free(a);
    free(b);
    free(c);
}

static void test_bulk_and_lost(void)
{
    char path[512], err[256];
    gen_options o;
    gen_file_options fo;
    gen_result r;
    readback back;
    size_t i;
    uint64_t sends = 0;
    gen_options_default(&o);
    o.scenario = NULL;
    o.events = 20011;
    o.cpus = 3;
    memset(&fo, 0, sizeof fo);
    fo.lose = 3;
    fo.buffer_size = 16384;
    fo.clock_type = 3;
    tmp_path(path, sizeof path, "bulk.etl");
    CHECK(gen_write_etl(path, &o, &fo, &r, err, sizeof err) == 0);
    CHECK_U64(r.events, 20011);
    CHECK(r.socket_count > 20);
    CHECK(read_file(path, &back) == 0);
    CHECK_U64(back.n, 20011);
    CHECK_U64(back.hdr.events_lost, 3);
    CHECK_U64(back.hdr.clock_type, 3);
    CHECK(back.lost_events >= 3);
    CHECK_U64(back.nproc, 0);
    for (i = 0; i < back.n; i++)
        sends += back.ev[i].id == 1003;
    CHECK(sends > back.n / 5); /* mostly sends and receives */
    readback_free(&back);
    gen_result_free(&r);
    /* a scenario first, then bulk traffic up to the total */
    o.scenario = "tcp-server";
    o.events = 3000;
    CHECK(gen_write_etl(path, &o, &fo, &r, err, sizeof err) == 0);
    CHECK_U64(r.events, 3000);
    CHECK_STR(r.sockets[0].process, "nginx.exe");
    gen_result_free(&r);
}

static void test_socket_json(void)
{
    gen_socket s;
    char buf[1024];
    size_t n;
    memset(&s, 0, sizeof s);
    s.endpoint = 0xffffb30c5a4e1010ull;
    s.generation = 2;
    s.pid = 1484;
    s.process = "curl.exe";
    s.family = 23;
    s.type = 1;
    s.protocol = 6;
    s.local.family = 23;
    s.local.has_port = 1;
    s.local.port = 50000;
    s.local.bytes[15] = 1;
    s.created = 134129412000000039ull;
    s.state = GEN_ST_ABORTED;
    s.outcome = GEN_OUT_ABORTED;
    s.has_error = 1;
    s.error = 0xC000020Du;
    s.sends = 3;
    s.bytes_sent = 3401;
    s.events = 33;
    n = gen_socket_json(&s, buf, sizeof buf);
    CHECK_STR(buf, "{\"endpoint\":\"0xffffb30c5a4e1010\",\"generation\":2,\"pid\":1484,\"process\":\"curl.exe\","
                   "\"family\":\"AF_INET6\",\"type\":\"SOCK_STREAM\",\"protocol\":\"IPPROTO_TCP\","
                   "\"local\":\"[::1]:50000\",\"remote\":null,\"listener\":null,"
                   "\"created\":134129412000000039,\"created_utc\":\"2026-01-15T09:00:00.0000039Z\","
                   "\"closed\":null,\"closed_utc\":null,\"pre_existing\":false,\"state\":\"aborted\","
                   "\"outcome\":\"aborted\",\"error\":\"0xc000020d\",\"error_name\":\"STATUS_CONNECTION_RESET\","
                   "\"sends\":3,\"receives\":0,\"bytes_sent\":3401,\"bytes_received\":0,\"events\":33}");
    CHECK_U64(n, strlen(buf));
    /* a short buffer is cut but the full length is still returned */
    CHECK_U64(gen_socket_json(&s, buf, 10), n);
    CHECK_U64(strlen(buf), 9);
}

static int stop_after_ten(void *ctx, const gen_event *e)
{
    (void)e;
    return ++*(int *)ctx >= 10 ? 5 : 0;
}

static void test_bad_options(void)
{
    gen_options o;
    gen_sink sink;
    gen_result r;
    recorder rec;
    char err[256];
    memset(&rec, 0, sizeof rec);
    sink.ctx = &rec;
    sink.event = record_event;
    sink.process = NULL;
    gen_options_default(&o);
    o.scenario = "no-such-scenario";
    CHECK(gen_run(&o, &sink, &r, err, sizeof err) == -1);
    CHECK(strstr(err, "no-such-scenario") != NULL);
    gen_options_default(&o);
    o.ptr_size = 6;
    CHECK(gen_run(&o, &sink, &r, err, sizeof err) == -1);
    CHECK_U64(rec.n, 0);
    /* a sink that stops the run: its value comes back, the result is untouched */
    {
        int seen = 0;
        gen_sink stopper;
        stopper.ctx = &seen;
        stopper.event = stop_after_ten;
        stopper.process = NULL;
        gen_options_default(&o);
        memset(&r, 0xAB, sizeof r);
        CHECK(gen_run(&o, &stopper, &r, err, sizeof err) == 5);
        CHECK_U64(seen, 10);
        CHECK_U64(r.socket_count, (size_t)0xABABABABABABABABull);
    }
    CHECK(gen_scenario_known("all"));
    CHECK(gen_scenario_known("every-event"));
    CHECK(!gen_scenario_known("every"));
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_tcp_client_v4), CHECK_CASE(test_refused_and_timeout), CHECK_CASE(test_tcp_server),
        CHECK_CASE(test_udp), CHECK_CASE(test_endpoint_reuse), CHECK_CASE(test_pre_existing_and_aborts),
        CHECK_CASE(test_every_event), CHECK_CASE(test_determinism), CHECK_CASE(test_bulk_and_lost),
        CHECK_CASE(test_socket_json), CHECK_CASE(test_bad_options),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
