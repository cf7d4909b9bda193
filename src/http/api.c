/* api.c — the /api/v1 endpoints of the foundation: health, login/logout/me, the dataset
 * catalogue, records, API tokens and grants. Every read of records goes through the
 * registry (hence access_check_read); every write through the registry's audited calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "http/request.h"
#include "registry/registry.h"

/* ---- helpers ---- */

static json_t *user_json(struct store *s, const struct principal *p)
{
    struct store_user u;
    struct store_institution inst;
    struct gs_err ignored = {0};
    char roles[64];
    roles_format(p->roles, roles, sizeof roles);
    json_t *role_list = json_array();
    for (unsigned bit = 1; bit <= ROLE_ADMIN; bit <<= 1)
        if (p->roles & bit)
            json_array_append_new(role_list, json_string(role_name((enum role)bit)));
    bool have_user = store_user_get(s, p->user_id, &u, &ignored) == GS_OK;
    bool have_inst = store_institution_get(s, p->institution_id, &inst, &ignored) == GS_OK;
    return json_pack("{s:s, s:s, s:s, s:s, s:o}", "name", p->name, "display_name",
                     have_user ? u.display_name : p->name, "institution",
                     have_inst ? inst.name : "", "country", p->country, "roles", role_list);
}

/* ---- health ---- */

static int api_health(struct request *rq, struct gs_err *err)
{
    (void)err;
    request_reply(rq, 200, json_pack("{s:s, s:s}", "status", "ok", "version", GS_VERSION));
    return GS_OK;
}

/* ---- sessions ---- */

static int api_login(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL;
    const char *user, *password;
    int rc = request_json_body(rq, &body, err);
    if (rc == GS_OK && ((rc = json_get_string(body, "user", true, &user, err)) != GS_OK ||
                        (rc = json_get_string(body, "password", true, &password, err)) != GS_OK))
        rc = GS_EINVAL;
    struct auth_login_result *res = NULL;
    if (rc == GS_OK && (res = calloc(1, sizeof *res)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    if (rc == GS_OK)
        rc = auth_login(rq->store, user, password, rq->origin, rq->now, res, err);
    if (rc == GS_OK) {
        snprintf(rq->actor_name, sizeof rq->actor_name, "user:%.64s", res->who.name);
        snprintf(rq->set_cookie, sizeof rq->set_cookie,
                 "gs_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
                 res->session_secret, AUTH_SESSION_SECONDS,
                 server_secure_cookies(rq->srv) ? "; Secure" : "");
        request_reply(rq, 200, json_pack("{s:o, s:s}", "user", user_json(rq->store, &res->who),
                                         "csrf_token", res->csrf_token));
    }
    free(res);
    json_decref(body);
    return rc;
}

static int api_logout(struct request *rq, struct gs_err *err)
{
    if (!rq->via_session)
        return gs_err_set(err, GS_EINVAL, "logout ends a web session; API tokens are revoked "
                          "with DELETE /api/v1/tokens/{id}");
    int rc = auth_logout(rq->store, rq->session_id, &rq->actor, rq->now, err);
    if (rc != GS_OK)
        return rc;
    snprintf(rq->set_cookie, sizeof rq->set_cookie,
             "gs_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             server_secure_cookies(rq->srv) ? "; Secure" : "");
    request_reply(rq, 200, json_pack("{s:s}", "status", "logged out"));
    return GS_OK;
}

static int api_me(struct request *rq, struct gs_err *err)
{
    (void)err;
    json_t *reply = json_pack("{s:o}", "user", user_json(rq->store, &rq->who));
    if (rq->via_session)
        json_object_set_new(reply, "csrf_token", json_string(rq->csrf_token));
    request_reply(rq, 200, reply);
    return GS_OK;
}

/* ---- datasets: the catalogue is public (so researchers can ask for access); their
 * contents are not ---- */

static json_t *dataset_json(struct store *s, const struct store_dataset *d)
{
    struct store_institution inst;
    struct store_consortium cons;
    struct gs_err ignored = {0};
    bool have_inst = store_institution_get(s, d->institution_id, &inst, &ignored) == GS_OK;
    bool have_cons = d->consortium_id != 0 &&
                     store_consortium_get(s, d->consortium_id, &cons, &ignored) == GS_OK;
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s?, s:I}", "name", d->name, "title", d->title,
                     "tier", tier_name(d->tier), "data_type", data_type_name(d->data_type),
                     "institution", have_inst ? inst.name : "", "consortium",
                     have_cons ? cons.name : NULL, "records", (json_int_t)d->records);
}

struct dataset_list {
    struct store *s;
    json_t *items;
};

static int dataset_list_add(void *ctx, const struct store_dataset *d)
{
    struct dataset_list *l = ctx;
    json_array_append_new(l->items, dataset_json(l->s, d));
    return 0;
}

static int api_datasets(struct request *rq, struct gs_err *err)
{
    struct dataset_list l = {rq->store, json_array()};
    int rc = store_dataset_each(rq->store, dataset_list_add, &l, err);
    if (rc != GS_OK) {
        json_decref(l.items);
        return rc;
    }
    request_reply(rq, 200, json_pack("{s:o}", "datasets", l.items));
    return GS_OK;
}

static int api_dataset(struct request *rq, struct gs_err *err)
{
    struct store_dataset d;
    int rc = store_dataset_by_name(rq->store, rq->params[0], &d, err);
    if (rc != GS_OK)
        return rc;
    struct access_decision verdict;
    if ((rc = access_check_read(rq->store, &rq->who, &d, 0, SCOPE_INTERNATIONAL, rq->now,
                                &verdict, err)) != GS_OK)
        return rc;
    json_t *reply = dataset_json(rq->store, &d);
    json_object_set_new(reply, "readable", json_boolean(verdict.allowed));
    json_object_set_new(reply, "access", json_string(verdict.reason));
    request_reply(rq, 200, reply);
    return GS_OK;
}

/* ---- records ---- */

static int api_record_get(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = request_param_id(rq, 0, "record", &id, err);
    if (rc != GS_OK)
        return rc;
    struct store_record rec = {0};
    struct store_dataset d;
    if ((rc = registry_record_read(rq->store, &rq->who, &rq->actor, id, rq->now, &rec, &d, err)) !=
        GS_OK)
        return rc;
    json_error_t jerr;
    json_t *content = json_loads(rec.content, 0, &jerr);
    request_reply(rq, 200, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o*}", "id", (json_int_t)rec.id,
                                     "dataset", d.name, "tier", tier_name(d.tier), "scope",
                                     scope_name(rec.scope), "label", rec.label, "content",
                                     content));
    store_record_clear(&rec);
    return GS_OK;
}

