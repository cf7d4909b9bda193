/* test_requests.c — the access-request workflow through the real store: every transition of
 * the table (and every illegal one refused), who may see and decide what (404 vs 403),
 * per-dataset decisions, DUO conflicts needing a comment, the grant an approval creates and
 * the access decision reading it, expiry exactly at the boundary, revocation stopping
 * access at once, the history and the audit trail. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/crypto.h"
#include "core/parse.h"
#include "policy/requests.h"
#include "registry/registry.h"

#define MUST(expr)                                                                          \
    do {                                                                                    \
        if ((expr) != GS_OK) {                                                              \
            fprintf(stderr, "setup failed at %s:%d: %s: %s\n", __FILE__, __LINE__, #expr,   \
                    err.msg);                                                               \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

#define DAY 86400

struct world {
    struct store *s;
    struct actor by;
    time_t t0;
    int64_t rec1, rec2; /* an international record of ds1, of ds2 (owned by far-u) */
    struct principal op, req, dac1, dac2, dacx, adm, plain;
};

static void who(struct world *w, const char *name, struct principal *p)
{
    struct gs_err err = {0};
    MUST(principal_for_name(w->s, name, p, &err));
}

static void build(struct world *w, const char *path)
{
    struct gs_err err = {0};
    memset(w, 0, sizeof *w);
    w->t0 = time(NULL);
    w->by.name = "test";
    w->by.origin = "unit";
    MUST(store_open(path, &w->s, &err));
    struct store *s = w->s;
    MUST(registry_institution_add(s, &w->by, "near-u", "Near", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "far-u", "Far", "JP", NULL, &err));
    const struct { const char *name; unsigned roles; } users[] = {
        {"req", ROLE_MEMBER | ROLE_SUBMITTER}, {"dac1", ROLE_DAC}, {"dac2", ROLE_DAC},
        {"dacx", ROLE_DAC}, {"adm", ROLE_ADMIN}, {"plain", ROLE_MEMBER},
    };
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
        MUST(registry_user_add(s, &w->by, users[i].name, users[i].name, "near-u", users[i].roles,
                               NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds1", "One", TIER_CONTROLLED, DATA_VARIANTS, "far-u",
                              NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds2", "Two", TIER_CONTROLLED, DATA_VARIANTS, "far-u",
                              NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-nodac", "No DAC", TIER_CONTROLLED, DATA_VARIANTS,
                              "far-u", NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-open", "Open", TIER_OPEN, DATA_VARIANTS, "far-u",
                              NULL, NULL, &err));
    principal_operator(&w->op);
    struct registry_record_input r1 = {"ds1", SCOPE_INTERNATIONAL, "r1", "{}", "far-u"};
    struct registry_record_input r2 = {"ds2", SCOPE_INTERNATIONAL, "r2", "{}", "far-u"};
    MUST(registry_record_add(s, &w->by, &w->op, &r1, &w->rec1, &err));
    MUST(registry_record_add(s, &w->by, &w->op, &r2, &w->rec2, &err));
    MUST(requests_dac_add(s, &w->by, "ds1", "dac1", w->t0, &err));
    MUST(requests_dac_add(s, &w->by, "ds2", "dac2", w->t0, &err));
    MUST(requests_duo_set(s, &w->by, "ds1", "DS:MONDO:0007254,IRB", w->t0, &err));
    MUST(requests_duo_set(s, &w->by, "ds2", "HMB,NPU", w->t0, &err));
    who(w, "req", &w->req);
    who(w, "dac1", &w->dac1);
    who(w, "dac2", &w->dac2);
    who(w, "dacx", &w->dacx);
    who(w, "adm", &w->adm);
    who(w, "plain", &w->plain);
}

