/*
 * dpi.h - per-monitor DPI for the GUI, on every Windows from 8.1 on. Module prefix: dpi_.
 *
 * The newer DPI functions are looked up at run time (dpi_init) so that one executable runs on
 * Windows 8.1 (per-monitor v1 through shcore.dll) and on Windows 10/11 (per-monitor v2).
 * Sizes in the GUI are written at 96 DPI and scaled with dpi_scale.
 */
#ifndef WSK_GUI_DPI_H
#define WSK_GUI_DPI_H

#include <windows.h>

/* Resolve the optional functions and make the calling (UI) thread as DPI-aware as the system
 * allows. Call once, before the first window is created. */
void dpi_init(void);

/* The DPI a window is shown at (96 when nothing better is known). */
UINT dpi_for_window(HWND hwnd);

/* px, a size at 96 DPI, at dpi. */
int dpi_scale(int px, UINT dpi);

/* AdjustWindowRectEx for a given DPI (the system's own metrics where the system cannot). */
BOOL dpi_adjust_window_rect(RECT *rc, DWORD style, BOOL menu, DWORD ex_style, UINT dpi);

/* The user's message-box font at dpi, or NULL. The caller deletes it with DeleteObject. */
HFONT dpi_create_message_font(UINT dpi);

#endif
