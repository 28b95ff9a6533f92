/*
 * tl.c - the timeline's layout, level of detail and hit testing (see tl.h).
 *
 * Per socket, its entries (store rows) sit contiguously in time order with a
 * copy of their times, so a column's events are found by galloping from the
 * previous column instead of reading the 48-byte store rows. Each entry has a
 * class byte: the low nibble says what the event is (send, receive, error,
 * abort), the high nibble the same bits when the current filter matches it.
 * One OR of the class bytes per 64 entries lets a column holding thousands of
 * events be summarised in a few dozen loads, and in a busy row the previous
 * column's count guesses where the next column starts (one cache line when
 * the guess holds). Rows are 32-bit store indices, as filt_select's are.
 */
#include "wsk/tl.h"
#include "wsk/afd.h"
#include "wsk/nts.h"

#include <stdlib.h>
#include <string.h>

enum { C_SEND = 1, C_RECV = 2, C_ERR = 4, C_ABORT = 8, C_RAW = 0x0F, C_MATCH_SHIFT = 4 };
#define BLK_SHIFT 6
#define BLK (1u << BLK_SHIFT)
#define MIN_SPAN 10u                   /* 1 us: the narrowest view */
#define MAX_SPAN 100000000000000ull    /* about 115 days: keeps span * width inside 64 bits */
#define MAX_SEGS (SOCK_MAX_TRANSITIONS + 2)
#define SELECT_CHUNK 65536u
#define PREFETCH_COLS 8u

#if defined(__GNUC__) || defined(__clang__)
#define TL_PREFETCH(p) __builtin_prefetch(p)
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
#include <xmmintrin.h>
#define TL_PREFETCH(p) _mm_prefetch((const char *)(p), _MM_HINT_T0)
#else
#define TL_PREFETCH(p) ((void)(p))
#endif

struct tl {
    const store *st;
    const sock_model *sm;
    uint32_t nsock;
    uint64_t nrows;
    uint64_t first, last;
    uint64_t *start;   /* [nsock + 1] into the entries */
    uint32_t *ent;     /* store rows, per socket in time order */
    uint64_t *etime;
    size_t nent;
    uint64_t *lost_time; /* rows marked STORE_ROW_LOST, by time */
    uint32_t *lost_row;
    size_t nlost;
    tl_group *groups;
    size_t ngroups;
    uint32_t *gsock;   /* sockets grouped */
    uint32_t *group_of;
    /* Without a filter: every socket shown, every event matching. Built once and never changed, so a
     * tl_filter_build on another thread reads them while this thread draws. */
    uint8_t *cls_all, *blk_all, *shown_all;
    /* The current filter's (tl_filter_apply swaps them), or the arrays above. */
    uint8_t *cls;
    uint8_t *blk;      /* OR of cls per BLK entries */
    uint8_t *shown;
    uint8_t *match;    /* bit per store row; NULL = all match */
    tl_filter *filter; /* owns cls, blk, shown and match when not NULL */
};

struct tl_filter {
    const tl *of;
    uint8_t *cls, *blk, *shown, *match;
    uint32_t *group_shown;
};

/* ------------------------------------------------------------------ build */

static uint8_t class_of(const store_row *r)
{
    const afd_event_schema *s;
    uint8_t c = 0;
    if (!(r->flags & STORE_ROW_AFD))
        return 0;
    s = afd_schema_find(r->id, 0);
    if (!s)
        return 0;
    if (s->ops & AFD_OP_SEND)
        c |= C_SEND;
    if (s->ops & AFD_OP_RECEIVE)
        c |= C_RECV;
    if (s->ops & AFD_OP_ABORT)
        c |= C_ABORT;
    if (s->ops & AFD_OP_FAIL)
        c |= C_ERR;
    if ((r->flags & STORE_ROW_HAS_STATUS) && s->status_kind == AFD_STATUS_NTSTATUS &&
        nts_outcome(r->status) == NTS_ERROR)
        c |= C_ERR;
    return c;
}

typedef struct pair {
    uint64_t time;
    uint32_t row;
} pair;

static int pair_cmp(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Store order is time order when the file was read in time order; a file-order load is not, so sort
 * what is out of order (rare, hence the temporary array). */
static int sort_by_time(uint64_t *times, uint32_t *rows, size_t n)
{
    size_t i;
    pair *p;
    for (i = 1; i < n && times[i - 1] <= times[i]; i++)
        ;
    if (i >= n)
        return 0;
    p = malloc(n * sizeof *p);
    if (!p)
        return -1;
    for (i = 0; i < n; i++) {
        p[i].time = times[i];
        p[i].row = rows[i];
    }
    qsort(p, n, sizeof *p, pair_cmp);
    for (i = 0; i < n; i++) {
        times[i] = p[i].time;
        rows[i] = p[i].row;
    }
    free(p);
    return 0;
}

typedef struct gkey {
    const char *name;
    uint64_t created;
    uint32_t pid;
    uint32_t sock;
} gkey;

static int name_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? -1 : b ? 1 : 0; /* named groups before unnamed ones */
    for (;; a++, b++) {
        int x = (*a >= 'A' && *a <= 'Z') ? *a + 32 : (unsigned char)*a;
        int y = (*b >= 'A' && *b <= 'Z') ? *b + 32 : (unsigned char)*b;
        if (x != y || !x)
            return x - y;
    }
}

static int gkey_cmp(const void *pa, const void *pb)
{
    const gkey *a = pa, *b = pb;
    int c;
    if ((a->pid == 0) != (b->pid == 0))
        return a->pid == 0 ? 1 : -1;
    c = name_cmp(a->name, b->name);
    if (c)
        return c;
    if (a->pid != b->pid)
        return a->pid < b->pid ? -1 : 1;
    if (a->created != b->created)
        return a->created < b->created ? -1 : 1;
    return a->sock < b->sock ? -1 : a->sock > b->sock;
}

