/* test_search.c — similar-case search through a real temporary database with the mini HPO
 * release: visibility before ranking (a hidden perfect match is absent and the visible
 * results score exactly as in a store without it, case-frequency IC included), scopes
 * private/domestic/international, gene and variant sub-scores, explanations, unused query
 * ids, the minimum informativeness, a case's own matches, and the case.match audit row. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "match/search.h"
#include "pheno/hpo_store.h"
#include "registry/registry.h"


struct world {
    char path[64];
    struct store *s;
    struct hpo *h;
    struct actor by;
    struct principal op;
    int64_t a, b, c, d, e; /* the named cases (0: not in this world) */
};

static int64_t add(struct world *w, enum scope scope, const char *text)
{
    struct store_case c = {0};
    struct gs_err err = {0};
    struct case_target t = {"ds-o", scope, NULL};
    int64_t id = 0;
    json_t *doc = json_loads(text, 0, NULL);
    MUST(case_from_json(doc, &c, &err));
    MUST(cases_prepare(w->s, w->h, &c, NULL, &err));
    MUST(cases_import(w->s, &w->op, &w->by, &t, &c, 1, 1000, &id, &err));
    json_decref(doc);
    store_case_clear(&c);
    return id;
}

/* Institutions in JP and KR, one open dataset of kyoto-u, the mini HPO, the gene table, and
 * the cases: A (international, SCN1A + a variant), B (private: the perfect match, unless
 * without_b), C (domestic), D (international, unrelated), E (withdrawn perfect match), and
 * fillers (international) so that case-frequency IC is blended when fillers > 0. */
static void build(struct world *w, bool without_b, int fillers)
{
    struct gs_err err = {0};
    fixture_store_open(w->path, "search", &w->s);
    w->by.name = "test";
    w->by.origin = "unit";
    principal_operator(&w->op);
    struct store *s = w->s;
    MUST(registry_institution_add(s, &w->by, "kyoto-u", "Kyoto", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "osaka-u", "Osaka", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "seoul-u", "Seoul", "KR", NULL, &err));
    MUST(registry_user_add(s, &w->by, "amy", "amy", "kyoto-u", ROLE_MEMBER, NULL, NULL, &err));
    MUST(registry_user_add(s, &w->by, "bo", "bo", "osaka-u", ROLE_MEMBER, NULL, NULL, &err));
    MUST(registry_user_add(s, &w->by, "di", "di", "seoul-u", ROLE_MEMBER, NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-o", "O", TIER_OPEN, DATA_PHENOTYPE, "kyoto-u", NULL,
                              NULL, &err));
    MUST(cases_genes_load(s, &w->by, "tests/fixtures/cases/genes.tsv", NULL, &err));
    fixture_mini_hpo(s, &w->by, &w->h);
    static const char *const filler[] = {
        "{\"id\":\"HP:0001263\"}",
        "{\"id\":\"HP:0020219\"},{\"id\":\"HP:0000252\"}",
        "{\"id\":\"HP:0002119\"}",
    };
    for (int i = 0; i < fillers; i++) {
        char text[256];
        snprintf(text, sizeof text, "{\"label\":\"F%d\",\"features\":[%s]}", i, filler[i % 3]);
        add(w, SCOPE_INTERNATIONAL, text);
    }
    w->a = add(w, SCOPE_INTERNATIONAL,
               "{\"label\":\"A\",\"features\":[{\"id\":\"HP:0002121\"},{\"id\":\"HP:0000252\"}],"
               "\"genes\":[\"SCN1A\"],\"variants\":[{\"assembly\":\"GRCh38\",\"chrom\":\"2\","
               "\"pos\":166000000,\"ref\":\"G\",\"alt\":\"A\",\"gene\":\"SCN1A\"}]}");
    if (!without_b)
        w->b = add(w, SCOPE_PRIVATE,
                   "{\"label\":\"B\",\"features\":[{\"id\":\"HP:0002121\"},{\"id\":\"HP:0000252\"},"
                   "{\"id\":\"HP:0002119\"}],\"genes\":[\"SCN1A\"]}");
    w->c = add(w, SCOPE_DOMESTIC,
               "{\"label\":\"C\",\"features\":[{\"id\":\"HP:0001250\"},{\"id\":\"HP:0002119\"}]}");
    w->d = add(w, SCOPE_INTERNATIONAL,
               "{\"label\":\"D\",\"features\":[{\"id\":\"HP:0001263\"},"
               "{\"id\":\"HP:0000252\",\"excluded\":true}]}");
    w->e = add(w, SCOPE_INTERNATIONAL,
               "{\"label\":\"E\",\"features\":[{\"id\":\"HP:0002121\"},{\"id\":\"HP:0000252\"},"
               "{\"id\":\"HP:0002119\"}]}");
    MUST(cases_withdraw(s, &w->op, &w->by, w->e, 1000, &err));
}

