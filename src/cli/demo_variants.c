/* demo_variants.c — the variant knowledge base in `genoshare demo`: gene table, the ClinVar
 * BRCA1-region release as accepted submissions of an open dataset, reference sources, and a
 * few pending submissions for the curator queue (see demo_variants.h for the decisions). */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/demo_variants.h"
#include "registry/registry.h"
#include "variants/curate.h"
#include "variants/genes.h"
#include "variants/sources.h"
#include "variants/submit.h"

#define DEMO_CLINVAR_DATASET "clinvar-brca1"
#define DEMO_PENDING_DATASET "public-variant-summary" /* kyoto-u's open dataset (cmd_demo.c) */

/* Written for the demo, not copied: kyoto-u's interpretations of three ClinVar BRCA1 variants
 * (the alleles are ClinVar's, so REF matches the reference); the second disagrees with
 * ClinVar's "Uncertain significance". */
static const char demo_pending_tsv[] =
    "#chrom\tpos\tref\talt\tgene\tclassification\tcondition_ids\tcondition_name\t"
    "disease_area\torigin\tmethod\tevidence\tdate\n"
    "17\t43045711\tG\tC\tBRCA1\tLikely pathogenic\tMONDO:0011450\t"
    "Breast-ovarian cancer, familial, susceptibility to, 1\tcancer\tgermline\t"
    "clinical testing\tPVS1_Strong, PM2 (demo)\t2026-10-01\n"
    "17\t43044315\tT\tA\tBRCA1\tLikely benign\tMONDO:0011450\t"
    "Breast-ovarian cancer, familial, susceptibility to, 1\tcancer\tgermline\t"
    "clinical testing\tBS1, BP4 (demo)\t2026-10-02\n"
    "17\t43045728\tG\tA\tBRCA1\tPathogenic\tMONDO:0003582\t"
    "Hereditary breast ovarian cancer syndrome\tcancer\tgermline\tclinical testing\t"
    "PVS1, PS4, PM2 (demo)\t2026-10-03\n";

static bool demo_file(const char *data_dir, const char *name, char *path, size_t size)
{
    struct stat st;
    snprintf(path, size, "%s/variants/%s", data_dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Submits one file or text as the operator for institution; *batch gets the stored batch. A
 * refused file is an error here (the demo's files are known to be valid). */
static int demo_submit(struct store *s, const struct actor *by, struct submit_options *o,
                       const char *path, const char *text, time_t now, int64_t *records,
                       int64_t *batch, struct gs_err *err)
{
    struct principal op;
    principal_operator(&op);
    struct submit_report rep;
    int rc = path ? variants_submit(s, &op, by, o, path, now, &rep, err)
                  : variants_submit_text(s, &op, by, o, text, strlen(text), now, &rep, err);
    if (rc == GS_EUNPROCESSABLE && rep.nitems > 0) {
        gs_err_clear(err);
        rc = gs_err_set(err, GS_EUNPROCESSABLE, "demo variants %s: line %lld: %s",
                        o->filename, (long long)rep.items[0].line, rep.items[0].message);
    }
    *records = rep.records;
    *batch = rep.batch_id;
    submit_report_free(&rep);
    return rc;
}

int variants_demo_fill(struct store *s, const struct actor *by, const char *data_dir,
                       struct gs_err *err)
{
    char genes[1024], clinvar[1024], thousand[1024], fasta[1024];
    if (data_dir == NULL ||
        !demo_file(data_dir, "genes_GRCh38_Ensembl109.tsv.gz", genes, sizeof genes) ||
        !demo_file(data_dir, "clinvar_20260226_GRCh38_BRCA1region.vcf.gz", clinvar,
                   sizeof clinvar))
        return GS_OK;
    time_t now = time(NULL);
    int64_t ngenes = 0, nclinvar = 0, npending = 0, batch = 0, accepted = 0;
    fprintf(stderr, "demo: loading the variant knowledge base (genes, ClinVar BRCA1 region)\n");
    int rc = variant_genes_load(s, by, genes, "GRCh38", now, &ngenes, err);
    if (rc == GS_OK)
        rc = registry_dataset_add(s, by, DEMO_CLINVAR_DATASET,
                                  "ClinVar release 2026-02-26, BRCA1 region (GRCh38)", TIER_OPEN,
                                  DATA_VARIANTS, "funder", NULL, NULL, err);
    struct submit_options o = {.dataset = DEMO_CLINVAR_DATASET, .assembly = "GRCh38",
                               .disease_area = "cancer",
                               .filename = "clinvar_20260226_GRCh38_BRCA1region.vcf.gz",
                               .format = SUBMIT_FORMAT_VCF};
    if (rc == GS_OK)
        rc = demo_submit(s, by, &o, clinvar, NULL, now, &nclinvar, &batch, err);
    struct principal op;
    principal_operator(&op);
    if (rc == GS_OK)
        rc = variants_curate_batch(s, &op, by, batch, VARIANT_ACCEPTED,
                                   "demo: the ClinVar release is accepted as published", now,
                                   &accepted, err);
    /* The hand-written ones are checked against the reference when it is there. */
    struct submit_options p = {.dataset = DEMO_PENDING_DATASET, .assembly = "GRCh38",
                               .institution = "kyoto-u", .filename = "kyoto-u-brca1-demo.tsv",
                               .format = SUBMIT_FORMAT_TSV};
    if (demo_file(data_dir, "GRCh38_chr17_BRCA1region_Npadded.fa.gz", fasta, sizeof fasta))
        p.reference = fasta;
    if (rc == GS_OK)
        rc = demo_submit(s, by, &p, NULL, demo_pending_tsv, now, &npending, &batch, err);
    int nsources = 0;
    if (rc == GS_OK && (rc = sources_add(s, by, "clinvar-2026-02-26", clinvar, NULL, "GRCh38",
                                         now, NULL, err)) == GS_OK)
        nsources++;
    if (rc == GS_OK &&
        demo_file(data_dir, "1000G_phase3_GRCh38lifted_BRCA1region.vcf.gz", thousand,
                  sizeof thousand) &&
        (rc = sources_add(s, by, "1000genomes-phase3", thousand, NULL, "GRCh38", now, NULL,
                          err)) == GS_OK)
        nsources++;
    if (rc == GS_OK)
        printf("demo data: variants: %lld genes, %lld ClinVar submissions accepted in %s, "
               "%lld pending in %s (curator: bob), %d reference sources\n",
               (long long)ngenes, (long long)accepted, DEMO_CLINVAR_DATASET,
               (long long)npending, DEMO_PENDING_DATASET, nsources);
    return rc;
}
