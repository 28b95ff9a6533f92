/*
 * live.c - the live consumer (see live.h): ring -> arena -> reorder heap -> store + socket model.
 *
 * Records go to the arena as soon as they leave the ring (the ring's space is what the producer is
 * waiting for); only a small entry (time, arrival, handle) waits, so the window costs 32 bytes per held
 * event whatever the payloads. Most events arrive in time order: those wait in a FIFO (O(1)); only an
 * event older than the newest one queued goes to the min-heap, and rows leave from whichever of the
 * two holds the older head. At a million events a second the window holds a million entries, where a
 * heap alone (20 levels of cache misses per event) was the consumer's bottleneck.
 */
#include "wsk/live.h"

#include "wsk/etlw.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>

#define LIVE_DEFAULT_WINDOW 10000000u /* 1 s in 100 ns units */

typedef struct held {
    uint64_t time;
    uint64_t seq;    /* arrival order: ties and loss rows keep their place */
    uint64_t handle; /* arena offset, LIVE_NO_HANDLE for a loss row */
    uint64_t lost;   /* loss row: records dropped */
} held;

struct live {
    live_config c;
    held *heap;
    size_t nheap, capheap;
    held *fifo;            /* circular, in (time, seq) order */
    size_t fhead, fcount, fcap;
    uint64_t seq;
    uint64_t max_time;     /* newest event time seen */
    uint64_t max_time_ns;  /* plat_now_ns when it was seen */
    uint64_t last_out;     /* time of the newest row appended */
    uint64_t base;         /* store rows before this consumer's */
    live_stats st;
};

int live_create(const live_config *c, live **out)
{
    live *lv;
    if (!c || !c->ring || !c->arena || !c->events)
        return -1;
    lv = calloc(1, sizeof *lv);
    if (!lv)
        return -1;
    lv->c = *c;
    if (!lv->c.window)
        lv->c.window = LIVE_DEFAULT_WINDOW;
    if (!lv->c.batch)
        lv->c.batch = 4096;
    lv->base = store_count(c->events);
    *out = lv;
    return 0;
}

void live_destroy(live *lv)
{
    if (!lv)
        return;
    free(lv->heap);
    free(lv->fifo);
    free(lv);
}

static int held_less(const held *a, const held *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static int heap_push(live *lv, const held *e)
{
    size_t i;
    if (lv->nheap == lv->capheap) {
        size_t cap = lv->capheap ? lv->capheap * 2 : 4096;
        held *h = realloc(lv->heap, cap * sizeof *h);
        if (!h)
            return -1;
        lv->heap = h;
        lv->capheap = cap;
    }
    i = lv->nheap++;
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!held_less(e, &lv->heap[parent]))
            break;
        lv->heap[i] = lv->heap[parent];
        i = parent;
    }
    lv->heap[i] = *e;
    return 0;
}

static held heap_pop(live *lv)
{
    held top = lv->heap[0];
    held last = lv->heap[--lv->nheap];
    size_t i = 0, n = lv->nheap;
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= n)
            break;
        if (child + 1 < n && held_less(&lv->heap[child + 1], &lv->heap[child]))
            child++;
        if (!held_less(&lv->heap[child], &last))
            break;
        lv->heap[i] = lv->heap[child];
        i = child;
    }
    if (n)
        lv->heap[i] = last;
    return top;
}

static int fifo_push(live *lv, const held *e)
{
    if (lv->fcount == lv->fcap) {
        size_t cap = lv->fcap ? lv->fcap * 2 : 4096, i;
        held *f = malloc(cap * sizeof *f);
        if (!f)
            return -1;
        for (i = 0; i < lv->fcount; i++)
            f[i] = lv->fifo[(lv->fhead + i) & (lv->fcap - 1)];
        free(lv->fifo);
        lv->fifo = f;
        lv->fcap = cap;
        lv->fhead = 0;
    }
    lv->fifo[(lv->fhead + lv->fcount) & (lv->fcap - 1)] = *e;
    lv->fcount++;
    return 0;
}

/* Queues an entry: in order behind the FIFO's tail, or into the heap. */
static int hold(live *lv, const held *e)
{
    if (lv->fcount == 0 || !held_less(e, &lv->fifo[(lv->fhead + lv->fcount - 1) & (lv->fcap - 1)]))
        return fifo_push(lv, e);
    return heap_push(lv, e);
}

/* The oldest held entry, or NULL. */
static const held *oldest(const live *lv)
{
    const held *f = lv->fcount ? &lv->fifo[lv->fhead] : NULL;
    const held *h = lv->nheap ? &lv->heap[0] : NULL;
    if (!f)
        return h;
    if (!h)
        return f;
    return held_less(h, f) ? h : f;
}

