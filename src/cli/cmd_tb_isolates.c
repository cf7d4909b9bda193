/* cmd_tb_isolates.c — `tb isolate`, `tb clusters`, `tb markers` (placeholder: filled by its issue's work). */
#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"

int tb_isolate_cmd(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "tb isolate is not built yet");
}

int tb_clusters_cmd(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "tb clusters is not built yet");
}

int tb_markers_cmd(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "tb markers is not built yet");
}

