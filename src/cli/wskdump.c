/*
 * wskdump - print what an .etl file holds: its logfile header (info), record counts (stats), every
 * event (events) and every problem the reader had to skip (verify).
 *
 * Every key it prints is listed in docs/json-keys.md; text and CSV output use the same names.
 * Windows: the entry point is wmain, arguments are converted to UTF-8 (the reader takes UTF-8 paths)
 * and console output is written as UTF-16, so any file name and any string in a trace prints right.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_main.h"
#include "cli_out.h"
#include "dump_capture.h"
#include "wsk/afd.h"
#include "wsk/etl.h"
#include "wsk/export.h"
#include "wsk/filt.h"
#include "wsk/load.h"
#include "wsk/nts.h"

#ifndef WSK_VERSION
#define WSK_VERSION "0.1.0"
#endif

enum {
    EXIT_OK = 0,
    EXIT_PROBLEMS = 1, /* verify: something was skipped */
    EXIT_UNREADABLE = 2,
    EXIT_USAGE = 3,
    EXIT_OUTPUT = 4,
};

static const char dump_usage[] =
    "usage: wskdump COMMAND FILE [options]\n"
    "\n"
    "Commands:\n"
    "  info FILE [--json]      the logfile header and the buffer count\n"
    "  stats FILE [--json]     records per header type and per provider, time range\n"
    "  events FILE [--format text|csv|jsonl] [--provider GUID] [--limit N] [--file-order] [--afd]\n"
    "              [--filter EXPR]\n"
    "                          one line per event, in time order (or file order);\n"
    "                          Winsock-AFD events also get their name, status and decoded fields;\n"
    "                          --afd keeps only those; --filter keeps the events the display filter\n"
    "                          EXPR matches (see docs/filters.md)\n"
    "  sockets FILE [--format text|csv|jsonl] [--filter EXPR]\n"
    "                          one line per socket lifetime rebuilt from the Winsock-AFD events;\n"
    "                          --filter keeps the sockets EXPR matches on their own fields or on\n"
    "                          any of their events\n"
    "  verify FILE             every problem the reader skipped, one per line:\n"
    "                          file offset (hex) and reason\n"
    "  capture --output FILE [--level N] [--duration S] [--buffers default|small|large]\n"
    "                          Windows: record Winsock-AFD (level N, default 5) and process names\n"
    "                          into FILE until Ctrl+C or S seconds (administrators and Performance\n"
    "                          Log Users); elsewhere it says it needs Windows and exits 2\n"
    "  --help, --version\n"
    "\n"
    "Keys and their meaning: docs/json-keys.md. Every hex value is a lowercase \"0x...\" string;\n"
    "every FILETIME is an integer with an ISO-8601 UTC twin named <key>_utc.\n"
    "\n"
    "Exit codes:\n"
    "  0  success (verify: the file is clean)\n"
    "  1  verify only: the file could be read but something in it was skipped\n"
    "  2  the file could not be read at all (missing, unreadable, empty, not an .etl file)\n"
    "  3  usage error (unknown command or option, bad value)\n"
    "  4  the output could not be written\n"
    "info, stats and events print what could be read and exit 0 even when parts were skipped;\n"
    "they then say on stderr how many problems there were.\n";

typedef enum dump_format { FMT_TEXT, FMT_CSV, FMT_JSONL, FMT_JSON } dump_format;

typedef struct dump_opts {
    const char *command;
    const char *file;
    dump_format format;
    int file_order;
    int afd_only;
    int have_provider;
    etl_guid provider;
    uint64_t limit; /* 0 = no limit */
    const char *filter; /* display filter, NULL = none */
} dump_opts;

/* ---- key/value records: one writer for the JSON object and the aligned text of info and stats ---- */

typedef struct kv {
    cli_out *o;
    int json;
    int depth;
    int first;   /* no member written yet at this depth */
} kv;

