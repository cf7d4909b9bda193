/* demo_tb.c — the tuberculosis database in `genoshare demo`: reference, catalogue, WHO's dev
 * isolates and a few genome isolates derived from por5A1 (see demo_tb.h for the decisions). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/demo_tb.h"
#include "registry/registry.h"
#include "tb/catalogue.h"
#include "tb/isolates.h"
#include "tb/reference.h"

#define DEMO_TB_GENOMES "tb-isolates-asia" /* snuh's restricted dataset (cmd_demo.c) */
#define DEMO_TB_WHO "tb-who-2023-dev"

/* The derived isolates: how many SNPs each adds to its parent (-1: por5A1 itself; parent is
 * an index into this table, -1 for por5A1). Cluster A: por5A1 and four close copies;
 * cluster B: a founder 25 SNPs away and three copies of it; two unrelated isolates. */
static const struct {
    const char *name, *country, *region;
    int year, parent, snps;
} demo_genomes[] = {
    {"TB-KR-0001", "KR", "Seoul", 2021, -1, -1},
    {"TB-KR-0002", "KR", "Seoul", 2021, 0, 1},
    {"TB-KR-0003", "KR", "Incheon", 2022, 0, 2},
    {"TB-JP-0004", "JP", "Osaka", 2022, 0, 3},
    {"TB-KR-0005", "KR", "Seoul", 2023, 1, 1},
    {"TB-VN-0006", "VN", "Hanoi", 2020, 0, 25},
    {"TB-VN-0007", "VN", "Hanoi", 2021, 5, 2},
    {"TB-VN-0008", "VN", "Hai Phong", 2022, 5, 4},
    {"TB-PH-0009", "PH", "Manila", 2022, 5, 6},
    {"TB-TH-0010", "TH", "Bangkok", 2019, 0, 40},
    {"TB-JP-0011", "JP", "Kyoto", 2024, 0, 60},
};
#define DEMO_GENOMES (sizeof demo_genomes / sizeof demo_genomes[0])

