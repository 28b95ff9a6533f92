/*
 * socktable.c - the socket table (see socktable.h). Failures come first because that is what a
 * support engineer opens a trace for: failed and aborted sockets, then sockets that saw an error,
 * then the rest, each group by the time the socket was opened.
 */
#include "socktable.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uxtheme.h>

#include <wsk/nts.h>

#include "eventlist.h"

static const struct {
    const wchar_t *title;
    int width96;
    int format;
} stab_columns[STAB_COL_COUNT] = {
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
    int i;

    if (!table)
        return NULL;
    SetWindowTheme(table, L"Explorer", NULL);
    ListView_SetExtendedListViewStyle(table, LVS_EX_DOUBLEBUFFER | LVS_EX_FULLROWSELECT | LVS_EX_LABELTIP);
    for (i = 0; i < STAB_COL_COUNT; i++) {
        LVCOLUMNW col;
        ZeroMemory(&col, sizeof col);
        col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_FMT | LVCF_SUBITEM;
        col.fmt = stab_columns[i].format;
        col.cx = MulDiv(stab_columns[i].width96, (int)dpi, USER_DEFAULT_SCREEN_DPI);
        col.pszText = (wchar_t *)stab_columns[i].title;
        col.iSubItem = i;
        if (ListView_InsertColumn(table, i, &col) != i) {
            DestroyWindow(table);
            return NULL;
        }
    }
    return table;
}

void stab_rescale(HWND table, UINT old_dpi, UINT new_dpi)
{
    int i;

    if (old_dpi == new_dpi || old_dpi == 0)
        return;
    for (i = 0; i < STAB_COL_COUNT; i++)
        ListView_SetColumnWidth(table, i,
                                MulDiv(ListView_GetColumnWidth(table, i), (int)new_dpi, (int)old_dpi));
}

static int stab_rank(const sock_info *si)
{
    if (si->outcome == SOCK_OUTCOME_FAILED || si->outcome == SOCK_OUTCOME_ABORTED)
        return 0;
    return (si->flags & SOCK_F_HAS_ERROR) ? 1 : 2;
}

/* qsort has no context argument in C11; sorting happens on the UI thread only. */
static const trc_trace *stab_sort_trace;
static int stab_sort_column, stab_sort_descending;

#define STAB_CMP(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)

static int stab_compare_addr(const afd_addr *a, const afd_addr *b)
{
    int c = STAB_CMP(a->family, b->family);
    if (!c)
        c = memcmp(a->bytes, b->bytes, sizeof a->bytes);
    return c ? c : STAB_CMP(a->port, b->port);
}

static uint64_t stab_duration(const trc_trace *t, const sock_info *si)
{
    uint64_t end = (si->flags & SOCK_F_CLOSED) ? si->closed : t->ctx.trace_end;
    return end > si->created ? end - si->created : 0;
}

static int stab_compare_column(const sock_info *x, const sock_info *y)
{
    const sock_model *sm = stab_sort_trace->sockets;

    switch (stab_sort_column) {
    case STAB_COL_PROCESS: {
        const char *nx = sock_model_process_name(sm, x->pid), *ny = sock_model_process_name(sm, y->pid);
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
        return STAB_CMP(stab_duration(stab_sort_trace, x), stab_duration(stab_sort_trace, y));
    case STAB_COL_SENDS:
        return STAB_CMP(x->sends + x->receives, y->sends + y->receives);
    case STAB_COL_BYTES:
        return STAB_CMP(x->bytes_sent + x->bytes_received, y->bytes_sent + y->bytes_received);
    default:
        return 0;
    }
}

static int stab_compare(const void *a, const void *b)
{
    uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
    const sock_info *x = sock_model_at(stab_sort_trace->sockets, ia);
    const sock_info *y = sock_model_at(stab_sort_trace->sockets, ib);
    int c = stab_compare_column(x, y);

    if (c)
        return stab_sort_descending ? -c : c;
    c = STAB_CMP(stab_rank(x), stab_rank(y));
    if (!c)
        c = STAB_CMP(x->created, y->created);
    return c ? c : STAB_CMP(ia, ib);
}

static void stab_order(stab_model *m)
{
    if (!m->trace || !m->count)
        return;
    stab_sort_trace = m->trace;
    stab_sort_column = m->sort_column;
    stab_sort_descending = m->descending;
    qsort(m->order, m->count, sizeof *m->order, stab_compare);
}

void stab_sort(HWND table, stab_model *m, int column)
{
    if (column < 0 || column >= STAB_COL_COUNT)
        return;
    m->descending = m->sort_column == column ? !m->descending : 0;
    m->sort_column = column;
    /* A selection is a position: it would name another socket after the sort. */
    ListView_SetItemState(table, -1, 0, LVIS_SELECTED | LVIS_FOCUSED);
    stab_order(m);
    InvalidateRect(table, NULL, FALSE);
}

void stab_free(stab_model *m)
{
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
            stab_order(m);
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
        stab_seconds_text(stab_duration(t, si), buf, sizeof buf);
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
    if (!MultiByteToWideChar(CP_UTF8, 0, buf, -1, out, (int)cap))
        out[0] = L'\0';
    out[cap - 1] = L'\0';
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
