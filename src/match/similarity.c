/* similarity.c — case profiles, IC weights, pair scoring, explanations and ranking (the
 * contracts and the chosen method are in similarity.h). Scoring is built around dense
 * per-query tables so that a candidate costs one walk over its own short lists. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/similarity.h"

/* ---- profiles ---- */

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts and removes duplicates in place; returns the new length. */
static int sort_unique(int *v, int n)
{
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_int);
    int k = 1;
    for (int i = 1; i < n; i++)
        if (v[i] != v[k - 1])
            v[k++] = v[i];
    return k;
}

static bool sorted_contains(const int *v, int n, int x)
{
    return bsearch(&x, v, (size_t)n, sizeof *v, cmp_int) != NULL;
}

/* Counts one id as the HPO readers do (hpo_resolve_input) and returns the term or -1;
 * problems may be NULL. */
static int resolve_id(const struct hpo *h, const char *id, struct hpo_problems *p)
{
    struct hpo_problems ignored = {0};
    return hpo_resolve_input(h, id, NULL, p != NULL ? p : &ignored);
}

/* Resolves ids into a sorted distinct term list (*out NULL when n is 0). */
static int resolve_list(const struct hpo *h, const char *const *ids, int n, int **out, int *nout,
                        struct hpo_problems *problems)
{
    *out = NULL;
    *nout = 0;
    if (n <= 0)
        return GS_OK;
    int *v = malloc((size_t)n * sizeof *v);
    if (v == NULL)
        return GS_ENOMEM;
    int k = 0;
    for (int i = 0; i < n; i++) {
        int t = resolve_id(h, ids[i], problems);
        if (t >= 0)
            v[k++] = t;
    }
    *out = v;
    *nout = sort_unique(v, k);
    return GS_OK;
}

/* Fills out's closure from its observed terms and copies the genes (sorted, distinct). */
static int profile_finish(const struct hpo *h, const char *const *genes, int ngenes,
                          struct sim_profile *out)
{
    /* A term observed and excluded (after resolution) stays observed only. */
    int k = 0;
    for (int i = 0; i < out->nexcluded; i++)
        if (!sorted_contains(out->observed, out->nobserved, out->excluded[i]))
            out->excluded[k++] = out->excluded[i];
    out->nexcluded = k;

    size_t total = 0;
    for (int i = 0; i < out->nobserved; i++) {
        int na;
        hpo_term_ancestors(h, out->observed[i], &na);
        total += (size_t)na;
    }
    if (total > 0) {
        if ((out->closure = malloc(total * sizeof *out->closure)) == NULL)
            return GS_ENOMEM;
        size_t at = 0;
        for (int i = 0; i < out->nobserved; i++) {
            int na;
            const int *anc = hpo_term_ancestors(h, out->observed[i], &na);
            memcpy(out->closure + at, anc, (size_t)na * sizeof *anc);
            at += (size_t)na;
        }
        out->nclosure = sort_unique(out->closure, (int)total);
    }

    if (ngenes > 0 && (out->genes = calloc((size_t)ngenes, sizeof *out->genes)) == NULL)
        return GS_ENOMEM;
    for (int i = 0; i < ngenes; i++) {
        if (genes[i] == NULL || genes[i][0] == '\0')
            continue;
        if ((out->genes[out->ngenes] = strdup(genes[i])) == NULL)
            return GS_ENOMEM;
        out->ngenes++;
    }
    if (out->ngenes > 1) {
        qsort(out->genes, (size_t)out->ngenes, sizeof *out->genes, cmp_str);
        int g = 1;
        for (int i = 1; i < out->ngenes; i++) {
            if (strcmp(out->genes[i], out->genes[g - 1]) == 0)
                free(out->genes[i]);
            else
                out->genes[g++] = out->genes[i];
        }
        out->ngenes = g;
    }
    return GS_OK;
}

