/*
 * bench_reader.c - how fast the .etl reader walks a large file (issue 3, "Speed"). Prints figures;
 * asserts nothing about time.
 *
 *   bench_reader [--events N] [--compressed-events N] [--keep] [DIR]
 *
 * Writes (with the project's writer, etlw.h) an uncompressed trace of N events (default 10 million,
 * 8 CPUs, 64 KiB buffers, 44-byte payloads: about 1.24 GB, the size of the reference measurement) and a
 * compressed one into DIR (default: the working folder), unless they are already there. Then, with the
 * file in the page cache:
 *   - a plain read loop over the file (what `cat FILE > /dev/null` does), right before each walk;
 *   - open (the buffer walk that builds the index) and the index's heap size per buffer;
 *   - a full time-ordered walk reading every timestamp, and a file-order walk: MB/s, records/s and the
 *     ratio to the read loop;
 *   - the compressed file: decompressed MB/s of a full walk.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wsk/etl.h"
#include "wsk/etlw.h"
#include "wsk/plat.h"

#if defined(__GLIBC__)
#include <malloc.h>
#define BENCH_HAVE_MALLINFO 1
#endif

static double secs_since(uint64_t t0)
{
    return (double)(plat_now_ns() - t0) / 1e9;
}

/* Processor time of this process (user + system): the figure that holds when other jobs share the
 * machine; wall time is printed too. */
static double cpu_secs(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

static int file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    fclose(f);
    return 1;
}

/* Writes n events spread over 8 CPUs, 1 us apart, payloads of 44 bytes that vary (so compression
 * has real work, as with real socket events). */
static int make_trace(const char *path, uint64_t n, int compress)
{
    etlw_options opt;
    etlw_event_desc d;
    etlw *w = NULL;
    char err[256];
    uint8_t payload[44];
    uint64_t i, t0 = plat_now_ns();
    memset(&opt, 0, sizeof opt);
    opt.buffer_size = 65536;
    opt.cpus = 8;
    opt.start_time = 133900000000000000ull;
    opt.compress = compress;
    opt.logger_name = "bench_reader";
    if (etlw_create(path, &opt, &w, err, sizeof err) != 0) {
        fprintf(stderr, "bench_reader: %s\n", err);
        return -1;
    }
    memset(&d, 0, sizeof d);
    d.provider.data1 = 0xE53C6823u;
    d.provider.data2 = 0x7BB8;
    d.provider.data3 = 0x44BB;
    memcpy(d.provider.data4, "\x90\xdc\x3f\x86\x09\x0d\x48\xa6", 8);
    d.level = 4;
    d.keyword = 0x8000000000000002ull;
    for (i = 0; i < n; i++) {
        uint64_t v = i * 0x9E3779B97F4A7C15ull;
        d.cpu = (uint16_t)(i % 8);
        d.pid = 1000 + (uint32_t)(i % 13);
        d.tid = 2000 + (uint32_t)(i % 61);
        d.time = opt.start_time + 10 * i;
        d.id = (uint16_t)(1000 + i % 38);
        memset(payload, 0, sizeof payload);
        memcpy(payload, &v, 8);
        memcpy(payload + 16, &i, 8);
        payload[40] = (uint8_t)(i & 0xFF);
        if (etlw_event(w, &d, payload, sizeof payload) != 0) {
            fprintf(stderr, "bench_reader: %s: %s\n", path, etlw_error(w));
            etlw_close(w, err, sizeof err);
            return -1;
        }
    }
    if (etlw_close(w, err, sizeof err) != 0) {
        fprintf(stderr, "bench_reader: %s\n", err);
        return -1;
    }
    printf("wrote %s: %llu events in %.1f s\n", path, (unsigned long long)n, secs_since(t0));
    return 0;
}

/* The `cat FILE > /dev/null` baseline: sequential reads of 1 MiB. Returns seconds, or -1. */
static double read_loop(const char *path, uint64_t *bytes, double *cpu)
{
    static char buf[1 << 20];
    FILE *f = fopen(path, "rb");
    uint64_t t0, total = 0;
    size_t n;
    if (!f)
        return -1;
    setvbuf(f, NULL, _IONBF, 0);
    *cpu = cpu_secs();
    t0 = plat_now_ns();
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        total += n;
    fclose(f);
    *cpu = cpu_secs() - *cpu;
    *bytes = total;
    return secs_since(t0);
}

typedef struct walk_result {
    double secs;
    double cpu;
    uint64_t records;
    uint64_t checksum; /* keeps the timestamp reads from being optimised away */
} walk_result;

static int walk(etl_file *f, etl_order order, walk_result *r)
{
    etl_iter *it = NULL;
    etl_event ev;
    uint64_t t0, prev = 0, sum = 0, n = 0, backwards = 0;
    if (etl_iter_create(f, order, &it) != ETL_OK)
        return -1;
    r->cpu = cpu_secs();
    t0 = plat_now_ns();
    while (etl_iter_next(it, &ev)) {
        if (order == ETL_ORDER_TIME && ev.time < prev)
            backwards++;
        prev = ev.time;
        sum += ev.time ^ ev.data_len;
        n++;
    }
    r->secs = secs_since(t0);
    r->cpu = cpu_secs() - r->cpu;
    etl_iter_destroy(it);
    r->records = n;
    r->checksum = sum;
    if (backwards)
        printf("  (time order: %llu records earlier than their predecessor)\n", (unsigned long long)backwards);
    return 0;
}

