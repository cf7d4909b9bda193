/* hpo.c — the in-memory ontology: the builder every reader feeds, id resolution, the is-a
 * graph in CSR form, precomputed sorted ancestor sets, and MICA. Parsing lives in
 * hpo_obographs.c / hpo_obo.c, IC in hpo_annotations.c, Japanese labels in
 * hpo_labels_ja.c. See hpo.h for the representation and its memory cost. */
#include "pheno/hpo.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pheno/hpo_internal.h"

/* ---- the struct ---- */

struct raw_term {
    uint32_t number;
    int line;
    const char *label;
    bool obsolete;
};
struct raw_link {
    uint32_t from, to;
    int line;
    enum hpo__link_kind kind;
};
struct raw_synonym {
    uint32_t number;
    const char *text;
};

/* Strings live in blocks that never move, so pointers stay valid until hpo_free. */
struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    char data[];
};
#define ARENA_BLOCK 65536

struct hpo {
    char *version;
    bool finished;
    /* what the readers added, until hpo__finish */
    struct raw_term *raw;
    size_t nraw, capraw;
    struct raw_link *links;
    size_t nlinks, caplinks;
    struct raw_synonym *syn_raw;
    size_t nsyn_raw, capsyn_raw;
    /* the finished ontology: per-term arrays indexed 0..n-1 in ascending HP number */
    int n;
    uint32_t *number;
    char (*idtext)[HPO_ID_MAX];
    const char **label;
    const char **label_ja;
    double *ic;
    bool *obsolete;
    int *replaced; /* final replacement (current term) or -1 */
    int *parent_off, *parent;
    int *child_off, *child;
    int *anc_off, *anc;
    int *consider_off, *consider;
    int *syn_off;
    const char **syn;
    int *alt_off;
    uint32_t *alt_of_term;       /* alt numbers grouped by term */
    uint32_t *alt_number;        /* alt numbers, ascending… */
    int *alt_term;               /* …and the term each maps to */
    int nalt;
    int64_t diseases;
    char annotations_version[64];
    int labels_ja;
    struct arena_block *arena;
    size_t bytes; /* heap held, strings included */
    /* a reader's leftovers being freed on another thread (hpo__free_later) */
    pthread_t cleaner;
    bool cleaning;
};

static void *xcalloc(struct hpo *h, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (p != NULL)
        h->bytes += (n ? n : 1) * size;
    return p;
}

static const char *arena_copy(struct hpo *h, const char *text)
{
    size_t len = strlen(text) + 1;
    struct arena_block *b = h->arena;
    if (b == NULL || b->cap - b->used < len) {
        size_t cap = len > ARENA_BLOCK ? len : ARENA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (b == NULL)
            return NULL;
        b->next = h->arena;
        b->used = 0;
        b->cap = cap;
        h->arena = b;
        h->bytes += sizeof *b + cap;
    }
    char *dst = b->data + b->used;
    memcpy(dst, text, len);
    b->used += len;
    return dst;
}

/* Makes room for one more element in a growable array. */
static int grow(void **items, size_t *cap, size_t count, size_t size)
{
    if (count < *cap)
        return GS_OK;
    size_t ncap = *cap ? *cap * 2 : 1024;
    void *p = realloc(*items, ncap * size);
    if (p == NULL)
        return GS_ENOMEM;
    *items = p;
    *cap = ncap;
    return GS_OK;
}

static void free_raw(struct hpo *h)
{
    free(h->raw);
    free(h->links);
    free(h->syn_raw);
    h->raw = NULL;
    h->links = NULL;
    h->syn_raw = NULL;
    h->nraw = h->nlinks = h->nsyn_raw = 0;
}

struct cleanup {
    void (*fn)(void *);
    void *arg;
};
static void *run_cleanup(void *p)
{
    struct cleanup c = *(struct cleanup *)p;
    free(p);
    c.fn(c.arg);
    return NULL;
}

