/* test_hpo.c — the HPO module: the hand-made fixture ontology (tests/fixtures/hpo/, the
 * same 17 terms as obographs JSON and as OBO) checked for parsing, alt/obsolete
 * resolution, ancestors, IC computed by hand, MICA and malformed input; the store round
 * trip (save, audit, rebuild, search); and, when the data directory is there, the real
 * 2025-05-06 release. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "pheno/hpo.h"
#include "pheno/hpo_store.h"
#include "store/store_hpo.h"

#define FIX "tests/fixtures/hpo/"

static char tmpdir[] = "/tmp/genoshare-test-hpo.XXXXXX";

static bool near(double a, double b) { return fabs(a - b) < 1e-9; }

static int term(const struct hpo *h, const char *id)
{
    int t = -1;
    struct gs_err err = {0};
    if (hpo_term_lookup(h, id, &t, NULL, &err) != GS_OK)
        return -1;
    return t;
}

/* Writes text to a file under the temporary directory; returns its path (static). */
static const char *write_tmp(const char *name, const char *text, size_t len)
{
    static char path[4][512];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, sizeof path[0], "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
    return p;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    *len = fread(data, 1, (size_t)n, f);
    data[*len] = '\0';
    fclose(f);
    return data;
}

/* ---- the fixture, from either format ---- */

static void check_structure(struct check_state *st, const struct hpo *h, const char *fmt)
{
    struct hpo_stats s;
    hpo_stats(h, &s);
    CHECK(st, strcmp(hpo_version(h), "http://purl.obolibrary.org/obo/hp/releases/2099-01-01/"
                     "hp.json") == 0, "%s: version kept", fmt);
    CHECK(st, s.terms == 17 && s.obsolete == 2, "%s: 17 HP terms, 2 obsolete (got %d, %d); "
          "UBERON class and HP property skipped", fmt, s.terms, s.obsolete);
    CHECK(st, s.is_a == 15, "%s: 15 is_a edges, part_of skipped (got %d)", fmt, s.is_a);
    CHECK(st, s.alt_ids == 1 && s.synonyms == 4, "%s: 1 alt id, 4 synonyms (got %d, %d)", fmt,
          s.alt_ids, s.synonyms);
    int seizure = term(h, "HP:0001250");
    CHECK(st, seizure >= 0 && strcmp(hpo_term_label(h, seizure, HPO_LANG_EN), "Seizure") == 0,
          "%s: HP:0001250 is Seizure", fmt);
    int n;
    const char *const *syn = hpo_term_synonyms(h, seizure, &n);
    CHECK(st, n == 2 && strcmp(syn[0], "Epileptic seizure") == 0, "%s: synonyms in file order",
          fmt);

    /* resolution */
    int t = -1;
    enum hpo_resolution how = HPO_RESOLVED_PRIMARY;
    struct gs_err err = {0};
    CHECK(st, hpo_term_lookup(h, "HP:0001275", &t, &how, &err) == GS_OK && t == seizure &&
          how == HPO_RESOLVED_ALT_ID, "%s: alt id HP:0001275 resolves to Seizure", fmt);
    CHECK(st, hpo_term_lookup(h, "HP:0000058", &t, &how, &err) == GS_OK &&
          t == term(h, "HP:0000252") && how == HPO_RESOLVED_REPLACED,
          "%s: obsolete HP:0000058 resolves by replaced_by to Microcephaly", fmt);
    CHECK(st, hpo_term_lookup(h, "HP:0000489", &t, &how, &err) == GS_OK &&
          how == HPO_RESOLVED_OBSOLETE && hpo_term_obsolete(h, t) &&
          hpo_term_replaced_by(h, t) == -1, "%s: obsolete HP:0000489 without replacement", fmt);
    const int *consider = hpo_term_consider(h, t, &n);
    CHECK(st, n == 2 && consider[0] == term(h, "HP:0000252") &&
          consider[1] == term(h, "HP:0002119"), "%s: consider links kept", fmt);
    gs_err_clear(&err);
    CHECK(st, hpo_term_lookup(h, "HP:0009999", &t, &how, &err) == GS_ENOTFOUND &&
          strstr(err.msg, "HP:0009999") != NULL, "%s: unknown id is GS_ENOTFOUND naming it",
          fmt);
    gs_err_clear(&err);
    CHECK(st, hpo_term_lookup(h, "HP:12345", &t, &how, &err) == GS_EINVAL &&
          hpo_term_lookup(h, "HP:00012500", &t, &how, &err) == GS_EINVAL &&
          hpo_term_lookup(h, "MONDO:0000001", &t, &how, &err) == GS_EINVAL &&
          hpo_term_lookup(h, "", &t, &how, &err) == GS_EINVAL,
          "%s: malformed ids are GS_EINVAL", fmt);
    uint32_t num;
    CHECK(st, hpo_id_parse("http://purl.obolibrary.org/obo/HP_0001250", &num) && num == 1250,
          "%s: IRI form parses", fmt);

    /* graph */
    int micro = term(h, "HP:0000252");
    const int *parents = hpo_term_parents(h, micro, &n);
    CHECK(st, n == 2 && parents[0] == term(h, "HP:0000234") && parents[1] == term(h, "HP:0012639"),
          "%s: Microcephaly has two parents, sorted by id", fmt);
    const int *anc = hpo_term_ancestors(h, micro, &n);
    bool sorted = true;
    for (int i = 1; i < n; i++)
        sorted = sorted && anc[i - 1] < anc[i];
    CHECK(st, n == 7 && sorted, "%s: Microcephaly has 7 ancestors incl. itself, sorted (got %d)",
          fmt, n);
    CHECK(st, hpo_term_is_a(h, micro, micro) && hpo_term_is_a(h, micro, term(h, "HP:0000118")) &&
          hpo_term_is_a(h, micro, term(h, "HP:0000707")) &&
          !hpo_term_is_a(h, micro, term(h, "HP:0012638")) &&
          !hpo_term_is_a(h, term(h, "HP:0000118"), micro),
          "%s: is_a closure through both parents, not downwards", fmt);
    const int *children = hpo_term_children(h, seizure, &n);
    CHECK(st, n == 2 && children[0] == term(h, "HP:0002121") && children[1] == term(h, "HP:0020219"),
          "%s: Seizure's children", fmt);
    const int *root_anc = hpo_term_ancestors(h, term(h, "HP:0000001"), &n);
    CHECK(st, n == 1 && root_anc[0] == term(h, "HP:0000001"), "%s: the root's only ancestor is "
          "itself", fmt);
}

