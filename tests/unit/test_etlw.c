/*
 * test_etlw.c - the .etl writer: header buffer bytes checked against the
 * offsets of etl-format.md, then files read back with the reader (etl.h):
 * every field of every event for clock types 1-3, both pointer sizes,
 * compressed and not; out-of-order buffers restored to time order; lost-event
 * flags; unfinished files; circular wrap; a file over 4 GiB.
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* fopen, getenv */
#endif
#include "check.h"
#include "wsk/etl.h"
#include "wsk/etlw.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define START_TIME 133800000000000000ull /* FILETIME of 2024-12-30 02:40:00 UTC */

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

static const etl_guid prov_a = {0xe53c6823u, 0x7bb8, 0x44bb, {0x90, 0xdc, 0x3f, 0x86, 0x09, 0x0d, 0x48, 0xa6}};
static const etl_guid prov_b = {0x01234567u, 0x89ab, 0xcdef, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};

static void tmp_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/etlw_%s.etl", check_tmp_dir(), name);
}

/* ---- a reproducible event script ---------------------------------------------------------------- */

typedef struct ev_spec {
    etlw_event_desc d;
    etlw_ext ext[2];
    uint8_t ext_data[2][40];
    uint8_t data[300];
    uint32_t len;
} ev_spec;

static ev_spec *make_script(size_t n, uint16_t cpus, uint64_t step)
{
    ev_spec *s = (ev_spec *)calloc(n, sizeof *s);
    uint64_t t = START_TIME + 12345;
    size_t i;
    uint32_t j;
    for (i = 0; i < n; i++) {
        ev_spec *e = &s[i];
        t += 1 + rng() % step; /* strictly increasing: time order is unambiguous */
        e->d.cpu = (uint16_t)(rng() % cpus);
        e->d.pid = 1000 + rng() % 50;
        e->d.tid = 5000 + rng() % 500;
        e->d.time = t;
        e->d.pointer_size = (rng() & 1) ? 8 : 4;
        e->d.provider = (rng() % 4) ? prov_a : prov_b;
        e->d.id = (uint16_t)(rng() % 4100);
        e->d.version = (uint8_t)(rng() % 4);
        e->d.channel = (uint8_t)rng();
        e->d.level = (uint8_t)(1 + rng() % 5);
        e->d.opcode = (uint8_t)rng();
        e->d.task = (uint16_t)rng();
        e->d.keyword = ((uint64_t)rng() << 32) | rng();
        e->d.activity_id.data1 = rng();
        e->d.activity_id.data4[7] = (uint8_t)i;
        e->len = rng() % 300;
        for (j = 0; j < e->len; j++)
            e->data[j] = (uint8_t)rng();
        if (rng() % 5 == 0) {
            e->d.ext_count = 1 + rng() % 2;
            for (j = 0; j < e->d.ext_count; j++) {
                uint32_t k, sz = j == 0 ? 16u : 8u;
                e->ext[j].type = j == 0 ? ETL_EXT_RELATED_ACTIVITYID : ETL_EXT_PROCESS_START_KEY;
                e->ext[j].size = (uint16_t)sz;
                for (k = 0; k < sz; k++)
                    e->ext_data[j][k] = (uint8_t)rng();
                e->ext[j].data = e->ext_data[j];
            }
            e->d.ext = e->ext;
        }
    }
    return s;
}

static int write_script(const char *path, const etlw_options *o, const ev_spec *s, size_t n)
{
    etlw *w = NULL;
    char err[300];
    size_t i;
    int rc;
    if (etlw_create(path, o, &w, err, sizeof err) != 0) {
        fprintf(stderr, "etlw_create: %s\n", err);
        return -1;
    }
    for (i = 0; i < n; i++)
        if (etlw_event(w, &s[i].d, s[i].data, s[i].len) != 0) {
            fprintf(stderr, "etlw_event %zu: %s\n", i, etlw_error(w));
            break;
        }
    rc = etlw_close(w, err, sizeof err);
    if (rc)
        fprintf(stderr, "etlw_close: %s\n", err);
    return rc;
}

