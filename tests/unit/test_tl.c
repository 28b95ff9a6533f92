/* The timeline's layout, level of detail and hit testing (tl.h), natively: wskgen scenarios written as
 * real .etl files and loaded as the viewer loads them, and a store built in memory (tl_synth.h) for a socket
 * with 10,000 events. Expected pixels come from the engine's own socket times through the column formula
 * of tl.h, computed here independently: col(t) = floor((t - t0) * width / (t1 - t0)). */
#include "check.h"
#include "sock_find.h"
#include "tl_synth.h"
#include "wsk/afd.h"
#include "wsk/etl.h"
#include "wsk/gen.h"
#include "wsk/load.h"
#include "wsk/plat.h"
#include "wsk/tl.h"

typedef struct trace {
    etl_file *f;
    store *st;
    sock_model *sm;
    tl *t;
    gen_result res;
    int ok;
} trace;

static void trace_load(trace *tr, const char *scenario, uint32_t lose)
{
    char path[512], err[256];
    gen_options o;
    gen_file_options fo;
    load_stats ls;
    load_job job;

    memset(tr, 0, sizeof *tr);
    snprintf(path, sizeof path, "%s/tl-%s.etl", check_tmp_dir(), scenario);
    gen_options_default(&o);
    o.scenario = scenario;
    memset(&fo, 0, sizeof fo);
    fo.process_table = 1;
    fo.lose = lose;
    if (gen_write_etl(path, &o, &fo, &tr->res, err, sizeof err) != 0) {
        check_failures++;
        fprintf(stderr, "%s: %s\n", scenario, err);
        return;
    }
    if (etl_open(path, &tr->f, err, sizeof err) != ETL_OK || store_create(1u << 20, &tr->st) != 0 ||
        sock_model_create(&tr->sm) != 0) {
        check_failures++;
        fprintf(stderr, "%s: open: %s\n", scenario, err);
        goto cleanup;
    }
    memset(&job, 0, sizeof job);
    job.file = tr->f;
    job.events = tr->st;
    job.sockets = tr->sm;
    CHECK(load_file(&job, &ls) == 0);
    CHECK(tl_create(tr->st, tr->sm, &tr->t) == 0);
    tr->ok = tr->t != NULL;
cleanup:
    remove(path);
}

static void trace_free(trace *tr)
{
    tl_destroy(tr->t);
    sock_model_destroy(tr->sm);
    store_destroy(tr->st);
    etl_close(tr->f);
    gen_result_free(&tr->res);
}

static int32_t expect_col(uint64_t t, uint64_t t0, uint64_t t1, int32_t width)
{
    return (int32_t)((t - t0) * (uint64_t)width / (t1 - t0));
}

typedef struct frame {
    tl_prim *p;
    size_t n;
} frame;

static void frame_lay(frame *fr, const tl_view *v)
{
    size_t cap = tl_layout_bound(v);
    free(fr->p);
    fr->p = malloc(cap * sizeof *fr->p);
    fr->n = fr->p ? tl_layout(v, fr->p, cap) : 0;
    CHECK(fr->n <= cap);
}

/* The bar of socket s in a frame: its first and last column and its phases in order (runs deduplicated). */
typedef struct barinfo {
    int32_t x0, x1;
    int nphases;
    uint8_t phases[64];
    size_t ticks[TL_TICK_COUNT];    /* primitives */
    size_t tickcols[TL_TICK_COUNT]; /* columns they cover */
    int bar_after_tick;             /* a bar came after one of its ticks in the list */
} barinfo;

static void bar_of(const frame *fr, uint32_t s, barinfo *b)
{
    memset(b, 0, sizeof *b);
    b->x0 = INT32_MAX;
    b->x1 = INT32_MIN;
    for (size_t i = 0; i < fr->n; i++) {
        const tl_prim *p = &fr->p[i];
        if (p->ref != s)
            continue;
        if (p->type == TL_P_BAR) {
            if (b->ticks[0] + b->ticks[1] + b->ticks[2] + b->ticks[3] + b->ticks[4])
                b->bar_after_tick = 1;
            if (p->x < b->x0)
                b->x0 = p->x;
            if (p->x + p->w - 1 > b->x1)
                b->x1 = p->x + p->w - 1;
            if ((!b->nphases || b->phases[b->nphases - 1] != p->kind) && b->nphases < 64)
                b->phases[b->nphases++] = p->kind;
        } else if (p->type == TL_P_TICK) {
            b->ticks[p->kind]++;
            b->tickcols[p->kind] += (size_t)p->w;
        }
    }
}

static int phase_pos(const barinfo *b, int phase)
{
    for (int i = 0; i < b->nphases; i++)
        if (b->phases[i] == phase)
            return i;
    return -1;
}

static size_t count_type(const frame *fr, int type)
{
    size_t n = 0;
    for (size_t i = 0; i < fr->n; i++)
        n += fr->p[i].type == type;
    return n;
}

static size_t count_ref(const frame *fr, uint32_t ref)
{
    size_t n = 0;
    for (size_t i = 0; i < fr->n; i++)
        n += fr->p[i].ref == ref && (fr->p[i].type == TL_P_BAR || fr->p[i].type == TL_P_TICK);
    return n;
}

/* Every socket of multi-process has its bar from col(created) to col(closed), from the engine's times. */
static void test_bars_where_times_say(void)
{
    trace tr;
    tl_view v;
    frame fr = {0};
    memset(&v, 0, sizeof v);
    trace_load(&tr, "multi-process", 0);
    if (!tr.ok)
        goto cleanup;
    tl_view_init(&v, tr.t, 1600, 100000, 18, 22, 24);
    CHECK(tl_view_sync(&v) == 0);
    CHECK_U64(v.t0, tl_first_time(tr.t));
    CHECK_U64(v.t1, tl_last_time(tr.t) + 1);
    frame_lay(&fr, &v);
    CHECK(tr.res.socket_count >= 3);
    for (size_t i = 0; i < tr.res.socket_count; i++) {
        const gen_socket *g = &tr.res.sockets[i];
        int s = find_socket(tr.sm, g->endpoint, g->generation);
        barinfo b;
        CHECK(s >= 0);
        if (s < 0)
            continue;
        bar_of(&fr, (uint32_t)s, &b);
        CHECK_U64(b.x0, expect_col(g->created, v.t0, v.t1, v.width));
        CHECK_U64(b.x1, expect_col(g->closed ? g->closed : tl_last_time(tr.t), v.t0, v.t1, v.width));
        CHECK(tl_col(&v, g->created) == b.x0);
        /* Every bar prim of the socket sits on its row. */
        for (size_t k = 0; k < fr.n; k++)
            if (fr.p[k].ref == (uint32_t)s && fr.p[k].type == TL_P_BAR)
                CHECK(fr.p[k].y == tl_socket_y(&v, (uint32_t)s) && fr.p[k].h == 18);
    }
cleanup:
    free(fr.p);
    tl_view_free(&v);
    trace_free(&tr);
}

