/*
 * detail.c - the per-socket detail pane (see detail.h). The history comes from the trace's per-socket
 * row index (sidx.h) in O(the socket's events); without a complete one (no memory for it) the store is
 * scanned between the socket's first and last rows, which sock_info records. While a capture runs the
 * pane reads the socket model and the index (which the UI thread links, trc_index_capture) only inside
 * trc_sockets_begin, and dtl_refresh shows the rows the selected socket got since.
 */
#include "detail.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uxtheme.h>

#include <wsk/nts.h>
#include <wsk/sidx.h>

#include "eventlist.h"
#include "socktable.h"
#include "utf.h"

enum { DTL_COL_TIME, DTL_COL_EVENT, DTL_COL_STATUS, DTL_COL_BYTES, DTL_COL_COUNT };

static const evl_column_def dtl_columns[DTL_COL_COUNT] = {
    {L"Time", 110, LVCFMT_LEFT},
    {L"Event", 150, LVCFMT_LEFT},
    {L"Status", 150, LVCFMT_LEFT},
    {L"Bytes", 60, LVCFMT_RIGHT},
};

#define DTL_TEXT_CAP 8192

BOOL dtl_create(HWND parent, int id_text, int id_list, UINT dpi, HWND *text, HWND *list)
{
    HINSTANCE inst = GetModuleHandleW(NULL);

    *text = CreateWindowExW(WS_EX_CLIENTEDGE, L"EDIT", L"Select an event to see its socket.",
                            WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL | ES_MULTILINE | ES_READONLY |
                                ES_AUTOVSCROLL,
                            0, 0, 0, 0, parent, (HMENU)(INT_PTR)id_text, inst, NULL);
    *list = CreateWindowExW(0, WC_LISTVIEWW, L"Socket history",
                            WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA |
                                LVS_SHOWSELALWAYS | LVS_SINGLESEL,
                            0, 0, 0, 0, parent, (HMENU)(INT_PTR)id_list, inst, NULL);
    if (!*text || !*list)
        return FALSE;
    return evl_setup_list(*list, dtl_columns, DTL_COL_COUNT, dpi, 0);
}

void dtl_free(dtl_model *m)
{
    free(m->rows);
    m->rows = NULL;
    m->count = 0;
    m->socket = SOCK_NONE;
    m->trace = NULL;
}

/* Appends printf-style text to a bounded buffer (cut at the end, always terminated). */
static void dtl_add(char *buf, size_t *pos, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*pos + 1 >= DTL_TEXT_CAP)
        return;
    va_start(ap, fmt);
    n = vsnprintf(buf + *pos, DTL_TEXT_CAP - *pos, fmt, ap);
    va_end(ap);
    if (n > 0)
        *pos = *pos + (size_t)n < DTL_TEXT_CAP ? *pos + (size_t)n : DTL_TEXT_CAP - 1;
}

static void dtl_clock(const trc_trace *t, etl_zone zone, uint64_t ft, char *buf, size_t cap)
{
    char full[64];

    etl_format_time(t->header, zone, ft, full, sizeof full);
    snprintf(buf, cap, "%.16s", full + (strlen(full) > 11 ? 11 : 0));
}

static void dtl_status_line(char *buf, size_t *pos, const char *what, uint32_t status, uint64_t when,
                            uint16_t event, const trc_trace *t, etl_zone zone)
{
    const nts_info *ni = nts_lookup(status);
    const afd_event_schema *s = afd_schema_find(event, 0);
    char clock[32], name[16];

    dtl_clock(t, zone, when, clock, sizeof clock);
    dtl_add(buf, pos, "  %s %s at %s (%s)\r\n", what, nts_name(status, name, sizeof name), clock,
            s ? s->name : "?");
    if (ni) {
        if (ni->wsa_name)
            dtl_add(buf, pos, "    Winsock: %s (%u)\r\n", ni->wsa_name, ni->wsa);
        dtl_add(buf, pos, "    %s\r\n", ni->text);
    }
}

