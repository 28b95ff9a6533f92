/*
 * guiprobe.c - drives wskview.exe from another process, as a person (or a screen reader) would:
 * it finds the real windows and asks the real controls. Built by the cross build, run under Wine.
 *
 *   guiprobe smoke WSKVIEW.EXE VERSION         start, inspect the main window, screenshot handshake,
 *                                              close (button and File > Exit), check exit codes,
 *                                              Help > About names VERSION
 *   guiprobe layout WSKVIEW.EXE DPI            sizes scale with the DPI the window is shown at (run in a
 *                                              Wine prefix whose LogPixels is DPI: WSK_WINE_DPI), and
 *                                              follow WM_DPICHANGED to another DPI and back
 *   guiprobe resources WSKVIEW.EXE VERSION     the embedded manifest, version, icon, menu, accelerators
 *   guiprobe open WSKVIEW.EXE TRACE EVENTS.JSONL FILTER MATCHES DAMAGED NOT_A_TRACE SOCKETS.JSONL
 *                                              TRACE given on the command line loads; the list has one
 *                                              row per line of EVENTS.JSONL (`wskdump events --format
 *                                              jsonl`) and its cells say what those lines say, the socket
 *                                              columns what SOCKETS.JSONL (`wskdump sockets`) says; selecting
 *                                              an event names its socket in the detail pane; FILTER
 *                                              shows MATCHES rows and Esc clears it; choosing a socket
 *                                              filters to it; a damaged trace loads with a notice; a
 *                                              file that is no trace gives a message and the window
 *                                              goes on working; a dropped file (WM_DROPFILES) loads
 *   guiprobe replay WSKVIEW.EXE TRACE EVENTS.JSONL RATE SAVED.ETL FILTER MATCHES BIG.ETL
 *                                              wskview.exe --replay TRACE --rate RATE: the capture's list
 *                                              ends with one row per line of EVENTS.JSONL and the cells
 *                                              say what they say, no drops, the socket table fills;
 *                                              FILTER applies at Stop (MATCHES rows); Save As SAVED.ETL,
 *                                              Clear; --fake-etw: the access denied dialog and the
 *                                              64-sessions message; Capture Options kept across a restart;
 *                                              the list follows new rows only while it shows its end;
 *                                              a filter set mid-capture selects from every new batch;
 *                                              BIG.ETL flat out through a 1 MiB ring: its loss rows
 *   guiprobe detail WSKVIEW.EXE TRACE SPEC...  for each ENDPOINT:GENERATION:EVENTS (`wskdump sockets`): the
 *                                              list filtered to that socket, its first row selected, the
 *                                              detail pane describes it with EVENTS history entries; prints
 *                                              how long filling the pane took
 *   guiprobe bench-replay WSKVIEW.EXE TRACE RATE
 *                                              figures: wskview.exe --replay TRACE --rate RATE until
 *                                              its rows stop growing: rows, the ring's drops, the
 *                                              longest message-loop stall ("MEASURE idle|after" as bench)
 *   guiprobe viewer WSKVIEW.EXE TRACE FILTER MATCHES CSV JSONL EVENTS.JSONL [BIG]
 *                                              the column chooser (hide, drag, widen, restart), Copy of
 *                                              every row and of FILTER's MATCHES rows against the cells,
 *                                              File > Export Events against CSV and JSONL (`wskdump events
 *                                              --filter FILTER`), a highlight rule's colours on the screen;
 *                                              Esc cancels an export and a copy of BIG's rows
 *   guiprobe viewbench WSKVIEW.EXE TRACE DIR   figures, not checks: Copy of every row and File > Export
 *                                              Events (CSV, JSON Lines into DIR): time and the longest
 *                                              round trip of the message loop meanwhile
 *   guiprobe bench WSKVIEW.EXE TRACE           figures, not checks: the window starts empty, TRACE is
 *                                              dropped on it; prints the time until the first rows and
 *                                              until loaded, and the longest the message loop did not
 *                                              answer meanwhile. "MEASURE before|after" lines wait for
 *                                              one line on stdin (tests/gui/bench-load.sh reads the
 *                                              process's memory then).
 *
 * Screenshot handshake: once the window is up and checked, the probe prints "READY" and waits for
 * one line on stdin (tests/gui/gui-smoke.sh takes the picture and then answers). EOF answers too, so
 * the probe also runs by hand.
 *
 * ABI note: some list and status bar messages carry pointers, which are meaningless in another
 * process. probe_remote_* allocates a block inside wskview.exe (VirtualAllocEx), lets the control
 * write there and reads it back (ReadProcessMemory). Both programs are x64, so the structures have
 * the same layout on both sides. Later tests read list cells (LVM_GETITEMTEXTW) the same way.
 */
#include <windows.h>
#include <commctrl.h>
#include <shlobj.h>
#include <wchar.h>

#include "check.h"
#include "eventlist.h"
#include "mainwnd.h"
#include "resource.h"

#define PROBE_WINDOW_TIMEOUT_MS 30000
#define PROBE_EXIT_TIMEOUT_MS   15000

static const wchar_t *probe_exe;          /* wskview.exe under test */
static const wchar_t *probe_version;      /* expected "MAJOR.MINOR.PATCH" */
static int probe_dpi = 96;                /* the DPI wskview.exe is expected to run at */

/* ---- a running wskview.exe -------------------------------------------------------------------- */

typedef struct probe_app {
    PROCESS_INFORMATION pi;
    HWND main;
    HWND list;             /* the event list, NULL if missing */
    HWND bar;              /* the status bar, NULL if missing */
} probe_app;

typedef struct probe_find {
    DWORD pid;
    const wchar_t *cls;
    HWND found;
} probe_find;

static BOOL CALLBACK probe_find_cb(HWND hwnd, LPARAM lp)
{
    probe_find *f = (probe_find *)lp;
    wchar_t cls[64];
    DWORD pid = 0;

    GetWindowThreadProcessId(hwnd, &pid);
    if (pid == f->pid && GetClassNameW(hwnd, cls, 64) && wcscmp(cls, f->cls) == 0 && IsWindowVisible(hwnd)) {
        f->found = hwnd;
        return FALSE;
    }
    return TRUE;
}

/* A visible top-level window of class cls owned by the app, waited for up to timeout_ms (less if the
 * process ends first); NULL if none. */
static HWND probe_wait_top_window(const probe_app *app, const wchar_t *cls, DWORD timeout_ms)
{
    probe_find f;
    DWORD waited = 0;

    f.pid = app->pi.dwProcessId;
    f.cls = cls;
    f.found = NULL;
    for (;;) {
        EnumWindows(probe_find_cb, (LPARAM)&f);
        if (f.found || waited >= timeout_ms)
            return f.found;
        if (WaitForSingleObject(app->pi.hProcess, 100) == WAIT_OBJECT_0)
            return NULL;                                 /* it ended without such a window */
        waited += 100;
    }
}

/* Start wskview.exe with args (may be NULL) and wait until its main window is visible; note its
 * controls. Returns FALSE (a failed check, nothing left running) when it does not appear in time. */
static BOOL probe_start(probe_app *app, const wchar_t *args)
{
    wchar_t cmd[2048];
    STARTUPINFOW si;

    ZeroMemory(app, sizeof *app);
    ZeroMemory(&si, sizeof si);
    si.cb = sizeof si;
    if (_snwprintf(cmd, 2048, L"\"%ls\"%ls%ls", probe_exe, args ? L" " : L"", args ? args : L"") < 0)
        return FALSE;
    if (!CreateProcessW(probe_exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &app->pi)) {
        fprintf(stderr, "guiprobe: cannot start %ls (error %lu)\n", probe_exe, GetLastError());
        check_failures++;
        return FALSE;
    }
    WaitForInputIdle(app->pi.hProcess, PROBE_WINDOW_TIMEOUT_MS);
    app->main = probe_wait_top_window(app, MW_CLASS_NAME, PROBE_WINDOW_TIMEOUT_MS);
    if (!app->main) {
        fprintf(stderr, "guiprobe: no visible window of class %ls within %d ms\n", MW_CLASS_NAME,
                PROBE_WINDOW_TIMEOUT_MS);
        TerminateProcess(app->pi.hProcess, 99);
        CloseHandle(app->pi.hThread);
        CloseHandle(app->pi.hProcess);
        ZeroMemory(app, sizeof *app);
        check_failures++;
        return FALSE;
    }
    app->list = GetDlgItem(app->main, IDC_EVENTLIST);
    app->bar = GetDlgItem(app->main, IDC_STATUSBAR);
    return TRUE;
}

typedef struct probe_text_search {
    const wchar_t *needle;
    BOOL found;
} probe_text_search;

static BOOL CALLBACK probe_text_cb(HWND hwnd, LPARAM lp)
{
    probe_text_search *t = (probe_text_search *)lp;
    wchar_t text[512];

    /* WM_GETTEXT is marshalled between processes by the system, unlike most control messages. */
    if (GetWindowTextW(hwnd, text, 512) > 0 && wcsstr(text, t->needle))
        t->found = TRUE;
    return !t->found;
}

/* Wait for the process to end by itself; returns its exit code, or -1 after killing it on timeout. */
static long probe_wait_exit(probe_app *app)
{
    DWORD code = 0;
    long rc = -1;

    if (WaitForSingleObject(app->pi.hProcess, PROBE_EXIT_TIMEOUT_MS) == WAIT_OBJECT_0
        && GetExitCodeProcess(app->pi.hProcess, &code))
        rc = (long)code;
    else {
        fprintf(stderr, "guiprobe: wskview.exe did not exit within %d ms\n", PROBE_EXIT_TIMEOUT_MS);
        TerminateProcess(app->pi.hProcess, 99);
    }
    CloseHandle(app->pi.hThread);
    CloseHandle(app->pi.hProcess);
    ZeroMemory(app, sizeof *app);
    return rc;
}

/* Close the window as its close button does (WM_SYSCOMMAND SC_CLOSE, which DefWindowProc turns into
 * WM_CLOSE) and check that the program ends by itself with exit code 0. */
static void probe_close(probe_app *app)
{
    CHECK(PostMessageW(app->main, WM_SYSCOMMAND, SC_CLOSE, 0));
    CHECK_U64(probe_wait_exit(app), 0);
}

/* ---- memory inside the probed process --------------------------------------------------------- */

typedef struct probe_remote {
    HANDLE proc;
    BYTE *base;            /* address in the other process */
    SIZE_T size;
} probe_remote;

static BOOL probe_remote_alloc(probe_remote *r, const probe_app *app, SIZE_T size)
{
    r->proc = app->pi.hProcess;
    r->size = size;
    r->base = (BYTE *)VirtualAllocEx(r->proc, NULL, size, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE);
    return r->base != NULL;
}

static void probe_remote_free(probe_remote *r)
{
    if (r->base)
        VirtualFreeEx(r->proc, r->base, 0, MEM_RELEASE);
    r->base = NULL;
}

static BOOL probe_remote_write(const probe_remote *r, SIZE_T offset, const void *src, SIZE_T n)
{
    SIZE_T done = 0;
    return offset + n <= r->size && WriteProcessMemory(r->proc, r->base + offset, src, n, &done) && done == n;
}

static BOOL probe_remote_read(const probe_remote *r, SIZE_T offset, void *dst, SIZE_T n)
{
    SIZE_T done = 0;
    return offset + n <= r->size && ReadProcessMemory(r->proc, r->base + offset, dst, n, &done) && done == n;
}

/* The title of list column col, read through LVM_GETCOLUMNW. Empty string on failure. */
static void probe_list_column_title(const probe_app *app, HWND list, int col, wchar_t *out, int cap)
{
    const SIZE_T text_at = 256;            /* text buffer behind the LVCOLUMNW in the remote block */
    probe_remote r;
    LVCOLUMNW lvc;

    out[0] = L'\0';
    if (!probe_remote_alloc(&r, app, 4096))
        return;
    ZeroMemory(&lvc, sizeof lvc);
    lvc.mask = LVCF_TEXT;
    lvc.pszText = (wchar_t *)(r.base + text_at);
    lvc.cchTextMax = cap;
    if (probe_remote_write(&r, 0, &lvc, sizeof lvc)
        && SendMessageW(list, LVM_GETCOLUMNW, (WPARAM)col, (LPARAM)r.base)
        && probe_remote_read(&r, text_at, out, (SIZE_T)cap * sizeof(wchar_t)))
        out[cap - 1] = L'\0';
    else
        out[0] = L'\0';
    probe_remote_free(&r);
}

/* The text of status bar part, read through SB_GETTEXTW. Empty string on failure. */
static void probe_status_text(const probe_app *app, HWND bar, int part, wchar_t *out, int cap)
{
    probe_remote r;
    LRESULT len = SendMessageW(bar, SB_GETTEXTLENGTHW, (WPARAM)part, 0);

    out[0] = L'\0';
    if (LOWORD(len) >= cap || !probe_remote_alloc(&r, app, (SIZE_T)cap * sizeof(wchar_t)))
        return;
    SendMessageW(bar, SB_GETTEXTW, (WPARAM)part, (LPARAM)r.base);
    if (probe_remote_read(&r, 0, out, (SIZE_T)cap * sizeof(wchar_t)))
        out[LOWORD(len)] = L'\0';
    else
        out[0] = L'\0';
    probe_remote_free(&r);
}

/* CHECK_STR for wide strings, reported in UTF-8. */
static void probe_check_wstr(const char *what, const wchar_t *got, const wchar_t *want)
{
    if (wcscmp(got, want) != 0) {
        char g[256], w[256];
        WideCharToMultiByte(CP_UTF8, 0, got, -1, g, 256, NULL, NULL);
        WideCharToMultiByte(CP_UTF8, 0, want, -1, w, 256, NULL, NULL);
        g[255] = w[255] = '\0';
        fprintf(stderr, "guiprobe: %s is \"%s\", expected \"%s\"\n", what, g, w);
        check_failures++;
    }
}

/* Column widths and status bar parts are written at 96 DPI in the GUI (eventlist.c, statusbar.c) and
 * must come out scaled by dpi/96, as MulDiv rounds. */
static void probe_check_layout(const probe_app *app, HWND list, HWND bar, int dpi)
{
    static const int col96[] = { 64, 120, 150, 56, 40, 140, 160, 150, 150, 190, 70, 420 };
    static const int part96[] = { 170, 100, 90, 120 };     /* the parts before the stretchy file part */
    probe_remote r;
    int parts[8];
    int i, right = 0;

    for (i = 0; i < EVL_COL_COUNT; i++) {
        int got = (int)SendMessageW(list, LVM_GETCOLUMNWIDTH, (WPARAM)i, 0);
        if (got != MulDiv(col96[i], dpi, 96)) {
            fprintf(stderr, "guiprobe: column %d is %d px wide, expected %d at %d DPI\n", i, got,
                    MulDiv(col96[i], dpi, 96), dpi);
            check_failures++;
        }
    }
    if (!probe_remote_alloc(&r, app, sizeof parts)) {
        CHECK(!"memory in wskview.exe for SB_GETPARTS");
        return;
    }
    CHECK_U64(SendMessageW(bar, SB_GETPARTS, 8, (LPARAM)r.base), 6);
    CHECK(probe_remote_read(&r, 0, parts, sizeof parts));
    for (i = 0; i < 4; i++) {
        right += MulDiv(part96[i], dpi, 96);
        if (parts[i] != right) {
            fprintf(stderr, "guiprobe: status part %d ends at %d, expected %d at %d DPI\n", i, parts[i], right, dpi);
            check_failures++;
        }
    }
    CHECK_U64((uint32_t)parts[5], (uint32_t)-1);          /* the zone part runs to the edge */
    probe_remote_free(&r);
}

/* A child's rectangle in its parent's client coordinates. */
static RECT probe_child_rect(HWND main, int id)
{
    RECT rc;

    SetRectEmpty(&rc);
    GetWindowRect(GetDlgItem(main, id), &rc);
    MapWindowPoints(NULL, main, (POINT *)&rc, 2);
    return rc;
}

/* The panes tile the client area: the filter bar on top, the event list below it at the left edge
 * above the socket table, the detail pane (text above history) at the right edge, and all of them
 * end at the status bar (or the bottom when the bar is hidden). */
static void probe_check_fill(HWND main, HWND list, HWND bar)
{
    RECT client, lr = probe_child_rect(main, IDC_EVENTLIST), fr = probe_child_rect(main, IDC_FILTER);
    RECT sr = probe_child_rect(main, IDC_SOCKETS), dt = probe_child_rect(main, IDC_DETAIL_TEXT);
    RECT dl = probe_child_rect(main, IDC_DETAIL_LIST);
    int bottom;

    (void)list;
    GetClientRect(main, &client);
    bottom = client.bottom;
    if (GetWindowLongPtrW(bar, GWL_STYLE) & WS_VISIBLE) {
        RECT br;
        GetWindowRect(bar, &br);
        MapWindowPoints(NULL, main, (POINT *)&br, 2);
        CHECK(br.bottom - br.top > 0);
        CHECK_U64(br.bottom, client.bottom);
        bottom = br.top;
    }
    CHECK(fr.top >= 0 && fr.bottom > fr.top);
    CHECK_U64(lr.left, 0);
    CHECK(lr.top >= fr.bottom);
    CHECK(lr.bottom > lr.top + 40);
    CHECK_U64(sr.left, 0);
    CHECK_U64(sr.right, lr.right);
    CHECK(sr.top > lr.bottom);
    CHECK_U64(sr.bottom, bottom);
    CHECK(dt.left > lr.right);
    CHECK_U64(dt.right, client.right);
    CHECK(dt.top > lr.top);                /* the detail pane's buttons are above its text */
    CHECK_U64(probe_child_rect(main, IDC_DETAIL_FILTER).top, lr.top);
    CHECK(dl.top > dt.bottom);
    CHECK_U64(dl.bottom, bottom);
    CHECK(lr.right > client.right / 2);   /* the event list gets most of the width */
}

/* ---- smoke ------------------------------------------------------------------------------------ */

static void probe_screenshot_handshake(void)
{
    char line[64];

    printf("READY\n");
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin))
        return;               /* nobody takes pictures: go on */
}

static void smoke_main_window_close_button(void)
{
    static const wchar_t *const titles[EVL_COL_COUNT] = {
        L"#", L"Time", L"Process", L"TID", L"CPU", L"Event", L"Socket", L"Local", L"Remote", L"Status",
        L"Bytes", L"Details"
    };
    probe_app app;
    HWND list, header, bar;
    wchar_t text[128], title[64];
    LONG_PTR style;
    DWORD ex_style;
    int i;

    if (!probe_start(&app, NULL))
        return;
    GetWindowTextW(app.main, title, 64);
    probe_check_wstr("main window title", title, L"wskview");

    list = app.list;
    CHECK(list != NULL);
    if (list) {
        style = GetWindowLongPtrW(list, GWL_STYLE);
        CHECK((style & LVS_OWNERDATA) != 0);
        CHECK((style & LVS_TYPEMASK) == LVS_REPORT);
        CHECK(IsWindowVisible(list));
        ex_style = (DWORD)SendMessageW(list, LVM_GETEXTENDEDLISTVIEWSTYLE, 0, 0);
        CHECK((ex_style & LVS_EX_DOUBLEBUFFER) != 0);
        CHECK((ex_style & LVS_EX_FULLROWSELECT) != 0);
        CHECK_U64(SendMessageW(list, LVM_GETITEMCOUNT, 0, 0), 0);
        header = (HWND)SendMessageW(list, LVM_GETHEADER, 0, 0);
        CHECK(header != NULL);
        CHECK_U64(SendMessageW(header, HDM_GETITEMCOUNT, 0, 0), 12);
        for (i = 0; i < EVL_COL_COUNT; i++) {
            char what[32];
            snprintf(what, sizeof what, "column %d title", i);
            probe_list_column_title(&app, list, i, text, 128);
            probe_check_wstr(what, text, titles[i]);
        }
    }

    bar = app.bar;
    CHECK(bar != NULL);
    if (bar) {
        CHECK_U64(SendMessageW(bar, SB_GETPARTS, 0, 0), 6);
        probe_status_text(&app, bar, 0, text, 128);
        probe_check_wstr("status part 0", text, L"Events: 0 / 0");
        probe_status_text(&app, bar, 5, text, 128);
        probe_check_wstr("status part 5", text, L"UTC");
    }
    if (list && bar) {
        probe_check_layout(&app, list, bar, probe_dpi);
        probe_check_fill(app.main, list, bar);
    }

    probe_screenshot_handshake();
    probe_close(&app);
}

