/*
 * etlw.h - writes .etl files the way Windows does, so that our reader and
 * other tools read them. Module prefix: etlw_.
 *
 * File shape (see ../shared/reference/etl-format.md 1.1-1.6):
 * - buffer 0: the uncompressed header buffer (BufferType 4 HEADER, State 3,
 *   BufferFlag 0x21; 0x01 and cut to a multiple of 512 bytes in compressed
 *   files, as the relogger writes it) with one SYSTEM_TRACE_HEADER (HookId 0,
 *   Version 2, SYSTEM32 or SYSTEM64 form) + TRACE_LOGFILE_HEADER (32- or 64-bit
 *   layout) + logger name + log file name (UTF-16, NUL-terminated).
 * - then per-CPU buffers of buffer_size bytes: 0x48-byte header, 8-aligned
 *   records, 0xFF to the end. A CPU takes a SequenceNumber (increasing per
 *   logger) when it starts a buffer and the buffer is written when it is full,
 *   so file order differs from sequence order across CPUs, as in real files.
 *   BufferFlag 0x20 (PROC_INDEX), | 0x01 on each CPU's last buffer, | 0x02
 *   (EVENTS_LOST) when etlw_mark_lost asked for it.
 * - compressed files: every data buffer is MS-XCA Plain LZ77 (xca.h): flag
 *   0x40, bytes [0x48, BufferSize) the stream, SavedOffset = 0x48 + plain
 *   length; logfile Version 0x0002000a (layout 2.0), LogFileMode |= 0x04000000.
 * - circular files (LogFileMode 2): once max_file_size is reached the oldest
 *   data buffer slot is overwritten, so the file's buffer order is rotated.
 *
 * Times are given as FILETIME and stored as raw values of the chosen clock:
 * 1 QPC (raw = start_raw + (t - start_time) * perf_freq / 10^7, rounded up),
 * 2 system time (raw = t), 3 CPU cycles (raw = start_raw + (t - start_time) *
 * cpu_speed_mhz / 10, rounded up). Rounding up makes the reader's conversion
 * give t back exactly whenever the clock ticks at least every 100 ns. Times
 * must not be earlier than start_time.
 *
 * Memory is bounded by cpus x buffer_size (plus one compression buffer), never
 * by the number of events. Files are written with stdio and 64-bit offsets.
 * An etlw is not thread-safe; use one per thread.
 */
#ifndef WSK_ETLW_H
#define WSK_ETLW_H

#include <stddef.h>
#include <stdint.h>

#include "wsk/etl.h" /* etl_guid, etl_timezone, ETL_EXT_* */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct etlw etlw;

typedef struct etlw_options {
    uint32_t buffer_size;      /* bytes, multiple of 8, 1024..16 MiB; 0 = 65536 */
    uint16_t cpus;             /* 1..4096; 0 = 1 */
    uint32_t pointer_size;     /* 4 or 8: the header record form and PointerSize; 0 = 8 */
    uint32_t clock_type;       /* 1 QPC, 2 system time, 3 CPU cycles; 0 = 1 */
    uint64_t perf_freq;        /* clock 1: ticks per second; 0 = 10,000,000 */
    uint32_t cpu_speed_mhz;    /* written always, used by clock 3; 0 = 3000 */
    uint64_t start_time;       /* FILETIME of the session start (required, non-zero) */
    int64_t start_raw;         /* clocks 1 and 3: raw clock value at start_time; 0 = 1,000,000,007 */
    uint64_t boot_time;        /* FILETIME; 0 = start_time minus one hour */
    uint32_t build;            /* OS build (ProviderVersion); 0 = 19045 */
    int compress;              /* non-zero: compressed data buffers */
    int circular;              /* non-zero: circular log of at most max_file_size bytes */
    uint64_t max_file_size;    /* circular: bytes, at least the header buffer + 2 data buffers */
    int unfinished;            /* non-zero: leave BuffersWritten and EndTime 0 at close, like a live file */
    const char *logger_name;   /* UTF-8; NULL = "wskgen" */
    const char *log_file_name; /* UTF-8; NULL = the path given to etlw_create */
    const etl_timezone *tz;    /* NULL = UTC, no daylight saving */
    uint32_t sparse_gap;       /* test aid: this many empty data buffers (header only, the rest left as a
                                * sparse hole) right after the header buffer, to make files over 4 GiB fast */
} etlw_options;

