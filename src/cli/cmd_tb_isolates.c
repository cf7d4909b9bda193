/* cmd_tb_isolates.c — `tb isolate import|show|list`, `tb clusters`, `tb markers`: the TB
 * isolate service from the command line. Imports are all or nothing; reads go through the
 * service, hence through the one access decision (`--as USER` reads as that user). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/cmd_sub.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "tb/isolates.h"

#define AS_OPT OPT("as", "USER", "read as this user would (decided and audited as for the API)")

static int print_json(json_t *doc, struct gs_err *err)
{
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
    if (text == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    printf("%s\n", text);
    free(text);
    return GS_OK;
}

/* Opens the store and resolves the reader (--as USER or the operator); by->name lives in
 * name_buf. On failure nothing stays open. */
static int open_reader(const char *db, const char *as, struct store **s, struct principal *p,
                       struct actor *by, char *name_buf, size_t size, struct gs_err *err)
{
    int rc = cli_open_store(db, s, err);
    if (rc == GS_OK && (rc = cli_reader(*s, as, p, by, name_buf, size, err)) != GS_OK) {
        store_close(*s);
        *s = NULL;
    }
    return rc;
}

/* ---- import ---- */

static int isolate_import(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("dataset", "NAME", "the dataset the isolates belong to (required)"),
        OPT("institution", "NAME", "submitting institution (default: the dataset's)"),
        OPT("dst", "FILE", "drug-susceptibility results: isolate, drug, result, method[, category]"),
        OPT("mic", "FILE", "MICs: isolate, drug, mic, unit, method"),
        OPT("who-genotypes", "FILE", "WHO genotype table (sample_id, gene, variant, effect, max_af)"),
        OPT("who-phenotypes", "FILE", "WHO phenotype table (sample_id, drug, category, phenotype, box)"),
        OPT("min-depth", "N", "VCF calls below this depth are missing sites (default 10)"),
        OPT("who-samples", "FILE", "WHO samples table (sample_id, genotype_sets_missing)"),
        OPT("mask", "BED", "SNP mask for distances (tbdb.mask.bed), stored before the import"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(
        argc, argv, o, NOPTS(o), &a,
        "tb isolate import [ISOLATES.tsv] --dataset NAME [--dst FILE] [--mic FILE] "
        "[--who-genotypes FILE --who-phenotypes FILE [--who-samples FILE]] [--mask BED] "
        "[--min-depth N]",
        "Import isolates (all or nothing). ISOLATES.tsv columns: isolate, year, country, region, "
        "source, specimen, vcf, missing (paths relative to the file). Distances of the new "
        "genome isolates are computed and stored (pairs up to 50 SNPs).", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *dataset;
    int64_t min_depth = ISOLATE_MIN_DEPTH;
    if ((rc = cli_required(&o[1], &dataset, err)) != GS_OK)
        return rc;
    if (o[7].value && parse_int64(o[7].value, 0, 100000, &min_depth, err) != GS_OK)
        return GS_EUSAGE;
    if ((o[5].value == NULL) != (o[6].value == NULL))
        return gs_err_set(err, GS_EUSAGE, "--who-genotypes and --who-phenotypes go together");
    if (a.npositional == 0 && o[5].value == NULL)
        return gs_err_set(err, GS_EUSAGE, "tb isolate import needs ISOLATES.tsv or the WHO tables");
    struct isolate_batch b = {0};
    struct tb_intervals mask = {0};
    if (a.npositional == 1) {
        fprintf(stderr, "reading %s\n", a.positional[0]);
        rc = isolates_read_tsv(a.positional[0], (int)min_depth, &b, err);
    }
    if (rc == GS_OK && o[5].value) {
        fprintf(stderr, "reading %s and %s\n", o[5].value, o[6].value);
        rc = isolates_read_who(o[5].value, o[6].value, &b, err);
    }
    if (rc == GS_OK && o[3].value)
        rc = isolates_read_dst_tsv(o[3].value, &b, err);
    if (rc == GS_OK && o[4].value)
        rc = isolates_read_mic_tsv(o[4].value, &b, err);
    if (rc == GS_OK && o[8].value)
        rc = isolates_read_who_samples(o[8].value, &b, err);
    if (rc == GS_OK && o[9].value)
        rc = tb_bed_read(o[9].value, &mask, err);
    struct store *s = NULL;
    if (rc == GS_OK)
        rc = cli_open_store(o[0].value, &s, err);
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    time_t now = time(NULL);
    if (rc == GS_OK && o[9].value)
        rc = isolates_set_mask(s, &by, &mask, now, NULL, err);
    struct isolate_import_result res;
    if (rc == GS_OK) {
        struct principal op;
        principal_operator(&op);
        fprintf(stderr, "importing %zu isolates\n", b.n);
        rc = isolates_import(s, &op, &by, dataset, o[2].value, &b, now, &res, err);
    }
    if (rc == GS_OK)
        printf("imported %zu isolates (%zu with genome calls, %zu variant calls, %zu named on "
               "the reference); distances: %zu pairs computed, %zu stored (<= %d SNPs)\n",
               res.isolates, res.genomes, res.variants, res.named, res.pairs_computed,
               res.pairs_stored, ISOLATE_DISTANCE_KEEP);
    isolate_batch_free(&b);
    tb_intervals_free(&mask);
    store_close(s);
    return rc;
}

/* ---- show, list ---- */

static int isolate_show(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, AS_OPT};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "tb isolate show ID [--as USER]",
                               "Print an isolate: metadata, DST, MICs, variants, missing sites "
                               "(JSON).", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = cli_positional_id(&a, "tb isolate show", "isolate", &id, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal p;
    json_t *doc = NULL;
    if ((rc = open_reader(o[0].value, o[1].value, &s, &p, &by, actor_name, sizeof actor_name,
                          err)) == GS_OK &&
        (rc = isolates_read(s, &p, &by, id, time(NULL), &doc, err)) == GS_OK)
        rc = print_json(doc, err);
    json_decref(doc);
    store_close(s);
    return rc;
}

static int isolate_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, AS_OPT, OPT("dataset", "NAME", "only this dataset"),
                             OPT("limit", "N", "at most N rows (default 1000)")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "tb isolate list [--dataset NAME] [--limit N] [--as USER]",
                               "List isolates: id, dataset, isolate, year, country, genome.", 0,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t limit = 1000;
    if (o[3].value && parse_int64(o[3].value, 1, 1000000, &limit, err) != GS_OK)
        return GS_EUSAGE;
    struct store *s = NULL;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal p;
    json_t *doc = NULL;
    if ((rc = open_reader(o[0].value, o[1].value, &s, &p, &by, actor_name, sizeof actor_name,
                          err)) == GS_OK &&
        (rc = isolates_list(s, &p, &by, o[2].value, 0, limit, time(NULL), &doc, err)) == GS_OK) {
        size_t i;
        json_t *x;
        json_array_foreach(json_object_get(doc, "isolates"), i, x)
            printf("%lld\t%s\t%s\t%lld\t%s\t%s\n",
                   (long long)json_integer_value(json_object_get(x, "id")),
                   json_string_value(json_object_get(x, "dataset")),
                   json_string_value(json_object_get(x, "isolate")),
                   (long long)json_integer_value(json_object_get(x, "year")),
                   json_string_value(json_object_get(x, "country")),
                   json_is_true(json_object_get(x, "genome")) ? "genome" : "-");
    }
    json_decref(doc);
    store_close(s);
    return rc;
}

int tb_isolate_cmd(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"import", isolate_import, "import isolates, DST, MICs, VCFs or WHO genotype tables"},
        {"show", isolate_show, "print one isolate (JSON)"},
        {"list", isolate_list, "list isolates"},
    };
    return cli_dispatch("tb isolate", verbs, NOPTS(verbs), argc, argv, err);
}

