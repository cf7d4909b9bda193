/* store_variant_sources.h — the reference sources registered beside the knowledge base
 * (schema v12): a name, a kind (clinvar, frequency, dbsnp), the assembly its positions use
 * and the local path of a tabix-indexed VCF that is read in place (never copied into the
 * store). sqlite_variant_sources.c holds the SQL; src/variants/sources.c validates before
 * it writes and does the look-ups. */
#ifndef GS_STORE_STORE_VARIANT_SOURCES_H
#define GS_STORE_STORE_VARIANT_SOURCES_H

#include <stdint.h>
#include <time.h>

#include "store/store.h"

#define SOURCE_PATH_MAX 1024
#define SOURCE_ASSEMBLY_MAX 16

enum source_kind { SOURCE_CLINVAR, SOURCE_FREQUENCY, SOURCE_DBSNP };

struct store_variant_source {
    int64_t id;
    char name[STORE_NAME_MAX];
    enum source_kind kind;
    char assembly[SOURCE_ASSEMBLY_MAX]; /* "GRCh38", "GRCh37" */
    char path[SOURCE_PATH_MAX];         /* absolute path of the .vcf.gz */
    char description[STORE_TEXT_MAX];   /* from the VCF header (##source, ##fileDate) */
    time_t created_at;
};

/* Adds a source; GS_ECONFLICT when the name is taken. */
int store_variant_source_insert(struct store *s, const struct store_variant_source *in,
                                int64_t *id_out, struct gs_err *err) GS_MUST_USE;
/* GS_ENOTFOUND "no reference source named 'X'". */
int store_variant_source_by_name(struct store *s, const char *name,
                                 struct store_variant_source *out, struct gs_err *err) GS_MUST_USE;
int store_variant_source_delete(struct store *s, int64_t id, struct gs_err *err) GS_MUST_USE;
/* Calls fn for every source in name order; a non-zero return from fn stops the walk and is
 * returned. The struct passed to fn is valid only during the call. */
typedef int (*store_variant_source_fn)(void *ctx, const struct store_variant_source *src);
int store_variant_sources_each(struct store *s, store_variant_source_fn fn, void *ctx,
                               struct gs_err *err) GS_MUST_USE;

#endif
