/*
 * test_capture.c - the real-time session (src/capture/cap_etw.c) against a scripted fake of the ETW seam:
 * what it asks ETW for, every failure path (access denied at each call, name in use, no system
 * resources, a failed ProcessTrace), the loss counters, the stale-session sweep, the EVENT_RECORD
 * callback into the ring, and the socket tables. Windows only (runs under Wine from the cross build).
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* wcsncpy in the fake: bounded by hand */
#endif
#include "check.h"

#include "cap_capture.h"

#include <wsk/gen.h>

#include <wsk/live.h>

#include <wchar.h>

/* ---- the scripted fake ------------------------------------------------------------------------ */

#define MAX_CALLS 16

static struct {
    /* script */
    ULONG start_rc[4];
    ULONG enable_rc[2];     /* AFD, Kernel-Process */
    DWORD open_error;       /* non-zero: OpenTraceW fails with it */
    ULONG process_rc;
    ULONG query_rc, stop_rc, list_rc;
    ULONG events_lost, rt_lost, log_lost;
    int deliver;            /* events ProcessTrace delivers before it waits for the stop */
    const wchar_t *sessions[9];
    int nsessions;
    DWORD alive[8];
    int nalive;
    /* record */
    int nstart, nenable, nopen, nclose, nquery;
    wchar_t start_name[64];
    ULONG mode, buffer_kb, min_buffers, max_buffers, flush;
    wchar_t file[260];
    GUID enabled[2];
    UCHAR level[2];
    ULONGLONG any[2];
    wchar_t stopped[MAX_CALLS][64];
    int nstopped;
    PEVENT_RECORD_CALLBACK cb;
    void *ctx;
    HANDLE wake;
} fk;

static void fake_reset(void)
{
    if (fk.wake)
        CloseHandle(fk.wake);
    memset(&fk, 0, sizeof fk);
    fk.wake = CreateEventW(NULL, TRUE, FALSE, NULL);
}

static ULONG WINAPI fake_start(PTRACEHANDLE h, LPCWSTR name, PEVENT_TRACE_PROPERTIES p)
{
    ULONG rc = fk.nstart < 4 ? fk.start_rc[fk.nstart] : 0;
    fk.nstart++;
    wcsncpy(fk.start_name, name, 63);
    fk.mode = p->LogFileMode;
    fk.buffer_kb = p->BufferSize;
    fk.min_buffers = p->MinimumBuffers;
    fk.max_buffers = p->MaximumBuffers;
    fk.flush = p->FlushTimer;
    if (p->LogFileNameOffset)
        wcsncpy(fk.file, (const wchar_t *)((const char *)p + p->LogFileNameOffset), 259);
    *h = 0x1234;
    return rc;
}

static ULONG WINAPI fake_enable(TRACEHANDLE h, LPCGUID g, ULONG code, UCHAR level, ULONGLONG any, ULONGLONG all,
                                ULONG timeout, PENABLE_TRACE_PARAMETERS params)
{
    int i = fk.nenable++;
    (void)all, (void)timeout, (void)params;
    if (h != 0x1234 || code != EVENT_CONTROL_CODE_ENABLE_PROVIDER || i > 1)
        return ERROR_INVALID_PARAMETER;
    fk.enabled[i] = *g;
    fk.level[i] = level;
    fk.any[i] = any;
    return fk.enable_rc[i];
}

static TRACEHANDLE WINAPI fake_open(PEVENT_TRACE_LOGFILEW lf)
{
    fk.nopen++;
    if (fk.open_error) {
        SetLastError(fk.open_error);
        return INVALID_PROCESSTRACE_HANDLE;
    }
    if (lf->ProcessTraceMode != (PROCESS_TRACE_MODE_REAL_TIME | PROCESS_TRACE_MODE_EVENT_RECORD) ||
        wcscmp(lf->LoggerName, fk.start_name) != 0)
        return INVALID_PROCESSTRACE_HANDLE;
    fk.cb = lf->EventRecordCallback;
    fk.ctx = lf->Context;
    return 0x5678;
}

