/* api_dmp.c — /api/v1/dmps (Data Management Plans: list, get, create, update, link, history)
 * and /api/v1/reports (the dashboard's tables as JSON, CSV or TSV). Every signed-in user may
 * read plans and reports; writes go through policy/dmp.c, which decides who may change
 * what, versions the plan and audits the write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "http/request.h"
#include "policy/dmp.h"
#include "policy/report.h"

/* ---- request bodies ---- */

/* A date member: absent leaves it; null or "" clears it; else YYYY-MM-DD. */
static int date_member(json_t *body, const char *key, bool *set, time_t *out, struct gs_err *err)
{
    json_t *v = json_object_get(body, key);
    if (v == NULL)
        return GS_OK;
    *set = true;
    if (json_is_null(v)) {
        *out = 0;
        return GS_OK;
    }
    if (!json_is_string(v))
        return gs_err_set(err, GS_EINVAL, "field '%s' must be a date (YYYY-MM-DD) or null", key);
    return dmp_parse_date(json_string_value(v), out, err);
}

/* data_types: [{"data_type":T,"tier":T}…] or "T:T,T:T". */
static int items_member(json_t *body, struct dmp_input *in, struct gs_err *err)
{
    json_t *v = json_object_get(body, "data_types");
    if (v == NULL)
        return GS_OK;
    if (json_is_string(v))
        return dmp_parse_items(json_string_value(v), in, err);
    if (!json_is_array(v) || json_array_size(v) > DATA_TYPE_COUNT)
        return gs_err_set(err, GS_EINVAL, "field 'data_types' must be a list of at most %d "
                          "{\"data_type\",\"tier\"} objects", DATA_TYPE_COUNT);
    char text[256] = "";
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item) {
        const char *type, *tier;
        int rc;
        if (!json_is_object(item))
            return gs_err_set(err, GS_EINVAL, "field 'data_types' must hold objects");
        if ((rc = json_get_string(item, "data_type", true, &type, err)) != GS_OK ||
            (rc = json_get_string(item, "tier", true, &tier, err)) != GS_OK)
            return rc;
        if (strlen(type) > 40 || strlen(tier) > 40)
            return gs_err_set(err, GS_EINVAL, "field 'data_types': entry too long");
        snprintf(text + strlen(text), sizeof text - strlen(text), "%s%s:%s", i ? "," : "", type,
                 tier);
    }
    return dmp_parse_items(text, in, err);
}

static int input_from_json(json_t *body, struct dmp_input *in, struct gs_err *err)
{
    int rc;
    if ((rc = json_get_string(body, "programme", false, &in->programme, err)) != GS_OK ||
        (rc = json_get_string(body, "title", false, &in->title, err)) != GS_OK ||
        (rc = json_get_string(body, "pi", false, &in->pi, err)) != GS_OK ||
        (rc = json_get_string(body, "institution", false, &in->institution, err)) != GS_OK ||
        (rc = json_get_string(body, "target_db", false, &in->target_db, err)) != GS_OK ||
        (rc = json_get_string(body, "volume", false, &in->volume, err)) != GS_OK ||
        (rc = date_member(body, "analysis_done", &in->set_analysis_done, &in->analysis_done,
                          err)) != GS_OK ||
        (rc = date_member(body, "paper_accepted", &in->set_paper_accepted, &in->paper_accepted,
                          err)) != GS_OK)
        return rc;
    return items_member(body, in, err);
}

/* Replies with plan id as JSON (status 200 or 201). */
static int reply_plan(struct request *rq, int64_t id, unsigned status, struct gs_err *err)
{
    struct store_dmp d;
    int rc = store_dmp_get(rq->store, id, &d, err);
    json_t *o = rc == GS_OK ? dmp_to_json(rq->store, &d, true, rq->now, err) : NULL;
    if (rc == GS_OK && o == NULL)
        rc = err->code ? err->code : GS_ENOMEM;
    if (rc == GS_OK)
        request_reply(rq, status, o);
    return rc;
}

/* ---- plans ---- */

struct list_ctx {
    struct request *rq;
    const char *programme;
    bool by_status;
    enum dmp_status status;
    json_t *items;
    struct gs_err *err;
};

