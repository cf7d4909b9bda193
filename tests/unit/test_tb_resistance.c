/* test_tb_resistance.c — the WHO catalogue (tbdb CSV and rules.yml readers, duplicate
 * rows, lookups, store versions), resistance calling on hand-built cases for each rule
 * (grades, AF threshold, gene-level LoF, epistasis, strongest grade, low-depth U,
 * unassessable drugs, resistance types), the genotypes reader behind `tb predict`, and the
 * barcode lineage call (reference-allele markers, deepest consistent label, mixed). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "tb/lineage.h"
#include "tb/predict.h"
#include "tb/profile.h"
#include "tb/resistance.h"

/* A small catalogue in tbdb's CSV form: quoted commas, each grade word, gene-level LoF rows
 * (katG for isoniazid, Rv0678 for bedaquiline), a duplicate feature_ablation row. */
static const char CSV[] =
    "Gene,Mutation,type,drug,original_mutation,confidence,comment\n"
    "rpoB,p.Ser450Leu,drug_resistance,rifampicin,p.Ser450Leu,Assoc w R,\n"
    "rpoB,p.Leu430Pro,drug_resistance,rifampicin,p.Leu430Pro,Assoc w R - Interim,\n"
    "rpoB,p.Ala1075Ala,who_confidence,rifampicin,c.3225T>C,Not assoc w R,\n"
    "rpoB,p.Val170Phe,who_confidence,rifampicin,p.Val170Phe,Uncertain significance,\"a, b\"\n"
    "katG,p.Ser315Thr,drug_resistance,isoniazid,p.Ser315Thr,Assoc w R,\n"
    "katG,frameshift_variant,drug_resistance,isoniazid,LoF,Assoc w R,\n"
    "katG,feature_ablation,drug_resistance,isoniazid,deletion,Assoc w R - Interim,\n"
    "katG,feature_ablation,drug_resistance,isoniazid,LoF,Assoc w R,\n"
    "katG,start_lost,drug_resistance,isoniazid,LoF,Assoc w R,\n"
    "katG,p.Arg463Leu,who_confidence,isoniazid,p.Arg463Leu,Not assoc w R - Interim,\n"
    "inhA,c.-777C>T,drug_resistance,isoniazid,c.-777C>T,Assoc w R,\n"
    "inhA,c.-777C>T,drug_resistance,ethionamide,c.-777C>T,Assoc w R,\n"
    "gyrA,p.Asp94Gly,drug_resistance,levofloxacin,p.Asp94Gly,Assoc w R,\n"
    "gyrA,p.Asp94Gly,drug_resistance,moxifloxacin,p.Asp94Gly,Assoc w R - Interim,\n"
    "Rv0678,p.Met146Thr,drug_resistance,bedaquiline,p.Met146Thr,Assoc w R - Interim,\n"
    "Rv0678,frameshift_variant,drug_resistance,bedaquiline,LoF,Assoc w R,\"Can only confer "
    "resistance if genetically linked to a functional MmpL5\"\n"
    "eis,c.-14C>T,drug_resistance,kanamycin,c.-14C>T,Assoc w R,\n"
    "eis,c.-14C>T,drug_resistance,amikacin,c.-14C>T,Uncertain significance,\n"
    "rplC,p.Cys154Arg,drug_resistance,linezolid,p.Cys154Arg,Assoc w R,\n"
    "pncA,p.Val125Gly,drug_resistance,pyrazinamide,p.Val125Gly,Assoc w R,\n";

/* tbdb's rules.yml, verbatim shape. */
static const char RULES[] =
    "mmpR5_rule:\n"
    "  type: epistasisRule\n"
    "  source:\n"
    "    gene_name: mmpL5\n"
    "    type: LoF\n"
    "  target:\n"
    "    drug: bedaquiline\n"
    "    gene_name: mmpR5\n"
    "  source_inactivation_freq_cutoff: 100\n"
    "  target_escape_freq_cutoff: 50\n"
    "\n"
    "eis_rule:\n"
    "  type: epistasisRule\n"
    "  source:\n"
    "    gene_name: eis\n"
    "    type: LoF\n"
    "  target:\n"
    "    drug:\n"
    "    - kanamycin\n"
    "    - amikacin\n"
    "    gene_name: eis\n"
    "  source_inactivation_freq_cutoff: 100\n"
    "  target_escape_freq_cutoff: 50\n"
    "  \n";

static struct tb_catalogue *build(struct check_state *st)
{
    struct tb_catalogue *c = NULL;
    struct gs_err err = {0};
    if (tb_catalogue_new("test-1", &c, &err) != GS_OK ||
        tb_catalogue_parse_csv(c, CSV, strlen(CSV), &err) != GS_OK ||
        tb_catalogue_parse_rules(c, RULES, &err) != GS_OK) {
        CHECK(st, false, "fixture catalogue builds (%s)", err.msg);
        tb_catalogue_free(c);
        return NULL;
    }
    return c;
}

