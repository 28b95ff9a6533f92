/*
 * cap_capture.c - one live capture assembled (see cap_capture.h for its threads and how the viewer
 * uses it).
 */
#include "cap_capture.h"

#include <tlhelp32.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

struct cap_capture {
    cap_capture_config c;
    char *replay_path;
    ring *ring;
    cap_arena *arena;
    live *lv;
    cap_sink sink;
    plat_thread *consumer;
    plat_atomic_u64 consumer_stop;
    cap_session *session;
    plat_thread *replay;
    plat_atomic_u64 replay_cancel;
    plat_atomic_u64 replay_done;
    live_process *procs;
    size_t nprocs;
    unsigned swept;
    int stopped;
    live_stats final;
};

static int consumer_main(void *arg)
{
    cap_capture *c = (cap_capture *)arg;
    return live_run(c->lv, &c->consumer_stop);
}

static int replay_main(void *arg)
{
    cap_capture *c = (cap_capture *)arg;
    cap_replay_options o;
    cap_replay_stats rs;
    int rc;
    memset(&o, 0, sizeof o);
    o.path = c->replay_path;
    o.rate = c->c.replay_rate;
    o.callback = cap_record_to_sink;
    o.context = &c->sink;
    o.cancel = &c->replay_cancel;
    rc = cap_replay_run(&o, &rs, NULL, 0);
    plat_store_release(&c->replay_done, 1);
    return rc;
}

int cap_running_processes(live_process **out, size_t *count)
{
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    PROCESSENTRY32W pe;
    size_t n = 0, text = 0, i = 0;
    live_process *v = NULL;
    char *strings;
    int rc = -1;

    if (snap == INVALID_HANDLE_VALUE)
        return -1;
    /* Two passes over one snapshot: count and size, then fill one block. */
    pe.dwSize = sizeof pe;
    for (BOOL ok = Process32FirstW(snap, &pe); ok; ok = Process32NextW(snap, &pe)) {
        int len = WideCharToMultiByte(CP_UTF8, 0, pe.szExeFile, -1, NULL, 0, NULL, NULL);
        n++;
        text += len > 0 ? (size_t)len : 1;
    }
    v = malloc(n * sizeof *v + text + 1);
    if (!v)
        goto cleanup;
    strings = (char *)(v + n);
    pe.dwSize = sizeof pe;
    for (BOOL ok = Process32FirstW(snap, &pe); ok && i < n; ok = Process32NextW(snap, &pe)) {
        int len = WideCharToMultiByte(CP_UTF8, 0, pe.szExeFile, -1, strings, (int)(text > INT_MAX ? INT_MAX : text),
                                      NULL, NULL);
        if (len <= 0) {
            strings[0] = '\0';
            len = 1;
        }
        v[i].pid = pe.th32ProcessID;
        v[i].image = strings;
        strings += len;
        text -= (size_t)len;
        i++;
    }
    *out = v;
    *count = i;
    v = NULL;
    rc = 0;

cleanup:
    free(v);
    CloseHandle(snap);
    return rc;
}

/* Sockets open before the session started are listed as pre-existing, so the socket table shows them
 * even when they stay quiet during the capture. */
static void seed_existing_sockets(const cap_capture_config *cfg)
{
    cap_existing *ex = NULL;
    size_t n = 0, i;
    FILETIME now;
    uint64_t t;

    if (cap_existing_sockets(&ex, &n) != 0)
        return;
    GetSystemTimeAsFileTime(&now);
    t = ((uint64_t)now.dwHighDateTime << 32) | now.dwLowDateTime;
    if (cfg->sockets_lock)
        cfg->sockets_lock(cfg->user, 1);
    for (i = 0; i < n; i++) {
        sock_state st = ex[i].tcp_state == 2 ? SOCK_LISTENING : ex[i].protocol == 6 ? SOCK_CONNECTED : SOCK_BOUND;
        sock_model_add_existing(cfg->sockets, t, ex[i].pid, ex[i].family, ex[i].type, ex[i].protocol, &ex[i].local,
                                ex[i].remote.family ? &ex[i].remote : NULL, st);
    }
    if (cfg->sockets_lock)
        cfg->sockets_lock(cfg->user, 0);
    free(ex);
}