static void dtl_describe(const trc_trace *t, etl_zone zone, uint32_t index, char *buf)
{
    uint64_t published = store_count(t->events);
    /* A running capture's open states last until its newest row so far. */
    uint64_t trace_end =
        t->done || !published ? t->ctx.trace_end : store_row_at(t->events, published - 1)->time;
    const sock_info *si = sock_model_at(t->sockets, index);
    const char *pname = sock_model_process_name(t->sockets, si->pid);
    const char *fam = afd_map_name(AFD_MAP_FAMILY, si->family);
    const char *type = afd_map_name(AFD_MAP_SOCKET_TYPE, si->type);
    const char *proto = afd_map_name(AFD_MAP_PROTOCOL, si->protocol);
    char a[128], b[128], clock[32], dur[32], prot[32];
    size_t pos = 0;
    unsigned i;

    buf[0] = '\0';
    stab_protocol_text(si, prot, sizeof prot);
    dtl_add(buf, &pos, "Socket 0x%llx:%u  %s  %s\r\n", (unsigned long long)si->endpoint, si->generation, prot,
            sock_outcome_name((sock_outcome)si->outcome));
    dtl_add(buf, &pos, "Process: %s (%u)%s\r\n", pname ? pname : "?", si->pid,
            (si->flags & SOCK_F_OWNER_GUESSED) ? " (guessed from a request)" : "");
    dtl_add(buf, &pos, "Family %s, type %s, protocol %s\r\n", fam ? fam : "?", type ? type : "?",
            proto ? proto : "?");
    afd_format_address(&si->local, a, sizeof a);
    afd_format_address(&si->remote, b, sizeof b);
    dtl_add(buf, &pos, "Local %s  Remote %s\r\n", a[0] ? a : "-", b[0] ? b : "-");
    if (si->listener != SOCK_NONE) {
        const sock_info *l = sock_model_at(t->sockets, si->listener);
        dtl_add(buf, &pos, "Accepted from listener 0x%llx:%u\r\n", (unsigned long long)l->endpoint,
                l->generation);
    }
    if (si->flags & SOCK_F_PREEXISTING)
        dtl_add(buf, &pos, "Existed before the trace started.\r\n");
    dtl_add(buf, &pos, "\r\nLifecycle:\r\n");
    for (i = 0; i < si->ntransitions; i++) {
        const sock_transition *tr = &si->transitions[i];
        uint64_t next = i + 1 < si->ntransitions      ? si->transitions[i + 1].time
                        : (si->flags & SOCK_F_CLOSED) ? si->closed
                                                      : trace_end;
        dtl_clock(t, zone, tr->time, clock, sizeof clock);
        stab_seconds_text(next > tr->time ? next - tr->time : 0, dur, sizeof dur);
        dtl_add(buf, &pos, "  %s  %-10s %s\r\n", clock, sock_state_name((sock_state)tr->state), dur);
    }
    dtl_add(buf, &pos, "\r\nTotals: %llu sends (%llu bytes), %llu receives (%llu bytes), %llu events\r\n",
            (unsigned long long)si->sends, (unsigned long long)si->bytes_sent,
            (unsigned long long)si->receives, (unsigned long long)si->bytes_received,
            (unsigned long long)si->events);
    if (si->indications || si->drops || si->accepts)
        dtl_add(buf, &pos, "  %llu indications (%llu bytes), %llu drops, %llu accepts\r\n",
                (unsigned long long)si->indications, (unsigned long long)si->bytes_indicated,
                (unsigned long long)si->drops, (unsigned long long)si->accepts);
    if (si->flags & (SOCK_F_HAS_ERROR | SOCK_F_HAS_ABORT)) {
        dtl_add(buf, &pos, "\r\nErrors:\r\n");
        if (si->flags & SOCK_F_HAS_ERROR)
            dtl_status_line(buf, &pos, "first error", si->error, si->error_time, si->error_event, t, zone);
        if (si->flags & SOCK_F_HAS_ABORT) {
            const char *reason = afd_map_name(AFD_MAP_ABORT_REASON, si->abort_reason);
            const afd_event_schema *s = afd_schema_find(si->abort_event, 0);
            dtl_add(buf, &pos, "  aborted: %s (%u), %s\r\n", reason ? reason : "reason", si->abort_reason,
                    s ? s->name : "?");
        }
    }
}

/* m->rows and m->count: the socket's rows in store (time) order. */
static void dtl_history(dtl_model *m, const trc_trace *t, uint32_t socket)
{
    const sock_info *si = sock_model_at(t->sockets, socket);
    uint64_t i, n;

    /* A running capture's index lags its store by the rows published since the last link: shown next time. */
    if (t->by_socket && (!t->done || sidx_indexed(t->by_socket) == store_count(t->events))) {
        n = sidx_count(t->by_socket, socket);
        m->rows = (uint32_t *)malloc((size_t)(n ? n : 1) * sizeof *m->rows);
        if (m->rows)
            m->count = sidx_rows(t->by_socket, socket, m->rows, (uint32_t)n);
        return;
    }
    n = si->last_row >= si->first_row ? si->last_row - si->first_row + 1 : 0;
    if (si->first_row + n > store_count(t->events)) /* a capture feeds the model before it publishes */
        n = store_count(t->events) > si->first_row ? store_count(t->events) - si->first_row : 0;
    m->rows = (uint32_t *)malloc((size_t)(n ? n : 1) * sizeof *m->rows);
    for (i = 0; m->rows && i < n; i++)
        if (store_row_at(t->events, si->first_row + i)->socket == socket)
            m->rows[m->count++] = (uint32_t)(si->first_row + i);
}

