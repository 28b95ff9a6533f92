/*
 * store.c - see store.h for the threading contract. The writer keeps its own
 * (unpublished) count; readers only ever see `published`, which is stored
 * with release order after the rows below it are complete.
 */
#include "wsk/store.h"
#include "wsk/plat.h"

#include <stdlib.h>

#define CHUNK_SHIFT 16
#define CHUNK_ROWS (1u << CHUNK_SHIFT)

struct store {
    store_row **chunks;   /* directory: max_chunks slots, allocated once */
    uint64_t max_chunks;
    uint64_t max_rows;
    uint64_t appended;    /* writer's count */
    uint64_t chunk_count; /* chunks allocated (writer) */
    plat_atomic_u64 published;
};

int store_create(uint64_t max_rows, store **out)
{
    store *s = NULL;
    uint64_t max_chunks = (max_rows + CHUNK_ROWS - 1) >> CHUNK_SHIFT;
    if (max_rows == 0 || max_chunks > SIZE_MAX / sizeof(store_row *))
        return -1;
    s = calloc(1, sizeof *s);
    if (!s)
        goto fail;
    s->chunks = calloc((size_t)max_chunks, sizeof(store_row *));
    if (!s->chunks)
        goto fail;
    s->max_chunks = max_chunks;
    s->max_rows = max_rows;
    *out = s;
    return 0;

fail:
    free(s);
    return -1;
}

void store_destroy(store *s)
{
    if (!s)
        return;
    for (uint64_t i = 0; i < s->chunk_count; i++)
        free(s->chunks[i]);
    free(s->chunks);
    free(s);
}

store_row *store_append(store *s)
{
    uint64_t n = s->appended;
    uint64_t chunk = n >> CHUNK_SHIFT;
    if (n == s->max_rows)
        return NULL;
    if (chunk == s->chunk_count) {
        store_row *rows = malloc(sizeof(store_row) * CHUNK_ROWS);
        if (!rows)
            return NULL;
        /* The slot is published to readers through `published` (release) like the rows themselves. */
        s->chunks[chunk] = rows;
        s->chunk_count++;
    }
    s->appended = n + 1;
    return &s->chunks[chunk][n & (CHUNK_ROWS - 1)];
}

void store_publish(store *s)
{
    plat_store_release(&s->published, s->appended);
}

uint64_t store_count(const store *s)
{
    return plat_load_acquire(&s->published);
}

const store_row *store_row_at(const store *s, uint64_t index)
{
    return &s->chunks[index >> CHUNK_SHIFT][index & (CHUNK_ROWS - 1)];
}

uint64_t store_memory(const store *s)
{
    return sizeof *s + s->max_chunks * sizeof(store_row *) + s->chunk_count * (uint64_t)CHUNK_ROWS * sizeof(store_row);
}
