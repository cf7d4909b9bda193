/* tb_distance.c — all-pairs SNP distances and clusters for many synthetic TB isolates
 * (issue 4, item 9, speed), against the straightforward dense implementation in the same run.
 *   build/bench/tb_distance DATA_TB_DIR [N] [DENSE_N] [THREADS]   (bench/tb-distance)
 *
 * The isolates come from real variant profiles: por5A1's homozygous SNPs (TB-Profiler's test
 * isolate) and the SNPs of the 800 WHO isolates' graded-name genotypes (placed on the genome
 * through WHO's own coordinates VCF). 100 founders each keep a random 70% of por5A1's SNPs,
 * take one WHO isolate's SNPs and 300 lineage SNPs of their own; each isolate descends from
 * a founder (plus 0–40 private SNPs) or, half the time, from an earlier isolate of the same
 * founder (plus 0–4: transmission chains). Each isolate gets 0–3 missing intervals; the
 * tbdb mask is applied. Alternative bases always differ from H37Rv's.
 *
 * Asserted: the engine equals the dense reference on every pair of the first DENSE_N
 * isolates, equals the plain pairwise merge on 100,000 random pairs of all N, and the
 * clusters of the subset agree. Printed: times, pairs per second, the ratio per pair. */
#include <htslib/faidx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "tb/cluster.h"
#include "tb/distance.h"

#define FOUNDERS 100
#define NAMES_MAX 200000

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) /* xorshift64*: reproducible across runs */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}
static uint32_t below(uint32_t n)
{
    return (uint32_t)(rng() % n);
}

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what, const struct gs_err *e)
{
    fprintf(stderr, "tb_distance: %s%s%s\n", what, e ? ": " : "", e ? e->msg : "");
    exit(1);
}

struct snp_list {
    uint32_t *v; /* pos << 2 | base */
    size_t n, cap;
};
static void push(struct snp_list *l, uint32_t pos, char base)
{
    static const char bases[] = "ACGT";
    const char *b = strchr(bases, base);
    if (b == NULL || pos < 1 || pos > TB_GENOME_LENGTH)
        return;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        if ((l->v = realloc(l->v, l->cap * sizeof *l->v)) == NULL)
            die("out of memory", NULL);
    }
    l->v[l->n++] = pos << 2 | (uint32_t)(b - bases);
}

/* por5A1: records with GT 1/1 and single-base REF and ALT. */
static void read_por5(const char *path, struct snp_list *out)
{
    gzFile f = gzopen(path, "rb");
    static char line[1 << 16];
    if (f == NULL)
        die(path, NULL);
    while (gzgets(f, line, sizeof line)) {
        if (line[0] == '#')
            continue;
        char chrom[64], ref[64], alt[64], fmt[128], sample[512];
        unsigned long pos;
        if (sscanf(line, "%63s %lu %*s %63s %63s %*s %*s %*s %127s %511s", chrom, &pos, ref, alt,
                   fmt, sample) == 6 && strlen(ref) == 1 && strlen(alt) == 1 &&
            strncmp(sample, "1/1", 3) == 0)
            push(out, (uint32_t)pos, alt[0]);
    }
    gzclose(f);
}

/* WHO's coordinates VCF: graded name ("rpoB_p.Ser450Leu") → its first single-base edit. */
struct named { char *name; uint32_t key; };
static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct named *)a)->name, ((const struct named *)b)->name);
}
static struct named *read_who(const char *path, size_t *n)
{
    gzFile f = gzopen(path, "rb");
    static char line[1 << 16];
    struct named *t = malloc(NAMES_MAX * sizeof *t);
    *n = 0;
    if (f == NULL || t == NULL)
        die(path, NULL);
    while (gzgets(f, line, sizeof line)) {
        char ref[256], alt[256], info[8192];
        unsigned long pos;
        if (line[0] == '#' || sscanf(line, "%*s %lu %*s %255s %255s %*s %*s %8191s", &pos, ref,
                                     alt, info) != 4 || strlen(ref) != 1 || strlen(alt) != 1)
            continue;
        char *g = strstr(info, "graded_variant=");
        if (g == NULL)
            continue;
        g += strlen("graded_variant=");
        g[strcspn(g, ";")] = '\0';
        for (char *tok = strtok(g, "&"); tok && *n < NAMES_MAX; tok = strtok(NULL, "&")) {
            struct snp_list one = {0};
            push(&one, (uint32_t)pos, alt[0]);
            if (one.n == 1)
                t[(*n)++] = (struct named){strdup(tok), one.v[0]};
            free(one.v);
        }
    }
    gzclose(f);
    qsort(t, *n, sizeof *t, by_name);
    return t;
}

