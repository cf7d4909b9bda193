/* cmd_mme.c — `genoshare mme`: Matchmaker Exchange peers and outbound search (placeholder: filled by its issue's work). */
#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"

int cmd_mme(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "mme is not built yet");
}
