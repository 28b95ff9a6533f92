/*
 * test_ring.c - the SPSC record ring: a two-thread stress run (also run under ThreadSanitizer),
 * exact drop counts with a paused consumer, and the record-size limits.
 *
 * Every record's length and bytes are a function of its sequence number, so the consumer can
 * check each one. Which sequence numbers were dropped is known only to the producer: it marks
 * them in an array before it commits the next record, and the release/acquire pair of that
 * commit makes the marks visible to the consumer, which skips exactly those numbers.
 */
#include "check.h"
#include "wsk/plat.h"
#include "wsk/ring.h"

#define STRESS_RECORDS 10000000u
#define STRESS_MAX_LEN 600u
#define STRESS_RING (1u << 18)
/* Records the paced producer lets through before it waits for an empty ring: at most 616 bytes
 * each, plus at most one wrap marker's worth, they always fit. */
#define STRESS_PACED ((STRESS_RING - 1024u) / 616u)

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}

static uint32_t stress_len(uint64_t seq)
{
    return 1u + (uint32_t)(mix(seq) % STRESS_MAX_LEN);
}

/* Record seq's bytes: 8-byte words of a hash of seq, each changed by its position. Written and
 * compared a word at a time (memcpy/memcmp), which keeps the ThreadSanitizer run short. */
static void make_rec(uint8_t *out, uint64_t seq, uint32_t len)
{
    uint64_t h = mix(seq ^ 0x5bd1e995u);
    uint32_t i;
    for (i = 0; i < len; i += 8) {
        uint64_t w = h ^ ((uint64_t)(i + 1) * 0x9e3779b97f4a7c15ull);
        memcpy(out + i, &w, len - i < 8 ? len - i : 8);
    }
}

static int matches(const void *p, uint64_t seq, uint32_t len)
{
    uint8_t want[1024];
    if (len > sizeof want)
        return 0;
    make_rec(want, seq, len);
    return memcmp(p, want, len) == 0;
}

/* ---- stress: producer thread vs consumer thread ---------------------------------------------- */

typedef struct stress {
    ring *r;
    uint8_t *dropped_mark; /* per sequence number, written by the producer only */
    plat_atomic_u64 consumed;
    plat_atomic_u64 producer_done;
    /* consumer's results, read by main after join */
    uint64_t received;
    uint64_t bad_seq; /* first record that did not match, or UINT64_MAX */
    uint32_t bad_len;
    int repeat_peek_ok;
} stress;

static int stress_producer(void *arg)
{
    stress *s = arg;
    uint64_t seq;
    for (seq = 0; seq < STRESS_RECORDS; seq++) {
        uint32_t len = stress_len(seq);
        uint8_t *p;
        /* Every other block of 2^16 records the producer lets the consumer catch up after each
         * STRESS_PACED records, so the run alternates between a ring that never overflows and one
         * that overflows all the time. The ring itself never waits: this is the test choosing to.
         * Batches (rather than lockstep) keep the run short on a loaded machine. */
        if (((seq >> 16) & 1u) && ring_pushed(s->r) - plat_load_acquire(&s->consumed) >= STRESS_PACED) {
            unsigned spins = 0;
            while (ring_pushed(s->r) - plat_load_acquire(&s->consumed) > 0)
                if (++spins > 64)
                    plat_sleep_ms(0); /* the consumer may be waiting for this core */
        }
        p = ring_reserve(s->r, len);
        if (!p) {
            s->dropped_mark[seq] = 1;
            continue;
        }
        make_rec(p, seq, len);
        ring_commit(s->r);
    }
    plat_store_release(&s->producer_done, 1);
    return 0;
}

static int stress_consumer(void *arg)
{
    stress *s = arg;
    uint64_t expected = 0;
    for (;;) {
        uint64_t done = plat_load_acquire(&s->producer_done);
        const void *rec;
        uint32_t len;
        if (!ring_peek(s->r, &rec, &len)) {
            if (done)
                break;
            plat_sleep_ms(0); /* let the producer have this core */
            continue;
        }
        while (expected < STRESS_RECORDS && s->dropped_mark[expected])
            expected++;
        if (expected >= STRESS_RECORDS || len != stress_len(expected) || !matches(rec, expected, len)) {
            s->bad_seq = expected;
            s->bad_len = len;
            break;
        }
        if ((s->received & 4095u) == 0) {
            const void *again;
            uint32_t len_again;
            if (!ring_peek(s->r, &again, &len_again) || again != rec || len_again != len)
                s->repeat_peek_ok = 0;
        }
        ring_release(s->r);
        s->received++;
        plat_store_release(&s->consumed, s->received);
        expected++;
    }
    return 0;
}

