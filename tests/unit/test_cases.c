/* test_cases.c — the case store and service through a real temporary database: round trip of
 * every list, gene normalisation, HPO resolution (with the real release when present), the
 * access matrix across tiers, scopes and relationships, writer rules, versions, withdraw, and
 * all-or-nothing imports that leave nothing (rows, versions, audit) behind. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "match/cases.h"
#include "registry/registry.h"

#define MUST(expr)                                                                          \
    do {                                                                                    \
        if ((expr) != GS_OK) {                                                              \
            fprintf(stderr, "setup failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, #expr,  \
                    err.msg);                                                               \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

struct world {
    struct store *s;
    struct actor by;
    struct principal op;
};

static void build(struct world *w, const char *path)
{
    struct gs_err err = {0};
    MUST(store_open(path, &w->s, &err));
    w->by.name = "test";
    w->by.origin = "unit";
    principal_operator(&w->op);
    struct store *s = w->s;
    MUST(registry_institution_add(s, &w->by, "kyoto-u", "Kyoto", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "osaka-u", "Osaka", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "tokyo-u", "Tokyo", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "seoul-u", "Seoul", "KR", NULL, &err));
    const char *users[][3] = {{"amy", "kyoto-u", "s"}, {"bo", "osaka-u", "s"}, {"cy", "tokyo-u", "m"},
                              {"di", "seoul-u", "m"}, {"eve", "kyoto-u", "m"}, {"gus", "seoul-u", "m"}};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
        MUST(registry_user_add(s, &w->by, users[i][0], users[i][0], users[i][1],
                               users[i][2][0] == 's' ? ROLE_MEMBER | ROLE_SUBMITTER : ROLE_MEMBER,
                               NULL, NULL, &err));
    MUST(registry_consortium_add(s, &w->by, "rare", "Rare", NULL, &err));
    MUST(registry_consortium_join(s, &w->by, "rare", "kyoto-u", NULL, &err));
    MUST(registry_consortium_join(s, &w->by, "rare", "osaka-u", NULL, &err));
    MUST(registry_consortium_join(s, &w->by, "rare", NULL, "di", &err));
    MUST(registry_dataset_add(s, &w->by, "ds-r", "R", TIER_RESTRICTED, DATA_PHENOTYPE, "kyoto-u",
                              "rare", NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-c", "C", TIER_CONTROLLED, DATA_PHENOTYPE, "kyoto-u",
                              NULL, NULL, &err));
    MUST(registry_dataset_add(s, &w->by, "ds-o", "O", TIER_OPEN, DATA_PHENOTYPE, "kyoto-u", NULL,
                              NULL, &err));
    time_t now = time(NULL);
    MUST(registry_grant_add(s, &w->by, "ds-c", "cy", now + 86400, now, NULL, &err));
}

/* Parses own JSON text and prepares it (no HPO release unless h). */
static int make_case(struct world *w, const struct hpo *h, const char *text, struct store_case *c,
                     struct case_report *rep, struct gs_err *err)
{
    json_t *doc = json_loads(text, 0, NULL);
    int rc = case_from_json(doc, c, err);
    json_decref(doc);
    return rc == GS_OK ? cases_prepare(w->s, h, c, rep, err) : rc;
}

static int64_t add(struct world *w, const char *dataset, enum scope scope, const char *text)
{
    struct store_case c = {0};
    struct gs_err err = {0};
    struct case_target t = {dataset, scope, NULL};
    int64_t id = 0;
    MUST(make_case(w, NULL, text, &c, NULL, &err));
    MUST(cases_import(w->s, &w->op, &w->by, &t, &c, 1, time(NULL), &id, &err));
    store_case_clear(&c);
    return id;
}

static int count_case(void *ctx, const struct store_case *c)
{
    (void)c;
    (*(int64_t *)ctx)++;
    return 0;
}

