/*
 * test_live.c - the capture chain without ETW: replay source -> callback -> ring -> live consumer ->
 * store, checked against load_file on the same wskgen trace; a deterministic ring overflow; the
 * reorder window; lost-event records; what the callback keeps of an EVENT_RECORD.
 */
#include "check.h"

#include <wsk/cap.h>
#include <wsk/gen.h>
#include <wsk/live.h>
#include <wsk/load.h>

#include <stdio.h>
#include <string.h>

typedef struct chain {
    ring *r;
    cap_arena *arena;
    store *st;
    sock_model *sm;
    live *lv;
    cap_sink sink;
} chain;

static int chain_open(chain *c, uint32_t ring_bytes, uint32_t max_record, uint64_t window)
{
    live_config cfg;
    memset(c, 0, sizeof *c);
    if (ring_create(ring_bytes, max_record, &c->r) != 0 || cap_arena_create((uint64_t)1 << 30, &c->arena) != 0 ||
        store_create(1u << 24, &c->st) != 0 || sock_model_create(&c->sm) != 0)
        return -1;
    memset(&cfg, 0, sizeof cfg);
    cfg.ring = c->r;
    cfg.arena = c->arena;
    cfg.events = c->st;
    cfg.sockets = c->sm;
    cfg.window = window;
    c->sink.ring = c->r;
    return live_create(&cfg, &c->lv);
}

static void chain_close(chain *c)
{
    live_destroy(c->lv);
    sock_model_destroy(c->sm);
    store_destroy(c->st);
    cap_arena_destroy(c->arena);
    ring_destroy(c->r);
}

static int make_trace(const char *tag, char *path, size_t len)
{
    gen_options o;
    gen_file_options fo;
    gen_result res;
    char err[256];
    int rc;
    snprintf(path, len, "%s/live-%s.etl", check_tmp_dir(), tag);
    gen_options_default(&o);
    o.events = 20000;
    o.cpus = 4;
    memset(&fo, 0, sizeof fo);
    fo.process_table = 1;
    rc = gen_write_etl(path, &o, &fo, &res, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "wskgen: %s\n", err);
    gen_result_free(&res);
    return rc;
}

static int load_reference(const char *path, store **st, sock_model **sm, etl_file **f)
{
    char err[256];
    load_job job;
    load_stats ls;
    if (etl_open(path, f, err, sizeof err) != ETL_OK || store_create(1u << 24, st) != 0 || sock_model_create(sm) != 0)
        return -1;
    memset(&job, 0, sizeof job);
    job.file = *f;
    job.events = *st;
    job.sockets = *sm;
    return load_file(&job, &ls);
}

/* A live row equals its file twin except for the handle; classic records lose their exact kind and id
 * in an EVENT_RECORD (ProcessTrace does not say SYSTEM or PERFINFO), so only their context is compared. */
static int rows_equal(const store_row *a, const store_row *b)
{
    if (a->time != b->time || a->pid != b->pid || a->tid != b->tid || a->cpu != b->cpu || a->flags != b->flags)
        return 0;
    if (b->kind != ETL_KIND_EVENT)
        return 1;
    return a->kind == b->kind && a->id == b->id && a->socket == b->socket && a->status == b->status &&
           a->bytes == b->bytes && a->level == b->level && a->opcode == b->opcode;
}

typedef struct consumer_arg {
    live *lv;
    plat_atomic_u64 stop;
} consumer_arg;

static int consumer_main(void *p)
{
    consumer_arg *a = (consumer_arg *)p;
    return live_run(a->lv, &a->stop);
}

/* The whole chain with a running consumer on its own thread and a ring big enough for the whole trace:
 * no drops, and the store equals load_file's, row for row, sockets and all. */
