/*
 * theme.h - follow the system's light/dark choice where Windows documents a way to. Module prefix: theme_.
 */
#ifndef WSK_GUI_THEME_H
#define WSK_GUI_THEME_H

#include <windows.h>

/* Dark title bar when the user chose dark mode for apps, light otherwise. Call at creation and when
 * WM_SETTINGCHANGE says "ImmersiveColorSet". Does nothing where the system lacks the attribute. */
void theme_apply_title_bar(HWND hwnd);

/* Whether the user chose dark mode for apps (FALSE when the setting is absent, as before Windows 10). */
BOOL theme_apps_use_dark(void);

#endif
