/* test_tb_isolates.c — TB transmission and marker search: SNP distances on a hand-built set
 * with known answers (masked sites, missing sites, multi-allelic sites, indels ignored) in
 * all three implementations, single-linkage transitivity, the NJ tree of an additive matrix,
 * Wilson and Fisher against published values, the solo 2×2 tables, and the service through a
 * real temporary database (incremental distances, clusters, access and audit). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "registry/registry.h"
#include "tb/cluster.h"
#include "tb/isolates.h"

#define MUST(expr)                                                                         \
    do {                                                                                   \
        if ((expr) != GS_OK) {                                                             \
            fprintf(stderr, "setup failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, #expr, \
                    err.msg);                                                              \
            exit(1);                                                                       \
        }                                                                                  \
    } while (0)

/* ---- distances ---- */

static void snps(struct tb_profile *p, const char *list)
{
    struct gs_err err = {0};
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *t = strtok_r(buf, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        size_t len = strlen(t);
        MUST(tb_profile_add_snp(p, (uint32_t)strtoul(t, NULL, 10), t[len - 1], &err));
    }
}

static void test_distances(struct check_state *st)
{
    struct gs_err err = {0};
    struct tb_intervals mask = {0};
    MUST(tb_intervals_add(&mask, 500, 510, &err));
    tb_intervals_finish(&mask);
    enum { N = 6 };
    struct tb_profile p[N] = {{0}};
    snps(&p[0], "100G 200T 300C 505G");          /* A; 505 is masked */
    snps(&p[1], "100G 200T 300C 400A");          /* B = A + 400: 1 */
    snps(&p[2], "100G 200T 300C 1000A 1001C 1002G"); /* C: +3, but A misses 1001 */
    MUST(tb_profile_add_missing(&p[0], 1001, 1001, &err));
    snps(&p[3], "100G 200G 300C");               /* D: another base at 200: 1, not 2 */
    snps(&p[4], "100G 200T 300C 600A 600C 700T"); /* E: two calls at 600 = missing */
    snps(&p[5], "");                              /* F: the reference */
    for (int i = 0; i < N; i++)
        MUST(tb_profile_finish(&p[i], &mask, &err));
    CHECK(st, p[0].nsnps == 3, "distance_mask_drops_call");
    /* expected, by construction (row i, column j) */
    static const uint32_t want[N][N] = {
        {0, 1, 2, 1, 1, 3},
        {1, 0, 4, 2, 2, 4},
        {2, 4, 0, 4, 4, 6},
        {1, 2, 4, 0, 2, 3},
        {1, 2, 4, 2, 0, 4},
        {3, 4, 6, 3, 4, 0},
    };
    struct tb_distances *d = NULL;
    MUST(tb_distances_build(p, N, &d, &err));
    uint32_t dense[N * N];
    MUST(tb_distances_dense(p, N, dense, &err));
    bool plain_ok = true, engine_ok = true, dense_ok = true;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            if (i != j && tb_distance_pair(&p[i], &p[j]) != want[i][j])
                plain_ok = false, printf("# plain %d %d: %u\n", i, j, tb_distance_pair(&p[i], &p[j]));
            if (i != j && tb_distances_get(d, (size_t)i, (size_t)j) != want[i][j])
                engine_ok = false;
            if (dense[i * N + j] != want[i][j])
                dense_ok = false;
        }
    CHECK(st, plain_ok, "distance_plain_known_values");
    CHECK(st, engine_ok, "distance_engine_known_values");
    CHECK(st, dense_ok, "distance_dense_known_values");
    CHECK(st, tb_distance_pair(&p[0], &p[2]) == 2, "distance_missing_site_excluded");
    CHECK(st, tb_distance_pair(&p[0], &p[3]) == 1, "distance_two_alt_bases_count_once");
    /* all pairs from row 4 on (the incremental update): rows 4 and 5 only */
    struct tb_pair_list l = {0};
    uint64_t hist[8] = {0};
    MUST(tb_distances_all(d, 4, 2, 2, &l, hist, 8, &err));
    size_t rows = 0;
    for (size_t k = 0; k < l.n; k++)
        rows += l.pairs[k].i >= 4 && l.pairs[k].snps <= 2 &&
                l.pairs[k].snps == want[l.pairs[k].i][l.pairs[k].j];
    CHECK(st, l.n == 3 && rows == 3, "distance_incremental_rows_kept_within_limit");
    uint64_t total = 0;
    for (int k = 0; k < 8; k++)
        total += hist[k];
    CHECK(st, total == 4 + 5, "distance_incremental_rows_all_computed");
    tb_pair_list_free(&l);
    tb_distances_free(d);
    for (int i = 0; i < N; i++)
        tb_profile_free(&p[i]);
    tb_intervals_free(&mask);
}

