/*
 * columns.c - the event list's column chooser (see columns.h).
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* _snwprintf: its length is checked here */
#endif
#include "columns.h"

#include <stdio.h>
#include <string.h>

#include "resource.h"
#include "settings.h"

#define COL_SECTION L"columns"
#define COL_SUBCLASS 1
#define COL_MENU_MORE 100

static int col_scaled(int width96, UINT dpi)
{
    return MulDiv(width96, (int)dpi, USER_DEFAULT_SCREEN_DPI);
}

/* control index of every evl_column the list has, -1 for the others */
static void col_indexes(const evl_model *m, HWND list, int *idx)
{
    int n = Header_GetItemCount(ListView_GetHeader(list)), i;

    for (i = 0; i < EVL_COL_COUNT; i++)
        idx[i] = -1;
    for (i = 0; i < n; i++) {
        int col = evl_column_at(m, i);
        if (col >= 0)
            idx[col] = i;
    }
}

static void col_defaults(col_state *c)
{
    int i;

    for (i = 0; i < EVL_COL_COUNT; i++) {
        c->shown[i] = TRUE;
        c->width96[i] = evl_column_width96(i);
        c->order[i] = i;
    }
}

static int col_by_title(const wchar_t *name, size_t len)
{
    int i;

    for (i = 0; i < EVL_COL_COUNT; i++)
        if (wcslen(evl_column_title(i)) == len && _wcsnicmp(evl_column_title(i), name, len) == 0)
            return i;
    return -1;
}

void col_load(col_state *c)
{
    wchar_t text[1024], *p = text;
    int seen[EVL_COL_COUNT], k = 0, i;

    col_defaults(c);
    if (!set_get_text(COL_SECTION, L"Layout", text, 1024))
        return;
    memset(seen, 0, sizeof seen);
    /* "Time:120,-Process:150,...": what the file lacks or gets wrong keeps its default. */
    while (*p) {
        wchar_t *end = wcschr(p, L','), *colon;
        size_t len;
        BOOL hidden = *p == L'-';
        int col;
        if (!end)
            end = p + wcslen(p);
        if (hidden)
            p++;
        colon = wcschr(p, L':');
        if (!colon || colon > end)
            colon = end;
        len = (size_t)(colon - p);
        col = col_by_title(p, len);
        if (col >= 0 && !seen[col]) {
            seen[col] = 1;
            c->order[k++] = col;
            c->shown[col] = !hidden || col == EVL_COL_INDEX;
            if (colon < end) {
                int w = _wtoi(colon + 1);
                if (w >= 0 && w <= 4000)
                    c->width96[col] = w;
            }
        }
        p = *end ? end + 1 : end;
    }
    for (i = 0; i < EVL_COL_COUNT; i++)
        if (!seen[i])
            c->order[k++] = i;
}

void col_capture(HWND list, const evl_model *m, col_state *c, UINT dpi)
{
    int n = Header_GetItemCount(ListView_GetHeader(list)), order[EVL_COL_COUNT], seq[EVL_COL_COUNT];
    int idx[EVL_COL_COUNT], merged[EVL_COL_COUNT], i, j = 0, k = 0;

    if (n <= 0 || n > EVL_COL_COUNT || dpi == 0)
        return;
    col_indexes(m, list, idx);
    for (i = 0; i < n; i++) {
        int col = evl_column_at(m, i);
        if (col >= 0)
            c->width96[col] = MulDiv(ListView_GetColumnWidth(list, i), USER_DEFAULT_SCREEN_DPI, (int)dpi);
    }
    if (!ListView_GetColumnOrderArray(list, n, order))
        return;
    for (i = 0; i < n; i++)
        seq[i] = evl_column_at(m, order[i]);
    /* The list's columns take the places of the list's columns in the old order, in their new order;
     * the hidden ones stay where they were. */
    for (i = 0; i < EVL_COL_COUNT; i++) {
        int col = c->order[i];
        merged[k++] = idx[col] >= 0 && j < n ? seq[j++] : col;
    }
    for (i = 0; i < EVL_COL_COUNT; i++)
        if (merged[i] < 0)
            return; /* the list does not match the model: keep the old order */
    memcpy(c->order, merged, sizeof merged);
}

BOOL col_save(HWND list, const evl_model *m, col_state *c, UINT dpi)
{
    wchar_t text[1024];
    size_t len = 0;
    int i;

    col_capture(list, m, c, dpi);
    text[0] = L'\0';
    for (i = 0; i < EVL_COL_COUNT; i++) {
        int col = c->order[i];
        int n = _snwprintf(text + len, 1024 - len, L"%ls%ls%ls:%d", i ? L"," : L"", c->shown[col] ? L"" : L"-",
                           evl_column_title(col), c->width96[col]);
        if (n < 0 || (size_t)n >= 1024 - len)
            return FALSE;
        len += (size_t)n;
    }
    return set_put_text(COL_SECTION, L"Layout", text);
}

