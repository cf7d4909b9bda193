/* cmd_accounts.c — init, institution, user, consortium, token and audit commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access/auth.h"
#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "registry/registry.h"

/* Declares s (the open store) and by (the operator actor) in the calling command, or
 * returns the error; the command closes s. */
#define OPEN_STORE(db_option)                                                              \
    struct store *s = NULL;                                                                \
    if ((rc = cli_open_store((db_option), &s, err)) != GS_OK)                               \
        return rc;                                                                         \
    char actor_name[STORE_TEXT_MAX];                                                       \
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name)

int cmd_init(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "init [--db FILE]",
                               "Create the database, or upgrade its schema to this version.", 0,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *path = cli_db_path(o[0].value);
    struct store *s = NULL;
    if ((rc = store_open(path, &s, err)) != GS_OK)
        return rc;
    int version = 0;
    rc = store_schema_version(s, &version, err);
    store_close(s);
    if (rc == GS_OK)
        printf("initialised %s (schema version %d)\n", path, version);
    return rc;
}

/* ---- institution ---- */

static int institution_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("title", "TEXT", "display name (default: NAME)"),
                             OPT("country", "CC", "ISO 3166-1 alpha-2 country code, e.g. JP")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "institution add NAME --country CC [--title TEXT]",
                               "Register an institution (hospital, university, laboratory).", 1,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *country;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "institution add needs a NAME");
    if ((rc = cli_required(&o[2], &country, err)) != GS_OK)
        return rc;
    const char *name = a.positional[0];
    int64_t id = 0;
    OPEN_STORE(o[0].value);
    rc = registry_institution_add(s, &by, name, o[1].value ? o[1].value : name, country, &id,
                                  err);
    if (rc == GS_OK)
        printf("institution %s added (id %lld)\n", name, (long long)id);
    store_close(s);
    return rc;
}

int cmd_institution(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {{"add", institution_add, "register an institution"}};
    return cli_dispatch("institution", verbs, 1, argc, argv, err);
}

/* ---- user ---- */

/* The password from --password, or one line of standard input with --password-stdin. */
static int read_password(const struct cli_option *plain, const struct cli_option *from_stdin,
                         char *buf, size_t size, const char **out, struct gs_err *err)
{
    *out = NULL;
    if (plain->value != NULL && from_stdin->value != NULL)
        return gs_err_set(err, GS_EUSAGE, "give --password or --password-stdin, not both");
    if (plain->value != NULL) {
        *out = plain->value;
        return GS_OK;
    }
    if (from_stdin->value == NULL)
        return GS_OK;
    if (fgets(buf, (int)size, stdin) == NULL)
        return gs_err_set(err, GS_EUSAGE, "--password-stdin: no password on standard input");
    buf[strcspn(buf, "\r\n")] = '\0';
    *out = buf;
    return GS_OK;
}

static int user_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("institution", "NAME", "the user's institution (required)"),
        OPT("title", "TEXT", "display name (default: NAME)"),
        OPT("roles", "LIST", "comma-separated: member,submitter,curator,dac,admin"),
        OPT("password", "TEXT", "web password (visible to ps: prefer --password-stdin)"),
        OPT("password-stdin", NULL, "read the web password from standard input"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "user add NAME --institution NAME [--roles LIST] [--title TEXT] "
                               "[--password-stdin]",
                               "Add a user account.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "user add needs a NAME");
    const char *institution, *password;
    unsigned roles = ROLE_MEMBER;
    char pwbuf[AUTH_PASSWORD_MAX + 2];
    if ((rc = cli_required(&o[1], &institution, err)) != GS_OK ||
        (o[3].value && (rc = roles_parse(o[3].value, &roles, err)) != GS_OK) ||
        (rc = read_password(&o[4], &o[5], pwbuf, sizeof pwbuf, &password, err)) != GS_OK)
        return rc == GS_EINVAL ? GS_EUSAGE : rc;
    const char *name = a.positional[0];
    int64_t id = 0;
    OPEN_STORE(o[0].value);
    rc = registry_user_add(s, &by, name, o[2].value ? o[2].value : name, institution, roles,
                           password, &id, err);
    if (rc == GS_OK)
        printf("user %s added (id %lld)\n", name, (long long)id);
    store_close(s);
    return rc;
}

