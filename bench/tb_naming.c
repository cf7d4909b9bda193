/* tb_naming.c — agreement of genoshare's variant naming with WHO's own map of graded
 * variant names to genome edits (Genomic_coordinates_7May2024.vcf.gz, INFO graded_variant).
 *
 * Every record is named with tb_name_edit against the H37Rv reference loaded from the
 * tbdb files. A graded name "gene_HGVS" agrees when one of our names for that gene (symbol
 * or locus tag) spells the HGVS exactly (as hgvs or as its c. spelling); a graded
 * "gene_LoF" agrees when one of our names for the gene has a loss-of-function effect
 * (frameshift, stop gained, start lost, feature ablation). A record agrees when every name
 * of its '&' list agrees. Names we give to other genes (neighbours, promoters of genes WHO
 * did not grade) are not counted against us: the oracle lists only graded names.
 *
 *   build/bench/tb_naming FASTA GFF WHO_VCF [MISMATCH_TSV]
 * prints the totals, the mismatches grouped by the shape of the graded name, and the
 * naming speed; MISMATCH_TSV (optional) receives every disagreeing record. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tb/naming.h"
#include "tb/reference.h"
#include "tb/vcf_names.h"

#define GROUPS_MAX 256

struct group {
    char shape[64];
    long count;
    char example[3][1000];
};

struct tally {
    long records, names, names_ok, records_ok, lof_names, lof_ok, skipped;
    struct group groups[GROUPS_MAX];
    int n_groups;
    FILE *mismatches;
};

/* "p.Ser450Leu" → "p.X#X", "c.-777C>T" → "c.-#N>N": what kind of name it is. */
static void name_shape(const char *name, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = name; *p != '\0' && n + 2 < cap; p++) {
        char c;
        if (*p >= '0' && *p <= '9') {
            while (p[1] >= '0' && p[1] <= '9')
                p++;
            c = '#';
        } else if (p > name + 1 && name[0] == 'p' && *p >= 'A' && *p <= 'Z' && p[1] >= 'a' &&
                   p[1] <= 'z' && p[2] >= 'a' && p[2] <= 'z') {
            p += 2;
            c = 'X';
        } else if (strchr("ACGT", *p) != NULL) {
            while (p[1] != '\0' && strchr("ACGT", p[1]) != NULL)
                p++;
            c = 'N';
        } else
            c = *p;
        out[n++] = c;
    }
    out[n] = '\0';
}

static void count_mismatch(struct tally *t, const char *graded, const char *ours,
                           const struct tb_vcf_edit *e)
{
    char shape[64];
    const char *us = strchr(graded, '_');
    name_shape(us ? us + 1 : graded, shape, sizeof shape);
    struct group *g = NULL;
    for (int i = 0; i < t->n_groups; i++)
        if (strcmp(t->groups[i].shape, shape) == 0)
            g = &t->groups[i];
    if (g == NULL && t->n_groups < GROUPS_MAX) {
        g = &t->groups[t->n_groups++];
        snprintf(g->shape, sizeof g->shape, "%s", shape);
    }
    if (g == NULL)
        return;
    if (g->count < 3)
        snprintf(g->example[g->count], sizeof g->example[0], "%lld %.20s>%.20s %.100s | ours: %.300s",
                 (long long)e->pos, e->ref, e->alt, graded, ours);
    g->count++;
}

static bool gene_is(const struct tb_gene *g, const char *name, size_t len)
{
    return (strlen(g->symbol) == len && memcmp(g->symbol, name, len) == 0) ||
           (strlen(g->locus_tag) == len && memcmp(g->locus_tag, name, len) == 0);
}