static void kv_key(kv *k, const char *key)
{
    int i;
    if (k->json) {
        if (!k->first)
            cli_putc(k->o, ',');
        cli_putc(k->o, '\n');
        for (i = 0; i <= k->depth; i++)
            cli_putl(k->o, "  ");
        cli_put_json_str(k->o, key);
        cli_putl(k->o, ": ");
    } else {
        size_t n = strlen(key) + 2u * (size_t)k->depth;
        for (i = 0; i < k->depth; i++)
            cli_putl(k->o, "  ");
        cli_puts(k->o, key);
        do {
            cli_putc(k->o, ' ');
        } while (++n < 24);
    }
    k->first = 0;
}

static void kv_end_value(kv *k)
{
    if (!k->json)
        cli_putc(k->o, '\n');
}

static void kv_begin(kv *k, cli_out *o, int json)
{
    k->o = o;
    k->json = json;
    k->depth = 0;
    k->first = 1;
    if (json)
        cli_putc(o, '{');
}

static void kv_finish(kv *k)
{
    if (k->json)
        cli_putl(k->o, "\n}\n");
}

static void kv_u64(kv *k, const char *key, uint64_t v)
{
    kv_key(k, key);
    cli_put_u64(k->o, v);
    kv_end_value(k);
}

static void kv_hex(kv *k, const char *key, uint64_t v, int digits)
{
    kv_key(k, key);
    if (k->json)
        cli_putc(k->o, '"');
    cli_put_hex(k->o, v, digits);
    if (k->json)
        cli_putc(k->o, '"');
    kv_end_value(k);
}

static void kv_str(kv *k, const char *key, const char *s)
{
    kv_key(k, key);
    if (k->json)
        cli_put_json_str(k->o, s);
    else
        cli_puts(k->o, s);
    kv_end_value(k);
}

static void kv_null(kv *k, const char *key)
{
    kv_key(k, key);
    cli_puts(k->o, k->json ? "null" : "-");
    kv_end_value(k);
}

/* A FILETIME and its `_utc` twin; 0 means "not set" and prints as null. */
static void kv_filetime(kv *k, const char *key, uint64_t ft, int valid)
{
    char name[64], iso[40];
    snprintf(name, sizeof name, "%s_utc", key);
    if (!valid) {
        kv_null(k, key);
        kv_null(k, name);
        return;
    }
    kv_u64(k, key, ft);
    etl_format_iso_utc(ft, iso, sizeof iso);
    kv_str(k, name, iso);
}

static void kv_obj_begin(kv *k, const char *key)
{
    kv_key(k, key);
    if (k->json)
        cli_putc(k->o, '{');
    else
        cli_putc(k->o, '\n');
    k->depth++;
    k->first = 1;
}

static void kv_obj_end(kv *k)
{
    k->depth--;
    if (k->json) {
        int i;
        if (!k->first) {
            cli_putc(k->o, '\n');
            for (i = 0; i <= k->depth; i++)
                cli_putl(k->o, "  ");
        }
        cli_putc(k->o, '}');
    }
    k->first = 0;
}

/* ---- opening ------------------------------------------------------------------------------------- */

static int dump_open(const char *path, etl_file **out)
{
    char err[512];
    etl_status st;
    err[0] = '\0';
    st = etl_open(path, out, err, sizeof err);
    if (st != ETL_OK) {
        if (err[0])
            fprintf(stderr, "wskdump: %s\n", err);
        else
            fprintf(stderr, "wskdump: %s: %s\n", path, etl_status_text(st));
        return -1;
    }
    return 0;
}

static void dump_note_diags(const char *path, etl_file *f)
{
    size_t n = etl_diag_count(f);
    if (n)
        fprintf(stderr, "wskdump: %s: %llu problem%s skipped (wskdump verify lists them)\n", path,
                (unsigned long long)n, n == 1 ? "" : "s");
}

static int dump_finish_output(cli_out *o, const char *path)
{
    if (cli_out_close(o) != 0) {
        fprintf(stderr, "wskdump: %s: writing the output failed\n", path);
        return EXIT_OUTPUT;
    }
    return EXIT_OK;
}

