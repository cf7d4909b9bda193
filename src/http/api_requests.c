/* api_requests.c — /api/v1 endpoints of access requests: a researcher's requests, the
 * data-access committee's queue and decisions, revocation, and "my access" (grants).
 * Handlers only translate HTTP to policy/requests.h, which decides who may do what; a
 * request the caller may not see is 404 like a missing one, a caller without the dac or
 * admin role who tries to review is 403. */
#include <stdio.h>
#include <string.h>

#include "core/parse.h"
#include "http/request.h"
#include "policy/requests.h"

/* Replies with request id as the caller now sees it. */
static int reply_request(struct request *rq, unsigned status, int64_t id, struct gs_err *err)
{
    json_t *doc = NULL;
    int rc = requests_get_json(rq->store, &rq->who, id, rq->now, &doc, err);
    if (rc == GS_OK)
        request_reply(rq, status, doc);
    return rc;
}

/* An optional JSON body: actions without options may be sent with none. */
static int optional_body(struct request *rq, json_t **out, struct gs_err *err)
{
    *out = NULL;
    if (rq->body.len == 0)
        return GS_OK;
    return request_json_body(rq, out, err);
}

static int optional_time(json_t *body, const char *key, time_t *out, struct gs_err *err)
{
    const char *text = NULL;
    int rc = json_get_string(body, key, false, &text, err);
    if (rc != GS_OK || text == NULL)
        return rc;
    struct gs_err inner = {0};
    if (parse_utc_time(text, out, &inner) != GS_OK)
        return gs_err_set(err, GS_EINVAL, "field '%s': %s", key, inner.msg);
    return GS_OK;
}

static int optional_bool(json_t *body, const char *key, bool *out, struct gs_err *err)
{
    json_t *v = json_object_get(body, key);
    if (v == NULL || json_is_null(v))
        return GS_OK;
    if (!json_is_boolean(v))
        return gs_err_set(err, GS_EINVAL, "field '%s' must be true or false", key);
    *out = json_is_true(v);
    return GS_OK;
}

/* POST /api/v1/requests {"datasets":[…], "purpose", "duo", "from"?, "until",
 * "commercial"?, "submit"?} → 201 and the request. */
static int api_request_create(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL;
    int rc = request_json_body(rq, &body, err);
    if (rc != GS_OK)
        return rc;
    struct request_input in = {0};
    in.from = rq->now;
    in.until = 0;
    json_t *list = json_object_get(body, "datasets");
    if (!json_is_array(list) || json_array_size(list) == 0 ||
        json_array_size(list) > REQUEST_DATASETS_MAX)
        rc = gs_err_set(err, GS_EINVAL, "field 'datasets' must be an array of 1 to %d dataset "
                        "names", REQUEST_DATASETS_MAX);
    for (size_t i = 0; rc == GS_OK && i < json_array_size(list); i++) {
        in.datasets[i] = json_string_value(json_array_get(list, i));
        if (in.datasets[i] == NULL)
            rc = gs_err_set(err, GS_EINVAL, "field 'datasets' must hold dataset names");
        in.ndatasets++;
    }
    if (rc == GS_OK && (rc = json_get_string(body, "purpose", true, &in.purpose, err)) == GS_OK &&
        (rc = json_get_string(body, "duo", true, &in.duo, err)) == GS_OK &&
        (rc = optional_time(body, "from", &in.from, err)) == GS_OK &&
        (rc = optional_time(body, "until", &in.until, err)) == GS_OK &&
        (rc = optional_bool(body, "commercial", &in.commercial, err)) == GS_OK &&
        (rc = optional_bool(body, "submit", &in.submit, err)) == GS_OK && in.until == 0)
        rc = gs_err_set(err, GS_EINVAL, "field 'until' is required");
    int64_t id = 0;
    if (rc == GS_OK)
        rc = requests_create(rq->store, &rq->actor, &rq->who, rq->who.user_id, &in, rq->now, &id,
                             err);
    json_decref(body); /* in's strings point into body */
    return rc == GS_OK ? reply_request(rq, 201, id, err) : rc;
}

/* GET /api/v1/requests[?state=S]: the caller's own requests. */
static int api_request_list(struct request *rq, struct gs_err *err)
{
    struct request_list_filter f = {rq->who.user_id, request_query(rq, "state"), NULL, false};
    json_t *items = NULL;
    int rc = requests_list_json(rq->store, &rq->who, &f, rq->now, &items, err);
    if (rc == GS_OK)
        request_reply(rq, 200, json_pack("{s:o}", "requests", items));
    return rc;
}

static int api_request_get(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = request_param_id(rq, 0, "access request", &id, err);
    return rc == GS_OK ? reply_request(rq, 200, id, err) : rc;
}

enum action { ACT_SUBMIT, ACT_WITHDRAW, ACT_REVIEW, ACT_REVOKE };

/* POST /api/v1/requests/{id}/submit | withdraw | review | revoke, bodies:
 * withdraw/revoke {"comment"?}; review {"decision":"approve"|"reject", "comment"?, "until"?}. */
