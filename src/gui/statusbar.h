/*
 * statusbar.h - the main window's status bar. Module prefix: sbar_.
 */
#ifndef WSK_GUI_STATUSBAR_H
#define WSK_GUI_STATUSBAR_H

#include <windows.h>
#include <stdint.h>

enum sbar_part {
    SBAR_EVENTS,       /* events shown / total */
    SBAR_SOCKETS,
    SBAR_LOST,
    SBAR_PROGRESS,
    SBAR_FILE,         /* takes the width the others leave */
    SBAR_ZONE,         /* the time zone times are shown in */
    SBAR_PART_COUNT
};

HWND sbar_create(HWND parent, int id, UINT dpi);

/* Recompute the parts for the bar's width and dpi; call after the parent resized or changed DPI. */
void sbar_layout(HWND bar, UINT dpi);

void sbar_set_counts(HWND bar, uint64_t shown, uint64_t total, uint64_t sockets, uint64_t lost);
void sbar_set_text(HWND bar, enum sbar_part part, const wchar_t *text);

#endif