static int build_groups(tl *t)
{
    gkey *k = malloc((t->nsock ? t->nsock : 1) * sizeof *k);
    uint32_t i;
    int rc = -1;
    if (!k)
        return -1;
    for (i = 0; i < t->nsock; i++) {
        const sock_info *s = sock_model_at(t->sm, i);
        k[i].pid = s->pid;
        k[i].name = s->pid ? sock_model_process_name(t->sm, s->pid) : NULL;
        k[i].created = s->created;
        k[i].sock = i;
    }
    qsort(k, t->nsock, sizeof *k, gkey_cmp);
    t->ngroups = 0;
    for (i = 0; i < t->nsock; i++)
        if (i == 0 || k[i].pid != k[i - 1].pid)
            t->ngroups++;
    t->groups = calloc(t->ngroups ? t->ngroups : 1, sizeof *t->groups);
    if (!t->groups)
        goto cleanup;
    t->ngroups = 0;
    for (i = 0; i < t->nsock; i++) {
        tl_group *g;
        if (i == 0 || k[i].pid != k[i - 1].pid) {
            g = &t->groups[t->ngroups++];
            g->pid = k[i].pid;
            g->name = k[i].name;
            g->first = i;
        }
        g = &t->groups[t->ngroups - 1];
        g->count++;
        t->gsock[i] = k[i].sock;
        t->group_of[k[i].sock] = (uint32_t)(t->ngroups - 1);
    }
    rc = 0;
cleanup:
    free(k);
    return rc;
}

static void build_blocks(const uint8_t *cls, size_t nent, uint8_t *blk)
{
    size_t b, nb = (nent + BLK - 1) / BLK;
    for (b = 0; b < nb; b++) {
        size_t i, end = (b + 1) * BLK < nent ? (b + 1) * BLK : nent;
        uint8_t o = 0;
        for (i = b * BLK; i < end; i++)
            o |= cls[i];
        blk[b] = o;
    }
}

void tl_destroy(tl *t)
{
    if (!t)
        return;
    tl_filter_free(t->filter);
    free(t->start);
    free(t->ent);
    free(t->etime);
    free(t->cls_all);
    free(t->blk_all);
    free(t->lost_time);
    free(t->lost_row);
    free(t->groups);
    free(t->gsock);
    free(t->group_of);
    free(t->shown_all);
    free(t);
}

int tl_create(const store *events, const sock_model *sockets, tl **out)
{
    tl *t = calloc(1, sizeof *t);
    uint64_t r, *fill = NULL;
    size_t nlost = 0, i;
    pair *lp = NULL;
    int rc = -1;

    if (!t)
        return -1;
    t->st = events;
    t->sm = sockets;
    t->nsock = (uint32_t)sock_model_count(sockets);
    t->nrows = store_count(events);
    t->start = calloc((size_t)t->nsock + 1, sizeof *t->start);
    fill = malloc(((size_t)t->nsock + 1) * sizeof *fill);
    t->gsock = malloc(((size_t)t->nsock + 1) * sizeof *t->gsock);
    t->group_of = malloc(((size_t)t->nsock + 1) * sizeof *t->group_of);
    t->shown = t->shown_all = malloc((size_t)t->nsock + 1);
    if (!t->start || !fill || !t->gsock || !t->group_of || !t->shown)
        goto cleanup;

    /* Counting sort by socket: counts, offsets, then a stable fill. */
    for (r = 0; r < t->nrows; r++) {
        const store_row *row = store_row_at(events, r);
        if (r == 0 || row->time < t->first)
            t->first = row->time;
        if (row->time > t->last)
            t->last = row->time;
        if (row->socket < t->nsock)
            t->start[row->socket + 1]++;
        if (row->flags & STORE_ROW_LOST)
            nlost++;
    }
    for (i = 0; i < t->nsock; i++)
        t->start[i + 1] += t->start[i];
    t->nent = (size_t)t->start[t->nsock];
    t->ent = malloc((t->nent ? t->nent : 1) * sizeof *t->ent);
    t->etime = malloc((t->nent ? t->nent : 1) * sizeof *t->etime);
    t->cls = t->cls_all = malloc(t->nent ? t->nent : 1);
    t->blk = t->blk_all = malloc(t->nent / BLK + 1);
    t->lost_time = malloc((nlost ? nlost : 1) * sizeof *t->lost_time);
    t->lost_row = malloc((nlost ? nlost : 1) * sizeof *t->lost_row);
    lp = malloc((nlost ? nlost : 1) * sizeof *lp);
    if (!t->ent || !t->etime || !t->cls || !t->blk || !t->lost_time || !t->lost_row || !lp)
        goto cleanup;
    memcpy(fill, t->start, ((size_t)t->nsock + 1) * sizeof *fill);
    for (r = 0; r < t->nrows; r++) {
        const store_row *row = store_row_at(events, r);
        if (row->flags & STORE_ROW_LOST) {
            lp[t->nlost].time = row->time;
            lp[t->nlost++].row = (uint32_t)r;
        }
        if (row->socket < t->nsock) {
            uint64_t k = fill[row->socket]++;
            t->ent[k] = (uint32_t)r;
            t->etime[k] = row->time;
        }
    }
    for (i = 0; i < t->nsock; i++) {
        size_t a = (size_t)t->start[i], n = (size_t)(t->start[i + 1] - t->start[i]);
        if (sort_by_time(t->etime + a, t->ent + a, n) != 0)
            goto cleanup;
    }
    for (i = 0; i < t->nent; i++)
        t->cls[i] = (uint8_t)(class_of(store_row_at(events, t->ent[i])) * 0x11);
    qsort(lp, t->nlost, sizeof *lp, pair_cmp);
    for (i = 0; i < t->nlost; i++) {
        t->lost_time[i] = lp[i].time;
        t->lost_row[i] = lp[i].row;
    }
    build_blocks(t->cls, t->nent, t->blk);
    memset(t->shown, 1, (size_t)t->nsock + 1);
    if (build_groups(t) != 0)
        goto cleanup;
    for (i = 0; i < t->ngroups; i++)
        t->groups[i].shown = t->groups[i].count;
    *out = t;
    t = NULL;
    rc = 0;
cleanup:
    free(fill);
    free(lp);
    tl_destroy(t);
    return rc;
}

/* ----------------------------------------------------------------- filter */

void tl_filter_free(tl_filter *tf)
{
    if (!tf)
        return;
    free(tf->cls);
    free(tf->blk);
    free(tf->shown);
    free(tf->match);
    free(tf->group_shown);
    free(tf);
}