void col_apply(HWND list, evl_model *m, const col_state *c, UINT dpi)
{
    HWND header = ListView_GetHeader(list);
    int idx[EVL_COL_COUNT], order[EVL_COL_COUNT], n = 1, k = 0, col, i;

    SendMessageW(list, WM_SETREDRAW, FALSE, 0);
    /* # is the control's column 0 for good (a list view's first column cannot be taken out cleanly). */
    while (Header_GetItemCount(header) > 1)
        ListView_DeleteColumn(list, Header_GetItemCount(header) - 1);
    ListView_SetColumnWidth(list, 0, col_scaled(c->width96[EVL_COL_INDEX], dpi));
    m->column_of[0] = EVL_COL_INDEX;
    idx[EVL_COL_INDEX] = 0;
    for (col = 1; col < EVL_COL_COUNT; col++) {
        LVCOLUMNW lc;
        idx[col] = -1;
        if (!c->shown[col])
            continue;
        ZeroMemory(&lc, sizeof lc);
        lc.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_FMT | LVCF_SUBITEM;
        lc.fmt = evl_column_format(col);
        lc.cx = col_scaled(c->width96[col], dpi);
        lc.pszText = (wchar_t *)evl_column_title(col);
        lc.iSubItem = n;
        if (ListView_InsertColumn(list, n, &lc) != n)
            continue;
        m->column_of[n] = col;
        idx[col] = n++;
    }
    m->columns = n;
    for (i = 0; i < EVL_COL_COUNT; i++)
        if (idx[c->order[i]] >= 0)
            order[k++] = idx[c->order[i]];
    if (k == n)
        ListView_SetColumnOrderArray(list, k, order);
    SendMessageW(list, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(list, NULL, TRUE);
}

int col_shown_in_order(HWND list, const evl_model *m, int *out)
{
    int n = Header_GetItemCount(ListView_GetHeader(list)), order[EVL_COL_COUNT], i, k = 0;

    if (n <= 0 || n > EVL_COL_COUNT)
        return 0;
    if (!ListView_GetColumnOrderArray(list, n, order))
        for (i = 0; i < n; i++)
            order[i] = i;
    for (i = 0; i < n; i++) {
        int col = evl_column_at(m, order[i]);
        if (col >= 0)
            out[k++] = col;
    }
    return k;
}

void col_set_sort_arrow(HWND list, const evl_model *m, int column, int descending)
{
    HWND header = ListView_GetHeader(list);
    int n = Header_GetItemCount(header), i;
    HDITEMW hd;

    for (i = 0; i < n; i++) {
        hd.mask = HDI_FORMAT;
        if (!Header_GetItem(header, i, &hd))
            continue;
        hd.fmt &= ~(HDF_SORTUP | HDF_SORTDOWN);
        if (column >= 0 && evl_column_at(m, i) == column)
            hd.fmt |= descending ? HDF_SORTDOWN : HDF_SORTUP;
        Header_SetItem(header, i, &hd);
    }
}

static LRESULT CALLBACK col_header_proc(HWND header, UINT msg, WPARAM wp, LPARAM lp, UINT_PTR id, DWORD_PTR ref)
{
    col_state *c = (col_state *)ref;
    HWND owner = GetParent(GetParent(header));
    LRESULT r;
    POINT pt;

    switch (msg) {
    case WM_CONTEXTMENU:
        c->menu_pending = FALSE;
        SendMessageW(owner, WM_CONTEXTMENU, (WPARAM)header, lp);
        return 0;
    case WM_RBUTTONUP:
        c->menu_pending = TRUE;
        r = DefSubclassProc(header, msg, wp, lp); /* Windows sends WM_CONTEXTMENU from in here */
        if (c->menu_pending) {
            c->menu_pending = FALSE;
            pt.x = (short)LOWORD(lp);
            pt.y = (short)HIWORD(lp);
            ClientToScreen(header, &pt);
            SendMessageW(owner, WM_CONTEXTMENU, (WPARAM)header, MAKELPARAM(pt.x, pt.y));
        }
        return r;
    case WM_NCDESTROY:
        RemoveWindowSubclass(header, col_header_proc, id);
        break;
    default:
        break;
    }
    return DefSubclassProc(header, msg, wp, lp);
}

void col_attach(HWND list, col_state *c)
{
    SetWindowSubclass(ListView_GetHeader(list), col_header_proc, COL_SUBCLASS, (DWORD_PTR)c);
}

BOOL col_menu(HWND owner, HWND list, evl_model *m, col_state *c, UINT dpi, POINT pt)
{
    HMENU menu = CreatePopupMenu();
    int i, cmd;

    if (!menu)
        return FALSE;
    col_capture(list, m, c, dpi);
    for (i = 0; i < EVL_COL_COUNT; i++)
        AppendMenuW(menu, MF_STRING | (c->shown[i] ? MF_CHECKED : 0) | (i == EVL_COL_INDEX ? MF_GRAYED : 0),
                    (UINT_PTR)(i + 1), evl_column_title(i));
    AppendMenuW(menu, MF_SEPARATOR, 0, NULL);
    AppendMenuW(menu, MF_STRING, COL_MENU_MORE, L"&Columns...");
    cmd = (int)TrackPopupMenu(menu, TPM_RETURNCMD | TPM_RIGHTBUTTON, pt.x, pt.y, 0, owner, NULL);
    DestroyMenu(menu);
    if (cmd == COL_MENU_MORE)
        return col_dialog(owner, list, m, c, dpi);
    if (cmd <= EVL_COL_INDEX + 1 || cmd > EVL_COL_COUNT)
        return FALSE;
    c->shown[cmd - 1] = !c->shown[cmd - 1];
    col_apply(list, m, c, dpi);
    return TRUE;
}

/* ---- View > Columns... -------------------------------------------------------------------------- */

typedef struct col_dlg {
    col_state *c;
    col_state edit; /* what the dialog shows; copied to *c on OK */
} col_dlg;

static void col_dlg_fill(HWND dlg, const col_state *c)
{
    HWND lv = GetDlgItem(dlg, IDC_COLUMNS_LIST);
    int i, row = 0;

    ListView_DeleteAllItems(lv);
    for (i = 0; i < EVL_COL_COUNT; i++) {
        LVITEMW it;
        int col = c->order[i];
        if (col == EVL_COL_INDEX)
            continue; /* always shown */
        ZeroMemory(&it, sizeof it);
        it.mask = LVIF_TEXT | LVIF_PARAM;
        it.iItem = row;
        it.pszText = (wchar_t *)evl_column_title(col);
        it.lParam = col;
        if (ListView_InsertItem(lv, &it) < 0)
            continue;
        ListView_SetCheckState(lv, row, c->shown[col]);
        row++;
    }
}

static INT_PTR CALLBACK col_dlg_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    col_dlg *d = (col_dlg *)GetWindowLongPtrW(dlg, DWLP_USER);

    switch (msg) {
    case WM_INITDIALOG: {
        HWND lv = GetDlgItem(dlg, IDC_COLUMNS_LIST);
        LVCOLUMNW lc;
        RECT rc;
        SetWindowLongPtrW(dlg, DWLP_USER, lp);
        d = (col_dlg *)lp;
        ListView_SetExtendedListViewStyle(lv, LVS_EX_CHECKBOXES | LVS_EX_FULLROWSELECT);
        GetClientRect(lv, &rc);
        ZeroMemory(&lc, sizeof lc);
        lc.mask = LVCF_WIDTH;
        lc.cx = rc.right - GetSystemMetrics(SM_CXVSCROLL);
        ListView_InsertColumn(lv, 0, &lc);
        col_dlg_fill(dlg, &d->edit);
        return TRUE;
    }
    case WM_COMMAND:
        if (LOWORD(wp) == IDC_COLUMNS_RESET) {
            int i;
            for (i = 0; i < EVL_COL_COUNT; i++) {
                d->edit.shown[i] = TRUE;
                d->edit.width96[i] = evl_column_width96(i);
                d->edit.order[i] = i;
            }
            col_dlg_fill(dlg, &d->edit);
            return TRUE;
        }
        if (LOWORD(wp) == IDOK) {
            HWND lv = GetDlgItem(dlg, IDC_COLUMNS_LIST);
            int n = ListView_GetItemCount(lv), i;
            for (i = 0; i < n; i++) {
                LVITEMW it;
                ZeroMemory(&it, sizeof it);
                it.mask = LVIF_PARAM;
                it.iItem = i;
                if (ListView_GetItem(lv, &it) && it.lParam > EVL_COL_INDEX && it.lParam < EVL_COL_COUNT)
                    d->edit.shown[it.lParam] = ListView_GetCheckState(lv, i) != 0;
            }
            *d->c = d->edit;
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

BOOL col_dialog(HWND owner, HWND list, evl_model *m, col_state *c, UINT dpi)
{
    col_dlg d;

    col_capture(list, m, c, dpi);
    d.c = c;
    d.edit = *c;
    if (DialogBoxParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_COLUMNS), owner, col_dlg_proc, (LPARAM)&d)
        != IDOK)
        return FALSE;
    col_apply(list, m, c, dpi);
    return TRUE;
}
