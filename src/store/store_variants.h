/* store_variants.h — persistence of the variant knowledge base (schema v11): variants
 * (normalised alleles, one row per assembly+chrom+pos+ref+alt), submissions (one
 * interpretation of a variant for a condition by one submitter in one dataset, with its
 * curation state), the history of every replaced submission, the upload batches with their
 * validation reports, conditions (full-text indexed, FTS5) and gene locations.
 *
 * Domain terms only; sqlite_variants.c holds the SQL. Nothing here validates or decides
 * visibility: src/variants/ does (submit.h, curate.h, search.h). Writes run inside the
 * caller's transaction (store_begin … store_commit).
 *
 * Decisions:
 *   - Chromosome names are stored without "chr" ("1".."22", "X", "Y", "MT"); chrom_rank
 *     orders them naturally (1..22, X, Y, MT, then the rest by name).
 *   - A variant keeps end = pos + len(ref) - 1, and the store remembers the longest REF per
 *     (assembly, chrom), so an overlap query is one index range
 *     pos BETWEEN start - longest + 1 AND end, then end >= start: the records bcftools
 *     view -r returns for the same region.
 *   - Identity of a submission: (dataset, institution, variant, condition key). Submitting
 *     it again replaces the row's values (version + 1) and copies the old values into
 *     variant_submission_history first; history rows are never changed.
 *   - Conditions are a table of their own (distinct key), so a 3-million-record ClinVar
 *     load writes a few thousand FTS rows, not millions. */
#ifndef GS_STORE_STORE_VARIANTS_H
#define GS_STORE_STORE_VARIANTS_H

#include "store/store.h"

#define VARIANT_ASSEMBLY_MAX 16  /* "GRCh38", "GRCh37" */
#define VARIANT_CHROM_MAX 32     /* "17", "MT", "KI270728.1" */
#define VARIANT_ALLELE_MAX 65536 /* longest REF or ALT accepted, bytes */
#define VARIANT_ID_MAX 48        /* "rs80357906", a gene symbol, "HGNC:1100" */
#define VARIANT_TERM_MAX 128     /* a classification, review status, method */
#define VARIANT_TEXT_MAX 4096    /* condition ids / names, evidence, comments (ClinVar's
                                    CLNDISDB reaches 2,216 characters) */

/* ---- variants ---- */

/* One normalised variant. ref and alt point into alleles, which the struct owns (freed by
 * store_variant_clear) — except in walks, where they are valid only during the call. */
struct store_variant {
    int64_t id;
    char assembly[VARIANT_ASSEMBLY_MAX];
    char chrom[VARIANT_CHROM_MAX];
    int64_t pos;                /* 1-based, VCF */
    int64_t end;                /* pos + strlen(ref) - 1 */
    const char *ref, *alt;
    char rsid[VARIANT_ID_MAX];  /* "rs80357906", or "" */
    char gene[VARIANT_ID_MAX];  /* symbol as first submitted, or "" */
    char *alleles;              /* owned storage of ref and alt (NULL in walks) */
};
void store_variant_clear(struct store_variant *v);

/* Inserts the variant, or finds the existing one with the same assembly, chrom, pos, ref
 * and alt; fills in rsid/gene when the stored row has none. *id_out gets the row id and
 * *created (may be NULL) whether the row is new. */
int store_variant_put(struct store *s, const struct store_variant *v, int64_t *id_out,
                      bool *created, struct gs_err *err) GS_MUST_USE;
/* store_variant_put for n variants at once (a bulk load), in order: the same rows, ids and
 * created flags as n calls. STORE_VARIANT_INSERT_MANY variants go to one multi-row INSERT
 * OR IGNORE; when every one was new their ids follow the largest id before it, otherwise
 * each is looked up (new: above that largest id, and the first of its alleles in the
 * group). Fewer go 16 to a statement, then one by one. */
int store_variant_put_many(struct store *s, const struct store_variant *v, int n,
                           int64_t *ids, bool *created, struct gs_err *err) GS_MUST_USE;
/* GS_ENOTFOUND "no variant with id N"; the caller frees out with store_variant_clear. */
int store_variant_get(struct store *s, int64_t id, struct store_variant *out,
                      struct gs_err *err) GS_MUST_USE;

