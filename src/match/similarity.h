/* similarity.h — phenotype similarity between cases: in-memory case profiles built against
 * one struct hpo, information-content weights, the scoring methods (simGIC, symmetric
 * Resnik best-match average, IC-weighted cosine) with excluded-term conflicts and shared
 * genes, per-result explanations, and ranking a candidate set behind a visibility check.
 * It does not read the store: the caller loads cases and hands over profiles.
 *
 * Method genoshare uses (SIM_METHOD_DEFAULT = SIM_METHOD_HYBRID; every method measured in
 * bench/README.md, "match-accuracy"), with IC blended half from the HPO disease annotations
 * and half from how often the term's closure occurs in the case collection ("case IC"):
 *   phenotype = Tversky(α=0.7): Σ IC(Q∩C) / (0.7 Σ IC(Q) + 0.3 Σ IC(C)) over closures
 *             + (0.7 × Resnik best-match mean from the query's terms
 *                + 0.3 × the same from the candidate's) / 3 nats
 *             + 0.1 × IC-weighted Jaccard of the two excluded-term sets;
 *   total     = phenotype + SIM_GENE_WEIGHT when the cases share a causative gene.
 * Weighting the query side reflects the question asked ("who has what my patient has"):
 * a candidate with many extra findings is penalised less than one missing the query's. On
 * the 7,352 published dev cases this lifts top-1 from 0.459 (simGIC) to 0.52; without the
 * excluded-term part it is 0.51. Shared excluded terms partly mirror the curators' per-
 * cohort templates in that data set; set SIM_EXCLUDED_WEIGHT to 0 to rank on observed
 * terms only. Penalising contradictions (a term one case has and the other excludes) was
 * measured and lowers accuracy (cases of one disease differ in such features), so it is
 * reported (conflict) but weighs 0 by default.
 *
 * Scale (1,000,000 cases, measured in bench/README.md): a profile is three short sorted
 * int lists (observed, excluded, ancestor closure: ~9, ~13 and ~50 entries for the
 * published cases). Scoring one pair is one walk over the candidate's closure against
 * dense per-query tables (O(|closure|), no merge, no log); the per-query tables cost
 * O(ancestor entries) = 0.2M steps once. Candidates for a million cases come from the
 * inverted lists of match/case_index.h, pruned by an upper bound of the hybrid score
 * (search.c): only a few thousand are scored, with the same results as scoring all. */
#ifndef GS_MATCH_SIMILARITY_H
#define GS_MATCH_SIMILARITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "pheno/hpo.h"

/* ---- profiles ---- */

/* One case's phenotype and genotype. Term lists hold current (non-obsolete) term indices
 * of the struct hpo it was built against, sorted ascending and distinct. Owns its arrays
 * (sim_profile_free); valid as long as that struct hpo. */
struct sim_profile {
    int *observed;
    int nobserved;
    int *excluded; /* a term listed both ways is kept as observed only */
    int nexcluded;
    int *closure; /* observed terms and all their ancestors (the root included) */
    int nclosure;
    char **genes; /* causative gene symbols (or HGNC ids), sorted by strcmp, distinct */
    int ngenes;
};

/* Builds a profile from HPO ids as curated ("HP:0001250"; alt and obsolete ids are
 * resolved as hpo_term_lookup does, counted in *problems, which may be NULL; unknown,
 * malformed and obsolete-without-replacement ids are skipped and counted) and gene names
 * (copied). GS_ENOMEM only; a profile may end up with no terms. Free with
 * sim_profile_free, also after failure. */
int sim_profile_build(const struct hpo *h, const char *const *observed, int nobserved,
                      const char *const *excluded, int nexcluded, const char *const *genes,
                      int ngenes, struct sim_profile *out, struct hpo_problems *problems,
                      struct gs_err *err) GS_MUST_USE;
/* The same from term indices of h (as hpo_term_find gives them for stored HP numbers):
 * obsolete terms become their replacement, out-of-range and obsolete-without-replacement
 * indices are skipped. The fast path for loading many stored cases (no id parsing). */
int sim_profile_from_terms(const struct hpo *h, const int *observed, int nobserved,
                           const int *excluded, int nexcluded, const char *const *genes,
                           int ngenes, struct sim_profile *out, struct gs_err *err) GS_MUST_USE;
