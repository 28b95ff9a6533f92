/*
 * nts.c - the NTSTATUS values sockets report, with the Winsock error each one
 * becomes (the mapping mswsock/ws2_32 apply to overlapped results) and a plain
 * sentence of its usual cause. Sorted by value for a binary search.
 */
#include <wsk/nts.h>

#define W(n, name) n, name
#define NONE 0, NULL

static const nts_info table[] = {
    {0x00000000u, "STATUS_SUCCESS", W(0, "NO_ERROR"), "The operation succeeded."},
    {0x00000102u, "STATUS_TIMEOUT", W(10060, "WSAETIMEDOUT"),
     "A wait ended because its time limit passed before the awaited thing happened."},
    {0x00000103u, "STATUS_PENDING", W(997, "WSA_IO_PENDING"),
     "The request was queued and will complete later; look for its completion event."},
    {0x4000000Fu, "STATUS_RECEIVE_PARTIAL", NONE,
     "A receive returned part of a message; the rest is still waiting to be read."},
    {0x40000010u, "STATUS_RECEIVE_EXPEDITED", NONE, "A receive returned urgent (out-of-band) data."},
    {0x40000011u, "STATUS_RECEIVE_PARTIAL_EXPEDITED", NONE,
     "A receive returned part of an urgent (out-of-band) message."},
    {0x80000005u, "STATUS_BUFFER_OVERFLOW", W(10040, "WSAEMSGSIZE"),
     "The datagram was larger than the receive buffer and was truncated."},
    {0xC0000001u, "STATUS_UNSUCCESSFUL", NONE, "The operation failed for an unspecified reason."},
    {0xC0000002u, "STATUS_NOT_IMPLEMENTED", W(10045, "WSAEOPNOTSUPP"),
     "The socket's provider does not implement the requested operation."},
    {0xC0000005u, "STATUS_ACCESS_VIOLATION", W(10014, "WSAEFAULT"),
     "A buffer or address passed by the application points to memory it cannot use."},
    {0xC0000007u, "STATUS_PAGEFILE_QUOTA", W(10055, "WSAENOBUFS"),
     "The process used up its pagefile quota, so no memory could be reserved for the request."},
    {0xC0000008u, "STATUS_INVALID_HANDLE", W(10038, "WSAENOTSOCK"),
     "The handle is not (or no longer) a valid socket, often because it was already closed."},
    {0xC000000Du, "STATUS_INVALID_PARAMETER", W(10022, "WSAEINVAL"),
     "An argument was invalid, or the socket is in the wrong state for the call (for example accept on a "
     "socket that is not listening)."},
    {0xC000000Eu, "STATUS_NO_SUCH_DEVICE", W(10050, "WSAENETDOWN"),
     "The transport device the socket needs is not present."},
    {0xC000000Fu, "STATUS_NO_SUCH_FILE", W(10050, "WSAENETDOWN"), "The transport object could not be found."},
    {0xC0000010u, "STATUS_INVALID_DEVICE_REQUEST", NONE,
     "The request is not valid for this kind of socket or transport."},
    {0xC0000011u, "STATUS_END_OF_FILE", NONE, "There is no more data: the stream has ended."},
    {0xC0000017u, "STATUS_NO_MEMORY", W(10055, "WSAENOBUFS"),
     "The system ran out of memory for the request's buffers."},
    {0xC0000018u, "STATUS_CONFLICTING_ADDRESSES", W(10049, "WSAEADDRNOTAVAIL"),
     "The requested address conflicts with one already in use on this machine."},
    {0xC0000022u, "STATUS_ACCESS_DENIED", W(10013, "WSAEACCES"),
     "Permission denied: for example binding a port reserved or held exclusively by another process, or "
     "sending to a broadcast address without SO_BROADCAST."},
    {0xC0000023u, "STATUS_BUFFER_TOO_SMALL", W(10014, "WSAEFAULT"),
     "A buffer (often a sockaddr) passed by the application is too small."},
    {0xC0000024u, "STATUS_OBJECT_TYPE_MISMATCH", W(10038, "WSAENOTSOCK"),
     "The handle refers to something that is not a socket."},
    {0xC0000034u, "STATUS_OBJECT_NAME_NOT_FOUND", W(10050, "WSAENETDOWN"),
     "The transport or name the socket refers to does not exist."},
    {0xC000003Au, "STATUS_OBJECT_PATH_NOT_FOUND", W(10050, "WSAENETDOWN"),
     "The transport path the socket refers to does not exist."},
    {0xC0000043u, "STATUS_SHARING_VIOLATION", W(10048, "WSAEADDRINUSE"),
     "Another socket already uses this local address and port, and sharing it is not allowed."},
    {0xC0000044u, "STATUS_QUOTA_EXCEEDED", W(10055, "WSAENOBUFS"),
     "The process exceeded its resource quota (too many outstanding requests or buffers)."},
    {0xC0000097u, "STATUS_TOO_MANY_PAGING_FILES", W(10055, "WSAENOBUFS"),
     "A memory resource limit was hit while allocating for the request."},
    {0xC000009Au, "STATUS_INSUFFICIENT_RESOURCES", W(10055, "WSAENOBUFS"),
     "The system lacked the memory or other resources (such as ports) to complete the request."},
    {0xC00000A1u, "STATUS_WORKING_SET_QUOTA", W(10055, "WSAENOBUFS"),
     "The process's working-set quota did not allow locking the buffers in memory."},
    {0xC00000A3u, "STATUS_DEVICE_NOT_READY", W(10035, "WSAEWOULDBLOCK"),
     "A non-blocking call could not complete now; try again later."},
    {0xC00000B0u, "STATUS_PIPE_DISCONNECTED", W(10058, "WSAESHUTDOWN"),
     "The socket was shut down in this direction, so no more data can be sent or received."},
    {0xC00000B5u, "STATUS_IO_TIMEOUT", W(10060, "WSAETIMEDOUT"),
     "The peer did not answer in time: a connect got no reply (host down or filtered) or an established "
     "connection stopped acknowledging data."},
    {0xC00000BBu, "STATUS_NOT_SUPPORTED", W(10045, "WSAEOPNOTSUPP"),
     "The operation is not supported for this type of socket (for example listen on a datagram socket)."},
    {0xC00000BCu, "STATUS_REMOTE_NOT_LISTENING", W(10061, "WSAECONNREFUSED"),
     "Nothing is listening at the remote address and port."},
    {0xC00000BEu, "STATUS_BAD_NETWORK_PATH", W(10051, "WSAENETUNREACH"),
     "The network path could not be found."},
    {0xC00000BFu, "STATUS_NETWORK_BUSY", W(10050, "WSAENETDOWN"),
     "The network was too busy to take the request."},
    {0xC00000C3u, "STATUS_INVALID_NETWORK_RESPONSE", W(10050, "WSAENETDOWN"),
     "The network returned an answer the transport could not use."},
    {0xC00000C4u, "STATUS_UNEXPECTED_NETWORK_ERROR", W(10050, "WSAENETDOWN"),
     "The network stack hit an unexpected error."},
    {0xC00000D0u, "STATUS_REQUEST_NOT_ACCEPTED", W(10035, "WSAEWOULDBLOCK"),
     "The transport could not accept the request right now (for example its connection limit was reached)."},
    {0xC0000120u, "STATUS_CANCELLED", W(995, "WSA_OPERATION_ABORTED"),
     "The request was cancelled: the socket was closed, CancelIo ran, or the issuing thread exited while the "
     "I/O was pending."},
    {0xC0000128u, "STATUS_FILE_CLOSED", NONE, "The socket handle was closed while the request used it."},
    {0xC000012Du, "STATUS_COMMITMENT_LIMIT", W(10055, "WSAENOBUFS"),
     "The system commit limit was reached while allocating for the request."},
    {0xC000013Bu, "STATUS_LOCAL_DISCONNECT", W(10053, "WSAECONNABORTED"),
     "This machine aborted the connection, for example after a retransmission timeout or a protocol error."},
    {0xC000013Cu, "STATUS_REMOTE_DISCONNECT", W(10054, "WSAECONNRESET"),
     "The peer disconnected while the request was in progress."},
    {0xC000013Du, "STATUS_REMOTE_RESOURCES", W(10055, "WSAENOBUFS"),
     "The peer ran out of resources for the connection."},
    {0xC000013Eu, "STATUS_LINK_FAILED", W(10054, "WSAECONNRESET"), "The connection's link failed."},
    {0xC000013Fu, "STATUS_LINK_TIMEOUT", W(10060, "WSAETIMEDOUT"), "The connection's link timed out."},
    {0xC0000140u, "STATUS_INVALID_CONNECTION", W(10057, "WSAENOTCONN"),
     "The socket is not connected (send/recv before connect completed, or after the connection ended)."},
    {0xC0000141u, "STATUS_INVALID_ADDRESS", W(10049, "WSAEADDRNOTAVAIL"),
     "The address is not valid here, for example binding to an IP address this machine does not have."},
    {0xC0000184u, "STATUS_INVALID_DEVICE_STATE", NONE,
     "The socket is in the wrong state for the request (for example already connecting)."},
    {0xC0000206u, "STATUS_INVALID_BUFFER_SIZE", W(10040, "WSAEMSGSIZE"),
     "The message is too large for the transport (for example a datagram above the maximum size)."},
    {0xC0000207u, "STATUS_INVALID_ADDRESS_COMPONENT", W(10049, "WSAEADDRNOTAVAIL"),
     "Part of the address is invalid, such as port 0 or the any-address as a destination."},
    {0xC0000209u, "STATUS_TOO_MANY_ADDRESSES", W(10048, "WSAEADDRINUSE"),
     "No more local addresses or ports are available: the ephemeral port range is exhausted."},
    {0xC000020Au, "STATUS_ADDRESS_ALREADY_EXISTS", W(10048, "WSAEADDRINUSE"),
     "The local address and port are already in use by another socket."},
    {0xC000020Cu, "STATUS_CONNECTION_DISCONNECTED", W(10054, "WSAECONNRESET"),
     "The connection was disconnected."},
    {0xC000020Du, "STATUS_CONNECTION_RESET", W(10054, "WSAECONNRESET"),
     "The peer reset the connection (a TCP RST), usually because the remote application closed abortively or "
     "crashed."},
    {0xC000020Fu, "STATUS_TRANSACTION_ABORTED", W(10053, "WSAECONNABORTED"),
     "The transport aborted the exchange."},
    {0xC000021Bu, "STATUS_DATA_NOT_ACCEPTED", NONE, "The transport did not accept the data indicated to it."},
    {0xC0000225u, "STATUS_NOT_FOUND", NONE, "The object the request refers to was not found."},
    {0xC0000236u, "STATUS_CONNECTION_REFUSED", W(10061, "WSAECONNREFUSED"),
     "The remote host answered with a reset: no application is listening on that port, or its backlog is "
     "full."},
    {0xC0000237u, "STATUS_GRACEFUL_DISCONNECT", W(10101, "WSAEDISCON"),
     "The peer closed the connection gracefully (it sent FIN); no more data will arrive."},
    {0xC0000238u, "STATUS_ADDRESS_ALREADY_ASSOCIATED", NONE,
     "The socket is already bound to an address, so it cannot be bound again."},
    {0xC0000239u, "STATUS_ADDRESS_NOT_ASSOCIATED", NONE, "The socket is not bound to an address yet."},
    {0xC000023Au, "STATUS_CONNECTION_INVALID", NONE, "The operation needs a connection that does not exist."},
    {0xC000023Bu, "STATUS_CONNECTION_ACTIVE", NONE, "The socket is already connected."},
    {0xC000023Cu, "STATUS_NETWORK_UNREACHABLE", W(10051, "WSAENETUNREACH"),
     "There is no route to the destination network (no default gateway, interface down, or a router reported "
     "it unreachable)."},
    {0xC000023Du, "STATUS_HOST_UNREACHABLE", W(10065, "WSAEHOSTUNREACH"),
     "The destination host could not be reached (no answer to ARP/neighbour discovery, or a router reported "
     "it unreachable)."},
    {0xC000023Eu, "STATUS_PROTOCOL_UNREACHABLE", W(10051, "WSAENETUNREACH"),
     "The remote host does not support the protocol (ICMP protocol unreachable)."},
    {0xC000023Fu, "STATUS_PORT_UNREACHABLE", W(10054, "WSAECONNRESET"),
     "An earlier datagram got an ICMP port unreachable: nothing listens on that UDP port at the "
     "destination."},
    {0xC0000240u, "STATUS_REQUEST_ABORTED", W(10004, "WSAEINTR"),
     "The request was aborted before it completed."},
    {0xC0000241u, "STATUS_CONNECTION_ABORTED", W(10053, "WSAECONNABORTED"),
     "The connection was aborted by this machine, for example by a closesocket with linger 0 or an AFD "
     "abort."},
    {0xC0000246u, "STATUS_CONNECTION_COUNT_LIMIT", NONE,
     "The limit on the number of connections was reached."},
    {0xC0000350u, "STATUS_HOST_DOWN", NONE, "The remote host is down."},
    {0xC000A012u, "STATUS_HOPLIMIT_EXCEEDED", W(10054, "WSAECONNRESET"),
     "The packet's hop limit (TTL) ran out on the way: a routing loop or a too-small TTL."},
};