/* tcp-client-v4, zoomed onto its socket: connecting, then connected (idle or transferring), then closing. */
static void test_phase_order(void)
{
    trace tr;
    tl_view v;
    frame fr = {0};
    barinfo b;
    memset(&v, 0, sizeof v);
    trace_load(&tr, "tcp-client-v4", 0);
    if (!tr.ok)
        goto cleanup;
    tl_view_init(&v, tr.t, 4000, 2000, 18, 22, 24);
    CHECK(tl_view_sync(&v) == 0);
    CHECK_U64(tr.res.socket_count, 1);
    int s = find_socket(tr.sm, tr.res.sockets[0].endpoint, tr.res.sockets[0].generation);
    CHECK(s >= 0);
    if (s < 0)
        goto cleanup;
    tl_view_zoom_range(&v, tr.res.sockets[0].created, tr.res.sockets[0].closed + 1);
    frame_lay(&fr, &v);
    bar_of(&fr, (uint32_t)s, &b);
    int connecting = phase_pos(&b, TL_PH_CONNECTING), idle = phase_pos(&b, TL_PH_IDLE);
    int xfer = phase_pos(&b, TL_PH_TRANSFERRING), closing = phase_pos(&b, TL_PH_CLOSING);
    CHECK(connecting >= 0 && xfer >= 0 && closing >= 0);
    CHECK(connecting < xfer && xfer < closing);
    CHECK(idle < 0 || (connecting < idle && idle < closing));
    CHECK(phase_pos(&b, TL_PH_FAILED) < 0 && phase_pos(&b, TL_PH_ABORTED) < 0);
    CHECK_U64(b.x0, 0);
    CHECK_U64(b.x1, 3999);
    CHECK(b.ticks[TL_TICK_SEND] + b.ticks[TL_TICK_BOTH] > 0);
    CHECK(b.ticks[TL_TICK_RECEIVE] + b.ticks[TL_TICK_BOTH] > 0);
    CHECK_U64(b.ticks[TL_TICK_ERROR] + b.ticks[TL_TICK_ABORT], 0);
    CHECK(!b.bar_after_tick);
    /* The tooltip at the last column: closing, with the socket's bytes. */
    tl_tooltip tt;
    CHECK(tl_tooltip_at(&v, (uint32_t)s, 3999, &tt) == 0);
    CHECK_U64(tt.phase, TL_PH_CLOSING);
    CHECK_U64(tt.bytes_sent, tr.res.sockets[0].bytes_sent);
    CHECK_U64(tt.bytes_received, tr.res.sockets[0].bytes_received);
    CHECK_U64(tt.duration, tr.res.sockets[0].closed - tr.res.sockets[0].created);
    CHECK_STR(tt.process, "curl.exe");
cleanup:
    free(fr.p);
    tl_view_free(&v);
    trace_free(&tr);
}

/* refused: a failed phase and an error marker; abort-by-afd: an aborted phase and an abort marker. */
static void check_terminal(const char *scenario, int phase, int tick, int outcome)
{
    trace tr;
    tl_view v;
    frame fr = {0};
    int found = 0;
    memset(&v, 0, sizeof v);
    trace_load(&tr, scenario, 0);
    if (!tr.ok)
        goto cleanup;
    tl_view_init(&v, tr.t, 4000, 2000, 18, 22, 24);
    CHECK(tl_view_sync(&v) == 0);
    for (size_t i = 0; i < tr.res.socket_count; i++) {
        const gen_socket *g = &tr.res.sockets[i];
        int s = find_socket(tr.sm, g->endpoint, g->generation);
        barinfo b;
        tl_tooltip tt;
        if (s < 0 || (int)g->outcome != outcome)
            continue;
        found++;
        tl_view_zoom_range(&v, g->created, (g->closed ? g->closed : tl_last_time(tr.t)) + 1);
        frame_lay(&fr, &v);
        bar_of(&fr, (uint32_t)s, &b);
        CHECK(phase_pos(&b, phase) >= 0);
        CHECK(b.ticks[tick] > 0);
        CHECK(tl_tooltip_at(&v, (uint32_t)s, 3999, &tt) == 0);
        CHECK_U64(tt.outcome, outcome == GEN_OUT_FAILED ? SOCK_OUTCOME_FAILED : SOCK_OUTCOME_ABORTED);
        if (outcome == GEN_OUT_FAILED)
            CHECK(tt.has_error && tt.error == g->error);
    }
    CHECK(found > 0);
cleanup:
    free(fr.p);
    tl_view_free(&v);
    trace_free(&tr);
}

