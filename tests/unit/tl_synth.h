/*
 * tl_synth.h - a store and socket model built in memory, without a file: each
 * event's values are encoded with the schema and decoded again (as load.c
 * does with a trace's payloads), appended as a store row and fed to the
 * model. For shapes the scenarios do not have (one socket with 10,000 events)
 * and for bench_tl's 10 million events. Included by test_tl.c and bench_tl.c.
 */
#ifndef WSK_TL_SYNTH_H
#define WSK_TL_SYNTH_H

#include <string.h>

#include "wsk/afd.h"
#include "wsk/sock.h"
#include "wsk/store.h"

#define SYNTH_PENDING 0x00000103u
#define SYNTH_REFUSED 0xC0000236u

typedef struct synth {
    store *st;
    sock_model *sm;
    uint64_t rows; /* appended (the store counts only published rows) */
} synth;

/* One event on `endpoint` owned by pid. Returns the socket index the model gave it, SOCK_NONE on failure. */
static uint32_t synth_event(synth *s, uint16_t id, uint32_t enter_exit, uint64_t endpoint, uint32_t pid,
                            uint32_t status, uint32_t bytes, uint64_t time)
{
    const afd_event_schema *sc = afd_schema_find(id, 0);
    afd_value v[AFD_MAX_FIELDS];
    uint8_t buf[256];
    size_t len;
    afd_fields f;
    store_row *r;
    if (!sc)
        return SOCK_NONE;
    memset(v, 0, sizeof v);
    for (unsigned i = 0; i < sc->nfields; i++) {
        uint64_t u = 0;
        switch (sc->fields[i].role) {
        case AFD_ROLE_ENTER_EXIT: u = enter_exit; break;
        case AFD_ROLE_LOCATION: u = 1000 + enter_exit; break;
        case AFD_ROLE_PROCESS: u = 0xffffa00000000000ull + (uint64_t)pid * 0x1000; break;
        case AFD_ROLE_PID: u = pid; break;
        case AFD_ROLE_ENDPOINT: u = endpoint; break;
        case AFD_ROLE_FAMILY: u = AFD_AF_INET; break;
        case AFD_ROLE_SOCKET_TYPE: u = 1; break;
        case AFD_ROLE_PROTOCOL: u = 6; break;
        case AFD_ROLE_BUFFER_COUNT: u = 1; break;
        case AFD_ROLE_BUFFER: u = 0x10000; break;
        case AFD_ROLE_BYTES: u = bytes; break;
        case AFD_ROLE_STATUS: u = status; break;
        default: break;
        }
        v[i].u = u;
    }
    if (afd_encode(sc, 8, v, sc->nfields, buf, sizeof buf, &len) != 0 || afd_decode(sc, buf, (uint32_t)len, 8, &f) != 0)
        return SOCK_NONE;
    r = store_append(s->st);
    if (!r)
        return SOCK_NONE;
    memset(r, 0, sizeof *r);
    r->time = time;
    r->pid = pid;
    r->tid = pid + 4;
    r->id = id;
    r->level = sc->level;
    r->flags = STORE_ROW_AFD | (f.has_status ? STORE_ROW_HAS_STATUS : 0);
    r->status = f.has_status ? f.status : 0;
    r->bytes = bytes;
    r->socket = sock_model_feed(s->sm, s->rows++, time, pid, AFD_KW_STREAM, &f);
    return r->socket;
}

/* A TCP client's whole life from `time`, `io` sends and receives alternating `gap` apart: create, connect,
 * the I/O, cleanup, close. refused: the connect fails and no I/O follows. Returns the time after it. */
static uint64_t synth_client(synth *s, uint64_t endpoint, uint32_t pid, uint64_t time, uint32_t io, uint64_t gap,
                             int refused)
{
    synth_event(s, 1000, 0, endpoint, pid, 0, 0, time);
    synth_event(s, 1000, 1, endpoint, pid, 0, 0, time += 10);
    synth_event(s, 1017, 0, endpoint, pid, SYNTH_PENDING, 0, time += 10);
    synth_event(s, 1017, 1, endpoint, pid, refused ? SYNTH_REFUSED : 0, 0, time += 1000);
    for (uint32_t k = 0; !refused && k < io; k++)
        synth_event(s, (k & 1) ? 1004 : 1003, 1, endpoint, pid, 0, 100 + k % 1000, time += gap);
    synth_event(s, 1002, 1, endpoint, pid, 0, 0, time += 1000);
    synth_event(s, 1001, 1, endpoint, pid, 0, 0, time += 10);
    return time;
}

#endif
