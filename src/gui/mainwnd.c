/*
 * mainwnd.c - the main window. It owns its children (filter bar, event list, socket table, detail
 * pane, timeline place, status bar), their font and the layout, the open trace and the filter/sort
 * job, and turns menu commands into actions. State hangs off GWLP_USERDATA, so nothing here is
 * global and a second window would be possible.
 *
 * Threads: this window's thread is the UI thread. The trace's consumer thread (trace.c) and the
 * filter worker (worker.c) talk to it only through posted messages (TRC_MSG_*, WRK_MSG_DONE) that
 * carry a serial number, so messages of a trace or job that was replaced are recognised and
 * dropped. While a trace loads, a ~30 Hz timer publishes the new row count to the list.
 *
 * Layout: the filter bar on top; below it the event list above the socket table on the left and
 * the detail pane (socket text above its event history) on the right, split by draggable gaps
 * (positions kept as fractions, so they survive resizing and DPI changes); the timeline across the
 * bottom (View > Timeline shows it, a gap above it resizes it); the status bar last. s->timeline is
 * whatever control holds that place: the layout only moves it and follows its WS_VISIBLE.
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* _snwprintf: its length is checked here (SDL checks would refuse it) */
#endif
#define COBJMACROS
#include "mainwnd.h"

#include <commctrl.h>
#include <commdlg.h>
#include <shellapi.h>
#include <shobjidl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capctl.h"
#include "columns.h"
#include "detail.h"
#include "dpi.h"
#include "eventlist.h"
#include "highlight.h"
#include "timeline.h"
#include "filedlg.h"
#include "filterbar.h"
#include "resource.h"
#include "settings.h"
#include "socktable.h"
#include "statusbar.h"
#include "theme.h"
#include "version.h"
#include "viewjob.h"
#include "worker.h"

#define MW_LOAD_TIMER      1
#define MW_ROWJOB_TIMER    1130    /* progress of an export or copy of events (viewjob.c) */
#define MW_LOAD_TICK_MS    33      /* ~30 list updates a second while loading */
#define MW_MSG_LOADED      (WM_APP + 60) /* wParam: the trace's serial (mw_on_loaded) */
#define MW_GAP96           5       /* splitter width at 96 DPI */
#define MW_MIN_PANE96      40
#define MW_NAV_MAX         64      /* selections Back and Forward remember */

enum mw_split { MW_SPLIT_NONE, MW_SPLIT_X, MW_SPLIT_Y, MW_SPLIT_DETAIL, MW_SPLIT_TIMELINE };

/* Client size of a new window, at 96 DPI. */
#define MW_INITIAL_WIDTH96  1120
#define MW_INITIAL_HEIGHT96 640

typedef struct mw_state {
    HWND hwnd;
    HWND list;
    HWND status;
    HWND sockets;
    HWND detail_text, detail_list;
    HWND detail_filter, detail_copy;   /* "Filter to this socket", "Copy" above the detail text */
    HWND timeline;         /* the timeline pane (timeline.c) */
    fbar filter;
    HFONT font;            /* the message font at dpi, shared by the children */
    UINT dpi;
    /* panes */
    BOOL show_sockets, show_detail;
    int split_x;           /* permille of the width given to the detail pane */
    int split_y;           /* permille of the left column given to the event list */
    int split_detail;      /* permille of the detail pane given to its text */
    int split_timeline;    /* permille of the space above the status bar given to the timeline */
    enum mw_split dragging;
    RECT gap_x, gap_y, gap_detail, gap_timeline;
    /* the trace and its views */
    trc_trace *trace;
    UINT serial;           /* the last serial given to a trace or a job: stale messages carry an older one */
    UINT job_serial;       /* the filter job's (an export or a find started meanwhile must not void it) */
    evl_model *events;
    stab_model socks;
    dtl_model detail;
    ULONGLONG tl_live_at; /* GetTickCount64 when a running capture's timeline index was last asked for */
    wrk_job *job;
    char filter_text[1024];/* the filter the view shows (or will, once loaded) */
    int sort_column;       /* -1: store order */
    int sort_descending;
    ULONGLONG last_update;
    ULONGLONG count_due;   /* GetTickCount64 before which the list's count is not set again */
    ITaskbarList3 *taskbar;
    /* Back / Forward: store rows selected, oldest first; nav_at is the current one */
    uint64_t nav[MW_NAV_MAX];
    int nav_count, nav_at;
    BOOL navigating;       /* a selection made by Back/Forward is not remembered again */
    BOOL selecting_all;    /* Edit > Select All at work: its per-row LVN_ITEMCHANGED (Wine sends one a row) are not selections */
    /* Find (the common Find dialog, modeless; the search runs on its own thread) */
    FINDREPLACEW find;
    wchar_t find_text[256];
    HWND find_dlg;
    UINT find_msg;         /* FINDMSGSTRING, registered */
    wrk_find *finder;
    UINT find_serial;
    wrk_export *exporter;
    UINT export_serial;
    vj_job *rowjob;        /* File > Export Events or Edit > Copy at work (one at a time) */
    UINT rowjob_serial;
    BOOL rowjob_copy;      /* it is a copy (else an export) */
    col_state cols;        /* the event list's columns (columns.c) */
    hl_state hl;           /* highlight rules (highlight.c) */
    set_values saved;      /* as loaded at start (mw_create applies the placement); recent files current */
    wchar_t opening[MAX_PATH]; /* the file being loaded: a recent file once it loads */
    cctl *capctl;          /* the Capture menu (capctl.c) */
    ULONGLONG sockets_due; /* capturing: GetTickCount64 before which the socket table is not rebuilt */
    BOOL live_filter;      /* capturing with a filter: the view grows by live jobs over the new rows */
    uint64_t live_end;     /* the store rows the live view has looked at */
    uint64_t live_cap;     /* rows the live view's array has room for */
} mw_state;

static mw_state *mw_get(HWND hwnd)
{
    return (mw_state *)GetWindowLongPtrW(hwnd, GWLP_USERDATA);
}

/* The status bar's own WS_VISIBLE, not IsWindowVisible: the first layouts happen before the main
 * window is shown, when IsWindowVisible says FALSE for every child. */
static BOOL mw_status_shown(const mw_state *s)
{
    return (GetWindowLongPtrW(s->status, GWL_STYLE) & WS_VISIBLE) != 0;
}

/* Splits total into a first part of permille (clamped so both parts keep a minimum) and the rest. */
static int mw_split_size(int total, int permille, int min)
{
    int first = MulDiv(total, permille, 1000);

    if (first > total - min)
        first = total - min;
    if (first < min)
        first = min;
    return first > total ? total : first;
}

static void mw_layout(mw_state *s)
{
    RECT rc, bar;
    int bar_height = 0, top, bottom, width, height, gap = dpi_scale(MW_GAP96, s->dpi);
    int min = dpi_scale(MW_MIN_PANE96, s->dpi), left_w, detail_w = 0, list_h, text_h, tl_h = 0;

    GetClientRect(s->hwnd, &rc);
    if (mw_status_shown(s)) {
        sbar_layout(s->status, s->dpi);
        GetWindowRect(s->status, &bar);
        bar_height = bar.bottom - bar.top;
    }
    top = fbar_layout(&s->filter, 0, 0, rc.right, s->dpi, s->font);
    SetRectEmpty(&s->gap_x);
    SetRectEmpty(&s->gap_y);
    SetRectEmpty(&s->gap_detail);
    SetRectEmpty(&s->gap_timeline);
    bottom = rc.bottom - bar_height;
    if ((GetWindowLongPtrW(s->timeline, GWL_STYLE) & WS_VISIBLE) && bottom - top > 2 * min + gap) {
        tl_h = (bottom - top - gap) - mw_split_size(bottom - top - gap, 1000 - s->split_timeline, min);
        MoveWindow(s->timeline, 0, bottom - tl_h, rc.right, tl_h, TRUE);
        SetRect(&s->gap_timeline, 0, bottom - tl_h - gap, rc.right, bottom - tl_h);
        bottom -= tl_h + gap;
    }
    width = rc.right;
    height = bottom > top ? bottom - top : 0;

    left_w = width;
    if (s->show_detail && width > 2 * min + gap) {
        detail_w = width - gap - mw_split_size(width - gap, 1000 - s->split_x, min);
        left_w = width - gap - detail_w;
        SetRect(&s->gap_x, left_w, top, left_w + gap, bottom);
        int bh = dpi_scale(24, s->dpi), bw = dpi_scale(130, s->dpi), dtop = top + bh + gap;
        int dheight = height - bh - gap > 0 ? height - bh - gap : 0;
        MoveWindow(s->detail_filter, left_w + gap, top, bw, bh, TRUE);
        MoveWindow(s->detail_copy, left_w + 2 * gap + bw, top, dpi_scale(60, s->dpi), bh, TRUE);
        text_h = dheight > 2 * min + gap ? mw_split_size(dheight - gap, s->split_detail, min) : dheight / 2;
        MoveWindow(s->detail_text, left_w + gap, dtop, detail_w, text_h, TRUE);
        MoveWindow(s->detail_list, left_w + gap, dtop + text_h + gap, detail_w,
                   dheight - text_h - gap > 0 ? dheight - text_h - gap : 0, TRUE);
        SetRect(&s->gap_detail, left_w + gap, dtop + text_h, width, dtop + text_h + gap);
    }
    ShowWindow(s->detail_filter, detail_w ? SW_SHOWNA : SW_HIDE);
    ShowWindow(s->detail_copy, detail_w ? SW_SHOWNA : SW_HIDE);
    ShowWindow(s->detail_text, detail_w ? SW_SHOWNA : SW_HIDE);
    ShowWindow(s->detail_list, detail_w ? SW_SHOWNA : SW_HIDE);
    list_h = height;
    if (s->show_sockets && height > 2 * min + gap) {
        list_h = mw_split_size(height - gap, s->split_y, min);
        MoveWindow(s->sockets, 0, top + list_h + gap, left_w, height - list_h - gap, TRUE);
        SetRect(&s->gap_y, 0, top + list_h, left_w, top + list_h + gap);
        ShowWindow(s->sockets, SW_SHOWNA);
    } else {
        ShowWindow(s->sockets, SW_HIDE);
    }
    MoveWindow(s->list, 0, top, left_w, list_h, TRUE);
}

static enum mw_split mw_hit_gap(const mw_state *s, POINT pt)
{
    if (PtInRect(&s->gap_x, pt))
        return MW_SPLIT_X;
    if (PtInRect(&s->gap_y, pt))
        return MW_SPLIT_Y;
    if (PtInRect(&s->gap_detail, pt))
        return MW_SPLIT_DETAIL;
    if (PtInRect(&s->gap_timeline, pt))
        return MW_SPLIT_TIMELINE;
    return MW_SPLIT_NONE;
}

static int mw_permille(int v, int total)
{
    if (total <= 0)
        return 500;
    v = MulDiv(v, 1000, total);
    return v < 0 ? 0 : v > 1000 ? 1000 : v;
}

