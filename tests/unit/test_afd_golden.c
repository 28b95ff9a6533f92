/*
 * test_afd_golden.c - payloads typed by hand from the offset tables of
 * ../shared/reference/winsock-afd-events.md (§5, §6), never produced by the
 * schema table or the encoder, with their decoded values written out as JSON.
 *
 * Each row lists the event IDs that share one manifest template, the pointer
 * size, the payload size the reference gives for that form ("Fixed payload
 * size", or fixed part + AddressLen), the bytes and the expected JSON. Every
 * ID appears in a 64-bit and a 32-bit row; address events in IPv4 and IPv6.
 */
#include "check.h"

#include <wsk/afd.h>

/* Values used throughout (little-endian as stored, except addresses and ports). */
#define P8 "44332211 0080ffff "                   /* Process  0xffff800011223344 */
#define E8 "88776655 00a0ffff "                   /* Endpoint 0xffffa00055667788 */
#define B8 "00a0b4c3 d2010000 "                   /* Buffer   0x1d2c3b4a000 */
#define P4 "33221185 "                            /* Process  0x85112233 */
#define E4 "66554486 "                            /* Endpoint 0x86445566 */
#define B4 "00000b0a "                            /* Buffer   0xa0b0000 */
#define V4 "0a010203 "                            /* 10.1.2.3 */
#define V6 "20010db8 00000000 00000000 00000001 " /* 2001:db8::1 */
/* AddressLen + sockaddr_in 10.1.2.3:443 (16 bytes) */
#define SA4                                                                                                  \
    "10000000 "                                                                                              \
    "0200 01bb 0a010203 00000000 00000000 "
/* AddressLen + sockaddr_in6 [2001:db8::1%5]:443 (28 bytes) */
#define SA6                                                                                                  \
    "1c000000 "                                                                                              \
    "1700 01bb 00000000 20010db8 00000000 00000000 00000001 05000000 "
/* EnterExit 1, Location 3073 */
#define PRE8 "01000000 010c0000 " P8 E8
#define PRE4 "01000000 010c0000 " P4 E4

#define JP8 "\"Process\":\"0xffff800011223344\""
#define JE8 "\"Endpoint\":\"0xffffa00055667788\""
#define JB8 "\"Buffer\":\"0x1d2c3b4a000\""
#define JP4 "\"Process\":\"0x85112233\""
#define JE4 "\"Endpoint\":\"0x86445566\""
#define JB4 "\"Buffer\":\"0xa0b0000\""
#define JV4 "\"Address\":\"10.1.2.3\""
#define JV6 "\"Address\":\"2001:db8::1\""
#define JSA4 "\"AddressLen\":16,\"Address\":\"10.1.2.3:443\""
#define JSA6 "\"AddressLen\":28,\"Address\":\"[2001:db8::1%5]:443\""
#define JPRE8 "\"EnterExit\":1,\"Location\":3073," JP8 "," JE8
#define JPRE4 "\"EnterExit\":1,\"Location\":3073," JP4 "," JE4

/* RIO pointers: 0xffffc000000N1000 (x64), 0x800N1000 (x86) */
#define Q1 "00100000 00c0ffff "
#define Q2 "00100100 00c0ffff "
#define Q3 "00100200 00c0ffff "
#define Q4 "00100300 00c0ffff "
#define Q5 "00100400 00c0ffff "
#define D1 "00100080 "
#define D2 "00100180 "
#define D3 "00100280 "
#define D4 "00100380 "
#define D5 "00100480 "
#define JQ1 "\"0xffffc00000001000\""
#define JQ2 "\"0xffffc00000011000\""
#define JQ3 "\"0xffffc00000021000\""
#define JQ4 "\"0xffffc00000031000\""
#define JQ5 "\"0xffffc00000041000\""
#define JD1 "\"0x80001000\""
#define JD2 "\"0x80011000\""
#define JD3 "\"0x80021000\""
#define JD4 "\"0x80031000\""
#define JD5 "\"0x80041000\""

typedef struct golden {
    uint16_t ids[12]; /* 0-terminated */
    unsigned ptr;
    unsigned len; /* from the reference */
    const char *hex;
    const char *json;
} golden;

