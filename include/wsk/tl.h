/*
 * tl.h - the timeline's portable core: one row per socket grouped by owning
 * process, bars coloured by phase, ticks for sends and receives, and the
 * level of detail that keeps a frame bounded by its pixels whatever the
 * trace. Module prefix: tl_. The Win32 layer only draws the primitives.
 *
 * Three objects, built at three rates:
 * - tl (tl_create, once after loading): per socket its event rows in time
 *   order (CSR: a stable counting sort of the store by socket, which keeps
 *   store order, the time order of a time-ordered load; a socket whose rows are
 *   not in time order is sorted), a class byte per entry (send, receive,
 *   error, abort) and the process groups. A filter's effect (which sockets
 *   are shown, which events draw ticks) is a tl_filter: built from the rows
 *   the filter selected, off the thread that draws (tl_filter_build only
 *   reads what tl_create made), then swapped in by tl_filter_apply;
 *   tl_set_filter does both at once.
 * - tl_view (per pane): time range, pixel size, scroll, selection, the
 *   per-group collapsed flags and the display lines (headers and shown
 *   sockets of expanded groups) with their y, rebuilt by tl_view_sync after a
 *   filter or collapse change.
 * - tl_layout (per frame): primitives into the caller's array, no allocation.
 *
 * Geometry (pixels, y down). The axis band is [0, axis_h); display lines follow
 * it, scrolled by scroll_y. Time to pixel column (documented, tests rely on it):
 *     col(t) = floor((t - t0) * width / (t1 - t0))
 * so column c covers the FILETIMEs [t0 + c*span/width, t0 + (c+1)*span/width).
 * A socket's bar covers the columns col(created) .. col(end) inclusive, end =
 * closed time, or the trace's last event when no close was seen; a pre-existing
 * socket's bar starts at the trace's first event (a "pre-existing" segment up
 * to its first event, given its first column even when shorter). Within one
 * column the latest phase starting in it wins, so a terminal phase (failed,
 * aborted, closing) is never hidden by rounding;
 * an idle or created column holding sends or receives is "transferring".
 *
 * Level of detail: rows off screen are skipped by binary search on line y;
 * in a row, columns without events are skipped by jumping to the next event's
 * column, and a column's events are merged into one tick (send + receive:
 * "both"; an error or abort takes the column). Adjacent columns of one phase are
 * one rectangle, adjacent columns with ticks of one kind one tick w columns
 * wide (a busy row is then a handful of primitives, not one per column). So a
 * frame holds at most, per visible socket row, one bar rectangle and one tick
 * per column, plus one line per header, one gap marker per column, the axis
 * ticks, the cursor and the selection: see tl_layout_bound. Within a row, its
 * bar rectangles come before its ticks in the list.
 *
 * Threading: none inside. tl reads the store and the socket model, which must
 * not change while it is alive (build it after load_file returned; a live
 * capture rebuilds it to take in what came since). tl_filter_build may run on
 * another thread while the owner draws, sets views and applies other filters;
 * tl_filter_apply and tl_destroy must not run while a build on the same tl is.
 */
#ifndef WSK_TL_H
#define WSK_TL_H

#include <stddef.h>
#include <stdint.h>

#include <wsk/filt.h>
#include <wsk/sock.h>
#include <wsk/store.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TL_NONE UINT32_MAX

typedef enum tl_phase {
    TL_PH_CREATED = 0,  /* created or bound, not connected (a UDP socket's idle time too) */
    TL_PH_CONNECTING,
    TL_PH_IDLE,         /* connected, no send or receive in the column */
    TL_PH_TRANSFERRING, /* a column with sends or receives */
    TL_PH_CLOSING,
    TL_PH_LISTENING,
    TL_PH_FAILED,
    TL_PH_ABORTED,
    TL_PH_PREEXISTING,  /* before the first event of a socket opened before the trace */
    TL_PH_COUNT
} tl_phase;

typedef enum tl_tick {
    TL_TICK_SEND = 0,
    TL_TICK_RECEIVE,
    TL_TICK_BOTH,  /* sends and receives in one column */
    TL_TICK_ERROR, /* an event with an error status in the column (marker) */
    TL_TICK_ABORT, /* an abort in the column (marker) */
    TL_TICK_COUNT
} tl_tick;