static void test_replay_equals_load(void)
{
    char path[512];
    chain c;
    store *ref = NULL;
    sock_model *ref_sm = NULL;
    etl_file *f = NULL;
    cap_replay_options o;
    cap_replay_stats rs;
    consumer_arg ca;
    plat_thread *t = NULL;
    live_stats ls;
    uint64_t diffs = 0, i;

    if (make_trace("equal", path, sizeof path) != 0) {
        check_failures++;
        return;
    }
    CHECK(load_reference(path, &ref, &ref_sm, &f) == 0);
    CHECK(chain_open(&c, 1u << 26, CAP_MAX_RECORD, 0) == 0);
    ca.lv = c.lv;
    plat_store_release(&ca.stop, 0);
    CHECK(plat_thread_start(&t, consumer_main, &ca, "wsk-live") == 0);
    memset(&o, 0, sizeof o);
    o.path = path;
    o.callback = cap_record_to_sink;
    o.context = &c.sink;
    CHECK(cap_replay_run(&o, &rs, NULL, 0) == 0);
    plat_store_release(&ca.stop, 1);
    CHECK(plat_thread_join(t) == 0);
    sock_model_finish(c.sm);
    live_get_stats(c.lv, &ls);

    CHECK_U64(rs.events, store_count(ref));
    CHECK_U64(ring_dropped(c.r), 0);
    CHECK_U64(ls.records + ring_dropped(c.r), rs.events);
    CHECK_U64(store_count(c.st), store_count(ref));
    CHECK_U64(ls.late, 0);
    CHECK_U64(ls.held, 0);
    for (i = 0; i < store_count(c.st) && i < store_count(ref); i++)
        if (!rows_equal(store_row_at(c.st, i), store_row_at(ref, i)) && diffs++ < 5)
            fprintf(stderr, "row %llu differs (id %u vs %u)\n", (unsigned long long)i, store_row_at(c.st, i)->id,
                    store_row_at(ref, i)->id);
    CHECK_U64(diffs, 0);
    CHECK_U64(sock_model_count(c.sm), sock_model_count(ref_sm));
    CHECK(sock_model_count(c.sm) > 10);
    for (i = 0; i < sock_model_count(c.sm) && i < sock_model_count(ref_sm); i++) {
        const sock_info *a = sock_model_at(c.sm, (size_t)i), *b = sock_model_at(ref_sm, (size_t)i);
        if (a->endpoint != b->endpoint || a->pid != b->pid || a->sends != b->sends || a->bytes_received !=
            b->bytes_received || a->outcome != b->outcome || a->first_row != b->first_row) {
            check_failures++;
            fprintf(stderr, "socket %llu differs\n", (unsigned long long)i);
            break;
        }
    }
    /* A live row's payload decodes as the file's does. */
    for (i = 0; i < store_count(c.st); i++) {
        const store_row *row = store_row_at(c.st, i);
        afd_fields a, b;
        if (!(row->flags & STORE_ROW_AFD))
            continue;
        CHECK(live_decode_row(c.arena, row, &a) == 0);
        CHECK(load_decode_row(f, store_row_at(ref, i), &b) == 0);
        CHECK_U64(a.count, b.count);
        CHECK(a.schema == b.schema);
        break;
    }

    chain_close(&c);
    sock_model_destroy(ref_sm);
    store_destroy(ref);
    etl_close(f);
    remove(path);
}

/* Buffers in file order, one CPU's buffer at a time as a real-time session hands them over: the reorder
 * window puts the rows back in time order, equal to load_file's (up to the order within equal timestamps);
 * with a window of one tick the same rows come, some of them late. */
static void test_replay_per_cpu_buffers(void)
{
    char path[512];
    store *ref = NULL;
    sock_model *ref_sm = NULL;
    etl_file *f = NULL;
    cap_replay_options o;
    cap_replay_stats rs;
    live_stats ls;
    uint64_t window, i, diffs;

    if (make_trace("percpu", path, sizeof path) != 0) {
        check_failures++;
        return;
    }
    CHECK(load_reference(path, &ref, &ref_sm, &f) == 0);
    for (window = 0; window <= 1; window++) { /* 0: the default second; 1: one tick (100 ns) */
        chain c;
        CHECK(chain_open(&c, 1u << 26, CAP_MAX_RECORD, window) == 0);
        memset(&o, 0, sizeof o);
        o.path = path;
        o.order = ETL_ORDER_FILE;
        o.callback = cap_record_to_sink;
        o.context = &c.sink;
        CHECK(cap_replay_run(&o, &rs, NULL, 0) == 0);
        /* Drained in batches as a running consumer would; the clock stands still. */
        while (live_pump(c.lv, 1) != 0)
            ;
        live_flush(c.lv);
        live_get_stats(c.lv, &ls);
        CHECK_U64(store_count(c.st), store_count(ref));
        for (i = 0, diffs = 0; i < store_count(c.st) && i < store_count(ref); i++) {
            const store_row *x = store_row_at(c.st, i), *y = store_row_at(ref, i);
            /* Events of different CPUs with the same timestamp (a process record written with an event)
             * have no order a real-time consumer could know: within such a tie any order is right. */
            int tie = (i > 0 && store_row_at(ref, i - 1)->time == y->time) ||
                      (i + 1 < store_count(ref) && store_row_at(ref, i + 1)->time == y->time);
            if (x->time != y->time || (!tie && !rows_equal(x, y)))
                diffs++;
        }
        if (window == 0) {
            CHECK_U64(ls.late, 0);
            CHECK_U64(diffs, 0);
        } else {
            CHECK(ls.late > 0);
            CHECK(diffs > 0); /* late rows are out of time order */
        }
        chain_close(&c);
    }
    sock_model_destroy(ref_sm);
    store_destroy(ref);
    etl_close(f);
    remove(path);
}

