/*
 * test_etl_synth.c - the reader on files made here, byte by byte: the 32-bit logfile header typed
 * by hand from etl-format.md's x86 column; every record header type with known field values; time
 * order across processors and a wrapped circular log; every kind of corruption (empty, not an
 * .etl, truncated at every length, garbage buffers and records, sizes pointing outside, a
 * decompression that does not give the promised size, unfinished headers, an I/O error behind the
 * mapping); time conversion for clock types 1/2/3 with exact values and huge raw values; time zone
 * (DST) formatting; GUID text.
 */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L /* truncate */
#endif
#include "check.h"
#include "wsk/etl.h"
#include "wsk/plat.h"
#include "wsk/xca.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if !defined(_WIN32)
#include <unistd.h>
#endif

/* ---- a test-side builder ------------------------------------------------------------------------- */

typedef struct bld {
    uint8_t *p;
    size_t len, cap;
    size_t bstart;   /* offset of the open buffer */
    size_t last_end; /* end of the last record, before its alignment padding */
    uint32_t bsize;
} bld;

static void need(bld *b, size_t n)
{
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2 + 256;
        b->p = realloc(b->p, b->cap);
    }
}
static void put(bld *b, const void *d, size_t n)
{
    need(b, n);
    memcpy(b->p + b->len, d, n);
    b->len += n;
}
static void put8(bld *b, uint8_t v) { put(b, &v, 1); }
static void put16(bld *b, uint16_t v) { put8(b, (uint8_t)v); put8(b, (uint8_t)(v >> 8)); }
static void put32(bld *b, uint32_t v) { put16(b, (uint16_t)v); put16(b, (uint16_t)(v >> 16)); }
static void put64(bld *b, uint64_t v) { put32(b, (uint32_t)v); put32(b, (uint32_t)(v >> 32)); }
static void zeros(bld *b, size_t n) { need(b, n); memset(b->p + b->len, 0, n); b->len += n; }
static void set16(bld *b, size_t at, uint16_t v) { b->p[at] = (uint8_t)v; b->p[at + 1] = (uint8_t)(v >> 8); }
static void set32(bld *b, size_t at, uint32_t v) { set16(b, at, (uint16_t)v); set16(b, at + 2, (uint16_t)(v >> 16)); }
static void putguid(bld *b, const etl_guid *g) { put32(b, g->data1); put16(b, g->data2); put16(b, g->data3); put(b, g->data4, 8); }
static void putwstr(bld *b, const char *s)
{
    while (*s)
        put16(b, (uint8_t)*s++);
    put16(b, 0);
}

static void buf_begin(bld *b, uint32_t size, uint16_t cpu, int64_t seq, uint16_t flags, uint16_t type)
{
    b->bstart = b->len;
    b->bsize = size;
    put32(b, size);
    zeros(b, 0x14);
    put64(b, (uint64_t)seq);
    zeros(b, 8);
    put16(b, cpu);
    put16(b, 0);
    put32(b, 3);
    put32(b, 0);
    put16(b, flags);
    put16(b, type);
    zeros(b, 16);
}

static void buf_end(bld *b)
{
    uint32_t used = (uint32_t)(b->len - b->bstart);
    set32(b, b->bstart + 4, used);
    set32(b, b->bstart + 0x30, used);
    need(b, b->bsize - used);
    memset(b->p + b->len, 0xFF, b->bsize - used);
    b->len = b->bstart + b->bsize;
}

static void rec_pad(bld *b, size_t start)
{
    size_t n = b->len - start;
    b->last_end = b->len;
    zeros(b, ((n + 7) & ~(size_t)7) - n);
}

/* 64-bit logfile header record (x64 column of etl-format.md). */
typedef struct lfh {
    int64_t ref;
    uint64_t start, end, perf_freq;
    uint32_t clock, mhz, buffers_written, mode, cpus;
} lfh;

static void rec_logfile64(bld *b, const lfh *h)
{
    size_t s = b->len;
    put16(b, 2);
    put8(b, 2);
    put8(b, 0xC0);
    put16(b, 0); /* size, set below */
    put16(b, 0); /* hook 0 */
    put32(b, 11);
    put32(b, 22);
    put64(b, (uint64_t)h->ref);
    put64(b, 0);
    put32(b, 4096);            /* BufferSize */
    put32(b, 0x0501000a);
    put32(b, 22631);
    put32(b, h->cpus);
    put64(b, h->end);
    put32(b, 156250);
    put32(b, 0);
    put32(b, h->mode);
    put32(b, h->buffers_written);
    put32(b, 1);
    put32(b, 8);
    put32(b, 0);
    put32(b, h->mhz);
    put64(b, 0);
    put64(b, 0);
    zeros(b, 0xAC);            /* time zone */
    zeros(b, 4);               /* pad */
    put64(b, 0);               /* boot */
    put64(b, h->perf_freq);
    put64(b, h->start);
    put32(b, h->clock);
    put32(b, 0);
    putwstr(b, "Synth");
    putwstr(b, "synth.etl");
    set16(b, s + 4, (uint16_t)(b->len - s));
    rec_pad(b, s);
}

static const etl_guid prov_a = {0x30d25124, 0xa468, 0x505c, {0xde, 0x82, 0x84, 0x11, 0x64, 0x6e, 0xb8, 0xb5}};
static const etl_guid prov_b = {0xe53c6823, 0x7bb8, 0x44bb, {0x90, 0xdc, 0x3f, 0x86, 0x09, 0x0d, 0x48, 0xa6}};

typedef struct ext_spec {
    uint16_t type, size;
    const uint8_t *data;
} ext_spec;

static void rec_event(bld *b, uint8_t type, uint32_t tid, uint32_t pid, int64_t raw, const etl_guid *g, uint16_t id,
                      const ext_spec *ext, int next, const void *data, uint16_t dlen)
{
    size_t s = b->len;
    int i;
    put16(b, 0);
    put8(b, type);
    put8(b, 0xC0);
    put16(b, (uint16_t)(next ? 1 : 0));
    put16(b, 0);
    put32(b, tid);
    put32(b, pid);
    put64(b, (uint64_t)raw);
    putguid(b, g);
    put16(b, id);
    put8(b, 3);  /* version */
    put8(b, 16); /* channel */
    put8(b, 4);  /* level */
    put8(b, 12); /* opcode */
    put16(b, 0x1234);
    put64(b, 0x8000000000000010ull);
    put64(b, 0);
    putguid(b, &prov_b); /* activity id */
    for (i = 0; i < next; i++) {
        uint16_t total = (uint16_t)((8 + ext[i].size + 7) & ~7);
        size_t xs = b->len;
        put16(b, total);
        put16(b, ext[i].type);
        put16(b, (uint16_t)(i + 1 < next ? 1 : 0));
        put16(b, ext[i].size);
        put(b, ext[i].data, ext[i].size);
        zeros(b, total - (b->len - xs));
    }
    put(b, data, dlen);
    set16(b, s, (uint16_t)(b->len - s));
    rec_pad(b, s);
}