/* pre-existing: the bar starts at the trace's first event with the pre-existing phase, whatever the zoom. */
static void test_pre_existing(void)
{
    trace tr;
    tl_view v;
    frame fr = {0};
    int found = 0;
    memset(&v, 0, sizeof v);
    trace_load(&tr, "pre-existing", 0);
    if (!tr.ok)
        goto cleanup;
    tl_view_init(&v, tr.t, 900, 2000, 18, 22, 24);
    CHECK(tl_view_sync(&v) == 0);
    for (int pass = 0; pass < 2; pass++) {
        if (pass) /* the whole trace in half a column: every phase starts in column 0 */
            tl_view_zoom_range(&v, tl_first_time(tr.t), tl_first_time(tr.t) + 1800 * (v.t1 - v.t0));
        frame_lay(&fr, &v);
        for (size_t i = 0; i < sock_model_count(tr.sm); i++) {
            const sock_info *si = sock_model_at(tr.sm, i);
            barinfo b;
            tl_tooltip tt;
            bar_of(&fr, (uint32_t)i, &b);
            if (!(si->flags & SOCK_F_PREEXISTING)) {
                CHECK(phase_pos(&b, TL_PH_PREEXISTING) < 0);
                continue;
            }
            found++;
            CHECK(b.x0 == 0);
            CHECK(b.nphases >= (pass ? 1 : 2) && b.phases[0] == TL_PH_PREEXISTING);
            CHECK(tl_tooltip_at(&v, (uint32_t)i, 0, &tt) == 0);
            CHECK_U64(tt.start, tl_first_time(tr.t));
            CHECK_U64(tt.phase, TL_PH_PREEXISTING);
        }
    }
    CHECK_U64(found, 4);
cleanup:
    free(fr.p);
    tl_view_free(&v);
    trace_free(&tr);
}

/* An empty store and model: a frame of axis ticks only, hits on nothing. */
static void test_empty(void)
{
    store *st = NULL;
    sock_model *sm = NULL;
    tl *t = NULL;
    tl_view v;
    frame fr = {0};
    tl_hit h;
    memset(&v, 0, sizeof v);
    CHECK(store_create(16, &st) == 0 && sock_model_create(&sm) == 0);
    if (!st || !sm)
        goto cleanup;
    sock_model_finish(sm);
    CHECK(tl_create(st, sm, &t) == 0);
    if (!t)
        goto cleanup;
    CHECK_U64(tl_group_count(t), 0);
    tl_view_init(&v, t, 300, 200, 18, 22, 24);
    CHECK(tl_view_sync(&v) == 0);
    CHECK_U64(v.nlines, 0);
    frame_lay(&fr, &v);
    CHECK(fr.n > 0 && count_type(&fr, TL_P_AXIS) == fr.n);
    tl_hit_test(&v, 10, 100, &h);
    CHECK(h.what == TL_HIT_NONE);
    CHECK(tl_view_reveal(&v, 0) == -1);
    tl_tooltip tt;
    CHECK(tl_tooltip_at(&v, 0, 10, &tt) == -1);
cleanup:
    free(fr.p);
    tl_view_free(&v);
    tl_destroy(t);
    sock_model_destroy(sm);
    store_destroy(st);
}

static void test_failed_and_aborted(void)
{
    check_terminal("refused", TL_PH_FAILED, TL_TICK_ERROR, GEN_OUT_FAILED);
    check_terminal("abort-by-afd", TL_PH_ABORTED, TL_TICK_ABORT, GEN_OUT_ABORTED);
}

static int name_order(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : *a, y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : *b;
        if (x != y || !x)
            return x - y;
    }
}

static size_t headers_in(const tl_view *v, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to && i < v->nlines; i++)
        n += (v->lines[i] & TL_LINE_HEADER) != 0;
    return n;
}

/* Groups by process, sockets by created time; rows off screen culled; collapsing hides a group's rows. */
static void test_groups_and_culling(void)
{
    trace tr;
    tl_view v;
    frame all = {0}, few = {0}, scrolled = {0};
    memset(&v, 0, sizeof v);
    trace_load(&tr, "all", 0);
    if (!tr.ok)
        goto cleanup;
    size_t ng = tl_group_count(tr.t), total = 0;
    const uint32_t *gs = tl_group_sockets(tr.t);
    CHECK(ng >= 3);
    for (size_t g = 0; g < ng; g++) {
        const tl_group *gr = tl_group_at(tr.t, g);
        total += gr->count;
        for (uint32_t k = 0; k < gr->count; k++) {
            const sock_info *s = sock_model_at(tr.sm, gs[gr->first + k]);
            CHECK(s->pid == gr->pid);
            CHECK(tl_group_of(tr.t, gs[gr->first + k]) == g);
            if (k)
                CHECK(sock_model_at(tr.sm, gs[gr->first + k - 1])->created <= s->created);
        }
        if (g + 1 < ng && gr->name && tl_group_at(tr.t, g + 1)->name)
            CHECK(name_order(gr->name, tl_group_at(tr.t, g + 1)->name) <= 0);
        if (gr->pid == 0)
            CHECK(g == ng - 1);
    }
    CHECK_U64(total, sock_model_count(tr.sm));

    tl_view_init(&v, tr.t, 800, 100000, 20, 20, 20);
    CHECK(tl_view_sync(&v) == 0);
    CHECK_U64(v.nlines, ng + sock_model_count(tr.sm));
    frame_lay(&all, &v);
    CHECK_U64(count_type(&all, TL_P_HEADER), ng);
    /* Five lines tall: the headers among the first five lines only. */
    v.height = 20 + 5 * 20;
    frame_lay(&few, &v);
    CHECK_U64(count_type(&few, TL_P_HEADER), headers_in(&v, 0, 5));
    CHECK(few.n < all.n);
    uint32_t first = gs[tl_group_at(tr.t, 0)->first];
    CHECK(count_ref(&few, first) > 0);
    tl_view_scroll(&v, 40); /* the header and the first socket go off the top */
    frame_lay(&scrolled, &v);
    CHECK_U64(count_ref(&scrolled, first), 0);
    CHECK_U64(count_type(&scrolled, TL_P_HEADER), headers_in(&v, 2, 7));
    CHECK(scrolled.n < all.n);
    CHECK(tl_socket_y(&v, first) == 20 + 20 - 40);
    /* Arrow keys: socket rows in display order, headers skipped, clamped at both ends. */
    {
        uint32_t order[4096];
        size_t ns = 0;
        for (size_t i = 0; i < v.nlines && ns < 4096; i++)
            if (!(v.lines[i] & TL_LINE_HEADER))
                order[ns++] = v.lines[i];
        CHECK(ns == sock_model_count(tr.sm) && ns > 3);
        CHECK_U64(tl_view_step(&v, TL_NONE, 1), order[0]);
        CHECK_U64(tl_view_step(&v, TL_NONE, -1), order[ns - 1]);
        for (size_t i = 0; i + 1 < ns; i++) {
            CHECK_U64(tl_view_step(&v, order[i], 1), order[i + 1]);
            CHECK_U64(tl_view_step(&v, order[i + 1], -1), order[i]);
        }
        CHECK_U64(tl_view_step(&v, order[ns - 1], 1), order[ns - 1]);
        CHECK_U64(tl_view_step(&v, order[0], -1), order[0]);
        CHECK_U64(tl_view_step(&v, order[0], 3), order[3]);
        CHECK_U64(tl_view_step(&v, order[1], -100), order[0]);
        CHECK_U64(tl_view_step(&v, order[0], 0), order[0]);
    }
    /* Collapsing the first group removes its rows from the lines. */
    size_t before = v.nlines;
    CHECK(tl_view_toggle_group(&v, 0) == 0);
    CHECK_U64(v.nlines, before - tl_group_at(tr.t, 0)->count);
    CHECK(tl_socket_y(&v, first) == INT32_MIN);
    /* Revealing a socket of a collapsed group expands it and scrolls it into view. */
    uint32_t last_of_first = gs[tl_group_at(tr.t, 0)->first + tl_group_at(tr.t, 0)->count - 1];
    v.scroll_y = 100000;
    tl_view_scroll(&v, 0);
    CHECK(tl_view_reveal(&v, last_of_first) == 0);
    CHECK_U64(v.nlines, before);
    int32_t y = tl_socket_y(&v, last_of_first);
    CHECK(y >= v.axis_h && y + v.row_h <= v.height);
cleanup:
    free(all.p);
    free(few.p);
    free(scrolled.p);
    tl_view_free(&v);
    trace_free(&tr);
}

