/*
 * timeline.h - the timeline pane: a child window class that draws the portable layout (wsk/tl.h) with
 * Direct2D and DirectWrite. Module prefix: tlw_.
 *
 * The pane owns its tl index (built by tlw_set_trace from the loaded trace's store and socket model, or
 * handed over by tlw_set_index; the model must outlive it or be detached with tlw_set_trace(hwnd, NULL, ...))
 * and its view. It tells its
 * parent about clicks through WM_NOTIFY (tlw_notify). Everything runs on the UI thread.
 */
#ifndef WSK_GUI_TIMELINE_H
#define WSK_GUI_TIMELINE_H

#include <windows.h>
#include <unknwn.h>

#include <wsk/etl.h>
#include <wsk/filt.h>
#include <wsk/sock.h>
#include <wsk/store.h>
#include <wsk/tl.h>

#define TLW_CLASS L"WskTimeline"
/* The pane's window text (what accessibility tools read, and the tests): its name, or TLW_BUILDING from
 * tlw_set_building until tlw_set_index. */
#define TLW_NAME L"Timeline"
#define TLW_BUILDING L"Building the timeline..."

/* WM_NOTIFY codes (hdr.code). */
#define TLWN_SELECT (0U - 2100U)  /* a bar, tick or row was clicked: socket (and row for a tick) */

typedef struct tlw_notify {
    NMHDR hdr;
    uint32_t socket;
    uint64_t row;   /* the event's store row for a tick, UINT64_MAX otherwise */
    uint64_t time;  /* FILETIME under the pointer */
} tlw_notify;

/* Registers the class (once per process). FALSE on failure. */
BOOL tlw_register(HINSTANCE inst);
HWND tlw_create(HWND parent, int id, HINSTANCE inst);

/* Shows a loaded trace (store and sockets complete: after load_file returned), or nothing (events NULL).
 * header and zone give the time of day as the list shows it (header may be NULL: UTC). FALSE when out of
 * memory (the pane is then empty). */
BOOL tlw_set_trace(HWND hwnd, const store *events, const sock_model *sockets, const etl_header *header,
                   etl_zone zone);
/* The same with an index built beforehand (tl_create takes ~0.5-1 s at 10 M events: the viewer builds it
 * on another thread, trace.h's trc_timeline_request, so the UI thread does not stall). The pane takes index over (NULL: nothing shown);
 * sockets is the model it was built from. FALSE when out of memory for the view. */
BOOL tlw_set_index(HWND hwnd, tl *index, const sock_model *sockets, const etl_header *header, etl_zone zone);
/* While the model is still written (a running capture): the pane paints, hit-tests and shows tooltips only
 * between begin (non-zero: the model may be read now; it must not wait) and end; NULL begin: always. */
void tlw_set_model_lock(HWND hwnd, int (*begin)(void *user), void (*end)(void *user), void *user);
/* Nothing shown while the index is built elsewhere (a job thread): the pane says "Building the
 * timeline..." and has that as its window text (what a test or a screen reader reads; "" again from the
 * next tlw_set_index). */
void tlw_set_building(HWND hwnd);
/* The zone of the times shown (View > Time zone). */
void tlw_set_zone(HWND hwnd, etl_zone zone);
/* Axis labels and tooltip times as seconds since origin (a FILETIME: the list's "since first" format, with
 * the first event's time), or as the time of day again (0). */
void tlw_set_time_origin(HWND hwnd, uint64_t origin);
/* The pane's index (NULL without a trace), for the list's filter job to build the timeline's filter from
 * the rows it selects (tl_filter_build, on its thread: the pane keeps drawing the old filter meanwhile).
 * Valid until the next tlw_set_trace. */
const tl *tlw_index(HWND hwnd);
/* Shows what the list's filter selects (tl_filter_apply; NULL: everything): shown sockets and ticks
 * follow it. Takes tf (freed when the pane has no trace or tf was built for another index). FALSE when out
 * of memory while rebuilding the lines (the previous lines stay). */
BOOL tlw_apply_filter(HWND hwnd, tl_filter *tf);
/* Highlights a socket (TL_NONE: none) and scrolls it into view; cursor is the selected event's time (0: no
 * cursor line). Sends no notification. */
void tlw_set_selection(HWND hwnd, uint32_t socket, uint64_t cursor);

/* Writes what the pane shows as a PNG file (WIC). S_OK or the failing HRESULT. */
HRESULT tlw_export_png(HWND hwnd, const wchar_t *path);
/* Asks for a file name (the Save dialog, owned by the pane's top-level window) and writes the pane there as
 * PNG; says so in a message box when that fails. TRUE when written. The context menu's Export and the main
 * window's File > Export Timeline as PNG. */
BOOL tlw_export_dialog(HWND hwnd);
/* Draws the pane's current frame into a WIC bitmap (IWICBitmap *, 32bpp PBGRA, any size: the view is laid
 * out at the bitmap's size for this frame). For export and tests. */
HRESULT tlw_render_bitmap(HWND hwnd, IUnknown *wic_bitmap);

/* The tooltip's text for the pane point (x, y): socket, process and PID, addresses, phase, times, bytes,
 * error. Returns its length, 0 (buf "") when no bar or tick is there. */
size_t tlw_tip_at(HWND hwnd, int x, int y, wchar_t *buf, size_t cap);
/* The label the axis draws for a labelled tick at ft (the list's time format and zone, with the fraction
 * digits the current axis step needs). Returns its length. */
size_t tlw_axis_label(HWND hwnd, uint64_t ft, wchar_t *buf, size_t cap);
/* For tests and the debug status line: the view, the primitives of the last frame drawn, the frames. */
const tl_view *tlw_view(HWND hwnd);
size_t tlw_last_primitives(HWND hwnd);
unsigned tlw_frames(HWND hwnd);
/* The font family DirectWrite found ("" before the first paint). */
const wchar_t *tlw_font_family(HWND hwnd);
/* A phase's bar colour and a tick kind's colour as 0x00RRGGBB. */
UINT32 tlw_phase_rgb(int phase);
UINT32 tlw_tick_rgb(int tick);

#endif
