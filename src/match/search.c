/* search.c — similar-case search: loads the active cases (three table walks), decides each
 * case's visibility before anything is scored, builds profiles of the visible ones, ranks
 * them with similarity.h and explains the top results. Decisions are in search.h. */
#include "match/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_match.h"

/* ---- results ---- */

void match_results_free(struct match_results *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++) {
        free(r->items[i].pairs);
        free(r->items[i].shared_genes);
        free(r->items[i].shared_variants);
    }
    free(r->items);
    memset(r, 0, sizeof *r);
}

/* ---- candidates ---- */

/* The active cases: rows in id order, lists filled for the visible ones only. */
struct pool {
    struct store *s;
    struct store_case *cases;
    bool *visible;
    size_t n, cap;
    struct gs_err *err;
};

static int pool_add(void *ctx, const struct store_case *c)
{
    struct pool *p = ctx;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct store_case *grown = realloc(p->cases, cap * sizeof *grown);
        if (grown == NULL)
            return gs_err_set(p->err, GS_ENOMEM, "similar-case search: out of memory");
        p->cases = grown;
        p->cap = cap;
    }
    p->cases[p->n] = *c; /* the row only: store_case_each leaves the lists empty */
    p->cases[p->n].features = NULL;
    p->cases[p->n].genes = NULL;
    p->cases[p->n].variants = NULL;
    p->cases[p->n].diagnoses = NULL;
    p->cases[p->n].nfeatures = p->cases[p->n].ngenes = p->cases[p->n].nvariants = 0;
    p->cases[p->n].ndiagnoses = 0;
    p->n++;
    return GS_OK;
}

/* The visible case with this id, or NULL (hidden, excluded, or not active). */
static struct store_case *pool_find(struct pool *p, int64_t id)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->cases[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n && p->cases[lo].id == id && p->visible[lo] ? &p->cases[lo] : NULL;
}

static int pool_feature(void *ctx, int64_t case_id, const struct store_case_feature *f)
{
    struct pool *p = ctx;
    struct store_case *c = pool_find(p, case_id);
    return c ? store_case_push_feature(c, f, p->err) : GS_OK;
}

static int pool_gene(void *ctx, int64_t case_id, const struct store_case_gene *g)
{
    struct pool *p = ctx;
    struct store_case *c = pool_find(p, case_id);
    return c ? store_case_push_gene(c, g, p->err) : GS_OK;
}

static int pool_variant(void *ctx, int64_t case_id, const struct store_case_variant *v)
{
    struct pool *p = ctx;
    struct store_case *c = pool_find(p, case_id);
    return c ? store_case_push_variant(c, v, p->err) : GS_OK;
}

static void pool_free(struct pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        store_case_clear(&p->cases[i]);
    free(p->cases);
    free(p->visible);
}

/* Datasets met so far (few: cases come from a handful of datasets). */
struct dataset_cache {
    struct store_dataset *d;
    size_t n;
};

static int dataset_cached(struct store *s, struct dataset_cache *dc, int64_t id,
                          const struct store_dataset **out, struct gs_err *err)
{
    for (size_t i = 0; i < dc->n; i++)
        if (dc->d[i].id == id) {
            *out = &dc->d[i];
            return GS_OK;
        }
    struct store_dataset *grown = realloc(dc->d, (dc->n + 1) * sizeof *grown);
    if (grown == NULL)
        return gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    dc->d = grown;
    int rc = store_dataset_get(s, id, &dc->d[dc->n], err);
    if (rc == GS_OK)
        *out = &dc->d[dc->n++];
    return rc;
}

/* Loads the active cases, decides who may see each (the one access decision), then fills
 * the lists of the visible ones: hidden cases never become profiles. */
