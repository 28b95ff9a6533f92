/*
 * etl_file.c - opening an .etl file: the logfile header, the buffer index
 * (walked by each buffer's own size, never trusting BuffersWritten), the
 * diagnostics list and the bounded LRU cache of decompressed buffers.
 */
#include "etl_internal.h"
#include "wsk/xca.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Offsets inside TRACE_LOGFILE_HEADER that differ between the 32- and 64-bit layouts
 * (two pointer-sized fields before the time zone shift everything after them by 8). */
typedef struct etl_lfh_layout {
    uint32_t tz, boot, perf_freq, start, clock, buffers_lost, strings;
} etl_lfh_layout;

static const etl_lfh_layout etl_lfh32 = {0x40, 0xF0, 0xF8, 0x100, 0x108, 0x10C, 0x110};
static const etl_lfh_layout etl_lfh64 = {0x48, 0xF8, 0x100, 0x108, 0x110, 0x114, 0x118};

#define ETL_SYSTEM_HEADER_SIZE 0x20u
#define ETL_TZ_SIZE 0xACu

void etl_diag_add(etl_file *f, uint64_t offset, const char *fmt, ...)
{
    va_list ap;
    etl_diag *d;
    if (f->ndiags >= ETL_MAX_DIAGS)
        return;
    if (f->ndiags == f->cap_diags) {
        size_t cap = f->cap_diags ? f->cap_diags * 2 : 16;
        etl_diag *n = realloc(f->diags, cap * sizeof *n);
        if (!n)
            return;
        f->diags = n;
        f->cap_diags = cap;
    }
    d = &f->diags[f->ndiags++];
    d->offset = offset;
    if (f->ndiags == ETL_MAX_DIAGS) {
        snprintf(d->reason, sizeof d->reason, "too many problems; the rest are not listed");
        return;
    }
    va_start(ap, fmt);
    vsnprintf(d->reason, sizeof d->reason, fmt, ap);
    va_end(ap);
}

static void etl_set_err(char *err, size_t err_len, const char *path, const char *what)
{
    if (err && err_len)
        snprintf(err, err_len, "%s: %s", path ? path : "(memory)", what);
}

/* UTF-16LE (NUL-terminated or bounded by n units) to UTF-8; bad surrogates become U+FFFD.
 * Returns the number of bytes consumed including the terminator when found. */
static uint32_t etl_utf16_to_utf8(const uint8_t *p, uint32_t avail, char *out, size_t out_len)
{
    uint32_t i = 0;
    size_t o = 0;
    while (i + 2 <= avail) {
        uint32_t cp = etl_rd16(p + i);
        i += 2;
        if (cp == 0)
            break;
        if (cp >= 0xD800 && cp < 0xDC00) {
            uint32_t lo = (i + 2 <= avail) ? etl_rd16(p + i) : 0;
            if (lo >= 0xDC00 && lo < 0xE000) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 2;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xDC00 && cp < 0xE000) {
            cp = 0xFFFD;
        }
        {
            uint8_t b[4];
            size_t n;
            if (cp < 0x80) {
                b[0] = (uint8_t)cp;
                n = 1;
            } else if (cp < 0x800) {
                b[0] = (uint8_t)(0xC0 | (cp >> 6));
                b[1] = (uint8_t)(0x80 | (cp & 0x3F));
                n = 2;
            } else if (cp < 0x10000) {
                b[0] = (uint8_t)(0xE0 | (cp >> 12));
                b[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
                b[2] = (uint8_t)(0x80 | (cp & 0x3F));
                n = 3;
            } else {
                b[0] = (uint8_t)(0xF0 | (cp >> 18));
                b[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3F));
                b[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3F));
                b[3] = (uint8_t)(0x80 | (cp & 0x3F));
                n = 4;
            }
            if (out_len && o + n < out_len) {
                memcpy(out + o, b, n);
                o += n;
            }
        }
    }
    if (out_len)
        out[o < out_len ? o : out_len - 1] = '\0';
    return i;
}

static void etl_read_systemtime(const uint8_t *p, etl_systemtime *st)
{
    st->year = etl_rd16(p);
    st->month = etl_rd16(p + 2);
    st->day_of_week = etl_rd16(p + 4);
    st->day = etl_rd16(p + 6);
    st->hour = etl_rd16(p + 8);
    st->minute = etl_rd16(p + 10);
    st->second = etl_rd16(p + 12);
    st->milliseconds = etl_rd16(p + 14);
}

