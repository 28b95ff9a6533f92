/*
 * xca.h - MS-XCA "Plain LZ77" (LZXpress without Huffman), the compression of
 * compressed .etl buffers (BufferFlag 0x40). Module prefix: xca_.
 *
 * Stream format ([MS-XCA] 2.3/2.4): 32-bit little-endian flag words read MSB
 * first (0 = one literal byte, 1 = a match); a match is a 16-bit token
 * (offset - 1) << 3 | min(length - 3, 7) with offsets 1..8192; longer lengths
 * continue in a nibble (two matches share one byte), then a byte, a u16 and a
 * u32. The stream ends with a 1 flag bit when the input is exhausted.
 *
 * Both functions are pure (no globals, thread-safe), never read before or past
 * `in[0, in_len)` and never write past `out[0, out_cap)`.
 */
#ifndef WSK_XCA_H
#define WSK_XCA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0 on success with *out_len = bytes produced; -1 on corrupt input or when out_cap would be exceeded.
 * *out_len is untouched on failure. */
int xca_decompress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len);

/* Largest compressed size xca_compress can produce for in_len input bytes. */
size_t xca_compress_bound(size_t in_len);

/* 0 on success with *out_len = compressed bytes; -1 when out_cap is too small (out_cap >=
 * xca_compress_bound(in_len) never is), in_len is 4 GiB or more, or memory for the match finder
 * (160 KiB, freed before returning) cannot be had. */
int xca_compress(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_cap, size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
