/* The event store: rows keep their place and content, the published count bounds what a reader sees,
 * and a reader running beside the writer (labelled tsan: the ThreadSanitizer build runs it) only ever sees
 * complete rows. */
#include "check.h"
#include "wsk/plat.h"
#include "wsk/store.h"

static void fill(store_row *r, uint64_t i)
{
    memset(r, 0, sizeof *r);
    r->time = 133000000000000000ull + i * 7;
    r->handle = i * 3 + 1;
    r->pid = (uint32_t)(i % 5000);
    r->tid = (uint32_t)(i ^ 0x55);
    r->socket = (uint32_t)(i / 10);
    r->status = (uint32_t)(i * 2654435761u);
    r->bytes = (uint32_t)(i & 0xffff);
    r->id = (uint16_t)(1000 + i % 38);
    r->cpu = (uint16_t)(i % 8);
    r->level = (uint8_t)(i % 6);
}

static int row_ok(const store_row *r, uint64_t i)
{
    store_row want;
    fill(&want, i);
    return memcmp(r, &want, sizeof want) == 0;
}

static void test_layout(void)
{
    CHECK_U64(sizeof(store_row), 48);
}

static void test_append_publish(void)
{
    store *s = NULL;
    CHECK(store_create(200000, &s) == 0);
    if (!s)
        return;
    for (uint64_t i = 0; i < 150000; i++) {
        store_row *r = store_append(s);
        CHECK(r != NULL);
        if (!r)
            break;
        fill(r, i);
        if (i == 99)
            store_publish(s);
    }
    CHECK_U64(store_count(s), 100);
    store_publish(s);
    CHECK_U64(store_count(s), 150000);
    uint64_t bad = 0;
    for (uint64_t i = 0; i < 150000; i++)
        bad += !row_ok(store_row_at(s, i), i);
    CHECK_U64(bad, 0);
    CHECK(store_memory(s) >= 150000 * sizeof(store_row));
    store_destroy(s);
}

static void test_full(void)
{
    store *s = NULL;
    CHECK(store_create(3, &s) == 0);
    if (!s)
        return;
    CHECK(store_append(s) != NULL);
    CHECK(store_append(s) != NULL);
    CHECK(store_append(s) != NULL);
    CHECK(store_append(s) == NULL);
    store_publish(s);
    CHECK_U64(store_count(s), 3);
    store_destroy(s);
    CHECK(store_create(0, &s) != 0);
}

#define CONCURRENT_ROWS 3000000u

static int writer_main(void *arg)
{
    store *s = arg;
    for (uint64_t i = 0; i < CONCURRENT_ROWS; i++) {
        store_row *r = store_append(s);
        if (!r)
            return -1;
        fill(r, i);
        if ((i & 1023) == 1023)
            store_publish(s);
    }
    store_publish(s);
    return 0;
}

static void test_concurrent_reader(void)
{
    store *s = NULL;
    plat_thread *t = NULL;
    CHECK(store_create(CONCURRENT_ROWS, &s) == 0);
    if (!s)
        return;
    CHECK(plat_thread_start(&t, writer_main, s, "store-writer") == 0);
    uint64_t checked = 0, bad = 0, seen = 0, last = 0;
    while (seen < CONCURRENT_ROWS) {
        seen = store_count(s);
        CHECK(seen >= last);
        /* Read the newest rows and a sample of old ones: both must be complete. */
        for (uint64_t i = last; i < seen; i++, checked++)
            bad += !row_ok(store_row_at(s, i), i);
        if (seen)
            bad += !row_ok(store_row_at(s, (seen * 7919) % seen), (seen * 7919) % seen);
        last = seen;
    }
    CHECK(plat_thread_join(t) == 0);
    CHECK_U64(checked, CONCURRENT_ROWS);
    CHECK_U64(bad, 0);
    store_destroy(s);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_layout),
        CHECK_CASE(test_append_publish),
        CHECK_CASE(test_full),
        CHECK_CASE(test_concurrent_reader),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
