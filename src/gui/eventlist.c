/*
 * eventlist.c - the event list control: an owner-data ListView over the rows of the event store,
 * seen through the main window's view (evl_model). Cells are formatted when the control asks for
 * them; the Details column (the only one that reads the trace again) is decoded for the range
 * LVN_ODCACHEHINT announces. While the trace is loading, the socket model belongs to the consumer
 * thread: the Process column then shows the event header's PID, and the socket columns stay empty
 * (while capturing, they are filled whenever the main window got the capture's lock for the paint).
 * Rows flagged lost (events missing right before them, or a capture's loss rows) are coloured.
 */
#include "eventlist.h"
#include "utf.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uxtheme.h>

#include <wsk/afd.h>
#include <wsk/live.h>
#include <wsk/nts.h>

static const evl_column_def evl_columns[EVL_COL_COUNT] = {
    { L"#",       64, LVCFMT_RIGHT },
    { L"Time",   120, LVCFMT_LEFT },
    { L"Process", 150, LVCFMT_LEFT },
    { L"TID",     56, LVCFMT_RIGHT },
    { L"CPU",     40, LVCFMT_RIGHT },
    { L"Event",  140, LVCFMT_LEFT },
    { L"Socket", 160, LVCFMT_LEFT },
    { L"Local",  150, LVCFMT_LEFT },
    { L"Remote", 150, LVCFMT_LEFT },
    { L"Status", 190, LVCFMT_LEFT },
    { L"Bytes",   70, LVCFMT_RIGHT },
    { L"Details", 420, LVCFMT_LEFT },
};

BOOL evl_setup_list(HWND list, const evl_column_def *cols, int n, UINT dpi, DWORD extra_ex)
{
    int i;

    SetWindowTheme(list, L"Explorer", NULL);
    ListView_SetExtendedListViewStyle(list,
                                      LVS_EX_DOUBLEBUFFER | LVS_EX_FULLROWSELECT | LVS_EX_LABELTIP | extra_ex);
    for (i = 0; i < n; i++) {
        LVCOLUMNW col;
        ZeroMemory(&col, sizeof col);
        col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_FMT | LVCF_SUBITEM;
        col.fmt = cols[i].format;
        col.cx = MulDiv(cols[i].width96, (int)dpi, USER_DEFAULT_SCREEN_DPI);
        col.pszText = (wchar_t *)cols[i].title;
        col.iSubItem = i;
        if (ListView_InsertColumn(list, i, &col) != i)
            return FALSE;
    }
    return TRUE;
}

HWND evl_create(HWND parent, int id, UINT dpi)
{
    HWND list = CreateWindowExW(0, WC_LISTVIEWW, L"Events",
                                WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA
                                    | LVS_SHOWSELALWAYS,
                                0, 0, 0, 0, parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);

    if (!list)
        return NULL;
    if (!evl_setup_list(list, evl_columns, EVL_COL_COUNT, dpi, LVS_EX_HEADERDRAGDROP)) {
        DestroyWindow(list);
        return NULL;
    }
    ListView_SetItemCountEx(list, 0, LVSICF_NOINVALIDATEALL);
    return list;
}

uint64_t evl_row_at(const evl_model *m, uint64_t pos)
{
    return m->rows ? m->rows[pos] : pos;
}

