/*
 * theme.c - the dark title bar, and nothing undocumented.
 *
 * ABI note: DwmSetWindowAttribute is taken from dwmapi.dll at run time (the DLL exists on 8.1, the
 * attribute only on Windows 10 and later) and called through dwm_set_attr_fn, the SDK's prototype.
 * DWMWA_USE_IMMERSIVE_DARK_MODE is 20 from Windows 10 20H1 on and was 19 before; older systems
 * reject both, which is fine: the title bar stays light.
 */
#include "theme.h"

typedef HRESULT (WINAPI *dwm_set_attr_fn)(HWND hwnd, DWORD attr, const void *value, DWORD size);

#define THEME_DWMWA_DARK_MODE 20
#define THEME_DWMWA_DARK_MODE_PRE_20H1 19

BOOL theme_apps_use_dark(void)
{
    DWORD light = 1, size = sizeof light;
    LSTATUS st = RegGetValueW(HKEY_CURRENT_USER,
                              L"Software\\Microsoft\\Windows\\CurrentVersion\\Themes\\Personalize",
                              L"AppsUseLightTheme", RRF_RT_REG_DWORD, NULL, &light, &size);
    return st == ERROR_SUCCESS && light == 0;
}

void theme_apply_title_bar(HWND hwnd)
{
    static dwm_set_attr_fn set_attr;
    static BOOL looked_up, darkened;
    BOOL dark = theme_apps_use_dark();

    /* Light is the default: touch the window only to darken it or to undo that. */
    if (!dark && !darkened)
        return;

    if (!looked_up) {
        HMODULE dwm = LoadLibraryExW(L"dwmapi.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
        looked_up = TRUE;
        if (dwm)
            set_attr = (dwm_set_attr_fn)(void (*)(void))GetProcAddress(dwm, "DwmSetWindowAttribute");
    }
    if (!set_attr)
        return;
    if (set_attr(hwnd, THEME_DWMWA_DARK_MODE, &dark, sizeof dark) == S_OK
        || set_attr(hwnd, THEME_DWMWA_DARK_MODE_PRE_20H1, &dark, sizeof dark) == S_OK)
        darkened = dark;
}
