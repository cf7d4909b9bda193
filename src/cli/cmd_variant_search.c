/* cmd_variant_search.c — `genoshare variants search`, `variants show` and `variants genes`:
 * reads through search.h (hence access_check_read per dataset); --as USER reads as that user. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "variants/genes.h"
#include "variants/search.h"

static int print_json(json_t *doc, struct gs_err *err)
{
    char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
    json_decref(doc);
    if (text == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    printf("%s\n", text);
    free(text);
    return GS_OK;
}

static int parse_count(const char *text, const char *what, int64_t max, int64_t *out,
                       struct gs_err *err)
{
    char *end;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (text && (*end || end == text || v < 0 || v > max))
        return gs_err_set(err, GS_EUSAGE, "--%s must be a number 0..%lld", what, (long long)max);
    *out = v;
    return GS_OK;
}

int variants_search_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("gene", "SYMBOL", "variants in the gene (gene table: `variants genes load`)"),
        OPT("region", "CHR:START-END", "variants overlapping the region"),
        OPT("rsid", "ID", "dbSNP id (rs80357906)"),
        OPT("hgvs", "EXPR", "genomic HGVS: NC_000017.11:g.43045712T>C, chr17:g.43045712T>C"),
        OPT("condition", "TEXT", "words of the condition name or ids (full text)"),
        OPT("classification", "TERM", "Pathogenic, Likely pathogenic, Uncertain significance…"),
        OPT("disease-area", "AREA", "cancer, rare, infectious, dementia, other"),
        OPT("review-status", "STATUS", "of the aggregate: practice guideline, expert panel, "
                                       "multiple, single, conflicting, no criteria"),
        OPT("dataset", "NAME", "only this dataset's submissions"),
        OPT("assembly", "NAME", "GRCh38 (default) or GRCh37"),
        OPT("format", "FORMAT", "tsv (default), vcf or json"),
        OPT("offset", "N", "page start (JSON page output)"),
        OPT("limit", "N", "page size (JSON page output, at most 1000)"),
        OPT("as", "USER", "search as this user (default: the operator, who sees everything)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "variants search [--gene G] [--region CHR:START-END] [--rsid ID] "
                               "[--hgvs EXPR] [--condition TEXT] [--classification TERM] "
                               "[--disease-area AREA] [--review-status S] [--format vcf|tsv|json]",
                               "Search the variant knowledge base and write every match (VCF "
                               "with header, TSV with header, or JSON); with --offset/--limit "
                               "print one JSON page with the total.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    enum variant_format format = VARIANT_FORMAT_TSV;
    if (o[11].value && variant_format_parse(o[11].value, &format, err) != GS_OK)
        return GS_EUSAGE;
    int64_t offset = 0, limit = 0;
    if ((rc = parse_count(o[12].value, "offset", INT64_MAX / 2, &offset, err)) != GS_OK ||
        (rc = parse_count(o[13].value, "limit", VARIANT_LIMIT_MAX, &limit, err)) != GS_OK)
        return rc;
    bool paged = o[12].value || o[13].value;
    if (paged && format != VARIANT_FORMAT_JSON && o[11].value)
        return gs_err_set(err, GS_EUSAGE, "--offset/--limit print a JSON page; exports (vcf, "
                          "tsv) write every match");
    struct variant_query q = {0};
    q.gene = o[1].value;
    q.region = o[2].value;
    q.rsid = o[3].value;
    q.hgvs = o[4].value;
    q.condition = o[5].value;
    q.classification = o[6].value;
    q.disease_area = o[7].value;
    q.review_status = o[8].value;
    q.dataset = o[9].value;
    q.assembly = o[10].value;
    q.offset = offset;
    q.limit = (int)limit;
    struct variants_session vs;
    if ((rc = variants_session_open(&vs, o[0].value, o[14].value, err)) != GS_OK)
        return rc;
    if (paged) {
        struct variant_results res = {0};
        if ((rc = variant_search(vs.s, &vs.who, &vs.by, &q, time(NULL), &res, err)) == GS_OK)
            rc = print_json(variant_results_json(vs.s, &res, q.limit), err);
        variant_results_free(&res);
    } else {
        int64_t total = 0;
        rc = variant_export(vs.s, &vs.who, &vs.by, &q, format, time(NULL), stdout, &total, err);
        if (rc == GS_OK)
            fprintf(stderr, "variants search: %lld variants\n", (long long)total);
    }
    variants_session_close(&vs);
    return rc;
}

int variants_show_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("as", "USER", "read as this user (default: the operator)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "variants show ID [--as USER]",
                               "Show one variant as JSON: its aggregate classification and "
                               "review status, per condition, and its visible submissions.",
                               1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = cli_positional_id(&a, "variants show", "variant", &id, err)) != GS_OK)
        return rc;
    struct variants_session vs;
    if ((rc = variants_session_open(&vs, o[0].value, o[1].value, err)) != GS_OK)
        return rc;
    struct variant_detail d = {0};
    if ((rc = variant_get(vs.s, &vs.who, &vs.by, id, time(NULL), &d, err)) == GS_OK)
        rc = print_json(variant_detail_json(&d), err);
    variant_detail_free(&d);
    variants_session_close(&vs);
    return rc;
}

int variants_genes_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("assembly", "NAME", "GRCh38 (default) or GRCh37"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "variants genes load FILE [--assembly GRCh38]",
                               "Load (replace) the gene location table used by gene search: a "
                               "TSV (or .gz) with a header row naming chrom, start, end, symbol "
                               "and optionally strand, entrez_id, hgnc_id, ensembl_gene_id.",
                               2, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 2 || strcmp(a.positional[0], "load") != 0)
        return gs_err_set(err, GS_EUSAGE, "usage: variants genes load FILE");
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(name, sizeof name);
    int64_t n = 0;
    if ((rc = variant_genes_load(s, &by, a.positional[1], o[1].value, time(NULL), &n, err)) ==
        GS_OK)
        printf("loaded %lld gene locations (%s)\n", (long long)n,
               o[1].value ? o[1].value : "GRCh38");
    store_close(s);
    return rc;
}