/* ---- clusters ---- */

int tb_clusters_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB, AS_OPT,
        OPT("threshold", "N[,N]", "SNP thresholds, each 0-50 (default 5,12)"),
        OPT("newick", NULL, "also print the neighbour-joining tree (Newick)"),
        OPT("json", NULL, "print the whole result as JSON"),
        OPT("mask", "BED", "replace the stored SNP mask and recompute every distance"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "tb clusters [--threshold 5,12] [--newick] [--json] [--mask BED] "
                               "[--as USER]",
                               "Transmission clusters (single linkage) of the genome isolates "
                               "from the stored SNP distances: one line per threshold, cluster "
                               "and member.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct isolate_cluster_query q = {{0}, 0, o[3].value != NULL};
    if (isolates_thresholds_parse(o[2].value ? o[2].value : "5,12", &q, err) != GS_OK)
        return GS_EUSAGE;
    struct store *s = NULL;
    struct tb_intervals mask = {0};
    if (o[5].value && (rc = tb_bed_read(o[5].value, &mask, err)) != GS_OK)
        return rc;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK) {
        tb_intervals_free(&mask);
        return rc;
    }
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal p;
    json_t *doc = NULL;
    time_t now = time(NULL);
    if (o[5].value) {
        char op_name[STORE_TEXT_MAX];
        struct actor op = cli_operator_actor(op_name, sizeof op_name);
        struct isolate_import_result res = {0};
        fprintf(stderr, "storing the mask (%zu intervals) and recomputing distances\n", mask.n);
        if ((rc = isolates_set_mask(s, &op, &mask, now, &res, err)) == GS_OK)
            fprintf(stderr, "distances: %zu pairs computed, %zu stored\n", res.pairs_computed,
                    res.pairs_stored);
    }
    if (rc == GS_OK &&
        (rc = cli_reader(s, o[1].value, &p, &by, actor_name, sizeof actor_name, err)) == GS_OK &&
        (rc = isolates_clusters(s, &p, &by, &q, now, &doc, err)) == GS_OK) {
        if (o[4].value) {
            rc = print_json(doc, err);
        } else {
            json_t *names = json_object_get(doc, "names");
            printf("threshold\tcluster\tsize\tisolate_id\tdataset\tisolate\n");
            size_t i, j, k;
            json_t *t, *c, *m;
            json_array_foreach(json_object_get(doc, "thresholds"), i, t)
                json_array_foreach(json_object_get(t, "clusters"), j, c)
                    json_array_foreach(json_object_get(c, "members"), k, m) {
                        char key[32];
                        snprintf(key, sizeof key, "%lld", (long long)json_integer_value(m));
                        json_t *n = json_object_get(names, key);
                        printf("%lld\t%lld\t%lld\t%s\t%s\t%s\n",
                               (long long)json_integer_value(json_object_get(t, "threshold")),
                               (long long)json_integer_value(json_object_get(c, "cluster")),
                               (long long)json_integer_value(json_object_get(c, "size")), key,
                               json_string_value(json_object_get(n, "dataset")),
                               json_string_value(json_object_get(n, "isolate")));
                    }
            if (json_object_get(doc, "newick"))
                printf("%s\n", json_string_value(json_object_get(doc, "newick")));
        }
    }
    json_decref(doc);
    tb_intervals_free(&mask);
    store_close(s);
    return rc;
}

