/*
 * etl.h - portable reader for Windows Event Trace Log (.etl) files.
 *
 * Module prefix: etl_. No platform headers; files are reached through the
 * platform seam (plat.h) as read-only memory mappings.
 *
 * Design: opening a file walks the buffer headers once and keeps an index
 * proportional to the number of buffers (never to the number of events).
 * Events are yielded one at a time by an iterator without copying payloads:
 * an etl_event points into the mapping (or into a decompressed buffer held in
 * a bounded LRU cache, for compressed files), and is valid until the next call
 * on the same iterator. Every event has a 64-bit handle (buffer index << 32 |
 * offset in the buffer's payload) from which it can be fetched again later.
 *
 * Bad input never stops the reader: what cannot be read is skipped and
 * recorded as a diagnostic (file offset and reason); only a file from which
 * nothing at all can be read fails to open. Every read of the mapping runs
 * inside plat_guarded, so an I/O error in it (SIGBUS, EXCEPTION_IN_PAGE_ERROR)
 * ends the walk with a diagnostic instead of the process.
 *
 * Threads: an etl_file and its iterators are used by one thread at a time.
 */
#ifndef WSK_ETL_H
#define WSK_ETL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum etl_status {
    ETL_OK = 0,
    ETL_E_IO,        /* the file could not be opened, mapped or read (I/O error inside the mapping) */
    ETL_E_NOMEM,
    ETL_E_EMPTY,     /* zero-length file */
    ETL_E_FORMAT,    /* not an .etl file: no usable logfile header */
    ETL_E_ARG,
    ETL_E_NOTFOUND,  /* etl_event_get: the handle does not name a record */
} etl_status;

/* Windows GUID, stored as its fields (the file holds them little-endian). */
typedef struct etl_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
} etl_guid;

/* SYSTEMTIME as stored in TIME_ZONE_INFORMATION transition dates. */
typedef struct etl_systemtime {
    uint16_t year, month, day_of_week, day, hour, minute, second, milliseconds;
} etl_systemtime;

typedef struct etl_timezone {
    int32_t bias;          /* minutes, UTC = local + bias */
    int32_t standard_bias;
    int32_t daylight_bias;
    etl_systemtime standard_date;
    etl_systemtime daylight_date;
    char standard_name[96]; /* UTF-8 */
    char daylight_name[96];
} etl_timezone;

typedef struct etl_header {
    uint32_t buffer_size;
    uint32_t version;        /* {Major, Minor, SubVersion, SubMinorVersion} as one little-endian u32 */
    uint32_t build;          /* ProviderVersion: OS build number */
    uint32_t cpus;
    uint64_t start_time;     /* FILETIME */
    uint64_t end_time;       /* FILETIME, 0 in an unfinished file */
    uint64_t boot_time;      /* FILETIME */
    uint32_t timer_resolution;
    uint32_t max_file_size;
    uint32_t log_file_mode;
    uint32_t buffers_written;
    uint32_t start_buffers;
    uint32_t pointer_size;
    uint32_t events_lost;
    uint32_t buffers_lost;
    uint32_t cpu_speed_mhz;
    uint32_t clock_type;     /* 1 QPC, 2 system time, 3 CPU cycles */
    uint64_t perf_freq;
    int64_t ref_raw;         /* raw timestamp of the header event: the time base */
    int is64;                /* the header record was SYSTEM64 */
    etl_timezone tz;
    char logger_name[256];   /* UTF-8 */
    char log_file_name[520]; /* UTF-8 */
} etl_header;

/* Record kinds (the header-type families). */
typedef enum etl_kind {
    ETL_KIND_SYSTEM = 0,
    ETL_KIND_COMPACT,
    ETL_KIND_PERFINFO,
    ETL_KIND_FULL,
    ETL_KIND_INSTANCE,
    ETL_KIND_EVENT,
    ETL_KIND_MESSAGE,
    ETL_KIND_ERROR,
    ETL_KIND_COUNT
} etl_kind;

/* Extended data item types (EVENT_HEADER_EXT_TYPE_*). */
enum {
    ETL_EXT_RELATED_ACTIVITYID = 0x01,
    ETL_EXT_SID = 0x02,
    ETL_EXT_TS_ID = 0x03,
    ETL_EXT_INSTANCE_INFO = 0x04,
    ETL_EXT_STACK_TRACE32 = 0x05,
    ETL_EXT_STACK_TRACE64 = 0x06,
    ETL_EXT_PEBS_INDEX = 0x07,
    ETL_EXT_PMC_COUNTERS = 0x08,
    ETL_EXT_PSM_KEY = 0x09,
    ETL_EXT_EVENT_KEY = 0x0A,
    ETL_EXT_EVENT_SCHEMA_TL = 0x0B,
    ETL_EXT_PROV_TRAITS = 0x0C,
    ETL_EXT_PROCESS_START_KEY = 0x0D,
    ETL_EXT_CONTROL_GUID = 0x0E,
    ETL_EXT_QPC_DELTA = 0x0F,
    ETL_EXT_CONTAINER_ID = 0x10,
    ETL_EXT_STACK_KEY32 = 0x11,
    ETL_EXT_STACK_KEY64 = 0x12,
};