static int same_guid(const etl_guid *a, const etl_guid *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

/* Reads path back in time order and compares every EVENT_HEADER record with the script. */
static void check_readback(const char *path, const ev_spec *s, size_t n, const etlw_options *o)
{
    etl_file *f = NULL;
    etl_iter *it = NULL;
    etl_event ev;
    char err[300];
    size_t k = 0, bad = 0;
    if (etl_open(path, &f, err, sizeof err) != ETL_OK) {
        check_failures++;
        fprintf(stderr, "etl_open %s: %s\n", path, err);
        return;
    }
    {
        const etl_header *h = etl_get_header(f);
        CHECK_U64(h->clock_type, o->clock_type ? o->clock_type : 1);
        CHECK_U64(h->start_time, o->start_time);
        CHECK_U64(h->cpus, o->cpus ? o->cpus : 1);
        CHECK_U64(h->pointer_size, o->pointer_size ? o->pointer_size : 8);
        CHECK_U64(h->buffer_size, o->buffer_size ? o->buffer_size : 65536);
        CHECK_U64(h->is64, (o->pointer_size ? o->pointer_size : 8) == 8);
        CHECK_U64(h->end_time, o->unfinished ? 0 : s[n - 1].d.time);
        CHECK_U64(etl_diag_count(f), 0);
        if (o->compress) {
            CHECK_U64(h->version, 0x0002000a);
            CHECK(h->log_file_mode & 0x04000000u);
            CHECK(etl_compressed_buffer_count(f) > 0);
            CHECK_U64(etl_compressed_buffer_count(f) + 1, etl_buffer_count(f));
        } else {
            CHECK_U64(h->version, 0x0501000a);
            CHECK_U64(etl_compressed_buffer_count(f), 0);
        }
        if (!o->unfinished)
            CHECK_U64(h->buffers_written, etl_buffer_count(f));
    }
    CHECK(etl_iter_create(f, ETL_ORDER_TIME, &it) == ETL_OK);
    while (it && etl_iter_next(it, &ev) == 1) {
        const ev_spec *e;
        uint32_t j;
        int ok = 1;
        if (ev.kind != ETL_KIND_EVENT)
            continue;
        if (k >= n) {
            k++;
            continue;
        }
        e = &s[k];
        ok &= ev.time == e->d.time && ev.cpu == e->d.cpu && ev.pid == e->d.pid && ev.tid == e->d.tid;
        ok &= ev.pointer_size == e->d.pointer_size && ev.header_type == (e->d.pointer_size == 4 ? 0x12 : 0x13);
        ok &= same_guid(&ev.provider, &e->d.provider) && same_guid(&ev.activity_id, &e->d.activity_id);
        ok &= ev.id == e->d.id && ev.version == e->d.version && ev.channel == e->d.channel;
        ok &= ev.level == e->d.level && ev.opcode == e->d.opcode && ev.task == e->d.task;
        ok &= ev.keyword == e->d.keyword;
        ok &= ev.data_len == e->len && (!e->len || memcmp(ev.data, e->data, e->len) == 0);
        ok &= ev.ext_count == e->d.ext_count;
        for (j = 0; ok && j < e->d.ext_count; j++)
            ok &= ev.ext[j].type == e->ext[j].type && ev.ext[j].size == e->ext[j].size &&
                  memcmp(ev.ext[j].data, e->ext[j].data, e->ext[j].size) == 0;
        if (!ok && bad++ < 3)
            fprintf(stderr, "%s: event %zu differs (time %llu vs %llu, cpu %u vs %u, id %u vs %u, len %u vs %u)\n",
                    path, k, (unsigned long long)ev.time, (unsigned long long)e->d.time, ev.cpu, e->d.cpu, ev.id,
                    e->d.id, ev.data_len, e->len);
        k++;
    }
    CHECK_U64(bad, 0);
    CHECK_U64(k, n);
    etl_iter_destroy(it);
    etl_close(f);
}

/* ---- header bytes by hand ------------------------------------------------------------------------ */

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *b = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        b = (uint8_t *)malloc((size_t)n);
        if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
            free(b);
            b = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return b;
}

static uint32_t u16(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8);
}

static uint32_t u32(const uint8_t *p)
{
    return u16(p) | (u16(p + 2) << 16);
}

static uint64_t u64(const uint8_t *p)
{
    return u32(p) | ((uint64_t)u32(p + 4) << 32);
}

