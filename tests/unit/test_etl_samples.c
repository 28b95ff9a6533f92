/*
 * test_etl_samples.c - the reader against the real files in WSK_SAMPLES (skipped when absent):
 * every file opens, its buffer index agrees with an independent walk done here with stdio, every
 * buffer walks to exactly its end with no diagnostic, time order is non-decreasing and holds the same
 * records as file order, handles fetch the same record again; the facts etl-format.md and
 * SOURCES.md state per file; and the oracles: PerfView's baselines (relative time, processor, data
 * length, PID/TID of EVENT_HEADER records) and dissect.etl's output for waasmedic.
 */
#include "check.h"
#include "wsk/etl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sample_names[] = {
    "airbus_AMSITrace.etl", "airbus_ShutdownPerfDiagLogger.etl", "airbus_lxcore_kernel.etl",
    "ebpf_ebpforwindows.etl", "krabsetw_powershell.etl", "perfview_SelfDescribingSingleEvent.etl",
    "perfview_gcevents_PerfViewData.etl", "perfview_gcrundownevents_PerfViewData.clrRundown.etl",
    "perfview_net.4.5.2.x64.etl", "perfview_net.4.5.2.x86.etl", "perfview_primitive-types.etl",
    "pktmon_Gobang.etl", "pktmon_TritonPilot.etl", "pktmon_demikernel.etl", "pktmon_gdn.etl",
    "pktmon_nathaniel.etl", "s4_CldFlt0.etl", "s4_CldFlt1.etl", "s4_CldFlt2.etl",
    "s4_SIH.20230422.034724.362.1.etl", "s4_WindowsUpdate.20251008.140245.443.8.etl",
    "s4_waasmedic.20251005_113019_195.etl", "sonde_test.etl",
};
#define NSAMPLES (sizeof sample_names / sizeof sample_names[0])

static const char *samples;

static void sample_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/%s", samples, name);
}

static etl_file *open_sample(const char *name)
{
    char path[1024], err[512];
    etl_file *f = NULL;
    etl_status st;
    sample_path(path, sizeof path, name);
    st = etl_open(path, &f, err, sizeof err);
    if (st != ETL_OK) {
        fprintf(stderr, "open %s: %s\n", name, err);
        check_failures++;
        return NULL;
    }
    return f;
}

/* One delivered record, as much as the checks need. */
typedef struct rec {
    uint64_t handle;
    int64_t raw;
    uint64_t time;
    uint32_t data_len, record_len, pid, tid;
    uint16_t cpu, hook_id, id;
    uint8_t kind, flags, pointer_size, header_type;
    uint16_t ext0, ext1, message_flags;
    uint32_t ext_count;
    etl_guid provider;
} rec;

