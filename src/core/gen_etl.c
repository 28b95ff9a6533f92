/*
 * gen_etl.c - the scenario engine's file sink: every event's payload is
 * encoded from the schema table (afd_encode, the table the decoder reads) and
 * written as an EVENT_HEADER record of the Winsock-AFD provider with the .etl
 * writer; processes go into the writer's process table (ProcessStart records).
 */
#include <wsk/etlw.h>
#include <wsk/gen.h>

#include <stdio.h>
#include <string.h>

typedef struct gen_file {
    etlw *w;
    uint64_t total;      /* events the run will emit (for spreading lost marks) */
    uint32_t lose, lost; /* marks asked for / made */
    uint64_t seen;
    int process_table;
    char err[256];
    uint8_t buf[512];
} gen_file;

size_t gen_image_path(const char *image, char *buf, size_t cap)
{
    static const char *const system32[] = {"svchost.exe", "lsass.exe", "services.exe", "MsMpEng.exe"};
    size_t i, stem;
    int n;
    if (strcmp(image, "System") == 0) {
        n = snprintf(buf, cap, "%s", image);
        return n < 0 ? 0 : (size_t)n;
    }
    for (i = 0; i < sizeof system32 / sizeof system32[0]; i++) {
        if (strcmp(image, system32[i]) == 0) {
            n = snprintf(buf, cap, "\\Device\\HarddiskVolume3\\Windows\\System32\\%s", image);
            return n < 0 ? 0 : (size_t)n;
        }
    }
    stem = strcspn(image, ".");
    n = snprintf(buf, cap, "\\Device\\HarddiskVolume3\\Program Files\\%.*s\\%s", (int)stem, image, image);
    return n < 0 ? 0 : (size_t)n;
}

static int file_process(void *ctx, uint32_t pid, const char *image, uint64_t eprocess, uint64_t time)
{
    gen_file *f = (gen_file *)ctx;
    char path[260];
    (void)eprocess;
    if (!f->process_table)
        return 0;
    gen_image_path(image, path, sizeof path);
    if (etlw_process(f->w, 0, time, pid, pid == 4 ? 0 : 4, pid == 4 ? 0 : 1, path) != 0) {
        snprintf(f->err, sizeof f->err, "%s", etlw_error(f->w));
        return 1;
    }
    return 0;
}

static int file_event(void *ctx, const gen_event *ev)
{
    gen_file *f = (gen_file *)ctx;
    const afd_event_schema *s = afd_schema_find(ev->id, 0);
    etlw_event_desc d;
    size_t len = 0;
    if (!s || afd_encode(s, ev->ptr_size, ev->values, ev->count, f->buf, sizeof f->buf, &len) != 0) {
        snprintf(f->err, sizeof f->err, "cannot encode event %u", ev->id);
        return 1;
    }
    memset(&d, 0, sizeof d);
    d.cpu = ev->cpu;
    d.pid = ev->pid;
    d.tid = ev->tid;
    d.time = ev->time;
    d.pointer_size = ev->ptr_size;
    d.provider = afd_provider_guid;
    d.id = ev->id;
    d.channel = 16;
    d.level = ev->level;
    d.opcode = ev->opcode;
    d.task = ev->task;
    d.keyword = ev->keyword;
    if (etlw_event(f->w, &d, f->buf, (uint32_t)len) != 0) {
        snprintf(f->err, sizeof f->err, "%s", etlw_error(f->w));
        return 1;
    }
    f->seen++;
    /* lost marks at evenly spaced points of the run */
    if (f->lost < f->lose && f->seen * (f->lose + 1) >= f->total * (f->lost + 1)) {
        if (etlw_mark_lost(f->w, ev->cpu) != 0) {
            snprintf(f->err, sizeof f->err, "%s", etlw_error(f->w));
            return 1;
        }
        f->lost++;
    }
    return 0;
}

static int count_event(void *ctx, const gen_event *ev)
{
    (void)ev;
    ++*(uint64_t *)ctx;
    return 0;
}

int gen_write_etl(const char *path, const gen_options *o, const gen_file_options *fo, gen_result *result,
                  char *err, size_t err_len)
{
    gen_file f;
    gen_sink sink;
    etlw_options wo;
    gen_result r;
    int rc = -1;
    memset(&f, 0, sizeof f);
    memset(&r, 0, sizeof r);
    if (!path || !o || !fo || !result) {
        snprintf(err, err_len, "gen_write_etl: missing argument");
        return -1;
    }
    f.lose = fo->lose;
    f.process_table = fo->process_table;
    f.total = o->events;
    if (f.lose && !f.total) {
        /* the engine is deterministic: a dry run tells how many events the real one will write */
        uint64_t n = 0;
        gen_sink counter;
        counter.ctx = &n;
        counter.event = count_event;
        counter.process = NULL;
        if (gen_run(o, &counter, &r, err, err_len) != 0)
            return -1;
        gen_result_free(&r);
        f.total = n;
    }
    memset(&wo, 0, sizeof wo);
    wo.buffer_size = fo->buffer_size;
    wo.cpus = o->cpus;
    wo.pointer_size = o->ptr_size;
    wo.clock_type = fo->clock_type;
    wo.start_time = o->start_time;
    wo.compress = fo->compress;
    wo.circular = fo->circular_mb > 0;
    wo.max_file_size = (uint64_t)fo->circular_mb << 20;
    wo.logger_name = "wskgen";
    if (etlw_create(path, &wo, &f.w, err, err_len) != 0)
        return -1;
    sink.ctx = &f;
    sink.event = file_event;
    sink.process = file_process;
    rc = gen_run(o, &sink, &r, err, err_len);
    if (rc > 0)
        snprintf(err, err_len, "%s: %s", path, f.err);
    if (etlw_close(f.w, rc == 0 ? err : NULL, rc == 0 ? err_len : 0) != 0 && rc == 0)
        rc = -1;
    if (rc != 0) {
        gen_result_free(&r);
        return -1;
    }
    *result = r;
    return 0;
}
