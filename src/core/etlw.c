/*
 * etlw.c - the .etl writer (see etlw.h for the file shape it produces).
 *
 * Each CPU owns one buffer in memory. A record that does not fit makes the
 * CPU flush its buffer and start the next one, so a CPU's current buffer is
 * never empty once it has logged anything, and at close every such buffer is
 * its CPU's last one (flag 0x01). Sequence numbers are taken when a buffer is
 * started, like the kernel does, which is why file order and sequence order
 * disagree across CPUs.
 *
 * The header buffer is written at create (EndTime and BuffersWritten 0, as in
 * a file still being logged) and rewritten in place at close.
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* fopen, _wfopen: the portable calls are what we want */
#endif
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* fseeko */
#endif
#if !defined(_WIN32) && !defined(_FILE_OFFSET_BITS)
#define _FILE_OFFSET_BITS 64
#endif

#include "wsk/etlw.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsk/xca.h"

#define WB_HDR 0x48u
#define EV_HDR 0x50u
#define SYS_HDR 0x20u
#define FLAG_FLUSH_MARKER 0x0001u
#define FLAG_EVENTS_LOST 0x0002u
#define FLAG_PROC_INDEX 0x0020u
#define FLAG_COMPRESSED 0x0040u
#define MODE_SEQUENTIAL 0x00000001u
#define MODE_CIRCULAR 0x00000002u
#define MODE_COMPRESSED 0x04000000u
#define LOGGER_ID 33u
#define TZ_SIZE 0xACu

const etl_guid etlw_kernel_process_guid = {0x22fb2cd6u, 0x0e7b, 0x422b, {0xa0, 0xc7, 0x2f, 0xad, 0x1f, 0xd0, 0xe7, 0x16}};

typedef struct etlw_cpu {
    uint8_t *buf;      /* buffer_size bytes; NULL until the CPU logs */
    uint32_t used;     /* valid bytes including the 0x48 header; 0 = no buffer started */
    uint16_t flags;    /* extra BufferFlag bits for this buffer */
    int64_t seq;
    int64_t last_raw;  /* flush time stamp */
} etlw_cpu;

struct etlw {
    FILE *f;
    etlw_options o;
    char *path;
    char *logger_name;
    char *log_file_name;
    etl_timezone tz;
    etlw_cpu *cpu;
    uint8_t *cbuf;             /* compressed image of one buffer */
    size_t cbuf_cap;
    int64_t next_seq;
    uint64_t data_off;         /* where the next data buffer goes (non-circular) */
    uint32_t header_size;      /* on-disk size of the header buffer */
    uint64_t flushed;          /* data buffers written */
    uint64_t slots;            /* circular: data buffer slots in the file */
    uint32_t events_lost;
    uint64_t end_time;
    char err[256];
};

/* ---- small helpers ---------------------------------------------------------------------------- */

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static void put_guid(uint8_t *p, const etl_guid *g)
{
    put32(p, g->data1);
    put16(p + 4, g->data2);
    put16(p + 6, g->data3);
    memcpy(p + 8, g->data4, 8);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint32_t align8(uint32_t v)
{
    return (v + 7u) & ~7u;
}

#if defined(__MINGW32__)
#define ETLW_PRINTF(f, a) __attribute__((format(__MINGW_PRINTF_FORMAT, f, a)))
#elif defined(__GNUC__) || defined(__clang__)
#define ETLW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ETLW_PRINTF(f, a)
#endif

static void set_err(etlw *w, const char *fmt, ...) ETLW_PRINTF(2, 3);

static void set_err(etlw *w, const char *fmt, ...)
{
    va_list ap;
    if (w->err[0])
        return; /* keep the first error: later ones are usually its consequences */
    va_start(ap, fmt);
    vsnprintf(w->err, sizeof w->err, fmt, ap);
    va_end(ap);
}

static void copy_err(char *err, size_t err_len, const char *text)
{
    if (err && err_len)
        snprintf(err, err_len, "%s", text);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = (char *)malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Next code point of UTF-8 text; malformed bytes become U+FFFD one byte at a time. */
static uint32_t utf8_next(const unsigned char **ps)
{
    const unsigned char *s = *ps;
    uint32_t c = s[0], need, min, i;
    if (c < 0x80) {
        *ps = s + 1;
        return c;
    }
    if ((c & 0xe0) == 0xc0) {
        need = 1, min = 0x80, c &= 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
        need = 2, min = 0x800, c &= 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
        need = 3, min = 0x10000, c &= 0x07;
    } else {
        *ps = s + 1;
        return 0xfffd;
    }
    for (i = 1; i <= need; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *ps = s + 1;
            return 0xfffd;
        }
        c = (c << 6) | (s[i] & 0x3fu);
    }
    *ps = s + need + 1;
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0xfffd;
    return c;
}

/* UTF-8 -> UTF-16LE with the terminating NUL; returns the bytes it needs (writes at most cap). */
static size_t utf16z(const char *s, uint8_t *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        uint32_t c = utf8_next(&p);
        if (c >= 0x10000) {
            c -= 0x10000;
            if (n + 4 <= cap) {
                put16(out + n, 0xd800u | (c >> 10));
                put16(out + n + 2, 0xdc00u | (c & 0x3ffu));
            }
            n += 4;
        } else {
            if (n + 2 <= cap)
                put16(out + n, c);
            n += 2;
        }
    }
    if (n + 2 <= cap)
        put16(out + n, 0);
    return n + 2;
}