static rec *walk(etl_file *f, etl_order order, size_t *n)
{
    etl_iter *it = NULL;
    etl_event ev;
    size_t cap = 1024, k = 0;
    rec *r = malloc(cap * sizeof *r);
    CHECK(etl_iter_create(f, order, &it) == ETL_OK);
    while (it && etl_iter_next(it, &ev)) {
        rec *x;
        if (k == cap) {
            cap *= 2;
            r = realloc(r, cap * sizeof *r);
        }
        x = &r[k++];
        memset(x, 0, sizeof *x);
        x->handle = ev.handle;
        x->raw = ev.raw_time;
        x->time = ev.time;
        x->data_len = ev.data_len;
        x->record_len = ev.record_len;
        x->pid = ev.pid;
        x->tid = ev.tid;
        x->cpu = ev.cpu;
        x->hook_id = ev.hook_id;
        x->id = ev.id;
        x->kind = (uint8_t)ev.kind;
        x->flags = ev.flags;
        x->pointer_size = ev.pointer_size;
        x->header_type = ev.header_type;
        x->message_flags = ev.message_flags;
        x->ext_count = ev.ext_count;
        x->ext0 = ev.ext_count > 0 ? ev.ext[0].type : 0;
        x->ext1 = ev.ext_count > 1 ? ev.ext[1].type : 0;
        x->provider = ev.provider;
        CHECK(ev.data + ev.data_len == ev.record + ev.record_len);
    }
    CHECK(it == NULL || etl_iter_progress(it) == 1.0);
    etl_iter_destroy(it);
    *n = k;
    return r;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Independent buffer walk with stdio: count, compressed count, and each buffer's payload end
 * (max(SavedOffset, Offset) for the header buffer, SavedOffset otherwise). */
typedef struct raw_walk {
    uint32_t nbufs, ncompressed;
    uint32_t payload_end[512];
} raw_walk;

static int raw_walk_file(const char *name, raw_walk *w)
{
    char path[1024];
    FILE *fp;
    uint8_t h[0x48];
    uint64_t off = 0;
    memset(w, 0, sizeof *w);
    sample_path(path, sizeof path, name);
    fp = fopen(path, "rb");
    if (!fp)
        return -1;
    for (;;) {
        uint32_t bs, so, o30;
        uint16_t flag, type;
        if (fseek(fp, (long)off, SEEK_SET) != 0 || fread(h, 1, sizeof h, fp) != sizeof h)
            break;
        memcpy(&bs, h, 4);
        memcpy(&so, h + 4, 4);
        memcpy(&o30, h + 0x30, 4);
        memcpy(&flag, h + 0x34, 2);
        memcpy(&type, h + 0x36, 2);
        if (bs < 0x48)
            break;
        if (w->nbufs < 512)
            w->payload_end[w->nbufs] = (type == 4 && o30 > so ? o30 : so) - 0x48;
        w->nbufs++;
        if (flag & 0x40)
            w->ncompressed++;
        off += bs;
    }
    fclose(fp);
    return 0;
}

static void test_every_sample(void)
{
    size_t i;
    for (i = 0; i < NSAMPLES; i++) {
        etl_file *f = open_sample(sample_names[i]);
        raw_walk w;
        rec *ft, *tt;
        size_t nf, nt, j, before_hdr_end = 0;
        uint64_t *hf, *ht;
        int in_header = 1, fails_before = check_failures;
        uint32_t b;
        if (!f)
            continue;
        CHECK(raw_walk_file(sample_names[i], &w) == 0);
        CHECK_U64(etl_buffer_count(f), w.nbufs);
        CHECK_U64(etl_compressed_buffer_count(f), w.ncompressed);
        for (b = 0; b < etl_buffer_count(f) && b < 512; b++)
            CHECK_U64(etl_buffer_at(f, b)->payload_len, w.payload_end[b]);
        CHECK_U64(etl_get_header(f)->perf_freq, 10000000);
        CHECK_U64(etl_get_header(f)->pointer_size, 8);
        CHECK(etl_get_header(f)->is64);

        ft = walk(f, ETL_ORDER_FILE, &nf);
        tt = walk(f, ETL_ORDER_TIME, &nt);
        CHECK_U64(nt, nf);
        CHECK(nf > 0);
        /* Each buffer's last record ends at the buffer's valid length. */
        {
            uint32_t *end = calloc(etl_buffer_count(f) + 1, sizeof *end);
            for (j = 0; j < nf; j++) {
                uint32_t bi = (uint32_t)(ft[j].handle >> 32), o = (uint32_t)ft[j].handle;
                CHECK(o >= end[bi]); /* file order walks a buffer forward */
                end[bi] = o + ft[j].record_len;
            }
            for (b = 0; b < etl_buffer_count(f); b++) {
                uint32_t pl = etl_buffer_at(f, b)->payload_len;
                CHECK(end[b] <= pl && ((end[b] + 7u) & ~7u) >= pl);
            }
            free(end);
        }
        /* Time order: header buffer records first, then non-decreasing timestamps. */
        {
            int64_t last = INT64_MIN;
            for (j = 0; j < nt; j++) {
                const etl_buffer_info *bi = etl_buffer_at(f, (uint32_t)(tt[j].handle >> 32));
                if (bi->type == 4) {
                    CHECK(in_header);
                    before_hdr_end = j + 1;
                    continue;
                }
                in_header = 0;
                if (tt[j].flags & ETL_EV_HAS_TIME) {
                    CHECK(tt[j].raw >= last);
                    last = tt[j].raw;
                }
            }
            CHECK(before_hdr_end >= 1);
        }
        /* Same records in both orders. */
        hf = malloc((nf + 1) * sizeof *hf);
        ht = malloc((nt + 1) * sizeof *ht);
        for (j = 0; j < nf; j++)
            hf[j] = ft[j].handle;
        for (j = 0; j < nt; j++)
            ht[j] = tt[j].handle;
        qsort(hf, nf, sizeof *hf, cmp_u64);
        qsort(ht, nt, sizeof *ht, cmp_u64);
        CHECK(nf == nt && memcmp(hf, ht, nf * sizeof *hf) == 0);
        /* Handles fetch the same record; a small cache forces evictions on compressed files. */
        etl_set_cache_limit(f, 1);
        for (j = 0; j < nt; j += (nt > 5000 ? 37 : 1)) {
            etl_event ev;
            CHECK(etl_event_get(f, tt[j].handle, &ev) == ETL_OK);
            CHECK_U64(ev.handle, tt[j].handle);
            CHECK_U64(ev.raw_time, tt[j].raw);
            CHECK_U64(ev.record_len, tt[j].record_len);
            CHECK_U64(ev.data_len, tt[j].data_len);
            CHECK_U64(ev.kind, tt[j].kind);
            CHECK_U64(ev.cpu, tt[j].cpu);
        }
        {
            etl_event ev;
            CHECK(etl_event_get(f, tt[0].handle + 4, &ev) == ETL_E_NOTFOUND);
            CHECK(etl_event_get(f, (uint64_t)etl_buffer_count(f) << 32, &ev) == ETL_E_NOTFOUND);
        }
        if (etl_diag_count(f) != 0) {
            const etl_diag *d = etl_diag_at(f, 0);
            fprintf(stderr, "%s: diagnostic at %llu: %s\n", sample_names[i], (unsigned long long)d->offset,
                    d->reason);
        }
        CHECK_U64(etl_diag_count(f), 0);
        if (check_failures != fails_before)
            fprintf(stderr, "  (in %s)\n", sample_names[i]);
        free(hf);
        free(ht);
        free(ft);
        free(tt);
        etl_close(f);
    }
}

/* Counts of a file's records by kind and by a few traits. */
typedef struct counts {
    size_t total, kind[ETL_KIND_COUNT], event32, event64, tl; /* tl: EVENT with ext 0x0C then 0x0B */
} counts;

static counts count_records(etl_file *f)
{
    counts c;
    size_t n, j;
    rec *r = walk(f, ETL_ORDER_FILE, &n);
    memset(&c, 0, sizeof c);
    c.total = n;
    for (j = 0; j < n; j++) {
        c.kind[r[j].kind]++;
        if (r[j].kind == ETL_KIND_EVENT) {
            if (r[j].pointer_size == 4)
                c.event32++;
            else
                c.event64++;
            if (r[j].ext0 == ETL_EXT_PROV_TRAITS && r[j].ext1 == ETL_EXT_EVENT_SCHEMA_TL)
                c.tl++;
        }
    }
    free(r);
    return c;
}

static size_t count_events(etl_file *f, const char *provider, int id, uint16_t ext_type)
{
    etl_guid g;
    size_t n, j, k = 0;
    rec *r;
    if (provider)
        CHECK(etl_guid_parse(provider, &g) == 0);
    r = walk(f, ETL_ORDER_FILE, &n);
    for (j = 0; j < n; j++) {
        if (r[j].kind != ETL_KIND_EVENT && r[j].kind != ETL_KIND_FULL)
            continue;
        if (provider && !etl_guid_equal(&r[j].provider, &g))
            continue;
        if (id >= 0 && r[j].id != id)
            continue;
        if (ext_type && r[j].ext0 != ext_type && r[j].ext1 != ext_type)
            continue;
        k++;
    }
    free(r);
    return k;
}

/* What etl-format.md (§4, §1.x) and SOURCES.md state about each file. */
static void test_sample_facts(void)
{
    etl_file *f;
    counts c;
    const etl_header *h;

    if ((f = open_sample("airbus_AMSITrace.etl")) != NULL) {
        h = etl_get_header(f);
        CHECK_U64(h->build, 18362);
        CHECK_U64(h->buffer_size, 65536);
        CHECK_U64(h->clock_type, 1);
        CHECK_STR(h->logger_name, "AMSITraceSession");
        c = count_records(f);
        CHECK_U64(c.event64, 19);
        CHECK_U64(c.tl, 19);
        etl_close(f);
    }
    if ((f = open_sample("airbus_ShutdownPerfDiagLogger.etl")) != NULL) {
        h = etl_get_header(f);
        CHECK_U64(h->cpus, 2);
        CHECK_U64(etl_buffer_count(f), 49);
        c = count_records(f);
        CHECK(c.kind[ETL_KIND_SYSTEM] > 0 && c.kind[ETL_KIND_PERFINFO] > 0);
        CHECK_U64(c.kind[ETL_KIND_SYSTEM] + c.kind[ETL_KIND_PERFINFO], c.total);
        etl_close(f);
    }
    if ((f = open_sample("airbus_lxcore_kernel.etl")) != NULL) {
        h = etl_get_header(f);
        CHECK_U64(h->build, 19041);
        CHECK_U64(h->buffer_size, 8192);
        c = count_records(f);
        CHECK_U64(c.tl, 2);
        CHECK_U64(c.kind[ETL_KIND_EVENT], 2);
        etl_close(f);
    }
    if ((f = open_sample("pktmon_nathaniel.etl")) != NULL) {
        h = etl_get_header(f);
        CHECK_U64(h->build, 19042);
        CHECK_U64(etl_buffer_count(f), 5);
        CHECK_U64(etl_compressed_buffer_count(f), 4);
        CHECK_U64(count_events(f, NULL, 160, 0), 3646);
        etl_close(f);
    }
    if ((f = open_sample("pktmon_demikernel.etl")) != NULL) {
        CHECK_U64(etl_get_header(f)->build, 20348);
        CHECK_U64(count_events(f, NULL, 160, 0), 114);
        CHECK(count_events(f, "bbccf6c1-6cd1-48c4-80ff-839482e37671", -1, 0) > 0); /* EventMetadata */
        etl_close(f);
    }
    if ((f = open_sample("pktmon_TritonPilot.etl")) != NULL) {
        CHECK_U64(etl_get_header(f)->build, 26200);
        CHECK_U64(count_events(f, NULL, 160, 0), 51);
        etl_close(f);
    }
    if ((f = open_sample("pktmon_Gobang.etl")) != NULL) {
        CHECK_U64(etl_get_header(f)->build, 22621);
        CHECK_U64(count_events(f, NULL, 160, 0), 0); /* component/counter events only */
        etl_close(f);
    }
    if ((f = open_sample("pktmon_gdn.etl")) != NULL) {
        CHECK_U64(etl_get_header(f)->build, 22000);
        CHECK(count_events(f, "bbccf6c1-6cd1-48c4-80ff-839482e37671", -1, 0) > 0);
        etl_close(f);
    }
    if ((f = open_sample("perfview_net.4.5.2.x64.etl")) != NULL) {
        h = etl_get_header(f);
        CHECK_U64(h->build, 9200);
        CHECK_U64(etl_compressed_buffer_count(f), 359);
        CHECK_U64(h->log_file_mode & 0x04010000u, 0x04010000u); /* compressed + relog */
        CHECK(count_events(f, NULL, -1, ETL_EXT_STACK_TRACE64) > 0);
        {
            /* every 64-bit stack: a non-zero first frame in kernel or user space, as many frames as the
             * item's size says */
            etl_iter *it = NULL;
            etl_event ev;
            size_t stacks = 0, related = 0;
            CHECK(etl_iter_create(f, ETL_ORDER_FILE, &it) == ETL_OK);
            while (it && etl_iter_next(it, &ev)) {
                uint64_t match, addr[1];
                const etl_ext_item *x = etl_ext_find(&ev, ETL_EXT_STACK_TRACE64);
                etl_guid g;
                if (x) {
                    uint32_t n = etl_ext_stack(&ev, &match, addr, 1);
                    stacks++;
                    CHECK_U64(n, (x->size - 8u) / 8u);
                    CHECK(n > 0 && addr[0] != 0);
                }
                if (etl_ext_related_activity(&ev, &g) == 0)
                    related++;
            }
            etl_iter_destroy(it);
            CHECK(stacks > 0);
            CHECK(related > 0);
        }
        CHECK(count_events(f, NULL, -1, ETL_EXT_RELATED_ACTIVITYID) > 0);
        etl_close(f);
    }
    if ((f = open_sample("perfview_net.4.5.2.x86.etl")) != NULL) {
        CHECK_U64(etl_compressed_buffer_count(f), 275);
        c = count_records(f);
        CHECK_U64(c.event32, 39425);
        CHECK_U64(c.event64, 1073);
        etl_close(f);
    }
    if ((f = open_sample("perfview_gcevents_PerfViewData.etl")) != NULL) {
        CHECK_U64(etl_get_header(f)->log_file_mode, 0x08000002);
        /* 69 Microsoft-Windows-DotNETRuntime GC events (SOURCES.md) */
        CHECK_U64(count_events(f, "e13c0d23-ccbc-4e12-931b-d9cc2eee27e4", -1, 0), 69);
        etl_close(f);
    }
    if ((f = open_sample("perfview_SelfDescribingSingleEvent.etl")) != NULL) {
        CHECK(etl_compressed_buffer_count(f) > 0);
        CHECK_STR(etl_get_header(f)->logger_name, "Relogger");
        c = count_records(f);
        CHECK_U64(c.kind[ETL_KIND_EVENT], 1);
        CHECK_U64(c.tl, 1);
        etl_close(f);
    }
    if ((f = open_sample("perfview_primitive-types.etl")) != NULL) {
        /* PerfView baseline's EventTrace header line */
        h = etl_get_header(f);
        CHECK_U64(h->buffer_size, 8192);
        CHECK_U64(h->version, 83951626);
        CHECK_U64(h->build, 19043);
        CHECK_U64(h->cpus, 8);
        CHECK_U64(h->log_file_mode, 0);
        CHECK_U64(h->buffers_written, 2);
        CHECK_U64(h->start_buffers, 1);
        CHECK_U64(h->cpu_speed_mhz, 2304);
        CHECK_U64(h->timer_resolution, 156250);
        CHECK_U64(h->clock_type, 1);
        CHECK_U64(h->tz.bias, (uint64_t)(int64_t)-120);
        CHECK_STR(h->logger_name, "solar_system");
        CHECK(strncmp(h->log_file_name, "C:\\primitive-types_0", 20) == 0);
        c = count_records(f);
        CHECK_U64(c.tl, 5);
        etl_close(f);
    }
    if ((f = open_sample("krabsetw_powershell.etl")) != NULL) {
        CHECK_U64(etl_get_header(f)->cpus, 32);
        c = count_records(f);
        CHECK_U64(count_events(f, "a0c1853b-5c40-4b15-8766-3cf1c58f985a", -1, 0), c.kind[ETL_KIND_EVENT]);
        CHECK(c.kind[ETL_KIND_EVENT] > 0);
        etl_close(f);
    }
    if ((f = open_sample("ebpf_ebpforwindows.etl")) != NULL) {
        CHECK_U64(etl_get_header(f)->buffer_size, 262144);
        CHECK_U64(etl_compressed_buffer_count(f), 0);
        c = count_records(f);
        CHECK_U64(c.tl, 13841);
        etl_close(f);
    }
    if ((f = open_sample("sonde_test.etl")) != NULL) {
        CHECK_U64(etl_get_header(f)->buffer_size, 131072);
        CHECK_U64(etl_compressed_buffer_count(f), 0);
        etl_close(f);
    }
    if ((f = open_sample("s4_WindowsUpdate.20251008.140245.443.8.etl")) != NULL) {
        uint32_t b;
        CHECK_U64(etl_get_header(f)->events_lost, 41);
        for (b = 1; b < etl_buffer_count(f); b++)
            CHECK_U64(etl_buffer_at(f, b)->sequence, 907 + b);
        CHECK_U64(etl_buffer_count(f), 7);
        etl_close(f);
    }
    if ((f = open_sample("s4_SIH.20230422.034724.362.1.etl")) != NULL) {
        c = count_records(f);
        CHECK_U64(c.tl, 10);
        etl_close(f);
    }
    {
        static const char *const cld[3] = {"s4_CldFlt0.etl", "s4_CldFlt1.etl", "s4_CldFlt2.etl"};
        int k;
        for (k = 0; k < 3; k++) {
            size_t n, j, msgs = 0;
            rec *r;
            if ((f = open_sample(cld[k])) == NULL)
                continue;
            h = etl_get_header(f);
            CHECK_U64(h->clock_type, 2);
            CHECK_U64(h->build, 26100);
            r = walk(f, ETL_ORDER_TIME, &n);
            for (j = 0; j < n; j++) {
                if (r[j].kind != ETL_KIND_MESSAGE)
                    continue;
                msgs++;
                CHECK_U64(r[j].message_flags, 0xAA);
                CHECK(r[j].flags & ETL_EV_HAS_TIME);
                CHECK(r[j].flags & ETL_EV_HAS_PID);
                CHECK_U64(r[j].pointer_size, 8);
                /* clock type 2: the raw stamp is the FILETIME */
                CHECK_U64(r[j].time, (uint64_t)r[j].raw);
            }
            if (k < 2)
                CHECK(msgs > 0);
            if (k == 2) {
                /* unfinished: EndTime 0, BuffersWritten 0, yet its records are read */
                CHECK_U64(h->end_time, 0);
                CHECK_U64(h->buffers_written, 0);
                CHECK(n >= 2);
            }
            free(r);
            etl_close(f);
        }
    }
}

/* ---- PerfView baselines -------------------------------------------------------------------------- */

static int cmp_rec_raw(const void *a, const void *b)
{
    int64_t x = ((const rec *)a)->raw, y = ((const rec *)b)->raw;
    return x < y ? -1 : x > y;
}

static const char *field(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    return p ? p + strlen(key) : NULL;
}

static void check_baseline(const char *etl_name, const char *baseline)
{
    char path[1024], line[8192];
    FILE *fp;
    etl_file *f = open_sample(etl_name);
    rec *r;
    size_t n, lines = 0, matched = 0;
    const etl_header *h;
    if (!f)
        return;
    h = etl_get_header(f);
    r = walk(f, ETL_ORDER_TIME, &n);
    qsort(r, n, sizeof *r, cmp_rec_raw);
    snprintf(path, sizeof path, "%s/oracles/%s", samples, baseline);
    fp = fopen(path, "rb");
    CHECK(fp != NULL);
    while (fp && fgets(line, sizeof line, fp)) {
        char num[64];
        size_t k = 0, lo, hi;
        const char *p = line + 6, *pid_s, *tid_s, *cpu_s, *len_s;
        double ms;
        long long pid, tid;
        unsigned cpu, dlen;
        int64_t want_lo, want_hi;
        int found = 0;
        if (strncmp(line, "EVENT ", 6) != 0)
            continue;
        while (*p && *p != ':' && k + 1 < sizeof num) {
            if (*p != ',')
                num[k++] = *p;
            p++;
        }
        num[k] = '\0';
        ms = atof(num);
        pid_s = field(p, " PID=");
        tid_s = field(p, "; TID=");
        cpu_s = field(p, "; ProceNum=");
        len_s = field(p, "; DataLen=");
        CHECK(pid_s && tid_s && cpu_s && len_s);
        if (!pid_s || !tid_s || !cpu_s || !len_s)
            continue;
        pid = atoll(pid_s);
        tid = atoll(tid_s);
        cpu = (unsigned)atoi(cpu_s);
        dlen = (unsigned)atoi(len_s);
        lines++;
        /* printed with 3 decimals: the record lies within 0.0005 ms, plus the 0.001 ms allowed */
        want_lo = h->ref_raw + (int64_t)((ms - 0.0015) * (double)h->perf_freq / 1000.0);
        want_hi = h->ref_raw + (int64_t)((ms + 0.0015) * (double)h->perf_freq / 1000.0) + 1;
        lo = 0;
        hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (r[mid].raw < want_lo)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (k = lo; k < n && r[k].raw <= want_hi && !found; k++) {
            if (r[k].cpu != cpu || r[k].data_len != dlen)
                continue;
            if (r[k].kind == ETL_KIND_EVENT && ((long long)r[k].pid != pid || (long long)r[k].tid != tid))
                continue;
            found = 1;
        }
        if (found)
            matched++;
        else
            fprintf(stderr, "%s: no record for: %.160s\n", baseline, line);
    }
    if (fp)
        fclose(fp);
    CHECK(lines > 0);
    CHECK_U64(matched, lines);
    free(r);
    etl_close(f);
}

static void test_oracle_perfview(void)
{
    check_baseline("perfview_primitive-types.etl", "perfview_primitive-types.baseline.txt");
    check_baseline("perfview_gcevents_PerfViewData.etl", "perfview_gcevents.baseline.txt");
    check_baseline("perfview_gcrundownevents_PerfViewData.clrRundown.etl", "perfview_gcrundownevents.baseline.txt");
    check_baseline("perfview_net.4.5.2.x64.etl", "perfview_net.4.5.2.x64.baseline.txt");
    check_baseline("perfview_net.4.5.2.x86.etl", "perfview_net.4.5.2.x86.baseline.txt");
}

/* ---- dissect.etl output for waasmedic --------------------------------------------------------------- */

/* dissect prints EVENT_HEADER provider ids with UUID(bytes=...): the first three groups byte-swapped. */
static void unswap_dissect_guid(const char *in, char *out)
{
    static const int order[] = {6, 7, 4, 5, 2, 3, 0, 1, -1, 11, 12, 9, 10, -1, 16, 17, 14, 15};
    int i;
    for (i = 0; i < 18; i++)
        out[i] = order[i] < 0 ? '-' : in[order[i]];
    memcpy(out + 18, in + 18, 18);
    out[36] = '\0';
}

static void test_oracle_dissect_waasmedic(void)
{
    char path[1024];
    FILE *fp;
    char *text;
    long sz;
    etl_file *f = open_sample("s4_waasmedic.20251005_113019_195.etl");
    rec *r;
    size_t n, k = 0;
    const char *p;
    const etl_header *h;
    if (!f)
        return;
    h = etl_get_header(f);
    /* the dissect header line */
    CHECK_U64(h->buffer_size, 0x2000);
    CHECK_U64(h->version, 0x501000a);
    CHECK_U64(h->build, 0x5867);
    CHECK_U64(h->cpus, 1);
    CHECK_U64(h->end_time, 0x1dc35eb91cabb86ull);
    CHECK_U64(h->timer_resolution, 0x2625a);
    CHECK_U64(h->max_file_size, 0x800);
    CHECK_U64(h->log_file_mode, 0x11002002);
    CHECK_U64(h->buffers_written, 2);
    CHECK_U64(h->cpu_speed_mhz, 0x118b);
    CHECK_U64(h->boot_time, 0x1dc334d5cb2eac0ull);
    CHECK_U64(h->start_time, 0x1dc35eb6deb9a24ull);
    CHECK_U64(h->tz.bias, 480);
    CHECK_U64(h->tz.daylight_bias, (uint64_t)(int64_t)-60);
    CHECK_STR(h->tz.standard_name, "@tzres.dll,-212");
    CHECK_STR(h->tz.daylight_name, "@tzres.dll,-211");
    CHECK_U64(h->tz.standard_date.month, 11);
    CHECK_U64(h->tz.standard_date.day, 1);
    CHECK_U64(h->tz.standard_date.hour, 2);
    CHECK_U64(h->tz.daylight_date.month, 3);
    CHECK_U64(h->tz.daylight_date.day, 2);
    CHECK_STR(h->logger_name, "ECCB175F-1EB2-43DA-BFB5-A8D58A40A4D7");
    CHECK_STR(h->log_file_name, "C:\\Windows\\logs\\waasmedic\\waasmedic.20251005_113019_195.etl");
    /* header buffer: Offset 784 > SavedOffset 664; BuildLab and DbgID records lie past SavedOffset */
    CHECK_U64(etl_buffer_at(f, 0)->payload_len, 784 - 0x48);

    r = walk(f, ETL_ORDER_FILE, &n);
    CHECK_U64(n, 21);
    snprintf(path, sizeof path, "%s/oracles/s4_waasmedic.20251005_113019_195.etl.dissect.stdout", samples);
    fp = fopen(path, "rb");
    CHECK(fp != NULL);
    if (!fp) {
        free(r);
        etl_close(f);
        return;
    }
    fseek(fp, 0, SEEK_END);
    sz = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    text = malloc((size_t)sz + 1);
    CHECK(fread(text, 1, (size_t)sz, fp) == (size_t)sz);
    text[sz] = '\0';
    fclose(fp);
    for (p = strstr(text, "┋<"); p && k < n; p = strstr(p + 1, "┋<"), k++) {
        const rec *x = &r[k];
        const char *ts = strstr(p, "timestamp="), *pv = strstr(p, "provider_id=");
        char guid[37], mine[37], iso[64];
        CHECK(ts && pv);
        if (!ts || !pv)
            break;
        if (strncmp(p + 4, "SystemHeader", 12) == 0) {
            CHECK_U64(x->kind, ETL_KIND_SYSTEM);
            CHECK_U64(x->tid, (uint64_t)atoll(strstr(p, "ThreadId=") + 9));
            CHECK_U64(x->pid, (uint64_t)atoll(strstr(p, "ProcessId=") + 10));
        } else if (strncmp(p + 4, "PerfinfoTraceHeader", 19) == 0) {
            CHECK_U64(x->kind, ETL_KIND_PERFINFO);
            /* BuildLab and DbgID records, past SavedOffset (664) in the header buffer */
            CHECK(x->handle >> 32 == 0 && (uint32_t)x->handle >= 664 - 0x48);
            CHECK(x->hook_id == 0x0042 || x->hook_id == 0x0040);
        } else {
            CHECK(strncmp(p + 4, "EventHeader", 11) == 0);
            CHECK_U64(x->kind, ETL_KIND_EVENT);
            CHECK_U64(x->tid, (uint64_t)atoll(strstr(p, "ThreadId=") + 9));
            CHECK_U64(x->pid, (uint64_t)atoll(strstr(p, "ProcessId=") + 10));
        }
        memcpy(guid, pv + 12, 36);
        guid[36] = '\0';
        if (x->kind == ETL_KIND_EVENT) {
            char real[37];
            unswap_dissect_guid(guid, real);
            memcpy(guid, real, sizeof real);
        }
        etl_guid_format(&x->provider, mine);
        CHECK_STR(mine, guid);
        /* dissect prints microseconds through a float: allow 1 us */
        etl_format_iso_utc(x->time, iso, sizeof iso);
        {
            /* "2025-10-05 11:30:19.202053" vs our "2025-10-05T11:30:19.2020520Z" */
            long long us_theirs = atoll(ts + 10 + 20), us_mine = atoll(iso + 20) / 10;
            CHECK(strncmp(ts + 10, iso, 10) == 0 && strncmp(ts + 21, iso + 11, 8) == 0);
            CHECK(us_mine - us_theirs <= 1 && us_theirs - us_mine <= 1);
        }
    }
    CHECK_U64(k, 21);
    {
        /* the real, name-derived GUID of Microsoft.Windows.WaaSMedic.Local */
        char g[37];
        etl_guid_format(&r[4].provider, g);
        CHECK_STR(g, "30d25124-a468-505c-de82-8411646eb8b5");
    }
    free(text);
    free(r);
    etl_close(f);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_every_sample),
        CHECK_CASE(test_sample_facts),
        CHECK_CASE(test_oracle_perfview),
        CHECK_CASE(test_oracle_dissect_waasmedic),
    };
    samples = check_samples_dir();
    if (!samples) {
        printf("skipped: WSK_SAMPLES (the real .etl samples) is not set or absent\n");
        return 77;
    }
    return check_run(cases, CHECK_COUNT(cases));
}