static void check_ic(struct check_state *st, struct hpo *h, const char *fmt)
{
    struct hpo_annotation_report r;
    struct gs_err err = {0};
    int rc = hpo_load_annotations(h, FIX "mini.hpoa", &r, &err);
    CHECK(st, rc == GS_OK, "%s: annotations load (%s)", fmt, err.msg);
    if (rc != GS_OK)
        return;
    CHECK(st, r.rows == 11 && r.used == 7 && r.skipped_not == 1 && r.skipped_aspect == 1,
          "%s: 11 rows: 7 used, 1 NOT, 1 other aspect (got %lld %lld %lld %lld)", fmt,
          (long long)r.rows, (long long)r.used, (long long)r.skipped_not,
          (long long)r.skipped_aspect);
    CHECK(st, r.problems.unknown == 1 && r.problems.alt_resolved == 1 &&
          r.problems.obsolete_replaced == 1 && r.problems.obsolete_unresolved == 1 &&
          r.problems.nexamples == 4, "%s: unknown, alt, replaced and obsolete ids reported", fmt);
    CHECK(st, strstr(r.problems.examples[0], "line 9: HP:0001275 is an alt id of HP:0001250"),
          "%s: the first example names line and ids (%s)", fmt, r.problems.examples[0]);
    CHECK(st, r.diseases == 4 && strcmp(r.version, "2099-01-01") == 0,
          "%s: 4 annotated diseases (ORPHA:5 had no usable row), version read", fmt);
    /* by hand: D1 {Seizure, Microcephaly}, D2 {Motor seizure}, D3 {Ventriculomegaly, Seizure
     * via alt}, D4 {Microcephaly via replaced_by}; N = 4 */
    struct {
        const char *id;
        double ic;
    } want[] = {
        {"HP:0000001", 0.0},       {"HP:0000118", 0.0},       {"HP:0000707", 0.0},
        {"HP:0012638", log(4.0 / 3)}, {"HP:0001250", log(4.0 / 3)}, {"HP:0020219", log(4.0)},
        {"HP:0002121", log(4.0)},  {"HP:0012639", log(4.0 / 3)}, {"HP:0000252", log(2.0)},
        {"HP:0000234", log(2.0)},  {"HP:0000152", log(2.0)},  {"HP:0001263", log(4.0)},
        {"HP:0000006", log(4.0)},  {"HP:0002119", log(4.0)},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int t = term(h, want[i].id);
        CHECK(st, t >= 0 && near(hpo_term_ic(h, t), want[i].ic), "%s: IC(%s) = %.6f (got %.6f)",
              fmt, want[i].id, want[i].ic, t >= 0 ? hpo_term_ic(h, t) : -1.0);
    }
    CHECK(st, signbit(hpo_term_ic(h, term(h, "HP:0000001"))) == 0, "%s: root IC is +0", fmt);
    struct {
        const char *a, *b, *mica;
        double ic;
    } pairs[] = {
        {"HP:0020219", "HP:0002121", "HP:0001250", log(4.0 / 3)}, /* siblings */
        {"HP:0000252", "HP:0002119", "HP:0012639", log(4.0 / 3)}, /* via the second parent */
        {"HP:0000252", "HP:0000234", "HP:0000234", log(2.0)},     /* IC tie with 152: deeper */
        {"HP:0020219", "HP:0020219", "HP:0020219", log(4.0)},     /* itself */
        {"HP:0001250", "HP:0000252", "HP:0000707", 0.0},          /* IC tie: deepest */
        {"HP:0020219", "HP:0000006", "HP:0000001", 0.0},          /* only the root */
    };
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        double ic = -1, ic2 = -1;
        int m = hpo_mica(h, term(h, pairs[i].a), term(h, pairs[i].b), &ic);
        int m2 = hpo_mica(h, term(h, pairs[i].b), term(h, pairs[i].a), &ic2);
        CHECK(st, m == term(h, pairs[i].mica) && near(ic, pairs[i].ic) && m2 == m && ic2 == ic,
              "%s: MICA(%s, %s) = %s, IC %.4f, symmetric (got %s)", fmt, pairs[i].a, pairs[i].b,
              pairs[i].mica, pairs[i].ic, m >= 0 ? hpo_term_id(h, m) : "none");
    }
    struct hpo_stats s;
    hpo_stats(h, &s);
    CHECK(st, near(s.ic_min, 0.0) && near(s.ic_max, log(4.0)) && s.diseases == 4,
          "%s: IC range 0..ln 4 over 4 diseases", fmt);
}