static void check_header_bytes(int ptr)
{
    static const etl_timezone tz = {-60, 0, -60, {0, 10, 0, 5, 3, 0, 0, 0}, {0, 3, 0, 5, 2, 0, 0, 0},
                                    "W. Europe Standard Time", "W. Europe Daylight Time"};
    etlw_options o;
    char path[512];
    uint8_t *b;
    size_t len = 0, off;
    /* TRACE_LOGFILE_HEADER: at 0x68; relative offsets of the 64- and 32-bit layouts. */
    const size_t tl = 0x68, tz_rel = ptr == 8 ? 0x48 : 0x40, tail = ptr == 8 ? 0xf8 : 0xf0;
    ev_spec *s = make_script(2000, 3, 5000);
    int out_of_order = 0;
    int64_t last_seq[3] = {-1, -1, -1};

    memset(&o, 0, sizeof o);
    o.buffer_size = 4096;
    o.cpus = 3;
    o.pointer_size = (uint32_t)ptr;
    o.start_time = START_TIME;
    o.build = 22631;
    o.cpu_speed_mhz = 2995;
    o.logger_name = "Wsk Session";
    o.log_file_name = "C:\\traces\\t\xc3\xa9st.etl";
    o.tz = &tz;
    tmp_path(path, sizeof path, ptr == 8 ? "hdr64" : "hdr32");
    CHECK(write_script(path, &o, s, 2000) == 0);
    b = slurp(path, &len);
    CHECK(b != NULL && len > 4096 && len % 4096 == 0);
    if (!b) {
        free(s);
        return;
    }
    /* WMI_BUFFER_HEADER of buffer 0 */
    CHECK_U64(u32(b + 0x00), 4096);
    CHECK_U64(u32(b + 0x04), u32(b + 0x30));
    CHECK_U64(u64(b + 0x18), 0);
    CHECK_U64(u32(b + 0x2c), 3);
    CHECK_U64(u16(b + 0x34), 0x21);
    CHECK_U64(u16(b + 0x36), 4);
    /* SYSTEM_TRACE_HEADER: Version 2, SYSTEM32/64, flags 0xC0, HookId 0, SystemTime = start raw */
    CHECK_U64(u16(b + 0x48), 2);
    CHECK_U64(b[0x4a], ptr == 8 ? 2 : 1);
    CHECK_U64(b[0x4b], 0xc0);
    CHECK_U64(u16(b + 0x4e), 0);
    CHECK_U64(u64(b + 0x58), 1000000007);
    CHECK_U64(u32(b + 0x04), 0x48 + ((u16(b + 0x4c) + 7) & ~7u));
    /* TRACE_LOGFILE_HEADER */
    CHECK_U64(u32(b + tl + 0x00), 4096);
    CHECK_U64(u32(b + tl + 0x04), 0x0501000a);
    CHECK_U64(u32(b + tl + 0x08), 22631);
    CHECK_U64(u32(b + tl + 0x0c), 3);
    CHECK_U64(u64(b + tl + 0x10), s[1999].d.time);
    CHECK_U64(u32(b + tl + 0x20), 1);
    CHECK_U64(u32(b + tl + 0x24), len / 4096);
    CHECK_U64(u32(b + tl + 0x28), 1);
    CHECK_U64(u32(b + tl + 0x2c), (uint64_t)ptr);
    CHECK_U64(u32(b + tl + 0x34), 2995);
    CHECK_U64((int32_t)u32(b + tl + tz_rel), -60);
    CHECK_U64(u16(b + tl + tz_rel + 4), 'W');
    CHECK_U64(u16(b + tl + tz_rel + 4 + 2 * 22), 'e');
    CHECK_U64(u16(b + tl + tz_rel + 68 + 2), 10);  /* StandardDate.wMonth */
    CHECK_U64((int32_t)u32(b + tl + tz_rel + 168), -60);
    CHECK_U64(u32(b + tl + tz_rel + 0xac), 0);       /* the pad after TimeZone */
    CHECK_U64(u64(b + tl + tail + 0x00), START_TIME - 36000000000ull);
    CHECK_U64(u64(b + tl + tail + 0x08), 10000000);
    CHECK_U64(u64(b + tl + tail + 0x10), START_TIME);
    CHECK_U64(u32(b + tl + tail + 0x18), 1);
    CHECK_U64(u16(b + tl + tail + 0x20), 'W');
    CHECK_U64(u16(b + tl + tail + 0x20 + 2 * 11), 0);
    CHECK_U64(u16(b + tl + tail + 0x20 + 24 + 2 * 11), 0xe9); /* "é" */
    if (ptr == 8)
        CHECK_U64(tl + tail + 0x20, 0x180); /* etl-format.md: strings at abs 0x180 in a 64-bit file */
    /* Data buffers: per-CPU sequence numbers increase, file order is not sequence order. */
    for (off = 4096; off + 4096 <= len; off += 4096) {
        uint32_t cpu = u16(b + off + 0x28), saved = u32(b + off + 4), flag = u16(b + off + 0x34);
        int64_t seq = (int64_t)u64(b + off + 0x18);
        size_t i;
        CHECK(cpu < 3);
        CHECK((flag & ~1u) == 0x20);
        CHECK(saved % 8 == 0 && saved <= 4096);
        CHECK_U64(u16(b + off + 0x36), 0);
        for (i = saved; i < 4096; i++)
            if (b[off + i] != 0xff)
                break;
        CHECK_U64(i, 4096);
        if (cpu < 3) {
            CHECK(seq > last_seq[cpu]);
            last_seq[cpu] = seq;
        }
        if (off > 4096 && seq < (int64_t)u64(b + off - 4096 + 0x18))
            out_of_order = 1;
    }
    CHECK(out_of_order);
    free(b);
    check_readback(path, s, 2000, &o);
    free(s);
}

