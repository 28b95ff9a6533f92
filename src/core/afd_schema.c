/*
 * afd_schema.c - THE table of Microsoft-Windows-Winsock-AFD events: the only
 * place where an event's fields, names, levels and aliases are written down.
 * The decoder, encoder, docs generator and tests all read it.
 *
 * Facts come from ../shared/reference/winsock-afd-events.md (layouts from the
 * manifest dumps of Win7 7600 to Win11 22H2; every event is version 0 and no
 * layout ever changed). Keywords are the Win10+ manifest's (Win7 lacked the
 * Dropped bit on 33, 34, 1033). Tests check this table against hand-typed
 * payloads and against the manifest dumps themselves.
 */
#include <wsk/afd.h>

#include <string.h>

const etl_guid afd_provider_guid = {
    0xE53C6823u, 0x7BB8, 0x44BB, {0x90, 0xDC, 0x3F, 0x86, 0x09, 0x0D, 0x48, 0xA6}};

int afd_is_provider(const etl_guid *g)
{
    return g && memcmp(g, &afd_provider_guid, sizeof *g) == 0;
}

#define F(name, type, map, role)                                                                             \
    {                                                                                                        \
        name, AFD_T_##type, AFD_MAP_##map, AFD_ROLE_##role                                                   \
    }
#define PROCESS F("Process", POINTER, NONE, PROCESS)
#define ENDPOINT F("Endpoint", POINTER, NONE, ENDPOINT)
/* The prefix of every 1000/3000-series event (and 4018/4019). */
#define PREFIX F("EnterExit", U32, ENTER_EXIT, ENTER_EXIT), F("Location", U32, NONE, LOCATION), PROCESS
#define STATUS F("Status", NTSTATUS, NONE, STATUS)
#define ERROR_ F("Error", NTSTATUS, NONE, STATUS)
#define V4(role) F("Address", IPV4, NONE, role##_ADDR), F("Port", PORT, NONE, role##_PORT)
#define V6(role) F("Address", IPV6, NONE, role##_ADDR), F("Port", PORT, NONE, role##_PORT)
#define SOCKADDR(role) F("AddressLen", ADDRLEN, NONE, ADDR_LEN), F("Address", SOCKADDR, NONE, role##_ADDR)
#define BUF F("Buffer", POINTER, NONE, BUFFER)
#define BYTES F("BufferLength", U32, NONE, BYTES)

/* ---- IDs 1-41 ---- */
static const afd_field_def l_create[] = {PROCESS,
                                         ENDPOINT,
                                         F("AddressFamily", U32, FAMILY, FAMILY),
                                         F("SocketType", U32, SOCKET_TYPE, SOCKET_TYPE),
                                         F("Protocol", U32, PROTOCOL, PROTOCOL),
                                         F("UserModePid", POINTER, NONE, PID)};
static const afd_field_def l_bind4[] = {PROCESS, ENDPOINT, V4(LOCAL), STATUS};
static const afd_field_def l_bind6[] = {PROCESS, ENDPOINT, V6(LOCAL), STATUS};
static const afd_field_def l_remote4[] = {PROCESS, ENDPOINT, V4(REMOTE)};
static const afd_field_def l_remote6[] = {PROCESS, ENDPOINT, V6(REMOTE)};
static const afd_field_def l_error[] = {PROCESS, ENDPOINT, ERROR_};
static const afd_field_def l_reason[] = {PROCESS, ENDPOINT, F("Reason", I32, NONE, STATUS)};
static const afd_field_def l_accept4[] = {PROCESS, ENDPOINT, V4(REMOTE), STATUS};
static const afd_field_def l_accept6[] = {PROCESS, ENDPOINT, V6(REMOTE), STATUS};
#define POSTED                                                                                               \
    PROCESS, ENDPOINT, F("FastPath", BOOL, NONE, NONE), F("BufferCount", I32, NONE, BUFFER_COUNT), BUF, BYTES
static const afd_field_def l_posted[] = {POSTED};
static const afd_field_def l_posted4[] = {POSTED, V4(REMOTE)};
static const afd_field_def l_posted6[] = {POSTED, V6(REMOTE)};
static const afd_field_def l_done[] = {PROCESS, ENDPOINT, BUF, BYTES};
#define RECVFROM PROCESS, ENDPOINT, F("BufferCount", I32, NONE, BUFFER_COUNT), BUF, BYTES
static const afd_field_def l_recvfrom4[] = {RECVFROM, V4(REMOTE)};
static const afd_field_def l_recvfrom6[] = {RECVFROM, V6(REMOTE)};
static const afd_field_def l_option[] = {PROCESS, ENDPOINT, F("Option", HEX32, OPTION, NONE),
                                         F("Value", HEX32, NONE, NONE)};
static const afd_field_def l_select[] = {PROCESS, F("HandleCount", I32, NONE, NONE),
                                         F("Timeout", I32, NONE, NONE)};
static const afd_field_def l_eventselect[] = {PROCESS, ENDPOINT, F("EventMask", HEX32, NONE, NONE)};
#define PACKET F("PacketSize", I32, NONE, BYTES)
#define DREASON F("Reason", I32, NONE, STATUS)
static const afd_field_def l_drop4[] = {PROCESS, ENDPOINT, PACKET, V4(REMOTE), DREASON};
static const afd_field_def l_drop6[] = {PROCESS, ENDPOINT, PACKET, V6(REMOTE), DREASON};
#define LISTENER F("ListenEndpoint", POINTER, NONE, ENDPOINT)
static const afd_field_def l_connind4[] = {PROCESS, LISTENER, V4(REMOTE)};
static const afd_field_def l_connind6[] = {PROCESS, LISTENER, V6(REMOTE)};
#define INDICATED F("BytesIndicated", I32, NONE, BYTES)
static const afd_field_def l_dataind[] = {PROCESS, ENDPOINT, INDICATED};
static const afd_field_def l_dataind4[] = {PROCESS, ENDPOINT, V4(REMOTE), INDICATED};
static const afd_field_def l_dataind6[] = {PROCESS, ENDPOINT, V6(REMOTE), INDICATED};
static const afd_field_def l_disc[] = {PROCESS, ENDPOINT};

