/* mme.h — the Matchmaker Exchange service (issue 3, item 5): peers and their tokens, the
 * answer to a peer's match request, metrics, and outbound search of the peers.
 *
 * Decisions:
 *   - A peer is authenticated by the X-Auth-Token it sends: we keep its SHA-256 only (the
 *     token is random, 32 bytes, shown once by mme_peer_add). A missing, unknown or disabled
 *     token is GS_EAUTH (401). The peer then reads as principal_peer: the one access
 *     decision (access.h) limits it to open-tier datasets and to cases whose scope allows it
 *     (private never; domestic only to a domestic peer), and match_search applies that
 *     before ranking, so hidden cases change neither results nor scores.
 *   - Inbound: the request's patient is read by mme_patient.h into a query (observed and
 *     excluded terms, genes, variants); genes unknown to the gene table are left out and
 *     named in "_notes" rather than failing the request (a peer may use an id we lack).
 *     Each result is the case as an MME patient with score.patient in [0, 1] (our score
 *     s as s / (1 + s): the same order, 0.5 for a gene-only match) and "_"-prefixed
 *     extras: the raw score and its parts, and the explanation (matched term pairs with
 *     their MICA and IC, shared genes and variants). One audit row "mme.match" names the peer and
 * the cases returned.
 *   - Outbound: a case goes to a peer only when that peer could read the case here (the
 *     same access decision, with the peer's principal): private cases never leave, domestic
 *     ones go to domestic peers only, restricted or controlled data to nobody. An ad-hoc
 *     query (terms typed by a user, not a stored case) goes to every enabled peer. Peers are
 *     asked in parallel (libcurl multi) with a connect timeout and a total timeout for the
 *     whole round; a peer that fails, is slow, answers an error status, another media type,
 *     malformed JSON, an invalid response or more than MME_RESPONSE_MAX bytes is reported
 *     as that node's error and never fails the search. Answers are validated
 *     (mme_protocol.h) and merged, best score first, each labelled with its node. One audit
 *     row "mme.send" says which case went to which peers and which peers were withheld. */
#ifndef GS_MME_MME_H
#define GS_MME_MME_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "match/search.h"
#include "pheno/hpo.h"
#include "store/store_cases.h"
#include "store/store_mme.h"

#define MME_TOKEN_TEXT_MAX 80       /* "gsm_" + 64 hex digits */
#define MME_INBOUND_RESULTS 20      /* results we send a peer */
#define MME_PEER_RESULTS_MAX 100    /* results we read from one peer */
#define MME_RESPONSE_MAX (1u << 20) /* bytes we read from one peer */
#define MME_CONNECT_TIMEOUT_MS 2000
#define MME_TOTAL_TIMEOUT_MS 8000

/* ---- peers ---- */

/* Registers a peer: name (a genoshare name), url (http:// or https:// base; requests go to
 * URL/match), scope (domestic or international), their_token (what we send them; NULL or
 * "" for none). token_out (MME_TOKEN_TEXT_MAX bytes) gets the token they must send us,
 * which is stored hashed only. Audited ("mme.peer.add"). */
int mme_peer_add(struct store *s, const struct actor *by, const char *name, const char *url,
                 enum scope scope, const char *their_token, time_t now, char *token_out,
                 struct gs_err *err) GS_MUST_USE;
/* Changes a peer: each non-NULL argument replaces its field (disabled: NULL keeps it).
 * Audited ("mme.peer.update"). */
int mme_peer_update(struct store *s, const struct actor *by, const char *name, const char *url,
                    const enum scope *scope, const char *their_token, const bool *disabled,
                    time_t now, struct gs_err *err) GS_MUST_USE;
/* Removes a peer (its past exchanges stay in the log). Audited ("mme.peer.remove"). */
int mme_peer_remove(struct store *s, const struct actor *by, const char *name, time_t now,
                    struct gs_err *err) GS_MUST_USE;
