/*
 * test_afd_decode.c - the schema table's invariants, malformed payloads (cut
 * at every length, extra bytes, bad AddressLen, odd sockaddrs), RFC 5952
 * address text, and encode/decode round trips of every event.
 *
 * Truncated payloads are copied into buffers of exactly their size so that an
 * ASan build catches any read past the end.
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* sscanf */
#endif
#include "check.h"

#include <wsk/afd.h>

/* ---- table invariants ---- */

static void test_table(void)
{
    const afd_event_schema *prev = NULL;
    size_t n = afd_schema_count();
    CHECK_U64(n, 96);
    CHECK(afd_schema_at(n) == NULL);
    for (size_t i = 0; i < n; i++) {
        const afd_event_schema *s = afd_schema_at(i);
        int statuses = 0;
        CHECK(s != NULL);
        if (!s)
            return;
        CHECK(!prev || prev->id < s->id);
        CHECK_U64(s->version, 0);
        CHECK(s->nfields > 0 && s->nfields <= AFD_MAX_FIELDS);
        CHECK(s->name && *s->name && s->meaning && *s->meaning && s->task_name);
        CHECK(s->ops != 0);
        CHECK(afd_schema_find(s->id, 0) == s);
        CHECK((s->id <= 41) == (s->symbol == NULL));
        CHECK((s->id <= 41) == ((s->ops & AFD_OP_LEGACY) != 0));
        for (int k = 0; k < s->nfields; k++) {
            const afd_field_def *fd = &s->fields[k];
            CHECK(strchr(fd->name, ' ') == NULL);
            /* the decoder's role index relies on this */
            for (int j = 0; j < k; j++)
                CHECK(fd->role == AFD_ROLE_NONE || s->fields[j].role != fd->role);
            if (fd->role == AFD_ROLE_STATUS)
                statuses++;
            if (fd->type == AFD_T_ADDRLEN)
                CHECK(k + 1 < s->nfields && s->fields[k + 1].type == AFD_T_SOCKADDR);
            if (fd->type == AFD_T_SOCKADDR)
                CHECK(k > 0 && s->fields[k - 1].type == AFD_T_ADDRLEN);
        }
        if (s->status_field >= 0) {
            CHECK(s->status_field < s->nfields);
            CHECK_U64(s->fields[s->status_field].role, AFD_ROLE_STATUS);
            CHECK_U64(statuses, 1);
            CHECK(s->status_kind != AFD_STATUS_NONE);
        } else {
            CHECK_U64(statuses, 0);
            CHECK_U64(s->status_kind, AFD_STATUS_NONE);
        }
        prev = s;
    }
    CHECK(afd_schema_find(42, 0) == NULL);
    CHECK(afd_schema_find(1008, 0) == NULL);
    CHECK(afd_schema_find(1, 1) == NULL);
    CHECK(afd_schema_find(4021, 0) == NULL);
    CHECK(afd_schema_find(0, 0) == NULL);
}

