/*
 * sock_find.h - the socket model's index of a socket known by its endpoint and generation (what wskgen's
 * expected sockets give), for the tests that compare a rebuilt model with them. Linear: test-sized models.
 */
#ifndef WSK_TEST_SOCK_FIND_H
#define WSK_TEST_SOCK_FIND_H

#include "wsk/sock.h"

/* -1 when the model has no such socket. */
static int find_socket(const sock_model *m, uint64_t endpoint, uint32_t generation)
{
    for (size_t i = 0; i < sock_model_count(m); i++) {
        const sock_info *s = sock_model_at(m, i);
        if (s->endpoint == endpoint && s->generation == generation)
            return (int)i;
    }
    return -1;
}

#endif
