/* test_case_index.c — the case index and the pruned search over it, through a real temporary
 * database with the mini HPO: on random cases (few terms, so many tied scores) the indexed
 * search returns exactly the pairwise (exhaustive) top results — same cases, same scores,
 * same order — for several principals and sizes of top; an index kept across writes
 * follows updates, withdrawals and new cases (compared with a freshly built one), and
 * excluded/visible counts agree. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "match/case_index.h"
#include "match/search.h"
#include "pheno/hpo_store.h"
#include "registry/registry.h"


static const char *const terms[] = {"HP:0002121", "HP:0000252", "HP:0002119", "HP:0001250",
                                    "HP:0001263", "HP:0020219", "HP:0012638", "HP:0000707",
                                    "HP:0000234", "HP:0000152"};
static const char *const genes[] = {"SCN1A", "DDX11L2", "FBN1"};
#define NTERMS (int)(sizeof terms / sizeof terms[0])

static uint64_t rng = 88172645463325252ULL;
static unsigned next(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

/* A random case as own JSON: 1-4 observed terms, maybe an excluded one, maybe a gene. */
static void random_case(char *out, size_t size, int i)
{
    int used[NTERMS] = {0}, at = snprintf(out, size, "{\"label\":\"R%d\",\"features\":[", i);
    int n = 1 + (int)next(4);
    for (int k = 0; k < n; k++) {
        int t = (int)next(NTERMS);
        if (used[t])
            continue;
        used[t] = 1;
        at += snprintf(out + at, size - (size_t)at, "%s{\"id\":\"%s\"}", k ? "," : "", terms[t]);
    }
    if (next(3) == 0) {
        int t = (int)next(NTERMS);
        if (!used[t])
            at += snprintf(out + at, size - (size_t)at, ",{\"id\":\"%s\",\"excluded\":true}",
                           terms[t]);
    }
    at += snprintf(out + at, size - (size_t)at, "]");
    if (next(4) == 0)
        at += snprintf(out + at, size - (size_t)at, ",\"genes\":[\"%s\"]", genes[next(3)]);
    snprintf(out + at, size - (size_t)at, "}");
}

struct world {
    char path[64];
    struct store *s;
    struct hpo *h;
    struct actor by;
    struct principal op, amy, di;
};

static void build(struct world *w, int n)
{
    struct gs_err err = {0};
    fixture_store_open(w->path, "index", &w->s);
    w->by.name = "test";
    w->by.origin = "unit";
    principal_operator(&w->op);
    struct store *s = w->s;
    MUST(registry_institution_add(s, &w->by, "kyoto-u", "Kyoto", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "seoul-u", "Seoul", "KR", NULL, &err));
    MUST(registry_user_add(s, &w->by, "amy", "amy", "kyoto-u", ROLE_MEMBER, NULL, NULL, &err));
    MUST(registry_user_add(s, &w->by, "di", "di", "seoul-u", ROLE_MEMBER, NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-k", "K", TIER_OPEN, DATA_PHENOTYPE, "kyoto-u", NULL,
                              NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-s", "S", TIER_OPEN, DATA_PHENOTYPE, "seoul-u", NULL,
                              NULL, &err));
    MUST(cases_genes_load(s, &w->by, "tests/fixtures/cases/genes.tsv", NULL, &err));
    fixture_mini_hpo(s, &w->by, &w->h);
    MUST(principal_for_name(s, "amy", &w->amy, &err));
    MUST(principal_for_name(s, "di", &w->di, &err));
    /* Each case in a random dataset and scope, so that the groups differ. */
    for (int i = 0; i < n; i++) {
        struct store_case c = {0};
        char text[1024];
        random_case(text, sizeof text, i);
        json_t *doc = json_loads(text, 0, NULL);
        struct case_target t = {next(2) ? "ds-k" : "ds-s", (enum scope)next(3), NULL};
        MUST(case_from_json(doc, &c, &err));
        MUST(cases_prepare(s, w->h, &c, NULL, &err));
        MUST(cases_import(s, &w->op, &w->by, &t, &c, 1, 1000, NULL, &err));
        json_decref(doc);
        store_case_clear(&c);
    }
}

static void destroy(struct world *w)
{
    fixture_store_remove(w->s, w->path);
    hpo_free(w->h);
}

static bool same(const struct match_results *a, const struct match_results *b)
{
    if (a->n != b->n || a->candidates != b->candidates || a->informative != b->informative)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (a->items[i].case_id != b->items[i].case_id || a->items[i].score != b->items[i].score)
            return false;
    return true;
}

