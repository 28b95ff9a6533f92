/*
 * etl_iter.c - delivering records: file order, or time order (buffers grouped
 * per processor and sorted by SequenceNumber, which also undoes the rotation of
 * a wrapped circular log, then a k-way merge on record timestamps with a
 * binary heap of processor streams). The header buffer's records come first.
 *
 * Records are decoded in batches inside one plat_guarded call per batch, so an
 * I/O error in the mapping ends the walk with a diagnostic instead of a crash
 * and the guard costs nothing per event. A buffer left behind while a batch is
 * being filled stays pinned (compressed buffers live in the cache) until the
 * caller has seen the batch's events.
 */
#include "etl_internal.h"

#include <stdlib.h>

#define ETL_BATCH 16u /* small enough that the batch stays in L1 beside the data */

typedef struct etl_heap_item {
    int64_t key;
    uint32_t stream;
} etl_heap_item;

typedef struct etl_stream {
    const uint32_t *list;   /* buffers of this stream, in delivery order */
    uint32_t n, pos;
    uint32_t buf;           /* buffer being walked (valid while pl != NULL) */
    const uint8_t *pl;
    uint32_t len, off;
    uint32_t emitted;       /* batch number of the last event taken from buf */
    int header;             /* header buffers: always first */
    int64_t key;            /* effective time of the record at off */
    etl_frame fr;           /* framing of the record at off */
} etl_stream;

struct etl_iter {
    etl_file *f;
    uint32_t *lists;
    etl_stream *streams;
    uint32_t nstreams;
    etl_heap_item *heap;
    uint32_t nheap;
    uint32_t *deferred;     /* buffers to release once the batch has been consumed */
    uint32_t ndeferred;
    etl_event *batch;
    uint32_t nbatch, next;
    uint32_t batch_no;      /* counts fills from 1: a stream's emitted == batch_no means "in this batch" */
    uint32_t consumed;      /* buffers finished */
    int done;
};

static void etl_stream_leave_buffer(etl_iter *it, etl_stream *s)
{
    /* Only buffers holding events of the batch being filled wait: at most one per event. */
    if (s->emitted == it->batch_no && it->ndeferred < ETL_BATCH)
        it->deferred[it->ndeferred++] = s->buf;
    else
        etl_payload_release(it->f, s->buf);
    it->f->bstate[s->buf] |= ETL_BS_WALKED;
    s->pl = NULL;
    s->emitted = 0;
    it->consumed++;
}

/* Positions s on its next record, moving to later buffers as needed. 1: there is one. */
static int etl_stream_settle(etl_iter *it, etl_stream *s)
{
    etl_file *f = it->f;
    for (;;) {
        if (s->pl) {
            if (s->off < s->len) {
                etl_frame_status st = etl_record_frame(s->pl, s->len, s->off, &s->fr);
                if (st == ETL_FRAME_OK) {
                    if (s->header)
                        s->key = INT64_MIN;
                    else if (s->fr.has_time)
                        s->key = s->fr.raw_time > INT64_MIN ? s->fr.raw_time : INT64_MIN + 1;
                    /* else: no timestamp, keep the previous record's key and so its place */
                    return 1;
                }
                if (!(f->bstate[s->buf] & ETL_BS_WALKED)) {
                    if (st == ETL_FRAME_END)
                        etl_diag_add(f, etl_payload_file_offset(f, s->buf, s->off),
                                     "padding at payload offset %u before the end of the valid bytes (%u)",
                                     s->off, s->len);
                    else
                        etl_diag_add(f, etl_payload_file_offset(f, s->buf, s->off),
                                     "%s (payload offset %u); rest of the buffer skipped", s->fr.why, s->off);
                }
            }
            etl_stream_leave_buffer(it, s);
        }
        if (s->pos >= s->n)
            return 0;
        s->buf = s->list[s->pos++];
        if (etl_payload_acquire(f, s->buf, &s->pl, &s->len) != 0) {
            s->pl = NULL;
            f->bstate[s->buf] |= ETL_BS_WALKED;
            it->consumed++;
            continue;
        }
        s->off = 0;
    }
}

