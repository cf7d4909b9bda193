/* store_sqlite.c — the embedded SQLite implementation of store.h.
 *
 * WAL journal, synchronous=NORMAL, foreign keys on, a busy timeout on every handle,
 * and prepared statements only (cached per connection, keyed by their SQL text).
 * It knows SQL and rows; it does not decide access or compute audit hashes. */
#include "store/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/migrations.h"
#include "store/sqlite_internal.h"

int store__db_error(struct store *s, struct gs_err *err, const char *what)
{
    int code = sqlite3_extended_errcode(s->db);
    int primary = code & 0xff;
    int gs = GS_EDB;
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
        gs = GS_ECONFLICT;
    else if (primary == SQLITE_CONSTRAINT)
        gs = GS_EINVAL;
    else if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
        gs = GS_ECORRUPT;
    return gs_err_set(err, gs, "%s: %s (%s)", what, sqlite3_errmsg(s->db), s->path);
}

int store__stmt_get(struct store *s, const char *sql, sqlite3_stmt **out, struct gs_err *err)
{
    for (int i = 0; i < s->nslots; i++) {
        if (s->slots[i].sql == sql) {
            sqlite3_reset(s->slots[i].stmt);
            sqlite3_clear_bindings(s->slots[i].stmt);
            *out = s->slots[i].stmt;
            return GS_OK;
        }
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        return store__db_error(s, err, "prepare");
    if (s->nslots < STMT_CACHE_MAX) {
        s->slots[s->nslots].sql = sql;
        s->slots[s->nslots].stmt = st;
        s->nslots++;
    } else {
        return gs_err_set(err, GS_EINTERNAL, "statement cache full");
    }
    *out = st;
    return GS_OK;
}

int store__stmt_exec(struct store *s, sqlite3_stmt *st, struct gs_err *err, const char *what)
{
    int rc = sqlite3_step(st);
    int result = rc == SQLITE_DONE ? GS_OK : store__db_error(s, err, what);
    sqlite3_reset(st);
    return result;
}

void store__copy_text(char *dst, size_t n, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, n, "%s", t ? (const char *)t : "");
}

int store__bind_text(sqlite3_stmt *st, int idx, const char *text)
{
    return sqlite3_bind_text(st, idx, text, -1, SQLITE_TRANSIENT);
}

int store__exec_sql(struct store *s, const char *sql, struct gs_err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int rc = gs_err_set(err, GS_EDB, "%s (%s)", msg ? msg : "sql error", s->path);
        sqlite3_free(msg);
        return rc;
    }
    return GS_OK;
}

