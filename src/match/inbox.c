/* inbox.c — match notifications: making them after case writes (from the case change
 * counter), listing a user's inbox with the access decision re-applied, marking read.
 * Decisions are in inbox.h. */
#include "match/inbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/search.h"
#include "store/store_inbox.h"
#include "store/store_match.h"

/* ---- making notifications ---- */

struct id_list {
    int64_t *ids;
    size_t n, cap;
};

static int id_push(void *ctx, int64_t id)
{
    struct id_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        int64_t *grown = realloc(l->ids, cap * sizeof *grown);
        if (grown == NULL)
            return GS_ENOMEM;
        l->ids = grown;
        l->cap = cap;
    }
    l->ids[l->n++] = id;
    return GS_OK;
}

/* One written case and what it matched (computed before the write transaction). */
struct written {
    struct store_case c;
    struct match_results r;
};

static json_t *term_json(const char *id, const char *label)
{
    return id ? json_pack("{s:s, s:s}", "id", id, "label", label ? label : "") : json_null();
}

/* The explanation summary for one side: "own" is the recipient's case's term, "other" the
 * matched case's; the most informative pairs first, as many as fit the stored size. */
static char *summary_text(const struct match_result *r, bool recipient_is_query)
{
    int n = r->npairs, order[MATCH_QUERY_TERMS_MAX];
    for (int i = 0; i < n && i < MATCH_QUERY_TERMS_MAX; i++)
        order[i] = i;
    n = n < MATCH_QUERY_TERMS_MAX ? n : MATCH_QUERY_TERMS_MAX;
    for (int i = 1; i < n; i++) /* insertion sort by IC, descending (n is small) */
        for (int j = i; j > 0 && r->pairs[order[j]].ic > r->pairs[order[j - 1]].ic; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (int keep = n < 12 ? n : 12; keep >= 0; keep = keep > 4 ? keep / 2 : keep - 1) {
        json_t *pairs = json_array(), *genes = json_array();
        for (int k = 0; k < keep; k++) {
            const struct match_pair *p = &r->pairs[order[k]];
            if (p->mica_id == NULL)
                continue;
            json_t *q = term_json(p->query_id, p->query_label);
            json_t *c = term_json(p->case_term_id, p->case_term_label);
            json_t *mica = term_json(p->mica_id, p->mica_label);
            json_object_set_new(mica, "ic", json_real(p->ic));
            json_array_append_new(pairs, json_pack("{s:o, s:o, s:o}", "own",
                                                   recipient_is_query ? q : c, "other",
                                                   recipient_is_query ? c : q, "mica", mica));
        }
        for (int i = 0; i < r->nshared_genes && i < 10; i++)
            json_array_append_new(genes, json_pack("{s:s, s:s}", "id", r->shared_genes[i].gene_id,
                                                   "symbol", r->shared_genes[i].symbol));
        json_t *doc = json_pack("{s:f, s:f, s:f, s:f, s:I, s:o, s:o}", "score", r->score,
                                "phenotype_score", r->phenotype, "gene_score", r->gene,
                                "variant_score", r->variant, "shared_variants",
                                (json_int_t)r->nshared_variants, "matched_terms", pairs,
                                "shared_genes", genes);
        char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        json_decref(doc);
        if (text == NULL || strlen(text) < STORE_INBOX_SUMMARY_MAX)
            return text;
        free(text);
    }
    return NULL;
}

/* Tells owner (0: none) of case own about case other, if owner may read other. */
static int notify(struct store *s, int64_t owner, const struct store_case *own,
                  const struct store_case *other, const struct match_result *r,
                  bool owner_is_query, time_t now, struct gs_err *err)
{
    if (owner == 0)
        return GS_OK;
    struct principal p;
    struct gs_err ignored = {0};
    if (principal_for_user(s, owner, &p, &ignored) != GS_OK)
        return GS_OK; /* a disabled or removed account is told nothing */
    struct store_dataset d;
    struct access_decision v;
    int rc = store_dataset_get(s, other->dataset_id, &d, err);
    if (rc == GS_OK)
        rc = access_check_read(s, &p, &d, other->institution_id, other->scope, now, &v, err);
    if (rc != GS_OK || !v.allowed)
        return rc;
    char *summary = summary_text(r, owner_is_query);
    if (summary == NULL)
        return gs_err_set(err, GS_ENOMEM, "inbox: out of memory");
    struct store_inbox_item it = {.recipient_user_id = owner, .case_id = own->id,
                                  .other_case_id = other->id, .score = r->score,
                                  .summary = summary, .created_at = now};
    rc = store_inbox_insert(s, &it, err);
    free(summary);
    return rc;
}

/* Writes the notifications of the written cases and moves the counter to gen, in one
 * transaction; nothing when another process moved the counter meanwhile. */
static int write_notifications(struct store *s, struct written *w, size_t n, int64_t processed,
                               int64_t gen, time_t now, struct gs_err *err)
{
    int64_t again;
    double threshold;
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store_inbox_state(s, &again, &threshold, err)) != GS_OK || again != processed) {
        store_rollback(s);
        return rc;
    }
    for (size_t i = 0; rc == GS_OK && i < n; i++) {
        const struct store_case *x = &w[i].c;
        rc = store_inbox_forget_case(s, x->id, err);
        for (size_t j = 0; rc == GS_OK && x->state == CASE_ACTIVE && j < w[i].r.n; j++) {
            const struct match_result *r = &w[i].r.items[j];
            struct store_case y = {0};
            if ((rc = store_case_get(s, r->case_id, &y, err)) == GS_OK &&
                y.state == CASE_ACTIVE &&
                (rc = notify(s, x->created_by, x, &y, r, true, now, err)) == GS_OK &&
                y.created_by != x->created_by)
                rc = notify(s, y.created_by, &y, x, r, false, now, err);
            store_case_clear(&y);
        }
    }
    if (rc == GS_OK)
        rc = store_inbox_set_processed(s, gen, err);
    if (rc == GS_OK)
        rc = store_commit(s, err);
    if (rc != GS_OK)
        store_rollback(s);
    return rc;
}

