/* test_diagnose.c — diagnosis support on the HPO fixture ontology (tests/fixtures/hpo/
 * mini.json + mini.hpoa: 4 annotated diseases, IC by hand: IC(Motor seizure) = ln 4,
 * IC(Seizure) = ln(4/3) (diseases one, two, three via the alt id HP:0001275),
 * IC(Microcephaly) = ln 2 (one, four via the obsolete HP:0000058)): every hpoa frequency form, NOT rows, merged and
 * unknown ids, hand-checked rankings with and without frequencies, the excluded-term
 * penalty, the evidence, and the store round trip with its audit row. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "match/diagnose.h"

#define FIX "tests/fixtures/hpo/"

static bool near(double a, double b) { return fabs(a - b) < 1e-9; }
static const double L43 = 0.28768207245178090; /* ln(4/3) */

static int term(const struct hpo *h, const char *id)
{
    return hpo_term_find(h, (uint32_t)atoi(id + 3), NULL);
}

static void test_frequency(struct check_state *st)
{
    static const struct {
        const char *text;
        double want; /* -2: refused */
    } cases[] = {
        {"", -1},           {"HP:0040280", 1.0},  {"HP:0040281", 0.895}, {"HP:0040282", 0.545},
        {"HP:0040283", 0.17}, {"HP:0040284", 0.025}, {"HP:0040285", 0.0},  {"1/2", 0.5},
        {"0/3", 0.0},       {"7/7", 1.0},         {"25%", 0.25},       {"12.5%", 0.125},
        {"100%", 1.0},      {"0%", 0.0},          {"3/2", -2},         {"1/0", -2},
        {"/2", -2},         {"1/", -2},           {"-1/2", -2},        {"101%", -2},
        {"%", -2},          {"-5%", -2},          {"abc", -2},         {"HP:0000118", -2},
        {"HP:0040286", -2}, {"1/2x", -2},         {"5 %", -2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct gs_err err = {0};
        double f = 42;
        int rc = diseases_frequency_parse(cases[i].text, &f, &err);
        if (cases[i].want == -2)
            CHECK(st, rc == GS_EINVAL && err.msg[0] != '\0', "frequency '%s' refused",
                  cases[i].text);
        else
            CHECK(st, rc == GS_OK && near(f, cases[i].want), "frequency '%s' = %g",
                  cases[i].text, cases[i].want);
    }
}

static const struct disease *find(const struct disease_table *t, const char *id)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->diseases[i].id, id) == 0)
            return &t->diseases[i];
    return NULL;
}

static const struct disease_term *find_term(const struct disease *d, int t, bool excluded)
{
    for (int i = 0; d != NULL && i < d->nterms; i++)
        if (d->terms[i].term == t && d->terms[i].excluded == excluded)
            return &d->terms[i];
    return NULL;
}

static void test_read_mini(struct check_state *st, const struct hpo *h)
{
    struct disease_table t;
    struct disease_load_report rep;
    struct gs_err err = {0};
    int rc = diseases_read_hpoa(h, FIX "mini.hpoa", &t, &rep, &err);
    CHECK(st, rc == GS_OK, "mini.hpoa read (%s)", err.msg);
    CHECK(st, rep.rows == 11 && rep.skipped_aspect == 1, "rows 11, one non-P row skipped");
    CHECK(st, t.n == 4 && rep.diseases == 4, "4 diseases (ORPHA:5 has only an unresolvable id)");
    CHECK(st, rep.problems.unknown == 1 && rep.problems.alt_resolved == 1,
          "unknown id counted (HP:0009999), alt id HP:0001275 resolved");
    CHECK(st, rep.problems.obsolete_replaced == 1 && rep.problems.obsolete_unresolved == 1,
          "obsolete ids: one replaced, one without replacement");
    CHECK(st, rep.problems.nexamples > 0 && strstr(rep.problems.examples[0], "line ") != NULL,
          "problem examples name the line");
    CHECK(st, rep.merged == 1 && rep.excluded == 1, "repeated term merged, NOT row counted");
    CHECK(st, strcmp(rep.version, "2099-01-01") == 0, "version header read");
    const struct disease *d1 = find(&t, "OMIM:000001"), *d4 = find(&t, "OMIM:000004");
    const struct disease_term *seizure = find_term(d1, term(h, "HP:0001250"), false);
    const struct disease_term *micro = find_term(d1, term(h, "HP:0000252"), false);
    CHECK(st, d1 && strcmp(d1->name, "Disease one") == 0 && d1->nterms == 2, "disease one: 2 terms");
    CHECK(st, seizure && near(seizure->frequency, 0.5), "1/2 kept as 0.5");
    CHECK(st, micro && micro->frequency < 0, "no frequency: unknown");
    CHECK(st, find_term(d4, term(h, "HP:0000252"), false) != NULL,
          "obsolete HP:0000058 used as its replacement");
    CHECK(st, find_term(d4, term(h, "HP:0001263"), true) != NULL, "NOT row kept as excluded");
    disease_table_free(&t);
}

