/*
 * dpi.c - per-monitor DPI support loaded at run time.
 *
 * ABI note: the functions below are taken from user32.dll and shcore.dll with GetProcAddress and
 * called through the typedefs here, which repeat the SDK's prototypes (WINAPI = __stdcall, a no-op
 * on x64). DPI_AWARENESS_CONTEXT values are the documented pseudo-handles (-4 = per-monitor v2),
 * spelled out because the _WIN32_WINNT=0x0603 headers do not declare them.
 *
 * Fallback ladder, newest first:
 *   Windows 10 1703+: SetThreadDpiAwarenessContext(PMv2), GetDpiForWindow, AdjustWindowRectExForDpi,
 *                     SystemParametersInfoForDpi (1607+).
 *   Windows 8.1:      SetProcessDpiAwareness(per-monitor) and GetDpiForMonitor from shcore.dll.
 *   Older or Wine:    SetProcessDPIAware and the screen DC's LOGPIXELSY.
 * The manifest already asks for PMv2 (with the true/pm fallback); the calls here cover a stripped or
 * ignored manifest. Everything runs on the UI thread.
 */
#include "dpi.h"

typedef HANDLE (WINAPI *set_thread_dpi_ctx_fn)(HANDLE ctx);
typedef UINT (WINAPI *get_dpi_for_window_fn)(HWND hwnd);
typedef BOOL (WINAPI *adjust_rect_for_dpi_fn)(RECT *rc, DWORD style, BOOL menu, DWORD ex_style, UINT dpi);
typedef BOOL (WINAPI *spi_for_dpi_fn)(UINT action, UINT param, void *data, UINT win_ini, UINT dpi);
typedef HRESULT (WINAPI *set_process_dpi_awareness_fn)(int value);
typedef HRESULT (WINAPI *get_dpi_for_monitor_fn)(HMONITOR mon, int type, UINT *x, UINT *y);

#define DPI_CTX_PER_MONITOR_V2 ((HANDLE)(LONG_PTR)-4)
#define DPI_PROCESS_PER_MONITOR 2   /* PROCESS_PER_MONITOR_DPI_AWARE */
#define DPI_MDT_EFFECTIVE 0         /* MDT_EFFECTIVE_DPI */

static struct {
    get_dpi_for_window_fn get_dpi_for_window;
    adjust_rect_for_dpi_fn adjust_rect_for_dpi;
    spi_for_dpi_fn spi_for_dpi;
    get_dpi_for_monitor_fn get_dpi_for_monitor;
} dpi_api;

/* Casting through a generic function pointer keeps -Wcast-function-type quiet: the real type is
 * the typedef the caller names. */
typedef void (*dpi_any_fn)(void);
static dpi_any_fn dpi_lookup(HMODULE mod, const char *name)
{
    return mod ? (dpi_any_fn)GetProcAddress(mod, name) : NULL;
}

void dpi_init(void)
{
    HMODULE user32 = GetModuleHandleW(L"user32.dll");
    HMODULE shcore = LoadLibraryExW(L"shcore.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    set_thread_dpi_ctx_fn set_thread_ctx =
        (set_thread_dpi_ctx_fn)dpi_lookup(user32, "SetThreadDpiAwarenessContext");
    set_process_dpi_awareness_fn set_process_awareness =
        (set_process_dpi_awareness_fn)dpi_lookup(shcore, "SetProcessDpiAwareness");

    dpi_api.get_dpi_for_window = (get_dpi_for_window_fn)dpi_lookup(user32, "GetDpiForWindow");
    dpi_api.adjust_rect_for_dpi = (adjust_rect_for_dpi_fn)dpi_lookup(user32, "AdjustWindowRectExForDpi");
    dpi_api.spi_for_dpi = (spi_for_dpi_fn)dpi_lookup(user32, "SystemParametersInfoForDpi");
    /* shcore stays loaded for the process's life: GetDpiForMonitor is called until exit. */
    dpi_api.get_dpi_for_monitor = (get_dpi_for_monitor_fn)dpi_lookup(shcore, "GetDpiForMonitor");

    if (set_thread_ctx && set_thread_ctx(DPI_CTX_PER_MONITOR_V2))
        return;
    if (set_process_awareness) {
        /* E_ACCESSDENIED: the manifest already set the awareness, which is what we want. */
        HRESULT hr = set_process_awareness(DPI_PROCESS_PER_MONITOR);
        if (hr == S_OK || hr == E_ACCESSDENIED)
            return;
    }
    SetProcessDPIAware();
}

UINT dpi_for_window(HWND hwnd)
{
    UINT dpi = 0;

    if (hwnd && dpi_api.get_dpi_for_window)
        dpi = dpi_api.get_dpi_for_window(hwnd);
    if (!dpi && hwnd && dpi_api.get_dpi_for_monitor) {
        UINT x = 0, y = 0;
        HMONITOR mon = MonitorFromWindow(hwnd, MONITOR_DEFAULTTONEAREST);
        if (dpi_api.get_dpi_for_monitor(mon, DPI_MDT_EFFECTIVE, &x, &y) == S_OK)
            dpi = y;
    }
    if (!dpi) {
        HDC dc = GetDC(NULL);
        if (dc) {
            dpi = (UINT)GetDeviceCaps(dc, LOGPIXELSY);
            ReleaseDC(NULL, dc);
        }
    }
    return dpi ? dpi : USER_DEFAULT_SCREEN_DPI;
}

int dpi_scale(int px, UINT dpi)
{
    return MulDiv(px, (int)dpi, USER_DEFAULT_SCREEN_DPI);
}

BOOL dpi_adjust_window_rect(RECT *rc, DWORD style, BOOL menu, DWORD ex_style, UINT dpi)
{
    if (dpi_api.adjust_rect_for_dpi)
        return dpi_api.adjust_rect_for_dpi(rc, style, menu, ex_style, dpi);
    return AdjustWindowRectEx(rc, style, menu, ex_style);
}

HFONT dpi_create_message_font(UINT dpi)
{
    NONCLIENTMETRICSW ncm;

    ZeroMemory(&ncm, sizeof ncm);
    ncm.cbSize = sizeof ncm;
    if (dpi_api.spi_for_dpi && dpi_api.spi_for_dpi(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0, dpi))
        return CreateFontIndirectW(&ncm.lfMessageFont);
    if (!SystemParametersInfoW(SPI_GETNONCLIENTMETRICS, sizeof ncm, &ncm, 0))
        return NULL;
    /* Without the per-DPI query the metrics are at the system DPI: rescale the height. */
    {
        UINT system_dpi = dpi_for_window(NULL);
        ncm.lfMessageFont.lfHeight = MulDiv(ncm.lfMessageFont.lfHeight, (int)dpi, (int)system_dpi);
    }
    return CreateFontIndirectW(&ncm.lfMessageFont);
}