static void check_labels(struct check_state *st, struct hpo *h, const char *fmt)
{
    struct hpo_labels_report r;
    struct gs_err err = {0};
    int rc = hpo_load_labels_ja(h, FIX "mini-ja.babelon.tsv", &r, &err);
    CHECK(st, rc == GS_OK, "%s: Japanese labels load (%s)", fmt, err.msg);
    CHECK(st, r.rows == 9 && r.labels == 3 && r.skipped_status == 1 && r.skipped_other == 1,
          "%s: 3 labels applied, 1 not official, 1 synonym row (got %lld %lld %lld)", fmt,
          (long long)r.labels, (long long)r.skipped_status, (long long)r.skipped_other);
    CHECK(st, r.problems.unknown == 1 && r.problems.obsolete_replaced == 1 &&
          r.problems.alt_resolved == 1 && r.problems.obsolete_unresolved == 1,
          "%s: unknown, replaced, alt and obsolete label ids reported", fmt);
    CHECK(st, strcmp(hpo_term_label(h, term(h, "HP:0001250"), HPO_LANG_JA), "発作") == 0 &&
          strcmp(hpo_term_label(h, term(h, "HP:0000252"), HPO_LANG_JA), "小頭症") == 0,
          "%s: a term's own label wins over its alt or obsolete id's", fmt);
    CHECK(st, strcmp(hpo_term_label(h, term(h, "HP:0000001"), HPO_LANG_JA), "") == 0,
          "%s: NOT_TRANSLATED gives no label", fmt);
}

