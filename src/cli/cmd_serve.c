/* cmd_serve.c — `genoshare serve`: runs the HTTP server until SIGINT or SIGTERM, then
 * stops accepting, lets in-flight requests finish and closes the database cleanly. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "http/server.h"

/* "ADDR:PORT" or ":PORT" or "PORT" into address (default 127.0.0.1) and port. */
static int parse_listen(const char *text, char *address, size_t size, uint16_t *port,
                        struct gs_err *err)
{
    const char *colon = strrchr(text, ':');
    const char *port_text = colon ? colon + 1 : text;
    size_t alen = colon ? (size_t)(colon - text) : 0;
    if (alen >= size)
        return gs_err_set(err, GS_EUSAGE, "--listen: address too long");
    snprintf(address, size, "%.*s", (int)alen, text);
    if (alen == 0)
        snprintf(address, size, "127.0.0.1");
    int64_t p;
    if (parse_int64(port_text, 0, 65535, &p, err) != GS_OK)
        return gs_err_set(err, GS_EUSAGE, "--listen: bad port in '%s'", text);
    *port = (uint16_t)p;
    return GS_OK;
}

int cmd_serve(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("listen", "ADDR:PORT", "where to listen (default 127.0.0.1:8080; port 0: any)"),
        OPT("threads", "N", "worker threads (default 4)"),
        OPT("max-body", "BYTES", "largest request body accepted (default 1048576)"),
        OPT("secure-cookies", NULL, "mark cookies Secure (when behind an HTTPS proxy)"),
        OPT("quiet", NULL, "no access log"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "serve [--db FILE] [--listen ADDR:PORT]",
                               "Serve the JSON API (/api/v1) and the web UI. Access log on "
                               "stderr. Stops cleanly on SIGINT or SIGTERM.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    char address[64];
    struct server_config cfg = {0};
    cfg.db_path = cli_db_path(o[0].value);
    cfg.address = address;
    cfg.threads = 4;
    cfg.max_body = 1u << 20;
    cfg.secure_cookies = o[4].value != NULL;
    cfg.access_log = o[5].value ? NULL : stderr;
    int64_t n;
    if ((rc = parse_listen(o[1].value ? o[1].value : "127.0.0.1:8080", address, sizeof address,
                           &cfg.port, err)) != GS_OK)
        return rc;
    if (o[2].value) {
        if (parse_int64(o[2].value, 1, 256, &n, err) != GS_OK)
            return GS_EUSAGE;
        cfg.threads = (unsigned)n;
    }
    if (o[3].value) {
        if (parse_int64(o[3].value, 1024, (int64_t)1 << 30, &n, err) != GS_OK)
            return GS_EUSAGE;
        cfg.max_body = (size_t)n;
    }

    /* Block the stop signals before any thread starts, so they all inherit the mask and
     * only sigwait below receives them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct server *srv = NULL;
    if ((rc = server_start(&cfg, &srv, err)) != GS_OK)
        return rc;
    printf("genoshare %s serving %s on http://%s:%u/\n", GS_VERSION, cfg.db_path, address,
           server_port(srv));
    fflush(stdout);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "genoshare: serve: %s received, finishing requests and closing %s\n",
            sig == SIGINT ? "SIGINT" : "SIGTERM", cfg.db_path);
    server_stop(srv, 10000);
    fprintf(stderr, "genoshare: serve: stopped cleanly\n");
    return GS_OK;
}