void hpo__free_later(struct hpo *h, void (*fn)(void *), void *arg)
{
    struct cleanup *c = malloc(sizeof *c);
    if (c != NULL && !h->cleaning) {
        *c = (struct cleanup){fn, arg};
        if (pthread_create(&h->cleaner, NULL, run_cleanup, c) == 0) {
            h->cleaning = true;
            return;
        }
    }
    free(c);
    fn(arg); /* no thread: free it now */
}

void hpo_free(struct hpo *h)
{
    if (h == NULL)
        return;
    if (h->cleaning)
        pthread_join(h->cleaner, NULL);
    free_raw(h);
    void *arrays[] = {h->version,  h->number,      h->idtext,    h->label,     h->label_ja,
                      h->ic,       h->obsolete,    h->replaced,  h->parent_off, h->parent,
                      h->child_off, h->child,      h->anc_off,   h->anc,       h->consider_off,
                      h->consider, h->syn_off,     h->syn,       h->alt_off,   h->alt_of_term,
                      h->alt_number, h->alt_term};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
        free(arrays[i]);
    while (h->arena) {
        struct arena_block *next = h->arena->next;
        free(h->arena);
        h->arena = next;
    }
    free(h);
}

/* ---- building ---- */

int hpo__begin(struct hpo **out, struct gs_err *err)
{
    struct hpo *h = calloc(1, sizeof *h);
    if (h == NULL || (h->version = strdup("")) == NULL) {
        free(h);
        return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
    }
    *out = h;
    return GS_OK;
}

int hpo__set_version(struct hpo *h, const char *version, struct gs_err *err)
{
    char *copy = strdup(version);
    if (copy == NULL)
        return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
    free(h->version);
    h->version = copy;
    return GS_OK;
}

int hpo__add_term(struct hpo *h, uint32_t number, const char *label, bool obsolete, int line,
                  struct gs_err *err)
{
    const char *copy = arena_copy(h, label);
    if (copy == NULL || grow((void **)&h->raw, &h->capraw, h->nraw, sizeof *h->raw) != GS_OK)
        return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
    h->raw[h->nraw++] = (struct raw_term){number, line, copy, obsolete};
    return GS_OK;
}

int hpo__add_link(struct hpo *h, enum hpo__link_kind kind, uint32_t from, uint32_t to,
                  int line, struct gs_err *err)
{
    if (grow((void **)&h->links, &h->caplinks, h->nlinks, sizeof *h->links) != GS_OK)
        return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
    h->links[h->nlinks++] = (struct raw_link){from, to, line, kind};
    return GS_OK;
}

int hpo__add_synonym(struct hpo *h, uint32_t number, const char *text, struct gs_err *err)
{
    const char *copy = arena_copy(h, text);
    if (copy == NULL ||
        grow((void **)&h->syn_raw, &h->capsyn_raw, h->nsyn_raw, sizeof *h->syn_raw) != GS_OK)
        return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
    h->syn_raw[h->nsyn_raw++] = (struct raw_synonym){number, copy};
    return GS_OK;
}

