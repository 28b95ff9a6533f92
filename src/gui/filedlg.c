/*
 * filedlg.c - the common Open and Save dialogs (filedlg.h).
 */
#include "filedlg.h"

#include <commdlg.h>
#include <wchar.h>

static DWORD fdlg_run(HWND owner, BOOL save, const wchar_t *filter, const wchar_t *def_ext, const wchar_t *title,
                      wchar_t *path, DWORD cap)
{
    OPENFILENAMEW ofn;
    BOOL chosen;

    ZeroMemory(&ofn, sizeof ofn);
    ofn.lStructSize = sizeof ofn;
    ofn.hwndOwner = owner;
    ofn.lpstrFilter = filter;
    ofn.nFilterIndex = 1;
    ofn.lpstrFile = path;
    ofn.nMaxFile = cap;
    ofn.lpstrTitle = title;
    ofn.lpstrDefExt = def_ext;
    ofn.Flags = OFN_PATHMUSTEXIST | OFN_HIDEREADONLY | OFN_EXPLORER
                | (save ? OFN_OVERWRITEPROMPT : OFN_FILEMUSTEXIST);
    chosen = save ? GetSaveFileNameW(&ofn) : GetOpenFileNameW(&ofn);
    return chosen ? (ofn.nFilterIndex ? ofn.nFilterIndex : 1) : 0;
}

DWORD fdlg_save(HWND owner, const wchar_t *filter, const wchar_t *def_ext, const wchar_t *title, wchar_t *path,
                DWORD cap)
{
    return fdlg_run(owner, TRUE, filter, def_ext, title, path, cap);
}

DWORD fdlg_open(HWND owner, const wchar_t *filter, const wchar_t *def_ext, wchar_t *path, DWORD cap)
{
    return fdlg_run(owner, FALSE, filter, def_ext, NULL, path, cap);
}

BOOL fdlg_save_table(HWND owner, const wchar_t *filter, wchar_t *path, DWORD cap, int *jsonl)
{
    DWORD type = fdlg_run(owner, TRUE, filter, L"csv", NULL, path, cap);
    size_t len;

    if (!type)
        return FALSE;
    len = wcslen(path);
    *jsonl = type == 2 || (len > 6 && lstrcmpiW(path + len - 6, L".jsonl") == 0);
    return TRUE;
}
