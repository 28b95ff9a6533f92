/*
 * plat_win32.c - the platform seam on Windows (MSVC and mingw-w64; Windows 8.1 and later).
 *
 * Design notes:
 * - Paths arrive as UTF-8 and are converted to UTF-16 for CreateFileW (long ones in the \\?\ form,
 *   so that deep folders work on Windows 8.1 too). Files open with
 *   FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE so a trace that ETW is still writing
 *   (or that someone renames) can be read. The whole file is mapped with one 64-bit view; the
 *   file and section handles are closed at once, the view keeps them alive.
 * - Guarded access: a read from a view whose backing store fails raises
 *   EXCEPTION_IN_PAGE_ERROR. MSVC catches it with __try/__except. GCC has no SEH in C, so mingw
 *   builds install one vectored exception handler (once) and keep a thread-local stack of
 *   __builtin_setjmp frames: on EXCEPTION_IN_PAGE_ERROR inside a guarded call the handler
 *   __builtin_longjmps to the innermost frame. __builtin_longjmp only restores the stack and
 *   frame pointers and jumps; it runs no unwinder, so leaving the exception dispatcher's frames
 *   behind is safe. Every other exception, and any outside a guarded call, continues the search.
 * - Wine turns the SIGBUS of a view whose file shrank into EXCEPTION_ACCESS_VIOLATION instead.
 *   So the guard also catches a read access violation whose address lies in a live view of
 *   ours (a small registry, filled by plat_map_open); on Windows, where every page of a live
 *   view is readable, that case cannot arise otherwise.
 * - Threads use _beginthreadex (the C runtime's per-thread state stays right); their names go
 *   through SetThreadDescription, loaded at run time (Windows 10 1607 and later only).
 * - Local time offsets use SystemTimeToTzSpecificLocalTime, which applies the rules of the
 *   year in question; FileTimeToLocalFileTime would apply today's bias to every date.
 */
#include "wsk/plat.h"

#include <windows.h>
#include <process.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void plat_set_err(char *err, size_t err_len, const char *fmt, ...)
{
    va_list ap;
    if (!err || err_len == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
    err[err_len - 1] = '\0'; /* old msvcrt vsnprintf does not terminate on truncation */
}

/* The system's text for a Win32 error code, as UTF-8 without the trailing period and newline. */
static void plat_os_error_text(DWORD code, char *buf, size_t buf_len)
{
    WCHAR wide[512];
    DWORD n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0,
                             wide, (DWORD)(sizeof wide / sizeof wide[0]), NULL);
    int len;
    while (n > 0 && (wide[n - 1] == L'\r' || wide[n - 1] == L'\n' || wide[n - 1] == L'.' || wide[n - 1] == L' '))
        n--;
    len = n ? WideCharToMultiByte(CP_UTF8, 0, wide, (int)n, buf, (int)buf_len - 1, NULL, NULL) : 0;
    if (len <= 0)
        len = snprintf(buf, buf_len, "error %lu", (unsigned long)code);
    else
        buf[len] = '\0';
    buf[buf_len - 1] = '\0';
}

static void plat_set_os_err(char *err, size_t err_len, const char *what, const char *path, DWORD code)
{
    char text[512];
    plat_os_error_text(code, text, sizeof text);
    plat_set_err(err, err_len, "%s \"%s\": %s", what, path, text);
}

/* ---- the registry of live views (for the guard's access-violation case) ---------------------- */

#define PLAT_MAX_VIEWS 256

typedef struct plat_view {
    uintptr_t base;
    uintptr_t size;
} plat_view;

static SRWLOCK plat_views_lock = SRWLOCK_INIT;
static plat_view plat_views[PLAT_MAX_VIEWS];
static size_t plat_view_count;

/* A view that does not fit is not registered: the guard then covers it on Windows only. */
static void plat_views_add(const void *base, uint64_t size)
{
    AcquireSRWLockExclusive(&plat_views_lock);
    if (plat_view_count < PLAT_MAX_VIEWS) {
        plat_views[plat_view_count].base = (uintptr_t)base;
        plat_views[plat_view_count].size = (uintptr_t)size;
        plat_view_count++;
    }
    ReleaseSRWLockExclusive(&plat_views_lock);
}