/* Random profiles with shared structure: engine = plain = dense. */
static void test_distances_random(struct check_state *st)
{
    struct gs_err err = {0};
    enum { N = 120 };
    struct tb_profile p[N];
    memset(p, 0, sizeof p);
    unsigned seed = 7;
    for (int i = 0; i < N; i++) {
        int parent = i > 0 ? (int)(rand_r(&seed) % (unsigned)i) : -1;
        for (size_t k = 0; parent >= 0 && k < p[parent].nsnps && i % 3 != 0; k++)
            MUST(tb_profile_add_snp(&p[i], p[parent].snps[k] >> 2, "ACGT"[p[parent].snps[k] & 3],
                                    &err));
        for (int k = rand_r(&seed) % 300; k > 0; k--)
            MUST(tb_profile_add_snp(&p[i], 1 + rand_r(&seed) % 5000, "ACGT"[rand_r(&seed) % 4],
                                    &err));
        if (rand_r(&seed) % 2) {
            uint32_t s = 1 + rand_r(&seed) % 4800;
            MUST(tb_profile_add_missing(&p[i], s, s + rand_r(&seed) % 150, &err));
        }
        MUST(tb_profile_finish(&p[i], NULL, &err));
    }
    struct tb_distances *d = NULL;
    uint32_t *dense = malloc(N * N * sizeof *dense);
    MUST(tb_distances_build(p, N, &d, &err));
    MUST(tb_distances_dense(p, N, dense, &err));
    int bad = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < i; j++)
            bad += tb_distances_get(d, (size_t)i, (size_t)j) != dense[i * N + j] ||
                   tb_distance_pair(&p[i], &p[j]) != dense[i * N + j];
    CHECK(st, bad == 0, "distance_random_three_implementations_agree (%d disagree)", bad);
    CHECK(st, tb_distances_anchors(d) >= 1, "distance_random_anchors_chosen");
    free(dense);
    tb_distances_free(d);
    for (int i = 0; i < N; i++)
        tb_profile_free(&p[i]);
}

/* ---- clusters and tree ---- */

static void test_clusters(struct check_state *st)
{
    struct gs_err err = {0};
    /* A-B 3, B-C 4, A-C 7, D alone (20 from all), E-F 12 */
    struct tb_pair pairs[] = {{1, 0, 3}, {2, 1, 4}, {2, 0, 7}, {5, 4, 12}};
    uint32_t label[6];
    size_t n;
    MUST(tb_clusters_single_linkage(6, pairs, 4, 5, label, &n, &err));
    CHECK(st, n == 1 && label[0] == 1 && label[1] == 1 && label[2] == 1,
          "clusters_single_linkage_is_transitive (A,C at 7 joined through B at 5)");
    CHECK(st, label[3] == 0 && label[4] == 0 && label[5] == 0, "clusters_singletons_unlabelled");
    MUST(tb_clusters_single_linkage(6, pairs, 4, 12, label, &n, &err));
    CHECK(st, n == 2 && label[4] == 2 && label[5] == 2 && label[3] == 0,
          "clusters_threshold_inclusive_at_12");
    MUST(tb_clusters_single_linkage(6, pairs, 4, 2, label, &n, &err));
    CHECK(st, n == 0, "clusters_none_below_closest_pair");

    /* additive tree ((A:1,B:2):3,(C:4,D:5)) */
    double dist[16] = {0, 3, 8, 9, 3, 0, 9, 10, 8, 9, 0, 9, 9, 10, 9, 0};
    const char *names[] = {"A", "B", "C", "D"};
    char *nw = NULL;
    MUST(tb_tree_newick(4, dist, names, &nw, &err));
    /* unrooted: the AB|CD split with every branch length, C and D at the top node */
    CHECK(st, strcmp(nw, "((A:1,B:2):3,D:5,C:4);") == 0 || strcmp(nw, "((C:4,D:5):3,A:1,B:2);") == 0 ||
                  strcmp(nw, "((A:1,B:2):3,C:4,D:5);") == 0,
          "tree_nj_recovers_additive_tree (%s)", nw);
    free(nw);
    const char *odd[] = {"x y", "it's", "z"};
    double d3[9] = {0, 2, 4, 2, 0, 4, 4, 4, 0};
    MUST(tb_tree_newick(3, d3, odd, &nw, &err));
    CHECK(st, strstr(nw, "'x y'") != NULL && strstr(nw, "'it''s'") != NULL,
          "tree_newick_quotes_names (%s)", nw);
    free(nw);
}

