/*
 * bench_tl.c - the timeline's portable layout (tl.h) on a large trace built in memory: 100,000 sockets and
 * 10 million events by default (tests/unit/tl_synth.h: every event encoded and decoded with the schema,
 * stored and fed to the socket model, as load.c does, without a file). Prints figures; asserts nothing.
 *
 *   bench_tl [SOCKETS [EVENTS_PER_SOCKET]]
 *
 * The trace: 24 processes; sockets start evenly over an hour, each a TCP client (create, connect, sends and
 * receives, cleanup, close); one in 100 lives for most of the hour, the others a few seconds; one in 40 is
 * refused (its events go to the next socket, so the total is exact) and one in 50 aborted. Events are
 * appended socket by socket, so the store is not in time order (the index sorts what it must).
 *
 * Frames of 1920 x 1080 (rows 18 px, headers 22, axis 24), each case over many scroll positions:
 *   fit-all   the whole hour, scroll positions spread over all the rows;
 *   zoomed    10 seconds in the middle, each frame scrolled to a socket alive then;
 *   filtered  fit-all with `event == send` applied (ticks only for sends): the rows selected, the timeline's
 *             part built from them (wskview's filter job) and applied (its UI thread), each timed.
 * For each: median and worst wall time per frame, CPU time per frame, and primitives (median, worst)
 * against the bound visible rows x pixel columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../unit/tl_synth.h"
#include "wsk/filt.h"
#include "wsk/plat.h"
#include "wsk/tl.h"

#define W 1920
#define H 1080
#define ROW_H 18
#define HEADER_H 22
#define AXIS_H 24
#define FRAMES 201
#define BASE 134130000000000000ull /* 2026-01-15 */
#define HOUR 36000000000ull

static const char *const images[] = {
    "chrome.exe", "msedge.exe", "svchost.exe", "Teams.exe",  "OneDrive.exe", "outlook.exe",
    "Spotify.exe", "firefox.exe", "code.exe",   "node.exe",   "python.exe",  "java.exe",
    "sqlservr.exe", "nginx.exe", "curl.exe",    "git.exe",    "ssh.exe",     "steam.exe",
    "Discord.exe", "slack.exe",  "zoom.exe",    "dropbox.exe", "MsMpEng.exe", "lsass.exe"};
#define NPROC (sizeof images / sizeof images[0])

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (uint32_t)(rnd_state % n);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct figures {
    uint64_t ns[FRAMES];
    uint64_t prims[FRAMES];
    double cpu;
    int n;
} figures;

static void run_frame(figures *f, const tl_view *v, tl_prim *p, size_t cap)
{
    uint64_t t0 = plat_now_ns();
    size_t n = tl_layout(v, p, cap);
    f->ns[f->n] = plat_now_ns() - t0;
    f->prims[f->n++] = n;
}

static void report(const char *name, figures *f)
{
    size_t rows = (H - AXIS_H) / ROW_H + 1;
    qsort(f->ns, (size_t)f->n, sizeof f->ns[0], cmp_u64);
    qsort(f->prims, (size_t)f->n, sizeof f->prims[0], cmp_u64);
    printf("%-9s %4d frames  median %7.3f ms  worst %7.3f ms  cpu %7.3f ms/frame  primitives median %6llu"
           " worst %6llu  (bound rows x columns %zu x %d = %zu)\n",
           name, f->n, f->ns[f->n / 2] / 1e6, f->ns[f->n - 1] / 1e6, f->cpu * 1e3 / f->n,
           (unsigned long long)f->prims[f->n / 2], (unsigned long long)f->prims[f->n - 1], rows, W, rows * W);
}

/* Appends the trace described at the top; dense: every socket lives the whole hour (the worst case for
 * the level of detail: every column of every row has events). */
