/* cmd_datasets.c — dataset, record and grant commands. Reads go through the registry,
 * hence through the one access decision; `--as USER` reads as that user would. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/buf.h"
#include "core/parse.h"
#include "registry/registry.h"

#define RECORD_FILE_MAX (1u << 20)

/* ---- dataset ---- */

static int dataset_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("title", "TEXT", "display title (default: NAME)"),
        OPT("tier", "TIER", "restricted | controlled | open (required)"),
        OPT("data-type", "TYPE", "sequence | variants | somatic_mutations | expression_epigenome"
                                 " | microbial_genomes | phenotype_clinical (required)"),
        OPT("institution", "NAME", "owning institution (required)"),
        OPT("consortium", "NAME", "consortium (required for restricted)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "dataset add NAME --tier TIER --data-type TYPE --institution NAME "
                               "[--consortium NAME] [--title TEXT]",
                               "Register a dataset with its sharing tier.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *tier_text, *type_text, *institution;
    enum tier tier;
    enum data_type type;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "dataset add needs a NAME");
    if ((rc = cli_required(&o[2], &tier_text, err)) != GS_OK ||
        (rc = cli_required(&o[3], &type_text, err)) != GS_OK ||
        (rc = cli_required(&o[4], &institution, err)) != GS_OK)
        return rc;
    if (tier_parse(tier_text, &tier, err) != GS_OK || data_type_parse(type_text, &type, err) != GS_OK)
        return GS_EUSAGE;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    const char *name = a.positional[0];
    int64_t id = 0;
    rc = registry_dataset_add(s, &by, name, o[1].value ? o[1].value : name, tier, type,
                              institution, o[5].value, &id, err);
    if (rc == GS_OK)
        printf("dataset %s added (id %lld, %s, %s)\n", name, (long long)id, tier_name(tier),
               data_type_name(type));
    store_close(s);
    return rc;
}

struct list_ctx {
    struct store *s;
};

static int dataset_print(void *ctx, const struct store_dataset *d)
{
    struct list_ctx *c = ctx;
    struct store_institution inst;
    struct store_consortium cons = {0};
    struct gs_err ignored = {0};
    if (store_institution_get(c->s, d->institution_id, &inst, &ignored) != GS_OK)
        snprintf(inst.name, sizeof inst.name, "?");
    if (d->consortium_id == 0 || store_consortium_get(c->s, d->consortium_id, &cons, &ignored) != GS_OK)
        snprintf(cons.name, sizeof cons.name, "-");
    printf("%s\t%s\t%s\t%s\t%s\t%lld\t%s\n", d->name, tier_name(d->tier),
           data_type_name(d->data_type), inst.name, cons.name, (long long)d->records, d->title);
    return 0;
}

static int dataset_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "dataset list",
                               "List datasets as TSV: name, tier, data type, institution, "
                               "consortium, records, title.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    struct list_ctx ctx = {s};
    printf("name\ttier\tdata_type\tinstitution\tconsortium\trecords\ttitle\n");
    rc = store_dataset_each(s, dataset_print, &ctx, err);
    store_close(s);
    return rc;
}

int cmd_dataset(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", dataset_add, "register a dataset"},
        {"list", dataset_list, "list datasets"},
    };
    return cli_dispatch("dataset", verbs, 2, argc, argv, err);
}

/* ---- record ---- */

static int record_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("dataset", "NAME", "the dataset (required)"),
        OPT("scope", "SCOPE", "private | domestic | international (default private)"),
        OPT("label", "TEXT", "a label for the record (required)"),
        OPT("file", "FILE", "JSON object with the record's content (- for stdin)"),
        OPT("institution", "NAME", "submitting institution (default: the dataset's)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "record add --dataset NAME --label TEXT [--scope SCOPE] "
                               "[--file FILE] [--institution NAME]",
                               "Add a record to a dataset as the operator.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct registry_record_input in = {0};
    in.scope = SCOPE_PRIVATE;
    in.institution = o[5].value;
    if ((rc = cli_required(&o[1], &in.dataset, err)) != GS_OK ||
        (rc = cli_required(&o[3], &in.label, err)) != GS_OK)
        return rc;
    if (o[2].value && scope_parse(o[2].value, &in.scope, err) != GS_OK)
        return GS_EUSAGE;
    char *content = NULL;
    if (o[4].value && (rc = cli_read_file(o[4].value, RECORD_FILE_MAX, &content, err)) != GS_OK)
        return rc;
    in.content = content;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) == GS_OK) {
        char actor_name[STORE_TEXT_MAX];
        struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
        struct principal op;
        principal_operator(&op);
        int64_t id = 0;
        rc = registry_record_add(s, &by, &op, &in, &id, err);
        if (rc == GS_OK)
            printf("record %lld added to %s (%s)\n", (long long)id, in.dataset,
                   scope_name(in.scope));
        store_close(s);
    }
    free(content);
    return rc;
}