/* ---- info ---------------------------------------------------------------------------------------- */

static int cmd_info(const dump_opts *op)
{
    etl_file *f = NULL;
    const etl_header *h;
    cli_out o;
    kv k;
    int rc = EXIT_UNREADABLE;

    if (dump_open(op->file, &f) != 0)
        return EXIT_UNREADABLE;
    if (cli_out_init(&o, stdout) != 0)
        goto cleanup;
    h = etl_get_header(f);
    kv_begin(&k, &o, op->format == FMT_JSON);
    kv_str(&k, "file", op->file);
    kv_u64(&k, "file_size", etl_file_size(f));
    kv_u64(&k, "buffer_size", h->buffer_size);
    kv_hex(&k, "version", h->version, 8);
    kv_u64(&k, "build", h->build);
    kv_u64(&k, "cpus", h->cpus);
    kv_filetime(&k, "start_time", h->start_time, h->start_time != 0);
    kv_filetime(&k, "end_time", h->end_time, h->end_time != 0);
    kv_filetime(&k, "boot_time", h->boot_time, h->boot_time != 0);
    kv_hex(&k, "log_file_mode", h->log_file_mode, 8);
    kv_u64(&k, "pointer_size", h->pointer_size);
    kv_u64(&k, "events_lost", h->events_lost);
    kv_u64(&k, "buffers_lost", h->buffers_lost);
    kv_u64(&k, "buffers_written", h->buffers_written);
    kv_u64(&k, "clock_type", h->clock_type);
    kv_u64(&k, "perf_freq", h->perf_freq);
    kv_u64(&k, "cpu_speed_mhz", h->cpu_speed_mhz);
    kv_u64(&k, "timer_resolution", h->timer_resolution);
    kv_u64(&k, "max_file_size", h->max_file_size);
    kv_str(&k, "logger_name", h->logger_name);
    kv_str(&k, "log_file_name", h->log_file_name);
    kv_key(&k, "timezone_bias");
    cli_put_i64(&o, h->tz.bias);
    kv_end_value(&k);
    kv_str(&k, "timezone_name", h->tz.standard_name);
    kv_u64(&k, "buffers", etl_buffer_count(f));
    kv_u64(&k, "compressed_buffers", etl_compressed_buffer_count(f));
    kv_u64(&k, "diagnostics", etl_diag_count(f));
    kv_finish(&k);
    dump_note_diags(op->file, f);
    rc = dump_finish_output(&o, op->file);
cleanup:
    etl_close(f);
    return rc;
}

/* ---- stats --------------------------------------------------------------------------------------- */

/* Records per GUID: open addressing, grown at half load. */
typedef struct guid_count {
    etl_guid guid;
    uint64_t count;
    int used;
} guid_count;

typedef struct guid_map {
    guid_count *slots;
    size_t cap, used;
} guid_map;

static size_t guid_hash(const etl_guid *g)
{
    uint64_t h = g->data1 * 0x9E3779B97F4A7C15ull;
    size_t i;
    h ^= ((uint64_t)g->data2 << 16 | g->data3) * 0xC2B2AE3D27D4EB4Full;
    for (i = 0; i < 8; i++)
        h = (h ^ g->data4[i]) * 0x100000001B3ull;
    return (size_t)(h ^ (h >> 29));
}