/* ---- statistics and the solo search ---- */

static void test_stats(struct check_state *st)
{
    /* R: fisher.test(matrix(c(3,1,1,3),2))$p.value = 0.4857143 */
    CHECK(st, fabs(stats_fisher_two_sided(3, 1, 1, 3) - 0.4857143) < 1e-6, "fisher_tea_tasting");
    /* [[10,0],[0,10]]: 2 / C(20,10) */
    CHECK(st, fabs(stats_fisher_two_sided(10, 0, 0, 10) - 2.0 / 184756) < 1e-12,
          "fisher_extreme_table");
    CHECK(st, stats_fisher_two_sided(5, 5, 5, 5) > 0.999, "fisher_balanced_table_p_1");
    double lo, hi;
    stats_wilson(8, 10, 1.959964, &lo, &hi); /* Wilson 1927 / Newcombe 1998: 0.490-0.943 */
    CHECK(st, fabs(lo - 0.4902) < 5e-4 && fabs(hi - 0.9433) < 5e-4, "wilson_8_of_10");
    stats_wilson(0, 10, 1.959964, &lo, &hi);
    CHECK(st, lo == 0 && fabs(hi - 0.2775) < 5e-4, "wilson_0_of_10");
}

static void test_solo(struct check_state *st)
{
    struct gs_err err = {0};
    struct marker_variant v[3] = {{"rpoB", "p.Ser450Leu", "missense_variant", 1},
                                  {"rpoB", "p.Xyz1Abc", "missense_variant", 0},
                                  {"rpoB", "p.Low1Af", "missense_variant", 0}};
    char ph[20];
    struct marker_call calls[32];
    size_t nc = 0;
    for (int i = 0; i < 20; i++)
        ph[i] = 'S';
    for (uint32_t i = 0; i <= 5; i++) /* 0-5: V2 alone, R */
        ph[i] = 'R', calls[nc++] = (struct marker_call){i, 1, 1.0};
    calls[nc++] = (struct marker_call){6, 1, 0.9};                    /* 6: V2, S */
    ph[7] = 'R', calls[nc++] = (struct marker_call){7, 0, 1.0};        /* 7: V1 + V2, R */
    calls[nc++] = (struct marker_call){7, 1, 1.0};
    ph[18] = 'R', calls[nc++] = (struct marker_call){18, 0, 0.95};     /* 18: V1, R */
    calls[nc++] = (struct marker_call){19, 2, 0.5};                    /* 19: V3 below 0.75 */
    ph[19] = 0;
    struct marker_input in = {20, ph, 3, v, nc, calls, 0.75, 5};
    struct marker_row *rows = NULL;
    size_t n = 0;
    MUST(markers_solo(&in, &rows, &n, &err));
    const struct marker_row *r1 = NULL, *r2 = NULL;
    for (size_t k = 0; k < n; k++)
        r1 = rows[k].variant == 0 ? &rows[k] : r1, r2 = rows[k].variant == 1 ? &rows[k] : r2;
    CHECK(st, n == 2, "solo_rows_only_for_present_variants");
    CHECK(st, r2 && r2->a == 6 && r2->b == 1 && r2->c == 1 && r2->d == 10 && r2->carriers == 8,
          "solo_table_excludes_isolate_with_graded_variant");
    CHECK(st, r1 && r1->a == 2 && r1->b == 0, "solo_graded_variant_counts_its_own_solo");
    CHECK(st, r2 && r2->candidate && r1 && !r1->candidate, "solo_candidate_is_ungraded_strong");
    CHECK(st, r2 && fabs(r2->ppv - 6.0 / 7) < 1e-9 && r2->ppv_lo > 0.25 && r2->ppv_hi < 1,
          "solo_ppv_interval");
    free(rows);
    in.min_solo = 7;
    MUST(markers_solo(&in, &rows, &n, &err));
    bool any = false;
    for (size_t k = 0; k < n; k++)
        any = any || rows[k].candidate;
    CHECK(st, !any, "solo_min_solo_respected");
    free(rows);
    struct marker_mic mics[] = {{0, "=", 8}, {1, "=", 8}, {6, "<=", 0.5}, {10, "<=", 0.5}};
    struct marker_mic_bin *bins = NULL;
    MUST(markers_mic_distribution(&in, mics, 4, &bins, &n, &err));
    bool ok = n == 3 && bins[0].variant == 1 && bins[0].value == 0.5 && bins[0].isolates == 1 &&
              bins[1].variant == 1 && bins[1].value == 8 && bins[1].isolates == 2 &&
              bins[2].variant == UINT32_MAX && bins[2].isolates == 1;
    CHECK(st, ok, "mic_distribution_by_variant");
    free(bins);
}