static int file_seek(FILE *f, uint64_t off)
{
#if defined(_WIN32)
    return _fseeki64(f, (__int64)off, SEEK_SET);
#else
    return fseeko(f, (off_t)off, SEEK_SET);
#endif
}

static FILE *file_create(const char *path)
{
#if defined(_WIN32)
    /* Paths are UTF-8: go through the wide CRT so that any name works. */
    size_t n = utf16z(path, NULL, 0);
    wchar_t *wp = (wchar_t *)malloc(n);
    uint8_t *tmp = (uint8_t *)malloc(n);
    FILE *f = NULL;
    size_t i;
    if (wp && tmp) {
        utf16z(path, tmp, n);
        for (i = 0; i < n / 2; i++)
            wp[i] = (wchar_t)(tmp[2 * i] | (tmp[2 * i + 1] << 8));
        f = _wfopen(wp, L"w+b");
    }
    free(wp);
    free(tmp);
    return f;
#else
    return fopen(path, "w+b");
#endif
}

static int write_at(etlw *w, uint64_t off, const void *p, size_t n)
{
    if (file_seek(w->f, off) != 0 || fwrite(p, 1, n, w->f) != n) {
        set_err(w, "cannot write %zu bytes at offset %llu", n, (unsigned long long)off);
        return -1;
    }
    return 0;
}

/* ---- time ------------------------------------------------------------------------------------- */

/* ceil(d * num / den) without overflow for the magnitudes of FILETIME spans. */
static uint64_t scale_up(uint64_t d, uint64_t num, uint64_t den)
{
    uint64_t q = d / den, r = d % den;
    return q * num + (r * num + den - 1) / den;
}

static int to_raw(etlw *w, uint64_t t, int64_t *raw)
{
    if (w->o.clock_type == 2) {
        *raw = (int64_t)t;
        return 0;
    }
    if (t < w->o.start_time) {
        set_err(w, "event time %llu is before the session start %llu", (unsigned long long)t,
                (unsigned long long)w->o.start_time);
        return -1;
    }
    if (w->o.clock_type == 1)
        *raw = w->o.start_raw + (int64_t)scale_up(t - w->o.start_time, w->o.perf_freq, 10000000u);
    else
        *raw = w->o.start_raw + (int64_t)scale_up(t - w->o.start_time, w->o.cpu_speed_mhz, 10u);
    return 0;
}

/* ---- header buffer ---------------------------------------------------------------------------- */

static void put_systemtime(uint8_t *p, const etl_systemtime *s)
{
    put16(p, s->year);
    put16(p + 2, s->month);
    put16(p + 4, s->day_of_week);
    put16(p + 6, s->day);
    put16(p + 8, s->hour);
    put16(p + 10, s->minute);
    put16(p + 12, s->second);
    put16(p + 14, s->milliseconds);
}

