/*
 * capctl.c - the Capture menu (see capctl.h).
 *
 * Threads: everything here runs on the UI thread. cap_capture.h's threads (ETW's ProcessTrace or the
 * replay, and the live consumer) fill the trace's store and socket model; this file only reads
 * cap_capture_get_status on a 500 ms timer and stops, saves or destroys the capture between messages.
 * The window's own 30 Hz timer (mainwnd.c) grows the list as rows are published, as while a file loads.
 *
 * Clear: a running capture is replaced by a new one with the same options (the session's own file, when
 * the options name one, starts again too), a stopped one by an empty list; Save then writes what the list
 * holds, the events since the Clear, and its dialog says so.
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* _snwprintf: its length is checked here (SDL checks would refuse it) */
#endif
#include "cap_capture.h" /* first: it brings winsock2.h, which must come before windows.h */

#include "capctl.h"

#include <commctrl.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filedlg.h"
#include "mainwnd.h"
#include "resource.h"
#include "settings.h"
#include "statusbar.h"
#include "utf.h"

#define CCTL_TICK_MS 500

struct cctl {
    HWND main;
    set_capture opt;
    char replay[1024];      /* UTF-8; non-empty: Start replays this file instead of starting ETW */
    double replay_rate;     /* events per second, 0: as fast as possible */
    const cap_etw_api *api; /* NULL: the real ETW; --fake-etw: the scripted failure */
    uint32_t ring_mib;      /* --ring-mib (tests): the ring's size instead of the preset's */
    wchar_t session_file[MAX_PATH]; /* the .etl the running (or last) session wrote, "" none */
    uint64_t rate_rows;     /* rows at rate_tick */
    ULONGLONG rate_tick;
    double rate;            /* rows a second over the last tick */
    cap_capture_status last;/* the last status read (the losses stay shown after Stop) */
    BOOL cleared;
    SYSTEMTIME cleared_at;
    BOOL was_cleared;       /* the trace the window takes next is a Clear's empty one (the status says so) */
};

/* ---- --fake-etw: ETW's answers scripted for the GUI tests (Wine's ETW cannot refuse) ------------------ */

static ULONG cctl_fake_code = ERROR_ACCESS_DENIED;

static ULONG WINAPI cctl_fake_start(PTRACEHANDLE h, LPCWSTR name, PEVENT_TRACE_PROPERTIES p)
{
    (void)h;
    (void)name;
    (void)p;
    return cctl_fake_code;
}

static ULONG WINAPI cctl_fake_enable(TRACEHANDLE h, LPCGUID g, ULONG code, UCHAR level, ULONGLONG any, ULONGLONG all,
                                     ULONG timeout, PENABLE_TRACE_PARAMETERS p)
{
    (void)h;
    (void)g;
    (void)code;
    (void)level;
    (void)any;
    (void)all;
    (void)timeout;
    (void)p;
    return cctl_fake_code;
}

static TRACEHANDLE WINAPI cctl_fake_open(PEVENT_TRACE_LOGFILEW l)
{
    (void)l;
    SetLastError(cctl_fake_code);
    return (TRACEHANDLE)INVALID_PROCESSTRACE_HANDLE;
}

static ULONG WINAPI cctl_fake_process(PTRACEHANDLE h, ULONG n, LPFILETIME a, LPFILETIME b)
{
    (void)h;
    (void)n;
    (void)a;
    (void)b;
    return ERROR_SUCCESS;
}

static ULONG WINAPI cctl_fake_close(TRACEHANDLE h)
{
    (void)h;
    return ERROR_SUCCESS;
}

static ULONG WINAPI cctl_fake_control(TRACEHANDLE h, LPCWSTR name, PEVENT_TRACE_PROPERTIES p, ULONG code)
{
    (void)h;
    (void)name;
    (void)p;
    (void)code;
    return ERROR_SUCCESS;
}

static ULONG WINAPI cctl_fake_query_all(PEVENT_TRACE_PROPERTIES *p, ULONG n, PULONG count)
{
    (void)p;
    (void)n;
    *count = 0;
    return ERROR_SUCCESS;
}

static int cctl_fake_alive(DWORD pid)
{
    (void)pid;
    return 1;
}

