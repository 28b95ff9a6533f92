/*
 * xca.c - MS-XCA Plain LZ77 decompressor and compressor (see xca.h for the format).
 *
 * Decoder speed comes from handling runs instead of single flag bits: the
 * number of leading zero flag bits is a literal run copied at once, and match
 * copies with offset >= 8 move 8 bytes per step. Those wide copies may write up
 * to 15 bytes past the current position, so they are only taken while the
 * output has that much room left; the tail of a buffer uses exact copies.
 *
 * The compressor is a greedy hash-chain matcher over the 8 KiB window with a
 * bounded chain depth: ETW buffers (64 KiB, many similar records) compress
 * well with it while staying fast enough to write millions of events.
 */
#include "wsk/xca.h"

#include <stdlib.h>
#include <string.h>

#if defined(_MSC_VER)
#include <intrin.h>
#endif

#define XCA_MAX_OFFSET 8192u
#define XCA_MIN_MATCH 3u

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
#endif
    return v;
}

static void wr16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void wr32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* Leading zero bits of a non-zero 32-bit value. */
static unsigned clz32(uint32_t v)
{
#if defined(_MSC_VER)
    unsigned long i;
    _BitScanReverse(&i, v);
    return 31u - (unsigned)i;
#elif defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_clz(v);
#else
    unsigned n = 0;
    while (!(v & 0x80000000u)) {
        v <<= 1;
        n++;
    }
    return n;
#endif
}

/* Trailing zero bits of a non-zero 64-bit value. */
static unsigned ctz64(uint64_t v)
{
#if defined(_MSC_VER) && defined(_WIN64)
    unsigned long i;
    _BitScanForward64(&i, v);
    return (unsigned)i;
#elif defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(v);
#else
    unsigned n = 0;
    while (!(v & 1u)) {
        v >>= 1;
        n++;
    }
    return n;
#endif
}

/* Room a wide copy may scribble past its exact end. */
#define XCA_SLACK 16u

int xca_decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    const uint8_t *ip = in;
    const uint8_t *const iend = in + in_len;
    uint8_t *op = out;
    uint8_t *const oend = out + out_cap;
    const uint8_t *half = NULL; /* byte whose high nibble the next nibble-length match uses */
    uint32_t flags = 0;         /* unread flag bits, next one at bit 31 */
    unsigned nflags = 0;

    if (!in || !out_len || (!out && out_cap))
        return -1;
    for (;;) {
        if (nflags == 0) {
            if ((size_t)(iend - ip) < 4)
                return -1; /* a well-formed stream always ends inside a flag word */
            flags = rd32(ip);
            ip += 4;
            nflags = 32;
        }
        if (!(flags & 0x80000000u)) {
            /* A run of literals: as many as there are zero flag bits left. */
            unsigned run = flags ? clz32(flags) : 32u;
            size_t n;
            if (run > nflags)
                run = nflags;
            n = run;
            if ((size_t)(iend - ip) < n) {
                /* Input ends inside the run: that is only the end of the stream if every
                 * remaining literal flag is unused, which a compressor never emits. */
                return -1;
            }
            if ((size_t)(oend - op) < n)
                return -1;
            if ((size_t)(oend - op) >= 32 && (size_t)(iend - ip) >= 32) {
                memcpy(op, ip, 16);
                memcpy(op + 16, ip + 16, 16);
            } else {
                memcpy(op, ip, n);
            }
            op += n;
            ip += n;
            flags = run >= 32 ? 0 : flags << run;
            nflags -= run;
            continue;
        }
        flags <<= 1;
        nflags--;
        if (ip == iend)
            break; /* the end marker: a match flag with no input left */
        {
            uint32_t tok;
            uint64_t len;
            size_t off;
            uint8_t *src;
            if ((size_t)(iend - ip) < 2)
                return -1;
            tok = rd16(ip);
            ip += 2;
            len = tok & 7u;
            off = (size_t)(tok >> 3) + 1;
            if (len == 7) {
                if (!half) {
                    if (ip == iend)
                        return -1;
                    half = ip;
                    len = *ip++ & 15u;
                } else {
                    len = (uint64_t)(*half >> 4);
                    half = NULL;
                }
                if (len == 15) {
                    if (ip == iend)
                        return -1;
                    len = *ip++;
                    if (len == 255) {
                        if ((size_t)(iend - ip) < 2)
                            return -1;
                        len = rd16(ip);
                        ip += 2;
                        if (len == 0) {
                            if ((size_t)(iend - ip) < 4)
                                return -1;
                            len = rd32(ip);
                            ip += 4;
                        }
                        if (len < 15 + 7)
                            return -1;
                        len -= 15 + 7;
                    }
                    len += 15;
                }
                len += 7;
            }
            len += XCA_MIN_MATCH;
            if (off > (size_t)(op - out) || len > (uint64_t)(oend - op))
                return -1;
            src = op - off;
            if (off >= 8 && (size_t)(oend - op) >= len + XCA_SLACK) {
                uint8_t *const end = op + len;
                do {
                    memcpy(op, src, 8);
                    op += 8;
                    src += 8;
                } while (op < end);
                op = end;
            } else if (off == 1) {
                memset(op, *src, (size_t)len);
                op += len;
            } else {
                uint8_t *const end = op + len;
                while (op < end)
                    *op++ = *src++;
            }
        }
    }
    *out_len = (size_t)(op - out);
    return 0;
}