static void put_timezone(uint8_t *p, const etl_timezone *tz)
{
    uint8_t name[512];
    size_t n;
    memset(p, 0, TZ_SIZE);
    put32(p, (uint32_t)tz->bias);
    n = utf16z(tz->standard_name, name, sizeof name);
    memcpy(p + 4, name, n < 64 ? n : 62); /* WCHAR[32]: keep the last one NUL */
    put_systemtime(p + 68, &tz->standard_date);
    put32(p + 84, (uint32_t)tz->standard_bias);
    n = utf16z(tz->daylight_name, name, sizeof name);
    memcpy(p + 88, name, n < 64 ? n : 62);
    put_systemtime(p + 152, &tz->daylight_date);
    put32(p + 168, (uint32_t)tz->daylight_bias);
}

/* Builds the whole header buffer image (header_size bytes) into img. */
static void build_header(const etlw *w, uint8_t *img, int final)
{
    int is64 = w->o.pointer_size == 8;
    uint32_t ps = is64 ? 8u : 4u;
    uint32_t tl = WB_HDR + SYS_HDR; /* TRACE_LOGFILE_HEADER start */
    uint32_t tz_off = 0x38 + 2 * ps, tail = tz_off + TZ_SIZE + 4;
    size_t n1 = utf16z(w->logger_name, NULL, 0), n2 = utf16z(w->log_file_name, NULL, 0);
    uint32_t rec = SYS_HDR + tail + 0x20 + (uint32_t)n1 + (uint32_t)n2;
    uint32_t saved = WB_HDR + align8(rec);
    uint64_t buffers = 0, data_buffers = w->slots && w->flushed > w->slots ? w->slots : w->flushed;

    memset(img, 0xff, w->header_size);
    memset(img, 0, saved);
    /* WMI_BUFFER_HEADER */
    put32(img + 0x00, w->header_size);
    put32(img + 0x04, saved);
    put32(img + 0x08, saved);
    put16(img + 0x2a, w->o.compress ? 0u : LOGGER_ID);
    put32(img + 0x2c, 3);
    put32(img + 0x30, saved);
    put16(img + 0x34, w->o.compress ? FLAG_FLUSH_MARKER : (FLAG_PROC_INDEX | FLAG_FLUSH_MARKER));
    put16(img + 0x36, 4);
    /* SYSTEM_TRACE_HEADER of the logfile header event */
    put16(img + WB_HDR + 0x00, 2);
    img[WB_HDR + 0x02] = (uint8_t)(is64 ? 2 : 1);
    img[WB_HDR + 0x03] = 0xc0;
    put16(img + WB_HDR + 0x04, rec);
    put16(img + WB_HDR + 0x06, 0);
    put64(img + WB_HDR + 0x10, (uint64_t)w->o.start_raw);
    put32(img + WB_HDR + 0x18, 1);
    /* TRACE_LOGFILE_HEADER */
    put32(img + tl + 0x00, w->o.buffer_size);
    put32(img + tl + 0x04, w->o.compress ? 0x0002000au : 0x0501000au);
    put32(img + tl + 0x08, w->o.build);
    put32(img + tl + 0x0c, w->o.cpus);
    if (final) {
        buffers = 1 + data_buffers;
        put64(img + tl + 0x10, w->end_time);
        put32(img + tl + 0x24, (uint32_t)buffers);
    }
    put32(img + tl + 0x18, 156250);
    put32(img + tl + 0x1c, w->o.circular ? (uint32_t)((w->o.max_file_size + 1048575u) / 1048576u) : 0u);
    put32(img + tl + 0x20, (w->o.circular ? MODE_CIRCULAR : MODE_SEQUENTIAL) |
                               (w->o.compress ? MODE_COMPRESSED : 0u));
    put32(img + tl + 0x28, 1);
    put32(img + tl + 0x2c, ps);
    put32(img + tl + 0x30, w->events_lost);
    put32(img + tl + 0x34, w->o.cpu_speed_mhz);
    /* LoggerName/LogFileName slots hold the HAL timer sources on 6.1+ (10 and 7 observed). */
    put32(img + tl + 0x38, 10);
    put32(img + tl + 0x38 + ps, 7);
    put_timezone(img + tl + tz_off, &w->tz);
    put64(img + tl + tail + 0x00, w->o.boot_time);
    put64(img + tl + tail + 0x08, w->o.clock_type == 2 ? 10000000u : w->o.perf_freq);
    put64(img + tl + tail + 0x10, w->o.start_time);
    put32(img + tl + tail + 0x18, w->o.clock_type);
    put32(img + tl + tail + 0x1c, 0);
    utf16z(w->logger_name, img + tl + tail + 0x20, n1);
    utf16z(w->log_file_name, img + tl + tail + 0x20 + n1, n2);
}