typedef struct etl_ext_item {
    uint16_t type;
    uint16_t size;
    const uint8_t *data;
} etl_ext_item;

#define ETL_MAX_EXT 16

/* Flags of etl_event.flags */
enum {
    ETL_EV_HAS_TIME = 0x01,     /* the record carries a timestamp */
    ETL_EV_HAS_PID = 0x02,      /* pid and tid are meaningful */
    ETL_EV_HAS_PROVIDER = 0x04, /* provider is meaningful (event, full, instance, message with GUID, kernel group) */
    ETL_EV_LOST_BEFORE = 0x08,  /* the record's buffer had the EVENTS_LOST or BUFFER_LOST flag */
};

typedef struct etl_event {
    uint64_t handle;        /* buffer index << 32 | offset of the record in the buffer's payload */
    etl_kind kind;
    uint8_t header_type;    /* TRACE_HEADER_TYPE_* byte (0x0F for MESSAGE) */
    uint8_t pointer_size;   /* 4 or 8: from the header type's parity */
    uint8_t flags;          /* ETL_EV_* */
    uint16_t cpu;           /* buffer's processor index */
    int64_t raw_time;       /* in the session clock */
    uint64_t time;          /* FILETIME (0 when !ETL_EV_HAS_TIME) */
    uint32_t pid, tid;
    etl_guid provider;      /* EVENT/FULL/INSTANCE: the provider or event GUID; kernel: the group's GUID */
    uint16_t hook_id;       /* SYSTEM/COMPACT/PERFINFO: (Group << 8) | Type */
    uint16_t id;            /* EVENT: descriptor Id; FULL/INSTANCE: 0 */
    uint8_t version;        /* EVENT: descriptor Version; classic: Class.Version; kernel: header Version */
    uint8_t channel;
    uint8_t level;
    uint8_t opcode;         /* EVENT: Opcode; classic: Class.Type; kernel: hook Type */
    uint16_t task;
    uint64_t keyword;
    uint16_t header_flags;  /* EVENT_HEADER Flags */
    uint16_t event_property;
    etl_guid activity_id;
    /* MESSAGE (WPP) records */
    uint16_t message_number;
    uint16_t message_flags;
    uint32_t message_sequence;
    uint32_t component_id;
    /* INSTANCE records */
    uint32_t instance_id, parent_instance_id;
    etl_guid parent_guid;
    /* extended data items, inline in the record */
    uint32_t ext_count;     /* items present; at most ETL_MAX_EXT are kept in ext[] */
    etl_ext_item ext[ETL_MAX_EXT];
    /* user data */
    const uint8_t *data;
    uint32_t data_len;
    /* the whole record */
    const uint8_t *record;
    uint32_t record_len;
} etl_event;

typedef struct etl_diag {
    uint64_t offset;        /* file offset of the problem */
    char reason[112];
} etl_diag;

typedef struct etl_buffer_info {
    uint64_t file_offset;
    uint32_t size;          /* on disk */
    uint32_t payload_len;   /* valid bytes after the 0x48 header (decompressed length when compressed) */
    int64_t sequence;
    uint16_t cpu;
    uint16_t flags;         /* BufferFlag */
    uint16_t type;          /* BufferType */
    uint16_t state_lo;
    int compressed;
} etl_buffer_info;

typedef struct etl_file etl_file;
typedef struct etl_iter etl_iter;

/* Open by path (UTF-8). On failure *out is untouched and err (if given) holds a sentence naming the file. */
etl_status etl_open(const char *path, etl_file **out, char *err, size_t err_len);
/* Open a caller-owned memory image (fuzzing, tests). The memory must outlive the etl_file. */
etl_status etl_open_memory(const void *data, uint64_t size, etl_file **out, char *err, size_t err_len);
/* Another reader of an open file, for another thread: it shares f's mapping and copies f's buffer index
 * and header (no new mapping, no walk of the file: ~1 ms where etl_open takes tens for a 1 GB file), with
 * its own iterators, decompressed-buffer cache and diagnostics (none at first: f's are the file's). It
 * reads only what etl_open settled, which nothing changes later, so the thread using f may go on meanwhile.
 * f must stay open until the copy is closed. On failure (ETL_E_NOMEM, ETL_E_ARG) *out is untouched. */
etl_status etl_open_shared(const etl_file *f, etl_file **out);
void etl_close(etl_file *f);