static const golden rows[] = {
    /* ---- 1-41 ---- */
    {{1},
     8,
     36,
     P8 E8 "02000000 01000000 06000000 34120000 00000000",
     "{" JP8 "," JE8 ",\"AddressFamily\":2,\"SocketType\":1,\"Protocol\":6,\"UserModePid\":\"0x1234\"}"},
    {{1},
     4,
     24,
     P4 E4 "17000000 02000000 11000000 34120000",
     "{" JP4 "," JE4 ",\"AddressFamily\":23,\"SocketType\":2,\"Protocol\":17,\"UserModePid\":\"0x1234\"}"},
    {{2}, 8, 26, P8 E8 V4 "c350 00000000", "{" JP8 "," JE8 "," JV4 ",\"Port\":50000,\"Status\":0}"},
    {{2}, 4, 18, P4 E4 V4 "c350 00000000", "{" JP4 "," JE4 "," JV4 ",\"Port\":50000,\"Status\":0}"},
    {{3}, 8, 38, P8 E8 V6 "c350 0a0200c0", "{" JP8 "," JE8 "," JV6 ",\"Port\":50000,\"Status\":3221225994}"},
    {{3}, 4, 30, P4 E4 V6 "c350 0a0200c0", "{" JP4 "," JE4 "," JV6 ",\"Port\":50000,\"Status\":3221225994}"},
    {{4}, 8, 22, P8 E8 V4 "01bb", "{" JP8 "," JE8 "," JV4 ",\"Port\":443}"},
    {{4}, 4, 14, P4 E4 V4 "01bb", "{" JP4 "," JE4 "," JV4 ",\"Port\":443}"},
    {{5}, 8, 34, P8 E8 V6 "01bb", "{" JP8 "," JE8 "," JV6 ",\"Port\":443}"},
    {{5}, 4, 26, P4 E4 V6 "01bb", "{" JP4 "," JE4 "," JV6 ",\"Port\":443}"},
    {{6, 9, 10, 11, 12, 13, 14, 17, 31, 40},
     8,
     20,
     P8 E8 "360200c0",
     "{" JP8 "," JE8 ",\"Error\":3221226038}"},
    {{6, 9, 10, 11, 12, 13, 14, 17, 31, 40},
     4,
     12,
     P4 E4 "360200c0",
     "{" JP4 "," JE4 ",\"Error\":3221226038}"},
    {{7, 8}, 8, 20, P8 E8 "feffffff", "{" JP8 "," JE8 ",\"Reason\":-2}"},
    {{7, 8}, 4, 12, P4 E4 "04000000", "{" JP4 "," JE4 ",\"Reason\":4}"},
    {{15}, 8, 26, P8 E8 V4 "01bb 00000000", "{" JP8 "," JE8 "," JV4 ",\"Port\":443,\"Status\":0}"},
    {{15}, 4, 18, P4 E4 V4 "01bb 00000000", "{" JP4 "," JE4 "," JV4 ",\"Port\":443,\"Status\":0}"},
    {{16}, 8, 38, P8 E8 V6 "01bb 00000000", "{" JP8 "," JE8 "," JV6 ",\"Port\":443,\"Status\":0}"},
    {{16}, 4, 30, P4 E4 V6 "01bb 00000000", "{" JP4 "," JE4 "," JV6 ",\"Port\":443,\"Status\":0}"},
    {{18, 19, 20},
     8,
     36,
     P8 E8 "01000000 02000000" B8 "00100000",
     "{" JP8 "," JE8 ",\"FastPath\":true,\"BufferCount\":2," JB8 ",\"BufferLength\":4096}"},
    {{18, 19, 20},
     4,
     24,
     P4 E4 "00000000 01000000" B4 "b4050000",
     "{" JP4 "," JE4 ",\"FastPath\":false,\"BufferCount\":1," JB4 ",\"BufferLength\":1460}"},
    {{21},
     8,
     42,
     P8 E8 "01000000 02000000" B8 "00100000" V4 "0035",
     "{" JP8 "," JE8 ",\"FastPath\":true,\"BufferCount\":2," JB8 ",\"BufferLength\":4096," JV4
     ",\"Port\":53}"},
    {{21},
     4,
     30,
     P4 E4 "01000000 02000000" B4 "00100000" V4 "0035",
     "{" JP4 "," JE4 ",\"FastPath\":true,\"BufferCount\":2," JB4 ",\"BufferLength\":4096," JV4
     ",\"Port\":53}"},
    {{22},
     8,
     54,
     P8 E8 "01000000 02000000" B8 "00100000" V6 "0035",
     "{" JP8 "," JE8 ",\"FastPath\":true,\"BufferCount\":2," JB8 ",\"BufferLength\":4096," JV6
     ",\"Port\":53}"},
    {{22},
     4,
     42,
     P4 E4 "01000000 02000000" B4 "00100000" V6 "0035",
     "{" JP4 "," JE4 ",\"FastPath\":true,\"BufferCount\":2," JB4 ",\"BufferLength\":4096," JV6
     ",\"Port\":53}"},
    {{23, 24, 25, 28}, 8, 28, P8 E8 B8 "b4050000", "{" JP8 "," JE8 "," JB8 ",\"BufferLength\":1460}"},
    {{23, 24, 25, 28}, 4, 16, P4 E4 B4 "b4050000", "{" JP4 "," JE4 "," JB4 ",\"BufferLength\":1460}"},
    {{26},
     8,
     38,
     P8 E8 "01000000" B8 "00020000" V4 "0035",
     "{" JP8 "," JE8 ",\"BufferCount\":1," JB8 ",\"BufferLength\":512," JV4 ",\"Port\":53}"},
    {{26},
     4,
     26,
     P4 E4 "01000000" B4 "00020000" V4 "0035",
     "{" JP4 "," JE4 ",\"BufferCount\":1," JB4 ",\"BufferLength\":512," JV4 ",\"Port\":53}"},
    {{27},
     8,
     50,
     P8 E8 "01000000" B8 "00020000" V6 "0035",
     "{" JP8 "," JE8 ",\"BufferCount\":1," JB8 ",\"BufferLength\":512," JV6 ",\"Port\":53}"},
    {{27},
     4,
     38,
     P4 E4 "01000000" B4 "00020000" V6 "0035",
     "{" JP4 "," JE4 ",\"BufferCount\":1," JB4 ",\"BufferLength\":512," JV6 ",\"Port\":53}"},
    {{29}, 8, 24, P8 E8 "06000000 00000100", "{" JP8 "," JE8 ",\"Option\":6,\"Value\":65536}"},
    {{29}, 4, 16, P4 E4 "0b000000 01000000", "{" JP4 "," JE4 ",\"Option\":11,\"Value\":1}"},
    {{30}, 8, 16, P8 "03000000 ffffffff", "{" JP8 ",\"HandleCount\":3,\"Timeout\":-1}"},
    {{30}, 4, 12, P4 "40000000 e8030000", "{" JP4 ",\"HandleCount\":64,\"Timeout\":1000}"},
    {{32}, 8, 20, P8 E8 "23000000", "{" JP8 "," JE8 ",\"EventMask\":35}"},
    {{32}, 4, 12, P4 E4 "23000000", "{" JP4 "," JE4 ",\"EventMask\":35}"},
    {{33},
     8,
     30,
     P8 E8 "c0050000" V4 "0035 02000000",
     "{" JP8 "," JE8 ",\"PacketSize\":1472," JV4 ",\"Port\":53,\"Reason\":2}"},
    {{33},
     4,
     22,
     P4 E4 "c0050000" V4 "0035 02000000",
     "{" JP4 "," JE4 ",\"PacketSize\":1472," JV4 ",\"Port\":53,\"Reason\":2}"},
    {{34},
     8,
     42,
     P8 E8 "c0050000" V6 "0035 01000000",
     "{" JP8 "," JE8 ",\"PacketSize\":1472," JV6 ",\"Port\":53,\"Reason\":1}"},
    {{34},
     4,
     34,
     P4 E4 "c0050000" V6 "0035 01000000",
     "{" JP4 "," JE4 ",\"PacketSize\":1472," JV6 ",\"Port\":53,\"Reason\":1}"},
    {{35},
     8,
     22,
     P8 E8 V4 "d431",
     "{" JP8 ",\"ListenEndpoint\":\"0xffffa00055667788\"," JV4 ",\"Port\":54321}"},
    {{35}, 4, 14, P4 E4 V4 "d431", "{" JP4 ",\"ListenEndpoint\":\"0x86445566\"," JV4 ",\"Port\":54321}"},
    {{36},
     8,
     34,
     P8 E8 V6 "d431",
     "{" JP8 ",\"ListenEndpoint\":\"0xffffa00055667788\"," JV6 ",\"Port\":54321}"},
    {{36}, 4, 26, P4 E4 V6 "d431", "{" JP4 ",\"ListenEndpoint\":\"0x86445566\"," JV6 ",\"Port\":54321}"},
    {{37}, 8, 20, P8 E8 "b4050000", "{" JP8 "," JE8 ",\"BytesIndicated\":1460}"},
    {{37}, 4, 12, P4 E4 "b4050000", "{" JP4 "," JE4 ",\"BytesIndicated\":1460}"},
    {{38}, 8, 26, P8 E8 V4 "01bb 00040000", "{" JP8 "," JE8 "," JV4 ",\"Port\":443,\"BytesIndicated\":1024}"},
    {{38}, 4, 18, P4 E4 V4 "01bb 00040000", "{" JP4 "," JE4 "," JV4 ",\"Port\":443,\"BytesIndicated\":1024}"},
    {{39}, 8, 38, P8 E8 V6 "01bb 00040000", "{" JP8 "," JE8 "," JV6 ",\"Port\":443,\"BytesIndicated\":1024}"},
    {{39}, 4, 30, P4 E4 V6 "01bb 00040000", "{" JP4 "," JE4 "," JV6 ",\"Port\":443,\"BytesIndicated\":1024}"},
    {{41}, 8, 16, P8 E8, "{" JP8 "," JE8 "}"},
    {{41}, 4, 8, P4 E4, "{" JP4 "," JE4 "}"},

    /* ---- 1000 / 3000 series ---- */
    {{1000},
     8,
     48,
     PRE8 "17000000 01000000 06000000 34120000 00000000 00000000",
     "{" JPRE8
     ",\"AddressFamily\":23,\"SocketType\":1,\"Protocol\":6,\"ProcessId\":\"0x1234\",\"Status\":0}"},
    {{1000},
     4,
     36,
     PRE4 "02000000 02000000 11000000 34120000 9a0000c0",
     "{" JPRE4
     ",\"AddressFamily\":2,\"SocketType\":2,\"Protocol\":17,\"ProcessId\":\"0x1234\",\"Status\":3221225626}"},
    {{1001, 1002, 1017, 1020, 1023, 1026, 1029, 1036, 3000, 3006},
     8,
     28,
     PRE8 "03010000",
     "{" JPRE8 ",\"Status\":259}"},
    {{1001, 1002, 1017, 1020, 1023, 1026, 1029, 1036, 3000, 3006},
     4,
     20,
     PRE4 "360200c0",
     "{" JPRE4 ",\"Status\":3221226038}"},
    {{1003, 1004, 1005, 1006, 1011, 1012},
     8,
     44,
     PRE8 "01000000" B8 "b4050000 00000000",
     "{" JPRE8 ",\"BufferCount\":1," JB8 ",\"BufferLength\":1460,\"Status\":0}"},
    {{1003, 1004, 1005, 1006, 1011, 1012},
     4,
     32,
     PRE4 "03000000" B4 "00000100 0d0200c0",
     "{" JPRE4 ",\"BufferCount\":3," JB4 ",\"BufferLength\":65536,\"Status\":3221225997}"},
    {{1007, 1009, 1013, 1015},
     8,
     44 + 4 + 16,
     PRE8 "01000000" B8 "00020000 00000000" SA4,
     "{" JPRE8 ",\"BufferCount\":1," JB8 ",\"BufferLength\":512,\"Status\":0," JSA4 "}"},
    {{1007, 1009, 1013, 1015},
     8,
     44 + 4 + 28,
     PRE8 "01000000" B8 "00020000 00000000" SA6,
     "{" JPRE8 ",\"BufferCount\":1," JB8 ",\"BufferLength\":512,\"Status\":0," JSA6 "}"},
    {{1007, 1009, 1013, 1015},
     4,
     32 + 4 + 16,
     PRE4 "01000000" B4 "00020000 00000000" SA4,
     "{" JPRE4 ",\"BufferCount\":1," JB4 ",\"BufferLength\":512,\"Status\":0," JSA4 "}"},
    {{1007, 1009, 1013, 1015},
     4,
     32 + 4 + 28,
     PRE4 "01000000" B4 "00020000 00000000" SA6,
     "{" JPRE4 ",\"BufferCount\":1," JB4 ",\"BufferLength\":512,\"Status\":0," JSA6 "}"},
    {{1018, 1021},
     8,
     44 + 16,
     PRE8 B8 "00000000 360200c0" SA4,
     "{" JPRE8 "," JB8 ",\"BufferLength\":0,\"Status\":3221226038," JSA4 "}"},
    {{1018, 1021},
     4,
     32 + 28,
     PRE4 B4 "00000000 b50000c0" SA6,
     "{" JPRE4 "," JB4 ",\"BufferLength\":0,\"Status\":3221225653," JSA6 "}"},
    {{1024, 1027},
     8,
     44 + 16 + 12,
     PRE8 B8 "00000000 00000000" SA4 "00bbccdd 00a0ffff 05000000",
     "{" JPRE8 "," JB8 ",\"BufferLength\":0,\"Status\":0," JSA4
     ",\"AcceptEndpoint\":\"0xffffa000ddccbb00\",\"CurrentBacklog\":5}"},
    {{1024, 1027},
     8,
     44 + 28 + 12,
     PRE8 B8 "00000000 00000000" SA6 "00bbccdd 00a0ffff 05000000",
     "{" JPRE8 "," JB8 ",\"BufferLength\":0,\"Status\":0," JSA6
     ",\"AcceptEndpoint\":\"0xffffa000ddccbb00\",\"CurrentBacklog\":5}"},
    {{1024, 1027},
     4,
     32 + 16 + 8,
     PRE4 B4 "00000000 00000000" SA4 "00bbcc86 00000000",
     "{" JPRE4 "," JB4 ",\"BufferLength\":0,\"Status\":0," JSA4
     ",\"AcceptEndpoint\":\"0x86ccbb00\",\"CurrentBacklog\":0}"},
    {{1024, 1027},
     4,
     32 + 28 + 8,
     PRE4 B4 "00000000 00000000" SA6 "00bbcc86 00000000",
     "{" JPRE4 "," JB4 ",\"BufferLength\":0,\"Status\":0," JSA6
     ",\"AcceptEndpoint\":\"0x86ccbb00\",\"CurrentBacklog\":0}"},
    {{1030}, 8, 32 + 16, PRE8 "00000000" SA4, "{" JPRE8 ",\"Status\":0," JSA4 "}"},
    {{1030}, 4, 24 + 28, PRE4 "0a0200c0" SA6, "{" JPRE4 ",\"Status\":3221225994," JSA6 "}"},
    {{1032}, 8, 28, PRE8 "02000000", "{" JPRE8 ",\"Reason\":2}"},
    {{1032}, 4, 20, PRE4 "0e000000", "{" JPRE4 ",\"Reason\":14}"},
    {{1033},
     8,
     40 + 16 + 4,
     PRE8 B8 "c0050000" SA4 "02000000",
     "{" JPRE8 "," JB8 ",\"BufferLength\":1472," JSA4 ",\"Reason\":2}"},
    {{1033},
     4,
     28 + 28 + 4,
     PRE4 B4 "c0050000" SA6 "01000000",
     "{" JPRE4 "," JB4 ",\"BufferLength\":1472," JSA6 ",\"Reason\":1}"},
    {{1035},
     8,
     36,
     PRE8 "07000000 00000100 00000000",
     "{" JPRE8 ",\"Option\":7,\"Value\":65536,\"Status\":0}"},
    {{1035}, 4, 28, PRE4 "02000000 01000000 00000000", "{" JPRE4 ",\"Option\":2,\"Value\":1,\"Status\":0}"},
    {{1037}, 8, 32, PRE8 "c8000000 00000000", "{" JPRE8 ",\"Backlog\":200,\"Status\":0}"},
    {{1037}, 4, 24, PRE4 "ffffff7f 00000000", "{" JPRE4 ",\"Backlog\":2147483647,\"Status\":0}"},
    {{3001},
     8,
     32 + 16 + 4,
     PRE8 "00000000" SA4 "03000000",
     "{" JPRE8 ",\"Status\":0," JSA4 ",\"CurrentBacklog\":3}"},
    {{3001},
     4,
     24 + 28 + 4,
     PRE4 "00000000" SA6 "03000000",
     "{" JPRE4 ",\"Status\":0," JSA6 ",\"CurrentBacklog\":3}"},
    {{3003}, 8, 36, PRE8 B8 "b4050000", "{" JPRE8 "," JB8 ",\"BufferLength\":1460}"},
    {{3003}, 4, 24, PRE4 B4 "b4050000", "{" JPRE4 "," JB4 ",\"BufferLength\":1460}"},
    {{3004}, 8, 40 + 16, PRE8 B8 "00020000" SA4, "{" JPRE8 "," JB8 ",\"BufferLength\":512," JSA4 "}"},
    {{3004}, 4, 28 + 28, PRE4 B4 "00020000" SA6, "{" JPRE4 "," JB4 ",\"BufferLength\":512," JSA6 "}"},
    {{3007}, 8, 28, PRE8 "00000100", "{" JPRE8 ",\"SendBacklog\":65536}"},
    {{3007}, 4, 20, PRE4 "00000200", "{" JPRE4 ",\"SendBacklog\":131072}"},

    /* ---- 4000 series ---- */
    {{4000}, 8, 12, Q1 "00000000", "{\"RegistrationDomain\":" JQ1 ",\"Status\":0}"},
    {{4000}, 4, 8, D1 "9a0000c0", "{\"RegistrationDomain\":" JD1 ",\"Status\":3221225626}"},
    {{4001}, 8, 8, Q1, "{\"RegistrationDomain\":" JQ1 "}"},
    {{4001}, 4, 4, D1, "{\"RegistrationDomain\":" JD1 "}"},
    {{4002},
     8,
     84,
     Q2 Q1 "00040000" Q3 Q4 "00800000 01000000 02000000" Q5 Q1 Q2 Q3 "00000000",
     "{\"Cq\":" JQ2 ",\"RegistrationDomain\":" JQ1 ",\"EntryCount\":1024,\"UserAddress\":" JQ3
     ",\"SystemAddress\":" JQ4
     ",\"BufferSize\":32768,\"CqIndex\":1,\"NotificationType\":2,\"NotificationHandle\":" JQ5
     ",\"NotificationObject\":" JQ1 ",\"NotificationContext1\":" JQ2 ",\"NotificationContext2\":" JQ3
     ",\"Status\":0}"},
    {{4002},
     4,
     52,
     D2 D1 "00040000" D3 D4 "00800000 01000000 01000000" D5 D1 D2 D3 "00000000",
     "{\"Cq\":" JD2 ",\"RegistrationDomain\":" JD1 ",\"EntryCount\":1024,\"UserAddress\":" JD3
     ",\"SystemAddress\":" JD4
     ",\"BufferSize\":32768,\"CqIndex\":1,\"NotificationType\":1,\"NotificationHandle\":" JD5
     ",\"NotificationObject\":" JD1 ",\"NotificationContext1\":" JD2 ",\"NotificationContext2\":" JD3
     ",\"Status\":0}"},
    {{4003}, 8, 12, Q2 "01000000", "{\"Cq\":" JQ2 ",\"Commit\":1}"},
    {{4003}, 4, 8, D2 "01000000", "{\"Cq\":" JD2 ",\"Commit\":1}"},
    {{4004}, 8, 8, Q2, "{\"Cq\":" JQ2 "}"},
    {{4004}, 4, 4, D2, "{\"Cq\":" JD2 "}"},
    {{4005},
     8,
     52,
     Q2 "00040000 01000000 02000000 03000000 00080000" Q3 Q4 "00000100 00000000",
     "{\"Cq\":" JQ2 ",\"OriginalEntryCount\":1024,\"OriginalStart\":1,\"OriginalEnd\":2,\"Commit\":3,"
     "\"RequestedEntryCount\":2048,\"UserAddress\":" JQ3 ",\"SystemAddress\":" JQ4
     ",\"BufferSize\":65536,\"Status\":0}"},
    {{4005},
     4,
     40,
     D2 "00040000 01000000 02000000 03000000 00080000" D3 D4 "00000100 00000000",
     "{\"Cq\":" JD2 ",\"OriginalEntryCount\":1024,\"OriginalStart\":1,\"OriginalEnd\":2,\"Commit\":3,"
     "\"RequestedEntryCount\":2048,\"UserAddress\":" JD3 ",\"SystemAddress\":" JD4
     ",\"BufferSize\":65536,\"Status\":0}"},
    {{4006},
     8,
     84,
     E8 Q4 Q1 "10000000" Q2 Q3 "00010000 20000000" Q4 Q5 "00020000 01000000 02000000 00000000",
     "{" JE8 ",\"RioState\":" JQ4 ",\"RegistrationDomain\":" JQ1
     ",\"SendEntryCount\":16,\"SendUserAddress\":" JQ2 ",\"SendSystemAddress\":" JQ3
     ",\"SendBufferSize\":256,\"ReceiveEntryCount\":32,\"ReceiveUserAddress\":" JQ4
     ",\"ReceiveSystemAddress\":" JQ5
     ",\"ReceiveBufferSize\":512,\"SendCqIndex\":1,\"ReceiveCqIndex\":2,\"Status\":0}"},
    {{4006},
     4,
     56,
     E4 D4 D1 "10000000" D2 D3 "00010000 20000000" D4 D5 "00020000 01000000 02000000 00000000",
     "{" JE4 ",\"RioState\":" JD4 ",\"RegistrationDomain\":" JD1
     ",\"SendEntryCount\":16,\"SendUserAddress\":" JD2 ",\"SendSystemAddress\":" JD3
     ",\"SendBufferSize\":256,\"ReceiveEntryCount\":32,\"ReceiveUserAddress\":" JD4
     ",\"ReceiveSystemAddress\":" JD5
     ",\"ReceiveBufferSize\":512,\"SendCqIndex\":1,\"ReceiveCqIndex\":2,\"Status\":0}"},
    {{4007},
     8,
     24,
     Q4 "01000000 02000000 03000000 04000000",
     "{\"RioState\":" JQ4
     ",\"ReceiveQueueStart\":1,\"ReceiveQueueEnd\":2,\"SendQueueStart\":3,\"SendQueueEnd\":4}"},
    {{4007},
     4,
     20,
     D4 "01000000 02000000 03000000 04000000",
     "{\"RioState\":" JD4
     ",\"ReceiveQueueStart\":1,\"ReceiveQueueEnd\":2,\"SendQueueStart\":3,\"SendQueueEnd\":4}"},
    {{4008}, 8, 8, Q4, "{\"RioState\":" JQ4 "}"},
    {{4008}, 4, 4, D4, "{\"RioState\":" JD4 "}"},
    {{4009},
     8,
     84,
     Q4 "01000000 02000000 03000000 04000000" Q1 Q2 "05000000 06000000 07000000 08000000 09000000" Q3 Q5
        "0a000000 00000000",
     "{\"RioState\":" JQ4
     ",\"OriginalSendEntryCount\":1,\"OriginalSendQueueStart\":2,\"OriginalSendQueueEnd\":3,"
     "\"RequestedSendEntryCount\":4,\"SendUserAddress\":" JQ1 ",\"SendSystemAddress\":" JQ2
     ",\"SendBufferSize\":5,"
     "\"OriginalReceiveEntryCount\":6,\"OriginalReceiveQueueStart\":7,\"OriginalReceiveQueueEnd\":8,"
     "\"RequestedReceiveEntryCount\":9,\"ReceiveUserAddress\":" JQ3 ",\"ReceiveSystemAddress\":" JQ5
     ",\"ReceiveBufferSize\":10,\"Status\":0}"},
    {{4009},
     4,
     64,
     D4 "01000000 02000000 03000000 04000000" D1 D2 "05000000 06000000 07000000 08000000 09000000" D3 D5
        "0a000000 00000000",
     "{\"RioState\":" JD4
     ",\"OriginalSendEntryCount\":1,\"OriginalSendQueueStart\":2,\"OriginalSendQueueEnd\":3,"
     "\"RequestedSendEntryCount\":4,\"SendUserAddress\":" JD1 ",\"SendSystemAddress\":" JD2
     ",\"SendBufferSize\":5,"
     "\"OriginalReceiveEntryCount\":6,\"OriginalReceiveQueueStart\":7,\"OriginalReceiveQueueEnd\":8,"
     "\"RequestedReceiveEntryCount\":9,\"ReceiveUserAddress\":" JD3 ",\"ReceiveSystemAddress\":" JD5
     ",\"ReceiveBufferSize\":10,\"Status\":0}"},
    {{4010},
     8,
     44,
     Q3 Q1 Q4 Q5 "00100000 07000000 00000000",
     "{\"Buffer\":" JQ3 ",\"RegistrationDomain\":" JQ1 ",\"UserAddress\":" JQ4 ",\"SystemAddress\":" JQ5
     ",\"BufferSize\":4096,\"BufferId\":7,\"Status\":0}"},
    {{4010},
     4,
     28,
     D3 D1 D4 D5 "00100000 07000000 00000000",
     "{\"Buffer\":" JD3 ",\"RegistrationDomain\":" JD1 ",\"UserAddress\":" JD4 ",\"SystemAddress\":" JD5
     ",\"BufferSize\":4096,\"BufferId\":7,\"Status\":0}"},
    {{4011}, 8, 12, Q3 "02000000", "{\"Buffer\":" JQ3 ",\"References\":2}"},
    {{4011}, 4, 8, D3 "02000000", "{\"Buffer\":" JD3 ",\"References\":2}"},
    {{4012}, 8, 8, Q3, "{\"Buffer\":" JQ3 "}"},
    {{4012}, 4, 4, D3, "{\"Buffer\":" JD3 "}"},
    {{4013},
     8,
     20,
     Q1 Q4 "63000000",
     "{\"RegistrationDomain\":" JQ1 ",\"RioState\":" JQ4 ",\"BufferId\":99}"},
    {{4013},
     4,
     12,
     D1 D4 "63000000",
     "{\"RegistrationDomain\":" JD1 ",\"RioState\":" JD4 ",\"BufferId\":99}"},
    {{4014},
     8,
     32,
     Q1 Q4 Q3 "00010000 00200000",
     "{\"RegistrationDomain\":" JQ1 ",\"RioState\":" JQ4 ",\"Buffer\":" JQ3
     ",\"BufferOffset\":256,\"BufferLength\":8192}"},
    {{4014},
     4,
     20,
     D1 D4 D3 "00010000 00200000",
     "{\"RegistrationDomain\":" JD1 ",\"RioState\":" JD4 ",\"Buffer\":" JD3
     ",\"BufferOffset\":256,\"BufferLength\":8192}"},
    {{4015},
     8,
     20,
     Q4 "01000000 10000000 20000000",
     "{\"RioState\":" JQ4 ",\"BufferType\":1,\"SpecifiedLength\":16,\"RequiredLength\":32}"},
    {{4015},
     4,
     16,
     D4 "01000000 10000000 20000000",
     "{\"RioState\":" JD4 ",\"BufferType\":1,\"SpecifiedLength\":16,\"RequiredLength\":32}"},
    {{4016}, 8, 20, Q5 P8 "00000000", "{\"NameResolutionHandle\":" JQ5 "," JP8 ",\"Status\":0}"},
    {{4016}, 4, 12, D5 P4 "00000000", "{\"NameResolutionHandle\":" JD5 "," JP4 ",\"Status\":0}"},
    {{4017}, 8, 16, Q5 P8, "{\"NameResolutionHandle\":" JQ5 "," JP8 "}"},
    {{4017}, 4, 8, D5 P4, "{\"NameResolutionHandle\":" JD5 "," JP4 "}"},
    {{4018},
     8,
     36,
     "00000000 11000000" P8 Q1 Q2 "00000000",
     "{\"EnterExit\":0,\"Location\":17," JP8 ",\"RegDomain\":" JQ1 ",\"Cq\":" JQ2 ",\"Status\":0}"},
    {{4018},
     4,
     24,
     "01000000 11000000" P4 D1 D2 "03010000",
     "{\"EnterExit\":1,\"Location\":17," JP4 ",\"RegDomain\":" JD1 ",\"Cq\":" JD2 ",\"Status\":259}"},
    {{4019},
     8,
     29,
     "02000000 2a000000" P8 E8 "01 faffffff",
     "{\"EnterExit\":2,\"Location\":42," JP8 "," JE8 ",\"PauseUnPause\":1,\"TLBacklogCount\":-6}"},
    {{4019},
     4,
     21,
     "02000000 2a000000" P4 E4 "00 0a000000",
     "{\"EnterExit\":2,\"Location\":42," JP4 "," JE4 ",\"PauseUnPause\":0,\"TLBacklogCount\":10}"},
    {{4020},
     8,
     24,
     Q1 Q4 "07000000 02000000",
     "{\"RegistrationDomain\":" JQ1 ",\"RioState\":" JQ4 ",\"BufferId\":7,\"BufferSharingType\":2}"},
    {{4020},
     4,
     16,
     D1 D4 "07000000 02000000",
     "{\"RegistrationDomain\":" JD1 ",\"RioState\":" JD4 ",\"BufferId\":7,\"BufferSharingType\":2}"},
};

