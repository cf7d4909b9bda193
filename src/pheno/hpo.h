/* hpo.h — the Human Phenotype Ontology in memory: terms, is-a links, alt and obsolete ids,
 * English and Japanese labels, information content, most informative common ancestor.
 *
 * Built from obographs JSON (hp.json) or OBO (hp.obo), gzipped or not; then optionally
 * given disease annotations (phenotype.hpoa, for IC) and Japanese labels (Babelon TSV).
 * It does not touch the store: src/pheno/hpo_store.h saves and reloads a release.
 *
 * Representation (chosen so similarity search is cheap):
 *   - a term is an int index 0..n-1, in ascending order of its HP number, so id lookup is a
 *     binary search over a packed uint32 array and sorted index lists are sorted by id;
 *   - parents, children and ancestors are CSR arrays (one offset array, one index array);
 *   - every term's ancestor set (itself included) is precomputed as a sorted index list,
 *     so is-a is a binary search and MICA is one merge of two short lists.
 *   A full bitset closure would be n²/8 = 48 MB for 19,650 terms; the sorted lists of the
 *   2025-05-06 release hold 215,787 entries (0.9 MB; the whole struct, strings included,
 *   is 4.5 MB). hpo_stats reports the bytes used.
 * Obsolete terms are kept (so input naming them can be resolved and reported) but are not
 * part of the is-a graph. A struct hpo is immutable after loading and may be shared by
 * threads for reading. */
#ifndef GS_PHENO_HPO_H
#define GS_PHENO_HPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct hpo; /* opaque; free with hpo_free */

#define HPO_ID_MAX 11 /* "HP:0000118" + NUL */

enum hpo_lang { HPO_LANG_EN, HPO_LANG_JA };

/* How an id given by a caller reached its term. */
enum hpo_resolution {
    HPO_RESOLVED_PRIMARY,  /* the id is a current term */
    HPO_RESOLVED_ALT_ID,   /* an alt_id, mapped to its primary term */
    HPO_RESOLVED_REPLACED, /* an obsolete term, mapped by replaced_by (transitively) */
    HPO_RESOLVED_OBSOLETE, /* an obsolete term without replacement: the obsolete term itself */
};
const char *hpo_resolution_name(enum hpo_resolution r); /* "primary", "alt_id", … */

/* Ids met in an input file that were not current terms. Unknown ids and obsolete ids
 * without replacement are skipped; alt and replaced ids are used as their primary term.
 * Nothing is dropped without being counted here. */
#define HPO_EXAMPLES_MAX 5
struct hpo_problems {
    int64_t unknown;             /* well-formed ids no term has: skipped */
    int64_t malformed;           /* text that is not an HP id: skipped */
    int64_t alt_resolved;        /* alt ids used as their primary term */
    int64_t obsolete_replaced;   /* obsolete ids used as their replacement */
    int64_t obsolete_unresolved; /* obsolete ids without replacement: skipped */
    int nexamples;               /* the first HPO_EXAMPLES_MAX of all of the above */
    char examples[HPO_EXAMPLES_MAX][160]; /* "line 12: HP:0000057 obsolete -> HP:0008665" */
};

/* Resolves one id from input (a file line, a case, a query) for use, counting it in
 * problems: returns the term to use, or -1 when the id must be skipped (unknown,
 * malformed, obsolete without replacement); alt ids and replaced obsolete ids resolve to
 * their primary term and are counted. where ("line 12"; may be NULL) prefixes the example. */
int hpo_resolve_input(const struct hpo *h, const char *id, const char *where,
                      struct hpo_problems *problems);

/* What reading an annotation file did. */
struct hpo_annotation_report {
    char version[64];        /* its "#version:" header, "" when absent */
    int64_t rows;            /* data rows read */
    int64_t used;            /* rows that annotate a disease with a term */
    int64_t skipped_not;     /* rows with qualifier NOT */
    int64_t skipped_aspect;  /* rows with an aspect other than P */
    int64_t diseases;        /* diseases with at least one used row: the IC denominator */
    struct hpo_problems problems;
};

/* What reading a Japanese label file did. */
struct hpo_labels_report {
    int64_t rows;           /* data rows read */
    int64_t labels;         /* OFFICIAL rdfs:label rows applied to a term */
    int64_t skipped_status; /* rdfs:label rows whose status is not OFFICIAL */
    int64_t skipped_other;  /* rows for other predicates (synonyms, definitions) */
    struct hpo_problems problems;
};

struct hpo_stats {
    int terms;          /* all HP terms, obsolete included */
    int obsolete;
    int alt_ids;
    int is_a;           /* is-a edges */
    int synonyms;
    int labels_ja;      /* terms with a Japanese label */
    int64_t diseases;   /* annotated diseases behind the IC, 0 without annotations */
    double ic_min, ic_max; /* over current terms */
    int64_t ancestor_entries; /* total length of the ancestor lists */
    size_t memory_bytes;      /* heap held by the struct, strings included */
};

/* ---- loading ---- */

