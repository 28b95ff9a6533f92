/*
 * cli_out.c - buffered UTF-8 output (see cli_out.h).
 */
#include "cli_out.h"

#include "wsk/export.h"

#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <windows.h>
#include <io.h>
#endif

#define CLI_OUT_CAP (1u << 20)

int cli_out_init(cli_out *o, FILE *f)
{
    memset(o, 0, sizeof *o);
    o->buf = (char *)malloc(CLI_OUT_CAP);
    if (!o->buf)
        return -1;
    o->f = f;
    o->cap = CLI_OUT_CAP;
#ifdef _WIN32
    {
        DWORD mode;
        HANDLE h = (HANDLE)_get_osfhandle(_fileno(f));
        o->console = h != INVALID_HANDLE_VALUE && GetConsoleMode(h, &mode);
    }
#endif
    return 0;
}

#ifdef _WIN32
/* Length of the longest prefix of p[0..n) that does not end inside a UTF-8 sequence. */
static size_t cli_utf8_complete(const char *p, size_t n)
{
    size_t i = n, back = 0;
    while (i > 0 && back < 4) {
        unsigned char c = (unsigned char)p[i - 1];
        if ((c & 0xC0) != 0x80) {
            size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return (back + 1 >= need) ? n : i - 1;
        }
        i--;
        back++;
    }
    return n;
}

static int cli_write_console(cli_out *o, size_t n)
{
    HANDLE h = (HANDLE)_get_osfhandle(_fileno(o->f));
    int wn = MultiByteToWideChar(CP_UTF8, 0, o->buf, (int)n, NULL, 0);
    wchar_t *w;
    DWORD done = 0;
    int rc = -1;
    if (wn <= 0)
        return n == 0 ? 0 : -1;
    w = (wchar_t *)malloc((size_t)wn * sizeof(wchar_t));
    if (!w)
        return -1;
    MultiByteToWideChar(CP_UTF8, 0, o->buf, (int)n, w, wn);
    if (WriteConsoleW(h, w, (DWORD)wn, &done, NULL))
        rc = 0;
    free(w);
    return rc;
}
#endif

int cli_out_flush(cli_out *o)
{
    size_t n = o->len;
    if (o->failed) {
        o->len = 0;
        return -1;
    }
#ifdef _WIN32
    if (o->console) {
        n = cli_utf8_complete(o->buf, o->len);
        if (cli_write_console(o, n) != 0)
            o->failed = 1;
        memmove(o->buf, o->buf + n, o->len - n);
        o->len -= n;
        return o->failed ? -1 : 0;
    }
#endif
    if (n && fwrite(o->buf, 1, n, o->f) != n)
        o->failed = 1;
    if (fflush(o->f) != 0)
        o->failed = 1;
    o->len = 0;
    return o->failed ? -1 : 0;
}

int cli_out_close(cli_out *o)
{
    int rc = cli_out_flush(o);
    free(o->buf);
    o->buf = NULL;
    o->cap = 0;
    return rc;
}

/* Makes room for n more bytes; returns 0, or -1 when the text must be dropped. */
static int cli_reserve(cli_out *o, size_t n)
{
    if (o->failed)
        return -1;
    if (o->len + n > o->cap)
        cli_out_flush(o);
    return (o->failed || o->len + n > o->cap) ? -1 : 0;
}

void cli_put(cli_out *o, const char *s, size_t n)
{
    while (n > 0 && !o->failed) {
        size_t room, chunk;
        if (o->len == o->cap)
            cli_out_flush(o);
        room = o->cap - o->len;
        chunk = n < room ? n : room;
        memcpy(o->buf + o->len, s, chunk);
        o->len += chunk;
        s += chunk;
        n -= chunk;
    }
}

void cli_puts(cli_out *o, const char *s)
{
    cli_put(o, s, strlen(s));
}

void cli_putc(cli_out *o, char c)
{
    if (cli_reserve(o, 1) == 0)
        o->buf[o->len++] = c;
}

void cli_put_u64(cli_out *o, uint64_t v)
{
    char text[EXPORT_NUM_CAP];
    cli_put(o, text, export_u64_text(v, text));
}

void cli_put_i64(cli_out *o, int64_t v)
{
    if (v < 0) {
        cli_putc(o, '-');
        cli_put_u64(o, (uint64_t)0 - (uint64_t)v);
    } else {
        cli_put_u64(o, (uint64_t)v);
    }
}

void cli_put_hex(cli_out *o, uint64_t v, int min_digits)
{
    char text[EXPORT_NUM_CAP];
    cli_put(o, text, export_hex_text(v, min_digits, text));
}

/* export.h escapes (one escaper for every JSON the project writes); short strings on the stack. */
void cli_put_json_str(cli_out *o, const char *s)
{
    char small[256], *big;
    size_t n = export_json_string(s, small, sizeof small);

    if (n < sizeof small) {
        cli_put(o, small, n);
        return;
    }
    big = (char *)malloc(n + 1);
    if (!big) {
        o->failed = 1;
        return;
    }
    export_json_string(s, big, n + 1);
    cli_put(o, big, n);
    free(big);
}
