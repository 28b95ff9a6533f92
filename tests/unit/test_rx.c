/* The filter language's regular expressions: fixed cases with known answers, syntax errors with their
 * positions, and (natively) a differential test against the C library's POSIX extended regex on random
 * patterns and texts drawn from a grammar both engines define the same way. */
#include "check.h"
#include "wsk/rx.h"

#if !defined(_WIN32)
#include <regex.h>
#endif

static int search(const char *pattern, unsigned flags, const char *text)
{
    rx *r = NULL;
    char err[64];
    size_t pos;
    if (rx_compile(pattern, flags, &r, &pos, err, sizeof err) != 0) {
        fprintf(stderr, "unexpected compile error for /%s/: %s at %zu\n", pattern, err, pos);
        return -1;
    }
    int m = rx_search(r, text, strlen(text));
    rx_free(r);
    return m;
}

static void test_known_matches(void)
{
    CHECK(search("^chrome", 0, "chrome.exe") == 1);
    CHECK(search("^chrome", 0, "notchrome.exe") == 0);
    CHECK(search("\\.exe$", 0, "svchost.exe") == 1);
    CHECK(search("\\.exe$", 0, "svchost.exe.bak") == 0);
    CHECK(search("10\\.0\\.", 0, "10.0.0.1:443") == 1);
    CHECK(search("10\\.0\\.", 0, "10a0b0.1") == 0);
    CHECK(search("10.0.", 0, "10a0b0.1") == 1);
    CHECK(search("^(fire|chr)o", 0, "firefox") == 0);
    CHECK(search("^(fire|chr)", 0, "firefox") == 1);
    CHECK(search("^(fire|chr)o", 0, "chrome") == 1);
    CHECK(search("^(fire|chr)o", 0, "edge") == 0);
    CHECK(search("^\\d{1,3}(\\.\\d{1,3}){3}$", 0, "192.168.10.1") == 1);
    CHECK(search("^\\d{1,3}(\\.\\d{1,3}){3}$", 0, "1921.168.10.1") == 0);
    CHECK(search("^\\w+\\s*=\\s*\\S+$", 0, "pid = 1234") == 1);
    CHECK(search("[^a-z]", 0, "abcxyz") == 0);
    CHECK(search("[^a-z]", 0, "abc-xyz") == 1);
    CHECK(search("[]]", 0, "a]b") == 1);
    CHECK(search("[a\\-z]", 0, "-") == 1);
    CHECK(search("CHROME", RX_ICASE, "Chrome.exe") == 1);
    CHECK(search("[A-C]x", RX_ICASE, "bX") == 1);
    CHECK(search("CHROME", 0, "Chrome.exe") == 0);
    CHECK(search("", 0, "") == 1);
    CHECK(search("a*", 0, "") == 1);
    CHECK(search("(a*)*b", 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac") == 0);
    CHECK(search("(?:ab)+$", 0, "xabab") == 1);
    CHECK(search("a\\tb", 0, "a\tb") == 1);
    CHECK(search("x{0}y", 0, "y") == 1);
}

static void check_error(const char *pattern, size_t want_pos)
{
    rx *r = NULL;
    char err[64] = "";
    size_t pos = 999;
    int rc = rx_compile(pattern, 0, &r, &pos, err, sizeof err);
    CHECK(rc != 0);
    CHECK(r == NULL);
    CHECK(err[0] != 0);
    if (pos != want_pos) {
        check_failures++;
        fprintf(stderr, "/%s/: error \"%s\" at %zu, expected at %zu\n", pattern, err, pos, want_pos);
    }
}

static void test_errors(void)
{
    check_error("(abc", 4);
    check_error("abc)", 3);
    check_error("[abc", 4);
    check_error("*a", 0);
    check_error("a{3,1}", 5);
    check_error("a{x}", 1);
    check_error("\\q", 1);
    check_error("[z-a]", 3);
    check_error("a{101}", 5);
}

#if !defined(_WIN32)
static uint32_t rng_state = 12345;
static uint32_t rnd(uint32_t n)
{
    rng_state = rng_state * 1103515245u + 12345u;
    return (rng_state >> 8) % n;
}

/* Patterns from a grammar where POSIX ERE and rx agree: no empty alternatives, no stacked quantifiers. */
static void gen_alt(char *buf, size_t *len, int depth);

static void gen_atom(char *buf, size_t *len, int depth)
{
    static const char *atoms[] = {"a", "b", "c", ".", "[ab]", "[^a]", "[b-c]"};
    if (depth < 3 && rnd(5) == 0) {
        buf[(*len)++] = '(';
        gen_alt(buf, len, depth + 1);
        buf[(*len)++] = ')';
    } else {
        const char *a = atoms[rnd(7)];
        memcpy(buf + *len, a, strlen(a));
        *len += strlen(a);
    }
    static const char *quants[] = {"", "", "", "*", "+", "?", "{1,2}", "{2}"};
    const char *q = quants[rnd(8)];
    memcpy(buf + *len, q, strlen(q));
    *len += strlen(q);
}

static void gen_alt(char *buf, size_t *len, int depth)
{
    int terms = 1 + (int)rnd(3);
    for (int t = 0; t < terms; t++)
        gen_atom(buf, len, depth);
    if (depth < 3 && rnd(4) == 0) {
        buf[(*len)++] = '|';
        gen_alt(buf, len, depth + 1);
    }
}

static void test_against_posix(void)
{
    int compared = 0;
    for (int i = 0; i < 3000; i++) {
        char pat[512];
        size_t len = 0;
        if (rnd(6) == 0)
            pat[len++] = '^';
        gen_alt(pat, &len, 0);
        if (rnd(6) == 0)
            pat[len++] = '$';
        pat[len] = 0;
        regex_t posix;
        if (regcomp(&posix, pat, REG_EXTENDED | REG_NOSUB) != 0)
            continue;
        rx *r = NULL;
        char err[64];
        size_t pos;
        if (rx_compile(pat, 0, &r, &pos, err, sizeof err) != 0) {
            check_failures++;
            fprintf(stderr, "rx rejects /%s/ (%s) that POSIX accepts\n", pat, err);
            regfree(&posix);
            continue;
        }
        for (int k = 0; k < 20; k++) {
            char text[16];
            int tl = (int)rnd(10);
            for (int j = 0; j < tl; j++)
                text[j] = "abcd"[rnd(4)];
            text[tl] = 0;
            int want = regexec(&posix, text, 0, NULL, 0) == 0;
            int got = rx_search(r, text, (size_t)tl);
            if (want != got) {
                check_failures++;
                fprintf(stderr, "/%s/ on \"%s\": rx %d, POSIX %d\n", pat, text, got, want);
            }
            compared++;
        }
        rx_free(r);
        regfree(&posix);
    }
    CHECK(compared > 20000);
}
#endif

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_known_matches),
        CHECK_CASE(test_errors),
#if !defined(_WIN32)
        CHECK_CASE(test_against_posix),
#endif
    };
    return check_run(cases, CHECK_COUNT(cases));
}
