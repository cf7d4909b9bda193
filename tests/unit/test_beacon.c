/* test_beacon.c — the Beacon's pieces that need no variants: the request parser (GET
 * parameters and POST bodies read alike; every query form; the refusals), and the security
 * matrix of beacon_dataset_level over a real store (anonymous, signed-in stranger, grant
 * holder, consortium member, own institution, administrator × open, controlled, restricted). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beacon/beacon.h"
#include "check.h"
#include "registry/registry.h"

/* ---- parsing ---- */

struct params {
    const char *const *kv; /* name, value, name, value, …, NULL */
};

static const char *get_param(void *ctx, const char *name)
{
    const struct params *p = ctx;
    for (int i = 0; p->kv[i] != NULL; i += 2)
        if (strcmp(p->kv[i], name) == 0)
            return p->kv[i + 1];
    return NULL;
}

/* Parses GET parameters kv into q; returns the code (body freed). */
static int parse_get(const char *const *kv, struct beacon_query *q, struct gs_err *err)
{
    struct params p = {kv};
    json_t *body = NULL;
    int rc = beacon_body_from_query(get_param, &p, &body, err);
    if (rc == GS_OK)
        rc = beacon_query_parse(body, q, err);
    q->body = NULL;
    json_decref(body);
    return rc;
}