static int api_record_add(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL;
    int rc = request_json_body(rq, &body, err);
    if (rc != GS_OK)
        return rc;
    struct registry_record_input in = {0};
    const char *scope = NULL;
    char *content = NULL;
    in.scope = SCOPE_PRIVATE;
    if ((rc = json_get_string(body, "dataset", true, &in.dataset, err)) == GS_OK &&
        (rc = json_get_string(body, "label", true, &in.label, err)) == GS_OK &&
        (rc = json_get_string(body, "scope", false, &scope, err)) == GS_OK && scope != NULL)
        rc = scope_parse(scope, &in.scope, err);
    json_t *c = json_object_get(body, "content");
    if (rc == GS_OK && c != NULL && !json_is_object(c))
        rc = gs_err_set(err, GS_EINVAL, "field 'content' must be a JSON object");
    if (rc == GS_OK && c != NULL && (content = json_dumps(c, JSON_COMPACT)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    in.content = content;
    int64_t id = 0;
    if (rc == GS_OK) {
        struct gs_err inner = {0};
        rc = registry_record_add(rq->store, &rq->actor, &rq->who, &in, &id, &inner);
        /* A dataset the caller cannot see is reported like one that does not exist. */
        if (rc == GS_ENOTFOUND || rc == GS_EFORBIDDEN) {
            struct store_dataset d;
            struct access_decision v = {false, ""};
            struct gs_err ignored = {0};
            if (store_dataset_by_name(rq->store, in.dataset, &d, &ignored) != GS_OK ||
                access_check_read(rq->store, &rq->who, &d, 0, SCOPE_INTERNATIONAL, rq->now, &v,
                                  &ignored) != GS_OK || !v.allowed)
                rc = gs_err_set(err, GS_ENOTFOUND, "no dataset named '%.64s'", in.dataset);
        }
        if (rc != GS_OK)
            gs_err_set(err, rc, "%s", inner.msg);
    }
    if (rc == GS_OK)
        request_reply(rq, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "dataset",
                                         in.dataset, "scope", scope_name(in.scope)));
    free(content);
    json_decref(body);
    return rc;
}

/* ---- API tokens (a user's own) ---- */

static int api_token_create(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL;
    int rc = request_json_body(rq, &body, err);
    if (rc != GS_OK)
        return rc;
    const char *name = NULL;
    json_int_t days = 90;
    json_t *d = json_object_get(body, "days");
    if ((rc = json_get_string(body, "name", false, &name, err)) == GS_OK && d != NULL) {
        if (!json_is_integer(d) || json_integer_value(d) < 1 || json_integer_value(d) > 3650)
            rc = gs_err_set(err, GS_EINVAL, "field 'days' must be a whole number 1-3650");
        else
            days = json_integer_value(d);
    }
    char secret[AUTH_SECRET_MAX];
    int64_t id = 0;
    time_t expires = rq->now + (time_t)days * 86400;
    if (rc == GS_OK)
        rc = auth_token_create(rq->store, rq->who.user_id, name ? name : "api", expires,
                               &rq->actor, rq->now, secret, &id, err);
    if (rc == GS_OK) {
        char until[21];
        format_utc_time(expires, until);
        request_reply(rq, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "token", secret,
                                         "expires", until));
    }
    json_decref(body);
    return rc;
}

