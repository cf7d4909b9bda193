/* search.h — search of the variant knowledge base (issue 6, item 5), the variant page, and
 * the exports (VCF, TSV, JSON). The one way to read variants: the CLI, the API and the
 * Beacon all come through here.
 *
 * Decisions:
 *   - Visibility per submission, before anything is counted: a submission is visible when
 *     access_check_read allows its dataset (record institution = the submitter's
 *     institution, scope international) AND it is accepted, or the caller belongs to the
 *     submitting institution (pending and returned ones are seen by their own institution
 *     only), or the caller is the operator (sees everything). A variant with no visible
 *     submission does not exist for that caller: not in results, not in totals, and
 *     variant_get says "no variant with id N" exactly as for a missing id.
 *   - The aggregate (aggregate.h) is computed over the visible submissions only, so it never
 *     reveals a hidden interpretation.
 *   - Query forms resolve to one location filter: region "17:43044295-43125483" (chr prefix
 *     and MT/chrM/M accepted), gene (the gene table's coordinates, variants overlapping
 *     the gene), rsID, HGVS genomic "NC_000017.11:g.43045712T>C", "chr17:g.43045712T>C"
 *     (substitutions; del/dup/ins/delins as a location on that range), exact allele
 *     (chrom + pos + ref + alt: the Beacon sequence query). condition is FTS5 words;
 *     classification matches a visible submission's term; review_status the aggregate's.
 *   - Pagination: offset + limit over the variant order (chrom, pos, ref, alt); total
 *     counts every visible match.
 *   - Audit: one row "variant.read" per search or page that shows submissions of a non-open
 *     dataset, naming those datasets (operator reads too). */
#ifndef GS_VARIANTS_SEARCH_H
#define GS_VARIANTS_SEARCH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "store/store_variants.h"
#include "variants/aggregate.h"

#define VARIANT_LIMIT_DEFAULT 50
#define VARIANT_LIMIT_MAX 1000
#define VARIANT_HIT_DATASETS_MAX 16

/* What to search for. Every member is optional (NULL / 0); they combine with AND; at least
 * one of region, chrom, gene, rsid, hgvs, condition, classification, disease_area,
 * review_status or dataset must be given (GS_EINVAL otherwise: no "everything" search). */
struct variant_query {
    const char *assembly;       /* "GRCh38" (default) or "GRCh37" */
    const char *region;         /* "17:43044295-43125483", "chr17:43044295", "X" */
    const char *chrom;          /* alternative to region: chrom + start/end, parsed */
    int64_t start, end;         /* 1-based inclusive; end 0: start only (or whole chrom) */
    const char *ref, *alt;      /* with chrom + start: exactly this allele (normalised
                                   spelling; VCF-style, like the Beacon's sequence query) */
    const char *gene;           /* symbol, HGNC:n, ENSG…, Entrez */
    const char *rsid;           /* "rs80357906" or "80357906" */
    const char *hgvs;
    const char *condition;
    const char *classification; /* "Pathogenic", "likely_benign", … */
    const char *disease_area;   /* cancer | rare | infectious | dementia | other */
    const char *review_status;  /* review_status_parse's spellings */
    const char *dataset;        /* one dataset's name (hidden → GS_ENOTFOUND) */
    int64_t offset;
    int limit;                  /* 0: VARIANT_LIMIT_DEFAULT; at most VARIANT_LIMIT_MAX */
};

/* One variant as the caller may see it. */
struct variant_hit {
    struct store_variant v;          /* owns its alleles */
    struct aggregate agg;            /* over the visible submissions */
    int nsubmissions;                /* visible */
    int ndatasets;                   /* the datasets of those (first VARIANT_HIT_DATASETS_MAX) */
    int64_t datasets[VARIANT_HIT_DATASETS_MAX];
    char first_condition[VARIANT_TEXT_MAX]; /* of the newest visible submission, for lists */
};

/* Per-dataset counts of visible matching variants (Beacon counts per dataset). */
struct variant_dataset_count {
    int64_t dataset_id;
    char name[STORE_NAME_MAX];
    enum tier tier;
    int64_t variants;
};

struct variant_results {
    int64_t total;                   /* visible matches */
    int64_t offset;
    int nhits;
    struct variant_hit *hits;        /* the page, in variant order */
    int ndatasets;
    struct variant_dataset_count *datasets; /* every dataset with a visible match, by name */
};
/* Frees what r holds (not r); safe on a zeroed struct. */
void variant_results_free(struct variant_results *r);

/* Searches for who (by: the audit actor). *out is zeroed first; the caller frees it with
 * variant_results_free, also after a failure. GS_EINVAL for an empty or malformed query
 * (naming the field), GS_ENOTFOUND for an unknown gene or a hidden dataset. */
