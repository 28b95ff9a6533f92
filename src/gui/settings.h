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

/* Fills v from the file; what the file lacks keeps the value v had (the caller's defaults). */
void set_load(set_values *v);
/* FALSE when the file could not be written. */
BOOL set_save(const set_values *v);

#endif
