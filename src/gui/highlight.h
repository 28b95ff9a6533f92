/*
 * highlight.h - highlight rules of the event list (Process Monitor's Filter > Highlight): each rule is a
 * filter expression (filt.h) and a colour of a small palette; the first rule a row matches colours it.
 * Module prefix: hl_.
 *
 * Rules are evaluated only for rows the list draws (NM_CUSTOMDRAW), on the UI thread (a filt is one
 * thread's), and only once the trace is loaded (filters read the socket model). The outcome is kept in a
 * memo keyed by store row, since a rule's answer depends on the row alone: changing the view (filter,
 * sort, columns) keeps it; changing the rules or the trace clears it. Kept in the settings file
 * ([highlight] Rule1, Colour1, ...).
 */
#ifndef WSK_GUI_HIGHLIGHT_H
#define WSK_GUI_HIGHLIGHT_H

#include <windows.h>
#include <commctrl.h>

#include <wsk/filt.h>

#include "eventlist.h"
#include "trace.h"

#define HL_MAX_RULES 32
#define HL_TEXT_CAP 512
#define HL_MEMO 4096 /* a few screens of rows */

typedef struct hl_rule {
    char text[HL_TEXT_CAP]; /* the filter expression (UTF-8) */
    int colour;             /* palette index */
    filt *f;
} hl_rule;

typedef struct hl_memo {
    uint32_t row;
    uint32_t generation; /* 0: empty */
    int rule;            /* -1: no rule matches */
} hl_memo;

typedef struct hl_state {
    hl_rule rules[HL_MAX_RULES];
    int count;
    uint32_t generation; /* the memo's entries of another generation are stale */
    const trc_trace *trace;
    UINT trace_serial;
    uint64_t evaluated; /* rows whose rules were evaluated (the memo missed) */
    hl_memo memo[HL_MEMO];
} hl_state;

int hl_colour_count(void);
const wchar_t *hl_colour_name(int colour);
COLORREF hl_colour_rgb(int colour);

/* The rules of the settings file (rules that no longer compile are dropped). */
void hl_load(hl_state *h);
BOOL hl_save(const hl_state *h);
void hl_free(hl_state *h);
/* Adds a rule (colour -1: the next colour of the palette). FALSE with a message in err when the
 * expression does not compile or the list is full. */
BOOL hl_add(hl_state *h, const char *text, int colour, char *err, size_t cap);
void hl_remove(hl_state *h, int index);
void hl_set_colour(hl_state *h, int index, int colour);
/* The rule that colours store row `row` of trace t (-1: none, or the trace is not loaded yet). */
int hl_rule_for(hl_state *h, trc_trace *t, uint64_t row);
/* NM_CUSTOMDRAW of the event list, after evl_on_notify answered evl_result: asks for item stages and
 * colours a row its rule picks (a row the list coloured itself, e.g. lost events, keeps that). */
LRESULT hl_custom_draw(hl_state *h, evl_model *m, NMLVCUSTOMDRAW *cd, LRESULT evl_result);
/* Edit > Highlighting...: the rules dialog (list, add, remove, recolour). TRUE when the rules changed. */
BOOL hl_dialog(HWND owner, hl_state *h);

#endif