static ULONG WINAPI fake_process(PTRACEHANDLE h, ULONG n, LPFILETIME a, LPFILETIME b)
{
    uint8_t data[24];
    EVENT_RECORD er;
    EVENT_HEADER_EXTENDED_DATA_ITEM item;
    uint64_t key = 77;
    int i;
    (void)a, (void)b;
    if (n != 1 || *h != 0x5678)
        return ERROR_INVALID_PARAMETER;
    for (i = 0; i < fk.deliver; i++) {
        memset(&er, 0, sizeof er);
        memset(data, i, sizeof data);
        er.EventHeader.TimeStamp.QuadPart = 133000000000000000ll + i;
        er.EventHeader.ProcessId = 4;
        er.EventHeader.ThreadId = 8 + i;
        er.EventHeader.Flags = EVENT_HEADER_FLAG_64_BIT_HEADER | EVENT_HEADER_FLAG_EXTENDED_INFO;
        er.EventHeader.EventDescriptor.Id = (USHORT)(1000 + i);
        er.BufferContext.ProcessorNumber = 3;
        memset(&item, 0, sizeof item);
        item.ExtType = ETL_EXT_PROCESS_START_KEY;
        item.DataSize = 8;
        item.DataPtr = (ULONGLONG)(uintptr_t)&key;
        er.ExtendedData = &item;
        er.ExtendedDataCount = 1;
        er.UserData = data;
        er.UserDataLength = sizeof data;
        er.UserContext = fk.ctx;
        fk.cb(&er);
    }
    WaitForSingleObject(fk.wake, 10000);
    return fk.process_rc;
}

static ULONG WINAPI fake_close(TRACEHANDLE h)
{
    fk.nclose++;
    SetEvent(fk.wake);
    return h == 0x5678 ? ERROR_SUCCESS : ERROR_INVALID_HANDLE;
}

static ULONG WINAPI fake_control(TRACEHANDLE h, LPCWSTR name, PEVENT_TRACE_PROPERTIES p, ULONG code)
{
    if (code == EVENT_TRACE_CONTROL_QUERY) {
        fk.nquery++;
        if (h != 0x1234)
            return ERROR_INVALID_HANDLE;
        p->EventsLost = fk.events_lost;
        p->RealTimeBuffersLost = fk.rt_lost;
        p->LogBuffersLost = fk.log_lost;
        return fk.query_rc;
    }
    if (code != EVENT_TRACE_CONTROL_STOP || !name || p->Wnode.BufferSize < sizeof *p)
        return ERROR_INVALID_PARAMETER;
    if (fk.nstopped < MAX_CALLS)
        wcsncpy(fk.stopped[fk.nstopped++], name, 63);
    if (fk.stop_rc == ERROR_SUCCESS)
        SetEvent(fk.wake);
    return fk.stop_rc;
}

static ULONG WINAPI fake_list(PEVENT_TRACE_PROPERTIES *list, ULONG count, PULONG found)
{
    ULONG i;
    if (fk.list_rc)
        return fk.list_rc;
    for (i = 0; i < (ULONG)fk.nsessions && i < count; i++)
        wcscpy((wchar_t *)((char *)list[i] + list[i]->LoggerNameOffset), fk.sessions[i]);
    *found = (ULONG)fk.nsessions;
    return ERROR_SUCCESS;
}

static int fake_alive(DWORD pid)
{
    int i;
    for (i = 0; i < fk.nalive; i++)
        if (fk.alive[i] == pid)
            return 1;
    return 0;
}

static const cap_etw_api fake_api = {fake_start, fake_enable, fake_open,  fake_process,
                                     fake_close, fake_control, fake_list, fake_alive};

/* ---- helpers ---------------------------------------------------------------------------------- */

static wchar_t own_name[64];

static void setup(void)
{
    fake_reset();
    swprintf(own_name, 64, L"wskview-%lu", (unsigned long)GetCurrentProcessId());
}