static const cap_etw_api cctl_fake_api = {
    cctl_fake_start, cctl_fake_enable, cctl_fake_open,      cctl_fake_process,
    cctl_fake_close, cctl_fake_control, cctl_fake_query_all, cctl_fake_alive,
};

/* ---- status ---------------------------------------------------------------------------------------- */

static void cctl_status(cctl *c, enum sbar_part part, const char *utf8)
{
    wchar_t wide[600];

    utf_widen(utf8, wide, 600);
    sbar_set_text(GetDlgItem(c->main, IDC_STATUSBAR), part, wide);
}

/* The state, rate and losses in the status bar's wide part, at all times once a capture ran (the rows are in
 * the events part, the capture's name in the title; the progress part is left to Find, Copy and the like). */
static void cctl_show_losses(cctl *c, trc_trace *t, const char *state)
{
    char text[300];
    const cap_capture_status *st = &c->last;

    snprintf(text, sizeof text,
             "%s | %.0f events/s | ETW lost: %lu events, %lu real-time buffers, %lu log buffers | ring dropped: %llu",
             state, c->rate, (unsigned long)st->etw.events_lost, (unsigned long)st->etw.rt_buffers_lost,
             (unsigned long)st->etw.log_buffers_lost, (unsigned long long)st->ring_dropped);
    cctl_status(c, SBAR_FILE, text);
    /* The Lost part (mainwnd.c shows the header's events_lost) counts every event that is not in the list. */
    t->live_header.events_lost = (uint32_t)(st->etw.events_lost + (st->ring_dropped > UINT32_MAX ? UINT32_MAX
                                                                                                  : st->ring_dropped));
    t->live_header.buffers_lost = st->etw.rt_buffers_lost + st->etw.log_buffers_lost;
}

static void cctl_poll(cctl *c, trc_trace *t)
{
    ULONGLONG now = GetTickCount64();
    cap_capture_status st;

    cap_capture_get_status(t->capture, &st);
    if (!st.etw_valid)
        st.etw = c->last.etw; /* a failed query keeps the last answer: the counters are cumulative */
    if (now > c->rate_tick)
        c->rate = (double)(st.rows - c->rate_rows) * 1000.0 / (double)(now - c->rate_tick);
    c->rate_rows = st.rows;
    c->rate_tick = now;
    c->last = st;
}

static void cctl_update_menu(cctl *c, BOOL running)
{
    HMENU menu = GetMenu(c->main);

    ModifyMenuW(menu, IDM_CAPTURE_START, MF_BYCOMMAND | MF_STRING, IDM_CAPTURE_START,
                running ? L"&Stop Capture\tCtrl+E" : L"&Start Capture\tCtrl+E");
}

void cctl_on_timer(cctl *c, trc_trace *t)
{
    if (!t || !t->capture || t->done) { /* a file opened over the capture ended it */
        KillTimer(c->main, CCTL_TIMER);
        cctl_update_menu(c, FALSE);
        return;
    }
    cctl_poll(c, t);
    cctl_show_losses(c, t, "Capturing");
    /* The socket columns of rows painted while the consumer held the socket model were left empty. */
    InvalidateRect(GetDlgItem(c->main, IDC_EVENTLIST), NULL, FALSE);
}

BOOL cctl_list_at_end(HWND list, uint64_t count)
{
    int top = ListView_GetTopIndex(list), page = ListView_GetCountPerPage(list);

    return count == 0 || (uint64_t)top + (uint64_t)page >= count;
}

/* ---- start, stop ------------------------------------------------------------------------------------ */

/* "C:\x\y.etl" -> "y.etl" */
static const wchar_t *cctl_base_name(const wchar_t *path)
{
    const wchar_t *base = path, *p;

    for (p = path; *p; p++)
        if (*p == L'\\' || *p == L'/')
            base = p + 1;
    return base;
}

/* The arguments this process was started with, after the program's own name. */
static const wchar_t *cctl_arguments(void)
{
    const wchar_t *p = GetCommandLineW();

    if (*p == L'"') {
        for (p++; *p && *p != L'"'; p++)
            continue;
        if (*p)
            p++;
    } else {
        while (*p && *p != L' ' && *p != L'\t')
            p++;
    }
    while (*p == L' ' || *p == L'\t')
        p++;
    return p;
}