static int count_audit(void *ctx, const struct store_audit_row *r)
{
    (void)r;
    (*(int64_t *)ctx)++;
    return 0;
}

static void test_round_trip(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    int64_t genes = 0;
    int rc = cases_genes_load(w->s, &w->by, "tests/fixtures/cases/genes.tsv", &genes, &err);
    CHECK(st, rc == GS_OK && genes == 3, "gene table loads 3 genes (%s)", err.msg);
    struct store_case c = {0};
    struct case_report rep = {0};
    rc = make_case(w, NULL,
                   "{\"label\":\"R1\",\"external_id\":\"EXT-1\",\"sex\":\"female\",\"onset\":\"P3Y\","
                   "\"contact\":{\"name\":\"Dr A\",\"email\":\"a@x.org\",\"href\":\"mailto:a@x.org\"},"
                   "\"features\":[{\"id\":\"HP:0001250\",\"onset\":\"HP:0003593\"},"
                   "{\"id\":\"HP:0000252\",\"excluded\":true},{\"id\":\"HP:0001250\"}],"
                   "\"genes\":[\"fbn1\",{\"id\":\"ENSG00000144285\"},{\"id\":\"2200\"}],"
                   "\"variants\":[{\"assembly\":\"GRCh38\",\"chrom\":\"chr15\",\"pos\":48425493,"
                   "\"ref\":\"T\",\"alt\":\"C\",\"zygosity\":\"GENO:0000135\",\"gene\":\"FBN1\"}],"
                   "\"diagnoses\":[{\"id\":\"MIM:154700\",\"label\":\"Marfan\"}]}",
                   &c, &rep, &err);
    CHECK(st, rc == GS_OK, "own JSON prepares (%s)", err.msg);
    CHECK(st, c.nfeatures == 2, "duplicate feature collapsed (%d)", c.nfeatures);
    CHECK(st, c.ngenes == 2 && strcmp(c.genes[0].gene_id, "HGNC:3603") == 0 &&
                  strcmp(c.genes[0].symbol, "fbn1") == 0 &&
                  strcmp(c.genes[1].gene_id, "HGNC:10585") == 0,
          "symbols (any case), Ensembl and Entrez ids → one canonical HGNC id; symbol as given");
    CHECK(st, c.nvariants == 1 && strcmp(c.variants[0].gene_id, "HGNC:3603") == 0,
          "variant gene normalised");
    bool noted = false;
    for (int i = 0; i < rep.nnotes && i < CASE_NOTES_MAX; i++)
        noted = noted || strstr(rep.notes[i], "no HPO release") != NULL;
    CHECK(st, noted, "report says HPO ids were not checked without a release");
    struct case_target t = {"ds-r", SCOPE_DOMESTIC, "osaka-u"};
    int64_t id = 0;
    rc = cases_import(w->s, &w->op, &w->by, &t, &c, 1, 1000, &id, &err);
    CHECK(st, rc == GS_OK && id > 0, "case stored (%s)", err.msg);
    struct store_case got = {0};
    rc = store_case_get(w->s, id, &got, &err);
    CHECK(st, rc == GS_OK && got.nfeatures == 2 && got.features[0].hpo == 1250 &&
                  strcmp(got.features[0].onset, "HP:0003593") == 0 && got.features[1].excluded,
          "features round trip");
    CHECK(st, got.nvariants == 1 && got.variants[0].pos == 48425493 &&
                  strcmp(got.variants[0].chrom, "15") == 0 &&
                  strcmp(got.variants[0].zygosity, "heterozygous") == 0,
          "variant round trip");
    CHECK(st, got.ndiagnoses == 1 && strcmp(got.diagnoses[0].id, "OMIM:154700") == 0,
          "diagnosis round trip (MIM: → OMIM:)");
    CHECK(st, got.scope == SCOPE_DOMESTIC && got.sex == CASE_SEX_FEMALE && got.version == 1 &&
                  strcmp(got.contact_email, "a@x.org") == 0 && strcmp(got.onset, "P3Y") == 0,
          "case row round trip");
    struct principal amy;
    MUST(principal_for_name(w->s, "amy", &amy, &err));
    CHECK(st, got.institution_id != amy.institution_id, "operator named the institution");
    store_case_clear(&got);
    /* the same external id twice in one dataset */
    struct store_case again = {0};
    MUST(make_case(w, NULL, "{\"label\":\"R1b\",\"external_id\":\"EXT-1\",\"genes\":[\"FBN1\"]}",
                   &again, NULL, &err));
    gs_err_clear(&err);
    rc = cases_import(w->s, &w->op, &w->by, &t, &again, 1, 1000, NULL, &err);
    CHECK(st, rc == GS_ECONFLICT, "same external id in a dataset is a conflict (%s)", err.msg);
    store_case_clear(&again);
    store_case_clear(&c);

    /* unknown gene names its field */
    struct store_case bad = {0};
    gs_err_clear(&err);
    rc = make_case(w, NULL, "{\"label\":\"x\",\"genes\":[\"FBN1\",\"NOTAGENE1\"]}", &bad, NULL, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "genes[1]") && strstr(err.msg, "NOTAGENE1"),
          "unknown gene refused naming genes[1] (%s)", err.msg);
    store_case_clear(&bad);
    gs_err_clear(&err);
    rc = make_case(w, NULL, "{\"label\":\"x\",\"features\":[{\"id\":\"HP:0001250\"},"
                   "{\"id\":\"HP:0001250\",\"excluded\":true}]}", &bad, NULL, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "both observed and excluded"),
          "a term both observed and excluded is refused (%s)", err.msg);
    store_case_clear(&bad);
    gs_err_clear(&err);
    rc = make_case(w, NULL, "{\"label\":\"x\"}", &bad, NULL, &err);
    CHECK(st, rc == GS_EINVAL, "a case with nothing to match on is refused");
    store_case_clear(&bad);
}