/* Hex digits, spaces ignored. Returns the byte count. */
static size_t unhex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *s; s++) {
        int d;
        if (*s == ' ')
            continue;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (*s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else {
            check_failures++;
            fprintf(stderr, "bad hex char '%c'\n", *s);
            d = 0;
        }
        if (hi < 0) {
            hi = d;
        } else {
            if (n < cap)
                out[n] = (uint8_t)(hi << 4 | d);
            n++;
            hi = -1;
        }
    }
    if (hi >= 0) {
        check_failures++;
        fprintf(stderr, "odd hex digit count in %s\n", s);
    }
    return n;
}

static void test_golden_rows(void)
{
    for (size_t r = 0; r < CHECK_COUNT(rows); r++) {
        const golden *g = &rows[r];
        uint8_t buf[256];
        size_t n = unhex(g->hex, buf, sizeof buf);
        if (n != g->len) {
            check_failures++;
            fprintf(stderr, "row %zu (id %u, %u-bit): typed %zu bytes, the reference says %u\n", r, g->ids[0],
                    g->ptr * 8, n, g->len);
            continue;
        }
        for (size_t k = 0; k < CHECK_COUNT(g->ids) && g->ids[k]; k++) {
            const afd_event_schema *s = afd_schema_find(g->ids[k], 0);
            afd_fields f;
            char json[2048];
            if (!s) {
                check_failures++;
                fprintf(stderr, "id %u missing from the table\n", g->ids[k]);
                continue;
            }
            CHECK(afd_decode(s, buf, (uint32_t)n, g->ptr, &f) == 0);
            afd_format_json(&f, json, sizeof json);
            if (f.malformed || f.count != s->nfields || strcmp(json, g->json) != 0) {
                check_failures++;
                fprintf(stderr, "id %u %u-bit: malformed=%u count=%u/%u\n  got      %s\n  expected %s\n",
                        g->ids[k], g->ptr * 8, f.malformed, f.count, s->nfields, json, g->json);
            }
        }
    }
}