static uint32_t header_record_need(const etlw_options *o, const char *logger, const char *file)
{
    uint32_t ps = o->pointer_size == 8 ? 8u : 4u;
    uint64_t rec = SYS_HDR + 0x38 + 2 * ps + TZ_SIZE + 4 + 0x20 + utf16z(logger, NULL, 0) + utf16z(file, NULL, 0);
    return rec > 0xffffu ? 0 : WB_HDR + align8((uint32_t)rec);
}

static int write_header(etlw *w, int final)
{
    uint8_t *img = (uint8_t *)malloc(w->header_size);
    int rc;
    if (!img) {
        set_err(w, "out of memory");
        return -1;
    }
    build_header(w, img, final);
    rc = write_at(w, 0, img, w->header_size);
    free(img);
    return rc;
}

/* ---- data buffers ----------------------------------------------------------------------------- */

static int flush_cpu(etlw *w, uint16_t cpu, int last)
{
    etlw_cpu *c = &w->cpu[cpu];
    uint8_t *b = c->buf;
    uint32_t disk = w->o.buffer_size;
    uint64_t off;
    const uint8_t *img = b;
    int rc;

    if (!c->used)
        return 0;
    memset(b, 0, WB_HDR);
    put32(b + 0x04, c->used);
    put32(b + 0x08, c->used);
    put64(b + 0x10, (uint64_t)c->last_raw);
    put64(b + 0x18, (uint64_t)c->seq);
    put16(b + 0x28, cpu);
    put16(b + 0x2a, w->o.compress ? 0u : LOGGER_ID);
    put32(b + 0x2c, 3);
    put32(b + 0x30, c->used);
    put16(b + 0x34, FLAG_PROC_INDEX | c->flags | (last ? FLAG_FLUSH_MARKER : 0u) |
                        (w->o.compress ? FLAG_COMPRESSED : 0u));
    put16(b + 0x36, 0);
    if (w->o.compress) {
        size_t clen = 0;
        if (xca_compress(b + WB_HDR, c->used - WB_HDR, w->cbuf + WB_HDR, w->cbuf_cap - WB_HDR, &clen) != 0) {
            set_err(w, "compression failed");
            return -1;
        }
        disk = WB_HDR + (uint32_t)clen;
        put32(b, disk);
        memcpy(w->cbuf, b, WB_HDR);
        img = w->cbuf;
    } else {
        put32(b, disk);
        memset(b + c->used, 0xff, disk - c->used);
    }
    if (w->slots)
        off = w->header_size + (w->flushed % w->slots) * (uint64_t)w->o.buffer_size;
    else
        off = w->data_off;
    rc = write_at(w, off, img, disk);
    if (rc == 0) {
        if (!w->slots)
            w->data_off += disk;
        w->flushed++;
    }
    c->used = 0;
    c->flags = 0;
    return rc;
}

static void start_cpu(etlw *w, etlw_cpu *c)
{
    c->used = WB_HDR;
    c->flags = 0;
    c->seq = w->next_seq++;
    c->last_raw = 0;
}

