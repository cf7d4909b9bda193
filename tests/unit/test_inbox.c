/* test_inbox.c — match notification rules through a real temporary database with the mini
 * HPO: the threshold (the notification score is the annotation-IC search score; one just
 * above it makes none), both owners told, each side only about a case its owner may read
 * (a private case of another institution is never named), operator-registered cases have
 * no owner to tell, withdrawal and update replace the pair's notifications, the change
 * counter (nothing lost when processing is delayed, nothing doubled when run twice), and
 * the reader's side: unread first, mark read, someone else's notification is 404. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "fixture.h"
#include "match/inbox.h"
#include "match/search.h"
#include "pheno/hpo_store.h"
#include "registry/registry.h"


struct world {
    char path[64];
    struct store *s;
    struct hpo *h;
    struct actor by;
    struct principal op, amy, bo, di;
};

static const char strong[] =
    "\"features\":[{\"id\":\"HP:0002121\"},{\"id\":\"HP:0000252\"},{\"id\":\"HP:0002119\"}]";

/* Registers a case as who (NULL: the operator) into dataset with scope; returns its id. */
static int64_t add(struct world *w, const struct principal *who, const char *dataset,
                   enum scope scope, const char *label, const char *features)
{
    struct store_case c = {0};
    struct gs_err err = {0};
    struct case_target t = {dataset, scope, NULL};
    int64_t id = 0;
    char text[512];
    snprintf(text, sizeof text, "{\"label\":\"%s\",%s}", label, features);
    json_t *doc = json_loads(text, 0, NULL);
    MUST(case_from_json(doc, &c, &err));
    MUST(cases_prepare(w->s, w->h, &c, NULL, &err));
    MUST(cases_import(w->s, who ? who : &w->op, &w->by, &t, &c, 1, 1000, &id, &err));
    json_decref(doc);
    store_case_clear(&c);
    return id;
}

static void build(struct world *w)
{
    struct gs_err err = {0};
    fixture_store_open(w->path, "inbox", &w->s);
    w->by.name = "test";
    w->by.origin = "unit";
    principal_operator(&w->op);
    struct store *s = w->s;
    MUST(registry_institution_add(s, &w->by, "kyoto-u", "Kyoto", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "osaka-u", "Osaka", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "seoul-u", "Seoul", "KR", NULL, &err));
    unsigned roles = ROLE_MEMBER | ROLE_SUBMITTER;
    MUST(registry_user_add(s, &w->by, "amy", "amy", "kyoto-u", roles, NULL, NULL, &err));
    MUST(registry_user_add(s, &w->by, "bo", "bo", "osaka-u", roles, NULL, NULL, &err));
    MUST(registry_user_add(s, &w->by, "di", "di", "seoul-u", roles, NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-k", "K", TIER_OPEN, DATA_PHENOTYPE, "kyoto-u", NULL,
                              NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-o", "O", TIER_OPEN, DATA_PHENOTYPE, "osaka-u", NULL,
                              NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-s", "S", TIER_OPEN, DATA_PHENOTYPE, "seoul-u", NULL,
                              NULL, &err));
    fixture_mini_hpo(s, &w->by, &w->h);
    MUST(principal_for_name(s, "amy", &w->amy, &err));
    MUST(principal_for_name(s, "bo", &w->bo, &err));
    MUST(principal_for_name(s, "di", &w->di, &err));
}

static void destroy(struct world *w)
{
    fixture_store_remove(w->s, w->path);
    hpo_free(w->h);
}

/* The caller's inbox (all of it); NULL on failure. */
static json_t *inbox_of(struct world *w, const struct principal *who)
{
    json_t *doc = NULL;
    struct gs_err err = {0};
    if (inbox_list(w->s, who, &w->by, 0, INBOX_PAGE_MAX, 1000, &doc, &err) != GS_OK)
        return NULL;
    return doc;
}

static int64_t total(struct world *w, const struct principal *who)
{
    json_t *doc = inbox_of(w, who);
    int64_t n = doc ? json_integer_value(json_object_get(doc, "total")) : -1;
    json_decref(doc);
    return n;
}

/* The notification of who about (case, other), or NULL (caller decrefs the inbox). */
static json_t *find(json_t *doc, int64_t own, int64_t other)
{
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(doc, "items"), i, it) {
        if (json_integer_value(json_object_get(json_object_get(it, "case"), "id")) == own &&
            json_integer_value(json_object_get(json_object_get(it, "other_case"), "id")) == other)
            return it;
    }
    return NULL;
}

static int process(struct world *w)
{
    struct gs_err err = {0};
    return inbox_process(w->s, w->h, NULL, 1000, &err);
}

/* The annotation-IC score of case a as the query against case b (as the operator). */
static double pair_score(struct world *w, int64_t a, int64_t b)
{
    struct match_results r = {0};
    struct match_options opt = {.annotation_ic = true};
    struct gs_err err = {0};
    double score = -1;
    if (match_search_case_indexed(NULL, w->s, w->h, &w->op, NULL, a, MATCH_TOP_MAX, &opt, 1000,
                                  &r, &err) == GS_OK)
        for (size_t i = 0; i < r.n; i++)
            if (r.items[i].case_id == b)
                score = r.items[i].score;
    match_results_free(&r);
    return score;
}

