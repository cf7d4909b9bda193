/* sqlite_inbox.c — the SQLite side of store_inbox.h: match notifications and the inbox state
 * (schema v10). The state row's counter starts at the case versions already stored when the
 * step runs, so a store that had cases before the inbox existed does not announce them. */
#include "store/store_inbox.h"

#include <string.h>

#include "store/sqlite_internal.h"

/* v10. The default threshold is match/inbox.h's INBOX_THRESHOLD_DEFAULT (kept equal). */
const char store__schema_inbox[] =
    "CREATE TABLE inbox_notification ("
    "  id INTEGER PRIMARY KEY,"
    "  recipient_user_id INTEGER NOT NULL REFERENCES user(id),"
    "  case_id INTEGER NOT NULL REFERENCES patient_case(id),"
    "  other_case_id INTEGER NOT NULL REFERENCES patient_case(id),"
    "  score REAL NOT NULL,"
    "  summary TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  read_at INTEGER,"
    "  UNIQUE (recipient_user_id, case_id, other_case_id));"
    "CREATE INDEX inbox_notification_case ON inbox_notification(case_id);"
    "CREATE INDEX inbox_notification_other ON inbox_notification(other_case_id);"
    "CREATE TABLE inbox_state ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  processed INTEGER NOT NULL,"
    "  threshold REAL NOT NULL CHECK (threshold > 0));"
    "INSERT INTO inbox_state(id, processed, threshold)"
    "  SELECT 1, coalesce(max(rowid), 0), 2.0 FROM case_version;";

int store_inbox_state(struct store *s, int64_t *processed, double *threshold, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, "SELECT processed, threshold FROM inbox_state WHERE id = 1", &st,
                             err);
    if (rc != GS_OK)
        return rc;
    rc = store__step_row(s, st, "inbox state", err);
    if (rc == GS_OK) {
        *processed = sqlite3_column_int64(st, 0);
        *threshold = sqlite3_column_double(st, 1);
    } else if (rc == GS_ENOTFOUND) {
        rc = gs_err_set(err, GS_ECORRUPT, "the inbox state row is missing");
    }
    sqlite3_reset(st);
    return rc;
}

/* Runs sql (a literal) with ?1 bound to value. */
static int exec_with(struct store *s, const char *sql, int64_t value, const char *what,
                     struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, value);
    return store__stmt_exec(s, st, err, what);
}

int store_inbox_set_processed(struct store *s, int64_t processed, struct gs_err *err)
{
    return exec_with(s, "UPDATE inbox_state SET processed = ?1 WHERE id = 1", processed,
                     "inbox state", err);
}

int store_inbox_set_threshold(struct store *s, double threshold, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, "UPDATE inbox_state SET threshold = ?1 WHERE id = 1", &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_double(st, 1, threshold);
    return store__stmt_exec(s, st, err, "inbox threshold");
}

int store_inbox_forget_case(struct store *s, int64_t case_id, struct gs_err *err)
{
    return exec_with(s, "DELETE FROM inbox_notification WHERE case_id = ?1 OR other_case_id = ?1",
                     case_id, "notifications", err);
}

int store_inbox_insert(struct store *s, const struct store_inbox_item *in, struct gs_err *err)
{
    static const char sql[] =
        "INSERT OR REPLACE INTO inbox_notification(recipient_user_id, case_id, other_case_id,"
        " score, summary, created_at, read_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->recipient_user_id);
    sqlite3_bind_int64(st, 2, in->case_id);
    sqlite3_bind_int64(st, 3, in->other_case_id);
    sqlite3_bind_double(st, 4, in->score);
    store__bind_text(st, 5, in->summary ? in->summary : "{}");
    sqlite3_bind_int64(st, 6, in->created_at);
    return store__stmt_exec(s, st, err, "notification");
}

int store_inbox_mark_read(struct store *s, int64_t id, int64_t user_id, time_t at,
                          struct gs_err *err)
{
    static const char sql[] =
        "UPDATE inbox_notification SET read_at = coalesce(read_at, ?3)"
        " WHERE id = ?1 AND recipient_user_id = ?2";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, at);
    if ((rc = store__stmt_exec(s, st, err, "notification")) != GS_OK)
        return rc;
    if (sqlite3_changes(s->db) == 0)
        return gs_err_set(err, GS_ENOTFOUND, "no notification with id %lld", (long long)id);
    return GS_OK;
}

#define ITEM_COLS                                                                          \
    "SELECT n.id, n.recipient_user_id, n.case_id, n.other_case_id, n.score, n.summary,"    \
    " n.created_at, coalesce(n.read_at, 0), c.label, o.label, o.dataset_id,"              \
    " o.institution_id, o.scope FROM inbox_notification n"                                 \
    " JOIN patient_case c ON c.id = n.case_id JOIN patient_case o ON o.id = n.other_case_id" \
    " WHERE c.state = 'active' AND o.state = 'active' AND n.recipient_user_id = ?2 "

static int item_row(sqlite3_stmt *st, struct store_inbox_item *it, struct gs_err *err)
{
    memset(it, 0, sizeof *it);
    it->id = sqlite3_column_int64(st, 0);
    it->recipient_user_id = sqlite3_column_int64(st, 1);
    it->case_id = sqlite3_column_int64(st, 2);
    it->other_case_id = sqlite3_column_int64(st, 3);
    it->score = sqlite3_column_double(st, 4);
    it->summary = (const char *)sqlite3_column_text(st, 5);
    it->created_at = (time_t)sqlite3_column_int64(st, 6);
    it->read_at = (time_t)sqlite3_column_int64(st, 7);
    store__copy_text(it->case_label, sizeof it->case_label, st, 8);
    store__copy_text(it->other_label, sizeof it->other_label, st, 9);
    it->other_dataset_id = sqlite3_column_int64(st, 10);
    it->other_institution_id = sqlite3_column_int64(st, 11);
    return scope_parse((const char *)sqlite3_column_text(st, 12), &it->other_scope, err);
}

int store_inbox_each(struct store *s, int64_t user_id, store_inbox_fn fn, void *ctx,
                     struct gs_err *err)
{
    static const char sql[] = ITEM_COLS "AND ?1 = ?1 ORDER BY n.read_at IS NOT NULL, n.id DESC";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, 0);
    sqlite3_bind_int64(st, 2, user_id);
    struct store_inbox_item it;
    while ((rc = store__step_row(s, st, "notifications", err)) == GS_OK)
        if ((rc = item_row(st, &it, err)) != GS_OK || (rc = fn(ctx, &it)) != GS_OK)
            break;
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

int store_inbox_get(struct store *s, int64_t id, int64_t user_id, struct store_inbox_item *out,
                    struct gs_err *err)
{
    static const char sql[] = ITEM_COLS "AND n.id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, user_id);
    rc = store__step_row(s, st, "notification", err);
    if (rc == GS_OK) {
        rc = item_row(st, out, err);
        out->summary = NULL;
    } else if (rc == GS_ENOTFOUND) {
        gs_err_set(err, rc, "no notification with id %lld", (long long)id);
    }
    sqlite3_reset(st);
    return rc;
}
