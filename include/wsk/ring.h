/*
 * ring.h - single-producer/single-consumer ring of variable-length records, carrying events from
 * the capture thread to the consumer thread. Module prefix: ring_.
 *
 * Threads: exactly one producer thread calls ring_reserve/ring_commit/ring_push, exactly one
 * consumer thread calls ring_peek/ring_release; ring_dropped and ring_pushed may be read from any
 * thread. The producer never blocks and never waits: when a record does not fit, it is dropped
 * and counted. A record handed to the consumer is one contiguous, 8-byte-aligned block that it
 * reads in place (no copy) until ring_release.
 */
#ifndef WSK_RING_H
#define WSK_RING_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ring ring;

/* capacity_bytes: a power of two from 64 to 2^30. max_record: the largest record accepted; a
 * record takes 8 bytes of header plus its length rounded up to 8, and the largest must fit in half
 * the capacity (so one always fits once the consumer has caught up, wherever the ring wrapped).
 * Returns 0, or -1 (bad arguments or out of memory) leaving *out untouched. */
int ring_create(uint32_t capacity_bytes, uint32_t max_record, ring **out);
void ring_destroy(ring *r);

/* Producer. ring_reserve returns space for len bytes (8-aligned), or NULL when the record is
 * dropped (counted): the ring is full or len > max_record. The record becomes visible to the
 * consumer at ring_commit. At most one reservation is open; reserving again without committing
 * abandons the first one. */
void *ring_reserve(ring *r, uint32_t len);
void ring_commit(ring *r);
/* reserve + copy + commit: 1 pushed, 0 dropped. */
int ring_push(ring *r, const void *data, uint32_t len);

/* Consumer. ring_peek gives the oldest record (1) or says the ring is empty (0). The record stays
 * valid and in place until ring_release, which frees its space; peeking again without releasing
 * gives the same record. */
int ring_peek(ring *r, const void **rec, uint32_t *len);
void ring_release(ring *r);

/* Counters, readable from any thread: records dropped (full or too large) and records committed. */
uint64_t ring_dropped(const ring *r);
uint64_t ring_pushed(const ring *r);

#ifdef __cplusplus
}
#endif
#endif
