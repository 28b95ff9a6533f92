/*
 * trace.c - the consumer thread that loads a trace file (see trace.h).
 *
 * Threading design: trc_start hands the path to a named thread ("wskview load"), which opens the
 * file, posts TRC_MSG_OPENED, runs load_file into the store and socket model, and posts TRC_MSG_DONE.
 * Opening happens here, not on the UI thread, because it indexes every buffer of the file. Every
 * thread that reads the file has its own etl_file (this consumer, the UI thread, the filter worker):
 * the other two share the consumer's mapping and buffer index (etl_open_shared: no second walk of the
 * file, no second mapping to fault in) and are made by a second thread ("wskview open") while the
 * consumer already loads; it posts TRC_MSG_READERS and the consumer joins it before TRC_MSG_DONE. Neither thread touches a window: PostMessage is their only contact with the UI.
 * Progress is coalesced: the consumer posts TRC_MSG_PROGRESS only when progress_pending was 0 and sets
 * it to 1; the UI clears it when it handles the message, so at most one is queued however fast rows
 * come. Cancel is the load job's flag, polled once per published batch; trc_close sets it and joins.
 *
 * The timeline's index is built only when its pane is shown: by the consumer after a whole load if the UI
 * asked before the end (trc_want_timeline), else by a job thread ("wskview timeline") that reads the store and
 * socket model once they are the UI's (after TRC_MSG_DONE, which nothing writes any more) and posts
 * TRC_MSG_TIMELINE; trc_close joins it. For a running capture the same job builds an index of the rows so far
 * every couple of seconds (trc_timeline_live), holding the capture's lock shared while it reads the model.
 *
 * A capture (trc_start_capture) has no thread here: cap_capture.h's threads fill the store, capctl.c
 * drives it, trc_finish stops it and trc_close destroys it before the store it writes.
 */
#include "cap_capture.h" /* first: it brings winsock2.h, which must come before windows.h */

#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Rows per publication: small enough that the first screenful shows at once, large enough that the
 * release store and the progress callback cost nothing next to decoding. */
#define TRC_PUBLISH_EVERY 2048

int trc_decode_row(const trc_trace *t, etl_file *file, uint64_t row, afd_fields *out)
{
    const store_row *r = store_row_at(t->events, row);

    if (t->arena)
        return live_decode_row(t->arena, r, out);
    return file ? load_decode_row(file, r, out) : -1;
}

static int trc_decode_ui(void *user, uint64_t row, afd_fields *out)
{
    trc_trace *t = (trc_trace *)user;
    return trc_decode_row(t, t->readers_ready ? t->ui_file : NULL, row, out);
}

/* Only after TRC_MSG_DONE (the consumer joined the opener), when work_file is settled. */
static int trc_decode_work(void *user, uint64_t row, afd_fields *out)
{
    trc_trace *t = (trc_trace *)user;
    return trc_decode_row(t, t->work_file, row, out);
}

static void trc_post(trc_trace *t, UINT msg)
{
    PostMessageW(t->notify, msg, (WPARAM)t->serial, 0);
}

static void trc_on_progress(void *user, uint64_t rows, double fraction)
{
    trc_trace *t = (trc_trace *)user;
    (void)rows;
    plat_store_release(&t->progress_permille, (uint64_t)(fraction * 1000.0));
    if (plat_load_acquire(&t->progress_pending) == 0) {
        plat_store_release(&t->progress_pending, 1);
        trc_post(t, TRC_MSG_PROGRESS);
    }
}

/* The other threads' readers. A failure leaves them NULL: details and payload filters then find nothing. */
static int trc_opener(void *arg)
{
    trc_trace *t = (trc_trace *)arg;

    if (etl_open_shared(t->load_file, &t->ui_file) != ETL_OK)
        t->ui_file = NULL;
    if (etl_open_shared(t->load_file, &t->work_file) != ETL_OK)
        t->work_file = NULL;
    trc_post(t, TRC_MSG_READERS);
    return 0;
}

