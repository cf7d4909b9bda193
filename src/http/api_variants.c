/* api_variants.c — /api/v1/variants/submissions (upload a VCF/TSV, read a batch's report) and
 * /api/v1/variants/curation (the queue, one submission with its history, decisions). Every
 * write goes through submit.h / curate.h (audited, all or nothing); every read through their
 * visibility rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/api_variants.h"
#include "http/request.h"
#include "variants/curate.h"
#include "variants/submit.h"

#define QUEUE_LIMIT_MAX 1000

static const char *header(const struct request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* The server-side reference FASTA for an assembly: $GENOSHARE_REFERENCE_GRCH38 (or _GRCH37);
 * clients never name files on the server. NULL when unset. */
static const char *server_reference(const char *assembly)
{
    const char *v = getenv(assembly && strcmp(assembly, "GRCh37") == 0
                               ? "GENOSHARE_REFERENCE_GRCH37" : "GENOSHARE_REFERENCE_GRCH38");
    return v && v[0] ? v : NULL;
}

/* POST /api/v1/variants/submissions: JSON {"dataset","format","content","assembly",
 * "disease_area","filename","institution"}, or the file itself as the body (text/vcf,
 * text/tab-separated-values, text/plain) with ?dataset=&format=&assembly=&disease_area=. */
static int api_submit(struct request *rq, struct gs_err *err)
{
    const char *type = header(rq, "Content-Type");
    json_t *body = NULL;
    struct submit_options o = {0};
    const char *text = NULL, *format = NULL;
    size_t len = 0;
    int rc = GS_OK;
    if (type != NULL && strncasecmp(type, "application/json", 16) == 0) {
        if ((rc = request_json_body(rq, &body, err)) != GS_OK)
            return rc;
        if ((rc = json_get_string(body, "dataset", true, &o.dataset, err)) != GS_OK ||
            (rc = json_get_string(body, "content", true, &text, err)) != GS_OK ||
            (rc = json_get_string(body, "format", false, &format, err)) != GS_OK ||
            (rc = json_get_string(body, "assembly", false, &o.assembly, err)) != GS_OK ||
            (rc = json_get_string(body, "disease_area", false, &o.disease_area, err)) != GS_OK ||
            (rc = json_get_string(body, "filename", false, &o.filename, err)) != GS_OK ||
            (rc = json_get_string(body, "institution", false, &o.institution, err)) != GS_OK) {
            json_decref(body);
            return rc;
        }
        len = strlen(text);
    } else if (type != NULL && (strncasecmp(type, "text/", 5) == 0 ||
                                strncasecmp(type, "application/octet-stream", 24) == 0)) {
        o.dataset = request_query(rq, "dataset");
        format = request_query(rq, "format");
        o.assembly = request_query(rq, "assembly");
        o.disease_area = request_query(rq, "disease_area");
        o.filename = request_query(rq, "filename");
        text = rq->body.data ? rq->body.data : "";
        len = rq->body.len;
        if (format == NULL && strncasecmp(type, "text/tab-separated-values", 25) == 0)
            format = "tsv";
        if (o.dataset == NULL)
            return gs_err_set(err, GS_EINVAL, "dataset is required (?dataset=NAME)");
    } else {
        return gs_err_set(err, GS_EMEDIA, "send the file as text/vcf, text/tab-separated-values "
                          "or application/json {\"dataset\",\"format\",\"content\"}");
    }
    if (len == 0)
        rc = gs_err_set(err, GS_EINVAL, "the submission is empty");
    if (rc == GS_OK)
        rc = submit_format_parse(format, &o.format, err);
    o.reference = server_reference(o.assembly);
    struct submit_report rep = {0};
    if (rc == GS_OK) {
        rc = variants_submit_text(rq->store, &rq->who, &rq->actor, &o, text, len, rq->now, &rep,
                                  err);
        if (rc == GS_OK || rc == GS_EUNPROCESSABLE) {
            request_reply(rq, rc == GS_OK ? 201 : 422, submit_report_json(&rep));
            rc = GS_OK;
        } else if (rc == GS_EFORBIDDEN || rc == GS_ENOTFOUND) {
            /* a dataset the caller may not see is reported like a missing one */
            struct store_dataset d;
            struct access_decision v = {false, ""};
            struct gs_err ignored = {0};
            if (store_dataset_by_name(rq->store, o.dataset, &d, &ignored) != GS_OK ||
                access_check_read(rq->store, &rq->who, &d, 0, SCOPE_INTERNATIONAL, rq->now, &v,
                                  &ignored) != GS_OK || !v.allowed) {
                gs_err_clear(err);
                rc = gs_err_set(err, GS_ENOTFOUND, "no dataset named '%.64s'", o.dataset);
            }
        }
    }
    submit_report_free(&rep);
    json_decref(body);
    return rc;
}

