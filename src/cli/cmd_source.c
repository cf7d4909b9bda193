/* cmd_source.c — `genoshare source`: register, list, remove reference sources (tabix-indexed
 * VCFs read in place: ClinVar, population frequencies, dbSNP) and look a variant up in them. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "variants/sources.h"

static int source_add(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("kind", "KIND", "clinvar | frequency | dbsnp (default: from the VCF's ##source)"),
        OPT("assembly", "NAME", "GRCh38 | GRCh37 (default GRCh38)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "source add NAME FILE.vcf.gz [--kind clinvar|frequency|dbsnp] "
                               "[--assembly GRCh38]",
                               "Register a bgzip-compressed, tabix-indexed VCF (a local file, "
                               "read in place) as a reference source.",
                               2, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 2)
        return gs_err_set(err, GS_EUSAGE, "source add needs a NAME and a FILE.vcf.gz");
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    int64_t id = 0;
    rc = sources_add(s, &by, a.positional[0], a.positional[1], o[1].value, o[2].value, time(NULL),
                     &id, err);
    struct store_variant_source src;
    if (rc == GS_OK && (rc = store_variant_source_by_name(s, a.positional[0], &src, err)) == GS_OK)
        printf("source %s added (id %lld, %s, %s, %s)\n", src.name, (long long)id,
               source_kind_name(src.kind), src.assembly, src.description);
    store_close(s);
    return rc;
}

static int print_source(void *ctx, const struct store_variant_source *src)
{
    (void)ctx;
    printf("%s\t%s\t%s\t%s\t%s\n", src->name, source_kind_name(src->kind), src->assembly,
           src->description, src->path);
    return 0;
}

static int source_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "source list",
                               "List the reference sources: name, kind, assembly, description, "
                               "path (tab-separated).",
                               0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    rc = store_variant_sources_each(s, print_source, NULL, err);
    store_close(s);
    return rc;
}

static int source_remove(int argc, char **argv, struct gs_err *err)
{
    return cli_run_named(argc, argv, "source remove NAME",
                         "Unregister a reference source (its file is left alone).", sources_remove,
                         "source ", " removed", err);
}

static int source_lookup(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("assembly", "NAME", "GRCh38 | GRCh37 (default GRCh38)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "source lookup CHROM-POS-REF-ALT... [--assembly GRCh38]",
                               "Look variants up in every reference source of the assembly; "
                               "prints one JSON document per variant.",
                               CLI_MAX_POSITIONAL, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional < 1)
        return gs_err_set(err, GS_EUSAGE, "source lookup needs a variant, as 17-43045712-T-C");
    struct store *s = NULL;
    struct sources *set = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    rc = sources_open(s, &set, err);
    struct source_hit *hits = calloc(SOURCES_MAX, sizeof *hits);
    if (rc == GS_OK && hits == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    for (int i = 0; rc == GS_OK && i < a.npositional; i++) {
        char text[SOURCE_ALLELE_MAX * 2 + 64];
        if (strlen(a.positional[i]) >= sizeof text) {
            rc = gs_err_set(err, GS_EUSAGE, "variant %d is too long", i + 1);
            break;
        }
        snprintf(text, sizeof text, "%s", a.positional[i]);
        struct source_variant v = {o[1].value, NULL, 0, NULL, NULL};
        int n = 0;
        if ((rc = source_variant_parse(text, &v, err)) != GS_OK)
            rc = GS_EUSAGE;
        else if ((rc = sources_lookup(set, &v, hits, SOURCES_MAX, &n, err)) == GS_OK) {
            json_t *doc = json_pack("{s:s, s:s, s:I, s:s, s:s, s:o}", "assembly",
                                    v.assembly ? v.assembly : "GRCh38", "chrom", v.chrom, "pos",
                                    (json_int_t)v.pos, "ref", v.ref, "alt", v.alt, "sources",
                                    source_hits_json(hits, n));
            char *out = json_dumps(doc, JSON_INDENT(2));
            if (out)
                printf("%s\n", out);
            free(out);
            json_decref(doc);
        }
    }
    free(hits);
    sources_close(set);
    store_close(s);
    return rc;
}

int cmd_source(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"add", source_add, "register a tabix-indexed VCF as a reference source"},
        {"list", source_list, "list the reference sources"},
        {"remove", source_remove, "unregister a reference source"},
        {"lookup", source_lookup, "look variants up in every reference source"},
    };
    return cli_dispatch("source", verbs, 4, argc, argv, err);
}
