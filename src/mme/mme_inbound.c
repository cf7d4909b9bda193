/* mme_inbound.c — what a peer gets from us: answers to POST /mme/match, metrics and the
 * heartbeat, and the MME patient form of our cases (also what we send peers). Visibility is
 * the one access decision's, through the peer's principal (mme.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "match/mme_patient.h"
#include "match/search.h"
#include "mme/mme.h"
#include "mme/mme_protocol.h"

/* score.patient must lie in [0, 1] but match_search's score is unbounded above (its
 * Resnik part is in nats): s / (1 + s) keeps the order strictly (no ties at a cap), gives
 * 0.5 to a gene-only match, and the raw score travels as "_score". */
static double mme_score(double s)
{
    if (!isfinite(s) || s <= 0)
        return 0.0;
    return s / (1.0 + s);
}

/* ---- our cases as MME patients ---- */

json_t *mme_patient_for_peer(struct store *s, const struct store_case *c, struct gs_err *err)
{
    struct store_institution inst = {0};
    int rc = store_institution_get(s, c->institution_id, &inst, err);
    if (rc != GS_OK)
        return NULL;
    const char *inst_name = inst.display_name[0] ? inst.display_name : inst.name;
    json_t *p = mme_patient_from_case(c, inst_name);
    if (p == NULL) {
        gs_err_set(err, GS_ENOMEM, "out of memory");
        return NULL;
    }
    /* contact: the spec needs a name and a URI */
    json_t *contact = json_object_get(p, "contact");
    if (json_string_length(json_object_get(contact, "name")) == 0)
        json_object_set_new(contact, "name", json_string(inst_name));
    if (json_string_length(json_object_get(contact, "href")) == 0) {
        char href[STORE_TEXT_MAX + 40];
        if (c->contact_email[0])
            snprintf(href, sizeof href, "mailto:%s", c->contact_email);
        else
            snprintf(href, sizeof href, "urn:genoshare:institution:%s", inst.name);
        json_object_set_new(contact, "href", json_string(href));
    }
    /* the spec's chromosome names: 1-22, X, Y, M */
    size_t i;
    json_t *gf;
    json_array_foreach(json_object_get(p, "genomicFeatures"), i, gf)
    {
        json_t *var = json_object_get(gf, "variant");
        const char *chrom = json_string_value(json_object_get(var, "referenceName"));
        if (chrom != NULL && strcmp(chrom, "MT") == 0)
            json_object_set_new(var, "referenceName", json_string("M"));
    }
    /* the spec's disorders are MIM: and Orphanet: ids; others (MONDO:) go to an extension */
    json_t *disorders = json_object_get(p, "disorders"), *others = json_array();
    for (i = 0; i < json_array_size(disorders);) {
        const char *id = json_string_value(json_object_get(json_array_get(disorders, i), "id"));
        if (id && strncmp(id, "MIM:", 4) != 0 && strncmp(id, "Orphanet:", 9) != 0) {
            json_array_append(others, json_array_get(disorders, i));
            json_array_remove(disorders, i);
        } else {
            i++;
        }
    }
    if (json_array_size(others) > 0)
        json_object_set(p, "_disorders", others);
    json_decref(others);
    return p;
}

/* ---- inbound match ---- */

/* Everything the query borrows, freed together. */
struct inbound_query {
    struct store_case c;
    struct case_report rep;
    char (*ids)[16]; /* "HP:0001250" per feature */
    const char **observed, **excluded, **genes;
    struct match_query q;
};

static void inbound_query_free(struct inbound_query *iq)
{
    store_case_clear(&iq->c);
    free(iq->ids);
    free(iq->observed);
    free(iq->excluded);
    free(iq->genes);
}