/* Reads an ontology file, obographs JSON or OBO (decided by the first non-blank byte: '{'
 * is JSON), gzipped or not. Keeps HP terms only. Errors name the file and, for OBO, the
 * line; for JSON, jansson's line and column. On success *out is the caller's (hpo_free). */
int hpo_load_ontology(const char *path, struct hpo **out, struct gs_err *err) GS_MUST_USE;

/* Reads phenotype.hpoa (gzipped or not) and sets every term's information content:
 * IC(t) = -ln(p(t)), p(t) = diseases annotated to t or a descendant / annotated diseases.
 * Uses aspect P rows without qualifier NOT; each disease's terms are propagated to all
 * their ancestors (a disease counts once per term). Terms no disease reaches get the
 * largest possible IC, ln(diseases), as if one disease had them; obsolete terms too.
 * Without this call every IC is 0. Replaces any IC set before. Required columns are found
 * by the header line; a file without them is GS_EINVAL. */
int hpo_load_annotations(struct hpo *h, const char *path, struct hpo_annotation_report *report,
                         struct gs_err *err) GS_MUST_USE;

/* Reads a Babelon TSV (hp-ja.babelon.tsv[.gz]): columns found by the header line; keeps
 * rows with predicate_id rdfs:label and translation_status OFFICIAL as Japanese labels. */
int hpo_load_labels_ja(struct hpo *h, const char *path, struct hpo_labels_report *report,
                       struct gs_err *err) GS_MUST_USE;

/* Reads a release: the ontology and, when not NULL, the annotations and the Japanese
 * labels, with the results of the three calls above (a report is filled only when its file
 * is given). The two tables' files are read and decompressed on a second thread while the
 * ontology is parsed. */
int hpo_load_release(const char *ontology, const char *annotations, const char *labels_ja,
                     struct hpo **out, struct hpo_annotation_report *annotations_report,
                     struct hpo_labels_report *labels_report, struct gs_err *err) GS_MUST_USE;

void hpo_free(struct hpo *h);

/* ---- the release ---- */

/* The release's version: obographs graphs[0].meta.version, OBO data-version ("" if none).
 * Valid until hpo_free. */
const char *hpo_version(const struct hpo *h);
/* The annotation file's "#version:" behind the IC ("" without annotations). */
const char *hpo_annotations_version(const struct hpo *h);
void hpo_stats(const struct hpo *h, struct hpo_stats *out);
int hpo_term_count(const struct hpo *h);

/* ---- terms ---- */

/* Parses "HP:0001250" (also the OBO IRI form ".../HP_0001250") to its number; false if
 * the text is not an HP id. */
bool hpo_id_parse(const char *text, uint32_t *number);

/* Finds the term for id, resolving alt and obsolete ids; *how says which happened (may be
 * NULL). GS_EINVAL when id is not an HP id, GS_ENOTFOUND when no term has it. */
int hpo_term_lookup(const struct hpo *h, const char *id, int *term, enum hpo_resolution *how,
                    struct gs_err *err) GS_MUST_USE;
/* The same for a number; -1 when absent (no message). */
int hpo_term_find(const struct hpo *h, uint32_t number, enum hpo_resolution *how);

/* Accessors take a valid index (0 <= t < hpo_term_count); strings live until hpo_free. */
const char *hpo_term_id(const struct hpo *h, int t);                        /* "HP:0001250" */
uint32_t hpo_term_number(const struct hpo *h, int t);                       /* 1250 */
const char *hpo_term_label(const struct hpo *h, int t, enum hpo_lang lang); /* "" if none */
double hpo_term_ic(const struct hpo *h, int t);
bool hpo_term_obsolete(const struct hpo *h, int t);
int hpo_term_replaced_by(const struct hpo *h, int t); /* final replacement, or -1 */

/* Lists of term indices, sorted ascending, valid until hpo_free; *n is their length. */
const int *hpo_term_parents(const struct hpo *h, int t, int *n);
const int *hpo_term_children(const struct hpo *h, int t, int *n);
const int *hpo_term_ancestors(const struct hpo *h, int t, int *n); /* t included */
const int *hpo_term_consider(const struct hpo *h, int t, int *n);   /* obsolete terms */
/* The term's synonyms (exact, broad, narrow, related), valid until hpo_free. */
const char *const *hpo_term_synonyms(const struct hpo *h, int t, int *n);
/* The alt ids (numbers, ascending) that map to t; valid until hpo_free. */
const uint32_t *hpo_term_alt_ids(const struct hpo *h, int t, int *n);

/* True when t is ancestor or t itself (is_a closure), O(log depth). */
bool hpo_term_is_a(const struct hpo *h, int t, int ancestor);

/* The most informative common ancestor of a and b, and its IC; among ancestors of equal
 * IC the deepest (most ancestors of its own), then the lower id.
 * Always exists for two current terms (the root). -1 when a and b share no ancestor
 * (possible only with obsolete terms). */
int hpo_mica(const struct hpo *h, int a, int b, double *ic);

#endif