void sim_profile_free(struct sim_profile *p);

/* ---- information content ---- */

/* IC per term index (0..hpo_term_count-1), monotone along is-a (a term's IC is at least
 * its ancestors'). Owns ic[] (sim_weights_free). */
struct sim_weights {
    int nterms;
    double *ic;
};

/* A copy of the HPO's annotation IC (hpo_load_annotations; all 0 without it). */
int sim_weights_from_hpo(const struct hpo *h, struct sim_weights *out,
                         struct gs_err *err) GS_MUST_USE;

/* How many of the n profiles have each term in their closure: counts[t] for every term
 * index (the caller's array of hpo_term_count entries, overwritten). */
void sim_case_counts(const struct hpo *h, const struct sim_profile *const *profiles,
                     size_t n, int64_t *counts);

/* The IC of a term that `count` of `total` cases reach: -ln(max(count, 1) / total), so a
 * term no case has weighs as if one had it (the HPO module's rule for unannotated terms).
 * 0 when total is 0. */
double sim_ic_from_count(int64_t count, int64_t total);

/* The weights genoshare uses: for each term, blend × case IC (from counts over total
 * cases) + (1 - blend) × annotation IC. blend 0 is the HPO IC alone, 1 the case IC alone.
 * The case collection must not contain the query being scored (a benchmark leaves the
 * query out; a live query is a new case). */
#define SIM_CASE_IC_BLEND 0.5
int sim_weights_blend(const struct hpo *h, const int64_t *counts, int64_t total, double blend,
                      struct sim_weights *out, struct gs_err *err) GS_MUST_USE;
void sim_weights_free(struct sim_weights *w);

/* ---- scoring ---- */

enum sim_method {
    SIM_METHOD_SIMGIC,     /* Σ IC(closure Q ∩ closure C) / Σ IC(closure Q ∪ closure C) */
    SIM_METHOD_RESNIK_BMA, /* ½ (mean over q of max_c IC(MICA(q,c)) + the same from C) */
    SIM_METHOD_COSINE,     /* IC-weighted cosine of the closure indicator vectors */
    SIM_METHOD_HYBRID,     /* genoshare's: Tversky + directed Resnik (header comment) */
};
#define SIM_METHOD_DEFAULT SIM_METHOD_HYBRID
/* "simgic", "resnik_bma", "cosine", "hybrid" */
const char *sim_method_name(enum sim_method m);

/* The hybrid's constants (the header comment; chosen on the dev cases, bench/README.md). */
#define SIM_TVERSKY_QUERY_WEIGHT 0.7 /* α: the query's share of the Tversky denominator */
#define SIM_RESNIK_QUERY_WEIGHT 0.7  /* the query-side share of the Resnik best matches */
#define SIM_RESNIK_SCALE 3.0         /* nats of Resnik worth one unit of Tversky */
#define SIM_EXCLUDED_WEIGHT 0.1      /* weight of the shared excluded terms (0 = unused) */
/* Weight of the contradiction penalty (0 = off: measured to hurt) and of a shared gene. */
#define SIM_CONFLICT_WEIGHT 0.0
#define SIM_GENE_WEIGHT 1.0

/* Minimum informativeness: a query whose closure IC (Σ IC over its closure, the weights in
 * use) is below this returns no phenotype-only matches (sim_rank); gene matches still
 * come back. 4 nats is about one specific term, e.g. a single "Seizure" (~2.2) is not
 * enough. */
#define SIM_MIN_QUERY_IC 4.0

struct sim_params {
    enum sim_method method;
    double excluded_weight; /* SIM_EXCLUDED_WEIGHT (hybrid only) */
    double conflict_weight; /* SIM_CONFLICT_WEIGHT */
    double gene_weight;     /* SIM_GENE_WEIGHT; 0 = phenotype only */
    double min_query_ic;    /* SIM_MIN_QUERY_IC */
};
/* The parameters genoshare uses. */
struct sim_params sim_params_default(void);

