/*
 * bench_sidx - the per-socket row index (sidx.h) on a large trace: what it adds to a load and to memory, and
 * how long listing one socket's rows takes through it and by the scan the detail pane did before (every store
 * row between the socket's first and last, kept when its socket matches).
 *
 *   bench_sidx FILE.etl        (e.g. made by: wskgen big.etl --events 10000000 --seed 7)
 *
 * Sockets listed: the one with the most events and the one whose first and last rows are furthest apart (the
 * scan's worst case). Wall and CPU time; run with the file in the page cache. Figures only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wsk/etl.h"
#include "wsk/load.h"
#include "wsk/plat.h"
#include "wsk/sidx.h"

static double cpu_seconds(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

/* One load of f (with an index when x is given); wall seconds, CPU seconds in *cpu; -1 on failure. */
static double load_once(etl_file *f, sidx *x, store **st, sock_model **sm, double *cpu)
{
    load_job job = {0};
    load_stats ls;
    uint64_t t0;
    double c0;

    if (store_create(UINT32_MAX, st) != 0 || sock_model_create(sm) != 0)
        return -1;
    job.file = f;
    job.events = *st;
    job.sockets = *sm;
    job.index = x;
    job.publish_every = 2048; /* as the viewer publishes */
    t0 = plat_now_ns();
    c0 = cpu_seconds();
    if (load_file(&job, &ls) != 0 || ls.index_failed)
        return -1;
    *cpu = cpu_seconds() - c0;
    return (double)(plat_now_ns() - t0) / 1e9;
}

/* Rows of socket k by the scan between its first and last row (the pane's way before the index). */
static uint32_t scan_rows(const store *st, const sock_info *si, uint32_t k, uint32_t *out)
{
    uint32_t n = 0;
    uint64_t r;
    for (r = si->first_row; r <= si->last_row && r < store_count(st); r++)
        if (store_row_at(st, r)->socket == k)
            out[n++] = (uint32_t)r;
    return n;
}

static void list_one(const char *what, const store *st, const sock_model *sm, const sidx *x, uint32_t k)
{
    const sock_info *si = sock_model_at(sm, k);
    uint32_t *buf = malloc(((size_t)sidx_count(x, k) + si->last_row - si->first_row + 2) * sizeof *buf);
    uint64_t t0, t1, t2;
    uint32_t a, b;

    if (!buf)
        return;
    t0 = plat_now_ns();
    a = sidx_rows(x, k, buf, sidx_count(x, k));
    t1 = plat_now_ns();
    b = scan_rows(st, si, k, buf);
    t2 = plat_now_ns();
    printf("%s: socket %u, %u rows through the index in %.3f ms; the scan of %llu rows found %u in %.3f ms\n",
           what, k, a, (double)(t1 - t0) / 1e6, (unsigned long long)(si->last_row - si->first_row + 1), b,
           (double)(t2 - t1) / 1e6);
    free(buf);
}

int main(int argc, char **argv)
{
    char err[256];
    etl_file *f = NULL;
    store *st = NULL;
    sock_model *sm = NULL;
    sidx *x = NULL;
    double plain, plain_cpu, indexed, indexed_cpu;
    uint32_t k, most = 0, widest = 0;
    uint64_t n;

    if (argc != 2) {
        fprintf(stderr, "usage: bench_sidx FILE.etl\n");
        return 2;
    }
    if (etl_open(argv[1], &f, err, sizeof err) != ETL_OK) {
        fprintf(stderr, "bench_sidx: %s\n", err);
        return 1;
    }
    plain = load_once(f, NULL, &st, &sm, &plain_cpu);
    store_destroy(st);
    sock_model_destroy(sm);
    if (plain < 0 || sidx_create(&x) != 0 || (indexed = load_once(f, x, &st, &sm, &indexed_cpu)) < 0) {
        fprintf(stderr, "bench_sidx: the load failed\n");
        return 1;
    }
    n = store_count(st);
    printf("%llu rows, %zu sockets\n", (unsigned long long)n, sock_model_count(sm));
    printf("load without the index: %.2f s wall, %.2f s CPU; with it: %.2f s wall, %.2f s CPU\n", plain,
           plain_cpu, indexed, indexed_cpu);
    printf("index memory: %.1f MB, %.2f bytes per event\n", (double)sidx_memory(x) / 1e6,
           (double)sidx_memory(x) / (double)(n ? n : 1));
    for (k = 0; k < sock_model_count(sm); k++) {
        const sock_info *si = sock_model_at(sm, k), *w = sock_model_at(sm, widest);
        if (sidx_count(x, k) > sidx_count(x, most))
            most = k;
        if (si->first_row != UINT64_MAX && si->last_row - si->first_row > w->last_row - w->first_row)
            widest = k;
    }
    list_one("most events", st, sm, x, most);
    list_one("longest span", st, sm, x, widest);
    sidx_destroy(x);
    sock_model_destroy(sm);
    store_destroy(st);
    etl_close(f);
    return 0;
}
