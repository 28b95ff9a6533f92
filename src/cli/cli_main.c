/*
 * cli_main.c - see cli_main.h. Only the Windows build has anything to do here.
 */
#include "cli_main.h"

#ifdef _WIN32
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>

static char *utf16_to_utf8(const wchar_t *w)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s;
    if (n <= 0)
        return NULL;
    s = (char *)malloc((size_t)n);
    if (s)
        WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL);
    return s;
}

int cli_wmain(int argc, wchar_t **wargv, const char *tool, int (*main_utf8)(int argc, char **argv))
{
    char **argv = (char **)calloc((size_t)argc + 1, sizeof *argv);
    int i, rc = 3;
    if (!argv)
        return rc;
    for (i = 0; i < argc; i++) {
        argv[i] = utf16_to_utf8(wargv[i]);
        if (!argv[i]) {
            fprintf(stderr, "%s: an argument could not be converted to UTF-8\n", tool);
            goto cleanup;
        }
    }
    SetConsoleOutputCP(CP_UTF8);
    /* Bytes out exactly as formatted: no "\r\n" translation into files and pipes. */
    _setmode(_fileno(stdout), _O_BINARY);
    rc = main_utf8(argc, argv);
cleanup:
    for (i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
    return rc;
}
#else
/* ISO C wants a translation unit to declare something. */
typedef int cli_main_posix_unused;
#endif