const etl_header *etl_get_header(const etl_file *f);
uint64_t etl_file_size(const etl_file *f);
uint32_t etl_buffer_count(const etl_file *f);
const etl_buffer_info *etl_buffer_at(const etl_file *f, uint32_t index);
uint32_t etl_compressed_buffer_count(const etl_file *f);

/* Diagnostics found so far (opening, walking, fetching). */
size_t etl_diag_count(const etl_file *f);
const etl_diag *etl_diag_at(const etl_file *f, size_t index);

/* Decompressed-buffer cache bound in bytes (default 64 MiB). Buffers in use are kept even above the
 * bound: each live iterator's current buffer per processor, those holding its last batch's events,
 * and the buffer of the last etl_event_get. */
void etl_set_cache_limit(etl_file *f, uint64_t bytes);

typedef enum etl_order {
    ETL_ORDER_TIME = 0,     /* per processor by sequence number, then k-way merge on timestamps */
    ETL_ORDER_FILE = 1,     /* buffers as they lie in the file */
} etl_order;

etl_status etl_iter_create(etl_file *f, etl_order order, etl_iter **out);
/* 1: *ev filled; 0: end; the event is valid until the next call on this iterator. */
int etl_iter_next(etl_iter *it, etl_event *ev);
/* Fraction of buffers consumed, 0..1 (progress display). */
double etl_iter_progress(const etl_iter *it);
void etl_iter_destroy(etl_iter *it);

/* Extended data items, recognised. The first item of a type, or NULL. */
const etl_ext_item *etl_ext_find(const etl_event *ev, uint16_t type);
/* RELATED_ACTIVITYID -> *out; PROCESS_START_KEY -> *out. 0 on success, -1 when absent or malformed. */
int etl_ext_related_activity(const etl_event *ev, etl_guid *out);
int etl_ext_process_start_key(const etl_event *ev, uint64_t *out);
/* STACK_TRACE32/64: the match id and up to max return addresses (32-bit ones widened); returns the
 * number of frames the item holds (may exceed max), 0 when there is no stack. The TraceLogging schema
 * (ETL_EXT_EVENT_SCHEMA_TL) and provider traits (ETL_EXT_PROV_TRAITS) are raw blobs: etl_ext_find. */
uint32_t etl_ext_stack(const etl_event *ev, uint64_t *match_id, uint64_t *addrs, uint32_t max);

/* Fetch one record again by its handle. The event stays valid until the next etl_event_get on f
 * or the file is closed (compressed buffers may be evicted from the cache after that).
 * ETL_E_NOTFOUND when the handle names no buffer or no whole record (records start 8-aligned);
 * ETL_E_IO when the mapping failed while reading. */
etl_status etl_event_get(etl_file *f, uint64_t handle, etl_event *ev);

/* Raw timestamp -> FILETIME with the file's clock type: start_time + (raw - ref_raw) * scale, scale
 * 10^7/perf_freq (1: QPC), 1 (2: system time), 10/cpu_speed_mhz (3: CPU cycles). Integer math,
 * truncated toward ref_raw; results outside 0..UINT64_MAX saturate instead of wrapping. */
uint64_t etl_raw_to_filetime(const etl_header *h, int64_t raw);

/* Time text, 100 ns precision: "2025-10-05 11:30:19.2020520" + a zone suffix: "Z" for UTC,
 * "+hh:mm" / "-hh:mm" for the others (e.g. "2025-10-05 04:30:19.2020520-07:00"). */
typedef enum etl_zone {
    ETL_ZONE_UTC = 0,       /* suffix "Z" */
    ETL_ZONE_TRACE,         /* the trace machine's local time from the header's time zone (DST rules applied) */
    ETL_ZONE_VIEWER,        /* this machine's local time (platform seam) */
} etl_zone;
/* Offset in minutes to add to UTC for local time at the given FILETIME. */
int32_t etl_zone_offset_minutes(const etl_header *h, etl_zone zone, uint64_t filetime);
size_t etl_format_time(const etl_header *h, etl_zone zone, uint64_t filetime, char *buf, size_t len);
/* ISO-8601 UTC, "2025-10-05T11:30:19.2020520Z": the JSON `_utc` twins. */
size_t etl_format_iso_utc(uint64_t filetime, char *buf, size_t len);

/* "30d25124-a468-505c-...": lowercase, no braces; buf needs 37 bytes. */
void etl_guid_format(const etl_guid *g, char *buf);
/* 0 on success; -1 (out untouched) when text is not a GUID. Braces optional, hex in any case. */
int etl_guid_parse(const char *text, etl_guid *out);
int etl_guid_equal(const etl_guid *a, const etl_guid *b);

const char *etl_kind_name(etl_kind k); /* "system", "compact", "perfinfo", "full", "instance", "event", "message", "error" */
const char *etl_status_text(etl_status s);

#ifdef __cplusplus
}
#endif
#endif
