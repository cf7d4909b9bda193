/* case_index.c — the in-memory case index: slots of profiles, visibility groups with their
 * term counts, inverted lists by term and by gene/variant key, and its loading (a full load
 * in four table walks, then only the cases changed since). Decisions are in case_index.h. */
#include "match/case_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_match.h"

/* One key of the gene table: a canonical gene id or a variant key, and its slots. */
struct case_gene_list {
    char *key; /* NULL: empty bucket */
    struct case_postings list;
};

static int nomem(struct gs_err *err)
{
    return gs_err_set(err, GS_ENOMEM, "case index: out of memory");
}

void case_variant_key(const struct store_case_variant *v, char *out, size_t size)
{
    snprintf(out, size, "variant:%s:%s:%lld:%s:%s", v->assembly, v->chrom, (long long)v->pos,
             v->ref, v->alt);
}

static int postings_add(struct case_postings *p, uint32_t slot)
{
    if (p->n == p->cap) {
        uint32_t cap = p->cap ? p->cap * 2 : 4;
        uint32_t *grown = realloc(p->slots, cap * sizeof *grown);
        if (grown == NULL)
            return GS_ENOMEM;
        p->slots = grown;
        p->cap = cap;
    }
    p->slots[p->n++] = slot;
    return GS_OK;
}

/* FNV-1a: the keys are short ASCII ids. */
static size_t key_hash(const char *key)
{
    uint64_t x = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        x = (x ^ *p) * 1099511628211ULL;
    return (size_t)x;
}

static struct case_gene_list *gene_find(const struct case_index *ix, const char *key)
{
    if (ix->capgenes == 0)
        return NULL;
    for (size_t i = key_hash(key) & (ix->capgenes - 1);; i = (i + 1) & (ix->capgenes - 1)) {
        if (ix->genes[i].key == NULL || strcmp(ix->genes[i].key, key) == 0)
            return &ix->genes[i];
    }
}

static int genes_grow(struct case_index *ix)
{
    size_t cap = ix->capgenes ? ix->capgenes * 2 : 1024;
    struct case_gene_list *old = ix->genes;
    size_t oldcap = ix->capgenes;
    if ((ix->genes = calloc(cap, sizeof *ix->genes)) == NULL) {
        ix->genes = old;
        return GS_ENOMEM;
    }
    ix->capgenes = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key != NULL)
            *gene_find(ix, old[i].key) = old[i];
    free(old);
    return GS_OK;
}

const struct case_postings *case_index_gene(const struct case_index *ix, const char *key)
{
    const struct case_gene_list *g = gene_find(ix, key);
    return g != NULL && g->key != NULL ? &g->list : NULL;
}

static int gene_add(struct case_index *ix, const char *key, uint32_t slot)
{
    if ((ix->ngenes + 1) * 2 > ix->capgenes && genes_grow(ix) != GS_OK)
        return GS_ENOMEM;
    struct case_gene_list *g = gene_find(ix, key);
    if (g->key == NULL) {
        if ((g->key = strdup(key)) == NULL)
            return GS_ENOMEM;
        ix->ngenes++;
    }
    return postings_add(&g->list, slot);
}

/* ---- lifetime ---- */

int case_index_new(const struct hpo *h, struct case_index **out, struct gs_err *err)
{
    struct case_index *ix = calloc(1, sizeof *ix);
    *out = NULL;
    if (ix == NULL)
        return nomem(err);
    ix->h = h;
    if ((ix->terms = calloc((size_t)hpo_term_count(h) + 1, sizeof *ix->terms)) == NULL) {
        free(ix);
        return nomem(err);
    }
    pthread_rwlock_init(&ix->lock, NULL);
    *out = ix;
    return GS_OK;
}

/* Empties the index (kept usable: the lock and the term array stay). */
static void index_clear(struct case_index *ix)
{
    for (size_t i = 0; i < ix->nslots; i++)
        sim_profile_free(&ix->slots[i].profile);
    free(ix->slots);
    free(ix->slot_of_id);
    for (size_t i = 0; i < ix->ngroups; i++)
        free(ix->groups[i].counts);
    free(ix->groups);
    for (int t = 0; t < hpo_term_count(ix->h); t++) {
        free(ix->terms[t].slots);
        memset(&ix->terms[t], 0, sizeof ix->terms[t]);
    }
    for (size_t i = 0; i < ix->capgenes; i++) {
        free(ix->genes[i].key);
        free(ix->genes[i].list.slots);
    }
    free(ix->genes);
    ix->slots = NULL;
    ix->slot_of_id = NULL;
    ix->groups = NULL;
    ix->genes = NULL;
    ix->nslots = ix->capslots = ix->ndead = ix->nids = ix->ngroups = 0;
    ix->capgenes = ix->ngenes = 0;
    ix->loaded = false;
    ix->generation = 0;
}

