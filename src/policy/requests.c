/* requests.c — the access-request workflow (requests.h): the transition table, who may
 * act, the transactional writes with their history and audit rows, the expiry sweep, the
 * JSON views, and the demo data (requests_demo_fill). */
#include "policy/requests.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "policy/policy_demo.h"

/* ---- states and the transition table ---- */

static const char *const state_names[REQUEST_STATE_COUNT] = {
    "draft", "submitted", "approved", "rejected", "withdrawn", "expired", "revoked",
};
static const char *const event_names[REQUEST_EVENT_COUNT] = {
    "submit", "withdraw", "approve", "reject", "expire", "revoke",
};

/* transitions[from][event]: the state reached, or -1 when the event is refused. */
#define NO (-1)
static const signed char transitions[REQUEST_STATE_COUNT][REQUEST_EVENT_COUNT] = {
    /*              submit             withdraw           approve            reject             expire           revoke */
    [REQUEST_DRAFT] = {REQUEST_SUBMITTED, REQUEST_WITHDRAWN, NO, NO, NO, NO},
    [REQUEST_SUBMITTED] = {NO, REQUEST_WITHDRAWN, REQUEST_APPROVED, REQUEST_REJECTED, NO, NO},
    [REQUEST_APPROVED] = {NO, NO, NO, NO, REQUEST_EXPIRED, REQUEST_REVOKED},
    [REQUEST_REJECTED] = {NO, NO, NO, NO, NO, NO},
    [REQUEST_WITHDRAWN] = {NO, NO, NO, NO, NO, NO},
    [REQUEST_EXPIRED] = {NO, NO, NO, NO, NO, NO},
    [REQUEST_REVOKED] = {NO, NO, NO, NO, NO, NO},
};

const char *request_state_name(enum request_state s)
{
    return (unsigned)s < REQUEST_STATE_COUNT ? state_names[s] : "?";
}

const char *request_event_name(enum request_event e)
{
    return (unsigned)e < REQUEST_EVENT_COUNT ? event_names[e] : "?";
}

int request_state_parse(const char *text, enum request_state *out, struct gs_err *err)
{
    for (int i = 0; text != NULL && i < REQUEST_STATE_COUNT; i++) {
        if (strcmp(text, state_names[i]) == 0) {
            *out = (enum request_state)i;
            return GS_OK;
        }
    }
    return gs_err_set(err, GS_EINVAL, "state '%.32s' is not one of draft, submitted, approved, "
                      "rejected, withdrawn, expired, revoked", text ? text : "");
}

int request_transition(enum request_state from, enum request_event ev, enum request_state *to,
                       struct gs_err *err)
{
    if ((unsigned)from >= REQUEST_STATE_COUNT || (unsigned)ev >= REQUEST_EVENT_COUNT ||
        transitions[from][ev] == NO)
        return gs_err_set(err, GS_ECONFLICT, "cannot %s a request that is %s",
                          request_event_name(ev), request_state_name(from));
    *to = (enum request_state)transitions[from][ev];
    return GS_OK;
}

enum request_state request_effective_state(enum request_state stored, time_t approved_until,
                                           time_t now)
{
    if (stored == REQUEST_APPROVED && approved_until != 0 && approved_until <= now)
        return REQUEST_EXPIRED;
    return stored;
}

/* ---- shared helpers ---- */

static int check_free_text(const char *what, const char *text, size_t max, bool required,
                           struct gs_err *err)
{
    if (text == NULL || text[0] == '\0')
        return required ? gs_err_set(err, GS_EINVAL, "%s is empty", what) : GS_OK;
    if (strlen(text) >= max)
        return gs_err_set(err, GS_EINVAL, "%s is longer than %zu bytes", what, max - 1);
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 && *p != '\n' && *p != '\t')
            return gs_err_set(err, GS_EINVAL, "%s contains a control character", what);
    return GS_OK;
}

static bool is_admin(const struct principal *who)
{
    return who->is_operator || (who->roles & ROLE_ADMIN);
}

static bool may_review_at_all(const struct principal *who)
{
    return who->is_operator || (who->roles & (ROLE_DAC | ROLE_ADMIN));
}

