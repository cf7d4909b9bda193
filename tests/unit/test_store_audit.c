/* test_store_audit.c — the store's migrations and transactions, and the audit chain's
 * tamper detection (edit, delete in the middle, cut tail, re-hashed edit). */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "check.h"
#include "core/crypto.h"
#include "registry/registry.h"

static void temp_db(char *path, size_t size)
{
    snprintf(path, size, "/tmp/gs-store-XXXXXX");
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
}

static void remove_db(const char *path)
{
    char side[300];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

/* Runs raw SQL against the file, as an intruder with the sqlite3 shell would. */
static int raw_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

static void test_store(struct check_state *st)
{
    char path[64];
    temp_db(path, sizeof path);
    struct gs_err err = {0};
    struct store *s = NULL;
    CHECK(st, store_open(path, &s, &err) == GS_OK, "store: open creates a database");
    int version = 0;
    int vrc = store_schema_version(s, &version, &err);
    CHECK(st, vrc == GS_OK && version >= 1,
          "store: schema migrated (version %d)", version);
    store_close(s);
    CHECK(st, store_open(path, &s, &err) == GS_OK, "store: reopening migrates nothing twice");
    CHECK(st, store_integrity_check(s, &err) == GS_OK, "store: integrity check ok");

    struct actor by = {"test", "unit"};
    CHECK(st, registry_institution_add(s, &by, "kyoto-u", "Kyoto", "JP", NULL, &err) == GS_OK,
          "store: institution added");
    gs_err_clear(&err);
    int rc = registry_institution_add(s, &by, "kyoto-u", "Kyoto", "JP", NULL, &err);
    CHECK(st, rc == GS_ECONFLICT && strstr(err.msg, "already exists") != NULL,
          "store: duplicate institution is a conflict (%s)", err.msg);

    /* A failed write leaves neither the row nor its audit entry. */
    int64_t seq_before = 0, seq_after = 0;
    char hash[STORE_HASH_MAX];
    CHECK(st, store_audit_last(s, &seq_before, hash, &err) == GS_OK, "store: audit last");
    gs_err_clear(&err);
    rc = registry_dataset_add(s, &by, "r1", "R", TIER_RESTRICTED, DATA_VARIANTS, "kyoto-u",
                              "no-such-consortium", NULL, &err);
    CHECK(st, rc == GS_ENOTFOUND, "store: dataset with unknown consortium refused");
    struct store_dataset d;
    gs_err_clear(&err);
    CHECK(st, store_dataset_by_name(s, "r1", &d, &err) == GS_ENOTFOUND,
          "store: refused dataset not written");
    CHECK(st, store_audit_last(s, &seq_after, hash, &err) == GS_OK && seq_after == seq_before,
          "store: refused write left no audit row");

    /* Rollback undoes everything since begin. */
    CHECK(st, store_begin(s, &err) == GS_OK, "store: begin");
    struct store_institution inst = {0, "tmp-inst", "Tmp", "JP"};
    CHECK(st, store_institution_insert(s, &inst, NULL, &err) == GS_OK, "store: insert in tx");
    store_rollback(s);
    gs_err_clear(&err);
    CHECK(st, store_institution_by_name(s, "tmp-inst", &inst, &err) == GS_ENOTFOUND,
          "store: rollback removed the insert");

    /* Bad input is refused before the store. */
    gs_err_clear(&err);
    CHECK(st, registry_institution_add(s, &by, "bad name!", "X", "JP", NULL, &err) == GS_EINVAL,
          "store: invalid institution name refused (%s)", err.msg);
    gs_err_clear(&err);
    CHECK(st, registry_institution_add(s, &by, "x", "X", "Japan", NULL, &err) == GS_EINVAL,
          "store: invalid country refused");
    gs_err_clear(&err);
    CHECK(st, registry_user_add(s, &by, "u1", "U", "kyoto-u", 0, "short", NULL, &err) == GS_EINVAL,
          "store: short password refused (%s)", err.msg);
    struct principal op;
    principal_operator(&op);
    CHECK(st, registry_dataset_add(s, &by, "open1", "O", TIER_OPEN, DATA_VARIANTS, "kyoto-u", NULL,
                                   NULL, &err) == GS_OK, "store: open dataset added");
    struct registry_record_input in = {"open1", SCOPE_INTERNATIONAL, "x", "{\"a\":", NULL};
    gs_err_clear(&err);
    rc = registry_record_add(s, &by, &op, &in, NULL, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "line") && strstr(err.msg, "column"),
          "store: malformed record JSON refused with position (%s)", err.msg);
    in.content = "[1,2]";
    gs_err_clear(&err);
    CHECK(st, registry_record_add(s, &by, &op, &in, NULL, &err) == GS_EINVAL,
          "store: record content must be an object");
    gs_err_clear(&err);
    CHECK(st, registry_grant_add(s, &by, "open1", "u1", time(NULL) + 10, time(NULL), NULL, &err) !=
                  GS_OK, "store: grants only on controlled datasets");
    store_close(s);
    remove_db(path);
}

/* Builds a trail of n rows in a new database at path. */
static void build_trail(const char *path, int n)
{
    struct store *s = NULL;
    struct gs_err err = {0};
    if (store_open(path, &s, &err) != GS_OK)
        exit(1);
    struct actor by = {"test", "unit"};
    for (int i = 0; i < n; i++) {
        char object[32];
        snprintf(object, sizeof object, "thing:%d", i);
        struct audit_event ev = {"test.event", object, "detail"};
        if (audit_record(s, &by, &ev, 1700000000 + i, &err) != GS_OK)
            exit(1);
    }
    store_close(s);
}