/* An hpoa file with every frequency form, written to a temp file. */
static void test_frequency_file(struct check_state *st, const struct hpo *h, const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/forms.hpoa", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "#version: test\n"
               "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\t"
               "frequency\tsex\tmodifier\taspect\tbiocuration\n");
    const char *rows[][2] = {{"HP:0001250", "HP:0040281"}, {"HP:0020219", "3/4"},
                             {"HP:0002121", "40%"},        {"HP:0002119", "0/5"},
                             {"HP:0000252", "often"},      {"HP:0001263", ""}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        fprintf(f, "OMIM:9\tNine\t\t%s\tPMID:1\tPCS\t\t%s\t\t\tP\tx\n", rows[i][0], rows[i][1]);
    fprintf(f, "OMIM:9\tNine\t\tHP:0020219\tPMID:2\tPCS\t\t1/4\t\t\tP\tx\n");
    fprintf(f, "OMIM:9\tNine\t\tnot-an-id\tPMID:2\tPCS\t\t\t\t\tP\tx\n");
    fclose(f);
    struct disease_table t;
    struct disease_load_report rep;
    struct gs_err err = {0};
    int rc = diseases_read_hpoa(h, path, &t, &rep, &err);
    const struct disease *d = t.n == 1 ? &t.diseases[0] : NULL;
    CHECK(st, rc == GS_OK && d != NULL, "forms file read (%s)", err.msg);
    const struct disease_term *x;
    x = find_term(d, term(h, "HP:0001250"), false);
    CHECK(st, x && near(x->frequency, 0.895), "file: HP:0040281 -> 0.895");
    x = find_term(d, term(h, "HP:0020219"), false);
    CHECK(st, x && near(x->frequency, 0.75), "file: 3/4 and 1/4 merged to the larger, 0.75");
    x = find_term(d, term(h, "HP:0002121"), false);
    CHECK(st, x && near(x->frequency, 0.4), "file: 40%% -> 0.4");
    CHECK(st, find_term(d, term(h, "HP:0002119"), true) != NULL &&
                  find_term(d, term(h, "HP:0002119"), false) == NULL,
          "file: 0/5 kept as excluded");
    x = find_term(d, term(h, "HP:0000252"), false);
    CHECK(st, x && x->frequency < 0 && rep.bad_frequency == 1 &&
                  strstr(rep.bad_frequency_example, "often") != NULL,
          "file: unreadable frequency kept as unknown and reported");
    CHECK(st, rep.problems.malformed == 1, "file: malformed id counted");
    disease_table_free(&t);

    /* a file without the needed columns, and a missing file */
    f = fopen(path, "w");
    fprintf(f, "database_id\thpo_id\n");
    fclose(f);
    gs_err_clear(&err);
    rc = diseases_read_hpoa(h, path, &t, &rep, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "disease_name") != NULL,
          "file without columns refused naming one");
    gs_err_clear(&err);
    rc = diseases_read_hpoa(h, "/nonexistent/x.hpoa", &t, &rep, &err);
    CHECK(st, rc == GS_EIO, "missing file: GS_EIO");
    unlink(path);
}

static struct sim_profile query(const struct hpo *h, const char *const *obs, int no,
                                const char *const *exc, int ne, struct hpo_problems *problems)
{
    struct sim_profile q;
    struct gs_err err = {0};
    if (sim_profile_build(h, obs, no, exc, ne, NULL, 0, &q, problems, &err) != GS_OK)
        exit(1);
    return q;
}

static const char *id_at(const struct diagnose_index *x, const struct diagnose_ranking *r,
                         size_t i)
{
    return i < r->n ? diagnose_index_disease(x, r->results[i].disease)->id : "";
}

