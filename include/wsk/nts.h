/*
 * nts.h - NTSTATUS values as sockets report them: symbolic name, the Winsock
 * error the status becomes in user mode, and a plain sentence of what usually
 * causes it.
 *
 * Module prefix: nts_. Portable C11.
 */
#ifndef WSK_NTS_H
#define WSK_NTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct nts_info {
    uint32_t status;
    const char *name;     /* "STATUS_CONNECTION_REFUSED" */
    uint32_t wsa;         /* Winsock error it maps to (10061), 0 when none */
    const char *wsa_name; /* "WSAECONNREFUSED", NULL when none */
    const char *text;     /* what usually causes it, one sentence */
} nts_info;

/* Severity classes. NT_SUCCESS covers SUCCESS, PENDING and INFO. */
typedef enum nts_result {
    NTS_SUCCESS = 0, /* severity 0 (0x0xxxxxxx-0x3xxxxxxx) except STATUS_PENDING */
    NTS_PENDING,     /* STATUS_PENDING: the request goes on, its completion comes later */
    NTS_INFO,        /* severity 1 (0x4xxxxxxx): informational, still a success */
    NTS_WARNING,     /* severity 2 (0x8xxxxxxx) */
    NTS_ERROR        /* severity 3 (0xCxxxxxxx) */
} nts_result;

/* NULL for statuses not in the table. */
const nts_info *nts_lookup(uint32_t status);
nts_result nts_outcome(uint32_t status);
/* NT_SUCCESS(status): severity 0 or 1. */
int nts_is_success(uint32_t status);
const char *nts_result_name(nts_result r); /* "success", "pending", "info", "warning", "error" */
/* The symbolic name, or "0x%08x" written into buf (cap >= 11) for unknown statuses. */
const char *nts_name(uint32_t status, char *buf, size_t cap);
size_t nts_count(void);
const nts_info *nts_at(size_t i);

#ifdef __cplusplus
}
#endif

#endif
