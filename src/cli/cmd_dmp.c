/* cmd_dmp.c — `genoshare dmp`: file, update and link Data Management Plans, show and list them
 * with their computed deadline and status, their version history, and the dashboard's
 * tables as CSV, TSV or JSON. The command line acts as the operator (policy/dmp.h). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "policy/dmp.h"
#include "policy/report.h"

#define OPT_AS_OF OPT("as-of", "DATE", "compute deadlines and statuses as of DATE (default today)")

/* ---- shared ---- */

/* The plan fields, in this order, for add and update. */
enum { F_DB, F_PROGRAMME, F_TITLE, F_PI, F_INSTITUTION, F_TYPES, F_TARGET, F_VOLUME, F_ANALYSIS,
       F_PAPER, F_COUNT };
#define PLAN_OPTIONS                                                                         \
    {                                                                                        \
        OPT_DB,                                                                              \
        OPT("programme", "P", "genome_medicine | rare_intractable_disease | "               \
                              "brain_mental_health | emerging_infectious_disease | "        \
                              "hepatitis | hiv_aids"),                                      \
        OPT("title", "TEXT", "the project's title"),                                        \
        OPT("pi", "NAME", "principal investigator (a genoshare user name lets them edit)"), \
        OPT("institution", "NAME", "the institution filing the plan"),                      \
        OPT("data-type", "TYPE:TIER[,…]", "planned data types, each with its planned tier"),\
        OPT("target-db", "NAME", "target public database (e.g. JGA, DDBJ, MGeND)"),         \
        OPT("volume", "TEXT", "expected volume (e.g. \"120 exomes, 40 GB\")"),              \
        OPT("analysis-done", "DATE", "genome analysis completion, YYYY-MM-DD (\"\" clears)"), \
        OPT("paper-accepted", "DATE", "paper acceptance, YYYY-MM-DD (\"\" clears)"),       \
    }

static int input_from_options(const struct cli_option *o, struct dmp_input *in,
                              struct gs_err *err)
{
    dmp_input_init(in);
    if (o[F_PROGRAMME].value != NULL && dmp_programme_check(o[F_PROGRAMME].value, err) != GS_OK)
        return GS_EUSAGE;
    in->programme = o[F_PROGRAMME].value;
    in->title = o[F_TITLE].value;
    in->pi = o[F_PI].value;
    in->institution = o[F_INSTITUTION].value;
    in->target_db = o[F_TARGET].value;
    in->volume = o[F_VOLUME].value;
    if ((in->set_analysis_done = o[F_ANALYSIS].value != NULL) &&
        dmp_parse_date(o[F_ANALYSIS].value, &in->analysis_done, err) != GS_OK)
        return GS_EUSAGE;
    if ((in->set_paper_accepted = o[F_PAPER].value != NULL) &&
        dmp_parse_date(o[F_PAPER].value, &in->paper_accepted, err) != GS_OK)
        return GS_EUSAGE;
    if (o[F_TYPES].value != NULL && dmp_parse_items(o[F_TYPES].value, in, err) != GS_OK)
        return GS_EUSAGE;
    return GS_OK;
}

static int parse_id(const struct cli_args *a, const char *verb, int64_t *id, struct gs_err *err)
{
    char command[32];
    snprintf(command, sizeof command, "dmp %s", verb);
    return cli_positional_id(a, command, "plan", id, err);
}

static int as_of(const char *text, time_t *now, struct gs_err *err)
{
    *now = time(NULL);
    if (text != NULL && (dmp_parse_date(text, now, err) != GS_OK || *now == 0))
        return gs_err_set(err, GS_EUSAGE, "--as-of needs a date (YYYY-MM-DD)");
    return GS_OK;
}

/* A write from the command line: the store, and the operator as principal and audit actor. */
struct as_operator {
    struct store *s; /* closed by the caller with store_close */
    char actor_name[STORE_TEXT_MAX];
    struct actor by; /* points into actor_name: do not copy the struct */
    struct principal op;
};

static int operator_open(const char *db, struct as_operator *w, struct gs_err *err)
{
    w->s = NULL;
    w->by = cli_operator_actor(w->actor_name, sizeof w->actor_name);
    principal_operator(&w->op);
    return cli_open_store(db, &w->s, err);
}

