/*
 * bench_live.c - the live capture chain at rising rates: the replay source on its thread (as ProcessTrace
 * on the capture thread) -> cap_deliver -> ring -> live consumer on its thread -> arena + store + socket
 * model. For each rate: the rate achieved, the ring's drops, the consumer's lag (rows still in the ring
 * or the reorder window when the producer finished), and memory per event (store + arena). Prints
 * figures; asserts nothing about speed.
 *
 * Usage: bench_live [--events N] [--ring-mib M] [--keep DIR] [RATE...]   (RATE in events/s, 0 = flat out;
 * default 100000 250000 500000 1000000 2000000 0)
 */
#include "wsk/cap.h"
#include "wsk/gen.h"
#include "wsk/live.h"
#include "wsk/plat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct consumer {
    live *lv;
    plat_atomic_u64 stop;
} consumer;

static int consumer_main(void *p)
{
    consumer *c = (consumer *)p;
    return live_run(c->lv, &c->stop);
}

static int run(const char *path, double rate, uint32_t ring_bytes)
{
    ring *r = NULL;
    cap_arena *arena = NULL;
    store *st = NULL;
    sock_model *sm = NULL;
    consumer c;
    plat_thread *t = NULL;
    cap_sink sink;
    cap_replay_options o;
    cap_replay *rp = NULL;
    cap_replay_stats rs;
    live_config cfg;
    live_stats ls;
    uint64_t t_end;
    int rc = -1;

    memset(&c, 0, sizeof c);
    if (ring_create(ring_bytes, CAP_MAX_RECORD, &r) != 0 || cap_arena_create((uint64_t)8 << 30, &arena) != 0 ||
        store_create(1u << 26, &st) != 0 || sock_model_create(&sm) != 0)
        goto cleanup;
    memset(&cfg, 0, sizeof cfg);
    cfg.ring = r;
    cfg.arena = arena;
    cfg.events = st;
    cfg.sockets = sm;
    if (live_create(&cfg, &c.lv) != 0)
        goto cleanup;
    memset(&sink, 0, sizeof sink);
    sink.ring = r;
    plat_store_release(&c.stop, 0);
    if (plat_thread_start(&t, consumer_main, &c, "wsk-live") != 0)
        goto cleanup;
    memset(&o, 0, sizeof o);
    o.path = path;
    o.rate = rate;
    o.callback = cap_record_to_sink;
    o.context = &sink;
    if (cap_replay_start(&o, &rp) != 0 || cap_replay_join(rp, &rs) != 0) {
        plat_store_release(&c.stop, 1);
        plat_thread_join(t);
        goto cleanup;
    }
    t_end = plat_now_ns();
    plat_store_release(&c.stop, 1);
    plat_thread_join(t);
    t_end = plat_now_ns() - t_end;
    live_get_stats(c.lv, &ls);
    sock_model_finish(sm);
    printf("%10.0f  %10.0f  %9llu  %8.4f%%  %9.1f ms  %6.1f  %6.1f  %6.1f\n", rate,
           (double)rs.events * 1e9 / (double)rs.elapsed_ns, (unsigned long long)ring_dropped(r),
           100.0 * (double)ring_dropped(r) / (double)(rs.events ? rs.events : 1), (double)t_end / 1e6,
           (double)store_memory(st) / (double)(store_count(st) ? store_count(st) : 1),
           (double)cap_arena_memory(arena) / (double)(store_count(st) ? store_count(st) : 1),
           (double)(store_memory(st) + cap_arena_memory(arena)) / (double)(store_count(st) ? store_count(st) : 1));
    rc = 0;

cleanup:
    live_destroy(c.lv);
    sock_model_destroy(sm);
    store_destroy(st);
    cap_arena_destroy(arena);
    ring_destroy(r);
    return rc;
}

/* Each side alone: the replay + callback flat out into a ring that holds the whole trace (nothing drains
 * it), then the consumer draining that ring with nobody producing. Wall and CPU time of this process. */