int sim_profile_build(const struct hpo *h, const char *const *observed, int nobserved,
                      const char *const *excluded, int nexcluded, const char *const *genes,
                      int ngenes, struct sim_profile *out, struct hpo_problems *problems,
                      struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    if (resolve_list(h, observed, nobserved, &out->observed, &out->nobserved, problems) != 0 ||
        resolve_list(h, excluded, nexcluded, &out->excluded, &out->nexcluded, problems) != 0 ||
        profile_finish(h, genes, ngenes, out) != GS_OK)
        return gs_err_set(err, GS_ENOMEM, "case profile: out of memory");
    return GS_OK;
}

/* Term indices kept: current terms as they are, obsolete ones as their replacement, the
 * rest (out of range, obsolete without replacement) skipped, as resolve_id does. */
static int copy_terms(const struct hpo *h, const int *terms, int n, int **out, int *nout)
{
    *out = NULL;
    *nout = 0;
    if (n <= 0)
        return GS_OK;
    int *v = malloc((size_t)n * sizeof *v), k = 0;
    if (v == NULL)
        return GS_ENOMEM;
    for (int i = 0; i < n; i++) {
        int t = terms[i];
        if (t >= 0 && t < hpo_term_count(h) && hpo_term_obsolete(h, t))
            t = hpo_term_replaced_by(h, t);
        if (t >= 0 && t < hpo_term_count(h))
            v[k++] = t;
    }
    *out = v;
    *nout = sort_unique(v, k);
    return GS_OK;
}

int sim_profile_from_terms(const struct hpo *h, const int *observed, int nobserved,
                           const int *excluded, int nexcluded, const char *const *genes,
                           int ngenes, struct sim_profile *out, struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    if (copy_terms(h, observed, nobserved, &out->observed, &out->nobserved) != GS_OK ||
        copy_terms(h, excluded, nexcluded, &out->excluded, &out->nexcluded) != GS_OK ||
        profile_finish(h, genes, ngenes, out) != GS_OK)
        return gs_err_set(err, GS_ENOMEM, "case profile: out of memory");
    return GS_OK;
}

void sim_profile_free(struct sim_profile *p)
{
    if (p == NULL)
        return;
    free(p->observed);
    free(p->excluded);
    free(p->closure);
    for (int i = 0; i < p->ngenes; i++)
        free(p->genes[i]);
    free(p->genes);
    memset(p, 0, sizeof *p);
}

/* ---- information content ---- */

static int weights_alloc(const struct hpo *h, struct sim_weights *out, struct gs_err *err)
{
    out->nterms = hpo_term_count(h);
    out->ic = calloc((size_t)out->nterms + 1, sizeof *out->ic);
    if (out->ic == NULL)
        return gs_err_set(err, GS_ENOMEM, "IC weights: out of memory");
    return GS_OK;
}

int sim_weights_from_hpo(const struct hpo *h, struct sim_weights *out, struct gs_err *err)
{
    int rc = weights_alloc(h, out, err);
    for (int t = 0; rc == GS_OK && t < out->nterms; t++)
        out->ic[t] = hpo_term_ic(h, t);
    return rc;
}

void sim_case_counts(const struct hpo *h, const struct sim_profile *const *profiles, size_t n,
                     int64_t *counts)
{
    memset(counts, 0, (size_t)hpo_term_count(h) * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < profiles[i]->nclosure; j++)
            counts[profiles[i]->closure[j]]++;
}

double sim_ic_from_count(int64_t count, int64_t total)
{
    if (total <= 0)
        return 0.0;
    double ic = -log((double)(count < 1 ? 1 : count) / (double)total);
    return ic > 0 ? ic : 0.0; /* +0 for terms every case reaches (the root) */
}

int sim_weights_blend(const struct hpo *h, const int64_t *counts, int64_t total, double blend,
                      struct sim_weights *out, struct gs_err *err)
{
    int rc = weights_alloc(h, out, err);
    for (int t = 0; rc == GS_OK && t < out->nterms; t++)
        out->ic[t] = blend * sim_ic_from_count(counts[t], total) +
                     (1 - blend) * hpo_term_ic(h, t);
    return rc;
}