static void test_fixture(struct check_state *st, const char *fmt, const char *path)
{
    struct hpo *h = NULL;
    struct gs_err err = {0};
    int rc = hpo_load_ontology(path, &h, &err);
    CHECK(st, rc == GS_OK, "%s: loads (%s)", fmt, err.msg);
    if (rc != GS_OK)
        return;
    check_structure(st, h, fmt);
    check_ic(st, h, fmt);
    check_labels(st, h, fmt);
    hpo_free(h);
}

/* The gzipped copy of the OBO fixture reads the same. */
static void test_gzip(struct check_state *st)
{
    size_t len;
    char *text = slurp(FIX "mini.obo", &len);
    char path[512];
    snprintf(path, sizeof path, "%s/mini.obo.gz", tmpdir);
    gzFile gz = gzopen(path, "wb");
    if (gz && text) {
        gzwrite(gz, text, (unsigned)len);
        gzclose(gz);
    }
    free(text);
    struct hpo *h = NULL;
    struct gs_err err = {0};
    int rc = hpo_load_ontology(path, &h, &err);
    CHECK(st, rc == GS_OK && hpo_term_count(h) == 17, "gzipped OBO reads the same (%s)", err.msg);
    hpo_free(h);
}

/* ---- malformed input: each error names the file and where ---- */

static void expect_ontology_error(struct check_state *st, const char *name, const char *text,
                                  const char *want)
{
    const char *path = write_tmp(name, text, strlen(text));
    struct hpo *h = NULL;
    struct gs_err err = {0};
    int rc = hpo_load_ontology(path, &h, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, want) != NULL && strstr(err.msg, name) != NULL,
          "malformed %s: GS_EINVAL with '%s' and the file name (got %d: %s)", name, want, rc,
          err.msg);
    hpo_free(h);
}

