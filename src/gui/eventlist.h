/*
 * eventlist.h - the event list: a virtual (owner-data) report ListView. Module prefix: evl_.
 *
 * The control never holds rows; it asks for each visible cell with LVN_GETDISPINFO. Column order is
 * fixed by enum evl_column (the GUI tests count the header items).
 */
#ifndef WSK_GUI_EVENTLIST_H
#define WSK_GUI_EVENTLIST_H

#include <windows.h>
#include <commctrl.h>

enum evl_column {
    EVL_COL_INDEX, EVL_COL_TIME, EVL_COL_PROCESS, EVL_COL_TID, EVL_COL_CPU, EVL_COL_EVENT,
    EVL_COL_SOCKET, EVL_COL_LOCAL, EVL_COL_REMOTE, EVL_COL_STATUS, EVL_COL_BYTES, EVL_COL_DETAILS,
    EVL_COL_COUNT
};

/* Create the list as child id of parent, its columns sized for dpi. NULL on failure. */
HWND evl_create(HWND parent, int id, UINT dpi);

/* The parent forwards the list's WM_NOTIFY here; returns the value WM_NOTIFY must return. */
LRESULT evl_on_notify(HWND list, const NMHDR *hdr);

/* Rescale the column widths (including ones the user dragged) from old_dpi to new_dpi. */
void evl_rescale(HWND list, UINT old_dpi, UINT new_dpi);

#endif
