/* cmd_passport.c — `genoshare passport`: trusted issuers, subject links, the visa value
 * prefix, and checking (optionally applying) a passport from a file. Every change is made
 * and audited by policy/passport.c; this file parses options and prints. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access/access.h"
#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/buf.h"
#include "core/parse.h"
#include "policy/passport.h"

/* Reads a whole, non-empty file (or stdin for "-"); the caller frees *out. */
static int read_text(const char *path, size_t max, char **out, struct gs_err *err)
{
    int rc = cli_read_file(path, max, out, err);
    if (rc == GS_OK && (*out)[0] == '\0') {
        free(*out);
        *out = NULL;
        return gs_err_set(err, GS_EINVAL, "%s is empty", path);
    }
    return rc;
}

/* Opens the store and names the operator; the caller closes *s. */
static int open_as_operator(const char *db, struct store **s, char *actor_name, size_t size,
                            struct actor *by, struct gs_err *err)
{
    *by = cli_operator_actor(actor_name, size);
    return cli_open_store(db, s, err);
}

/* ---- issuers ---- */

static int issuer_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("iss", "URL", "the issuer's iss claim, exactly (required)"),
        OPT("jwks", "FILE", "its public keys as a JWKS document (required; - for stdin)"),
        OPT("sources", "URL[,URL…]", "visa sources (DACs) trusted from it; none: passports only"),
        OPT("by", "LIST", "accepted `by` values (default dac,so,system)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "passport issuer add NAME --iss URL --jwks FILE "
                               "[--sources URL[,URL…]] [--by dac,so,system]",
                               "Trust a passport broker or visa issuer with the keys in FILE.", 1,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *iss, *jwks_path;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "passport issuer add needs a NAME");
    if ((rc = cli_required(&o[1], &iss, err)) != GS_OK ||
        (rc = cli_required(&o[2], &jwks_path, err)) != GS_OK)
        return rc;
    char *jwks = NULL;
    if ((rc = read_text(jwks_path, STORE_JWKS_MAX - 1, &jwks, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    if ((rc = open_as_operator(o[0].value, &s, actor_name, sizeof actor_name, &by, err)) == GS_OK) {
        rc = passport_issuer_add(s, &by, a.positional[0], iss, jwks, o[3].value, o[4].value,
                                 time(NULL), err);
        if (rc == GS_OK)
            printf("passport issuer %s trusted (%s)\n", a.positional[0], iss);
        store_close(s);
    }
    free(jwks);
    return rc;
}

static int issuer_print(void *ctx, const struct store_passport_issuer *i)
{
    (void)ctx;
    char when[21];
    format_utc_time(i->created_at, when);
    printf("%s\t%s\t%s\t%s\t%s\n", i->name, i->iss, i->by_allowed,
           i->sources[0] ? i->sources : "-", when);
    return 0;
}

static int issuer_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "passport issuer list",
                               "List trusted issuers as TSV: name, iss, by, sources, added.", 0,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    printf("name\tiss\tby\tsources\tadded\n");
    rc = store_passport_issuer_each(s, issuer_print, NULL, err);
    store_close(s);
    return rc;
}

static int issuer_remove(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "passport issuer remove NAME",
                               "Stop trusting an issuer; its visas stop counting for new "
                               "passports (grants already made run to their expiry).", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "passport issuer remove needs a NAME");
    struct store *s = NULL;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    if ((rc = open_as_operator(o[0].value, &s, actor_name, sizeof actor_name, &by, err)) != GS_OK)
        return rc;
    rc = passport_issuer_remove(s, &by, a.positional[0], time(NULL), err);
    if (rc == GS_OK)
        printf("passport issuer %s removed\n", a.positional[0]);
    store_close(s);
    return rc;
}

static int cmd_issuer(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", issuer_add, "trust an issuer and its keys"},
        {"list", issuer_list, "list trusted issuers"},
        {"remove", issuer_remove, "stop trusting an issuer"},
    };
    return cli_dispatch("passport issuer", verbs, 3, argc, argv, err);
}

/* ---- links and the value prefix ---- */

