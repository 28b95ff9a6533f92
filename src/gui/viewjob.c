/*
 * viewjob.c - export and copy of the shown events on their own thread (see viewjob.h).
 *
 * Threading design: one thread per job ("wskview rows"). The job owns copies of the view's rows, the
 * selected positions and the shown columns, and its own etl_file; besides those it reads only the store
 * and the socket model, which nobody writes once the trace is done loading. An export of a running capture
 * reads only published rows and their records in the arena (cap.h: any thread may), never the socket
 * model, which the consumer still writes. It never touches a window:
 * progress is an atomic counter the UI reads, the end a posted VJ_MSG_DONE whose vj_result the receiver
 * owns. Cancel (vj_stop) is polled every VJ_SLICE rows; a cancelled job posts nothing, and an export
 * removes its unfinished file.
 */
#include "viewjob.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <wsk/export.h>
#include <wsk/live.h>

#define VJ_SLICE 4096u
#define VJ_WRITE_BUFFER (1u << 20)

struct vj_job {
    int kind; /* enum vj_kind */
    trc_trace *trace;
    uint32_t *rows; /* the view (NULL: store order) */
    uint64_t n;
    uint32_t *positions; /* copy: the selected view positions (NULL: all n) */
    uint64_t npos;
    int columns[EVL_COL_COUNT];
    int ncolumns;
    int time_format;
    etl_zone zone;
    int ascending;
    wchar_t *path; /* export */
    HWND notify;
    UINT serial;
    plat_atomic_u64 cancel;
    plat_atomic_u64 done;
    plat_thread *thread;
};

static int vj_cancelled(vj_job *j)
{
    return plat_load_acquire(&j->cancel) != 0;
}

/* Text waiting to be written: WriteFile once per megabyte. */
typedef struct vj_out {
    HANDLE h;
    char *buf;
    size_t len;
    BOOL ok;
} vj_out;

static void vj_flush(vj_out *o)
{
    DWORD done = 0;
    if (o->ok && o->len)
        o->ok = WriteFile(o->h, o->buf, (DWORD)o->len, &done, NULL) && done == o->len;
    o->len = 0;
}

static void vj_write(vj_out *o, const char *text, size_t len)
{
    while (o->ok && len) {
        size_t chunk = VJ_WRITE_BUFFER - o->len < len ? VJ_WRITE_BUFFER - o->len : len;
        memcpy(o->buf + o->len, text, chunk);
        o->len += chunk;
        text += chunk;
        len -= chunk;
        if (o->len == VJ_WRITE_BUFFER)
            vj_flush(o);
    }
}