/* The patient as a match query: terms, genes (unknown ones noted and left out), variants. */
static int inbound_query_build(struct store *s, const json_t *request, struct inbound_query *iq,
                               struct gs_err *err)
{
    struct gs_err inner = {0};
    int rc = mme_patient_to_case(request, &iq->c, &iq->rep, &inner);
    if (rc == GS_EINVAL)
        return gs_err_set(err, GS_EUNPROCESSABLE, "%s", inner.msg);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    size_t nf = (size_t)iq->c.nfeatures + 1, ng = (size_t)iq->c.ngenes + 1;
    iq->ids = calloc(nf, sizeof *iq->ids);
    iq->observed = calloc(nf, sizeof *iq->observed);
    iq->excluded = calloc(nf, sizeof *iq->excluded);
    iq->genes = calloc(ng, sizeof *iq->genes);
    if (!iq->ids || !iq->observed || !iq->excluded || !iq->genes)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    for (int i = 0; i < iq->c.nfeatures; i++) {
        snprintf(iq->ids[i], sizeof iq->ids[i], "HP:%07u", (unsigned)iq->c.features[i].hpo);
        if (iq->c.features[i].excluded)
            iq->excluded[iq->q.nexcluded++] = iq->ids[i];
        else
            iq->observed[iq->q.nobserved++] = iq->ids[i];
    }
    int64_t table = 0;
    if ((rc = store_gene_count(s, &table, err)) != GS_OK)
        return rc;
    for (int i = 0; i < iq->c.ngenes; i++) {
        const struct store_case_gene *g = &iq->c.genes[i];
        const char *text = g->gene_id[0] ? g->gene_id : g->symbol;
        struct store_gene found;
        struct gs_err ignored = {0};
        if (table > 0 && (rc = store_gene_lookup(s, text, &found, &ignored)) != GS_OK) {
            if (rc != GS_ENOTFOUND)
                return gs_err_set(err, rc, "%s", ignored.msg);
            case_note(&iq->rep, "gene %s is unknown here: not used", text);
            continue;
        }
        iq->genes[iq->q.ngenes++] = text;
    }
    iq->q.observed = iq->observed;
    iq->q.excluded = iq->excluded;
    iq->q.genes = iq->genes;
    iq->q.variants = iq->c.variants;
    iq->q.nvariants = iq->c.nvariants;
    return GS_OK;
}

/* One result: the case (read again through the access decision) as an MME patient, the
 * normalised score with our parts, and the explanation from match_results_to_json. */
static int inbound_result(struct store *s, const struct principal *who, const struct actor *by,
                          const struct match_result *m, json_t *explained, time_t now,
                          json_t *results, json_t *notes, struct gs_err *err)
{
    struct store_case c = {0};
    struct store_dataset d;
    int rc = cases_read(s, who, by, m->case_id, now, &c, &d, err);
    if (rc != GS_OK) {
        store_case_clear(&c);
        return rc;
    }
    json_t *patient = mme_patient_for_peer(s, &c, err);
    store_case_clear(&c);
    if (patient == NULL)
        return err->code ? err->code : GS_ENOMEM;
    struct gs_err invalid = {0};
    if (mme_validate_patient(patient, "patient", &invalid) != GS_OK) {
        /* e.g. a case with diagnoses only: MME needs features or genomic features */
        char note[GS_ERR_MSG_MAX + 40];
        snprintf(note, sizeof note, "a match was left out: %s", invalid.msg);
        json_array_append_new(notes, json_string(note));
        json_decref(patient);
        return GS_OK;
    }
    double norm = mme_score(m->score);
    json_t *score =
        json_pack("{s:f, s:f, s:f, s:f, s:f}", "patient", round(norm * 1e4) / 1e4, "_score",
                  m->score, "_phenotype", m->phenotype, "_gene", m->gene, "_variant", m->variant);
    json_t *why = json_object();
    static const char *const keys[] = {"subscores", "matched_terms", "shared_genes",
                                       "shared_variants"};
    for (size_t k = 0; why && explained && k < sizeof keys / sizeof keys[0]; k++) {
        json_t *v = json_object_get(explained, keys[k]);
        if (v)
            json_object_set(why, keys[k], v);
    }
    json_t *item =
        json_pack("{s:o, s:o, s:o}", "score", score, "patient", patient, "_explanation", why);
    if (item == NULL || json_array_append_new(results, item) != 0)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    return GS_OK;
}

static void notes_add(json_t *notes, const struct match_results *r, const struct case_report *rep)
{
    for (int i = 0; i < rep->nnotes && i < CASE_NOTES_MAX; i++)
        json_array_append_new(notes, json_string(rep->notes[i]));
    for (int i = 0; i < r->nunused && i < MATCH_UNUSED_MAX; i++) {
        char text[200];
        snprintf(text, sizeof text, "%s not used: %s", r->unused[i].id, r->unused[i].why);
        json_array_append_new(notes, json_string(text));
    }
    for (int i = 0; i < r->notes.nnotes && i < CASE_NOTES_MAX; i++)
        json_array_append_new(notes, json_string(r->notes.notes[i]));
    if (r->n == 0 && !r->informative && r->query_ic > 0)
        json_array_append_new(notes, json_string("the phenotype is not informative enough: only "
                                                 "cases sharing a gene or variant are returned"));
}