static int cmp_raw_term(const void *a, const void *b)
{
    uint32_t x = ((const struct raw_term *)a)->number, y = ((const struct raw_term *)b)->number;
    return (x > y) - (x < y);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int find_number(const struct hpo *h, uint32_t number)
{
    int lo = 0, hi = h->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (h->number[mid] == number)
            return mid;
        if (h->number[mid] < number)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int hpo__index_of(const struct hpo *h, uint32_t number)
{
    return find_number(h, number);
}

static int find_alt(const struct hpo *h, uint32_t number)
{
    int lo = 0, hi = h->nalt - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (h->alt_number[mid] == number)
            return h->alt_term[mid];
        if (h->alt_number[mid] < number)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

/* "file:12: " or "file: " */
static void where(char *out, size_t n, const char *source, int line)
{
    if (line > 0)
        snprintf(out, n, "%s:%d", source, line);
    else
        snprintf(out, n, "%s", source);
}

static const char *link_name(enum hpo__link_kind kind)
{
    switch (kind) {
    case HPO_LINK_IS_A: return "is_a";
    case HPO_LINK_ALT_ID: return "alt_id";
    case HPO_LINK_REPLACED_BY: return "replaced_by";
    case HPO_LINK_CONSIDER: return "consider";
    }
    return "link";
}

/* Fills a CSR (off[n+1], items sorted per term) from (term, item) pairs. */
struct pair {
    int term, item;
};
static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->term != y->term)
        return (x->term > y->term) - (x->term < y->term);
    return (x->item > y->item) - (x->item < y->item);
}
static int build_csr(struct hpo *h, struct pair *pairs, size_t np, int **off, int **items)
{
    qsort(pairs, np, sizeof *pairs, cmp_pair);
    *off = xcalloc(h, (size_t)h->n + 1, sizeof **off);
    *items = xcalloc(h, np, sizeof **items);
    if (*off == NULL || *items == NULL)
        return GS_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < np; i++) {
        if (i > 0 && pairs[i].term == pairs[i - 1].term && pairs[i].item == pairs[i - 1].item)
            continue; /* a link stated twice counts once */
        (*items)[k++] = pairs[i].item;
        (*off)[pairs[i].term + 1]++;
    }
    for (int t = 0; t < h->n; t++)
        (*off)[t + 1] += (*off)[t];
    return GS_OK;
}

/* Resolves links into per-kind pair lists and the alt map. */
static int resolve_links(struct hpo *h, const char *source, struct pair *isa, size_t *nisa,
                         struct pair *consider, size_t *nconsider, struct pair *alts,
                         size_t *nalts, int *replaced_direct, struct gs_err *err)
{
    char at[600];
    for (size_t i = 0; i < h->nlinks; i++) {
        const struct raw_link *l = &h->links[i];
        int from = find_number(h, l->from);
        int to = find_number(h, l->to);
        where(at, sizeof at, source, l->line);
        if (from < 0)
            return gs_err_set(err, GS_EINVAL, "%s: %s of HP:%07u, which is not declared", at,
                              link_name(l->kind), l->from);
        if (l->kind == HPO_LINK_ALT_ID) {
            if (to >= 0 && !h->obsolete[to])
                return gs_err_set(err, GS_EINVAL, "%s: alt_id HP:%07u of %s is itself a "
                                  "current term", at, l->to, h->idtext[from]);
            alts[(*nalts)++] = (struct pair){(int)l->to, from};
            continue;
        }
        if (to < 0)
            return gs_err_set(err, GS_EINVAL, "%s: %s HP:%07u of %s names no term", at,
                              link_name(l->kind), l->to, h->idtext[from]);
        switch (l->kind) {
        case HPO_LINK_IS_A:
            if (h->obsolete[from] || h->obsolete[to])
                return gs_err_set(err, GS_EINVAL, "%s: is_a between %s and %s, and %s is "
                                  "obsolete", at, h->idtext[from], h->idtext[to],
                                  h->idtext[h->obsolete[from] ? from : to]);
            if (from == to)
                return gs_err_set(err, GS_EINVAL, "%s: %s is_a itself", at, h->idtext[from]);
            isa[(*nisa)++] = (struct pair){from, to};
            break;
        case HPO_LINK_REPLACED_BY:
            if (!h->obsolete[from])
                return gs_err_set(err, GS_EINVAL, "%s: %s has replaced_by but is not obsolete",
                                  at, h->idtext[from]);
            /* the first replacement wins; further ones are kept as suggestions */
            if (replaced_direct[from] < 0)
                replaced_direct[from] = to;
            else
                consider[(*nconsider)++] = (struct pair){from, to};
            break;
        case HPO_LINK_CONSIDER:
            consider[(*nconsider)++] = (struct pair){from, to};
            break;
        case HPO_LINK_ALT_ID:
            break;
        }
    }
    return GS_OK;
}

static int cmp_pair_alt(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    uint32_t p = (uint32_t)x->term, q = (uint32_t)y->term;
    return (p > q) - (p < q);
}

