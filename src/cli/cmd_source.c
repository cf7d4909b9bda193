/* cmd_source.c — `genoshare source`: reference sources (tabix-indexed VCFs read in place) (placeholder: filled by its issue's work). */
#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"

int cmd_source(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "source is not built yet");
}