void sim_weights_free(struct sim_weights *w)
{
    if (w == NULL)
        return;
    free(w->ic);
    w->ic = NULL;
    w->nterms = 0;
}

int sim_mica(const struct hpo *h, const struct sim_weights *w, int a, int b, double *ic)
{
    int na, nb, best = -1, best_depth = -1;
    double best_ic = 0;
    const int *x = hpo_term_ancestors(h, a, &na), *y = hpo_term_ancestors(h, b, &nb);
    for (int i = 0, j = 0; i < na && j < nb;) {
        if (x[i] < y[j]) {
            i++;
        } else if (x[i] > y[j]) {
            j++;
        } else {
            int depth;
            hpo_term_ancestors(h, x[i], &depth);
            /* Ascending indices: a later equal-IC, equal-depth term has the higher id. */
            if (best < 0 || w->ic[x[i]] > best_ic ||
                (w->ic[x[i]] == best_ic && depth > best_depth)) {
                best = x[i];
                best_ic = w->ic[x[i]];
                best_depth = depth;
            }
            i++;
            j++;
        }
    }
    if (ic != NULL)
        *ic = best >= 0 ? best_ic : 0.0;
    return best;
}

/* ---- scoring ---- */

const char *sim_method_name(enum sim_method m)
{
    switch (m) {
    case SIM_METHOD_SIMGIC: return "simgic";
    case SIM_METHOD_RESNIK_BMA: return "resnik_bma";
    case SIM_METHOD_COSINE: return "cosine";
    case SIM_METHOD_HYBRID: return "hybrid";
    }
    return "unknown";
}

struct sim_params sim_params_default(void)
{
    return (struct sim_params){.method = SIM_METHOD_DEFAULT,
                               .excluded_weight = SIM_EXCLUDED_WEIGHT,
                               .conflict_weight = SIM_CONFLICT_WEIGHT,
                               .gene_weight = SIM_GENE_WEIGHT,
                               .min_query_ic = SIM_MIN_QUERY_IC};
}

/* Membership tables are stamped rather than cleared: an entry belongs to the current query
 * (or candidate) when it equals the current stamp, so switching costs nothing. */
struct sim_scorer {
    const struct hpo *h;
    const double *ic;
    int n;
    int *topo;           /* terms by ancestor count: every parent before its children */
    uint32_t qstamp;     /* the query's stamp in qmark, qexcluded, qbelow */
    uint32_t cstamp;     /* the candidate's stamp in cmark, cexcluded */
    uint32_t *qmark;     /* t in the query's closure */
    uint32_t *qexcluded; /* t excluded by the query itself */
    uint32_t *qbelow;    /* t is, or descends from, a term the query excludes */
    double *qbest;       /* max IC over ancestors(t) ∩ closure(query): Resnik best match */
    uint32_t *cmark;     /* t in the candidate's closure */
    uint32_t *cexcluded; /* t excluded by the candidate */
    const struct sim_profile *q;
    double qsum, qsum2, qobserved_ic, qexcluded_ic;
};

static int cmp_depth(const void *a, const void *b, void *h)
{
    int na, nb;
    hpo_term_ancestors(h, *(const int *)a, &na);
    hpo_term_ancestors(h, *(const int *)b, &nb);
    return na != nb ? (na > nb) - (na < nb) : cmp_int(a, b);
}

int sim_scorer_new(const struct hpo *h, const struct sim_weights *w, struct sim_scorer **out,
                   struct gs_err *err)
{
    *out = NULL;
    struct sim_scorer *s = calloc(1, sizeof *s);
    if (s == NULL)
        goto nomem;
    s->h = h;
    s->ic = w->ic;
    s->n = hpo_term_count(h);
    size_t n = (size_t)s->n + 1;
    s->topo = malloc(n * sizeof *s->topo);
    s->qmark = calloc(n, sizeof *s->qmark);
    s->qexcluded = calloc(n, sizeof *s->qexcluded);
    s->qbelow = calloc(n, sizeof *s->qbelow);
    s->qbest = calloc(n, sizeof *s->qbest);
    s->cmark = calloc(n, sizeof *s->cmark);
    s->cexcluded = calloc(n, sizeof *s->cexcluded);
    if (!s->topo || !s->qmark || !s->qexcluded || !s->qbelow || !s->qbest || !s->cmark ||
        !s->cexcluded)
        goto nomem;
    /* A parent's ancestor set is a strict subset of its child's, so ordering by ancestor
     * count is a topological order of the is-a graph. */
    for (int t = 0; t < s->n; t++)
        s->topo[t] = t;
    qsort_r(s->topo, (size_t)s->n, sizeof *s->topo, cmp_depth, (void *)h);
    *out = s;
    return GS_OK;
nomem:
    sim_scorer_free(s);
    return gs_err_set(err, GS_ENOMEM, "similarity scorer: out of memory");
}

