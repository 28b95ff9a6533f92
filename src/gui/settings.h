/*
 * settings.h - what the viewer remembers between runs: window placement, panes, splitters, time format
 * and zone, the files opened last, the filter history. Module prefix: set_.
 *
 * Where: %APPDATA%\wskview\wskview.ini, or wskview.ini beside wskview.exe when a file named
 * wskview.portable lies there (portable mode: nothing is written to the user's profile).
 */
#ifndef WSK_GUI_SETTINGS_H
#define WSK_GUI_SETTINGS_H

#include <windows.h>

#define SET_RECENT 8
#define SET_FILTERS 20

typedef struct set_values {
    BOOL has_placement;
    WINDOWPLACEMENT placement;
    int time_format; /* enum evl_time_format */
    int zone;        /* etl_zone */
    BOOL show_sockets, show_detail, show_status, show_timeline;
    int split_x, split_y, split_detail, split_timeline; /* permille, as mainwnd.c keeps them */
    wchar_t recent[SET_RECENT][MAX_PATH];               /* latest first, "" when unused */
    wchar_t filters[SET_FILTERS][512];                  /* the filter bar's history, latest first */
} set_values;

/* Capture > Capture Options (capctl.c), in their own section [capture]: saved when the dialog's OK is
 * pressed, not at exit. */
typedef struct set_capture {
    int level;             /* 1..5 */
    wchar_t keywords[24];  /* "all" or the mask in hex, "0x44" */
    int preset;            /* cap_preset */
    int flush_seconds;     /* 1..60 */
    wchar_t file[MAX_PATH];/* the .etl the session also writes; "" none */
    wchar_t process[128];  /* the viewer's process filter; "" none */
} set_capture;

/* Fills c from the file; what the file lacks keeps the value c had. */
void set_load_capture(set_capture *c);
BOOL set_save_capture(const set_capture *c);

/* Fills v from the file; what the file lacks keeps the value v had (the caller's defaults). */
void set_load(set_values *v);
/* FALSE when the file could not be written. */
BOOL set_save(const set_values *v);

/* Any module's own section of the same file (columns, highlight rules): a string, quoted when written so
 * that text with quotes of its own survives the profile API. get: FALSE when the file lacks the key. */
BOOL set_get_text(const wchar_t *section, const wchar_t *key, wchar_t *out, DWORD cap);
BOOL set_put_text(const wchar_t *section, const wchar_t *key, const wchar_t *value); /* NULL: remove */

#endif
