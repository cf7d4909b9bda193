/* test_passport.c — GA4GH Passport validation against keys and tokens made here: first the
 * JOSE core (and rhonabwy itself, as we call it) against forgery, alg=none, other keys,
 * tampering, unknown kids and every clock edge; then whole passports through a real store
 * (issuer trust, by/source, dataset mapping, subjects, one bad visa among good ones, grants
 * that expire with the visa, audit rows, idempotent re-presentation).
 *
 * With GENOSHARE_PASSPORT_FIXTURES=DIR set it also writes, before its checks, a JWKS and
 * signed passports into DIR for tests/e2e/test_passport.sh (so the end-to-end test drives
 * the CLI and API with real tokens without any crypto of its own). */
#include <rhonabwy.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/access.h"
#include "check.h"
#include "core/crypto.h"
#include "policy/passport.h"
#include "registry/registry.h"

#define MUST(expr)                                                                          \
    do {                                                                                    \
        if ((expr) != GS_OK) {                                                              \
            fprintf(stderr, "setup failed at %s:%d: %s\n", __FILE__, __LINE__, #expr);      \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

#define BROKER "https://broker.example/"
#define VISAS "https://visas.example/"
#define DAC_SOURCE "https://dac.example/"
#define PREFIX PASSPORT_PREFIX_DEFAULT

struct keys {
    jwk_t *rsa, *rsa_pub;     /* kid rsa-1 */
    jwk_t *ec, *ec_pub;       /* kid ec-1 */
    jwk_t *other, *other_pub; /* another RSA key, also claiming kid rsa-1 */
    jwk_t *visa, *visa_pub;   /* kid visa-1 (EC), the visa issuer's */
    char *broker_jwks;        /* {"keys":[rsa_pub, ec_pub]} */
    char *visa_jwks;          /* {"keys":[visa_pub]} */
};

static void keypair(jwk_t **priv, jwk_t **pub, int type, unsigned bits, const char *kid)
{
    MUST(r_jwk_init(priv) == RHN_OK ? GS_OK : GS_EINTERNAL);
    MUST(r_jwk_init(pub) == RHN_OK ? GS_OK : GS_EINTERNAL);
    MUST(r_jwk_generate_key_pair(*priv, *pub, type, bits, kid) == RHN_OK ? GS_OK : GS_EINTERNAL);
}

static char *jwks_of(jwk_t *a, jwk_t *b)
{
    json_t *keys = json_array();
    json_array_append_new(keys, r_jwk_export_to_json_t(a));
    if (b)
        json_array_append_new(keys, r_jwk_export_to_json_t(b));
    json_t *doc = json_pack("{s:o}", "keys", keys);
    char *text = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return text;
}

static void make_keys(struct keys *k)
{
    keypair(&k->rsa, &k->rsa_pub, R_KEY_TYPE_RSA, 2048, "rsa-1");
    keypair(&k->ec, &k->ec_pub, R_KEY_TYPE_EC, 256, "ec-1");
    keypair(&k->other, &k->other_pub, R_KEY_TYPE_RSA, 2048, "rsa-1");
    keypair(&k->visa, &k->visa_pub, R_KEY_TYPE_EC, 256, "visa-1");
    k->broker_jwks = jwks_of(k->rsa_pub, k->ec_pub);
    k->visa_jwks = jwks_of(k->visa_pub, NULL);
}

static void free_keys(struct keys *k)
{
    jwk_t *all[] = {k->rsa, k->rsa_pub, k->ec, k->ec_pub, k->other, k->other_pub, k->visa,
                    k->visa_pub};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        r_jwk_free(all[i]);
    free(k->broker_jwks);
    free(k->visa_jwks);
}

/* Signs claims (borrowed) with key; kid overrides the header's kid when not NULL. The
 * caller frees the token with free(). */
static char *sign(json_t *claims, jwk_t *key, jwa_alg alg, const char *kid)
{
    jwt_t *jwt = NULL;
    MUST(r_jwt_init(&jwt) == RHN_OK ? GS_OK : GS_EINTERNAL);
    MUST(r_jwt_set_full_claims_json_t(jwt, claims) == RHN_OK ? GS_OK : GS_EINTERNAL);
    MUST(r_jwt_set_sign_alg(jwt, alg) == RHN_OK ? GS_OK : GS_EINTERNAL);
    if (kid)
        MUST(r_jwt_set_header_str_value(jwt, "kid", kid) == RHN_OK ? GS_OK : GS_EINTERNAL);
    char *token = r_jwt_serialize_signed(jwt, key, 0);
    r_jwt_free(jwt);
    if (token == NULL) {
        fprintf(stderr, "setup failed: cannot sign with %s\n", r_jwa_alg_to_str(alg));
        exit(1);
    }
    char *copy = strdup(token);
    r_free(token);
    return copy;
}

static char *b64url(const void *data, size_t len)
{
    size_t n = sodium_base64_encoded_len(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = malloc(n);
    sodium_bin2base64(out, n, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

/* A token assembled by hand: header JSON text, claims, and an HMAC-SHA256 signature
 * keyed with secret (or no signature when secret is NULL). Forgeries only. */
static char *forge(const char *header, json_t *claims, const void *secret, size_t secret_len)
{
    char *payload = json_dumps(claims, JSON_COMPACT);
    char *h64 = b64url(header, strlen(header)), *p64 = b64url(payload, strlen(payload));
    size_t n = strlen(h64) + strlen(p64) + 128;
    char *token = malloc(n);
    snprintf(token, n, "%s.%s", h64, p64);
    if (secret) {
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256_state hs;
        crypto_auth_hmacsha256_init(&hs, secret, secret_len);
        crypto_auth_hmacsha256_update(&hs, (const unsigned char *)token, strlen(token));
        crypto_auth_hmacsha256_final(&hs, mac);
        char *m64 = b64url(mac, sizeof mac);
        strcat(strcat(token, "."), m64);
        free(m64);
    } else {
        strcat(token, ".");
    }
    free(payload);
    free(h64);
    free(p64);
    return token;
}

static json_t *claims_at(const char *iss, const char *sub, time_t iat, time_t exp)
{
    return json_pack("{s:s, s:s, s:I, s:I, s:s}", "iss", iss, "sub", sub, "iat", (json_int_t)iat,
                     "exp", (json_int_t)exp, "jti", "t-1");
}

/* Whether verifying token as BROKER's at now fails with a reason containing want (or
 * succeeds, when want is NULL). */
static bool verify_is(const struct keys *k, const char *token, time_t now, const char *want)
{
    json_t *claims = NULL;
    struct gs_err err = {0};
    int rc = passport_jwt_verify(token, BROKER, k->broker_jwks, now, &claims, &err);
    json_decref(claims);
    if (want == NULL)
        return rc == GS_OK || (printf("  (refused: %s)\n", err.msg), false);
    return (rc == GS_EINVAL && strstr(err.msg, want) != NULL) ||
           (printf("  (rc %d: %s)\n", rc, err.msg), false);
}

/* ---- the JOSE core ---- */

static void test_jose(struct check_state *st, const struct keys *k, time_t now)
{
    json_t *c = claims_at(BROKER, "ext-alice", now - 60, now + 3600);
    char *t;

    t = sign(c, k->rsa, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, NULL), "jose: RS256 from a trusted key verifies");
    free(t);
    t = sign(c, k->ec, R_JWA_ALG_ES256, NULL);
    CHECK(st, verify_is(k, t, now, NULL), "jose: ES256 from a trusted key verifies");
    free(t);

    /* Clock edges: exp is exclusive, as for grants. */
    json_t *edge = claims_at(BROKER, "ext-alice", now - 60, now);
    t = sign(edge, k->rsa, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, "expired"), "jose: exp == now is expired");
    CHECK(st, verify_is(k, t, now - 1, NULL), "jose: the same token one second earlier verifies");
    free(t);
    json_decref(edge);
    edge = claims_at(BROKER, "ext-alice", now - 7200, now - 3600);
    t = sign(edge, k->rsa, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, "expired"), "jose: expired an hour ago is refused");
    free(t);
    json_decref(edge);
    edge = claims_at(BROKER, "ext-alice", now + 3600, now + 7200);
    t = sign(edge, k->rsa, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, "future"), "jose: iat an hour ahead is refused");
    free(t);
    json_decref(edge);
    edge = claims_at(BROKER, "ext-alice", now + PASSPORT_SKEW, now + 7200);
    t = sign(edge, k->rsa, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, NULL), "jose: iat within the allowed skew verifies");
    free(t);
    json_object_del(edge, "iat");
    t = sign(edge, k->rsa, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, "no iat"), "jose: missing iat is refused");
    free(t);
    json_decref(edge);
    edge = claims_at(BROKER, "ext-alice", now - 60, now + 3600);
    json_object_set_new(edge, "nbf", json_integer(now + 600));
    t = sign(edge, k->rsa, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, "not valid before"), "jose: nbf ten minutes ahead is refused");
    free(t);
    json_object_del(edge, "exp");
    t = sign(edge, k->rsa, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, "no exp"), "jose: missing exp is refused");
    free(t);
    json_decref(edge);

    /* Issuer: the claim must be the issuer whose keys were used. */
    json_t *wrong = claims_at("https://evil.example/", "ext-alice", now - 60, now + 3600);
    t = sign(wrong, k->rsa, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, "iss is not"), "jose: wrong iss claim is refused");
    free(t);
    json_decref(wrong);

    /* Keys: another key under the same kid, an unknown kid, a kid of the wrong type. */
    t = sign(c, k->other, R_JWA_ALG_RS256, NULL);
    CHECK(st, verify_is(k, t, now, "bad signature"), "jose: signed by another key is refused");
    free(t);
    t = sign(c, k->rsa, R_JWA_ALG_RS256, "rsa-9");
    CHECK(st, verify_is(k, t, now, "unknown kid"), "jose: unknown kid is refused");
    free(t);
    t = sign(c, k->rsa, R_JWA_ALG_RS256, "ec-1");
    CHECK(st, verify_is(k, t, now, "not an RSA key"), "jose: RS256 naming an EC key is refused");
    free(t);
    t = sign(c, k->ec, R_JWA_ALG_ES256, "rsa-1");
    CHECK(st, verify_is(k, t, now, "not an EC P-256"), "jose: ES256 naming an RSA key is refused");
    free(t);

    /* Tampering: a flipped signature byte, and new claims under the old signature. */
    t = sign(c, k->rsa, R_JWA_ALG_RS256, NULL);
    char *sig = strrchr(t, '.') + 10;
    *sig = *sig == 'A' ? 'B' : 'A';
    CHECK(st, verify_is(k, t, now, "bad signature"), "jose: tampered signature is refused");
    free(t);
    t = sign(c, k->rsa, R_JWA_ALG_RS256, NULL);
    json_t *more = claims_at(BROKER, "ext-mallory", now - 60, now + 3600);
    char *t2 = sign(more, k->rsa, R_JWA_ALG_RS256, NULL);
    char spliced[8192];
    snprintf(spliced, sizeof spliced, "%.*s%s", (int)(strchr(t2, '.') - t2),
             t2, strchr(t2, '.'));
    memcpy(strrchr(spliced, '.'), strrchr(t, '.'), strlen(strrchr(t, '.')) + 1);
    CHECK(st, verify_is(k, spliced, now, "bad signature"),
          "jose: claims swapped under another token's signature are refused");
    free(t);
    free(t2);
    json_decref(more);

    /* Algorithms: none (any spelling), HS256 keyed with the public key, RS384, PS256. */
    const char *none_headers[] = {"{\"alg\":\"none\",\"kid\":\"rsa-1\"}",
                                  "{\"alg\":\"None\",\"kid\":\"rsa-1\"}",
                                  "{\"alg\":\"NONE\",\"typ\":\"JWT\"}"};
    for (size_t i = 0; i < 3; i++) {
        t = forge(none_headers[i], c, NULL, 0);
        CHECK(st, verify_is(k, t, now, "not accepted"), "jose: unsigned token %zu (%s) refused",
              i, none_headers[i]);
        free(t);
    }
    unsigned char pem[4096];
    size_t pem_len = sizeof pem;
    MUST(r_jwk_export_to_pem_der(k->rsa_pub, R_FORMAT_PEM, pem, &pem_len, 0) == RHN_OK
             ? GS_OK : GS_EINTERNAL);
    const char *hs = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"rsa-1\"}";
    t = forge(hs, c, pem, pem_len);
    CHECK(st, verify_is(k, t, now, "not accepted"),
          "jose: HS256 forged with the RSA public key (PEM) as secret is refused");
    /* The library on its own, as we call it: told to verify with the RSA public key, it
     * must not treat that key as an HMAC secret. */
    jwt_t *raw = NULL;
    MUST(r_jwt_init(&raw) == RHN_OK ? GS_OK : GS_EINTERNAL);
    int parsed = r_jwt_advanced_parse(raw, t, R_PARSE_NONE, R_FLAG_IGNORE_REMOTE);
    CHECK(st, parsed != RHN_OK || r_jwt_verify_signature(raw, k->rsa_pub, 0) != RHN_OK,
          "jose: rhonabwy alone refuses the HS256 forgery with the RSA public key");
    r_jwt_free(raw);
    free(t);
    char *jwk_text = r_jwk_export_to_json_str(k->rsa_pub, 0);
    t = forge(hs, c, jwk_text, strlen(jwk_text));
    CHECK(st, verify_is(k, t, now, "not accepted"),
          "jose: HS256 forged with the public JWK text as secret is refused");
    free(t);
    r_free(jwk_text);
    t = forge(none_headers[0], c, NULL, 0);
    MUST(r_jwt_init(&raw) == RHN_OK ? GS_OK : GS_EINTERNAL);
    CHECK(st, r_jwt_advanced_parse(raw, t, R_PARSE_NONE, R_FLAG_IGNORE_REMOTE) != RHN_OK ||
                  r_jwt_verify_signature(raw, k->rsa_pub, 0) != RHN_OK,
          "jose: rhonabwy alone (R_PARSE_NONE) refuses alg=none");
    r_jwt_free(raw);
    free(t);
    t = sign(c, k->rsa, R_JWA_ALG_RS384, "rsa-1");
    CHECK(st, verify_is(k, t, now, "not accepted"), "jose: RS384 is refused (RS256/ES256 only)");
    free(t);
    t = sign(c, k->rsa, R_JWA_ALG_PS256, "rsa-1");
    CHECK(st, verify_is(k, t, now, "not accepted"), "jose: PS256 is refused (RS256/ES256 only)");
    free(t);

    /* A key carried in the token's own header is never used. */
    jwt_t *jwt = NULL;
    MUST(r_jwt_init(&jwt) == RHN_OK ? GS_OK : GS_EINTERNAL);
    json_t *own = r_jwk_export_to_json_t(k->other_pub);
    MUST(r_jwt_set_full_claims_json_t(jwt, c) == RHN_OK ? GS_OK : GS_EINTERNAL);
    MUST(r_jwt_set_sign_alg(jwt, R_JWA_ALG_RS256) == RHN_OK ? GS_OK : GS_EINTERNAL);
    MUST(r_jwt_set_header_json_t_value(jwt, "jwk", own) == RHN_OK ? GS_OK : GS_EINTERNAL);
    char *embedded = r_jwt_serialize_signed(jwt, k->other, 0);
    CHECK(st, embedded && verify_is(k, embedded, now, "bad signature"),
          "jose: a token carrying its own jwk header is refused");
    r_free(embedded);
    json_decref(own);
    r_jwt_free(jwt);

    CHECK(st, verify_is(k, "abc.def", now, "compact"), "jose: two-part token is refused");
    CHECK(st, verify_is(k, "a.b.c.d.e", now, "compact"), "jose: JWE-shaped token is refused");
    CHECK(st, verify_is(k, "!!!.e30.x", now, "base64url"), "jose: garbage header is refused");
    json_decref(c);
}

