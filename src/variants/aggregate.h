/* aggregate.h — the classification vocabulary and ClinVar's aggregation of submissions
 * into one classification, review status and star rating (per variant, or per variant and
 * condition: the caller chooses which submissions it passes).
 *
 * The rules (ClinVar's "review status" and "aggregate classification" pages):
 *   - a practice guideline (4 stars) wins, then an expert panel (3 stars): the newest such
 *     submission gives the classification;
 *   - otherwise only submissions with assertion criteria count when there is at least one:
 *       one submitter                       → "criteria provided, single submitter" (1 star)
 *       several, same pathogenicity group   → "criteria provided, multiple submitters, no
 *                                             conflicts" (2 stars); P + LP reads
 *                                             "Pathogenic/Likely pathogenic", B + LB
 *                                             "Benign/Likely benign"
 *       groups differ (P/LP vs VUS vs LB/B) → "criteria provided, conflicting
 *                                             classifications" (1 star), classification
 *                                             "Conflicting classifications of pathogenicity",
 *                                             the conflicts listed by submitter;
 *   - else submissions without criteria give "no assertion criteria provided" (0 stars);
 *   - none with a classification: "no classification provided" (0 stars).
 *   - Terms outside the pathogenicity scale (drug response, risk factor, protective…) do
 *     not conflict with it: they are appended ("Pathogenic; risk factor").
 *   - A submission that is itself an aggregate (a ClinVar release loaded as one submitter:
 *     its CLNREVSTAT) keeps its review status and stars when it is the only one counted. */
#ifndef GS_VARIANTS_AGGREGATE_H
#define GS_VARIANTS_AGGREGATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "store/store_variants.h"

enum review_status {
    REVIEW_NO_CLASSIFICATION,   /* "no classification provided" */
    REVIEW_NO_CRITERIA,         /* "no assertion criteria provided" */
    REVIEW_SINGLE,              /* "criteria provided, single submitter" */
    REVIEW_CONFLICTING,         /* "criteria provided, conflicting classifications" */
    REVIEW_MULTIPLE,            /* "criteria provided, multiple submitters, no conflicts" */
    REVIEW_EXPERT_PANEL,        /* "reviewed by expert panel" */
    REVIEW_PRACTICE_GUIDELINE,  /* "practice guideline" */
};
#define REVIEW_STATUS_COUNT 7

const char *review_status_name(enum review_status r); /* ClinVar's words, as above */
int review_status_stars(enum review_status r);        /* 0..4 */
/* ClinVar's spellings with '_' or ' ' ("criteria_provided,_single_submitter"), case-
 * insensitive, plus the short forms "single", "multiple", "conflicting", "expert panel",
 * "practice guideline", "no criteria", "none". GS_EINVAL listing them otherwise. */
int review_status_parse(const char *text, enum review_status *out, struct gs_err *err) GS_MUST_USE;

/* Where a classification sits on the pathogenicity scale. */
enum class_group { CLASS_PATHOGENIC, CLASS_UNCERTAIN, CLASS_BENIGN, CLASS_CONFLICTING,
                   CLASS_OTHER, CLASS_NONE };
/* Canonicalises one classification term into out (ClinVar's words with spaces, ClinVar's
 * capitalisation: "likely_pathogenic" → "Likely pathogenic"); composite ClinVar values
 * ("Pathogenic/Likely_pathogenic", "Pathogenic|risk_factor") are accepted term by term.
 * GS_EINVAL naming the unknown term. */
int classification_parse(const char *text, char *out, size_t size, struct gs_err *err) GS_MUST_USE;
enum class_group classification_group(const char *canonical);

/* One submission as the aggregation sees it. */
struct aggregate_input {
    const char *submitter;
    const char *classification;  /* canonical */
    enum review_status review;   /* what the submitter claimed (aggregate-level for imports) */
    const char *date;            /* "YYYY-MM-DD" or "" (newest wins among panels) */
};

#define AGGREGATE_CONFLICTS_MAX 32
struct aggregate {
    char classification[VARIANT_TERM_MAX * 2];
    enum review_status review;
    int stars;
    int submissions;             /* how many were passed */
    int nconflicts;              /* conflicts listed (at most AGGREGATE_CONFLICTS_MAX) */
    struct {
        char submitter[STORE_TEXT_MAX];
        char classification[VARIANT_TERM_MAX];
    } conflicts[AGGREGATE_CONFLICTS_MAX];
};

/* Aggregates n submissions (n may be 0) into out. Pure: no store, no allocation. */
void aggregate_compute(const struct aggregate_input *in, int n, struct aggregate *out);

#endif
