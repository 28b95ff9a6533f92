/*
 * bench_afd.c - how fast Winsock-AFD payloads decode and format (issue 4,
 * "Speed"). Prints figures; asserts nothing about time. One thread.
 *
 *   bench_afd [--events N] [--passes P] [--decode-only] [ETL_FILE]
 *
 * Builds N encoded events in memory (default 10 million) with the mix a busy
 * trace has: mostly 1003/1004 send/receive requests and completions, some
 * datagram events with an IPv4 or IPv6 sockaddr, creates, closes, connects,
 * accepts and a few legacy events; 64-bit pointers. Then measures:
 *   - decode: schema lookup + afd_decode of every event, reading the fields a
 *     list row shows (endpoint, status, bytes, address family and port), P
 *     times (default 1: more passes let `perf stat` separate decoding from
 *     building the events);
 *   - details: afd_format_details of every event (a row's text);
 *   - json: afd_format_json of every event.
 * With ETL_FILE (e.g. from `wskgen FILE --events 10000000`), also a file-order
 * walk of the .etl reader alone and one that decodes every AFD event: their
 * difference is the decoding cost on real records.
 * Rates are given per wall-clock second and per CPU second of this process;
 * on a shared machine the CPU figure is the one-core rate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <wsk/afd.h>
#include <wsk/etl.h>
#include <wsk/plat.h>

typedef struct mix_entry {
    uint16_t id;
    unsigned weight; /* out of 100 */
} mix_entry;

static const mix_entry mix[] = {
    {1003, 30}, {1004, 30}, {1009, 8}, {1007, 6}, {3003, 6}, {1000, 3}, {1001, 3}, {1002, 2},
    {1021, 2},  {1027, 2},  {1030, 2}, {1032, 1}, {1033, 1}, {23, 2},   {24, 2},
};

static double secs(uint64_t t0)
{
    return (double)(plat_now_ns() - t0) / 1e9;
}

/* Process CPU seconds: on a shared machine the wall clock also counts the time other programs ran. */
static double cpu_secs(clock_t c0)
{
    return (double)(clock() - c0) / CLOCKS_PER_SEC;
}

static void report(const char *what, const char *unit, uint64_t n, uint64_t t0, clock_t c0)
{
    double wall = secs(t0), cpu = cpu_secs(c0);
    printf("%-20s %.3f s wall %.2f M %s/s, %.3f s cpu %.2f M %s/s\n", what, wall, n / wall / 1e6, unit, cpu,
           cpu > 0 ? n / cpu / 1e6 : 0.0, unit);
}

/* Fills values for event s (64-bit), varying with i; v6 picks the sockaddr family. */
static size_t encode_one(const afd_event_schema *s, uint64_t i, uint8_t *out, size_t cap)
{
    afd_value v[AFD_MAX_FIELDS];
    uint8_t sa[32];
    afd_addr a;
    size_t sa_len, len = 0;
    memset(&a, 0, sizeof a);
    if (i % 3 == 0) {
        a.family = AFD_AF_INET6;
        a.bytes[0] = 0x20;
        a.bytes[1] = 0x01;
        a.bytes[2] = 0x0d;
        a.bytes[3] = 0xb8;
        a.bytes[15] = (uint8_t)i;
    } else {
        a.family = AFD_AF_INET;
        a.bytes[0] = 10;
        a.bytes[3] = (uint8_t)i;
    }
    a.port = (uint16_t)(1024 + i % 50000);
    sa_len = afd_sockaddr_build(&a, sa, sizeof sa);
    memset(v, 0, sizeof v);
    for (int k = 0; k < s->nfields; k++) {
        switch (s->fields[k].role) {
        case AFD_ROLE_ENDPOINT:
            v[k].u = 0xffffa00000000000ull + (i % 4096) * 0x1000;
            break;
        case AFD_ROLE_PROCESS:
            v[k].u = 0xffff800012340000ull;
            break;
        case AFD_ROLE_BYTES:
            v[k].u = i % 65536;
            break;
        case AFD_ROLE_ENTER_EXIT:
            v[k].u = i & 1;
            break;
        case AFD_ROLE_STATUS:
            v[k].u = i % 97 == 0 ? 0xC0000236u : 0;
            break;
        default:
            v[k].u = i * 7;
            break;
        }
        if (s->fields[k].type == AFD_T_SOCKADDR) {
            v[k].data = sa;
            v[k].len = (uint32_t)sa_len;
        } else if (s->fields[k].type == AFD_T_IPV6) {
            v[k].data = a.bytes;
            v[k].len = 16;
        } else if (s->fields[k].type != AFD_T_POINTER && s->fields[k].type != AFD_T_U8) {
            v[k].u &= 0xffffffffu;
        }
    }
    if (afd_encode(s, 8, v, s->nfields, out, cap, &len) != 0)
        return 0;
    return len;
}

typedef struct row_sum {
    uint64_t endpoints, bytes, statuses, ports, errors;
} row_sum;

/* The fields a list row shows. Summed so the compiler keeps the work. */
static void row_fields(const afd_fields *f, row_sum *sum)
{
    sum->endpoints += afd_get(f, AFD_ROLE_ENDPOINT, 0);
    sum->bytes += afd_get(f, AFD_ROLE_BYTES, 0);
    if (f->has_status)
        sum->statuses += f->status;
    if (f->has_addr)
        sum->ports += f->addr.port + f->addr.family;
    sum->errors += f->malformed;
}

