/*
 * cap_etw.h - live capture, Windows half: the ETW seam, the real-time session, the stale-session sweep,
 * the clear error texts, and the sockets that already exist when a capture starts. Module prefix: cap_
 * (the portable half is include/wsk/cap.h). Windows only (advapi32, iphlpapi); C that MSVC accepts.
 *
 * Threads: cap_session_start starts one capture thread ("wsk-capture") that runs OpenTraceW's
 * ProcessTrace; ETW calls the EVENT_RECORD callback on it, which only copies into the ring through
 * cap_deliver (no blocking, allocation or window). The consumer (live.h) runs on a thread of the
 * caller's. cap_session_stop may be called from any one thread; cap_session_emergency_stop from any
 * thread at any time, any number of times, even while another thread is in cap_session_stop.
 *
 * How the viewer stops the session on every orderly exit (after a hard kill the session outlives the
 * process, which is what cap_sweep_stale at the next start is for):
 * - window close (WM_CLOSE / WM_DESTROY) and File > Exit: cap_session_stop, then join the consumer
 *   (live_run returns after live_flush), then sock_model_finish;
 * - WM_ENDSESSION with wParam TRUE (log off, shutdown): cap_session_emergency_stop, since the process
 *   may be ended as soon as the message returns;
 * - console control events and crashes: cap_exit_guard(session) after the start installs a console
 *   control handler and an unhandled-exception filter that call cap_session_emergency_stop (touching
 *   only memory the session allocated at start); cap_exit_guard(NULL) before cap_session_stop.
 *   wskdump capture adds its own console handler that turns Ctrl+C / Ctrl+Break into an orderly stop.
 */
#ifndef WSK_CAP_ETW_H
#define WSK_CAP_ETW_H

#include <winsock2.h> /* before windows.h: the socket tables name AF_INET6 */
#include <windows.h>
#include <evntcons.h>
#include <evntrace.h>
#include <iphlpapi.h> /* MIB_TCP_STATE_* */

#include <wsk/afd.h>
#include <wsk/cap.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ETW calls the capture makes, so a test can script every answer. */
typedef struct cap_etw_api {
    ULONG(WINAPI *StartTraceW)(PTRACEHANDLE, LPCWSTR, PEVENT_TRACE_PROPERTIES);
    ULONG(WINAPI *EnableTraceEx2)(TRACEHANDLE, LPCGUID, ULONG, UCHAR, ULONGLONG, ULONGLONG, ULONG,
                                  PENABLE_TRACE_PARAMETERS);
    TRACEHANDLE(WINAPI *OpenTraceW)(PEVENT_TRACE_LOGFILEW);
    ULONG(WINAPI *ProcessTrace)(PTRACEHANDLE, ULONG, LPFILETIME, LPFILETIME);
    ULONG(WINAPI *CloseTrace)(TRACEHANDLE);
    ULONG(WINAPI *ControlTraceW)(TRACEHANDLE, LPCWSTR, PEVENT_TRACE_PROPERTIES, ULONG);
    ULONG(WINAPI *QueryAllTracesW)(PEVENT_TRACE_PROPERTIES *, ULONG, PULONG);
    /* 1 when a process with this id runs (or cannot be opened because it is someone else's), 0 when gone. */
    int (*process_alive)(DWORD pid);
} cap_etw_api;

/* advapi32 and OpenProcess. */
extern const cap_etw_api cap_etw_real;

/* Buffer presets: size and count. The default holds about 2 s of 1 M events/s before ETW loses any. */
typedef enum cap_preset {
    CAP_PRESET_DEFAULT = 0, /* 256 KiB x 64..1024 (up to 256 MiB) */
    CAP_PRESET_SMALL,       /* 64 KiB x 16..64 (up to 4 MiB): quiet machines */
    CAP_PRESET_LARGE,       /* 1 MiB x 64..1024 (up to 1 GiB): servers under load */
    CAP_PRESET_COUNT
} cap_preset;
const char *cap_preset_name(cap_preset p); /* "default", "small", "large" */

typedef struct cap_options {
    UCHAR level;              /* 0 = 5 (everything) */
    ULONGLONG keywords;       /* 0 = every bit (events 1-41 and 4019 carry none: they come only so) */
    cap_preset preset;
    ULONG flush_seconds;      /* 0 = 1: a quiet session still shows its events within a second */
    const wchar_t *file_path; /* NULL: real time only; else the session also writes this .etl (file mode) */
    int file_only;            /* non-zero: no real-time consumer (wskdump capture); needs file_path */
} cap_options;