/* A small ring and a consumer that only runs when the producer is done: many drops, each accounted. */
static void test_replay_paused_consumer(void)
{
    char path[512];
    chain c;
    cap_replay_options o;
    cap_replay_stats rs;
    live_stats ls;
    uint64_t real = 0, lost = 0, lost_rows = 0, adjacent = 0, i;
    int last_was_loss = 0, prev_loss = 0;

    if (make_trace("paused", path, sizeof path) != 0) {
        check_failures++;
        return;
    }
    CHECK(chain_open(&c, 1u << 19, CAP_MAX_RECORD, 0) == 0);
    memset(&o, 0, sizeof o);
    o.path = path;
    o.callback = cap_record_to_sink;
    o.context = &c.sink;
    CHECK(cap_replay_run(&o, &rs, NULL, 0) == 0);
    CHECK(ring_dropped(c.r) > 0);
    live_flush(c.lv);
    live_get_stats(c.lv, &ls);
    for (i = 0; i < store_count(c.st); i++) {
        const store_row *row = store_row_at(c.st, i);
        int loss = row->id == LIVE_ID_RING_LOST && row->handle == LIVE_NO_HANDLE;
        if (loss) {
            lost += row->bytes;
            lost_rows++;
            adjacent += (uint64_t)prev_loss;
        } else {
            real++;
        }
        prev_loss = last_was_loss = loss;
        if (i && row->time < store_row_at(c.st, i - 1)->time)
            check_failures++;
    }
    CHECK_U64(real, ring_pushed(c.r));
    CHECK_U64(lost, ring_dropped(c.r));
    CHECK_U64(real + lost, rs.events);
    /* Once the paused ring is full, a later record that happens to fit the space left gets in between runs
     * of drops (how many do depends on the record sizes, and the header record holds the file's path): each
     * run of drops is one loss row, never two in a row, and the run after the last record that got in ends
     * the store. */
    CHECK(lost_rows >= 1);
    CHECK_U64(adjacent, 0);
    CHECK(last_was_loss);
    CHECK_U64(ls.ring_drops, ring_dropped(c.r));
    chain_close(&c);
    remove(path);
}

/* A hand-made EVENT_RECORD with user data of n bytes. */
typedef struct fake_ev {
    cap_event_record er;
    uint8_t data[64];
} fake_ev;

static void fake(fake_ev *e, uint64_t time, uint16_t cpu, uint16_t id, uint16_t len)
{
    memset(e, 0, sizeof *e);
    e->er.EventHeader.TimeStamp = (int64_t)time;
    e->er.EventHeader.ProcessId = 100 + cpu;
    e->er.EventHeader.ThreadId = id;
    e->er.EventHeader.Flags = CAP_HF_64_BIT_HEADER | CAP_HF_PROCESSOR_INDEX;
    e->er.EventHeader.EventDescriptor.Id = id;
    e->er.ProcessorIndex = cpu;
    memset(e->data, id & 0xFF, sizeof e->data);
    e->er.UserData = e->data;
    e->er.UserDataLength = len;
}

#define SEC 10000000ull
#define T0 (134000000000000000ull) /* a FILETIME in 2025 */

