/* diagnose_accuracy.c — accuracy of disease ranking on published cases (issue 3, item 4):
 * every case's observed and excluded terms are a query against all annotated diseases; the
 * measure is the rank of the case's disease_id, as top-1, top-10 and mean reciprocal rank,
 * for each method and parameter set tried (the last one is genoshare's default).
 *   build/bench/diagnose_accuracy CASES.tsv[.gz] ONTOLOGY ANNOTATIONS (bench/diagnose-accuracy)
 * Ties count against the method: the rank is 1 + the number of other diseases scoring at
 * least as much; a disease scoring 0 is not found (reciprocal rank 0). Cases whose disease
 * has no annotation cannot be found by any method: they are counted apart and left out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "match/diagnose.h"

#define LINE_BYTES (1 << 20)
#define TERMS_MAX 512

struct query {
    long disease; /* index in the diagnose index */
    struct sim_profile profile;
};

/* Splits s at sep into at most max fields; returns the count. */
static int fields_of(char *s, char sep, char **f, int max)
{
    int n = 0;
    if (*s == '\0')
        return 0;
    f[n++] = s;
    for (; *s && n < max; s++)
        if (*s == sep)
            *s = '\0', f[n++] = s + 1;
    return n;
}

static int read_queries(const char *path, const struct hpo *h, const struct diagnose_index *x,
                        struct query **out, size_t *n, size_t *unannotated)
{
    gzFile gz = gzopen(path, "rb");
    char *line = malloc(LINE_BYTES);
    size_t cap = 0;
    int c_disease = -1, c_obs = -1, c_exc = -1;
    *out = NULL;
    *n = *unannotated = 0;
    if (gz == NULL || line == NULL) {
        fprintf(stderr, "diagnose_accuracy: cannot read %s\n", path);
        return -1;
    }
    while (gzgets(gz, line, LINE_BYTES) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[64];
        int nf = fields_of(line, '\t', f, 64);
        if (c_disease < 0) {
            for (int i = 0; i < nf; i++) {
                c_disease = strcmp(f[i], "disease_id") == 0 ? i : c_disease;
                c_obs = strcmp(f[i], "observed_hpo") == 0 ? i : c_obs;
                c_exc = strcmp(f[i], "excluded_hpo") == 0 ? i : c_exc;
            }
            if (c_disease < 0 || c_obs < 0 || c_exc < 0) {
                fprintf(stderr, "%s: no disease_id/observed_hpo/excluded_hpo columns\n", path);
                return -1;
            }
            continue;
        }
        if (nf <= c_disease || nf <= c_obs || nf <= c_exc)
            continue;
        long d = diagnose_index_find(x, f[c_disease]);
        if (d < 0) {
            (*unannotated)++;
            continue;
        }
        char *obs[TERMS_MAX], *exc[TERMS_MAX];
        int no = fields_of(f[c_obs], ',', obs, TERMS_MAX);
        int ne = fields_of(f[c_exc], ',', exc, TERMS_MAX);
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            *out = realloc(*out, cap * sizeof **out);
        }
        struct query *q = &(*out)[*n];
        memset(q, 0, sizeof *q);
        q->disease = d;
        struct gs_err err = {0};
        if (sim_profile_build(h, (const char *const *)obs, no, (const char *const *)exc, ne,
                              NULL, 0, &q->profile, NULL, &err) != GS_OK) {
            fprintf(stderr, "diagnose_accuracy: %s\n", err.msg);
            return -1;
        }
        (*n)++;
    }
    gzclose(gz);
    free(line);
    return 0;
}