static int record_show(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("as", "USER", "read as this user would (access decided "
                                                       "and audited as for the API)")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "record show ID [--as USER]",
                               "Print a record as JSON.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = cli_positional_id(&a, "record show", "record", &id, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal p;
    rc = cli_reader(s, o[1].value, &p, &by, actor_name, sizeof actor_name, err);
    struct store_record rec = {0};
    struct store_dataset d;
    if (rc == GS_OK)
        rc = registry_record_read(s, &p, &by, id, time(NULL), &rec, &d, err);
    if (rc == GS_OK) {
        json_t *content = json_loads(rec.content, 0, NULL);
        json_t *doc = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o*}", "id", (json_int_t)rec.id,
                                "dataset", d.name, "tier", tier_name(d.tier), "scope",
                                scope_name(rec.scope), "label", rec.label, "content", content);
        char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
        if (text)
            printf("%s\n", text);
        else
            rc = gs_err_set(err, GS_ENOMEM, "cannot format record");
        free(text);
        json_decref(doc);
        store_record_clear(&rec);
    }
    store_close(s);
    return rc;
}

int cmd_record(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", record_add, "add a record to a dataset"},
        {"show", record_show, "print a record (as the operator, or --as a user)"},
    };
    return cli_dispatch("record", verbs, 2, argc, argv, err);
}

/* ---- grant ---- */

static int grant_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("dataset", "NAME", "a controlled dataset (required)"),
        OPT("user", "NAME", "who gets access (required)"),
        OPT("until", "DATE", "expiry, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)"),
        OPT("days", "N", "expiry in N days (default 365)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "grant add --dataset NAME --user NAME [--until DATE | --days N]",
                               "Grant a user access to a controlled dataset until a date.", 0,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *dataset, *user;
    if ((rc = cli_required(&o[1], &dataset, err)) != GS_OK ||
        (rc = cli_required(&o[2], &user, err)) != GS_OK)
        return rc;
    if (o[3].value && o[4].value)
        return gs_err_set(err, GS_EUSAGE, "give --until or --days, not both");
    time_t now = time(NULL), until;
    int64_t days = 365;
    if (o[3].value) {
        if (parse_utc_time(o[3].value, &until, err) != GS_OK)
            return GS_EUSAGE;
    } else {
        if (o[4].value && parse_int64(o[4].value, 1, 36500, &days, err) != GS_OK)
            return GS_EUSAGE;
        until = now + (time_t)days * 86400;
    }
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    int64_t id = 0;
    rc = registry_grant_add(s, &by, dataset, user, until, now, &id, err);
    if (rc == GS_OK) {
        char when[21];
        format_utc_time(until, when);
        printf("grant %lld: %s may read %s until %s\n", (long long)id, user, dataset, when);
    }
    store_close(s);
    return rc;
}

static int grant_revoke(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "grant revoke ID",
                               "Revoke a grant; access stops at once.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = cli_positional_id(&a, "grant revoke", "grant", &id, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    rc = registry_grant_revoke(s, &by, id, time(NULL), err);
    if (rc == GS_OK)
        printf("grant %lld revoked\n", (long long)id);
    store_close(s);
    return rc;
}

int cmd_grant(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", grant_add, "grant access to a controlled dataset"},
        {"revoke", grant_revoke, "revoke a grant"},
    };
    return cli_dispatch("grant", verbs, 2, argc, argv, err);
}
