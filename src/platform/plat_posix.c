/*
 * plat_posix.c - the platform seam on POSIX systems (Linux first).
 *
 * Design notes:
 * - Mappings are MAP_SHARED and read-only with 64-bit sizes (_FILE_OFFSET_BITS=64), so a file
 *   over 4 GiB maps whole on a 64-bit system and a trace still being written stays readable.
 * - Guarded access: touching a page of a mapping whose file shrank or whose device failed raises
 *   SIGBUS. One process-wide SIGBUS handler (installed once) looks at a thread-local stack of
 *   jump frames: inside plat_guarded it siglongjmps to the innermost frame of the faulting
 *   thread; outside, it hands the signal to whatever handler was there before (or the default
 *   action), so the program's own behaviour is unchanged. Frames save no signal mask (that costs
 *   a system call per guarded call): the rare fault path unblocks SIGBUS itself instead.
 * - Threads are pthreads; fn's int result travels back through plat_thread_join.
 */
#define _GNU_SOURCE 1          /* glibc: pthread_setname_np, tm_gmtoff, sigaction, clock_gettime */
#define _FILE_OFFSET_BITS 64

#include "wsk/plat.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Seconds between 1601-01-01 (FILETIME epoch) and 1970-01-01. */
#define PLAT_FILETIME_UNIX_DIFF 11644473600LL

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
}

int plat_map_open(const char *path, plat_map *out, char *err, size_t err_len)
{
    int rc = -1;
    int fd = -1;
    struct stat st;
    void *data = NULL;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        plat_set_err(err, err_len, "cannot open \"%s\": %s", path, strerror(errno));
        goto cleanup;
    }
    if (fstat(fd, &st) != 0) {
        plat_set_err(err, err_len, "cannot read the size of \"%s\": %s", path, strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        plat_set_err(err, err_len, "cannot map \"%s\": not a regular file", path);
        goto cleanup;
    }
    if ((uint64_t)st.st_size > (uint64_t)SIZE_MAX) {
        plat_set_err(err, err_len, "cannot map \"%s\": %llu bytes do not fit this process's address space",
                     path, (unsigned long long)st.st_size);
        goto cleanup;
    }
    /* mmap refuses a length of 0: an empty file is a valid, empty mapping (the reader says "empty"). */
    if (st.st_size > 0) {
        data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
        if (data == MAP_FAILED) {
            data = NULL;
            plat_set_err(err, err_len, "cannot map \"%s\": %s", path, strerror(errno));
            goto cleanup;
        }
    }
    out->data = data;
    out->size = (uint64_t)st.st_size;
    out->os = NULL;
    rc = 0;
cleanup:
    if (fd >= 0)
        close(fd); /* the mapping keeps the file referenced */
    return rc;
}

void plat_map_close(plat_map *m)
{
    if (!m)
        return;
    if (m->data && m->size)
        munmap((void *)m->data, (size_t)m->size);
    m->data = NULL;
    m->size = 0;
    m->os = NULL;
}

/* ---- guarded access ------------------------------------------------------------------------- */

typedef struct plat_guard_frame {
    sigjmp_buf jump;
    struct plat_guard_frame *prev;
} plat_guard_frame;

static _Thread_local plat_guard_frame *plat_guard_top;
static struct sigaction plat_guard_prev;
static pthread_once_t plat_guard_once = PTHREAD_ONCE_INIT;

static void plat_guard_handler(int sig, siginfo_t *info, void *uctx)
{
    plat_guard_frame *f = plat_guard_top;
    if (f)
        siglongjmp(f->jump, 1);
    /* Not ours: behave as if we had never been installed. */
    if (plat_guard_prev.sa_flags & SA_SIGINFO) {
        if (plat_guard_prev.sa_sigaction)
            plat_guard_prev.sa_sigaction(sig, info, uctx);
        return;
    }
    if (plat_guard_prev.sa_handler == SIG_IGN)
        return;
    if (plat_guard_prev.sa_handler == SIG_DFL) {
        /* Restore the default action; the pending re-raise (or the faulting instruction, run
         * again on return) then ends the process as it would have without us. */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigemptyset(&dfl.sa_mask);
        sigaction(sig, &dfl, NULL);
        raise(sig);
        return;
    }
    plat_guard_prev.sa_handler(sig);
}

static void plat_guard_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = plat_guard_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &plat_guard_prev);
}

int plat_guarded(int (*fn)(void *ctx), void *ctx)
{
    plat_guard_frame frame;
    int rc;

    pthread_once(&plat_guard_once, plat_guard_install);
    frame.prev = plat_guard_top;
    if (sigsetjmp(frame.jump, 0) != 0) {
        /* Back from the handler: SIGBUS is still blocked (the handler never returned). */
        sigset_t bus;
        sigemptyset(&bus);
        sigaddset(&bus, SIGBUS);
        pthread_sigmask(SIG_UNBLOCK, &bus, NULL);
        plat_guard_top = frame.prev;
        return -1;
    }
    plat_guard_top = &frame;
    rc = fn(ctx);
    plat_guard_top = frame.prev;
    return rc;
}

/* ---- threads and time ------------------------------------------------------------------------ */

struct plat_thread {
    pthread_t id;
    int (*fn)(void *arg);
    void *arg;
    int result;
    char name[16]; /* Linux thread names are at most 15 bytes */
};

static void *plat_thread_main(void *p)
{
    plat_thread *t = p;
#if defined(__linux__)
    if (t->name[0])
        pthread_setname_np(pthread_self(), t->name);
#endif
    t->result = t->fn(t->arg);
    return NULL;
}

int plat_thread_start(plat_thread **out, int (*fn)(void *arg), void *arg, const char *name)
{
    plat_thread *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    t->fn = fn;
    t->arg = arg;
    if (name)
        snprintf(t->name, sizeof t->name, "%s", name);
    if (pthread_create(&t->id, NULL, plat_thread_main, t) != 0) {
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

int plat_thread_join(plat_thread *t)
{
    int result;
    pthread_join(t->id, NULL);
    result = t->result;
    free(t);
    return result;
}

void plat_sleep_ms(uint32_t ms)
{
    struct timespec ts;
    if (ms == 0) {
        sched_yield();
        return;
    }
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)(ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

uint64_t plat_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int32_t plat_local_offset_minutes(uint64_t filetime)
{
    time_t t = (time_t)((int64_t)(filetime / 10000000u) - PLAT_FILETIME_UNIX_DIFF);
    struct tm local;
    if (!localtime_r(&t, &local))
        return 0;
    return (int32_t)(local.tm_gmtoff / 60);
}