static int split(const char *path, uint64_t events)
{
    ring *r = NULL;
    cap_arena *arena = NULL;
    store *st = NULL;
    sock_model *sm = NULL;
    live *lv = NULL;
    cap_sink sink;
    cap_replay_options o;
    cap_replay_stats rs;
    live_config cfg;
    uint64_t t0;
    uint32_t bytes = 1u << 30;
    int rc = -1;

    if (ring_create(bytes, CAP_MAX_RECORD, &r) != 0 || cap_arena_create((uint64_t)8 << 30, &arena) != 0 ||
        store_create(1u << 26, &st) != 0 || sock_model_create(&sm) != 0)
        goto cleanup;
    memset(&cfg, 0, sizeof cfg);
    cfg.ring = r;
    cfg.arena = arena;
    cfg.events = st;
    cfg.sockets = sm;
    if (live_create(&cfg, &lv) != 0)
        goto cleanup;
    memset(&sink, 0, sizeof sink);
    sink.ring = r;
    memset(&o, 0, sizeof o);
    o.path = path;
    o.callback = cap_record_to_sink;
    o.context = &sink;
    if (cap_replay_run(&o, &rs, NULL, 0) != 0)
        goto cleanup;
    printf("producer alone (replay + cap_deliver): %.2f M events/s, %llu dropped of %llu\n",
           (double)rs.events * 1e3 / (double)rs.elapsed_ns, (unsigned long long)ring_dropped(r),
           (unsigned long long)events);
    t0 = plat_now_ns();
    live_flush(lv);
    t0 = plat_now_ns() - t0;
    printf("consumer alone (ring -> arena -> window -> store + sockets): %.2f M events/s\n",
           (double)store_count(st) * 1e3 / (double)t0);
    rc = 0;

cleanup:
    live_destroy(lv);
    sock_model_destroy(sm);
    store_destroy(st);
    cap_arena_destroy(arena);
    ring_destroy(r);
    return rc;
}

int main(int argc, char **argv)
{
    uint64_t events = 2000000;
    uint32_t ring_mib = 64;
    const char *keep = NULL;
    double rates[16];
    int nrates = 0, i;
    char path[1024], err[256];
    gen_options go;
    gen_file_options fo;
    gen_result res;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
            events = strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--ring-mib") == 0 && i + 1 < argc)
            ring_mib = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
            keep = argv[++i];
        else if (nrates < 16)
            rates[nrates++] = strtod(argv[i], NULL);
    }
    if (!nrates) {
        static const double def[] = {100000, 250000, 500000, 1000000, 2000000, 0};
        for (i = 0; i < 6; i++)
            rates[nrates++] = def[i];
    }
    if (ring_mib < 1 || ring_mib > 1024 || (ring_mib & (ring_mib - 1))) {
        fprintf(stderr, "bench_live: --ring-mib must be a power of two from 1 to 1024\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s/bench_live.etl", keep ? keep : ".");
    gen_options_default(&go);
    go.events = events;
    memset(&fo, 0, sizeof fo);
    fo.process_table = 1;
    if (gen_write_etl(path, &go, &fo, &res, err, sizeof err) != 0) {
        fprintf(stderr, "bench_live: %s\n", err);
        return 1;
    }
    gen_result_free(&res);
    printf("bench_live: %llu events (wskgen, scenario all + bulk), ring %u MiB, consumer and replay threads\n",
           (unsigned long long)events, ring_mib);
    if (split(path, events) != 0)
        fprintf(stderr, "bench_live: the split run failed\n");
    printf("      rate    achieved      drops     drop%%   drain at end  store B/ev  arena B/ev  total B/ev\n");
    for (i = 0; i < nrates; i++)
        if (run(path, rates[i], ring_mib << 20) != 0)
            fprintf(stderr, "bench_live: run at %.0f/s failed\n", rates[i]);
    if (!keep)
        remove(path);
    return 0;
}
