/* isolates.h — the TB isolate service: reading isolates from TSV, VCF, WHO genotype tables
 * and JSON; importing them (all or nothing, audited, writers checked); keeping the stored
 * SNP distances up to date incrementally; and the reads — isolate, list, clusters, marker
 * search — each decided by access_check_read per dataset and audited for non-open data.
 *
 * Files (tab-separated, one header line naming the columns, any order, '#' lines skipped):
 *   isolates:  isolate (required), year, country, region, source, specimen,
 *              vcf (a per-isolate VCF, path relative to the TSV), missing (a BED of
 *              uncovered regions, same)
 *   --dst:     isolate, drug, result (R or S), method, category (WHO | CC | CC-ATU | ALL;
 *              default WHO: a WHO-endorsed method at the critical concentration)
 *   --mic:     isolate, drug, mic ("0.5", "<=0.25", ">8"), unit (default mg/L), method
 * VCF calls: the first sample; AF from AD (else 1 for a homozygous, 0.5 for a heterozygous
 * genotype); a no-call genotype or DP below min_depth makes the record's span missing.
 * Distances then use a base call at AF >= ISOLATE_CALL_AF and treat ISOLATE_MIXED_AF <= AF <
 * ISOLATE_CALL_AF as missing (a mixed site says nothing about transmission). */
#ifndef GS_TB_ISOLATES_H
#define GS_TB_ISOLATES_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "store/store_isolates.h"
#include "tb/catalogue.h"
#include "tb/distance.h"
#include "tb/markers.h"

#define ISOLATE_CALL_AF 0.75
#define ISOLATE_MIXED_AF 0.25
#define ISOLATE_MIN_DEPTH 10
#define ISOLATE_BATCH_MAX 100000
#define ISOLATE_THRESHOLDS_MAX 8

/* One isolate to import. Lists are owned (freed by isolate_batch_free). */
struct isolate_input {
    struct store_isolate meta;
    bool genome;                      /* calls from a VCF (or JSON positions) */
    struct store_isolate_dst *dst;
    size_t ndst, capdst;
    struct store_isolate_mic *mic;
    size_t nmic, capmic;
    struct store_isolate_variant *var;
    size_t nvar, capvar;
    struct tb_intervals missing;
};
struct isolate_batch {
    struct isolate_input *items;
    size_t n, cap;
};
void isolate_batch_free(struct isolate_batch *b);

/* The builders the readers use, for callers that make isolates themselves (the demo):
 * a new, zeroed isolate named name (GS_EINVAL when listed twice or the batch is full; *out
 * is valid until the next add); a lab result (result R or S, category WHO | CC | CC-ATU |
 * ALL, default WHO; drug lower-cased); a call with its allele fraction (0–1) and depth. */
int isolate_batch_add(struct isolate_batch *b, const char *name, struct isolate_input **out,
                      struct gs_err *err) GS_MUST_USE;
int isolate_add_dst(struct isolate_input *in, const char *drug, const char *result,
                    const char *category, const char *method, struct gs_err *err) GS_MUST_USE;
int isolate_add_variant(struct isolate_input *in, const struct store_tb_variant *v, double af,
                        int depth, struct gs_err *err) GS_MUST_USE;

/* The readers append to b; a problem is GS_EINVAL naming file, line and field. */
int isolates_read_tsv(const char *path, int min_depth, struct isolate_batch *b,
                      struct gs_err *err) GS_MUST_USE;
int isolates_read_dst_tsv(const char *path, struct isolate_batch *b, struct gs_err *err) GS_MUST_USE;
int isolates_read_mic_tsv(const char *path, struct isolate_batch *b, struct gs_err *err) GS_MUST_USE;
/* A VCF (plain or bgzip) into one isolate; contigs other than H37Rv's aliases are refused. */
int isolates_read_vcf(const char *path, int min_depth, struct isolate_input *in,
                      struct gs_err *err) GS_MUST_USE;
/* WHO's genotype and phenotype tables (tb-isolates.*.{genotypes,phenotypes}.tsv.gz): one
 * isolate per sample_id, named variants with their AF, phenotypes as DST results. */
