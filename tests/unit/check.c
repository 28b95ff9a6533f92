#include "check.h"

#include <sys/stat.h>
#ifdef _WIN32
#include <direct.h>
#endif

int check_failures;

int check_run(const check_case *cases, size_t count)
{
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        int before = check_failures;
        cases[i].fn();
        if (check_failures == before) {
            passed++;
            printf("ok   %s\n", cases[i].name);
        } else {
            failed++;
            printf("FAIL %s\n", cases[i].name);
        }
        fflush(stdout);
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    return failed ? 1 : 0;
}

const char *check_samples_dir(void)
{
    const char *dir = getenv("WSK_SAMPLES");
    struct stat st;
    if (!dir || !*dir || stat(dir, &st) != 0)
        return NULL;
    return dir;
}

/* The native and the Wine copy of a test may run at the same time (ctest -j) with the same WSK_TMP, so
 * each platform gets its own subfolder. */
const char *check_tmp_dir(void)
{
    static char dir[1024];
    const char *base = getenv("WSK_TMP");
#ifdef _WIN32
    const char *tag = "win";
#else
    const char *tag = "native";
#endif
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s/%s", (base && *base) ? base : ".", tag);
#ifdef _WIN32
        _mkdir(dir);
#else
        mkdir(dir, 0777);
#endif
    }
    return dir;
}