static int start(cap_sink *sink, ring **r, cap_session **s, cap_error *err, const wchar_t *file)
{
    cap_options o;
    memset(&o, 0, sizeof o);
    o.file_path = file;
    memset(sink, 0, sizeof *sink);
    if (ring_create(1u << 20, CAP_MAX_RECORD, r) != 0)
        return -2;
    sink->ring = *r;
    memset(err, 0, sizeof *err);
    return cap_session_start(&fake_api, &o, sink, s, err);
}

static const GUID afd = {0xE53C6823, 0x7BB8, 0x44BB, {0x90, 0xDC, 0x3F, 0x86, 0x09, 0x0D, 0x48, 0xA6}};
static const GUID kproc = {0x22fb2cd6, 0x0e7b, 0x422b, {0xa0, 0xc7, 0x2f, 0xad, 0x1f, 0xd0, 0xe7, 0x16}};

/* ---- cases ------------------------------------------------------------------------------------ */

/* The session asked for, the events delivered into the ring, the loss counters, an orderly stop. */
static void test_session_ok(void)
{
    cap_sink sink;
    ring *r = NULL;
    cap_session *s = NULL;
    cap_error err;
    cap_losses l;
    const void *rec;
    uint32_t len;
    etl_event ev;
    int i;

    setup();
    fk.deliver = 3;
    fk.events_lost = 5, fk.rt_lost = 2, fk.log_lost = 1;
    CHECK(start(&sink, &r, &s, &err, L"C:\\traces\\live.etl") == 0);
    CHECK(wcscmp(fk.start_name, own_name) == 0);
    CHECK(wcscmp(cap_session_name(s), own_name) == 0);
    CHECK_U64(fk.mode, EVENT_TRACE_REAL_TIME_MODE | EVENT_TRACE_FILE_MODE_SEQUENTIAL);
    CHECK(wcscmp(fk.file, L"C:\\traces\\live.etl") == 0);
    CHECK_U64(fk.buffer_kb, 256);
    CHECK_U64(fk.min_buffers, 64);
    CHECK_U64(fk.max_buffers, 1024);
    CHECK_U64(fk.flush, 1);
    CHECK_U64(fk.nenable, 2);
    CHECK(IsEqualGUID(&fk.enabled[0], &afd));
    CHECK_U64(fk.level[0], 5);
    CHECK_U64(fk.any[0], ~0ull);
    CHECK(IsEqualGUID(&fk.enabled[1], &kproc));
    CHECK_U64(fk.level[1], 4);
    CHECK_U64(fk.any[1], 0x10);
    CHECK(cap_session_query(s, &l, &err) == 0);
    CHECK_U64(l.events_lost, 5);
    CHECK_U64(l.rt_buffers_lost, 2);
    CHECK_U64(l.log_buffers_lost, 1);
    CHECK(cap_session_stop(s, &err) == 0);
    CHECK_U64(fk.nstopped, 1);
    CHECK(wcscmp(fk.stopped[0], own_name) == 0);
    CHECK_U64(fk.nclose, 1);
    /* What the callback put in the ring. */
    CHECK_U64(ring_pushed(r), 3);
    for (i = 0; i < 3 && ring_peek(r, &rec, &len); i++) {
        CHECK(cap_rec_event(rec, len, 0, &ev) == 0);
        CHECK_U64(ev.id, 1000 + i);
        CHECK_U64(ev.tid, 8 + i);
        CHECK_U64(ev.cpu, 3);
        CHECK_U64(ev.time, 133000000000000000ull + (uint64_t)i);
        CHECK_U64(ev.data_len, 24);
        CHECK(ev.data[23] == i);
        CHECK_U64(ev.ext_count, 1);
        CHECK_U64(ev.ext[0].type, ETL_EXT_PROCESS_START_KEY);
        ring_release(r);
    }
    ring_destroy(r);
}

