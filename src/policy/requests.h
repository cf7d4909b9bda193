/* requests.h — access requests to controlled datasets and their review by data-access
 * committees (DACs), as the CLI and the HTTP API both perform them.
 *
 * Lifecycle (one table, request_transition):
 *     draft --submit--> submitted --approve--> approved --expire--> expired
 *       |                  |  \--reject--> rejected      \--revoke--> revoked
 *       \---withdraw-------+--withdraw--> withdrawn
 * Everything else is refused (GS_ECONFLICT). rejected, withdrawn, expired and revoked are
 * final.
 *
 * Decisions are per dataset: each dataset's own committee (users with the dac role listed
 * by `genoshare access dac add`) approves or rejects its part; an admin or the operator
 * decides every pending part at once. One rejection rejects the whole request. When the
 * last part is approved the request becomes approved and, in that same transaction, one
 * access_grant per dataset is written, linked to the request, expiring at the approved
 * end: the earliest `until` any committee approved (a committee may shorten the requested
 * period, never extend it). Access starts at approval; the requested start date is shown
 * to the committee but the foundation's grants have no start (see the report).
 *
 * Expiry is correct at read time: an approved request whose end has passed is expired
 * (request_effective_state), and every read first sweeps such requests to `expired` with a
 * history entry and an audit row (actor "system:expiry"). The grant's own expires_at
 * stops access at the same instant (access_check_read: expires_at > now). Revocation sets
 * the request revoked and revoked_at on its grants in one transaction.
 *
 * Who may do what: the requester (or the operator) submits and withdraws; reviewers are
 * users holding the dac role who sit on a requested dataset's committee, admins and the
 * operator; a requester never reviews their own request. Anyone else is told the request
 * does not exist (GS_ENOTFOUND), a user without the dac or admin role who tries to review
 * or revoke gets GS_EFORBIDDEN. Revoking ends every grant of the request, so a committee
 * member must sit on the committee of each of its datasets (else GS_EFORBIDDEN: an admin
 * revokes it). The requester and the reviewers see the whole history.
 *
 * DUO: each request declares its purpose as DUO terms (policy/duo.h); each dataset's terms
 * are compared with it at read time and the conflicts shown to the committee. Approving a
 * request that has conflicts needs a comment saying why. Every change writes one history
 * entry and one audit row `request.<state>` (`request.review` for a decision on one part
 * while others are pending; `grant.add` per grant created) in its transaction. */
#ifndef GS_POLICY_REQUESTS_H
#define GS_POLICY_REQUESTS_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "policy/duo.h"
#include "store/store_requests.h"

enum request_state {
    REQUEST_DRAFT,
    REQUEST_SUBMITTED,
    REQUEST_APPROVED,
    REQUEST_REJECTED,
    REQUEST_WITHDRAWN,
    REQUEST_EXPIRED,
    REQUEST_REVOKED,
};
#define REQUEST_STATE_COUNT 7

enum request_event {
    REQUEST_EV_SUBMIT,
    REQUEST_EV_WITHDRAW,
    REQUEST_EV_APPROVE,
    REQUEST_EV_REJECT,
    REQUEST_EV_EXPIRE,
    REQUEST_EV_REVOKE,
};
#define REQUEST_EVENT_COUNT 6

#define REQUEST_DATASETS_MAX 16

const char *request_state_name(enum request_state s);  /* "submitted" */
const char *request_event_name(enum request_event e);  /* "submit" */
int request_state_parse(const char *text, enum request_state *out,
                        struct gs_err *err) GS_MUST_USE;

/* The one transition table: GS_OK with *to set, or GS_ECONFLICT "cannot EVENT a STATE
 * request". Pure. */
int request_transition(enum request_state from, enum request_event ev, enum request_state *to,
                       struct gs_err *err) GS_MUST_USE;

/* The state a stored request is in at now: an approved request whose approved end is at
 * or before now is expired (the same instant its grants stop: they need expires_at > now). */
