/*
 * cap_etw.c - the real-time ETW session behind the live view (see cap_etw.h for the threads and for how
 * the viewer stops the session on exit).
 *
 * ABI: the EVENT_RECORD callback hands ETW's record to cap_deliver as a cap_event_record (include/wsk/
 * cap.h); the static assertions below pin every field the two share.
 */
#include "cap_etw.h"

#include <wsk/plat.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define SAME_OFFSET(a, b, f) _Static_assert(offsetof(a, f) == offsetof(b, f), #f " moved")
_Static_assert(sizeof(EVENT_RECORD) == sizeof(cap_event_record), "EVENT_RECORD size");
_Static_assert(sizeof(EVENT_HEADER) == sizeof(cap_event_header), "EVENT_HEADER size");
_Static_assert(sizeof(EVENT_HEADER_EXTENDED_DATA_ITEM) == sizeof(cap_ext_item), "item size");
_Static_assert(sizeof(EVENT_DESCRIPTOR) == sizeof(cap_event_descriptor), "descriptor size");
SAME_OFFSET(EVENT_RECORD, cap_event_record, ExtendedDataCount);
SAME_OFFSET(EVENT_RECORD, cap_event_record, UserDataLength);
SAME_OFFSET(EVENT_RECORD, cap_event_record, ExtendedData);
SAME_OFFSET(EVENT_RECORD, cap_event_record, UserData);
SAME_OFFSET(EVENT_RECORD, cap_event_record, UserContext);
SAME_OFFSET(EVENT_HEADER, cap_event_header, Flags);
SAME_OFFSET(EVENT_HEADER, cap_event_header, ThreadId);
SAME_OFFSET(EVENT_HEADER, cap_event_header, ProcessId);
SAME_OFFSET(EVENT_HEADER, cap_event_header, TimeStamp);
SAME_OFFSET(EVENT_HEADER, cap_event_header, ProviderId);
SAME_OFFSET(EVENT_HEADER, cap_event_header, EventDescriptor);
SAME_OFFSET(EVENT_HEADER, cap_event_header, ActivityId);
SAME_OFFSET(EVENT_HEADER_EXTENDED_DATA_ITEM, cap_ext_item, ExtType);
SAME_OFFSET(EVENT_HEADER_EXTENDED_DATA_ITEM, cap_ext_item, DataSize);
SAME_OFFSET(EVENT_HEADER_EXTENDED_DATA_ITEM, cap_ext_item, DataPtr);
_Static_assert(offsetof(EVENT_RECORD, BufferContext) == offsetof(cap_event_record, ProcessorIndex), "ctx");
_Static_assert(EVENT_HEADER_FLAG_32_BIT_HEADER == CAP_HF_32_BIT_HEADER, "flag");
_Static_assert(EVENT_HEADER_FLAG_CLASSIC_HEADER == CAP_HF_CLASSIC_HEADER, "flag");

static const GUID afd_guid = {0xE53C6823, 0x7BB8, 0x44BB, {0x90, 0xDC, 0x3F, 0x86, 0x09, 0x0D, 0x48, 0xA6}};
static const GUID kernel_process_guid = {0x22fb2cd6, 0x0e7b, 0x422b, {0xa0, 0xc7, 0x2f, 0xad, 0x1f, 0xd0, 0xe7, 0x16}};
#define KERNEL_PROCESS_KEYWORD 0x10ull /* WINEVENT_KEYWORD_PROCESS: ProcessStart / ProcessStop */
#define NAME_PREFIX L"wskview-"
#define NAME_CHARS 64           /* our own session names */
#define PROPS_NAME_CHARS 1024   /* room for any session's name in a query's answer */
#define PATH_CHARS 1024

/* ---- the real seam ---------------------------------------------------------------------------- */

static int real_process_alive(DWORD pid)
{
    HANDLE h = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid);
    DWORD code = 0;
    int alive;
    if (!h)
        /* Someone else's process we may not open still exists; only "no such process" means gone. */
        return GetLastError() != ERROR_INVALID_PARAMETER;
    alive = !GetExitCodeProcess(h, &code) || code == STILL_ACTIVE;
    CloseHandle(h);
    return alive;
}

/* Wrappers, because in C the address of an imported function is not a constant an initializer may use
 * (MSVC: C2099), and the SDKs disagree on the handle typedefs (TRACEHANDLE, PROCESSTRACE_HANDLE). */