/* Moves the splitter being dragged to the mouse (client coordinates). */
static void mw_drag_to(mw_state *s, POINT pt)
{
    RECT rc;
    int gap = dpi_scale(MW_GAP96, s->dpi);

    GetClientRect(s->hwnd, &rc);
    switch (s->dragging) {
    case MW_SPLIT_X:
        s->split_x = 1000 - mw_permille(pt.x, rc.right - gap);
        break;
    case MW_SPLIT_Y: {
        RECT lr, sr;
        GetWindowRect(s->list, &lr);
        GetWindowRect(s->sockets, &sr);
        MapWindowPoints(NULL, s->hwnd, (POINT *)&lr, 2);
        MapWindowPoints(NULL, s->hwnd, (POINT *)&sr, 2);
        s->split_y = mw_permille(pt.y - lr.top, sr.bottom - lr.top - gap);
        break;
    }
    case MW_SPLIT_TIMELINE: {
        RECT lr, bar;
        int bottom = rc.bottom;
        GetWindowRect(s->list, &lr);
        MapWindowPoints(NULL, s->hwnd, (POINT *)&lr, 2);
        if (mw_status_shown(s)) {
            GetWindowRect(s->status, &bar);
            bottom -= bar.bottom - bar.top;
        }
        s->split_timeline = 1000 - mw_permille(pt.y - lr.top, bottom - lr.top - gap);
        break;
    }
    case MW_SPLIT_DETAIL: {
        RECT tr, lr;
        GetWindowRect(s->detail_text, &tr);
        GetWindowRect(s->detail_list, &lr);
        MapWindowPoints(NULL, s->hwnd, (POINT *)&tr, 2);
        MapWindowPoints(NULL, s->hwnd, (POINT *)&lr, 2);
        s->split_detail = mw_permille(pt.y - tr.top, lr.bottom - tr.top - gap);
        break;
    }
    default:
        return;
    }
    mw_layout(s);
}

