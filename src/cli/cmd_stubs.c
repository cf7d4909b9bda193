/* cmd_stubs.c — commands not written yet (temporary, removed as each lands). */
#include "cli/commands.h"
#define STUB(fn) int fn(int argc, char **argv, struct gs_err *err) { (void)argc; (void)argv; return gs_err_set(err, GS_EUSAGE, #fn ": not built yet"); }
STUB(cmd_demo)
