/* cmd_hpo.c — the hpo command: load a release of the Human Phenotype Ontology into the
 * store (with IC from disease annotations and Japanese labels), and look terms up, search
 * labels and compute the most informative common ancestor from the stored release.
 * Output is "key<TAB>value" lines (show, load) or TSV rows (search). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "pheno/hpo.h"
#include "pheno/hpo_store.h"
#include "store/store_hpo.h"

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_problems(const char *file, const struct hpo_problems *p)
{
    printf("%s_unknown_ids\t%lld\n", file, (long long)p->unknown);
    printf("%s_malformed_ids\t%lld\n", file, (long long)p->malformed);
    printf("%s_alt_ids_resolved\t%lld\n", file, (long long)p->alt_resolved);
    printf("%s_obsolete_replaced\t%lld\n", file, (long long)p->obsolete_replaced);
    printf("%s_obsolete_skipped\t%lld\n", file, (long long)p->obsolete_unresolved);
    for (int i = 0; i < p->nexamples; i++)
        printf("%s_problem\t%s\n", file, p->examples[i]);
}

/* ---- load ---- */

static int read_release(const char *ontology, const char *annotations, const char *labels_ja,
                        struct hpo **out, struct gs_err *err)
{
    struct hpo *h = NULL;
    struct hpo_annotation_report ar;
    struct hpo_labels_report lr;
    int rc = hpo_load_release(ontology, annotations, labels_ja, &h, &ar, &lr, err);
    if (rc == GS_OK && annotations) {
        printf("annotation_rows\t%lld\n", (long long)ar.rows);
        printf("annotation_rows_used\t%lld\n", (long long)ar.used);
        printf("annotation_rows_not\t%lld\n", (long long)ar.skipped_not);
        printf("annotation_rows_other_aspect\t%lld\n", (long long)ar.skipped_aspect);
        print_problems("annotations", &ar.problems);
    }
    if (rc == GS_OK && labels_ja) {
        printf("labels_ja_rows\t%lld\n", (long long)lr.rows);
        printf("labels_ja_not_official\t%lld\n", (long long)lr.skipped_status);
        print_problems("labels_ja", &lr.problems);
    }
    if (rc != GS_OK) {
        hpo_free(h);
        return rc;
    }
    *out = h;
    return GS_OK;
}