/* Access denied at each call: the message says who may capture, and what was started is stopped. */
static void test_access_denied_each_call(void)
{
    static const cap_step steps[] = {CAP_STEP_START, CAP_STEP_ENABLE_AFD, CAP_STEP_ENABLE_PROCESS, CAP_STEP_OPEN};
    size_t k;
    for (k = 0; k < sizeof steps / sizeof steps[0]; k++) {
        cap_sink sink;
        ring *r = NULL;
        cap_session *s = NULL;
        cap_error err;
        setup();
        if (steps[k] == CAP_STEP_START)
            fk.start_rc[0] = ERROR_ACCESS_DENIED;
        else if (steps[k] == CAP_STEP_ENABLE_AFD)
            fk.enable_rc[0] = ERROR_ACCESS_DENIED;
        else if (steps[k] == CAP_STEP_ENABLE_PROCESS)
            fk.enable_rc[1] = ERROR_ACCESS_DENIED;
        else
            fk.open_error = ERROR_ACCESS_DENIED;
        CHECK(start(&sink, &r, &s, &err, NULL) == -1);
        CHECK(s == NULL);
        CHECK_U64(err.step, steps[k]);
        CHECK_U64(err.code, ERROR_ACCESS_DENIED);
        CHECK(err.needs_elevation);
        CHECK(strstr(err.text, "administrators") && strstr(err.text, "Performance Log Users") &&
              strstr(err.text, "Restart as administrator") && strstr(err.text, cap_step_name(steps[k])));
        /* Started sessions are stopped again; a session that never started is left alone. */
        CHECK_U64(fk.nstopped, steps[k] == CAP_STEP_START ? 0 : 1);
        CHECK_U64(fk.nclose, 0);
        ring_destroy(r);
    }
    /* Denied queries and stops are reported too. */
    {
        cap_sink sink;
        ring *r = NULL;
        cap_session *s = NULL;
        cap_error err;
        cap_losses l;
        setup();
        fk.query_rc = ERROR_ACCESS_DENIED;
        fk.stop_rc = ERROR_ACCESS_DENIED;
        CHECK(start(&sink, &r, &s, &err, NULL) == 0);
        CHECK(cap_session_query(s, &l, &err) == -1);
        CHECK_U64(err.step, CAP_STEP_QUERY);
        CHECK(err.needs_elevation);
        CHECK(cap_session_stop(s, &err) == -1);
        CHECK_U64(err.step, CAP_STEP_STOP);
        CHECK_U64(fk.nclose, 1); /* CloseTrace still ends ProcessTrace */
        ring_destroy(r);
    }
}

static void test_name_in_use_and_resources(void)
{
    cap_sink sink;
    ring *r = NULL;
    cap_session *s = NULL;
    cap_error err;
    char name[64];

    /* A dead process's session with our name: stopped, and the start retried once. */
    setup();
    fk.start_rc[0] = ERROR_ALREADY_EXISTS;
    CHECK(start(&sink, &r, &s, &err, NULL) == 0);
    CHECK_U64(fk.nstart, 2);
    CHECK_U64(fk.nstopped, 1);
    CHECK(wcscmp(fk.stopped[0], own_name) == 0);
    CHECK(cap_session_stop(s, &err) == 0);
    ring_destroy(r);

    /* Still in use: the name and the command that frees it. */
    setup();
    fk.start_rc[0] = fk.start_rc[1] = ERROR_ALREADY_EXISTS;
    CHECK(start(&sink, &r, &s, &err, NULL) == -1);
    CHECK_U64(err.step, CAP_STEP_START);
    CHECK(!err.needs_elevation);
    snprintf(name, sizeof name, "wskview-%lu", (unsigned long)GetCurrentProcessId());
    CHECK(strstr(err.text, name) && strstr(err.text, "logman stop") && strstr(err.text, "in use"));
    ring_destroy(r);

    /* All 64 sessions in use. */
    setup();
    fk.start_rc[0] = ERROR_NO_SYSTEM_RESOURCES;
    CHECK(start(&sink, &r, &s, &err, NULL) == -1);
    CHECK_U64(err.code, ERROR_NO_SYSTEM_RESOURCES);
    CHECK(strstr(err.text, "64") && strstr(err.text, "logman query -ets"));
    CHECK_U64(fk.nstopped, 0);
    ring_destroy(r);

    /* Something else: the system's own words and the number. */
    setup();
    fk.enable_rc[0] = ERROR_INVALID_PARAMETER;
    CHECK(start(&sink, &r, &s, &err, NULL) == -1);
    CHECK_U64(err.step, CAP_STEP_ENABLE_AFD);
    CHECK(strstr(err.text, "error 87") != NULL);
    ring_destroy(r);
}

