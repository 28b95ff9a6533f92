/*
 * worker.h - filtering, sorting and searching the event list off the UI thread. Module prefix: wrk_.
 *
 * A job selects the rows a filter matches and sorts them; its result (an array of row indices) is
 * posted to the notify window as WRK_MSG_DONE (wParam the job's serial, lParam a wrk_result the
 * receiver frees with wrk_result_free). Filtering or sorting 10 M rows takes about half a second,
 * which the UI thread must never spend. Given the timeline's index, the job also turns the rows it
 * selected into the timeline's filter (tl_filter_build), so the rows are selected once for both.
 */
#ifndef WSK_GUI_WORKER_H
#define WSK_GUI_WORKER_H

#include <windows.h>

#include <wsk/filt.h>
#include <wsk/rows.h>
#include <wsk/tl.h>

#include "trace.h"

#define WRK_MSG_DONE (WM_APP + 4)
#define WRK_MSG_FOUND (WM_APP + 6)    /* wParam: the find's serial; lParam: view position found, -1 none */
#define WRK_MSG_EXPORTED (WM_APP + 7) /* wParam: the export's serial; lParam: sockets written, -1 failed */

typedef struct wrk_result {
    UINT serial;
    uint32_t *rows;
    uint64_t count;
    int failed; /* out of memory: rows is NULL */
    tl_filter *timeline; /* the filter's effect on the timeline index given, NULL without a filter or index */
    int live;            /* wrk_start_live's: rows to append to the view */
    uint64_t end;        /* wrk_start_live's: store rows before end were looked at */
} wrk_result;

typedef struct wrk_job wrk_job;

/* Starts a job over the trace's rows (the trace must be done loading). filter (may be NULL: every
 * row) becomes the job's; sort_column -1 keeps store order. timeline (may be NULL) is the timeline's
 * index of this trace: it must outlive the job (stop the job before the index goes). previous (may be
 * NULL), the job this one replaces, is stopped by the new job's thread before it starts: a sort cannot
 * be interrupted, and the UI thread must not wait for one nobody wants any more. NULL when no thread
 * could start (the filter is then freed and previous stopped here). */
wrk_job *wrk_start(trc_trace *t, filt *filter, const tl *timeline, int sort_column, int descending,
                   HWND notify, UINT serial, wrk_job *previous);
/* While capturing: the store rows from `from` to the count published now that filter matches, in store order
 * (the receiver appends them to its view), with the socket model read under the capture's lock one slice at
 * a time (the consumer waits for a slice, never the UI thread). Otherwise as wrk_start. */
wrk_job *wrk_start_live(trc_trace *t, filt *filter, uint64_t from, HWND notify, UINT serial, wrk_job *previous);
/* Cancels, joins and frees a job (its thread has stopped the one it replaced); its result, if already
 * posted, is still delivered and must be freed. */
void wrk_stop(wrk_job *j);
void wrk_result_free(wrk_result *r);

/*
 * Find: the next view position after from (before it when backward), wrapping once, whose row shows
 * text (rows_text_matches: event name, fields, status, process, addresses). The job copies the view
 * (rows NULL: store order, n rows) and has its own reader (an etl_open_shared copy of the loader's), so
 * it shares nothing the UI or a filter job changes; the trace must be done loading (or be a capture: the
 * job then reads the socket model under the capture's lock, a slice at a time) and outlive the job. Posts
 * WRK_MSG_FOUND.
 */
typedef struct wrk_find wrk_find;
wrk_find *wrk_find_start(trc_trace *t, const uint32_t *rows, uint64_t n, uint64_t from, int backward,
                         const char *text, HWND notify, UINT serial);
void wrk_find_stop(wrk_find *f);

/* Export: every socket of the trace (done loading), as `wskdump sockets` writes them (export.h), into
 * path (UTF-16), as CSV with its header line or as JSON Lines. Posts WRK_MSG_EXPORTED. */
typedef struct wrk_export wrk_export;
wrk_export *wrk_export_start(trc_trace *t, const wchar_t *path, int jsonl, HWND notify, UINT serial);
void wrk_export_stop(wrk_export *e);

#endif
