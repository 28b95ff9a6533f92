/*
 * afd_decode.c - Winsock-AFD payloads <-> typed values, driven by the schema
 * table. Decoding runs once per visible or filtered event, so it allocates
 * nothing, formats nothing and touches only the fields it fills.
 */
#include <wsk/afd.h>

#include <string.h>

static uint32_t le16(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_be(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

/* Wire sizes by afd_type; pointers and sockaddrs (AddressLen bytes) are sized per event. */
static const uint8_t wire_size[AFD_T_COUNT] = {0, 1, 2, 4, 4, 4, 4, 4, 4, 16, 2, 4, 0};

int afd_sockaddr_parse(const uint8_t *p, uint32_t len, afd_addr *a)
{
    memset(a, 0, sizeof *a);
    if (len == 0)
        return 0;
    a->raw = p;
    a->raw_len = len;
    if (len < 2)
        return -1;
    a->family = (uint16_t)le16(p);
    a->raw = p + 2;
    a->raw_len = len - 2;
    if (a->family == AFD_AF_INET || a->family == AFD_AF_INET6) {
        if (len >= 4) {
            a->port = (uint16_t)(p[2] << 8 | p[3]);
            a->has_port = 1;
        }
        if (a->family == AFD_AF_INET) {
            /* sockaddr_in: family, port, 4 address bytes, 8 bytes of zero padding */
            if (len < 8)
                return -1;
            memcpy(a->bytes, p + 4, 4);
            return 0;
        }
        /* sockaddr_in6: family, port, flowinfo, 16 address bytes, scope id (absent in the
           24-byte form of old headers) */
        if (len < 24)
            return -1;
        a->flowinfo = be32(p + 4);
        memcpy(a->bytes, p + 8, 16);
        if (len >= 28)
            a->scope = le32(p + 24);
        return 0;
    }
    if (a->family == AFD_AF_UNIX) {
        uint32_t n = 0;
        while (n < a->raw_len && a->raw[n])
            n++;
        a->raw_len = n;
    }
    return 0;
}

size_t afd_sockaddr_build(const afd_addr *a, uint8_t *buf, size_t cap)
{
    size_t n;
    if (!a || !buf)
        return 0;
    switch (a->family) {
    case AFD_AF_INET:
        n = 16;
        break;
    case AFD_AF_INET6:
        n = 28;
        break;
    case AFD_AF_UNIX:
        n = 2 + (size_t)a->raw_len + 1;
        break;
    default:
        return 0;
    }
    if (cap < n)
        return 0;
    memset(buf, 0, n);
    put_le(buf, a->family, 2);
    if (a->family == AFD_AF_INET) {
        put_be(buf + 2, a->port, 2);
        memcpy(buf + 4, a->bytes, 4);
    } else if (a->family == AFD_AF_INET6) {
        put_be(buf + 2, a->port, 2);
        put_be(buf + 4, a->flowinfo, 4);
        memcpy(buf + 8, a->bytes, 16);
        put_le(buf + 24, a->scope, 4);
    } else if (a->raw_len) {
        memcpy(buf + 2, a->raw, a->raw_len);
    }
    return n;
}

int afd_decode(const afd_event_schema *s, const uint8_t *data, uint32_t len, unsigned ptr_size,
               afd_fields *out)
{
    uint32_t off = 0;
    unsigned i;
    const int8_t *r;
    int addr_i, port_i;
    uint8_t mal = 0;

    if (!s || !out || (ptr_size != 4 && ptr_size != 8) || (!data && len) || s->nfields > AFD_MAX_FIELDS)
        return -1;
    out->schema = s;
    out->ptr_size = (uint8_t)ptr_size;
    out->has_status = 0;
    out->has_addr = 0;
    out->status = 0;
    out->extra = 0;
    r = out->role_at;
    memset(out->role_at, -1, sizeof out->role_at);
    for (i = 0; i < s->nfields; i++) {
        const afd_field_def *fd = &s->fields[i];
        afd_value *v = &out->v[i];
        uint8_t type = fd->type;
        uint32_t need = type == AFD_T_POINTER ? ptr_size : wire_size[type];
        const uint8_t *p;
        if (type == AFD_T_SOCKADDR)
            need = i > 0 ? (uint32_t)out->v[i - 1].u : 0;
        if (len - off < need) {
            mal |= AFD_MAL_SHORT;
            break;
        }
        p = data + off;
        /* Pointers and 4-byte values are nearly every field: keep them off the switch. */
        if (type == AFD_T_POINTER) {
            v->u = ptr_size == 8 ? le64(p) : le32(p);
        } else if (need == 4 && type != AFD_T_IPV4 && type != AFD_T_SOCKADDR) {
            uint32_t x = le32(p);
            v->u = type == AFD_T_I32 ? (uint64_t)(int64_t)(int32_t)x : x;
        } else {
            switch (type) {
            case AFD_T_U8:
                v->u = p[0];
                break;
            case AFD_T_U16:
                v->u = le16(p);
                break;
            case AFD_T_PORT:
                v->u = (uint32_t)p[0] << 8 | p[1];
                break;
            case AFD_T_IPV4:
                v->u = be32(p);
                v->data = p;
                v->len = 4;
                break;
            default: /* IPV6, SOCKADDR */
                v->u = 0;
                v->data = p;
                v->len = need;
                break;
            }
        }
        /* each role occurs at most once per event (test_afd_decode checks the table) */
        out->role_at[fd->role] = (int8_t)i;
        off += need;
    }
    out->count = (uint8_t)i;
    out->role_at[AFD_ROLE_NONE] = -1;
    if (s->status_field >= 0 && s->status_field < (int)i) {
        out->status = (uint32_t)out->v[s->status_field].u;
        out->has_status = 1;
    }
    addr_i = r[AFD_ROLE_LOCAL_ADDR] >= 0 ? r[AFD_ROLE_LOCAL_ADDR] : r[AFD_ROLE_REMOTE_ADDR];
    port_i = r[AFD_ROLE_LOCAL_PORT] >= 0 ? r[AFD_ROLE_LOCAL_PORT] : r[AFD_ROLE_REMOTE_PORT];
    if (i == s->nfields && off < len) {
        mal |= AFD_MAL_LONG;
        out->extra = len - off;
    }
    if (addr_i >= 0) {
        const afd_value *v = &out->v[addr_i];
        uint8_t type = s->fields[addr_i].type;
        if (type == AFD_T_SOCKADDR) {
            if (afd_sockaddr_parse(v->data, v->len, &out->addr) != 0)
                mal |= AFD_MAL_ADDR;
            out->has_addr = v->len > 0;
        } else {
            memset(&out->addr, 0, sizeof out->addr);
            out->addr.family = type == AFD_T_IPV4 ? AFD_AF_INET : AFD_AF_INET6;
            memcpy(out->addr.bytes, v->data, v->len);
            if (port_i >= 0) {
                out->addr.port = (uint16_t)out->v[port_i].u;
                out->addr.has_port = 1;
            }
            out->has_addr = 1;
        }
    }
    out->malformed = mal;
    return 0;
}

uint64_t afd_get(const afd_fields *f, afd_role role, uint64_t dflt)
{
    int k;
    if (!f || (unsigned)role >= AFD_ROLE_COUNT || role == AFD_ROLE_NONE)
        return dflt;
    k = f->role_at[role];
    return k >= 0 ? f->v[k].u : dflt;
}

int afd_encode(const afd_event_schema *s, unsigned ptr_size, const afd_value *values, size_t count,
               uint8_t *buf, size_t cap, size_t *len)
{
    size_t total = 0;
    if (!s || !values || !len || count != s->nfields || (ptr_size != 4 && ptr_size != 8))
        return -1;
    for (size_t i = 0; i < count; i++) {
        uint8_t type = s->fields[i].type;
        const afd_value *v = &values[i];
        if (type == AFD_T_SOCKADDR) {
            if (v->len && !v->data)
                return -1;
            total += v->len;
        } else if (type == AFD_T_IPV6) {
            if (v->len != 16 || !v->data)
                return -1;
            total += 16;
        } else if (type == AFD_T_ADDRLEN && (i + 1 >= count || s->fields[i + 1].type != AFD_T_SOCKADDR)) {
            return -1;
        } else {
            total += type == AFD_T_POINTER ? ptr_size : wire_size[type];
        }
    }
    *len = total;
    if (!buf || cap < total)
        return -2;
    for (size_t i = 0; i < count; i++) {
        uint8_t type = s->fields[i].type;
        const afd_value *v = &values[i];
        switch (type) {
        case AFD_T_POINTER:
            put_le(buf, v->u, ptr_size);
            buf += ptr_size;
            break;
        case AFD_T_U8:
            *buf++ = (uint8_t)v->u;
            break;
        case AFD_T_U16:
            put_le(buf, v->u, 2);
            buf += 2;
            break;
        case AFD_T_PORT:
            put_be(buf, v->u, 2);
            buf += 2;
            break;
        case AFD_T_IPV4:
            put_be(buf, v->u, 4);
            buf += 4;
            break;
        case AFD_T_ADDRLEN:
            put_le(buf, values[i + 1].len, 4);
            buf += 4;
            break;
        case AFD_T_IPV6:
        case AFD_T_SOCKADDR:
            if (v->len)
                memcpy(buf, v->data, v->len);
            buf += v->len;
            break;
        default:
            put_le(buf, v->u, 4);
            buf += 4;
            break;
        }
    }
    return 0;
}