static void vj_export(vj_job *j, vj_result *r)
{
    etl_file *file = NULL;
    export_clock clock;
    vj_out out;
    size_t cap = 4096;
    char *line = (char *)malloc(cap);
    uint64_t i;
    etl_event ev;

    out.h = INVALID_HANDLE_VALUE;
    out.buf = (char *)malloc(VJ_WRITE_BUFFER);
    out.len = 0;
    out.ok = TRUE;
    export_clock_init(&clock);
    if (!line || !out.buf) {
        snprintf(r->error, sizeof r->error, "Out of memory");
        goto cleanup;
    }
    /* The loader's reader shares its mapping and buffer index: no second walk of the file. A capture's
     * records are in its arena, which keeps every record it took until the capture is destroyed. */
    if (!j->trace->arena && etl_open_shared(j->trace->load_file, &file) != ETL_OK) {
        snprintf(r->error, sizeof r->error, "Out of memory");
        file = NULL;
        goto cleanup;
    }
    out.h = CreateFileW(j->path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (out.h == INVALID_HANDLE_VALUE) {
        snprintf(r->error, sizeof r->error, "Could not create the file (error %lu)", (unsigned long)GetLastError());
        goto cleanup;
    }
    if (j->kind == VJ_EXPORT_CSV) {
        vj_write(&out, export_event_csv_header(), strlen(export_event_csv_header()));
        vj_write(&out, "\n", 1);
    }
    for (i = 0; i < j->n && out.ok; i++) {
        const store_row *sr = store_row_at(j->trace->events, j->rows ? j->rows[i] : i);
        size_t len = 0;
        if (i % VJ_SLICE == 0) {
            if (vj_cancelled(j))
                break;
            plat_store_release(&j->done, i);
        }
        /* As `wskdump events --filter` does: a record that cannot be read again is left out. */
        if (file ? etl_event_get(file, sr->handle, &ev) != ETL_OK
                 : sr->handle == LIVE_NO_HANDLE || cap_arena_event(j->trace->arena, sr->handle, &ev) != 0)
            continue;
        for (;;) {
            char *bigger;
            len = j->kind == VJ_EXPORT_JSONL ? export_event_json(&ev, &clock, line, cap)
                                             : export_event_csv(&ev, &clock, line, cap);
            if (len < cap)
                break;
            bigger = (char *)realloc(line, len + 1);
            if (!bigger) {
                snprintf(r->error, sizeof r->error, "Out of memory for an event of %llu bytes",
                         (unsigned long long)len);
                goto cleanup;
            }
            line = bigger;
            cap = len + 1;
        }
        vj_write(&out, line, len);
        vj_write(&out, "\n", 1);
        r->rows++;
    }
    vj_flush(&out);
    if (!out.ok)
        snprintf(r->error, sizeof r->error, "Could not write the file (error %lu)", (unsigned long)GetLastError());
cleanup:
    if (out.h != INVALID_HANDLE_VALUE) {
        CloseHandle(out.h);
        if (r->error[0] || vj_cancelled(j))
            DeleteFileW(j->path); /* no half file that looks like a whole one */
    }
    r->failed = r->error[0] != '\0';
    etl_close(file);
    free(out.buf);
    free(line);
}

/* A copy's text, made straight in the block the clipboard will own (no second copy of up to 512 MB). */
typedef struct vj_text {
    HGLOBAL mem; /* GMEM_MOVEABLE, locked at p while the job writes */
    wchar_t *p;
    size_t len, cap; /* characters */
} vj_text;

/* Appends n characters: 0, 1 when that would pass VJ_COPY_MAX_BYTES, -1 when memory ends. */
static int vj_append(vj_text *t, const wchar_t *text, size_t n)
{
    if ((uint64_t)(t->len + n + 1) * sizeof(wchar_t) > VJ_COPY_MAX_BYTES)
        return 1;
    if (t->len + n + 1 > t->cap) {
        size_t want = (t->cap ? t->cap * 2 : 65536) + n;
        HGLOBAL bigger;
        if ((uint64_t)want * sizeof(wchar_t) > VJ_COPY_MAX_BYTES)
            want = (size_t)(VJ_COPY_MAX_BYTES / sizeof(wchar_t));
        if (t->mem)
            GlobalUnlock(t->mem); /* a moveable block moves only while unlocked */
        bigger = t->mem ? GlobalReAlloc(t->mem, want * sizeof(wchar_t), GMEM_MOVEABLE)
                        : GlobalAlloc(GMEM_MOVEABLE, want * sizeof(wchar_t));
        if (bigger) {
            t->mem = bigger;
            t->cap = want;
        }
        t->p = t->mem ? (wchar_t *)GlobalLock(t->mem) : NULL;
        if (!bigger || !t->p)
            return -1;
    }
    memcpy(t->p + t->len, text, n * sizeof *text);
    t->len += n;
    t->p[t->len] = L'\0';
    return 0;
}

static void vj_copy(vj_job *j, vj_result *r)
{
    evl_model *m = (evl_model *)calloc(1, sizeof *m);
    wchar_t *line = (wchar_t *)malloc(EVL_COL_COUNT * (EVL_DETAILS_CAP + 1) * sizeof(wchar_t));
    wchar_t cell[EVL_DETAILS_CAP];
    vj_text text;
    size_t ll;
    uint64_t k, total = j->positions ? j->npos : j->n;
    int c;
    wchar_t *p;

    memset(&text, 0, sizeof text);
    if (!m || !line) {
        snprintf(r->error, sizeof r->error, "Out of memory");
        goto cleanup;
    }
    m->trace = j->trace;
    m->rows = j->rows;
    m->ascending = j->ascending;
    m->count = j->n;
    m->time_format = j->time_format;
    m->zone = j->zone;
    m->off_ui = 1;
    if (j->trace->arena || etl_open_shared(j->trace->load_file, &m->reader) != ETL_OK)
        m->reader = NULL; /* a capture's rows decode from its arena; a file's Details stay empty */
    ll = 0;
    for (c = 0; c < j->ncolumns; c++) {
        const wchar_t *title = evl_column_title(j->columns[c]);
        size_t n = wcslen(title);
        memcpy(line + ll, title, n * sizeof *title);
        ll += n;
        line[ll++] = c + 1 < j->ncolumns ? L'\t' : L'\r';
    }
    line[ll++] = L'\n';
    if (vj_append(&text, line, ll) != 0) {
        snprintf(r->error, sizeof r->error, "Out of memory");
        goto cleanup;
    }
    for (k = 0; k < total; k++) {
        uint64_t pos = j->positions ? j->positions[k] : k;
        if (k % VJ_SLICE == 0) {
            if (vj_cancelled(j))
                goto cleanup;
            plat_store_release(&j->done, k);
        }
        ll = 0;
        for (c = 0; c < j->ncolumns; c++) {
            evl_cell_text(m, pos, j->columns[c], cell, EVL_DETAILS_CAP);
            for (p = cell; *p; p++)
                line[ll++] = *p == L'\t' || *p == L'\r' || *p == L'\n' ? L' ' : *p; /* the row stays one line */
            line[ll++] = c + 1 < j->ncolumns ? L'\t' : L'\r';
        }
        line[ll++] = L'\n';
        c = vj_append(&text, line, ll);
        if (c < 0) {
            snprintf(r->error, sizeof r->error, "Out of memory after %llu rows", (unsigned long long)r->rows);
            goto cleanup;
        }
        if (c > 0) {
            r->capped = 1;
            break;
        }
        r->rows++;
    }
    GlobalUnlock(text.mem);
    text.p = NULL;
    r->text = text.mem; /* the receiver's now (the clipboard's, once it is put there) */
    text.mem = NULL;
cleanup:
    r->failed = r->error[0] != '\0';
    if (m)
        etl_close(m->reader);
    if (text.mem) {
        if (text.p)
            GlobalUnlock(text.mem);
        GlobalFree(text.mem);
    }
    free(m);
    free(line);
}

static int vj_main(void *arg)
{
    vj_job *j = (vj_job *)arg;
    vj_result *r = (vj_result *)calloc(1, sizeof *r);

    if (!r)
        return 0; /* nothing can be said; the UI's status stays "Exporting..." until the next action */
    r->serial = j->serial;
    r->kind = j->kind;
    if (j->kind == VJ_COPY)
        vj_copy(j, r);
    else
        vj_export(j, r);
    if (vj_cancelled(j) || !PostMessageW(j->notify, VJ_MSG_DONE, (WPARAM)j->serial, (LPARAM)r))
        vj_result_free(r);
    return 0;
}

static vj_job *vj_new(int kind, trc_trace *t, const uint32_t *rows, uint64_t n, HWND notify, UINT serial)
{
    vj_job *j = (vj_job *)calloc(1, sizeof *j);

    if (!j)
        return NULL;
    j->kind = kind;
    j->trace = t;
    j->n = n;
    j->notify = notify;
    j->serial = serial;
    if (rows) {
        j->rows = (uint32_t *)malloc((size_t)(n ? n : 1) * sizeof *j->rows);
        if (!j->rows) {
            free(j);
            return NULL;
        }
        memcpy(j->rows, rows, (size_t)n * sizeof *rows);
    }
    return j;
}

static void vj_free(vj_job *j)
{
    free(j->rows);
    free(j->positions);
    free(j->path);
    free(j);
}

static vj_job *vj_run(vj_job *j)
{
    if (plat_thread_start(&j->thread, vj_main, j, "wskview rows") != 0) {
        vj_free(j);
        return NULL;
    }
    return j;
}

vj_job *vj_export_start(trc_trace *t, const uint32_t *rows, uint64_t n, const wchar_t *path, int jsonl,
                        HWND notify, UINT serial)
{
    vj_job *j = vj_new(jsonl ? VJ_EXPORT_JSONL : VJ_EXPORT_CSV, t, rows, n, notify, serial);
    size_t len = wcslen(path);

    if (!j)
        return NULL;
    j->path = (wchar_t *)malloc((len + 1) * sizeof *j->path);
    if (!j->path) {
        vj_free(j);
        return NULL;
    }
    memcpy(j->path, path, (len + 1) * sizeof *path);
    return vj_run(j);
}

vj_job *vj_copy_start(trc_trace *t, const evl_model *view, const uint32_t *positions, uint64_t npos,
                      const int *columns, int ncolumns, HWND notify, UINT serial)
{
    vj_job *j = vj_new(VJ_COPY, t, view->rows, view->count, notify, serial);

    if (!j)
        return NULL;
    if (positions) {
        j->positions = (uint32_t *)malloc((size_t)(npos ? npos : 1) * sizeof *positions);
        if (!j->positions) {
            vj_free(j);
            return NULL;
        }
        memcpy(j->positions, positions, (size_t)npos * sizeof *positions);
        j->npos = npos;
    }
    j->ncolumns = ncolumns < EVL_COL_COUNT ? ncolumns : EVL_COL_COUNT;
    memcpy(j->columns, columns, (size_t)j->ncolumns * sizeof *columns);
    j->time_format = view->time_format;
    j->zone = view->zone;
    j->ascending = view->ascending;
    return vj_run(j);
}

unsigned vj_progress_permille(vj_job *j)
{
    uint64_t total = j->kind == VJ_COPY && j->positions ? j->npos : j->n;
    uint64_t done = plat_load_acquire(&j->done);
    return total ? (unsigned)(done * 1000 / total) : 0;
}

void vj_stop(vj_job *j)
{
    if (!j)
        return;
    plat_store_release(&j->cancel, 1);
    plat_thread_join(j->thread);
    vj_free(j);
}

void vj_result_free(vj_result *r)
{
    if (r) {
        if (r->text)
            GlobalFree(r->text);
        free(r);
    }
}