/* What one pair scored; every method's value is filled whatever method ranks. */
struct sim_subscores {
    double shared_ic;    /* Σ IC over the closures' intersection (simGIC's numerator) */
    double query_ic;     /* Σ IC over the query's closure (its informativeness) */
    double candidate_ic; /* Σ IC over the candidate's closure */
    double excluded_shared; /* 0..1: IC-weighted Jaccard of the two excluded-term sets */
    double simgic;     /* 0..1 */
    double resnik_bma; /* nats */
    double resnik_query;     /* nats: mean over query terms of their best match's MICA IC */
    double resnik_candidate; /* nats: the same over the candidate's terms */
    double cosine;     /* 0..1 */
    double tversky;    /* 0..1/(1-α): Σ IC(Q∩C) / (α Σ IC(Q) + (1-α) Σ IC(C)) */
    double hybrid;     /* genoshare's combination (header comment) */
    double conflict;   /* 0..1: IC share of observed terms the other case excludes */
    double phenotype;  /* the method's value × (1 - conflict_weight × conflict) */
    int shared_genes;  /* causative genes in common */
    double total;      /* phenotype + gene_weight × (shared_genes > 0) */
};

/* Scores candidates against one query. Holds dense per-term tables, so prepare it once
 * per thread and reuse it for many queries; not shareable between threads. The struct hpo,
 * weights and query profile must outlive its use. */
struct sim_scorer;
int sim_scorer_new(const struct hpo *h, const struct sim_weights *w, struct sim_scorer **out,
                   struct gs_err *err) GS_MUST_USE;
void sim_scorer_free(struct sim_scorer *s);
/* Makes q the query (O(ancestor entries)); returns its informativeness (closure IC). */
double sim_scorer_set_query(struct sim_scorer *s, const struct sim_profile *q);
/* Scores candidate c against the current query with p (O(|closure c| + Σ|ancestors q|)). */
void sim_scorer_score(struct sim_scorer *s, const struct sim_profile *c,
                      const struct sim_params *p, struct sim_subscores *out);

/* ---- explanations ---- */

/* One query term and its best match in the candidate: the candidate term whose MICA with
 * it has the largest IC (ties: the lower candidate index). candidate and mica are -1 when
 * nothing is shared (IC 0). Indices into the struct hpo. */
struct sim_term_match {
    int query_term;
    int candidate_term;
    int mica;
    double ic;
};

/* Why a candidate scored what it did. Owns its arrays (sim_explanation_free). */
struct sim_explanation {
    struct sim_term_match *matches; /* one per query observed term, in query order */
    int nmatches;
    const char **shared_genes; /* pointers into the candidate profile's genes */
    int nshared_genes;
    int *conflicts; /* observed terms (either case's) that the other case excludes */
    int nconflicts;
    struct sim_subscores sub;
};
int sim_explain(struct sim_scorer *s, const struct sim_profile *c, const struct sim_params *p,
                struct sim_explanation *out, struct gs_err *err) GS_MUST_USE;
void sim_explanation_free(struct sim_explanation *e);

/* The most informative common ancestor of a and b under w (ties as hpo_mica: the deepest,
 * then the lower id); -1 when none. */
int sim_mica(const struct hpo *h, const struct sim_weights *w, int a, int b, double *ic);

/* ---- ranking ---- */

/* Says whether the caller may see candidate i (its index in the candidate array). */
typedef bool (*sim_visible_fn)(void *ctx, size_t i);

struct sim_result {
    size_t candidate; /* index in the candidate array */
    struct sim_subscores sub;
};

/* Ranks candidates[0..n) for query q: visibility is asked first and hidden candidates are
 * dropped before anything is scored, so they can change neither the ranks nor the counts
 * (visible NULL: all visible; candidates[i] NULL is skipped). Results with total > 0 are
 * sorted by total descending, then candidate index; at most limit are kept. A query below
 * p->min_query_ic keeps only candidates sharing a gene. *out (free()) holds *nout results;
 * *informative (may be NULL) says whether the query met the minimum. */
int sim_rank(struct sim_scorer *s, const struct sim_profile *q,
             const struct sim_profile *const *candidates, size_t n, sim_visible_fn visible,
             void *ctx, const struct sim_params *p, size_t limit, struct sim_result **out,
             size_t *nout, bool *informative, struct gs_err *err) GS_MUST_USE;

#endif
