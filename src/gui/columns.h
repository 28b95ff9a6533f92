/*
 * columns.h - the event list's column chooser: which columns are shown, their order and widths, from
 * View > Columns... or a right click on the header, kept in the settings file ([columns] Layout: the
 * columns in display order as Name:width at 96 DPI, hidden ones marked with '-'). Module prefix: col_.
 *
 * A hidden column is removed from the control (# always stays, as the control's column 0); the others
 * are inserted in enum evl_column order with iSubItem equal to their index, and the display order the
 * user dragged is LVM_SETCOLUMNORDERARRAY's. evl_model.column_of maps the control's index back to the
 * evl_column, which cells, sorting, the cell menu and Copy go through.
 */
#ifndef WSK_GUI_COLUMNS_H
#define WSK_GUI_COLUMNS_H

#include <windows.h>

#include "eventlist.h"

typedef struct col_state {
    BOOL shown[EVL_COL_COUNT];
    int width96[EVL_COL_COUNT]; /* kept for hidden columns too, so showing one brings its width back */
    int order[EVL_COL_COUNT];   /* every evl_column in display order, hidden ones where they were */
    BOOL menu_pending;          /* the header's right button went up and no WM_CONTEXTMENU came yet */
} col_state;

/* Defaults, then what the settings file says. */
void col_load(col_state *c);
/* Takes the list's widths and order into c (col_capture) and writes c to the settings file. */
BOOL col_save(HWND list, const evl_model *m, col_state *c, UINT dpi);
/* Widths (at 96 DPI) and order the user gave the list since the last col_apply, into c. */
void col_capture(HWND list, const evl_model *m, col_state *c, UINT dpi);
/* Makes the list show c at dpi: removes and inserts columns, sets widths and order, m->column_of. */
void col_apply(HWND list, evl_model *m, const col_state *c, UINT dpi);
/* The shown columns in display order (what Copy writes); returns how many. */
int col_shown_in_order(HWND list, const evl_model *m, int *out);
/* The sort arrow on the header item of evl_column column (-1: none). */
void col_set_sort_arrow(HWND list, const evl_model *m, int column, int descending);
/* A right click on the list's header sends the list's parent WM_CONTEXTMENU with the header as its window
 * (Windows makes one from the click; Wine's header does not, so the click itself does then); c must live
 * as long as the list. */
void col_attach(HWND list, col_state *c);
/* The header's context menu at screen point pt: a check mark per column (choosing one shows or hides
 * it) and "Columns...". TRUE when the columns changed. */
BOOL col_menu(HWND owner, HWND list, evl_model *m, col_state *c, UINT dpi, POINT pt);
/* View > Columns...: the dialog. TRUE when the columns changed. */
BOOL col_dialog(HWND owner, HWND list, evl_model *m, col_state *c, UINT dpi);

#endif