int tl_filter_build(const tl *t, filt *f, const filt_ctx *c, const uint32_t *rows, uint64_t n,
                    tl_filter **out)
{
    tl_filter *tf = calloc(1, sizeof *tf);
    uint64_t k;
    size_t i;

    if (!tf)
        return -1;
    tf->of = t;
    tf->shown = malloc((size_t)t->nsock + 1);
    tf->match = calloc((size_t)(t->nrows / 8 + 1), 1);
    tf->cls = malloc(t->nent ? t->nent : 1);
    tf->blk = malloc(t->nent / BLK + 1);
    tf->group_shown = malloc((t->ngroups ? t->ngroups : 1) * sizeof *tf->group_shown);
    if (!tf->shown || !tf->match || !tf->cls || !tf->blk || !tf->group_shown) {
        tl_filter_free(tf);
        return -1;
    }
    for (i = 0; i < t->nsock; i++)
        tf->shown[i] = filt_match_socket(f, c, (uint32_t)i) != 0;
    tf->shown[t->nsock] = 0;
    for (k = 0; k < n; k++)
        if (rows[k] < t->nrows)
            tf->match[rows[k] >> 3] |= (uint8_t)(1u << (rows[k] & 7));
    if (filt_uses_event_fields(f)) {
        for (k = 0; k < n; k++) {
            uint32_t s = rows[k] < t->nrows ? store_row_at(t->st, rows[k])->socket : UINT32_MAX;
            if (s < t->nsock)
                tf->shown[s] = 1;
        }
    }
    for (i = 0; i < t->nent; i++) {
        uint32_t r = t->ent[i];
        uint8_t raw = t->cls_all[i] & C_RAW;
        tf->cls[i] = (uint8_t)(raw | ((tf->match[r >> 3] >> (r & 7) & 1) ? raw << C_MATCH_SHIFT : 0));
    }
    build_blocks(tf->cls, t->nent, tf->blk);
    for (i = 0; i < t->ngroups; i++) {
        const tl_group *g = &t->groups[i];
        tf->group_shown[i] = 0;
        for (uint32_t s = 0; s < g->count; s++)
            tf->group_shown[i] += tf->shown[t->gsock[g->first + s]];
    }
    *out = tf;
    return 0;
}

void tl_filter_apply(tl *t, tl_filter *tf)
{
    size_t i;

    if (tf && tf->of != t) {
        tl_filter_free(tf);
        return;
    }
    tl_filter_free(t->filter);
    t->filter = tf;
    t->cls = tf ? tf->cls : t->cls_all;
    t->blk = tf ? tf->blk : t->blk_all;
    t->shown = tf ? tf->shown : t->shown_all;
    t->match = tf ? tf->match : NULL;
    for (i = 0; i < t->ngroups; i++)
        t->groups[i].shown = tf ? tf->group_shown[i] : t->groups[i].count;
}

int tl_set_filter(tl *t, filt *f, const filt_ctx *c)
{
    uint32_t *rows = NULL;
    tl_filter *tf = NULL;
    uint64_t from, n = 0;
    int rc = -1;

    if (f) {
        rows = malloc((size_t)(t->nrows ? t->nrows : 1) * sizeof *rows);
        if (!rows)
            goto cleanup;
        for (from = 0; from < t->nrows; from += SELECT_CHUNK) {
            uint64_t to = t->nrows - from > SELECT_CHUNK ? from + SELECT_CHUNK : t->nrows;
            n += filt_select(f, c, from, to, rows + n);
        }
        if (tl_filter_build(t, f, c, rows, n, &tf) != 0)
            goto cleanup;
    }
    tl_filter_apply(t, tf);
    rc = 0;
cleanup:
    free(rows);
    return rc;
}

int tl_socket_shown(const tl *t, uint32_t sock)
{
    return sock < t->nsock && t->shown[sock];
}

int tl_event_matches(const tl *t, uint64_t row)
{
    if (row >= t->nrows)
        return 0;
    return !t->match || (t->match[row >> 3] >> (row & 7) & 1);
}

size_t tl_group_count(const tl *t)
{
    return t->ngroups;
}

const tl_group *tl_group_at(const tl *t, size_t g)
{
    return g < t->ngroups ? &t->groups[g] : NULL;
}

const uint32_t *tl_group_sockets(const tl *t)
{
    return t->gsock;
}

uint32_t tl_group_of(const tl *t, uint32_t sock)
{
    return sock < t->nsock ? t->group_of[sock] : TL_NONE;
}

uint64_t tl_first_time(const tl *t)
{
    return t->first;
}

uint64_t tl_last_time(const tl *t)
{
    return t->last;
}

const uint32_t *tl_socket_rows(const tl *t, uint32_t sock, size_t *n)
{
    if (sock >= t->nsock) {
        *n = 0;
        return NULL;
    }
    *n = (size_t)(t->start[sock + 1] - t->start[sock]);
    return t->ent + t->start[sock];
}

uint64_t tl_memory(const tl *t)
{
    return sizeof *t + ((uint64_t)t->nsock + 1) * (sizeof *t->start + sizeof *t->gsock + sizeof *t->group_of + 1) +
           (uint64_t)t->nent * (sizeof *t->ent + sizeof *t->etime + 1) + t->nent / BLK + 1 +
           t->nlost * (sizeof *t->lost_time + sizeof *t->lost_row) + t->ngroups * sizeof *t->groups +
           (t->filter ? (uint64_t)t->nsock + 1 + t->nrows / 8 + 1 + t->nent + t->nent / BLK + 1 +
                            t->ngroups * sizeof *t->filter->group_shown
                      : 0);
}

/* ------------------------------------------------------------------- view */

static uint64_t span_of(const tl_view *v)
{
    return v->t1 > v->t0 ? v->t1 - v->t0 : 1;
}

static int32_t view_w(const tl_view *v)
{
    return v->width > 0 ? v->width : 1;
}

static int64_t area_h(const tl_view *v)
{
    return v->height > v->axis_h ? v->height - v->axis_h : 0;
}

