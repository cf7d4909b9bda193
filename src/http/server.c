/* server.c — libmicrohttpd glue: request lifecycle, body limits, authentication of the
 * caller, routing, JSON errors, static files, access log and clean shutdown. Handlers
 * live in api.c; access decisions in access/, never here. */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/crypto.h"
#include "core/parse.h"
#include "http/request.h"
#include "http/web_assets.h"
#include "match/diagnose.h"
#include "match/case_index.h"
#include "match/inbox.h"
#include "pheno/hpo_store.h"

struct server {
    struct server_config cfg;
    struct MHD_Daemon *daemon;
    uint16_t port;
    atomic_int in_flight;

    pthread_mutex_t pool_lock;
    pthread_cond_t pool_ready;
    struct store **pool;
    unsigned pool_size;
    unsigned pool_free;
    pthread_mutex_t log_lock;
    struct hpo *hpo; /* the stored HPO release, read once at start; NULL when none */
    struct diagnose_index *diseases; /* the stored disease annotations over hpo; or NULL */
    struct case_index *cases; /* the active cases for similar-case search over hpo; or NULL */
};

bool server_secure_cookies(const struct server *srv) { return srv->cfg.secure_cookies; }

const struct hpo *request_hpo(const struct request *rq) { return rq->srv->hpo; }
const struct diagnose_index *request_diseases(const struct request *rq)
{
    return rq->srv->diseases;
}
struct case_index *request_case_index(const struct request *rq) { return rq->srv->cases; }

/* ---- store pool ---- */

static struct store *pool_take(struct server *srv)
{
    pthread_mutex_lock(&srv->pool_lock);
    while (srv->pool_free == 0)
        pthread_cond_wait(&srv->pool_ready, &srv->pool_lock);
    struct store *s = srv->pool[--srv->pool_free];
    pthread_mutex_unlock(&srv->pool_lock);
    return s;
}

static void pool_give(struct server *srv, struct store *s)
{
    pthread_mutex_lock(&srv->pool_lock);
    srv->pool[srv->pool_free++] = s;
    pthread_cond_signal(&srv->pool_ready);
    pthread_mutex_unlock(&srv->pool_lock);
}

/* ---- responses ---- */

static void add_common_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
}

static enum MHD_Result send_json(struct request *rq, unsigned status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    if (text == NULL)
        text = strdup("{\"error\":{\"code\":\"internal_error\",\"message\":\"cannot encode\"}}");
    size_t len = text ? strlen(text) : 0;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    add_common_headers(resp);
    if (rq->set_cookie[0] != '\0')
        MHD_add_response_header(resp, "Set-Cookie", rq->set_cookie);
    if (status == 405)
        MHD_add_response_header(resp, "Allow", rq->params[REQUEST_MAX_PARAMS - 1]
                                                   ? rq->params[REQUEST_MAX_PARAMS - 1] : "GET");
    if (status == 401)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"genoshare\"");
    if (status == 429)
        MHD_add_response_header(resp, "Retry-After", "900");
    rq->status = status;
    rq->bytes_out = len;
    enum MHD_Result r = MHD_queue_response(rq->conn, status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* The one JSON error shape: {"error":{"code":…,"message":…}}, unless the URL's protocol
 * (a route table's error hook: MME, Beacon) has its own. */
static enum MHD_Result send_error(struct request *rq, int code, const char *message)
{
    unsigned status = (unsigned)gs_error_http_status(code);
    const char *text = message ? message : gs_error_message(code);
    json_t *body = rq->error_body ? rq->error_body(rq, code, text, &status) : NULL;
    if (body == NULL)
        body = json_pack("{s:{s:s, s:s}}", "error", "code", gs_error_name(code), "message", text);
    enum MHD_Result r = send_json(rq, status, body);
    json_decref(body);
    return r;
}

void request_reply(struct request *rq, unsigned status, json_t *body)
{
    json_decref(rq->reply);
    rq->status = status;
    rq->reply = body;
}

void request_reply_text(struct request *rq, unsigned status, char *text,
                        const char *content_type, const char *filename)
{
    free(rq->reply_text);
    rq->status = status;
    rq->reply_text = text;
    rq->reply_type = content_type;
    snprintf(rq->reply_filename, sizeof rq->reply_filename, "%s", filename ? filename : "");
}

const char *request_query(const struct request *rq, const char *key)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, key);
}