static ULONG WINAPI real_start(PTRACEHANDLE h, LPCWSTR name, PEVENT_TRACE_PROPERTIES p)
{
    return StartTraceW(h, name, p);
}
static ULONG WINAPI real_enable(TRACEHANDLE h, LPCGUID g, ULONG code, UCHAR level, ULONGLONG any, ULONGLONG all,
                                ULONG timeout, PENABLE_TRACE_PARAMETERS params)
{
    return EnableTraceEx2(h, g, code, level, any, all, timeout, params);
}
static TRACEHANDLE WINAPI real_open(PEVENT_TRACE_LOGFILEW lf)
{
    return OpenTraceW(lf);
}
static ULONG WINAPI real_process(PTRACEHANDLE h, ULONG n, LPFILETIME start, LPFILETIME end)
{
    return ProcessTrace(h, n, start, end);
}
static ULONG WINAPI real_close(TRACEHANDLE h)
{
    return CloseTrace(h);
}
static ULONG WINAPI real_control(TRACEHANDLE h, LPCWSTR name, PEVENT_TRACE_PROPERTIES p, ULONG code)
{
    return ControlTraceW(h, name, p, code);
}
static ULONG WINAPI real_list(PEVENT_TRACE_PROPERTIES *list, ULONG count, PULONG found)
{
    return QueryAllTracesW(list, count, found);
}

const cap_etw_api cap_etw_real = {
    real_start, real_enable, real_open, real_process, real_close, real_control, real_list, real_process_alive,
};

/* ---- presets, names, errors ------------------------------------------------------------------- */

static const struct {
    const char *name;
    ULONG kb, min, max;
} presets[CAP_PRESET_COUNT] = {
    {"default", 256, 64, 1024},
    {"small", 64, 16, 64},
    {"large", 1024, 64, 1024},
};

const char *cap_preset_name(cap_preset p)
{
    return (unsigned)p < CAP_PRESET_COUNT ? presets[p].name : "?";
}