static void smoke_file_exit(void)
{
    probe_app app;

    if (!probe_start(&app, NULL))
        return;
    /* What choosing File > Exit sends; the menu itself belongs to the other process. */
    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_FILE_EXIT, 0), 0));
    CHECK_U64(probe_wait_exit(&app), 0);
}

static void smoke_status_bar_toggle(void)
{
    probe_app app;
    HWND list, bar;

    if (!probe_start(&app, NULL))
        return;
    list = app.list;
    bar = app.bar;
    CHECK(list != NULL && bar != NULL);
    if (list && bar) {
        /* View > Status Bar hides it and the list takes the room; again shows it. */
        SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_STATUSBAR, 0), 0);
        CHECK(!IsWindowVisible(bar));
        probe_check_fill(app.main, list, bar);
        SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_STATUSBAR, 0), 0);
        CHECK(IsWindowVisible(bar));
        probe_check_fill(app.main, list, bar);
    }
    probe_close(&app);
}

/* View > Timeline gives the timeline the bottom of the window, above the status bar; again takes it away. */
static void smoke_timeline_toggle(void)
{
    probe_app app;
    RECT client, tr, sr, br;

    if (!probe_start(&app, NULL))
        return;
    CHECK(!IsWindowVisible(GetDlgItem(app.main, IDC_TIMELINE)));
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_TIMELINE, 0), 0);
    CHECK(IsWindowVisible(GetDlgItem(app.main, IDC_TIMELINE)));
    GetClientRect(app.main, &client);
    tr = probe_child_rect(app.main, IDC_TIMELINE);
    sr = probe_child_rect(app.main, IDC_SOCKETS);
    GetWindowRect(app.bar, &br);
    MapWindowPoints(NULL, app.main, (POINT *)&br, 2);
    CHECK_U64(tr.left, 0);
    CHECK_U64(tr.right, client.right);
    CHECK_U64(tr.bottom, br.top);
    CHECK(tr.bottom - tr.top > 40);
    CHECK(sr.bottom < tr.top);
    CHECK(probe_child_rect(app.main, IDC_DETAIL_LIST).bottom < tr.top);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_TIMELINE, 0), 0);
    CHECK(!IsWindowVisible(GetDlgItem(app.main, IDC_TIMELINE)));
    probe_check_fill(app.main, app.list, app.bar);
    probe_close(&app);
}

static void probe_filter_key(const probe_app *app, const wchar_t *text, WPARAM key);

/* Panes, the time zone and the filter history come back as the last run left them (the panes and the zone
 * are put back for the other tests). */
static void smoke_settings_persist(void)
{
    probe_app app;
    wchar_t text[64];

    if (!probe_start(&app, NULL))
        return;
    CHECK(IsWindowVisible(GetDlgItem(app.main, IDC_SOCKETS)));
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_SOCKETS, 0), 0);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_ZONE_VIEWER, 0), 0);
    CHECK(!IsWindowVisible(GetDlgItem(app.main, IDC_SOCKETS)));
    probe_filter_key(&app, L"remote.port == \"4711\"", VK_RETURN);     /* quotes survive the file */
    Sleep(300);
    probe_filter_key(&app, L"", VK_ESCAPE);
    Sleep(300);
    probe_close(&app);

    if (!probe_start(&app, NULL))
        return;
    CHECK(!IsWindowVisible(GetDlgItem(app.main, IDC_SOCKETS)));
    probe_status_text(&app, app.bar, 5, text, 64);
    probe_check_wstr("zone after a restart", text, L"Viewer's time");
    CHECK_U64(SendMessageW(GetDlgItem(app.main, IDC_FILTER), CB_FINDSTRINGEXACT, (WPARAM)-1,
                           (LPARAM)L"remote.port == \"4711\""), 0);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_SOCKETS, 0), 0);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_ZONE_UTC, 0), 0);
    CHECK(IsWindowVisible(GetDlgItem(app.main, IDC_SOCKETS)));
    probe_check_fill(app.main, app.list, app.bar);
    probe_close(&app);
}

/* The control that has the keyboard focus in wskview's UI thread (GetFocus only sees the caller's own). */
static HWND probe_focus(const probe_app *app)
{
    GUITHREADINFO gti;

    gti.cbSize = sizeof gti;
    return GetGUIThreadInfo(app->pi.dwThreadId, &gti) ? gti.hwndFocus : NULL;
}

/* Id of the main window's child that holds (or is the parent of) the focus; 0 when none. */
static int probe_focus_id(const probe_app *app)
{
    HWND f = probe_focus(app);

    while (f && GetParent(f) != app->main)
        f = GetParent(f);
    return f ? GetDlgCtrlID(f) : 0;
}

/* A key as the keyboard delivers it to the control with the focus. */
static void probe_key_to_focus(const probe_app *app, WPARAM key)
{
    HWND f = probe_focus(app);

    CHECK(f != NULL);
    if (f) {
        PostMessageW(f, WM_KEYDOWN, key, 1);
        PostMessageW(f, WM_KEYUP, key, 1u | 0xC0000000u);
    }
}

/* The focus reaches the child id within two seconds (the UI thread acts on posted keys in its own time). */
static void probe_check_focus(const probe_app *app, int id, int line)
{
    int got = 0, waited;

    for (waited = 0; waited < 2000; waited += 20) {
        got = probe_focus_id(app);
        if (got == id)
            return;
        Sleep(20);
    }
    fprintf(stderr, "guiprobe:%d: the focus is on child %d, not %d\n", line, got, id);
    check_failures++;
}
#define CHECK_FOCUS(app, id) probe_check_focus(app, id, __LINE__)

/* Without a mouse: Tab walks every visible control in reading order (the detail pane's buttons too), F6
 * only the panes, Shift goes back (posted keys carry no Shift state: those are sent as their commands). */
static void smoke_keyboard_focus(void)
{
    probe_app app;

    if (!probe_start(&app, NULL))
        return;
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_FILTER, 0), 0);
    CHECK_FOCUS(&app, IDC_FILTER);
    probe_key_to_focus(&app, VK_TAB);
    CHECK_FOCUS(&app, IDC_EVENTLIST);
    probe_key_to_focus(&app, VK_TAB);
    CHECK_FOCUS(&app, IDC_SOCKETS);
    probe_key_to_focus(&app, VK_TAB);
    CHECK_FOCUS(&app, IDC_DETAIL_FILTER);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_FOCUS_PREV, 0), 0);
    CHECK_FOCUS(&app, IDC_SOCKETS);
    probe_key_to_focus(&app, VK_F6);
    CHECK_FOCUS(&app, IDC_DETAIL_LIST);
    /* The timeline is hidden: the walk wraps round to the filter bar, and back again. */
    probe_key_to_focus(&app, VK_F6);
    CHECK_FOCUS(&app, IDC_FILTER);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_FOCUS_PREV_PANE, 0), 0);
    CHECK_FOCUS(&app, IDC_DETAIL_LIST);
    /* Shown, the timeline is the last pane. */
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_TIMELINE, 0), 0);
    probe_key_to_focus(&app, VK_F6);
    CHECK_FOCUS(&app, IDC_TIMELINE);
    probe_key_to_focus(&app, VK_F6);
    CHECK_FOCUS(&app, IDC_FILTER);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_TIMELINE, 0), 0);
    probe_close(&app);
}

static void smoke_about_shows_version(void)
{
    probe_app app;
    probe_text_search t;
    wchar_t want[64];
    HWND dlg;
    int i;

    if (!probe_start(&app, NULL))
        return;
    _snwprintf(want, 64, L"wskview %ls", probe_version);
    want[63] = L'\0';
    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_HELP_ABOUT, 0), 0));
    dlg = probe_wait_top_window(&app, L"#32770", 10000);
    CHECK(dlg != NULL);
    if (dlg) {
        t.needle = want;
        t.found = FALSE;
        EnumChildWindows(dlg, probe_text_cb, (LPARAM)&t);
        if (!t.found) {
            fprintf(stderr, "guiprobe: the About box does not say \"%ls\"\n", want);
            check_failures++;
        }
        /* What pressing OK sends; the box must go away and leave the main window working. */
        CHECK(PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), 0));
        for (i = 0; i < 50 && IsWindow(dlg); i++)
            Sleep(100);
        CHECK(!IsWindow(dlg));
    }
    probe_close(&app);
}

/* ---- layout ----------------------------------------------------------------------------------- */

static void layout_scaled(void)
{
    probe_app app;
    HWND list, bar;

    if (!probe_start(&app, NULL))
        return;
    list = app.list;
    bar = app.bar;
    CHECK(list != NULL && bar != NULL);
    if (list && bar)
        probe_check_layout(&app, list, bar, probe_dpi);
    probe_close(&app);
}

/* What Windows sends when the window moves to a monitor of another DPI (Wine under Xvfb has one monitor,
 * so the message is sent by hand, with its suggested rectangle in wskview.exe's memory). */
static BOOL probe_send_dpi_changed(const probe_app *app, int dpi)
{
    probe_remote r;
    RECT rc;
    BOOL ok;

    GetWindowRect(app->main, &rc);
    if (!probe_remote_alloc(&r, app, sizeof rc))
        return FALSE;
    ok = probe_remote_write(&r, 0, &rc, sizeof rc);
    if (ok)
        SendMessageW(app->main, WM_DPICHANGED, MAKEWPARAM(dpi, dpi), (LPARAM)r.base);
    probe_remote_free(&r);
    return ok;
}

static int probe_window_height(HWND hwnd)
{
    RECT rc;
    return GetWindowRect(hwnd, &rc) ? rc.bottom - rc.top : 0;
}

static void layout_follows_dpi_change(void)
{
    probe_app app;
    HWND list, bar;

    if (!probe_start(&app, NULL))
        return;
    list = app.list;
    bar = app.bar;
    CHECK(list != NULL && bar != NULL);
    if (list && bar) {
        int other = probe_dpi == 96 ? 144 : 96;
        int bar_before = probe_window_height(bar), bar_after;
        CHECK(probe_send_dpi_changed(&app, other));
        probe_check_layout(&app, list, bar, other);
        /* The font follows the DPI: the status bar's height shows it from outside the process. */
        bar_after = probe_window_height(bar);
        if ((other > probe_dpi) != (bar_after > bar_before)) {
            fprintf(stderr, "guiprobe: status bar height went from %d to %d px when the DPI went from %d to %d\n",
                    bar_before, bar_after, probe_dpi, other);
            check_failures++;
        }
        CHECK(probe_send_dpi_changed(&app, probe_dpi));
        probe_check_layout(&app, list, bar, probe_dpi);
    }
    probe_close(&app);
}

/* ---- resources -------------------------------------------------------------------------------- */

typedef struct probe_res {
    HMODULE mod;
} probe_res;

static probe_res res;

static BOOL CALLBACK probe_count_names(HMODULE mod, LPCWSTR type, LPWSTR name, LONG_PTR lp)
{
    int *count = (int *)lp;
    (void)mod;
    (void)type;
    if (IS_INTRESOURCE(name) && (ULONG_PTR)name == 1)
        count[1]++;                        /* id 1: CREATEPROCESS_MANIFEST_RESOURCE_ID */
    count[0]++;
    return TRUE;
}

static void res_manifest(void)
{
    static const char *const needles[] = {
        "Microsoft.Windows.Common-Controls", "version=\"6.0.0.0\"", "PerMonitorV2", "true/pm",
        ">UTF-8<", "longPathAware", "{1f676c76-80e1-4239-95bb-83d0f6d0da78}",
        "{8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a}",
    };
    int count[2] = { 0, 0 };
    HRSRC h;
    size_t i;

    EnumResourceNamesW(res.mod, RT_MANIFEST, probe_count_names, (LONG_PTR)count);
    CHECK_U64(count[0], 1);                /* exactly one: the linker added none of its own */
    CHECK_U64(count[1], 1);
    h = FindResourceW(res.mod, MAKEINTRESOURCEW(1), RT_MANIFEST);
    CHECK(h != NULL);
    if (h) {
        DWORD size = SizeofResource(res.mod, h);
        const char *text = (const char *)LockResource(LoadResource(res.mod, h));
        char *copy = (char *)calloc(1, (size_t)size + 1);
        CHECK(text != NULL && copy != NULL);
        if (text && copy) {
            memcpy(copy, text, size);
            for (i = 0; i < CHECK_COUNT(needles); i++)
                if (!strstr(copy, needles[i])) {
                    fprintf(stderr, "guiprobe: manifest lacks %s\n", needles[i]);
                    check_failures++;
                }
        }
        free(copy);
    }
}

static void res_version(void)
{
    DWORD handle = 0, size = GetFileVersionInfoSizeW(probe_exe, &handle);
    BYTE *info = size ? (BYTE *)malloc(size) : NULL;
    VS_FIXEDFILEINFO *fixed = NULL;
    wchar_t *str = NULL;
    UINT len = 0;
    unsigned major = 0, minor = 0, patch = 0;

    CHECK(info != NULL);
    CHECK(swscanf(probe_version, L"%u.%u.%u", &major, &minor, &patch) == 3);
    if (info && GetFileVersionInfoW(probe_exe, 0, size, info)) {
        CHECK(VerQueryValueW(info, L"\\", (void **)&fixed, &len) && fixed);
        if (fixed) {
            CHECK_U64(fixed->dwFileVersionMS, ((uint64_t)major << 16) | minor);
            CHECK_U64(fixed->dwFileVersionLS, (uint64_t)patch << 16);
            CHECK_U64(fixed->dwFileType, VFT_APP);
        }
        CHECK(VerQueryValueW(info, L"\\StringFileInfo\\040904b0\\FileVersion", (void **)&str, &len) && str);
        if (str)
            probe_check_wstr("FileVersion", str, probe_version);
        str = NULL;
        CHECK(VerQueryValueW(info, L"\\StringFileInfo\\040904b0\\OriginalFilename", (void **)&str, &len) && str);
        if (str)
            probe_check_wstr("OriginalFilename", str, L"wskview.exe");
    } else {
        CHECK(!"GetFileVersionInfoW reads wskview.exe's version resource");
    }
    free(info);
}

static void res_icon(void)
{
    HRSRC h = FindResourceW(res.mod, MAKEINTRESOURCEW(IDI_APP), RT_GROUP_ICON);
    const BYTE *dir = h ? (const BYTE *)LockResource(LoadResource(res.mod, h)) : NULL;

    CHECK(dir != NULL);
    if (dir && SizeofResource(res.mod, h) >= 6 + 2 * 14) {
        /* GRPICONDIR: reserved, type 1, count; then 14-byte entries starting with width, height. */
        CHECK_U64(dir[2] | (dir[3] << 8), 1);
        CHECK_U64(dir[4] | (dir[5] << 8), 2);
        CHECK_U64(dir[6], 16);
        CHECK_U64(dir[6 + 14], 32);
    } else {
        CHECK(!"the icon group holds two images");
    }
}

static void res_menu(void)
{
    static const wchar_t *const tops[] = { L"&File", L"&Edit", L"&View", L"&Capture", L"&Help" };
    HMENU menu = LoadMenuW(res.mod, MAKEINTRESOURCEW(IDR_MAINMENU));
    wchar_t text[64];
    int i;

    CHECK(menu != NULL);
    if (!menu)
        return;
    CHECK_U64(GetMenuItemCount(menu), 5);
    for (i = 0; i < 5; i++) {
        GetMenuStringW(menu, (UINT)i, text, 64, MF_BYPOSITION);
        probe_check_wstr("top-level menu", text, tops[i]);
    }
    /* What works is enabled, what does not yet is greyed. */
    CHECK((GetMenuState(menu, IDM_FILE_EXIT, MF_BYCOMMAND) & (MF_GRAYED | MF_DISABLED)) == 0);
    CHECK((GetMenuState(menu, IDM_HELP_ABOUT, MF_BYCOMMAND) & (MF_GRAYED | MF_DISABLED)) == 0);
    CHECK((GetMenuState(menu, IDM_FILE_OPEN, MF_BYCOMMAND) & (MF_GRAYED | MF_DISABLED)) == 0);
    CHECK((GetMenuState(menu, IDM_FILE_RECENT, MF_BYCOMMAND) & MF_GRAYED) != 0);
    CHECK((GetMenuState(menu, IDM_VIEW_TIME_OF_DAY, MF_BYCOMMAND) & MF_CHECKED) != 0);
    CHECK((GetMenuState(menu, IDM_VIEW_STATUSBAR, MF_BYCOMMAND) & MF_CHECKED) != 0);
    GetMenuStringW(menu, IDM_EDIT_FIND_PREV, text, 64, MF_BYCOMMAND);
    probe_check_wstr("Find Previous", text, L"Find &Previous\tShift+F3");
    DestroyMenu(menu);
}

static void res_accelerators(void)
{
    static const struct { BYTE virt; WORD key; WORD cmd; } want[] = {
        { FVIRTKEY | FCONTROL, 'O', IDM_FILE_OPEN },       { FVIRTKEY | FCONTROL, 'F', IDM_EDIT_FIND },
        { FVIRTKEY, VK_F3, IDM_EDIT_FIND_NEXT },           { FVIRTKEY | FSHIFT, VK_F3, IDM_EDIT_FIND_PREV },
        { FVIRTKEY | FCONTROL, 'G', IDM_EDIT_GOTO },       { FVIRTKEY | FCONTROL, 'E', IDM_CAPTURE_START },
        { FVIRTKEY | FCONTROL, 'X', IDM_CAPTURE_CLEAR },   { FVIRTKEY | FCONTROL, 'C', IDM_EDIT_COPY },
        { FVIRTKEY | FCONTROL, 'A', IDM_EDIT_SELECT_ALL },
        { FVIRTKEY | FCONTROL, 'L', IDM_EDIT_FILTER },     { FVIRTKEY | FCONTROL, VK_OEM_PERIOD, IDM_EDIT_SOCKET_NEXT },
        { FVIRTKEY | FCONTROL, VK_OEM_COMMA, IDM_EDIT_SOCKET_PREV },
        { FVIRTKEY | FALT, VK_LEFT, IDM_EDIT_BACK },       { FVIRTKEY | FALT, VK_RIGHT, IDM_EDIT_FORWARD },
        { FVIRTKEY, VK_TAB, IDM_FOCUS_NEXT },              { FVIRTKEY | FSHIFT, VK_TAB, IDM_FOCUS_PREV },
        { FVIRTKEY, VK_F6, IDM_FOCUS_NEXT_PANE },          { FVIRTKEY | FSHIFT, VK_F6, IDM_FOCUS_PREV_PANE },
    };
    HACCEL accel = LoadAcceleratorsW(res.mod, MAKEINTRESOURCEW(IDR_ACCEL));
    ACCEL table[64];
    int n = accel ? CopyAcceleratorTableW(accel, table, 64) : 0;
    size_t i;
    int j;

    CHECK(accel != NULL);
    CHECK_U64(n, CHECK_COUNT(want));
    for (i = 0; i < CHECK_COUNT(want); i++) {
        BOOL found = FALSE;
        for (j = 0; j < n; j++)
            if ((table[j].fVirt & ~FNOINVERT) == want[i].virt && table[j].key == want[i].key
                && table[j].cmd == want[i].cmd)
                found = TRUE;
        if (!found) {
            fprintf(stderr, "guiprobe: no accelerator for command %u (key 0x%x)\n", want[i].cmd, want[i].key);
            check_failures++;
        }
    }
    if (accel)
        DestroyAcceleratorTable(accel);
}