/* One extended data item of an EVENT_HEADER record (stored inline, 8-aligned). */
typedef struct etlw_ext {
    uint16_t type;             /* ETL_EXT_* (EVENT_HEADER_EXT_TYPE_*) */
    uint16_t size;
    const void *data;
} etlw_ext;

typedef struct etlw_event_desc {
    uint16_t cpu;              /* < options.cpus */
    uint32_t pid, tid;
    uint64_t time;             /* FILETIME, >= options.start_time */
    uint32_t pointer_size;     /* 4: EVENT_HEADER32 (0xC012), 8: EVENT_HEADER64 (0xC013); 0 = the file's */
    etl_guid provider;
    uint16_t id;
    uint8_t version, channel, level, opcode;
    uint16_t task;
    uint64_t keyword;
    etl_guid activity_id;
    uint32_t kernel_time, user_time;
    const etlw_ext *ext;       /* ext_count items, NULL when 0 */
    uint32_t ext_count;
} etlw_event_desc;

/* Creates (truncates) path. On failure *out is untouched and err holds a sentence naming the file. */
int etlw_create(const char *path, const etlw_options *opt, etlw **out, char *err, size_t err_len);

/* Appends one EVENT_HEADER record with len bytes of user data. 0 on success, -1 on error (bad argument,
 * record larger than a buffer or 65535 bytes, I/O error: see etlw_error). */
int etlw_event(etlw *w, const etlw_event_desc *d, const void *data, uint32_t len);

/* Appends a kernel SYSTEM_TRACE_HEADER record (SYSTEM32 for pointer_size 4, else SYSTEM64) with
 * HookId = (group << 8) | type. */
int etlw_system(etlw *w, uint16_t cpu, uint16_t hook_id, uint16_t version, uint32_t pid, uint32_t tid,
                uint64_t time, uint32_t pointer_size, const void *data, uint32_t len);

/* The process-name record: Microsoft-Windows-Kernel-Process {22fb2cd6-0e7b-422b-a0c7-2fad1fd0e716}
 * event 1 (ProcessStart) version 3, level 4, opcode 1, task 1, keyword 0x8000000000000010, channel 16.
 * User data (ProcessStart v3 template): u32 ProcessID, u64 ProcessSequenceNumber, FILETIME CreateTime,
 * u32 ParentProcessID, u64 ParentProcessSequenceNumber, u32 SessionID, u32 Flags,
 * u32 ProcessTokenElevationType, u32 ProcessTokenIsElevated, SID MandatoryLabel (S-1-16-8192, 12 bytes),
 * UTF-16Z ImageName, u32 ImageChecksum, u32 TimeDateStamp, UTF-16Z PackageFullName,
 * UTF-16Z PackageRelativeAppId. Written with header pid = ProcessID, as Windows does.
 * image_name is UTF-8, e.g. "\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe". */
int etlw_process(etlw *w, uint16_t cpu, uint64_t time, uint32_t pid, uint32_t parent_pid, uint32_t session_id,
                 const char *image_name);

/* Decodes the user data of such a ProcessStart v3 event: 0 on success with *pid and the image name as
 * UTF-8 (truncated to name_len - 1 bytes), -1 if the payload does not have that shape. */
int etlw_process_decode(const uint8_t *data, uint32_t len, uint32_t *pid, char *name, size_t name_len);

extern const etl_guid etlw_kernel_process_guid;

/* Sets EVENTS_LOST (0x02) on the buffer cpu is filling now and counts one lost event in the header. */
int etlw_mark_lost(etlw *w, uint16_t cpu);

/* Text of the first error, or "" when none. */
const char *etlw_error(const etlw *w);

/* Flushes every buffer, fills BuffersWritten and EndTime (unless unfinished), closes and frees w.
 * 0 when the whole file was written, -1 if any error happened (the error text goes to err). */
int etlw_close(etlw *w, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