static void test_parse(struct check_state *st)
{
    struct beacon_query q;
    struct gs_err err = {0};
    const char *seq[] = {"referenceName", "chr17", "start", "43045710", "referenceBases", "t",
                         "alternateBases", "C", "requestedGranularity", "record", NULL};
    CHECK(st, parse_get(seq, &q, &err) == GS_OK, "parse: sequence query (%s)", err.msg);
    CHECK(st, strcmp(q.chrom, "17") == 0 && q.nstart == 1 && q.start[0] == 43045710 &&
                  q.nend == 0 && strcmp(q.ref, "T") == 0 && strcmp(q.alt, "C") == 0,
          "parse: chr prefix dropped, alleles upper-cased, start kept 0-based");
    CHECK(st, q.requested == BEACON_RECORD && q.limit == BEACON_LIMIT_DEFAULT && q.skip == 0 &&
                  q.include == BEACON_INCLUDE_HIT && strcmp(q.assembly, "GRCh38") == 0,
          "parse: defaults (limit 10, HIT, GRCh38) and requested granularity");

    const char *bracket[] = {"referenceName", "NC_000023.11", "start", "100,200", "end",
                             "300,400", "limit", "1000", "skip", "20", NULL};
    memset(&err, 0, sizeof err);
    CHECK(st, parse_get(bracket, &q, &err) == GS_OK, "parse: bracket query (%s)", err.msg);
    CHECK(st, strcmp(q.chrom, "X") == 0 && q.nstart == 2 && q.start[1] == 200 && q.nend == 2 &&
                  q.end[0] == 300 && q.limit == BEACON_LIMIT_MAX && q.skip == 20,
          "parse: RefSeq accession to chromosome, limit capped at %d", BEACON_LIMIT_MAX);

    const char *mito[] = {"referenceName", "chrM", "start", "72", "end", "80", NULL};
    memset(&err, 0, sizeof err);
    CHECK(st, parse_get(mito, &q, &err) == GS_OK && strcmp(q.chrom, "MT") == 0,
          "parse: chrM is MT");

    const char *filters[] = {"geneId", "BRCA1", "filters",
                             "MONDO:0011450,classification=Pathogenic", NULL};
    memset(&err, 0, sizeof err);
    CHECK(st, parse_get(filters, &q, &err) == GS_OK, "parse: gene + filters (%s)", err.msg);
    CHECK(st, q.nfilters == 2 && q.filters[0].kind == BEACON_FILTER_ONTOLOGY &&
                  strcmp(q.filters[0].id, "MONDO:0011450") == 0 &&
                  q.filters[1].kind == BEACON_FILTER_ALPHANUMERIC &&
                  strcmp(q.filters[1].value, "Pathogenic") == 0 && strcmp(q.gene, "BRCA1") == 0,
          "parse: ontology and alphanumeric filters");

    /* POST bodies: the model's {"g_variant":{…}} nesting, object filters, integer start */
    json_error_t jerr;
    json_t *body = json_loads(
        "{\"meta\":{\"apiVersion\":\"2.0\"},\"query\":{\"requestParameters\":{\"g_variant\":"
        "{\"referenceName\":\"17\",\"start\":[43044294],\"end\":[43125483],\"variantType\":"
        "\"del\"}},\"filters\":[{\"id\":\"diseaseArea\",\"operator\":\"=\",\"value\":\"cancer\"}],"
        "\"requestedGranularity\":\"count\",\"includeResultsetResponses\":\"ALL\","
        "\"pagination\":{\"skip\":5,\"limit\":3}}}",
        0, &jerr);
    memset(&err, 0, sizeof err);
    CHECK(st, body && beacon_query_parse(body, &q, &err) == GS_OK, "parse: POST body (%s)",
          err.msg);
    CHECK(st, q.nstart == 1 && q.nend == 1 && q.end[0] == 43125483 &&
                  strcmp(q.variant_type, "DEL") == 0 && q.requested == BEACON_COUNT &&
                  q.include == BEACON_INCLUDE_ALL && q.skip == 5 && q.limit == 3 &&
                  q.nfilters == 1 && strcmp(q.filters[0].id, "diseaseArea") == 0,
          "parse: POST range with variantType, filters, pagination");
    json_decref(body);

    struct {
        const char *name;
        const char *kv[12];
        const char *says;
    } bad[] = {
        {"start without referenceName", {"start", "5", NULL}, "start needs referenceName"},
        {"referenceName without start", {"referenceName", "1", NULL}, "needs start"},
        {"alternateBases with end", {"referenceName", "1", "start", "5", "end", "9",
                                     "alternateBases", "A", NULL}, "sequence query"},
        {"reversed bracket", {"referenceName", "1", "start", "9,5", "end", "10,12", NULL},
         "reversed"},
        {"bracket needs two ends", {"referenceName", "1", "start", "1,5", "end", "10", NULL},
         "two starts and two ends"},
        {"end before start", {"referenceName", "1", "start", "9", "end", "9", NULL},
         "must be after start"},
        {"not a base", {"referenceName", "1", "start", "9", "alternateBases", "Z", NULL},
         "IUPAC"},
        {"negative start", {"referenceName", "1", "start", "-1", NULL}, "coordinate"},
        {"unknown granularity", {"requestedGranularity", "everything", NULL}, "boolean, count"},
        {"unknown assembly", {"assemblyId", "hg17", NULL}, "GRCh38 or GRCh37"},
        {"unsupported parameter", {"aminoacidChange", "V600E", NULL}, "not supported"},
        {"unknown filter", {"geneId", "BRCA1", "filters", "colour=blue", NULL},
         "unsupported filter"},
        {"bad chromosome", {"referenceName", "17;drop", "start", "1", NULL}, "chromosome"},
        {"gene and position", {"geneId", "BRCA1", "referenceName", "17", "start", "1", NULL},
         "either geneId"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        int rc = parse_get(bad[i].kv, &q, &err);
        CHECK(st, rc == GS_EINVAL && strstr(err.msg, bad[i].says) != NULL,
              "parse refuses: %s (%s)", bad[i].name, err.msg);
    }
}

/* ---- the security matrix ---- */

#define MUST(expr)                                                                          \
    do {                                                                                    \
        if ((expr) != GS_OK) {                                                              \
            fprintf(stderr, "setup failed at %s:%d: %s\n", __FILE__, __LINE__, #expr);      \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

static void test_levels(struct check_state *st, const char *path)
{
    struct store *s = NULL;
    struct gs_err err = {0};
    struct actor by = {"test", "test"};
    time_t now = time(NULL);
    MUST(store_open(path, &s, &err));
    MUST(registry_institution_add(s, &by, "owner-h", "Owner", "JP", NULL, &err));
    MUST(registry_institution_add(s, &by, "member-h", "Member", "JP", NULL, &err));
    MUST(registry_institution_add(s, &by, "other-h", "Other", "JP", NULL, &err));
    MUST(registry_consortium_add(s, &by, "rare", "Rare", NULL, &err));
    MUST(registry_consortium_join(s, &by, "rare", "owner-h", NULL, &err));
    MUST(registry_consortium_join(s, &by, "rare", "member-h", NULL, &err));
    const char *users[][2] = {{"stranger", "other-h"}, {"grantee", "other-h"},
                              {"member", "member-h"},  {"owner", "owner-h"},
                              {"admin", "other-h"}};
    for (size_t i = 0; i < 5; i++)
        MUST(registry_user_add(s, &by, users[i][0], users[i][0], users[i][1],
                               i == 4 ? ROLE_ALL : ROLE_MEMBER, NULL, NULL, &err));
    int64_t ids[3];
    MUST(registry_dataset_add(s, &by, "v-restricted", "R", TIER_RESTRICTED, DATA_VARIANTS,
                              "owner-h", "rare", &ids[0], &err));
    MUST(registry_dataset_add(s, &by, "v-controlled", "C", TIER_CONTROLLED, DATA_VARIANTS,
                              "owner-h", NULL, &ids[1], &err));
    MUST(registry_dataset_add(s, &by, "v-open", "O", TIER_OPEN, DATA_VARIANTS, "owner-h", NULL,
                              &ids[2], &err));
    MUST(registry_grant_add(s, &by, "v-controlled", "grantee", now + 3600, now - 10, NULL, &err));

    enum { N = BEACON_NONE, C = BEACON_COUNT, R = BEACON_RECORD };
    struct {
        const char *who;
        int expect[3]; /* restricted, controlled, open */
    } rows[] = {
        {"anonymous", {N, N, R}}, {"stranger", {N, C, R}}, {"grantee", {N, R, R}},
        {"member", {R, C, R}},    {"owner", {R, R, R}},    {"admin", {N, C, R}},
    };
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        struct principal p;
        if (strcmp(rows[r].who, "anonymous") == 0)
            principal_anonymous(&p);
        else
            MUST(principal_for_name(s, rows[r].who, &p, &err));
        for (int t = 0; t < 3; t++) {
            struct store_dataset d;
            enum beacon_granularity g = BEACON_RECORD;
            MUST(store_dataset_get(s, ids[t], &d, &err));
            int rc = beacon_dataset_level(s, &p, &d, now, &g, &err);
            CHECK(st, rc == GS_OK && (int)g == rows[r].expect[t], "level: %s on %s is %s",
                  rows[r].who, tier_name(d.tier),
                  beacon_granularity_name((enum beacon_granularity)rows[r].expect[t]));
        }
    }
    store_close(s);
}

int main(void)
{
    struct check_state st = {0};
    test_parse(&st);
    char path[] = "/tmp/genoshare-test-beacon-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 1;
    close(fd);
    unlink(path);
    test_levels(&st, path);
    char side[600];
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    return check_finish(&st);
}