/* Every column's tick kind in a frame against the kind worked out from the socket's rows one by one. */
static void check_ticks_exact(const frame *fr, const tl_view *v, const store *st, uint32_t sock, int connected)
{
    uint8_t want[4096], got[4096]; /* 1 send, 2 receive, 3 both; width <= 4096 */
    int32_t w = v->width;
    memset(want, 0, sizeof want);
    memset(got, 0, sizeof got);
    for (uint64_t r = 0; r < store_count(st); r++) {
        const store_row *row = store_row_at(st, r);
        const afd_event_schema *sc = afd_schema_find(row->id, 0);
        int32_t c = tl_col(v, row->time);
        if (row->socket != sock || !sc || c < 0 || c >= w)
            continue;
        want[c] |= (uint8_t)(((sc->ops & AFD_OP_SEND) ? 1 : 0) | ((sc->ops & AFD_OP_RECEIVE) ? 2 : 0));
    }
    for (size_t i = 0; i < fr->n; i++) {
        const tl_prim *p = &fr->p[i];
        if (p->type != TL_P_TICK || p->ref != sock)
            continue;
        for (int32_t x = p->x; x < p->x + p->w && x < w; x++)
            got[x] = p->kind == TL_TICK_SEND ? 1 : p->kind == TL_TICK_RECEIVE ? 2 : p->kind == TL_TICK_BOTH ? 3 : 4;
    }
    int bad = 0;
    for (int32_t x = 0; x < w; x++)
        if (want[x] != got[x] && bad++ < 3)
            fprintf(stderr, "column %d: tick %u, expected %u\n", x, got[x], want[x]);
    CHECK(bad == 0);
    /* A connected socket's bar: transferring exactly where there are sends or receives, idle elsewhere
     * (callers pass sockets connected from their first column to their close). */
    if (!connected)
        return;
    memset(got, 0xff, sizeof got);
    for (size_t i = 0; i < fr->n; i++) {
        const tl_prim *p = &fr->p[i];
        if (p->type == TL_P_BAR && p->ref == sock)
            for (int32_t x = p->x; x < p->x + p->w && x < w; x++)
                got[x] = p->kind;
    }
    bad = 0;
    for (int32_t x = 0; x < w; x++) {
        int ph = got[x] == 0xff ? -1 : got[x];
        int expect = want[x] ? TL_PH_TRANSFERRING : TL_PH_IDLE;
        if (ph >= 0 && ph != expect && bad++ < 3)
            fprintf(stderr, "column %d: phase %d, expected %d\n", x, ph, expect);
    }
    CHECK(bad == 0);
}

/* A socket with 10,000 events at 100 px: ticks cover at most 100 columns, in runs (a busy row is a few
 * primitives), and one bar rectangle per phase run; bars before ticks in the list. */
static void test_merging(void)
{
    synth s = {0};
    tl *t = NULL;
    tl_view v;
    frame fr = {0};
    barinfo b;
    memset(&v, 0, sizeof v);
    CHECK(store_create(1u << 20, &s.st) == 0 && sock_model_create(&s.sm) == 0);
    if (!s.st || !s.sm)
        goto cleanup;
    uint64_t t0 = 134130000000000000ull;
    uint64_t end = synth_client(&s, 0xffffb00000001000ull, 1234, t0, 10000, 37, 0);
    store_publish(s.st);
    sock_model_set_process_name(s.sm, 1234, "busy.exe");
    sock_model_finish(s.sm);
    CHECK_U64(sock_model_count(s.sm), 1);
    CHECK_U64(sock_model_at(s.sm, 0)->sends, 5000);
    CHECK(tl_create(s.st, s.sm, &t) == 0);
    if (!t)
        goto cleanup;
    tl_view_init(&v, t, 100, 200, 18, 22, 24);
    CHECK(tl_view_sync(&v) == 0);
    CHECK_U64(v.t1, end + 1);
    frame_lay(&fr, &v);
    bar_of(&fr, 0, &b);
    size_t ticks = b.ticks[TL_TICK_SEND] + b.ticks[TL_TICK_RECEIVE] + b.ticks[TL_TICK_BOTH];
    size_t cols = b.tickcols[TL_TICK_SEND] + b.tickcols[TL_TICK_RECEIVE] + b.tickcols[TL_TICK_BOTH];
    CHECK(cols <= 100);
    CHECK(cols >= 95); /* the I/O fills all but the first and last columns */
    CHECK(b.tickcols[TL_TICK_BOTH] >= 90);
    CHECK(ticks <= 5);
    CHECK(count_type(&fr, TL_P_BAR) <= 5);
    CHECK(!b.bar_after_tick);
    CHECK(fr.n <= 100 + 5 + 2 + 100 / 18 + 20);
    check_ticks_exact(&fr, &v, s.st, 0, 0);
    /* The tick stands for an event of its column. */
    for (size_t i = 0; i < fr.n; i++)
        if (fr.p[i].type == TL_P_TICK)
            CHECK(tl_col(&v, store_row_at(s.st, fr.p[i].row)->time) == fr.p[i].x);
    /* Zoomed 100 times around x = 50: the column count holds and ticks stay bounded by it. */
    tl_view_zoom(&v, 50, 100);
    frame_lay(&fr, &v);
    bar_of(&fr, 0, &b);
    CHECK(b.tickcols[TL_TICK_SEND] + b.tickcols[TL_TICK_RECEIVE] + b.tickcols[TL_TICK_BOTH] <= 100);
    CHECK(b.ticks[TL_TICK_SEND] > 0 && b.ticks[TL_TICK_RECEIVE] > 0);
    CHECK(!b.bar_after_tick);
    check_ticks_exact(&fr, &v, s.st, 0, 0);
cleanup:
    free(fr.p);
    tl_view_free(&v);
    tl_destroy(t);
    sock_model_destroy(s.sm);
    store_destroy(s.st);
}