/* The same program with the same arguments, elevated (UAC). TRUE when it started: this window then closes. */
static BOOL cctl_restart_elevated(void)
{
    wchar_t exe[MAX_PATH];
    SHELLEXECUTEINFOW sei;

    if (!GetModuleFileNameW(NULL, exe, MAX_PATH))
        return FALSE;
    ZeroMemory(&sei, sizeof sei);
    sei.cbSize = sizeof sei;
    sei.fMask = SEE_MASK_NOASYNC;
    sei.lpVerb = L"runas";
    sei.lpFile = exe;
    sei.lpParameters = cctl_arguments();
    sei.nShow = SW_SHOWNORMAL;
    return ShellExecuteExW(&sei);
}

static INT_PTR CALLBACK cctl_denied_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_INITDIALOG:
        SetDlgItemTextW(dlg, IDC_CAP_DENIED_TEXT, (const wchar_t *)lp);
        return TRUE;
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_CAP_RESTART || LOWORD(wp) == IDCANCEL) {
            EndDialog(dlg, LOWORD(wp));
            return TRUE;
        }
        break;
    default:
        break;
    }
    return FALSE;
}

/* Start failed: the sentence cap_error_set wrote; access denied offers to restart elevated. */
static void cctl_failed(cctl *c, const cap_error *err)
{
    wchar_t text[700];

    utf_widen(err->text, text, 700);
    cctl_status(c, SBAR_PROGRESS, "Capture failed");
    if (!err->needs_elevation) {
        MessageBoxW(c->main, text, L"wskview: cannot capture", MB_OK | MB_ICONWARNING);
        return;
    }
    if (DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_CAPTURE_DENIED), c->main, cctl_denied_proc,
                        (LPARAM)text) != IDC_CAP_RESTART)
        return;
    if (cctl_restart_elevated())
        PostMessageW(c->main, WM_CLOSE, 0, 0); /* not now: the window's state is still in use up the stack */
    else
        cctl_status(c, SBAR_PROGRESS, "Not restarted"); /* UAC declined: this window stays */
}

static ULONGLONG cctl_keywords(const cctl *c)
{
    return lstrcmpiW(c->opt.keywords, L"all") == 0 ? 0 : _wcstoui64(c->opt.keywords, NULL, 16);
}

/* The options' process filter as a filter expression (the viewer applies it; ETW's PID filter would drop
 * the completions System writes). */
static void cctl_process_filter(const cctl *c, wchar_t *out, size_t cap)
{
    const wchar_t *p = c->opt.process;
    BOOL digits = *p != L'\0';

    for (; *p; p++)
        digits = digits && *p >= L'0' && *p <= L'9';
    if (digits)
        _snwprintf(out, cap, L"socket.pid == %ls or pid == %ls", c->opt.process, c->opt.process);
    else
        _snwprintf(out, cap, L"process contains \"%ls\"", c->opt.process);
    out[cap - 1] = L'\0';
}

/* An empty capture trace shown in the window: NULL when out of memory. */
static trc_trace *cctl_new_trace(cctl *c)
{
    wchar_t name[300];
    wchar_t path[MAX_PATH * 2];

    if (c->replay[0] && MultiByteToWideChar(CP_UTF8, 0, c->replay, -1, path, MAX_PATH * 2))
        _snwprintf(name, 300, L"Replay of %ls", cctl_base_name(path));
    else
        _snwprintf(name, 300, L"wskview-%lu", (unsigned long)GetCurrentProcessId());
    name[299] = L'\0';
    return trc_start_capture(name, c->main, 0);
}