/* ---- 1000/3000 series ---- */
static const afd_field_def m_create[] = {PREFIX,
                                         ENDPOINT,
                                         F("AddressFamily", U32, FAMILY, FAMILY),
                                         F("SocketType", U32, SOCKET_TYPE, SOCKET_TYPE),
                                         F("Protocol", U32, PROTOCOL, PROTOCOL),
                                         F("ProcessId", POINTER, NONE, PID),
                                         STATUS};
static const afd_field_def m_status[] = {PREFIX, ENDPOINT, STATUS};
#define IO PREFIX, ENDPOINT, F("BufferCount", U32, NONE, BUFFER_COUNT), BUF, BYTES, STATUS
static const afd_field_def m_io[] = {IO};
static const afd_field_def m_io_addr[] = {IO, SOCKADDR(REMOTE)};
/* ConnectEx/AcceptEx data buffers are not counted as transferred bytes. */
#define XBUF BUF, F("BufferLength", U32, NONE, NONE)
static const afd_field_def m_connect_addr[] = {PREFIX, ENDPOINT, XBUF, STATUS, SOCKADDR(REMOTE)};
static const afd_field_def m_accept_addr[] = {PREFIX,
                                              ENDPOINT,
                                              XBUF,
                                              STATUS,
                                              SOCKADDR(REMOTE),
                                              F("AcceptEndpoint", POINTER, NONE, ACCEPT_ENDPOINT),
                                              F("CurrentBacklog", U32, NONE, BACKLOG)};
static const afd_field_def m_bind_addr[] = {PREFIX, ENDPOINT, STATUS, SOCKADDR(LOCAL)};
static const afd_field_def m_abort[] = {PREFIX, ENDPOINT, F("Reason", U32, ABORT_REASON, STATUS)};
static const afd_field_def m_drop[] = {PREFIX, ENDPOINT,         BUF,
                                       BYTES,  SOCKADDR(REMOTE), F("Reason", U32, DROP_REASON, STATUS)};
static const afd_field_def m_option[] = {PREFIX, ENDPOINT, F("Option", HEX32, OPTION, NONE),
                                         F("Value", HEX32, NONE, NONE), STATUS};
static const afd_field_def m_listen[] = {PREFIX, ENDPOINT, F("Backlog", U32, NONE, BACKLOG), STATUS};
static const afd_field_def t_connind_addr[] = {PREFIX, ENDPOINT, STATUS, SOCKADDR(REMOTE),
                                               F("CurrentBacklog", U32, NONE, BACKLOG)};
static const afd_field_def t_dataind[] = {PREFIX, ENDPOINT, BUF, BYTES};
static const afd_field_def t_dataind_addr[] = {PREFIX, ENDPOINT, BUF, BYTES, SOCKADDR(REMOTE)};
static const afd_field_def t_backlog[] = {PREFIX, ENDPOINT, F("SendBacklog", U32, NONE, BACKLOG)};

/* ---- 4000 series: RIO and name-resolution handles ---- */
#define P(name) F(name, POINTER, NONE, NONE)
#define U(name) F(name, U32, NONE, NONE)
static const afd_field_def r_domain_open[] = {P("RegistrationDomain"), STATUS};
static const afd_field_def r_domain[] = {P("RegistrationDomain")};
static const afd_field_def r_cq_open[] = {P("Cq"),
                                          P("RegistrationDomain"),
                                          U("EntryCount"),
                                          P("UserAddress"),
                                          P("SystemAddress"),
                                          U("BufferSize"),
                                          U("CqIndex"),
                                          F("NotificationType", U32, RIO_NOTIFY, NONE),
                                          P("NotificationHandle"),
                                          P("NotificationObject"),
                                          P("NotificationContext1"),
                                          P("NotificationContext2"),
                                          STATUS};
static const afd_field_def r_cq_close[] = {P("Cq"), U("Commit")};
static const afd_field_def r_cq[] = {P("Cq")};
static const afd_field_def r_cq_resize[] = {P("Cq"),
                                            U("OriginalEntryCount"),
                                            U("OriginalStart"),
                                            U("OriginalEnd"),
                                            U("Commit"),
                                            U("RequestedEntryCount"),
                                            P("UserAddress"),
                                            P("SystemAddress"),
                                            U("BufferSize"),
                                            STATUS};
static const afd_field_def r_rq_open[] = {ENDPOINT,
                                          P("RioState"),
                                          P("RegistrationDomain"),
                                          U("SendEntryCount"),
                                          P("SendUserAddress"),
                                          P("SendSystemAddress"),
                                          U("SendBufferSize"),
                                          U("ReceiveEntryCount"),
                                          P("ReceiveUserAddress"),
                                          P("ReceiveSystemAddress"),
                                          U("ReceiveBufferSize"),
                                          U("SendCqIndex"),
                                          U("ReceiveCqIndex"),
                                          STATUS};
static const afd_field_def r_rq_close[] = {P("RioState"), U("ReceiveQueueStart"), U("ReceiveQueueEnd"),
                                           U("SendQueueStart"), U("SendQueueEnd")};
static const afd_field_def r_rq[] = {P("RioState")};
static const afd_field_def r_rq_resize[] = {P("RioState"),
                                            U("OriginalSendEntryCount"),
                                            U("OriginalSendQueueStart"),
                                            U("OriginalSendQueueEnd"),
                                            U("RequestedSendEntryCount"),
                                            P("SendUserAddress"),
                                            P("SendSystemAddress"),
                                            U("SendBufferSize"),
                                            U("OriginalReceiveEntryCount"),
                                            U("OriginalReceiveQueueStart"),
                                            U("OriginalReceiveQueueEnd"),
                                            U("RequestedReceiveEntryCount"),
                                            P("ReceiveUserAddress"),
                                            P("ReceiveSystemAddress"),
                                            U("ReceiveBufferSize"),
                                            STATUS};
