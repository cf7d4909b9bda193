/* curate.c — accepting and returning variant submissions, the curation queue, batch reports
 * and single submissions (see curate.h). */
#include "variants/curate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "variants/visibility.h"

static int check_curator(const struct principal *curator, struct gs_err *err)
{
    if (curator->is_operator || (curator->user_id != 0 && (curator->roles & ROLE_CURATOR)))
        return GS_OK;
    if (curator->user_id == 0)
        return gs_err_set(err, GS_EAUTH, "sign in to curate submissions");
    return gs_err_set(err, GS_EFORBIDDEN, "curation needs the curator role");
}

static int check_decision(enum variant_state decision, const char *comment, struct gs_err *err)
{
    if (decision != VARIANT_ACCEPTED && decision != VARIANT_RETURNED)
        return gs_err_set(err, GS_EINVAL, "a decision is accept or return");
    if (decision == VARIANT_RETURNED && (comment == NULL || comment[0] == '\0'))
        return gs_err_set(err, GS_EINVAL, "returning a submission needs a comment saying why");
    if (comment && strlen(comment) >= VARIANT_TEXT_MAX)
        return gs_err_set(err, GS_EINVAL, "comment longer than %d characters",
                          VARIANT_TEXT_MAX - 1);
    return GS_OK;
}

/* Reads submission id if the curator may decide it (its dataset is readable). */
static int curatable(struct visibility *vis, int64_t id, struct store_variant_submission *sub,
                     struct gs_err *err)
{
    struct gs_err e = {0};
    int rc = store_variant_submission_get(vis->s, id, sub, &e);
    struct visibility_dataset *vd = NULL;
    if (rc == GS_OK)
        rc = visibility_dataset(vis, sub->dataset_id, &vd, &e);
    if (rc == GS_ENOTFOUND || (rc == GS_OK && !vd->readable && !vis->who->is_operator))
        return gs_err_set(err, GS_ENOTFOUND, "no submission with id %lld", (long long)id);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", e.msg);
    return GS_OK;
}

int variants_curate(struct store *s, const struct principal *curator, const struct actor *by,
                    int64_t submission_id, enum variant_state decision, const char *comment,
                    time_t now, struct gs_err *err)
{
    int rc = check_curator(curator, err);
    if (rc != GS_OK || (rc = check_decision(decision, comment, err)) != GS_OK)
        return rc;
    struct visibility vis;
    visibility_init(&vis, s, curator, now, true);
    struct store_variant_submission sub;
    if ((rc = store_begin(s, err)) != GS_OK) {
        visibility_free(&vis);
        return rc;
    }
    rc = curatable(&vis, submission_id, &sub, err);
    if (rc == GS_OK && sub.state != VARIANT_PENDING)
        rc = gs_err_set(err, GS_ECONFLICT, "submission %lld is %s, not pending",
                        (long long)submission_id, variant_state_name(sub.state));
    if (rc == GS_OK)
        rc = store_variant_submission_curate(s, submission_id, decision, comment ? comment : "",
                                             by->name, now, err);
    char object[64], detail[STORE_AUDIT_TEXT_MAX];
    snprintf(object, sizeof object, "submission:%lld", (long long)submission_id);
    snprintf(detail, sizeof detail, "%.900s", comment ? comment : "");
    struct audit_event ev = {decision == VARIANT_ACCEPTED ? "variant.accept" : "variant.return",
                             object, detail};
    rc = audit_commit(s, rc, by, &ev, now, err);
    visibility_free(&vis);
    return rc;
}

/* The dataset when the curator may read it (the operator reads all), else *out NULL. */
static int curator_dataset(struct visibility *vis, int64_t dataset_id,
                           struct visibility_dataset **out, struct gs_err *err)
{
    int rc = visibility_dataset(vis, dataset_id, out, err);
    if (rc == GS_OK && !(*out)->readable && !vis->who->is_operator)
        *out = NULL;
    return rc;
}

