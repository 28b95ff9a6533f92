/*
 * etl_internal.h - what the .etl reader's source files share (not a public header).
 *
 * Layout of the reader:
 *   etl_file.c   opening, the logfile header, the buffer index, diagnostics, the
 *                decompressed-buffer cache and payload access;
 *   etl_record.c record framing and decoding (every trace header type);
 *   etl_iter.c   file-order and time-order iteration, etl_event_get;
 *   etl_time.c   time conversion and formatting, GUID text, names.
 *
 * Every read of the mapping happens inside plat_guarded (one call per batch of
 * events, per open, per etl_event_get), so an I/O error in the mapping becomes
 * a diagnostic instead of a crash. An etl_file and its iterators are used from
 * one thread at a time.
 */
#ifndef WSK_ETL_INTERNAL_H
#define WSK_ETL_INTERNAL_H

#include "wsk/etl.h"
#include "wsk/plat.h"

#include <string.h>

#define ETL_BUFFER_HEADER_SIZE 0x48u
/* Compressed buffers promise their decompressed size; larger promises are treated as corrupt. */
#define ETL_MAX_PAYLOAD (64u * 1024u * 1024u)
#define ETL_MAX_DIAGS 65536u
#define ETL_DEFAULT_CACHE_LIMIT (64ull * 1024u * 1024u)

#define ETL_BUFFER_TYPE_HEADER 4u
#define ETL_BUFFER_FLAG_EVENTS_LOST 0x0002u
#define ETL_BUFFER_FLAG_BUFFER_LOST 0x0004u
#define ETL_BUFFER_FLAG_COMPRESSED 0x0040u

/* Private per-buffer state bits (etl_file.bstate). */
enum {
    ETL_BS_BAD = 0x01,    /* payload unusable (reported once) */
    ETL_BS_WALKED = 0x02, /* records walked once: record-level diagnostics already reported */
};

static inline uint16_t etl_rd16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline uint32_t etl_rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline uint64_t etl_rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void etl_rdguid(const uint8_t *p, etl_guid *g)
{
    g->data1 = etl_rd32(p);
    g->data2 = etl_rd16(p + 4);
    g->data3 = etl_rd16(p + 6);
    memcpy(g->data4, p + 8, 8);
}

/* Raw session-clock timestamps to FILETIME: filetime = start + (raw - ref) * num / den. */
typedef struct etl_timecvt {
    uint64_t start;
    int64_t ref;
    uint64_t num, den;
    uint64_t mul;  /* den divides num: one multiplication */
} etl_timecvt;

void etl_timecvt_init(etl_timecvt *c, const etl_header *h);
uint64_t etl_timecvt_apply(const etl_timecvt *c, int64_t raw);
/* The common case (ticks are 100 ns units, later than the reference) without a call. */
static inline uint64_t etl_timecvt_fast(const etl_timecvt *c, int64_t raw)
{
    if (c->mul == 1 && raw >= c->ref) {
        uint64_t d = (uint64_t)raw - (uint64_t)c->ref;
        if (d <= UINT64_MAX - c->start)
            return c->start + d;
    }
    return etl_timecvt_apply(c, raw);
}

typedef struct etl_cache_slot {
    uint8_t *data;
    uint32_t buf;
    uint32_t len;
    uint32_t pins;
    uint64_t tick;
} etl_cache_slot;

struct etl_file {
    plat_map map;
    int mapped;
    const uint8_t *data;
    uint64_t size;
    etl_header hdr;
    etl_timecvt tc;

    etl_buffer_info *bufs;
    uint8_t *bstate;
    int32_t *slot_of;       /* cache slot of a compressed buffer, -1 when not cached */
    uint32_t nbufs;
    uint32_t ncompressed;

    etl_diag *diags;
    size_t ndiags, cap_diags;

    etl_cache_slot *slots;
    uint32_t nslots, cap_slots;
    uint64_t cache_bytes, cache_limit, tick;
    uint8_t *pending;       /* decompression target in flight (freed if an I/O error ends it) */
    int64_t get_buf;        /* buffer pinned by etl_event_get, -1 none */
};

/* Record framing: what the iterator needs to order a record without decoding it. */
typedef enum etl_frame_status {
    ETL_FRAME_OK = 0,
    ETL_FRAME_END,      /* 0xFFFFFFFF padding */
    ETL_FRAME_CORRUPT,  /* the record's size cannot be trusted: the rest of the buffer is lost */
} etl_frame_status;

typedef struct etl_frame {
    uint32_t size;      /* record size in bytes */
    uint32_t step;      /* distance to the next record (8-aligned, clipped to the payload) */
    uint8_t header_type;
    uint8_t has_time;
    int64_t raw_time;
    const char *why;    /* ETL_FRAME_CORRUPT: the reason */
} etl_frame;

etl_frame_status etl_record_frame(const uint8_t *pl, uint32_t len, uint32_t off, etl_frame *fr);
/* Full decode of the record at pl+off (framed before). 0 on success; -1 with *why when the
 * record's inner structure is broken (the record is skipped, the walk goes on). */
int etl_record_decode(const etl_file *f, const uint8_t *pl, uint32_t len, uint32_t off, uint32_t buf,
                      const etl_frame *fr, etl_event *ev, const char **why);

void etl_diag_add(etl_file *f, uint64_t offset, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Payload of buffer bi (decompressing into the cache if needed, then pinned). Call inside
 * plat_guarded. 0 on success; -1 when the buffer has no usable payload (reported once). */
int etl_payload_acquire(etl_file *f, uint32_t bi, const uint8_t **pl, uint32_t *len);
void etl_payload_release(etl_file *f, uint32_t bi);
/* File offset of a payload byte, for diagnostics. */
uint64_t etl_payload_file_offset(const etl_file *f, uint32_t bi, uint32_t off);

#endif