static void test_catalogue(struct check_state *st, const struct tb_catalogue *c)
{
    CHECK(st, c->nrows == 19, "19 distinct rows (the duplicate feature_ablation merged): %zu",
          c->nrows);
    CHECK(st, c->ndrugs == 10 && strcmp(c->drugs[0], "amikacin") == 0 &&
                  strcmp(c->drugs[9], "rifampicin") == 0,
          "10 drugs, sorted");
    const struct tb_catalogue_row *rows[4];
    size_t n = tb_catalogue_lookup(c, "katG", "feature_ablation", rows, 4);
    CHECK(st, n == 1 && rows[0]->grade == TB_GRADE_ASSOC_R && strcmp(rows[0]->original, "LoF") == 0,
          "duplicate (gene, mutation, drug): the stronger grade wins");
    n = tb_catalogue_lookup(c, "rpoB", "p.Val170Phe", rows, 4);
    CHECK(st, n == 1 && strcmp(rows[0]->comment, "a, b") == 0 &&
                  rows[0]->grade == TB_GRADE_UNCERTAIN,
          "quoted comma kept; 'Uncertain significance' is grade 3");
    n = tb_catalogue_lookup(c, "inhA", "c.-777C>T", rows, 4);
    CHECK(st, n == 2 && strcmp(rows[0]->drug, "isoniazid") == 0 &&
                  strcmp(rows[1]->drug, "ethionamide") == 0,
          "one name, two drugs, in file order");
    CHECK(st, tb_catalogue_lookup(c, "mmpR5", "p.Met146Thr", rows, 4) == 1,
          "mmpR5 (GFF symbol) finds Rv0678 (WHO locus tag)");
    CHECK(st, tb_catalogue_lookup(c, "rpoB", "p.Ser450Trp", rows, 4) == 0, "absent name: 0");
    CHECK(st, tb_catalogue_gene_lof(c, "katG", "isoniazid") &&
                  !tb_catalogue_gene_lof(c, "rpoB", "rifampicin"),
          "gene-level LoF rows known per gene and drug");
    CHECK(st, tb_catalogue_site_graded(c, "rpoB", "p.Ser450", "rifampicin") &&
                  !tb_catalogue_site_graded(c, "rpoB", "p.Ser45", "rifampicin") &&
                  !tb_catalogue_site_graded(c, "rpoB", "p.Val170", "rifampicin") &&
                  tb_catalogue_site_graded(c, "inhA", "c.-777", "ethionamide"),
          "graded sites: whole positions only, grades 1-2 only");
    CHECK(st, c->nrules == 2 && strcmp(c->rules[0].source_gene, "mmpL5") == 0 &&
                  strcmp(c->rules[0].target_gene, "Rv0678") == 0 &&
                  c->rules[0].ndrugs == 1 && c->rules[1].ndrugs == 2 &&
                  strcmp(c->rules[1].drugs[1], "amikacin") == 0 &&
                  c->rules[1].source_cutoff == 100 && c->rules[1].target_escape_cutoff == 50,
          "rules.yml: two epistasis rules, scalar and list drugs, cutoffs");

    struct tb_catalogue *bad = NULL;
    struct gs_err err = {0};
    static const char *const bad_csv[] = {
        "Gene,Mutation,drug\nrpoB,p.Ser450Leu,rifampicin\n",
        "Gene,Mutation,type,drug,original_mutation,confidence,comment\n"
        "rpoB,p.Ser450Leu,drug_resistance,rifampicin,x,Assoc w R,\"open\n",
        "Gene,Mutation,type,drug,original_mutation,confidence,comment\n"
        "rpoB,p.Ser450Leu,drug_resistance,rifampicin,x,Probably R,\n",
        "Gene,Mutation,type,drug,original_mutation,confidence,comment\n"
        ",p.Ser450Leu,drug_resistance,rifampicin,x,Assoc w R,\n",
        "Gene,Mutation,type,drug,original_mutation,confidence,comment\n",
    };
    for (size_t i = 0; i < sizeof bad_csv / sizeof bad_csv[0]; i++) {
        gs_err_clear(&err);
        int rc = tb_catalogue_new("bad", &bad, &err);
        if (rc == GS_OK)
            rc = tb_catalogue_parse_csv(bad, bad_csv[i], strlen(bad_csv[i]), &err);
        CHECK(st, rc == GS_EINVAL && err.msg[0], "bad CSV %zu refused: %s", i, err.msg);
        tb_catalogue_free(bad);
        bad = NULL;
    }
    static const char *const bad_rules[] = {
        "r:\n  type: crossResistanceRule\n",
        "r:\n  type: epistasisRule\n  source:\n    gene_name: a\n    type: missense\n",
        "r:\n  type: epistasisRule\n  source_inactivation_freq_cutoff: 120\n",
        "  indented: first\n",
        "r:\n  type: epistasisRule\n  source:\n    gene_name: a\n    type: LoF\n",
    };
    for (size_t i = 0; i < sizeof bad_rules / sizeof bad_rules[0]; i++) {
        gs_err_clear(&err);
        int rc = tb_catalogue_new("bad", &bad, &err);
        if (rc == GS_OK)
            rc = tb_catalogue_parse_rules(bad, bad_rules[i], &err);
        CHECK(st, rc == GS_EINVAL && err.msg[0], "bad rules %zu refused: %s", i, err.msg);
        tb_catalogue_free(bad);
        bad = NULL;
    }
    enum tb_grade g;
    CHECK(st, tb_grade_parse("1) Assoc w R", &g, &err) == GS_OK && g == 1 &&
                  tb_grade_parse("4", &g, &err) == GS_OK && g == 4 &&
                  tb_grade_parse("5) Not assoc w R", &g, &err) == GS_OK && g == 5,
          "grades with WHO's numeric prefix and as digits");
    char drug[TB_DRUG_MAX];
    CHECK(st, tb_drug_parse("RIF", drug, &err) == GS_OK && strcmp(drug, "rifampicin") == 0 &&
                  tb_drug_parse("Kanamycin", drug, &err) == GS_OK &&
                  strcmp(drug, "kanamycin") == 0 && tb_drug_parse("XYZ", drug, &err) == GS_EINVAL,
          "drug codes and names");
}

