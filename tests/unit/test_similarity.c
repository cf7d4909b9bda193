/* test_similarity.c — the phenotype similarity engine on the HPO fixture ontology
 * (tests/fixtures/hpo/mini.json + mini.hpoa, IC by hand as in test_hpo.c: 4 diseases):
 * simGIC and Resnik BMA values, symmetry, identical profiles first, explanations, excluded
 * terms, alt/obsolete ids, case IC, minimum informativeness, and visibility applied before
 * ranking. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "match/similarity.h"

#define FIX "tests/fixtures/hpo/"

static bool near(double a, double b) { return fabs(a - b) < 1e-9; }

static int term(const struct hpo *h, const char *id)
{
    enum hpo_resolution how;
    int t = -1;
    struct gs_err err = {0};
    if (hpo_term_lookup(h, id, &t, &how, &err) != GS_OK)
        return -1;
    return t;
}

/* A profile from NULL-terminated lists (observed, excluded, genes may be NULL). */
static struct sim_profile profile(const struct hpo *h, const char *const *obs,
                                  const char *const *exc, const char *const *genes,
                                  struct hpo_problems *problems)
{
    int no = 0, ne = 0, ng = 0;
    while (obs && obs[no])
        no++;
    while (exc && exc[ne])
        ne++;
    while (genes && genes[ng])
        ng++;
    struct sim_profile p;
    struct gs_err err = {0};
    if (sim_profile_build(h, obs, no, exc, ne, genes, ng, &p, problems, &err) != GS_OK)
        fprintf(stderr, "profile: %s\n", err.msg);
    return p;
}

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

static const double L43 = 0.28768207245178090; /* ln(4/3) */

static void test_profiles(struct check_state *st, const struct hpo *h)
{
    struct hpo_problems pr = {0};
    struct sim_profile p = profile(h, L("HP:0001275", "HP:0000058", "HP:0000489", "HP:9999999",
                                        "seizure", "HP:0001250"),
                                   L("HP:0000252", "HP:0001263", "HP:0001263"),
                                   L("SCN1A", "", "SCN1A", "KCNQ2"), &pr);
    CHECK(st, p.nobserved == 2 && p.observed[0] == term(h, "HP:0000252") &&
                  p.observed[1] == term(h, "HP:0001250"),
          "profile: alt id -> Seizure, obsolete -> replacement, duplicates merged (got %d)",
          p.nobserved);
    CHECK(st, pr.alt_resolved == 1 && pr.obsolete_replaced == 1 && pr.obsolete_unresolved == 1 &&
                  pr.unknown == 1 && pr.malformed == 1 && pr.nexamples == 5,
          "profile: every alt/obsolete/unknown/malformed id counted");
    CHECK(st, p.nexcluded == 1 && p.excluded[0] == term(h, "HP:0001263"),
          "profile: a term observed and excluded stays observed only; excluded deduplicated");
    CHECK(st, p.ngenes == 2 && strcmp(p.genes[0], "KCNQ2") == 0 &&
                  strcmp(p.genes[1], "SCN1A") == 0,
          "profile: genes sorted, distinct, empty names dropped");
    /* closure of {Microcephaly, Seizure}: 252 234 152 12639 1250 12638 707 118 1 */
    bool sorted = true;
    for (int i = 1; i < p.nclosure; i++)
        sorted &= p.closure[i - 1] < p.closure[i];
    CHECK(st, p.nclosure == 9 && sorted, "profile: closure has 9 distinct sorted terms (got %d)",
          p.nclosure);
    sim_profile_free(&p);
    struct sim_profile empty = profile(h, NULL, NULL, NULL, NULL);
    CHECK(st, empty.nobserved == 0 && empty.nclosure == 0 && empty.observed == NULL,
          "profile: no terms is an empty profile");
    sim_profile_free(&empty);
}