static int verify(const char *path, struct audit_report *r)
{
    struct store *s = NULL;
    struct gs_err err = {0};
    int rc = store_open(path, &s, &err);
    if (rc == GS_OK)
        rc = audit_verify(s, r, &err);
    store_close(s);
    return rc;
}

static void test_audit(struct check_state *st)
{
    char path[64];
    struct audit_report *r = calloc(1, sizeof *r);

    temp_db(path, sizeof path);
    build_trail(path, 10);
    CHECK(st, verify(path, r) == GS_OK && r->nproblems == 0 && r->rows == 10,
          "audit: fresh trail of 10 rows verifies");
    CHECK(st, raw_sql(path, "UPDATE audit SET detail='x' WHERE seq=3") != SQLITE_OK,
          "audit: UPDATE refused by the append-only trigger");
    CHECK(st, raw_sql(path, "DELETE FROM audit WHERE seq=3") != SQLITE_OK,
          "audit: DELETE refused by the append-only trigger");

    raw_sql(path, "DROP TRIGGER audit_no_update; UPDATE audit SET detail='forged' WHERE seq=4");
    int erc = verify(path, r);
    CHECK(st, erc == GS_OK && r->nproblems >= 1 && r->problems[0].seq == 4,
          "audit: edited row 4 is named (first problem at row %lld)",
          (long long)r->problems[0].seq);
    remove_db(path);

    temp_db(path, sizeof path);
    build_trail(path, 10);
    raw_sql(path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq=6");
    CHECK(st, verify(path, r) == GS_OK && r->nproblems >= 1 && r->problems[0].seq == 7 &&
                  strstr(r->problems[0].what, "6") != NULL,
          "audit: deleted row 6 is named (%s)", r->problems[0].what);
    remove_db(path);

    temp_db(path, sizeof path);
    build_trail(path, 10);
    raw_sql(path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq>=9");
    CHECK(st, verify(path, r) == GS_OK && r->nproblems == 1 && strstr(r->problems[0].what, "tail"),
          "audit: cut tail is detected (%s)", r->problems[0].what);
    remove_db(path);

    /* An intruder who edits a row and recomputes its hash still breaks the next link. */
    temp_db(path, sizeof path);
    build_trail(path, 5);
    struct store_audit_row row;
    memset(&row, 0, sizeof row);
    row.seq = 2;
    row.at = 1700000001;
    snprintf(row.actor, sizeof row.actor, "test");
    snprintf(row.origin, sizeof row.origin, "unit");
    snprintf(row.action, sizeof row.action, "test.event");
    snprintf(row.object, sizeof row.object, "thing:forged");
    snprintf(row.detail, sizeof row.detail, "detail");
    char sql[1024];
    /* take row 1's hash as prev, as an honest row 2 would */
    sqlite3 *db = NULL;
    sqlite3_open(path, &db);
    sqlite3_stmt *q = NULL;
    sqlite3_prepare_v2(db, "SELECT hash FROM audit WHERE seq=1", -1, &q, NULL);
    if (sqlite3_step(q) == SQLITE_ROW)
        snprintf(row.prev_hash, sizeof row.prev_hash, "%s", sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    sqlite3_close(db);
    audit_row_hash(&row, row.hash);
    snprintf(sql, sizeof sql, "DROP TRIGGER audit_no_update; UPDATE audit SET object='%s', "
             "hash='%s' WHERE seq=2", row.object, row.hash);
    raw_sql(path, sql);
    CHECK(st, verify(path, r) == GS_OK && r->nproblems >= 1 && r->problems[0].seq == 3 &&
                  strstr(r->problems[0].what, "2") != NULL,
          "audit: re-hashed edit of row 2 breaks the link at row 3 (%s)", r->problems[0].what);
    remove_db(path);

    /* Every field is covered by the hash. */
    struct store_audit_row a;
    memset(&a, 0, sizeof a);
    a.seq = 1;
    a.at = 5;
    snprintf(a.actor, sizeof a.actor, "x");
    char h0[STORE_HASH_MAX], h1[STORE_HASH_MAX];
    audit_row_hash(&a, h0);
    struct store_audit_row b = a;
    snprintf(b.origin, sizeof b.origin, "y");
    audit_row_hash(&b, h1);
    CHECK(st, strcmp(h0, h1) != 0, "audit: origin is covered by the hash");
    b = a;
    b.at = 6;
    audit_row_hash(&b, h1);
    CHECK(st, strcmp(h0, h1) != 0, "audit: time is covered by the hash");
    /* Moving text between fields changes the hash (fields are length-prefixed). */
    struct store_audit_row c1, c2;
    memset(&c1, 0, sizeof c1);
    memset(&c2, 0, sizeof c2);
    snprintf(c1.actor, sizeof c1.actor, "ab");
    snprintf(c1.action, sizeof c1.action, "c");
    snprintf(c2.actor, sizeof c2.actor, "a");
    snprintf(c2.action, sizeof c2.action, "bc");
    audit_row_hash(&c1, h0);
    audit_row_hash(&c2, h1);
    CHECK(st, strcmp(h0, h1) != 0, "audit: field boundaries are covered by the hash");
    free(r);
}

int main(void)
{
    struct check_state st = {0};
    if (crypto_init() != GS_OK)
        return 1;
    test_store(&st);
    test_audit(&st);
    return check_finish(&st);
}