/* The logfile header record: SYSTEM_TRACE_HEADER (hook 0) + TRACE_LOGFILE_HEADER32/64 + two
 * UTF-16 strings, at the start of buffer 0's payload (rec, avail bytes). */
static int etl_parse_logfile_header(etl_header *h, const uint8_t *rec, uint32_t avail)
{
    uint32_t marker, size;
    uint8_t type;
    const uint8_t *l;
    const etl_lfh_layout *lay;
    uint32_t lavail, used;

    if (avail < ETL_SYSTEM_HEADER_SIZE)
        return -1;
    marker = etl_rd32(rec);
    type = (uint8_t)(marker >> 16);
    if ((marker >> 24 & 0xC0) != 0xC0 || (type != 1 && type != 2) || etl_rd16(rec + 6) != 0)
        return -1;
    size = etl_rd16(rec + 4);
    lay = type == 2 ? &etl_lfh64 : &etl_lfh32;
    if (size > avail)
        size = avail;
    if (size < ETL_SYSTEM_HEADER_SIZE + lay->strings)
        return -1;
    l = rec + ETL_SYSTEM_HEADER_SIZE;
    lavail = size - ETL_SYSTEM_HEADER_SIZE;

    memset(h, 0, sizeof *h);
    h->is64 = type == 2;
    h->ref_raw = (int64_t)etl_rd64(rec + 0x10);
    h->buffer_size = etl_rd32(l + 0x00);
    h->version = etl_rd32(l + 0x04);
    h->build = etl_rd32(l + 0x08);
    h->cpus = etl_rd32(l + 0x0C);
    h->end_time = etl_rd64(l + 0x10);
    h->timer_resolution = etl_rd32(l + 0x18);
    h->max_file_size = etl_rd32(l + 0x1C);
    h->log_file_mode = etl_rd32(l + 0x20);
    h->buffers_written = etl_rd32(l + 0x24);
    h->start_buffers = etl_rd32(l + 0x28);
    h->pointer_size = etl_rd32(l + 0x2C);
    h->events_lost = etl_rd32(l + 0x30);
    h->cpu_speed_mhz = etl_rd32(l + 0x34);
    {
        const uint8_t *tz = l + lay->tz;
        h->tz.bias = (int32_t)etl_rd32(tz);
        etl_utf16_to_utf8(tz + 4, 64, h->tz.standard_name, sizeof h->tz.standard_name);
        etl_read_systemtime(tz + 0x44, &h->tz.standard_date);
        h->tz.standard_bias = (int32_t)etl_rd32(tz + 0x54);
        etl_utf16_to_utf8(tz + 0x58, 64, h->tz.daylight_name, sizeof h->tz.daylight_name);
        etl_read_systemtime(tz + 0x98, &h->tz.daylight_date);
        h->tz.daylight_bias = (int32_t)etl_rd32(tz + 0xA8);
    }
    h->boot_time = etl_rd64(l + lay->boot);
    h->perf_freq = etl_rd64(l + lay->perf_freq);
    h->start_time = etl_rd64(l + lay->start);
    h->clock_type = etl_rd32(l + lay->clock);
    h->buffers_lost = etl_rd32(l + lay->buffers_lost);
    used = etl_utf16_to_utf8(l + lay->strings, lavail - lay->strings, h->logger_name, sizeof h->logger_name);
    etl_utf16_to_utf8(l + lay->strings + used, lavail - lay->strings - used, h->log_file_name,
                      sizeof h->log_file_name);
    return 0;
}

/* ---- the buffer index ---------------------------------------------------------------------- */

static int etl_push_buffer(etl_file *f, uint32_t *cap, const etl_buffer_info *bi)
{
    if (f->nbufs == *cap) {
        uint32_t ncap = *cap ? *cap * 2 : 64;
        etl_buffer_info *n;
        if (ncap < *cap)
            return -1;
        n = realloc(f->bufs, (size_t)ncap * sizeof *n);
        if (!n)
            return -1;
        f->bufs = n;
        *cap = ncap;
    }
    f->bufs[f->nbufs++] = *bi;
    return 0;
}

