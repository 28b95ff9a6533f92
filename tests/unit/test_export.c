/*
 * test_export.c - the event writers of export.h (what `wskdump events` and the viewer's File > Export
 * Events write) against lines typed from the demo trace's "Socket create" event, a kernel record without
 * time or process, output cut at every length, and JSON string escaping.
 */
#include "check.h"

#include <stdlib.h>

#include <wsk/export.h>

static const char create_hex[] =
    "00000000e8030000402ae41e0ac3ffff10104e5a0cb3ffff0200000001000000060000004c0500000000000000000000";

static const char create_csv[] =
    "134129412000000039,2026-01-15T09:00:00.0000039Z,0,1356,1776,event,e53c6823-7bb8-44bb-90dc-3f86090d48a6,,"
    "1000,0,4,10,1000,0x8000000000000006,"
    "00000000e8030000402ae41e0ac3ffff10104e5a0cb3ffff0200000001000000060000004c0500000000000000000000,"
    "Socket create,false,0x00000000,STATUS_SUCCESS,EnterExit=request (0) Location=1000 "
    "Process=0xffffc30a1ee42a40 Endpoint=0xffffb30c5a4e1010 AddressFamily=AF_INET (2) SocketType=SOCK_STREAM (1) "
    "Protocol=IPPROTO_TCP (6) ProcessId=0x54c Status=STATUS_SUCCESS";

static const char create_json[] =
    "{\"time\":134129412000000039,\"time_utc\":\"2026-01-15T09:00:00.0000039Z\",\"cpu\":0,\"pid\":1356,"
    "\"tid\":1776,\"header_type\":\"event\",\"provider\":\"e53c6823-7bb8-44bb-90dc-3f86090d48a6\",\"id\":1000,"
    "\"version\":0,\"level\":4,\"opcode\":10,\"task\":1000,\"keyword\":\"0x8000000000000006\",\"data\":"
    "\"00000000e8030000402ae41e0ac3ffff10104e5a0cb3ffff0200000001000000060000004c0500000000000000000000\","
    "\"name\":\"Socket create\",\"malformed\":false,\"status\":\"0x00000000\",\"status_name\":\"STATUS_SUCCESS\","
    "\"fields\":{\"EnterExit\":0,\"Location\":1000,\"Process\":\"0xffffc30a1ee42a40\",\"Endpoint\":"
    "\"0xffffb30c5a4e1010\",\"AddressFamily\":2,\"SocketType\":1,\"Protocol\":6,\"ProcessId\":\"0x54c\","
    "\"Status\":0}}";

static const char create_text[] =
    "2026-01-15T09:00:00.0000039Z cpu=0 pid=1356 tid=1776 event e53c6823-7bb8-44bb-90dc-3f86090d48a6 id=1000 "
    "version=0 level=4 opcode=10 task=1000 keyword=0x8000000000000006 name=\"Socket create\" status=0x00000000 "
    "status_name=STATUS_SUCCESS fields: EnterExit=request (0) Location=1000 Process=0xffffc30a1ee42a40 "
    "Endpoint=0xffffb30c5a4e1010 AddressFamily=AF_INET (2) SocketType=SOCK_STREAM (1) Protocol=IPPROTO_TCP (6) "
    "ProcessId=0x54c Status=STATUS_SUCCESS data="
    "00000000e8030000402ae41e0ac3ffff10104e5a0cb3ffff0200000001000000060000004c0500000000000000000000";

static void parse_hex(const char *hex, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + (size_t)k];
            v = v * 16 + (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
        }
        out[i] = (uint8_t)v;
    }
}

static void make_create(etl_event *ev, uint8_t *data)
{
    const etl_guid afd = {0xE53C6823u, 0x7BB8, 0x44BB, {0x90, 0xDC, 0x3F, 0x86, 0x09, 0x0D, 0x48, 0xA6}};
    memset(ev, 0, sizeof *ev);
    parse_hex(create_hex, data, sizeof create_hex / 2);
    ev->kind = ETL_KIND_EVENT;
    ev->pointer_size = 8;
    ev->flags = ETL_EV_HAS_TIME | ETL_EV_HAS_PID | ETL_EV_HAS_PROVIDER;
    ev->time = 134129412000000039ull;
    ev->pid = 1356;
    ev->tid = 1776;
    ev->provider = afd;
    ev->id = 1000;
    ev->level = 4;
    ev->opcode = 10;
    ev->task = 1000;
    ev->keyword = 0x8000000000000006ull;
    ev->data = data;
    ev->data_len = (uint32_t)(sizeof create_hex / 2);
}

typedef size_t (*writer)(const etl_event *, export_clock *, char *, size_t);

/* The whole line, and every shorter buffer: the full length back and the text cut at cap - 1. */
static void check_writer(const char *what, writer w, const etl_event *ev, const char *want)
{
    size_t n = strlen(want);
    char *buf = (char *)malloc(n + 1);
    export_clock c;

    export_clock_init(&c);
    CHECK(buf != NULL);
    if (!buf)
        return;
    CHECK_U64(w(ev, &c, buf, n + 1), n);
    CHECK_STR(buf, want);
    for (size_t cap = 1; cap <= n; cap++) {
        memset(buf, 'X', n + 1);
        if (w(ev, &c, buf, cap) != n || strlen(buf) != cap - 1 || memcmp(buf, want, cap - 1) != 0) {
            printf("%s: wrong text or length in a buffer of %u bytes\n", what, (unsigned)cap);
            CHECK(0);
            break;
        }
    }
    CHECK_U64(w(ev, &c, NULL, 0), n);
    free(buf);
}

