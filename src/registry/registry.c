/* registry.c — validated, audited, transactional writes and access-checked reads. */
#include "registry/registry.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "access/auth.h"
#include "core/parse.h"

/* Commits the open transaction with its audit row if rc is GS_OK, else rolls back. */
static int finish(struct store *s, int rc, const struct actor *by, const struct audit_event *ev,
                  struct gs_err *err)
{
    return audit_commit(s, rc, by, ev, time(NULL), err);
}

static int check_name(const char *what, const char *name, struct gs_err *err)
{
    if (!parse_is_name(name))
        return gs_err_set(err, GS_EINVAL, "%s name '%.64s' is not valid (1-64 of A-Z a-z 0-9 . _ -,"
                          " starting with a letter or digit)", what, name ? name : "");
    return GS_OK;
}

static int check_text(const char *what, const char *text, struct gs_err *err)
{
    return parse_check_line(what, text, true, STORE_TEXT_MAX, err);
}

int registry_institution_add(struct store *s, const struct actor *by, const char *name,
                             const char *display_name, const char *country, int64_t *id_out,
                             struct gs_err *err)
{
    int rc;
    if ((rc = check_name("institution", name, err)) != GS_OK ||
        (rc = check_text("institution display name", display_name, err)) != GS_OK)
        return rc;
    if (country == NULL || strlen(country) != 2 || !isupper((unsigned char)country[0]) ||
        !isupper((unsigned char)country[1]))
        return gs_err_set(err, GS_EINVAL, "country '%.16s' is not an ISO 3166-1 alpha-2 code "
                          "such as JP", country ? country : "");
    struct store_institution in = {0};
    snprintf(in.name, sizeof in.name, "%s", name);
    snprintf(in.display_name, sizeof in.display_name, "%s", display_name);
    memcpy(in.country, country, 3);
    char object[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "institution:%s", name);
    struct audit_event ev = {"institution.add", object, country};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    return finish(s, store_institution_insert(s, &in, id_out, err), by, &ev, err);
}

int registry_user_add(struct store *s, const struct actor *by, const char *name,
                      const char *display_name, const char *institution, unsigned roles,
                      const char *password, int64_t *id_out, struct gs_err *err)
{
    int rc;
    if ((rc = check_name("user", name, err)) != GS_OK ||
        (rc = check_text("user display name", display_name, err)) != GS_OK)
        return rc;
    struct store_user u = {0};
    snprintf(u.name, sizeof u.name, "%s", name);
    snprintf(u.display_name, sizeof u.display_name, "%s", display_name);
    u.roles = roles & ROLE_ALL;
    if (password != NULL && (rc = auth_password_hash(password, u.password_hash,
                                                                  err)) != GS_OK)
        return rc;
    struct store_institution inst;
    if ((rc = store_institution_by_name(s, institution, &inst, err)) != GS_OK)
        return rc;
    u.institution_id = inst.id;
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX], roles_text[64];
    roles_format(u.roles, roles_text, sizeof roles_text);
    snprintf(object, sizeof object, "user:%s", name);
    snprintf(detail, sizeof detail, "institution=%s roles=%s", institution, roles_text);
    struct audit_event ev = {"user.add", object, detail};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    return finish(s, store_user_insert(s, &u, id_out, err), by, &ev, err);
}

int registry_user_set_password(struct store *s, const struct actor *by, const char *name,
                               const char *password, struct gs_err *err)
{
    char hash[STORE_HASH_MAX];
    struct store_user u;
    int rc = store_user_by_name(s, name, &u, err);
    if (rc != GS_OK || (rc = auth_password_hash(password, hash, err)) != GS_OK)
        return rc;
    char object[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "user:%s", name);
    struct audit_event ev = {"user.password", object, "password set"};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    return finish(s, store_user_set_password(s, u.id, hash, err), by, &ev, err);
}

int registry_user_set_roles(struct store *s, const struct actor *by, const char *name,
                            unsigned roles, struct gs_err *err)
{
    struct store_user u;
    int rc = store_user_by_name(s, name, &u, err);
    if (rc != GS_OK)
        return rc;
    char object[STORE_TEXT_MAX], roles_text[64];
    roles_format(roles & ROLE_ALL, roles_text, sizeof roles_text);
    snprintf(object, sizeof object, "user:%s", name);
    struct audit_event ev = {"user.roles", object, roles_text};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    return finish(s, store_user_set_roles(s, u.id, roles & ROLE_ALL, err), by, &ev, err);
}

int registry_consortium_add(struct store *s, const struct actor *by, const char *name,
                            const char *title, int64_t *id_out, struct gs_err *err)
{
    int rc;
    if ((rc = check_name("consortium", name, err)) != GS_OK ||
        (rc = check_text("consortium title", title, err)) != GS_OK)
        return rc;
    struct store_consortium c = {0};
    snprintf(c.name, sizeof c.name, "%s", name);
    snprintf(c.title, sizeof c.title, "%s", title);
    char object[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "consortium:%s", name);
    struct audit_event ev = {"consortium.add", object, title};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    return finish(s, store_consortium_insert(s, &c, id_out, err), by, &ev, err);
}