void sim_scorer_free(struct sim_scorer *s)
{
    if (s == NULL)
        return;
    free(s->topo);
    free(s->qmark);
    free(s->qexcluded);
    free(s->qbelow);
    free(s->qbest);
    free(s->cmark);
    free(s->cexcluded);
    free(s);
}

/* Advances a stamp; on wrap-around clears the tables it marks so no stale entry matches. */
static uint32_t next_stamp(uint32_t *stamp, uint32_t *a, uint32_t *b, uint32_t *c, size_t n)
{
    if (++*stamp == 0) {
        memset(a, 0, n * sizeof *a);
        memset(b, 0, n * sizeof *b);
        if (c != NULL)
            memset(c, 0, n * sizeof *c);
        *stamp = 1;
    }
    return *stamp;
}

double sim_scorer_set_query(struct sim_scorer *s, const struct sim_profile *q)
{
    uint32_t st = next_stamp(&s->qstamp, s->qmark, s->qexcluded, s->qbelow, (size_t)s->n);
    s->q = q;
    s->qsum = s->qsum2 = s->qobserved_ic = s->qexcluded_ic = 0;
    for (int i = 0; i < q->nclosure; i++) {
        double x = s->ic[q->closure[i]];
        s->qmark[q->closure[i]] = st;
        s->qsum += x;
        s->qsum2 += x * x;
    }
    for (int i = 0; i < q->nobserved; i++)
        s->qobserved_ic += s->ic[q->observed[i]];
    for (int i = 0; i < q->nexcluded; i++) {
        s->qexcluded[q->excluded[i]] = st;
        s->qexcluded_ic += s->ic[q->excluded[i]];
    }
    /* One pass parents-first: the best match of t in the query is t itself when the query
     * reaches t (IC never falls going down), else the best over its parents; likewise a
     * term lies below an excluded term when it or a parent does. */
    for (int k = 0; k < s->n; k++) {
        int t = s->topo[k], np;
        const int *par = hpo_term_parents(s->h, t, &np);
        double best = 0;
        bool below = s->qexcluded[t] == st;
        if (s->qmark[t] == st) {
            best = s->ic[t];
        } else {
            for (int i = 0; i < np; i++)
                if (s->qbest[par[i]] > best)
                    best = s->qbest[par[i]];
        }
        for (int i = 0; i < np && !below; i++)
            below = s->qbelow[par[i]] == st;
        s->qbest[t] = best;
        if (below)
            s->qbelow[t] = st;
    }
    return s->qsum;
}