static void rec_kernel(bld *b, uint8_t type, uint16_t vw, uint16_t hook, uint32_t tid, uint32_t pid, int64_t raw,
                       const uint64_t *extras, int nextras, const void *data, uint16_t dlen)
{
    size_t s = b->len;
    int i;
    put16(b, vw);
    put8(b, type);
    put8(b, 0xC0);
    put16(b, 0);
    put16(b, hook);
    if (type >= 0x10) { /* PERFINFO */
        put64(b, (uint64_t)raw);
    } else {
        put32(b, tid);
        put32(b, pid);
        put64(b, (uint64_t)raw);
        if (type <= 2)
            put64(b, 0); /* kernel/user time: SYSTEM only */
    }
    for (i = 0; i < nextras; i++)
        put64(b, extras[i]);
    put(b, data, dlen);
    set16(b, s + 4, (uint16_t)(b->len - s));
    rec_pad(b, s);
}

static void rec_classic(bld *b, uint8_t type, uint32_t tid, uint32_t pid, int64_t raw, const etl_guid *g,
                        const void *data, uint16_t dlen)
{
    size_t s = b->len;
    put16(b, 0);
    put8(b, type);
    put8(b, 0xC0);
    put8(b, 0x21); /* Class.Type */
    put8(b, 5);    /* Class.Level */
    put16(b, 2);   /* Class.Version */
    put32(b, tid);
    put32(b, pid);
    put64(b, (uint64_t)raw);
    putguid(b, g);
    put64(b, 0);
    if (type == 0x0B || type == 0x15) {
        put32(b, 77);
        put32(b, 66);
        putguid(b, &prov_a);
    }
    put(b, data, dlen);
    set16(b, s, (uint16_t)(b->len - s));
    rec_pad(b, s);
}

static void rec_message(bld *b, uint16_t flags, uint16_t num, int64_t raw, uint32_t tid, uint32_t pid,
                        const void *data, uint16_t dlen)
{
    size_t s = b->len;
    put16(b, 0);
    put8(b, 0);
    put8(b, 0x90);
    put16(b, num);
    put16(b, flags);
    if (flags & 0x01)
        put32(b, 4242);
    if (flags & 0x04)
        put32(b, 99);
    else if (flags & 0x02)
        putguid(b, &prov_b);
    if (flags & 0x18)
        put64(b, (uint64_t)raw);
    if (flags & 0x20) {
        put32(b, tid);
        put32(b, pid);
    }
    put(b, data, dlen);
    set16(b, s, (uint16_t)(b->len - s));
    rec_pad(b, s);
}

#define REF_RAW 1000000
#define START_FT 133000000000000000ull

/* A small valid file: header buffer + one buffer holding one record of every kind (file order =
 * time order here). ends: each data record's aligned end (the next one's start) in the file; tends:
 * its true end. */
