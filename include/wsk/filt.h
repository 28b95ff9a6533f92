/*
 * filt.h - the display-filter language, in the spirit of Wireshark's, over
 * events and sockets. Module prefix: filt_.
 *
 *   socket.pid == 1234 and event in (connect, accept) and remote.port == 443 and status != success
 *   socket.duration > 2s or socket.outcome == aborted
 *   remote in 10.0.0.0/8        remote contains "10.0."        process ~ "^chrome"        not level <= 3
 *
 * Terms: comparisons (== != < <= > >=, also eq ne lt le gt ge), `in` with a
 * parenthesised set (values, aliases or CIDR ranges), `contains` (substring,
 * case-insensitive, on the field's text), `~` (regular expression, rx.h,
 * case-insensitive), a bare field (true when present and non-zero), `and`
 * `or` `not` (also && || !) and parentheses. Numbers take units: ns, us, ms,
 * s, m (minutes) for times and durations; KB, MB, GB (powers of 1024) for
 * bytes. `success` means NT_SUCCESS, `pending` STATUS_PENDING, `error` an
 * error-severity status; NTSTATUS names (STATUS_...) and Winsock names
 * (WSAE...) are accepted too. IPv4 ranges match IPv4-mapped IPv6 addresses.
 *
 * Fields: the event header's (pid, tid, cpu, id, level, opcode, bytes, status,
 * event, name, malformed), the socket's (socket.pid, process, socket.endpoint,
 * socket.generation, socket.state, socket.outcome, socket.family,
 * socket.type, socket.protocol, socket.duration, socket.error, socket.sends,
 * socket.receives, socket.bytes_sent, socket.bytes_received, socket.events,
 * socket.preexisting, local, remote, local.port, remote.port), and every
 * decoded Winsock-AFD payload field by its canonical name (Endpoint,
 * BufferLength, Address, ...). A field an event does not have makes its
 * comparison false, whatever the operator.
 *
 * Compiled filters evaluate straight from the store's typed columns; payload
 * fields are decoded on demand through the context's callback.
 */
#ifndef WSK_FILT_H
#define WSK_FILT_H

#include <stddef.h>
#include <stdint.h>

#include <wsk/afd.h>
#include <wsk/sock.h>
#include <wsk/store.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct filt filt;

typedef struct filt_error {
    size_t column;          /* 1-based column of the problem */
    char message[160];      /* what was expected */
} filt_error;

typedef struct filt_ctx {
    const store *events;
    const sock_model *sockets;   /* may be NULL: socket fields are then absent */
    uint64_t trace_end;          /* FILETIME: the end of sockets still open, for socket.duration */
    /* Decodes the AFD payload of a row (for payload fields); NULL when unavailable. 0 = decoded. */
    int (*decode)(void *user, uint64_t row, afd_fields *out);
    void *user;
} filt_ctx;

/* On failure *out is untouched and err says where and what was expected. An empty text matches all. */
int filt_compile(const char *text, filt **out, filt_error *err);
void filt_free(filt *f);

/* Not thread-safe per filt (regular expressions keep a workspace): one filt per thread. */
int filt_match_event(filt *f, const filt_ctx *c, uint64_t row);
/* Socket-level evaluation: event fields are absent. */
int filt_match_socket(filt *f, const filt_ctx *c, uint32_t sock);
/* The filter names event or payload fields (a socket then also matches when any of its events does). */
int filt_uses_event_fields(const filt *f);

/* `contains` as the language means it: needle occurs in hay ignoring ASCII case (hay NULL: no). */
int filt_text_contains(const char *hay, const char *needle);

/* Writes the rows in [from, to) that match into rows[] (capacity to - from); returns their count. */
uint64_t filt_select(filt *f, const filt_ctx *c, uint64_t from, uint64_t to, uint32_t *rows);

#ifdef __cplusplus
}
#endif
#endif
