/* store_beacon.h — the Beacon's own reads (on the tables of store.h and store_variants.h):
 *
 * The datasets that can hold variant submissions, without the per-dataset record count
 * store_dataset_each computes (a count over the record table on every Beacon request).
 *
 * The point look-up of one allele. A Beacon sequence query names one exact allele;
 * the unique index on (assembly, chrom, pos, ref, alt) answers it with one probe, where the
 * overlap walk of store_variant_each scans the window of the chromosome's longest REF (9 kb
 * in ClinVar's BRCA1 region: about 1,700 index entries per query). sqlite_beacon.c holds the
 * SQL. */
#ifndef GS_STORE_STORE_BEACON_H
#define GS_STORE_STORE_BEACON_H

#include <stdint.h>

#include "store/store.h"

/* The id of the variant with exactly these alleles (the stored, normalised spelling:
 * chrom without "chr", upper-case bases); GS_ENOTFOUND without a message when none. */
int store_variant_allele_id(struct store *s, const char *assembly, const char *chrom,
                            int64_t pos, const char *ref, const char *alt, int64_t *id_out,
                            struct gs_err *err) GS_MUST_USE;

/* Calls fn for every dataset of data type variants or somatic_mutations, by name (records
 * is 0: not counted); fn's non-zero return stops the walk and is returned. */
int store_variant_datasets_each(struct store *s, store_dataset_fn fn, void *ctx,
                                struct gs_err *err) GS_MUST_USE;

#endif
