/* api_hpo.c — GET /api/v1/hpo/terms?q=TEXT&lang=en|ja&limit=N: autocomplete over the loaded
 * HPO release (the store's full-text index of labels and synonyms, English and Japanese), or
 * the one term of an exact id ("HP:0001250", alt and obsolete ids resolved to the current
 * term). The ontology is public: anyone may search. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "http/request.h"
#include "pheno/hpo.h"
#include "store/store_hpo.h"

#define HPO_Q_MAX 100
#define HPO_LIMIT_DEFAULT 10
#define HPO_LIMIT_MAX 50

static json_t *term_json(const char *id, const char *label, const char *label_ja)
{
    return json_pack("{s:s, s:s, s:s}", "id", id, "label", label ? label : "", "label_ja",
                     label_ja ? label_ja : "");
}

static int add_hit(void *ctx, const struct store_hpo_hit *hit)
{
    json_t *terms = ctx;
    char id[HPO_ID_MAX + 4];
    snprintf(id, sizeof id, "HP:%07u", (unsigned)hit->term);
    json_array_append_new(terms, term_json(id, hit->label, hit->label_ja));
    return GS_OK;
}

static int api_hpo_terms(struct request *rq, struct gs_err *err)
{
    const char *q = request_query(rq, "q"), *lang = request_query(rq, "lang");
    const char *limit_text = request_query(rq, "limit");
    if (q == NULL || q[strspn(q, " \t")] == '\0')
        return gs_err_set(err, GS_EINVAL, "q is required (a word of a label, or an HPO id)");
    if (strlen(q) > HPO_Q_MAX)
        return gs_err_set(err, GS_EINVAL, "q must be at most %d bytes", HPO_Q_MAX);
    if (lang != NULL && *lang == '\0')
        lang = NULL;
    if (lang != NULL && strcmp(lang, "en") != 0 && strcmp(lang, "ja") != 0)
        return gs_err_set(err, GS_EINVAL, "lang must be en or ja");
    int64_t limit = HPO_LIMIT_DEFAULT;
    struct gs_err ignored = {0};
    if (limit_text != NULL && parse_int64(limit_text, 1, HPO_LIMIT_MAX, &limit, &ignored) != GS_OK)
        return gs_err_set(err, GS_EINVAL, "limit must be an integer from 1 to %d", HPO_LIMIT_MAX);
    const struct hpo *h = request_hpo(rq);
    if (h == NULL)
        return gs_err_set(err, GS_ENOTFOUND, "no HPO release loaded: genoshare hpo load "
                          "--ontology FILE, then restart the server");
    json_t *terms = json_array();
    if (terms == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    /* an exact id: that term (or none), no full-text search */
    const char *start = q + strspn(q, " \t");
    char idtext[HPO_Q_MAX + 1];
    snprintf(idtext, sizeof idtext, "%s", start);
    idtext[strcspn(idtext, " \t")] = '\0';
    uint32_t number;
    if (hpo_id_parse(idtext, &number)) {
        int t = hpo_term_find(h, number, NULL);
        if (t >= 0)
            json_array_append_new(terms, term_json(hpo_term_id(h, t),
                                                   hpo_term_label(h, t, HPO_LANG_EN),
                                                   hpo_term_label(h, t, HPO_LANG_JA)));
        request_reply(rq, 200, json_pack("{s:o}", "terms", terms));
        return GS_OK;
    }
    int rc = store_hpo_search(rq->store, q, lang, (int)limit, add_hit, terms, err);
    if (rc != GS_OK) {
        json_decref(terms);
        return rc;
    }
    request_reply(rq, 200, json_pack("{s:o}", "terms", terms));
    return GS_OK;
}

const struct route hpo_routes[] = {
    {"GET", "/api/v1/hpo/terms", api_hpo_terms, false, false},
};
const size_t hpo_route_count = sizeof hpo_routes / sizeof hpo_routes[0];