/* Commits with the caller's history and audit rows already written, or rolls back. */
static int finish(struct store *s, int rc, struct gs_err *err)
{
    if (rc == GS_OK)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

/* One history entry and its audit row `request.<audit_state>` (or the action given). */
/* The history entry is dated event_at (the moment it took effect: for an expiry, the end
 * of the period), the audit row now. */
static int record_step(struct store *s, const struct actor *by, int64_t id, const char *action,
                       const char *state, const char *audit_action, const char *comment,
                       const char *detail, time_t now, time_t event_at, struct gs_err *err)
{
    struct store_request_event ev = {0};
    ev.request_id = id;
    ev.at = event_at;
    snprintf(ev.actor, sizeof ev.actor, "%s", by && by->name ? by->name : "unknown");
    snprintf(ev.action, sizeof ev.action, "%s", action);
    snprintf(ev.state, sizeof ev.state, "%s", state);
    snprintf(ev.comment, sizeof ev.comment, "%s", comment ? comment : "");
    int rc = store_request_event_add(s, &ev, err);
    if (rc != GS_OK)
        return rc;
    char object[64], text[STORE_AUDIT_TEXT_MAX];
    snprintf(object, sizeof object, "request:%lld", (long long)id);
    bool has_detail = detail && detail[0], has_comment = comment && comment[0];
    snprintf(text, sizeof text, "%s%s%.600s", has_detail ? detail : "",
             has_comment ? (has_detail ? " comment=" : "comment=") : "",
             has_comment ? comment : "");
    struct audit_event ae = {audit_action, object, text};
    return audit_append(s, by, &ae, now, err);
}

static int count_one(void *ctx, const struct store_dac_member *m)
{
    (void)m;
    (*(int *)ctx)++;
    return 0;
}

static int require_committee(struct store *s, int64_t dataset_id, const char *name,
                             struct gs_err *err)
{
    int n = 0;
    int rc = store_dac_each(s, dataset_id, count_one, &n, err);
    if (rc == GS_OK && n == 0)
        rc = gs_err_set(err, GS_ECONFLICT, "dataset '%s' has no data-access committee yet: an "
                        "administrator adds one with genoshare access dac add", name);
    return rc;
}

/* ---- a request as one principal sees it ---- */

struct loaded {
    struct store_request r;
    enum request_state stored, state; /* state: effective at now */
    struct store_request_dataset ds[REQUEST_DATASETS_MAX];
    bool on_dac[REQUEST_DATASETS_MAX]; /* who sits on that dataset's committee (with the role) */
    int nds;
    bool requester, committee, admin;
};

static int collect_dataset(void *ctx, const struct store_request_dataset *d)
{
    struct loaded *l = ctx;
    if (l->nds < REQUEST_DATASETS_MAX)
        l->ds[l->nds++] = *d;
    return 0;
}

/* Loads request id for who; GS_ENOTFOUND (one message for missing and invisible). */
static int load(struct store *s, const struct principal *who, int64_t id, time_t now,
                struct loaded *l, struct gs_err *err)
{
    memset(l, 0, sizeof *l);
    struct gs_err inner = {0};
    int rc = store_request_get(s, id, &l->r, &inner);
    if (rc == GS_ENOTFOUND)
        return gs_err_set(err, rc, "no access request with id %lld", (long long)id);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    if ((rc = request_state_parse(l->r.state, &l->stored, err)) != GS_OK)
        return gs_err_set(err, GS_ECORRUPT, "access request %lld has state '%s'", (long long)id,
                          l->r.state);
    l->state = request_effective_state(l->stored, l->r.approved_until, now);
    if ((rc = store_request_dataset_each(s, id, collect_dataset, l, err)) != GS_OK)
        return rc;
    l->requester = who->user_id != 0 && who->user_id == l->r.user_id;
    l->admin = is_admin(who);
    for (int i = 0; i < l->nds && who->user_id != 0 && (who->roles & ROLE_DAC); i++) {
        if ((rc = store_dac_is_member(s, l->ds[i].dataset_id, who->user_id, &l->on_dac[i],
                                      err)) != GS_OK)
            return rc;
        l->committee |= l->on_dac[i];
    }
    /* A draft is the requester's own until submitted: committees see it from then on. */
    bool draft_hidden = l->stored == REQUEST_DRAFT && !l->requester && !l->admin;
    if ((!l->requester && !l->committee && !l->admin) || draft_hidden)
        return gs_err_set(err, GS_ENOTFOUND, "no access request with id %lld", (long long)id);
    return GS_OK;
}

/* The conflicts of one dataset's terms with the request's purpose. */
static int dataset_conflicts(struct store *s, const struct store_request *r, int64_t dataset_id,
                             char terms[STORE_DUO_MAX], struct duo_conflicts *out,
                             struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    struct gs_err ignored = {0};
    int rc = store_dataset_duo_get(s, dataset_id, terms, &ignored);
    if (rc == GS_ENOTFOUND) {
        out->n = 1;
        snprintf(out->items[0].term, sizeof out->items[0].term, "-");
        snprintf(out->items[0].why, sizeof out->items[0].why, "the dataset has no DUO terms "
                 "recorded: check its consent documents by hand");
        return GS_OK;
    }
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", ignored.msg);
    struct duo_terms dt, rt;
    if (duo_parse(terms, DUO_FOR_DATASET, &dt, &ignored) != GS_OK ||
        duo_parse(r->duo, DUO_FOR_REQUEST, &rt, &ignored) != GS_OK)
        return gs_err_set(err, GS_ECORRUPT, "stored DUO terms do not parse: %s", ignored.msg);
    duo_compare(&dt, &rt, r->commercial, out);
    return GS_OK;
}

/* ---- committees and dataset terms ---- */

int requests_dac_add(struct store *s, const struct actor *by, const char *dataset,
                     const char *user, time_t now, struct gs_err *err)
{
    struct store_dataset d;
    struct store_user u;
    int rc = store_dataset_by_name(s, dataset, &d, err);
    if (rc != GS_OK || (rc = store_user_by_name(s, user, &u, err)) != GS_OK)
        return rc;
    if (d.tier != TIER_CONTROLLED)
        return gs_err_set(err, GS_EINVAL, "dataset '%s' is %s: data-access committees review "
                          "requests for controlled datasets", dataset, tier_name(d.tier));
    if (!(u.roles & ROLE_DAC))
        return gs_err_set(err, GS_EINVAL, "user '%s' does not hold the dac role (genoshare user "
                          "roles %s --roles …,dac)", user, user);
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "dataset:%s", dataset);
    snprintf(detail, sizeof detail, "user=%s", user);
    struct audit_event ev = {"dac.add", object, detail};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    rc = store_dac_add(s, d.id, u.id, now, err);
    if (rc == GS_OK)
        rc = audit_append(s, by, &ev, now, err);
    return finish(s, rc, err);
}