static int store_migrate(struct store *s, struct gs_err *err)
{
    int version = 0;
    int rc = store_schema_version(s, &version, err);
    if (rc != GS_OK)
        return rc;
    if (version > store_migrations[store_migration_count - 1].version)
        return gs_err_set(err, GS_EDB, "%s has schema version %d, newer than this genoshare "
                          "(%d): upgrade genoshare", s->path, version,
                          store_migrations[store_migration_count - 1].version);
    for (int i = 0; i < store_migration_count; i++) {
        const struct migration *m = &store_migrations[i];
        if (m->version <= version)
            continue;
        if ((rc = store_begin(s, err)) != GS_OK)
            return rc;
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d;", m->version);
        if ((rc = store__exec_sql(s, m->sql, err)) != GS_OK || (rc = store__exec_sql(s, pragma, err)) != GS_OK) {
            store_rollback(s);
            return rc;
        }
        if ((rc = store_commit(s, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

int store_global_init(struct gs_err *err)
{
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        return gs_err_set(err, GS_EINTERNAL, "store: SQLite was already initialised (store_global_init "
                          "must run before any store is opened)");
    return GS_OK;
}

static int store_connect(const char *path, bool migrate, struct store **out, struct gs_err *err)
{
    struct store *s = calloc(1, sizeof *s);
    if (s == NULL)
        return gs_err_set(err, GS_ENOMEM, "store: out of memory");
    snprintf(s->path, sizeof s->path, "%s", path);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (migrate ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        int rc = gs_err_set(err, GS_EDB, "cannot open %s: %s", path,
                            s->db ? sqlite3_errmsg(s->db) : "out of memory");
        store_close(s);
        return rc;
    }
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    int rc = store__exec_sql(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                         "PRAGMA foreign_keys=ON; PRAGMA trusted_schema=OFF;", err);
    if (rc == GS_OK && migrate)
        rc = store_migrate(s, err);
    if (rc != GS_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return GS_OK;
}

int store_open(const char *path, struct store **out, struct gs_err *err)
{
    return store_connect(path, true, out, err);
}

int store_open_existing(const char *path, struct store **out, struct gs_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return gs_err_set(err, GS_ENOTFOUND, "no database at %s (create it with genoshare init)",
                          path);
    struct store *s = NULL;
    int rc = store_connect(path, false, &s, err);
    if (rc != GS_OK)
        return rc;
    int version = 0;
    if ((rc = store_schema_version(s, &version, err)) == GS_OK &&
        version != store_migrations[store_migration_count - 1].version)
        rc = gs_err_set(err, GS_EDB, "%s has schema version %d, expected %d: run genoshare "
                        "init --db %s to upgrade it", path, version,
                        store_migrations[store_migration_count - 1].version, path);
    if (rc != GS_OK) {
        store_close(s);
        return rc;
    }
    *out = s;
    return GS_OK;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    if (s->in_tx)
        store_rollback(s);
    for (int i = 0; i < s->nslots; i++)
        sqlite3_finalize(s->slots[i].stmt);
    sqlite3_close(s->db);
    free(s);
}

int store_schema_version(struct store *s, int *out, struct gs_err *err)
{
    static const char sql[] = "PRAGMA user_version";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW)
        return store__db_error(s, err, "schema version");
    *out = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return GS_OK;
}

int store_integrity_check(struct store *s, struct gs_err *err)
{
    static const char sql[] = "PRAGMA integrity_check";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    rc = GS_OK;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = store__db_error(s, err, "integrity check");
    else if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
        rc = gs_err_set(err, GS_ECORRUPT, "%s: %s", s->path, sqlite3_column_text(st, 0));
    sqlite3_reset(st);
    return rc;
}

int store_begin(struct store *s, struct gs_err *err)
{
    static const char sql[] = "BEGIN IMMEDIATE";
    if (s->in_tx)
        return gs_err_set(err, GS_EINTERNAL, "store: transaction already open");
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc == GS_OK && (rc = store__stmt_exec(s, st, err, "begin")) == GS_OK)
        s->in_tx = true;
    return rc;
}

int store_commit(struct store *s, struct gs_err *err)
{
    static const char sql[] = "COMMIT";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc == GS_OK)
        rc = store__stmt_exec(s, st, err, "commit");
    if (rc != GS_OK) {
        store_rollback(s);
        return rc;
    }
    s->in_tx = false;
    return GS_OK;
}

void store_rollback(struct store *s)
{
    if (sqlite3_get_autocommit(s->db) == 0)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = false;
}

/* ---- a row fetched by one integer or text key ---- */

int store__step_row(struct store *s, sqlite3_stmt *st, const char *what, struct gs_err *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return GS_OK;
    if (rc == SQLITE_DONE)
        return GS_ENOTFOUND; /* the caller names what was missing */
    return store__db_error(s, err, what);
}

int store__insert_id(struct store *s, sqlite3_stmt *st, int64_t *id_out, const char *what,
                     struct gs_err *err)
{
    int rc = store__stmt_exec(s, st, err, what);
    if (rc == GS_OK && id_out != NULL)
        *id_out = sqlite3_last_insert_rowid(s->db);
    return rc;
}

int store__fetch_one(struct store *s, const char *sql, const char *what, int64_t id,
                     const char *name, store__row_fn fill, void *out, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    if (name)
        store__bind_text(st, 1, name);
    else
        sqlite3_bind_int64(st, 1, id);
    rc = store__step_row(s, st, what, err);
    if (rc == GS_OK)
        rc = fill(st, out, err);
    else if (rc == GS_ENOTFOUND && name)
        gs_err_set(err, rc, "no %s named '%s'", what, name);
    else if (rc == GS_ENOTFOUND)
        gs_err_set(err, rc, "no %s with id %lld", what, (long long)id);
    sqlite3_reset(st);
    return rc;
}

int store__each(struct store *s, const char *sql, store__bind_fn bind, const void *params,
                store__row_fn fill, size_t row_size, void (*clear)(void *row),
                store__visit_fn fn, void *ctx, const char *what, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    if (bind != NULL && (rc = bind(st, params)) != SQLITE_OK)
        return store__db_error(s, err, what);
    void *row = calloc(1, row_size);
    if (row == NULL)
        return gs_err_set(err, GS_ENOMEM, "%s: out of memory", what);
    for (;;) {
        rc = store__step_row(s, st, what, err);
        if (rc != GS_OK)
            break;
        memset(row, 0, row_size);
        rc = fill(st, row, err);
        if (rc == GS_OK)
            rc = fn(ctx, row);
        if (clear != NULL)
            clear(row);
        if (rc != GS_OK)
            break;
    }
    free(row);
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- institutions ---- */

#define INSTITUTION_COLS "SELECT id, name, display_name, country FROM institution "

static int institution_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_institution *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    store__copy_text(out->name, sizeof out->name, st, 1);
    store__copy_text(out->display_name, sizeof out->display_name, st, 2);
    store__copy_text(out->country, sizeof out->country, st, 3);
    return GS_OK;
}

int store_institution_insert(struct store *s, const struct store_institution *in,
                             int64_t *id_out, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO institution(name, display_name, country, created_at)"
                              " VALUES (?1, ?2, ?3, strftime('%s','now'))";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, in->name);
    store__bind_text(st, 2, in->display_name);
    store__bind_text(st, 3, in->country);
    rc = store__insert_id(s, st, id_out, "institution", err);
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, GS_ECONFLICT, "institution '%s' already exists",
                                           in->name);
    return rc;
}

int store_institution_get(struct store *s, int64_t id, struct store_institution *out,
                          struct gs_err *err)
{
    static const char sql[] = INSTITUTION_COLS "WHERE id = ?1";
    return store__fetch_one(s, sql, "institution", id, NULL, institution_row, out, err);
}

int store_institution_by_name(struct store *s, const char *name, struct store_institution *out,
                              struct gs_err *err)
{
    static const char sql[] = INSTITUTION_COLS "WHERE name = ?1";
    return store__fetch_one(s, sql, "institution", 0, name, institution_row, out, err);
}

/* ---- users ---- */

#define USER_COLS "SELECT id, name, display_name, institution_id, roles, password_hash, " \
                  "disabled FROM user "

static int user_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_user *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    store__copy_text(out->name, sizeof out->name, st, 1);
    store__copy_text(out->display_name, sizeof out->display_name, st, 2);
    out->institution_id = sqlite3_column_int64(st, 3);
    out->roles = (unsigned)sqlite3_column_int(st, 4);
    store__copy_text(out->password_hash, sizeof out->password_hash, st, 5);
    out->disabled = sqlite3_column_int(st, 6) != 0;
    return GS_OK;
}