/* Uneven activity: runs of sends and runs of receives of varying lengths at varying gaps, so that columns
 * hold only sends, only receives or both, and their counts differ from one column to the next. Each
 * column's tick must be what its rows say, at widths where a column holds a few events, tens, hundreds. */
static void test_uneven_columns(void)
{
    synth s = {0};
    tl *t = NULL;
    tl_view v;
    frame fr = {0};
    uint64_t ep = 0xffffb00000002000ull, tm = 134130000000000000ull;
    memset(&v, 0, sizeof v);
    CHECK(store_create(1u << 20, &s.st) == 0 && sock_model_create(&s.sm) == 0);
    if (!s.st || !s.sm)
        goto cleanup;
    synth_event(&s, 1000, 0, ep, 77, 0, 0, tm);
    synth_event(&s, 1017, 1, ep, 77, 0, 0, tm += 100);
    for (uint32_t k = 0, run = 0, len = 7; k < 30000; k++) {
        if (++run >= len) {
            run = 0;
            len = 1 + (k * 7919u) % 400;
        }
        synth_event(&s, (len & 1) ? 1003 : 1004, 1, ep, 77, 0, 10, tm += 1 + (k * 104729u) % 60);
    }
    synth_event(&s, 1001, 1, ep, 77, 0, 0, tm += 100);
    store_publish(s.st);
    sock_model_finish(s.sm);
    CHECK(tl_create(s.st, s.sm, &t) == 0);
    if (!t)
        goto cleanup;
    tl_view_init(&v, t, 100, 200, 18, 22, 24);
    CHECK(tl_view_sync(&v) == 0);
    static const int32_t widths[] = {4000, 3333, 1000, 700, 97, 13, 1};
    for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
        v.width = widths[k];
        tl_view_fit_all(&v);
        frame_lay(&fr, &v);
        check_ticks_exact(&fr, &v, s.st, 0, 1);
        tl_view_zoom(&v, widths[k] / 3.0, 1.7);
        frame_lay(&fr, &v);
        check_ticks_exact(&fr, &v, s.st, 0, 1);
    }
cleanup:
    free(fr.p);
    tl_view_free(&v);
    tl_destroy(t);
    sock_model_destroy(s.sm);
    store_destroy(s.st);
}

/* The filter: a socket field shows exactly its sockets; an event field shows the sockets with a matching
 * event, and only matching events draw ticks. */
static void test_filter_rule(void)
{
    trace tr;
    tl_view v;
    frame fr = {0};
    filt *f = NULL;
    filt_error fe;
    char text[64];
    memset(&v, 0, sizeof v);
    trace_load(&tr, "all", 0);
    if (!tr.ok)
        goto cleanup;
    filt_ctx c = {tr.st, tr.sm, tl_last_time(tr.t), NULL, NULL};
    uint32_t pid = tl_group_at(tr.t, 0)->pid;
    size_t n = sock_model_count(tr.sm), shown = 0;

    snprintf(text, sizeof text, "socket.pid == %u", pid);
    CHECK(filt_compile(text, &f, &fe) == 0);
    CHECK(tl_set_filter(tr.t, f, &c) == 0);
    for (uint32_t s = 0; s < n; s++) {
        CHECK(tl_socket_shown(tr.t, s) == (sock_model_at(tr.sm, s)->pid == pid));
        shown += tl_socket_shown(tr.t, s) != 0;
    }
    tl_view_init(&v, tr.t, 800, 100000, 20, 20, 20);
    CHECK(tl_view_sync(&v) == 0);
    CHECK_U64(v.nlines, shown + 1);
    CHECK_U64(tl_group_at(tr.t, 0)->shown, shown);
    frame_lay(&fr, &v);
    size_t socket_ticks = 0;
    for (size_t i = 0; i < fr.n; i++)
        if (fr.p[i].type == TL_P_TICK || fr.p[i].type == TL_P_BAR) {
            socket_ticks += fr.p[i].type == TL_P_TICK;
            CHECK(sock_model_at(tr.sm, fr.p[i].ref)->pid == pid);
        }
    CHECK(socket_ticks > 0); /* a socket condition makes all of its events match */
    filt_free(f);
    f = NULL;

    /* Shown by an event match: the sockets with at least one receive. */
    CHECK(filt_compile("event == receive", &f, &fe) == 0);
    CHECK(filt_uses_event_fields(f));
    CHECK(tl_set_filter(tr.t, f, &c) == 0);
    uint8_t *want = calloc(n + 1, 1);
    for (uint64_t r = 0; want && r < store_count(tr.st); r++) {
        const store_row *row = store_row_at(tr.st, r);
        const afd_event_schema *sc = afd_schema_find(row->id, 0);
        int m = (row->flags & STORE_ROW_AFD) && sc && (sc->ops & AFD_OP_RECEIVE);
        CHECK(tl_event_matches(tr.t, r) == m);
        if (m && row->socket < n)
            want[row->socket] = 1;
    }
    shown = 0;
    for (uint32_t s = 0; want && s < n; s++) {
        CHECK(tl_socket_shown(tr.t, s) == want[s]);
        shown += want[s];
    }
    free(want);
    CHECK(shown > 0 && shown < n);
    CHECK(tl_view_sync(&v) == 0);
    frame_lay(&fr, &v);
    size_t ticks = 0;
    for (size_t i = 0; i < fr.n; i++)
        if (fr.p[i].type == TL_P_TICK) {
            ticks++;
            CHECK(fr.p[i].kind == TL_TICK_RECEIVE || fr.p[i].kind == TL_TICK_ERROR);
            CHECK(tl_event_matches(tr.t, fr.p[i].row));
        }
    CHECK(ticks > 0);
    /* Sockets without a match have no line; sockets hidden keep bars out of the frame. */
    for (uint32_t s = 0; s < n; s++)
        if (!tl_socket_shown(tr.t, s))
            CHECK(tl_socket_y(&v, s) == INT32_MIN && count_ref(&fr, s) == 0);
    /* No filter: everything again. */
    CHECK(tl_set_filter(tr.t, NULL, &c) == 0);
    CHECK(tl_view_sync(&v) == 0);
    CHECK_U64(v.nlines, tl_group_count(tr.t) + n);
cleanup:
    filt_free(f);
    free(fr.p);
    tl_view_free(&v);
    trace_free(&tr);
}