int64_t evl_position_of(const evl_model *m, uint64_t row)
{
    uint64_t i;

    if (!m->rows)
        return row < m->count ? (int64_t)row : -1;
    if (m->ascending) {
        uint64_t lo = 0, hi = m->count;
        while (lo < hi) {
            uint64_t mid = lo + (hi - lo) / 2;
            if (m->rows[mid] < row)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < m->count && m->rows[lo] == row ? (int64_t)lo : -1;
    }
    for (i = 0; i < m->count; i++)
        if (m->rows[i] == row)
            return (int64_t)i;
    return -1;
}

void evl_cells_changed(HWND list, evl_model *m)
{
    m->cache_count = 0;
    InvalidateRect(list, NULL, FALSE);
}

void evl_model_changed(HWND list, evl_model *m)
{
    ListView_SetItemCountEx(list, (int)(m->count > INT_MAX ? INT_MAX : m->count), LVSICF_NOSCROLL);
    evl_cells_changed(list, m);
}

void evl_process_text(const trc_trace *t, uint32_t pid, wchar_t *out, size_t cap)
{
    const char *name = trc_sockets_ready(t) ? sock_model_process_name(t->sockets, pid) : NULL;
    char buf[300];

    if (name)
        snprintf(buf, sizeof buf, "%s (%u)", name, pid);
    else
        snprintf(buf, sizeof buf, "%u", pid);
    utf_widen(buf, out, cap);
}

static void evl_details(evl_model *m, uint64_t row, wchar_t *out, size_t cap)
{
    afd_fields f;
    char buf[EVL_DETAILS_CAP * 2];

    out[0] = L'\0';
    if (m->off_ui ? trc_decode_row(m->trace, m->reader, row, &f) != 0
                  : m->trace->ctx.decode(m->trace->ctx.user, row, &f) != 0)
        return;                    /* not an AFD event, or the UI's reader is not open yet */
    afd_format_details(&f, buf, sizeof buf);
    utf_widen(buf, out, cap);
}

static void evl_time(const evl_model *m, uint64_t pos, const store_row *r, char *buf, size_t cap)
{
    const trc_trace *t = m->trace;
    uint64_t base;
    char full[64];

    if (!r->time) {
        buf[0] = '\0';
        return;
    }
    if (m->time_format == EVL_TIME_OF_DAY) {
        /* "2025-10-05 11:30:19.2020520Z": the status bar names the zone, the cell keeps the clock. */
        etl_format_time(t->header, m->zone, r->time, full, sizeof full);
        snprintf(buf, cap, "%.16s", strlen(full) > 11 ? full + 11 : full);
        return;
    }
    if (m->time_format == EVL_TIME_SINCE_FIRST)
        base = store_row_at(t->events, 0)->time;
    else
        base = pos ? store_row_at(t->events, evl_row_at(m, pos - 1))->time : r->time;
    if (r->time >= base)
        snprintf(buf, cap, "%llu.%07llu", (unsigned long long)((r->time - base) / 10000000u),
                 (unsigned long long)((r->time - base) % 10000000u));
    else
        snprintf(buf, cap, "-%llu.%07llu", (unsigned long long)((base - r->time) / 10000000u),
                 (unsigned long long)((base - r->time) % 10000000u));
}

static void evl_event_name(const store_row *r, char *buf, size_t cap)
{
    static const char *const etw_lost[] = { "event", "buffer", "file" };
    const afd_event_schema *s = (r->flags & STORE_ROW_AFD) ? afd_schema_find(r->id, 0) : NULL;

    if ((r->flags & STORE_ROW_LOST) && r->id == LIVE_ID_RING_LOST && r->handle == LIVE_NO_HANDLE)
        snprintf(buf, cap, "Events lost (%u)", r->bytes);
    else if ((r->flags & STORE_ROW_LOST) && r->id >= LIVE_ID_RT_LOST_EVENT && r->id <= LIVE_ID_RT_LOST_FILE)
        snprintf(buf, cap, "Events lost (ETW: real-time %s lost)", etw_lost[r->id - LIVE_ID_RT_LOST_EVENT]);
    else if (s)
        snprintf(buf, cap, "%s", s->name);
    else if (r->kind == ETL_KIND_EVENT)
        snprintf(buf, cap, "event %u", r->id);
    else
        snprintf(buf, cap, "%s 0x%04x", etl_kind_name((etl_kind)r->kind), r->id);
}

void evl_status_text(const store_row *r, char *buf, size_t cap)
{
    const afd_event_schema *s = afd_schema_find(r->id, 0);
    const char *name = NULL;

    buf[0] = '\0';
    if (!(r->flags & STORE_ROW_HAS_STATUS) || !s)
        return;
    if (s->status_kind == AFD_STATUS_NTSTATUS)
        name = nts_name(r->status, buf, cap);
    else if (s->status_kind == AFD_STATUS_ABORT)
        name = afd_map_name(AFD_MAP_ABORT_REASON, r->status);
    else if (s->status_kind == AFD_STATUS_DROP)
        name = afd_map_name(AFD_MAP_DROP_REASON, r->status);
    if (name && name != buf)
        snprintf(buf, cap, "%s", name);
    else if (!name)
        snprintf(buf, cap, "%u", r->status);
}

void evl_cell_text(evl_model *m, uint64_t pos, int column, wchar_t *out, size_t cap)
{
    const trc_trace *t = m->trace;
    const store_row *r;
    const sock_info *si = NULL;
    uint64_t row;
    char buf[256];

    out[0] = L'\0';
    buf[0] = '\0';
    if (!t || pos >= m->count)
        return;
    row = evl_row_at(m, pos);
    r = store_row_at(t->events, row);
    if (trc_sockets_ready(t) && r->socket != STORE_NO_SOCKET)
        si = sock_model_at(t->sockets, r->socket);
    switch (column) {
    case EVL_COL_INDEX:
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)row);
        break;
    case EVL_COL_TIME:
        evl_time(m, pos, r, buf, sizeof buf);
        break;
    case EVL_COL_PROCESS:
        evl_process_text(t, si && si->pid ? si->pid : r->pid, out, cap);
        return;
    case EVL_COL_TID:
        snprintf(buf, sizeof buf, "%u", r->tid);
        break;
    case EVL_COL_CPU:
        snprintf(buf, sizeof buf, "%u", r->cpu);
        break;
    case EVL_COL_EVENT:
        evl_event_name(r, buf, sizeof buf);
        break;
    case EVL_COL_SOCKET:
        if (si)
            snprintf(buf, sizeof buf, "0x%llx:%u", (unsigned long long)si->endpoint, si->generation);
        break;
    case EVL_COL_LOCAL:
        if (si)
            afd_format_address(&si->local, buf, sizeof buf);
        break;
    case EVL_COL_REMOTE:
        if (si)
            afd_format_address(&si->remote, buf, sizeof buf);
        break;
    case EVL_COL_STATUS:
        evl_status_text(r, buf, sizeof buf);
        break;
    case EVL_COL_BYTES:
        if (r->bytes)
            snprintf(buf, sizeof buf, "%u", r->bytes);
        break;
    case EVL_COL_DETAILS:
        if (pos >= m->cache_from && pos - m->cache_from < m->cache_count)
            lstrcpynW(out, m->cache[pos - m->cache_from], (int)cap);
        else
            evl_details(m, row, out, cap);
        return;
    default:
        break;
    }
    utf_widen(buf, out, cap);
}

