/* sqlite_passport.c — the SQLite side of store_passport.h and its schema step (v4).
 * Trusted issuers, subject links, the value-prefix setting, and accepted visas written
 * together with their access_grant row (source 'passport'). Only rows, no decisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"
#include "store/store_passport.h"

/* Schema v4. access_grant gains a source so a committee's grant and a passport's can be
 * told apart (the access decision reads neither: a grant is a grant until it expires). */
const char store__schema_passport[] =
    "ALTER TABLE access_grant ADD COLUMN source TEXT NOT NULL DEFAULT 'dac';"
    "CREATE TABLE passport_issuer ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  iss TEXT NOT NULL UNIQUE,"
    "  jwks TEXT NOT NULL,"
    "  sources TEXT NOT NULL DEFAULT '',"
    "  by_allowed TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE passport_link ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  iss TEXT NOT NULL,"
    "  sub TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (iss, sub));"
    "CREATE TABLE passport_setting ("
    "  key TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL);"
    "CREATE TABLE passport_visa ("
    "  id INTEGER PRIMARY KEY,"
    "  grant_id INTEGER NOT NULL REFERENCES access_grant(id),"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  iss TEXT NOT NULL,"
    "  sub TEXT NOT NULL,"
    "  jti TEXT NOT NULL,"
    "  value TEXT NOT NULL,"
    "  source TEXT NOT NULL,"
    "  by TEXT NOT NULL,"
    "  asserted INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  presented_at INTEGER NOT NULL);";

/* ---- issuers ---- */

#define ISSUER_COLS "SELECT id, name, iss, jwks, sources, by_allowed, created_at" \
                    " FROM passport_issuer "

void store_passport_issuer_clear(struct store_passport_issuer *i)
{
    free(i->jwks);
    i->jwks = NULL;
}

static int issuer_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    struct store_passport_issuer *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    store__copy_text(out->name, sizeof out->name, st, 1);
    store__copy_text(out->iss, sizeof out->iss, st, 2);
    const char *jwks = (const char *)sqlite3_column_text(st, 3);
    store__copy_text(out->sources, sizeof out->sources, st, 4);
    store__copy_text(out->by_allowed, sizeof out->by_allowed, st, 5);
    out->created_at = (time_t)sqlite3_column_int64(st, 6);
    out->jwks = strdup(jwks ? jwks : "");
    if (out->jwks == NULL)
        return gs_err_set(err, GS_ENOMEM, "passport issuer: out of memory");
    return GS_OK;
}

int store_passport_issuer_insert(struct store *s, const struct store_passport_issuer *in,
                                 int64_t *id_out, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO passport_issuer(name, iss, jwks, sources, by_allowed,"
                              " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, in->name);
    store__bind_text(st, 2, in->iss);
    store__bind_text(st, 3, in->jwks ? in->jwks : "");
    store__bind_text(st, 4, in->sources);
    store__bind_text(st, 5, in->by_allowed);
    sqlite3_bind_int64(st, 6, in->created_at);
    rc = store__insert_id(s, st, id_out, "passport issuer", err);
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, rc, "a passport issuer named '%s' or with iss "
                                           "'%s' already exists", in->name, in->iss);
    return rc;
}

int store_passport_issuer_by_iss(struct store *s, const char *iss,
                                 struct store_passport_issuer *out, struct gs_err *err)
{
    static const char sql[] = ISSUER_COLS "WHERE iss = ?1";
    memset(out, 0, sizeof *out);
    return store__fetch_one(s, sql, "trusted passport issuer", 0, iss, issuer_row, out, err);
}

int store_passport_issuer_by_name(struct store *s, const char *name,
                                  struct store_passport_issuer *out, struct gs_err *err)
{
    static const char sql[] = ISSUER_COLS "WHERE name = ?1";
    memset(out, 0, sizeof *out);
    return store__fetch_one(s, sql, "passport issuer", 0, name, issuer_row, out, err);
}

int store_passport_issuer_delete(struct store *s, const char *name, struct gs_err *err)
{
    static const char sql[] = "DELETE FROM passport_issuer WHERE name = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, name);
    rc = store__stmt_exec(s, st, err, "passport issuer");
    if (rc == GS_OK && sqlite3_changes(s->db) == 0)
        rc = gs_err_set(err, GS_ENOTFOUND, "no passport issuer named '%s'", name);
    return rc;
}

static void issuer_clear(void *row)
{
    store_passport_issuer_clear(row);
}

struct issuer_walk {
    store_passport_issuer_fn fn;
    void *ctx;
};

static int issuer_visit(void *ctx, const void *row)
{
    const struct issuer_walk *w = ctx;
    return w->fn(w->ctx, row);
}