/* ---- the service through a database ---- */

static void test_service(struct check_state *st, const char *dir)
{
    struct gs_err err = {0};
    char path[512];
    snprintf(path, sizeof path, "%s/iso.db", dir);
    struct store *s = NULL;
    struct actor by = {"test", "unit"};
    struct principal op, anon, member, outsider;
    principal_operator(&op);
    principal_anonymous(&anon);
    MUST(store_open(path, &s, &err));
    MUST(registry_institution_add(s, &by, "labA", "Lab A", "JP", NULL, &err));
    MUST(registry_institution_add(s, &by, "labB", "Lab B", "KR", NULL, &err));
    MUST(registry_user_add(s, &by, "amy", "amy", "labA", ROLE_MEMBER | ROLE_SUBMITTER, NULL, NULL,
                           &err));
    MUST(registry_user_add(s, &by, "bo", "bo", "labB", ROLE_MEMBER, NULL, NULL, &err));
    MUST(registry_consortium_add(s, &by, "tbnet", "TB", NULL, &err));
    MUST(registry_consortium_join(s, &by, "tbnet", "labA", NULL, &err));
    MUST(registry_dataset_add(s, &by, "tb-r", "TB", TIER_RESTRICTED, DATA_MICROBIAL, "labA",
                              "tbnet", NULL, &err));
    MUST(principal_for_name(s, "amy", &member, &err));
    MUST(principal_for_name(s, "bo", &outsider, &err));
    time_t now = time(NULL);
    /* A, B (A + 2 SNPs), C (B + 3 + one where B is missing), D (far) */
    const char *first =
        "{\"isolates\": ["
        "{\"isolate\": \"A\", \"year\": 2020, \"variants\": [{\"pos\": 100, \"ref\": \"C\", "
        "\"alt\": \"T\"}, {\"pos\": 150, \"ref\": \"A\", \"alt\": \"AT\"}, {\"pos\": 505, "
        "\"ref\": \"C\", \"alt\": \"G\"}], \"dst\": [{\"drug\": \"Rifampicin\", \"result\": "
        "\"R\"}]},"
        "{\"isolate\": \"B\", \"variants\": [{\"pos\": 100, \"ref\": \"C\", \"alt\": \"T\"}, "
        "{\"pos\": 200, \"ref\": \"G\", \"alt\": \"A\"}, {\"pos\": 300, \"ref\": \"GA\", "
        "\"alt\": \"TA\"}], \"missing\": [[1000, 1010]]}]}";
    json_t *doc = json_loads(first, 0, NULL);
    struct isolate_batch b = {0};
    struct isolate_import_result res;
    MUST(isolates_from_json(doc, &b, &err));
    json_decref(doc);
    int rc = isolates_import(s, &op, &by, "tb-r", NULL, &b, now, &res, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "mask") != NULL,
          "import_genomes_need_a_mask (%s)", err.msg);
    gs_err_clear(&err);
    json_t *list = NULL;
    MUST(isolates_list(s, &op, &by, NULL, 0, 100, now, &list, &err));
    CHECK(st, json_array_size(json_object_get(list, "isolates")) == 0,
          "import_failure_leaves_nothing");
    json_decref(list);
    struct tb_intervals mask = {0};
    MUST(tb_intervals_add(&mask, 500, 510, &err));
    tb_intervals_finish(&mask);
    MUST(isolates_set_mask(s, &by, &mask, now, NULL, &err));
    rc = isolates_import(s, &member, &by, "tb-r", NULL, &b, now, &res, &err);
    CHECK(st, rc == GS_OK && res.isolates == 2 && res.pairs_stored == 1,
          "import_computes_distances (%s)", err.msg);
    isolate_batch_free(&b);
    const char *second =
        "{\"isolates\": ["
        "{\"isolate\": \"C\", \"variants\": [{\"pos\": 100, \"ref\": \"C\", \"alt\": \"T\"}, "
        "{\"pos\": 200, \"ref\": \"G\", \"alt\": \"A\"}, {\"pos\": 300, \"ref\": \"G\", "
        "\"alt\": \"T\"}, {\"pos\": 400, \"ref\": \"A\", \"alt\": \"C\"}, {\"pos\": 401, "
        "\"ref\": \"A\", \"alt\": \"C\"}, {\"pos\": 402, \"ref\": \"A\", \"alt\": \"C\"}, "
        "{\"pos\": 1005, \"ref\": \"A\", \"alt\": \"C\"}]},"
        "{\"isolate\": \"D\", \"variants\": [{\"pos\": 5000, \"ref\": \"AAAAAAAA\", "
        "\"alt\": \"CCCCCCCC\", \"af\": 0.9}]}]}";
    doc = json_loads(second, 0, NULL);
    MUST(isolates_from_json(doc, &b, &err));
    json_decref(doc);
    MUST(isolates_import(s, &op, &by, "tb-r", NULL, &b, now, &res, &err));
    /* new rows only: C and D against A, B and each other = 2 + 3 */
    CHECK(st, res.pairs_computed == 5, "import_incremental_new_rows_only (%zu)",
          res.pairs_computed);
    isolate_batch_free(&b);
    struct isolate_cluster_query q = {{0}, 0, true};
    MUST(isolates_thresholds_parse("2,5", &q, &err));
    json_t *cl = NULL;
    MUST(isolates_clusters(s, &member, &by, &q, now, &cl, &err));
    json_t *t2 = json_array_get(json_object_get(cl, "thresholds"), 0);
    json_t *t5 = json_array_get(json_object_get(cl, "thresholds"), 1);
    json_t *c2 = json_array_get(json_object_get(t2, "clusters"), 0);
    json_t *c5 = json_array_get(json_object_get(t5, "clusters"), 0);
    /* A-B 2 (indel and masked site ignored), B-C 3 (1005 missing in B), A-C 6, D >= 9
     * (an 8-base MNV at AF 0.9: 8 SNPs) */
    CHECK(st, json_integer_value(json_object_get(t2, "threshold")) == 2 &&
                  json_integer_value(json_object_get(c2, "size")) == 2,
          "clusters_from_store_threshold_2");
    CHECK(st, json_integer_value(json_object_get(c5, "size")) == 3 &&
                  json_array_size(json_object_get(t5, "clusters")) == 1,
          "clusters_from_store_threshold_5");
    const char *nw = json_string_value(json_object_get(cl, "newick"));
    CHECK(st, nw && strstr(nw, "A") && strstr(nw, "D") && nw[strlen(nw) - 1] == ';',
          "clusters_newick_present");
    json_decref(cl);
    MUST(isolates_clusters(s, &outsider, &by, &q, now, &cl, &err));
    CHECK(st, json_integer_value(json_object_get(cl, "isolates")) == 0,
          "clusters_hidden_from_outsider");
    json_decref(cl);
    json_t *one = NULL;
    rc = isolates_read(s, &anon, &by, 1, now, &one, &err);
    CHECK(st, rc == GS_ENOTFOUND, "read_restricted_hidden_from_anonymous");
    gs_err_clear(&err);
    rc = isolates_read(s, &member, &by, 1, now, &one, &err);
    CHECK(st, rc == GS_OK && strcmp(json_string_value(json_object_get(one, "isolate")), "A") == 0 &&
                  strcmp(json_string_value(json_object_get(
                             json_array_get(json_object_get(one, "dst"), 0), "drug")),
                         "rifampicin") == 0,
          "read_member_sees_isolate_and_dst");
    json_decref(one);
    struct audit_report rep;
    MUST(audit_verify(s, &rep, &err));
    CHECK(st, rep.nproblems == 0 && rep.rows >= 8, "audit_chain_intact (%lld rows)",
          (long long)rep.rows);
    tb_intervals_free(&mask);
    store_close(s);
}

int main(void)
{
    struct check_state st = {0};
    char dir[] = "/tmp/genoshare-tbiso-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    test_distances(&st);
    test_distances_random(&st);
    test_clusters(&st);
    test_stats(&st);
    test_solo(&st);
    test_service(&st, dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_finish(&st);
}