/* ---- open: a trace in the window ------------------------------------------------------------ */

static const wchar_t *open_trace, *open_jsonl, *open_damaged, *open_not_trace, *open_sockets;
static const wchar_t *open_filter;
static uint64_t open_matches;

/* The text of list cell (row, col), read through LVM_GETITEMTEXTW. Empty string on failure. */
static void probe_list_cell(const probe_app *app, HWND list, int row, int col, wchar_t *out, int cap)
{
    const SIZE_T text_at = 256;
    probe_remote r;
    LVITEMW it;

    out[0] = L'\0';
    if (!probe_remote_alloc(&r, app, text_at + (SIZE_T)cap * sizeof(wchar_t)))
        return;
    ZeroMemory(&it, sizeof it);
    it.iSubItem = col;
    it.pszText = (wchar_t *)(r.base + text_at);
    it.cchTextMax = cap;
    if (probe_remote_write(&r, 0, &it, sizeof it)
        && SendMessageW(list, LVM_GETITEMTEXTW, (WPARAM)row, (LPARAM)r.base) >= 0
        && probe_remote_read(&r, text_at, out, (SIZE_T)cap * sizeof(wchar_t)))
        out[cap - 1] = L'\0';
    else
        out[0] = L'\0';
    probe_remote_free(&r);
}

/* Select row of a list as a click does (a Ctrl+click when adding: the others stay selected). */
static BOOL probe_select_rows(const probe_app *app, HWND list, int row, BOOL adding)
{
    probe_remote r;
    LVITEMW it;
    BOOL ok;

    if (!probe_remote_alloc(&r, app, sizeof it))
        return FALSE;
    ZeroMemory(&it, sizeof it);
    it.stateMask = LVIS_SELECTED | LVIS_FOCUSED;
    ok = adding || (probe_remote_write(&r, 0, &it, sizeof it)
                    && SendMessageW(list, LVM_SETITEMSTATE, (WPARAM)-1, (LPARAM)r.base));
    it.state = LVIS_SELECTED | LVIS_FOCUSED;
    ok = ok && probe_remote_write(&r, 0, &it, sizeof it)
         && SendMessageW(list, LVM_SETITEMSTATE, (WPARAM)row, (LPARAM)r.base);
    probe_remote_free(&r);
    return ok;
}

static BOOL probe_select_row(const probe_app *app, HWND list, int row)
{
    return probe_select_rows(app, list, row, FALSE);
}

/* The clipboard's Unicode text (the clipboard is shared by every program of the session). */
static void probe_clipboard_text(wchar_t *out, size_t cap)
{
    HANDLE h;
    const wchar_t *p;

    out[0] = L'\0';
    if (!OpenClipboard(NULL))
        return;
    h = GetClipboardData(CF_UNICODETEXT);
    p = h ? (const wchar_t *)GlobalLock(h) : NULL;
    if (p) {
        lstrcpynW(out, p, (int)cap);
        GlobalUnlock(h);
    }
    CloseClipboard();
}

/* Waits until status part 2 (load progress) starts with prefix; FALSE on timeout. */
static BOOL probe_wait_status(const probe_app *app, const wchar_t *prefix, DWORD timeout_ms)
{
    wchar_t text[256];
    DWORD waited;

    for (waited = 0; waited <= timeout_ms; waited += 100) {
        probe_status_text(app, app->bar, 3, text, 256);
        if (wcsncmp(text, prefix, wcslen(prefix)) == 0)
            return TRUE;
        Sleep(100);
    }
    fprintf(stderr, "guiprobe: the status bar says \"%ls\", not \"%ls...\", after %lu ms\n", text, prefix,
            (unsigned long)timeout_ms);
    return FALSE;
}

static BOOL probe_wait_count(HWND list, uint64_t want, DWORD timeout_ms)
{
    DWORD waited;
    LRESULT n = 0;

    for (waited = 0; waited <= timeout_ms; waited += 100) {
        n = SendMessageW(list, LVM_GETITEMCOUNT, 0, 0);
        if ((uint64_t)n == want)
            return TRUE;
        Sleep(100);
    }
    fprintf(stderr, "guiprobe: the list has %ld rows, expected %llu\n", (long)n, (unsigned long long)want);
    return FALSE;
}

/* The JSON Lines of `wskdump events`, one line per array entry. */
typedef struct probe_lines {
    char *text;
    char **line;
    size_t count;
} probe_lines;

static BOOL probe_read_lines(const wchar_t *path, probe_lines *out)
{
    FILE *f = _wfopen(path, L"rb");
    long size;
    size_t i, n = 0;

    ZeroMemory(out, sizeof *out);
    if (!f)
        return FALSE;
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fseek(f, 0, SEEK_SET);
    out->text = (char *)malloc((size_t)size + 1);
    if (!out->text || fread(out->text, 1, (size_t)size, f) != (size_t)size) {
        fclose(f);
        return FALSE;
    }
    fclose(f);
    out->text[size] = '\0';
    for (i = 0; i < (size_t)size; i++)
        n += out->text[i] == '\n';
    out->line = (char **)calloc(n + 1, sizeof *out->line);
    if (!out->line)
        return FALSE;
    out->line[0] = out->text;
    for (i = 0; i < (size_t)size && out->count < n; i++)
        if (out->text[i] == '\n') {
            out->text[i] = '\0';
            out->count++;
            out->line[out->count] = out->text + i + 1;
        }
    return TRUE;
}

static void probe_free_lines(probe_lines *l)
{
    free(l->line);
    free(l->text);
}

/* The value of "key": in a JSON line as text (strings without their quotes, null as ""). */
static void probe_json_value(const char *line, const char *key, char *out, size_t cap)
{
    char pat[64];
    const char *p;
    size_t n = 0;

    out[0] = '\0';
    snprintf(pat, sizeof pat, "\"%s\":", key);
    p = strstr(line, pat);
    if (!p)
        return;
    p += strlen(pat);
    if (strncmp(p, "null", 4) == 0)
        return;
    if (*p == '"') {
        p++;
        while (*p && *p != '"' && n + 1 < cap)
            out[n++] = *p++;
    } else {
        while (*p && *p != ',' && *p != '}' && n + 1 < cap)
            out[n++] = *p++;
    }
    out[n] = '\0';
}

static void probe_check_cell(const probe_app *app, int row, int col, const char *want)
{
    wchar_t got[512], w[512];
    char what[64];

    probe_list_cell(app, app->list, row, col, got, 512);
    MultiByteToWideChar(CP_UTF8, 0, want, -1, w, 512);
    w[511] = L'\0';
    snprintf(what, sizeof what, "row %d column %d", row, col);
    probe_check_wstr(what, got, w);
}

/* Every row's #, Time (UTC time of day), TID, CPU and Event against wskdump's line. */
static void open_check_cells(const probe_app *app, const probe_lines *l)
{
    char v[128], want[128];
    size_t i;
    int failures_before = check_failures;

    for (i = 0; i < l->count && check_failures - failures_before < 10; i++) {
        const char *line = l->line[i];
        snprintf(want, sizeof want, "%u", (unsigned)i);
        probe_check_cell(app, (int)i, EVL_COL_INDEX, want);
        probe_json_value(line, "time_utc", v, sizeof v);
        snprintf(want, sizeof want, "%.16s", strlen(v) > 11 ? v + 11 : "");
        probe_check_cell(app, (int)i, EVL_COL_TIME, want);
        probe_json_value(line, "tid", v, sizeof v);
        probe_check_cell(app, (int)i, EVL_COL_TID, v[0] ? v : "0");
        probe_json_value(line, "cpu", v, sizeof v);
        probe_check_cell(app, (int)i, EVL_COL_CPU, v);
        probe_json_value(line, "name", v, sizeof v);
        if (v[0])
            probe_check_cell(app, (int)i, EVL_COL_EVENT, v);
    }
}

/* Every row with a socket: Process (the socket's owner, not the event header's PID), Local and Remote as
 * `wskdump sockets` gives them for that endpoint and generation. Returns the rows that have a socket. */
static size_t open_check_socket_cells(const probe_app *app, size_t rows, const probe_lines *socks)
{
    wchar_t cell[128];
    char key[128], v[128], want[300], name[128], pid[32];
    size_t i, j, with_socket = 0;
    int failures_before = check_failures;

    for (i = 0; i < rows && check_failures - failures_before < 10; i++) {
        probe_list_cell(app, app->list, (int)i, EVL_COL_SOCKET, cell, 128);
        if (!cell[0])
            continue;
        with_socket++;
        WideCharToMultiByte(CP_UTF8, 0, cell, -1, key, sizeof key, NULL, NULL);
        key[sizeof key - 1] = '\0';
        for (j = 0; j < socks->count; j++) {
            probe_json_value(socks->line[j], "endpoint", v, sizeof v);
            probe_json_value(socks->line[j], "generation", want, sizeof want);
            snprintf(name, sizeof name, "%s:%s", v, want);
            if (strcmp(name, key) == 0)
                break;
        }
        if (j == socks->count) {
            fprintf(stderr, "guiprobe: row %u: socket %s is not in wskdump's sockets\n", (unsigned)i, key);
            check_failures++;
            continue;
        }
        probe_json_value(socks->line[j], "process", name, sizeof name);
        probe_json_value(socks->line[j], "pid", pid, sizeof pid);
        if (name[0])
            snprintf(want, sizeof want, "%s (%s)", name, pid);
        else
            snprintf(want, sizeof want, "%s", pid);
        probe_check_cell(app, (int)i, EVL_COL_PROCESS, want);
        probe_json_value(socks->line[j], "local", v, sizeof v);
        probe_check_cell(app, (int)i, EVL_COL_LOCAL, v);
        probe_json_value(socks->line[j], "remote", v, sizeof v);
        probe_check_cell(app, (int)i, EVL_COL_REMOTE, v);
    }
    return with_socket;
}

/* WM_GETTEXT of a child (marshalled between processes by the system). */
static void probe_child_text(HWND main, int id, wchar_t *out, int cap)
{
    out[0] = L'\0';
    SendMessageTimeoutW(GetDlgItem(main, id), WM_GETTEXT, (WPARAM)cap, (LPARAM)out, SMTO_ABORTIFHUNG, 5000,
                        NULL);
    out[cap - 1] = L'\0';
}

/* Type text into the filter bar and press a key in it. */
static void probe_filter_key(const probe_app *app, const wchar_t *text, WPARAM key)
{
    HWND combo = GetDlgItem(app->main, IDC_FILTER);
    HWND edit = FindWindowExW(combo, NULL, L"Edit", NULL);

    CHECK(edit != NULL);
    if (!edit)
        return;
    if (text)
        SendMessageW(edit, WM_SETTEXT, 0, (LPARAM)text);
    PostMessageW(edit, WM_KEYDOWN, key, 0);
}

static void open_command_line(void)
{
    probe_app app;
    probe_lines l;
    wchar_t args[1200], text[4096], socket[128], title[300], want[64];
    LRESULT total, history;
    int row = -1, i;

    if (!probe_read_lines(open_jsonl, &l) || l.count == 0) {
        fprintf(stderr, "guiprobe: cannot read %ls\n", open_jsonl);
        check_failures++;
        probe_free_lines(&l);
        return;
    }
    _snwprintf(args, 1200, L"\"%ls\"", open_trace);
    args[1199] = L'\0';
    if (!probe_start(&app, args)) {
        probe_free_lines(&l);
        return;
    }
    CHECK(probe_wait_status(&app, L"Loaded", 30000));
    total = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
    CHECK_U64(total, l.count);
    _snwprintf(want, 64, L"Events: %llu / %llu", (unsigned long long)l.count, (unsigned long long)l.count);
    probe_status_text(&app, app.bar, 0, text, 256);
    probe_check_wstr("status part 0", text, want);
    GetWindowTextW(app.main, title, 300);
    CHECK(wcsstr(title, L".etl - wskview") != NULL);
    open_check_cells(&app, &l);
    {
        /* Edit > Copy: the selected rows, tab-separated under a header line. */
        static wchar_t clip[65536];
        wchar_t want_line[64];
        char tid[32];
        int fields = 0;
        const wchar_t *p;
        CHECK(probe_select_rows(&app, app.list, 3, FALSE));
        CHECK(probe_select_rows(&app, app.list, 4, TRUE));
        CHECK(probe_select_rows(&app, app.list, 6, TRUE));
        SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_COPY, 0), 0);
        CHECK(probe_wait_status(&app, L"Copied 3 rows", 15000)); /* the text is made on a thread */
        probe_clipboard_text(clip, 65536);
        {
            static const wchar_t header[] =
                L"#\tTime\tProcess\tTID\tCPU\tEvent\tSocket\tLocal\tRemote\tStatus\tBytes\tDetails\r\n";
            CHECK(wcsncmp(clip, header, CHECK_COUNT(header) - 1) == 0);
        }
        for (p = clip; *p; p++)
            fields += *p == L'\t';
        CHECK_U64(fields, 4 * (EVL_COL_COUNT - 1));
        probe_json_value(l.line[6], "tid", tid, sizeof tid);
        p = wcsstr(clip, L"\r\n6\t");
        CHECK(p != NULL && wcsstr(clip, L"\r\n3\t") != NULL && wcsstr(clip, L"\r\n4\t") != NULL);
        if (p) {
            const wchar_t *q = wcschr(p + 4, L'\t');          /* after Time */
            q = q ? wcschr(q + 1, L'\t') : NULL;             /* after Process */
            _snwprintf(want_line, 64, L"%hs\t", tid);
            CHECK(q && wcsncmp(q + 1, want_line, wcslen(want_line)) == 0);
        }
        CHECK(wcsstr(clip, L"\r\n5\t") == NULL);
        probe_status_text(&app, app.bar, 3, text, 256);
        probe_check_wstr("status after Copy", text, L"Copied 3 rows");
    }
    {
        probe_lines socks;
        wchar_t want_sockets[64];
        if (probe_read_lines(open_sockets, &socks) && socks.count > 0) {
            CHECK(open_check_socket_cells(&app, l.count, &socks) > l.count / 2);
            CHECK_U64(SendMessageW(GetDlgItem(app.main, IDC_SOCKETS), LVM_GETITEMCOUNT, 0, 0), socks.count);
            _snwprintf(want_sockets, 64, L"Sockets: %u", (unsigned)socks.count);
            probe_status_text(&app, app.bar, 1, text, 256);
            probe_check_wstr("status part 1", text, want_sockets);
        } else {
            CHECK(!"wskdump's sockets of the demo trace");
        }
        probe_free_lines(&socks);
    }

    /* The first event with a socket: its socket is what the detail pane describes. */
    for (i = 0; i < (int)total && row < 0; i++) {
        probe_list_cell(&app, app.list, i, EVL_COL_SOCKET, socket, 128);
        if (socket[0])
            row = i;
    }
    CHECK(row >= 0);
    if (row >= 0) {
        wchar_t head[160];
        CHECK(probe_select_row(&app, app.list, row));
        probe_child_text(app.main, IDC_DETAIL_TEXT, text, 4096);
        _snwprintf(head, 160, L"Socket %ls ", socket);
        head[159] = L'\0';
        if (wcsncmp(text, head, wcslen(head)) != 0) {
            fprintf(stderr, "guiprobe: the detail pane starts \"%.60ls\", expected \"%ls\"\n", text, head);
            check_failures++;
        }
        CHECK(wcsstr(text, L"Lifecycle:") != NULL);
        history = SendMessageW(GetDlgItem(app.main, IDC_DETAIL_LIST), LVM_GETITEMCOUNT, 0, 0);
        CHECK(history > 0 && history < total);
        if (history > 3) {
            /* Choosing an entry of the history selects that event in the event list: the same time. */
            HWND hist = GetDlgItem(app.main, IDC_DETAIL_LIST);
            wchar_t when[64], shown[64];
            LRESULT sel;
            CHECK(probe_select_row(&app, hist, 3));
            probe_list_cell(&app, hist, 3, 0, when, 64);
            sel = SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
            CHECK(sel > row);
            probe_list_cell(&app, app.list, (int)sel, EVL_COL_TIME, shown, 64);
            probe_check_wstr("time of the event chosen in the history", shown, when);
            probe_list_cell(&app, app.list, (int)sel, EVL_COL_SOCKET, shown, 64);
            probe_check_wstr("socket of the event chosen in the history", shown, socket);
        }
        {
            /* Ctrl+. and Ctrl+, step through the events of the selected event's socket. */
            wchar_t other[128];
            LRESULT next;
            CHECK(probe_select_row(&app, app.list, row));
            SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_SOCKET_NEXT, 1), 0);
            next = SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
            CHECK(next > row);
            probe_list_cell(&app, app.list, (int)next, EVL_COL_SOCKET, other, 128);
            probe_check_wstr("socket of the next event of the socket", other, socket);
            for (i = row + 1; i < (int)next; i++) {
                probe_list_cell(&app, app.list, i, EVL_COL_SOCKET, other, 128);
                CHECK(wcscmp(other, socket) != 0);         /* none skipped */
            }
            SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_SOCKET_PREV, 1), 0);
            CHECK_U64(SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED), row);
        }
        /* "Filter to this socket": the list shows as many events as the socket's history has. */
        PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDC_DETAIL_FILTER, BN_CLICKED),
                     (LPARAM)GetDlgItem(app.main, IDC_DETAIL_FILTER));
        CHECK(probe_wait_count(app.list, (uint64_t)history, 15000));
        probe_filter_key(&app, NULL, VK_ESCAPE);
        CHECK(probe_wait_count(app.list, (uint64_t)total, 15000));
    }

    /* A filter shows what wskdump's --filter keeps; Esc gives every row back. */
    probe_filter_key(&app, open_filter, VK_RETURN);
    CHECK(probe_wait_count(app.list, open_matches, 15000));
    CHECK(SendMessageW(GetDlgItem(app.main, IDC_FILTER), CB_GETCOUNT, 0, 0) >= 2);   /* the history */
    CHECK_U64(SendMessageW(GetDlgItem(app.main, IDC_FILTER), CB_FINDSTRINGEXACT, (WPARAM)-1,
                           (LPARAM)open_filter), 0);                               /* latest first */
    probe_filter_key(&app, NULL, VK_ESCAPE);
    CHECK(probe_wait_count(app.list, (uint64_t)total, 15000));
    /* A filter with a mistake says where, and leaves the rows alone. */
    probe_filter_key(&app, L"status ==", VK_RETURN);
    Sleep(500);
    probe_child_text(app.main, IDC_FILTER_ERROR, text, 256);
    CHECK(wcsncmp(text, L"Column ", 7) == 0);
    {
        /* and the caret stands at that column */
        HWND edit = FindWindowExW(GetDlgItem(app.main, IDC_FILTER), NULL, L"Edit", NULL);
        DWORD sel = (DWORD)SendMessageW(edit, EM_GETSEL, 0, 0);
        CHECK_U64(LOWORD(sel) + 1, (uint64_t)_wtoi(text + 7));
        CHECK_U64(LOWORD(sel), HIWORD(sel));
    }
    CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), total);

    /* Choosing a socket in the socket table shows its events only. */
    {
        HWND table = GetDlgItem(app.main, IDC_SOCKETS);
        LRESULT n;
        CHECK(SendMessageW(table, LVM_GETITEMCOUNT, 0, 0) > 0);
        CHECK(probe_select_row(&app, table, 0));
        for (i = 0; i < 150; i++) {
            n = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
            if (n > 0 && n < total)
                break;
            Sleep(100);
        }
        n = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
        CHECK(n > 0 && n < total);
        probe_child_text(app.main, IDC_FILTER, text, 256);
        CHECK(wcsncmp(text, L"socket.endpoint == 0x", 21) == 0);
        probe_list_cell(&app, app.list, 0, EVL_COL_SOCKET, socket, 128);
        CHECK(socket[0] != L'\0');
        for (i = 1; i < (int)n; i++) {
            wchar_t other[128];
            probe_list_cell(&app, app.list, i, EVL_COL_SOCKET, other, 128);
            probe_check_wstr("socket of a row filtered to one socket", other, socket);
        }
        /* "Show all" */
        PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDC_FILTER_CLEAR, BN_CLICKED),
                     (LPARAM)GetDlgItem(app.main, IDC_FILTER_CLEAR));
        CHECK(probe_wait_count(app.list, (uint64_t)total, 15000));
    }
    if (row >= 0)
        probe_select_row(&app, app.list, row);
    probe_screenshot_handshake();
    probe_close(&app);
    probe_free_lines(&l);
}

