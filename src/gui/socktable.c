/*
 * socktable.c - the socket table (see socktable.h). Failures come first because that is what a
 * support engineer opens a trace for: failed and aborted sockets, then sockets that saw an error,
 * then the rest, each group by the time the socket was opened.
 *
 * Threading design: a loaded trace's order (the default one, and a header click's) is sorted by a job
 * thread ("wskview socket order", 20-40 ms under Wine for 47,807 sockets), which reads only the socket
 * model (nobody writes it once the trace is done) and the key copied at its start, and posts
 * STAB_MSG_ORDER; the UI thread then joins it and swaps the array in. Until then the table shows the
 * previous order (the model's own at first), so it is usable at once. One job at a time: a click while one
 * runs is remembered and sorted when it ends. A capture's table is sorted on the UI thread, under the
 * capture's lock (its model changes between the UI's reads).
 */
#include "socktable.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uxtheme.h>

#include <wsk/nts.h>
#include <wsk/plat.h>

#include "eventlist.h"
#include "utf.h"

static const evl_column_def stab_columns[STAB_COL_COUNT] = {
    {L"Process", 150, LVCFMT_LEFT},
    {L"Protocol", 64, LVCFMT_LEFT},
    {L"Local", 150, LVCFMT_LEFT},
    {L"Remote", 150, LVCFMT_LEFT},
    {L"State", 80, LVCFMT_LEFT},
    {L"Outcome", 70, LVCFMT_LEFT},
    {L"First error", 190, LVCFMT_LEFT},
    {L"Opened", 110, LVCFMT_LEFT},
    {L"Duration", 80, LVCFMT_RIGHT},
    {L"Sends / Receives", 110, LVCFMT_RIGHT},
    {L"Bytes out / in", 120, LVCFMT_RIGHT},
};

HWND stab_create(HWND parent, int id, UINT dpi)
{
    HWND table = CreateWindowExW(0, WC_LISTVIEWW, L"Sockets",
                                 WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA |
                                     LVS_SHOWSELALWAYS | LVS_SINGLESEL,
                                 0, 0, 0, 0, parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);

    if (!table)
        return NULL;
    if (!evl_setup_list(table, stab_columns, STAB_COL_COUNT, dpi, 0)) {
        DestroyWindow(table);
        return NULL;
    }
    return table;
}

static int stab_rank(const sock_info *si)
{
    if (si->outcome == SOCK_OUTCOME_FAILED || si->outcome == SOCK_OUTCOME_ABORTED)
        return 0;
    return (si->flags & SOCK_F_HAS_ERROR) ? 1 : 2;
}

/* What an order is sorted by (copied into a job: nothing the UI changes). */
typedef struct stab_key {
    const sock_model *sockets;
    uint64_t trace_end; /* an open socket's duration runs to it */
    int column, descending;
} stab_key;

struct stab_job {
    stab_key key;
    uint32_t count;
    uint32_t *order; /* NULL: out of memory */
    HWND notify;
    UINT serial;
    plat_thread *thread;
};

#define STAB_CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int stab_compare_addr(const afd_addr *a, const afd_addr *b)
{
    int c = STAB_CMP(a->family, b->family);
    if (!c)
        c = memcmp(a->bytes, b->bytes, sizeof a->bytes);
    return c ? c : STAB_CMP(a->port, b->port);
}

static uint64_t stab_duration(uint64_t trace_end, const sock_info *si)
{
    uint64_t end = (si->flags & SOCK_F_CLOSED) ? si->closed : trace_end;
    return end > si->created ? end - si->created : 0;
}

static int stab_compare_column(const stab_key *k, const sock_info *x, const sock_info *y)
{
    switch (k->column) {
    case STAB_COL_PROCESS: {
        const char *nx = sock_model_process_name(k->sockets, x->pid);
        const char *ny = sock_model_process_name(k->sockets, y->pid);
        int c = lstrcmpiA(nx ? nx : "", ny ? ny : "");
        return c ? c : STAB_CMP(x->pid, y->pid);
    }
    case STAB_COL_PROTOCOL:
        return x->protocol != y->protocol ? STAB_CMP(x->protocol, y->protocol)
               : x->type != y->type       ? STAB_CMP(x->type, y->type)
                                          : STAB_CMP(x->family, y->family);
    case STAB_COL_LOCAL:
        return stab_compare_addr(&x->local, &y->local);
    case STAB_COL_REMOTE:
        return stab_compare_addr(&x->remote, &y->remote);
    case STAB_COL_STATE:
        return STAB_CMP(x->state, y->state);
    case STAB_COL_OUTCOME:
        return STAB_CMP(x->outcome, y->outcome);
    case STAB_COL_ERROR:
        return STAB_CMP((x->flags & SOCK_F_HAS_ERROR) ? x->error : 0,
                        (y->flags & SOCK_F_HAS_ERROR) ? y->error : 0);
    case STAB_COL_OPENED:
        return STAB_CMP(x->created, y->created);
    case STAB_COL_DURATION:
        return STAB_CMP(stab_duration(k->trace_end, x), stab_duration(k->trace_end, y));
    case STAB_COL_SENDS:
        return STAB_CMP(x->sends + x->receives, y->sends + y->receives);
    case STAB_COL_BYTES:
        return STAB_CMP(x->bytes_sent + x->bytes_received, y->bytes_sent + y->bytes_received);
    default:
        return 0;
    }
}

