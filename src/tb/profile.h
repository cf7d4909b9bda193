/* profile.h — the resistance profile of one sample VCF: every ALT allele named on H37Rv
 * (tbname's tb_name_edit), its allele fraction and depth from the sample's FORMAT fields,
 * resistance calls by the catalogue (resistance.h), the lineage from the barcode
 * (lineage.h) and the WHO resistance type; as a text report or JSON.
 *
 * Reading the VCF (htslib; plain, bgzip or BCF; local paths only):
 * - Contigs must be NC_000962.3, AL123456.3 or Chromosome (tb_contig_check); anything
 *   else stops with an error naming the record.
 * - Only the first sample counts. An ALT allele is the sample's when its GT holds it (or
 *   there is no GT); its fraction is AD[i]/ΣAD, else AO[i]/(RO+ΣAO) (freebayes), else
 *   INFO AF, else its share of the GT alleles. Depth is FORMAT DP, else INFO DP, else ΣAD,
 *   else RO+ΣAO, else unknown (-1): without depth there are no depth-based no-calls.
 * - A record whose depth is below min_depth marks its site as low depth (for the U call)
 *   whether or not it holds a variant; a 0/0 or ALT '.' record is named with a stand-in
 *   base only to find the gene position it sits on.
 * - Symbolic, '*' and breakend alleles are skipped and counted.
 * - (tbiso's distance.h owns struct tb_profile, an isolate's SNP set: this one is a report.)
 * - The name looked up in the catalogue is the p. name, else the c./n. spelling when only
 *   that one is graded; the gene is tried by symbol, then locus tag. */
#ifndef GS_TB_PROFILE_H
#define GS_TB_PROFILE_H

#include <jansson.h>
#include <stdio.h>

#include "tb/catalogue.h"
#include "tb/lineage.h"
#include "tb/reference.h"
#include "tb/resistance.h"

#define TB_PROFILE_SAMPLE_MAX 128
#define TB_PROFILE_VARIANTS_MAX 200000 /* named alleles kept per sample */

struct tb_profile_options {
    struct tb_resistance_options resistance;
    struct tb_lineage_options lineage;
};
void tb_profile_options_default(struct tb_profile_options *o);

struct tb_profile_report {
    char sample[TB_PROFILE_SAMPLE_MAX];
    char catalogue[TB_VERSION_MAX];     /* "" for a lineage-only profile */
    size_t records;                     /* VCF records read */
    size_t skipped_alleles;             /* symbolic / '*' / breakend */
    struct tb_variant *variants;        /* the sample's named alleles at ≥ min_af */
    size_t nvariants;
    struct tb_low_depth_site *low_depth;
    size_t nlow_depth;
    struct tb_resistance resistance;    /* empty for a lineage-only profile */
    struct tb_lineage lineage;
};

/* Profiles the VCF at path against ref (genes, barcode) and c (NULL: lineage only). out is
 * cleared first; free with tb_profile_report_clear. sample_name NULL: the VCF's first sample
 * (or the file name when it has none). */
int tb_profile_vcf(const struct tb_ref *ref, const struct tb_catalogue *c, const char *path,
                   const char *sample_name, const struct tb_profile_options *opt,
                   struct tb_profile_report *out, struct gs_err *err) GS_MUST_USE;

/* The same from edits already read (a stored isolate's variants): each is an ALT allele the
 * sample holds with its fraction and depth (-1 unknown), or, with alt NULL, a site known
 * only by its depth (for low-depth no-calls). Positions absent from the list count as
 * reference for the barcode, as in a VCF. Strings are read during the call only. */
struct tb_profile_edit {
    int64_t pos;          /* 1-based */
    const char *ref;      /* VCF REF allele */
    const char *alt;      /* VCF ALT allele, or NULL */
    double af;
    int depth;
};
int tb_profile_edits(const struct tb_ref *ref, const struct tb_catalogue *c, const char *sample,
                     const struct tb_profile_edit *edits, size_t n,
                     const struct tb_profile_options *opt, struct tb_profile_report *out,
                     struct gs_err *err) GS_MUST_USE;
void tb_profile_report_clear(struct tb_profile_report *p);

/* The profile as JSON (new reference; NULL when out of memory). c is the catalogue the
 * profile was called with (grades of the variants, drug by drug), may be NULL. */
json_t *tb_profile_report_json(const struct tb_profile_report *p, const struct tb_catalogue *c);
/* The text report: sample, lineage, type, one line per drug with its variants. */
void tb_profile_report_print(const struct tb_profile_report *p, FILE *f);

#endif
