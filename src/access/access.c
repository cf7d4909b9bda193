/* access.c — the access decision and the facts it needs. */
#include "access/access.h"

#include <stdio.h>
#include <string.h>

void principal_anonymous(struct principal *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "anonymous");
}

void principal_operator(struct principal *p)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "operator");
    p->is_operator = true;
}

void principal_peer(struct principal *p, int64_t peer_id, const char *name, bool domestic)
{
    memset(p, 0, sizeof *p);
    snprintf(p->name, sizeof p->name, "peer:%.58s", name);
    p->peer_id = peer_id;
    p->peer_domestic = domestic;
}

static int principal_from(struct store *s, const struct store_user *u, struct principal *p,
                          struct gs_err *err)
{
    if (u->disabled)
        return gs_err_set(err, GS_EAUTH, "account '%s' is disabled", u->name);
    struct store_institution inst;
    int rc = store_institution_get(s, u->institution_id, &inst, err);
    if (rc != GS_OK)
        return rc;
    memset(p, 0, sizeof *p);
    p->user_id = u->id;
    snprintf(p->name, sizeof p->name, "%s", u->name);
    p->institution_id = u->institution_id;
    memcpy(p->country, inst.country, sizeof p->country);
    p->roles = u->roles;
    return GS_OK;
}

int principal_for_user(struct store *s, int64_t user_id, struct principal *p, struct gs_err *err)
{
    struct store_user u;
    int rc = store_user_get(s, user_id, &u, err);
    return rc != GS_OK ? rc : principal_from(s, &u, p, err);
}

int principal_for_name(struct store *s, const char *name, struct principal *p, struct gs_err *err)
{
    struct store_user u;
    int rc = store_user_by_name(s, name, &u, err);
    return rc != GS_OK ? rc : principal_from(s, &u, p, err);
}

static struct access_decision decision(bool allowed, const char *reason)
{
    struct access_decision d = {allowed, reason};
    return d;
}

struct access_decision access_decide(const struct access_facts *f)
{
    if (f->is_operator)
        return decision(true, "local operator");
    if (f->peer) {
        if (f->tier != TIER_OPEN)
            return decision(false, "peer node: only open-tier datasets are shared with peers");
        if (f->scope == SCOPE_INTERNATIONAL)
            return decision(true, "peer node, scope international");
        if (f->scope == SCOPE_DOMESTIC && f->peer_domestic)
            return decision(true, "domestic peer node, scope domestic");
        return decision(false, f->scope == SCOPE_DOMESTIC
                                   ? "scope domestic: the peer node is international"
                                   : "scope private: never shared with peer nodes");
    }

    const char *tier_reason;
    if (f->tier == TIER_OPEN)
        tier_reason = "open data";
    else if (f->anonymous)
        return decision(false, "sign-in required for non-open data");
    else if (f->dataset_institution)
        tier_reason = "dataset's own institution";
    else if (f->tier == TIER_RESTRICTED && f->consortium_member)
        tier_reason = "consortium member";
    else if (f->tier == TIER_CONTROLLED && f->grant_active)
        tier_reason = "active access grant";
    else if (f->tier == TIER_RESTRICTED)
        return decision(false, "restricted: not a member of the dataset's consortium");
    else
        return decision(false, "controlled: no active access grant");

    switch (f->scope) {
    case SCOPE_INTERNATIONAL:
        return decision(true, tier_reason);
    case SCOPE_DOMESTIC:
        if (!f->anonymous && f->record_country)
            return decision(true, tier_reason);
        return decision(false, "scope domestic: caller's institution is in another country");
    case SCOPE_PRIVATE:
        if (!f->anonymous && f->record_institution)
            return decision(true, tier_reason);
        return decision(false, "scope private: caller is not at the record's institution");
    }
    return decision(false, "unknown scope");
}

int access_check_read(struct store *s, const struct principal *p, const struct store_dataset *d,
                      int64_t record_institution_id, enum scope scope, time_t now,
                      struct access_decision *out, struct gs_err *err)
{
    struct access_facts f;
    memset(&f, 0, sizeof f);
    f.tier = d->tier;
    f.scope = scope;
    f.is_operator = p->is_operator;
    f.peer = p->peer_id > 0;
    f.peer_domestic = f.peer && p->peer_domestic;
    f.anonymous = p->user_id == 0 && !p->is_operator && !f.peer;
    int rc = GS_OK;
    if (!f.anonymous && !f.is_operator && !f.peer) {
        f.dataset_institution = p->institution_id == d->institution_id;
        if (d->tier == TIER_RESTRICTED && d->consortium_id != 0)
            rc = store_consortium_has_member(s, d->consortium_id, p->user_id,
                                             &f.consortium_member, err);
        if (rc == GS_OK && d->tier == TIER_CONTROLLED)
            rc = store_grant_active(s, d->id, p->user_id, now, &f.grant_active, err);
        if (rc == GS_OK && scope != SCOPE_INTERNATIONAL && record_institution_id != 0) {
            f.record_institution = p->institution_id == record_institution_id;
            struct store_institution inst;
            rc = store_institution_get(s, record_institution_id, &inst, err);
            if (rc == GS_OK)
                f.record_country = strcmp(inst.country, p->country) == 0;
        }
    }
    if (rc != GS_OK)
        return rc;
    *out = access_decide(&f);
    return GS_OK;
}