int store_user_insert(struct store *s, const struct store_user *in, int64_t *id_out,
                      struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO user(name, display_name, institution_id, roles, password_hash, disabled,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, strftime('%s','now'))";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, in->name);
    store__bind_text(st, 2, in->display_name);
    sqlite3_bind_int64(st, 3, in->institution_id);
    sqlite3_bind_int(st, 4, (int)in->roles);
    store__bind_text(st, 5, in->password_hash);
    sqlite3_bind_int(st, 6, in->disabled);
    rc = store__insert_id(s, st, id_out, "user", err);
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, GS_ECONFLICT, "user '%s' already exists", in->name);
    return rc;
}

int store_user_get(struct store *s, int64_t id, struct store_user *out, struct gs_err *err)
{
    static const char sql[] = USER_COLS "WHERE id = ?1";
    return store__fetch_one(s, sql, "user", id, NULL, user_row, out, err);
}

int store_user_by_name(struct store *s, const char *name, struct store_user *out,
                       struct gs_err *err)
{
    static const char sql[] = USER_COLS "WHERE name = ?1";
    return store__fetch_one(s, sql, "user", 0, name, user_row, out, err);
}

int store__update_one(struct store *s, sqlite3_stmt *st, const char *what, int64_t id,
                      struct gs_err *err)
{
    int rc = store__stmt_exec(s, st, err, what);
    if (rc == GS_OK && sqlite3_changes(s->db) == 0)
        rc = gs_err_set(err, GS_ENOTFOUND, "no %s with id %lld", what, (long long)id);
    return rc;
}

int store_user_set_password(struct store *s, int64_t id, const char *password_hash,
                            struct gs_err *err)
{
    static const char sql[] = "UPDATE user SET password_hash = ?2 WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    store__bind_text(st, 2, password_hash);
    return store__update_one(s, st, "user", id, err);
}

