/*
 * sock.c - the socket model (see sock.h for the rules). Endpoint addresses
 * and EPROCESS pointers are looked up in open-addressing hash maps; sockets
 * live in one growing array and are referred to by index.
 */
#include "wsk/sock.h"
#include "wsk/nts.h"

#include <stdlib.h>
#include <string.h>

/* ---- a map from 64-bit keys to 32-bit values (key 0 is never stored) ---- */

typedef struct u64map {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap; /* power of two */
    size_t len;
} u64map;

static size_t u64map_slot(const u64map *h, uint64_t key)
{
    uint64_t x = key * 0x9E3779B97F4A7C15ull;
    return (size_t)(x >> 17) & (h->cap - 1);
}

static int u64map_get(const u64map *h, uint64_t key, uint32_t *val)
{
    if (!h->cap || !key)
        return 0;
    for (size_t i = u64map_slot(h, key);; i = (i + 1) & (h->cap - 1)) {
        if (h->keys[i] == key) {
            *val = h->vals[i];
            return 1;
        }
        if (h->keys[i] == 0)
            return 0;
    }
}

static int u64map_put(u64map *h, uint64_t key, uint32_t val)
{
    if (!key)
        return 0;
    if ((h->len + 1) * 4 > h->cap * 3) {
        u64map bigger = {0};
        bigger.cap = h->cap ? h->cap * 2 : 256;
        bigger.keys = calloc(bigger.cap, sizeof(uint64_t));
        bigger.vals = calloc(bigger.cap, sizeof(uint32_t));
        if (!bigger.keys || !bigger.vals) {
            free(bigger.keys);
            free(bigger.vals);
            return -1;
        }
        for (size_t i = 0; i < h->cap; i++)
            if (h->keys[i])
                u64map_put(&bigger, h->keys[i], h->vals[i]);
        free(h->keys);
        free(h->vals);
        *h = bigger;
    }
    size_t i = u64map_slot(h, key);
    while (h->keys[i] && h->keys[i] != key)
        i = (i + 1) & (h->cap - 1);
    if (!h->keys[i])
        h->len++;
    h->keys[i] = key;
    h->vals[i] = val;
    return 0;
}

static void u64map_free(u64map *h)
{
    free(h->keys);
    free(h->vals);
}

/* ---- the model ---- */

struct sock_model {
    sock_info *socks;
    size_t count, cap;
    u64map by_endpoint;  /* endpoint address -> newest socket on it */
    u64map pid_of_eprocess;
    u64map listener_of_peer; /* hash of an indicated peer address -> listener */
    u64map name_of_pid;  /* pid (+1, so pid 0 can be named) -> index into names */
    char **names;
    size_t name_count, name_cap;
};

int sock_model_create(sock_model **out)
{
    sock_model *m = calloc(1, sizeof *m);
    if (!m)
        return -1;
    *out = m;
    return 0;
}

void sock_model_destroy(sock_model *m)
{
    if (!m)
        return;
    free(m->socks);
    u64map_free(&m->by_endpoint);
    u64map_free(&m->pid_of_eprocess);
    u64map_free(&m->listener_of_peer);
    u64map_free(&m->name_of_pid);
    for (size_t i = 0; i < m->name_count; i++)
        free(m->names[i]);
    free(m->names);
    free(m);
}

size_t sock_model_count(const sock_model *m)
{
    return m->count;
}

const sock_info *sock_model_at(const sock_model *m, size_t index)
{
    return index < m->count ? &m->socks[index] : NULL;
}

int sock_model_set_process_name(sock_model *m, uint32_t pid, const char *image)
{
    uint32_t idx;
    size_t len = strlen(image);
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, image, len + 1);
    if (u64map_get(&m->name_of_pid, (uint64_t)pid + 1, &idx)) {
        free(m->names[idx]);
        m->names[idx] = copy;
        return 0;
    }
    if (m->name_count == m->name_cap) {
        size_t cap = m->name_cap ? m->name_cap * 2 : 64;
        char **names = realloc(m->names, cap * sizeof *names);
        if (!names) {
            free(copy);
            return -1;
        }
        m->names = names;
        m->name_cap = cap;
    }
    if (u64map_put(&m->name_of_pid, (uint64_t)pid + 1, (uint32_t)m->name_count) != 0) {
        free(copy);
        return -1;
    }
    m->names[m->name_count++] = copy;
    return 0;
}