static int hpo_load(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("ontology", "FILE", "hp.json or hp.obo, gzipped or not (required)"),
        OPT("annotations", "FILE", "phenotype.hpoa, gzipped or not: information content"),
        OPT("labels-ja", "FILE", "hp-ja.babelon.tsv, gzipped or not: Japanese labels"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "hpo load --ontology FILE [--annotations FILE] [--labels-ja FILE]",
                               "Load an HPO release into the store, replacing the previous one.",
                               0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *ontology;
    if ((rc = cli_required(&o[1], &ontology, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    double t0 = seconds_now();
    struct hpo *h = NULL;
    rc = read_release(ontology, o[2].value, o[3].value, &h, err);
    double t1 = seconds_now();
    if (rc == GS_OK) {
        char actor_name[STORE_TEXT_MAX];
        struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
        rc = hpo_store_save(s, &by, h, time(NULL), err);
    }
    double t2 = seconds_now();
    if (rc == GS_OK) {
        struct hpo_stats st;
        hpo_stats(h, &st);
        printf("version\t%s\n", hpo_version(h));
        printf("terms\t%d\n", st.terms);
        printf("current\t%d\n", st.terms - st.obsolete);
        printf("obsolete\t%d\n", st.obsolete);
        printf("alt_ids\t%d\n", st.alt_ids);
        printf("is_a\t%d\n", st.is_a);
        printf("synonyms\t%d\n", st.synonyms);
        printf("labels_ja\t%d\n", st.labels_ja);
        printf("annotations_version\t%s\n", hpo_annotations_version(h));
        printf("annotated_diseases\t%lld\n", (long long)st.diseases);
        printf("ic_min\t%.6f\nic_max\t%.6f\n", st.ic_min, st.ic_max);
        printf("memory_bytes\t%zu\n", st.memory_bytes);
        printf("read_seconds\t%.3f\nstore_seconds\t%.3f\nelapsed_seconds\t%.3f\n", t1 - t0,
               t2 - t1, t2 - t0);
    }
    hpo_free(h);
    store_close(s);
    return rc;
}

/* ---- queries on the stored release ---- */

static int open_release(const char *db, struct store **s, struct hpo **h, struct gs_err *err)
{
    int rc = cli_open_store(db, s, err);
    if (rc == GS_OK && (rc = hpo_from_store(*s, h, err)) != GS_OK) {
        store_close(*s);
        *s = NULL;
    }
    return rc;
}

static void print_term_line(const char *key, const struct hpo *h, int t)
{
    printf("%s\t%s\t%s\n", key, hpo_term_id(h, t), hpo_term_label(h, t, HPO_LANG_EN));
}

static int hpo_show(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "hpo show ID",
                               "Print a term of the stored release: labels, IC, parents, and "
                               "what the id resolved from.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "hpo show needs an HPO id such as HP:0001250");
    uint32_t number;
    if (!hpo_id_parse(a.positional[0], &number))
        return gs_err_set(err, GS_EUSAGE, "'%.40s' is not an HPO id (HP: and seven digits)",
                          a.positional[0]);
    struct store *s = NULL;
    struct hpo *h = NULL;
    if ((rc = open_release(o[0].value, &s, &h, err)) != GS_OK)
        return rc;
    int t, n;
    enum hpo_resolution how;
    if ((rc = hpo_term_lookup(h, a.positional[0], &t, &how, err)) == GS_OK) {
        printf("id\t%s\n", hpo_term_id(h, t));
        printf("queried\t%s\t%s\n", a.positional[0], hpo_resolution_name(how));
        printf("label\t%s\n", hpo_term_label(h, t, HPO_LANG_EN));
        printf("label_ja\t%s\n", hpo_term_label(h, t, HPO_LANG_JA));
        printf("ic\t%.6f\n", hpo_term_ic(h, t));
        printf("obsolete\t%s\n", hpo_term_obsolete(h, t) ? "true" : "false");
        const int *list = hpo_term_parents(h, t, &n);
        for (int i = 0; i < n; i++)
            print_term_line("parent", h, list[i]);
        list = hpo_term_consider(h, t, &n);
        for (int i = 0; i < n; i++)
            print_term_line("consider", h, list[i]);
        const uint32_t *alts = hpo_term_alt_ids(h, t, &n);
        for (int i = 0; i < n; i++)
            printf("alt_id\tHP:%07u\n", alts[i]);
        const char *const *syn = hpo_term_synonyms(h, t, &n);
        for (int i = 0; i < n; i++)
            printf("synonym\t%s\n", syn[i]);
        printf("release\t%s\n", hpo_version(h));
    }
    hpo_free(h);
    store_close(s);
    return rc;
}

static int print_hit(void *ctx, const struct store_hpo_hit *hit)
{
    (void)ctx;
    printf("HP:%07u\t%s\t%s\t%s\n", hit->term, hit->label, hit->label_ja, hit->matched);
    return GS_OK;
}

static int hpo_search(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("lang", "en|ja", "search one language (default both)"),
                             OPT("limit", "N", "at most N terms (1-1000, default 20)")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "hpo search TEXT [--lang en|ja] [--limit N]",
                               "Find current terms whose label or synonym contains every word "
                               "of TEXT. TSV: id, label, label_ja, matched text.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "hpo search needs the TEXT to look for");
    const char *lang = o[1].value;
    if (lang && strcmp(lang, "en") != 0 && strcmp(lang, "ja") != 0)
        return gs_err_set(err, GS_EUSAGE, "--lang must be en or ja, not '%.20s'", lang);
    int64_t limit = 20;
    if (o[2].value && parse_int64(o[2].value, 1, 1000, &limit, err) != GS_OK)
        return GS_EUSAGE;
    struct store *s = NULL;
    struct store_hpo_release rel;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    if ((rc = store_hpo_release_current(s, &rel, err)) == GS_OK) {
        printf("id\tlabel\tlabel_ja\tmatched\n");
        rc = store_hpo_search(s, a.positional[0], lang, (int)limit, print_hit, NULL, err);
    }
    store_close(s);
    return rc;
}

static int hpo_mica_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "hpo mica ID ID",
                               "Print the most informative common ancestor of two terms: id, "
                               "IC, label.", 2, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    uint32_t number;
    if (a.npositional != 2)
        return gs_err_set(err, GS_EUSAGE, "hpo mica needs two HPO ids");
    for (int i = 0; i < 2; i++)
        if (!hpo_id_parse(a.positional[i], &number))
            return gs_err_set(err, GS_EUSAGE, "'%.40s' is not an HPO id (HP: and seven digits)",
                              a.positional[i]);
    struct store *s = NULL;
    struct hpo *h = NULL;
    if ((rc = open_release(o[0].value, &s, &h, err)) != GS_OK)
        return rc;
    int t[2];
    enum hpo_resolution how[2];
    for (int i = 0; i < 2 && rc == GS_OK; i++)
        if ((rc = hpo_term_lookup(h, a.positional[i], &t[i], &how[i], err)) == GS_OK &&
            how[i] == HPO_RESOLVED_OBSOLETE)
            rc = gs_err_set(err, GS_EINVAL, "%s is obsolete without replacement",
                            a.positional[i]);
    if (rc == GS_OK) {
        double ic;
        int m = hpo_mica(h, t[0], t[1], &ic);
        if (m < 0)
            rc = gs_err_set(err, GS_ENOTFOUND, "%s and %s share no ancestor", hpo_term_id(h, t[0]),
                            hpo_term_id(h, t[1]));
        else
            printf("%s\t%.6f\t%s\n", hpo_term_id(h, m), ic, hpo_term_label(h, m, HPO_LANG_EN));
    }
    hpo_free(h);
    store_close(s);
    return rc;
}

int cmd_hpo(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"load", hpo_load, "load an HPO release (ontology, annotations, Japanese labels)"},
        {"show", hpo_show, "print a term: labels, IC, parents, resolution"},
        {"search", hpo_search, "find terms by label or synonym (English, Japanese)"},
        {"mica", hpo_mica_cmd, "most informative common ancestor of two terms"},
    };
    return cli_dispatch("hpo", verbs, 4, argc, argv, err);
}
