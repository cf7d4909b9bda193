/* sqlite_internal.h — what the SQLite store's files share (never included outside
 * src/store/): the connection struct and the statement helpers. Each domain keeps its
 * SQL in a file of its own (store_sqlite.c for the foundation, sqlite_<domain>.c for
 * capabilities), all behind the public store headers. Names with two underscores are
 * internal to the store. */
#ifndef GS_STORE_SQLITE_INTERNAL_H
#define GS_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>

#include "store/store.h"

#define STMT_CACHE_MAX 256
#define BUSY_TIMEOUT_MS 10000

struct stmt_slot {
    const char *sql; /* a string literal: its address is the key */
    sqlite3_stmt *stmt;
};

struct store {
    sqlite3 *db;
    char path[512];
    bool in_tx;
    int nslots;
    struct stmt_slot slots[STMT_CACHE_MAX];
};

/* Records the connection's last error as a GS_E* code (UNIQUE → GS_ECONFLICT, other
 * constraints → GS_EINVAL, corruption → GS_ECORRUPT, else GS_EDB) and returns it. */
int store__db_error(struct store *s, struct gs_err *err, const char *what);
/* A reset, unbound statement for sql (a string literal), prepared once per connection. */
int store__stmt_get(struct store *s, const char *sql, sqlite3_stmt **out, struct gs_err *err);
/* Steps a statement that returns no rows, then resets it. */
int store__stmt_exec(struct store *s, sqlite3_stmt *st, struct gs_err *err, const char *what);
/* Steps to the next row: GS_OK, GS_ENOTFOUND at the end (no message), or an error. */
int store__step_row(struct store *s, sqlite3_stmt *st, const char *what, struct gs_err *err);
/* Runs an INSERT and returns the new rowid in *id_out (may be NULL). */
int store__insert_id(struct store *s, sqlite3_stmt *st, int64_t *id_out, const char *what,
                     struct gs_err *err);
/* Runs an UPDATE/DELETE of one row; GS_ENOTFOUND "no WHAT with id N" when none changed. */
int store__update_one(struct store *s, sqlite3_stmt *st, const char *what, int64_t id,
                      struct gs_err *err);
/* Copies column col as text into dst (always NUL-terminated; NULL becomes ""). */
void store__copy_text(char *dst, size_t n, sqlite3_stmt *st, int col);
int store__bind_text(sqlite3_stmt *st, int idx, const char *text);
int store__exec_sql(struct store *s, const char *sql, struct gs_err *err);

/* Fetches the one row selected by ?1 = id (name NULL) or ?1 = name, filling out with
 * fill; GS_ENOTFOUND says "no WHAT named 'NAME'" or "no WHAT with id N". */
typedef int (*store__row_fn)(sqlite3_stmt *st, void *out, struct gs_err *err);
int store__fetch_one(struct store *s, const char *sql, const char *what, int64_t id,
                     const char *name, store__row_fn fill, void *out, struct gs_err *err);

/* Walks every row of sql (parameters bound by the caller on *st before the call is not
 * possible with the cache, so: bind through bind, may be NULL), calling fill into a
 * scratch struct of row_size bytes and then fn(ctx, row); fn's non-zero stops the walk
 * and is returned. */
typedef int (*store__bind_fn)(sqlite3_stmt *st, const void *params);
typedef int (*store__visit_fn)(void *ctx, const void *row);
int store__each(struct store *s, const char *sql, store__bind_fn bind, const void *params,
                store__row_fn fill, size_t row_size, void (*clear)(void *row),
                store__visit_fn fn, void *ctx, const char *what, struct gs_err *err);

#endif