static void test_malformed(struct check_state *st)
{
    size_t len;
    char *json = slurp(FIX "mini.json", &len);
    const char *path = write_tmp("truncated.json", json, len / 2);
    struct hpo *h = NULL;
    struct gs_err err = {0};
    int rc = hpo_load_ontology(path, &h, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "truncated.json: line ") && strstr(err.msg, "column"),
          "truncated JSON: GS_EINVAL with line and column (%s)", err.msg);
    free(json);
    expect_ontology_error(st, "nographs.json", "{\"nodes\": []}", "no graphs[0]");
    expect_ontology_error(st, "noid.obo", "format-version: 1.2\n\n[Term]\nid: HP:0000001\n"
                          "name: All\n\n[Term]\nname: Nameless\nis_a: HP:0000001\n",
                          "noid.obo:7: [Term] without an id");
    expect_ontology_error(st, "dangling.obo", "[Term]\nid: HP:0000001\n\n[Term]\n"
                          "id: HP:0000002\nis_a: HP:0000003 ! nowhere\n",
                          "dangling.obo:6: is_a HP:0000003 of HP:0000002 names no term");
    expect_ontology_error(st, "cycle.obo", "[Term]\nid: HP:0000001\n\n[Term]\nid: HP:0000002\n"
                          "is_a: HP:0000003\n\n[Term]\nid: HP:0000003\nis_a: HP:0000002\n",
                          "form a cycle");
    expect_ontology_error(st, "twice.obo", "[Term]\nid: HP:0000001\n\n[Term]\nid: HP:0000001\n",
                          "twice.obo:4: HP:0000001 is declared twice");
    expect_ontology_error(st, "badid.obo", "[Term]\nid: HP:0000001\n\n[Term]\nid: HP:0000002\n"
                          "is_a: HP:12\n", "badid.obo:6: is_a 'HP:12' is not an HP id");
    expect_ontology_error(st, "notag.obo", "[Term]\nid: HP:0000001\nthis line has no colon\n",
                          "notag.obo:3: expected 'tag: value'");
    expect_ontology_error(st, "badobsolete.obo", "[Term]\nid: HP:0000001\nis_obsolete: maybe\n",
                          "badobsolete.obo:3: is_obsolete must be true or false");
    expect_ontology_error(st, "empty.obo", "format-version: 1.2\n", "no HP terms");
    expect_ontology_error(st, "altlive.obo", "[Term]\nid: HP:0000001\nalt_id: HP:0000002\n\n"
                          "[Term]\nid: HP:0000002\n", "is itself a current term");
    rc = hpo_load_ontology(FIX "does-not-exist.obo", &h, &err);
    CHECK(st, rc == GS_EIO, "a missing ontology file is GS_EIO");

    /* tables: columns found by header; missing ones named */
    struct hpo *good = NULL;
    gs_err_clear(&err);
    if (hpo_load_ontology(FIX "mini.obo", &good, &err) != GS_OK)
        return;
    static const char no_aspect[] = "#version: x\ndatabase_id\tdisease_name\tqualifier\thpo_id\t"
                                    "unknown_column\nOMIM:1\tD\t\tHP:0001250\tz\n";
    struct hpo_annotation_report ar;
    gs_err_clear(&err);
    rc = hpo_load_annotations(good, write_tmp("noaspect.hpoa", no_aspect, sizeof no_aspect - 1),
                              &ar, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "noaspect.hpoa:2: the header lacks the column "
                                        "'aspect'"), "hpoa without aspect column (%s)", err.msg);
    static const char short_row[] = "database_id\tqualifier\thpo_id\taspect\textra\n"
                                    "OMIM:1\t\tHP:0001250\tP\tx\nOMIM:2\t\tHP:0001250\n";
    gs_err_clear(&err);
    rc = hpo_load_annotations(good, write_tmp("short.hpoa", short_row, sizeof short_row - 1), &ar,
                              &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "short.hpoa:3: 3 columns"),
          "hpoa row with too few columns (%s)", err.msg);
    static const char reordered[] = "aspect\thpo_id\tnew_column\tqualifier\tdatabase_id\n"
                                    "P\tHP:0020219\tx\t\tOMIM:1\nP\tHP:0000006\tx\t\tOMIM:2\n";
    gs_err_clear(&err);
    rc = hpo_load_annotations(good, write_tmp("reordered.hpoa", reordered, sizeof reordered - 1),
                              &ar, &err);
    CHECK(st, rc == GS_OK && ar.diseases == 2 && near(hpo_term_ic(good, term(good, "HP:0001250")),
                                                      log(2.0)),
          "hpoa with reordered and unknown columns reads by header (%s)", err.msg);
    static const char no_subject[] = "source\tpredicate_id\ttranslation_value\ttranslation_status\n";
    struct hpo_labels_report lr;
    gs_err_clear(&err);
    rc = hpo_load_labels_ja(good, write_tmp("nosubject.tsv", no_subject, sizeof no_subject - 1),
                            &lr, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "lacks the column 'subject_id'"),
          "Babelon without subject_id (%s)", err.msg);
    gs_err_clear(&err);
    rc = hpo_load_labels_ja(good, write_tmp("empty.tsv", "", 0), &lr, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "no header line"), "empty Babelon file (%s)",
          err.msg);
    hpo_free(good);
}

/* ---- the store ---- */

struct hits {
    int n;
    uint32_t first;
    char matched[256];
};
static int collect(void *ctx, const struct store_hpo_hit *hit)
{
    struct hits *h = ctx;
    if (h->n++ == 0) {
        h->first = hit->term;
        snprintf(h->matched, sizeof h->matched, "%s", hit->matched);
    }
    return GS_OK;
}

static struct hits search(struct store *s, const char *text, const char *lang)
{
    struct hits h = {0};
    struct gs_err err = {0};
    if (store_hpo_search(s, text, lang, 20, collect, &h, &err) != GS_OK)
        h.n = -1;
    return h;
}