static void test_ranking(struct check_state *st, const struct hpo *h)
{
    struct disease_table t;
    struct disease_load_report rep;
    struct gs_err err = {0};
    struct diagnose_index *x = NULL;
    if (diseases_read_hpoa(h, FIX "mini.hpoa", &t, &rep, &err) != GS_OK ||
        diagnose_index_new(h, &t, &x, &err) != GS_OK) {
        CHECK(st, false, "index built (%s)", err.msg);
        return;
    }
    CHECK(st, diagnose_index_count(x) == 4 && t.n == 0, "index takes the table over");
    CHECK(st, diagnose_index_find(x, "OMIM:000003") == 2 && diagnose_index_find(x, "OMIM:7") < 0,
          "index find");
    /* explicit parameters, so the hand-computed values do not follow the defaults */
    const struct diagnose_params base = {DIAGNOSE_PHENOMIZER, 0.5, 0.5, 0.5, 0.5};
    struct diagnose_params p = base;
    struct diagnose_ranking r;

    /* Motor seizure: disease two has it (ln 4, unknown frequency counted 0.5:
     * × (1 - 0.5 × (1 - 0.5)) = 0.75 ln 4); disease one has Seizure at 1/2:
     * ln(4/3) × (1 - 0.5 × (1 - 0.5)) = 0.75 ln(4/3); disease three has Seizure of unknown
     * frequency (counted 0.5): the same, after one by id; four shares only IC-0 terms. */
    const char *motor[] = {"HP:0020219"};
    struct sim_profile q = query(h, motor, 1, NULL, 0, NULL);
    CHECK(st, diagnose_rank(x, &q, &p, 10, &r, &err) == GS_OK, "rank motor seizure");
    CHECK(st, r.n == 3 && r.scored == 3, "only diseases sharing an informative term are scored");
    CHECK(st, strcmp(id_at(x, &r, 0), "OMIM:000002") == 0 && near(r.results[0].score, 0.75 * log(4)),
          "motor seizure: disease two first with 0.75 ln 4");
    CHECK(st, strcmp(id_at(x, &r, 1), "OMIM:000001") == 0 &&
                  near(r.results[1].score, 0.75 * L43),
          "disease one second, frequency 1/2 weighs its match 0.75");
    CHECK(st, strcmp(id_at(x, &r, 2), "OMIM:000003") == 0 &&
                  near(r.results[2].score, 0.75 * L43),
          "disease three third: unknown frequency counts 0.5, tie broken by id");
    if (r.n == 3) {
        const struct diagnose_match *m = &r.results[1].matches[0];
        CHECK(st, r.results[1].nmatches == 1 && m->query_term == term(h, "HP:0020219") &&
                      m->disease_term == term(h, "HP:0001250") &&
                      m->mica == term(h, "HP:0001250") && near(m->ic, L43) &&
                      near(m->frequency, 0.5),
              "evidence: query term, disease term, MICA, IC, frequency");
        m = &r.results[0].matches[0];
        CHECK(st, m->disease_term == term(h, "HP:0020219") && m->frequency < 0,
              "evidence: exact match, unknown frequency");
    }
    diagnose_ranking_free(&r);
    p.frequency_weight = 0;
    CHECK(st, diagnose_rank(x, &q, &p, 1, &r, &err) == GS_OK && r.n == 1 && r.scored == 3,
          "top 1 keeps one result but counts every scored disease");
    diagnose_ranking_free(&r);
    double scores[4];
    CHECK(st, diagnose_score_all(x, &q, &p, scores, &err) == GS_OK && near(scores[0], L43) &&
                  near(scores[1], log(4)) && near(scores[2], L43) && scores[3] == 0,
          "without frequencies diseases one and three score ln(4/3)");
    sim_profile_free(&q);

    /* Microcephaly: diseases one and four both have it (unknown frequency): a tie, broken by
     * id; excluding Seizure (disease one has it at 1/2) drops disease one by 1 - 0.5 × 0.5. */
    p = base;
    const char *micro[] = {"HP:0000252"}, *seizure[] = {"HP:0001250"};
    q = query(h, micro, 1, NULL, 0, NULL);
    CHECK(st, diagnose_rank(x, &q, &p, 10, &r, &err) == GS_OK && r.n >= 2 &&
                  strcmp(id_at(x, &r, 0), "OMIM:000001") == 0 &&
                  strcmp(id_at(x, &r, 1), "OMIM:000004") == 0 &&
                  near(r.results[0].score, r.results[1].score),
          "microcephaly: tie between one and four, by id");
    diagnose_ranking_free(&r);
    sim_profile_free(&q);
    q = query(h, micro, 1, seizure, 1, NULL);
    CHECK(st, diagnose_rank(x, &q, &p, 10, &r, &err) == GS_OK && r.n >= 2 &&
                  strcmp(id_at(x, &r, 0), "OMIM:000004") == 0 &&
                  strcmp(id_at(x, &r, 1), "OMIM:000001") == 0,
          "excluded seizure puts disease four first");
    if (r.n >= 2) {
        const struct diagnose_result *one = &r.results[1];
        CHECK(st, near(one->penalty, 0.75) && near(one->score, 0.75 * one->similarity),
              "penalty 1 - 0.5 x frequency 0.5");
        CHECK(st, one->nconflicts == 1 && one->conflicts[0].kind == DIAGNOSE_QUERY_EXCLUDES &&
                      one->conflicts[0].query_term == term(h, "HP:0001250") &&
                      one->conflicts[0].disease_term == term(h, "HP:0001250") &&
                      near(one->conflicts[0].frequency, 0.5),
              "evidence: the contradicted disease term and its frequency");
        CHECK(st, r.results[0].nconflicts == 0 && near(r.results[0].penalty, 1),
              "disease four: no contradiction");
    }
    diagnose_ranking_free(&r);
    sim_profile_free(&q);
    p.excluded_penalty = 0;
    q = query(h, micro, 1, seizure, 1, NULL);
    CHECK(st, diagnose_rank(x, &q, &p, 10, &r, &err) == GS_OK &&
                  strcmp(id_at(x, &r, 0), "OMIM:000001") == 0 && r.results[0].nconflicts == 1 &&
                  near(r.results[0].penalty, 1),
          "penalty 0: excluded terms reported, not weighed");
    diagnose_ranking_free(&r);
    p = base;
    p.excluded_min_frequency = 0.8;
    CHECK(st, diagnose_rank(x, &q, &p, 10, &r, &err) == GS_OK &&
                  strcmp(id_at(x, &r, 0), "OMIM:000001") == 0 && r.results[0].nconflicts == 1 &&
                  near(r.results[0].penalty, 1),
          "frequency 1/2 below the 0.8 minimum: reported, not weighed");
    diagnose_ranking_free(&r);
    p = base;
    CHECK(st, diagnose_rank(x, &q, &p, 10, &r, &err) == GS_OK && r.n >= 3 &&
                  strcmp(id_at(x, &r, 2), "OMIM:000003") == 0 &&
                  near(r.results[2].penalty, 1) && r.results[2].nconflicts == 1 &&
                  r.results[2].conflicts[0].frequency < 0,
          "unknown frequency: the contradiction is reported without weight");
    diagnose_ranking_free(&r);
    sim_profile_free(&q);

    /* NOT: disease four is annotated NOT Global developmental delay. */
    p = base;
    const char *micro_gdd[] = {"HP:0000252", "HP:0001263"};
    q = query(h, micro_gdd, 2, NULL, 0, NULL);
    CHECK(st, diagnose_rank(x, &q, &p, 10, &r, &err) == GS_OK, "rank microcephaly + GDD");
    for (size_t i = 0; i < r.n; i++)
        if (strcmp(id_at(x, &r, i), "OMIM:000004") == 0)
            CHECK(st, near(r.results[i].penalty, 0.5) && r.results[i].nconflicts == 1 &&
                          r.results[i].conflicts[0].kind == DIAGNOSE_DISEASE_EXCLUDES &&
                          r.results[i].conflicts[0].query_term == term(h, "HP:0001263"),
                  "a query term the disease is NOT annotated with halves its score");
    CHECK(st, r.n >= 2 && strcmp(id_at(x, &r, 0), "OMIM:000001") == 0 &&
                  r.results[0].nmatches == 2,
          "one match per query term");
    diagnose_ranking_free(&r);
    sim_profile_free(&q);

    /* unknown ids are reported, and other methods run on the same index */
    struct hpo_problems problems = {0};
    const char *odd[] = {"HP:0020219", "HP:9999999", "nonsense"};
    q = query(h, odd, 3, NULL, 0, &problems);
    CHECK(st, problems.unknown == 1 && problems.malformed == 1 && q.nobserved == 1,
          "unknown and malformed query ids counted");
    CHECK(st, diagnose_rank(x, &q, &p, 10, &r, &err) == GS_OK, "rank with problems");
    json_t *doc = diagnose_ranking_json(x, &p, &r, &problems);
    json_t *res0 = json_array_get(json_object_get(doc, "results"), 0);
    json_t *m0 = json_array_get(json_object_get(res0, "matches"), 0);
    CHECK(st, doc && json_integer_value(json_object_get(json_object_get(doc, "problems"),
                                                         "unknown")) == 1 &&
                  strcmp(json_string_value(json_object_get(res0, "id")), "OMIM:000002") == 0 &&
                  strcmp(json_string_value(json_object_get(m0, "mica_label")), "Motor seizure") ==
                      0 &&
                  json_is_null(json_object_get(m0, "frequency")),
          "JSON: problems, disease id, MICA label, null unknown frequency");
    json_decref(doc);
    diagnose_ranking_free(&r);
    for (int m = DIAGNOSE_RESNIK_BMA; m <= DIAGNOSE_HYBRID; m++) {
        p.method = (enum diagnose_method)m;
        CHECK(st, diagnose_rank(x, &q, &p, 10, &r, &err) == GS_OK && r.n >= 1 &&
                      strcmp(id_at(x, &r, 0), "OMIM:000002") == 0,
              "method %s ranks disease two first", diagnose_method_name(p.method));
        diagnose_ranking_free(&r);
    }
    enum diagnose_method parsed;
    gs_err_clear(&err);
    CHECK(st, diagnose_method_parse("simgic", &parsed, &err) == GS_OK &&
                  parsed == DIAGNOSE_SIMGIC && diagnose_method_parse("x", &parsed, &err) ==
                                                   GS_EINVAL,
          "method names parsed");
    sim_profile_free(&q);
    diagnose_index_free(x);
}