typedef struct etl_open_ctx {
    etl_file *f;
    etl_status st;
    const char *why;
    uint64_t off;       /* buffer being read: where an I/O error stopped the walk */
    int have_header;
} etl_open_ctx;

/* Reads a buffer header at off into *b; returns 0 when it is plausible enough to use. */
static int etl_read_buffer_header(const etl_file *f, uint64_t off, etl_buffer_info *b)
{
    const uint8_t *p = f->data + off;
    memset(b, 0, sizeof *b);
    b->file_offset = off;
    b->size = etl_rd32(p);
    b->payload_len = etl_rd32(p + 4); /* SavedOffset for now */
    b->sequence = (int64_t)etl_rd64(p + 0x18);
    b->cpu = etl_rd16(p + 0x28);
    b->state_lo = etl_rd16(p + 0x2C);
    b->flags = etl_rd16(p + 0x34);
    b->type = etl_rd16(p + 0x36);
    b->compressed = (b->flags & ETL_BUFFER_FLAG_COMPRESSED) != 0;
    return b->size >= ETL_BUFFER_HEADER_SIZE ? 0 : -1;
}

/* Works out the payload of b (valid bytes after the header) given what the file holds; reports
 * what does not add up. Returns 0 when the buffer is usable. */
static int etl_settle_payload(etl_file *f, etl_buffer_info *b, uint64_t in_file)
{
    uint32_t saved = b->payload_len;
    uint32_t offset30 = etl_rd32(f->data + b->file_offset + 0x30);
    uint64_t off = b->file_offset;

    if (b->compressed) {
        b->payload_len = 0;
        if (saved < ETL_BUFFER_HEADER_SIZE) {
            etl_diag_add(f, off, "compressed buffer with SavedOffset %u below the header size", saved);
            return -1;
        }
        if (saved - ETL_BUFFER_HEADER_SIZE > ETL_MAX_PAYLOAD) {
            etl_diag_add(f, off, "compressed buffer promises %u bytes (limit %u)", saved, ETL_MAX_PAYLOAD);
            return -1;
        }
        if (in_file < b->size) {
            etl_diag_add(f, off, "compressed buffer truncated: %llu of %u bytes in the file",
                         (unsigned long long)in_file, b->size);
            return -1;
        }
        b->payload_len = saved - ETL_BUFFER_HEADER_SIZE;
        return 0;
    }
    {
        uint32_t end = saved;
        /* Win11 and relogger header buffers hold complete records past SavedOffset, up to Offset. */
        if (b->type == ETL_BUFFER_TYPE_HEADER && offset30 > end && offset30 <= b->size)
            end = offset30;
        if (end < ETL_BUFFER_HEADER_SIZE) {
            b->payload_len = 0;
            etl_diag_add(f, off, "buffer with SavedOffset %u below the header size", saved);
            return -1;
        }
        if (end > b->size) {
            etl_diag_add(f, off, "SavedOffset %u beyond the buffer size %u", end, b->size);
            end = b->size;
        }
        if (end > in_file)
            end = (uint32_t)in_file; /* the walk reports the cut */
        b->payload_len = end - ETL_BUFFER_HEADER_SIZE;
        return 0;
    }
}