static void test_metadata(void)
{
    static const uint16_t connect_ids[] = {4, 5, 6, 1017, 1018, 1020, 1021};
    etl_guid g = {0xE53C6823u, 0x7BB8, 0x44BB, {0x90, 0xDC, 0x3F, 0x86, 0x09, 0x0D, 0x48, 0xA6}};
    CHECK(afd_is_provider(&g));
    g.data4[7] ^= 1;
    CHECK(!afd_is_provider(&g));
    CHECK(!afd_is_provider(NULL));
    for (size_t i = 0; i < CHECK_COUNT(connect_ids); i++)
        CHECK(afd_schema_find(connect_ids[i], 0)->ops & AFD_OP_CONNECT);
    CHECK(!(afd_schema_find(1023, 0)->ops & AFD_OP_CONNECT));
    CHECK_U64(afd_op_from_name("connect"), AFD_OP_CONNECT);
    CHECK_U64(afd_op_from_name("Receive"), AFD_OP_RECEIVE);
    CHECK_U64(afd_op_from_name("rio"), AFD_OP_RIO);
    CHECK_U64(afd_op_from_name("conn"), 0);
    CHECK_U64(afd_op_from_name("connects"), 0);
    for (unsigned i = 0; i < AFD_OP_COUNT; i++)
        CHECK_U64(afd_op_from_name(afd_op_name(i)), 1u << i);
    CHECK(afd_op_name(AFD_OP_COUNT) == NULL);
    /* levels and keywords as the manifest declares them */
    CHECK_U64(afd_schema_find(1, 0)->level, 4);
    CHECK_U64(afd_schema_find(18, 0)->level, 5);
    CHECK_U64(afd_schema_find(1032, 0)->level, 2);
    CHECK_U64(afd_schema_find(1033, 0)->level, 2);
    CHECK_U64(afd_schema_find(4014, 0)->level, 3);
    CHECK_U64(afd_schema_find(4018, 0)->level, 5);
    CHECK_U64(afd_schema_find(1033, 0)->keywords, AFD_KW_SOURCE_WINSOCK | AFD_KW_DROPPED);
    CHECK_U64(afd_schema_find(33, 0)->keywords, AFD_KW_DROPPED);
    CHECK_U64(afd_schema_find(3004, 0)->keywords, AFD_KW_SOURCE_TRANSPORT);
    CHECK_U64(afd_schema_find(4016, 0)->keywords, AFD_KW_NRT);
    CHECK_U64(afd_schema_find(4019, 0)->keywords, 0);
    CHECK_U64(afd_schema_find(1000, 0)->opcode, 10);
    CHECK_U64(afd_schema_find(1032, 0)->opcode, 14);
    CHECK_U64(afd_schema_find(3006, 0)->opcode, 13);
    CHECK_U64(afd_schema_find(4005, 0)->opcode, 17);
    CHECK_U64(afd_schema_find(1037, 0)->task, 1037);
    CHECK_STR(afd_schema_find(1027, 0)->symbol, "AfdAcceptExWithAddressConnected");
    CHECK_U64(afd_schema_find(1032, 0)->status_kind, AFD_STATUS_ABORT);
    CHECK_U64(afd_schema_find(1033, 0)->status_kind, AFD_STATUS_DROP);
    CHECK_U64(afd_schema_find(7, 0)->status_kind, AFD_STATUS_REASON);
    CHECK_STR(afd_map_name(AFD_MAP_SOCKET_TYPE, 2), "SOCK_DGRAM");
    CHECK_STR(afd_map_name(AFD_MAP_FAMILY, 23), "AF_INET6");
    CHECK_STR(afd_map_name(AFD_MAP_PROTOCOL, 17), "IPPROTO_UDP");
    CHECK_STR(afd_map_name(AFD_MAP_OPTION, 0xf), "SIO_UDP_NETRESET");
    CHECK_STR(afd_map_name(AFD_MAP_ABORT_REASON, 0x13), "Plug and play event caused abort");
    CHECK_STR(afd_map_name(AFD_MAP_DROP_REASON, 5), "Indicated datagram too large - integer overflow");
    CHECK_STR(afd_map_name(AFD_MAP_ENTER_EXIT, 3), "transport");
    CHECK_STR(afd_map_name(AFD_MAP_RIO_NOTIFY, 0), "None");
    CHECK(afd_map_name(AFD_MAP_SOCKET_TYPE, 0) == NULL);
    CHECK(afd_map_name(AFD_MAP_NONE, 1) == NULL);
}

/* ---- values for round trips ---- */

static const uint8_t v6_bytes[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42};

/* Builds one value per field with a pattern that depends on the field index, so a swapped or
   mis-sized field shows up. sa holds the sockaddr bytes for AFD_T_SOCKADDR. */