/* ---- resistance ---- */

static struct tb_variant var(const char *gene, const char *name, const char *effect, double af,
                             int depth)
{
    struct tb_variant v = {0};
    snprintf(v.gene, sizeof v.gene, "%s", gene);
    snprintf(v.name, sizeof v.name, "%s", name);
    snprintf(v.effect, sizeof v.effect, "%s", effect);
    v.af = af, v.depth = depth;
    return v;
}

static char call_of(const struct tb_catalogue *c, const struct tb_variant *v, size_t n,
                    const struct tb_low_depth_site *low, size_t nlow, const char *drug,
                    struct tb_resistance *keep)
{
    struct tb_resistance_options opt;
    tb_resistance_options_default(&opt);
    struct tb_resistance_input in = {v, n, low, nlow, NULL, 0};
    struct tb_resistance r;
    struct gs_err err = {0};
    if (tb_resistance_call(c, &in, &opt, &r, &err) != GS_OK)
        return '!';
    const struct tb_drug_call *d = tb_resistance_drug(&r, drug);
    char out = d ? (char)d->call : '?';
    if (keep)
        *keep = r;
    else
        tb_resistance_clear(&r);
    return out;
}

static void test_grades(struct check_state *st, const struct tb_catalogue *c)
{
    struct tb_variant v[3];
    v[0] = var("rpoB", "p.Ser450Leu", "missense_variant", 1.0, -1);
    CHECK(st, call_of(c, v, 1, NULL, 0, "rifampicin", NULL) == 'R', "grade 1 -> R");
    v[0] = var("rpoB", "p.Leu430Pro", "missense_variant", 0.9, 40);
    CHECK(st, call_of(c, v, 1, NULL, 0, "rifampicin", NULL) == 'R', "grade 2 -> R");
    v[0] = var("rpoB", "p.Val170Phe", "missense_variant", 1.0, 40);
    struct tb_resistance r;
    CHECK(st, call_of(c, v, 1, NULL, 0, "rifampicin", &r) == 'S' &&
                  tb_resistance_drug(&r, "rifampicin")->strongest == TB_GRADE_UNCERTAIN &&
                  tb_resistance_drug(&r, "rifampicin")->nevidence == 1,
          "grade 3 reported as it is, call S");
    tb_resistance_clear(&r);
    v[0] = var("rpoB", "p.Ser450Leu", "missense_variant", 0.05, 100);
    CHECK(st, call_of(c, v, 1, NULL, 0, "rifampicin", NULL) == 'S',
          "below the allele-fraction threshold (0.1): ignored");
    v[0] = var("rpoB", "p.Ser450Leu", "missense_variant", 0.1, 100);
    CHECK(st, call_of(c, v, 1, NULL, 0, "rifampicin", NULL) == 'R', "at the threshold: counts");
    v[0] = var("rpoB", "p.Ala1075Ala", "synonymous_variant", 1.0, 30);
    v[1] = var("rpoB", "p.Leu430Pro", "missense_variant", 1.0, 30);
    v[2] = var("rpoB", "p.Ser450Leu", "missense_variant", 1.0, 30);
    CHECK(st, call_of(c, v, 3, NULL, 0, "rifampicin", &r) == 'R' &&
                  tb_resistance_drug(&r, "rifampicin")->strongest == TB_GRADE_ASSOC_R &&
                  tb_resistance_drug(&r, "rifampicin")->nevidence == 3,
          "strongest grade per drug: 1 among grades 5, 2, 1");
    tb_resistance_clear(&r);
    v[0] = var("inhA", "c.-777C>T", "upstream_gene_variant", 1.0, 50);
    CHECK(st, call_of(c, v, 1, NULL, 0, "isoniazid", NULL) == 'R' &&
                  call_of(c, v, 1, NULL, 0, "ethionamide", NULL) == 'R' &&
                  call_of(c, v, 1, NULL, 0, "rifampicin", NULL) == 'S',
          "one variant, two drugs");
    v[0] = var("eis", "c.-14C>T", "upstream_gene_variant", 1.0, 50);
    CHECK(st, call_of(c, v, 1, NULL, 0, "kanamycin", NULL) == 'R' &&
                  call_of(c, v, 1, NULL, 0, "amikacin", NULL) == 'S',
          "grade per drug: kanamycin 1, amikacin 3");
}

