/*
 * mainwnd.h - the main window: menu, filter bar, event list, socket table, detail pane, status bar.
 * Module prefix: mw_.
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

/* The modeless dialog (Find) the message loop must give IsDialogMessage first, or NULL. */
HWND mw_modeless_dialog(HWND hwnd);

/* Open a trace file (replacing the one open): it loads in the background. FALSE when it could not
 * even start (out of memory); a file that cannot be read is reported when its load ends. */
BOOL mw_open_file(HWND hwnd, const wchar_t *path);

/* A live capture (capctl.c) replaces the trace shown, as an opened file does; the window owns t from now
 * on (its serial is set here). FALSE when hwnd is not a main window. */
struct trc_trace;
BOOL mw_show_capture(HWND hwnd, struct trc_trace *t);
/* The window's Capture menu controller (main.c hands it the command line). */
struct cctl;
struct cctl *mw_capture_controller(HWND hwnd);

#endif
