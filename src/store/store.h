/* store.h — genoshare's whole persistence interface.
 *
 * Callers see domain operations, never SQL: the SQLite implementation (store_sqlite.c)
 * is the embedded default, and a PostgreSQL backend implements this same header. One
 * struct store is one connection, used by one thread at a time; the server keeps a pool.
 * Writes that belong together run between store_begin and store_commit (BEGIN IMMEDIATE:
 * one writer at a time), and the audit row of a write goes into that same transaction.
 *
 * Every function returns GS_OK or a negative GS_E* code, filling err; lookups of a
 * missing row return GS_ENOTFOUND. Structs are filled by value: nothing returned here
 * points into the store, unless a comment says so. */
#ifndef GS_STORE_STORE_H
#define GS_STORE_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/error.h"
#include "core/model.h"

struct store;

#define STORE_NAME_MAX 65    /* 64 characters + NUL (parse_is_name) */
#define STORE_TEXT_MAX 256   /* display names, titles, labels */
#define STORE_HASH_MAX 160   /* argon2id encoded hash, SHA-256 hex */

/* Process-wide settings of the storage library, once, before any store is opened (the
 * entry point calls it first). SQLite: its memory statistics are turned off
 * (SQLITE_CONFIG_MEMSTATUS 0): nothing here reads them, and keeping them takes one global
 * mutex on every allocation, which a bulk load with a reading and a writing thread pays
 * on each of millions of allocations (variant ingest: write phase 0.50 -> 0.43 s per
 * 100k records). Calling it after a store was opened is an error (GS_EINTERNAL). */
int store_global_init(struct gs_err *err) GS_MUST_USE;

/* Opens (creating if needed) the database at path and brings its schema to the newest
 * version. The caller owns *out and closes it with store_close. */
int store_open(const char *path, struct store **out, struct gs_err *err) GS_MUST_USE;
/* Opens an existing database without migrating it (GS_ENOTFOUND if the file is absent). */
int store_open_existing(const char *path, struct store **out, struct gs_err *err) GS_MUST_USE;
void store_close(struct store *s);

int store_schema_version(struct store *s, int *out, struct gs_err *err) GS_MUST_USE;
/* Runs SQLite's integrity check; GS_ECORRUPT with its first message when it fails. */
int store_integrity_check(struct store *s, struct gs_err *err) GS_MUST_USE;

/* Transactions: store_begin starts a write transaction (waits for other writers up to
 * the busy timeout); store_rollback is safe to call when none is open. */
int store_begin(struct store *s, struct gs_err *err) GS_MUST_USE;
int store_commit(struct store *s, struct gs_err *err) GS_MUST_USE;
void store_rollback(struct store *s);

/* ---- institutions ---- */
struct store_institution {
    int64_t id;
    char name[STORE_NAME_MAX];
    char display_name[STORE_TEXT_MAX];
    char country[3]; /* ISO 3166-1 alpha-2 */
};
int store_institution_insert(struct store *s, const struct store_institution *in,
                             int64_t *id_out, struct gs_err *err) GS_MUST_USE;
int store_institution_get(struct store *s, int64_t id, struct store_institution *out,
                          struct gs_err *err) GS_MUST_USE;
int store_institution_by_name(struct store *s, const char *name, struct store_institution *out,
                              struct gs_err *err) GS_MUST_USE;

/* ---- users ---- */
struct store_user {
    int64_t id;
    char name[STORE_NAME_MAX];
    char display_name[STORE_TEXT_MAX];
    int64_t institution_id;
    unsigned roles;                      /* enum role bits */
    char password_hash[STORE_HASH_MAX];  /* "" when the user has no password */
    bool disabled;
};
int store_user_insert(struct store *s, const struct store_user *in, int64_t *id_out,
                      struct gs_err *err) GS_MUST_USE;
int store_user_get(struct store *s, int64_t id, struct store_user *out,
                   struct gs_err *err) GS_MUST_USE;
