/*
 * sidx.c - the per-socket row index (see sidx.h). A socket's list is a chain of entries: entry r below
 * SIDX_EXTRA is row r's membership in its own socket, whose link lives in the row's slot of fixed
 * chunks (growing never copies them: a 10 M-row index is 40 MB, and doubling one array would copy it
 * and hold up to twice that); entry SIDX_EXTRA | k is the k-th second membership (an accept listed
 * under its listener), a row and a link of its own.
 */
#include "wsk/sidx.h"

#include <stdlib.h>

#define SIDX_CHUNK_SHIFT 16u
#define SIDX_CHUNK_ROWS (1u << SIDX_CHUNK_SHIFT)
#define SIDX_CHUNK_MASK (SIDX_CHUNK_ROWS - 1u)
#define SIDX_EXTRA 0x80000000u
#define SIDX_END UINT32_MAX /* no next entry */

typedef struct sidx_sock {
    uint32_t first, last, count; /* entries */
} sidx_sock;

typedef struct sidx_extra {
    uint32_t row, next;
} sidx_extra;

struct sidx {
    uint32_t **chunks; /* next entry after row r's own membership, SIDX_CHUNK_ROWS per chunk */
    uint32_t nchunks, cap_chunks;
    sidx_extra *extra;
    uint32_t nextra, cap_extra;
    sidx_sock *socks;
    uint32_t nsocks, cap_socks;
    uint64_t rows; /* linked so far */
};

int sidx_create(sidx **out)
{
    sidx *x = (sidx *)calloc(1, sizeof *x);
    if (!x)
        return -1;
    *out = x;
    return 0;
}

void sidx_destroy(sidx *x)
{
    uint32_t i;
    if (!x)
        return;
    for (i = 0; i < x->nchunks; i++)
        free(x->chunks[i]);
    free(x->chunks);
    free(x->extra);
    free(x->socks);
    free(x);
}

static uint32_t *sidx_link(const sidx *x, uint32_t entry)
{
    if (entry & SIDX_EXTRA)
        return &x->extra[entry & ~SIDX_EXTRA].next;
    return &x->chunks[entry >> SIDX_CHUNK_SHIFT][entry & SIDX_CHUNK_MASK];
}

static uint32_t sidx_row_of(const sidx *x, uint32_t entry)
{
    return entry & SIDX_EXTRA ? x->extra[entry & ~SIDX_EXTRA].row : entry;
}

/* An array of n used elements (cap of them allocated) able to hold one more: arr itself, or a larger
 * copy (doubling; *cap updated); NULL out of memory, arr left as it was. */
static void *sidx_grow(void *arr, uint32_t n, uint32_t *cap, size_t elem, uint32_t first_cap)
{
    void *p;
    uint32_t c;
    if (n < *cap)
        return arr;
    c = *cap ? *cap * 2 : first_cap;
    if (c <= *cap)
        return NULL;
    p = realloc(arr, (size_t)c * elem);
    if (p)
        *cap = c;
    return p;
}

/* Heads up to socket s (new ones empty). */
static int sidx_reach_socket(sidx *x, uint32_t s)
{
    while (x->nsocks <= s) {
        sidx_sock *p = (sidx_sock *)sidx_grow(x->socks, x->nsocks, &x->cap_socks, sizeof *p, 256);
        if (!p)
            return -1;
        x->socks = p;
        x->socks[x->nsocks].first = x->socks[x->nsocks].last = SIDX_END;
        x->socks[x->nsocks++].count = 0;
    }
    return 0;
}

static void sidx_append(sidx *x, uint32_t s, uint32_t entry)
{
    sidx_sock *k = &x->socks[s];
    *sidx_link(x, entry) = SIDX_END;
    if (k->count++ == 0)
        k->first = entry;
    else
        *sidx_link(x, k->last) = entry;
    k->last = entry;
}

/* The listener an accept row also belongs to (sidx.h), SOCK_NONE when none. */
static uint32_t sidx_second(const sock_model *m, const store_row *r)
{
    const afd_event_schema *sc;
    const sock_info *si;
    /* The socket first: it was just fed (in cache), and most were not accepted, which spares the lookup. */
    if (!m || !(r->flags & STORE_ROW_AFD) || r->socket >= sock_model_count(m))
        return SOCK_NONE;
    si = sock_model_at(m, r->socket);
    if (!(si->flags & SOCK_F_ACCEPTED) || si->listener == SOCK_NONE || si->listener == r->socket)
        return SOCK_NONE;
    sc = afd_schema_find(r->id, 0);
    if (!sc || !(sc->ops & AFD_OP_ACCEPT) || (sc->ops & (AFD_OP_LEGACY | AFD_OP_INDICATION)))
        return SOCK_NONE;
    return si->listener;
}

int sidx_update(sidx *x, const store *events, const sock_model *sockets, uint64_t upto)
{
    if (upto > SIDX_MAX_ROWS)
        upto = SIDX_MAX_ROWS;
    while (x->rows < upto) {
        uint32_t r = (uint32_t)x->rows;
        const store_row *row = store_row_at(events, r);
        uint32_t s = row->socket, l = SOCK_NONE;
        if ((r >> SIDX_CHUNK_SHIFT) >= x->nchunks) {
            uint32_t **d = (uint32_t **)sidx_grow(x->chunks, x->nchunks, &x->cap_chunks, sizeof *d, 64);
            uint32_t *c;
            if (!d)
                return -1;
            x->chunks = d;
            c = (uint32_t *)malloc(SIDX_CHUNK_ROWS * sizeof *c);
            if (!c)
                return -1;
            x->chunks[x->nchunks++] = c;
        }
        if (s != STORE_NO_SOCKET) {
            l = sidx_second(sockets, row);
            if (sidx_reach_socket(x, s) != 0 || (l != SOCK_NONE && sidx_reach_socket(x, l) != 0))
                return -1;
            if (l != SOCK_NONE) {
                sidx_extra *e = (sidx_extra *)sidx_grow(x->extra, x->nextra, &x->cap_extra, sizeof *e, 64);
                if (!e)
                    return -1;
                x->extra = e;
            }
        }
        *sidx_link(x, r) = SIDX_END;
        if (s != STORE_NO_SOCKET)
            sidx_append(x, s, r);
        if (l != SOCK_NONE) {
            x->extra[x->nextra].row = r;
            sidx_append(x, l, SIDX_EXTRA | x->nextra++);
        }
        x->rows++;
    }
    return 0;
}

uint64_t sidx_indexed(const sidx *x)
{
    return x->rows;
}

uint32_t sidx_socket_span(const sidx *x)
{
    return x->nsocks;
}

uint32_t sidx_count(const sidx *x, uint32_t socket)
{
    return socket < x->nsocks ? x->socks[socket].count : 0;
}

uint32_t sidx_rows(const sidx *x, uint32_t socket, uint32_t *out, uint32_t cap)
{
    uint32_t n = 0, e = socket < x->nsocks ? x->socks[socket].first : SIDX_END;
    while (e != SIDX_END && n < cap) {
        out[n++] = sidx_row_of(x, e);
        e = *sidx_link(x, e);
    }
    return n;
}

uint64_t sidx_memory(const sidx *x)
{
    return sizeof *x + (uint64_t)x->cap_chunks * sizeof *x->chunks +
           (uint64_t)x->nchunks * SIDX_CHUNK_ROWS * sizeof **x->chunks +
           (uint64_t)x->cap_extra * sizeof *x->extra + (uint64_t)x->cap_socks * sizeof *x->socks;
}
