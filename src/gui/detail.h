/*
 * detail.h - the per-socket detail pane: for the selected event's socket, its identity, lifecycle,
 * totals and errors (a read-only text box) above that socket's whole event history (an owner-data
 * ListView; choosing an entry selects the event in the main list). Module prefix: dtl_.
 */
#ifndef WSK_GUI_DETAIL_H
#define WSK_GUI_DETAIL_H

#include <windows.h>
#include <commctrl.h>

#include "trace.h"

typedef struct dtl_model {
    const trc_trace *trace;
    uint32_t socket; /* SOCK_NONE: nothing shown */
    uint32_t *rows;  /* the socket's events, store rows in time order */
    uint32_t count;
    etl_zone zone;
} dtl_model;

/* The text box (id_text) and the history list (id_list), children of parent. FALSE on failure. */
BOOL dtl_create(HWND parent, int id_text, int id_list, UINT dpi, HWND *text, HWND *list);
/* Show socket (SOCK_NONE: a hint instead) of trace t: a loaded one, or a running capture whose socket model
 * is free now (trc_sockets_begin; else a hint). */
void dtl_show(HWND text, HWND list, dtl_model *m, trc_trace *t, uint32_t socket);
/* While capturing (call at most a few times a second): the shown socket again when its index lists more rows
 * than the pane shows. */
void dtl_refresh(HWND text, HWND list, dtl_model *m, trc_trace *t);
void dtl_free(dtl_model *m);
LRESULT dtl_on_notify(HWND list, dtl_model *m, const NMHDR *hdr);

#endif
