/*
 * cap_replay.c - the replay source (see cap.h): a trace file turned back into the EVENT_RECORDs a
 * real-time session would deliver, so the callback, the ring and the live consumer run on any OS.
 *
 * Threads: cap_replay_start owns one thread ("wsk-replay") that opens its own etl_file and calls the
 * callback on it, as ProcessTrace calls it on the capture thread.
 */
#include "wsk/cap.h"

#include <stdlib.h>
#include <string.h>

void cap_record_to_sink(cap_event_record *er)
{
    cap_deliver((cap_sink *)er->UserContext, er);
}

static void build_record(const etl_event *ev, void *context, cap_event_record *er, cap_ext_item *items)
{
    cap_event_header *h = &er->EventHeader;
    uint32_t i, n = ev->ext_count < ETL_MAX_EXT ? ev->ext_count : ETL_MAX_EXT;

    memset(er, 0, sizeof *er);
    h->Size = (uint16_t)(ev->record_len > UINT16_MAX ? UINT16_MAX : ev->record_len);
    if (ev->kind == ETL_KIND_EVENT) {
        h->Flags = (uint16_t)(ev->header_flags & ~(CAP_HF_32_BIT_HEADER | CAP_HF_64_BIT_HEADER));
        h->EventDescriptor.Id = ev->id;
    } else {
        h->Flags = CAP_HF_CLASSIC_HEADER;
    }
    h->Flags = (uint16_t)(h->Flags | (ev->pointer_size == 4 ? CAP_HF_32_BIT_HEADER : CAP_HF_64_BIT_HEADER) |
                          CAP_HF_PROCESSOR_INDEX | (n ? CAP_HF_EXTENDED_INFO : 0));
    h->EventProperty = ev->event_property;
    h->ThreadId = ev->tid;
    h->ProcessId = ev->pid;
    h->TimeStamp = (int64_t)ev->time;
    h->ProviderId = ev->provider;
    h->EventDescriptor.Version = ev->version;
    h->EventDescriptor.Channel = ev->channel;
    h->EventDescriptor.Level = ev->level;
    h->EventDescriptor.Opcode = ev->opcode;
    h->EventDescriptor.Task = ev->task;
    h->EventDescriptor.Keyword = ev->keyword;
    h->ActivityId = ev->activity_id;
    er->ProcessorIndex = ev->cpu;
    for (i = 0; i < n; i++) {
        items[i].Reserved1 = 0;
        items[i].ExtType = ev->ext[i].type;
        items[i].Linkage = (uint16_t)(i + 1 < n);
        items[i].DataSize = ev->ext[i].size;
        items[i].DataPtr = (uint64_t)(uintptr_t)ev->ext[i].data;
    }
    er->ExtendedDataCount = (uint16_t)n;
    er->ExtendedData = n ? items : NULL;
    er->UserDataLength = (uint16_t)(ev->data_len > UINT16_MAX ? UINT16_MAX : ev->data_len);
    er->UserData = (void *)(uintptr_t)ev->data;
    er->UserContext = context;
}

int cap_replay_run(const cap_replay_options *o, cap_replay_stats *st, char *err, size_t err_len)
{
    etl_file *f = NULL;
    etl_iter *it = NULL;
    etl_event ev;
    cap_event_record er;
    cap_ext_item items[ETL_MAX_EXT];
    uint64_t t0, n = 0;
    double ns_per_event = o->rate > 0 ? 1e9 / o->rate : 0;
    int rc = -1;

    memset(st, 0, sizeof *st);
    if (etl_open(o->path, &f, err, err_len) != ETL_OK)
        goto cleanup;
    if (etl_iter_create(f, o->order, &it) != ETL_OK) {
        if (err && err_len)
            err[0] = '\0';
        goto cleanup;
    }
    t0 = plat_now_ns();
    while (etl_iter_next(it, &ev)) {
        if (ev.kind == ETL_KIND_ERROR || !(ev.flags & ETL_EV_HAS_TIME)) {
            st->skipped++;
            continue;
        }
        build_record(&ev, o->context, &er, items);
        o->callback(&er);
        n++;
        if ((n & 63) == 0) {
            if (o->cancel && plat_load_relaxed(o->cancel)) {
                st->cancelled = 1;
                break;
            }
            if (ns_per_event > 0) {
                uint64_t due = t0 + (uint64_t)((double)n * ns_per_event), now = plat_now_ns();
                if (due > now + 1000000u)
                    plat_sleep_ms((uint32_t)((due - now) / 1000000u));
            }
        }
    }
    st->events = n;
    st->elapsed_ns = plat_now_ns() - t0;
    rc = 0;

cleanup:
    etl_iter_destroy(it);
    etl_close(f);
    return rc;
}

struct cap_replay {
    cap_replay_options o;
    char *path;
    plat_thread *thread;
    cap_replay_stats st;
    char err[256];
};

static int replay_main(void *arg)
{
    cap_replay *r = (cap_replay *)arg;
    return cap_replay_run(&r->o, &r->st, r->err, sizeof r->err);
}

int cap_replay_start(const cap_replay_options *o, cap_replay **out)
{
    cap_replay *r = calloc(1, sizeof *r);
    size_t len;
    if (!r)
        return -1;
    r->o = *o;
    len = strlen(o->path) + 1;
    r->path = malloc(len);
    if (!r->path)
        goto fail;
    memcpy(r->path, o->path, len);
    r->o.path = r->path;
    if (plat_thread_start(&r->thread, replay_main, r, "wsk-replay") != 0)
        goto fail;
    *out = r;
    return 0;
fail:
    free(r->path);
    free(r);
    return -1;
}

int cap_replay_join(cap_replay *r, cap_replay_stats *st)
{
    int rc = plat_thread_join(r->thread);
    if (st)
        *st = r->st;
    free(r->path);
    free(r);
    return rc;
}