static void make_values(const afd_event_schema *s, unsigned ptr, const uint8_t *sa, uint32_t sa_len,
                        afd_value *v)
{
    for (int k = 0; k < s->nfields; k++) {
        uint64_t pat = 0x8877665544332211ull * (uint64_t)(k + 1) + 0x0102030405060708ull;
        memset(&v[k], 0, sizeof v[k]);
        switch (s->fields[k].type) {
        case AFD_T_POINTER:
            v[k].u = ptr == 8 ? pat : (uint32_t)pat;
            break;
        case AFD_T_U8:
            v[k].u = (uint8_t)pat;
            break;
        case AFD_T_U16:
        case AFD_T_PORT:
            v[k].u = (uint16_t)pat;
            break;
        case AFD_T_I32:
            v[k].u = (uint64_t)(int64_t)(int32_t)(uint32_t)pat;
            break;
        case AFD_T_BOOL:
            v[k].u = k & 1;
            break;
        case AFD_T_IPV6:
            v[k].data = v6_bytes;
            v[k].len = 16;
            break;
        case AFD_T_SOCKADDR:
            v[k].data = sa;
            v[k].len = sa_len;
            break;
        default:
            v[k].u = (uint32_t)pat;
            break;
        }
    }
}

typedef struct encoded {
    uint8_t buf[512];
    size_t len;
    uint8_t sa[32];
    uint32_t sa_len;
    afd_value v[AFD_MAX_FIELDS];
} encoded;

static int encode_event(const afd_event_schema *s, unsigned ptr, int v6, encoded *e)
{
    afd_addr a;
    memset(&a, 0, sizeof a);
    if (v6) {
        a.family = AFD_AF_INET6;
        memcpy(a.bytes, v6_bytes, 16);
        a.scope = 9;
        a.flowinfo = 0x12345;
    } else {
        a.family = AFD_AF_INET;
        a.bytes[0] = 192;
        a.bytes[1] = 0;
        a.bytes[2] = 2;
        a.bytes[3] = 7;
    }
    a.port = 8443;
    e->sa_len = (uint32_t)afd_sockaddr_build(&a, e->sa, sizeof e->sa);
    make_values(s, ptr, e->sa, e->sa_len, e->v);
    return afd_encode(s, ptr, e->v, s->nfields, e->buf, sizeof e->buf, &e->len);
}

static int same_value(const afd_event_schema *s, int k, const afd_value *a, const afd_value *b)
{
    uint8_t type = s->fields[k].type;
    if (type == AFD_T_IPV6 || type == AFD_T_SOCKADDR)
        return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
    if (type == AFD_T_ADDRLEN)
        return 1; /* written from the next value's length; checked separately */
    return a->u == b->u;
}

static void test_round_trips(void)
{
    for (size_t i = 0; i < afd_schema_count(); i++) {
        const afd_event_schema *s = afd_schema_at(i);
        for (unsigned ptr = 4; ptr <= 8; ptr += 4) {
            for (int v6 = 0; v6 < 2; v6++) {
                encoded e;
                afd_fields f;
                size_t need;
                CHECK(encode_event(s, ptr, v6, &e) == 0);
                CHECK(afd_decode(s, e.buf, (uint32_t)e.len, ptr, &f) == 0);
                CHECK_U64(f.malformed, 0);
                CHECK_U64(f.count, s->nfields);
                for (int k = 0; k < s->nfields && k < f.count; k++) {
                    if (!same_value(s, k, &f.v[k], &e.v[k])) {
                        check_failures++;
                        fprintf(stderr, "id %u ptr %u field %s differs\n", s->id, ptr, s->fields[k].name);
                    }
                    if (s->fields[k].type == AFD_T_ADDRLEN)
                        CHECK_U64(f.v[k].u, e.sa_len);
                }
                if (afd_schema_role(s, AFD_ROLE_REMOTE_ADDR) >= 0 ||
                    afd_schema_role(s, AFD_ROLE_LOCAL_ADDR) >= 0) {
                    int sockaddr = afd_schema_role(s, AFD_ROLE_ADDR_LEN) >= 0;
                    CHECK(f.has_addr);
                    if (sockaddr) {
                        CHECK_U64(f.addr.family, v6 ? AFD_AF_INET6 : AFD_AF_INET);
                        CHECK_U64(f.addr.port, 8443);
                        CHECK_U64(f.addr.scope, v6 ? 9 : 0);
                        CHECK_U64(f.addr.flowinfo, v6 ? 0x12345 : 0);
                        CHECK(memcmp(f.addr.bytes, v6 ? v6_bytes : (const uint8_t *)"\xc0\x00\x02\x07",
                                     v6 ? 16 : 4) == 0);
                    }
                }
                /* too small a buffer: -2 and the size needed */
                CHECK(afd_encode(s, ptr, e.v, s->nfields, e.buf, e.len - 1, &need) == -2);
                CHECK_U64(need, e.len);
            }
        }
    }
}