/* ProcessTrace ending with an error is reported at stop; the emergency stop is sent once. */
static void test_stop_paths(void)
{
    cap_sink sink;
    ring *r = NULL;
    cap_session *s = NULL;
    cap_error err;

    setup();
    fk.process_rc = ERROR_WMI_INSTANCE_NOT_FOUND;
    CHECK(start(&sink, &r, &s, &err, NULL) == 0);
    cap_session_emergency_stop(s);
    cap_session_emergency_stop(s);
    CHECK_U64(fk.nstopped, 1);
    CHECK(cap_session_stop(s, &err) == -1);
    CHECK_U64(fk.nstopped, 1);
    CHECK_U64(err.step, CAP_STEP_PROCESS);
    CHECK_U64(err.code, ERROR_WMI_INSTANCE_NOT_FOUND);
    ring_destroy(r);

    /* File-only sessions (wskdump capture) open no consumer. */
    setup();
    {
        cap_options o;
        memset(&o, 0, sizeof o);
        o.file_only = 1;
        o.file_path = L"out.etl";
        o.level = 4;
        o.preset = CAP_PRESET_LARGE;
        memset(&sink, 0, sizeof sink);
        CHECK(cap_session_start(&fake_api, &o, &sink, &s, &err) == 0);
        CHECK_U64(fk.mode, EVENT_TRACE_FILE_MODE_SEQUENTIAL);
        CHECK_U64(fk.buffer_kb, 1024);
        CHECK_U64(fk.level[0], 4);
        CHECK_U64(fk.nopen, 0);
        CHECK(cap_session_stop(s, &err) == 0);
        CHECK_U64(fk.nclose, 0);
        o.file_path = NULL;
        CHECK(cap_session_start(&fake_api, &o, &sink, &s, &err) == -1);
        CHECK_U64(err.code, ERROR_INVALID_PARAMETER);
    }
}

/* The crash path: the filter cap_exit_guard installs stops the guarded session, then defers to the
 * filter before it; with no session guarded it stops nothing. */
static void test_exit_guard(void)
{
    cap_sink sink;
    ring *r = NULL;
    cap_session *s = NULL;
    cap_error err;
    LPTOP_LEVEL_EXCEPTION_FILTER ours;
    EXCEPTION_RECORD rec;
    CONTEXT ctx;
    EXCEPTION_POINTERS ep;

    setup();
    CHECK(start(&sink, &r, &s, &err, NULL) == 0);
    cap_exit_guard(s);
    ours = SetUnhandledExceptionFilter(NULL); /* read back the filter the guard installed */
    SetUnhandledExceptionFilter(ours);
    CHECK(ours != NULL);
    memset(&rec, 0, sizeof rec);
    memset(&ctx, 0, sizeof ctx);
    rec.ExceptionCode = 0xE0575600u; /* a code no runtime filter handles: the chain ends in CONTINUE_SEARCH */
    ep.ExceptionRecord = &rec;
    ep.ContextRecord = &ctx;
    if (ours) {
        CHECK(ours(&ep) == EXCEPTION_CONTINUE_SEARCH);
        CHECK_U64(fk.nstopped, 1);
        CHECK(wcscmp(fk.stopped[0], own_name) == 0);
    }
    cap_exit_guard(NULL);
    CHECK(cap_session_stop(s, &err) == 0);
    CHECK_U64(fk.nstopped, 1); /* the emergency stop already went out */
    if (ours) {
        ours(&ep);
        CHECK_U64(fk.nstopped, 1);
    }
    ring_destroy(r);
}