/* The exchange row and the audit row, in one transaction. */
static int inbound_record(struct store *s, const struct store_mme_peer *peer,
                          const struct actor *by, const json_t *results, const char *ids,
                          time_t now, struct gs_err *err)
{
    struct store_mme_exchange x = {0};
    snprintf(x.peer, sizeof x.peer, "%s", peer->name);
    x.direction = MME_INBOUND;
    x.at = now;
    x.results = (int)json_array_size(results);
    snprintf(x.status, sizeof x.status, "ok");
    char object[STORE_TEXT_MAX], detail[STORE_AUDIT_TEXT_MAX];
    snprintf(object, sizeof object, "peer:%s", peer->name);
    snprintf(detail, sizeof detail, "cases returned: %.990s", ids[0] ? ids : "none");
    struct audit_event ev = {"mme.match", object, detail};
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    rc = store_mme_exchange_insert(s, &x, err);
    return audit_commit(s, rc, by, &ev, now, err);
}

int mme_match_inbound(struct case_index *ix, struct store *s, const struct hpo *h,
                      const struct store_mme_peer *peer, const struct actor *by,
                      const json_t *request, time_t now, json_t **out, struct gs_err *err)
{
    struct inbound_query iq;
    memset(&iq, 0, sizeof iq);
    struct match_results r = {0};
    struct principal who;
    mme_peer_principal(peer, &who);
    json_t *results = json_array(), *notes = json_array(), *explained = NULL;
    char ids[STORE_AUDIT_TEXT_MAX] = "";
    int rc = results && notes ? inbound_query_build(s, request, &iq, err)
                              : gs_err_set(err, GS_ENOMEM, "out of memory");
    bool empty = iq.q.nobserved + iq.q.nexcluded + iq.q.ngenes + iq.q.nvariants == 0;
    if (rc == GS_OK && !empty) {
        struct gs_err inner = {0};
        rc = match_search_indexed(ix, s, h, &who, by, &iq.q, MME_INBOUND_RESULTS, NULL, now, &r,
                                  &inner);
        if (rc == GS_EINVAL)
            rc = gs_err_set(err, GS_EUNPROCESSABLE, "%s", inner.msg);
        else if (rc != GS_OK)
            rc = gs_err_set(err, rc, "%s", inner.msg);
    }
    if (rc == GS_OK && !empty && (explained = match_results_to_json(&r)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    for (size_t i = 0; rc == GS_OK && i < r.n; i++) {
        json_t *one = json_array_get(json_object_get(explained, "results"), i);
        size_t before = json_array_size(results);
        rc = inbound_result(s, &who, by, &r.items[i], one, now, results, notes, err);
        if (rc == GS_OK && json_array_size(results) > before && strlen(ids) + 24 < sizeof ids)
            snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%lld", ids[0] ? "," : "",
                     (long long)r.items[i].case_id);
    }
    if (rc == GS_OK) {
        notes_add(notes, &r, &iq.rep);
        if (empty)
            json_array_append_new(notes, json_string("nothing in the patient could be used "
                                                     "here: no results"));
        rc = inbound_record(s, peer, by, results, ids, now, err);
    }
    if (rc == GS_OK) {
        *out = json_pack("{s:O}", "results", results);
        if (*out != NULL && json_array_size(notes) > 0)
            json_object_set(*out, "_notes", notes);
        if (*out == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    }
    json_decref(explained);
    json_decref(results);
    json_decref(notes);
    match_results_free(&r);
    inbound_query_free(&iq);
    return rc;
}

/* ---- metrics ---- */

struct id_list {
    int64_t *ids;
    size_t n, cap;
};

static int collect_id(void *ctx, const struct store_case *c)
{
    struct id_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        int64_t *p = realloc(l->ids, cap * sizeof *p);
        if (p == NULL)
            return GS_ENOMEM;
        l->ids = p;
        l->cap = cap;
    }
    l->ids[l->n++] = c->id;
    return GS_OK;
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* Distinct rows of a sorted table of n strings of width w. */
static int64_t distinct(char *rows, size_t n, size_t w)
{
    if (n == 0)
        return 0;
    qsort(rows, n, w, cmp_text);
    int64_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += i == 0 || strcmp(rows + i * w, rows + (i - 1) * w) != 0;
    return d;
}

/* Appends text as a row of width w to *rows (grown as needed). */
static int push_row(char **rows, size_t *n, size_t *cap, size_t w, const char *text)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 256;
        char *p = realloc(*rows, c * w);
        if (p == NULL)
            return GS_ENOMEM;
        *rows = p;
        *cap = c;
    }
    snprintf(*rows + *n * w, w, "%s", text);
    (*n)++;
    return GS_OK;
}