int evl_column_at(const evl_model *m, int list_column)
{
    if (m->columns == 0)
        return list_column >= 0 && list_column < EVL_COL_COUNT ? list_column : -1;
    return list_column >= 0 && list_column < m->columns ? m->column_of[list_column] : -1;
}

const wchar_t *evl_column_title(int column)
{
    return column >= 0 && column < EVL_COL_COUNT ? evl_columns[column].title : L"";
}

int evl_column_width96(int column)
{
    return column >= 0 && column < EVL_COL_COUNT ? evl_columns[column].width96 : 0;
}

int evl_column_format(int column)
{
    return column >= 0 && column < EVL_COL_COUNT ? evl_columns[column].format : LVCFMT_LEFT;
}

static void evl_cache_hint(evl_model *m, const NMLVCACHEHINT *h)
{
    uint64_t from = (uint64_t)(h->iFrom > 0 ? h->iFrom : 0), i;
    uint32_t n;

    if (!m->trace || h->iTo < h->iFrom)
        return;
    n = (uint32_t)(h->iTo - h->iFrom + 1);
    if (n > EVL_CACHE_ROWS)
        n = EVL_CACHE_ROWS;
    if (from >= m->count)
        return;
    if (from + n > m->count)
        n = (uint32_t)(m->count - from);
    if (from == m->cache_from && n <= m->cache_count)
        return;
    m->cache_count = 0;
    for (i = 0; i < n; i++)
        evl_details(m, evl_row_at(m, from + i), m->cache[i], EVL_DETAILS_CAP);
    m->cache_from = from;
    m->cache_count = n;
}

LRESULT evl_on_notify(HWND list, evl_model *m, const NMHDR *hdr)
{
    (void)list;
    switch (hdr->code) {
    case LVN_GETDISPINFOW: {
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)hdr;
        if ((di->item.mask & LVIF_TEXT) && di->item.pszText && di->item.cchTextMax > 0)
            evl_cell_text(m, (uint64_t)(di->item.iItem > 0 ? di->item.iItem : 0),
                          evl_column_at(m, di->item.iSubItem), di->item.pszText, (size_t)di->item.cchTextMax);
        return 0;
    }
    case LVN_ODCACHEHINT:
        evl_cache_hint(m, (const NMLVCACHEHINT *)hdr);
        return 0;
    case NM_CUSTOMDRAW: {
        NMLVCUSTOMDRAW *cd = (NMLVCUSTOMDRAW *)hdr;
        if (cd->nmcd.dwDrawStage == CDDS_PREPAINT)
            return CDRF_NOTIFYITEMDRAW;
        if (cd->nmcd.dwDrawStage == CDDS_ITEMPREPAINT && m->trace && (uint64_t)cd->nmcd.dwItemSpec < m->count
            && (store_row_at(m->trace->events, evl_row_at(m, (uint64_t)cd->nmcd.dwItemSpec))->flags & STORE_ROW_LOST)) {
            cd->clrText = RGB(128, 0, 0);
            cd->clrTextBk = RGB(255, 221, 170);
            return CDRF_NEWFONT;
        }
        return CDRF_DODEFAULT;
    }
    case LVN_ODFINDITEMW: {
        /* Typing digits in the list goes to the event with that number (#, the first column); text
         * is for Find (Ctrl+F), which searches every column on its own thread. */
        const NMLVFINDITEMW *fi = (const NMLVFINDITEMW *)hdr;
        const wchar_t *p = (fi->lvfi.flags & (LVFI_STRING | LVFI_PARTIAL)) ? fi->lvfi.psz : NULL;
        uint64_t row = 0;
        int64_t at;
        if (!p || !*p)
            return -1;
        for (; *p; p++) {
            if (*p < L'0' || *p > L'9' || row > UINT32_MAX)
                return -1;
            row = row * 10 + (uint64_t)(*p - L'0');
        }
        at = evl_position_of(m, row);
        return at >= 0 && at <= INT_MAX ? (LRESULT)at : -1;
    }
    default:
        return 0;
    }
}

void evl_rescale(HWND list, UINT old_dpi, UINT new_dpi)
{
    int i;

    if (old_dpi == new_dpi || old_dpi == 0)
        return;
    for (i = 0; i < Header_GetItemCount(ListView_GetHeader(list)); i++) {
        int cx = ListView_GetColumnWidth(list, i);
        ListView_SetColumnWidth(list, i, MulDiv(cx, (int)new_dpi, (int)old_dpi));
    }
}
