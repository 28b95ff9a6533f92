/* etl_open_shared: a second reader of an open file (sharing its mapping and copying its index) must read
 * exactly what a fresh etl_open of the same file reads: every record of a time-ordered walk (handle, time,
 * ids, payload bytes), records fetched again by handle, the buffer index, and the diagnostics of the walk
 * (the open's stay with the first reader). Checked on wskgen traces, plain and compressed, with the first
 * reader in the middle of its own walk when the copy is made, and on every real sample. */
#include "check.h"
#include "wsk/etl.h"
#include "wsk/gen.h"

/* Walks a and b in time order side by side; returns the records compared, counts differences. */
static uint64_t compare_walks(etl_file *a, etl_file *b, const char *what)
{
    etl_iter *ia = NULL, *ib = NULL;
    etl_event ea, eb;
    uint64_t n = 0, bad = 0;
    int more_a, more_b;

    CHECK(etl_iter_create(a, ETL_ORDER_TIME, &ia) == ETL_OK);
    CHECK(etl_iter_create(b, ETL_ORDER_TIME, &ib) == ETL_OK);
    if (!ia || !ib)
        goto cleanup;
    for (;;) {
        more_a = etl_iter_next(ia, &ea);
        more_b = etl_iter_next(ib, &eb);
        if (!more_a || !more_b)
            break;
        n++;
        if (ea.handle != eb.handle || ea.time != eb.time || ea.kind != eb.kind || ea.id != eb.id ||
            ea.hook_id != eb.hook_id || ea.data_len != eb.data_len ||
            (ea.data_len && memcmp(ea.data, eb.data, ea.data_len) != 0)) {
            if (bad++ < 3)
                fprintf(stderr, "%s: record %llu differs (handles %llx / %llx)\n", what,
                        (unsigned long long)n, (unsigned long long)ea.handle, (unsigned long long)eb.handle);
        }
    }
    if (more_a != more_b) {
        bad++;
        fprintf(stderr, "%s: one walk ends after %llu records, the other goes on\n", what,
                (unsigned long long)n);
    }
    CHECK_U64(bad, 0);
cleanup:
    etl_iter_destroy(ia);
    etl_iter_destroy(ib);
    return n;
}

/* The copy of f (made while f's own walk is under way) against a fresh open of path. */
static void check_copy(const char *path, const char *what)
{
    char err[256];
    etl_file *f = NULL, *c = NULL, *g = NULL;
    etl_iter *it = NULL;
    etl_event ev;
    size_t open_diags;
    uint64_t handles[3] = {0, 0, 0}, n, i;

    if (etl_open(path, &f, err, sizeof err) != ETL_OK) {
        check_failures++;
        fprintf(stderr, "%s: %s\n", what, err);
        return;
    }
    CHECK(etl_open(path, &g, err, sizeof err) == ETL_OK);
    open_diags = etl_diag_count(f);
    /* f half way through its own walk: a third of the records, some handles kept */
    CHECK(etl_iter_create(f, ETL_ORDER_TIME, &it) == ETL_OK);
    for (n = 0; it && n < 3000 && etl_iter_next(it, &ev); n++)
        handles[n % 3] = ev.handle;
    CHECK(etl_open_shared(f, &c) == ETL_OK);
    if (!c || !g)
        goto cleanup;
    CHECK_U64(etl_buffer_count(c), etl_buffer_count(g));
    CHECK_U64(etl_file_size(c), etl_file_size(g));
    CHECK_U64(etl_compressed_buffer_count(c), etl_compressed_buffer_count(g));
    CHECK_U64(etl_get_header(c)->start_time, etl_get_header(g)->start_time);
    CHECK_U64(etl_get_header(c)->perf_freq, etl_get_header(g)->perf_freq);
    CHECK_U64(etl_diag_count(c), 0);
    for (i = 0; i < etl_buffer_count(c); i++)
        if (memcmp(etl_buffer_at(c, (uint32_t)i), etl_buffer_at(g, (uint32_t)i), sizeof(etl_buffer_info)) !=
            0) {
            check_failures++;
            fprintf(stderr, "%s: buffer %llu differs\n", what, (unsigned long long)i);
            break;
        }
    compare_walks(c, g, what);
    /* The walk's own diagnostics: the copy reports what the fresh reader reports beyond its open's. */
    CHECK_U64(etl_diag_count(c), etl_diag_count(g) - open_diags);
    for (i = 0; i < 3 && n; i++) {
        etl_event a, b;
        etl_status sa = etl_event_get(c, handles[i], &a), sb = etl_event_get(g, handles[i], &b);
        CHECK(sa == sb);
        if (sa == ETL_OK && sb == ETL_OK)
            CHECK(a.time == b.time && a.data_len == b.data_len &&
                  (!a.data_len || memcmp(a.data, b.data, a.data_len) == 0));
    }
    /* f's walk goes on undisturbed after the copy walked the whole file */
    while (it && etl_iter_next(it, &ev))
        n++;
    CHECK(n > 0);
cleanup:
    etl_iter_destroy(it);
    etl_close(c); /* before f, whose mapping it reads */
    etl_close(g);
    etl_close(f);
}

static void run_gen(int compress)
{
    char path[512], err[256];
    gen_options o;
    gen_file_options fo;
    gen_result res;

    snprintf(path, sizeof path, "%s/shared-%d.etl", check_tmp_dir(), compress);
    gen_options_default(&o);
    o.events = 40000;
    memset(&fo, 0, sizeof fo);
    fo.compress = compress;
    fo.buffer_size = 16384; /* many buffers */
    fo.process_table = 1;
    if (gen_write_etl(path, &o, &fo, &res, err, sizeof err) != 0) {
        check_failures++;
        fprintf(stderr, "%s\n", err);
        return;
    }
    check_copy(path, compress ? "wskgen compressed" : "wskgen");
    gen_result_free(&res);
    remove(path);
}

static void test_wskgen(void)
{
    run_gen(0);
}

static void test_wskgen_compressed(void)
{
    run_gen(1);
}

static void test_arguments(void)
{
    etl_file *out = (etl_file *)&out; /* untouched on failure */
    CHECK(etl_open_shared(NULL, &out) == ETL_E_ARG);
    CHECK(out == (etl_file *)&out);
}

/* Samples of every kind: 64- and 32-bit, kernel, pktmon, manifest and classic events, damaged buffers. */
static void test_samples(void)
{
    static const char *const names[] = {
        "airbus_lxcore_kernel.etl", "perfview_net.4.5.2.x86.etl",
        "pktmon_gdn.etl",           "krabsetw_powershell.etl",
        "s4_CldFlt0.etl",           "s4_waasmedic.20251005_113019_195.etl",
        "sonde_test.etl",
    };
    const char *dir = check_samples_dir();
    size_t i;

    if (!dir) {
        printf("skipped: WSK_SAMPLES is not set or missing\n");
        return;
    }
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        check_copy(path, names[i]);
    }
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_wskgen),
        CHECK_CASE(test_wskgen_compressed),
        CHECK_CASE(test_arguments),
        CHECK_CASE(test_samples),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