enum request_state request_effective_state(enum request_state stored, time_t approved_until,
                                           time_t now);

/* ---- committees and dataset terms (operator / admin tasks) ---- */
int requests_dac_add(struct store *s, const struct actor *by, const char *dataset,
                     const char *user, time_t now, struct gs_err *err) GS_MUST_USE;
int requests_dac_remove(struct store *s, const struct actor *by, const char *dataset,
                        const char *user, struct gs_err *err) GS_MUST_USE;
/* terms: as duo_parse(…, DUO_FOR_DATASET); stored canonical. */
int requests_duo_set(struct store *s, const struct actor *by, const char *dataset,
                     const char *terms, time_t now, struct gs_err *err) GS_MUST_USE;

/* ---- the workflow ---- */
struct request_input {
    const char *datasets[REQUEST_DATASETS_MAX]; /* names; borrowed for the call */
    int ndatasets;
    const char *purpose;
    const char *duo;   /* the purpose as DUO terms, e.g. "HMB,IRB,PUB" */
    bool commercial;   /* declared commercial (for-profit) use */
    time_t from, until;
    bool submit;       /* submit at once (one transaction with the draft) */
};
/* Files a request for requester_id (who must be that user, or the operator). */
int requests_create(struct store *s, const struct actor *by, const struct principal *who,
                    int64_t requester_id, const struct request_input *in, time_t now,
                    int64_t *id_out, struct gs_err *err) GS_MUST_USE;
int requests_submit(struct store *s, const struct actor *by, const struct principal *who,
                    int64_t id, time_t now, struct gs_err *err) GS_MUST_USE;
int requests_withdraw(struct store *s, const struct actor *by, const struct principal *who,
                      int64_t id, const char *comment, time_t now,
                      struct gs_err *err) GS_MUST_USE;
/* until: 0 for the requested end; else must be after now and not after the requested end.
 * comment may be NULL, except when approving a request with DUO conflicts. */
int requests_review(struct store *s, const struct actor *by, const struct principal *who,
                    int64_t id, bool approve, const char *comment, time_t until, time_t now,
                    struct gs_err *err) GS_MUST_USE;
int requests_revoke(struct store *s, const struct actor *by, const struct principal *who,
                    int64_t id, const char *comment, time_t now, struct gs_err *err) GS_MUST_USE;
/* Moves every approved request whose end has passed to expired (history + audit). Every
 * read below calls it first; exposed for tests. */
int requests_sweep(struct store *s, time_t now, struct gs_err *err) GS_MUST_USE;

/* ---- reads ---- */

/* One request as who may see it: GS_ENOTFOUND when who may not. The JSON has the
 * request, its effective state, each dataset with its terms, decision and DUO conflicts,
 * the history, and what who may do next ("can"). The caller owns *out (json_decref). */
int requests_get_json(struct store *s, const struct principal *who, int64_t id, time_t now,
                      json_t **out, struct gs_err *err) GS_MUST_USE;

/* Requests visible to who matching f (state filters on the effective state; NULL: any),
 * each as requests_get_json gives it, in id order. The operator and admins see every
 * request; others their own plus (holding the dac role) those of their committees. The
 * caller owns *out, a JSON array. */
struct request_list_filter {
    int64_t user_id;          /* filed by this user (0: any) */
    const char *state;        /* effective state name, or NULL */
    const char *dataset;      /* asking for this dataset, or NULL */
    bool dac_queue;           /* only requests awaiting a decision of who's committees */
};
int requests_list_json(struct store *s, const struct principal *who,
                       const struct request_list_filter *f, time_t now, json_t **out,
                       struct gs_err *err) GS_MUST_USE;

/* who's grants (direct and from requests): dataset, since, until, request (or null),
 * state active / expired / revoked. The caller owns *out, a JSON array. */
int requests_my_access_json(struct store *s, const struct principal *who, time_t now,
                            json_t **out, struct gs_err *err) GS_MUST_USE;

#endif
