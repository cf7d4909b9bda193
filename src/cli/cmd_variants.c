/* cmd_variants.c — `genoshare variants`: submissions, curation, aggregation (placeholder: filled by its issue's work). */
#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"

int cmd_variants(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"search", variants_search_cmd, "search the knowledge base (gene, region, rsID, HGVS, condition)"},
        {"genes", variants_genes_cmd, "load gene locations for gene and region search"},
    };
    return cli_dispatch("variants", verbs, NOPTS(verbs), argc, argv, err);
}