static void test_lof(struct check_state *st, const struct tb_catalogue *c)
{
    struct tb_variant v[2];
    struct tb_resistance r;
    v[0] = var("katG", "p.Asp47fs", "frameshift", 1.0, 30);
    CHECK(st, call_of(c, v, 1, NULL, 0, "isoniazid", &r) == 'R' &&
                  tb_resistance_drug(&r, "isoniazid")->evidence[0].gene_level,
          "katG frameshift (WHO's 'frameshift' spelling) -> gene-level LoF row -> R");
    tb_resistance_clear(&r);
    v[0] = var("katG", "p.Met1?", "start_lost", 1.0, 30);
    CHECK(st, call_of(c, v, 1, NULL, 0, "isoniazid", NULL) == 'R', "start_lost -> R");
    v[0] = var("katG", "p.Trp91*", "stop_gained", 1.0, 30);
    CHECK(st, call_of(c, v, 1, NULL, 0, "isoniazid", NULL) == 'S',
          "stop_gained without a stop_gained row: no call from LoF");
    v[0] = var("rpoB", "p.Asp47fs", "frameshift_variant", 1.0, 30);
    CHECK(st, call_of(c, v, 1, NULL, 0, "rifampicin", NULL) == 'S',
          "frameshift in a gene without LoF rows: S");
    v[0] = var("katG", "p.Arg463Leu", "missense_variant", 1.0, 30);
    CHECK(st, call_of(c, v, 1, NULL, 0, "isoniazid", &r) == 'S' &&
                  tb_resistance_drug(&r, "isoniazid")->strongest == TB_GRADE_NOT_ASSOC_INTERIM,
          "missense katG grade 4: S, reported");
    tb_resistance_clear(&r);
}

static void test_epistasis(struct check_state *st, const struct tb_catalogue *c)
{
    struct tb_variant v[3];
    struct tb_resistance r;
    v[0] = var("mmpR5", "p.Met146Thr", "missense_variant", 1.0, 30);
    CHECK(st, call_of(c, v, 1, NULL, 0, "bedaquiline", NULL) == 'R',
          "mmpR5 (Rv0678) grade 2 alone -> R");
    v[1] = var("mmpL5", "p.Ile10fs", "frameshift_variant", 1.0, 30);
    CHECK(st, call_of(c, v, 2, NULL, 0, "bedaquiline", &r) == 'S' &&
                  tb_resistance_drug(&r, "bedaquiline")->evidence[0].inactivated &&
                  r.nnotes == 1 && strstr(r.notes[0], "mmpL5") != NULL,
          "mmpL5 LoF at 100%% inactivates mmpR5 resistance, with a note");
    tb_resistance_clear(&r);
    v[1] = var("mmpL5", "p.Ile10fs", "frameshift_variant", 0.6, 30);
    CHECK(st, call_of(c, v, 2, NULL, 0, "bedaquiline", NULL) == 'R',
          "mmpL5 LoF at 60%%: below the 100%% cutoff, resistance stays");
    v[2] = var("mmpL5", "p.Gln20*", "stop_gained", 0.4, 30);
    CHECK(st, call_of(c, v, 3, NULL, 0, "bedaquiline", NULL) == 'S',
          "two mmpL5 LoF variants summing to 100%% inactivate");
    v[0] = var("eis", "c.-14C>T", "upstream_gene_variant", 1.0, 30);
    v[1] = var("eis", "p.Asp5fs", "frameshift", 1.0, 30);
    CHECK(st, call_of(c, v, 2, NULL, 0, "kanamycin", NULL) == 'S',
          "eis LoF inactivates the eis promoter's kanamycin resistance");
    v[1] = var("rpoB", "p.Ser450Leu", "missense_variant", 1.0, 30);
    CHECK(st, call_of(c, v, 2, NULL, 0, "kanamycin", NULL) == 'R',
          "without the LoF the promoter variant stays R");
}

static struct tb_low_depth_site low_site(const char *gene, const char *name, int depth)
{
    struct tb_low_depth_site s = {0};
    snprintf(s.gene, sizeof s.gene, "%s", gene);
    snprintf(s.name, sizeof s.name, "%s", name);
    s.depth = depth;
    return s;
}

