/* The per-socket row index (sidx.h): a hand-typed store with known lists; then wskgen traces (every scenario,
 * then bulk traffic) loaded into the store and the socket model, indexed by load_file after each batch and
 * again in uneven pieces as a live capture would, where every socket's row count must equal the events the
 * generator wrote for it and its list must equal what a full scan of the store finds, row by row. */
#include "check.h"
#include "sock_find.h"
#include "wsk/gen.h"
#include "wsk/load.h"
#include "wsk/sidx.h"

/* Rows 0..n-1 with the given sockets (UINT32_MAX: none), published. */
static store *hand_store(const uint32_t *sockets, size_t n)
{
    store *st = NULL;
    if (store_create(1u << 20, &st) != 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        store_row *r = store_append(st);
        if (!r)
            break;
        memset(r, 0, sizeof *r);
        r->time = 1000 + i;
        r->socket = sockets[i];
    }
    store_publish(st);
    return st;
}

static void test_hand_typed(void)
{
    static const uint32_t socks[] = {0, 1, 0, STORE_NO_SOCKET, 4, 0, 1, STORE_NO_SOCKET, 4, 4};
    store *st = hand_store(socks, sizeof socks / sizeof socks[0]);
    sidx *x = NULL;
    uint32_t out[8];

    CHECK(st != NULL);
    CHECK(sidx_create(&x) == 0);
    if (!st || !x)
        goto cleanup;
    CHECK_U64(sidx_indexed(x), 0);
    CHECK_U64(sidx_count(x, 0), 0);
    CHECK_U64(sidx_rows(x, 0, out, 8), 0);
    /* In two pieces: rows 0-3, then 4-9. */
    CHECK(sidx_update(x, st, NULL, 4) == 0);
    CHECK_U64(sidx_indexed(x), 4);
    CHECK_U64(sidx_socket_span(x), 2);
    CHECK_U64(sidx_count(x, 0), 2);
    CHECK_U64(sidx_rows(x, 0, out, 8), 2);
    CHECK_U64(out[1], 2);
    CHECK(sidx_update(x, st, NULL, 10) == 0);
    CHECK(sidx_update(x, st, NULL, 10) == 0); /* nothing new: no change */
    CHECK_U64(sidx_indexed(x), 10);
    CHECK_U64(sidx_socket_span(x), 5);
    CHECK_U64(sidx_count(x, 0), 3);
    CHECK_U64(sidx_count(x, 1), 2);
    CHECK_U64(sidx_count(x, 2), 0);
    CHECK_U64(sidx_count(x, 3), 0);
    CHECK_U64(sidx_count(x, 4), 3);
    CHECK_U64(sidx_count(x, 5), 0);
    CHECK_U64(sidx_count(x, UINT32_MAX), 0);
    CHECK_U64(sidx_rows(x, 0, out, 8), 3);
    CHECK_U64(out[0], 0);
    CHECK_U64(out[1], 2);
    CHECK_U64(out[2], 5);
    CHECK_U64(sidx_rows(x, 4, out, 2), 2); /* cut at cap */
    CHECK_U64(out[0], 4);
    CHECK_U64(out[1], 8);
    CHECK_U64(sidx_rows(x, 1, out, 8), 2);
    CHECK_U64(out[0], 1);
    CHECK_U64(out[1], 6);
    CHECK_U64(sidx_rows(x, 3, out, 8), 0);
    CHECK_U64(sidx_rows(x, 99, out, 8), 0);
    CHECK(sidx_memory(x) >= 10 * sizeof(uint32_t) + 5 * 3 * sizeof(uint32_t));
cleanup:
    sidx_destroy(x);
    store_destroy(st);
}

/* A wskgen trace through the consumer, indexed in pieces of growing, uneven sizes (1, 3, 7, 15, ... rows and
 * a remainder, cut across chunk boundaries), against the generator's counts and a full scan. */
