/*
 * capctl.h - the Capture menu: a live ETW capture (or a trace file replayed through the same path) shown in
 * the main window as its trace. Module prefix: cctl_.
 *
 * The main window owns the trace (trace.h); a capture is a trace without a path whose store the capture's
 * consumer fills. capctl creates and starts it, hands it to the window (mw_show_capture), follows it on a
 * timer (status bar: state, rate, rows, the losses), stops it (the window's TRC_MSG_DONE path, as when a file
 * finished loading: the socket table, timeline, filters and find then work as on a file), clears and saves it.
 */
#ifndef WSK_GUI_CAPCTL_H
#define WSK_GUI_CAPCTL_H

#include <windows.h>

#include "trace.h"

#define CCTL_TIMER 0x4C32 /* the WM_TIMER id the main window hands to cctl_on_timer */

typedef struct cctl cctl;

/* The controller of main window main, with the options kept in the settings. NULL when out of memory. */
cctl *cctl_create(HWND main);
void cctl_destroy(cctl *c);

/* wskview.exe's arguments: --replay FILE [--rate N] starts a capture that replays FILE at N events a second;
 * --fake-etw denied|no-resources (tests) makes Capture > Start meet ETW's access denied or all sessions in
 * use without calling ETW; --ring-mib N (tests) sizes the ring between callback and consumer (1..1024, a power
 * of two). FALSE when the arguments are none of these (a file to open). */
BOOL cctl_command_line(cctl *c, int argc, wchar_t **argv);

/* IDM_CAPTURE_*; t is the window's trace (NULL: none). FALSE for other commands. */
BOOL cctl_on_command(cctl *c, trc_trace *t, int id);
/* The window finished handing a stopped (or cleared) capture to its views: the status bar says so. */
void cctl_on_stopped(cctl *c, trc_trace *t);
/* What the status bar's state part says of a stopped capture: "Stopped", "Cleared". */
const char *cctl_state_text(const cctl *c);
/* CCTL_TIMER: the status bar while capturing. */
void cctl_on_timer(cctl *c, trc_trace *t);
/* WM_ENDSESSION (log off, shutdown): stops the ETW session now, since the process may end as soon as the
 * message returns. */
void cctl_end_session(trc_trace *t);

/* The event list is at its end (or empty): new rows should scroll into view. */
BOOL cctl_list_at_end(HWND list, uint64_t count);

#endif
