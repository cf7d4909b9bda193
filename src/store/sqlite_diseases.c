/* sqlite_diseases.c — the SQLite side of store_diseases.h: diseases and their annotated HPO
 * terms for diagnosis support. Schema step v8 lives here. */
#include "store/store_diseases.h"

#include <string.h>

#include "store/sqlite_internal.h"

/* v8. A disease is keyed by its annotation id (OMIM:154700); its terms by HP number, so a
 * term's diseases are one index range away. frequency is NULL when the annotation gives
 * none; excluded is the hpoa NOT qualifier. */
const char store__schema_diseases[] =
    "CREATE TABLE disease ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL,"
    "  source TEXT NOT NULL);"
    "CREATE TABLE disease_term ("
    "  disease TEXT NOT NULL REFERENCES disease(id),"
    "  hpo INTEGER NOT NULL,"
    "  frequency REAL CHECK (frequency IS NULL OR (frequency >= 0 AND frequency <= 1)),"
    "  excluded INTEGER NOT NULL CHECK (excluded IN (0, 1)),"
    "  PRIMARY KEY (disease, hpo, excluded));"
    "CREATE INDEX disease_term_hpo ON disease_term(hpo);";

int store_diseases_clear(struct store *s, struct gs_err *err)
{
    static const char terms[] = "DELETE FROM disease_term";
    static const char diseases[] = "DELETE FROM disease";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, terms, &st, err);
    if (rc == GS_OK)
        rc = store__stmt_exec(s, st, err, "disease terms");
    if (rc == GS_OK)
        rc = store__stmt_get(s, diseases, &st, err);
    if (rc == GS_OK)
        rc = store__stmt_exec(s, st, err, "diseases");
    return rc;
}

int store_disease_insert(struct store *s, const struct store_disease *d, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO disease (id, name, source) VALUES (?1, ?2, ?3)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, d->id);
    store__bind_text(st, 2, d->name);
    store__bind_text(st, 3, d->source);
    return store__insert_id(s, st, NULL, "disease", err);
}

int store_disease_term_insert(struct store *s, const char *disease_id,
                              const struct store_disease_term *t, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO disease_term (disease, hpo, frequency, excluded) "
                              "VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, disease_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)t->hpo);
    if (t->frequency >= 0)
        sqlite3_bind_double(st, 3, t->frequency);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_int(st, 4, t->excluded ? 1 : 0);
    return store__insert_id(s, st, NULL, "disease term", err);
}

int store_disease_count(struct store *s, int64_t *out, struct gs_err *err)
{
    static const char sql[] = "SELECT count(*) FROM disease";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store__step_row(s, st, "diseases", err)) == GS_OK)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc;
}

int store_disease_terms_each(struct store *s, store_disease_term_fn fn, void *ctx,
                             struct gs_err *err)
{
    static const char sql[] =
        "SELECT d.id, d.name, d.source, t.hpo, t.frequency, t.excluded "
        "FROM disease d JOIN disease_term t ON t.disease = d.id ORDER BY d.id, t.hpo";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    struct store_disease d;
    struct store_disease_term t;
    while ((rc = store__step_row(s, st, "disease terms", err)) == GS_OK) {
        store__copy_text(d.id, sizeof d.id, st, 0);
        store__copy_text(d.name, sizeof d.name, st, 1);
        store__copy_text(d.source, sizeof d.source, st, 2);
        t.hpo = (uint32_t)sqlite3_column_int64(st, 3);
        t.frequency = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1
                                                                : sqlite3_column_double(st, 4);
        t.excluded = sqlite3_column_int(st, 5) != 0;
        if ((rc = fn(ctx, &d, &t)) != GS_OK)
            break;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}