const char *cap_step_name(cap_step s)
{
    static const char *const names[] = {"",           "StartTraceW", "EnableTraceEx2 (Winsock-AFD)",
                                        "EnableTraceEx2 (Kernel-Process)", "OpenTraceW", "ProcessTrace",
                                        "ControlTraceW (query)", "ControlTraceW (stop)", "QueryAllTracesW",
                                        "the capture thread"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

static void narrow(const wchar_t *w, char *out, size_t len)
{
    if (!w || !WideCharToMultiByte(CP_UTF8, 0, w, -1, out, (int)len, NULL, NULL))
        out[0] = '\0';
}

void cap_error_set(cap_error *e, cap_step step, ULONG code, const wchar_t *session_name)
{
    char name[NAME_CHARS * 3];
    narrow(session_name, name, sizeof name);
    e->step = step;
    e->code = code;
    e->needs_elevation = code == ERROR_ACCESS_DENIED;
    switch (code) {
    case ERROR_ACCESS_DENIED:
        snprintf(e->text, sizeof e->text,
                 "Capturing needs permission to control event tracing (%s: access denied). Only administrators "
                 "and members of the Performance Log Users group may capture. Restart as administrator, or "
                 "open a trace file recorded by someone who may.",
                 cap_step_name(step));
        break;
    case ERROR_NO_SYSTEM_RESOURCES:
        snprintf(e->text, sizeof e->text,
                 "Windows has no free event tracing session (%s: ERROR_NO_SYSTEM_RESOURCES): all 64 sessions "
                 "are in use. List them with \"logman query -ets\", stop one you do not need with \"logman stop "
                 "NAME -ets\", then start again.",
                 cap_step_name(step));
        break;
    case ERROR_ALREADY_EXISTS:
        snprintf(e->text, sizeof e->text,
                 "The trace session name %s is in use (%s: ERROR_ALREADY_EXISTS) and the session could not be "
                 "stopped. Stop it with \"logman stop %s -ets\" as administrator, then start again.",
                 name, cap_step_name(step), name);
        break;
    default: {
        wchar_t wmsg[256];
        char msg[400];
        DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, wmsg,
                                 (DWORD)(sizeof wmsg / sizeof wmsg[0]), NULL);
        while (n && (wmsg[n - 1] == L'\r' || wmsg[n - 1] == L'\n' || wmsg[n - 1] == L' '))
            wmsg[--n] = 0;
        if (!n)
            wmsg[0] = 0;
        narrow(wmsg, msg, sizeof msg);
        snprintf(e->text, sizeof e->text, "%s failed with error %lu%s%s.", cap_step_name(step),
                 (unsigned long)code, msg[0] ? ": " : "", msg);
        break;
    }
    }
}

/* ---- the session ------------------------------------------------------------------------------ */

struct cap_session {
    const cap_etw_api *api;
    wchar_t name[NAME_CHARS];
    TRACEHANDLE session;
    TRACEHANDLE trace;            /* INVALID_PROCESSTRACE_HANDLE when not opened */
    EVENT_TRACE_PROPERTIES *props; /* start, query */
    EVENT_TRACE_PROPERTIES *stop_props; /* allocated up front: the emergency stop allocates nothing */
    ULONG props_size;
    plat_thread *thread;
    volatile LONG stop_sent;
    ULONG process_rc;
};

static EVENT_TRACE_PROPERTIES *props_alloc(ULONG *size)
{
    ULONG n = (ULONG)(sizeof(EVENT_TRACE_PROPERTIES) + (PROPS_NAME_CHARS + PATH_CHARS) * sizeof(wchar_t));
    EVENT_TRACE_PROPERTIES *p = calloc(1, n);
    if (p)
        *size = n;
    return p;
}

/* Clears p to a request the STOP/QUERY controls accept (they write their results back into it). */
static void props_reset(EVENT_TRACE_PROPERTIES *p, ULONG size)
{
    memset(p, 0, size);
    p->Wnode.BufferSize = size;
    p->LoggerNameOffset = sizeof *p;
    p->LogFileNameOffset = (ULONG)(sizeof *p + PROPS_NAME_CHARS * sizeof(wchar_t));
}

static VOID WINAPI on_event_record(PEVENT_RECORD er)
{
    cap_deliver((cap_sink *)er->UserContext, (const cap_event_record *)er);
}

static int capture_main(void *arg)
{
    cap_session *s = (cap_session *)arg;
    s->process_rc = s->api->ProcessTrace(&s->trace, 1, NULL, NULL);
    return 0;
}

static ULONG stop_by_name(const cap_etw_api *api, const wchar_t *name, EVENT_TRACE_PROPERTIES *p, ULONG size)
{
    props_reset(p, size);
    return api->ControlTraceW(0, name, p, EVENT_TRACE_CONTROL_STOP);
}

void cap_session_emergency_stop(cap_session *s)
{
    if (s && InterlockedExchange(&s->stop_sent, 1) == 0)
        stop_by_name(s->api, s->name, s->stop_props, s->props_size);
}

static ULONG start_once(cap_session *s, const cap_options *o)
{
    EVENT_TRACE_PROPERTIES *p = s->props;
    const cap_preset preset = (unsigned)o->preset < CAP_PRESET_COUNT ? o->preset : CAP_PRESET_DEFAULT;
    props_reset(p, s->props_size);
    p->Wnode.Flags = WNODE_FLAG_TRACED_GUID;
    p->Wnode.ClientContext = 1; /* QPC: the finest clock; ProcessTrace hands out FILETIMEs anyway */
    p->BufferSize = presets[preset].kb;
    p->MinimumBuffers = presets[preset].min;
    p->MaximumBuffers = presets[preset].max;
    p->FlushTimer = o->flush_seconds ? o->flush_seconds : 1;
    p->LogFileMode = o->file_only ? 0 : EVENT_TRACE_REAL_TIME_MODE;
    if (o->file_path) {
        p->LogFileMode |= EVENT_TRACE_FILE_MODE_SEQUENTIAL;
        memcpy((char *)p + p->LogFileNameOffset, o->file_path, (wcslen(o->file_path) + 1) * sizeof(wchar_t));
    } else {
        p->LogFileNameOffset = 0;
    }
    return s->api->StartTraceW(&s->session, s->name, p);
}

int cap_session_start(const cap_etw_api *api, const cap_options *o, cap_sink *sink, cap_session **out, cap_error *err)
{
    cap_session *s = calloc(1, sizeof *s);
    EVENT_TRACE_LOGFILEW lf;
    cap_step step = CAP_STEP_THREAD;
    ULONG rc = ERROR_NOT_ENOUGH_MEMORY;
    int started = 0;

    if (!s)
        goto fail;
    s->api = api;
    s->trace = INVALID_PROCESSTRACE_HANDLE;
    swprintf(s->name, NAME_CHARS, NAME_PREFIX L"%lu", (unsigned long)GetCurrentProcessId());
    s->props = props_alloc(&s->props_size);
    s->stop_props = props_alloc(&s->props_size);
    if (!s->props || !s->stop_props)
        goto fail;
    if ((o->file_only && !o->file_path) || (o->file_path && wcslen(o->file_path) >= PATH_CHARS)) {
        rc = ERROR_INVALID_PARAMETER;
        goto fail;
    }

    step = CAP_STEP_START;
    rc = start_once(s, o);
    if (rc == ERROR_ALREADY_EXISTS) {
        /* Our name carries our pid, so the session is a dead process's that had this pid before us. */
        stop_by_name(api, s->name, s->stop_props, s->props_size);
        rc = start_once(s, o);
    }
    if (rc != ERROR_SUCCESS)
        goto fail;
    started = 1;

    step = CAP_STEP_ENABLE_AFD;
    rc = api->EnableTraceEx2(s->session, &afd_guid, EVENT_CONTROL_CODE_ENABLE_PROVIDER, (UCHAR)(o->level ? o->level : 5),
                             o->keywords ? o->keywords : ~0ull, 0, 0, NULL);
    if (rc != ERROR_SUCCESS)
        goto fail;
    step = CAP_STEP_ENABLE_PROCESS;
    rc = api->EnableTraceEx2(s->session, &kernel_process_guid, EVENT_CONTROL_CODE_ENABLE_PROVIDER,
                             TRACE_LEVEL_INFORMATION, KERNEL_PROCESS_KEYWORD, 0, 0, NULL);
    if (rc != ERROR_SUCCESS)
        goto fail;

    if (!o->file_only) {
        step = CAP_STEP_OPEN;
        memset(&lf, 0, sizeof lf);
        lf.LoggerName = s->name;
        lf.ProcessTraceMode = PROCESS_TRACE_MODE_REAL_TIME | PROCESS_TRACE_MODE_EVENT_RECORD;
        lf.EventRecordCallback = on_event_record;
        lf.Context = sink;
        s->trace = api->OpenTraceW(&lf);
        if (s->trace == INVALID_PROCESSTRACE_HANDLE) {
            rc = GetLastError();
            if (rc == ERROR_SUCCESS)
                rc = ERROR_ACCESS_DENIED; /* Wine says nothing; Windows' usual reason */
            goto fail;
        }
        step = CAP_STEP_THREAD;
        rc = ERROR_NOT_ENOUGH_MEMORY;
        if (plat_thread_start(&s->thread, capture_main, s, "wsk-capture") != 0)
            goto fail;
    }
    *out = s;
    return 0;

fail:
    if (err)
        cap_error_set(err, step, rc, s ? s->name : NULL);
    if (s) {
        if (s->trace != INVALID_PROCESSTRACE_HANDLE)
            api->CloseTrace(s->trace);
        if (started)
            cap_session_emergency_stop(s);
        free(s->props);
        free(s->stop_props);
        free(s);
    }
    return -1;
}

const wchar_t *cap_session_name(const cap_session *s)
{
    return s->name;
}

int cap_session_query(cap_session *s, cap_losses *out, cap_error *err)
{
    ULONG rc;
    props_reset(s->props, s->props_size);
    rc = s->api->ControlTraceW(s->session, NULL, s->props, EVENT_TRACE_CONTROL_QUERY);
    if (rc != ERROR_SUCCESS) {
        if (err)
            cap_error_set(err, CAP_STEP_QUERY, rc, s->name);
        return -1;
    }
    out->events_lost = s->props->EventsLost;
    out->rt_buffers_lost = s->props->RealTimeBuffersLost;
    out->log_buffers_lost = s->props->LogBuffersLost;
    out->buffers_written = s->props->BuffersWritten;
    out->buffers = s->props->NumberOfBuffers;
    return 0;
}

int cap_session_stop(cap_session *s, cap_error *err)
{
    ULONG rc = ERROR_SUCCESS;
    int result = 0;
    if (!s)
        return 0;
    if (InterlockedExchange(&s->stop_sent, 1) == 0)
        rc = stop_by_name(s->api, s->name, s->stop_props, s->props_size);
    if (rc != ERROR_SUCCESS && rc != ERROR_WMI_INSTANCE_NOT_FOUND) {
        if (err)
            cap_error_set(err, CAP_STEP_STOP, rc, s->name);
        result = -1;
    }
    /* CloseTrace also ends a ProcessTrace whose session could not be stopped, after what is buffered. */
    if (s->trace != INVALID_PROCESSTRACE_HANDLE)
        s->api->CloseTrace(s->trace);
    if (s->thread) {
        plat_thread_join(s->thread);
        if (s->process_rc != ERROR_SUCCESS && s->process_rc != ERROR_CANCELLED && result == 0) {
            if (err)
                cap_error_set(err, CAP_STEP_PROCESS, s->process_rc, s->name);
            result = -1;
        }
    }
    free(s->props);
    free(s->stop_props);
    free(s);
    return result;
}

/* ---- exits the session must not outlive -------------------------------------------------------- */

static cap_session *volatile guarded;
static LPTOP_LEVEL_EXCEPTION_FILTER previous_filter;
static volatile LONG guard_installed;

static LONG WINAPI guard_filter(EXCEPTION_POINTERS *info)
{
    cap_session_emergency_stop(guarded);
    return previous_filter ? previous_filter(info) : EXCEPTION_CONTINUE_SEARCH;
}

static BOOL WINAPI guard_console(DWORD type)
{
    (void)type;
    cap_session_emergency_stop(guarded);
    return FALSE;
}

LPTOP_LEVEL_EXCEPTION_FILTER cap_exit_guard(cap_session *s)
{
    guarded = s;
    if (InterlockedExchange(&guard_installed, 1) == 0) {
        previous_filter = SetUnhandledExceptionFilter(guard_filter);
        SetConsoleCtrlHandler(guard_console, TRUE);
    }
    return previous_filter;
}

/* ---- the sweep -------------------------------------------------------------------------------- */

#define SWEEP_MAX 64 /* the system's session limit */

int cap_sweep_stale(const cap_etw_api *api, DWORD self_pid, unsigned *stopped, cap_error *err)
{
    EVENT_TRACE_PROPERTIES *list[SWEEP_MAX];
    EVENT_TRACE_PROPERTIES *stop = NULL;
    ULONG size = 0, count = 0, rc, i;
    unsigned n = 0;
    int result = -1;
    const size_t prefix = wcslen(NAME_PREFIX);

    memset(list, 0, sizeof list);
    for (i = 0; i < SWEEP_MAX; i++) {
        list[i] = props_alloc(&size);
        if (!list[i]) {
            if (err)
                cap_error_set(err, CAP_STEP_LIST, ERROR_NOT_ENOUGH_MEMORY, NULL);
            goto cleanup;
        }
        props_reset(list[i], size);
    }
    stop = props_alloc(&size);
    if (!stop)
        goto cleanup;
    rc = api->QueryAllTracesW(list, SWEEP_MAX, &count);
    if (rc != ERROR_SUCCESS && rc != ERROR_MORE_DATA) {
        if (err)
            cap_error_set(err, CAP_STEP_LIST, rc, NULL);
        goto cleanup;
    }
    for (i = 0; i < count && i < SWEEP_MAX; i++) {
        const wchar_t *name = list[i]->LoggerNameOffset ? (const wchar_t *)((const char *)list[i] +
                                                                            list[i]->LoggerNameOffset)
                                                        : NULL;
        wchar_t copy[NAME_CHARS];
        const wchar_t *digits;
        wchar_t *end = NULL;
        unsigned long pid;
        if (!name || wcsncmp(name, NAME_PREFIX, prefix) != 0 || wcsnlen(name, NAME_CHARS) >= NAME_CHARS)
            continue;
        digits = name + prefix;
        if (*digits < L'0' || *digits > L'9')
            continue;
        pid = wcstoul(digits, &end, 10);
        if (!end || *end != 0 || pid == self_pid || api->process_alive((DWORD)pid))
            continue;
        memcpy(copy, name, (wcslen(name) + 1) * sizeof(wchar_t));
        if (stop_by_name(api, copy, stop, size) == ERROR_SUCCESS)
            n++;
    }
    result = 0;

cleanup:
    for (i = 0; i < SWEEP_MAX; i++)
        free(list[i]);
    free(stop);
    if (stopped)
        *stopped = n;
    return result;
}

/* ---- sockets that already exist --------------------------------------------------------------- */

static void *get_table(int tcp, ULONG family)
{
    DWORD size = 0, rc = 0;
    void *buf = NULL;
    int tries;
    for (tries = 0; tries < 4; tries++) {
        rc = tcp ? GetExtendedTcpTable(buf, &size, FALSE, family, TCP_TABLE_OWNER_PID_ALL, 0)
                 : GetExtendedUdpTable(buf, &size, FALSE, family, UDP_TABLE_OWNER_PID, 0);
        if (rc == NO_ERROR && buf)
            return buf;
        free(buf);
        buf = NULL;
        if (rc != ERROR_INSUFFICIENT_BUFFER && rc != NO_ERROR)
            return NULL;
        size += 4096; /* the table may grow between the two calls */
        buf = malloc(size);
        if (!buf)
            return NULL;
    }
    free(buf);
    return NULL;
}

static void set_addr(afd_addr *a, uint16_t family, const void *bytes, size_t n, DWORD port, DWORD scope)
{
    memset(a, 0, sizeof *a);
    a->family = family;
    memcpy(a->bytes, bytes, n);
    a->port = (uint16_t)(((port & 0xFF) << 8) | ((port >> 8) & 0xFF)); /* network order in the low word */
    a->has_port = 1;
    a->scope = scope;
}

static int push(cap_existing **v, size_t *n, size_t *cap, cap_existing **slot)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        cap_existing *p = realloc(*v, c * sizeof *p);
        if (!p)
            return -1;
        *v = p;
        *cap = c;
    }
    *slot = &(*v)[(*n)++];
    memset(*slot, 0, sizeof **slot);
    return 0;
}