static void destroy(struct world *w)
{
    fixture_store_remove(w->s, w->path);
    hpo_free(w->h);
}

static const char *const query_terms[] = {"HP:0002121", "HP:0000252", "HP:0002119"};

static int search_as(struct world *w, const char *user, const struct match_query *q, int top,
                     struct match_results *r, struct gs_err *err)
{
    struct principal p;
    if (user == NULL)
        principal_operator(&p);
    else if (principal_for_name(w->s, user, &p, err) != GS_OK)
        return err->code;
    return match_search(w->s, w->h, &p, &w->by, q, top, 1000, r, err);
}

static const struct match_result *find(const struct match_results *r, int64_t id, size_t *rank)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->items[i].case_id == id) {
            if (rank)
                *rank = i + 1;
            return &r->items[i];
        }
    return NULL;
}

static void test_scopes(struct check_state *st, struct world *w)
{
    struct match_query q = {.observed = query_terms, .nobserved = 3};
    static const struct {
        const char *user;
        bool a, b, c;
    } want[] = {
        {NULL, true, true, true},
        {"amy", true, true, true},
        {"bo", true, false, true},
        {"di", true, false, false},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct match_results r;
        struct gs_err err = {0};
        int rc = search_as(w, want[i].user, &q, 10, &r, &err);
        const char *who = want[i].user ? want[i].user : "operator";
        CHECK(st, rc == GS_OK && r.informative, "search as %s runs, query informative (%s)", who,
              err.msg);
        CHECK(st, (find(&r, w->a, NULL) != NULL) == want[i].a &&
                      (find(&r, w->b, NULL) != NULL) == want[i].b &&
                      (find(&r, w->c, NULL) != NULL) == want[i].c,
              "%s sees exactly the cases its scope allows (A intl, B private kyoto, C domestic JP)",
              who);
        CHECK(st, find(&r, w->e, NULL) == NULL, "%s: the withdrawn perfect match is never listed",
              who);
        size_t rank = 0;
        if (want[i].b)
            CHECK(st, find(&r, w->b, &rank) && rank == 1, "%s: the perfect match B ranks first",
                  who);
        for (size_t j = 1; rc == GS_OK && j < r.n; j++)
            CHECK(st, r.items[j - 1].score >= r.items[j].score, "%s: sorted by score (%zu)", who, j);
        size_t visible = want[i].user == NULL || strcmp(want[i].user, "amy") == 0 ? 4
                         : strcmp(want[i].user, "bo") == 0                         ? 3
                                                                                   : 2;
        CHECK(st, r.candidates == visible, "%s: candidates count the visible active cases only "
              "(%zu, want %zu)", who, r.candidates, visible);
        match_results_free(&r);
    }
}