static int etl_open_walk(void *vctx)
{
    etl_open_ctx *ctx = vctx;
    etl_file *f = ctx->f;
    uint64_t off = 0;
    uint32_t cap = 0;
    etl_buffer_info b;
    uint32_t stride;

    if (f->size < ETL_BUFFER_HEADER_SIZE + ETL_SYSTEM_HEADER_SIZE) {
        ctx->st = ETL_E_FORMAT;
        ctx->why = "not an .etl file (too short for a buffer header and the logfile header)";
        return 0;
    }
    etl_read_buffer_header(f, 0, &b);
    if (b.compressed || b.size < ETL_BUFFER_HEADER_SIZE + ETL_SYSTEM_HEADER_SIZE) {
        ctx->st = ETL_E_FORMAT;
        ctx->why = "not an .etl file (no usable first buffer)";
        return 0;
    }
    {
        uint64_t avail = f->size - ETL_BUFFER_HEADER_SIZE;
        if (avail > b.size - ETL_BUFFER_HEADER_SIZE)
            avail = b.size - ETL_BUFFER_HEADER_SIZE;
        if (etl_parse_logfile_header(&f->hdr, f->data + ETL_BUFFER_HEADER_SIZE, (uint32_t)avail) != 0) {
            ctx->st = ETL_E_FORMAT;
            ctx->why = "not an .etl file (no logfile header in the first buffer)";
            return 0;
        }
    }
    etl_timecvt_init(&f->tc, &f->hdr);
    ctx->have_header = 1;
    /* Where a buffer header is garbage, the only way on is the session's buffer size. */
    stride = f->hdr.buffer_size >= ETL_BUFFER_HEADER_SIZE ? f->hdr.buffer_size : 0;

    while (off + ETL_BUFFER_HEADER_SIZE <= f->size) {
        uint64_t in_file = f->size - off;
        int ok;
        ctx->off = off;
        ok = etl_read_buffer_header(f, off, &b) == 0;
        int plausible = ok && b.type <= 8 &&
                        (b.compressed || b.payload_len <= b.size || b.type == ETL_BUFFER_TYPE_HEADER);
        if (ok && b.size > in_file && !plausible)
            ok = 0;
        if (!ok) {
            if (!stride) {
                etl_diag_add(f, off, "invalid buffer size %u; the rest of the file is skipped", b.size);
                break;
            }
            etl_diag_add(f, off, "invalid buffer header (size %u); skipped %u bytes", b.size,
                         (unsigned)(in_file < stride ? in_file : stride));
            off += stride;
            continue;
        }
        if (etl_settle_payload(f, &b, in_file) != 0)
            b.payload_len = 0;
        if (etl_push_buffer(f, &cap, &b) != 0) {
            ctx->st = ETL_E_NOMEM;
            ctx->why = "out of memory for the buffer index";
            return 0;
        }
        if (b.compressed)
            f->ncompressed++;
        if (b.size > in_file) {
            if (!b.compressed)
                etl_diag_add(f, off, "buffer cut short by the end of the file: %llu of %u bytes",
                             (unsigned long long)in_file, b.size);
            break;
        }
        off += b.size;
    }
    if (off < f->size && off + ETL_BUFFER_HEADER_SIZE > f->size)
        etl_diag_add(f, off, "%llu bytes at the end of the file are not a whole buffer header",
                     (unsigned long long)(f->size - off));
    /* A finished, non-circular file says how many buffers it wrote. */
    if (f->hdr.end_time != 0 && !(f->hdr.log_file_mode & 0x2) && f->hdr.buffers_written > f->nbufs)
        etl_diag_add(f, f->size, "the header says %u buffers were written; the file holds %u",
                     f->hdr.buffers_written, f->nbufs);
    ctx->st = ETL_OK;
    return 0;
}

/* A reader's own state beside the index: per-buffer bits, cache slots, the cache's bound.
 * 0, or -1 out of memory. */
static int etl_reader_state(etl_file *f)
{
    uint32_t i;
    f->bstate = calloc(f->nbufs ? f->nbufs : 1, 1);
    f->slot_of = malloc((f->nbufs ? f->nbufs : 1) * sizeof *f->slot_of);
    if (!f->bstate || !f->slot_of)
        return -1;
    for (i = 0; i < f->nbufs; i++)
        f->slot_of[i] = -1;
    f->cache_limit = ETL_DEFAULT_CACHE_LIMIT;
    f->get_buf = -1;
    return 0;
}

static etl_status etl_open_common(etl_file *f, const char *path, char *err, size_t err_len)
{
    etl_open_ctx ctx;

    if (f->size == 0) {
        etl_set_err(err, err_len, path, "the file is empty");
        return ETL_E_EMPTY;
    }
    memset(&ctx, 0, sizeof ctx);
    ctx.f = f;
    if (plat_guarded(etl_open_walk, &ctx) != 0) {
        /* The mapping failed under the walk: keep the buffers indexed before the failure. */
        if (ctx.have_header && f->nbufs > 0) {
            etl_diag_add(f, ctx.off, "I/O error while reading the file; the rest of the file is skipped");
            ctx.st = ETL_OK;
        } else {
            ctx.st = ETL_E_IO;
            ctx.why = "I/O error while reading the file";
        }
    }
    if (ctx.st != ETL_OK) {
        etl_set_err(err, err_len, path, ctx.why);
        return ctx.st;
    }
    if (etl_reader_state(f) != 0) {
        etl_set_err(err, err_len, path, "out of memory");
        return ETL_E_NOMEM;
    }
    return ETL_OK;
}