static const afd_field_def r_buf_open[] = {P("Buffer"),
                                           P("RegistrationDomain"),
                                           P("UserAddress"),
                                           P("SystemAddress"),
                                           U("BufferSize"),
                                           U("BufferId"),
                                           STATUS};
static const afd_field_def r_buf_close[] = {P("Buffer"), U("References")};
static const afd_field_def r_buf[] = {P("Buffer")};
static const afd_field_def r_bad_id[] = {P("RegistrationDomain"), P("RioState"), U("BufferId")};
static const afd_field_def r_range[] = {P("RegistrationDomain"), P("RioState"), P("Buffer"),
                                        U("BufferOffset"), U("BufferLength")};
static const afd_field_def r_size[] = {P("RioState"), U("BufferType"), U("SpecifiedLength"),
                                       U("RequiredLength")};
static const afd_field_def n_open[] = {P("NameResolutionHandle"), PROCESS, STATUS};
static const afd_field_def n_close[] = {P("NameResolutionHandle"), PROCESS};
static const afd_field_def r_notify[] = {PREFIX, P("RegDomain"), P("Cq"), STATUS};
static const afd_field_def a_pause[] = {PREFIX, ENDPOINT, F("PauseUnPause", U8, NONE, NONE),
                                        F("TLBacklogCount", I32, NONE, BACKLOG)};
static const afd_field_def r_sharing[] = {P("RegistrationDomain"), P("RioState"), U("BufferId"),
                                          U("BufferSharingType")};

#define NF(a) ((uint8_t)(sizeof(a) / sizeof((a)[0])))
/* Legacy events: task 0, no opcode, no keyword (33/34 excepted). */
#define L(id, lvl, kw, ops, arr, st, sk, name, meaning)                                                      \
    {                                                                                                        \
        id, 0, lvl, 0, 0, kw, (ops) | AFD_OP_LEGACY, st, AFD_STATUS_##sk, NF(arr), name, NULL, "task_0",     \
            meaning, arr                                                                                     \
    }
/* Events with their own task (task value = event id up to 4017). */
#define M(id, lvl, op, task, kw, ops, arr, st, sk, name, symbol, task_name, meaning)                         \
    {                                                                                                        \
        id, 0, lvl, op, task, kw, ops, st, AFD_STATUS_##sk, NF(arr), name, symbol, task_name, meaning, arr   \
    }

enum { ERR = 2, WARN = 3, INFO = 4, VERB = 5 };
enum {
    OP_NONE = 0,
    OPEN = 10,
    CONNECTED = 12,
    DISCONNECTED = 13,
    ABORTED = 14,
    CLOSED = 15,
    FREED = 16,
    MODIFIED = 17
};
#define WS AFD_KW_SOURCE_WINSOCK
#define TR AFD_KW_SOURCE_TRANSPORT
#define RIO AFD_KW_RIO