int requests_dac_remove(struct store *s, const struct actor *by, const char *dataset,
                        const char *user, struct gs_err *err)
{
    struct store_dataset d;
    struct store_user u;
    int rc = store_dataset_by_name(s, dataset, &d, err);
    if (rc != GS_OK || (rc = store_user_by_name(s, user, &u, err)) != GS_OK)
        return rc;
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "dataset:%s", dataset);
    snprintf(detail, sizeof detail, "user=%s", user);
    struct audit_event ev = {"dac.remove", object, detail};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    rc = store_dac_remove(s, d.id, u.id, err);
    if (rc == GS_OK)
        rc = audit_append(s, by, &ev, time(NULL), err);
    return finish(s, rc, err);
}

int requests_duo_set(struct store *s, const struct actor *by, const char *dataset,
                     const char *terms, time_t now, struct gs_err *err)
{
    struct duo_terms t;
    struct store_dataset d;
    int rc = duo_parse(terms, DUO_FOR_DATASET, &t, err);
    if (rc != GS_OK || (rc = store_dataset_by_name(s, dataset, &d, err)) != GS_OK)
        return rc;
    char canonical[DUO_TEXT_MAX], object[STORE_TEXT_MAX];
    duo_format(&t, canonical, sizeof canonical);
    snprintf(object, sizeof object, "dataset:%s", dataset);
    struct audit_event ev = {"duo.set", object, canonical};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    rc = store_dataset_duo_set(s, d.id, canonical, now, err);
    if (rc == GS_OK)
        rc = audit_append(s, by, &ev, now, err);
    return finish(s, rc, err);
}

/* ---- the workflow ---- */

