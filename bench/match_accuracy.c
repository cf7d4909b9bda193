/* match_accuracy.c — accuracy of similar-case search on published cases (issue 3, item 8):
 * every case is a query against all others minus those from its own publication (same
 * PMID in the case id); the measure is the rank of the first candidate with the query's
 * disease_id, as top-1, top-10 and mean reciprocal rank, for each scoring method tried.
 *   build/bench/match_accuracy CASES.tsv[.gz] ONTOLOGY ANNOTATIONS     (bench/match-accuracy)
 * Ties are counted against the method: the rank is 1 + the number of other-disease
 * candidates scoring at least as much as the best same-disease one; a candidate scoring 0
 * is not returned (as in sim_rank). As for the published baselines, the figures count
 * the answerable queries: those whose disease occurs in another publication.
 * Case IC is leave-one-out: the query's own case is taken out of the term counts (and the
 * total) while it is the query, so no query sees weights computed from itself. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "match/similarity.h"
#include "tsv.h"

#define LINE_MAX_BYTES (1 << 20)
#define NTHREADS 2

struct bench_case {
    char *id;
    char *names; /* "<publication>\0<disease_id>" until the dense ids are made */
    int disease; /* dense ids: equal iff disease_id equal */
    int pmid;    /* dense ids: equal iff the case ids name the same PMID */
    struct sim_profile profile;
};

/* ---- reading the cases file ---- */

struct name_slot {
    const char *name;
    int *target;
};

static int cmp_slot(const void *a, const void *b)
{
    return strcmp(((const struct name_slot *)a)->name, ((const struct name_slot *)b)->name);
}

/* Gives equal names equal dense ids (names[i] → *targets[i]); returns how many distinct. */
static int dense_ids(struct name_slot *slots, size_t n)
{
    qsort(slots, n, sizeof *slots, cmp_slot);
    int next = -1;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(slots[i].name, slots[i - 1].name) != 0)
            next++;
        *slots[i].target = next;
    }
    return next + 1;
}

#define TERMS_MAX 4096
#define GENES_MAX 64

