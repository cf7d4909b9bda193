/* test_variants.c — the variant knowledge base below the CLI: normalisation (chromosome
 * names, trim, left-align, REF check) on a fixture FASTA and on the real GRCh38 BRCA1 region
 * (skipped when absent), the classification vocabulary and ClinVar-style aggregation on
 * hand-built sets, and submissions through a real temporary database: parsing errors with
 * line numbers and all-or-nothing, curation and what each caller then sees, re-submission
 * history, tiers, search forms (region, HGVS, rsID, gene, condition), and a file of more
 * records than the reading-to-writing pipeline holds at once. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "registry/registry.h"
#include "variants/aggregate.h"
#include "variants/curate.h"
#include "variants/genes.h"
#include "variants/normalize.h"
#include "variants/search.h"
#include "variants/submit.h"

#define MUST(expr)                                                                          \
    do {                                                                                    \
        if ((expr) != GS_OK) {                                                              \
            fprintf(stderr, "setup failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, #expr,  \
                    err.msg);                                                               \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

static char tmpdir[64];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(1);
    }
}

/* ---- normalisation ---- */

struct norm_case {
    const char *name, *chrom;
    int64_t pos;
    const char *ref, *alt;
    int64_t want_pos;
    const char *want_ref, *want_alt;
};

static int normalize_one(struct reference *r, const char *chrom, int64_t *pos, const char *ref,
                         const char *alt, char *rbuf, char *abuf, struct gs_err *err)
{
    bool changed;
    snprintf(rbuf, 64, "%s", ref);
    snprintf(abuf, 64, "%s", alt);
    return variant_normalize(r, chrom, pos, rbuf, abuf, &changed, err);
}