static int guid_map_add(guid_map *m, const etl_guid *g)
{
    size_t i;
    if (2 * (m->used + 1) > m->cap) {
        size_t ncap = m->cap ? 2 * m->cap : 64, j;
        guid_count *ns = (guid_count *)calloc(ncap, sizeof *ns);
        if (!ns)
            return -1;
        for (j = 0; j < m->cap; j++) {
            if (m->slots[j].used) {
                size_t p = guid_hash(&m->slots[j].guid) & (ncap - 1);
                while (ns[p].used)
                    p = (p + 1) & (ncap - 1);
                ns[p] = m->slots[j];
            }
        }
        free(m->slots);
        m->slots = ns;
        m->cap = ncap;
    }
    i = guid_hash(g) & (m->cap - 1);
    while (m->slots[i].used && !etl_guid_equal(&m->slots[i].guid, g))
        i = (i + 1) & (m->cap - 1);
    if (!m->slots[i].used) {
        m->slots[i].used = 1;
        m->slots[i].guid = *g;
        m->used++;
    }
    m->slots[i].count++;
    return 0;
}

static int guid_count_cmp(const void *a, const void *b)
{
    const guid_count *x = (const guid_count *)a, *y = (const guid_count *)b;
    char gx[40], gy[40];
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    etl_guid_format(&x->guid, gx);
    etl_guid_format(&y->guid, gy);
    return strcmp(gx, gy);
}

/* Busiest first, then by GUID text, so the output is the same on every run. */
static void kv_guid_map(kv *k, const char *key, guid_map *m)
{
    size_t i, n = 0;
    kv_obj_begin(k, key);
    for (i = 0; i < m->cap; i++)
        if (m->slots[i].used)
            m->slots[n++] = m->slots[i];
    m->cap = 0; /* the table is compacted: only the sorted list remains */
    if (n) /* slots is NULL when nothing was counted */
        qsort(m->slots, n, sizeof *m->slots, guid_count_cmp);
    for (i = 0; i < n; i++) {
        char g[40];
        etl_guid_format(&m->slots[i].guid, g);
        kv_u64(k, g, m->slots[i].count);
    }
    kv_obj_end(k);
    kv_end_value(k);
}

static int cmd_stats(const dump_opts *op)
{
    etl_file *f = NULL;
    etl_iter *it = NULL;
    etl_event ev;
    guid_map providers = { NULL, 0, 0 }, classic = { NULL, 0, 0 };
    uint64_t kinds[ETL_KIND_COUNT] = { 0 };
    uint64_t records = 0, min_t = UINT64_MAX, max_t = 0;
    cli_out o;
    int out_ready = 0, rc = EXIT_UNREADABLE, i;
    kv k;

    if (dump_open(op->file, &f) != 0)
        return EXIT_UNREADABLE;
    if (etl_iter_create(f, ETL_ORDER_FILE, &it) != ETL_OK) {
        fprintf(stderr, "wskdump: %s: out of memory\n", op->file);
        goto cleanup;
    }
    while (etl_iter_next(it, &ev)) {
        records++;
        if ((unsigned)ev.kind < ETL_KIND_COUNT)
            kinds[ev.kind]++;
        if (ev.flags & ETL_EV_HAS_TIME) {
            if (ev.time < min_t)
                min_t = ev.time;
            if (ev.time > max_t)
                max_t = ev.time;
        }
        if (ev.kind == ETL_KIND_EVENT && guid_map_add(&providers, &ev.provider) != 0)
            goto nomem;
        if ((ev.kind == ETL_KIND_FULL || ev.kind == ETL_KIND_INSTANCE) &&
            guid_map_add(&classic, &ev.provider) != 0)
            goto nomem;
    }
    if (cli_out_init(&o, stdout) != 0)
        goto nomem;
    out_ready = 1;
    kv_begin(&k, &o, op->format == FMT_JSON);
    kv_str(&k, "file", op->file);
    kv_u64(&k, "records", records);
    kv_obj_begin(&k, "header_types");
    for (i = 0; i < ETL_KIND_COUNT; i++)
        if (i != ETL_KIND_ERROR || kinds[i])
            kv_u64(&k, etl_kind_name((etl_kind)i), kinds[i]);
    kv_obj_end(&k);
    kv_end_value(&k);
    kv_guid_map(&k, "providers", &providers);
    kv_guid_map(&k, "classic_providers", &classic);
    kv_filetime(&k, "min_time", min_t, min_t != UINT64_MAX);
    kv_filetime(&k, "max_time", max_t, min_t != UINT64_MAX);
    kv_u64(&k, "diagnostics", etl_diag_count(f));
    kv_finish(&k);
    dump_note_diags(op->file, f);
    rc = dump_finish_output(&o, op->file);
    out_ready = 0;
    goto cleanup;
nomem:
    fprintf(stderr, "wskdump: %s: out of memory\n", op->file);
cleanup:
    if (out_ready)
        cli_out_close(&o);
    free(providers.slots);
    free(classic.slots);
    if (it)
        etl_iter_destroy(it);
    etl_close(f);
    return rc;
}