static void test_scores(struct check_state *st, const struct hpo *h, struct sim_scorer *s)
{
    struct sim_params p = sim_params_default();
    struct sim_profile a = profile(h, L("HP:0020219"), NULL, NULL, NULL); /* Motor seizure */
    struct sim_profile b = profile(h, L("HP:0002121"), NULL, NULL, NULL); /* Absence seizure */
    struct sim_profile c = profile(h, L("HP:0000252"), NULL, NULL, NULL); /* Microcephaly */
    struct sim_subscores ab, ba, aa, ac;
    double qa = sim_scorer_set_query(s, &a);
    CHECK(st, near(qa, log(4) + 2 * L43), "query IC of Motor seizure = ln4 + 2 ln(4/3)");
    sim_scorer_score(s, &b, &p, &ab);
    sim_scorer_score(s, &a, &p, &aa);
    sim_scorer_score(s, &c, &p, &ac);
    sim_scorer_set_query(s, &b);
    sim_scorer_score(s, &a, &p, &ba);
    CHECK(st, near(ab.simgic, 2 * L43 / (2 * log(4) + 2 * L43)),
          "simGIC(motor, absence) = 2 ln(4/3) / (2 ln4 + 2 ln(4/3)) (got %.6f)", ab.simgic);
    CHECK(st, near(ab.resnik_bma, L43), "Resnik BMA(motor, absence) = IC(Seizure) (got %.6f)",
          ab.resnik_bma);
    CHECK(st, near(ab.simgic, ba.simgic) && near(ab.resnik_bma, ba.resnik_bma) &&
                  near(ab.cosine, ba.cosine) && near(ab.hybrid, ba.hybrid),
          "simGIC, BMA, cosine and (for equal sizes) hybrid are symmetric");
    CHECK(st, near(aa.simgic, 1) && near(aa.cosine, 1) && near(aa.resnik_bma, log(4)) &&
                  aa.hybrid > ab.hybrid,
          "identical profiles: simGIC 1, cosine 1, BMA = IC(term), hybrid above the sibling");
    CHECK(st, ac.simgic == 0 && ac.resnik_bma == 0 && ac.total == 0,
          "nothing informative shared: every score 0");

    /* Two terms each: Q {Motor seizure, Microcephaly}, C {Absence seizure, Ventriculomegaly} */
    struct sim_profile q = profile(h, L("HP:0020219", "HP:0000252"), NULL, NULL, NULL);
    struct sim_profile k = profile(h, L("HP:0002121", "HP:0002119"), NULL, NULL, NULL);
    struct sim_subscores qk;
    sim_scorer_set_query(s, &q);
    sim_scorer_score(s, &k, &p, &qk);
    double qic = log(4) + 3 * L43 + 3 * log(2), kic = 2 * log(4) + 3 * L43;
    CHECK(st, near(qk.query_ic, qic) && near(qk.candidate_ic, kic) && near(qk.shared_ic, 3 * L43),
          "closure sums: query %.4f, candidate %.4f, shared 3 ln(4/3)", qic, kic);
    CHECK(st, near(qk.simgic, 3 * L43 / (qic + kic - 3 * L43)),
          "simGIC of two-term profiles (got %.6f)", qk.simgic);
    CHECK(st, near(qk.resnik_bma, L43) && near(qk.resnik_query, L43) &&
                  near(qk.resnik_candidate, L43),
          "Resnik BMA of two-term profiles: every best match is ln(4/3) (got %.6f)",
          qk.resnik_bma);
    CHECK(st, near(qk.tversky, 3 * L43 / (0.7 * qic + 0.3 * kic)),
          "Tversky weights the query 0.7 (got %.6f)", qk.tversky);
    CHECK(st, near(qk.hybrid, qk.tversky + L43 / SIM_RESNIK_SCALE) && near(qk.phenotype, qk.hybrid),
          "hybrid = Tversky + directed Resnik / scale (no excluded terms)");

    struct sim_explanation e;
    struct gs_err err = {0};
    CHECK(st, sim_explain(s, &k, &p, &e, &err) == GS_OK && e.nmatches == 2,
          "explanation: one match per query term");
    if (e.nmatches == 2) {
        /* observed lists are sorted by id: HP:0000252 before HP:0020219 */
        CHECK(st, e.matches[0].query_term == term(h, "HP:0000252") &&
                      e.matches[0].candidate_term == term(h, "HP:0002119") &&
                      e.matches[0].mica == term(h, "HP:0012639") && near(e.matches[0].ic, L43),
              "explanation: Microcephaly ~ Ventriculomegaly via Abnormal nervous system "
              "morphology, IC ln(4/3)");
        CHECK(st, e.matches[1].query_term == term(h, "HP:0020219") &&
                      e.matches[1].candidate_term == term(h, "HP:0002121") &&
                      e.matches[1].mica == term(h, "HP:0001250"),
              "explanation: Motor ~ Absence seizure via Seizure");
        CHECK(st, near(e.sub.simgic, qk.simgic) && e.nshared_genes == 0 && e.nconflicts == 0,
              "explanation: carries the sub-scores; no genes, no conflicts");
    }
    sim_explanation_free(&e);
    sim_scorer_set_query(s, &a);
    CHECK(st, sim_explain(s, &c, &p, &e, &err) == GS_OK && e.nmatches == 1 &&
                  e.matches[0].candidate_term == -1 && e.matches[0].mica == -1,
          "explanation: a term with no informative match says so (-1)");
    sim_explanation_free(&e);

    struct sim_weights w = {0};
    if (sim_weights_from_hpo(h, &w, &err) == GS_OK) {
        const char *pairs[][2] = {{"HP:0001250", "HP:0000252"}, {"HP:0000252", "HP:0000234"},
                                  {"HP:0020219", "HP:0002121"}, {"HP:0000252", "HP:0002119"}};
        for (size_t i = 0; i < 4; i++) {
            int x = term(h, pairs[i][0]), y = term(h, pairs[i][1]);
            double ic1, ic2;
            CHECK(st, sim_mica(h, &w, x, y, &ic1) == hpo_mica(h, x, y, &ic2) && near(ic1, ic2),
                  "sim_mica with the HPO's IC agrees with hpo_mica (%s, %s)", pairs[i][0],
                  pairs[i][1]);
        }
    }
    sim_weights_free(&w);
    sim_profile_free(&a);
    sim_profile_free(&b);
    sim_profile_free(&c);
    sim_profile_free(&q);
    sim_profile_free(&k);
}

