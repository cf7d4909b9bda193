/* api_cases.c — /api/v1/cases: register (own JSON, ?format=phenopacket or ?format=mme), read
 * (?format= as well), update, withdraw and list matchmaking cases. Every read goes through the
 * case service (hence access_check_read); every write through its audited calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "http/request.h"
#include "match/cases.h"

#define LIST_LIMIT_MAX 500

static json_t *notes_json(const struct case_report *rep)
{
    json_t *a = json_array();
    for (int i = 0; i < rep->nnotes && i < CASE_NOTES_MAX; i++)
        json_array_append_new(a, json_string(rep->notes[i]));
    return a;
}

/* A dataset the caller cannot see is reported like one that does not exist. */
static int hide_dataset(struct request *rq, const char *dataset, int rc, struct gs_err *inner,
                        struct gs_err *err)
{
    if (rc == GS_ENOTFOUND || rc == GS_EFORBIDDEN) {
        struct store_dataset d;
        struct access_decision v = {false, ""};
        struct gs_err ignored = {0};
        if (store_dataset_by_name(rq->store, dataset, &d, &ignored) != GS_OK ||
            access_check_read(rq->store, &rq->who, &d, 0, SCOPE_INTERNATIONAL, rq->now, &v,
                              &ignored) != GS_OK || !v.allowed)
            return gs_err_set(err, GS_ENOTFOUND, "no dataset named '%.64s'", dataset);
    }
    return gs_err_set(err, rc, "%s", inner->msg);
}

static int api_case_add(struct request *rq, struct gs_err *err)
{
    enum case_format format;
    json_t *body = NULL;
    int rc = case_format_parse(request_query(rq, "format"), &format, err);
    if (rc != GS_OK || (rc = request_json_body(rq, &body, err)) != GS_OK)
        return rc;
    /* dataset and scope: members of the own JSON, or query parameters for the exchange
     * formats (whose documents have no place for them) */
    const char *dataset = request_query(rq, "dataset"), *scope_text = request_query(rq, "scope");
    const char *institution = request_query(rq, "institution");
    if (format == CASE_FORMAT_JSON &&
        ((rc = case_json_string(body, "", "dataset", false, &dataset, err)) != GS_OK ||
         (rc = case_json_string(body, "", "scope", false, &scope_text, err)) != GS_OK ||
         (rc = case_json_string(body, "", "institution", false, &institution, err)) != GS_OK)) {
        json_decref(body);
        return rc;
    }
    struct case_target t = {dataset, SCOPE_PRIVATE, institution};
    struct store_case c = {0};
    struct case_report rep = {0};
    struct hpo *h = NULL;
    if (dataset == NULL)
        rc = gs_err_set(err, GS_EINVAL, "dataset is required");
    else if (scope_text == NULL)
        rc = gs_err_set(err, GS_EINVAL, "scope is required (private, domestic or international)");
    else if ((rc = scope_parse(scope_text, &t.scope, err)) == GS_OK &&
             (rc = case_from_format(body, format, &c, &rep, err)) == GS_OK &&
             (rc = cases_hpo_load(rq->store, &h, err)) == GS_OK)
        rc = cases_prepare(rq->store, h, &c, &rep, err);
    int64_t id = 0;
    if (rc == GS_OK) {
        struct gs_err inner = {0};
        if ((rc = cases_import(rq->store, &rq->who, &rq->actor, &t, &c, 1, rq->now, &id,
                               &inner)) != GS_OK)
            rc = hide_dataset(rq, dataset, rc, &inner, err);
    }
    if (rc == GS_OK) {
        api_inbox_after_case_write(rq);
        request_reply(rq, 201, json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)id,
                                         "dataset", dataset, "scope", scope_name(t.scope),
                                         "label", c.label, "notes", notes_json(&rep)));
    }
    hpo_free(h);
    store_case_clear(&c);
    json_decref(body);
    return rc;
}

static int api_case_get(struct request *rq, struct gs_err *err)
{
    int64_t id;
    enum case_format format;
    int rc = request_param_id(rq, 0, "case", &id, err);
    if (rc != GS_OK || (rc = case_format_parse(request_query(rq, "format"), &format, err)) != GS_OK)
        return rc;
    struct store_case c = {0};
    struct store_dataset d;
    if ((rc = cases_read(rq->store, &rq->who, &rq->actor, id, rq->now, &c, &d, err)) != GS_OK)
        return rc;
    json_t *doc = case_to_format(rq->store, &c, format, rq->now, err);
    store_case_clear(&c);
    if (doc == NULL)
        return err->code ? err->code : GS_ENOMEM;
    request_reply(rq, 200, doc);
    return GS_OK;
}

