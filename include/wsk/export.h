/*
 * export.h - sockets as CSV and JSON Lines, one row per socket lifetime, with
 * the keys of docs/json-keys.md. Module prefix: export_. Shared by
 * `wskdump sockets` and the viewer's File > Export, so both write the same.
 */
#ifndef WSK_EXPORT_H
#define WSK_EXPORT_H

#include <stddef.h>

#include <wsk/sock.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One JSON object (no newline). Returns the full length like snprintf (>= cap: cut). */
size_t export_socket_json(const sock_model *m, size_t index, char *buf, size_t cap);
/* The CSV header line and one CSV row (no newline), RFC 4180 quoting. */
const char *export_socket_csv_header(void);
size_t export_socket_csv(const sock_model *m, size_t index, char *buf, size_t cap);
/* An aligned text line for people (no newline), and the header line above such lines. */
size_t export_socket_text_header(char *buf, size_t cap);
size_t export_socket_text(const sock_model *m, size_t index, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
