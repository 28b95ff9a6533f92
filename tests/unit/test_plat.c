/*
 * test_plat.c - the platform seam (plat.h) on the system it runs on: natively on Linux, and the
 * mingw build under Wine for the Win32 side. The helpers that prepare files (write, truncate,
 * make sparse) use the OS directly so that the code under test is not used to test itself.
 */
#if !defined(_WIN32)
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64
#endif

#include "check.h"
#include "wsk/plat.h"

#if defined(_WIN32)
#include <windows.h>
#include <winioctl.h>
#else
#include <errno.h>
#include <fcntl.h>
#if defined(__linux__)
#include <sys/prctl.h>
#endif
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#endif

#define PAGE 4096u

/* Names carry the system and the process id: the native and the Wine run may share WSK_TMP at the
 * same time (ctest -j). */
static void tmp_path(char *out, size_t n, const char *name)
{
#if defined(_WIN32)
    snprintf(out, n, "%s/w%lu-%s", check_tmp_dir(), (unsigned long)GetCurrentProcessId(), name);
#else
    snprintf(out, n, "%s/p%lu-%s", check_tmp_dir(), (unsigned long)getpid(), name);
#endif
}

#if defined(_WIN32)
/* UTF-16 for the helpers' own file calls; long paths in the \\?\ form (from the full path, since
 * that form is not normalised), which Windows needs for them. */
static WCHAR *widen(const char *s)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    WCHAR *w = n > 0 ? malloc((size_t)n * sizeof *w) : NULL, *out;
    DWORD got;
    if (w)
        MultiByteToWideChar(CP_UTF8, 0, s, -1, w, n);
    if (!w || n <= 200)
        return w;
    out = malloc((size_t)(n + 64) * sizeof *out);
    got = out ? GetFullPathNameW(w, (DWORD)n + 60, out + 4, NULL) : 0;
    if (got == 0 || got >= (DWORD)n + 60) {
        free(out);
        return w;
    }
    memcpy(out, L"\\\\?\\", 4 * sizeof *out);
    free(w);
    return out;
}

static int make_dir(const char *path)
{
    WCHAR *w = widen(path);
    int ok = w && (CreateDirectoryW(w, NULL) || GetLastError() == ERROR_ALREADY_EXISTS);
    free(w);
    return ok ? 0 : -1;
}

static void remove_dir(const char *path)
{
    WCHAR *w = widen(path);
    if (w)
        RemoveDirectoryW(w);
    free(w);
}

static HANDLE open_w(const char *path, DWORD disposition)
{
    WCHAR *w = widen(path);
    HANDLE h = w ? CreateFileW(w, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                               NULL, disposition, FILE_ATTRIBUTE_NORMAL, NULL)
                 : INVALID_HANDLE_VALUE;
    free(w);
    return h;
}

static int write_file(const char *path, const void *data, size_t len)
{
    HANDLE h = open_w(path, CREATE_ALWAYS);
    DWORD done = 0;
    int ok;
    if (h == INVALID_HANDLE_VALUE)
        return -1;
    ok = len == 0 || (WriteFile(h, data, (DWORD)len, &done, NULL) && done == len);
    CloseHandle(h);
    return ok ? 0 : -1;
}

static uint64_t file_size(const char *path)
{
    WCHAR *w = widen(path);
    WIN32_FILE_ATTRIBUTE_DATA fa;
    uint64_t size = UINT64_MAX;
    if (w && GetFileAttributesExW(w, GetFileExInfoStandard, &fa))
        size = ((uint64_t)fa.nFileSizeHigh << 32) | fa.nFileSizeLow;
    free(w);
    return size;
}

typedef char *(__cdecl *wine_unix_name_fn)(const WCHAR *dos_path);

