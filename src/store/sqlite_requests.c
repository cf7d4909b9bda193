/* sqlite_requests.c — the SQLite side of store_requests.h: schema step v3 and the SQL of
 * access requests, committees, DUO terms and request-linked grants. It knows rows, not
 * the workflow (policy/requests.c decides states and permissions). */
#include "store/store_requests.h"

#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* Schema v3. access_grant gains request_id (NULL for direct grants) so an approval's
 * grants can be found and revoked with their request. Decisions are per dataset because
 * each dataset has its own committee. */
const char store__schema_requests[] =
    "CREATE TABLE dac_member ("
    "  dataset_id INTEGER NOT NULL REFERENCES dataset(id),"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  added_at INTEGER NOT NULL,"
    "  PRIMARY KEY (dataset_id, user_id));"
    "CREATE INDEX dac_member_user ON dac_member(user_id);"
    "CREATE TABLE dataset_duo ("
    "  dataset_id INTEGER PRIMARY KEY REFERENCES dataset(id),"
    "  terms TEXT NOT NULL,"
    "  updated_at INTEGER NOT NULL);"
    "CREATE TABLE access_request ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  purpose TEXT NOT NULL,"
    "  duo TEXT NOT NULL,"
    "  commercial INTEGER NOT NULL DEFAULT 0,"
    "  period_from INTEGER NOT NULL,"
    "  period_until INTEGER NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('draft','submitted','approved','rejected',"
    "    'withdrawn','expired','revoked')),"
    "  approved_until INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  CHECK (period_from < period_until));"
    "CREATE INDEX access_request_user ON access_request(user_id);"
    "CREATE INDEX access_request_state ON access_request(state, approved_until);"
    "CREATE TABLE access_request_dataset ("
    "  request_id INTEGER NOT NULL REFERENCES access_request(id),"
    "  dataset_id INTEGER NOT NULL REFERENCES dataset(id),"
    "  decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending','approved',"
    "    'rejected')),"
    "  decided_by INTEGER REFERENCES user(id),"
    "  decided_at INTEGER NOT NULL DEFAULT 0,"
    "  until INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (request_id, dataset_id));"
    "CREATE INDEX access_request_dataset_ds ON access_request_dataset(dataset_id);"
    "CREATE TABLE access_request_event ("
    "  id INTEGER PRIMARY KEY,"
    "  request_id INTEGER NOT NULL REFERENCES access_request(id),"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  comment TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX access_request_event_req ON access_request_event(request_id, id);"
    "ALTER TABLE access_grant ADD COLUMN request_id INTEGER REFERENCES access_request(id);"
    "CREATE INDEX access_grant_request ON access_grant(request_id);"
    "CREATE INDEX access_grant_user ON access_grant(user_id);";

/* store__each hands rows to a visit function; these trampolines call the typed callback
 * of the public interface (no function-pointer casts). */
struct walk {
    union {
        store_dac_fn dac;
        store_request_fn request;
        store_request_dataset_fn dataset;
        store_request_event_fn event;
        store_user_grant_fn grant;
    } fn;
    void *ctx;
};
static int visit_dac(void *c, const void *row)
{
    const struct walk *w = c;
    return w->fn.dac(w->ctx, row);
}
static int visit_request(void *c, const void *row)
{
    const struct walk *w = c;
    return w->fn.request(w->ctx, row);
}
static int visit_dataset(void *c, const void *row)
{
    const struct walk *w = c;
    return w->fn.dataset(w->ctx, row);
}
static int visit_event(void *c, const void *row)
{
    const struct walk *w = c;
    return w->fn.event(w->ctx, row);
}
static int visit_grant(void *c, const void *row)
{
    const struct walk *w = c;
    return w->fn.grant(w->ctx, row);
}

static int bind_id(sqlite3_stmt *st, const void *params)
{
    return sqlite3_bind_int64(st, 1, *(const int64_t *)params);
}

/* ---- committees ---- */