struct batch_walk {
    struct visibility *vis;
    enum variant_state decision;
    const char *comment;
    const char *actor;
    time_t now;
    int64_t count;
    int64_t *ids;
    int64_t nids, capids;
    struct gs_err *err;
};

static int collect_pending(void *ctx, const struct store_variant_submission *sub)
{
    struct batch_walk *w = ctx;
    struct visibility_dataset *vd;
    int rc = curator_dataset(w->vis, sub->dataset_id, &vd, w->err);
    if (rc != GS_OK || vd == NULL)
        return rc;
    if (w->nids == w->capids) {
        int64_t cap = w->capids ? w->capids * 2 : 64;
        int64_t *p = realloc(w->ids, (size_t)cap * sizeof *p);
        if (p == NULL)
            return gs_err_set(w->err, GS_ENOMEM, "out of memory");
        w->ids = p;
        w->capids = cap;
    }
    w->ids[w->nids++] = sub->id;
    return GS_OK;
}

int variants_curate_batch(struct store *s, const struct principal *curator,
                          const struct actor *by, int64_t batch_id, enum variant_state decision,
                          const char *comment, time_t now, int64_t *count, struct gs_err *err)
{
    *count = 0;
    int rc = check_curator(curator, err);
    if (rc != GS_OK || (rc = check_decision(decision, comment, err)) != GS_OK)
        return rc;
    struct visibility vis;
    visibility_init(&vis, s, curator, now, true);
    struct batch_walk w = {&vis, decision, comment, by->name, now, 0, NULL, 0, 0, err};
    if ((rc = store_begin(s, err)) != GS_OK) {
        visibility_free(&vis);
        return rc;
    }
    struct store_variant_batch b;
    struct gs_err e = {0};
    rc = store_variant_batch_get(s, batch_id, &b, &e);
    if (rc == GS_OK) {
        struct visibility_dataset *vd;
        int64_t dataset_id = b.dataset_id;
        store_variant_batch_clear(&b);
        rc = visibility_dataset(&vis, dataset_id, &vd, err);
        if (rc == GS_OK && !vd->readable && !curator->is_operator)
            rc = GS_ENOTFOUND;
    }
    if (rc == GS_ENOTFOUND)
        rc = gs_err_set(err, rc, "no submission batch with id %lld", (long long)batch_id);
    else if (rc != GS_OK && err->code == 0)
        gs_err_set(err, rc, "%s", e.msg);
    if (rc == GS_OK)
        rc = store_variant_submission_each_state(s, VARIANT_PENDING, 0, batch_id,
                                                 collect_pending, &w, err);
    for (int64_t i = 0; rc == GS_OK && i < w.nids; i++)
        rc = store_variant_submission_curate(s, w.ids[i], decision, comment ? comment : "",
                                             by->name, now, err);
    char object[64], detail[STORE_AUDIT_TEXT_MAX];
    snprintf(object, sizeof object, "batch:%lld", (long long)batch_id);
    snprintf(detail, sizeof detail, "%lld submissions: %.900s", (long long)w.nids,
             comment ? comment : "");
    struct audit_event ev = {decision == VARIANT_ACCEPTED ? "variant.accept" : "variant.return",
                             object, detail};
    rc = audit_commit(s, rc, by, &ev, now, err);
    if (rc == GS_OK)
        *count = w.nids;
    free(w.ids);
    visibility_free(&vis);
    return rc;
}

struct queue_walk {
    struct visibility *vis;
    variants_queue_fn fn;
    void *ctx;
    struct gs_err *err;
};