/* Prints the plan's one-line summary after a write. */
static int print_written(struct store *s, int64_t id, const char *what, struct gs_err *err)
{
    struct store_dmp d;
    int rc = store_dmp_get(s, id, &d, err);
    if (rc != GS_OK)
        return rc;
    struct dmp_state st = dmp_state_of(&d, time(NULL));
    char deadline[11];
    dmp_format_date(st.deadline, deadline);
    printf("plan %lld %s (version %d): %s, deadline %s%s%s%s\n", (long long)id, what, d.version,
           dmp_status_name(st.status), st.deadline ? deadline : "none yet",
           st.deadline ? " (" : "", st.deadline ? dmp_rule_name(st.rule) : "",
           st.deadline ? ")" : "");
    return GS_OK;
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

/* ---- add, update, link ---- */

static int dmp_cmd_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = PLAN_OPTIONS;
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "dmp add --programme P --title T --pi NAME --institution I "
                               "--data-type TYPE:TIER[,TYPE:TIER…] [--target-db NAME] "
                               "[--volume TEXT] [--analysis-done DATE] [--paper-accepted DATE]",
                               "File a Data Management Plan (version 1).", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *ignored;
    for (int i = F_PROGRAMME; i <= F_TYPES; i++)
        if ((rc = cli_required(&o[i], &ignored, err)) != GS_OK)
            return rc;
    struct dmp_input in;
    if ((rc = input_from_options(o, &in, err)) != GS_OK)
        return rc;
    struct as_operator w;
    if ((rc = operator_open(o[F_DB].value, &w, err)) != GS_OK)
        return rc;
    int64_t id = 0;
    if ((rc = dmp_add(w.s, &w.op, &w.by, &in, time(NULL), &id, err)) == GS_OK)
        rc = print_written(w.s, id, "added", err);
    store_close(w.s);
    return rc;
}

static int dmp_cmd_update(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = PLAN_OPTIONS;
    struct cli_args a;
    int64_t id;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "dmp update ID [--programme P] [--title T] [--pi NAME] "
                               "[--institution I] [--data-type TYPE:TIER,…] [--target-db NAME] "
                               "[--volume TEXT] [--analysis-done DATE] [--paper-accepted DATE]",
                               "Change a plan's fields; the old version is kept. A data type "
                               "that stays keeps its dataset link.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct dmp_input in;
    if ((rc = parse_id(&a, "update", &id, err)) != GS_OK ||
        (rc = input_from_options(o, &in, err)) != GS_OK)
        return rc;
    struct as_operator w;
    if ((rc = operator_open(o[F_DB].value, &w, err)) != GS_OK)
        return rc;
    if ((rc = dmp_update(w.s, &w.op, &w.by, id, &in, time(NULL), err)) == GS_OK)
        rc = print_written(w.s, id, "updated", err);
    store_close(w.s);
    return rc;
}

static int dmp_cmd_link(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("data-type", "TYPE", "the plan's data type entry (required)"),
        OPT("dataset", "NAME", "the registered dataset holding that data"),
        OPT("unlink", NULL, "remove the entry's link instead"),
    };
    struct cli_args a;
    int64_t id;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "dmp link ID --data-type TYPE (--dataset NAME | --unlink)",
                               "Link a planned data type to its registered dataset (the plan is "
                               "fulfilled when every data type is linked).", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *type_text;
    enum data_type type;
    if ((rc = parse_id(&a, "link", &id, err)) != GS_OK ||
        (rc = cli_required(&o[1], &type_text, err)) != GS_OK)
        return rc;
    if (data_type_parse(type_text, &type, err) != GS_OK)
        return GS_EUSAGE;
    if ((o[2].value == NULL) == (o[3].value == NULL))
        return gs_err_set(err, GS_EUSAGE, "give --dataset NAME or --unlink");
    struct as_operator w;
    if ((rc = operator_open(o[0].value, &w, err)) != GS_OK)
        return rc;
    if ((rc = dmp_link(w.s, &w.op, &w.by, id, type, o[2].value, time(NULL), err)) == GS_OK)
        rc = print_written(w.s, id, o[2].value ? "linked" : "unlinked", err);
    store_close(w.s);
    return rc;
}