static void cctl_start(cctl *c)
{
    trc_trace *t = cctl_new_trace(c);
    cap_capture_config cfg;
    cap_capture *cap = NULL;
    cap_error err;

    if (!t) {
        cctl_status(c, SBAR_PROGRESS, "Out of memory");
        return;
    }
    memset(&cfg, 0, sizeof cfg);
    cfg.events = t->events;
    cfg.sockets = t->sockets;
    cfg.sockets_lock = trc_sockets_lock;
    cfg.user = t;
    /* The ring takes the bursts ETW hands over a buffer at a time; larger presets expect more. */
    cfg.ring_mib = c->ring_mib                            ? c->ring_mib
                   : c->opt.preset == CAP_PRESET_LARGE ? 256
                   : c->opt.preset == CAP_PRESET_SMALL ? 16
                                                       : 64;
    cfg.replay_path = c->replay[0] ? c->replay : NULL;
    cfg.replay_rate = c->replay_rate;
    cfg.api = c->api;
    cfg.session.level = (UCHAR)c->opt.level;
    cfg.session.keywords = cctl_keywords(c);
    cfg.session.preset = (cap_preset)c->opt.preset;
    cfg.session.flush_seconds = (ULONG)c->opt.flush_seconds;
    cfg.session.file_path = c->opt.file[0] ? c->opt.file : NULL;
    if (cap_capture_start(&cfg, &cap, &err) != 0) {
        trc_close(t);
        cctl_failed(c, &err);
        return;
    }
    t->capture = cap;
    t->arena = cap_capture_arena(cap);
    lstrcpyW(c->session_file, cfg.replay_path || !c->opt.file[0] ? L"" : c->opt.file);
    memset(&c->last, 0, sizeof c->last);
    c->rate = 0;
    c->rate_rows = 0;
    c->rate_tick = GetTickCount64();
    mw_show_capture(c->main, t);
    cctl_update_menu(c, TRUE);
    cctl_status(c, SBAR_PROGRESS, "Capturing");
    cctl_show_losses(c, t, "Capturing");
    SetTimer(c->main, CCTL_TIMER, CCTL_TICK_MS, NULL);
    if (c->opt.process[0]) {
        wchar_t filter[200];
        cctl_process_filter(c, filter, 200);
        SetWindowTextW(GetDlgItem(c->main, IDC_FILTER), filter);
        SendMessageW(c->main, WM_COMMAND, MAKEWPARAM(IDM_FILTER_APPLY, 0), 0);
    }
}

/* Stops the capture and lets the window finish it as a loaded file (socket table, timeline, filters). */
static void cctl_stop(cctl *c, trc_trace *t)
{
    cap_capture_status final;
    cap_error err;
    wchar_t text[700];
    int rc;

    KillTimer(c->main, CCTL_TIMER);
    cctl_poll(c, t); /* the last ETW query: the session is gone after the stop */
    rc = cap_capture_stop(t->capture, NULL, &err);
    cap_capture_get_status(t->capture, &final); /* the ring's final count, with the producer gone */
    c->last.ring_dropped = final.ring_dropped;
    c->last.rows = final.rows;
    c->rate = 0;
    c->was_cleared = FALSE;
    SendMessageW(c->main, TRC_MSG_DONE, (WPARAM)t->serial, 0);
    cctl_update_menu(c, FALSE);
    if (rc != 0) {
        utf_widen(err.text, text, 700);
        MessageBoxW(c->main, text, L"wskview: the capture stopped with an error", MB_OK | MB_ICONWARNING);
    }
}

const char *cctl_state_text(const cctl *c)
{
    return c->was_cleared ? "Cleared" : "Stopped";
}

void cctl_on_stopped(cctl *c, trc_trace *t)
{
    cctl_status(c, SBAR_PROGRESS, cctl_state_text(c));
    cctl_show_losses(c, t, cctl_state_text(c));
}

static BOOL cctl_running(const trc_trace *t)
{
    return t && t->capture && !t->done;
}

static void cctl_clear(cctl *c, trc_trace *t)
{
    BOOL restart = cctl_running(t);
    trc_trace *empty;

    if (!t || t->path[0]) { /* a file is not thrown away by a slip of Ctrl+X */
        cctl_status(c, SBAR_PROGRESS, "Clear empties a capture's list");
        return;
    }
    c->cleared = TRUE;
    GetLocalTime(&c->cleared_at);
    if (restart) {
        cctl_stop(c, t);
        cctl_start(c);
        return;
    }
    empty = cctl_new_trace(c);
    if (!empty) {
        cctl_status(c, SBAR_PROGRESS, "Out of memory");
        return;
    }
    c->session_file[0] = L'\0';
    memset(&c->last, 0, sizeof c->last);
    c->rate = 0;
    c->was_cleared = TRUE;
    mw_show_capture(c->main, empty);
    SendMessageW(c->main, TRC_MSG_DONE, (WPARAM)empty->serial, 0);
}

