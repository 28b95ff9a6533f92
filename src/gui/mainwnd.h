/*
 * mainwnd.h - the main window: menu, event list, status bar. Module prefix: mw_.
 *
 * MW_CLASS_NAME is a contract with the GUI tests (tests/gui/guiprobe.c finds the window by it).
 */
#ifndef WSK_GUI_MAINWND_H
#define WSK_GUI_MAINWND_H

#include <windows.h>

#define MW_CLASS_NAME L"wskview.main"

/* Register the window class; FALSE on failure. */
BOOL mw_register(HINSTANCE inst);

/* Create and show the main window. NULL on failure. */
HWND mw_create(HINSTANCE inst, int show);

#endif