static int on_edit(void *ctx, const struct tb_vcf_edit *e, const struct tb_names *names)
{
    struct tally *t = ctx;
    t->records++;
    if (names == NULL) {
        t->skipped++;
        return 0;
    }
    char ours[1200] = "";
    size_t on = 0;
    for (size_t i = 0; i < names->n && on + 80 < sizeof ours; i++)
        on += (size_t)snprintf(ours + on, sizeof ours - on, "%s%s_%s(%s)", i ? "," : "",
                               names->items[i].gene->name, names->items[i].hgvs,
                               tb_effect_term(names->items[i].effect));
    const char *info = e->info_value ? e->info_value : "";
    bool all = true;
    char graded[512];
    for (const char *p = info; *p != '\0';) {
        size_t len = strcspn(p, "&");
        snprintf(graded, sizeof graded, "%.*s", (int)len, p);
        p += len;
        if (*p == '&')
            p++;
        t->names++;
        const char *us = strchr(graded, '_');
        bool ok = false;
        if (us != NULL) {
            size_t glen = (size_t)(us - graded);
            const char *hgvs = us + 1;
            bool lof = strcmp(hgvs, "LoF") == 0;
            t->lof_names += lof;
            for (size_t i = 0; i < names->n && !ok; i++) {
                const struct tb_name *nm = &names->items[i];
                if (!gene_is(nm->gene, graded, glen))
                    continue;
                ok = lof ? tb_effect_is_lof(nm->effect)
                         : strcmp(nm->hgvs, hgvs) == 0 || strcmp(nm->nuc, hgvs) == 0;
            }
            t->lof_ok += lof && ok;
        }
        t->names_ok += ok;
        if (!ok) {
            all = false;
            count_mismatch(t, graded, ours, e);
        }
    }
    t->records_ok += all;
    if (!all && t->mismatches != NULL)
        fprintf(t->mismatches, "%lld\t%s\t%s\t%s\t%s\n", (long long)e->pos, e->ref, e->alt,
                info, ours);
    return 0;
}

static int cmp_group(const void *a, const void *b)
{
    const struct group *x = a, *y = b;
    return (y->count > x->count) - (y->count < x->count);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: tb_naming FASTA GFF WHO_VCF [MISMATCH_TSV]\n");
        return 2;
    }
    struct gs_err err = {0};
    struct tb_ref *ref = NULL;
    if (tb_ref_load_files(argv[1], argv[2], NULL, NULL, &ref, &err) != GS_OK) {
        fprintf(stderr, "tb-naming: %s\n", err.msg);
        return 1;
    }
    struct tally *t = calloc(1, sizeof *t);
    if (t == NULL)
        return 1;
    if (argc > 4 && (t->mismatches = fopen(argv[4], "w")) == NULL) {
        fprintf(stderr, "tb-naming: cannot write %s\n", argv[4]);
        return 1;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = tb_vcf_name_each(ref, argv[3], "graded_variant", on_edit, t, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc != GS_OK) {
        fprintf(stderr, "tb-naming: %s\n", err.msg);
        return 1;
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("records\t%ld\n", t->records);
    printf("records agreeing (every graded name)\t%ld\t%.3f%%\n", t->records_ok,
           100.0 * (double)t->records_ok / (double)(t->records ? t->records : 1));
    printf("graded names agreeing\t%ld of %ld\t%.3f%%\n", t->names_ok, t->names,
           100.0 * (double)t->names_ok / (double)(t->names ? t->names : 1));
    printf("of which gene_LoF names agreeing\t%ld of %ld\n", t->lof_ok, t->lof_names);
    printf("records skipped (symbolic alleles)\t%ld\n", t->skipped);
    printf("read+name time\t%.2f s\t%.0f records/s\n", secs, (double)t->records / secs);
    qsort(t->groups, (size_t)t->n_groups, sizeof t->groups[0], cmp_group);
    printf("mismatched graded names by shape:\n");
    for (int i = 0; i < t->n_groups; i++) {
        printf("  %ld\t%s\n", t->groups[i].count, t->groups[i].shape);
        for (long k = 0; k < t->groups[i].count && k < 3; k++)
            printf("      e.g. %s\n", t->groups[i].example[k]);
    }
    if (t->mismatches != NULL)
        fclose(t->mismatches);
    free(t);
    tb_ref_free(ref);
    return 0;
}
