/* cmd_match.c — placeholder: its capability has not landed yet. */
#include "cli/commands.h"

int cmd_match(int argc, char **argv, struct gs_err *err)
{
    (void)argc;
    (void)argv;
    return gs_err_set(err, GS_EUSAGE, "match: not built yet");
}
