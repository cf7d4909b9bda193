/* cmd_variants.c — `genoshare variants`: submissions (submit, template, report, submission),
 * curation (curate, queue); search, show and genes live in cmd_variant_search.c. The CLI acts
 * as the operator unless --as USER names the user it acts for (decided as over the API). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "variants/curate.h"
#include "variants/submit.h"

#define AS_OPTION OPT("as", "USER", "act as this user (default: the operator)")

static int variants_submit_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("dataset", "NAME", "the dataset the submissions belong to (required)"),
        OPT("reference", "FASTA", "reference FASTA (.fa/.fa.gz with .fai): REF check, "
                                  "left-alignment"),
        OPT("assembly", "NAME", "GRCh38 (default) or GRCh37"),
        OPT("format", "FORMAT", "vcf | tsv | auto (default auto: by content)"),
        OPT("disease-area", "AREA", "for records naming none: cancer, rare, infectious, "
                                    "dementia, other"),
        OPT("institution", "NAME", "operator only: the submitting institution (default: the "
                                   "dataset's)"),
        AS_OPTION,
        OPT("json", NULL, "print the report as JSON"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "variants submit FILE --dataset NAME [--reference FASTA] "
                               "[--assembly GRCh38] [--format vcf|tsv] [--disease-area AREA]",
                               "Submit variants with their interpretation from a VCF, VCF.gz, "
                               "BCF or TSV (see `variants template`). All or nothing: prints "
                               "the validation report; exit 1 and nothing stored when any line "
                               "fails. Stored submissions wait as pending for curation.",
                               1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *dataset;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "variants submit needs a FILE");
    if ((rc = cli_required(&o[1], &dataset, err)) != GS_OK)
        return rc;
    struct submit_options so = {dataset, o[3].value, o[2].value, o[6].value, o[5].value,
                                a.positional[0], SUBMIT_FORMAT_AUTO, true};
    if (submit_format_parse(o[4].value, &so.format, err) != GS_OK)
        return GS_EUSAGE;
    struct variants_session vs;
    if ((rc = variants_session_open(&vs, o[0].value, o[7].value, err)) != GS_OK)
        return rc;
    struct submit_report rep = {0};
    rc = variants_submit(vs.s, &vs.who, &vs.by, &so, a.positional[0], time(NULL), &rep, err);
    if (rc == GS_OK || rc == GS_EUNPROCESSABLE) {
        if (o[8].value) {
            json_t *doc = submit_report_json(&rep);
            char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
            printf("%s\n", text ? text : "{}");
            free(text);
            json_decref(doc);
        } else {
            submit_report_print(stdout, &rep);
        }
    }
    submit_report_free(&rep);
    variants_session_close(&vs);
    return rc;
}

static int variants_template_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "variants template",
                               "Print the TSV submission template: its columns, explained.", 0,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    fputs(submit_tsv_template(), stdout);
    return GS_OK;
}

static int variants_report_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, AS_OPTION};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "variants report BATCH [--as USER]",
                               "Print the stored validation report of one submission batch "
                               "(JSON).", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = cli_positional_id(&a, "variants report", "batch", &id, err)) != GS_OK)
        return rc;
    struct variants_session vs;
    if ((rc = variants_session_open(&vs, o[0].value, o[1].value, err)) != GS_OK)
        return rc;
    struct store_variant_batch b = {0};
    if ((rc = variants_batch_read(vs.s, &vs.who, id, time(NULL), &b, err)) == GS_OK)
        printf("%s\n", b.report ? b.report : "{}");
    store_variant_batch_clear(&b);
    variants_session_close(&vs);
    return rc;
}

static int print_history(void *ctx, const struct store_variant_submission *h)
{
    (void)ctx;
    printf("  version %d (replaced %lld): %s, %s, %s%s%s\n", h->version, (long long)h->updated_at,
           h->classification, h->review_status, variant_state_name(h->state),
           h->comment[0] ? ": " : "", h->comment);
    return GS_OK;
}

static int variants_submission_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, AS_OPTION};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "variants submission ID [--as USER]",
                               "Show one submission and its earlier versions.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = cli_positional_id(&a, "variants submission", "submission", &id, err)) != GS_OK)
        return rc;
    struct variants_session vs;
    if ((rc = variants_session_open(&vs, o[0].value, o[1].value, err)) != GS_OK)
        return rc;
    struct variant_submission_view v;
    if ((rc = variants_submission_read(vs.s, &vs.who, &vs.by, id, time(NULL), &v, NULL, NULL,
                                       err)) == GS_OK) {
        struct store_variant var;
        if ((rc = store_variant_get(vs.s, v.sub.variant_id, &var, err)) == GS_OK) {
            printf("submission %lld, version %d, %s\n", (long long)v.sub.id, v.sub.version,
                   variant_state_name(v.sub.state));
            printf("variant %lld: %s %s:%lld %s>%s\n", (long long)var.id, var.assembly,
                   var.chrom, (long long)var.pos, var.ref, var.alt);
            printf("dataset %s, institution %s, submitter %s\n", v.dataset, v.institution,
                   v.sub.submitter);
            printf("condition %s [%s]\n", v.sub.condition_name, v.sub.condition_ids);
            printf("classification %s, review status %s, disease area %s, date %s\n",
                   v.sub.classification, v.sub.review_status, v.sub.disease_area,
                   v.sub.submitted_on);
            if (v.sub.comment[0])
                printf("curator comment: %s (%s)\n", v.sub.comment, v.sub.curated_by);
            printf("history:\n");
            store_variant_clear(&var);
            rc = store_variant_submission_history_each(vs.s, id, print_history, NULL, err);
        }
    }
    variants_session_close(&vs);
    return rc;
}

static int variants_curate_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("comment", "TEXT", "the curator's comment (required to return)"),
        OPT("batch", NULL, "ID is a submission batch: decide all its pending submissions"),
        AS_OPTION,
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "variants curate accept|return ID [--comment TEXT] [--batch] "
                               "[--as USER]",
                               "Accept or return a pending submission (or a whole batch): only "
                               "accepted submissions are searchable beyond the submitting "
                               "institution. Needs the curator role (or the operator).",
                               2, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 2)
        return gs_err_set(err, GS_EUSAGE, "variants curate needs accept|return and an ID");
    enum variant_state decision;
    if (strcmp(a.positional[0], "accept") == 0)
        decision = VARIANT_ACCEPTED;
    else if (strcmp(a.positional[0], "return") == 0)
        decision = VARIANT_RETURNED;
    else
        return gs_err_set(err, GS_EUSAGE, "variants curate: '%.20s' is not accept or return",
                          a.positional[0]);
    struct cli_args one = {{a.positional[1]}, 1};
    int64_t id;
    if ((rc = cli_positional_id(&one, "variants curate", "submission", &id, err)) != GS_OK)
        return rc;
    struct variants_session vs;
    if ((rc = variants_session_open(&vs, o[0].value, o[3].value, err)) != GS_OK)
        return rc;
    if (o[2].value) {
        int64_t n = 0;
        if ((rc = variants_curate_batch(vs.s, &vs.who, &vs.by, id, decision, o[1].value, time(NULL),
                                        &n, err)) == GS_OK)
            printf("batch %lld: %lld submissions %s\n", (long long)id, (long long)n,
                   variant_state_name(decision));
    } else if ((rc = variants_curate(vs.s, &vs.who, &vs.by, id, decision, o[1].value, time(NULL),
                                     err)) == GS_OK) {
        printf("submission %lld %s\n", (long long)id, variant_state_name(decision));
    }
    variants_session_close(&vs);
    return rc;
}

static int print_queue(void *ctx, const struct variant_submission_view *v,
                       const struct store_variant *var)
{
    (void)ctx;
    printf("%lld\t%lld\t%s\t%s\t%s:%lld\t%.40s\t%.40s\t%s\t%s\t%s\n", (long long)v->sub.id,
           (long long)v->sub.batch_id, v->dataset, v->institution, var->chrom,
           (long long)var->pos, var->ref, var->alt, v->sub.classification,
           v->sub.condition_name[0] ? v->sub.condition_name : v->sub.condition_ids,
           v->sub.submitted_on);
    return GS_OK;
}

static int variants_queue_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("dataset", "NAME", "only this dataset"), AS_OPTION};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "variants queue [--dataset NAME] [--as USER]",
                               "List the pending submissions awaiting curation: id, batch, "
                               "dataset, institution, position, ref, alt, classification, "
                               "condition, date.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct variants_session vs;
    if ((rc = variants_session_open(&vs, o[0].value, o[2].value, err)) != GS_OK)
        return rc;
    struct store_dataset d = {0};
    if ((o[1].value == NULL || (rc = store_dataset_by_name(vs.s, o[1].value, &d, err)) == GS_OK))
        rc = variants_queue_each(vs.s, &vs.who, d.id, time(NULL), print_queue, NULL, err);
    variants_session_close(&vs);
    return rc;
}

int variants_session_open(struct variants_session *vs, const char *db, const char *as,
                          struct gs_err *err)
{
    memset(vs, 0, sizeof *vs);
    int rc = cli_open_store(db, &vs->s, err);
    if (rc == GS_OK &&
        (rc = cli_reader(vs->s, as, &vs->who, &vs->by, vs->name, sizeof vs->name, err)) != GS_OK) {
        store_close(vs->s);
        vs->s = NULL;
    }
    return rc;
}

void variants_session_close(struct variants_session *vs)
{
    store_close(vs->s);
    vs->s = NULL;
}

int cmd_variants(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"submit", variants_submit_cmd, "submit variants from a VCF/BCF/TSV (all or nothing)"},
        {"template", variants_template_cmd, "print the TSV submission template"},
        {"report", variants_report_cmd, "show a submission batch's validation report"},
        {"submission", variants_submission_cmd, "show one submission and its history"},
        {"queue", variants_queue_cmd, "list pending submissions awaiting curation"},
        {"curate", variants_curate_cmd, "accept or return a submission (curators)"},
        {"search", variants_search_cmd,
         "search the knowledge base (gene, region, rsID, HGVS, condition)"},
        {"show", variants_show_cmd, "show one variant: aggregate and visible submissions"},
        {"genes", variants_genes_cmd, "load gene locations for gene and region search"},
    };
    return cli_dispatch("variants", verbs, NOPTS(verbs), argc, argv, err);
}