static int stab_compare(const stab_key *k, uint32_t ia, uint32_t ib)
{
    const sock_info *x = sock_model_at(k->sockets, ia);
    const sock_info *y = sock_model_at(k->sockets, ib);
    int c = stab_compare_column(k, x, y);

    if (c)
        return k->descending ? -c : c;
    c = STAB_CMP(stab_rank(x), stab_rank(y));
    if (!c)
        c = STAB_CMP(x->created, y->created);
    return c ? c : STAB_CMP(ia, ib);
}

/* The sockets 0..n-1 in the key's order, in a new array (NULL when out of memory). A bottom-up merge sort:
 * C11's qsort takes no context, and the job and the UI thread (a capture) both sort. */
static uint32_t *stab_make_order(const stab_key *k, uint32_t n)
{
    uint32_t *a = (uint32_t *)malloc((size_t)n * sizeof *a), *b = (uint32_t *)malloc((size_t)n * sizeof *b);
    uint32_t *src = a, *dst = b, *swap, width, lo, i;

    if (!a || !b) {
        free(a);
        free(b);
        return NULL;
    }
    for (i = 0; i < n; i++)
        a[i] = i;
    for (width = 1; width < n; width = width > n / 2 ? n : 2 * width) {
        for (lo = 0; lo < n; lo += n - lo > 2 * width ? 2 * width : n - lo) {
            uint32_t mid = n - lo > width ? lo + width : n, hi = n - mid > width ? mid + width : n;
            uint32_t l = lo, r = mid, o = lo;
            while (l < mid && r < hi)
                dst[o++] = stab_compare(k, src[r], src[l]) < 0 ? src[r++] : src[l++];
            while (l < mid)
                dst[o++] = src[l++];
            while (r < hi)
                dst[o++] = src[r++];
        }
        swap = src;
        src = dst;
        dst = swap;
    }
    free(dst);
    return src;
}

static int stab_job_main(void *arg)
{
    stab_job *j = (stab_job *)arg;

    SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
    j->order = stab_make_order(&j->key, j->count);
    PostMessageW(j->notify, STAB_MSG_ORDER, (WPARAM)j->serial, 0);
    return 0;
}

static void stab_job_end(stab_model *m)
{
    if (!m->job)
        return;
    plat_thread_join(m->job->thread);
    free(m->job->order);
    free(m->job);
    m->job = NULL;
}

/* The order for m's key: a capture's at once (the caller holds its lock), a loaded trace's from a job. */
static void stab_order(HWND table, stab_model *m)
{
    stab_key k;
    stab_job *j;
    uint32_t *order;

    if (!m->trace || !m->count)
        return;
    k.sockets = m->trace->sockets;
    k.trace_end = m->trace->ctx.trace_end;
    k.column = m->sort_column;
    k.descending = m->descending;
    if (!m->trace->done) {
        order = stab_make_order(&k, m->count);
        if (order) {
            free(m->order);
            m->order = order;
        }
        InvalidateRect(table, NULL, FALSE);
        return;
    }
    if (m->job) {
        m->pending = 1;
        return;
    }
    j = (stab_job *)calloc(1, sizeof *j);
    if (!j)
        return;
    j->key = k;
    j->count = m->count;
    j->notify = GetParent(table);
    j->serial = ++m->serial;
    if (plat_thread_start(&j->thread, stab_job_main, j, "wskview socket order") != 0) {
        free(j);
        return;
    }
    m->job = j;
}

BOOL stab_on_order(HWND table, stab_model *m, UINT serial)
{
    uint32_t selected;
    int pos;

    if (!m->job || serial != m->job->serial)
        return FALSE;
    plat_thread_join(m->job->thread);
    m->job->thread = NULL;
    if (m->pending) { /* sorted by a key clicked away since */
        free(m->job->order);
        free(m->job);
        m->job = NULL;
        m->pending = 0;
        stab_order(table, m);
        return FALSE;
    }
    if (!m->job->order) {
        free(m->job);
        m->job = NULL;
        return FALSE;
    }
    /* A selection is a position: the same socket is selected again where the new order puts it. */
    pos = ListView_GetNextItem(table, -1, LVNI_SELECTED);
    selected = stab_socket_at(m, pos);
    free(m->order);
    m->order = m->job->order;
    free(m->job);
    m->job = NULL;
    if (selected != SOCK_NONE)
        stab_select_socket(table, m, selected);
    InvalidateRect(table, NULL, FALSE);
    return TRUE;
}

void stab_sort(HWND table, stab_model *m, int column)
{
    if (column < 0 || column >= STAB_COL_COUNT)
        return;
    m->descending = m->sort_column == column ? !m->descending : 0;
    m->sort_column = column;
    stab_order(table, m);
}

void stab_free(stab_model *m)
{
    stab_job_end(m);
    m->pending = 0;
    free(m->order);
    m->order = NULL;
    m->count = 0;
    m->trace = NULL;
}

