/* store_isolates.h — persistence of TB isolates (schema v15): the isolate row (dataset,
 * institution, lab name, year, country, region, source, specimen), its drug-susceptibility
 * results and MICs, its variants (each distinct variant stored once in tb_variant, the
 * isolate×variant table holding allele fraction and depth), the sites its sequencing did not
 * resolve, the stored SNP distances and the SNP mask they were computed with.
 *
 * A variant is either a genome edit (pos ≥ 1, ref, alt: from a VCF) or a named one without
 * coordinates (pos 0, gene + WHO name: from WHO's genotype tables); each kind is unique on
 * its key. Missing sites are stored as intervals (1-based, inclusive): a distance excludes
 * every site inside one. Distances are kept only up to ISOLATE_DISTANCE_KEEP SNPs: clusters
 * need the close pairs only, and all pairs of 10,000 isolates would be 50 million rows.
 * Domain terms only; sqlite_isolates.c holds the SQL; nothing here validates (src/tb/
 * isolates.c does). */
#ifndef GS_STORE_STORE_ISOLATES_H
#define GS_STORE_STORE_ISOLATES_H

#include "store/store.h"

#define ISOLATE_TEXT_MAX 96    /* country, region, source, specimen, method */
#define ISOLATE_DRUG_MAX 32    /* "rifampicin" */
#define ISOLATE_BASES_MAX 128  /* VCF alleles: longer ones are not stored */
#define ISOLATE_GENE_MAX 32
#define ISOLATE_VNAME_MAX 128  /* "p.Ser450Leu", "c.-777C>T" */
#define ISOLATE_DISTANCE_KEEP 50

struct store_isolate {
    int64_t id;
    int64_t dataset_id;
    int64_t institution_id;
    char name[STORE_NAME_MAX];          /* the laboratory's isolate id, unique in its dataset */
    int year;                           /* 0: unknown */
    char country[ISOLATE_TEXT_MAX];
    char region[ISOLATE_TEXT_MAX];
    char source[ISOLATE_TEXT_MAX];
    char specimen[ISOLATE_TEXT_MAX];
    char gaps[STORE_TEXT_MAX];          /* WHO "<Drug>/<tier>" gene sets without genotype, ","-joined */
    bool genome;                        /* has whole-genome calls (takes part in distances) */
    bool distances_done;                /* its distances to every earlier genome are stored */
    time_t created_at;
};

struct store_isolate_dst {
    char drug[ISOLATE_DRUG_MAX];        /* lower case, as in the catalogue */
    char result;                        /* 'R' or 'S' */
    char category[16];                  /* "WHO", "CC", "CC-ATU", "ALL" */
    char method[ISOLATE_TEXT_MAX];      /* free text: "MGIT", "WHO_current" */
};

struct store_isolate_mic {
    char drug[ISOLATE_DRUG_MAX];
    char relation[3];                   /* "=", "<=", ">" */
    double value;
    char unit[16];                      /* "mg/L" */
    char method[ISOLATE_TEXT_MAX];
};

struct store_tb_variant {
    int64_t id;
    int64_t pos;                        /* 0 for a named variant without coordinates */
    char ref[ISOLATE_BASES_MAX];
    char alt[ISOLATE_BASES_MAX];
    char gene[ISOLATE_GENE_MAX];        /* "" when not named */
    char name[ISOLATE_VNAME_MAX];
    char effect[48];
};

struct store_isolate_variant {
    int64_t isolate_id;
    struct store_tb_variant v;
    double af;                          /* allele fraction, 0–1 */
    int depth;                          /* read depth, 0: unknown */
};

/* ---- isolates (writes run inside the caller's transaction) ---- */

/* GS_ECONFLICT when the dataset already holds an isolate of that name. */
int store_isolate_insert(struct store *s, const struct store_isolate *in, int64_t *id_out,
                         struct gs_err *err) GS_MUST_USE;
int store_isolate_get(struct store *s, int64_t id, struct store_isolate *out,
                      struct gs_err *err) GS_MUST_USE;
/* GS_ENOTFOUND (no message) when the dataset holds no isolate of that name. */
int store_isolate_by_name(struct store *s, int64_t dataset_id, const char *name,
                          struct store_isolate *out, struct gs_err *err) GS_MUST_USE;
