/*
 * trace.h - the trace file the viewer has open, loaded by a consumer thread. Module prefix: trc_.
 *
 * Ownership: the UI thread creates and destroys a trc_trace. Until TRC_MSG_DONE arrives the
 * consumer thread writes the store and the socket model; the UI thread may then read only the store
 * (store_count with acquire), the header once TRC_MSG_OPENED arrived, and its own etl_file (ui_file)
 * once TRC_MSG_READERS arrived (readers_ready). After TRC_MSG_DONE everything is the UI thread's (and
 * the filter worker's, which gets work_file).
 *
 * A live capture is the other source (capctl.c starts it with trc_start_capture): the same store and
 * socket model, written by the capture's consumer thread until the capture stops (trc_finish); rows'
 * handles point into the capture's arena instead of a file. trc_decode_row is the one place that turns
 * a row back into fields, for either source. While capturing, the consumer writes the socket model
 * under sockets_lock; the UI thread reads it only between trc_sockets_begin and trc_sockets_end, which
 * never wait (a busy lock means: show the cells without their socket this time).
 */
#ifndef WSK_GUI_TRACE_H
#define WSK_GUI_TRACE_H

#include <windows.h>

#include <wsk/cap.h>
#include <wsk/etl.h>
#include <wsk/filt.h>
#include <wsk/load.h>
#include <wsk/plat.h>
#include <wsk/sock.h>
#include <wsk/store.h>
#include <wsk/tl.h>

/* Posted to the notify window; wParam is the trace's serial (drop messages of a trace that is gone). */
#define TRC_MSG_OPENED (WM_APP + 1)   /* the file is open: header is usable, rows start coming */
#define TRC_MSG_PROGRESS (WM_APP + 2) /* new rows published (at most one pending: trc_progress_seen) */
#define TRC_MSG_DONE (WM_APP + 3)     /* the consumer ended: call trc_finish */
#define TRC_MSG_READERS (WM_APP + 5)  /* ui_file and work_file are open: call trc_readers_seen */
#define TRC_MSG_TIMELINE (WM_APP + 8) /* trc_timeline_request's job is done: call trc_timeline_take */

/* Where the timeline's index is (trc_timeline_request). */
enum { TRC_TL_NONE, TRC_TL_BUILDING, TRC_TL_READY, TRC_TL_TAKEN };

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
    sidx *by_socket;     /* per-socket row index (detail pane): a file's built by the consumer until
                            TRC_MSG_DONE, a capture's by the UI thread (trc_index_capture, trc_finish) */
    /* The timeline's index (13 bytes an event at 10 M), built only for a shown pane: by the consumer after a
     * whole load when want_timeline was set, else by a job thread on trc_timeline_request. */
    plat_atomic_u64 want_timeline; /* set by the UI thread while loading */
    tl *timeline;                  /* the UI thread's once tl_state is TRC_TL_READY */
    int tl_state;                  /* TRC_TL_*: the UI thread's after TRC_MSG_DONE */
    plat_thread *tl_job;           /* "wskview timeline" */
    int tl_live; /* the UI thread's: the index building or shown is of a running capture's rows */
    /* a live capture instead of a file */
    struct cap_capture *capture; /* NULL for a file */
    const cap_arena *arena;      /* the capture's records (rows' handles) */
    SRWLOCK sockets_lock;        /* exclusive: the capture's consumer writing the socket model */
    int sockets_held;            /* UI thread: it holds sockets_lock shared now */
    etl_header live_header;      /* a capture's header: this machine's time zone, the losses so far */
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
/* UI thread, while loading: the timeline pane is shown, so the consumer builds the timeline's index right
 * after a whole load (not after a cancel: trc_close would wait for it). */
void trc_want_timeline(trc_trace *t);
/* UI thread, after trc_finish (a file, a stopped capture, a cancelled load alike): the timeline's index is
 * wanted. Returns TRC_TL_READY (trc_timeline_take has it now), TRC_TL_BUILDING (a job thread builds it and
 * posts TRC_MSG_TIMELINE) or TRC_TL_TAKEN (taken before, or no thread could start: nothing comes). */
int trc_timeline_request(trc_trace *t);
/* UI thread, every couple of seconds while a capture runs and its timeline pane is shown: the same job thread
 * builds an index of the rows so far (holding the capture's lock shared: the consumer waits for it), posting
 * TRC_MSG_TIMELINE; TRC_TL_BUILDING, or TRC_TL_TAKEN (not capturing, or no thread). After the stop the next
 * request builds the whole capture's index (trc_finish, trc_timeline_take). */
int trc_timeline_live(trc_trace *t);
/* UI thread, at TRC_TL_READY or on TRC_MSG_TIMELINE (it joins the job, whose last act was the post): the
 * index, which the caller owns (NULL: out of memory); trc_timeline_request says TRC_TL_TAKEN from then on. */
tl *trc_timeline_take(trc_trace *t);
/* UI thread, while capturing: links the rows published since the last call into by_socket (the detail pane's
 * index), only when the capture's lock is free (it never waits); trc_finish links the rest at Stop. */
void trc_index_capture(trc_trace *t);
/* Cancels (if still loading), joins and frees. NULL is fine. */
void trc_close(trc_trace *t);

/* The AFD fields of store row `row`, for either source: a capture's arena, else file (the calling
 * thread's own reader; NULL: none). 0, or -1 (not an AFD event, or no reader). */
int trc_decode_row(const trc_trace *t, etl_file *file, uint64_t row, afd_fields *out);

/* An empty trace for a live capture named name (status bar, title); the caller starts the capture into
 * its store and socket model (with trc_sockets_lock and t as the lock hook) and sets capture and arena.
 * readers_ready from the start. NULL when out of memory. */
trc_trace *trc_start_capture(const wchar_t *name, HWND notify, UINT serial);
/* The capture's lock hook (cap_capture_config.sockets_lock, user = the trace). */
void trc_sockets_lock(void *user, int lock);
/* UI thread: 1 when the socket model may be read until trc_sockets_end (a file's always; a capture's
 * when the consumer is not writing it), 0 otherwise (then no trc_sockets_end). Nesting is allowed. */
int trc_sockets_begin(trc_trace *t);
void trc_sockets_end(trc_trace *t);
/* The socket model may be read now (loaded, or inside trc_sockets_begin). */
int trc_sockets_ready(const trc_trace *t);

#endif