const char *sock_model_process_name(const sock_model *m, uint32_t pid)
{
    uint32_t idx;
    return u64map_get(&m->name_of_pid, (uint64_t)pid + 1, &idx) ? m->names[idx] : NULL;
}

static void set_state(sock_info *s, sock_state st, uint64_t time, uint64_t row)
{
    if (s->state == st && s->ntransitions)
        return;
    s->state = (uint8_t)st;
    if (s->ntransitions < SOCK_MAX_TRANSITIONS) {
        sock_transition *t = &s->transitions[s->ntransitions++];
        t->time = time;
        t->row = row;
        t->state = (uint8_t)st;
    }
}

static sock_info *new_socket(sock_model *m, uint64_t endpoint, uint64_t time, uint64_t row, uint32_t *index)
{
    uint32_t prev;
    uint32_t generation = 1;
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        sock_info *socks = realloc(m->socks, cap * sizeof *socks);
        if (!socks)
            return NULL;
        m->socks = socks;
        m->cap = cap;
    }
    if (u64map_get(&m->by_endpoint, endpoint, &prev))
        generation = m->socks[prev].generation + 1;
    if (u64map_put(&m->by_endpoint, endpoint, (uint32_t)m->count) != 0)
        return NULL;
    sock_info *s = &m->socks[m->count];
    memset(s, 0, sizeof *s);
    s->endpoint = endpoint;
    s->generation = generation;
    s->listener = SOCK_NONE;
    s->created = time;
    s->first_row = row;
    *index = (uint32_t)m->count++;
    return s;
}

/* FNV-1a of family, port and address bytes; never 0 (the maps' empty key). */
static uint64_t addr_key(const afd_addr *a)
{
    uint64_t h = 0xcbf29ce484222325ull;
    uint8_t head[4] = {(uint8_t)a->family, (uint8_t)(a->family >> 8), (uint8_t)a->port, (uint8_t)(a->port >> 8)};
    for (int i = 0; i < 4; i++)
        h = (h ^ head[i]) * 0x100000001b3ull;
    for (int i = 0; i < 16; i++)
        h = (h ^ a->bytes[i]) * 0x100000001b3ull;
    return h ? h : 1;
}

static void copy_addr(afd_addr *dst, const afd_addr *src)
{
    *dst = *src;
    dst->raw = NULL;
    dst->raw_len = 0;
}

static void note_error(sock_info *s, uint32_t status, uint64_t time, uint16_t id)
{
    if (s->flags & SOCK_F_HAS_ERROR)
        return;
    s->flags |= SOCK_F_HAS_ERROR;
    s->error = status;
    s->error_time = time;
    s->error_event = id;
}

static void note_abort(sock_info *s, uint32_t reason, uint16_t id, uint64_t time, uint64_t row)
{
    if (!(s->flags & SOCK_F_HAS_ABORT)) {
        s->flags |= SOCK_F_HAS_ABORT;
        s->abort_reason = reason;
        s->abort_event = id;
    }
    set_state(s, SOCK_ABORTED, time, row);
}

/* Counting rule (sock.h): which events carry bytes the application sent or received. */
static int counts_as_send(uint16_t id, int request, int completion_ok, uint64_t location)
{
    switch (id) {
    case 1003:
    case 1005:
    case 1011:
        return completion_ok && location != 3073;
    case 1007:
    case 1013:
        return request;
    case 24:
    case 25:
    case 28:
        return 1;
    default:
        return 0;
    }
}

static int counts_as_receive(uint16_t id, int completion_ok)
{
    switch (id) {
    case 1004:
    case 1006:
    case 1009:
    case 1012:
    case 1015:
        return completion_ok;
    case 23:
    case 26:
    case 27:
        return 1;
    default:
        return 0;
    }
}