typedef enum tl_prim_type {
    TL_P_SELECTION = 0, /* the selected socket's row highlight: drawn first */
    TL_P_HEADER,        /* a group header row; ref = group, kind = 1 when collapsed */
    TL_P_BAR,           /* ref = socket, kind = tl_phase */
    TL_P_TICK,          /* ref = socket, kind = tl_tick, row = an event of its first column, time = that event's */
    TL_P_GAP,           /* events were lost here: full height of the rows area; row = the store row marked */
    TL_P_AXIS,          /* kind 1 = labelled (format `time` as the list does), 0 = minor; in the axis band */
    TL_P_CURSOR,        /* the cursor line (selected event's time), full height */
    TL_P_TYPE_COUNT
} tl_prim_type;

typedef struct tl_prim {
    int32_t x, y, w, h;
    uint32_t ref;
    uint8_t type; /* tl_prim_type */
    uint8_t kind;
    uint64_t time;
    uint64_t row;
} tl_prim;

typedef struct tl_group {
    uint32_t pid;      /* 0: owner unknown (the last group) */
    const char *name;  /* image name, NULL when the trace does not say */
    uint32_t first;    /* into tl_group_sockets: sockets by created time */
    uint32_t count;
    uint32_t shown;    /* sockets shown by the current filter */
} tl_group;

typedef struct tl tl;

/* Builds the index. 0, or -1 out of memory (*out untouched). Shows everything (no filter). */
int tl_create(const store *events, const sock_model *sockets, tl **out);
void tl_destroy(tl *t);

/* Applies a filter (NULL: everything). A socket is shown when filt_match_socket holds or, when the filter
 * names event fields, any of its events matches; only matching events draw ticks. 0, or -1 out of memory
 * (the previous filter stays). Call tl_view_sync on every view afterwards. Selects the rows itself
 * (filt_select) and does tl_filter_build then tl_filter_apply. */
int tl_set_filter(tl *t, filt *f, const filt_ctx *c);

/* A filter's effect on one tl, made apart from it. */
typedef struct tl_filter tl_filter;
/* What filter f shows, given the store rows it selected (rows[0..n), filt_select's output in any order: the
 * event list's filter job selects them once for both). Reads only what tl_create built, so it may run on
 * another thread while t is drawn. 0, or -1 out of memory (*out untouched). */
int tl_filter_build(const tl *t, filt *f, const filt_ctx *c, const uint32_t *rows, uint64_t n,
                    tl_filter **out);
/* Makes tf t's filter (NULL: none) and takes it; the previous one is freed. A filter built for another tl is
 * freed and changes nothing. O(groups) and no allocation: call tl_view_sync on every view afterwards. */
void tl_filter_apply(tl *t, tl_filter *tf);
void tl_filter_free(tl_filter *tf);
int tl_socket_shown(const tl *t, uint32_t sock);
/* The current filter matches store row `row` (1 with no filter). */
int tl_event_matches(const tl *t, uint64_t row);

size_t tl_group_count(const tl *t);
const tl_group *tl_group_at(const tl *t, size_t g);
/* Socket indices of all groups, each group's [first, first + count) by created time. */
const uint32_t *tl_group_sockets(const tl *t);
uint32_t tl_group_of(const tl *t, uint32_t sock);
/* First and last event times of the trace (FILETIME); both 0 for an empty store. */
uint64_t tl_first_time(const tl *t);
uint64_t tl_last_time(const tl *t);
/* A socket's rows in time order: *n of them. */
const uint32_t *tl_socket_rows(const tl *t, uint32_t sock, size_t *n);
/* Bytes held by the index (for the memory figures). */
uint64_t tl_memory(const tl *t);

/* ---- the view ---- */

typedef struct tl_view {
    /* Set by the caller (pixels, already scaled for DPI). */
    int32_t width, height;  /* the whole pane */
    int32_t axis_h;         /* the axis band at the top */
    int32_t row_h, header_h;
    int32_t label_px;       /* minimum pixels between labelled axis ticks (0: 90) */
    int32_t hit_px;         /* tick hit tolerance (0: 3) */
    uint64_t axis_origin;   /* axis ticks are multiples of the step from here (0: absolute FILETIME) */
    /* State, changed through the helpers below or directly. */
    uint64_t t0, t1;        /* visible time range, t1 > t0 */
    int64_t scroll_y;       /* pixels of lines scrolled off the top */
    uint32_t selected;      /* socket or TL_NONE */
    uint64_t cursor;        /* FILETIME of the selected event, 0 = none */
    /* Owned by the view (tl_view_sync). */
    uint8_t *collapsed;     /* per group */
    size_t ngroups;
    uint32_t *lines;        /* display lines: TL_LINE_HEADER | group, or a socket index */
    int64_t *line_y;        /* top of each line in content pixels, [nlines] = content height */
    size_t nlines, lines_cap;
    uint32_t *sock_line;    /* per socket: its line, TL_NONE when it has none */
    const tl *model;
} tl_view;

