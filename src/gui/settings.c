/*
 * settings.c - the viewer's settings file (see settings.h): a small INI read once at start and
 * written once at exit, through the profile API, so a person can read and edit it.
 */
#if defined(_MSC_VER) && !defined(_CRT_SECURE_NO_WARNINGS)
#define _CRT_SECURE_NO_WARNINGS /* _snwprintf: its length is checked here (SDL checks would refuse it) */
#endif
#include "settings.h"

#include <limits.h>
#include <shlobj.h>
#include <stdio.h>
#include <stdlib.h>

#define SET_SECTION L"wskview"

/* The file's path; FALSE when there is nowhere to keep it. Portable mode needs the marker file. */
static BOOL set_path(wchar_t *out, size_t cap)
{
    wchar_t dir[MAX_PATH], *slash;
    DWORD n = GetModuleFileNameW(NULL, dir, MAX_PATH);

    if (n > 0 && n < MAX_PATH && (slash = wcsrchr(dir, L'\\')) != NULL) {
        wchar_t marker[MAX_PATH + 32];
        slash[1] = L'\0';
        _snwprintf(marker, MAX_PATH + 32, L"%lswskview.portable", dir);
        marker[MAX_PATH + 31] = L'\0';
        if (GetFileAttributesW(marker) != INVALID_FILE_ATTRIBUTES) {
            _snwprintf(out, cap, L"%lswskview.ini", dir);
            out[cap - 1] = L'\0';
            return TRUE;
        }
    }
    if (FAILED(SHGetFolderPathW(NULL, CSIDL_APPDATA | CSIDL_FLAG_CREATE, NULL, 0, dir)))
        return FALSE;
    _snwprintf(out, cap, L"%ls\\wskview", dir);
    out[cap - 1] = L'\0';
    CreateDirectoryW(out, NULL); /* fails harmlessly when it exists */
    _snwprintf(out, cap, L"%ls\\wskview\\wskview.ini", dir);
    out[cap - 1] = L'\0';
    return TRUE;
}

static int set_int_in(const wchar_t *section, const wchar_t *file, const wchar_t *key, int dflt, int lo, int hi)
{
    int v = (int)GetPrivateProfileIntW(section, key, dflt, file);
    return v < lo || v > hi ? dflt : v;
}

static int set_int(const wchar_t *file, const wchar_t *key, int dflt, int lo, int hi)
{
    return set_int_in(SET_SECTION, file, key, dflt, lo, hi);
}

static BOOL set_put_in(const wchar_t *section, const wchar_t *file, const wchar_t *key, int v)
{
    wchar_t text[16];
    _snwprintf(text, 16, L"%d", v);
    text[15] = L'\0';
    return WritePrivateProfileStringW(section, key, text, file);
}

static BOOL set_put(const wchar_t *file, const wchar_t *key, int v)
{
    return set_put_in(SET_SECTION, file, key, v);
}

#define SET_CAPTURE L"capture"

/* A string setting; buf keeps its value when the file lacks the key. */
static void set_str_in(const wchar_t *section, const wchar_t *file, const wchar_t *key, wchar_t *buf, DWORD cap)
{
    wchar_t got[MAX_PATH];

    if (GetPrivateProfileStringW(section, key, L"\x01", got, MAX_PATH, file) && got[0] != L'\x01')
        lstrcpynW(buf, got, (int)cap);
}

void set_load_capture(set_capture *c)
{
    wchar_t file[MAX_PATH + 64];

    if (!set_path(file, MAX_PATH + 64))
        return;
    c->level = set_int_in(SET_CAPTURE, file, L"Level", c->level, 1, 5);
    c->preset = set_int_in(SET_CAPTURE, file, L"Buffers", c->preset, 0, 2);
    c->flush_seconds = set_int_in(SET_CAPTURE, file, L"FlushSeconds", c->flush_seconds, 1, 60);
    set_str_in(SET_CAPTURE, file, L"Keywords", c->keywords, 24);
    set_str_in(SET_CAPTURE, file, L"File", c->file, MAX_PATH);
    set_str_in(SET_CAPTURE, file, L"Process", c->process, 128);
}

BOOL set_save_capture(const set_capture *c)
{
    wchar_t file[MAX_PATH + 64];

    return set_path(file, MAX_PATH + 64) && set_put_in(SET_CAPTURE, file, L"Level", c->level) &&
           set_put_in(SET_CAPTURE, file, L"Buffers", c->preset) &&
           set_put_in(SET_CAPTURE, file, L"FlushSeconds", c->flush_seconds) &&
           WritePrivateProfileStringW(SET_CAPTURE, L"Keywords", c->keywords, file) &&
           WritePrivateProfileStringW(SET_CAPTURE, L"File", c->file, file) &&
           WritePrivateProfileStringW(SET_CAPTURE, L"Process", c->process, file);
}

