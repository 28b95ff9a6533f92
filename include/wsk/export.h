/*
 * export.h - sockets and events as CSV, JSON Lines and text, with the keys of
 * docs/json-keys.md. Module prefix: export_. Shared by `wskdump sockets`,
 * `wskdump events` and the viewer's File > Export, so both write the same.
 */
#ifndef WSK_EXPORT_H
#define WSK_EXPORT_H

#include <stddef.h>

#include <wsk/etl.h>
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

/*
 * Events, one line each (no newline), as `wskdump events` prints them. Every writer returns the full
 * length like snprintf (>= cap: cut; call again with a bigger buffer). Consecutive events share their
 * second and formatting the date costs more than the rest of a line, so the writers keep the date text
 * of the last second in an export_clock (export_clock_init before the first event; one per thread).
 */
typedef struct export_clock {
    uint64_t second;   /* FILETIME / 10^7 of prefix; UINT64_MAX: empty */
    size_t prefix_len;
    char prefix[40];   /* "2025-10-05T11:30:19." */
} export_clock;
void export_clock_init(export_clock *c);
const char *export_event_csv_header(void);
size_t export_event_csv(const etl_event *ev, export_clock *c, char *buf, size_t cap);
size_t export_event_json(const etl_event *ev, export_clock *c, char *buf, size_t cap);
size_t export_event_text(const etl_event *ev, export_clock *c, char *buf, size_t cap);
/* v in decimal, or as "0x" and at least min_digits (up to 16) lowercase hex digits, into out (at least
 * EXPORT_NUM_CAP bytes, NUL-terminated); returns the length. The writers above use them, cli_out too. */
#define EXPORT_NUM_CAP 24
size_t export_u64_text(uint64_t v, char *out);
size_t export_hex_text(uint64_t v, int min_digits, char *out);
/* s as a quoted JSON string; bytes that are not UTF-8 become \ufffd so the output stays JSON. */
size_t export_json_string(const char *s, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif
#endif