#define TL_LINE_HEADER 0x80000000u

/* Zeroes v, sets the sizes given and fits all. Call tl_view_sync before use. */
void tl_view_init(tl_view *v, const tl *t, int32_t width, int32_t height, int32_t row_h, int32_t header_h,
                  int32_t axis_h);
void tl_view_free(tl_view *v);
/* Rebuilds the display lines from the filter's shown set and the collapsed flags. 0, or -1 out of memory
 * (the previous lines stay). */
int tl_view_sync(tl_view *v);
int tl_view_toggle_group(tl_view *v, size_t g);

void tl_view_fit_all(tl_view *v);                       /* Home */
void tl_view_zoom(tl_view *v, double x, double factor); /* factor > 1 zooms in; the time at x stays */
void tl_view_pan(tl_view *v, double dx);                /* content moves right by dx pixels */
void tl_view_zoom_range(tl_view *v, uint64_t a, uint64_t b);
void tl_view_scroll(tl_view *v, int64_t dy);            /* clamped to the content */
/* Expands its group when collapsed (then syncs) and scrolls so its row is visible. 0, -1 not shown. */
int tl_view_reveal(tl_view *v, uint32_t sock);
/* Arrow keys: the socket `delta` socket rows from sock in display order (headers skipped), clamped to the
 * first and last; from TL_NONE or a socket without a row, the first (delta > 0) or last. TL_NONE when no
 * socket has a row. */
uint32_t tl_view_step(const tl_view *v, uint32_t sock, int delta);

double tl_time_to_x(const tl_view *v, uint64_t t);     /* may be outside [0, width) */
uint64_t tl_x_to_time(const tl_view *v, double x);
int32_t tl_col(const tl_view *v, uint64_t t);          /* col(t), clamped to [-1, width] */
/* Top y (pane pixels) of a socket's row, or INT32_MIN when it has no line. */
int32_t tl_socket_y(const tl_view *v, uint32_t sock);

/* ---- a frame ---- */

/* An upper bound of the primitives of one frame at the view's current size. */
size_t tl_layout_bound(const tl_view *v);
/* Lays out one frame into prims[0..cap), in drawing order: the selection, then line by line from the top
 * (a header, or a socket's bar rectangles then its ticks), the gap markers, the cursor, the axis ticks.
 * Returns the count the frame needs: when > cap, the array holds an incomplete frame (size it with
 * tl_layout_bound). */
size_t tl_layout(const tl_view *v, tl_prim *prims, size_t cap);
/* The axis step chosen for the view (100 ns units, 1-2-5 series). */
uint64_t tl_axis_step(const tl_view *v);

typedef enum tl_hit_what {
    TL_HIT_NONE = 0,
    TL_HIT_AXIS,
    TL_HIT_HEADER,
    TL_HIT_ROW,  /* a socket's row outside its bar */
    TL_HIT_BAR,
    TL_HIT_TICK, /* an event drawn as a tick, within hit_px */
} tl_hit_what;

typedef struct tl_hit {
    tl_hit_what what;
    uint32_t group;  /* header and rows */
    uint32_t socket; /* rows, bars, ticks; TL_NONE otherwise */
    uint64_t time;   /* time at x */
    uint64_t row;    /* tick: the event's store row */
} tl_hit;

void tl_hit_test(const tl_view *v, double x, double y, tl_hit *out);

typedef struct tl_tooltip {
    uint32_t socket, pid;
    const char *process;  /* NULL when unknown */
    uint8_t phase;        /* tl_phase at the time asked (ignoring activity: see transferring) */
    uint8_t transferring; /* the column at that time has sends or receives */
    uint8_t outcome;      /* sock_outcome */
    uint8_t has_error;
    uint32_t error;       /* first error status */
    uint64_t start, end;  /* the bar's times */
    uint64_t duration;    /* end - start, 100 ns units */
    uint64_t bytes_sent, bytes_received, sends, receives;
} tl_tooltip;

/* 0, or -1 when sock is out of range. */
int tl_tooltip_at(const tl_view *v, uint32_t sock, double x, tl_tooltip *out);

#ifdef __cplusplus
}
#endif
#endif
