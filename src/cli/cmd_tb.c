/* cmd_tb.c — `genoshare tb`: the tuberculosis pathogen database; lists the verbs of cmd_tb_*.c (placeholder: filled by its issue's work). */
#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"

int cmd_tb(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"reference", tb_reference_cmd, "load the H37Rv reference, annotation, barcode and mask"},
        {"name", tb_name_cmd, "name a VCF's edits as the WHO catalogue does"},
        {"catalogue", tb_catalogue_cmd, "load or list WHO mutation catalogue versions"},
        {"profile", tb_profile_cmd, "drug-resistance profile and lineage of a sample VCF"},
        {"predict", tb_predict_cmd, "predict resistance from a genotypes table"},
        {"lineage", tb_lineage_cmd, "lineage of a sample VCF from the SNP barcode"},
        {"isolate", tb_isolate_cmd, "import and show isolates (metadata, DST, MICs, VCFs)"},
        {"clusters", tb_clusters_cmd, "SNP distances, transmission clusters, Newick tree"},
        {"markers", tb_markers_cmd, "search for new resistance markers (solo method)"},
    };
    return cli_dispatch("tb", verbs, NOPTS(verbs), argc, argv, err);
}