/* What a walk over variants selects. Every member is optional (NULL / 0: no condition);
 * the conditions combine with AND. Strings are the caller's, valid during the walk. */
struct store_variant_filter {
    const char *assembly;       /* NULL: any */
    const char *chrom;          /* stored spelling ("17") */
    int64_t start, end;         /* with chrom: records overlapping [start, end] (1-based,
                                   inclusive; end 0: to the chromosome's end) */
    const char *ref, *alt;      /* exact alleles (with chrom and start == end == pos) */
    const char *rsid;           /* "rs80357906" */
    const char *condition;      /* an FTS5 query over condition names and ids */
    const char *classification; /* some submission has exactly this term (any state) */
    const char *disease_area;   /* some submission has this area */
    int64_t dataset_id;         /* some submission belongs to this dataset */
    int64_t after_id;           /* for resumable exports: only ids > after_id (0: all) */
};
/* Walks matching variants ordered by chrom_rank, chrom, pos, ref, alt. The struct passed
 * to fn is valid only during the call; fn's non-zero return stops the walk and is returned. */
typedef int (*store_variant_fn)(void *ctx, const struct store_variant *v);
int store_variant_each(struct store *s, const struct store_variant_filter *f, store_variant_fn fn,
                       void *ctx, struct gs_err *err) GS_MUST_USE;
/* Number of stored variants (all, no filter). */
int store_variant_count(struct store *s, int64_t *out, struct gs_err *err) GS_MUST_USE;
/* The largest variant id (0 when none): at least the number of variants, read from the end
 * of the table instead of counting it. */
int store_variant_id_max(struct store *s, int64_t *out, struct gs_err *err) GS_MUST_USE;

/* ---- submissions ---- */

enum variant_state { VARIANT_PENDING, VARIANT_ACCEPTED, VARIANT_RETURNED };
const char *variant_state_name(enum variant_state st); /* "pending", "accepted", "returned" */
int variant_state_parse(const char *text, enum variant_state *out, struct gs_err *err) GS_MUST_USE;

struct store_variant_submission {
    int64_t id;
    int64_t variant_id;
    int64_t dataset_id;
    int64_t institution_id;                  /* the submitting institution */
    int64_t batch_id;                        /* the upload that last wrote it */
    int64_t line;                            /* its line in that upload (1-based) */
    int64_t condition_id;                    /* filled by reads; on writes 0 = resolved from
                                                the condition fields (store_variant_
                                                condition_put), else that condition */
    char submitter[STORE_TEXT_MAX];          /* shown name: institution, or the file's
                                                source ("ClinVar") */
    char condition_key[VARIANT_TEXT_MAX];    /* identity: sorted ids, else lower-case name */
    char condition_ids[VARIANT_TEXT_MAX];    /* "MONDO:0011450|OMIM:604370|MedGen:C2676676" */
    char condition_name[VARIANT_TEXT_MAX];   /* "Breast-ovarian cancer, familial 1" */
    char classification[VARIANT_TERM_MAX];   /* ClinVar term: "Pathogenic", "drug response" */
    char review_status[VARIANT_TERM_MAX];    /* as submitted (aggregate.h's spelling) */
    char disease_area[24];                   /* cancer, rare, infectious, dementia, other */
    char origin[VARIANT_TERM_MAX];           /* germline, somatic, de novo, … */
    char zygosity[24];                       /* heterozygous, homozygous, hemizygous, "" */
    char method[VARIANT_TERM_MAX];           /* clinical testing, research, literature only… */
    char evidence[VARIANT_TEXT_MAX];
    char gene[VARIANT_ID_MAX];
    char submitted_on[11];                   /* YYYY-MM-DD */
    enum variant_state state;
    char comment[VARIANT_TEXT_MAX];          /* the curator's, "" before curation */
    char curated_by[STORE_TEXT_MAX];         /* actor name, "" before curation */
    time_t curated_at;                       /* 0 before curation */
    time_t created_at, updated_at;
    int version;                             /* 1, +1 per re-submission */
};

/* The id of the condition with key (inserted with ids and name, and indexed for full-text
 * search, when new). Writers that see the same condition often cache the id and pass it in
 * the submission's condition_id. */
int store_variant_condition_put(struct store *s, const char *key, const char *ids,
                                const char *name, int64_t *id_out, struct gs_err *err) GS_MUST_USE;