static int build_alts(struct hpo *h, const char *source, struct pair *alts, size_t nalts,
                      struct gs_err *err)
{
    qsort(alts, nalts, sizeof *alts, cmp_pair_alt);
    h->alt_number = xcalloc(h, nalts, sizeof *h->alt_number);
    h->alt_term = xcalloc(h, nalts, sizeof *h->alt_term);
    h->alt_off = xcalloc(h, (size_t)h->n + 1, sizeof *h->alt_off);
    h->alt_of_term = xcalloc(h, nalts, sizeof *h->alt_of_term);
    if (!h->alt_number || !h->alt_term || !h->alt_off || !h->alt_of_term)
        return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
    int k = 0;
    for (size_t i = 0; i < nalts; i++) {
        if (k > 0 && h->alt_number[k - 1] == (uint32_t)alts[i].term) {
            if (h->alt_term[k - 1] == alts[i].item)
                continue;
            return gs_err_set(err, GS_EINVAL, "%s: alt_id HP:%07u belongs to both %s and %s",
                              source, (uint32_t)alts[i].term, h->idtext[h->alt_term[k - 1]],
                              h->idtext[alts[i].item]);
        }
        h->alt_number[k] = (uint32_t)alts[i].term;
        h->alt_term[k] = alts[i].item;
        h->alt_off[alts[i].item + 1]++;
        k++;
    }
    h->nalt = k;
    for (int t = 0; t < h->n; t++)
        h->alt_off[t + 1] += h->alt_off[t];
    int *fill = calloc((size_t)h->n, sizeof *fill);
    if (fill == NULL)
        return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
    for (int i = 0; i < k; i++) { /* ascending alt number within each term */
        int t = h->alt_term[i];
        h->alt_of_term[h->alt_off[t] + fill[t]++] = h->alt_number[i];
    }
    free(fill);
    return GS_OK;
}

/* Follows replaced_by to a current term; an obsolete end without replacement gives -1. */
static int build_replacements(struct hpo *h, const char *source, const int *direct,
                              struct gs_err *err)
{
    for (int t = 0; t < h->n; t++) {
        h->replaced[t] = -1;
        if (!h->obsolete[t] || direct[t] < 0)
            continue;
        int r = direct[t];
        for (int steps = 0; r >= 0 && h->obsolete[r]; steps++) {
            if (steps > h->n)
                return gs_err_set(err, GS_EINVAL, "%s: replaced_by of %s runs in a cycle",
                                  source, h->idtext[t]);
            r = direct[r];
        }
        h->replaced[t] = r;
    }
    return GS_OK;
}

/* Kahn's topological order over is-a; each term's ancestor set is itself plus the union of
 * its parents' sets, which are complete when the term comes up. */
