/* diagnose.h — diagnosis support: ranks every annotated disease for a query phenotype
 * (observed and excluded HPO terms), with the evidence behind each score.
 *
 * Method (DIAGNOSE_METHOD_DEFAULT = DIAGNOSE_PHENOMIZER; every method measured in
 * bench/README.md, "diagnose-accuracy"): Phenomizer's query → disease similarity, i.e. for
 * each observed query term its best match among the disease's annotated terms, scored as
 * the information content (HPO annotation IC) of their most informative common ancestor,
 * averaged over the query's terms. The direction matters: a disease annotated with 60
 * features must not be penalised because the patient shows 5 of them. Two LIRICAL-like
 * refinements, both measured on the published dev cases (bench/README.md):
 *   - frequency: a match's IC is weighted by w(f) = 1 - frequency_weight × (1 - f), f the
 *     highest frequency among the disease terms at or below the common ancestor (unknown
 *     frequencies count as unknown_frequency), so a match on an obligate feature outweighs
 *     one on a very rare feature. A light weight (0.15) lifts top-1 by ~6 points; full
 *     weight (1.0) lowers it (curated frequencies are coarse);
 *   - contradictions: the score is multiplied by (1 - excluded_penalty × f) for each query-
 *     excluded term that the disease has (that term or a descendant) at a known frequency
 *     f >= excluded_min_frequency, and by (1 - excluded_penalty) for each observed query
 *     term the disease is annotated NOT to have (that term or an ancestor). Measured, any
 *     penalty lowers accuracy sharply (even 0.1 for obligate features): curators record
 *     the absence of features a disease is known for, so the true disease is the one most
 *     often contradicted. The default penalty is therefore 0: contradictions are found and
 *     reported in the evidence, not weighed; a caller may set it.
 * The other methods reuse the similarity engine's scores (similarity.h) over the disease's
 * annotated terms, with the same contradiction factor.
 *
 * Speed: diseases' profiles, closures and per-closure-term frequencies are built once
 * (diagnose_index_new); ranking one query walks each disease's closure once, O(Σ closure +
 * diseases × Σ ancestors of the query's terms): ~12,500 diseases in a few milliseconds. An
 * index is immutable after it is built and may be shared by threads. */
#ifndef GS_MATCH_DIAGNOSE_H
#define GS_MATCH_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "match/diseases.h"
#include "match/similarity.h"
#include "store/store_cases.h"

enum diagnose_method {
    DIAGNOSE_PHENOMIZER, /* query → disease best-match Resnik, frequency-weighted */
    DIAGNOSE_RESNIK_BMA, /* the engine's symmetric best-match average */
    DIAGNOSE_SIMGIC,     /* the engine's simGIC over closures */
    DIAGNOSE_HYBRID,     /* the engine's case-matching method (Tversky + directed Resnik) */
};
#define DIAGNOSE_METHOD_DEFAULT DIAGNOSE_PHENOMIZER
const char *diagnose_method_name(enum diagnose_method m); /* "phenomizer", … */
/* "phenomizer" | "resnik_bma" | "simgic" | "hybrid"; GS_EINVAL listing them. */
int diagnose_method_parse(const char *text, enum diagnose_method *out,
                          struct gs_err *err) GS_MUST_USE;

/* The constants genoshare uses (chosen on the dev cases, bench/README.md). */
#define DIAGNOSE_FREQUENCY_WEIGHT 0.15
#define DIAGNOSE_EXCLUDED_PENALTY 0.0 /* measured to hurt: reported, not weighed */
#define DIAGNOSE_UNKNOWN_FREQUENCY 0.5
#define DIAGNOSE_EXCLUDED_MIN_FREQUENCY 0.8

struct diagnose_params {
    enum diagnose_method method;
    double frequency_weight;  /* 0 = frequencies unused (phenomizer only) */
    double excluded_penalty;  /* 0 = contradictions unused */
    double unknown_frequency; /* the frequency assumed when the annotation gives none */
    double excluded_min_frequency; /* excluded terms the disease has less often: no penalty */
};
struct diagnose_params diagnose_params_default(void);

/* Diseases ready for ranking. Opaque; diagnose_index_free. */
struct diagnose_index;
/* Builds the index over table (taken over: *table is left empty) against h, whose IC
 * (hpo_load_annotations or the stored release) weighs the matches. h must outlive it. */
