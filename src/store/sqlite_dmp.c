/* sqlite_dmp.c — the SQLite side of store_dmp.h: Data Management Plans, their planned data
 * types, their versions (append-only, like the audit trail), and the datasets' registration
 * dates for the reports. Schema step v2 lives here. */
#include "store/store_dmp.h"

#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* v2. A plan row is the current version; dmp_version keeps every version's full content.
 * Dates are midnight UTC as seconds, 0 when not known. created_by NULL: the operator. */
const char store__schema_dmp[] =
    "CREATE TABLE dmp ("
    "  id INTEGER PRIMARY KEY,"
    "  programme TEXT NOT NULL,"
    "  title TEXT NOT NULL,"
    "  pi TEXT NOT NULL,"
    "  institution_id INTEGER NOT NULL REFERENCES institution(id),"
    "  target_db TEXT NOT NULL DEFAULT '',"
    "  volume TEXT NOT NULL DEFAULT '',"
    "  analysis_done INTEGER NOT NULL DEFAULT 0,"
    "  paper_accepted INTEGER NOT NULL DEFAULT 0,"
    "  created_by INTEGER REFERENCES user(id),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1));"
    "CREATE INDEX dmp_programme ON dmp(programme);"
    "CREATE TABLE dmp_item ("
    "  dmp_id INTEGER NOT NULL REFERENCES dmp(id),"
    "  data_type TEXT NOT NULL,"
    "  tier TEXT NOT NULL CHECK (tier IN ('restricted','controlled','open')),"
    "  dataset_id INTEGER REFERENCES dataset(id),"
    "  PRIMARY KEY (dmp_id, data_type));"
    "CREATE TABLE dmp_version ("
    "  dmp_id INTEGER NOT NULL REFERENCES dmp(id),"
    "  version INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  changes TEXT NOT NULL,"
    "  content TEXT NOT NULL,"
    "  PRIMARY KEY (dmp_id, version));"
    /* Old versions are the record of who changed what: ordinary SQL cannot rewrite them. */
    "CREATE TRIGGER dmp_version_no_update BEFORE UPDATE ON dmp_version"
    "  BEGIN SELECT RAISE(ABORT, 'plan versions are never changed'); END;"
    "CREATE TRIGGER dmp_version_no_delete BEFORE DELETE ON dmp_version"
    "  BEGIN SELECT RAISE(ABORT, 'plan versions are never changed'); END;";

/* ---- planned data types ---- */

static int items_write(struct store *s, const struct store_dmp *d, int64_t id, struct gs_err *err)
{
    static const char del[] = "DELETE FROM dmp_item WHERE dmp_id = ?1";
    static const char ins[] = "INSERT INTO dmp_item(dmp_id, data_type, tier, dataset_id)"
                              " VALUES (?1, ?2, ?3, nullif(?4, 0))";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, del, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = store__stmt_exec(s, st, err, "plan data types")) != GS_OK)
        return rc;
    for (int i = 0; i < d->nitems; i++) {
        if ((rc = store__stmt_get(s, ins, &st, err)) != GS_OK)
            return rc;
        sqlite3_bind_int64(st, 1, id);
        store__bind_text(st, 2, data_type_name(d->items[i].data_type));
        store__bind_text(st, 3, tier_name(d->items[i].tier));
        sqlite3_bind_int64(st, 4, d->items[i].dataset_id);
        rc = store__stmt_exec(s, st, err, "plan data type");
        if (rc == GS_ECONFLICT)
            gs_err_clear(err), rc = gs_err_set(err, GS_EINVAL, "data type %s is planned twice",
                                               data_type_name(d->items[i].data_type));
        if (rc != GS_OK)
            return rc;
    }
    return GS_OK;
}

