/*
 * main.c - wskview.exe's entry point and message loop.
 *
 * Threading contract: this thread (the UI thread) creates and owns every window. Worker threads
 * (loading and decoding a file, live capture) will never touch a window; they hand data over
 * through the core's ring buffer / event store and wake this thread with posted messages. So the
 * message loop below is the only place that waits, and it never waits on a worker.
 */
#include <windows.h>
#include <commctrl.h>
#include <objbase.h>
#include <shellapi.h>

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

int WINAPI wWinMain(HINSTANCE inst, HINSTANCE prev, PWSTR cmdline, int show)
{
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
        DispatchMessageW(&msg);
    }
    rc = (int)msg.wParam;

cleanup:
    if (argv)
        LocalFree(argv);
    if (com)
        CoUninitialize();
    return rc;
}