int store_user_set_roles(struct store *s, int64_t id, unsigned roles, struct gs_err *err)
{
    static const char sql[] = "UPDATE user SET roles = ?2 WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, (int)roles);
    return store__update_one(s, st, "user", id, err);
}

/* ---- consortia ---- */

static int consortium_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_consortium *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    store__copy_text(out->name, sizeof out->name, st, 1);
    store__copy_text(out->title, sizeof out->title, st, 2);
    return GS_OK;
}

int store_consortium_insert(struct store *s, const struct store_consortium *in, int64_t *id_out,
                            struct gs_err *err)
{
    static const char sql[] = "INSERT INTO consortium(name, title, created_at)"
                              " VALUES (?1, ?2, strftime('%s','now'))";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, in->name);
    store__bind_text(st, 2, in->title);
    rc = store__insert_id(s, st, id_out, "consortium", err);
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, rc, "consortium '%s' already exists", in->name);
    return rc;
}

int store_consortium_get(struct store *s, int64_t id, struct store_consortium *out,
                         struct gs_err *err)
{
    static const char sql[] = "SELECT id, name, title FROM consortium WHERE id = ?1";
    return store__fetch_one(s, sql, "consortium", id, NULL, consortium_row, out, err);
}

int store_consortium_by_name(struct store *s, const char *name, struct store_consortium *out,
                             struct gs_err *err)
{
    static const char sql[] = "SELECT id, name, title FROM consortium WHERE name = ?1";
    return store__fetch_one(s, sql, "consortium", 0, name, consortium_row, out, err);
}

static int consortium_join(struct store *s, const char *sql, int64_t consortium_id,
                           int64_t member_id, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, consortium_id);
    sqlite3_bind_int64(st, 2, member_id);
    rc = store__stmt_exec(s, st, err, "consortium membership");
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, rc, "already a member of that consortium");
    return rc;
}

int store_consortium_add_institution(struct store *s, int64_t consortium_id,
                                     int64_t institution_id, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO consortium_institution(consortium_id, institution_id,"
                              " joined_at) VALUES (?1, ?2, strftime('%s','now'))";
    return consortium_join(s, sql, consortium_id, institution_id, err);
}

int store_consortium_add_user(struct store *s, int64_t consortium_id, int64_t user_id,
                              struct gs_err *err)
{
    static const char sql[] = "INSERT INTO consortium_user(consortium_id, user_id, joined_at)"
                              " VALUES (?1, ?2, strftime('%s','now'))";
    return consortium_join(s, sql, consortium_id, user_id, err);
}

int store_consortium_has_member(struct store *s, int64_t consortium_id, int64_t user_id,
                                bool *out, struct gs_err *err)
{
    static const char sql[] =
        "SELECT EXISTS (SELECT 1 FROM consortium_user WHERE consortium_id = ?1 AND user_id = ?2)"
        " OR EXISTS (SELECT 1 FROM consortium_institution ci JOIN user u"
        "  ON u.institution_id = ci.institution_id WHERE ci.consortium_id = ?1 AND u.id = ?2)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, consortium_id);
    sqlite3_bind_int64(st, 2, user_id);
    rc = store__step_row(s, st, "consortium membership", err);
    if (rc == GS_OK)
        *out = sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    return rc;
}

/* ---- datasets ---- */

#define DATASET_COLS                                                                        \
    "SELECT d.id, d.name, d.title, d.tier, d.data_type, d.institution_id,"                  \
    " coalesce(d.consortium_id, 0), (SELECT count(*) FROM record r WHERE r.dataset_id = d.id)" \
    " FROM dataset d "

static int dataset_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    struct store_dataset *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    store__copy_text(out->name, sizeof out->name, st, 1);
    store__copy_text(out->title, sizeof out->title, st, 2);
    int rc = tier_parse((const char *)sqlite3_column_text(st, 3), &out->tier, err);
    if (rc == GS_OK)
        rc = data_type_parse((const char *)sqlite3_column_text(st, 4), &out->data_type, err);
    out->institution_id = sqlite3_column_int64(st, 5);
    out->consortium_id = sqlite3_column_int64(st, 6);
    out->records = sqlite3_column_int64(st, 7);
    return rc == GS_OK ? GS_OK : GS_ECORRUPT;
}

