/* search.h — similar-case search over the stored cases (issue 3, item 3): a query of HPO
 * terms (observed, excluded), genes and variants against every active case the caller may
 * see, ranked by similarity.h's genoshare method, each result with its explanation.
 *
 * Decisions:
 *   - Visibility before ranking: the cases are held by a case index (case_index.h) in
 *     groups of equal dataset, institution and scope; each group is decided once by
 *     access_check_read before any score exists, and cases of hidden groups are never
 *     scored nor counted, so they change neither ranks, scores, counts nor the IC weights.
 *   - IC: the HPO annotation IC, blended (SIM_CASE_IC_BLEND) with the case-frequency IC
 *     computed over the cases the caller can see only (never over hidden ones, which would
 *     let scores reveal them), and only when at least MATCH_CASE_IC_MIN_CASES are visible:
 *     below that the case counts are too coarse (ln 20 ≈ 3 nats at most) and the annotation
 *     IC is used alone. results->case_ic says which was used.
 *   - Score = phenotype (hybrid method) + SIM_GENE_WEIGHT when a normalised gene is shared
 *     + MATCH_VARIANT_WEIGHT when a variant is shared (same assembly, chrom, pos, ref, alt).
 *     A query below SIM_MIN_QUERY_IC returns only cases sharing a gene or variant.
 *   - Query ids are resolved like case ids (alt and replaced obsolete ids used as their
 *     term, noted); unknown, malformed and obsolete-without-replacement ids are listed in
 *     results->unused, never silently dropped. Genes are normalised as cases' genes are
 *     (cases_prepare: the gene table when loaded); an unknown gene is GS_EINVAL.
 *   - Audit: when the results show a case that is not open + international, one row
 *     "case.match" lists the case ids returned. */
#ifndef GS_MATCH_SEARCH_H
#define GS_MATCH_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "match/case_index.h"
#include "match/cases.h"
#include "match/similarity.h"
#include "pheno/hpo.h"

#define MATCH_TOP_DEFAULT 10
#define MATCH_TOP_MAX 100
#define MATCH_QUERY_TERMS_MAX 200 /* observed + excluded ids in one query */
#define MATCH_CASE_IC_MIN_CASES 20
/* A shared variant on top of a shared gene: it is the stronger evidence, but the gene
 * already carries most of it (chosen, not measured: no benchmark has variants). */
#define MATCH_VARIANT_WEIGHT 0.5

/* What to search for. Strings are the caller's (valid during match_search). */
struct match_query {
    const char *const *observed; /* "HP:0001250" as given (alt/obsolete ids resolved) */
    int nobserved;
    const char *const *excluded;
    int nexcluded;
    const char *const *genes;    /* symbols or ids: HGNC:n, ENSG…, NCBIGene:n */
    int ngenes;
    const struct store_case_variant *variants; /* parsed (case_parse_*), 1-based */
    int nvariants;
    int64_t exclude_case;        /* a case left out of candidates and counts (0: none) */
};

/* One query term and its best match in the case. Strings point into the struct hpo the
 * search ran with (valid until hpo_free); case_* and mica_* are NULL when nothing matched. */
struct match_pair {
    const char *query_id, *query_label;
    const char *case_term_id, *case_term_label;
    const char *mica_id, *mica_label;
    double ic; /* the MICA's IC under the weights used */
};

struct match_result {
    int64_t case_id;
    char label[STORE_TEXT_MAX];
    char dataset[STORE_NAME_MAX];
    char institution[STORE_NAME_MAX];
    enum scope scope;
    double score;      /* phenotype + gene + variant */
    double phenotype;  /* sub.phenotype */
    double gene;       /* SIM_GENE_WEIGHT or 0 */
    double variant;    /* MATCH_VARIANT_WEIGHT or 0 */
    struct sim_subscores sub;
    struct match_pair *pairs; /* one per observed query term, in the query's term order */
    int npairs;
    struct store_case_gene *shared_genes;       /* the case's rows (canonical id, symbol) */
    int nshared_genes;
    struct store_case_variant *shared_variants; /* the case's rows */
    int nshared_variants;
};

