/*
 * load.c - the consumer (see load.h): the one place where reader, decoder,
 * store and socket model meet, so the GUI, the command-line tool and the
 * benchmarks load a trace the same way.
 */
#include "wsk/load.h"
#include "wsk/etlw.h"

#include <string.h>

/* Image names arrive as NT paths; the process column shows the file name. */
static const char *base_name(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || *p == '/')
            b = p + 1;
    return b;
}

static void fill_row(store_row *r, const etl_event *ev)
{
    memset(r, 0, sizeof *r);
    r->time = ev->time;
    r->handle = ev->handle;
    r->pid = ev->pid;
    r->tid = ev->tid;
    r->socket = STORE_NO_SOCKET;
    r->id = ev->kind == ETL_KIND_EVENT ? ev->id : ev->hook_id;
    r->cpu = ev->cpu;
    r->level = ev->level;
    r->opcode = ev->opcode;
    r->kind = (uint8_t)ev->kind;
    if (ev->flags & ETL_EV_LOST_BEFORE)
        r->flags |= STORE_ROW_LOST;
}

int load_decode_row(etl_file *file, const store_row *row, afd_fields *out)
{
    etl_event ev;
    const afd_event_schema *s;
    if (!(row->flags & STORE_ROW_AFD) || etl_event_get(file, row->handle, &ev) != ETL_OK)
        return -1;
    s = afd_schema_find(ev.id, ev.version);
    if (!s)
        return -1;
    return afd_decode(s, ev.data, ev.data_len, ev.pointer_size, out);
}

void load_event_row(store_row *r, const etl_event *ev, uint64_t row, sock_model *sockets, load_stats *stats)
{
    afd_fields f;

    fill_row(r, ev);
    if (r->flags & STORE_ROW_LOST)
        stats->lost_marks++;
    if (ev->kind == ETL_KIND_EVENT && afd_is_provider(&ev->provider)) {
        const afd_event_schema *s = afd_schema_find(ev->id, ev->version);
        stats->afd++;
        if (!s) {
            stats->unknown_afd++;
        } else if (afd_decode(s, ev->data, ev->data_len, ev->pointer_size, &f) == 0) {
            r->flags |= STORE_ROW_AFD;
            if (f.malformed) {
                r->flags |= STORE_ROW_MALFORMED;
                stats->malformed++;
            }
            if (f.has_status) {
                r->flags |= STORE_ROW_HAS_STATUS;
                r->status = f.status;
            }
            r->bytes = (uint32_t)afd_get(&f, AFD_ROLE_BYTES, 0);
            if (sockets) {
                uint32_t sock = sock_model_feed(sockets, row, ev->time, ev->pid, ev->keyword, &f);
                r->socket = sock == SOCK_NONE ? STORE_NO_SOCKET : sock;
            }
        }
    } else if (ev->kind == ETL_KIND_EVENT && sockets && ev->id == 1 &&
               etl_guid_equal(&ev->provider, &etlw_kernel_process_guid)) {
        uint32_t pid;
        char name[260];
        if (etlw_process_decode(ev->data, ev->data_len, &pid, name, sizeof name) == 0 &&
            sock_model_set_process_name(sockets, pid, base_name(name)) == 0)
            stats->processes++;
    }
}

/* The index takes the batch just published while its rows are still in cache. */
static void load_index(const load_job *job, load_stats *stats)
{
    if (job->index && !stats->index_failed &&
        sidx_update(job->index, job->events, job->sockets, store_count(job->events)) != 0)
        stats->index_failed = 1;
}

int load_file(const load_job *job, load_stats *stats)
{
    etl_iter *it = NULL;
    etl_event ev;
    uint32_t every = job->publish_every ? job->publish_every : 4096;
    uint32_t pending = 0;
    int rc = -1;

    memset(stats, 0, sizeof *stats);
    if (etl_iter_create(job->file, job->order, &it) != ETL_OK)
        goto cleanup;
    while (etl_iter_next(it, &ev)) {
        stats->records++;
        store_row *r = store_append(job->events);
        if (!r) {
            stats->store_full = 1;
            break;
        }
        load_event_row(r, &ev, store_count(job->events) + pending, job->sockets, stats);
        if (++pending == every) {
            store_publish(job->events);
            load_index(job, stats);
            pending = 0;
            if (job->progress)
                job->progress(job->user, store_count(job->events), etl_iter_progress(it));
            if (job->cancel && plat_load_relaxed(job->cancel)) {
                stats->cancelled = 1;
                break;
            }
        }
    }
    rc = 0;

cleanup:
    store_publish(job->events);
    if (rc == 0)
        load_index(job, stats);
    if (job->sockets)
        sock_model_finish(job->sockets);
    if (job->progress && rc == 0)
        job->progress(job->user, store_count(job->events), 1.0);
    etl_iter_destroy(it);
    return rc;
}