/* Wine refuses, like Windows, to cut a mapped file, but a Unix process it starts can. */
static int truncate_from_unix_side(const char *path)
{
    HMODULE kernel = GetModuleHandleW(L"kernel32.dll");
    FARPROC proc = kernel ? GetProcAddress(kernel, "wine_get_unix_file_name") : NULL;
    WCHAR *wpath, *wcmd = NULL;
    char *unix_path = NULL, cmd[2048];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    int rc = -1, i;
    if (!proc)
        return -1; /* not Wine */
    wpath = widen(path);
    if (wpath)
        unix_path = ((wine_unix_name_fn)(void (*)(void))proc)(wpath);
    free(wpath);
    if (!unix_path)
        return -1;
    snprintf(cmd, sizeof cmd, "/usr/bin/truncate -s 0 \"%s\"", unix_path);
    HeapFree(GetProcessHeap(), 0, unix_path);
    wcmd = widen(cmd);
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    if (!wcmd || !CreateProcessW(NULL, wcmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
        goto cleanup;
    WaitForSingleObject(pi.hProcess, 10000);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    /* Wine does not always wait for a Unix child: watch the size instead. */
    for (i = 0; i < 500 && rc != 0; i++) {
        if (file_size(path) == 0)
            rc = 0;
        else
            Sleep(10);
    }
    if (rc == 0)
        printf("note: cut the file from the Unix side (Wine)\n");
cleanup:
    free(wcmd);
    return rc;
}

static int truncate_file(const char *path)
{
    HANDLE h = open_w(path, OPEN_EXISTING);
    LARGE_INTEGER zero;
    int ok;
    if (h == INVALID_HANDLE_VALUE)
        return -1;
    zero.QuadPart = 0;
    ok = SetFilePointerEx(h, zero, NULL, FILE_BEGIN) && SetEndOfFile(h);
    if (!ok)
        printf("note: truncating a mapped file was refused (error %lu), as Windows does\n",
               (unsigned long)GetLastError());
    CloseHandle(h);
    return ok ? 0 : truncate_from_unix_side(path);
}

/* 0 made, 1 refused by the file system (the caller skips), -1 error. */
static int make_sparse(const char *path, uint64_t size, uint64_t at, uint8_t byte)
{
    HANDLE h = open_w(path, CREATE_ALWAYS);
    DWORD done = 0;
    LARGE_INTEGER pos;
    int rc = 1;
    if (h == INVALID_HANDLE_VALUE)
        return -1;
    /* Without the sparse flag NTFS would write gigabytes of zeros. */
    if (!DeviceIoControl(h, FSCTL_SET_SPARSE, NULL, 0, NULL, 0, &done, NULL)) {
        printf("note: FSCTL_SET_SPARSE refused (error %lu)\n", (unsigned long)GetLastError());
        goto cleanup;
    }
    pos.QuadPart = (LONGLONG)size;
    if (!SetFilePointerEx(h, pos, NULL, FILE_BEGIN) || !SetEndOfFile(h))
        goto cleanup;
    pos.QuadPart = (LONGLONG)at;
    if (!SetFilePointerEx(h, pos, NULL, FILE_BEGIN) || !WriteFile(h, &byte, 1, &done, NULL) || done != 1)
        goto cleanup;
    rc = 0;
cleanup:
    CloseHandle(h);
    return rc;
}

static void remove_file(const char *path)
{
    WCHAR *w = widen(path);
    if (w)
        DeleteFileW(w);
    free(w);
}

/* A writer as ETW's logger is one: write access, sharing only reading. */
typedef HANDLE writer;
#define WRITER_NONE INVALID_HANDLE_VALUE

static writer writer_open(const char *path)
{
    WCHAR *w = widen(path);
    HANDLE h = w ? CreateFileW(w, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL)
                 : INVALID_HANDLE_VALUE;
    free(w);
    return h;
}

static int writer_append(writer h, const void *data, size_t len)
{
    DWORD done = 0;
    return WriteFile(h, data, (DWORD)len, &done, NULL) && done == len ? 0 : -1;
}

static void writer_close(writer h)
{
    CloseHandle(h);
}
#else
static int write_file(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int ok;
    if (fd < 0)
        return -1;
    ok = write(fd, data, len) == (ssize_t)len;
    close(fd);
    return ok ? 0 : -1;
}

static int truncate_file(const char *path)
{
    return truncate(path, 0);
}

static int make_sparse(const char *path, uint64_t size, uint64_t at, uint8_t byte)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int rc = 1;
    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)size) != 0 || pwrite(fd, &byte, 1, (off_t)at) != 1)
        goto cleanup;
    rc = 0;