/* Only wskview-<pid> sessions whose process is gone are stopped. */
static void test_sweep(void)
{
    unsigned stopped = 99;
    cap_error err;
    static wchar_t self[64];

    setup();
    swprintf(self, 64, L"wskview-%lu", (unsigned long)GetCurrentProcessId());
    fk.sessions[0] = L"NT Kernel Logger";
    fk.sessions[1] = L"wskview-111";  /* dead */
    fk.sessions[2] = L"wskview-222";  /* running */
    fk.sessions[3] = self;            /* ours */
    fk.sessions[4] = L"wskview-abc";
    fk.sessions[5] = L"wskview-333x";
    fk.sessions[6] = L"wskview-444";  /* dead */
    fk.sessions[7] = L"wskview-666-and-a-name-far-longer-than-any-session-name-wskview-gives-its-sessions";
    fk.nsessions = 8;
    fk.alive[0] = 222;
    fk.nalive = 1;
    CHECK(cap_sweep_stale(&fake_api, GetCurrentProcessId(), &stopped, &err) == 0);
    CHECK_U64(stopped, 2);
    CHECK_U64(fk.nstopped, 2);
    CHECK(wcscmp(fk.stopped[0], L"wskview-111") == 0);
    CHECK(wcscmp(fk.stopped[1], L"wskview-444") == 0);

    setup();
    fk.list_rc = ERROR_ACCESS_DENIED;
    CHECK(cap_sweep_stale(&fake_api, GetCurrentProcessId(), &stopped, &err) == -1);
    CHECK_U64(stopped, 0);
    CHECK_U64(err.step, CAP_STEP_LIST);
    CHECK(err.needs_elevation);
}

/* The real seam's process check: this process runs; a pid nobody has is gone. */
static void test_real_process_alive(void)
{
    CHECK(cap_etw_real.process_alive(GetCurrentProcessId()) == 1);
    CHECK(cap_etw_real.process_alive(0x7FFFFFF0) == 0);
}

/* A TCP listener of ours shows in the socket tables with our pid and port. */
static void test_existing_sockets(void)
{
    WSADATA wsa;
    SOCKET l = INVALID_SOCKET;
    struct sockaddr_in a;
    int alen = sizeof a;
    cap_existing *v = NULL;
    size_t n = 0, i, found = 0;

    CHECK(WSAStartup(MAKEWORD(2, 2), &wsa) == 0);
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(l != INVALID_SOCKET);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(l, (struct sockaddr *)&a, sizeof a) == 0);
    CHECK(listen(l, 1) == 0);
    CHECK(getsockname(l, (struct sockaddr *)&a, &alen) == 0);
    CHECK(cap_existing_sockets(&v, &n) == 0);
    for (i = 0; i < n; i++)
        if (v[i].protocol == 6 && v[i].local.port == ntohs(a.sin_port) && v[i].tcp_state == MIB_TCP_STATE_LISTEN) {
            found++;
            CHECK_U64(v[i].family, AF_INET);
            CHECK_U64(v[i].local.bytes[0], 127);
            CHECK_U64(v[i].remote.family, 0);
            if (v[i].pid != GetCurrentProcessId())
                printf("note: the listener's owner pid is %lu here, not ours (Wine does not know it)\n",
                       (unsigned long)v[i].pid);
        }
    CHECK_U64(found, 1);
    free(v);
    closesocket(l);
    WSACleanup();
}

/* The assembled capture over the fake session: events from ProcessTrace become rows, the status shows
 * ETW's losses, the save writes them, the processes running at start are named. */