static int count_action(void *ctx, const struct store_audit_row *row)
{
    if (strcmp(row->action, "disease.load") == 0)
        ++*(int *)ctx;
    return 0;
}

static void test_store(struct check_state *st, const struct hpo *h, const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/diagnose.db", dir);
    struct store *s = NULL;
    struct gs_err err = {0};
    if (store_open(path, &s, &err) != GS_OK) {
        CHECK(st, false, "store opened (%s)", err.msg);
        return;
    }
    struct actor by = {"test", "unit"};
    struct disease_load_report rep;
    struct disease_table t;
    struct diagnose_index *x = NULL;
    int64_t n = -1;
    int audits = 0;
    CHECK(st, diagnose_index_from_store(s, h, &x, &err) == GS_ENOTFOUND && x == NULL,
          "no annotations loaded: not found");
    gs_err_clear(&err);
    CHECK(st, diseases_load_hpoa(s, &by, h, FIX "mini.hpoa", &rep, &err) == GS_OK,
          "load into the store (%s)", err.msg);
    CHECK(st, diseases_load_hpoa(s, &by, h, FIX "mini.hpoa", &rep, &err) == GS_OK &&
                  store_disease_count(s, &n, &err) == GS_OK && n == 4,
          "loading again replaces: still 4 diseases");
    CHECK(st, store_audit_each(s, 0, count_action, &audits, &err) == GS_OK && audits == 2,
          "each load audited as disease.load");
    CHECK(st, diseases_load_hpoa(s, &by, h, "/nonexistent.hpoa", &rep, &err) == GS_EIO &&
                  store_disease_count(s, &n, &err) == GS_OK && n == 4,
          "a failed load changes nothing");
    gs_err_clear(&err);
    CHECK(st, diseases_from_store(s, h, &t, &err) == GS_OK && t.n == 4, "read back 4 diseases");
    const struct disease *d1 = find(&t, "OMIM:000001"), *d4 = find(&t, "OMIM:000004");
    const struct disease_term *seizure = find_term(d1, term(h, "HP:0001250"), false);
    CHECK(st, seizure && near(seizure->frequency, 0.5) && d1->nterms == 2 &&
                  strcmp(d1->name, "Disease one") == 0,
          "stored frequency and name read back");
    CHECK(st, find_term(d4, term(h, "HP:0001263"), true) != NULL, "stored NOT read back");
    disease_table_free(&t);
    CHECK(st, diagnose_index_from_store(s, h, &x, &err) == GS_OK && diagnose_index_count(x) == 4,
          "index from the store");
    diagnose_index_free(x);
    store_close(s);
    unlink(path);
}

int main(void)
{
    struct check_state st = {0};
    struct gs_err err = {0};
    struct hpo *h = NULL;
    struct hpo_annotation_report arep;
    if (hpo_load_ontology(FIX "mini.json", &h, &err) != GS_OK ||
        hpo_load_annotations(h, FIX "mini.hpoa", &arep, &err) != GS_OK) {
        printf("FAIL fixture: %s\n", err.msg);
        return 1;
    }
    char dir[] = "/tmp/test_diagnose.XXXXXX";
    if (mkdtemp(dir) == NULL) {
        printf("FAIL temp dir\n");
        return 1;
    }
    test_frequency(&st);
    test_read_mini(&st, h);
    test_frequency_file(&st, h, dir);
    test_ranking(&st, h);
    test_store(&st, h, dir);
    rmdir(dir);
    hpo_free(h);
    return check_finish(&st);
}