static int read_cases(const char *path, const struct hpo *h, struct bench_case **out,
                      size_t *nout, struct hpo_problems *problems, int64_t *nterms,
                      int *ndiseases, int *npmids)
{
    gzFile gz = gzopen(path, "rb");
    if (gz == NULL) {
        fprintf(stderr, "match_accuracy: cannot open %s\n", path);
        return -1;
    }
    char *line = malloc(LINE_MAX_BYTES);
    struct bench_case *cases = NULL;
    size_t n = 0, cap = 0;
    int lineno = 0, cols[6] = {0}, rc = -1;
    static const char *const names[6] = {"case_id", "pmid", "disease_id", "genes",
                                         "observed_hpo", "excluded_hpo"};
    while (line != NULL && gzgets(gz, line, LINE_MAX_BYTES) != NULL) {
        lineno++;
        size_t len = strlen(line);
        if (len + 1 == LINE_MAX_BYTES) {
            fprintf(stderr, "%s:%d: line too long\n", path, lineno);
            goto done;
        }
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[64];
        int nf = tsv_split(line, '\t', f, 64);
        if (nf < 0) {
            fprintf(stderr, "%s:%d: too many columns\n", path, lineno);
            goto done;
        }
        if (cap == 0) { /* the first line that is not a comment is the header */
            for (int i = 0; i < 6; i++)
                if ((cols[i] = tsv_column(f, nf, names[i])) < 0) {
                    fprintf(stderr, "%s:%d: no column %s\n", path, lineno, names[i]);
                    goto done;
                }
            cap = 1024;
            cases = calloc(cap, sizeof *cases);
            continue;
        }
        int need = 0;
        for (int i = 0; i < 6; i++)
            need = cols[i] + 1 > need ? cols[i] + 1 : need;
        if (nf < need) {
            fprintf(stderr, "%s:%d: %d fields, need %d\n", path, lineno, nf, need);
            goto done;
        }
        if (n == cap) {
            struct bench_case *more = realloc(cases, 2 * cap * sizeof *cases);
            if (more == NULL)
                goto done;
            memset(more + cap, 0, cap * sizeof *cases);
            cases = more;
            cap *= 2;
        }
        struct bench_case *c = &cases[n];
        c->id = strdup(f[cols[0]]);
        /* The publication is the PMID in the case id (PMID_<n>_...); the pmid column when
         * the id names none. */
        char pub[64];
        const char *id = f[cols[0]];
        if (strncmp(id, "PMID_", 5) == 0) {
            size_t k = strspn(id + 5, "0123456789");
            snprintf(pub, sizeof pub, "PMID:%.*s", (int)k, id + 5);
        } else {
            snprintf(pub, sizeof pub, "%s", f[cols[1]]);
        }
        /* Keep the publication and disease names until the ids are made dense. */
        size_t lp = strlen(pub), ld = strlen(f[cols[2]]);
        if (c->id == NULL || (c->names = malloc(lp + ld + 2)) == NULL)
            goto done;
        memcpy(c->names, pub, lp + 1);
        memcpy(c->names + lp + 1, f[cols[2]], ld + 1);
        n++; /* from here on the case is freed with the others */
        char *obs[TERMS_MAX], *exc[TERMS_MAX], *genes[GENES_MAX];
        int no = tsv_split(f[cols[4]], ',', obs, TERMS_MAX);
        int ne = tsv_split(f[cols[5]], ',', exc, TERMS_MAX);
        int ng = tsv_split(f[cols[3]], ',', genes, GENES_MAX);
        if (no < 0 || ne < 0 || ng < 0) {
            fprintf(stderr, "%s:%d: too many terms or genes\n", path, lineno);
            goto done;
        }
        *nterms += no + ne;
        struct gs_err err = {0};
        if (sim_profile_build(h, (const char *const *)obs, no, (const char *const *)exc, ne,
                              (const char *const *)genes, ng, &c->profile, problems,
                              &err) != GS_OK) {
            fprintf(stderr, "%s:%d: %s\n", path, lineno, err.msg);
            goto done;
        }
    }
    if (cap == 0) {
        fprintf(stderr, "%s: no header line\n", path);
        goto done;
    }
    struct name_slot *slots = malloc((n + 1) * sizeof *slots);
    if (slots == NULL)
        goto done;
    for (size_t i = 0; i < n; i++)
        slots[i] = (struct name_slot){cases[i].names, &cases[i].pmid};
    *npmids = dense_ids(slots, n);
    for (size_t i = 0; i < n; i++)
        slots[i] = (struct name_slot){cases[i].names + strlen(cases[i].names) + 1,
                                      &cases[i].disease};
    *ndiseases = dense_ids(slots, n);
    free(slots);
    rc = 0;
done:
    free(line);
    gzclose(gz);
    *out = cases;
    *nout = n;
    return rc;
}

static void cases_free(struct bench_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(cases[i].id);
        free(cases[i].names);
        sim_profile_free(&cases[i].profile);
    }
    free(cases);
}

/* ---- the methods tried ---- */

/* Where the IC comes from: the HPO annotations, the case collection (leave-one-out), or
 * a blend (the share of case IC). */
struct ic_source {
    const char *name;
    double blend;
};
static const struct ic_source ic_sources[] = {
    {"hpo", 0.0},
    {"cases", 1.0},
    {"blend", SIM_CASE_IC_BLEND},
};
#define NSOURCES (sizeof ic_sources / sizeof ic_sources[0])

/* A method: an IC source and a score computed from the sub-scores of one library call
 * (sim_scorer_score with genoshare's parameters computes every method's ingredients). */
struct method {
    const char *name;
    int source; /* index in ic_sources */
    double (*score)(const struct sim_subscores *s);
    bool rule; /* the minimum-informativeness rule applies, as in sim_rank */
};

static double simgic(const struct sim_subscores *s) { return s->simgic; }
static double resnik_bma(const struct sim_subscores *s) { return s->resnik_bma; }
static double cosine(const struct sim_subscores *s) { return s->cosine; }
static double tversky(const struct sim_subscores *s) { return s->tversky; }
static double simgic_conflict(const struct sim_subscores *s)
{
    return s->simgic * (1 - 0.5 * s->conflict);
}
static double resnik_directed(const struct sim_subscores *s)
{
    return SIM_RESNIK_QUERY_WEIGHT * s->resnik_query +
           (1 - SIM_RESNIK_QUERY_WEIGHT) * s->resnik_candidate;
}
static double hybrid_observed(const struct sim_subscores *s)
{
    return s->tversky + resnik_directed(s) / SIM_RESNIK_SCALE;
}
static double hybrid_excluded3(const struct sim_subscores *s)
{
    return hybrid_observed(s) + (s->shared_ic > 0 ? 0.3 * s->excluded_shared : 0);
}
/* What the library returns with genoshare's parameters. */
static double phenotype(const struct sim_subscores *s) { return s->phenotype; }
static double total(const struct sim_subscores *s) { return s->total; }