/* Every ID of the table is covered by a 64-bit and a 32-bit row. */
static void test_every_id_covered(void)
{
    for (size_t i = 0; i < afd_schema_count(); i++) {
        const afd_event_schema *s = afd_schema_at(i);
        int seen[2] = {0, 0};
        for (size_t r = 0; r < CHECK_COUNT(rows); r++)
            for (size_t k = 0; k < CHECK_COUNT(rows[r].ids) && rows[r].ids[k]; k++)
                if (rows[r].ids[k] == s->id)
                    seen[rows[r].ptr == 8] = 1;
        if (!seen[0] || !seen[1]) {
            check_failures++;
            fprintf(stderr, "id %u lacks a golden row (32-bit %d, 64-bit %d)\n", s->id, seen[0], seen[1]);
        }
    }
    CHECK_U64(afd_schema_count(), 96);
}

/* Text of selected rows: value maps, NTSTATUS names, addresses with ports. */
static void test_details(void)
{
    static const struct {
        uint16_t id;
        unsigned ptr;
        const char *hex;
        const char *details;
    } cases[] = {
        {1, 4, P4 E4 "17000000 01000000 06000000 34120000",
         "Process=0x85112233 Endpoint=0x86445566 AddressFamily=AF_INET6 (23) SocketType=SOCK_STREAM (1) "
         "Protocol=IPPROTO_TCP (6) UserModePid=0x1234"},
        {2, 4, P4 E4 V4 "c350 0a0200c0",
         "Process=0x85112233 Endpoint=0x86445566 Address=10.1.2.3 Port=50000 "
         "Status=STATUS_ADDRESS_ALREADY_EXISTS"},
        {1018, 4, PRE4 B4 "00000000 360200c0" SA6,
         "EnterExit=completion (1) Location=3073 Process=0x85112233 Endpoint=0x86445566 Buffer=0xa0b0000 "
         "BufferLength=0 Status=STATUS_CONNECTION_REFUSED AddressLen=28 Address=[2001:db8::1%5]:443"},
        {1032, 4, "02000000 401f0000" P4 E4 "02000000",
         "EnterExit=AFD action (2) Location=8000 Process=0x85112233 Endpoint=0x86445566 "
         "Reason=Abortive disconnect requested on endpoint (2)"},
        {1033, 4, PRE4 B4 "c0050000" SA4 "04000000",
         "EnterExit=completion (1) Location=3073 Process=0x85112233 Endpoint=0x86445566 Buffer=0xa0b0000 "
         "BufferLength=1472 AddressLen=16 Address=10.1.2.3:443 "
         "Reason=Insufficient local buffer space - circular queueing enabled (4)"},
        {1035, 4, PRE4 "0d000000 01000000 00000000",
         "EnterExit=completion (1) Location=3073 Process=0x85112233 Endpoint=0x86445566 "
         "Option=AFD_IPV6_V6ONLY (0xd) Value=0x1 Status=STATUS_SUCCESS"},
        {4002, 4, D2 D1 "00040000" D3 D4 "00800000 01000000 02000000" D5 D1 D2 D3 "ffff00c0",
         "Cq=0x80011000 RegistrationDomain=0x80001000 EntryCount=1024 UserAddress=0x80021000 "
         "SystemAddress=0x80031000 BufferSize=32768 CqIndex=1 NotificationType=IOCP (2) "
         "NotificationHandle=0x80041000 "
         "NotificationObject=0x80001000 NotificationContext1=0x80011000 NotificationContext2=0x80021000 "
         "Status=0xc000ffff"},
        {18, 4, P4 E4 "01000000 02000000" B4 "00100000",
         "Process=0x85112233 Endpoint=0x86445566 FastPath=true BufferCount=2 Buffer=0xa0b0000 "
         "BufferLength=4096"},
    };
    for (size_t i = 0; i < CHECK_COUNT(cases); i++) {
        uint8_t buf[256];
        size_t n = unhex(cases[i].hex, buf, sizeof buf);
        afd_fields f;
        char text[1024];
        CHECK(afd_decode(afd_schema_find(cases[i].id, 0), buf, (uint32_t)n, cases[i].ptr, &f) == 0);
        CHECK_U64(f.malformed, 0);
        afd_format_details(&f, text, sizeof text);
        CHECK_STR(text, cases[i].details);
    }
}