/* Room for a record of size bytes in cpu's buffer, flushing it first when full. NULL on error. */
static uint8_t *reserve(etlw *w, uint16_t cpu, uint32_t size, int64_t raw)
{
    etlw_cpu *c;
    uint8_t *p;
    if (w->err[0])
        return NULL;
    if (cpu >= w->o.cpus) {
        set_err(w, "cpu %u out of range (%u cpus)", (unsigned)cpu, (unsigned)w->o.cpus);
        return NULL;
    }
    if (size > 0xffffu || align8(size) > w->o.buffer_size - WB_HDR) {
        set_err(w, "record of %u bytes does not fit a buffer", (unsigned)size);
        return NULL;
    }
    c = &w->cpu[cpu];
    if (!c->buf) {
        c->buf = (uint8_t *)malloc(w->o.buffer_size);
        if (!c->buf) {
            set_err(w, "out of memory");
            return NULL;
        }
    }
    if (c->used && align8(size) > w->o.buffer_size - c->used && flush_cpu(w, cpu, 0))
        return NULL;
    if (!c->used)
        start_cpu(w, c);
    p = c->buf + c->used;
    memset(p + size, 0, align8(size) - size);
    c->used += align8(size);
    c->last_raw = raw;
    return p;
}

/* Empty buffers whose payload is never written: the file system keeps them as holes. */
static int write_gap(etlw *w)
{
    uint8_t h[WB_HDR];
    uint32_t k;
    if (w->slots && w->o.sparse_gap) {
        set_err(w, "a sparse gap cannot be combined with a circular file");
        return -1;
    }
    for (k = 0; k < w->o.sparse_gap; k++) {
        memset(h, 0, sizeof h);
        put32(h + 0x00, w->o.buffer_size);
        put32(h + 0x04, WB_HDR);
        put32(h + 0x08, WB_HDR);
        put64(h + 0x10, (uint64_t)w->o.start_raw);
        put64(h + 0x18, (uint64_t)w->next_seq++);
        put16(h + 0x2a, LOGGER_ID);
        put32(h + 0x2c, 3);
        put32(h + 0x30, WB_HDR);
        put16(h + 0x34, FLAG_PROC_INDEX);
        if (write_at(w, w->data_off, h, sizeof h))
            return -1;
        w->data_off += w->o.buffer_size;
        w->flushed++;
    }
    return 0;
}

/* ---- public API ------------------------------------------------------------------------------- */