static int queue_visit(void *ctx, const struct store_variant_submission *sub)
{
    struct queue_walk *w = ctx;
    struct visibility_dataset *vd;
    int rc = curator_dataset(w->vis, sub->dataset_id, &vd, w->err);
    if (rc != GS_OK || vd == NULL)
        return rc;
    struct variant_submission_view view = {0};
    view.sub = *sub;
    snprintf(view.dataset, sizeof view.dataset, "%s", vd->d.name);
    struct store_institution inst;
    if ((rc = store_institution_get(w->vis->s, sub->institution_id, &inst, w->err)) != GS_OK)
        return rc;
    snprintf(view.institution, sizeof view.institution, "%s", inst.name);
    struct store_variant v;
    if ((rc = store_variant_get(w->vis->s, sub->variant_id, &v, w->err)) != GS_OK)
        return rc;
    rc = w->fn(w->ctx, &view, &v);
    store_variant_clear(&v);
    return rc;
}

int variants_queue_each(struct store *s, const struct principal *curator, int64_t dataset_id,
                        time_t now, variants_queue_fn fn, void *ctx, struct gs_err *err)
{
    int rc = check_curator(curator, err);
    if (rc != GS_OK)
        return rc;
    struct visibility vis;
    visibility_init(&vis, s, curator, now, true);
    struct queue_walk w = {&vis, fn, ctx, err};
    rc = store_variant_submission_each_state(s, VARIANT_PENDING, dataset_id, 0, queue_visit, &w,
                                             err);
    visibility_free(&vis);
    return rc;
}

int variants_batch_read(struct store *s, const struct principal *who, int64_t batch_id,
                        time_t now, struct store_variant_batch *out, struct gs_err *err)
{
    struct gs_err e = {0};
    int rc = store_variant_batch_get(s, batch_id, out, &e);
    bool allowed = false;
    if (rc == GS_OK) {
        allowed = who->is_operator ||
                  (who->user_id != 0 && who->institution_id == out->institution_id);
        if (!allowed && who->user_id != 0 && (who->roles & ROLE_CURATOR)) {
            struct visibility vis;
            struct visibility_dataset *vd;
            visibility_init(&vis, s, who, now, true);
            rc = visibility_dataset(&vis, out->dataset_id, &vd, &e);
            allowed = rc == GS_OK && vd->readable;
            visibility_free(&vis);
        }
    }
    if (rc == GS_OK && allowed)
        return GS_OK;
    store_variant_batch_clear(out);
    if (rc == GS_OK || rc == GS_ENOTFOUND)
        return gs_err_set(err, GS_ENOTFOUND, "no submission batch with id %lld",
                          (long long)batch_id);
    return gs_err_set(err, rc, "%s", e.msg);
}

int variants_submission_read(struct store *s, const struct principal *who, const struct actor *by,
                             int64_t id, time_t now, struct variant_submission_view *out,
                             store_variant_submission_fn history_fn, void *ctx,
                             struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    struct visibility vis;
    visibility_init(&vis, s, who, now, true);
    struct gs_err e = {0};
    bool seen = false;
    int rc = store_variant_submission_get(s, id, &out->sub, &e);
    if (rc == GS_OK)
        rc = visibility_submission(&vis, out->sub.dataset_id, out->sub.institution_id,
                                   out->sub.state, true, &seen, &e);
    if (rc == GS_ENOTFOUND || (rc == GS_OK && !seen)) {
        visibility_free(&vis);
        return gs_err_set(err, GS_ENOTFOUND, "no submission with id %lld", (long long)id);
    }
    struct visibility_dataset *vd;
    struct store_institution inst;
    if (rc == GS_OK && (rc = visibility_dataset(&vis, out->sub.dataset_id, &vd, &e)) == GS_OK)
        snprintf(out->dataset, sizeof out->dataset, "%s", vd->d.name);
    if (rc == GS_OK && (rc = store_institution_get(s, out->sub.institution_id, &inst, &e)) == GS_OK)
        snprintf(out->institution, sizeof out->institution, "%s", inst.name);
    if (rc != GS_OK)
        gs_err_set(err, rc, "%s", e.msg);
    if (rc == GS_OK && history_fn != NULL)
        rc = store_variant_submission_history_each(s, id, history_fn, ctx, err);
    if (rc == GS_OK)
        rc = visibility_audit(&vis, by, "submission", err);
    visibility_free(&vis);
    return rc;
}
