/*
 * test_afd_nts.c - the NTSTATUS table: size, order, no duplicates, non-empty
 * sentences, and spot checks of public values and their Winsock errors.
 */
#include "check.h"

#include <wsk/nts.h>

static void test_table_shape(void)
{
    size_t n = nts_count();
    CHECK(n >= 60);
    CHECK(nts_at(n) == NULL);
    for (size_t i = 0; i < n; i++) {
        const nts_info *e = nts_at(i);
        CHECK(e->name && strncmp(e->name, "STATUS_", 7) == 0);
        CHECK(e->text && strlen(e->text) > 10 && e->text[strlen(e->text) - 1] == '.');
        CHECK((e->wsa == 0) == (e->wsa_name == NULL) || e->status == 0);
        if (i)
            CHECK(nts_at(i - 1)->status < e->status); /* sorted, hence no duplicate codes */
        for (size_t k = 0; k < i; k++)
            CHECK(strcmp(nts_at(k)->name, e->name) != 0);
        CHECK(nts_lookup(e->status) == e);
    }
}

static void test_known_mappings(void)
{
    static const struct {
        uint32_t status;
        const char *name;
        uint32_t wsa;
        const char *wsa_name;
    } known[] = {
        {0xC0000236u, "STATUS_CONNECTION_REFUSED", 10061, "WSAECONNREFUSED"},
        {0xC0000120u, "STATUS_CANCELLED", 995, "WSA_OPERATION_ABORTED"},
        {0x00000103u, "STATUS_PENDING", 997, "WSA_IO_PENDING"},
        {0xC000020Du, "STATUS_CONNECTION_RESET", 10054, "WSAECONNRESET"},
        {0xC0000241u, "STATUS_CONNECTION_ABORTED", 10053, "WSAECONNABORTED"},
        {0xC00000B5u, "STATUS_IO_TIMEOUT", 10060, "WSAETIMEDOUT"},
        {0xC000023Du, "STATUS_HOST_UNREACHABLE", 10065, "WSAEHOSTUNREACH"},
        {0xC000023Cu, "STATUS_NETWORK_UNREACHABLE", 10051, "WSAENETUNREACH"},
        {0xC000023Fu, "STATUS_PORT_UNREACHABLE", 10054, "WSAECONNRESET"},
        {0xC000020Au, "STATUS_ADDRESS_ALREADY_EXISTS", 10048, "WSAEADDRINUSE"},
        {0xC0000043u, "STATUS_SHARING_VIOLATION", 10048, "WSAEADDRINUSE"},
        {0xC0000141u, "STATUS_INVALID_ADDRESS", 10049, "WSAEADDRNOTAVAIL"},
        {0xC0000140u, "STATUS_INVALID_CONNECTION", 10057, "WSAENOTCONN"},
        {0xC000013Bu, "STATUS_LOCAL_DISCONNECT", 10053, "WSAECONNABORTED"},
        {0xC000013Cu, "STATUS_REMOTE_DISCONNECT", 10054, "WSAECONNRESET"},
        {0xC0000237u, "STATUS_GRACEFUL_DISCONNECT", 10101, "WSAEDISCON"},
        {0x80000005u, "STATUS_BUFFER_OVERFLOW", 10040, "WSAEMSGSIZE"},
        {0xC000009Au, "STATUS_INSUFFICIENT_RESOURCES", 10055, "WSAENOBUFS"},
        {0xC0000022u, "STATUS_ACCESS_DENIED", 10013, "WSAEACCES"},
        {0xC000000Du, "STATUS_INVALID_PARAMETER", 10022, "WSAEINVAL"},
        {0xC00000BBu, "STATUS_NOT_SUPPORTED", 10045, "WSAEOPNOTSUPP"},
        {0xC000A012u, "STATUS_HOPLIMIT_EXCEEDED", 10054, "WSAECONNRESET"},
        {0xC000023Eu, "STATUS_PROTOCOL_UNREACHABLE", 10051, "WSAENETUNREACH"},
        {0xC0000017u, "STATUS_NO_MEMORY", 10055, "WSAENOBUFS"},
        {0xC0000238u, "STATUS_ADDRESS_ALREADY_ASSOCIATED", 0, NULL},
    };
    for (size_t i = 0; i < CHECK_COUNT(known); i++) {
        const nts_info *e = nts_lookup(known[i].status);
        CHECK(e != NULL);
        if (!e)
            continue;
        CHECK_STR(e->name, known[i].name);
        CHECK_U64(e->wsa, known[i].wsa);
        if (known[i].wsa_name)
            CHECK_STR(e->wsa_name, known[i].wsa_name);
        else
            CHECK(e->wsa_name == NULL);
    }
    CHECK_U64(nts_lookup(0)->wsa, 0);
    CHECK(nts_lookup(0xC0001234u) == NULL);
    CHECK(nts_lookup(0xFFFFFFFFu) == NULL);
}

static void test_outcome_and_names(void)
{
    char buf[16];
    CHECK_U64(nts_outcome(0), NTS_SUCCESS);
    CHECK_U64(nts_outcome(0x103), NTS_PENDING);
    CHECK_U64(nts_outcome(0x102), NTS_SUCCESS);
    CHECK_U64(nts_outcome(0x4000000Fu), NTS_INFO);
    CHECK_U64(nts_outcome(0x80000005u), NTS_WARNING);
    CHECK_U64(nts_outcome(0xC0000236u), NTS_ERROR);
    CHECK(nts_is_success(0) && nts_is_success(0x103) && nts_is_success(0x7FFFFFFFu));
    CHECK(!nts_is_success(0x80000005u) && !nts_is_success(0xC0000001u));
    CHECK_STR(nts_result_name(NTS_PENDING), "pending");
    CHECK_STR(nts_result_name(NTS_ERROR), "error");
    CHECK_STR(nts_name(0xC0000236u, buf, sizeof buf), "STATUS_CONNECTION_REFUSED");
    CHECK_STR(nts_name(0xC0DE0001u, buf, sizeof buf), "0xc0de0001");
    CHECK_STR(nts_name(0x12u, buf, sizeof buf), "0x00000012");
    CHECK_STR(nts_name(0x12u, buf, 10), "");
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_table_shape),
        CHECK_CASE(test_known_mappings),
        CHECK_CASE(test_outcome_and_names),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