/* The WHO isolates' genotypes as SNP lists (those names WHO places as one base). */
static struct snp_list *read_genotypes(const char *path, const struct named *who, size_t nwho,
                                       size_t *nisolates)
{
    gzFile f = gzopen(path, "rb");
    static char line[4096];
    struct snp_list *iso = calloc(2000, sizeof *iso);
    char last[64] = "";
    long k = -1;
    if (f == NULL || iso == NULL)
        die(path, NULL);
    while (gzgets(f, line, sizeof line)) {
        char id[64], gene[64], var[256];
        if (line[0] == '#' || strncmp(line, "sample_id", 9) == 0 ||
            sscanf(line, "%63s %63s %255s", id, gene, var) != 3)
            continue;
        if (strcmp(id, last) != 0 && k < 1999)
            k++, snprintf(last, sizeof last, "%s", id);
        char key[400];
        snprintf(key, sizeof key, "%s_%s", gene, var);
        struct named probe = {key, 0};
        const struct named *hit = bsearch(&probe, who, nwho, sizeof *who, by_name);
        if (hit != NULL)
            push(&iso[k], hit->key >> 2, "ACGT"[hit->key & 3]);
    }
    gzclose(f);
    *nisolates = (size_t)(k + 1);
    return iso;
}

static char *genome;
static char alt_base(uint32_t pos)
{
    char ref = genome[pos - 1], b;
    do
        b = "ACGT"[below(4)];
    while (b == ref);
    return b;
}

static void add_random(struct snp_list *l, int k)
{
    for (int i = 0; i < k; i++) {
        uint32_t pos = 1 + below(TB_GENOME_LENGTH);
        push(l, pos, alt_base(pos));
    }
}