static enum MHD_Result send_text(struct request *rq)
{
    size_t len = strlen(rq->reply_text);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, rq->reply_text, MHD_RESPMEM_MUST_FREE);
    if (resp == NULL)
        return MHD_NO;
    rq->reply_text = NULL; /* the response owns it now */
    MHD_add_response_header(resp, "Content-Type", rq->reply_type);
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    add_common_headers(resp);
    if (rq->reply_filename[0] != '\0') {
        char disposition[192];
        snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"",
                 rq->reply_filename);
        MHD_add_response_header(resp, "Content-Disposition", disposition);
    }
    rq->bytes_out = len;
    enum MHD_Result r = MHD_queue_response(rq->conn, rq->status, resp);
    MHD_destroy_response(resp);
    return r;
}

/* ---- request bodies ---- */

int request_json_body(struct request *rq, json_t **out, struct gs_err *err)
{
    const char *type = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Content-Type");
    size_t n = type ? strcspn(type, "; ") : 0;
    if (type == NULL || n != strlen("application/json") ||
        strncasecmp(type, "application/json", n) != 0)
        return gs_err_set(err, GS_EMEDIA, "expected Content-Type: application/json, got %.64s",
                          type ? type : "none");
    if (rq->body.len == 0)
        return gs_err_set(err, GS_EINVAL, "request body is empty: expected a JSON object");
    json_error_t jerr;
    json_t *doc = json_loadb(rq->body.data, rq->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL)
        return gs_err_set(err, GS_EINVAL, "malformed JSON at line %d, column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return gs_err_set(err, GS_EINVAL, "request body must be a JSON object");
    }
    *out = doc;
    return GS_OK;
}

int json_get_string(json_t *obj, const char *key, bool required, const char **out,
                    struct gs_err *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (required)
            return gs_err_set(err, GS_EINVAL, "field '%s' is required", key);
        return GS_OK;
    }
    if (!json_is_string(v))
        return gs_err_set(err, GS_EINVAL, "field '%s' must be a string", key);
    *out = json_string_value(v);
    return GS_OK;
}

int request_param_id(const struct request *rq, int i, const char *what, int64_t *out,
                     struct gs_err *err)
{
    struct gs_err inner = {0};
    const char *text = i >= 0 && i < REQUEST_MAX_PARAMS ? rq->params[i] : NULL;
    if (text == NULL || parse_int64(text, 1, INT64_MAX, out, &inner) != GS_OK)
        return gs_err_set(err, GS_ENOTFOUND, "no %s with id '%.32s'", what, text ? text : "");
    return GS_OK;
}

/* ---- who is calling ---- */

static bool is_state_changing(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

/* Fills rq->who from a bearer token or a session cookie. A bad credential is an error
 * (401) rather than silently anonymous, so a script learns its token is dead. */
static int authenticate(struct request *rq, struct gs_err *err)
{
    principal_anonymous(&rq->who);
    const char *auth = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Authorization");
    int rc = GS_OK;
    if (auth != NULL) {
        if (strncasecmp(auth, "Bearer ", 7) != 0)
            return gs_err_set(err, GS_EAUTH, "Authorization must be 'Bearer <token>'");
        rc = auth_token_lookup(rq->store, auth + 7, rq->now, &rq->who, err);
    } else {
        const char *cookie = MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, "gs_session");
        if (cookie != NULL && cookie[0] != '\0') {
            struct gs_err ignored = {0};
            /* A stale cookie on a public page is not an error: the caller is anonymous. */
            if (auth_session_lookup(rq->store, cookie, rq->now, &rq->who, rq->csrf_token,
                                    &rq->session_id, &ignored) == GS_OK)
                rq->via_session = true;
            else
                principal_anonymous(&rq->who);
        }
    }
    if (rc != GS_OK)
        return rc;
    snprintf(rq->actor_name, sizeof rq->actor_name, "%s%.64s",
             rq->who.user_id ? "user:" : "", rq->who.name);
    rq->actor.name = rq->actor_name;
    rq->actor.origin = rq->origin;
    return GS_OK;
}