/* The common Save dialog for an .etl (path holds the proposal and gets the choice); FALSE when cancelled. */
static BOOL cctl_ask_etl_path(HWND owner, wchar_t *path, DWORD cap, const wchar_t *title)
{
    return fdlg_save(owner, L"Event trace logs (*.etl)\0*.etl\0", L"etl", title, path, cap) != 0;
}

static void cctl_save(cctl *c, trc_trace *t)
{
    wchar_t path[MAX_PATH * 4] = L"capture.etl", title[160];
    char utf8[MAX_PATH * 4 * 3], text[700], err[512];
    live_save_stats st;

    if (!t || t->path[0]) {
        cctl_status(c, SBAR_PROGRESS, "Nothing captured to save");
        return;
    }
    if (cctl_running(t))
        cctl_stop(c, t); /* the file holds what the list holds when Save was chosen */
    if (c->cleared)
        _snwprintf(title, 160, L"Save the events captured since the Clear at %02u:%02u:%02u",
                   c->cleared_at.wHour, c->cleared_at.wMinute, c->cleared_at.wSecond);
    else
        lstrcpyW(title, L"Save Capture As");
    title[159] = L'\0';
    if (!cctl_ask_etl_path(c->main, path, MAX_PATH * 4, title))
        return;
    if (c->session_file[0]) {
        /* The session wrote every event ETW had for it, lost-event records and process rundown included. */
        if (CopyFileW(c->session_file, path, FALSE))
            snprintf(text, sizeof text, "Saved: a copy of the session's own file");
        else
            snprintf(text, sizeof text, "Could not copy the session's file (error %lu)", GetLastError());
    } else if (!t->capture) {
        snprintf(text, sizeof text, "Nothing to save: the list was cleared");
    } else if (!WideCharToMultiByte(CP_UTF8, 0, path, -1, utf8, (int)sizeof utf8, NULL, NULL)) {
        snprintf(text, sizeof text, "Could not save: the file name cannot be converted");
    } else if (cap_capture_save(t->capture, utf8, &st, err, sizeof err) != 0) {
        snprintf(text, sizeof text, "Could not save: %s", err);
    } else {
        snprintf(text, sizeof text, "Saved %llu events (left out: %llu row%s with no event of their own)",
                 (unsigned long long)st.written, (unsigned long long)st.skipped, st.skipped == 1 ? "" : "s");
    }
    cctl_status(c, SBAR_PROGRESS, text[0] == 'S' ? "Saved" : "Not saved");
    cctl_status(c, SBAR_FILE, text);
}

void cctl_end_session(trc_trace *t)
{
    if (t && t->capture)
        cap_capture_emergency_stop(t->capture);
}

/* ---- Capture Options ------------------------------------------------------------------------------------ */

static const struct {
    ULONGLONG mask;
    const wchar_t *name;
} cctl_keyword_names[] = {
    { AFD_KW_DATAGRAM, L"Datagram sockets (0x1)" },
    { AFD_KW_STREAM, L"Stream sockets (0x2)" },
    { AFD_KW_SOURCE_WINSOCK, L"Winsock initiated: events 1000-1037 (0x4)" },
    { AFD_KW_SOURCE_TRANSPORT, L"Transport initiated: events 3000-3007 (0x8)" },
    { AFD_KW_FASTPATH, L"Fast path I/O (0x10)" },
    { AFD_KW_BUFFERED, L"Buffered (0x20)" },
    { AFD_KW_RIO, L"Registered I/O: events 4000-4015, 4018, 4020 (0x40)" },
    { AFD_KW_NRT, L"NRT: events 4016, 4017 (0x80)" },
    { AFD_KW_DROPPED, L"Dropped: events 33, 34, 1033 (0x10000000000)" },
};

static void cctl_options_enable(HWND dlg)
{
    EnableWindow(GetDlgItem(dlg, IDC_CAP_KEYWORDS), IsDlgButtonChecked(dlg, IDC_CAP_ALL_KEYWORDS) != BST_CHECKED);
}