void sim_scorer_score(struct sim_scorer *s, const struct sim_profile *c,
                      const struct sim_params *p, struct sim_subscores *out)
{
    const struct sim_profile *q = s->q;
    const double *ic = s->ic;
    uint32_t qst = s->qstamp;
    uint32_t cst = next_stamp(&s->cstamp, s->cmark, s->cexcluded, NULL, (size_t)s->n);
    memset(out, 0, sizeof *out);

    double inter = 0, inter2 = 0, csum = 0, csum2 = 0;
    for (int i = 0; i < c->nclosure; i++) {
        int t = c->closure[i];
        double x = ic[t];
        s->cmark[t] = cst;
        csum += x;
        csum2 += x * x;
        if (s->qmark[t] == qst) {
            inter += x;
            inter2 += x * x;
        }
    }
    out->shared_ic = inter;
    out->query_ic = s->qsum;
    out->candidate_ic = csum;
    double uni = s->qsum + csum - inter;
    out->simgic = uni > 0 ? inter / uni : 0;
    out->cosine = s->qsum2 > 0 && csum2 > 0 ? inter2 / sqrt(s->qsum2 * csum2) : 0;

    /* Candidate → query best matches come from the query's table; query → candidate walks
     * each query term's ancestors against the candidate's closure, and in the same walk
     * finds query terms that the candidate excludes (an excluded term excludes its
     * descendants). */
    double xshared = 0, xcand = 0;
    for (int i = 0; i < c->nexcluded; i++) {
        int t = c->excluded[i];
        s->cexcluded[t] = cst;
        xcand += ic[t];
        if (s->qexcluded[t] == qst)
            xshared += ic[t];
    }
    double xunion = s->qexcluded_ic + xcand - xshared;
    out->excluded_shared = xunion > 0 ? xshared / xunion : 0;
    double cq = 0, qc = 0, conflict = 0, cobserved_ic = 0;
    for (int i = 0; i < c->nobserved; i++) {
        int t = c->observed[i];
        cq += s->qbest[t];
        cobserved_ic += ic[t];
        if (s->qbelow[t] == qst)
            conflict += ic[t];
    }
    for (int i = 0; i < q->nobserved; i++) {
        int na;
        const int *anc = hpo_term_ancestors(s->h, q->observed[i], &na);
        double best = 0;
        bool excluded = false;
        for (int j = 0; j < na; j++) {
            int a = anc[j];
            if (s->cmark[a] == cst && ic[a] > best)
                best = ic[a];
            excluded |= s->cexcluded[a] == cst;
        }
        qc += best;
        if (excluded)
            conflict += ic[q->observed[i]];
    }
    if (q->nobserved > 0 && c->nobserved > 0) {
        out->resnik_query = qc / q->nobserved;
        out->resnik_candidate = cq / c->nobserved;
        out->resnik_bma = 0.5 * (out->resnik_query + out->resnik_candidate);
    }
    double observed_ic = s->qobserved_ic + cobserved_ic;
    out->conflict = observed_ic > 0 ? conflict / observed_ic : 0;

    double tden = SIM_TVERSKY_QUERY_WEIGHT * s->qsum + (1 - SIM_TVERSKY_QUERY_WEIGHT) * csum;
    out->tversky = tden > 0 ? inter / tden : 0;
    /* Shared excluded terms count only beside shared findings: absence alone is no match. */
    out->hybrid = out->tversky +
                  (SIM_RESNIK_QUERY_WEIGHT * out->resnik_query +
                   (1 - SIM_RESNIK_QUERY_WEIGHT) * out->resnik_candidate) / SIM_RESNIK_SCALE +
                  (inter > 0 ? p->excluded_weight * out->excluded_shared : 0);
    double base = p->method == SIM_METHOD_RESNIK_BMA ? out->resnik_bma
                  : p->method == SIM_METHOD_COSINE   ? out->cosine
                  : p->method == SIM_METHOD_HYBRID   ? out->hybrid
                                                     : out->simgic;
    out->phenotype = base * (1 - p->conflict_weight * out->conflict);

    for (int i = 0, j = 0; i < q->ngenes && j < c->ngenes;) {
        int d = strcmp(q->genes[i], c->genes[j]);
        out->shared_genes += d == 0;
        i += d <= 0;
        j += d >= 0;
    }
    out->total = out->phenotype + (out->shared_genes > 0 ? p->gene_weight : 0);
}

/* ---- explanations ---- */