static void test_header_bytes64(void)
{
    check_header_bytes(8);
}

static void test_header_bytes32(void)
{
    check_header_bytes(4);
}

/* ---- read back: clocks, pointer sizes, compression ------------------------------------------------ */

static void roundtrip(const char *name, uint32_t clock, uint64_t freq, uint32_t mhz, int compress, uint32_t ptr)
{
    etlw_options o;
    char path[512];
    size_t n = 6000;
    ev_spec *s = make_script(n, 4, clock == 2 ? 400000 : 3000);
    memset(&o, 0, sizeof o);
    o.buffer_size = 8192;
    o.cpus = 4;
    o.pointer_size = ptr;
    o.clock_type = clock;
    o.perf_freq = freq;
    o.cpu_speed_mhz = mhz;
    o.start_time = START_TIME;
    o.compress = compress;
    tmp_path(path, sizeof path, name);
    CHECK(write_script(path, &o, s, n) == 0);
    check_readback(path, s, n, &o);
    free(s);
}

static void test_clock_qpc(void)
{
    roundtrip("qpc", 1, 10000000, 0, 0, 8);
    roundtrip("qpc_14m", 1, 14318180, 0, 0, 4);
    roundtrip("qpc_3g", 1, 2992500000ull, 0, 0, 8);
}

static void test_clock_system(void)
{
    roundtrip("systime", 2, 0, 0, 0, 8);
}

static void test_clock_cycles(void)
{
    roundtrip("cycles", 3, 0, 2995, 0, 8);
    roundtrip("cycles32", 3, 0, 3600, 0, 4);
}

static void test_compressed(void)
{
    roundtrip("comp", 1, 10000000, 0, 1, 8);
    roundtrip("comp_sys", 2, 0, 0, 1, 4);
    roundtrip("comp_cyc", 3, 0, 2400, 1, 8);
}

