/* sqlite_tb_catalogue.c — the SQLite side of store_tb_catalogue.h: WHO mutation catalogue
 * versions, their rows and rules. Schema step v14 lives here. */
#include "store/store_tb_catalogue.h"

#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* v14. Rows are keyed by (catalogue, gene, mutation, drug) — the lookup a profile makes —
 * and kept WITHOUT ROWID so the key is the table. ord keeps the file's order for export. */
const char store__schema_tb_catalogue[] =
    "CREATE TABLE tb_catalogue ("
    "  id INTEGER PRIMARY KEY,"
    "  version TEXT NOT NULL UNIQUE,"
    "  source TEXT NOT NULL DEFAULT '',"
    "  nrows INTEGER NOT NULL CHECK (nrows >= 0),"
    "  nrules INTEGER NOT NULL CHECK (nrules >= 0),"
    "  loaded_at INTEGER NOT NULL);"
    "CREATE TABLE tb_catalogue_row ("
    "  catalogue_id INTEGER NOT NULL REFERENCES tb_catalogue(id),"
    "  ord INTEGER NOT NULL,"
    "  gene TEXT NOT NULL,"
    "  mutation TEXT NOT NULL,"
    "  drug TEXT NOT NULL,"
    "  grade INTEGER NOT NULL CHECK (grade BETWEEN 1 AND 5),"
    "  original TEXT NOT NULL DEFAULT '',"
    "  comment TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (catalogue_id, gene, mutation, drug)) WITHOUT ROWID;"
    "CREATE TABLE tb_catalogue_rule ("
    "  catalogue_id INTEGER NOT NULL REFERENCES tb_catalogue(id),"
    "  ord INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  type TEXT NOT NULL,"
    "  source_gene TEXT NOT NULL,"
    "  source_type TEXT NOT NULL,"
    "  target_gene TEXT NOT NULL,"
    "  drugs TEXT NOT NULL,"
    "  source_cutoff INTEGER NOT NULL,"
    "  target_escape_cutoff INTEGER NOT NULL,"
    "  PRIMARY KEY (catalogue_id, ord));"
    "CREATE TRIGGER tb_catalogue_row_no_update BEFORE UPDATE ON tb_catalogue_row"
    "  BEGIN SELECT RAISE(ABORT, 'catalogue versions are never changed'); END;";

/* ---- writes ---- */

int store_tb_catalogue_insert(struct store *s, const struct store_tb_catalogue *in,
                              int64_t *id_out, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO tb_catalogue (version, source, nrows, nrules, loaded_at)"
                              " VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, in->version);
    store__bind_text(st, 2, in->source);
    sqlite3_bind_int64(st, 3, in->nrows);
    sqlite3_bind_int(st, 4, in->nrules);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)in->loaded_at);
    rc = store__insert_id(s, st, id_out, "catalogue version", err);
    if (rc == GS_ECONFLICT) {
        gs_err_clear(err);
        rc = gs_err_set(err, GS_ECONFLICT, "catalogue version '%s' already exists", in->version);
    }
    return rc;
}

