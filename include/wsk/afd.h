/*
 * afd.h - the Microsoft-Windows-Winsock-AFD provider: schema table, payload
 * decoder and encoder, and text/JSON formatting of decoded events.
 *
 * Module prefix: afd_. Portable C11, no platform headers.
 *
 * One table (src/core/afd_schema.c) describes every event the provider has in
 * any Windows build (IDs 1-41, 1000-1037, 3000-3007, 4000-4020, all version 0):
 * display name, manifest symbol, level/opcode/task/keywords as the manifest
 * declares them, operation aliases used by the filter language, the field that
 * carries the event's status, and the fields in payload order. The decoder,
 * the encoder (wskgen), docs/events.md and the tests all read that table.
 *
 * Payloads pack fields back to back with no padding. Pointers are 4 or 8 bytes
 * as the record says (header type parity), BOOL is 4 bytes, IPv4 addresses and
 * ports are in network order, "with address" events carry AddressLen followed
 * by a raw SOCKADDR of that many bytes.
 *
 * The table is immutable and no function keeps state: everything here may be
 * called from any thread at once.
 *
 * Key decoding on (provider GUID, event ID, version) only: AFD computes level,
 * keywords and sometimes the opcode at run time, so the header's values may
 * differ from the table's (which are the manifest's).
 *
 * Field roles tell the socket model what a field means, whatever its name:
 *   ENDPOINT          the AFD endpoint (socket) the event is about; for events
 *                     35/36 the listening socket (ListenEndpoint); for 1024/1027
 *                     the listener (the accepted socket is ACCEPT_ENDPOINT).
 *   ACCEPT_ENDPOINT   the socket an accept produced.
 *   PROCESS           the kernel EPROCESS address (not a PID).
 *   PID               a user-mode process ID (UserModePid, ProcessId).
 *   LOCAL_ADDR/PORT   the socket's own address (bind events).
 *   REMOTE_ADDR/PORT  the peer (connect target, accepted peer, datagram source
 *                     or destination, indicated connection). For sockaddr
 *                     fields the port is inside the address.
 *   BYTES             bytes moved or indicated (BufferLength of send/receive,
 *                     BytesIndicated, PacketSize of a dropped datagram).
 *   ENTER_EXIT        0 request, 1 completion, 2 AFD action, 3 transport, 4 AFD
 *                     internal (see afd_map ENTER_EXIT).
 *   LOCATION          AFD's private code-site number ("Seq" in the messages).
 *   STATUS            the field named by afd_event_schema.status_field.
 */
#ifndef WSK_AFD_H
#define WSK_AFD_H

#include <stddef.h>
#include <stdint.h>

#include <wsk/etl.h>