/* Clicks header item col of a list (button down and up at its centre, as the mouse does). */
static BOOL probe_click_header(const probe_app *app, HWND list, int col)
{
    HWND header = (HWND)SendMessageW(list, LVM_GETHEADER, 0, 0);
    probe_remote r;
    RECT rc;
    BOOL ok;
    LPARAM at;

    if (!header || !probe_remote_alloc(&r, app, sizeof rc))
        return FALSE;
    ok = SendMessageW(header, HDM_GETITEMRECT, (WPARAM)col, (LPARAM)r.base)
         && probe_remote_read(&r, 0, &rc, sizeof rc);
    probe_remote_free(&r);
    if (!ok)
        return FALSE;
    at = MAKELPARAM((rc.left + rc.right) / 2, (rc.top + rc.bottom) / 2);
    SendMessageW(header, WM_MOUSEMOVE, 0, at);
    SendMessageW(header, WM_LBUTTONDOWN, MK_LBUTTON, at);
    SendMessageW(header, WM_LBUTTONUP, 0, at);
    return TRUE;
}

/* The first n rows' column col, as numbers, are in order (descending or not). */
static BOOL probe_rows_ordered(const probe_app *app, int col, int n, int descending)
{
    wchar_t text[64];
    unsigned long long prev = 0, v;
    int i;

    for (i = 0; i < n; i++) {
        probe_list_cell(app, app->list, i, col, text, 64);
        v = wcstoull(text, NULL, 10);
        if (i && (descending ? v > prev : v < prev))
            return FALSE;
        prev = v;
    }
    return TRUE;
}

/* The first n rows' process names ("name (pid)" without the PID) in column col of a list are in order. */
static BOOL probe_list_ordered_names(const probe_app *app, HWND list, int col, int n, int descending)
{
    wchar_t prev[128], text[128], *paren;
    int i, c;

    for (i = 0; i < n; i++) {
        probe_list_cell(app, list, i, col, text, 128);
        paren = wcsstr(text, L" (");
        if (paren)
            *paren = L'\0';
        c = i ? lstrcmpiW(text, prev) : 0;
        if (descending ? c > 0 : c < 0)
            return FALSE;
        lstrcpynW(prev, text, 128);
    }
    return TRUE;
}

/* Right-clicks cell (row, col) of the list, and chooses the context menu's item'th entry with the keys. */
static BOOL probe_cell_menu(const probe_app *app, int row, int col, int item)
{
    probe_remote r;
    RECT rc;
    LPARAM at;
    HWND menu = NULL;
    BOOL ok;
    int i;

    if (!probe_remote_alloc(&r, app, sizeof rc))
        return FALSE;
    rc.top = col;
    rc.left = LVIR_BOUNDS;
    ok = probe_remote_write(&r, 0, &rc, sizeof rc)
         && SendMessageW(app->list, LVM_GETSUBITEMRECT, (WPARAM)row, (LPARAM)r.base)
         && probe_remote_read(&r, 0, &rc, sizeof rc);
    probe_remote_free(&r);
    if (!ok)
        return FALSE;
    at = MAKELPARAM(rc.left + 4, (rc.top + rc.bottom) / 2);
    PostMessageW(app->list, WM_RBUTTONDOWN, MK_RBUTTON, at);
    PostMessageW(app->list, WM_RBUTTONUP, 0, at);
    for (i = 0; i < 100 && !menu; i++) {
        Sleep(100);
        menu = probe_wait_top_window(app, L"#32768", 0);
    }
    if (!menu)
        return FALSE;
    for (i = 0; i < item; i++)
        PostMessageW(menu, WM_KEYDOWN, VK_DOWN, 0);
    PostMessageW(menu, WM_KEYDOWN, VK_RETURN, 0);
    for (i = 0; i < 50 && IsWindowVisible(menu); i++)
        Sleep(100);
    return TRUE;
}

/* Right click on a cell: Include and Exclude its value, as Process Monitor does. */
static void open_include_exclude(void)
{
    probe_app app;
    probe_lines l;
    wchar_t args[1200], text[256];
    char v[32];
    uint64_t same = 0;
    size_t i;

    if (!probe_read_lines(open_jsonl, &l) || l.count < 10) {
        CHECK(!"the events of the demo trace");
        probe_free_lines(&l);
        return;
    }
    for (i = 0; i < l.count; i++) {
        probe_json_value(l.line[i], "tid", v, sizeof v);
        same += strcmp(v, "1776") == 0;
    }
    CHECK(same > 1 && same < l.count);
    _snwprintf(args, 1200, L"\"%ls\"", open_trace);
    args[1199] = L'\0';
    if (!probe_start(&app, args)) {
        probe_free_lines(&l);
        return;
    }
    CHECK(probe_wait_status(&app, L"Loaded", 30000));
    {
        /* Typing digits in the list goes to the event with that number (one on screen: the right clicks
         * below need row 3 there too). */
        LRESULT sel = -1;
        SetForegroundWindow(app.main);
        PostMessageW(app.list, WM_CHAR, L'1', 1);   /* lParam: repeat count 1, as typing gives */
        PostMessageW(app.list, WM_CHAR, L'2', 1);
        for (i = 0; i < 50 && sel != 12; i++, Sleep(100))
            sel = SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
        CHECK_U64(sel, 12);
    }
    probe_list_cell(&app, app.list, 3, EVL_COL_TID, text, 256);
    probe_check_wstr("TID of row 3", text, L"1776");
    CHECK(probe_cell_menu(&app, 3, EVL_COL_TID, 1));            /* Include tid == 1776 */
    CHECK(probe_wait_count(app.list, same, 15000));
    probe_child_text(app.main, IDC_FILTER, text, 256);
    probe_check_wstr("filter after Include", text, L"tid == 1776");
    probe_filter_key(&app, NULL, VK_ESCAPE);
    CHECK(probe_wait_count(app.list, l.count, 15000));
    CHECK(probe_cell_menu(&app, 3, EVL_COL_TID, 2));            /* Exclude */
    CHECK(probe_wait_count(app.list, l.count - same, 15000));
    probe_child_text(app.main, IDC_FILTER, text, 256);
    probe_check_wstr("filter after Exclude", text, L"not tid == 1776");
    probe_close(&app);
    probe_free_lines(&l);
}

/* Column header clicks sort (again: the other way); View > Time Format and Time Zone change the Time
 * column as wskdump's FILETIMEs say. */
static void open_sort_and_time(void)
{
    probe_app app;
    probe_lines l;
    wchar_t args[1200], text[128], want[128];
    char v[64];
    unsigned long long t0, tk, tprev;
    int i, k, ok;

    if (!probe_read_lines(open_jsonl, &l) || l.count < 100) {
        CHECK(!"the events of the demo trace");
        probe_free_lines(&l);
        return;
    }
    _snwprintf(args, 1200, L"\"%ls\"", open_trace);
    args[1199] = L'\0';
    if (!probe_start(&app, args)) {
        probe_free_lines(&l);
        return;
    }
    CHECK(probe_wait_status(&app, L"Loaded", 30000));
    CHECK(!probe_rows_ordered(&app, EVL_COL_TID, 100, 0));     /* store order is not TID order */
    CHECK(probe_click_header(&app, app.list, EVL_COL_TID));
    for (i = 0, ok = 0; i < 100 && !ok; i++, Sleep(100))
        ok = probe_rows_ordered(&app, EVL_COL_TID, 100, 0);
    CHECK(ok);
    CHECK(probe_click_header(&app, app.list, EVL_COL_TID));
    for (i = 0, ok = 0; i < 100 && !ok; i++, Sleep(100))
        ok = probe_rows_ordered(&app, EVL_COL_TID, 100, 1);
    CHECK(ok);
    CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), l.count);
    CHECK(probe_click_header(&app, app.list, EVL_COL_INDEX));
    for (i = 0, ok = 0; i < 100 && !ok; i++, Sleep(100))
        ok = probe_rows_ordered(&app, EVL_COL_INDEX, 100, 0);
    CHECK(ok);

    /* The socket table's order comes from a job thread (socktable.c): each click's is waited for, up to 5 s.
     * Column 0 is Process. */
    {
        HWND table = GetDlgItem(app.main, IDC_SOCKETS);
        int n = (int)SendMessageW(table, LVM_GETITEMCOUNT, 0, 0), desc, w;
        n = n < 60 ? n : 60;
        CHECK(n > 10);
        CHECK(!probe_list_ordered_names(&app, table, 0, n, 0));   /* failures first is not name order */
        for (desc = 0; desc < 2; desc++) {
            CHECK(probe_click_header(&app, table, 0));
            for (w = 0; w < 100 && !probe_list_ordered_names(&app, table, 0, n, desc); w++)
                Sleep(50);
            CHECK(probe_list_ordered_names(&app, table, 0, n, desc));
        }
    }

    {
        /* Edit > Go to Event: the dialog takes a number (#) and the list selects that event. */
        HWND dlg;
        LRESULT sel;
        CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_GOTO, 0), 0));
        dlg = probe_wait_top_window(&app, L"#32770", 10000);
        CHECK(dlg != NULL);
        if (dlg) {
            SendMessageW(GetDlgItem(dlg, IDC_GOTO_NUMBER), WM_SETTEXT, 0, (LPARAM)L"1234");
            PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), 0);
            for (i = 0; i < 50 && IsWindow(dlg); i++)
                Sleep(100);
            CHECK(!IsWindow(dlg));
            sel = SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
            CHECK(sel >= 0);
            probe_list_cell(&app, app.list, (int)sel, EVL_COL_INDEX, text, 128);
            probe_check_wstr("# of the event gone to", text, L"1234");
        }
    }

    {
        /* Back and Forward (Alt+Left, Alt+Right) walk the selections made. */
        static const int picks[] = { 10, 20, 30 };
        for (i = 0; i < 3; i++)
            CHECK(probe_select_row(&app, app.list, picks[i]));
        SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_BACK, 1), 0);
        CHECK_U64(SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED), 20);
        SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_BACK, 1), 0);
        CHECK_U64(SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED), 10);
        SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_FORWARD, 1), 0);
        CHECK_U64(SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED), 20);
        CHECK(probe_select_row(&app, app.list, 40));    /* a new selection drops what was ahead */
        SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_FORWARD, 1), 0);
        CHECK_U64(SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED), 40);
        SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_BACK, 1), 0);
        CHECK_U64(SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED), 20);
    }

    {
        /* Find (Ctrl+F, then F3 and Shift+F3): the next event after the selection (row 20) whose text has
         * "socket CLOSE" (any case): the event named Socket close, as wskdump names it. */
        int close_at[2] = { -1, -1 }, n = 0;
        HWND dlg;
        LRESULT sel = -1;
        for (k = 21; k < (int)l.count && n < 2; k++) {
            probe_json_value(l.line[k], "name", v, sizeof v);
            if (strcmp(v, "Socket close") == 0)
                close_at[n++] = k;
        }
        CHECK_U64(n, 2);
        CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_FIND, 1), 0));
        dlg = probe_wait_top_window(&app, L"#32770", 10000);
        CHECK(dlg != NULL);
        if (dlg && n == 2) {
            SendMessageW(GetDlgItem(dlg, 0x480), WM_SETTEXT, 0, (LPARAM)L"socket CLOSE");
            PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
            for (i = 0; i < 100 && sel != close_at[0]; i++, Sleep(100))
                sel = SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
            CHECK_U64(sel, close_at[0]);
            PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_FIND_NEXT, 1), 0);
            for (i = 0; i < 100 && sel != close_at[1]; i++, Sleep(100))
                sel = SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
            CHECK_U64(sel, close_at[1]);
            PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_FIND_PREV, 1), 0);
            for (i = 0; i < 100 && sel != close_at[0]; i++, Sleep(100))
                sel = SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
            CHECK_U64(sel, close_at[0]);
            probe_status_text(&app, app.bar, 3, text, 128);
            probe_check_wstr("status after a find", text, L"Found");
            PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDCANCEL, BN_CLICKED), 0);
            for (i = 0; i < 50 && IsWindow(dlg); i++)
                Sleep(100);
            CHECK(!IsWindow(dlg));
        }
        /* Text that is nowhere: the selection stays, the status bar says so. */
        if (dlg) {
            dlg = NULL;
            CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_FIND, 1), 0));
            dlg = probe_wait_top_window(&app, L"#32770", 10000);
            if (dlg) {
                SendMessageW(GetDlgItem(dlg, 0x480), WM_SETTEXT, 0, (LPARAM)L"no such text anywhere");
                PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
                for (i = 0; i < 100; i++, Sleep(100)) {
                    probe_status_text(&app, app.bar, 3, text, 128);
                    if (wcsncmp(text, L"Not found", 9) == 0)
                        break;
                }
                probe_check_wstr("status after a vain find", text, L"Not found: no such text anywhere");
                CHECK_U64(SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED), close_at[0]);
                PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDCANCEL, BN_CLICKED), 0);
                for (i = 0; i < 50 && IsWindow(dlg); i++)
                    Sleep(100);
            }
        }
    }

    probe_json_value(l.line[0], "time", v, sizeof v);
    t0 = strtoull(v, NULL, 10);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_TIME_SINCE_FIRST, 0), 0);
    for (k = 0; k < 100; k += 7) {
        probe_json_value(l.line[k], "time", v, sizeof v);
        tk = strtoull(v, NULL, 10);
        _snwprintf(want, 128, L"%llu.%07llu", (tk - t0) / 10000000ull, (tk - t0) % 10000000ull);
        probe_list_cell(&app, app.list, k, EVL_COL_TIME, text, 128);
        probe_check_wstr("time since the first event", text, want);
    }
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_TIME_DELTA, 0), 0);
    for (k = 1; k < 100; k += 7) {
        probe_json_value(l.line[k - 1], "time", v, sizeof v);
        tprev = strtoull(v, NULL, 10);
        probe_json_value(l.line[k], "time", v, sizeof v);
        tk = strtoull(v, NULL, 10);
        _snwprintf(want, 128, L"%llu.%07llu", (tk - tprev) / 10000000ull, (tk - tprev) % 10000000ull);
        probe_list_cell(&app, app.list, k, EVL_COL_TIME, text, 128);
        probe_check_wstr("time since the previous event", text, want);
    }
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_TIME_OF_DAY, 0), 0);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_ZONE_TRACE, 0), 0);
    probe_status_text(&app, app.bar, 5, text, 128);
    CHECK(wcsncmp(text, L"Trace", 5) == 0);
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_ZONE_UTC, 0), 0);
    probe_status_text(&app, app.bar, 5, text, 128);
    probe_check_wstr("zone", text, L"UTC");
    probe_close(&app);
    probe_free_lines(&l);
}

/* The whole content of a file (NUL-terminated), or NULL. */
static char *probe_slurp(const wchar_t *path, long *size)
{
    FILE *f = _wfopen(path, L"rb");
    char *text = NULL;

    *size = 0;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *size = ftell(f);
    fseek(f, 0, SEEK_SET);
    text = (char *)malloc((size_t)*size + 1);
    if (text && fread(text, 1, (size_t)*size, f) == (size_t)*size)
        text[*size] = '\0';
    else {
        free(text);
        text = NULL;
    }
    fclose(f);
    return text;
}

/* File > Export Sockets as JSON Lines writes what `wskdump sockets --format jsonl` writes, byte for byte. */
/* Chooses command cmd, answers the save dialog it opens with path (deleted first: no overwrite question) and
 * waits for the status bar to start with status. */
static void probe_save_as(const probe_app *app, UINT cmd, const wchar_t *path, const wchar_t *status)
{
    HWND dlg, name;
    int i;

    DeleteFileW(path);
    CHECK(PostMessageW(app->main, WM_COMMAND, MAKEWPARAM(cmd, 0), 0));
    dlg = probe_wait_top_window(app, L"#32770", 15000);
    CHECK(dlg != NULL);
    if (!dlg)
        return;
    name = GetDlgItem(dlg, 0x47c);
    if (!name)
        name = GetDlgItem(dlg, 0x480);
    CHECK(name != NULL);
    if (!name) {
        PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDCANCEL, BN_CLICKED), 0);
        return;
    }
    SendMessageW(name, WM_SETTEXT, 0, (LPARAM)path);
    PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
    CHECK(probe_wait_status(app, status, 30000));
    for (i = 0; i < 50 && IsWindow(dlg); i++)
        Sleep(100);
}

/* The two files hold the same bytes. */
static void probe_check_same_file(const wchar_t *got_path, const wchar_t *want_path)
{
    long got_size = 0, want_size = 0;
    char *got = probe_slurp(got_path, &got_size), *want = probe_slurp(want_path, &want_size);

    CHECK(got != NULL && want != NULL);
    if (got && want) {
        CHECK_U64(got_size, want_size);
        if (got_size != want_size || memcmp(got, want, (size_t)want_size) != 0) {
            fprintf(stderr, "guiprobe: %ls differs from %ls\n", got_path, want_path);
            check_failures++;
        }
    }
    free(got);
    free(want);
}