static int link_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("user", "NAME", "the genoshare user (required)"),
        OPT("iss", "URL", "a trusted issuer (required)"),
        OPT("sub", "SUB", "the user's subject at that issuer (required)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "passport link --user NAME --iss URL --sub SUB",
                               "Link an external identity to a user: passports (and visas) "
                               "for (iss, sub) then count for that user.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *user, *iss, *sub;
    if ((rc = cli_required(&o[1], &user, err)) != GS_OK ||
        (rc = cli_required(&o[2], &iss, err)) != GS_OK ||
        (rc = cli_required(&o[3], &sub, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    if ((rc = open_as_operator(o[0].value, &s, actor_name, sizeof actor_name, &by, err)) != GS_OK)
        return rc;
    rc = passport_link_add(s, &by, user, iss, sub, time(NULL), err);
    if (rc == GS_OK)
        printf("%s is %s at %s\n", user, sub, iss);
    store_close(s);
    return rc;
}

static int value_prefix(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "passport value-prefix show | set URL",
                               "Show or set the URL before datasets/NAME in visa values "
                               "(default " PASSPORT_PREFIX_DEFAULT ").", 2, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    bool set = a.npositional == 2 && strcmp(a.positional[0], "set") == 0;
    bool show = a.npositional == 1 && strcmp(a.positional[0], "show") == 0;
    if (!set && !show)
        return gs_err_set(err, GS_EUSAGE, "usage: genoshare passport value-prefix show | set URL");
    struct store *s = NULL;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    if ((rc = open_as_operator(o[0].value, &s, actor_name, sizeof actor_name, &by, err)) != GS_OK)
        return rc;
    char prefix[STORE_URL_MAX];
    if (set)
        rc = passport_prefix_set(s, &by, a.positional[1], time(NULL), err);
    if (rc == GS_OK)
        rc = store_passport_prefix_get(s, PASSPORT_PREFIX_DEFAULT, prefix, err);
    if (rc == GS_OK)
        printf("%s\n", prefix);
    store_close(s);
    return rc;
}

/* ---- check ---- */

static void print_verdicts(const struct passport_result *r)
{
    char when[21];
    printf("visa\tverdict\ttype\tdataset\texpires\treason\n");
    for (int i = 0; i < r->nvisas; i++) {
        const struct passport_visa_result *v = &r->visas[i];
        bool ok = v->verdict == PASSPORT_ACCEPTED;
        format_utc_time(v->visa.expires_at, when);
        printf("%d\t%s\t%s\t%s\t%s\t%s\n", v->index, passport_verdict_name(v->verdict),
               v->type[0] ? v->type : "-", ok ? v->dataset : "-", ok ? when : "-", v->reason);
    }
}

static int passport_check_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("user", "NAME", "check the subjects against this user's links"),
        OPT("apply", NULL, "record the grants for --user (audited, as when presented)"),
        OPT("json", NULL, "print the verdicts as JSON"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "passport check FILE|- [--user NAME [--apply]] [--json]",
                               "Validate a passport JWT and print a verdict per visa (TSV: visa, "
                               "verdict, type, dataset, expires, reason).", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "passport check needs a FILE (or - for stdin)");
    if (o[2].value && !o[1].value)
        return gs_err_set(err, GS_EUSAGE, "--apply needs --user NAME");
    char *text = NULL;
    if ((rc = read_text(a.positional[0], PASSPORT_TOKEN_MAX + 2, &text, err)) != GS_OK)
        return rc;
    text[strcspn(text, "\r\n")] = '\0'; /* a file usually ends with a newline */
    struct store *s = NULL;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct passport_result r = {0};
    time_t now = time(NULL);
    if ((rc = open_as_operator(o[0].value, &s, actor_name, sizeof actor_name, &by, err)) == GS_OK) {
        struct store_user u = {0};
        if (o[2].value)
            rc = passport_present(s, &by, text, o[1].value, now, &r, err);
        else if (o[1].value == NULL || (rc = store_user_by_name(s, o[1].value, &u, err)) == GS_OK)
            rc = passport_check(s, text, u.id, now, &r, err);
        store_close(s);
    }
    if (rc == GS_OK && o[3].value) {
        json_t *doc = passport_result_json(&r);
        char *out = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
        if (out)
            printf("%s\n", out);
        else
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
        free(out);
        json_decref(doc);
    } else if (rc == GS_OK) {
        print_verdicts(&r);
    }
    passport_result_free(&r);
    free(text);
    return rc;
}

int cmd_passport(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"check", passport_check_cmd, "validate a passport (--apply: record its grants)"},
        {"issuer", cmd_issuer, "add, list or remove trusted issuers"},
        {"link", link_add, "link an external subject to a user"},
        {"value-prefix", value_prefix, "show or set the visa value prefix"},
    };
    return cli_dispatch("passport", verbs, 4, argc, argv, err);
}