static void test_store(struct check_state *st)
{
    char path[512];
    snprintf(path, sizeof path, "%s/store.db", tmpdir);
    struct store *s = NULL;
    struct gs_err err = {0};
    struct hpo *h = NULL, *back = NULL;
    struct hpo_annotation_report ar;
    struct hpo_labels_report lr;
    if (store_open(path, &s, &err) != GS_OK || hpo_load_ontology(FIX "mini.json", &h, &err) != GS_OK ||
        hpo_load_annotations(h, FIX "mini.hpoa", &ar, &err) != GS_OK ||
        hpo_load_labels_ja(h, FIX "mini-ja.babelon.tsv", &lr, &err) != GS_OK) {
        CHECK(st, false, "store: setup (%s)", err.msg);
        goto done;
    }
    CHECK(st, hpo_from_store(s, &back, &err) == GS_ENOTFOUND && strstr(err.msg, "no HPO release"),
          "store: rebuilding before any load is GS_ENOTFOUND");
    struct actor by = {"operator:test", "cli"};
    gs_err_clear(&err);
    int rc = hpo_store_save(s, &by, h, 1700000000, &err);
    CHECK(st, rc == GS_OK, "store: save (%s)", err.msg);
    rc = hpo_store_save(s, &by, h, 1700000100, &err);
    CHECK(st, rc == GS_OK, "store: a second save replaces the first (%s)", err.msg);
    struct store_hpo_release rel;
    CHECK(st, store_hpo_release_current(s, &rel, &err) == GS_OK && rel.id == 2 &&
          rel.terms == 17 && rel.diseases == 4 && rel.loaded_at == 1700000100 &&
          strcmp(rel.annotations_version, "2099-01-01") == 0, "store: release row kept");
    rc = hpo_from_store(s, &back, &err);
    CHECK(st, rc == GS_OK, "store: rebuild (%s)", err.msg);
    if (rc == GS_OK) {
        struct hpo_stats a, b;
        hpo_stats(h, &a);
        hpo_stats(back, &b);
        CHECK(st, a.terms == b.terms && a.obsolete == b.obsolete && a.alt_ids == b.alt_ids &&
              a.is_a == b.is_a && a.synonyms == b.synonyms && a.labels_ja == b.labels_ja &&
              a.diseases == b.diseases && a.ancestor_entries == b.ancestor_entries,
              "store: rebuilt counts equal the loaded ones");
        bool same = strcmp(hpo_version(h), hpo_version(back)) == 0;
        for (int t = 0; t < a.terms; t++) {
            int n1, n2;
            hpo_term_consider(h, t, &n1);
            hpo_term_consider(back, t, &n2);
            same = same && hpo_term_number(h, t) == hpo_term_number(back, t) &&
                   hpo_term_ic(h, t) == hpo_term_ic(back, t) && n1 == n2 &&
                   hpo_term_replaced_by(h, t) == hpo_term_replaced_by(back, t) &&
                   strcmp(hpo_term_label(h, t, HPO_LANG_JA), hpo_term_label(back, t, HPO_LANG_JA)) == 0;
        }
        CHECK(st, same, "store: every term's IC, labels, replacement equal after the round trip");
        enum hpo_resolution how;
        int t;
        CHECK(st, hpo_term_lookup(back, "HP:0001275", &t, &how, &err) == GS_OK &&
              how == HPO_RESOLVED_ALT_ID && hpo_term_number(back, t) == 1250,
              "store: alt ids survive");
    }
    struct hits x = search(s, "seiz", NULL);
    CHECK(st, x.n == 3 && x.first == 1250, "store: 'seiz' finds the 3 seizures, Seizure first "
          "(got %d, HP:%07u)", x.n, x.first);
    x = search(s, "petit", "en");
    CHECK(st, x.n == 1 && x.first == 2121 && strcmp(x.matched, "Petit mal") == 0,
          "store: synonyms are searched");
    x = search(s, "発作", "ja");
    CHECK(st, x.n == 2 && x.first == 1250, "store: 2-character Japanese finds 発作 and 欠神発作, "
          "shorter first");
    x = search(s, "小頭症", NULL);
    CHECK(st, x.n == 1 && x.first == 252, "store: 3-character Japanese finds 小頭症");
    x = search(s, "発作", "en");
    CHECK(st, x.n == 0, "store: --lang en excludes Japanese labels");
    x = search(s, "obsolete", NULL);
    CHECK(st, x.n == 0, "store: obsolete terms are not searchable");
    x = search(s, "system abnormal", NULL);
    CHECK(st, x.n == 3, "store: every word must match, in any order (got %d)", x.n);
    x = search(s, "100%_\"", NULL);
    CHECK(st, x.n == 0, "store: LIKE and FTS syntax in the text is literal");
    CHECK(st, search(s, "  ", NULL).n == -1, "store: empty search text is refused");
    struct audit_report rep;
    CHECK(st, audit_verify(s, &rep, &err) == GS_OK && rep.rows == 2 && rep.nproblems == 0,
          "store: two hpo.load audit rows, chain intact");
done:
    hpo_free(h);
    hpo_free(back);
    store_close(s);
}

