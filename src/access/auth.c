/* auth.c — passwords, sessions, API tokens and login rate limiting. */
#include "access/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"

int auth_password_hash(const char *password, char out[STORE_HASH_MAX], struct gs_err *err)
{
    size_t len = strlen(password);
    if (len < AUTH_PASSWORD_MIN)
        return gs_err_set(err, GS_EINVAL, "password too short (at least %d characters)",
                          AUTH_PASSWORD_MIN);
    if (len > AUTH_PASSWORD_MAX)
        return gs_err_set(err, GS_EINVAL, "password too long (at most %d characters)",
                          AUTH_PASSWORD_MAX);
    _Static_assert(crypto_pwhash_STRBYTES <= STORE_HASH_MAX, "hash buffer too small");
    if (crypto_pwhash_str(out, password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return gs_err_set(err, GS_ENOMEM, "password hashing ran out of memory");
    return GS_OK;
}

static int login_failures(struct store *s, const char *key, time_t now, int *n,
                          struct gs_err *err)
{
    return store_login_failure_count(s, key, now - AUTH_FAIL_WINDOW, n, err);
}

/* Records the failure and its audit row in one transaction. */
static int login_failed(struct store *s, const char *user_key, const char *origin_key,
                        const struct actor *who, const char *user, const char *why, time_t now,
                        struct gs_err *err)
{
    struct gs_err ignored = {0};
    int rc = store_begin(s, &ignored);
    if (rc == GS_OK && (rc = store_login_failure_add(s, user_key, now, &ignored)) == GS_OK &&
        (rc = store_login_failure_add(s, origin_key, now, &ignored)) == GS_OK) {
        char object[STORE_TEXT_MAX];
        snprintf(object, sizeof object, "user:%s", user);
        struct audit_event ev = {"login.failure", object, why};
        rc = audit_append(s, who, &ev, now, &ignored);
    }
    if (rc == GS_OK)
        rc = store_commit(s, &ignored);
    else
        store_rollback(s);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", ignored.msg);
    return gs_err_set(err, GS_EAUTH, "wrong user name or password");
}

int auth_login(struct store *s, const char *user, const char *password, const char *origin,
               time_t now, struct auth_login_result *out, struct gs_err *err)
{
    char user_key[STORE_TEXT_MAX], origin_key[STORE_TEXT_MAX], actor_name[STORE_TEXT_MAX];
    snprintf(user_key, sizeof user_key, "user:%.64s", user);
    snprintf(origin_key, sizeof origin_key, "ip:%.64s", origin);
    snprintf(actor_name, sizeof actor_name, "user:%.64s", user);
    struct actor who = {actor_name, origin};

    int nuser = 0, norigin = 0;
    int rc = login_failures(s, user_key, now, &nuser, err);
    if (rc == GS_OK)
        rc = login_failures(s, origin_key, now, &norigin, err);
    if (rc != GS_OK)
        return rc;
    if (nuser >= AUTH_FAIL_MAX_USER || norigin >= AUTH_FAIL_MAX_ORIGIN) {
        char object[STORE_TEXT_MAX];
        snprintf(object, sizeof object, "user:%.64s", user);
        struct audit_event ev = {"login.limited", object, "too many recent failures"};
        if ((rc = audit_record(s, &who, &ev, now, err)) != GS_OK)
            return rc;
        return gs_err_set(err, GS_ERATE, "too many failed logins: try again in %d minutes",
                          AUTH_FAIL_WINDOW / 60);
    }

    struct store_user u;
    struct gs_err lookup = {0};
    rc = store_user_by_name(s, user, &u, &lookup);
    if (rc == GS_ENOTFOUND || (rc == GS_OK && u.password_hash[0] == '\0')) {
        /* Spend the same time as a real check, so timing does not tell who exists. */
        char dummy[STORE_HASH_MAX];
        struct gs_err ignored = {0};
        if (auth_password_hash("not-a-real-password", dummy, &ignored) == GS_OK)
            if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
                dummy[0] = '\0'; /* never equal: the result only costs time */
        return login_failed(s, user_key, origin_key, &who, user, "unknown user", now, err);
    }
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", lookup.msg);
    if (crypto_pwhash_str_verify(u.password_hash, password, strlen(password)) != 0)
        return login_failed(s, user_key, origin_key, &who, user, "wrong password", now, err);
    if (u.disabled)
        return login_failed(s, user_key, origin_key, &who, user, "account disabled", now, err);

    memset(out, 0, sizeof *out);
    if ((rc = principal_for_user(s, u.id, &out->who, err)) != GS_OK)
        return rc;
    if ((rc = crypto_random_token("gss_", 32, out->session_secret, AUTH_SECRET_MAX)) != GS_OK ||
        (rc = crypto_random_token("", 24, out->csrf_token, AUTH_SECRET_MAX)) != GS_OK)
        return gs_err_set(err, rc, "cannot make a session id");
    out->expires_at = now + AUTH_SESSION_SECONDS;

    char hash[GS_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(out->session_secret, strlen(out->session_secret), hash);
    struct store_session sess = {0};
    sess.user_id = u.id;
    snprintf(sess.csrf_token, sizeof sess.csrf_token, "%s", out->csrf_token);
    sess.expires_at = out->expires_at;
    char object[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "user:%s", u.name);
    struct audit_event ev = {"login.success", object, "web session"};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    if ((rc = store_session_insert(s, &sess, hash, err)) != GS_OK ||
        (rc = store_login_failure_clear(s, user_key, err)) != GS_OK ||
        (rc = audit_append(s, &who, &ev, now, err)) != GS_OK) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, err);
}

int auth_session_lookup(struct store *s, const char *session_secret, time_t now,
                        struct principal *who, char csrf_out[AUTH_SECRET_MAX],
                        int64_t *session_id, struct gs_err *err)
{
    char hash[GS_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(session_secret, strlen(session_secret), hash);
    struct store_session sess;
    struct gs_err lookup = {0};
    int rc = store_session_by_hash(s, hash, &sess, &lookup);
    if (rc == GS_ENOTFOUND || (rc == GS_OK && sess.expires_at <= now))
        return gs_err_set(err, GS_EAUTH, "session expired or unknown: sign in again");
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", lookup.msg);
    if ((rc = principal_for_user(s, sess.user_id, who, err)) != GS_OK)
        return rc == GS_ENOTFOUND ? GS_EAUTH : rc;
    snprintf(csrf_out, AUTH_SECRET_MAX, "%.79s", sess.csrf_token);
    *session_id = sess.id;
    return GS_OK;
}

int auth_logout(struct store *s, int64_t session_id, const struct actor *by, time_t now,
                struct gs_err *err)
{
    struct audit_event ev = {"logout", by->name, "web session closed"};
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store_session_delete(s, session_id, err)) != GS_OK ||
        (rc = audit_append(s, by, &ev, now, err)) != GS_OK) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, err);
}