static void test_normalize_fixture(struct check_state *st)
{
    char src[128], fa[128];
    snprintf(src, sizeof src, "tests/fixtures/variants/mini.fa");
    snprintf(fa, sizeof fa, "%s/mini.fa", tmpdir);
    char *text = NULL;
    FILE *f = fopen(src, "r");
    size_t n = 0;
    if (f != NULL) {
        text = calloc(1, 4096);
        n = fread(text, 1, 4095, f);
        fclose(f);
    }
    if (!CHECK(st, text != NULL && n > 0, "normalize: fixture FASTA readable")) {
        free(text);
        return;
    }
    write_file(fa, text);
    free(text);
    struct gs_err err = {0};
    struct reference *r = NULL;
    if (!CHECK(st, reference_open(fa, &r, &err) == GS_OK, "normalize: fixture FASTA opens"))
        return;
    /* 1: ACGTT CACACACA GTTGC AAAAAA GCTAGCTAGG… */
    static const struct norm_case cases[] = {
        {"deletion in CA repeat moves left", "1", 11, "ACA", "A", 5, "TCA", "T"},
        {"insertion in A run moves left", "1", 24, "A", "AA", 18, "C", "CA"},
        {"padded SNV trimmed", "1", 26, "CT", "GT", 26, "C", "G"},
        {"shared prefix and suffix trimmed", "1", 25, "GCT", "GAT", 26, "C", "A"},
        {"lower-case alleles upper-cased", "chr1", 3, "g", "a", 3, "G", "A"},
        {"already normal deletion kept", "1", 5, "TCA", "T", 5, "TCA", "T"},
        {"chrM reached as MT", "MT", 2, "A", "G", 2, "A", "G"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct norm_case *c = &cases[i];
        char chrom[32], rbuf[64], abuf[64];
        int64_t pos = c->pos;
        gs_err_clear(&err);
        int rc = chrom_normalize(c->chrom, chrom, sizeof chrom, &err);
        if (rc == GS_OK)
            rc = normalize_one(r, chrom, &pos, c->ref, c->alt, rbuf, abuf, &err);
        CHECK(st, rc == GS_OK && pos == c->want_pos && strcmp(rbuf, c->want_ref) == 0 &&
                      strcmp(abuf, c->want_alt) == 0,
              "normalize: %s (%s:%lld %s>%s)", c->name, c->chrom, (long long)c->pos, c->ref,
              c->alt);
    }
    /* REF mismatch: refused, naming the reference base and the position */
    char rbuf[64], abuf[64];
    int64_t pos = 3;
    gs_err_clear(&err);
    int rc = normalize_one(r, "1", &pos, "A", "T", rbuf, abuf, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "'G'") && strstr(err.msg, "1:3"),
          "normalize: REF mismatch refused with the reference base and position (%s)", err.msg);
    pos = 2;
    gs_err_clear(&err);
    rc = normalize_one(r, "2", &pos, "A", "T", rbuf, abuf, &err);
    CHECK(st, rc == GS_ENOTFOUND, "normalize: chromosome missing from the FASTA is an error");
    pos = 58;
    gs_err_clear(&err);
    rc = normalize_one(r, "1", &pos, "CA", "C", rbuf, abuf, &err);
    CHECK(st, rc == GS_EINVAL, "normalize: a REF running past the chromosome end is refused");
    pos = 7;
    gs_err_clear(&err);
    rc = normalize_one(r, "1", &pos, "AXC", "A", rbuf, abuf, &err);
    CHECK(st, rc == GS_EINVAL, "normalize: non-nucleotide REF refused");
    reference_close(r);
    /* without a reference: trimmed only, never moved past the anchor */
    pos = 11;
    rc = normalize_one(NULL, "1", &pos, "ACA", "A", rbuf, abuf, &err);
    CHECK(st, rc == GS_OK && pos == 11 && strcmp(rbuf, "ACA") == 0,
          "normalize: without reference a deletion keeps its place");
    pos = 26;
    rc = normalize_one(NULL, "1", &pos, "CT", "GT", rbuf, abuf, &err);
    CHECK(st, rc == GS_OK && pos == 26 && strcmp(rbuf, "C") == 0 && strcmp(abuf, "G") == 0,
          "normalize: without reference a padded SNV is still trimmed");
    /* chromosome names */
    static const char *const names[][2] = {{"chr17", "17"}, {"chrM", "MT"}, {"M", "MT"},
                                           {"chrx", "X"},   {"22", "22"},   {"MT", "MT"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char out[32];
        CHECK(st, chrom_normalize(names[i][0], out, sizeof out, &err) == GS_OK &&
                      strcmp(out, names[i][1]) == 0,
              "normalize: chromosome %s is %s", names[i][0], names[i][1]);
    }
    char out[32];
    CHECK(st, chrom_normalize("chr 1", out, sizeof out, &err) == GS_EINVAL,
          "normalize: chromosome name with a space refused");
}

/* On the real BRCA1 region: a known REF, and an insertion placed at the end of a real
 * homopolymer run found in the sequence moves to the base before the run. */
static void test_normalize_real(struct check_state *st)
{
    const char *data = getenv("GENOSHARE_DATA");
    char fa[512];
    snprintf(fa, sizeof fa, "%s/variants/GRCh38_chr17_BRCA1region_Npadded.fa.gz",
             data ? data : "../shared/data");
    if (access(fa, R_OK) != 0) {
        printf("SKIP normalize: real BRCA1 region: %s absent\n", fa);
        return;
    }
    struct gs_err err = {0};
    struct reference *r = NULL;
    if (!CHECK(st, reference_open(fa, &r, &err) == GS_OK, "normalize real: FASTA opens (%s)",
               err.msg))
        return;
    char b = 0;
    CHECK(st, reference_base(r, "17", 43045712, &b, &err) == GS_OK && b == 'T',
          "normalize real: 17:43045712 is T (ClinVar NC_000017.11:g.43045712T>C)");
    /* find a run of >= 5 identical bases in BRCA1 */
    int64_t run_start = 0, run_end = 0;
    char prev = 0;
    int64_t start = 0;
    for (int64_t p = 43044300; p < 43125500 && run_start == 0; p++) {
        char c;
        if (reference_base(r, "17", p, &c, &err) != GS_OK)
            break;
        if (c != prev) {
            if (prev && p - start >= 5 && strchr("ACGT", prev))
                run_start = start, run_end = p - 1;
            prev = c, start = p;
        }
    }
    if (CHECK(st, run_start > 0, "normalize real: a homopolymer run exists in BRCA1")) {
        char base, before, rbuf[64], abuf[64];
        if (reference_base(r, "17", run_end, &base, &err) == GS_OK &&
            reference_base(r, "17", run_start - 1, &before, &err) == GS_OK) {
            char ref[2] = {base, 0}, alt[3] = {base, base, 0};
            int64_t pos = run_end;
            int rc = normalize_one(r, "17", &pos, ref, alt, rbuf, abuf, &err);
            CHECK(st, rc == GS_OK && pos == run_start - 1 && rbuf[0] == before && !rbuf[1] &&
                          abuf[0] == before && abuf[1] == base && !abuf[2],
                  "normalize real: insertion at the end of the run at 17:%lld moves to %lld",
                  (long long)run_end, (long long)run_start - 1);
            /* and a deletion of the run's last base likewise */
            char dref[3] = {base, base, 0}, dalt[2] = {base, 0};
            pos = run_end - 1;
            rc = normalize_one(r, "17", &pos, dref, dalt, rbuf, abuf, &err);
            CHECK(st, rc == GS_OK && pos == run_start - 1 && rbuf[0] == before &&
                          rbuf[1] == base && abuf[0] == before && !abuf[1],
                  "normalize real: deletion inside the run moves to its left anchor");
        }
    }
    int64_t pos = 43045712;
    char rbuf[64], abuf[64];
    int rc = normalize_one(r, "17", &pos, "G", "C", rbuf, abuf, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "17:43045712"),
          "normalize real: wrong REF at 17:43045712 refused");
    reference_close(r);
}

/* ---- aggregation ---- */