static int user_passwd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("password", "TEXT", "new password"),
                             OPT("password-stdin", NULL, "read it from standard input")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "user passwd NAME --password-stdin",
                               "Set a user's web password.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *password;
    char pwbuf[AUTH_PASSWORD_MAX + 2];
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "user passwd needs a NAME");
    if ((rc = read_password(&o[1], &o[2], pwbuf, sizeof pwbuf, &password, err)) != GS_OK)
        return rc;
    if (password == NULL)
        return gs_err_set(err, GS_EUSAGE, "give --password-stdin (or --password)");
    OPEN_STORE(o[0].value);
    rc = registry_user_set_password(s, &by, a.positional[0], password, err);
    if (rc == GS_OK)
        printf("password set for %s\n", a.positional[0]);
    store_close(s);
    return rc;
}

static int user_roles(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("roles", "LIST", "the full new role list")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "user roles NAME --roles LIST",
                               "Replace a user's roles.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *text;
    unsigned roles;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "user roles needs a NAME");
    if ((rc = cli_required(&o[1], &text, err)) != GS_OK)
        return rc;
    if (roles_parse(text, &roles, err) != GS_OK)
        return GS_EUSAGE;
    OPEN_STORE(o[0].value);
    rc = registry_user_set_roles(s, &by, a.positional[0], roles, err);
    if (rc == GS_OK)
        printf("roles of %s: %s\n", a.positional[0], text);
    store_close(s);
    return rc;
}

int cmd_user(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", user_add, "add a user"},
        {"passwd", user_passwd, "set a user's password"},
        {"roles", user_roles, "replace a user's roles"},
    };
    return cli_dispatch("user", verbs, 3, argc, argv, err);
}

/* ---- consortium ---- */

static int consortium_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("title", "TEXT", "display name (default: NAME)")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "consortium add NAME [--title TEXT]",
                               "Create a consortium.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "consortium add needs a NAME");
    const char *name = a.positional[0];
    int64_t id = 0;
    OPEN_STORE(o[0].value);
    rc = registry_consortium_add(s, &by, name, o[1].value ? o[1].value : name, &id, err);
    if (rc == GS_OK)
        printf("consortium %s added (id %lld)\n", name, (long long)id);
    store_close(s);
    return rc;
}

static int consortium_join(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("institution", "NAME", "the joining institution"),
                             OPT("user", "NAME", "the joining user")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "consortium join NAME (--institution NAME | --user NAME)",
                               "Make an institution (all its users) or one user a member.", 1,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "consortium join needs the consortium NAME");
    if ((o[1].value == NULL) == (o[2].value == NULL))
        return gs_err_set(err, GS_EUSAGE, "give exactly one of --institution or --user");
    OPEN_STORE(o[0].value);
    rc = registry_consortium_join(s, &by, a.positional[0], o[1].value, o[2].value, err);
    if (rc == GS_OK)
        printf("%s %s joined %s\n", o[1].value ? "institution" : "user",
               o[1].value ? o[1].value : o[2].value, a.positional[0]);
    store_close(s);
    return rc;
}

int cmd_consortium(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", consortium_add, "create a consortium"},
        {"join", consortium_join, "add an institution or a user to a consortium"},
    };
    return cli_dispatch("consortium", verbs, 2, argc, argv, err);
}

/* ---- token ---- */

