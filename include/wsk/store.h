/*
 * store.h - the event store: one row per event, appended by one writer
 * thread (the consumer) and read at the same time by the UI thread.
 * Module prefix: store_.
 *
 * Threading contract: exactly one thread calls store_append/store_publish;
 * any number of threads call store_count/store_row. Rows live in fixed-size
 * chunks reached through a directory allocated once at creation, so a row
 * never moves once appended and readers need no lock: the writer fills rows,
 * then publishes the new count with a release store; a reader's acquire load
 * of the count makes every row below it visible.
 */
#ifndef WSK_STORE_H
#define WSK_STORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STORE_NO_SOCKET UINT32_MAX

enum {
    STORE_ROW_AFD = 0x01,       /* decoded as a Winsock-AFD event */
    STORE_ROW_MALFORMED = 0x02, /* payload shorter or longer than its template */
    STORE_ROW_LOST = 0x04,      /* events were lost right before this one */
    STORE_ROW_HAS_STATUS = 0x08,
};

/* 48 bytes with its tail padding: the store's whole per-event cost on top of the trace mapping. */
typedef struct store_row {
    uint64_t time;    /* FILETIME */
    uint64_t handle;  /* etl handle (file) or arena offset (live capture) */
    uint32_t pid;     /* the event header's */
    uint32_t tid;
    uint32_t socket;  /* index into the socket model, STORE_NO_SOCKET when none */
    uint32_t status;  /* NTSTATUS (or Error/Reason) when STORE_ROW_HAS_STATUS */
    uint32_t bytes;   /* byte count of a send/receive */
    uint16_t id;      /* event id */
    uint16_t cpu;
    uint8_t level;
    uint8_t opcode;
    uint8_t flags;    /* STORE_ROW_* */
    uint8_t kind;     /* etl_kind of the record */
} store_row;

typedef struct store store;

/* max_rows bounds the directory (allocated once); rows are allocated chunk by chunk as they come. */
int store_create(uint64_t max_rows, store **out);
void store_destroy(store *s);

/* Writer thread only. Returns a row to fill, or NULL when the store is full or out of memory.
 * The row becomes visible to readers at the next store_publish. */
store_row *store_append(store *s);
void store_publish(store *s);

/* Any thread. */
uint64_t store_count(const store *s);
/* index must be below a count this thread read from store_count. */
const store_row *store_row_at(const store *s, uint64_t index);
/* Bytes held by the rows and the directory (for the memory figures). */
uint64_t store_memory(const store *s);

#ifdef __cplusplus
}
#endif
#endif