int store_dac_add(struct store *s, int64_t dataset_id, int64_t user_id, time_t at,
                  struct gs_err *err)
{
    static const char sql[] = "INSERT INTO dac_member(dataset_id, user_id, added_at)"
                              " VALUES (?1, ?2, ?3)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset_id);
    sqlite3_bind_int64(st, 2, user_id);
    sqlite3_bind_int64(st, 3, at);
    rc = store__stmt_exec(s, st, err, "dac member");
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, rc, "already a member of that dataset's "
                                           "data-access committee");
    return rc;
}

int store_dac_remove(struct store *s, int64_t dataset_id, int64_t user_id, struct gs_err *err)
{
    static const char sql[] = "DELETE FROM dac_member WHERE dataset_id = ?1 AND user_id = ?2";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset_id);
    sqlite3_bind_int64(st, 2, user_id);
    if ((rc = store__stmt_exec(s, st, err, "dac member")) == GS_OK &&
        sqlite3_changes(s->db) == 0)
        rc = gs_err_set(err, GS_ENOTFOUND, "not a member of that dataset's data-access "
                        "committee");
    return rc;
}

int store_dac_is_member(struct store *s, int64_t dataset_id, int64_t user_id, bool *out,
                        struct gs_err *err)
{
    static const char sql[] = "SELECT EXISTS (SELECT 1 FROM dac_member WHERE dataset_id = ?1"
                              " AND user_id = ?2)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset_id);
    sqlite3_bind_int64(st, 2, user_id);
    rc = store__step_row(s, st, "dac member", err);
    if (rc == GS_OK)
        *out = sqlite3_column_int(st, 0) != 0;
    sqlite3_reset(st);
    return rc;
}

static int dac_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_dac_member *m = dst;
    m->dataset_id = sqlite3_column_int64(st, 0);
    store__copy_text(m->dataset, sizeof m->dataset, st, 1);
    m->user_id = sqlite3_column_int64(st, 2);
    store__copy_text(m->user, sizeof m->user, st, 3);
    m->added_at = (time_t)sqlite3_column_int64(st, 4);
    return GS_OK;
}

int store_dac_each(struct store *s, int64_t dataset_id, store_dac_fn fn, void *ctx,
                   struct gs_err *err)
{
    static const char sql[] = "SELECT m.dataset_id, d.name, m.user_id, u.name, m.added_at"
                              " FROM dac_member m JOIN dataset d ON d.id = m.dataset_id"
                              " JOIN user u ON u.id = m.user_id"
                              " WHERE ?1 = 0 OR m.dataset_id = ?1 ORDER BY d.name, u.name";
    struct walk w = {.fn.dac = fn, .ctx = ctx};
    return store__each(s, sql, bind_id, &dataset_id, dac_row, sizeof(struct store_dac_member),
                       NULL, visit_dac, &w, "dac members", err);
}

/* ---- DUO terms ---- */

int store_dataset_duo_set(struct store *s, int64_t dataset_id, const char *terms, time_t at,
                          struct gs_err *err)
{
    static const char sql[] = "INSERT INTO dataset_duo(dataset_id, terms, updated_at)"
                              " VALUES (?1, ?2, ?3) ON CONFLICT(dataset_id) DO UPDATE"
                              " SET terms = excluded.terms, updated_at = excluded.updated_at";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset_id);
    store__bind_text(st, 2, terms);
    sqlite3_bind_int64(st, 3, at);
    return store__stmt_exec(s, st, err, "dataset DUO terms");
}

int store_dataset_duo_get(struct store *s, int64_t dataset_id, char out[STORE_DUO_MAX],
                          struct gs_err *err)
{
    static const char sql[] = "SELECT terms FROM dataset_duo WHERE dataset_id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset_id);
    out[0] = '\0';
    rc = store__step_row(s, st, "dataset DUO terms", err);
    if (rc == GS_OK)
        store__copy_text(out, STORE_DUO_MAX, st, 0);
    sqlite3_reset(st);
    return rc;
}

/* ---- requests ---- */