/* Give the children the message font at the current DPI; the old font goes only once nobody uses it. */
static void mw_apply_font(mw_state *s)
{
    HFONT old = s->font;
    HFONT font = dpi_create_message_font(s->dpi);

    if (!font)
        return;
    s->font = font;
    SendMessageW(s->list, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(s->status, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(s->sockets, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(s->detail_text, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(s->detail_filter, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(s->detail_copy, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(s->detail_list, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(s->timeline, WM_SETFONT, (WPARAM)font, TRUE);
    fbar_set_font(&s->filter, font);
    if (old)
        DeleteObject(old);
}

static void mw_about(HWND hwnd)
{
    MessageBoxW(hwnd,
                L"wskview " WSK_VERSION_WSTR L"\n\n"
                L"A viewer for Winsock network traces (ETW provider Microsoft-Windows-Winsock-AFD).",
                L"About wskview", MB_OK | MB_ICONINFORMATION);
}

static void mw_toggle_status_bar(mw_state *s)
{
    BOOL show = !mw_status_shown(s);

    ShowWindow(s->status, show ? SW_SHOW : SW_HIDE);
    CheckMenuItem(GetMenu(s->hwnd), IDM_VIEW_STATUSBAR, MF_BYCOMMAND | (show ? MF_CHECKED : MF_UNCHECKED));
    mw_layout(s);
}

/* ---- the trace ----------------------------------------------------------------------------- */

static void mw_status_utf8(mw_state *s, enum sbar_part part, const char *utf8)
{
    wchar_t wide[600];

    if (!MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, 600))
        wide[0] = L'\0';
    wide[599] = L'\0';
    sbar_set_text(s->status, part, wide);
}

static void mw_taskbar(mw_state *s, TBPFLAG state, unsigned permille)
{
    if (!s->taskbar)
        return;
    ITaskbarList3_SetProgressState(s->taskbar, s->hwnd, state);
    if (state == TBPF_NORMAL)
        ITaskbarList3_SetProgressValue(s->taskbar, s->hwnd, permille, 1000);
}

/* The trace's header once TRC_MSG_OPENED made it the UI's (events->trace is set then), else NULL. */
static const etl_header *mw_header(const mw_state *s)
{
    return s->events->trace ? s->events->trace->header : NULL;
}

static void mw_update_zone_text(mw_state *s)
{
    const etl_header *h = mw_header(s);
    char buf[160];

    if (s->events->zone == ETL_ZONE_UTC)
        snprintf(buf, sizeof buf, "UTC");
    else if (s->events->zone == ETL_ZONE_VIEWER)
        snprintf(buf, sizeof buf, "Viewer's time");
    else if (h && h->tz.standard_name[0])
        snprintf(buf, sizeof buf, "Trace: %s", h->tz.standard_name);
    else
        snprintf(buf, sizeof buf, "Trace's time");
    mw_status_utf8(s, SBAR_ZONE, buf);
}

/* Counts in the status bar; socket counts only once the model is the UI's. */
static void mw_update_counts(mw_state *s)
{
    const trc_trace *t = s->trace;
    uint64_t total = t ? store_count(t->events) : 0;
    uint64_t lost = mw_header(s) ? mw_header(s)->events_lost : 0;

    sbar_set_counts(s->status, s->events->count, total, s->socks.count, lost);
}

/* New rows while loading: the list grows without repainting what it shows or scrolling. Setting the
 * count costs nothing on Windows but grows with the count in Wine's list view (40 ms at 10 M rows), so
 * the next one waits ten times as long as the last took: the list gets at most a tenth of this thread. */
/* The list's count grows to n (rows came), without repainting what it shows; a capture's list follows new
 * rows while it shows its end (not after the user scrolled up). */
static void mw_grow_list(mw_state *s, uint64_t n)
{
    BOOL follow = s->trace && s->trace->capture && cctl_list_at_end(s->list, s->events->count);

    s->events->count = n;
    ListView_SetItemCountEx(s->list, (int)(n > INT_MAX ? INT_MAX : n), LVSICF_NOINVALIDATEALL | LVSICF_NOSCROLL);
    if (follow && n)
        ListView_EnsureVisible(s->list, (int)(n > INT_MAX ? INT_MAX : n) - 1, FALSE);
}

/* Capturing with a filter: the next live job looks at the rows published since the last one. */
static void mw_live_filter_next(mw_state *s)
{
    filt *f = NULL;
    filt_error err;

    if (s->job || store_count(s->trace->events) <= s->live_end || filt_compile(s->filter_text, &f, &err) != 0)
        return;
    s->job_serial = ++s->serial;
    s->job = wrk_start_live(s->trace, f, s->live_end, s->hwnd, s->job_serial, NULL);
}

static void mw_update_load(mw_state *s)
{
    trc_trace *t = s->trace;
    uint64_t n;
    unsigned pm;
    char buf[64];
    ULONGLONG now = GetTickCount64();

    if (!t || t->done || s->events->trace != t)
        return;              /* not loading, or TRC_MSG_OPENED (the header) not seen yet */
    n = store_count(t->events);
    if (s->live_filter)
        mw_live_filter_next(s);
    else if (!s->events->rows && n != s->events->count && now >= s->count_due) {
        LARGE_INTEGER freq, before, after;
        ULONGLONG cost_ms;
        QueryPerformanceFrequency(&freq);
        QueryPerformanceCounter(&before);
        mw_grow_list(s, n);
        QueryPerformanceCounter(&after);
        cost_ms = (ULONGLONG)((after.QuadPart - before.QuadPart) * 1000 / freq.QuadPart);
        s->count_due = now + 10 * cost_ms;
    }
    if (t->capture && now >= s->sockets_due && trc_sockets_begin(t)) {
        /* While capturing, the socket table takes the new sockets once a second (their cells are read at
         * paint time); a busy lock waits for the next tick. */
        if (sock_model_count(t->sockets) != s->socks.count)
            stab_set_trace(s->sockets, &s->socks, t);
        trc_sockets_end(t);
        s->sockets_due = now + 1000;
    }
    mw_update_counts(s);
    if (!t->capture) { /* capctl.c says how a capture goes */
        pm = trc_progress_permille(t);
        snprintf(buf, sizeof buf, "Loading %u%%", pm / 10);
        mw_status_utf8(s, SBAR_PROGRESS, buf);
        mw_taskbar(s, TBPF_NORMAL, pm);
    }
    s->last_update = now;
}

static void mw_stop_job(mw_state *s)
{
    wrk_stop(s->job);
    s->job = NULL;
}

static void mw_set_rows(mw_state *s, uint32_t *rows, uint64_t count)
{
    free((void *)s->events->rows);
    s->events->rows = rows;
    s->events->count = count;
    evl_model_changed(s->list, s->events);
    mw_update_counts(s);
}

/* Re-makes the view from the filter text and the sort column: at once when it is the plain store
 * order and no job is working, on the worker thread otherwise (a job replacing a job). Before the
 * trace is loaded it only remembers them. */
static void mw_refresh_view(mw_state *s)
{
    filt *f = NULL;
    filt_error err;
    char msg[256];

    fbar_set_error(&s->filter, NULL);
    if (s->filter_text[0] && filt_compile(s->filter_text, &f, &err) != 0) {
        snprintf(msg, sizeof msg, "Column %u: %s", (unsigned)err.column, err.message);
        fbar_set_error(&s->filter, msg);
        /* The caret goes where the problem is, so the fix is one keystroke away. */
        if (err.column > 0)
            SendMessageW(s->filter.edit, EM_SETSEL, (WPARAM)(err.column - 1), (LPARAM)(err.column - 1));
        return;
    }
    s->live_filter = FALSE;
    if (s->trace && s->trace->capture && !s->trace->done) {
        /* Capturing: a filter selects from the rows so far and then from each new batch (mw_update_load);
         * without one the list is the store again. A sort waits for the stop. */
        mw_stop_job(s);
        if (s->sort_column >= 0) {
            fbar_set_error(&s->filter, "Sorting applies when the capture stops.");
            mw_status_utf8(s, SBAR_PROGRESS,
                           "Sorting applies when the capture stops (Capture > Stop Capture)");
        }
        if (!f) {
            mw_set_rows(s, NULL, store_count(s->trace->events));
            return;
        }
        s->live_filter = TRUE;
        s->live_end = 0;
        s->live_cap = 1;
        s->events->ascending = 1;
        mw_set_rows(s, (uint32_t *)calloc(1, sizeof(uint32_t)), 0); /* non-NULL: a view of no rows yet */
        s->job_serial = ++s->serial;
        s->job = wrk_start_live(s->trace, f, 0, s->hwnd, s->job_serial, NULL);
        return;
    }
    if (!s->trace || !s->trace->done || s->trace->failed) {
        filt_free(f);
        if (s->trace && !s->trace->done && (s->filter_text[0] || s->sort_column >= 0))
            fbar_set_error(&s->filter, "Applies when the trace is loaded.");
        return;
    }
    /* The timeline follows the filter: the job builds its part from the rows it selects; the pane shows the
     * previous filter until the result comes (mw_on_job_done). */
    if (!f && s->sort_column < 0 && !s->job) {
        tlw_apply_filter(s->timeline, NULL);
        mw_set_rows(s, NULL, store_count(s->trace->events));
        return;
    }
    s->job_serial = ++s->serial;
    s->job = wrk_start(s->trace, f, tlw_index(s->timeline), s->sort_column, s->sort_descending, s->hwnd,
                       s->job_serial, s->job);
    mw_status_utf8(s, SBAR_PROGRESS, s->job ? "Filtering..." : "Could not start filtering");
}

/* A live job's rows go after the view's (both in store order). FALSE when out of memory. */
static BOOL mw_append_live(mw_state *s, const wrk_result *r)
{
    uint32_t *rows = (uint32_t *)s->events->rows;
    uint64_t need = s->events->count + r->count;

    if (need > s->live_cap) { /* doubling: a long capture does not copy its view at every batch */
        uint64_t cap = need > 2 * s->live_cap ? need : 2 * s->live_cap;
        rows = (uint32_t *)realloc(rows, (size_t)cap * sizeof *rows);
        if (!rows)
            return FALSE;
        s->events->rows = rows;
        s->live_cap = cap;
    }
    memcpy(rows + s->events->count, r->rows, (size_t)r->count * sizeof *rows);
    s->live_end = r->end;
    mw_grow_list(s, s->events->count + r->count);
    mw_update_counts(s);
    return TRUE;
}

static void mw_on_job_done(mw_state *s, UINT serial, wrk_result *r)
{
    if (!s->job || serial != s->job_serial) {
        wrk_result_free(r);
        return;
    }
    mw_stop_job(s);
    if (r->live) {
        if (s->live_filter && (r->failed || !mw_append_live(s, r)))
            mw_status_utf8(s, SBAR_PROGRESS, "Out of memory while filtering");
        wrk_result_free(r);
        return;
    }
    if (r->failed) {
        mw_status_utf8(s, SBAR_PROGRESS, "Out of memory while filtering");
    } else {
        tlw_apply_filter(s->timeline, r->timeline); /* NULL (everything) without a filter */
        r->timeline = NULL;
        if (!s->filter_text[0] && s->sort_column < 0) {
            mw_set_rows(s, NULL, r->count);    /* the plain store order needs no array */
        } else {
            s->events->ascending =
                s->sort_column < 0 || (s->sort_column == ROWS_COL_INDEX && !s->sort_descending);
            mw_set_rows(s, r->rows, r->count);
            r->rows = NULL;
        }
        mw_status_utf8(s, SBAR_PROGRESS, s->trace->path[0] ? "Loaded" : cctl_state_text(s->capctl));
    }
    wrk_result_free(r);
}

static void mw_stop_rowjob(mw_state *s)
{
    KillTimer(s->hwnd, MW_ROWJOB_TIMER);
    vj_stop(s->rowjob);
    s->rowjob = NULL;
}

/* A job over the shown rows started (or not): its progress shows in the status bar until it ends. */
static void mw_rowjob_started(mw_state *s, vj_job *job, const char *what)
{
    char msg[96];

    s->rowjob = job;
    if (!job) {
        snprintf(msg, sizeof msg, "Could not start: %s", what);
        mw_status_utf8(s, SBAR_PROGRESS, msg);
        return;
    }
    snprintf(msg, sizeof msg, "%s 0%% (Esc cancels)", what);
    mw_status_utf8(s, SBAR_PROGRESS, msg);
    SetTimer(s->hwnd, MW_ROWJOB_TIMER, 200, NULL);
}

static void mw_rowjob_progress(mw_state *s)
{
    char msg[96];

    if (!s->rowjob)
        return;
    snprintf(msg, sizeof msg, "%s %u%% (Esc cancels)", s->rowjob_copy ? "Copying" : "Exporting",
             vj_progress_permille(s->rowjob) / 10);
    mw_status_utf8(s, SBAR_PROGRESS, msg);
}

static void mw_cancel_rowjob(mw_state *s)
{
    if (s->rowjob) {
        mw_stop_rowjob(s);
        mw_status_utf8(s, SBAR_PROGRESS, "Cancelled");
    }
}

static void mw_close_trace(mw_state *s)
{
    KillTimer(s->hwnd, MW_LOAD_TIMER);
    mw_stop_job(s);
    s->live_filter = FALSE;
    wrk_find_stop(s->finder);
    s->finder = NULL;
    wrk_export_stop(s->exporter);
    s->exporter = NULL;
    mw_stop_rowjob(s);
    dtl_show(s->detail_text, s->detail_list, &s->detail, NULL, SOCK_NONE);
    stab_set_trace(s->sockets, &s->socks, NULL);
    tlw_set_trace(s->timeline, NULL, NULL, NULL, ETL_ZONE_UTC);
    s->events->trace = NULL;
    mw_set_rows(s, NULL, 0);
    trc_close(s->trace);
    s->trace = NULL;
    s->nav_count = 0;
    s->nav_at = 0;
    mw_taskbar(s, TBPF_NOPROGRESS, 0);
}

static void mw_timeline_need(mw_state *s, BOOL refilter);

/* A running capture's shown timeline: an index of the rows so far, built on a job thread every couple of
 * seconds (now when force), taken on TRC_MSG_TIMELINE; the one shown stays until then. */
static void mw_timeline_live(mw_state *s, BOOL force)
{
    ULONGLONG now = GetTickCount64();

    if (!(GetWindowLongPtrW(s->timeline, GWL_STYLE) & WS_VISIBLE) || (!force && now - s->tl_live_at < 2000))
        return;
    s->tl_live_at = now;
    if (trc_timeline_live(s->trace) == TRC_TL_BUILDING && !tlw_index(s->timeline))
        tlw_set_building(s->timeline);
}

/* Every CCTL_TIMER tick while capturing: the detail pane's index and its socket's new rows, the timeline. */
static void mw_live_views(mw_state *s)
{
    if (!s->trace)
        return;
    trc_index_capture(s->trace);
    dtl_refresh(s->detail_text, s->detail_list, &s->detail, s->trace);
    if (!s->trace->done && s->trace->capture)
        mw_timeline_live(s, FALSE);
}

BOOL mw_open_file(HWND hwnd, const wchar_t *path)
{
    mw_state *s = mw_get(hwnd);
    trc_trace *t;
    wchar_t title[300];

    if (!s)
        return FALSE;
    /* The new file starts opening on its own thread while the old one's panes are cleared; empty panes
     * (nothing open) are not cleared again, which costs ~15-25 ms under Wine. */
    t = trc_start(path, hwnd, ++s->serial);
    if (s->trace)
        mw_close_trace(s);
    s->trace = t;
    if (!s->trace) {
        sbar_set_text(s->status, SBAR_PROGRESS, L"Out of memory");
        return FALSE;
    }
    mw_timeline_need(s, FALSE);
    sbar_set_text(s->status, SBAR_FILE, path);
    sbar_set_text(s->status, SBAR_PROGRESS, L"Opening...");
    lstrcpynW(s->opening, path, MAX_PATH);
    lstrcpynW(title, s->trace->name, 280);
    lstrcatW(title, L" - wskview");
    SetWindowTextW(hwnd, title);
    if (!s->taskbar && SUCCEEDED(CoCreateInstance(&CLSID_TaskbarList, NULL, CLSCTX_INPROC_SERVER,
                                                  &IID_ITaskbarList3, (void **)&s->taskbar))
        && FAILED(ITaskbarList3_HrInit(s->taskbar))) {
        ITaskbarList3_Release(s->taskbar);
        s->taskbar = NULL;
    }
    mw_taskbar(s, TBPF_INDETERMINATE, 0);
    return TRUE;
}

/* File > Recent Files from saved.recent: "&1 path", ...; "(none)" greyed when empty. */
static void mw_build_recent_menu(mw_state *s)
{
    HMENU file = GetSubMenu(GetMenu(s->hwnd), 0);
    HMENU recent = file ? GetSubMenu(file, 1) : NULL;
    wchar_t label[MAX_PATH + 8];
    int i, n = 0;

    if (!recent)
        return;
    while (GetMenuItemCount(recent) > 0)
        DeleteMenu(recent, 0, MF_BYPOSITION);
    for (i = 0; i < SET_RECENT && i < IDM_FILE_RECENT_COUNT; i++) {
        if (!s->saved.recent[i][0])
            continue;
        _snwprintf(label, MAX_PATH + 8, L"&%d %ls", n + 1, s->saved.recent[i]);
        label[MAX_PATH + 7] = L'\0';
        AppendMenuW(recent, MF_STRING, (UINT_PTR)(IDM_FILE_RECENT_FIRST + i), label);
        n++;
    }
    if (!n)
        AppendMenuW(recent, MF_STRING | MF_GRAYED, IDM_FILE_RECENT, L"(none)");
}

/* A file that loaded goes first in the recent files (once). */
static void mw_remember_file(mw_state *s, const wchar_t *path)
{
    int i, at = SET_RECENT - 1;

    if (!path[0])
        return;
    for (i = 0; i < SET_RECENT; i++)
        if (lstrcmpiW(s->saved.recent[i], path) == 0) {
            at = i;
            break;
        }
    for (i = at; i > 0; i--)
        lstrcpyW(s->saved.recent[i], s->saved.recent[i - 1]);
    lstrcpynW(s->saved.recent[0], path, MAX_PATH);
    mw_build_recent_menu(s);
}

static void mw_on_opened(mw_state *s)
{
    s->events->trace = s->trace;
    mw_update_zone_text(s);
    SetTimer(s->hwnd, MW_LOAD_TIMER, MW_LOAD_TICK_MS, NULL);
    mw_update_load(s);
}

BOOL mw_show_capture(HWND hwnd, trc_trace *t)
{
    mw_state *s = mw_get(hwnd);
    wchar_t title[300];

    if (!s)
        return FALSE;
    mw_close_trace(s);
    s->trace = t;
    t->serial = ++s->serial;
    s->opening[0] = L'\0';
    _snwprintf(title, 300, L"%ls - wskview", t->name);
    title[299] = L'\0';
    SetWindowTextW(hwnd, title);
    mw_on_opened(s);
    if (s->filter_text[0] || s->sort_column >= 0)
        mw_refresh_view(s); /* the filter shown applies to the capture from its first row */
    return TRUE;
}

cctl *mw_capture_controller(HWND hwnd)
{
    mw_state *s = mw_get(hwnd);
    return s ? s->capctl : NULL;
}

/* The timeline's times in the list's format: seconds since the first event, or the time of day. */
static void mw_timeline_time_origin(mw_state *s)
{
    const trc_trace *t = s->trace;
    BOOL relative = s->events->time_format != EVL_TIME_OF_DAY;

    tlw_set_time_origin(s->timeline, relative && t && t->done && !t->failed && store_count(t->events)
                                         ? store_row_at(t->events, 0)->time
                                         : 0);
}

static void mw_on_done(mw_state *s)
{
    trc_trace *t = s->trace;
    char buf[700];

    KillTimer(s->hwnd, MW_LOAD_TIMER);
    trc_finish(t);
    mw_taskbar(s, TBPF_NOPROGRESS, 0);
    if (t->failed) {
        wchar_t wide[600];
        snprintf(buf, sizeof buf, "%s", t->error);
        mw_status_utf8(s, SBAR_PROGRESS, "Could not open");
        mw_close_trace(s);
        SetWindowTextW(s->hwnd, L"wskview");
        if (!MultiByteToWideChar(CP_UTF8, 0, buf, -1, wide, 600))
            wide[0] = L'\0';
        wide[599] = L'\0';
        MessageBoxW(s->hwnd, wide, L"wskview: cannot open the file", MB_OK | MB_ICONWARNING);
        return;
    }
    mw_remember_file(s, s->opening);
    s->events->trace = t;
    if (!s->events->rows) {
        s->events->count = store_count(t->events);
        evl_model_changed(s->list, s->events);
    }
    PostMessageW(s->hwnd, MW_MSG_LOADED, (WPARAM)t->serial, 0);
}

/* The timeline's index goes to the pane (which owns it from then on); refilter: the list's filter, applied
 * before the index came, is built for it by a new filter job. */
static int mw_model_begin(void *trace)
{
    return trc_sockets_begin((trc_trace *)trace);
}

static void mw_model_end(void *trace)
{
    trc_sockets_end((trc_trace *)trace);
}

static void mw_timeline_take(mw_state *s, BOOL refilter)
{
    trc_trace *t = s->trace;
    tl *index = trc_timeline_take(t);

    /* A running capture's index: the pane reads the model it points to only while the consumer pauses (a busy
     * model now: the next one comes in two seconds). */
    if (!trc_sockets_begin(t)) {
        tl_destroy(index);
        return;
    }
    tlw_set_model_lock(s->timeline, t->done ? NULL : mw_model_begin, mw_model_end, t);
    if (!tlw_set_index(s->timeline, index, t->sockets, t->header, s->events->zone))
        mw_status_utf8(s, SBAR_PROGRESS, "Out of memory for the timeline");
    trc_sockets_end(t);
    if (refilter && s->filter_text[0])
        mw_refresh_view(s);
}

/* The timeline's index (13 bytes an event) exists only for a shown pane, and is never built on this thread:
 * while loading the consumer is asked to build it after the load; once loaded (a file, a stopped capture, a
 * cancelled load alike) it is the consumer's, or a job's that posts TRC_MSG_TIMELINE. */
static void mw_timeline_need(mw_state *s, BOOL refilter)
{
    trc_trace *t = s->trace;

    if (!t || !(GetWindowLongPtrW(s->timeline, GWL_STYLE) & WS_VISIBLE))
        return;
    if (!t->done && t->capture) {
        mw_timeline_live(s, TRUE);
        return;
    }
    if (!t->done) {
        trc_want_timeline(t);
        return;
    }
    switch (trc_timeline_request(t)) {
    case TRC_TL_READY:
        mw_timeline_take(s, refilter);
        break;
    case TRC_TL_BUILDING:
        tlw_set_building(s->timeline);
        break;
    default:
        break;
    }
}

/* The rest of a finished load's hand-over, one message after mw_on_done: the loop answers in between
 * (under Wine the list's new count and the socket table's fill each take 20-40 ms at 10 M events). */
static void mw_on_loaded(mw_state *s)
{
    trc_trace *t = s->trace;
    char buf[700];

    stab_set_trace(s->sockets, &s->socks, t);
    mw_timeline_time_origin(s);
    mw_timeline_need(s, FALSE); /* the filter is applied below */
    mw_update_counts(s);
    if (!t->path[0]) {
        cctl_on_stopped(s->capctl, t); /* a capture: its own words in the status bar */
        dtl_refresh(s->detail_text, s->detail_list, &s->detail, t); /* the rows since the last tick */
    } else if (t->diagnostics)
        snprintf(buf, sizeof buf, "%s with %u problem%s (first %s)",
                 t->stats.cancelled ? "Cancelled" : "Loaded", (unsigned)t->diagnostics,
                 t->diagnostics == 1 ? "" : "s", t->first_diag);
    else
        snprintf(buf, sizeof buf, "%s", t->stats.cancelled ? "Cancelled" : "Loaded");
    if (t->path[0])
        mw_status_utf8(s, SBAR_PROGRESS, buf);
    if (t->diagnostics) {
        char tip[700];
        snprintf(tip, sizeof tip, "Not all of the file could be read: %s", buf);
        mw_status_utf8(s, SBAR_FILE, tip);
    }
    fbar_set_error(&s->filter, NULL);
    if (s->filter_text[0] || s->sort_column >= 0)
        mw_refresh_view(s);
}

static void mw_cancel_load(mw_state *s)
{
    if (s->trace && !s->trace->done) {
        plat_store_release(&s->trace->cancel, 1);
        mw_on_done(s);
    }
}

static void mw_open_dialog(mw_state *s)
{
    wchar_t path[MAX_PATH * 4] = L"";

    if (fdlg_open(s->hwnd, L"Event trace logs (*.etl)\0*.etl\0All files (*.*)\0*.*\0", L"etl", path,
                  MAX_PATH * 4))
        mw_open_file(s->hwnd, path);
}

/* File > Export Sockets: CSV or JSON Lines by the type chosen (or the name's extension), written on
 * the export thread. */
static void mw_export_dialog(mw_state *s)
{
    wchar_t path[MAX_PATH * 4] = L"sockets.csv";
    int jsonl;

    if (!s->trace || !s->trace->done || s->trace->failed) {
        mw_status_utf8(s, SBAR_PROGRESS, "Export works once a trace is loaded");
        return;
    }
    if (!fdlg_save_table(s->hwnd, L"Sockets as CSV (*.csv)\0*.csv\0Sockets as JSON Lines (*.jsonl)\0*.jsonl\0", path,
                         MAX_PATH * 4, &jsonl))
        return;
    wrk_export_stop(s->exporter);
    s->export_serial = ++s->serial;
    s->exporter = wrk_export_start(s->trace, path, jsonl, s->hwnd, s->export_serial);
    mw_status_utf8(s, SBAR_PROGRESS, s->exporter ? "Exporting..." : "Could not start the export");
}

/* File > Export Events: the rows the list shows (filtered, sorted), as `wskdump events` writes them. */
static void mw_export_events_dialog(mw_state *s)
{
    wchar_t path[MAX_PATH * 4] = L"events.csv";
    int jsonl;

    /* A running capture too: the rows shown so far, from its arena (viewjob.c). */
    if (!s->trace || (!s->trace->done && !s->trace->capture) || s->trace->failed || s->job) {
        mw_status_utf8(s, SBAR_PROGRESS, "Export works once a trace is loaded and filtered");
        return;
    }
    if (!fdlg_save_table(s->hwnd, L"Events as CSV (*.csv)\0*.csv\0Events as JSON Lines (*.jsonl)\0*.jsonl\0", path,
                         MAX_PATH * 4, &jsonl))
        return;
    mw_stop_rowjob(s);
    s->rowjob_serial = ++s->serial;
    s->rowjob_copy = FALSE;
    mw_rowjob_started(s, vj_export_start(s->trace, s->events->rows, s->events->count, path, jsonl, s->hwnd,
                                         s->rowjob_serial), "Exporting");
}

static void mw_on_rowjob_done(mw_state *s, UINT serial, vj_result *r)
{
    char msg[400];
    const char *rows_word = r->rows == 1 ? "event" : "events";

    if (!s->rowjob || serial != s->rowjob_serial) {
        vj_result_free(r);
        return;
    }
    mw_stop_rowjob(s);
    if (r->failed) {
        snprintf(msg, sizeof msg, "%s failed: %s", r->kind == VJ_COPY ? "Copy" : "Export", r->error);
    } else if (r->kind == VJ_COPY) {
        BOOL put = FALSE;
        if (OpenClipboard(s->hwnd)) {
            EmptyClipboard();
            put = SetClipboardData(CF_UNICODETEXT, r->text) != NULL;
            if (put)
                r->text = NULL; /* the clipboard owns it now */
            CloseClipboard();
        }
        if (!put)
            snprintf(msg, sizeof msg, "Could not put the text on the clipboard");
        else if (r->capped)
            snprintf(msg, sizeof msg, "Copied the first %llu rows only: the text reached %u MB "
                     "(File > Export Events writes any number)", (unsigned long long)r->rows,
                     (unsigned)(VJ_COPY_MAX_BYTES >> 20));
        else
            snprintf(msg, sizeof msg, "Copied %llu row%s", (unsigned long long)r->rows, r->rows == 1 ? "" : "s");
    } else {
        snprintf(msg, sizeof msg, "Exported %llu %s", (unsigned long long)r->rows, rows_word);
    }
    mw_status_utf8(s, SBAR_PROGRESS, msg);
    vj_result_free(r);
}

static void mw_on_exported(mw_state *s, UINT serial, LPARAM written)
{
    char msg[96];

    if (!s->exporter || serial != s->export_serial)
        return;
    wrk_export_stop(s->exporter);
    s->exporter = NULL;
    if (written < 0)
        snprintf(msg, sizeof msg, "Could not write the export");
    else
        snprintf(msg, sizeof msg, "Exported %lld sockets", (long long)written);
    mw_status_utf8(s, SBAR_PROGRESS, msg);
}

static void mw_on_drop(mw_state *s, HDROP drop)
{
    wchar_t path[MAX_PATH * 4];

    if (DragQueryFileW(drop, 0, path, MAX_PATH * 4))
        mw_open_file(s->hwnd, path);
    DragFinish(drop);
}

static void mw_apply_filter(mw_state *s)
{
    fbar_text(&s->filter, s->filter_text, sizeof s->filter_text);
    fbar_remember(&s->filter, s->filter_text);
    mw_refresh_view(s);
}

static void mw_clear_filter(mw_state *s)
{
    fbar_set_text(&s->filter, "");
    s->filter_text[0] = '\0';
    mw_refresh_view(s);
}

/* Column header click: sort by it, again reverses. */
static void mw_sort_by(mw_state *s, int column)
{
    if (column < 0 || column >= ROWS_COL_COUNT)
        return;
    if (s->sort_column == column)
        s->sort_descending = !s->sort_descending;
    else {
        s->sort_column = column;
        s->sort_descending = 0;
    }
    col_set_sort_arrow(s->list, s->events, column, s->sort_descending);
    mw_refresh_view(s);
}

/* The selected event's socket in the detail pane. */
static void mw_on_event_selected(mw_state *s, int pos)
{
    const store_row *r;

    if (!s->trace || (!s->trace->done && !s->trace->capture) || s->trace->failed || pos < 0 ||
        (uint64_t)pos >= s->events->count) {
        dtl_show(s->detail_text, s->detail_list, &s->detail, s->trace, SOCK_NONE);
        tlw_set_selection(s->timeline, TL_NONE, 0);
        return;
    }
    r = store_row_at(s->trace->events, evl_row_at(s->events, (uint64_t)pos));
    dtl_show(s->detail_text, s->detail_list, &s->detail, s->trace, r->socket);
    tlw_set_selection(s->timeline, r->socket, r->time);
}

/* A selection the user made: Back (Alt+Left) returns to it later; what was ahead of it is dropped. */
static void mw_remember(mw_state *s, int pos)
{
    uint64_t row;

    if (s->navigating || pos < 0 || (uint64_t)pos >= s->events->count)
        return;
    row = evl_row_at(s->events, (uint64_t)pos);
    if (s->nav_count && s->nav[s->nav_at] == row)
        return;
    s->nav_count = s->nav_count ? s->nav_at + 1 : 0;
    if (s->nav_count == MW_NAV_MAX) {
        memmove(s->nav, s->nav + 1, (MW_NAV_MAX - 1) * sizeof s->nav[0]);
        s->nav_count--;
    }
    s->nav[s->nav_count++] = row;
    s->nav_at = s->nav_count - 1;
}

/* The event list shows one socket's events only ("Show all" undoes it). */
static void mw_filter_to_socket(mw_state *s, uint32_t idx)
{
    const sock_info *si;
    char text[128];

    if (idx == SOCK_NONE || !s->trace || !s->trace->done || idx >= sock_model_count(s->trace->sockets))
        return;
    si = sock_model_at(s->trace->sockets, idx);
    snprintf(text, sizeof text, "socket.endpoint == 0x%llx and socket.generation == %u",
             (unsigned long long)si->endpoint, si->generation);
    fbar_set_text(&s->filter, text);
    mw_apply_filter(s);
}

/* A socket chosen in the socket table. */
static void mw_on_socket_selected(mw_state *s, int pos)
{
    mw_filter_to_socket(s, stab_socket_at(&s->socks, pos));
}

/* Unicode text on the clipboard. */
static void mw_set_clipboard(mw_state *s, const wchar_t *text)
{
    size_t len = wcslen(text);
    HGLOBAL mem = GlobalAlloc(GMEM_MOVEABLE, (len + 1) * sizeof(wchar_t));
    wchar_t *p = mem ? (wchar_t *)GlobalLock(mem) : NULL;

    if (!p) {
        if (mem)
            GlobalFree(mem);
        return;
    }
    memcpy(p, text, (len + 1) * sizeof(wchar_t));
    GlobalUnlock(mem);
    if (OpenClipboard(s->hwnd)) {
        EmptyClipboard();
        if (SetClipboardData(CF_UNICODETEXT, mem))
            mem = NULL;                /* the clipboard owns it now */
        CloseClipboard();
    }
    if (mem)
        GlobalFree(mem);
}

static void mw_copy_detail(mw_state *s)
{
    int len = GetWindowTextLengthW(s->detail_text);
    wchar_t *text = (wchar_t *)malloc(((size_t)len + 1) * sizeof *text);

    if (text && GetWindowTextW(s->detail_text, text, len + 1) >= 0)
        mw_set_clipboard(s, text);
    free(text);
}

/* Edit > Copy (Ctrl+C): the selected events, the shown columns in display order, tab-separated with a
 * header, made on the job's thread (any number of rows, up to VJ_COPY_MAX_BYTES of text). Edit boxes keep
 * their own Ctrl+C (main.c never translates it for them). */
static void mw_copy_rows(mw_state *s)
{
    uint64_t selected = (uint64_t)ListView_GetSelectedCount(s->list), k = 0;
    uint32_t *positions = NULL;
    int columns[EVL_COL_COUNT], ncolumns = col_shown_in_order(s->list, s->events, columns), pos = -1;

    if (!selected || !s->trace || !s->trace->done || s->trace->failed || s->job) {
        mw_status_utf8(s, SBAR_PROGRESS, selected ? "Copy works once a trace is loaded and filtered" : "Nothing selected");
        return;
    }
    /* Select All needs no list of positions (and walking ten million of them would take a while). */
    if (selected < s->events->count) {
        positions = (uint32_t *)malloc((size_t)selected * sizeof *positions);
        if (!positions) {
            mw_status_utf8(s, SBAR_PROGRESS, "Out of memory");
            return;
        }
        while (k < selected && (pos = ListView_GetNextItem(s->list, pos, LVNI_SELECTED)) >= 0)
            positions[k++] = (uint32_t)pos;
    }
    mw_stop_rowjob(s);
    s->rowjob_serial = ++s->serial;
    s->rowjob_copy = TRUE;
    mw_rowjob_started(s, vj_copy_start(s->trace, s->events, positions, k, columns, ncolumns, s->hwnd,
                                       s->rowjob_serial), "Copying");
    free(positions);
}

/* Selects (only) the event at view position at, and scrolls to it. */
static void mw_select_position(mw_state *s, int64_t at)
{
    if (at < 0 || at > INT_MAX)
        return;
    ListView_SetItemState(s->list, -1, 0, LVIS_SELECTED);
    ListView_SetItemState(s->list, (int)at, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
    ListView_EnsureVisible(s->list, (int)at, FALSE);
}

/* An entry of the socket's history chosen: select that event in the main list when the view has it. */
static void mw_on_history_selected(mw_state *s, int pos)
{
    if (pos >= 0 && (uint32_t)pos < s->detail.count)
        mw_select_position(s, evl_position_of(s->events, s->detail.rows[pos]));
}

static INT_PTR CALLBACK mw_goto_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    wchar_t text[32];

    switch (msg) {
    case WM_INITDIALOG:
        SetWindowLongPtrW(dlg, DWLP_USER, lp);
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDOK) {
            GetDlgItemTextW(dlg, IDC_GOTO_NUMBER, text, 32);
            if (!text[0])
                return TRUE;           /* nothing typed: stay */
            *(uint64_t *)GetWindowLongPtrW(dlg, DWLP_USER) = _wcstoui64(text, NULL, 10);
            EndDialog(dlg, IDOK);
            return TRUE;
        }
        if (LOWORD(wp) == IDCANCEL) {
            EndDialog(dlg, IDCANCEL);
            return TRUE;
        }
        break;
    default:
        break;
    }
    return FALSE;
}

HWND mw_modeless_dialog(HWND hwnd)
{
    mw_state *s = mw_get(hwnd);
    return s ? s->find_dlg : NULL;
}

static void mw_find_dialog(mw_state *s)
{
    if (s->find_dlg) {
        SetFocus(s->find_dlg);
        return;
    }
    ZeroMemory(&s->find, sizeof s->find);
    s->find.lStructSize = sizeof s->find;
    s->find.hwndOwner = s->hwnd;
    s->find.lpstrFindWhat = s->find_text;
    s->find.wFindWhatLen = (WORD)(sizeof s->find_text / sizeof s->find_text[0]);
    s->find.Flags = FR_DOWN | FR_HIDEMATCHCASE | FR_HIDEWHOLEWORD;
    s->find_dlg = FindTextW(&s->find);
}

/* The next (previous) event after the selected one whose text has find_text, on the find thread. */
static void mw_find(mw_state *s, int backward)
{
    int sel = ListView_GetNextItem(s->list, -1, LVNI_SELECTED);
    uint64_t n = s->events->count, from;
    char text[768];

    if (!s->find_text[0]) {
        mw_find_dialog(s);
        return;
    }
    if (!s->trace || (!s->trace->done && !s->trace->capture) || s->trace->failed || !n) {
        mw_status_utf8(s, SBAR_PROGRESS, "Find works once the trace is loaded");
        return;
    }
    from = sel >= 0 ? (uint64_t)sel : backward ? 0 : n - 1;
    if (!WideCharToMultiByte(CP_UTF8, 0, s->find_text, -1, text, (int)sizeof text, NULL, NULL))
        return;
    wrk_find_stop(s->finder);
    s->find_serial = ++s->serial;
    s->finder = wrk_find_start(s->trace, s->events->rows, n, from, backward, text, s->hwnd, s->find_serial);
    mw_status_utf8(s, SBAR_PROGRESS, s->finder ? "Finding..." : "Could not start the search");
}

static void mw_on_found(mw_state *s, UINT serial, int64_t pos)
{
    char msg[400], text[300];

    if (!s->finder || serial != s->find_serial)
        return;
    wrk_find_stop(s->finder);
    s->finder = NULL;
    if (pos >= 0) {
        mw_select_position(s, pos);
        mw_status_utf8(s, SBAR_PROGRESS, "Found");
        return;
    }
    if (!WideCharToMultiByte(CP_UTF8, 0, s->find_text, -1, text, (int)sizeof text, NULL, NULL))
        text[0] = '\0';
    snprintf(msg, sizeof msg, "Not found: %s", text);
    mw_status_utf8(s, SBAR_PROGRESS, msg);
}

/* The filter term that picks the value of a cell (Process Monitor's Include / Exclude): FALSE when the
 * column has none (#, Time, Details) or the cell is empty. */
static BOOL mw_cell_term(mw_state *s, int pos, int col, char *term, size_t cap)
{
    const trc_trace *t = s->trace;
    const store_row *r;
    const sock_info *si = NULL;
    char text[128];

    if (!t || !t->done || t->failed || pos < 0 || (uint64_t)pos >= s->events->count)
        return FALSE;
    r = store_row_at(t->events, evl_row_at(s->events, (uint64_t)pos));
    if (r->socket != STORE_NO_SOCKET)
        si = sock_model_at(t->sockets, r->socket);
    text[0] = '\0';
    switch (col) {
    case EVL_COL_PROCESS:
        if (si && si->pid)
            snprintf(term, cap, "socket.pid == %u", si->pid);
        else
            snprintf(term, cap, "pid == %u", r->pid);
        return TRUE;
    case EVL_COL_TID:
        snprintf(term, cap, "tid == %u", r->tid);
        return TRUE;
    case EVL_COL_CPU:
        snprintf(term, cap, "cpu == %u", r->cpu);
        return TRUE;
    case EVL_COL_EVENT: {
        const afd_event_schema *sc = (r->flags & STORE_ROW_AFD) ? afd_schema_find(r->id, 0) : NULL;
        if (sc)
            snprintf(term, cap, "name == \"%s\"", sc->name);
        else
            snprintf(term, cap, "id == %u", r->id);
        return TRUE;
    }
    case EVL_COL_SOCKET:
        if (!si)
            return FALSE;
        snprintf(term, cap, "(socket.endpoint == 0x%llx and socket.generation == %u)",
                 (unsigned long long)si->endpoint, si->generation);
        return TRUE;
    case EVL_COL_LOCAL:
    case EVL_COL_REMOTE:
        if (!si)
            return FALSE;
        afd_format_address(col == EVL_COL_LOCAL ? &si->local : &si->remote, text, sizeof text);
        if (!text[0])
            return FALSE;
        snprintf(term, cap, "%s == \"%s\"", col == EVL_COL_LOCAL ? "local" : "remote", text);
        return TRUE;
    case EVL_COL_STATUS:
        if (!(r->flags & STORE_ROW_HAS_STATUS))
            return FALSE;
        snprintf(term, cap, "status == 0x%08x", r->status);
        return TRUE;
    case EVL_COL_BYTES:
        if (!r->bytes)
            return FALSE;
        snprintf(term, cap, "bytes == %u", r->bytes);
        return TRUE;
    default:
        return FALSE;
    }
}

/* Right click on a cell: Include / Exclude its value (added to the filter with "and"), Highlight it (a rule in
 * the next colour), or Copy. */
static void mw_cell_menu(mw_state *s, int pos, int col)
{
    enum { CMD_INCLUDE = 1, CMD_EXCLUDE };
    char term[256], text[sizeof s->filter_text];
    wchar_t label[300], wterm[256];
    HMENU menu = CreatePopupMenu();
    POINT pt;
    int cmd;

    if (!menu)
        return;
    if (mw_cell_term(s, pos, col, term, sizeof term)
        && MultiByteToWideChar(CP_UTF8, 0, term, -1, wterm, 256)) {
        wterm[255] = L'\0';
        lstrcpyW(label, L"&Include ");
        lstrcatW(label, wterm);
        AppendMenuW(menu, MF_STRING, CMD_INCLUDE, label);
        lstrcpyW(label, L"&Exclude ");
        lstrcatW(label, wterm);
        AppendMenuW(menu, MF_STRING, CMD_EXCLUDE, label);
        lstrcpyW(label, L"&Highlight ");
        lstrcatW(label, wterm);
        AppendMenuW(menu, MF_STRING, IDM_EDIT_HIGHLIGHT, label);
        AppendMenuW(menu, MF_SEPARATOR, 0, NULL);
    } else {
        term[0] = '\0';
    }
    AppendMenuW(menu, MF_STRING, IDM_EDIT_COPY, L"&Copy\tCtrl+C");
    GetCursorPos(&pt);
    cmd = (int)TrackPopupMenu(menu, TPM_RETURNCMD | TPM_RIGHTBUTTON, pt.x, pt.y, 0, s->hwnd, NULL);
    DestroyMenu(menu);
    if (cmd == IDM_EDIT_COPY) {
        mw_copy_rows(s);
    } else if (cmd == IDM_EDIT_HIGHLIGHT && term[0]) {
        char err[200];
        if (hl_add(&s->hl, term, -1, err, sizeof err))
            InvalidateRect(s->list, NULL, FALSE);
        else
            mw_status_utf8(s, SBAR_PROGRESS, err);
    } else if ((cmd == CMD_INCLUDE || cmd == CMD_EXCLUDE) && term[0]) {
        const char *not_ = cmd == CMD_EXCLUDE ? "not " : "";
        if (s->filter_text[0])
            snprintf(text, sizeof text, "(%s) and %s%s", s->filter_text, not_, term);
        else
            snprintf(text, sizeof text, "%s%s", not_, term);
        fbar_set_text(&s->filter, text);
        mw_apply_filter(s);
    }
}

/* Alt+Left / Alt+Right: the previous / next remembered selection the view still shows. */
static void mw_navigate(mw_state *s, int step)
{
    int k;

    for (k = s->nav_at + step; k >= 0 && k < s->nav_count; k += step) {
        int64_t at = evl_position_of(s->events, s->nav[k]);
        if (at >= 0) {
            s->nav_at = k;
            s->navigating = TRUE;
            mw_select_position(s, at);
            s->navigating = FALSE;
            return;
        }
    }
}

/* Edit > Go to Event (Ctrl+G): select the event with that number (#) when the view shows it. */
static void mw_goto(mw_state *s)
{
    uint64_t row = 0;
    int64_t at;
    char msg[96];

    if (!s->trace || !s->events->trace)
        return;
    if (DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_GOTO), s->hwnd, mw_goto_proc,
                        (LPARAM)&row) != IDOK)
        return;
    at = evl_position_of(s->events, row);
    if (at < 0) {
        snprintf(msg, sizeof msg, "Event %llu is not in the list%s", (unsigned long long)row,
                 s->events->rows ? " (the filter hides it)" : "");
        mw_status_utf8(s, SBAR_PROGRESS, msg);
        return;
    }
    mw_select_position(s, at);
    SetFocus(s->list);
}

/* Ctrl+. / Ctrl+, : the next (previous) event of the selected event's socket, in time, that the view
 * shows. The detail pane already holds that socket's events in time order: a binary search finds where
 * the selected row falls among them, and the step goes on from there. */
static void mw_socket_step(mw_state *s, int backward)
{
    int pos = ListView_GetNextItem(s->list, -1, LVNI_SELECTED);
    uint64_t row;
    uint32_t lo = 0, hi;

    if (pos < 0 || !s->trace || !s->trace->done || (uint64_t)pos >= s->events->count)
        return;
    row = evl_row_at(s->events, (uint64_t)pos);
    mw_on_event_selected(s, pos);
    /* lo: the first of the socket's rows after row (forward), or past the last before it (backward) */
    for (hi = s->detail.count; lo < hi;) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (backward ? s->detail.rows[mid] < row : s->detail.rows[mid] <= row)
            lo = mid + 1;
        else
            hi = mid;
    }
    while (backward ? lo > 0 : lo < s->detail.count) {
        int64_t at = evl_position_of(s->events, s->detail.rows[backward ? --lo : lo++]);
        if (at >= 0) {
            mw_select_position(s, at);
            return;
        }
    }
}

/* A bar or tick clicked in the timeline: the socket selected in the socket table (not filtered to: the list
 * stays as it is) and its event (a tick's, else the socket's first) in the list, which shows the socket in the
 * detail pane; the detail pane alone when the list's view does not hold it. */
static void mw_on_timeline_select(mw_state *s, const tlw_notify *n)
{
    uint64_t row;
    int64_t at;

    if (!s->trace || !s->trace->done || s->trace->failed || n->socket >= sock_model_count(s->trace->sockets))
        return;
    stab_select_socket(s->sockets, &s->socks, n->socket);
    row = n->row != UINT64_MAX ? n->row : sock_model_at(s->trace->sockets, n->socket)->first_row;
    at = evl_position_of(s->events, row);
    if (at < 0 || at > INT_MAX) {
        dtl_show(s->detail_text, s->detail_list, &s->detail, s->trace, n->socket);
        return;
    }
    ListView_SetItemState(s->list, -1, 0, LVIS_SELECTED);
    ListView_SetItemState(s->list, (int)at, LVIS_SELECTED | LVIS_FOCUSED, LVIS_SELECTED | LVIS_FOCUSED);
    ListView_EnsureVisible(s->list, (int)at, FALSE);
}

static LRESULT mw_on_notify(mw_state *s, const NMHDR *hdr)
{
    const NMLISTVIEW *nm = (const NMLISTVIEW *)hdr;
    BOOL selected = hdr->code == LVN_ITEMCHANGED && (nm->uChanged & LVIF_STATE)
                    && (nm->uNewState & LVIS_SELECTED) && !(nm->uOldState & LVIS_SELECTED);

    if (hdr->hwndFrom == s->list) {
        LRESULT rc;
        if (hdr->code == LVN_COLUMNCLICK)
            mw_sort_by(s, evl_column_at(s->events, nm->iSubItem));
        else if (hdr->code == LVN_KEYDOWN && ((const NMLVKEYDOWN *)hdr)->wVKey == VK_ESCAPE) {
            mw_cancel_rowjob(s);
            mw_cancel_load(s);
        } else if (hdr->code == NM_RCLICK)
            mw_cell_menu(s, ((const NMITEMACTIVATE *)hdr)->iItem,
                         evl_column_at(s->events, ((const NMITEMACTIVATE *)hdr)->iSubItem));
        else if (hdr->code == NM_CUSTOMDRAW)
            return hl_custom_draw(&s->hl, s->events, (NMLVCUSTOMDRAW *)hdr, evl_on_notify(s->list, s->events, hdr));
        else if (selected && !s->selecting_all) {
            mw_remember(s, nm->iItem);
            mw_on_event_selected(s, nm->iItem);
        }
        /* While capturing, the cells' sockets only while the consumer is not writing the model. */
        if (s->trace && hdr->code == LVN_GETDISPINFOW && trc_sockets_begin(s->trace)) {
            rc = evl_on_notify(s->list, s->events, hdr);
            trc_sockets_end(s->trace);
            return rc;
        }
        return evl_on_notify(s->list, s->events, hdr);
    }
    if (hdr->hwndFrom == s->sockets) {
        /* A capture's table reads the socket model only while its consumer is not writing it. */
        BOOL held = s->trace && trc_sockets_begin(s->trace);
        LRESULT rc;
        if (s->trace && !held)
            return 0;
        if (hdr->code == LVN_COLUMNCLICK)
            stab_sort(s->sockets, &s->socks, nm->iSubItem);
        else if (selected && !s->socks.selecting)
            mw_on_socket_selected(s, nm->iItem);
        rc = stab_on_notify(s->sockets, &s->socks, hdr);
        if (held)
            trc_sockets_end(s->trace);
        return rc;
    }
    if (hdr->hwndFrom == s->timeline && hdr->code == TLWN_SELECT) {
        mw_on_timeline_select(s, (const tlw_notify *)hdr);
        return 0;
    }
    if (hdr->hwndFrom == s->detail_list) {
        if (selected)
            mw_on_history_selected(s, nm->iItem);
        return dtl_on_notify(s->detail_list, &s->detail, hdr);
    }
    return 0;
}

static void mw_set_time_format(mw_state *s, int id)
{
    CheckMenuRadioItem(GetMenu(s->hwnd), IDM_VIEW_TIME_OF_DAY, IDM_VIEW_TIME_DELTA, (UINT)id, MF_BYCOMMAND);
    s->events->time_format = id == IDM_VIEW_TIME_SINCE_FIRST ? EVL_TIME_SINCE_FIRST
                             : id == IDM_VIEW_TIME_DELTA     ? EVL_TIME_DELTA
                                                             : EVL_TIME_OF_DAY;
    mw_timeline_time_origin(s);
    evl_model_changed(s->list, s->events);
}

static void mw_set_zone(mw_state *s, int id)
{
    etl_zone z = id == IDM_VIEW_ZONE_TRACE ? ETL_ZONE_TRACE : id == IDM_VIEW_ZONE_VIEWER ? ETL_ZONE_VIEWER
                                                                                          : ETL_ZONE_UTC;
    uint32_t sock = s->detail.socket;

    CheckMenuRadioItem(GetMenu(s->hwnd), IDM_VIEW_ZONE_UTC, IDM_VIEW_ZONE_VIEWER, (UINT)id, MF_BYCOMMAND);
    s->events->zone = z;
    s->socks.zone = z;
    s->detail.zone = z;
    tlw_set_zone(s->timeline, z);
    mw_update_zone_text(s);
    evl_model_changed(s->list, s->events);
    InvalidateRect(s->sockets, NULL, FALSE);
    dtl_show(s->detail_text, s->detail_list, &s->detail, NULL, SOCK_NONE);
    dtl_show(s->detail_text, s->detail_list, &s->detail, s->trace, sock);
}

static void mw_toggle_pane(mw_state *s, int id)
{
    BOOL shown;

    if (id == IDM_VIEW_TIMELINE) {
        /* The timeline's own WS_VISIBLE is the flag, as for the status bar. */
        shown = !(GetWindowLongPtrW(s->timeline, GWL_STYLE) & WS_VISIBLE);
        ShowWindow(s->timeline, shown ? SW_SHOWNA : SW_HIDE);
        if (shown)
            mw_timeline_need(s, TRUE);
    } else {
        BOOL *flag = id == IDM_VIEW_SOCKETS ? &s->show_sockets : &s->show_detail;
        shown = *flag = !*flag;
    }
    CheckMenuItem(GetMenu(s->hwnd), (UINT)id, MF_BYCOMMAND | (shown ? MF_CHECKED : MF_UNCHECKED));
    mw_layout(s);
}

/* File > Export Timeline as PNG: what the pane shows, as its context menu exports it (shown first when
 * hidden, so that the picture is the one on the screen). */
static void mw_export_timeline(mw_state *s)
{
    if (!s->trace || !s->trace->done || s->trace->failed) {
        mw_status_utf8(s, SBAR_PROGRESS, "Export works once a trace is loaded");
        return;
    }
    if (!(GetWindowLongPtrW(s->timeline, GWL_STYLE) & WS_VISIBLE))
        mw_toggle_pane(s, IDM_VIEW_TIMELINE);
    if (tlw_export_dialog(s->timeline))
        mw_status_utf8(s, SBAR_PROGRESS, "Exported the timeline");
}

/* The settings of the last run (settings.h): panes, splitters, time format and zone. */
static void mw_apply_settings(mw_state *s)
{
    static const int formats[] = { IDM_VIEW_TIME_OF_DAY, IDM_VIEW_TIME_SINCE_FIRST, IDM_VIEW_TIME_DELTA };
    static const int zones[] = { IDM_VIEW_ZONE_UTC, IDM_VIEW_ZONE_TRACE, IDM_VIEW_ZONE_VIEWER };
    set_values *v = &s->saved;
    int i;

    ZeroMemory(v, sizeof *v);
    v->show_sockets = v->show_detail = v->show_status = TRUE;
    v->split_x = s->split_x;
    v->split_y = s->split_y;
    v->split_detail = s->split_detail;
    v->split_timeline = s->split_timeline;
    set_load(v);
    s->split_x = v->split_x;
    s->split_y = v->split_y;
    s->split_detail = v->split_detail;
    s->split_timeline = v->split_timeline;
    if (!v->show_sockets)
        mw_toggle_pane(s, IDM_VIEW_SOCKETS);
    if (!v->show_detail)
        mw_toggle_pane(s, IDM_VIEW_DETAIL);
    if (v->show_timeline)
        mw_toggle_pane(s, IDM_VIEW_TIMELINE);
    if (!v->show_status)
        mw_toggle_status_bar(s);
    mw_set_time_format(s, formats[v->time_format]);
    mw_set_zone(s, zones[v->zone]);
    mw_build_recent_menu(s);
    for (i = 0; i < SET_FILTERS; i++)
        fbar_history_add(&s->filter, v->filters[i]);
}

static void mw_save_settings(mw_state *s)
{
    set_values v;
    int i;

    ZeroMemory(&v, sizeof v);
    v.placement.length = sizeof v.placement;
    v.has_placement = GetWindowPlacement(s->hwnd, &v.placement);
    v.time_format = s->events->time_format;
    v.zone = (int)s->events->zone;
    v.show_sockets = s->show_sockets;
    v.show_detail = s->show_detail;
    v.show_status = mw_status_shown(s);
    v.show_timeline = (GetWindowLongPtrW(s->timeline, GWL_STYLE) & WS_VISIBLE) != 0;
    v.split_x = s->split_x;
    v.split_y = s->split_y;
    v.split_detail = s->split_detail;
    v.split_timeline = s->split_timeline;
    memcpy(v.recent, s->saved.recent, sizeof v.recent);
    for (i = 0; i < SET_FILTERS && fbar_history_at(&s->filter, i, v.filters[i], 512); i++)
        continue;
    set_save(&v);
    col_save(s->list, s->events, &s->cols, s->dpi);
    hl_save(&s->hl);
}

static BOOL mw_on_create(HWND hwnd, mw_state *s)
{
    static const UINT allowed[] = { WM_DROPFILES, WM_COPYDATA, 0x0049 /* WM_COPYGLOBALDATA */ };
    size_t i;

    s->hwnd = hwnd;
    s->dpi = dpi_for_window(hwnd);
    s->sort_column = -1;
    s->show_sockets = TRUE;
    s->show_detail = TRUE;
    s->split_x = 300;
    s->split_y = 640;
    s->split_detail = 520;
    s->split_timeline = 220;
    s->detail.socket = SOCK_NONE;
    s->socks.sort_column = -1;
    s->find_msg = RegisterWindowMessageW(FINDMSGSTRINGW);
    s->events = (evl_model *)calloc(1, sizeof *s->events);
    s->capctl = cctl_create(hwnd);
    if (!s->events || !s->capctl)
        return FALSE;
    s->status = sbar_create(hwnd, IDC_STATUSBAR, s->dpi);
    s->list = evl_create(hwnd, IDC_EVENTLIST, s->dpi);
    s->sockets = stab_create(hwnd, IDC_SOCKETS, s->dpi);
    s->detail_filter = CreateWindowExW(0, L"BUTTON", L"Filter to this socket",
                                       WS_CHILD | WS_TABSTOP | BS_PUSHBUTTON, 0, 0, 0, 0, hwnd,
                                       (HMENU)(INT_PTR)IDC_DETAIL_FILTER, GetModuleHandleW(NULL), NULL);
    s->detail_copy = CreateWindowExW(0, L"BUTTON", L"Copy", WS_CHILD | WS_TABSTOP | BS_PUSHBUTTON, 0, 0, 0, 0,
                                     hwnd, (HMENU)(INT_PTR)IDC_DETAIL_COPY, GetModuleHandleW(NULL), NULL);
    /* The timeline (timeline.c) gets the trace where the socket table does (mw_on_done, mw_close_trace). */
    s->timeline = tlw_create(hwnd, IDC_TIMELINE, GetModuleHandleW(NULL));
    if (!s->status || !s->list || !s->sockets || !s->timeline || !s->detail_filter || !s->detail_copy
        || !fbar_create(&s->filter, hwnd, IDC_FILTER, IDC_FILTER_CLEAR, IDC_FILTER_ERROR, IDM_FILTER_APPLY,
                        IDM_FILTER_CLEAR)
        || !dtl_create(hwnd, IDC_DETAIL_TEXT, IDC_DETAIL_LIST, s->dpi, &s->detail_text, &s->detail_list))
        return FALSE;
    mw_apply_font(s);
    col_load(&s->cols);
    col_apply(s->list, s->events, &s->cols, s->dpi);
    col_attach(s->list, &s->cols);
    hl_load(&s->hl);
    theme_apply_title_bar(hwnd);
    mw_apply_settings(s);
    /* Drops from Explorer reach an elevated window only through these (UIPI). */
    DragAcceptFiles(hwnd, TRUE);
    for (i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        ChangeWindowMessageFilterEx(hwnd, allowed[i], MSGFLT_ALLOW, NULL);
    return TRUE;
}

static void mw_on_dpi_changed(mw_state *s, UINT dpi, const RECT *suggested)
{
    UINT old = s->dpi;

    s->dpi = dpi;
    mw_apply_font(s);
    evl_rescale(s->list, old, dpi);
    evl_rescale(s->sockets, old, dpi);
    evl_rescale(s->detail_list, old, dpi);
    SetWindowPos(s->hwnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
    mw_layout(s);
}

/* The keyboard reaches every control without a mouse: Tab and Shift+Tab step through the visible controls
 * in reading order, F6 and Shift+F6 through the panes only (Explorer's convention). A plain window has no
 * dialog manager to do this, and IsDialogMessage would take Enter and Esc from the filter bar. */
static void mw_cycle_focus(mw_state *s, BOOL panes_only, BOOL backward)
{
    const HWND order[] = { s->filter.combo, s->list, s->sockets, s->detail_filter, s->detail_copy,
                           s->detail_list, s->timeline };
    const int count = (int)(sizeof order / sizeof order[0]);
    HWND focus = GetFocus();
    int at = -1, i, step = backward ? count - 1 : 1;

    for (i = 0; i < count; i++)
        if (focus && (order[i] == focus || IsChild(order[i], focus)))
            at = i;
    if (at < 0)
        at = backward ? 0 : count - 1;
    for (i = 1; i <= count; i++) {
        HWND next = order[(at + i * step) % count];
        if (!IsWindowVisible(next) || !IsWindowEnabled(next))
            continue;
        if (panes_only && (next == s->detail_filter || next == s->detail_copy))
            continue;
        SetFocus(next == s->filter.combo ? s->filter.edit : next);
        break;
    }
}

static void mw_on_command(mw_state *s, int id)
{
    switch (id) {
    case IDM_FILE_EXIT:
        DestroyWindow(s->hwnd);
        break;
    case IDM_FILE_OPEN:
        mw_open_dialog(s);
        break;
    case IDM_FILE_EXPORT_EVENTS:
        mw_export_events_dialog(s);
        break;
    case IDM_EDIT_SELECT_ALL:
        /* Every row of the view (an edit box with focus keeps its own Ctrl+A: main.c). */
        s->selecting_all = TRUE;
        ListView_SetItemState(s->list, -1, LVIS_SELECTED, LVIS_SELECTED);
        s->selecting_all = FALSE;
        break;
    case IDM_VIEW_COLUMNS:
        col_dialog(s->hwnd, s->list, s->events, &s->cols, s->dpi);
        col_set_sort_arrow(s->list, s->events, s->sort_column, s->sort_descending);
        break;
    case IDM_VIEW_HIGHLIGHTING:
        if (hl_dialog(s->hwnd, &s->hl))
            InvalidateRect(s->list, NULL, FALSE);
        break;
    case IDM_FILE_EXPORT:
        mw_export_dialog(s);
        break;
    case IDM_FILE_EXPORT_TIMELINE:
        mw_export_timeline(s);
        break;
    case IDM_FILE_RECENT_FIRST + 0: case IDM_FILE_RECENT_FIRST + 1: case IDM_FILE_RECENT_FIRST + 2:
    case IDM_FILE_RECENT_FIRST + 3: case IDM_FILE_RECENT_FIRST + 4: case IDM_FILE_RECENT_FIRST + 5:
    case IDM_FILE_RECENT_FIRST + 6: case IDM_FILE_RECENT_FIRST + 7:
        if (s->saved.recent[id - IDM_FILE_RECENT_FIRST][0]) {
            wchar_t path[MAX_PATH];
            lstrcpynW(path, s->saved.recent[id - IDM_FILE_RECENT_FIRST], MAX_PATH);
            mw_open_file(s->hwnd, path);
        }
        break;
    case IDM_EDIT_FILTER:
        SetFocus(s->filter.edit);
        SendMessageW(s->filter.edit, EM_SETSEL, 0, -1);
        break;
    case IDM_FILTER_APPLY:
        mw_apply_filter(s);
        break;
    case IDC_FILTER_CLEAR:
    case IDM_FILTER_CLEAR:
        mw_clear_filter(s);
        break;
    case IDC_DETAIL_FILTER:
        mw_filter_to_socket(s, s->detail.socket);
        break;
    case IDC_DETAIL_COPY:
        mw_copy_detail(s);
        break;
    case IDM_EDIT_COPY:
        mw_copy_rows(s);
        break;
    case IDM_EDIT_GOTO:
        mw_goto(s);
        break;
    case IDM_EDIT_FIND:
        mw_find_dialog(s);
        break;
    case IDM_EDIT_FIND_NEXT:
    case IDM_EDIT_FIND_PREV:
        mw_find(s, id == IDM_EDIT_FIND_PREV);
        break;
    case IDM_EDIT_BACK:
    case IDM_EDIT_FORWARD:
        mw_navigate(s, id == IDM_EDIT_BACK ? -1 : 1);
        break;
    case IDM_EDIT_SOCKET_NEXT:
    case IDM_EDIT_SOCKET_PREV:
        mw_socket_step(s, id == IDM_EDIT_SOCKET_PREV);
        break;
    case IDM_VIEW_TIME_OF_DAY:
    case IDM_VIEW_TIME_SINCE_FIRST:
    case IDM_VIEW_TIME_DELTA:
        mw_set_time_format(s, id);
        break;
    case IDM_VIEW_ZONE_UTC:
    case IDM_VIEW_ZONE_TRACE:
    case IDM_VIEW_ZONE_VIEWER:
        mw_set_zone(s, id);
        break;
    case IDM_VIEW_SOCKETS:
    case IDM_VIEW_DETAIL:
    case IDM_VIEW_TIMELINE:
        mw_toggle_pane(s, id);
        break;
    case IDM_VIEW_STATUSBAR:
        mw_toggle_status_bar(s);
        break;
    case IDM_FOCUS_NEXT:
    case IDM_FOCUS_PREV:
    case IDM_FOCUS_NEXT_PANE:
    case IDM_FOCUS_PREV_PANE:
        mw_cycle_focus(s, id == IDM_FOCUS_NEXT_PANE || id == IDM_FOCUS_PREV_PANE,
                       id == IDM_FOCUS_PREV || id == IDM_FOCUS_PREV_PANE);
        break;
    case IDM_HELP_ABOUT:
        mw_about(s->hwnd);
        break;
    default:
        cctl_on_command(s->capctl, s->trace, id);
        break;
    }
}

static LRESULT CALLBACK mw_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp)
{
    mw_state *s = mw_get(hwnd);

    switch (msg) {
    case WM_NCCREATE:
        s = (mw_state *)calloc(1, sizeof *s);
        if (!s)
            return FALSE;
        SetWindowLongPtrW(hwnd, GWLP_USERDATA, (LONG_PTR)s);
        break;
    case WM_CREATE:
        return mw_on_create(hwnd, s) ? 0 : -1;
    case WM_SIZE:
        if (s && s->list)
            mw_layout(s);
        return 0;
    case WM_SETFOCUS:
        if (s && s->list)
            SetFocus(s->list);
        return 0;
    case WM_NOTIFY:
        if (s && s->list)
            return mw_on_notify(s, (const NMHDR *)lp);
        break;
    case TRC_MSG_OPENED:
        if (s && s->trace && (UINT)wp == s->trace->serial)
            mw_on_opened(s);
        return 0;
    case TRC_MSG_READERS:
        if (s && s->trace && (UINT)wp == s->trace->serial) {
            trc_readers_seen(s->trace);
            evl_cells_changed(s->list, s->events); /* the Details column can now be read */
        }
        return 0;
    case TRC_MSG_PROGRESS:
        if (s && s->trace && (UINT)wp == s->trace->serial) {
            trc_progress_seen(s->trace);
            /* The first rows at once; then at most MW_LOAD_TICK_MS apart. */
            if (!s->events->count || GetTickCount64() - s->last_update >= (ULONGLONG)MW_LOAD_TICK_MS)
                mw_update_load(s);
        }
        return 0;
    case TRC_MSG_DONE:
        if (s && s->trace && (UINT)wp == s->trace->serial && !s->trace->done)
            mw_on_done(s);
        return 0;
    case STAB_MSG_ORDER:
        if (s)
            stab_on_order(s->sockets, &s->socks, (UINT)wp);
        return 0;
    case TRC_MSG_TIMELINE:
        if (s && s->trace && (UINT)wp == s->trace->serial && (s->trace->done || s->trace->capture)) {
            mw_timeline_take(s, s->trace->done);
            if (s->trace->done)
                mw_timeline_need(s,
                                 TRUE); /* an index of a capture's rows before its stop: the whole one now */
        }
        return 0;
    case MW_MSG_LOADED:
        if (s && s->trace && (UINT)wp == s->trace->serial && s->trace->done && !s->trace->failed)
            mw_on_loaded(s);
        return 0;
    case VJ_MSG_DONE:
        if (s)
            mw_on_rowjob_done(s, (UINT)wp, (vj_result *)lp);
        else
            vj_result_free((vj_result *)lp);
        return 0;
    case WM_CONTEXTMENU:
        /* A right click on the list's header (its WM_CONTEXTMENU comes here through the list). */
        if (s && s->list && (HWND)wp == ListView_GetHeader(s->list)) {
            POINT pt;
            pt.x = (short)LOWORD(lp);
            pt.y = (short)HIWORD(lp);
            if (pt.x == -1 && pt.y == -1)
                GetCursorPos(&pt);
            if (col_menu(hwnd, s->list, s->events, &s->cols, s->dpi, pt))
                col_set_sort_arrow(s->list, s->events, s->sort_column, s->sort_descending);
            return 0;
        }
        break;
    case WRK_MSG_EXPORTED:
        if (s)
            mw_on_exported(s, (UINT)wp, lp);
        return 0;
    case WRK_MSG_FOUND:
        if (s)
            mw_on_found(s, (UINT)wp, (int64_t)lp);
        return 0;
    case WRK_MSG_DONE:
        if (s)
            mw_on_job_done(s, (UINT)wp, (wrk_result *)lp);
        else
            wrk_result_free((wrk_result *)lp);
        return 0;
    case WM_TIMER:
        if (s && wp == MW_LOAD_TIMER)
            mw_update_load(s);
        else if (s && wp == MW_ROWJOB_TIMER)
            mw_rowjob_progress(s);
        else if (s && wp == CCTL_TIMER) {
            cctl_on_timer(s->capctl, s->trace);
            mw_live_views(s);
        }
        return 0;
    case WM_ENDSESSION:
        if (s && wp)
            cctl_end_session(s->trace);
        return 0;
    case WM_DROPFILES:
        if (s)
            mw_on_drop(s, (HDROP)wp);
        return 0;
    case WM_SETCURSOR:
        if (s && (HWND)wp == hwnd && LOWORD(lp) == HTCLIENT) {
            POINT pt;
            enum mw_split which;
            GetCursorPos(&pt);
            ScreenToClient(hwnd, &pt);
            which = mw_hit_gap(s, pt);
            if (which != MW_SPLIT_NONE) {
                SetCursor(LoadCursorW(NULL, which == MW_SPLIT_X ? IDC_SIZEWE : IDC_SIZENS));
                return TRUE;
            }
        }
        break;
    case WM_LBUTTONDOWN:
        if (s) {
            POINT pt;
            pt.x = (short)LOWORD(lp);
            pt.y = (short)HIWORD(lp);
            s->dragging = mw_hit_gap(s, pt);
            if (s->dragging != MW_SPLIT_NONE)
                SetCapture(hwnd);
        }
        return 0;
    case WM_MOUSEMOVE:
        if (s && s->dragging != MW_SPLIT_NONE) {
            POINT pt;
            pt.x = (short)LOWORD(lp);
            pt.y = (short)HIWORD(lp);
            mw_drag_to(s, pt);
        }
        return 0;
    case WM_LBUTTONUP:
    case WM_CAPTURECHANGED:
        if (s && s->dragging != MW_SPLIT_NONE) {
            s->dragging = MW_SPLIT_NONE;
            if (msg == WM_LBUTTONUP)
                ReleaseCapture();
        }
        return 0;
    case WM_COMMAND:
        if (s)
            mw_on_command(s, LOWORD(wp));
        return 0;
    case WM_DPICHANGED:
        if (s)
            mw_on_dpi_changed(s, HIWORD(wp), (const RECT *)lp);
        return 0;
    case WM_SETTINGCHANGE:
        if (lp && lstrcmpiW((const wchar_t *)lp, L"ImmersiveColorSet") == 0)
            theme_apply_title_bar(hwnd);
        break;
    case WM_DESTROY:
        if (s) {
            mw_save_settings(s);
            mw_close_trace(s);
            stab_free(&s->socks);
            dtl_free(&s->detail);
            hl_free(&s->hl);
            if (s->taskbar)
                ITaskbarList3_Release(s->taskbar);
            s->taskbar = NULL;
        }
        PostQuitMessage(0);
        return 0;
    case WM_NCDESTROY:
        if (s) {
            if (s->font)
                DeleteObject(s->font);
            cctl_destroy(s->capctl);
            free(s->events);
            free(s);
            SetWindowLongPtrW(hwnd, GWLP_USERDATA, 0);
        }
        break;
    default:
        if (s && s->find_msg && msg == s->find_msg) {
            const FINDREPLACEW *fr = (const FINDREPLACEW *)lp;
            if (fr->Flags & FR_DIALOGTERM)
                s->find_dlg = NULL;
            else if (fr->Flags & FR_FINDNEXT)
                mw_find(s, !(fr->Flags & FR_DOWN));
            return 0;
        }
        break;
    }
    return DefWindowProcW(hwnd, msg, wp, lp);
}

BOOL mw_register(HINSTANCE inst)
{
    WNDCLASSEXW wc;

    ZeroMemory(&wc, sizeof wc);
    wc.cbSize = sizeof wc;
    wc.lpfnWndProc = mw_proc;
    wc.hInstance = inst;
    wc.hIcon = LoadIconW(inst, MAKEINTRESOURCEW(IDI_APP));
    wc.hIconSm = (HICON)LoadImageW(inst, MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON, GetSystemMetrics(SM_CXSMICON),
                                   GetSystemMetrics(SM_CYSMICON), LR_DEFAULTCOLOR);
    wc.hCursor = LoadCursorW(NULL, (const wchar_t *)IDC_ARROW);
    wc.hbrBackground = (HBRUSH)(COLOR_WINDOW + 1);
    wc.lpszMenuName = MAKEINTRESOURCEW(IDR_MAINMENU);
    wc.lpszClassName = MW_CLASS_NAME;
    return RegisterClassExW(&wc) != 0;
}

/* Size the window to width x height, shrunk to its monitor's work area and moved to lie inside it. */
static void mw_fit_to_monitor(HWND hwnd, int width, int height)
{
    MONITORINFO mi;
    RECT wr;
    int x, y;

    mi.cbSize = sizeof mi;
    GetWindowRect(hwnd, &wr);
    x = wr.left;
    y = wr.top;
    if (GetMonitorInfoW(MonitorFromWindow(hwnd, MONITOR_DEFAULTTONEAREST), &mi)) {
        const RECT *work = &mi.rcWork;
        if (width > work->right - work->left)
            width = work->right - work->left;
        if (height > work->bottom - work->top)
            height = work->bottom - work->top;
        if (x + width > work->right)
            x = work->right - width;
        if (y + height > work->bottom)
            y = work->bottom - height;
        if (x < work->left)
            x = work->left;
        if (y < work->top)
            y = work->top;
    }
    SetWindowPos(hwnd, NULL, x, y, width, height, SWP_NOZORDER | SWP_NOACTIVATE);
}

HWND mw_create(HINSTANCE inst, int show)
{
    const DWORD style = WS_OVERLAPPEDWINDOW | WS_CLIPCHILDREN;
    HWND hwnd = CreateWindowExW(0, MW_CLASS_NAME, L"wskview", style, CW_USEDEFAULT, CW_USEDEFAULT,
                                MW_INITIAL_WIDTH96, MW_INITIAL_HEIGHT96, NULL, NULL, inst, NULL);
    mw_state *s;
    RECT rc;

    if (!hwnd)
        return NULL;
    /* The window's DPI is known only once it exists (it depends on the monitor it landed on). */
    s = mw_get(hwnd);
    SetRect(&rc, 0, 0, dpi_scale(MW_INITIAL_WIDTH96, s->dpi), dpi_scale(MW_INITIAL_HEIGHT96, s->dpi));
    if (dpi_adjust_window_rect(&rc, style, TRUE, 0, s->dpi))
        mw_fit_to_monitor(hwnd, rc.right - rc.left, rc.bottom - rc.top);
    if (s->saved.has_placement) {
        /* Where the last run left it (SetWindowPlacement keeps it on a monitor that exists). */
        WINDOWPLACEMENT wp = s->saved.placement;
        if (wp.showCmd == SW_SHOWMAXIMIZED && (show == SW_SHOWNORMAL || show == SW_SHOWDEFAULT))
            show = SW_SHOWMAXIMIZED;
        wp.showCmd = SW_HIDE;
        wp.flags = 0;
        SetWindowPlacement(hwnd, &wp);
    }
    ShowWindow(hwnd, show);
    UpdateWindow(hwnd);
    return hwnd;
}
