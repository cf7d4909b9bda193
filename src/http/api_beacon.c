/* api_beacon.c — GA4GH Beacon v2 under /beacon/v2/: the transport side (GET parameters or a
 * POST body, the caller from the same bearer tokens and sessions as /api/, errors as the
 * Beacon's errorResponse). The documents themselves are built by src/beacon/. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "beacon/beacon.h"
#include "http/request.h"

static const char *query_param(void *ctx, const char *name)
{
    return request_query(ctx, name);
}

/* The request as a Beacon request body: the POST body itself, or the GET parameters in
 * the body's shape. The caller owns *body. */
static int read_query(struct request *rq, json_t **body, struct beacon_query *q, struct gs_err *err)
{
    int rc = strcmp(rq->method, "POST") == 0 ? request_json_body(rq, body, err)
                                             : beacon_body_from_query(query_param, rq, body, err);
    if (rc == GS_OK)
        rc = beacon_query_parse(*body, q, err);
    return rc;
}

static int reply_static(struct request *rq, json_t *doc, struct gs_err *err)
{
    if (doc == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    request_reply(rq, 200, doc);
    return GS_OK;
}

static int api_info(struct request *rq, struct gs_err *err)
{
    return reply_static(rq, beacon_info(), err);
}
static int api_service_info(struct request *rq, struct gs_err *err)
{
    return reply_static(rq, beacon_service_info(), err);
}
static int api_configuration(struct request *rq, struct gs_err *err)
{
    return reply_static(rq, beacon_configuration(), err);
}
static int api_entry_types(struct request *rq, struct gs_err *err)
{
    return reply_static(rq, beacon_entry_types(), err);
}
static int api_filtering_terms(struct request *rq, struct gs_err *err)
{
    return reply_static(rq, beacon_filtering_terms(), err);
}

/* The map's URLs are absolute (the schema's "uri" format): built from the Host header
 * when it is a plain host[:port], else relative to a placeholder origin. */
static int api_map(struct request *rq, struct gs_err *err)
{
    const char *host = MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, "Host");
    bool plain = host != NULL && host[0] != '\0' && strlen(host) < 200;
    for (const char *c = host; plain && *c; c++)
        plain = isalnum((unsigned char)*c) || strchr(".-:[]", *c) != NULL;
    char base[256];
    snprintf(base, sizeof base, "%s://%s", server_secure_cookies(rq->srv) ? "https" : "http",
             plain ? host : "localhost");
    return reply_static(rq, beacon_map(base), err);
}

static int api_datasets(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL, *doc = NULL;
    struct beacon_query q;
    int rc = read_query(rq, &body, &q, err);
    if (rc == GS_OK && (rc = beacon_datasets(rq->store, &rq->who, &q, rq->now, &doc, err)) == GS_OK)
        request_reply(rq, 200, doc);
    json_decref(body);
    return rc;
}

static int g_variants(struct request *rq, int64_t id, struct gs_err *err)
{
    json_t *body = NULL, *doc = NULL;
    struct beacon_query q;
    int rc = read_query(rq, &body, &q, err);
    if (rc == GS_OK && (rc = beacon_g_variants(rq->store, &rq->who, &rq->actor, &q, id, rq->now,
                                               &doc, err)) == GS_OK)
        request_reply(rq, 200, doc);
    json_decref(body);
    return rc;
}

static int api_g_variants(struct request *rq, struct gs_err *err)
{
    return g_variants(rq, 0, err);
}

static int api_g_variant(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = request_param_id(rq, 0, "variant", &id, err);
    return rc == GS_OK ? g_variants(rq, id, err) : rc;
}

const struct route beacon_routes[] = {
    {"GET", "/beacon/v2", api_info, false, false},
    {"GET", "/beacon/v2/", api_info, false, false},
    {"GET", "/beacon/v2/info", api_info, false, false},
    {"GET", "/beacon/v2/service-info", api_service_info, false, false},
    {"GET", "/beacon/v2/configuration", api_configuration, false, false},
    {"GET", "/beacon/v2/map", api_map, false, false},
    {"GET", "/beacon/v2/entry_types", api_entry_types, false, false},
    {"GET", "/beacon/v2/filtering_terms", api_filtering_terms, false, false},
    {"GET", "/beacon/v2/datasets", api_datasets, false, false},
    {"POST", "/beacon/v2/datasets", api_datasets, false, false},
    {"GET", "/beacon/v2/g_variants", api_g_variants, false, false},
    {"POST", "/beacon/v2/g_variants", api_g_variants, false, false},
    {"GET", "/beacon/v2/g_variants/*", api_g_variant, false, false},
    {"POST", "/beacon/v2/g_variants/*", api_g_variant, false, false},
};
const size_t beacon_route_count = sizeof beacon_routes / sizeof beacon_routes[0];

json_t *beacon_error_body(struct request *rq, int code, const char *message, unsigned *status)
{
    (void)rq, (void)code;
    return beacon_error(*status, message);
}
