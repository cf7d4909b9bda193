/* main.c — genoshare's entry point: dispatches the first word to a command and reports
 * its error once, as "genoshare: <what>: <why>", with exit 2 for bad usage, 1 otherwise. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "core/crypto.h"
#include "store/store.h"

struct command {
    const char *name;
    cli_command_fn run;
    const char *summary;
};

static const struct command commands[] = {
    {"init", cmd_init, "create or upgrade a database"},
    {"serve", cmd_serve, "run the HTTP server and web UI"},
    {"institution", cmd_institution, "register institutions"},
    {"user", cmd_user, "add users, set their roles and passwords"},
    {"consortium", cmd_consortium, "add consortia, let institutions or users join"},
    {"dataset", cmd_dataset, "add or list datasets (tier, data type)"},
    {"record", cmd_record, "add or show records of a dataset"},
    {"token", cmd_token, "create or revoke API tokens"},
    {"grant", cmd_grant, "add or revoke controlled-access grants"},
    {"audit", cmd_audit, "verify or show the audit trail"},
    {"dmp", cmd_dmp, "data management plans: file, update, list, deadlines, reports"},
    {"access", cmd_access, "access requests to controlled data and their review"},
    {"passport", cmd_passport, "GA4GH Passports: trusted issuers and visa checks"},
    {"hpo", cmd_hpo, "load and query the Human Phenotype Ontology"},
    {"case", cmd_case, "register, import and export matchmaking cases"},
    {"match", cmd_match, "find cases similar to a phenotype (and genes)"},
    {"diagnose", cmd_diagnose, "rank diseases for a phenotype from the HPO annotations"},
    {"mme", cmd_mme, "Matchmaker Exchange: peers and their tokens"},
    {"variants", cmd_variants, "variant knowledge base: submit, curate, search"},
    {"source", cmd_source, "reference sources (ClinVar, frequencies) read in place"},
    {"tb", cmd_tb, "tuberculosis isolates: resistance, lineage, transmission"},
    {"demo", cmd_demo, "fill a database with demo accounts and data"},
    {"data", cmd_data, "fetch official public data releases"},
};

static void print_usage(FILE *f)
{
    fprintf(f, "usage: genoshare COMMAND [options]   (genoshare COMMAND --help for more)\n\n"
               "genoshare %s — clinical-genomics data sharing\n\ncommands:\n", GS_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nEvery command takes --db FILE (default $GENOSHARE_DB, else ./genoshare.db).\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        print_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("genoshare %s\n", GS_VERSION);
        return 0;
    }
    if (crypto_init() != GS_OK) {
        fprintf(stderr, "genoshare: libsodium: cannot initialise\n");
        return 1;
    }
    struct gs_err gerr = {0};
    if (store_global_init(&gerr) != GS_OK) {
        fprintf(stderr, "genoshare: %s\n", gerr.msg);
        return 1;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        struct gs_err err = {0};
        int rc = commands[i].run(argc - 2, argv + 2, &err);
        if (rc == GS_OK || rc > 0)
            return 0;
        fprintf(stderr, "genoshare: %s: %s\n", commands[i].name, gs_err_text(&err, rc));
        return gs_error_exit_code(rc);
    }
    fprintf(stderr, "genoshare: %s: unknown command (see genoshare --help)\n", argv[1]);
    return 2;
}
