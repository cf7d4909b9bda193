/* test_dmp.c — Data Management Plans: the deadline and status function at its edges (either
 * side of the deadline, the 90-day boundary, one date only, "+2 years" from 29 February),
 * then the real store: date changes moving the deadline, versions, links, who may write,
 * audit rows, and the dashboard's tables and their CSV/TSV text. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/crypto.h"
#include "core/parse.h"
#include "policy/dmp.h"
#include "policy/report.h"
#include "registry/registry.h"

#define DAY 86400

static time_t date(const char *text)
{
    time_t t = 0;
    struct gs_err err = {0};
    if (parse_utc_time(text, &t, &err) != GS_OK) {
        fprintf(stderr, "bad test date %s\n", text);
        exit(1);
    }
    return t;
}

static bool is_date(time_t t, const char *text)
{
    char got[11];
    dmp_format_date(t, got);
    return strcmp(got, text) == 0;
}

/* ---- the pure function ---- */

static void test_plus_two_years(struct check_state *st)
{
    static const char *const cases[][2] = {
        {"2024-02-29", "2026-02-28"}, /* leap day: never later than two years */
        {"2024-02-28", "2026-02-28"}, {"2024-03-01", "2026-03-01"},
        {"2026-02-28", "2028-02-28"}, /* lands in a leap year: stays the 28th */
        {"2027-12-31", "2029-12-31"}, {"2000-02-29", "2002-02-28"},
        {"2024-02-29T23:59:59Z", "2026-02-28"}, /* time of day does not matter */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK(st, is_date(dmp_plus_two_years(date(cases[i][0])), cases[i][1]),
              "plus two years: %s -> %s", cases[i][0], cases[i][1]);
    time_t d = dmp_plus_two_years(date("2024-02-29T13:00:00Z"));
    CHECK(st, d % DAY == 0, "plus two years: result is midnight UTC");
}

static void test_rules(struct check_state *st)
{
    time_t now = date("2025-01-01");
    struct dmp_state s = dmp_evaluate(0, 0, false, now);
    CHECK(st, s.rule == DMP_RULE_NONE && s.deadline == 0 && s.status == DMP_ON_TRACK,
          "rule: no dates -> no deadline, on track");

    s = dmp_evaluate(date("2024-06-15"), 0, false, now);
    CHECK(st, s.rule == DMP_RULE_ANALYSIS_PLUS_2Y && is_date(s.deadline, "2026-06-15"),
          "rule: analysis date only -> analysis + 2 years");

    s = dmp_evaluate(0, date("2025-03-01"), false, now);
    CHECK(st, s.rule == DMP_RULE_PAPER && is_date(s.deadline, "2025-03-01"),
          "rule: paper date only -> the paper date");

    s = dmp_evaluate(date("2024-06-15"), date("2025-03-01"), false, now);
    CHECK(st, s.rule == DMP_RULE_PAPER && is_date(s.deadline, "2025-03-01"),
          "rule: both, paper earlier -> paper");

    s = dmp_evaluate(date("2022-06-15"), date("2025-03-01"), false, now);
    CHECK(st, s.rule == DMP_RULE_ANALYSIS_PLUS_2Y && is_date(s.deadline, "2024-06-15"),
          "rule: both, analysis + 2y earlier -> analysis");

    s = dmp_evaluate(date("2023-03-01"), date("2025-03-01"), false, now);
    CHECK(st, s.rule == DMP_RULE_PAPER && is_date(s.deadline, "2025-03-01"),
          "rule: both on the same day -> paper named");

    s = dmp_evaluate(date("2024-02-29"), date("2026-03-01"), false, now);
    CHECK(st, s.rule == DMP_RULE_ANALYSIS_PLUS_2Y && is_date(s.deadline, "2026-02-28"),
          "rule: Feb 29 + 2y (Feb 28) beats a paper on Mar 1");

    s = dmp_evaluate(date("2024-02-29"), date("2026-02-28"), false, now);
    CHECK(st, s.rule == DMP_RULE_PAPER && is_date(s.deadline, "2026-02-28"),
          "rule: Feb 29 + 2y ties with a paper on Feb 28 -> paper");

    s = dmp_evaluate(0, date("2025-03-01T18:30:00Z"), false, now);
    CHECK(st, is_date(s.deadline, "2025-03-01") && s.deadline % DAY == 0,
          "rule: a paper time of day becomes its whole day");
}

static void test_boundaries(struct check_state *st)
{
    time_t paper = date("2025-06-30");
    struct {
        const char *now;
        int64_t days_left;
        enum dmp_status status;
    } cases[] = {
        {"2025-06-29T23:59:59Z", 1, DMP_DUE_SOON}, /* the second before the deadline day */
        {"2025-06-30T00:00:00Z", 0, DMP_DUE_SOON}, /* the deadline day itself is still due */
        {"2025-06-30T23:59:59Z", 0, DMP_DUE_SOON},
        {"2025-07-01T00:00:00Z", -1, DMP_OVERDUE}, /* the day after */
        {"2026-06-30T00:00:00Z", -365, DMP_OVERDUE},
        {"2025-04-01T00:00:00Z", 90, DMP_DUE_SOON}, /* 90 days left: within the window */
        {"2025-04-01T23:59:59Z", 90, DMP_DUE_SOON},
        {"2025-03-31T23:59:59Z", 91, DMP_ON_TRACK}, /* 91 days left: not yet */
        {"2025-04-02T00:00:00Z", 89, DMP_DUE_SOON},
        {"2024-01-01T00:00:00Z", 546, DMP_ON_TRACK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct dmp_state s = dmp_evaluate(0, paper, false, date(cases[i].now));
        CHECK(st, s.days_left == cases[i].days_left && s.status == cases[i].status,
              "boundary: deadline 2025-06-30, now %s -> %lld days, %s (got %lld, %s)",
              cases[i].now, (long long)cases[i].days_left, dmp_status_name(cases[i].status),
              (long long)s.days_left, dmp_status_name(s.status));
    }
    /* The same boundaries through the analysis rule, from a leap day. */
    time_t analysis = date("2024-02-29");
    struct dmp_state s = dmp_evaluate(analysis, 0, false, date("2026-02-28T12:00:00Z"));
    CHECK(st, s.status == DMP_DUE_SOON && s.days_left == 0,
          "boundary: analysis 2024-02-29, on 2026-02-28 -> due today");
    s = dmp_evaluate(analysis, 0, false, date("2026-03-01"));
    CHECK(st, s.status == DMP_OVERDUE && s.days_left == -1,
          "boundary: analysis 2024-02-29, on 2026-03-01 -> overdue");
    s = dmp_evaluate(analysis, 0, false, date("2025-11-30"));
    CHECK(st, s.status == DMP_DUE_SOON && s.days_left == 90,
          "boundary: analysis 2024-02-29, 90 days before -> due soon");
    s = dmp_evaluate(analysis, 0, false, date("2025-11-29"));
    CHECK(st, s.status == DMP_ON_TRACK && s.days_left == 91,
          "boundary: analysis 2024-02-29, 91 days before -> on track");
}

static void test_fulfilled_and_moves(struct check_state *st)
{
    time_t now = date("2025-01-01");
    CHECK(st, dmp_evaluate(0, date("2020-01-01"), true, now).status == DMP_FULFILLED,
          "fulfilled: wins over overdue");
    CHECK(st, dmp_evaluate(0, 0, true, now).status == DMP_FULFILLED,
          "fulfilled: also without any date");
    struct dmp_state s = dmp_evaluate(0, date("2020-01-01"), true, now);
    CHECK(st, s.rule == DMP_RULE_PAPER && is_date(s.deadline, "2020-01-01"),
          "fulfilled: the deadline is still reported");

    /* A date change moves the deadline: the function keeps no memory of the old one. */
    time_t analysis = date("2024-12-01"); /* deadline 2026-12-01: on track */
    CHECK(st, dmp_evaluate(analysis, 0, false, now).status == DMP_ON_TRACK,
          "move: analysis only -> on track");
    CHECK(st, dmp_evaluate(analysis, date("2024-12-20"), false, now).status == DMP_OVERDUE,
          "move: a paper accepted earlier pulls the deadline back -> overdue");
    CHECK(st, dmp_evaluate(analysis, date("2025-02-15"), false, now).status == DMP_DUE_SOON,
          "move: a paper in 45 days -> due soon");
    CHECK(st, dmp_evaluate(date("2022-12-01"), 0, false, now).status == DMP_OVERDUE,
          "move: an earlier analysis date -> overdue");
}

static void test_parsing(struct check_state *st)
{
    struct gs_err err = {0};
    time_t t = 1;
    CHECK(st, dmp_parse_date("", &t, &err) == GS_OK && t == 0, "parse: empty date clears");
    CHECK(st, dmp_parse_date("2024-02-29", &t, &err) == GS_OK && is_date(t, "2024-02-29"),
          "parse: leap day accepted");
    static const char *const bad[] = {"2023-02-29", "2024-13-01", "2024-2-1", "1969-12-31",
                                      "1989-12-31", "2024-02-29T00:00:00Z", "soon", "2201-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gs_err_clear(&err);
        CHECK(st, dmp_parse_date(bad[i], &t, &err) == GS_EINVAL, "parse: date '%s' refused",
              bad[i]);
    }
    struct dmp_input in;
    dmp_input_init(&in);
    CHECK(st, dmp_parse_items("variants:open,sequence:controlled", &in, &err) == GS_OK &&
                  in.nitems == 2 && in.items[0].data_type == DATA_VARIANTS &&
                  in.items[1].tier == TIER_CONTROLLED,
          "parse: two data types with tiers");
    static const char *const bad_items[] = {"", "variants", "variants:public", "genes:open",
                                            "variants:open,variants:controlled",
                                            "variants:open,", ",variants:open"};
    for (size_t i = 0; i < sizeof bad_items / sizeof bad_items[0]; i++) {
        gs_err_clear(&err);
        dmp_input_init(&in);
        CHECK(st, dmp_parse_items(bad_items[i], &in, &err) == GS_EINVAL,
              "parse: data types '%s' refused (%s)", bad_items[i], err.msg);
    }
    gs_err_clear(&err);
    CHECK(st, dmp_programme_check("hiv_aids", &err) == GS_OK &&
                  dmp_programme_check("oncology", &err) == GS_EINVAL,
          "parse: programme vocabulary");
}

/* ---- through the store ---- */

#define MUST(expr)                                                                          \
    do {                                                                                    \
        if ((expr) != GS_OK) {                                                              \
            fprintf(stderr, "setup failed at %s:%d: %s: %s\n", __FILE__, __LINE__, #expr,   \
                    err.msg);                                                               \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

struct world {
    char path[64];
    struct store *s;
    struct actor by;
    struct principal op, amy, bo, cy, dee, admin;
};

static void build_world(struct world *w)
{
    struct gs_err err = {0};
    snprintf(w->path, sizeof w->path, "/tmp/gs-dmp-XXXXXX");
    int fd = mkstemp(w->path);
    close(fd);
    unlink(w->path);
    MUST(store_open(w->path, &w->s, &err));
    w->by.name = "test";
    w->by.origin = "unit";
    struct store *s = w->s;
    MUST(registry_institution_add(s, &w->by, "kyoto-u", "Kyoto", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "osaka-u", "Osaka", "JP", NULL, &err));
    MUST(registry_user_add(s, &w->by, "amy", "Amy", "kyoto-u", ROLE_MEMBER | ROLE_SUBMITTER,
                           NULL, NULL, &err));
    MUST(registry_user_add(s, &w->by, "bo", "Bo", "osaka-u", ROLE_MEMBER | ROLE_SUBMITTER, NULL,
                           NULL, &err));
    MUST(registry_user_add(s, &w->by, "cy", "Cy", "kyoto-u", ROLE_MEMBER, NULL, NULL, &err));
    MUST(registry_user_add(s, &w->by, "dee", "Dee", "kyoto-u", ROLE_MEMBER | ROLE_SUBMITTER,
                           NULL, NULL, &err));
    MUST(registry_user_add(s, &w->by, "root", "Root", "osaka-u", ROLE_ADMIN, NULL, NULL, &err));
    MUST(registry_consortium_add(s, &w->by, "rare", "Rare", NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-variants", "V", TIER_CONTROLLED, DATA_VARIANTS,
                              "kyoto-u", NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-pheno", "P", TIER_RESTRICTED, DATA_PHENOTYPE,
                              "kyoto-u", "rare", NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-other", "O", TIER_OPEN, DATA_VARIANTS, "osaka-u",
                              NULL, NULL, &err));
    struct principal op_p;
    principal_operator(&op_p);
    struct registry_record_input rec = {"ds-variants", SCOPE_INTERNATIONAL, "r", "{}", NULL};
    MUST(registry_record_add(s, &w->by, &op_p, &rec, NULL, &err));
    MUST(registry_record_add(s, &w->by, &op_p, &rec, NULL, &err));
    principal_operator(&w->op);
    MUST(principal_for_name(s, "amy", &w->amy, &err));
    MUST(principal_for_name(s, "bo", &w->bo, &err));
    MUST(principal_for_name(s, "cy", &w->cy, &err));
    MUST(principal_for_name(s, "dee", &w->dee, &err));
    MUST(principal_for_name(s, "root", &w->admin, &err));
}

static void close_world(struct world *w)
{
    store_close(w->s);
    char side[80];
    unlink(w->path);
    snprintf(side, sizeof side, "%s-wal", w->path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", w->path);
    unlink(side);
}

static void plan_input(struct dmp_input *in, const char *institution, const char *items)
{
    struct gs_err err = {0};
    dmp_input_init(in);
    in->programme = "rare_intractable_disease";
    in->title = "Exomes of undiagnosed cases";
    in->pi = "Dr. PI";
    in->institution = institution;
    MUST(dmp_parse_items(items, in, &err));
}

static enum dmp_status status_at(struct world *w, int64_t id, time_t now)
{
    struct store_dmp d;
    struct gs_err err = {0};
    MUST(store_dmp_get(w->s, id, &d, &err));
    return dmp_state_of(&d, now).status;
}

struct history {
    int n;
    int versions[16];
    char changes[16][STORE_TEXT_MAX];
    char content[16][512];
};

static int history_collect(void *ctx, const struct store_dmp_version *v)
{
    struct history *h = ctx;
    if (h->n < 16) {
        h->versions[h->n] = v->version;
        snprintf(h->changes[h->n], sizeof h->changes[0], "%s", v->changes);
        snprintf(h->content[h->n], sizeof h->content[0], "%s", v->content);
        h->n++;
    }
    return 0;
}

static void test_store_dates_and_versions(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    time_t now = date("2025-01-01");
    struct dmp_input in;
    plan_input(&in, "kyoto-u", "variants:controlled,phenotype_clinical:restricted");
    in.set_analysis_done = true;
    in.analysis_done = date("2024-12-01");
    int64_t id = 0;
    int rc = dmp_add(w->s, &w->amy, &w->by, &in, now, &id, &err);
    CHECK(st, rc == GS_OK && id > 0, "store: submitter files a plan for own institution (%s)",
          err.msg);
    CHECK(st, status_at(w, id, now) == DMP_ON_TRACK, "store: new plan on track");

    struct dmp_input change;
    dmp_input_init(&change);
    change.set_paper_accepted = true;
    change.paper_accepted = date("2024-12-20");
    rc = dmp_update(w->s, &w->amy, &w->by, id, &change, now, &err);
    CHECK(st, rc == GS_OK && status_at(w, id, now) == DMP_OVERDUE,
          "store: setting an earlier paper date makes it overdue (%s)", err.msg);

    change.paper_accepted = 0; /* cleared */
    rc = dmp_update(w->s, &w->amy, &w->by, id, &change, now, &err);
    CHECK(st, rc == GS_OK && status_at(w, id, now) == DMP_ON_TRACK,
          "store: clearing the paper date moves the deadline back");

    dmp_input_init(&change);
    change.set_analysis_done = true;
    change.analysis_done = date("2023-02-15"); /* + 2y = 2025-02-15: 45 days */
    rc = dmp_update(w->s, &w->amy, &w->by, id, &change, now, &err);
    struct store_dmp d;
    MUST(store_dmp_get(w->s, id, &d, &err));
    struct dmp_state s = dmp_state_of(&d, now);
    CHECK(st, rc == GS_OK && s.status == DMP_DUE_SOON && s.days_left == 45 && d.version == 4,
          "store: an earlier analysis date -> due in 45 days, version 4");

    gs_err_clear(&err);
    rc = dmp_update(w->s, &w->amy, &w->by, id, &change, now, &err);
    MUST(store_dmp_get(w->s, id, &d, &err));
    CHECK(st, rc == GS_EINVAL && d.version == 4, "store: an update changing nothing is refused "
          "and makes no version");

    struct history h = {0};
    MUST(store_dmp_version_each(w->s, id, history_collect, &h, &err));
    CHECK(st, h.n == 4 && h.versions[0] == 1 && h.versions[3] == 4,
          "store: four versions kept, oldest first");
    CHECK(st, h.n == 4 && strcmp(h.changes[0], "created") == 0 &&
                  strcmp(h.changes[1], "paper_accepted") == 0 &&
                  strcmp(h.changes[3], "analysis_done") == 0,
          "store: each version names what changed");
    CHECK(st, h.n == 4 && strstr(h.content[1], "\"paper_accepted\":\"2024-12-20\"") != NULL &&
                  strstr(h.content[2], "\"paper_accepted\":null") != NULL &&
                  strstr(h.content[0], "\"analysis_done\":\"2024-12-01\"") != NULL,
          "store: old versions keep their old content");

    /* Versions cannot be rewritten with ordinary SQL. */
    sqlite3 *db = NULL;
    sqlite3_open(w->path, &db);
    sqlite3_busy_timeout(db, 2000);
    int up = sqlite3_exec(db, "UPDATE dmp_version SET changes = 'forged'", NULL, NULL, NULL);
    int del = sqlite3_exec(db, "DELETE FROM dmp_version", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK(st, up != SQLITE_OK && del != SQLITE_OK, "store: versions are append-only");
}

static void test_store_links(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    time_t now = date("2025-01-01");
    struct dmp_input in;
    plan_input(&in, "kyoto-u", "variants:controlled,phenotype_clinical:restricted");
    in.set_paper_accepted = true;
    in.paper_accepted = date("2024-06-01"); /* overdue */
    int64_t id = 0;
    MUST(dmp_add(w->s, &w->amy, &w->by, &in, now, &id, &err));

    int rc = dmp_link(w->s, &w->amy, &w->by, id, DATA_VARIANTS, "ds-pheno", now, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "phenotype_clinical") != NULL,
          "link: a dataset of another data type is refused (%s)", err.msg);
    gs_err_clear(&err);
    rc = dmp_link(w->s, &w->amy, &w->by, id, DATA_VARIANTS, "no-such", now, &err);
    CHECK(st, rc == GS_ENOTFOUND, "link: an unknown dataset is not found");
    gs_err_clear(&err);
    rc = dmp_link(w->s, &w->amy, &w->by, id, DATA_SEQUENCE, "ds-variants", now, &err);
    CHECK(st, rc == GS_EINVAL, "link: a data type the plan does not plan is refused");

    gs_err_clear(&err);
    rc = dmp_link(w->s, &w->amy, &w->by, id, DATA_VARIANTS, "ds-variants", now, &err);
    CHECK(st, rc == GS_OK && status_at(w, id, now) == DMP_OVERDUE,
          "link: one of two linked -> still overdue");
    rc = dmp_link(w->s, &w->amy, &w->by, id, DATA_PHENOTYPE, "ds-pheno", now, &err);
    CHECK(st, rc == GS_OK && status_at(w, id, now) == DMP_FULFILLED,
          "link: every data type linked -> fulfilled");
    rc = dmp_link(w->s, &w->amy, &w->by, id, DATA_PHENOTYPE, "ds-pheno", now, &err);
    CHECK(st, rc == GS_EINVAL, "link: linking the same dataset again is refused");

    /* Changing the planned types: a type that stays keeps its link; a new one is open. */
    struct dmp_input change;
    dmp_input_init(&change);
    gs_err_clear(&err);
    MUST(dmp_parse_items("variants:open,phenotype_clinical:restricted,sequence:controlled",
                         &change, &err));
    rc = dmp_update(w->s, &w->amy, &w->by, id, &change, now, &err);
    struct store_dmp d;
    MUST(store_dmp_get(w->s, id, &d, &err));
    CHECK(st, rc == GS_OK && d.nitems == 3 && d.items[0].dataset_id == 0 &&
                  d.items[0].data_type == DATA_SEQUENCE && d.items[1].dataset_id != 0 &&
                  d.items[1].tier == TIER_OPEN && status_at(w, id, now) == DMP_OVERDUE,
          "link: a new planned type reopens the plan; kept types keep links and take new tiers");
    dmp_input_init(&change);
    MUST(dmp_parse_items("variants:open,phenotype_clinical:restricted", &change, &err));
    rc = dmp_update(w->s, &w->amy, &w->by, id, &change, now, &err);
    CHECK(st, rc == GS_OK && status_at(w, id, now) == DMP_FULFILLED,
          "link: dropping the unlinked type fulfils it again");
    rc = dmp_link(w->s, &w->amy, &w->by, id, DATA_VARIANTS, NULL, now, &err);
    CHECK(st, rc == GS_OK && status_at(w, id, now) == DMP_OVERDUE,
          "link: unlinking makes it overdue again");
    gs_err_clear(&err);
    rc = dmp_link(w->s, &w->amy, &w->by, id, DATA_VARIANTS, NULL, now, &err);
    CHECK(st, rc == GS_EINVAL, "link: unlinking twice is refused");
}

static int count_action(void *ctx, const struct store_audit_row *row)
{
    int *counts = ctx;
    if (strcmp(row->action, "dmp.add") == 0)
        counts[0]++;
    else if (strcmp(row->action, "dmp.update") == 0)
        counts[1]++;
    else if (strcmp(row->action, "dmp.link") == 0)
        counts[2]++;
    return 0;
}

static void test_store_permissions(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    time_t now = date("2025-01-01");
    struct dmp_input in;
    int64_t id = 0;
    plan_input(&in, "osaka-u", "variants:open");
    int rc = dmp_add(w->s, &w->amy, &w->by, &in, now, &id, &err);
    CHECK(st, rc == GS_EFORBIDDEN, "who: a submitter cannot file for another institution");
    plan_input(&in, "kyoto-u", "variants:open");
    gs_err_clear(&err);
    rc = dmp_add(w->s, &w->cy, &w->by, &in, now, &id, &err);
    CHECK(st, rc == GS_EFORBIDDEN, "who: a member without the submitter role cannot file");
    struct principal anon;
    principal_anonymous(&anon);
    gs_err_clear(&err);
    rc = dmp_add(w->s, &anon, &w->by, &in, now, &id, &err);
    CHECK(st, rc == GS_EAUTH, "who: anonymous cannot file");
    plan_input(&in, "osaka-u", "variants:open");
    gs_err_clear(&err);
    rc = dmp_add(w->s, &w->admin, &w->by, &in, now, &id, &err);
    CHECK(st, rc == GS_OK, "who: an admin files for any institution");

    plan_input(&in, "kyoto-u", "variants:open");
    in.pi = "dee"; /* the PI has an account */
    MUST(dmp_add(w->s, &w->amy, &w->by, &in, now, &id, &err));
    struct dmp_input change;
    dmp_input_init(&change);
    change.title = "Renamed by the PI";
    rc = dmp_update(w->s, &w->dee, &w->by, id, &change, now, &err);
    CHECK(st, rc == GS_OK, "who: the PI (by user name) may edit");
    change.title = "Renamed by the creator";
    rc = dmp_update(w->s, &w->amy, &w->by, id, &change, now, &err);
    CHECK(st, rc == GS_OK, "who: the creator may edit");
    change.title = "Renamed by a colleague";
    gs_err_clear(&err);
    rc = dmp_update(w->s, &w->cy, &w->by, id, &change, now, &err);
    CHECK(st, rc == GS_EFORBIDDEN, "who: a colleague at the same institution may not edit");
    gs_err_clear(&err);
    rc = dmp_link(w->s, &w->bo, &w->by, id, DATA_VARIANTS, "ds-variants", now, &err);
    CHECK(st, rc == GS_EFORBIDDEN, "who: a stranger may not link");
    change.title = "Renamed by the admin";
    rc = dmp_update(w->s, &w->admin, &w->by, id, &change, now, &err);
    CHECK(st, rc == GS_OK, "who: an admin may edit");
    dmp_input_init(&change);
    change.institution = "osaka-u";
    gs_err_clear(&err);
    rc = dmp_update(w->s, &w->amy, &w->by, id, &change, now, &err);
    struct store_dmp d;
    MUST(store_dmp_get(w->s, id, &d, &err));
    CHECK(st, rc == GS_EFORBIDDEN && strcmp(d.title, "Renamed by the admin") == 0 &&
                  d.version == 4,
          "who: the creator cannot move the plan to another institution; nothing written");
    dmp_input_init(&change);
    change.title = "";
    gs_err_clear(&err);
    rc = dmp_update(w->s, &w->amy, &w->by, id, &change, now, &err);
    CHECK(st, rc == GS_EINVAL, "who: an empty title is refused");

    int counts[3] = {0};
    MUST(store_audit_each(w->s, 0, count_action, counts, &err));
    CHECK(st, counts[0] == 4 && counts[1] == 8 && counts[2] == 3,
          "audit: adds, updates and links audited (%d, %d, %d)", counts[0], counts[1],
          counts[2]);
    struct audit_report report;
    MUST(audit_verify(w->s, &report, &err));
    CHECK(st, report.nproblems == 0, "audit: the chain is intact after the plan writes");
}

/* ---- reports ---- */

static const json_t *table_cell(const json_t *report, const char *table, size_t row, size_t col)
{
    const json_t *t = json_object_get(json_object_get(report, "tables"), table);
    return json_array_get(json_array_get(json_object_get(t, "rows"), row), col);
}

static json_int_t status_count(const json_t *report, enum dmp_status s)
{
    return json_integer_value(table_cell(report, "status", (size_t)s, 1));
}

static void test_reports(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    time_t now = date("2025-01-01");
    json_t *all = NULL;
    int rc = report_build(w->s, NULL, now, &all, &err);
    /* From the tests above, at 2025-01-01: plan 1 due soon; plan 2 overdue (paper
     * 2024-06-01, one type unlinked); plans 3 (admin, osaka-u) and 4 no dates. */
    CHECK(st, rc == GS_OK && status_count(all, DMP_DUE_SOON) == 1 &&
                  status_count(all, DMP_OVERDUE) == 1 && status_count(all, DMP_ON_TRACK) == 2 &&
                  status_count(all, DMP_FULFILLED) == 0,
          "report: plans by status");
    CHECK(st, json_integer_value(table_cell(all, "overdue", 0, 0)) == 2 &&
                  strcmp(json_string_value(table_cell(all, "overdue", 0, 5)), "2024-06-01") == 0 &&
                  json_integer_value(table_cell(all, "overdue", 0, 6)) == 214,
          "report: the overdue list names plan 2, its deadline and days overdue");
    /* datasets: controlled variants (1, 2 records) at row 1*6+1; open variants at 2*6+1 */
    CHECK(st, json_integer_value(table_cell(all, "datasets", 7, 2)) == 1 &&
                  json_integer_value(table_cell(all, "datasets", 7, 3)) == 2 &&
                  json_integer_value(table_cell(all, "datasets", 13, 2)) == 1,
          "report: datasets and records by tier and data type, whole catalogue");
    const json_t *reg = json_object_get(json_object_get(json_object_get(all, "tables"),
                                                        "registrations"), "rows");
    json_int_t total = 0;
    for (size_t i = 0; i < json_array_size(reg); i++)
        total += json_integer_value(json_array_get(json_array_get(reg, i), 1));
    CHECK(st, total == 3, "report: three dataset registrations counted");
    json_decref(all);

    /* Per programme: only its plans, only the datasets they link. */
    json_t *one = NULL;
    rc = report_build(w->s, "rare_intractable_disease", now, &one, &err);
    const json_t *progs = json_object_get(json_object_get(json_object_get(one, "tables"),
                                                          "programmes"), "rows");
    CHECK(st, rc == GS_OK && json_array_size(progs) == 1 &&
                  json_integer_value(json_array_get(json_array_get(progs, 0), 1)) == 4,
          "report: one programme's row (4 plans)");
    /* plan 2 links phenotype to ds-pheno; its variants link was removed */
    CHECK(st, json_integer_value(table_cell(one, "datasets", 7, 2)) == 0 &&
                  json_integer_value(table_cell(one, "datasets", 5, 2)) == 1 &&
                  json_integer_value(table_cell(one, "datasets", 13, 2)) == 0,
          "report: the programme counts its linked datasets only");
    json_decref(one);
    json_t *hiv = NULL;
    rc = report_build(w->s, "hiv_aids", now, &hiv, &err);
    CHECK(st, rc == GS_OK && status_count(hiv, DMP_ON_TRACK) == 0 &&
                  json_array_size(json_object_get(json_object_get(
                      json_object_get(hiv, "tables"), "registrations"), "rows")) == 0,
          "report: a programme without plans is empty");
    json_decref(hiv);
    gs_err_clear(&err);
    CHECK(st, report_build(w->s, "oncology", now, &hiv, &err) == GS_EINVAL,
          "report: unknown programme refused");

    /* Text: CSV quotes commas, quotes and line breaks; TSV flattens tabs and breaks. */
    json_t *t = json_pack("{s:[s, s], s:[[s, I], [s, n]]}", "columns", "title", "n", "rows",
                          "a, \"b\"\nc", (json_int_t)7, "x\ty", NULL);
    char *csv = NULL, *tsv = NULL;
    rc = report_table_text(t, ',', &csv, &err);
    CHECK(st, rc == GS_OK && strcmp(csv, "title,n\r\n\"a, \"\"b\"\"\nc\",7\r\nx\ty,\r\n") == 0,
          "text: CSV quoting");
    rc = report_table_text(t, '\t', &tsv, &err);
    CHECK(st, rc == GS_OK && strcmp(tsv, "title\tn\na, \"b\" c\t7\nx y\t\n") == 0,
          "text: TSV flattening");
    free(csv);
    free(tsv);
    json_decref(t);

    /* A plan title is anyone's text: a spreadsheet must not run it as a formula. */
    t = json_pack("{s:[s, s], s:[[s, I], [s, s], [s, s]]}", "columns", "title", "n", "rows",
                  "=HYPERLINK(\"http://evil.example\")", (json_int_t)-3, "@SUM(A1)", "+1",
                  "-2+3", "plain");
    csv = tsv = NULL;
    rc = report_table_text(t, ',', &csv, &err);
    CHECK(st, rc == GS_OK && strcmp(csv, "title,n\r\n\"'=HYPERLINK(\"\"http://evil.example\"\")\","
                                         "-3\r\n'@SUM(A1),'+1\r\n'-2+3,plain\r\n") == 0,
          "text: CSV cells starting with = + - @ are neutralised");
    rc = report_table_text(t, '\t', &tsv, &err);
    CHECK(st, rc == GS_OK && strncmp(tsv, "title\tn\n'=HYPERLINK(", 20) == 0,
          "text: TSV cells too");
    free(csv);
    free(tsv);
    json_decref(t);
}

int main(void)
{
    struct check_state st = {0};
    if (crypto_init() != GS_OK)
        return 1;
    test_plus_two_years(&st);
    test_rules(&st);
    test_boundaries(&st);
    test_fulfilled_and_moves(&st);
    test_parsing(&st);
    struct world w;
    build_world(&w);
    test_store_dates_and_versions(&st, &w);
    test_store_links(&st, &w);
    test_store_permissions(&st, &w);
    test_reports(&st, &w);
    close_world(&w);
    return check_finish(&st);
}
