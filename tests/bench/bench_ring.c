/*
 * bench_ring.c - throughput of the SPSC record ring: a producer thread and a consumer thread,
 * small (32 B) and large (512 B, 4 KiB) records. Prints figures; asserts nothing about speed.
 *
 * Two runs per size:
 *   drop  - the producer pushes as fast as it can and never waits (as the capture thread does):
 *           the figures are the rate offered, the rate the consumer received and the drops.
 *   retry - the producer tries again until the record fits: the rate is what the ring can
 *           carry between two threads without loss ("full" counts the failed attempts).
 *   1thr  - one thread pushes a record and pops it again: the ring's own cost per record, with
 *           no cache line crossing cores and no scheduling (on a shared machine the two-thread
 *           figures depend on whether both threads get a core). Rated by the process's CPU
 *           time (clock()), except on Windows, whose clock() counts wall time.
 * The consumer copies each record out (as a decoder reads it) and checks its first word.
 *
 * Each run lasts about the same time (the producer stops after SECONDS), so that the short
 * drop runs are not measured over a few milliseconds.
 *
 * Usage: bench_ring [SECONDS]   (per run; default 1)
 */
#include "wsk/plat.h"
#include "wsk/ring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_RING_BYTES (4u << 20)
#define BENCH_MAX_RECORD 4096u

typedef struct bench {
    ring *r;
    uint32_t size;
    uint64_t duration_ns;
    uint64_t offered;
    int retry;
    plat_atomic_u64 done;
    uint64_t produce_ns;
    uint64_t consume_ns;
    uint64_t received;
    uint64_t bad;
    uint64_t start_ns;
} bench;

static int bench_producer(void *arg)
{
    bench *b = arg;
    uint8_t src[BENCH_MAX_RECORD];
    uint64_t seq;
    memset(src, 0xab, sizeof src);
    for (seq = 0;; seq++) {
        void *dst;
        /* The clock is read every 256 records: cheap next to the records themselves. */
        if ((seq & 255u) == 0 && plat_now_ns() - b->start_ns >= b->duration_ns)
            break;
        memcpy(src, &seq, sizeof seq);
        while ((dst = ring_reserve(b->r, b->size)) == NULL && b->retry) {
        }
        if (!dst)
            continue;
        memcpy(dst, src, b->size);
        ring_commit(b->r);
    }
    b->offered = seq;
    b->produce_ns = plat_now_ns() - b->start_ns;
    plat_store_release(&b->done, 1);
    return 0;
}

static int bench_consumer(void *arg)
{
    bench *b = arg;
    uint8_t dst[BENCH_MAX_RECORD];
    uint64_t last = 0;
    int first = 1;
    for (;;) {
        uint64_t done = plat_load_acquire(&b->done);
        const void *rec;
        uint32_t len;
        uint64_t seq;
        if (!ring_peek(b->r, &rec, &len)) {
            if (done)
                break;
            continue;
        }
        memcpy(dst, rec, len);
        ring_release(b->r);
        memcpy(&seq, dst, sizeof seq);
        if (len != b->size || (!first && seq <= last))
            b->bad++;
        first = 0;
        last = seq;
        b->received++;
    }
    b->consume_ns = plat_now_ns() - b->start_ns;
    return 0;
}

static int bench_run(uint32_t size, double seconds, int retry)
{
    bench b;
    plat_thread *prod = NULL, *cons = NULL;
    double prod_s, cons_s, dropped, mb;
    memset(&b, 0, sizeof b);
    if (ring_create(BENCH_RING_BYTES, BENCH_MAX_RECORD, &b.r) != 0) {
        fprintf(stderr, "bench_ring: cannot create the ring\n");
        return -1;
    }
    b.size = size;
    b.duration_ns = (uint64_t)(seconds * 1e9);
    b.retry = retry;
    plat_store_release(&b.done, 0);
    b.start_ns = plat_now_ns();
    if (plat_thread_start(&cons, bench_consumer, &b, "ring-consumer") != 0) {
        ring_destroy(b.r);
        return -1;
    }
    if (plat_thread_start(&prod, bench_producer, &b, "ring-producer") != 0)
        plat_store_release(&b.done, 1);
    else
        plat_thread_join(prod);
    plat_thread_join(cons);

    prod_s = (double)b.produce_ns / 1e9;
    cons_s = (double)b.consume_ns / 1e9;
    dropped = (double)ring_dropped(b.r);
    mb = (double)b.received * (double)size / 1e6;
    printf("%5u B  %-5s  %10llu  %9.2f  %9.2f  %9.1f  %12.0f  %s\n", (unsigned)size, retry ? "retry" : "drop",
           (unsigned long long)b.offered, (double)b.offered / prod_s / 1e6, (double)b.received / cons_s / 1e6, mb / cons_s,
           dropped, b.bad ? "ORDER/LENGTH ERRORS" : "");
    ring_destroy(b.r);
    return b.bad ? -1 : 0;
}

/* Push and pop on one thread for about `seconds`. */
static int bench_one_thread(uint32_t size, double seconds)
{
    ring *r = NULL;
    uint8_t src[BENCH_MAX_RECORD], dst[BENCH_MAX_RECORD];
    uint64_t n = 0, start, elapsed = 0, limit = (uint64_t)(seconds * 1e9), bad = 0;
    clock_t cpu_start;
    double secs;
    if (ring_create(BENCH_RING_BYTES, BENCH_MAX_RECORD, &r) != 0) {
        fprintf(stderr, "bench_ring: cannot create the ring\n");
        return -1;
    }
    memset(src, 0xcd, sizeof src);
    start = plat_now_ns();
    cpu_start = clock();
    while (elapsed < limit) {
        uint64_t i;
        for (i = 0; i < 4096; i++, n++) {
            const void *rec;
            uint32_t len;
            memcpy(src, &n, sizeof n);
            if (!ring_push(r, src, size) || !ring_peek(r, &rec, &len)) {
                bad++;
                continue;
            }
            memcpy(dst, rec, len);
            ring_release(r);
            bad += memcmp(dst, &n, sizeof n) != 0;
        }
        elapsed = plat_now_ns() - start;
    }
#if defined(_WIN32)
    (void)cpu_start;
    secs = (double)elapsed / 1e9;
#else
    secs = (double)(clock() - cpu_start) / CLOCKS_PER_SEC;
#endif
    printf("%5u B  %-5s  %10llu  %9.2f  %9.2f  %9.1f  %12.0f  %s\n", (unsigned)size, "1thr", (unsigned long long)n,
           (double)n / secs / 1e6, (double)n / secs / 1e6, (double)n * size / 1e6 / secs, (double)ring_dropped(r),
           bad ? "ERRORS" : "");
    ring_destroy(r);
    return bad ? -1 : 0;
}

int main(int argc, char **argv)
{
    static const uint32_t sizes[] = {32, 512, 4096};
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    size_t i;
    int retry, rc = 0;
    if (seconds <= 0)
        seconds = 1.0;
    printf("ring: %u KiB, producer and consumer threads; M = millions per second\n", BENCH_RING_BYTES >> 10);
    printf("%7s  %-5s  %10s  %9s  %9s  %9s  %12s\n", "record", "mode", "records", "offered M", "received M",
           "MB/s", "dropped/full");
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (retry = 0; retry < 2; retry++)
            if (bench_run(sizes[i], seconds, retry) != 0)
                rc = 1;
        if (bench_one_thread(sizes[i], seconds / 2) != 0)
            rc = 1;
    }
    return rc;
}