static int build_ancestors(struct hpo *h, const char *source, struct gs_err *err)
{
    int n = h->n;
    int *pending = calloc((size_t)n, sizeof *pending);
    int *queue = calloc((size_t)n, sizeof *queue);
    int *mark = calloc((size_t)n, sizeof *mark);
    int *start = calloc((size_t)n, sizeof *start);
    int *len = calloc((size_t)n, sizeof *len);
    int *scratch = calloc((size_t)n, sizeof *scratch);
    size_t cap = (size_t)n * 8, used = 0;
    int *all = malloc(cap * sizeof *all);
    int rc = GS_OK;
    if (!pending || !queue || !mark || !start || !len || !scratch || !all) {
        rc = gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
        goto done;
    }
    int head = 0, tail = 0;
    for (int t = 0; t < n; t++) {
        pending[t] = h->parent_off[t + 1] - h->parent_off[t];
        if (pending[t] == 0)
            queue[tail++] = t;
    }
    while (head < tail) {
        int t = queue[head++];
        int k = 0;
        scratch[k++] = t;
        mark[t] = t + 1;
        for (int i = h->parent_off[t]; i < h->parent_off[t + 1]; i++) {
            int p = h->parent[i];
            for (int j = start[p]; j < start[p] + len[p]; j++) {
                int a = all[j];
                if (mark[a] != t + 1) {
                    mark[a] = t + 1;
                    scratch[k++] = a;
                }
            }
        }
        qsort(scratch, (size_t)k, sizeof *scratch, cmp_int);
        if (used + (size_t)k > cap) {
            size_t ncap = (used + (size_t)k) * 2;
            int *grown = realloc(all, ncap * sizeof *all);
            if (grown == NULL) {
                rc = gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
                goto done;
            }
            all = grown;
            cap = ncap;
        }
        memcpy(all + used, scratch, (size_t)k * sizeof *scratch);
        start[t] = (int)used;
        len[t] = k;
        used += (size_t)k;
        for (int i = h->child_off[t]; i < h->child_off[t + 1]; i++)
            if (--pending[h->child[i]] == 0)
                queue[tail++] = h->child[i];
    }
    if (tail < n) {
        for (int t = 0; t < n; t++)
            if (pending[t] > 0) {
                rc = gs_err_set(err, GS_EINVAL, "%s: the is_a links of %s form a cycle", source,
                                h->idtext[t]);
                goto done;
            }
    }
    /* lay the sets out in index order so the CSR is one contiguous array */
    h->anc_off = xcalloc(h, (size_t)n + 1, sizeof *h->anc_off);
    h->anc = xcalloc(h, used, sizeof *h->anc);
    if (h->anc_off == NULL || h->anc == NULL) {
        rc = gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
        goto done;
    }
    for (int t = 0; t < n; t++) {
        h->anc_off[t + 1] = h->anc_off[t] + len[t];
        memcpy(h->anc + h->anc_off[t], all + start[t], (size_t)len[t] * sizeof *all);
    }
done:
    free(pending);
    free(queue);
    free(mark);
    free(start);
    free(len);
    free(scratch);
    free(all);
    return rc;
}

static int build_synonyms(struct hpo *h, struct gs_err *err)
{
    h->syn_off = xcalloc(h, (size_t)h->n + 1, sizeof *h->syn_off);
    h->syn = xcalloc(h, h->nsyn_raw, sizeof *h->syn);
    int *fill = calloc((size_t)h->n, sizeof *fill);
    int *owner = calloc(h->nsyn_raw ? h->nsyn_raw : 1, sizeof *owner);
    int rc = GS_OK;
    if (!h->syn_off || !h->syn || !fill || !owner) {
        rc = gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
        goto done;
    }
    for (size_t i = 0; i < h->nsyn_raw; i++) {
        owner[i] = find_number(h, h->syn_raw[i].number);
        if (owner[i] < 0) {
            rc = gs_err_set(err, GS_EINVAL, "synonym of HP:%07u, which is not declared",
                            h->syn_raw[i].number);
            goto done;
        }
        h->syn_off[owner[i] + 1]++;
    }
    for (int t = 0; t < h->n; t++)
        h->syn_off[t + 1] += h->syn_off[t];
    for (size_t i = 0; i < h->nsyn_raw; i++) /* keeps the file's order within a term */
        h->syn[h->syn_off[owner[i]] + fill[owner[i]]++] = h->syn_raw[i].text;
done:
    free(fill);
    free(owner);
    return rc;
}

