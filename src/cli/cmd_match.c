/* cmd_match.c — `genoshare match`: similar-case search over the stored cases, by HPO terms
 * (and genes) or for a stored case (--case ID). The operator sees every case; `--as USER`
 * searches as that user would (visibility decided and audited as for the API). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "match/search.h"
#include "mme/mme.h"
#include "pheno/hpo_store.h"

#define LIST_MAX 200

/* Splits a comma-separated option value (copied into buf) into items; empty items are
 * refused. */
static int split_list(const char *option, const char *text, char *buf, size_t size,
                      const char **items, int max, int *n, struct gs_err *err)
{
    *n = 0;
    if (text == NULL)
        return GS_OK;
    if (strlen(text) >= size)
        return gs_err_set(err, GS_EUSAGE, "--%s is too long", option);
    snprintf(buf, size, "%s", text);
    for (char *save = NULL, *p = buf;; p = NULL) {
        char *item = strtok_r(p, ",", &save);
        if (item == NULL)
            break;
        if (*n >= max)
            return gs_err_set(err, GS_EUSAGE, "--%s lists more than %d items", option, max);
        items[(*n)++] = item;
    }
    if (*n == 0 || strstr(text, ",,") != NULL || text[0] == ',' || text[strlen(text) - 1] == ',')
        return gs_err_set(err, GS_EUSAGE, "--%s: empty item in '%.60s'", option, text);
    return GS_OK;
}

static void print_table(const struct match_results *r)
{
    printf("rank\tcase\tlabel\tscore\tphenotype\tgene\tdataset\n");
    for (size_t i = 0; i < r->n; i++) {
        const struct match_result *m = &r->items[i];
        printf("%zu\t%lld\t%s\t%.4f\t%.4f\t%.4f\t%s\n", i + 1, (long long)m->case_id, m->label,
               m->score, m->phenotype, m->gene + m->variant, m->dataset);
    }
    for (size_t i = 0; i < r->n; i++) {
        const struct match_result *m = &r->items[i];
        printf("\n# %zu. case %lld (%s), %s / %s, scope %s: score %.4f = phenotype %.4f + gene "
               "%.4f + variant %.4f\n", i + 1, (long long)m->case_id, m->label, m->dataset,
               m->institution, scope_name(m->scope), m->score, m->phenotype, m->gene, m->variant);
        printf("#   tversky %.4f, resnik query %.3f / case %.3f nats, shared excluded %.3f\n",
               m->sub.tversky, m->sub.resnik_query, m->sub.resnik_candidate,
               m->sub.excluded_shared);
        for (int j = 0; j < m->npairs; j++) {
            const struct match_pair *p = &m->pairs[j];
            if (p->case_term_id == NULL)
                printf("#   %s %s: no match\n", p->query_id, p->query_label);
            else
                printf("#   %s %s ~ %s %s via %s %s (IC %.3f)\n", p->query_id, p->query_label,
                       p->case_term_id, p->case_term_label, p->mica_id, p->mica_label, p->ic);
        }
        for (int j = 0; j < m->nshared_genes; j++)
            printf("#   shared gene %s (%s)\n", m->shared_genes[j].symbol,
                   m->shared_genes[j].gene_id);
        for (int j = 0; j < m->nshared_variants; j++) {
            const struct store_case_variant *v = &m->shared_variants[j];
            printf("#   shared variant %s %s:%lld %s>%s\n", v->assembly, v->chrom,
                   (long long)v->pos, v->ref, v->alt);
        }
    }
}

/* The peers' part: one line per node on stderr, then their results as TSV. */
static void print_remote(const json_t *remote)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(remote, "peers"), i, it) {
        const char *error = json_string_value(json_object_get(it, "error"));
        fprintf(stderr, "genoshare: match: peer %s: %s, %lld results, %.0f ms%s%s\n",
                json_string_value(json_object_get(it, "node")),
                json_string_value(json_object_get(it, "status")),
                (long long)json_integer_value(json_object_get(it, "results")),
                json_number_value(json_object_get(it, "ms")), error ? ": " : "",
                error ? error : "");
    }
    printf("\nnode\tscore\tpatient\tlabel\tcontact\n");
    json_array_foreach(json_object_get(remote, "remote_results"), i, it) {
        json_t *p = json_object_get(it, "patient");
        const char *label = json_string_value(json_object_get(p, "label"));
        printf("%s\t%.4f\t%s\t%s\t%s\n", json_string_value(json_object_get(it, "node")),
               json_number_value(json_object_get(it, "score")),
               json_string_value(json_object_get(p, "id")), label ? label : "",
               json_string_value(json_object_get(json_object_get(p, "contact"), "href")));
    }
}

/* What the search could not use or had to say, on stderr so stdout stays parseable. */
static void print_remarks(const struct match_results *r)
{
    for (int i = 0; i < r->nunused && i < MATCH_UNUSED_MAX; i++)
        fprintf(stderr, "genoshare: match: %s not used: %s\n", r->unused[i].id, r->unused[i].why);
    if (r->nunused > MATCH_UNUSED_MAX)
        fprintf(stderr, "genoshare: match: and %d more ids not used\n",
                r->nunused - MATCH_UNUSED_MAX);
    for (int i = 0; i < r->notes.nnotes && i < CASE_NOTES_MAX; i++)
        fprintf(stderr, "genoshare: match: %s\n", r->notes.notes[i]);
    if (!r->informative)
        fprintf(stderr, "genoshare: match: the phenotype is not informative enough (IC %.2f < "
                "%.1f): only cases sharing a gene or variant are listed\n", r->query_ic,
                SIM_MIN_QUERY_IC);
}

