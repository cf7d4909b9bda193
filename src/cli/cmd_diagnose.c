/* cmd_diagnose.c — placeholder: its capability has not landed yet. */
#include "cli/commands.h"

int cmd_diagnose(int argc, char **argv, struct gs_err *err)
{
    (void)argc;
    (void)argv;
    return gs_err_set(err, GS_EUSAGE, "diagnose: not built yet");
}
