/*
 * rows.c - sort and search over row-index views (rows.h). Sorting computes
 * one 64-bit key per row (text and address columns become ranks of their
 * sorted distinct values) and radix-sorts (key, row) pairs, least significant
 * 16-bit digit first: stable, linear, and digits every key shares (the high
 * bits of timestamps) cost one counting pass and no move.
 */
#include "wsk/rows.h"
#include "wsk/nts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct keyed {
    uint64_t key;
    uint32_t row;
} keyed;

static int addr_cmp(const afd_addr *a, const afd_addr *b)
{
    if (a->family != b->family)
        return a->family < b->family ? -1 : 1;
    int c = memcmp(a->bytes, b->bytes, sizeof a->bytes);
    if (c)
        return c;
    return a->port == b->port ? 0 : a->port < b->port ? -1 : 1;
}

static int name_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return a ? 1 : b ? -1 : 0;
    for (;; a++, b++) {
        int d = tolower((unsigned char)*a) - tolower((unsigned char)*b);
        if (d || !*a)
            return d;
    }
}

/* Ranks of the sockets by the column's value: rank[i] orders socket i among all sockets. */
typedef struct rank_ctx {
    const sock_model *m;
    rows_column col;
} rank_ctx;

static int sock_cmp(const rank_ctx *rc, uint32_t ia, uint32_t ib)
{
    const sock_info *a = sock_model_at(rc->m, ia);
    const sock_info *b = sock_model_at(rc->m, ib);
    int c = 0;
    switch (rc->col) {
    case ROWS_COL_PROCESS:
        c = name_cmp(sock_model_process_name(rc->m, a->pid), sock_model_process_name(rc->m, b->pid));
        if (!c && a->pid != b->pid)
            c = a->pid < b->pid ? -1 : 1;
        break;
    case ROWS_COL_LOCAL:
        c = addr_cmp(&a->local, &b->local);
        break;
    case ROWS_COL_REMOTE:
        c = addr_cmp(&a->remote, &b->remote);
        break;
    default:
        if (a->endpoint != b->endpoint)
            c = a->endpoint < b->endpoint ? -1 : 1;
        else if (a->generation != b->generation)
            c = a->generation < b->generation ? -1 : 1;
        break;
    }
    return c;
}

/* Bottom-up stable merge sort of entries by the sockets they name (few: the socket count). Equal entries
 * take the left run first. */
static void merge_sort(keyed *a, keyed *tmp, size_t n, const rank_ctx *rc)
{
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                tmp[k++] = sock_cmp(rc, a[j].row, a[i].row) < 0 ? a[j++] : a[i++];
            }
            while (i < mid)
                tmp[k++] = a[i++];
            while (j < hi)
                tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

/* rank[i] for every socket; equal values share a rank. NULL when out of memory. */
static uint32_t *socket_ranks(const sock_model *m, rows_column col)
{
    size_t n = sock_model_count(m);
    keyed *order = malloc((n ? n : 1) * sizeof *order);
    keyed *tmp = malloc((n ? n : 1) * sizeof *tmp);
    uint32_t *rank = malloc((n ? n : 1) * sizeof *rank);
    rank_ctx rc = {m, col};
    if (!order || !tmp || !rank) {
        free(rank);
        rank = NULL;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        order[i].key = 0;
        order[i].row = (uint32_t)i;
    }
    merge_sort(order, tmp, n, &rc);
    uint32_t r = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && sock_cmp(&rc, order[i - 1].row, order[i].row) != 0)
            r++;
        rank[order[i].row] = r;
    }

cleanup:
    free(order);
    free(tmp);
    return rank;
}