int requests_create(struct store *s, const struct actor *by, const struct principal *who,
                    int64_t requester_id, const struct request_input *in, time_t now,
                    int64_t *id_out, struct gs_err *err)
{
    if (!who->is_operator && (who->user_id == 0 || who->user_id != requester_id))
        return gs_err_set(err, GS_EFORBIDDEN, "you may file access requests for yourself only");
    if (in->ndatasets < 1 || in->ndatasets > REQUEST_DATASETS_MAX)
        return gs_err_set(err, GS_EINVAL, "name 1 to %d datasets", REQUEST_DATASETS_MAX);
    struct duo_terms purpose;
    int rc = check_free_text("research purpose", in->purpose, STORE_REQUEST_PURPOSE_MAX, true, err);
    if (rc == GS_OK)
        rc = duo_parse(in->duo, DUO_FOR_REQUEST, &purpose, err);
    if (rc == GS_OK)
        rc = duo_check_purpose(&purpose, in->commercial, err);
    if (rc != GS_OK)
        return rc;
    if (in->from >= in->until)
        return gs_err_set(err, GS_EINVAL, "the requested period must end after it starts");
    if (in->until <= now)
        return gs_err_set(err, GS_EINVAL, "the requested period has already ended");
    struct store_user u;
    if ((rc = store_user_get(s, requester_id, &u, err)) != GS_OK)
        return rc;
    int64_t ids[REQUEST_DATASETS_MAX];
    for (int i = 0; i < in->ndatasets; i++) {
        struct store_dataset d;
        if ((rc = store_dataset_by_name(s, in->datasets[i], &d, err)) != GS_OK)
            return rc;
        if (d.tier != TIER_CONTROLLED)
            return gs_err_set(err, GS_EINVAL, "dataset '%s' is %s: access requests are for "
                              "controlled datasets", d.name, tier_name(d.tier));
        for (int j = 0; j < i; j++)
            if (ids[j] == d.id)
                return gs_err_set(err, GS_EINVAL, "dataset '%s' is named twice", d.name);
        if (in->submit && (rc = require_committee(s, d.id, d.name, err)) != GS_OK)
            return rc;
        ids[i] = d.id;
    }
    struct store_request r = {0};
    r.user_id = requester_id;
    snprintf(r.purpose, sizeof r.purpose, "%s", in->purpose);
    duo_format(&purpose, r.duo, sizeof r.duo);
    r.commercial = in->commercial;
    r.period_from = in->from;
    r.period_until = in->until;
    r.created_at = now;
    snprintf(r.state, sizeof r.state, "%s", state_names[in->submit ? REQUEST_SUBMITTED
                                                                   : REQUEST_DRAFT]);
    char detail[STORE_AUDIT_TEXT_MAX], from[21], until[21];
    format_utc_time(in->from, from);
    format_utc_time(in->until, until);
    int n = snprintf(detail, sizeof detail, "user=%s duo=%s%s from=%s until=%s datasets=", u.name,
                     r.duo, in->commercial ? " commercial" : "", from, until);
    for (int i = 0; i < in->ndatasets && n > 0 && (size_t)n < sizeof detail; i++)
        n += snprintf(detail + n, sizeof detail - (size_t)n, "%s%s", i ? "," : "",
                      in->datasets[i]);
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    int64_t id = 0;
    rc = store_request_insert(s, &r, &id, err);
    for (int i = 0; rc == GS_OK && i < in->ndatasets; i++)
        rc = store_request_dataset_add(s, id, ids[i], err);
    if (rc == GS_OK)
        rc = record_step(s, by, id, "create", "draft", "request.draft", NULL, detail, now, now,
                         err);
    if (rc == GS_OK && in->submit)
        rc = record_step(s, by, id, "submit", "submitted", "request.submitted", NULL, "", now,
                         now, err);
    if ((rc = finish(s, rc, err)) == GS_OK && id_out != NULL)
        *id_out = id;
    return rc;
}

/* The requester's own moves (submit, withdraw): the requester or the operator. */
static int requester_step(struct store *s, const struct actor *by, const struct principal *who,
                          int64_t id, enum request_event ev, const char *comment, time_t now,
                          struct gs_err *err)
{
    struct loaded l;
    enum request_state to;
    int rc = check_free_text("comment", comment, STORE_REQUEST_COMMENT_MAX, false, err);
    if (rc == GS_OK && (rc = requests_sweep(s, now, err)) == GS_OK)
        rc = load(s, who, id, now, &l, err);
    if (rc != GS_OK)
        return rc;
    if (!l.requester && !who->is_operator)
        return gs_err_set(err, GS_EFORBIDDEN, "only the requester may %s request %lld",
                          request_event_name(ev), (long long)id);
    if ((rc = request_transition(l.state, ev, &to, err)) != GS_OK)
        return gs_err_set(err, rc, "request %lld is %s: it cannot be %s", (long long)id,
                          state_names[l.state], ev == REQUEST_EV_SUBMIT ? "submitted"
                                                                        : "withdrawn");
    if (ev == REQUEST_EV_SUBMIT) {
        if (l.r.period_until <= now)
            return gs_err_set(err, GS_EINVAL, "the requested period has already ended: file a "
                              "new request");
        for (int i = 0; i < l.nds; i++)
            if ((rc = require_committee(s, l.ds[i].dataset_id, l.ds[i].dataset, err)) != GS_OK)
                return rc;
    }
    char audit_action[STORE_NAME_MAX];
    snprintf(audit_action, sizeof audit_action, "request.%s", state_names[to]);
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    rc = store_request_set_state(s, id, l.r.state, state_names[to], 0, now, err);
    if (rc == GS_OK)
        rc = record_step(s, by, id, request_event_name(ev), state_names[to], audit_action,
                         comment, "", now, now, err);
    return finish(s, rc, err);
}

int requests_submit(struct store *s, const struct actor *by, const struct principal *who,
                    int64_t id, time_t now, struct gs_err *err)
{
    return requester_step(s, by, who, id, REQUEST_EV_SUBMIT, NULL, now, err);
}

int requests_withdraw(struct store *s, const struct actor *by, const struct principal *who,
                      int64_t id, const char *comment, time_t now, struct gs_err *err)
{
    return requester_step(s, by, who, id, REQUEST_EV_WITHDRAW, comment, now, err);
}

/* The committee's moves (review, revoke) start alike: the role (403), the request as who
 * sees it (404 unless a reviewer of it), and the transition. */
