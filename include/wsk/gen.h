/*
 * gen.h - the scenario engine behind wskgen: a small simulated Windows machine
 * (processes, AFD endpoints, a clock, several CPUs) that emits Winsock-AFD
 * events in the shape afd.sys does, and keeps the ground truth of every socket
 * it drives (the expectation the socket model of the store is tested against).
 *
 * Module prefix: gen_. Portable core: no platform headers.
 *
 * Design: the engine knows nothing about files. It hands each event, fully
 * described (header fields + one value per schema field, in payload order), to
 * a sink; gen_etl.c is the sink that encodes payloads with the schema table
 * (afd_encode) and writes them with the .etl writer (etlw). The expectation is
 * kept from the engine's own bookkeeping as events are emitted, never by
 * reading a file back. Same options + seed -> the same events, bit for bit.
 *
 * What the engine models (as real traces show it):
 * - 1000-family operations as EnterExit 0 request / 1 completion pairs with
 *   plausible Location codes; transport indications (3000-3007, EnterExit 3);
 *   AFD-internal actions (1032 abort, EnterExit 2); options (EnterExit 4).
 * - Runtime keywords: STREAM (0x2) or DATAGRAM (0x1) | SOURCE_WINSOCK (0x4) or
 *   SOURCE_TRANSPORT (0x8) | channel bit 63; RIO 0x40, NRT 0x80; ut:Dropped
 *   0x10000000000 on 33/34/1033. Level 2 when the event's status is an error.
 *   1030 carries opcode 10 on its request and 12 on its completion.
 * - Header PID/TID: requests run in the owner's thread; completions and
 *   indications mostly in System (PID 4) or another process's context. The
 *   owner is in ProcessId (1000) / UserModePid (1) and the Process pointer.
 * - Endpoint addresses come from a pool and are reused (LIFO) after close.
 *
 * Expectation semantics (one record per socket lifetime = endpoint+generation):
 * - generation: 1 for the first lifetime seen on an endpoint value, +1 at each
 *   later create on the same value.
 * - created: time of the first event naming the socket (the create request; for
 *   pre-existing and accept()-made sockets their first event); closed: time of
 *   the close completion (1001 EnterExit 1, legacy 13).
 * - accepted sockets: remote = the peer of the accept event, local = the
 *   listener's local address, listener = the listener's endpoint, owner = the
 *   listener's owner.
 * - UDP sockets: remote = the first peer they exchanged datagrams with.
 * - process: the image's base name (the process table holds its full path).
 * - events: events naming the socket in Endpoint or AcceptEndpoint (an accept
 *   event counts for the listener and for the accepted socket).
 * - sends/bytes_sent, receives/bytes_received: the NetBlame rule (see the end of
 *   winsock-afd-events.md): successful completions of 1003/1005/1011 except
 *   Location 3073, requests of 1007/1013, legacy 24/25/28; receives: successful
 *   completions of 1004/1006/1009/1012/1015, legacy 23/26/27. Indications are
 *   not counted.
 * - Fields are what the trace lets a reader know: a pre-existing socket (its
 *   first event is not a create) has no family/protocol/created time unless an
 *   event shows them; its type comes from the runtime keyword.
 */
#ifndef WSK_GEN_H
#define WSK_GEN_H

#include <stddef.h>
#include <stdint.h>

#include <wsk/afd.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { GEN_SOCK_STREAM = 1, GEN_SOCK_DGRAM = 2 };
enum { GEN_PROTO_TCP = 6, GEN_PROTO_UDP = 17 };
#define GEN_ID_LIMIT 4096 /* every AFD event ID is below it */

/* One event, ready to encode with afd_encode: values[i] is the i-th field of the schema of `id` (payload
 * order; an AddressLen value is ignored, afd_encode takes it from the next value). Binary values point into
 * `bytes` of the same event: the event is valid only during the sink call. */
typedef struct gen_event {
    uint64_t time;        /* FILETIME (100 ns units), strictly increasing */
    uint32_t pid, tid;    /* header context */
    uint16_t cpu;
    uint8_t ptr_size;     /* 4 or 8 */
    uint16_t id;
    uint8_t level;        /* runtime level (the schema's, or 2 when the status is an error) */
    uint8_t opcode;       /* runtime opcode */
    uint16_t task;
    uint64_t keyword;     /* runtime keyword, channel bit 63 included */
    uint32_t count;
    afd_value values[AFD_MAX_FIELDS];
    uint8_t bytes[32];    /* storage of the event's one address (sockaddr or IPv6) */
} gen_event;

/* Where events go. Return 0 to go on, non-zero to stop the run (that value is returned by gen_run). */
typedef struct gen_sink {
    void *ctx;
    int (*event)(void *ctx, const gen_event *ev);
    /* A process appears: PID -> image name (and its EPROCESS pointer), for the writer's process table. */
    int (*process)(void *ctx, uint32_t pid, const char *image, uint64_t eprocess, uint64_t time);
} gen_sink;

