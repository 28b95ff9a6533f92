/*
 * filterbar.h - the filter bar above the event list: a combo box whose edit takes the filter
 * language (filt.h) and whose list keeps the last filters applied, a Clear button and the place
 * where a filter's error is shown with its column. Enter in the edit sends WM_COMMAND
 * FBAR_CMD_APPLY to the parent, Esc FBAR_CMD_CLEAR. Module prefix: fbar_.
 */
#ifndef WSK_GUI_FILTERBAR_H
#define WSK_GUI_FILTERBAR_H

#include <windows.h>

typedef struct fbar {
    HWND label, combo, edit, clear, error;
} fbar;

/* Creates the controls with ids id_combo, id_clear and id_error. FALSE on failure. */
BOOL fbar_create(fbar *b, HWND parent, int id_combo, int id_clear, int id_error, int cmd_apply,
                 int cmd_clear);
/* Places the bar in the rectangle (x, y, width) and returns its height. */
int fbar_layout(fbar *b, int x, int y, int width, UINT dpi, HFONT font);
void fbar_set_font(fbar *b, HFONT font);
/* The filter text as UTF-8 (cut at cap). */
void fbar_text(const fbar *b, char *out, size_t cap);
void fbar_set_text(fbar *b, const char *utf8);
/* Puts text first in the history (once; the last 20 are kept). */
void fbar_remember(fbar *b, const char *utf8);
/* History entry i (UTF-16, latest first); FALSE past the last. */
BOOL fbar_history_at(const fbar *b, int i, wchar_t *out, size_t cap);
/* Appends an entry at the end of the history (restoring a saved one, latest first). */
void fbar_history_add(fbar *b, const wchar_t *text);
/* An error message (UTF-8) or NULL to clear it. */
void fbar_set_error(fbar *b, const char *utf8);

#endif
