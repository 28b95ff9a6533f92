/*
 * worker.c - the filter/sort threads and the find thread (see worker.h).
 *
 * Threading design: one thread per job ("wskview filter"), at most one job working at a time: a new
 * job's thread first cancels and joins the job it replaces, so the UI thread never waits for a sort
 * (which cannot be interrupted) and two jobs never share work_file. The job reads the store and the
 * socket model, which nobody writes any more once the trace is done loading (a live job, while
 * capturing, reads the model only holding the capture's lock shared, a slice at a time), and decodes payloads
 * through the trace's work_file, which only the current job uses. Given the timeline's index, it also
 * reads the parts of it that tl_create made and nobody changes (tl_filter_build) while the UI thread
 * draws it; the index outlives the job (the window stops the job before it replaces the index). A find
 * ("wskview find") has its own copy of the view and its own reader, so it runs beside a filter job. An
 * export ("wskview export") only reads the socket model and writes its file. No thread here touches a
 * window: results are handed over by PostMessage and owned by whoever receives them. Cancel is
 * polled between slices of rows.
 */
#include "worker.h"

#include <wsk/export.h>

#include <stdlib.h>
#include <string.h>

/* Rows filtered between two looks at the cancel flag (a few milliseconds of work). */
#define WRK_SLICE (1u << 16)

struct wrk_job {
    trc_trace *trace;
    filt *filter;
    const tl *timeline;
    int sort_column;
    int descending;
    int live;      /* wrk_start_live: rows from `from` on, the socket model under the capture's lock */
    uint64_t from;
    HWND notify;
    UINT serial;
    plat_atomic_u64 cancel;
    plat_thread *thread;
    wrk_job *previous; /* this job's thread stops it before it works (only that thread touches it) */
};

static int wrk_cancelled(wrk_job *j)
{
    return plat_load_acquire(&j->cancel) != 0;
}

static int wrk_main(void *arg)
{
    wrk_job *j = (wrk_job *)arg;
    uint64_t n = store_count(j->trace->events), from, kept = 0;
    filt_ctx ctx = j->trace->work_ctx;
    wrk_result *r;
    uint32_t *rows;

    wrk_stop(j->previous);
    j->previous = NULL;
    r = (wrk_result *)calloc(1, sizeof *r);
    rows = (uint32_t *)malloc((size_t)(n > j->from ? n - j->from : 1) * sizeof *rows);
    if (!r || !rows)
        goto fail;
    if (j->live) {
        ctx.sockets = j->trace->sockets; /* read below only under the lock */
        ctx.trace_end = n ? store_row_at(j->trace->events, n - 1)->time : 0;
    }
    for (from = j->from; from < n && !wrk_cancelled(j); from += WRK_SLICE) {
        uint64_t to = n - from > WRK_SLICE ? from + WRK_SLICE : n;
        if (j->filter && j->live) {
            AcquireSRWLockShared(&j->trace->sockets_lock);
            kept += filt_select(j->filter, &ctx, from, to, rows + kept);
            ReleaseSRWLockShared(&j->trace->sockets_lock);
        } else if (j->filter) {
            kept += filt_select(j->filter, &ctx, from, to, rows + kept);
        } else {
            uint64_t i;
            for (i = from; i < to; i++)
                rows[kept++] = (uint32_t)i;
        }
    }
    if (wrk_cancelled(j))
        goto fail;
    /* The timeline's filter from the same rows, before the sort reorders them (its order does not matter). */
    if (j->filter && j->timeline &&
        tl_filter_build(j->timeline, j->filter, &j->trace->work_ctx, rows, kept, &r->timeline) != 0)
        goto fail;
    if (j->sort_column >= 0 &&
        rows_sort(&j->trace->work_ctx, (rows_column)j->sort_column, j->descending, rows, (size_t)kept) != 0)
        goto fail;
    r->serial = j->serial;
    r->rows = rows;
    r->count = kept;
    r->live = j->live;
    r->end = n;
    if (!PostMessageW(j->notify, WRK_MSG_DONE, (WPARAM)j->serial, (LPARAM)r))
        wrk_result_free(r);
    return 0;
fail:
    free(rows);
    if (r && !wrk_cancelled(j)) {
        r->serial = j->serial;
        r->failed = 1;
        if (PostMessageW(j->notify, WRK_MSG_DONE, (WPARAM)j->serial, (LPARAM)r))
            return 0;
    }
    wrk_result_free(r); /* rows already freed: r->rows is set only on success */
    return 0;
}