int store_tb_catalogue_row_insert(struct store *s, int64_t catalogue_id, int64_t ord,
                                  const struct store_tb_catalogue_row *row, struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO tb_catalogue_row (catalogue_id, ord, gene, mutation, drug, grade, original,"
        " comment) VALUES (?1, ?8, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, catalogue_id);
    store__bind_text(st, 2, row->gene);
    store__bind_text(st, 3, row->mutation);
    store__bind_text(st, 4, row->drug);
    sqlite3_bind_int(st, 5, row->grade);
    store__bind_text(st, 6, row->original ? row->original : "");
    store__bind_text(st, 7, row->comment ? row->comment : "");
    sqlite3_bind_int64(st, 8, ord);
    return store__stmt_exec(s, st, err, "catalogue row");
}

int store_tb_catalogue_rule_insert(struct store *s, int64_t catalogue_id, int ord,
                                   const struct store_tb_rule *rule, struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO tb_catalogue_rule (catalogue_id, ord, name, type, source_gene, source_type,"
        " target_gene, drugs, source_cutoff, target_escape_cutoff)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, catalogue_id);
    sqlite3_bind_int(st, 2, ord);
    store__bind_text(st, 3, rule->name);
    store__bind_text(st, 4, rule->type);
    store__bind_text(st, 5, rule->source_gene);
    store__bind_text(st, 6, rule->source_type);
    store__bind_text(st, 7, rule->target_gene);
    store__bind_text(st, 8, rule->drugs);
    sqlite3_bind_int(st, 9, rule->source_cutoff);
    sqlite3_bind_int(st, 10, rule->target_escape_cutoff);
    return store__stmt_exec(s, st, err, "catalogue rule");
}

/* ---- reads ---- */

#define CATALOGUE_COLS "SELECT id, version, source, nrows, nrules, loaded_at FROM tb_catalogue "

static int catalogue_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_tb_catalogue *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    store__copy_text(out->version, sizeof out->version, st, 1);
    store__copy_text(out->source, sizeof out->source, st, 2);
    out->nrows = sqlite3_column_int64(st, 3);
    out->nrules = sqlite3_column_int(st, 4);
    out->loaded_at = (time_t)sqlite3_column_int64(st, 5);
    return GS_OK;
}

int store_tb_catalogue_find(struct store *s, const char *version, struct store_tb_catalogue *out,
                            struct gs_err *err)
{
    static const char by_name[] = CATALOGUE_COLS "WHERE version = ?1";
    static const char newest[] = CATALOGUE_COLS "ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st;
    bool named = version != NULL && version[0] != '\0';
    int rc = store__stmt_get(s, named ? by_name : newest, &st, err);
    if (rc != GS_OK)
        return rc;
    if (named)
        store__bind_text(st, 1, version);
    rc = store__step_row(s, st, "catalogue version", err);
    if (rc == GS_OK)
        rc = catalogue_row(st, out, err);
    sqlite3_reset(st);
    return rc;
}

/* store__each hands rows to a visit function; these trampolines call the typed callback
 * of the public interface (no function-pointer casts). */
struct walk {
    union {
        store_tb_catalogue_fn catalogue;
        store_tb_catalogue_row_fn row;
        store_tb_rule_fn rule;
    } fn;
    void *ctx;
};
static int visit_catalogue(void *c, const void *row)
{
    const struct walk *w = c;
    return w->fn.catalogue(w->ctx, row);
}
static int visit_row(void *c, const void *row)
{
    const struct walk *w = c;
    return w->fn.row(w->ctx, row);
}
static int visit_rule(void *c, const void *row)
{
    const struct walk *w = c;
    return w->fn.rule(w->ctx, row);
}
static int bind_id(sqlite3_stmt *st, const void *params)
{
    return sqlite3_bind_int64(st, 1, *(const int64_t *)params);
}

int store_tb_catalogue_each(struct store *s, store_tb_catalogue_fn fn, void *ctx,
                            struct gs_err *err)
{
    static const char sql[] = CATALOGUE_COLS "ORDER BY id";
    struct walk w = {.fn.catalogue = fn, .ctx = ctx};
    return store__each(s, sql, NULL, NULL, catalogue_row, sizeof(struct store_tb_catalogue), NULL,
                       visit_catalogue, &w, "catalogue versions", err);
}

static const char *column_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

static int mutation_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_tb_catalogue_row *out = dst;
    out->gene = column_text(st, 0);
    out->mutation = column_text(st, 1);
    out->drug = column_text(st, 2);
    out->grade = sqlite3_column_int(st, 3);
    out->original = column_text(st, 4);
    out->comment = column_text(st, 5);
    return GS_OK;
}

int store_tb_catalogue_row_each(struct store *s, int64_t catalogue_id,
                                store_tb_catalogue_row_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] = "SELECT gene, mutation, drug, grade, original, comment"
                              " FROM tb_catalogue_row WHERE catalogue_id = ?1 ORDER BY ord";
    struct walk w = {.fn.row = fn, .ctx = ctx};
    return store__each(s, sql, bind_id, &catalogue_id, mutation_row,
                       sizeof(struct store_tb_catalogue_row), NULL, visit_row, &w,
                       "catalogue rows", err);
}

static int rule_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_tb_rule *out = dst;
    store__copy_text(out->name, sizeof out->name, st, 0);
    store__copy_text(out->type, sizeof out->type, st, 1);
    store__copy_text(out->source_gene, sizeof out->source_gene, st, 2);
    store__copy_text(out->source_type, sizeof out->source_type, st, 3);
    store__copy_text(out->target_gene, sizeof out->target_gene, st, 4);
    store__copy_text(out->drugs, sizeof out->drugs, st, 5);
    out->source_cutoff = sqlite3_column_int(st, 6);
    out->target_escape_cutoff = sqlite3_column_int(st, 7);
    return GS_OK;
}

int store_tb_catalogue_rule_each(struct store *s, int64_t catalogue_id, store_tb_rule_fn fn,
                                 void *ctx, struct gs_err *err)
{
    static const char sql[] = "SELECT name, type, source_gene, source_type, target_gene, drugs,"
                              " source_cutoff, target_escape_cutoff FROM tb_catalogue_rule"
                              " WHERE catalogue_id = ?1 ORDER BY ord";
    struct walk w = {.fn.rule = fn, .ctx = ctx};
    return store__each(s, sql, bind_id, &catalogue_id, rule_row, sizeof(struct store_tb_rule),
                       NULL, visit_rule, &w, "catalogue rules", err);
}