void case_index_free(struct case_index *ix)
{
    if (ix == NULL)
        return;
    index_clear(ix);
    free(ix->terms);
    pthread_rwlock_destroy(&ix->lock);
    free(ix);
}

void case_index_read_lock(struct case_index *ix) { pthread_rwlock_rdlock(&ix->lock); }
void case_index_unlock(struct case_index *ix) { pthread_rwlock_unlock(&ix->lock); }

size_t case_index_count(struct case_index *ix)
{
    pthread_rwlock_rdlock(&ix->lock);
    size_t n = ix->nslots - ix->ndead;
    pthread_rwlock_unlock(&ix->lock);
    return n;
}

void case_index_set_generation(struct case_index *ix, int64_t generation)
{
    pthread_rwlock_wrlock(&ix->lock);
    ix->generation = generation;
    ix->loaded = true;
    pthread_rwlock_unlock(&ix->lock);
}

/* ---- slots ---- */

static int group_of(struct case_index *ix, const struct store_case *c, uint32_t *out)
{
    for (size_t i = 0; i < ix->ngroups; i++) {
        const struct case_group *g = &ix->groups[i];
        if (g->dataset_id == c->dataset_id && g->institution_id == c->institution_id &&
            g->scope == c->scope) {
            *out = (uint32_t)i;
            return GS_OK;
        }
    }
    struct case_group *grown = realloc(ix->groups, (ix->ngroups + 1) * sizeof *grown);
    if (grown == NULL)
        return GS_ENOMEM;
    ix->groups = grown;
    struct case_group *g = &ix->groups[ix->ngroups];
    memset(g, 0, sizeof *g);
    g->dataset_id = c->dataset_id;
    g->institution_id = c->institution_id;
    g->scope = c->scope;
    if ((g->counts = calloc((size_t)hpo_term_count(ix->h) + 1, sizeof *g->counts)) == NULL)
        return GS_ENOMEM;
    *out = (uint32_t)ix->ngroups++;
    return GS_OK;
}

static void slot_kill(struct case_index *ix, uint32_t slot)
{
    struct case_slot *sl = &ix->slots[slot];
    if (!sl->alive)
        return;
    struct case_group *g = &ix->groups[sl->group];
    for (int j = 0; j < sl->profile.nclosure; j++)
        g->counts[sl->profile.closure[j]]--;
    g->alive--;
    sl->alive = false;
    sim_profile_free(&sl->profile); /* postings still name the slot: skipped as dead */
    ix->ndead++;
}

/* Takes ownership of *p (zeroed on return, also on failure). */
static int slot_add(struct case_index *ix, const struct store_case *c, struct sim_profile *p)
{
    int rc = GS_OK;
    uint32_t group = 0;
    if ((size_t)c->id >= ix->nids) {
        size_t n = (size_t)c->id * 2 + 1024;
        uint32_t *grown = realloc(ix->slot_of_id, n * sizeof *grown);
        if (grown == NULL) {
            rc = GS_ENOMEM;
            goto done;
        }
        memset(grown + ix->nids, 0, (n - ix->nids) * sizeof *grown);
        ix->slot_of_id = grown;
        ix->nids = n;
    }
    if (ix->slot_of_id[c->id] != 0)
        slot_kill(ix, ix->slot_of_id[c->id] - 1);
    if (ix->nslots == ix->capslots) {
        size_t cap = ix->capslots ? ix->capslots * 2 : 1024;
        struct case_slot *grown = realloc(ix->slots, cap * sizeof *grown);
        if (grown == NULL) {
            rc = GS_ENOMEM;
            goto done;
        }
        ix->slots = grown;
        ix->capslots = cap;
    }
    if ((rc = group_of(ix, c, &group)) != GS_OK)
        goto done;
    uint32_t slot = (uint32_t)ix->nslots;
    for (int j = 0; rc == GS_OK && j < p->nclosure; j++)
        rc = postings_add(&ix->terms[p->closure[j]], slot);
    for (int j = 0; rc == GS_OK && j < p->ngenes; j++)
        rc = gene_add(ix, p->genes[j], slot);
    /* The slot exists from here even if a list failed above: a dead slot is harmless. */
    struct case_slot *sl = &ix->slots[ix->nslots++];
    sl->id = c->id;
    sl->group = group;
    sl->profile = *p;
    sl->alive = true;
    memset(p, 0, sizeof *p);
    ix->slot_of_id[c->id] = slot + 1;
    struct case_group *g = &ix->groups[group];
    for (int j = 0; j < sl->profile.nclosure; j++)
        g->counts[sl->profile.closure[j]]++;
    g->alive++;
    if (rc != GS_OK)
        slot_kill(ix, slot);
done:
    sim_profile_free(p);
    return rc;
}

