/* cmd_access.c — `genoshare access`: access requests to controlled datasets, their review
 * by data-access committees, and the committees and DUO terms themselves. The command line
 * acts as the operator, except where --as USER (reviewer) or --user USER (requester) names
 * the person acting; the workflow and its rules are in policy/requests.h. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "policy/requests.h"

/* What every verb opens: the store, the operator's actor, and the principal acting. */
struct session {
    struct store *s;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal who;
};

/* Opens the store; as_user (may be NULL) names the user acting instead of the operator. */
static int session_open(struct session *x, const char *db, const char *as_user,
                        struct gs_err *err)
{
    memset(x, 0, sizeof *x);
    int rc = cli_open_store(db, &x->s, err);
    if (rc != GS_OK)
        return rc;
    x->by = cli_operator_actor(x->actor_name, sizeof x->actor_name);
    principal_operator(&x->who);
    if (as_user != NULL) {
        if ((rc = principal_for_name(x->s, as_user, &x->who, err)) != GS_OK) {
            store_close(x->s);
            return rc;
        }
        snprintf(x->actor_name, sizeof x->actor_name, "user:%.64s", as_user);
        x->by.origin = "cli --as";
    }
    return GS_OK;
}

static int parse_id(const struct cli_args *a, const char *verb, int64_t *id, struct gs_err *err)
{
    char command[32];
    snprintf(command, sizeof command, "access %s", verb);
    return cli_positional_id(a, command, "request", id, err);
}

static int parse_date(const char *text, time_t *out, struct gs_err *err)
{
    return parse_utc_time(text, out, err) == GS_OK ? GS_OK : GS_EUSAGE;
}

static int print_json(json_t *doc, struct gs_err *err)
{
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
    if (text == NULL)
        return gs_err_set(err, GS_ENOMEM, "cannot format JSON");
    printf("%s\n", text);
    free(text);
    return GS_OK;
}

static const char *str(json_t *obj, const char *key)
{
    const char *v = json_string_value(json_object_get(obj, key));
    return v ? v : "-";
}

/* ---- request, submit, withdraw ---- */

static int access_request(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("dataset", "D[,D2…]", "controlled datasets asked for (required)"),
        OPT("user", "NAME", "the requester (required)"),
        OPT("purpose", "TEXT", "the research purpose (required)"),
        OPT("duo", "CODES", "purpose and declarations as DUO terms, e.g. HMB,IRB,PUB or "
                            "DS:MONDO:0007254,NPU (required)"),
        OPT("from", "DATE", "start of the requested period (default now)"),
        OPT("until", "DATE", "end of the requested period (required)"),
        OPT("submit", NULL, "submit at once instead of keeping a draft"),
        OPT("commercial", NULL, "declare commercial (for-profit) use"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "access request --dataset D[,D2] --user U --purpose TEXT --duo "
                               "CODES [--from DATE] --until DATE [--submit] [--commercial]",
                               "File an access request (a draft unless --submit).", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *datasets, *user, *until_text;
    struct request_input in = {0};
    if ((rc = cli_required(&o[1], &datasets, err)) != GS_OK ||
        (rc = cli_required(&o[2], &user, err)) != GS_OK ||
        (rc = cli_required(&o[3], &in.purpose, err)) != GS_OK ||
        (rc = cli_required(&o[4], &in.duo, err)) != GS_OK ||
        (rc = cli_required(&o[6], &until_text, err)) != GS_OK)
        return rc;
    time_t now = time(NULL);
    in.from = now;
    if ((o[5].value && (rc = parse_date(o[5].value, &in.from, err)) != GS_OK) ||
        (rc = parse_date(until_text, &in.until, err)) != GS_OK)
        return rc;
    in.submit = o[7].value != NULL;
    in.commercial = o[8].value != NULL;
    char names[1024];
    if (strlen(datasets) >= sizeof names)
        return gs_err_set(err, GS_EUSAGE, "--dataset is too long");
    snprintf(names, sizeof names, "%s", datasets);
    for (char *save = NULL, *tok = strtok_r(names, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (in.ndatasets == REQUEST_DATASETS_MAX)
            return gs_err_set(err, GS_EUSAGE, "at most %d datasets", REQUEST_DATASETS_MAX);
        in.datasets[in.ndatasets++] = tok;
    }
    struct session x;
    if ((rc = session_open(&x, o[0].value, NULL, err)) != GS_OK)
        return rc;
    struct store_user u;
    int64_t id = 0;
    if ((rc = store_user_by_name(x.s, user, &u, err)) == GS_OK)
        rc = requests_create(x.s, &x.by, &x.who, u.id, &in, now, &id, err);
    if (rc == GS_OK)
        printf("request %lld filed for %s (%s)\n", (long long)id, user,
               in.submit ? "submitted" : "draft");
    store_close(x.s);
    return rc;
}

/* submit, withdraw and revoke: one ID, an optional comment, optionally --as a user. */
static int simple_step(int argc, char **argv, const char *verb, const char *summary,
                       struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("comment", "TEXT", "a comment for the history (withdraw, revoke)"),
        OPT("as", "USER", "act as this user (default: the operator)"),
    };
    char usage[96];
    snprintf(usage, sizeof usage, "access %s ID [--comment TEXT] [--as USER]", verb);
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, usage, summary, 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = parse_id(&a, verb, &id, err)) != GS_OK)
        return rc;
    struct session x;
    if ((rc = session_open(&x, o[0].value, o[2].value, err)) != GS_OK)
        return rc;
    time_t now = time(NULL);
    if (strcmp(verb, "submit") == 0)
        rc = requests_submit(x.s, &x.by, &x.who, id, now, err);
    else if (strcmp(verb, "withdraw") == 0)
        rc = requests_withdraw(x.s, &x.by, &x.who, id, o[1].value, now, err);
    else
        rc = requests_revoke(x.s, &x.by, &x.who, id, o[1].value, now, err);
    if (rc == GS_OK)
        printf("request %lld %s\n", (long long)id,
               strcmp(verb, "submit") == 0 ? "submitted"
               : strcmp(verb, "withdraw") == 0 ? "withdrawn" : "revoked; its grants stopped");
    store_close(x.s);
    return rc;
}