/* ---- passports through the store ---- */

struct world {
    struct store *s;
    struct actor by;
    int64_t alice, bob;
    char path[64];
};

static void build_world(struct world *w, const struct keys *k, time_t now)
{
    struct gs_err err = {0};
    snprintf(w->path, sizeof w->path, "/tmp/gs-passport-XXXXXX");
    int fd = mkstemp(w->path);
    close(fd);
    unlink(w->path);
    MUST(store_open(w->path, &w->s, &err));
    w->by.name = "test";
    w->by.origin = "unit";
    struct store *s = w->s;
    MUST(registry_institution_add(s, &w->by, "osaka-u", "Osaka", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "kyoto-u", "Kyoto", "JP", NULL, &err));
    /* Nobody but the datasets' owner (osaka-u) reads them without a grant. */
    MUST(registry_user_add(s, &w->by, "alice", "Alice", "kyoto-u", ROLE_MEMBER, NULL, &w->alice,
                           &err));
    MUST(registry_user_add(s, &w->by, "bob", "Bob", "kyoto-u", ROLE_MEMBER, NULL, &w->bob, &err));
    MUST(registry_institution_add(s, &w->by, "snuh", "Seoul", "KR", NULL, &err));
    MUST(registry_user_add(s, &w->by, "carol", "Carol", "snuh", ROLE_MEMBER, NULL, NULL, &err));
    MUST(registry_consortium_add(s, &w->by, "rare", "Rare", NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "hcv", "Controlled", TIER_CONTROLLED, DATA_VARIANTS,
                              "osaka-u", NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "hcv2", "Controlled 2", TIER_CONTROLLED, DATA_VARIANTS,
                              "osaka-u", NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "rare-cases", "Restricted", TIER_RESTRICTED,
                              DATA_PHENOTYPE, "osaka-u", "rare", NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "summary", "Open", TIER_OPEN, DATA_VARIANTS, "osaka-u",
                              NULL, NULL, &err));
    MUST(passport_issuer_add(s, &w->by, "broker", BROKER, k->broker_jwks, NULL, NULL, now, &err));
    MUST(passport_issuer_add(s, &w->by, "visas", VISAS, k->visa_jwks, DAC_SOURCE, "dac,so", now,
                             &err));
    MUST(passport_link_add(s, &w->by, "carol", BROKER, "ext-carol", now, &err));
    MUST(passport_link_add(s, &w->by, "bob", VISAS, "visa-sub-bob", now, &err));
}