int isolates_read_who(const char *genotypes, const char *phenotypes, struct isolate_batch *b,
                      struct gs_err *err) GS_MUST_USE;
/* WHO's samples table: each isolate's gene sets without genotype ("Rifampicin/1"); the marker
 * search leaves an isolate out for a drug whose tier-1 set is missing. Isolates not yet in b
 * are added. */
int isolates_read_who_samples(const char *samples, struct isolate_batch *b,
                              struct gs_err *err) GS_MUST_USE;
/* {"isolates": [{"isolate": "ID", "year": 2021, …, "dst": [{drug, result, method,
 * category}], "mic": [{drug, mic, unit, method}], "variants": [{pos, ref, alt, af, depth} or
 * {gene, name, effect, af}], "missing": [[start, end], …]}]} */
int isolates_from_json(const json_t *doc, struct isolate_batch *b, struct gs_err *err) GS_MUST_USE;

struct isolate_import_result {
    size_t isolates, genomes, variants;
    size_t named;                        /* genome edits named on the stored reference */
    size_t pairs_computed, pairs_stored; /* the incremental distance update */
};
/* Imports the batch into dataset (institution: the operator may name the submitting one;
 * NULL: the dataset's), then computes the new isolates' distances, all in one transaction
 * with its audit row. Genome isolates need a stored SNP mask (isolates_set_mask). When a TB
 * reference is stored, genome edits are first named on it (gene, HGVS name, effect; the
 * name the newest catalogue grades when an edit has several); a REF allele that does not
 * match the reference refuses the import. */
int isolates_import(struct store *s, const struct principal *who, const struct actor *by,
                    const char *dataset, const char *institution, struct isolate_batch *b,
                    time_t now, struct isolate_import_result *res, struct gs_err *err) GS_MUST_USE;

/* Replaces the SNP mask (operator), recomputing every stored distance. */
int isolates_set_mask(struct store *s, const struct actor *by, const struct tb_intervals *mask,
                      time_t now, struct isolate_import_result *res, struct gs_err *err) GS_MUST_USE;

/* ---- reads (JSON documents the caller owns) ---- */
int isolates_read(struct store *s, const struct principal *who, const struct actor *by,
                  int64_t id, time_t now, json_t **out, struct gs_err *err) GS_MUST_USE;
/* {"isolates": [...], "total": N}; dataset NULL: every dataset who may read. */
int isolates_list(struct store *s, const struct principal *who, const struct actor *by,
                  const char *dataset, int64_t offset, int64_t limit, time_t now, json_t **out,
                  struct gs_err *err) GS_MUST_USE;

struct isolate_cluster_query {
    uint32_t thresholds[ISOLATE_THRESHOLDS_MAX]; /* each <= ISOLATE_DISTANCE_KEEP */
    int nthresholds;
    bool newick;                                 /* also the NJ tree (<= TB_TREE_MAX) */
};
/* Clusters among the genome isolates who may read (a hidden isolate never links two
 * visible ones): {"isolates", "thresholds": [{"threshold", "clusters": [...]}], "pairs",
 * "newick"}. */
int isolates_clusters(struct store *s, const struct principal *who, const struct actor *by,
                      const struct isolate_cluster_query *q, time_t now, json_t **out,
                      struct gs_err *err) GS_MUST_USE;
/* Parses "5,12" into q (GS_EINVAL naming the bad number). */
int isolates_thresholds_parse(const char *text, struct isolate_cluster_query *q,
                              struct gs_err *err) GS_MUST_USE;

/* The solo marker search for drug (a catalogue name or WHO code) over the isolates who may
 * read (markers.h), graded by catalogue cat (catalogue.h; a stored version). */
int isolates_markers(struct store *s, const struct principal *who, const struct actor *by,
                     const struct tb_catalogue *cat, const char *drug, uint32_t min_solo,
                     time_t now, json_t **out, struct gs_err *err) GS_MUST_USE;

#endif
