/* api_match.c — similar-case search: POST /api/v1/match (a query of HPO terms, genes and
 * variants) and GET /api/v1/cases/{id}/matches (cases similar to a visible stored case).
 * The search (visibility before ranking, explanations, audit) is match/search.h's; with
 * "peers": true (or ?peers=1) the Matchmaker Exchange peers are asked too (mme/mme.h: only
 * those the case's scope allows) and their answers merged in, labelled by node. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "http/request.h"
#include "match/search.h"
#include "mme/mme.h"

/* The server's HPO release, or the error telling the operator how to load one. */
static int need_hpo(const struct request *rq, const struct hpo **out, struct gs_err *err)
{
    *out = request_hpo(rq);
    if (*out == NULL)
        return gs_err_set(err, GS_ENOTFOUND,
                          "no HPO release loaded: genoshare hpo load "
                          "--ontology FILE, then restart the server");
    return GS_OK;
}

/* "top": a JSON integer or a query-string value; MATCH_TOP_DEFAULT when absent. */
static int top_value(const json_t *v, const char *text, int *out, struct gs_err *err)
{
    int64_t n = MATCH_TOP_DEFAULT;
    struct gs_err ignored = {0}; /* one message for both spellings, below */
    if (v != NULL && !json_is_null(v)) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 ||
            json_integer_value(v) > MATCH_TOP_MAX)
            return gs_err_set(err, GS_EINVAL, "top must be an integer from 1 to %d", MATCH_TOP_MAX);
        n = json_integer_value(v);
    } else if (text != NULL && parse_int64(text, 1, MATCH_TOP_MAX, &n, &ignored) != GS_OK) {
        return gs_err_set(err, GS_EINVAL, "top must be an integer from 1 to %d", MATCH_TOP_MAX);
    }
    *out = (int)n;
    return GS_OK;
}

/* A member that must be an array of strings (absent: none); items point into body. */
static int string_list(json_t *body, const char *key, int max, const char ***out, int *n,
                       struct gs_err *err)
{
    json_t *list;
    int rc = case_json_member(body, "", key, JSON_ARRAY, false, &list, err);
    *out = NULL;
    *n = 0;
    if (rc != GS_OK || list == NULL)
        return rc;
    if (json_array_size(list) > (size_t)max)
        return gs_err_set(err, GS_EINVAL, "%s holds at most %d items", key, max);
    if ((*out = calloc(json_array_size(list) + 1, sizeof **out)) == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it)
    {
        if (!json_is_string(it))
            return gs_err_set(err, GS_EINVAL, "%s[%zu] must be a string", key, i);
        (*out)[(*n)++] = json_string_value(it);
    }
    return GS_OK;
}

/* Whether to ask the MME peers too ("peers": true, or ?peers=1), and their time bound
 * ("peer_timeout_ms", 100..60000). Asking peers needs a signed-in user: a node must not
 * relay anonymous queries to its partners. */
struct peer_ask {
    bool ask;
    struct mme_outbound_options opt;
};

static int peer_ask_read(const struct request *rq, json_t *body, struct peer_ask *out,
                         struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    json_t *flag = body ? json_object_get(body, "peers") : NULL;
    json_t *ms = body ? json_object_get(body, "peer_timeout_ms") : NULL;
    const char *qflag = body ? NULL : request_query(rq, "peers");
    const char *qms = body ? NULL : request_query(rq, "peer_timeout_ms");
    if (flag != NULL && !json_is_null(flag) && !json_is_boolean(flag))
        return gs_err_set(err, GS_EINVAL, "peers must be true or false");
    if (qflag != NULL && strcmp(qflag, "1") != 0 && strcmp(qflag, "0") != 0 &&
        strcmp(qflag, "true") != 0 && strcmp(qflag, "false") != 0)
        return gs_err_set(err, GS_EINVAL, "peers must be 1 or 0");
    out->ask =
        json_is_true(flag) || (qflag && (strcmp(qflag, "1") == 0 || strcmp(qflag, "true") == 0));
    int64_t n = 0;
    struct gs_err ignored = {0};
    if ((ms && !json_is_null(ms) &&
         (!json_is_integer(ms) || json_integer_value(ms) < 100 ||
          json_integer_value(ms) > 60000)) ||
        (qms && parse_int64(qms, 100, 60000, &n, &ignored) != GS_OK))
        return gs_err_set(err, GS_EINVAL, "peer_timeout_ms must be an integer from 100 to 60000");
    out->opt.total_timeout_ms = ms && json_is_integer(ms) ? (long)json_integer_value(ms) : (long)n;
    if (out->ask && rq->who.user_id == 0)
        return gs_err_set(err, GS_EAUTH, "sign in to search other matchmaking nodes");
    return GS_OK;
}