static int check_csrf(struct request *rq, struct gs_err *err)
{
    if (!rq->via_session || !is_state_changing(rq->method))
        return GS_OK;
    const char *sent = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (sent == NULL || !crypto_equal(sent, rq->csrf_token))
        return gs_err_set(err, GS_EFORBIDDEN, "missing or wrong X-CSRF-Token header");
    return GS_OK;
}

/* ---- routing ---- */

/* Matches url against pattern; '*' matches one non-empty segment, captured in params. */
static bool route_match(const char *pattern, struct request *rq)
{
    snprintf(rq->path_copy, sizeof rq->path_copy, "%s", rq->url);
    char *u = rq->path_copy;
    const char *p = pattern;
    int np = 0;
    while (*p != '\0') {
        if (*p == '*') {
            size_t n = strcspn(u, "/");
            if (n == 0 || np >= REQUEST_MAX_PARAMS - 1)
                return false;
            rq->params[np++] = u;
            u += n;
            p++;
            if (*u == '/' && *p == '/') {
                *u++ = '\0';
                p++;
            } else if (*u != '\0' || *p != '\0') {
                return false;
            }
            continue;
        }
        if (*p++ != *u++)
            return false;
    }
    return *u == '\0';
}

static const struct route *route_find(struct request *rq, char *allow, size_t allow_size,
                                      bool *path_known)
{
    *path_known = false;
    allow[0] = '\0';
    for (size_t t = 0; t < api_route_table_count; t++) {
        const struct route *routes = api_route_tables[t].routes;
        for (size_t i = 0; i < *api_route_tables[t].count; i++) {
            memset(rq->params, 0, sizeof rq->params);
            if (!route_match(routes[i].pattern, rq))
                continue;
            *path_known = true;
            if (strcmp(routes[i].method, rq->method) == 0)
                return &routes[i];
            if (allow[0] != '\0')
                strncat(allow, ", ", allow_size - strlen(allow) - 1);
            strncat(allow, routes[i].method, allow_size - strlen(allow) - 1);
        }
    }
    return NULL;
}

static enum MHD_Result serve_api(struct request *rq)
{
    struct gs_err err = {0};
    char allow[64];
    bool path_known;
    const struct route *r = route_find(rq, allow, sizeof allow, &path_known);
    if (r == NULL && !path_known)
        return send_error(rq, GS_ENOTFOUND, "no such API endpoint");
    if (r == NULL) {
        memset(rq->params, 0, sizeof rq->params);
        rq->params[REQUEST_MAX_PARAMS - 1] = allow;
        char msg[128];
        snprintf(msg, sizeof msg, "%s is not allowed here (allowed: %s)", rq->method, allow);
        return send_error(rq, GS_EMETHOD, msg);
    }
    if (rq->body_too_big) {
        char msg[96];
        snprintf(msg, sizeof msg, "request body larger than %zu bytes", rq->srv->cfg.max_body);
        return send_error(rq, GS_ETOOBIG, msg);
    }
    rq->store = pool_take(rq->srv);
    int rc = authenticate(rq, &err);
    if (rc == GS_OK && r->needs_user && rq->who.user_id == 0)
        rc = gs_err_set(&err, GS_EAUTH, "sign in or send an API token");
    if (rc == GS_OK && !r->csrf_exempt)
        rc = check_csrf(rq, &err);
    if (rc == GS_OK)
        rc = r->handler(rq, &err);
    pool_give(rq->srv, rq->store);
    rq->store = NULL;
    if (rc != GS_OK)
        return send_error(rq, rc, gs_err_text(&err, rc));
    if (rq->reply_text != NULL)
        return send_text(rq);
    return send_json(rq, rq->status ? rq->status : 200, rq->reply);
}