/* Walks isolates in id order (dataset_id 0: all); fn's non-zero return stops the walk. */
typedef int (*store_isolate_fn)(void *ctx, const struct store_isolate *i);
int store_isolate_each(struct store *s, int64_t dataset_id, store_isolate_fn fn, void *ctx,
                       struct gs_err *err) GS_MUST_USE;
int store_isolate_set_genome(struct store *s, int64_t id, struct gs_err *err) GS_MUST_USE;

int store_isolate_dst_insert(struct store *s, int64_t isolate_id,
                             const struct store_isolate_dst *d, struct gs_err *err) GS_MUST_USE;
typedef int (*store_isolate_dst_fn)(void *ctx, int64_t isolate_id,
                                    const struct store_isolate_dst *d);
/* isolate_id 0: every isolate's results (ordered by isolate); drug NULL: every drug. */
int store_isolate_dst_each(struct store *s, int64_t isolate_id, const char *drug,
                           store_isolate_dst_fn fn, void *ctx, struct gs_err *err) GS_MUST_USE;

int store_isolate_mic_insert(struct store *s, int64_t isolate_id,
                             const struct store_isolate_mic *m, struct gs_err *err) GS_MUST_USE;
typedef int (*store_isolate_mic_fn)(void *ctx, int64_t isolate_id,
                                    const struct store_isolate_mic *m);
int store_isolate_mic_each(struct store *s, int64_t isolate_id, const char *drug,
                           store_isolate_mic_fn fn, void *ctx, struct gs_err *err) GS_MUST_USE;

/* ---- variants ---- */

/* The id of the variant (by pos/ref/alt when pos ≥ 1, else by gene/name), inserting it
 * when new. A named variant's effect is kept from its first insert. */
int store_tb_variant_id(struct store *s, const struct store_tb_variant *v, int64_t *id_out,
                        struct gs_err *err) GS_MUST_USE;
int store_isolate_variant_insert(struct store *s, int64_t isolate_id, int64_t variant_id,
                                 double af, int depth, struct gs_err *err) GS_MUST_USE;
/* isolate_id 0: every isolate's variants, ordered by isolate then position/gene;
 * genome_only: only genome edits (pos ≥ 1) of genome isolates. */
typedef int (*store_isolate_variant_fn)(void *ctx, const struct store_isolate_variant *v);
int store_isolate_variant_each(struct store *s, int64_t isolate_id, bool genome_only,
                               store_isolate_variant_fn fn, void *ctx,
                               struct gs_err *err) GS_MUST_USE;

/* ---- missing sites (1-based, inclusive) ---- */
int store_isolate_missing_insert(struct store *s, int64_t isolate_id, int64_t start, int64_t end,
                                 struct gs_err *err) GS_MUST_USE;
/* isolate_id 0: every genome isolate's intervals, ordered by isolate. */
typedef int (*store_isolate_interval_fn)(void *ctx, int64_t isolate_id, int64_t start,
                                         int64_t end);
int store_isolate_missing_each(struct store *s, int64_t isolate_id, store_isolate_interval_fn fn,
                               void *ctx, struct gs_err *err) GS_MUST_USE;

/* ---- the SNP mask the stored distances use (1-based, inclusive) ---- */
int store_isolate_mask_clear(struct store *s, struct gs_err *err) GS_MUST_USE;
int store_isolate_mask_insert(struct store *s, int64_t start, int64_t end,
                              struct gs_err *err) GS_MUST_USE;
/* fn's isolate_id argument is 0. */
int store_isolate_mask_each(struct store *s, store_isolate_interval_fn fn, void *ctx,
                            struct gs_err *err) GS_MUST_USE;

/* ---- distances (a < b; only up to ISOLATE_DISTANCE_KEEP SNPs) ---- */
int store_isolate_distance_insert(struct store *s, int64_t a, int64_t b, int snps,
                                  struct gs_err *err) GS_MUST_USE;
/* Forgets every stored distance and marks every genome isolate pending (mask changed). */
int store_isolate_distance_reset(struct store *s, struct gs_err *err) GS_MUST_USE;
int store_isolate_distances_done(struct store *s, int64_t id, struct gs_err *err) GS_MUST_USE;
typedef int (*store_isolate_distance_fn)(void *ctx, int64_t a, int64_t b, int snps);
/* Pairs with at most max_snps, ordered by a, b. */
int store_isolate_distance_each(struct store *s, int max_snps, store_isolate_distance_fn fn,
                                void *ctx, struct gs_err *err) GS_MUST_USE;

#endif