static void test_both_owners_and_threshold(struct check_state *st)
{
    struct world w;
    struct gs_err err = {0};
    memset(&w, 0, sizeof w);
    build(&w);
    int64_t a = add(&w, &w.amy, "ds-k", SCOPE_INTERNATIONAL, "A", strong);
    CHECK(st, process(&w) == GS_OK && total(&w, &w.amy) == 0,
          "inbox: a first case has nothing to match: no notification");
    int64_t b = add(&w, &w.bo, "ds-o", SCOPE_INTERNATIONAL, "B", strong);
    double score = pair_score(&w, b, a);
    CHECK(st, score > 0, "inbox: the pair scores (%.3f)", score);
    MUST(inbox_set_threshold(w.s, &w.by, score, 1000, &err));
    CHECK(st, process(&w) == GS_OK, "inbox: processing the new case succeeds");
    json_t *amy = inbox_of(&w, &w.amy), *bo = inbox_of(&w, &w.bo);
    json_t *to_amy = find(amy, a, b), *to_bo = find(bo, b, a);
    CHECK(st, to_amy != NULL, "inbox: the existing case's owner is told (A about B)");
    CHECK(st, to_bo != NULL, "inbox: the new case's owner is told (B about A)");
    CHECK(st, to_amy && fabs(json_real_value(json_object_get(to_amy, "score")) - score) < 1e-9,
          "inbox: the notification carries the search score at the threshold");
    json_t *terms = json_object_get(json_object_get(to_amy, "summary"), "matched_terms");
    json_t *first = json_array_get(terms, 0);
    CHECK(st, json_array_size(terms) > 0 && json_object_get(first, "mica") &&
                  json_object_get(first, "own") && json_object_get(first, "other"),
          "inbox: the summary explains the match (own term, other term, MICA)");
    CHECK(st, to_amy && !json_is_true(json_object_get(to_amy, "read")) &&
                  json_integer_value(json_object_get(amy, "unread")) == 1,
          "inbox: a new notification is unread");
    CHECK(st, total(&w, &w.di) == 0, "inbox: a third user is told nothing");
    json_decref(amy);
    json_decref(bo);

    /* Run again: nothing new, nothing doubled. */
    CHECK(st, process(&w) == GS_OK && total(&w, &w.amy) == 1 && total(&w, &w.bo) == 1,
          "inbox: processing again makes no duplicates");

    /* Just above the pair's score: a new identical case notifies nobody. */
    MUST(inbox_set_threshold(w.s, &w.by, score + 1e-6, 1000, &err));
    add(&w, &w.di, "ds-s", SCOPE_INTERNATIONAL, "D", strong);
    CHECK(st, process(&w) == GS_OK && total(&w, &w.di) == 0 && total(&w, &w.amy) == 1,
          "inbox: a match below the threshold notifies nobody");
    CHECK(st, inbox_set_threshold(w.s, &w.by, 0, 1000, &err) == GS_EINVAL &&
                  inbox_set_threshold(w.s, &w.by, 11, 1000, &err) == GS_EINVAL,
          "inbox: a threshold of 0 or above 10 is refused");
    double t = 0;
    CHECK(st, inbox_threshold(w.s, &t, &err) == GS_OK && fabs(t - (score + 1e-6)) < 1e-12,
          "inbox: the threshold is stored");
    destroy(&w);
}