/* ---- markers ---- */

int tb_markers_cmd(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB, AS_OPT,
        OPT("drug", "NAME", "the drug: rifampicin, or its WHO code RIF (required)"),
        OPT("catalogue", "VERSION", "stored catalogue version (default: the newest)"),
        OPT("min-solo", "N", "solo resistant carriers a candidate needs (default 5)"),
        OPT("json", NULL, "print the whole result as JSON (with the MIC distribution)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "tb markers --drug NAME [--catalogue VERSION] [--min-solo N] "
                               "[--json] [--as USER]",
                               "Resistance-marker search (WHO solo method): per variant of the "
                               "drug's genes the 2x2 table, PPV (Wilson 95%), Fisher's exact p; "
                               "candidates are ungraded variants with a strong association.", 0,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *drug;
    int64_t min_solo = 5;
    if ((rc = cli_required(&o[2], &drug, err)) != GS_OK)
        return rc;
    if (o[4].value && parse_int64(o[4].value, 1, 100000, &min_solo, err) != GS_OK)
        return GS_EUSAGE;
    struct tb_catalogue *cat = NULL;
    struct store *s = NULL;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal p;
    json_t *doc = NULL;
    if ((rc = open_reader(o[0].value, o[1].value, &s, &p, &by, actor_name, sizeof actor_name,
                          err)) == GS_OK &&
        (rc = tb_catalogue_open(s, o[3].value, &cat, err)) == GS_OK &&
        (rc = isolates_markers(s, &p, &by, cat, drug, (uint32_t)min_solo, time(NULL), &doc,
                               err)) == GS_OK) {
        if (o[5].value) {
            rc = print_json(doc, err);
        } else {
            printf("# %s: %lld isolates with a phenotype (%lld R, %lld S); PPV with Wilson 95%% "
                   "interval; Fisher's exact p (two-sided); catalogue %s\n",
                   json_string_value(json_object_get(doc, "drug")),
                   (long long)json_integer_value(json_object_get(doc, "isolates")),
                   (long long)json_integer_value(json_object_get(doc, "resistant")),
                   (long long)json_integer_value(json_object_get(doc, "susceptible")),
                   json_string_value(json_object_get(doc, "catalogue")));
            printf("gene\tvariant\tgrade\tsolo_R\tsolo_S\tother_R\tother_S\tPPV\tPPV_low\t"
                   "PPV_high\tOR\tp\tcandidate\n");
            size_t i;
            json_t *r;
            json_array_foreach(json_object_get(doc, "variants"), i, r)
                printf("%s\t%s\t%lld\t%lld\t%lld\t%lld\t%lld\t%.3f\t%.3f\t%.3f\t%.3g\t%.3g\t%s\n",
                       json_string_value(json_object_get(r, "gene")),
                       json_string_value(json_object_get(r, "variant")),
                       (long long)json_integer_value(json_object_get(r, "grade")),
                       (long long)json_integer_value(json_object_get(r, "a")),
                       (long long)json_integer_value(json_object_get(r, "b")),
                       (long long)json_integer_value(json_object_get(r, "c")),
                       (long long)json_integer_value(json_object_get(r, "d")),
                       json_real_value(json_object_get(r, "ppv")),
                       json_real_value(json_object_get(r, "ppv_lo")),
                       json_real_value(json_object_get(r, "ppv_hi")),
                       json_real_value(json_object_get(r, "odds_ratio")),
                       json_real_value(json_object_get(r, "p")),
                       json_is_true(json_object_get(r, "candidate")) ? "yes" : "-");
        }
    }
    json_decref(doc);
    tb_catalogue_free(cat);
    store_close(s);
    return rc;
}