#ifdef __cplusplus
extern "C" {
#endif

/* {E53C6823-7BB8-44BB-90DC-3F86090D48A6} */
extern const etl_guid afd_provider_guid;
int afd_is_provider(const etl_guid *g);

/* Wire types of fields. */
typedef enum afd_type {
    AFD_T_POINTER = 0, /* 4 or 8 bytes, little-endian */
    AFD_T_U8,
    AFD_T_U16,
    AFD_T_U32,
    AFD_T_HEX32, /* u32 the manifest shows in hex (Option, Value, EventMask) */
    AFD_T_I32,
    AFD_T_BOOL,     /* 4-byte Win32 BOOL */
    AFD_T_NTSTATUS, /* u32 NTSTATUS */
    AFD_T_IPV4,     /* 4 bytes, network order */
    AFD_T_IPV6,     /* 16 bytes, network order (fixed-length binary) */
    AFD_T_PORT,     /* u16, network order */
    AFD_T_ADDRLEN,  /* u32 length of the following AFD_T_SOCKADDR */
    AFD_T_SOCKADDR, /* binary of AddressLen bytes: a raw SOCKADDR */
    AFD_T_COUNT
} afd_type;

/* Value maps (names of numeric values). */
typedef enum afd_map {
    AFD_MAP_NONE = 0,
    AFD_MAP_SOCKET_TYPE,  /* SOCK_STREAM ... */
    AFD_MAP_FAMILY,       /* AF_INET ... */
    AFD_MAP_PROTOCOL,     /* IPPROTO_TCP ... */
    AFD_MAP_OPTION,       /* AFD-internal option codes (SO_RCVBUF ...) */
    AFD_MAP_ABORT_REASON, /* 1032 Reason */
    AFD_MAP_DROP_REASON,  /* 1033 Reason */
    AFD_MAP_ENTER_EXIT,
    AFD_MAP_RIO_NOTIFY, /* 4002 NotificationType */
    AFD_MAP_COUNT
} afd_map;

typedef enum afd_role {
    AFD_ROLE_NONE = 0,
    AFD_ROLE_ENTER_EXIT,
    AFD_ROLE_LOCATION,
    AFD_ROLE_PROCESS,
    AFD_ROLE_PID,
    AFD_ROLE_ENDPOINT,
    AFD_ROLE_ACCEPT_ENDPOINT,
    AFD_ROLE_FAMILY,
    AFD_ROLE_SOCKET_TYPE,
    AFD_ROLE_PROTOCOL,
    AFD_ROLE_LOCAL_ADDR,
    AFD_ROLE_LOCAL_PORT,
    AFD_ROLE_REMOTE_ADDR,
    AFD_ROLE_REMOTE_PORT,
    AFD_ROLE_ADDR_LEN,
    AFD_ROLE_BUFFER,
    AFD_ROLE_BYTES,
    AFD_ROLE_BUFFER_COUNT,
    AFD_ROLE_BACKLOG,
    AFD_ROLE_STATUS,
    AFD_ROLE_COUNT
} afd_role;

/* What the status field holds. */
typedef enum afd_status_kind {
    AFD_STATUS_NONE = 0, /* the event has no status field */
    AFD_STATUS_NTSTATUS, /* Status / Error: an NTSTATUS (see nts.h) */
    AFD_STATUS_REASON,   /* Reason: an AFD/transport reason code without a known map (7, 8, 33, 34) */
    AFD_STATUS_ABORT,    /* Reason: AFD_MAP_ABORT_REASON (1032) */
    AFD_STATUS_DROP      /* Reason: AFD_MAP_DROP_REASON (1033) */
} afd_status_kind;

/* Operation aliases for the filter language: one bit each. */
enum {
    AFD_OP_CREATE = 1u << 0,
    AFD_OP_BIND = 1u << 1,
    AFD_OP_CONNECT = 1u << 2,
    AFD_OP_ACCEPT = 1u << 3,
    AFD_OP_LISTEN = 1u << 4,
    AFD_OP_SEND = 1u << 5,
    AFD_OP_RECEIVE = 1u << 6,
    AFD_OP_CLOSE = 1u << 7,
    AFD_OP_ABORT = 1u << 8,
    AFD_OP_OPTION = 1u << 9,
    AFD_OP_DROP = 1u << 10,
    AFD_OP_INDICATION = 1u << 11, /* transport-initiated notifications */
    AFD_OP_DISCONNECT = 1u << 12,
    AFD_OP_RIO = 1u << 13,
    AFD_OP_SELECT = 1u << 14,   /* select/WSAPoll/WSAEventSelect */
    AFD_OP_FAIL = 1u << 15,     /* events that exist only to report a failure (9-12, 17, 40) */
    AFD_OP_DATAGRAM = 1u << 16, /* sendto/recvfrom/datagram drops */
    AFD_OP_NRT = 1u << 17,      /* name-resolution handles (4016, 4017) */
    AFD_OP_BACKLOG = 1u << 18,  /* listen backlog / send backlog / accept pause */
    AFD_OP_LEGACY = 1u << 19,   /* the Vista-style events 1-41 */
};
#define AFD_OP_COUNT 20

/* Alias name of bit i (0 <= i < AFD_OP_COUNT), e.g. "connect". */
const char *afd_op_name(unsigned i);
/* Bit of an alias name (case-insensitive), 0 when unknown. */
uint32_t afd_op_from_name(const char *name);

/* Keyword bits (manifest). Bit 63 is the channel keyword: mask it off. */
#define AFD_KW_DATAGRAM 0x1ull
#define AFD_KW_STREAM 0x2ull
#define AFD_KW_SOURCE_WINSOCK 0x4ull
#define AFD_KW_SOURCE_TRANSPORT 0x8ull
#define AFD_KW_FASTPATH 0x10ull
#define AFD_KW_BUFFERED 0x20ull
#define AFD_KW_RIO 0x40ull
#define AFD_KW_NRT 0x80ull
#define AFD_KW_DROPPED 0x10000000000ull

typedef struct afd_field_def {
    const char *name; /* canonical manifest name, no spaces */
    uint8_t type;     /* afd_type */
    uint8_t map;      /* afd_map */
    uint8_t role;     /* afd_role */
} afd_field_def;

#define AFD_MAX_FIELDS 16

typedef struct afd_event_schema {
    uint16_t id;
    uint8_t version;
    uint8_t level;       /* manifest: 2 error, 3 warning, 4 informational, 5 verbose */
    uint8_t opcode;      /* manifest: 0 or 10..17 */
    uint16_t task;       /* 0 for 1-41 and where no source gives the value (4018-4020) */
    uint64_t keywords;   /* manifest (Win10+), without the channel bit */
    uint32_t ops;        /* AFD_OP_* */
    int8_t status_field; /* index into fields, -1 when none */
    uint8_t status_kind; /* afd_status_kind */
    uint8_t nfields;
    const char *name;      /* display name */
    const char *symbol;    /* manifest symbol, NULL for 1-41 (no meaningful one) */
    const char *task_name; /* manifest task name ("task_0" for 1-41) */
    const char *meaning;   /* one or two sentences for the docs and tooltips */
    const afd_field_def *fields;
} afd_event_schema;

/* NULL when (id, version) is not in the table: show the event raw. */
const afd_event_schema *afd_schema_find(uint16_t id, uint8_t version);
size_t afd_schema_count(void);
/* Entries sorted by id; NULL past the end. */
const afd_event_schema *afd_schema_at(size_t i);
/* Index of the field with that role (no role occurs twice in an event), -1 when none. */
int afd_schema_role(const afd_event_schema *s, afd_role role);

/* Names for the docs and JSON export. */
const char *afd_type_name(afd_type t); /* "pointer", "u32", "sockaddr", ... */
const char *afd_map_id(afd_map m);     /* "socket_type", ... ("" for none) */
const char *afd_role_name(afd_role r); /* "endpoint", ... ("" for none) */
/* Name of a mapped value, NULL when the map has no entry for it. */
const char *afd_map_name(afd_map m, uint32_t value);

/* ---- decoded values ---- */

/* Address families as Windows numbers them. */
#define AFD_AF_UNIX 1
#define AFD_AF_INET 2
#define AFD_AF_INET6 23

typedef struct afd_addr {
    uint16_t family; /* AFD_AF_*, or what the sockaddr says; 0 = none */
    uint16_t port;   /* host order */
    uint8_t has_port;
    uint8_t bytes[16];  /* network order; IPv4 in the first 4 */
    uint32_t flowinfo;  /* IPv6 sockaddr only (host order) */
    uint32_t scope;     /* IPv6 sockaddr only */
    const uint8_t *raw; /* AF_UNIX: sun_path (up to its NUL); other families: the bytes after sa_family */
    uint32_t raw_len;
} afd_addr;

typedef struct afd_value {
    uint64_t u;          /* integers, pointers, BOOL (0/1 as stored), NTSTATUS; I32 sign-extended;
                            IPV4 as a.b.c.d -> a<<24|b<<16|c<<8|d; PORT in host order */
    const uint8_t *data; /* IPV4, IPV6, SOCKADDR: the bytes (inside the payload when decoded); stale for
                            other types */
    uint32_t len;        /* their count */
} afd_value;

/* afd_fields.malformed bits */
enum {
    AFD_MAL_SHORT = 0x1, /* payload ends before the last field */
    AFD_MAL_LONG = 0x2,  /* bytes left after the last field (afd_fields.extra) */
    AFD_MAL_ADDR = 0x4,  /* a sockaddr shorter than its family needs */
};

typedef struct afd_fields {
    const afd_event_schema *schema;
    uint8_t ptr_size;
    uint8_t count;                  /* leading fields decoded: v[0..count) are valid */
    uint8_t malformed;              /* AFD_MAL_*, 0 = the payload matches the template */
    uint8_t has_status;             /* the status field was decoded */
    uint8_t has_addr;               /* addr holds the event's network address */
    uint32_t status;                /* value of the status field (NTSTATUS or reason) */
    uint32_t extra;                 /* bytes after the last field */
    afd_addr addr;                  /* the event's address (Address [+ Port]) */
    int8_t role_at[AFD_ROLE_COUNT]; /* index of the decoded field with each role, -1 when none */
    afd_value v[AFD_MAX_FIELDS];
} afd_fields;

/*
 * Decodes a payload. Never reads past data + len and never allocates; values
 * of binary fields point into data. A short payload yields the fields that fit
 * (count < nfields) and AFD_MAL_SHORT; a long one AFD_MAL_LONG.
 * Returns 0, or -1 for bad arguments (NULL schema/out, ptr_size not 4 or 8),
 * in which case out is untouched.
 */
int afd_decode(const afd_event_schema *s, const uint8_t *data, uint32_t len, unsigned ptr_size,
               afd_fields *out);

/* Value of the decoded field with that role, or dflt (one load: see role_at). */
uint64_t afd_get(const afd_fields *f, afd_role role, uint64_t dflt);

/*
 * Encodes values (one per field, in order) into buf. AFD_T_ADDRLEN fields are
 * written from the length of the next value (its u is ignored), so the two
 * always agree. Returns 0 and sets *len; -1 for bad arguments (count !=
 * nfields, IPV6 value not 16 bytes, ptr_size not 4/8), -2 when cap is too small
 * (*len then says how many bytes are needed).
 */
int afd_encode(const afd_event_schema *s, unsigned ptr_size, const afd_value *values, size_t count,
               uint8_t *buf, size_t cap, size_t *len);

/* Builds a sockaddr_in (16 bytes) / sockaddr_in6 (28) / sockaddr_un (2 + path + NUL) from a;
   returns its length, 0 when it does not fit or the family is unsupported. */
size_t afd_sockaddr_build(const afd_addr *a, uint8_t *buf, size_t cap);
/* Parses a raw SOCKADDR; returns 0, or -1 when it is shorter than its family needs (what fits
   is kept, and raw/raw_len cover what is there). An empty one gives family 0. */
int afd_sockaddr_parse(const uint8_t *p, uint32_t len, afd_addr *a);

/*
 * Formatting. Every function writes at most cap bytes including a NUL (when
 * cap > 0) and returns the length of the full text, like snprintf: a result
 * >= cap means it was cut.
 */

/* RFC 5952 text: "a.b.c.d:port", "[v6%scope]:port", "[::ffff:a.b.c.d]:port", an AF_UNIX path;
   without ":port" when !has_port. Family 0: "". Others: "family N". */
size_t afd_format_address(const afd_addr *a, char *buf, size_t cap);
/* Text of field i: numbers in decimal, pointers 0x..., maps as "NAME (n)", NTSTATUS as its name. */
size_t afd_format_value(const afd_fields *f, size_t i, char *buf, size_t cap);
/* "Name=value Name=value ..." of every decoded field, then " [malformed: ...]" when malformed. */
size_t afd_format_details(const afd_fields *f, char *buf, size_t cap);
/* {"Name":value,...}: integers as numbers, pointers "0x..", BOOL true/false, addresses as text,
   ports as numbers in host order, other binary "0x.." hex. Only decoded fields appear. */
size_t afd_format_json(const afd_fields *f, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