static void test_hpo(struct check_state *st, struct world *w)
{
    const char *dir = getenv("GENOSHARE_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/hpo/hp.v2025-05-06.json.gz", dir ? dir : "../shared/data");
    struct hpo *h = NULL;
    struct gs_err err = {0};
    if (access(path, R_OK) != 0 || hpo_load_ontology(path, &h, &err) != GS_OK) {
        printf("SKIP cases: HPO resolution: no release at %s\n", path);
        return;
    }
    struct store_case c = {0};
    struct case_report rep = {0};
    int rc = make_case(w, h, "{\"label\":\"h\",\"features\":[{\"id\":\"HP:0001250\"},"
                       "{\"id\":\"HP:9999999\"}]}", &c, &rep, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "features[1].id") && strstr(err.msg, "HP:9999999"),
          "unknown HPO id refused naming features[1].id (%s)", err.msg);
    store_case_clear(&c);
    /* an obsolete term with a replacement, found in the release itself */
    int obsolete_with_replacement = -1;
    for (int t = 0; t < hpo_term_count(h) && obsolete_with_replacement < 0; t++)
        if (hpo_term_obsolete(h, t) && hpo_term_replaced_by(h, t) >= 0)
            obsolete_with_replacement = t;
    if (obsolete_with_replacement >= 0) {
        char text[200];
        snprintf(text, sizeof text, "{\"label\":\"h\",\"features\":[{\"id\":\"%s\"}]}",
                 hpo_term_id(h, obsolete_with_replacement));
        struct case_report r2 = {0};
        gs_err_clear(&err);
        rc = make_case(w, h, text, &c, &r2, &err);
        int repl = hpo_term_replaced_by(h, obsolete_with_replacement);
        CHECK(st, rc == GS_OK && c.nfeatures == 1 && c.features[0].hpo == hpo_term_number(h, repl) &&
                      r2.nnotes >= 1 && strstr(r2.notes[0], "obsolete"),
              "obsolete %s resolved to its replacement and reported (%s)",
              hpo_term_id(h, obsolete_with_replacement), err.msg);
        store_case_clear(&c);
    }
    gs_err_clear(&err);
    rc = make_case(w, h, "{\"label\":\"h\",\"features\":[{\"id\":\"HP:0001250\"}]}", &c, &rep, &err);
    CHECK(st, rc == GS_OK && strcmp(c.features[0].label, "Seizure") == 0,
          "label taken from the release");
    store_case_clear(&c);
    hpo_free(h);
}