static size_t heap_in_use(void)
{
#ifdef BENCH_HAVE_MALLINFO
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
#else
    return 0;
#endif
}

static int bench_file(const char *path, int compressed)
{
    etl_file *f = NULL;
    char err[512];
    uint64_t t0, size, cat_bytes = 0, decompressed = 0;
    double cat_s, cat_cpu, open_s;
    size_t heap0, heap1;
    uint32_t b, nb;
    walk_result tr, fr;
    double mb;

    cat_s = read_loop(path, &cat_bytes, &cat_cpu); /* warms the page cache */
    heap0 = heap_in_use();
    t0 = plat_now_ns();
    if (etl_open(path, &f, err, sizeof err) != ETL_OK) {
        fprintf(stderr, "bench_reader: %s\n", err);
        return -1;
    }
    open_s = secs_since(t0);
    heap1 = heap_in_use();
    size = etl_file_size(f);
    nb = etl_buffer_count(f);
    for (b = 0; b < nb; b++)
        if (etl_buffer_at(f, b)->compressed)
            decompressed += etl_buffer_at(f, b)->payload_len;
    mb = (double)size / 1e6;
    printf("%s: %.1f MB, %u buffers (%u compressed), %llu diagnostics\n", path, mb, nb,
           etl_compressed_buffer_count(f), (unsigned long long)etl_diag_count(f));
    printf("  open (buffer walk, index): %.3f s; index heap %zu bytes = %.1f bytes per buffer%s\n", open_s,
           heap1 - heap0, nb ? (double)(heap1 - heap0) / nb : 0.0,
           heap0 || heap1 ? "" : " (heap not measurable here)");

    cat_s = read_loop(path, &cat_bytes, &cat_cpu);
    printf("  read loop (cat):  wall %.3f s %6.0f MB/s | cpu %.3f s\n", cat_s, (double)cat_bytes / 1e6 / cat_s,
           cat_cpu);
    if (walk(f, ETL_ORDER_TIME, &tr) != 0)
        goto fail;
    printf("  time order walk:  wall %.3f s %6.0f MB/s %5.1f M rec/s %.2fx cat | cpu %.3f s %6.0f MB/s %5.1f M rec/s"
           " (%llu records)\n", tr.secs, mb / tr.secs, (double)tr.records / 1e6 / tr.secs, tr.secs / cat_s, tr.cpu,
           mb / tr.cpu, (double)tr.records / 1e6 / tr.cpu, (unsigned long long)tr.records);
    cat_s = read_loop(path, &cat_bytes, &cat_cpu);
    if (walk(f, ETL_ORDER_FILE, &fr) != 0)
        goto fail;
    printf("  file order walk:  wall %.3f s %6.0f MB/s %5.1f M rec/s %.2fx cat | cpu %.3f s %6.0f MB/s %5.1f M rec/s\n",
           fr.secs, mb / fr.secs, (double)fr.records / 1e6 / fr.secs, fr.secs / cat_s, fr.cpu, mb / fr.cpu,
           (double)fr.records / 1e6 / fr.cpu);
    if (compressed)
        printf("  decompressed: %.1f MB; time order %.0f MB/s (cpu %.0f), file order %.0f MB/s (cpu %.0f)\n",
               (double)decompressed / 1e6, (double)decompressed / 1e6 / tr.secs,
               (double)decompressed / 1e6 / tr.cpu, (double)decompressed / 1e6 / fr.secs,
               (double)decompressed / 1e6 / fr.cpu);
    if (tr.records != fr.records || tr.checksum != fr.checksum)
        printf("  WARNING: the two orders disagree (%llu vs %llu records)\n", (unsigned long long)tr.records,
               (unsigned long long)fr.records);
    etl_close(f);
    return 0;
fail:
    fprintf(stderr, "bench_reader: %s: out of memory\n", path);
    etl_close(f);
    return -1;
}

int main(int argc, char **argv)
{
    uint64_t events = 10000000, cevents = 2000000;
    const char *dir = ".";
    char plain[1024], comp[1024];
    int i, keep = 0, rc = 0;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
            events = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--compressed-events") == 0 && i + 1 < argc)
            cevents = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--keep") == 0)
            keep = 1;
        else
            dir = argv[i];
    }
    snprintf(plain, sizeof plain, "%s/bench_reader_%llu.etl", dir, (unsigned long long)events);
    snprintf(comp, sizeof comp, "%s/bench_reader_%llu_compressed.etl", dir, (unsigned long long)cevents);
    if (!file_exists(plain) && make_trace(plain, events, 0) != 0)
        return 1;
    if (!file_exists(comp) && make_trace(comp, cevents, 1) != 0)
        return 1;
    if (bench_file(plain, 0) != 0 || bench_file(comp, 1) != 0)
        rc = 1;
    if (!keep) {
        remove(plain);
        remove(comp);
    }
    return rc;
}
