/* sqlite_beacon.c — the SQLite side of store_beacon.h: one cached point query on the
 * variant table's unique allele index. */
#include "store/store_beacon.h"

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