int sim_explain(struct sim_scorer *s, const struct sim_profile *c, const struct sim_params *p,
                struct sim_explanation *out, struct gs_err *err)
{
    const struct sim_profile *q = s->q;
    memset(out, 0, sizeof *out);
    sim_scorer_score(s, c, p, &out->sub);
    struct sim_weights w = {.nterms = s->n, .ic = (double *)s->ic};
    size_t nq = (size_t)q->nobserved, nc = (size_t)c->nobserved;
    out->matches = calloc(nq + 1, sizeof *out->matches);
    out->shared_genes = calloc((size_t)c->ngenes + 1, sizeof *out->shared_genes);
    out->conflicts = calloc(nq + nc + 1, sizeof *out->conflicts);
    if (!out->matches || !out->shared_genes || !out->conflicts) {
        sim_explanation_free(out);
        return gs_err_set(err, GS_ENOMEM, "match explanation: out of memory");
    }
    for (int i = 0; i < q->nobserved; i++) {
        struct sim_term_match m = {q->observed[i], -1, -1, 0};
        for (int j = 0; j < c->nobserved; j++) {
            double ic;
            int a = sim_mica(s->h, &w, q->observed[i], c->observed[j], &ic);
            if (a >= 0 && ic > m.ic) {
                m.candidate_term = c->observed[j];
                m.mica = a;
                m.ic = ic;
            }
        }
        out->matches[out->nmatches++] = m;
    }
    for (int i = 0, j = 0; i < q->ngenes && j < c->ngenes;) {
        int d = strcmp(q->genes[i], c->genes[j]);
        if (d == 0)
            out->shared_genes[out->nshared_genes++] = c->genes[j];
        i += d <= 0;
        j += d >= 0;
    }
    /* The score just marked the candidate's excluded terms; the query's are in qbelow. */
    for (int i = 0; i < q->nobserved; i++) {
        int na;
        const int *anc = hpo_term_ancestors(s->h, q->observed[i], &na);
        for (int j = 0; j < na; j++)
            if (s->cexcluded[anc[j]] == s->cstamp) {
                out->conflicts[out->nconflicts++] = q->observed[i];
                break;
            }
    }
    for (int i = 0; i < c->nobserved; i++)
        if (s->qbelow[c->observed[i]] == s->qstamp)
            out->conflicts[out->nconflicts++] = c->observed[i];
    return GS_OK;
}

void sim_explanation_free(struct sim_explanation *e)
{
    if (e == NULL)
        return;
    free(e->matches);
    free(e->shared_genes);
    free(e->conflicts);
    memset(e, 0, sizeof *e);
}

/* ---- ranking ---- */

static int cmp_result(const void *a, const void *b)
{
    const struct sim_result *x = a, *y = b;
    if (x->sub.total != y->sub.total)
        return x->sub.total < y->sub.total ? 1 : -1;
    return (x->candidate > y->candidate) - (x->candidate < y->candidate);
}

int sim_rank(struct sim_scorer *s, const struct sim_profile *q,
             const struct sim_profile *const *candidates, size_t n, sim_visible_fn visible,
             void *ctx, const struct sim_params *p, size_t limit, struct sim_result **out,
             size_t *nout, bool *informative, struct gs_err *err)
{
    *out = NULL;
    *nout = 0;
    /* Visibility first, over the whole set: nothing below sees a hidden candidate. */
    size_t *seen = malloc((n + 1) * sizeof *seen), nseen = 0;
    struct sim_result *res = malloc((n + 1) * sizeof *res);
    if (seen == NULL || res == NULL) {
        free(seen);
        free(res);
        return gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    }
    for (size_t i = 0; i < n; i++)
        if (candidates[i] != NULL && (visible == NULL || visible(ctx, i)))
            seen[nseen++] = i;

    bool enough = sim_scorer_set_query(s, q) >= p->min_query_ic;
    if (informative != NULL)
        *informative = enough;
    size_t k = 0;
    for (size_t i = 0; i < nseen; i++) {
        struct sim_result r = {.candidate = seen[i]};
        sim_scorer_score(s, candidates[seen[i]], p, &r.sub);
        if (r.sub.total > 0 && (enough || r.sub.shared_genes > 0))
            res[k++] = r;
    }
    free(seen);
    qsort(res, k, sizeof *res, cmp_result);
    *out = res;
    *nout = k < limit ? k : limit;
    return GS_OK;
}