/* The state a socket first seen in mid-life is most likely in, from what it is doing. */
static sock_state preexisting_state(uint32_t ops)
{
    if (ops & (AFD_OP_LISTEN | AFD_OP_ACCEPT))
        return SOCK_LISTENING;
    if (ops & (AFD_OP_SEND | AFD_OP_RECEIVE | AFD_OP_INDICATION | AFD_OP_DISCONNECT))
        return SOCK_CONNECTED;
    return SOCK_CREATED;
}

/* One event's fields with the index of every role, found in one pass over its template (the model asks
 * for a dozen roles per event). */
typedef struct fed {
    const afd_fields *f;
    int8_t at[AFD_ROLE_COUNT];
} fed;

static void fed_init(fed *e, const afd_fields *f)
{
    memset(e->at, -1, sizeof e->at);
    for (unsigned i = 0; i < f->schema->nfields; i++) {
        unsigned role = f->schema->fields[i].role;
        if (role < AFD_ROLE_COUNT && e->at[role] < 0)
            e->at[role] = (int8_t)i;
    }
    e->f = f;
}

static int fed_has(const fed *e, afd_role role)
{
    return e->at[role] >= 0;
}

static uint64_t fed_get(const fed *e, afd_role role, uint64_t dflt)
{
    int i = e->at[role];
    return i >= 0 && i < e->f->count ? e->f->v[i].u : dflt;
}

static void learn_owner(sock_model *m, sock_info *s, const fed *e)
{
    uint64_t proc = fed_get(e, AFD_ROLE_PROCESS, 0);
    uint64_t pid = fed_get(e, AFD_ROLE_PID, 0);
    uint32_t known;
    if (proc && !s->process_ptr)
        s->process_ptr = proc;
    if (pid && proc)
        u64map_put(&m->pid_of_eprocess, proc, (uint32_t)pid);
    if (!s->pid) {
        if (pid)
            s->pid = (uint32_t)pid;
        else if (u64map_get(&m->pid_of_eprocess, s->process_ptr, &known))
            s->pid = known;
    }
}

/* The socket an event on `endpoint` belongs to; a socket never created in the trace is pre-existing. */
static sock_info *socket_for(sock_model *m, uint64_t endpoint, uint32_t ops, uint64_t time, uint64_t row,
                             uint32_t *index)
{
    if (u64map_get(&m->by_endpoint, endpoint, index))
        return &m->socks[*index];
    sock_info *s = new_socket(m, endpoint, time, row, index);
    if (s) {
        s->flags |= SOCK_F_PREEXISTING;
        set_state(s, preexisting_state(ops), time, row);
    }
    return s;
}

static void take_address(sock_info *s, const fed *e)
{
    if (!e->f->has_addr)
        return;
    if (fed_has(e, AFD_ROLE_LOCAL_ADDR))
        copy_addr(&s->local, &e->f->addr);
    else if (fed_has(e, AFD_ROLE_REMOTE_ADDR) && !s->remote.family)
        copy_addr(&s->remote, &e->f->addr);
}

/* An accepted socket belongs to the listener's process and shares its local address. */
static void inherit_from_listener(sock_info *s, const sock_info *listener)
{
    if (!s->pid)
        s->pid = listener->pid;
    if (!s->process_ptr)
        s->process_ptr = listener->process_ptr;
    if (!s->family)
        s->family = listener->family;
    if (!s->type)
        s->type = listener->type;
    if (!s->protocol)
        s->protocol = listener->protocol;
    if (!s->local.family)
        copy_addr(&s->local, &listener->local);
}

