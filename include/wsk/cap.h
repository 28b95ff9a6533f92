/*
 * cap.h - live capture, portable half: the EVENT_RECORD shape ETW delivers, the record the callback copies
 * into the ring, and the append-only payload arena the live consumer keeps those records in.
 * Module prefix: cap_.
 *
 * Data flow: ProcessTrace (capture thread) -> cap_deliver (the EVENT_RECORD callback: one copy into the
 * ring, never blocks, allocates or waits) -> ring -> live consumer (live.h) -> arena + store + socket model.
 * A row's handle is the offset of its record in the arena; cap_arena_event turns it back into an etl_event,
 * the shape every consumer of the reader already understands.
 *
 * ABI: cap_event_record is field for field the Windows SDK's EVENT_RECORD (evntcons.h), and
 * cap_ext_item its EVENT_HEADER_EXTENDED_DATA_ITEM, so that the replay source (which builds records on any
 * OS) and ProcessTrace feed the same callback. src/capture/cap_etw.c checks every offset against the SDK's
 * types with static assertions.
 *
 * Threads: a cap_sink belongs to the producer thread. An arena has one writer (the consumer); any thread
 * may read records below offsets it got from rows the store published (store.h's release/acquire pair
 * orders the arena's writes too).
 */
#ifndef WSK_CAP_H
#define WSK_CAP_H

#include <stddef.h>
#include <stdint.h>

#include <wsk/etl.h>
#include <wsk/plat.h>
#include <wsk/ring.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- EVENT_RECORD, as evntcons.h lays it out ------------------------------------------------- */

/* EVENT_HEADER_FLAG_* */
enum {
    CAP_HF_EXTENDED_INFO = 0x0001,
    CAP_HF_PRIVATE_SESSION = 0x0002,
    CAP_HF_STRING_ONLY = 0x0004,
    CAP_HF_TRACE_MESSAGE = 0x0008,
    CAP_HF_NO_CPUTIME = 0x0010,
    CAP_HF_32_BIT_HEADER = 0x0020,
    CAP_HF_64_BIT_HEADER = 0x0040,
    CAP_HF_CLASSIC_HEADER = 0x0100,
    CAP_HF_PROCESSOR_INDEX = 0x0200,
};

typedef struct cap_event_descriptor {
    uint16_t Id;
    uint8_t Version, Channel, Level, Opcode;
    uint16_t Task;
    uint64_t Keyword;
} cap_event_descriptor;

typedef struct cap_event_header {
    uint16_t Size;
    uint16_t HeaderType;
    uint16_t Flags;
    uint16_t EventProperty;
    uint32_t ThreadId;
    uint32_t ProcessId;
    int64_t TimeStamp;            /* FILETIME as ProcessTrace delivers it (no PROCESS_TRACE_MODE_RAW_TIMESTAMP) */
    etl_guid ProviderId;
    cap_event_descriptor EventDescriptor;
    uint64_t ProcessorTime;       /* KernelTime | UserTime << 32 */
    etl_guid ActivityId;
} cap_event_header;

typedef struct cap_ext_item {
    uint16_t Reserved1;
    uint16_t ExtType;
    uint16_t Linkage;             /* Linkage:1, Reserved2:15 */
    uint16_t DataSize;
    uint64_t DataPtr;
} cap_ext_item;

typedef struct cap_event_record {
    cap_event_header EventHeader;
    uint16_t ProcessorIndex;      /* ETW_BUFFER_CONTEXT: ProcessorNumber + Alignment, or ProcessorIndex */
    uint16_t LoggerId;
    uint16_t ExtendedDataCount;
    uint16_t UserDataLength;
    cap_ext_item *ExtendedData;
    void *UserData;
    void *UserContext;
} cap_event_record;

/* Real-time lost-event records (classic header, this GUID, opcode = type). */
extern const etl_guid cap_lost_event_guid; /* 6a399ae0-4bc6-4de9-870b-3657f8947e7e */
enum { CAP_LOST_EVENTS = 32, CAP_LOST_BUFFER = 33, CAP_LOST_FILE = 34 };

/* ---- the ring / arena record ----------------------------------------------------------------- */

/* Fixed header; then ext_count items (cap_rec_ext + data padded to 8), then data_len bytes of user data.
 * 8-aligned, position independent (offsets, no pointers). */
typedef struct cap_rec {
    uint64_t time;          /* FILETIME */
    uint64_t keyword;
    etl_guid provider;
    etl_guid activity_id;
    uint32_t pid, tid;
    uint32_t lost_before;   /* records the ring dropped right before this one (producer-side count) */
    uint32_t ext_len;       /* bytes of the items */
    uint16_t id;
    uint8_t version, channel, level, opcode;
    uint16_t task;
    uint16_t cpu;
    uint16_t header_flags;  /* CAP_HF_* */
    uint16_t event_property;
    uint16_t ext_count;     /* items kept */
    uint16_t ext_total;     /* items the event had */
    uint16_t data_len;
} cap_rec;

