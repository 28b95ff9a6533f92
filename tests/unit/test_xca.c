/*
 * test_xca.c - MS-XCA Plain LZ77: hand-derived streams, every compressed buffer
 * of the real samples, round trips of many sizes and shapes, corrupt input.
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* fopen, getenv */
#endif
#include "check.h"
#include "wsk/xca.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Small deterministic generator so failures reproduce. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* Decompresses into a buffer of exactly cap bytes (so ASan sees any overrun). */
static int dec_exact(const uint8_t *in, size_t in_len, size_t cap, uint8_t **out, size_t *out_len)
{
    uint8_t *src = (uint8_t *)malloc(in_len ? in_len : 1);
    uint8_t *dst = (uint8_t *)malloc(cap ? cap : 1);
    int rc;
    memcpy(src, in, in_len);
    rc = xca_decompress(src, in_len, dst, cap, out_len);
    free(src);
    *out = dst;
    return rc;
}

static void roundtrip(const uint8_t *data, size_t n)
{
    size_t bound = xca_compress_bound(n), clen = 0, dlen = 0;
    uint8_t *c = (uint8_t *)malloc(bound);
    uint8_t *d = NULL;
    int rc = xca_compress(data, n, c, bound, &clen);
    CHECK(rc == 0);
    if (rc == 0) {
        CHECK(clen <= bound);
        rc = dec_exact(c, clen, n, &d, &dlen);
        CHECK(rc == 0);
        CHECK_U64(dlen, n);
        if (rc == 0 && dlen == n && n && memcmp(d, data, n) != 0) {
            check_failures++;
            fprintf(stderr, "round trip of %zu bytes differs\n", n);
        }
        free(d);
    }
    free(c);
}

/* Streams derived by hand from the format rules ([MS-XCA] 2.3): flags MSB first, unused bits 1. */
static void test_hand_streams(void)
{
    static const uint8_t alpha_c[] = {0x3f, 0x00, 0x00, 0x00, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k',
                                      'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z'};
    /* "abc" x 100: 3 literals, match offset 3 length 297: token 0x0017, nibble 15, byte 255, u16 294. */
    static const uint8_t abc_c[] = {0xff, 0xff, 0xff, 0x1f, 'a', 'b', 'c', 0x17, 0x00, 0x0f, 0xff, 0x26, 0x01};
    /* 300 x "a": 1 literal, match offset 1 length 299: token 0x0007, nibble 15, byte 255, u16 296. */
    static const uint8_t a300_c[] = {0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f, 0xff, 0x28, 0x01};
    /* Two nibble matches share one byte: "ab" + match(2, 12) + match(2, 13) -> nibbles 2 and 3 in 0x32. */
    static const uint8_t nib_c[] = {0xff, 0xff, 0xff, 0x3f, 'a', 'b', 0x0f, 0x00, 0x32, 0x0f, 0x00};
    /* u32 length form: 'x' + match(1, 70003): u16 0 then u32 70000. */
    static const uint8_t long_c[] = {0xff, 0xff, 0xff, 0x7f, 'x', 0x07, 0x00, 0x0f, 0xff, 0x00, 0x00,
                                     0x70, 0x11, 0x01, 0x00};
    uint8_t expect[70004];
    uint8_t *d = NULL;
    size_t n = 0, i;
    uint8_t cbuf[64];
    size_t clen = 0;

    CHECK(dec_exact(alpha_c, sizeof alpha_c, 26, &d, &n) == 0);
    CHECK_U64(n, 26);
    CHECK(n == 26 && memcmp(d, "abcdefghijklmnopqrstuvwxyz", 26) == 0);
    free(d);
    CHECK(xca_compress((const uint8_t *)"abcdefghijklmnopqrstuvwxyz", 26, cbuf, sizeof cbuf, &clen) == 0);
    CHECK(clen == sizeof alpha_c && memcmp(cbuf, alpha_c, clen) == 0);

    for (i = 0; i < 300; i++)
        expect[i] = (uint8_t)"abc"[i % 3];
    CHECK(dec_exact(abc_c, sizeof abc_c, 300, &d, &n) == 0);
    CHECK(n == 300 && memcmp(d, expect, 300) == 0);
    free(d);
    CHECK(xca_compress(expect, 300, cbuf, sizeof cbuf, &clen) == 0);
    CHECK(clen == sizeof abc_c && memcmp(cbuf, abc_c, clen) == 0);

    memset(expect, 'a', 300);
    CHECK(dec_exact(a300_c, sizeof a300_c, 300, &d, &n) == 0);
    CHECK(n == 300 && memcmp(d, expect, 300) == 0);
    free(d);
    CHECK(xca_compress(expect, 300, cbuf, sizeof cbuf, &clen) == 0);
    CHECK(clen == sizeof a300_c && memcmp(cbuf, a300_c, clen) == 0);

    for (i = 0; i < 27; i++)
        expect[i] = (uint8_t)"ab"[i % 2];
    CHECK(dec_exact(nib_c, sizeof nib_c, 27, &d, &n) == 0);
    CHECK(n == 27 && memcmp(d, expect, 27) == 0);
    free(d);

    memset(expect, 'x', sizeof expect);
    CHECK(dec_exact(long_c, sizeof long_c, 70004, &d, &n) == 0);
    CHECK(n == 70004 && memcmp(d, expect, 70004) == 0);
    free(d);
    CHECK(xca_compress(expect, 70004, cbuf, sizeof cbuf, &clen) == 0);
    CHECK(clen == sizeof long_c && memcmp(cbuf, long_c, clen) == 0);

    /* Empty input: one flag word of 1s. */
    CHECK(xca_compress(expect, 0, cbuf, sizeof cbuf, &clen) == 0);
    CHECK(clen == 4 && memcmp(cbuf, "\xff\xff\xff\xff", 4) == 0);
}

