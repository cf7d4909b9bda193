/* demo_variants.h — the variant knowledge base part of `genoshare demo` (issue 6): with the
 * public data directory, the gene table for gene search, the ClinVar BRCA1-region release as
 * one submitter's accepted submissions in an open dataset, the ClinVar and 1000 Genomes files
 * as reference sources, and a few hand-written pending submissions for the curator queue.
 *
 * Decisions:
 *   - Everything is done through the same calls as the CLI (variant_genes_load,
 *     variants_submit, variants_curate_batch, sources_add), as the operator, so the demo shows
 *     exactly what those commands produce (and the audit log records it).
 *   - The pending submissions are kyoto-u's (alice's institution) in its open dataset
 *     public-variant-summary, so alice sees them as hers and bob (curator) has a queue; one of
 *     them disagrees with ClinVar so that accepting it shows a conflict.
 *   - Without the data directory nothing is loaded: the ClinVar dataset and the sources need
 *     the files, and pending submissions alone would show an empty search. */
#ifndef GS_CLI_DEMO_VARIANTS_H
#define GS_CLI_DEMO_VARIANTS_H

#include "audit/audit.h"
#include "store/store.h"

/* Loads the variant demo data from data_dir (NULL or missing files: nothing, GS_OK) and prints
 * one summary line. Any failure is returned with its message (the demo database is removed by
 * the caller). */
int variants_demo_fill(struct store *s, const struct actor *by, const char *data_dir,
                       struct gs_err *err) GS_MUST_USE;

#endif
