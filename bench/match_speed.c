/* match_speed.c — similar-case search at scale (issue 3, item 8, speed): synthesises N cases
 * (default 1,000,000) by resampling the published case profiles with perturbations, stores
 * them in a fresh SQLite store (the bulk path: store_case_insert + a version row, 20,000
 * cases per transaction), loads the case index from the store as a server does, then runs
 * Q queries twice — the indexed search genoshare uses and the pairwise reference (score
 * every visible case) — asserting both return the same top results with the same scores.
 *   build/bench/match_speed CASES.tsv.gz ONTOLOGY ANNOTATIONS GENES_TO_DISEASE N Q DB
 * (bench/match-speed). Queries run as a user who sees about half of the cases (one open
 * dataset of three institutions in two countries, one controlled dataset she holds no
 * grant for, scopes mixed), one core, top 10, with the audit row each search writes. */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "match/case_index.h"
#include "match/search.h"
#include "registry/registry.h"
#include "store/store_match.h"
#include "tsv.h"

#define LINE_MAX_BYTES (1 << 20)
#define TERMS_MAX 512
#define TOP 10
#define BATCH 20000

struct source {
    int *obs, nobs, *exc, nexc;
    char **genes;
    int ngenes;
};

struct world {
    struct source *src;
    size_t nsrc;
    char **pool_genes; /* symbols from genes_to_disease */
    size_t npool;
    uint64_t rng;
};