static int same_frame(const frame *a, const frame *b)
{
    if (a->n != b->n)
        return 0;
    for (size_t i = 0; i < a->n; i++) {
        const tl_prim *p = &a->p[i], *q = &b->p[i];
        if (p->x != q->x || p->y != q->y || p->w != q->w || p->h != q->h || p->ref != q->ref ||
            p->type != q->type || p->kind != q->kind || p->time != q->time || p->row != q->row)
            return 0;
    }
    return 1;
}

typedef struct build_job {
    const tl *t;
    filt *f;
    const filt_ctx *c;
    const uint32_t *rows;
    uint64_t n;
    tl_filter *out;
} build_job;

static int build_job_main(void *arg)
{
    build_job *j = arg;
    return tl_filter_build(j->t, j->f, j->c, j->rows, j->n, &j->out);
}

/* The filter built apart (the list's filter job does it on its thread from the rows it selected, in the
 * order its sort left them): while it is built the index draws as before; applied, it draws what
 * tl_set_filter makes of the same filter; one built for another index changes nothing; NULL is no filter. */
static void test_filter_built_apart(void)
{
    trace tr;
    tl_view v, v2;
    frame before = {0}, fr = {0}, want = {0};
    filt *f = NULL;
    filt_error fe;
    tl *t2 = NULL;
    tl_filter *foreign = NULL;
    uint32_t *rows = NULL;
    plat_thread *th = NULL;
    build_job job;
    memset(&v, 0, sizeof v);
    memset(&v2, 0, sizeof v2);
    trace_load(&tr, "all", 0);
    if (!tr.ok)
        goto cleanup;
    filt_ctx c = {tr.st, tr.sm, tl_last_time(tr.t), NULL, NULL};
    uint64_t nrows = store_count(tr.st), kept;
    uint64_t mem = tl_memory(tr.t);
    CHECK(filt_compile("event == receive", &f, &fe) == 0);
    rows = malloc((size_t)nrows * sizeof *rows);
    CHECK(f && rows);
    if (!f || !rows)
        goto cleanup;
    kept = filt_select(f, &c, 0, nrows, rows);
    CHECK(kept > 0 && kept < nrows);
    for (uint64_t a = 0, z = kept - 1; a < z; a++, z--) { /* a sort's order: any order will do */
        uint32_t x = rows[a];
        rows[a] = rows[z];
        rows[z] = x;
    }
    tl_view_init(&v, tr.t, 800, 100000, 20, 20, 20);
    CHECK(tl_view_sync(&v) == 0);
    frame_lay(&before, &v);
    memset(&job, 0, sizeof job);
    job.t = tr.t;
    job.f = f;
    job.c = &c;
    job.rows = rows;
    job.n = kept;
    CHECK(plat_thread_start(&th, build_job_main, &job, "tl filter test") == 0);
    for (int k = 0; k < 20; k++) { /* drawn meanwhile, as before */
        frame_lay(&fr, &v);
        CHECK(same_frame(&fr, &before));
    }
    CHECK(plat_thread_join(th) == 0);
    CHECK(job.out != NULL);
    frame_lay(&fr, &v);
    CHECK(same_frame(&fr, &before));
    CHECK_U64(tl_memory(tr.t), mem);
    /* the same filter through tl_set_filter on a second index of the trace */
    CHECK(tl_create(tr.st, tr.sm, &t2) == 0);
    if (!t2)
        goto cleanup;
    CHECK(tl_set_filter(t2, f, &c) == 0);
    tl_view_init(&v2, t2, 800, 100000, 20, 20, 20);
    CHECK(tl_view_sync(&v2) == 0);
    frame_lay(&want, &v2);
    tl_filter_apply(tr.t, job.out);
    CHECK(tl_view_sync(&v) == 0);
    frame_lay(&fr, &v);
    CHECK(same_frame(&fr, &want));
    CHECK(!same_frame(&fr, &before));
    CHECK(tl_memory(tr.t) > mem);
    for (uint64_t r = 0; r < nrows; r++)
        CHECK(tl_event_matches(tr.t, r) == tl_event_matches(t2, r));
    for (size_t g = 0; g < tl_group_count(tr.t); g++)
        CHECK_U64(tl_group_at(tr.t, g)->shown, tl_group_at(t2, g)->shown);
    /* built for t2: refused */
    CHECK(tl_filter_build(t2, f, &c, NULL, 0, &foreign) == 0);
    tl_filter_apply(tr.t, foreign);
    CHECK(tl_view_sync(&v) == 0);
    frame_lay(&fr, &v);
    CHECK(same_frame(&fr, &want));
    /* none */
    tl_filter_apply(tr.t, NULL);
    CHECK(tl_view_sync(&v) == 0);
    frame_lay(&fr, &v);
    CHECK(same_frame(&fr, &before));
    CHECK_U64(tl_memory(tr.t), mem);
cleanup:
    filt_free(f);
    free(rows);
    free(before.p);
    free(fr.p);
    free(want.p);
    tl_view_free(&v);
    tl_view_free(&v2);
    tl_destroy(t2);
    trace_free(&tr);
}