static uint8_t *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = (uint8_t *)malloc((size_t)n);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return buf;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Walks decompressed records the way the format notes describe; returns 1 if they end exactly at len. */
static int records_walk(const uint8_t *p, size_t len, size_t *count)
{
    size_t off = 0;
    *count = 0;
    while (off + 8 <= len) {
        uint32_t w = le32(p + off);
        uint8_t flags = p[off + 3], type = p[off + 2];
        size_t size;
        if (w == 0xffffffffu)
            return 1;
        if ((flags & 0xc0) == 0xc0)
            size = (type <= 4 || type == 0x10 || type == 0x11) ? (size_t)(p[off + 4] | (p[off + 5] << 8))
                                                               : (size_t)(p[off] | (p[off + 1] << 8));
        else if ((flags & 0xd0) == 0x90)
            size = (size_t)(p[off] | (p[off + 1] << 8));
        else
            return 0;
        if (size < 8 || size > len - off)
            return 0;
        off += (size + 7) & ~(size_t)7;
        (*count)++;
    }
    return off == len;
}

static void test_samples(void)
{
    static const char *const names[] = {
        "pktmon_Gobang.etl", "pktmon_TritonPilot.etl", "pktmon_demikernel.etl", "pktmon_gdn.etl",
        "pktmon_nathaniel.etl", "perfview_net.4.5.2.x64.etl", "perfview_net.4.5.2.x86.etl",
        "perfview_SelfDescribingSingleEvent.etl",
    };
    const char *dir = check_samples_dir();
    size_t total_buffers = 0, total_records = 0, k;
    if (!dir) {
        printf("  samples absent (WSK_SAMPLES): sample buffers not checked\n");
        return;
    }
    for (k = 0; k < CHECK_COUNT(names); k++) {
        char path[1024];
        size_t flen = 0, off = 0, nbuf = 0;
        uint8_t *file;
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        file = read_file(path, &flen);
        CHECK(file != NULL);
        if (!file)
            continue;
        while (flen - off >= 0x48) {
            uint32_t bsize = le32(file + off), saved = le32(file + off + 4);
            uint16_t bflag = (uint16_t)(file[off + 0x34] | (file[off + 0x35] << 8));
            if (bsize < 0x48 || bsize > flen - off)
                break;
            if (bflag & 0x40) {
                size_t expect = saved - 0x48, got = 0, nrec = 0;
                uint8_t *d = NULL;
                int rc = dec_exact(file + off + 0x48, bsize - 0x48, expect, &d, &got);
                CHECK(saved >= 0x48);
                if (rc != 0 || got != expect) {
                    check_failures++;
                    fprintf(stderr, "%s: buffer at %zu: rc %d, %zu bytes, expected %zu\n", names[k], off, rc,
                            got, expect);
                } else {
                    CHECK(records_walk(d, got, &nrec));
                    CHECK(nrec > 0);
                    total_records += nrec;
                    roundtrip(d, got);
                    /* One byte less room must be refused. */
                    if (expect) {
                        uint8_t *d2 = NULL;
                        size_t got2 = 0;
                        CHECK(dec_exact(file + off + 0x48, bsize - 0x48, expect - 1, &d2, &got2) == -1);
                        free(d2);
                    }
                }
                free(d);
                nbuf++;
            }
            off += bsize;
        }
        CHECK(nbuf > 0);
        total_buffers += nbuf;
        free(file);
    }
    printf("  %zu compressed buffers, %zu records\n", total_buffers, total_records);
    /* etl-format.md 1.5: 653 compressed buffers in these 8 files. */
    CHECK_U64(total_buffers, 653);
}

