/*
 * wskgen - writes Winsock-AFD .etl files from scripted socket-lifecycle
 * scenarios (gen.h), and optionally the per-socket expectation as JSON Lines.
 *
 * Windows: the entry point is wmain; arguments are converted to UTF-8 (the
 * writer takes UTF-8 paths) and the expectation file is opened with _wfopen.
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* _wfopen: the portable call is what we want */
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_main.h"
#include "wsk/gen.h"

#ifdef _WIN32
#include <windows.h>
#endif

#ifndef WSK_VERSION
#define WSK_VERSION "0.1.0"
#endif

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

static void usage(FILE *to)
{
    size_t i;
    fputs("usage: wskgen OUT.etl [options]\n"
          "Writes a Winsock-AFD trace of scripted socket lifecycles, as Windows writes them.\n\n"
          "  --scenario NAME    one scenario, or all (default)\n"
          "  --events N         bulk mode: exactly N events from many processes and sockets\n"
          "                     (with --scenario: the scenario first, then bulk traffic up to N events)\n"
          "  --expect FILE      write the expected sockets (JSON Lines, the keys of wskdump sockets)\n"
          "  --seed S           random seed (default 1); the same seed gives the same file\n"
          "  --ptr 4|8          pointer size of the events and the header (default 8)\n"
          "  --compress         MS-XCA compressed buffers\n"
          "  --clock 1|2|3      QPC, system time or CPU cycles (default 1)\n"
          "  --cpus N           processors (1-64, default 4)\n"
          "  --buffer-size B    buffer size in bytes (default 65536)\n"
          "  --circular MB      circular log of at most MB MiB\n"
          "  --lose N           mark N buffers with the events-lost flag\n"
          "  --no-process-table do not write the process-name records\n"
          "  --help, --version\n\n"
          "scenarios:\n",
          to);
    for (i = 0; gen_scenario_name(i); i++)
        fprintf(to, "  %-20s %s\n", gen_scenario_name(i), gen_scenario_help(i));
    fputs("  all                  every scenario above, one after the other\n", to);
}

static int parse_u64(const char *text, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v;
    if (!text || !*text || *text == '-')
        return -1;
    errno = 0;
    v = strtoull(text, &end, 0);
    if (errno || !end || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static FILE *open_utf8(const char *path, const char *mode)
{
#ifdef _WIN32
    wchar_t wpath[1024], wmode[8];
    if (!MultiByteToWideChar(CP_UTF8, 0, path, -1, wpath, 1024) || !MultiByteToWideChar(CP_UTF8, 0, mode, -1, wmode, 8))
        return NULL;
    return _wfopen(wpath, wmode);
#else
    return fopen(path, mode);
#endif
}

static int write_expect(const char *path, const gen_result *r)
{
    FILE *f = open_utf8(path, "wb");
    char *line = NULL;
    size_t cap = 0, i;
    int rc = -1;
    if (!f) {
        fprintf(stderr, "wskgen: cannot create %s\n", path);
        return -1;
    }
    for (i = 0; i < r->socket_count; i++) {
        size_t n = gen_socket_json(&r->sockets[i], line, cap);
        if (n + 1 > cap) {
            char *bigger = (char *)realloc(line, n + 1);
            if (!bigger)
                goto cleanup;
            line = bigger;
            cap = n + 1;
            gen_socket_json(&r->sockets[i], line, cap);
        }
        if (fputs(line, f) == EOF || fputc('\n', f) == EOF)
            goto cleanup;
    }
    rc = 0;
cleanup:
    if (fclose(f) != 0)
        rc = -1;
    if (rc)
        fprintf(stderr, "wskgen: could not write %s\n", path);
    free(line);
    return rc;
}

static int gen_main(int argc, char **argv)
{
    gen_options o;
    gen_file_options fo;
    gen_result r;
    const char *out = NULL, *expect = NULL;
    int scenario_given = 0;
    char err[512];
    int i;
    gen_options_default(&o);
    memset(&fo, 0, sizeof fo);
    fo.process_table = 1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        uint64_t n = 0;
        int takes = 1;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return EXIT_OK;
        } else if (strcmp(a, "--version") == 0) {
            printf("wskgen %s\n", WSK_VERSION);
            return EXIT_OK;
        } else if (strcmp(a, "--compress") == 0) {
            fo.compress = 1;
            takes = 0;
        } else if (strcmp(a, "--no-process-table") == 0) {
            fo.process_table = 0;
            takes = 0;
        } else if (strcmp(a, "--scenario") == 0) {
            if (!v || !gen_scenario_known(v)) {
                fprintf(stderr, "wskgen: unknown scenario '%s' (see --help)\n", v ? v : "");
                return EXIT_USAGE;
            }
            o.scenario = v;
            scenario_given = 1;
        } else if (strcmp(a, "--expect") == 0 && v) {
            expect = v;
        } else if (strcmp(a, "--events") == 0 && parse_u64(v, 1, UINT64_MAX / 2, &n) == 0) {
            o.events = n;
        } else if (strcmp(a, "--seed") == 0 && parse_u64(v, 0, UINT64_MAX, &n) == 0) {
            o.seed = n;
        } else if (strcmp(a, "--ptr") == 0 && parse_u64(v, 4, 8, &n) == 0 && (n == 4 || n == 8)) {
            o.ptr_size = (unsigned)n;
        } else if (strcmp(a, "--clock") == 0 && parse_u64(v, 1, 3, &n) == 0) {
            fo.clock_type = (uint32_t)n;
        } else if (strcmp(a, "--cpus") == 0 && parse_u64(v, 1, 64, &n) == 0) {
            o.cpus = (uint16_t)n;
        } else if (strcmp(a, "--buffer-size") == 0 && parse_u64(v, 1024, 16u << 20, &n) == 0 && n % 8 == 0) {
            fo.buffer_size = (uint32_t)n;
        } else if (strcmp(a, "--circular") == 0 && parse_u64(v, 1, 1u << 20, &n) == 0) {
            fo.circular_mb = (uint32_t)n;
        } else if (strcmp(a, "--lose") == 0 && parse_u64(v, 0, 1u << 20, &n) == 0) {
            fo.lose = (uint32_t)n;
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "wskgen: bad option or value: %s%s%s\n", a, v ? " " : "", v ? v : "");
            return EXIT_USAGE;
        } else if (!out) {
            out = a;
            takes = 0;
        } else {
            fprintf(stderr, "wskgen: more than one output file (%s, %s)\n", out, a);
            return EXIT_USAGE;
        }
        i += takes;
    }
    if (o.events && !scenario_given)
        o.scenario = NULL;
    if (!out) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (gen_write_etl(out, &o, &fo, &r, err, sizeof err) != 0) {
        fprintf(stderr, "wskgen: %s\n", err);
        return EXIT_FAIL;
    }
    fprintf(stderr, "wskgen: %s: %llu events, %llu sockets, %u processes\n", out, (unsigned long long)r.events,
            (unsigned long long)r.socket_count, r.process_count);
    if (expect && write_expect(expect, &r) != 0) {
        gen_result_free(&r);
        return EXIT_FAIL;
    }
    gen_result_free(&r);
    return EXIT_OK;
}

#ifdef _WIN32
int wmain(int argc, wchar_t **wargv);
int wmain(int argc, wchar_t **wargv)
{
    return cli_wmain(argc, wargv, "wskgen", gen_main);
}
#else
int main(int argc, char **argv)
{
    return gen_main(argc, argv);
}
#endif
