/* audit.c — hash chain over the audit table: append and verify. */
#include "audit/audit.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/crypto.h"

void audit_row_hash(const struct store_audit_row *row, char out[STORE_HASH_MAX])
{
    /* Length-prefixed fields: no choice of text can make two rows serialise alike. */
    char text[sizeof *row + 256];
    int n = snprintf(text, sizeof text, "%lld|%lld|%zu:%s|%zu:%s|%zu:%s|%zu:%s|%zu:%s|%s",
                     (long long)row->seq, (long long)row->at, strlen(row->actor), row->actor,
                     strlen(row->action), row->action, strlen(row->object), row->object,
                     strlen(row->detail), row->detail, strlen(row->origin), row->origin,
                     row->prev_hash);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
    char hex[GS_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(text, len, hex);
    snprintf(out, STORE_HASH_MAX, "%s", hex);
}

int audit_append(struct store *s, const struct actor *who, const struct audit_event *ev,
                 time_t at, struct gs_err *err)
{
    struct store_audit_row row;
    memset(&row, 0, sizeof row);
    int rc = store_audit_last(s, &row.seq, row.prev_hash, err);
    if (rc != GS_OK)
        return rc;
    row.seq += 1;
    row.at = at;
    snprintf(row.actor, sizeof row.actor, "%s", who && who->name ? who->name : "unknown");
    snprintf(row.origin, sizeof row.origin, "%s", who && who->origin ? who->origin : "");
    snprintf(row.action, sizeof row.action, "%s", ev->action);
    snprintf(row.object, sizeof row.object, "%s", ev->object ? ev->object : "");
    snprintf(row.detail, sizeof row.detail, "%s", ev->detail ? ev->detail : "");
    audit_row_hash(&row, row.hash);
    return store_audit_append(s, &row, err);
}

int audit_commit(struct store *s, int rc, const struct actor *who, const struct audit_event *ev,
                 time_t at, struct gs_err *err)
{
    if (rc == GS_OK)
        rc = audit_append(s, who, ev, at, err);
    if (rc == GS_OK)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

int audit_record(struct store *s, const struct actor *who, const struct audit_event *ev,
                 time_t at, struct gs_err *err)
{
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = audit_append(s, who, ev, at, err)) != GS_OK) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, err);
}

struct verify_state {
    struct audit_report *report;
    int64_t last_seq;
    char last_hash[STORE_HASH_MAX];
};

__attribute__((format(printf, 3, 4)))
static void report_problem(struct audit_report *r, int64_t seq, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (r->nproblems < AUDIT_PROBLEMS_MAX) {
        r->problems[r->nproblems].seq = seq;
        vsnprintf(r->problems[r->nproblems].what, sizeof r->problems[0].what, fmt, ap);
    }
    va_end(ap);
    r->nproblems++;
}

static int verify_row(void *ctx, const struct store_audit_row *row)
{
    struct verify_state *v = ctx;
    v->report->rows++;
    if (row->seq != v->last_seq + 1)
    {
        if (row->seq > v->last_seq + 1)
            report_problem(v->report, row->seq, "rows %lld to %lld are missing (deleted)",
                           (long long)v->last_seq + 1, (long long)row->seq - 1);
        else
            report_problem(v->report, row->seq, "row out of order after %lld",
                           (long long)v->last_seq);
    }
    else if (strcmp(row->prev_hash, v->last_hash) != 0)
        report_problem(v->report, row->seq,
                       "chain broken: previous row %lld was edited or replaced",
                       (long long)v->last_seq);
    char expect[STORE_HASH_MAX];
    audit_row_hash(row, expect);
    if (strcmp(expect, row->hash) != 0)
        report_problem(v->report, row->seq, "row %lld was edited: its content does not match "
                       "its hash", (long long)row->seq);
    v->last_seq = row->seq;
    snprintf(v->last_hash, sizeof v->last_hash, "%s", row->hash);
    return 0;
}

int audit_verify(struct store *s, struct audit_report *report, struct gs_err *err)
{
    memset(report, 0, sizeof *report);
    struct verify_state v;
    memset(&v, 0, sizeof v);
    v.report = report;
    int rc = store_audit_each(s, 0, verify_row, &v, err);
    if (rc != GS_OK)
        return rc;
    int64_t head_seq;
    char head_hash[STORE_HASH_MAX];
    if ((rc = store_audit_head(s, &head_seq, head_hash, err)) != GS_OK)
        return rc;
    if (head_seq > v.last_seq)
        report_problem(report, v.last_seq + 1, "rows up to %lld were written but are gone "
                       "(tail deleted)", (long long)head_seq);
    else if (head_seq < v.last_seq)
        report_problem(report, head_seq + 1, "rows after %lld were added outside genoshare",
                       (long long)head_seq);
    else if (strcmp(head_hash, v.last_hash) != 0)
        report_problem(report, v.last_seq, "row %lld was replaced (head hash differs)",
                       (long long)v.last_seq);
    return GS_OK;
}