static void test_bad_arguments(void)
{
    const afd_event_schema *s = afd_schema_find(1001, 0);
    uint8_t buf[64] = {0};
    afd_fields f;
    afd_value v[AFD_MAX_FIELDS];
    size_t len = 12345;
    memset(&f, 0xAB, sizeof f);
    CHECK(afd_decode(s, buf, sizeof buf, 5, &f) == -1);
    CHECK(afd_decode(NULL, buf, sizeof buf, 8, &f) == -1);
    CHECK(afd_decode(s, NULL, 4, 8, &f) == -1);
    CHECK_U64(f.count, 0xAB); /* untouched */
    CHECK(afd_decode(s, NULL, 0, 8, &f) == 0);
    CHECK_U64(f.count, 0);
    CHECK(f.malformed & AFD_MAL_SHORT);
    memset(v, 0, sizeof v);
    CHECK(afd_encode(s, 8, v, 4, buf, sizeof buf, &len) == -1);
    CHECK(afd_encode(s, 6, v, 5, buf, sizeof buf, &len) == -1);
    CHECK_U64(len, 12345);
    s = afd_schema_find(3, 0);
    CHECK(afd_encode(s, 8, v, s->nfields, buf, sizeof buf, &len) == -1); /* IPv6 value without 16 bytes */
}

/* ---- malformed payloads ---- */

/* Decodes a copy of exactly n bytes; binary values point into it, so the caller frees it
   after its checks. */
static uint8_t *decode_copy(const afd_event_schema *s, const uint8_t *p, size_t n, unsigned ptr,
                            afd_fields *f)
{
    uint8_t *copy = n ? malloc(n) : NULL;
    if (n)
        memcpy(copy, p, n);
    CHECK(afd_decode(s, copy, (uint32_t)n, ptr, f) == 0);
    return copy;
}

/* Every event, both pointer sizes: each prefix decodes the fields that fit, the values equal
   those of the whole payload, and each field boundary minus one byte loses exactly that field. */
static void test_truncated(void)
{
    for (size_t i = 0; i < afd_schema_count(); i++) {
        const afd_event_schema *s = afd_schema_at(i);
        for (unsigned ptr = 4; ptr <= 8; ptr += 4) {
            encoded e;
            afd_fields full;
            uint8_t prev_count = 0;
            CHECK(encode_event(s, ptr, 1, &e) == 0);
            CHECK(afd_decode(s, e.buf, (uint32_t)e.len, ptr, &full) == 0);
            for (size_t n = 0; n < e.len; n++) {
                afd_fields f;
                uint8_t *copy = decode_copy(s, e.buf, n, ptr, &f);
                CHECK(f.malformed & AFD_MAL_SHORT);
                CHECK(f.count < s->nfields);
                /* one more byte completes at most one field */
                CHECK(f.count == prev_count || f.count == prev_count + 1);
                for (int k = 0; k < f.count; k++)
                    if (!same_value(s, k, &f.v[k], &full.v[k])) {
                        check_failures++;
                        fprintf(stderr, "id %u cut at %zu: field %d differs\n", s->id, n, k);
                    }
                if (f.has_status)
                    CHECK(s->status_field < f.count);
                prev_count = f.count;
                free(copy);
            }
            /* one byte short loses exactly the last field */
            CHECK_U64(prev_count, s->nfields - 1u);
        }
    }
}

