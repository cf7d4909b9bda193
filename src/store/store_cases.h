/* store_cases.h — persistence of matchmaking cases (schema v7): the case row (dataset,
 * institution, scope, label, contact, sex, state, version), its phenotypic features (HPO
 * numbers, observed/excluded, onset), candidate genes (canonical id + symbol as given),
 * variants (VCF-style, 1-based), diagnoses (OMIM:/ORPHA:/MONDO:), the full content of every
 * version, and the gene table that turns symbols into one canonical id.
 *
 * Domain terms only; sqlite_cases.c holds the SQL. The SQL table for a case is patient_case
 * (CASE is an SQL keyword). Features are indexed by HPO number and genes by canonical id so
 * a similarity search over a million cases finds its candidates without a scan. Nothing here
 * validates: src/match/cases.c does, before it writes. */
#ifndef GS_STORE_STORE_CASES_H
#define GS_STORE_STORE_CASES_H

#include "store/store.h"

#define CASE_FEATURES_MAX 1000
#define CASE_GENES_MAX 200
#define CASE_VARIANTS_MAX 200
#define CASE_DIAGNOSES_MAX 50
#define CASE_ID_TEXT_MAX 48   /* "HGNC:1100", "ENSG00000012048", "ORPHA:558", "P4Y6M" */
#define CASE_BASES_MAX 256    /* ref/alt alleles: longer ones are refused */
#define CASE_WHERE_MAX 160    /* a JSON path: "phenotypicFeatures[3].type.id" */

enum case_state { CASE_ACTIVE, CASE_WITHDRAWN };
enum case_sex { CASE_SEX_UNKNOWN, CASE_SEX_FEMALE, CASE_SEX_MALE, CASE_SEX_OTHER };

/* `where` members are not stored: parsers set them to the input's JSON path so the service
 * names the offending field in its errors ("" means a path is made up from the list name). */
struct store_case_feature {
    uint32_t hpo;                    /* HP number: HP:0001250 is 1250 */
    bool excluded;                   /* false: observed */
    char onset[CASE_ID_TEXT_MAX];    /* "HP:0003593", an ISO 8601 age "P4Y", or "" */
    char label[STORE_TEXT_MAX];      /* the HPO label (from the release when loaded) */
    char where[CASE_WHERE_MAX];
};
struct store_case_gene {
    char gene_id[CASE_ID_TEXT_MAX];  /* canonical: HGNC:n, else ENSG…, else NCBIGene:n */
    char symbol[CASE_ID_TEXT_MAX];   /* as given (or the table's symbol when only an id was) */
    char where[CASE_WHERE_MAX];
};
struct store_case_variant {
    char assembly[16];               /* "GRCh38", "GRCh37", "NCBI36" */
    char chrom[8];                   /* without "chr": "1".."22", "X", "Y", "MT" */
    int64_t pos;                     /* 1-based (VCF) */
    char ref[CASE_BASES_MAX];        /* "" when not given (MME allows a location only) */
    char alt[CASE_BASES_MAX];
    char zygosity[16];               /* "heterozygous", "homozygous", "hemizygous" or "" */
    char gene_id[CASE_ID_TEXT_MAX];  /* the gene it was reported in (canonical), or "" */
    char where[CASE_WHERE_MAX];
};
struct store_case_diagnosis {
    char id[CASE_ID_TEXT_MAX];       /* "OMIM:154700", "ORPHA:558", "MONDO:0007947" */
    char label[STORE_TEXT_MAX];
    char where[CASE_WHERE_MAX];
};

/* One case with its lists. The arrays are owned by the struct (grown by the push functions
 * below) and freed by store_case_clear; zero-initialise before first use. */
struct store_case {
    int64_t id;
    int64_t dataset_id;
    int64_t institution_id;
    enum scope scope;
    char label[STORE_TEXT_MAX];
    char external_id[STORE_TEXT_MAX]; /* the id in the source (phenopacket/MME id), or "" */
    char contact_name[STORE_TEXT_MAX];
    char contact_email[STORE_TEXT_MAX];
    char contact_href[STORE_TEXT_MAX];
    enum case_sex sex;
    char onset[CASE_ID_TEXT_MAX];     /* age of onset of the case: HP id or ISO age, or "" */
    enum case_state state;
    int64_t created_by;               /* user id; 0: the operator */
    time_t created_at;
    time_t updated_at;
    int version;                      /* 1 for a new case, +1 per change */
    int nfeatures, ngenes, nvariants, ndiagnoses;
    struct store_case_feature *features;
    struct store_case_gene *genes;
    struct store_case_variant *variants;
    struct store_case_diagnosis *diagnoses;
};