typedef struct cap_rec_ext {
    uint16_t type;
    uint16_t size;
    uint32_t reserved;
} cap_rec_ext;

/* Largest record: the header, the items kept (at most CAP_MAX_EXT, 64 KiB of data in all) and 64 KiB of
 * user data. Rings must accept it (ring_create's max_record). */
#define CAP_MAX_EXT 8
#define CAP_MAX_RECORD (uint32_t)(sizeof(cap_rec) + 65536u + CAP_MAX_EXT * 8u + 65536u)

/* ---- producer: the callback's body ------------------------------------------------------------ */

typedef struct cap_sink {
    ring *ring;
    uint32_t drops_pending; /* dropped since the last record that got in: stamped on the next one */
    uint64_t delivered;     /* records offered */
} cap_sink;

/* Copies one event into the ring: a fixed header, the extended items that matter (related activity, SID,
 * terminal session, process start key, stacks, container id; not TraceLogging schemas, provider traits
 * or PMC counters), the user data. Never blocks or allocates; a record that does not fit is dropped and
 * counted by the ring and in the sink. Producer thread only. */
void cap_deliver(cap_sink *s, const cap_event_record *er);

/* The ring records a sink has dropped that no record carries yet (stamped on the next one that gets in). */
uint32_t cap_sink_pending_drops(const cap_sink *s);

/* Fills *ev from a record (in the ring or in the arena): kind EVENT (CLASSIC_HEADER: FULL, id 0), pointer
 * size from the 32/64-bit header flags, cpu, items, data pointing into the record. handle is set to
 * `handle`. Returns 0, or -1 when len is too short for what the record claims (ev then untouched). */
int cap_rec_event(const void *rec, uint32_t len, uint64_t handle, etl_event *ev);

/* ---- the payload arena ----------------------------------------------------------------------- */

typedef struct cap_arena cap_arena;

/* max_bytes bounds the chunk directory (allocated once, like store.h's); chunks come as records do. */
int cap_arena_create(uint64_t max_bytes, cap_arena **out);
void cap_arena_destroy(cap_arena *a);
/* Writer thread: copies len bytes (len <= CAP_MAX_RECORD) and returns their offset (the row handle), or
 * UINT64_MAX when the arena is full or out of memory. */
uint64_t cap_arena_append(cap_arena *a, const void *rec, uint32_t len);
/* Any thread, offsets of published rows: the record at handle as an etl_event. */
int cap_arena_event(const cap_arena *a, uint64_t handle, etl_event *ev);
/* Bytes the arena holds (chunks + directory). */
uint64_t cap_arena_memory(const cap_arena *a);


/* ---- replay: a trace file delivered as ProcessTrace would deliver it ------------------------------ */

/* The callback's shape: ProcessTrace's EventRecordCallback without WINAPI (the context is er->UserContext). */
typedef void (*cap_record_fn)(cap_event_record *er);

/* The callback that copies into the ring: er->UserContext is a cap_sink. */
void cap_record_to_sink(cap_event_record *er);

typedef struct cap_replay_options {
    const char *path;               /* UTF-8 */
    double rate;                    /* events per second; 0 = as fast as possible */
    cap_record_fn callback;
    void *context;                  /* becomes every record's UserContext */
    const plat_atomic_u64 *cancel;  /* non-zero: stop soon (may be NULL) */
    etl_order order;                /* ETL_ORDER_TIME (0): as ProcessTrace reads a file; ETL_ORDER_FILE: one
                                     * buffer (one CPU) at a time, as a real-time session delivers them */
} cap_replay_options;

typedef struct cap_replay_stats {
    uint64_t events;                /* records delivered */
    uint64_t skipped;               /* records ProcessTrace would not deliver (unreadable, no timestamp) */
    uint64_t elapsed_ns;
    int cancelled;
} cap_replay_stats;

/* Delivers every record of the file in o->order, on the calling thread: FILETIME timestamps, the
 * 32/64-bit header flag from the record's header type, CLASSIC_HEADER for non-manifest records, extended
 * items as an item array with DataPtr, ProcessorIndex with EVENT_HEADER_FLAG_PROCESSOR_INDEX. At a rate,
 * it sleeps whenever it is more than a millisecond ahead of the schedule. 0, or -1 when the file cannot
 * be opened (err says why). */
int cap_replay_run(const cap_replay_options *o, cap_replay_stats *st, char *err, size_t err_len);

/* The same on a thread of its own ("wsk-replay"); the options are copied (path too). */
typedef struct cap_replay cap_replay;
int cap_replay_start(const cap_replay_options *o, cap_replay **out);
/* Waits for the end; fills *st (may be NULL); frees r. Returns cap_replay_run's result. */
int cap_replay_join(cap_replay *r, cap_replay_stats *st);

#ifdef __cplusplus
}
#endif
#endif
