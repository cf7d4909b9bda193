/* store_inbox.h — persistence of match notifications (schema v10): one row per recipient and
 * pair of cases (the recipient's own case, the case it matched), with the score, the
 * explanation summary (JSON text) and read state; and the inbox state: how far the case
 * change counter has been processed into notifications, and the notification threshold.
 *
 * Domain terms only; sqlite_inbox.c holds the SQL. Nothing here decides visibility or
 * thresholds: src/match/inbox.c does. */
#ifndef GS_STORE_STORE_INBOX_H
#define GS_STORE_STORE_INBOX_H

#include "store/store.h"

#define STORE_INBOX_SUMMARY_MAX 8192 /* the explanation summary, JSON text */

struct store_inbox_item {
    int64_t id;
    int64_t recipient_user_id;
    int64_t case_id;        /* the recipient's case */
    int64_t other_case_id;  /* the case it matched */
    double score;
    const char *summary;    /* JSON text; in a walk, valid only during the call */
    time_t created_at;
    time_t read_at;         /* 0: unread */
    /* filled by the walk (not written): the other case's row, for the reader's checks */
    char case_label[STORE_TEXT_MAX];
    char other_label[STORE_TEXT_MAX];
    int64_t other_dataset_id;
    int64_t other_institution_id;
    enum scope other_scope;
};

/* The processed case change counter and the threshold (one row, made by the migration: the
 * counter starts at the cases already stored, so old cases are not announced). */
int store_inbox_state(struct store *s, int64_t *processed, double *threshold,
                      struct gs_err *err) GS_MUST_USE;
int store_inbox_set_processed(struct store *s, int64_t processed, struct gs_err *err) GS_MUST_USE;
int store_inbox_set_threshold(struct store *s, double threshold, struct gs_err *err) GS_MUST_USE;

/* ---- writes run inside the caller's transaction ---- */
/* Deletes every notification naming the case (either side). */
int store_inbox_forget_case(struct store *s, int64_t case_id, struct gs_err *err) GS_MUST_USE;
/* Inserts the notification (id ignored), replacing one for the same recipient and pair. */
int store_inbox_insert(struct store *s, const struct store_inbox_item *in,
                       struct gs_err *err) GS_MUST_USE;
/* Marks notification id of recipient user read at `at` (already read: kept as it was).
 * GS_ENOTFOUND "no notification with id N" when it is not that user's. */
int store_inbox_mark_read(struct store *s, int64_t id, int64_t user_id, time_t at,
                          struct gs_err *err) GS_MUST_USE;

/* Walks the user's notifications whose two cases are both active: unread first, then newest
 * first. fn's non-zero return stops the walk and is returned. */
typedef int (*store_inbox_fn)(void *ctx, const struct store_inbox_item *it);
int store_inbox_each(struct store *s, int64_t user_id, store_inbox_fn fn, void *ctx,
                     struct gs_err *err) GS_MUST_USE;
/* One of the user's notifications (as the walk fills it; summary NULL). GS_ENOTFOUND
 * "no notification with id N" otherwise. */
int store_inbox_get(struct store *s, int64_t id, int64_t user_id, struct store_inbox_item *out,
                    struct gs_err *err) GS_MUST_USE;

#endif