static void plat_views_remove(const void *base)
{
    size_t i;
    AcquireSRWLockExclusive(&plat_views_lock);
    for (i = 0; i < plat_view_count; i++) {
        if (plat_views[i].base == (uintptr_t)base) {
            plat_views[i] = plat_views[--plat_view_count];
            break;
        }
    }
    ReleaseSRWLockExclusive(&plat_views_lock);
}

static int plat_views_contain(uintptr_t addr)
{
    size_t i;
    int found = 0;
    AcquireSRWLockShared(&plat_views_lock);
    for (i = 0; i < plat_view_count && !found; i++)
        found = addr - plat_views[i].base < plat_views[i].size;
    ReleaseSRWLockShared(&plat_views_lock);
    return found;
}

/* The exceptions plat_guarded turns into -1 (see the top of the file). */
static int plat_guard_catches(const EXCEPTION_RECORD *rec)
{
    if (rec->ExceptionCode == EXCEPTION_IN_PAGE_ERROR)
        return 1;
    return rec->ExceptionCode == EXCEPTION_ACCESS_VIOLATION && rec->NumberParameters >= 2 &&
           rec->ExceptionInformation[0] == 0 && plat_views_contain((uintptr_t)rec->ExceptionInformation[1]);
}

/* A path of MAX_PATH characters or more opens only in the \\?\ form on Windows 8.1 (and on 10
 * without the long-path opt-in). That form skips Win32's normalisation (slashes, "..", relative
 * parts), so it is built from the full path. Returns wpath itself when it is short, already in
 * that form, or cannot be converted (CreateFileW then reports why); otherwise a new string, and
 * wpath is freed. */
static WCHAR *plat_long_path(WCHAR *wpath, size_t wlen)
{
    static const WCHAR prefix[] = L"\\\\?\\", unc_prefix[] = L"\\\\?\\UNC\\";
    WCHAR *full = NULL, *out = NULL;
    DWORD need, got;
    size_t skip, plen;
    const WCHAR *pre;
    if (wlen < MAX_PATH || (wpath[0] == L'\\' && wpath[1] == L'\\' && wpath[2] == L'?' && wpath[3] == L'\\'))
        return wpath;
    need = GetFullPathNameW(wpath, 0, NULL, NULL);
    if (need == 0)
        return wpath;
    full = malloc(need * sizeof *full);
    got = full ? GetFullPathNameW(wpath, need, full, NULL) : 0;
    if (got == 0 || got >= need)
        goto cleanup;
    /* \\server\share\... becomes \\?\UNC\server\share\... */
    if (full[0] == L'\\' && full[1] == L'\\') {
        if (full[2] == L'.' || full[2] == L'?')
            goto cleanup; /* a device path: leave it as it is */
        pre = unc_prefix;
        plen = sizeof unc_prefix / sizeof unc_prefix[0] - 1;
        skip = 2;
    } else {
        pre = prefix;
        plen = sizeof prefix / sizeof prefix[0] - 1;
        skip = 0;
    }
    out = malloc((plen + got - skip + 1) * sizeof *out);
    if (!out)
        goto cleanup;
    memcpy(out, pre, plen * sizeof *out);
    memcpy(out + plen, full + skip, (got - skip + 1) * sizeof *out);
cleanup:
    free(full);
    if (!out)
        return wpath;
    free(wpath);
    return out;
}