static enum MHD_Result serve_static(struct request *rq)
{
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0)
        return send_error(rq, GS_EMETHOD, "only GET is allowed for the web UI");
    const char *path = strcmp(rq->url, "/") == 0 ? "/index.html" : rq->url;
    for (size_t i = 0; i < web_asset_count; i++) {
        const struct web_asset *a = &web_assets[i];
        if (strcmp(a->path, path) != 0)
            continue;
        const char *inm = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "If-None-Match");
        bool fresh = inm != NULL && strcmp(inm, a->etag) == 0;
        struct MHD_Response *resp =
            fresh ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)
                  : MHD_create_response_from_buffer(a->size, (void *)a->data,
                                                    MHD_RESPMEM_PERSISTENT);
        if (resp == NULL)
            return MHD_NO;
        MHD_add_response_header(resp, "Content-Type", a->content_type);
        MHD_add_response_header(resp, "ETag", a->etag);
        MHD_add_response_header(resp, "Cache-Control", "no-cache");
        add_common_headers(resp);
        rq->status = fresh ? 304 : 200;
        rq->bytes_out = fresh ? 0 : a->size;
        enum MHD_Result r = MHD_queue_response(rq->conn, rq->status, resp);
        MHD_destroy_response(resp);
        return r;
    }
    return send_error(rq, GS_ENOTFOUND, "no such page");
}

/* ---- libmicrohttpd callbacks ---- */