int store_user_by_name(struct store *s, const char *name, struct store_user *out,
                       struct gs_err *err) GS_MUST_USE;
int store_user_set_password(struct store *s, int64_t id, const char *password_hash,
                            struct gs_err *err) GS_MUST_USE;
int store_user_set_roles(struct store *s, int64_t id, unsigned roles,
                         struct gs_err *err) GS_MUST_USE;

/* ---- consortia ---- */
struct store_consortium {
    int64_t id;
    char name[STORE_NAME_MAX];
    char title[STORE_TEXT_MAX];
};
int store_consortium_insert(struct store *s, const struct store_consortium *in, int64_t *id_out,
                            struct gs_err *err) GS_MUST_USE;
int store_consortium_get(struct store *s, int64_t id, struct store_consortium *out,
                         struct gs_err *err) GS_MUST_USE;
int store_consortium_by_name(struct store *s, const char *name, struct store_consortium *out,
                             struct gs_err *err) GS_MUST_USE;
/* Joining twice is GS_ECONFLICT. */
int store_consortium_add_institution(struct store *s, int64_t consortium_id,
                                     int64_t institution_id, struct gs_err *err) GS_MUST_USE;
int store_consortium_add_user(struct store *s, int64_t consortium_id, int64_t user_id,
                              struct gs_err *err) GS_MUST_USE;
/* Whether the user, directly or through their institution, is a member. */
int store_consortium_has_member(struct store *s, int64_t consortium_id, int64_t user_id,
                                bool *out, struct gs_err *err) GS_MUST_USE;

/* ---- datasets ---- */
struct store_dataset {
    int64_t id;
    char name[STORE_NAME_MAX];
    char title[STORE_TEXT_MAX];
    enum tier tier;
    enum data_type data_type;
    int64_t institution_id; /* the owning institution */
    int64_t consortium_id;  /* 0 when none; required for restricted datasets */
    int64_t records;        /* filled by get/list: number of records */
};
int store_dataset_insert(struct store *s, const struct store_dataset *in, int64_t *id_out,
                         struct gs_err *err) GS_MUST_USE;
int store_dataset_get(struct store *s, int64_t id, struct store_dataset *out,
                      struct gs_err *err) GS_MUST_USE;
int store_dataset_by_name(struct store *s, const char *name, struct store_dataset *out,
                          struct gs_err *err) GS_MUST_USE;
/* Calls fn for every dataset in name order; a non-zero return from fn stops the walk
 * and is returned. The struct passed to fn is valid only during the call. */
typedef int (*store_dataset_fn)(void *ctx, const struct store_dataset *d);
int store_dataset_each(struct store *s, store_dataset_fn fn, void *ctx,
                       struct gs_err *err) GS_MUST_USE;

/* ---- records: the generic patient- or sample-level item of a dataset ---- */
struct store_record {
    int64_t id;
    int64_t dataset_id;
    int64_t institution_id; /* the institution that submitted it */
    enum scope scope;
    char label[STORE_TEXT_MAX];
    char *content;          /* JSON text; owned by the struct, freed by store_record_clear */
    time_t created_at;
};
int store_record_insert(struct store *s, const struct store_record *in, int64_t *id_out,
                        struct gs_err *err) GS_MUST_USE;
/* Fills out; the caller frees out->content with store_record_clear. */
int store_record_get(struct store *s, int64_t id, struct store_record *out,
                     struct gs_err *err) GS_MUST_USE;
void store_record_clear(struct store_record *r);

/* ---- API tokens and web sessions (only SHA-256 hashes of secrets are stored) ---- */
struct store_token {
    int64_t id;
    int64_t user_id;
    char name[STORE_TEXT_MAX];
    time_t created_at;
    time_t expires_at; /* 0: never */
    time_t revoked_at; /* 0: not revoked */
};
int store_token_insert(struct store *s, const struct store_token *in, const char *secret_hash,
                       int64_t *id_out, struct gs_err *err) GS_MUST_USE;