static void cctl_options_init(HWND dlg, const set_capture *o)
{
    static const wchar_t *const levels[] = { L"1 Critical", L"2 Errors", L"3 Warnings", L"4 Information",
                                             L"5 Verbose (everything)" };
    static const wchar_t *const presets[] = { L"Default: 256 KiB x 64..1024 (about 2 s at 1 M events/s)",
                                              L"Small: 64 KiB x 16..64 (quiet machines)",
                                              L"Large: 1 MiB x 64..1024 (servers under load)" };
    HWND list = GetDlgItem(dlg, IDC_CAP_KEYWORDS);
    BOOL all = lstrcmpiW(o->keywords, L"all") == 0;
    ULONGLONG mask = all ? 0 : _wcstoui64(o->keywords, NULL, 16);
    size_t i;

    for (i = 0; i < sizeof levels / sizeof levels[0]; i++)
        SendDlgItemMessageW(dlg, IDC_CAP_LEVEL, CB_ADDSTRING, 0, (LPARAM)levels[i]);
    SendDlgItemMessageW(dlg, IDC_CAP_LEVEL, CB_SETCURSEL, (WPARAM)(o->level - 1), 0);
    for (i = 0; i < sizeof presets / sizeof presets[0]; i++)
        SendDlgItemMessageW(dlg, IDC_CAP_PRESET, CB_ADDSTRING, 0, (LPARAM)presets[i]);
    SendDlgItemMessageW(dlg, IDC_CAP_PRESET, CB_SETCURSEL, (WPARAM)o->preset, 0);
    SetDlgItemInt(dlg, IDC_CAP_FLUSH, (UINT)o->flush_seconds, FALSE);
    SetDlgItemTextW(dlg, IDC_CAP_FILE, o->file);
    SetDlgItemTextW(dlg, IDC_CAP_PROCESS, o->process);
    CheckDlgButton(dlg, IDC_CAP_ALL_KEYWORDS, all ? BST_CHECKED : BST_UNCHECKED);
    for (i = 0; i < sizeof cctl_keyword_names / sizeof cctl_keyword_names[0]; i++) {
        SendMessageW(list, LB_ADDSTRING, 0, (LPARAM)cctl_keyword_names[i].name);
        SendMessageW(list, LB_SETSEL, all || (mask & cctl_keyword_names[i].mask), (LPARAM)i);
    }
    SendMessageW(list, LB_SETTOPINDEX, 0, 0); /* selecting scrolled it to the last one */
    cctl_options_enable(dlg);
}

/* FALSE (with a message) when a value is out of range. */
static BOOL cctl_options_read(HWND dlg, set_capture *o)
{
    BOOL ok = FALSE;
    UINT flush = GetDlgItemInt(dlg, IDC_CAP_FLUSH, &ok, FALSE);
    ULONGLONG mask = 0;
    size_t i;

    if (!ok || flush < 1 || flush > 60) {
        MessageBoxW(dlg, L"The flush timer is a number of seconds from 1 to 60.", L"Capture Options",
                    MB_OK | MB_ICONWARNING);
        return FALSE;
    }
    for (i = 0; i < sizeof cctl_keyword_names / sizeof cctl_keyword_names[0]; i++)
        if (SendDlgItemMessageW(dlg, IDC_CAP_KEYWORDS, LB_GETSEL, (WPARAM)i, 0) > 0)
            mask |= cctl_keyword_names[i].mask;
    if (IsDlgButtonChecked(dlg, IDC_CAP_ALL_KEYWORDS) != BST_CHECKED && !mask) {
        MessageBoxW(dlg, L"Choose at least one keyword, or all of them.", L"Capture Options", MB_OK | MB_ICONWARNING);
        return FALSE;
    }
    o->level = (int)SendDlgItemMessageW(dlg, IDC_CAP_LEVEL, CB_GETCURSEL, 0, 0) + 1;
    o->preset = (int)SendDlgItemMessageW(dlg, IDC_CAP_PRESET, CB_GETCURSEL, 0, 0);
    o->flush_seconds = (int)flush;
    if (IsDlgButtonChecked(dlg, IDC_CAP_ALL_KEYWORDS) == BST_CHECKED)
        lstrcpyW(o->keywords, L"all");
    else
        _snwprintf(o->keywords, 24, L"0x%llx", (unsigned long long)mask);
    o->keywords[23] = L'\0';
    GetDlgItemTextW(dlg, IDC_CAP_FILE, o->file, MAX_PATH);
    GetDlgItemTextW(dlg, IDC_CAP_PROCESS, o->process, 128);
    return TRUE;
}