/* ---- the trace loaded into the event store and socket model (filters, sockets) ----------------- */

typedef struct loaded {
    etl_file *f;
    store *st;
    sock_model *sm;
    filt *flt;
    filt_ctx ctx;
} loaded;

static int loaded_decode(void *user, uint64_t row, afd_fields *out)
{
    loaded *l = (loaded *)user;
    return load_decode_row(l->f, store_row_at(l->st, row), out);
}

static void dump_unload(loaded *l)
{
    filt_free(l->flt);
    sock_model_destroy(l->sm);
    store_destroy(l->st);
    etl_close(l->f);
}

/* Compiles the filter first (a typo should not cost a load), then loads. Returns an exit code. */
static int dump_load(const dump_opts *op, loaded *l)
{
    filt_error err;
    load_job job;
    load_stats ls;
    memset(l, 0, sizeof *l);
    if (op->filter && filt_compile(op->filter, &l->flt, &err) != 0) {
        fprintf(stderr, "wskdump: --filter: column %zu: %s\n  %s\n  %*s^\n", err.column, err.message, op->filter,
                (int)(err.column - 1), "");
        return EXIT_USAGE;
    }
    if (dump_open(op->file, &l->f) != 0)
        return EXIT_UNREADABLE;
    if (store_create(UINT32_MAX, &l->st) != 0 || sock_model_create(&l->sm) != 0) {
        fprintf(stderr, "wskdump: %s: out of memory\n", op->file);
        return EXIT_UNREADABLE;
    }
    memset(&job, 0, sizeof job);
    job.file = l->f;
    job.events = l->st;
    job.sockets = l->sm;
    job.order = op->file_order ? ETL_ORDER_FILE : ETL_ORDER_TIME;
    if (load_file(&job, &ls) != 0) {
        fprintf(stderr, "wskdump: %s: out of memory\n", op->file);
        return EXIT_UNREADABLE;
    }
    if (ls.store_full)
        fprintf(stderr, "wskdump: %s: more events than the store holds; the rest were not read\n", op->file);
    l->ctx.events = l->st;
    l->ctx.sockets = l->sm;
    l->ctx.trace_end = store_count(l->st) ? store_row_at(l->st, store_count(l->st) - 1)->time : 0;
    l->ctx.decode = loaded_decode;
    l->ctx.user = l;
    return EXIT_OK;
}

/* ---- events -------------------------------------------------------------------------------------- */

static int event_is_afd(const etl_event *ev)
{
    return ev->kind == ETL_KIND_EVENT && (ev->flags & ETL_EV_HAS_PROVIDER) && afd_is_provider(&ev->provider);
}

/* The lines themselves come from export.h, which the viewer's File > Export Events uses too. */
typedef struct printer {
    cli_out *o;
    dump_format fmt;
    export_clock clock;
    char *line;         /* one event's text; grown to the longest seen */
    size_t line_cap;
} printer;

