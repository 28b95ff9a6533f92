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
    app->list = FindWindowExW(app->main, NULL, WC_LISTVIEWW, NULL);
    app->bar = FindWindowExW(app->main, NULL, STATUSCLASSNAMEW, NULL);
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
    static const int col96[] = { 64, 120, 150, 56, 40, 140, 110, 150, 150, 110, 70, 420 };
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

/* The list fills the client area above the status bar (or all of it when the bar is hidden). */
static void probe_check_fill(HWND main, HWND list, HWND bar)
{
    RECT client, lr, br;
    POINT origin = { 0, 0 };

    GetClientRect(main, &client);
    ClientToScreen(main, &origin);
    GetWindowRect(list, &lr);
    CHECK_U64(lr.left - origin.x, 0);
    CHECK_U64(lr.top - origin.y, 0);
    CHECK_U64(lr.right - origin.x, client.right);
    if (GetWindowLongPtrW(bar, GWL_STYLE) & WS_VISIBLE) {
        GetWindowRect(bar, &br);
        CHECK(br.bottom - br.top > 0);
        CHECK_U64(lr.bottom, br.top);
        CHECK_U64(br.bottom - origin.y, client.bottom);
    } else {
        CHECK_U64(lr.bottom - origin.y, client.bottom);
    }
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
    CHECK((GetMenuState(menu, IDM_FILE_OPEN, MF_BYCOMMAND) & MF_GRAYED) != 0);
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
        { FVIRTKEY | FCONTROL, 'L', IDM_EDIT_FILTER },     { FVIRTKEY | FCONTROL, VK_OEM_PERIOD, IDM_EDIT_SOCKET_NEXT },
        { FVIRTKEY | FCONTROL, VK_OEM_COMMA, IDM_EDIT_SOCKET_PREV },
        { FVIRTKEY | FALT, VK_LEFT, IDM_EDIT_BACK },       { FVIRTKEY | FALT, VK_RIGHT, IDM_EDIT_FORWARD },
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

int wmain(int argc, wchar_t **argv);
int wmain(int argc, wchar_t **argv)
{
    static const check_case smoke[] = {
        CHECK_CASE(smoke_main_window_close_button),
        CHECK_CASE(smoke_file_exit),
        CHECK_CASE(smoke_about_shows_version),
        CHECK_CASE(smoke_status_bar_toggle),
    };
    static const check_case layout[] = {
        CHECK_CASE(layout_scaled),
        CHECK_CASE(layout_follows_dpi_change),
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
    fprintf(stderr, "usage: guiprobe smoke WSKVIEW.EXE VERSION\n"
                    "       guiprobe layout WSKVIEW.EXE DPI\n"
                    "       guiprobe resources WSKVIEW.EXE MAJOR.MINOR.PATCH\n");
    return 2;
}
