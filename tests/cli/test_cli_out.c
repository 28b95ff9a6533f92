/*
 * test_cli_out.c - the command-line tools' output writer (src/cli/cli_out.c): JSON string escaping
 * (quotes, control characters, invalid UTF-8 replaced so the line stays valid JSON), numbers at their
 * extremes, hex forms, and output larger than the buffer (CSV quoting and payload hex are export.h's now:
 * tests/unit/test_export.c). Written to a file and
 * read back byte for byte.
 */
#include "check.h"
#include "cli_out.h"

static char got[1 << 16];

/* Runs fn on a cli_out over a scratch file and leaves what it wrote in got (NUL-terminated). */
static size_t capture(void (*fn)(cli_out *o))
{
    char path[1024];
    FILE *f;
    cli_out o;
    size_t n = 0;
    snprintf(path, sizeof path, "%s/test_cli_out.txt", check_tmp_dir());
    f = fopen(path, "wb+");
    CHECK(f != NULL);
    if (!f)
        return 0;
    CHECK(cli_out_init(&o, f) == 0);
    fn(&o);
    CHECK(cli_out_close(&o) == 0);
    rewind(f);
    n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    fclose(f);
    remove(path);
    return n;
}

static void write_json(cli_out *o)
{
    cli_put_json_str(o, "plain");
    cli_putc(o, ' ');
    cli_put_json_str(o, "q\"b\\s/");
    cli_putc(o, ' ');
    cli_put_json_str(o, "t\tn\nr\r\x01\x1f");
    cli_putc(o, ' ');
    cli_put_json_str(o, "caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\x80");
    cli_putc(o, ' ');
    /* lone continuation byte, overlong "/", UTF-16 surrogate, truncated sequence at the end */
    cli_put_json_str(o, "a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x98");
}

static void test_json_escaping(void)
{
    capture(write_json);
    CHECK_STR(got, "\"plain\" \"q\\\"b\\\\s/\" \"t\\tn\\nr\\r\\u0001\\u001f\" "
                   "\"caf\xc3\xa9 \xe2\x98\x83 \xf0\x9f\x98\x80\" "
                   "\"a\\ufffdb\\ufffd\\ufffdc\\ufffd\\ufffd\\ufffdd\\ufffd\\ufffd\"");
}

static void write_numbers(cli_out *o)
{
    cli_put_u64(o, 0);
    cli_putc(o, ' ');
    cli_put_u64(o, UINT64_MAX);
    cli_putc(o, ' ');
    cli_put_i64(o, INT64_MIN);
    cli_putc(o, ' ');
    cli_put_i64(o, -42);
    cli_putc(o, ' ');
    cli_put_hex(o, 0, 4);
    cli_putc(o, ' ');
    cli_put_hex(o, 0x0501000a, 8);
    cli_putc(o, ' ');
    cli_put_hex(o, 0xABCDEF, 2);
    cli_putc(o, ' ');
    cli_put_hex(o, UINT64_MAX, 16);
    cli_putl(o, " end");
}

static void test_numbers(void)
{
    capture(write_numbers);
    CHECK_STR(got, "0 18446744073709551615 -9223372036854775808 -42 0x0000 0x0501000a 0xabcdef "
                   "0xffffffffffffffff end");
}

/* 3 MiB through a 1 MiB buffer, in pieces that straddle the buffer's end. */
static void write_big(cli_out *o)
{
    static char line[2 * 4099];
    size_t i;
    for (i = 0; i < sizeof line; i++)
        line[i] = "0123456789abcdef"[(i / 2 * 7 >> (i % 2 ? 0 : 4)) & 15];
    for (i = 0; i < 400; i++) {
        cli_put(o, line, sizeof line);
        cli_putc(o, '\n');
    }
}

static void test_larger_than_buffer(void)
{
    char path[1024];
    FILE *f;
    cli_out o;
    long size;
    int c, i, ok = 1;
    snprintf(path, sizeof path, "%s/test_cli_out_big.txt", check_tmp_dir());
    f = fopen(path, "wb+");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK(cli_out_init(&o, f) == 0);
    write_big(&o);
    CHECK(cli_out_close(&o) == 0);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    CHECK_U64(size, 400u * (2u * 4099u + 1u));
    /* line 123, byte 4098: (4098 * 7) & 0xff = 0x0e */
    fseek(f, 123L * (2 * 4099 + 1) + 2 * 4098, SEEK_SET);
    for (i = 0; i < 3; i++) {
        c = fgetc(f);
        ok &= c == "0e\n"[i];
    }
    CHECK(ok);
    fclose(f);
    remove(path);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_json_escaping),
        CHECK_CASE(test_numbers),
        CHECK_CASE(test_larger_than_buffer),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