/* One file-order walk; decodes the AFD events when decode is set. Returns CPU seconds, -1 on error. */
static double walk_file(etl_file *file, int decode, uint64_t *records, uint64_t *afd, row_sum *sum)
{
    etl_iter *it = NULL;
    etl_event ev;
    clock_t c0 = clock();
    if (etl_iter_create(file, ETL_ORDER_FILE, &it) != ETL_OK)
        return -1;
    *records = *afd = 0;
    while (etl_iter_next(it, &ev) > 0) {
        (*records)++;
        if ((ev.flags & ETL_EV_HAS_PROVIDER) && afd_is_provider(&ev.provider)) {
            (*afd)++;
            if (decode) {
                const afd_event_schema *s = afd_schema_find(ev.id, ev.version);
                afd_fields f;
                if (s && afd_decode(s, ev.data, ev.data_len, ev.pointer_size, &f) == 0)
                    row_fields(&f, sum);
            }
        }
    }
    etl_iter_destroy(it);
    return cpu_secs(c0);
}

/* The reader's walk alone, then walk + decode: the difference is what decoding costs. */
static int bench_file(const char *path)
{
    etl_file *file = NULL;
    char err[256];
    row_sum sum = {0, 0, 0, 0, 0};
    uint64_t records = 0, afd = 0;
    double walk, both;
    int rc = 1;

    if (etl_open(path, &file, err, sizeof err) != ETL_OK) {
        fprintf(stderr, "bench_afd: %s\n", err);
        goto cleanup;
    }
    walk_file(file, 0, &records, &afd, &sum); /* warms the page cache */
    walk = walk_file(file, 0, &records, &afd, &sum);
    both = walk_file(file, 1, &records, &afd, &sum);
    if (walk < 0 || both < 0) {
        fprintf(stderr, "bench_afd: cannot iterate %s\n", path);
        goto cleanup;
    }
    printf("file %s: %llu records, %llu AFD events (cpu seconds)\n", path, (unsigned long long)records,
           (unsigned long long)afd);
    printf("  reader walk         %.3f s  %.2f M events/s\n", walk, afd / walk / 1e6);
    printf("  walk + decode       %.3f s  %.2f M events/s\n", both, afd / both / 1e6);
    if (both > walk)
        printf("  decode (difference) %.3f s  %.2f M events/s\n", both - walk, afd / (both - walk) / 1e6);
    printf("  (checksum %llu)\n", (unsigned long long)(sum.endpoints + sum.bytes + sum.statuses + sum.ports));
    rc = 0;
cleanup:
    if (file)
        etl_close(file);
    return rc;
}

int main(int argc, char **argv)
{
    uint64_t n = 10000000, total = 0, t0, i;
    const char *file = NULL;
    int decode_only = 0;
    unsigned passes = 1;
    uint8_t *data = NULL;
    uint32_t *off = NULL;
    uint16_t *ids = NULL;
    size_t cap, used = 0;
    row_sum sum = {0, 0, 0, 0, 0};
    char buf[1024];
    clock_t c0;
    int rc = 1;

    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--events") == 0 && a + 1 < argc)
            n = strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--passes") == 0 && a + 1 < argc)
            passes = (unsigned)strtoul(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--decode-only") == 0)
            decode_only = 1;
        else
            file = argv[a];
    }
    cap = (size_t)n * 64 + 4096;
    data = malloc(cap);
    off = malloc(((size_t)n + 1) * sizeof *off);
    ids = malloc((size_t)n * sizeof *ids);
    if (!data || !off || !ids || cap > 0xffffffffu) {
        fprintf(stderr, "bench_afd: not enough memory for %llu events\n", (unsigned long long)n);
        goto cleanup;
    }
    for (i = 0; i < n; i++) {
        unsigned pick = (unsigned)((i * 2654435761u) % 100), acc = 0;
        size_t k = 0;
        while (k + 1 < sizeof mix / sizeof mix[0] && pick >= acc + mix[k].weight)
            acc += mix[k++].weight;
        ids[i] = mix[k].id;
        off[i] = (uint32_t)used;
        used += encode_one(afd_schema_find(ids[i], 0), i, data + used, cap - used);
    }
    off[n] = (uint32_t)used;
    printf("%llu events in memory, %.1f MB of payload (%.1f bytes/event), 64-bit pointers\n",
           (unsigned long long)n, used / 1e6, (double)used / (double)n);

    for (unsigned pass = 0; pass < passes; pass++) {
        t0 = plat_now_ns();
        c0 = clock();
        for (i = 0; i < n; i++) {
            afd_fields f;
            const afd_event_schema *s = afd_schema_find(ids[i], 0);
            afd_decode(s, data + off[i], off[i + 1] - off[i], 8, &f);
            row_fields(&f, &sum);
        }
        report("decode + row fields", "events", n, t0, c0);
    }
    if (decode_only)
        goto done;

    t0 = plat_now_ns();
    c0 = clock();
    for (i = 0; i < n; i++) {
        afd_fields f;
        afd_decode(afd_schema_find(ids[i], 0), data + off[i], off[i + 1] - off[i], 8, &f);
        total += afd_format_details(&f, buf, sizeof buf);
    }
    report("decode + details", "rows", n, t0, c0);
    printf("  (%.0f chars/row)\n", (double)total / n);

    total = 0;
    t0 = plat_now_ns();
    c0 = clock();
    for (i = 0; i < n; i++) {
        afd_fields f;
        afd_decode(afd_schema_find(ids[i], 0), data + off[i], off[i + 1] - off[i], 8, &f);
        total += afd_format_json(&f, buf, sizeof buf);
    }
    report("decode + json", "rows", n, t0, c0);
    printf("  (%.0f chars/row)\n", (double)total / n);
done:
    printf("(checksum %llu, malformed %llu)\n",
           (unsigned long long)(sum.endpoints + sum.bytes + sum.statuses + sum.ports),
           (unsigned long long)sum.errors);
    rc = file ? bench_file(file) : 0;
cleanup:
    free(data);
    free(off);
    free(ids);
    return rc;
}