/* ---- show, list, history ---- */

static int dmp_cmd_show(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("json", NULL, "print JSON"), OPT_AS_OF};
    struct cli_args a;
    int64_t id;
    time_t now;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "dmp show ID [--json] [--as-of DATE]",
                               "Print a plan with its deadline and status.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if ((rc = parse_id(&a, "show", &id, err)) != GS_OK || (rc = as_of(o[2].value, &now, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    struct store_dmp d;
    json_t *doc = NULL;
    if ((rc = store_dmp_get(s, id, &d, err)) == GS_OK &&
        (doc = dmp_to_json(s, &d, true, now, err)) == NULL)
        rc = err->code ? err->code : GS_ENOMEM;
    if (rc == GS_OK && o[1].value != NULL) {
        rc = print_json(doc, err);
    } else if (rc == GS_OK) {
        /* field<TAB>value, one per line; data types as TYPE<TAB>TIER<TAB>DATASET|- */
        const char *key;
        json_t *v;
        json_object_foreach(doc, key, v) {
            if (json_is_string(v))
                printf("%s\t%s\n", key, json_string_value(v));
            else if (json_is_integer(v))
                printf("%s\t%lld\n", key, (long long)json_integer_value(v));
            else if (json_is_null(v))
                printf("%s\t-\n", key);
        }
        size_t i;
        json_array_foreach(json_object_get(doc, "data_types"), i, v) {
            const char *ds = json_string_value(json_object_get(v, "dataset"));
            printf("data_type\t%s\t%s\t%s\n", json_string_value(json_object_get(v, "data_type")),
                   json_string_value(json_object_get(v, "tier")), ds ? ds : "-");
        }
    }
    json_decref(doc);
    store_close(s);
    return rc;
}

struct list_ctx {
    const char *programme;
    bool by_status;
    enum dmp_status status;
    time_t now;
    struct store *s;
    struct gs_err *err;
};

static int list_print(void *ctx, const struct store_dmp *d)
{
    struct list_ctx *c = ctx;
    struct dmp_state st = dmp_state_of(d, c->now);
    if ((c->programme && strcmp(c->programme, d->programme) != 0) ||
        (c->by_status && st.status != c->status))
        return 0;
    struct store_institution inst;
    int rc = store_institution_get(c->s, d->institution_id, &inst, c->err);
    if (rc != GS_OK)
        return rc;
    char deadline[11], days[24];
    dmp_format_date(st.deadline, deadline);
    snprintf(days, sizeof days, "%lld", (long long)st.days_left);
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", (long long)d->id, d->programme, inst.name,
           d->pi, st.deadline ? deadline : "-", st.deadline ? dmp_rule_name(st.rule) : "-",
           st.deadline ? days : "-", dmp_status_name(st.status), d->version, d->title);
    return 0;
}

static int dmp_cmd_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("programme", "P", "only this programme"),
                             OPT("status", "S", "only on_track | due_soon | overdue | fulfilled"),
                             OPT_AS_OF};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "dmp list [--programme P] [--status S] [--as-of DATE]",
                               "List plans as TSV: id, programme, institution, pi, deadline, "
                               "rule, days_left, status, version, title.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct list_ctx c = {o[1].value, o[2].value != NULL, DMP_ON_TRACK, 0, NULL, err};
    if ((c.programme && dmp_programme_check(c.programme, err) != GS_OK) ||
        (c.by_status && dmp_status_parse(o[2].value, &c.status, err) != GS_OK))
        return GS_EUSAGE;
    if ((rc = as_of(o[3].value, &c.now, err)) != GS_OK ||
        (rc = cli_open_store(o[0].value, &c.s, err)) != GS_OK)
        return rc;
    printf("id\tprogramme\tinstitution\tpi\tdeadline\trule\tdays_left\tstatus\tversion\ttitle\n");
    rc = store_dmp_each(c.s, list_print, &c, err);
    store_close(c.s);
    return rc;
}

struct history_ctx {
    bool json;
    json_t *versions;
};