#define ROW_W 64

int mme_metrics(struct store *s, const struct store_mme_peer *peer, const struct actor *by,
                time_t now, json_t **out, struct gs_err *err)
{
    struct principal who;
    mme_peer_principal(peer, &who);
    struct id_list l = {0};
    int64_t total = 0, requests = 0, sent = 0;
    int rc = cases_list(s, &who, by, NULL, false, 0, 0, now, collect_id, &l, &total, err);
    if (rc == GS_ENOMEM)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    char *feat = NULL, *genes = NULL, *subs = NULL;
    size_t nfeat = 0, cfeat = 0, ngenes = 0, cgenes = 0, nsubs = 0, csubs = 0;
    int64_t with_diagnosis = 0, variants = 0;
    for (size_t i = 0; rc == GS_OK && i < l.n; i++) {
        struct store_case c = {0};
        /* visibility was decided by cases_list for this principal */
        rc = store_case_get(s, l.ids[i], &c, err);
        char row[ROW_W];
        for (int k = 0; rc == GS_OK && k < c.nfeatures; k++) {
            snprintf(row, sizeof row, "%u", (unsigned)c.features[k].hpo);
            rc = push_row(&feat, &nfeat, &cfeat, ROW_W, row);
        }
        for (int k = 0; rc == GS_OK && k < c.ngenes; k++)
            rc = push_row(&genes, &ngenes, &cgenes, ROW_W,
                          c.genes[k].gene_id[0] ? c.genes[k].gene_id : c.genes[k].symbol);
        snprintf(row, sizeof row, "%lld|%.40s", (long long)c.institution_id, c.contact_name);
        if (rc == GS_OK)
            rc = push_row(&subs, &nsubs, &csubs, ROW_W, row);
        with_diagnosis += c.ndiagnoses > 0;
        variants += c.nvariants;
        store_case_clear(&c);
        if (rc == GS_ENOMEM)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    }
    if (rc == GS_OK)
        rc = store_mme_exchange_totals(s, &requests, &sent, err);
    if (rc == GS_OK) {
        char date[21];
        format_utc_time(now, date);
        date[10] = '\0';
        json_int_t nf = (json_int_t)nfeat, ng = (json_int_t)ngenes;
        json_int_t uf = distinct(feat, nfeat, ROW_W), ug = distinct(genes, ngenes, ROW_W);
        json_int_t us = distinct(subs, nsubs, ROW_W);
        *out = json_pack("{s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:s}}", "metrics",
                         "numberOfCases", (json_int_t)total, "numberOfSubmitters", us,
                         "numberOfGenes", ng, "numberOfUniqueGenes", ug, "numberOfVariants",
                         (json_int_t)variants, "numberOfFeatures", nf, "numberOfUniqueFeatures", uf,
                         "numberOfCasesWithDiagnosis", (json_int_t)with_diagnosis,
                         "numberOfRequestsReceived", (json_int_t)requests,
                         "numberOfPotentialMatchesSent", (json_int_t)sent, "dateGenerated", date);
        if (*out == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    }
    free(feat);
    free(genes);
    free(subs);
    free(l.ids);
    return rc;
}

json_t *mme_heartbeat(void)
{
    return json_pack("{s:{s:b, s:s, s:[s, s, s]}}", "heartbeat", "production", 1, "version", "1.1",
                     "accept", MME_MEDIA_V11_TEXT, MME_MEDIA_V10_TEXT, "application/json");
}