static void cctl_options_browse(HWND dlg)
{
    wchar_t path[MAX_PATH];

    GetDlgItemTextW(dlg, IDC_CAP_FILE, path, MAX_PATH);
    if (cctl_ask_etl_path(dlg, path, MAX_PATH, L"The .etl file the session also writes"))
        SetDlgItemTextW(dlg, IDC_CAP_FILE, path);
}

static INT_PTR CALLBACK cctl_options_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    set_capture *o = (set_capture *)GetWindowLongPtrW(dlg, DWLP_USER);

    switch (msg) {
    case WM_INITDIALOG:
        SetWindowLongPtrW(dlg, DWLP_USER, lp);
        cctl_options_init(dlg, (const set_capture *)lp);
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wp)) {
        case IDC_CAP_ALL_KEYWORDS:
            cctl_options_enable(dlg);
            return TRUE;
        case IDC_CAP_BROWSE:
            cctl_options_browse(dlg);
            return TRUE;
        case IDOK:
            if (cctl_options_read(dlg, o))
                EndDialog(dlg, IDOK);
            return TRUE;
        case IDCANCEL:
            EndDialog(dlg, IDCANCEL);
            return TRUE;
        default:
            break;
        }
        break;
    default:
        break;
    }
    return FALSE;
}

static void cctl_options(cctl *c, const trc_trace *t)
{
    set_capture o = c->opt;

    if (DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_CAPTURE_OPTIONS), c->main, cctl_options_proc,
                        (LPARAM)&o) != IDOK)
        return;
    c->opt = o;
    set_save_capture(&c->opt);
    if (cctl_running(t))
        cctl_status(c, SBAR_PROGRESS, "Options apply at the next Start");
}

/* ---- the controller -------------------------------------------------------------------------------------- */

cctl *cctl_create(HWND main)
{
    cctl *c = (cctl *)calloc(1, sizeof *c);

    if (!c)
        return NULL;
    c->main = main;
    c->opt.level = 5;
    lstrcpyW(c->opt.keywords, L"all");
    c->opt.preset = CAP_PRESET_DEFAULT;
    c->opt.flush_seconds = 1;
    set_load_capture(&c->opt);
    return c;
}

void cctl_destroy(cctl *c)
{
    free(c);
}

BOOL cctl_command_line(cctl *c, int argc, wchar_t **argv)
{
    BOOL capture = FALSE, start = FALSE;
    int i;

    for (i = 1; i < argc; i++) {
        if (lstrcmpW(argv[i], L"--replay") == 0 && i + 1 < argc) {
            if (!WideCharToMultiByte(CP_UTF8, 0, argv[++i], -1, c->replay, (int)sizeof c->replay, NULL, NULL))
                c->replay[0] = '\0';
            capture = start = TRUE;
        } else if (lstrcmpW(argv[i], L"--rate") == 0 && i + 1 < argc) {
            c->replay_rate = _wtof(argv[++i]);
            capture = TRUE;
        } else if (lstrcmpW(argv[i], L"--ring-mib") == 0 && i + 1 < argc) {
            c->ring_mib = (uint32_t)_wtoi(argv[++i]);
            capture = TRUE;
        } else if (lstrcmpW(argv[i], L"--fake-etw") == 0 && i + 1 < argc) {
            i++;
            cctl_fake_code = lstrcmpW(argv[i], L"no-resources") == 0 ? ERROR_NO_SYSTEM_RESOURCES : ERROR_ACCESS_DENIED;
            c->api = &cctl_fake_api;
            capture = TRUE;
        }
    }
    if (start)
        cctl_start(c);
    return capture;
}

BOOL cctl_on_command(cctl *c, trc_trace *t, int id)
{
    switch (id) {
    case IDM_CAPTURE_START:
        if (cctl_running(t)) {
            cctl_stop(c, t);
        } else {
            c->cleared = FALSE;
            cctl_start(c);
        }
        return TRUE;
    case IDM_CAPTURE_CLEAR:
        cctl_clear(c, t);
        return TRUE;
    case IDM_CAPTURE_SAVE:
        cctl_save(c, t);
        return TRUE;
    case IDM_CAPTURE_OPTIONS:
        cctl_options(c, t);
        return TRUE;
    default:
        return FALSE;
    }
}