static const struct method methods[] = {
    {"simgic", 0, simgic, false},
    {"resnik_bma", 0, resnik_bma, false},
    {"cosine", 0, cosine, false},
    {"simgic", 1, simgic, false},
    {"simgic", 2, simgic, false},
    {"resnik_bma", 2, resnik_bma, false},
    {"simgic*conflict.5", 0, simgic_conflict, false},
    {"tversky.7", 0, tversky, false},
    {"tversky.7", 2, tversky, false},
    {"resnik_directed.7", 2, resnik_directed, false},
    {"hybrid_observed", 0, hybrid_observed, false},
    {"hybrid_observed", 2, hybrid_observed, false},
    {"hybrid_excluded.3", 2, hybrid_excluded3, false},
    {"hybrid", 0, phenotype, false},
    /* genoshare's method as sim_rank runs it, rule applied: the headline and last line */
    {"genoshare", 2, phenotype, true},
    {"genoshare+gene", 2, total, true},
    /* what match notifications score (inbox.h): annotation IC only, genes included */
    {"notify", 0, total, true},
};
#define NMETHODS (sizeof methods / sizeof methods[0])

static size_t headline(void)
{
    for (size_t m = 0; m < NMETHODS; m++)
        if (strcmp(methods[m].name, "genoshare") == 0)
            return m;
    return 0;
}

static double method_score(const struct method *m, const struct sim_subscores *sub,
                           bool informative)
{
    if (m->rule && !informative && sub->shared_genes == 0)
        return 0; /* not returned */
    return m->score(sub);
}

/* ---- the run ---- */

struct tally {
    int64_t top1, top10;
    double rr;
};

/* Notification thresholds tried (inbox.h's default among them): for each, the candidate
 * pairs at or above it, how many of those share the query's disease, and the answerable
 * queries with a same-disease candidate at or above it. */
static const double thresholds[] = {1.5, 2.0, 2.5, 3.0};
#define NTHRESHOLDS (sizeof thresholds / sizeof thresholds[0])
struct notify_tally {
    int64_t pairs, same, queries;
};

struct run {
    struct notify_tally notify[NTHRESHOLDS];
    const struct hpo *h;
    const struct bench_case *cases;
    size_t n;
    const int64_t *counts; /* closure counts over all cases */
    int tid;
    struct tally tally[NMETHODS];
    int64_t answerable, uninformative;
    int rc;
};

/* Rank of the first same-disease candidate among scores > 0 (0 = not found). */
static int64_t rank_of(const struct bench_case *cases, size_t n, size_t q, const double *score,
                       const bool *valid)
{
    double best = 0;
    for (size_t j = 0; j < n; j++)
        if (valid[j] && cases[j].disease == cases[q].disease && score[j] > best)
            best = score[j];
    if (best <= 0)
        return 0;
    int64_t rank = 1;
    for (size_t j = 0; j < n; j++)
        rank += valid[j] && cases[j].disease != cases[q].disease && score[j] >= best;
    return rank;
}

static size_t notify_method(void)
{
    for (size_t m = 0; m < NMETHODS; m++)
        if (strcmp(methods[m].name, "notify") == 0)
            return m;
    return 0;
}

static void tally_notify(struct run *r, size_t q, const double *score, const bool *valid)
{
    for (size_t k = 0; k < NTHRESHOLDS; k++) {
        bool hit = false;
        for (size_t j = 0; j < r->n; j++) {
            if (!valid[j] || score[j] < thresholds[k])
                continue;
            bool same = r->cases[j].disease == r->cases[q].disease;
            r->notify[k].pairs++;
            r->notify[k].same += same;
            hit |= same;
        }
        r->notify[k].queries += hit;
    }
}