static bld make_small(size_t *ends, size_t *tends, int *nends)
{
    bld b;
    lfh h;
    static const uint8_t act[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    static const uint8_t key[8] = {0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01};
    static const uint8_t data[12] = {'h', 'e', 'l', 'l', 'o', 0, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF};
    ext_spec ext[2];
    uint64_t extras[3] = {0x1111, 0x2222, 0x3333};
    int k = 0;
    memset(&b, 0, sizeof b);
    memset(&h, 0, sizeof h);
    h.ref = REF_RAW;
    h.start = START_FT;
    h.end = START_FT + 50000000;
    h.perf_freq = 10000000;
    h.clock = 1;
    h.mhz = 3000;
    h.buffers_written = 2;
    h.cpus = 2;
    buf_begin(&b, 4096, 0, 0, 0x21, 4);
    rec_logfile64(&b, &h);
    buf_end(&b);

    buf_begin(&b, 4096, 1, 1, 0x20, 0);
    ext[0].type = ETL_EXT_RELATED_ACTIVITYID;
    ext[0].size = 16;
    ext[0].data = act;
    ext[1].type = ETL_EXT_PROCESS_START_KEY;
    ext[1].size = 8;
    ext[1].data = key;
    rec_event(&b, 0x13, 100, 200, REF_RAW + 10, &prov_a, 7, ext, 2, data, 5);
    tends[k] = b.last_end;
    ends[k++] = b.len;
    rec_event(&b, 0x12, 101, 201, REF_RAW + 20, &prov_b, 8, NULL, 0, data, 12);
    tends[k] = b.last_end;
    ends[k++] = b.len;
    rec_kernel(&b, 0x02, 3, 0x0301, 102, 202, REF_RAW + 30, NULL, 0, data, 8);
    tends[k] = b.last_end;
    ends[k++] = b.len;
    rec_kernel(&b, 0x03, 2, 0x0524, 103, 203, REF_RAW + 40, NULL, 0, data, 4);
    tends[k] = b.last_end;
    ends[k++] = b.len;
    rec_kernel(&b, 0x11, 0x8202, 0x0F2E, 0, 0, REF_RAW + 50, extras, 3, data, 6);
    tends[k] = b.last_end;
    ends[k++] = b.len;
    rec_classic(&b, 0x14, 104, 204, REF_RAW + 60, &prov_b, data, 9);
    tends[k] = b.last_end;
    ends[k++] = b.len;
    rec_classic(&b, 0x0B, 105, 205, REF_RAW + 70, &prov_a, data, 3);
    tends[k] = b.last_end;
    ends[k++] = b.len;
    rec_message(&b, 0x00AB, 17, REF_RAW + 80, 106, 206, data, 10);
    tends[k] = b.last_end;
    ends[k++] = b.len;
    rec_message(&b, 0x0047, 18, 0, 0, 0, data, 2); /* component id + guid: the id wins; no timestamp */
    tends[k] = b.last_end;
    ends[k++] = b.len;
    {
        size_t s = b.len; /* ERROR record: only its size word is known */
        put16(&b, 16);
        put8(&b, 0x0D);
        put8(&b, 0xC0);
        zeros(&b, 12);
        b.last_end = b.len;
        (void)s;
    }
    tends[k] = b.last_end;
    ends[k++] = b.len;
    buf_end(&b);
    *nends = k;
    return b;
}

static size_t collect(etl_file *f, etl_order order, etl_event *out, size_t max)
{
    etl_iter *it = NULL;
    size_t n = 0;
    etl_event ev;
    if (etl_iter_create(f, order, &it) != ETL_OK)
        return 0;
    while (etl_iter_next(it, &ev)) {
        if (n < max)
            out[n] = ev;
        n++;
    }
    etl_iter_destroy(it);
    return n;
}

static void test_every_header_type(void)
{
    size_t ends[16], tends[16];
    int nends;
    bld b = make_small(ends, tends, &nends);
    etl_file *f = NULL;
    etl_event ev[16];
    size_t n;
    char g[37];
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (!f)
        return;
    CHECK_U64(etl_buffer_count(f), 2);
    CHECK_STR(etl_get_header(f)->logger_name, "Synth");
    CHECK_STR(etl_get_header(f)->log_file_name, "synth.etl");
    n = collect(f, ETL_ORDER_FILE, ev, 16);
    CHECK_U64(n, 11);
    CHECK_U64(etl_diag_count(f), 0);
    if (n != 11)
        goto cleanup;
    /* header record */
    CHECK_U64(ev[0].kind, ETL_KIND_SYSTEM);
    CHECK_U64(ev[0].hook_id, 0);
    CHECK_U64(ev[0].time, START_FT);
    etl_guid_format(&ev[0].provider, g);
    CHECK_STR(g, "68fdd900-4a3e-11d1-84f4-0000f80464e3");
    /* EVENT64 with two extended items */
    CHECK_U64(ev[1].kind, ETL_KIND_EVENT);
    CHECK_U64(ev[1].pointer_size, 8);
    CHECK_U64(ev[1].tid, 100);
    CHECK_U64(ev[1].pid, 200);
    CHECK_U64(ev[1].time, START_FT + 10);
    CHECK(etl_guid_equal(&ev[1].provider, &prov_a));
    CHECK(etl_guid_equal(&ev[1].activity_id, &prov_b));
    CHECK_U64(ev[1].id, 7);
    CHECK_U64(ev[1].version, 3);
    CHECK_U64(ev[1].channel, 16);
    CHECK_U64(ev[1].level, 4);
    CHECK_U64(ev[1].opcode, 12);
    CHECK_U64(ev[1].task, 0x1234);
    CHECK_U64(ev[1].keyword, 0x8000000000000010ull);
    CHECK_U64(ev[1].ext_count, 2);
    CHECK_U64(ev[1].ext[0].type, ETL_EXT_RELATED_ACTIVITYID);
    CHECK_U64(ev[1].ext[0].size, 16);
    CHECK_U64(ev[1].ext[0].data[15], 16);
    CHECK_U64(ev[1].ext[1].type, ETL_EXT_PROCESS_START_KEY);
    CHECK_U64(ev[1].ext[1].size, 8);
    CHECK_U64(ev[1].ext[1].data[7], 0x01);
    CHECK_U64(ev[1].data_len, 5);
    CHECK(memcmp(ev[1].data, "hello", 5) == 0);
    {
        etl_guid rel;
        uint64_t key = 0;
        CHECK(etl_ext_related_activity(&ev[1], &rel) == 0);
        etl_guid_format(&rel, g);
        CHECK_STR(g, "04030201-0605-0807-090a-0b0c0d0e0f10");
        CHECK(etl_ext_process_start_key(&ev[1], &key) == 0);
        CHECK_U64(key, 0x0123456789ABCDEFull);
        CHECK(etl_ext_find(&ev[1], ETL_EXT_EVENT_SCHEMA_TL) == NULL);
        CHECK_U64(etl_ext_stack(&ev[1], NULL, NULL, 0), 0);
        CHECK(etl_ext_related_activity(&ev[2], &rel) != 0);
    }
    CHECK_U64(ev[1].handle, (1ull << 32) | 0);
    /* EVENT32 without items */
    CHECK_U64(ev[2].pointer_size, 4);
    CHECK_U64(ev[2].ext_count, 0);
    CHECK_U64(ev[2].data_len, 12);
    CHECK_U64(ev[2].data[11], 0xFF);
    /* SYSTEM64, process group: the Process class GUID */
    CHECK_U64(ev[3].kind, ETL_KIND_SYSTEM);
    CHECK_U64(ev[3].hook_id, 0x0301);
    CHECK_U64(ev[3].opcode, 1);
    CHECK_U64(ev[3].version, 3);
    CHECK_U64(ev[3].pid, 202);
    CHECK_U64(ev[3].data_len, 8);
    etl_guid_format(&ev[3].provider, g);
    CHECK_STR(g, "3d6fa8d0-fe05-11d0-9dda-00c04fd7ba7c");
    /* COMPACT32, thread group */
    CHECK_U64(ev[4].kind, ETL_KIND_COMPACT);
    CHECK_U64(ev[4].pointer_size, 4);
    CHECK_U64(ev[4].tid, 103);
    CHECK_U64(ev[4].data_len, 4);
    etl_guid_format(&ev[4].provider, g);
    CHECK_STR(g, "3d6fa8d1-fe05-11d0-9dda-00c04fd7ba7c");
    /* PERFINFO64 with a PEBS index and 2 PMC counters before the data */
    CHECK_U64(ev[5].kind, ETL_KIND_PERFINFO);
    CHECK_U64(ev[5].hook_id, 0x0F2E);
    CHECK(!(ev[5].flags & ETL_EV_HAS_PID));
    CHECK_U64(ev[5].data_len, 6);
    CHECK(memcmp(ev[5].data, "hello", 5) == 0);
    CHECK_U64(ev[5].version, 2);
    etl_guid_format(&ev[5].provider, g);
    CHECK_STR(g, "ce1dbfb4-137e-4da6-87b0-3f59aa102cbc");
    /* FULL64 */
    CHECK_U64(ev[6].kind, ETL_KIND_FULL);
    CHECK_U64(ev[6].opcode, 0x21);
    CHECK_U64(ev[6].level, 5);
    CHECK_U64(ev[6].version, 2);
    CHECK_U64(ev[6].data_len, 9);
    CHECK(etl_guid_equal(&ev[6].provider, &prov_b));
    /* INSTANCE32 */
    CHECK_U64(ev[7].kind, ETL_KIND_INSTANCE);
    CHECK_U64(ev[7].pointer_size, 4);
    CHECK_U64(ev[7].instance_id, 77);
    CHECK_U64(ev[7].parent_instance_id, 66);
    CHECK(etl_guid_equal(&ev[7].parent_guid, &prov_a));
    CHECK_U64(ev[7].data_len, 3);
    /* MESSAGE with sequence, GUID, timestamp, system info, 64-bit pointers */
    CHECK_U64(ev[8].kind, ETL_KIND_MESSAGE);
    CHECK_U64(ev[8].header_type, 0x0F);
    CHECK_U64(ev[8].message_number, 17);
    CHECK_U64(ev[8].message_sequence, 4242);
    CHECK(etl_guid_equal(&ev[8].provider, &prov_b));
    CHECK_U64(ev[8].time, START_FT + 80);
    CHECK_U64(ev[8].tid, 106);
    CHECK_U64(ev[8].pid, 206);
    CHECK_U64(ev[8].pointer_size, 8);
    CHECK_U64(ev[8].data_len, 10);
    /* MESSAGE with component id (takes the GUID's place), no timestamp, 32-bit pointers */
    CHECK_U64(ev[9].component_id, 99);
    CHECK(!(ev[9].flags & ETL_EV_HAS_TIME));
    CHECK(!(ev[9].flags & ETL_EV_HAS_PROVIDER));
    CHECK_U64(ev[9].pointer_size, 4);
    CHECK_U64(ev[9].data_len, 2);
    /* ERROR */
    CHECK_U64(ev[10].kind, ETL_KIND_ERROR);
    CHECK_U64(ev[10].record_len, 16);
    {
        /* time order: the MESSAGE without a timestamp and the ERROR record keep their places */
        etl_event tev[16];
        size_t i;
        CHECK_U64(collect(f, ETL_ORDER_TIME, tev, 16), 11);
        for (i = 0; i < 11; i++)
            CHECK_U64(tev[i].handle, ev[i].handle);
    }
cleanup:
    etl_close(f);
    free(b.p);
}

static bld header_only(uint32_t mode);

/* More extended items than etl_event keeps, and a MESSAGE whose timestamp slot is reserved but not
 * valid (PERFTIMESTAMP without TIMESTAMP). */
static void test_many_ext_items(void)
{
    bld b = header_only(0);
    ext_spec ext[20];
    uint8_t one[20];
    etl_file *f = NULL;
    etl_event ev[4];
    int i;
    for (i = 0; i < 20; i++) {
        one[i] = (uint8_t)(0xA0 + i);
        ext[i].type = (uint16_t)(i + 1);
        ext[i].size = 1;
        ext[i].data = &one[i];
    }
    buf_begin(&b, 4096, 0, 1, 0x20, 0);
    rec_event(&b, 0x13, 1, 2, REF_RAW + 5, &prov_a, 9, ext, 20, "tail", 4);
    rec_message(&b, 0x0010, 3, 0x7777, 0, 0, "zz", 2);
    {
        /* STACK_TRACE32: match id then 32-bit addresses */
        static const uint8_t st32[20] = {1, 0, 0, 0, 0, 0, 0, 0, 0x10, 0x20, 0x30, 0x40, 0x11, 0x21, 0x31, 0x41,
                                         0x12, 0x22, 0x32, 0x42};
        ext_spec st;
        st.type = ETL_EXT_STACK_TRACE32;
        st.size = sizeof st32;
        st.data = st32;
        rec_event(&b, 0x12, 1, 2, REF_RAW + 6, &prov_a, 10, &st, 1, "", 0);
    }
    buf_end(&b);
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (f) {
        uint64_t match = 0, addrs[2];
        CHECK_U64(collect(f, ETL_ORDER_FILE, ev, 4), 4);
        CHECK_U64(etl_ext_stack(&ev[3], &match, addrs, 2), 3);
        CHECK_U64(match, 1);
        CHECK_U64(addrs[0], 0x40302010);
        CHECK_U64(addrs[1], 0x41312111);
        CHECK_U64(ev[1].ext_count, 20);
        CHECK_U64(ev[1].ext[15].type, 16);
        CHECK_U64(ev[1].ext[15].size, 1);
        CHECK_U64(ev[1].ext[15].data[0], 0xA0 + 15);
        CHECK_U64(ev[1].data_len, 4);
        CHECK(memcmp(ev[1].data, "tail", 4) == 0);
        CHECK(!(ev[2].flags & ETL_EV_HAS_TIME));
        CHECK_U64(ev[2].raw_time, 0);
        CHECK_U64(ev[2].data_len, 2);
        CHECK(memcmp(ev[2].data, "zz", 2) == 0);
        CHECK_U64(etl_diag_count(f), 0);
        etl_close(f);
    }
    free(b.p);
}

/* ---- the 32-bit logfile header, typed from the x86 column ---------------------------------------- */

#define B16(v) (uint8_t)((v) & 0xFF), (uint8_t)(((v) >> 8) & 0xFF)
#define B32(v) B16((v) & 0xFFFF), B16(((v) >> 16) & 0xFFFF)
#define B64(v) B32((uint32_t)((v) & 0xFFFFFFFFu)), B32((uint32_t)((uint64_t)(v) >> 32))
#define W4(a, b, c, d) B16(a), B16(b), B16(c), B16(d)

static const uint8_t lfh32_record[] = {
    /* SYSTEM_TRACE_HEADER: Version 2, HeaderType 1 (SYSTEM32), Flags 0xC0, Size 0x142, HookId 0 */
    0x02, 0x00, 0x01, 0xC0, B16(0x142), B16(0x0000),
    B32(0x1111), B32(0x2222),          /* ThreadId, ProcessId */
    B64(5000000),                      /* SystemTime: the reference raw stamp */
    B32(0), B32(0),                    /* KernelTime, UserTime */
    /* TRACE_LOGFILE_HEADER32 */
    B32(4096),                         /* 0x00 BufferSize */
    B32(0x0501000a),                   /* 0x04 Version */
    B32(7601),                         /* 0x08 ProviderVersion */
    B32(2),                            /* 0x0C NumberOfProcessors */
    B64(0x01d0000000000001ull),        /* 0x10 EndTime */
    B32(156250),                       /* 0x18 TimerResolution */
    B32(100),                          /* 0x1C MaximumFileSize */
    B32(2),                            /* 0x20 LogFileMode: circular */
    B32(2),                            /* 0x24 BuffersWritten */
    B32(1),                            /* 0x28 StartBuffers */
    B32(4),                            /* 0x2C PointerSize */
    B32(7),                            /* 0x30 EventsLost */
    B32(2000),                         /* 0x34 CpuSpeedInMHz */
    B32(0),                            /* 0x38 LoggerName (32-bit pointer) */
    B32(0),                            /* 0x3C LogFileName (32-bit pointer) */
    /* 0x40 TIME_ZONE_INFORMATION */
    B32(300),                          /* Bias */
    W4('E', 'S', 'T', 0), W4(0, 0, 0, 0), W4(0, 0, 0, 0), W4(0, 0, 0, 0), /* StandardName[32] */
    W4(0, 0, 0, 0), W4(0, 0, 0, 0), W4(0, 0, 0, 0), W4(0, 0, 0, 0),
    W4(0, 11, 0, 1), W4(2, 0, 0, 0),   /* StandardDate: first Sunday of November, 02:00 */
    B32(0),                            /* StandardBias */
    W4('E', 'D', 'T', 0), W4(0, 0, 0, 0), W4(0, 0, 0, 0), W4(0, 0, 0, 0), /* DaylightName[32] */
    W4(0, 0, 0, 0), W4(0, 0, 0, 0), W4(0, 0, 0, 0), W4(0, 0, 0, 0),
    W4(0, 3, 0, 2), W4(2, 0, 0, 0),    /* DaylightDate: second Sunday of March, 02:00 */
    B32(0xFFFFFFC4u),                  /* DaylightBias -60 */
    B32(0),                            /* 0xEC pad */
    B64(0x01d0000000000000ull),        /* 0xF0 BootTime */
    B64(3579545),                      /* 0xF8 PerfFreq */
    B64(0x01d0000012345678ull),        /* 0x100 StartTime */
    B32(1),                            /* 0x108 ReservedFlags = clock type */
    B32(3),                            /* 0x10C BuffersLost */
    W4('A', 'b', 0, 'c'), W4('.', 'e', 't', 'l'), B16(0), /* 0x110 "Ab", "c.etl" */
};

static const uint8_t buffer_header32[0x48] = {
    B32(4096), B32(0x48 + sizeof lfh32_record), B32(0), B32(0), /* BufferSize, SavedOffset, ... */
    B64(0), B64(0), B64(0),                                      /* TimeStamp, SequenceNumber, 0x20 */
    B16(0), B16(0), B32(3),                                      /* ProcessorIndex, LoggerId, State */
    B32(0x48 + sizeof lfh32_record), B16(0x21), B16(4),          /* Offset, BufferFlag, BufferType HEADER */
    B64(0), B64(0),
};

static void test_logfile_header_32(void)
{
    uint8_t file[4096];
    etl_file *f = NULL;
    const etl_header *h;
    etl_event ev[4];
    char text[64];
    CHECK_U64(sizeof lfh32_record, 0x142);
    memset(file, 0xFF, sizeof file);
    memcpy(file, buffer_header32, sizeof buffer_header32);
    memcpy(file + 0x48, lfh32_record, sizeof lfh32_record);
    CHECK(etl_open_memory(file, sizeof file, &f, NULL, 0) == ETL_OK);
    if (!f)
        return;
    h = etl_get_header(f);
    CHECK(!h->is64);
    CHECK_U64(h->buffer_size, 4096);
    CHECK_U64(h->version, 0x0501000a);
    CHECK_U64(h->build, 7601);
    CHECK_U64(h->cpus, 2);
    CHECK_U64(h->end_time, 0x01d0000000000001ull);
    CHECK_U64(h->timer_resolution, 156250);
    CHECK_U64(h->max_file_size, 100);
    CHECK_U64(h->log_file_mode, 2);
    CHECK_U64(h->buffers_written, 2);
    CHECK_U64(h->start_buffers, 1);
    CHECK_U64(h->pointer_size, 4);
    CHECK_U64(h->events_lost, 7);
    CHECK_U64(h->cpu_speed_mhz, 2000);
    CHECK_U64(h->tz.bias, 300);
    CHECK_STR(h->tz.standard_name, "EST");
    CHECK_STR(h->tz.daylight_name, "EDT");
    CHECK_U64(h->tz.standard_date.month, 11);
    CHECK_U64(h->tz.daylight_date.day, 2);
    CHECK_U64(h->tz.daylight_bias, (uint64_t)(int64_t)-60);
    CHECK_U64(h->boot_time, 0x01d0000000000000ull);
    CHECK_U64(h->perf_freq, 3579545);
    CHECK_U64(h->start_time, 0x01d0000012345678ull);
    CHECK_U64(h->clock_type, 1);
    CHECK_U64(h->buffers_lost, 3);
    CHECK_U64(h->ref_raw, 5000000);
    CHECK_STR(h->logger_name, "Ab");
    CHECK_STR(h->log_file_name, "c.etl");
    CHECK_U64(collect(f, ETL_ORDER_TIME, ev, 4), 1);
    CHECK_U64(ev[0].pointer_size, 4);
    CHECK_U64(ev[0].data_len, 0x122);
    /* the odd frequency: one second of ticks is exactly 10^7 units; one tick truncates to 2 */
    CHECK_U64(etl_raw_to_filetime(h, 5000000 + 3579545), 0x01d0000012345678ull + 10000000);
    CHECK_U64(etl_raw_to_filetime(h, 5000001), 0x01d0000012345678ull + 2);
    CHECK_U64(etl_raw_to_filetime(h, 5000000 - 3579545), 0x01d0000012345678ull - 10000000);
    /* circular: BuffersWritten (2) is no count of the buffers in the file (1), so no diagnostic */
    CHECK_U64(etl_diag_count(f), 0);
    etl_format_time(h, ETL_ZONE_TRACE, 134041374190000000ull, text, sizeof text);
    CHECK_STR(text, "2025-10-05 07:30:19.0000000-04:00");
    etl_close(f);
}

/* ---- time order, wrapped circular logs ------------------------------------------------------------- */

/* cpu c buffer with sequence seq holding events at the given raw times. */
static void data_buffer(bld *b, uint16_t cpu, int64_t seq, const int64_t *raws, int n)
{
    int i;
    buf_begin(b, 1024, cpu, seq, 0x20, 0);
    for (i = 0; i < n; i++)
        rec_event(b, 0x13, cpu, 1, raws[i], &prov_a, (uint16_t)i, NULL, 0, "x", 1);
    buf_end(b);
}

static bld header_only(uint32_t mode)
{
    bld b;
    lfh h;
    memset(&b, 0, sizeof b);
    memset(&h, 0, sizeof h);
    h.ref = REF_RAW;
    h.start = START_FT;
    h.end = 0;
    h.perf_freq = 10000000;
    h.clock = 1;
    h.cpus = 2;
    h.mode = mode;
    buf_begin(&b, 1024, 0, 0, 0x21, 4);
    rec_logfile64(&b, &h);
    buf_end(&b);
    return b;
}

static void test_time_order(void)
{
    /* circular log that wrapped: in the file, each cpu's newest buffers were written over the
     * oldest slots, so the file order of sequence numbers is rotated (cpu0: 7 5 6, cpu1: 8 4). */
    bld b = header_only(2);
    static const int64_t c0_s5[] = {REF_RAW + 100, REF_RAW + 110}, c0_s6[] = {REF_RAW + 200, REF_RAW + 260},
                         c0_s7[] = {REF_RAW + 300}, c1_s4[] = {REF_RAW + 105, REF_RAW + 250},
                         c1_s8[] = {REF_RAW + 255, REF_RAW + 400};
    static const int64_t expect[] = {100, 105, 110, 200, 250, 255, 260, 300, 400};
    etl_file *f = NULL;
    etl_event ev[16];
    size_t n, i;
    data_buffer(&b, 0, 7, c0_s7, 1);
    data_buffer(&b, 1, 8, c1_s8, 2);
    data_buffer(&b, 0, 5, c0_s5, 2);
    data_buffer(&b, 0, 6, c0_s6, 2);
    data_buffer(&b, 1, 4, c1_s4, 2);
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (!f)
        goto cleanup;
    n = collect(f, ETL_ORDER_TIME, ev, 16);
    CHECK_U64(n, 10);
    CHECK_U64(ev[0].hook_id, 0);
    CHECK_U64(ev[0].kind, ETL_KIND_SYSTEM);
    for (i = 1; i < n && i < 10; i++)
        CHECK_U64(ev[i].raw_time - REF_RAW, expect[i - 1]);
    CHECK_U64(ev[1].cpu, 0);
    CHECK_U64(ev[2].cpu, 1);
    /* file order is the order of the file */
    n = collect(f, ETL_ORDER_FILE, ev, 16);
    CHECK_U64(n, 10);
    CHECK_U64(ev[1].raw_time - REF_RAW, 300);
    CHECK_U64(ev[2].raw_time - REF_RAW, 255);
    CHECK_U64(etl_diag_count(f), 0);
    /* unfinished: EndTime 0 and BuffersWritten 0 do not stop the walk */
    CHECK_U64(etl_get_header(f)->end_time, 0);
    CHECK_U64(etl_buffer_count(f), 6);
    etl_close(f);
cleanup:
    free(b.p);
}

/* Many processors, each with a buffer whose second record is broken inside (a bad extended item):
 * the walk skips those records while buffers from earlier batches are left behind, and every good
 * record still arrives in time order. */
static void test_many_streams_skipped_records(void)
{
    bld b = header_only(0);
    static const uint8_t one = 0x11;
    ext_spec x;
    etl_file *f = NULL;
    etl_event ev[128];
    size_t n, i;
    uint16_t cpu;
    x.type = ETL_EXT_EVENT_KEY;
    x.size = 1;
    x.data = &one;
    for (cpu = 0; cpu < 40; cpu++) {
        size_t bad;
        buf_begin(&b, 1024, cpu, 2 * cpu + 1, 0x20, 0);
        rec_event(&b, 0x13, cpu, 1, REF_RAW + cpu, &prov_a, 1, NULL, 0, "a", 1);
        bad = b.len;
        rec_event(&b, 0x13, cpu, 1, REF_RAW + 1000 + cpu, &prov_a, 2, &x, 1, "b", 1);
        set16(&b, bad + 0x50, 0x7FF8); /* the item's size points far outside the record */
        buf_end(&b);
        buf_begin(&b, 1024, cpu, 2 * cpu + 2, 0x20, 0);
        rec_event(&b, 0x13, cpu, 1, REF_RAW + 2000 + cpu, &prov_a, 3, NULL, 0, "c", 1);
        buf_end(&b);
    }
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (f) {
        n = collect(f, ETL_ORDER_TIME, ev, 128);
        CHECK_U64(n, 1 + 80);
        for (i = 1; i < n && i < 128; i++)
            CHECK_U64(ev[i].raw_time - REF_RAW, i <= 40 ? i - 1 : 2000 + (i - 41));
        CHECK_U64(etl_diag_count(f), 40);
        etl_close(f);
    }
    free(b.p);
}

/* ---- bad files ------------------------------------------------------------------------------------ */

static void expect_open_fails(const void *data, size_t len, etl_status want)
{
    etl_file *f = (etl_file *)&f; /* must stay untouched */
    etl_file *const sentinel = f;
    char err[256] = "";
    CHECK_U64(etl_open_memory(data, len, &f, err, sizeof err), want);
    CHECK(f == sentinel);
    CHECK(err[0] != '\0');
}

static void test_not_an_etl(void)
{
    uint8_t junk[8192];
    static const char text[] = "This is a text file, not an event trace log.\nSecond line.\n";
    uint8_t pe[1024];
    uint32_t x = 12345;
    size_t i;
    expect_open_fails(NULL, 0, ETL_E_EMPTY);
    for (i = 0; i < sizeof junk; i++) {
        x = x * 1103515245u + 12345u;
        junk[i] = (uint8_t)(x >> 16);
    }
    expect_open_fails(junk, sizeof junk, ETL_E_FORMAT);
    expect_open_fails(text, sizeof text - 1, ETL_E_FORMAT);
    memset(pe, 0, sizeof pe);
    pe[0] = 'M';
    pe[1] = 'Z';
    pe[0x3C] = 0x80;
    memcpy(pe + 0x80, "PE\0\0", 4);
    expect_open_fails(pe, sizeof pe, ETL_E_FORMAT);
    {
        /* a missing file: the error names it */
        char path[512], err[512] = "";
        etl_file *f = NULL;
        snprintf(path, sizeof path, "%s/no-such-file.etl", check_tmp_dir());
        CHECK_U64(etl_open(path, &f, err, sizeof err), ETL_E_IO);
        CHECK(strstr(err, "no-such-file.etl") != NULL);
        CHECK(f == NULL);
    }
    {
        /* an empty file on disk */
        char path[512], err[512] = "";
        etl_file *f = NULL;
        FILE *fp;
        snprintf(path, sizeof path, "%s/empty.etl", check_tmp_dir());
        fp = fopen(path, "wb");
        CHECK(fp != NULL);
        if (fp)
            fclose(fp);
        CHECK_U64(etl_open(path, &f, err, sizeof err), ETL_E_EMPTY);
        CHECK(strstr(err, "empty.etl") != NULL);
        remove(path);
    }
}

/* Walks everything the reader offers (both orders, every handle again); returns records seen. */
static size_t exercise(etl_file *f)
{
    etl_iter *it = NULL;
    etl_event ev, again;
    size_t n = 0, m = 0;
    CHECK(etl_iter_create(f, ETL_ORDER_TIME, &it) == ETL_OK);
    while (it && etl_iter_next(it, &ev)) {
        n++;
        CHECK(etl_event_get(f, ev.handle, &again) == ETL_OK);
        CHECK_U64(again.record_len, ev.record_len);
    }
    etl_iter_destroy(it);
    CHECK(etl_iter_create(f, ETL_ORDER_FILE, &it) == ETL_OK);
    while (it && etl_iter_next(it, &ev))
        m++;
    etl_iter_destroy(it);
    CHECK_U64(m, n);
    return n;
}

static void test_truncated_everywhere(void)
{
    size_t ends[16], tends[16], cut, whole_at_least;
    int nends, k;
    bld b = make_small(ends, tends, &nends);
    /* the logfile header's fixed part (x64): what must be there for the file to open */
    size_t header_end = 0x48 + 0x20 + 0x118;
    size_t header_record_end = 0x48 + (size_t)(b.p[0x4C] | b.p[0x4D] << 8);
    for (cut = 1; cut <= b.len; cut++) {
        etl_file *f = NULL;
        char err[256] = "";
        uint8_t *copy = malloc(cut); /* exact size, so ASan sees any read past the cut */
        etl_status st;
        memcpy(copy, b.p, cut);
        st = etl_open_memory(copy, cut, &f, err, sizeof err);
        if (cut < header_end) {
            CHECK_U64(st, ETL_E_FORMAT);
            CHECK(err[0] != '\0');
        } else {
            size_t n;
            CHECK_U64(st, ETL_OK);
            if (f) {
                n = exercise(f);
                whole_at_least = cut >= header_record_end;
                for (k = 0; k < nends; k++)
                    if (tends[k] <= cut)
                        whole_at_least++;
                CHECK_U64(n, whole_at_least);
                if (cut < b.len)
                    CHECK(etl_diag_count(f) > 0);
                else
                    CHECK_U64(etl_diag_count(f), 0);
                etl_close(f);
            }
        }
        free(copy);
    }
    free(b.p);
}

static void test_garbage(void)
{
    size_t ends[16], tends[16];
    int nends;
    etl_file *f;
    size_t n;
    bld b;

    /* garbage buffer header between two good buffers: skipped by the session's buffer size */
    {
        bld g = header_only(0);
        static const int64_t r1[] = {REF_RAW + 1}, r2[] = {REF_RAW + 2};
        data_buffer(&g, 0, 1, r1, 1);
        buf_begin(&g, 1024, 0, 2, 0x20, 0);
        buf_end(&g);
        memset(g.p + g.len - 1024, 0x5A, 1024);
        data_buffer(&g, 0, 3, r2, 1);
        set32(&g, 0x68, 1024); /* the logfile header's BufferSize */
        f = NULL;
        CHECK(etl_open_memory(g.p, g.len, &f, NULL, 0) == ETL_OK);
        if (f) {
            CHECK_U64(exercise(f), 3);
            CHECK(etl_diag_count(f) >= 1);
            CHECK_U64(etl_diag_at(f, 0)->offset, 2048);
            etl_close(f);
        }
        free(g.p);
    }
    /* garbage record: the records before it are kept, the rest of that buffer is reported */
    b = make_small(ends, tends, &nends);
    set32(&b, ends[2], 0x12345678);
    f = NULL;
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (f) {
        n = exercise(f);
        CHECK_U64(n, 1 + 3);
        CHECK_U64(etl_diag_count(f), 1);
        CHECK_U64(etl_diag_at(f, 0)->offset, ends[2]);
        etl_close(f);
    }
    free(b.p);
    /* record size pointing past the valid bytes */
    b = make_small(ends, tends, &nends);
    set16(&b, ends[0], 0xFFF0);
    f = NULL;
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (f) {
        CHECK_U64(exercise(f), 2);
        CHECK_U64(etl_diag_count(f), 1);
        etl_close(f);
    }
    free(b.p);
    /* an extended item whose size points outside its record: that record is skipped, the walk goes on */
    b = make_small(ends, tends, &nends);
    set16(&b, 4096 + 0x48 + 0x50, 0x7FF8);
    f = NULL;
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (f) {
        CHECK_U64(exercise(f), 10);
        CHECK_U64(etl_diag_count(f), 1);
        etl_close(f);
    }
    free(b.p);
    /* SavedOffset beyond the buffer, buffer size beyond the file */
    b = make_small(ends, tends, &nends);
    set32(&b, 4096 + 4, 9000);
    f = NULL;
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (f) {
        exercise(f);
        CHECK(etl_diag_count(f) >= 1);
        etl_close(f);
    }
    set32(&b, 4096 + 4, 4096);
    set32(&b, 4096, 0x7FFFFFF0);
    f = NULL;
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (f) {
        exercise(f);
        CHECK(etl_diag_count(f) >= 1);
        etl_close(f);
    }
    free(b.p);
    /* zero buffer size at the second buffer, no stride known: the rest is skipped, reported */
    b = make_small(ends, tends, &nends);
    set32(&b, 4096, 0);
    set32(&b, 0x68, 0);
    f = NULL;
    CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
    if (f) {
        CHECK_U64(exercise(f), 1);
        CHECK_U64(etl_diag_count(f), 2); /* and: BuffersWritten 2, 1 in the file */
        CHECK_U64(etl_diag_at(f, 0)->offset, 4096);
        etl_close(f);
    }
    free(b.p);
}

/* Builds a file whose second buffer is compressed; promise = SavedOffset to write. */
static bld compressed_file(int promise_delta, int corrupt_stream)
{
    size_t ends[16], tends[16], got = 0;
    int nends;
    bld src = make_small(ends, tends, &nends), out;
    uint32_t so;
    size_t plen, cap;
    uint8_t *z;
    memcpy(&so, src.p + 4096 + 4, 4);
    plen = so - 0x48;
    cap = xca_compress_bound(plen);
    z = malloc(cap);
    CHECK(xca_compress(src.p + 4096 + 0x48, plen, z, cap, &got) == 0);
    if (corrupt_stream)
        memset(z + got / 2, 0xFF, got - got / 2);
    memset(&out, 0, sizeof out);
    put(&out, src.p, 4096);
    put(&out, src.p + 4096, 0x48);
    put(&out, z, got);
    set32(&out, 4096, (uint32_t)(0x48 + got));
    set32(&out, 4096 + 4, (uint32_t)((int)so + promise_delta));
    set32(&out, 4096 + 0x30, (uint32_t)((int)so + promise_delta));
    set16(&out, 4096 + 0x34, 0x60);
    free(z);
    free(src.p);
    return out;
}

static void test_compressed(void)
{
    int delta;
    for (delta = -8; delta <= 8; delta += 8) {
        bld b = compressed_file(delta, 0);
        etl_file *f = NULL;
        CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
        if (f) {
            CHECK_U64(etl_compressed_buffer_count(f), 1);
            etl_set_cache_limit(f, 0); /* at least the buffer in use is kept */
            if (delta == 0) {
                CHECK_U64(exercise(f), 11);
                CHECK_U64(etl_diag_count(f), 0);
            } else {
                CHECK_U64(exercise(f), 1);
                CHECK_U64(etl_diag_count(f), 1);
                CHECK(strstr(etl_diag_at(f, 0)->reason, "decompress") != NULL);
                CHECK_U64(etl_diag_at(f, 0)->offset, 4096);
            }
            etl_close(f);
        }
        free(b.p);
    }
    {
        bld b = compressed_file(0, 1);
        etl_file *f = NULL;
        CHECK(etl_open_memory(b.p, b.len, &f, NULL, 0) == ETL_OK);
        if (f) {
            exercise(f);
            CHECK(etl_diag_count(f) >= 1);
            etl_close(f);
        }
        free(b.p);
    }
}

#if !defined(_WIN32)
/* A file shrunk behind the mapping: touching the lost pages raises SIGBUS; the reader reports it. */
static void test_io_error(void)
{
    char path[512];
    FILE *fp;
    bld b = header_only(0);
    etl_file *f = NULL;
    int i;
    size_t n = 0;
    etl_iter *it = NULL;
    etl_event ev;
    for (i = 0; i < 64; i++) {
        int64_t r[40];
        int j;
        for (j = 0; j < 40; j++)
            r[j] = REF_RAW + i * 100 + j;
        buf_begin(&b, 4096, 0, i + 1, 0x20, 0);
        for (j = 0; j < 40; j++)
            rec_event(&b, 0x13, 1, 1, r[j], &prov_a, 1, NULL, 0, "abcd", 4);
        buf_end(&b);
    }
    snprintf(path, sizeof path, "%s/shrinking.etl", check_tmp_dir());
    fp = fopen(path, "wb");
    CHECK(fp != NULL);
    if (!fp)
        goto cleanup;
    CHECK(fwrite(b.p, 1, b.len, fp) == b.len);
    fclose(fp);
    CHECK(etl_open(path, &f, NULL, 0) == ETL_OK);
    if (!f)
        goto cleanup;
    CHECK(truncate(path, 8192) == 0);
    CHECK(etl_iter_create(f, ETL_ORDER_FILE, &it) == ETL_OK);
    while (it && etl_iter_next(it, &ev))
        n++;
    etl_iter_destroy(it);
    CHECK(n < 64 * 40);
    CHECK(etl_diag_count(f) >= 1);
    if (etl_diag_count(f))
        CHECK(strstr(etl_diag_at(f, etl_diag_count(f) - 1)->reason, "I/O error") != NULL);
    etl_close(f);
cleanup:
    remove(path);
    free(b.p);
}
#endif

/* ---- time ---------------------------------------------------------------------------------------- */

static void test_time_conversion(void)
{
    etl_header h;
    memset(&h, 0, sizeof h);
    h.start_time = 133000000000000000ull;
    h.ref_raw = 1000;
    /* clock 1, QPC at 10 MHz: ticks are FILETIME units */
    h.clock_type = 1;
    h.perf_freq = 10000000;
    CHECK_U64(etl_raw_to_filetime(&h, 1000), h.start_time);
    CHECK_U64(etl_raw_to_filetime(&h, 1001), h.start_time + 1);
    CHECK_U64(etl_raw_to_filetime(&h, 999), h.start_time - 1);
    /* QPC at 3.579545 MHz (ACPI PM timer): exact integer results */
    h.perf_freq = 3579545;
    h.ref_raw = 0;
    h.start_time = 0;
    CHECK_U64(etl_raw_to_filetime(&h, 3579545), 10000000);
    CHECK_U64(etl_raw_to_filetime(&h, (int64_t)1 << 62), 12883441941440568295ull);
    /* 1 GHz: the largest raw value, exact */
    h.perf_freq = 1000000000;
    CHECK_U64(etl_raw_to_filetime(&h, INT64_MAX), 92233720368547758ull);
    /* 1 Hz: INT64_MAX * 10^7 does not fit: saturates instead of wrapping */
    h.perf_freq = 1;
    CHECK_U64(etl_raw_to_filetime(&h, INT64_MAX), UINT64_MAX);
    CHECK_U64(etl_raw_to_filetime(&h, INT64_MIN), 0);
    /* a frequency so large that remainder * 10^7 needs 128 bits */
    h.perf_freq = (uint64_t)1 << 62;
    CHECK_U64(etl_raw_to_filetime(&h, ((int64_t)1 << 62) - 1), 9999999);
    CHECK_U64(etl_raw_to_filetime(&h, INT64_MAX), 19999999);
    /* clock 2: raw stamps are FILETIMEs already */
    h.clock_type = 2;
    h.perf_freq = 10000000;
    h.start_time = 134105812840000000ull;
    h.ref_raw = 134105812840000000;
    CHECK_U64(etl_raw_to_filetime(&h, 134105812840364514), 134105812840364514ull);
    /* clock 3: CPU cycles at 2000 MHz: 2000 cycles = 1 us = 10 units */
    h.clock_type = 3;
    h.cpu_speed_mhz = 2000;
    h.start_time = 1000;
    h.ref_raw = 50;
    CHECK_U64(etl_raw_to_filetime(&h, 2050), 1010);
    CHECK_U64(etl_raw_to_filetime(&h, 50 + 2000000000LL), 1000 + 10000000);
    CHECK_U64(etl_raw_to_filetime(&h, INT64_MAX), 1000 + (uint64_t)((INT64_MAX - 50) / 200));
}

static void set_zone(etl_header *h, int32_t bias, uint16_t std_mo, uint16_t std_day, uint16_t std_hour,
                     uint16_t dst_mo, uint16_t dst_day, uint16_t dst_hour, uint16_t year)
{
    memset(&h->tz, 0, sizeof h->tz);
    h->tz.bias = bias;
    h->tz.daylight_bias = -60;
    h->tz.standard_date.year = year;
    h->tz.standard_date.month = std_mo;
    h->tz.standard_date.day = std_day;
    h->tz.standard_date.hour = std_hour;
    h->tz.daylight_date.year = year;
    h->tz.daylight_date.month = dst_mo;
    h->tz.daylight_date.day = dst_day;
    h->tz.daylight_date.hour = dst_hour;
}

static void test_zones(void)
{
    etl_header h;
    char t[64];
    memset(&h, 0, sizeof h);
    /* Pacific: first Sunday of November 02:00, second Sunday of March 02:00 (waasmedic's zone) */
    set_zone(&h, 480, 11, 1, 2, 3, 2, 2, 0);
    etl_format_time(&h, ETL_ZONE_TRACE, 134041374192020520ull, t, sizeof t);
    CHECK_STR(t, "2025-10-05 04:30:19.2020520-07:00");
    etl_format_time(&h, ETL_ZONE_TRACE, 133814160000000000ull, t, sizeof t);
    CHECK_STR(t, "2025-01-15 04:00:00.0000000-08:00");
    /* the edges: DST from 2025-03-09 10:00 UTC to 2025-11-02 09:00 UTC */
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133859880000000000ull - 1), (uint64_t)(int64_t)-480);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133859880000000000ull), (uint64_t)(int64_t)-420);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 134065476000000000ull - 1), (uint64_t)(int64_t)-420);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 134065476000000000ull), (uint64_t)(int64_t)-480);
    /* the same dates given absolutely (year != 0) */
    set_zone(&h, 480, 11, 2, 2, 3, 9, 2, 2025);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133859880000000000ull - 1), (uint64_t)(int64_t)-480);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133859880000000000ull), (uint64_t)(int64_t)-420);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 134065476000000000ull), (uint64_t)(int64_t)-480);
    /* Central Europe: last Sunday (week 5) of March 02:00 / October 03:00 */
    set_zone(&h, -60, 10, 5, 3, 3, 5, 2, 0);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133877700000000000ull - 1), 60);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133877700000000000ull), 120);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 134059140000000000ull - 1), 120);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 134059140000000000ull), 60);
    /* Sydney: DST across the new year (first Sunday of October 02:00 to first Sunday of April 03:00) */
    set_zone(&h, -600, 4, 1, 3, 10, 1, 2, 0);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133814160000000000ull), 660);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133883424000000000ull - 1), 660);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133883424000000000ull), 600);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 134040672000000000ull - 1), 600);
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 134040672000000000ull), 660);
    etl_format_time(&h, ETL_ZONE_TRACE, 133814160000000000ull, t, sizeof t);
    CHECK_STR(t, "2025-01-15 23:00:00.0000000+11:00");
    /* no DST rules: the bias alone */
    memset(&h.tz, 0, sizeof h.tz);
    h.tz.bias = -330;
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_TRACE, 133958448000000000ull), 330);
    /* UTC and ISO */
    etl_format_time(&h, ETL_ZONE_UTC, 134041374793848833ull, t, sizeof t);
    CHECK_STR(t, "2025-10-05 11:31:19.3848833Z");
    etl_format_iso_utc(134041374793848833ull, t, sizeof t);
    CHECK_STR(t, "2025-10-05T11:31:19.3848833Z");
    etl_format_iso_utc(0, t, sizeof t);
    CHECK_STR(t, "1601-01-01T00:00:00.0000000Z");
    etl_format_iso_utc(116444736000000000ull, t, sizeof t);
    CHECK_STR(t, "1970-01-01T00:00:00.0000000Z");
    etl_format_iso_utc(125963423990000000ull, t, sizeof t);
    CHECK_STR(t, "2000-02-29T23:59:59.0000000Z");
    /* the viewer's zone comes from the platform */
    CHECK_U64(etl_zone_offset_minutes(&h, ETL_ZONE_VIEWER, 134041374190000000ull),
              (uint64_t)(int64_t)plat_local_offset_minutes(134041374190000000ull));
}