/* A ControlledAccessGrants visa from the visa issuer (changes applied by the caller). */
static json_t *visa_claims(const char *sub, const char *value, time_t now, time_t exp)
{
    json_t *c = claims_at(VISAS, sub, now - 60, exp);
    json_object_set_new(c, "ga4gh_visa_v1",
                        json_pack("{s:s, s:I, s:s, s:s, s:s}", "type", "ControlledAccessGrants",
                                  "asserted", (json_int_t)(now - 86400), "value", value,
                                  "source", DAC_SOURCE, "by", "dac"));
    return c;
}

static void visa_set(json_t *claims, const char *key, json_t *value)
{
    json_object_set_new(json_object_get(claims, "ga4gh_visa_v1"), key, value);
}

/* A passport from the broker for sub holding visas (a JSON array, stolen). */
static char *passport(const struct keys *k, const char *sub, json_t *visas, time_t now,
                      time_t exp)
{
    json_t *c = claims_at(BROKER, sub, now - 30, exp);
    json_object_set_new(c, "ga4gh_passport_v1", visas);
    char *t = sign(c, k->rsa, R_JWA_ALG_RS256, NULL);
    json_decref(c);
    return t;
}

/* Appends a visa token signed with key (claims borrowed). */
static void add_visa(json_t *list, json_t *claims, jwk_t *key, jwa_alg alg)
{
    char *t = sign(claims, key, alg, NULL);
    json_array_append_new(list, json_string(t));
    free(t);
}