static const afd_event_schema table[] = {
    L(1, INFO, 0, AFD_OP_CREATE, l_create, -1, NONE, "Socket created",
      "A socket handle was created: by socket/WSASocket, by accepting on a listening socket, by WSAJoinLeaf, "
      "or reused by AcceptEx/ConnectEx."),
    L(2, INFO, 0, AFD_OP_BIND, l_bind4, 4, NTSTATUS, "Socket bound (IPv4)",
      "An IPv4 socket was bound to a local address and port, explicitly by bind or implicitly by "
      "connect/sendto."),
    L(3, INFO, 0, AFD_OP_BIND, l_bind6, 4, NTSTATUS, "Socket bound (IPv6)",
      "An IPv6 socket was bound to a local address and port, explicitly or implicitly."),
    L(4, INFO, 0, AFD_OP_CONNECT, l_remote4, -1, NONE, "Connect requested (IPv4)",
      "The application asked to connect an IPv4 socket (connect, ConnectEx, WSAConnect, "
      "WSAConnectByList/ByName) to a remote address; for datagram sockets this only sets the default "
      "destination."),
    L(5, INFO, 0, AFD_OP_CONNECT, l_remote6, -1, NONE, "Connect requested (IPv6)",
      "The application asked to connect an IPv6 socket to a remote address."),
    L(6, INFO, 0, AFD_OP_CONNECT, l_error, 2, NTSTATUS, "Connect completed",
      "A connect operation finished; Error says whether it succeeded."),
    L(7, INFO, 0, AFD_OP_ABORT, l_reason, 2, REASON, "Aborted by AFD",
      "Winsock itself aborted or cancelled the connection: unread data at close, SO_LINGER with timeout 0, a "
      "failed accept, send, receive or flush, a Plug and Play event, and similar."),
    L(8, INFO, 0, AFD_OP_ABORT | AFD_OP_INDICATION, l_reason, 2, REASON, "Aborted by transport",
      "The transport (TCP) reset the connection."),
    L(9, INFO, 0, AFD_OP_SEND | AFD_OP_FAIL, l_error, 2, NTSTATUS, "Send failed",
      "A send or WSASend request returned an error."),
    L(10, INFO, 0, AFD_OP_SEND | AFD_OP_FAIL, l_error, 2, NTSTATUS, "WSASendMsg failed",
      "A WSASendMsg request returned an error."),
    L(11, INFO, 0, AFD_OP_RECEIVE | AFD_OP_FAIL, l_error, 2, NTSTATUS, "Receive failed",
      "A recv, WSARecv or WSARecvEx request returned an error."),
    L(12, INFO, 0, AFD_OP_RECEIVE | AFD_OP_FAIL | AFD_OP_DATAGRAM, l_error, 2, NTSTATUS, "RecvFrom failed",
      "A recvfrom or WSARecvFrom request returned an error."),
    L(13, INFO, 0, AFD_OP_CLOSE, l_error, 2, NTSTATUS, "Socket closed",
      "The socket handle was closed; Error is what the close returned."),
    L(14, INFO, 0, AFD_OP_CLOSE, l_error, 2, NTSTATUS, "Socket cleanup",
      "The last handle to the socket went away and AFD cleaned it up (shutdown of the endpoint)."),
    L(15, INFO, 0, AFD_OP_ACCEPT, l_accept4, 4, NTSTATUS, "Connection accepted (IPv4)",
      "A connection from an IPv4 peer was accepted on a listening socket."),
    L(16, INFO, 0, AFD_OP_ACCEPT, l_accept6, 4, NTSTATUS, "Connection accepted (IPv6)",
      "A connection from an IPv6 peer was accepted on a listening socket."),
    L(17, INFO, 0, AFD_OP_ACCEPT | AFD_OP_FAIL, l_error, 2, NTSTATUS, "Accept failed",
      "An accept or AcceptEx request returned an error."),
    L(18, VERB, 0, AFD_OP_SEND, l_posted, -1, NONE, "Send posted",
      "The application posted a send; Buffer/BufferLength describe the (first buffer of the) data, FastPath "
      "says whether the fast I/O path was taken."),
    L(19, VERB, 0, AFD_OP_RECEIVE, l_posted, -1, NONE, "Receive posted",
      "The application posted a receive buffer."),
    L(20, VERB, 0, AFD_OP_RECEIVE | AFD_OP_DATAGRAM, l_posted, -1, NONE, "RecvFrom posted",
      "The application posted a recvfrom buffer on a datagram socket."),
    L(21, VERB, 0, AFD_OP_SEND | AFD_OP_DATAGRAM, l_posted4, -1, NONE, "SendTo posted (IPv4)",
      "The application posted a sendto to an IPv4 destination."),
    L(22, VERB, 0, AFD_OP_SEND | AFD_OP_DATAGRAM, l_posted6, -1, NONE, "SendTo posted (IPv6)",
      "The application posted a sendto to an IPv6 destination."),
    L(23, VERB, 0, AFD_OP_RECEIVE, l_done, -1, NONE, "Receive completed",
      "A receive completed; BufferLength is the number of bytes received."),
    L(24, VERB, 0, AFD_OP_SEND, l_done, -1, NONE, "Send completed",
      "A send completed; BufferLength is the number of bytes sent."),
    L(25, VERB, 0, AFD_OP_SEND, l_done, -1, NONE, "SendMsg completed",
      "A WSASendMsg completed; BufferLength is the number of bytes sent."),
    L(26, VERB, 0, AFD_OP_RECEIVE | AFD_OP_DATAGRAM, l_recvfrom4, -1, NONE, "RecvFrom completed (IPv4)",
      "A recvfrom completed with a datagram from an IPv4 source."),
    L(27, VERB, 0, AFD_OP_RECEIVE | AFD_OP_DATAGRAM, l_recvfrom6, -1, NONE, "RecvFrom completed (IPv6)",
      "A recvfrom completed with a datagram from an IPv6 source."),
    L(28, VERB, 0, AFD_OP_SEND | AFD_OP_DATAGRAM, l_done, -1, NONE, "SendTo completed",
      "A sendto completed; BufferLength is the number of bytes sent."),
    L(29, VERB, 0, AFD_OP_OPTION, l_option, -1, NONE, "Socket option set",
      "A socket option or ioctl was changed; Option is AFD's internal code for it, Value the new value."),
    L(30, VERB, 0, AFD_OP_SELECT, l_select, -1, NONE, "Select/poll posted",
      "The application called select or WSAPoll with HandleCount handles and a Timeout."),
    L(31, VERB, 0, AFD_OP_SELECT, l_error, 2, NTSTATUS, "Select/poll completed",
      "A select or WSAPoll call completed for this socket."),
    L(32, VERB, 0, AFD_OP_SELECT, l_eventselect, -1, NONE, "WSAEventSelect",
      "The application set the network events to signal with WSAEventSelect (EventMask)."),
    L(33, VERB, AFD_KW_DROPPED, AFD_OP_DROP | AFD_OP_DATAGRAM, l_drop4, 5, REASON, "Datagram dropped (IPv4)",
      "An incoming datagram from an IPv4 source was dropped: no buffer space, or a connected datagram socket "
      "got data from another address."),
    L(34, VERB, AFD_KW_DROPPED, AFD_OP_DROP | AFD_OP_DATAGRAM, l_drop6, 5, REASON, "Datagram dropped (IPv6)",
      "An incoming datagram from an IPv6 source was dropped."),
    L(35, VERB, 0, AFD_OP_ACCEPT | AFD_OP_INDICATION, l_connind4, -1, NONE, "Connection indicated (IPv4)",
      "The transport reported an incoming connection from an IPv4 peer on a listening socket."),
    L(36, VERB, 0, AFD_OP_ACCEPT | AFD_OP_INDICATION, l_connind6, -1, NONE, "Connection indicated (IPv6)",
      "The transport reported an incoming connection from an IPv6 peer on a listening socket."),
    L(37, VERB, 0, AFD_OP_RECEIVE | AFD_OP_INDICATION, l_dataind, -1, NONE, "Data indicated",
      "The transport delivered data to a connected socket."),
    L(38, VERB, 0, AFD_OP_RECEIVE | AFD_OP_INDICATION | AFD_OP_DATAGRAM, l_dataind4, -1, NONE,
      "Data indicated from IPv4 peer", "The transport delivered data from an IPv4 address to the socket."),
    L(39, VERB, 0, AFD_OP_RECEIVE | AFD_OP_INDICATION | AFD_OP_DATAGRAM, l_dataind6, -1, NONE,
      "Data indicated from IPv6 peer", "The transport delivered data from an IPv6 address to the socket."),
    L(40, INFO, 0, AFD_OP_BIND | AFD_OP_FAIL, l_error, 2, NTSTATUS, "Bind failed",
      "An explicit or implicit bind failed; Error says why."),
    L(41, VERB, 0, AFD_OP_DISCONNECT | AFD_OP_INDICATION, l_disc, -1, NONE, "Disconnect indicated",
      "The transport reported that the peer disconnected."),

    M(1000, INFO, OPEN, 1000, WS, AFD_OP_CREATE, m_create, 8, NTSTATUS, "Socket create", "AfdCreateOpen",
      "AfdCreate",
      "A socket (AFD endpoint) was created, with its family, type, protocol and the creating process ID."),
    M(1001, INFO, CLOSED, 1001, WS, AFD_OP_CLOSE, m_status, 4, NTSTATUS, "Socket close", "AfdCloseClosed",
      "AfdClose", "closesocket on the endpoint."),
    M(1002, INFO, FREED, 1002, WS, AFD_OP_CLOSE, m_status, 4, NTSTATUS, "Socket cleanup", "AfdCleanupFreed",
      "AfdCleanup", "The last handle to the endpoint was closed and AFD cleaned it up."),
    M(1003, INFO, CONNECTED, 1003, WS, AFD_OP_SEND, m_io, 7, NTSTATUS, "Send", "AfdSendConnected", "AfdSend",
      "A send on a connected socket: the request (EnterExit 0) and its completion (EnterExit 1)."),
    M(1004, INFO, CONNECTED, 1004, WS, AFD_OP_RECEIVE, m_io, 7, NTSTATUS, "Receive", "AfdReceiveConnected",
      "AfdReceive", "A receive on a connected socket: request and completion."),
    M(1005, INFO, CONNECTED, 1005, WS, AFD_OP_SEND | AFD_OP_DATAGRAM, m_io, 7, NTSTATUS, "SendTo",
      "AfdSendToConnected", "AfdSendTo", "A sendto without a logged destination address."),
    M(1006, INFO, CONNECTED, 1006, WS, AFD_OP_RECEIVE | AFD_OP_DATAGRAM, m_io, 7, NTSTATUS, "ReceiveFrom",
      "AfdReceiveFromConnected", "AfdReceiveFrom", "A recvfrom without a logged source address."),
    M(1007, INFO, CONNECTED, 1007, WS, AFD_OP_SEND | AFD_OP_DATAGRAM, m_io_addr, 7, NTSTATUS,
      "SendTo with address", "AfdSendToWithAddressConnected", "AfdSendToWithAddress",
      "A sendto with its destination address."),
    M(1009, INFO, CONNECTED, 1009, WS, AFD_OP_RECEIVE | AFD_OP_DATAGRAM, m_io_addr, 7, NTSTATUS,
      "ReceiveFrom with address", "AfdReceiveFromWithAddressConnected", "AfdReceiveFromWithAddress",
      "A recvfrom with the datagram's source address."),
    M(1011, INFO, CONNECTED, 1011, WS, AFD_OP_SEND, m_io, 7, NTSTATUS, "SendMsg", "AfdSendMessageConnected",
      "AfdSendMessage", "A WSASendMsg without a logged destination address."),
    M(1012, INFO, CONNECTED, 1012, WS, AFD_OP_RECEIVE, m_io, 7, NTSTATUS, "RecvMsg",
      "AfdReceiveMessageConnected", "AfdReceiveMessage", "A WSARecvMsg without a logged source address."),
    M(1013, INFO, CONNECTED, 1013, WS, AFD_OP_SEND | AFD_OP_DATAGRAM, m_io_addr, 7, NTSTATUS,
      "SendMsg with address", "AfdSendMessageWithAddressConnected", "AfdSendMessageWithAddress",
      "A WSASendMsg with its destination address."),
    M(1015, INFO, CONNECTED, 1015, WS, AFD_OP_RECEIVE | AFD_OP_DATAGRAM, m_io_addr, 7, NTSTATUS,
      "RecvMsg with address", "AfdReceiveMessageWithAddressConnected", "AfdReceiveMessageWithAddress",
      "A WSARecvMsg with the source address."),
    M(1017, INFO, CONNECTED, 1017, WS, AFD_OP_CONNECT, m_status, 4, NTSTATUS, "Connect",
      "AfdConnectConnected", "AfdConnect", "A connect without a logged address (request or completion)."),
    M(1018, INFO, CONNECTED, 1018, WS, AFD_OP_CONNECT, m_connect_addr, 6, NTSTATUS, "Connect with address",
      "AfdConnectWithAddressConnected", "AfdConnectWithAddress", "A connect to the remote address given."),
    M(1020, INFO, CONNECTED, 1020, WS, AFD_OP_CONNECT, m_status, 4, NTSTATUS, "ConnectEx",
      "AfdConnectExConnected", "AfdConnectEx", "A ConnectEx without a logged address."),
    M(1021, INFO, CONNECTED, 1021, WS, AFD_OP_CONNECT, m_connect_addr, 6, NTSTATUS, "ConnectEx with address",
      "AfdConnectExWithAddressConnected", "AfdConnectExWithAddress",
      "A ConnectEx to the remote address given; Buffer/BufferLength is the data sent with the connect."),
    M(1023, INFO, CONNECTED, 1023, WS, AFD_OP_ACCEPT, m_status, 4, NTSTATUS, "Accept", "AfdAcceptConnected",
      "AfdAccept", "An accept without a logged address."),
    M(1024, INFO, CONNECTED, 1024, WS, AFD_OP_ACCEPT, m_accept_addr, 6, NTSTATUS, "Accept with address",
      "AfdAcceptWithAddressConnected", "AfdAcceptWithAddress",
      "An accept: Endpoint is the listening socket, AcceptEndpoint the new one, Address the peer."),
    M(1026, INFO, CONNECTED, 1026, WS, AFD_OP_ACCEPT, m_status, 4, NTSTATUS, "AcceptEx",
      "AfdAcceptExConnected", "AfdAcceptEx", "An AcceptEx without a logged address."),
    M(1027, INFO, CONNECTED, 1027, WS, AFD_OP_ACCEPT, m_accept_addr, 6, NTSTATUS, "AcceptEx with address",
      "AfdAcceptExWithAddressConnected", "AfdAcceptExWithAddress",
      "An AcceptEx: Endpoint is the listening socket, AcceptEndpoint the accepting one, Address the peer."),
    M(1029, INFO, CONNECTED, 1029, WS, AFD_OP_BIND, m_status, 4, NTSTATUS, "Bind", "AfdBindConnected",
      "AfdBind", "A bind without a logged address."),
    M(1030, INFO, CONNECTED, 1030, WS, AFD_OP_BIND, m_bind_addr, 4, NTSTATUS, "Bind with address",
      "AfdBindWithAddressConnected", "AfdBindWithAddress",
      "A bind to the local address given (logged with opcode Open on request and Connected on completion)."),
    M(1032, ERR, ABORTED, 1032, WS, AFD_OP_ABORT, m_abort, 4, ABORT, "Connection aborted", "AfdAbortAborted",
      "AfdAbort", "AFD aborted the connection; Reason says why."),
    M(1033, ERR, CONNECTED, 1033, WS | AFD_KW_DROPPED, AFD_OP_DROP | AFD_OP_DATAGRAM, m_drop, 8, DROP,
      "Datagram dropped", "AfdDatagramDropWithAddressConnected", "AfdDatagramDropWithAddress",
      "An incoming datagram from Address was dropped; Reason says why."),
    M(1035, INFO, OP_NONE, 1035, WS, AFD_OP_OPTION, m_option, 6, NTSTATUS, "Socket option", "AfdOption",
      "AfdOption", "A socket option was set; Option is AFD's internal code for it."),
    M(1036, INFO, OP_NONE, 1036, WS, AFD_OP_LISTEN, m_status, 4, NTSTATUS, "Wait for listen",
      "AfdWaitForListen", "AfdWaitForListen",
      "A wait on a listening socket (the manifest's AfdWaitForListen), request and completion."),
    M(1037, INFO, OP_NONE, 1037, WS, AFD_OP_LISTEN, m_listen, 5, NTSTATUS, "Listen", "AfdListen", "AfdListen",
      "The socket started listening with the given backlog."),
    M(3000, INFO, OP_NONE, 3000, TR, AFD_OP_ACCEPT | AFD_OP_INDICATION, m_status, 4, NTSTATUS,
      "Connect indication", "AfdConnectIndication", "AfdConnectIndication",
      "The transport reported an incoming connection."),
    M(3001, INFO, OP_NONE, 3001, TR, AFD_OP_ACCEPT | AFD_OP_INDICATION, t_connind_addr, 4, NTSTATUS,
      "Connect indication with address", "AfdConnectIndicationWithAddress", "AfdConnectIndicationWithAddress",
      "The transport reported an incoming connection from Address; CurrentBacklog is the listen queue "
      "length."),
    M(3003, INFO, OP_NONE, 3003, TR, AFD_OP_RECEIVE | AFD_OP_INDICATION, t_dataind, -1, NONE,
      "Data indication", "AfdDataIndication", "AfdDataIndication",
      "The transport delivered BufferLength bytes to the socket."),
    M(3004, INFO, OP_NONE, 3004, TR, AFD_OP_RECEIVE | AFD_OP_INDICATION | AFD_OP_DATAGRAM, t_dataind_addr, -1,
      NONE, "Data indication with address", "AfdDataIndicationWithAddress", "AfdDataIndicationWithAddress",
      "The transport delivered BufferLength bytes from Address to the socket."),
    M(3006, INFO, DISCONNECTED, 3006, TR, AFD_OP_DISCONNECT | AFD_OP_INDICATION, m_status, 4, NTSTATUS,
      "Disconnect indication", "AfdDisconnectDisconnected", "AfdDisconnect",
      "The transport reported that the peer disconnected."),
    M(3007, INFO, OP_NONE, 3007, TR, AFD_OP_SEND | AFD_OP_BACKLOG | AFD_OP_INDICATION, t_backlog, -1, NONE,
      "Send backlog", "AfdSendBackLog", "AfdSendBackLog",
      "The transport reported the socket's send backlog (SendBacklog)."),
    M(4000, INFO, OPEN, 4000, RIO, AFD_OP_RIO, r_domain_open, 1, NTSTATUS, "RIO registration domain created",
      "AfdRioCreateRegistrationDomainOpen", "AfdRioCreateRegistrationDomain",
      "A registered-I/O registration domain was created."),
    M(4001, INFO, CLOSED, 4001, RIO, AFD_OP_RIO, r_domain, -1, NONE, "RIO registration domain closed",
      "AfdRioCleanupRegistrationDomainClosed", "AfdRioCleanupRegistrationDomain",
      "A registered-I/O registration domain was closed."),
    M(4002, INFO, OPEN, 4002, RIO, AFD_OP_RIO, r_cq_open, 12, NTSTATUS, "RIO completion queue created",
      "AfdRioCreateCqOpen", "AfdRioCreateCq", "A RIO completion queue was created with EntryCount entries."),
    M(4003, INFO, CLOSED, 4003, RIO, AFD_OP_RIO, r_cq_close, -1, NONE, "RIO completion queue closed",
      "AfdRioDestroyCqClosed", "AfdRioDestroyCq", "A RIO completion queue was closed."),
    M(4004, INFO, FREED, 4004, RIO, AFD_OP_RIO, r_cq, -1, NONE, "RIO completion queue freed",
      "AfdRioCleanupCqFreed", "AfdRioCleanupCq", "A RIO completion queue was cleaned up."),
    M(4005, INFO, MODIFIED, 4005, RIO, AFD_OP_RIO, r_cq_resize, 9, NTSTATUS, "RIO completion queue resized",
      "AfdRioResizeCqModified", "AfdRioResizeCq", "A RIO completion queue was resized."),
    M(4006, INFO, OPEN, 4006, RIO, AFD_OP_RIO, r_rq_open, 13, NTSTATUS, "RIO request queue created",
      "AfdRioCreateRqPairOpen", "AfdRioCreateRqPair", "A RIO request queue pair was created on a socket."),
    M(4007, INFO, CLOSED, 4007, RIO, AFD_OP_RIO, r_rq_close, -1, NONE, "RIO request queue closed",
      "AfdRioCloseRioStateClosed", "AfdRioCloseRioState", "A RIO request queue pair was closed."),
    M(4008, INFO, FREED, 4008, RIO, AFD_OP_RIO, r_rq, -1, NONE, "RIO request queue freed",
      "AfdRioCleanupRioStateFreed", "AfdRioCleanupRioState", "A RIO request queue pair was cleaned up."),
    M(4009, INFO, MODIFIED, 4009, RIO, AFD_OP_RIO, r_rq_resize, 15, NTSTATUS, "RIO request queue resized",
      "AfdRioResizeRqPairModified", "AfdRioResizeRqPair", "A RIO request queue pair was resized."),
    M(4010, INFO, OPEN, 4010, RIO, AFD_OP_RIO, r_buf_open, 6, NTSTATUS, "RIO buffer registered",
      "AfdRioRegisterBufferOpen", "AfdRioRegisterBuffer", "A buffer was registered for RIO."),
    M(4011, INFO, CLOSED, 4011, RIO, AFD_OP_RIO, r_buf_close, -1, NONE, "RIO buffer deregistered",
      "AfdRioDeregisterBufferClosed", "AfdRioDeregisterBuffer", "A RIO buffer was deregistered."),
    M(4012, INFO, FREED, 4012, RIO, AFD_OP_RIO, r_buf, -1, NONE, "RIO buffer freed",
      "AfdRioCleanupBufferFreed", "AfdRioCleanupBuffer", "A RIO buffer was cleaned up."),
    M(4013, WARN, OP_NONE, 4013, RIO, AFD_OP_RIO | AFD_OP_FAIL, r_bad_id, -1, NONE, "RIO invalid buffer ID",
      "AfdRioValidateBufferId", "AfdRioValidateBufferId",
      "A RIO request used a buffer ID that is not registered."),
    M(4014, WARN, OP_NONE, 4014, RIO, AFD_OP_RIO | AFD_OP_FAIL, r_range, -1, NONE, "RIO buffer range error",
      "AfdRioRangeCheck", "AfdRioRangeCheck",
      "A RIO request used an offset/length outside its registered buffer."),
    M(4015, WARN, OP_NONE, 4015, RIO, AFD_OP_RIO | AFD_OP_FAIL, r_size, -1, NONE, "RIO invalid buffer size",
      "AfdRioSendReceive", "AfdRioSendReceive", "A RIO send or receive gave a buffer smaller than required."),
    M(4016, INFO, OPEN, 4016, AFD_KW_NRT, AFD_OP_NRT, n_open, 2, NTSTATUS, "Name-resolution handle created",
      "AfdNrtCreateOpen", "AfdNrtCreate", "A name-resolution handle was created for a process."),
    M(4017, INFO, CLOSED, 4017, AFD_KW_NRT, AFD_OP_NRT, n_close, -1, NONE, "Name-resolution handle closed",
      "AfdNrtCloseClosed", "AfdNrtClose", "A name-resolution handle was closed."),
    M(4018, VERB, OP_NONE, 0, RIO, AFD_OP_RIO, r_notify, 5, NTSTATUS, "RIO completion queue notified",
      "AfdRioNotifyCq", "AfdRioNotifyCq",
      "A notification was requested or delivered on a RIO completion queue (AfdRioNotifyCq)."),
    M(4019, INFO, OP_NONE, 0, 0, AFD_OP_ACCEPT | AFD_OP_BACKLOG, a_pause, -1, NONE, "Accept pause",
      "AfdAcceptPause", "AfdAcceptPause",
      "Accept pause on a listening socket: PauseUnPause (its values are not documented) and the transport's "
      "backlog count."),
    M(4020, WARN, OP_NONE, 0, RIO, AFD_OP_RIO | AFD_OP_FAIL, r_sharing, -1, NONE, "RIO buffer sharing error",
      "AfdRioValidateBufferSharing", "AfdRioValidateBufferSharing",
      "A RIO buffer failed the buffer-sharing check (BufferSharingType)."),
};