#define REQUEST_COLS                                                                        \
    "SELECT r.id, r.user_id, u.name, r.purpose, r.duo, r.commercial, r.period_from,"        \
    " r.period_until, r.state, r.approved_until, r.created_at, r.updated_at"                \
    " FROM access_request r JOIN user u ON u.id = r.user_id "

static int request_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_request *r = dst;
    r->id = sqlite3_column_int64(st, 0);
    r->user_id = sqlite3_column_int64(st, 1);
    store__copy_text(r->user, sizeof r->user, st, 2);
    store__copy_text(r->purpose, sizeof r->purpose, st, 3);
    store__copy_text(r->duo, sizeof r->duo, st, 4);
    r->commercial = sqlite3_column_int(st, 5) != 0;
    r->period_from = (time_t)sqlite3_column_int64(st, 6);
    r->period_until = (time_t)sqlite3_column_int64(st, 7);
    store__copy_text(r->state, sizeof r->state, st, 8);
    r->approved_until = (time_t)sqlite3_column_int64(st, 9);
    r->created_at = (time_t)sqlite3_column_int64(st, 10);
    r->updated_at = (time_t)sqlite3_column_int64(st, 11);
    return GS_OK;
}

int store_request_insert(struct store *s, const struct store_request *in, int64_t *id_out,
                         struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO access_request(user_id, purpose, duo, commercial, period_from,"
        " period_until, state, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->user_id);
    store__bind_text(st, 2, in->purpose);
    store__bind_text(st, 3, in->duo);
    sqlite3_bind_int(st, 4, in->commercial);
    sqlite3_bind_int64(st, 5, in->period_from);
    sqlite3_bind_int64(st, 6, in->period_until);
    store__bind_text(st, 7, in->state);
    sqlite3_bind_int64(st, 8, in->created_at);
    return store__insert_id(s, st, id_out, "access request", err);
}

int store_request_get(struct store *s, int64_t id, struct store_request *out,
                      struct gs_err *err)
{
    static const char sql[] = REQUEST_COLS "WHERE r.id = ?1";
    return store__fetch_one(s, sql, "access request", id, NULL, request_row, out, err);
}

int store_request_set_state(struct store *s, int64_t id, const char *from, const char *to,
                            time_t approved_until, time_t at, struct gs_err *err)
{
    static const char sql[] = "UPDATE access_request SET state = ?3, updated_at = ?4,"
                              " approved_until = CASE WHEN ?5 <> 0 THEN ?5 ELSE approved_until END"
                              " WHERE id = ?1 AND state = ?2";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    store__bind_text(st, 2, from);
    store__bind_text(st, 3, to);
    sqlite3_bind_int64(st, 4, at);
    sqlite3_bind_int64(st, 5, approved_until);
    if ((rc = store__stmt_exec(s, st, err, "access request")) == GS_OK &&
        sqlite3_changes(s->db) == 0)
        rc = gs_err_set(err, GS_ECONFLICT, "access request %lld is no longer %s", (long long)id,
                        from);
    return rc;
}

static int bind_request_filter(sqlite3_stmt *st, const void *params)
{
    const struct store_request_filter *f = params;
    int rc = sqlite3_bind_int64(st, 1, f->user_id);
    if (rc == SQLITE_OK)
        rc = f->state ? store__bind_text(st, 2, f->state) : sqlite3_bind_null(st, 2);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, f->dataset_id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 4, f->dac_user_id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int(st, 5, f->pending_only);
    return rc;
}

int store_request_each(struct store *s, const struct store_request_filter *f,
                       store_request_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] =
        REQUEST_COLS
        "WHERE (?1 = 0 OR r.user_id = ?1) AND (?2 IS NULL OR r.state = ?2)"
        " AND (?3 = 0 OR EXISTS (SELECT 1 FROM access_request_dataset x"
        "  WHERE x.request_id = r.id AND x.dataset_id = ?3))"
        " AND (?4 = 0 OR EXISTS (SELECT 1 FROM access_request_dataset x JOIN dac_member m"
        "  ON m.dataset_id = x.dataset_id WHERE x.request_id = r.id AND m.user_id = ?4"
        "  AND (?5 = 0 OR x.decision = 'pending')))"
        " ORDER BY r.id";
    struct walk w = {.fn.request = fn, .ctx = ctx};
    return store__each(s, sql, bind_request_filter, f, request_row, sizeof(struct store_request),
                       NULL, visit_request, &w, "access requests", err);
}