static int api_batch_get(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = request_param_id(rq, 0, "submission batch", &id, err);
    struct store_variant_batch b = {0};
    if (rc == GS_OK && (rc = variants_batch_read(rq->store, &rq->who, id, rq->now, &b, err)) ==
                           GS_OK) {
        json_error_t jerr;
        json_t *doc = b.report ? json_loads(b.report, 0, &jerr) : json_object();
        if (doc == NULL)
            rc = gs_err_set(err, GS_ECORRUPT, "batch %lld has an unreadable report", (long long)id);
        else
            request_reply(rq, 200, doc);
    }
    store_variant_batch_clear(&b);
    return rc;
}

static json_t *submission_json(const struct variant_submission_view *v)
{
    const struct store_variant_submission *x = &v->sub;
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:s, "
                     "s:s, s:s, s:s, s:s, s:s, s:s, s:i}",
                     "id", (json_int_t)x->id, "variant_id", (json_int_t)x->variant_id, "batch",
                     (json_int_t)x->batch_id, "dataset", v->dataset, "institution",
                     v->institution, "submitter", x->submitter, "condition", "ids",
                     x->condition_ids, "name", x->condition_name, "classification",
                     x->classification, "review_status", x->review_status, "disease_area",
                     x->disease_area, "origin", x->origin, "zygosity", x->zygosity, "method",
                     x->method, "evidence", x->evidence, "date", x->submitted_on, "state",
                     variant_state_name(x->state), "comment", x->comment, "curated_by",
                     x->curated_by, "version", x->version);
}

struct queue_list {
    json_t *items;
    int64_t offset, limit, seen;
};

static int queue_add(void *ctx, const struct variant_submission_view *sub,
                     const struct store_variant *v)
{
    struct queue_list *l = ctx;
    int64_t i = l->seen++;
    if (i < l->offset || i >= l->offset + l->limit)
        return GS_OK;
    json_t *doc = submission_json(sub);
    json_object_set_new(doc, "variant", json_pack("{s:s, s:s, s:I, s:s, s:s}", "assembly",
                                                  v->assembly, "chrom", v->chrom, "pos",
                                                  (json_int_t)v->pos, "ref", v->ref, "alt",
                                                  v->alt));
    json_array_append_new(l->items, doc);
    return GS_OK;
}

/* GET /api/v1/variants/curation?dataset=&offset=&limit=: the pending queue (curators). */
static int api_queue(struct request *rq, struct gs_err *err)
{
    struct queue_list l = {json_array(), 0, 50, 0};
    const char *dataset = request_query(rq, "dataset");
    struct store_dataset d = {0};
    int rc = variants_query_int(rq, "offset", 0, INT64_MAX / 2, &l.offset, err);
    if (rc == GS_OK)
        rc = variants_query_int(rq, "limit", 50, QUEUE_LIMIT_MAX, &l.limit, err);
    if (rc == GS_OK && dataset && store_dataset_by_name(rq->store, dataset, &d, err) != GS_OK) {
        gs_err_clear(err);
        rc = gs_err_set(err, GS_ENOTFOUND, "no dataset named '%.64s'", dataset);
    }
    if (rc == GS_OK)
        rc = variants_queue_each(rq->store, &rq->who, d.id, rq->now, queue_add, &l, err);
    if (rc == GS_OK)
        request_reply(rq, 200, json_pack("{s:I, s:I, s:I, s:O}", "total", (json_int_t)l.seen,
                                         "offset", (json_int_t)l.offset, "limit",
                                         (json_int_t)l.limit, "items", l.items));
    json_decref(l.items);
    return rc;
}