int cmd_match(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT("db", "FILE", "database (default $GENOSHARE_DB, else ./genoshare.db)"),
        OPT("hpo", "HP:n[,HP:n]", "observed phenotypic features"),
        OPT("excluded", "HP:n[,HP:n]", "features the patient is known not to have"),
        OPT("gene", "SYMBOL[,...]", "candidate genes (symbols or HGNC/Ensembl/NCBIGene ids)"),
        OPT("case", "ID", "find the cases similar to this stored case instead"),
        OPT("top", "N", "how many results (default 10, at most 100)"),
        OPT("as", "USER", "search as this user would (what they may see; audited)"),
        OPT("json", NULL, "print JSON instead of TSV and explanations"),
        OPT("peers", NULL, "also ask the Matchmaker Exchange peers (genoshare mme peer)"),
        OPT("peer-timeout", "MS", "time bound for the peers, 100-60000 ms (default 8000)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "match --hpo HP:…,HP:… [--excluded HP:…] [--gene SYMBOL[,…]] "
                               "[--top N] [--as USER] [--json] [--peers [--peer-timeout MS]] | "
                               "match --case ID [--top N] [--peers]",
                               "Find similar cases: TSV (rank, case, label, score, phenotype, "
                               "gene, dataset), then an explanation block per result.",
                               0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    static char hpo_buf[8192], excluded_buf[8192], gene_buf[4096];
    const char *observed[LIST_MAX], *excluded[LIST_MAX], *genes[LIST_MAX];
    struct match_query q = {.observed = observed, .excluded = excluded, .genes = genes};
    int64_t top = MATCH_TOP_DEFAULT, case_id = 0;
    struct gs_err ignored = {0}; /* the usage messages below say it better */
    if ((rc = split_list("hpo", o[1].value, hpo_buf, sizeof hpo_buf, observed, LIST_MAX,
                         &q.nobserved, err)) != GS_OK ||
        (rc = split_list("excluded", o[2].value, excluded_buf, sizeof excluded_buf, excluded,
                         LIST_MAX, &q.nexcluded, err)) != GS_OK ||
        (rc = split_list("gene", o[3].value, gene_buf, sizeof gene_buf, genes, LIST_MAX,
                         &q.ngenes, err)) != GS_OK)
        return rc;
    if (o[5].value != NULL && parse_int64(o[5].value, 1, MATCH_TOP_MAX, &top, &ignored) != GS_OK)
        return gs_err_set(err, GS_EUSAGE, "--top must be 1 to %d", MATCH_TOP_MAX);
    if (o[4].value != NULL && parse_int64(o[4].value, 1, INT64_MAX, &case_id, &ignored) != GS_OK)
        return gs_err_set(err, GS_EUSAGE, "--case needs a case id");
    if (case_id != 0 && q.nobserved + q.nexcluded + q.ngenes > 0)
        return gs_err_set(err, GS_EUSAGE, "--case cannot be combined with --hpo, --excluded "
                          "or --gene");
    if (case_id == 0 && q.nobserved + q.nexcluded + q.ngenes == 0)
        return gs_err_set(err, GS_EUSAGE, "match needs --hpo (or --gene, or --case ID)");
    struct mme_outbound_options peer_opt = {0};
    int64_t peer_ms = 0;
    if (o[9].value != NULL &&
        parse_int64(o[9].value, 100, 60000, &peer_ms, &ignored) != GS_OK)
        return gs_err_set(err, GS_EUSAGE, "--peer-timeout must be 100 to 60000 (ms)");
    peer_opt.total_timeout_ms = (long)peer_ms;
    json_t *remote = NULL;

    struct store *s = NULL;
    struct hpo *h = NULL;
    struct match_results r = {0};
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal who;
    struct gs_err inner = {0};
    if ((rc = cli_reader(s, o[6].value, &who, &by, actor_name, sizeof actor_name, err)) == GS_OK &&
        (rc = hpo_from_store(s, &h, &inner)) != GS_OK)
        rc = rc == GS_ENOTFOUND ? gs_err_set(err, rc, "no HPO release loaded: genoshare hpo "
                                                      "load FILE first")
                                : gs_err_set(err, rc, "%s", inner.msg);
    time_t now = time(NULL);
    if (rc == GS_OK)
        rc = case_id ? match_search_case(s, h, &who, &by, case_id, (int)top, now, &r, err)
                     : match_search(s, h, &who, &by, &q, (int)top, now, &r, err);
    if (rc == GS_OK && o[8].value != NULL)
        rc = case_id ? mme_search_peers_for_case(s, &who, &by, case_id, &peer_opt, now, &remote,
                                                 err)
                     : mme_search_peers_for_query(s, &by, who.name, &q, &peer_opt, now, &remote,
                                                  err);
    if (rc == GS_OK) {
        print_remarks(&r);
        if (o[7].value != NULL) {
            json_t *doc = match_results_to_json(&r);
            if (doc != NULL && remote != NULL)
                json_object_update(doc, remote);
            char *text = doc ? json_dumps(doc, JSON_INDENT(2)) : NULL;
            if (text == NULL)
                rc = gs_err_set(err, GS_ENOMEM, "out of memory");
            else
                printf("%s\n", text);
            free(text);
            json_decref(doc);
        } else {
            print_table(&r);
            if (remote != NULL)
                print_remote(remote);
        }
    }
    json_decref(remote);
    match_results_free(&r);
    hpo_free(h);
    store_close(s);
    return rc;
}
