/*
 * ring.c - the single-producer/single-consumer record ring (see ring.h).
 *
 * Why drop instead of block: the producer is the ETW callback. If it waited for room, ETW would
 * fill its own buffers and then drop whole buffers of events (thousands, silently, counted only
 * as "buffers lost"). Dropping here loses one record at a time, and counts exactly which many.
 *
 * Layout: a power-of-two byte array and two free-running 64-bit byte positions, head (next
 * write, owned by the producer) and tail (next read, owned by the consumer); head - tail bytes
 * are in use, so full and empty need no spare slot and positions never wrap in practice. Every
 * record is an 8-byte header (its length) followed by its bytes, padded to 8. When a record
 * does not fit between its position and the end of the array, the producer writes a wrap
 * header (length RING_WRAP) there and puts the record at the start, so a record is always
 * contiguous for the consumer. A wrap header always fits: positions and the capacity are
 * multiples of 8.
 *
 * Memory order: the producer writes a record (and any wrap header), then publishes head with a
 * release store; the consumer loads head with acquire before reading. The consumer publishes
 * tail with a release store after it is done reading; the producer loads tail with acquire
 * before overwriting that space. Each side keeps a cached copy of the other's position and
 * reloads it only when the cached one says "full" / "empty", so in steady state neither side
 * touches the other's cache line. The three groups of fields (constant, producer, consumer) are
 * kept at least a cache line apart by padding, which needs no aligned allocation.
 */
#include "wsk/ring.h"

#include "wsk/plat.h"

#include <stdlib.h>
#include <string.h>

#define RING_HEADER 8u
#define RING_WRAP UINT32_MAX
#define RING_LINE 64

struct ring {
    uint8_t *buf;
    uint64_t mask;
    uint64_t capacity;
    uint32_t max_record;
    char pad0[RING_LINE];

    /* producer side */
    plat_atomic_u64 head;
    uint64_t prod_tail_cache;
    uint64_t prod_next_head; /* head once the open reservation is committed */
    plat_atomic_u64 pushed;
    plat_atomic_u64 dropped;
    char pad1[RING_LINE];

    /* consumer side */
    plat_atomic_u64 tail;
    uint64_t cons_head_cache;
    uint64_t cons_next_tail; /* tail once the peeked record is released */
    char pad2[RING_LINE];
};

static uint64_t ring_space(uint32_t len)
{
    return RING_HEADER + (((uint64_t)len + 7u) & ~(uint64_t)7u);
}

int ring_create(uint32_t capacity_bytes, uint32_t max_record, ring **out)
{
    ring *r;
    if (capacity_bytes < 64 || capacity_bytes > (1u << 30) || (capacity_bytes & (capacity_bytes - 1)) != 0 ||
        ring_space(max_record) > capacity_bytes / 2)
        return -1;
    r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    r->buf = malloc(capacity_bytes);
    if (!r->buf) {
        free(r);
        return -1;
    }
    r->capacity = capacity_bytes;
    r->mask = capacity_bytes - 1u;
    r->max_record = max_record;
    plat_store_release(&r->head, 0);
    plat_store_release(&r->tail, 0);
    plat_store_release(&r->pushed, 0);
    plat_store_release(&r->dropped, 0);
    *out = r;
    return 0;
}

void ring_destroy(ring *r)
{
    if (!r)
        return;
    free(r->buf);
    free(r);
}

static void ring_header_put(uint8_t *at, uint32_t len)
{
    memcpy(at, &len, sizeof len);
}

/* Only the producer writes its counters: a load and a store, no locked instruction. */
static void ring_count(plat_atomic_u64 *counter)
{
    plat_store_release(counter, plat_load_relaxed(counter) + 1u);
}

void *ring_reserve(ring *r, uint32_t len)
{
    uint64_t head = plat_load_relaxed(&r->head);
    uint64_t pos = head & r->mask;
    uint64_t to_end = r->capacity - pos;
    uint64_t need = ring_space(len);
    uint64_t wanted;

    if (len > r->max_record) {
        ring_count(&r->dropped);
        return NULL;
    }
    /* A record that would cross the end also consumes the bytes up to the end. */
    wanted = need <= to_end ? need : to_end + need;
    if (r->capacity - (head - r->prod_tail_cache) < wanted) {
        r->prod_tail_cache = plat_load_acquire(&r->tail);
        if (r->capacity - (head - r->prod_tail_cache) < wanted) {
            ring_count(&r->dropped);
            return NULL;
        }
    }
    if (need > to_end) {
        ring_header_put(r->buf + pos, RING_WRAP);
        pos = 0;
    }
    ring_header_put(r->buf + pos, len);
    r->prod_next_head = head + wanted;
    return r->buf + pos + RING_HEADER;
}

void ring_commit(ring *r)
{
    plat_store_release(&r->head, r->prod_next_head);
    ring_count(&r->pushed);
}

int ring_push(ring *r, const void *data, uint32_t len)
{
    void *dst = ring_reserve(r, len);
    if (!dst)
        return 0;
    if (len)
        memcpy(dst, data, len);
    ring_commit(r);
    return 1;
}

int ring_peek(ring *r, const void **rec, uint32_t *len)
{
    uint64_t tail = plat_load_relaxed(&r->tail);
    uint64_t pos;
    uint32_t n;

    if (r->cons_head_cache == tail) {
        r->cons_head_cache = plat_load_acquire(&r->head);
        if (r->cons_head_cache == tail)
            return 0;
    }
    pos = tail & r->mask;
    memcpy(&n, r->buf + pos, sizeof n);
    if (n == RING_WRAP) {
        /* The record was published together with its wrap header: it is at the start. */
        tail += r->capacity - pos;
        pos = 0;
        memcpy(&n, r->buf, sizeof n);
    }
    *rec = r->buf + pos + RING_HEADER;
    *len = n;
    r->cons_next_tail = tail + ring_space(n);
    return 1;
}

void ring_release(ring *r)
{
    plat_store_release(&r->tail, r->cons_next_tail);
}

uint64_t ring_dropped(const ring *r)
{
    return plat_load_acquire(&r->dropped);
}

uint64_t ring_pushed(const ring *r)
{
    return plat_load_acquire(&r->pushed);
}