static int token_create(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("user", "NAME", "whose token (required)"),
                             OPT("name", "TEXT", "what the token is for"),
                             OPT("days", "N", "days until it expires (default 90; 0: never)")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "token create --user NAME [--name TEXT] [--days N]",
                               "Create an API token. Its secret is printed once, alone on the "
                               "last line; only its hash is stored.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *user;
    int64_t days = 90;
    if ((rc = cli_required(&o[1], &user, err)) != GS_OK)
        return rc;
    if (o[3].value && parse_int64(o[3].value, 0, 3650, &days, err) != GS_OK)
        return GS_EUSAGE;
    time_t now = time(NULL);
    time_t expires = days == 0 ? 0 : now + (time_t)days * 86400;
    char secret[AUTH_SECRET_MAX];
    int64_t id = 0;
    struct store_user u;
    OPEN_STORE(o[0].value);
    rc = store_user_by_name(s, user, &u, err);
    if (rc == GS_OK)
        rc = auth_token_create(s, u.id, o[2].value ? o[2].value : "cli", expires, &by, now,
                               secret, &id, err);
    if (rc == GS_OK)
        printf("token %lld for %s%s\n%s\n", (long long)id, user,
               expires ? "" : " (never expires)", secret);
    store_close(s);
    return rc;
}

static int token_revoke(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "token revoke ID",
                               "Revoke an API token at once.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = cli_positional_id(&a, "token revoke", "token", &id, err)) != GS_OK)
        return rc;
    OPEN_STORE(o[0].value);
    rc = auth_token_revoke(s, id, &by, time(NULL), err);
    if (rc == GS_OK)
        printf("token %lld revoked\n", (long long)id);
    store_close(s);
    return rc;
}

int cmd_token(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"create", token_create, "create an API token for a user"},
        {"revoke", token_revoke, "revoke an API token"},
    };
    return cli_dispatch("token", verbs, 2, argc, argv, err);
}

/* ---- audit ---- */

static int audit_verify_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "audit verify",
                               "Check the audit trail's hash chain; names every edited or "
                               "deleted row. Exit 1 when the trail was tampered with.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    struct audit_report *r = calloc(1, sizeof *r);
    if (r == NULL) {
        store_close(s);
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    }
    rc = audit_verify(s, r, err);
    store_close(s);
    if (rc == GS_OK && r->nproblems == 0) {
        printf("audit trail intact: %lld rows\n", (long long)r->rows);
    } else if (rc == GS_OK) {
        for (int i = 0; i < r->nproblems && i < AUDIT_PROBLEMS_MAX; i++)
            printf("row %lld: %s\n", (long long)r->problems[i].seq, r->problems[i].what);
        rc = gs_err_set(err, GS_ECORRUPT, "audit trail tampered with: %d problem%s in %lld rows "
                        "(first at row %lld)", r->nproblems, r->nproblems == 1 ? "" : "s",
                        (long long)r->rows, (long long)r->problems[0].seq);
    }
    free(r);
    return rc;
}

struct audit_show_ctx {
    int64_t left;
};

static int audit_show_row(void *ctx, const struct store_audit_row *row)
{
    struct audit_show_ctx *c = ctx;
    if (c->left-- <= 0)
        return 1;
    char at[21];
    format_utc_time(row->at, at);
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%s\n", (long long)row->seq, at, row->actor, row->origin,
           row->action, row->object, row->detail);
    return 0;
}

static int audit_show(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("after", "SEQ", "start after this row (default 0)"),
                             OPT("limit", "N", "at most N rows (default 100)")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "audit show [--after SEQ] [--limit N]",
                               "Print audit rows as TSV: seq, time, actor, origin, action, "
                               "object, detail.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t after = 0, limit = 100;
    if ((o[1].value && parse_int64(o[1].value, 0, INT64_MAX, &after, err) != GS_OK) ||
        (o[2].value && parse_int64(o[2].value, 1, 1000000, &limit, err) != GS_OK))
        return GS_EUSAGE;
    struct audit_show_ctx ctx = {limit};
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    rc = store_audit_each(s, after, audit_show_row, &ctx, err);
    store_close(s);
    return rc == 1 ? GS_OK : rc;
}

int cmd_audit(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"verify", audit_verify_cmd, "check the hash chain, naming any tampered row"},
        {"show", audit_show, "print audit rows"},
    };
    return cli_dispatch("audit", verbs, 2, argc, argv, err);
}
