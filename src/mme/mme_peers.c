/* mme_peers.c — Matchmaker Exchange peers: registration with a fresh token (stored hashed),
 * changes, removal, and authentication of an inbound X-Auth-Token. */
#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/parse.h"
#include "mme/mme.h"

static int check_url(const char *url, struct gs_err *err)
{
    if (url == NULL || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return gs_err_set(err, GS_EINVAL, "peer URL must start with http:// or https://, got "
                          "'%.80s'", url ? url : "");
    if (strlen(url) >= MME_PEER_URL_MAX)
        return gs_err_set(err, GS_EINVAL, "peer URL is longer than %d characters",
                          MME_PEER_URL_MAX - 1);
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return gs_err_set(err, GS_EINVAL, "peer URL holds a space or control character");
    return GS_OK;
}

static int check_their_token(const char *token, struct gs_err *err)
{
    if (token == NULL)
        return GS_OK;
    if (strlen(token) >= MME_PEER_TOKEN_MAX)
        return gs_err_set(err, GS_EINVAL, "the peer's token is longer than %d characters",
                          MME_PEER_TOKEN_MAX - 1);
    for (const char *p = token; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return gs_err_set(err, GS_EINVAL, "the peer's token holds a space or control "
                              "character (it is sent as an HTTP header)");
    return GS_OK;
}

static int check_scope(enum scope scope, struct gs_err *err)
{
    if (scope == SCOPE_PRIVATE)
        return gs_err_set(err, GS_EINVAL, "a peer's scope is domestic or international (a "
                          "private case is never shared with a peer)");
    return GS_OK;
}

int mme_peer_add(struct store *s, const struct actor *by, const char *name, const char *url,
                 enum scope scope, const char *their_token, time_t now, char *token_out,
                 struct gs_err *err)
{
    if (name == NULL || !parse_is_name(name))
        return gs_err_set(err, GS_EINVAL, "peer name '%.64s' must be 1-64 characters of "
                          "A-Z a-z 0-9 . _ -", name ? name : "");
    int rc;
    if ((rc = check_url(url, err)) != GS_OK || (rc = check_scope(scope, err)) != GS_OK ||
        (rc = check_their_token(their_token, err)) != GS_OK)
        return rc;
    struct store_mme_peer p = {0};
    snprintf(p.name, sizeof p.name, "%s", name);
    snprintf(p.url, sizeof p.url, "%s", url);
    while (strlen(p.url) > 8 && p.url[strlen(p.url) - 1] == '/')
        p.url[strlen(p.url) - 1] = '\0';
    p.scope = scope;
    snprintf(p.their_token, sizeof p.their_token, "%s", their_token ? their_token : "");
    p.created_at = now;
    char token[MME_TOKEN_TEXT_MAX];
    if ((rc = crypto_random_token("gsm_", 32, token, sizeof token)) != GS_OK)
        return gs_err_set(err, rc, "cannot make a token");
    crypto_sha256_hex(token, strlen(token), p.token_hash);
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX + MME_PEER_URL_MAX];
    snprintf(object, sizeof object, "peer:%s", name);
    snprintf(detail, sizeof detail, "url %s, scope %s", p.url, scope_name(scope));
    struct audit_event ev = {"mme.peer.add", object, detail};
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    rc = store_mme_peer_insert(s, &p, &p.id, err);
    if ((rc = audit_commit(s, rc, by, &ev, now, err)) != GS_OK)
        return rc;
    snprintf(token_out, MME_TOKEN_TEXT_MAX, "%s", token);
    return GS_OK;
}

int mme_peer_update(struct store *s, const struct actor *by, const char *name, const char *url,
                    const enum scope *scope, const char *their_token, const bool *disabled,
                    time_t now, struct gs_err *err)
{
    int rc;
    if ((url && (rc = check_url(url, err)) != GS_OK) ||
        (scope && (rc = check_scope(*scope, err)) != GS_OK) ||
        (rc = check_their_token(their_token, err)) != GS_OK)
        return rc;
    if (!url && !scope && !their_token && !disabled)
        return gs_err_set(err, GS_EINVAL, "nothing to change");
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "peer:%.64s", name);
    snprintf(detail, sizeof detail, "%s%s%s%s", url ? "url " : "", scope ? "scope " : "",
             their_token ? "token " : "", disabled ? (*disabled ? "disabled" : "enabled") : "");
    struct audit_event ev = {"mme.peer.update", object, detail};
    struct store_mme_peer p;
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    rc = store_mme_peer_by_name(s, name, &p, err);
    if (rc == GS_OK) {
        if (url)
            snprintf(p.url, sizeof p.url, "%s", url);
        if (scope)
            p.scope = *scope;
        if (their_token)
            snprintf(p.their_token, sizeof p.their_token, "%s", their_token);
        if (disabled)
            p.disabled = *disabled;
        rc = store_mme_peer_update(s, &p, err);
    }
    return audit_commit(s, rc, by, &ev, now, err);
}

int mme_peer_remove(struct store *s, const struct actor *by, const char *name, time_t now,
                    struct gs_err *err)
{
    char object[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "peer:%.64s", name);
    struct audit_event ev = {"mme.peer.remove", object, ""};
    struct store_mme_peer p;
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    rc = store_mme_peer_by_name(s, name, &p, err);
    if (rc == GS_OK)
        rc = store_mme_peer_delete(s, p.id, err);
    return audit_commit(s, rc, by, &ev, now, err);
}

int mme_peer_authenticate(struct store *s, const char *token, struct store_mme_peer *out,
                          struct gs_err *err)
{
    if (token == NULL || token[0] == '\0')
        return gs_err_set(err, GS_EAUTH, "X-Auth-Token header is required");
    char hash[GS_SHA256_HEX_LEN + 1];
    crypto_sha256_hex(token, strlen(token), hash);
    struct gs_err inner = {0};
    int rc = store_mme_peer_by_token_hash(s, hash, out, &inner);
    if (rc == GS_ENOTFOUND || (rc == GS_OK && out->disabled))
        return gs_err_set(err, GS_EAUTH, "unknown or disabled X-Auth-Token");
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    return GS_OK;
}

void mme_peer_principal(const struct store_mme_peer *peer, struct principal *out)
{
    principal_peer(out, peer->id, peer->name, peer->scope == SCOPE_DOMESTIC);
}