void set_load(set_values *v)
{
    wchar_t file[MAX_PATH + 64], key[16];
    int i;
    RECT *r = &v->placement.rcNormalPosition;

    if (!set_path(file, MAX_PATH + 64))
        return;
    v->time_format = set_int(file, L"TimeFormat", v->time_format, 0, 2);
    v->zone = set_int(file, L"TimeZone", v->zone, 0, 2);
    v->show_sockets = set_int(file, L"SocketTable", v->show_sockets, 0, 1);
    v->show_detail = set_int(file, L"DetailPane", v->show_detail, 0, 1);
    v->show_status = set_int(file, L"StatusBar", v->show_status, 0, 1);
    v->show_timeline = set_int(file, L"Timeline", v->show_timeline, 0, 1);
    v->split_x = set_int(file, L"SplitDetail", v->split_x, 50, 950);
    v->split_y = set_int(file, L"SplitSockets", v->split_y, 50, 950);
    v->split_detail = set_int(file, L"SplitDetailText", v->split_detail, 50, 950);
    v->split_timeline = set_int(file, L"SplitTimeline", v->split_timeline, 50, 950);
    r->left = set_int(file, L"Left", INT_MIN, -32000, 32000);
    r->top = set_int(file, L"Top", INT_MIN, -32000, 32000);
    r->right = set_int(file, L"Right", INT_MIN, -32000, 32000);
    r->bottom = set_int(file, L"Bottom", INT_MIN, -32000, 32000);
    v->has_placement =
        r->left != INT_MIN && r->top != INT_MIN && r->right > r->left + 100 && r->bottom > r->top + 100;
    for (i = 0; i < SET_RECENT; i++) {
        _snwprintf(key, 16, L"Recent%d", i + 1);
        key[15] = L'\0';
        GetPrivateProfileStringW(SET_SECTION, key, L"", v->recent[i], MAX_PATH, file);
    }
    for (i = 0; i < SET_FILTERS; i++) {
        _snwprintf(key, 16, L"Filter%d", i + 1);
        key[15] = L'\0';
        GetPrivateProfileStringW(SET_SECTION, key, L"", v->filters[i], 512, file);
    }
    v->placement.length = sizeof v->placement;
    v->placement.showCmd = set_int(file, L"Maximized", 0, 0, 1) ? SW_SHOWMAXIMIZED : SW_SHOWNORMAL;
}

BOOL set_save(const set_values *v)
{
    wchar_t file[MAX_PATH + 64], key[16];
    int i;
    const RECT *r = &v->placement.rcNormalPosition;
    BOOL ok;

    if (!set_path(file, MAX_PATH + 64))
        return FALSE;
    ok = set_put(file, L"TimeFormat", v->time_format) && set_put(file, L"TimeZone", v->zone) &&
         set_put(file, L"SocketTable", v->show_sockets) && set_put(file, L"DetailPane", v->show_detail) &&
         set_put(file, L"StatusBar", v->show_status) && set_put(file, L"Timeline", v->show_timeline) &&
         set_put(file, L"SplitDetail", v->split_x) && set_put(file, L"SplitSockets", v->split_y) &&
         set_put(file, L"SplitDetailText", v->split_detail) &&
         set_put(file, L"SplitTimeline", v->split_timeline);
    if (ok && v->has_placement)
        ok = set_put(file, L"Left", r->left) && set_put(file, L"Top", r->top) &&
             set_put(file, L"Right", r->right) && set_put(file, L"Bottom", r->bottom) &&
             set_put(file, L"Maximized", v->placement.showCmd == SW_SHOWMAXIMIZED);
    for (i = 0; ok && i < SET_RECENT; i++) {
        _snwprintf(key, 16, L"Recent%d", i + 1);
        key[15] = L'\0';
        ok = WritePrivateProfileStringW(SET_SECTION, key, v->recent[i][0] ? v->recent[i] : NULL, file) ||
             !v->recent[i][0];
    }
    for (i = 0; ok && i < SET_FILTERS; i++) {
        /* Quoted: the profile API strips one pair of quotes, so text that is quoted itself survives. */
        wchar_t quoted[520];
        _snwprintf(key, 16, L"Filter%d", i + 1);
        key[15] = L'\0';
        _snwprintf(quoted, 520, L"\"%ls\"", v->filters[i]);
        quoted[519] = L'\0';
        ok = WritePrivateProfileStringW(SET_SECTION, key, v->filters[i][0] ? quoted : NULL, file) ||
             !v->filters[i][0];
    }
    return ok;
}

BOOL set_get_text(const wchar_t *section, const wchar_t *key, wchar_t *out, DWORD cap)
{
    wchar_t file[MAX_PATH + 64];

    if (!set_path(file, MAX_PATH + 64))
        return FALSE;
    GetPrivateProfileStringW(section, key, L"\x01", out, cap, file);
    return out[0] != L'\x01';
}

BOOL set_put_text(const wchar_t *section, const wchar_t *key, const wchar_t *value)
{
    wchar_t file[MAX_PATH + 64], *quoted;
    size_t len = value ? wcslen(value) : 0;
    BOOL ok;

    if (!set_path(file, MAX_PATH + 64))
        return FALSE;
    if (!value)
        return WritePrivateProfileStringW(section, key, NULL, file) || GetLastError() == ERROR_FILE_NOT_FOUND;
    quoted = (wchar_t *)malloc((len + 3) * sizeof *quoted);
    if (!quoted)
        return FALSE;
    _snwprintf(quoted, len + 3, L"\"%ls\"", value);
    quoted[len + 2] = L'\0';
    ok = WritePrivateProfileStringW(section, key, quoted, file);
    free(quoted);
    return ok;
}