/* Finds the submission with the same identity (dataset, institution, variant, condition
 * key); GS_ENOTFOUND (no message) when there is none. */
int store_variant_submission_find(struct store *s, int64_t dataset_id, int64_t institution_id,
                                  int64_t variant_id, const char *condition_key,
                                  struct store_variant_submission *out,
                                  struct gs_err *err) GS_MUST_USE;
/* Inserts (in->id ignored; version 1). GS_ECONFLICT when the identity exists. */
int store_variant_submission_insert(struct store *s, const struct store_variant_submission *in,
                                    int64_t *id_out, struct gs_err *err) GS_MUST_USE;
/* New submissions written several to a statement (a bulk load): one SQLite statement per
 * row cost about as much as the row itself (bind, step, cursor open and close, reset), so
 * rows go STORE_VARIANT_INSERT_MANY (then 16) to one multi-row INSERT. A row carries what differs
 * per record; texts are len bytes, not necessarily NUL-terminated, and must outlive the
 * call. condition_id must be resolved (> 0). */
enum store_variant_new_text {
    SVN_CLASS, SVN_REVIEW, SVN_AREA, SVN_ORIGIN, SVN_ZYGOSITY, SVN_METHOD, SVN_EVIDENCE,
    SVN_GENE, SVN_DATE, SVN_TEXTS
};
struct store_variant_new_submission {
    int64_t variant_id, line, condition_id;
    const char *text[SVN_TEXTS];
    int len[SVN_TEXTS];
};
#define STORE_VARIANT_INSERT_MANY 256
/* Inserts n rows (version 1) whose dataset, institution, batch, submitter, state and time
 * (created_at = updated_at) are common's; GS_ECONFLICT-like SQLite errors as one insert. */
int store_variant_submission_insert_many(struct store *s,
                                         const struct store_variant_submission *common,
                                         const struct store_variant_new_submission *rows, int n,
                                         struct gs_err *err) GS_MUST_USE;
/* Replaces the stored row in->id with in's values, after copying the stored values into the
 * history (actor and at name who replaced them). in->version must be the stored one + 1. */
int store_variant_submission_replace(struct store *s, const struct store_variant_submission *in,
                                     const char *actor, time_t at,
                                     struct gs_err *err) GS_MUST_USE;
int store_variant_submission_get(struct store *s, int64_t id,
                                 struct store_variant_submission *out,
                                 struct gs_err *err) GS_MUST_USE;
/* Sets the curation state, comment, curator and time of one submission. */
int store_variant_submission_curate(struct store *s, int64_t id, enum variant_state state,
                                    const char *comment, const char *curated_by, time_t at,
                                    struct gs_err *err) GS_MUST_USE;

typedef int (*store_variant_submission_fn)(void *ctx, const struct store_variant_submission *sub);
/* The submissions of one variant (every state, every dataset), oldest first. */
int store_variant_submission_each(struct store *s, int64_t variant_id,
                                  store_variant_submission_fn fn, void *ctx,
                                  struct gs_err *err) GS_MUST_USE;
/* Submissions in one state (of one dataset, or all with 0), oldest first: the curation
 * queue, and a batch's submissions with batch_id non-zero. */
int store_variant_submission_each_state(struct store *s, enum variant_state state,
                                        int64_t dataset_id, int64_t batch_id,
                                        store_variant_submission_fn fn, void *ctx,
                                        struct gs_err *err) GS_MUST_USE;
/* The part of a submission a search needs for every variant it walks: cheaper to read
 * than the whole row (no condition or evidence texts). */
struct store_variant_submission_brief {
    int64_t id, dataset_id, institution_id, condition_id;
    enum variant_state state;
    char submitter[STORE_TEXT_MAX];
    char classification[VARIANT_TERM_MAX];
    char review_status[VARIANT_TERM_MAX];
    char disease_area[24];
    char submitted_on[11];
};
typedef int (*store_variant_brief_fn)(void *ctx, const struct store_variant_submission_brief *b);
/* The submissions of one variant in brief, oldest first (every state and dataset). */
int store_variant_submission_brief_each(struct store *s, int64_t variant_id,
                                        store_variant_brief_fn fn, void *ctx,
                                        struct gs_err *err) GS_MUST_USE;