static void test_access(struct check_state *st, struct world *w)
{
    /* cases of kyoto-u (JP) in every tier × scope, read by: amy (kyoto-u), bo (osaka-u JP,
     * consortium), cy (tokyo-u JP, grant on ds-c), di (seoul-u KR, consortium member),
     * gus (seoul-u KR, stranger), anonymous. 1 = may read. */
    const char *ds[] = {"ds-r", "ds-c", "ds-o"};
    const char *readers[] = {"amy", "bo", "cy", "di", "gus", NULL};
    static const int expect[6][3][3] = {
        /* amy */ {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}},
        /* bo  */ {{0, 1, 1}, {0, 0, 0}, {0, 1, 1}},
        /* cy  */ {{0, 0, 0}, {0, 1, 1}, {0, 1, 1}},
        /* di  */ {{0, 0, 1}, {0, 0, 0}, {0, 0, 1}},
        /* gus */ {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}},
        /* anonymous */ {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}},
    };
    int64_t ids[3][3];
    for (int t = 0; t < 3; t++)
        for (int sc = 0; sc < 3; sc++)
            ids[t][sc] = add(w, ds[t], (enum scope)sc, "{\"label\":\"m\",\"genes\":[\"FBN1\"]}");
    for (int r = 0; r < 6; r++) {
        struct principal p;
        struct gs_err err = {0};
        if (readers[r] == NULL)
            principal_anonymous(&p);
        else
            MUST(principal_for_name(w->s, readers[r], &p, &err));
        for (int t = 0; t < 3; t++)
            for (int sc = 0; sc < 3; sc++) {
                struct store_case c = {0};
                struct store_dataset d;
                gs_err_clear(&err);
                int rc = cases_read(w->s, &p, &w->by, ids[t][sc], time(NULL), &c, &d, &err);
                char want[64];
                snprintf(want, sizeof want, "no case with id %lld", (long long)ids[t][sc]);
                bool ok = expect[r][t][sc] ? rc == GS_OK
                                           : rc == GS_ENOTFOUND && strcmp(err.msg, want) == 0;
                CHECK(st, ok, "access: %s reads %s/%s -> %s", readers[r] ? readers[r] : "anonymous",
                      ds[t], scope_name((enum scope)sc), expect[r][t][sc] ? "allowed" : "404");
                store_case_clear(&c);
            }
    }
    struct principal gus;
    struct gs_err err = {0};
    MUST(principal_for_name(w->s, "gus", &gus, &err));
    int64_t total = -1, shown = 0;
    int rc = cases_list(w->s, &gus, &w->by, "ds-o", false, 0, 0, time(NULL), count_case, &shown,
                        &total, &err);
    CHECK(st, rc == GS_OK && total == 1 && shown == 1, "list shows only what the caller may see");
    struct principal amy;
    MUST(principal_for_name(w->s, "amy", &amy, &err));
    shown = 0;
    rc = cases_list(w->s, &amy, &w->by, "ds-r", false, 1, 1, time(NULL), count_case, &shown, &total,
                    &err);
    CHECK(st, rc == GS_OK && shown == 1 && total >= 3, "list pagination: offset 1 limit 1");
}