/* A profile from stored features (HP numbers) and genotype keys (gene ids, variant keys). */
static int profile_of(const struct hpo *h, const struct store_case_feature *features, int nf,
                      const char *const *keys, int nkeys, struct sim_profile *out,
                      struct gs_err *err)
{
    int *obs = malloc(((size_t)nf + 1) * sizeof *obs);
    int *exc = malloc(((size_t)nf + 1) * sizeof *exc);
    int nobs = 0, nexc = 0, rc;
    memset(out, 0, sizeof *out);
    if (!obs || !exc) {
        rc = nomem(err);
        goto done;
    }
    for (int i = 0; i < nf; i++) {
        /* Stored ids were checked on write; a later release's unknowns are skipped as the
         * similarity module does (the case's own page shows them). */
        int t = hpo_term_find(h, features[i].hpo, NULL);
        if (t < 0)
            continue;
        if (features[i].excluded)
            exc[nexc++] = t;
        else
            obs[nobs++] = t;
    }
    rc = sim_profile_from_terms(h, obs, nobs, exc, nexc, keys, nkeys, out, err);
done:
    free(obs);
    free(exc);
    return rc;
}

/* The profile of a case whose lists are filled. */
static int case_profile(const struct hpo *h, const struct store_case *c, struct sim_profile *out,
                        struct gs_err *err)
{
    size_t ng = (size_t)c->ngenes + (size_t)c->nvariants;
    char(*keys)[CASE_VARIANT_KEY_MAX] = malloc(((size_t)c->nvariants + 1) * sizeof *keys);
    const char **genes = malloc((ng + 1) * sizeof *genes);
    int ngenes = 0, rc;
    memset(out, 0, sizeof *out);
    if (!keys || !genes) {
        rc = nomem(err);
        goto done;
    }
    for (int i = 0; i < c->ngenes; i++)
        genes[ngenes++] = c->genes[i].gene_id;
    for (int i = 0; i < c->nvariants; i++) {
        case_variant_key(&c->variants[i], keys[i], sizeof keys[i]);
        genes[ngenes++] = keys[i];
    }
    rc = profile_of(h, c->features, c->nfeatures, genes, ngenes, out, err);
done:
    free(keys);
    free(genes);
    return rc;
}

/* Adds or replaces the slot of active case c (its row fields) with profile p (taken). */
static int put_profile(struct case_index *ix, const struct store_case *c, struct sim_profile *p,
                       struct gs_err *err)
{
    if (c->id <= 0 || c->id > INT32_MAX) {
        sim_profile_free(p);
        return gs_err_set(err, GS_EINVAL, "case index: case id %lld out of range",
                          (long long)c->id);
    }
    return slot_add(ix, c, p) == GS_OK ? GS_OK : nomem(err);
}

static int put_locked(struct case_index *ix, const struct store_case *c, struct gs_err *err)
{
    if (c->id <= 0 || c->id > INT32_MAX)
        return gs_err_set(err, GS_EINVAL, "case index: case id %lld out of range",
                          (long long)c->id);
    if (c->state != CASE_ACTIVE) {
        if ((size_t)c->id < ix->nids && ix->slot_of_id[c->id] != 0) {
            slot_kill(ix, ix->slot_of_id[c->id] - 1);
            ix->slot_of_id[c->id] = 0;
        }
        return GS_OK;
    }
    struct sim_profile p;
    int rc = case_profile(ix->h, c, &p, err);
    if (rc != GS_OK) {
        sim_profile_free(&p);
        return rc;
    }
    return put_profile(ix, c, &p, err);
}