static int list_add(void *ctx, const struct store_dmp *d)
{
    struct list_ctx *c = ctx;
    if (c->programme != NULL && strcmp(d->programme, c->programme) != 0)
        return 0;
    if (c->by_status && dmp_state_of(d, c->rq->now).status != c->status)
        return 0;
    json_t *o = dmp_to_json(c->rq->store, d, true, c->rq->now, c->err);
    if (o == NULL)
        return c->err->code ? c->err->code : GS_ENOMEM;
    json_array_append_new(c->items, o);
    return 0;
}

static int api_dmp_list(struct request *rq, struct gs_err *err)
{
    struct list_ctx c = {rq, request_query(rq, "programme"), false, DMP_ON_TRACK, NULL, err};
    const char *status = request_query(rq, "status");
    int rc = GS_OK;
    if (c.programme != NULL && c.programme[0] != '\0')
        rc = dmp_programme_check(c.programme, err);
    else
        c.programme = NULL;
    if (rc == GS_OK && status != NULL && status[0] != '\0') {
        c.by_status = true;
        rc = dmp_status_parse(status, &c.status, err);
    }
    if (rc != GS_OK)
        return rc;
    c.items = json_array();
    if ((rc = store_dmp_each(rq->store, list_add, &c, err)) != GS_OK) {
        json_decref(c.items);
        return rc;
    }
    char as_of[11];
    dmp_format_date(rq->now, as_of);
    request_reply(rq, 200, json_pack("{s:s, s:o}", "as_of", as_of, "dmps", c.items));
    return GS_OK;
}

static int api_dmp_get(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = request_param_id(rq, 0, "plan", &id, err);
    return rc == GS_OK ? reply_plan(rq, id, 200, err) : rc;
}

static int api_dmp_create(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL;
    int rc = request_json_body(rq, &body, err);
    if (rc != GS_OK)
        return rc;
    struct dmp_input in;
    dmp_input_init(&in);
    struct store_institution own;
    int64_t id = 0;
    rc = input_from_json(body, &in, err);
    /* A submitter's plan is for their own institution unless the body names another. */
    if (rc == GS_OK && in.institution == NULL &&
        (rc = store_institution_get(rq->store, rq->who.institution_id, &own, err)) == GS_OK)
        in.institution = own.name;
    if (rc == GS_OK)
        rc = dmp_add(rq->store, &rq->who, &rq->actor, &in, rq->now, &id, err);
    if (rc == GS_OK)
        rc = reply_plan(rq, id, 201, err);
    json_decref(body);
    return rc;
}

/* The plan id of the path and the JSON body of a write to one plan; the caller owns *body. */
static int plan_body(struct request *rq, int64_t *id, json_t **body, struct gs_err *err)
{
    int rc = request_param_id(rq, 0, "plan", id, err);
    return rc == GS_OK ? request_json_body(rq, body, err) : rc;
}

static int api_dmp_update(struct request *rq, struct gs_err *err)
{
    int64_t id;
    json_t *body = NULL;
    int rc = plan_body(rq, &id, &body, err);
    if (rc != GS_OK)
        return rc;
    struct dmp_input in;
    dmp_input_init(&in);
    if ((rc = input_from_json(body, &in, err)) == GS_OK &&
        (rc = dmp_update(rq->store, &rq->who, &rq->actor, id, &in, rq->now, err)) == GS_OK)
        rc = reply_plan(rq, id, 200, err);
    json_decref(body);
    return rc;
}

static int api_dmp_link(struct request *rq, struct gs_err *err)
{
    int64_t id;
    json_t *body = NULL;
    int rc = plan_body(rq, &id, &body, err);
    if (rc != GS_OK)
        return rc;
    const char *type_text, *dataset;
    enum data_type type;
    if ((rc = json_get_string(body, "data_type", true, &type_text, err)) == GS_OK &&
        (rc = data_type_parse(type_text, &type, err)) == GS_OK &&
        (rc = json_get_string(body, "dataset", false, &dataset, err)) == GS_OK &&
        (rc = dmp_link(rq->store, &rq->who, &rq->actor, id, type, dataset, rq->now, err)) == GS_OK)
        rc = reply_plan(rq, id, 200, err);
    json_decref(body);
    return rc;
}

