/* variants_regions.c — region queries over a submitted ClinVar file against bcftools and
 * tabix: for N random regions, the (CHROM, POS, REF, ALT) records genoshare's search returns
 * must equal those `bcftools view -r REGION FILE` prints (asserted: the program exits 1 on
 * the first difference), and the latency of each search (in process, through variant_search_
 * each: visibility and aggregation included) is compared with htslib's tabix iterator on the
 * same file (in process too). Prints p50/p99 of both and their ratio.
 *
 *   build/bench/variants_regions DB FILE.vcf.gz DATASET [N] [SEED]
 * The database must hold FILE submitted to DATASET (and accepted or not: the operator reads). */
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "access/access.h"
#include "variants/search.h"

#define MAX_CHROMS 64

struct rows {
    char **v;
    size_t n, cap;
};

static void rows_add(struct rows *r, const char *chrom, long long pos, const char *ref,
                     const char *alt)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 64;
        r->v = realloc(r->v, r->cap * sizeof *r->v);
        if (r->v == NULL)
            exit(2);
    }
    size_t len = strlen(chrom) + strlen(ref) + strlen(alt) + 32;
    char *s = malloc(len);
    if (s == NULL)
        exit(2);
    snprintf(s, len, "%s\t%lld\t%s\t%s", chrom, pos, ref, alt);
    r->v[r->n++] = s;
}

static void rows_clear(struct rows *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->v[i]);
    r->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int hit_add(void *ctx, const struct variant_hit *h)
{
    rows_add(ctx, h->v.chrom, (long long)h->v.pos, h->v.ref, h->v.alt);
    return GS_OK;
}