size_t xca_compress_bound(size_t in_len)
{
    /* Worst case is all literals: one flag word per 32 of them plus the final flag word.
     * Every match is shorter than the bytes it covers; the slack lets the encoder check
     * room for a longest match token once instead of per byte. */
    return in_len + 4 * (in_len / 32) + 16;
}

#define XCA_HASH_BITS 15u
#define XCA_CHAIN_DEPTH 16u
#define XCA_NIL UINT32_MAX

typedef struct xca_enc {
    uint8_t *out;
    size_t cap;
    size_t pos;        /* next output byte */
    size_t flag_pos;   /* where the current flag word goes */
    uint32_t flags;
    unsigned nflags;
    size_t half;       /* position of the shared nibble byte, 0 = none (0 is always a flag word) */
} xca_enc;

static uint32_t xca_hash3(const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16);
    return (v * 2654435761u) >> (32 - XCA_HASH_BITS);
}

/* Appends one flag bit; starts a new flag word after every 32. 0 on success, -1 if out of room. */
static int xca_put_flag(xca_enc *e, unsigned bit)
{
    e->flags = (e->flags << 1) | bit;
    if (++e->nflags == 32) {
        wr32(e->out + e->flag_pos, e->flags);
        if (e->cap - e->pos < 4)
            return -1;
        e->flag_pos = e->pos;
        e->pos += 4;
        e->flags = 0;
        e->nflags = 0;
    }
    return 0;
}

static int xca_put_match(xca_enc *e, size_t off, size_t len)
{
    size_t l = len - XCA_MIN_MATCH;
    uint32_t tok = (uint32_t)(off - 1) << 3;

    /* Longest encoding: token 2, nibble 1, byte 1, u16 2, u32 4. */
    if (e->cap - e->pos < 10)
        return -1;
    if (l < 7) {
        wr16(e->out + e->pos, tok | (uint32_t)l);
        e->pos += 2;
        return xca_put_flag(e, 1);
    }
    wr16(e->out + e->pos, tok | 7u);
    e->pos += 2;
    l -= 7;
    {
        unsigned nib = l < 15 ? (unsigned)l : 15u;
        if (!e->half) {
            e->half = e->pos;
            e->out[e->pos++] = (uint8_t)nib;
        } else {
            e->out[e->half] |= (uint8_t)(nib << 4);
            e->half = 0;
        }
    }
    if (l >= 15) {
        l -= 15;
        if (l < 255) {
            e->out[e->pos++] = (uint8_t)l;
        } else {
            e->out[e->pos++] = 255;
            l += 15 + 7;
            if (l < 65536) {
                wr16(e->out + e->pos, (uint32_t)l);
                e->pos += 2;
            } else {
                wr16(e->out + e->pos, 0);
                wr32(e->out + e->pos + 2, (uint32_t)l);
                e->pos += 6;
            }
        }
    }
    return xca_put_flag(e, 1);
}