static int trc_consumer(void *arg)
{
    trc_trace *t = (trc_trace *)arg;
    etl_file *load = NULL;
    load_job job;

    /* The UI thread must win the processor whenever it has a message to handle. */
    SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
    if (etl_open(t->path, &load, t->error, sizeof t->error) != ETL_OK) {
        t->failed = 1;
        goto cleanup;
    }
    t->load_file = load;
    t->header = etl_get_header(load);
    if (plat_thread_start(&t->opener, trc_opener, t, "wskview open") != 0)
        t->opener = NULL;
    trc_post(t, TRC_MSG_OPENED);
    memset(&job, 0, sizeof job);
    job.file = load;
    job.events = t->events;
    job.sockets = t->sockets;
    job.order = ETL_ORDER_TIME;
    job.publish_every = TRC_PUBLISH_EVERY;
    job.progress = trc_on_progress;
    job.user = t;
    job.cancel = &t->cancel;
    /* The detail pane's per-socket lists (sidx.h), linked batch by batch while the rows are in cache. */
    if (sidx_create(&t->by_socket) == 0)
        job.index = t->by_socket;
    if (load_file(&job, &t->stats) != 0) {
        t->failed = 1;
        snprintf(t->error, sizeof t->error, "Out of memory while loading the trace.");
        goto cleanup;
    }
    /* The shown timeline's index here, while the rows are still in cache (~0.5-1 s at 10 M events); none
     * after a cancel, which trc_close waits for (trc_timeline_request then builds one for the rows there are). */
    if (!t->stats.cancelled && plat_load_acquire(&t->want_timeline)) {
        if (tl_create(t->events, t->sockets, &t->timeline) != 0)
            t->timeline = NULL;
        t->tl_state = TRC_TL_READY;
    }
    /* The consumer's reader saw every buffer: its diagnostics are the file's. */
    t->diagnostics = etl_diag_count(load);
    if (t->diagnostics) {
        const etl_diag *d = etl_diag_at(load, 0);
        snprintf(t->first_diag, sizeof t->first_diag, "at offset %llu: %s", (unsigned long long)d->offset,
                 d->reason);
    }
cleanup:
    if (t->opener) {
        plat_thread_join(t->opener);
        t->opener = NULL;
    }
    trc_post(t, TRC_MSG_DONE);
    return 0;
}

/* The parts both sources have: store, socket model, the decode contexts. NULL when out of memory. */
static trc_trace *trc_new(const wchar_t *name, HWND notify, UINT serial)
{
    trc_trace *t = (trc_trace *)calloc(1, sizeof *t);

    if (!t)
        return NULL;
    t->serial = serial;
    t->notify = notify;
    lstrcpynW(t->name, name, (int)(sizeof t->name / sizeof t->name[0]));
    InitializeSRWLock(&t->sockets_lock);
    if (store_create(UINT32_MAX, &t->events) != 0 || sock_model_create(&t->sockets) != 0) {
        trc_close(t);
        return NULL;
    }
    t->ctx.events = t->events;
    t->ctx.decode = trc_decode_ui;
    t->ctx.user = t;
    t->work_ctx.events = t->events;
    t->work_ctx.decode = trc_decode_work;
    t->work_ctx.user = t;
    return t;
}

trc_trace *trc_start(const wchar_t *path, HWND notify, UINT serial)
{
    const wchar_t *base = path, *p;
    trc_trace *t;

    for (p = path; *p; p++)
        if (*p == L'\\' || *p == L'/')
            base = p + 1;
    t = trc_new(base, notify, serial);
    if (!t)
        return NULL;
    if (!WideCharToMultiByte(CP_UTF8, 0, path, -1, t->path, (int)sizeof t->path, NULL, NULL) ||
        plat_thread_start(&t->thread, trc_consumer, t, "wskview load") != 0) {
        t->thread = NULL;
        trc_close(t);
        return NULL;
    }
    return t;
}