struct counter {
    const char *action;
    int n;
};

static int count_row(void *ctx, const struct store_audit_row *row)
{
    struct counter *c = ctx;
    if (strcmp(row->action, c->action) == 0)
        c->n++;
    return 0;
}

/* The number of audit rows with this action. */
static int count_actions(struct store *s, const char *action)
{
    struct counter c = {action, 0};
    struct gs_err err = {0};
    MUST(store_audit_each(s, 0, count_row, &c, &err));
    return c.n;
}

static bool can_read(struct world *w, const char *user, const char *dataset, time_t at)
{
    struct principal p;
    struct store_dataset d;
    struct access_decision v = {false, ""};
    struct gs_err err = {0};
    MUST(principal_for_name(w->s, user, &p, &err));
    MUST(store_dataset_by_name(w->s, dataset, &d, &err));
    MUST(access_check_read(w->s, &p, &d, 0, SCOPE_INTERNATIONAL, at, &v, &err));
    return v.allowed;
}

static bool reason_has(const struct passport_result *r, int i, enum passport_verdict v,
                       const char *want)
{
    if (i >= r->nvisas)
        return printf("  (only %d visas)\n", r->nvisas), false;
    const struct passport_visa_result *x = &r->visas[i];
    bool ok = x->verdict == v && (want == NULL || strstr(x->reason, want) != NULL);
    if (!ok)
        printf("  (visa %d: %s: %s)\n", i, passport_verdict_name(x->verdict), x->reason);
    return ok;
}

