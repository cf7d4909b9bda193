/* audit.h — the append-only, hash-chained audit trail.
 *
 * Each row's hash is SHA-256 over its own fields and the previous row's hash, so editing
 * or deleting any row breaks the chain; a head record (last seq and hash) written in the
 * same transaction reveals a cut-off tail. audit_verify walks the chain and names every
 * row that does not fit. */
#ifndef GS_AUDIT_AUDIT_H
#define GS_AUDIT_AUDIT_H

#include <stdint.h>
#include <time.h>

#include "store/store.h"

/* Who acts and from where: "user:alice" / "operator:root", "203.0.113.7" / "cli". */
struct actor {
    const char *name;
    const char *origin;
};

/* What happened: action "user.add", object "user:alice", detail free text (JSON or
 * words; truncated at STORE_AUDIT_TEXT_MAX). */
struct audit_event {
    const char *action;
    const char *object;
    const char *detail;
};

/* Appends one row; must run inside a store transaction (store_begin). */
int audit_append(struct store *s, const struct actor *who, const struct audit_event *ev,
                 time_t at, struct gs_err *err) GS_MUST_USE;

/* Ends a write transaction: if rc is GS_OK, appends the write's audit row and commits;
 * otherwise (or if either fails) rolls everything back. Returns the outcome. The
 * one-line ending of every audited write: store_begin, write, audit_commit. */
int audit_commit(struct store *s, int rc, const struct actor *who, const struct audit_event *ev,
                 time_t at, struct gs_err *err) GS_MUST_USE;

/* Appends one row in a transaction of its own (for reads and logins). */
int audit_record(struct store *s, const struct actor *who, const struct audit_event *ev,
                 time_t at, struct gs_err *err) GS_MUST_USE;

#define AUDIT_PROBLEMS_MAX 32
struct audit_report {
    int64_t rows;      /* rows checked */
    int nproblems;     /* problems found (only the first AUDIT_PROBLEMS_MAX are kept) */
    struct {
        int64_t seq;
        char what[200];
    } problems[AUDIT_PROBLEMS_MAX];
};

/* Verifies the whole chain; returns GS_OK with report filled (nproblems 0 when intact).
 * Store errors are returned as errors. */
int audit_verify(struct store *s, struct audit_report *report, struct gs_err *err) GS_MUST_USE;

/* The hash of a row as audit_append computes it (exposed for tests). */
void audit_row_hash(const struct store_audit_row *row, char out[STORE_HASH_MAX]);

#endif