#define TABLE_N (sizeof(table) / sizeof(table[0]))

const nts_info *nts_lookup(uint32_t status)
{
    size_t lo = 0, hi = TABLE_N;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (table[mid].status < status)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < TABLE_N && table[lo].status == status ? &table[lo] : NULL;
}

nts_result nts_outcome(uint32_t status)
{
    switch (status >> 30) {
    case 0:
        return status == 0x103u ? NTS_PENDING : NTS_SUCCESS;
    case 1:
        return NTS_INFO;
    case 2:
        return NTS_WARNING;
    default:
        return NTS_ERROR;
    }
}

int nts_is_success(uint32_t status)
{
    return status >> 30 <= 1;
}

const char *nts_result_name(nts_result r)
{
    switch (r) {
    case NTS_SUCCESS:
        return "success";
    case NTS_PENDING:
        return "pending";
    case NTS_INFO:
        return "info";
    case NTS_WARNING:
        return "warning";
    default:
        return "error";
    }
}

const char *nts_name(uint32_t status, char *buf, size_t cap)
{
    static const char hexd[] = "0123456789abcdef";
    const nts_info *i = nts_lookup(status);
    if (i)
        return i->name;
    if (!buf || cap < 11)
        return "";
    buf[0] = '0';
    buf[1] = 'x';
    for (int k = 0; k < 8; k++)
        buf[2 + k] = hexd[(status >> (28 - 4 * k)) & 15];
    buf[10] = 0;
    return buf;
}

size_t nts_count(void)
{
    return TABLE_N;
}

const nts_info *nts_at(size_t i)
{
    return i < TABLE_N ? &table[i] : NULL;
}