static void test_mixed_passport(struct check_state *st, struct world *w, const struct keys *k,
                                time_t now)
{
    json_t *list = json_array();
    json_t *v;
    /* 0: good, for carol's passport sub */
    v = visa_claims("ext-carol", PREFIX "datasets/hcv", now, now + 86400);
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    /* 1: expired */
    v = visa_claims("ext-carol", PREFIX "datasets/hcv2", now, now - 1);
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    /* 2: by = self */
    v = visa_claims("ext-carol", PREFIX "datasets/hcv2", now, now + 86400);
    visa_set(v, "by", json_string("self"));
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    /* 3: by missing */
    json_object_del(json_object_get(v, "ga4gh_visa_v1"), "by");
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    /* 4: untrusted source */
    v = visa_claims("ext-carol", PREFIX "datasets/hcv2", now, now + 86400);
    visa_set(v, "source", json_string("https://rogue-dac.example/"));
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    /* 5: restricted dataset, 6: open dataset, 7: no such dataset, 8: other prefix,
     * 9: trailing path after the name */
    const char *values[] = {PREFIX "datasets/rare-cases", PREFIX "datasets/summary",
                            PREFIX "datasets/no-such", "https://elsewhere.example/datasets/hcv2",
                            PREFIX "datasets/hcv2/extra"};
    for (size_t i = 0; i < 5; i++) {
        v = visa_claims("ext-carol", values[i], now, now + 86400);
        add_visa(list, v, k->visa, R_JWA_ALG_ES256);
        json_decref(v);
    }
    /* 10: visa signed by a key the visa issuer does not have (the broker's kid) */
    v = visa_claims("ext-carol", PREFIX "datasets/hcv2", now, now + 86400);
    add_visa(list, v, k->other, R_JWA_ALG_RS256);
    /* 11: alg=none visa */
    char *t = forge("{\"alg\":\"none\",\"kid\":\"visa-1\"}", v, NULL, 0);
    json_array_append_new(list, json_string(t));
    free(t);
    /* 12: tampered signature */
    t = sign(v, k->visa, R_JWA_ALG_ES256, NULL);
    char *sig = strrchr(t, '.') + 5;
    *sig = *sig == 'A' ? 'B' : 'A';
    json_array_append_new(list, json_string(t));
    free(t);
    json_decref(v);
    /* 13: untrusted visa issuer */
    v = visa_claims("ext-carol", PREFIX "datasets/hcv2", now, now + 86400);
    json_object_set_new(v, "iss", json_string("https://unknown-issuer.example/"));
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    /* 14: another person's visa (sub neither the passport's nor linked to carol) */
    v = visa_claims("visa-sub-bob", PREFIX "datasets/hcv2", now, now + 86400);
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    /* 15: a type genoshare does not use */
    v = visa_claims("ext-carol", PREFIX "datasets/hcv2", now, now + 86400);
    visa_set(v, "type", json_string("AffiliationAndRole"));
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    /* 16: conditions */
    v = visa_claims("ext-carol", PREFIX "datasets/hcv2", now, now + 86400);
    visa_set(v, "conditions", json_array());
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    /* 17: not a string */
    json_array_append_new(list, json_integer(42));
    /* 18: a visa signed by the broker, which has no trusted sources */
    v = visa_claims("ext-carol", PREFIX "datasets/hcv2", now, now + 86400);
    json_object_set_new(v, "iss", json_string(BROKER));
    add_visa(list, v, k->rsa, R_JWA_ALG_RS256);
    json_decref(v);

    char *pp = passport(k, "ext-carol", list, now, now + 3600);
    struct passport_result r = {0};
    struct gs_err err = {0};
    int rc = passport_present(w->s, &w->by, pp, "carol", now, &r, &err);
    CHECK(st, rc == GS_OK && r.nvisas == 19, "mixed passport: good passport, 19 visas judged (%s)",
          err.msg);
    CHECK(st, r.nvisas > 0 && r.visas[0].visa.expires_at == now + 3600,
          "mixed passport: grant expires with the passport (min of visa and passport exp)");
    static const struct {
        enum passport_verdict verdict;
        const char *reason, *name;
    } want[] = {
        {PASSPORT_ACCEPTED, "hcv", "the good visa is accepted"},
        {PASSPORT_REFUSED, "expired", "expired is refused"},
        {PASSPORT_REFUSED, "by 'self'", "by=self not allowed"},
        {PASSPORT_REFUSED, "by ''", "missing by is refused"},
        {PASSPORT_REFUSED, "not trusted", "untrusted source"},
        {PASSPORT_REFUSED, "restricted", "restricted dataset"},
        {PASSPORT_REFUSED, "open", "open dataset"},
        {PASSPORT_REFUSED, "no dataset named 'no-such'", "dataset that does not exist"},
        {PASSPORT_REFUSED, "is not " PREFIX, "value outside the configured prefix"},
        {PASSPORT_REFUSED, "is not " PREFIX, "value with a path after the dataset name"},
        {PASSPORT_REFUSED, "kid", "key not in the issuer's JWKS"},
        {PASSPORT_REFUSED, "'none'", "alg=none is refused"},
        {PASSPORT_REFUSED, "bad signature", "tampered signature"},
        {PASSPORT_REFUSED, "not trusted", "untrusted issuer"},
        {PASSPORT_REFUSED, "linked", "someone else's subject"},
        {PASSPORT_IGNORED, "AffiliationAndRole", "other types are ignored"},
        {PASSPORT_REFUSED, "conditions", "conditions refused"},
        {PASSPORT_REFUSED, "not a string", "non-string entry"},
        {PASSPORT_REFUSED, "source", "issuer without trusted sources (broker only) cannot grant"},
    };
    for (int i = 0; i < (int)(sizeof want / sizeof want[0]); i++)
        CHECK(st, reason_has(&r, i, want[i].verdict, want[i].reason), "visa %d: %s", i,
              want[i].name);
    CHECK(st, count_actions(w->s, "passport.visa.refused") == 17,
          "audit: each of the 17 refused visas has a passport.visa.refused row (%d)",
          count_actions(w->s, "passport.visa.refused"));
    CHECK(st, count_actions(w->s, "passport.visa.accepted") == 1, "audit: one accepted row");

    /* The grant is an ordinary access_grant, marked as a passport's, ending with it. */
    char source[16] = "";
    int64_t gid = r.nvisas > 0 ? r.visas[0].visa.grant_id : 0;
    CHECK(st, gid > 0 && store_passport_grant_source(w->s, gid, source, &err) == GS_OK &&
                  strcmp(source, "passport") == 0,
          "grant: recorded in access_grant with source 'passport'");
    CHECK(st, can_read(w, "carol", "hcv", now), "access: carol reads hcv through the visa");
    CHECK(st, can_read(w, "carol", "hcv", now + 3599), "access: still one second before expiry");
    CHECK(st, !can_read(w, "carol", "hcv", now + 3600), "access: stops when the passport expires");
    CHECK(st, !can_read(w, "carol", "hcv2", now), "access: nothing from the refused visas");

    /* The same passport again: no second grant. */
    struct passport_result again = {0};
    rc = passport_present(w->s, &w->by, pp, "carol", now + 5, &again, &err);
    CHECK(st, rc == GS_OK && again.nvisas > 0 && again.visas[0].recorded &&
                  again.visas[0].visa.grant_id == gid,
          "re-presenting: the visa's grant is found, not duplicated");
    /* Revoked by the committee: presenting the visa again does not bring it back. */
    MUST(registry_grant_revoke(w->s, &w->by, gid, now + 10, &err));
    passport_result_free(&again);
    rc = passport_present(w->s, &w->by, pp, "carol", now + 20, &again, &err);
    CHECK(st, rc == GS_OK && !can_read(w, "carol", "hcv", now + 30),
          "re-presenting after revocation does not restore access");
    passport_result_free(&again);
    /* The issuer mints a fresh token for the same assertion (new jti, iat): a later
     * passport carries it. The committee's revocation still stands. */
    json_t *fresh_list = json_array();
    json_t *fresh = visa_claims("ext-carol", PREFIX "datasets/hcv", now, now + 86400);
    json_object_set_new(fresh, "jti", json_string("t-2"));
    json_object_set_new(fresh, "iat", json_integer((json_int_t)(now + 25)));
    add_visa(fresh_list, fresh, k->visa, R_JWA_ALG_ES256);
    json_decref(fresh);
    char *pp2 = passport(k, "ext-carol", fresh_list, now + 30, now + 3600);
    memset(&err, 0, sizeof err);
    rc = passport_present(w->s, &w->by, pp2, "carol", now + 40, &again, &err);
    CHECK(st, rc == GS_OK && !can_read(w, "carol", "hcv", now + 50) &&
                  reason_has(&again, 0, PASSPORT_REFUSED, "revoked"),
          "a re-minted visa of a revoked assertion does not restore access (%s)", err.msg);
    passport_result_free(&again);
    free(pp2);

    /* Someone else presenting carol's passport: refused as a whole and audited. */
    int refused_before = count_actions(w->s, "passport.refused");
    memset(&err, 0, sizeof err);
    rc = passport_present(w->s, &w->by, pp, "alice", now, &again, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "not linked") != NULL &&
                  count_actions(w->s, "passport.refused") == refused_before + 1,
          "passport: another user's passport is refused and audited (%s)", err.msg);
    CHECK(st, !can_read(w, "alice", "hcv", now), "passport: ... and alice gets nothing");
    passport_result_free(&r);
    free(pp);
}