static void test_extra_bytes(void)
{
    for (size_t i = 0; i < afd_schema_count(); i++) {
        const afd_event_schema *s = afd_schema_at(i);
        encoded e;
        afd_fields f;
        CHECK(encode_event(s, 8, 0, &e) == 0);
        memset(e.buf + e.len, 0xEE, 3);
        free(decode_copy(s, e.buf, e.len + 3, 8, &f));
        CHECK_U64(f.malformed, AFD_MAL_LONG);
        CHECK_U64(f.extra, 3);
        CHECK_U64(f.count, s->nfields);
    }
}

static void test_addrlen_cases(void)
{
    /* 1030 x86: EnterExit, Location, Process, Endpoint, Status, AddressLen, Address */
    static const uint8_t past_end[] = {
        1,   0, 0, 0, 0x56, 0x1b, 0,    0,    0x33, 0x22, 0x11, 0x85, 0x66, 0x55, 0x44, 0x86, 0, 0, 0, 0,
        100, 0, 0, 0, 2,    0,    0x1f, 0x90, 10,   0,    0,    1,    0,    0,    0,    0,    0, 0, 0, 0};
    static const uint8_t empty[] = {1,    0,    0,    0,    0x56, 0x1b, 0, 0, 0x33, 0x22, 0x11, 0x85,
                                    0x66, 0x55, 0x44, 0x86, 0,    0,    0, 0, 0,    0,    0,    0};
    static const uint8_t huge[] = {1,    0,    0,    0, 0x56, 0x1b, 0, 0,    0x33, 0x22, 0x11, 0x85, 0x66,
                                   0x55, 0x44, 0x86, 0, 0,    0,    0, 0xff, 0xff, 0xff, 0xff, 2,    0};
    /* 1024 x86 with AddressLen 0: AcceptEndpoint and CurrentBacklog follow directly */
    static const uint8_t accept_empty[] = {
        1, 0, 0, 0, 0, 0, 0, 0, 0x33, 0x22, 0x11, 0x85, 0x66, 0x55, 0x44, 0x86, 0, 0, 0x0b, 0x0a,
        0, 0, 0, 0, 0, 0, 0, 0, 0,    0,    0,    0,    0x00, 0xbb, 0xcc, 0x86, 7, 0, 0,    0};
    /* sockaddr_in cut to 6 bytes; sockaddr_in6 of the 24-byte form; unknown family; AF_UNIX */
    static const uint8_t short_in[] = {1,    0, 0, 0, 0, 0, 0, 0, 0x33, 0x22, 0x11, 0x85, 0x66, 0x55, 0x44,
                                       0x86, 0, 0, 0, 0, 6, 0, 0, 0,    2,    0,    0x1f, 0x90, 10,   0};
    static const uint8_t in6_24[] = {
        1,  0, 0, 0,  0, 0, 0, 0, 0x33, 0x22, 0x11, 0x85, 0x66, 0x55, 0x44, 0x86, 0, 0, 0, 0, 24, 0, 0, 0,
        23, 0, 0, 80, 0, 0, 0, 0, 0xfe, 0x80, 0,    0,    0,    0,    0,    0,    0, 0, 0, 0, 0,  0, 0, 1};
    static const uint8_t other[] = {1,    0,    0, 0, 0, 0, 0, 0, 0x33, 0x22, 0x11, 0x85, 0x66, 0x55,
                                    0x44, 0x86, 0, 0, 0, 0, 4, 0, 0,    0,    0x34, 0x12, 0xab, 0xcd};
    static const uint8_t unix_sa[] = {1,    0,    0,    0,    0,    0,   0,   0,    0x33, 0x22, 0x11, 0x85,
                                      0x66, 0x55, 0x44, 0x86, 0,    0,   0,   0,    12,   0,    0,    0,
                                      1,    0,    'C',  ':',  '\\', 'a', '"', 0xc3, 0xa9, 0,    'x',  'y'};
    const afd_event_schema *bind = afd_schema_find(1030, 0);
    afd_fields f;
    char text[256];
    uint8_t *copy;

    copy = decode_copy(bind, past_end, sizeof past_end, 4, &f);
    CHECK_U64(f.malformed, AFD_MAL_SHORT);
    CHECK_U64(f.count, 6);
    CHECK_U64(f.v[5].u, 100);
    CHECK(!f.has_addr);
    CHECK(f.has_status && f.status == 0);
    afd_format_json(&f, text, sizeof text);
    CHECK_STR(text,
              "{\"EnterExit\":1,\"Location\":6998,\"Process\":\"0x85112233\",\"Endpoint\":\"0x86445566\","
              "\"Status\":0,\"AddressLen\":100}");
    afd_format_details(&f, text, sizeof text);
    CHECK(strstr(text, "[malformed: short, 6/7 fields]") != NULL);

    free(copy);
    copy = decode_copy(bind, huge, sizeof huge, 4, &f);
    CHECK_U64(f.malformed, AFD_MAL_SHORT);
    CHECK_U64(f.count, 6);

    free(copy);
    copy = decode_copy(bind, empty, sizeof empty, 4, &f);
    CHECK_U64(f.malformed, 0);
    CHECK_U64(f.count, 7);
    CHECK(!f.has_addr);
    afd_format_json(&f, text, sizeof text);
    CHECK(strstr(text, "\"AddressLen\":0,\"Address\":\"\"}") != NULL);

    free(copy);
    copy = decode_copy(afd_schema_find(1024, 0), accept_empty, sizeof accept_empty, 4, &f);
    CHECK_U64(f.malformed, 0);
    CHECK_U64(f.count, 11);
    CHECK_U64(afd_get(&f, AFD_ROLE_ACCEPT_ENDPOINT, 0), 0x86ccbb00);
    CHECK_U64(afd_get(&f, AFD_ROLE_BACKLOG, 0), 7);
    CHECK_U64(afd_get(&f, AFD_ROLE_BUFFER, 0), 0x0a0b0000);

    free(copy);
    copy = decode_copy(bind, short_in, sizeof short_in, 4, &f);
    CHECK_U64(f.malformed, AFD_MAL_ADDR);
    CHECK_U64(f.count, 7);
    CHECK(f.has_addr && f.addr.has_port && f.addr.port == 8080);
    afd_format_details(&f, text, sizeof text);
    CHECK(strstr(text, "[malformed: truncated sockaddr]") != NULL);

    free(copy);
    copy = decode_copy(bind, in6_24, sizeof in6_24, 4, &f);
    CHECK_U64(f.malformed, 0);
    afd_format_value(&f, 6, text, sizeof text);
    CHECK_STR(text, "[fe80::1]:80");

    free(copy);
    copy = decode_copy(bind, other, sizeof other, 4, &f);
    CHECK_U64(f.malformed, 0);
    afd_format_value(&f, 6, text, sizeof text);
    CHECK_STR(text, "family 4660 0xabcd");

    free(copy);
    copy = decode_copy(bind, unix_sa, sizeof unix_sa, 4, &f);
    CHECK_U64(f.malformed, 0);
    CHECK_U64(f.addr.family, AFD_AF_UNIX);
    CHECK_U64(f.addr.raw_len, 7);
    afd_format_json(&f, text, sizeof text);
    CHECK(strstr(text, "\"Address\":\"C:\\\\a\\\"\\u00c3\\u00a9\"}") != NULL);
    free(copy);
}