void tl_view_init(tl_view *v, const tl *t, int32_t width, int32_t height, int32_t row_h, int32_t header_h,
                  int32_t axis_h)
{
    memset(v, 0, sizeof *v);
    v->model = t;
    v->width = width;
    v->height = height;
    v->row_h = row_h > 0 ? row_h : 1;
    v->header_h = header_h > 0 ? header_h : 1;
    v->axis_h = axis_h > 0 ? axis_h : 0;
    v->selected = TL_NONE;
    tl_view_fit_all(v);
}

void tl_view_free(tl_view *v)
{
    free(v->collapsed);
    free(v->lines);
    free(v->line_y);
    free(v->sock_line);
    v->collapsed = NULL;
    v->lines = NULL;
    v->line_y = NULL;
    v->sock_line = NULL;
    v->nlines = v->lines_cap = v->ngroups = 0;
}

int tl_view_sync(tl_view *v)
{
    const tl *t = v->model;
    size_t n = 0, g;
    int64_t y = 0;
    if (!v->lines) {
        size_t cap = t->ngroups + t->nsock;
        uint8_t *collapsed = calloc(t->ngroups + 1, 1);
        uint32_t *lines = malloc((cap + 1) * sizeof *lines);
        int64_t *line_y = malloc((cap + 1) * sizeof *line_y);
        uint32_t *sock_line = malloc(((size_t)t->nsock + 1) * sizeof *sock_line);
        if (!collapsed || !lines || !line_y || !sock_line) {
            free(collapsed);
            free(lines);
            free(line_y);
            free(sock_line);
            return -1;
        }
        v->collapsed = collapsed;
        v->lines = lines;
        v->line_y = line_y;
        v->sock_line = sock_line;
        v->lines_cap = cap;
        v->ngroups = t->ngroups;
    }
    for (size_t s = 0; s < t->nsock; s++)
        v->sock_line[s] = TL_NONE;
    for (g = 0; g < t->ngroups; g++) {
        const tl_group *gr = &t->groups[g];
        if (!gr->shown)
            continue;
        v->line_y[n] = y;
        v->lines[n++] = TL_LINE_HEADER | (uint32_t)g;
        y += v->header_h;
        if (v->collapsed[g])
            continue;
        for (uint32_t k = 0; k < gr->count; k++) {
            uint32_t s = t->gsock[gr->first + k];
            if (!t->shown[s])
                continue;
            v->line_y[n] = y;
            v->sock_line[s] = (uint32_t)n;
            v->lines[n++] = s;
            y += v->row_h;
        }
    }
    v->line_y[n] = y;
    v->nlines = n;
    tl_view_scroll(v, 0);
    return 0;
}

int tl_view_toggle_group(tl_view *v, size_t g)
{
    if (g >= v->ngroups)
        return -1;
    v->collapsed[g] = !v->collapsed[g];
    return tl_view_sync(v);
}

static void set_range(tl_view *v, uint64_t t0, uint64_t span)
{
    if (span < MIN_SPAN)
        span = MIN_SPAN;
    if (span > MAX_SPAN)
        span = MAX_SPAN;
    if (t0 > UINT64_MAX - span)
        t0 = UINT64_MAX - span;
    v->t0 = t0;
    v->t1 = t0 + span;
}

void tl_view_fit_all(tl_view *v)
{
    /* + 1: the last event's column is then inside the view (col(t1) == width). */
    set_range(v, v->model->first, v->model->last - v->model->first + 1);
}

/* Rounded to the nearest 100 ns, inside what a view can hold (no libm in the core). */
static uint64_t time_of(double t)
{
    if (!(t > 0))
        return 0;
    if (t >= 18446744073709549568.0)
        return UINT64_MAX - MAX_SPAN;
    return (uint64_t)(t + 0.5);
}

static int32_t floor_px(double x)
{
    int32_t i;
    if (x <= -2147483648.0)
        return INT32_MIN;
    if (x >= 2147483647.0)
        return INT32_MAX;
    i = (int32_t)x;
    return (double)i > x ? i - 1 : i;
}

void tl_view_zoom(tl_view *v, double x, double factor)
{
    double w = view_w(v), span = (double)span_of(v), at, nspan;
    if (!(factor > 0))
        return;
    at = (double)v->t0 + x * span / w;
    nspan = span / factor;
    if (nspan < MIN_SPAN)
        nspan = MIN_SPAN;
    if (nspan > (double)MAX_SPAN)
        nspan = (double)MAX_SPAN;
    set_range(v, time_of(at - x * nspan / w), time_of(nspan));
}

void tl_view_pan(tl_view *v, double dx)
{
    double t0 = (double)v->t0 - dx * (double)span_of(v) / view_w(v);
    set_range(v, time_of(t0), span_of(v));
}

void tl_view_zoom_range(tl_view *v, uint64_t a, uint64_t b)
{
    if (b < a) {
        uint64_t c = a;
        a = b;
        b = c;
    }
    set_range(v, a, b - a);
}

void tl_view_scroll(tl_view *v, int64_t dy)
{
    int64_t content = v->line_y ? v->line_y[v->nlines] : 0;
    int64_t max = content > area_h(v) ? content - area_h(v) : 0;
    v->scroll_y += dy;
    if (v->scroll_y > max)
        v->scroll_y = max;
    if (v->scroll_y < 0)
        v->scroll_y = 0;
}

int tl_view_reveal(tl_view *v, uint32_t sock)
{
    const tl *t = v->model;
    uint32_t g, line;
    int64_t y;
    if (sock >= t->nsock || !t->shown[sock] || !v->sock_line)
        return -1;
    g = t->group_of[sock];
    if (v->collapsed[g]) {
        v->collapsed[g] = 0;
        if (tl_view_sync(v) != 0)
            return -1;
    }
    line = v->sock_line[sock];
    if (line == TL_NONE)
        return -1;
    y = v->line_y[line];
    if (y < v->scroll_y)
        v->scroll_y = y;
    else if (y + v->row_h > v->scroll_y + area_h(v))
        v->scroll_y = y + v->row_h - area_h(v);
    tl_view_scroll(v, 0);
    return 0;
}