static void print_event(printer *p, const etl_event *ev)
{
    for (;;) {
        size_t n = p->fmt == FMT_JSONL ? export_event_json(ev, &p->clock, p->line, p->line_cap)
                   : p->fmt == FMT_CSV ? export_event_csv(ev, &p->clock, p->line, p->line_cap)
                                       : export_event_text(ev, &p->clock, p->line, p->line_cap);
        char *bigger;
        if (n < p->line_cap) {
            cli_put(p->o, p->line, n);
            cli_putc(p->o, '\n');
            return;
        }
        bigger = (char *)realloc(p->line, n + 1);
        if (!bigger) {
            fprintf(stderr, "wskdump: out of memory for an event of %llu bytes\n", (unsigned long long)n);
            p->o->failed = 1;
            return;
        }
        p->line = bigger;
        p->line_cap = n + 1;
    }
}

static void print_csv_header(printer *p)
{
    if (p->fmt == FMT_CSV) {
        cli_puts(p->o, export_event_csv_header());
        cli_putc(p->o, '\n');
    }
}

/* Events through the display filter: the trace is loaded first, since filters read sockets. */
static int cmd_events_filtered(const dump_opts *op, printer *pr)
{
    loaded l;
    cli_out *o = pr->o;
    uint64_t printed = 0;
    etl_event ev;
    int rc = dump_load(op, &l);

    if (rc != EXIT_OK)
        goto cleanup;
    rc = EXIT_UNREADABLE;
    pr->line_cap = 4096;
    pr->line = (char *)malloc(pr->line_cap);
    if (!pr->line || cli_out_init(o, stdout) != 0) {
        fprintf(stderr, "wskdump: %s: out of memory\n", op->file);
        goto cleanup;
    }
    print_csv_header(pr);
    for (uint64_t r = 0; r < store_count(l.st) && (op->limit == 0 || printed < op->limit) && !o->failed; r++) {
        if (!filt_match_event(l.flt, &l.ctx, r) || etl_event_get(l.f, store_row_at(l.st, r)->handle, &ev) != ETL_OK)
            continue;
        if (op->have_provider &&
            (!(ev.flags & ETL_EV_HAS_PROVIDER) || !etl_guid_equal(&ev.provider, &op->provider)))
            continue;
        if (op->afd_only && !event_is_afd(&ev))
            continue;
        print_event(pr, &ev);
        printed++;
    }
    dump_note_diags(op->file, l.f);
    rc = dump_finish_output(o, op->file);
cleanup:
    free(pr->line);
    dump_unload(&l);
    return rc;
}

static int cmd_events(const dump_opts *op)
{
    etl_file *f = NULL;
    etl_iter *it = NULL;
    etl_event ev;
    printer pr;
    cli_out o;
    uint64_t printed = 0;
    int out_ready = 0, rc = EXIT_UNREADABLE;

    memset(&pr, 0, sizeof pr);
    pr.o = &o;
    pr.fmt = op->format;
    export_clock_init(&pr.clock);
    if (op->filter)
        return cmd_events_filtered(op, &pr);
    if (dump_open(op->file, &f) != 0)
        return EXIT_UNREADABLE;
    if (etl_iter_create(f, op->file_order ? ETL_ORDER_FILE : ETL_ORDER_TIME, &it) != ETL_OK ||
        cli_out_init(&o, stdout) != 0) {
        fprintf(stderr, "wskdump: %s: out of memory\n", op->file);
        goto cleanup;
    }
    out_ready = 1;
    pr.line_cap = 4096;
    pr.line = (char *)malloc(pr.line_cap);
    if (!pr.line) {
        fprintf(stderr, "wskdump: %s: out of memory\n", op->file);
        goto cleanup;
    }
    print_csv_header(&pr);
    while ((op->limit == 0 || printed < op->limit) && !o.failed && etl_iter_next(it, &ev)) {
        if (op->have_provider &&
            (!(ev.flags & ETL_EV_HAS_PROVIDER) || !etl_guid_equal(&ev.provider, &op->provider)))
            continue;
        if (op->afd_only && !event_is_afd(&ev))
            continue;
        print_event(&pr, &ev);
        printed++;
    }
    dump_note_diags(op->file, f);
    rc = dump_finish_output(&o, op->file);
    out_ready = 0;
cleanup:
    if (out_ready)
        cli_out_close(&o);
    free(pr.line);
    if (it)
        etl_iter_destroy(it);
    etl_close(f);
    return rc;
}