/* ---- address text ---- */

static const char *v6text(const char *hex32, uint16_t port, int has_port, uint32_t scope, char *buf,
                          size_t cap)
{
    afd_addr a;
    memset(&a, 0, sizeof a);
    a.family = AFD_AF_INET6;
    for (int i = 0; i < 16; i++) {
        unsigned x;
        sscanf(hex32 + 2 * i, "%2x", &x);
        a.bytes[i] = (uint8_t)x;
    }
    a.port = port;
    a.has_port = (uint8_t)has_port;
    a.scope = scope;
    afd_format_address(&a, buf, cap);
    return buf;
}

static void test_address_text(void)
{
    char b[128];
    afd_addr a;
    CHECK_STR(v6text("20010db8000000000000000000000001", 0, 0, 0, b, sizeof b), "2001:db8::1");
    CHECK_STR(v6text("20010db8000000010000000000000001", 0, 0, 0, b, sizeof b), "2001:db8:0:1::1");
    /* two runs of two zero groups: the first is compressed */
    CHECK_STR(v6text("20010db8000000000001000000000001", 0, 0, 0, b, sizeof b), "2001:db8::1:0:0:1");
    /* the longest run wins even when later */
    CHECK_STR(v6text("20010000000000010000000000000001", 0, 0, 0, b, sizeof b), "2001:0:0:1::1");
    /* a single zero group is not compressed */
    CHECK_STR(v6text("20010db8000000010001000100010001", 0, 0, 0, b, sizeof b), "2001:db8:0:1:1:1:1:1");
    CHECK_STR(v6text("00000000000000000000000000000000", 0, 0, 0, b, sizeof b), "::");
    CHECK_STR(v6text("00000000000000000000000000000001", 0, 0, 0, b, sizeof b), "::1");
    CHECK_STR(v6text("00010000000000000000000000000000", 0, 0, 0, b, sizeof b), "1::");
    CHECK_STR(v6text("20010DB8ABCD00120000FFFF0000FEDC", 0, 0, 0, b, sizeof b),
              "2001:db8:abcd:12:0:ffff:0:fedc");
    CHECK_STR(v6text("fe800000000000000000000000000001", 0, 0, 3, b, sizeof b), "fe80::1%3");
    CHECK_STR(v6text("fe800000000000000000000000000001", 80, 1, 3, b, sizeof b), "[fe80::1%3]:80");
    CHECK_STR(v6text("fe800000000000000000000000000001", 80, 1, 0, b, sizeof b), "[fe80::1]:80");
    CHECK_STR(v6text("00000000000000000000ffffc0000201", 8080, 1, 0, b, sizeof b), "[::ffff:192.0.2.1]:8080");
    CHECK_STR(v6text("00000000000000000000ffffc0000201", 0, 0, 0, b, sizeof b), "::ffff:192.0.2.1");
    CHECK_STR(v6text("20010db8aaaabbbbccccddddeeeeffff", 65535, 1, 0, b, sizeof b),
              "[2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff]:65535");
    CHECK_STR(v6text("00000000000000000000000000000000", 0, 1, 0, b, sizeof b), "[::]:0");

    memset(&a, 0, sizeof a);
    a.family = AFD_AF_INET;
    a.bytes[0] = 192;
    a.bytes[3] = 255;
    CHECK_U64(afd_format_address(&a, b, sizeof b), 11);
    CHECK_STR(b, "192.0.0.255");
    a.has_port = 1;
    a.port = 0;
    afd_format_address(&a, b, sizeof b);
    CHECK_STR(b, "192.0.0.255:0");
    /* cut output: snprintf semantics */
    CHECK_U64(afd_format_address(&a, b, 5), 13);
    CHECK_STR(b, "192.");
    a.family = 0;
    CHECK_U64(afd_format_address(&a, b, sizeof b), 0);
    CHECK_STR(b, "");

    /* sockaddr build/parse agree */
    {
        uint8_t sa[32];
        afd_addr back;
        memset(&a, 0, sizeof a);
        a.family = AFD_AF_INET6;
        a.bytes[15] = 1;
        a.port = 443;
        a.scope = 12;
        CHECK_U64(afd_sockaddr_build(&a, sa, sizeof sa), 28);
        CHECK_U64(sa[0], 23);
        CHECK_U64(sa[2], 0x01);
        CHECK_U64(sa[3], 0xbb);
        CHECK_U64(sa[24], 12);
        CHECK(afd_sockaddr_parse(sa, 28, &back) == 0);
        afd_format_address(&back, b, sizeof b);
        CHECK_STR(b, "[::1%12]:443");
        CHECK_U64(afd_sockaddr_build(&a, sa, 27), 0);
        CHECK(afd_sockaddr_parse(sa, 1, &back) == -1);
    }
}