int variant_search(struct store *s, const struct principal *who, const struct actor *by,
                   const struct variant_query *q, time_t now, struct variant_results *out,
                   struct gs_err *err) GS_MUST_USE;

/* Walks every visible match (no offset/limit), for exports: fn gets each hit (valid only
 * during the call); its non-zero return stops the walk and is returned. */
typedef int (*variant_hit_fn)(void *ctx, const struct variant_hit *h);
int variant_search_each(struct store *s, const struct principal *who, const struct actor *by,
                        const struct variant_query *q, time_t now, variant_hit_fn fn, void *ctx,
                        int64_t *total, struct gs_err *err) GS_MUST_USE;

/* The datasets who may read (access_check_read on the whole dataset) that hold variant
 * submissions, by name; fn's non-zero return stops. */
typedef int (*variant_dataset_fn)(void *ctx, const struct store_dataset *d);
int variant_visible_datasets(struct store *s, const struct principal *who, time_t now,
                             variant_dataset_fn fn, void *ctx, struct gs_err *err) GS_MUST_USE;

/* ---- one variant: its page ---- */

/* One visible submission with its dataset and institution names. */
struct variant_submission_view {
    struct store_variant_submission sub;
    char dataset[STORE_NAME_MAX];
    char institution[STORE_NAME_MAX];
};
/* The aggregate of one condition (submissions sharing a condition key). */
struct variant_condition_view {
    char key[VARIANT_TEXT_MAX];
    char ids[VARIANT_TEXT_MAX];
    char name[VARIANT_TEXT_MAX];
    struct aggregate agg;
};
struct variant_detail {
    struct store_variant v;           /* owns its alleles */
    struct aggregate agg;
    int nsubmissions;
    struct variant_submission_view *submissions; /* visible, oldest first */
    int nconditions;
    struct variant_condition_view *conditions;
};
void variant_detail_free(struct variant_detail *d);

/* Reads variant id for who: GS_ENOTFOUND "no variant with id N" when it is missing or has
 * no visible submission. Audited like a search. The caller frees out (variant_detail_free),
 * also after a failure. */
int variant_get(struct store *s, const struct principal *who, const struct actor *by, int64_t id,
                time_t now, struct variant_detail *out, struct gs_err *err) GS_MUST_USE;

/* ---- JSON (API, Beacon, CLI --format json) ---- */

/* {"id","assembly","chrom","pos","end","ref","alt","rsid","gene","hgvs",
 *  "aggregate":{"classification","review_status","stars","submissions",
 *               "conflicts":[{"submitter","classification"}]},
 *  "submissions":n,"datasets":[names…],"condition"}. Caller owns; NULL: no memory. */
json_t *variant_hit_json(struct store *s, const struct variant_hit *h);
/* The hit's object plus "submissions":[{"id","dataset","institution","submitter",
 * "condition":{"ids":[…],"name"},"classification","review_status","disease_area","origin",
 * "zygosity","method","evidence","gene","date","state","comment","version"}],
 * "conditions":[{"ids","name","aggregate":{…}}]. */
json_t *variant_detail_json(const struct variant_detail *d);
/* {"total","offset","limit","results":[hit…],"datasets":[{"name","tier","variants"}]}. */
json_t *variant_results_json(struct store *s, const struct variant_results *r, int limit);
/* The genomic HGVS of a variant: "NC_000017.11:g.43045712T>C" (GRCh38/37 RefSeq accession
 * of chromosomes 1-22, X, Y, MT), else "17:g.…"; written into out. */
void variant_hgvs(const struct store_variant *v, char *out, size_t size);

/* ---- exports ---- */
enum variant_format { VARIANT_FORMAT_JSON, VARIANT_FORMAT_TSV, VARIANT_FORMAT_VCF };
/* "json" | "tsv" | "vcf"; GS_EINVAL listing them. */
int variant_format_parse(const char *text, enum variant_format *out,
                         struct gs_err *err) GS_MUST_USE;
/* Writes every visible match of q to f in the format (VCF: a valid VCF 4.2 with header,
 * contig lines for the chromosomes written, INFO GENE/CLNSIG/CLNREVSTAT/STARS/CLNDN/NSUB, sorted
 * by chrom and pos, readable by bcftools). *total gets the number of variants written. */
int variant_export(struct store *s, const struct principal *who, const struct actor *by,
                   const struct variant_query *q, enum variant_format format, time_t now,
                   FILE *f, int64_t *total, struct gs_err *err) GS_MUST_USE;

#endif