int diagnose_index_new(const struct hpo *h, struct disease_table *table,
                       struct diagnose_index **out, struct gs_err *err) GS_MUST_USE;
void diagnose_index_free(struct diagnose_index *x);
size_t diagnose_index_count(const struct diagnose_index *x);
/* Disease i (0 <= i < count, ids ascending); valid until diagnose_index_free. */
const struct disease *diagnose_index_disease(const struct diagnose_index *x, size_t i);
/* The index of the disease with id, or -1. */
long diagnose_index_find(const struct diagnose_index *x, const char *id);

/* One observed query term and the disease term it matched best. */
struct diagnose_match {
    int query_term;
    int disease_term;  /* -1 when nothing but nothing is shared (ic 0) */
    int mica;          /* their most informative common ancestor, -1 as above */
    double ic;         /* IC of mica (before the frequency weight) */
    double frequency;  /* of disease_term; < 0 unknown */
};

enum diagnose_conflict_kind {
    DIAGNOSE_QUERY_EXCLUDES,   /* the query excludes a term the disease has */
    DIAGNOSE_DISEASE_EXCLUDES, /* the query has a term the disease is annotated NOT to have */
};
struct diagnose_conflict {
    enum diagnose_conflict_kind kind;
    int query_term;
    int disease_term;
    double frequency; /* of disease_term (QUERY_EXCLUDES); < 0 unknown */
};

struct diagnose_result {
    size_t disease;    /* index into the index's diseases */
    double score;      /* similarity × penalty: what ranks */
    double similarity; /* the method's value (nats for phenomizer and resnik_bma) */
    double penalty;    /* the contradiction factor, 0..1 (1: none) */
    struct diagnose_match *matches; /* one per observed query term, in query order */
    int nmatches;
    struct diagnose_conflict *conflicts;
    int nconflicts;
};

/* The top of a ranking. Owns its arrays (diagnose_ranking_free). */
struct diagnose_ranking {
    struct diagnose_result *results; /* score descending, then disease id */
    size_t n;
    size_t scored; /* diseases with a score above 0 */
};

/* Scores every disease for query q (a profile built against the index's struct hpo):
 * scores[i] for disease i (the caller's array of diagnose_index_count entries). */
int diagnose_score_all(const struct diagnose_index *x, const struct sim_profile *q,
                       const struct diagnose_params *p, double *scores,
                       struct gs_err *err) GS_MUST_USE;

/* Ranks the diseases for q and keeps the best top (0: 10) with their evidence; diseases
 * scoring 0 are left out. */
int diagnose_rank(const struct diagnose_index *x, const struct sim_profile *q,
                  const struct diagnose_params *p, size_t top, struct diagnose_ranking *out,
                  struct gs_err *err) GS_MUST_USE;
void diagnose_ranking_free(struct diagnose_ranking *r);

/* ---- what the CLI and the API share ---- */

/* The index over the stored diseases (diseases_from_store); GS_ENOTFOUND "no disease
 * annotations loaded (genoshare diagnose load FILE)" when there are none. */
int diagnose_index_from_store(struct store *s, const struct hpo *h, struct diagnose_index **out,
                              struct gs_err *err) GS_MUST_USE;

/* The query profile of a stored case: its observed and excluded features (HP numbers the
 * release lacks are counted in problems as unknown ids). Free with sim_profile_free. */
int diagnose_case_profile(const struct hpo *h, const struct store_case *c,
                          struct sim_profile *out, struct hpo_problems *problems,
                          struct gs_err *err) GS_MUST_USE;

/* The ranking as JSON: {"method", "diseases" (scored), "results":[{rank, id, name, score,
 * similarity, penalty, matches:[{query, query_label, disease_term, disease_label, mica,
 * mica_label, ic, frequency}], contradictions:[{kind, query, disease_term, frequency}]}],
 * "problems":{unknown, malformed, alt_resolved, obsolete_replaced, obsolete_unresolved,
 * examples}} (frequency null when unknown). NULL when out of memory; the caller owns it. */
json_t *diagnose_ranking_json(const struct diagnose_index *x, const struct diagnose_params *p,
                              const struct diagnose_ranking *r, const struct hpo_problems *problems);

#endif
