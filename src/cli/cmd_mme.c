/* cmd_mme.c — `genoshare mme peer add|list|update|remove`: the Matchmaker Exchange peers
 * this node answers (with the token each must send) and asks (with the token we send).
 * Searching the peers is `genoshare match … --peers`. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "mme/mme.h"

static int peer_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("url", "URL", "the peer's MME base URL (we POST to URL/match) (required)"),
        OPT("scope", "SCOPE", "domestic | international (required): which cases it may see"),
        OPT("token", "THEIR_TOKEN", "the token we send the peer in X-Auth-Token"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "mme peer add NAME --url URL --scope domestic|international "
                               "[--token THEIR_TOKEN]",
                               "Register a peer node. Prints the token the peer must send us "
                               "(alone on the last line; only its hash is kept).",
                               1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *url, *scope_text;
    enum scope scope;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "mme peer add needs the peer's NAME");
    if ((rc = cli_required(&o[1], &url, err)) != GS_OK ||
        (rc = cli_required(&o[2], &scope_text, err)) != GS_OK)
        return rc;
    if (scope_parse(scope_text, &scope, err) != GS_OK)
        return GS_EUSAGE;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX], token[MME_TOKEN_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    rc = mme_peer_add(s, &by, a.positional[0], url, scope, o[3].value, time(NULL), token, err);
    if (rc == GS_OK)
        printf("added MME peer %s (%s, %s); the token it must send us in X-Auth-Token "
               "(shown once):\n%s\n", a.positional[0], url, scope_name(scope), token);
    store_close(s);
    return rc;
}

static int print_peer(void *ctx, const struct store_mme_peer *p)
{
    (void)ctx;
    char at[21];
    format_utc_time(p->created_at, at);
    printf("%s\t%s\t%s\t%s\t%s\t%s\n", p->name, p->url, scope_name(p->scope),
           p->disabled ? "disabled" : "enabled", p->their_token[0] ? "yes" : "no", at);
    return GS_OK;
}

static int peer_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "mme peer list",
                               "List the peers: name, url, scope, state, whether we hold a "
                               "token for them, created (TSV).",
                               0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    printf("name\turl\tscope\tstate\tour_token\tcreated\n");
    rc = store_mme_peer_each(s, print_peer, NULL, err);
    store_close(s);
    return rc;
}

static int peer_update(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("url", "URL", "a new base URL"),
        OPT("scope", "SCOPE", "domestic | international"),
        OPT("token", "THEIR_TOKEN", "a new token to send the peer"),
        OPT("disable", NULL, "stop answering and asking the peer"),
        OPT("enable", NULL, "answer and ask the peer again"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "mme peer update NAME [--url URL] [--scope SCOPE] "
                               "[--token THEIR_TOKEN] [--disable | --enable]",
                               "Change a peer (its own token stays: remove and add it again "
                               "to issue a new one).",
                               1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "mme peer update needs the peer's NAME");
    if (o[4].value && o[5].value)
        return gs_err_set(err, GS_EUSAGE, "--disable and --enable exclude each other");
    enum scope scope;
    if (o[2].value && scope_parse(o[2].value, &scope, err) != GS_OK)
        return GS_EUSAGE;
    bool disabled = o[4].value != NULL;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    rc = mme_peer_update(s, &by, a.positional[0], o[1].value, o[2].value ? &scope : NULL,
                         o[3].value, o[4].value || o[5].value ? &disabled : NULL, time(NULL),
                         err);
    if (rc == GS_OK)
        printf("updated MME peer %s\n", a.positional[0]);
    store_close(s);
    return rc;
}

static int peer_remove(int argc, char **argv, struct gs_err *err)
{
    return cli_run_named(argc, argv, "mme peer remove NAME",
                         "Remove a peer: its token stops working at once.", mme_peer_remove,
                         "removed MME peer ", "", err);
}

static int mme_peer(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", peer_add, "register a peer; prints the token it must send us"},
        {"list", peer_list, "list the peers"},
        {"update", peer_update, "change a peer's URL, scope, our token, or disable it"},
        {"remove", peer_remove, "remove a peer"},
    };
    return cli_dispatch("mme peer", verbs, NOPTS(verbs), argc, argv, err);
}

int cmd_mme(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"peer", mme_peer, "the peer nodes: add, list, update, remove"},
    };
    return cli_dispatch("mme", verbs, NOPTS(verbs), argc, argv, err);
}