static int history_add(void *ctx, const struct store_variant_submission *h)
{
    json_array_append_new((json_t *)ctx,
                          json_pack("{s:i, s:I, s:s, s:s, s:s, s:s, s:s}", "version", h->version,
                                    "replaced_at", (json_int_t)h->updated_at, "classification",
                                    h->classification, "review_status", h->review_status,
                                    "state", variant_state_name(h->state), "comment",
                                    h->comment, "date", h->submitted_on));
    return GS_OK;
}

/* GET /api/v1/variants/curation/{id}: one submission with its earlier versions. */
static int api_submission_get(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = request_param_id(rq, 0, "submission", &id, err);
    if (rc != GS_OK)
        return rc;
    json_t *history = json_array();
    struct variant_submission_view v;
    if ((rc = variants_submission_read(rq->store, &rq->who, &rq->actor, id, rq->now, &v,
                                       history_add, history, err)) == GS_OK) {
        json_t *doc = submission_json(&v);
        json_object_set_new(doc, "history", history);
        request_reply(rq, 200, doc);
        return GS_OK;
    }
    json_decref(history);
    return rc;
}

/* The decision and comment of a curation body {"decision":"accept"|"return","comment"}. */
static int decision_body(struct request *rq, json_t **body, enum variant_state *decision,
                         const char **comment, struct gs_err *err)
{
    const char *d = NULL;
    int rc = request_json_body(rq, body, err);
    if (rc == GS_OK && (rc = json_get_string(*body, "decision", true, &d, err)) == GS_OK &&
        (rc = json_get_string(*body, "comment", false, comment, err)) == GS_OK) {
        if (strcmp(d, "accept") == 0)
            *decision = VARIANT_ACCEPTED;
        else if (strcmp(d, "return") == 0)
            *decision = VARIANT_RETURNED;
        else
            rc = gs_err_set(err, GS_EINVAL, "decision must be accept or return");
    }
    return rc;
}

/* POST /api/v1/variants/curation/{id}: decide one submission. */
static int api_curate(struct request *rq, struct gs_err *err)
{
    int64_t id;
    json_t *body = NULL;
    enum variant_state decision;
    const char *comment = NULL;
    int rc = request_param_id(rq, 0, "submission", &id, err);
    if (rc == GS_OK && (rc = decision_body(rq, &body, &decision, &comment, err)) == GS_OK &&
        (rc = variants_curate(rq->store, &rq->who, &rq->actor, id, decision, comment, rq->now,
                              err)) == GS_OK)
        request_reply(rq, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state",
                                         variant_state_name(decision)));
    json_decref(body);
    return rc;
}

/* POST /api/v1/variants/curation/batch/{id}: decide every pending submission of a batch. */
static int api_curate_batch(struct request *rq, struct gs_err *err)
{
    int64_t id, n = 0;
    json_t *body = NULL;
    enum variant_state decision;
    const char *comment = NULL;
    int rc = request_param_id(rq, 0, "submission batch", &id, err);
    if (rc == GS_OK && (rc = decision_body(rq, &body, &decision, &comment, err)) == GS_OK &&
        (rc = variants_curate_batch(rq->store, &rq->who, &rq->actor, id, decision, comment,
                                    rq->now, &n, err)) == GS_OK)
        request_reply(rq, 200, json_pack("{s:I, s:I, s:s}", "batch", (json_int_t)id,
                                         "submissions", (json_int_t)n, "state",
                                         variant_state_name(decision)));
    json_decref(body);
    return rc;
}

const struct route variant_routes[] = {
    {"POST", "/api/v1/variants/submissions", api_submit, true, false},
    {"GET", "/api/v1/variants/submissions/*", api_batch_get, true, false},
    {"GET", "/api/v1/variants/curation", api_queue, true, false},
    {"GET", "/api/v1/variants/curation/*", api_submission_get, false, false},
    {"POST", "/api/v1/variants/curation/*", api_curate, true, false},
    {"POST", "/api/v1/variants/curation/batch/*", api_curate_batch, true, false},
};
const size_t variant_route_count = sizeof variant_routes / sizeof variant_routes[0];
