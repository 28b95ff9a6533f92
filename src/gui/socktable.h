/*
 * socktable.h - the socket table: one row per socket lifetime (TCPView / Wireshark Conversations, for
 * the whole trace), failures first. Module prefix: stab_. An owner-data ListView over an array of
 * socket indices, filled once the trace is loaded (the socket model is the consumer's until then).
 */
#ifndef WSK_GUI_SOCKTABLE_H
#define WSK_GUI_SOCKTABLE_H

#include <windows.h>
#include <commctrl.h>

#include "trace.h"

enum stab_column {
    STAB_COL_PROCESS,
    STAB_COL_PROTOCOL,
    STAB_COL_LOCAL,
    STAB_COL_REMOTE,
    STAB_COL_STATE,
    STAB_COL_OUTCOME,
    STAB_COL_ERROR,
    STAB_COL_OPENED,
    STAB_COL_DURATION,
    STAB_COL_SENDS,
    STAB_COL_BYTES,
    STAB_COL_COUNT
};

/* Posted to the table's parent by the order job; wParam its serial: call stab_on_order. */
#define STAB_MSG_ORDER (WM_APP + 9)

typedef struct stab_job stab_job;

typedef struct stab_model {
    const trc_trace *trace; /* NULL, or a trace that is done loading (or a capture's, under its lock) */
    uint32_t *order;        /* socket indices in display order */
    uint32_t count;
    etl_zone zone;
    int sort_column; /* enum stab_column, -1: failures first (the default) */
    int descending;
    int selecting; /* stab_select_socket is selecting: the owner's LVN_ITEMCHANGED is no user's choice */
    stab_job *job; /* sorting a loaded trace's order */
    UINT serial;   /* the last job's */
    int pending;   /* the key changed while the job ran: sort again when it ends */
} stab_model;

HWND stab_create(HWND parent, int id, UINT dpi);
/* Shows trace's sockets (NULL: none) in the model's order, then the sorted order as it comes (a loaded
 * trace's from a job: STAB_MSG_ORDER). FALSE when out of memory (table left empty). */
BOOL stab_set_trace(HWND table, stab_model *m, const trc_trace *t);
/* On STAB_MSG_ORDER: swaps the job's order in (the selected socket stays selected). TRUE when it did. */
BOOL stab_on_order(HWND table, stab_model *m, UINT serial);
void stab_free(stab_model *m);
LRESULT stab_on_notify(HWND table, stab_model *m, const NMHDR *hdr);
/* Socket index at a table position, SOCK_NONE when out of range. */
uint32_t stab_socket_at(const stab_model *m, int pos);
/* Selects a socket's row and scrolls it into view (as another pane's choice: m->selecting is set while the
 * table notifies). Its position, or -1 when the table has no row for it. */
int stab_select_socket(HWND table, stab_model *m, uint32_t sock);
/* Column header click: sort by column (again: the other way round), ties in the default order; a loaded
 * trace's order comes from a job (stab_on_order). */
void stab_sort(HWND table, stab_model *m, int column);
/* Short texts shared with the detail pane. */
void stab_protocol_text(const sock_info *si, char *buf, size_t cap);
void stab_seconds_text(uint64_t ticks, char *buf, size_t cap);

#endif