/* Shows socket of t again even when it is the one shown (a capture's socket that got rows). */
static void dtl_fill(HWND text, HWND list, dtl_model *m, trc_trace *t, uint32_t socket, DWORD count_flags)
{
    char *buf = NULL;
    wchar_t *wide = NULL;
    int reading = t && socket != SOCK_NONE && trc_sockets_begin(t);

    dtl_free(m);
    if (reading && socket < sock_model_count(t->sockets)) {
        m->trace = t;
        m->socket = socket;
        dtl_history(m, t, socket);
        buf = (char *)malloc(DTL_TEXT_CAP);
        wide = (wchar_t *)malloc(DTL_TEXT_CAP * sizeof *wide);
        if (buf && wide) {
            dtl_describe(t, m->zone, socket, buf);
            if (MultiByteToWideChar(CP_UTF8, 0, buf, -1, wide, DTL_TEXT_CAP))
                SetWindowTextW(text, wide);
        }
    } else if (t && !t->done && t->capture && socket != SOCK_NONE) {
        m->trace = t; /* the consumer holds the model now: dtl_refresh shows the socket on a later tick */
        m->socket = socket;
        SetWindowTextW(text, L"Reading the socket model...");
    } else {
        SetWindowTextW(text, t && !t->done && socket != SOCK_NONE
                                 ? L"The socket model is ready when the trace is loaded."
                                 : L"Select an event to see its socket.");
    }
    if (reading)
        trc_sockets_end(t);
    free(buf);
    free(wide);
    ListView_SetItemCountEx(list, (int)m->count, count_flags);
    InvalidateRect(list, NULL, FALSE);
}

void dtl_show(HWND text, HWND list, dtl_model *m, trc_trace *t, uint32_t socket)
{
    if (m->trace == t && m->socket == socket && socket != SOCK_NONE)
        return;
    dtl_fill(text, list, m, t, socket, 0);
}

void dtl_refresh(HWND text, HWND list, dtl_model *m, trc_trace *t)
{
    uint32_t now = 0;

    if (!t || m->trace != t || m->socket == SOCK_NONE || !t->by_socket || !trc_sockets_begin(t))
        return;
    now = sidx_count(t->by_socket, m->socket);
    trc_sockets_end(t);
    if (now != m->count || !m->rows)
        dtl_fill(text, list, m, t, m->socket, LVSICF_NOSCROLL); /* the user's place in the history stays */
}

static void dtl_cell(const dtl_model *m, int pos, int column, wchar_t *out, size_t cap)
{
    const store_row *r;
    char buf[128];

    out[0] = L'\0';
    buf[0] = '\0';
    if (!m->trace || pos < 0 || (uint32_t)pos >= m->count)
        return;
    r = store_row_at(m->trace->events, m->rows[pos]);
    switch (column) {
    case DTL_COL_TIME:
        dtl_clock(m->trace, m->zone, r->time, buf, sizeof buf);
        break;
    case DTL_COL_EVENT: {
        const afd_event_schema *s = afd_schema_find(r->id, 0);
        snprintf(buf, sizeof buf, "%s", s ? s->name : "?");
        break;
    }
    case DTL_COL_STATUS:
        evl_status_text(r, buf, sizeof buf);
        break;
    case DTL_COL_BYTES:
        if (r->bytes)
            snprintf(buf, sizeof buf, "%u", r->bytes);
        break;
    default:
        break;
    }
    utf_widen(buf, out, cap);
}

LRESULT dtl_on_notify(HWND list, dtl_model *m, const NMHDR *hdr)
{
    (void)list;
    if (hdr->code == LVN_GETDISPINFOW) {
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)hdr;
        if ((di->item.mask & LVIF_TEXT) && di->item.pszText && di->item.cchTextMax > 0)
            dtl_cell(m, di->item.iItem, di->item.iSubItem, di->item.pszText, (size_t)di->item.cchTextMax);
    }
    return 0;
}