/* A file named name in the folder of sibling (a temporary file beside an expected one). */
static BOOL probe_sibling(const wchar_t *sibling, const wchar_t *name, wchar_t *out, size_t cap)
{
    wchar_t *slash;

    lstrcpynW(out, sibling, (int)cap);
    slash = wcsrchr(out, L'\\');
    CHECK(slash != NULL && wcslen(out) + wcslen(name) < cap);
    if (!slash || wcslen(out) + wcslen(name) >= cap)
        return FALSE;
    lstrcpyW(slash + 1, name);
    return TRUE;
}

static void open_export(const probe_app *app)
{
    wchar_t path[1200];

    if (!probe_sibling(open_sockets, L"exported-sockets.jsonl", path, 1200))
        return;
    probe_save_as(app, IDM_FILE_EXPORT, path, L"Exported ");
    probe_check_same_file(path, open_sockets);
}

/* File > Open: the common dialog comes up, takes a path in its file name box and OK opens the trace. */
static void open_file_dialog(void)
{
    probe_app app;
    probe_lines l;
    HWND dlg, name;
    int i;

    if (!probe_read_lines(open_jsonl, &l)) {
        CHECK(!"the events of the demo trace");
        return;
    }
    if (!probe_start(&app, NULL)) {
        probe_free_lines(&l);
        return;
    }
    /* Drag and drop is on (and, on Windows, let through UIPI for an elevated window). */
    CHECK((GetWindowLongPtrW(app.main, GWL_EXSTYLE) & WS_EX_ACCEPTFILES) != 0);
    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_FILE_OPEN, 0), 0));
    dlg = probe_wait_top_window(&app, L"#32770", 15000);
    CHECK(dlg != NULL);
    if (dlg) {
        /* The file name box: a combo box (cmb13, 0x47c) in the Explorer-style dialog, else an edit (edt1). */
        name = GetDlgItem(dlg, 0x47c);
        if (!name)
            name = GetDlgItem(dlg, 0x480);
        CHECK(name != NULL);
        if (name) {
            SendMessageW(name, WM_SETTEXT, 0, (LPARAM)open_trace);
            PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
            for (i = 0; i < 100 && IsWindow(dlg); i++)
                Sleep(100);
            CHECK(!IsWindow(dlg));
            CHECK(probe_wait_status(&app, L"Loaded", 30000));
            CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), l.count);
            open_export(&app);
        } else {
            PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDCANCEL, BN_CLICKED), 0);
        }
    }
    probe_close(&app);
    probe_free_lines(&l);
}

static BOOL probe_responds(HWND hwnd)
{
    DWORD_PTR result = 0;
    return SendMessageTimeoutW(hwnd, WM_NULL, 0, 0, SMTO_ABORTIFHUNG, 5000, &result) != 0;
}

/* File > Recent Files: its first entry (the demo trace, which the cases before loaded) opens it again in a
 * new run. */
static void open_recent_file(void)
{
    probe_app app;
    probe_lines l;
    wchar_t title[300];

    if (!probe_read_lines(open_jsonl, &l)) {
        CHECK(!"the events of the demo trace");
        return;
    }
    if (!probe_start(&app, NULL)) {
        probe_free_lines(&l);
        return;
    }
    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_FILE_RECENT_FIRST, 0), 0));
    CHECK(probe_wait_status(&app, L"Loaded", 30000));
    CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), l.count);
    GetWindowTextW(app.main, title, 300);
    probe_check_wstr("title after File > Recent Files > 1", title, L"demo.etl - wskview");
    probe_close(&app);
    probe_free_lines(&l);
}

/* A damaged trace shows what could be read, with a notice naming the problems. */
static void open_damaged_file(void)
{
    probe_app app;
    wchar_t args[1200], text[512];

    _snwprintf(args, 1200, L"\"%ls\"", open_damaged);
    args[1199] = L'\0';
    if (!probe_start(&app, args))
        return;
    CHECK(probe_wait_status(&app, L"Loaded with ", 30000));
    probe_status_text(&app, app.bar, 3, text, 512);
    CHECK(wcsstr(text, L"problem") != NULL);
    CHECK(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) > 0);
    CHECK(probe_responds(app.main));
    probe_close(&app);
}

/* A file that is no trace: a message box says so; after OK the window works (and opens a dropped trace). */
static void open_not_a_trace_then_drop(void)
{
    probe_app app;
    probe_text_search t;
    probe_lines l;
    wchar_t args[1200];
    HWND dlg;

    _snwprintf(args, 1200, L"\"%ls\"", open_not_trace);
    args[1199] = L'\0';
    if (!probe_start(&app, args))
        return;
    dlg = probe_wait_top_window(&app, L"#32770", 15000);
    CHECK(dlg != NULL);
    if (dlg) {
        t.needle = L"not-a-trace.etl";
        t.found = FALSE;
        EnumChildWindows(dlg, probe_text_cb, (LPARAM)&t);
        CHECK(t.found);
        PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), 0);
        Sleep(500);
    }
    CHECK(probe_responds(app.main));
    CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), 0);

    /* A drop as Explorer makes it: a DROPFILES block and the UTF-16 path, in the receiver's memory. */
    if (probe_read_lines(open_jsonl, &l)) {
        probe_remote r;
        DROPFILES df;
        size_t len = wcslen(open_trace);
        ZeroMemory(&df, sizeof df);
        df.pFiles = sizeof df;
        df.fWide = TRUE;
        CHECK(probe_remote_alloc(&r, &app, sizeof df + (len + 2) * sizeof(wchar_t)));
        if (r.base) {
            wchar_t zero[2] = { 0, 0 };
            CHECK(probe_remote_write(&r, 0, &df, sizeof df));
            CHECK(probe_remote_write(&r, sizeof df, open_trace, len * sizeof(wchar_t)));
            CHECK(probe_remote_write(&r, sizeof df + len * sizeof(wchar_t), zero, sizeof zero));
            CHECK(PostMessageW(app.main, WM_DROPFILES, (WPARAM)r.base, 0));
            CHECK(probe_wait_status(&app, L"Loaded", 30000));
            CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), l.count);
            /* the memory is the receiver's to free (DragFinish); it is left to the process */
        }
    }
    probe_free_lines(&l);
    probe_close(&app);
}

/* ---- replay: a live capture fed from a trace file (wskview.exe --replay) ------------------------------ */

static const wchar_t *replay_trace, *replay_jsonl, *replay_rate, *replay_saved, *replay_filter, *replay_loss,
    *replay_sockets;
static uint64_t replay_matches;

/* The capture's figures (status part 4) once they contain needle; FALSE on timeout (text: the last seen). */
static BOOL probe_wait_figures(const probe_app *app, const wchar_t *needle, DWORD timeout_ms, wchar_t *text, int cap)
{
    DWORD waited;

    for (waited = 0; waited <= timeout_ms; waited += 100) {
        probe_status_text(app, app->bar, 4, text, cap);
        if (wcsstr(text, needle))
            return TRUE;
        Sleep(100);
    }
    fprintf(stderr, "guiprobe: the status bar says \"%ls\", without \"%ls\", after %lu ms\n", text, needle,
            (unsigned long)timeout_ms);
    return FALSE;
}

/* Presses a dialog's button (id) as a click does; TRUE once the dialog is gone. */
static BOOL probe_dismiss(HWND dlg, int id)
{
    int i;

    PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(id, BN_CLICKED), (LPARAM)GetDlgItem(dlg, id));
    for (i = 0; i < 100 && IsWindow(dlg); i++)
        Sleep(100);
    return !IsWindow(dlg);
}

/* Types path into the file dialog the window just opened and presses its OK. */
static BOOL probe_file_dialog(const probe_app *app, const wchar_t *path)
{
    HWND dlg = probe_wait_top_window(app, L"#32770", 15000), name;

    if (!dlg)
        return FALSE;
    name = GetDlgItem(dlg, 0x47c);
    if (!name)
        name = GetDlgItem(dlg, 0x480);
    if (!name) {
        PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDCANCEL, BN_CLICKED), 0);
        return FALSE;
    }
    SendMessageW(name, WM_SETTEXT, 0, (LPARAM)path);
    return probe_dismiss(dlg, IDOK);
}

/* The whole live path under Wine: every event of the trace arrives (none dropped by the ring), the cells
 * say what wskdump says of the file; Stop makes the socket table; Save As writes replay_saved (the script
 * compares its events with the original's); Clear empties the list. */
static void replay_capture(void)
{
    probe_app app;
    probe_lines l;
    wchar_t args[1400], text[600], want[64];
    LRESULT sockets = 0;
    int i;

    if (!probe_read_lines(replay_jsonl, &l) || l.count == 0) {
        fprintf(stderr, "guiprobe: cannot read %ls\n", replay_jsonl);
        check_failures++;
        probe_free_lines(&l);
        return;
    }
    _snwprintf(args, 1400, L"--replay \"%ls\" --rate %ls", replay_trace, replay_rate);
    args[1399] = L'\0';
    if (!probe_start(&app, args)) {
        probe_free_lines(&l);
        return;
    }
    CHECK(probe_wait_count(app.list, l.count, 120000));
    CHECK(probe_wait_figures(&app, L"ring dropped: 0", 5000, text, 600));
    CHECK(wcsncmp(text, L"Capturing | ", 12) == 0);
    CHECK(wcsstr(text, L"events/s | ETW lost: 0 events, 0 real-time buffers, 0 log buffers") != NULL);
    _snwprintf(want, 64, L"Events: %llu / %llu", (unsigned long long)l.count, (unsigned long long)l.count);
    probe_status_text(&app, app.bar, 0, text, 600);
    probe_check_wstr("status part 0 while capturing", text, want);
    probe_status_text(&app, app.bar, 3, text, 600);
    probe_check_wstr("status part 3 while capturing", text, L"Capturing");
    GetWindowTextW(app.main, text, 600);
    CHECK(wcsstr(text, L"Replay of ") != NULL);
    open_check_cells(&app, &l);
    /* The socket table fills while capturing (once a second, when the consumer is not writing the model). */
    for (i = 0; i < 50 && (sockets = SendMessageW(GetDlgItem(app.main, IDC_SOCKETS), LVM_GETITEMCOUNT, 0, 0)) == 0; i++)
        Sleep(100);
    CHECK(sockets > 0);
    {
        /* Find while capturing: a process name, which only the socket model knows (read under its lock). */
        wchar_t proc[128], *space;
        HWND dlg;
        LRESULT sel = 0;
        int k;
        for (k = 10, proc[0] = L'\0'; k < 400 && !wcschr(proc, L'.'); k++)
            probe_list_cell(&app, app.list, k, EVL_COL_PROCESS, proc, 128);
        if ((space = wcschr(proc, L' ')) != NULL)
            *space = L'\0'; /* "firefox.exe (33164)" -> "firefox.exe" */
        CHECK(wcschr(proc, L'.') != NULL && probe_select_row(&app, app.list, 0));
        CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_FIND, 1), 0));
        dlg = probe_wait_top_window(&app, L"#32770", 10000);
        CHECK(dlg != NULL);
        if (dlg) {
            SendMessageW(GetDlgItem(dlg, 0x480), WM_SETTEXT, 0, (LPARAM)proc);
            PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
            for (i = 0; i < 100 && sel <= 0; i++, Sleep(100))
                sel = SendMessageW(app.list, LVM_GETNEXTITEM, (WPARAM)-1, LVNI_SELECTED);
            CHECK(sel > 0 && sel < k);
            probe_list_cell(&app, app.list, (int)sel, EVL_COL_PROCESS, text, 600);
            CHECK(wcsstr(text, proc) != NULL);
            probe_status_text(&app, app.bar, 3, text, 600);
            probe_check_wstr("status after a find while capturing", text, L"Found");
            CHECK(probe_dismiss(dlg, IDCANCEL));
        }
    }
    /* A filter applies while capturing (the worker reads the socket model under the capture's lock): what
     * wskdump's --filter keeps; a sort waits for the stop. */
    probe_filter_key(&app, replay_filter, VK_RETURN);
    CHECK(probe_wait_count(app.list, replay_matches, 15000));
    probe_child_text(app.main, IDC_FILTER_ERROR, text, 256);
    probe_check_wstr("the filter bar while capturing", text, L"");
    CHECK(probe_click_header(&app, app.list, EVL_COL_TIME));
    Sleep(300);
    probe_child_text(app.main, IDC_FILTER_ERROR, text, 256);
    probe_check_wstr("a sort while capturing", text, L"Sorting applies when the capture stops.");
    probe_status_text(&app, app.bar, 3, text, 600);
    probe_check_wstr("the status bar after a sort while capturing", text,
                     L"Sorting applies when the capture stops (Capture > Stop Capture)");
    CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), replay_matches);

    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_CAPTURE_START, 0), 0));
    CHECK(probe_wait_status(&app, L"Stopped", 15000));
    CHECK(probe_wait_count(app.list, replay_matches, 15000));   /* filtered and sorted by the stop's job */
    CHECK(probe_click_header(&app, app.list, EVL_COL_INDEX));   /* back to store order (ascending #) */
    probe_filter_key(&app, NULL, VK_ESCAPE);
    CHECK(probe_wait_count(app.list, l.count, 15000));
    probe_status_text(&app, app.bar, 4, text, 600);
    CHECK(wcsncmp(text, L"Stopped | ", 10) == 0 && wcsstr(text, L"ring dropped: 0") != NULL);
    CHECK_U64(SendMessageW(GetDlgItem(app.main, IDC_SOCKETS), LVM_GETITEMCOUNT, 0, 0), sockets);
    open_check_cells(&app, &l);
    /* The detail pane of a stopped capture: an event's socket and its history (the index made at Stop). */
    want[0] = L'\0';
    for (i = 0; i < 200 && !want[0]; i++)
        probe_list_cell(&app, app.list, i, EVL_COL_SOCKET, want, 64);
    CHECK(want[0] && probe_select_row(&app, app.list, i - 1));
    probe_child_text(app.main, IDC_DETAIL_TEXT, text, 600);
    CHECK(wcsncmp(text, L"Socket ", 7) == 0 && wcsstr(text, want) != NULL && wcsstr(text, L"Lifecycle:") != NULL);
    CHECK(SendMessageW(GetDlgItem(app.main, IDC_DETAIL_LIST), LVM_GETITEMCOUNT, 0, 0) > 0);

    DeleteFileW(replay_saved);
    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_CAPTURE_SAVE, 0), 0));
    CHECK(probe_file_dialog(&app, replay_saved));
    CHECK(probe_wait_status(&app, L"Saved", 30000));
    probe_status_text(&app, app.bar, 4, text, 600);
    /* Every row but the file's own header record (the saved file has a header of its own). */
    _snwprintf(want, 64, L"Saved %llu events (left out: 1 row ", (unsigned long long)l.count - 1);
    if (!wcsstr(text, want)) {
        fprintf(stderr, "guiprobe: after Save the status bar says \"%ls\", not \"%ls...\"\n", text, want);
        check_failures++;
    }

    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_CAPTURE_CLEAR, 0), 0));
    CHECK(probe_wait_status(&app, L"Cleared", 10000));
    CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), 0);
    probe_close(&app);
    probe_free_lines(&l);
}

/* The "events" of the socket named cell ("0x...:generation", the list's Socket column) in `wskdump sockets
 * --format jsonl`; 0 when it is not there. */
static uint64_t probe_socket_events(const probe_lines *socks, const wchar_t *cell)
{
    char want[64], name[64];
    size_t i;

    if (!WideCharToMultiByte(CP_UTF8, 0, cell, -1, want, (int)sizeof want, NULL, NULL))
        return 0;
    for (i = 0; i < socks->count; i++) {
        const char *e = strstr(socks->line[i], "\"endpoint\":\""),
                   *g = strstr(socks->line[i], "\"generation\":"), *n = strstr(socks->line[i], "\"events\":");
        unsigned long long endpoint;
        unsigned gen;
        if (!e || !g || !n || sscanf(e + 12, "%llx", &endpoint) != 1 || sscanf(g + 13, "%u", &gen) != 1)
            continue;
        _snprintf(name, sizeof name, "0x%llx:%u", endpoint, gen);
        name[sizeof name - 1] = '\0';
        if (strcmp(name, want) == 0)
            return (uint64_t)_strtoui64(n + 9, NULL, 10);
    }
    return 0;
}

/* File > Export Events as JSON Lines into path; the rows it wrote (0 on failure). */
static uint64_t replay_export(const probe_app *app, const wchar_t *path)
{
    wchar_t text[256];

    probe_save_as(app, IDM_FILE_EXPORT_EVENTS, path, L"Exported ");
    probe_status_text(app, app->bar, 3, text, 256);
    return wcsncmp(text, L"Exported ", 9) == 0 ? (uint64_t)_wtoi64(text + 9) : 0;
}

/* The exported file is the first `rows` lines of `wskdump events` of the replayed file, line for line, but
 * the first: the file's trace header record, which the replay delivers as ProcessTrace does (a full header,
 * not the file's system one), as the capture's Save writes a header of its own (gui-replay.sh). */
static void replay_check_export(const wchar_t *path, const probe_lines *want, uint64_t rows)
{
    static const char header[] =
        "\"provider\":\"68fdd900-4a3e-11d1-84f4-0000f80464e3\",\"hook_id\":\"0x0000\"";
    probe_lines got;
    size_t i, bad = 0;

    CHECK(probe_read_lines(path, &got));
    CHECK_U64(got.count, rows);
    CHECK(rows <= want->count && want->count > 0 && strstr(want->line[0], header) != NULL);
    for (i = 1; i < got.count && i < want->count && bad < 3; i++)
        if (strcmp(got.line[i], want->line[i]) != 0) {
            fprintf(stderr, "guiprobe: exported line %u is\n  %s\nnot\n  %s\n", (unsigned)i + 1, got.line[i],
                    want->line[i]);
            bad++;
            check_failures++;
        }
    probe_free_lines(&got);
}

/* Pixels of the timeline pane on the screen in a socket bar's colours (timeline.c's phase colours). */
static int probe_timeline_bar_pixels(const probe_app *app)
{
    static const COLORREF phases[] = {RGB(0xB8, 0xC4, 0xD0), RGB(0xF2, 0xC1, 0x4E), RGB(0x7F, 0xB3, 0xE6),
                                      RGB(0x1F, 0x6F, 0xD1), RGB(0x9A, 0x8F, 0xB8), RGB(0x5C, 0xB8, 0x5C)};
    HWND pane = GetDlgItem(app->main, IDC_TIMELINE);
    HDC screen, mem;
    HBITMAP bmp, old;
    RECT rc;
    POINT at = {0, 0};
    int x, y, k, n = 0;

    if (!pane || !IsWindowVisible(pane) || !GetClientRect(pane, &rc) || rc.right < 8 || rc.bottom < 8)
        return 0;
    ClientToScreen(pane, &at);
    screen = GetDC(NULL);
    mem = CreateCompatibleDC(screen);
    bmp = CreateCompatibleBitmap(screen, rc.right, rc.bottom);
    old = (HBITMAP)SelectObject(mem, bmp);
    BitBlt(mem, 0, 0, rc.right, rc.bottom, screen, at.x, at.y, SRCCOPY);
    for (y = 0; y < rc.bottom; y += 2)
        for (x = 0; x < rc.right; x += 2) {
            COLORREF c = GetPixel(mem, x, y);
            for (k = 0; k < (int)(sizeof phases / sizeof phases[0]); k++)
                n += c == phases[k];
        }
    SelectObject(mem, old);
    DeleteObject(bmp);
    DeleteDC(mem);
    ReleaseDC(NULL, screen);
    return n;
}