static int reviewer_load(struct store *s, const struct principal *who, int64_t id,
                         enum request_event ev, time_t now, struct loaded *l, struct gs_err *err)
{
    if (!may_review_at_all(who))
        return gs_err_set(err, GS_EFORBIDDEN, "the dac or admin role is needed to %s access "
                          "requests", ev == REQUEST_EV_REVOKE ? "revoke" : "review");
    int rc = requests_sweep(s, now, err);
    if (rc == GS_OK)
        rc = load(s, who, id, now, l, err);
    if (rc != GS_OK)
        return rc;
    if (!l->committee && !l->admin) /* the requester, not on a committee of it */
        return gs_err_set(err, GS_EFORBIDDEN, "you cannot %s your own access request",
                          request_event_name(ev));
    if (l->requester && ev != REQUEST_EV_REVOKE)
        return gs_err_set(err, GS_EFORBIDDEN, "you cannot review your own access request");
    enum request_state to;
    if ((rc = request_transition(l->state, ev, &to, err)) != GS_OK)
        return gs_err_set(err, rc, "request %lld is %s: it cannot be %s", (long long)id,
                          state_names[l->state], ev == REQUEST_EV_REVOKE ? "revoked"
                                                                         : "reviewed");
    /* Revocation ends every grant of the request: one committee may not end access that
     * another committee granted, so it takes a seat on each dataset's committee (or an
     * admin). */
    for (int i = 0; ev == REQUEST_EV_REVOKE && !l->admin && i < l->nds; i++)
        if (!l->on_dac[i])
            return gs_err_set(err, GS_EFORBIDDEN, "request %lld also grants dataset '%s', whose "
                              "committee you do not sit on: an administrator revokes it",
                              (long long)id, l->ds[i].dataset);
    return GS_OK;
}

struct decided {
    int pending, rejected;
    time_t min_until;
    struct store_request_dataset ds[REQUEST_DATASETS_MAX];
    int n;
};

static int tally(void *ctx, const struct store_request_dataset *d)
{
    struct decided *t = ctx;
    if (strcmp(d->decision, "pending") == 0)
        t->pending++;
    else if (strcmp(d->decision, "rejected") == 0)
        t->rejected++;
    else if (t->min_until == 0 || d->until < t->min_until)
        t->min_until = d->until;
    if (t->n < REQUEST_DATASETS_MAX)
        t->ds[t->n++] = *d;
    return 0;
}

/* Inside the review's transaction: the request becomes approved with one grant per
 * dataset, all ending at the earliest approved end. */
static int approve_all(struct store *s, const struct actor *by, const struct loaded *l,
                       const struct decided *t, const char *comment, time_t now,
                       struct gs_err *err)
{
    int rc = store_request_set_state(s, l->r.id, "submitted", "approved", t->min_until, now, err);
    char until[21], detail[STORE_TEXT_MAX];
    format_utc_time(t->min_until, until);
    for (int i = 0; rc == GS_OK && i < t->n; i++) {
        struct store_grant g = {0};
        int64_t grant_id = 0;
        g.dataset_id = t->ds[i].dataset_id;
        g.user_id = l->r.user_id;
        g.created_at = now;
        g.starts_at = l->r.period_from; /* access begins with the requested period */
        g.expires_at = t->min_until;
        rc = store_request_grant_insert(s, &g, l->r.id, &grant_id, err);
        char object[STORE_TEXT_MAX];
        snprintf(object, sizeof object, "dataset:%s", t->ds[i].dataset);
        snprintf(detail, sizeof detail, "user=%s until=%s request=%lld grant=%lld", l->r.user,
                 until, (long long)l->r.id, (long long)grant_id);
        struct audit_event ev = {"grant.add", object, detail};
        if (rc == GS_OK)
            rc = audit_append(s, by, &ev, now, err);
    }
    snprintf(detail, sizeof detail, "until=%s grants=%d", until, t->n);
    if (rc == GS_OK)
        rc = record_step(s, by, l->r.id, "approve", "approved", "request.approved", comment,
                         detail, now, now, err);
    return rc;
}

