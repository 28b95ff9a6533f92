/*
 * eventlist.c - the event list control. Rows will come from the event store; until a file can be
 * opened the list has none, but the owner-data protocol is in place so rows only need a source.
 */
#include "eventlist.h"

#include <uxtheme.h>

struct evl_column_def {
    const wchar_t *title;
    int width96;           /* at 96 DPI */
    int format;            /* LVCFMT_* */
};

static const struct evl_column_def evl_columns[EVL_COL_COUNT] = {
    { L"#",       64, LVCFMT_RIGHT },
    { L"Time",   120, LVCFMT_LEFT },
    { L"Process", 150, LVCFMT_LEFT },
    { L"TID",     56, LVCFMT_RIGHT },
    { L"CPU",     40, LVCFMT_RIGHT },
    { L"Event",  140, LVCFMT_LEFT },
    { L"Socket", 110, LVCFMT_LEFT },
    { L"Local",  150, LVCFMT_LEFT },
    { L"Remote", 150, LVCFMT_LEFT },
    { L"Status", 110, LVCFMT_LEFT },
    { L"Bytes",   70, LVCFMT_RIGHT },
    { L"Details", 420, LVCFMT_LEFT },
};

HWND evl_create(HWND parent, int id, UINT dpi)
{
    HWND list = CreateWindowExW(0, WC_LISTVIEWW, L"Events",
                                WS_CHILD | WS_VISIBLE | WS_TABSTOP | LVS_REPORT | LVS_OWNERDATA
                                    | LVS_SHOWSELALWAYS,
                                0, 0, 0, 0, parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);
    int i;

    if (!list)
        return NULL;
    SetWindowTheme(list, L"Explorer", NULL);
    ListView_SetExtendedListViewStyle(list, LVS_EX_DOUBLEBUFFER | LVS_EX_FULLROWSELECT
                                                | LVS_EX_HEADERDRAGDROP | LVS_EX_LABELTIP);
    for (i = 0; i < EVL_COL_COUNT; i++) {
        LVCOLUMNW col;
        ZeroMemory(&col, sizeof col);
        col.mask = LVCF_TEXT | LVCF_WIDTH | LVCF_FMT | LVCF_SUBITEM;
        col.fmt = evl_columns[i].format;
        col.cx = MulDiv(evl_columns[i].width96, (int)dpi, USER_DEFAULT_SCREEN_DPI);
        col.pszText = (wchar_t *)evl_columns[i].title;
        col.iSubItem = i;
        if (ListView_InsertColumn(list, i, &col) != i) {
            DestroyWindow(list);
            return NULL;
        }
    }
    ListView_SetItemCountEx(list, 0, LVSICF_NOINVALIDATEALL);
    return list;
}

LRESULT evl_on_notify(HWND list, const NMHDR *hdr)
{
    (void)list;
    switch (hdr->code) {
    case LVN_GETDISPINFOW: {
        /* No row exists yet, so any request is for a row that has gone: show an empty cell. */
        NMLVDISPINFOW *di = (NMLVDISPINFOW *)hdr;
        if ((di->item.mask & LVIF_TEXT) && di->item.pszText && di->item.cchTextMax > 0)
            di->item.pszText[0] = L'\0';
        return 0;
    }
    case LVN_ODFINDITEMW:
        return -1;                 /* type-to-find has nothing to match yet */
    default:
        return 0;
    }
}

void evl_rescale(HWND list, UINT old_dpi, UINT new_dpi)
{
    int i;

    if (old_dpi == new_dpi || old_dpi == 0)
        return;
    for (i = 0; i < EVL_COL_COUNT; i++) {
        int cx = ListView_GetColumnWidth(list, i);
        ListView_SetColumnWidth(list, i, MulDiv(cx, (int)new_dpi, (int)old_dpi));
    }
}