static uint64_t next_rand(struct world *w)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return w->rng;
}
static double uniform(struct world *w) { return (double)(next_rand(w) >> 11) / 9007199254740992.0; }
static size_t pick(struct world *w, size_t n) { return (size_t)(next_rand(w) % n); }

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static long peak_rss_mb(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

/* Bytes malloc has handed out and not taken back (glibc), in MB: what the index holds is
 * the difference over its load (the resident set would not show it when the store's freed
 * memory is reused). */
static long heap_in_use_mb(void)
{
    struct mallinfo2 mi = mallinfo2();
    return (long)((mi.uordblks + mi.hblkhd) / (1024 * 1024));
}

static void die(const char *what, const struct gs_err *err)
{
    fprintf(stderr, "match_speed: %s: %s\n", what, err ? err->msg : "failed");
    exit(1);
}

/* ---- inputs ---- */

static int terms_of(const struct hpo *h, char *list, int **out)
{
    char *ids[TERMS_MAX];
    int n = tsv_split(list, ',', ids, TERMS_MAX), k = 0;
    *out = malloc(((size_t)(n > 0 ? n : 0) + 1) * sizeof **out);
    for (int i = 0; i < n; i++) {
        struct hpo_problems ignored = {0};
        int t = hpo_resolve_input(h, ids[i], NULL, &ignored);
        if (t >= 0)
            (*out)[k++] = t;
    }
    return k;
}

static void read_sources(const char *path, const struct hpo *h, struct world *w)
{
    gzFile gz = gzopen(path, "rb");
    char *line = malloc(LINE_MAX_BYTES);
    int cols[3] = {-1, -1, -1};
    size_t cap = 0;
    if (gz == NULL || line == NULL)
        die(path, NULL);
    while (gzgets(gz, line, LINE_MAX_BYTES) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[64];
        int nf = tsv_split(line, '\t', f, 64);
        if (cols[0] < 0) {
            cols[0] = tsv_column(f, nf, "genes");
            cols[1] = tsv_column(f, nf, "observed_hpo");
            cols[2] = tsv_column(f, nf, "excluded_hpo");
            if (cols[0] < 0 || cols[1] < 0 || cols[2] < 0)
                die("cases file: no genes/observed_hpo/excluded_hpo columns", NULL);
            continue;
        }
        if (nf <= cols[0] || nf <= cols[1] || nf <= cols[2])
            continue;
        if (w->nsrc == cap) {
            cap = cap ? cap * 2 : 1024;
            w->src = realloc(w->src, cap * sizeof *w->src);
        }
        struct source *s = &w->src[w->nsrc];
        memset(s, 0, sizeof *s);
        s->nobs = terms_of(h, f[cols[1]], &s->obs);
        s->nexc = terms_of(h, f[cols[2]], &s->exc);
        char *g[16];
        int ng = tsv_split(f[cols[0]], ',', g, 16);
        s->genes = calloc(17, sizeof *s->genes);
        for (int i = 0; i < ng; i++)
            if (g[i][0] != '\0')
                s->genes[s->ngenes++] = strdup(g[i]);
        if (s->nobs > 0)
            w->nsrc++;
        else {
            free(s->obs);
            free(s->exc);
            for (int i = 0; i < s->ngenes; i++)
                free(s->genes[i]);
            free(s->genes);
        }
    }
    gzclose(gz);
    free(line);
}

static void read_genes(const char *path, struct world *w)
{
    gzFile gz = gzopen(path, "rb");
    char line[4096];
    size_t cap = 0;
    if (gz == NULL)
        die(path, NULL);
    while (gzgets(gz, line, sizeof line) != NULL) {
        char *f[8];
        line[strcspn(line, "\r\n")] = '\0';
        if (tsv_split(line, '\t', f, 8) < 2 || strcmp(f[1], "gene_symbol") == 0)
            continue;
        if (w->npool == cap) {
            cap = cap ? cap * 2 : 1024;
            w->pool_genes = realloc(w->pool_genes, cap * sizeof *w->pool_genes);
        }
        w->pool_genes[w->npool++] = strdup(f[1]);
    }
    gzclose(gz);
}

/* ---- synthesis ---- */

static bool has_term(const struct store_case *c, uint32_t number)
{
    for (int i = 0; i < c->nfeatures; i++)
        if (c->features[i].hpo == number)
            return true;
    return false;
}

static void add_feature(struct store_case *c, const struct hpo *h, int t, bool excluded)
{
    struct store_case_feature f = {0};
    struct gs_err err = {0};
    f.hpo = hpo_term_number(h, t);
    f.excluded = excluded;
    if (!has_term(c, f.hpo) && store_case_push_feature(c, &f, &err) != GS_OK)
        die("feature", &err);
}

/* A resampled case: a published profile with terms dropped (15%), moved to a parent (10%)
 * or a child (10%), up to two terms of another case added, excluded terms kept at 80%, the
 * genes kept at 70% (else, at 30%, one gene from genes_to_disease). */
static void synthesise(struct world *w, const struct hpo *h, struct store_case *c)
{
    const struct source *s = &w->src[pick(w, w->nsrc)];
    struct gs_err err = {0};
    for (int i = 0; i < s->nobs; i++) {
        double r = uniform(w);
        int t = s->obs[i], n;
        if (r < 0.15)
            continue;
        if (r < 0.25) {
            const int *par = hpo_term_parents(h, t, &n);
            if (n > 0)
                t = par[pick(w, (size_t)n)];
        } else if (r < 0.35) {
            const int *ch = hpo_term_children(h, t, &n);
            if (n > 0)
                t = ch[pick(w, (size_t)n)];
        }
        add_feature(c, h, t, false);
    }
    if (c->nfeatures == 0)
        add_feature(c, h, s->obs[0], false);
    int extra = (int)pick(w, 3);
    for (int i = 0; i < extra; i++) {
        const struct source *o = &w->src[pick(w, w->nsrc)];
        add_feature(c, h, o->obs[pick(w, (size_t)o->nobs)], false);
    }
    for (int i = 0; i < s->nexc; i++)
        if (uniform(w) < 0.8)
            add_feature(c, h, s->exc[i], true);
    struct store_case_gene g = {0};
    if (s->ngenes > 0 && uniform(w) < 0.7) {
        for (int i = 0; i < s->ngenes; i++) {
            snprintf(g.gene_id, sizeof g.gene_id, "%s", s->genes[i]);
            snprintf(g.symbol, sizeof g.symbol, "%s", s->genes[i]);
            if (store_case_push_gene(c, &g, &err) != GS_OK)
                die("gene", &err);
        }
    } else if (w->npool > 0 && uniform(w) < 0.3) {
        const char *sym = w->pool_genes[pick(w, w->npool)];
        snprintf(g.gene_id, sizeof g.gene_id, "%s", sym);
        snprintf(g.symbol, sizeof g.symbol, "%s", sym);
        if (store_case_push_gene(c, &g, &err) != GS_OK)
            die("gene", &err);
    }
}

/* ---- the run ---- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)ceil(p * (double)n) - 1;
    return v[i < n ? i : n - 1];
}

int main(int argc, char **argv)
{
    if (argc != 8) {
        fprintf(stderr, "usage: match_speed CASES ONTOLOGY ANNOTATIONS GENES_TO_DISEASE N Q DB\n");
        return 2;
    }
    long n = strtol(argv[5], NULL, 10), nq = strtol(argv[6], NULL, 10);
    if (n < 100 || nq < 1) {
        fprintf(stderr, "match_speed: N must be at least 100 and Q at least 1\n");
        return 2;
    }
    struct gs_err err = {0};
    struct hpo *h;
    struct hpo_annotation_report ar;
    struct world w = {.rng = 0x9e3779b97f4a7c15ULL};
    if (hpo_load_ontology(argv[2], &h, &err) != GS_OK ||
        hpo_load_annotations(h, argv[3], &ar, &err) != GS_OK)
        die("HPO", &err);
    read_sources(argv[1], h, &w);
    read_genes(argv[4], &w);
    fprintf(stderr, "match_speed: %zu source profiles, %zu genes\n", w.nsrc, w.npool);

    struct store *s;
    struct actor by = {"bench", "bench"};
    struct store_institution inst[3];
    struct store_dataset ds[2];
    unlink(argv[7]);
    if (store_open(argv[7], &s, &err) != GS_OK ||
        registry_institution_add(s, &by, "kyoto-u", "Kyoto", "JP", NULL, &err) != GS_OK ||
        registry_institution_add(s, &by, "osaka-u", "Osaka", "JP", NULL, &err) != GS_OK ||
        registry_institution_add(s, &by, "seoul-u", "Seoul", "KR", NULL, &err) != GS_OK ||
        registry_user_add(s, &by, "amy", "amy", "kyoto-u", ROLE_MEMBER, NULL, NULL, &err) != GS_OK ||
        registry_dataset_add(s, &by, "ds-open", "Open", TIER_OPEN, DATA_PHENOTYPE, "kyoto-u",
                             NULL, NULL, &err) != GS_OK ||
        registry_dataset_add(s, &by, "ds-controlled", "Controlled", TIER_CONTROLLED,
                             DATA_PHENOTYPE, "osaka-u", NULL, NULL, &err) != GS_OK ||
        store_institution_by_name(s, "kyoto-u", &inst[0], &err) != GS_OK ||
        store_institution_by_name(s, "osaka-u", &inst[1], &err) != GS_OK ||
        store_institution_by_name(s, "seoul-u", &inst[2], &err) != GS_OK ||
        store_dataset_by_name(s, "ds-open", &ds[0], &err) != GS_OK ||
        store_dataset_by_name(s, "ds-controlled", &ds[1], &err) != GS_OK)
        die("store setup", &err);

    /* Store the cases. */
    double t0 = now_ms();
    for (long i = 0; i < n; i++) {
        if (i % BATCH == 0 && store_begin(s, &err) != GS_OK)
            die("begin", &err);
        struct store_case c = {0};
        c.dataset_id = ds[uniform(&w) < 0.8 ? 0 : 1].id;
        c.institution_id = inst[pick(&w, 3)].id;
        c.scope = (enum scope)pick(&w, 3);
        c.state = CASE_ACTIVE;
        c.created_at = c.updated_at = 1000;
        snprintf(c.label, sizeof c.label, "synthetic-%ld", i + 1);
        synthesise(&w, h, &c);
        int64_t id;
        struct store_case_version v = {.version = 1, .at = 1000, .content = "{}"};
        snprintf(v.actor, sizeof v.actor, "bench");
        snprintf(v.changes, sizeof v.changes, "created");
        if (store_case_insert(s, &c, &id, &err) != GS_OK)
            die("insert", &err);
        v.case_id = id;
        if (store_case_version_insert(s, &v, &err) != GS_OK)
            die("version", &err);
        store_case_clear(&c);
        if ((i + 1) % BATCH == 0 || i + 1 == n) {
            if (store_commit(s, &err) != GS_OK)
                die("commit", &err);
            if ((i + 1) % 200000 == 0)
                fprintf(stderr, "match_speed: stored %ld cases\n", i + 1);
        }
    }
    double t_store = now_ms() - t0;

    /* The index, loaded from the store as the server does. */
    struct case_index *ix;
    long rss_before = heap_in_use_mb();
    t0 = now_ms();
    if (case_index_new(h, &ix, &err) != GS_OK || case_index_sync(ix, s, &err) != GS_OK)
        die("index", &err);
    double t_index = now_ms() - t0;
    long rss_index = peak_rss_mb(), index_mb = heap_in_use_mb() - rss_before;
    fprintf(stderr, "match_speed: stored %ld cases in %.1f s, index loaded in %.1f s "
            "(%zu live, %ld MB of heap), peak RSS %ld MB\n", n, t_store / 1e3,
            t_index / 1e3, case_index_count(ix), index_mb, rss_index);

    struct principal amy;
    if (principal_for_name(s, "amy", &amy, &err) != GS_OK)
        die("principal", &err);
    double *fast = calloc((size_t)nq, sizeof *fast), *slow = calloc((size_t)nq, sizeof *slow);
    size_t mismatches = 0, scored = 0, candidates = 0, returned = 0;
    struct match_options indexed = {.no_sync = false}, pairwise = {.exhaustive = true};
    for (long k = 0; k < nq; k++) {
        const struct source *src = &w.src[pick(&w, w.nsrc)];
        const char *obs[TERMS_MAX], *exc[TERMS_MAX];
        struct match_query q = {.observed = obs, .excluded = exc,
                                .genes = (const char *const *)src->genes, .ngenes = src->ngenes};
        for (int i = 0; i < src->nobs && q.nobserved < MATCH_QUERY_TERMS_MAX / 2; i++)
            obs[q.nobserved++] = hpo_term_id(h, src->obs[i]);
        for (int i = 0; i < src->nexc && q.nexcluded < MATCH_QUERY_TERMS_MAX / 2; i++)
            exc[q.nexcluded++] = hpo_term_id(h, src->exc[i]);
        struct match_results a = {0}, b = {0};
        double t1 = now_ms();
        if (match_search_indexed(ix, s, h, &amy, &by, &q, TOP, &indexed, 1000, &a, &err) != GS_OK)
            die("indexed search", &err);
        double t2 = now_ms();
        if (match_search_indexed(ix, s, h, &amy, &by, &q, TOP, &pairwise, 1000, &b, &err) != GS_OK)
            die("pairwise search", &err);
        double t3 = now_ms();
        fast[k] = t2 - t1;
        slow[k] = t3 - t2;
        bool same = a.n == b.n;
        for (size_t i = 0; same && i < a.n; i++)
            same = a.items[i].case_id == b.items[i].case_id &&
                   fabs(a.items[i].score - b.items[i].score) <= 1e-12;
        if (!same) {
            mismatches++;
            fprintf(stderr, "match_speed: query %ld: indexed and pairwise top %d differ\n", k,
                    TOP);
        }
        scored += a.scored;
        candidates += a.candidates;
        returned += a.n;
        match_results_free(&a);
        match_results_free(&b);
    }
    double sum_fast = 0, sum_slow = 0;
    for (long k = 0; k < nq; k++) {
        sum_fast += fast[k];
        sum_slow += slow[k];
    }
    printf("cases=%ld queries=%ld visible_per_query=%.0f scored_per_query=%.0f "
           "results_per_query=%.1f\n",
           n, nq, (double)candidates / (double)nq, (double)scored / (double)nq,
           (double)returned / (double)nq);
    printf("store_s=%.1f index_load_s=%.1f index_heap_mb=%ld peak_rss_mb=%ld\n", t_store / 1e3,
           t_index / 1e3, index_mb, peak_rss_mb());
    printf("pairwise p50_ms=%.1f p99_ms=%.1f mean_ms=%.1f\n", percentile(slow, (size_t)nq, 0.5),
           percentile(slow, (size_t)nq, 0.99), sum_slow / (double)nq);
    printf("same_top%d=%s mismatches=%zu\n", TOP, mismatches ? "no" : "yes", mismatches);
    printf("indexed p50_ms=%.1f p99_ms=%.1f mean_ms=%.1f speedup_mean=%.1fx\n",
           percentile(fast, (size_t)nq, 0.5), percentile(fast, (size_t)nq, 0.99),
           sum_fast / (double)nq, sum_slow / sum_fast);
    free(fast);
    free(slow);
    case_index_free(ix);
    store_close(s);
    hpo_free(h);
    return mismatches ? 1 : 0;
}