#define MATCH_UNUSED_MAX 32
struct match_results {
    struct match_result *items; /* best first */
    size_t n;
    size_t candidates;   /* visible active cases considered */
    size_t scored;       /* of them, scored exactly (the index pruned the rest) */
    bool informative;    /* the query met SIM_MIN_QUERY_IC */
    double query_ic;     /* its closure IC under the weights used */
    bool case_ic;        /* case-frequency IC (visible cases) was blended in */
    int nunused;         /* query ids not used; the first MATCH_UNUSED_MAX are listed */
    struct {
        char id[48];
        char why[80];    /* "unknown in HPO release X", "obsolete without replacement", … */
    } unused[MATCH_UNUSED_MAX];
    struct case_report notes; /* resolved alt/obsolete ids, genes kept as given, … */
};
/* Frees what results holds (not the struct itself); safe on a zeroed struct. */
void match_results_free(struct match_results *r);

/* The results as the API and `genoshare match --json` show them:
 * {"informative","query_ic","ic":"annotations"|"annotations+visible cases","candidates",
 *  "unused":[{"id","why"}],"notes":[…],"results":[{"rank","case_id","label","dataset",
 *  "institution","scope","score","phenotype_score","gene_score","variant_score",
 *  "subscores":{…},"matched_terms":[{"query":{"id","label"},"case":{…}|null,
 *  "mica":{"id","label","ic"}|null}],"shared_genes":[{"id","symbol"}],
 *  "shared_variants":[{"assembly","chrom","pos","ref","alt"}]}]}. Caller owns; NULL: no memory. */
json_t *match_results_to_json(const struct match_results *r);

/* Searches the active cases who may see for query, keeping the top best (1..MATCH_TOP_MAX).
 * by is the audit actor. *out is zeroed first and owned by the caller (match_results_free,
 * also after failure); its strings point into h. GS_EINVAL for an empty query, an unknown
 * gene, or top out of range. */
int match_search(struct store *s, const struct hpo *h, const struct principal *who,
                 const struct actor *by, const struct match_query *q, int top, time_t now,
                 struct match_results *out, struct gs_err *err) GS_MUST_USE;

/* The cases similar to case id: the case must be visible to who (else GS_ENOTFOUND "no case
 * with id N", its read audited as cases_read does); its observed and excluded terms, genes
 * and variants are the query, and it is left out of its own results. */
int match_search_case(struct store *s, const struct hpo *h, const struct principal *who,
                      const struct actor *by, int64_t id, int top, time_t now,
                      struct match_results *out, struct gs_err *err) GS_MUST_USE;

/* ---- the same over a case index kept by the caller (case_index.h) ----
 * match_search and match_search_case build a temporary index for their one query; a server
 * keeps one index and calls these. Results are the same (same scores, same order): the
 * index only skips cases that provably cannot enter the top results. How (search.c,
 * rank_indexed): cases sharing a gene or variant are scored exactly; then the query's
 * closure terms are walked from the highest IC down through the index's inverted lists,
 * scoring exactly until `top` results are held and afterwards only summing the IC each
 * case shares; the walk stops when a case no walked term reaches has an upper bound
 * (Tversky of the unwalked IC, Resnik ≤ the next term's IC, the excluded-term weight)
 * below the last kept score; the summed cases are scored in order of their own bound
 * while it can beat the last kept one. Only the hybrid method has this bound: any other
 * method scores every visible case. */
struct match_options {
    bool exhaustive;    /* score every visible case (the pairwise reference in the bench) */
    bool annotation_ic; /* HPO annotation IC only: scores that no other case influences */
    double min_score;   /* leave out results scoring below (0: none) */
    bool no_sync;       /* the caller has brought the index up to date (bulk loaders) */
};
/* ix NULL: a temporary index for this one search. opt NULL: defaults. by NULL: no audit row (callers that show the results to nobody). The
 * index is synced first (case_index_sync: never from inside a write transaction). */
int match_search_indexed(struct case_index *ix, struct store *s, const struct hpo *h,
                         const struct principal *who, const struct actor *by,
                         const struct match_query *q, int top, const struct match_options *opt,
                         time_t now, struct match_results *out, struct gs_err *err) GS_MUST_USE;
/* The cases similar to c, a case the caller has read already (no access check of c here):
 * its observed and excluded terms, genes and variants are the query, c->id is left out. */
int match_search_like(struct case_index *ix, struct store *s, const struct hpo *h,
                      const struct principal *who, const struct actor *by,
                      const struct store_case *c, int top, const struct match_options *opt,
                      time_t now, struct match_results *out, struct gs_err *err) GS_MUST_USE;
/* match_search_case over ix (NULL: a temporary index); opt as above. */
int match_search_case_indexed(struct case_index *ix, struct store *s, const struct hpo *h,
                              const struct principal *who, const struct actor *by, int64_t id,
                              int top, const struct match_options *opt, time_t now,
                              struct match_results *out, struct gs_err *err) GS_MUST_USE;

#endif