/* The enabled peer whose token this is; GS_EAUTH for NULL, empty, unknown or disabled. */
int mme_peer_authenticate(struct store *s, const char *token, struct store_mme_peer *out,
                          struct gs_err *err) GS_MUST_USE;
/* The peer's principal for the access decision. */
void mme_peer_principal(const struct store_mme_peer *peer, struct principal *out);

/* ---- inbound ---- */

/* Answers a validated match request (mme_validate_request) from peer: *out gets
 * {"results":[…], "_notes":[…]} (caller owns). h may not be NULL; ix is the server's case
 * index (NULL: a temporary one, see match_search_indexed). GS_EUNPROCESSABLE when the
 * patient cannot be read (the field named). Audited ("mme.match"), logged for metrics. */
struct case_index;
int mme_match_inbound(struct case_index *ix, struct store *s, const struct hpo *h,
                      const struct store_mme_peer *peer, const struct actor *by,
                      const json_t *request, time_t now, json_t **out,
                      struct gs_err *err) GS_MUST_USE;

/* {"metrics":{numberOfCases, …, dateGenerated}} over the cases peer may see (caller owns). */
int mme_metrics(struct store *s, const struct store_mme_peer *peer, const struct actor *by,
                time_t now, json_t **out, struct gs_err *err) GS_MUST_USE;

/* {"heartbeat":{"production","version","accept":[…]}} (caller owns; NULL: out of memory). */
json_t *mme_heartbeat(void);

/* ---- the MME patient we send ---- */

/* The case as an MME patient that passes mme_validate_patient: mme_patient_from_case,
 * then contact.href made a URI (mailto: the email, else urn:genoshare:…), chromosome MT
 * as M, disorders other than MIM:/Orphanet: moved to "_disorders". Caller owns. */
json_t *mme_patient_for_peer(struct store *s, const struct store_case *c, struct gs_err *err);

/* ---- outbound ---- */

struct mme_outbound_options {
    long connect_timeout_ms; /* 0: MME_CONNECT_TIMEOUT_MS */
    long total_timeout_ms;   /* 0: MME_TOTAL_TIMEOUT_MS; bounds the whole round */
};

/* Asks the enabled peers with patient (an MME patient object). With a stored case (c not
 * NULL, d its dataset), only the peers that could read it are asked; c NULL: every enabled
 * peer. *out gets {"peers":[{"node","scope","status":"ok"|"error"|"withheld","error",
 * "results","ms"}], "remote_results":[{"node","score","patient",…}]} (caller owns). Fails
 * only for local reasons (store, memory); peers' failures are in the answer, and a patient
 * that is not a valid MME request (no usable feature or gene) asks nobody and says why in
 * "peers_error". Audited ("mme.send") and logged. */
int mme_search_peers(struct store *s, const struct actor *by, const json_t *patient,
                     const struct store_case *c, const struct store_dataset *d,
                     const struct mme_outbound_options *opt, time_t now, json_t **out,
                     struct gs_err *err) GS_MUST_USE;

/* The two ways a search reaches the peers (the API and the CLI share them):
 * for a stored case — who must see it (else GS_ENOTFOUND as cases_read says), it is sent as
 * mme_patient_for_peer makes it, and only to the peers that could read it;
 * for an ad-hoc query — q's well-formed HP ids, genes and variants as a patient whose
 * contact is asker ("<name> via genoshare", href urn:genoshare:user:<name>), to every
 * enabled peer. */
int mme_search_peers_for_case(struct store *s, const struct principal *who, const struct actor *by,
                              int64_t case_id, const struct mme_outbound_options *opt, time_t now,
                              json_t **out, struct gs_err *err) GS_MUST_USE;
int mme_search_peers_for_query(struct store *s, const struct actor *by, const char *asker,
                               const struct match_query *q, const struct mme_outbound_options *opt,
                               time_t now, json_t **out, struct gs_err *err) GS_MUST_USE;

#endif