typedef enum gen_state {
    GEN_ST_UNKNOWN = 0, GEN_ST_CREATED, GEN_ST_BOUND, GEN_ST_CONNECTING, GEN_ST_CONNECTED, GEN_ST_LISTENING,
    GEN_ST_CLOSING, GEN_ST_CLOSED, GEN_ST_ABORTED, GEN_ST_FAILED
} gen_state;

typedef enum gen_outcome {
    GEN_OUT_OPEN = 0,  /* still open when the trace ends */
    GEN_OUT_CLOSED,    /* closed after no failure */
    GEN_OUT_ABORTED,   /* aborted by AFD or reset by the transport */
    GEN_OUT_FAILED,    /* an operation failed (refused, timed out, ...) */
} gen_outcome;

/* The expected socket: what a socket model rebuilt from the trace must find. */
typedef struct gen_socket {
    uint64_t endpoint;
    uint32_t generation;
    uint32_t pid;             /* owner; 0 = unknown */
    const char *process;      /* image name or NULL */
    uint32_t family, type, protocol; /* 0 = unknown */
    int has_listener;
    afd_addr local, remote;      /* family 0 = unknown */
    uint64_t listener;        /* endpoint of the listening socket it was accepted from */
    uint64_t created, closed; /* FILETIME; closed 0 = still open */
    int pre_existing;
    gen_state state;          /* final state */
    gen_outcome outcome;
    int has_error;
    uint32_t error;           /* first error status (NTSTATUS) */
    uint64_t sends, receives, bytes_sent, bytes_received, events;
} gen_socket;

typedef struct gen_options {
    const char *scenario;   /* a name from gen_scenario_name(), "all", or NULL (bulk only) */
    uint64_t events;        /* > 0: bulk traffic after the scenario until exactly this many events in all
                               (none when the scenario alone already wrote that many) */
    uint64_t seed;
    unsigned ptr_size;      /* 4 or 8 (every-event uses both) */
    uint16_t cpus;          /* 1..64 */
    uint64_t start_time;    /* FILETIME of the first event */
} gen_options;

typedef struct gen_result {
    uint64_t events;        /* emitted */
    uint64_t end_time;      /* FILETIME of the last event */
    size_t socket_count;
    gen_socket *sockets;    /* in creation (first-seen) order */
    uint32_t process_count;
    uint64_t *id_counts;    /* [2 * GEN_ID_LIMIT]: events per ID, [0..) 4-byte pointers, [GEN_ID_LIMIT..) 8-byte */
} gen_result;

/* Defaults: scenario "all", seed 1, ptr 8, 4 CPUs, start 2026-01-15 09:00:00 UTC. */
void gen_options_default(gen_options *o);

/* Scenario names, in `all` order; NULL past the end. */
const char *gen_scenario_name(size_t i);
const char *gen_scenario_help(size_t i);
int gen_scenario_known(const char *name);

/* Run: 0 on success (result filled; free it with gen_result_free), else -1 (bad options: err says why) or the
 * sink's non-zero value. *result is untouched on failure. */
int gen_run(const gen_options *o, const gen_sink *sink, gen_result *result, char *err, size_t err_len);
void gen_result_free(gen_result *r);

/* One socket as a JSON object (the keys of `wskdump sockets --format jsonl`), no newline. Returns the
 * length it needs (excluding the NUL); writes at most cap bytes, always NUL-terminated when cap > 0. */
size_t gen_socket_json(const gen_socket *s, char *buf, size_t cap);

const char *gen_state_name(gen_state s);     /* "created", "bound", ... */
const char *gen_outcome_name(gen_outcome o); /* "open", "closed", "aborted", "failed" */

/* ---- writing scenarios as .etl files (gen_etl.c: afd_encode + etlw) ---- */

typedef struct gen_file_options {
    uint32_t buffer_size;   /* 0 = the writer's default (64 KiB) */
    uint32_t clock_type;    /* 1 QPC, 2 system time, 3 CPU cycles; 0 = 1 */
    int compress;
    uint32_t circular_mb;   /* > 0: circular log of at most this many MiB */
    uint32_t lose;          /* this many lost-event marks, spread evenly over the run */
    int process_table;      /* non-zero: a ProcessStart record per process (PID -> image name) */
} gen_file_options;

/* Image path written in the process table for an image name ("System" stays as it is). */
size_t gen_image_path(const char *image, char *buf, size_t cap);

/* Runs the engine into an .etl file (UTF-8 path). 0 on success with *result filled (free it with
 * gen_result_free), else -1 with err set (the file may be left half written). */
int gen_write_etl(const char *path, const gen_options *o, const gen_file_options *f, gen_result *result,
                  char *err, size_t err_len);

#ifdef __cplusplus
}
#endif
#endif