static int api_token_revoke(struct request *rq, struct gs_err *err)
{
    int64_t id;
    struct store_token t;
    struct gs_err inner = {0};
    int rc = request_param_id(rq, 0, "token", &id, err);
    if (rc != GS_OK)
        return rc;
    /* Someone else's token is reported as absent, whoever asks (admins use the CLI). */
    if (store_token_get(rq->store, id, &t, &inner) != GS_OK || t.user_id != rq->who.user_id)
        return gs_err_set(err, GS_ENOTFOUND, "no token with id %lld", (long long)id);
    if ((rc = auth_token_revoke(rq->store, id, &rq->actor, rq->now, err)) != GS_OK)
        return rc;
    request_reply(rq, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "revoked"));
    return GS_OK;
}

/* ---- grants (data-access committee) ---- */

static int require_dac(const struct request *rq, struct gs_err *err)
{
    if (!(rq->who.roles & (ROLE_DAC | ROLE_ADMIN)))
        return gs_err_set(err, GS_EFORBIDDEN, "the dac or admin role is needed to manage grants");
    return GS_OK;
}

static int api_grant_add(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL;
    int rc = require_dac(rq, err);
    if (rc == GS_OK)
        rc = request_json_body(rq, &body, err);
    if (rc != GS_OK)
        return rc;
    const char *dataset, *user, *until_text;
    time_t until = 0;
    int64_t id = 0;
    if ((rc = json_get_string(body, "dataset", true, &dataset, err)) == GS_OK &&
        (rc = json_get_string(body, "user", true, &user, err)) == GS_OK &&
        (rc = json_get_string(body, "until", true, &until_text, err)) == GS_OK &&
        (rc = parse_utc_time(until_text, &until, err)) == GS_OK)
        rc = registry_grant_add(rq->store, &rq->actor, dataset, user, until, rq->now, &id, err);
    if (rc == GS_OK)
        request_reply(rq, 201, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "dataset",
                                         dataset, "user", user, "until", until_text));
    json_decref(body);
    return rc;
}

static int api_grant_revoke(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = require_dac(rq, err);
    if (rc == GS_OK)
        rc = request_param_id(rq, 0, "grant", &id, err);
    if (rc == GS_OK)
        rc = registry_grant_revoke(rq->store, &rq->actor, id, rq->now, err);
    if (rc == GS_OK)
        request_reply(rq, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "revoked"));
    return rc;
}

const struct route api_routes[] = {
    {"GET", "/api/v1/health", api_health, false, false},
    {"POST", "/api/v1/login", api_login, false, true},
    {"POST", "/api/v1/logout", api_logout, true, false},
    {"GET", "/api/v1/me", api_me, true, false},
    {"GET", "/api/v1/datasets", api_datasets, false, false},
    {"GET", "/api/v1/datasets/*", api_dataset, false, false},
    {"POST", "/api/v1/records", api_record_add, true, false},
    {"GET", "/api/v1/records/*", api_record_get, false, false},
    {"POST", "/api/v1/tokens", api_token_create, true, false},
    {"DELETE", "/api/v1/tokens/*", api_token_revoke, true, false},
    {"POST", "/api/v1/grants", api_grant_add, true, false},
    {"DELETE", "/api/v1/grants/*", api_grant_revoke, true, false},
};
const size_t api_route_count = sizeof api_routes / sizeof api_routes[0];