static int pool_load(struct pool *p, struct dataset_cache *dc, const struct principal *who,
                     int64_t exclude_case, time_t now, size_t *nvisible)
{
    int rc = store_case_each(p->s, 0, false, pool_add, p, p->err);
    if (rc == GS_OK && (p->visible = calloc(p->n + 1, sizeof *p->visible)) == NULL)
        rc = gs_err_set(p->err, GS_ENOMEM, "similar-case search: out of memory");
    *nvisible = 0;
    for (size_t i = 0; rc == GS_OK && i < p->n; i++) {
        const struct store_case *c = &p->cases[i];
        const struct store_dataset *d;
        struct access_decision v;
        if (c->id == exclude_case)
            continue;
        if ((rc = dataset_cached(p->s, dc, c->dataset_id, &d, p->err)) == GS_OK &&
            (rc = access_check_read(p->s, who, d, c->institution_id, c->scope, now, &v,
                                    p->err)) == GS_OK && v.allowed) {
            p->visible[i] = true;
            (*nvisible)++;
        }
    }
    if (rc == GS_OK)
        rc = store_match_features_each(p->s, pool_feature, p, p->err);
    if (rc == GS_OK)
        rc = store_match_genes_each(p->s, pool_gene, p, p->err);
    if (rc == GS_OK)
        rc = store_match_variants_each(p->s, pool_variant, p, p->err);
    return rc;
}

/* ---- profiles ---- */

/* A variant's identity as a "gene" of the profile, so that similarity.h counts a shared
 * variant as genotype evidence (a phenotype-poor query still finds it). */
static void variant_key(const struct store_case_variant *v, char *out, size_t size)
{
    snprintf(out, size, "variant:%s:%s:%lld:%s:%s", v->assembly, v->chrom, (long long)v->pos,
             v->ref, v->alt);
}

static bool same_variant(const struct store_case_variant *a, const struct store_case_variant *b)
{
    return strcmp(a->assembly, b->assembly) == 0 && strcmp(a->chrom, b->chrom) == 0 &&
           a->pos == b->pos && strcmp(a->ref, b->ref) == 0 && strcmp(a->alt, b->alt) == 0;
}

#define VARIANT_KEY_MAX (CASE_BASES_MAX * 2 + 64)

/* The profile of a case's observed and excluded terms, gene ids and variant keys. */
static int case_profile(const struct hpo *h, const struct store_case *c, struct sim_profile *out,
                        struct gs_err *err)
{
    size_t nf = (size_t)c->nfeatures, ng = (size_t)c->ngenes + (size_t)c->nvariants;
    char(*ids)[HPO_ID_MAX + 4] = malloc((nf + 1) * sizeof *ids);
    const char **obs = malloc((nf + 1) * sizeof *obs), **exc = malloc((nf + 1) * sizeof *exc);
    char(*keys)[VARIANT_KEY_MAX] = malloc(((size_t)c->nvariants + 1) * sizeof *keys);
    const char **genes = malloc((ng + 1) * sizeof *genes);
    int nobs = 0, nexc = 0, ngenes = 0, rc = GS_OK;
    memset(out, 0, sizeof *out);
    if (!ids || !obs || !exc || !keys || !genes) {
        rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
        goto done;
    }
    for (int i = 0; i < c->nfeatures; i++) {
        snprintf(ids[i], sizeof ids[i], "HP:%07u", (unsigned)c->features[i].hpo);
        if (c->features[i].excluded)
            exc[nexc++] = ids[i];
        else
            obs[nobs++] = ids[i];
    }
    for (int i = 0; i < c->ngenes; i++)
        genes[ngenes++] = c->genes[i].gene_id;
    for (int i = 0; i < c->nvariants; i++) {
        variant_key(&c->variants[i], keys[i], sizeof keys[i]);
        genes[ngenes++] = keys[i];
    }
    /* Stored ids were checked on write; a later release's unknowns are skipped as the
     * similarity module does (the case's own page shows them). */
    rc = sim_profile_build(h, obs, nobs, exc, nexc, genes, ngenes, out, NULL, err);
done:
    free(ids);
    free(obs);
    free(exc);
    free(keys);
    free(genes);
    return rc;
}

/* ---- the query ---- */

