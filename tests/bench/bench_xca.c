/*
 * bench_xca.c - MS-XCA Plain LZ77 speed: decompression of every compressed
 * buffer of the real samples (looped), and compression + decompression of a
 * synthetic set of event-like 64 KiB buffers. Prints figures; asserts nothing.
 *
 * usage: bench_xca [SAMPLES_DIR] [SECONDS]   (default: $WSK_SAMPLES, 1 s per figure)
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* fopen, getenv */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wsk/plat.h"
#include "wsk/xca.h"

typedef struct blob {
    uint8_t *c;        /* compressed */
    size_t clen;
    size_t plen;       /* plain length */
} blob;

typedef struct blob_set {
    blob *b;
    size_t n, cap;
    uint64_t plain, comp;
} blob_set;

static void set_add(blob_set *s, const uint8_t *c, size_t clen, size_t plen)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->b = (blob *)realloc(s->b, s->cap * sizeof *s->b);
        if (!s->b)
            exit(2);
    }
    s->b[s->n].c = (uint8_t *)malloc(clen);
    if (!s->b[s->n].c)
        exit(2);
    memcpy(s->b[s->n].c, c, clen);
    s->b[s->n].clen = clen;
    s->b[s->n].plen = plen;
    s->plain += plen;
    s->comp += clen;
    s->n++;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static void load_samples(blob_set *s, const char *dir)
{
    static const char *const names[] = {
        "pktmon_Gobang.etl", "pktmon_TritonPilot.etl", "pktmon_demikernel.etl", "pktmon_gdn.etl",
        "pktmon_nathaniel.etl", "perfview_net.4.5.2.x64.etl", "perfview_net.4.5.2.x86.etl",
        "perfview_SelfDescribingSingleEvent.etl",
    };
    size_t k;
    for (k = 0; k < sizeof names / sizeof names[0]; k++) {
        char path[1024];
        FILE *f;
        long n;
        uint8_t *file;
        size_t off = 0, len;
        snprintf(path, sizeof path, "%s/%s", dir, names[k]);
        f = fopen(path, "rb");
        if (!f)
            continue;
        if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
            fclose(f);
            continue;
        }
        len = (size_t)n;
        file = (uint8_t *)malloc(len);
        if (!file || fread(file, 1, len, f) != len) {
            free(file);
            fclose(f);
            continue;
        }
        fclose(f);
        while (len - off >= 0x48) {
            uint32_t bsize = le32(file + off), saved = le32(file + off + 4);
            if (bsize < 0x48 || bsize > len - off)
                break;
            if ((file[off + 0x34] & 0x40) && saved >= 0x48)
                set_add(s, file + off + 0x48, bsize - 0x48, saved - 0x48);
            off += bsize;
        }
        free(file);
    }
}

/* Loops over the set for at least `seconds`; returns plain MB/s (MB = 10^6 bytes). */
static double time_decompress(const blob_set *s, double seconds, int *ok)
{
    size_t maxp = 0, i;
    uint8_t *out;
    uint64_t t0 = plat_now_ns(), t, bytes = 0;
    for (i = 0; i < s->n; i++)
        if (s->b[i].plen > maxp)
            maxp = s->b[i].plen;
    out = (uint8_t *)malloc(maxp ? maxp : 1);
    *ok = out != NULL;
    do {
        for (i = 0; i < s->n && out; i++) {
            size_t got = 0;
            if (xca_decompress(s->b[i].c, s->b[i].clen, out, s->b[i].plen, &got) != 0 || got != s->b[i].plen)
                *ok = 0;
            bytes += got;
        }
        t = plat_now_ns();
    } while ((double)(t - t0) < seconds * 1e9 && *ok);
    free(out);
    return (double)bytes / 1e6 / ((double)(t - t0) / 1e9);
}

/* Our compressor on the same plain data Windows compressed: total ratio, and MB/s into *mbs. */
static double recompress_ratio(const blob_set *s, double *mbs)
{
    size_t i, maxp = 0;
    uint64_t comp = 0, t = 0;
    uint8_t *plain, *c;
    for (i = 0; i < s->n; i++)
        if (s->b[i].plen > maxp)
            maxp = s->b[i].plen;
    plain = (uint8_t *)malloc(maxp ? maxp : 1);
    c = (uint8_t *)malloc(xca_compress_bound(maxp));
    *mbs = 0;
    if (!plain || !c) {
        free(plain);
        free(c);
        return 0;
    }
    for (i = 0; i < s->n; i++) {
        size_t got = 0, clen = 0;
        uint64_t t0;
        if (xca_decompress(s->b[i].c, s->b[i].clen, plain, s->b[i].plen, &got) != 0)
            continue;
        t0 = plat_now_ns();
        if (xca_compress(plain, got, c, xca_compress_bound(maxp), &clen) == 0)
            comp += clen;
        t += plat_now_ns() - t0;
    }
    free(plain);
    free(c);
    *mbs = t ? (double)s->plain / 1e6 / ((double)t / 1e9) : 0;
    return comp ? (double)s->plain / (double)comp : 0;
}

