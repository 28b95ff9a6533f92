/*
 * viewjob.h - work over the rows the event list shows, off the UI thread: File > Export Events (CSV or
 * JSON Lines, the bytes `wskdump events` writes) and Edit > Copy of the selected rows (the shown columns,
 * tab-separated). Module prefix: vj_.
 *
 * A job copies what it needs from the UI (the view's rows, the selected positions, the shown columns)
 * and has its own reader of the trace (an etl_open_shared copy of the loader's: no second walk of the
 * file), so the UI may change the view, the filter or the columns while it works. It reports progress through vj_progress_permille (the UI polls it on a timer) and its end
 * as VJ_MSG_DONE (wParam the job's serial, lParam a vj_result the receiver frees with vj_result_free).
 */
#ifndef WSK_GUI_VIEWJOB_H
#define WSK_GUI_VIEWJOB_H

#include <windows.h>

#include "eventlist.h"
#include "trace.h"

#define VJ_MSG_DONE (WM_APP + 30)

/* The most text one copy makes (UTF-16 bytes): above it the copy stops with a message that says so. */
#define VJ_COPY_MAX_BYTES ((uint64_t)512 << 20)

enum vj_kind { VJ_EXPORT_CSV, VJ_EXPORT_JSONL, VJ_COPY };

typedef struct vj_result {
    UINT serial;
    int kind;        /* enum vj_kind */
    int failed;      /* could not write the file, read the trace or get memory: error says why */
    int capped;      /* a copy that reached VJ_COPY_MAX_BYTES: rows says how many it holds */
    uint64_t rows;   /* rows written or copied */
    HGLOBAL text;    /* a copy's CF_UNICODETEXT block (the receiver gives it to the clipboard or frees it) */
    char error[300];
} vj_result;

typedef struct vj_job vj_job;

/* Export: the view's rows (rows NULL: store order, n rows) into path (UTF-16). The trace must be done
 * loading and outlive the job. NULL when out of memory or no thread could start. */
vj_job *vj_export_start(trc_trace *t, const uint32_t *rows, uint64_t n, const wchar_t *path, int jsonl,
                        HWND notify, UINT serial);
/* Copy: a header line and the rows at view positions positions[0..npos) (NULL: every position of the
 * view), each cell of the shown columns as view shows it (time format, zone), tab-separated, CRLF. */
vj_job *vj_copy_start(trc_trace *t, const evl_model *view, const uint32_t *positions, uint64_t npos,
                      const int *columns, int ncolumns, HWND notify, UINT serial);
/* Rows done so far, in permille. */
unsigned vj_progress_permille(vj_job *j);
/* Cancels, joins and frees (NULL is fine); a result already posted is still delivered. */
void vj_stop(vj_job *j);
void vj_result_free(vj_result *r);

#endif
