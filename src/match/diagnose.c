/* diagnose.c — ranking diseases for a phenotype (method and contracts in diagnose.h). Each
 * disease keeps its annotated terms as a similarity profile plus, for every term of its
 * closure, the disease terms below it with the highest known frequency and with an unknown
 * one; a query walks its terms' ancestors against that closure. */
#include "match/diagnose.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dx_disease {
    struct sim_profile profile; /* observed = annotated terms, excluded = NOT terms */
    int *via_known;   /* per closure entry: index in terms[] of the most frequent known
                       * term at or below it, -1 when none has a known frequency */
    int *via_unknown; /* per closure entry: a term of unknown frequency below it, or -1 */
};

struct diagnose_index {
    const struct hpo *h;
    struct disease_table table;
    struct sim_weights w;
    struct dx_disease *dx;
};

const char *diagnose_method_name(enum diagnose_method m)
{
    switch (m) {
    case DIAGNOSE_PHENOMIZER: return "phenomizer";
    case DIAGNOSE_RESNIK_BMA: return "resnik_bma";
    case DIAGNOSE_SIMGIC: return "simgic";
    case DIAGNOSE_HYBRID: return "hybrid";
    }
    return "?";
}

int diagnose_method_parse(const char *text, enum diagnose_method *out, struct gs_err *err)
{
    for (int m = DIAGNOSE_PHENOMIZER; m <= DIAGNOSE_HYBRID; m++)
        if (text != NULL && strcmp(text, diagnose_method_name((enum diagnose_method)m)) == 0) {
            *out = (enum diagnose_method)m;
            return GS_OK;
        }
    return gs_err_set(err, GS_EINVAL, "method must be phenomizer, resnik_bma, simgic or hybrid");
}

struct diagnose_params diagnose_params_default(void)
{
    return (struct diagnose_params){DIAGNOSE_METHOD_DEFAULT, DIAGNOSE_FREQUENCY_WEIGHT,
                                    DIAGNOSE_EXCLUDED_PENALTY, DIAGNOSE_UNKNOWN_FREQUENCY,
                                    DIAGNOSE_EXCLUDED_MIN_FREQUENCY};
}

/* ---- building ---- */

struct pair {
    int ancestor, k; /* k: index in the disease's terms[] */
};

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->ancestor != y->ancestor)
        return (x->ancestor > y->ancestor) - (x->ancestor < y->ancestor);
    return (x->k > y->k) - (x->k < y->k);
}

static int *int_array(size_t n)
{
    return malloc((n ? n : 1) * sizeof(int));
}

/* Builds one disease's profile and closure tables (terms sorted by (excluded, term)). */
static int build_disease(const struct hpo *h, const struct disease *d, struct dx_disease *dx)
{
    int nobs = 0, nexc = 0, npairs = 0;
    for (int k = 0; k < d->nterms; k++) {
        int na;
        hpo_term_ancestors(h, d->terms[k].term, &na);
        if (d->terms[k].excluded)
            nexc++;
        else
            nobs++, npairs += na;
    }
    struct sim_profile *p = &dx->profile;
    struct pair *pairs = malloc((size_t)(npairs ? npairs : 1) * sizeof *pairs);
    p->observed = int_array((size_t)nobs);
    p->excluded = int_array((size_t)nexc);
    p->closure = int_array((size_t)npairs);
    dx->via_known = int_array((size_t)npairs);
    dx->via_unknown = int_array((size_t)npairs);
    if (!pairs || !p->observed || !p->excluded || !p->closure || !dx->via_known ||
        !dx->via_unknown) {
        free(pairs);
        return GS_ENOMEM;
    }
    int np = 0;
    for (int k = 0; k < d->nterms; k++) {
        int t = d->terms[k].term, na;
        if (!d->terms[k].excluded) {
            p->observed[p->nobserved++] = t;
            const int *anc = hpo_term_ancestors(h, t, &na);
            for (int j = 0; j < na; j++)
                pairs[np++] = (struct pair){anc[j], k};
        } else {
            /* a term both annotated and NOT (different publications) counts as annotated */
            bool also_observed = false;
            for (int j = 0; j < p->nobserved; j++)
                also_observed |= p->observed[j] == t;
            if (!also_observed)
                p->excluded[p->nexcluded++] = t;
        }
    }
    qsort(pairs, (size_t)np, sizeof *pairs, cmp_pair);
    for (int i = 0; i < np;) {
        int a = pairs[i].ancestor, known = -1, unknown = -1;
        for (; i < np && pairs[i].ancestor == a; i++) {
            const struct disease_term *t = &d->terms[pairs[i].k];
            if (t->frequency < 0) {
                if (unknown < 0)
                    unknown = pairs[i].k;
            } else if (known < 0 || t->frequency > d->terms[known].frequency) {
                known = pairs[i].k;
            }
        }
        dx->via_known[p->nclosure] = known;
        dx->via_unknown[p->nclosure] = unknown;
        p->closure[p->nclosure++] = a;
    }
    free(pairs);
    return GS_OK;
}

