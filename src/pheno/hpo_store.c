/* hpo_store.c — saving a loaded HPO release into the store (validated by the readers,
 * written and audited in one transaction, as registry.c does for its writes) and
 * rebuilding it from the store through the same builder the file readers use. */
#include "pheno/hpo_store.h"

#include <stdio.h>
#include <string.h>

#include "pheno/hpo_internal.h"
#include "store/store_hpo.h"

static int save_term(struct store *s, const struct hpo *h, int t, struct gs_err *err)
{
    int r = hpo_term_replaced_by(h, t);
    struct store_hpo_term row = {hpo_term_number(h, t), hpo_term_label(h, t, HPO_LANG_EN),
                                 hpo_term_label(h, t, HPO_LANG_JA), hpo_term_obsolete(h, t),
                                 r >= 0 ? hpo_term_number(h, r) : 0, hpo_term_ic(h, t)};
    int rc = store_hpo_term_insert(s, &row, err);
    int n;
    uint32_t from = row.number;
    const int *list = hpo_term_parents(h, t, &n);
    for (int i = 0; rc == GS_OK && i < n; i++)
        rc = store_hpo_link_insert(s, STORE_HPO_PARENT, from, hpo_term_number(h, list[i]), err);
    list = hpo_term_consider(h, t, &n);
    for (int i = 0; rc == GS_OK && i < n; i++)
        rc = store_hpo_link_insert(s, STORE_HPO_CONSIDER, from, hpo_term_number(h, list[i]), err);
    const uint32_t *alts = hpo_term_alt_ids(h, t, &n);
    for (int i = 0; rc == GS_OK && i < n; i++)
        rc = store_hpo_link_insert(s, STORE_HPO_ALT_ID, from, alts[i], err);
    const char *const *syn = hpo_term_synonyms(h, t, &n);
    for (int i = 0; rc == GS_OK && i < n; i++)
        rc = store_hpo_synonym_insert(s, from, syn[i], err);
    return rc;
}

int hpo_store_save(struct store *s, const struct actor *by, const struct hpo *h, time_t now,
                   struct gs_err *err)
{
    struct hpo_stats st;
    hpo_stats(h, &st);
    struct store_hpo_release rel = {.loaded_at = now, .terms = st.terms,
                                    .diseases = st.diseases};
    if (strlen(hpo_version(h)) >= sizeof rel.version)
        return gs_err_set(err, GS_EINVAL, "the ontology's version is longer than %zu bytes",
                          sizeof rel.version - 1);
    snprintf(rel.version, sizeof rel.version, "%s", hpo_version(h));
    snprintf(rel.annotations_version, sizeof rel.annotations_version, "%s",
             hpo_annotations_version(h));
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    int64_t id = 0;
    if ((rc = store_hpo_clear(s, err)) == GS_OK)
        rc = store_hpo_release_insert(s, &rel, &id, err);
    for (int t = 0; rc == GS_OK && t < st.terms; t++)
        rc = save_term(s, h, t, err);
    if (rc == GS_OK)
        rc = store_hpo_search_rebuild(s, err);
    char object[STORE_TEXT_MAX + 8], detail[STORE_AUDIT_TEXT_MAX];
    snprintf(object, sizeof object, "hpo:%s", rel.version);
    snprintf(detail, sizeof detail, "{\"release\":%lld,\"terms\":%d,\"obsolete\":%d,"
             "\"alt_ids\":%d,\"is_a\":%d,\"labels_ja\":%d,\"diseases\":%lld,"
             "\"annotations_version\":\"%s\"}", (long long)id, st.terms, st.obsolete,
             st.alt_ids, st.is_a, st.labels_ja, (long long)st.diseases,
             rel.annotations_version);
    struct audit_event ev = {"hpo.load", object, detail};
    if (rc == GS_OK)
        rc = audit_append(s, by, &ev, now, err);
    if (rc == GS_OK)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

/* ---- rebuilding ---- */

struct rebuild {
    struct hpo *h;
    struct gs_err *err;
};

static int add_term(void *ctx, const struct store_hpo_term *t)
{
    struct rebuild *b = ctx;
    int rc = hpo__add_term(b->h, t->number, t->label, t->obsolete, 0, b->err);
    if (rc == GS_OK && t->replaced_by != 0)
        rc = hpo__add_link(b->h, HPO_LINK_REPLACED_BY, t->number, t->replaced_by, 0, b->err);
    return rc;
}

static int add_parent(void *ctx, uint32_t from, uint32_t to)
{
    struct rebuild *b = ctx;
    return hpo__add_link(b->h, HPO_LINK_IS_A, from, to, 0, b->err);
}

static int add_alt(void *ctx, uint32_t from, uint32_t to)
{
    struct rebuild *b = ctx;
    return hpo__add_link(b->h, HPO_LINK_ALT_ID, from, to, 0, b->err);
}

static int add_consider(void *ctx, uint32_t from, uint32_t to)
{
    struct rebuild *b = ctx;
    return hpo__add_link(b->h, HPO_LINK_CONSIDER, from, to, 0, b->err);
}

static int add_synonym(void *ctx, uint32_t term, const char *text)
{
    struct rebuild *b = ctx;
    return hpo__add_synonym(b->h, term, text, b->err);
}

/* Labels and IC are set after hpo__finish, when term indices exist. */
static int set_values(void *ctx, const struct store_hpo_term *t)
{
    struct rebuild *b = ctx;
    int i = hpo__index_of(b->h, t->number);
    if (i < 0)
        return gs_err_set(b->err, GS_ECORRUPT, "HPO term HP:%07u changed while loading",
                          t->number);
    hpo__set_ic(b->h, i, t->ic);
    return t->label_ja[0] ? hpo__set_label_ja(b->h, i, t->label_ja, b->err) : GS_OK;
}

int hpo_from_store(struct store *s, struct hpo **out, struct gs_err *err)
{
    struct store_hpo_release rel;
    struct rebuild b = {NULL, err};
    int rc = store_hpo_release_current(s, &rel, err);
    if (rc == GS_OK)
        rc = hpo__begin(&b.h, err);
    char source[64];
    snprintf(source, sizeof source, "stored HPO release %lld", (long long)rel.id);
    if (rc == GS_OK && (rc = hpo__set_version(b.h, rel.version, err)) == GS_OK &&
        (rc = store_hpo_term_each(s, add_term, &b, err)) == GS_OK &&
        (rc = store_hpo_link_each(s, STORE_HPO_PARENT, add_parent, &b, err)) == GS_OK &&
        (rc = store_hpo_link_each(s, STORE_HPO_ALT_ID, add_alt, &b, err)) == GS_OK &&
        (rc = store_hpo_link_each(s, STORE_HPO_CONSIDER, add_consider, &b, err)) == GS_OK &&
        (rc = store_hpo_synonym_each(s, add_synonym, &b, err)) == GS_OK &&
        (rc = hpo__finish(b.h, source, err)) == GS_OK &&
        (rc = store_hpo_term_each(s, set_values, &b, err)) == GS_OK)
        hpo__set_annotations(b.h, rel.diseases, rel.annotations_version);
    if (rc != GS_OK) {
        hpo_free(b.h);
        return rc;
    }
    *out = b.h;
    return GS_OK;
}
