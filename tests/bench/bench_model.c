/*
 * bench_model - the event store, socket model, filters and sorting on a large trace (issue 5's figures).
 *
 *   bench_model FILE.etl        (e.g. made by: wskgen big.etl --events 10000000)
 *
 * Prints: load into the store with and without the socket model (events/s; the difference is the
 * socket rebuild), bytes per event held by the store, the socket count, five typical filters on stored
 * fields and two text matches (ms and events/s, one core), and sorts by three columns. Every figure is
 * given in wall time and in this process's CPU time: on a shared machine the CPU time is the one-core
 * figure. Run it with the file in the page cache (run twice). Figures only: nothing asserts a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wsk/etl.h"
#include "wsk/filt.h"
#include "wsk/load.h"
#include "wsk/plat.h"
#include "wsk/rows.h"

typedef struct loaded {
    etl_file *f;
    store *st;
    sock_model *sm;
} loaded;

static int decode(void *user, uint64_t row, afd_fields *out)
{
    loaded *l = user;
    return load_decode_row(l->f, store_row_at(l->st, row), out);
}

static double cpu_seconds(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

static double load_once(etl_file *f, store **st, sock_model **sm, int with_sockets, double *cpu)
{
    load_job job = {0};
    load_stats ls;
    if (store_create(UINT32_MAX, st) != 0 || (with_sockets && sock_model_create(sm) != 0))
        return -1;
    job.file = f;
    job.events = *st;
    job.sockets = with_sockets ? *sm : NULL;
    job.publish_every = 65536;
    uint64_t t0 = plat_now_ns();
    double c0 = cpu_seconds();
    if (load_file(&job, &ls) != 0)
        return -1;
    *cpu = cpu_seconds() - c0;
    return (double)(plat_now_ns() - t0) / 1e9;
}

int main(int argc, char **argv)
{
    char err[256];
    loaded l = {0};
    store *plain = NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_model FILE.etl\n");
        return 2;
    }
    if (etl_open(argv[1], &l.f, err, sizeof err) != ETL_OK) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    double c_plain, c_full;
    double t_plain = load_once(l.f, &plain, NULL, 0, &c_plain);
    double t_full = load_once(l.f, &l.st, &l.sm, 1, &c_full);
    if (t_plain < 0 || t_full < 0) {
        fprintf(stderr, "load failed\n");
        return 2;
    }
    uint64_t n = store_count(l.st);
    printf("events                 %llu\n", (unsigned long long)n);
    printf("                       wall       CPU\n");
    printf("load, store only       %6.3f s   %6.3f s  %.1f M events/s (CPU)\n", t_plain, c_plain, n / c_plain / 1e6);
    printf("load, store + sockets  %6.3f s   %6.3f s  %.1f M events/s (CPU)\n", t_full, c_full, n / c_full / 1e6);
    printf("socket rebuild         %6.3f s   %6.3f s  (%zu sockets)\n", t_full - t_plain, c_full - c_plain,
           sock_model_count(l.sm));
    printf("store bytes per event  %.1f (rows %zu B + chunk directory)\n",
           (double)store_memory(l.st) / (double)n, sizeof(store_row));
    printf("socket model           %.1f MB (%zu B per socket)\n",
           (double)sock_model_count(l.sm) * sizeof(sock_info) / 1e6, sizeof(sock_info));
    store_destroy(plain);

    filt_ctx c = {l.st, l.sm, store_row_at(l.st, n - 1)->time, decode, &l};
    static const char *const exprs[] = {
        "event == send and bytes > 1000",
        "status != success",
        "socket.pid == 2356 and event in (connect, accept)",
        "remote in 203.0.113.0/24 and remote.port == 443",
        "socket.outcome == aborted or socket.duration > 2s",
        "process contains \"edge\"",
        "process ~ \"^(chrome|msedge)\\\\.exe$\"",
    };
    uint32_t *rows = malloc(n * sizeof *rows);
    if (!rows)
        return 2;
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        filt *f = NULL;
        filt_error fe;
        if (filt_compile(exprs[i], &f, &fe) != 0) {
            fprintf(stderr, "%s: %s\n", exprs[i], fe.message);
            return 2;
        }
        uint64_t t0 = plat_now_ns();
        double c0 = cpu_seconds();
        uint64_t m = filt_select(f, &c, 0, n, rows);
        double cs = cpu_seconds() - c0;
        double s = (double)(plat_now_ns() - t0) / 1e9;
        printf("filter %-55s %7.1f ms wall %7.1f ms CPU  %6.1f M events/s (CPU)  %llu match\n", exprs[i],
               s * 1e3, cs * 1e3, n / cs / 1e6, (unsigned long long)m);
        filt_free(f);
    }
    static const rows_column cols[] = {ROWS_COL_TIME, ROWS_COL_PROCESS, ROWS_COL_BYTES};
    static const char *const names[] = {"time (descending)", "process", "bytes"};
    for (size_t i = 0; i < 3; i++) {
        for (uint64_t r = 0; r < n; r++)
            rows[r] = (uint32_t)r;
        uint64_t t0 = plat_now_ns();
        double c0 = cpu_seconds();
        if (rows_sort(&c, cols[i], i == 0, rows, n) != 0)
            return 2;
        printf("sort by %-20s %8.1f ms wall %8.1f ms CPU\n", names[i], (double)(plat_now_ns() - t0) / 1e6,
               (cpu_seconds() - c0) * 1e3);
    }
    free(rows);
    sock_model_destroy(l.sm);
    store_destroy(l.st);
    etl_close(l.f);
    return 0;
}
