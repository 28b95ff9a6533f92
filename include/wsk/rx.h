/*
 * rx.h - a small regular-expression engine for the filter language's `~`
 * operator (MSVC's C library has none, and the core takes no dependencies).
 * Module prefix: rx_.
 *
 * Syntax: literals, `.`, `[...]` / `[^...]` with ranges, `\d \D \w \W \s \S`,
 * the escapes `\t \n \r` and `\` before any punctuation, `^` and `$`, groups
 * `(...)` and `(?:...)`, alternation `|`, quantifiers `* + ? {m} {m,} {m,n}`.
 * Matching answers "does the pattern occur anywhere in the text" and runs as a
 * Pike VM: time linear in the text, no backtracking blow-ups, no allocation.
 * A compiled rx holds its own match workspace: use one rx per thread.
 */
#ifndef WSK_RX_H
#define WSK_RX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rx rx;

enum { RX_ICASE = 1 }; /* ASCII case-insensitive */

/* Compile; on failure *out is untouched, *err_pos is the 0-based offset of the problem and err names it. */
int rx_compile(const char *pattern, unsigned flags, rx **out, size_t *err_pos, char *err, size_t err_len);
/* 1 when the pattern occurs in text[0..len), else 0. */
int rx_search(rx *r, const char *text, size_t len);
void rx_free(rx *r);

#ifdef __cplusplus
}
#endif
#endif