static int access_submit(int argc, char **argv, struct gs_err *err)
{
    return simple_step(argc, argv, "submit", "Submit a draft request to the committees.", err);
}

static int access_withdraw(int argc, char **argv, struct gs_err *err)
{
    return simple_step(argc, argv, "withdraw", "Withdraw a draft or submitted request.", err);
}

static int access_revoke(int argc, char **argv, struct gs_err *err)
{
    return simple_step(argc, argv, "revoke",
                       "Revoke an approved request: its grants stop at once.", err);
}

/* ---- review ---- */

static int access_review(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("as", "USER", "the reviewing committee member or admin (required)"),
        OPT("approve", NULL, "approve your committee's part"),
        OPT("reject", NULL, "reject the request"),
        OPT("comment", "TEXT", "why (required to approve despite DUO conflicts)"),
        OPT("until", "DATE", "approve a shorter period, ending at DATE"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "access review ID --as USER --approve|--reject [--comment TEXT] "
                               "[--until DATE]",
                               "Decide a submitted request as a committee member.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    const char *as;
    if ((rc = parse_id(&a, "review", &id, err)) != GS_OK ||
        (rc = cli_required(&o[1], &as, err)) != GS_OK)
        return rc;
    if ((o[2].value != NULL) == (o[3].value != NULL))
        return gs_err_set(err, GS_EUSAGE, "give exactly one of --approve and --reject");
    time_t until = 0;
    if (o[5].value && (rc = parse_date(o[5].value, &until, err)) != GS_OK)
        return rc;
    if (until != 0 && o[3].value)
        return gs_err_set(err, GS_EUSAGE, "--until goes with --approve");
    struct session x;
    if ((rc = session_open(&x, o[0].value, as, err)) != GS_OK)
        return rc;
    bool approve = o[2].value != NULL;
    rc = requests_review(x.s, &x.by, &x.who, id, approve, o[4].value, until, time(NULL), err);
    json_t *doc = NULL;
    if (rc == GS_OK)
        rc = requests_get_json(x.s, &x.who, id, time(NULL), &doc, err);
    if (rc == GS_OK)
        printf("request %lld: %s by %s; request is now %s\n", (long long)id,
               approve ? "approved" : "rejected", as, str(doc, "state"));
    json_decref(doc);
    store_close(x.s);
    return rc;
}

/* ---- list, show ---- */

static int access_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("user", "NAME", "filed by this user"),
        OPT("state", "STATE", "draft | submitted | approved | rejected | withdrawn | expired | "
                              "revoked"),
        OPT("dataset", "NAME", "asking for this dataset"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "access list [--user U] [--state S] [--dataset D]",
                               "List requests as TSV: id, requester, state, datasets, duo, from, "
                               "until, approved_until, conflicts.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    enum request_state ignored_state;
    if (o[2].value && request_state_parse(o[2].value, &ignored_state, err) != GS_OK)
        return GS_EUSAGE;
    struct session x;
    if ((rc = session_open(&x, o[0].value, NULL, err)) != GS_OK)
        return rc;
    struct request_list_filter f = {0, o[2].value, o[3].value, false};
    struct store_user u;
    if (o[1].value && (rc = store_user_by_name(x.s, o[1].value, &u, err)) == GS_OK)
        f.user_id = u.id;
    json_t *items = NULL;
    if (rc == GS_OK)
        rc = requests_list_json(x.s, &x.who, &f, time(NULL), &items, err);
    if (rc == GS_OK) {
        printf("id\trequester\tstate\tdatasets\tduo\tfrom\tuntil\tapproved_until\tconflicts\n");
        size_t i;
        json_t *r;
        json_array_foreach(items, i, r) {
            char names[1024] = "";
            size_t used = 0, k;
            json_t *d;
            json_array_foreach(json_object_get(r, "datasets"), k, d) {
                int n = snprintf(names + used, sizeof names - used, "%s%s", k ? "," : "",
                                 str(d, "name"));
                used = n < 0 || used + (size_t)n >= sizeof names ? sizeof names - 1 : used + (size_t)n;
            }
            printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%lld\n",
                   (long long)json_integer_value(json_object_get(r, "id")), str(r, "requester"),
                   str(r, "state"), names, str(r, "duo"), str(r, "from"), str(r, "until"),
                   str(r, "approved_until"),
                   (long long)json_integer_value(json_object_get(r, "conflicts")));
        }
    }
    json_decref(items);
    store_close(x.s);
    return rc;
}