static held take_oldest(live *lv)
{
    const held *o = oldest(lv);
    held e;
    if (o == lv->heap && lv->nheap)
        return heap_pop(lv);
    e = *o;
    lv->fhead = (lv->fhead + 1) & (lv->fcap - 1);
    lv->fcount--;
    return e;
}

static void emit(live *lv, const held *e)
{
    uint64_t index = lv->base + lv->st.rows;
    store_row *r;
    etl_event ev;

    if (lv->st.store_full) {
        lv->st.discarded++;
        return;
    }
    if (e->handle != LIVE_NO_HANDLE && cap_arena_event(lv->c.arena, e->handle, &ev) != 0) {
        lv->st.discarded++;
        return;
    }
    r = store_append(lv->c.events);
    if (!r) {
        lv->st.store_full = 1;
        lv->st.discarded++;
        return;
    }
    if (e->time < lv->last_out)
        lv->st.late++;
    else
        lv->last_out = e->time;
    lv->st.rows++;
    if (e->handle == LIVE_NO_HANDLE) {
        memset(r, 0, sizeof *r);
        r->time = e->time;
        r->handle = LIVE_NO_HANDLE;
        r->socket = STORE_NO_SOCKET;
        r->id = LIVE_ID_RING_LOST;
        r->bytes = (uint32_t)(e->lost > UINT32_MAX ? UINT32_MAX : e->lost);
        r->flags = STORE_ROW_LOST;
        r->kind = (uint8_t)ETL_KIND_EVENT;
        lv->st.lost_rows++;
        return;
    }
    load_event_row(r, &ev, index, lv->c.sockets, &lv->st.load);
    if (ev.kind == ETL_KIND_FULL && etl_guid_equal(&ev.provider, &cap_lost_event_guid) &&
        ev.opcode >= CAP_LOST_EVENTS && ev.opcode <= CAP_LOST_FILE) {
        r->flags |= STORE_ROW_LOST;
        r->id = (uint16_t)(LIVE_ID_RT_LOST_EVENT + (ev.opcode - CAP_LOST_EVENTS));
        lv->st.stream_lost++;
    }
}

/* Appends every held row older than limit (all of them when flushing), then publishes. */
static void release(live *lv, uint64_t limit, int all)
{
    uint64_t before = lv->st.rows;
    int locked = 0;
    const held *o;
    while ((o = oldest(lv)) != NULL && (all || o->time <= limit)) {
        held e = take_oldest(lv);
        if (!locked && lv->c.sockets_lock && e.handle != LIVE_NO_HANDLE) {
            lv->c.sockets_lock(lv->c.user, 1);
            locked = 1;
        }
        emit(lv, &e);
    }
    if (locked)
        lv->c.sockets_lock(lv->c.user, 0);
    if (lv->st.rows != before)
        store_publish(lv->c.events);
}

static void take(live *lv, const void *rec, uint32_t len, uint64_t now_ns)
{
    const cap_rec *cr = (const cap_rec *)rec;
    held e;

    lv->st.records++;
    if (len < sizeof *cr) {
        lv->st.discarded++;
        return;
    }
    if (cr->lost_before) {
        e.time = cr->time;
        e.seq = lv->seq++;
        e.handle = LIVE_NO_HANDLE;
        e.lost = cr->lost_before;
        lv->st.ring_drops += cr->lost_before;
        if (hold(lv, &e) != 0)
            lv->st.discarded++;
    }
    if (lv->st.arena_full || lv->st.store_full) {
        lv->st.discarded++;
        return;
    }
    e.handle = cap_arena_append(lv->c.arena, rec, len);
    if (e.handle == UINT64_MAX) {
        lv->st.arena_full = 1;
        lv->st.discarded++;
        return;
    }
    e.time = cr->time;
    e.seq = lv->seq++;
    e.lost = 0;
    if (hold(lv, &e) != 0) {
        lv->st.discarded++;
        return;
    }
    if (cr->time > lv->max_time || lv->max_time_ns == 0) {
        if (cr->time > lv->max_time)
            lv->max_time = cr->time;
        lv->max_time_ns = now_ns;
    }
}

uint32_t live_pump(live *lv, uint64_t now_ns)
{
    const void *rec;
    uint32_t len, n = 0;
    uint64_t now_ft, limit;

    while (n < lv->c.batch && ring_peek(lv->c.ring, &rec, &len)) {
        take(lv, rec, len, now_ns);
        ring_release(lv->c.ring);
        n++;
    }
    /* The newest time seen, moved on by the wall clock since it arrived: "now" in the trace's clock. */
    now_ft = lv->max_time + (now_ns > lv->max_time_ns ? (now_ns - lv->max_time_ns) / 100u : 0);
    if (now_ft >= lv->c.window) {
        limit = now_ft - lv->c.window;
        release(lv, limit, 0);
    }
    return n;
}

