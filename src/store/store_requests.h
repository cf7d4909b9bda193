/* store_requests.h — persistence of access requests, their per-dataset decisions and
 * history, data-access committees (DAC members per dataset), datasets' DUO terms, and the
 * grants an approval creates (access_grant rows linked to their request).
 *
 * Domain terms only, as store.h: the workflow (states, who may do what, audit) lives in
 * policy/requests.c. States and decisions are stored as the text policy/requests.h
 * spells them; this layer does not interpret them. Structs are filled by value; the
 * struct passed to a walk's callback is valid only during the call. */
#ifndef GS_STORE_STORE_REQUESTS_H
#define GS_STORE_STORE_REQUESTS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "store/store.h"

#define STORE_REQUEST_PURPOSE_MAX 2048 /* research purpose text + NUL */
#define STORE_REQUEST_COMMENT_MAX 1024 /* reviewer's or requester's comment + NUL */
#define STORE_DUO_MAX 256              /* canonical DUO text (duo.h DUO_TEXT_MAX) */
#define STORE_STATE_MAX 16             /* "submitted" */

/* ---- data-access committees ---- */
struct store_dac_member {
    int64_t dataset_id;
    char dataset[STORE_NAME_MAX];
    int64_t user_id;
    char user[STORE_NAME_MAX];
    time_t added_at;
};
/* Adding a member twice is GS_ECONFLICT. */
int store_dac_add(struct store *s, int64_t dataset_id, int64_t user_id, time_t at,
                  struct gs_err *err) GS_MUST_USE;
/* GS_ENOTFOUND when the user is not on that dataset's committee. */
int store_dac_remove(struct store *s, int64_t dataset_id, int64_t user_id,
                     struct gs_err *err) GS_MUST_USE;
int store_dac_is_member(struct store *s, int64_t dataset_id, int64_t user_id, bool *out,
                        struct gs_err *err) GS_MUST_USE;
/* Every member of dataset_id's committee (0: of every dataset), by dataset then user name. */
typedef int (*store_dac_fn)(void *ctx, const struct store_dac_member *m);
int store_dac_each(struct store *s, int64_t dataset_id, store_dac_fn fn, void *ctx,
                   struct gs_err *err) GS_MUST_USE;

/* ---- a dataset's DUO terms (canonical text, see policy/duo.h) ---- */
int store_dataset_duo_set(struct store *s, int64_t dataset_id, const char *terms, time_t at,
                          struct gs_err *err) GS_MUST_USE;
/* GS_ENOTFOUND (no message) when the dataset has no terms recorded. */
int store_dataset_duo_get(struct store *s, int64_t dataset_id, char out[STORE_DUO_MAX],
                          struct gs_err *err) GS_MUST_USE;

/* ---- access requests ---- */
struct store_request {
    int64_t id;
    int64_t user_id;
    char user[STORE_NAME_MAX]; /* filled by get/walk */
    char purpose[STORE_REQUEST_PURPOSE_MAX];
    char duo[STORE_DUO_MAX];   /* the request's declared purpose and modifiers */
    bool commercial;
    time_t period_from, period_until; /* the requested period */
    char state[STORE_STATE_MAX];      /* as stored (see requests.h for the effective state) */
    time_t approved_until;            /* 0 until approved */
    time_t created_at, updated_at;
};
int store_request_insert(struct store *s, const struct store_request *in, int64_t *id_out,
                         struct gs_err *err) GS_MUST_USE;
int store_request_get(struct store *s, int64_t id, struct store_request *out,
                      struct gs_err *err) GS_MUST_USE;
/* Moves the request from state `from` to `to` (and sets approved_until when non-zero).
 * GS_ECONFLICT when it is no longer in `from` (someone else moved it first). */
int store_request_set_state(struct store *s, int64_t id, const char *from, const char *to,
                            time_t approved_until, time_t at, struct gs_err *err) GS_MUST_USE;