static void test_roundtrip_sizes(void)
{
    static uint8_t buf[300000];
    size_t n, i;
    for (n = 0; n <= 600; n++) {
        for (i = 0; i < n; i++)
            buf[i] = (uint8_t)rng();
        roundtrip(buf, n);
        for (i = 0; i < n; i++)
            buf[i] = (uint8_t)"ab c"[rng() & 3];
        roundtrip(buf, n);
        memset(buf, (int)n, n);
        roundtrip(buf, n);
    }
    for (n = 601; n < sizeof buf; n = n * 3 / 2 + 7) {
        for (i = 0; i < n; i++)
            buf[i] = (uint8_t)rng();
        roundtrip(buf, n);
        /* Event-like: repeated 48-byte records with a changing counter and some noise. */
        for (i = 0; i < n; i++)
            buf[i] = (uint8_t)((i % 48) < 8 ? (i / 48) >> ((i % 8) * 2) : (i % 48) * 7 + ((rng() & 15) == 0));
        roundtrip(buf, n);
        /* Long runs hitting every length form: nibble, byte, u16, u32. */
        memset(buf, 'q', n);
        for (i = 0; i < n; i += 1 + (rng() % 90000))
            buf[i] = (uint8_t)rng();
        roundtrip(buf, n);
    }
    memset(buf, 0, sizeof buf);
    roundtrip(buf, sizeof buf);
}

static void test_corrupt(void)
{
    static uint8_t data[20000], comp[30000];
    size_t n = sizeof data, clen = 0, cut, i;
    uint8_t *d = NULL;
    size_t dlen = 0;
    /* Offset before the start: 'a' then match offset 2. */
    static const uint8_t before[] = {0xff, 0xff, 0xff, 0x7f, 'a', 0x08, 0x00};
    /* Missing extension bytes of a length-7 token. */
    static const uint8_t noext[] = {0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00};
    static const uint8_t noext2[] = {0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f, 0xff, 0x05};
    /* u16 length below the 22 the byte form already covers. */
    static const uint8_t shortu16[] = {0xff, 0xff, 0xff, 0x7f, 'a', 0x07, 0x00, 0x0f, 0xff, 0x10, 0x00};
    /* Flag word cut short. */
    static const uint8_t shortflags[] = {0xff, 0xff};

    CHECK(dec_exact(before, sizeof before, 100, &d, &dlen) == -1);
    free(d);
    CHECK(dec_exact(noext, sizeof noext, 100, &d, &dlen) == -1);
    free(d);
    CHECK(dec_exact(noext2, sizeof noext2, 100, &d, &dlen) == -1);
    free(d);
    CHECK(dec_exact(shortu16, sizeof shortu16, 100, &d, &dlen) == -1);
    free(d);
    CHECK(dec_exact(shortflags, sizeof shortflags, 100, &d, &dlen) == -1);
    free(d);
    CHECK(dec_exact(shortflags, 0, 100, &d, &dlen) == -1);
    free(d);

    for (i = 0; i < n; i++)
        data[i] = (uint8_t)((i % 64) < 20 ? rng() : i % 64);
    CHECK(xca_compress(data, n, comp, sizeof comp, &clen) == 0);
    /* Every truncation fails or yields less than the whole. */
    for (cut = 0; cut < clen; cut++) {
        int rc = dec_exact(comp, cut, n, &d, &dlen);
        CHECK(rc == -1 || dlen < n);
        free(d);
    }
    /* Output overflow at every cap below the size. */
    for (cut = 0; cut < n; cut += 1 + cut / 8) {
        CHECK(dec_exact(comp, clen, cut, &d, &dlen) == -1);
        free(d);
    }
    /* Flipped bytes: anything may come out, but nothing is read or written outside the buffers. */
    for (i = 0; i < 3000; i++) {
        size_t pos = rng() % clen;
        uint8_t save = comp[pos];
        comp[pos] ^= (uint8_t)(1u << (rng() & 7));
        (void)dec_exact(comp, clen, n, &d, &dlen);
        free(d);
        comp[pos] = save;
    }
    /* Random garbage of random lengths. */
    for (i = 0; i < 3000; i++) {
        size_t len = rng() % 200, j;
        for (j = 0; j < len; j++)
            comp[j] = (uint8_t)rng();
        (void)dec_exact(comp, len, rng() % 400, &d, &dlen);
        free(d);
    }
    /* Compression into too little room is refused. */
    CHECK(xca_compress(data, n, comp, 100, &clen) == -1);
    CHECK(xca_compress(data, n, comp, 3, &clen) == -1);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_hand_streams),
        CHECK_CASE(test_samples),
        CHECK_CASE(test_roundtrip_sizes),
        CHECK_CASE(test_corrupt),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
