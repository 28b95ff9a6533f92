/*
 * utf.c - UTF-8 to UTF-16 for the controls (utf.h).
 */
#include "utf.h"

#include <limits.h>

void utf_widen(const char *utf8, wchar_t *out, size_t cap)
{
    if (!cap)
        return;
    if (!MultiByteToWideChar(CP_UTF8, 0, utf8, -1, out, cap > INT_MAX ? INT_MAX : (int)cap))
        out[0] = L'\0';
    out[cap - 1] = L'\0';
}
