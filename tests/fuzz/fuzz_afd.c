/*
 * fuzz_afd.c - libFuzzer target for the Winsock-AFD decoder and formatting.
 *
 * Input: byte 0 picks the event (index into the schema table), byte 1's low
 * bit the pointer size, the rest is the payload, copied into a buffer of
 * exactly its size so ASan sees any read past it. Every decoded event is
 * formatted as details, JSON and per-field text, into full and cut buffers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <wsk/afd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const afd_event_schema *s;
    afd_fields f;
    uint8_t *payload;
    size_t n;
    char big[8192], small[9];

    if (size < 2)
        return 0;
    s = afd_schema_at(data[0] % afd_schema_count());
    n = size - 2;
    payload = malloc(n ? n : 1);
    if (!payload)
        return 0;
    memcpy(payload, data + 2, n);
    if (afd_decode(s, n ? payload : NULL, (uint32_t)n, data[1] & 1 ? 8 : 4, &f) == 0) {
        if (f.count > s->nfields || (!f.malformed && f.count != s->nfields))
            abort();
        if (afd_format_details(&f, big, sizeof big) != afd_format_details(&f, small, sizeof small))
            abort();
        if (afd_format_json(&f, big, sizeof big) != afd_format_json(&f, small, sizeof small))
            abort();
        for (size_t i = 0; i < f.count; i++)
            afd_format_value(&f, i, small, sizeof small);
        if (f.has_addr)
            afd_format_address(&f.addr, small, sizeof small);
    }
    free(payload);
    return 0;
}