/* The same searches in a world without B: what bo and di see must not move by a hair. */
static void test_hidden_invisible(struct check_state *st, int fillers)
{
    struct world with, without;
    build(&with, false, fillers);
    build(&without, true, fillers);
    struct match_query q = {.observed = query_terms, .nobserved = 3};
    const char *users[] = {"bo", "di"};
    for (int u = 0; u < 2; u++) {
        struct match_results r1, r2;
        struct gs_err e1 = {0}, e2 = {0};
        int rc1 = search_as(&with, users[u], &q, 100, &r1, &e1);
        int rc2 = search_as(&without, users[u], &q, 100, &r2, &e2);
        bool same = rc1 == GS_OK && rc2 == GS_OK && r1.n == r2.n && r1.n > 0 &&
                    r1.candidates == r2.candidates && r1.query_ic == r2.query_ic &&
                    r1.informative == r2.informative;
        for (size_t i = 0; same && i < r1.n; i++)
            same = strcmp(r1.items[i].label, r2.items[i].label) == 0 &&
                   r1.items[i].score == r2.items[i].score &&
                   r1.items[i].sub.tversky == r2.items[i].sub.tversky &&
                   r1.items[i].npairs == r2.items[i].npairs &&
                   (r1.items[i].npairs == 0 || r1.items[i].pairs[0].ic == r2.items[i].pairs[0].ic);
        CHECK(st, same, "%s (fillers %d, case IC %s): ranks, scores, IC and counts equal those "
              "of a store without the hidden case", users[u], fillers,
              r1.case_ic ? "blended" : "off");
        CHECK(st, r1.case_ic == (fillers >= MATCH_CASE_IC_MIN_CASES),
              "case-frequency IC used only with %d+ visible cases (fillers %d)",
              MATCH_CASE_IC_MIN_CASES, fillers);
        match_results_free(&r1);
        match_results_free(&r2);
    }
    /* and amy, who sees B, does get different scores once B is in the counts */
    if (fillers >= MATCH_CASE_IC_MIN_CASES) {
        struct match_results r1, r2;
        struct gs_err e = {0};
        if (search_as(&with, "amy", &q, 100, &r1, &e) == GS_OK &&
            search_as(&without, "amy", &q, 100, &r2, &e) == GS_OK) {
            const struct match_result *a1 = find(&r1, with.a, NULL), *a2 = find(&r2, without.a, NULL);
            CHECK(st, a1 && a2 && a1->score != a2->score,
                  "the visible-case IC does change with the cases a caller sees (control)");
        }
        match_results_free(&r1);
        match_results_free(&r2);
    }
    destroy(&with);
    destroy(&without);
}

static void test_genotype_and_informativeness(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    struct match_results r;
    static const char *const seizure[] = {"HP:0001250"};
    struct match_query q = {.observed = seizure, .nobserved = 1};
    int rc = search_as(w, "amy", &q, 10, &r, &err);
    CHECK(st, rc == GS_OK && !r.informative && r.n == 0 && r.query_ic < SIM_MIN_QUERY_IC,
          "a single 'Seizure' is below the minimum: no phenotype-only matches (IC %.2f, %zu)",
          r.query_ic, r.n);
    match_results_free(&r);

    static const char *const gene[] = {"scn1a"};
    q.genes = gene;
    q.ngenes = 1;
    rc = search_as(w, "amy", &q, 10, &r, &err);
    const struct match_result *a = find(&r, w->a, NULL), *b = find(&r, w->b, NULL);
    CHECK(st, rc == GS_OK && !r.informative && r.n == 2 && a && b && !find(&r, w->c, NULL),
          "an uninformative phenotype with a gene returns only the gene-sharing cases (%s)",
          err.msg);
    CHECK(st, a && a->gene == SIM_GENE_WEIGHT && a->nshared_genes == 1 &&
                  strcmp(a->shared_genes[0].gene_id, "HGNC:10585") == 0 &&
                  a->score == a->phenotype + a->gene + a->variant,
          "gene sub-score: 'scn1a' normalised to HGNC:10585, score = phenotype + gene");
    match_results_free(&r);

    struct store_case_variant v = {.assembly = "GRCh38", .chrom = "2", .pos = 166000000,
                                   .ref = "G", .alt = "A"};
    struct match_query qv = {.observed = seizure, .nobserved = 1, .variants = &v, .nvariants = 1};
    rc = search_as(w, "amy", &qv, 10, &r, &err);
    a = find(&r, w->a, NULL);
    CHECK(st, rc == GS_OK && r.n == 1 && a && a->variant == MATCH_VARIANT_WEIGHT &&
                  a->gene == 0 && a->nshared_variants == 1 && a->shared_variants[0].pos == 166000000,
          "a shared variant alone is genotype evidence with its own sub-score (%s)", err.msg);
    match_results_free(&r);
    v.pos++;
    rc = search_as(w, "amy", &qv, 10, &r, &err);
    CHECK(st, rc == GS_OK && r.n == 0, "a variant one base off shares nothing");
    match_results_free(&r);

    static const char *const bad_gene[] = {"NOTAGENE"};
    q.genes = bad_gene;
    rc = search_as(w, "amy", &q, 10, &r, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "NOTAGENE"), "an unknown gene is refused by "
          "name (%s)", err.msg);
    match_results_free(&r);
    struct match_query empty = {0};
    rc = search_as(w, "amy", &empty, 10, &r, &err);
    CHECK(st, rc == GS_EINVAL, "an empty query is refused");
    match_results_free(&r);
    struct match_query q3 = {.observed = query_terms, .nobserved = 3};
    rc = search_as(w, "amy", &q3, 0, &r, &err);
    CHECK(st, rc == GS_EINVAL, "top 0 is refused");
    match_results_free(&r);
    rc = search_as(w, "amy", &q3, 1, &r, &err);
    CHECK(st, rc == GS_OK && r.n == 1 && r.items[0].case_id == w->b, "top 1 keeps the best only");
    match_results_free(&r);
}

