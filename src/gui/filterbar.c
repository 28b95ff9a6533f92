/*
 * filterbar.c - the filter bar (see filterbar.h). The combo box's edit is subclassed for Enter and
 * Esc, which an edit in a combo box otherwise swallows (or hands to the dialog manager).
 */
#include "filterbar.h"

#include <commctrl.h>

#include "dpi.h"

#define FBAR_HISTORY 20
#define FBAR_SUBCLASS_ID 1

typedef struct fbar_cmds {
    HWND parent;
    int apply, clear;
} fbar_cmds;

static LRESULT CALLBACK fbar_edit_proc(HWND hwnd, UINT msg, WPARAM wp, LPARAM lp, UINT_PTR id, DWORD_PTR data)
{
    const fbar_cmds *c = (const fbar_cmds *)data;

    switch (msg) {
    case WM_KEYDOWN:
        if (wp == VK_RETURN || wp == VK_ESCAPE) {
            PostMessageW(c->parent, WM_COMMAND, MAKEWPARAM(wp == VK_RETURN ? c->apply : c->clear, 0), 0);
            return 0;
        }
        break;
    case WM_CHAR:
        if (wp == L'\r' || wp == 27)
            return 0; /* no beep for the keys handled above */
        break;
    case WM_GETDLGCODE:
        return DefSubclassProc(hwnd, msg, wp, lp) | DLGC_WANTALLKEYS;
    case WM_NCDESTROY:
        RemoveWindowSubclass(hwnd, fbar_edit_proc, id);
        HeapFree(GetProcessHeap(), 0, (void *)data);
        break;
    default:
        break;
    }
    return DefSubclassProc(hwnd, msg, wp, lp);
}

BOOL fbar_create(fbar *b, HWND parent, int id_combo, int id_clear, int id_error, int cmd_apply, int cmd_clear)
{
    HINSTANCE inst = GetModuleHandleW(NULL);
    fbar_cmds *c;
    COMBOBOXINFO ci;

    b->label = CreateWindowExW(0, L"STATIC", L"Filter:", WS_CHILD | WS_VISIBLE | SS_CENTERIMAGE | SS_RIGHT, 0,
                               0, 0, 0, parent, NULL, inst, NULL);
    b->combo =
        CreateWindowExW(0, WC_COMBOBOXW, L"",
                        WS_CHILD | WS_VISIBLE | WS_TABSTOP | WS_VSCROLL | CBS_DROPDOWN | CBS_AUTOHSCROLL, 0,
                        0, 0, 0, parent, (HMENU)(INT_PTR)id_combo, inst, NULL);
    b->clear = CreateWindowExW(0, L"BUTTON", L"Show all", WS_CHILD | WS_VISIBLE | WS_TABSTOP | BS_PUSHBUTTON,
                               0, 0, 0, 0, parent, (HMENU)(INT_PTR)id_clear, inst, NULL);
    b->error = CreateWindowExW(0, L"STATIC", L"",
                               WS_CHILD | WS_VISIBLE | SS_CENTERIMAGE | SS_LEFTNOWORDWRAP | SS_ENDELLIPSIS, 0,
                               0, 0, 0, parent, (HMENU)(INT_PTR)id_error, inst, NULL);
    if (!b->label || !b->combo || !b->clear || !b->error)
        return FALSE;
    ci.cbSize = sizeof ci;
    b->edit = GetComboBoxInfo(b->combo, &ci) ? ci.hwndItem : NULL;
    c = (fbar_cmds *)HeapAlloc(GetProcessHeap(), 0, sizeof *c);
    if (!b->edit || !c)
        return FALSE;
    c->parent = parent;
    c->apply = cmd_apply;
    c->clear = cmd_clear;
    SendMessageW(b->edit, EM_SETCUEBANNER, TRUE,
                 (LPARAM)L"e.g. status != success or remote.port == 443 (Enter applies, Esc clears)");
    if (!SetWindowSubclass(b->edit, fbar_edit_proc, FBAR_SUBCLASS_ID, (DWORD_PTR)c)) {
        HeapFree(GetProcessHeap(), 0, c);
        return FALSE;
    }
    return TRUE;
}