int etlw_create(const char *path, const etlw_options *opt, etlw **out, char *err, size_t err_len)
{
    etlw *w = NULL;
    const char *why = NULL;
    uint16_t i;

    if (!path || !opt || !out) {
        copy_err(err, err_len, "etlw_create: missing argument");
        return -1;
    }
    w = (etlw *)calloc(1, sizeof *w);
    if (!w) {
        copy_err(err, err_len, "out of memory");
        return -1;
    }
    w->o = *opt;
    if (!w->o.buffer_size)
        w->o.buffer_size = 65536;
    if (!w->o.cpus)
        w->o.cpus = 1;
    if (!w->o.pointer_size)
        w->o.pointer_size = 8;
    if (!w->o.clock_type)
        w->o.clock_type = 1;
    if (!w->o.perf_freq)
        w->o.perf_freq = 10000000u;
    if (!w->o.cpu_speed_mhz)
        w->o.cpu_speed_mhz = 3000;
    if (!w->o.start_raw)
        w->o.start_raw = w->o.clock_type == 2 ? (int64_t)w->o.start_time : 1000000007;
    if (w->o.clock_type == 2)
        w->o.start_raw = (int64_t)w->o.start_time; /* raw stamps are FILETIMEs: the base is 0 */
    if (!w->o.boot_time && w->o.start_time > 36000000000u)
        w->o.boot_time = w->o.start_time - 36000000000u;
    if (!w->o.build)
        w->o.build = 19045;
    w->path = dup_str(path);
    w->logger_name = dup_str(opt->logger_name ? opt->logger_name : "wskgen");
    w->log_file_name = dup_str(opt->log_file_name ? opt->log_file_name : path);
    if (opt->tz)
        w->tz = *opt->tz;
    w->end_time = w->o.start_time;

    if (w->o.buffer_size < 1024 || w->o.buffer_size > (16u << 20) || (w->o.buffer_size & 7))
        why = "buffer size must be a multiple of 8 between 1 KiB and 16 MiB";
    else if (w->o.cpus > 4096)
        why = "at most 4096 cpus";
    else if (w->o.pointer_size != 4 && w->o.pointer_size != 8)
        why = "pointer size must be 4 or 8";
    else if (w->o.clock_type < 1 || w->o.clock_type > 3)
        why = "clock type must be 1, 2 or 3";
    else if (!w->o.start_time)
        why = "start time is required";
    else if (w->o.circular && w->o.compress)
        why = "a circular file cannot be compressed (its buffer slots have a fixed size)";
    else if (!w->path || !w->logger_name || !w->log_file_name)
        why = "out of memory";
    if (!why) {
        uint32_t need = header_record_need(&w->o, w->logger_name, w->log_file_name);
        if (!need || need > w->o.buffer_size)
            why = "logger and log file names do not fit the header buffer";
        else
            w->header_size = w->o.compress ? (need + 511u) & ~511u : w->o.buffer_size;
    }
    if (!why && w->o.circular) {
        uint64_t room = w->o.max_file_size > w->header_size ? w->o.max_file_size - w->header_size : 0;
        w->slots = room / w->o.buffer_size;
        if (w->slots < 2)
            why = "circular: the maximum file size must hold the header buffer and two data buffers";
    }
    if (!why) {
        w->cpu = (etlw_cpu *)calloc(w->o.cpus, sizeof *w->cpu);
        if (w->o.compress) {
            w->cbuf_cap = WB_HDR + xca_compress_bound(w->o.buffer_size);
            w->cbuf = (uint8_t *)malloc(w->cbuf_cap);
        }
        if (!w->cpu || (w->o.compress && !w->cbuf))
            why = "out of memory";
    }
    if (why) {
        if (err && err_len)
            snprintf(err, err_len, "%s: %s", path, why);
        goto fail;
    }
    w->f = file_create(path);
    if (!w->f) {
        if (err && err_len)
            snprintf(err, err_len, "%s: cannot create the file", path);
        goto fail;
    }
    w->next_seq = 1;
    w->data_off = w->header_size;
    if (write_header(w, 0) || write_gap(w)) {
        if (err && err_len)
            snprintf(err, err_len, "%s: %s", path, w->err);
        fclose(w->f);
        goto fail;
    }
    *out = w;
    return 0;
fail:
    if (w->cpu)
        for (i = 0; i < w->o.cpus; i++)
            free(w->cpu[i].buf);
    free(w->cpu);
    free(w->cbuf);
    free(w->path);
    free(w->logger_name);
    free(w->log_file_name);
    free(w);
    return -1;
}

int etlw_event(etlw *w, const etlw_event_desc *d, const void *data, uint32_t len)
{
    uint32_t size = EV_HDR, i, ps;
    int64_t raw;
    uint8_t *p, *x;

    if (!w || !d || (len && !data) || (d->ext_count && !d->ext))
        return -1;
    ps = d->pointer_size ? d->pointer_size : w->o.pointer_size;
    if (ps != 4 && ps != 8) {
        set_err(w, "event pointer size must be 4 or 8");
        return -1;
    }
    for (i = 0; i < d->ext_count; i++) {
        if (d->ext[i].size > 0xffffu - 15u || (d->ext[i].size && !d->ext[i].data)) {
            set_err(w, "bad extended data item");
            return -1;
        }
        size += align8(8u + d->ext[i].size);
    }
    if ((uint64_t)size + len > 0xffffu) {
        set_err(w, "event of %llu bytes is larger than a record can be", (unsigned long long)size + len);
        return -1;
    }
    size += len;
    if (to_raw(w, d->time, &raw))
        return -1;
    p = reserve(w, d->cpu, size, raw);
    if (!p)
        return -1;
    put16(p + 0x00, size);
    put16(p + 0x02, ps == 4 ? 0xc012u : 0xc013u);
    put16(p + 0x04, d->ext_count ? 1u : 0u);
    put16(p + 0x06, 0);
    put32(p + 0x08, d->tid);
    put32(p + 0x0c, d->pid);
    put64(p + 0x10, (uint64_t)raw);
    put_guid(p + 0x18, &d->provider);
    put16(p + 0x28, d->id);
    p[0x2a] = d->version;
    p[0x2b] = d->channel;
    p[0x2c] = d->level;
    p[0x2d] = d->opcode;
    put16(p + 0x2e, d->task);
    put64(p + 0x30, d->keyword);
    put32(p + 0x38, d->kernel_time);
    put32(p + 0x3c, d->user_time);
    put_guid(p + 0x40, &d->activity_id);
    x = p + EV_HDR;
    for (i = 0; i < d->ext_count; i++) {
        uint32_t total = align8(8u + d->ext[i].size);
        put16(x + 0, total);
        put16(x + 2, d->ext[i].type);
        put16(x + 4, i + 1 < d->ext_count ? 1u : 0u);
        put16(x + 6, d->ext[i].size);
        if (d->ext[i].size)
            memcpy(x + 8, d->ext[i].data, d->ext[i].size);
        memset(x + 8 + d->ext[i].size, 0, total - 8u - d->ext[i].size);
        x += total;
    }
    if (len)
        memcpy(x, data, len);
    if (d->time > w->end_time)
        w->end_time = d->time;
    return 0;
}

