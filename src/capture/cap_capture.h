/*
 * cap_capture.h - one live capture for the viewer, assembled: the ETW session (or the replay source),
 * the ring, the payload arena and the live consumer thread, behind start / status / stop / save.
 * Module prefix: cap_capture_. Windows only (the pieces it assembles are in cap_etw.h, cap.h, live.h).
 *
 * Threads: start, status, stop, save and destroy are called from one thread (the UI thread). Inside:
 * the capture thread (ProcessTrace, or "wsk-replay") produces into the ring; the consumer thread
 * ("wsk-live") drains it into the store the caller gave, which the UI reads as store.h says, and into
 * the socket model under the caller's lock hook. cap_capture_emergency_stop may be called from any
 * thread (WM_ENDSESSION: see cap_etw.h); a live capture installs cap_exit_guard for crashes and
 * console exits itself.
 *
 * The viewer's Start (Ctrl+E): create an empty store (and socket model), cap_capture_start; a timer
 * calls cap_capture_status for the status bar (rows, rate, ring drops, ETW's losses) and follows new
 * rows; Stop: cap_capture_stop. Rows' handles point into the capture's arena (cap_capture_arena, for
 * live_decode_row and cap_arena_event), so the capture lives as long as its rows are shown; Clear
 * destroys it with the store. Save: cap_capture_save (the session's own file already exists when the
 * options named one: copy that instead).
 */
#ifndef WSK_CAP_CAPTURE_H
#define WSK_CAP_CAPTURE_H

#include "cap_etw.h"

#include <wsk/live.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct cap_capture_config {
    store *events;             /* the rows go here (an empty store) */
    sock_model *sockets;       /* may be NULL */
    void (*sockets_lock)(void *user, int lock); /* around every write to sockets (may be NULL) */
    void *user;
    uint32_t ring_mib;         /* power of two up to 1024; 0 = 64 */
    const char *replay_path;   /* non-NULL: replay this .etl (UTF-8) instead of a live session */
    double replay_rate;        /* replay: events per second, 0 = as fast as possible */
    const cap_etw_api *api;    /* live session: NULL = cap_etw_real */
    cap_options session;       /* live session options */
} cap_capture_config;

typedef struct cap_capture_status {
    uint64_t rows;             /* rows published */
    uint64_t ring_pushed;      /* records that got into the ring */
    uint64_t ring_dropped;     /* records the ring dropped (also marked by loss rows) */
    int etw_valid;             /* live session: etw holds the last query */
    cap_losses etw;
    int source_done;           /* replay: the whole file was delivered */
    unsigned swept;            /* stale wskview-* sessions stopped at start */
} cap_capture_status;

typedef struct cap_capture cap_capture;

/* Live: stops stale wskview-* sessions, names the processes running now in the socket model, starts
 * the consumer and the session. Replay: starts the consumer and the replay thread. On failure nothing
 * is left running, *out is untouched and err says why. */
int cap_capture_start(const cap_capture_config *c, cap_capture **out, cap_error *err);
void cap_capture_get_status(cap_capture *c, cap_capture_status *st);
/* Stops the source, lets the consumer drain and flush, finishes the socket model. final may be NULL.
 * Returns 0, or -1 when the session reported an error on the way (err). Idempotent. */
int cap_capture_stop(cap_capture *c, live_stats *final, cap_error *err);
void cap_capture_emergency_stop(cap_capture *c);
const cap_arena *cap_capture_arena(const cap_capture *c);
/* After stop: the rows as an .etl (live_save_etl) with the names of the processes that ran at start. */
int cap_capture_save(cap_capture *c, const char *path, live_save_stats *st, char *err, size_t err_len);
/* Stops if needed and frees; the store and socket model stay the caller's. */
void cap_capture_destroy(cap_capture *c);

/* The processes running now (Toolhelp snapshot: pid and image file name). *out and its strings are one
 * malloc'ed block (free(*out)). 0, or -1. */
int cap_running_processes(live_process **out, size_t *count);

#ifdef __cplusplus
}
#endif
#endif
