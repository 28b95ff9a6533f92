/*
 * filedlg.h - the common Open and Save dialogs as the viewer asks them: one place that fills
 * OPENFILENAMEW, so every file the viewer reads or writes is chosen the same way (overwrite
 * prompt, existing folders only, the type's extension added). Module prefix: fdlg_.
 */
#ifndef WSK_GUI_FILEDLG_H
#define WSK_GUI_FILEDLG_H

#include <windows.h>

/* filter: OPENFILENAMEW's pairs of description and pattern, ending in two NULs; def_ext without the dot;
 * title NULL for the system's. path (cap characters) holds the proposed name and gets the choice.
 * Returns the 1-based index of the type chosen in filter, 0 when the user cancelled (path then untouched
 * by the choice). */
DWORD fdlg_save(HWND owner, const wchar_t *filter, const wchar_t *def_ext, const wchar_t *title, wchar_t *path,
                DWORD cap);
/* The same for a file that must exist. */
DWORD fdlg_open(HWND owner, const wchar_t *filter, const wchar_t *def_ext, wchar_t *path, DWORD cap);
/* A CSV or JSON Lines export (filter's second type is JSON Lines): path gets the choice, *jsonl is 1 when
 * the JSON Lines type was chosen or the name ends in .jsonl. FALSE when cancelled. */
BOOL fdlg_save_table(HWND owner, const wchar_t *filter, wchar_t *path, DWORD cap, int *jsonl);

#endif
