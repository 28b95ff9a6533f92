/*
 * cli_out.h - buffered UTF-8 output for the command-line tools. Module prefix: cli_.
 *
 * Tools print millions of lines; one stdio call per field would dominate the run time, so text is
 * appended to a large buffer and written in big blocks. On a Windows console the block is converted
 * to UTF-16 and written with WriteConsoleW (the console code page cannot be trusted); everywhere else
 * the UTF-8 bytes go out unchanged.
 */
#ifndef WSK_CLI_OUT_H
#define WSK_CLI_OUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct cli_out {
    FILE *f;
    char *buf;
    size_t len, cap;
    int failed;   /* a write failed (closed pipe, full disk): further output is dropped */
    int console;  /* Windows: f is a console, write UTF-16 */
} cli_out;

/* 0 on success. */
int cli_out_init(cli_out *o, FILE *f);
/* Writes what is buffered; returns 0, or -1 when any write has failed. */
int cli_out_flush(cli_out *o);
/* Flushes and frees; returns like cli_out_flush. */
int cli_out_close(cli_out *o);

void cli_put(cli_out *o, const char *s, size_t n);
void cli_puts(cli_out *o, const char *s);
/* A string literal: its length is known at compile time (no strlen per call on hot paths). */
#define cli_putl(o, lit) cli_put((o), "" lit, sizeof(lit) - 1)
void cli_putc(cli_out *o, char c);
void cli_put_u64(cli_out *o, uint64_t v);
void cli_put_i64(cli_out *o, int64_t v);
/* "0x" + at least min_digits lowercase hex digits. */
void cli_put_hex(cli_out *o, uint64_t v, int min_digits);
/* A JSON string with quotes; invalid UTF-8 bytes become U+FFFD so the output stays valid JSON. */
void cli_put_json_str(cli_out *o, const char *s);

#endif
