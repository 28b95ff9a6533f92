/*
 * bench_gen.c - how fast the scenario engine makes events and wskgen writes
 * them (issue 4: 10 million events in under a minute). Prints figures;
 * asserts nothing about time. One thread.
 *
 *   bench_gen [--events N] [DIR]
 *
 * Measures, for N bulk events (default 10 million): the engine alone (a sink
 * that only counts), the engine + afd_encode (what the file sink does before
 * the writer), and gen_write_etl into DIR (default: the working folder),
 * uncompressed and compressed, with the file sizes. The files are removed.
 * Rates are per wall-clock second and per CPU second of this process.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wsk/afd.h>
#include <wsk/gen.h>
#include <wsk/plat.h>

typedef struct counter {
    uint64_t events, bytes;
    int encode;
    uint8_t buf[512];
} counter;

static int count_event(void *ctx, const gen_event *e)
{
    counter *c = (counter *)ctx;
    c->events++;
    if (c->encode) {
        size_t len = 0;
        if (afd_encode(afd_schema_find(e->id, 0), e->ptr_size, e->values, e->count, c->buf, sizeof c->buf, &len))
            return 1;
        c->bytes += len;
    }
    return 0;
}

static void report(const char *what, uint64_t n, uint64_t t0, clock_t c0)
{
    double wall = (double)(plat_now_ns() - t0) / 1e9, cpu = (double)(clock() - c0) / CLOCKS_PER_SEC;
    printf("%-24s %8.3f s wall %7.2f M events/s, %8.3f s cpu %7.2f M events/s\n", what, wall,
           wall > 0 ? (double)n / wall / 1e6 : 0.0, cpu, cpu > 0 ? (double)n / cpu / 1e6 : 0.0);
}

static long long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    long long n = -1;
    if (f) {
        if (fseek(f, 0, SEEK_END) == 0)
            n = (long long)ftell(f);
        fclose(f);
    }
    return n;
}

int main(int argc, char **argv)
{
    gen_options o;
    gen_result r;
    char err[256], path[1024];
    const char *dir = ".";
    int i, pass;
    gen_options_default(&o);
    o.scenario = NULL;
    o.events = 10000000;
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--events") == 0 && i + 1 < argc)
            o.events = strtoull(argv[++i], NULL, 10);
        else
            dir = argv[i];
    }
    for (pass = 0; pass < 2; pass++) {
        counter c;
        gen_sink sink;
        uint64_t t0 = plat_now_ns();
        clock_t c0 = clock();
        memset(&c, 0, sizeof c);
        c.encode = pass;
        sink.ctx = &c;
        sink.event = count_event;
        sink.process = NULL;
        if (gen_run(&o, &sink, &r, err, sizeof err) != 0) {
            fprintf(stderr, "bench_gen: %s\n", err);
            return 1;
        }
        report(pass ? "engine + afd_encode" : "engine only", c.events, t0, c0);
        if (pass)
            printf("%-24s %.1f bytes of payload per event, %llu sockets\n", "", (double)c.bytes / (double)c.events,
                   (unsigned long long)r.socket_count);
        gen_result_free(&r);
    }
    for (pass = 0; pass < 2; pass++) {
        gen_file_options fo;
        uint64_t t0 = plat_now_ns();
        clock_t c0 = clock();
        memset(&fo, 0, sizeof fo);
        fo.compress = pass;
        snprintf(path, sizeof path, "%s/bench_gen_%s.etl", dir, pass ? "z" : "plain");
        if (gen_write_etl(path, &o, &fo, &r, err, sizeof err) != 0) {
            fprintf(stderr, "bench_gen: %s\n", err);
            return 1;
        }
        report(pass ? "gen_write_etl compressed" : "gen_write_etl", r.events, t0, c0);
        printf("%-24s %lld bytes\n", "", file_size(path));
        gen_result_free(&r);
        remove(path);
    }
    return 0;
}
