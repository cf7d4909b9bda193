/* cli_store.c — store opening, operator identity and verb dispatch for commands. */
#include "cli/cli_store.h"

#include "access/access.h"
#include "core/buf.h"
#include "core/parse.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cli_open_store(const char *db_option, struct store **out, struct gs_err *err)
{
    return store_open_existing(cli_db_path(db_option), out, err);
}

struct actor cli_operator_actor(char *name_buf, size_t size)
{
    const char *login = getenv("USER");
    if (login == NULL || login[0] == '\0') {
        struct passwd *pw = getpwuid(getuid());
        login = pw ? pw->pw_name : "unknown";
    }
    snprintf(name_buf, size, "operator:%.64s", login);
    struct actor a = {name_buf, "cli"};
    return a;
}

int cli_dispatch(const char *command, const struct cli_verb *verbs, int nverbs, int argc,
                 char **argv, struct gs_err *err)
{
    if (argc >= 1) {
        for (int i = 0; i < nverbs; i++)
            if (strcmp(argv[0], verbs[i].name) == 0)
                return verbs[i].run(argc - 1, argv + 1, err);
    }
    bool help = argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
    FILE *f = help ? stdout : stderr;
    fprintf(f, "usage: genoshare %s VERB [options]   (genoshare %s VERB --help)\n\nverbs:\n",
            command, command);
    for (int i = 0; i < nverbs; i++)
        fprintf(f, "  %-10s %s\n", verbs[i].name, verbs[i].summary);
    if (help)
        return GS_OK;
    if (argc == 0)
        return gs_err_set(err, GS_EUSAGE, "which verb? (see above)");
    return gs_err_set(err, GS_EUSAGE, "unknown verb '%s'", argv[0]);
}

int cli_parse_or_help(int argc, char **argv, struct cli_option *opts, int nopts,
                      struct cli_args *args, const char *usage, const char *summary,
                      int max_positional, struct gs_err *err)
{
    int rc = cli_parse(argc, argv, opts, nopts, args, err);
    if (rc == CLI_HELP) {
        cli_print_help(stdout, usage, summary, opts, nopts);
        return CLI_HELP;
    }
    if (rc != GS_OK)
        return rc;
    if (args->npositional > max_positional)
        return gs_err_set(err, GS_EUSAGE, "unexpected argument '%s' (usage: genoshare %s)",
                          args->positional[max_positional], usage);
    return GS_OK;
}

int cli_required(const struct cli_option *opt, const char **out, struct gs_err *err)
{
    if (opt->value == NULL || opt->value[0] == '\0')
        return gs_err_set(err, GS_EUSAGE, "--%s %s is required", opt->name,
                          opt->arg ? opt->arg : "");
    *out = opt->value;
    return GS_OK;
}

int cli_read_file(const char *path, size_t max, char **out, struct gs_err *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL)
        return gs_err_set(err, GS_EIO, "cannot open %s: %m", path);
    struct gs_buf b;
    buf_init(&b, max);
    char chunk[8192];
    size_t n;
    int rc = GS_OK;
    while (rc == GS_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = buf_append(&b, chunk, n);
    bool failed = ferror(f) != 0;
    if (f != stdin)
        fclose(f);
    if (rc == GS_OK && failed)
        rc = gs_err_set(err, GS_EIO, "cannot read %s", path);
    else if (rc == GS_ETOOBIG)
        gs_err_set(err, rc, "%s is larger than %zu bytes", path, max);
    else if (rc != GS_OK)
        gs_err_set(err, rc, "cannot read %s", path);
    if (rc != GS_OK) {
        buf_free(&b);
        return rc;
    }
    *out = buf_steal(&b);
    return GS_OK;
}

int cli_positional_id(const struct cli_args *a, const char *command, const char *what,
                      int64_t *out, struct gs_err *err)
{
    if (a->npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "%s needs the %s ID", command, what);
    if (parse_int64(a->positional[0], 1, INT64_MAX, out, err) != GS_OK)
        return GS_EUSAGE;
    return GS_OK;
}

int cli_reader(struct store *s, const char *as, struct principal *p, struct actor *by,
               char *name_buf, size_t size, struct gs_err *err)
{
    *by = cli_operator_actor(name_buf, size);
    principal_operator(p);
    if (as == NULL)
        return GS_OK;
    snprintf(name_buf, size, "user:%.64s", as);
    by->origin = "cli --as";
    return principal_for_name(s, as, p, err);
}

int cli_run_named(int argc, char **argv, const char *usage, const char *summary,
                  cli_named_fn fn, const char *before, const char *after,
                  struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, usage, summary, 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1) {
        const char *name = strrchr(usage, ' '); /* "mme peer remove NAME": the command before it */
        return gs_err_set(err, GS_EUSAGE, "%.*s needs a NAME",
                          name ? (int)(name - usage) : (int)strlen(usage), usage);
    }
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    if ((rc = fn(s, &by, a.positional[0], time(NULL), err)) == GS_OK)
        printf("%s%s%s\n", before, a.positional[0], after);
    store_close(s);
    return rc;
}