static void copy(struct snp_list *dst, const struct snp_list *src)
{
    for (size_t i = 0; i < src->n; i++)
        push(dst, src->v[i] >> 2, "ACGT"[src->v[i] & 3]);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: tb_distance DATA_TB_DIR [N] [DENSE_N] [THREADS]\n");
        return 2;
    }
    const char *dir = argv[1];
    size_t n = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
    size_t dense_n = argc > 3 ? strtoul(argv[3], NULL, 10) : 600;
    int threads = argc > 4 ? atoi(argv[4]) : 2;
    if (dense_n > n)
        dense_n = n;
    char path[1024];
    struct gs_err e = {0};

    snprintf(path, sizeof path, "%s/NC_000962.3.fasta.gz", dir);
    faidx_t *fai = fai_load(path);
    hts_pos_t glen = 0;
    if (fai == NULL || (genome = faidx_fetch_seq64(fai, "NC_000962.3", 0, TB_GENOME_LENGTH - 1,
                                                   &glen)) == NULL || glen != TB_GENOME_LENGTH)
        die("cannot read the H37Rv FASTA", NULL);
    fai_destroy(fai);
    struct tb_intervals mask = {0};
    snprintf(path, sizeof path, "%s/tbdb.mask.bed", dir);
    if (tb_bed_read(path, &mask, &e) != GS_OK)
        die("mask", &e);
    struct snp_list por5 = {0};
    snprintf(path, sizeof path, "%s/isolates/por5A1.tbprofiler-test.vcf.gz", dir);
    read_por5(path, &por5);
    size_t nwho, nreal;
    snprintf(path, sizeof path, "%s/who2023.genomic_coordinates.7May2024.vcf.gz", dir);
    struct named *who = read_who(path, &nwho);
    snprintf(path, sizeof path, "%s/isolates/tb-isolates.who2023-solo.dev.genotypes.tsv.gz", dir);
    struct snp_list *real = read_genotypes(path, who, nwho, &nreal);
    fprintf(stderr, "real profiles: por5A1 %zu SNPs; %zu WHO isolates with placed SNPs\n",
            por5.n, nreal);

    struct snp_list founders[FOUNDERS] = {{0}};
    for (int f = 0; f < FOUNDERS; f++) {
        for (size_t i = 0; i < por5.n; i++)
            if (below(10) < 7)
                push(&founders[f], por5.v[i] >> 2, "ACGT"[por5.v[i] & 3]);
        if (nreal > 0)
            copy(&founders[f], &real[below((uint32_t)nreal)]);
        add_random(&founders[f], 300);
    }
    struct snp_list *iso = calloc(n, sizeof *iso);
    int *founder_of = calloc(n, sizeof *founder_of);
    struct tb_profile *prof = calloc(n, sizeof *prof);
    if (iso == NULL || founder_of == NULL || prof == NULL)
        die("out of memory", NULL);
    for (size_t i = 0; i < n; i++) {
        int f = (int)below(FOUNDERS);
        founder_of[i] = f;
        size_t parent = i;
        for (int tries = 0; i > 0 && below(2) == 0 && tries < 20 && parent == i; tries++) {
            size_t c = below((uint32_t)i);
            if (founder_of[c] == f)
                parent = c;
        }
        if (parent != i) {
            copy(&iso[i], &iso[parent]);
            add_random(&iso[i], (int)below(5));
        } else {
            copy(&iso[i], &founders[f]);
            add_random(&iso[i], (int)below(41));
        }
        prof[i].id = (int64_t)i;
        for (size_t k = 0; k < iso[i].n; k++)
            if (tb_profile_add_snp(&prof[i], iso[i].v[k] >> 2, "ACGT"[iso[i].v[k] & 3], &e) != GS_OK)
                die("profile", &e);
        for (int m = (int)below(4); m > 0; m--) {
            uint32_t start = 1 + below(TB_GENOME_LENGTH - 3000);
            if (tb_profile_add_missing(&prof[i], start, start + below(2000), &e) != GS_OK)
                die("profile", &e);
        }
        if (tb_profile_finish(&prof[i], &mask, &e) != GS_OK)
            die("profile", &e);
    }
    double snps = 0;
    for (size_t i = 0; i < n; i++)
        snps += (double)prof[i].nsnps;
    fprintf(stderr, "%zu synthetic isolates, %.0f SNPs each on average after masking\n", n,
            snps / (double)n);

    /* the engine: all pairs, pairs within 12 kept, every distance in the histogram */
    enum { HIST = 4096 };
    static uint64_t hist[HIST];
    double t0 = seconds(), c0 = cpu_seconds();
    struct tb_distances *eng;
    if (tb_distances_build(prof, n, &eng, &e) != GS_OK)
        die("build", &e);
    double t1 = seconds();
    struct tb_pair_list close = {0};
    if (tb_distances_all(eng, 0, 12, threads, &close, hist, HIST, &e) != GS_OK)
        die("all pairs", &e);
    double t2 = seconds();
    uint32_t *cl5 = malloc(n * sizeof *cl5), *cl12 = malloc(n * sizeof *cl12);
    size_t n5, n12;
    if (tb_clusters_single_linkage(n, close.pairs, close.n, 5, cl5, &n5, &e) != GS_OK ||
        tb_clusters_single_linkage(n, close.pairs, close.n, 12, cl12, &n12, &e) != GS_OK)
        die("clusters", &e);
    double t3 = seconds(), c3 = cpu_seconds();
    double pairs = (double)n * (double)(n - 1) / 2;
    uint64_t counted = 0;
    for (int k = 0; k < HIST; k++)
        counted += hist[k];
    if ((double)counted != pairs)
        die("the histogram does not hold every pair", NULL);

    /* the plain merge on random pairs of all n */
    for (int k = 0; k < 100000 && n > 1; k++) {
        size_t i = below((uint32_t)n), j = below((uint32_t)n);
        if (i != j && tb_distances_get(eng, i, j) != tb_distance_pair(&prof[i], &prof[j])) {
            fprintf(stderr, "pair %zu %zu: engine %u, plain %u\n", i, j,
                    tb_distances_get(eng, i, j), tb_distance_pair(&prof[i], &prof[j]));
            die("engine and plain merge disagree", NULL);
        }
    }
    /* the dense reference on the first dense_n isolates */
    uint32_t *dense = malloc(dense_n * dense_n * sizeof *dense);
    double t4 = seconds(), c4 = cpu_seconds();
    if (dense == NULL || tb_distances_dense(prof, dense_n, dense, &e) != GS_OK)
        die("dense", &e);
    double t5 = seconds(), c5 = cpu_seconds();
    struct tb_pair_list dclose = {0};
    for (size_t i = 0; i < dense_n; i++)
        for (size_t j = 0; j < i; j++) {
            if (dense[i * dense_n + j] != tb_distances_get(eng, i, j)) {
                fprintf(stderr, "pair %zu %zu: engine %u, dense %u\n", i, j,
                        tb_distances_get(eng, i, j), dense[i * dense_n + j]);
                die("engine and dense disagree", NULL);
            }
            if (dense[i * dense_n + j] <= 12) {
                struct tb_pair p = {(uint32_t)i, (uint32_t)j, dense[i * dense_n + j]};
                if (dclose.n == dclose.cap) {
                    dclose.cap = dclose.cap ? dclose.cap * 2 : 1024;
                    dclose.pairs = realloc(dclose.pairs, dclose.cap * sizeof p);
                }
                dclose.pairs[dclose.n++] = p;
            }
        }
    /* clusters of the subset: from the dense pairs and from the engine's kept pairs */
    struct tb_pair_list sub = {0};
    for (size_t k = 0; k < close.n; k++)
        if (close.pairs[k].i < dense_n) {
            if (sub.n == sub.cap) {
                sub.cap = sub.cap ? sub.cap * 2 : 1024;
                sub.pairs = realloc(sub.pairs, sub.cap * sizeof *sub.pairs);
            }
            sub.pairs[sub.n++] = close.pairs[k];
        }
    uint32_t *ca = malloc(dense_n * sizeof *ca), *cb = malloc(dense_n * sizeof *cb);
    size_t na, nb;
    if (tb_clusters_single_linkage(dense_n, dclose.pairs, dclose.n, 12, ca, &na, &e) != GS_OK ||
        tb_clusters_single_linkage(dense_n, sub.pairs, sub.n, 12, cb, &nb, &e) != GS_OK ||
        na != nb || memcmp(ca, cb, dense_n * sizeof *ca) != 0)
        die("subset clusters differ between dense and engine", NULL);

    double dense_pairs = (double)dense_n * (double)(dense_n - 1) / 2;
    /* per-pair cost in CPU seconds, so the ratio does not depend on the machine's load */
    double engine_per_pair = (c3 - c0) / pairs, dense_per_pair = (c5 - c4) / dense_pairs;
    size_t in5 = 0, in12 = 0;
    for (size_t i = 0; i < n; i++)
        in5 += cl5[i] != 0, in12 += cl12[i] != 0;
    printf("isolates\t%zu\n", n);
    printf("pairs\t%.0f\n", pairs);
    printf("anchors\t%zu\n", tb_distances_anchors(eng));
    printf("threads\t%d\n", threads);
    printf("build_s\t%.2f\n", t1 - t0);
    printf("all_pairs_s\t%.2f\n", t2 - t1);
    printf("clusters_s\t%.3f\n", t3 - t2);
    printf("total_s\t%.2f\n", t3 - t0);
    printf("total_cpu_s\t%.2f (both threads)\n", c3 - c0);
    printf("pairs_per_s\t%.3g\n", pairs / (t2 - t1));
    printf("clusters_5\t%zu (%zu isolates)\n", n5, in5);
    printf("clusters_12\t%zu (%zu isolates)\n", n12, in12);
    printf("dense_isolates\t%zu\n", dense_n);
    printf("dense_s\t%.2f (1 thread; cpu %.2f)\n", t5 - t4, c5 - c4);
    printf("dense_pairs_per_s\t%.3g\n", dense_pairs / (t5 - t4));
    printf("ratio_per_pair\t%.1f (dense CPU per pair / engine CPU per pair, build included)\n",
           dense_per_pair / engine_per_pair);
    printf("dense_all_pairs_estimate_cpu_s\t%.0f\n", dense_per_pair * pairs);
    printf("agreement\tengine = dense on %.0f pairs; engine = plain merge on 100000 random "
           "pairs; subset clusters equal\n", dense_pairs);

    free(ca), free(cb), free(dense);
    tb_pair_list_free(&close), tb_pair_list_free(&dclose), tb_pair_list_free(&sub);
    tb_distances_free(eng);
    for (size_t i = 0; i < n; i++)
        tb_profile_free(&prof[i]), free(iso[i].v);
    for (int f = 0; f < FOUNDERS; f++)
        free(founders[f].v);
    for (size_t i = 0; i < nreal; i++)
        free(real[i].v);
    for (size_t i = 0; i < nwho; i++)
        free(who[i].name);
    free(who), free(real), free(prof), free(iso), free(founder_of), free(cl5), free(cl12);
    free(por5.v), free(genome);
    tb_intervals_free(&mask);
    return 0;
}