int store_dataset_insert(struct store *s, const struct store_dataset *in, int64_t *id_out,
                         struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO dataset(name, title, tier, data_type, institution_id, consortium_id,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, nullif(?6, 0), strftime('%s','now'))";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, in->name);
    store__bind_text(st, 2, in->title);
    store__bind_text(st, 3, tier_name(in->tier));
    store__bind_text(st, 4, data_type_name(in->data_type));
    sqlite3_bind_int64(st, 5, in->institution_id);
    sqlite3_bind_int64(st, 6, in->consortium_id);
    rc = store__insert_id(s, st, id_out, "dataset", err);
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, rc, "dataset '%s' already exists", in->name);
    return rc;
}

int store_dataset_get(struct store *s, int64_t id, struct store_dataset *out, struct gs_err *err)
{
    static const char sql[] = DATASET_COLS "WHERE d.id = ?1";
    return store__fetch_one(s, sql, "dataset", id, NULL, dataset_row, out, err);
}

int store_dataset_by_name(struct store *s, const char *name, struct store_dataset *out,
                          struct gs_err *err)
{
    static const char sql[] = DATASET_COLS "WHERE d.name = ?1";
    return store__fetch_one(s, sql, "dataset", 0, name, dataset_row, out, err);
}

int store_dataset_each(struct store *s, store_dataset_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] = DATASET_COLS "ORDER BY d.name";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    for (;;) {
        rc = store__step_row(s, st, "dataset list", err);
        if (rc != GS_OK)
            break;
        struct store_dataset d;
        if ((rc = dataset_row(st, &d, err)) != GS_OK || (rc = fn(ctx, &d)) != 0)
            break;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- records ---- */

int store_record_insert(struct store *s, const struct store_record *in, int64_t *id_out,
                        struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO record(dataset_id, institution_id, scope, label, content, created_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, strftime('%s','now'))";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->dataset_id);
    sqlite3_bind_int64(st, 2, in->institution_id);
    store__bind_text(st, 3, scope_name(in->scope));
    store__bind_text(st, 4, in->label);
    store__bind_text(st, 5, in->content ? in->content : "{}");
    return store__insert_id(s, st, id_out, "record", err);
}

static int record_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    struct store_record *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    out->dataset_id = sqlite3_column_int64(st, 1);
    out->institution_id = sqlite3_column_int64(st, 2);
    int rc = scope_parse((const char *)sqlite3_column_text(st, 3), &out->scope, err);
    store__copy_text(out->label, sizeof out->label, st, 4);
    out->created_at = (time_t)sqlite3_column_int64(st, 6);
    const char *content = (const char *)sqlite3_column_text(st, 5);
    out->content = strdup(content ? content : "{}");
    if (out->content == NULL)
        return gs_err_set(err, GS_ENOMEM, "record: out of memory");
    return rc == GS_OK ? GS_OK : GS_ECORRUPT;
}

int store_record_get(struct store *s, int64_t id, struct store_record *out, struct gs_err *err)
{
    static const char sql[] = "SELECT id, dataset_id, institution_id, scope, label, content,"
                              " created_at FROM record WHERE id = ?1";
    memset(out, 0, sizeof *out);
    return store__fetch_one(s, sql, "record", id, NULL, record_row, out, err);
}

void store_record_clear(struct store_record *r)
{
    free(r->content);
    r->content = NULL;
}

/* ---- tokens and sessions ---- */

int store_token_insert(struct store *s, const struct store_token *in, const char *secret_hash,
                       int64_t *id_out, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO api_token(user_id, name, secret_hash, created_at,"
                              " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->user_id);
    store__bind_text(st, 2, in->name);
    store__bind_text(st, 3, secret_hash);
    sqlite3_bind_int64(st, 4, in->created_at);
    sqlite3_bind_int64(st, 5, in->expires_at);
    return store__insert_id(s, st, id_out, "token", err);
}

static int token_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_token *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    out->user_id = sqlite3_column_int64(st, 1);
    store__copy_text(out->name, sizeof out->name, st, 2);
    out->created_at = (time_t)sqlite3_column_int64(st, 3);
    out->expires_at = (time_t)sqlite3_column_int64(st, 4);
    out->revoked_at = (time_t)sqlite3_column_int64(st, 5);
    return GS_OK;
}

