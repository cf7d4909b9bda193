/* visibility.c — the per-submission visibility rule and its dataset cache (see
 * visibility.h and search.h). */
#include "variants/visibility.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"

void visibility_init(struct visibility *v, struct store *s, const struct principal *who,
                     time_t now, bool curation)
{
    memset(v, 0, sizeof *v);
    v->s = s;
    v->who = who;
    v->now = now;
    v->curation = curation;
}

void visibility_free(struct visibility *v)
{
    free(v->ds);
    memset(v, 0, sizeof *v);
}

int visibility_dataset(struct visibility *v, int64_t dataset_id, struct visibility_dataset **out,
                       struct gs_err *err)
{
    for (int i = 0; i < v->n; i++)
        if (v->ds[i].d.id == dataset_id) {
            *out = &v->ds[i];
            return GS_OK;
        }
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 8;
        struct visibility_dataset *p = realloc(v->ds, (size_t)cap * sizeof *p);
        if (p == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory");
        v->ds = p;
        v->cap = cap;
    }
    struct visibility_dataset *e = &v->ds[v->n];
    memset(e, 0, sizeof *e);
    int rc = store_dataset_get(v->s, dataset_id, &e->d, err);
    if (rc != GS_OK)
        return rc;
    struct access_decision dec = {false, ""};
    if ((rc = access_check_read(v->s, v->who, &e->d, 0, SCOPE_INTERNATIONAL, v->now, &dec, err)) !=
        GS_OK)
        return rc;
    e->readable = dec.allowed;
    v->n++;
    *out = e;
    return GS_OK;
}

int visibility_submission(struct visibility *v, int64_t dataset_id, int64_t institution_id,
                          enum variant_state state, bool mark, bool *out, struct gs_err *err)
{
    struct visibility_dataset *e;
    int rc = visibility_dataset(v, dataset_id, &e, err);
    if (rc != GS_OK)
        return rc;
    bool seen = v->who->is_operator;
    if (!seen && e->readable)
        seen = state == VARIANT_ACCEPTED ||
               (v->who->user_id != 0 && v->who->institution_id == institution_id) ||
               (v->curation && state == VARIANT_PENDING && (v->who->roles & ROLE_CURATOR));
    if (seen && mark)
        e->shown = true;
    *out = seen;
    return GS_OK;
}

int visibility_audit(struct visibility *v, const struct actor *by, const char *what,
                     struct gs_err *err)
{
    char detail[STORE_AUDIT_TEXT_MAX];
    size_t len = 0;
    for (int i = 0; i < v->n; i++) {
        if (!v->ds[i].shown || v->ds[i].d.tier == TIER_OPEN)
            continue;
        int w = snprintf(detail + len, sizeof detail - len, "%s%s", len ? "," : "datasets ",
                         v->ds[i].d.name);
        if (w < 0 || (size_t)w >= sizeof detail - len)
            break;
        len += (size_t)w;
    }
    if (len == 0)
        return GS_OK;
    struct audit_event ev = {"variant.read", what, detail};
    return audit_record(v->s, by, &ev, v->now, err);
}