BOOL stab_set_trace(HWND table, stab_model *m, const trc_trace *t)
{
    size_t n = t && trc_sockets_ready(t) ? sock_model_count(t->sockets) : 0, i;
    BOOL ok = TRUE;

    stab_free(m);
    if (n) {
        m->order = (uint32_t *)malloc(n * sizeof *m->order);
        if (m->order) {
            for (i = 0; i < n; i++)
                m->order[i] = (uint32_t)i;
            m->count = (uint32_t)n;
            m->trace = t;
            stab_order(table, m);
        } else {
            ok = FALSE;
        }
    }
    ListView_SetItemCountEx(table, (int)m->count, 0);
    InvalidateRect(table, NULL, FALSE);
    return ok;
}

uint32_t stab_socket_at(const stab_model *m, int pos)
{
    return pos >= 0 && (uint32_t)pos < m->count ? m->order[pos] : SOCK_NONE;
}

int stab_select_socket(HWND table, stab_model *m, uint32_t sock)
{
    uint32_t pos;

    for (pos = 0; pos < m->count && m->order[pos] != sock; pos++)
        ;
    if (pos == m->count || pos > INT_MAX)
        return -1;
    m->selecting = 1;
    ListView_SetItemState(table, -1, 0, LVIS_SELECTED);
    ListView_SetItemState(table, (int)pos, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
    ListView_EnsureVisible(table, (int)pos, FALSE);
    m->selecting = 0;
    return (int)pos;
}

void stab_protocol_text(const sock_info *si, char *buf, size_t cap)
{
    const char *proto = si->protocol == 6    ? "TCP"
                        : si->protocol == 17 ? "UDP"
                        : si->type == 1      ? "stream"
                        : si->type == 2      ? "datagram"
                                             : "?";
    const char *fam = si->family == AFD_AF_INET6 ? "v6" : si->family == AFD_AF_UNIX ? " (unix)" : "";

    snprintf(buf, cap, "%s%s", proto, fam);
}

void stab_seconds_text(uint64_t ticks, char *buf, size_t cap)
{
    snprintf(buf, cap, "%llu.%03llu s", (unsigned long long)(ticks / 10000000u),
             (unsigned long long)(ticks % 10000000u / 10000u));
}

static void stab_cell(const stab_model *m, int pos, int column, wchar_t *out, size_t cap)
{
    const trc_trace *t = m->trace;
    const sock_info *si;
    char buf[256], name[16];

    out[0] = L'\0';
    buf[0] = '\0';
    if (!t || pos < 0 || (uint32_t)pos >= m->count || !trc_sockets_ready(t))
        return; /* a capture's consumer is writing the model: the next paint shows it */
    si = sock_model_at(t->sockets, m->order[pos]);
    switch (column) {
    case STAB_COL_PROCESS:
        evl_process_text(t, si->pid, out, cap);
        return;
    case STAB_COL_PROTOCOL:
        stab_protocol_text(si, buf, sizeof buf);
        break;
    case STAB_COL_LOCAL:
        afd_format_address(&si->local, buf, sizeof buf);
        break;
    case STAB_COL_REMOTE:
        afd_format_address(&si->remote, buf, sizeof buf);
        break;
    case STAB_COL_STATE:
        snprintf(buf, sizeof buf, "%s", sock_state_name((sock_state)si->state));
        break;
    case STAB_COL_OUTCOME:
        snprintf(buf, sizeof buf, "%s", sock_outcome_name((sock_outcome)si->outcome));
        break;
    case STAB_COL_ERROR:
        if (si->flags & SOCK_F_HAS_ERROR)
            snprintf(buf, sizeof buf, "%s", nts_name(si->error, name, sizeof name));
        break;
    case STAB_COL_OPENED: {
        char full[64];
        etl_format_time(t->header, m->zone, si->created, full, sizeof full);
        snprintf(buf, sizeof buf, "%.16s", full + (strlen(full) > 11 ? 11 : 0));
        break;
    }
    case STAB_COL_DURATION:
        stab_seconds_text(stab_duration(t->ctx.trace_end, si), buf, sizeof buf);
        break;
    case STAB_COL_SENDS:
        snprintf(buf, sizeof buf, "%llu / %llu", (unsigned long long)si->sends,
                 (unsigned long long)si->receives);
        break;
    case STAB_COL_BYTES:
        snprintf(buf, sizeof buf, "%llu / %llu", (unsigned long long)si->bytes_sent,
                 (unsigned long long)si->bytes_received);
        break;
    default:
        break;
    }
    utf_widen(buf, out, cap);
}

LRESULT stab_on_notify(HWND table, stab_model *m, const NMHDR *hdr)
{
    (void)table;
    if (hdr->code == LVN_GETDISPINFOW) {
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)hdr;
        if ((di->item.mask & LVIF_TEXT) && di->item.pszText && di->item.cchTextMax > 0)
            stab_cell(m, di->item.iItem, di->item.iSubItem, di->item.pszText, (size_t)di->item.cchTextMax);
    }
    return 0;
}