/* Resolves the query's ids into list (primary term ids, pointing into h); what cannot be
 * used goes to results->unused, what was rewritten to the notes. */
static void query_terms(const struct hpo *h, const char *const *ids, int n, const char *field,
                        const char **list, int *nlist, struct match_results *r)
{
    for (int i = 0; i < n; i++) {
        const char *id = ids[i] ? ids[i] : "";
        char where[64];
        snprintf(where, sizeof where, "%s[%d]", field, i);
        struct hpo_problems ignored = {0}; /* reported below, with the reason, per id */
        int t = hpo_resolve_input(h, id, where, &ignored);
        uint32_t number;
        enum hpo_resolution how = HPO_RESOLVED_PRIMARY;
        if (t >= 0 && hpo_id_parse(id, &number))
            hpo_term_find(h, number, &how);
        if (t >= 0) {
            if (how != HPO_RESOLVED_PRIMARY)
                case_note(&r->notes, "%s: %.40s is %s, used as %s", where, id,
                          how == HPO_RESOLVED_ALT_ID ? "an alternative id" : "obsolete (replaced)",
                          hpo_term_id(h, t));
            list[(*nlist)++] = hpo_term_id(h, t);
            continue;
        }
        if (r->nunused < MATCH_UNUSED_MAX) {
            snprintf(r->unused[r->nunused].id, sizeof r->unused[0].id, "%.40s", id);
            const char *why = !hpo_id_parse(id, &number)                  ? "not an HPO id"
                              : hpo_term_find(h, number, NULL) < 0        ? "unknown in HPO release"
                                                                          : "obsolete without replacement in HPO release";
            snprintf(r->unused[r->nunused].why, sizeof r->unused[0].why, "%s%s%.40s", why,
                     strcmp(why, "not an HPO id") ? " " : "",
                     strcmp(why, "not an HPO id") ? hpo_version(h) : "");
        }
        r->nunused++;
    }
}

/* Normalises the query's genes and variants the way cases' are (cases_prepare on a case
 * holding only them). g is the caller's, cleared by it. */
static int query_genotype(struct store *s, const struct match_query *q, struct store_case *g,
                          struct case_report *notes, struct gs_err *err)
{
    int rc = GS_OK;
    snprintf(g->label, sizeof g->label, "query");
    for (int i = 0; rc == GS_OK && i < q->ngenes; i++) {
        struct store_case_gene gene = {0};
        snprintf(gene.where, sizeof gene.where, "genes[%d]", i);
        if ((rc = case_copy_text(gene.where, q->genes[i], gene.symbol, sizeof gene.symbol,
                                 err)) == GS_OK && gene.symbol[0] == '\0')
            rc = gs_err_set(err, GS_EINVAL, "%s: a gene symbol or id is required", gene.where);
        if (rc == GS_OK)
            rc = store_case_push_gene(g, &gene, err);
    }
    for (int i = 0; rc == GS_OK && i < q->nvariants; i++) {
        struct store_case_variant v = q->variants[i];
        snprintf(v.where, sizeof v.where, "variants[%d]", i);
        rc = store_case_push_variant(g, &v, err);
    }
    if (rc == GS_OK && g->ngenes + g->nvariants > 0)
        rc = cases_prepare(s, NULL, g, notes, err);
    return rc;
}

/* ---- ranking ---- */

static bool pool_visible(void *ctx, size_t i)
{
    return ((const struct pool *)ctx)->visible[i];
}

static int by_score(const void *a, const void *b)
{
    const struct match_result *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return (x->case_id > y->case_id) - (x->case_id < y->case_id);
}