int store_token_by_hash(struct store *s, const char *secret_hash, struct store_token *out,
                        struct gs_err *err) GS_MUST_USE;
int store_token_get(struct store *s, int64_t id, struct store_token *out,
                    struct gs_err *err) GS_MUST_USE;
int store_token_revoke(struct store *s, int64_t id, time_t at, struct gs_err *err) GS_MUST_USE;

struct store_session {
    int64_t id;
    int64_t user_id;
    char csrf_token[STORE_HASH_MAX];
    time_t expires_at;
};
int store_session_insert(struct store *s, const struct store_session *in,
                         const char *secret_hash, struct gs_err *err) GS_MUST_USE;
int store_session_by_hash(struct store *s, const char *secret_hash, struct store_session *out,
                          struct gs_err *err) GS_MUST_USE;
int store_session_delete(struct store *s, int64_t id, struct gs_err *err) GS_MUST_USE;

/* ---- controlled-access grants ---- */
struct store_grant {
    int64_t id;
    int64_t dataset_id;
    int64_t user_id;
    time_t created_at;
    time_t starts_at;  /* access begins here (0 or <= created_at: at once) */
    time_t expires_at; /* grants always expire */
    time_t revoked_at; /* 0: not revoked */
    char source[16];   /* filled by store_grant_get: "dac", "passport" */
};
int store_grant_insert(struct store *s, const struct store_grant *in, int64_t *id_out,
                       struct gs_err *err) GS_MUST_USE;
int store_grant_get(struct store *s, int64_t id, struct store_grant *out,
                    struct gs_err *err) GS_MUST_USE;
int store_grant_revoke(struct store *s, int64_t id, time_t at, struct gs_err *err) GS_MUST_USE;
/* Whether the user holds a grant for the dataset that is unrevoked, started and unexpired
 * at now (starts_at <= now < expires_at). */
int store_grant_active(struct store *s, int64_t dataset_id, int64_t user_id, time_t now,
                       bool *out, struct gs_err *err) GS_MUST_USE;

/* ---- failed logins, for rate limiting (key: "user:NAME" or "ip:ADDR") ---- */
int store_login_failure_add(struct store *s, const char *key, time_t at,
                            struct gs_err *err) GS_MUST_USE;
int store_login_failure_count(struct store *s, const char *key, time_t since, int *out,
                              struct gs_err *err) GS_MUST_USE;
int store_login_failure_clear(struct store *s, const char *key, struct gs_err *err) GS_MUST_USE;

/* ---- audit trail (append-only; the chain is computed by audit.c) ---- */
#define STORE_AUDIT_TEXT_MAX 1024
struct store_audit_row {
    int64_t seq;
    time_t at;
    char actor[STORE_TEXT_MAX];
    char action[STORE_NAME_MAX];
    char object[STORE_TEXT_MAX];
    char detail[STORE_AUDIT_TEXT_MAX];
    char origin[STORE_TEXT_MAX];
    char prev_hash[STORE_HASH_MAX];
    char hash[STORE_HASH_MAX];
};
/* The newest row's seq and hash (seq 0 and "" when the trail is empty), and the head
 * record kept beside the trail (the last seq and hash written), which reveals a cut tail. */
int store_audit_last(struct store *s, int64_t *seq, char hash[STORE_HASH_MAX],
                     struct gs_err *err) GS_MUST_USE;
int store_audit_head(struct store *s, int64_t *seq, char hash[STORE_HASH_MAX],
                     struct gs_err *err) GS_MUST_USE;
/* Appends row (seq must be last + 1) and moves the head; call inside a transaction. */
int store_audit_append(struct store *s, const struct store_audit_row *row,
                       struct gs_err *err) GS_MUST_USE;
typedef int (*store_audit_fn)(void *ctx, const struct store_audit_row *row);
/* Walks rows in seq order, from seq > after; fn's non-zero return stops and is returned. */
int store_audit_each(struct store *s, int64_t after, store_audit_fn fn, void *ctx,
                     struct gs_err *err) GS_MUST_USE;

#endif