static void test_guid_text(void)
{
    etl_guid g;
    char s[37];
    CHECK(etl_guid_parse("e53c6823-7bb8-44bb-90dc-3f86090d48a6", &g) == 0);
    CHECK(etl_guid_equal(&g, &prov_b));
    CHECK_U64(g.data1, 0xe53c6823);
    CHECK_U64(g.data4[7], 0xa6);
    etl_guid_format(&g, s);
    CHECK_STR(s, "e53c6823-7bb8-44bb-90dc-3f86090d48a6");
    CHECK(etl_guid_parse("{E53C6823-7BB8-44BB-90DC-3F86090D48A6}", &g) == 0);
    CHECK(etl_guid_equal(&g, &prov_b));
    g = prov_a;
    CHECK(etl_guid_parse("e53c6823-7bb8-44bb-90dc-3f86090d48a", &g) != 0);
    CHECK(etl_guid_parse("e53c6823-7bb8-44bb-90dc-3f86090d48a6x", &g) != 0);
    CHECK(etl_guid_parse("e53c68237bb8-44bb-90dc-3f86090d48a6", &g) != 0);
    CHECK(etl_guid_parse("g53c6823-7bb8-44bb-90dc-3f86090d48a6", &g) != 0);
    CHECK(etl_guid_parse("{e53c6823-7bb8-44bb-90dc-3f86090d48a6", &g) != 0);
    CHECK(etl_guid_parse("", &g) != 0);
    CHECK(etl_guid_equal(&g, &prov_a)); /* untouched on failure */
    CHECK(!etl_guid_equal(&prov_a, &prov_b));
    CHECK_STR(etl_kind_name(ETL_KIND_PERFINFO), "perfinfo");
    CHECK_STR(etl_kind_name(ETL_KIND_MESSAGE), "message");
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_every_header_type),
        CHECK_CASE(test_many_ext_items),
        CHECK_CASE(test_logfile_header_32),
        CHECK_CASE(test_time_order),
        CHECK_CASE(test_many_streams_skipped_records),
        CHECK_CASE(test_not_an_etl),
        CHECK_CASE(test_truncated_everywhere),
        CHECK_CASE(test_garbage),
        CHECK_CASE(test_compressed),
#if !defined(_WIN32)
        CHECK_CASE(test_io_error),
#endif
        CHECK_CASE(test_time_conversion),
        CHECK_CASE(test_zones),
        CHECK_CASE(test_guid_text),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