int requests_review(struct store *s, const struct actor *by, const struct principal *who,
                    int64_t id, bool approve, const char *comment, time_t until, time_t now,
                    struct gs_err *err)
{
    struct loaded l;
    int rc = check_free_text("comment", comment, STORE_REQUEST_COMMENT_MAX, false, err);
    if (rc == GS_OK)
        rc = reviewer_load(s, who, id, approve ? REQUEST_EV_APPROVE : REQUEST_EV_REJECT, now, &l,
                           err);
    if (rc != GS_OK)
        return rc;
    if (until == 0)
        until = l.r.period_until;
    if (approve && until <= now)
        return gs_err_set(err, GS_EINVAL, "the approved period must end in the future");
    if (approve && until > l.r.period_until)
        return gs_err_set(err, GS_EINVAL, "a committee may shorten the requested period, not "
                          "extend it past the requested end");
    /* The parts this reviewer decides: their committees' (all, for admins). */
    int mine[REQUEST_DATASETS_MAX], nmine = 0, nconflicts = 0;
    char names[STORE_TEXT_MAX] = "";
    size_t used = 0;
    for (int i = 0; i < l.nds; i++) {
        if (strcmp(l.ds[i].decision, "pending") != 0 || !(l.admin || l.on_dac[i]))
            continue;
        mine[nmine++] = i;
        used += (size_t)snprintf(names + used, used < sizeof names ? sizeof names - used : 0,
                                 "%s%s", used ? "," : "", l.ds[i].dataset);
        if (used >= sizeof names)
            used = sizeof names;
        if (!approve)
            continue;
        char terms[STORE_DUO_MAX];
        struct duo_conflicts c;
        if ((rc = dataset_conflicts(s, &l.r, l.ds[i].dataset_id, terms, &c, err)) != GS_OK)
            return rc;
        nconflicts += c.n;
    }
    if (nmine == 0)
        return gs_err_set(err, GS_ECONFLICT, "no part of request %lld awaits your committee's "
                          "decision", (long long)id);
    if (nconflicts > 0 && (comment == NULL || comment[0] == '\0'))
        return gs_err_set(err, GS_EINVAL, "the request has %d DUO conflict%s with the dataset's "
                          "terms: approving it needs a comment saying why", nconflicts,
                          nconflicts == 1 ? "" : "s");
    const char *decision = approve ? "approved" : "rejected";
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    for (int k = 0; rc == GS_OK && k < nmine; k++)
        rc = store_request_dataset_decide(s, id, l.ds[mine[k]].dataset_id, decision,
                                          who->user_id, now, approve ? until : 0, err);
    /* Re-read the parts inside the transaction: another committee may have just decided. */
    struct decided t = {0};
    if (rc == GS_OK)
        rc = store_request_dataset_each(s, id, tally, &t, err);
    char detail[STORE_TEXT_MAX + 32];
    snprintf(detail, sizeof detail, "datasets=%s decision=%s", names, decision);
    if (rc != GS_OK) {
        /* nothing */
    } else if (!approve) {
        rc = store_request_set_state(s, id, "submitted", "rejected", 0, now, err);
        if (rc == GS_OK)
            rc = record_step(s, by, id, "reject", "rejected", "request.rejected", comment,
                             detail, now, now, err);
    } else if (t.pending == 0 && t.rejected == 0) {
        rc = approve_all(s, by, &l, &t, comment, now, err);
    } else {
        /* Only this part is decided: confirm, inside the transaction, that the request is
         * still submitted (the requester may have withdrawn it since it was read). */
        rc = store_request_set_state(s, id, "submitted", "submitted", 0, now, err);
        if (rc == GS_OK)
            rc = record_step(s, by, id, "approve", "submitted", "request.review", comment,
                             detail, now, now, err);
    }
    return finish(s, rc, err);
}

