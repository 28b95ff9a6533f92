/*
 * sock.h - the socket model: every socket's lifetime rebuilt from the
 * Winsock-AFD events of a trace. Module prefix: sock_.
 *
 * A socket is identified by its AFD endpoint address plus a generation: the
 * kernel reuses endpoint addresses, so the next create on the same address
 * starts a new generation, while late events after a close still belong to the
 * old one. In accept events `Endpoint` is the listener and `AcceptEndpoint` the
 * new socket, which inherits the listener's owner and local address and takes
 * the peer as its remote address.
 *
 * The owner is the process the socket belongs to: ProcessId (1000) or
 * UserModePid (1), or the EPROCESS pointer mapped to a PID through the create
 * events; never the event header's PID, which is often System or whatever
 * process a completion ran in. As a last resort, at sock_model_finish, a
 * socket with no owner takes the header PID of one of its requests (EnterExit
 * 0: those run in the caller's context), flagged SOCK_F_OWNER_GUESSED.
 *
 * Sends and receives are counted as Microsoft's NetBlame does, so nothing is
 * counted twice: successful completions (plus the requests of 1007/1013, whose
 * completion is optional, minus batch repeats at Location 3073); transport
 * indications are counted apart.
 *
 * Threading: one thread feeds the model; others may read it only after
 * sock_model_finish, or under the caller's own lock.
 */
#ifndef WSK_SOCK_H
#define WSK_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include <wsk/afd.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SOCK_NONE UINT32_MAX

typedef enum sock_state {
    SOCK_CREATED = 0,
    SOCK_BOUND,
    SOCK_CONNECTING,
    SOCK_CONNECTED,
    SOCK_LISTENING,
    SOCK_CLOSING,
    SOCK_CLOSED,
    SOCK_ABORTED,
    SOCK_FAILED,
    SOCK_STATE_COUNT
} sock_state;

typedef enum sock_outcome {
    SOCK_OUTCOME_OPEN = 0, /* no close seen before the trace ended */
    SOCK_OUTCOME_CLOSED,   /* closed without an abort or failure */
    SOCK_OUTCOME_ABORTED,  /* aborted by AFD or reset by the transport */
    SOCK_OUTCOME_FAILED,   /* create, bind, connect or accept failed and it never connected */
    SOCK_OUTCOME_COUNT
} sock_outcome;

enum {
    SOCK_F_PREEXISTING = 0x01,    /* existed before the trace started: no create seen */
    SOCK_F_ACCEPTED = 0x02,       /* produced by an accept on a listener */
    SOCK_F_HAS_ERROR = 0x04,
    SOCK_F_HAS_ABORT = 0x08,
    SOCK_F_CLOSED = 0x10,         /* a close was seen (closed time is valid) */
    SOCK_F_OWNER_GUESSED = 0x20,
    SOCK_F_EVER_CONNECTED = 0x40,
    SOCK_F_FAILED = 0x80,         /* an operation that defines the socket failed */
    SOCK_F_PEER_CLOSED = 0x100,   /* the transport indicated a graceful disconnect */
    SOCK_F_CREATE_REQUESTED = 0x200, /* the last event was a create request: its completion follows */
};

#define SOCK_MAX_TRANSITIONS 12

typedef struct sock_transition {
    uint64_t time;
    uint64_t row;      /* the event that caused it */
    uint8_t state;     /* sock_state */
} sock_transition;

typedef struct sock_info {
    uint64_t endpoint;
    uint64_t process_ptr;     /* EPROCESS, 0 when unknown */
    uint32_t generation;      /* 1 for the first socket on an endpoint address */
    uint32_t pid;             /* owner, 0 when unknown */
    uint32_t listener;        /* socket index of the listener it was accepted from, SOCK_NONE */
    uint32_t flags;           /* SOCK_F_* */
    uint32_t family;          /* AF_* as Windows numbers them, 0 when unknown */
    uint32_t type;            /* SOCK_STREAM 1, SOCK_DGRAM 2, ... 0 when unknown */
    uint32_t protocol;        /* IPPROTO_*, 0 when unknown */
    afd_addr local;           /* raw/raw_len are cleared: nothing points into a payload */
    afd_addr remote;
    uint64_t created;         /* FILETIME of the create (or of the first event when pre-existing) */
    uint64_t closed;          /* FILETIME of the close when SOCK_F_CLOSED */
    uint64_t last_time;       /* FILETIME of the last event */
    uint64_t first_row, last_row;   /* UINT64_MAX for a socket seeded from the system's tables */
    uint8_t state;            /* sock_state now (at the end of what was fed) */
    uint8_t outcome;          /* sock_outcome, set by sock_model_finish */
    uint8_t ntransitions;     /* kept transitions (the first SOCK_MAX_TRANSITIONS) */
    sock_transition transitions[SOCK_MAX_TRANSITIONS];
    uint32_t error;           /* first error status, when SOCK_F_HAS_ERROR */
    uint64_t error_time;
    uint16_t error_event;     /* event id that reported it */
    uint32_t abort_reason;    /* when SOCK_F_HAS_ABORT: 1032 Reason, legacy 7/8 Reason, or 3006 Status */
    uint16_t abort_event;
    uint32_t guess_pid;       /* header PID of a request, for the owner of last resort */
    uint64_t sends, receives, bytes_sent, bytes_received;
    uint64_t indications, bytes_indicated, drops, accepts;
    uint64_t events;
} sock_info;

typedef struct sock_model sock_model;

int sock_model_create(sock_model **out);
void sock_model_destroy(sock_model *m);

/* Feeds one decoded AFD event (row = its index in the event store; keyword = the event header's, whose
 * run-time STREAM/DATAGRAM bits tell the type of a socket whose create was not seen). Returns the index
 * of the socket the event belongs to (for accepts, the accepted socket when there is one), or SOCK_NONE. */
uint32_t sock_model_feed(sock_model *m, uint64_t row, uint64_t time, uint32_t header_pid, uint64_t keyword,
                         const afd_fields *f);
/* A socket the system listed when a live capture started (its TCP/UDP tables), before any event: marked
 * pre-existing, in the given state, with its owner and addresses. The tables give no AFD endpoint address,
 * so such a socket has endpoint 0 and later events are not tied to it. Returns its index, or SOCK_NONE when
 * out of memory. */
uint32_t sock_model_add_existing(sock_model *m, uint64_t time, uint32_t pid, uint32_t family, uint32_t type,
                                 uint32_t protocol, const afd_addr *local, const afd_addr *remote, sock_state state);
/* Names a process (kernel process events, or the table our writer stores). Returns 0, -1 out of memory. */
int sock_model_set_process_name(sock_model *m, uint32_t pid, const char *image);
/* Owners of sockets seen only through their EPROCESS pointer, outcomes. Call once, at the end. */
void sock_model_finish(sock_model *m);

size_t sock_model_count(const sock_model *m);
const sock_info *sock_model_at(const sock_model *m, size_t index);
/* Image name of a PID, NULL when the trace does not say. */
const char *sock_model_process_name(const sock_model *m, uint32_t pid);

const char *sock_state_name(sock_state s);      /* "created", "bound", ... */
const char *sock_outcome_name(sock_outcome o);  /* "open", "closed", "aborted", "failed" */

#ifdef __cplusplus
}
#endif
#endif
