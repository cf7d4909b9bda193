/* store_passport.h — persistence of GA4GH Passport trust and of the grants visas create:
 * trusted issuers (with their JWKS), links between genoshare users and external subjects,
 * the visa value prefix, and the record of every accepted visa beside its access_grant row
 * (source 'passport'). Domain terms only; the SQL is in sqlite_passport.c. Decisions about
 * tokens are made in policy/passport.c, never here. */
#ifndef GS_STORE_STORE_PASSPORT_H
#define GS_STORE_STORE_PASSPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "store/store.h"

#define STORE_URL_MAX 512      /* issuer, source and value URLs */
#define STORE_SOURCES_MAX 2048 /* comma-separated source URLs */
#define STORE_JWKS_MAX 65536   /* a JWKS document */

/* A trusted issuer: it may sign passports (as a broker) and visas (as a visa issuer).
 * Visas it signs count only with a `source` in sources and a `by` in by_allowed. */
struct store_passport_issuer {
    int64_t id;
    char name[STORE_NAME_MAX];
    char iss[STORE_URL_MAX];
    char *jwks;                         /* JSON text; owned, freed by store_passport_issuer_clear */
    char sources[STORE_SOURCES_MAX];    /* "url,url"; "" = none trusted (broker only) */
    char by_allowed[64];                /* "dac,so,system" */
    time_t created_at;
};
void store_passport_issuer_clear(struct store_passport_issuer *i);

/* GS_ECONFLICT when the name or iss is taken. */
int store_passport_issuer_insert(struct store *s, const struct store_passport_issuer *in,
                                 int64_t *id_out, struct gs_err *err) GS_MUST_USE;
/* Fill out (its jwks is the caller's to clear); GS_ENOTFOUND when absent. */
int store_passport_issuer_by_iss(struct store *s, const char *iss,
                                 struct store_passport_issuer *out, struct gs_err *err) GS_MUST_USE;
int store_passport_issuer_by_name(struct store *s, const char *name,
                                  struct store_passport_issuer *out,
                                  struct gs_err *err) GS_MUST_USE;
/* GS_ENOTFOUND when no issuer has that name. Links and recorded visas stay (audit). */
int store_passport_issuer_delete(struct store *s, const char *name, struct gs_err *err) GS_MUST_USE;
/* Walks issuers in name order; the struct (and its jwks) is valid only during the call. */
typedef int (*store_passport_issuer_fn)(void *ctx, const struct store_passport_issuer *i);
int store_passport_issuer_each(struct store *s, store_passport_issuer_fn fn, void *ctx,
                               struct gs_err *err) GS_MUST_USE;

/* ---- links: external subject (iss, sub) ↔ genoshare user ---- */
/* GS_ECONFLICT when (iss, sub) is already linked (to anyone). */
int store_passport_link_insert(struct store *s, int64_t user_id, const char *iss, const char *sub,
                               time_t at, struct gs_err *err) GS_MUST_USE;
/* The user linked to (iss, sub); GS_ENOTFOUND (no message) when none. */
int store_passport_link_user(struct store *s, const char *iss, const char *sub,
                             int64_t *user_id, struct gs_err *err) GS_MUST_USE;

/* ---- settings ---- */
/* The visa value prefix; out gets dflt when none was set. */
int store_passport_prefix_get(struct store *s, const char *dflt, char out[STORE_URL_MAX],
                              struct gs_err *err) GS_MUST_USE;
int store_passport_prefix_set(struct store *s, const char *prefix, struct gs_err *err) GS_MUST_USE;

/* ---- accepted visas ---- */
struct store_passport_visa {
    int64_t id;
    int64_t grant_id;   /* set by store_passport_visa_grant */
    int64_t dataset_id;
    int64_t user_id;
    char token_hash[STORE_HASH_MAX]; /* SHA-256 hex of the visa JWT: one grant per visa */
    char iss[STORE_URL_MAX];
    char sub[STORE_TEXT_MAX];
    char jti[STORE_TEXT_MAX];
    char value[STORE_URL_MAX];
    char source[STORE_URL_MAX];
    char by[16];
    time_t asserted;
    time_t expires_at;  /* the grant's expiry: min(visa exp, passport exp) */
    time_t presented_at;
};
/* Inserts the access_grant (source 'passport', expiring at v->expires_at) and the visa row
 * naming it; call inside a transaction. grant_id_out may be NULL. GS_ECONFLICT when this
 * visa (token_hash) was recorded before. */
int store_passport_visa_grant(struct store *s, const struct store_passport_visa *v,
                              int64_t *grant_id_out, struct gs_err *err) GS_MUST_USE;
/* The grant recorded for a visa token hash; GS_ENOTFOUND (no message) when none. */
int store_passport_visa_find(struct store *s, const char *token_hash, int64_t *grant_id,
                             struct gs_err *err) GS_MUST_USE;
/* The source column of a grant ("dac" for grants made by a committee, "passport"). */
int store_passport_grant_source(struct store *s, int64_t grant_id, char out[16],
                                struct gs_err *err) GS_MUST_USE;

#endif