/* ---- random payloads: never a crash or a read/write outside the buffers (ASan build) ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}

/* Formats into heap buffers of exactly cap bytes: the text is the full text's prefix, NUL-terminated. */
static void check_cut(size_t (*fmt)(const afd_fields *, char *, size_t), const afd_fields *f,
                      const char *full, size_t full_len)
{
    static const size_t caps[] = {1, 2, 7, 33};
    for (size_t i = 0; i < CHECK_COUNT(caps); i++) {
        size_t cap = caps[i] < full_len ? caps[i] : full_len;
        char *b = malloc(cap ? cap : 1);
        size_t n;
        if (!cap) {
            free(b);
            continue;
        }
        n = fmt(f, b, cap);
        CHECK_U64(n, full_len);
        CHECK_U64(strlen(b), cap - 1);
        CHECK(strncmp(b, full, cap - 1) == 0);
        free(b);
    }
}

static void test_random_payloads(void)
{
    for (size_t i = 0; i < afd_schema_count(); i++) {
        const afd_event_schema *s = afd_schema_at(i);
        for (int round = 0; round < 300; round++) {
            unsigned ptr = round & 1 ? 8 : 4;
            size_t n = rng() % 120, k;
            uint8_t *p = malloc(n ? n : 1);
            afd_fields f;
            char text[4096], json[4096];
            size_t tl, jl;
            for (k = 0; k < n; k++)
                p[k] = (uint8_t)rng();
            /* make a plausible AddressLen half the time, so the fields after a sockaddr are reached */
            if (round & 2) {
                int a = afd_schema_role(s, AFD_ROLE_ADDR_LEN);
                size_t at = 0;
                for (int j = 0; j < a; j++)
                    at += s->fields[j].type == AFD_T_POINTER ? ptr : 4;
                if (a >= 0 && at + 4 <= n) {
                    p[at] = (uint8_t)(rng() % 30);
                    p[at + 1] = p[at + 2] = p[at + 3] = 0;
                }
            }
            CHECK(afd_decode(s, n ? p : NULL, (uint32_t)n, ptr, &f) == 0);
            CHECK(f.count <= s->nfields);
            CHECK(f.malformed || f.count == s->nfields);
            CHECK(!(f.malformed & AFD_MAL_SHORT) == (f.count == s->nfields));
            tl = afd_format_details(&f, text, sizeof text);
            jl = afd_format_json(&f, json, sizeof json);
            CHECK(tl < sizeof text && jl < sizeof json);
            CHECK(json[0] == '{' && json[jl - 1] == '}');
            check_cut(afd_format_details, &f, text, tl);
            check_cut(afd_format_json, &f, json, jl);
            for (k = 0; k < f.count; k++) {
                char v[512];
                CHECK(afd_format_value(&f, k, v, sizeof v) < sizeof v);
            }
            free(p);
        }
    }
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_table),         CHECK_CASE(test_metadata),     CHECK_CASE(test_round_trips),
        CHECK_CASE(test_bad_arguments), CHECK_CASE(test_truncated),    CHECK_CASE(test_extra_bytes),
        CHECK_CASE(test_addrlen_cases), CHECK_CASE(test_address_text), CHECK_CASE(test_random_payloads),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
