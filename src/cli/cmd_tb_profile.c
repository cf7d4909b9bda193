/* cmd_tb_profile.c — `tb catalogue load|list`, `tb predict` (genotypes table → R/S/U per
 * sample and drug), `tb profile` (a sample VCF → resistance report, lineage, type) and
 * `tb lineage` (a sample VCF → lineage). The work is in src/tb/; this file parses options
 * and prints. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "store/store_tb_catalogue.h"
#include "store/store_tb.h"
#include "tb/predict.h"
#include "tb/profile.h"

/* ---- tb catalogue ---- */

static int catalogue_load(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("rules", "YAML", "tbdb rules.yml (epistasis rules) to store with the catalogue"),
        OPT("version", "NAME", "version name (default: the CSV's file name without extensions)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "tb catalogue load CSV [--rules YAML] [--version NAME]",
                               "Load a WHO mutation catalogue in tbdb's CSV form (plain or gzip) "
                               "as a new version beside the others.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "tb catalogue load needs the CSV file");
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    struct tb_catalogue *c = NULL;
    fprintf(stderr, "reading %s\n", a.positional[0]);
    rc = tb_catalogue_read_files(a.positional[0], o[1].value, o[2].value, &c, err);
    if (rc == GS_OK) {
        char actor_name[STORE_TEXT_MAX];
        struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
        fprintf(stderr, "storing %zu rows as version %s\n", c->nrows, c->version);
        rc = tb_catalogue_save(s, &by, c, time(NULL), err);
    }
    if (rc == GS_OK) {
        size_t graded = 0;
        for (size_t i = 0; i < c->nrows; i++)
            graded += tb_grade_is_resistance(c->rows[i].grade);
        printf("version\t%s\nrows\t%zu\nresistance_rows\t%zu\ndrugs\t%d\nrules\t%d\n",
               c->version, c->nrows, graded, c->ndrugs, c->nrules);
    }
    tb_catalogue_free(c);
    store_close(s);
    return rc;
}

static int print_version(void *ctx, const struct store_tb_catalogue *c)
{
    const char *newest = ctx;
    char when[21];
    format_utc_time(c->loaded_at, when);
    printf("%s\t%lld\t%d\t%s\t%s%s\n", c->version, (long long)c->nrows, c->nrules, when,
           c->source, strcmp(c->version, newest) == 0 ? "\t(default)" : "");
    return GS_OK;
}

static int catalogue_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "tb catalogue list",
                               "List the stored catalogue versions (version, rows, rules, loaded, "
                               "source); the newest is the default.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    struct store_tb_catalogue newest = {0};
    rc = store_tb_catalogue_find(s, NULL, &newest, err);
    if (rc == GS_ENOTFOUND)
        rc = GS_OK, gs_err_clear(err);
    if (rc == GS_OK)
        rc = store_tb_catalogue_each(s, print_version, newest.version, err);
    store_close(s);
    return rc;
}

int tb_catalogue_cmd(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"load", catalogue_load, "load a WHO catalogue (tbdb CSV) and its rules as a version"},
        {"list", catalogue_list, "list the stored catalogue versions"},
    };
    return cli_dispatch("tb catalogue", verbs, NOPTS(verbs), argc, argv, err);
}

/* ---- thresholds shared by predict and profile ---- */

static int parse_thresholds(const char *min_depth, const char *min_af,
                            struct tb_resistance_options *opt, struct gs_err *err)
{
    tb_resistance_options_default(opt);
    if (min_depth != NULL) {
        int64_t v;
        int rc = parse_int64(min_depth, 0, 100000, &v, err);
        if (rc != GS_OK)
            return gs_err_set(err, GS_EUSAGE, "--min-depth: %s", err->msg);
        opt->min_depth = (int)v;
    }
    if (min_af != NULL) {
        char *end;
        double v = strtod(min_af, &end);
        if (min_af[0] == '\0' || *end != '\0' || !(v >= 0 && v <= 1))
            return gs_err_set(err, GS_EUSAGE, "--min-af '%s' is not a fraction 0-1", min_af);
        opt->min_af = v;
    }
    return GS_OK;
}

/* ---- tb predict ---- */

static int print_prediction(void *ctx, const char *sample_id, const struct tb_resistance *r)
{
    (void)ctx;
    for (int i = 0; i < r->ndrugs; i++)
        printf("%s\t%s\t%c\n", sample_id, r->drugs[i].drug, (char)r->drugs[i].call);
    return GS_OK;
}