static void test_depth(struct check_state *st, const struct tb_catalogue *c)
{
    struct tb_variant v[1];
    struct tb_low_depth_site low[2];
    struct tb_resistance r;
    v[0] = var("rpoB", "p.Ser450Leu", "missense_variant", 1.0, 5);
    CHECK(st, call_of(c, v, 1, NULL, 0, "rifampicin", &r) == 'U' &&
                  tb_resistance_drug(&r, "rifampicin")->reason[0],
          "resistance variant at depth 5 (< 10): U with a reason");
    tb_resistance_clear(&r);
    v[0] = var("rpoB", "p.Ser450Leu", "missense_variant", 1.0, 10);
    CHECK(st, call_of(c, v, 1, NULL, 0, "rifampicin", NULL) == 'R', "depth 10: R");
    low[0] = low_site("rpoB", "p.Ser450", 3);
    CHECK(st, call_of(c, NULL, 0, low, 1, "rifampicin", NULL) == 'U' &&
                  call_of(c, NULL, 0, low, 1, "isoniazid", NULL) == 'S',
          "low depth on a graded position: U for that drug only");
    low[0] = low_site("rpoB", "p.Val170", 3);
    CHECK(st, call_of(c, NULL, 0, low, 1, "rifampicin", NULL) == 'S',
          "low depth on an ungraded (grade 3) position: S");
    low[0] = low_site("katG", "p.Trp300", 2);
    CHECK(st, call_of(c, NULL, 0, low, 1, "isoniazid", NULL) == 'U',
          "low depth anywhere in a gene with LoF rows: U");
    low[1] = low_site("rpoB", "p.Ser450", 3);
    v[0] = var("katG", "p.Ser315Thr", "missense_variant", 1.0, 40);
    CHECK(st, call_of(c, v, 1, low, 2, "isoniazid", NULL) == 'R',
          "a confident resistance variant beats a low-depth site: R");
    v[0] = var("rpoB", "p.Ser450Leu", "missense_variant", 1.0, -1);
    CHECK(st, call_of(c, v, 1, NULL, 0, "rifampicin", NULL) == 'R', "unknown depth: no U");

    struct tb_resistance_options opt;
    tb_resistance_options_default(&opt);
    const char *missing[] = {"rifampicin", "isoniazid"};
    v[0] = var("katG", "p.Ser315Thr", "missense_variant", 1.0, -1);
    struct tb_resistance_input in = {v, 1, NULL, 0, missing, 2};
    struct gs_err err = {0};
    CHECK(st, tb_resistance_call(c, &in, &opt, &r, &err) == GS_OK &&
                  tb_resistance_drug(&r, "rifampicin")->call == TB_CALL_U &&
                  tb_resistance_drug(&r, "isoniazid")->call == TB_CALL_R &&
                  tb_resistance_drug(&r, "pyrazinamide")->call == TB_CALL_S &&
                  r.type == TB_TYPE_HR && r.type_uncertain,
          "unassessable drugs: U unless R; the type notes a U deciding drug");
    tb_resistance_clear(&r);
}

static void test_types(struct check_state *st, const struct tb_catalogue *c)
{
    static const struct {
        const char *variants[4];
        enum tb_resistance_type want;
    } cases[] = {
        {{NULL}, TB_TYPE_SENSITIVE},
        {{"katG p.Ser315Thr"}, TB_TYPE_HR},
        {{"rpoB p.Ser450Leu"}, TB_TYPE_RR},
        {{"rpoB p.Ser450Leu", "katG p.Ser315Thr"}, TB_TYPE_MDR},
        {{"rpoB p.Ser450Leu", "katG p.Ser315Thr", "gyrA p.Asp94Gly"}, TB_TYPE_PRE_XDR},
        {{"rpoB p.Ser450Leu", "gyrA p.Asp94Gly"}, TB_TYPE_PRE_XDR},
        {{"rpoB p.Ser450Leu", "katG p.Ser315Thr", "gyrA p.Asp94Gly", "rplC p.Cys154Arg"},
         TB_TYPE_XDR},
        {{"rpoB p.Ser450Leu", "katG p.Ser315Thr", "rplC p.Cys154Arg"}, TB_TYPE_MDR},
        {{"pncA p.Val125Gly"}, TB_TYPE_OTHER},
        {{"gyrA p.Asp94Gly", "katG p.Ser315Thr"}, TB_TYPE_HR},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tb_variant v[4];
        size_t n = 0;
        for (; n < 4 && cases[i].variants[n]; n++) {
            char gene[16];
            const char *sp = strchr(cases[i].variants[n], ' ');
            snprintf(gene, sizeof gene, "%.*s", (int)(sp - cases[i].variants[n]),
                     cases[i].variants[n]);
            v[n] = var(gene, sp + 1, "missense_variant", 1.0, 30);
        }
        struct tb_resistance r;
        call_of(c, v, n, NULL, 0, "rifampicin", &r);
        CHECK(st, r.type == cases[i].want, "type %s (got %s)",
              tb_resistance_type_name(cases[i].want), tb_resistance_type_name(r.type));
        tb_resistance_clear(&r);
    }
}

/* ---- store versions ---- */

