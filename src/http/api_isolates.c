/* api_isolates.c — /api/v1/tb/isolates (import as JSON, list, read), /api/v1/tb/clusters and
 * /api/v1/tb/markers. Every read goes through the isolate service, hence access_check_read
 * per dataset and an audit row for non-open data; imports through its audited write.
 * The marker search grades variants by a stored WHO catalogue version (?catalogue=, default
 * the newest). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "http/request.h"
#include "tb/isolates.h"

#define LIST_LIMIT_MAX 1000

/* A non-negative integer query parameter with a default. */
static int query_number(struct request *rq, const char *key, int64_t def, int64_t min,
                        int64_t max, int64_t *out, struct gs_err *err)
{
    const char *v = request_query(rq, key);
    *out = def;
    if (v != NULL && parse_int64(v, min, max, out, err) != GS_OK) {
        gs_err_clear(err);
        return gs_err_set(err, GS_EINVAL, "%s must be an integer from %lld to %lld", key,
                          (long long)min, (long long)max);
    }
    return GS_OK;
}

static int api_isolate_add(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL;
    int rc = request_json_body(rq, &body, err);
    if (rc != GS_OK)
        return rc;
    const char *dataset = NULL, *institution = NULL;
    struct isolate_batch b = {0};
    struct isolate_import_result res = {0};
    if ((rc = json_get_string(body, "dataset", true, &dataset, err)) == GS_OK &&
        (rc = json_get_string(body, "institution", false, &institution, err)) == GS_OK &&
        (rc = isolates_from_json(body, &b, err)) == GS_OK) {
        struct gs_err inner = {0};
        rc = isolates_import(rq->store, &rq->who, &rq->actor, dataset, institution, &b, rq->now,
                             &res, &inner);
        if (rc == GS_ENOTFOUND || rc == GS_EFORBIDDEN) {
            /* a dataset the caller cannot see is reported like one that does not exist */
            struct store_dataset d;
            struct access_decision v = {false, ""};
            struct gs_err ignored = {0};
            if (store_dataset_by_name(rq->store, dataset, &d, &ignored) != GS_OK ||
                access_check_read(rq->store, &rq->who, &d, 0, SCOPE_INTERNATIONAL, rq->now, &v,
                                  &ignored) != GS_OK || !v.allowed)
                rc = gs_err_set(err, GS_ENOTFOUND, "no dataset named '%.64s'", dataset);
        }
        if (rc != GS_OK)
            gs_err_set(err, rc, "%s", inner.msg);
    }
    if (rc == GS_OK) {
        json_t *ids = json_array();
        for (size_t k = 0; k < b.n; k++)
            json_array_append_new(ids, json_pack("{s:s, s:I}", "isolate", b.items[k].meta.name,
                                                 "id", (json_int_t)b.items[k].meta.id));
        request_reply(rq, 201, json_pack("{s:s, s:o, s:I, s:I, s:I, s:I}", "dataset", dataset,
                                         "isolates", ids, "genomes", (json_int_t)res.genomes,
                                         "variants", (json_int_t)res.variants, "pairs_computed",
                                         (json_int_t)res.pairs_computed, "pairs_stored",
                                         (json_int_t)res.pairs_stored));
    }
    isolate_batch_free(&b);
    json_decref(body);
    return rc;
}

static int api_isolate_list(struct request *rq, struct gs_err *err)
{
    int64_t limit, offset;
    json_t *doc = NULL;
    int rc;
    if ((rc = query_number(rq, "limit", 100, 1, LIST_LIMIT_MAX, &limit, err)) != GS_OK ||
        (rc = query_number(rq, "offset", 0, 0, INT64_MAX, &offset, err)) != GS_OK)
        return rc;
    if ((rc = isolates_list(rq->store, &rq->who, &rq->actor, request_query(rq, "dataset"), offset,
                            limit, rq->now, &doc, err)) == GS_OK)
        request_reply(rq, 200, doc);
    return rc;
}

static int api_isolate_get(struct request *rq, struct gs_err *err)
{
    int64_t id;
    json_t *doc = NULL;
    int rc = request_param_id(rq, 0, "isolate", &id, err);
    if (rc == GS_OK && (rc = isolates_read(rq->store, &rq->who, &rq->actor, id, rq->now, &doc,
                                           err)) == GS_OK)
        request_reply(rq, 200, doc);
    return rc;
}

static int api_clusters(struct request *rq, struct gs_err *err)
{
    struct isolate_cluster_query q = {{0}, 0, false};
    const char *t = request_query(rq, "threshold"), *nw = request_query(rq, "newick");
    json_t *doc = NULL;
    q.newick = nw != NULL && (strcmp(nw, "1") == 0 || strcmp(nw, "true") == 0);
    int rc = isolates_thresholds_parse(t ? t : "5,12", &q, err);
    if (rc == GS_OK && (rc = isolates_clusters(rq->store, &rq->who, &rq->actor, &q, rq->now, &doc,
                                               err)) == GS_OK)
        request_reply(rq, 200, doc);
    return rc;
}

static int api_markers(struct request *rq, struct gs_err *err)
{
    const char *drug = request_query(rq, "drug");
    int64_t min_solo;
    int rc = query_number(rq, "min_solo", 5, 1, 100000, &min_solo, err);
    if (rc != GS_OK)
        return rc;
    if (drug == NULL || drug[0] == '\0')
        return gs_err_set(err, GS_EINVAL, "drug is required (e.g. ?drug=rifampicin)");
    struct tb_catalogue *cat = NULL;
    json_t *doc = NULL;
    struct gs_err inner = {0};
    if ((rc = tb_catalogue_open(rq->store, request_query(rq, "catalogue"), &cat, &inner)) ==
        GS_ENOTFOUND)
        return gs_err_set(err, GS_EUNPROCESSABLE, "%s", inner.msg);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    if ((rc = isolates_markers(rq->store, &rq->who, &rq->actor, cat, drug, (uint32_t)min_solo,
                               rq->now, &doc, err)) == GS_OK)
        request_reply(rq, 200, doc);
    tb_catalogue_free(cat);
    return rc;
}

const struct route isolate_routes[] = {
    {"GET", "/api/v1/tb/isolates", api_isolate_list, false, false},
    {"POST", "/api/v1/tb/isolates", api_isolate_add, true, false},
    {"GET", "/api/v1/tb/isolates/*", api_isolate_get, false, false},
    {"GET", "/api/v1/tb/clusters", api_clusters, false, false},
    {"GET", "/api/v1/tb/markers", api_markers, false, false},
};
const size_t isolate_route_count = sizeof isolate_routes / sizeof isolate_routes[0];