#define TABLE_N (sizeof(table) / sizeof(table[0]))

/* Where each ID sits in the table, so the per-event lookup is one load. The index is only a hint:
   a stale entry fails the id check and falls back to the binary search. */
#define NO 0xff
static const uint8_t hint_1000[38] = {41, 42, 43, 44, 45, 46, 47, 48, NO, 49, NO, 50, 51,
                                      52, NO, 53, NO, 54, 55, NO, 56, 57, NO, 58, 59, NO,
                                      60, 61, NO, 62, 63, NO, 64, 65, NO, 66, 67, 68};
static const uint8_t hint_3000[8] = {69, 70, NO, 71, 72, NO, 73, 74};

static size_t hint(uint16_t id)
{
    if (id >= 1 && id <= 41)
        return id - 1u;
    if (id >= 1000 && id <= 1037)
        return hint_1000[id - 1000];
    if (id >= 3000 && id <= 3007)
        return hint_3000[id - 3000];
    if (id >= 4000 && id <= 4020)
        return 75u + (id - 4000u);
    return NO;
}

const afd_event_schema *afd_schema_find(uint16_t id, uint8_t version)
{
    size_t lo = hint(id), hi = TABLE_N;
    if (lo < TABLE_N && table[lo].id == id)
        return table[lo].version == version ? &table[lo] : NULL;
    lo = 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (table[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < TABLE_N && table[lo].id == id && table[lo].version == version)
        return &table[lo];
    return NULL;
}

size_t afd_schema_count(void)
{
    return TABLE_N;
}

const afd_event_schema *afd_schema_at(size_t i)
{
    return i < TABLE_N ? &table[i] : NULL;
}

int afd_schema_role(const afd_event_schema *s, afd_role role)
{
    if (!s)
        return -1;
    for (int i = 0; i < s->nfields; i++)
        if (s->fields[i].role == role)
            return i;
    return -1;
}

/* ---- names ---- */

static const char *const op_names[AFD_OP_COUNT] = {"create", "bind",       "connect",    "accept",  "listen",
                                                   "send",   "receive",    "close",      "abort",   "option",
                                                   "drop",   "indication", "disconnect", "rio",     "select",
                                                   "fail",   "datagram",   "nrt",        "backlog", "legacy"};

const char *afd_op_name(unsigned i)
{
    return i < AFD_OP_COUNT ? op_names[i] : NULL;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

uint32_t afd_op_from_name(const char *name)
{
    if (!name)
        return 0;
    for (unsigned i = 0; i < AFD_OP_COUNT; i++) {
        const char *a = op_names[i], *b = name;
        while (*a && ascii_lower((unsigned char)*b) == *a) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return 1u << i;
    }
    return 0;
}

const char *afd_type_name(afd_type t)
{
    static const char *const names[AFD_T_COUNT] = {"pointer", "u8",      "u16",      "u32",  "hex32",
                                                   "i32",     "bool",    "ntstatus", "ipv4", "ipv6",
                                                   "port",    "addrlen", "sockaddr"};
    return (unsigned)t < AFD_T_COUNT ? names[t] : "?";
}

const char *afd_map_id(afd_map m)
{
    static const char *const names[AFD_MAP_COUNT] = {
        "",           "socket_type",     "family", "protocol", "option", "abort_reason", "drop_reason",
        "enter_exit", "rio_notification"};
    return (unsigned)m < AFD_MAP_COUNT ? names[m] : "";
}

const char *afd_role_name(afd_role r)
{
    static const char *const names[AFD_ROLE_COUNT] = {
        "",         "enter_exit",  "location", "process",      "pid",        "endpoint",    "accept_endpoint",
        "family",   "socket_type", "protocol", "local_addr",   "local_port", "remote_addr", "remote_port",
        "addr_len", "buffer",      "bytes",    "buffer_count", "backlog",    "status"};
    return (unsigned)r < AFD_ROLE_COUNT ? names[r] : "";
}

typedef struct map_entry {
    uint32_t value;
    const char *name;
} map_entry;

static const map_entry map_socket_type[] = {
    {1, "SOCK_STREAM"}, {2, "SOCK_DGRAM"}, {3, "SOCK_RAW"}, {4, "SOCK_RDM"}, {5, "SOCK_SEQPACKET"}};
static const map_entry map_family[] = {
    {0, "AF_UNSPEC"},   {1, "AF_UNIX"},   {2, "AF_INET"},  {6, "AF_IPX"},  {16, "AF_APPLETALK"},
    {17, "AF_NETBIOS"}, {23, "AF_INET6"}, {26, "AF_IRDA"}, {32, "AF_BTH"}, {34, "AF_HYPERV"}};
static const map_entry map_protocol[] = {{0, "IPPROTO_IP"},      {1, "IPPROTO_ICMP"}, {2, "IPPROTO_IGMP"},
                                         {3, "BTHPROTO_RFCOMM"}, {6, "IPPROTO_TCP"},  {17, "IPPROTO_UDP"},
                                         {58, "IPPROTO_ICMPV6"}, {113, "IPPROTO_PGM"}};
static const map_entry map_option[] = {{1, "SO_OOBINLINE"},
                                       {2, "FIONBIO"},
                                       {6, "SO_RCVBUF"},
                                       {7, "SO_SNDBUF"},
                                       {9, "SIO_ENABLE_CIRCULAR_QUEUEING"},
                                       {0xb, "SIO_UDP_CONNRESET"},
                                       {0xd, "AFD_IPV6_V6ONLY"},
                                       {0xf, "SIO_UDP_NETRESET"}};
static const map_entry map_abort[] = {
    {1, "Attempt to flush pending receive requests failed"},
    {2, "Abortive disconnect requested on endpoint"},
    {3, "Shutdown with SD_RECEIVE posted with receive data pending"},
    {4, "Transport indicated abortive disconnect"},
    {5, "Error on accepted connection not associated with listening socket"},
    {6, "Disconnect failed"},
    {7, "Pending data on connection when disconnect called"},
    {8, "Invalid buffer specified on fastio receive"},
    {9, "Accept operation failed"},
    {0xa, "Unable to allocate buffer"},
    {0xb, "Counter overflow"},
    {0xc, "Data arrives after shutting down receive path"},
    {0xd, "Data arrives during endpoint cleanup"},
    {0xe, "Receive request failed"},
    {0xf, "Send request failed"},
    {0x10, "Send request cancelled"},
    {0x11, "TransmitPackets/TransmitFile request cancelled"},
    {0x12, "Abort indicated during connection request"},
    {0x13, "Plug and play event caused abort"}};
static const map_entry map_drop[] = {{1, "Datagram source address does not match connected address"},
                                     {2, "Insufficient local buffer space"},
                                     {3, "Buffer allocation failed"},
                                     {4, "Insufficient local buffer space - circular queueing enabled"},
                                     {5, "Indicated datagram too large - integer overflow"}};
static const map_entry map_enter_exit[] = {
    {0, "request"}, {1, "completion"}, {2, "AFD action"}, {3, "transport"}, {4, "AFD internal"}};
static const map_entry map_rio[] = {{0, "None"}, {1, "Event"}, {2, "IOCP"}};

const char *afd_map_name(afd_map m, uint32_t value)
{
    const map_entry *e = NULL;
    size_t n = 0;
    switch (m) {
    case AFD_MAP_SOCKET_TYPE:
        e = map_socket_type;
        n = sizeof map_socket_type / sizeof *e;
        break;
    case AFD_MAP_FAMILY:
        e = map_family;
        n = sizeof map_family / sizeof *e;
        break;
    case AFD_MAP_PROTOCOL:
        e = map_protocol;
        n = sizeof map_protocol / sizeof *e;
        break;
    case AFD_MAP_OPTION:
        e = map_option;
        n = sizeof map_option / sizeof *e;
        break;
    case AFD_MAP_ABORT_REASON:
        e = map_abort;
        n = sizeof map_abort / sizeof *e;
        break;
    case AFD_MAP_DROP_REASON:
        e = map_drop;
        n = sizeof map_drop / sizeof *e;
        break;
    case AFD_MAP_ENTER_EXIT:
        e = map_enter_exit;
        n = sizeof map_enter_exit / sizeof *e;
        break;
    case AFD_MAP_RIO_NOTIFY:
        e = map_rio;
        n = sizeof map_rio / sizeof *e;
        break;
    default:
        break;
    }
    for (size_t i = 0; i < n; i++)
        if (e[i].value == value)
            return e[i].name;
    return NULL;
}