static void test_excluded_and_genes(struct check_state *st, const struct hpo *h,
                                    struct sim_scorer *s)
{
    struct sim_params p = sim_params_default();
    struct gs_err err = {0};
    /* The query excludes "Abnormal nervous system morphology": a candidate with
     * Ventriculomegaly (a descendant) contradicts it; the candidate excludes Seizure, which
     * the query's Motor seizure contradicts. */
    struct sim_profile q = profile(h, L("HP:0020219", "HP:0000252"), L("HP:0012639", "HP:0001263"),
                                   L("SCN1A", "KCNQ2"), NULL);
    struct sim_profile c = profile(h, L("HP:0002121", "HP:0002119"), L("HP:0001250", "HP:0001263"),
                                   L("KCNQ2"), NULL);
    struct sim_profile plain = profile(h, L("HP:0002121", "HP:0002119"), NULL, NULL, NULL);
    sim_scorer_set_query(s, &q);
    struct sim_subscores with, without;
    sim_scorer_score(s, &c, &p, &with);
    sim_scorer_score(s, &plain, &p, &without);
    /* conflicts: query's 20219 (ln4, below excluded Seizure), candidate's 2119 (ln4) */
    double obs_ic = log(4) + log(2) + log(4) + log(4);
    CHECK(st, near(with.conflict, 2 * log(4) / obs_ic), "conflict = IC share of contradicted "
          "terms, both ways (got %.4f)", with.conflict);
    /* excluded: {12639, 1263} vs {1250, 1263} (the query's 252 is observed so not in its
     * excluded set); shared 1263 */
    double xu = L43 + log(4) + L43;
    CHECK(st, near(with.excluded_shared, log(4) / xu), "shared excluded terms: IC Jaccard "
          "(got %.4f)", with.excluded_shared);
    CHECK(st, with.shared_genes == 1 && near(with.total, with.phenotype + SIM_GENE_WEIGHT),
          "one shared gene adds the gene weight");
    CHECK(st, near(with.phenotype, without.phenotype + SIM_EXCLUDED_WEIGHT * with.excluded_shared),
          "default: contradictions weigh 0, shared excluded terms add their weight");
    struct sim_params strict = p;
    strict.conflict_weight = 0.5;
    struct sim_subscores pen;
    sim_scorer_score(s, &c, &strict, &pen);
    CHECK(st, pen.phenotype < with.phenotype &&
                  near(pen.phenotype, with.hybrid * (1 - 0.5 * with.conflict)),
          "a conflict weight lowers the phenotype score by the conflict share");
    struct sim_explanation e;
    if (sim_explain(s, &c, &p, &e, &err) == GS_OK) {
        bool found_q = false, found_c = false;
        for (int i = 0; i < e.nconflicts; i++) {
            found_q |= e.conflicts[i] == term(h, "HP:0020219");
            found_c |= e.conflicts[i] == term(h, "HP:0002119");
        }
        CHECK(st, e.nconflicts == 2 && found_q && found_c,
              "explanation lists both contradicted terms");
        CHECK(st, e.nshared_genes == 1 && strcmp(e.shared_genes[0], "KCNQ2") == 0,
              "explanation lists the shared gene");
        sim_explanation_free(&e);
    }
    sim_profile_free(&q);
    sim_profile_free(&c);
    sim_profile_free(&plain);
}