int cap_existing_sockets(cap_existing **out, size_t *count)
{
    cap_existing *v = NULL, *e;
    size_t n = 0, cap = 0;
    DWORD i;
    int read = 0, rc = -1;
    MIB_TCPTABLE_OWNER_PID *t4 = get_table(1, AF_INET);
    MIB_TCP6TABLE_OWNER_PID *t6 = get_table(1, AF_INET6);
    MIB_UDPTABLE_OWNER_PID *u4 = get_table(0, AF_INET);
    MIB_UDP6TABLE_OWNER_PID *u6 = get_table(0, AF_INET6);

    if (t4) {
        read = 1;
        for (i = 0; i < t4->dwNumEntries; i++) {
            const MIB_TCPROW_OWNER_PID *r = &t4->table[i];
            if (push(&v, &n, &cap, &e) != 0)
                goto cleanup;
            e->pid = r->dwOwningPid, e->family = AF_INET, e->type = 1, e->protocol = 6, e->tcp_state = r->dwState;
            set_addr(&e->local, AF_INET, &r->dwLocalAddr, 4, r->dwLocalPort, 0);
            if (r->dwState != MIB_TCP_STATE_LISTEN)
                set_addr(&e->remote, AF_INET, &r->dwRemoteAddr, 4, r->dwRemotePort, 0);
        }
    }
    if (t6) {
        read = 1;
        for (i = 0; i < t6->dwNumEntries; i++) {
            const MIB_TCP6ROW_OWNER_PID *r = &t6->table[i];
            if (push(&v, &n, &cap, &e) != 0)
                goto cleanup;
            e->pid = r->dwOwningPid, e->family = AF_INET6, e->type = 1, e->protocol = 6, e->tcp_state = r->dwState;
            set_addr(&e->local, AF_INET6, r->ucLocalAddr, 16, r->dwLocalPort, r->dwLocalScopeId);
            if (r->dwState != MIB_TCP_STATE_LISTEN)
                set_addr(&e->remote, AF_INET6, r->ucRemoteAddr, 16, r->dwRemotePort, r->dwRemoteScopeId);
        }
    }
    if (u4) {
        read = 1;
        for (i = 0; i < u4->dwNumEntries; i++) {
            const MIB_UDPROW_OWNER_PID *r = &u4->table[i];
            if (push(&v, &n, &cap, &e) != 0)
                goto cleanup;
            e->pid = r->dwOwningPid, e->family = AF_INET, e->type = 2, e->protocol = 17;
            set_addr(&e->local, AF_INET, &r->dwLocalAddr, 4, r->dwLocalPort, 0);
        }
    }
    if (u6) {
        read = 1;
        for (i = 0; i < u6->dwNumEntries; i++) {
            const MIB_UDP6ROW_OWNER_PID *r = &u6->table[i];
            if (push(&v, &n, &cap, &e) != 0)
                goto cleanup;
            e->pid = r->dwOwningPid, e->family = AF_INET6, e->type = 2, e->protocol = 17;
            set_addr(&e->local, AF_INET6, r->ucLocalAddr, 16, r->dwLocalPort, r->dwLocalScopeId);
        }
    }
    if (read) {
        *out = v;
        *count = n;
        v = NULL;
        rc = 0;
    }

cleanup:
    free(v);
    free(t4);
    free(t6);
    free(u4);
    free(u6);
    return rc;
}