int case_index_put(struct case_index *ix, const struct store_case *c, struct gs_err *err)
{
    pthread_rwlock_wrlock(&ix->lock);
    int rc = put_locked(ix, c, err);
    pthread_rwlock_unlock(&ix->lock);
    return rc;
}

/* ---- loading from the store ---- */

/* A full load: case rows first, then the gene and variant rows kept aside, then the feature
 * walk (ordered by case id) completes one case at a time. */
struct loader {
    struct case_index *ix;
    struct gs_err *err;
    struct loader_row {
        int64_t id, dataset_id, institution_id;
        enum scope scope;
    } *rows;                     /* the active cases' rows, in id order */
    size_t nrows, caprows, next; /* next: the first row not yet put */
    /* genotype keys of all cases (gene ids, variant keys), in case id order */
    char **keys;
    int64_t *key_case;
    size_t key_at, nkeys, capkeys;
    struct store_case cur;       /* the case being completed */
};

static int loader_row(void *ctx, const struct store_case *c)
{
    struct loader *l = ctx;
    if (l->nrows == l->caprows) {
        size_t cap = l->caprows ? l->caprows * 2 : 1024;
        struct loader_row *grown = realloc(l->rows, cap * sizeof *grown);
        if (grown == NULL)
            return nomem(l->err);
        l->rows = grown;
        l->caprows = cap;
    }
    l->rows[l->nrows++] = (struct loader_row){c->id, c->dataset_id, c->institution_id, c->scope};
    return GS_OK;
}

static int loader_key(struct loader *l, int64_t case_id, const char *key)
{
    if (l->nkeys == l->capkeys) {
        size_t cap = l->capkeys ? l->capkeys * 2 : 1024;
        char **k = realloc(l->keys, cap * sizeof *k);
        if (k != NULL)
            l->keys = k;
        int64_t *c = realloc(l->key_case, cap * sizeof *c);
        if (c != NULL)
            l->key_case = c;
        if (k == NULL || c == NULL)
            return nomem(l->err);
        l->capkeys = cap;
    }
    if ((l->keys[l->nkeys] = strdup(key)) == NULL)
        return nomem(l->err);
    l->key_case[l->nkeys++] = case_id;
    return GS_OK;
}

static int loader_gene(void *ctx, int64_t case_id, const struct store_case_gene *g)
{
    return loader_key(ctx, case_id, g->gene_id);
}

static int loader_variant(void *ctx, int64_t case_id, const struct store_case_variant *v)
{
    char key[CASE_VARIANT_KEY_MAX];
    case_variant_key(v, key, sizeof key);
    return loader_key(ctx, case_id, key);
}

/* Orders the keys by case id, keeping the walk order within a case (a stable merge sort):
 * genes and variants come from two walks, each ordered by case id. */
static int loader_sort_keys(struct loader *l)
{
    size_t n = l->nkeys;
    char **k2 = malloc((n + 1) * sizeof *k2);
    int64_t *c2 = malloc((n + 1) * sizeof *c2);
    if (k2 == NULL || c2 == NULL) {
        free(k2);
        free(c2);
        return nomem(l->err);
    }
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid || j < hi) {
                size_t from =
                    (j >= hi || (i < mid && l->key_case[i] <= l->key_case[j])) ? i++ : j++;
                k2[o] = l->keys[from];
                c2[o++] = l->key_case[from];
            }
        }
        memcpy(l->keys, k2, n * sizeof *k2);
        memcpy(l->key_case, c2, n * sizeof *c2);
    }
    free(k2);
    free(c2);
    return GS_OK;
}

/* Puts rows up to (not including) case id `before` (INT64_MAX: all) with their genotype
 * keys; l->cur holds the features of the row whose id equals cur.id. */