void live_flush(live *lv)
{
    uint64_t total;
    while (live_pump(lv, 0) != 0)
        ;
    total = ring_dropped(lv->c.ring);
    if (total > lv->st.ring_drops) {
        held e;
        /* Dropped after the last record that got in: they end the capture. */
        e.time = lv->max_time > lv->last_out ? lv->max_time : lv->last_out;
        e.seq = lv->seq++;
        e.handle = LIVE_NO_HANDLE;
        e.lost = total - lv->st.ring_drops;
        lv->st.ring_drops = total;
        if (hold(lv, &e) != 0)
            lv->st.discarded++;
    }
    release(lv, 0, 1);
}

int live_run(live *lv, const plat_atomic_u64 *stop)
{
    while (!plat_load_acquire(stop))
        if (live_pump(lv, plat_now_ns()) == 0)
            plat_sleep_ms(1);
    live_flush(lv);
    return 0;
}

void live_get_stats(const live *lv, live_stats *out)
{
    *out = lv->st;
    out->held = lv->nheap + lv->fcount;
}

int live_decode_row(const cap_arena *a, const store_row *row, afd_fields *out)
{
    etl_event ev;
    const afd_event_schema *s;
    if (!(row->flags & STORE_ROW_AFD) || row->handle == LIVE_NO_HANDLE || cap_arena_event(a, row->handle, &ev) != 0)
        return -1;
    s = afd_schema_find(ev.id, ev.version);
    if (!s)
        return -1;
    return afd_decode(s, ev.data, ev.data_len, ev.pointer_size, out);
}

int live_save_etl(const store *events, const cap_arena *arena, const live_process *procs, size_t nprocs,
                  const char *path, live_save_stats *st, char *err, size_t err_len)
{
    uint64_t n = store_count(events), i, start = UINT64_MAX;
    uint32_t cpus = 1, j;
    etlw_options o;
    etlw *w = NULL;
    etl_event ev;
    int rc = -1;

    memset(st, 0, sizeof *st);
    /* The writer needs the processor count and a start no later than any event up front. */
    for (i = 0; i < n; i++) {
        const store_row *r = store_row_at(events, i);
        if (r->handle == LIVE_NO_HANDLE)
            continue;
        if (r->time < start)
            start = r->time;
        if ((uint32_t)r->cpu + 1 > cpus)
            cpus = (uint32_t)r->cpu + 1;
    }
    if (start == UINT64_MAX)
        start = 116444736000000000ull; /* nothing to write: 1970-01-01, any valid start */
    memset(&o, 0, sizeof o);
    o.cpus = (uint16_t)(cpus > 4096 ? 4096 : cpus);
    o.clock_type = 2;
    o.start_time = start;
    o.logger_name = "wskview";
    if (etlw_create(path, &o, &w, err, err_len) != 0)
        return -1;
    for (i = 0; i < nprocs; i++)
        if (etlw_process(w, 0, start, procs[i].pid, 0, 0, procs[i].image) != 0)
            goto cleanup;
    for (i = 0; i < n; i++) {
        const store_row *r = store_row_at(events, i);
        etlw_event_desc d;
        etlw_ext ext[ETL_MAX_EXT];
        if (r->handle == LIVE_NO_HANDLE || cap_arena_event(arena, r->handle, &ev) != 0 || ev.kind != ETL_KIND_EVENT ||
            ev.cpu >= o.cpus) {
            st->skipped++;
            continue;
        }
        memset(&d, 0, sizeof d);
        d.cpu = ev.cpu;
        d.pid = ev.pid;
        d.tid = ev.tid;
        d.time = ev.time;
        d.pointer_size = ev.pointer_size;
        d.provider = ev.provider;
        d.id = ev.id;
        d.version = ev.version;
        d.channel = ev.channel;
        d.level = ev.level;
        d.opcode = ev.opcode;
        d.task = ev.task;
        d.keyword = ev.keyword;
        d.activity_id = ev.activity_id;
        for (j = 0; j < ev.ext_count && j < ETL_MAX_EXT; j++) {
            ext[j].type = ev.ext[j].type;
            ext[j].size = ev.ext[j].size;
            ext[j].data = ev.ext[j].data;
        }
        d.ext = j ? ext : NULL;
        d.ext_count = j;
        if (etlw_event(w, &d, ev.data, ev.data_len) != 0)
            goto cleanup;
        st->written++;
    }
    rc = 0;

cleanup:
    if (rc != 0 && err && err_len)
        snprintf(err, err_len, "%s: %s", path, etlw_error(w));
    if (etlw_close(w, rc == 0 ? err : NULL, rc == 0 ? err_len : 0) != 0)
        rc = -1;
    return rc;
}
