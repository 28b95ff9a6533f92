/* The consumer end to end: every wskgen scenario is written as a real .etl file, read back through the
 * reader, decoded and loaded into the store and socket model, and every socket the engine knows it made
 * must come out with the same fields (the JSON Lines of `wskdump sockets`, key by key). Run for both
 * pointer sizes, compressed and not. The store's rows must match the file's events one to one. */
#include "check.h"
#include "sock_find.h"
#include "wsk/etl.h"
#include "wsk/export.h"
#include "wsk/gen.h"
#include "wsk/load.h"

/* Compares two flat JSON objects key by key and reports each difference. */
static int compare_json(const char *want, const char *got, const char *what)
{
    int diffs = 0;
    const char *p = want + 1;
    while (*p && *p != '}') {
        const char *key_end = strchr(p + 1, '"');
        char key[48];
        size_t kl = (size_t)(key_end - p - 1);
        snprintf(key, sizeof key, "%.*s", (int)kl, p + 1);
        const char *val = key_end + 2;
        const char *val_end = val;
        if (*val == '"') {
            val_end = val + 1;
            while (*val_end && *val_end != '"')
                val_end += (*val_end == '\\') ? 2 : 1;
            val_end++;
        } else {
            while (*val_end && *val_end != ',' && *val_end != '}')
                val_end++;
        }
        char pattern[64];
        snprintf(pattern, sizeof pattern, "\"%s\":", key);
        const char *g = strstr(got, pattern);
        size_t vl = (size_t)(val_end - val);
        if (!g || strncmp(g + strlen(pattern), val, vl) != 0 ||
            (g[strlen(pattern) + vl] != ',' && g[strlen(pattern) + vl] != '}')) {
            if (diffs++ < 6)
                fprintf(stderr, "%s: %s: expected %.*s, got %.40s\n", what, key, (int)vl, val,
                        g ? g + strlen(pattern) : "(missing)");
        }
        p = *val_end == ',' ? val_end + 1 : val_end;
    }
    return diffs;
}

static void run_scenario(const char *name, unsigned ptr, int compress)
{
    char path[512], err[256], what[128];
    gen_options o;
    gen_file_options fo;
    gen_result res;
    etl_file *f = NULL;
    store *st = NULL;
    sock_model *sm = NULL;
    load_stats ls;

    snprintf(path, sizeof path, "%s/load-%s-%u-%d.etl", check_tmp_dir(), name, ptr, compress);
    snprintf(what, sizeof what, "%s ptr%u%s", name, ptr, compress ? " compressed" : "");
    gen_options_default(&o);
    o.scenario = name;
    o.ptr_size = ptr;
    memset(&fo, 0, sizeof fo);
    fo.compress = compress;
    fo.process_table = 1;
    if (gen_write_etl(path, &o, &fo, &res, err, sizeof err) != 0) {
        check_failures++;
        fprintf(stderr, "%s: %s\n", what, err);
        return;
    }
    CHECK(etl_open(path, &f, err, sizeof err) == ETL_OK);
    CHECK(store_create(1u << 24, &st) == 0);
    CHECK(sock_model_create(&sm) == 0);
    if (!f || !st || !sm)
        goto cleanup;
    load_job job;
    memset(&job, 0, sizeof job);
    job.file = f;
    job.events = st;
    job.sockets = sm;
    CHECK(load_file(&job, &ls) == 0);
    CHECK_U64(etl_diag_count(f), 0);
    CHECK_U64(ls.malformed, 0);
    CHECK_U64(ls.unknown_afd, 0);
    CHECK_U64(ls.afd, res.events);
    CHECK(ls.processes >= res.process_count);
    CHECK_U64(store_count(st), ls.records);

    /* Rows are in time order and each names its record. */
    for (uint64_t r = 1; r < store_count(st); r++)
        if (store_row_at(st, r)->time < store_row_at(st, r - 1)->time) {
            check_failures++;
            fprintf(stderr, "%s: row %llu goes back in time\n", what, (unsigned long long)r);
            break;
        }

    CHECK_U64(sock_model_count(sm), res.socket_count);
    for (size_t i = 0; i < res.socket_count; i++) {
        const gen_socket *g = &res.sockets[i];
        char want[1024], got[1024], label[200];
        gen_socket_json(g, want, sizeof want);
        int k = find_socket(sm, g->endpoint, g->generation);
        snprintf(label, sizeof label, "%s socket 0x%llx:%u", what, (unsigned long long)g->endpoint, g->generation);
        if (k < 0) {
            check_failures++;
            fprintf(stderr, "%s: not found\n", label);
            continue;
        }
        export_socket_json(sm, (size_t)k, got, sizeof got);
        if (compare_json(want, got, label))
            check_failures++;
    }

cleanup:
    gen_result_free(&res);
    sock_model_destroy(sm);
    store_destroy(st);
    etl_close(f);
    remove(path);
}

static void test_every_scenario(void)
{
    for (size_t i = 0; gen_scenario_name(i); i++) {
        run_scenario(gen_scenario_name(i), 8, 0);
        run_scenario(gen_scenario_name(i), 4, 1);
    }
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_every_scenario),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
