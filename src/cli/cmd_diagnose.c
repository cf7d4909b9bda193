/* cmd_diagnose.c — `genoshare diagnose`: load the HPO disease annotations (load FILE), rank
 * diseases for a phenotype (rank --hpo …) or for a stored case (case ID, read through the
 * case service and hence the one access decision; `--as USER` reads as that user). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "match/cases.h"
#include "match/diagnose.h"
#include "pheno/hpo_store.h"

/* the options rank and case share */
#define OPT_TOP OPT("top", "N", "how many diseases to print (default 10, at most 1000)")
#define OPT_METHOD OPT("method", "NAME", "phenomizer (default) | resnik_bma | simgic | hybrid")
#define OPT_JSON OPT("json", NULL, "print JSON with the evidence per disease")
#define TERMS_MAX 500
#define TOP_MAX 1000

/* ---- load ---- */

static int diagnose_load(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "diagnose load FILE",
                               "Replace the stored disease annotations with a phenotype.hpoa "
                               "file (plain or gzipped), resolved against the loaded HPO "
                               "release. One audited transaction.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "diagnose load needs a FILE (phenotype.hpoa)");
    struct store *s = NULL;
    struct hpo *h = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    if ((rc = hpo_from_store(s, &h, err)) == GS_ENOTFOUND) {
        gs_err_clear(err);
        rc = gs_err_set(err, GS_EINVAL, "no HPO release loaded (genoshare hpo load first)");
    }
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    struct disease_load_report rep;
    if (rc == GS_OK &&
        (rc = diseases_load_hpoa(s, &by, h, a.positional[0], &rep, err)) == GS_OK) {
        const struct hpo_problems *p = &rep.problems;
        printf("diseases\t%lld\nannotations\t%lld\nversion\t%s\nrows\t%lld\nused\t%lld\n"
               "excluded\t%lld\nskipped_aspect\t%lld\nmerged\t%lld\nbad_frequency\t%lld\n"
               "unknown_ids\t%lld\nmalformed_ids\t%lld\nalt_resolved\t%lld\n"
               "obsolete_replaced\t%lld\nobsolete_unresolved\t%lld\n",
               (long long)rep.diseases, (long long)rep.terms, rep.version, (long long)rep.rows,
               (long long)rep.used, (long long)rep.excluded, (long long)rep.skipped_aspect,
               (long long)rep.merged, (long long)rep.bad_frequency, (long long)p->unknown,
               (long long)p->malformed, (long long)p->alt_resolved,
               (long long)p->obsolete_replaced, (long long)p->obsolete_unresolved);
        if (rep.bad_frequency > 0)
            printf("example\tfrequency %s\n", rep.bad_frequency_example);
        for (int i = 0; i < p->nexamples && i < HPO_EXAMPLES_MAX; i++)
            printf("example\t%s\n", p->examples[i]);
    }
    hpo_free(h);
    store_close(s);
    return rc;
}

/* ---- ranking ---- */

/* Splits "HP:1,HP:2" (copied into buf) into items; an empty item is a usage error. */
static int terms_option(const char *option, const char *text, char *buf, size_t size,
                        const char **items, int *n, struct gs_err *err)
{
    *n = 0;
    if (text == NULL)
        return GS_OK;
    size_t len = strlen(text);
    if (len >= size)
        return gs_err_set(err, GS_EUSAGE, "--%s is too long", option);
    memcpy(buf, text, len + 1);
    for (char *p = buf;;) {
        char *comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        if (*p == '\0')
            return gs_err_set(err, GS_EUSAGE, "--%s: empty item in '%.60s'", option, text);
        if (*n >= TERMS_MAX)
            return gs_err_set(err, GS_EUSAGE, "--%s lists more than %d terms", option, TERMS_MAX);
        items[(*n)++] = p;
        if (comma == NULL)
            return GS_OK;
        p = comma + 1;
    }
}

/* What rank and case share: --top, --method, --json. */
struct output {
    size_t top;
    struct diagnose_params params;
    bool json;
};

static int output_options(const char *top, const char *method, const char *json,
                          struct output *out, struct gs_err *err)
{
    int64_t n = 10;
    out->params = diagnose_params_default();
    out->json = json != NULL;
    if (top != NULL && parse_int64(top, 1, TOP_MAX, &n, err) != GS_OK)
        return GS_EUSAGE;
    out->top = (size_t)n;
    if (method != NULL && diagnose_method_parse(method, &out->params.method, err) != GS_OK)
        return GS_EUSAGE;
    return GS_OK;
}