static int access_show(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("json", NULL, "print the whole request as JSON"),
        OPT("as", "USER", "show it as this user would see it (404 if they may not)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "access show ID [--json] [--as USER]",
                               "Show a request: datasets, DUO conflicts, history.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = parse_id(&a, "show", &id, err)) != GS_OK)
        return rc;
    struct session x;
    if ((rc = session_open(&x, o[0].value, o[2].value, err)) != GS_OK)
        return rc;
    json_t *doc = NULL;
    rc = requests_get_json(x.s, &x.who, id, time(NULL), &doc, err);
    if (rc == GS_OK && o[1].value) {
        rc = print_json(doc, err);
    } else if (rc == GS_OK) {
        printf("request %lld by %s: %s\nduo: %s%s\nperiod: %s .. %s\napproved until: %s\n"
               "purpose: %s\n",
               (long long)id, str(doc, "requester"), str(doc, "state"), str(doc, "duo"),
               json_is_true(json_object_get(doc, "commercial")) ? " (commercial)" : "",
               str(doc, "from"), str(doc, "until"), str(doc, "approved_until"),
               str(doc, "purpose"));
        size_t i, k;
        json_t *d, *c, *h;
        json_array_foreach(json_object_get(doc, "datasets"), i, d) {
            printf("dataset %s [%s]: %s%s%s\n", str(d, "name"), str(d, "duo"), str(d, "decision"),
                   json_is_string(json_object_get(d, "decided_by")) ? " by " : "",
                   json_is_string(json_object_get(d, "decided_by")) ? str(d, "decided_by") : "");
            json_array_foreach(json_object_get(d, "conflicts"), k, c)
                printf("  conflict %s: %s\n", str(c, "term"), str(c, "why"));
        }
        json_array_foreach(json_object_get(doc, "history"), i, h)
            printf("%s\t%s\t%s\t%s\t%s\n", str(h, "at"), str(h, "by"), str(h, "action"),
                   str(h, "state"), str(h, "comment"));
    }
    json_decref(doc);
    store_close(x.s);
    return rc;
}

/* ---- committees ---- */

static int dac_change(int argc, char **argv, bool add, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("dataset", "NAME", "a controlled dataset (required)"),
        OPT("user", "NAME", "a user holding the dac role (required)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               add ? "access dac add --dataset D --user U"
                                   : "access dac remove --dataset D --user U",
                               add ? "Put a user on a dataset's data-access committee."
                                   : "Take a user off a dataset's data-access committee.",
                               0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *dataset, *user;
    if ((rc = cli_required(&o[1], &dataset, err)) != GS_OK ||
        (rc = cli_required(&o[2], &user, err)) != GS_OK)
        return rc;
    struct session x;
    if ((rc = session_open(&x, o[0].value, NULL, err)) != GS_OK)
        return rc;
    rc = add ? requests_dac_add(x.s, &x.by, dataset, user, time(NULL), err)
             : requests_dac_remove(x.s, &x.by, dataset, user, err);
    if (rc == GS_OK)
        printf("%s %s the data-access committee of %s\n", user, add ? "is on" : "is off",
               dataset);
    store_close(x.s);
    return rc;
}

static int dac_add(int argc, char **argv, struct gs_err *err)
{
    return dac_change(argc, argv, true, err);
}

static int dac_remove(int argc, char **argv, struct gs_err *err)
{
    return dac_change(argc, argv, false, err);
}

static int dac_print(void *ctx, const struct store_dac_member *m)
{
    (void)ctx;
    char added[21];
    format_utc_time(m->added_at, added);
    printf("%s\t%s\t%s\n", m->dataset, m->user, added);
    return 0;
}

static int dac_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("dataset", "NAME", "only this dataset's committee")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "access dac list [--dataset D]",
                               "List committee members as TSV: dataset, user, added.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct session x;
    if ((rc = session_open(&x, o[0].value, NULL, err)) != GS_OK)
        return rc;
    struct store_dataset d = {0};
    if (o[1].value)
        rc = store_dataset_by_name(x.s, o[1].value, &d, err);
    if (rc == GS_OK) {
        printf("dataset\tuser\tadded\n");
        rc = store_dac_each(x.s, d.id, dac_print, NULL, err);
    }
    store_close(x.s);
    return rc;
}

static int access_dac(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", dac_add, "put a dac user on a dataset's committee"},
        {"remove", dac_remove, "take a user off a dataset's committee"},
        {"list", dac_list, "list committee members"},
    };
    return cli_dispatch("access dac", verbs, 3, argc, argv, err);
}

