/* access.h — who may read what: the one access decision of genoshare.
 *
 * access_decide is a pure function of facts; access_check_read gathers those facts from
 * the store for one principal and one record (or a whole dataset) and calls it. Every
 * endpoint and CLI command that reads dataset contents goes through access_check_read.
 *
 * The rules, in order:
 *   1. the local operator (CLI without --as) reads everything (and is still audited);
 *   2. tier: open → anyone; otherwise an anonymous caller is refused; the dataset's own
 *      institution passes; restricted → a member of the dataset's consortium (directly or
 *      through the institution); controlled → the holder of an unrevoked, unexpired grant;
 *   3. scope of a patient-level record: international → anyone who passed the tier;
 *      domestic → users of institutions in the record institution's country;
 *      private → users of the record's own institution.
 * Roles never widen a read: an admin or curator is decided like anyone else.
 *
 * A peer (another Matchmaker Exchange node, authenticated by its X-Auth-Token) is an
 * external node, not a person: it belongs to no institution, consortium or grant, so
 *   - tier: it passes open datasets only (restricted data is for consortium members and
 *     controlled data for named grant holders, neither of which a node can be);
 *   - scope: private → never; domestic → only a peer registered as domestic (a node in
 *     this node's country: genoshare is run as a national node, so "domestic" means the
 *     records' country); international → every peer.
 * The same rule decides what we may send to a peer (outbound MME): a case goes to a peer
 * only when that peer could read it here. */
#ifndef GS_ACCESS_ACCESS_H
#define GS_ACCESS_ACCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/model.h"
#include "store/store.h"

/* Who is asking. Filled by principal_* or the auth module; plain data, no ownership. */
struct principal {
    int64_t user_id;           /* 0: anonymous */
    char name[STORE_NAME_MAX]; /* "anonymous", "operator" or the user name */
    int64_t institution_id;    /* 0 for anonymous and operator */
    char country[3];
    unsigned roles;
    bool is_operator;
    int64_t peer_id;           /* > 0: a Matchmaker Exchange peer node (principal_peer) */
    bool peer_domestic;        /* the peer was registered with scope domestic */
};

void principal_anonymous(struct principal *p);
void principal_operator(struct principal *p);
/* A Matchmaker Exchange peer node: name "peer:NAME", no user, no institution. */
void principal_peer(struct principal *p, int64_t peer_id, const char *name, bool domestic);
/* A user's principal; GS_ENOTFOUND for unknown, GS_EAUTH for a disabled account. */
int principal_for_user(struct store *s, int64_t user_id, struct principal *p,
                       struct gs_err *err) GS_MUST_USE;
int principal_for_name(struct store *s, const char *name, struct principal *p,
                       struct gs_err *err) GS_MUST_USE;

struct access_facts {
    enum tier tier;
    enum scope scope;         /* SCOPE_INTERNATIONAL for dataset-level reads */
    bool is_operator;
    bool anonymous;
    bool dataset_institution; /* the caller belongs to the dataset's institution */
    bool consortium_member;   /* of the dataset's consortium */
    bool grant_active;        /* unrevoked, unexpired grant for the dataset */
    bool record_institution;  /* the caller belongs to the record's institution */
    bool record_country;      /* the caller's institution is in the record's country */
    bool peer;                /* the caller is a peer node (the peer rule above) */
    bool peer_domestic;       /* …registered as domestic */
};

struct access_decision {
    bool allowed;
    const char *reason; /* static text, e.g. "consortium member", "scope private" */
};

struct access_decision access_decide(const struct access_facts *f);

/* Decides whether p may read a record of dataset d submitted by record_institution_id
 * with the given scope (pass 0 and SCOPE_INTERNATIONAL for the dataset as a whole). */
int access_check_read(struct store *s, const struct principal *p, const struct store_dataset *d,
                      int64_t record_institution_id, enum scope scope, time_t now,
                      struct access_decision *out, struct gs_err *err) GS_MUST_USE;

#endif