/* The views while a slow capture runs (500 events a second: the demo takes 8 s). The detail pane: an event
 * selected early names its socket, and its history grows, while the capture runs, to the socket's events in
 * `wskdump sockets` of the file. Export Events during the capture writes the rows shown so far, after Stop
 * all of them, as `wskdump events` of the file writes them. */
static void replay_live_views(void)
{
    probe_app app;
    probe_lines l, socks;
    wchar_t args[1400], text[600], cell[32], best[32], path[1200];
    HWND history;
    uint64_t final = 0, first = 0, seen = 0, rows;
    LRESULT n;
    int i, row = -1, k, bars;
    BOOL timeline_was_shown = TRUE;

    if (!replay_sockets) {
        printf("guiprobe: no sockets file given (skipped)\n");
        return;
    }
    if (!probe_read_lines(replay_jsonl, &l) || !probe_read_lines(replay_sockets, &socks) || !socks.count) {
        fprintf(stderr, "guiprobe: cannot read %ls or %ls\n", replay_jsonl, replay_sockets);
        check_failures++;
        return;
    }
    _snwprintf(args, 1400, L"--replay \"%ls\" --rate 500", replay_trace);
    args[1399] = L'\0';
    if (!probe_start(&app, args))
        goto cleanup;
    history = GetDlgItem(app.main, IDC_DETAIL_LIST);
    for (i = 0; i < 100 && SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) < 300; i++)
        Sleep(50);
    n = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
    CHECK(n >= 300 && (uint64_t)n < l.count);
    /* View > Timeline while capturing: bars from an index of the rows so far (rebuilt every two seconds). Put
     * back as it was at the end: the settings are the Wine prefix's, shared with the other GUI tests. */
    timeline_was_shown = IsWindowVisible(GetDlgItem(app.main, IDC_TIMELINE));
    if (!timeline_was_shown)
        PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_TIMELINE, 0), 0);
    for (i = 0, bars = 0; i < 60 && bars < 50; i++, Sleep(100))
        bars = probe_timeline_bar_pixels(&app);
    probe_status_text(&app, app.bar, 4, text, 600);
    CHECK(wcsncmp(text, L"Capturing | ", 12) == 0 &&
          (uint64_t)SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) < l.count);
    printf("guiprobe: %d timeline bar pixels (every other one) while capturing\n", bars);
    CHECK(bars >= 50);
    /* The demo's sockets with many events start after row 1,600 and last to its end: the one with the most
     * events among rows 1,600-1,799 has most of them still to come, so its history must grow while we watch.
     */
    for (i = 0; i < 200 && SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) < 1800; i++)
        Sleep(50);
    CHECK(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) >= 1800);
    best[0] = L'\0';
    for (k = 1600; k < 1800; k++) {
        uint64_t events;
        probe_list_cell(&app, app.list, k, EVL_COL_SOCKET, cell, 32);
        if (cell[0] && (events = probe_socket_events(&socks, cell)) > final) {
            final = events;
            row = k;
            lstrcpyW(best, cell);
        }
    }
    CHECK(row >= 0 && final > 0);
    if (row < 0)
        goto close;
    CHECK(probe_select_row(&app, app.list, row));
    for (i = 0; i < 50; i++, Sleep(100)) {
        probe_child_text(app.main, IDC_DETAIL_TEXT, text, 600);
        if (wcsncmp(text, L"Socket ", 7) == 0)
            break;
    }
    CHECK(wcsncmp(text, L"Socket ", 7) == 0 && wcsstr(text, best) != NULL &&
          wcsstr(text, L"Lifecycle:") != NULL);
    first = (uint64_t)SendMessageW(history, LVM_GETITEMCOUNT, 0, 0);
    CHECK(first > 0 && first < final);
    /* Export Events while capturing: the rows so far. */
    if (probe_sibling(replay_saved, L"live-export.jsonl", path, 1200)) {
        rows = replay_export(&app, path);
        CHECK(rows > 0 && rows < l.count);
        replay_check_export(path, &l, rows);
    }
    for (i = 0; i < 300 && seen != final; i++, Sleep(100))
        seen = (uint64_t)SendMessageW(history, LVM_GETITEMCOUNT, 0, 0);
    CHECK_U64(seen, final);
    probe_status_text(&app, app.bar, 4, text, 600);
    CHECK(wcsncmp(text, L"Capturing | ", 12) == 0); /* it grew while capturing, not at Stop */
    printf("guiprobe: socket %ls: %llu events in its history when selected, %llu (wskdump's) later\n", best,
           (unsigned long long)first, (unsigned long long)seen);

    CHECK(probe_wait_count(app.list, l.count, 30000)); /* the whole file replayed (Stop would end it) */
    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_CAPTURE_START, 0), 0));
    CHECK(probe_wait_status(&app, L"Stopped", 15000));
    /* the whole capture's index once stopped */
    for (i = 0, bars = 0; i < 60 && bars < 50; i++, Sleep(100))
        bars = probe_timeline_bar_pixels(&app);
    CHECK(bars >= 50);
    if (probe_sibling(replay_saved, L"stopped-export.jsonl", path, 1200)) {
        rows = replay_export(&app, path);
        CHECK_U64(rows, l.count);
        replay_check_export(path, &l, l.count);
    }
close:
    if (!timeline_was_shown)
        SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_TIMELINE, 0), 0);
    probe_close(&app);
cleanup:
    probe_free_lines(&l);
    probe_free_lines(&socks);
}

/* The list's last row is on screen (give or take the rows that came since the window last followed them). */
static BOOL probe_list_at_end(HWND list, LRESULT slack)
{
    LRESULT n = SendMessageW(list, LVM_GETITEMCOUNT, 0, 0);
    LRESULT top = SendMessageW(list, LVM_GETTOPINDEX, 0, 0);
    LRESULT page = SendMessageW(list, LVM_GETCOUNTPERPAGE, 0, 0);

    if (top + page + slack < n)
        fprintf(stderr, "guiprobe: rows %ld-%ld of %ld on screen\n", (long)top, (long)(top + page), (long)n);
    return top + page + slack >= n;
}

/* While capturing (500 events a second: the demo takes 8 s), the list follows new rows while it shows its
 * end; scrolled to the top it stays there as rows come; back at the end it follows again. */
static void replay_follow(void)
{
    probe_app app;
    wchar_t args[1400];
    LRESULT n;
    int i;

    _snwprintf(args, 1400, L"--replay \"%ls\" --rate 500", replay_trace);
    args[1399] = L'\0';
    if (!probe_start(&app, args))
        return;
    for (i = 0; i < 100 && SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) < 300; i++)
        Sleep(50);
    CHECK(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) >= 300);
    Sleep(200);
    CHECK(probe_list_at_end(app.list, 60));
    SendMessageW(app.list, LVM_ENSUREVISIBLE, 0, FALSE);
    n = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
    for (i = 0; i < 100 && SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) < n + 200; i++)
        Sleep(50);
    CHECK(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) >= n + 200); /* rows came ... */
    CHECK_U64(SendMessageW(app.list, LVM_GETTOPINDEX, 0, 0), 0);       /* ... and the view stayed */
    SendMessageW(app.list, LVM_ENSUREVISIBLE, (WPARAM)(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) - 1), FALSE);
    n = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
    for (i = 0; i < 100 && SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) < n + 200; i++)
        Sleep(50);
    CHECK(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) >= n + 200);
    Sleep(100); /* the window's next 30 Hz tick follows them */
    CHECK(probe_list_at_end(app.list, 60));
    probe_close(&app);
}

/* A filter set early in a capture (500 events a second: the demo's last match comes after 3 s) keeps selecting from each new batch of rows: once the
 * whole trace is in, the list holds exactly what wskdump's --filter keeps (no row twice, none missed), while the
 * capture still runs. */
static void replay_live_filter(void)
{
    probe_app app;
    wchar_t args[1400], text[600];
    int i;

    _snwprintf(args, 1400, L"--replay \"%ls\" --rate 500", replay_trace);
    args[1399] = L'\0';
    if (!probe_start(&app, args))
        return;
    for (i = 0; i < 100 && SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) < 100; i++)
        Sleep(20);
    probe_filter_key(&app, replay_filter, VK_RETURN);
    Sleep(200);
    CHECK(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0) < (LRESULT)replay_matches); /* more to come */
    CHECK(probe_wait_count(app.list, replay_matches, 30000));
    Sleep(1000);
    CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), replay_matches);
    probe_status_text(&app, app.bar, 4, text, 600);
    CHECK(wcsncmp(text, L"Capturing | ", 12) == 0);
    probe_filter_key(&app, NULL, VK_ESCAPE);
    Sleep(300);
    probe_close(&app);
}

/* A trace replayed flat out through a 1 MiB ring (--ring-mib 1) overflows it: after Stop the status bar's ring
 * count is the Lost part's, and the loss rows (filter id == 65520, live.h's LIVE_ID_RING_LOST) are named
 * "Events lost (N)" with N in their Bytes column, the N adding up to that count. */
static void replay_loss_rows(void)
{
    probe_app app;
    wchar_t args[1400], text[600], want[64], bytes[32];
    LRESULT total = -1, n;
    long long drops, sum = 0;
    int i, stable = 0;

    _snwprintf(args, 1400, L"--replay \"%ls\" --ring-mib 1", replay_loss);
    args[1399] = L'\0';
    if (!probe_start(&app, args))
        return;
    for (i = 0; i < 1200 && stable < 20; i++) { /* until the rows have not changed for 2 s (2 minutes at most) */
        Sleep(100);
        n = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
        stable = n > 0 && n == total ? stable + 1 : 0;
        total = n;
    }
    CHECK(stable == 20);
    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_CAPTURE_START, 0), 0));
    CHECK(probe_wait_status(&app, L"Stopped", 30000));
    probe_status_text(&app, app.bar, 4, text, 600);
    drops = wcsstr(text, L"ring dropped: ") ? _wtoi64(wcsstr(text, L"ring dropped: ") + 14) : -1;
    CHECK(drops >= 0);
    _snwprintf(want, 64, L"Lost: %lld", drops);
    probe_status_text(&app, app.bar, 2, text, 600);
    probe_check_wstr("status part 2 after Stop", text, want);
    if (drops <= 0) {
        printf("guiprobe: the ring dropped nothing at full speed here: the loss rows were not checked\n");
        probe_close(&app);
        return;
    }
    total = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
    probe_filter_key(&app, L"id == 65520", VK_RETURN);
    for (i = 0; i < 300 && (n = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0)) == total; i++)
        Sleep(100);
    printf("guiprobe: %lld events dropped by the ring, %ld loss rows among %ld\n", drops, (long)n, (long)total);
    CHECK(n > 0 && n < total && n <= 20000);
    for (i = 0; i < n && i < 20000 && check_failures < 10; i++) {
        probe_list_cell(&app, app.list, i, EVL_COL_BYTES, bytes, 32);
        _snwprintf(want, 64, L"Events lost (%ls)", bytes);
        probe_list_cell(&app, app.list, i, EVL_COL_EVENT, text, 600);
        probe_check_wstr("a loss row's Event", text, want);
        sum += _wtoi64(bytes);
    }
    CHECK_U64(sum, drops);
    probe_filter_key(&app, NULL, VK_ESCAPE);
    probe_close(&app);
}

/* Capture > Start meets access denied (wskview.exe --fake-etw denied scripts ETW's answer): the dialog says
 * who may capture and offers "Restart as administrator"; closing it leaves the window working. */
static void replay_access_denied(void)
{
    probe_app app;
    HWND dlg;
    wchar_t text[700];

    if (!probe_start(&app, L"--fake-etw denied"))
        return;
    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_CAPTURE_START, 0), 0));
    dlg = probe_wait_top_window(&app, L"#32770", 15000);
    CHECK(dlg != NULL);
    if (dlg) {
        GetWindowTextW(GetDlgItem(dlg, IDC_CAP_DENIED_TEXT), text, 700);
        CHECK(wcsstr(text, L"Performance Log Users") != NULL);
        CHECK(wcsstr(text, L"StartTraceW: access denied") != NULL);
        GetWindowTextW(GetDlgItem(dlg, IDC_CAP_RESTART), text, 700);
        probe_check_wstr("the dialog's button", text, L"&Restart as administrator");
        CHECK(probe_dismiss(dlg, IDCANCEL));
    }
    CHECK(probe_wait_status(&app, L"Capture failed", 5000));
    CHECK(probe_responds(app.main));
    CHECK_U64(SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), 0);
    probe_close(&app);
}

/* Capture > Capture Options: the defaults (level 5, default buffers, flush 1 s, every keyword with the keyword
 * list greyed); a change (level 4, large buffers, 3 s, a process, two keywords by name) is there after a restart
 * (the settings' [capture] section); then the defaults go back, for the other tests of this Wine prefix. */
static void replay_options(void)
{
    probe_app app;
    HWND dlg, keywords;
    wchar_t text[128];
    int round, i;

    for (round = 0; round < 3; round++) {
        BOOL changed = round == 1;
        if (!probe_start(&app, NULL))
            return;
        CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_CAPTURE_OPTIONS, 0), 0));
        dlg = probe_wait_top_window(&app, L"#32770", 15000);
        CHECK(dlg != NULL);
        if (!dlg) {
            probe_close(&app);
            return;
        }
        keywords = GetDlgItem(dlg, IDC_CAP_KEYWORDS);
        SendDlgItemMessageW(dlg, IDC_CAP_FLUSH, WM_GETTEXT, 128, (LPARAM)text); /* marshalled, unlike GetWindowText */
        probe_check_wstr("flush seconds", text, changed ? L"3" : L"1");
        SendDlgItemMessageW(dlg, IDC_CAP_PROCESS, WM_GETTEXT, 128, (LPARAM)text); /* marshalled, unlike GetWindowText */
        probe_check_wstr("process", text, changed ? L"curl" : L"");
        CHECK_U64(SendDlgItemMessageW(dlg, IDC_CAP_LEVEL, CB_GETCURSEL, 0, 0), changed ? 3 : 4);
        CHECK_U64(SendDlgItemMessageW(dlg, IDC_CAP_PRESET, CB_GETCURSEL, 0, 0), changed ? 2 : 0);
        CHECK_U64(SendDlgItemMessageW(dlg, IDC_CAP_ALL_KEYWORDS, BM_GETCHECK, 0, 0),
                  changed ? BST_UNCHECKED : BST_CHECKED);
        CHECK(IsWindowEnabled(keywords) == changed);
        CHECK_U64(SendMessageW(keywords, LB_GETCOUNT, 0, 0), 9);
        CHECK_U64(SendMessageW(keywords, LB_GETSELCOUNT, 0, 0), changed ? 2 : 9);
        if (changed)
            CHECK(SendMessageW(keywords, LB_GETSEL, 2, 0) > 0 && SendMessageW(keywords, LB_GETSEL, 3, 0) > 0);
        if (round < 2) {
            SendDlgItemMessageW(dlg, IDC_CAP_FLUSH, WM_SETTEXT, 0, (LPARAM)(changed ? L"1" : L"3"));
            SendDlgItemMessageW(dlg, IDC_CAP_PROCESS, WM_SETTEXT, 0, (LPARAM)(changed ? L"" : L"curl"));
            SendDlgItemMessageW(dlg, IDC_CAP_LEVEL, CB_SETCURSEL, changed ? 4 : 3, 0);
            SendDlgItemMessageW(dlg, IDC_CAP_PRESET, CB_SETCURSEL, changed ? 0 : 2, 0);
            SendDlgItemMessageW(dlg, IDC_CAP_ALL_KEYWORDS, BM_SETCHECK, changed ? BST_CHECKED : BST_UNCHECKED, 0);
            /* Winsock initiated (0x4) and transport initiated (0x8) only; all of them when going back */
            SendMessageW(keywords, LB_SETSEL, changed, (LPARAM)-1);
            for (i = 2; i <= 3 && !changed; i++)
                SendMessageW(keywords, LB_SETSEL, TRUE, (LPARAM)i);
        }
        CHECK(probe_dismiss(dlg, round < 2 ? IDOK : IDCANCEL));
        probe_close(&app);
    }
}

/* All 64 sessions in use (--fake-etw no-resources): a message that says so and how to free one. */
static void replay_no_resources(void)
{
    probe_app app;
    probe_text_search search = { L"all 64 sessions are in use", FALSE };
    HWND dlg;

    if (!probe_start(&app, L"--fake-etw no-resources"))
        return;
    CHECK(PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_CAPTURE_START, 0), 0));
    dlg = probe_wait_top_window(&app, L"#32770", 15000);
    CHECK(dlg != NULL);
    if (dlg) {
        EnumChildWindows(dlg, probe_text_cb, (LPARAM)&search);
        CHECK(search.found);
        CHECK(probe_dismiss(dlg, IDOK));
    }
    CHECK(probe_responds(app.main));
    probe_close(&app);
}

/* ---- bench: loading a large trace ------------------------------------------------------------ */

static double probe_ms(LARGE_INTEGER from, LARGE_INTEGER to, LARGE_INTEGER freq)
{
    return (double)(to.QuadPart - from.QuadPart) * 1000.0 / (double)freq.QuadPart;
}

static void probe_measure(const char *label)
{
    char line[64];

    printf("MEASURE %s\n", label);
    fflush(stdout);
    if (!fgets(line, sizeof line, stdin))
        return;
}

/* Drops path on the window (see open_not_a_trace_then_drop). */
static BOOL probe_drop(const probe_app *app, const wchar_t *path)
{
    probe_remote r;
    DROPFILES df;
    size_t len = wcslen(path);
    wchar_t zero[2] = { 0, 0 };

    ZeroMemory(&df, sizeof df);
    df.pFiles = sizeof df;
    df.fWide = TRUE;
    if (!probe_remote_alloc(&r, app, sizeof df + (len + 2) * sizeof(wchar_t)))
        return FALSE;
    return probe_remote_write(&r, 0, &df, sizeof df)
           && probe_remote_write(&r, sizeof df, path, len * sizeof(wchar_t))
           && probe_remote_write(&r, sizeof df + len * sizeof(wchar_t), zero, sizeof zero)
           && PostMessageW(app->main, WM_DROPFILES, (WPARAM)r.base, 0);
}

/* ---- guiprobe detail: the history of big sockets ---------------------------------------------------- */

/* For each ENDPOINT:GENERATION:EVENTS given (from `wskdump sockets`): the list is filtered to that socket,
 * its first row selected, and the detail pane must describe that socket with EVENTS entries in its history
 * (the socket model's count: an accept is also the listener's event). Prints the time from the selection
 * to the filled pane (the selection's round trip: the pane is filled while the list notifies). */