static void test_vocabulary(struct check_state *st)
{
    struct gs_err err = {0};
    char out[256];
    static const char *const good[][2] = {
        {"likely_pathogenic", "Likely pathogenic"},
        {"PATHOGENIC", "Pathogenic"},
        {"Pathogenic/Likely_pathogenic/Pathogenic,_low_penetrance",
         "Pathogenic/Likely pathogenic/Pathogenic, low penetrance"},
        {"Pathogenic|risk_factor", "Pathogenic; risk factor"},
        {"Conflicting_classifications_of_pathogenicity",
         "Conflicting classifications of pathogenicity"},
        {"drug response", "drug response"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(st, classification_parse(good[i][0], out, sizeof out, &err) == GS_OK &&
                      strcmp(out, good[i][1]) == 0,
              "vocabulary: '%s' reads as '%s' (got '%s')", good[i][0], good[i][1], out);
    CHECK(st, classification_parse("Probably bad", out, sizeof out, &err) == GS_EINVAL &&
                  strstr(err.msg, "Probably bad"),
          "vocabulary: unknown classification refused, named");
    CHECK(st, classification_group("Pathogenic/Likely pathogenic") == CLASS_PATHOGENIC &&
                  classification_group("Benign/Likely benign") == CLASS_BENIGN &&
                  classification_group("Uncertain significance") == CLASS_UNCERTAIN &&
                  classification_group("drug response") == CLASS_OTHER &&
                  classification_group("not provided") == CLASS_NONE,
          "vocabulary: pathogenicity groups");
    enum review_status r;
    CHECK(st, review_status_parse("criteria_provided,_multiple_submitters,_no_conflicts", &r,
                                  &err) == GS_OK && r == REVIEW_MULTIPLE,
          "vocabulary: ClinVar's CLNREVSTAT spelling");
    CHECK(st, review_status_parse("reviewed by expert panel", &r, &err) == GS_OK &&
                  r == REVIEW_EXPERT_PANEL && review_status_stars(r) == 3,
          "vocabulary: expert panel is 3 stars");
    CHECK(st, review_status_parse("wild guess", &r, &err) == GS_EINVAL,
          "vocabulary: unknown review status refused");
}

#define SUB(who, cls, rev) {who, cls, rev, "2024-01-01"}

struct agg_case {
    const char *name;
    struct aggregate_input in[4];
    int n;
    const char *want_class;
    enum review_status want_review;
    int want_stars, want_conflicts;
};

static void test_aggregate(struct check_state *st)
{
    static const struct agg_case cases[] = {
        {"one submitter with criteria",
         {SUB("labA", "Pathogenic", REVIEW_SINGLE)},
         1,
         "Pathogenic",
         REVIEW_SINGLE,
         1,
         0},
        {"P + LP from two submitters",
         {SUB("labA", "Pathogenic", REVIEW_SINGLE),
          SUB("labB", "Likely pathogenic", REVIEW_SINGLE)},
         2,
         "Pathogenic/Likely pathogenic",
         REVIEW_MULTIPLE,
         2,
         0},
        {"B + LB from two submitters",
         {SUB("labA", "Benign", REVIEW_SINGLE), SUB("labB", "Likely benign", REVIEW_SINGLE)},
         2,
         "Benign/Likely benign",
         REVIEW_MULTIPLE,
         2,
         0},
        {"two agreeing on VUS",
         {SUB("labA", "Uncertain significance", REVIEW_SINGLE),
          SUB("labB", "Uncertain significance", REVIEW_SINGLE)},
         2,
         "Uncertain significance",
         REVIEW_MULTIPLE,
         2,
         0},
        {"P vs VUS conflict",
         {SUB("labA", "Pathogenic", REVIEW_SINGLE),
          SUB("labB", "Uncertain significance", REVIEW_SINGLE)},
         2,
         "Conflicting classifications of pathogenicity",
         REVIEW_CONFLICTING,
         1,
         2},
        {"LP vs LB conflict among three",
         {SUB("labA", "Likely pathogenic", REVIEW_SINGLE),
          SUB("labB", "Likely benign", REVIEW_SINGLE),
          SUB("labC", "Likely pathogenic", REVIEW_SINGLE)},
         3,
         "Conflicting classifications of pathogenicity",
         REVIEW_CONFLICTING,
         1,
         3},
        {"expert panel overrides a conflict",
         {SUB("labA", "Pathogenic", REVIEW_SINGLE), SUB("labB", "Benign", REVIEW_SINGLE),
          SUB("ENIGMA", "Likely benign", REVIEW_EXPERT_PANEL)},
         3,
         "Likely benign",
         REVIEW_EXPERT_PANEL,
         3,
         0},
        {"practice guideline overrides an expert panel",
         {SUB("ENIGMA", "Likely benign", REVIEW_EXPERT_PANEL),
          SUB("ACMG", "Pathogenic", REVIEW_PRACTICE_GUIDELINE)},
         2,
         "Pathogenic",
         REVIEW_PRACTICE_GUIDELINE,
         4,
         0},
        {"no criteria only",
         {SUB("labA", "Pathogenic", REVIEW_NO_CRITERIA),
          SUB("labB", "Pathogenic", REVIEW_NO_CRITERIA)},
         2,
         "Pathogenic",
         REVIEW_NO_CRITERIA,
         0,
         0},
        {"criteria outrank no-criteria disagreement",
         {SUB("labA", "Benign", REVIEW_NO_CRITERIA), SUB("labB", "Pathogenic", REVIEW_SINGLE)},
         2,
         "Pathogenic",
         REVIEW_SINGLE,
         1,
         0},
        {"other terms appended",
         {SUB("labA", "Pathogenic", REVIEW_SINGLE), SUB("labB", "drug response", REVIEW_SINGLE)},
         2,
         "Pathogenic; drug response",
         REVIEW_MULTIPLE,
         2,
         0},
        {"same submitter twice is one submitter",
         {SUB("labA", "Pathogenic", REVIEW_SINGLE), SUB("labA", "Pathogenic", REVIEW_SINGLE)},
         2,
         "Pathogenic",
         REVIEW_SINGLE,
         1,
         0},
        {"imported ClinVar aggregate keeps its status",
         {SUB("ClinVar", "Pathogenic/Likely pathogenic", REVIEW_MULTIPLE)},
         1,
         "Pathogenic/Likely pathogenic",
         REVIEW_MULTIPLE,
         2,
         0},
        {"nothing classified",
         {SUB("labA", "not provided", REVIEW_SINGLE)},
         1,
         "no classification provided",
         REVIEW_NO_CLASSIFICATION,
         0,
         0},
        {"no submissions",
         {SUB("", "", REVIEW_SINGLE)},
         0,
         "no classification provided",
         REVIEW_NO_CLASSIFICATION,
         0,
         0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct agg_case *c = &cases[i];
        struct aggregate a;
        aggregate_compute(c->in, c->n, &a);
        CHECK(st, strcmp(a.classification, c->want_class) == 0 && a.review == c->want_review &&
                      a.stars == c->want_stars && a.nconflicts == c->want_conflicts,
              "aggregate: %s -> %s, %s, %d stars (got %s, %s, %d, %d conflicts)", c->name,
              c->want_class, review_status_name(c->want_review), c->want_stars,
              a.classification, review_status_name(a.review), a.stars, a.nconflicts);
    }
    struct aggregate a;
    static const struct aggregate_input conflict[] = {
        SUB("labA", "Pathogenic", REVIEW_SINGLE), SUB("labB", "Benign", REVIEW_SINGLE)};
    aggregate_compute(conflict, 2, &a);
    CHECK(st, a.nconflicts == 2 && strcmp(a.conflicts[0].submitter, "labA") == 0 &&
                  strcmp(a.conflicts[0].classification, "Pathogenic") == 0 &&
                  strcmp(a.conflicts[1].submitter, "labB") == 0 &&
                  strcmp(a.conflicts[1].classification, "Benign") == 0,
          "aggregate: conflicts listed by submitter with their classification");
    static const struct aggregate_input panels[] = {
        {"old panel", "Pathogenic", REVIEW_EXPERT_PANEL, "2019-05-01"},
        {"new panel", "Likely pathogenic", REVIEW_EXPERT_PANEL, "2023-02-01"}};
    aggregate_compute(panels, 2, &a);
    CHECK(st, strcmp(a.classification, "Likely pathogenic") == 0,
          "aggregate: the newest expert panel decides");
}

/* ---- submissions, curation, visibility ---- */

struct world {
    char path[128];
    struct store *s;
    struct actor by;
    struct principal op, anon, sam, bea, cur;
};

static void world_build(struct world *w)
{
    struct gs_err err = {0};
    snprintf(w->path, sizeof w->path, "%s/vkb.db", tmpdir);
    MUST(store_open(w->path, &w->s, &err));
    w->by.name = "test";
    w->by.origin = "unit";
    struct store *s = w->s;
    MUST(registry_institution_add(s, &w->by, "hospA", "Hospital A", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "hospB", "Hospital B", "JP", NULL, &err));
    MUST(registry_user_add(s, &w->by, "sam", "sam", "hospA", ROLE_MEMBER | ROLE_SUBMITTER, NULL,
                           NULL, &err));
    MUST(registry_user_add(s, &w->by, "bea", "bea", "hospB", ROLE_MEMBER | ROLE_SUBMITTER, NULL,
                           NULL, &err));
    MUST(registry_user_add(s, &w->by, "cur", "cur", "hospB", ROLE_MEMBER | ROLE_CURATOR, NULL,
                           NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "vkb-open", "open", TIER_OPEN, DATA_VARIANTS, "hospA",
                              NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "vkb-ctrl", "controlled", TIER_CONTROLLED,
                              DATA_VARIANTS, "hospA", NULL, NULL, &err));
    principal_operator(&w->op);
    principal_anonymous(&w->anon);
    MUST(principal_for_name(s, "sam", &w->sam, &err));
    MUST(principal_for_name(s, "bea", &w->bea, &err));
    MUST(principal_for_name(s, "cur", &w->cur, &err));
    char genes[256];
    snprintf(genes, sizeof genes, "%s/genes.tsv", tmpdir);
    write_file(genes, "#chrom\tstart\tend\tsymbol\tstrand\tentrez_id\thgnc_id\tensembl_gene_id\n"
                      "1\t20\t40\tFIXA\t+\t111\tHGNC:9\tENSG1\n"
                      "1\t45\t58\tFIXB\t-\t.\t.\t.\n");
    int64_t n = 0;
    MUST(variant_genes_load(s, &w->by, genes, NULL, 1000, &n, &err));
}

#define TSV_HEAD                                                                          \
    "#chrom\tpos\tref\talt\tgene\tclassification\tcondition_ids\tcondition_name\t"         \
    "disease_area\tdate\trsid\n"

static int submit(struct world *w, const struct principal *who, const char *dataset,
                  const char *text, struct submit_report *rep, struct gs_err *err)
{
    char path[128], fa[128];
    snprintf(path, sizeof path, "%s/sub.tsv", tmpdir);
    snprintf(fa, sizeof fa, "%s/mini.fa", tmpdir);
    write_file(path, text);
    struct submit_options o = {dataset, NULL, fa, NULL, NULL, "sub.tsv", SUBMIT_FORMAT_AUTO,
                               false};
    struct actor by = {who->name, "unit"};
    return variants_submit(w->s, who, &by, &o, path, 2000, rep, err);
}

static int64_t count_region(struct world *w, const struct principal *who, const char *region)
{
    struct variant_query q = {0};
    q.region = region;
    struct variant_results res = {0};
    struct gs_err err = {0};
    int64_t n = variant_search(w->s, who, &w->by, &q, 3000, &res, &err) == GS_OK ? res.total : -1;
    variant_results_free(&res);
    return n;
}

static int first_submission(void *ctx, const struct store_variant_submission *sub)
{
    *(int64_t *)ctx = sub->id;
    return 1;
}

static int count_history(void *ctx, const struct store_variant_submission *sub)
{
    (void)sub;
    (*(int *)ctx)++;
    return GS_OK;
}

static void test_submissions(struct check_state *st)
{
    struct world w = {0};
    world_build(&w);
    struct gs_err err = {0};
    struct submit_report rep = {0};
    /* all or nothing: lines 3 (REF mismatch) and 4 (unknown classification) refused */
    int rc = submit(&w, &w.sam, "vkb-open",
                    TSV_HEAD "1\t11\tACA\tA\tFIXA\tPathogenic\tMONDO:1\tFixture disease\trare\t"
                             "2024-01-02\trs11\n"
                             "1\t3\tA\tT\tFIXA\tBenign\tMONDO:1\tFixture disease\trare\t"
                             "2024-01-02\t.\n"
                             "1\t26\tC\tG\tFIXA\tSomewhat bad\tMONDO:1\tFixture disease\trare\t"
                             "2024-01-02\t.\n",
                    &rep, &err);
    bool lines_ok = rep.nitems >= 2;
    int errors_seen = 0;
    for (int i = 0; i < rep.nitems; i++)
        if (rep.items[i].error)
            errors_seen += rep.items[i].line == 3 || rep.items[i].line == 4;
    int64_t nvar = -1;
    struct gs_err e2 = {0};
    if (store_variant_count(w.s, &nvar, &e2) != GS_OK)
        nvar = -1;
    CHECK(st, rc == GS_EUNPROCESSABLE && !rep.stored && rep.errors == 2 && lines_ok &&
                  errors_seen == 2 && nvar == 0,
          "submit: two bad lines refuse the file, reported by line, nothing stored");
    submit_report_free(&rep);
    gs_err_clear(&err);
    /* a good file: normalised, split, pending */
    rc = submit(&w, &w.sam, "vkb-open",
                TSV_HEAD "1\t11\tACA\tA\tFIXA\tPathogenic\tMONDO:1|OMIM:2\tFixture disease\trare\t"
                         "2024-01-02\trs11\n"
                         "chr1\t26\tC\tG,T\tFIXA\tLikely benign\tMONDO:1\tFixture disease\trare\t"
                         "2024-01-02\t.\n",
                &rep, &err);
    CHECK(st, rc == GS_OK && rep.stored && rep.lines == 2 && rep.records == 3 &&
                  rep.created == 3 && rep.notes >= 2,
          "submit: stored, multi-allelic split, normalisation noted (rc %d %s)", rc, err.msg);
    int64_t batch = rep.batch_id;
    submit_report_free(&rep);
    struct variant_query q = {0};
    q.region = "1:5-5";
    struct variant_results res = {0};
    rc = variant_search(w.s, &w.op, &w.by, &q, 3000, &res, &err);
    CHECK(st, rc == GS_OK && res.total == 1 && res.nhits == 1 && res.hits[0].v.pos == 5 &&
                  strcmp(res.hits[0].v.ref, "TCA") == 0 && strcmp(res.hits[0].v.rsid, "rs11") == 0,
          "submit: the CA deletion is stored left-aligned at 1:5 TCA>T");
    int64_t vid = res.nhits ? res.hits[0].v.id : 0;
    variant_results_free(&res);
    /* pending: seen by the operator and the submitting institution only */
    CHECK(st, count_region(&w, &w.op, "1:1-60") == 3 && count_region(&w, &w.sam, "1:1-60") == 3 &&
                  count_region(&w, &w.bea, "1:1-60") == 0 &&
                  count_region(&w, &w.anon, "1:1-60") == 0,
          "curation: pending submissions are seen by their institution and the operator only");
    struct variant_detail d = {0};
    struct gs_err e_hidden = {0}, e_missing = {0};
    int rc_hidden = variant_get(w.s, &w.anon, &w.by, vid, 3000, &d, &e_hidden);
    variant_detail_free(&d);
    int rc_missing = variant_get(w.s, &w.anon, &w.by, 999999, 3000, &d, &e_missing);
    variant_detail_free(&d);
    char want[64];
    snprintf(want, sizeof want, "no variant with id %lld", (long long)vid);
    CHECK(st, rc_hidden == GS_ENOTFOUND && rc_missing == GS_ENOTFOUND &&
                  strcmp(e_hidden.msg, want) == 0 &&
                  strcmp(e_missing.msg, "no variant with id 999999") == 0,
          "curation: a hidden variant reads exactly like a missing one");
    /* curation rights */
    int64_t sid = 0;
    MUST(store_variant_submission_each(w.s, vid, first_submission, &sid, &err) == 1 ? GS_OK
                                                                                    : GS_EINTERNAL);
    gs_err_clear(&err);
    struct actor by_bea = {"user:bea", "unit"}, by_cur = {"user:cur", "unit"};
    CHECK(st, variants_curate(w.s, &w.bea, &by_bea, sid, VARIANT_ACCEPTED, NULL, 3000, &err) ==
                  GS_EFORBIDDEN,
          "curation: a submitter without the curator role cannot accept");
    gs_err_clear(&err);
    CHECK(st, variants_curate(w.s, &w.cur, &by_cur, sid, VARIANT_RETURNED, "", 3000, &err) ==
                  GS_EINVAL,
          "curation: returning needs a comment");
    gs_err_clear(&err);
    rc = variants_curate(w.s, &w.cur, &by_cur, sid, VARIANT_ACCEPTED, "ok", 3000, &err);
    CHECK(st, rc == GS_OK && count_region(&w, &w.anon, "1:1-60") == 1 &&
                  count_region(&w, &w.bea, "1:1-60") == 1,
          "curation: an accepted submission is searchable by everyone (open dataset)");
    gs_err_clear(&err);
    CHECK(st, variants_curate(w.s, &w.cur, &by_cur, sid, VARIANT_RETURNED, "again", 3000, &err) ==
                  GS_ECONFLICT,
          "curation: an accepted submission is not decided twice");
    /* batch: return the rest with a comment */
    int64_t n = 0;
    gs_err_clear(&err);
    rc = variants_curate_batch(w.s, &w.cur, &by_cur, batch, VARIANT_RETURNED, "needs evidence",
                               3000, &n, &err);
    CHECK(st, rc == GS_OK && n == 2 && count_region(&w, &w.anon, "1:1-60") == 1 &&
                  count_region(&w, &w.sam, "1:1-60") == 3,
          "curation: returned ones stay visible to their institution only (n=%lld)", (long long)n);
    /* searches by other forms */
    struct variant_query qs[] = {
        {.hgvs = "NC_000001.11:g.26C>G"}, {.rsid = "rs11"}, {.gene = "FIXA"},
        {.condition = "fixture"},         {.classification = "likely_benign"},
        {.review_status = "single"},
    };
    int64_t want_n[] = {1, 1, 2, 3, 2, 3};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        gs_err_clear(&err);
        rc = variant_search(w.s, &w.sam, &w.by, &qs[i], 3000, &res, &err);
        CHECK(st, rc == GS_OK && res.total == want_n[i],
              "search: form %zu finds %lld (got %lld %s)", i, (long long)want_n[i],
              (long long)res.total, err.msg);
        variant_results_free(&res);
    }
    struct variant_query empty = {0};
    gs_err_clear(&err);
    CHECK(st, variant_search(w.s, &w.op, &w.by, &empty, 3000, &res, &err) == GS_EINVAL,
          "search: an empty query is refused");
    variant_results_free(&res);
    struct variant_query bad_gene = {.gene = "NOPE1"};
    gs_err_clear(&err);
    CHECK(st, variant_search(w.s, &w.op, &w.by, &bad_gene, 3000, &res, &err) == GS_ENOTFOUND,
          "search: an unknown gene is not found");
    variant_results_free(&res);
    /* pagination */
    struct variant_query page = {.region = "1:1-60", .offset = 1, .limit = 1};
    gs_err_clear(&err);
    rc = variant_search(w.s, &w.sam, &w.by, &page, 3000, &res, &err);
    CHECK(st, rc == GS_OK && res.total == 3 && res.nhits == 1 && res.hits[0].v.pos == 26,
          "search: offset 1 limit 1 gives the second variant in position order");
    variant_results_free(&res);
    /* re-submission: same variant + condition, new classification: updated, history kept */
    gs_err_clear(&err);
    rc = submit(&w, &w.sam, "vkb-open",
                TSV_HEAD "1\t5\tTCA\tT\tFIXA\tLikely pathogenic\tOMIM:2|MONDO:1\tFixture disease"
                         "\trare\t2024-03-01\t.\n",
                &rep, &err);
    CHECK(st, rc == GS_OK && rep.updated == 1 && rep.created == 0,
          "resubmit: same variant and condition (ids in another order) updates");
    submit_report_free(&rep);
    struct store_variant_submission sub;
    int hist = 0;
    rc = store_variant_submission_get(w.s, sid, &sub, &err);
    if (rc == GS_OK)
        rc = store_variant_submission_history_each(w.s, sid, count_history, &hist, &err);
    CHECK(st, rc == GS_OK && sub.version == 2 && sub.state == VARIANT_PENDING && hist == 1 &&
                  strcmp(sub.classification, "Likely pathogenic") == 0,
          "resubmit: version 2, pending again, one history row");
    gs_err_clear(&err);
    rc = submit(&w, &w.sam, "vkb-open",
                TSV_HEAD "1\t5\tTCA\tT\tFIXA\tLikely pathogenic\tOMIM:2|MONDO:1\tFixture disease"
                         "\trare\t2024-03-01\t.\n",
                &rep, &err);
    CHECK(st, rc == GS_OK && rep.unchanged == 1 && rep.updated == 0,
          "resubmit: the same values again are unchanged");
    submit_report_free(&rep);
    /* a controlled dataset: accepted submissions need a grant (or the institution) */
    gs_err_clear(&err);
    rc = submit(&w, &w.op, "vkb-ctrl",
                TSV_HEAD "1\t47\tT\tA\tFIXB\tUncertain significance\tMONDO:3\tOther disease\t"
                         "cancer\t2024-01-02\t.\n",
                &rep, &err);
    int64_t cbatch = rep.batch_id;
    submit_report_free(&rep);
    MUST(variants_curate_batch(w.s, &w.op, &w.by, cbatch, VARIANT_ACCEPTED, NULL, 3000, &n, &err));
    CHECK(st, rc == GS_OK && count_region(&w, &w.bea, "1:47") == 0 &&
                  count_region(&w, &w.anon, "1:47") == 0 && count_region(&w, &w.sam, "1:47") == 1,
          "tier: controlled submissions hidden without a grant, seen by the institution");
    MUST(registry_grant_add(w.s, &w.by, "vkb-ctrl", "bea", 100000, 1000, NULL, &err));
    CHECK(st, count_region(&w, &w.bea, "1:47") == 1, "tier: a grant opens them");
    /* a writer from another institution is refused */
    gs_err_clear(&err);
    rc = submit(&w, &w.bea, "vkb-open", TSV_HEAD "1\t26\tC\tA\tFIXA\tBenign\tMONDO:1\tx\trare\t"
                                        "2024-01-02\t.\n",
                &rep, &err);
    CHECK(st, rc == GS_EFORBIDDEN, "submit: another institution's submitter is refused");
    submit_report_free(&rep);
    store_close(w.s);
}

/* ---- many records: the reading thread hands batches to the writing one ---- */

static int submission_line(void *ctx, const struct store_variant_submission *sub)
{
    *(int64_t *)ctx = sub->line;
    return 1;
}

/* A TSV of n records at 1:1001.., one bad classification at each data line in bad[]. */
static char *many_records(int n, const int *bad, int nbad)
{
    size_t cap = 128 + (size_t)n * 96, len = 0;
    char *text = malloc(cap);
    if (text == NULL)
        exit(1);
    len += (size_t)snprintf(text, cap, "%s", TSV_HEAD);
    for (int k = 1; k <= n; k++) {
        bool wrong = false;
        for (int i = 0; i < nbad; i++)
            wrong |= bad[i] == k;
        len += (size_t)snprintf(text + len, cap - len,
                                "1\t%d\tA\tG\tFIXA\t%s\tMONDO:%d\tDisease %d\trare\t2024-01-02\t.\n",
                                1000 + k, wrong ? "Quite bad" : "Pathogenic", k % 50, k % 50);
    }
    return text;
}

static void test_many_records(struct check_state *st)
{
    char path[160];
    for (int i = 0; i < 3; i++) { /* a fresh database: test_submissions left its own */
        snprintf(path, sizeof path, "%s/vkb.db%s", tmpdir, (const char *[]){"", "-wal", "-shm"}[i]);
        unlink(path);
    }
    struct world w = {0};
    world_build(&w);
    struct gs_err err = {0};
    struct submit_report rep = {0};
    enum { N = 10000 }; /* more records than the pipeline's ring of batches holds */
    static const int bad[] = {9500, N};
    char *text = many_records(N, bad, 2);
    char file[128];
    snprintf(file, sizeof file, "%s/sub.tsv", tmpdir);
    write_file(file, text);
    struct submit_options o = {"vkb-open", NULL, NULL, NULL, NULL, "sub.tsv", SUBMIT_FORMAT_AUTO,
                               false};
    struct actor by = {"sam", "unit"};
    int rc = variants_submit(w.s, &w.sam, &by, &o, file, 2000, &rep, &err);
    int lines_seen = 0;
    for (int i = 0; i < rep.nitems; i++)
        if (rep.items[i].error)
            lines_seen += rep.items[i].line == 9501 || rep.items[i].line == N + 1;
    int64_t nvar = -1;
    if (store_variant_count(w.s, &nvar, &err) != GS_OK)
        nvar = -1;
    CHECK(st, rc == GS_EUNPROCESSABLE && !rep.stored && rep.errors == 2 && lines_seen == 2 &&
                  rep.lines == N && nvar == 0,
          "many records: bad lines 9501 and %d of %d refuse the file by line, nothing stored "
          "(rc %d, %lld errors, %lld variants)", N + 1, N + 1, rc, (long long)rep.errors,
          (long long)nvar);
    submit_report_free(&rep);
    free(text);
    /* the same records without the bad lines: every one stored, each with its own line */
    text = many_records(N, NULL, 0);
    write_file(file, text);
    free(text);
    gs_err_clear(&err);
    rc = variants_submit(w.s, &w.sam, &by, &o, file, 2000, &rep, &err);
    CHECK(st, rc == GS_OK && rep.stored && rep.created == N && rep.records == N,
          "many records: %d records stored (rc %d, %lld created: %s)", N, rc,
          (long long)rep.created, err.msg);
    submit_report_free(&rep);
    bool lines_ok = store_variant_count(w.s, &nvar, &err) == GS_OK && nvar == N;
    static const int probe[] = {1, 2048, 2049, 8192, 8193, N};
    for (size_t i = 0; lines_ok && i < sizeof probe / sizeof probe[0]; i++) {
        struct variant_query q = {0};
        char region[32];
        snprintf(region, sizeof region, "1:%d", 1000 + probe[i]);
        q.region = region;
        struct variant_results res = {0};
        int64_t line = 0;
        lines_ok = variant_search(w.s, &w.op, &w.by, &q, 3000, &res, &err) == GS_OK &&
                   res.nhits == 1 &&
                   store_variant_submission_each(w.s, res.hits[0].v.id, submission_line, &line,
                                                 &err) == 1 &&
                   line == probe[i] + 1;
        variant_results_free(&res);
    }
    CHECK(st, lines_ok, "many records: each submission keeps its variant and its file line");
    /* again: every record found through the identity and counted unchanged */
    gs_err_clear(&err);
    rc = variants_submit(w.s, &w.sam, &by, &o, file, 2000, &rep, &err);
    CHECK(st, rc == GS_OK && rep.unchanged == N && rep.created == 0 && rep.updated == 0,
          "many records: the same file again is %d unchanged (%lld)", N,
          (long long)rep.unchanged);
    submit_report_free(&rep);
    store_close(w.s);
}

static int count_variant(void *ctx, const struct store_variant *v)
{
    (void)v;
    ++*(int64_t *)ctx;
    return GS_OK;
}

/* store_variant_put_many (a full multi-row INSERT, then 16 variants to one) against the same
 * variants put one by one into another store: the same ids and created flags, through a
 * group with only new alleles, one with stored alleles and an allele repeated inside it, and
 * a short tail. */
static void test_put_many(struct check_state *st)
{
    struct gs_err err = {0};
    struct store *one = NULL, *many = NULL;
    char path[2][160];
    for (int k = 0; k < 2; k++) {
        snprintf(path[k], sizeof path[k], "%s/putmany%d.db", tmpdir, k);
        MUST(store_open(path[k], k ? &many : &one, &err));
    }
    enum { G = STORE_VARIANT_INSERT_MANY, N = G + 16 + 5 };
    static struct store_variant v[N];
    char refs[N][8];
    for (int i = 0; i < N; i++) {
        memset(&v[i], 0, sizeof v[i]);
        snprintf(v[i].assembly, sizeof v[i].assembly, "GRCh38");
        snprintf(v[i].chrom, sizeof v[i].chrom, "%s", i % 3 ? "17" : "X");
        v[i].pos = 1000 + i;
        snprintf(refs[i], sizeof refs[i], "%s", i % 5 == 4 ? "ACGT" : "A");
        v[i].ref = refs[i];
        v[i].alt = "G";
        if (i % 2)
            snprintf(v[i].rsid, sizeof v[i].rsid, "rs%d", 100 + i);
    }
    /* second group: two alleles of the first group (a stored one gains its rsID), and one
     * allele twice within the group */
    v[G + 2] = v[3];
    v[G + 4] = v[6];
    snprintf(v[G + 4].rsid, sizeof v[G + 4].rsid, "rs999");
    v[G + 9] = v[G + 6];
    v[N - 1] = v[0]; /* and one in the tail */
    bool same = true;
    int64_t ids_one[N], ids_many[N];
    bool created_one[N], created_many[N];
    for (int i = 0; i < N; i++)
        MUST(store_variant_put(one, &v[i], &ids_one[i], &created_one[i], &err));
    MUST(store_variant_put_many(many, v, G, ids_many, created_many, &err));
    MUST(store_variant_put_many(many, v + G, N - G, ids_many + G, created_many + G, &err));
    int ncreated = 0;
    for (int i = 0; i < N; i++) {
        same = same && ids_one[i] == ids_many[i] && created_one[i] == created_many[i];
        ncreated += created_many[i];
    }
    CHECK(st, same && ncreated == N - 4 && !created_many[G + 2] && !created_many[G + 9] &&
                  ids_many[G + 9] == ids_many[G + 6],
          "put many: the ids and created flags of %d one-by-one puts (%d created)", N,
          ncreated);
    struct store_variant got_one, got_many;
    MUST(store_variant_get(one, ids_one[6], &got_one, &err));
    MUST(store_variant_get(many, ids_many[6], &got_many, &err));
    CHECK(st, strcmp(got_many.rsid, "rs999") == 0 && strcmp(got_one.rsid, got_many.rsid) == 0,
          "put many: a stored allele without rsID gains it (%s)", got_many.rsid);
    store_variant_clear(&got_one);
    store_variant_clear(&got_many);
    /* the longest REF per chromosome: an overlap query from 2 bp after an indel's start */
    struct store_variant_filter f = {.assembly = "GRCh38", .chrom = "17", .start = 1016,
                                     .end = 1016};
    int64_t n_one = 0, n_many = 0;
    MUST(store_variant_each(one, &f, count_variant, &n_one, &err));
    MUST(store_variant_each(many, &f, count_variant, &n_many, &err));
    CHECK(st, n_one == n_many && n_one >= 2,
          "put many: the same overlap answers (the REF spans were kept): %lld, %lld",
          (long long)n_one, (long long)n_many);
    store_close(one);
    store_close(many);
}

int main(void)
{
    struct check_state st = {0};
    snprintf(tmpdir, sizeof tmpdir, "/tmp/gs-vkb-XXXXXX");
    if (mkdtemp(tmpdir) == NULL)
        return 1;
    test_normalize_fixture(&st);
    test_normalize_real(&st);
    test_vocabulary(&st);
    test_aggregate(&st);
    test_submissions(&st);
    test_many_records(&st);
    test_put_many(&st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_finish(&st);
}
