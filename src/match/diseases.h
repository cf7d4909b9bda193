/* diseases.h — the HPO disease annotations (phenotype.hpoa) as genoshare keeps them for
 * diagnosis support: reading the file (aspect P rows, frequencies as fractions, NOT rows as
 * excluded terms, every id resolved against the loaded HPO and every problem counted),
 * saving it to the store in one audited transaction, and reading it back into memory.
 *
 * Frequencies: the hpoa column holds an HPO frequency term, "n/m" or "x%". The terms become
 * the middle of their published range (HP:0040280 obligate 1.0, HP:0040281 very frequent
 * 80–99% 0.895, HP:0040282 frequent 30–79% 0.545, HP:0040283 occasional 5–29% 0.17,
 * HP:0040284 very rare 1–4% 0.025, HP:0040285 excluded 0). A row with frequency 0 (0/n,
 * 0%, HP:0040285) says the disease does not have the feature: it is kept as excluded, like
 * a NOT row. A term annotated twice for one disease (several publications) keeps the
 * largest frequency given; unknown only when no row gave one. */
#ifndef GS_MATCH_DISEASES_H
#define GS_MATCH_DISEASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit/audit.h"
#include "pheno/hpo.h"
#include "store/store_diseases.h"

/* One annotated term of a disease. */
struct disease_term {
    int term;         /* index into the struct hpo the table was built against */
    double frequency; /* 0..1, or < 0 when unknown */
    bool excluded;    /* NOT (or frequency 0): the disease does not have it */
};

struct disease {
    char id[DISEASE_ID_MAX];
    char name[STORE_TEXT_MAX];
    struct disease_term *terms; /* sorted by (excluded, term), distinct */
    int nterms;
};

/* All diseases, sorted by id. Owns everything (disease_table_free); valid as long as the
 * struct hpo it was built against. */
struct disease_table {
    struct disease *diseases;
    size_t n;
};
void disease_table_free(struct disease_table *t);

/* What reading an annotation file did. */
struct disease_load_report {
    char version[64];          /* the file's "#version:" header, "" when absent */
    int64_t rows;              /* data rows read */
    int64_t used;              /* aspect P rows kept (NOT rows included) */
    int64_t excluded;          /* of those, NOT rows and rows of frequency 0 */
    int64_t skipped_aspect;    /* rows with an aspect other than P */
    int64_t merged;            /* rows repeating a disease's term (kept once) */
    int64_t bad_frequency;     /* frequencies not understood: kept as unknown */
    char bad_frequency_example[120]; /* "line 12: '3 of 4'" */
    int64_t diseases;          /* diseases with at least one term */
    int64_t terms;             /* distinct (disease, term, NOT) annotations */
    struct hpo_problems problems; /* unknown, alt, obsolete ids (hpo_resolve_input) */
};

/* Parses an hpoa frequency: "" → *out -1 (unknown); HP:0040280..HP:0040285, "n/m"
 * (0 <= n <= m, m > 0) and "x%" (0..100, decimals allowed) → a fraction 0..1. GS_EINVAL
 * for anything else. */
int diseases_frequency_parse(const char *text, double *out, struct gs_err *err) GS_MUST_USE;

/* Reads phenotype.hpoa (gzipped or not) against h into *out (the caller frees it with
 * disease_table_free, also after failure). Columns are found by the header line
 * (database_id, disease_name, qualifier, hpo_id, frequency, aspect); a file without them,
 * or a row with too few fields, is GS_EINVAL naming file and line. */
int diseases_read_hpoa(const struct hpo *h, const char *path, struct disease_table *out,
                       struct disease_load_report *report, struct gs_err *err) GS_MUST_USE;

/* Reads path and replaces the stored diseases with it in one transaction, with the audit
 * row "disease.load"; all or nothing. */
int diseases_load_hpoa(struct store *s, const struct actor *by, const struct hpo *h,
                       const char *path, struct disease_load_report *report,
                       struct gs_err *err) GS_MUST_USE;

/* The stored diseases in memory, resolved against h (terms h lacks are skipped: the store
 * keeps HP numbers). An empty table when none were loaded. */
int diseases_from_store(struct store *s, const struct hpo *h, struct disease_table *out,
                        struct gs_err *err) GS_MUST_USE;

/* For `genoshare demo`: loads $data_dir/hpo/phenotype.v2025-05-06.hpoa.gz when it exists
 * and an HPO release is in the store (GS_OK doing nothing otherwise). */
int diseases_demo_fill(struct store *s, const struct actor *by, const char *data_dir,
                       struct gs_err *err) GS_MUST_USE;

#endif