/* Returns whichever of a and tmp holds the result; count has 65537 entries. */
static keyed *radix_sort(keyed *a, keyed *tmp, size_t n, size_t *count)
{
    for (unsigned d = 0; d < 4; d++) {
        unsigned shift = 16 * d;
        memset(count, 0, 65537 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[((a[i].key >> shift) & 0xffff) + 1]++;
        if (n && count[((a[0].key >> shift) & 0xffff) + 1] == n)
            continue; /* every key has this digit */
        for (size_t v = 1; v <= 65536; v++)
            count[v] += count[v - 1];
        for (size_t i = 0; i < n; i++)
            tmp[count[(a[i].key >> shift) & 0xffff]++] = a[i];
        keyed *x = a;
        a = tmp;
        tmp = x;
    }
    return a;
}

int rows_sort(const filt_ctx *c, rows_column column, int descending, uint32_t *rows, size_t n)
{
    keyed *a = malloc((n ? n : 1) * sizeof *a), *tmp = malloc((n ? n : 1) * sizeof *tmp);
    size_t *count = malloc(65537 * sizeof *count);
    uint32_t *rank = NULL;
    int rc = -1;
    int by_socket = column == ROWS_COL_PROCESS || column == ROWS_COL_SOCKET || column == ROWS_COL_LOCAL ||
                    column == ROWS_COL_REMOTE;

    if (!a || !tmp || !count)
        goto cleanup;
    if (by_socket && c->sockets && !(rank = socket_ranks(c->sockets, column)))
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        const store_row *r = store_row_at(c->events, rows[i]);
        uint64_t k;
        switch (column) {
        case ROWS_COL_TIME: k = r->time; break;
        case ROWS_COL_TID: k = r->tid; break;
        case ROWS_COL_CPU: k = r->cpu; break;
        case ROWS_COL_EVENT: k = r->id; break;
        /* Rows without a status or socket sort before every row with one. */
        case ROWS_COL_STATUS: k = (r->flags & STORE_ROW_HAS_STATUS) ? (uint64_t)r->status + 1 : 0; break;
        case ROWS_COL_BYTES: k = r->bytes; break;
        case ROWS_COL_INDEX: k = rows[i]; break;
        default: k = (rank && r->socket != STORE_NO_SOCKET) ? (uint64_t)rank[r->socket] + 1 : 0; break;
        }
        a[i].key = descending ? ~k : k;
        a[i].row = rows[i];
    }
    keyed *sorted = radix_sort(a, tmp, n, count);
    for (size_t i = 0; i < n; i++)
        rows[i] = sorted[i].row;
    rc = 0;

cleanup:
    free(a);
    free(tmp);
    free(count);
    free(rank);
    return rc;
}

int rows_text_matches(const filt_ctx *c, uint64_t row, const char *needle)
{
    const store_row *r = store_row_at(c->events, row);
    char buf[1024];
    if (!*needle)
        return 1;
    if (r->flags & STORE_ROW_AFD) {
        const afd_event_schema *s = afd_schema_find(r->id, 0);
        afd_fields f;
        if (s && filt_text_contains(s->name, needle))
            return 1;
        if (c->decode && c->decode(c->user, row, &f) == 0) {
            afd_format_details(&f, buf, sizeof buf);
            if (filt_text_contains(buf, needle))
                return 1;
        }
    }
    if ((r->flags & STORE_ROW_HAS_STATUS) && filt_text_contains(nts_name(r->status, buf, sizeof buf), needle))
        return 1;
    if (c->sockets && r->socket != STORE_NO_SOCKET) {
        const sock_info *s = sock_model_at(c->sockets, r->socket);
        if (filt_text_contains(sock_model_process_name(c->sockets, s->pid), needle))
            return 1;
        afd_format_address(&s->local, buf, sizeof buf);
        if (s->local.family && filt_text_contains(buf, needle))
            return 1;
        afd_format_address(&s->remote, buf, sizeof buf);
        if (s->remote.family && filt_text_contains(buf, needle))
            return 1;
    }
    return 0;
}

int64_t rows_find(const filt_ctx *c, const uint32_t *rows, uint64_t n, uint64_t from, int backward, filt *f,
                  const char *text)
{
    for (uint64_t step = 1; step <= n; step++) {
        uint64_t pos = backward ? (from + n - step % n) % n : (from + step) % n;
        uint64_t row = rows ? rows[pos] : pos;
        if (f ? filt_match_event(f, c, row) : rows_text_matches(c, row, text ? text : ""))
            return (int64_t)pos;
    }
    return -1;
}
