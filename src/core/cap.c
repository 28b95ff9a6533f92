/*
 * cap.c - the capture record, the callback's copy into the ring, and the payload arena (see cap.h).
 *
 * Why copy in the callback instead of queueing pointers: ProcessTrace reuses the EVENT_RECORD and its
 * buffers as soon as the callback returns. Why one reservation instead of a staging copy: the callback
 * runs once per event at up to millions per second, so it writes straight into the ring's space.
 */
#include "wsk/cap.h"

#include "wsk/plat.h"

#include <stdlib.h>
#include <string.h>

const etl_guid cap_lost_event_guid = {0x6a399ae0, 0x4bc6, 0x4de9, {0x87, 0x0b, 0x36, 0x57, 0xf8, 0x94, 0x7e, 0x7e}};

static uint32_t pad8(uint32_t n)
{
    return (n + 7u) & ~7u;
}

/* Items a viewer of socket events can use; the rest (schemas, traits, counters) can be large and say
 * nothing about sockets. */
static int ext_kept(uint16_t type)
{
    switch (type) {
    case ETL_EXT_RELATED_ACTIVITYID:
    case ETL_EXT_SID:
    case ETL_EXT_TS_ID:
    case ETL_EXT_STACK_TRACE32:
    case ETL_EXT_STACK_TRACE64:
    case ETL_EXT_PROCESS_START_KEY:
    case ETL_EXT_CONTAINER_ID:
        return 1;
    default:
        return 0;
    }
}

void cap_deliver(cap_sink *s, const cap_event_record *er)
{
    const cap_event_header *h = &er->EventHeader;
    uint32_t ext_len = 0, len;
    uint16_t kept = 0, i;
    uint8_t *p;
    cap_rec *r;

    s->delivered++;
    if (er->ExtendedData)
        for (i = 0; i < er->ExtendedDataCount && kept < CAP_MAX_EXT; i++)
            if (ext_kept(er->ExtendedData[i].ExtType)) {
                ext_len += (uint32_t)sizeof(cap_rec_ext) + pad8(er->ExtendedData[i].DataSize);
                kept++;
            }
    len = (uint32_t)sizeof(cap_rec) + ext_len + er->UserDataLength;
    r = (cap_rec *)ring_reserve(s->ring, len);
    if (!r) {
        s->drops_pending++;
        return;
    }
    r->time = (uint64_t)h->TimeStamp;
    r->keyword = h->EventDescriptor.Keyword;
    r->provider = h->ProviderId;
    r->activity_id = h->ActivityId;
    r->pid = h->ProcessId;
    r->tid = h->ThreadId;
    r->lost_before = s->drops_pending;
    r->ext_len = ext_len;
    r->id = h->EventDescriptor.Id;
    r->version = h->EventDescriptor.Version;
    r->channel = h->EventDescriptor.Channel;
    r->level = h->EventDescriptor.Level;
    r->opcode = h->EventDescriptor.Opcode;
    r->task = h->EventDescriptor.Task;
    /* Without PROCESSOR_INDEX only the low byte (ProcessorNumber) is the processor. */
    r->cpu = (uint16_t)((h->Flags & CAP_HF_PROCESSOR_INDEX) ? er->ProcessorIndex : (er->ProcessorIndex & 0xFFu));
    r->header_flags = h->Flags;
    r->event_property = h->EventProperty;
    r->ext_count = kept;
    r->ext_total = (uint16_t)(er->ExtendedData ? er->ExtendedDataCount : 0);
    r->data_len = er->UserDataLength;
    p = (uint8_t *)(r + 1);
    if (kept)
        for (i = 0; i < er->ExtendedDataCount && kept; i++) {
            const cap_ext_item *x = &er->ExtendedData[i];
            cap_rec_ext e;
            if (!ext_kept(x->ExtType))
                continue;
            e.type = x->ExtType;
            e.size = x->DataSize;
            e.reserved = 0;
            memcpy(p, &e, sizeof e);
            p += sizeof e;
            if (x->DataSize)
                memcpy(p, (const void *)(uintptr_t)x->DataPtr, x->DataSize);
            memset(p + x->DataSize, 0, pad8(x->DataSize) - x->DataSize);
            p += pad8(x->DataSize);
            kept--;
        }
    if (er->UserDataLength)
        memcpy(p, er->UserData, er->UserDataLength);
    ring_commit(s->ring);
    s->drops_pending = 0;
}

uint32_t cap_sink_pending_drops(const cap_sink *s)
{
    return s->drops_pending;
}

