/* inbox.h — match notifications (issue 3, item 6): when a new or updated case matches an
 * existing one at or above the threshold, the owners of both cases find it in their inbox.
 *
 * Decisions:
 *   - Owner of a case: the user who registered it (the case's created_by). A case the
 *     operator registered (CLI import, demo) has no owning user: its side is not notified
 *     (the other side still is).
 *   - The written case is the query (search.h, match_search_like) against every active
 *     case; the score is its search score with the HPO annotation IC only (no case-
 *     frequency IC: a notification's score must not depend on cases its recipient may not
 *     see). At most INBOX_MATCHES_MAX matches per written case are kept, best first.
 *   - Visibility: each side is decided through access_check_read with the recipient's own
 *     principal: the owner of A is told about B only when they may read B, and the other
 *     way round. The API checks it again when listing (access may have changed since), and
 *     a notification naming a withdrawn case is no longer listed.
 *   - Never lost: notifications are made right after the case write commits, from the
 *     store's case change counter (every case write adds a version row): inbox_process
 *     handles every case written since the counter it last processed and moves that counter
 *     in the same transaction as the notifications it writes. A crash between the case
 *     write and the notifications leaves the counter behind, and the next inbox_process (the
 *     next case write, a server start, or an inbox listing) makes them. Two processes cannot
 *     both write them: the counter is re-read inside the write transaction.
 *   - An update is news: the notifications naming the updated case are replaced (unread
 *     again); a withdrawal removes them.
 *   - Threshold: INBOX_THRESHOLD_DEFAULT unless set (inbox_set_threshold; the CLI is
 *     `genoshare case inbox-threshold [VALUE]`); stored with the inbox state. */
#ifndef GS_MATCH_INBOX_H
#define GS_MATCH_INBOX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "match/case_index.h"
#include "pheno/hpo.h"

/* Measured on the 7,352 published dev cases (bench/README.md, "Notification threshold"):
 * at 2.0, 92.6% of the pairs notified share the query's disease and 78.7% of the queries
 * that can have a match get one (1.5: 76.4% / 96.5%; 2.5: 98.1% / 49.1%). Kept equal to
 * the schema step's default. */
#define INBOX_THRESHOLD_DEFAULT 2.0
#define INBOX_MATCHES_MAX 100
#define INBOX_PAGE_MAX 100

/* Makes the notifications of every case written since the last run (see the header
 * comment). ix may be NULL (a temporary index is built: fine for a CLI); h NULL (no HPO
 * release) makes nothing and leaves the counter, so they are made once a release is
 * loaded. Must not run inside a transaction. */
int inbox_process(struct store *s, const struct hpo *h, struct case_index *ix, time_t now,
                  struct gs_err *err) GS_MUST_USE;

int inbox_threshold(struct store *s, double *out, struct gs_err *err) GS_MUST_USE;
/* GS_EINVAL unless 0 < threshold <= 10. */
int inbox_set_threshold(struct store *s, const struct actor *by, double threshold, time_t now,
                        struct gs_err *err) GS_MUST_USE;

/* The caller's inbox page as the API shows it:
 * {"total","unread","offset","limit","items":[{"id","read","created_at","score",
 *  "case":{"id","label"},"other_case":{"id","label","dataset","institution","scope"},
 *  "summary":{…}}]} — only notifications whose other case the caller may read now.
 * One audit row "inbox.read" when a shown case is not open + international. Anonymous or
 * operator callers: GS_EAUTH. */
int inbox_list(struct store *s, const struct principal *who, const struct actor *by,
               int64_t offset, int64_t limit, time_t now, json_t **out,
               struct gs_err *err) GS_MUST_USE;
/* Marks the caller's notification id read; GS_ENOTFOUND "no notification with id N" for
 * someone else's, a missing one, or one naming a case the caller may no longer see. */
int inbox_mark_read(struct store *s, const struct principal *who, int64_t id, time_t now,
                    struct gs_err *err) GS_MUST_USE;

#endif