int plat_map_open(const char *path, plat_map *out, char *err, size_t err_len)
{
    int rc = -1;
    WCHAR *wpath = NULL;
    HANDLE file = INVALID_HANDLE_VALUE;
    HANDLE section = NULL;
    const void *view = NULL;
    LARGE_INTEGER size;
    int wlen;

    wlen = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, NULL, 0);
    if (wlen <= 0) {
        plat_set_err(err, err_len, "cannot open \"%s\": the path is not valid UTF-8", path);
        goto cleanup;
    }
    wpath = malloc((size_t)wlen * sizeof *wpath);
    if (!wpath) {
        plat_set_err(err, err_len, "cannot open \"%s\": out of memory", path);
        goto cleanup;
    }
    MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, path, -1, wpath, wlen);
    wpath = plat_long_path(wpath, (size_t)wlen - 1);

    file = CreateFileW(wpath, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        DWORD code = GetLastError();
        DWORD attrs = GetFileAttributesW(wpath);
        /* Windows says "access denied" for a folder: say what it is instead. */
        if (attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY))
            plat_set_err(err, err_len, "cannot map \"%s\": not a regular file", path);
        else
            plat_set_os_err(err, err_len, "cannot open", path, code);
        goto cleanup;
    }
    if (!GetFileSizeEx(file, &size)) {
        plat_set_os_err(err, err_len, "cannot read the size of", path, GetLastError());
        goto cleanup;
    }
    if ((uint64_t)size.QuadPart > (uint64_t)SIZE_MAX) {
        plat_set_err(err, err_len, "cannot map \"%s\": %llu bytes do not fit this process's address space",
                     path, (unsigned long long)size.QuadPart);
        goto cleanup;
    }
    /* A section of length 0 cannot be created: an empty file is a valid, empty mapping. */
    if (size.QuadPart > 0) {
        section = CreateFileMappingW(file, NULL, PAGE_READONLY, 0, 0, NULL);
        if (!section) {
            plat_set_os_err(err, err_len, "cannot map", path, GetLastError());
            goto cleanup;
        }
        view = MapViewOfFile(section, FILE_MAP_READ, 0, 0, 0);
        if (!view) {
            plat_set_os_err(err, err_len, "cannot map", path, GetLastError());
            goto cleanup;
        }
    }
    if (view)
        plat_views_add(view, (uint64_t)size.QuadPart);
    out->data = view;
    out->size = (uint64_t)size.QuadPart;
    out->os = NULL;
    rc = 0;
cleanup:
    if (section)
        CloseHandle(section);
    if (file != INVALID_HANDLE_VALUE)
        CloseHandle(file);
    free(wpath);
    return rc;
}

void plat_map_close(plat_map *m)
{
    if (!m)
        return;
    if (m->data) {
        plat_views_remove(m->data);
        UnmapViewOfFile(m->data);
    }
    m->data = NULL;
    m->size = 0;
    m->os = NULL;
}

/* ---- guarded access ------------------------------------------------------------------------- */

#if defined(_MSC_VER)

int plat_guarded(int (*fn)(void *ctx), void *ctx)
{
    int rc = -1;
    __try {
        rc = fn(ctx);
    } __except (plat_guard_catches(GetExceptionInformation()->ExceptionRecord) ? EXCEPTION_EXECUTE_HANDLER
                                                                                : EXCEPTION_CONTINUE_SEARCH) {
        rc = -1;
    }
    return rc;
}

#else

typedef struct plat_guard_frame {
    void *jump[5]; /* the buffer __builtin_setjmp wants */
    struct plat_guard_frame *prev;
} plat_guard_frame;

static _Thread_local plat_guard_frame *plat_guard_top;
static INIT_ONCE plat_guard_once = INIT_ONCE_STATIC_INIT;

static LONG CALLBACK plat_guard_handler(EXCEPTION_POINTERS *info)
{
    plat_guard_frame *f = plat_guard_top;
    if (f && plat_guard_catches(info->ExceptionRecord))
        __builtin_longjmp(f->jump, 1);
    return EXCEPTION_CONTINUE_SEARCH;
}

static BOOL CALLBACK plat_guard_install(INIT_ONCE *once, void *param, void **context)
{
    (void)once;
    (void)param;
    (void)context;
    /* First in the chain: a guarded fault must not reach handlers that would report a crash. */
    return AddVectoredExceptionHandler(1, plat_guard_handler) != NULL;
}

