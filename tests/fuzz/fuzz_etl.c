/*
 * fuzz_etl.c - libFuzzer target for the .etl reader (issue 3 part 8).
 *
 * One input is one whole file image. Everything a viewer does with a file is exercised: open from
 * memory, the buffer index, a full walk in time order and in file order, fetching every record again
 * by its handle (and a few handles that name nothing), the decompressed-buffer cache under a tiny bound
 * so it evicts (after the time-ordered walk, which would otherwise decompress a buffer per record), time conversion and formatting, and the diagnostics. Beyond the sanitizers, the target
 * checks that the reader agrees with itself: a record fetched by handle is the record the iterator gave.
 * A disagreement aborts, so libFuzzer keeps the input.
 *
 * The same function runs without libFuzzer in fuzz_replay (tests/fuzz/fuzz_replay.c), which CTest uses
 * to replay the committed reproducers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsk/etl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_HANDLES 4096

static void fuzz_fail(const char *what, uint64_t handle)
{
    fprintf(stderr, "fuzz_etl: %s (handle 0x%016llx)\n", what, (unsigned long long)handle);
    abort();
}

/* Reads every byte the event points at, so a range reaching past the input is caught by ASan. memchr
 * does it: ASan checks the whole range of the call, and libc's memchr is fast where a loop of
 * instrumented loads is not. */
static uint32_t fuzz_touch_range(const uint8_t *p, size_t n)
{
    return n && memchr(p, 0xA5, n) != NULL;
}

static uint32_t fuzz_touch(const etl_event *ev)
{
    uint32_t sum = 0, k;
    sum += fuzz_touch_range(ev->data, ev->data_len);
    sum += fuzz_touch_range(ev->record, ev->record_len);
    for (k = 0; k < ev->ext_count && k < ETL_MAX_EXT; k++)
        sum += fuzz_touch_range(ev->ext[k].data, ev->ext[k].size);
    return sum;
}

static uint32_t fuzz_walk(etl_file *f, etl_order order, uint64_t *handles, uint32_t *lens, size_t *count)
{
    etl_iter *it = NULL;
    etl_event ev;
    uint32_t sum = 0;
    char text[80];
    if (etl_iter_create(f, order, &it) != ETL_OK)
        return 0;
    while (etl_iter_next(it, &ev)) {
        sum += fuzz_touch(&ev);
        if (ev.flags & ETL_EV_HAS_TIME)
            sum += (uint32_t)etl_format_iso_utc(ev.time, text, sizeof text);
        if ((uint64_t)ev.ext_count * 8 > ev.record_len)
            fuzz_fail("more extended items than the record can hold", ev.handle);
        if (handles && *count < FUZZ_MAX_HANDLES) {
            handles[*count] = ev.handle;
            lens[*count] = ev.record_len;
            (*count)++;
        }
        if (etl_iter_progress(it) < 0.0 || etl_iter_progress(it) > 1.0)
            fuzz_fail("progress outside 0..1", ev.handle);
    }
    etl_iter_destroy(it);
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint64_t handles[FUZZ_MAX_HANDLES];
    static uint32_t lens[FUZZ_MAX_HANDLES];
    etl_file *f = NULL;
    etl_event ev;
    const etl_header *h;
    char err[256], text[96];
    size_t i, n = 0;
    uint32_t b, nb;
    volatile uint32_t sink = 0;

    if (etl_open_memory(data, size, &f, err, sizeof err) != ETL_OK) {
        if (memchr(err, '\0', sizeof err) == NULL)
            fuzz_fail("error text not terminated", 0);
        return 0;
    }
    h = etl_get_header(f);
    sink += (uint32_t)strlen(h->logger_name) + (uint32_t)strlen(h->log_file_name);
    sink += (uint32_t)etl_format_time(h, ETL_ZONE_TRACE, h->start_time, text, sizeof text);
    /* A raw stamp past the reference without signed overflow: wrap in unsigned, as the clock would. */
    sink += (uint32_t)etl_raw_to_filetime(h, (int64_t)((uint64_t)h->ref_raw + 12345u));
    nb = etl_buffer_count(f);
    for (b = 0; b < nb; b++) {
        const etl_buffer_info *bi = etl_buffer_at(f, b);
        if (!bi || bi->file_offset > size)
            fuzz_fail("buffer index outside the file", (uint64_t)b << 32);
        sink += bi->payload_len;
    }
    if (etl_buffer_at(f, nb) != NULL)
        fuzz_fail("etl_buffer_at past the end", (uint64_t)nb << 32);

    sink += fuzz_walk(f, ETL_ORDER_TIME, NULL, NULL, NULL);
    /* From here on one decompressed buffer is kept: fetches by handle evict and reload. */
    etl_set_cache_limit(f, 1);
    sink += fuzz_walk(f, ETL_ORDER_FILE, handles, lens, &n);

    for (i = 0; i < n; i++) {
        if (etl_event_get(f, handles[i], &ev) != ETL_OK)
            fuzz_fail("a handle from the iterator cannot be fetched", handles[i]);
        if (ev.handle != handles[i] || ev.record_len != lens[i])
            fuzz_fail("fetched record differs from the iterated one", handles[i]);
        sink += fuzz_touch(&ev);
    }
    /* Handles that name nothing: past the buffers, past a payload, mid-record. */
    if (etl_event_get(f, (uint64_t)nb << 32, &ev) == ETL_OK)
        sink += fuzz_touch(&ev);
    if (etl_event_get(f, UINT64_MAX, &ev) == ETL_OK)
        sink += fuzz_touch(&ev);
    for (i = 0; i < n && i < 64; i++)
        if (etl_event_get(f, handles[i] + 4, &ev) == ETL_OK)
            sink += fuzz_touch(&ev);

    for (i = 0; i < etl_diag_count(f); i++) {
        const etl_diag *d = etl_diag_at(f, i);
        if (!d || memchr(d->reason, '\0', sizeof d->reason) == NULL)
            fuzz_fail("diagnostic without terminated text", 0);
        sink += (uint32_t)strlen(d->reason);
    }
    (void)sink;
    etl_close(f);
    return 0;
}
