/*
 * sidx.h - the per-socket row index: for each socket of the socket model, its event rows in the
 * store, listed in O(its events) instead of a scan of the store. Module prefix: sidx_.
 *
 * Membership: a row belongs to the socket in its store_row.socket. A successful accept completion also
 * belongs to the listener it came through (the socket model counts it for both, as `wskdump sockets`
 * does in its events column): with the socket model given, such a row (an AFD accept event that is
 * neither legacy nor an indication, whose socket was accepted from a listener) is listed under both.
 *
 * Layout: a next-entry link per store row (4 bytes per event, in chunks that never move), 8 bytes per
 * second membership (accepts only) and, per socket, its first and last entry and its count (12 bytes
 * per socket). A socket's rows come in store order, which is time order for a time-ordered load
 * (load.h); a live capture appends a late event after rows that are newer, and the index keeps it
 * where the store has it.
 *
 * Built incrementally: sidx_update links the store rows it has not seen yet, from the first unseen
 * one up to a given count, in O(those rows). So the same index serves a file load (the consumer
 * calls it after each published batch, while the rows are still in cache, and it is complete when
 * the load ends) and a live capture (called as rows arrive, or once on stop).
 *
 * Threading contract, the socket model's (sock.h): one thread at a time calls sidx_update (the
 * thread that appends to the store, or one holding the caller's lock); the other functions may run
 * on another thread only after the updates ended (a load that finished, a capture that stopped) or
 * under the same lock that the updating thread holds around sidx_update (live.h's sockets_lock
 * hook). A reader sees every row below sidx_indexed() that belongs to a socket.
 */
#ifndef WSK_SIDX_H
#define WSK_SIDX_H

#include <stdint.h>

#include <wsk/sock.h>
#include <wsk/store.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SIDX_MAX_ROWS 0x7FFFFFFFu /* rows from here on are not indexed */

typedef struct sidx sidx;

int sidx_create(sidx **out); /* 0, or -1 out of memory (*out untouched) */
void sidx_destroy(sidx *x);  /* NULL is fine */

/* Links rows sidx_indexed(x) .. upto-1 of events (upto at most a count the caller read from
 * store_count, or the writer's own count) to their sockets; rows without one are indexed but listed
 * nowhere. sockets (may be NULL: one socket per row) must have been fed those rows already. Returns 0,
 * or -1 out of memory: the index then holds the rows before the one that failed, and a later call goes
 * on there. */
int sidx_update(sidx *x, const store *events, const sock_model *sockets, uint64_t upto);

uint64_t sidx_indexed(const sidx *x);                /* rows linked so far */
uint32_t sidx_socket_span(const sidx *x);            /* one past the highest socket listed, 0 when none */
uint32_t sidx_count(const sidx *x, uint32_t socket); /* the socket's rows (0 for an unknown socket) */
/* Copies the socket's rows, in order, into out (at most cap of them); returns how many it copied. */
uint32_t sidx_rows(const sidx *x, uint32_t socket, uint32_t *out, uint32_t cap);
/* Bytes the index holds (for the memory figures). */
uint64_t sidx_memory(const sidx *x);

#ifdef __cplusplus
}
#endif
#endif