int store_token_by_hash(struct store *s, const char *secret_hash, struct store_token *out,
                        struct gs_err *err)
{
    static const char sql[] = "SELECT id, user_id, name, created_at, expires_at, revoked_at"
                              " FROM api_token WHERE secret_hash = ?1";
    return store__fetch_one(s, sql, "token", 0, secret_hash, token_row, out, err);
}

int store_token_get(struct store *s, int64_t id, struct store_token *out, struct gs_err *err)
{
    static const char sql[] = "SELECT id, user_id, name, created_at, expires_at, revoked_at"
                              " FROM api_token WHERE id = ?1";
    return store__fetch_one(s, sql, "token", id, NULL, token_row, out, err);
}

int store_token_revoke(struct store *s, int64_t id, time_t at, struct gs_err *err)
{
    static const char sql[] = "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1"
                              " AND revoked_at = 0";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    return store__update_one(s, st, "unrevoked token", id, err);
}

int store_session_insert(struct store *s, const struct store_session *in,
                         const char *secret_hash, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO session(user_id, secret_hash, csrf_token, created_at,"
                              " expires_at) VALUES (?1, ?2, ?3, strftime('%s','now'), ?4)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->user_id);
    store__bind_text(st, 2, secret_hash);
    store__bind_text(st, 3, in->csrf_token);
    sqlite3_bind_int64(st, 4, in->expires_at);
    return store__stmt_exec(s, st, err, "session");
}

static int session_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_session *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    out->user_id = sqlite3_column_int64(st, 1);
    store__copy_text(out->csrf_token, sizeof out->csrf_token, st, 2);
    out->expires_at = (time_t)sqlite3_column_int64(st, 3);
    return GS_OK;
}

int store_session_by_hash(struct store *s, const char *secret_hash, struct store_session *out,
                          struct gs_err *err)
{
    static const char sql[] = "SELECT id, user_id, csrf_token, expires_at FROM session"
                              " WHERE secret_hash = ?1";
    return store__fetch_one(s, sql, "session", 0, secret_hash, session_row, out, err);
}

int store_session_delete(struct store *s, int64_t id, struct gs_err *err)
{
    static const char sql[] = "DELETE FROM session WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return store__stmt_exec(s, st, err, "session");
}

/* ---- grants ---- */

int store_grant_insert(struct store *s, const struct store_grant *in, int64_t *id_out,
                       struct gs_err *err)
{
    static const char sql[] = "INSERT INTO access_grant(dataset_id, user_id, created_at,"
                              " expires_at, starts_at) VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->dataset_id);
    sqlite3_bind_int64(st, 2, in->user_id);
    sqlite3_bind_int64(st, 3, in->created_at);
    sqlite3_bind_int64(st, 4, in->expires_at);
    sqlite3_bind_int64(st, 5, in->starts_at);
    return store__insert_id(s, st, id_out, "grant", err);
}

static int grant_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_grant *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    out->dataset_id = sqlite3_column_int64(st, 1);
    out->user_id = sqlite3_column_int64(st, 2);
    out->created_at = (time_t)sqlite3_column_int64(st, 3);
    out->expires_at = (time_t)sqlite3_column_int64(st, 4);
    out->revoked_at = (time_t)sqlite3_column_int64(st, 5);
    out->starts_at = (time_t)sqlite3_column_int64(st, 6);
    store__copy_text(out->source, sizeof out->source, st, 7);
    return GS_OK;
}

int store_grant_get(struct store *s, int64_t id, struct store_grant *out, struct gs_err *err)
{
    static const char sql[] = "SELECT id, dataset_id, user_id, created_at, expires_at,"
                              " revoked_at, starts_at, source FROM access_grant WHERE id = ?1";
    return store__fetch_one(s, sql, "grant", id, NULL, grant_row, out, err);
}

int store_grant_revoke(struct store *s, int64_t id, time_t at, struct gs_err *err)
{
    static const char sql[] = "UPDATE access_grant SET revoked_at = ?2 WHERE id = ?1"
                              " AND revoked_at = 0";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, at);
    return store__update_one(s, st, "unrevoked grant", id, err);
}

int store_grant_active(struct store *s, int64_t dataset_id, int64_t user_id, time_t now,
                       bool *out, struct gs_err *err)
{
    static const char sql[] = "SELECT EXISTS (SELECT 1 FROM access_grant WHERE dataset_id = ?1"
                              " AND user_id = ?2 AND revoked_at = 0 AND starts_at <= ?3"
                              " AND expires_at > ?3)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset_id);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, now);
    rc = store__step_row(s, st, "grant", err);
    if (rc == GS_OK)
        *out = sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    return rc;
}

