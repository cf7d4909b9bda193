/* server.h — genoshare's HTTP server: the JSON API under /api/v1 and the embedded web UI.
 *
 * libmicrohttpd with an internal thread pool; one store connection per worker, taken
 * from a pool per request. server_stop stops accepting, lets in-flight requests finish
 * (bounded wait), then closes the listener and every store connection. */
#ifndef GS_HTTP_SERVER_H
#define GS_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"

struct server_config {
    const char *db_path;
    const char *address;   /* IPv4 address to listen on, e.g. "127.0.0.1" */
    uint16_t port;         /* 0: any free port (see server_port) */
    unsigned threads;      /* worker threads (and store connections) */
    size_t max_body;       /* request bodies above this are refused with 413 */
    bool secure_cookies;   /* add "Secure" to cookies (behind an HTTPS proxy) */
    FILE *access_log;      /* one line per request; NULL: none */
};

struct server;

int server_start(const struct server_config *cfg, struct server **out,
                 struct gs_err *err) GS_MUST_USE;
uint16_t server_port(const struct server *srv);
/* Stops the server and frees it; waits up to wait_ms for in-flight requests. */
void server_stop(struct server *srv, unsigned wait_ms);

#endif