/* The capture's times shown in this machine's zone when the user picks the trace's zone. */
static void trc_local_zone(etl_timezone *z)
{
    TIME_ZONE_INFORMATION tzi;

    if (GetTimeZoneInformation(&tzi) == TIME_ZONE_ID_INVALID)
        return;
    z->bias = (int32_t)tzi.Bias;
    z->standard_bias = (int32_t)tzi.StandardBias;
    z->daylight_bias = (int32_t)tzi.DaylightBias;
    memcpy(&z->standard_date, &tzi.StandardDate, sizeof z->standard_date);
    memcpy(&z->daylight_date, &tzi.DaylightDate, sizeof z->daylight_date);
    if (!WideCharToMultiByte(CP_UTF8, 0, tzi.StandardName, -1, z->standard_name, (int)sizeof z->standard_name, NULL,
                             NULL))
        z->standard_name[0] = '\0';
    if (!WideCharToMultiByte(CP_UTF8, 0, tzi.DaylightName, -1, z->daylight_name, (int)sizeof z->daylight_name, NULL,
                             NULL))
        z->daylight_name[0] = '\0';
}

trc_trace *trc_start_capture(const wchar_t *name, HWND notify, UINT serial)
{
    trc_trace *t = trc_new(name, notify, serial);
    FILETIME now;

    if (!t)
        return NULL;
    GetSystemTimeAsFileTime(&now);
    t->live_header.start_time = ((uint64_t)now.dwHighDateTime << 32) | now.dwLowDateTime;
    t->live_header.clock_type = 2;
    t->live_header.pointer_size = (uint32_t)sizeof(void *);
    trc_local_zone(&t->live_header.tz);
    t->header = &t->live_header;
    t->readers_ready = 1;
    return t;
}

void trc_sockets_lock(void *user, int lock)
{
    trc_trace *t = (trc_trace *)user;

    if (lock)
        AcquireSRWLockExclusive(&t->sockets_lock);
    else
        ReleaseSRWLockExclusive(&t->sockets_lock);
}

int trc_sockets_begin(trc_trace *t)
{
    if (t->done)
        return !t->failed;
    if (!t->capture)
        return 0;
    if (!t->sockets_held && !TryAcquireSRWLockShared(&t->sockets_lock))
        return 0;
    t->sockets_held++;
    return 1;
}

void trc_sockets_end(trc_trace *t)
{
    if (t->sockets_held && --t->sockets_held == 0)
        ReleaseSRWLockShared(&t->sockets_lock);
}

int trc_sockets_ready(const trc_trace *t)
{
    return (t->done && !t->failed) || t->sockets_held;
}

void trc_readers_seen(trc_trace *t)
{
    t->readers_ready = 1;
}

void trc_progress_seen(trc_trace *t)
{
    plat_store_release(&t->progress_pending, 0);
}

unsigned trc_progress_permille(const trc_trace *t)
{
    uint64_t v = plat_load_acquire(&t->progress_permille);
    return v > 1000 ? 1000u : (unsigned)v;
}

void trc_finish(trc_trace *t)
{
    uint64_t n;

    if (t->done)
        return;
    if (t->capture) {
        live_stats final;
        cap_capture_stop(t->capture, &final, NULL);
        t->stats = final.load;
    }
    if (t->thread)
        plat_thread_join(t->thread);
    t->thread = NULL;
    t->done = 1;
    if (t->tl_live && t->tl_state == TRC_TL_TAKEN) { /* the pane shows the rows of a while ago */
        t->tl_state = TRC_TL_NONE;
        t->tl_live = 0;
    }
    if (t->failed)
        return;
    n = store_count(t->events);
    /* A stopped capture's per-socket index for the detail pane: the rows trc_index_capture did not link yet
     * (~10 ns a row); without memory for it the pane scans instead. A file's was built while it loaded. */
    if (t->capture && (t->by_socket || sidx_create(&t->by_socket) == 0))
        (void)sidx_update(t->by_socket, t->events, t->sockets, n);
    t->ctx.sockets = t->sockets;
    t->work_ctx.sockets = t->sockets;
    t->ctx.trace_end = n ? store_row_at(t->events, n - 1)->time : 0;
    t->work_ctx.trace_end = t->ctx.trace_end;
}

