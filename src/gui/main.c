/*
 * main.c - wskview.exe's entry point and message loop.
 *
 * Threading contract: this thread (the UI thread) creates and owns every window. Worker threads
 * (loading and decoding a file, live capture) will never touch a window; they hand data over
 * through the core's ring buffer / event store and wake this thread with posted messages. So the
 * message loop below is the only place that waits, and it never waits on a worker.
 */
#define _CRT_SECURE_NO_WARNINGS /* _wfopen (WSK_PROFILE's file): MSVC would ask for _wfopen_s */
#include <windows.h>
#include <commctrl.h>
#include <objbase.h>
#include <shellapi.h>
#include <stdio.h>

#include "capctl.h"
#include "dpi.h"
#include "mainwnd.h"
#include "resource.h"

/* An edit box with focus keeps its clipboard and editing keys: the accelerators must not take
 * Ctrl+C/X/V/Z/A from it (Ctrl+X is also Capture > Clear). */
static BOOL app_key_belongs_to_edit(const MSG *msg)
{
    wchar_t cls[16];
    HWND focus = GetFocus();

    if (msg->message != WM_KEYDOWN || !focus || !(GetKeyState(VK_CONTROL) & 0x8000))
        return FALSE;
    if (!GetClassNameW(focus, cls, 16) || lstrcmpiW(cls, L"Edit") != 0)
        return FALSE;
    switch (msg->wParam) {
    case 'A': case 'C': case 'V': case 'X': case 'Z':
        return TRUE;
    default:
        return FALSE;
    }
}

/* WSK_PROFILE=FILE: each message that kept this thread APP_PROFILE_MS or longer is appended to FILE as
 * "at_ms took_ms window_class message wparam" (docs/performance.md). A probe outside sees only that the
 * loop stalled; this names the message, on any machine, without a debugger. */
#define APP_PROFILE_MS 10.0

typedef struct app_profile {
    FILE *out; /* NULL: not profiling */
    LARGE_INTEGER freq, start;
} app_profile;

static void app_profile_open(app_profile *p)
{
    wchar_t path[MAX_PATH];
    DWORD n = GetEnvironmentVariableW(L"WSK_PROFILE", path, MAX_PATH);

    p->out = n > 0 && n < MAX_PATH ? _wfopen(path, L"a") : NULL;
    QueryPerformanceFrequency(&p->freq);
    QueryPerformanceCounter(&p->start);
}

static void app_dispatch(const app_profile *p, const MSG *msg)
{
    LARGE_INTEGER before, after;
    wchar_t cls[64];
    double ms;

    if (!p->out) {
        DispatchMessageW(msg);
        return;
    }
    QueryPerformanceCounter(&before);
    DispatchMessageW(msg);
    QueryPerformanceCounter(&after);
    ms = (double)(after.QuadPart - before.QuadPart) * 1000.0 / (double)p->freq.QuadPart;
    if (ms < APP_PROFILE_MS)
        return;
    if (!msg->hwnd || !GetClassNameW(msg->hwnd, cls, 64))
        lstrcpyW(cls, L"-");
    fprintf(p->out, "%.1f %.1f %ls 0x%04x %llu\n",
            (double)(before.QuadPart - p->start.QuadPart) * 1000.0 / (double)p->freq.QuadPart, ms, cls,
            (unsigned)msg->message, (unsigned long long)msg->wParam);
    fflush(p->out);
}

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmdline, int show)
{
    app_profile profile;
    INITCOMMONCONTROLSEX icc;
    HACCEL accel = NULL;
    HWND hwnd = NULL, dlg;
    MSG msg;
    wchar_t **argv = NULL;
    int argc = 0;
    BOOL com = FALSE;
    int rc = 1;

    (void)prev;
    (void)cmdline;
    app_profile_open(&profile);
    dpi_init();
    icc.dwSize = sizeof icc;
    icc.dwICC = ICC_LISTVIEW_CLASSES | ICC_BAR_CLASSES;
    if (!InitCommonControlsEx(&icc))
        goto cleanup;
    /* The common file dialogs and drag and drop need an STA on this thread. */
    com = SUCCEEDED(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE));
    accel = LoadAcceleratorsW(inst, MAKEINTRESOURCEW(IDR_ACCEL));
    if (!mw_register(inst))
        goto cleanup;
    hwnd = mw_create(inst, show);
    if (!hwnd)
        goto cleanup;
    /* wskview.exe FILE: the file starts loading once the window is up; --replay FILE [--rate N]: a
     * capture replaying FILE starts (capctl.h). */
    argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    if (argv && argc > 1 && !cctl_command_line(mw_capture_controller(hwnd), argc, argv))
        mw_open_file(hwnd, argv[1]);
    for (;;) {
        BOOL got = GetMessageW(&msg, NULL, 0, 0);
        if (got == -1)
            goto cleanup;
        if (!got)
            break;
        dlg = mw_modeless_dialog(hwnd);
        if (dlg && IsDialogMessageW(dlg, &msg))
            continue;
        if (accel && !app_key_belongs_to_edit(&msg) && TranslateAcceleratorW(hwnd, accel, &msg))
            continue;
        TranslateMessage(&msg);
        app_dispatch(&profile, &msg);
    }
    rc = (int)msg.wParam;

cleanup:
    if (profile.out)
        fclose(profile.out);
    if (argv)
        LocalFree(argv);
    if (com)
        CoUninitialize();
    return rc;
}