static void test_stress_two_threads(void)
{
    stress s;
    plat_thread *prod = NULL, *cons = NULL;
    uint64_t marked = 0, i, t0, t1;
    memset(&s, 0, sizeof s);
    s.bad_seq = UINT64_MAX;
    s.repeat_peek_ok = 1;
    plat_store_release(&s.producer_done, 0);
    plat_store_release(&s.consumed, 0);
    s.dropped_mark = calloc(STRESS_RECORDS, 1);
    CHECK(s.dropped_mark != NULL);
    CHECK(ring_create(STRESS_RING, 1024, &s.r) == 0);
    if (!s.dropped_mark || !s.r)
        goto cleanup;
    t0 = plat_now_ns();
    CHECK(plat_thread_start(&cons, stress_consumer, &s, "ring-consumer") == 0);
    CHECK(plat_thread_start(&prod, stress_producer, &s, "ring-producer") == 0);
    if (prod)
        plat_thread_join(prod);
    else
        plat_store_release(&s.producer_done, 1);
    if (cons)
        plat_thread_join(cons);
    t1 = plat_now_ns();
    for (i = 0; i < STRESS_RECORDS; i++)
        marked += s.dropped_mark[i];
    printf("stress: %u records, received %llu, dropped %llu, %.2f s\n", STRESS_RECORDS,
           (unsigned long long)s.received, (unsigned long long)ring_dropped(s.r), (double)(t1 - t0) / 1e9);
    if (s.bad_seq != UINT64_MAX)
        printf("stress: record for sequence %llu (length %u) does not match\n", (unsigned long long)s.bad_seq,
               (unsigned)s.bad_len);
    CHECK(s.bad_seq == UINT64_MAX);
    CHECK_U64(s.received + ring_dropped(s.r), STRESS_RECORDS);
    CHECK_U64(marked, ring_dropped(s.r));
    CHECK_U64(ring_pushed(s.r), s.received);
    CHECK(s.received >= STRESS_RECORDS / 2); /* at least the paced half */
    CHECK(s.repeat_peek_ok);
cleanup:
    ring_destroy(s.r);
    free(s.dropped_mark);
}

/* ---- deterministic overflow with a paused consumer ------------------------------------------ */

static int push_seq(ring *r, uint64_t seq, uint32_t len)
{
    uint8_t buf[256];
    make_rec(buf, seq, len);
    return ring_push(r, buf, len);
}

/* Pops one record and checks it is seq with length len. */
static int pop_is(ring *r, uint64_t seq, uint32_t len)
{
    const void *rec;
    uint32_t n;
    int ok;
    if (!ring_peek(r, &rec, &n))
        return 0;
    ok = n == len && matches(rec, seq, len) && ((uintptr_t)rec & 7u) == 0;
    ring_release(r);
    return ok;
}

static void test_overflow_exact(void)
{
    ring *r = NULL;
    uint64_t seq;
    const void *rec;
    uint32_t n;
    int pushed;
    /* 256 bytes; a 24-byte record takes 8 + 24 = 32 bytes: exactly 8 fit. */
    CHECK(ring_create(256, 64, &r) == 0);
    if (!r)
        return;
    pushed = 0;
    for (seq = 0; seq < 12; seq++)
        pushed += push_seq(r, seq, 24);
    CHECK(pushed == 8);
    CHECK_U64(ring_dropped(r), 4);
    CHECK_U64(ring_pushed(r), 8);
    /* Consumer wakes up for three records, then pauses again: exactly three more fit. */
    for (seq = 0; seq < 3; seq++)
        CHECK(pop_is(r, seq, 24));
    pushed = 0;
    for (seq = 12; seq < 17; seq++)
        pushed += push_seq(r, seq, 24);
    CHECK(pushed == 3);
    CHECK_U64(ring_dropped(r), 6);
    for (seq = 3; seq < 8; seq++)
        CHECK(pop_is(r, seq, 24));
    for (seq = 12; seq < 15; seq++)
        CHECK(pop_is(r, seq, 24));
    CHECK(ring_peek(r, &rec, &n) == 0);
    ring_destroy(r);
}

/* Records that do not fit before the end go to the start behind a wrap marker; the space the
 * marker skips counts against the free space, so the drop count is still exact. */