static uint32_t feed_accept(sock_model *m, sock_info *listener, uint32_t listener_index, uint64_t row,
                            uint64_t time, int ok, const fed *e)
{
    const afd_fields *f = e->f;
    uint64_t accept_ep = fed_get(e, AFD_ROLE_ACCEPT_ENDPOINT, 0);
    uint32_t index;
    sock_info *s = NULL;

    if (!ok || !accept_ep)
        return listener_index;
    if (u64map_get(&m->by_endpoint, accept_ep, &index)) {
        s = &m->socks[index];
        /* AcceptEx hands over a socket the application created: keep it unless it already lived. */
        if (s->state > SOCK_BOUND || (s->flags & SOCK_F_CLOSED))
            s = NULL;
    }
    if (!s) {
        s = new_socket(m, accept_ep, time, row, &index);
        if (!s)
            return listener_index;
        listener = &m->socks[listener_index]; /* new_socket may have moved the array */
    }
    s->flags |= SOCK_F_ACCEPTED | SOCK_F_EVER_CONNECTED;
    s->listener = listener_index;
    s->events++;
    s->last_row = row;
    s->last_time = time;
    listener->accepts++;
    inherit_from_listener(s, listener);
    if (f->has_addr)
        copy_addr(&s->remote, &f->addr);
    set_state(s, SOCK_CONNECTED, time, row);
    return index;
}

uint32_t sock_model_add_existing(sock_model *m, uint64_t time, uint32_t pid, uint32_t family, uint32_t type,
                                 uint32_t protocol, const afd_addr *local, const afd_addr *remote, sock_state state)
{
    uint32_t index;
    /* Endpoint 0 never enters the endpoint map, so no event can land on this socket by accident. */
    sock_info *s = new_socket(m, 0, time, UINT64_MAX, &index);
    if (!s)
        return SOCK_NONE;
    s->flags |= SOCK_F_PREEXISTING;
    s->pid = pid;
    s->family = family;
    s->type = type;
    s->protocol = protocol;
    if (local)
        copy_addr(&s->local, local);
    if (remote)
        copy_addr(&s->remote, remote);
    s->last_time = time;
    set_state(s, state, time, UINT64_MAX);
    return index;
}

