/* request.h — one HTTP request as the API handlers see it (internal to http/). */
#ifndef GS_HTTP_REQUEST_H
#define GS_HTTP_REQUEST_H

#include <jansson.h>
#include <microhttpd.h>
#include <time.h>

#include "access/auth.h"
#include "audit/audit.h"
#include "core/buf.h"
#include "store/store.h"

#define REQUEST_MAX_PARAMS 4

struct server;

struct request {
    struct server *srv;
    struct MHD_Connection *conn;
    const char *method;
    const char *url;
    char origin[64];                 /* client address */
    struct gs_buf body;
    bool body_too_big;
    struct timespec started;
    time_t now;
    json_t *(*error_body)(struct request *, int, const char *, unsigned *); /* see route_table */

    struct store *store;             /* from the pool while the handler runs */
    struct principal who;            /* anonymous unless a session or token proved otherwise */
    char actor_name[STORE_TEXT_MAX]; /* "user:alice" / "anonymous" */
    struct actor actor;
    bool via_session;
    int64_t session_id;
    char csrf_token[AUTH_SECRET_MAX];

    const char *params[REQUEST_MAX_PARAMS]; /* path segments matched by '*' (into path_copy) */
    char path_copy[1024];

    /* the response the handler chose */
    unsigned status;
    json_t *reply;                  /* owned; sent as JSON */
    char *reply_text;               /* owned (malloc); when set, sent instead of reply */
    const char *reply_type;         /* static: content type of reply_text */
    char reply_filename[128];       /* optional: Content-Disposition attachment name */
    char set_cookie[512];
    size_t bytes_out;               /* for the access log */
};

/* Handlers return GS_OK with rq->status and rq->reply set, or an error code with err
 * filled; the server turns the error into {"error":{"code","message"}}. */
typedef int (*api_handler)(struct request *rq, struct gs_err *err);

/* Parses the body as a JSON object (415 unless application/json, 400 with line and
 * column when malformed). The caller owns *out. */
int request_json_body(struct request *rq, json_t **out, struct gs_err *err) GS_MUST_USE;

/* Reads a string member (required or optional); GS_EINVAL naming the field otherwise. */
int json_get_string(json_t *obj, const char *key, bool required, const char **out,
                    struct gs_err *err) GS_MUST_USE;

/* Sets a JSON reply (takes ownership of body). */
void request_reply(struct request *rq, unsigned status, json_t *body);
/* Sets a text reply, e.g. CSV (takes ownership of text, a malloc'd string; content_type
 * static, e.g. "text/csv; charset=utf-8"; filename NULL or a download name). */
void request_reply_text(struct request *rq, unsigned status, char *text,
                        const char *content_type, const char *filename);
/* The query-string value of key, or NULL; valid while the request lives. */
const char *request_query(const struct request *rq, const char *key);

/* Reads path parameter i as a positive id; GS_ENOTFOUND "no WHAT with id 'X'" otherwise
 * (a malformed id is reported like a missing one). */
int request_param_id(const struct request *rq, int i, const char *what, int64_t *out,
                     struct gs_err *err) GS_MUST_USE;

/* Routes. Each capability keeps its handlers and its table in its own api_*.c file;
 * routes.c lists the tables the server searches. */
struct route {
    const char *method;
    const char *pattern; /* "/api/v1/records/" "*" matches one segment */
    api_handler handler;
    bool needs_user;     /* 401 for anonymous callers */
    bool csrf_exempt;    /* login: a stale session must not block signing in again */
};
/* Builds the error body of a protocol that has its own shape (MME: {"message":…}, Beacon:
 * its errorResponse). status is the HTTP status the server will send (the handler may
 * change it); returns a new JSON value, or NULL for the default {"error":{…}} shape. */
typedef json_t *(*route_error_fn)(struct request *rq, int code, const char *message,
                                  unsigned *status);
struct route_table {
    const struct route *routes;
    const size_t *count;
    const char *prefix;       /* every pattern of the table starts with it: "/api/", "/mme/" */
    route_error_fn error;     /* NULL: the default error shape */
};
extern const struct route_table api_route_tables[];
extern const size_t api_route_table_count;

extern const struct route api_routes[];     /* api.c: foundation */
extern const size_t api_route_count;
extern const struct route dmp_routes[];     /* api_dmp.c: data management plans, reports */
extern const size_t dmp_route_count;
extern const struct route request_routes[]; /* api_requests.c: access requests, DAC */
extern const size_t request_route_count;
extern const struct route passport_routes[]; /* api_passport.c: GA4GH Passports */
extern const size_t passport_route_count;
extern const struct route case_routes[];    /* api_cases.c: matchmaking cases */
extern const size_t case_route_count;
extern const struct route match_routes[];   /* api_match.c: similar-case search */
extern const size_t match_route_count;
extern const struct route diagnose_routes[]; /* api_diagnose.c: disease ranking */
extern const size_t diagnose_route_count;
extern const struct route hpo_routes[];      /* api_hpo.c: HPO term autocomplete */
extern const size_t hpo_route_count;
extern const struct route mme_routes[];      /* api_mme.c: Matchmaker Exchange (/mme/) */
extern const size_t mme_route_count;
json_t *mme_error_body(struct request *rq, int code, const char *message, unsigned *status);
extern const struct route inbox_routes[];    /* api_inbox.c: match notifications */
extern const size_t inbox_route_count;
/* After a case write has committed: makes the pending match notifications (errors only
 * delay them; logged). */
void api_inbox_after_case_write(struct request *rq);
extern const struct route variant_routes[];  /* api_variants.c: submissions, curation */
extern const size_t variant_route_count;
extern const struct route variant_search_routes[]; /* api_variant_search.c: search, sources */
extern const size_t variant_search_route_count;
extern const struct route source_routes[];  /* api_sources.c: reference sources beside variants */
extern const size_t source_route_count;
extern const struct route beacon_routes[];   /* api_beacon.c: GA4GH Beacon v2 (/beacon/v2/) */
extern const size_t beacon_route_count;
json_t *beacon_error_body(struct request *rq, int code, const char *message, unsigned *status);
extern const struct route tb_routes[];       /* api_tb.c: TB reference, profiles */
extern const size_t tb_route_count;
extern const struct route isolate_routes[];  /* api_isolates.c: TB isolates, clusters, markers */
extern const size_t isolate_route_count;

/* The server's HPO release (read once at start, shared, read-only), or NULL when no
 * release was loaded into the store. */
struct hpo;
const struct hpo *request_hpo(const struct request *rq);
/* The stored disease annotations ready for ranking (built once at start over the HPO),
 * or NULL when none were loaded; read-only and shared. */
struct diagnose_index;
const struct diagnose_index *request_diseases(const struct request *rq);
/* The server's index of the active cases (match/case_index.h; shared, internally locked,
 * synced by each search), or NULL when no HPO release was loaded. */
struct case_index;
struct case_index *request_case_index(const struct request *rq);

/* Whether the cookie should carry "Secure". */
bool server_secure_cookies(const struct server *srv);

#endif