int registry_consortium_join(struct store *s, const struct actor *by, const char *consortium,
                             const char *institution, const char *user, struct gs_err *err)
{
    if ((institution == NULL) == (user == NULL))
        return gs_err_set(err, GS_EUSAGE, "name exactly one of an institution or a user to join");
    struct store_consortium c;
    int rc = store_consortium_by_name(s, consortium, &c, err);
    if (rc != GS_OK)
        return rc;
    int64_t member = 0;
    if (institution != NULL) {
        struct store_institution inst;
        rc = store_institution_by_name(s, institution, &inst, err);
        member = inst.id;
    } else {
        struct store_user u;
        rc = store_user_by_name(s, user, &u, err);
        member = u.id;
    }
    if (rc != GS_OK)
        return rc;
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "consortium:%s", consortium);
    snprintf(detail, sizeof detail, "%s:%s", institution ? "institution" : "user",
             institution ? institution : user);
    struct audit_event ev = {"consortium.join", object, detail};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    rc = institution ? store_consortium_add_institution(s, c.id, member, err)
                     : store_consortium_add_user(s, c.id, member, err);
    return finish(s, rc, by, &ev, err);
}

int registry_dataset_add(struct store *s, const struct actor *by, const char *name,
                         const char *title, enum tier tier, enum data_type data_type,
                         const char *institution, const char *consortium, int64_t *id_out,
                         struct gs_err *err)
{
    int rc;
    if ((rc = check_name("dataset", name, err)) != GS_OK ||
        (rc = check_text("dataset title", title, err)) != GS_OK)
        return rc;
    if (tier == TIER_RESTRICTED && consortium == NULL)
        return gs_err_set(err, GS_EINVAL, "a restricted dataset needs a consortium "
                          "(--consortium NAME): only its members may read it");
    struct store_dataset d = {0};
    snprintf(d.name, sizeof d.name, "%s", name);
    snprintf(d.title, sizeof d.title, "%s", title);
    d.tier = tier;
    d.data_type = data_type;
    struct store_institution inst;
    if ((rc = store_institution_by_name(s, institution, &inst, err)) != GS_OK)
        return rc;
    d.institution_id = inst.id;
    if (consortium != NULL) {
        struct store_consortium c;
        if ((rc = store_consortium_by_name(s, consortium, &c, err)) != GS_OK)
            return rc;
        d.consortium_id = c.id;
    }
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "dataset:%s", name);
    snprintf(detail, sizeof detail, "tier=%s data_type=%s institution=%s consortium=%s",
             tier_name(tier), data_type_name(data_type), institution,
             consortium ? consortium : "-");
    struct audit_event ev = {"dataset.add", object, detail};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    return finish(s, store_dataset_insert(s, &d, id_out, err), by, &ev, err);
}

#define RECORD_CONTENT_MAX (1 << 20)

int registry_check_writer(struct store *s, const struct principal *w,
                          const struct store_dataset *d, const char *what, struct gs_err *err)
{
    if (w->is_operator)
        return GS_OK;
    if (w->user_id == 0)
        return gs_err_set(err, GS_EAUTH, "sign in to submit %s", what);
    if (!(w->roles & ROLE_SUBMITTER))
        return gs_err_set(err, GS_EFORBIDDEN, "the submitter role is needed to add %s", what);
    if (w->institution_id == d->institution_id)
        return GS_OK;
    bool member = false;
    int rc = GS_OK;
    if (d->tier == TIER_RESTRICTED)
        rc = store_consortium_has_member(s, d->consortium_id, w->user_id, &member, err);
    if (rc != GS_OK)
        return rc;
    if (!member)
        return gs_err_set(err, GS_EFORBIDDEN, "only the dataset's institution%s may add %s to "
                          "'%s'", d->tier == TIER_RESTRICTED ? " and consortium" : "", what,
                          d->name);
    return GS_OK;
}