int hpo__finish(struct hpo *h, const char *source, struct gs_err *err)
{
    char at[600];
    if (h->nraw == 0)
        return gs_err_set(err, GS_EINVAL, "%s: no HP terms", source);
    if (h->nraw > (size_t)INT32_MAX / 16)
        return gs_err_set(err, GS_ETOOBIG, "%s: too many terms", source);
    qsort(h->raw, h->nraw, sizeof *h->raw, cmp_raw_term);
    for (size_t i = 1; i < h->nraw; i++)
        if (h->raw[i].number == h->raw[i - 1].number) {
            int line = h->raw[i].line > h->raw[i - 1].line ? h->raw[i].line : h->raw[i - 1].line;
            where(at, sizeof at, source, line);
            return gs_err_set(err, GS_EINVAL, "%s: HP:%07u is declared twice", at,
                              h->raw[i].number);
        }
    int n = h->n = (int)h->nraw;
    h->number = xcalloc(h, (size_t)n, sizeof *h->number);
    h->idtext = xcalloc(h, (size_t)n, sizeof *h->idtext);
    h->label = xcalloc(h, (size_t)n, sizeof *h->label);
    h->label_ja = xcalloc(h, (size_t)n, sizeof *h->label_ja);
    h->ic = xcalloc(h, (size_t)n, sizeof *h->ic);
    h->obsolete = xcalloc(h, (size_t)n, sizeof *h->obsolete);
    h->replaced = xcalloc(h, (size_t)n, sizeof *h->replaced);
    struct pair *isa = calloc(h->nlinks + 1, sizeof *isa);
    struct pair *rev = calloc(h->nlinks + 1, sizeof *rev);
    struct pair *consider = calloc(h->nlinks + 1, sizeof *consider);
    struct pair *alts = calloc(h->nlinks + 1, sizeof *alts);
    int *direct = calloc((size_t)n, sizeof *direct);
    int rc = GS_OK;
    if (!h->number || !h->idtext || !h->label || !h->label_ja || !h->ic || !h->obsolete ||
        !h->replaced || !isa || !rev || !consider || !alts || !direct) {
        rc = gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
        goto done;
    }
    for (int t = 0; t < n; t++) {
        h->number[t] = h->raw[t].number;
        snprintf(h->idtext[t], HPO_ID_MAX, "HP:%07u", h->raw[t].number);
        h->label[t] = h->raw[t].label;
        h->label_ja[t] = "";
        h->obsolete[t] = h->raw[t].obsolete;
        direct[t] = -1;
    }
    size_t nisa = 0, nconsider = 0, nalts = 0;
    if ((rc = resolve_links(h, source, isa, &nisa, consider, &nconsider, alts, &nalts, direct,
                            err)) != GS_OK)
        goto done;
    for (size_t i = 0; i < nisa; i++)
        rev[i] = (struct pair){isa[i].item, isa[i].term};
    if (build_csr(h, isa, nisa, &h->parent_off, &h->parent) != GS_OK ||
        build_csr(h, rev, nisa, &h->child_off, &h->child) != GS_OK ||
        build_csr(h, consider, nconsider, &h->consider_off, &h->consider) != GS_OK) {
        rc = gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
        goto done;
    }
    if ((rc = build_alts(h, source, alts, nalts, err)) != GS_OK ||
        (rc = build_replacements(h, source, direct, err)) != GS_OK ||
        (rc = build_ancestors(h, source, err)) != GS_OK ||
        (rc = build_synonyms(h, err)) != GS_OK)
        goto done;
    h->finished = true;
    free_raw(h);
done:
    free(isa);
    free(rev);
    free(consider);
    free(alts);
    free(direct);
    return rc;
}

/* ---- IC and labels, set by the annotation and label readers and by the store ---- */

void hpo__set_ic_from_counts(struct hpo *h, const int64_t *counts, int64_t n)
{
    double max = n > 0 ? log((double)n) : 0.0;
    for (int t = 0; t < h->n; t++) {
        if (n == 0 || counts[t] == 0)
            h->ic[t] = max;
        else if (counts[t] == n)
            h->ic[t] = 0.0; /* not -0.0 */
        else
            h->ic[t] = -log((double)counts[t] / (double)n);
    }
    h->diseases = n;
}

void hpo__set_ic(struct hpo *h, int t, double ic)
{
    h->ic[t] = ic;
}

void hpo__set_annotations(struct hpo *h, int64_t diseases, const char *version)
{
    h->diseases = diseases;
    snprintf(h->annotations_version, sizeof h->annotations_version, "%s", version);
}

int hpo__set_label_ja(struct hpo *h, int t, const char *label, struct gs_err *err)
{
    const char *copy = arena_copy(h, label);
    if (copy == NULL)
        return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
    if (h->label_ja[t][0] == '\0')
        h->labels_ja++;
    h->label_ja[t] = copy;
    return GS_OK;
}

/* ---- ids ---- */

const char *hpo_resolution_name(enum hpo_resolution r)
{
    switch (r) {
    case HPO_RESOLVED_PRIMARY: return "primary";
    case HPO_RESOLVED_ALT_ID: return "alt_id";
    case HPO_RESOLVED_REPLACED: return "replaced";
    case HPO_RESOLVED_OBSOLETE: return "obsolete";
    }
    return "?";
}