void fbar_set_font(fbar *b, HFONT font)
{
    SendMessageW(b->label, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(b->combo, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(b->clear, WM_SETFONT, (WPARAM)font, TRUE);
    SendMessageW(b->error, WM_SETFONT, (WPARAM)font, TRUE);
}

int fbar_layout(fbar *b, int x, int y, int width, UINT dpi, HFONT font)
{
    RECT rc;
    int pad = dpi_scale(4, dpi), label = dpi_scale(40, dpi), button = dpi_scale(72, dpi);
    int combo_w = width * 11 / 20, h, cx;
    HDC dc = GetDC(b->combo);
    TEXTMETRICW tm;

    /* The combo box sets its own height from its font; the bar is as tall as that plus padding. */
    SetWindowPos(b->combo, NULL, 0, 0, combo_w, dpi_scale(200, dpi),
                 SWP_NOZORDER | SWP_NOMOVE | SWP_NOACTIVATE);
    GetWindowRect(b->combo, &rc);
    h = rc.bottom - rc.top;
    if (dc) {
        HGDIOBJ old = SelectObject(dc, font);
        if (GetTextMetricsW(dc, &tm) && (int)tm.tmHeight + pad > h)
            h = (int)tm.tmHeight + pad;
        SelectObject(dc, old);
        ReleaseDC(b->combo, dc);
    }
    cx = x + pad;
    MoveWindow(b->label, cx, y + pad, label, h, TRUE);
    cx += label + pad;
    SetWindowPos(b->combo, NULL, cx, y + pad, combo_w, dpi_scale(200, dpi), SWP_NOZORDER | SWP_NOACTIVATE);
    cx += combo_w + pad;
    MoveWindow(b->clear, cx, y + pad, button, h, TRUE);
    cx += button + pad;
    MoveWindow(b->error, cx, y + pad, x + width - cx - pad > 0 ? x + width - cx - pad : 0, h, TRUE);
    return h + 2 * pad;
}

void fbar_text(const fbar *b, char *out, size_t cap)
{
    wchar_t wide[1024];

    GetWindowTextW(b->combo, wide, 1024);
    if (!WideCharToMultiByte(CP_UTF8, 0, wide, -1, out, (int)cap, NULL, NULL))
        out[0] = '\0';
    out[cap - 1] = '\0';
}

void fbar_set_text(fbar *b, const char *utf8)
{
    wchar_t wide[1024];

    if (!MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, 1024))
        wide[0] = L'\0';
    wide[1023] = L'\0';
    SetWindowTextW(b->combo, wide);
}

void fbar_remember(fbar *b, const char *utf8)
{
    wchar_t wide[1024];
    LRESULT at;

    if (!utf8[0] || !MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, 1024))
        return;
    wide[1023] = L'\0';
    at = SendMessageW(b->combo, CB_FINDSTRINGEXACT, (WPARAM)-1, (LPARAM)wide);
    if (at != CB_ERR)
        SendMessageW(b->combo, CB_DELETESTRING, (WPARAM)at, 0);
    SendMessageW(b->combo, CB_INSERTSTRING, 0, (LPARAM)wide);
    while (SendMessageW(b->combo, CB_GETCOUNT, 0, 0) > FBAR_HISTORY)
        SendMessageW(b->combo, CB_DELETESTRING, FBAR_HISTORY, 0);
    SetWindowTextW(b->combo, wide);
}

BOOL fbar_history_at(const fbar *b, int i, wchar_t *out, size_t cap)
{
    LRESULT len = SendMessageW(b->combo, CB_GETLBTEXTLEN, (WPARAM)i, 0);

    if (len == CB_ERR || (size_t)len >= cap)
        return FALSE;
    return SendMessageW(b->combo, CB_GETLBTEXT, (WPARAM)i, (LPARAM)out) != CB_ERR;
}

void fbar_history_add(fbar *b, const wchar_t *text)
{
    if (text[0] && SendMessageW(b->combo, CB_GETCOUNT, 0, 0) < FBAR_HISTORY)
        SendMessageW(b->combo, CB_ADDSTRING, 0, (LPARAM)text);
}

void fbar_set_error(fbar *b, const char *utf8)
{
    wchar_t wide[512];

    if (!utf8 || !MultiByteToWideChar(CP_UTF8, 0, utf8, -1, wide, 512))
        wide[0] = L'\0';
    wide[511] = L'\0';
    SetWindowTextW(b->error, wide);
}
