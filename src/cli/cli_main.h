/*
 * cli_main.h - the tools' entry point on Windows: wmain's UTF-16 arguments become UTF-8 (the core takes
 * UTF-8 paths) and stdout writes bytes as formatted. Module prefix: cli_.
 */
#ifndef WSK_CLI_MAIN_H
#define WSK_CLI_MAIN_H

#ifdef _WIN32
#include <wchar.h>

/* Calls main_utf8 with the arguments converted; tool names the program in the one error it can print. */
int cli_wmain(int argc, wchar_t **wargv, const char *tool, int (*main_utf8)(int argc, char **argv));
#endif

#endif