uint32_t sock_model_feed(sock_model *m, uint64_t row, uint64_t time, uint32_t header_pid, uint64_t keyword,
                         const afd_fields *f)
{
    const afd_event_schema *sc = f->schema;
    fed e;
    fed_init(&e, f);
    uint64_t endpoint = fed_get(&e, AFD_ROLE_ENDPOINT, 0);
    uint32_t ops = sc->ops;
    uint32_t index;
    sock_info *s;

    if (!endpoint)
        return SOCK_NONE;

    int has_enter_exit = fed_has(&e, AFD_ROLE_ENTER_EXIT) && f->count > 0;
    uint64_t enter_exit = fed_get(&e, AFD_ROLE_ENTER_EXIT, 1);
    int request = has_enter_exit && enter_exit == 0;
    uint32_t status = f->has_status ? f->status : 0;
    int ntstatus = sc->status_kind == AFD_STATUS_NTSTATUS && f->has_status;
    int pending = ntstatus && nts_outcome(status) == NTS_PENDING;
    int ok = !ntstatus || (nts_is_success(status) && !pending);
    int completion_ok = !request && ok && !pending;
    int failed = ntstatus && !nts_is_success(status);

    if ((ops & AFD_OP_CREATE) && !(ops & AFD_OP_FAIL)) {
        int reuse = 0;
        /* The request and completion of one create describe the same socket. */
        if (!request && u64map_get(&m->by_endpoint, endpoint, &index))
            reuse = (m->socks[index].flags & SOCK_F_CREATE_REQUESTED) != 0;
        if (!reuse) {
            s = new_socket(m, endpoint, time, row, &index);
            if (!s)
                return SOCK_NONE;
            set_state(s, SOCK_CREATED, time, row);
        }
        s = &m->socks[index];
        s->family = (uint32_t)fed_get(&e, AFD_ROLE_FAMILY, s->family);
        s->type = (uint32_t)fed_get(&e, AFD_ROLE_SOCKET_TYPE, s->type);
        s->protocol = (uint32_t)fed_get(&e, AFD_ROLE_PROTOCOL, s->protocol);
    } else {
        s = socket_for(m, endpoint, ops, time, row, &index);
        if (!s)
            return SOCK_NONE;
    }

    learn_owner(m, s, &e);
    /* AFD sets the STREAM or DATAGRAM keyword at run time: the type of a socket whose create was not seen. */
    if (!s->type && (keyword & (AFD_KW_STREAM | AFD_KW_DATAGRAM)))
        s->type = (keyword & AFD_KW_STREAM) ? 1 : 2;
    s->flags &= ~(uint32_t)SOCK_F_CREATE_REQUESTED;
    if (request && (ops & AFD_OP_CREATE) && !(ops & AFD_OP_FAIL))
        s->flags |= SOCK_F_CREATE_REQUESTED;
    if (request && header_pid > 4 && !s->guess_pid)
        s->guess_pid = header_pid;
    s->events++;
    s->last_row = row;
    s->last_time = time;

    uint32_t result = index;
    uint64_t bytes = fed_get(&e, AFD_ROLE_BYTES, 0);

    if (ops & AFD_OP_FAIL) {
        /* Events that exist only to report a failure (legacy 9-12, 17, 40): Error is the status. */
        note_error(s, f->status, time, sc->id);
        if (ops & (AFD_OP_BIND | AFD_OP_CONNECT))
            s->flags |= SOCK_F_FAILED;
    } else if (ops & AFD_OP_CREATE) {
        if (failed) {
            note_error(s, status, time, sc->id);
            s->flags |= SOCK_F_FAILED;
            set_state(s, SOCK_FAILED, time, row);
        }
    } else if ((ops & AFD_OP_ACCEPT) && (ops & AFD_OP_INDICATION)) {
        /* A connection arrived at a listener: remember the peer, to find the listener of a legacy accept. */
        if (failed)
            note_error(s, status, time, sc->id);
        if (s->state < SOCK_LISTENING)
            set_state(s, SOCK_LISTENING, time, row);
        if (f->has_addr)
            u64map_put(&m->listener_of_peer, addr_key(&f->addr), index);
    } else if ((ops & AFD_OP_ACCEPT) && (ops & AFD_OP_LEGACY)) {
        /* Legacy accepts (15, 16) name the accepted socket itself. */
        uint32_t l;
        if (failed) {
            note_error(s, status, time, sc->id);
        } else {
            s->flags |= SOCK_F_ACCEPTED | SOCK_F_EVER_CONNECTED;
            if (f->has_addr) {
                copy_addr(&s->remote, &f->addr);
                if (u64map_get(&m->listener_of_peer, addr_key(&f->addr), &l) && l != index) {
                    s->listener = l;
                    m->socks[l].accepts++;
                    inherit_from_listener(s, &m->socks[l]);
                }
            }
            set_state(s, SOCK_CONNECTED, time, row);
        }
    } else if (ops & AFD_OP_ACCEPT) {
        if (failed)
            note_error(s, status, time, sc->id);
        if (s->state < SOCK_LISTENING)
            set_state(s, SOCK_LISTENING, time, row);
        result = feed_accept(m, s, index, row, time, !request && ok, &e);
    } else if (ops & AFD_OP_BIND) {
        take_address(s, &e);
        if (failed) {
            note_error(s, status, time, sc->id);
            s->flags |= SOCK_F_FAILED;
        } else if (!request && !pending && s->state < SOCK_BOUND) {
            set_state(s, SOCK_BOUND, time, row);
        }
    } else if (ops & AFD_OP_CONNECT) {
        take_address(s, &e);
        if (failed) {
            note_error(s, status, time, sc->id);
            s->flags |= SOCK_F_FAILED;
            set_state(s, SOCK_FAILED, time, row);
        } else if (request || pending || sc->status_kind == AFD_STATUS_NONE) {
            if (s->state < SOCK_CONNECTING)
                set_state(s, SOCK_CONNECTING, time, row);
        } else {
            s->flags |= SOCK_F_EVER_CONNECTED;
            set_state(s, SOCK_CONNECTED, time, row);
        }
    } else if (ops & AFD_OP_LISTEN) {
        if (failed)
            note_error(s, status, time, sc->id);
        else if (!request && !pending)
            set_state(s, SOCK_LISTENING, time, row);
    } else if (ops & AFD_OP_ABORT) {
        note_abort(s, f->status, sc->id, time, row);
    } else if (ops & AFD_OP_DISCONNECT) {
        if (failed) {
            note_error(s, status, time, sc->id);
            note_abort(s, status, sc->id, time, row);
        } else {
            s->flags |= SOCK_F_PEER_CLOSED;
            if (s->state == SOCK_CONNECTED)
                set_state(s, SOCK_CLOSING, time, row);
        }
    } else if (ops & AFD_OP_CLOSE) {
        /* 1002/14 (cleanup: the handle goes away) precedes 1001/13 (the endpoint is closed). */
        if (sc->id == 1001 || sc->id == 13) {
            s->flags |= SOCK_F_CLOSED;
            s->closed = time;
            set_state(s, SOCK_CLOSED, time, row);
        } else if (s->state < SOCK_CLOSING || s->state == SOCK_LISTENING) {
            set_state(s, SOCK_CLOSING, time, row);
        }
    } else if (ops & AFD_OP_DROP) {
        s->drops++;
    } else if (ops & (AFD_OP_SEND | AFD_OP_RECEIVE | AFD_OP_INDICATION)) {
        if (f->has_addr && !s->remote.family && (ops & AFD_OP_DATAGRAM))
            copy_addr(&s->remote, &f->addr);
        if (ops & AFD_OP_INDICATION) {
            if (sc->id == 3000 || sc->id == 3001 || sc->id == 35 || sc->id == 36) {
                if (s->state < SOCK_LISTENING)
                    set_state(s, SOCK_LISTENING, time, row);
            } else if (!(ops & AFD_OP_BACKLOG)) {
                s->indications++;
                s->bytes_indicated += bytes;
            }
        } else if (counts_as_send(sc->id, request, completion_ok, fed_get(&e, AFD_ROLE_LOCATION, 0))) {
            s->sends++;
            s->bytes_sent += bytes;
        } else if (counts_as_receive(sc->id, completion_ok)) {
            s->receives++;
            s->bytes_received += bytes;
        }
        if (failed)
            note_error(s, status, time, sc->id);
    } else if (failed) {
        note_error(s, status, time, sc->id);
    }
    return result;
}