/* Shared genes and variants of candidate c with the normalised query g. */
static int genotype_shared(const struct store_case *g, const struct store_case *c,
                           struct match_result *r, struct gs_err *err)
{
    r->shared_genes = calloc((size_t)c->ngenes + 1, sizeof *r->shared_genes);
    r->shared_variants = calloc((size_t)c->nvariants + 1, sizeof *r->shared_variants);
    if (r->shared_genes == NULL || r->shared_variants == NULL)
        return gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    for (int j = 0; j < c->ngenes; j++)
        for (int i = 0; i < g->ngenes; i++)
            if (strcmp(g->genes[i].gene_id, c->genes[j].gene_id) == 0) {
                r->shared_genes[r->nshared_genes++] = c->genes[j];
                break;
            }
    for (int j = 0; j < c->nvariants; j++)
        for (int i = 0; i < g->nvariants; i++)
            if (same_variant(&g->variants[i], &c->variants[j])) {
                r->shared_variants[r->nshared_variants++] = c->variants[j];
                break;
            }
    return GS_OK;
}

static int explain(struct sim_scorer *sc, const struct hpo *h, const struct sim_profile *cp,
                   const struct sim_params *params, struct match_result *r, struct gs_err *err)
{
    struct sim_explanation e;
    int rc = sim_explain(sc, cp, params, &e, err);
    if (rc != GS_OK)
        return rc;
    if ((r->pairs = calloc((size_t)e.nmatches + 1, sizeof *r->pairs)) == NULL) {
        sim_explanation_free(&e);
        return gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    }
    for (int i = 0; i < e.nmatches; i++) {
        const struct sim_term_match *m = &e.matches[i];
        struct match_pair *p = &r->pairs[r->npairs++];
        p->query_id = hpo_term_id(h, m->query_term);
        p->query_label = hpo_term_label(h, m->query_term, HPO_LANG_EN);
        if (m->candidate_term >= 0) {
            p->case_term_id = hpo_term_id(h, m->candidate_term);
            p->case_term_label = hpo_term_label(h, m->candidate_term, HPO_LANG_EN);
        }
        if (m->mica >= 0) {
            p->mica_id = hpo_term_id(h, m->mica);
            p->mica_label = hpo_term_label(h, m->mica, HPO_LANG_EN);
        }
        p->ic = m->ic;
    }
    sim_explanation_free(&e);
    return GS_OK;
}

/* Names of the result's dataset and institution. */
static int result_names(struct store *s, struct dataset_cache *dc, const struct store_case *c,
                        struct match_result *r, struct gs_err *err)
{
    const struct store_dataset *d;
    struct store_institution inst;
    int rc = dataset_cached(s, dc, c->dataset_id, &d, err);
    if (rc == GS_OK && (rc = store_institution_get(s, c->institution_id, &inst, err)) == GS_OK) {
        snprintf(r->dataset, sizeof r->dataset, "%s", d->name);
        snprintf(r->institution, sizeof r->institution, "%s", inst.name);
    }
    return rc;
}

/* One audit row naming the cases shown, when any is not open + international. */
static int audit_results(struct store *s, const struct actor *by, struct dataset_cache *dc,
                         const struct match_results *r, const struct store_case *const *shown,
                         time_t now, struct gs_err *err)
{
    bool closed = false;
    char detail[STORE_AUDIT_TEXT_MAX];
    size_t at = (size_t)snprintf(detail, sizeof detail, "shown=%zu cases=", r->n);
    for (size_t i = 0; i < r->n; i++) {
        const struct store_dataset *d;
        int rc = dataset_cached(s, dc, shown[i]->dataset_id, &d, err);
        if (rc != GS_OK)
            return rc;
        closed = closed || d->tier != TIER_OPEN || shown[i]->scope != SCOPE_INTERNATIONAL;
        if (at < sizeof detail)
            at += (size_t)snprintf(detail + at, sizeof detail - at, "%s%lld", i ? "," : "",
                                   (long long)r->items[i].case_id);
    }
    if (!closed)
        return GS_OK;
    struct audit_event ev = {"case.match", "cases", detail};
    return audit_record(s, by, &ev, now, err);
}

