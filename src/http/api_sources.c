/* api_sources.c — /api/v1/sources: the registered reference sources, and look-ups of one
 * variant (GET) or of a page of variants (POST, for a page of search results) in all of
 * them. Reference sources are public knowledge: no access decision; paths are shown to
 * administrators only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "http/request.h"
#include "variants/sources.h"

static int add_source(void *ctx, const struct store_variant_source *src)
{
    json_t **pair = ctx; /* [0] the array, [1] json_true() when paths are shown */
    json_array_append_new(pair[0], source_json(src, pair[1] == json_true()));
    return 0;
}

static int api_sources_list(struct request *rq, struct gs_err *err)
{
    json_t *pair[2] = {json_array(), (rq->who.roles & ROLE_ADMIN) ? json_true() : json_false()};
    int rc = store_variant_sources_each(rq->store, add_source, pair, err);
    if (rc != GS_OK) {
        json_decref(pair[0]);
        return rc;
    }
    request_reply(rq, 200, json_pack("{s:o}", "sources", pair[0]));
    return GS_OK;
}

/* One variant's look-up as {"variant":{…}, "sources":[…]}. */
static int lookup_json(struct sources *set, struct source_hit *hits,
                       const struct source_variant *v, json_t **out, struct gs_err *err)
{
    int n = 0;
    int rc = sources_lookup(set, v, hits, SOURCES_MAX, &n, err);
    if (rc != GS_OK)
        return rc;
    *out = json_pack("{s:{s:s, s:s, s:I, s:s, s:s}, s:o}", "variant", "assembly",
                     v->assembly && v->assembly[0] ? v->assembly : "GRCh38", "chrom", v->chrom,
                     "pos", (json_int_t)v->pos, "ref", v->ref, "alt", v->alt, "sources",
                     source_hits_json(hits, n));
    return GS_OK;
}

static int api_sources_lookup(struct request *rq, struct gs_err *err)
{
    struct source_variant v = {request_query(rq, "assembly"), request_query(rq, "chrom"), 0,
                               request_query(rq, "ref"), request_query(rq, "alt")};
    const char *pos = request_query(rq, "pos");
    if (pos == NULL)
        return gs_err_set(err, GS_EINVAL, "pos is required (with assembly, chrom, ref, alt)");
    struct gs_err inner = {0};
    if (parse_int64(pos, 1, INT32_MAX, &v.pos, &inner) != GS_OK)
        return gs_err_set(err, GS_EINVAL, "pos '%.32s' is not a position from 1", pos);
    int rc = source_variant_check(&v, err);
    struct sources *set = NULL;
    struct source_hit *hits = NULL;
    json_t *doc = NULL;
    if (rc == GS_OK && (rc = sources_open(rq->store, &set, err)) == GS_OK &&
        (hits = calloc(SOURCES_MAX, sizeof *hits)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    if (rc == GS_OK && (rc = lookup_json(set, hits, &v, &doc, err)) == GS_OK)
        request_reply(rq, 200, doc);
    free(hits);
    sources_close(set);
    return rc;
}

/* POST {"assembly":"GRCh38","variants":[{"chrom","pos","ref","alt"} | "17-43045712-T-C", …]}
 * → {"results":[{"variant","sources"}, …]} in the order given; at most SOURCE_BATCH_MAX. */
static int api_sources_lookup_batch(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL, *results = NULL;
    const char *assembly = NULL;
    int rc = request_json_body(rq, &body, err);
    if (rc != GS_OK)
        return rc;
    json_t *list = json_object_get(body, "variants");
    if ((rc = json_get_string(body, "assembly", false, &assembly, err)) != GS_OK)
        goto done;
    if (!json_is_array(list) || json_array_size(list) == 0 ||
        json_array_size(list) > SOURCE_BATCH_MAX) {
        rc = gs_err_set(err, GS_EINVAL, "variants must be an array of 1 to %d variants",
                        SOURCE_BATCH_MAX);
        goto done;
    }
    struct sources *set = NULL;
    struct source_hit *hits = calloc(SOURCES_MAX, sizeof *hits);
    if (hits == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    else
        rc = sources_open(rq->store, &set, err);
    results = json_array();
    for (size_t i = 0; rc == GS_OK && i < json_array_size(list); i++) {
        json_t *item = json_array_get(list, i), *doc = NULL;
        struct source_variant v = {assembly, NULL, 0, NULL, NULL};
        char text[SOURCE_ALLELE_MAX * 2 + 64];
        struct gs_err inner = {0};
        if (json_is_string(item) && strlen(json_string_value(item)) < sizeof text) {
            snprintf(text, sizeof text, "%s", json_string_value(item));
            rc = source_variant_parse(text, &v, &inner);
        } else if (json_is_object(item) && json_is_integer(json_object_get(item, "pos"))) {
            v.chrom = json_string_value(json_object_get(item, "chrom"));
            v.ref = json_string_value(json_object_get(item, "ref"));
            v.alt = json_string_value(json_object_get(item, "alt"));
            v.pos = json_integer_value(json_object_get(item, "pos"));
            rc = source_variant_check(&v, &inner);
        } else {
            rc = gs_err_set(&inner, GS_EINVAL, "expected {chrom, pos, ref, alt} or a "
                            "CHROM-POS-REF-ALT text");
        }
        if (rc != GS_OK)
            rc = gs_err_set(err, rc, "variants[%zu]: %s", i, inner.msg);
        else if ((rc = lookup_json(set, hits, &v, &doc, err)) == GS_OK)
            json_array_append_new(results, doc);
    }
    free(hits);
    sources_close(set);
    if (rc == GS_OK)
        request_reply(rq, 200, json_pack("{s:O}", "results", results));
done:
    json_decref(results);
    json_decref(body);
    return rc;
}

const struct route source_routes[] = {
    {"GET", "/api/v1/sources", api_sources_list, false, false},
    {"GET", "/api/v1/sources/lookup", api_sources_lookup, false, false},
    {"POST", "/api/v1/sources/lookup", api_sources_lookup_batch, false, false},
};
const size_t source_route_count = sizeof source_routes / sizeof source_routes[0];