static int probe_detail(const wchar_t *trace, int nspecs, wchar_t **specs)
{
    probe_app app;
    wchar_t args[1200], filter[200], text[4096], head[160];
    LARGE_INTEGER freq, before, after;
    LRESULT total, shown, history;
    HWND hist;
    int i;

    QueryPerformanceFrequency(&freq);
    _snwprintf(args, 1200, L"\"%ls\"", trace);
    args[1199] = L'\0';
    if (!probe_start(&app, args))
        return 1;
    hist = GetDlgItem(app.main, IDC_DETAIL_LIST);
    CHECK(hist != NULL);
    CHECK(probe_wait_status(&app, L"Loaded", 300000));
    total = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
    CHECK(total >= 1000000);
    for (i = 0; hist && i < nspecs; i++) {
        unsigned long long endpoint = 0, events = 0;
        unsigned generation = 0;
        DWORD waited = 0;
        if (swscanf(specs[i], L"%llx:%u:%llu", &endpoint, &generation, &events) != 3) {
            fprintf(stderr, "guiprobe: %ls is not ENDPOINT:GENERATION:EVENTS\n", specs[i]);
            check_failures++;
            continue;
        }
        _snwprintf(filter, 200, L"socket.endpoint == 0x%llx and socket.generation == %u", endpoint, generation);
        filter[199] = L'\0';
        probe_filter_key(&app, filter, VK_RETURN);
        do {
            Sleep(50);
            waited += 50;
            shown = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
        } while ((shown == total || shown == 0) && waited < 60000);
        CHECK(probe_wait_status(&app, L"Loaded", 60000));
        shown = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
        CHECK(shown > 0 && (unsigned long long)shown <= events);
        QueryPerformanceCounter(&before);
        CHECK(probe_select_row(&app, app.list, 0));
        QueryPerformanceCounter(&after);
        probe_child_text(app.main, IDC_DETAIL_TEXT, text, 4096);
        _snwprintf(head, 160, L"Socket 0x%llx:%u ", endpoint, generation);
        head[159] = L'\0';
        if (wcsncmp(text, head, wcslen(head)) != 0) {
            fprintf(stderr, "guiprobe: the detail pane starts \"%.60ls\", expected \"%ls\"\n", text, head);
            check_failures++;
        }
        history = SendMessageW(hist, LVM_GETITEMCOUNT, 0, 0);
        CHECK_U64((uint64_t)history, events);
        printf("socket 0x%llx:%u: %llu events (%ld rows of its own in the list), history %ld entries, "
               "pane filled %.1f ms after the selection\n",
               endpoint, generation, events, (long)shown, (long)history, probe_ms(before, after, freq));
        fflush(stdout);
    }
    probe_close(&app);
    return check_failures ? 1 : 0;
}

static int probe_bench(const wchar_t *trace)
{
    probe_app app;
    LARGE_INTEGER freq, start, now, before, after;
    double first = -1, stall = 0;
    unsigned long stalls50 = 0, polls = 0;
    wchar_t text[256];
    DWORD_PTR result;
    LRESULT rows = 0, n;

    QueryPerformanceFrequency(&freq);
    if (!probe_start(&app, NULL))
        return 1;
    Sleep(1000);
    probe_measure("before");
    QueryPerformanceCounter(&start);
    if (!probe_drop(&app, trace)) {
        fprintf(stderr, "guiprobe: cannot drop %ls\n", trace);
        return 1;
    }
    for (;;) {
        double ms, ms2;
        /* Each message below waits for the window's thread, so a stall shows in whichever was sent
         * while it lasted: the longest the loop did not answer is the longest of them (the status read
         * also allocates in the other process, so it is timed apart from the two plain round trips). */
        QueryPerformanceCounter(&before);
        if (!SendMessageTimeoutW(app.main, WM_NULL, 0, 0, SMTO_NORMAL, 60000, &result)) {
            fprintf(stderr, "guiprobe: the window did not answer for 60 s\n");
            return 1;
        }
        rows = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
        QueryPerformanceCounter(&now);
        if (first < 0 && rows > 0)
            first = probe_ms(start, now, freq);
        probe_status_text(&app, app.bar, 3, text, 256);
        QueryPerformanceCounter(&after);
        ms = probe_ms(before, now, freq);
        ms2 = probe_ms(now, after, freq);
        if (ms2 > ms)
            ms = ms2;
        if (ms > stall)
            stall = ms;
        stalls50 += ms > 50.0;
        polls++;
        if (wcsncmp(text, L"Loaded", 6) == 0 || wcsncmp(text, L"Could not", 9) == 0) {
            rows = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
            break;
        }
        if (probe_ms(start, now, freq) > 600000) {
            fprintf(stderr, "guiprobe: not loaded after 10 minutes\n");
            return 1;
        }
        Sleep(2);
    }
    printf("rows %ld\nfirst rows in the list after %.1f ms\nloaded after %.1f ms\n"
           "longest message-loop stall while loading %.1f ms (%lu of %lu round trips over 50 ms)\n"
           "status \"%ls\"\n",
           (long)rows, first, probe_ms(start, now, freq), stall, stalls50, polls, text);
    fflush(stdout);
    probe_measure("after");

    /* A filter over every row, on the worker thread: until the list shows its rows, and the loop's stalls. */
    stall = 0;
    QueryPerformanceCounter(&start);
    probe_filter_key(&app, L"status != success", VK_RETURN);
    for (;;) {
        double ms;
        QueryPerformanceCounter(&before);
        SendMessageTimeoutW(app.main, WM_NULL, 0, 0, SMTO_NORMAL, 60000, &result);
        n = SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0);
        QueryPerformanceCounter(&after);
        ms = probe_ms(before, after, freq);
        if (ms > stall)
            stall = ms;
        if (n != rows)
            break;
        if (probe_ms(start, after, freq) > 120000) {
            fprintf(stderr, "guiprobe: the filter did not apply in 2 minutes\n");
            break;
        }
        Sleep(2);
    }
    QueryPerformanceCounter(&now);
    printf("filter \"status != success\" over every row: %ld rows after %.1f ms, longest stall %.1f ms\n",
           (long)SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0), probe_ms(start, now, freq), stall);
    probe_close(&app);
    return check_failures ? 1 : 0;
}

/* Figures, not checks: an empty window (MEASURE idle), then wskview.exe --replay TRACE --rate RATE until its
 * rows stop growing, answering WM_NULL round trips all along (the longest the message loop did not answer),
 * then MEASURE after (tests/gui/bench-replay.sh reads the process's memory at both). */
static int probe_bench_replay(const wchar_t *trace, const wchar_t *rate)
{
    probe_app app;
    LARGE_INTEGER freq, start, before, after, changed;
    double stall = 0;
    unsigned long stalls50 = 0, polls = 0;
    wchar_t args[1400], text[600];
    DWORD_PTR result;
    long long rows = 0, last = -1, drops = 0;

    QueryPerformanceFrequency(&freq);
    if (!probe_start(&app, NULL))
        return 1;
    Sleep(1000);
    probe_measure("idle");
    probe_close(&app);
    _snwprintf(args, 1400, L"--replay \"%ls\" --rate %ls", trace, rate);
    args[1399] = L'\0';
    QueryPerformanceCounter(&start);
    if (!probe_start(&app, args))
        return 1;
    changed = start;
    for (;;) {
        double ms;
        QueryPerformanceCounter(&before);
        if (!SendMessageTimeoutW(app.main, WM_NULL, 0, 0, SMTO_NORMAL, 60000, &result)) {
            fprintf(stderr, "guiprobe: the window did not answer for 60 s\n");
            return 1;
        }
        QueryPerformanceCounter(&after);
        ms = probe_ms(before, after, freq);
        if (ms > stall)
            stall = ms;
        stalls50 += ms > 50.0;
        polls++;
        probe_status_text(&app, app.bar, 0, text, 600); /* "Events: shown / total" */
        rows = wcsstr(text, L" / ") ? _wtoi64(wcsstr(text, L" / ") + 3) : 0;
        probe_status_text(&app, app.bar, 4, text, 600);
        {
            const wchar_t *at = wcsstr(text, L"ring dropped: ");
            drops = at ? _wtoi64(at + 14) : -1;
        }
        if (rows != last) {
            last = rows;
            changed = after;
        } else if (rows > 0 && probe_ms(changed, after, freq) > 3000) {
            break; /* the replay ended and the reorder window let every row go */
        }
        if (probe_ms(start, after, freq) > 600000) {
            fprintf(stderr, "guiprobe: the replay did not end in 10 minutes\n");
            break;
        }
        Sleep(2);
    }
    printf("rate %ls: %lld rows, %lld dropped by the ring, rows stable after %.1f s\n"
           "longest message-loop stall while capturing %.1f ms (%lu of %lu round trips over 50 ms)\n",
           rate, rows, drops, probe_ms(start, changed, freq) / 1000.0, stall, stalls50, polls);
    printf("rows %lld\n", rows);
    fflush(stdout);
    probe_measure("after");
    probe_close(&app);
    return 0;
}

/* ---- viewer: columns, highlighting, export and copy of the shown events ------------------------ */

static const wchar_t *view_trace, *view_filter, *view_csv, *view_jsonl, *view_events, *view_big;
static uint64_t view_matches;

/* The settings file wskview.exe uses in this prefix (%APPDATA%\wskview\wskview.ini), kept before the test
 * changes it and put back afterwards: the GUI tests share one Wine prefix. */
static wchar_t view_ini[MAX_PATH];
static char *view_ini_bytes;
static long view_ini_size;

static void view_settings_keep(void)
{
    wchar_t dir[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"APPDATA", dir, MAX_PATH);

    CHECK(n > 0 && n < MAX_PATH);
    _snwprintf(view_ini, MAX_PATH, L"%ls\\wskview\\wskview.ini", dir);
    view_ini[MAX_PATH - 1] = L'\0';
    view_ini_bytes = probe_slurp(view_ini, &view_ini_size); /* NULL: there was none */
}

static void view_settings_restore(void)
{
    FILE *f;

    if (!view_ini_bytes) {
        DeleteFileW(view_ini);
        return;
    }
    f = _wfopen(view_ini, L"wb");
    CHECK(f != NULL);
    if (f) {
        CHECK(fwrite(view_ini_bytes, 1, (size_t)view_ini_size, f) == (size_t)view_ini_size);
        fclose(f);
    }
    free(view_ini_bytes);
    view_ini_bytes = NULL;
}

static BOOL view_start(probe_app *app)
{
    wchar_t args[1200];

    _snwprintf(args, 1200, L"\"%ls\"", view_trace);
    args[1199] = L'\0';
    if (!probe_start(app, args))
        return FALSE;
    if (!probe_wait_status(app, L"Loaded", 30000)) {
        CHECK(!"the demo trace loads");
        return FALSE;
    }
    return TRUE;
}

static int view_header_count(const probe_app *app)
{
    HWND header = (HWND)SendMessageW(app->list, LVM_GETHEADER, 0, 0);
    return header ? (int)SendMessageW(header, HDM_GETITEMCOUNT, 0, 0) : -1;
}

/* The list's columns in display order (LVM_GETCOLUMNORDERARRAY); returns how many. */
static int view_order(const probe_app *app, int *order, int cap)
{
    int n = view_header_count(app);
    probe_remote r;
    BOOL ok;

    if (n <= 0 || n > cap || !probe_remote_alloc(&r, app, (SIZE_T)n * sizeof(int)))
        return 0;
    ok = SendMessageW(app->list, LVM_GETCOLUMNORDERARRAY, (WPARAM)n, (LPARAM)r.base)
         && probe_remote_read(&r, 0, order, (SIZE_T)n * sizeof(int));
    probe_remote_free(&r);
    return ok ? n : 0;
}

/* Column titles in display order, joined by '|' (one string to compare with what is expected). */
static void view_titles(const probe_app *app, wchar_t *out, size_t cap)
{
    int order[32], n = view_order(app, order, 32), i;
    wchar_t title[64];

    out[0] = L'\0';
    for (i = 0; i < n; i++) {
        probe_list_column_title(app, app->list, order[i], title, 64);
        if (wcslen(out) + wcslen(title) + 2 < cap) {
            if (i)
                wcscat(out, L"|");
            wcscat(out, title);
        }
    }
}

/* View > Columns...: unchecks the column titled `title` and presses OK. */
static BOOL view_hide_column(const probe_app *app, const wchar_t *title)
{
    HWND dlg, lv;
    int n, i, found = -1;
    wchar_t text[64];
    probe_remote r;
    LVITEMW it;

    PostMessageW(app->main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_COLUMNS, 0), 0);
    dlg = probe_wait_top_window(app, L"#32770", 10000);
    lv = dlg ? GetDlgItem(dlg, IDC_COLUMNS_LIST) : NULL;
    if (!lv)
        return FALSE;
    n = (int)SendMessageW(lv, LVM_GETITEMCOUNT, 0, 0);
    CHECK_U64(n, EVL_COL_COUNT - 1); /* every column but # */
    for (i = 0; i < n && found < 0; i++) {
        probe_list_cell(app, lv, i, 0, text, 64);
        if (wcscmp(text, title) == 0)
            found = i;
    }
    CHECK(found >= 0);
    if (found >= 0 && probe_remote_alloc(&r, app, sizeof it)) {
        ZeroMemory(&it, sizeof it);
        it.stateMask = LVIS_STATEIMAGEMASK;
        it.state = INDEXTOSTATEIMAGEMASK(1); /* unchecked */
        CHECK(probe_remote_write(&r, 0, &it, sizeof it)
              && SendMessageW(lv, LVM_SETITEMSTATE, (WPARAM)found, (LPARAM)r.base));
        probe_remote_free(&r);
    }
    PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
    for (i = 0; i < 50 && IsWindow(dlg); i++)
        Sleep(100);
    return found >= 0 && !IsWindow(dlg);
}

/* Right-clicks the list's header (over its first item) and chooses the item'th entry of the menu that opens
 * with the keys (0: only Esc); FALSE when no menu opened. */
static BOOL view_header_menu(const probe_app *app, int item)
{
    HWND header = (HWND)SendMessageW(app->list, LVM_GETHEADER, 0, 0), menu = NULL;
    LPARAM at = MAKELPARAM(20, 5);
    int i;

    PostMessageW(header, WM_RBUTTONDOWN, MK_RBUTTON, at);
    PostMessageW(header, WM_RBUTTONUP, 0, at);
    for (i = 0; i < 100 && !menu; i++) {
        Sleep(100);
        menu = probe_wait_top_window(app, L"#32768", 0);
    }
    if (!menu)
        return FALSE;
    for (i = 0; i < item; i++)
        PostMessageW(menu, WM_KEYDOWN, VK_DOWN, 0);
    PostMessageW(menu, WM_KEYDOWN, item ? VK_RETURN : VK_ESCAPE, 0);
    for (i = 0; i < 50 && IsWindowVisible(menu); i++)
        Sleep(100);
    return TRUE;
}

/* Selects every row (LVM_SETITEMSTATE on item -1), or none. */
static BOOL view_select_all(const probe_app *app, BOOL select)
{
    probe_remote r;
    LVITEMW it;
    BOOL ok;

    if (!probe_remote_alloc(&r, app, sizeof it))
        return FALSE;
    ZeroMemory(&it, sizeof it);
    it.stateMask = LVIS_SELECTED;
    it.state = select ? LVIS_SELECTED : 0;
    ok = probe_remote_write(&r, 0, &it, sizeof it)
         && SendMessageW(app->list, LVM_SETITEMSTATE, (WPARAM)-1, (LPARAM)r.base);
    probe_remote_free(&r);
    return ok;
}

/* The clipboard's text in a new buffer (free it), or NULL. */
static wchar_t *view_clipboard(void)
{
    HANDLE h;
    const wchar_t *p;
    wchar_t *copy = NULL;

    if (!OpenClipboard(NULL))
        return NULL;
    h = GetClipboardData(CF_UNICODETEXT);
    p = h ? (const wchar_t *)GlobalLock(h) : NULL;
    if (p) {
        size_t len = wcslen(p);
        copy = (wchar_t *)malloc((len + 1) * sizeof *copy);
        if (copy)
            memcpy(copy, p, (len + 1) * sizeof *copy);
        GlobalUnlock(h);
    }
    CloseClipboard();
    return copy;
}

/* Edit > Copy of the selected rows: returns the clipboard's text once the status bar says status. */
static wchar_t *view_copy(const probe_app *app, const wchar_t *status)
{
    if (OpenClipboard(NULL)) {
        EmptyClipboard();
        CloseClipboard();
    }
    PostMessageW(app->main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_COPY, 1), 0);
    if (!probe_wait_status(app, status, 30000))
        return NULL;
    return view_clipboard();
}

/* What Copy of rows [0, n) must give: the titles and then every cell as the list shows it, in display
 * order, tab-separated, CRLF. */
static wchar_t *view_expected_copy(const probe_app *app, int n)
{
    int order[32], cols = view_order(app, order, 32), row, k;
    size_t cap = (size_t)(n + 1) * cols * 520 + 16, len = 0;
    wchar_t *text = (wchar_t *)malloc(cap * sizeof *text), cell[520];

    if (!text)
        return NULL;
    for (row = -1; row < n; row++)
        for (k = 0; k < cols; k++) {
            if (row < 0)
                probe_list_column_title(app, app->list, order[k], cell, 520);
            else
                probe_list_cell(app, app->list, row, order[k], cell, 520);
            len += (size_t)_snwprintf(text + len, cap - len, L"%ls%ls", cell, k + 1 < cols ? L"\t" : L"\r\n");
        }
    text[len] = L'\0';
    return text;
}

/* File > Export Events as name beside want_path, compared with it byte for byte. */
static void view_export(const probe_app *app, const wchar_t *name, const wchar_t *want_path, uint64_t rows)
{
    wchar_t path[1200], status[64];

    if (!probe_sibling(want_path, name, path, 1200))
        return;
    _snwprintf(status, 64, L"Exported %llu events", (unsigned long long)rows);
    probe_save_as(app, IDM_FILE_EXPORT_EVENTS, path, status);
    probe_check_same_file(path, want_path);
}

/* The colour on the screen at the left end of row `row` of the list (inside the first displayed column,
 * left of its right-aligned number): what the row's custom draw gave it. */
static COLORREF view_row_colour(const probe_app *app, int row)
{
    probe_remote r;
    RECT rc;
    POINT pt;
    HDC screen;
    COLORREF c = CLR_INVALID;

    if (!probe_remote_alloc(&r, app, sizeof rc))
        return CLR_INVALID;
    rc.left = LVIR_BOUNDS;
    if (probe_remote_write(&r, 0, &rc, sizeof rc)
        && SendMessageW(app->list, LVM_GETITEMRECT, (WPARAM)row, (LPARAM)r.base)
        && probe_remote_read(&r, 0, &rc, sizeof rc)) {
        pt.x = rc.left + 6;
        pt.y = (rc.top + rc.bottom) / 2;
        ClientToScreen(app->list, &pt);
        screen = GetDC(NULL);
        c = GetPixel(screen, pt.x, pt.y);
        ReleaseDC(NULL, screen);
    }
    probe_remote_free(&r);
    return c;
}

/* Hide a column, reorder and resize others, restart: they come back; cells and Copy follow what is shown;
 * Export Events of a filtered view is what `wskdump events --filter` writes; a highlight rule from the cell
 * menu colours exactly the rows it matches; Copy of every row. */
