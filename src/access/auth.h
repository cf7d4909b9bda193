/* auth.h — proving who is asking: passwords (argon2id), web sessions with CSRF tokens,
 * and API tokens. Secrets are random, shown once, and stored only as SHA-256 hashes.
 * Logins are rate-limited per user name and per client address and always audited. */
#ifndef GS_ACCESS_AUTH_H
#define GS_ACCESS_AUTH_H

#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "store/store.h"

#define AUTH_SECRET_MAX 80           /* buffers for session ids, tokens, CSRF tokens */
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 1024
#define AUTH_SESSION_SECONDS (12 * 3600)
#define AUTH_FAIL_WINDOW 900         /* seconds over which failures are counted */
#define AUTH_FAIL_MAX_USER 5         /* failures per user name within the window */
#define AUTH_FAIL_MAX_ORIGIN 20      /* failures per client address within the window */

/* argon2id ("interactive" limits) into out; GS_EINVAL for a too short or long password. */
int auth_password_hash(const char *password, char out[STORE_HASH_MAX],
                       struct gs_err *err) GS_MUST_USE;

struct auth_login_result {
    struct principal who;
    char session_secret[AUTH_SECRET_MAX]; /* goes into the HttpOnly cookie */
    char csrf_token[AUTH_SECRET_MAX];     /* goes into the response body */
    time_t expires_at;
};

/* Checks user and password and opens a web session. GS_EAUTH (one message for unknown
 * user and wrong password), GS_ERATE when too many recent failures; audited either way. */
int auth_login(struct store *s, const char *user, const char *password, const char *origin,
               time_t now, struct auth_login_result *out, struct gs_err *err) GS_MUST_USE;

/* The principal and CSRF token of a live session; GS_EAUTH when unknown or expired. */
int auth_session_lookup(struct store *s, const char *session_secret, time_t now,
                        struct principal *who, char csrf_out[AUTH_SECRET_MAX],
                        int64_t *session_id, struct gs_err *err) GS_MUST_USE;
int auth_logout(struct store *s, int64_t session_id, const struct actor *by, time_t now,
                struct gs_err *err) GS_MUST_USE;

/* Creates an API token for user_id (expires_at 0: never) and writes its secret, shown
 * only now, into secret_out. Audited. */
int auth_token_create(struct store *s, int64_t user_id, const char *name, time_t expires_at,
                      const struct actor *by, time_t now, char secret_out[AUTH_SECRET_MAX],
                      int64_t *id_out, struct gs_err *err) GS_MUST_USE;
/* The principal of a bearer token; GS_EAUTH when unknown, revoked or expired. */
int auth_token_lookup(struct store *s, const char *secret, time_t now, struct principal *who,
                      struct gs_err *err) GS_MUST_USE;
int auth_token_revoke(struct store *s, int64_t token_id, const struct actor *by, time_t now,
                      struct gs_err *err) GS_MUST_USE;

#endif