static int api_case_patch(struct request *rq, struct gs_err *err)
{
    int64_t id;
    json_t *body = NULL;
    int rc = request_param_id(rq, 0, "case", &id, err);
    if (rc != GS_OK || (rc = request_json_body(rq, &body, err)) != GS_OK)
        return rc;
    struct hpo *h = NULL;
    struct case_report rep = {0};
    if ((rc = cases_hpo_load(rq->store, &h, err)) == GS_OK)
        rc = cases_update(rq->store, h, &rq->who, &rq->actor, id, body, rq->now, &rep, err);
    hpo_free(h);
    json_decref(body);
    if (rc == GS_OK)
        api_inbox_after_case_write(rq);
    struct store_case c = {0};
    struct store_dataset d;
    if (rc == GS_OK && (rc = cases_read(rq->store, &rq->who, &rq->actor, id, rq->now, &c, &d,
                                        err)) == GS_OK) {
        json_t *doc = case_to_json(rq->store, &c, err);
        if (doc == NULL)
            rc = err->code ? err->code : GS_ENOMEM;
        else
            json_object_set_new(doc, "notes", notes_json(&rep)), request_reply(rq, 200, doc);
    }
    store_case_clear(&c);
    return rc;
}

static int api_case_withdraw(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = request_param_id(rq, 0, "case", &id, err);
    if (rc == GS_OK && (rc = cases_withdraw(rq->store, &rq->who, &rq->actor, id, rq->now, err)) ==
                           GS_OK) {
        api_inbox_after_case_write(rq);
        request_reply(rq, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "withdrawn"));
    }
    return rc;
}

struct list_ctx {
    struct store *s;
    json_t *items;
};

static int list_add(void *ctx, const struct store_case *c)
{
    struct list_ctx *l = ctx;
    struct store_dataset d;
    struct gs_err ignored = {0};
    if (store_dataset_get(l->s, c->dataset_id, &d, &ignored) != GS_OK)
        snprintf(d.name, sizeof d.name, "?");
    json_array_append_new(l->items,
                          json_pack("{s:I, s:s, s:s, s:s, s:s, s:i}", "id", (json_int_t)c->id,
                                    "dataset", d.name, "scope", scope_name(c->scope), "label",
                                    c->label, "state", case_state_name(c->state), "version",
                                    c->version));
    return 0;
}

/* A non-negative integer query parameter with a default. */
static int query_int(struct request *rq, const char *key, int64_t def, int64_t max, int64_t *out,
                     struct gs_err *err)
{
    const char *v = request_query(rq, key);
    *out = def;
    if (v != NULL && parse_int64(v, 0, max, out, err) != GS_OK) {
        gs_err_clear(err);
        return gs_err_set(err, GS_EINVAL, "%s must be an integer from 0 to %lld", key,
                          (long long)max);
    }
    return GS_OK;
}

static int api_case_list(struct request *rq, struct gs_err *err)
{
    int64_t limit, offset, total = 0;
    int rc;
    if ((rc = query_int(rq, "limit", 50, LIST_LIMIT_MAX, &limit, err)) != GS_OK ||
        (rc = query_int(rq, "offset", 0, INT64_MAX, &offset, err)) != GS_OK)
        return rc;
    if (limit == 0)
        limit = 50;
    const char *dataset = request_query(rq, "dataset"), *state = request_query(rq, "state");
    if (state != NULL && strcmp(state, "all") != 0 && strcmp(state, "active") != 0)
        return gs_err_set(err, GS_EINVAL, "state must be active or all");
    struct list_ctx l = {rq->store, json_array()};
    struct gs_err inner = {0};
    rc = cases_list(rq->store, &rq->who, &rq->actor, dataset, state && strcmp(state, "all") == 0,
                    offset, limit, rq->now, list_add, &l, &total, &inner);
    if (rc == GS_ENOTFOUND)
        rc = gs_err_set(err, rc, "no dataset named '%.64s'", dataset ? dataset : "");
    else if (rc != GS_OK)
        rc = gs_err_set(err, rc, "%s", inner.msg);
    if (rc != GS_OK) {
        json_decref(l.items);
        return rc;
    }
    request_reply(rq, 200, json_pack("{s:o, s:I, s:I, s:I}", "cases", l.items, "total",
                                     (json_int_t)total, "offset", (json_int_t)offset, "limit",
                                     (json_int_t)limit));
    return GS_OK;
}

const struct route case_routes[] = {
    {"GET", "/api/v1/cases", api_case_list, false, false},
    {"POST", "/api/v1/cases", api_case_add, true, false},
    {"GET", "/api/v1/cases/*", api_case_get, false, false},
    {"PATCH", "/api/v1/cases/*", api_case_patch, true, false},
    {"POST", "/api/v1/cases/*/withdraw", api_case_withdraw, true, false},
};
const size_t case_route_count = sizeof case_routes / sizeof case_routes[0];
