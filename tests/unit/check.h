/*
 * check.h - the project's tiny test harness: CHECK macros that record a
 * failure and go on, and a runner that prints the closing line CTest and CI
 * read ("N passed, N failed"). A test program returns 77 to say "skipped"
 * (SKIP_RETURN_CODE in tests/CMakeLists.txt), always with a printed reason.
 */
#ifndef WSK_CHECK_H
#define WSK_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int check_failures;

#define CHECK(cond)                                                                              \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            check_failures++;                                                                    \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);             \
        }                                                                                        \
    } while (0)

#define CHECK_U64(a, b)                                                                          \
    do {                                                                                         \
        uint64_t check_a_ = (uint64_t)(a), check_b_ = (uint64_t)(b);                             \
        if (check_a_ != check_b_) {                                                              \
            check_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s == %" PRIu64 " (0x%" PRIx64 "), expected %" PRIu64         \
                    " (0x%" PRIx64 ")\n", __FILE__, __LINE__, #a, check_a_, check_a_, check_b_,  \
                    check_b_);                                                                   \
        }                                                                                        \
    } while (0)

#define CHECK_STR(a, b)                                                                          \
    do {                                                                                         \
        const char *check_a_ = (a), *check_b_ = (b);                                             \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                         \
            check_failures++;                                                                    \
            fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,    \
                    check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)");             \
        }                                                                                        \
    } while (0)

typedef struct check_case {
    const char *name;
    void (*fn)(void);
} check_case;

/* Runs every case, prints one line per case and the closing summary; returns the exit code. */
int check_run(const check_case *cases, size_t count);

/* Folder of ../shared/samples (env WSK_SAMPLES), or NULL when absent: callers skip, saying so. */
const char *check_samples_dir(void);
/* A scratch folder inside the build tree: WSK_TMP (else the working folder) plus "native" or "win", so
 * the two copies of a test never share files. */
const char *check_tmp_dir(void);

#define CHECK_CASE(fn) { #fn, fn }
#define CHECK_COUNT(arr) (sizeof(arr) / sizeof((arr)[0]))

#endif