/* ---- ranking ---- */

struct hide {
    size_t hidden;
    int calls;
};
static bool visible_except(void *ctx, size_t i)
{
    struct hide *x = ctx;
    x->calls++;
    return i != x->hidden;
}

static void test_rank(struct check_state *st, const struct hpo *h, struct sim_scorer *s)
{
    struct sim_params p = sim_params_default();
    p.min_query_ic = 1.0; /* the fixture's IC is small: Motor seizure's closure is 1.96 */
    struct gs_err err = {0};
    struct sim_profile q = profile(h, L("HP:0020219"), NULL, NULL, NULL);
    struct sim_profile same = profile(h, L("HP:0020219"), NULL, NULL, NULL);
    struct sim_profile sib = profile(h, L("HP:0002121"), NULL, NULL, NULL);
    struct sim_profile sib2 = profile(h, L("HP:0002121", "HP:0000252"), NULL, NULL, NULL);
    struct sim_profile far = profile(h, L("HP:0000252"), NULL, L("SCN1A"), NULL);
    const struct sim_profile *cands[] = {&sib2, &same, &far, NULL, &sib};
    struct sim_result *r = NULL;
    size_t n = 0;
    bool informative = false;
    int rc = sim_rank(s, &q, cands, 5, NULL, NULL, &p, 10, &r, &n, &informative, &err);
    CHECK(st, rc == GS_OK && informative && n == 3 && r[0].candidate == 1 && r[1].candidate == 4 &&
                  r[2].candidate == 0,
          "rank: identical first, then the sibling, then the diluted sibling; no score-0 "
          "candidate, NULL skipped (got %zu)", n);
    free(r);

    /* Hide the best one: the others keep exactly the order and scores they have without it. */
    struct hide x = {.hidden = 1};
    struct sim_result *rh = NULL;
    size_t nh = 0;
    rc = sim_rank(s, &q, cands, 5, visible_except, &x, &p, 10, &rh, &nh, NULL, &err);
    const struct sim_profile *without[] = {&sib2, &far, NULL, &sib};
    struct sim_result *rw = NULL;
    size_t nw = 0;
    int rc2 = sim_rank(s, &q, without, 4, NULL, NULL, &p, 10, &rw, &nw, NULL, &err);
    bool hidden_absent = true, same_order = rc == GS_OK && rc2 == GS_OK && nh == nw;
    for (size_t i = 0; i < nh; i++) {
        hidden_absent &= rh[i].candidate != 1;
        if (same_order && i < nw)
            same_order &= near(rh[i].sub.total, rw[i].sub.total) &&
                          cands[rh[i].candidate] == without[rw[i].candidate];
    }
    CHECK(st, hidden_absent && nh == 2, "visibility: the hidden best match is not returned and "
          "the count is of visible results only (got %zu)", nh);
    CHECK(st, same_order, "visibility: ranks and scores equal those of a set without the hidden "
          "case");
    CHECK(st, x.calls == 4, "visibility asked once per non-NULL candidate (got %d)", x.calls);
    free(rh);
    free(rw);
    rc = sim_rank(s, &q, cands, 5, visible_except, &x, &p, 1, &rh, &nh, NULL, &err);
    CHECK(st, rc == GS_OK && nh == 1 && rh[0].candidate == 4,
          "visibility before the limit: limit 1 returns the best visible case, not nothing");
    free(rh);

    /* Minimum informativeness: "Abnormality of the nervous system" has IC 0. */
    struct sim_profile vague = profile(h, L("HP:0000707"), NULL, L("SCN1A"), NULL);
    rc = sim_rank(s, &vague, cands, 5, NULL, NULL, &p, 10, &rh, &nh, &informative, &err);
    CHECK(st, rc == GS_OK && !informative && nh == 1 && rh[0].candidate == 2 &&
                  rh[0].sub.shared_genes == 1,
          "uninformative query: no phenotype-only matches, the gene match still returned");
    free(rh);
    struct sim_params nogene = p;
    nogene.gene_weight = 0;
    rc = sim_rank(s, &vague, cands, 5, NULL, NULL, &nogene, 10, &rh, &nh, &informative, &err);
    CHECK(st, rc == GS_OK && nh == 0, "uninformative query, phenotype only (gene weight 0): "
          "nothing returned (got %zu)", nh);
    free(rh);
    p.min_query_ic = 2.0;
    rc = sim_rank(s, &q, cands, 5, NULL, NULL, &p, 10, &rh, &nh, &informative, &err);
    CHECK(st, rc == GS_OK && !informative && nh == 0,
          "threshold above the query's IC (1.96 < 2.0): nothing phenotype-only");
    free(rh);

    sim_profile_free(&q);
    sim_profile_free(&same);
    sim_profile_free(&sib);
    sim_profile_free(&sib2);
    sim_profile_free(&far);
    sim_profile_free(&vague);
}