static int history_add(void *ctx, const struct store_dmp_version *v)
{
    json_t *versions = ctx;
    char at[21];
    format_utc_time(v->at, at);
    json_t *content = json_loads(v->content, 0, NULL);
    json_array_append_new(versions, json_pack("{s:i, s:s, s:s, s:s, s:o*}", "version", v->version,
                                              "at", at, "actor", v->actor, "changes", v->changes,
                                              "content", content));
    return 0;
}

static int api_dmp_history(struct request *rq, struct gs_err *err)
{
    int64_t id;
    struct store_dmp d;
    int rc = request_param_id(rq, 0, "plan", &id, err);
    if (rc == GS_OK)
        rc = store_dmp_get(rq->store, id, &d, err);
    if (rc != GS_OK)
        return rc;
    json_t *versions = json_array();
    if ((rc = store_dmp_version_each(rq->store, id, history_add, versions, err)) != GS_OK) {
        json_decref(versions);
        return rc;
    }
    request_reply(rq, 200, json_pack("{s:I, s:o}", "id", (json_int_t)id, "versions", versions));
    return GS_OK;
}

/* ---- reports ---- */

/* GET /api/v1/reports/dashboard: every table; /api/v1/reports/TABLE: one, and with
 * ?format=csv or tsv as a download. ?programme=P narrows either to one programme. */
static int api_report(struct request *rq, struct gs_err *err)
{
    const char *name = rq->params[0];
    const char *programme = request_query(rq, "programme");
    const char *format = request_query(rq, "format");
    bool dashboard = strcmp(name, "dashboard") == 0;
    if (programme != NULL && programme[0] == '\0')
        programme = NULL;
    if (format == NULL || format[0] == '\0')
        format = "json";
    if (!dashboard && report_table_check(name, err) != GS_OK)
        return gs_err_set(err, GS_ENOTFOUND, "no report named '%.64s'", name);
    if (strcmp(format, "json") != 0 && (dashboard || (strcmp(format, "csv") != 0 &&
                                                      strcmp(format, "tsv") != 0)))
        return gs_err_set(err, GS_EINVAL, "format '%.16s' is not offered here (json%s)", format,
                          dashboard ? "; csv and tsv per table" : ", csv or tsv");
    json_t *report = NULL;
    int rc = report_build(rq->store, programme, rq->now, &report, err);
    if (rc != GS_OK)
        return rc;
    if (dashboard) {
        request_reply(rq, 200, report);
        return GS_OK;
    }
    json_t *table = json_object_get(json_object_get(report, "tables"), name);
    if (strcmp(format, "json") == 0) {
        json_t *reply = json_pack("{s:O, s:O, s:s, s:O}", "as_of", json_object_get(report, "as_of"),
                                  "programme", json_object_get(report, "programme"), "table",
                                  name, "columns", json_object_get(table, "columns"));
        json_object_set(reply, "rows", json_object_get(table, "rows"));
        request_reply(rq, 200, reply);
        json_decref(report);
        return GS_OK;
    }
    bool csv = strcmp(format, "csv") == 0;
    char *text = NULL;
    rc = report_table_text(table, csv ? ',' : '\t', &text, err);
    if (rc == GS_OK) {
        char filename[128];
        snprintf(filename, sizeof filename, "genoshare-dmp-%s%s%s-%s.%s", name,
                 programme ? "-" : "", programme ? programme : "",
                 json_string_value(json_object_get(report, "as_of")), format);
        request_reply_text(rq, 200, text,
                           csv ? "text/csv; charset=utf-8"
                               : "text/tab-separated-values; charset=utf-8",
                           filename);
    }
    json_decref(report);
    return rc;
}

const struct route dmp_routes[] = {
    {"GET", "/api/v1/dmps", api_dmp_list, true, false},
    {"POST", "/api/v1/dmps", api_dmp_create, true, false},
    {"GET", "/api/v1/dmps/*", api_dmp_get, true, false},
    {"PATCH", "/api/v1/dmps/*", api_dmp_update, true, false},
    {"POST", "/api/v1/dmps/*/links", api_dmp_link, true, false},
    {"GET", "/api/v1/dmps/*/history", api_dmp_history, true, false},
    {"GET", "/api/v1/reports/*", api_report, true, false},
};
const size_t dmp_route_count = sizeof dmp_routes / sizeof dmp_routes[0];