static void *run_thread(void *arg)
{
    struct run *r = arg;
    const struct hpo *h = r->h;
    size_t n = r->n;
    int nt = hpo_term_count(h);
    int64_t total = (int64_t)n - 1; /* the collection without the query */
    double *base = malloc((size_t)nt * sizeof *base);
    struct sim_weights w = {.nterms = nt, .ic = malloc((size_t)nt * sizeof(double))};
    double *scores = malloc(NMETHODS * n * sizeof *scores);
    bool *valid = malloc(n * sizeof *valid);
    struct sim_scorer *s = NULL;
    struct gs_err err = {0};
    r->rc = -1;
    if (!base || !w.ic || !scores || !valid || sim_scorer_new(h, &w, &s, &err) != GS_OK)
        goto done;
    struct sim_params p = sim_params_default();
    for (size_t src = 0; src < NSOURCES; src++) {
        double b = ic_sources[src].blend;
        for (int t = 0; t < nt; t++)
            base[t] = w.ic[t] = b * sim_ic_from_count(r->counts[t], total) +
                                (1 - b) * hpo_term_ic(h, t);
        for (size_t q = (size_t)r->tid; q < n; q += NTHREADS) {
            const struct sim_profile *qp = &r->cases[q].profile;
            for (int i = 0; i < qp->nclosure; i++) {
                int t = qp->closure[i];
                w.ic[t] = b * sim_ic_from_count(r->counts[t] - 1, total) +
                          (1 - b) * hpo_term_ic(h, t);
            }
            bool informative = sim_scorer_set_query(s, qp) >= SIM_MIN_QUERY_IC;
            bool answerable = false;
            for (size_t j = 0; j < n; j++) {
                valid[j] = j != q && r->cases[j].pmid != r->cases[q].pmid;
                if (!valid[j])
                    continue;
                answerable |= r->cases[j].disease == r->cases[q].disease;
                struct sim_subscores sub;
                sim_scorer_score(s, &r->cases[j].profile, &p, &sub);
                for (size_t m = 0; m < NMETHODS; m++)
                    if (methods[m].source == (int)src)
                        scores[m * n + j] = method_score(&methods[m], &sub, informative);
            }
            if (src == (size_t)methods[notify_method()].source && answerable)
                tally_notify(r, q, scores + notify_method() * n, valid);
            for (size_t m = 0; m < NMETHODS; m++) {
                if (methods[m].source != (int)src)
                    continue;
                int64_t rank = rank_of(r->cases, n, q, scores + m * n, valid);
                r->tally[m].top1 += rank == 1;
                r->tally[m].top10 += rank >= 1 && rank <= 10;
                r->tally[m].rr += rank > 0 ? 1.0 / (double)rank : 0;
            }
            if (src == (size_t)methods[headline()].source) {
                r->answerable += answerable;
                r->uninformative += !informative;
            }
            for (int i = 0; i < qp->nclosure; i++)
                w.ic[qp->closure[i]] = base[qp->closure[i]];
        }
    }
    r->rc = 0;
done:
    if (r->rc != 0)
        fprintf(stderr, "match_accuracy: thread %d: %s\n", r->tid,
                err.msg[0] ? err.msg : "out of memory");
    sim_scorer_free(s);
    free(base);
    free(w.ic);
    free(scores);
    free(valid);
    return NULL;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: match_accuracy CASES.tsv[.gz] ONTOLOGY ANNOTATIONS\n");
        return 2;
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct gs_err err = {0};
    struct hpo *h = NULL;
    struct hpo_annotation_report ann = {0};
    if (hpo_load_ontology(argv[2], &h, &err) != GS_OK ||
        hpo_load_annotations(h, argv[3], &ann, &err) != GS_OK) {
        fprintf(stderr, "match_accuracy: %s\n", err.msg);
        hpo_free(h);
        return 1;
    }
    struct bench_case *cases = NULL;
    size_t n = 0;
    struct hpo_problems pr = {0};
    int64_t nterms = 0;
    int ndiseases = 0, npmids = 0;
    int read = read_cases(argv[1], h, &cases, &n, &pr, &nterms, &ndiseases, &npmids);
    if (read != 0 || n < 2) {
        if (read == 0)
            fprintf(stderr, "match_accuracy: %s: fewer than 2 cases\n", argv[1]);
        cases_free(cases, n);
        hpo_free(h);
        return 1;
    }
    printf("hpo %s, annotations %s (%lld diseases)\n", hpo_version(h),
           ann.version, (long long)ann.diseases);
    printf("cases %zu, diseases %d, publications %d, loaded in %.2f s\n", n, ndiseases, npmids,
           seconds_since(&t0));
    printf("term ids %lld: alt_id %lld, obsolete replaced %lld, obsolete unresolved %lld, "
           "unknown %lld, malformed %lld (the last three skipped)\n",
           (long long)nterms, (long long)pr.alt_resolved, (long long)pr.obsolete_replaced,
           (long long)pr.obsolete_unresolved, (long long)pr.unknown, (long long)pr.malformed);
    for (int i = 0; i < pr.nexamples; i++)
        printf("  e.g. %s\n", pr.examples[i]);

    const struct sim_profile **profiles = malloc(n * sizeof *profiles);
    int64_t *counts = malloc((size_t)hpo_term_count(h) * sizeof *counts);
    struct run runs[NTHREADS];
    pthread_t th[NTHREADS];
    int rc = 1;
    if (profiles == NULL || counts == NULL)
        goto done;
    for (size_t i = 0; i < n; i++)
        profiles[i] = &cases[i].profile;
    sim_case_counts(h, profiles, n, counts);

    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    for (int t = 0; t < NTHREADS; t++) {
        runs[t] = (struct run){.h = h, .cases = cases, .n = n, .counts = counts, .tid = t};
        if (pthread_create(&th[t], NULL, run_thread, &runs[t]) != 0) {
            runs[t].rc = -1;
            run_thread(&runs[t]);
        }
    }
    for (int t = 0; t < NTHREADS; t++)
        pthread_join(th[t], NULL);
    double elapsed = seconds_since(&t1);
    struct tally sum[NMETHODS] = {0};
    int64_t answerable = 0, uninformative = 0;
    for (int t = 0; t < NTHREADS; t++) {
        if (runs[t].rc != 0)
            goto done;
        for (size_t m = 0; m < NMETHODS; m++) {
            sum[m].top1 += runs[t].tally[m].top1;
            sum[m].top10 += runs[t].tally[m].top10;
            sum[m].rr += runs[t].tally[m].rr;
        }
        answerable += runs[t].answerable;
        uninformative += runs[t].uninformative;
    }
    printf("queries %zu; with the same disease in another publication %lld; below the "
           "minimum informativeness (%.1f nats) %lld\n",
           n, (long long)answerable, SIM_MIN_QUERY_IC, (long long)uninformative);
    /* The known baselines count the answerable queries only: so does every figure here. */
    double qn = answerable > 0 ? (double)answerable : 1;
    printf("notification threshold (\"notify\": annotation IC, phenotype + gene, as inbox.h), "
           "over the answerable queries:\n");
    printf("  %-9s %14s %16s %22s\n", "threshold", "pairs/query", "same disease", "queries with a hit");
    for (size_t k = 0; k < NTHRESHOLDS; k++) {
        struct notify_tally t = {0};
        for (int i = 0; i < NTHREADS; i++) {
            t.pairs += runs[i].notify[k].pairs;
            t.same += runs[i].notify[k].same;
            t.queries += runs[i].notify[k].queries;
        }
        printf("  %-9.1f %14.2f %15.1f%% %21.1f%%\n", thresholds[k], (double)t.pairs / qn,
               t.pairs ? 100.0 * (double)t.same / (double)t.pairs : 0.0,
               100.0 * (double)t.queries / qn);
    }
    printf("%-18s %-6s %8s %8s %8s\n", "method", "ic", "top1", "top10", "mrr");
    for (size_t m = 0; m < NMETHODS; m++)
        printf("%-18s %-6s %8.4f %8.4f %8.4f\n", methods[m].name,
               ic_sources[methods[m].source].name, (double)sum[m].top1 / qn,
               (double)sum[m].top10 / qn, sum[m].rr / qn);
    printf("scored %zu queries x %zu candidates in %.1f s on %d threads\n", n, n - 1, elapsed,
           NTHREADS);
    size_t hl = headline();
    printf("top1=%.4f top10=%.4f mrr=%.4f queries=%lld\n", (double)sum[hl].top1 / qn,
           (double)sum[hl].top10 / qn, sum[hl].rr / qn, (long long)answerable);
    rc = 0;
done:
    free(profiles);
    free(counts);
    cases_free(cases, n);
    hpo_free(h);
    return rc;
}
