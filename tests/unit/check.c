#include "check.h"

#include <sys/stat.h>

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

const char *check_tmp_dir(void)
{
    const char *dir = getenv("WSK_TMP");
    return (dir && *dir) ? dir : ".";
}