static int request_action(struct request *rq, enum action act, struct gs_err *err)
{
    int64_t id;
    json_t *body = NULL;
    int rc = request_param_id(rq, 0, "access request", &id, err);
    if (rc == GS_OK)
        rc = optional_body(rq, &body, err);
    if (rc != GS_OK)
        return rc;
    const char *comment = NULL, *decision = NULL;
    time_t until = 0;
    if (body != NULL)
        rc = json_get_string(body, "comment", false, &comment, err);
    if (rc == GS_OK && act == ACT_REVIEW) {
        if ((rc = json_get_string(body, "decision", true, &decision, err)) == GS_OK &&
            strcmp(decision, "approve") != 0 && strcmp(decision, "reject") != 0)
            rc = gs_err_set(err, GS_EINVAL, "field 'decision' must be \"approve\" or \"reject\"");
        if (rc == GS_OK)
            rc = optional_time(body, "until", &until, err);
    }
    if (rc == GS_OK) {
        struct store *s = rq->store;
        switch (act) {
        case ACT_SUBMIT:
            rc = requests_submit(s, &rq->actor, &rq->who, id, rq->now, err);
            break;
        case ACT_WITHDRAW:
            rc = requests_withdraw(s, &rq->actor, &rq->who, id, comment, rq->now, err);
            break;
        case ACT_REVIEW:
            rc = requests_review(s, &rq->actor, &rq->who, id, strcmp(decision, "approve") == 0,
                                 comment, until, rq->now, err);
            break;
        case ACT_REVOKE:
            rc = requests_revoke(s, &rq->actor, &rq->who, id, comment, rq->now, err);
            break;
        }
    }
    json_decref(body);
    return rc == GS_OK ? reply_request(rq, 200, id, err) : rc;
}

static int api_request_submit(struct request *rq, struct gs_err *err)
{
    return request_action(rq, ACT_SUBMIT, err);
}
static int api_request_withdraw(struct request *rq, struct gs_err *err)
{
    return request_action(rq, ACT_WITHDRAW, err);
}
static int api_request_review(struct request *rq, struct gs_err *err)
{
    return request_action(rq, ACT_REVIEW, err);
}
static int api_request_revoke(struct request *rq, struct gs_err *err)
{
    return request_action(rq, ACT_REVOKE, err);
}

/* GET /api/v1/dac/queue: submitted requests awaiting a decision of the caller's committees
 * (admins: every submitted request); ?state=S instead lists the requests the caller may
 * see in that state (e.g. approved ones, to revoke). 403 without the dac or admin role. */
static int api_dac_queue(struct request *rq, struct gs_err *err)
{
    const char *state = request_query(rq, "state");
    struct request_list_filter f = {0, state, request_query(rq, "dataset"), state == NULL};
    if (state != NULL && !(rq->who.roles & (ROLE_DAC | ROLE_ADMIN)))
        return gs_err_set(err, GS_EFORBIDDEN, "the dac or admin role is needed to see the "
                          "committee queue");
    json_t *items = NULL;
    int rc = requests_list_json(rq->store, &rq->who, &f, rq->now, &items, err);
    if (rc == GS_OK)
        request_reply(rq, 200, json_pack("{s:o}", "requests", items));
    return rc;
}

/* GET /api/v1/me/access: the caller's grants (dataset, since, until, request, state). */
static int api_my_access(struct request *rq, struct gs_err *err)
{
    json_t *items = NULL;
    int rc = requests_my_access_json(rq->store, &rq->who, rq->now, &items, err);
    if (rc == GS_OK)
        request_reply(rq, 200, json_pack("{s:o}", "grants", items));
    return rc;
}

struct requestable {
    struct store *s;
    json_t *items;
    struct gs_err *err;
};

static int requestable_add(void *ctx, const struct store_dataset *d)
{
    struct requestable *r = ctx;
    if (d->tier != TIER_CONTROLLED)
        return 0;
    char terms[STORE_DUO_MAX] = "";
    struct gs_err none = {0};
    int rc = store_dataset_duo_get(r->s, d->id, terms, &none);
    if (rc != GS_OK && rc != GS_ENOTFOUND)
        return gs_err_set(r->err, rc, "%s", none.msg);
    json_array_append_new(r->items, json_pack("{s:s, s:s, s:s?}", "name", d->name, "title",
                                              d->title, "duo", terms[0] ? terms : NULL));
    return 0;
}

/* GET /api/v1/access/datasets: the controlled datasets one may ask for, with their DUO
 * terms (the catalogue is public; this adds only the terms of use). */
static int api_requestable(struct request *rq, struct gs_err *err)
{
    struct requestable r = {rq->store, json_array(), err};
    int rc = store_dataset_each(rq->store, requestable_add, &r, err);
    if (rc != GS_OK) {
        json_decref(r.items);
        return rc;
    }
    request_reply(rq, 200, json_pack("{s:o}", "datasets", r.items));
    return GS_OK;
}

const struct route request_routes[] = {
    {"POST", "/api/v1/requests", api_request_create, true, false},
    {"GET", "/api/v1/requests", api_request_list, true, false},
    {"GET", "/api/v1/requests/*", api_request_get, true, false},
    {"POST", "/api/v1/requests/*/submit", api_request_submit, true, false},
    {"POST", "/api/v1/requests/*/withdraw", api_request_withdraw, true, false},
    {"POST", "/api/v1/requests/*/review", api_request_review, true, false},
    {"POST", "/api/v1/requests/*/revoke", api_request_revoke, true, false},
    {"GET", "/api/v1/dac/queue", api_dac_queue, true, false},
    {"GET", "/api/v1/me/access", api_my_access, true, false},
    {"GET", "/api/v1/access/datasets", api_requestable, true, false},
};
const size_t request_route_count = sizeof request_routes / sizeof request_routes[0];
