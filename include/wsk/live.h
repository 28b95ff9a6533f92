/*
 * live.h - the live consumer: drains the capture ring (cap.h) into the payload arena, the event store
 * and the socket model, through load.h's per-event step, so a live row equals the row the same event
 * gets when read from a file. Module prefix: live_.
 *
 * Reorder window: a real-time session hands over one flushed buffer per CPU at a time, so events are
 * not globally time-ordered. Rows are held in a min-heap on (time, arrival) until no CPU can still
 * deliver anything older: until their time is `window` older than the newest time seen, advanced by
 * the wall clock since that event arrived (a quiet session still shows its events one window late),
 * or until live_flush on stop. An event older than rows already published (later than the window) is
 * appended anyway and counted as late.
 *
 * Loss rows: where the ring dropped records, a synthetic row (flags STORE_ROW_LOST, id LIVE_ID_RING_LOST,
 * bytes = the number dropped, handle LIVE_NO_HANDLE) goes right before the first record that got in
 * after them (the callback stamps that count on it), or at the end for drops at stop. Real-time
 * lost-event records in the stream (cap_lost_event_guid, types 32/33/34) become rows flagged
 * STORE_ROW_LOST with ids LIVE_ID_RT_LOST_EVENT/_BUFFER/_FILE (their record stays in the arena).
 *
 * Threads: one consumer thread calls everything here; the store is read by others as store.h says.
 * The socket model is written under the caller's lock hook (if any), so a UI may read it while
 * capturing. Call sock_model_finish after live_flush, once the capture is over.
 */
#ifndef WSK_LIVE_H
#define WSK_LIVE_H

#include <stdint.h>

#include <stddef.h>

#include <wsk/cap.h>
#include <wsk/load.h>
#include <wsk/plat.h>
#include <wsk/ring.h>
#include <wsk/sock.h>
#include <wsk/store.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LIVE_NO_HANDLE UINT64_MAX
enum {
    LIVE_ID_RING_LOST = 0xFFF0,
    LIVE_ID_RT_LOST_EVENT = 0xFFF1,  /* stream record type 32 */
    LIVE_ID_RT_LOST_BUFFER = 0xFFF2, /* 33 */
    LIVE_ID_RT_LOST_FILE = 0xFFF3,   /* 34 */
};

typedef struct live_config {
    ring *ring;
    cap_arena *arena;
    store *events;
    sock_model *sockets;         /* may be NULL */
    uint64_t window;             /* reorder window, 100 ns units; 0 = 10,000,000 (1 s) */
    uint32_t batch;              /* records drained per live_pump at most; 0 = 4096 */
    /* Called with 1 before and 0 after the consumer touches the socket model (may be NULL). */
    void (*sockets_lock)(void *user, int lock);
    void *user;
} live_config;

typedef struct live_stats {
    uint64_t records;      /* records drained from the ring */
    uint64_t rows;         /* rows appended (records + synthetic loss rows) */
    uint64_t ring_drops;   /* records the ring dropped, as accounted in loss rows */
    uint64_t lost_rows;    /* synthetic loss rows */
    uint64_t stream_lost;  /* real-time lost-event records seen */
    uint64_t late;         /* rows appended behind a later row already published */
    uint64_t held;         /* rows in the reorder window now */
    uint64_t discarded;    /* records drained but not kept: store or arena full, unreadable */
    int store_full, arena_full;
    load_stats load;       /* the per-event step's counts (afd, malformed, processes, ...) */
} live_stats;

typedef struct live live;

int live_create(const live_config *c, live **out);
void live_destroy(live *lv);

/* Drains up to `batch` records, appends and publishes the rows the window lets go. now_ns is
 * plat_now_ns() (tests pass their own clock). Returns the records drained. */
uint32_t live_pump(live *lv, uint64_t now_ns);

/* On stop, once the producer is done: drains the ring, adds a loss row for drops no record carries
 * (the ring's total minus those accounted), releases every held row and publishes. */
void live_flush(live *lv);

/* Pumps until *stop is non-zero (sleeping 1 ms when the ring is empty), then live_flush: the body of
 * the consumer thread. Returns 0. */
int live_run(live *lv, const plat_atomic_u64 *stop);

void live_get_stats(const live *lv, live_stats *out);

/* Decodes the AFD payload of a live row again (detail pane, filters): load_decode_row's twin. */
int live_decode_row(const cap_arena *a, const store_row *row, afd_fields *out);

/* ---- saving a live capture ---- */

typedef struct live_process {
    uint32_t pid;
    const char *image;        /* UTF-8, e.g. an NT or Win32 path */
} live_process;

typedef struct live_save_stats {
    uint64_t written;         /* events written */
    uint64_t skipped;         /* rows with no event to write: loss rows, classic-header records */
} live_save_stats;

/* Writes the store's rows [0, store_count) as an .etl file with the project's writer (etlw): every
 * manifest event with its header, items and payload, in store order, one writer CPU per processor seen;
 * system-time clock (the rows' FILETIMEs exactly); first a process-name record (Kernel-Process
 * ProcessStart, etlw_process) for each of procs[0..nprocs) (processes that ran before the capture, whose
 * start events it could not see). Loss rows and classic records (ETW's own) are skipped and counted.
 * 0, or -1 with err saying why (the file may then be incomplete). */
int live_save_etl(const store *events, const cap_arena *arena, const live_process *procs, size_t nprocs,
                  const char *path, live_save_stats *st, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
