/* sqlite_mme.c — the SQLite side of store_mme.h: MME peers and the log of exchanges. */
#include "store/store_mme.h"

#include <string.h>

#include "store/sqlite_internal.h"

/* v9. Names are unique, and so are token hashes (a token identifies exactly one peer). */
const char store__schema_mme[] =
    "CREATE TABLE mme_peer ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE,"
    " url TEXT NOT NULL,"
    " scope TEXT NOT NULL CHECK (scope IN ('domestic', 'international')),"
    " token_hash TEXT NOT NULL UNIQUE,"
    " their_token TEXT NOT NULL DEFAULT '',"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL);"
    "CREATE TABLE mme_exchange ("
    " id INTEGER PRIMARY KEY,"
    " peer TEXT NOT NULL,"
    " direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
    " at INTEGER NOT NULL,"
    " case_id INTEGER NOT NULL DEFAULT 0,"
    " results INTEGER NOT NULL DEFAULT 0,"
    " status TEXT NOT NULL);"
    "CREATE INDEX mme_exchange_direction ON mme_exchange (direction, at);";

#define PEER_COLS "SELECT id, name, url, scope, token_hash, their_token, disabled, created_at " \
                  "FROM mme_peer "

static int peer_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_mme_peer *p = dst;
    memset(p, 0, sizeof *p);
    p->id = sqlite3_column_int64(st, 0);
    store__copy_text(p->name, sizeof p->name, st, 1);
    store__copy_text(p->url, sizeof p->url, st, 2);
    const unsigned char *scope = sqlite3_column_text(st, 3);
    p->scope = scope && strcmp((const char *)scope, "domestic") == 0 ? SCOPE_DOMESTIC
                                                                      : SCOPE_INTERNATIONAL;
    store__copy_text(p->token_hash, sizeof p->token_hash, st, 4);
    store__copy_text(p->their_token, sizeof p->their_token, st, 5);
    p->disabled = sqlite3_column_int(st, 6) != 0;
    p->created_at = (time_t)sqlite3_column_int64(st, 7);
    return GS_OK;
}

int store_mme_peer_insert(struct store *s, const struct store_mme_peer *in, int64_t *id_out,
                          struct gs_err *err)
{
    static const char sql[] = "INSERT INTO mme_peer (name, url, scope, token_hash, their_token,"
                              " disabled, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, in->name);
    store__bind_text(st, 2, in->url);
    store__bind_text(st, 3, scope_name(in->scope));
    store__bind_text(st, 4, in->token_hash);
    store__bind_text(st, 5, in->their_token);
    sqlite3_bind_int(st, 6, in->disabled ? 1 : 0);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)in->created_at);
    rc = store__insert_id(s, st, id_out, "MME peer", err);
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, GS_ECONFLICT, "an MME peer named '%s' (or with "
                                           "that token) already exists", in->name);
    return rc;
}

int store_mme_peer_by_name(struct store *s, const char *name, struct store_mme_peer *out,
                           struct gs_err *err)
{
    static const char sql[] = PEER_COLS "WHERE name = ?1";
    return store__fetch_one(s, sql, "MME peer", 0, name, peer_row, out, err);
}

int store_mme_peer_by_token_hash(struct store *s, const char *hash, struct store_mme_peer *out,
                                 struct gs_err *err)
{
    static const char sql[] = PEER_COLS "WHERE token_hash = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, hash);
    rc = store__step_row(s, st, "MME peer", err);
    if (rc == GS_OK)
        rc = peer_row(st, out, err);
    sqlite3_reset(st);
    return rc;
}

int store_mme_peer_update(struct store *s, const struct store_mme_peer *in, struct gs_err *err)
{
    static const char sql[] = "UPDATE mme_peer SET url = ?2, scope = ?3, their_token = ?4,"
                              " disabled = ?5 WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->id);
    store__bind_text(st, 2, in->url);
    store__bind_text(st, 3, scope_name(in->scope));
    store__bind_text(st, 4, in->their_token);
    sqlite3_bind_int(st, 5, in->disabled ? 1 : 0);
    return store__update_one(s, st, "MME peer", in->id, err);
}

int store_mme_peer_delete(struct store *s, int64_t id, struct gs_err *err)
{
    static const char sql[] = "DELETE FROM mme_peer WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return store__update_one(s, st, "MME peer", id, err);
}

struct peer_walk {
    store_mme_peer_fn fn;
    void *ctx;
};

static int peer_visit(void *ctx, const void *row)
{
    const struct peer_walk *w = ctx;
    return w->fn(w->ctx, row);
}

int store_mme_peer_each(struct store *s, store_mme_peer_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] = PEER_COLS "ORDER BY name";
    struct peer_walk w = {fn, ctx};
    return store__each(s, sql, NULL, NULL, peer_row, sizeof(struct store_mme_peer), NULL,
                       peer_visit, &w, "MME peers", err);
}

int store_mme_exchange_insert(struct store *s, const struct store_mme_exchange *x,
                              struct gs_err *err)
{
    static const char sql[] = "INSERT INTO mme_exchange (peer, direction, at, case_id, results,"
                              " status) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, x->peer);
    store__bind_text(st, 2, x->direction == MME_INBOUND ? "in" : "out");
    sqlite3_bind_int64(st, 3, (sqlite3_int64)x->at);
    sqlite3_bind_int64(st, 4, x->case_id);
    sqlite3_bind_int(st, 5, x->results);
    store__bind_text(st, 6, x->status);
    return store__insert_id(s, st, NULL, "MME exchange", err);
}

int store_mme_exchange_totals(struct store *s, int64_t *requests, int64_t *results,
                              struct gs_err *err)
{
    static const char sql[] = "SELECT count(*), coalesce(sum(results), 0) FROM mme_exchange"
                              " WHERE direction = 'in'";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    rc = store__step_row(s, st, "MME exchanges", err);
    if (rc == GS_OK) {
        *requests = sqlite3_column_int64(st, 0);
        *results = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    return rc;
}
