/* cli_store.h — what the database commands share: opening the store named by --db, the
 * operator actor for audit rows, and dispatch of a command's verbs. */
#ifndef GS_CLI_CLI_STORE_H
#define GS_CLI_CLI_STORE_H

#include <time.h>

#include "audit/audit.h"
#include "cli/cli.h"
#include "store/store.h"

/* Opens an existing, up-to-date database (see cli_db_path); caller closes it. */
int cli_open_store(const char *db_option, struct store **out, struct gs_err *err) GS_MUST_USE;

/* The actor for audit rows written from the command line: "operator:<login>", "cli".
 * name_buf holds the name and must outlive the actor. */
struct actor cli_operator_actor(char *name_buf, size_t size);

struct cli_verb {
    const char *name;
    cli_command_fn run;
    const char *summary;
};
/* Runs the verb named by argv[0], or prints the verb list for --help / no verb. */
int cli_dispatch(const char *command, const struct cli_verb *verbs, int nverbs, int argc,
                 char **argv, struct gs_err *err) GS_MUST_USE;

/* Parses options; on --help prints help and returns CLI_HELP (the command returns GS_OK). */
int cli_parse_or_help(int argc, char **argv, struct cli_option *opts, int nopts,
                      struct cli_args *args, const char *usage, const char *summary,
                      int max_positional, struct gs_err *err) GS_MUST_USE;

/* Who reads: the operator, or with as (a user name) that user, decided and audited as over
 * the API. Fills p and by (by->name points into name_buf, which must outlive it). */
struct principal;
int cli_reader(struct store *s, const char *as, struct principal *p, struct actor *by,
               char *name_buf, size_t size, struct gs_err *err) GS_MUST_USE;

/* Reads a whole file (or standard input for "-") of at most max bytes into *out, a
 * NUL-terminated string the caller frees; GS_ETOOBIG past max, GS_EIO with the reason. */
int cli_read_file(const char *path, size_t max, char **out, struct gs_err *err) GS_MUST_USE;

/* The one positional argument as a positive id; GS_EUSAGE "<command> needs the <what> ID"
 * (e.g. command "grant revoke", what "grant") when absent, or the parse error. */
int cli_positional_id(const struct cli_args *a, const char *command, const char *what,
                      int64_t *out, struct gs_err *err) GS_MUST_USE;

/* A verb "CMD VERB NAME" that changes one named thing as the operator (remove a peer, a
 * source): parses --db and NAME (GS_EUSAGE "<usage's first two words> needs a NAME"), opens
 * the store, calls fn(s, by, name, now, err) and on success prints "<before>NAME<after>". */
typedef int (*cli_named_fn)(struct store *s, const struct actor *by, const char *name,
                            time_t now, struct gs_err *err);
int cli_run_named(int argc, char **argv, const char *usage, const char *summary,
                  cli_named_fn fn, const char *before, const char *after,
                  struct gs_err *err) GS_MUST_USE;

/* The value of a required option, or GS_EUSAGE naming it. */
int cli_required(const struct cli_option *opt, const char **out, struct gs_err *err) GS_MUST_USE;

#endif