/* The same script written plain and compressed reads back as the same records, byte for byte. */
static void test_compressed_equals_plain(void)
{
    etlw_options o;
    char plain[512], comp[512], err[300];
    size_t n = 4000, same = 0, differ = 0, count[2] = {0, 0};
    ev_spec *s = make_script(n, 3, 2000);
    etl_file *f[2] = {NULL, NULL};
    etl_iter *it[2] = {NULL, NULL};
    int k;

    memset(&o, 0, sizeof o);
    o.buffer_size = 16384;
    o.cpus = 3;
    o.start_time = START_TIME;
    tmp_path(plain, sizeof plain, "same_plain");
    tmp_path(comp, sizeof comp, "same_comp");
    CHECK(write_script(plain, &o, s, n) == 0);
    o.compress = 1;
    CHECK(write_script(comp, &o, s, n) == 0);
    for (k = 0; k < 2; k++) {
        CHECK(etl_open(k ? comp : plain, &f[k], err, sizeof err) == ETL_OK);
        if (f[k])
            CHECK(etl_iter_create(f[k], ETL_ORDER_TIME, &it[k]) == ETL_OK);
    }
    CHECK(f[1] && etl_compressed_buffer_count(f[1]) > 0);
    CHECK(f[0] && f[1] && etl_buffer_count(f[0]) == etl_buffer_count(f[1]));
    if (it[0] && it[1]) {
        for (;;) {
            etl_event a, b;
            int ra = etl_iter_next(it[0], &a), rb = etl_iter_next(it[1], &b);
            if (ra != 1 || rb != 1) {
                CHECK(ra == rb);
                break;
            }
            count[0] += a.kind == ETL_KIND_EVENT;
            count[1] += b.kind == ETL_KIND_EVENT;
            if (a.kind == ETL_KIND_SYSTEM && a.hook_id == 0 && b.kind == a.kind && b.hook_id == 0)
                continue; /* the logfile headers differ on purpose: version and LogFileMode */
            if (a.handle == b.handle && a.record_len == b.record_len && a.time == b.time &&
                memcmp(a.record, b.record, a.record_len) == 0)
                same++;
            else
                differ++;
        }
    }
    CHECK_U64(differ, 0);
    CHECK_U64(count[0], n);
    CHECK_U64(count[1], n);
    CHECK_U64(same, n);
    for (k = 0; k < 2; k++) {
        etl_iter_destroy(it[k]);
        etl_close(f[k]);
    }
    free(s);
}

/* ---- lost events, unfinished, process names, kernel records --------------------------------------- */

