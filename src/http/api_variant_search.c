/* api_variant_search.c — GET /api/v1/variants?… (search: JSON page, or ?format=vcf|tsv for
 * every match) and GET /api/v1/variants/{id} (the variant page: aggregate, per condition, and
 * its visible submissions). Reads go through search.h, hence access_check_read per dataset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "http/api_variants.h"
#include "http/request.h"
#include "variants/search.h"

int variants_query_int(struct request *rq, const char *key, int64_t def, int64_t max,
                       int64_t *out, struct gs_err *err)
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

static int api_variant_search(struct request *rq, struct gs_err *err)
{
    struct variant_query q = {0};
    int64_t offset, limit, start, end;
    enum variant_format format;
    int rc = variant_format_parse(request_query(rq, "format"), &format, err);
    if (rc != GS_OK || (rc = variants_query_int(rq, "offset", 0, INT64_MAX / 2, &offset, err)) != GS_OK ||
        (rc = variants_query_int(rq, "limit", 0, VARIANT_LIMIT_MAX, &limit, err)) != GS_OK ||
        (rc = variants_query_int(rq, "start", 0, 4000000000LL, &start, err)) != GS_OK ||
        (rc = variants_query_int(rq, "end", 0, 4000000000LL, &end, err)) != GS_OK)
        return rc;
    q.assembly = request_query(rq, "assembly");
    q.region = request_query(rq, "region");
    q.chrom = request_query(rq, "chrom");
    q.start = start;
    q.end = end;
    q.ref = request_query(rq, "ref");
    q.alt = request_query(rq, "alt");
    q.gene = request_query(rq, "gene");
    q.rsid = request_query(rq, "rsid");
    q.hgvs = request_query(rq, "hgvs");
    q.condition = request_query(rq, "condition");
    q.classification = request_query(rq, "classification");
    q.disease_area = request_query(rq, "disease_area");
    q.review_status = request_query(rq, "review_status");
    q.dataset = request_query(rq, "dataset");
    q.offset = offset;
    q.limit = (int)limit;
    if (format != VARIANT_FORMAT_JSON) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        if (f == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory");
        int64_t total = 0;
        rc = variant_export(rq->store, &rq->who, &rq->actor, &q, format, rq->now, f, &total, err);
        fclose(f);
        if (rc == GS_OK)
            request_reply_text(rq, 200, text,
                               format == VARIANT_FORMAT_VCF ? "text/vcf; charset=utf-8"
                                                            : "text/tab-separated-values; "
                                                              "charset=utf-8",
                               format == VARIANT_FORMAT_VCF ? "variants.vcf" : "variants.tsv");
        else
            free(text);
        return rc;
    }
    struct variant_results res = {0};
    if ((rc = variant_search(rq->store, &rq->who, &rq->actor, &q, rq->now, &res, err)) == GS_OK) {
        json_t *doc = variant_results_json(rq->store, &res, q.limit);
        if (doc == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
        else
            request_reply(rq, 200, doc);
    }
    variant_results_free(&res);
    return rc;
}

static int api_variant_get(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = request_param_id(rq, 0, "variant", &id, err);
    if (rc != GS_OK)
        return rc;
    struct variant_detail d = {0};
    if ((rc = variant_get(rq->store, &rq->who, &rq->actor, id, rq->now, &d, err)) == GS_OK) {
        json_t *doc = variant_detail_json(&d);
        if (doc == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
        else
            request_reply(rq, 200, doc);
    }
    variant_detail_free(&d);
    return rc;
}

const struct route variant_search_routes[] = {
    {"GET", "/api/v1/variants", api_variant_search, false, false},
    {"GET", "/api/v1/variants/*", api_variant_get, false, false},
};
const size_t variant_search_route_count =
    sizeof variant_search_routes / sizeof variant_search_routes[0];