static void test_store(struct check_state *st, const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/tb.db", dir);
    struct store *s = NULL;
    struct gs_err err = {0};
    if (store_open(path, &s, &err) != GS_OK) {
        CHECK(st, false, "store opened (%s)", err.msg);
        return;
    }
    struct actor by = {"test", "unit"};
    struct tb_catalogue *a = build(st), *b = build(st), *got = NULL;
    if (a == NULL || b == NULL)
        goto out;
    CHECK(st, tb_catalogue_open(s, NULL, &got, &err) == GS_ENOTFOUND && strstr(err.msg, "load"),
          "no catalogue yet: not found, says how to load one");
    gs_err_clear(&err);
    snprintf(b->version, sizeof b->version, "test-2");
    b->rows[0].grade = TB_GRADE_UNCERTAIN; /* version 2 downgrades rpoB p.Ser450Leu */
    CHECK(st, tb_catalogue_save(s, &by, a, 1000, &err) == GS_OK && a->id > 0, "save version 1");
    CHECK(st, tb_catalogue_save(s, &by, b, 2000, &err) == GS_OK, "save version 2 beside it");
    CHECK(st, tb_catalogue_save(s, &by, a, 3000, &err) == GS_ECONFLICT, "same version again: "
          "conflict (%s)", err.msg);
    gs_err_clear(&err);
    snprintf(b->version, sizeof b->version, "bad name!");
    CHECK(st, tb_catalogue_save(s, &by, b, 3000, &err) == GS_EINVAL, "a version must be a name");
    gs_err_clear(&err);
    CHECK(st, tb_catalogue_open(s, NULL, &got, &err) == GS_OK && strcmp(got->version, "test-2") == 0 &&
                  got->nrows == 19 && got->nrules == 2 && got->rows[0].grade == TB_GRADE_UNCERTAIN &&
                  got->rules[1].ndrugs == 2,
          "default: the newest version, rows and rules read back");
    tb_catalogue_free(got);
    got = NULL;
    CHECK(st, tb_catalogue_open(s, "test-1", &got, &err) == GS_OK &&
                  got->rows[0].grade == TB_GRADE_ASSOC_R && got->loaded_at == 1000,
          "an older version by name");
    tb_catalogue_free(got);
    got = NULL;
    CHECK(st, tb_catalogue_open(s, "test-9", &got, &err) == GS_ENOTFOUND && strstr(err.msg, "test-9"),
          "unknown version named in the error");
out:
    tb_catalogue_free(a);
    tb_catalogue_free(b);
    store_close(s);
    unlink(path);
}

/* ---- genotypes (tb predict) ---- */

static int collect(void *ctx, const char *sample, const struct tb_resistance *r)
{
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 2048 - n, "%s:%c%c%c ", sample,
             (char)tb_resistance_drug(r, "rifampicin")->call,
             (char)tb_resistance_drug(r, "isoniazid")->call,
             (char)tb_resistance_drug(r, "kanamycin")->call);
    return 0;
}

static void test_predict(struct check_state *st, const struct tb_catalogue *c, const char *dir)
{
    char gpath[512], spath[512];
    snprintf(gpath, sizeof gpath, "%s/g.tsv", dir);
    snprintf(spath, sizeof spath, "%s/s.tsv", dir);
    FILE *f = fopen(gpath, "w");
    fputs("# source\nsample_id\tgene\tvariant\teffect\tmax_af\tsets\n"
          "7\trpoB\tp.Ser450Leu\tmissense_variant\t1.0\tRifampicin/1\n"
          "8\tkatG\tp.Asp47fs\tframeshift\t0.97\tIsoniazid/1\n"
          "7\tkatG\tp.Ser315Thr\tmissense_variant\t0.5\tIsoniazid/1\n",
          f);
    fclose(f);
    f = fopen(spath, "w");
    fputs("# source\nsample_id\tgenotype_sets_missing\n7\t\n9\tRifampicin/1,Kanamycin/2\n"
          "8\tKanamycin/1\n",
          f);
    fclose(f);
    struct tb_genotypes *g = NULL;
    struct gs_err err = {0};
    char out[2048] = "";
    struct tb_resistance_options opt;
    tb_resistance_options_default(&opt);
    CHECK(st, tb_genotypes_read(gpath, spath, &g, &err) == GS_OK && tb_genotypes_samples(g) == 3 &&
                  tb_genotypes_variants(g) == 3,
          "genotypes read: 3 samples (one without variants), 3 rows (%s)", err.msg);
    CHECK(st, g && tb_predict_each(g, c, &opt, collect, out, &err) == GS_OK &&
                  strcmp(out, "7:RRS 9:USS 8:SRU ") == 0,
          "per sample in the samples file's order; tier-1 missing -> U, tier-2 ignored: %s", out);
    tb_genotypes_free(g);
    g = NULL;
    f = fopen(gpath, "w");
    fputs("sample_id\tgene\tvariant\teffect\tmax_af\n7\trpoB\tp.Ser450Leu\tmissense_variant\t1.7\n",
          f);
    fclose(f);
    CHECK(st, tb_genotypes_read(gpath, NULL, &g, &err) == GS_EINVAL && strstr(err.msg, "line 2"),
          "an allele fraction over 1 is refused with its line: %s", err.msg);
    gs_err_clear(&err);
    f = fopen(gpath, "w");
    fputs("sample_id\tgene\tname\n", f);
    fclose(f);
    CHECK(st, tb_genotypes_read(gpath, NULL, &g, &err) == GS_EINVAL && strstr(err.msg, "variant"),
          "a missing column is named: %s", err.msg);
    unlink(gpath);
    unlink(spath);
}