int store_request_due(struct store *s, const char *state, time_t now, int64_t *ids, int max,
                      int *n, struct gs_err *err)
{
    static const char sql[] = "SELECT id FROM access_request WHERE state = ?1"
                              " AND approved_until <> 0 AND approved_until <= ?2 ORDER BY id"
                              " LIMIT ?3";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, state);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int(st, 3, max);
    *n = 0;
    while ((rc = store__step_row(s, st, "access requests due", err)) == GS_OK && *n < max)
        ids[(*n)++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- a request's datasets ---- */

int store_request_dataset_add(struct store *s, int64_t request_id, int64_t dataset_id,
                              struct gs_err *err)
{
    static const char sql[] = "INSERT INTO access_request_dataset(request_id, dataset_id)"
                              " VALUES (?1, ?2)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, request_id);
    sqlite3_bind_int64(st, 2, dataset_id);
    rc = store__stmt_exec(s, st, err, "access request dataset");
    if (rc == GS_ECONFLICT)
        gs_err_clear(err), rc = gs_err_set(err, rc, "a dataset is named twice in the request");
    return rc;
}

int store_request_dataset_decide(struct store *s, int64_t request_id, int64_t dataset_id,
                                 const char *decision, int64_t decided_by, time_t at,
                                 time_t until, struct gs_err *err)
{
    static const char sql[] = "UPDATE access_request_dataset SET decision = ?3,"
                              " decided_by = nullif(?4, 0), decided_at = ?5, until = ?6"
                              " WHERE request_id = ?1 AND dataset_id = ?2 AND decision = 'pending'";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, request_id);
    sqlite3_bind_int64(st, 2, dataset_id);
    store__bind_text(st, 3, decision);
    sqlite3_bind_int64(st, 4, decided_by);
    sqlite3_bind_int64(st, 5, at);
    sqlite3_bind_int64(st, 6, until);
    if ((rc = store__stmt_exec(s, st, err, "access request decision")) == GS_OK &&
        sqlite3_changes(s->db) == 0)
        rc = gs_err_set(err, GS_ECONFLICT, "that dataset of request %lld was decided already",
                        (long long)request_id);
    return rc;
}

static int request_dataset_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_request_dataset *d = dst;
    d->request_id = sqlite3_column_int64(st, 0);
    d->dataset_id = sqlite3_column_int64(st, 1);
    store__copy_text(d->dataset, sizeof d->dataset, st, 2);
    store__copy_text(d->decision, sizeof d->decision, st, 3);
    store__copy_text(d->decided_by, sizeof d->decided_by, st, 4);
    d->decided_at = (time_t)sqlite3_column_int64(st, 5);
    d->until = (time_t)sqlite3_column_int64(st, 6);
    return GS_OK;
}

int store_request_dataset_each(struct store *s, int64_t request_id, store_request_dataset_fn fn,
                               void *ctx, struct gs_err *err)
{
    static const char sql[] = "SELECT x.request_id, x.dataset_id, d.name, x.decision,"
                              " coalesce(u.name, ''), x.decided_at, x.until"
                              " FROM access_request_dataset x JOIN dataset d ON d.id = x.dataset_id"
                              " LEFT JOIN user u ON u.id = x.decided_by"
                              " WHERE x.request_id = ?1 ORDER BY d.name";
    struct walk w = {.fn.dataset = fn, .ctx = ctx};
    return store__each(s, sql, bind_id, &request_id, request_dataset_row,
                       sizeof(struct store_request_dataset), NULL, visit_dataset, &w,
                       "access request datasets", err);
}

/* ---- history ---- */