void trc_index_capture(trc_trace *t)
{
    if (t->done || !t->capture || !trc_sockets_begin(t))
        return;
    /* Under the lock the consumer is not feeding the model, and it publishes rows only after feeding them:
     * every row below store_count has its socket. */
    if (t->by_socket || sidx_create(&t->by_socket) == 0)
        (void)sidx_update(t->by_socket, t->events, t->sockets, store_count(t->events));
    trc_sockets_end(t);
}

void trc_want_timeline(trc_trace *t)
{
    plat_store_release(&t->want_timeline, 1);
}

static int trc_timeline_job(void *arg)
{
    trc_trace *t = (trc_trace *)arg;

    SetThreadPriority(GetCurrentThread(), THREAD_PRIORITY_BELOW_NORMAL);
    /* A capture's consumer may still write the model: it waits for the build (its ring holds what comes). */
    if (t->capture)
        AcquireSRWLockShared(&t->sockets_lock);
    if (tl_create(t->events, t->sockets, &t->timeline) != 0)
        t->timeline = NULL;
    if (t->capture)
        ReleaseSRWLockShared(&t->sockets_lock);
    trc_post(t, TRC_MSG_TIMELINE);
    return 0;
}

int trc_timeline_request(trc_trace *t)
{
    if (t->tl_state == TRC_TL_NONE && !t->failed) {
        t->tl_state = TRC_TL_TAKEN;
        if (plat_thread_start(&t->tl_job, trc_timeline_job, t, "wskview timeline") == 0)
            t->tl_state = TRC_TL_BUILDING;
        else
            t->tl_job = NULL;
    }
    return t->tl_state;
}

int trc_timeline_live(trc_trace *t)
{
    if (t->done || !t->capture)
        return TRC_TL_TAKEN;
    if (t->tl_state == TRC_TL_TAKEN && !t->tl_job)
        t->tl_state = TRC_TL_NONE; /* the last one shown is older than the rows since */
    if (t->tl_state == TRC_TL_NONE)
        t->tl_live = 1;
    return trc_timeline_request(t);
}

tl *trc_timeline_take(trc_trace *t)
{
    tl *index;

    if (t->tl_job) {
        plat_thread_join(t->tl_job);
        t->tl_job = NULL;
    }
    index = t->timeline;
    t->timeline = NULL;
    /* An index of a capture's rows so far, taken after the stop: the next request builds the whole one. */
    t->tl_state = t->tl_live && t->done ? TRC_TL_NONE : TRC_TL_TAKEN;
    if (t->done)
        t->tl_live = 0;
    return index;
}

void trc_close(trc_trace *t)
{
    if (!t)
        return;
    if (t->thread) {
        plat_store_release(&t->cancel, 1);
        plat_thread_join(t->thread);
    }
    if (t->tl_job) /* tl_create cannot be interrupted: up to ~1 s at 10 M events */
        plat_thread_join(t->tl_job);
    if (t->sockets_held) {
        t->sockets_held = 1;
        trc_sockets_end(t);
    }
    cap_capture_destroy(t->capture); /* stops its threads before the store and model go */
    etl_close(t->work_file);
    etl_close(t->ui_file);
    etl_close(t->load_file);
    sidx_destroy(t->by_socket);
    tl_destroy(t->timeline);
    sock_model_destroy(t->sockets);
    store_destroy(t->events);
    free(t);
}
