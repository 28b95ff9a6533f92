/*
 * utf.h - text from the portable core (UTF-8) into the UTF-16 the controls take. Module prefix: utf_.
 */
#ifndef WSK_GUI_UTF_H
#define WSK_GUI_UTF_H

#include <windows.h>

/* utf8 into out (cap characters), always terminated; empty when it is not UTF-8 or does not fit. */
void utf_widen(const char *utf8, wchar_t *out, size_t cap);

#endif