/* Row y -> socket -> y, headers, bars, ticks and empty row area. */
static void test_hit_testing(void)
{
    trace tr;
    tl_view v;
    frame fr = {0};
    tl_hit h;
    size_t checked = 0, ticks = 0;
    memset(&v, 0, sizeof v);
    trace_load(&tr, "all", 0);
    if (!tr.ok)
        goto cleanup;
    tl_view_init(&v, tr.t, 1200, 100000, 16, 20, 24);
    CHECK(tl_view_sync(&v) == 0);
    tl_view_scroll(&v, 30);
    for (size_t i = 0; i < v.nlines; i++) {
        uint32_t line = v.lines[i];
        int32_t y = (int32_t)(v.axis_h + v.line_y[i] - v.scroll_y);
        if (y < v.axis_h)
            continue;
        tl_hit_test(&v, 600, y + 3, &h);
        if (line & TL_LINE_HEADER) {
            CHECK(h.what == TL_HIT_HEADER && h.group == (line & ~TL_LINE_HEADER));
            continue;
        }
        CHECK(h.socket == line);
        CHECK(h.what != TL_HIT_HEADER && h.what != TL_HIT_NONE);
        CHECK(tl_socket_y(&v, h.socket) == y);
        checked++;
    }
    CHECK(checked + tl_group_count(tr.t) >= v.nlines - 2);
    /* A bar's middle is the bar; left of a late socket's bar is the empty row. */
    frame_lay(&fr, &v);
    for (size_t i = 0; i < fr.n; i++) {
        const tl_prim *p = &fr.p[i];
        if (p->type == TL_P_BAR && p->x > 10 && p->w > 20) {
            tl_hit_test(&v, p->x + p->w / 2 + 0.5, p->y + 1, &h);
            CHECK(h.socket == p->ref && (h.what == TL_HIT_BAR || h.what == TL_HIT_TICK));
            tl_hit_test(&v, p->x - 12, p->y + 1, &h);
            CHECK(h.socket == p->ref);
        }
        if (p->type == TL_P_TICK && ticks < 200) {
            ticks++;
            tl_hit_test(&v, p->x + 0.5, p->y + p->h / 2, &h);
            CHECK(h.what == TL_HIT_TICK && h.socket == p->ref);
            if (h.what == TL_HIT_TICK) {
                int32_t c = tl_col(&v, store_row_at(tr.st, h.row)->time);
                CHECK(c >= p->x - 4 && c <= p->x + 4);
                CHECK(store_row_at(tr.st, h.row)->socket == p->ref);
            }
        }
    }
    CHECK(ticks > 0);
    tl_hit_test(&v, 100, 5, &h);
    CHECK(h.what == TL_HIT_AXIS);
    CHECK(h.time == tl_x_to_time(&v, 100));
    tl_hit_test(&v, -1, 50, &h);
    CHECK(h.what == TL_HIT_NONE);
    /* Below the last line. */
    v.scroll_y = 0;
    tl_hit_test(&v, 10, (double)(v.axis_h + v.line_y[v.nlines] + 5), &h);
    CHECK(h.what == TL_HIT_NONE);
cleanup:
    free(fr.p);
    tl_view_free(&v);
    trace_free(&tr);
}

/* Zoom around x keeps the time at x; pan there and back returns; zoom to a range is that range; axis steps
 * follow the 1-2-5 series and sit on multiples of the step; gap markers where events were lost. */