/* Where a capture failed. */
typedef enum cap_step {
    CAP_STEP_NONE = 0,
    CAP_STEP_START,          /* StartTraceW */
    CAP_STEP_ENABLE_AFD,     /* EnableTraceEx2 Microsoft-Windows-Winsock-AFD */
    CAP_STEP_ENABLE_PROCESS, /* EnableTraceEx2 Microsoft-Windows-Kernel-Process */
    CAP_STEP_OPEN,           /* OpenTraceW */
    CAP_STEP_PROCESS,        /* ProcessTrace (ended with an error) */
    CAP_STEP_QUERY,          /* ControlTraceW QUERY */
    CAP_STEP_STOP,           /* ControlTraceW STOP */
    CAP_STEP_LIST,           /* QueryAllTracesW */
    CAP_STEP_THREAD,         /* the capture thread or memory */
} cap_step;
const char *cap_step_name(cap_step s); /* "StartTraceW", ... */

typedef struct cap_error {
    cap_step step;
    ULONG code;              /* Win32 error */
    int needs_elevation;     /* access denied: offer "Restart as administrator" */
    char text[600];          /* UTF-8, one paragraph for a message box or stderr */
} cap_error;

/* Fills e for a failed call: the sentence people need (access denied: who may capture and how;
 * ERROR_NO_SYSTEM_RESOURCES: the 64 sessions; ERROR_ALREADY_EXISTS: the name and the logman command). */
void cap_error_set(cap_error *e, cap_step step, ULONG code, const wchar_t *session_name);

typedef struct cap_losses {
    ULONG events_lost;       /* EventsLost */
    ULONG rt_buffers_lost;   /* RealTimeBuffersLost */
    ULONG log_buffers_lost;  /* LogBuffersLost (file mode) */
    ULONG buffers_written;
    ULONG buffers;           /* NumberOfBuffers in use now */
} cap_losses;

typedef struct cap_session cap_session;

/* Starts `wskview-<pid>` with the options, enables Winsock-AFD and Kernel-Process, and (unless file_only)
 * opens it in real time and runs ProcessTrace on the capture thread, delivering into sink. A session of
 * the same name left by a dead process that had our pid is stopped and the start retried once. On failure
 * everything started is stopped, *out is untouched and err says why. */
int cap_session_start(const cap_etw_api *api, const cap_options *o, cap_sink *sink, cap_session **out, cap_error *err);
/* The cumulative loss counters (ControlTraceW QUERY). */
int cap_session_query(cap_session *s, cap_losses *out, cap_error *err);
/* "wskview-1234" */
const wchar_t *cap_session_name(const cap_session *s);
/* Stops the session, waits for the capture thread, closes the trace, frees s. The ProcessTrace result
 * (ERROR_SUCCESS, ERROR_CANCELLED) is not an error; anything else is reported in err (may be NULL). */
int cap_session_stop(cap_session *s, cap_error *err);
/* Stops the ETW session only (no waiting, no freeing): safe from handlers and exception filters. */
void cap_session_emergency_stop(cap_session *s);

/* The crash and console exits: the first call installs, for the whole process, an unhandled-exception
 * filter (chained to the one before it) and a console control handler that call
 * cap_session_emergency_stop on the session named here; every call names the session to stop (NULL:
 * none, before the session is stopped and freed). The handler returns FALSE, so a program's own
 * handler registered later still decides what Ctrl+C does. Returns the filter in force before the
 * first call (tests call it back). */
LPTOP_LEVEL_EXCEPTION_FILTER cap_exit_guard(cap_session *s);

/* Stops every `wskview-<pid>` session whose process is gone, never one of a running instance (nor
 * self_pid's). *stopped (may be NULL) counts them. 0, or -1 when the sessions could not be listed. */
int cap_sweep_stale(const cap_etw_api *api, DWORD self_pid, unsigned *stopped, cap_error *err);

/* ---- sockets that exist before the capture (GetExtendedTcpTable / GetExtendedUdpTable) ---- */

typedef struct cap_existing {
    DWORD pid;
    uint32_t family;   /* 2 AF_INET, 23 AF_INET6 */
    uint32_t type;     /* 1 SOCK_STREAM, 2 SOCK_DGRAM */
    uint32_t protocol; /* 6 TCP, 17 UDP */
    uint32_t tcp_state; /* MIB_TCP_STATE_* (2 LISTEN, 5 ESTAB, ...); 0 for UDP */
    afd_addr local;    /* raw NULL */
    afd_addr remote;   /* family 0 for UDP and listeners */
} cap_existing;

/* The TCP and UDP endpoints of every process (IPv4 and IPv6), for the viewer to seed its socket list with
 * as pre-existing. *out is malloc'ed (free it); 0, or -1 when neither table could be read. */
int cap_existing_sockets(cap_existing **out, size_t *count);

#ifdef __cplusplus
}
#endif
#endif