/* Records of 88 + 32 bytes take 128 bytes of ring: a 4096-byte ring holds exactly 32 of them. */
static void test_overflow_exact(void)
{
    chain c;
    fake_ev e;
    live_stats ls;
    uint16_t k;
    const store_row *row;

    CHECK_U64(sizeof(cap_rec), 88);
    CHECK(chain_open(&c, 4096, 1024, 0) == 0);
    for (k = 0; k < 100; k++) {
        fake(&e, T0 + k, 0, k, 32);
        cap_deliver(&c.sink, &e.er);
    }
    CHECK_U64(ring_pushed(c.r), 32);
    CHECK_U64(ring_dropped(c.r), 68);
    CHECK_U64(cap_sink_pending_drops(&c.sink), 68);
    CHECK_U64(live_pump(c.lv, 1), 32);
    CHECK_U64(store_count(c.st), 0); /* all within the window */
    for (k = 100; k < 105; k++) {
        fake(&e, T0 + k, 0, k, 32);
        cap_deliver(&c.sink, &e.er);
    }
    CHECK_U64(cap_sink_pending_drops(&c.sink), 0);
    CHECK_U64(live_pump(c.lv, 2), 5);
    for (k = 105; k < 145; k++) { /* the ring is empty again: 32 get in, 8 are dropped at the end */
        fake(&e, T0 + k, 0, k, 32);
        cap_deliver(&c.sink, &e.er);
    }
    live_flush(c.lv);
    live_get_stats(c.lv, &ls);
    CHECK_U64(ring_dropped(c.r), 76);
    CHECK_U64(store_count(c.st), 32 + 1 + 5 + 32 + 1);
    CHECK_U64(ls.lost_rows, 2);
    CHECK_U64(ls.ring_drops, 76);
    row = store_row_at(c.st, 31);
    CHECK_U64(row->id, 31);
    row = store_row_at(c.st, 32);
    CHECK_U64(row->id, LIVE_ID_RING_LOST);
    CHECK_U64(row->flags, STORE_ROW_LOST);
    CHECK_U64(row->bytes, 68);
    CHECK_U64(row->time, T0 + 100);
    CHECK_U64(row->handle, LIVE_NO_HANDLE);
    CHECK_U64(store_row_at(c.st, 33)->id, 100);
    CHECK_U64(store_row_at(c.st, 38)->id, 105);
    row = store_row_at(c.st, 70);
    CHECK_U64(row->id, LIVE_ID_RING_LOST);
    CHECK_U64(row->bytes, 8);
    CHECK_U64(row->time, T0 + 136);
    chain_close(&c);
}

/* Two CPUs whose buffers arrive one after the other: held rows come out in time order; what comes
 * later than the window is appended late; a quiet session lets its rows go after one window of wall time. */
static void test_reorder_window(void)
{
    chain c;
    fake_ev e;
    live_stats ls;
    const uint64_t ns = 1000000000ull;

    CHECK(chain_open(&c, 1u << 16, 4096, 0) == 0);
    fake(&e, T0 + 1 * SEC, 0, 1, 8), cap_deliver(&c.sink, &e.er);
    fake(&e, T0 + 2 * SEC, 0, 2, 8), cap_deliver(&c.sink, &e.er);
    fake(&e, T0 + 3 * SEC, 0, 3, 8), cap_deliver(&c.sink, &e.er);
    live_pump(c.lv, 10 * ns);
    CHECK_U64(store_count(c.st), 2); /* 1 s and 2 s: not newer than 3 s - 1 s */
    fake(&e, T0 + 15 * SEC / 10, 1, 4, 8), cap_deliver(&c.sink, &e.er);
    fake(&e, T0 + 25 * SEC / 10, 1, 5, 8), cap_deliver(&c.sink, &e.er);
    fake(&e, T0 + 28 * SEC / 10, 0, 6, 8), cap_deliver(&c.sink, &e.er);
    live_pump(c.lv, 10 * ns);
    CHECK_U64(store_count(c.st), 3);
    CHECK_U64(store_row_at(c.st, 2)->id, 4); /* 1.5 s, behind 2 s: late */
    live_pump(c.lv, 10 * ns + ns / 2);   /* half a window of quiet: 2.5 s goes, 2.8 s and 3 s wait */
    CHECK_U64(store_count(c.st), 4);
    live_pump(c.lv, 11 * ns + 1);          /* one window of quiet: everything */
    CHECK_U64(store_count(c.st), 6);
    CHECK_U64(store_row_at(c.st, 3)->id, 5);
    CHECK_U64(store_row_at(c.st, 4)->id, 6);
    CHECK_U64(store_row_at(c.st, 5)->id, 3);
    CHECK_U64(store_row_at(c.st, 3)->cpu, 1);
    live_get_stats(c.lv, &ls);
    CHECK_U64(ls.late, 1);
    CHECK_U64(ls.held, 0);
    chain_close(&c);
}

