/*
 * statusbar.c - the main window's status bar: counts on the left, the file in the stretchy middle,
 * the time zone at the right edge where a glance finds it.
 */
#include "statusbar.h"

#include <commctrl.h>

/* Part widths at 96 DPI; the file part gets what is left (at least its own width). */
static const int sbar_width96[SBAR_PART_COUNT] = { 170, 100, 90, 120, 240, 90 };

HWND sbar_create(HWND parent, int id, UINT dpi)
{
    HWND bar = CreateWindowExW(0, STATUSCLASSNAMEW, NULL, WS_CHILD | WS_VISIBLE | SBARS_SIZEGRIP, 0, 0, 0, 0,
                               parent, (HMENU)(INT_PTR)id, GetModuleHandleW(NULL), NULL);

    if (!bar)
        return NULL;
    sbar_layout(bar, dpi);                     /* the parts must exist before their text is set */
    sbar_set_counts(bar, 0, 0, 0, 0);
    sbar_set_text(bar, SBAR_PROGRESS, L"Ready");
    sbar_set_text(bar, SBAR_FILE, L"No file open");
    sbar_set_text(bar, SBAR_ZONE, L"UTC");
    return bar;
}

void sbar_layout(HWND bar, UINT dpi)
{
    int right[SBAR_PART_COUNT];
    int fixed = 0, x = 0, i;
    RECT rc;

    SendMessageW(bar, WM_SIZE, 0, 0);          /* the bar sizes itself to its parent and font */
    GetClientRect(bar, &rc);
    for (i = 0; i < SBAR_PART_COUNT; i++)
        if (i != SBAR_FILE)
            fixed += MulDiv(sbar_width96[i], (int)dpi, USER_DEFAULT_SCREEN_DPI);
    for (i = 0; i < SBAR_PART_COUNT; i++) {
        int w = MulDiv(sbar_width96[i], (int)dpi, USER_DEFAULT_SCREEN_DPI);
        if (i == SBAR_FILE && rc.right - fixed > w)
            w = rc.right - fixed;
        x += w;
        right[i] = x;
    }
    right[SBAR_PART_COUNT - 1] = -1;           /* the last part runs to the edge */
    SendMessageW(bar, SB_SETPARTS, SBAR_PART_COUNT, (LPARAM)right);
}

void sbar_set_text(HWND bar, enum sbar_part part, const wchar_t *text)
{
    SendMessageW(bar, SB_SETTEXTW, (WPARAM)part, (LPARAM)text);
}

/* Appends the decimal digits of v at *pos; formatting by hand keeps one spelling on msvcrt and UCRT. */
static void sbar_append_u64(wchar_t *buf, size_t cap, size_t *pos, uint64_t v)
{
    wchar_t digits[20];
    size_t n = 0;

    do {
        digits[n++] = (wchar_t)(L'0' + v % 10);
        v /= 10;
    } while (v);
    while (n && *pos + 1 < cap)
        buf[(*pos)++] = digits[--n];
    buf[*pos] = L'\0';
}

static void sbar_append(wchar_t *buf, size_t cap, size_t *pos, const wchar_t *s)
{
    while (*s && *pos + 1 < cap)
        buf[(*pos)++] = *s++;
    buf[*pos] = L'\0';
}

void sbar_set_counts(HWND bar, uint64_t shown, uint64_t total, uint64_t sockets, uint64_t lost)
{
    wchar_t buf[64];
    size_t pos = 0;

    sbar_append(buf, 64, &pos, L"Events: ");
    sbar_append_u64(buf, 64, &pos, shown);
    sbar_append(buf, 64, &pos, L" / ");
    sbar_append_u64(buf, 64, &pos, total);
    sbar_set_text(bar, SBAR_EVENTS, buf);
    pos = 0;
    sbar_append(buf, 64, &pos, L"Sockets: ");
    sbar_append_u64(buf, 64, &pos, sockets);
    sbar_set_text(bar, SBAR_SOCKETS, buf);
    pos = 0;
    sbar_append(buf, 64, &pos, L"Lost: ");
    sbar_append_u64(buf, 64, &pos, lost);
    sbar_set_text(bar, SBAR_LOST, buf);
}