static void test_visibility_and_owners(struct check_state *st)
{
    struct world w;
    struct gs_err err = {0};
    memset(&w, 0, sizeof w);
    build(&w);
    MUST(inbox_set_threshold(w.s, &w.by, 0.01, 1000, &err));
    int64_t a = add(&w, &w.amy, "ds-k", SCOPE_INTERNATIONAL, "A", strong);
    /* C: private to osaka — amy may not read it; bo may read A (international). */
    int64_t c = add(&w, &w.bo, "ds-o", SCOPE_PRIVATE, "C", strong);
    MUST(process(&w));
    json_t *amy = inbox_of(&w, &w.amy), *bo = inbox_of(&w, &w.bo);
    CHECK(st, find(amy, a, c) == NULL && json_integer_value(json_object_get(amy, "total")) == 0,
          "inbox: the owner of A is not told about a private case of another institution");
    CHECK(st, find(bo, c, a) != NULL, "inbox: the owner of the private case is told about A");
    json_decref(amy);
    json_decref(bo);
    /* D: domestic in Korea — amy (Japan) may not read it, di may read A. */
    int64_t d = add(&w, &w.di, "ds-s", SCOPE_DOMESTIC, "D", strong);
    MUST(process(&w));
    amy = inbox_of(&w, &w.amy);
    json_t *di = inbox_of(&w, &w.di);
    CHECK(st, find(amy, a, d) == NULL, "inbox: a domestic case of another country is not named");
    CHECK(st, find(di, d, a) != NULL, "inbox: its owner is told about the international case");
    CHECK(st, find(di, d, c) == NULL, "inbox: ... and not about the private one");
    json_decref(amy);
    json_decref(di);
    /* E: registered by the operator — nobody owns it; amy is told about it. */
    int64_t e = add(&w, NULL, "ds-k", SCOPE_INTERNATIONAL, "E", strong);
    MUST(process(&w));
    amy = inbox_of(&w, &w.amy);
    CHECK(st, find(amy, a, e) != NULL, "inbox: an operator-registered case notifies the other owner");
    json_decref(amy);
    json_t *op_inbox = NULL;
    CHECK(st, inbox_list(w.s, &w.op, &w.by, 0, 10, 1000, &op_inbox, &err) == GS_EAUTH,
          "inbox: the operator has no inbox (GS_EAUTH)");

    /* Withdrawing C removes the notifications naming it. */
    int64_t before = total(&w, &w.bo);
    MUST(cases_withdraw(w.s, &w.bo, &w.by, c, 1000, &err));
    MUST(process(&w));
    bo = inbox_of(&w, &w.bo);
    CHECK(st, find(bo, c, a) == NULL && total(&w, &w.bo) < before,
          "inbox: a withdrawn case's notifications are gone");
    json_decref(bo);

    /* Scope widened by an update: amy may now read it, and is told (news again). */
    json_t *patch = json_pack("{s:s}", "scope", "international");
    MUST(cases_update(w.s, w.h, &w.di, &w.by, d, patch, 1000, NULL, &err));
    json_decref(patch);
    MUST(process(&w));
    amy = inbox_of(&w, &w.amy);
    CHECK(st, find(amy, a, d) != NULL, "inbox: an update that makes a case visible notifies");
    json_decref(amy);
    destroy(&w);
}

static void test_counter_and_reading(struct check_state *st)
{
    struct world w;
    struct gs_err err = {0};
    memset(&w, 0, sizeof w);
    build(&w);
    MUST(inbox_set_threshold(w.s, &w.by, 0.01, 1000, &err));
    int64_t a = add(&w, &w.amy, "ds-k", SCOPE_INTERNATIONAL, "A", strong);
    /* Two writes without processing (a crash after the write): both made by the next run. */
    int64_t b = add(&w, &w.bo, "ds-o", SCOPE_INTERNATIONAL, "B", strong);
    int64_t c = add(&w, &w.bo, "ds-o", SCOPE_INTERNATIONAL, "C",
                    "\"features\":[{\"id\":\"HP:0002121\"},{\"id\":\"HP:0000252\"}]");
    MUST(process(&w));
    json_t *amy = inbox_of(&w, &w.amy);
    CHECK(st, find(amy, a, b) && find(amy, a, c),
          "inbox: writes whose processing was delayed are all notified later");
    json_t *first = json_array_get(json_object_get(amy, "items"), 0);
    int64_t id = json_integer_value(json_object_get(first, "id"));
    json_decref(amy);

    CHECK(st, inbox_mark_read(w.s, &w.bo, id, 1000, &err) == GS_ENOTFOUND,
          "inbox: someone else's notification is not found");
    CHECK(st, inbox_mark_read(w.s, &w.amy, 999999, 1000, &err) == GS_ENOTFOUND,
          "inbox: a missing notification is not found");
    CHECK(st, inbox_mark_read(w.s, &w.amy, id, 1000, &err) == GS_OK &&
                  inbox_mark_read(w.s, &w.amy, id, 1001, &err) == GS_OK,
          "inbox: marking read (twice) succeeds");
    amy = inbox_of(&w, &w.amy);
    json_t *items = json_object_get(amy, "items");
    json_t *last = json_array_get(items, json_array_size(items) - 1);
    CHECK(st, json_integer_value(json_object_get(amy, "unread")) ==
                      (json_int_t)json_array_size(items) - 1 &&
                  json_integer_value(json_object_get(last, "id")) == id &&
                  json_is_true(json_object_get(last, "read")),
          "inbox: read ones come after the unread");
    json_decref(amy);
    json_t *page = NULL;
    CHECK(st, inbox_list(w.s, &w.amy, &w.by, 1, 1, 1000, &page, &err) == GS_OK &&
                  json_array_size(json_object_get(page, "items")) == 1 &&
                  json_integer_value(json_object_get(page, "total")) == 2,
          "inbox: pages (offset 1, limit 1) keep the total");
    json_decref(page);
    CHECK(st, inbox_list(w.s, &w.amy, &w.by, 0, 0, 1000, &page, &err) == GS_EINVAL,
          "inbox: limit 0 is refused");
    destroy(&w);
}

int main(void)
{
    struct check_state st = {0};
    test_both_owners_and_threshold(&st);
    test_visibility_and_owners(&st);
    test_counter_and_reading(&st);
    return check_finish(&st);
}