int etlw_system(etlw *w, uint16_t cpu, uint16_t hook_id, uint16_t version, uint32_t pid, uint32_t tid,
                uint64_t time, uint32_t pointer_size, const void *data, uint32_t len)
{
    uint32_t size = SYS_HDR + len;
    int64_t raw;
    uint8_t *p;

    if (!w || (len && !data))
        return -1;
    if (size > 0xffffu) {
        set_err(w, "system record of %u bytes is larger than a record can be", (unsigned)size);
        return -1;
    }
    if (to_raw(w, time, &raw))
        return -1;
    p = reserve(w, cpu, size, raw);
    if (!p)
        return -1;
    put16(p + 0x00, version);
    p[0x02] = (uint8_t)(pointer_size == 4 ? 1 : 2);
    p[0x03] = 0xc0;
    put16(p + 0x04, size);
    put16(p + 0x06, hook_id);
    put32(p + 0x08, tid);
    put32(p + 0x0c, pid);
    put64(p + 0x10, (uint64_t)raw);
    put32(p + 0x18, 0);
    put32(p + 0x1c, 0);
    if (len)
        memcpy(p + SYS_HDR, data, len);
    if (time > w->end_time)
        w->end_time = time;
    return 0;
}

/* Fixed part of the ProcessStart v3 payload, up to the MandatoryLabel SID. */
#define PS_FIXED 48u
#define PS_SID 12u

int etlw_process(etlw *w, uint16_t cpu, uint64_t time, uint32_t pid, uint32_t parent_pid, uint32_t session_id,
                 const char *image_name)
{
    /* S-1-16-8192: mandatory label, medium integrity. */
    static const uint8_t medium_sid[PS_SID] = {1, 1, 0, 0, 0, 0, 0, 16, 0, 0x20, 0, 0};
    etlw_event_desc d;
    uint8_t *buf;
    size_t nlen;
    uint32_t len;
    int rc;

    if (!w || !image_name)
        return -1;
    nlen = utf16z(image_name, NULL, 0);
    if (nlen > 32768) {
        set_err(w, "image name too long");
        return -1;
    }
    len = PS_FIXED + PS_SID + (uint32_t)nlen + 8 + 2 + 2;
    buf = (uint8_t *)calloc(1, len);
    if (!buf) {
        set_err(w, "out of memory");
        return -1;
    }
    put32(buf + 0, pid);
    put64(buf + 4, 0x100000000ull + pid);       /* ProcessSequenceNumber */
    put64(buf + 12, time);                      /* CreateTime */
    put32(buf + 20, parent_pid);
    put64(buf + 24, 0x100000000ull + parent_pid);
    put32(buf + 32, session_id);
    put32(buf + 36, 0);                         /* Flags */
    put32(buf + 40, 1);                         /* TokenElevationTypeDefault */
    put32(buf + 44, 0);
    memcpy(buf + PS_FIXED, medium_sid, PS_SID);
    utf16z(image_name, buf + PS_FIXED + PS_SID, nlen);
    /* ImageChecksum, TimeDateStamp 0; PackageFullName and PackageRelativeAppId empty (calloc). */
    memset(&d, 0, sizeof d);
    d.cpu = cpu;
    d.pid = pid;
    d.time = time;
    d.provider = etlw_kernel_process_guid;
    d.id = 1;
    d.version = 3;
    d.channel = 16;
    d.level = 4;
    d.opcode = 1;
    d.task = 1;
    d.keyword = 0x8000000000000010ull;
    rc = etlw_event(w, &d, buf, len);
    free(buf);
    return rc;
}