bool hpo_id_parse(const char *text, uint32_t *number)
{
    static const char iri[] = "http://purl.obolibrary.org/obo/HP_";
    const char *digits;
    if (strncmp(text, "HP:", 3) == 0)
        digits = text + 3;
    else if (strncmp(text, iri, sizeof iri - 1) == 0)
        digits = text + sizeof iri - 1;
    else
        return false;
    uint32_t v = 0;
    int k = 0;
    for (; digits[k] >= '0' && digits[k] <= '9'; k++)
        v = v * 10 + (uint32_t)(digits[k] - '0');
    if (k != 7 || digits[k] != '\0')
        return false;
    *number = v;
    return true;
}

int hpo_term_find(const struct hpo *h, uint32_t number, enum hpo_resolution *how)
{
    enum hpo_resolution r = HPO_RESOLVED_PRIMARY;
    int t = find_number(h, number);
    if (t >= 0 && h->obsolete[t]) {
        int alt = find_alt(h, number);
        if (h->replaced[t] >= 0)
            r = HPO_RESOLVED_REPLACED, t = h->replaced[t];
        else if (alt >= 0)
            r = HPO_RESOLVED_ALT_ID, t = alt;
        else
            r = HPO_RESOLVED_OBSOLETE;
    } else if (t < 0 && (t = find_alt(h, number)) >= 0) {
        r = HPO_RESOLVED_ALT_ID;
    }
    if (t >= 0 && how != NULL)
        *how = r;
    return t;
}

int hpo_term_lookup(const struct hpo *h, const char *id, int *term, enum hpo_resolution *how,
                    struct gs_err *err)
{
    uint32_t number;
    if (!hpo_id_parse(id, &number))
        return gs_err_set(err, GS_EINVAL, "'%.40s' is not an HPO id (HP: and seven digits)", id);
    int t = hpo_term_find(h, number, how);
    if (t < 0)
        return gs_err_set(err, GS_ENOTFOUND, "no HPO term %s in release %s", id, h->version);
    *term = t;
    return GS_OK;
}

int hpo_resolve_input(const struct hpo *h, const char *id, const char *where_text,
                      struct hpo_problems *p)
{
    uint32_t number;
    enum hpo_resolution how = HPO_RESOLVED_PRIMARY;
    int t = -1;
    char what[120] = "";
    if (!hpo_id_parse(id, &number)) {
        p->malformed++;
        snprintf(what, sizeof what, "'%.40s' is not an HP id", id);
    } else if ((t = hpo_term_find(h, number, &how)) < 0) {
        p->unknown++;
        snprintf(what, sizeof what, "HP:%07u is unknown", number);
    } else if (how == HPO_RESOLVED_ALT_ID) {
        p->alt_resolved++;
        snprintf(what, sizeof what, "HP:%07u is an alt id of %s", number, h->idtext[t]);
    } else if (how == HPO_RESOLVED_REPLACED) {
        p->obsolete_replaced++;
        snprintf(what, sizeof what, "HP:%07u is obsolete, replaced by %s", number,
                 h->idtext[t]);
    } else if (how == HPO_RESOLVED_OBSOLETE) {
        p->obsolete_unresolved++;
        snprintf(what, sizeof what, "HP:%07u is obsolete without replacement", number);
        t = -1;
    }
    if (what[0] != '\0' && p->nexamples < HPO_EXAMPLES_MAX)
        snprintf(p->examples[p->nexamples++], sizeof p->examples[0], "%s%s%s",
                 where_text ? where_text : "", where_text ? ": " : "", what);
    return t;
}

/* ---- accessors ---- */

