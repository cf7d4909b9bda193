/* sqlite_variant_sources.c — the SQLite side of store_variant_sources.h: the registry of
 * reference sources (their records stay in their own tabix-indexed files). Schema v12. */
#include "store/store_variant_sources.h"

#include <string.h>

#include "store/sqlite_internal.h"

/* v12. One row per registered file; the path is absolute so the server and the CLI agree
 * on it whatever their working directory. */
const char store__schema_variant_sources[] =
    "CREATE TABLE variant_source ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  kind TEXT NOT NULL CHECK (kind IN ('clinvar','frequency','dbsnp')),"
    "  assembly TEXT NOT NULL,"
    "  path TEXT NOT NULL,"
    "  description TEXT NOT NULL DEFAULT '',"
    "  created_at INTEGER NOT NULL);";

static const char *const kind_names[] = {"clinvar", "frequency", "dbsnp"};

static int fill_source(sqlite3_stmt *st, void *out, struct gs_err *err)
{
    (void)err;
    struct store_variant_source *v = out;
    memset(v, 0, sizeof *v);
    v->id = sqlite3_column_int64(st, 0);
    store__copy_text(v->name, sizeof v->name, st, 1);
    const char *kind = (const char *)sqlite3_column_text(st, 2);
    for (int i = 0; kind != NULL && i < 3; i++)
        if (strcmp(kind, kind_names[i]) == 0)
            v->kind = (enum source_kind)i;
    store__copy_text(v->assembly, sizeof v->assembly, st, 3);
    store__copy_text(v->path, sizeof v->path, st, 4);
    store__copy_text(v->description, sizeof v->description, st, 5);
    v->created_at = (time_t)sqlite3_column_int64(st, 6);
    return GS_OK;
}

#define SOURCE_COLUMNS "id, name, kind, assembly, path, description, created_at"

int store_variant_source_insert(struct store *s, const struct store_variant_source *in,
                                int64_t *id_out, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s,
                             "INSERT INTO variant_source (name, kind, assembly, path, description,"
                             " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                             &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, in->name);
    store__bind_text(st, 2, kind_names[(unsigned)in->kind < 3 ? in->kind : 0]);
    store__bind_text(st, 3, in->assembly);
    store__bind_text(st, 4, in->path);
    store__bind_text(st, 5, in->description);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)in->created_at);
    struct gs_err inner = {0};
    rc = store__insert_id(s, st, id_out, "reference source", &inner);
    if (rc == GS_ECONFLICT)
        return gs_err_set(err, rc, "a reference source named '%s' exists", in->name);
    return rc == GS_OK ? GS_OK : gs_err_set(err, rc, "%s", inner.msg);
}

int store_variant_source_by_name(struct store *s, const char *name,
                                 struct store_variant_source *out, struct gs_err *err)
{
    return store__fetch_one(s, "SELECT " SOURCE_COLUMNS " FROM variant_source WHERE name = ?1",
                            "reference source", 0, name, fill_source, out, err);
}

int store_variant_source_delete(struct store *s, int64_t id, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, "DELETE FROM variant_source WHERE id = ?1", &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return store__update_one(s, st, "reference source", id, err);
}

struct each_ctx {
    store_variant_source_fn fn;
    void *ctx;
};

static int visit(void *ctx, const void *row)
{
    struct each_ctx *e = ctx;
    return e->fn(e->ctx, row);
}

int store_variant_sources_each(struct store *s, store_variant_source_fn fn, void *ctx,
                               struct gs_err *err)
{
    struct each_ctx e = {fn, ctx};
    return store__each(s, "SELECT " SOURCE_COLUMNS " FROM variant_source ORDER BY name", NULL,
                       NULL, fill_source, sizeof(struct store_variant_source), NULL, visit, &e,
                       "reference sources", err);
}
