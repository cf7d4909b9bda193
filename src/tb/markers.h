/* markers.h — resistance-marker search by WHO's "solo" method, and its statistics.
 *
 * For one drug: a variant is present in an isolate at allele fraction >= min_af (WHO: 0.75).
 * An isolate is "solo" for a variant when it carries no other variant graded 1–2 (associated
 * with resistance) for that drug. Per variant the 2×2 table is
 *     a = solo carriers phenotypically R     b = solo carriers S
 *     c = non-carriers R                     d = non-carriers S
 * over the isolates with a lab phenotype for the drug. PPV = a / (a + b) with a Wilson score
 * 95% interval (chosen over Clopper–Pearson: closer to nominal coverage at small counts and
 * a closed form); Fisher's exact test two-sided (sum of the probabilities of every table with
 * the same margins no likelier than the observed one, computed in log space with lgamma);
 * odds ratio with Haldane's +0.5 when a cell is 0. A candidate new marker is a variant not
 * graded 1–2 for the drug, not synonymous, with a >= min_solo, PPV lower bound >= 0.25
 * (WHO's grading bar), OR > 1 and p < 0.05 (uncorrected: a screening list, not a grade).
 *
 * The grades are the caller's (the stored WHO catalogue, catalogue.h, through the isolate
 * service): nothing here reads files or the store. */
#ifndef GS_TB_MARKERS_H
#define GS_TB_MARKERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* ---- statistics ---- */
/* Wilson score interval of k successes in n trials at normal quantile z (1.96: 95%). */
void stats_wilson(uint32_t k, uint32_t n, double z, double *lo, double *hi);
/* Fisher's exact test, two-sided, of the table [[a, b], [c, d]]. */
double stats_fisher_two_sided(uint32_t a, uint32_t b, uint32_t c, uint32_t d);

/* ---- the solo search ---- */
struct marker_variant {
    const char *gene, *name, *effect; /* borrowed */
    int grade;                        /* for the drug: 1–5, 0 ungraded */
};
struct marker_call {
    uint32_t isolate, variant;        /* indexes */
    double af;
};
struct marker_input {
    size_t nisolates;
    const char *phenotype;            /* per isolate: 'R', 'S' or 0 (none) */
    size_t nvariants;
    const struct marker_variant *variants;
    size_t ncalls;
    const struct marker_call *calls;  /* any order */
    double min_af;                    /* 0.75 */
    uint32_t min_solo;                /* for candidates: 5 */
};
struct marker_row {
    uint32_t variant;
    uint32_t a, b, c, d;              /* the 2×2 table (see above) */
    uint32_t carriers;                /* isolates with a phenotype carrying it, solo or not */
    double ppv, ppv_lo, ppv_hi, odds_ratio, p;
    bool candidate;
};
/* One row per variant with at least one solo carrier, ordered by p then variant index.
 * *rows is malloc'd (the caller frees). */
int markers_solo(const struct marker_input *in, struct marker_row **rows, size_t *nrows,
                 struct gs_err *err) GS_MUST_USE;

/* MIC distribution: per carried variant (present at min_af) and per MIC value, the number of
 * isolates; isolates carrying none of the variants go to variant UINT32_MAX. */
struct marker_mic {
    uint32_t isolate;
    char relation[3];                 /* "=", "<=", ">" */
    double value;
};
struct marker_mic_bin {
    uint32_t variant;
    char relation[3];
    double value;
    uint32_t isolates;
};
/* *bins is malloc'd, ordered by variant then value then relation. */
int markers_mic_distribution(const struct marker_input *in, const struct marker_mic *mics,
                             size_t nmics, struct marker_mic_bin **bins, size_t *nbins,
                             struct gs_err *err) GS_MUST_USE;

#endif
