/* sqlite_beacon.c — the SQLite side of store_beacon.h: the variant datasets without their
 * record counts, and one cached point query on the variant table's unique allele index. */
#include "store/store_beacon.h"

#include <string.h>

#include "store/sqlite_internal.h"

int store_variant_allele_id(struct store *s, const char *assembly, const char *chrom,
                            int64_t pos, const char *ref, const char *alt, int64_t *id_out,
                            struct gs_err *err)
{
    static const char sql[] = "SELECT id FROM variant WHERE assembly = ?1 AND chrom = ?2"
                              " AND pos = ?3 AND ref = ?4 AND alt = ?5";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, assembly);
    store__bind_text(st, 2, chrom);
    sqlite3_bind_int64(st, 3, pos);
    store__bind_text(st, 4, ref);
    store__bind_text(st, 5, alt);
    if ((rc = store__step_row(s, st, "variant allele", err)) == GS_OK)
        *id_out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc;
}

static int variant_dataset_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    struct store_dataset *d = dst;
    memset(d, 0, sizeof *d);
    d->id = sqlite3_column_int64(st, 0);
    store__copy_text(d->name, sizeof d->name, st, 1);
    store__copy_text(d->title, sizeof d->title, st, 2);
    const char *tier = (const char *)sqlite3_column_text(st, 3);
    const char *type = (const char *)sqlite3_column_text(st, 4);
    if (tier_parse(tier, &d->tier, err) != GS_OK || data_type_parse(type, &d->data_type, err) != GS_OK)
        return GS_ECORRUPT;
    d->institution_id = sqlite3_column_int64(st, 5);
    d->consortium_id = sqlite3_column_int64(st, 6);
    return GS_OK;
}

struct datasets_walk {
    store_dataset_fn fn;
    void *ctx;
};

static int visit_dataset(void *ctx, const void *row)
{
    const struct datasets_walk *w = ctx;
    return w->fn(w->ctx, row);
}

int store_variant_datasets_each(struct store *s, store_dataset_fn fn, void *ctx,
                                struct gs_err *err)
{
    struct datasets_walk w = {fn, ctx};
    return store__each(s,
                       "SELECT id, name, title, tier, data_type, institution_id,"
                       " coalesce(consortium_id, 0) FROM dataset"
                       " WHERE data_type IN ('variants', 'somatic_mutations') ORDER BY name",
                       NULL, NULL, variant_dataset_row, sizeof(struct store_dataset), NULL,
                       visit_dataset, &w, "variant datasets", err);
}