static int history_print(void *ctx, const struct store_dmp_version *v)
{
    struct history_ctx *c = ctx;
    char at[21];
    format_utc_time(v->at, at);
    if (!c->json) {
        printf("%d\t%s\t%s\t%s\n", v->version, at, v->actor, v->changes);
        return 0;
    }
    json_array_append_new(c->versions, json_pack("{s:i, s:s, s:s, s:s, s:o*}", "version",
                                                 v->version, "at", at, "actor", v->actor,
                                                 "changes", v->changes, "content",
                                                 json_loads(v->content, 0, NULL)));
    return 0;
}

static int dmp_cmd_history(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("json", NULL, "print every version's full content")};
    struct cli_args a;
    int64_t id;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "dmp history ID [--json]",
                               "List a plan's versions as TSV: version, at, actor, changes.", 1,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if ((rc = parse_id(&a, "history", &id, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    struct history_ctx c = {o[1].value != NULL, json_array()};
    struct store_dmp d;
    if (!c.json)
        printf("version\tat\tactor\tchanges\n");
    if ((rc = store_dmp_get(s, id, &d, err)) == GS_OK &&
        (rc = store_dmp_version_each(s, id, history_print, &c, err)) == GS_OK && c.json)
        rc = print_json(c.versions, err);
    json_decref(c.versions);
    store_close(s);
    return rc;
}

/* ---- report ---- */

static int dmp_cmd_report(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB, OPT("programme", "P", "only this programme (default: all)"),
        OPT("table", "NAME", "status | programmes | datasets | registrations | overdue "
                             "(default: all)"),
        OPT("format", "FORMAT", "csv | tsv | json (required)"), OPT_AS_OF,
    };
    struct cli_args a;
    time_t now;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "dmp report [--programme P] [--table NAME] --format csv|tsv|json "
                               "[--as-of DATE]",
                               "Print the dashboard's tables. Without --table, csv and tsv print "
                               "every table, each after a '# NAME' line and a blank line between.",
                               0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *format;
    if ((rc = cli_required(&o[3], &format, err)) != GS_OK || (rc = as_of(o[4].value, &now, err)) != GS_OK)
        return rc;
    if (strcmp(format, "csv") != 0 && strcmp(format, "tsv") != 0 && strcmp(format, "json") != 0)
        return gs_err_set(err, GS_EUSAGE, "--format must be csv, tsv or json");
    if ((o[2].value && report_table_check(o[2].value, err) != GS_OK) ||
        (o[1].value && dmp_programme_check(o[1].value, err) != GS_OK))
        return GS_EUSAGE;
    struct store *s = NULL;
    json_t *report = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    rc = report_build(s, o[1].value, now, &report, err);
    store_close(s);
    if (rc != GS_OK)
        return rc;
    json_t *tables = json_object_get(report, "tables");
    if (strcmp(format, "json") == 0) {
        rc = print_json(o[2].value ? json_object_get(tables, o[2].value) : report, err);
    } else {
        for (int i = 0; rc == GS_OK && i < REPORT_TABLE_COUNT; i++) {
            if (o[2].value && strcmp(o[2].value, report_tables[i]) != 0)
                continue;
            char *text = NULL;
            rc = report_table_text(json_object_get(tables, report_tables[i]),
                                   format[0] == 'c' ? ',' : '\t', &text, err);
            if (rc == GS_OK && o[2].value == NULL)
                printf("%s# %s\n", i ? "\n" : "", report_tables[i]);
            if (rc == GS_OK)
                fputs(text, stdout);
            free(text);
        }
    }
    json_decref(report);
    return rc;
}

int cmd_dmp(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", dmp_cmd_add, "file a Data Management Plan"},
        {"update", dmp_cmd_update, "change a plan (the old version is kept)"},
        {"link", dmp_cmd_link, "link a planned data type to its registered dataset"},
        {"show", dmp_cmd_show, "print a plan with its deadline and status"},
        {"list", dmp_cmd_list, "list plans with their deadlines and statuses (TSV)"},
        {"history", dmp_cmd_history, "list a plan's versions: who changed what, when"},
        {"report", dmp_cmd_report, "the dashboard's tables as CSV, TSV or JSON"},
    };
    return cli_dispatch("dmp", verbs, NOPTS(verbs), argc, argv, err);
}