static int cmd_sockets(const dump_opts *op)
{
    loaded l;
    cli_out o;
    char *line = NULL;
    uint8_t *match = NULL;
    size_t n, cap = 4096;
    int rc = dump_load(op, &l);

    if (rc != EXIT_OK)
        goto cleanup;
    rc = EXIT_UNREADABLE;
    n = sock_model_count(l.sm);
    line = (char *)malloc(cap);
    match = (uint8_t *)calloc(n ? n : 1, 1);
    if (!line || !match || cli_out_init(&o, stdout) != 0) {
        fprintf(stderr, "wskdump: %s: out of memory\n", op->file);
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++)
        match[i] = !l.flt || filt_match_socket(l.flt, &l.ctx, (uint32_t)i);
    /* A filter on event fields also keeps the sockets that have a matching event. */
    if (l.flt && filt_uses_event_fields(l.flt))
        for (uint64_t r = 0; r < store_count(l.st); r++) {
            const store_row *row = store_row_at(l.st, r);
            if (row->socket != STORE_NO_SOCKET && !match[row->socket] && filt_match_event(l.flt, &l.ctx, r))
                match[row->socket] = 1;
        }
    if (op->format == FMT_TEXT)
        export_socket_text_header(line, cap);
    if (op->format != FMT_JSONL) {
        cli_puts(&o, op->format == FMT_CSV ? export_socket_csv_header() : line);
        cli_putc(&o, '\n');
    }
    for (size_t i = 0; i < n && !o.failed; i++) {
        size_t len;
        if (!match[i])
            continue;
        for (;;) {
            len = op->format == FMT_JSONL ? export_socket_json(l.sm, i, line, cap)
                  : op->format == FMT_CSV ? export_socket_csv(l.sm, i, line, cap)
                                          : export_socket_text(l.sm, i, line, cap);
            if (len < cap)
                break;
            char *bigger = (char *)realloc(line, len + 1);
            if (!bigger)
                break;
            line = bigger;
            cap = len + 1;
        }
        cli_puts(&o, line);
        cli_putc(&o, '\n');
    }
    dump_note_diags(op->file, l.f);
    rc = dump_finish_output(&o, op->file);
cleanup:
    free(line);
    free(match);
    dump_unload(&l);
    return rc;
}

/* ---- verify -------------------------------------------------------------------------------------- */

/* Problems show up while opening (buffer walk) and while reading records (decompression, record
 * parsing); walking every record once in file order reaches all of them. */
static int cmd_verify(const dump_opts *op)
{
    etl_file *f = NULL;
    etl_iter *it = NULL;
    etl_event ev;
    cli_out o;
    size_t i, n;
    uint64_t records = 0;
    int rc = EXIT_UNREADABLE;

    if (dump_open(op->file, &f) != 0)
        return EXIT_UNREADABLE;
    if (etl_iter_create(f, ETL_ORDER_FILE, &it) != ETL_OK || cli_out_init(&o, stdout) != 0) {
        fprintf(stderr, "wskdump: %s: out of memory\n", op->file);
        goto cleanup;
    }
    while (etl_iter_next(it, &ev))
        records++;
    n = etl_diag_count(f);
    for (i = 0; i < n; i++) {
        const etl_diag *d = etl_diag_at(f, i);
        cli_put_hex(&o, d->offset, 8);
        cli_putc(&o, ' ');
        cli_puts(&o, d->reason);
        cli_putc(&o, '\n');
    }
    rc = dump_finish_output(&o, op->file);
    if (rc == EXIT_OK) {
        if (n) {
            fprintf(stderr, "wskdump: %s: %llu problem%s, %llu records read\n", op->file,
                    (unsigned long long)n, n == 1 ? "" : "s", (unsigned long long)records);
            rc = EXIT_PROBLEMS;
        }
    }
cleanup:
    if (it)
        etl_iter_destroy(it);
    etl_close(f);
    return rc;
}