void store_case_clear(struct store_case *c);
/* Appends a copy; GS_EINVAL past the list's maximum (naming it), GS_ENOMEM. */
int store_case_push_feature(struct store_case *c, const struct store_case_feature *f,
                            struct gs_err *err) GS_MUST_USE;
int store_case_push_gene(struct store_case *c, const struct store_case_gene *g,
                         struct gs_err *err) GS_MUST_USE;
int store_case_push_variant(struct store_case *c, const struct store_case_variant *v,
                            struct gs_err *err) GS_MUST_USE;
int store_case_push_diagnosis(struct store_case *c, const struct store_case_diagnosis *d,
                              struct gs_err *err) GS_MUST_USE;

const char *case_state_name(enum case_state s); /* "active", "withdrawn" */
const char *case_sex_name(enum case_sex s);     /* "unknown", "female", "male", "other" */
/* "female"/"FEMALE"… (case-insensitive); GS_EINVAL listing the accepted words. */
int case_sex_parse(const char *text, enum case_sex *out, struct gs_err *err) GS_MUST_USE;

/* ---- cases: writes run inside the caller's transaction ---- */

/* Inserts the case and its lists (in->id ignored; version 1). GS_ECONFLICT when the dataset
 * already holds a case with the same non-empty external_id. */
int store_case_insert(struct store *s, const struct store_case *in, int64_t *id_out,
                      struct gs_err *err) GS_MUST_USE;
/* Replaces the case's fields and lists with in's; in->version is the new version and the
 * stored one must be in->version - 1 (GS_ECONFLICT otherwise: changed meanwhile). */
int store_case_update(struct store *s, const struct store_case *in, struct gs_err *err) GS_MUST_USE;
/* Fills out with the case and its lists (the caller frees with store_case_clear; out is
 * cleared first). GS_ENOTFOUND "no case with id N". */
int store_case_get(struct store *s, int64_t id, struct store_case *out,
                   struct gs_err *err) GS_MUST_USE;

/* Walks cases in id order: of one dataset (dataset_id 0: all), withdrawn ones only when
 * with_withdrawn. Only the case row is filled (the lists are empty, counts too). fn's
 * non-zero return stops the walk and is returned; the struct is valid during the call. */
typedef int (*store_case_fn)(void *ctx, const struct store_case *c);
int store_case_each(struct store *s, int64_t dataset_id, bool with_withdrawn, store_case_fn fn,
                    void *ctx, struct gs_err *err) GS_MUST_USE;

/* ---- versions: the full content of every version, never changed ---- */
struct store_case_version {
    int64_t case_id;
    int version;
    time_t at;
    char actor[STORE_TEXT_MAX];
    char changes[STORE_TEXT_MAX]; /* "created", "withdrawn", or the changed fields */
    const char *content;          /* JSON text; in a walk, valid only during the call */
};
int store_case_version_insert(struct store *s, const struct store_case_version *v,
                              struct gs_err *err) GS_MUST_USE;
typedef int (*store_case_version_fn)(void *ctx, const struct store_case_version *v);
/* Walks the case's versions, oldest first. */
int store_case_version_each(struct store *s, int64_t case_id, store_case_version_fn fn,
                            void *ctx, struct gs_err *err) GS_MUST_USE;

/* ---- the gene table: symbols and ids to one canonical id ---- */
struct store_gene {
    char gene_id[CASE_ID_TEXT_MAX]; /* canonical: hgnc_id, else ensembl, else NCBIGene:entrez */
    char symbol[CASE_ID_TEXT_MAX];
    char hgnc_id[CASE_ID_TEXT_MAX]; /* "" when none */
    char entrez[24];                /* digits, "" when none */
    char ensembl[CASE_ID_TEXT_MAX]; /* "" when none */
};
/* Replacing the table: clear, then inserts (a second row for a gene_id is ignored: the first
 * row of the file wins), inside one transaction. */
int store_gene_clear(struct store *s, struct gs_err *err) GS_MUST_USE;
int store_gene_insert(struct store *s, const struct store_gene *g, struct gs_err *err) GS_MUST_USE;
int store_gene_count(struct store *s, int64_t *out, struct gs_err *err) GS_MUST_USE;
/* Finds a gene by canonical id, HGNC id, Ensembl id, "NCBIGene:n"/"Entrez:n"/digits, or
 * symbol (case-insensitive; among several rows with that symbol, one with an HGNC id first).
 * GS_ENOTFOUND (no message) when none matches. */
int store_gene_lookup(struct store *s, const char *text, struct store_gene *out,
                      struct gs_err *err) GS_MUST_USE;

#endif
