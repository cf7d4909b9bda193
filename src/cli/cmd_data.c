/* cmd_data.c — placeholder until the fetch module lands. */
#include "cli/commands.h"

int cmd_data(int argc, char **argv, struct gs_err *err)
{
    (void)argc;
    (void)argv;
    return gs_err_set(err, GS_EUSAGE, "data: not built yet");
}
