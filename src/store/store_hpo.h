/* store_hpo.h — persistence of the loaded HPO release: the release history, the current
 * release's terms (labels, IC, obsolete/replacement), is-a parents, alt ids, consider
 * links, synonyms, and a full-text index over labels and synonyms for autocomplete.
 *
 * Terms are keyed by their HP number (HP:0001250 is 1250). Only one release's terms are
 * kept: src/pheno/hpo_store.c replaces them in one audited transaction (store_hpo_clear,
 * then the inserts, then store_hpo_search_rebuild). The rows walked below are the input
 * of hpo_from_store; their strings point into the store and are valid only during the
 * callback. */
#ifndef GS_STORE_STORE_HPO_H
#define GS_STORE_STORE_HPO_H

#include "store/store.h"

struct store_hpo_release {
    int64_t id;
    char version[STORE_TEXT_MAX];             /* the ontology's version string */
    char annotations_version[STORE_NAME_MAX]; /* "#version:" of phenotype.hpoa, "" if none */
    int64_t loaded_at;
    int64_t terms;    /* all terms, obsolete included */
    int64_t diseases; /* annotated diseases behind the IC, 0 if none */
};

struct store_hpo_term {
    uint32_t number;
    const char *label;
    const char *label_ja; /* "" when none */
    bool obsolete;
    uint32_t replaced_by; /* final replacement's number, 0 when none */
    double ic;
};

enum store_hpo_link {
    STORE_HPO_PARENT,   /* from is_a to */
    STORE_HPO_ALT_ID,   /* from (a term) has alt id to */
    STORE_HPO_CONSIDER, /* from (obsolete) suggests to */
};

/* ---- writes: inside the caller's transaction (store_begin) ---- */

/* Removes the current release's terms, links, synonyms and index (history stays). */
int store_hpo_clear(struct store *s, struct gs_err *err) GS_MUST_USE;
int store_hpo_release_insert(struct store *s, const struct store_hpo_release *in,
                             int64_t *id_out, struct gs_err *err) GS_MUST_USE;
int store_hpo_term_insert(struct store *s, const struct store_hpo_term *in,
                          struct gs_err *err) GS_MUST_USE;
int store_hpo_link_insert(struct store *s, enum store_hpo_link kind, uint32_t from, uint32_t to,
                          struct gs_err *err) GS_MUST_USE;
int store_hpo_synonym_insert(struct store *s, uint32_t term, const char *text,
                             struct gs_err *err) GS_MUST_USE;
/* Rebuilds the search index from the current terms (current ones only) and synonyms. */
int store_hpo_search_rebuild(struct store *s, struct gs_err *err) GS_MUST_USE;

/* ---- reads ---- */

/* The release loaded last; GS_ENOTFOUND "no HPO release loaded …" when none. */
int store_hpo_release_current(struct store *s, struct store_hpo_release *out,
                              struct gs_err *err) GS_MUST_USE;
/* Walks every term in ascending number; fn's non-zero stops the walk and is returned. */
int store_hpo_term_each(struct store *s, int (*fn)(void *ctx, const struct store_hpo_term *t),
                        void *ctx, struct gs_err *err) GS_MUST_USE;
int store_hpo_link_each(struct store *s, enum store_hpo_link kind,
                        int (*fn)(void *ctx, uint32_t from, uint32_t to), void *ctx,
                        struct gs_err *err) GS_MUST_USE;
int store_hpo_synonym_each(struct store *s, int (*fn)(void *ctx, uint32_t term, const char *text),
                           void *ctx, struct gs_err *err) GS_MUST_USE;

/* One autocomplete hit: strings valid only during the callback. */
struct store_hpo_hit {
    uint32_t term;
    const char *label;
    const char *label_ja;
    const char *matched; /* the label or synonym that matched */
};
/* Current terms whose label or synonym contains every word of text (case-insensitive),
 * in language lang ("en", "ja", or NULL for both); labels before synonyms, shorter
 * matches first; at most limit hits. GS_EINVAL for empty text. */
int store_hpo_search(struct store *s, const char *text, const char *lang, int limit,
                     int (*fn)(void *ctx, const struct store_hpo_hit *hit), void *ctx,
                     struct gs_err *err) GS_MUST_USE;

#endif
