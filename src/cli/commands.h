/* commands.h — every genoshare subcommand; main.c dispatches on the first word. */
#ifndef GS_CLI_COMMANDS_H
#define GS_CLI_COMMANDS_H

#include "cli/cli.h"

int cmd_init(int argc, char **argv, struct gs_err *err);
int cmd_serve(int argc, char **argv, struct gs_err *err);
int cmd_user(int argc, char **argv, struct gs_err *err);
int cmd_institution(int argc, char **argv, struct gs_err *err);
int cmd_consortium(int argc, char **argv, struct gs_err *err);
int cmd_dataset(int argc, char **argv, struct gs_err *err);
int cmd_record(int argc, char **argv, struct gs_err *err);
int cmd_token(int argc, char **argv, struct gs_err *err);
int cmd_grant(int argc, char **argv, struct gs_err *err);
int cmd_audit(int argc, char **argv, struct gs_err *err);
int cmd_demo(int argc, char **argv, struct gs_err *err);
int cmd_data(int argc, char **argv, struct gs_err *err);
int cmd_dmp(int argc, char **argv, struct gs_err *err);
int cmd_access(int argc, char **argv, struct gs_err *err);
int cmd_passport(int argc, char **argv, struct gs_err *err);
int cmd_hpo(int argc, char **argv, struct gs_err *err);
int cmd_case(int argc, char **argv, struct gs_err *err);
int cmd_match(int argc, char **argv, struct gs_err *err);
int cmd_diagnose(int argc, char **argv, struct gs_err *err);
int cmd_mme(int argc, char **argv, struct gs_err *err);
int cmd_variants(int argc, char **argv, struct gs_err *err);
int cmd_source(int argc, char **argv, struct gs_err *err);
int cmd_tb(int argc, char **argv, struct gs_err *err);

#endif