/* ---- the real release ---- */

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_real(struct check_state *st)
{
    const char *data = getenv("GENOSHARE_DATA");
    if (data == NULL || data[0] == '\0')
        data = "../shared/data";
    char json[1024], hpoa[1024], ja[1024], dbpath[512];
    snprintf(json, sizeof json, "%s/hpo/hp.v2025-05-06.json.gz", data);
    snprintf(hpoa, sizeof hpoa, "%s/hpo/phenotype.v2025-05-06.hpoa.gz", data);
    snprintf(ja, sizeof ja, "%s/hpo/hp-ja.babelon.tsv.gz", data);
    if (access(json, R_OK) != 0) {
        printf("SKIP real HPO 2025-05-06: no data directory at %s\n", data);
        return;
    }
    struct hpo *h = NULL, *back = NULL;
    struct store *s = NULL;
    struct gs_err err = {0};
    struct hpo_annotation_report ar;
    struct hpo_labels_report lr;
    double t0 = seconds();
    int rc = hpo_load_ontology(json, &h, &err);
    double t1 = seconds();
    CHECK(st, rc == GS_OK, "real: hp.v2025-05-06.json.gz loads in %.0f ms (%s)",
          (t1 - t0) * 1000, err.msg);
    if (rc != GS_OK)
        return;
    CHECK(st, strcmp(hpo_version(h), "http://purl.obolibrary.org/obo/hp/releases/2025-05-06/"
                     "hp.json") == 0, "real: version string");
    CHECK(st, hpo_term_count(h) == 19650, "real: 19,650 HP classes as SOURCES.md says (got %d)",
          hpo_term_count(h));
    int seizure = term(h, "HP:0001250"), pheno = term(h, "HP:0000118");
    CHECK(st, seizure >= 0 && strcmp(hpo_term_label(h, seizure, HPO_LANG_EN), "Seizure") == 0 &&
          hpo_term_is_a(h, seizure, pheno), "real: HP:0000118 is an ancestor of Seizure");
    enum hpo_resolution how;
    int t;
    CHECK(st, hpo_term_lookup(h, "HP:0004715", &t, &how, &err) == GS_OK &&
          how == HPO_RESOLVED_ALT_ID && hpo_term_number(h, t) == 3,
          "real: alt id HP:0004715 resolves to HP:0000003");
    CHECK(st, hpo_term_lookup(h, "HP:0000057", &t, &how, &err) == GS_OK &&
          how == HPO_RESOLVED_REPLACED && hpo_term_number(h, t) == 8665,
          "real: obsolete HP:0000057 is replaced by HP:0008665");
    rc = hpo_load_annotations(h, hpoa, &ar, &err);
    CHECK(st, rc == GS_OK && ar.diseases == 12683, "real: 12,683 annotated diseases (got %lld: %s)",
          (long long)ar.diseases, err.msg);
    CHECK(st, hpo_term_ic(h, term(h, "HP:0000001")) == 0.0, "real: IC of HP:0000001 is 0");
    double ic = 0;
    int m = hpo_mica(h, seizure, term(h, "HP:0001263"), &ic);
    CHECK(st, m == term(h, "HP:0012638") && ic > 0,
          "real: MICA(Seizure, Global developmental delay) is HP:0012638");
    rc = hpo_load_labels_ja(h, ja, &lr, &err);
    CHECK(st, rc == GS_OK && strcmp(hpo_term_label(h, seizure, HPO_LANG_JA), "発作") == 0,
          "real: Japanese label of Seizure is 発作");
    CHECK(st, lr.problems.unknown + lr.problems.obsolete_replaced + lr.problems.alt_resolved +
          lr.problems.obsolete_unresolved > 0 && lr.problems.nexamples > 0,
          "real: the 2023 translations' retired ids are reported, not dropped");
    snprintf(dbpath, sizeof dbpath, "%s/real.db", tmpdir);
    struct actor by = {"operator:test", "cli"};
    if (store_open(dbpath, &s, &err) == GS_OK) {
        t0 = seconds();
        rc = hpo_store_save(s, &by, h, time(NULL), &err);
        t1 = seconds();
        CHECK(st, rc == GS_OK, "real: saved to the store in %.0f ms (%s)", (t1 - t0) * 1000,
              err.msg);
        t0 = seconds();
        rc = hpo_from_store(s, &back, &err);
        t1 = seconds();
        CHECK(st, rc == GS_OK && hpo_term_count(back) == 19650 &&
              hpo_term_ic(back, term(back, "HP:0001250")) == hpo_term_ic(h, seizure),
              "real: hpo_from_store rebuilds 19,650 terms in %.0f ms (%s)", (t1 - t0) * 1000,
              err.msg);
    }
    hpo_free(back);
    hpo_free(h);
    store_close(s);
}