static void test_writes(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    struct principal amy, bo, eve, anon;
    MUST(principal_for_name(w->s, "amy", &amy, &err));
    MUST(principal_for_name(w->s, "bo", &bo, &err));
    MUST(principal_for_name(w->s, "eve", &eve, &err));
    principal_anonymous(&anon);
    struct case_target t = {"ds-r", SCOPE_DOMESTIC, NULL};
    struct store_case c = {0};
    MUST(make_case(w, NULL, "{\"label\":\"W\",\"genes\":[\"FBN1\"]}", &c, NULL, &err));
    int64_t id = 0;
    int rc = cases_import(w->s, &eve, &w->by, &t, &c, 1, time(NULL), &id, &err);
    CHECK(st, rc == GS_EFORBIDDEN, "a member without the submitter role cannot add");
    gs_err_clear(&err);
    rc = cases_import(w->s, &anon, &w->by, &t, &c, 1, time(NULL), &id, &err);
    CHECK(st, rc == GS_EAUTH, "anonymous cannot add");
    gs_err_clear(&err);
    rc = cases_import(w->s, &amy, &w->by, &t, &c, 1, time(NULL), &id, &err);
    CHECK(st, rc == GS_OK && c.institution_id == amy.institution_id,
          "submitter at the dataset's institution adds; case belongs to her institution");
    store_case_clear(&c);
    /* update: bo (consortium submitter at another institution) sees domestic but may not edit */
    json_t *patch = json_loads("{\"label\":\"W2\",\"features\":[{\"id\":\"HP:0001250\"}]}", 0, NULL);
    gs_err_clear(&err);
    rc = cases_update(w->s, NULL, &bo, &w->by, id, patch, time(NULL), NULL, &err);
    CHECK(st, rc == GS_EFORBIDDEN, "another institution's submitter cannot update (%s)", err.msg);
    gs_err_clear(&err);
    rc = cases_update(w->s, NULL, &amy, &w->by, id, patch, time(NULL), NULL, &err);
    CHECK(st, rc == GS_OK, "owner updates (%s)", err.msg);
    gs_err_clear(&err);
    rc = cases_update(w->s, NULL, &amy, &w->by, id, patch, time(NULL), NULL, &err);
    CHECK(st, rc == GS_EINVAL && strstr(err.msg, "nothing to change"), "an empty change is refused");
    json_decref(patch);
    struct store_case got = {0};
    MUST(store_case_get(w->s, id, &got, &err));
    CHECK(st, got.version == 2 && strcmp(got.label, "W2") == 0 && got.nfeatures == 1 &&
                  got.ngenes == 1,
          "update: version 2, label and features changed, genes kept");
    store_case_clear(&got);
    gs_err_clear(&err);
    rc = cases_withdraw(w->s, &amy, &w->by, id, time(NULL), &err);
    CHECK(st, rc == GS_OK, "owner withdraws");
    gs_err_clear(&err);
    rc = cases_withdraw(w->s, &amy, &w->by, id, time(NULL), &err);
    CHECK(st, rc == GS_ECONFLICT, "withdrawing twice is a conflict");
    MUST(store_case_get(w->s, id, &got, &err));
    CHECK(st, got.state == CASE_WITHDRAWN && got.version == 3, "withdrawn is version 3");
    store_case_clear(&got);
}

static int version_collect(void *ctx, const struct store_case_version *v)
{
    char *out = ctx;
    snprintf(out + strlen(out), 256 - strlen(out), "%d:%s;", v->version, v->changes);
    return 0;
}

