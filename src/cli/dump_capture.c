/*
 * dump_capture.c - `wskdump capture --output FILE [--level N] [--duration S] [--buffers PRESET]`: records
 * Winsock-AFD (and Kernel-Process, for process names) with ETW in file mode, for Server Core and remote
 * shells where the viewer cannot run. The file is the session's own: nothing passes through this process.
 *
 * Threads (Windows): the main thread waits on an event; the console control handler (a thread of the
 * system's) sets it for Ctrl+C / Ctrl+Break, and for close, log-off and shutdown also stops the ETW
 * session itself, because the process may end as soon as the handler returns.
 */
#include "dump_capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CAP_EXIT_OK = 0, CAP_EXIT_FAILED = 2, CAP_EXIT_USAGE = 3 };

#ifdef _WIN32
#include "cap_etw.h"

static HANDLE stop_event;
static cap_session *volatile running;

static BOOL WINAPI on_console(DWORD type)
{
    if (type == CTRL_CLOSE_EVENT || type == CTRL_LOGOFF_EVENT || type == CTRL_SHUTDOWN_EVENT)
        cap_session_emergency_stop(running);
    SetEvent(stop_event);
    return TRUE;
}

static wchar_t *widen(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    wchar_t *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL;
    if (w && !MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n)) {
        free(w);
        w = NULL;
    }
    return w;
}

static int capture_run(const char *output, const cap_options *base, unsigned long duration)
{
    cap_options o = *base;
    cap_error err;
    cap_losses l;
    cap_session *s = NULL;
    unsigned swept = 0;
    wchar_t *rel = widen(output), full[1024];
    DWORD n;
    int rc = CAP_EXIT_FAILED;

    memset(&err, 0, sizeof err);
    n = rel ? GetFullPathNameW(rel, (DWORD)(sizeof full / sizeof full[0]), full, NULL) : 0;
    if (n == 0 || n >= sizeof full / sizeof full[0]) {
        fprintf(stderr, "wskdump capture: %s: not a usable path\n", output);
        goto cleanup;
    }
    stop_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!stop_event)
        goto cleanup;
    if (cap_sweep_stale(&cap_etw_real, GetCurrentProcessId(), &swept, &err) == 0 && swept)
        fprintf(stderr, "wskdump capture: stopped %u session(s) left by wskview processes that are gone\n", swept);
    o.file_path = full;
    o.file_only = 1;
    if (cap_session_start(&cap_etw_real, &o, NULL, &s, &err) != 0) {
        fprintf(stderr, "wskdump capture: %s\n", err.text);
        goto cleanup;
    }
    running = s;
    cap_exit_guard(s); /* a crash stops the session too */
    SetConsoleCtrlHandler(on_console, TRUE);
    if (duration)
        fprintf(stderr, "Capturing to %s for %lu s (session %ls). Ctrl+C stops earlier.\n", output, duration,
                cap_session_name(s));
    else
        fprintf(stderr, "Capturing to %s (session %ls). Press Ctrl+C to stop.\n", output, cap_session_name(s));
    WaitForSingleObject(stop_event, duration ? (DWORD)(duration * 1000u) : INFINITE);
    memset(&l, 0, sizeof l);
    if (cap_session_query(s, &l, &err) != 0)
        fprintf(stderr, "wskdump capture: %s\n", err.text);
    running = NULL;
    cap_exit_guard(NULL);
    if (cap_session_stop(s, &err) != 0) {
        fprintf(stderr, "wskdump capture: %s\n", err.text);
        goto cleanup;
    }
    printf("%s: %lu buffers written; events lost %lu, log buffers lost %lu\n", output,
           (unsigned long)l.buffers_written, (unsigned long)l.events_lost, (unsigned long)l.log_buffers_lost);
    rc = CAP_EXIT_OK;

cleanup:
    SetConsoleCtrlHandler(on_console, FALSE);
    if (stop_event)
        CloseHandle(stop_event);
    stop_event = NULL;
    free(rel);
    return rc;
}
#endif

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    unsigned long v;
    if (!s || *s < '0' || *s > '9')
        return -1;
    v = strtoul(s, &end, 10);
    if (*end || v > max)
        return -1;
    *out = v;
    return 0;
}

int dump_capture(int argc, char **argv)
{
    const char *output = NULL;
    unsigned long level = 5, duration = 0;
    int i, preset = 0;

    /* Every option takes a value: they come in pairs. */
    for (i = 1; i < argc; i += 2) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--output") == 0 && val) {
            output = val;
        } else if (strcmp(argv[i], "--level") == 0 && parse_ulong(val, 255, &level) == 0 && level > 0) {
        } else if (strcmp(argv[i], "--duration") == 0 && parse_ulong(val, 4000000ul, &duration) == 0) {
            /* at most 46 days: the wait takes 32-bit milliseconds */
        } else if (strcmp(argv[i], "--buffers") == 0 && val &&
                   (strcmp(val, "default") == 0 || strcmp(val, "small") == 0 || strcmp(val, "large") == 0)) {
            preset = strcmp(val, "small") == 0 ? 1 : strcmp(val, "large") == 0 ? 2 : 0;
        } else {
            fprintf(stderr, "wskdump capture: bad or incomplete option %s\n"
                            "usage: wskdump capture --output FILE [--level N] [--duration S] "
                            "[--buffers default|small|large]\n",
                    argv[i]);
            return CAP_EXIT_USAGE;
        }
    }
    if (!output) {
        fprintf(stderr, "wskdump capture: --output FILE is required\n");
        return CAP_EXIT_USAGE;
    }
#ifdef _WIN32
    {
        cap_options o;
        memset(&o, 0, sizeof o);
        o.level = (UCHAR)level;
        o.preset = (cap_preset)preset;
        return capture_run(output, &o, duration);
    }
#else
    (void)preset;
    fprintf(stderr, "wskdump capture: capturing needs Windows (Event Tracing for Windows). Record on the "
                    "Windows machine (wskdump capture, or the logman/netsh/wpr commands in docs/capture.md) "
                    "and open the .etl file here.\n");
    return CAP_EXIT_FAILED;
#endif
}