static void test_lost_unfinished_process(void)
{
    etlw_options o;
    etlw *w = NULL;
    etl_file *f = NULL;
    etl_iter *it = NULL;
    etl_event ev;
    char path[512], err[300], name[128];
    etlw_event_desc d;
    uint32_t i, lost_seen = 0, plain_seen = 0, procs = 0, sys = 0, pid = 0;
    static const uint8_t sysdata[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

    memset(&o, 0, sizeof o);
    o.buffer_size = 8192;
    o.cpus = 2;
    o.start_time = START_TIME;
    o.unfinished = 1;
    tmp_path(path, sizeof path, "lost");
    CHECK(etlw_create(path, &o, &w, err, sizeof err) == 0);
    if (!w)
        return;
    CHECK(etlw_process(w, 0, START_TIME + 5, 4242, 4, 1, "\\Device\\HarddiskVolume3\\Program Files\\Caf\xc3\xa9\\app.exe") == 0);
    CHECK(etlw_system(w, 1, 0x030a, 3, 77, 88, START_TIME + 6, 8, sysdata, sizeof sysdata) == 0);
    memset(&d, 0, sizeof d);
    d.provider = prov_a;
    for (i = 0; i < 100; i++) {
        d.cpu = (uint16_t)(i & 1);
        d.time = START_TIME + 10 + i;
        d.id = (uint16_t)i;
        if (i == 90)
            CHECK(etlw_mark_lost(w, 1) == 0);
        CHECK(etlw_event(w, &d, NULL, 0) == 0);
    }
    CHECK(etlw_close(w, err, sizeof err) == 0);

    CHECK(etl_open(path, &f, err, sizeof err) == ETL_OK);
    if (!f)
        return;
    CHECK_U64(etl_get_header(f)->end_time, 0);
    CHECK_U64(etl_get_header(f)->buffers_written, 0);
    CHECK(etl_iter_create(f, ETL_ORDER_TIME, &it) == ETL_OK);
    while (it && etl_iter_next(it, &ev) == 1) {
        if (ev.kind == ETL_KIND_SYSTEM && ev.hook_id == 0x030a) {
            sys++;
            CHECK_U64(ev.pid, 77);
            CHECK_U64(ev.tid, 88);
            CHECK_U64(ev.cpu, 1);
            CHECK_U64(ev.time, START_TIME + 6);
            CHECK(ev.data_len == 12 && memcmp(ev.data, sysdata, 12) == 0);
        }
        if (ev.kind != ETL_KIND_EVENT)
            continue;
        if (same_guid(&ev.provider, &etlw_kernel_process_guid)) {
            procs++;
            CHECK_U64(ev.id, 1);
            CHECK_U64(ev.version, 3);
            CHECK_U64(ev.pid, 4242);
            CHECK(etlw_process_decode(ev.data, ev.data_len, &pid, name, sizeof name) == 0);
            CHECK_U64(pid, 4242);
            CHECK_STR(name, "\\Device\\HarddiskVolume3\\Program Files\\Caf\xc3\xa9\\app.exe");
            continue;
        }
        if (ev.flags & ETL_EV_LOST_BEFORE) {
            lost_seen++;
            CHECK_U64(ev.cpu, 1);
        } else {
            plain_seen++;
        }
    }
    CHECK_U64(procs, 1);
    CHECK_U64(sys, 1);
    /* cpu 1's only buffer carried the mark: its 50 events. */
    CHECK_U64(lost_seen, 50);
    CHECK_U64(plain_seen, 50);
    etl_iter_destroy(it);
    etl_close(f);
    /* A cut payload is not a process record. */
    CHECK(etlw_process_decode((const uint8_t *)"\x01\x00\x00\x00", 4, &pid, name, sizeof name) == -1);
}

static void test_bad_arguments(void)
{
    etlw_options o;
    etlw *w = NULL;
    char path[512], err[300];
    etlw_event_desc d;
    static uint8_t big[70000];
    memset(&o, 0, sizeof o);
    tmp_path(path, sizeof path, "bad");
    CHECK(etlw_create(path, &o, &w, err, sizeof err) == -1); /* no start time */
    CHECK(strstr(err, "start time") != NULL);
    o.start_time = START_TIME;
    o.buffer_size = 1000;
    CHECK(etlw_create(path, &o, &w, err, sizeof err) == -1);
    o.buffer_size = 4096;
    o.circular = 1;
    o.compress = 1;
    CHECK(etlw_create(path, &o, &w, err, sizeof err) == -1);
    o.circular = 0;
    o.compress = 0;
    CHECK(etlw_create(path, &o, &w, err, sizeof err) == 0);
    if (!w)
        return;
    memset(&d, 0, sizeof d);
    d.time = START_TIME + 1;
    CHECK(etlw_event(w, &d, big, 5000) == -1); /* larger than a 4 KiB buffer */
    CHECK(strstr(etlw_error(w), "does not fit") != NULL);
    CHECK(etlw_close(w, err, sizeof err) == -1);
    CHECK(strstr(err, "does not fit") != NULL);
}

/* ---- circular wrap -------------------------------------------------------------------------------- */

static void test_circular(void)
{
    etlw_options o;
    char path[512];
    size_t n = 3000, len = 0, off;
    ev_spec *s = make_script(n, 2, 1000);
    uint8_t *b;
    size_t i;
    int rotated = 0;

    for (i = 0; i < n; i++) {
        s[i].len = 100;
        s[i].d.ext_count = 0;
    }
    memset(&o, 0, sizeof o);
    o.buffer_size = 4096;
    o.cpus = 2;
    o.start_time = START_TIME;
    o.circular = 1;
    o.max_file_size = 4096 * 11; /* header + 10 data buffers */
    tmp_path(path, sizeof path, "circular");
    CHECK(write_script(path, &o, s, n) == 0);
    b = slurp(path, &len);
    CHECK_U64(len, 4096 * 11);
    if (!b) {
        free(s);
        return;
    }
    CHECK_U64(u32(b + 0x68 + 0x20), 2);
    for (off = 2 * 4096; off < len; off += 4096)
        if (u64(b + off + 0x18) < u64(b + off - 4096 + 0x18))
            rotated = 1;
    CHECK(rotated);
    free(b);
    /* 100-byte events take 184 bytes: 21 per buffer, 10 buffers kept of ~143 written. A CPU flushes its
     * buffers in sequence order, so the survivors are a suffix of each CPU's events: find where each
     * suffix starts, then check that exactly those events come back, in time order, with every field. */
    {
        etl_file *f = NULL;
        etl_iter *it = NULL;
        etl_event ev;
        char err[300];
        uint64_t first_time[2] = {UINT64_MAX, UINT64_MAX};
        size_t count = 0;
        CHECK(etl_open(path, &f, err, sizeof err) == ETL_OK);
        if (f) {
            CHECK(etl_iter_create(f, ETL_ORDER_TIME, &it) == ETL_OK);
            while (it && etl_iter_next(it, &ev) == 1)
                if (ev.kind == ETL_KIND_EVENT && ev.time < first_time[ev.cpu & 1])
                    first_time[ev.cpu & 1] = ev.time;
            etl_iter_destroy(it);
            etl_close(f);
        }
        for (i = 0; i < n; i++)
            if (s[i].d.time >= first_time[s[i].d.cpu & 1])
                count++;
        CHECK(count > 150 && count <= 210);
        CHECK(count < n);
        {
            ev_spec *kept = (ev_spec *)calloc(count, sizeof *kept);
            size_t k = 0;
            for (i = 0; i < n; i++)
                if (s[i].d.time >= first_time[s[i].d.cpu & 1])
                    kept[k++] = s[i];
            check_readback(path, kept, count, &o);
            free(kept);
        }
    }
    free(s);
}

/* ---- over 4 GiB ----------------------------------------------------------------------------------- */

static void test_over_4gib(void)
{
    etlw_options o;
    etlw *w = NULL;
    etl_file *f = NULL;
    etl_iter *it = NULL;
    etl_event ev;
    char path[512], err[300];
    etlw_event_desc d;
    uint32_t i, seen = 0;
    uint8_t payload[64];

    memset(&o, 0, sizeof o);
    o.buffer_size = 16u << 20;
    o.cpus = 2;
    o.start_time = START_TIME;
    o.sparse_gap = 257; /* 257 x 16 MiB: the events land past 4 GiB */
    tmp_path(path, sizeof path, "huge");
    if (etlw_create(path, &o, &w, err, sizeof err) != 0) {
        printf("  skipped: the file system refused a sparse 4 GiB file (%s)\n", err);
        remove(path);
        return;
    }
    memset(&d, 0, sizeof d);
    d.provider = prov_b;
    for (i = 0; i < 1000; i++) {
        d.cpu = (uint16_t)(i % 2);
        d.time = START_TIME + 100 * i;
        d.id = (uint16_t)i;
        memset(payload, (int)i, sizeof payload);
        if (etlw_event(w, &d, payload, sizeof payload) != 0)
            break;
    }
    if (etlw_close(w, err, sizeof err) != 0) {
        printf("  skipped: the file system refused a sparse 4 GiB file (%s)\n", err);
        remove(path);
        return;
    }
    CHECK(etl_open(path, &f, err, sizeof err) == ETL_OK);
    if (f) {
        CHECK(etl_file_size(f) > (5ull << 30) - (1ull << 30) + (16u << 20));
        CHECK_U64(etl_buffer_count(f), 1 + 257 + 2);
        CHECK(etl_iter_create(f, ETL_ORDER_TIME, &it) == ETL_OK);
        while (it && etl_iter_next(it, &ev) == 1) {
            if (ev.kind != ETL_KIND_EVENT)
                continue;
            CHECK_U64(ev.id, seen);
            CHECK_U64(ev.time, START_TIME + 100 * seen);
            CHECK(ev.data_len == 64 && ev.data[0] == (uint8_t)seen && ev.data[63] == (uint8_t)seen);
            CHECK((ev.handle >> 32) >= 258);
            seen++;
        }
        CHECK_U64(seen, 1000);
        etl_iter_destroy(it);
        etl_close(f);
    }
    remove(path);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_header_bytes64),
        CHECK_CASE(test_header_bytes32),
        CHECK_CASE(test_clock_qpc),
        CHECK_CASE(test_clock_system),
        CHECK_CASE(test_clock_cycles),
        CHECK_CASE(test_compressed),
        CHECK_CASE(test_compressed_equals_plain),
        CHECK_CASE(test_lost_unfinished_process),
        CHECK_CASE(test_bad_arguments),
        CHECK_CASE(test_circular),
        CHECK_CASE(test_over_4gib),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
