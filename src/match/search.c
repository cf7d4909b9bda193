/* search.c — similar-case search: loads the active cases (three table walks), decides each
 * case's visibility before anything is scored, builds profiles of the visible ones, ranks
 * them with similarity.h and explains the top results. Decisions are in search.h. */
#include "match/search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/case_index.h"
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

/* ---- datasets ---- */

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

static bool same_variant(const struct store_case_variant *a, const struct store_case_variant *b)
{
    return strcmp(a->assembly, b->assembly) == 0 && strcmp(a->chrom, b->chrom) == 0 &&
           a->pos == b->pos && strcmp(a->ref, b->ref) == 0 && strcmp(a->alt, b->alt) == 0;
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

/* ---- ranking over the index ---- */

/* The best results so far, best first: (score desc, case id asc), at most cap. */
struct best {
    struct best_item {
        uint32_t slot;
        int64_t id;
        double score;
        struct sim_subscores sub;
    } *items;
    size_t n, cap;
};

static bool better(double score, int64_t id, const struct best_item *than)
{
    return score > than->score || (score == than->score && id < than->id);
}

static void best_offer(struct best *b, uint32_t slot, int64_t id, double score,
                      const struct sim_subscores *sub)
{
    if (b->n == b->cap && !better(score, id, &b->items[b->n - 1]))
        return;
    size_t at = b->n < b->cap ? b->n++ : b->n - 1;
    while (at > 0 && better(score, id, &b->items[at - 1])) {
        b->items[at] = b->items[at - 1];
        at--;
    }
    b->items[at] = (struct best_item){slot, id, score, *sub};
}

/* One search's state over the locked index. */
struct ranking {
    const struct case_index *ix;
    struct sim_scorer *sc;
    const struct sim_profile *q;
    const struct sim_params *params;
    const bool *visible_group;
    uint32_t exclude_slot; /* slot + 1 of the excluded case, 0: none */
    bool enough;           /* the query met the minimum informativeness */
    double min_score;
    unsigned char *scored; /* per slot: scored exactly already */
    size_t nscored;
    struct best best;
};

static bool slot_candidate(const struct ranking *rk, uint32_t slot)
{
    const struct case_slot *sl = &rk->ix->slots[slot];
    return sl->alive && rk->visible_group[sl->group] && slot + 1 != rk->exclude_slot;
}

/* The final score from the subscores: the phenotype, the gene weight when a gene is shared
 * and MATCH_VARIANT_WEIGHT when a variant is (variants are "variant:" keys among genes). */
static double final_score(const struct sim_profile *q, const struct sim_profile *c,
                          const struct sim_params *p, const struct sim_subscores *sub)
{
    bool gene = false, variant = false;
    for (int i = 0, j = 0; sub->shared_genes > 0 && i < q->ngenes && j < c->ngenes;) {
        int d = strcmp(q->genes[i], c->genes[j]);
        if (d == 0) {
            if (strncmp(q->genes[i], "variant:", 8) == 0)
                variant = true;
            else
                gene = true;
        }
        i += d <= 0;
        j += d >= 0;
    }
    return sub->phenotype + (gene ? p->gene_weight : 0) + (variant ? MATCH_VARIANT_WEIGHT : 0);
}

/* Scores one candidate exactly (once) and offers it to the best list. */
static void rank_consider(struct ranking *rk, uint32_t slot)
{
    if (rk->scored[slot] || !slot_candidate(rk, slot))
        return;
    rk->scored[slot] = 1;
    rk->nscored++;
    const struct case_slot *sl = &rk->ix->slots[slot];
    struct sim_subscores sub;
    sim_scorer_score(rk->sc, &sl->profile, rk->params, &sub);
    if (!(sub.total > 0 && (rk->enough || sub.shared_genes > 0)))
        return;
    double score = final_score(rk->q, &sl->profile, rk->params, &sub);
    if (score >= rk->min_score)
        best_offer(&rk->best, slot, sl->id, score, &sub);
}

/* The score a candidate cannot beat, once known: the last kept result's (the list is full)
 * or the minimum asked for. has is false while anything may still enter. */
static double rank_floor(const struct ranking *rk, bool *has)
{
    *has = rk->best.n == rk->best.cap || rk->min_score > 0;
    double floor = rk->min_score;
    if (rk->best.n == rk->best.cap && rk->best.items[rk->best.n - 1].score > floor)
        floor = rk->best.items[rk->best.n - 1].score;
    return floor;
}

/* An upper bound of the hybrid phenotype score of a candidate that shares with the query
 * closure terms of total IC at most shared and of IC at most icmax each, and no gene:
 * Tversky ≤ shared / (α Σq + (1-α) shared) since the candidate's closure holds the shared
 * terms; each Resnik best match is a shared term, so ≤ icmax; the excluded-term part ≤ its
 * weight. A little slack covers rounding in the exact score's different summation order. */
static double phenotype_bound(const struct ranking *rk, double qsum, double shared, double icmax)
{
    double a = SIM_TVERSKY_QUERY_WEIGHT;
    double den = a * qsum + (1 - a) * shared;
    double b = (den > 0 ? shared / den : 0) + icmax / SIM_RESNIK_SCALE +
               (rk->q->nexcluded > 0 ? rk->params->excluded_weight : 0);
    return b * (1 + 1e-9) + 1e-9;
}

struct term_ic {
    int term;
    double ic;
};

static int by_ic_desc(const void *a, const void *b)
{
    const struct term_ic *x = a, *y = b;
    if (x->ic != y->ic)
        return x->ic < y->ic ? 1 : -1;
    return (x->term > y->term) - (x->term < y->term);
}

struct touched {
    uint32_t slot;
    double bound;
};

static int by_bound_desc(const void *a, const void *b)
{
    const struct touched *x = a, *y = b;
    return (x->bound < y->bound) - (x->bound > y->bound);
}

/* The indexed ranking (see match_search_indexed in search.h): gene/variant sharers are
 * scored exactly; then the query's closure terms are walked from the most informative
 * down, scoring their cases exactly until the list is full, afterwards only summing per
 * case the IC it shares; the walk stops when a case reached by none of the walked terms
 * cannot reach the list any more, and the summed cases are scored in order of their bound
 * while the bound can still beat the list. */
static int rank_indexed(struct ranking *rk, const double *ic, double qsum, struct gs_err *err)
{
    const struct case_index *ix = rk->ix;
    const struct sim_profile *q = rk->q;
    for (int i = 0; i < q->ngenes; i++) {
        const struct case_postings *p = case_index_gene(ix, q->genes[i]);
        for (uint32_t j = 0; p != NULL && j < p->n; j++)
            rank_consider(rk, p->slots[j]);
    }
    if (!rk->enough)
        return GS_OK;

    size_t nt = 0, ntouched = 0, captouched = 0;
    struct term_ic *terms = malloc(((size_t)q->nclosure + 1) * sizeof *terms);
    double *suffix = malloc(((size_t)q->nclosure + 2) * sizeof *suffix);
    double *acc = calloc(ix->nslots + 1, sizeof *acc);   /* summed shared IC */
    float *first = calloc(ix->nslots + 1, sizeof *first); /* IC of the first term met */
    struct touched *touched = NULL;
    int rc = GS_OK;
    if (!terms || !suffix || !acc || !first) {
        rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
        goto done;
    }
    for (int i = 0; i < q->nclosure; i++)
        if (ic[q->closure[i]] > 0)
            terms[nt++] = (struct term_ic){q->closure[i], ic[q->closure[i]]};
    qsort(terms, nt, sizeof *terms, by_ic_desc);
    suffix[nt] = 0;
    for (size_t i = nt; i-- > 0;)
        suffix[i] = suffix[i + 1] + terms[i].ic;

    size_t stop = nt;
    for (size_t i = 0; i < nt; i++) {
        bool has;
        double floor = rank_floor(rk, &has);
        if (has && phenotype_bound(rk, qsum, suffix[i], terms[i].ic) < floor) {
            stop = i;
            break;
        }
        bool exact = rk->best.n < rk->best.cap;
        const struct case_postings *p = &ix->terms[terms[i].term];
        for (uint32_t j = 0; j < p->n; j++) {
            uint32_t slot = p->slots[j];
            if (exact) {
                rank_consider(rk, slot);
                continue;
            }
            if (rk->scored[slot] || !slot_candidate(rk, slot))
                continue;
            if (first[slot] == 0) {
                if (ntouched == captouched) {
                    captouched = captouched ? captouched * 2 : 1024;
                    struct touched *grown = realloc(touched, captouched * sizeof *grown);
                    if (grown == NULL) {
                        rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
                        goto done;
                    }
                    touched = grown;
                }
                touched[ntouched++].slot = slot;
                /* Rounded up so the bound stays a bound. */
                first[slot] = (float)(terms[i].ic * (1 + 1e-6));
            }
            acc[slot] += terms[i].ic;
        }
    }
    double rest = suffix[stop];
    for (size_t i = 0; i < ntouched; i++) {
        uint32_t slot = touched[i].slot;
        touched[i].bound = phenotype_bound(rk, qsum, acc[slot] + rest, first[slot]);
    }
    if (ntouched > 0)
        qsort(touched, ntouched, sizeof *touched, by_bound_desc);
    for (size_t i = 0; i < ntouched; i++) {
        bool has;
        double floor = rank_floor(rk, &has);
        if (has && touched[i].bound < floor)
            break;
        rank_consider(rk, touched[i].slot);
    }
done:
    free(terms);
    free(suffix);
    free(acc);
    free(first);
    free(touched);
    return rc;
}

/* Decides each group's visibility (the one access decision, once per group) and counts
 * the visible live cases; the excluded case is neither visible nor counted. */
static int decide_groups(struct store *s, struct dataset_cache *dc, const struct case_index *ix,
                         const struct principal *who, time_t now, bool *visible,
                         size_t *nvisible, struct gs_err *err)
{
    *nvisible = 0;
    for (size_t g = 0; g < ix->ngroups; g++) {
        const struct case_group *grp = &ix->groups[g];
        const struct store_dataset *d;
        struct access_decision v;
        visible[g] = false;
        if (grp->alive == 0)
            continue;
        int rc = dataset_cached(s, dc, grp->dataset_id, &d, err);
        if (rc == GS_OK)
            rc = access_check_read(s, who, d, grp->institution_id, grp->scope, now, &v, err);
        if (rc != GS_OK)
            return rc;
        visible[g] = v.allowed;
        if (v.allowed)
            *nvisible += (size_t)grp->alive;
    }
    return GS_OK;
}

/* IC weights: annotations, blended with case frequencies over the visible cases only (the
 * per-group counts summed), as search.h says. */
static int search_weights(const struct hpo *h, const struct case_index *ix, const bool *visible,
                          const struct case_slot *excluded, size_t nvisible, bool annotation_only,
                          struct sim_weights *w, bool *case_ic, struct gs_err *err)
{
    *case_ic = false;
    if (annotation_only || nvisible < MATCH_CASE_IC_MIN_CASES)
        return sim_weights_from_hpo(h, w, err);
    int nterms = hpo_term_count(h);
    int64_t *counts = calloc((size_t)nterms + 1, sizeof *counts);
    if (counts == NULL)
        return gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    for (size_t g = 0; g < ix->ngroups; g++)
        if (visible[g])
            for (int t = 0; t < nterms; t++)
                counts[t] += ix->groups[g].counts[t];
    if (excluded != NULL)
        for (int j = 0; j < excluded->profile.nclosure; j++)
            counts[excluded->profile.closure[j]]--;
    int rc = sim_weights_blend(h, counts, (int64_t)nvisible, SIM_CASE_IC_BLEND, w, err);
    *case_ic = rc == GS_OK;
    free(counts);
    return rc;
}

/* Builds the query profile from q (ids resolved, genotype normalised); g gets the
 * normalised genes and variants (the caller clears it). */
static int query_profile(struct store *s, const struct hpo *h, const struct match_query *q,
                         struct store_case *g, struct sim_profile *qp, struct match_results *out,
                         struct gs_err *err)
{
    const char *obs[MATCH_QUERY_TERMS_MAX], *exc[MATCH_QUERY_TERMS_MAX];
    const char *genes[CASE_GENES_MAX + CASE_VARIANTS_MAX];
    char(*keys)[CASE_VARIANT_KEY_MAX] = malloc((CASE_VARIANTS_MAX + 1) * sizeof *keys);
    int nobs = 0, nexc = 0, ngenes = 0;
    if (keys == NULL)
        return gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    query_terms(h, q->observed, q->nobserved, "hpo", obs, &nobs, out);
    query_terms(h, q->excluded, q->nexcluded, "excluded", exc, &nexc, out);
    int rc = query_genotype(s, q, g, &out->notes, err);
    for (int i = 0; rc == GS_OK && i < g->ngenes; i++)
        genes[ngenes++] = g->genes[i].gene_id;
    for (int i = 0; rc == GS_OK && i < g->nvariants; i++) {
        case_variant_key(&g->variants[i], keys[i], sizeof keys[i]);
        genes[ngenes++] = keys[i];
    }
    if (rc == GS_OK)
        rc = sim_profile_build(h, obs, nobs, exc, nexc, genes, ngenes, qp, NULL, err);
    free(keys);
    return rc;
}

/* Fills the kept results: the case rows (current), shared genotype, names, explanation. */
static int fill_results(struct store *s, const struct hpo *h, struct dataset_cache *dc,
                        const struct ranking *rk, const struct store_case *g,
                        struct store_case *shown, struct match_results *out, struct gs_err *err)
{
    int rc = GS_OK;
    for (size_t i = 0; rc == GS_OK && i < rk->best.n; i++) {
        const struct best_item *b = &rk->best.items[i];
        struct store_case *c = &shown[out->n];
        if ((rc = store_case_get(s, b->id, c, err)) != GS_OK)
            break;
        if (c->state != CASE_ACTIVE) { /* withdrawn since the index was synced */
            store_case_clear(c);
            continue;
        }
        struct match_result *r = &out->items[out->n++];
        r->case_id = c->id;
        r->sub = b->sub;
        snprintf(r->label, sizeof r->label, "%s", c->label);
        r->scope = c->scope;
        if ((rc = genotype_shared(g, c, r, err)) != GS_OK)
            break;
        r->phenotype = r->sub.phenotype;
        r->gene = r->nshared_genes > 0 ? rk->params->gene_weight : 0;
        r->variant = r->nshared_variants > 0 ? MATCH_VARIANT_WEIGHT : 0;
        r->score = r->phenotype + r->gene + r->variant;
        if ((rc = result_names(s, dc, c, r, err)) == GS_OK)
            rc = explain(rk->sc, h, &rk->ix->slots[b->slot].profile, rk->params, r, err);
    }
    return rc;
}

/* The search over an index that exists (see match_search_indexed). */
static int search_index(struct case_index *ix, struct store *s, const struct hpo *h,
                        const struct principal *who, const struct actor *by,
                        const struct match_query *q, int top, const struct match_options *opt,
                        time_t now, struct match_results *out, struct gs_err *err)
{
    static const struct match_options defaults = {0};
    memset(out, 0, sizeof *out);
    if (opt == NULL)
        opt = &defaults;
    if (top < 1 || top > MATCH_TOP_MAX)
        return gs_err_set(err, GS_EINVAL, "top must be 1 to %d", MATCH_TOP_MAX);
    if (q->nobserved + q->nexcluded + q->ngenes + q->nvariants == 0)
        return gs_err_set(err, GS_EINVAL, "a match query needs at least one HPO term, gene or "
                          "variant");
    if (q->nobserved < 0 || q->nexcluded < 0 || q->nobserved + q->nexcluded > MATCH_QUERY_TERMS_MAX)
        return gs_err_set(err, GS_EINVAL, "a match query holds at most %d HPO terms",
                          MATCH_QUERY_TERMS_MAX);

    struct dataset_cache dc = {0};
    struct store_case g = {0}, *shown = NULL;
    struct sim_profile qp = {0};
    struct sim_weights w = {0};
    struct sim_params params = sim_params_default();
    struct ranking rk = {.ix = ix, .q = &qp, .params = &params, .min_score = opt->min_score};
    bool *visible = NULL, locked = false;
    size_t nvisible = 0;

    int rc = query_profile(s, h, q, &g, &qp, out, err);
    if (rc == GS_OK && !opt->no_sync)
        rc = case_index_sync(ix, s, err);
    if (rc == GS_OK) {
        case_index_read_lock(ix);
        locked = true;
        if ((visible = calloc(ix->ngroups + 1, sizeof *visible)) == NULL ||
            (rk.scored = calloc(ix->nslots + 1, 1)) == NULL ||
            (rk.best.items = calloc((size_t)top, sizeof *rk.best.items)) == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
        rk.best.cap = (size_t)top;
    }
    if (rc == GS_OK)
        rc = decide_groups(s, &dc, ix, who, now, visible, &nvisible, err);
    const struct case_slot *excluded = NULL;
    if (rc == GS_OK && q->exclude_case > 0 && (size_t)q->exclude_case < ix->nids &&
        ix->slot_of_id[q->exclude_case] != 0) {
        rk.exclude_slot = ix->slot_of_id[q->exclude_case];
        excluded = &ix->slots[rk.exclude_slot - 1];
        if (excluded->alive && visible[excluded->group])
            nvisible--;
        else
            excluded = NULL;
    }
    out->candidates = nvisible;
    rk.visible_group = visible;
    if (rc == GS_OK)
        rc = search_weights(h, ix, visible, excluded, nvisible, opt->annotation_ic, &w,
                            &out->case_ic, err);
    if (rc == GS_OK && (rc = sim_scorer_new(h, &w, &rk.sc, err)) == GS_OK) {
        out->query_ic = sim_scorer_set_query(rk.sc, &qp);
        out->informative = rk.enough = out->query_ic >= params.min_query_ic;
        if (opt->exhaustive || params.method != SIM_METHOD_HYBRID || params.conflict_weight < 0) {
            for (uint32_t i = 0; i < ix->nslots; i++)
                rank_consider(&rk, i);
        } else {
            rc = rank_indexed(&rk, w.ic, out->query_ic, err);
        }
        out->scored = rk.nscored;
    }
    if (rc == GS_OK && ((out->items = calloc(rk.best.n + 1, sizeof *out->items)) == NULL ||
                        (shown = calloc(rk.best.n + 1, sizeof *shown)) == NULL))
        rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    if (rc == GS_OK)
        rc = fill_results(s, h, &dc, &rk, &g, shown, out, err);
    if (locked)
        case_index_unlock(ix);
    if (rc == GS_OK)
        qsort(out->items, out->n, sizeof *out->items, by_score); /* already so, unless the
                                                                   * store changed meanwhile */
    if (rc == GS_OK && by != NULL) {
        const struct store_case **list = calloc(out->n + 1, sizeof *list);
        for (size_t i = 0; list != NULL && i < out->n; i++)
            for (size_t j = 0; j < out->n; j++)
                if (shown[j].id == out->items[i].case_id)
                    list[i] = &shown[j];
        rc = list ? audit_results(s, by, &dc, out, list, now, err)
                  : gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
        free(list);
    }

    for (size_t i = 0; shown != NULL && i < rk.best.n; i++)
        store_case_clear(&shown[i]);
    free(shown);
    free(visible);
    free(rk.scored);
    free(rk.best.items);
    sim_scorer_free(rk.sc);
    sim_weights_free(&w);
    sim_profile_free(&qp);
    store_case_clear(&g);
    free(dc.d);
    return rc;
}

int match_search_indexed(struct case_index *ix, struct store *s, const struct hpo *h,
                         const struct principal *who, const struct actor *by,
                         const struct match_query *q, int top, const struct match_options *opt,
                         time_t now, struct match_results *out, struct gs_err *err)
{
    if (ix != NULL)
        return search_index(ix, s, h, who, by, q, top, opt, now, out, err);
    struct case_index *own;
    memset(out, 0, sizeof *out);
    int rc = case_index_new(h, &own, err);
    if (rc == GS_OK)
        rc = search_index(own, s, h, who, by, q, top, opt, now, out, err);
    case_index_free(own);
    return rc;
}

int match_search(struct store *s, const struct hpo *h, const struct principal *who,
                 const struct actor *by, const struct match_query *q, int top, time_t now,
                 struct match_results *out, struct gs_err *err)
{
    return match_search_indexed(NULL, s, h, who, by, q, top, NULL, now, out, err);
}

int match_search_like(struct case_index *ix, struct store *s, const struct hpo *h,
                      const struct principal *who, const struct actor *by,
                      const struct store_case *c, int top, const struct match_options *opt,
                      time_t now, struct match_results *out, struct gs_err *err)
{
    int rc = GS_OK;
    size_t nf = (size_t)c->nfeatures;
    memset(out, 0, sizeof *out);
    char(*ids)[HPO_ID_MAX + 4] = malloc((nf + 1) * sizeof *ids);
    const char **obs = malloc((nf + 1) * sizeof *obs), **exc = malloc((nf + 1) * sizeof *exc);
    const char **genes = malloc(((size_t)c->ngenes + 1) * sizeof *genes);
    struct match_query q = {.observed = obs, .excluded = exc, .genes = genes,
                            .variants = c->variants, .nvariants = c->nvariants,
                            .exclude_case = c->id};
    if (!ids || !obs || !exc || !genes) {
        rc = gs_err_set(err, GS_ENOMEM, "similar-case search: out of memory");
    } else {
        int nobs = 0, nexc = 0;
        for (int i = 0; i < c->nfeatures; i++) {
            snprintf(ids[i], sizeof ids[i], "HP:%07u", (unsigned)c->features[i].hpo);
            if (c->features[i].excluded)
                exc[nexc++] = ids[i];
            else
                obs[nobs++] = ids[i];
        }
        q.nobserved = nobs < MATCH_QUERY_TERMS_MAX ? nobs : MATCH_QUERY_TERMS_MAX;
        q.nexcluded = nexc < MATCH_QUERY_TERMS_MAX - q.nobserved ? nexc
                                                                 : MATCH_QUERY_TERMS_MAX - q.nobserved;
        for (int i = 0; i < c->ngenes; i++)
            genes[q.ngenes++] = c->genes[i].gene_id;
        rc = match_search_indexed(ix, s, h, who, by, &q, top, opt, now, out, err);
    }
    free(ids);
    free(obs);
    free(exc);
    free(genes);
    return rc;
}

int match_search_case_indexed(struct case_index *ix, struct store *s, const struct hpo *h,
                              const struct principal *who, const struct actor *by, int64_t id,
                              int top, const struct match_options *opt, time_t now,
                              struct match_results *out, struct gs_err *err)
{
    struct store_case c = {0};
    struct store_dataset d;
    memset(out, 0, sizeof *out);
    int rc = cases_read(s, who, by, id, now, &c, &d, err);
    if (rc == GS_OK)
        rc = match_search_like(ix, s, h, who, by, &c, top, opt, now, out, err);
    store_case_clear(&c);
    return rc;
}

int match_search_case(struct store *s, const struct hpo *h, const struct principal *who,
                      const struct actor *by, int64_t id, int top, time_t now,
                      struct match_results *out, struct gs_err *err)
{
    return match_search_case_indexed(NULL, s, h, who, by, id, top, NULL, now, out, err);
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
