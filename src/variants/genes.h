/* genes.h — the gene location table behind gene search: loaded from a TSV with a header row
 * (Ensembl or RefSeq tables as in ../shared/data/variants: columns named chrom, start, end,
 * symbol, and optionally strand, entrez_id, hgnc_id, ensembl_gene_id; plain or gzip).
 * Loading replaces the assembly's table in one transaction with one audit row. */
#ifndef GS_VARIANTS_GENES_H
#define GS_VARIANTS_GENES_H

#include <stdint.h>
#include <time.h>

#include "audit/audit.h"
#include "store/store_variants.h"

/* Loads path (a local file) as the gene table of assembly (NULL: GRCh38); *count gets the
 * rows loaded. GS_EINVAL naming the line for a malformed row (nothing loaded). */
int variant_genes_load(struct store *s, const struct actor *by, const char *path,
                       const char *assembly, time_t now, int64_t *count,
                       struct gs_err *err) GS_MUST_USE;

#endif