static void test_explanation_and_unused(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    struct match_results r;
    static const char *const terms[] = {"HP:0002121", "HP:0002119", "HP:9999999", "bogus",
                                        "HP:0000489", "HP:0000058", "HP:0001275"};
    struct match_query q = {.observed = terms, .nobserved = 7};
    int rc = search_as(w, NULL, &q, 10, &r, &err);
    CHECK(st, rc == GS_OK && r.nunused == 3, "three query ids cannot be used (%d)", r.nunused);
    CHECK(st, r.nunused == 3 && strcmp(r.unused[0].id, "HP:9999999") == 0 &&
                  strstr(r.unused[0].why, "unknown") && strcmp(r.unused[1].id, "bogus") == 0 &&
                  strstr(r.unused[1].why, "not an HPO id") &&
                  strcmp(r.unused[2].id, "HP:0000489") == 0 &&
                  strstr(r.unused[2].why, "obsolete without replacement"),
          "unknown, malformed and obsolete ids are reported with the reason");
    bool replaced = false, alt = false;
    for (int i = 0; i < r.notes.nnotes && i < CASE_NOTES_MAX; i++) {
        replaced = replaced || (strstr(r.notes.notes[i], "HP:0000058") &&
                                strstr(r.notes.notes[i], "used as HP:0000252"));
        alt = alt || (strstr(r.notes.notes[i], "HP:0001275") &&
                      strstr(r.notes.notes[i], "used as HP:0001250"));
    }
    CHECK(st, replaced && alt, "replaced obsolete and alternative ids are used and noted");
    const struct match_result *a = find(&r, w->a, NULL);
    /* the query's terms, sorted by HP number: 1250, 2119, 2121, 252 → 252 < 1250 < … */
    bool ok = a && a->npairs == 4;
    const struct match_pair *vent = NULL, *absence = NULL;
    for (int i = 0; ok && i < a->npairs; i++) {
        if (strcmp(a->pairs[i].query_id, "HP:0002119") == 0)
            vent = &a->pairs[i];
        if (strcmp(a->pairs[i].query_id, "HP:0002121") == 0)
            absence = &a->pairs[i];
    }
    CHECK(st, ok && absence && absence->case_term_id &&
                  strcmp(absence->case_term_id, "HP:0002121") == 0 &&
                  strcmp(absence->mica_id, "HP:0002121") == 0 && absence->ic > 0 &&
                  strcmp(absence->query_label, "Absence seizure") == 0,
          "explanation: a shared term is its own MICA, with its IC and label");
    CHECK(st, ok && vent && vent->case_term_id && strcmp(vent->case_term_id, "HP:0000252") == 0 &&
                  strcmp(vent->mica_id, "HP:0012639") == 0 &&
                  strcmp(vent->mica_label, "Abnormal nervous system morphology") == 0 &&
                  vent->ic < absence->ic,
          "explanation: Ventriculomegaly meets Microcephaly at 'Abnormal nervous system "
          "morphology', less informative");
    CHECK(st, a && a->sub.tversky > 0 && a->phenotype == a->sub.phenotype && a->dataset[0] &&
                  strcmp(a->institution, "kyoto-u") == 0 && a->scope == SCOPE_INTERNATIONAL,
          "result carries sub-scores, dataset, institution and scope");
    json_t *doc = match_results_to_json(&r);
    json_t *first = json_array_get(json_object_get(doc, "results"), 0);
    CHECK(st, doc && json_array_size(json_object_get(doc, "unused")) == 3 &&
                  json_is_array(json_object_get(first, "matched_terms")) &&
                  json_object_get(first, "phenotype_score") &&
                  json_integer_value(json_object_get(first, "rank")) == 1,
          "JSON carries unused ids, ranks, scores and matched terms");
    json_decref(doc);
    match_results_free(&r);
}