/* Reads the plan's items into d, in data type order (the enum's, not the text's). */
static int items_read(struct store *s, struct store_dmp *d, struct gs_err *err)
{
    static const char sql[] = "SELECT data_type, tier, coalesce(dataset_id, 0) FROM dmp_item"
                              " WHERE dmp_id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, d->id);
    d->nitems = 0;
    while ((rc = store__step_row(s, st, "plan data types", err)) == GS_OK) {
        struct store_dmp_item it = {0};
        if (d->nitems >= DATA_TYPE_COUNT ||
            data_type_parse((const char *)sqlite3_column_text(st, 0), &it.data_type, err) != GS_OK ||
            tier_parse((const char *)sqlite3_column_text(st, 1), &it.tier, err) != GS_OK) {
            rc = gs_err_set(err, GS_ECORRUPT, "plan %lld has a bad data type entry",
                            (long long)d->id);
            break;
        }
        it.dataset_id = sqlite3_column_int64(st, 2);
        int at = d->nitems++;
        while (at > 0 && d->items[at - 1].data_type > it.data_type) {
            d->items[at] = d->items[at - 1];
            at--;
        }
        d->items[at] = it;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- plans ---- */

#define DMP_COLS                                                                            \
    "SELECT id, programme, title, pi, institution_id, target_db, volume, analysis_done,"    \
    " paper_accepted, coalesce(created_by, 0), created_at, updated_at, version FROM dmp "

static void dmp_row(sqlite3_stmt *st, struct store_dmp *out)
{
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    store__copy_text(out->programme, sizeof out->programme, st, 1);
    store__copy_text(out->title, sizeof out->title, st, 2);
    store__copy_text(out->pi, sizeof out->pi, st, 3);
    out->institution_id = sqlite3_column_int64(st, 4);
    store__copy_text(out->target_db, sizeof out->target_db, st, 5);
    store__copy_text(out->volume, sizeof out->volume, st, 6);
    out->analysis_done = (time_t)sqlite3_column_int64(st, 7);
    out->paper_accepted = (time_t)sqlite3_column_int64(st, 8);
    out->created_by = sqlite3_column_int64(st, 9);
    out->created_at = (time_t)sqlite3_column_int64(st, 10);
    out->updated_at = (time_t)sqlite3_column_int64(st, 11);
    out->version = sqlite3_column_int(st, 12);
}

/* Binds the fields a write sets, as ?2..?9 (?1 is the id of an update). */
static void dmp_bind_fields(sqlite3_stmt *st, const struct store_dmp *d)
{
    store__bind_text(st, 2, d->programme);
    store__bind_text(st, 3, d->title);
    store__bind_text(st, 4, d->pi);
    sqlite3_bind_int64(st, 5, d->institution_id);
    store__bind_text(st, 6, d->target_db);
    store__bind_text(st, 7, d->volume);
    sqlite3_bind_int64(st, 8, d->analysis_done);
    sqlite3_bind_int64(st, 9, d->paper_accepted);
}

int store_dmp_insert(struct store *s, const struct store_dmp *in, int64_t *id_out,
                     struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO dmp(programme, title, pi, institution_id, target_db, volume, analysis_done,"
        " paper_accepted, created_by, created_at, updated_at, version)"
        " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, nullif(?10, 0), ?11, ?11, 1)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    dmp_bind_fields(st, in);
    sqlite3_bind_int64(st, 10, in->created_by);
    sqlite3_bind_int64(st, 11, in->created_at);
    int64_t id = 0;
    if ((rc = store__insert_id(s, st, &id, "plan", err)) != GS_OK ||
        (rc = items_write(s, in, id, err)) != GS_OK)
        return rc;
    if (id_out != NULL)
        *id_out = id;
    return GS_OK;
}

int store_dmp_update(struct store *s, const struct store_dmp *in, struct gs_err *err)
{
    static const char sql[] =
        "UPDATE dmp SET programme = ?2, title = ?3, pi = ?4, institution_id = ?5, target_db = ?6,"
        " volume = ?7, analysis_done = ?8, paper_accepted = ?9, updated_at = ?10, version = ?11"
        " WHERE id = ?1 AND version = ?11 - 1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->id);
    dmp_bind_fields(st, in);
    sqlite3_bind_int64(st, 10, in->updated_at);
    sqlite3_bind_int(st, 11, in->version);
    if ((rc = store__stmt_exec(s, st, err, "plan")) != GS_OK)
        return rc;
    if (sqlite3_changes(s->db) == 0)
        return gs_err_set(err, GS_ECONFLICT, "plan %lld is not at version %d (changed meanwhile "
                          "or missing)", (long long)in->id, in->version - 1);
    return items_write(s, in, in->id, err);
}

int store_dmp_get(struct store *s, int64_t id, struct store_dmp *out, struct gs_err *err)
{
    static const char sql[] = DMP_COLS "WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = store__step_row(s, st, "plan", err);
    if (rc == GS_OK)
        dmp_row(st, out);
    else if (rc == GS_ENOTFOUND)
        gs_err_set(err, rc, "no plan with id %lld", (long long)id);
    sqlite3_reset(st);
    return rc == GS_OK ? items_read(s, out, err) : rc;
}

int store_dmp_each(struct store *s, store_dmp_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] = DMP_COLS "ORDER BY id";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    struct store_dmp d;
    while ((rc = store__step_row(s, st, "plan list", err)) == GS_OK) {
        dmp_row(st, &d);
        if ((rc = items_read(s, &d, err)) != GS_OK || (rc = fn(ctx, &d)) != 0)
            break;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- versions ---- */

int store_dmp_version_insert(struct store *s, const struct store_dmp_version *v,
                             struct gs_err *err)
{
    static const char sql[] = "INSERT INTO dmp_version(dmp_id, version, at, actor, changes,"
                              " content) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, v->dmp_id);
    sqlite3_bind_int(st, 2, v->version);
    sqlite3_bind_int64(st, 3, v->at);
    store__bind_text(st, 4, v->actor);
    store__bind_text(st, 5, v->changes);
    store__bind_text(st, 6, v->content ? v->content : "{}");
    return store__stmt_exec(s, st, err, "plan version");
}

int store_dmp_version_each(struct store *s, int64_t dmp_id, store_dmp_version_fn fn, void *ctx,
                           struct gs_err *err)
{
    static const char sql[] = "SELECT version, at, actor, changes, content FROM dmp_version"
                              " WHERE dmp_id = ?1 ORDER BY version";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dmp_id);
    struct store_dmp_version v;
    while ((rc = store__step_row(s, st, "plan versions", err)) == GS_OK) {
        memset(&v, 0, sizeof v);
        v.dmp_id = dmp_id;
        v.version = sqlite3_column_int(st, 0);
        v.at = (time_t)sqlite3_column_int64(st, 1);
        store__copy_text(v.actor, sizeof v.actor, st, 2);
        store__copy_text(v.changes, sizeof v.changes, st, 3);
        const unsigned char *content = sqlite3_column_text(st, 4);
        v.content = content ? (const char *)content : "{}";
        if ((rc = fn(ctx, &v)) != 0)
            break;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- dataset registrations ---- */

int store_dataset_registered_each(struct store *s, store_dataset_registered_fn fn, void *ctx,
                                  struct gs_err *err)
{
    static const char sql[] = "SELECT id, created_at FROM dataset ORDER BY created_at, id";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    while ((rc = store__step_row(s, st, "dataset registrations", err)) == GS_OK) {
        if ((rc = fn(ctx, sqlite3_column_int64(st, 0), (time_t)sqlite3_column_int64(st, 1))) != 0)
            break;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}