void etl_close(etl_file *f)
{
    uint32_t i;
    if (!f)
        return;
    for (i = 0; i < f->nslots; i++)
        free(f->slots[i].data);
    free(f->slots);
    free(f->pending);
    free(f->slot_of);
    free(f->bstate);
    free(f->bufs);
    free(f->diags);
    if (f->mapped)
        plat_map_close(&f->map);
    free(f);
}

etl_status etl_open(const char *path, etl_file **out, char *err, size_t err_len)
{
    etl_file *f;
    etl_status st = ETL_E_NOMEM;
    char merr[256];

    if (!path || !out)
        return ETL_E_ARG;
    f = calloc(1, sizeof *f);
    if (!f) {
        etl_set_err(err, err_len, path, "out of memory");
        goto cleanup;
    }
    if (plat_map_open(path, &f->map, merr, sizeof merr) != 0) {
        if (err && err_len)
            snprintf(err, err_len, "%s", merr);
        st = ETL_E_IO;
        goto cleanup;
    }
    f->mapped = 1;
    f->data = f->map.data;
    f->size = f->map.size;
    st = etl_open_common(f, path, err, err_len);
    if (st == ETL_OK) {
        *out = f;
        f = NULL;
    }
cleanup:
    etl_close(f);
    return st;
}

etl_status etl_open_memory(const void *data, uint64_t size, etl_file **out, char *err, size_t err_len)
{
    etl_file *f;
    etl_status st = ETL_E_NOMEM;

    if (!out || (!data && size))
        return ETL_E_ARG;
    f = calloc(1, sizeof *f);
    if (!f) {
        etl_set_err(err, err_len, NULL, "out of memory");
        goto cleanup;
    }
    f->data = data;
    f->size = size;
    st = etl_open_common(f, NULL, err, err_len);
    if (st == ETL_OK) {
        *out = f;
        f = NULL;
    }
cleanup:
    etl_close(f);
    return st;
}

etl_status etl_open_shared(const etl_file *f, etl_file **out)
{
    etl_file *c;
    etl_status st = ETL_E_NOMEM;

    if (!f || !out)
        return ETL_E_ARG;
    c = calloc(1, sizeof *c);
    if (!c)
        goto cleanup;
    /* mapped stays 0: the mapping is f's, which etl_close(f) unmaps */
    c->data = f->data;
    c->size = f->size;
    c->hdr = f->hdr;
    c->tc = f->tc;
    c->nbufs = f->nbufs;
    c->ncompressed = f->ncompressed;
    c->bufs = malloc((f->nbufs ? f->nbufs : 1) * sizeof *c->bufs);
    if (!c->bufs || etl_reader_state(c) != 0)
        goto cleanup;
    memcpy(c->bufs, f->bufs, (size_t)f->nbufs * sizeof *c->bufs);
    *out = c;
    c = NULL;
    st = ETL_OK;
cleanup:
    etl_close(c);
    return st;
}

const etl_header *etl_get_header(const etl_file *f)
{
    return &f->hdr;
}

uint64_t etl_file_size(const etl_file *f)
{
    return f->size;
}

uint32_t etl_buffer_count(const etl_file *f)
{
    return f->nbufs;
}

const etl_buffer_info *etl_buffer_at(const etl_file *f, uint32_t index)
{
    return index < f->nbufs ? &f->bufs[index] : NULL;
}

uint32_t etl_compressed_buffer_count(const etl_file *f)
{
    return f->ncompressed;
}

size_t etl_diag_count(const etl_file *f)
{
    return f->ndiags;
}

const etl_diag *etl_diag_at(const etl_file *f, size_t index)
{
    return index < f->ndiags ? &f->diags[index] : NULL;
}

uint64_t etl_payload_file_offset(const etl_file *f, uint32_t bi, uint32_t off)
{
    const etl_buffer_info *b = &f->bufs[bi];
    /* A compressed buffer's payload is not in the file: name the buffer itself. */
    return b->compressed ? b->file_offset : b->file_offset + ETL_BUFFER_HEADER_SIZE + off;
}