/* What the callback keeps: fields, the items that matter, the processor, the lost-event records. */
static void test_record_fields(void)
{
    chain c;
    fake_ev e;
    cap_ext_item items[3];
    uint8_t act[16], schema[40], key[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    etl_event ev;
    const store_row *row;
    static const etl_guid prov = {0xE53C6823, 0x7BB8, 0x44BB, {0x90, 0xDC, 0x3F, 0x86, 0x09, 0x0D, 0x48, 0xA6}};

    CHECK(chain_open(&c, 1u << 16, 4096, 1) == 0);
    memset(act, 0xA5, sizeof act);
    memset(schema, 0x5A, sizeof schema);
    fake(&e, T0, 0, 1000, 20);
    e.er.EventHeader.Flags = CAP_HF_32_BIT_HEADER | CAP_HF_EXTENDED_INFO; /* no PROCESSOR_INDEX */
    e.er.ProcessorIndex = 0x0107; /* ProcessorNumber 7, Alignment 1 */
    e.er.EventHeader.ProviderId = prov;
    e.er.EventHeader.EventDescriptor.Level = 4;
    e.er.EventHeader.EventDescriptor.Keyword = 0x8000000000000006ull;
    items[0].ExtType = ETL_EXT_RELATED_ACTIVITYID, items[0].DataSize = 16, items[0].DataPtr = (uint64_t)(uintptr_t)act;
    items[1].ExtType = ETL_EXT_EVENT_SCHEMA_TL, items[1].DataSize = 40, items[1].DataPtr = (uint64_t)(uintptr_t)schema;
    items[2].ExtType = ETL_EXT_PROCESS_START_KEY, items[2].DataSize = 8, items[2].DataPtr = (uint64_t)(uintptr_t)key;
    e.er.ExtendedData = items;
    e.er.ExtendedDataCount = 3;
    cap_deliver(&c.sink, &e.er);

    fake(&e, T0 + 1, 2, 0, 16);
    e.er.EventHeader.Flags = CAP_HF_CLASSIC_HEADER | CAP_HF_64_BIT_HEADER;
    e.er.EventHeader.ProviderId = cap_lost_event_guid;
    e.er.EventHeader.EventDescriptor.Opcode = CAP_LOST_BUFFER;
    cap_deliver(&c.sink, &e.er);
    live_flush(c.lv);

    CHECK_U64(store_count(c.st), 2);
    row = store_row_at(c.st, 0);
    CHECK(cap_arena_event(c.arena, row->handle, &ev) == 0);
    CHECK_U64(ev.kind, ETL_KIND_EVENT);
    CHECK_U64(ev.pointer_size, 4);
    CHECK_U64(ev.cpu, 7);
    CHECK_U64(ev.id, 1000);
    CHECK_U64(ev.level, 4);
    CHECK_U64(ev.keyword, 0x8000000000000006ull);
    CHECK_U64(ev.pid, 100);
    CHECK_U64(ev.time, T0);
    CHECK(etl_guid_equal(&ev.provider, &prov));
    CHECK_U64(ev.data_len, 20);
    CHECK(ev.data && ev.data[0] == (1000 & 0xFF) && ev.data[19] == (1000 & 0xFF));
    CHECK_U64(ev.ext_count, 2);
    CHECK_U64(ev.ext[0].type, ETL_EXT_RELATED_ACTIVITYID);
    CHECK(ev.ext[0].size == 16 && memcmp(ev.ext[0].data, act, 16) == 0);
    CHECK_U64(ev.ext[1].type, ETL_EXT_PROCESS_START_KEY);
    CHECK(ev.ext[1].size == 8 && memcmp(ev.ext[1].data, key, 8) == 0);
    CHECK_U64(row->cpu, 7);
    CHECK(row->flags & STORE_ROW_AFD); /* a 20-byte 1000 payload is decoded, as malformed if short */

    row = store_row_at(c.st, 1);
    CHECK_U64(row->id, LIVE_ID_RT_LOST_BUFFER);
    CHECK(row->flags & STORE_ROW_LOST);
    CHECK_U64(row->cpu, 2);
    CHECK(cap_arena_event(c.arena, row->handle, &ev) == 0);
    CHECK_U64(ev.kind, ETL_KIND_FULL);
    CHECK_U64(ev.opcode, CAP_LOST_BUFFER);
    CHECK(cap_arena_event(c.arena, (uint64_t)1 << 40, &ev) != 0);
    chain_close(&c);
}

/* Replay at a rate keeps to it: never ahead of the schedule. */
static void test_replay_rate(void)
{
    char path[512];
    chain c;
    cap_replay_options o;
    cap_replay_stats rs;
    plat_atomic_u64 cancel;

    if (make_trace("rate", path, sizeof path) != 0) {
        check_failures++;
        return;
    }
    CHECK(chain_open(&c, 1u << 26, CAP_MAX_RECORD, 0) == 0);
    plat_store_release(&cancel, 0);
    memset(&o, 0, sizeof o);
    o.path = path;
    o.rate = 100000;
    o.callback = cap_record_to_sink;
    o.context = &c.sink;
    o.cancel = &cancel;
    CHECK(cap_replay_run(&o, &rs, NULL, 0) == 0);
    /* 20,000+ events at 100,000/s: at least 0.2 s, less the last check's 64 events and the millisecond the
     * schedule may run ahead. */
    CHECK(rs.events >= 20000);
    CHECK(rs.elapsed_ns + 1000000u >= (uint64_t)((double)(rs.events - 64) * 1e9 / o.rate));
    CHECK(rs.elapsed_ns >= 190000000u);
    chain_close(&c);
    remove(path);
}

/* A live capture saved with the writer reads back as the same Winsock-AFD rows, with the process names
 * given for processes older than the capture. */
static void test_save_roundtrip(void)
{
    char path[512], saved[512], err[256];
    chain c;
    cap_replay_options o;
    cap_replay_stats rs;
    live_save_stats ss;
    store *back = NULL;
    sock_model *back_sm = NULL;
    etl_file *f = NULL;
    static const live_process procs[] = {{4242, "\\Device\\HarddiskVolume3\\Tools\\pre.exe"}};
    uint64_t i, k, na = 0, nb = 0, diffs = 0;

    if (make_trace("save", path, sizeof path) != 0) {
        check_failures++;
        return;
    }
    snprintf(saved, sizeof saved, "%s/live-saved.etl", check_tmp_dir());
    CHECK(chain_open(&c, 1u << 26, CAP_MAX_RECORD, 0) == 0);
    memset(&o, 0, sizeof o);
    o.path = path;
    o.callback = cap_record_to_sink;
    o.context = &c.sink;
    CHECK(cap_replay_run(&o, &rs, NULL, 0) == 0);
    live_flush(c.lv);
    CHECK(live_save_etl(c.st, c.arena, procs, 1, saved, &ss, err, sizeof err) == 0);
    CHECK_U64(ss.written + ss.skipped, store_count(c.st));
    CHECK_U64(ss.skipped, 1); /* the logfile header record (classic) */
    CHECK(load_reference(saved, &back, &back_sm, &f) == 0);
    CHECK_U64(etl_diag_count(f), 0);
    CHECK_U64(store_count(back), ss.written + 2); /* + its own header record + the process record */
    CHECK_STR(sock_model_process_name(back_sm, 4242), "pre.exe");
    for (i = 0, k = 0; i < store_count(c.st); i++) {
        const store_row *a = store_row_at(c.st, i), *b;
        if (!(a->flags & STORE_ROW_AFD))
            continue;
        na++;
        while (k < store_count(back) && !(store_row_at(back, k)->flags & STORE_ROW_AFD))
            k++;
        if (k == store_count(back))
            break;
        b = store_row_at(back, k++);
        nb++;
        if (!rows_equal(a, b) && diffs++ < 5)
            fprintf(stderr, "AFD row %llu differs after saving\n", (unsigned long long)na);
    }
    CHECK(na > 10000);
    CHECK_U64(nb, na);
    CHECK_U64(diffs, 0);
    CHECK(live_save_etl(c.st, c.arena, NULL, 0, "/nonexistent-dir/x.etl", &ss, err, sizeof err) == -1);
    CHECK(strstr(err, "x.etl") != NULL);

    sock_model_destroy(back_sm);
    store_destroy(back);
    etl_close(f);
    chain_close(&c);
    remove(saved);
    remove(path);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_overflow_exact),     CHECK_CASE(test_reorder_window),
        CHECK_CASE(test_record_fields),      CHECK_CASE(test_replay_equals_load),
        CHECK_CASE(test_replay_per_cpu_buffers),
        CHECK_CASE(test_replay_paused_consumer), CHECK_CASE(test_replay_rate),
        CHECK_CASE(test_save_roundtrip),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