/* A request by req for the named datasets ("ds1" or "ds1,ds2"). */
static int file(struct world *w, const char *datasets, const char *duo, bool submit,
                int64_t *id, struct gs_err *err)
{
    static char names[64];
    snprintf(names, sizeof names, "%s", datasets);
    struct request_input in = {0};
    char *save = NULL;
    for (char *tok = strtok_r(names, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        in.datasets[in.ndatasets++] = tok;
    in.purpose = "Study of hereditary breast cancer variants";
    in.duo = duo;
    in.from = w->t0;
    in.until = w->t0 + 30 * DAY;
    in.submit = submit;
    return requests_create(w->s, &w->by, &w->req, w->req.user_id, &in, w->t0, id, err);
}

/* The effective state of request id as the operator sees it at now. */
static const char *state_at(struct world *w, int64_t id, time_t now, char out[16])
{
    struct gs_err err = {0};
    json_t *doc = NULL;
    snprintf(out, 16, "?");
    if (requests_get_json(w->s, &w->op, id, now, &doc, &err) == GS_OK)
        snprintf(out, 16, "%s", json_string_value(json_object_get(doc, "state")));
    json_decref(doc);
    return out;
}

static bool can_read(struct world *w, const struct principal *p, int64_t rec, time_t now)
{
    struct store_record r = {0};
    struct store_dataset d;
    struct gs_err err = {0};
    int rc = registry_record_read(w->s, p, &w->by, rec, now, &r, &d, &err);
    store_record_clear(&r);
    return rc == GS_OK;
}

/* ---- the table ---- */

static void test_table(struct check_state *st)
{
    /* expected[from][event]: the state reached, -1 refused */
    static const int expected[REQUEST_STATE_COUNT][REQUEST_EVENT_COUNT] = {
        [REQUEST_DRAFT] = {REQUEST_SUBMITTED, REQUEST_WITHDRAWN, -1, -1, -1, -1},
        [REQUEST_SUBMITTED] = {-1, REQUEST_WITHDRAWN, REQUEST_APPROVED, REQUEST_REJECTED, -1, -1},
        [REQUEST_APPROVED] = {-1, -1, -1, -1, REQUEST_EXPIRED, REQUEST_REVOKED},
        [REQUEST_REJECTED] = {-1, -1, -1, -1, -1, -1},
        [REQUEST_WITHDRAWN] = {-1, -1, -1, -1, -1, -1},
        [REQUEST_EXPIRED] = {-1, -1, -1, -1, -1, -1},
        [REQUEST_REVOKED] = {-1, -1, -1, -1, -1, -1},
    };
    for (int from = 0; from < REQUEST_STATE_COUNT; from++) {
        for (int ev = 0; ev < REQUEST_EVENT_COUNT; ev++) {
            enum request_state to = REQUEST_DRAFT;
            struct gs_err err = {0};
            int rc = request_transition((enum request_state)from, (enum request_event)ev, &to, &err);
            bool ok = expected[from][ev] < 0 ? rc == GS_ECONFLICT && strstr(err.msg, "cannot")
                                             : rc == GS_OK && (int)to == expected[from][ev];
            CHECK(st, ok, "table: %s a %s request -> %s", request_event_name((enum request_event)ev),
                  request_state_name((enum request_state)from),
                  expected[from][ev] < 0 ? "refused"
                                         : request_state_name((enum request_state)expected[from][ev]));
        }
    }
    enum request_state to;
    struct gs_err err = {0};
    CHECK(st, request_transition((enum request_state)99, REQUEST_EV_SUBMIT, &to, &err) ==
                  GS_ECONFLICT, "table: an out-of-range state is refused");
    /* The effective state at the boundary: expired at approved_until, not a second before. */
    time_t t = 1000000;
    CHECK(st, request_effective_state(REQUEST_APPROVED, t, t - 1) == REQUEST_APPROVED,
          "boundary: approved one second before the end");
    CHECK(st, request_effective_state(REQUEST_APPROVED, t, t) == REQUEST_EXPIRED,
          "boundary: expired exactly at the end");
    CHECK(st, request_effective_state(REQUEST_REVOKED, t, t + 5) == REQUEST_REVOKED &&
                  request_effective_state(REQUEST_SUBMITTED, t, t + 5) == REQUEST_SUBMITTED,
          "boundary: only approved requests expire");
    enum request_state parsed;
    CHECK(st, request_state_parse("approved", &parsed, &err) == GS_OK &&
                  parsed == REQUEST_APPROVED &&
                  request_state_parse("Approved", &parsed, &err) == GS_EINVAL,
          "names: states parse exactly");
}

/* ---- filing ---- */

static void test_create(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    int64_t id;
    struct request_input in = {.datasets = {"ds1"}, .ndatasets = 1, .purpose = "p",
                               .duo = "HMB", .from = w->t0, .until = w->t0 + DAY};
#define REFUSED(code, what, mutate)                                                          \
    do {                                                                                     \
        struct request_input x = in;                                                         \
        struct gs_err e = {0};                                                               \
        mutate;                                                                              \
        CHECK(st, requests_create(w->s, &w->by, &w->req, w->req.user_id, &x, w->t0, &id, &e) \
                      == (code), "create: %s refused (%s)", what, e.msg);                    \
    } while (0)
    REFUSED(GS_ENOTFOUND, "unknown dataset", x.datasets[0] = "nope");
    REFUSED(GS_EINVAL, "open dataset", x.datasets[0] = "ds-open");
    REFUSED(GS_EINVAL, "dataset named twice", (x.datasets[1] = "ds1", x.ndatasets = 2));
    REFUSED(GS_EINVAL, "no dataset", x.ndatasets = 0);
    REFUSED(GS_EINVAL, "period ending before it starts", x.until = x.from);
    REFUSED(GS_EINVAL, "period already over", (x.from = w->t0 - 2 * DAY, x.until = w->t0));
    REFUSED(GS_EINVAL, "empty purpose", x.purpose = "");
    REFUSED(GS_EINVAL, "purpose with a control character", x.purpose = "a\x01" "b");
    REFUSED(GS_EINVAL, "unknown DUO code", x.duo = "HMB,XYZ");
    REFUSED(GS_EINVAL, "NRES as a purpose", x.duo = "NRES");
    REFUSED(GS_EINVAL, "commercial with NPU declared", (x.duo = "HMB,NPU", x.commercial = true));
    REFUSED(GS_ECONFLICT, "submitting for a dataset without a committee",
            (x.datasets[0] = "ds-nodac", x.submit = true));
    struct gs_err e = {0};
    CHECK(st, requests_create(w->s, &w->by, &w->plain, w->req.user_id, &in, w->t0, &id, &e) ==
                  GS_EFORBIDDEN, "create: filing for someone else refused");
    json_t *mine = NULL;
    struct request_list_filter f = {w->req.user_id, NULL, NULL, false};
    CHECK(st, requests_list_json(w->s, &w->op, &f, w->t0, &mine, &e) == GS_OK &&
                  json_array_size(mine) == 0, "create: refused requests left nothing behind");
    json_decref(mine);
    char s1[16];
    CHECK(st, file(w, "ds-nodac", "HMB", false, &id, &err) == GS_OK &&
                  strcmp(state_at(w, id, w->t0, s1), "draft") == 0,
          "create: a draft for a dataset without a committee is kept");
    gs_err_clear(&e);
    CHECK(st, requests_submit(w->s, &w->by, &w->req, id, w->t0, &e) == GS_ECONFLICT &&
                  strstr(e.msg, "committee") != NULL,
          "submit: refused while a dataset has no committee");
}

/* ---- who may see and do what ---- */

static void test_visibility(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    int64_t id;
    MUST(file(w, "ds1", "DS:MONDO:0007254,IRB", true, &id, &err));
    json_t *doc = NULL;
    struct gs_err e = {0};
#define SEES(p, name, want)                                                                  \
    do {                                                                                     \
        struct gs_err e_ = {0};                                                              \
        int rc_ = requests_get_json(w->s, (p), id, w->t0, &doc, &e_);                        \
        json_decref(doc);                                                                    \
        doc = NULL;                                                                          \
        CHECK(st, (want) ? rc_ == GS_OK : rc_ == GS_ENOTFOUND &&                            \
                  strstr(e_.msg, "no access request with id") != NULL,                       \
              "visibility: %s %s the request", name, (want) ? "sees" : "gets not found for"); \
    } while (0)
    SEES(&w->req, "the requester", true);
    SEES(&w->dac1, "ds1's committee member", true);
    SEES(&w->adm, "an admin", true);
    SEES(&w->op, "the operator", true);
    SEES(&w->dac2, "another dataset's committee member", false);
    SEES(&w->dacx, "a dac user on no committee", false);
    SEES(&w->plain, "a plain member", false);
    /* a dac1 without the dac role any more is an ordinary user */
    struct principal demoted = w->dac1;
    demoted.roles = ROLE_MEMBER;
    SEES(&demoted, "a committee member who lost the dac role", false);
    struct gs_err missing = {0}, hidden = {0};
    int rc_missing = requests_get_json(w->s, &w->plain, 999999, w->t0, &doc, &missing);
    char want[64];
    snprintf(want, sizeof want, "no access request with id %lld", (long long)id);
    int rc_hidden = requests_get_json(w->s, &w->plain, id, w->t0, &doc, &hidden);
    CHECK(st, rc_missing == rc_hidden && strcmp(hidden.msg, want) == 0 &&
                  strstr(missing.msg, "999999") != NULL,
          "visibility: a hidden request reads like a missing one");

    CHECK(st, requests_review(w->s, &w->by, &w->plain, id, true, NULL, 0, w->t0, &e) ==
                  GS_EFORBIDDEN, "review: a user without the dac role gets forbidden");
    CHECK(st, requests_review(w->s, &w->by, &w->plain, 999999, true, NULL, 0, w->t0, &e) ==
                  GS_EFORBIDDEN, "review: forbidden is said before any lookup (reveals nothing)");
    CHECK(st, requests_review(w->s, &w->by, &w->dacx, id, true, NULL, 0, w->t0, &e) ==
                  GS_ENOTFOUND, "review: a dac user off the committee gets not found");
    CHECK(st, requests_review(w->s, &w->by, &w->dac2, id, true, NULL, 0, w->t0, &e) ==
                  GS_ENOTFOUND, "review: another dataset's committee gets not found");
    CHECK(st, requests_review(w->s, &w->by, &w->req, id, true, NULL, 0, w->t0, &e) ==
                  GS_EFORBIDDEN, "review: the requester cannot review");
    struct principal self_dac = w->req;
    self_dac.roles |= ROLE_ADMIN;
    gs_err_clear(&e);
    CHECK(st, requests_review(w->s, &w->by, &self_dac, id, true, NULL, 0, w->t0, &e) ==
                  GS_EFORBIDDEN && strstr(e.msg, "own") != NULL,
          "review: not even an admin reviews their own request");
    CHECK(st, requests_withdraw(w->s, &w->by, &w->dac1, id, NULL, w->t0, &e) == GS_EFORBIDDEN,
          "withdraw: only the requester withdraws");
    CHECK(st, requests_withdraw(w->s, &w->by, &w->plain, id, NULL, w->t0, &e) == GS_ENOTFOUND,
          "withdraw: a stranger gets not found");

    /* the committee queue */
    json_t *q = NULL;
    struct request_list_filter queue = {0, NULL, NULL, true};
    CHECK(st, requests_list_json(w->s, &w->dac1, &queue, w->t0, &q, &e) == GS_OK &&
                  json_array_size(q) >= 1, "queue: ds1's committee sees the request");
    json_decref(q);
    CHECK(st, requests_list_json(w->s, &w->dacx, &queue, w->t0, &q, &e) == GS_OK &&
                  json_array_size(q) == 0, "queue: a dac user on no committee sees nothing");
    json_decref(q);
    CHECK(st, requests_list_json(w->s, &w->plain, &queue, w->t0, &q, &e) == GS_EFORBIDDEN,
          "queue: forbidden without the dac role");
    MUST(requests_withdraw(w->s, &w->by, &w->req, id, "changed plans", w->t0, &err));
}

/* ---- the whole way: two committees, grants, expiry, revocation ---- */

static int count_actions(void *ctx, const struct store_audit_row *row)
{
    char *log = ctx;
    size_t used = strlen(log);
    snprintf(log + used, 8192 - used, "%s ", row->action);
    return 0;
}

static void test_flow(struct check_state *st, struct world *w)
{
    struct gs_err err = {0}, e = {0};
    time_t t = w->t0;
    int64_t id;
    char s1[16];
    MUST(file(w, "ds1,ds2", "DS:MONDO:0007254,IRB,NPU", false, &id, &err));
    /* A committee does not see a draft at all; an administrator sees it but may not act. */
    CHECK(st, requests_review(w->s, &w->by, &w->dac1, id, true, NULL, 0, t, &e) == GS_ENOTFOUND,
          "illegal: a draft cannot be reviewed (its committee does not see it)");
    CHECK(st, requests_revoke(w->s, &w->by, &w->dac1, id, NULL, t, &e) == GS_ENOTFOUND,
          "illegal: a draft cannot be revoked (its committee does not see it)");
    CHECK(st, requests_review(w->s, &w->by, &w->adm, id, true, NULL, 0, t, &e) == GS_ECONFLICT,
          "illegal: an administrator cannot review a draft");
    CHECK(st, requests_revoke(w->s, &w->by, &w->adm, id, NULL, t, &e) == GS_ECONFLICT,
          "illegal: an administrator cannot revoke a draft");
    MUST(requests_submit(w->s, &w->by, &w->req, id, t, &err));
    CHECK(st, requests_submit(w->s, &w->by, &w->req, id, t, &e) == GS_ECONFLICT,
          "illegal: submitted twice");
    CHECK(st, requests_revoke(w->s, &w->by, &w->dac1, id, NULL, t, &e) == GS_ECONFLICT,
          "illegal: a submitted request cannot be revoked");
    CHECK(st, requests_review(w->s, &w->by, &w->dac1, id, true, NULL, t + 60 * DAY, t, &e) ==
                  GS_EINVAL, "review: a committee cannot extend the period");
    CHECK(st, requests_review(w->s, &w->by, &w->dac1, id, true, NULL, t, t, &e) == GS_EINVAL,
          "review: an approved period must end in the future");

    /* ds1's committee approves its part: still submitted, no access yet. */
    MUST(requests_review(w->s, &w->by, &w->dac1, id, true, "IRB letter seen", t + 20 * DAY, t,
                         &err));
    CHECK(st, strcmp(state_at(w, id, t, s1), "submitted") == 0,
          "per dataset: one committee's approval leaves the request submitted");
    CHECK(st, !can_read(w, &w->req, w->rec1, t), "per dataset: no access before the last part");
    CHECK(st, requests_review(w->s, &w->by, &w->dac1, id, true, "again", 0, t, &e) ==
                  GS_ECONFLICT, "per dataset: a committee decides its part once");
    json_t *q = NULL;
    struct request_list_filter queue = {0, NULL, NULL, true};
    bool off_queue = requests_list_json(w->s, &w->dac1, &queue, t, &q, &e) == GS_OK &&
                     json_array_size(q) == 0;
    json_decref(q);
    bool on_queue = requests_list_json(w->s, &w->dac2, &queue, t, &q, &e) == GS_OK &&
                    json_array_size(q) == 1;
    json_decref(q);
    CHECK(st, off_queue && on_queue, "queue: the decided part leaves dac1's queue, not dac2's");

    /* ds2 (HMB,NPU) vs a disease-specific, NPU-declaring purpose: no conflict; approving
     * with a shorter end sets the request's end to the earliest approved. */
    time_t end = t + 100;
    MUST(requests_review(w->s, &w->by, &w->dac2, id, true, NULL, end, t, &err));
    CHECK(st, strcmp(state_at(w, id, t, s1), "approved") == 0,
          "approve: the last part approves the request");
    json_t *grants = NULL;
    MUST(requests_my_access_json(w->s, &w->req, t, &grants, &err));
    bool linked = json_array_size(grants) == 2;
    for (size_t i = 0; linked && i < 2; i++) {
        json_t *g = json_array_get(grants, i);
        linked = json_integer_value(json_object_get(g, "request")) == id &&
                 strcmp(json_string_value(json_object_get(g, "state")), "active") == 0;
    }
    char until_text[21];
    format_utc_time(end, until_text);
    linked = linked && strcmp(json_string_value(json_object_get(json_array_get(grants, 0),
                                                                "until")), until_text) == 0;
    json_decref(grants);
    CHECK(st, linked, "approve: one active grant per dataset, linked, ending at the earliest end");
    CHECK(st, can_read(w, &w->req, w->rec1, t) && can_read(w, &w->req, w->rec2, t),
          "approve: the requester reads both datasets");
    CHECK(st, !can_read(w, &w->plain, w->rec1, t), "approve: nobody else gains access");

    /* Expiry at the boundary. */
    CHECK(st, strcmp(state_at(w, id, end - 1, s1), "approved") == 0 &&
                  can_read(w, &w->req, w->rec1, end - 1),
          "expiry: approved and readable one second before the end");
    CHECK(st, !can_read(w, &w->req, w->rec1, end) && !can_read(w, &w->req, w->rec2, end),
          "expiry: access stops exactly at the end");
    CHECK(st, strcmp(state_at(w, id, end, s1), "expired") == 0,
          "expiry: the request reads as expired exactly at the end");
    CHECK(st, requests_revoke(w->s, &w->by, &w->dac1, id, NULL, end, &e) == GS_ECONFLICT,
          "illegal: an expired request cannot be revoked");
    CHECK(st, requests_withdraw(w->s, &w->by, &w->req, id, NULL, end, &e) == GS_ECONFLICT,
          "illegal: an expired request cannot be withdrawn");
    json_t *doc = NULL;
    MUST(requests_get_json(w->s, &w->req, id, end, &doc, &err));
    json_t *hist = json_object_get(doc, "history");
    json_t *last = json_array_get(hist, json_array_size(hist) - 1);
    CHECK(st, json_array_size(hist) == 5 &&
                  strcmp(json_string_value(json_object_get(last, "action")), "expire") == 0 &&
                  strcmp(json_string_value(json_object_get(last, "at")), until_text) == 0 &&
                  strcmp(json_string_value(json_object_get(json_array_get(hist, 2), "comment")),
                         "IRB letter seen") == 0 &&
                  strcmp(json_string_value(json_object_get(json_array_get(hist, 2), "by")),
                         "test") == 0,
          "history: create, submit, two approvals (who, comment) and the expiry, as the "
          "requester sees it");
    json_decref(doc);
}

static void test_revoke_reject(struct check_state *st, struct world *w)
{
    struct gs_err err = {0}, e = {0};
    time_t t = w->t0 + 200; /* after test_flow's grants ended */
    int64_t id;
    char s1[16];
    /* Conflicts: a general, commercial purpose against ds2 (HMB, NPU). */
    struct request_input in = {.datasets = {"ds2"}, .ndatasets = 1, .purpose = "Drug target "
                               "discovery", .duo = "GRU", .commercial = true, .from = t,
                               .until = t + DAY, .submit = true};
    MUST(requests_create(w->s, &w->by, &w->req, w->req.user_id, &in, t, &id, &err));
    json_t *doc = NULL;
    MUST(requests_get_json(w->s, &w->dac2, id, t, &doc, &err));
    json_t *c = json_object_get(json_array_get(json_object_get(doc, "datasets"), 0), "conflicts");
    CHECK(st, json_integer_value(json_object_get(doc, "conflicts")) == 2 &&
                  json_array_size(c) == 2,
          "conflicts: HMB vs GRU and NPU vs commercial are shown to the committee");
    json_decref(doc);
    gs_err_clear(&e);
    CHECK(st, requests_review(w->s, &w->by, &w->dac2, id, true, NULL, 0, t, &e) == GS_EINVAL &&
                  strstr(e.msg, "comment") != NULL,
          "conflicts: approving without a comment is refused");
    CHECK(st, strcmp(state_at(w, id, t, s1), "submitted") == 0,
          "conflicts: the refused approval changed nothing");
    MUST(requests_review(w->s, &w->by, &w->dac2, id, true, "Consent re-checked with the PI",
                         0, t, &err));
    CHECK(st, can_read(w, &w->req, w->rec2, t), "revoke: readable while approved");
    CHECK(st, requests_revoke(w->s, &w->by, &w->dacx, id, NULL, t, &e) == GS_ENOTFOUND,
          "revoke: a dac user off the committee gets not found");
    CHECK(st, requests_revoke(w->s, &w->by, &w->plain, id, NULL, t, &e) == GS_EFORBIDDEN,
          "revoke: a user without the role gets forbidden");
    MUST(requests_revoke(w->s, &w->by, &w->dac2, id, "consent withdrawn", t + 1, &err));
    CHECK(st, !can_read(w, &w->req, w->rec2, t + 1),
          "revoke: access stops at once (same second)");
    CHECK(st, strcmp(state_at(w, id, t + 1, s1), "revoked") == 0, "revoke: request is revoked");
    json_t *grants = NULL;
    MUST(requests_my_access_json(w->s, &w->req, t + 1, &grants, &err));
    CHECK(st, strcmp(json_string_value(json_object_get(json_array_get(grants, 0), "state")),
                     "revoked") == 0, "revoke: my access shows the grant revoked");
    json_decref(grants);
    CHECK(st, requests_revoke(w->s, &w->by, &w->dac2, id, NULL, t + 2, &e) == GS_ECONFLICT,
          "illegal: revoked twice");
    CHECK(st, requests_review(w->s, &w->by, &w->dac2, id, true, "x", 0, t + 2, &e) ==
                  GS_ECONFLICT, "illegal: a revoked request cannot be approved again");

    /* One rejection rejects the whole request: no grant anywhere. */
    MUST(file(w, "ds1,ds2", "DS:MONDO:0007254,IRB,NPU", true, &id, &err));
    MUST(requests_review(w->s, &w->by, &w->dac1, id, true, NULL, 0, t, &err));
    MUST(requests_review(w->s, &w->by, &w->dac2, id, false, "not for this project", 0, t, &err));
    CHECK(st, strcmp(state_at(w, id, t, s1), "rejected") == 0 && !can_read(w, &w->req, w->rec1, t),
          "reject: one committee's rejection rejects the request, no grant written");
    CHECK(st, requests_review(w->s, &w->by, &w->adm, id, true, "x", 0, t, &e) == GS_ECONFLICT &&
                  requests_submit(w->s, &w->by, &w->req, id, t, &e) == GS_ECONFLICT &&
                  requests_withdraw(w->s, &w->by, &w->req, id, NULL, t, &e) == GS_ECONFLICT,
          "illegal: a rejected request is final");

    /* An admin decides every pending part at once. */
    MUST(file(w, "ds1,ds2", "DS:MONDO:0007254,IRB,NPU", true, &id, &err));
    MUST(requests_review(w->s, &w->by, &w->adm, id, true, NULL, 0, t, &err));
    CHECK(st, strcmp(state_at(w, id, t, s1), "approved") == 0, "admin: approves every part");
    /* Withdrawn is final too. */
    MUST(file(w, "ds1", "DS:MONDO:0007254,IRB", false, &id, &err));
    MUST(requests_withdraw(w->s, &w->by, &w->req, id, "duplicate", t, &err));
    CHECK(st, requests_submit(w->s, &w->by, &w->req, id, t, &e) == GS_ECONFLICT &&
                  requests_withdraw(w->s, &w->by, &w->req, id, NULL, t, &e) == GS_ECONFLICT,
          "illegal: a withdrawn request is final");

    /* Every step is in the audit trail, and the trail is intact. */
    static char log[8192];
    log[0] = '\0';
    MUST(store_audit_each(w->s, 0, count_actions, log, &err));
    static const char *const actions[] = {"dac.add ", "duo.set ", "request.draft ",
                                          "request.submitted ", "request.review ",
                                          "request.approved ", "grant.add ", "request.expired ",
                                          "request.revoked ", "request.rejected ",
                                          "request.withdrawn "};
    bool all = true;
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        all = all && strstr(log, actions[i]) != NULL;
    struct audit_report report;
    MUST(audit_verify(w->s, &report, &err));
    CHECK(st, all && report.nproblems == 0, "audit: every step recorded, chain intact");
}

static void test_committees(struct check_state *st, struct world *w)
{
    struct gs_err e = {0};
    CHECK(st, requests_dac_add(w->s, &w->by, "ds1", "plain", w->t0, &e) == GS_EINVAL,
          "dac: a user without the dac role cannot join");
    CHECK(st, requests_dac_add(w->s, &w->by, "ds1", "dac1", w->t0, &e) == GS_ECONFLICT,
          "dac: joining twice is a conflict");
    CHECK(st, requests_dac_add(w->s, &w->by, "ds-open", "dac1", w->t0, &e) == GS_EINVAL,
          "dac: only controlled datasets have committees");
    CHECK(st, requests_dac_remove(w->s, &w->by, "ds2", "dac1", &e) == GS_ENOTFOUND,
          "dac: removing a non-member is not found");
    CHECK(st, requests_duo_set(w->s, &w->by, "ds1", "IRB", w->t0, &e) == GS_EINVAL,
          "duo: terms without a permission refused");
    CHECK(st, requests_duo_set(w->s, &w->by, "nope", "HMB", w->t0, &e) == GS_ENOTFOUND,
          "duo: unknown dataset");
}

/* A draft is the requester's alone: its committee sees it once it is submitted. */
static void test_draft_privacy(struct check_state *st, struct world *w)
{
    struct gs_err err = {0}, e = {0};
    int64_t id;
    MUST(file(w, "ds1", "DS:MONDO:0007254,IRB", false, &id, &err));
    json_t *doc = NULL;
    CHECK(st, requests_get_json(w->s, &w->dac1, id, w->t0, &doc, &e) == GS_ENOTFOUND,
          "draft: its committee cannot read it");
    json_decref(doc);
    doc = NULL;
    CHECK(st, requests_get_json(w->s, &w->req, id, w->t0, &doc, &e) == GS_OK,
          "draft: the requester reads it");
    json_decref(doc);
    doc = NULL;
    MUST(requests_submit(w->s, &w->by, &w->req, id, w->t0, &err));
    gs_err_clear(&e);
    CHECK(st, requests_get_json(w->s, &w->dac1, id, w->t0, &doc, &e) == GS_OK,
          "draft: the committee reads it once submitted");
    json_decref(doc);
}

/* An approved request for a period that begins later gives access only from its start. */
static void test_later_period(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    time_t t = w->t0 + 1000 * DAY; /* long after every earlier grant has ended */
    struct request_input in = {.datasets = {"ds1"}, .ndatasets = 1, .purpose = "Later study",
                               .duo = "DS:MONDO:0007254,IRB", .from = t + 10 * DAY,
                               .until = t + 20 * DAY, .submit = true};
    int64_t id;
    MUST(requests_create(w->s, &w->by, &w->req, w->req.user_id, &in, t, &id, &err));
    MUST(requests_review(w->s, &w->by, &w->dac1, id, true, NULL, 0, t, &err));
    CHECK(st, !can_read(w, &w->req, w->rec1, t), "period: approved but not begun: no access");
    CHECK(st, !can_read(w, &w->req, w->rec1, t + 10 * DAY - 1),
          "period: no access one second before the start");
    CHECK(st, can_read(w, &w->req, w->rec1, t + 10 * DAY), "period: access from the start");
    json_t *doc = NULL;
    MUST(requests_my_access_json(w->s, &w->req, t, &doc, &err));
    const char *state = "?";
    for (size_t i = 0; i < json_array_size(doc); i++) {
        json_t *g = json_array_get(doc, i);
        if (json_integer_value(json_object_get(g, "request")) == id)
            state = json_string_value(json_object_get(g, "state"));
    }
    CHECK(st, state != NULL && strcmp(state, "scheduled") == 0,
          "period: my access shows the grant as scheduled (got %s)", state ? state : "null");
    json_decref(doc);
}

/* A committee decides its own dataset only: revoking a request that also holds another
 * committee's dataset would end access that committee granted. */
static void test_cross_committee_revoke(struct check_state *st, struct world *w)
{
    struct gs_err err = {0}, e = {0};
    time_t t = w->t0 + 300;
    int64_t id;
    char s1[16];
    MUST(file(w, "ds1,ds2", "DS:MONDO:0007254,IRB,NPU", true, &id, &err));
    MUST(requests_review(w->s, &w->by, &w->dac1, id, true, NULL, 0, t, &err));
    MUST(requests_review(w->s, &w->by, &w->dac2, id, true, NULL, 0, t, &err));
    CHECK(st, strcmp(state_at(w, id, t, s1), "approved") == 0 && can_read(w, &w->req, w->rec2, t),
          "cross-committee: both parts approved, ds2 readable");
    CHECK(st, requests_revoke(w->s, &w->by, &w->dac1, id, NULL, t + 1, &e) == GS_EFORBIDDEN &&
                  strstr(e.msg, "ds2") != NULL,
          "cross-committee: ds1's committee cannot revoke access ds2's committee granted (%s)",
          e.msg);
    CHECK(st, can_read(w, &w->req, w->rec2, t + 1) &&
                  strcmp(state_at(w, id, t + 1, s1), "approved") == 0,
          "cross-committee: the refused revocation changed nothing");
    MUST(requests_revoke(w->s, &w->by, &w->adm, id, NULL, t + 2, &err));
    json_t *grants = NULL;
    int revoked = 0;
    MUST(requests_my_access_json(w->s, &w->req, t + 2, &grants, &err));
    for (size_t i = 0; i < json_array_size(grants); i++) {
        json_t *g = json_array_get(grants, i);
        revoked += json_integer_value(json_object_get(g, "request")) == id &&
                   strcmp(json_string_value(json_object_get(g, "state")), "revoked") == 0;
    }
    json_decref(grants);
    CHECK(st, strcmp(state_at(w, id, t + 2, s1), "revoked") == 0 && revoked == 2,
          "cross-committee: an admin revokes the whole request (%s, %d grants)", s1, revoked);
}

int main(void)
{
    struct check_state st = {0};
    if (crypto_init() != GS_OK)
        return 1;
    test_table(&st);
    char path[] = "/tmp/gs-requests-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    struct world w;
    build(&w, path);
    test_create(&st, &w);
    test_visibility(&st, &w);
    test_flow(&st, &w);
    test_revoke_reject(&st, &w);
    test_committees(&st, &w);
    test_later_period(&st, &w);
    test_draft_privacy(&st, &w);
    test_cross_committee_revoke(&st, &w);
    store_close(w.s);
    char side[sizeof path + 8];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return check_finish(&st);
}