int requests_revoke(struct store *s, const struct actor *by, const struct principal *who,
                    int64_t id, const char *comment, time_t now, struct gs_err *err)
{
    struct loaded l;
    int rc = check_free_text("comment", comment, STORE_REQUEST_COMMENT_MAX, false, err);
    if (rc == GS_OK)
        rc = reviewer_load(s, who, id, REQUEST_EV_REVOKE, now, &l, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    int count = 0;
    rc = store_request_set_state(s, id, "approved", "revoked", 0, now, err);
    if (rc == GS_OK)
        rc = store_request_grants_revoke(s, id, now, &count, err);
    char detail[64];
    snprintf(detail, sizeof detail, "grants revoked=%d", count);
    if (rc == GS_OK)
        rc = record_step(s, by, id, "revoke", "revoked", "request.revoked", comment, detail, now,
                         now, err);
    return finish(s, rc, err);
}

#define SWEEP_BATCH 64

int requests_sweep(struct store *s, time_t now, struct gs_err *err)
{
    static const struct actor expiry = {"system:expiry", "genoshare"};
    for (;;) {
        int64_t ids[SWEEP_BATCH];
        int n = 0;
        int rc = store_request_due(s, "approved", now, ids, SWEEP_BATCH, &n, err);
        if (rc != GS_OK || n == 0)
            return rc;
        if ((rc = store_begin(s, err)) != GS_OK)
            return rc;
        for (int i = 0; rc == GS_OK && i < n; i++) {
            struct store_request r = {0};
            rc = store_request_get(s, ids[i], &r, err);
            if (rc == GS_OK)
                rc = store_request_set_state(s, ids[i], "approved", "expired", 0, now, err);
            char until[21], detail[64];
            format_utc_time(r.approved_until, until);
            snprintf(detail, sizeof detail, "ended=%s", until);
            if (rc == GS_OK)
                rc = record_step(s, &expiry, ids[i], "expire", "expired", "request.expired", NULL,
                                 detail, now, r.approved_until, err);
        }
        if ((rc = finish(s, rc, err)) != GS_OK || n < SWEEP_BATCH)
            return rc;
    }
}

/* ---- JSON views ---- */

static json_t *time_json(time_t t)
{
    if (t == 0)
        return json_null();
    char text[21];
    format_utc_time(t, text);
    return json_string(text);
}

static int event_json(void *ctx, const struct store_request_event *ev)
{
    json_array_append_new(ctx, json_pack("{s:o, s:s, s:s, s:s, s:s}", "at", time_json(ev->at),
                                         "by", ev->actor, "action", ev->action, "state",
                                         ev->state, "comment", ev->comment));
    return 0;
}

static bool can(const struct loaded *l, enum request_event ev)
{
    enum request_state to;
    struct gs_err ignored = {0};
    return request_transition(l->state, ev, &to, &ignored) == GS_OK;
}

static int view_json(struct store *s, const struct principal *who, const struct loaded *l,
                     json_t **out, struct gs_err *err)
{
    json_t *datasets = json_array(), *history = json_array();
    int rc = GS_OK, nconflicts = 0;
    bool awaits_me = false;
    for (int i = 0; rc == GS_OK && i < l->nds; i++) {
        const struct store_request_dataset *d = &l->ds[i];
        char terms[STORE_DUO_MAX] = "";
        struct duo_conflicts c;
        rc = dataset_conflicts(s, &l->r, d->dataset_id, terms, &c, err);
        json_t *conflicts = json_array();
        for (int k = 0; rc == GS_OK && k < c.n; k++)
            json_array_append_new(conflicts, json_pack("{s:s, s:s}", "term", c.items[k].term,
                                                       "why", c.items[k].why));
        nconflicts += rc == GS_OK ? c.n : 0;
        bool pending = strcmp(d->decision, "pending") == 0;
        awaits_me |= pending && (l->admin || l->on_dac[i]);
        json_array_append_new(datasets, json_pack(
            "{s:s, s:s?, s:s, s:s?, s:o, s:o, s:o, s:b}", "name", d->dataset, "duo",
            terms[0] ? terms : NULL, "decision", d->decision, "decided_by",
            d->decided_by[0] ? d->decided_by : NULL, "decided_at", time_json(d->decided_at),
            "until", time_json(d->until), "conflicts", conflicts, "my_committee",
            l->admin || l->on_dac[i]));
    }
    if (rc == GS_OK)
        rc = store_request_event_each(s, l->r.id, event_json, history, err);
    if (rc != GS_OK) {
        json_decref(datasets);
        json_decref(history);
        return rc;
    }
    bool own = l->requester || who->is_operator;
    bool reviewer = (l->committee || l->admin) && !l->requester;
    json_t *may = json_pack("{s:b, s:b, s:b, s:b}", "submit", own && can(l, REQUEST_EV_SUBMIT),
                            "withdraw", own && can(l, REQUEST_EV_WITHDRAW), "review",
                            reviewer && awaits_me && can(l, REQUEST_EV_APPROVE), "revoke",
                            (l->committee || l->admin) && can(l, REQUEST_EV_REVOKE));
    *out = json_pack("{s:I, s:s, s:s, s:s, s:b, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:i, s:o,"
                     " s:o}",
                     "id", (json_int_t)l->r.id, "requester", l->r.user, "purpose", l->r.purpose,
                     "duo", l->r.duo, "commercial", l->r.commercial, "from",
                     time_json(l->r.period_from), "until", time_json(l->r.period_until),
                     "state", state_names[l->state], "approved_until",
                     time_json(l->r.approved_until), "created_at", time_json(l->r.created_at),
                     "updated_at", time_json(l->r.updated_at), "datasets", datasets,
                     "conflicts", nconflicts, "history", history, "can", may);
    return *out ? GS_OK : gs_err_set(err, GS_ENOMEM, "out of memory");
}

int requests_get_json(struct store *s, const struct principal *who, int64_t id, time_t now,
                      json_t **out, struct gs_err *err)
{
    struct loaded l;
    int rc = requests_sweep(s, now, err);
    if (rc == GS_OK)
        rc = load(s, who, id, now, &l, err);
    return rc == GS_OK ? view_json(s, who, &l, out, err) : rc;
}

struct id_list {
    int64_t *ids;
    size_t n, cap;
};

static int collect_id(void *ctx, const struct store_request *r)
{
    struct id_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        int64_t *grown = realloc(l->ids, cap * sizeof *grown);
        if (grown == NULL)
            return GS_ENOMEM;
        l->ids = grown;
        l->cap = cap;
    }
    l->ids[l->n++] = r->id;
    return 0;
}