/* Ranks q and prints the ranking (TSV, or JSON with --json). */
static int print_ranking(const struct diagnose_index *x, const struct sim_profile *q,
                         const struct output *o, const struct hpo_problems *problems,
                         struct gs_err *err)
{
    struct diagnose_ranking r;
    int rc = diagnose_rank(x, q, &o->params, o->top, &r, err);
    if (rc != GS_OK)
        return rc;
    if (o->json) {
        json_t *doc = diagnose_ranking_json(x, &o->params, &r, problems);
        char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
        if (text == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
        else
            printf("%s\n", text);
        free(text);
        json_decref(doc);
    } else {
        for (int i = 0; i < problems->nexamples && i < HPO_EXAMPLES_MAX; i++)
            fprintf(stderr, "genoshare: diagnose: %s\n", problems->examples[i]);
        printf("rank\tdisease\tname\tscore\tsimilarity\tpenalty\tmatches\tcontradictions\n");
        for (size_t i = 0; i < r.n; i++) {
            const struct diagnose_result *res = &r.results[i];
            const struct disease *d = diagnose_index_disease(x, res->disease);
            int matched = 0;
            for (int k = 0; k < res->nmatches; k++)
                matched += res->matches[k].disease_term >= 0;
            printf("%zu\t%s\t%s\t%.4f\t%.4f\t%.4f\t%d\t%d\n", i + 1, d->id, d->name, res->score,
                   res->similarity, res->penalty, matched, res->nconflicts);
        }
    }
    diagnose_ranking_free(&r);
    return rc;
}

/* Opens the store with the HPO release and the disease index. */
static int open_ranking(const char *db, struct store **s, struct hpo **h,
                        struct diagnose_index **x, struct gs_err *err)
{
    *s = NULL, *h = NULL, *x = NULL;
    int rc = cli_open_store(db, s, err);
    if (rc == GS_OK && (rc = hpo_from_store(*s, h, err)) == GS_ENOTFOUND) {
        gs_err_clear(err);
        rc = gs_err_set(err, GS_EINVAL, "no HPO release loaded (genoshare hpo load first)");
    }
    if (rc == GS_OK)
        rc = diagnose_index_from_store(*s, *h, x, err);
    return rc;
}

static void close_ranking(struct store *s, struct hpo *h, struct diagnose_index *x)
{
    diagnose_index_free(x);
    hpo_free(h);
    store_close(s);
}

static int diagnose_rank_terms(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("hpo", "HP:n[,HP:n]", "observed phenotypic features (required)"),
        OPT("excluded", "HP:n[,HP:n]", "features the patient is known not to have"),
        OPT_TOP, OPT_METHOD, OPT_JSON,
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "diagnose rank --hpo HP:n[,HP:n] [--excluded HP:n[,…]] [--top N] "
                               "[--method NAME] [--json]",
                               "Rank the annotated diseases for a phenotype (TSV: rank, disease, "
                               "name, score, similarity, penalty, matches, contradictions).",
                               0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *hpo_text, *obs[TERMS_MAX], *exc[TERMS_MAX];
    char obs_buf[TERMS_MAX * 16], exc_buf[TERMS_MAX * 16];
    int no, ne;
    struct output out;
    if ((rc = cli_required(&o[1], &hpo_text, err)) != GS_OK ||
        (rc = terms_option("hpo", hpo_text, obs_buf, sizeof obs_buf, obs, &no, err)) != GS_OK ||
        (rc = terms_option("excluded", o[2].value, exc_buf, sizeof exc_buf, exc, &ne, err)) !=
            GS_OK ||
        (rc = output_options(o[3].value, o[4].value, o[5].value, &out, err)) != GS_OK)
        return rc;
    struct store *s;
    struct hpo *h;
    struct diagnose_index *x;
    struct sim_profile q = {0};
    struct hpo_problems problems = {0};
    if ((rc = open_ranking(o[0].value, &s, &h, &x, err)) == GS_OK &&
        (rc = sim_profile_build(h, obs, no, exc, ne, NULL, 0, &q, &problems, err)) == GS_OK) {
        if (q.nobserved == 0)
            rc = gs_err_set(err, GS_EINVAL, "none of the --hpo terms is a current HPO term%s%s",
                            problems.nexamples ? ": " : "",
                            problems.nexamples ? problems.examples[0] : "");
        else
            rc = print_ranking(x, &q, &out, &problems, err);
    }
    sim_profile_free(&q);
    close_ranking(s, h, x);
    return rc;
}

static int diagnose_case(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("as", "USER", "read the case as this user would (decided and audited as for the API)"),
        OPT_TOP, OPT_METHOD, OPT_JSON,
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "diagnose case ID [--as USER] [--top N] [--method NAME] [--json]",
                               "Rank the annotated diseases for a stored case's phenotype.", 1,
                               err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    struct output out;
    if ((rc = cli_positional_id(&a, "diagnose case", "case", &id, err)) != GS_OK ||
        (rc = output_options(o[2].value, o[3].value, o[4].value, &out, err)) != GS_OK)
        return rc;
    struct store *s;
    struct hpo *h;
    struct diagnose_index *x;
    struct sim_profile q = {0};
    struct hpo_problems problems = {0};
    struct store_case c = {0};
    struct store_dataset d;
    struct principal p;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    principal_operator(&p);
    time_t now = time(NULL);
    if ((rc = open_ranking(o[0].value, &s, &h, &x, err)) == GS_OK && o[1].value != NULL) {
        snprintf(actor_name, sizeof actor_name, "user:%.64s", o[1].value);
        by.origin = "cli --as";
        rc = principal_for_name(s, o[1].value, &p, err);
    }
    if (rc == GS_OK && (rc = cases_read(s, &p, &by, id, now, &c, &d, err)) == GS_OK &&
        (rc = diagnose_case_profile(h, &c, &q, &problems, err)) == GS_OK) {
        if (q.nobserved == 0)
            rc = gs_err_set(err, GS_EINVAL, "case %lld has no observed HPO term", (long long)id);
        else
            rc = print_ranking(x, &q, &out, &problems, err);
    }
    store_case_clear(&c);
    sim_profile_free(&q);
    close_ranking(s, h, x);
    return rc;
}

int cmd_diagnose(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"load", diagnose_load, "load FILE: replace the disease annotations (phenotype.hpoa)"},
        {"rank", diagnose_rank_terms, "rank diseases for --hpo terms (and --excluded ones)"},
        {"case", diagnose_case, "rank diseases for a stored case (--as USER reads as that user)"},
    };
    return cli_dispatch("diagnose", verbs, NOPTS(verbs), argc, argv, err);
}