static void view_columns_export_copy_highlight(void)
{
    static const wchar_t shown[] = L"#|Event|Time|TID|CPU|Socket|Local|Remote|Status|Bytes|Details";
    probe_app app;
    probe_lines events, matches;
    wchar_t titles[512], text[128], want[128], status[64];
    wchar_t *got, *expected;
    char v[128];
    int order[32], n, i, k, event_col = -1, top, per_page, yellow = 0, plain = 0;
    COLORREF highlight = RGB(255, 245, 150);

    if (!probe_read_lines(view_events, &events) || events.count < 100 || !probe_read_lines(view_jsonl, &matches)) {
        CHECK(!"the expected events are readable");
        return;
    }
    CHECK_U64(matches.count, view_matches);
    view_settings_keep();
    if (!view_start(&app))
        goto restore;
    CHECK_U64(view_header_count(&app), EVL_COL_COUNT);
    CHECK(view_hide_column(&app, L"Process"));
    CHECK_U64(view_header_count(&app), EVL_COL_COUNT - 1);
    view_titles(&app, titles, 512);
    probe_check_wstr("columns after hiding Process", titles, L"#|Time|TID|CPU|Event|Socket|Local|Remote|Status|Bytes|Details");
    /* A right click on the header: its menu's fifth entry (CPU) hides CPU, and again shows it. */
    CHECK(view_header_menu(&app, 5));
    view_titles(&app, titles, 512);
    probe_check_wstr("columns after the header menu's CPU", titles, L"#|Time|TID|Event|Socket|Local|Remote|Status|Bytes|Details");
    CHECK(view_header_menu(&app, 5));
    CHECK_U64(view_header_count(&app), EVL_COL_COUNT - 1);
    /* the third column is TID now, and its cells say so */
    for (k = 0; k < 100; k += 9) {
        probe_json_value(events.line[k], "tid", v, sizeof v);
        MultiByteToWideChar(CP_UTF8, 0, strcmp(v, "null") ? v : "", -1, want, 128);
        probe_list_cell(&app, app.list, k, 2, text, 128);
        probe_check_wstr("TID cell with Process hidden", text, want);
    }
    /* The user drags Event to second place and widens Time. */
    n = view_order(&app, order, 32);
    CHECK_U64(n, 11);
    if (n == 11) {
        static const int dragged[11] = { 0, 4, 1, 2, 3, 5, 6, 7, 8, 9, 10 };
        probe_remote r;
        if (probe_remote_alloc(&r, &app, sizeof dragged)) {
            CHECK(probe_remote_write(&r, 0, dragged, sizeof dragged)
                  && SendMessageW(app.list, LVM_SETCOLUMNORDERARRAY, 11, (LPARAM)r.base));
            probe_remote_free(&r);
        }
    }
    CHECK(SendMessageW(app.list, LVM_SETCOLUMNWIDTH, 1, MAKELPARAM(203, 0)));
    probe_close(&app);

    if (!view_start(&app))
        goto restore;
    CHECK_U64(view_header_count(&app), EVL_COL_COUNT - 1);
    view_titles(&app, titles, 512);
    probe_check_wstr("columns after a restart", titles, shown);
    CHECK_U64(SendMessageW(app.list, LVM_GETCOLUMNWIDTH, 1, 0), 203);
    n = view_order(&app, order, 32);
    event_col = n > 1 ? order[1] : -1;

    /* Copy of every row (Edit > Select All) */
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_SELECT_ALL, 1), 0);
    CHECK_U64(SendMessageW(app.list, LVM_GETSELECTEDCOUNT, 0, 0), events.count);
    _snwprintf(status, 64, L"Copied %u rows", (unsigned)events.count);
    got = view_copy(&app, status);
    CHECK(got != NULL);
    if (got) {
        wchar_t *line = got, *next;
        size_t lines = 0;
        CHECK(wcsncmp(got, L"#\tEvent\tTime\tTID\tCPU\tSocket\tLocal\tRemote\tStatus\tBytes\tDetails\r\n", 61) == 0);
        for (; *line; line = next, lines++) {
            next = wcsstr(line, L"\r\n");
            if (!next)
                break;
            next += 2;
            if (lines > 0 && (size_t)_wtoi(line) != lines - 1) {
                fprintf(stderr, "guiprobe: copied line %u starts with %.20ls\n", (unsigned)lines, line);
                check_failures++;
                break;
            }
        }
        CHECK_U64(lines, events.count + 1);
        free(got);
    }
    CHECK(view_select_all(&app, FALSE));

    /* The filtered view: its cells copied as shown, its events exported as wskdump writes them */
    probe_filter_key(&app, view_filter, VK_RETURN);
    CHECK(probe_wait_count(app.list, view_matches, 30000));
    CHECK(probe_wait_status(&app, L"Loaded", 30000));
    CHECK(view_select_all(&app, TRUE));
    _snwprintf(status, 64, L"Copied %u rows", (unsigned)view_matches);
    got = view_copy(&app, status);
    expected = view_expected_copy(&app, (int)view_matches);
    CHECK(got != NULL && expected != NULL);
    if (got && expected && wcscmp(got, expected) != 0) {
        fprintf(stderr, "guiprobe: the copied text is not what the list shows:\n%.300ls\n---\n%.300ls\n", got, expected);
        check_failures++;
    }
    free(got);
    free(expected);
    CHECK(view_select_all(&app, FALSE));
    view_export(&app, L"exported-events.csv", view_csv, view_matches);
    view_export(&app, L"exported-events.jsonl", view_jsonl, view_matches);

    /* Highlight the Event cell's value of the first row: exactly the rows of that event are coloured. */
    probe_json_value(matches.line[0], "name", v, sizeof v);
    CHECK(event_col >= 0 && probe_cell_menu(&app, 0, event_col, 3));
    CHECK(view_select_all(&app, FALSE));
    Sleep(800);
    top = (int)SendMessageW(app.list, LVM_GETTOPINDEX, 0, 0);
    per_page = (int)SendMessageW(app.list, LVM_GETCOUNTPERPAGE, 0, 0);
    CHECK(per_page > 3);
    for (i = top; i < top + per_page && i < (int)matches.count; i++) {
        char name[128];
        COLORREF c = view_row_colour(&app, i);
        BOOL match;
        probe_json_value(matches.line[i], "name", name, sizeof name);
        match = strcmp(name, v) == 0;
        yellow += match;
        plain += !match;
        if (match ? c != highlight : c == highlight || c == CLR_INVALID) {
            fprintf(stderr, "guiprobe: row %d (%s) has colour %06lx; the rule is name == %s\n", i, name,
                    (unsigned long)c, v);
            check_failures++;
        }
    }
    printf("guiprobe: highlight %s: %d rows coloured, %d not, of %d shown\n", v, yellow, plain, yellow + plain);
    CHECK(yellow > 0 && plain > 0);
    /* Edit > Highlighting...: add "status != success" in red (Enter adds), remove the cell menu's rule: every
     * row of this view (all failed) is red now. */
    PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_VIEW_HIGHLIGHTING, 0), 0);
    {
        HWND dlg = probe_wait_top_window(&app, L"#32770", 10000), lv = dlg ? GetDlgItem(dlg, IDC_HL_LIST) : NULL;
        probe_remote r;
        LVITEMW it;
        CHECK(lv != NULL);
        if (lv) {
            CHECK_U64(SendMessageW(lv, LVM_GETITEMCOUNT, 0, 0), 1);
            probe_list_cell(&app, lv, 0, 0, text, 128);
            probe_check_wstr("the cell menu's rule's colour", text, L"Yellow");
            probe_list_cell(&app, lv, 0, 1, text, 128);
            MultiByteToWideChar(CP_UTF8, 0, v, -1, want, 100);
            CHECK(wcsncmp(text, L"name == \"", 9) == 0 && wcsstr(text, want) != NULL);
            SendMessageW(GetDlgItem(dlg, IDC_HL_TEXT), WM_SETTEXT, 0, (LPARAM)L"status != success");
            SendMessageW(GetDlgItem(dlg, IDC_HL_COLOUR), CB_SETCURSEL, 7, 0); /* Red */
            SendMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDC_HL_ADD, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDC_HL_ADD));
            CHECK_U64(SendMessageW(lv, LVM_GETITEMCOUNT, 0, 0), 2);
            if (probe_remote_alloc(&r, &app, sizeof it)) {
                ZeroMemory(&it, sizeof it);
                it.stateMask = LVIS_SELECTED | LVIS_FOCUSED;
                it.state = LVIS_SELECTED | LVIS_FOCUSED;
                CHECK(probe_remote_write(&r, 0, &it, sizeof it)
                      && SendMessageW(lv, LVM_SETITEMSTATE, 0, (LPARAM)r.base));
                probe_remote_free(&r);
            }
            SendMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDC_HL_REMOVE, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDC_HL_REMOVE));
            CHECK_U64(SendMessageW(lv, LVM_GETITEMCOUNT, 0, 0), 1);
            probe_list_cell(&app, lv, 0, 0, text, 128);
            probe_check_wstr("the added rule's colour", text, L"Red");
            CHECK(probe_dismiss(dlg, IDCANCEL));
        }
    }
    Sleep(800);
    for (i = top, k = 0; i < top + per_page && i < (int)matches.count; i++)
        k += view_row_colour(&app, i) == RGB(255, 170, 170);
    CHECK_U64(k, i - top);
    probe_close(&app);
restore:
    if (app.pi.hProcess) {
        TerminateProcess(app.pi.hProcess, 99);
        probe_wait_exit(&app);
    }
    view_settings_restore();
    probe_free_lines(&events);
    probe_free_lines(&matches);
}

/* Esc in the list cancels File > Export Events (the unfinished file is removed) and Copy, on a trace big
 * enough (VIEW_BIG: 1,000,000 events) that neither ends first. */
static void view_cancel(void)
{
    probe_app app;
    wchar_t args[1200], path[1200];

    if (!view_big) {
        printf("guiprobe: no big trace given (skipped)\n");
        return;
    }
    view_settings_keep();
    _snwprintf(args, 1200, L"\"%ls\"", view_big);
    args[1199] = L'\0';
    if (!probe_start(&app, args))
        goto restore;
    CHECK(probe_wait_status(&app, L"Loaded", 120000));
    if (probe_sibling(view_csv, L"cancelled-export.csv", path, 1200)) {
        probe_save_as(&app, IDM_FILE_EXPORT_EVENTS, path, L"Exporting");
        PostMessageW(app.list, WM_KEYDOWN, VK_ESCAPE, 0);
        CHECK(probe_wait_status(&app, L"Cancelled", 15000));
        CHECK(GetFileAttributesW(path) == INVALID_FILE_ATTRIBUTES);
    }
    SendMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_SELECT_ALL, 1), 0);
    PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_COPY, 1), 0);
    CHECK(probe_wait_status(&app, L"Copying", 15000));
    PostMessageW(app.list, WM_KEYDOWN, VK_ESCAPE, 0);
    CHECK(probe_wait_status(&app, L"Cancelled", 15000));
    probe_close(&app);
restore:
    view_settings_restore();
}

/* ---- viewbench: figures for Copy and Export Events of every row (docs/performance.md) ----------- */

/* Polls the window until the status bar starts with done (or "Could not"/failed), printing the time and
 * the longest round trip of the message loop meanwhile. */
static void viewbench_wait(const probe_app *app, const wchar_t *done, const char *label)
{
    LARGE_INTEGER freq, start, before, after;
    double stall = 0, ms;
    DWORD_PTR result;
    wchar_t text[256];

    QueryPerformanceFrequency(&freq);
    QueryPerformanceCounter(&start);
    for (;;) {
        QueryPerformanceCounter(&before);
        SendMessageTimeoutW(app->main, WM_NULL, 0, 0, SMTO_NORMAL, 60000, &result);
        QueryPerformanceCounter(&after);
        ms = probe_ms(before, after, freq);
        if (ms > stall)
            stall = ms;
        probe_status_text(app, app->bar, 3, text, 256);
        if (wcsncmp(text, done, wcslen(done)) == 0 || wcsstr(text, L"failed") || wcsncmp(text, L"Could not", 9) == 0
            || probe_ms(start, after, freq) > 600000)
            break;
        Sleep(2);
    }
    printf("%s: %.0f ms, longest message-loop round trip %.1f ms, status \"%ls\"\n", label,
           probe_ms(start, after, freq), stall, text);
    fflush(stdout);
}

static int probe_viewbench(const wchar_t *trace, const wchar_t *dir)
{
    static const wchar_t *const names[] = { L"viewbench.csv", L"viewbench.jsonl" };
    probe_app app;
    wchar_t args[1200], path[1200];
    HWND dlg, name;
    int i;

    _snwprintf(args, 1200, L"\"%ls\"", trace);
    args[1199] = L'\0';
    if (!probe_start(&app, args))
        return 1;
    if (!probe_wait_status(&app, L"Loaded", 600000))
        return 1;
    printf("rows %ld\n", (long)SendMessageW(app.list, LVM_GETITEMCOUNT, 0, 0));
    view_select_all(&app, TRUE);
    PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_EDIT_COPY, 1), 0);
    viewbench_wait(&app, L"Copied", "Copy of every row (Select All)");
    view_select_all(&app, FALSE);
    for (i = 0; i < 2; i++) {
        _snwprintf(path, 1200, L"%ls\\%ls", dir, names[i]);
        path[1199] = L'\0';
        DeleteFileW(path);
        PostMessageW(app.main, WM_COMMAND, MAKEWPARAM(IDM_FILE_EXPORT_EVENTS, 0), 0);
        dlg = probe_wait_top_window(&app, L"#32770", 15000);
        name = dlg ? GetDlgItem(dlg, 0x47c) : NULL;
        if (dlg && !name)
            name = GetDlgItem(dlg, 0x480);
        if (!name)
            return 1;
        SendMessageW(name, WM_SETTEXT, 0, (LPARAM)path);
        PostMessageW(dlg, WM_COMMAND, MAKEWPARAM(IDOK, BN_CLICKED), (LPARAM)GetDlgItem(dlg, IDOK));
        viewbench_wait(&app, L"Exported", i ? "Export Events, JSON Lines" : "Export Events, CSV");
    }
    probe_close(&app);
    return check_failures ? 1 : 0;
}

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv)
{
    static const check_case smoke[] = {
        CHECK_CASE(smoke_main_window_close_button),
        CHECK_CASE(smoke_file_exit),
        CHECK_CASE(smoke_about_shows_version),
        CHECK_CASE(smoke_status_bar_toggle),
        CHECK_CASE(smoke_timeline_toggle),
        CHECK_CASE(smoke_settings_persist),
        CHECK_CASE(smoke_keyboard_focus),
    };
    static const check_case layout[] = {
        CHECK_CASE(layout_scaled),
        CHECK_CASE(layout_follows_dpi_change),
    };
    static const check_case open[] = {
        CHECK_CASE(open_command_line),
        CHECK_CASE(open_sort_and_time),
        CHECK_CASE(open_file_dialog),
        CHECK_CASE(open_include_exclude),
        CHECK_CASE(open_recent_file),
        CHECK_CASE(open_damaged_file),
        CHECK_CASE(open_not_a_trace_then_drop),
    };
    static const check_case resources[] = {
        CHECK_CASE(res_manifest), CHECK_CASE(res_version), CHECK_CASE(res_icon),
        CHECK_CASE(res_menu), CHECK_CASE(res_accelerators),
    };
    int rc;

    if (argc >= 4 && wcscmp(argv[1], L"smoke") == 0) {
        probe_exe = argv[2];
        probe_version = argv[3];
        return check_run(smoke, CHECK_COUNT(smoke));
    }
    if (argc >= 4 && wcscmp(argv[1], L"layout") == 0) {
        probe_exe = argv[2];
        probe_dpi = _wtoi(argv[3]);
        if (probe_dpi < 96 || probe_dpi > 480) {
            fprintf(stderr, "guiprobe: DPI %ls is not between 96 and 480\n", argv[3]);
            return 2;
        }
        return check_run(layout, CHECK_COUNT(layout));
    }
    if (argc >= 5 && wcscmp(argv[1], L"detail") == 0) {
        probe_exe = argv[2];
        return probe_detail(argv[3], argc - 4, argv + 4);
    }
    if (argc >= 4 && wcscmp(argv[1], L"bench") == 0) {
        probe_exe = argv[2];
        return probe_bench(argv[3]);
    }
    if (argc >= 5 && wcscmp(argv[1], L"viewbench") == 0) {
        probe_exe = argv[2];
        return probe_viewbench(argv[3], argv[4]);
    }
    if (argc >= 9 && wcscmp(argv[1], L"viewer") == 0) {
        static const check_case viewer[] = { CHECK_CASE(view_columns_export_copy_highlight),
                                             CHECK_CASE(view_cancel) };
        probe_exe = argv[2];
        view_trace = argv[3];
        view_filter = argv[4];
        view_matches = (uint64_t)_wtoi64(argv[5]);
        view_csv = argv[6];
        view_jsonl = argv[7];
        view_events = argv[8];
        view_big = argc >= 10 ? argv[9] : NULL;
        return check_run(viewer, CHECK_COUNT(viewer));
    }
    if (argc >= 10 && wcscmp(argv[1], L"open") == 0) {
        probe_exe = argv[2];
        open_trace = argv[3];
        open_jsonl = argv[4];
        open_filter = argv[5];
        open_matches = (uint64_t)_wtoi64(argv[6]);
        open_damaged = argv[7];
        open_not_trace = argv[8];
        open_sockets = argv[9];
        return check_run(open, CHECK_COUNT(open));
    }
    if (argc >= 5 && wcscmp(argv[1], L"bench-replay") == 0) {
        probe_exe = argv[2];
        return probe_bench_replay(argv[3], argv[4]);
    }
    if (argc >= 10 && wcscmp(argv[1], L"replay") == 0) {
        static const check_case replay[] = {
            CHECK_CASE(replay_capture),   CHECK_CASE(replay_access_denied), CHECK_CASE(replay_no_resources),
            CHECK_CASE(replay_options),   CHECK_CASE(replay_follow),        CHECK_CASE(replay_live_filter),
            CHECK_CASE(replay_loss_rows), CHECK_CASE(replay_live_views),
        };
        probe_exe = argv[2];
        replay_trace = argv[3];
        replay_jsonl = argv[4];
        replay_rate = argv[5];
        replay_saved = argv[6];
        replay_filter = argv[7];
        replay_matches = (uint64_t)_wtoi64(argv[8]);
        replay_loss = argv[9];
        replay_sockets = argc >= 11 ? argv[10] : NULL;
        return check_run(replay, CHECK_COUNT(replay));
    }
    if (argc >= 4 && wcscmp(argv[1], L"resources") == 0) {
        probe_exe = argv[2];
        probe_version = argv[3];
        res.mod = LoadLibraryExW(probe_exe, NULL, LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE);
        if (!res.mod) {
            fprintf(stderr, "guiprobe: cannot load %ls as a resource file (error %lu)\n", probe_exe, GetLastError());
            return 1;
        }
        rc = check_run(resources, CHECK_COUNT(resources));
        FreeLibrary(res.mod);
        return rc;
    }
    fprintf(stderr,
            "usage: guiprobe smoke WSKVIEW.EXE VERSION\n"
            "       guiprobe layout WSKVIEW.EXE DPI\n"
            "       guiprobe resources WSKVIEW.EXE MAJOR.MINOR.PATCH\n"
            "       guiprobe open WSKVIEW.EXE TRACE EVENTS.JSONL FILTER MATCHES DAMAGED NOT_A_TRACE\n"
            "                     SOCKETS.JSONL\n"
            "       guiprobe bench WSKVIEW.EXE TRACE\n"
            "       guiprobe detail WSKVIEW.EXE TRACE ENDPOINT:GENERATION:EVENTS...\n"
            "       guiprobe replay WSKVIEW.EXE TRACE EVENTS.JSONL RATE SAVED.ETL FILTER MATCHES BIG.ETL\n"
            "                       [SOCKETS.JSONL]\n"
            "       guiprobe bench-replay WSKVIEW.EXE TRACE RATE\n");
    return 2;
}