struct audit_count {
    int match;
    char detail[STORE_AUDIT_TEXT_MAX];
};

static int audit_visit(void *ctx, const struct store_audit_row *row)
{
    struct audit_count *c = ctx;
    if (strcmp(row->action, "case.match") == 0) {
        c->match++;
        snprintf(c->detail, sizeof c->detail, "%s", row->detail);
    }
    return 0;
}

static void test_audit_and_own_matches(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    struct match_results r;
    struct audit_count before = {0}, after = {0};
    struct match_query q = {.observed = query_terms, .nobserved = 3};
    int rc = store_audit_each(w->s, 0, audit_visit, &before, &err);
    rc = rc == GS_OK ? search_as(w, "amy", &q, 10, &r, &err) : rc;
    if (rc == GS_OK)
        rc = store_audit_each(w->s, 0, audit_visit, &after, &err);
    char want[32];
    snprintf(want, sizeof want, "%lld", (long long)w->b);
    CHECK(st, rc == GS_OK && after.match == before.match + 1 && strstr(after.detail, want),
          "one case.match row per search listing the case ids shown (%s)", after.detail);
    match_results_free(&r);
    /* di sees only open + international cases: nothing non-open to audit */
    before = after;
    rc = search_as(w, "di", &q, 10, &r, &err);
    struct audit_count later = {0};
    if (rc == GS_OK)
        rc = store_audit_each(w->s, 0, audit_visit, &later, &err);
    CHECK(st, rc == GS_OK && r.n > 0 && later.match == before.match,
          "a search showing only open international cases writes no case.match row");
    match_results_free(&r);

    struct principal amy, di;
    MUST(principal_for_name(w->s, "amy", &amy, &err));
    MUST(principal_for_name(w->s, "di", &di, &err));
    rc = match_search_case(w->s, w->h, &amy, &w->by, w->b, 10, 1000, &r, &err);
    CHECK(st, rc == GS_OK && r.n > 0 && find(&r, w->b, NULL) == NULL && find(&r, w->a, NULL) &&
                  r.candidates == 3,
          "a case's own matches leave it out (and out of the counts) (%s)", err.msg);
    match_results_free(&r);
    rc = match_search_case(w->s, w->h, &di, &w->by, w->b, 10, 1000, &r, &err);
    CHECK(st, rc == GS_ENOTFOUND && strstr(err.msg, "no case with id"),
          "the matches of a case the caller cannot see are 404 (%s)", err.msg);
    match_results_free(&r);
}

int main(void)
{
    struct check_state st = {0};
    struct world w;
    memset(&w, 0, sizeof w);
    build(&w, false, 0);
    test_scopes(&st, &w);
    test_genotype_and_informativeness(&st, &w);
    test_explanation_and_unused(&st, &w);
    test_audit_and_own_matches(&st, &w);
    destroy(&w);
    test_hidden_invisible(&st, 0);
    test_hidden_invisible(&st, 24);
    return check_finish(&st);
}