static bool demo_file(const char *data_dir, const char *name, char *path, size_t size)
{
    struct stat st;
    snprintf(path, size, "%s/tb/%s", data_dir, name);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* xorshift64: a fixed sequence, so the demo's clusters are the same on every run */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* A deep copy of parent's calls and missing sites into a new isolate. */
static int copy_calls(const struct isolate_input *parent, struct isolate_input *in,
                      struct gs_err *err)
{
    int rc = GS_OK;
    in->genome = true;
    for (size_t i = 0; rc == GS_OK && i < parent->nvar; i++)
        rc = isolate_add_variant(in, &parent->var[i].v, parent->var[i].af,
                                 parent->var[i].depth, err);
    for (size_t i = 0; rc == GS_OK && i < parent->missing.n; i++)
        rc = tb_intervals_add(&in->missing, parent->missing.start[i], parent->missing.end[i], err);
    tb_intervals_finish(&in->missing);
    return rc;
}

static bool has_position(const struct isolate_input *in, int64_t pos)
{
    for (size_t i = 0; i < in->nvar; i++)
        if (in->var[i].v.pos == pos)
            return true;
    return false;
}

/* Adds n SNPs at unmasked, covered positions the isolate has no call at, REF from ref. */
static int add_snps(const struct tb_ref *ref, const struct tb_intervals *mask,
                    struct isolate_input *in, int n, uint64_t *rng, struct gs_err *err)
{
    static const char bases[] = "ACGT";
    int rc = GS_OK;
    for (int added = 0; rc == GS_OK && added < n;) {
        int64_t pos = 1 + (int64_t)(next_random(rng) % (uint64_t)ref->length);
        char base = (char)toupper((unsigned char)ref->seq[pos - 1]);
        const char *at = strchr(bases, base);
        if (at == NULL || base == '\0' || tb_intervals_has(mask, (uint32_t)pos) ||
            tb_intervals_has(&in->missing, (uint32_t)pos) || has_position(in, pos))
            continue;
        struct store_tb_variant v = {.pos = pos, .ref = {base}};
        v.alt[0] = bases[(at - bases + 1 + (int)(next_random(rng) % 3)) % 4];
        rc = isolate_add_variant(in, &v, 1.0, 40, err);
        added++;
    }
    return rc;
}

/* por5A1 and the isolates derived from it, with metadata and a few lab results. */
static int genome_batch(const struct tb_ref *ref, const struct tb_intervals *mask,
                        const char *vcf, struct isolate_batch *b, struct gs_err *err)
{
    uint64_t rng = 0x9e3779b97f4a7c15u;
    int rc = GS_OK;
    for (size_t i = 0; rc == GS_OK && i < DEMO_GENOMES; i++) {
        struct isolate_input *in = NULL;
        if ((rc = isolate_batch_add(b, demo_genomes[i].name, &in, err)) != GS_OK)
            break;
        if (demo_genomes[i].parent < 0)
            rc = isolates_read_vcf(vcf, ISOLATE_MIN_DEPTH, in, err);
        else
            rc = copy_calls(&b->items[demo_genomes[i].parent], in, err);
        if (rc == GS_OK && demo_genomes[i].snps > 0)
            rc = add_snps(ref, mask, in, demo_genomes[i].snps, &rng, err);
        struct store_isolate *m = &in->meta;
        snprintf(m->country, sizeof m->country, "%s", demo_genomes[i].country);
        snprintf(m->region, sizeof m->region, "%s", demo_genomes[i].region);
        snprintf(m->source, sizeof m->source, "%s",
                 demo_genomes[i].parent < 0 ? "por5A1 (TB-Profiler test data)"
                                            : "derived for the demo from por5A1");
        snprintf(m->specimen, sizeof m->specimen, "sputum");
        m->year = demo_genomes[i].year;
        m->genome = true;
        in->genome = true;
        static const char *const dst[][2] = {
            {"rifampicin", "R"}, {"isoniazid", "R"}, {"moxifloxacin", "S"}};
        for (size_t k = 0; rc == GS_OK && k < sizeof dst / sizeof dst[0]; k++)
            rc = isolate_add_dst(in, dst[k][0], dst[k][1], "WHO", "MGIT 960", err);
    }
    return rc;
}

static int load_reference(struct store *s, const struct actor *by, const char *dir,
                          struct tb_ref **ref, struct gs_err *err)
{
    char fasta[1024], gff[1024], barcode[1024], mask[1024];
    if (!demo_file(dir, "NC_000962.3.fasta.gz", fasta, sizeof fasta) ||
        !demo_file(dir, "tbdb.genome.gff.gz", gff, sizeof gff) ||
        !demo_file(dir, "tbdb.barcode.bed", barcode, sizeof barcode) ||
        !demo_file(dir, "tbdb.mask.bed", mask, sizeof mask))
        return GS_ENOTFOUND;
    int rc = tb_ref_load_files(fasta, gff, barcode, mask, ref, err);
    return rc == GS_OK ? tb_ref_save(s, by, *ref, "demo: the public data's tb/ folder", time(NULL),
                                     err)
                       : rc;
}

int tb_demo_fill(struct store *s, const struct actor *by, const char *data_dir,
                 struct gs_err *err)
{
    char csv[1024], rules[1024], mask_bed[1024], vcf[1024], geno[1024], pheno[1024],
        samples[1024];
    if (data_dir == NULL ||
        !demo_file(data_dir, "who2023.tbdb-6aed5d9.mutations.csv.gz", csv, sizeof csv) ||
        !demo_file(data_dir, "tbdb.rules.yml", rules, sizeof rules) ||
        !demo_file(data_dir, "tbdb.mask.bed", mask_bed, sizeof mask_bed) ||
        !demo_file(data_dir, "isolates/por5A1.tbprofiler-test.vcf.gz", vcf, sizeof vcf) ||
        !demo_file(data_dir, "isolates/tb-isolates.who2023-solo.dev.genotypes.tsv.gz", geno,
                   sizeof geno) ||
        !demo_file(data_dir, "isolates/tb-isolates.who2023-solo.dev.phenotypes.tsv.gz", pheno,
                   sizeof pheno) ||
        !demo_file(data_dir, "isolates/tb-isolates.who2023-solo.dev.samples.tsv.gz", samples,
                   sizeof samples))
        return GS_OK;
    fprintf(stderr, "demo: loading the TB reference, catalogue and isolates\n");
    time_t now = time(NULL);
    struct tb_ref *ref = NULL;
    struct tb_catalogue *cat = NULL;
    struct tb_intervals mask = {0};
    struct isolate_batch who = {0}, genomes = {0};
    struct isolate_import_result masked = {0}, rwho = {0}, rgen = {0};
    struct principal op;
    principal_operator(&op);
    int rc = load_reference(s, by, data_dir, &ref, err);
    if (rc == GS_ENOTFOUND) {
        rc = GS_OK; /* no reference files: no TB demo */
        goto done;
    }
    if (rc == GS_OK && (rc = tb_catalogue_read_files(csv, rules, NULL, &cat, err)) == GS_OK)
        rc = tb_catalogue_save(s, by, cat, now, err);
    if (rc == GS_OK && (rc = tb_bed_read(mask_bed, &mask, err)) == GS_OK)
        rc = isolates_set_mask(s, by, &mask, now, &masked, err);
    if (rc == GS_OK)
        rc = registry_dataset_add(s, by, DEMO_TB_WHO,
                                  "WHO 2023 catalogue input, dev split (800 isolates with lab "
                                  "phenotypes)",
                                  TIER_RESTRICTED, DATA_MICROBIAL, "snuh", "tb-asia", NULL, err);
    if (rc == GS_OK && (rc = isolates_read_who(geno, pheno, &who, err)) == GS_OK &&
        (rc = isolates_read_who_samples(samples, &who, err)) == GS_OK)
        rc = isolates_import(s, &op, by, DEMO_TB_WHO, NULL, &who, now, &rwho, err);
    if (rc == GS_OK && (rc = genome_batch(ref, &mask, vcf, &genomes, err)) == GS_OK)
        rc = isolates_import(s, &op, by, DEMO_TB_GENOMES, NULL, &genomes, now, &rgen, err);
    if (rc == GS_OK)
        printf("demo data: TB: H37Rv reference, catalogue %s, %zu WHO isolates in %s, %zu "
               "genome isolates (%zu distance pairs) in %s (tb-asia: carol, alice)\n",
               cat->version, rwho.isolates, DEMO_TB_WHO, rgen.isolates,
               rgen.pairs_stored, DEMO_TB_GENOMES);
done:
    isolate_batch_free(&genomes);
    isolate_batch_free(&who);
    tb_intervals_free(&mask);
    tb_catalogue_free(cat);
    tb_ref_free(ref);
    return rc;
}