static void test_zoom_pan_axis_gaps(void)
{
    trace tr;
    tl_view v;
    frame fr = {0};
    memset(&v, 0, sizeof v);
    trace_load(&tr, "all", 4);
    if (!tr.ok)
        goto cleanup;
    tl_view_init(&v, tr.t, 1000, 600, 16, 20, 24);
    CHECK(tl_view_sync(&v) == 0);
    static const double xs[] = {0, 1, 333.5, 999};
    static const double fs[] = {2, 1.25, 10, 0.5, 1000};
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < 5; k++) {
            tl_view_fit_all(&v);
            tl_view_zoom(&v, 500, 4); /* away from the trace's start, so zooming out is not clamped at 0 */
            uint64_t before = tl_x_to_time(&v, xs[i]);
            tl_view_zoom(&v, xs[i], fs[k]);
            uint64_t after = tl_x_to_time(&v, xs[i]);
            CHECK((before > after ? before - after : after - before) <= 1);
        }
    tl_view_fit_all(&v);
    uint64_t t0 = v.t0, t1 = v.t1;
    tl_view_zoom(&v, 0, 8);
    CHECK_U64(v.t0, t0);
    CHECK(v.t1 - v.t0 >= (t1 - t0) / 8 - 1 && v.t1 - v.t0 <= (t1 - t0) / 8 + 1);
    uint64_t z0 = v.t0 + 1000000;
    v.t0 = z0;
    v.t1 = z0 + 50000000;
    tl_view_pan(&v, 250);
    CHECK_U64(v.t0, z0 - 12500000);
    tl_view_pan(&v, -250);
    CHECK_U64(v.t0, z0);
    CHECK_U64(v.t1, z0 + 50000000);
    tl_view_zoom_range(&v, t0 + 5000, t0 + 2000);
    CHECK_U64(v.t0, t0 + 2000);
    CHECK_U64(v.t1, t0 + 5000);

    /* 1 s over 1000 px with labels at least 90 px apart: 100 ms steps (90 ms needed), minor ticks 20 ms. */
    v.axis_origin = 0;
    v.t0 = t0;
    v.t1 = t0 + 10000000;
    CHECK_U64(tl_axis_step(&v), 1000000);
    v.t1 = t0 + 100000000; /* 10 s: 0.9 s needed -> 1 s */
    CHECK_U64(tl_axis_step(&v), 10000000);
    v.t1 = t0 + 100; /* 10 us: 9 ticks -> 1 us */
    CHECK_U64(tl_axis_step(&v), 10);
    v.t1 = t0 + 10; /* 1 us: 0.9 tick -> 100 ns */
    CHECK_U64(tl_axis_step(&v), 1);
    v.t1 = t0 + 30000000; /* 3 s: 0.27 s -> 0.5 s */
    CHECK_U64(tl_axis_step(&v), 5000000);
    frame_lay(&fr, &v);
    size_t labelled = 0, minor = 0;
    for (size_t i = 0; i < fr.n; i++)
        if (fr.p[i].type == TL_P_AXIS) {
            CHECK(fr.p[i].time >= v.t0 && fr.p[i].time < v.t1);
            CHECK_U64(fr.p[i].x, expect_col(fr.p[i].time, v.t0, v.t1, 1000));
            if (fr.p[i].kind) {
                labelled++;
                CHECK_U64(fr.p[i].time % 5000000, 0);
            } else {
                minor++;
                CHECK_U64(fr.p[i].time % 1000000, 0);
            }
        }
    CHECK(labelled == 6 || labelled == 7);
    CHECK(minor >= 23 && minor <= 25);
    /* Relative to the trace's start: labels at t0 + k * 0.5 s. */
    v.axis_origin = t0;
    frame_lay(&fr, &v);
    CHECK(fr.n > 0);
    for (size_t i = 0; i < fr.n; i++)
        if (fr.p[i].type == TL_P_AXIS && fr.p[i].kind)
            CHECK_U64((fr.p[i].time - t0) % 5000000, 0);

    /* Gaps: one marker per column holding a lost mark, at that column. */
    tl_view_fit_all(&v);
    frame_lay(&fr, &v);
    int32_t cols[64];
    size_t ncols = 0;
    for (uint64_t r = 0; r < store_count(tr.st); r++) {
        const store_row *row = store_row_at(tr.st, r);
        if (!(row->flags & STORE_ROW_LOST))
            continue;
        int32_t c = expect_col(row->time, v.t0, v.t1, 1000);
        if ((!ncols || cols[ncols - 1] != c) && ncols < 64)
            cols[ncols++] = c;
    }
    CHECK(ncols >= 2);
    CHECK_U64(count_type(&fr, TL_P_GAP), ncols);
    for (size_t i = 0, k = 0; i < fr.n; i++)
        if (fr.p[i].type == TL_P_GAP) {
            CHECK(k < ncols && fr.p[i].x == cols[k]);
            CHECK(store_row_at(tr.st, fr.p[i].row)->flags & STORE_ROW_LOST);
            k++;
        }
    /* The cursor line and the selection. */
    v.cursor = (v.t0 + v.t1) / 2;
    v.selected = tl_group_sockets(tr.t)[0];
    frame_lay(&fr, &v);
    CHECK_U64(count_type(&fr, TL_P_CURSOR), 1);
    CHECK_U64(count_type(&fr, TL_P_SELECTION), 1);
    CHECK(fr.p[0].type == TL_P_SELECTION && fr.p[0].y == tl_socket_y(&v, v.selected));
    for (size_t i = 0; i < fr.n; i++)
        if (fr.p[i].type == TL_P_CURSOR)
            CHECK_U64(fr.p[i].x, expect_col(v.cursor, v.t0, v.t1, 1000));
cleanup:
    free(fr.p);
    tl_view_free(&v);
    trace_free(&tr);
}

/* Rows out of time order (a file-order load): a socket's rows come back sorted, and the frame is right. */
static void test_out_of_order(void)
{
    synth s = {0};
    tl *t = NULL;
    tl_view v;
    frame fr = {0};
    uint64_t ep = 0xffffb00000003000ull, tm = 134130000000000000ull;
    memset(&v, 0, sizeof v);
    CHECK(store_create(1u << 16, &s.st) == 0 && sock_model_create(&s.sm) == 0);
    if (!s.st || !s.sm)
        goto cleanup;
    synth_event(&s, 1000, 0, ep, 77, 0, 0, tm);
    synth_event(&s, 1017, 1, ep, 77, 0, 0, tm + 10);
    for (uint32_t k = 0; k < 997; k++) /* 389 is prime to 997: every slot once, out of order */
        synth_event(&s, (k % 3) ? 1003 : 1004, 1, ep, 77, 0, 10, tm + 100 + (k * 389u % 997u) * 1000);
    synth_event(&s, 1001, 1, ep, 77, 0, 0, tm + 2000000);
    store_publish(s.st);
    sock_model_finish(s.sm);
    CHECK(tl_create(s.st, s.sm, &t) == 0);
    if (!t)
        goto cleanup;
    size_t n = 0;
    const uint32_t *rows = tl_socket_rows(t, 0, &n);
    CHECK_U64(n, 1000);
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += rows[i];
        if (i)
            CHECK(store_row_at(s.st, rows[i - 1])->time <= store_row_at(s.st, rows[i])->time);
    }
    CHECK_U64(sum, 999u * 1000u / 2);
    tl_view_init(&v, t, 640, 200, 18, 22, 24);
    CHECK(tl_view_sync(&v) == 0);
    for (int k = 0; k < 3; k++) {
        frame_lay(&fr, &v);
        check_ticks_exact(&fr, &v, s.st, 0, 1);
        tl_view_zoom(&v, 200, 3);
    }
cleanup:
    free(fr.p);
    tl_view_free(&v);
    tl_destroy(t);
    sock_model_destroy(s.sm);
    store_destroy(s.st);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_bars_where_times_say), CHECK_CASE(test_phase_order),
        CHECK_CASE(test_failed_and_aborted),   CHECK_CASE(test_groups_and_culling),
        CHECK_CASE(test_merging),              CHECK_CASE(test_filter_rule),
        CHECK_CASE(test_hit_testing),          CHECK_CASE(test_zoom_pan_axis_gaps),
        CHECK_CASE(test_pre_existing),         CHECK_CASE(test_empty),
        CHECK_CASE(test_uneven_columns),       CHECK_CASE(test_out_of_order),
        CHECK_CASE(test_filter_built_apart),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