void diagnose_index_free(struct diagnose_index *x)
{
    if (x == NULL)
        return;
    for (size_t i = 0; x->dx != NULL && i < x->table.n; i++) {
        sim_profile_free(&x->dx[i].profile);
        free(x->dx[i].via_known);
        free(x->dx[i].via_unknown);
    }
    free(x->dx);
    sim_weights_free(&x->w);
    disease_table_free(&x->table);
    free(x);
}

int diagnose_index_new(const struct hpo *h, struct disease_table *table,
                       struct diagnose_index **out, struct gs_err *err)
{
    *out = NULL;
    struct diagnose_index *x = calloc(1, sizeof *x);
    if (x == NULL)
        return gs_err_set(err, GS_ENOMEM, "diagnose: out of memory");
    x->h = h;
    x->table = *table;
    memset(table, 0, sizeof *table);
    int rc = sim_weights_from_hpo(h, &x->w, err);
    if (rc != GS_OK) {
        diagnose_index_free(x);
        return rc;
    }
    if ((x->dx = calloc(x->table.n ? x->table.n : 1, sizeof *x->dx)) == NULL)
        rc = GS_ENOMEM;
    for (size_t i = 0; rc == GS_OK && i < x->table.n; i++)
        rc = build_disease(h, &x->table.diseases[i], &x->dx[i]);
    if (rc != GS_OK) {
        diagnose_index_free(x);
        return gs_err_set(err, GS_ENOMEM, "diagnose: out of memory");
    }
    *out = x;
    return GS_OK;
}

size_t diagnose_index_count(const struct diagnose_index *x)
{
    return x->table.n;
}

const struct disease *diagnose_index_disease(const struct diagnose_index *x, size_t i)
{
    return &x->table.diseases[i];
}

long diagnose_index_find(const struct diagnose_index *x, const char *id)
{
    size_t lo = 0, hi = x->table.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(x->table.diseases[mid].id, id);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- scoring ---- */

/* Dense per-call tables: which closure entry of the current disease a term is. */
struct scratch {
    uint32_t *mark;
    int *pos;
    uint32_t stamp;
};

/* The frequency a disease shows closure entry i with, and the disease term behind it. */
static double closure_frequency(const struct disease *d, const struct dx_disease *dx, int i,
                                const struct diagnose_params *p, int *term)
{
    int known = dx->via_known[i], unknown = dx->via_unknown[i];
    double f = known >= 0 ? d->terms[known].frequency : -1;
    if (unknown >= 0 && (known < 0 || p->unknown_frequency > f)) {
        *term = unknown;
        return p->unknown_frequency;
    }
    *term = known;
    return f;
}

static bool sorted_has(const int *v, int n, int x)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid] == x)
            return true;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

/* Scores disease i for q: returns the phenomizer similarity (frequency weight fw) and sets
 * *penalty; with r, fills its matches and conflicts (arrays sized by the caller). */
