/* cmd_tb_reference.c — `tb reference load|show` (the H37Rv reference set in the store) and
 * `tb name` (a VCF's edits as WHO's catalogue names them). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"
#include "store/store_tb.h"
#include "tb/naming.h"
#include "tb/reference.h"
#include "tb/vcf_names.h"

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int reference_load(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("fasta", "FILE", "H37Rv sequence (NC_000962.3), plain/gzip/bgzip (required)"),
        OPT("gff", "FILE", "GFF3 annotation (tbdb genome.gff), plain or gzip (required)"),
        OPT("barcode", "FILE", "lineage SNP barcode BED (tbdb barcode.bed)"),
        OPT("mask", "FILE", "low-confidence mask BED (tbdb mask.bed)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "tb reference load --fasta FILE --gff FILE [--barcode BED] "
                               "[--mask BED]",
                               "Load the H37Rv reference, its genes, lineage barcode and mask, "
                               "replacing the stored set in one transaction.",
                               0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *fasta, *gff;
    if ((rc = cli_required(&o[1], &fasta, err)) != GS_OK ||
        (rc = cli_required(&o[2], &gff, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    double t0 = seconds_now();
    fprintf(stderr, "genoshare: tb reference: reading %s and %s\n", fasta, gff);
    struct tb_ref *ref = NULL;
    rc = tb_ref_load_files(fasta, gff, o[3].value, o[4].value, &ref, err);
    double t1 = seconds_now();
    if (rc == GS_OK) {
        char sources[STORE_TEXT_MAX * 2];
        snprintf(sources, sizeof sources, "fasta=%s gff=%s barcode=%s mask=%s", fasta, gff,
                 o[3].value ? o[3].value : "-", o[4].value ? o[4].value : "-");
        char actor_name[STORE_TEXT_MAX];
        struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
        rc = tb_ref_save(s, &by, ref, sources, time(NULL), err);
    }
    double t2 = seconds_now();
    if (rc == GS_OK) {
        size_t coding = 0, rrna = 0;
        for (size_t i = 0; i < ref->n_genes; i++) {
            coding += ref->genes[i].kind == TB_GENE_CODING;
            rrna += ref->genes[i].kind == TB_GENE_RRNA;
        }
        printf("reference\t%s\n", ref->name);
        printf("aliases\tAL123456.3,Chromosome\n");
        printf("length\t%lld\n", (long long)ref->length);
        printf("genes\t%zu\n", ref->n_genes);
        printf("coding_genes\t%zu\n", coding);
        printf("rrna_genes\t%zu\n", rrna);
        printf("barcode_markers\t%zu\n", ref->n_barcode);
        printf("mask_intervals\t%zu\n", ref->n_mask);
        printf("read_seconds\t%.3f\nstore_seconds\t%.3f\n", t1 - t0, t2 - t1);
    }
    tb_ref_free(ref);
    store_close(s);
    return rc;
}

static int reference_show(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "tb reference show",
                               "Describe the stored H37Rv reference set.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    struct store_tb_reference_info info;
    if ((rc = store_tb_reference_info(s, &info, err)) == GS_OK) {
        printf("reference\t%s\naliases\t%s\nlength\t%lld\n", info.name, info.aliases,
               (long long)info.length);
        printf("genes\t%lld\nbarcode_markers\t%lld\nmask_intervals\t%lld\n",
               (long long)info.n_genes, (long long)info.n_barcode, (long long)info.n_mask);
        printf("sources\t%s\nloaded_at\t%lld\n", info.sources, (long long)info.loaded_at);
    }
    store_close(s);
    return rc;
}

int tb_reference_cmd(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"load", reference_load, "load FASTA + GFF3 (+ barcode, mask BEDs), replacing the set"},
        {"show", reference_show, "describe the stored reference set"},
    };
    return cli_dispatch("tb reference", verbs, NOPTS(verbs), argc, argv, err);
}

/* ---- tb name ---- */

struct name_out {
    bool all;
    long edits, rows, skipped, intergenic;
};

static int print_names(void *ctx, const struct tb_vcf_edit *e, const struct tb_names *names)
{
    struct name_out *o = ctx;
    o->edits++;
    if (names == NULL) {
        o->skipped++;
        return 0;
    }
    size_t shown = 0;
    for (size_t i = 0; i < names->n; i++) {
        const struct tb_name *n = &names->items[i];
        if (n->alternative && !o->all)
            continue;
        printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)e->pos, e->ref, e->alt, n->gene->name,
               n->hgvs, tb_effect_term(n->effect));
        shown++;
    }
    if (shown == 0) {
        printf("%lld\t%s\t%s\t\t\tintergenic_variant\n", (long long)e->pos, e->ref, e->alt);
        o->intergenic++;
    }
    o->rows += (long)(shown ? shown : 1);
    return 0;
}

int tb_name_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("fasta", "FILE", "use this H37Rv FASTA instead of the stored reference (with --gff)"),
        OPT("gff", "FILE", "use this GFF3 instead of the stored reference (with --fasta)"),
        OPT("all", NULL, "also print the alternative spellings WHO's lists use"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "tb name [--fasta FILE --gff FILE] [--all] FILE.vcf[.gz]",
                               "Name every edit of a VCF on H37Rv as WHO's catalogue does: TSV "
                               "pos, ref, alt, gene, name, effect (one row per gene).",
                               1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "name: one VCF file is needed (tb name FILE.vcf[.gz])");
    if ((o[1].value == NULL) != (o[2].value == NULL))
        return gs_err_set(err, GS_EUSAGE, "name: --fasta and --gff go together");
    struct tb_ref *ref = NULL;
    if (o[1].value != NULL) {
        rc = tb_ref_load_files(o[1].value, o[2].value, NULL, NULL, &ref, err);
    } else {
        struct store *s = NULL;
        if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
            return rc;
        rc = store_tb_reference_load(s, &ref, err);
        store_close(s);
    }
    if (rc != GS_OK)
        return rc;
    struct name_out out = {.all = o[3].value != NULL};
    double t0 = seconds_now();
    printf("pos\tref\talt\tgene\tname\teffect\n");
    rc = tb_vcf_name_each(ref, a.positional[0], NULL, out.all, print_names, &out, err);
    double t1 = seconds_now();
    if (rc == GS_OK)
        fprintf(stderr,
                "genoshare: tb name: %ld edits named in %.3f s (%ld rows, %ld intergenic, "
                "%ld symbolic alleles skipped)\n",
                out.edits, t1 - t0, out.rows, out.intergenic, out.skipped);
    tb_ref_free(ref);
    return rc;
}