static void test_afd_event(void)
{
    uint8_t data[64];
    etl_event ev;

    make_create(&ev, data);
    check_writer("csv", export_event_csv, &ev, create_csv);
    check_writer("json", export_event_json, &ev, create_json);
    check_writer("text", export_event_text, &ev, create_text);
    CHECK_STR(export_event_csv_header(), "time,time_utc,cpu,pid,tid,header_type,provider,hook_id,id,version,"
                                         "level,opcode,task,keyword,data,name,malformed,status,status_name,fields");
}

/* An unknown AFD event ID: name and fields absent, the rest present. */
static void test_unknown_afd_id(void)
{
    uint8_t data[64];
    etl_event ev;
    char buf[1024];
    export_clock c;

    export_clock_init(&c);
    make_create(&ev, data);
    ev.id = 999;
    ev.data_len = 2;
    export_event_csv(&ev, &c, buf, sizeof buf);
    CHECK_STR(buf, "134129412000000039,2026-01-15T09:00:00.0000039Z,0,1356,1776,event,"
                   "e53c6823-7bb8-44bb-90dc-3f86090d48a6,,999,0,4,10,1000,0x8000000000000006,0000,,false,,,");
    export_event_json(&ev, &c, buf, sizeof buf);
    CHECK(strstr(buf, ",\"data\":\"0000\",\"name\":null,\"malformed\":false,\"status\":null,\"status_name\":null,"
                      "\"fields\":null}") != NULL);
    export_event_text(&ev, &c, buf, sizeof buf);
    CHECK(strstr(buf, "keyword=0x8000000000000006 name=\"?\" data=0000") != NULL);
}

/* A kernel record with neither time nor process nor provider: hook_id present, absent values empty. */
static void test_kernel_record(void)
{
    static const uint8_t data[3] = {0xab, 0x00, 0x7f};
    etl_event ev;
    char buf[512];
    export_clock c;

    export_clock_init(&c);
    memset(&ev, 0, sizeof ev);
    ev.kind = ETL_KIND_PERFINFO;
    ev.cpu = 3;
    ev.hook_id = 0x0a2f;
    ev.version = 2;
    ev.opcode = 0x2f;
    ev.data = data;
    ev.data_len = 3;
    CHECK_U64(export_event_csv(&ev, &c, buf, sizeof buf), 64);
    CHECK_STR(buf, ",,3,,,perfinfo,,0x0a2f,0,2,0,47,0,0x0000000000000000,ab007f,,,,,");
    export_event_json(&ev, &c, buf, sizeof buf);
    CHECK_STR(buf, "{\"time\":null,\"time_utc\":null,\"cpu\":3,\"pid\":null,\"tid\":null,\"header_type\":\"perfinfo\","
                   "\"provider\":null,\"hook_id\":\"0x0a2f\",\"id\":0,\"version\":2,\"level\":0,\"opcode\":47,"
                   "\"task\":0,\"keyword\":\"0x0000000000000000\",\"data\":\"ab007f\"}");
    export_event_text(&ev, &c, buf, sizeof buf);
    CHECK_STR(buf, "- cpu=3 pid=- tid=- perfinfo - hook_id=0x0a2f id=0 version=2 level=0 opcode=47 task=0 "
                   "keyword=0x0000000000000000 data=ab007f");
}

/* The clock keeps the second's text: a later event in another second must not reuse it. */
static void test_clock_seconds(void)
{
    uint8_t data[64];
    etl_event ev;
    char buf[1024];
    export_clock c;

    export_clock_init(&c);
    make_create(&ev, data);
    export_event_csv(&ev, &c, buf, sizeof buf);
    ev.time += 10000000ull * 61 + 5;
    export_event_csv(&ev, &c, buf, sizeof buf);
    CHECK(strncmp(buf, "134129412610000044,2026-01-15T09:01:01.0000044Z,", 48) == 0);
    ev.time -= 1;
    export_event_csv(&ev, &c, buf, sizeof buf);
    CHECK(strncmp(buf, "134129412610000043,2026-01-15T09:01:01.0000043Z,", 48) == 0);
}

static void test_json_string(void)
{
    char buf[64];
    CHECK_U64(export_json_string("a\"b\\c\n\t\r\x01", buf, sizeof buf), 21);
    CHECK_STR(buf, "\"a\\\"b\\\\c\\n\\t\\r\\u0001\"");
    /* invalid UTF-8 (a lone continuation byte, an overlong form) becomes U+FFFD; valid UTF-8 stays */
    export_json_string("x\x80y\xc0\xafz\xc3\xa9", buf, sizeof buf);
    CHECK_STR(buf, "\"x\\ufffdy\\ufffd\\ufffdz\xc3\xa9\"");
    CHECK_U64(export_json_string("abc", buf, 3), 5);
    CHECK_STR(buf, "\"a");
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_afd_event),   CHECK_CASE(test_unknown_afd_id), CHECK_CASE(test_kernel_record),
        CHECK_CASE(test_clock_seconds), CHECK_CASE(test_json_string),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