static struct request *request_new(struct server *srv, struct MHD_Connection *conn,
                                   const char *method, const char *url)
{
    struct request *rq = calloc(1, sizeof *rq);
    if (rq == NULL)
        return NULL;
    rq->srv = srv;
    rq->conn = conn;
    rq->method = method;
    rq->url = url;
    rq->now = time(NULL);
    clock_gettime(CLOCK_MONOTONIC, &rq->started);
    buf_init(&rq->body, srv->cfg.max_body);
    principal_anonymous(&rq->who);
    snprintf(rq->actor_name, sizeof rq->actor_name, "anonymous");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(rq->origin, sizeof rq->origin, "unknown");
    if (ci != NULL && ci->client_addr != NULL && ci->client_addr->sa_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)(const void *)ci->client_addr;
        inet_ntop(AF_INET, &sin->sin_addr, rq->origin, sizeof rq->origin);
    }
    rq->actor.name = rq->actor_name;
    rq->actor.origin = rq->origin;
    const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    int64_t declared = 0;
    struct gs_err ignored = {0};
    if (length != NULL && parse_int64(length, 0, INT64_MAX, &declared, &ignored) == GS_OK &&
        (uint64_t)declared > srv->cfg.max_body)
        rq->body_too_big = true;
    atomic_fetch_add(&srv->in_flight, 1);
    return rq;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct server *srv = cls;
    struct request *rq = *con_cls;
    if (rq == NULL) {
        /* First call: headers only. Answering now would close keep-alive connections. */
        rq = request_new(srv, conn, method, url);
        if (rq == NULL)
            return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!rq->body_too_big && buf_append(&rq->body, upload_data, *upload_data_size) != GS_OK)
            rq->body_too_big = true;
        if (rq->body_too_big)
            buf_free(&rq->body);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (rq->status != 0)
        return MHD_YES; /* already answered */
    if (strcmp(url, "/api") == 0)
        return serve_api(rq);
    for (size_t t = 0; t < api_route_table_count; t++) {
        const char *prefix = api_route_tables[t].prefix;
        if (strncmp(url, prefix, strlen(prefix)) == 0) {
            rq->error_body = api_route_tables[t].error;
            return serve_api(rq);
        }
    }
    return serve_static(rq);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    struct server *srv = cls;
    struct request *rq = *con_cls;
    if (rq == NULL)
        return;
    if (srv->cfg.access_log != NULL) {
        struct timespec end;
        clock_gettime(CLOCK_MONOTONIC, &end);
        double ms = (double)(end.tv_sec - rq->started.tv_sec) * 1e3 +
                    (double)(end.tv_nsec - rq->started.tv_nsec) / 1e6;
        char at[21];
        format_utc_time(rq->now, at);
        pthread_mutex_lock(&srv->log_lock);
        fprintf(srv->cfg.access_log, "%s %s \"%s %.200s\" %u %zu %.1fms %s%s\n", at, rq->origin,
                rq->method, rq->url, rq->status, rq->bytes_out, ms, rq->actor_name,
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
        fflush(srv->cfg.access_log);
        pthread_mutex_unlock(&srv->log_lock);
    }
    json_decref(rq->reply);
    free(rq->reply_text);
    buf_free(&rq->body);
    free(rq);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

/* ---- lifecycle ---- */

static void server_free(struct server *srv)
{
    diagnose_index_free(srv->diseases);
    case_index_free(srv->cases);
    hpo_free(srv->hpo);
    for (unsigned i = 0; i < srv->pool_free; i++)
        store_close(srv->pool[i]);
    free(srv->pool);
    pthread_mutex_destroy(&srv->pool_lock);
    pthread_cond_destroy(&srv->pool_ready);
    pthread_mutex_destroy(&srv->log_lock);
    free(srv);
}

int server_start(const struct server_config *cfg, struct server **out, struct gs_err *err)
{
    if (cfg->threads == 0 || cfg->threads > 256)
        return gs_err_set(err, GS_EUSAGE, "threads must be between 1 and 256");
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons(cfg->port);
    if (inet_pton(AF_INET, cfg->address, &addr.sin_addr) != 1)
        return gs_err_set(err, GS_EUSAGE, "'%s' is not an IPv4 address", cfg->address);
    struct server *srv = calloc(1, sizeof *srv);
    if (srv == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    srv->cfg = *cfg;
    pthread_mutex_init(&srv->pool_lock, NULL);
    pthread_cond_init(&srv->pool_ready, NULL);
    pthread_mutex_init(&srv->log_lock, NULL);
    srv->pool_size = cfg->threads;
    srv->pool = calloc(srv->pool_size, sizeof *srv->pool);
    if (srv->pool == NULL) {
        server_free(srv);
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    }
    for (unsigned i = 0; i < srv->pool_size; i++) {
        int rc = i == 0 ? store_open(cfg->db_path, &srv->pool[i], err)
                        : store_open_existing(cfg->db_path, &srv->pool[i], err);
        if (rc != GS_OK) {
            server_free(srv);
            return rc;
        }
        srv->pool_free++;
    }
    /* The ontology is read-only once built, so every worker shares one copy. A release
     * loaded later (genoshare hpo load) is seen after a restart. */
    struct gs_err no_hpo = {0};
    if (hpo_from_store(srv->pool[0], &srv->hpo, &no_hpo) != GS_OK)
        srv->hpo = NULL;
    if (srv->hpo != NULL &&
        diagnose_index_from_store(srv->pool[0], srv->hpo, &srv->diseases, &no_hpo) != GS_OK)
        srv->diseases = NULL;
    /* The case index is loaded now so the first search is fast; each search brings it up to
     * date with the store's case change counter (a failed load is retried then). */
    if (srv->hpo != NULL && case_index_new(srv->hpo, &srv->cases, &no_hpo) == GS_OK &&
        case_index_sync(srv->cases, srv->pool[0], &no_hpo) != GS_OK)
        fprintf(stderr, "genoshare: serve: case index not loaded yet: %s\n", no_hpo.msg);
    /* Notifications of cases written while no server ran (CLI, a crash) are made now. */
    if (srv->hpo != NULL && inbox_process(srv->pool[0], srv->hpo, srv->cases, time(NULL),
                                          &no_hpo) != GS_OK)
        fprintf(stderr, "genoshare: serve: match notifications delayed: %s\n", no_hpo.msg);
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC, cfg->port, NULL, NULL,
        on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        srv, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)64 * 1024, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        int e = errno;
        server_free(srv);
        return gs_err_set(err, GS_EIO, "cannot listen on %s:%u: %s", cfg->address, cfg->port,
                          e ? strerror(e) : "address in use?");
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info ? info->port : cfg->port;
    *out = srv;
    return GS_OK;
}

uint16_t server_port(const struct server *srv) { return srv->port; }

void server_stop(struct server *srv, unsigned wait_ms)
{
    if (srv == NULL)
        return;
    MHD_socket listener = MHD_quiesce_daemon(srv->daemon);
    for (unsigned waited = 0; atomic_load(&srv->in_flight) > 0 && waited < wait_ms; waited += 10)
        usleep(10000);
    MHD_stop_daemon(srv->daemon);
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    server_free(srv);
}
