/*
 * mainwnd.c - the main window. It owns its children (event list, status bar), their font and the
 * layout, and turns menu commands into actions. State hangs off GWLP_USERDATA, so nothing here is
 * global and a second window would be possible.
 *
 * Layout grows by panes: mw_layout gives the status bar its height and the rest to the event list;
 * the filter bar, socket table, detail pane and timeline will take their share there.
 */
#include "mainwnd.h"

#include <commctrl.h>
#include <stdlib.h>

#include "dpi.h"
#include "eventlist.h"
#include "resource.h"
#include "statusbar.h"
#include "theme.h"
#include "version.h"

/* Client size of a new window, at 96 DPI. */
#define MW_INITIAL_WIDTH96  1120
#define MW_INITIAL_HEIGHT96 640

typedef struct mw_state {
    HWND hwnd;
    HWND list;
    HWND status;
    HFONT font;            /* the message font at dpi, shared by the children */
    UINT dpi;
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

static void mw_layout(mw_state *s)
{
    RECT rc, bar;
    int bar_height = 0;

    GetClientRect(s->hwnd, &rc);
    if (mw_status_shown(s)) {
        sbar_layout(s->status, s->dpi);
        GetWindowRect(s->status, &bar);
        bar_height = bar.bottom - bar.top;
    }
    MoveWindow(s->list, 0, 0, rc.right, rc.bottom - bar_height > 0 ? rc.bottom - bar_height : 0, TRUE);
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

static BOOL mw_on_create(HWND hwnd, mw_state *s)
{
    s->hwnd = hwnd;
    s->dpi = dpi_for_window(hwnd);
    s->status = sbar_create(hwnd, IDC_STATUSBAR, s->dpi);
    s->list = evl_create(hwnd, IDC_EVENTLIST, s->dpi);
    if (!s->status || !s->list)
        return FALSE;
    mw_apply_font(s);
    theme_apply_title_bar(hwnd);
    return TRUE;
}

static void mw_on_dpi_changed(mw_state *s, UINT dpi, const RECT *suggested)
{
    UINT old = s->dpi;

    s->dpi = dpi;
    mw_apply_font(s);
    evl_rescale(s->list, old, dpi);
    SetWindowPos(s->hwnd, NULL, suggested->left, suggested->top, suggested->right - suggested->left,
                 suggested->bottom - suggested->top, SWP_NOZORDER | SWP_NOACTIVATE);
    mw_layout(s);
}

static void mw_on_command(mw_state *s, int id)
{
    switch (id) {
    case IDM_FILE_EXIT:
        DestroyWindow(s->hwnd);
        break;
    case IDM_VIEW_STATUSBAR:
        mw_toggle_status_bar(s);
        break;
    case IDM_HELP_ABOUT:
        mw_about(s->hwnd);
        break;
    default:
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
        if (s && ((const NMHDR *)lp)->hwndFrom == s->list)
            return evl_on_notify(s->list, (const NMHDR *)lp);
        break;
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
        PostQuitMessage(0);
        return 0;
    case WM_NCDESTROY:
        if (s) {
            if (s->font)
                DeleteObject(s->font);
            free(s);
            SetWindowLongPtrW(hwnd, GWLP_USERDATA, 0);
        }
        break;
    default:
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
    ShowWindow(hwnd, show);
    UpdateWindow(hwnd);
    return hwnd;
}