struct config {
    const char *name;
    struct diagnose_params p;
};

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: diagnose_accuracy CASES.tsv[.gz] ONTOLOGY ANNOTATIONS\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct gs_err err = {0};
    struct hpo *h = NULL;
    struct hpo_annotation_report arep;
    struct disease_load_report drep;
    struct disease_table table;
    struct diagnose_index *x = NULL;
    if (hpo_load_ontology(argv[2], &h, &err) != GS_OK ||
        hpo_load_annotations(h, argv[3], &arep, &err) != GS_OK ||
        diseases_read_hpoa(h, argv[3], &table, &drep, &err) != GS_OK ||
        diagnose_index_new(h, &table, &x, &err) != GS_OK) {
        fprintf(stderr, "diagnose_accuracy: %s\n", err.msg);
        return 1;
    }
    struct query *qs;
    size_t nq, unannotated;
    if (read_queries(argv[1], h, x, &qs, &nq, &unannotated) != 0)
        return 1;
    size_t nd = diagnose_index_count(x);
    printf("hpo %s, annotations %s: %zu diseases, %lld annotations\n", hpo_version(h),
           drep.version, nd, (long long)drep.terms);
    printf("queries %zu (cases whose disease has no annotation, left out: %zu)\n", nq,
           unannotated);
    const struct config configs[] = {
        {"phenomizer (plain)", {DIAGNOSE_PHENOMIZER, 0, 0, 0.5, 1}},
        {"phenomizer + frequency 0.15", {DIAGNOSE_PHENOMIZER, 0.15, 0, 0.5, 1}},
        {"phenomizer + frequency 0.5", {DIAGNOSE_PHENOMIZER, 0.5, 0, 0.5, 1}},
        {"phenomizer + frequency 0.15, unknown 1", {DIAGNOSE_PHENOMIZER, 0.15, 0, 1.0, 1}},
        {"phenomizer + freq 0.15 + excluded 0.5 f>=0.8", {DIAGNOSE_PHENOMIZER, 0.15, 0.5, 0.5, 0.8}},
        {"phenomizer + freq 0.15 + excluded 0.1 f=1", {DIAGNOSE_PHENOMIZER, 0.15, 0.1, 0.5, 1}},
        {"resnik_bma", {DIAGNOSE_RESNIK_BMA, 0, 0, 0.5, 1}},
        {"simgic", {DIAGNOSE_SIMGIC, 0, 0, 0.5, 1}},
        {"hybrid", {DIAGNOSE_HYBRID, 0, 0, 0.5, 1}},
        {"genoshare default", diagnose_params_default()},
    };
    size_t nconf = sizeof configs / sizeof configs[0];
    double *scores = malloc((nd ? nd : 1) * sizeof *scores);
    printf("%-46s %7s %7s %7s\n", "method", "top1", "top10", "mrr");
    for (size_t c = 0; c < nconf; c++) {
        struct timespec m0, m1;
        clock_gettime(CLOCK_MONOTONIC, &m0);
        size_t top1 = 0, top10 = 0;
        double mrr = 0;
        for (size_t i = 0; i < nq; i++) {
            if (diagnose_score_all(x, &qs[i].profile, &configs[c].p, scores, &err) != GS_OK) {
                fprintf(stderr, "diagnose_accuracy: %s\n", err.msg);
                return 1;
            }
            double mine = scores[qs[i].disease];
            if (mine <= 0)
                continue;
            size_t rank = 1;
            for (size_t d = 0; d < nd; d++)
                rank += d != (size_t)qs[i].disease && scores[d] >= mine;
            top1 += rank == 1;
            top10 += rank <= 10;
            mrr += 1.0 / (double)rank;
        }
        clock_gettime(CLOCK_MONOTONIC, &m1);
        double secs = (double)(m1.tv_sec - m0.tv_sec) + (double)(m1.tv_nsec - m0.tv_nsec) / 1e9;
        double n = nq ? (double)nq : 1;
        if (c + 1 < nconf)
            printf("%-46s %7.3f %7.3f %7.3f   (%.2f ms/query)\n", configs[c].name, top1 / n,
                   top10 / n, mrr / n, 1000 * secs / n);
        else
            printf("top1=%.3f top10=%.3f mrr=%.3f queries=%zu\n", top1 / n, top10 / n, mrr / n,
                   nq);
    }
    for (size_t i = 0; i < nq; i++)
        sim_profile_free(&qs[i].profile);
    free(qs);
    free(scores);
    diagnose_index_free(x);
    hpo_free(h);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    fprintf(stderr, "diagnose_accuracy: %.1f s\n",
            (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