/* Length of the common prefix of a and b, at most max bytes. */
static size_t xca_common(const uint8_t *a, const uint8_t *b, size_t max)
{
    size_t n = 0;
    while (max - n >= 8) {
        uint64_t x, y;
        memcpy(&x, a + n, 8);
        memcpy(&y, b + n, 8);
        if (x != y) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            while (a[n] == b[n])
                n++;
            return n;
#else
            return n + ctz64(x ^ y) / 8;
#endif
        }
        n += 8;
    }
    while (n < max && a[n] == b[n])
        n++;
    return n;
}

int xca_compress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len)
{
    xca_enc e;
    uint32_t *head = NULL;
    uint32_t *prev = NULL;
    size_t i = 0;
    int rc = -1;

    if (!out_len || (!in && in_len) || !out || out_cap < 4)
        return -1;
    /* Chains hold 32-bit positions: inputs beyond 4 GiB are not needed (ETW buffers are far smaller). */
    if (in_len >= XCA_NIL)
        return -1;
    head = (uint32_t *)malloc(sizeof(uint32_t) << XCA_HASH_BITS);
    prev = (uint32_t *)malloc(sizeof(uint32_t) * XCA_MAX_OFFSET);
    if (!head || !prev)
        goto cleanup;
    memset(head, 0xff, sizeof(uint32_t) << XCA_HASH_BITS);
    memset(&e, 0, sizeof e);
    e.out = out;
    e.cap = out_cap;
    e.pos = 4;

    while (i < in_len) {
        size_t best_len = 0, best_off = 0;
        if (in_len - i >= XCA_MIN_MATCH) {
            uint32_t h = xca_hash3(in + i);
            uint32_t cand = head[h];
            size_t max = in_len - i;
            unsigned depth = XCA_CHAIN_DEPTH;
            while (cand != XCA_NIL && i - cand <= XCA_MAX_OFFSET && depth--) {
                const uint8_t *c = in + cand;
                if (c[best_len] == in[i + best_len]) {
                    size_t n = xca_common(c, in + i, max);
                    if (n > best_len) {
                        best_len = n;
                        best_off = i - cand;
                        if (n == max)
                            break;
                    }
                }
                {
                    uint32_t nx = prev[cand & (XCA_MAX_OFFSET - 1)];
                    if (nx == XCA_NIL || nx >= cand)
                        break; /* the slot was reused by a newer position: the chain ends here */
                    cand = nx;
                }
            }
        }
        if (best_len >= XCA_MIN_MATCH) {
            size_t end = i + best_len;
            if (xca_put_match(&e, best_off, best_len))
                goto cleanup;
            /* Index the covered positions too; long runs only near their end, which keeps
             * megabyte-long repeats linear without hurting the ratio of ordinary data. */
            if (best_len > 64)
                i = end - 32;
            for (; i < end; i++) {
                if (in_len - i >= XCA_MIN_MATCH) {
                    uint32_t h = xca_hash3(in + i);
                    prev[i & (XCA_MAX_OFFSET - 1)] = head[h];
                    head[h] = (uint32_t)i;
                }
            }
        } else {
            if (e.pos >= e.cap)
                goto cleanup;
            e.out[e.pos++] = in[i];
            if (in_len - i >= XCA_MIN_MATCH) {
                uint32_t h = xca_hash3(in + i);
                prev[i & (XCA_MAX_OFFSET - 1)] = head[h];
                head[h] = (uint32_t)i;
            }
            i++;
            if (xca_put_flag(&e, 0))
                goto cleanup;
        }
    }
    /* Fill the unused flag bits with 1s: the decoder stops at the first one once input is exhausted. */
    {
        unsigned free_bits = 32 - e.nflags;
        uint32_t f = free_bits == 32 ? 0 : e.flags << free_bits;
        f |= free_bits == 32 ? 0xffffffffu : ((1u << free_bits) - 1u);
        wr32(e.out + e.flag_pos, f);
    }
    *out_len = e.pos;
    rc = 0;
cleanup:
    free(head);
    free(prev);
    return rc;
}
