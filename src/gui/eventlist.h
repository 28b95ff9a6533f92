/*
 * eventlist.h - the event list: a virtual (owner-data) report ListView. Module prefix: evl_.
 *
 * The control never holds rows; it asks for each visible cell with LVN_GETDISPINFO. enum evl_column
 * names a column whatever the list shows: columns.c removes hidden ones from the control and keeps the
 * model's column_of (the control's column index -> evl_column) in step (the GUI tests count the header items).
 */
#ifndef WSK_GUI_EVENTLIST_H
#define WSK_GUI_EVENTLIST_H

#include <windows.h>
#include <commctrl.h>

#include "trace.h"

enum evl_column {
    EVL_COL_INDEX, EVL_COL_TIME, EVL_COL_PROCESS, EVL_COL_TID, EVL_COL_CPU, EVL_COL_EVENT,
    EVL_COL_SOCKET, EVL_COL_LOCAL, EVL_COL_REMOTE, EVL_COL_STATUS, EVL_COL_BYTES, EVL_COL_DETAILS,
    EVL_COL_COUNT
};

enum evl_time_format { EVL_TIME_OF_DAY, EVL_TIME_SINCE_FIRST, EVL_TIME_DELTA };

#define EVL_CACHE_ROWS 160
#define EVL_DETAILS_CAP 512

/* What the list shows: the rows of a trace through a view (filtered, sorted), owned by the main
 * window. Details are decoded for the rows LVN_ODCACHEHINT announces, not once per repaint. */
typedef struct evl_model {
    trc_trace *trace;            /* NULL: no file */
    const uint32_t *rows;        /* the view; NULL: every row in store order */
    int ascending;               /* rows are in store order (filtered, not sorted): bisection finds a row */
    uint64_t count;              /* rows in the view (store order: the count last published) */
    int time_format;             /* enum evl_time_format */
    etl_zone zone;
    int column_of[EVL_COL_COUNT]; /* the control's column i shows evl_column column_of[i] (columns.c) */
    int columns;                 /* how many the control has; 0: every evl_column in enum order */
    int off_ui;                  /* a job's copy of the model: details only through reader (trc_decode_row) */
    etl_file *reader;            /* the job's own reader (NULL: none, e.g. a capture's rows need none) */
    uint64_t cache_from;         /* positions [cache_from, cache_from + cache_count) are decoded */
    uint32_t cache_count;
    wchar_t cache[EVL_CACHE_ROWS][EVL_DETAILS_CAP];
} evl_model;

/* Store row shown at view position pos. */
uint64_t evl_row_at(const evl_model *m, uint64_t pos);
/* View position of store row, or -1 when the view does not show it. */
int64_t evl_position_of(const evl_model *m, uint64_t row);
/* The model changed (rows, trace, time format): forget decoded details and repaint. */
void evl_model_changed(HWND list, evl_model *m);
/* Only the cells' text changed (a reader came), not the rows: the same without setting the list's count,
 * which costs ~10 ms under Wine once the list holds millions of rows. */
void evl_cells_changed(HWND list, evl_model *m);
/* Text of one cell (UTF-16), as the list shows it; column is an enum evl_column. */
void evl_cell_text(evl_model *m, uint64_t pos, int column, wchar_t *out, size_t cap);
/* The evl_column the control's column list_column shows, or -1. */
int evl_column_at(const evl_model *m, int list_column);
/* A column's header text, width at 96 DPI and LVCFMT_* alignment. */
const wchar_t *evl_column_title(int column);
int evl_column_width96(int column);
int evl_column_format(int column);
/* The Status cell of a row: NTSTATUS name, abort or drop reason name, or the number (UTF-8). */
void evl_status_text(const store_row *r, char *buf, size_t cap);
/* "name (pid)" of a process as the trace names it (the name only once the trace is loaded). */
void evl_process_text(const trc_trace *t, uint32_t pid, wchar_t *out, size_t cap);

/* A report list's column, as the window's three lists (events, sockets, a socket's history) declare them. */
typedef struct evl_column_def {
    const wchar_t *title;
    int width96; /* at 96 DPI */
    int format;  /* LVCFMT_* */
} evl_column_def;

/* The look the window's lists share (Explorer theme, double buffering, full-row selection, label tips, plus
 * extra_ex) and their n columns sized for dpi. FALSE when a column could not be added. */
BOOL evl_setup_list(HWND list, const evl_column_def *cols, int n, UINT dpi, DWORD extra_ex);

/* Create the list as child id of parent, its columns sized for dpi. NULL on failure. */
HWND evl_create(HWND parent, int id, UINT dpi);

/* The parent forwards the list's WM_NOTIFY here; returns the value WM_NOTIFY must return. */
LRESULT evl_on_notify(HWND list, evl_model *m, const NMHDR *hdr);

/* Rescale any report list's column widths (including ones the user dragged) from old_dpi to new_dpi. */
void evl_rescale(HWND list, UINT old_dpi, UINT new_dpi);

#endif