static void test_versions_and_tx(struct check_state *st, struct world *w)
{
    struct gs_err err = {0};
    struct principal amy;
    MUST(principal_for_name(w->s, "amy", &amy, &err));
    int64_t id = add(w, "ds-o", SCOPE_INTERNATIONAL, "{\"label\":\"V\",\"genes\":[\"FBN1\"]}");
    json_t *patch = json_loads("{\"sex\":\"male\",\"scope\":\"private\"}", 0, NULL);
    MUST(cases_update(w->s, NULL, &w->op, &w->by, id, patch, time(NULL), NULL, &err));
    json_decref(patch);
    MUST(cases_withdraw(w->s, &w->op, &w->by, id, time(NULL), &err));
    char seen[256] = "";
    int rc = store_case_version_each(w->s, id, version_collect, seen, &err);
    CHECK(st, rc == GS_OK && strcmp(seen, "1:created;2:scope,sex;3:withdrawn;") == 0,
          "version history keeps every version with its changes (%s)", seen);
    patch = json_loads("{\"label\":\"V2\"}", 0, NULL);
    gs_err_clear(&err);
    rc = cases_update(w->s, NULL, &w->op, &w->by, id, patch, time(NULL), NULL, &err);
    CHECK(st, rc == GS_ECONFLICT, "a withdrawn case cannot be updated");
    json_decref(patch);
    int64_t listed = 0;
    MUST(cases_list(w->s, &w->op, &w->by, "ds-o", false, 0, 0, time(NULL), count_case, &listed,
                    NULL, &err));
    int64_t all = 0;
    MUST(cases_list(w->s, &w->op, &w->by, "ds-o", true, 0, 0, time(NULL), count_case, &all, NULL,
                    &err));
    CHECK(st, all == listed + 1, "withdrawn cases are listed only when asked");

    /* all or nothing: the second case collides on external id → nothing of the first stays */
    int64_t cases_before = 0, audit_before = 0, cases_after = 0, audit_after = 0;
    MUST(store_case_each(w->s, 0, true, count_case, &cases_before, &err));
    MUST(store_audit_each(w->s, 0, count_audit, &audit_before, &err));
    struct store_case two[2] = {{0}, {0}};
    MUST(make_case(w, NULL, "{\"label\":\"A\",\"external_id\":\"DUP\",\"genes\":[\"FBN1\"]}", &two[0],
                   NULL, &err));
    MUST(make_case(w, NULL, "{\"label\":\"B\",\"external_id\":\"DUP\",\"genes\":[\"FBN1\"]}", &two[1],
                   NULL, &err));
    struct case_target t = {"ds-o", SCOPE_INTERNATIONAL, NULL};
    gs_err_clear(&err);
    rc = cases_import(w->s, &w->op, &w->by, &t, two, 2, time(NULL), NULL, &err);
    MUST(store_case_each(w->s, 0, true, count_case, &cases_after, &err));
    MUST(store_audit_each(w->s, 0, count_audit, &audit_after, &err));
    CHECK(st, rc == GS_ECONFLICT && cases_after == cases_before && audit_after == audit_before,
          "a failed import leaves no case and no audit row (%lld→%lld cases, %lld→%lld audit)",
          (long long)cases_before, (long long)cases_after, (long long)audit_before,
          (long long)audit_after);
    store_case_clear(&two[0]);
    store_case_clear(&two[1]);
    gs_err_clear(&err);
    struct store_case one = {0};
    MUST(make_case(w, NULL, "{\"label\":\"C\",\"genes\":[\"FBN1\"]}", &one, NULL, &err));
    struct case_target none = {"no-such-dataset", SCOPE_PRIVATE, NULL};
    rc = cases_import(w->s, &w->op, &w->by, &none, &one, 1, time(NULL), NULL, &err);
    CHECK(st, rc == GS_ENOTFOUND, "unknown dataset is not found");
    store_case_clear(&one);
}

int main(void)
{
    struct check_state st = {0};
    char path[] = "/tmp/gs-cases-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    struct world w;
    build(&w, path);
    test_round_trip(&st, &w);
    test_hpo(&st, &w);
    test_access(&st, &w);
    test_writes(&st, &w);
    test_versions_and_tx(&st, &w);
    store_close(w.s);
    char side[sizeof path + 8];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return check_finish(&st);
}