int auth_token_create(struct store *s, int64_t user_id, const char *name, time_t expires_at,
                      const struct actor *by, time_t now, char secret_out[AUTH_SECRET_MAX],
                      int64_t *id_out, struct gs_err *err)
{
    struct store_user u;
    int rc = store_user_get(s, user_id, &u, err);
    if (rc != GS_OK)
        return rc;
    if (expires_at != 0 && expires_at <= now)
        return gs_err_set(err, GS_EINVAL, "token expiry must be in the future");
    if ((rc = crypto_random_token("gst_", 32, secret_out, AUTH_SECRET_MAX)) != GS_OK)
        return gs_err_set(err, rc, "cannot make a token");
    char hash[GS_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(secret_out, strlen(secret_out), hash);
    struct store_token t = {0};
    t.user_id = user_id;
    snprintf(t.name, sizeof t.name, "%s", name ? name : "");
    t.created_at = now;
    t.expires_at = expires_at;
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "user:%s", u.name);
    snprintf(detail, sizeof detail, "token '%.100s' expires %lld", t.name, (long long)expires_at);
    struct audit_event ev = {"token.create", object, detail};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    if ((rc = store_token_insert(s, &t, hash, id_out, err)) != GS_OK ||
        (rc = audit_append(s, by, &ev, now, err)) != GS_OK) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, err);
}

int auth_token_lookup(struct store *s, const char *secret, time_t now, struct principal *who,
                      struct gs_err *err)
{
    char hash[GS_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(secret, strlen(secret), hash);
    struct store_token t;
    struct gs_err lookup = {0};
    int rc = store_token_by_hash(s, hash, &t, &lookup);
    if (rc == GS_ENOTFOUND)
        return gs_err_set(err, GS_EAUTH, "unknown API token");
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", lookup.msg);
    if (t.revoked_at != 0)
        return gs_err_set(err, GS_EAUTH, "API token %lld was revoked", (long long)t.id);
    if (t.expires_at != 0 && t.expires_at <= now)
        return gs_err_set(err, GS_EAUTH, "API token %lld has expired", (long long)t.id);
    rc = principal_for_user(s, t.user_id, who, err);
    return rc == GS_ENOTFOUND ? GS_EAUTH : rc;
}

int auth_token_revoke(struct store *s, int64_t token_id, const struct actor *by, time_t now,
                      struct gs_err *err)
{
    char object[64];
    snprintf(object, sizeof object, "token:%lld", (long long)token_id);
    struct audit_event ev = {"token.revoke", object, ""};
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store_token_revoke(s, token_id, now, err)) != GS_OK ||
        (rc = audit_append(s, by, &ev, now, err)) != GS_OK) {
        store_rollback(s);
        return rc;
    }
    return store_commit(s, err);
}