int registry_record_add(struct store *s, const struct actor *by, const struct principal *writer,
                        const struct registry_record_input *in, int64_t *id_out,
                        struct gs_err *err)
{
    int rc = check_text("record label", in->label, err);
    if (rc != GS_OK)
        return rc;
    const char *content = in->content ? in->content : "{}";
    if (strlen(content) > RECORD_CONTENT_MAX)
        return gs_err_set(err, GS_ETOOBIG, "record content is larger than %d bytes",
                          RECORD_CONTENT_MAX);
    json_error_t jerr;
    json_t *doc = json_loads(content, JSON_REJECT_DUPLICATES, &jerr);
    bool is_object = json_is_object(doc);
    json_decref(doc);
    if (doc == NULL)
        return gs_err_set(err, GS_EINVAL, "record content is not JSON: line %d, column %d: %s",
                          jerr.line, jerr.column, jerr.text);
    if (!is_object)
        return gs_err_set(err, GS_EINVAL, "record content must be a JSON object");
    struct store_dataset d;
    if ((rc = store_dataset_by_name(s, in->dataset, &d, err)) != GS_OK ||
        (rc = registry_check_writer(s, writer, &d, "records", err)) != GS_OK)
        return rc;
    struct store_record r = {0};
    r.dataset_id = d.id;
    r.scope = in->scope;
    snprintf(r.label, sizeof r.label, "%s", in->label);
    r.content = (char *)content;
    r.institution_id = writer->institution_id;
    if (writer->is_operator) {
        struct store_institution inst;
        if (in->institution == NULL)
            r.institution_id = d.institution_id;
        else if ((rc = store_institution_by_name(s, in->institution, &inst, err)) != GS_OK)
            return rc;
        else
            r.institution_id = inst.id;
    }
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    int64_t id = 0;
    rc = store_record_insert(s, &r, &id, err);
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "record:%lld", (long long)id);
    snprintf(detail, sizeof detail, "dataset=%s scope=%s label=%.100s", d.name,
             scope_name(r.scope), r.label);
    struct audit_event ev = {"record.add", object, detail};
    rc = finish(s, rc, by, &ev, err);
    if (rc == GS_OK && id_out != NULL)
        *id_out = id;
    return rc;
}

int registry_record_read(struct store *s, const struct principal *p, const struct actor *by,
                         int64_t id, time_t now, struct store_record *rec,
                         struct store_dataset *dataset, struct gs_err *err)
{
    struct gs_err inner = {0};
    int rc = store_record_get(s, id, rec, &inner);
    if (rc == GS_ENOTFOUND)
        return gs_err_set(err, rc, "no record with id %lld", (long long)id);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    struct access_decision verdict;
    if ((rc = store_dataset_get(s, rec->dataset_id, dataset, err)) != GS_OK ||
        (rc = access_check_read(s, p, dataset, rec->institution_id, rec->scope, now, &verdict,
                                err)) != GS_OK) {
        store_record_clear(rec);
        return rc;
    }
    if (dataset->tier != TIER_OPEN || rec->scope != SCOPE_INTERNATIONAL) {
        char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX];
        snprintf(object, sizeof object, "record:%lld", (long long)id);
        snprintf(detail, sizeof detail, "dataset=%s tier=%s scope=%s: %s", dataset->name,
                 tier_name(dataset->tier), scope_name(rec->scope), verdict.reason);
        struct audit_event ev = {verdict.allowed ? "record.read" : "record.read.denied", object,
                                 detail};
        if ((rc = audit_record(s, by, &ev, now, err)) != GS_OK) {
            store_record_clear(rec);
            return rc;
        }
    }
    if (!verdict.allowed) {
        store_record_clear(rec);
        return gs_err_set(err, GS_ENOTFOUND, "no record with id %lld", (long long)id);
    }
    return GS_OK;
}

int registry_grant_add(struct store *s, const struct actor *by, const char *dataset,
                       const char *user, time_t expires_at, time_t now, int64_t *id_out,
                       struct gs_err *err)
{
    struct store_dataset d;
    struct store_user u;
    int rc = store_dataset_by_name(s, dataset, &d, err);
    if (rc != GS_OK || (rc = store_user_by_name(s, user, &u, err)) != GS_OK)
        return rc;
    if (d.tier != TIER_CONTROLLED)
        return gs_err_set(err, GS_EINVAL, "dataset '%s' is %s: grants apply to controlled "
                          "datasets only", dataset, tier_name(d.tier));
    if (expires_at <= now)
        return gs_err_set(err, GS_EINVAL, "a grant must expire in the future");
    struct store_grant g = {0};
    g.dataset_id = d.id;
    g.user_id = u.id;
    g.created_at = now;
    g.expires_at = expires_at;
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX], until[21];
    format_utc_time(expires_at, until);
    snprintf(object, sizeof object, "dataset:%s", dataset);
    snprintf(detail, sizeof detail, "user=%s until=%s", user, until);
    struct audit_event ev = {"grant.add", object, detail};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    return finish(s, store_grant_insert(s, &g, id_out, err), by, &ev, err);
}

int registry_grant_revoke(struct store *s, const struct actor *by, int64_t grant_id, time_t now,
                          struct gs_err *err)
{
    struct store_grant g;
    int rc = store_grant_get(s, grant_id, &g, err);
    if (rc != GS_OK)
        return rc;
    if (g.revoked_at != 0)
        return gs_err_set(err, GS_ECONFLICT, "grant %lld is already revoked", (long long)grant_id);
    char object[64];
    snprintf(object, sizeof object, "grant:%lld", (long long)grant_id);
    struct audit_event ev = {"grant.revoke", object, ""};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    return finish(s, store_grant_revoke(s, grant_id, now, err), by, &ev, err);
}