/* The local results, with the peers' answers merged in when asked ("peers",
 * "remote_results": see mme.h). */
static int reply_results(struct request *rq, struct match_results *r, json_t *remote,
                         struct gs_err *err)
{
    json_t *doc = match_results_to_json(r);
    if (doc == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    if (remote != NULL)
        json_object_update(doc, remote);
    request_reply(rq, 200, doc);
    return GS_OK;
}

static int api_match(struct request *rq, struct gs_err *err)
{
    const struct hpo *h;
    json_t *body = NULL, *variants = NULL;
    int rc = need_hpo(rq, &h, err);
    if (rc != GS_OK || (rc = request_json_body(rq, &body, err)) != GS_OK)
        return rc;
    struct match_query q = {0};
    struct store_case v = {0}; /* the query's variants, parsed as a case's are */
    struct match_results r = {0};
    const char **observed = NULL, **excluded = NULL, **genes = NULL;
    int top = MATCH_TOP_DEFAULT;
    struct peer_ask ask;
    json_t *remote = NULL;
    if ((rc = peer_ask_read(rq, body, &ask, err)) == GS_OK &&
        (rc = string_list(body, "hpo", MATCH_QUERY_TERMS_MAX, &observed, &q.nobserved, err)) ==
            GS_OK &&
        (rc = string_list(body, "excluded", MATCH_QUERY_TERMS_MAX, &excluded, &q.nexcluded, err)) ==
            GS_OK &&
        (rc = string_list(body, "genes", CASE_GENES_MAX, &genes, &q.ngenes, err)) == GS_OK &&
        (rc = case_json_member(body, "", "variants", JSON_ARRAY, false, &variants, err)) == GS_OK &&
        (rc = top_value(json_object_get(body, "top"), NULL, &top, err)) == GS_OK && variants) {
        json_t *only = json_pack("{s:O}", "variants", variants);
        rc = only ? case_from_json(only, &v, err) : gs_err_set(err, GS_ENOMEM, "out of memory");
        json_decref(only);
    }
    if (rc == GS_OK) {
        q.observed = observed;
        q.excluded = excluded;
        q.genes = genes;
        q.variants = v.variants;
        q.nvariants = v.nvariants;
        rc = match_search_indexed(request_case_index(rq), rq->store, h, &rq->who, &rq->actor, &q,
                                  top, NULL, rq->now, &r, err);
    }
    if (rc == GS_OK && ask.ask)
        rc = mme_search_peers_for_query(rq->store, &rq->actor, rq->who.name, &q, &ask.opt, rq->now,
                                        &remote, err);
    if (rc == GS_OK)
        rc = reply_results(rq, &r, remote, err);
    json_decref(remote);
    match_results_free(&r);
    store_case_clear(&v);
    free(observed);
    free(excluded);
    free(genes);
    json_decref(body);
    return rc;
}

static int api_case_matches(struct request *rq, struct gs_err *err)
{
    const struct hpo *h;
    int64_t id;
    int top = MATCH_TOP_DEFAULT;
    struct peer_ask ask;
    int rc = request_param_id(rq, 0, "case", &id, err);
    if (rc != GS_OK || (rc = need_hpo(rq, &h, err)) != GS_OK ||
        (rc = top_value(NULL, request_query(rq, "top"), &top, err)) != GS_OK ||
        (rc = peer_ask_read(rq, NULL, &ask, err)) != GS_OK)
        return rc;
    struct match_results r = {0};
    json_t *remote = NULL;
    rc = match_search_case_indexed(request_case_index(rq), rq->store, h, &rq->who, &rq->actor, id,
                                   top, NULL, rq->now, &r, err);
    if (rc == GS_OK && ask.ask)
        rc = mme_search_peers_for_case(rq->store, &rq->who, &rq->actor, id, &ask.opt, rq->now,
                                       &remote, err);
    if (rc == GS_OK)
        rc = reply_results(rq, &r, remote, err);
    json_decref(remote);
    match_results_free(&r);
    return rc;
}

const struct route match_routes[] = {
    {"POST", "/api/v1/match", api_match, false, false},
    {"GET", "/api/v1/cases/*/matches", api_case_matches, false, false},
};
const size_t match_route_count = sizeof match_routes / sizeof match_routes[0];