/* Kept out of line: __builtin_setjmp's caller must stay the frame the handler returns into. */
static __attribute__((noinline)) int plat_guarded_call(plat_guard_frame *frame, int (*fn)(void *ctx), void *ctx)
{
    int rc;
    if (__builtin_setjmp(frame->jump) != 0) {
        plat_guard_top = frame->prev;
        return -1;
    }
    plat_guard_top = frame;
    rc = fn(ctx);
    plat_guard_top = frame->prev;
    return rc;
}

int plat_guarded(int (*fn)(void *ctx), void *ctx)
{
    plat_guard_frame frame;
    InitOnceExecuteOnce(&plat_guard_once, plat_guard_install, NULL, NULL);
    frame.prev = plat_guard_top;
    return plat_guarded_call(&frame, fn, ctx);
}

#endif

/* ---- threads and time ------------------------------------------------------------------------ */

struct plat_thread {
    HANDLE handle;
    int (*fn)(void *arg);
    void *arg;
    int result;
    WCHAR name[64];
};

typedef HRESULT(WINAPI *plat_set_thread_description_fn)(HANDLE thread, PCWSTR name);

static unsigned __stdcall plat_thread_main(void *p)
{
    plat_thread *t = p;
    if (t->name[0]) {
        HMODULE kernel = GetModuleHandleW(L"kernel32.dll");
        FARPROC proc = kernel ? GetProcAddress(kernel, "SetThreadDescription") : NULL;
        if (proc)
            ((plat_set_thread_description_fn)(void (*)(void))proc)(GetCurrentThread(), t->name);
    }
    t->result = t->fn(t->arg);
    return 0;
}

int plat_thread_start(plat_thread **out, int (*fn)(void *arg), void *arg, const char *name)
{
    plat_thread *t = calloc(1, sizeof *t);
    uintptr_t h;
    if (!t)
        return -1;
    t->fn = fn;
    t->arg = arg;
    if (name && !MultiByteToWideChar(CP_UTF8, 0, name, -1, t->name, (int)(sizeof t->name / sizeof t->name[0])))
        t->name[0] = L'\0';
    h = _beginthreadex(NULL, 0, plat_thread_main, t, 0, NULL);
    if (h == 0) {
        free(t);
        return -1;
    }
    t->handle = (HANDLE)h;
    *out = t;
    return 0;
}

int plat_thread_join(plat_thread *t)
{
    int result;
    WaitForSingleObject(t->handle, INFINITE);
    CloseHandle(t->handle);
    result = t->result;
    free(t);
    return result;
}

void plat_sleep_ms(uint32_t ms)
{
    Sleep(ms);
}

uint64_t plat_now_ns(void)
{
    LARGE_INTEGER count, freq;
    uint64_t c, f;
    QueryPerformanceFrequency(&freq); /* cheap: a read of shared memory, fixed at boot */
    QueryPerformanceCounter(&count);
    c = (uint64_t)count.QuadPart;
    f = (uint64_t)freq.QuadPart;
    /* Split so that c * 1e9 cannot overflow. */
    return (c / f) * 1000000000u + (c % f) * 1000000000u / f;
}

int32_t plat_local_offset_minutes(uint64_t filetime)
{
    FILETIME ft, local_ft;
    SYSTEMTIME utc, local;
    uint64_t local_value;
    ft.dwLowDateTime = (DWORD)filetime;
    ft.dwHighDateTime = (DWORD)(filetime >> 32);
    if (!FileTimeToSystemTime(&ft, &utc) || !SystemTimeToTzSpecificLocalTime(NULL, &utc, &local) ||
        !SystemTimeToFileTime(&local, &local_ft))
        return 0;
    local_value = ((uint64_t)local_ft.dwHighDateTime << 32) | local_ft.dwLowDateTime;
    /* Whole minutes: SYSTEMTIME keeps milliseconds, so sub-millisecond digits of filetime fall away. */
    return (int32_t)(((int64_t)local_value - (int64_t)(filetime - filetime % 10000u)) / 600000000);
}