/* Runs a random query indexed (over ix) and exhaustive; true when both agree. */
static bool agree(struct world *w, struct case_index *ix, const struct principal *who, int top,
                  size_t *pruned, size_t *nonempty)
{
    const char *obs[4], *gene[1];
    struct match_query q = {.observed = obs, .genes = gene};
    int n = 1 + (int)next(4);
    for (int k = 0; k < n; k++)
        obs[q.nobserved++] = terms[next(NTERMS)];
    if (next(5) == 0)
        gene[q.ngenes++] = genes[next(3)];
    struct match_results a = {0}, b = {0};
    struct match_options exhaustive = {.exhaustive = true};
    struct gs_err err = {0};
    bool ok = match_search_indexed(ix, w->s, w->h, who, NULL, &q, top, NULL, 1000, &a, &err) ==
                  GS_OK &&
              match_search_indexed(ix, w->s, w->h, who, NULL, &q, top, &exhaustive, 1000, &b,
                                   &err) == GS_OK &&
              same(&a, &b);
    *pruned += a.scored < b.scored;
    *nonempty += a.n > 0;
    match_results_free(&a);
    match_results_free(&b);
    return ok;
}

static void test_indexed_equals_pairwise(struct check_state *st)
{
    struct world w;
    struct gs_err err = {0};
    memset(&w, 0, sizeof w);
    build(&w, 400);
    struct case_index *ix;
    MUST(case_index_new(w.h, &ix, &err));
    const struct principal *who[] = {&w.op, &w.amy, &w.di};
    static const char *const names[] = {"operator", "amy", "di"};
    static const int tops[] = {1, 3, 10};
    for (int p = 0; p < 3; p++)
        for (int t = 0; t < 3; t++) {
            int ok = 0;
            size_t pruned = 0, nonempty = 0;
            for (int k = 0; k < 40; k++)
                ok += agree(&w, ix, who[p], tops[t], &pruned, &nonempty);
            CHECK(st, ok == 40 && nonempty > 0,
                  "index: indexed = pairwise top %d as %s (40 random queries, %zu pruned)",
                  tops[t], names[p], pruned);
        }
    CHECK(st, case_index_count(ix) == 400, "index: holds the 400 active cases");

    /* Writes after the index was loaded: an update, a withdrawal, a new case. */
    json_t *patch = json_pack("{s:[{s:s},{s:s},{s:s}]}", "features", "id", "HP:0002121", "id",
                              "HP:0000252", "id", "HP:0002119");
    MUST(cases_update(w.s, w.h, &w.op, &w.by, 5, patch, 1000, NULL, &err));
    json_decref(patch);
    MUST(cases_withdraw(w.s, &w.op, &w.by, 7, 1000, &err));
    struct store_case c = {0};
    json_t *doc = json_loads("{\"label\":\"new\",\"features\":[{\"id\":\"HP:0002121\"},"
                             "{\"id\":\"HP:0020219\"}]}", 0, NULL);
    struct case_target t = {"ds-k", SCOPE_INTERNATIONAL, NULL};
    MUST(case_from_json(doc, &c, &err));
    MUST(cases_prepare(w.s, w.h, &c, NULL, &err));
    MUST(cases_import(w.s, &w.op, &w.by, &t, &c, 1, 1000, NULL, &err));
    json_decref(doc);
    store_case_clear(&c);

    const char *obs[] = {"HP:0002121", "HP:0000252", "HP:0002119"};
    struct match_query q = {.observed = obs, .nobserved = 3};
    struct match_results kept = {0}, fresh = {0};
    bool ok = match_search_indexed(ix, w.s, w.h, &w.op, NULL, &q, MATCH_TOP_MAX, NULL, 1000,
                                   &kept, &err) == GS_OK &&
              match_search_indexed(NULL, w.s, w.h, &w.op, NULL, &q, MATCH_TOP_MAX, NULL, 1000,
                                   &fresh, &err) == GS_OK;
    CHECK(st, ok && kept.n > 0 && same(&kept, &fresh),
          "index: a kept index follows update, withdrawal and a new case (= a fresh one)");
    bool withdrawn = false, updated = false;
    for (size_t i = 0; i < kept.n; i++) {
        withdrawn |= kept.items[i].case_id == 7;
        updated |= kept.items[i].case_id == 5;
    }
    CHECK(st, !withdrawn && updated && case_index_count(ix) == 400,
          "index: the withdrawn case is gone, the updated one found, the count right");
    match_results_free(&kept);
    match_results_free(&fresh);
    case_index_free(ix);
    destroy(&w);
}

int main(void)
{
    struct check_state st = {0};
    test_indexed_equals_pairwise(&st);
    return check_finish(&st);
}
