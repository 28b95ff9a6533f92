/*
 * rows.h - views over the event store: sorting by any column and searching
 * forwards or backwards, both through arrays of row indices, so the store
 * itself never moves. Module prefix: rows_.
 */
#ifndef WSK_ROWS_H
#define WSK_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include <wsk/filt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The event list's columns, in the list's order. */
typedef enum rows_column {
    ROWS_COL_INDEX = 0, /* store order (= time order for files) */
    ROWS_COL_TIME,
    ROWS_COL_PROCESS,   /* the socket owner's image name, then its PID */
    ROWS_COL_TID,
    ROWS_COL_CPU,
    ROWS_COL_EVENT,     /* event id */
    ROWS_COL_SOCKET,    /* endpoint, then generation */
    ROWS_COL_LOCAL,
    ROWS_COL_REMOTE,
    ROWS_COL_STATUS,
    ROWS_COL_BYTES,
    ROWS_COL_COUNT
} rows_column;

/* Stable sort of rows[0..n) by column (ties keep their order). 0, or -1 out of memory (rows untouched). */
int rows_sort(const filt_ctx *c, rows_column column, int descending, uint32_t *rows, size_t n);

/* Case-insensitive text search in what a row shows: event name, process, addresses, status name and the
 * decoded fields. */
int rows_text_matches(const filt_ctx *c, uint64_t row, const char *needle);

/*
 * The next position after `from` (or before it when backward) in the view rows[0..n) (rows NULL: the store
 * order, n rows) whose row matches the filter f, or, when f is NULL, contains the text. Wraps around once.
 * Returns the position, or -1 when nothing matches.
 */
int64_t rows_find(const filt_ctx *c, const uint32_t *rows, uint64_t n, uint64_t from, int backward, filt *f,
                  const char *text);

#ifdef __cplusplus
}
#endif
#endif
