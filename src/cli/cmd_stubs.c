/* cmd_stubs.c — commands not written yet (temporary, removed as each lands). */
#include "cli/commands.h"
#define STUB(fn) int fn(int argc, char **argv, struct gs_err *err) { (void)argc; (void)argv; return gs_err_set(err, GS_EUSAGE, #fn ": not built yet"); }
STUB(cmd_init)
STUB(cmd_serve)
STUB(cmd_user)
STUB(cmd_institution)
STUB(cmd_consortium)
STUB(cmd_dataset)
STUB(cmd_record)
STUB(cmd_token)
STUB(cmd_grant)
STUB(cmd_audit)
STUB(cmd_demo)
