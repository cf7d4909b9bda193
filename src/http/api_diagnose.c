/* api_diagnose.c — /api/v1/diagnose: rank the annotated diseases for a phenotype given in
 * the body, or for a stored case (read through the case service, hence access_check_read:
 * a case the caller may not see is 404). The disease index is built from the store per
 * request; the HPO release is the server's one copy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "http/request.h"
#include "match/cases.h"
#include "match/diagnose.h"

#define TERMS_MAX 500
#define TOP_MAX 1000

static int server_hpo(struct request *rq, const struct hpo **out, struct gs_err *err)
{
    *out = request_hpo(rq);
    if (*out == NULL)
        return gs_err_set(err, GS_ENOTFOUND, "no HPO release loaded: genoshare hpo load "
                          "--ontology FILE, then restart the server");
    return GS_OK;
}

/* Reads body member key, an array of HP id strings, into ids (pointers into body). */
static int id_array(json_t *body, const char *key, bool required, const char **ids, int *n,
                    struct gs_err *err)
{
    json_t *a = json_object_get(body, key);
    *n = 0;
    if (a == NULL && !required)
        return GS_OK;
    if (!json_is_array(a) || (required && json_array_size(a) == 0))
        return gs_err_set(err, GS_EINVAL, "%s must be a%s array of HPO ids", key,
                          required ? " non-empty" : "n");
    if (json_array_size(a) > TERMS_MAX)
        return gs_err_set(err, GS_EINVAL, "%s lists more than %d terms", key, TERMS_MAX);
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        if (!json_is_string(v))
            return gs_err_set(err, GS_EINVAL, "%s[%zu] must be a string", key, i);
        ids[(*n)++] = json_string_value(v);
    }
    return GS_OK;
}

/* top (a body member or query parameter, 1..TOP_MAX, default 10) and method. */
static int ranking_options(json_t *top, const char *top_text, const char *method,
                           size_t *out_top, struct diagnose_params *p, struct gs_err *err)
{
    int64_t n = 10;
    *p = diagnose_params_default();
    if (top != NULL) {
        if (!json_is_integer(top) || json_integer_value(top) < 1 ||
            json_integer_value(top) > TOP_MAX)
            return gs_err_set(err, GS_EINVAL, "top must be an integer from 1 to %d", TOP_MAX);
        n = json_integer_value(top);
    } else if (top_text != NULL && parse_int64(top_text, 1, TOP_MAX, &n, err) != GS_OK) {
        gs_err_clear(err);
        return gs_err_set(err, GS_EINVAL, "top must be an integer from 1 to %d", TOP_MAX);
    }
    *out_top = (size_t)n;
    return method != NULL ? diagnose_method_parse(method, &p->method, err) : GS_OK;
}

/* Ranks q against the stored diseases and replies with the ranking. */
static int reply_ranking(struct request *rq, const struct hpo *h, const struct sim_profile *q,
                         const struct diagnose_params *p, size_t top,
                         const struct hpo_problems *problems, struct gs_err *err)
{
    if (q->nobserved == 0)
        return gs_err_set(err, GS_EINVAL, "no observed term is a current HPO term%s%.160s",
                          problems->nexamples ? ": " : "",
                          problems->nexamples ? problems->examples[0] : "");
    /* The server's index, built at start; rebuilt here only when none was loaded then
     * (so a 'diagnose load' after start still works, slowly, until a restart). */
    const struct diagnose_index *x = request_diseases(rq);
    struct diagnose_index *built = NULL;
    struct diagnose_ranking r = {0};
    int rc = GS_OK;
    if (x == NULL && (rc = diagnose_index_from_store(rq->store, h, &built, err)) == GS_OK)
        x = built;
    if (rc == GS_OK && (rc = diagnose_rank(x, q, p, top, &r, err)) == GS_OK) {
        json_t *doc = diagnose_ranking_json(x, p, &r, problems);
        if (doc == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
        else
            request_reply(rq, 200, doc);
    }
    diagnose_ranking_free(&r);
    diagnose_index_free(built);
    return rc;
}

static int api_diagnose(struct request *rq, struct gs_err *err)
{
    const struct hpo *h;
    json_t *body = NULL;
    int rc = server_hpo(rq, &h, err);
    if (rc != GS_OK || (rc = request_json_body(rq, &body, err)) != GS_OK)
        return rc;
    const char *obs[TERMS_MAX], *exc[TERMS_MAX], *method = NULL;
    int no, ne;
    size_t top = 10;
    struct diagnose_params p;
    struct sim_profile q = {0};
    struct hpo_problems problems = {0};
    if ((rc = id_array(body, "hpo", true, obs, &no, err)) == GS_OK &&
        (rc = id_array(body, "excluded", false, exc, &ne, err)) == GS_OK &&
        (rc = json_get_string(body, "method", false, &method, err)) == GS_OK &&
        (rc = ranking_options(json_object_get(body, "top"), NULL, method, &top, &p, err)) ==
            GS_OK &&
        (rc = sim_profile_build(h, obs, no, exc, ne, NULL, 0, &q, &problems, err)) == GS_OK)
        rc = reply_ranking(rq, h, &q, &p, top, &problems, err);
    sim_profile_free(&q);
    json_decref(body);
    return rc;
}

static int api_case_diagnoses(struct request *rq, struct gs_err *err)
{
    const struct hpo *h;
    int64_t id;
    size_t top = 10;
    struct diagnose_params p;
    int rc = request_param_id(rq, 0, "case", &id, err);
    if (rc != GS_OK || (rc = server_hpo(rq, &h, err)) != GS_OK ||
        (rc = ranking_options(NULL, request_query(rq, "top"), request_query(rq, "method"), &top,
                              &p, err)) != GS_OK)
        return rc;
    struct store_case c = {0};
    struct store_dataset d;
    struct sim_profile q = {0};
    struct hpo_problems problems = {0};
    if ((rc = cases_read(rq->store, &rq->who, &rq->actor, id, rq->now, &c, &d, err)) == GS_OK &&
        (rc = diagnose_case_profile(h, &c, &q, &problems, err)) == GS_OK)
        rc = reply_ranking(rq, h, &q, &p, top, &problems, err);
    sim_profile_free(&q);
    store_case_clear(&c);
    return rc;
}

const struct route diagnose_routes[] = {
    {"POST", "/api/v1/diagnose", api_diagnose, false, false},
    {"GET", "/api/v1/cases/*/diagnoses", api_case_diagnoses, false, false},
};
const size_t diagnose_route_count = sizeof diagnose_routes / sizeof diagnose_routes[0];
