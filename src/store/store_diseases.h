/* store_diseases.h — the HPO disease annotations kept for diagnosis support (schema v8):
 * one row per disease (OMIM:154700, its name, its source) and one per annotated term (HP
 * number, frequency as a fraction when the annotation gives one, NOT flag for a feature
 * the disease is known not to have). sqlite_diseases.c holds the SQL; nothing here
 * validates: src/match/diseases.c does, before it writes. */
#ifndef GS_STORE_STORE_DISEASES_H
#define GS_STORE_STORE_DISEASES_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

#define DISEASE_ID_MAX 48 /* "OMIM:154700", "ORPHA:558", "DECIPHER:12" */

struct store_disease {
    char id[DISEASE_ID_MAX];
    char name[STORE_TEXT_MAX];
    char source[16]; /* the id's prefix: "OMIM", "ORPHA", "DECIPHER" */
};

struct store_disease_term {
    uint32_t hpo;     /* HP number: HP:0001250 is 1250 */
    double frequency; /* 0..1, or < 0 when the annotation gives none */
    bool excluded;    /* qualifier NOT: the disease does not have it */
};

/* Removes every disease and its terms (a load replaces the whole set; inside the caller's
 * transaction). */
int store_diseases_clear(struct store *s, struct gs_err *err) GS_MUST_USE;
/* Adds a disease; GS_ECONFLICT when its id exists. */
int store_disease_insert(struct store *s, const struct store_disease *d,
                         struct gs_err *err) GS_MUST_USE;
/* Adds a term to disease_id; a term listed twice with the same NOT flag is GS_ECONFLICT
 * (the loader merges duplicates first). */
int store_disease_term_insert(struct store *s, const char *disease_id,
                              const struct store_disease_term *t, struct gs_err *err) GS_MUST_USE;
/* The number of diseases stored. */
int store_disease_count(struct store *s, int64_t *out, struct gs_err *err) GS_MUST_USE;

/* Walks every annotation ordered by disease id then HP number: fn(ctx, disease, term) gets
 * pointers valid for the call only; a non-zero return stops the walk and is returned.
 * Diseases without terms are not visited. */
typedef int (*store_disease_term_fn)(void *ctx, const struct store_disease *d,
                                     const struct store_disease_term *t);
int store_disease_terms_each(struct store *s, store_disease_term_fn fn, void *ctx,
                             struct gs_err *err) GS_MUST_USE;

#endif