static double score_one(const struct diagnose_index *x, size_t i, const struct sim_profile *q,
                        const struct diagnose_params *p, double fw, struct scratch *sc,
                        double *penalty, struct diagnose_result *r)
{
    const struct disease *d = &x->table.diseases[i];
    const struct dx_disease *dx = &x->dx[i];
    const struct sim_profile *c = &dx->profile;
    const double *ic = x->w.ic;
    uint32_t st = ++sc->stamp;
    for (int k = 0; k < c->nclosure; k++) {
        sc->mark[c->closure[k]] = st;
        sc->pos[c->closure[k]] = k;
    }
    double sum = 0, factor = 1;
    for (int j = 0; j < q->nobserved; j++) {
        int na, best_a = -1, best_k = -1;
        const int *anc = hpo_term_ancestors(x->h, q->observed[j], &na);
        double best = 0;
        bool contradicted = false;
        for (int k = 0; k < na; k++) {
            int a = anc[k];
            contradicted |= c->nexcluded > 0 && sorted_has(c->excluded, c->nexcluded, a);
            if (sc->mark[a] != st)
                continue;
            int term;
            double f = closure_frequency(d, dx, sc->pos[a], p, &term);
            double v = ic[a] * (1 - fw * (1 - (f < 0 ? 1 : f)));
            if (v > best || (v == best && best_a >= 0 && ic[a] > ic[best_a])) {
                best = v, best_a = a, best_k = term;
            }
        }
        sum += best;
        if (contradicted)
            factor *= 1 - p->excluded_penalty;
        if (r != NULL) {
            r->matches[r->nmatches++] = (struct diagnose_match){
                q->observed[j], best_k >= 0 ? d->terms[best_k].term : -1, best_a,
                best_a >= 0 ? ic[best_a] : 0, best_k >= 0 ? d->terms[best_k].frequency : -1};
            if (contradicted) {
                int t = -1;
                for (int k = 0; k < na && t < 0; k++)
                    if (sorted_has(c->excluded, c->nexcluded, anc[k]))
                        t = anc[k];
                r->conflicts[r->nconflicts++] =
                    (struct diagnose_conflict){DIAGNOSE_DISEASE_EXCLUDES, q->observed[j], t, -1};
            }
        }
    }
    for (int j = 0; j < q->nexcluded; j++) {
        int e = q->excluded[j];
        if (sc->mark[e] != st)
            continue;
        /* every contradiction is reported; only a known frequency of at least
         * excluded_min_frequency weighs: an unannotated frequency says nothing about how
         * surprising the feature's absence is */
        int pos = sc->pos[e], known = dx->via_known[pos];
        bool weighs = known >= 0 && d->terms[known].frequency >= p->excluded_min_frequency;
        if (weighs)
            factor *= 1 - p->excluded_penalty * d->terms[known].frequency;
        int shown = known >= 0 ? known : dx->via_unknown[pos];
        if (r != NULL && shown >= 0)
            r->conflicts[r->nconflicts++] = (struct diagnose_conflict){
                DIAGNOSE_QUERY_EXCLUDES, e, d->terms[shown].term, d->terms[shown].frequency};
    }
    *penalty = factor;
    return q->nobserved > 0 ? sum / q->nobserved : 0;
}

/* The engine's value for the methods it computes. */
static double engine_value(enum diagnose_method m, const struct sim_subscores *sub)
{
    return m == DIAGNOSE_RESNIK_BMA ? sub->resnik_bma
           : m == DIAGNOSE_SIMGIC   ? sub->simgic
                                    : sub->hybrid;
}

/* Per-call state: the scratch tables and, for the engine's methods, a scorer. */
struct run {
    struct scratch sc;
    struct sim_scorer *scorer;
    struct sim_params sp;
};

static void run_free(struct run *r)
{
    free(r->sc.mark);
    free(r->sc.pos);
    sim_scorer_free(r->scorer);
}

static int run_new(const struct diagnose_index *x, const struct sim_profile *q,
                   const struct diagnose_params *p, struct run *r, struct gs_err *err)
{
    memset(r, 0, sizeof *r);
    size_t n = (size_t)hpo_term_count(x->h);
    r->sc.mark = calloc(n ? n : 1, sizeof *r->sc.mark);
    r->sc.pos = calloc(n ? n : 1, sizeof *r->sc.pos);
    if (r->sc.mark == NULL || r->sc.pos == NULL) {
        run_free(r);
        return gs_err_set(err, GS_ENOMEM, "diagnose: out of memory");
    }
    if (p->method == DIAGNOSE_PHENOMIZER)
        return GS_OK;
    r->sp = sim_params_default();
    r->sp.method = p->method == DIAGNOSE_RESNIK_BMA ? SIM_METHOD_RESNIK_BMA
                   : p->method == DIAGNOSE_SIMGIC   ? SIM_METHOD_SIMGIC
                                                    : SIM_METHOD_HYBRID;
    r->sp.excluded_weight = 0; /* disease annotations hold few NOT terms: nothing to share */
    r->sp.conflict_weight = 0;
    r->sp.gene_weight = 0;
    r->sp.min_query_ic = 0;
    int rc = sim_scorer_new(x->h, &x->w, &r->scorer, err);
    if (rc != GS_OK) {
        run_free(r);
        return rc;
    }
    sim_scorer_set_query(r->scorer, q);
    return GS_OK;
}

