/* store_mme.h — persistence of Matchmaker Exchange peers and of the exchanges with them
 * (schema v9).
 *
 * A peer row holds the SHA-256 of the token the peer sends us (never the token itself: the
 * token is shown once, when the peer is added) and, in clear, the token we send the peer,
 * because we must present it on every outbound call (protect the database file as you would
 * that secret). Each exchange (inbound request answered, outbound request made) is one row:
 * /mme/metrics counts them, and the audit trail says who saw which case. Domain terms only;
 * sqlite_mme.c holds the SQL. Nothing here validates: src/mme/ does. */
#ifndef GS_STORE_STORE_MME_H
#define GS_STORE_STORE_MME_H

#include "core/crypto.h"
#include "core/model.h"
#include "store/store.h"

#define MME_PEER_URL_MAX 512
#define MME_PEER_TOKEN_MAX 256

struct store_mme_peer {
    int64_t id;
    char name[STORE_NAME_MAX];
    char url[MME_PEER_URL_MAX];        /* base URL: requests go to URL/match */
    enum scope scope;                  /* SCOPE_DOMESTIC or SCOPE_INTERNATIONAL */
    char token_hash[GS_SHA256_HEX_LEN + 1]; /* of the token the peer sends in X-Auth-Token */
    char their_token[MME_PEER_TOKEN_MAX];   /* what we send the peer; "" when none */
    bool disabled;
    time_t created_at;
};

/* Inserts a peer (in->id ignored); GS_ECONFLICT when the name or token hash is taken. Runs
 * inside the caller's transaction. */
int store_mme_peer_insert(struct store *s, const struct store_mme_peer *in, int64_t *id_out,
                          struct gs_err *err) GS_MUST_USE;
/* GS_ENOTFOUND "no MME peer named 'X'". */
int store_mme_peer_by_name(struct store *s, const char *name, struct store_mme_peer *out,
                           struct gs_err *err) GS_MUST_USE;
/* The peer whose token hashes to hash (disabled ones too: the caller decides); GS_ENOTFOUND
 * without a message otherwise. */
int store_mme_peer_by_token_hash(struct store *s, const char *hash, struct store_mme_peer *out,
                                 struct gs_err *err) GS_MUST_USE;
/* Rewrites url, scope, their_token and disabled of peer in->id. */
int store_mme_peer_update(struct store *s, const struct store_mme_peer *in,
                          struct gs_err *err) GS_MUST_USE;
int store_mme_peer_delete(struct store *s, int64_t id, struct gs_err *err) GS_MUST_USE;
/* Walks the peers in name order; fn's non-zero stops the walk and is returned. */
typedef int (*store_mme_peer_fn)(void *ctx, const struct store_mme_peer *p);
int store_mme_peer_each(struct store *s, store_mme_peer_fn fn, void *ctx,
                        struct gs_err *err) GS_MUST_USE;

/* One exchange with a peer. */
enum mme_direction { MME_INBOUND, MME_OUTBOUND };
struct store_mme_exchange {
    char peer[STORE_NAME_MAX];
    enum mme_direction direction;
    time_t at;
    int64_t case_id;    /* outbound: the case sent (0: an ad-hoc query) */
    int results;        /* inbound: cases returned; outbound: results received */
    char status[STORE_TEXT_MAX]; /* "ok" or the error */
};
int store_mme_exchange_insert(struct store *s, const struct store_mme_exchange *x,
                              struct gs_err *err) GS_MUST_USE;
/* Inbound totals: requests answered and results sent. */
int store_mme_exchange_totals(struct store *s, int64_t *requests, int64_t *results,
                              struct gs_err *err) GS_MUST_USE;

#endif