int cap_rec_event(const void *rec, uint32_t len, uint64_t handle, etl_event *ev)
{
    const cap_rec *r = (const cap_rec *)rec;
    const uint8_t *p;
    uint32_t used, i, nkept;

    if (len < sizeof *r || r->ext_len > len - sizeof *r || r->data_len > len - sizeof *r - r->ext_len)
        return -1;
    memset(ev, 0, sizeof *ev);
    p = (const uint8_t *)(r + 1);
    used = 0;
    nkept = 0;
    for (i = 0; i < r->ext_count; i++) {
        cap_rec_ext e;
        if (r->ext_len - used < sizeof e)
            return -1;
        memcpy(&e, p + used, sizeof e);
        used += (uint32_t)sizeof e;
        if (r->ext_len - used < pad8(e.size))
            return -1;
        if (nkept < ETL_MAX_EXT) {
            ev->ext[nkept].type = e.type;
            ev->ext[nkept].size = e.size;
            ev->ext[nkept].data = p + used;
            nkept++;
        }
        used += pad8(e.size);
    }
    ev->ext_count = r->ext_count;
    ev->handle = handle;
    if (r->header_flags & CAP_HF_CLASSIC_HEADER) {
        ev->kind = ETL_KIND_FULL;
    } else {
        ev->kind = ETL_KIND_EVENT;
        ev->id = r->id;
    }
    ev->pointer_size = (uint8_t)((r->header_flags & CAP_HF_32_BIT_HEADER) ? 4 : 8);
    ev->flags = ETL_EV_HAS_TIME | ETL_EV_HAS_PID | ETL_EV_HAS_PROVIDER;
    ev->cpu = r->cpu;
    ev->time = r->time;
    ev->pid = r->pid;
    ev->tid = r->tid;
    ev->provider = r->provider;
    ev->version = r->version;
    ev->channel = r->channel;
    ev->level = r->level;
    ev->opcode = r->opcode;
    ev->task = r->task;
    ev->keyword = r->keyword;
    ev->header_flags = r->header_flags;
    ev->event_property = r->event_property;
    ev->activity_id = r->activity_id;
    ev->data = p + r->ext_len;
    ev->data_len = r->data_len;
    ev->record = (const uint8_t *)rec;
    ev->record_len = len;
    return 0;
}

/* ---- arena ----------------------------------------------------------------------------------- */

/* Each record is stored as [u32 length][u32 0][record] and never crosses a chunk, so a handle is a
 * plain byte offset and a record is contiguous. Chunks are big enough for the largest record. */
#define ARENA_CHUNK_SHIFT 22
#define ARENA_CHUNK ((uint64_t)1 << ARENA_CHUNK_SHIFT)
#define ARENA_PREFIX 8u

struct cap_arena {
    uint8_t **chunks;
    uint64_t nchunks_max;
    uint64_t nchunks;
    uint64_t pos; /* next free offset */
};

int cap_arena_create(uint64_t max_bytes, cap_arena **out)
{
    cap_arena *a;
    uint64_t n = (max_bytes + ARENA_CHUNK - 1) >> ARENA_CHUNK_SHIFT;
    if (n == 0 || n > ((uint64_t)1 << 24))
        return -1;
    a = calloc(1, sizeof *a);
    if (!a)
        return -1;
    a->chunks = calloc((size_t)n, sizeof *a->chunks);
    if (!a->chunks) {
        free(a);
        return -1;
    }
    a->nchunks_max = n;
    *out = a;
    return 0;
}

void cap_arena_destroy(cap_arena *a)
{
    if (!a)
        return;
    for (uint64_t i = 0; i < a->nchunks; i++)
        free(a->chunks[i]);
    free(a->chunks);
    free(a);
}

uint64_t cap_arena_append(cap_arena *a, const void *rec, uint32_t len)
{
    uint64_t need = ARENA_PREFIX + pad8(len);
    uint64_t at = a->pos;
    uint32_t hdr[2];

    if (len > CAP_MAX_RECORD)
        return UINT64_MAX;
    if ((at & (ARENA_CHUNK - 1)) + need > ARENA_CHUNK)
        at = (at + ARENA_CHUNK - 1) & ~(ARENA_CHUNK - 1);
    if ((at >> ARENA_CHUNK_SHIFT) >= a->nchunks) {
        uint8_t *c;
        if (a->nchunks == a->nchunks_max)
            return UINT64_MAX;
        c = malloc((size_t)ARENA_CHUNK);
        if (!c)
            return UINT64_MAX;
        a->chunks[a->nchunks++] = c;
        at = (a->nchunks - 1) << ARENA_CHUNK_SHIFT;
    }
    hdr[0] = len;
    hdr[1] = 0;
    memcpy(a->chunks[at >> ARENA_CHUNK_SHIFT] + (at & (ARENA_CHUNK - 1)), hdr, sizeof hdr);
    memcpy(a->chunks[at >> ARENA_CHUNK_SHIFT] + (at & (ARENA_CHUNK - 1)) + ARENA_PREFIX, rec, len);
    a->pos = at + need;
    return at;
}

int cap_arena_event(const cap_arena *a, uint64_t handle, etl_event *ev)
{
    const uint8_t *p;
    uint32_t len;
    uint64_t off = handle & (ARENA_CHUNK - 1);

    /* Readers on other threads only pass handles of published rows, whose chunks exist; nchunks_max
     * bounds a stray handle without reading the writer's count. */
    if ((handle >> ARENA_CHUNK_SHIFT) >= a->nchunks_max || off + ARENA_PREFIX > ARENA_CHUNK)
        return -1;
    p = a->chunks[handle >> ARENA_CHUNK_SHIFT];
    if (!p)
        return -1;
    memcpy(&len, p + off, sizeof len);
    if (len > ARENA_CHUNK - off - ARENA_PREFIX)
        return -1;
    return cap_rec_event(p + off + ARENA_PREFIX, len, handle, ev);
}

uint64_t cap_arena_memory(const cap_arena *a)
{
    return a->nchunks * ARENA_CHUNK + a->nchunks_max * sizeof *a->chunks + sizeof *a;
}