static void test_capture_session(void)
{
    cap_capture_config cfg;
    cap_capture *c = NULL;
    cap_capture_status cs;
    cap_error err;
    live_stats ls;
    live_save_stats ss;
    char path[512], msg[256];
    store *st = NULL;
    sock_model *sm = NULL;

    setup();
    fk.deliver = 5;
    fk.events_lost = 9;
    CHECK(store_create(1u << 20, &st) == 0);
    CHECK(sock_model_create(&sm) == 0);
    memset(&cfg, 0, sizeof cfg);
    cfg.events = st;
    cfg.sockets = sm;
    cfg.ring_mib = 1;
    cfg.api = &fake_api;
    CHECK(cap_capture_start(&cfg, &c, &err) == 0);
    if (!c)
        goto cleanup;
    cap_capture_get_status(c, &cs);
    CHECK(cs.etw_valid);
    CHECK_U64(cs.etw.events_lost, 9);
    CHECK(cap_capture_stop(c, &ls, &err) == 0);
    CHECK_U64(store_count(st), 5);
    CHECK_U64(ls.records, 5);
    CHECK_U64(store_row_at(st, 4)->id, 1004);
    CHECK(sock_model_process_name(sm, GetCurrentProcessId()) != NULL);
    snprintf(path, sizeof path, "%s/capture-saved.etl", check_tmp_dir());
    CHECK(cap_capture_save(c, path, &ss, msg, sizeof msg) == 0);
    CHECK_U64(ss.written, 5);
    cap_capture_get_status(c, &cs);
    CHECK(!cs.etw_valid);
    CHECK_U64(cs.rows, 5);
    remove(path);

    /* A session that cannot start leaves nothing running. */
    cap_capture_destroy(c);
    c = NULL;
    setup();
    fk.start_rc[0] = ERROR_ACCESS_DENIED;
    CHECK(cap_capture_start(&cfg, &c, &err) == -1);
    CHECK(c == NULL);
    CHECK(err.needs_elevation);

cleanup:
    cap_capture_destroy(c);
    sock_model_destroy(sm);
    store_destroy(st);
}

/* The assembled capture replaying a wskgen trace (what wskview --replay FILE --rate N runs). */
static void test_capture_replay(void)
{
    char path[512], err_text[256];
    gen_options go;
    gen_file_options fo;
    gen_result res;
    cap_capture_config cfg;
    cap_capture *c = NULL;
    cap_capture_status cs;
    cap_error err;
    live_stats ls;
    store *st = NULL;
    int i;

    snprintf(path, sizeof path, "%s/capture-replay.etl", check_tmp_dir());
    gen_options_default(&go);
    go.events = 5000;
    memset(&fo, 0, sizeof fo);
    fo.process_table = 1;
    CHECK(gen_write_etl(path, &go, &fo, &res, err_text, sizeof err_text) == 0);
    gen_result_free(&res);
    CHECK(store_create(1u << 20, &st) == 0);
    memset(&cfg, 0, sizeof cfg);
    cfg.events = st;
    cfg.replay_path = path;
    cfg.replay_rate = 50000;
    CHECK(cap_capture_start(&cfg, &c, &err) == 0);
    if (!c)
        goto cleanup;
    memset(&cs, 0, sizeof cs);
    for (i = 0; i < 500; i++) {
        cap_capture_get_status(c, &cs);
        if (cs.source_done)
            break;
        Sleep(10);
    }
    CHECK(cs.source_done);
    CHECK(cap_capture_stop(c, &ls, &err) == 0);
    cap_capture_get_status(c, &cs);
    CHECK_U64(cs.ring_dropped, 0);
    CHECK_U64(ls.records, cs.ring_pushed);
    CHECK(store_count(st) > 5000);
    CHECK_U64(store_count(st), ls.rows);

cleanup:
    cap_capture_destroy(c);
    store_destroy(st);
    remove(path);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_session_ok),      CHECK_CASE(test_access_denied_each_call),
        CHECK_CASE(test_name_in_use_and_resources), CHECK_CASE(test_stop_paths),
        CHECK_CASE(test_exit_guard),      CHECK_CASE(test_sweep),           CHECK_CASE(test_real_process_alive),
        CHECK_CASE(test_existing_sockets),  CHECK_CASE(test_capture_session),
        CHECK_CASE(test_capture_replay),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
