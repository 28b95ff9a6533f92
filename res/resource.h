/*
 * resource.h - identifiers shared by res/wskview.rc and the GUI's C code.
 * Commands are grouped by menu (File 400xx, Edit 401xx, View 402xx, Capture 403xx, Help 409xx)
 * so that a range check tells which menu a command came from.
 */
#ifndef WSK_RESOURCE_H
#define WSK_RESOURCE_H

#define IDI_APP                   1
#define IDR_MAINMENU              101
#define IDR_ACCEL                 102
#define IDD_GOTO                  103

#define IDM_FILE_OPEN             40001
#define IDM_FILE_RECENT           40002   /* the "(none)" entry of File > Recent Files */
#define IDM_FILE_EXPORT           40003   /* File > Export Sockets */
#define IDM_FILE_EXPORT_EVENTS    40030
#define IDM_FILE_EXIT             40009
#define IDM_FILE_EXPORT_TIMELINE  40050   /* the timeline helper's range: 40050-40059 */
#define IDM_FILE_RECENT_FIRST     40010   /* File > Recent Files: 40010 the latest ... 40017 */
#define IDM_FILE_RECENT_COUNT     8

#define IDM_EDIT_COPY             40101
#define IDM_EDIT_FIND             40102
#define IDM_EDIT_FIND_NEXT        40103
#define IDM_EDIT_FIND_PREV        40104
#define IDM_EDIT_GOTO             40105
#define IDM_EDIT_FILTER           40106
#define IDM_EDIT_SOCKET_NEXT      40107
#define IDM_EDIT_SOCKET_PREV      40108
#define IDM_EDIT_BACK             40109
#define IDM_EDIT_FORWARD          40110
#define IDM_EDIT_HIGHLIGHT        40111

#define IDM_VIEW_TIME_OF_DAY      40201
#define IDM_VIEW_TIME_SINCE_FIRST 40202
#define IDM_VIEW_TIME_DELTA       40203
#define IDM_VIEW_ZONE_UTC         40211
#define IDM_VIEW_ZONE_TRACE       40212
#define IDM_VIEW_ZONE_VIEWER      40213
#define IDM_VIEW_COLUMNS          40221
#define IDM_VIEW_SOCKETS          40222
#define IDM_VIEW_DETAIL           40223
#define IDM_VIEW_TIMELINE         40224
#define IDM_VIEW_STATUSBAR        40225
#define IDM_VIEW_HIGHLIGHTING     40130   /* the highlight rules dialog (View and Edit menus) */
#define IDM_EDIT_SELECT_ALL       40131

/* The column chooser (columns.c) and the highlight rules (highlight.c). */
#define IDD_COLUMNS               110
#define IDD_HIGHLIGHT             111
#define IDC_COLUMNS_LIST          1100
#define IDC_COLUMNS_RESET         1101
#define IDC_HL_LIST               1110
#define IDC_HL_TEXT               1111
#define IDC_HL_COLOUR             1112
#define IDC_HL_ADD                1113
#define IDC_HL_REMOVE             1114
#define IDC_HL_RECOLOUR           1115
#define IDC_HL_ERROR              1116

#define IDM_CAPTURE_START         40301
#define IDM_CAPTURE_CLEAR         40302
#define IDM_CAPTURE_SAVE          40303
#define IDM_CAPTURE_OPTIONS       40304

/* Capture dialogs and their controls (capctl.c). */
#define IDD_CAPTURE_OPTIONS       120
#define IDD_CAPTURE_DENIED        121
#define IDC_CAP_LEVEL             1200
#define IDC_CAP_ALL_KEYWORDS      1201
#define IDC_CAP_KEYWORDS          1202
#define IDC_CAP_PRESET            1203
#define IDC_CAP_FLUSH             1204
#define IDC_CAP_FILE              1205
#define IDC_CAP_BROWSE            1206
#define IDC_CAP_PROCESS           1207
#define IDC_CAP_DENIED_TEXT       1210
#define IDC_CAP_RESTART           1211

/* Keyboard focus between the panes (no menu item: Tab, Shift+Tab, F6, Shift+F6). */
#define IDM_FOCUS_NEXT            40070
#define IDM_FOCUS_PREV            40071
#define IDM_FOCUS_NEXT_PANE       40072
#define IDM_FOCUS_PREV_PANE       40073

#define IDM_HELP_ABOUT            40901

/* Child window identifiers of the main window. */
#define IDC_EVENTLIST             1001
#define IDC_STATUSBAR             1002
#define IDC_FILTER                1003
#define IDC_FILTER_CLEAR          1004
#define IDC_FILTER_ERROR          1005
#define IDC_SOCKETS               1006
#define IDC_DETAIL_TEXT           1007
#define IDC_DETAIL_LIST           1008
#define IDC_TIMELINE              1009
#define IDC_DETAIL_FILTER         1010
#define IDC_DETAIL_COPY           1011
#define IDC_GOTO_NUMBER           1012

/* Commands the filter bar sends (Enter, Esc in its edit). */
#define IDM_FILTER_APPLY          40120
#define IDM_FILTER_CLEAR          40121

#endif