static wrk_job *wrk_launch(trc_trace *t, filt *filter, const tl *timeline, int sort_column, int descending,
                           int live, uint64_t from, HWND notify, UINT serial, wrk_job *previous)
{
    wrk_job *j = (wrk_job *)calloc(1, sizeof *j);

    if (!j) {
        filt_free(filter);
        wrk_stop(previous);
        return NULL;
    }
    j->trace = t;
    j->filter = filter;
    j->timeline = timeline;
    j->sort_column = sort_column;
    j->descending = descending;
    j->live = live;
    j->from = from;
    j->notify = notify;
    j->serial = serial;
    j->previous = previous;
    if (plat_thread_start(&j->thread, wrk_main, j, "wskview filter") != 0) {
        filt_free(filter);
        wrk_stop(previous);
        free(j);
        return NULL;
    }
    return j;
}

wrk_job *wrk_start(trc_trace *t, filt *filter, const tl *timeline, int sort_column, int descending,
                   HWND notify, UINT serial, wrk_job *previous)
{
    return wrk_launch(t, filter, timeline, sort_column, descending, 0, 0, notify, serial, previous);
}

wrk_job *wrk_start_live(trc_trace *t, filt *filter, uint64_t from, HWND notify, UINT serial, wrk_job *previous)
{
    return wrk_launch(t, filter, NULL, -1, 0, !t->done && t->capture != NULL, from, notify, serial, previous);
}

void wrk_stop(wrk_job *j)
{
    if (!j)
        return;
    /* The job's thread stops the previous job first (it owns that pointer): joining it covers both. */
    plat_store_release(&j->cancel, 1);
    plat_thread_join(j->thread);
    filt_free(j->filter);
    free(j);
}

/* ---- find ---------------------------------------------------------------------------------------
 * One thread per find ("wskview find"); a new find stops the previous one (it is cancelled between
 * slices, so the join is short). */

struct wrk_find {
    trc_trace *trace;
    uint32_t *rows; /* the job's copy of the view, NULL: store order */
    uint64_t n, from;
    int backward;
    char *text;
    HWND notify;
    UINT serial;
    etl_file *file; /* the job's own reader */
    int live;       /* started while capturing: the socket model only under the capture's lock */
    plat_atomic_u64 cancel;
    plat_thread *thread;
};

static int wrk_find_decode(void *user, uint64_t row, afd_fields *out)
{
    wrk_find *f = (wrk_find *)user;
    return trc_decode_row(f->trace, f->file, row, out);
}

static int wrk_find_main(void *arg)
{
    wrk_find *f = (wrk_find *)arg;
    filt_ctx ctx = f->trace->ctx;
    int64_t found = -1;
    uint64_t step;

    if (!f->trace->capture && etl_open_shared(f->trace->load_file, &f->file) != ETL_OK)
        f->file = NULL; /* the fields are then not searched; the rest is */
    ctx.decode = wrk_find_decode;
    ctx.user = f;
    if (f->live) {
        ctx.sockets = f->trace->sockets;
        AcquireSRWLockShared(&f->trace->sockets_lock);
    }
    for (step = 1; step <= f->n && found < 0; step++) {
        uint64_t pos = f->backward ? (f->from + f->n - step % f->n) % f->n : (f->from + step) % f->n;
        if (step % WRK_SLICE == 0) {
            if (f->live) { /* the capture's consumer writes the model between slices */
                ReleaseSRWLockShared(&f->trace->sockets_lock);
                AcquireSRWLockShared(&f->trace->sockets_lock);
            }
            if (plat_load_acquire(&f->cancel))
                break;
        }
        if (rows_text_matches(&ctx, f->rows ? f->rows[pos] : pos, f->text))
            found = (int64_t)pos;
    }
    if (f->live)
        ReleaseSRWLockShared(&f->trace->sockets_lock);
    if (!plat_load_acquire(&f->cancel))
        PostMessageW(f->notify, WRK_MSG_FOUND, (WPARAM)f->serial, (LPARAM)found);
    return 0;
}