int requests_list_json(struct store *s, const struct principal *who,
                       const struct request_list_filter *f, time_t now, json_t **out,
                       struct gs_err *err)
{
    enum request_state want = REQUEST_DRAFT;
    struct store_request_filter sf = {0};
    int rc = GS_OK;
    if (f->state != NULL && (rc = request_state_parse(f->state, &want, err)) != GS_OK)
        return rc;
    if (f->dac_queue && !may_review_at_all(who))
        return gs_err_set(err, GS_EFORBIDDEN, "the dac or admin role is needed to see the "
                          "committee queue");
    sf.user_id = f->user_id;
    if (f->dataset != NULL) {
        struct store_dataset d;
        if ((rc = store_dataset_by_name(s, f->dataset, &d, err)) != GS_OK)
            return rc;
        sf.dataset_id = d.id;
    }
    if (f->dac_queue) {
        sf.state = "submitted";
        if (!is_admin(who)) {
            sf.dac_user_id = who->user_id;
            sf.pending_only = true;
        }
    }
    struct id_list ids = {0};
    if ((rc = requests_sweep(s, now, err)) == GS_OK)
        rc = store_request_each(s, &sf, collect_id, &ids, err);
    if (rc == GS_ENOMEM)
        gs_err_set(err, rc, "out of memory");
    json_t *items = json_array();
    for (size_t i = 0; rc == GS_OK && i < ids.n; i++) {
        struct loaded l;
        struct gs_err invisible = {0};
        int lrc = load(s, who, ids.ids[i], now, &l, &invisible);
        if (lrc == GS_ENOTFOUND)
            continue;
        if (lrc != GS_OK) {
            rc = gs_err_set(err, lrc, "%s", invisible.msg);
            break;
        }
        if (f->state != NULL && l.state != want)
            continue;
        json_t *item = NULL;
        if ((rc = view_json(s, who, &l, &item, err)) == GS_OK)
            json_array_append_new(items, item);
    }
    free(ids.ids);
    if (rc != GS_OK) {
        json_decref(items);
        return rc;
    }
    *out = items;
    return GS_OK;
}

struct grant_walk {
    json_t *items;
    time_t now;
};

static int grant_json(void *ctx, const struct store_user_grant *g)
{
    struct grant_walk *w = ctx;
    const char *state = g->revoked_at != 0        ? "revoked"
                        : g->expires_at <= w->now ? "expired"
                        : g->starts_at > w->now   ? "scheduled"
                                                  : "active";
    time_t since = g->starts_at > g->created_at ? g->starts_at : g->created_at;
    json_array_append_new(w->items, json_pack(
        "{s:I, s:s, s:o, s:o, s:o, s:o, s:s}", "grant", (json_int_t)g->id, "dataset", g->dataset,
        "since", time_json(since), "until", time_json(g->expires_at), "revoked_at",
        time_json(g->revoked_at), "request",
        g->request_id ? json_integer((json_int_t)g->request_id) : json_null(), "state", state));
    return 0;
}

int requests_my_access_json(struct store *s, const struct principal *who, time_t now,
                            json_t **out, struct gs_err *err)
{
    struct grant_walk w = {json_array(), now};
    int rc = requests_sweep(s, now, err);
    if (rc == GS_OK && who->user_id != 0)
        rc = store_user_grant_each(s, who->user_id, grant_json, &w, err);
    if (rc != GS_OK) {
        json_decref(w.items);
        return rc;
    }
    *out = w.items;
    return GS_OK;
}

/* ---- demo ---- */

/* dave (dac) is the committee of hereditary-cancer-variants, whose consent allows research
 * on breast cancer (MONDO:0007254) with ethics approval and publication; public data has
 * no restriction. carol's pending request for general research shows the committee a DUO
 * conflict; the browser test files alice's own. */
int requests_demo_fill(struct store *s, const struct actor *by, struct gs_err *err)
{
    time_t now = time(NULL);
    int rc = requests_dac_add(s, by, "hereditary-cancer-variants", "dave", now, err);
    if (rc == GS_OK)
        rc = requests_duo_set(s, by, "hereditary-cancer-variants", "DS:MONDO:0007254,IRB,PUB",
                              now, err);
    if (rc == GS_OK)
        rc = requests_duo_set(s, by, "public-variant-summary", "NRES", now, err);
    struct store_user carol;
    if (rc == GS_OK)
        rc = store_user_by_name(s, "carol", &carol, err);
    struct principal op;
    principal_operator(&op);
    struct request_input in = {
        .datasets = {"hereditary-cancer-variants"},
        .ndatasets = 1,
        .purpose = "Population-scale study of BRCA1/2 variant frequencies across East Asian "
                   "cohorts, including ancestry analysis.",
        .duo = "GRU,IRB,PUB",
        .from = now,
        .until = now + 365 * 86400,
        .submit = true,
    };
    if (rc == GS_OK)
        rc = requests_create(s, by, &op, carol.id, &in, now, NULL, err);
    return rc;
}
