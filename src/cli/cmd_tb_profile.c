/* cmd_tb_profile.c — `tb catalogue`, `tb profile`, `tb predict`, `tb lineage` (placeholder: filled by its issue's work). */
#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"

int tb_catalogue_cmd(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "tb catalogue is not built yet");
}

int tb_profile_cmd(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "tb profile is not built yet");
}

int tb_predict_cmd(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "tb predict is not built yet");
}

int tb_lineage_cmd(int argc, char **argv, struct gs_err *err)
{
    (void)argc, (void)argv;
    return gs_err_set(err, GS_EINVAL, "tb lineage is not built yet");
}