/* Disease i's score under p (and, with res, its evidence). */
static double run_score(const struct diagnose_index *x, struct run *r, size_t i,
                        const struct sim_profile *q, const struct diagnose_params *p,
                        struct diagnose_result *res)
{
    double penalty, sim;
    bool own = p->method == DIAGNOSE_PHENOMIZER;
    sim = score_one(x, i, q, p, own ? p->frequency_weight : 0, &r->sc, &penalty, res);
    if (!own) {
        struct sim_subscores sub;
        sim_scorer_score(r->scorer, &x->dx[i].profile, &r->sp, &sub);
        sim = engine_value(p->method, &sub);
    }
    if (res != NULL) {
        res->similarity = sim;
        res->penalty = penalty;
        res->score = sim * penalty;
    }
    return sim * penalty;
}

int diagnose_score_all(const struct diagnose_index *x, const struct sim_profile *q,
                       const struct diagnose_params *p, double *scores, struct gs_err *err)
{
    struct run r;
    int rc = run_new(x, q, p, &r, err);
    if (rc != GS_OK)
        return rc;
    for (size_t i = 0; i < x->table.n; i++)
        scores[i] = run_score(x, &r, i, q, p, NULL);
    run_free(&r);
    return GS_OK;
}

struct ranked {
    size_t disease;
    double score;
};

static int cmp_ranked(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->disease > y->disease) - (x->disease < y->disease);
}

void diagnose_ranking_free(struct diagnose_ranking *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->results[i].matches);
        free(r->results[i].conflicts);
    }
    free(r->results);
    memset(r, 0, sizeof *r);
}