static uint64_t run_trace(const char *scenario, uint64_t events, uint64_t seed)
{
    char path[512], err[256], what[128];
    gen_options o;
    gen_file_options fo;
    gen_result res;
    etl_file *f = NULL;
    store *st = NULL;
    sock_model *sm = NULL;
    sidx *x = NULL, *during = NULL; /* during: built by load_file after each batch */
    uint32_t *list = NULL, *scan_pos = NULL;
    load_stats ls;
    load_job job;
    uint64_t n, r, piece = 1, listed = 0, accepted = 0, seconds = 0;
    size_t i, nsock;
    int bad = 0;

    memset(&res, 0, sizeof res);
    snprintf(path, sizeof path, "%s/sidx-%s-%llu.etl", check_tmp_dir(), scenario ? scenario : "bulk",
             (unsigned long long)events);
    snprintf(what, sizeof what, "%s + %llu events", scenario ? scenario : "bulk", (unsigned long long)events);
    gen_options_default(&o);
    o.scenario = scenario;
    o.events = events;
    o.seed = seed;
    memset(&fo, 0, sizeof fo);
    fo.process_table = 1;
    if (gen_write_etl(path, &o, &fo, &res, err, sizeof err) != 0) {
        check_failures++;
        fprintf(stderr, "%s: %s\n", what, err);
        return 0;
    }
    CHECK(etl_open(path, &f, err, sizeof err) == ETL_OK);
    CHECK(store_create(1u << 24, &st) == 0);
    CHECK(sock_model_create(&sm) == 0);
    CHECK(sidx_create(&x) == 0);
    CHECK(sidx_create(&during) == 0);
    if (!f || !st || !sm || !x || !during)
        goto cleanup;
    memset(&job, 0, sizeof job);
    job.file = f;
    job.events = st;
    job.sockets = sm;
    job.index = during;
    job.publish_every = 1000;
    CHECK(load_file(&job, &ls) == 0);
    CHECK(!ls.index_failed);
    n = store_count(st);
    CHECK_U64(ls.afd, res.events);
    for (r = 0; r < n; r += piece, piece = piece * 2 + 1)
        CHECK(sidx_update(x, st, sm, r + piece < n ? r + piece : n) == 0);
    CHECK_U64(sidx_indexed(x), n);
    CHECK_U64(sidx_indexed(during), n);
    nsock = sock_model_count(sm);
    CHECK_U64(nsock, res.socket_count);
    CHECK(sidx_socket_span(x) <= nsock);
    for (i = 0; i < nsock; i++)
        if (sock_model_at(sm, i)->listener != SOCK_NONE)
            accepted++;

    /* The generator's own count of each socket's events, in both indexes. */
    for (i = 0; i < res.socket_count; i++) {
        const gen_socket *g = &res.sockets[i];
        int k = find_socket(sm, g->endpoint, g->generation);
        if (k < 0 || sidx_count(x, (uint32_t)k) != g->events ||
            sidx_count(during, (uint32_t)k) != g->events) {
            if (bad++ < 5)
                fprintf(stderr, "%s: socket 0x%llx:%u: %u rows indexed, the generator wrote %llu events\n",
                        what, (unsigned long long)g->endpoint, g->generation,
                        k < 0 ? 0 : sidx_count(x, (uint32_t)k), (unsigned long long)g->events);
        }
    }

    /* Every list against a full scan: walking the store once, each row must be the next entry of its
     * socket's list; the only other entries are accept completions listed under the listener their socket
     * came from. */
    list = malloc((n + 1) * 2 * sizeof *list);
    scan_pos = calloc(nsock + 1, sizeof *scan_pos);
    CHECK(list && scan_pos);
    if (!list || !scan_pos)
        goto cleanup;
    for (i = 0; i < nsock; i++) {
        uint32_t c = sidx_count(x, (uint32_t)i);
        uint32_t got = sidx_rows(x, (uint32_t)i, list + listed, c);
        if (got != c && bad++ < 5)
            fprintf(stderr, "%s: socket %zu lists %u rows, counts %u\n", what, i, got, c);
        for (uint32_t k = 1; k < got; k++)
            if (list[listed + k] <= list[listed + k - 1] && bad++ < 5)
                fprintf(stderr, "%s: socket %zu: its rows are not in store order\n", what, i);
        scan_pos[i] = (uint32_t)listed;
        listed += got;
    }
    scan_pos[nsock] = (uint32_t)listed;
    {
        uint32_t *at = malloc((nsock + 1) * sizeof *at);
        CHECK(at != NULL);
        if (at)
            memcpy(at, scan_pos, (nsock + 1) * sizeof *at);
        for (r = 0; at && r < n; r++) {
            const store_row *row = store_row_at(st, r);
            uint32_t s = row->socket;
            if (s == STORE_NO_SOCKET)
                continue;
            if (s < nsock && at[s] < scan_pos[s + 1] && list[at[s]] == r) {
                at[s]++;
            } else if (bad++ < 5) {
                fprintf(stderr, "%s: row %llu (socket %u) is not where the index lists it\n", what,
                        (unsigned long long)r, s);
            }
            {
                /* Listed a second time: under its socket's listener, as an accept. */
                uint32_t l = s < nsock ? sock_model_at(sm, s)->listener : SOCK_NONE;
                if (l < nsock && at[l] < scan_pos[l + 1] && list[at[l]] == r) {
                    const afd_event_schema *sc = afd_schema_find(row->id, 0);
                    at[l]++;
                    seconds++;
                    if ((!sc || !(sc->ops & AFD_OP_ACCEPT)) && bad++ < 5)
                        fprintf(stderr, "%s: row %llu (event %u) listed under listener %u\n", what,
                                (unsigned long long)r, row->id, l);
                }
            }
        }
        for (i = 0; at && i < nsock; i++)
            if (at[i] != scan_pos[i + 1] && bad++ < 5)
                fprintf(stderr, "%s: socket %zu: %u rows listed that the scan did not meet\n", what, i,
                        scan_pos[i + 1] - at[i]);
        /* At most one accept per accepted socket (a legacy accept names no listener's endpoint). */
        CHECK(seconds <= accepted);
        free(at);
    }
    CHECK(bad == 0);
    if (bad)
        check_failures++;

cleanup:
    free(scan_pos);
    free(list);
    gen_result_free(&res);
    sidx_destroy(during);
    sidx_destroy(x);
    sock_model_destroy(sm);
    store_destroy(st);
    etl_close(f);
    remove(path);
    return seconds;
}

static void test_every_scenario(void)
{
    for (size_t i = 0; gen_scenario_name(i); i++)
        run_trace(gen_scenario_name(i), 0, 1);
}

/* Enough rows for several 65,536-row chunks and thousands of sockets; listeners list their accepts. */
static void test_bulk(void)
{
    CHECK(run_trace("all", 300000, 5) > 0);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_hand_typed),
        CHECK_CASE(test_every_scenario),
        CHECK_CASE(test_bulk),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
