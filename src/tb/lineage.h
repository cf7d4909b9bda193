/* lineage.h — M. tuberculosis lineage from the SNP barcode (tbdb barcode.bed, TB-Profiler's
 * markers; struct tb_barcode_marker of reference.h).
 *
 * Input is, per marker, the fraction of the sample's reads carrying the marker's allele
 * (or "unknown"); tb_lineage_marker_fraction computes it from what a VCF says at the site.
 * The reference-allele markers need care: H37Rv is lineage 4.9, so the 10 lineage4 and 10
 * lineage4.9 markers have the H37Rv base as their allele. A VCF lists only the sites where
 * the sample differs from H37Rv, so a site absent from the VCF is taken as reference —
 * the marker is present — and a site where the VCF has a record gives the marker's
 * fraction as 1 − (the alternative alleles' fractions). A VCF limited to some regions
 * cannot tell "reference" from "not sequenced": such sites count as reference, which is
 * right for a whole-genome VCF and is noted in docs/tb-resistance.md.
 *
 * Calling: a label (lineage4.3.4.2) is present when at least half of its markers with a
 * known fraction carry the allele at ≥ min_fraction; its fraction is the median over those
 * supporting markers. Labels form a tree by their dotted names (lineage4.3.4.2 under
 * lineage4.3.4 under … lineage4; a name missing from the barcode is skipped, e.g.
 * lineage1.2.1 sits under lineage1). The call is the deepest present label whose every
 * barcode ancestor is present (consistent); present labels with an absent ancestor are
 * reported as inconsistent and not used. Two or more consistent deepest labels on
 * different branches make the sample mixed: each is reported with its fraction. */
#ifndef GS_TB_LINEAGE_H
#define GS_TB_LINEAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "tb/reference.h"

#define TB_LINEAGE_NAME_MAX 48
#define TB_LINEAGE_CALLS_MAX 32

struct tb_lineage_options {
    double min_fraction;   /* a marker is seen at this read fraction; default 0.1 */
    double min_support;    /* share of a label's known markers that must be seen; 0.5 */
};
void tb_lineage_options_default(struct tb_lineage_options *o);

struct tb_lineage_label {
    char lineage[TB_LINEAGE_NAME_MAX];
    char family[64];
    char spoligotype[64];
    char rds[64];
    double fraction;       /* median marker fraction among supporting markers */
    int support;           /* markers seen */
    int known;             /* markers with a known fraction */
    int markers;           /* markers in the barcode */
    bool consistent;       /* every barcode ancestor present */
};

struct tb_lineage {
    char main_lineage[TB_LINEAGE_NAME_MAX]; /* "lineage4"; "" when none */
    char sub_lineage[TB_LINEAGE_NAME_MAX];  /* deepest consistent: "lineage4.3.4.2" */
    char family[64];                        /* of sub_lineage */
    bool mixed;
    int nleaves;                            /* deepest consistent labels (≥ 2 when mixed) */
    struct tb_lineage_label leaves[TB_LINEAGE_CALLS_MAX];
    int npresent;                           /* every present label, root to leaf order */
    struct tb_lineage_label present[TB_LINEAGE_CALLS_MAX];
};

/* Fraction of reads with the marker's allele at a site, from a VCF's view of it:
 * has_record false means the VCF says nothing there (reference assumed); otherwise
 * alts[0..nalts) are the record's single-base alternative alleles with their fractions and
 * ref_base the reference base. Returns 0..1. */
double tb_lineage_marker_fraction(const struct tb_barcode_marker *m, char ref_base,
                                  bool has_record, const char *alts, const double *alt_fractions,
                                  int nalts);

/* Calls the lineage from markers[0..n) (any order) and fraction[i] for markers[i] (negative:
 * unknown). GS_ENOMEM only. */
int tb_lineage_call(const struct tb_barcode_marker *markers, size_t n, const double *fraction,
                    const struct tb_lineage_options *opt, struct tb_lineage *out,
                    struct gs_err *err) GS_MUST_USE;

#endif
