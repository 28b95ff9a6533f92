/*
 * test_rig.c - proves the test rig itself: the same program runs natively and, built by mingw-w64,
 * under Wine (tests/wine/wine-run.sh). It checks that it really is the Windows build when it should be
 * (32-bit long), that the scratch folder and a path argument reach it as usable paths, and that its exit
 * code comes back unchanged (the test wine.rig_exit_code runs it with --exit N).
 *
 * Usage: test_rig FILE      FILE must be tests/unit/check.h (a path the rig converts under Wine)
 *        test_rig --exit N  returns N at once
 */
#include "check.h"

#include <limits.h>

static const char *g_file_arg;

static void test_data_model(void)
{
#if defined(_WIN32)
    /* LLP64: the Win32 side of the platform seam must be written for this. */
    CHECK_U64(sizeof(long), 4);
    CHECK_U64(sizeof(void *), 8);
    CHECK_U64(LONG_MAX, 2147483647u);
#else
    CHECK_U64(sizeof(long), 8);
    CHECK_U64(sizeof(void *), 8);
#endif
}

static void test_tmp_writable(void)
{
    const char *dir = check_tmp_dir();
    char path[1024];
    static const char text[] = "wsk rig\n\x01\xff";
    char back[sizeof text] = {0};
    FILE *f;
    size_t n = 0;

#if defined(_WIN32)
    /* wine-run.sh hands the folder over as a Windows path: drive letter, colon, backslash. */
    CHECK(dir[0] != '\0' && dir[1] == ':' && dir[2] == '\\');
    snprintf(path, sizeof path, "%s\\rig-win.bin", dir);
#else
    snprintf(path, sizeof path, "%s/rig-native.bin", dir);
#endif
    f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_U64(fwrite(text, 1, sizeof text, f), sizeof text);
    CHECK(fclose(f) == 0);
    f = fopen(path, "rb");
    CHECK(f != NULL);
    if (f) {
        n = fread(back, 1, sizeof back, f);
        fclose(f);
    }
    CHECK_U64(n, sizeof text);
    CHECK(memcmp(back, text, sizeof text) == 0);
    CHECK(remove(path) == 0);
}

static void test_path_argument(void)
{
    char buf[96] = {0};
    size_t n;
    FILE *f;

    CHECK(g_file_arg != NULL);
    if (!g_file_arg)
        return;
#if defined(_WIN32)
    CHECK(g_file_arg[1] == ':');
#endif
    f = fopen(g_file_arg, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    CHECK_U64(n, sizeof buf - 1);
    /* strstr, not a fixed offset: a Windows checkout may have CRLF line ends. */
    CHECK(strncmp(buf, "/*", 2) == 0);
    CHECK(strstr(buf, " * check.h - the project's tiny test harness") != NULL);
}

int main(int argc, char **argv)
{
    static const check_case cases[] = {
        CHECK_CASE(test_data_model),
        CHECK_CASE(test_tmp_writable),
        CHECK_CASE(test_path_argument),
    };
    if (argc == 3 && strcmp(argv[1], "--exit") == 0)
        return atoi(argv[2]);
    if (argc == 2)
        g_file_arg = argv[1];
    return check_run(cases, CHECK_COUNT(cases));
}