uint32_t tl_view_step(const tl_view *v, uint32_t sock, int delta)
{
    int64_t n = (int64_t)v->nlines, i, found = -1, left = delta < 0 ? -(int64_t)delta : delta;
    int dir = delta < 0 ? -1 : 1;
    if (sock < v->model->nsock && v->sock_line && v->sock_line[sock] != TL_NONE) {
        i = found = v->sock_line[sock];
    } else {
        i = dir < 0 ? n : -1; /* just outside the lines: the first step lands on the first or last socket */
        left = left ? left : 1;
    }
    while (left > 0 && i + dir >= 0 && i + dir < n) {
        i += dir;
        if (!(v->lines[i] & TL_LINE_HEADER)) {
            found = i;
            left--;
        }
    }
    return found < 0 ? TL_NONE : v->lines[found];
}

double tl_time_to_x(const tl_view *v, uint64_t t)
{
    double d = t >= v->t0 ? (double)(t - v->t0) : -(double)(v->t0 - t);
    return d * view_w(v) / (double)span_of(v);
}

uint64_t tl_x_to_time(const tl_view *v, double x)
{
    return time_of((double)v->t0 + x * (double)span_of(v) / view_w(v));
}

int32_t tl_col(const tl_view *v, uint64_t t)
{
    if (t < v->t0)
        return -1;
    if (t >= v->t1)
        return view_w(v);
    return (int32_t)((t - v->t0) * (uint64_t)view_w(v) / span_of(v));
}

/* The first time whose column is c or more. */
static uint64_t col_start(const tl_view *v, int32_t c)
{
    uint64_t w = (uint64_t)view_w(v);
    if (c <= 0)
        return c < 0 ? 0 : v->t0;
    return v->t0 + ((uint64_t)c * span_of(v) + w - 1) / w;
}

int32_t tl_socket_y(const tl_view *v, uint32_t sock)
{
    int64_t y;
    if (!v->sock_line || sock >= v->model->nsock || v->sock_line[sock] == TL_NONE)
        return INT32_MIN;
    y = v->axis_h + v->line_y[v->sock_line[sock]] - v->scroll_y;
    return y < INT32_MIN + 1 ? INT32_MIN + 1 : y > INT32_MAX ? INT32_MAX : (int32_t)y;
}

/* ------------------------------------------------------------ level of detail */