/* A 64 KiB buffer of EVENT_HEADER-like records: the same few providers, rising timestamps, a handful
 * of pids and kernel pointers, addresses and byte counts in the payloads. */
static size_t make_event_buffer(uint8_t *b, size_t cap, uint64_t *clock, uint32_t *seed)
{
    static const uint8_t guid[16] = {0x23, 0x68, 0x3c, 0xe5, 0xb8, 0x7b, 0xbb, 0x44,
                                     0x90, 0xdc, 0x3f, 0x86, 0x09, 0x0d, 0x48, 0xa6};
    size_t off = 0;
    for (;;) {
        uint32_t r, len, size, j;
        *seed = *seed * 1103515245u + 12345u;
        r = *seed >> 8;
        len = 24 + (r % 5) * 8;
        size = 0x50 + len;
        if (off + ((size + 7) & ~7u) > cap)
            break;
        memset(b + off, 0, (size + 7) & ~7u);
        b[off] = (uint8_t)size;
        b[off + 2] = 0x13;
        b[off + 3] = 0xc0;
        b[off + 8] = (uint8_t)(r >> 3);           /* tid */
        b[off + 9] = 0x1c;
        b[off + 12] = (uint8_t)(0x40 + (r & 7)); /* pid */
        b[off + 13] = 0x12;
        *clock += 200 + (r & 1023);
        memcpy(b + off + 0x10, clock, 8);
        memcpy(b + off + 0x18, guid, 16);
        b[off + 0x28] = (uint8_t)(r % 40);       /* id */
        b[off + 0x2a] = 2;
        b[off + 0x2c] = 4;
        b[off + 0x30] = 0x41;
        b[off + 0x37] = 0x80;
        for (j = 0; j < len; j++)
            b[off + 0x50 + j] = j < 8 ? (uint8_t)"\x20\x71\x8a\x95\x0e\xad\xff\xff"[j] : (uint8_t)(j < 16 ? r >> j : j);
        off += (size + 7) & ~7u;
    }
    return off;
}

int main(int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : getenv("WSK_SAMPLES");
    double seconds = argc > 2 ? atof(argv[2]) : 1.0;
    blob_set samples, synth;
    int ok = 1;
    size_t i;

    memset(&samples, 0, sizeof samples);
    memset(&synth, 0, sizeof synth);
    if (seconds <= 0)
        seconds = 1.0;
    if (dir)
        load_samples(&samples, dir);
    if (samples.n) {
        double mbs = time_decompress(&samples, seconds, &ok);
        printf("samples: %zu compressed buffers, %.1f MB plain, ratio %.2f:1, decompress %.0f MB/s%s\n", samples.n,
               (double)samples.plain / 1e6, (double)samples.plain / (double)samples.comp, mbs,
               ok ? "" : " (ERRORS)");
        double ratio = recompress_ratio(&samples, &mbs);
        printf("samples: recompressed by xca_compress: ratio %.2f:1, compress %.0f MB/s\n", ratio, mbs);
    } else {
        printf("samples: none found (give SAMPLES_DIR or set WSK_SAMPLES)\n");
    }

    {
        enum { NBUF = 256, BSZ = 65536 - 0x48 };
        uint8_t *plain = (uint8_t *)malloc((size_t)NBUF * BSZ);
        uint8_t *comp = (uint8_t *)malloc(xca_compress_bound(BSZ));
        size_t plen[NBUF];
        uint64_t clock = 1000000007, t0, t1, bytes = 0;
        uint32_t seed = 42;
        if (!plain || !comp)
            return 2;
        for (i = 0; i < NBUF; i++)
            plen[i] = make_event_buffer(plain + i * BSZ, BSZ, &clock, &seed);
        t0 = plat_now_ns();
        do {
            for (i = 0; i < NBUF; i++) {
                size_t clen = 0;
                if (xca_compress(plain + i * BSZ, plen[i], comp, xca_compress_bound(BSZ), &clen) != 0)
                    ok = 0;
                if (synth.n < NBUF)
                    set_add(&synth, comp, clen, plen[i]);
                bytes += plen[i];
            }
            t1 = plat_now_ns();
        } while ((double)(t1 - t0) < seconds * 1e9);
        printf("synthetic: %d event buffers, %.1f MB plain, ratio %.2f:1, compress %.0f MB/s\n", NBUF,
               (double)synth.plain / 1e6, (double)synth.plain / (double)synth.comp,
               (double)bytes / 1e6 / ((double)(t1 - t0) / 1e9));
        printf("synthetic: decompress %.0f MB/s%s\n", time_decompress(&synth, seconds, &ok), ok ? "" : " (ERRORS)");
        free(plain);
        free(comp);
    }
    for (i = 0; i < samples.n; i++)
        free(samples.b[i].c);
    for (i = 0; i < synth.n; i++)
        free(synth.b[i].c);
    free(samples.b);
    free(synth.b);
    return ok ? 0 : 1;
}
