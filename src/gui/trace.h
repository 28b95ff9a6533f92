/*
 * trace.h - the trace file the viewer has open, loaded by a consumer thread. Module prefix: trc_.
 *
 * Ownership: the UI thread creates and destroys a trc_trace. Until TRC_MSG_DONE arrives the
 * consumer thread writes the store and the socket model; the UI thread may then read only the store
 * (store_count with acquire), the header once TRC_MSG_OPENED arrived, and its own etl_file (ui_file)
 * once TRC_MSG_READERS arrived (readers_ready). After TRC_MSG_DONE everything is the UI thread's (and
 * the filter worker's, which gets work_file).
 */
#ifndef WSK_GUI_TRACE_H
#define WSK_GUI_TRACE_H

#include <windows.h>

#include <wsk/etl.h>
#include <wsk/filt.h>
#include <wsk/load.h>
#include <wsk/plat.h>
#include <wsk/sock.h>
#include <wsk/store.h>

/* Posted to the notify window; wParam is the trace's serial (drop messages of a trace that is gone). */
#define TRC_MSG_OPENED (WM_APP + 1)   /* the file is open: header is usable, rows start coming */
#define TRC_MSG_PROGRESS (WM_APP + 2) /* new rows published (at most one pending: trc_progress_seen) */
#define TRC_MSG_DONE (WM_APP + 3)     /* the consumer ended: call trc_finish */
#define TRC_MSG_READERS (WM_APP + 5)  /* ui_file and work_file are open: call trc_readers_seen */

typedef struct trc_trace {
    UINT serial;
    HWND notify;
    char path[1024];   /* UTF-8 */
    wchar_t name[260]; /* file name without folders, for the status bar and title */
    store *events;
    sock_model *sockets;
    etl_file *load_file;      /* the consumer's reader (its header is the one shown) */
    etl_file *ui_file;        /* the UI thread's reader (details, decode on display) */
    etl_file *work_file;      /* the filter/sort worker's reader */
    int readers_ready;        /* UI thread: TRC_MSG_READERS seen (ui_file may be used) */
    const etl_header *header; /* valid from TRC_MSG_OPENED */
    load_stats stats;         /* valid after trc_finish */
    int failed;               /* the file could not be opened: error says why */
    int done;                 /* trc_finish ran */
    char error[512];
    size_t diagnostics; /* reader diagnostics (valid after trc_finish) */
    char first_diag[160];
    filt_ctx ctx;      /* events, sockets (after done), decode through ui_file */
    filt_ctx work_ctx; /* the same through work_file, for the worker thread */
    /* shared with the consumer */
    plat_atomic_u64 cancel;
    plat_atomic_u64 progress_pending;
    plat_atomic_u64 progress_permille;
    plat_thread *thread;
    plat_thread *opener; /* opens ui_file and work_file while the consumer loads */
} trc_trace;

/* Starts loading path (UTF-16). NULL only when out of memory or no thread could start. */
trc_trace *trc_start(const wchar_t *path, HWND notify, UINT serial);
/* UI thread, on TRC_MSG_READERS. */
void trc_readers_seen(trc_trace *t);
/* UI thread, on TRC_MSG_PROGRESS: allows the next progress message. */
void trc_progress_seen(trc_trace *t);
/* Fraction read, 0..1000. */
unsigned trc_progress_permille(const trc_trace *t);
/* UI thread, on TRC_MSG_DONE: joins the consumer; sockets and stats become readable. */
void trc_finish(trc_trace *t);
/* Cancels (if still loading), joins and frees. NULL is fine. */
void trc_close(trc_trace *t);

#endif