const char *hpo_version(const struct hpo *h) { return h->version; }
const char *hpo_annotations_version(const struct hpo *h) { return h->annotations_version; }
int hpo_term_count(const struct hpo *h) { return h->n; }
const char *hpo_term_id(const struct hpo *h, int t) { return h->idtext[t]; }
uint32_t hpo_term_number(const struct hpo *h, int t) { return h->number[t]; }
double hpo_term_ic(const struct hpo *h, int t) { return h->ic[t]; }
bool hpo_term_obsolete(const struct hpo *h, int t) { return h->obsolete[t]; }
int hpo_term_replaced_by(const struct hpo *h, int t) { return h->replaced[t]; }

const char *hpo_term_label(const struct hpo *h, int t, enum hpo_lang lang)
{
    return lang == HPO_LANG_JA ? h->label_ja[t] : h->label[t];
}

const int *hpo_term_parents(const struct hpo *h, int t, int *n)
{
    *n = h->parent_off[t + 1] - h->parent_off[t];
    return h->parent + h->parent_off[t];
}

const int *hpo_term_children(const struct hpo *h, int t, int *n)
{
    *n = h->child_off[t + 1] - h->child_off[t];
    return h->child + h->child_off[t];
}

const int *hpo_term_ancestors(const struct hpo *h, int t, int *n)
{
    *n = h->anc_off[t + 1] - h->anc_off[t];
    return h->anc + h->anc_off[t];
}

const int *hpo_term_consider(const struct hpo *h, int t, int *n)
{
    *n = h->consider_off[t + 1] - h->consider_off[t];
    return h->consider + h->consider_off[t];
}

const char *const *hpo_term_synonyms(const struct hpo *h, int t, int *n)
{
    *n = h->syn_off[t + 1] - h->syn_off[t];
    return h->syn + h->syn_off[t];
}

const uint32_t *hpo_term_alt_ids(const struct hpo *h, int t, int *n)
{
    *n = h->alt_off[t + 1] - h->alt_off[t];
    return h->alt_of_term + h->alt_off[t];
}

bool hpo_term_is_a(const struct hpo *h, int t, int ancestor)
{
    int lo = h->anc_off[t], hi = h->anc_off[t + 1] - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (h->anc[mid] == ancestor)
            return true;
        if (h->anc[mid] < ancestor)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return false;
}

static int ancestor_count(const struct hpo *h, int t)
{
    return h->anc_off[t + 1] - h->anc_off[t];
}

int hpo_mica(const struct hpo *h, int a, int b, double *ic)
{
    const int *x = h->anc + h->anc_off[a], *xe = h->anc + h->anc_off[a + 1];
    const int *y = h->anc + h->anc_off[b], *ye = h->anc + h->anc_off[b + 1];
    int best = -1;
    double best_ic = -1.0;
    while (x < xe && y < ye) {
        if (*x < *y) {
            x++;
        } else if (*y < *x) {
            y++;
        } else {
            /* on an IC tie the deeper term (more ancestors) is the more specific answer;
             * then the lower id, as the walk is ascending and the test strict */
            if (h->ic[*x] > best_ic ||
                (h->ic[*x] == best_ic && ancestor_count(h, *x) > ancestor_count(h, best)))
                best = *x, best_ic = h->ic[*x];
            x++, y++;
        }
    }
    if (ic != NULL)
        *ic = best >= 0 ? best_ic : 0.0;
    return best;
}

void hpo_stats(const struct hpo *h, struct hpo_stats *out)
{
    memset(out, 0, sizeof *out);
    out->terms = h->n;
    out->alt_ids = h->nalt;
    out->is_a = h->n ? h->parent_off[h->n] : 0;
    out->synonyms = h->n ? h->syn_off[h->n] : 0;
    out->labels_ja = h->labels_ja;
    out->diseases = h->diseases;
    out->ancestor_entries = h->n ? h->anc_off[h->n] : 0;
    out->memory_bytes = sizeof *h + h->bytes;
    bool first = true;
    for (int t = 0; t < h->n; t++) {
        if (h->obsolete[t]) {
            out->obsolete++;
            continue;
        }
        if (first || h->ic[t] < out->ic_min)
            out->ic_min = h->ic[t];
        if (first || h->ic[t] > out->ic_max)
            out->ic_max = h->ic[t];
        first = false;
    }
}