/* ---- command line -------------------------------------------------------------------------------- */

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "wskdump: %s%s\n(wskdump --help lists the commands)\n", what, arg);
    return EXIT_USAGE;
}

static int parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*s - '0');
    }
    *out = v;
    return 0;
}

/* GUID with or without braces, any case. */
static int parse_guid_arg(const char *s, etl_guid *out)
{
    return etl_guid_parse(s, out) == 0 ? 0 : -1;
}

static int dump_main(int argc, char **argv)
{
    dump_opts op;
    int i, is_info, is_stats, is_events, is_verify, is_sockets;

    memset(&op, 0, sizeof op);
    if (argc < 2)
        return usage_error("no command given", "");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(dump_usage, stdout);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("wskdump %s\n", WSK_VERSION);
        return EXIT_OK;
    }
    if (strcmp(argv[1], "capture") == 0)
        return dump_capture(argc - 1, argv + 1);
    op.command = argv[1];
    is_info = strcmp(op.command, "info") == 0;
    is_stats = strcmp(op.command, "stats") == 0;
    is_events = strcmp(op.command, "events") == 0;
    is_verify = strcmp(op.command, "verify") == 0;
    is_sockets = strcmp(op.command, "sockets") == 0;
    if (!is_info && !is_stats && !is_events && !is_verify && !is_sockets)
        return usage_error("unknown command: ", op.command);
    op.format = FMT_TEXT;
    for (i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (a[0] != '-' || a[1] == '\0') {
            if (op.file)
                return usage_error("only one FILE is accepted; extra: ", a);
            op.file = a;
        } else if ((is_info || is_stats) && strcmp(a, "--json") == 0) {
            op.format = FMT_JSON;
        } else if ((is_events || is_sockets) && strcmp(a, "--filter") == 0) {
            if (!val)
                return usage_error("--filter needs an expression, e.g. \"remote.port == 443\"", "");
            op.filter = val;
            i++;
        } else if ((is_events || is_sockets) && strcmp(a, "--format") == 0) {
            if (!val)
                return usage_error("--format needs a value: text, csv or jsonl", "");
            if (strcmp(val, "text") == 0)
                op.format = FMT_TEXT;
            else if (strcmp(val, "csv") == 0)
                op.format = FMT_CSV;
            else if (strcmp(val, "jsonl") == 0)
                op.format = FMT_JSONL;
            else
                return usage_error("unknown format (text, csv or jsonl): ", val);
            i++;
        } else if (is_events && strcmp(a, "--provider") == 0) {
            if (!val || parse_guid_arg(val, &op.provider) != 0)
                return usage_error("--provider needs a GUID such as e53c6823-7bb8-44bb-90dc-3f86090d48a6", "");
            op.have_provider = 1;
            i++;
        } else if (is_events && strcmp(a, "--limit") == 0) {
            if (!val || parse_u64(val, &op.limit) != 0)
                return usage_error("--limit needs a number", "");
            i++;
        } else if (is_events && strcmp(a, "--file-order") == 0) {
            op.file_order = 1;
        } else if (is_events && strcmp(a, "--afd") == 0) {
            op.afd_only = 1;
        } else {
            return usage_error("unknown option for this command: ", a);
        }
    }
    if (!op.file)
        return usage_error("FILE is missing after ", op.command);
    if (is_info)
        return cmd_info(&op);
    if (is_stats)
        return cmd_stats(&op);
    if (is_events)
        return cmd_events(&op);
    if (is_sockets)
        return cmd_sockets(&op);
    return cmd_verify(&op);
}

#ifdef _WIN32
int wmain(int argc, wchar_t **wargv);
int wmain(int argc, wchar_t **wargv)
{
    return cli_wmain(argc, wargv, "wskdump", dump_main);
}
#else
int main(int argc, char **argv)
{
    return dump_main(argc, argv);
}
#endif