static void build(synth *s, uint32_t nsock, uint32_t per, int dense)
{
    uint64_t base = BASE, hour = HOUR;
    uint32_t deficit = 0;
    for (uint32_t i = 0; i < NPROC; i++)
        sock_model_set_process_name(s->sm, 1000 + 4 * i, images[i]);
    for (uint32_t i = 0; i < nsock; i++) {
        uint64_t start = base + (dense ? i : (uint64_t)i * hour / nsock);
        uint64_t ep = 0xffffb00000000000ull + (uint64_t)i * 0x400;
        uint32_t pid = 1000 + 4 * rnd(NPROC);
        int refused = !dense && i % 40 == 7, aborted = !dense && i % 50 == 3;
        int longlived = dense || i % 100 == 42;
        uint32_t io = per - 6 + deficit;
        /* long-lived sockets spread their I/O over most of what is left of the hour */
        uint64_t span_left = base + hour - start, gap;
        deficit = 0;
        if (refused) {
            deficit = io;
            io = 0;
        }
        if (aborted)
            io--;
        gap = longlived ? span_left * (dense ? 9 : 5) / 10 / (io + 1) + 1 : 1000 + rnd(500000);
        if (refused) {
            synth_client(s, ep, pid, start, 0, 1, 1);
            continue;
        }
        if (!aborted) {
            synth_client(s, ep, pid, start, io, gap, 0);
            continue;
        }
        /* aborted: the connection is cut half way through its I/O */
        uint64_t tm = start;
        synth_event(s, 1000, 0, ep, pid, 0, 0, tm);
        synth_event(s, 1000, 1, ep, pid, 0, 0, tm += 10);
        synth_event(s, 1017, 0, ep, pid, SYNTH_PENDING, 0, tm += 10);
        synth_event(s, 1017, 1, ep, pid, 0, 0, tm += 1000);
        for (uint32_t k = 0; k < io; k++) {
            synth_event(s, (k & 1) ? 1004 : 1003, 1, ep, pid, 0, 1460, tm += gap);
            if (k == io / 2)
                synth_event(s, 1032, 2, ep, pid, 7, 0, tm += 5);
        }
        synth_event(s, 1002, 1, ep, pid, 0, 0, tm += 1000);
        synth_event(s, 1001, 1, ep, pid, 0, 0, tm += 10);
    }
    store_publish(s->st);
    sock_model_finish(s->sm);
}

static double cpu_secs(void)
{
    return (double)clock() / CLOCKS_PER_SEC;
}

