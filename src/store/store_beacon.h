/* store_beacon.h — the Beacon's own read of the variant tables (store_variants.h, schema
 * v11): the point look-up of one allele. A Beacon sequence query names one exact allele;
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

#endif