static void test_passport_level(struct check_state *st, struct world *w, const struct keys *k,
                                time_t now)
{
    struct passport_result r = {0};
    struct gs_err err = {0};
    json_t *list = json_array();
    json_t *v = visa_claims("visa-sub-bob", PREFIX "datasets/hcv2", now, now + 600);
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    json_t *c = claims_at(BROKER, "ext-bob", now - 30, now + 3600);
    json_object_set_new(c, "ga4gh_passport_v1", list);

    struct {
        const char *name;
        char *token;
        const char *want;
    } bad[] = {
        {"signed by another key", sign(c, k->other, R_JWA_ALG_RS256, NULL), "bad signature"},
        {"unknown kid", sign(c, k->rsa, R_JWA_ALG_RS256, "nope"), "unknown kid"},
        {"alg=none", forge("{\"alg\":\"none\",\"kid\":\"rsa-1\"}", c, NULL, 0), "'none'"},
        {"HS256 keyed with the visa issuer's public JWK",
         forge("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", c, k->broker_jwks,
               strlen(k->broker_jwks)), "not accepted"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        int rc = passport_check(w->s, bad[i].token, 0, now, &r, &err);
        CHECK(st, rc == GS_EINVAL && strstr(err.msg, bad[i].want) && r.nvisas == 0,
              "passport: %s is refused as a whole (%s)", bad[i].name, err.msg);
        free(bad[i].token);
    }
    json_object_set_new(c, "iss", json_string("https://untrusted-broker.example/"));
    char *t = sign(c, k->rsa, R_JWA_ALG_RS256, NULL);
    memset(&err, 0, sizeof err);
    CHECK(st, passport_check(w->s, t, 0, now, &r, &err) == GS_EINVAL &&
                  strstr(err.msg, "not trusted"),
          "passport: wrong (untrusted) issuer is refused (%s)", err.msg);
    free(t);
    json_object_set_new(c, "iss", json_string(BROKER));
    json_object_set_new(c, "exp", json_integer(now));
    t = sign(c, k->rsa, R_JWA_ALG_RS256, NULL);
    memset(&err, 0, sizeof err);
    CHECK(st, passport_check(w->s, t, 0, now, &r, &err) == GS_EINVAL && strstr(err.msg, "expired"),
          "passport: expiring exactly now is refused (%s)", err.msg);
    free(t);
    json_object_set_new(c, "exp", json_integer(now + 3600));
    json_object_del(c, "ga4gh_passport_v1");
    t = sign(c, k->rsa, R_JWA_ALG_RS256, NULL);
    memset(&err, 0, sizeof err);
    CHECK(st, passport_check(w->s, t, 0, now, &r, &err) == GS_EINVAL &&
                  strstr(err.msg, "ga4gh_passport_v1"),
          "passport: without ga4gh_passport_v1 is refused");
    free(t);
    json_decref(c);

    /* bob: no link for the passport's sub yet; then linked, and his visa sub is linked to
     * him under the visa issuer, so the visa counts although its sub differs. */
    list = json_array();
    v = visa_claims("visa-sub-bob", PREFIX "datasets/hcv2", now, now + 600);
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    t = passport(k, "ext-bob", list, now, now + 3600);
    memset(&err, 0, sizeof err);
    CHECK(st, passport_present(w->s, &w->by, t, "bob", now, &r, &err) == GS_EINVAL &&
                  strstr(err.msg, "not linked"),
          "passport: subject not linked to the presenting user is refused");
    MUST(passport_link_add(w->s, &w->by, "bob", BROKER, "ext-bob", now, &err));
    memset(&err, 0, sizeof err);
    int rc = passport_present(w->s, &w->by, t, "bob", now, &r, &err);
    CHECK(st, rc == GS_OK && reason_has(&r, 0, PASSPORT_ACCEPTED, NULL) &&
                  r.visas[0].visa.expires_at == now + 600,
          "passport: linked visa subject accepted; grant expires with the visa (%s)", err.msg);
    CHECK(st, can_read(w, "bob", "hcv2", now + 599) && !can_read(w, "bob", "hcv2", now + 600),
          "access: bob's passport grant ends exactly at the visa's exp");
    passport_result_free(&r);
    /* A dry run (no user) judges without writing. */
    int before = count_actions(w->s, "passport.visa.accepted");
    CHECK(st, passport_check(w->s, t, 0, now, &r, &err) == GS_OK && r.nvisas == 1 &&
                  count_actions(w->s, "passport.visa.accepted") == before,
          "check without a user writes nothing");
    passport_result_free(&r);
    free(t);

    /* A new value prefix: old URLs stop mapping. */
    MUST(passport_prefix_set(w->s, &w->by, "https://data.example.org/gs/", now, &err));
    list = json_array();
    v = visa_claims("ext-bob", PREFIX "datasets/hcv", now, now + 600);
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    v = visa_claims("ext-bob", "https://data.example.org/gs/datasets/hcv", now, now + 600);
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    t = passport(k, "ext-bob", list, now, now + 3600);
    CHECK(st, passport_check(w->s, t, w->bob, now, &r, &err) == GS_OK &&
                  reason_has(&r, 0, PASSPORT_REFUSED, "https://data.example.org/gs/") &&
                  reason_has(&r, 1, PASSPORT_ACCEPTED, NULL),
          "prefix: only values under the configured prefix map to datasets");
    passport_result_free(&r);
    free(t);
    CHECK(st, passport_prefix_set(w->s, &w->by, "ftp://x/", now, &err) == GS_EINVAL &&
                  passport_prefix_set(w->s, &w->by, "https://no-slash.example", now, &err) ==
                      GS_EINVAL,
          "prefix: must be an http(s) URL ending in /");
}

static void test_issuers(struct check_state *st, struct world *w, const struct keys *k,
                         time_t now)
{
    struct gs_err err = {0};
    char *priv = jwks_of(k->rsa, NULL);
    CHECK(st, passport_issuer_add(w->s, &w->by, "p", "https://p.example/", priv, NULL, NULL, now,
                                  &err) == GS_EINVAL && strstr(err.msg, "private"),
          "issuer: a JWKS with a private key is refused (%s)", err.msg);
    free(priv);
    jwk_t *small = NULL, *small_pub = NULL;
    keypair(&small, &small_pub, R_KEY_TYPE_RSA, 1024, "small");
    char *weak = jwks_of(small_pub, NULL);
    memset(&err, 0, sizeof err);
    CHECK(st, passport_issuer_add(w->s, &w->by, "w", "https://w.example/", weak, NULL, NULL, now,
                                  &err) == GS_EINVAL && strstr(err.msg, "2048"),
          "issuer: a 1024-bit RSA key is refused (%s)", err.msg);
    free(weak);
    r_jwk_free(small);
    r_jwk_free(small_pub);
    const char *oct = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQ\"}]}";
    memset(&err, 0, sizeof err);
    CHECK(st, passport_issuer_add(w->s, &w->by, "h", "https://h.example/", oct, NULL, NULL, now,
                                  &err) == GS_EINVAL,
          "issuer: a symmetric (oct) key is refused (%s)", err.msg);
    CHECK(st, passport_issuer_add(w->s, &w->by, "x", "https://x.example/", k->visa_jwks, NULL,
                                  "dac,friend", now, &err) == GS_EINVAL,
          "issuer: unknown by value is refused");
    CHECK(st, passport_issuer_add(w->s, &w->by, "x", "https://x.example/", k->visa_jwks,
                                  "not a url", NULL, now, &err) == GS_EINVAL,
          "issuer: a source that is not a URL is refused");
    CHECK(st, passport_issuer_add(w->s, &w->by, "broker", "https://other.example/", k->visa_jwks,
                                  NULL, NULL, now, &err) == GS_ECONFLICT,
          "issuer: a second issuer with a taken name is a conflict");
    CHECK(st, passport_issuer_add(w->s, &w->by, "x", "https://x.example/", "{\"keys\":[]}", NULL,
                                  NULL, now, &err) == GS_EINVAL,
          "issuer: an empty JWKS is refused");
    /* Removing the visa issuer: its visas stop counting at once. */
    MUST(passport_issuer_remove(w->s, &w->by, "visas", now, &err));
    json_t *list = json_array();
    json_t *v = visa_claims("ext-bob", PREFIX "datasets/hcv", now, now + 600);
    add_visa(list, v, k->visa, R_JWA_ALG_ES256);
    json_decref(v);
    char *t = passport(k, "ext-bob", list, now, now + 3600);
    struct passport_result r = {0};
    CHECK(st, passport_check(w->s, t, 0, now, &r, &err) == GS_OK &&
                  reason_has(&r, 0, PASSPORT_REFUSED, "not trusted"),
          "issuer: after removal its visas are refused");
    passport_result_free(&r);
    free(t);
    CHECK(st, passport_issuer_remove(w->s, &w->by, "visas", now, &err) == GS_ENOTFOUND,
          "issuer: removing twice is not found");
    CHECK(st, count_actions(w->s, "passport.issuer.add") == 2 &&
                  count_actions(w->s, "passport.issuer.remove") == 1,
          "audit: issuer additions and removals are audited");
}

/* ---- fixtures for the end-to-end test ---- */

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "setup failed: cannot write %s\n", path);
        exit(1);
    }
}