int main(int argc, char **argv)
{
    uint32_t nsock = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 100000;
    uint32_t per = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 100;
    synth s = {0};
    tl *t = NULL;
    tl_view v;
    tl_prim *prims = NULL;
    figures fig;
    filt *f = NULL;
    filt_error fe;
    int rc = 1;

    memset(&v, 0, sizeof v);
    if (per < 8 || nsock == 0 || store_create((uint64_t)nsock * per + 16, &s.st) != 0 ||
        sock_model_create(&s.sm) != 0) {
        fprintf(stderr, "usage: bench_tl [SOCKETS [EVENTS_PER_SOCKET >= 8]] (or out of memory)\n");
        goto cleanup;
    }
    uint64_t b0 = plat_now_ns();
    build(&s, nsock, per, 0);
    printf("trace     %llu events, %zu sockets, built in memory in %.2f s\n",
           (unsigned long long)store_count(s.st), sock_model_count(s.sm), (plat_now_ns() - b0) / 1e9);

    uint64_t c0 = plat_now_ns();
    double cpu0 = cpu_secs();
    if (tl_create(s.st, s.sm, &t) != 0) {
        fprintf(stderr, "tl_create: out of memory\n");
        goto cleanup;
    }
    printf("tl_create %.3f s (cpu %.3f s), %.1f MB (%.1f bytes per event), %zu groups\n",
           (plat_now_ns() - c0) / 1e9, cpu_secs() - cpu0, tl_memory(t) / 1e6,
           (double)tl_memory(t) / (double)store_count(s.st), tl_group_count(t));

    tl_view_init(&v, t, W, H, ROW_H, HEADER_H, AXIS_H);
    if (tl_view_sync(&v) != 0)
        goto cleanup;
    size_t cap = tl_layout_bound(&v);
    prims = malloc(cap * sizeof *prims);
    if (!prims)
        goto cleanup;
    int64_t content = v.line_y[v.nlines];

    /* fit-all */
    memset(&fig, 0, sizeof fig);
    cpu0 = cpu_secs();
    for (int k = 0; k < FRAMES; k++) {
        v.scroll_y = content * k / FRAMES;
        tl_view_scroll(&v, 0);
        run_frame(&fig, &v, prims, cap);
    }
    fig.cpu = cpu_secs() - cpu0;
    report("fit-all", &fig);

    /* zoomed: 10 s in the middle, scrolled to sockets alive then */
    uint64_t mid = BASE + HOUR / 2;
    tl_view_zoom_range(&v, mid - 50000000, mid + 50000000);
    uint32_t *alive = malloc(sizeof *alive * nsock);
    size_t nalive = 0;
    for (uint32_t i = 0; alive && i < nsock; i++) {
        const sock_info *si = sock_model_at(s.sm, i);
        if (si->created <= v.t1 && (!(si->flags & SOCK_F_CLOSED) || si->closed >= v.t0))
            alive[nalive++] = i;
    }
    memset(&fig, 0, sizeof fig);
    cpu0 = cpu_secs();
    for (int k = 0; k < FRAMES && nalive; k++) {
        tl_view_reveal(&v, alive[(size_t)k * nalive / FRAMES]);
        run_frame(&fig, &v, prims, cap);
    }
    fig.cpu = cpu_secs() - cpu0;
    free(alive);
    printf("zoomed    10 s window, %zu sockets alive in it\n", nalive);
    if (fig.n)
        report("zoomed", &fig);

    /* filtered */
    filt_ctx c = {s.st, s.sm, tl_last_time(t), NULL, NULL};
    if (filt_compile("event == send", &f, &fe) != 0) {
        fprintf(stderr, "filter: %s\n", fe.message);
        goto cleanup;
    }
    /* as wskview does it: the list's filter job selects the rows and builds the timeline's part (worker
     * thread); the UI thread applies it and rebuilds the view's lines */
    {
        uint64_t nrows = store_count(s.st), kept;
        uint32_t *rows = malloc((size_t)nrows * sizeof *rows);
        tl_filter *tf = NULL;
        double cpu1, cpu2;
        uint64_t c1, c2;
        if (!rows)
            goto cleanup;
        c0 = plat_now_ns();
        cpu0 = cpu_secs();
        kept = filt_select(f, &c, 0, nrows, rows);
        c1 = plat_now_ns();
        cpu1 = cpu_secs();
        if (tl_filter_build(t, f, &c, rows, kept, &tf) != 0) {
            free(rows);
            goto cleanup;
        }
        free(rows);
        c2 = plat_now_ns();
        cpu2 = cpu_secs();
        tl_filter_apply(t, tf);
        if (tl_view_sync(&v) != 0)
            goto cleanup;
        printf("filter    `event == send`: rows selected in %.3f s (cpu %.3f s, the list's job), timeline part "
               "built in %.3f s (cpu %.3f s, the same job), applied with the view's lines in %.3f ms (UI thread)\n",
               (c1 - c0) / 1e9, cpu1 - cpu0, (c2 - c1) / 1e9, cpu2 - cpu1, (plat_now_ns() - c2) / 1e6);
    }
    tl_view_fit_all(&v);
    content = v.line_y[v.nlines];
    memset(&fig, 0, sizeof fig);
    cpu0 = cpu_secs();
    for (int k = 0; k < FRAMES; k++) {
        v.scroll_y = content * k / FRAMES;
        tl_view_scroll(&v, 0);
        run_frame(&fig, &v, prims, cap);
    }
    fig.cpu = cpu_secs() - cpu0;
    report("filtered", &fig);

    /* dense: 80 sockets of 100,000 events each over the whole hour */
    filt_free(f);
    f = NULL;
    free(prims);
    prims = NULL;
    tl_view_free(&v);
    tl_destroy(t);
    t = NULL;
    sock_model_destroy(s.sm);
    store_destroy(s.st);
    memset(&s, 0, sizeof s);
    if (store_create(80u * 100000u + 16, &s.st) != 0 || sock_model_create(&s.sm) != 0)
        goto cleanup;
    build(&s, 80, 100000, 1);
    if (tl_create(s.st, s.sm, &t) != 0)
        goto cleanup;
    tl_view_init(&v, t, W, H, ROW_H, HEADER_H, AXIS_H);
    if (tl_view_sync(&v) != 0)
        goto cleanup;
    cap = tl_layout_bound(&v);
    prims = malloc(cap * sizeof *prims);
    if (!prims)
        goto cleanup;
    printf("dense     %llu events, %zu sockets over the hour\n", (unsigned long long)store_count(s.st),
           sock_model_count(s.sm));
    content = v.line_y[v.nlines];
    memset(&fig, 0, sizeof fig);
    cpu0 = cpu_secs();
    for (int k = 0; k < FRAMES; k++) {
        v.scroll_y = content * k / FRAMES;
        tl_view_scroll(&v, 0);
        run_frame(&fig, &v, prims, cap);
    }
    fig.cpu = cpu_secs() - cpu0;
    report("dense", &fig);
    rc = 0;
cleanup:
    filt_free(f);
    free(prims);
    tl_view_free(&v);
    tl_destroy(t);
    sock_model_destroy(s.sm);
    store_destroy(s.st);
    return rc;
}
