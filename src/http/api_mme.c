/* api_mme.c — Matchmaker Exchange API v1.1 under /mme/: POST /mme/match, GET /mme/heartbeat,
 * GET /mme/metrics. Every call needs a peer's X-Auth-Token (401); the response type is
 * negotiated from Accept (406) and a match body must be an MME type (415), well-formed JSON
 * (400) and a valid request (422). Errors are {"message": …} in the negotiated type. The
 * protocol rules are mme/mme_protocol.h's, the service (scope, audit) mme/mme.h's. */
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "mme/mme.h"
#include "mme/mme_protocol.h"

/* What every MME call establishes first. */
struct mme_call {
    enum mme_media media;
    struct store_mme_peer peer;
};

static const char *header(const struct request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* The peer (401 first: an unknown caller learns nothing else), then the response type. */
static int mme_begin(struct request *rq, struct mme_call *call, struct gs_err *err)
{
    struct gs_err not_acceptable = {0};
    int nego = mme_negotiate(header(rq, "Accept"), &call->media, &not_acceptable);
    int rc = mme_peer_authenticate(rq->store, header(rq, "X-Auth-Token"), &call->peer, err);
    if (rc != GS_OK)
        return rc;
    snprintf(rq->actor_name, sizeof rq->actor_name, "peer:%s", call->peer.name);
    rq->actor.name = rq->actor_name;
    if (nego != GS_OK)
        return gs_err_set(err, nego, "%s", not_acceptable.msg);
    return GS_OK;
}

/* Sends doc (owned) in the negotiated type. */
static int mme_reply(struct request *rq, enum mme_media media, unsigned status, json_t *doc,
                     struct gs_err *err)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (text == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    request_reply_text(rq, status, text, mme_media_text(media), NULL);
    return GS_OK;
}

/* A handler's error as the spec's {"message"} in the negotiated type (JSON when the
 * negotiation itself failed). */
static int mme_finish(struct request *rq, const struct mme_call *call, int rc, struct gs_err *err)
{
    if (rc == GS_OK)
        return GS_OK;
    json_t *body = json_pack("{s:s}", "message", gs_err_text(err, rc));
    enum mme_media media = rc == GS_ENOTACCEPTABLE || rc == GS_EAUTH ? MME_MEDIA_JSON : call->media;
    struct gs_err ignored = {0};
    return mme_reply(rq, media, (unsigned)gs_error_http_status(rc), body, &ignored) == GS_OK ? GS_OK
                                                                                             : rc;
}

static int read_request(struct request *rq, json_t **out, struct gs_err *err)
{
    enum mme_media body_type;
    int rc = mme_content_type(header(rq, "Content-Type"), &body_type, err);
    if (rc != GS_OK)
        return rc;
    if (rq->body.len == 0)
        return gs_err_set(err, GS_EINVAL, "request body is empty: expected {\"patient\":{…}}");
    json_error_t jerr;
    json_t *doc = json_loadb(rq->body.data, rq->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL)
        return gs_err_set(err, GS_EINVAL, "malformed JSON at line %d, column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    if ((rc = mme_validate_request(doc, err)) != GS_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return GS_OK;
}

static int api_mme_match(struct request *rq, struct gs_err *err)
{
    struct mme_call call = {MME_MEDIA_JSON, {0}};
    json_t *doc = NULL, *answer = NULL;
    const struct hpo *h = request_hpo(rq);
    int rc = mme_begin(rq, &call, err);
    if (rc == GS_OK)
        rc = read_request(rq, &doc, err);
    if (rc == GS_OK && h == NULL)
        rc = gs_err_set(err, GS_EINTERNAL, "this node cannot match yet: no HPO release loaded");
    if (rc == GS_OK)
        rc = mme_match_inbound(request_case_index(rq), rq->store, h, &call.peer, &rq->actor, doc,
                               rq->now, &answer, err);
    if (rc == GS_OK)
        rc = mme_reply(rq, call.media, 200, answer, err);
    json_decref(doc);
    return mme_finish(rq, &call, rc, err);
}

static int api_mme_heartbeat(struct request *rq, struct gs_err *err)
{
    struct mme_call call = {MME_MEDIA_JSON, {0}};
    int rc = mme_begin(rq, &call, err);
    if (rc == GS_OK)
        rc = mme_reply(rq, call.media, 200, mme_heartbeat(), err);
    return mme_finish(rq, &call, rc, err);
}

static int api_mme_metrics(struct request *rq, struct gs_err *err)
{
    struct mme_call call = {MME_MEDIA_JSON, {0}};
    json_t *doc = NULL;
    int rc = mme_begin(rq, &call, err);
    if (rc == GS_OK)
        rc = mme_metrics(rq->store, &call.peer, &rq->actor, rq->now, &doc, err);
    if (rc == GS_OK)
        rc = mme_reply(rq, call.media, 200, doc, err);
    return mme_finish(rq, &call, rc, err);
}

const struct route mme_routes[] = {
    {"POST", "/mme/match", api_mme_match, false, true},
    {"GET", "/mme/heartbeat", api_mme_heartbeat, false, true},
    {"GET", "/mme/metrics", api_mme_metrics, false, true},
};
const size_t mme_route_count = sizeof mme_routes / sizeof mme_routes[0];

/* Errors the router raises before a handler runs (unknown path, method, oversize body):
 * the spec's shape, {"message": …}. */
json_t *mme_error_body(struct request *rq, int code, const char *message, unsigned *status)
{
    (void)rq, (void)code, (void)status;
    return json_pack("{s:s}", "message", message ? message : gs_error_message(code));
}