static void test_overflow_wrap(void)
{
    ring *r = NULL;
    uint64_t seq;
    const void *rec;
    uint32_t n;
    int pushed = 0;
    CHECK(ring_create(256, 64, &r) == 0);
    if (!r)
        return;
    /* 40-byte records take 48 bytes: 5 fit (240), the 6th finds 16 free. */
    for (seq = 0; seq < 6; seq++)
        pushed += push_seq(r, seq, 40);
    CHECK(pushed == 5);
    CHECK_U64(ring_dropped(r), 1);
    CHECK(pop_is(r, 0, 40));
    CHECK(pop_is(r, 1, 40));
    /* 112 bytes free, but 16 of them are at the end: the next record wraps (16 + 48 = 64 used),
     * the one after fits exactly (48), the third finds nothing. */
    CHECK(push_seq(r, 6, 40) == 1);
    CHECK(push_seq(r, 7, 40) == 1);
    CHECK(push_seq(r, 8, 1) == 0);
    CHECK_U64(ring_dropped(r), 2);
    for (seq = 2; seq < 8; seq++)
        if (seq != 5)
            CHECK(pop_is(r, seq, 40));
    CHECK(ring_peek(r, &rec, &n) == 0);
    /* Resumed consumer: a long alternating run of every size wraps many times without a drop. */
    for (seq = 100; seq < 100 + 5000; seq++) {
        uint32_t len = (uint32_t)(seq % 65);
        CHECK(push_seq(r, seq, len) == 1);
        if (seq % 3 == 0)
            CHECK(push_seq(r, seq + 100000, 64) == 1);
        CHECK(pop_is(r, seq, len));
        if (seq % 3 == 0)
            CHECK(pop_is(r, seq + 100000, 64));
    }
    CHECK_U64(ring_dropped(r), 2);
    CHECK(ring_peek(r, &rec, &n) == 0);
    ring_destroy(r);
}

/* ---- sizes ----------------------------------------------------------------------------------- */

static void test_record_sizes(void)
{
    ring *r = NULL, *bad = (ring *)&bad;
    uint8_t big[1025];
    const void *rec;
    uint32_t n;
    uint8_t *p;
    /* Bad arguments leave *out alone. */
    CHECK(ring_create(1000, 16, &bad) == -1);
    CHECK(ring_create(32, 8, &bad) == -1);
    CHECK(ring_create(4096, 2041, &bad) == -1); /* 8 + 2048 > 4096 / 2 */
    CHECK(bad == (ring *)&bad);
    CHECK(ring_create(4096, 2040, &r) == 0); /* 8 + 2040 == 4096 / 2 */
    if (!r)
        return;
    ring_destroy(r);
    r = NULL;

    CHECK(ring_create(4096, 1024, &r) == 0);
    if (!r)
        return;
    make_rec(big, 77, sizeof big);
    CHECK(ring_push(r, big, 0) == 1);
    CHECK(ring_push(r, big, 1024) == 1);
    CHECK(ring_push(r, big, 1025) == 0);
    CHECK(ring_reserve(r, 5000) == NULL);
    CHECK_U64(ring_dropped(r), 2);
    CHECK_U64(ring_pushed(r), 2);
    CHECK(ring_peek(r, &rec, &n) == 1);
    CHECK_U64(n, 0);
    ring_release(r);
    CHECK(ring_peek(r, &rec, &n) == 1);
    CHECK_U64(n, 1024);
    CHECK(memcmp(rec, big, 1024) == 0);
    ring_release(r);
    CHECK(ring_peek(r, &rec, &n) == 0);

    /* Zero-copy filling; an abandoned reservation publishes nothing. */
    p = ring_reserve(r, 3);
    CHECK(p != NULL);
    if (p)
        memcpy(p, "abc", 3);
    CHECK(ring_peek(r, &rec, &n) == 0);
    p = ring_reserve(r, 5);
    CHECK(p != NULL);
    if (p) {
        memcpy(p, "hello", 5);
        ring_commit(r);
    }
    CHECK(ring_peek(r, &rec, &n) == 1);
    CHECK(n == 5 && memcmp(rec, "hello", 5) == 0);
    ring_release(r);
    CHECK(ring_peek(r, &rec, &n) == 0);
    ring_destroy(r);
    ring_destroy(NULL);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_record_sizes),
        CHECK_CASE(test_overflow_exact),
        CHECK_CASE(test_overflow_wrap),
        CHECK_CASE(test_stress_two_threads),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