int store_request_event_add(struct store *s, const struct store_request_event *ev,
                            struct gs_err *err)
{
    static const char sql[] = "INSERT INTO access_request_event(request_id, at, actor, action,"
                              " state, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, ev->request_id);
    sqlite3_bind_int64(st, 2, ev->at);
    store__bind_text(st, 3, ev->actor);
    store__bind_text(st, 4, ev->action);
    store__bind_text(st, 5, ev->state);
    store__bind_text(st, 6, ev->comment);
    return store__stmt_exec(s, st, err, "access request history");
}

static int event_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_request_event *ev = dst;
    ev->id = sqlite3_column_int64(st, 0);
    ev->request_id = sqlite3_column_int64(st, 1);
    ev->at = (time_t)sqlite3_column_int64(st, 2);
    store__copy_text(ev->actor, sizeof ev->actor, st, 3);
    store__copy_text(ev->action, sizeof ev->action, st, 4);
    store__copy_text(ev->state, sizeof ev->state, st, 5);
    store__copy_text(ev->comment, sizeof ev->comment, st, 6);
    return GS_OK;
}

int store_request_event_each(struct store *s, int64_t request_id, store_request_event_fn fn,
                             void *ctx, struct gs_err *err)
{
    static const char sql[] = "SELECT id, request_id, at, actor, action, state, comment"
                              " FROM access_request_event WHERE request_id = ?1 ORDER BY id";
    struct walk w = {.fn.event = fn, .ctx = ctx};
    return store__each(s, sql, bind_id, &request_id, event_row,
                       sizeof(struct store_request_event), NULL, visit_event, &w,
                       "access request history", err);
}

/* ---- grants ---- */

int store_request_grant_insert(struct store *s, const struct store_grant *g, int64_t request_id,
                               int64_t *id_out, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO access_grant(dataset_id, user_id, created_at,"
                              " expires_at, request_id, starts_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, g->dataset_id);
    sqlite3_bind_int64(st, 2, g->user_id);
    sqlite3_bind_int64(st, 3, g->created_at);
    sqlite3_bind_int64(st, 4, g->expires_at);
    sqlite3_bind_int64(st, 5, request_id);
    sqlite3_bind_int64(st, 6, g->starts_at);
    return store__insert_id(s, st, id_out, "grant", err);
}

int store_request_grants_revoke(struct store *s, int64_t request_id, time_t at, int *count,
                                struct gs_err *err)
{
    static const char sql[] = "UPDATE access_grant SET revoked_at = ?2 WHERE request_id = ?1"
                              " AND revoked_at = 0";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, request_id);
    sqlite3_bind_int64(st, 2, at);
    rc = store__stmt_exec(s, st, err, "grant");
    if (rc == GS_OK && count != NULL)
        *count = sqlite3_changes(s->db);
    return rc;
}

static int user_grant_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_user_grant *g = dst;
    g->id = sqlite3_column_int64(st, 0);
    g->dataset_id = sqlite3_column_int64(st, 1);
    store__copy_text(g->dataset, sizeof g->dataset, st, 2);
    g->created_at = (time_t)sqlite3_column_int64(st, 3);
    g->expires_at = (time_t)sqlite3_column_int64(st, 4);
    g->revoked_at = (time_t)sqlite3_column_int64(st, 5);
    g->request_id = sqlite3_column_int64(st, 6);
    g->starts_at = (time_t)sqlite3_column_int64(st, 7);
    return GS_OK;
}

int store_user_grant_each(struct store *s, int64_t user_id, store_user_grant_fn fn, void *ctx,
                          struct gs_err *err)
{
    static const char sql[] = "SELECT g.id, g.dataset_id, d.name, g.created_at, g.expires_at,"
                              " g.revoked_at, coalesce(g.request_id, 0), g.starts_at"
                              " FROM access_grant g"
                              " JOIN dataset d ON d.id = g.dataset_id WHERE g.user_id = ?1"
                              " ORDER BY g.id DESC";
    struct walk w = {.fn.grant = fn, .ctx = ctx};
    return store__each(s, sql, bind_id, &user_id, user_grant_row,
                       sizeof(struct store_user_grant), NULL, visit_grant, &w, "grants", err);
}
