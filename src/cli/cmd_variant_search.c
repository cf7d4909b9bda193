/* cmd_variant_search.c — `genoshare variants search` and `variants genes` (placeholder: filled by its issue's work). */
#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"

int variants_search_cmd(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "variants search is not built yet");
}

int variants_genes_cmd(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "variants genes is not built yet");
}