/* The ids and name of condition id into ids and name (VARIANT_TEXT_MAX bytes each). */
int store_variant_condition_get(struct store *s, int64_t id, char *ids, char *name,
                                struct gs_err *err) GS_MUST_USE;

/* Earlier values of one submission, oldest first (version = the replaced version; the
 * struct's updated_at is when it was replaced). */
int store_variant_submission_history_each(struct store *s, int64_t submission_id,
                                          store_variant_submission_fn fn, void *ctx,
                                          struct gs_err *err) GS_MUST_USE;

/* ---- upload batches and their validation reports ---- */
struct store_variant_batch {
    int64_t id;
    int64_t dataset_id;
    int64_t institution_id;
    char actor[STORE_TEXT_MAX];     /* who uploaded */
    char filename[STORE_TEXT_MAX];  /* as given, or "" */
    char format[8];                 /* "vcf", "tsv" */
    char status[16];                /* "stored", "refused" */
    int64_t lines;                  /* data lines read */
    int64_t written;                /* submissions written (new + updated) */
    time_t created_at;
    char *report;                   /* JSON text (submit.h's report); owned, may be NULL */
};
void store_variant_batch_clear(struct store_variant_batch *b);
int store_variant_batch_insert(struct store *s, const struct store_variant_batch *in,
                               int64_t *id_out, struct gs_err *err) GS_MUST_USE;
/* Sets status, counts and report of batch in->id. */
int store_variant_batch_finish(struct store *s, const struct store_variant_batch *in,
                               struct gs_err *err) GS_MUST_USE;
/* The caller frees out with store_variant_batch_clear. */
int store_variant_batch_get(struct store *s, int64_t id, struct store_variant_batch *out,
                            struct gs_err *err) GS_MUST_USE;

/* Settings for one bulk write on this connection (on; call before store_begin), and back to
 * the defaults (off; after the commit or rollback): a page cache of up to 1 GiB (a
 * ClinVar-sized load otherwise spills to disk mid-transaction), no foreign-key checks (the
 * caller writes only ids it read or inserted in the same transaction), in-memory sorting
 * for index rebuilds. Journal and synchronous settings, hence durability, are untouched. */
int store_variant_bulk(struct store *s, bool on, struct gs_err *err) GS_MUST_USE;

/* Drops (present false) or recreates (true) the secondary indexes of variants and
 * submissions (rsID, curation state, condition, batch), inside the caller's transaction: a
 * load of many rows inserts without them and sorts each index once at the end. The unique
 * indexes (alleles, submission identity) always stay. Nothing may query by rsID, state,
 * condition or batch on this connection in between. */
int store_variant_indexes(struct store *s, bool present, struct gs_err *err) GS_MUST_USE;

/* ---- gene locations (for gene and region search) ---- */
struct store_gene_location {
    char symbol[VARIANT_ID_MAX];
    char assembly[VARIANT_ASSEMBLY_MAX];
    char chrom[VARIANT_CHROM_MAX];
    int64_t start, end;             /* 1-based, inclusive */
    char strand;                    /* '+', '-' or '.' */
    char hgnc_id[VARIANT_ID_MAX];   /* "HGNC:1100" or "" */
    char entrez[24];                /* digits or "" */
    char ensembl[VARIANT_ID_MAX];   /* "ENSG00000012048" or "" */
};
/* Removes every location of the assembly (before a reload). */
int store_gene_location_clear(struct store *s, const char *assembly,
                              struct gs_err *err) GS_MUST_USE;
int store_gene_location_insert(struct store *s, const struct store_gene_location *g,
                               struct gs_err *err) GS_MUST_USE;
/* Finds a gene of the assembly by symbol (case-insensitive), HGNC id, Ensembl id or Entrez
 * id ("672", "NCBIGene:672"); among several rows, the one with an HGNC id, then the
 * longest. GS_ENOTFOUND "no gene 'X' in the gene table" when none. */
int store_gene_location_lookup(struct store *s, const char *assembly, const char *text,
                               struct store_gene_location *out, struct gs_err *err) GS_MUST_USE;
int store_gene_location_count(struct store *s, const char *assembly, int64_t *out,
                              struct gs_err *err) GS_MUST_USE;

#endif