/* ---- lineage ---- */

static struct tb_barcode_marker marker(int64_t pos, char alt, const char *lineage)
{
    struct tb_barcode_marker m = {0};
    m.pos = pos, m.alt = alt;
    snprintf(m.lineage, sizeof m.lineage, "%s", lineage);
    snprintf(m.family, sizeof m.family, "fam-%s", lineage);
    return m;
}

static void test_lineage(struct check_state *st)
{
    /* three markers per label; lineage4's and lineage4.9's alleles are the reference base
     * 'G' (as in H37Rv), the others 'T' */
    static const char *const labels[] = {"lineage2", "lineage4", "lineage4.3", "lineage4.3.4",
                                         "lineage4.3.4.2", "lineage4.9"};
    struct tb_barcode_marker m[18];
    size_t n = 0;
    for (int l = 0; l < 6; l++)
        for (int k = 0; k < 3; k++)
            m[n] = marker(1000 * (l + 1) + k, (l == 1 || l == 5) ? 'G' : 'T', labels[l]),
            n++;
    struct tb_lineage_options opt;
    tb_lineage_options_default(&opt);
    double fr[18];
    struct tb_lineage out;
    struct gs_err err = {0};

    /* an L4.3.4.2 sample: its VCF has the 4.3* alleles and non-reference bases at the
     * lineage4.9 sites; nothing at lineage4's sites (reference there) */
    char alt_a[1] = {'A'}, alt_t[1] = {'T'};
    double one[1] = {1.0};
    for (size_t i = 0; i < n; i++) {
        const char *lab = m[i].lineage;
        bool in_43 = strncmp(lab, "lineage4.3", 10) == 0, is_49 = strcmp(lab, "lineage4.9") == 0;
        fr[i] = tb_lineage_marker_fraction(&m[i], 'G', in_43 || is_49, is_49 ? alt_a : alt_t, one,
                                           1);
    }
    CHECK(st, fr[3] == 1.0 && fr[15] == 0.0 && fr[6] == 1.0 && fr[0] == 0.0,
          "marker fractions: reference-allele markers from absent (1) and alt records (0)");
    CHECK(st, tb_lineage_call(m, n, fr, &opt, &out, &err) == GS_OK &&
                  strcmp(out.main_lineage, "lineage4") == 0 &&
                  strcmp(out.sub_lineage, "lineage4.3.4.2") == 0 && !out.mixed &&
                  out.npresent == 4 && strcmp(out.family, "fam-lineage4.3.4.2") == 0,
          "L4.3.4.2 sample: main lineage4, deepest lineage4.3.4.2, not mixed");
    /* an H37Rv-like sample: an empty VCF */
    for (size_t i = 0; i < n; i++)
        fr[i] = tb_lineage_marker_fraction(&m[i], 'G', false, NULL, NULL, 0);
    CHECK(st, tb_lineage_call(m, n, fr, &opt, &out, &err) == GS_OK &&
                  strcmp(out.sub_lineage, "lineage4.9") == 0 && !out.mixed,
          "an empty VCF is H37Rv: lineage4.9");
    /* mixed: 70% L4.3.4.2, 30% L2 */
    for (size_t i = 0; i < n; i++) {
        const char *lab = m[i].lineage;
        if (strcmp(lab, "lineage2") == 0)
            fr[i] = 0.3;
        else if (strncmp(lab, "lineage4.3", 10) == 0 || strcmp(lab, "lineage4") == 0)
            fr[i] = 0.7;
        else
            fr[i] = 0.0;
    }
    CHECK(st, tb_lineage_call(m, n, fr, &opt, &out, &err) == GS_OK && out.mixed &&
                  out.nleaves == 2 && strcmp(out.leaves[0].lineage, "lineage4.3.4.2") == 0 &&
                  fabs(out.leaves[0].fraction - 0.7) < 1e-9 &&
                  strcmp(out.leaves[1].lineage, "lineage2") == 0 &&
                  fabs(out.leaves[1].fraction - 0.3) < 1e-9,
          "mixed L4.3.4.2 (0.7) + L2 (0.3): both reported with fractions");
    /* inconsistent: lineage4.3.4.2 markers without lineage4.3 */
    for (size_t i = 0; i < n; i++) {
        const char *lab = m[i].lineage;
        fr[i] = strcmp(lab, "lineage4") == 0 || strcmp(lab, "lineage4.3.4.2") == 0 ||
                        strcmp(lab, "lineage4.3.4") == 0 ? 1.0 : 0.0;
    }
    CHECK(st, tb_lineage_call(m, n, fr, &opt, &out, &err) == GS_OK &&
                  strcmp(out.sub_lineage, "lineage4") == 0 && !out.mixed && out.npresent == 3,
          "lineage4.3.4.2 without lineage4.3 is inconsistent: deepest consistent is lineage4");
    /* one of three markers missing (unknown) still calls; one of three seen does not */
    for (size_t i = 0; i < n; i++)
        fr[i] = strcmp(m[i].lineage, "lineage2") == 0 ? 1.0 : 0.0;
    fr[0] = -1;
    CHECK(st, tb_lineage_call(m, n, fr, &opt, &out, &err) == GS_OK &&
                  strcmp(out.sub_lineage, "lineage2") == 0,
          "two of two known markers: present");
    fr[0] = 0, fr[1] = 0;
    CHECK(st, tb_lineage_call(m, n, fr, &opt, &out, &err) == GS_OK && out.sub_lineage[0] == '\0',
          "one of three markers: not present, no lineage");
}