int inbox_process(struct store *s, const struct hpo *h, struct case_index *ix, time_t now,
                  struct gs_err *err)
{
    int64_t processed, gen;
    double threshold;
    if (h == NULL)
        return GS_OK;
    int rc = store_inbox_state(s, &processed, &threshold, err);
    if (rc == GS_OK)
        rc = store_match_generation(s, &gen, err);
    if (rc != GS_OK || gen <= processed)
        return rc;

    struct id_list changed = {0};
    struct written *w = NULL;
    struct case_index *own = NULL;
    struct principal op;
    struct match_options opt = {.annotation_ic = true, .min_score = threshold};
    principal_operator(&op); /* every active case is a candidate; each side decided below */
    rc = store_match_changed_each(s, processed, gen, id_push, &changed, err);
    if (rc == GS_OK && (w = calloc(changed.n + 1, sizeof *w)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "inbox: out of memory");
    if (rc == GS_OK && ix == NULL && (rc = case_index_new(h, &own, err)) == GS_OK)
        ix = own;
    for (size_t i = 0; rc == GS_OK && i < changed.n; i++) {
        if ((rc = store_case_get(s, changed.ids[i], &w[i].c, err)) == GS_OK &&
            w[i].c.state == CASE_ACTIVE)
            rc = match_search_like(ix, s, h, &op, NULL, &w[i].c, INBOX_MATCHES_MAX, &opt, now,
                                   &w[i].r, err);
    }
    if (rc == GS_OK)
        rc = write_notifications(s, w, changed.n, processed, gen, now, err);
    for (size_t i = 0; w != NULL && i < changed.n; i++) {
        store_case_clear(&w[i].c);
        match_results_free(&w[i].r);
    }
    free(w);
    free(changed.ids);
    case_index_free(own);
    return rc;
}

int inbox_threshold(struct store *s, double *out, struct gs_err *err)
{
    int64_t processed;
    return store_inbox_state(s, &processed, out, err);
}

int inbox_set_threshold(struct store *s, const struct actor *by, double threshold, time_t now,
                        struct gs_err *err)
{
    if (!(threshold > 0 && threshold <= 10))
        return gs_err_set(err, GS_EINVAL, "the inbox threshold must be above 0 and at most 10 "
                          "(match scores; default %.1f)", INBOX_THRESHOLD_DEFAULT);
    char detail[64];
    snprintf(detail, sizeof detail, "threshold=%.3f", threshold);
    struct audit_event ev = {"inbox.threshold", "inbox", detail};
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    return audit_commit(s, store_inbox_set_threshold(s, threshold, err), by, &ev, now, err);
}

/* ---- reading ---- */

static int need_user(const struct principal *who, struct gs_err *err)
{
    if (who->user_id == 0)
        return gs_err_set(err, GS_EAUTH, "the inbox belongs to a signed-in user");
    return GS_OK;
}

/* Whether who may read the other case of it now; d gets its dataset. */
static int may_see_other(struct store *s, const struct principal *who,
                         const struct store_inbox_item *it, time_t now, struct store_dataset *d,
                         bool *out, struct gs_err *err)
{
    struct access_decision v;
    int rc = store_dataset_get(s, it->other_dataset_id, d, err);
    if (rc == GS_OK)
        rc = access_check_read(s, who, d, it->other_institution_id, it->other_scope, now, &v,
                               err);
    *out = rc == GS_OK && v.allowed;
    return rc;
}

struct listing {
    struct store *s;
    const struct principal *who;
    time_t now;
    int64_t offset, limit, total, unread;
    json_t *items;
    bool closed; /* a shown case is not open + international */
    char detail[STORE_AUDIT_TEXT_MAX];
    size_t at;
    struct gs_err *err;
};

static int list_item(void *ctx, const struct store_inbox_item *it)
{
    struct listing *l = ctx;
    struct store_dataset d;
    struct store_institution inst;
    bool visible;
    int rc = may_see_other(l->s, l->who, it, l->now, &d, &visible, l->err);
    if (rc != GS_OK || !visible)
        return rc;
    int64_t at = l->total++;
    l->unread += it->read_at == 0;
    if (at < l->offset || at >= l->offset + l->limit)
        return GS_OK;
    if ((rc = store_institution_get(l->s, it->other_institution_id, &inst, l->err)) != GS_OK)
        return rc;
    json_t *summary = json_loads(it->summary ? it->summary : "{}", 0, NULL);
    json_t *item = json_pack(
        "{s:I, s:b, s:I, s:f, s:{s:I, s:s}, s:{s:I, s:s, s:s, s:s, s:s}, s:o}", "id",
        (json_int_t)it->id, "read", it->read_at != 0, "created_at", (json_int_t)it->created_at,
        "score", it->score, "case", "id", (json_int_t)it->case_id, "label", it->case_label,
        "other_case", "id", (json_int_t)it->other_case_id, "label", it->other_label, "dataset",
        d.name, "institution", inst.name, "scope", scope_name(it->other_scope), "summary",
        summary ? summary : json_object());
    if (item == NULL || json_array_append_new(l->items, item) != 0)
        return gs_err_set(l->err, GS_ENOMEM, "inbox: out of memory");
    l->closed = l->closed || d.tier != TIER_OPEN || it->other_scope != SCOPE_INTERNATIONAL;
    if (l->at < sizeof l->detail)
        l->at += (size_t)snprintf(l->detail + l->at, sizeof l->detail - l->at, "%s%lld",
                                  json_array_size(l->items) > 1 ? "," : "",
                                  (long long)it->other_case_id);
    return GS_OK;
}

int inbox_list(struct store *s, const struct principal *who, const struct actor *by,
               int64_t offset, int64_t limit, time_t now, json_t **out, struct gs_err *err)
{
    *out = NULL;
    int rc = need_user(who, err);
    if (rc != GS_OK)
        return rc;
    if (offset < 0 || limit < 1 || limit > INBOX_PAGE_MAX)
        return gs_err_set(err, GS_EINVAL, "offset must be at least 0 and limit 1 to %d",
                          INBOX_PAGE_MAX);
    struct listing l = {.s = s, .who = who, .now = now, .offset = offset, .limit = limit,
                        .items = json_array(), .err = err};
    if (l.items == NULL)
        return gs_err_set(err, GS_ENOMEM, "inbox: out of memory");
    l.at = (size_t)snprintf(l.detail, sizeof l.detail, "cases=");
    rc = store_inbox_each(s, who->user_id, list_item, &l, err);
    if (rc == GS_OK && l.closed) {
        struct audit_event ev = {"inbox.read", "inbox", l.detail};
        rc = audit_record(s, by, &ev, now, err);
    }
    if (rc == GS_OK &&
        (*out = json_pack("{s:I, s:I, s:I, s:I, s:O}", "total", (json_int_t)l.total, "unread",
                          (json_int_t)l.unread, "offset", (json_int_t)offset, "limit",
                          (json_int_t)limit, "items", l.items)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "inbox: out of memory");
    json_decref(l.items);
    return rc;
}

int inbox_mark_read(struct store *s, const struct principal *who, int64_t id, time_t now,
                    struct gs_err *err)
{
    struct store_inbox_item it;
    struct store_dataset d;
    bool visible;
    int rc = need_user(who, err);
    if (rc == GS_OK && (rc = store_inbox_get(s, id, who->user_id, &it, err)) == GS_OK &&
        (rc = may_see_other(s, who, &it, now, &d, &visible, err)) == GS_OK && !visible)
        rc = gs_err_set(err, GS_ENOTFOUND, "no notification with id %lld", (long long)id);
    if (rc == GS_OK)
        rc = store_inbox_mark_read(s, id, who->user_id, now, err);
    return rc;
}