int tb_predict_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("genotypes", "FILE", "genotypes TSV (sample_id, gene, variant, effect, max_af; gzip "
            "or plain; required)"),
        OPT("samples", "FILE", "samples TSV (sample_id, genotype_sets_missing): lists samples "
            "without variants, and drugs WHO had no genotype for (U)"),
        OPT("catalogue", "VERSION", "catalogue version (default: the newest)"),
        OPT("min-af", "F", "allele fraction for a variant to count (default 0.1, TB-Profiler's)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "tb predict --genotypes FILE [--samples FILE] [--catalogue VERSION] "
                               "[--min-af F]",
                               "Predict resistance per sample and drug from a genotypes table; "
                               "prints sample_id<TAB>drug<TAB>call (R, S or U).", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *genotypes;
    struct tb_resistance_options opt;
    if ((rc = cli_required(&o[1], &genotypes, err)) != GS_OK ||
        (rc = parse_thresholds(NULL, o[4].value, &opt, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    struct tb_catalogue *c = NULL;
    struct tb_genotypes *g = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) == GS_OK &&
        (rc = tb_catalogue_open(s, o[3].value, &c, err)) == GS_OK &&
        (rc = tb_genotypes_read(genotypes, o[2].value, &g, err)) == GS_OK) {
        fprintf(stderr, "catalogue %s; %zu samples, %zu variant rows\n", c->version,
                tb_genotypes_samples(g), tb_genotypes_variants(g));
        rc = tb_predict_each(g, c, &opt, print_prediction, NULL, err);
    }
    tb_genotypes_free(g);
    tb_catalogue_free(c);
    store_close(s);
    return rc;
}

/* ---- tb profile, tb lineage ---- */

/* Profiles one VCF: reference from the store, catalogue too unless lineage_only. */
static int profile_run(int argc, char **argv, bool lineage_only, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("json", NULL, "print the profile as JSON"),
        OPT("catalogue", "VERSION", "catalogue version (default: the newest)"),
        OPT("min-depth", "N", "reads below which a graded site is a no-call (default 10)"),
        OPT("min-af", "F", "allele fraction for a variant to count (default 0.1)"),
        OPT("sample", "NAME", "sample name to report (default: the VCF's first sample)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(
        argc, argv, o, lineage_only ? 2 : NOPTS(o), &a,
        lineage_only ? "tb lineage SAMPLE.vcf[.gz] [--json]"
                     : "tb profile SAMPLE.vcf[.gz] [--json] [--catalogue VERSION] "
                       "[--min-depth N] [--min-af F] [--sample NAME]",
        lineage_only ? "Lineage of a sample from the SNP barcode (needs tb reference load)."
                     : "Drug-resistance profile, lineage and resistance type of a sample VCF "
                       "(needs tb reference load and tb catalogue load).",
        1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "tb %s needs the sample VCF",
                          lineage_only ? "lineage" : "profile");
    struct tb_profile_options opt;
    tb_profile_options_default(&opt);
    if (!lineage_only &&
        (rc = parse_thresholds(o[3].value, o[4].value, &opt.resistance, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    struct tb_ref *ref = NULL;
    struct tb_catalogue *c = NULL;
    struct tb_profile_report p = {0};
    if ((rc = cli_open_store(o[0].value, &s, err)) == GS_OK &&
        (rc = store_tb_reference_load(s, &ref, err)) == GS_OK &&
        (lineage_only || (rc = tb_catalogue_open(s, o[2].value, &c, err)) == GS_OK) &&
        (rc = tb_profile_vcf(ref, c, a.positional[0], lineage_only ? NULL : o[5].value, &opt, &p,
                             err)) == GS_OK) {
        if (o[1].value != NULL) {
            json_t *doc = tb_profile_report_json(&p, c);
            if (doc == NULL)
                rc = gs_err_set(err, GS_ENOMEM, "out of memory for the JSON profile");
            else
                json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS), putchar('\n');
            json_decref(doc);
        } else {
            tb_profile_report_print(&p, stdout);
        }
    }
    tb_profile_report_clear(&p);
    tb_catalogue_free(c);
    tb_ref_free(ref);
    store_close(s);
    return rc;
}

int tb_profile_cmd(int argc, char **argv, struct gs_err *err)
{
    return profile_run(argc, argv, false, err);
}

int tb_lineage_cmd(int argc, char **argv, struct gs_err *err)
{
    return profile_run(argc, argv, true, err);
}