/* Adds the CHROM, POS, REF, ALT of a VCF text line. */
static void vcf_line_add(struct rows *r, char *line)
{
    char *f[5];
    int n = 0;
    for (char *p = line, *tab; n < 5; p = tab + 1) {
        f[n++] = p;
        if ((tab = strchr(p, '\t')) == NULL)
            break;
        *tab = '\0';
    }
    if (n == 5)
        rows_add(r, f[0], atoll(f[1]), f[3], f[4]);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s DB FILE.vcf.gz DATASET [N] [SEED]\n", argv[0]);
        return 2;
    }
    const char *db = argv[1], *file = argv[2], *dataset = argv[3];
    int n = argc > 4 ? atoi(argv[4]) : 1000;
    unsigned seed = argc > 5 ? (unsigned)atoi(argv[5]) : 42;
    if (n < 1 || n > 1000000)
        return 2;
    struct gs_err err = {0};
    struct store *s = NULL;
    if (store_open_existing(db, &s, &err) != GS_OK) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    htsFile *fp = hts_open(file, "r");
    tbx_t *tbx = fp ? tbx_index_load(file) : NULL;
    if (tbx == NULL) {
        fprintf(stderr, "cannot open %s with its tabix index\n", file);
        return 2;
    }
    /* the extent of each chromosome in the file */
    int nseq = 0;
    const char **names = tbx_seqnames(tbx, &nseq);
    long long lo[MAX_CHROMS], hi[MAX_CHROMS];
    kstring_t ks = {0, 0, NULL};
    for (int i = 0; i < nseq && i < MAX_CHROMS; i++) {
        lo[i] = 0, hi[i] = 0;
        hts_itr_t *it = tbx_itr_querys(tbx, names[i]);
        while (it && tbx_itr_next(fp, tbx, it, &ks) >= 0) {
            long long pos = atoll(strchr(ks.s, '\t') + 1);
            if (lo[i] == 0 || pos < lo[i])
                lo[i] = pos;
            if (pos > hi[i])
                hi[i] = pos;
        }
        tbx_itr_destroy(it);
    }
    if (nseq > MAX_CHROMS)
        nseq = MAX_CHROMS;
    srand(seed);
    struct principal op;
    principal_operator(&op);
    struct actor by = {"operator:bench", "bench"};
    double *ours = calloc((size_t)n, sizeof *ours), *tabix = calloc((size_t)n, sizeof *tabix);
    struct rows a = {0}, b = {0}, c = {0};
    long long records = 0;
    double bcftools_us = 0;
    for (int q = 0; q < n; q++) {
        int k = rand() % nseq;
        long long span = hi[k] - lo[k] + 1;
        long long start = lo[k] + (long long)(((double)rand() / RAND_MAX) * (double)span);
        long long end = start + rand() % 10000;
        char region[128];
        snprintf(region, sizeof region, "%s:%lld-%lld", names[k], start, end);
        /* genoshare */
        struct variant_query vq = {0};
        vq.region = region;
        vq.dataset = dataset;
        double t0 = now_us();
        int rc = variant_search_each(s, &op, &by, &vq, time(NULL), hit_add, &a, NULL, &err);
        ours[q] = now_us() - t0;
        if (rc != GS_OK) {
            fprintf(stderr, "search %s: %s\n", region, err.msg);
            return 1;
        }
        /* htslib tabix iterator */
        t0 = now_us();
        hts_itr_t *it = tbx_itr_querys(tbx, region);
        while (it && tbx_itr_next(fp, tbx, it, &ks) >= 0)
            vcf_line_add(&b, ks.s);
        tbx_itr_destroy(it);
        tabix[q] = now_us() - t0;
        /* bcftools view -r: the reference answer */
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "bcftools view -H -r '%s' '%s'", region, file);
        t0 = now_us();
        FILE *p = popen(cmd, "r");
        char line[65536];
        while (p && fgets(line, sizeof line, p)) {
            line[strcspn(line, "\n")] = '\0';
            vcf_line_add(&c, line);
        }
        if (p == NULL || pclose(p) != 0) {
            fprintf(stderr, "bcftools failed on %s\n", region);
            return 1;
        }
        bcftools_us += now_us() - t0;
        qsort(a.v, a.n, sizeof *a.v, cmp_str);
        qsort(c.v, c.n, sizeof *c.v, cmp_str);
        bool same = a.n == c.n && b.n == c.n;
        for (size_t i = 0; same && i < a.n; i++)
            same = strcmp(a.v[i], c.v[i]) == 0;
        if (!same) {
            fprintf(stderr, "region %s: genoshare %zu records, bcftools %zu, tabix %zu\n", region,
                    a.n, c.n, b.n);
            for (size_t i = 0; i < a.n || i < c.n; i++)
                if (i >= a.n || i >= c.n || strcmp(a.v[i], c.v[i]) != 0) {
                    fprintf(stderr, "  first difference: ours '%s' bcftools '%s'\n",
                            i < a.n ? a.v[i] : "-", i < c.n ? c.v[i] : "-");
                    break;
                }
            return 1;
        }
        records += (long long)a.n;
        rows_clear(&a), rows_clear(&b), rows_clear(&c);
    }
    qsort(ours, (size_t)n, sizeof *ours, cmp_double);
    qsort(tabix, (size_t)n, sizeof *tabix, cmp_double);
    int p50 = n / 2, p99 = (int)(n * 0.99);
    if (p99 >= n)
        p99 = n - 1;
    printf(
        "regions %d (random, 1-10,000 bp, seed %u), records %lld: identical to bcftools view -r\n",
        n, seed, records);
    printf("genoshare search  p50 %8.1f us  p99 %8.1f us\n", ours[p50], ours[p99]);
    printf("htslib tabix      p50 %8.1f us  p99 %8.1f us\n", tabix[p50], tabix[p99]);
    printf("ratio genoshare/tabix  p50 %.2f  p99 %.2f\n", ours[p50] / tabix[p50],
           ours[p99] / tabix[p99]);
    printf("(bcftools view -r as a process: mean %.0f us per region)\n", bcftools_us / n);
    free(ours);
    free(tabix);
    free(a.v), free(b.v), free(c.v);
    free(ks.s);
    tbx_destroy(tbx);
    hts_close(fp);
    store_close(s);
    return 0;
}