/* hpo_load_release (the tables read on a second thread, parsed from memory) gives what the
 * three separate calls give: same reports, same IC and Japanese label for every term. */
static void test_release(struct check_state *st)
{
    struct gs_err err = {0};
    struct hpo *a = NULL, *b = NULL;
    struct hpo_annotation_report ar1, ar2;
    struct hpo_labels_report lr1, lr2;
    int rc = hpo_load_ontology(FIX "mini.json", &a, &err);
    if (rc == GS_OK)
        rc = hpo_load_annotations(a, FIX "mini.hpoa", &ar1, &err);
    if (rc == GS_OK)
        rc = hpo_load_labels_ja(a, FIX "mini-ja.babelon.tsv", &lr1, &err);
    int rc2 = hpo_load_release(FIX "mini.json", FIX "mini.hpoa", FIX "mini-ja.babelon.tsv", &b,
                               &ar2, &lr2, &err);
    CHECK(st, rc == GS_OK && rc2 == GS_OK, "release: loads (%s)", err.msg);
    if (rc == GS_OK && rc2 == GS_OK) {
        bool same = hpo_term_count(a) == hpo_term_count(b) && ar1.rows == ar2.rows &&
                    ar1.used == ar2.used && ar1.diseases == ar2.diseases &&
                    strcmp(ar1.version, ar2.version) == 0 && lr1.labels == lr2.labels &&
                    lr1.rows == lr2.rows;
        for (int t = 0; same && t < hpo_term_count(a); t++)
            same = hpo_term_ic(a, t) == hpo_term_ic(b, t) &&
                   strcmp(hpo_term_label(a, t, HPO_LANG_JA), hpo_term_label(b, t, HPO_LANG_JA)) == 0;
        CHECK(st, same && lr2.labels > 0 && ar2.used > 0,
              "release: same reports, IC and Japanese labels as the separate calls");
    }
    hpo_free(b);
    b = NULL;
    gs_err_clear(&err);
    rc = hpo_load_release(FIX "mini.json", FIX "no-such.hpoa", NULL, &b, &ar2, &lr2, &err);
    CHECK(st, rc == GS_EIO && b == NULL && strstr(err.msg, "no-such.hpoa"),
          "release: a missing annotation file is an error naming it (%s)", err.msg);
    hpo_free(a);
}

int main(void)
{
    struct check_state st = {0};
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    test_fixture(&st, "json", FIX "mini.json");
    test_fixture(&st, "obo", FIX "mini.obo");
    test_gzip(&st);
    test_malformed(&st);
    test_store(&st);
    test_release(&st);
    test_real(&st);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_finish(&st);
}