/* ---- DUO terms ---- */

static int duo_set(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("dataset", "NAME", "the dataset (required)"),
        OPT("terms", "CODES", "its consent as DUO terms, e.g. HMB,NPU or DS:MONDO:0007254,IRB "
                              "(required)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "access duo set --dataset D --terms CODES",
                               "Record a dataset's data-use terms (GA4GH DUO).", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *dataset, *terms;
    if ((rc = cli_required(&o[1], &dataset, err)) != GS_OK ||
        (rc = cli_required(&o[2], &terms, err)) != GS_OK)
        return rc;
    struct session x;
    if ((rc = session_open(&x, o[0].value, NULL, err)) != GS_OK)
        return rc;
    rc = requests_duo_set(x.s, &x.by, dataset, terms, time(NULL), err);
    char stored[STORE_DUO_MAX] = "";
    struct store_dataset d;
    if (rc == GS_OK && (rc = store_dataset_by_name(x.s, dataset, &d, err)) == GS_OK &&
        (rc = store_dataset_duo_get(x.s, d.id, stored, err)) == GS_OK)
        printf("%s: %s\n", dataset, stored);
    store_close(x.s);
    return rc;
}

struct duo_list_ctx {
    struct store *s;
    struct gs_err *err;
};

static int duo_print(void *ctx, const struct store_dataset *d)
{
    struct duo_list_ctx *c = ctx;
    char terms[STORE_DUO_MAX] = "";
    struct gs_err none = {0};
    int rc = store_dataset_duo_get(c->s, d->id, terms, &none);
    if (rc != GS_OK && rc != GS_ENOTFOUND)
        return gs_err_set(c->err, rc, "%s", none.msg);
    printf("%s\t%s\t%s\n", d->name, tier_name(d->tier), terms[0] ? terms : "-");
    return 0;
}

static int duo_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "access duo list",
                               "List datasets' DUO terms as TSV: dataset, tier, terms.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct session x;
    if ((rc = session_open(&x, o[0].value, NULL, err)) != GS_OK)
        return rc;
    struct duo_list_ctx c = {x.s, err};
    printf("dataset\ttier\tterms\n");
    rc = store_dataset_each(x.s, duo_print, &c, err);
    store_close(x.s);
    return rc;
}

static int access_duo(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"set", duo_set, "record a dataset's DUO terms"},
        {"list", duo_list, "list datasets' DUO terms"},
    };
    return cli_dispatch("access duo", verbs, 2, argc, argv, err);
}

int cmd_access(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"request", access_request, "file an access request (draft, or --submit)"},
        {"submit", access_submit, "submit a draft"},
        {"withdraw", access_withdraw, "withdraw a draft or submitted request"},
        {"review", access_review, "approve or reject as a committee member (--as)"},
        {"revoke", access_revoke, "revoke an approved request: access stops at once"},
        {"list", access_list, "list requests (TSV)"},
        {"show", access_show, "show one request, its DUO conflicts and history"},
        {"dac", access_dac, "data-access committees: add, remove, list"},
        {"duo", access_duo, "datasets' DUO terms: set, list"},
    };
    return cli_dispatch("access", verbs, 9, argc, argv, err);
}