int diagnose_rank(const struct diagnose_index *x, const struct sim_profile *q,
                  const struct diagnose_params *p, size_t top, struct diagnose_ranking *out,
                  struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    if (top == 0)
        top = 10;
    size_t n = x->table.n;
    struct ranked *all = malloc((n ? n : 1) * sizeof *all);
    struct run r;
    int rc = all ? run_new(x, q, p, &r, err) : gs_err_set(err, GS_ENOMEM, "diagnose: out of memory");
    if (rc != GS_OK) {
        free(all);
        return rc;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double s = run_score(x, &r, i, q, p, NULL);
        if (s > 0)
            all[k++] = (struct ranked){i, s};
    }
    qsort(all, k, sizeof *all, cmp_ranked);
    out->scored = k;
    size_t keep = k < top ? k : top;
    if ((out->results = calloc(keep ? keep : 1, sizeof *out->results)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "diagnose: out of memory");
    for (size_t i = 0; rc == GS_OK && i < keep; i++) {
        struct diagnose_result *res = &out->results[i];
        res->disease = all[i].disease;
        res->matches = calloc((size_t)q->nobserved + 1, sizeof *res->matches);
        res->conflicts = calloc((size_t)(q->nobserved + q->nexcluded) + 1, sizeof *res->conflicts);
        out->n++;
        if (res->matches == NULL || res->conflicts == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "diagnose: out of memory");
        else
            run_score(x, &r, res->disease, q, p, res);
    }
    run_free(&r);
    free(all);
    if (rc != GS_OK)
        diagnose_ranking_free(out);
    return rc;
}

/* ---- what the CLI and the API share ---- */

int diagnose_index_from_store(struct store *s, const struct hpo *h, struct diagnose_index **out,
                              struct gs_err *err)
{
    struct disease_table t;
    *out = NULL;
    int rc = diseases_from_store(s, h, &t, err);
    if (rc != GS_OK)
        return rc;
    if (t.n == 0) {
        disease_table_free(&t);
        return gs_err_set(err, GS_ENOTFOUND,
                          "no disease annotations loaded (genoshare diagnose load FILE)");
    }
    return diagnose_index_new(h, &t, out, err);
}

int diagnose_case_profile(const struct hpo *h, const struct store_case *c,
                          struct sim_profile *out, struct hpo_problems *problems,
                          struct gs_err *err)
{
    int n = c->nfeatures;
    char (*ids)[HPO_ID_MAX] = calloc((size_t)n + 1, sizeof *ids);
    const char **obs = calloc((size_t)n + 1, sizeof *obs);
    const char **exc = calloc((size_t)n + 1, sizeof *exc);
    int no = 0, ne = 0, rc = GS_ENOMEM;
    memset(out, 0, sizeof *out);
    if (ids != NULL && obs != NULL && exc != NULL) {
        for (int i = 0; i < n; i++) {
            snprintf(ids[i], sizeof ids[i], "HP:%07u", (unsigned)(c->features[i].hpo % 10000000u));
            if (c->features[i].excluded)
                exc[ne++] = ids[i];
            else
                obs[no++] = ids[i];
        }
        rc = sim_profile_build(h, obs, no, exc, ne, NULL, 0, out, problems, err);
    }
    free(ids);
    free(obs);
    free(exc);
    return rc == GS_ENOMEM ? gs_err_set(err, GS_ENOMEM, "diagnose: out of memory") : rc;
}

static json_t *term_or_null(const struct hpo *h, int t)
{
    return t >= 0 ? json_string(hpo_term_id(h, t)) : json_null();
}

static json_t *label_or_null(const struct hpo *h, int t)
{
    return t >= 0 ? json_string(hpo_term_label(h, t, HPO_LANG_EN)) : json_null();
}

static json_t *frequency_json(double f)
{
    return f >= 0 ? json_real(f) : json_null();
}

static json_t *result_json(const struct diagnose_index *x, const struct diagnose_result *r,
                           size_t rank)
{
    const struct hpo *h = x->h;
    const struct disease *d = &x->table.diseases[r->disease];
    json_t *matches = json_array(), *conflicts = json_array();
    for (int i = 0; i < r->nmatches; i++) {
        const struct diagnose_match *m = &r->matches[i];
        json_array_append_new(
            matches, json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:f, s:o}", "query",
                               term_or_null(h, m->query_term), "query_label",
                               label_or_null(h, m->query_term), "disease_term",
                               term_or_null(h, m->disease_term), "disease_label",
                               label_or_null(h, m->disease_term), "mica",
                               term_or_null(h, m->mica), "mica_label", label_or_null(h, m->mica),
                               "ic", m->ic, "frequency", frequency_json(m->frequency)));
    }
    for (int i = 0; i < r->nconflicts; i++) {
        const struct diagnose_conflict *c = &r->conflicts[i];
        json_array_append_new(
            conflicts,
            json_pack("{s:s, s:o, s:o, s:o}", "kind",
                      c->kind == DIAGNOSE_QUERY_EXCLUDES ? "query_excludes" : "disease_excludes",
                      "query", term_or_null(h, c->query_term), "disease_term",
                      term_or_null(h, c->disease_term), "frequency", frequency_json(c->frequency)));
    }
    return json_pack("{s:I, s:s, s:s, s:f, s:f, s:f, s:o, s:o}", "rank", (json_int_t)rank, "id",
                     d->id, "name", d->name, "score", r->score, "similarity", r->similarity,
                     "penalty", r->penalty, "matches", matches, "contradictions", conflicts);
}

json_t *diagnose_ranking_json(const struct diagnose_index *x, const struct diagnose_params *p,
                              const struct diagnose_ranking *r, const struct hpo_problems *problems)
{
    json_t *results = json_array(), *examples = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(results, result_json(x, &r->results[i], i + 1));
    for (int i = 0; i < problems->nexamples && i < HPO_EXAMPLES_MAX; i++)
        json_array_append_new(examples, json_string(problems->examples[i]));
    return json_pack("{s:s, s:I, s:I, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:o}}", "method",
                     diagnose_method_name(p->method), "diseases",
                     (json_int_t)diagnose_index_count(x), "scored", (json_int_t)r->scored,
                     "results", results, "problems", "unknown", (json_int_t)problems->unknown,
                     "malformed", (json_int_t)problems->malformed, "alt_resolved",
                     (json_int_t)problems->alt_resolved, "obsolete_replaced",
                     (json_int_t)problems->obsolete_replaced, "obsolete_unresolved",
                     (json_int_t)problems->obsolete_unresolved, "examples", examples);
}