/* ---- failed logins ---- */

int store_login_failure_add(struct store *s, const char *key, time_t at, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO login_failure(key, at) VALUES (?1, ?2)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, at);
    return store__stmt_exec(s, st, err, "login failure");
}

int store_login_failure_count(struct store *s, const char *key, time_t since, int *out,
                              struct gs_err *err)
{
    static const char sql[] = "SELECT count(*) FROM login_failure WHERE key = ?1 AND at >= ?2";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, since);
    rc = store__step_row(s, st, "login failures", err);
    if (rc == GS_OK)
        *out = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    return rc;
}

int store_login_failure_clear(struct store *s, const char *key, struct gs_err *err)
{
    static const char sql[] = "DELETE FROM login_failure WHERE key = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, key);
    return store__stmt_exec(s, st, err, "login failure");
}

/* ---- audit ---- */

static int audit_pair(struct store *s, const char *sql, int64_t *seq, char hash[STORE_HASH_MAX],
                      struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    rc = store__step_row(s, st, "audit", err);
    *seq = 0;
    hash[0] = '\0';
    if (rc == GS_OK) {
        *seq = sqlite3_column_int64(st, 0);
        store__copy_text(hash, STORE_HASH_MAX, st, 1);
    } else if (rc == GS_ENOTFOUND) {
        rc = GS_OK;
    }
    sqlite3_reset(st);
    return rc;
}

int store_audit_last(struct store *s, int64_t *seq, char hash[STORE_HASH_MAX],
                     struct gs_err *err)
{
    static const char sql[] = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
    return audit_pair(s, sql, seq, hash, err);
}

int store_audit_head(struct store *s, int64_t *seq, char hash[STORE_HASH_MAX],
                     struct gs_err *err)
{
    static const char sql[] = "SELECT seq, hash FROM audit_head WHERE id = 1";
    return audit_pair(s, sql, seq, hash, err);
}

int store_audit_append(struct store *s, const struct store_audit_row *row, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO audit(seq, at, actor, action, object, detail, origin,"
                              " prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    static const char head[] = "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, row->seq);
    sqlite3_bind_int64(st, 2, row->at);
    store__bind_text(st, 3, row->actor);
    store__bind_text(st, 4, row->action);
    store__bind_text(st, 5, row->object);
    store__bind_text(st, 6, row->detail);
    store__bind_text(st, 7, row->origin);
    store__bind_text(st, 8, row->prev_hash);
    store__bind_text(st, 9, row->hash);
    if ((rc = store__stmt_exec(s, st, err, "audit")) != GS_OK)
        return rc;
    if ((rc = store__stmt_get(s, head, &st, err)) != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, row->seq);
    store__bind_text(st, 2, row->hash);
    return store__stmt_exec(s, st, err, "audit head");
}

int store_audit_each(struct store *s, int64_t after, store_audit_fn fn, void *ctx,
                     struct gs_err *err)
{
    static const char sql[] = "SELECT seq, at, actor, action, object, detail, origin, prev_hash,"
                              " hash FROM audit WHERE seq > ?1 ORDER BY seq";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, after);
    struct store_audit_row *row = malloc(sizeof *row);
    if (row == NULL)
        return gs_err_set(err, GS_ENOMEM, "audit: out of memory");
    for (;;) {
        rc = store__step_row(s, st, "audit", err);
        if (rc != GS_OK)
            break;
        row->seq = sqlite3_column_int64(st, 0);
        row->at = (time_t)sqlite3_column_int64(st, 1);
        store__copy_text(row->actor, sizeof row->actor, st, 2);
        store__copy_text(row->action, sizeof row->action, st, 3);
        store__copy_text(row->object, sizeof row->object, st, 4);
        store__copy_text(row->detail, sizeof row->detail, st, 5);
        store__copy_text(row->origin, sizeof row->origin, st, 6);
        store__copy_text(row->prev_hash, sizeof row->prev_hash, st, 7);
        store__copy_text(row->hash, sizeof row->hash, st, 8);
        if ((rc = fn(ctx, row)) != 0)
            break;
    }
    free(row);
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}
