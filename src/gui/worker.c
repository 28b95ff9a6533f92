/*
 * worker.c - the filter/sort thread (see worker.h).
 *
 * Threading design: one thread per job ("wskview filter"), at most one job working at a time: a new
 * job's thread first cancels and joins the job it replaces, so the UI thread never waits for a sort
 * (which cannot be interrupted) and two jobs never share work_file. The job reads the store and the
 * socket model, which
 * nobody writes any more once the trace is done loading, and decodes payloads through the trace's
 * work_file, which only the current job uses. It never touches a window: the result is handed over
 * by PostMessage and owned by whoever receives it. Cancel is polled between slices of rows.
 */
#include "worker.h"

#include <stdlib.h>

/* Rows filtered between two looks at the cancel flag (a few milliseconds of work). */
#define WRK_SLICE (1u << 16)

struct wrk_job {
    trc_trace *trace;
    filt *filter;
    int sort_column;
    int descending;
    HWND notify;
    UINT serial;
    plat_atomic_u64 cancel;
    plat_thread *thread;
    wrk_job *previous;     /* this job's thread stops it before it works (only that thread touches it) */
};

static int wrk_cancelled(wrk_job *j)
{
    return plat_load_acquire(&j->cancel) != 0;
}

static int wrk_main(void *arg)
{
    wrk_job *j = (wrk_job *)arg;
    uint64_t n = store_count(j->trace->events), from, kept = 0;
    wrk_result *r;
    uint32_t *rows;

    wrk_stop(j->previous);
    j->previous = NULL;
    r = (wrk_result *)calloc(1, sizeof *r);
    rows = (uint32_t *)malloc((size_t)(n ? n : 1) * sizeof *rows);
    if (!r || !rows)
        goto fail;
    for (from = 0; from < n && !wrk_cancelled(j); from += WRK_SLICE) {
        uint64_t to = n - from > WRK_SLICE ? from + WRK_SLICE : n;
        if (j->filter) {
            kept += filt_select(j->filter, &j->trace->work_ctx, from, to, rows + kept);
        } else {
            uint64_t i;
            for (i = from; i < to; i++)
                rows[kept++] = (uint32_t)i;
        }
    }
    if (wrk_cancelled(j))
        goto fail;
    if (j->sort_column >= 0
        && rows_sort(&j->trace->work_ctx, (rows_column)j->sort_column, j->descending, rows, (size_t)kept) != 0)
        goto fail;
    r->serial = j->serial;
    r->rows = rows;
    r->count = kept;
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
    free(r);
    return 0;
}

wrk_job *wrk_start(trc_trace *t, filt *filter, int sort_column, int descending, HWND notify, UINT serial,
                   wrk_job *previous)
{
    wrk_job *j = (wrk_job *)calloc(1, sizeof *j);

    if (!j) {
        filt_free(filter);
        wrk_stop(previous);
        return NULL;
    }
    j->trace = t;
    j->filter = filter;
    j->sort_column = sort_column;
    j->descending = descending;
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

void wrk_result_free(wrk_result *r)
{
    if (r) {
        free(r->rows);
        free(r);
    }
}