/* The demo's names: alice's passport from the broker, whose key also signs visas for the
 * DAC source; one visa for the controlled demo dataset, one for the restricted one. */
static void write_fixtures(const char *dir, const struct keys *k, time_t now)
{
    write_file(dir, "jwks.json", k->broker_jwks);
    json_t *list = json_array();
    const char *values[] = {PREFIX "datasets/hereditary-cancer-variants",
                            PREFIX "datasets/rare-disease-cases"};
    for (size_t i = 0; i < 2; i++) {
        json_t *v = visa_claims("ext-alice", values[i], now, now + 3600);
        json_object_set_new(v, "iss", json_string(BROKER));
        add_visa(list, v, k->ec, R_JWA_ALG_ES256);
        json_decref(v);
    }
    char *good = passport(k, "ext-alice", list, now, now + 3600);
    write_file(dir, "good.jwt", good);
    json_t *c = claims_at(BROKER, "ext-alice", now - 30, now + 3600);
    json_object_set_new(c, "ga4gh_passport_v1", json_array());
    char *none = forge("{\"alg\":\"none\",\"kid\":\"rsa-1\"}", c, NULL, 0);
    write_file(dir, "none.jwt", none);
    json_decref(c);
    free(good);
    free(none);
}

int main(void)
{
    struct check_state st = {0};
    if (crypto_init() != GS_OK)
        return 1;
    time_t now = time(NULL);
    struct keys k;
    make_keys(&k);
    const char *fixtures = getenv("GENOSHARE_PASSPORT_FIXTURES");
    if (fixtures != NULL && fixtures[0] != '\0')
        write_fixtures(fixtures, &k, now);
    test_jose(&st, &k, now);
    struct world w;
    build_world(&w, &k, now);
    test_mixed_passport(&st, &w, &k, now);
    test_passport_level(&st, &w, &k, now);
    test_issuers(&st, &w, &k, now);
    store_close(w.s);
    char side[96];
    unlink(w.path);
    snprintf(side, sizeof side, "%s-wal", w.path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", w.path);
    unlink(side);
    free_keys(&k);
    return check_finish(&st);
}