wrk_find *wrk_find_start(trc_trace *t, const uint32_t *rows, uint64_t n, uint64_t from, int backward,
                         const char *text, HWND notify, UINT serial)
{
    wrk_find *f = (wrk_find *)calloc(1, sizeof *f);
    size_t len = strlen(text);

    if (!f || !n)
        goto fail;
    f->text = (char *)malloc(len + 1);
    if (!f->text)
        goto fail;
    memcpy(f->text, text, len + 1);
    if (rows) {
        f->rows = (uint32_t *)malloc((size_t)n * sizeof *f->rows);
        if (!f->rows)
            goto fail;
        memcpy(f->rows, rows, (size_t)n * sizeof *f->rows);
    }
    f->trace = t;
    f->live = !t->done && t->capture != NULL;
    f->n = n;
    f->from = from < n ? from : n - 1;
    f->backward = backward;
    f->notify = notify;
    f->serial = serial;
    if (plat_thread_start(&f->thread, wrk_find_main, f, "wskview find") != 0)
        goto fail;
    return f;
fail:
    if (f) {
        free(f->rows);
        free(f->text);
        free(f);
    }
    return NULL;
}

void wrk_find_stop(wrk_find *f)
{
    if (!f)
        return;
    plat_store_release(&f->cancel, 1);
    plat_thread_join(f->thread);
    etl_close(f->file);
    free(f->rows);
    free(f->text);
    free(f);
}

/* ---- export ------------------------------------------------------------------------------------- */

struct wrk_export {
    trc_trace *trace;
    wchar_t *path;
    int jsonl;
    HWND notify;
    UINT serial;
    plat_atomic_u64 cancel;
    plat_thread *thread;
};

static BOOL wrk_write(HANDLE h, const char *text, size_t len)
{
    DWORD done = 0;
    return len <= MAXDWORD && WriteFile(h, text, (DWORD)len, &done, NULL) && done == len;
}

static int wrk_export_main(void *arg)
{
    wrk_export *e = (wrk_export *)arg;
    const sock_model *m = e->trace->sockets;
    size_t n = sock_model_count(m), i, cap = 4096, len = 0;
    char *line = (char *)malloc(cap);
    HANDLE h = CreateFileW(e->path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    BOOL ok = line && h != INVALID_HANDLE_VALUE;

    if (ok && !e->jsonl)
        ok = wrk_write(h, export_socket_csv_header(), strlen(export_socket_csv_header())) &&
             wrk_write(h, "\n", 1);
    for (i = 0; ok && i < n && !plat_load_acquire(&e->cancel); i++) {
        for (;;) {
            char *bigger;
            len = e->jsonl ? export_socket_json(m, i, line, cap) : export_socket_csv(m, i, line, cap);
            if (len < cap)
                break;
            bigger = (char *)realloc(line, len + 1);
            if (!bigger) {
                ok = FALSE;
                break;
            }
            line = bigger;
            cap = len + 1;
        }
        ok = ok && wrk_write(h, line, len) && wrk_write(h, "\n", 1);
    }
    if (h != INVALID_HANDLE_VALUE)
        CloseHandle(h);
    free(line);
    if (!plat_load_acquire(&e->cancel))
        PostMessageW(e->notify, WRK_MSG_EXPORTED, (WPARAM)e->serial, ok ? (LPARAM)n : (LPARAM)-1);
    return 0;
}

wrk_export *wrk_export_start(trc_trace *t, const wchar_t *path, int jsonl, HWND notify, UINT serial)
{
    wrk_export *e = (wrk_export *)calloc(1, sizeof *e);
    size_t len = wcslen(path);

    if (!e)
        return NULL;
    e->path = (wchar_t *)malloc((len + 1) * sizeof *e->path);
    if (!e->path) {
        free(e);
        return NULL;
    }
    memcpy(e->path, path, (len + 1) * sizeof *path);
    e->trace = t;
    e->jsonl = jsonl;
    e->notify = notify;
    e->serial = serial;
    if (plat_thread_start(&e->thread, wrk_export_main, e, "wskview export") != 0) {
        free(e->path);
        free(e);
        return NULL;
    }
    return e;
}

void wrk_export_stop(wrk_export *e)
{
    if (!e)
        return;
    plat_store_release(&e->cancel, 1);
    plat_thread_join(e->thread);
    free(e->path);
    free(e);
}

void wrk_result_free(wrk_result *r)
{
    if (r) {
        free(r->rows);
        tl_filter_free(r->timeline);
        free(r);
    }
}