int store_passport_issuer_each(struct store *s, store_passport_issuer_fn fn, void *ctx,
                               struct gs_err *err)
{
    static const char sql[] = ISSUER_COLS "ORDER BY name";
    struct issuer_walk w = {fn, ctx};
    return store__each(s, sql, NULL, NULL, issuer_row, sizeof(struct store_passport_issuer),
                       issuer_clear, issuer_visit, &w, "passport issuers", err);
}

/* ---- links ---- */

int store_passport_link_insert(struct store *s, int64_t user_id, const char *iss, const char *sub,
                               time_t at, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO passport_link(user_id, iss, sub, created_at)"
                              " VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, user_id);
    store__bind_text(st, 2, iss);
    store__bind_text(st, 3, sub);
    sqlite3_bind_int64(st, 4, at);
    rc = store__stmt_exec(s, st, err, "passport link");
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, rc, "subject '%s' of %s is already linked", sub,
                                           iss);
    return rc;
}

int store_passport_link_user(struct store *s, const char *iss, const char *sub, int64_t *user_id,
                             struct gs_err *err)
{
    static const char sql[] = "SELECT user_id FROM passport_link WHERE iss = ?1 AND sub = ?2";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, iss);
    store__bind_text(st, 2, sub);
    rc = store__step_row(s, st, "passport link", err);
    if (rc == GS_OK)
        *user_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc;
}

/* ---- settings ---- */

int store_passport_prefix_get(struct store *s, const char *dflt, char out[STORE_URL_MAX],
                              struct gs_err *err)
{
    static const char sql[] = "SELECT value FROM passport_setting WHERE key = 'value_prefix'";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    rc = store__step_row(s, st, "passport setting", err);
    if (rc == GS_OK)
        store__copy_text(out, STORE_URL_MAX, st, 0);
    else if (rc == GS_ENOTFOUND)
        snprintf(out, STORE_URL_MAX, "%s", dflt), rc = GS_OK;
    sqlite3_reset(st);
    return rc;
}

int store_passport_prefix_set(struct store *s, const char *prefix, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO passport_setting(key, value) VALUES"
                              " ('value_prefix', ?1) ON CONFLICT(key) DO UPDATE SET value = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, prefix);
    return store__stmt_exec(s, st, err, "passport setting");
}

/* ---- accepted visas ---- */

int store_passport_visa_grant(struct store *s, const struct store_passport_visa *v,
                              int64_t *grant_id_out, struct gs_err *err)
{
    static const char grant_sql[] = "INSERT INTO access_grant(dataset_id, user_id, created_at,"
                                    " expires_at, source) VALUES (?1, ?2, ?3, ?4, 'passport')";
    static const char visa_sql[] =
        "INSERT INTO passport_visa(grant_id, user_id, token_hash, iss, sub, jti, value, source,"
        " by, asserted, expires_at, presented_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    sqlite3_stmt *st;
    int64_t grant_id = 0;
    int rc = store__stmt_get(s, grant_sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, v->dataset_id);
    sqlite3_bind_int64(st, 2, v->user_id);
    sqlite3_bind_int64(st, 3, v->presented_at);
    sqlite3_bind_int64(st, 4, v->expires_at);
    if ((rc = store__insert_id(s, st, &grant_id, "grant", err)) != GS_OK ||
        (rc = store__stmt_get(s, visa_sql, &st, err)) != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, grant_id);
    sqlite3_bind_int64(st, 2, v->user_id);
    store__bind_text(st, 3, v->token_hash);
    store__bind_text(st, 4, v->iss);
    store__bind_text(st, 5, v->sub);
    store__bind_text(st, 6, v->jti);
    store__bind_text(st, 7, v->value);
    store__bind_text(st, 8, v->source);
    store__bind_text(st, 9, v->by);
    sqlite3_bind_int64(st, 10, v->asserted);
    sqlite3_bind_int64(st, 11, v->expires_at);
    sqlite3_bind_int64(st, 12, v->presented_at);
    rc = store__insert_id(s, st, NULL, "passport visa", err);
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, rc, "this visa was recorded before");
    if (rc == GS_OK && grant_id_out != NULL)
        *grant_id_out = grant_id;
    return rc;
}

int store_passport_visa_find(struct store *s, const char *token_hash, int64_t *grant_id,
                             struct gs_err *err)
{
    static const char sql[] = "SELECT grant_id FROM passport_visa WHERE token_hash = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, token_hash);
    rc = store__step_row(s, st, "passport visa", err);
    if (rc == GS_OK)
        *grant_id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc;
}

int store_passport_grant_source(struct store *s, int64_t grant_id, char out[16],
                                struct gs_err *err)
{
    static const char sql[] = "SELECT source FROM access_grant WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, grant_id);
    rc = store__step_row(s, st, "grant", err);
    if (rc == GS_OK)
        store__copy_text(out, 16, st, 0);
    else if (rc == GS_ENOTFOUND)
        gs_err_set(err, rc, "no grant with id %lld", (long long)grant_id);
    sqlite3_reset(st);
    return rc;
}
