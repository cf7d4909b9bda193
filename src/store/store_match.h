/* store_match.h — what the similar-case search reads from the store: the features, genes and
 * variants of every active case, one walk per table (not one query per case), so a search
 * builds all candidate profiles in three statements. Case rows come from store_case_each.
 * Read-only; no schema of its own (it reads the case tables of schema v7). */
#ifndef GS_STORE_STORE_MATCH_H
#define GS_STORE_STORE_MATCH_H

#include "store/store_cases.h"

/* Each walk visits the rows of active cases only, ordered by case id then input order. The
 * row pointer (and its strings) is valid during the call only; fn's non-zero return stops
 * the walk and is returned. */
typedef int (*store_match_feature_fn)(void *ctx, int64_t case_id,
                                      const struct store_case_feature *f);
typedef int (*store_match_gene_fn)(void *ctx, int64_t case_id, const struct store_case_gene *g);
typedef int (*store_match_variant_fn)(void *ctx, int64_t case_id,
                                      const struct store_case_variant *v);

int store_match_features_each(struct store *s, store_match_feature_fn fn, void *ctx,
                              struct gs_err *err) GS_MUST_USE;
int store_match_genes_each(struct store *s, store_match_gene_fn fn, void *ctx,
                           struct gs_err *err) GS_MUST_USE;
int store_match_variants_each(struct store *s, store_match_variant_fn fn, void *ctx,
                              struct gs_err *err) GS_MUST_USE;

/* The case change counter: every case write (create, update, withdraw) adds a version row,
 * so the largest version row number grows with each committed write; 0 with no cases. */
int store_match_generation(struct store *s, int64_t *out, struct gs_err *err) GS_MUST_USE;
/* Each case written after generation since, up to upto, once, in case id order. */
typedef int (*store_match_case_fn)(void *ctx, int64_t case_id);
int store_match_changed_each(struct store *s, int64_t since, int64_t upto, store_match_case_fn fn,
                             void *ctx, struct gs_err *err) GS_MUST_USE;

#endif