int cap_capture_start(const cap_capture_config *cfg, cap_capture **out, cap_error *err)
{
    cap_capture *c = calloc(1, sizeof *c);
    live_config lc;
    uint32_t mib = cfg->ring_mib ? cfg->ring_mib : 64;
    size_t i;

    if (err)
        memset(err, 0, sizeof *err);
    if (!c)
        goto oom;
    c->c = *cfg;
    plat_store_release(&c->consumer_stop, 0);
    plat_store_release(&c->replay_cancel, 0);
    plat_store_release(&c->replay_done, 0);
    if (mib > 1024 || (mib & (mib - 1)) || ring_create(mib << 20, CAP_MAX_RECORD, &c->ring) != 0 ||
        cap_arena_create((uint64_t)64 << 30, &c->arena) != 0)
        goto oom;
    memset(&lc, 0, sizeof lc);
    lc.ring = c->ring;
    lc.arena = c->arena;
    lc.events = cfg->events;
    lc.sockets = cfg->sockets;
    lc.sockets_lock = cfg->sockets_lock;
    lc.user = cfg->user;
    /* A quiet CPU's buffer waits up to the flush timer before ETW hands it over, while busy CPUs' buffers
     * come at once: hold rows for that long, plus a second for the delivery itself. A replay delivers in
     * time order and keeps live.h's default. */
    if (!cfg->replay_path)
        lc.window = (uint64_t)((cfg->session.flush_seconds ? cfg->session.flush_seconds : 1) + 1) * 10000000u;
    if (live_create(&lc, &c->lv) != 0)
        goto oom;
    c->sink.ring = c->ring;

    if (!cfg->replay_path) {
        const cap_etw_api *api = cfg->api ? cfg->api : &cap_etw_real;
        /* A sweep that cannot list sessions is no reason not to try: the start says what is wrong. */
        cap_sweep_stale(api, GetCurrentProcessId(), &c->swept, NULL);
        if (cap_running_processes(&c->procs, &c->nprocs) == 0 && cfg->sockets) {
            if (cfg->sockets_lock)
                cfg->sockets_lock(cfg->user, 1);
            for (i = 0; i < c->nprocs; i++)
                sock_model_set_process_name(cfg->sockets, c->procs[i].pid, c->procs[i].image);
            if (cfg->sockets_lock)
                cfg->sockets_lock(cfg->user, 0);
        }
        if (cfg->sockets)
            seed_existing_sockets(cfg);
    } else {
        size_t len = strlen(cfg->replay_path) + 1;
        c->replay_path = malloc(len);
        if (!c->replay_path)
            goto oom;
        memcpy(c->replay_path, cfg->replay_path, len);
    }
    if (plat_thread_start(&c->consumer, consumer_main, c, "wsk-live") != 0)
        goto oom;
    if (cfg->replay_path) {
        if (plat_thread_start(&c->replay, replay_main, c, "wsk-replay") != 0)
            goto oom;
    } else if (cap_session_start(cfg->api ? cfg->api : &cap_etw_real, &cfg->session, &c->sink, &c->session, err) != 0) {
        goto fail;
    } else {
        cap_exit_guard(c->session);
    }
    *out = c;
    return 0;

oom:
    if (err)
        cap_error_set(err, CAP_STEP_THREAD, ERROR_NOT_ENOUGH_MEMORY, NULL);
fail:
    if (c) {
        c->stopped = 1;
        if (c->consumer) {
            plat_store_release(&c->consumer_stop, 1);
            plat_thread_join(c->consumer);
        }
        live_destroy(c->lv);
        cap_arena_destroy(c->arena);
        ring_destroy(c->ring);
        free(c->replay_path);
        free(c->procs);
        free(c);
    }
    return -1;
}

void cap_capture_get_status(cap_capture *c, cap_capture_status *st)
{
    memset(st, 0, sizeof *st);
    st->rows = store_count(c->c.events);
    st->ring_pushed = ring_pushed(c->ring);
    st->ring_dropped = ring_dropped(c->ring);
    st->swept = c->swept;
    st->source_done = (int)plat_load_acquire(&c->replay_done);
    if (c->session && !c->stopped)
        st->etw_valid = cap_session_query(c->session, &st->etw, NULL) == 0;
}

int cap_capture_stop(cap_capture *c, live_stats *final, cap_error *err)
{
    int rc = 0;
    if (!c->stopped) {
        cap_session *s = c->session;
        c->stopped = 1;
        c->session = NULL; /* an emergency stop from now on finds nothing to stop */
        if (s)
            cap_exit_guard(NULL);
        if (s && cap_session_stop(s, err) != 0)
            rc = -1;
        if (c->replay) {
            plat_store_release(&c->replay_cancel, 1);
            plat_thread_join(c->replay);
            c->replay = NULL;
        }
        /* The producer is done: the consumer drains what is left, flushes the window and returns. */
        plat_store_release(&c->consumer_stop, 1);
        plat_thread_join(c->consumer);
        c->consumer = NULL;
        if (c->c.sockets) {
            if (c->c.sockets_lock)
                c->c.sockets_lock(c->c.user, 1);
            sock_model_finish(c->c.sockets);
            if (c->c.sockets_lock)
                c->c.sockets_lock(c->c.user, 0);
        }
        live_get_stats(c->lv, &c->final);
    }
    if (final)
        *final = c->final;
    return rc;
}

void cap_capture_emergency_stop(cap_capture *c)
{
    if (c)
        cap_session_emergency_stop(c->session);
}

const cap_arena *cap_capture_arena(const cap_capture *c)
{
    return c->arena;
}

int cap_capture_save(cap_capture *c, const char *path, live_save_stats *st, char *err, size_t err_len)
{
    return live_save_etl(c->c.events, c->arena, c->procs, c->nprocs, path, st, err, err_len);
}

void cap_capture_destroy(cap_capture *c)
{
    if (!c)
        return;
    cap_capture_stop(c, NULL, NULL);
    live_destroy(c->lv);
    cap_arena_destroy(c->arena);
    ring_destroy(c->ring);
    free(c->replay_path);
    free(c->procs);
    free(c);
}