/* ---- decompressed-buffer cache -------------------------------------------------------------- */

static void etl_cache_evict(etl_file *f, uint64_t need)
{
    while (f->cache_bytes + need > f->cache_limit) {
        uint32_t i, victim = UINT32_MAX;
        for (i = 0; i < f->nslots; i++) {
            if (f->slots[i].pins == 0 && (victim == UINT32_MAX || f->slots[i].tick < f->slots[victim].tick))
                victim = i;
        }
        if (victim == UINT32_MAX)
            return; /* everything left is in use */
        f->cache_bytes -= f->slots[victim].len;
        f->slot_of[f->slots[victim].buf] = -1;
        free(f->slots[victim].data);
        f->slots[victim] = f->slots[--f->nslots];
        if (victim < f->nslots)
            f->slot_of[f->slots[victim].buf] = (int32_t)victim;
    }
}

void etl_set_cache_limit(etl_file *f, uint64_t bytes)
{
    f->cache_limit = bytes;
    etl_cache_evict(f, 0);
}

static int etl_decompress(etl_file *f, uint32_t bi)
{
    etl_buffer_info *b = &f->bufs[bi];
    size_t got = 0;
    int rc = -1;
    etl_cache_slot *s;

    if (f->nslots == f->cap_slots) {
        uint32_t cap = f->cap_slots ? f->cap_slots * 2 : 16;
        etl_cache_slot *n = realloc(f->slots, (size_t)cap * sizeof *n);
        if (!n) {
            etl_diag_add(f, b->file_offset, "out of memory decompressing a buffer");
            goto cleanup;
        }
        f->slots = n;
        f->cap_slots = cap;
    }
    etl_cache_evict(f, b->payload_len);
    /* f->pending, not a local: an I/O error inside xca_decompress leaves through plat_guarded,
     * and the caller frees what was in flight. */
    f->pending = malloc(b->payload_len ? b->payload_len : 1);
    if (!f->pending) {
        etl_diag_add(f, b->file_offset, "out of memory decompressing a buffer");
        goto cleanup;
    }
    if (xca_decompress(f->data + b->file_offset + ETL_BUFFER_HEADER_SIZE, b->size - ETL_BUFFER_HEADER_SIZE,
                       f->pending, b->payload_len, &got) != 0) {
        etl_diag_add(f, b->file_offset, "compressed buffer does not decompress (expected %u bytes)",
                     b->payload_len);
        goto cleanup;
    }
    if (got != b->payload_len) {
        etl_diag_add(f, b->file_offset, "compressed buffer decompresses to %llu bytes, expected %u",
                     (unsigned long long)got, b->payload_len);
        goto cleanup;
    }
    s = &f->slots[f->nslots];
    s->data = f->pending;
    f->pending = NULL;
    s->buf = bi;
    s->len = b->payload_len;
    s->pins = 0;
    s->tick = ++f->tick;
    f->slot_of[bi] = (int32_t)f->nslots++;
    f->cache_bytes += s->len;
    rc = 0;
cleanup:
    free(f->pending);
    f->pending = NULL;
    return rc;
}

int etl_payload_acquire(etl_file *f, uint32_t bi, const uint8_t **pl, uint32_t *len)
{
    const etl_buffer_info *b = &f->bufs[bi];
    etl_cache_slot *s;

    if (f->bstate[bi] & ETL_BS_BAD)
        return -1;
    if (b->payload_len == 0)
        return -1;
    if (!b->compressed) {
        *pl = f->data + b->file_offset + ETL_BUFFER_HEADER_SIZE;
        *len = b->payload_len;
        return 0;
    }
    if (f->slot_of[bi] < 0 && etl_decompress(f, bi) != 0) {
        f->bstate[bi] |= ETL_BS_BAD;
        return -1;
    }
    s = &f->slots[f->slot_of[bi]];
    s->pins++;
    s->tick = ++f->tick;
    *pl = s->data;
    *len = s->len;
    return 0;
}

void etl_payload_release(etl_file *f, uint32_t bi)
{
    if (f->bufs[bi].compressed && f->slot_of[bi] >= 0) {
        etl_cache_slot *s = &f->slots[f->slot_of[bi]];
        if (s->pins)
            s->pins--;
        etl_cache_evict(f, 0);
    }
}