/* Heap entries carry their stream's key, so sifting touches one small array. Ties go to the lower
 * stream index (processors in a stable order); only the header stream has the key INT64_MIN.
 * Plain branches: measured on the 10 M-event bench they beat a branch-free compare (0.37 s vs 0.43 s)
 * although a simulated predictor said otherwise. */
static int etl_heap_less(const etl_heap_item *a, const etl_heap_item *b)
{
    return a->key < b->key || (a->key == b->key && a->stream < b->stream);
}

/* Moves the root down to its place ("hole" sift: one store per level). */
static void etl_heap_down(etl_iter *it)
{
    etl_heap_item *h = it->heap, x = h[0];
    uint32_t n = it->nheap, i = 0;
    for (;;) {
        uint32_t m = 2 * i + 1;
        if (m >= n)
            break;
        if (m + 1 < n && etl_heap_less(&h[m + 1], &h[m]))
            m++;
        if (!etl_heap_less(&h[m], &x))
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = x;
}

static int etl_iter_fill(void *ctx)
{
    etl_iter *it = ctx;
    etl_file *f = it->f;
    uint32_t i;

    for (i = 0; i < it->ndeferred; i++)
        etl_payload_release(f, it->deferred[i]);
    it->ndeferred = 0;
    it->nbatch = 0;
    it->next = 0;
    it->batch_no++;

    if (it->heap == NULL) {
        /* First fill: position every stream and build the heap. */
        it->heap = malloc((it->nstreams ? it->nstreams : 1) * sizeof *it->heap);
        if (!it->heap)
            return -2;
        for (i = 0; i < it->nstreams; i++) {
            it->streams[i].key = INT64_MIN + 1; /* before any timestamp, after the header */
            if (etl_stream_settle(it, &it->streams[i])) {
                /* insert with a sift up */
                uint32_t j = it->nheap++;
                etl_heap_item x;
                x.key = it->streams[i].key;
                x.stream = i;
                while (j > 0 && etl_heap_less(&x, &it->heap[(j - 1) / 2])) {
                    it->heap[j] = it->heap[(j - 1) / 2];
                    j = (j - 1) / 2;
                }
                it->heap[j] = x;
            }
        }
    }

    while (it->nbatch < ETL_BATCH && it->nheap > 0) {
        etl_stream *s = &it->streams[it->heap[0].stream];
        const char *why = NULL;
        etl_event *ev = &it->batch[it->nbatch];
        if (etl_record_decode(f, s->pl, s->len, s->off, s->buf, &s->fr, ev, &why) == 0) {
            it->nbatch++;
            s->emitted = it->batch_no;
        } else if (!(f->bstate[s->buf] & ETL_BS_WALKED)) {
            etl_diag_add(f, etl_payload_file_offset(f, s->buf, s->off), "%s (payload offset %u); record skipped",
                         why, s->off);
        }
        s->off += s->fr.step;
        if (etl_stream_settle(it, s))
            it->heap[0].key = s->key;
        else
            it->heap[0] = it->heap[--it->nheap];
        if (it->nheap > 1)
            etl_heap_down(it);
    }
    return 0;
}

/* Processor, then sequence number (which also undoes a circular log's rotation), then file order. */
static int etl_cmp_buf(const etl_file *f, uint32_t a, uint32_t b)
{
    const etl_buffer_info *x = &f->bufs[a], *y = &f->bufs[b];
    if (x->cpu != y->cpu)
        return x->cpu < y->cpu ? -1 : 1;
    if (x->sequence != y->sequence)
        return x->sequence < y->sequence ? -1 : 1;
    return a < b ? -1 : (a > b);
}

/* Merge sort of buffer indices (O(n log n) on any input; tmp holds n entries). */
static void etl_sort_buffers(const etl_file *f, uint32_t *idx, uint32_t *tmp, uint32_t n)
{
    uint32_t width, i;
    for (width = 1; width < n; width *= 2) {
        for (i = 0; i < n; i += 2 * width) {
            uint32_t lo = i, mid = i + width < n ? i + width : n, hi = i + 2 * width < n ? i + 2 * width : n;
            uint32_t a = lo, b = mid, o = lo;
            while (a < mid && b < hi)
                tmp[o++] = etl_cmp_buf(f, idx[a], idx[b]) <= 0 ? idx[a++] : idx[b++];
            while (a < mid)
                tmp[o++] = idx[a++];
            while (b < hi)
                tmp[o++] = idx[b++];
        }
        memcpy(idx, tmp, (size_t)n * sizeof *idx);
    }
}

etl_status etl_iter_create(etl_file *f, etl_order order, etl_iter **out)
{
    etl_iter *it;
    uint32_t n, i, *tmp = NULL;
    etl_status st = ETL_E_NOMEM;

    if (!f || !out || (order != ETL_ORDER_TIME && order != ETL_ORDER_FILE))
        return ETL_E_ARG;
    n = f->nbufs;
    it = calloc(1, sizeof *it);
    if (!it)
        return ETL_E_NOMEM;
    it->f = f;
    it->lists = malloc((n ? n : 1) * sizeof *it->lists);
    it->batch = malloc(ETL_BATCH * sizeof *it->batch);
    it->deferred = malloc(ETL_BATCH * sizeof *it->deferred);
    if (!it->lists || !it->batch || !it->deferred)
        goto cleanup;

    if (order == ETL_ORDER_FILE) {
        it->streams = calloc(1, sizeof *it->streams);
        if (!it->streams)
            goto cleanup;
        for (i = 0; i < n; i++)
            it->lists[i] = i;
        it->streams[0].list = it->lists;
        it->streams[0].n = n;
        it->nstreams = 1;
    } else {
        /* Header buffers form stream 0; the others one stream per processor, in sequence order. */
        uint32_t nh = 0, nrest = 0, nstreams = 1, start;
        uint32_t *rest;
        tmp = malloc((n ? n : 1) * sizeof *tmp);
        if (!tmp)
            goto cleanup;
        for (i = 0; i < n; i++)
            if (f->bufs[i].type == ETL_BUFFER_TYPE_HEADER)
                it->lists[nh++] = i;
        rest = it->lists + nh;
        for (i = 0; i < n; i++)
            if (f->bufs[i].type != ETL_BUFFER_TYPE_HEADER)
                rest[nrest++] = i;
        etl_sort_buffers(f, rest, tmp, nrest);
        for (i = 0; i < nrest; i++)
            if (i == 0 || f->bufs[rest[i]].cpu != f->bufs[rest[i - 1]].cpu)
                nstreams++;
        it->streams = calloc(nstreams, sizeof *it->streams);
        if (!it->streams)
            goto cleanup;
        if (nh) {
            it->streams[0].list = it->lists;
            it->streams[0].n = nh;
            it->streams[0].header = 1;
            it->nstreams = 1;
        }
        for (start = 0; start < nrest;) {
            uint32_t end = start;
            while (end < nrest && f->bufs[rest[end]].cpu == f->bufs[rest[start]].cpu)
                end++;
            it->streams[it->nstreams].list = rest + start;
            it->streams[it->nstreams].n = end - start;
            it->nstreams++;
            start = end;
        }
    }
    *out = it;
    it = NULL;
    st = ETL_OK;
cleanup:
    free(tmp);
    etl_iter_destroy(it);
    return st;
}

int etl_iter_next(etl_iter *it, etl_event *ev)
{
    if (!it || !ev)
        return 0;
    if (it->next >= it->nbatch) {
        int rc;
        if (it->done)
            return 0;
        rc = plat_guarded(etl_iter_fill, it);
        if (rc == -1) {
            /* The mapping failed under us (SIGBUS / EXCEPTION_IN_PAGE_ERROR). */
            free(it->f->pending);
            it->f->pending = NULL;
            etl_diag_add(it->f, it->f->size, "I/O error while reading the file; the walk stopped");
            it->done = 1;
            it->nbatch = 0;
            return 0;
        }
        if (rc != 0 || it->nbatch == 0) {
            it->done = 1;
            return 0;
        }
    }
    {
        /* Copy only the extended items in use: most events have none. */
        const etl_event *src = &it->batch[it->next++];
        uint32_t i, nx = src->ext_count < ETL_MAX_EXT ? src->ext_count : ETL_MAX_EXT;
        memcpy(ev, src, offsetof(etl_event, ext)); /* constant size: a few vector moves */
        for (i = 0; i < nx; i++)
            ev->ext[i] = src->ext[i];
        ev->data = src->data;
        ev->data_len = src->data_len;
        ev->record = src->record;
        ev->record_len = src->record_len;
    }
    return 1;
}

double etl_iter_progress(const etl_iter *it)
{
    if (!it || it->f->nbufs == 0)
        return 1.0;
    return (double)it->consumed / (double)it->f->nbufs;
}

void etl_iter_destroy(etl_iter *it)
{
    uint32_t i;
    if (!it)
        return;
    for (i = 0; i < it->ndeferred; i++)
        etl_payload_release(it->f, it->deferred[i]);
    if (it->streams) {
        for (i = 0; i < it->nstreams; i++)
            if (it->streams[i].pl)
                etl_payload_release(it->f, it->streams[i].buf);
    }
    free(it->streams);
    free(it->heap);
    free(it->deferred);
    free(it->batch);
    free(it->lists);
    free(it);
}

/* ---- fetching one record again -------------------------------------------------------------------- */

typedef struct etl_get_ctx {
    etl_file *f;
    uint32_t buf, off;
    etl_event *ev;
    etl_status st;
} etl_get_ctx;

static int etl_get_guarded(void *vctx)
{
    etl_get_ctx *c = vctx;
    etl_file *f = c->f;
    const uint8_t *pl;
    uint32_t len;
    etl_frame fr;
    const char *why;

    c->st = ETL_E_NOTFOUND;
    /* Acquire before releasing the previous fetch's buffer: fetching from the same compressed buffer
     * again must not evict and decompress it anew. */
    if (etl_payload_acquire(f, c->buf, &pl, &len) != 0)
        return 0;
    if (f->get_buf >= 0)
        etl_payload_release(f, (uint32_t)f->get_buf);
    f->get_buf = c->buf;
    if (c->off >= len || etl_record_frame(pl, len, c->off, &fr) != ETL_FRAME_OK)
        return 0;
    if (etl_record_decode(f, pl, len, c->off, c->buf, &fr, c->ev, &why) != 0)
        return 0;
    c->st = ETL_OK;
    return 0;
}

etl_status etl_event_get(etl_file *f, uint64_t handle, etl_event *ev)
{
    etl_get_ctx c;
    etl_event tmp;
    if (!f || !ev)
        return ETL_E_ARG;
    c.f = f;
    c.buf = (uint32_t)(handle >> 32);
    c.off = (uint32_t)handle;
    c.ev = &tmp;
    /* Records start 8-aligned: anything else cannot name one. */
    if (c.buf >= f->nbufs || (c.off & 7))
        return ETL_E_NOTFOUND;
    if (plat_guarded(etl_get_guarded, &c) != 0) {
        free(f->pending);
        f->pending = NULL;
        etl_diag_add(f, f->bufs[c.buf].file_offset, "I/O error while reading the file");
        return ETL_E_IO;
    }
    if (c.st == ETL_OK)
        *ev = tmp;
    return c.st;
}
