/*
 * plat.h - the platform seam: the only part of the core that knows which
 * operating system it runs on. Module prefix: plat_.
 *
 * Implementations: src/platform/plat_posix.c and src/platform/plat_win32.c.
 * Atomics are inline here: C11 <stdatomic.h> where the compiler has it, and
 * the Interlocked intrinsics on MSVC (whose C11 atomics need an experimental
 * switch), so the rest of the core never names either.
 */
#ifndef WSK_PLAT_H
#define WSK_PLAT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- atomics --------------------------------------------------------------------------------- */
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
typedef struct plat_atomic_u64 { volatile int64_t v; } plat_atomic_u64;
/* x64 is TSO: a compiler barrier gives acquire loads and release stores. */
static __inline uint64_t plat_load_acquire(const plat_atomic_u64 *a)
{
    uint64_t v = (uint64_t)a->v;
    _ReadWriteBarrier();
    return v;
}
static __inline void plat_store_release(plat_atomic_u64 *a, uint64_t v)
{
    _ReadWriteBarrier();
    a->v = (int64_t)v;
}
static __inline uint64_t plat_load_relaxed(const plat_atomic_u64 *a)
{
    return (uint64_t)a->v;
}
static __inline uint64_t plat_fetch_add(plat_atomic_u64 *a, uint64_t n)
{
    return (uint64_t)_InterlockedExchangeAdd64(&a->v, (int64_t)n);
}
#else
#include <stdatomic.h>
typedef struct plat_atomic_u64 { _Atomic uint64_t v; } plat_atomic_u64;
static inline uint64_t plat_load_acquire(const plat_atomic_u64 *a)
{
    return atomic_load_explicit((_Atomic uint64_t *)&a->v, memory_order_acquire);
}
static inline void plat_store_release(plat_atomic_u64 *a, uint64_t v)
{
    atomic_store_explicit(&a->v, v, memory_order_release);
}
static inline uint64_t plat_load_relaxed(const plat_atomic_u64 *a)
{
    return atomic_load_explicit((_Atomic uint64_t *)&a->v, memory_order_relaxed);
}
static inline uint64_t plat_fetch_add(plat_atomic_u64 *a, uint64_t n)
{
    return atomic_fetch_add_explicit(&a->v, n, memory_order_relaxed);
}
#endif

/* ---- read-only file mappings ----------------------------------------------------------------- */
typedef struct plat_map {
    const uint8_t *data;
    uint64_t size;
    void *os;          /* implementation state */
} plat_map;

/* Map a whole file read-only, opened with full sharing (a trace still being written can be read).
 * path is UTF-8. Sizes are 64-bit (files over 4 GiB map whole in a 64-bit process). An empty file
 * succeeds with data NULL and size 0. Returns 0 on success; on failure *out is untouched and err
 * holds a sentence naming the path and the system's reason. */
int plat_map_open(const char *path, plat_map *out, char *err, size_t err_len);
void plat_map_close(plat_map *m);

/* Run fn(ctx) so that an I/O error while touching a mapping (SIGBUS on POSIX,
 * EXCEPTION_IN_PAGE_ERROR on Windows; under Wine an access violation inside a view of
 * plat_map_open) ends fn and makes this return -1 instead of killing the process. Returns fn's
 * result otherwise. Calls may nest and run on any thread. fn is abandoned where it faulted (no
 * cleanup runs in it): it must not hold locks or own allocations it has not recorded in ctx. */
int plat_guarded(int (*fn)(void *ctx), void *ctx);

/* ---- threads and time ------------------------------------------------------------------------ */
typedef struct plat_thread plat_thread;
/* name (UTF-8, may be NULL) shows in debuggers: Linux keeps 15 bytes, Windows 10 1607+ all of it. */
int plat_thread_start(plat_thread **out, int (*fn)(void *arg), void *arg, const char *name);
int plat_thread_join(plat_thread *t); /* returns fn's result and frees t */
void plat_sleep_ms(uint32_t ms);     /* 0: give up the rest of this time slice */
uint64_t plat_now_ns(void);           /* monotonic */
/* Minutes to add to UTC for this machine's local time at the given FILETIME. */
int32_t plat_local_offset_minutes(uint64_t filetime);

#ifdef __cplusplus
}
#endif
#endif