void sock_model_finish(sock_model *m)
{
    for (size_t i = 0; i < m->count; i++) {
        sock_info *s = &m->socks[i];
        uint32_t pid;
        if (!s->pid && u64map_get(&m->pid_of_eprocess, s->process_ptr, &pid))
            s->pid = pid;
        if (!s->pid && s->guess_pid) {
            s->pid = s->guess_pid;
            s->flags |= SOCK_F_OWNER_GUESSED;
        }
        for (unsigned t = 0; t < s->ntransitions; t++)
            if (s->transitions[t].state == SOCK_CONNECTED)
                s->flags |= SOCK_F_EVER_CONNECTED;
        if (s->flags & SOCK_F_HAS_ABORT)
            s->outcome = SOCK_OUTCOME_ABORTED;
        else if ((s->flags & SOCK_F_FAILED) && !(s->flags & SOCK_F_EVER_CONNECTED))
            s->outcome = SOCK_OUTCOME_FAILED;
        else if (s->flags & SOCK_F_CLOSED)
            s->outcome = SOCK_OUTCOME_CLOSED;
        else
            s->outcome = SOCK_OUTCOME_OPEN;
    }
}

const char *sock_state_name(sock_state s)
{
    static const char *const names[SOCK_STATE_COUNT] = {
        "created", "bound", "connecting", "connected", "listening", "closing", "closed", "aborted", "failed",
    };
    return (unsigned)s < SOCK_STATE_COUNT ? names[s] : "?";
}

const char *sock_outcome_name(sock_outcome o)
{
    static const char *const names[SOCK_OUTCOME_COUNT] = {"open", "closed", "aborted", "failed"};
    return (unsigned)o < SOCK_OUTCOME_COUNT ? names[o] : "?";
}