int etlw_process_decode(const uint8_t *data, uint32_t len, uint32_t *pid, char *name, size_t name_len)
{
    uint32_t off, sid_len, o = 0;

    if (!data || !pid || !name || !name_len || len < PS_FIXED + 8)
        return -1;
    /* SID: revision 1, sub-authority count n, 6-byte authority, n x u32. */
    if (data[PS_FIXED] != 1 || data[PS_FIXED + 1] > 15)
        return -1;
    sid_len = 8u + 4u * data[PS_FIXED + 1];
    off = PS_FIXED + sid_len;
    for (;;) {
        uint32_t c;
        if (off > len || len - off < 2)
            return -1;
        c = (uint32_t)data[off] | ((uint32_t)data[off + 1] << 8);
        off += 2;
        if (!c)
            break;
        if (c >= 0xd800 && c <= 0xdbff && len - off >= 2) {
            uint32_t lo = (uint32_t)data[off] | ((uint32_t)data[off + 1] << 8);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
                c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                off += 2;
            }
        }
        if (c >= 0xd800 && c <= 0xdfff)
            c = 0xfffd;
        {
            uint8_t u[4];
            uint32_t n;
            if (c < 0x80) {
                u[0] = (uint8_t)c, n = 1;
            } else if (c < 0x800) {
                u[0] = (uint8_t)(0xc0 | (c >> 6)), u[1] = (uint8_t)(0x80 | (c & 0x3f)), n = 2;
            } else if (c < 0x10000) {
                u[0] = (uint8_t)(0xe0 | (c >> 12)), u[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
                u[2] = (uint8_t)(0x80 | (c & 0x3f)), n = 3;
            } else {
                u[0] = (uint8_t)(0xf0 | (c >> 18)), u[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
                u[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3f)), u[3] = (uint8_t)(0x80 | (c & 0x3f)), n = 4;
            }
            if (o + n < name_len) {
                memcpy(name + o, u, n);
                o += n;
            }
        }
    }
    name[o] = 0;
    *pid = get32(data);
    return 0;
}

int etlw_mark_lost(etlw *w, uint16_t cpu)
{
    etlw_cpu *c;
    if (!w || w->err[0])
        return -1;
    if (cpu >= w->o.cpus) {
        set_err(w, "cpu %u out of range (%u cpus)", (unsigned)cpu, (unsigned)w->o.cpus);
        return -1;
    }
    c = &w->cpu[cpu];
    if (!c->buf) {
        c->buf = (uint8_t *)malloc(w->o.buffer_size);
        if (!c->buf) {
            set_err(w, "out of memory");
            return -1;
        }
    }
    if (!c->used)
        start_cpu(w, c);
    c->flags = (uint16_t)(c->flags | FLAG_EVENTS_LOST);
    w->events_lost++;
    return 0;
}

const char *etlw_error(const etlw *w)
{
    return w ? w->err : "";
}

int etlw_close(etlw *w, char *err, size_t err_len)
{
    uint16_t i;
    int rc = 0;

    if (!w)
        return -1;
    for (i = 0; i < w->o.cpus; i++)
        if (!w->err[0])
            (void)flush_cpu(w, i, 1);
    if (!w->err[0] && !w->o.unfinished)
        (void)write_header(w, 1);
    if (fclose(w->f) != 0)
        set_err(w, "cannot finish writing the file");
    if (w->err[0]) {
        if (err && err_len)
            snprintf(err, err_len, "%s: %s", w->path, w->err);
        rc = -1;
    }
    for (i = 0; i < w->o.cpus; i++)
        free(w->cpu[i].buf);
    free(w->cpu);
    free(w->cbuf);
    free(w->path);
    free(w->logger_name);
    free(w->log_file_name);
    free(w);
    return rc;
}
