/* hpo_store.h — the HPO release in the store, so the server and the CLI share one load:
 * hpo_store_save replaces the stored release in one audited transaction; hpo_from_store
 * rebuilds the in-memory ontology from it (what the server does at start). */
#ifndef GS_PHENO_HPO_STORE_H
#define GS_PHENO_HPO_STORE_H

#include <time.h>

#include "audit/audit.h"
#include "pheno/hpo.h"
#include "store/store.h"

/* Replaces the stored release with h (terms, links, synonyms, labels, IC, search index)
 * and appends the audit row "hpo.load" in the same transaction; all or nothing. */
int hpo_store_save(struct store *s, const struct actor *by, const struct hpo *h, time_t now,
                   struct gs_err *err) GS_MUST_USE;

/* Rebuilds the stored release in memory; the caller owns *out (hpo_free). GS_ENOTFOUND
 * when no release was loaded. */
int hpo_from_store(struct store *s, struct hpo **out, struct gs_err *err) GS_MUST_USE;

#endif
