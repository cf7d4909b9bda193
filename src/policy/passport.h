/* passport.h — GA4GH Passports (v1.2): a signed-in user presents a passport, and each valid
 * ControlledAccessGrants visa in it becomes an access_grant that expires with the visa.
 *
 * Trust is configured by the operator, never discovered: an issuer (name, iss URL, JWKS
 * stored in the database, trusted visa sources, accepted `by` values) may sign passports
 * (as a broker) and visas. No key is fetched at verification time; the token's own header
 * keys (jwk, jku, x5u, x5c) are ignored.
 *
 * Every JWT (passport or visa) passes the same checks, in this order, each refusal naming
 * its reason: compact JWS, alg exactly RS256 or ES256 (none, HS*, PS*, … refused before any
 * key is touched), `iss` a trusted issuer, `kid` present and in that issuer's JWKS, key type
 * matching alg (RSA ≥ 2048 bits for RS256, EC P-256 for ES256, and the key's own `alg` if it
 * has one), signature verified by rhonabwy, then claims checked here against `now`:
 * `exp` > now (a token expiring at now is expired), `iat` present and not after
 * now + PASSPORT_SKEW, `nbf` (if any) not after now + PASSPORT_SKEW, `exp` > `iat`.
 *
 * A visa then counts for user U when: its ga4gh_visa_v1.type is ControlledAccessGrants
 * (other types are ignored, not refused); `by` is present and in the issuer's accepted list;
 * `source` is one of the issuer's trusted sources (an issuer without sources signs
 * passports only); it has no `conditions` (not supported: refused rather than ignored);
 * `asserted` is not in the future; `value` is exactly PREFIX "datasets/" NAME, PREFIX being
 * the configured value prefix (default PASSPORT_PREFIX_DEFAULT) and NAME an existing
 * controlled dataset; and its subject is U's: its `sub` equals the passport's `sub` (the
 * broker, whose signature was checked, vouches for that), or its (iss, sub) is linked to U.
 * The passport itself must have its (iss, sub) linked to U (`passport link`).
 * A revocation of U's grant for that dataset outlasts every visa asserted before it (issuers
 * mint fresh tokens of one assertion, so the token alone cannot carry the revocation).
 *
 * The grant expires at min(visa exp, passport exp); access_check_read needs no change.
 * A bad passport refuses everything; a bad visa in a good passport refuses only that visa. */
#ifndef GS_POLICY_PASSPORT_H
#define GS_POLICY_PASSPORT_H

#include <jansson.h>
#include <stdint.h>
#include <time.h>

#include "audit/audit.h"
#include "store/store.h"
#include "store/store_passport.h"

#define PASSPORT_PREFIX_DEFAULT "https://genoshare.example/"
#define PASSPORT_SKEW 60                 /* seconds of clock skew allowed for iat and nbf */
#define PASSPORT_TOKEN_MAX (256 * 1024)  /* bytes of a passport JWT */
#define PASSPORT_VISAS_MAX 200           /* visas per passport */
#define PASSPORT_REASON_MAX 320

enum passport_verdict {
    PASSPORT_ACCEPTED, /* a grant now exists (new, or recorded before: see recorded) */
    PASSPORT_REFUSED,  /* reason says why; audited as passport.visa.refused when presented */
    PASSPORT_IGNORED,  /* a valid-looking visa of a type genoshare does not use */
};
const char *passport_verdict_name(enum passport_verdict v); /* "accepted" */

/* What was decided about one visa. Plain data. */
struct passport_visa_result {
    int index;                       /* position in ga4gh_passport_v1 */
    enum passport_verdict verdict;
    char reason[PASSPORT_REASON_MAX];
    char type[64];
    char dataset[STORE_NAME_MAX];    /* "" unless value named a dataset */
    bool recorded;                   /* accepted before: its grant already exists */
    struct store_passport_visa visa; /* iss, sub, jti, value, source, by, asserted, expires */
};

/* What was decided about one passport. Free with passport_result_free. */
struct passport_result {
    char iss[STORE_URL_MAX];
    char sub[STORE_TEXT_MAX];
    time_t exp;
    int nvisas;
    struct passport_visa_result *visas; /* owned: nvisas entries */
};
void passport_result_free(struct passport_result *r);

/* The result as JSON ({"passport":{iss,sub,exp},"visas":[{index,verdict,reason,type,dataset,
 * grant_id,expires}],"accepted":N,"refused":N}), for the API and `passport check --json`.
 * The caller owns the returned object; NULL when out of memory. */
json_t *passport_result_json(const struct passport_result *r);

/* The JOSE core, exposed for tests: verifies one compact JWT signed by the issuer whose
 * JWKS is jwks_json, with the checks listed above (iss must equal iss). On success the
 * caller owns *claims (json_decref). GS_EINVAL with the reason otherwise. */
int passport_jwt_verify(const char *token, const char *iss, const char *jwks_json, time_t now,
                        json_t **claims, struct gs_err *err) GS_MUST_USE;

/* Validates a passport without writing anything. user_id 0: no subject checks (a dry run
 * of signatures, issuers and datasets). GS_OK with a verdict per visa; GS_EINVAL with the
 * reason when the passport as a whole is refused (out is then empty). */
int passport_check(struct store *s, const char *token, int64_t user_id, time_t now,
                   struct passport_result *out, struct gs_err *err) GS_MUST_USE;

/* Checks the passport for the named user and, in one transaction, records a grant for each
 * accepted visa (with its passport_visa row and a passport.visa.accepted audit row) and a
 * passport.visa.refused audit row for each refused one. A refused passport is audited as
 * passport.refused (its own transaction) and returned as GS_EINVAL. */
int passport_present(struct store *s, const struct actor *by, const char *token,
                     const char *user, time_t now, struct passport_result *out,
                     struct gs_err *err) GS_MUST_USE;

/* ---- operator configuration (each audited) ---- */

/* jwks_json: public keys only, each with a kid, RSA ≥ 2048 or EC P-256. sources: comma-
 * separated URLs or NULL; by_list: comma-separated of self, peer, system, so, dac (NULL:
 * "dac,so,system"). */
int passport_issuer_add(struct store *s, const struct actor *by, const char *name,
                        const char *iss, const char *jwks_json, const char *sources,
                        const char *by_list, time_t now, struct gs_err *err) GS_MUST_USE;
int passport_issuer_remove(struct store *s, const struct actor *by, const char *name,
                           time_t now, struct gs_err *err) GS_MUST_USE;
/* Links the external subject (iss, sub) to a genoshare user; iss must be trusted. */
int passport_link_add(struct store *s, const struct actor *by, const char *user,
                      const char *iss, const char *sub, time_t now,
                      struct gs_err *err) GS_MUST_USE;
/* An http(s) URL ending in "/". */
int passport_prefix_set(struct store *s, const struct actor *by, const char *prefix,
                        time_t now, struct gs_err *err) GS_MUST_USE;

#endif