static void test_case_ic(struct check_state *st, const struct hpo *h)
{
    struct sim_profile a = profile(h, L("HP:0020219"), NULL, NULL, NULL);
    struct sim_profile b = profile(h, L("HP:0002121"), NULL, NULL, NULL);
    struct sim_profile c = profile(h, L("HP:0000252"), NULL, NULL, NULL);
    const struct sim_profile *all[] = {&a, &b, &c};
    int64_t *counts = calloc((size_t)hpo_term_count(h), sizeof *counts);
    struct gs_err err = {0};
    sim_case_counts(h, all, 3, counts);
    CHECK(st, counts[term(h, "HP:0001250")] == 2 && counts[term(h, "HP:0000001")] == 3 &&
                  counts[term(h, "HP:0001263")] == 0,
          "case counts: closures counted once per case");
    CHECK(st, near(sim_ic_from_count(2, 3), log(1.5)) && near(sim_ic_from_count(0, 3), log(3)) &&
                  sim_ic_from_count(3, 3) == 0 && sim_ic_from_count(1, 0) == 0,
          "case IC: -ln(count/total), an unseen term as if seen once, root 0");
    struct sim_weights w = {0};
    int t = term(h, "HP:0001250");
    CHECK(st, sim_weights_blend(h, counts, 3, 0.5, &w, &err) == GS_OK &&
                  near(w.ic[t], 0.5 * log(1.5) + 0.5 * L43),
          "blended IC: half case IC, half annotation IC");
    sim_weights_free(&w);
    free(counts);
    sim_profile_free(&a);
    sim_profile_free(&b);
    sim_profile_free(&c);
}

int main(void)
{
    struct check_state st = {0};
    struct gs_err err = {0};
    struct hpo *h = NULL;
    struct hpo_annotation_report rep = {0};
    if (hpo_load_ontology(FIX "mini.json", &h, &err) != GS_OK ||
        hpo_load_annotations(h, FIX "mini.hpoa", &rep, &err) != GS_OK) {
        printf("FAIL load fixture: %s\n", err.msg);
        hpo_free(h);
        return 1;
    }
    struct sim_weights w = {0};
    struct sim_scorer *s = NULL;
    if (sim_weights_from_hpo(h, &w, &err) != GS_OK || sim_scorer_new(h, &w, &s, &err) != GS_OK) {
        printf("FAIL scorer: %s\n", err.msg);
        return 1;
    }
    test_profiles(&st, h);
    test_scores(&st, h, s);
    test_excluded_and_genes(&st, h, s);
    test_rank(&st, h, s);
    test_case_ic(&st, h);
    CHECK(&st, strcmp(sim_method_name(SIM_METHOD_DEFAULT), "hybrid") == 0 &&
                  strcmp(sim_method_name(SIM_METHOD_SIMGIC), "simgic") == 0,
          "method names");
    sim_scorer_free(s);
    sim_weights_free(&w);
    hpo_free(h);
    return check_finish(&st);
}