static int loader_flush(struct loader *l, int64_t before)
{
    int rc = GS_OK;
    while (rc == GS_OK && l->next < l->nrows && l->rows[l->next].id < before) {
        const struct loader_row *r = &l->rows[l->next++];
        const struct store_case_feature *f = NULL;
        int nf = 0;
        if (l->cur.id == r->id) {
            f = l->cur.features;
            nf = l->cur.nfeatures;
        }
        while (l->key_at < l->nkeys && l->key_case[l->key_at] < r->id)
            l->key_at++;
        size_t k0 = l->key_at;
        while (l->key_at < l->nkeys && l->key_case[l->key_at] == r->id)
            l->key_at++;
        struct sim_profile p;
        rc = profile_of(l->ix->h, f, nf, (const char *const *)l->keys + k0,
                        (int)(l->key_at - k0), &p, l->err);
        struct store_case c; /* the fields slot_add reads */
        c.id = r->id;
        c.dataset_id = r->dataset_id;
        c.institution_id = r->institution_id;
        c.scope = r->scope;
        if (rc == GS_OK)
            rc = put_profile(l->ix, &c, &p, l->err);
        else
            sim_profile_free(&p);
    }
    return rc;
}

static int loader_feature(void *ctx, int64_t case_id, const struct store_case_feature *f)
{
    struct loader *l = ctx;
    int rc = GS_OK;
    if (case_id != l->cur.id) {
        if ((rc = loader_flush(l, case_id)) != GS_OK)
            return rc;
        l->cur.nfeatures = 0;
        l->cur.id = case_id;
    }
    return store_case_push_feature(&l->cur, f, l->err);
}

static int load_all(struct case_index *ix, struct store *s, struct gs_err *err)
{
    struct loader l = {.ix = ix, .err = err};
    int rc = store_case_each(s, 0, false, loader_row, &l, err);
    if (rc == GS_OK)
        rc = store_match_genes_each(s, loader_gene, &l, err);
    if (rc == GS_OK)
        rc = store_match_variants_each(s, loader_variant, &l, err);
    if (rc == GS_OK)
        rc = loader_sort_keys(&l);
    if (rc == GS_OK)
        rc = store_match_features_each(s, loader_feature, &l, err);
    if (rc == GS_OK)
        rc = loader_flush(&l, INT64_MAX);
    /* The lists grew by doubling: give back the slack (a third of their memory on average)
     * now that the bulk is in; later writes grow them again. */
    for (int t = 0; rc == GS_OK && t < hpo_term_count(ix->h); t++) {
        struct case_postings *p = &ix->terms[t];
        uint32_t *fit = p->n > 0 && p->n < p->cap ? realloc(p->slots, p->n * sizeof *fit) : NULL;
        if (fit != NULL) {
            p->slots = fit;
            p->cap = p->n;
        }
    }
    free(l.rows);
    for (size_t i = 0; i < l.nkeys; i++)
        free(l.keys[i]);
    free(l.keys);
    free(l.key_case);
    store_case_clear(&l.cur);
    return rc;
}

struct refresher {
    struct case_index *ix;
    struct store *s;
    struct gs_err *err;
};

static int refresh_case(void *ctx, int64_t id)
{
    struct refresher *r = ctx;
    struct store_case c = {0};
    int rc = store_case_get(r->s, id, &c, r->err);
    if (rc == GS_OK)
        rc = put_locked(r->ix, &c, r->err);
    store_case_clear(&c);
    return rc;
}

int case_index_sync(struct case_index *ix, struct store *s, struct gs_err *err)
{
    int64_t gen;
    int rc = store_match_generation(s, &gen, err);
    if (rc != GS_OK)
        return rc;
    pthread_rwlock_rdlock(&ix->lock);
    bool fresh = ix->loaded && ix->generation == gen;
    pthread_rwlock_unlock(&ix->lock);
    if (fresh)
        return GS_OK;
    pthread_rwlock_wrlock(&ix->lock);
    if (!ix->loaded || ix->generation != gen) {
        /* A counter that went back (a restored store) or many dead slots: start over. */
        bool full = !ix->loaded || gen < ix->generation || ix->ndead * 4 > ix->nslots + 1024;
        if (full) {
            index_clear(ix);
            rc = load_all(ix, s, err);
        } else {
            struct refresher r = {ix, s, err};
            rc = store_match_changed_each(s, ix->generation, gen, refresh_case, &r, err);
        }
        if (rc == GS_OK) {
            ix->generation = gen;
            ix->loaded = true;
        } else {
            index_clear(ix); /* the next sync loads from scratch */
        }
    }
    pthread_rwlock_unlock(&ix->lock);
    return rc;
}