/* ---- profile from stored edits (tbiso's path), on the real H37Rv when the data is here ---- */

static void test_profile_edits(struct check_state *st, const struct tb_catalogue *c)
{
    const char *data = getenv("GENOSHARE_DATA");
    char fasta[600], gff[600], barcode[600], mask[600];
    snprintf(fasta, sizeof fasta, "%s/tb/NC_000962.3.fasta.gz", data ? data : "../shared/data");
    snprintf(gff, sizeof gff, "%s/tb/tbdb.genome.gff.gz", data ? data : "../shared/data");
    snprintf(barcode, sizeof barcode, "%s/tb/tbdb.barcode.bed", data ? data : "../shared/data");
    snprintf(mask, sizeof mask, "%s/tb/tbdb.mask.bed", data ? data : "../shared/data");
    if (access(fasta, R_OK) != 0 || access(gff, R_OK) != 0 || access(barcode, R_OK) != 0 ||
        access(mask, R_OK) != 0) {
        printf("SKIP profile edits: no %s (set GENOSHARE_DATA)\n", fasta);
        return;
    }
    struct tb_ref *ref = NULL;
    struct gs_err err = {0};
    if (tb_ref_load_files(fasta, gff, barcode, mask, &ref, &err) != GS_OK) {
        CHECK(st, false, "reference loads (%s)", err.msg);
        return;
    }
    struct tb_profile_options opt;
    tb_profile_options_default(&opt);
    /* rpoB c.1349C>T (p.Ser450Leu) held at 95%, katG 2155168 known only by its depth (2) */
    struct tb_profile_edit e[] = {{761155, "C", "T", 0.95, 40}, {2155168, "C", NULL, 0, 2}};
    struct tb_profile_report p;
    CHECK(st, tb_profile_edits(ref, c, "iso-1", e, 2, &opt, &p, &err) == GS_OK &&
                  tb_resistance_drug(&p.resistance, "rifampicin")->call == TB_CALL_R &&
                  tb_resistance_drug(&p.resistance, "isoniazid")->call == TB_CALL_U &&
                  p.resistance.type == TB_TYPE_RR && p.resistance.type_uncertain &&
                  strcmp(p.lineage.sub_lineage, "lineage4.9") == 0 &&
                  strcmp(p.sample, "iso-1") == 0,
          "edits: rpoB S450L R, katG low depth U, RR-TB (uncertain), H37Rv-like lineage (%s)",
          err.msg);
    tb_profile_report_clear(&p);
    struct tb_profile_edit bad[] = {{761155, "G", "T", 1.0, 40}};
    CHECK(st, tb_profile_edits(ref, c, "iso-2", bad, 1, &opt, &p, &err) == GS_EINVAL &&
                  strstr(err.msg, "edit 1") && p.nvariants == 0,
          "a REF that is not H37Rv's base is refused naming the edit: %s", err.msg);
    gs_err_clear(&err);
    struct tb_profile_edit bad_af[] = {{761155, "C", "T", 1.5, 40}};
    CHECK(st, tb_profile_edits(ref, c, "iso-3", bad_af, 1, &opt, &p, &err) == GS_EINVAL,
          "an allele fraction over 1 is refused");
    tb_ref_free(ref);
}

int main(void)
{
    struct check_state st = {0};
    char dir[] = "/tmp/test_tb_resistance.XXXXXX";
    if (mkdtemp(dir) == NULL) {
        printf("FAIL temp dir\n");
        return 1;
    }
    struct tb_catalogue *c = build(&st);
    if (c != NULL) {
        test_catalogue(&st, c);
        test_grades(&st, c);
        test_lof(&st, c);
        test_epistasis(&st, c);
        test_depth(&st, c);
        test_types(&st, c);
        test_predict(&st, c, dir);
        test_profile_edits(&st, c);
    }
    test_store(&st, dir);
    test_lineage(&st);
    tb_catalogue_free(c);
    rmdir(dir);
    return check_finish(&st);
}