/* The typed fields the socket model reads, from hand-typed payloads. */
static void test_roles(void)
{
    uint8_t buf[256];
    afd_fields f;
    size_t n = unhex(PRE8 B8 "00000000 00000000" SA6 "00bbccdd 00a0ffff 05000000", buf, sizeof buf);
    CHECK(afd_decode(afd_schema_find(1027, 0), buf, (uint32_t)n, 8, &f) == 0);
    CHECK_U64(afd_get(&f, AFD_ROLE_ENDPOINT, 0), 0xffffa00055667788ull);
    CHECK_U64(afd_get(&f, AFD_ROLE_ACCEPT_ENDPOINT, 0), 0xffffa000ddccbb00ull);
    CHECK_U64(afd_get(&f, AFD_ROLE_PROCESS, 0), 0xffff800011223344ull);
    CHECK_U64(afd_get(&f, AFD_ROLE_BACKLOG, 0), 5);
    CHECK_U64(afd_get(&f, AFD_ROLE_PID, 77), 77);
    CHECK(f.has_status && f.status == 0);
    CHECK(f.has_addr);
    CHECK_U64(f.addr.family, AFD_AF_INET6);
    CHECK_U64(f.addr.port, 443);
    CHECK_U64(f.addr.scope, 5);
    CHECK_U64(f.addr.bytes[0], 0x20);
    CHECK_U64(f.addr.bytes[15], 0x01);

    n = unhex(P4 E4 V4 "c350 00000000", buf, sizeof buf);
    CHECK(afd_decode(afd_schema_find(2, 0), buf, (uint32_t)n, 4, &f) == 0);
    CHECK(f.has_addr && f.addr.family == AFD_AF_INET && f.addr.has_port && f.addr.port == 50000);
    CHECK_U64(afd_get(&f, AFD_ROLE_LOCAL_ADDR, 0), 0x0a010203);
    CHECK_U64(afd_get(&f, AFD_ROLE_LOCAL_PORT, 0), 50000);
    CHECK_U64(afd_get(&f, AFD_ROLE_ENDPOINT, 0), 0x86445566);

    n = unhex(PRE4 "03000000" B4 "00000100 0d0200c0", buf, sizeof buf);
    CHECK(afd_decode(afd_schema_find(1004, 0), buf, (uint32_t)n, 4, &f) == 0);
    CHECK_U64(afd_get(&f, AFD_ROLE_BYTES, 0), 65536);
    CHECK_U64(afd_get(&f, AFD_ROLE_ENTER_EXIT, 9), 1);
    CHECK_U64(f.status, 0xC000020Du);
    CHECK(!f.has_addr);
}

int main(void)
{
    static const check_case cases[] = {
        CHECK_CASE(test_golden_rows),
        CHECK_CASE(test_every_id_covered),
        CHECK_CASE(test_details),
        CHECK_CASE(test_roles),
    };
    return check_run(cases, CHECK_COUNT(cases));
}
