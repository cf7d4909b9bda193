/* cli.c — option parsing and help printing shared by every command. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

static struct cli_option *cli_find(struct cli_option *opts, int nopts, const char *name,
                                   size_t namelen)
{
    for (int i = 0; i < nopts; i++)
        if (strlen(opts[i].name) == namelen && strncmp(opts[i].name, name, namelen) == 0)
            return &opts[i];
    return NULL;
}

static int cli_store(struct cli_option *o, const char *value, struct gs_err *err)
{
    if (o->repeatable) {
        if (o->nvalues >= o->max_values)
            return gs_err_set(err, GS_EUSAGE, "--%s: at most %d values", o->name, o->max_values);
        o->values[o->nvalues++] = value;
    }
    o->value = value;
    return GS_OK;
}

int cli_parse(int argc, char **argv, struct cli_option *opts, int nopts, struct cli_args *out,
              struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    bool options_done = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0))
            return CLI_HELP;
        if (!options_done && strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        if (options_done || strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            if (a[0] == '-' && a[1] != '\0' && !options_done)
                return gs_err_set(err, GS_EUSAGE, "unknown option '%s'", a);
            if (out->npositional >= CLI_MAX_POSITIONAL)
                return gs_err_set(err, GS_EUSAGE, "too many arguments");
            out->positional[out->npositional++] = a;
            continue;
        }
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t namelen = eq ? (size_t)(eq - name) : strlen(name);
        struct cli_option *o = cli_find(opts, nopts, name, namelen);
        if (o == NULL)
            return gs_err_set(err, GS_EUSAGE, "unknown option '--%.*s'", (int)namelen, name);
        if (o->arg == NULL) {
            if (eq != NULL)
                return gs_err_set(err, GS_EUSAGE, "--%s takes no value", o->name);
            o->value = "1";
            continue;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (value == NULL) {
            if (i + 1 >= argc)
                return gs_err_set(err, GS_EUSAGE, "--%s needs a value (%s)", o->name, o->arg);
            value = argv[++i];
        }
        int rc = cli_store(o, value, err);
        if (rc != GS_OK)
            return rc;
    }
    return GS_OK;
}

void cli_print_help(FILE *f, const char *usage, const char *summary,
                    const struct cli_option *opts, int nopts)
{
    fprintf(f, "usage: genoshare %s\n\n%s\n", usage, summary);
    if (nopts > 0)
        fprintf(f, "\noptions:\n");
    for (int i = 0; i < nopts; i++) {
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", opts[i].name, opts[i].arg ? " " : "",
                 opts[i].arg ? opts[i].arg : "");
        fprintf(f, "  %-26s %s\n", left, opts[i].help);
    }
}

const char *cli_db_path(const char *db_option)
{
    if (db_option != NULL && db_option[0] != '\0')
        return db_option;
    const char *env = getenv("GENOSHARE_DB");
    if (env != NULL && env[0] != '\0')
        return env;
    return "genoshare.db";
}