int match_search(struct store *s, const struct hpo *h, const struct principal *who,
                 const struct actor *by, const struct match_query *q, int top, time_t now,
                 struct match_results *out, struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    if (top < 1 || top > MATCH_TOP_MAX)
        return gs_err_set(err, GS_EINVAL, "top must be 1 to %d", MATCH_TOP_MAX);
    if (q->nobserved + q->nexcluded + q->ngenes + q->nvariants == 0)
        return gs_err_set(err, GS_EINVAL, "a match query needs at least one HPO term, gene or "
                          "variant");
    if (q->nobserved < 0 || q->nexcluded < 0 || q->nobserved + q->nexcluded > MATCH_QUERY_TERMS_MAX)
        return gs_err_set(err, GS_EINVAL, "a match query holds at most %d HPO terms",
                          MATCH_QUERY_TERMS_MAX);

    struct pool p = {.s = s, .err = err};
    struct dataset_cache dc = {0};
    struct store_case g = {0};
    struct sim_profile qp = {0}, *profiles = NULL;
    const struct sim_profile **cand = NULL, **seen = NULL;
    const struct store_case **shown = NULL;
    struct sim_weights w = {0};
    struct sim_scorer *sc = NULL;
    struct sim_result *ranked = NULL;
    size_t nranked = 0, nvisible = 0;
    int64_t *counts = NULL;
    struct sim_params params = sim_params_default();
    const char *obs[MATCH_QUERY_TERMS_MAX], *exc[MATCH_QUERY_TERMS_MAX];
    const char *genes[CASE_GENES_MAX + CASE_VARIANTS_MAX];
    char keys[CASE_VARIANTS_MAX][VARIANT_KEY_MAX];
    int nobs = 0, nexc = 0, ngenes = 0;

    query_terms(h, q->observed, q->nobserved, "hpo", obs, &nobs, out);
    query_terms(h, q->excluded, q->nexcluded, "excluded", exc, &nexc, out);
    int rc = query_genotype(s, q, &g, &out->notes, err);
    for (int i = 0; rc == GS_OK && i < g.ngenes; i++)
        genes[ngenes++] = g.genes[i].gene_id;
    for (int i = 0; rc == GS_OK && i < g.nvariants; i++) {
        variant_key(&g.variants[i], keys[i], sizeof keys[i]);
        genes[ngenes++] = keys[i];
    }
    if (rc == GS_OK)
        rc = sim_profile_build(h, obs, nobs, exc, nexc, genes, ngenes, &qp, NULL, err);
    if (rc == GS_OK)
        rc = pool_load(&p, &dc, who, q->exclude_case, now, &nvisible);
    out->candidates = nvisible;

    /* Profiles of the visible cases; hidden ones stay NULL and never reach the scorer. */
    if (rc == GS_OK && ((profiles = calloc(p.n + 1, sizeof *profiles)) == NULL ||
                        (cand = calloc(p.n + 1, sizeof *cand)) == NULL ||
                        (seen = calloc(p.n + 1, sizeof *seen)) == NULL))
        rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    size_t nseen = 0;
    for (size_t i = 0; rc == GS_OK && i < p.n; i++)
        if (p.visible[i] && (rc = case_profile(h, &p.cases[i], &profiles[i], err)) == GS_OK)
            cand[i] = seen[nseen++] = &profiles[i];

    /* IC: annotations, blended with case frequencies over the visible cases only. */
    if (rc == GS_OK && nseen >= MATCH_CASE_IC_MIN_CASES) {
        if ((counts = calloc((size_t)hpo_term_count(h) + 1, sizeof *counts)) == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
        else {
            sim_case_counts(h, seen, nseen, counts);
            rc = sim_weights_blend(h, counts, (int64_t)nseen, SIM_CASE_IC_BLEND, &w, err);
            out->case_ic = true;
        }
    } else if (rc == GS_OK) {
        rc = sim_weights_from_hpo(h, &w, err);
    }
    if (rc == GS_OK && (rc = sim_scorer_new(h, &w, &sc, err)) == GS_OK)
        rc = sim_rank(sc, &qp, cand, p.n, pool_visible, &p, &params, p.n, &ranked, &nranked,
                      &out->informative, err);
    if (rc == GS_OK)
        out->query_ic = sim_scorer_set_query(sc, &qp);

    /* Final score with the variant part, then the top ones explained. */
    if (rc == GS_OK && ((out->items = calloc(nranked + 1, sizeof *out->items)) == NULL ||
                        (shown = calloc(nranked + 1, sizeof *shown)) == NULL))
        rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    for (size_t i = 0; rc == GS_OK && i < nranked; i++) {
        const struct store_case *c = &p.cases[ranked[i].candidate];
        struct match_result *r = &out->items[out->n++];
        r->case_id = c->id;
        r->sub = ranked[i].sub;
        rc = genotype_shared(&g, c, r, err);
        r->phenotype = r->sub.phenotype;
        r->gene = r->nshared_genes > 0 ? params.gene_weight : 0;
        r->variant = r->nshared_variants > 0 ? MATCH_VARIANT_WEIGHT : 0;
        r->score = r->phenotype + r->gene + r->variant;
    }
    if (rc == GS_OK) {
        qsort(out->items, out->n, sizeof *out->items, by_score);
        for (size_t i = (size_t)top; i < out->n; i++) {
            free(out->items[i].shared_genes);
            free(out->items[i].shared_variants);
        }
        if (out->n > (size_t)top)
            out->n = (size_t)top;
    }
    for (size_t i = 0; rc == GS_OK && i < out->n; i++) {
        struct match_result *r = &out->items[i];
        size_t at = 0;
        while (p.cases[at].id != r->case_id) /* present: it came from the pool */
            at++;
        shown[i] = &p.cases[at];
        snprintf(r->label, sizeof r->label, "%s", shown[i]->label);
        r->scope = shown[i]->scope;
        if ((rc = result_names(s, &dc, shown[i], r, err)) == GS_OK)
            rc = explain(sc, h, &profiles[at], &params, r, err);
    }
    if (rc == GS_OK)
        rc = audit_results(s, by, &dc, out, shown, now, err);

    for (size_t i = 0; profiles != NULL && i < p.n; i++)
        sim_profile_free(&profiles[i]);
    free(profiles);
    free(cand);
    free(seen);
    free(shown);
    free(ranked);
    free(counts);
    sim_scorer_free(sc);
    sim_weights_free(&w);
    sim_profile_free(&qp);
    store_case_clear(&g);
    pool_free(&p);
    free(dc.d);
    return rc;
}

int match_search_case(struct store *s, const struct hpo *h, const struct principal *who,
                      const struct actor *by, int64_t id, int top, time_t now,
                      struct match_results *out, struct gs_err *err)
{
    struct store_case c = {0};
    struct store_dataset d;
    memset(out, 0, sizeof *out);
    int rc = cases_read(s, who, by, id, now, &c, &d, err);
    if (rc != GS_OK)
        return rc;
    size_t nf = (size_t)c.nfeatures;
    char(*ids)[HPO_ID_MAX + 4] = malloc((nf + 1) * sizeof *ids);
    const char **obs = malloc((nf + 1) * sizeof *obs), **exc = malloc((nf + 1) * sizeof *exc);
    const char **genes = malloc(((size_t)c.ngenes + 1) * sizeof *genes);
    struct match_query q = {.observed = obs, .excluded = exc, .genes = genes,
                            .variants = c.variants, .nvariants = c.nvariants,
                            .exclude_case = id};
    if (!ids || !obs || !exc || !genes) {
        rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    } else {
        int nobs = 0, nexc = 0;
        for (int i = 0; i < c.nfeatures; i++) {
            snprintf(ids[i], sizeof ids[i], "HP:%07u", (unsigned)c.features[i].hpo);
            if (c.features[i].excluded)
                exc[nexc++] = ids[i];
            else
                obs[nobs++] = ids[i];
        }
        q.nobserved = nobs < MATCH_QUERY_TERMS_MAX ? nobs : MATCH_QUERY_TERMS_MAX;
        q.nexcluded = nexc < MATCH_QUERY_TERMS_MAX - q.nobserved ? nexc
                                                                 : MATCH_QUERY_TERMS_MAX - q.nobserved;
        for (int i = 0; i < c.ngenes; i++)
            genes[q.ngenes++] = c.genes[i].gene_id;
        rc = match_search(s, h, who, by, &q, top, now, out, err);
    }
    free(ids);
    free(obs);
    free(exc);
    free(genes);
    store_case_clear(&c);
    return rc;
}

/* ---- JSON ---- */

static json_t *term_json(const char *id, const char *label)
{
    return id ? json_pack("{s:s, s:s}", "id", id, "label", label ? label : "") : json_null();
}

static json_t *result_json(const struct match_result *r, size_t rank)
{
    json_t *pairs = json_array(), *genes = json_array(), *variants = json_array();
    for (int i = 0; i < r->npairs; i++) {
        const struct match_pair *p = &r->pairs[i];
        json_t *mica = term_json(p->mica_id, p->mica_label);
        if (p->mica_id)
            json_object_set_new(mica, "ic", json_real(p->ic));
        json_array_append_new(pairs, json_pack("{s:o, s:o, s:o}", "query",
                                               term_json(p->query_id, p->query_label), "case",
                                               term_json(p->case_term_id, p->case_term_label),
                                               "mica", mica));
    }
    for (int i = 0; i < r->nshared_genes; i++)
        json_array_append_new(genes, json_pack("{s:s, s:s}", "id", r->shared_genes[i].gene_id,
                                               "symbol", r->shared_genes[i].symbol));
    for (int i = 0; i < r->nshared_variants; i++) {
        const struct store_case_variant *v = &r->shared_variants[i];
        json_array_append_new(variants, json_pack("{s:s, s:s, s:I, s:s, s:s}", "assembly",
                                                  v->assembly, "chrom", v->chrom, "pos",
                                                  (json_int_t)v->pos, "ref", v->ref, "alt", v->alt));
    }
    const struct sim_subscores *u = &r->sub;
    json_t *sub = json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "tversky",
                            u->tversky, "resnik_query", u->resnik_query, "resnik_candidate",
                            u->resnik_candidate, "resnik_bma", u->resnik_bma, "simgic", u->simgic,
                            "cosine", u->cosine, "excluded_shared", u->excluded_shared,
                            "conflict", u->conflict, "shared_ic", u->shared_ic, "candidate_ic",
                            u->candidate_ic);
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:f, s:f, s:f, s:f, s:o, s:o, s:o, s:o}",
                     "rank", (json_int_t)rank, "case_id", (json_int_t)r->case_id, "label",
                     r->label, "dataset", r->dataset, "institution", r->institution, "scope",
                     scope_name(r->scope), "score", r->score, "phenotype_score", r->phenotype,
                     "gene_score", r->gene, "variant_score", r->variant, "subscores", sub,
                     "matched_terms", pairs, "shared_genes", genes, "shared_variants", variants);
}

json_t *match_results_to_json(const struct match_results *r)
{
    json_t *unused = json_array(), *notes = json_array(), *items = json_array();
    for (int i = 0; i < r->nunused && i < MATCH_UNUSED_MAX; i++)
        json_array_append_new(unused, json_pack("{s:s, s:s}", "id", r->unused[i].id, "why",
                                                r->unused[i].why));
    for (int i = 0; i < r->notes.nnotes && i < CASE_NOTES_MAX; i++)
        json_array_append_new(notes, json_string(r->notes.notes[i]));
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(items, result_json(&r->items[i], i + 1));
    return json_pack("{s:b, s:f, s:s, s:I, s:I, s:o, s:o, s:o}", "informative", r->informative,
                     "query_ic", r->query_ic, "ic",
                     r->case_ic ? "annotations+visible cases" : "annotations", "candidates",
                     (json_int_t)r->candidates, "unused_count", (json_int_t)r->nunused, "unused",
                     unused, "notes", notes, "results", items);
}
