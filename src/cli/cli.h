/* cli.h — the one option parser every genoshare command uses, and the command signature.
 *
 * A command declares its options in a table; cli_parse fills each option's value (a
 * pointer into argv, never copied) and leaves the positional arguments. Errors are
 * GS_EUSAGE with the offending option named; "--help" is reported as CLI_HELP. */
#ifndef GS_CLI_CLI_H
#define GS_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

#define CLI_HELP 1 /* cli_parse's return when --help or -h was given */
#define CLI_MAX_POSITIONAL 32

struct cli_option {
    const char *name;      /* "db" for --db */
    const char *arg;       /* "FILE"; NULL for a flag */
    const char *help;      /* one line */
    const char *value;     /* out: the value (or "1" for a set flag), NULL when absent */
    bool repeatable;       /* a repeated option keeps the last value unless repeatable… */
    const char **values;   /* …in which case all values go here (caller's array) */
    int max_values;
    int nvalues;           /* out */
};

/* Table helpers for a command's options: OPT for an option (arg NULL: a flag), OPT_DB for
 * the --db every command takes, NOPTS for the table's length. */
#define OPT(name, arg, help) {name, arg, help, NULL, 0, NULL, 0, 0}
#define OPT_DB OPT("db", "FILE", "database (default $GENOSHARE_DB, else ./genoshare.db)")
#define NOPTS(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct cli_args {
    const char *positional[CLI_MAX_POSITIONAL];
    int npositional;
};

/* Parses argv[0..argc) (argv[0] is the first word after the command name). Accepts
 * "--name value" and "--name=value"; "--" ends options. */
int cli_parse(int argc, char **argv, struct cli_option *opts, int nopts, struct cli_args *out,
              struct gs_err *err) GS_MUST_USE;

/* Prints "usage: genoshare USAGE" and the option table to f. */
void cli_print_help(FILE *f, const char *usage, const char *summary,
                    const struct cli_option *opts, int nopts);

/* The database path: --db, else $GENOSHARE_DB, else ./genoshare.db. */
const char *cli_db_path(const char *db_option);

/* A command: returns 0 or a negative GS_E* code with err filled; main reports it.
 * Commands print their results to stdout and nothing else there. */
typedef int (*cli_command_fn)(int argc, char **argv, struct gs_err *err);

#endif