/* Which requests a walk visits; zero / NULL members do not filter. */
struct store_request_filter {
    int64_t user_id;      /* filed by this user */
    const char *state;    /* stored state */
    int64_t dataset_id;   /* asking for this dataset */
    int64_t dac_user_id;  /* touching a dataset on whose committee this user sits… */
    bool pending_only;    /* …and (with dac_user_id) still awaiting that committee's decision */
};
typedef int (*store_request_fn)(void *ctx, const struct store_request *r);
int store_request_each(struct store *s, const struct store_request_filter *f,
                       store_request_fn fn, void *ctx, struct gs_err *err) GS_MUST_USE;
/* Up to max ids of requests stored as `state` whose approved_until <= now (the expiry
 * sweep); *n is how many. */
int store_request_due(struct store *s, const char *state, time_t now, int64_t *ids, int max,
                      int *n, struct gs_err *err) GS_MUST_USE;

/* ---- the datasets of a request, each with its committee's decision ---- */
struct store_request_dataset {
    int64_t request_id;
    int64_t dataset_id;
    char dataset[STORE_NAME_MAX];
    char decision[STORE_STATE_MAX]; /* "pending", "approved", "rejected" */
    char decided_by[STORE_NAME_MAX]; /* user name, "" while pending or for the operator */
    time_t decided_at;
    time_t until; /* the end of the period that decision approved; 0 otherwise */
};
/* Adding the same dataset twice to a request is GS_ECONFLICT. */
int store_request_dataset_add(struct store *s, int64_t request_id, int64_t dataset_id,
                              struct gs_err *err) GS_MUST_USE;
/* Records a decision on a pending dataset of a request (decided_by 0: the operator);
 * GS_ECONFLICT when it was decided already. */
int store_request_dataset_decide(struct store *s, int64_t request_id, int64_t dataset_id,
                                 const char *decision, int64_t decided_by, time_t at,
                                 time_t until, struct gs_err *err) GS_MUST_USE;
typedef int (*store_request_dataset_fn)(void *ctx, const struct store_request_dataset *d);
/* The request's datasets by name. */
int store_request_dataset_each(struct store *s, int64_t request_id, store_request_dataset_fn fn,
                               void *ctx, struct gs_err *err) GS_MUST_USE;

/* ---- a request's history, as its requester and reviewers see it ---- */
struct store_request_event {
    int64_t id;
    int64_t request_id;
    time_t at;
    char actor[STORE_TEXT_MAX];   /* "user:alice", "operator:root", "system:expiry" */
    char action[STORE_NAME_MAX];  /* "create", "submit", "review", "approve", … */
    char state[STORE_STATE_MAX];  /* the request's state after the event */
    char comment[STORE_REQUEST_COMMENT_MAX];
};
int store_request_event_add(struct store *s, const struct store_request_event *ev,
                            struct gs_err *err) GS_MUST_USE;
typedef int (*store_request_event_fn)(void *ctx, const struct store_request_event *ev);
/* In time order. */
int store_request_event_each(struct store *s, int64_t request_id, store_request_event_fn fn,
                             void *ctx, struct gs_err *err) GS_MUST_USE;

/* ---- the grants approvals create (rows of access_grant with their request) ---- */
int store_request_grant_insert(struct store *s, const struct store_grant *g, int64_t request_id,
                               int64_t *id_out, struct gs_err *err) GS_MUST_USE;
/* Sets revoked_at on every unrevoked grant of the request; *count how many (may be NULL). */
int store_request_grants_revoke(struct store *s, int64_t request_id, time_t at, int *count,
                                struct gs_err *err) GS_MUST_USE;

/* A user's grants, direct and from requests, newest first. */
struct store_user_grant {
    int64_t id;
    int64_t dataset_id;
    char dataset[STORE_NAME_MAX];
    time_t created_at, starts_at, expires_at, revoked_at;
    int64_t request_id; /* 0: a direct grant (genoshare grant add, POST /api/v1/grants) */
};
typedef int (*store_user_grant_fn)(void *ctx, const struct store_user_grant *g);
int store_user_grant_each(struct store *s, int64_t user_id, store_user_grant_fn fn, void *ctx,
                          struct gs_err *err) GS_MUST_USE;

#endif