cleanup:
    close(fd);
    return rc;
}

static void remove_file(const char *path)
{
    unlink(path);
}

static int make_dir(const char *path)
{
    return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static void remove_dir(const char *path)
{
    rmdir(path);
}

typedef int writer;
#define WRITER_NONE (-1)

static writer writer_open(const char *path)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

static int writer_append(writer fd, const void *data, size_t len)
{
    return write(fd, data, len) == (ssize_t)len ? 0 : -1;
}

static void writer_close(writer fd)
{
    close(fd);
}
#endif

/* A name outside ASCII: the Win32 side must convert UTF-8 to UTF-16 on the way to CreateFileW. */
static void test_map_known_bytes(void)
{
    char path[1024];
    uint8_t bytes[10000];
    plat_map m = {NULL, 0, NULL};
    char err[512] = "";
    size_t i;
    for (i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)(i * 7 + 3);
    tmp_path(path, sizeof path, "plat-map-\xc3\xbcn\xc3\xaf-\xe6\xb8\xac\xe8\xa9\xa6.bin");
    CHECK(write_file(path, bytes, sizeof bytes) == 0);
    CHECK(plat_map_open(path, &m, err, sizeof err) == 0);
    if (!m.data) {
        printf("%s\n", err);
        return;
    }
    CHECK_U64(m.size, sizeof bytes);
    CHECK(m.data != NULL && memcmp(m.data, bytes, sizeof bytes) == 0);
    CHECK_U64(m.data[9999], (9999 * 7 + 3) & 0xff);
    plat_map_close(&m);
    CHECK(m.data == NULL);
    CHECK_U64(m.size, 0);
    remove_file(path);
}

/* A trace still being written: the writer holds the file open for writing and shares only reading.
 * The mapping shows the bytes that were there when it was made; a new mapping sees the rest. */
static void test_map_while_written(void)
{
    char path[1024];
    uint8_t bytes[6000];
    plat_map m = {NULL, 0, NULL}, m2 = {NULL, 0, NULL};
    char err[512] = "";
    writer w;
    size_t i;
    for (i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)(i * 13 + 1);
    tmp_path(path, sizeof path, "plat-being-written.bin");
    w = writer_open(path);
    CHECK(w != WRITER_NONE);
    if (w == WRITER_NONE)
        return;
    CHECK(writer_append(w, bytes, 4000) == 0);
    CHECK(plat_map_open(path, &m, err, sizeof err) == 0);
    if (!m.data)
        printf("%s\n", err);
    CHECK_U64(m.size, 4000);
    CHECK(m.data && memcmp(m.data, bytes, 4000) == 0);
    CHECK(writer_append(w, bytes + 4000, 2000) == 0);
    CHECK_U64(m.size, 4000);
    CHECK(plat_map_open(path, &m2, err, sizeof err) == 0);
    CHECK_U64(m2.size, sizeof bytes);
    CHECK(m2.data && memcmp(m2.data, bytes, sizeof bytes) == 0);
    plat_map_close(&m2);
    plat_map_close(&m);
    writer_close(w);
    remove_file(path);
}

/* Deeper than MAX_PATH (260): Windows 8.1 opens it only in the \\?\ form, which plat builds. */
static void test_map_long_path(void)
{
    static const char seg[] = "/plat-long-path-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789";
    char dirs[6][1024], path[1024];
    plat_map m = {NULL, 0, NULL};
    char err[512] = "";
    int level, made = 0, n;
    tmp_path(dirs[0], sizeof dirs[0], "plat-long");
    CHECK(strlen(dirs[0]) < 600);
    if (strlen(dirs[0]) >= 600)
        return;
    for (level = 0; level < 6; level++) {
        n = level ? snprintf(dirs[level], sizeof dirs[level], "%s%s", dirs[level - 1], seg) : (int)strlen(dirs[0]);
        CHECK(n > 0 && (size_t)n < sizeof dirs[level]);
        CHECK(make_dir(dirs[level]) == 0);
        made = level;
    }
    n = snprintf(path, sizeof path, "%s/long-path.bin", dirs[5]);
    CHECK(n > 330 && (size_t)n < sizeof path);
    CHECK(write_file(path, "deep down", 9) == 0);
    CHECK(plat_map_open(path, &m, err, sizeof err) == 0);
    if (!m.data)
        printf("%s\n", err);
    CHECK_U64(m.size, 9);
    CHECK(m.data && memcmp(m.data, "deep down", 9) == 0);
    plat_map_close(&m);
    remove_file(path);
    for (level = made; level >= 0; level--)
        remove_dir(dirs[level]);
}

static void test_map_empty(void)
{
    char path[1024];
    plat_map m = {NULL, 0, NULL};
    char err[512] = "";
    tmp_path(path, sizeof path, "plat-empty.bin");
    CHECK(write_file(path, "", 0) == 0);
    memset(&m, 0xcc, sizeof m);
    CHECK(plat_map_open(path, &m, err, sizeof err) == 0);
    CHECK(m.data == NULL);
    CHECK_U64(m.size, 0);
    plat_map_close(&m);
    remove_file(path);
}

static void test_map_missing(void)
{
    char path[1024];
    plat_map m, before;
    char err[512] = "";
    tmp_path(path, sizeof path, "plat-no-such-file.etl");
    remove_file(path);
    memset(&m, 0x5a, sizeof m);
    before = m;
    CHECK(plat_map_open(path, &m, err, sizeof err) != 0);
    CHECK(memcmp(&m, &before, sizeof m) == 0); /* outputs untouched on failure */
    printf("error text: %s\n", err);
    CHECK(strstr(err, path) != NULL);
    CHECK(strlen(err) > strlen(path) + 12); /* the OS's reason follows the path */
    /* A folder is not a file to map. */
    memset(err, 0, sizeof err);
    CHECK(plat_map_open(check_tmp_dir(), &m, err, sizeof err) != 0);
    printf("error text: %s\n", err);
    CHECK(strstr(err, check_tmp_dir()) != NULL);
    /* A tiny buffer is cut, never overrun. */
    memset(err, 'x', sizeof err);
    CHECK(plat_map_open(path, &m, err, 8) != 0);
    CHECK_U64(strlen(err), 7);
}

static void test_map_over_4gib(void)
{
    const uint64_t at = 5ull << 30, size = at + PAGE;
    char path[1024];
    plat_map m = {NULL, 0, NULL};
    char err[512] = "";
    int made;
    if ((uint64_t)SIZE_MAX < size) {
        printf("skip: a 32-bit process cannot map 5 GiB\n");
        return;
    }
    tmp_path(path, sizeof path, "plat-sparse-5g.bin");
    made = make_sparse(path, size, at, 0xa5);
    CHECK(made >= 0);
    if (made != 0) {
        printf("skip: the file system refused a sparse file of 5 GiB\n");
        remove_file(path);
        return;
    }
    CHECK(plat_map_open(path, &m, err, sizeof err) == 0);
    if (!m.data) {
        printf("%s\n", err);
        remove_file(path);
        return;
    }
    CHECK_U64(m.size, size);
    CHECK_U64(m.data[at], 0xa5);
    CHECK_U64(m.data[at - 1], 0);
    CHECK_U64(m.data[(4ull << 30) + 17], 0);
    CHECK_U64(m.data[size - 1], 0);
    plat_map_close(&m);
    remove_file(path);
}

typedef struct touch_ctx {
    const volatile uint8_t *data;
    size_t len;
    unsigned sum;
    int reached_end;
} touch_ctx;

static int touch_pages(void *p)
{
    touch_ctx *t = p;
    size_t i;
    for (i = 0; i < t->len; i += PAGE)
        t->sum += t->data[i];
    t->reached_end = 1;
    return 42;
}

#if defined(_WIN32)
static int raise_in_page_error(void *p)
{
    (void)p;
    RaiseException(EXCEPTION_IN_PAGE_ERROR, 0, 0, NULL);
    return 7;
}
#endif

/* Map 4 pages, cut the file to 0 behind the mapping, touch them inside plat_guarded. */
static void test_guarded_truncated_mapping(void)
{
    char path[1024];
    static uint8_t bytes[4 * PAGE];
    plat_map m = {NULL, 0, NULL};
    char err[512] = "";
    touch_ctx t;
    int round;
    memset(bytes, 1, sizeof bytes);
    tmp_path(path, sizeof path, "plat-truncated.bin");
    CHECK(write_file(path, bytes, sizeof bytes) == 0);
    CHECK(plat_map_open(path, &m, err, sizeof err) == 0);
    if (!m.data)
        return;
    memset(&t, 0, sizeof t);
    t.data = m.data;
    t.len = (size_t)m.size;
    CHECK(plat_guarded(touch_pages, &t) == 42); /* intact: fn's own result */
    CHECK_U64(t.sum, 4);
    if (truncate_file(path) == 0) {
        /* Twice: the second fault proves the first left SIGBUS deliverable again. */
        for (round = 0; round < 2; round++) {
            t.sum = 0;
            t.reached_end = 0;
            CHECK(plat_guarded(touch_pages, &t) == -1);
            CHECK(!t.reached_end);
        }
    } else {
#if defined(_WIN32)
        printf("note: testing the guard with a raised EXCEPTION_IN_PAGE_ERROR instead\n");
        for (round = 0; round < 2; round++)
            CHECK(plat_guarded(raise_in_page_error, NULL) == -1);
#else
        CHECK(!"truncate failed");
#endif
    }
    plat_map_close(&m);
    remove_file(path);
}

typedef struct nest_ctx {
    touch_ctx *inner;
    int inner_rc;
} nest_ctx;

static int nest_outer(void *p)
{
    nest_ctx *n = p;
#if defined(_WIN32)
    n->inner_rc = n->inner->data ? plat_guarded(touch_pages, n->inner) : plat_guarded(raise_in_page_error, NULL);
#else
    n->inner_rc = plat_guarded(touch_pages, n->inner);
#endif
    return 5;
}

static int fault_on_thread(void *p)
{
    nest_ctx *n = p;
    return plat_guarded(nest_outer, n);
}

/* A fault in a nested call ends only the inner call; a fault on another thread lands there. */
static void test_guarded_nested_and_threads(void)
{
    char path[1024];
    static uint8_t bytes[2 * PAGE];
    plat_map m = {NULL, 0, NULL};
    char err[512] = "";
    touch_ctx t;
    nest_ctx n;
    plat_thread *th = NULL;
    memset(bytes, 2, sizeof bytes);
    tmp_path(path, sizeof path, "plat-nested.bin");
    CHECK(write_file(path, bytes, sizeof bytes) == 0);
    CHECK(plat_map_open(path, &m, err, sizeof err) == 0);
    if (!m.data)
        return;
    memset(&t, 0, sizeof t);
    t.data = m.data;
    t.len = (size_t)m.size;
    if (truncate_file(path) != 0)
        t.data = NULL; /* Windows: the inner call raises the exception itself */
    n.inner = &t;
    n.inner_rc = 0;
    CHECK(plat_guarded(nest_outer, &n) == 5);
    CHECK(n.inner_rc == -1);
    n.inner_rc = 0;
    CHECK(plat_thread_start(&th, fault_on_thread, &n, "wsk-guard-test") == 0);
    if (th)
        CHECK(plat_thread_join(th) == 5);
    CHECK(n.inner_rc == -1);
    plat_map_close(&m);
    remove_file(path);
}

/* The guard changes nothing outside plat_guarded: a fault there still ends the process (through
 * the default action, or the handler that was installed before, e.g. a sanitizer's). */
static void test_unguarded_fault_still_fatal(void)
{
#if defined(_WIN32)
    printf("skip: POSIX only (fork)\n");
#else
    char path[1024];
    static uint8_t bytes[2 * PAGE];
    plat_map m = {NULL, 0, NULL};
    char err[512] = "";
    touch_ctx t;
    pid_t child;
    int status = 0;
    memset(bytes, 3, sizeof bytes);
    tmp_path(path, sizeof path, "plat-unguarded.bin");
    CHECK(write_file(path, bytes, sizeof bytes) == 0);
    CHECK(plat_map_open(path, &m, err, sizeof err) == 0);
    if (!m.data)
        return;
    memset(&t, 0, sizeof t);
    t.data = m.data;
    t.len = (size_t)m.size;
    CHECK(truncate_file(path) == 0);
    CHECK(plat_guarded(touch_pages, &t) == -1); /* the handler is installed */
    printf("a child touches a truncated mapping unguarded (a sanitizer may report that fault below)\n");
    fflush(stdout);
    child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        touch_pages(&t);
        _exit(0); /* reached only if the fault was swallowed */
    }
    if (child > 0) {
        CHECK(waitpid(child, &status, 0) == child);
        printf("unguarded child: %s %d\n", WIFSIGNALED(status) ? "killed by signal" : "exit code",
               WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
        CHECK((WIFSIGNALED(status) && WTERMSIG(status) == SIGBUS) || (WIFEXITED(status) && WEXITSTATUS(status) != 0));
    }
    plat_map_close(&m);
    remove_file(path);
#endif
}

typedef struct count_ctx {
    plat_atomic_u64 *counter;
    int id;
    char name[64]; /* the thread's name as the system reports it, "" when it cannot say */
} count_ctx;

#if defined(_WIN32)
typedef HRESULT(WINAPI *get_thread_description_fn)(HANDLE thread, PWSTR *name);
#endif

static void own_thread_name(char *out, size_t n)
{
    out[0] = '\0';
#if defined(_WIN32)
    {
        HMODULE kernel = GetModuleHandleW(L"kernel32.dll");
        FARPROC proc = kernel ? GetProcAddress(kernel, "GetThreadDescription") : NULL;
        PWSTR name = NULL;
        if (proc && SUCCEEDED(((get_thread_description_fn)(void (*)(void))proc)(GetCurrentThread(), &name)) && name) {
            if (!WideCharToMultiByte(CP_UTF8, 0, name, -1, out, (int)n, NULL, NULL))
                out[0] = '\0';
            LocalFree(name);
        }
    }
#elif defined(__linux__)
    {
        char name[16] = "";
        if (prctl(PR_GET_NAME, name, 0, 0, 0) == 0)
            snprintf(out, n, "%s", name);
    }
#else
    (void)n;
#endif
}

static int count_up(void *p)
{
    count_ctx *c = p;
    int i;
    own_thread_name(c->name, sizeof c->name);
    for (i = 0; i < 100000; i++)
        plat_fetch_add(c->counter, 1);
    return 100 + c->id;
}

static void test_threads_and_atomics(void)
{
    plat_atomic_u64 counter;
    count_ctx ctx[4];
    plat_thread *th[4] = {NULL, NULL, NULL, NULL};
    int i;
    plat_store_release(&counter, 0);
    CHECK_U64(plat_fetch_add(&counter, 5), 0);
    CHECK_U64(plat_load_acquire(&counter), 5);
    CHECK_U64(plat_fetch_add(&counter, UINT64_MAX - 4), 5); /* wraps like uint64_t */
    CHECK_U64(plat_load_relaxed(&counter), 0);
    for (i = 0; i < 4; i++) {
        ctx[i].counter = &counter;
        ctx[i].id = i;
        CHECK(plat_thread_start(&th[i], count_up, &ctx[i], "wsk-count") == 0);
    }
    for (i = 0; i < 4; i++)
        if (th[i])
            CHECK(plat_thread_join(th[i]) == 100 + i);
    CHECK_U64(plat_load_acquire(&counter), 400000);
    if (ctx[0].name[0])
        CHECK_STR(ctx[0].name, "wsk-count");
    else
        printf("note: this system cannot report thread names\n");
}

static void test_clock(void)
{
    uint64_t prev = plat_now_ns(), start = prev, now;
    int i, ok = 1;
    for (i = 0; i < 100000; i++) {
        now = plat_now_ns();
        if (now < prev)
            ok = 0;
        prev = now;
    }
    CHECK(ok);
    plat_sleep_ms(30);
    now = plat_now_ns();
    /* A lower bound only (timer ticks may round a sleep down a little); no upper bound. */
    CHECK(now - start >= 20000000u);
    CHECK(now - start < 3600ull * 1000000000u);
}

/* FILETIME of a UTC date (days from civil, proleptic Gregorian). */
static uint64_t filetime_utc(int y, int mo, int d, int h)
{
    int64_t era, yoe, doy, doe, days;
    y -= mo <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    days = era * 146097 + doe - 719468; /* since 1970-01-01 */
    return (uint64_t)((days * 86400 + h * 3600) + 11644473600LL) * 10000000u;
}

static void test_local_offset(void)
{
#if defined(_WIN32)
    /* The zone comes from the system (Wine: the host's); only its shape can be checked. */
    int32_t a = plat_local_offset_minutes(filetime_utc(2024, 1, 15, 12));
    int32_t b = plat_local_offset_minutes(filetime_utc(2024, 7, 15, 12));
    printf("local offsets: January %d min, July %d min\n", (int)a, (int)b);
    CHECK(a >= -12 * 60 && a <= 14 * 60 && a % 15 == 0);
    CHECK(b >= -12 * 60 && b <= 14 * 60 && b % 15 == 0);
#else
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    CHECK(plat_local_offset_minutes(filetime_utc(2024, 1, 15, 12)) == 60);
    CHECK(plat_local_offset_minutes(filetime_utc(2024, 7, 15, 12)) == 120);
    /* Historical rules: West Germany had no summer time in 1975. */
    CHECK(plat_local_offset_minutes(filetime_utc(1975, 7, 15, 12)) == 60);
    /* The switch instant: 2024-03-31 01:00 UTC. */
    CHECK(plat_local_offset_minutes(filetime_utc(2024, 3, 31, 0)) == 60);
    CHECK(plat_local_offset_minutes(filetime_utc(2024, 3, 31, 1)) == 120);
    setenv("TZ", "America/St_Johns", 1);
    tzset();
    CHECK(plat_local_offset_minutes(filetime_utc(2024, 1, 15, 12)) == -210);
    setenv("TZ", "UTC", 1);
    tzset();
    CHECK(plat_local_offset_minutes(filetime_utc(2024, 7, 15, 12)) == 0);
#endif
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_map_known_bytes),
        CHECK_CASE(test_map_while_written),
        CHECK_CASE(test_map_long_path),
        CHECK_CASE(test_map_empty),
        CHECK_CASE(test_map_missing),
        CHECK_CASE(test_map_over_4gib),
        CHECK_CASE(test_guarded_truncated_mapping),
        CHECK_CASE(test_guarded_nested_and_threads),
        CHECK_CASE(test_unguarded_fault_still_fatal),
        CHECK_CASE(test_threads_and_atomics),
        CHECK_CASE(test_clock),
        CHECK_CASE(test_local_offset),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
