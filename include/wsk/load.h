/*
 * load.h - the consumer: reads a trace file in time order, decodes the
 * Winsock-AFD events, appends one row per event to the store and feeds the
 * socket model. Module prefix: load_.
 *
 * Threading: load_file runs on the consumer thread and is the store's only
 * writer; it publishes rows in batches, so a reader on another thread sees
 * the first rows long before the end. The socket model is the consumer's
 * until load_file returns (sock.h). Cancelling is a flag the consumer polls.
 */
#ifndef WSK_LOAD_H
#define WSK_LOAD_H

#include <stdint.h>

#include <wsk/afd.h>
#include <wsk/etl.h>
#include <wsk/plat.h>
#include <wsk/sidx.h>
#include <wsk/sock.h>
#include <wsk/store.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct load_stats {
    uint64_t records;      /* events read from the file */
    uint64_t afd;          /* Winsock-AFD events among them */
    uint64_t malformed;    /* AFD events whose payload did not match the template */
    uint64_t unknown_afd;  /* AFD events whose id/version the schema does not know (kept raw) */
    uint64_t processes;    /* process names learned */
    uint64_t lost_marks;   /* rows that follow a buffer with lost events */
    int cancelled;
    int store_full;
    int index_failed;      /* out of memory for the per-socket row index: it holds only the rows before */
} load_stats;

typedef struct load_job {
    etl_file *file;
    store *events;
    sock_model *sockets;
    etl_order order;
    uint32_t publish_every;             /* rows between publications (0: 4096) */
    /* Called on the consumer thread after each publication: rows so far and the fraction of buffers read. */
    void (*progress)(void *user, uint64_t rows, double fraction);
    void *user;
    const plat_atomic_u64 *cancel;      /* non-zero: stop at the next batch (may be NULL) */
    sidx *index;                        /* may be NULL: the per-socket row index (sidx.h), brought up to
                                           date after each publication, before the progress call */
} load_job;

/* Returns 0 when the whole file was read (or cancelled: stats->cancelled), -1 on a setup failure.
 * Calls sock_model_finish at the end either way. */
int load_file(const load_job *job, load_stats *stats);

/* The per-event step load_file takes, shared with the live consumer (live.h) so a captured event and the
 * same event read from a file give the same row: fills *r from ev, decodes a Winsock-AFD payload, feeds the
 * socket model (may be NULL) with `row` (the index r will have in the store), learns process names, and
 * counts into stats (afd, malformed, unknown_afd, processes, lost_marks; the rest untouched). */
void load_event_row(store_row *r, const etl_event *ev, uint64_t row, sock_model *sockets, load_stats *stats);

/* Decodes the AFD payload of a stored row again (the filter's payload fields, the detail pane).
 * 0 on success; the fields point into the trace and stay valid until the next etl_event_get on file. */
int load_decode_row(etl_file *file, const store_row *row, afd_fields *out);

#ifdef __cplusplus
}
#endif
#endif
