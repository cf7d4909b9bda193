/* search.h — similar-case search over the stored cases (issue 3, item 3): a query of HPO
 * terms (observed, excluded), genes and variants against every active case the caller may
 * see, ranked by similarity.h's genoshare method, each result with its explanation.
 *
 * Decisions:
 *   - Visibility before ranking: each active case is decided by access_check_read (its
 *     dataset, institution and scope) before any score exists; sim_rank's visibility
 *     callback drops hidden cases, and hidden cases are not even turned into profiles, so
 *     they change neither ranks, scores, counts nor the IC weights.
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

#endif