/* First index in [i, end) whose time is >= t, galloping from i (the next column is usually near). */
static size_t gallop(const uint64_t *time, size_t i, size_t end, uint64_t t)
{
    size_t step = 1, lo = i, hi;
    if (i >= end || time[i] >= t)
        return i;
    while (lo + step < end && time[lo + step] < t) {
        lo += step;
        step *= 2;
    }
    hi = lo + step < end ? lo + step : end;
    lo++; /* time[lo - 1] < t */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (time[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* OR of n class bytes, eight at a time (a busy column's few dozen bytes were a byte loop's worth of time). */
static uint8_t or_bytes(const uint8_t *p, size_t n)
{
    uint64_t o = 0, x;
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        memcpy(&x, p + k, 8);
        o |= x;
    }
    for (; k < n; k++)
        o |= p[k];
    o |= o >> 32;
    o |= o >> 16;
    o |= o >> 8;
    return (uint8_t)o;
}

static uint8_t or_range(const tl *t, size_t i, size_t j)
{
    size_t a = (i + BLK - 1) & ~(size_t)(BLK - 1), z = j & ~(size_t)(BLK - 1);
    uint8_t o;
    if (a >= z)
        return or_bytes(t->cls + i, j - i);
    o = (uint8_t)(or_bytes(t->cls + i, a - i) | or_bytes(t->cls + z, j - z));
    for (; a < z; a += BLK)
        o |= t->blk[a >> BLK_SHIFT];
    return o;
}

/* Walks the columns of a socket's row that hold events, one column at a time. */
typedef struct walk {
    const tl *t;
    const tl_view *v;
    size_t i, end;
    size_t last_n; /* events in the previous column: the guess for the next one in a busy row */
    int32_t last_col;
} walk;

static void walk_init(walk *w, const tl_view *v, uint32_t sock, int32_t from, int32_t to)
{
    const tl *t = v->model;
    w->t = t;
    w->v = v;
    w->end = (size_t)t->start[sock + 1];
    w->i = gallop(t->etime, (size_t)t->start[sock], w->end, col_start(v, from));
    w->last_n = 0;
    w->last_col = to;
}

/* First index in [i, end) whose time is >= t when about n entries precede it: one or two cache lines
 * touched when the guess holds (a busy row's columns hold similar counts), a gallop when it does not. */
static size_t guess_then_gallop(const uint64_t *time, size_t i, size_t end, uint64_t t, size_t n)
{
    size_t g = i + n, lo, hi;
    if (n < 32 || g >= end)
        return gallop(time, i, end, t);
    if (time[g] < t)
        return gallop(time, g, end, t);
    if (time[g - 1] < t)
        return g;
    lo = i; /* time[i] < t is known; time[g - 1] >= t */
    hi = g - 1;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (time[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Next column with events: its column, the OR of their classes and the first entry. 0 when done. */
static int walk_next(walk *w, int32_t *col, uint8_t *bits, size_t *first)
{
    const uint64_t *time = w->t->etime;
    uint64_t bound;
    int32_t c;
    size_t j, lim;
    uint8_t o = 0;
    if (w->i >= w->end)
        return 0;
    c = tl_col(w->v, time[w->i]);
    if (c > w->last_col)
        return 0;
    bound = c + 1 >= view_w(w->v) ? w->v->t1 : col_start(w->v, c + 1);
    if (w->last_n >= 32) {
        j = guess_then_gallop(time, w->i, w->end, bound, w->last_n);
        o = or_range(w->t, w->i, j);
    } else {
        /* A few events per column is the common case: scan them; gallop and use the blocks past that. */
        lim = w->end - w->i > 32 ? w->i + 32 : w->end;
        for (j = w->i; j < lim && time[j] < bound; j++)
            o |= w->t->cls[j];
        if (j == lim && j < w->end && time[j] < bound) {
            size_t k = gallop(time, j, w->end, bound);
            o |= or_range(w->t, j, k);
            j = k;
        }
    }
    *col = c;
    *bits = o;
    *first = w->i;
    w->last_n = j - w->i;
    w->i = j;
    /* A busy row reads its times and classes a column at a time, each a cache miss in a socket's megabytes:
     * ask for the ones a few columns ahead now, so that the misses overlap instead of following each other. */
    if (w->last_n >= 8 && j + PREFETCH_COLS * w->last_n < w->end) {
        TL_PREFETCH(time + j + PREFETCH_COLS * w->last_n);
        TL_PREFETCH(w->t->cls + j + PREFETCH_COLS * w->last_n);
    }
    return 1;
}

/* A socket's bar: its phases as (first column, phase), columns strictly increasing. */
typedef struct bar {
    int32_t from, to; /* columns, inclusive, unclipped (may lie outside the view) */
    uint64_t start, end;
    int n;
    int pinned; /* the first segment keeps its column (a pre-existing socket's start always shows) */
    int32_t col[MAX_SEGS];
    uint8_t phase[MAX_SEGS];
    uint64_t time[MAX_SEGS];
} bar;

static int phase_of_state(uint8_t st)
{
    switch (st) {
    case SOCK_CONNECTING: return TL_PH_CONNECTING;
    case SOCK_CONNECTED: return TL_PH_IDLE;
    case SOCK_LISTENING: return TL_PH_LISTENING;
    case SOCK_CLOSING: return TL_PH_CLOSING;
    case SOCK_ABORTED: return TL_PH_ABORTED;
    case SOCK_FAILED: return TL_PH_FAILED;
    case SOCK_CLOSED: return -1;
    default: return TL_PH_CREATED;
    }
}

static void bar_add(bar *b, const tl_view *v, uint64_t time, int phase)
{
    int32_t c = tl_col(v, time);
    if (phase < 0 || (b->n && b->phase[b->n - 1] == phase))
        return;
    if (b->pinned && b->n && c <= b->col[0] && b->col[0] < view_w(v))
        c = b->col[0] + 1;
    /* The latest phase starting in a column takes it. */
    if (b->n && b->col[b->n - 1] >= c)
        b->n--;
    if (b->n && b->phase[b->n - 1] == phase)
        return;
    b->col[b->n] = c;
    b->time[b->n] = time;
    b->phase[b->n++] = (uint8_t)phase;
}

static void bar_build(const tl_view *v, uint32_t sock, bar *b)
{
    const tl *t = v->model;
    const sock_info *s = sock_model_at(t->sm, sock);
    b->n = 0;
    b->pinned = 0;
    b->start = s->created;
    b->end = (s->flags & SOCK_F_CLOSED) ? s->closed : t->last;
    if (s->flags & SOCK_F_PREEXISTING) {
        b->start = t->first < s->created ? t->first : s->created;
        bar_add(b, v, b->start, TL_PH_PREEXISTING);
        b->pinned = 1;
    }
    if (!s->ntransitions || s->transitions[0].time > s->created)
        bar_add(b, v, s->created, s->ntransitions ? TL_PH_CREATED : phase_of_state(s->state));
    for (unsigned k = 0; k < s->ntransitions; k++)
        bar_add(b, v, s->transitions[k].time, phase_of_state(s->transitions[k].state));
    if (!b->n)
        bar_add(b, v, b->start, TL_PH_CREATED);
    if (b->end < b->start)
        b->end = b->start;
    b->from = b->start < v->t0 ? -1 : tl_col(v, b->start);
    b->to = tl_col(v, b->end);
    b->col[0] = b->from; /* the first phase starts the bar, even when it begins before the view */
}

static int bar_phase_at(const bar *b, int32_t c)
{
    int k = 0;
    while (k + 1 < b->n && b->col[k + 1] <= c)
        k++;
    return b->phase[k];
}

/* The frame being written. Bar runs go straight into the array; a row's ticks are parked at its end and
 * moved after the row's bars when the row is done, so that bars never cover ticks whatever the order the
 * caller draws in. Adjacent columns of one phase (bars) or one tick kind (ticks) merge into one primitive. */
typedef struct emitter {
    const tl *t;
    tl_prim *p;
    size_t cap, n;
    size_t nticks; /* parked at p[cap - 1 - k] */
    int32_t y, h;
    uint32_t sock;
    int run_phase, tick_kind;
    int32_t run_x0, run_x1, tick_x0, tick_x1;
    size_t tick_entry; /* its event's entry: the row is read once per tick, not once per column */
} emitter;

static void put(tl_prim *p, uint8_t type, uint8_t kind, int32_t x, int32_t y, int32_t w, int32_t h, uint32_t ref,
                uint64_t time, uint64_t row)
{
    p->x = x;
    p->y = y;
    p->w = w;
    p->h = h;
    p->ref = ref;
    p->type = type;
    p->kind = kind;
    p->time = time;
    p->row = row;
}

static void emit(emitter *o, uint8_t type, uint8_t kind, int32_t x, int32_t y, int32_t w, int32_t h, uint32_t ref,
                 uint64_t time, uint64_t row)
{
    if (o->n + o->nticks < o->cap)
        put(&o->p[o->n], type, kind, x, y, w, h, ref, time, row);
    o->n++;
}

static void run_flush(emitter *o)
{
    if (o->run_phase >= 0)
        emit(o, TL_P_BAR, (uint8_t)o->run_phase, o->run_x0, o->y, o->run_x1 - o->run_x0, o->h, o->sock, 0, 0);
    o->run_phase = -1;
}

static void run_push(emitter *o, int phase, int32_t x0, int32_t x1)
{
    if (x1 <= x0)
        return;
    if (o->run_phase == phase && o->run_x1 == x0) {
        o->run_x1 = x1;
        return;
    }
    run_flush(o);
    o->run_phase = phase;
    o->run_x0 = x0;
    o->run_x1 = x1;
}

static void tick_flush(emitter *o)
{
    if (o->tick_kind >= 0) {
        if (o->n + o->nticks < o->cap)
            put(&o->p[o->cap - 1 - o->nticks], TL_P_TICK, (uint8_t)o->tick_kind, o->tick_x0, o->y,
                o->tick_x1 - o->tick_x0, o->h, o->sock, o->t->etime[o->tick_entry], o->t->ent[o->tick_entry]);
        o->nticks++;
    }
    o->tick_kind = -1;
}

static void tick_push(emitter *o, int kind, int32_t c, size_t entry)
{
    if (o->tick_kind == kind && o->tick_x1 == c) {
        o->tick_x1 = c + 1;
        return;
    }
    tick_flush(o);
    o->tick_kind = kind;
    o->tick_x0 = c;
    o->tick_x1 = c + 1;
    o->tick_entry = entry;
}

/* Moves the parked ticks, in order, after the row's bars. When the frame does not fit, counts only. */
static void row_end(emitter *o)
{
    tick_flush(o);
    if (o->n + o->nticks <= o->cap && o->nticks) {
        tl_prim *a = o->p + o->cap - o->nticks, *z = o->p + o->cap - 1, tmp;
        for (; a < z; a++, z--) {
            tmp = *a;
            *a = *z;
            *z = tmp;
        }
        memmove(o->p + o->n, o->p + o->cap - o->nticks, o->nticks * sizeof *o->p);
    }
    o->n += o->nticks;
    o->nticks = 0;
}

/* Columns [a, b) of the bar without sends or receives: the phases alone. */
static void bar_span(emitter *o, const bar *b, int32_t a, int32_t e)
{
    int k = 0;
    while (a < e) {
        int32_t next;
        while (k + 1 < b->n && b->col[k + 1] <= a)
            k++;
        next = k + 1 < b->n && b->col[k + 1] < e ? b->col[k + 1] : e;
        run_push(o, b->phase[k], a, next);
        a = next;
    }
}

static int activity_phase(int phase)
{
    return phase == TL_PH_IDLE || phase == TL_PH_CREATED ? TL_PH_TRANSFERRING : phase;
}

static void layout_row(const tl_view *v, uint32_t sock, int32_t y, emitter *o)
{
    static const uint8_t want[TL_TICK_COUNT] = {C_SEND, C_RECV, C_SEND | C_RECV, C_ERR, C_ABORT};
    const tl *t = v->model;
    bar b;
    walk w;
    int32_t c, cb, ce, next, wpx = view_w(v);
    uint8_t bits;
    size_t first;

    bar_build(v, sock, &b);
    o->y = y;
    o->h = v->row_h;
    o->sock = sock;
    o->run_phase = -1;
    o->tick_kind = -1;
    cb = b.from < 0 ? 0 : b.from;
    ce = b.to >= wpx ? wpx - 1 : b.to;
    next = cb;
    /* One walk over the columns holding events: bars between them by phase, ticks where they match. */
    walk_init(&w, v, sock, 0, wpx - 1);
    while (walk_next(&w, &c, &bits, &first)) {
        uint8_t m = bits >> C_MATCH_SHIFT;
        int kind;
        if ((bits & (C_SEND | C_RECV)) && c >= cb && c <= ce) {
            bar_span(o, &b, next, c);
            run_push(o, activity_phase(bar_phase_at(&b, c)), c, c + 1);
            next = c + 1;
        }
        if (!m)
            continue;
        kind = (m & C_ERR)                    ? TL_TICK_ERROR
               : (m & C_ABORT)                ? TL_TICK_ABORT
               : (m & C_SEND) && (m & C_RECV) ? TL_TICK_BOTH
               : (m & C_SEND)                 ? TL_TICK_SEND
                                              : TL_TICK_RECEIVE;
        if (o->tick_kind == kind && o->tick_x1 == c) {
            o->tick_x1 = c + 1; /* the run goes on */
            continue;
        }
        /* The event the tick stands for: the first in the column with the winning class. */
        while (!((t->cls[first] >> C_MATCH_SHIFT) & want[kind]))
            first++;
        tick_push(o, kind, c, first);
    }
    if (cb <= ce) {
        bar_span(o, &b, next, ce + 1);
        run_flush(o);
    }
    row_end(o);
}

static uint64_t pow10u(int e)
{
    uint64_t p = 1;
    while (e-- > 0)
        p *= 10;
    return p;
}

uint64_t tl_axis_step(const tl_view *v)
{
    double need = (double)(v->label_px > 0 ? v->label_px : 90) * (double)span_of(v) / view_w(v);
    static const uint64_t m[3] = {1, 2, 5};
    for (int e = 0; e < 16; e++)
        for (int k = 0; k < 3; k++)
            if ((double)(m[k] * pow10u(e)) >= need)
                return m[k] * pow10u(e);
    return 10000000000000000ull;
}

static uint64_t minor_step(uint64_t step)
{
    uint64_t s = step;
    while (s >= 10 && s % 10 == 0)
        s /= 10;
    if (s == 2)
        return step / 2;
    return step >= 5 ? step / 5 : step;
}

size_t tl_layout_bound(const tl_view *v)
{
    int32_t minh = v->row_h < v->header_h ? v->row_h : v->header_h;
    size_t rows = (size_t)(area_h(v) / (minh > 0 ? minh : 1)) + 2;
    size_t w = (size_t)view_w(v);
    /* per row: bars and ticks, one each per column; gaps; axis ticks at >= 1 px; selection and cursor */
    return rows * 2 * w + w + w + 2;
}

size_t tl_layout(const tl_view *v, tl_prim *prims, size_t cap)
{
    const tl *t = v->model;
    emitter o;
    size_t lo, hi, i;
    int32_t w = view_w(v), ah = (int32_t)area_h(v);
    int64_t bottom = v->scroll_y + area_h(v);

    memset(&o, 0, sizeof o);
    o.t = t;
    o.p = prims;
    o.cap = cap;
    if (v->selected != TL_NONE) {
        int32_t y = tl_socket_y(v, v->selected);
        if (y != INT32_MIN && y + v->row_h > v->axis_h && y < v->height)
            emit(&o, TL_P_SELECTION, 0, 0, y, w, v->row_h, v->selected, 0, 0);
    }
    /* Rows off screen are culled: the first line whose bottom is below the scroll offset. */
    lo = 0;
    hi = v->nlines;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->line_y[mid + 1] <= v->scroll_y)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (i = lo; i < v->nlines && v->line_y[i] < bottom; i++) {
        int32_t y = (int32_t)(v->axis_h + v->line_y[i] - v->scroll_y);
        uint32_t line = v->lines[i];
        if (line & TL_LINE_HEADER) {
            uint32_t g = line & ~TL_LINE_HEADER;
            emit(&o, TL_P_HEADER, v->collapsed[g], 0, y, w, v->header_h, g, 0, 0);
        } else {
            layout_row(v, line, y, &o);
        }
    }
    /* Gap markers, one per column at most. */
    i = gallop(t->lost_time, 0, t->nlost, v->t0);
    while (i < t->nlost && t->lost_time[i] < v->t1) {
        int32_t c = tl_col(v, t->lost_time[i]);
        emit(&o, TL_P_GAP, 0, c, v->axis_h, 1, ah, TL_NONE, t->lost_time[i], t->lost_row[i]);
        i = gallop(t->lost_time, i, t->nlost, c + 1 >= w ? v->t1 : col_start(v, c + 1));
    }
    if (v->cursor && v->cursor >= v->t0 && v->cursor < v->t1)
        emit(&o, TL_P_CURSOR, 0, tl_col(v, v->cursor), v->axis_h, 1, ah, TL_NONE, v->cursor, 0);
    {
        uint64_t step = tl_axis_step(v), minor = minor_step(step), org = v->axis_origin, tk;
        int32_t prev = -1;
        if (org > v->t0) /* an origin after the view: the step multiple at or before t0 */
            org -= (org - v->t0 + step - 1) / step * step;
        for (tk = org + (v->t0 - org + minor - 1) / minor * minor; tk < v->t1 && tk >= org; tk += minor) {
            int32_t c = tl_col(v, tk);
            int labelled = (tk - org) % step == 0;
            if (c == prev)
                continue;
            prev = c;
            emit(&o, TL_P_AXIS, (uint8_t)labelled, c, labelled ? 0 : v->axis_h / 2, 1,
                 labelled ? v->axis_h : v->axis_h - v->axis_h / 2, TL_NONE, tk, 0);
        }
    }
    return o.n;
}

/* ------------------------------------------------------------ hit testing */

/* The nearest entry drawn as a tick within [a, b] of time `at`, or SIZE_MAX. */
static size_t nearest_tick(const tl *t, uint32_t sock, uint64_t at, uint64_t a, uint64_t b)
{
    size_t s = (size_t)t->start[sock], e = (size_t)t->start[sock + 1];
    size_t mid = gallop(t->etime, s, e, at), best = SIZE_MAX, i;
    uint64_t bestd = UINT64_MAX;
    unsigned budget;
    for (i = mid, budget = 4096; i < e && t->etime[i] <= b && budget; i++, budget--)
        if (t->cls[i] >> C_MATCH_SHIFT) {
            best = i;
            bestd = t->etime[i] - at;
            break;
        }
    for (i = mid, budget = 4096; i > s && t->etime[i - 1] >= a && budget; i--, budget--)
        if (t->cls[i - 1] >> C_MATCH_SHIFT) {
            if (at - t->etime[i - 1] <= bestd)
                best = i - 1;
            break;
        }
    return best;
}

void tl_hit_test(const tl_view *v, double x, double y, tl_hit *out)
{
    const tl *t = v->model;
    int64_t cy;
    size_t lo, hi;
    uint32_t line;
    memset(out, 0, sizeof *out);
    out->what = TL_HIT_NONE;
    out->group = TL_NONE;
    out->socket = TL_NONE;
    if (x < 0 || x >= v->width || y < 0 || y >= v->height)
        return;
    out->time = tl_x_to_time(v, x);
    if (y < v->axis_h) {
        out->what = TL_HIT_AXIS;
        return;
    }
    cy = (int64_t)floor_px(y) - v->axis_h + v->scroll_y;
    if (!v->line_y || cy >= v->line_y[v->nlines])
        return;
    lo = 0;
    hi = v->nlines;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->line_y[mid + 1] <= cy)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= v->nlines)
        return;
    line = v->lines[lo];
    if (line & TL_LINE_HEADER) {
        out->what = TL_HIT_HEADER;
        out->group = line & ~TL_LINE_HEADER;
        return;
    }
    out->socket = line;
    out->group = t->group_of[line];
    out->what = TL_HIT_ROW;
    {
        double tol = v->hit_px > 0 ? v->hit_px : 3;
        size_t k = nearest_tick(t, line, out->time, tl_x_to_time(v, x - tol), tl_x_to_time(v, x + tol + 1));
        bar b;
        int32_t c = floor_px(x);
        if (k != SIZE_MAX) {
            out->what = TL_HIT_TICK;
            out->row = t->ent[k];
            return;
        }
        bar_build(v, line, &b);
        if (c >= b.from && c <= b.to)
            out->what = TL_HIT_BAR;
    }
}

int tl_tooltip_at(const tl_view *v, uint32_t sock, double x, tl_tooltip *out)
{
    const tl *t = v->model;
    const sock_info *s;
    bar b;
    int32_t c = floor_px(x);
    size_t i, j;
    if (sock >= t->nsock)
        return -1;
    s = sock_model_at(t->sm, sock);
    bar_build(v, sock, &b);
    memset(out, 0, sizeof *out);
    out->socket = sock;
    out->pid = s->pid;
    out->process = s->pid ? sock_model_process_name(t->sm, s->pid) : NULL;
    out->phase = (uint8_t)bar_phase_at(&b, c < b.from ? b.from : c > b.to ? b.to : c);
    i = gallop(t->etime, (size_t)t->start[sock], (size_t)t->start[sock + 1], col_start(v, c));
    j = gallop(t->etime, i, (size_t)t->start[sock + 1], c + 1 >= view_w(v) ? v->t1 : col_start(v, c + 1));
    out->transferring = c >= b.from && c <= b.to && (or_range(t, i, j) & (C_SEND | C_RECV)) != 0;
    out->outcome = s->outcome;
    out->has_error = (s->flags & SOCK_F_HAS_ERROR) != 0;
    out->error = s->error;
    out->start = b.start;
    out->end = b.end;
    out->duration = b.end - b.start;
    out->bytes_sent = s->bytes_sent;
    out->bytes_received = s->bytes_received;
    out->sends = s->sends;
    out->receives = s->receives;
    return 0;
}
