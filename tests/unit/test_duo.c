/* test_duo.c — the DUO module alone: parsing and canonical spelling (ids, shorthands,
 * disease ids, malformed input), and the comparison of dataset terms with a request's
 * purpose across the permission hierarchy and every modifier. */
#include <string.h>

#include "check.h"
#include "policy/duo.h"

static bool parses(const char *text, enum duo_subject who, const char *canonical)
{
    struct duo_terms t;
    struct gs_err err = {0};
    if (duo_parse(text, who, &t, &err) != GS_OK)
        return false;
    char out[DUO_TEXT_MAX];
    duo_format(&t, out, sizeof out);
    if (strcmp(out, canonical) != 0)
        return false;
    /* the canonical text parses back to the same terms */
    struct duo_terms again;
    return duo_parse(out, who, &again, &err) == GS_OK && again.permission == t.permission &&
           again.modifiers == t.modifiers && strcmp(again.disease, t.disease) == 0;
}

static bool refused(const char *text, enum duo_subject who, const char *mentions)
{
    struct duo_terms t;
    struct gs_err err = {0};
    int rc = duo_parse(text, who, &t, &err);
    return rc == GS_EINVAL && (mentions == NULL || strstr(err.msg, mentions) != NULL);
}

static void test_parse(struct check_state *st)
{
    static const struct {
        const char *in, *out;
    } good[] = {
        {"GRU", "GRU"},
        {"hmb", "HMB"},
        {"HMB,NPU", "HMB,NPU"},
        {" HMB , NPU ", "HMB,NPU"},
        {"NPU,HMB", "HMB,NPU"},
        {"DUO:0000006,DUO:0000045", "HMB,NPU"},
        {"DS:MONDO:0007254,IRB", "DS:MONDO:0007254,IRB"},
        {"ds:mondo:0007254", "DS:MONDO:0007254"},
        {"DUO:0000007:DOID:1612", "DS:DOID:1612"},
        {"DS:OMIM:114480", "DS:OMIM:114480"},
        {"DS:MIM:114480", "DS:OMIM:114480"},
        {"POA", "POA"},
        {"GRU,IRB,PUB,COL,GS,US,TS,NCU,NPUNCU,RS,NMDS,GSO,MOR,PS,IS,RTN,CC,NPOA,NPU",
         "GRU,RS,NMDS,GSO,NPUNCU,PUB,COL,IRB,GS,MOR,TS,US,PS,IS,RTN,CC,NPOA,NPU,NCU"},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        CHECK(st, parses(good[i].in, DUO_FOR_REQUEST, good[i].out), "parse: '%s' -> %s",
              good[i].in, good[i].out);
    CHECK(st, parses("NRES,PUB", DUO_FOR_DATASET, "NRES,PUB"), "parse: NRES on a dataset");
    CHECK(st, refused("NRES", DUO_FOR_REQUEST, "not research"), "parse: NRES is not a purpose");

    static const struct {
        const char *in, *mentions;
    } bad[] = {
        {"", "empty"},
        {",HMB", "empty"},
        {"HMB,", "empty"},
        {"HMB,,NPU", "empty"},
        {"XYZ", "not a DUO term"},
        {"DUO:0000099", "not a DUO term"},
        {"IRB", "no DUO permission"},
        {"HMB,GRU", "exactly one permission"},
        {"DS:MONDO:0007254,DS:MONDO:0007254", "exactly one permission"},
        {"HMB,NPU,NPU", "twice"},
        {"DS", "needs a disease"},
        {"DS:", "needs a disease"},
        {"DS:MONDO:123", "not a disease id"},
        {"DS:MONDO:00072540", "not a disease id"},
        {"DS:MONDO:00072a4", "not a disease id"},
        {"DS:HP:0001250", "not a disease id"},
        {"DS:OMIM:11448", "not a disease id"},
        {"DS:DOID:", "not a disease id"},
        {"HMB:MONDO:0007254", "only DS takes a value"},
        {"GRU;IRB", "not a DUO term"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK(st, refused(bad[i].in, DUO_FOR_DATASET, bad[i].mentions),
              "parse: '%s' refused (%s)", bad[i].in, bad[i].mentions);
    char huge[DUO_TEXT_MAX + 8];
    memset(huge, 'A', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    CHECK(st, refused(huge, DUO_FOR_DATASET, "longer"), "parse: over-long text refused");
    CHECK(st, refused(NULL, DUO_FOR_DATASET, NULL), "parse: NULL refused");

    CHECK(st, strcmp(duo_term_id("HMB"), "DUO:0000006") == 0 &&
                  strcmp(duo_term_id("GRU"), "DUO:0000042") == 0 &&
                  strcmp(duo_term_id("NPU"), "DUO:0000045") == 0 &&
                  strcmp(duo_term_id("GS"), "DUO:0000022") == 0 &&
                  strcmp(duo_term_id("GSO"), "DUO:0000016") == 0 && duo_term_id("ZZ") == NULL,
          "ids: shorthands map to their DUO ids");
    CHECK(st, strcmp(duo_term_label("NCU"), "non-commercial use only") == 0,
          "ids: labels as published");
}

/* Conflicts of dataset terms D with request terms R (commercial or not). */
static int conflicts(const char *d, const char *r, bool commercial, struct duo_conflicts *out)
{
    struct duo_terms dt, rt;
    struct gs_err err = {0};
    if (duo_parse(d, DUO_FOR_DATASET, &dt, &err) != GS_OK ||
        duo_parse(r, DUO_FOR_REQUEST, &rt, &err) != GS_OK) {
        fprintf(stderr, "fixture does not parse: %s\n", err.msg);
        return -1;
    }
    duo_compare(&dt, &rt, commercial, out);
    return out->n;
}

static bool names(const struct duo_conflicts *c, const char *term)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->items[i].term, term) == 0 && c->items[i].why[0] != '\0')
            return true;
    return false;
}

static void test_permissions(struct check_state *st)
{
    /* dataset permission × request purpose: 1 = compatible. */
    static const char *const dataset[] = {"NRES", "GRU", "HMB", "DS:MONDO:0007254", "POA"};
    static const char *const request[] = {"GRU", "HMB", "DS:MONDO:0007254", "DS:MONDO:0005061",
                                          "POA"};
    static const int ok[5][5] = {
        /*             GRU HMB DS-X DS-Y POA */
        /* NRES */ {1, 1, 1, 1, 1},
        /* GRU  */ {1, 1, 1, 1, 1},
        /* HMB  */ {0, 1, 1, 1, 0},
        /* DS-X */ {0, 0, 1, 0, 0},
        /* POA  */ {0, 0, 0, 0, 1},
    };
    for (int d = 0; d < 5; d++) {
        for (int r = 0; r < 5; r++) {
            struct duo_conflicts c;
            int n = conflicts(dataset[d], request[r], false, &c);
            CHECK(st, ok[d][r] ? n == 0 : n == 1 && c.items[0].why[0] != '\0',
                  "permission: dataset %s, request %s -> %s", dataset[d], request[r],
                  ok[d][r] ? "compatible" : "one conflict");
        }
    }
    struct duo_conflicts c;
    conflicts("HMB", "GRU", false, &c);
    CHECK(st, names(&c, "HMB") && strstr(c.items[0].why, "GRU") != NULL,
          "permission: HMB vs GRU names both terms");
    conflicts("DS:MONDO:0007254", "DS:MONDO:0005061", false, &c);
    CHECK(st, names(&c, "DS:MONDO:0007254") && strstr(c.items[0].why, "MONDO:0005061") != NULL,
          "permission: DS of another disease names both diseases");
    CHECK(st, conflicts("DS:mondo:0007254", "DS:MONDO:0007254", false, &c) == 0,
          "permission: disease ids compare after canonical spelling");
}

static void test_modifiers(struct check_state *st)
{
    struct duo_conflicts c;
    /* Each requirement modifier: missing from the request -> a conflict naming it;
     * declared -> none. */
    static const char *const required[] = {"RS", "NMDS", "GSO", "PUB", "COL", "IRB", "GS",
                                           "MOR", "TS", "US", "PS", "IS", "RTN", "NPU", "NCU",
                                           "NPUNCU"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        char d[32], r[32];
        snprintf(d, sizeof d, "GRU,%s", required[i]);
        snprintf(r, sizeof r, "HMB,%s", required[i]);
        int missing = conflicts(d, "HMB", false, &c);
        CHECK(st, missing == 1 && names(&c, required[i]), "modifier: dataset %s, request "
              "lacks it -> conflict", required[i]);
        CHECK(st, conflicts(d, r, false, &c) == 0, "modifier: dataset %s, request declares "
              "it -> none", required[i]);
    }
    /* Several missing at once: one conflict each, in DUO order. */
    int n = conflicts("HMB,IRB,PUB,COL", "HMB,PUB", false, &c);
    CHECK(st, n == 2 && strcmp(c.items[0].term, "COL") == 0 && strcmp(c.items[1].term, "IRB") == 0,
          "modifier: two missing -> two conflicts (COL, IRB)");
    /* Permission and modifier conflicts together. */
    CHECK(st, conflicts("HMB,IRB", "GRU", false, &c) == 2 && names(&c, "HMB") && names(&c, "IRB"),
          "modifier: permission and modifier conflicts reported together");

    /* Not-for-profit: commercial requests conflict whatever they declare. */
    CHECK(st, conflicts("HMB,NPU", "HMB", true, &c) == 1 && names(&c, "NPU") &&
                  strstr(c.items[0].why, "commercial") != NULL,
          "not-for-profit: NPU dataset vs commercial request");
    CHECK(st, conflicts("HMB,NCU", "HMB", true, &c) == 1 && names(&c, "NCU"),
          "not-for-profit: NCU dataset vs commercial request");
    CHECK(st, conflicts("HMB,NPUNCU", "HMB", true, &c) == 1 && names(&c, "NPUNCU"),
          "not-for-profit: NPUNCU dataset vs commercial request");
    CHECK(st, conflicts("HMB", "HMB", true, &c) == 0,
          "not-for-profit: unrestricted dataset allows a commercial request");
    CHECK(st, conflicts("HMB,NPUNCU", "HMB,NPU,NCU", false, &c) == 0,
          "not-for-profit: NPUNCU met by NPU and NCU together");
    CHECK(st, conflicts("HMB,NPUNCU", "HMB,NPU", false, &c) == 1 && names(&c, "NPUNCU"),
          "not-for-profit: NPUNCU not met by NPU alone");
    CHECK(st, conflicts("HMB,NPU,NCU", "HMB,NPUNCU", false, &c) == 0,
          "not-for-profit: NPUNCU declared meets NPU and NCU");

    struct duo_terms r;
    struct gs_err err = {0};
    bool parsed = duo_parse("HMB,NPU", DUO_FOR_REQUEST, &r, &err) == GS_OK;
    CHECK(st, parsed && duo_check_purpose(&r, true, &err) == GS_EINVAL,
          "purpose: commercial + NPU is contradictory");
    CHECK(st, parsed && duo_check_purpose(&r, false, &err) == GS_OK,
          "purpose: non-commercial NPU is fine");

    /* NPOA narrows the permission; CC widens it. */
    CHECK(st, conflicts("GRU,NPOA", "POA", false, &c) == 1 && names(&c, "NPOA"),
          "NPOA: ancestry research refused");
    CHECK(st, conflicts("GRU,NPOA", "GRU", false, &c) == 1 && names(&c, "NPOA"),
          "NPOA: general research may include ancestry");
    CHECK(st, conflicts("GRU,NPOA", "GRU,NPOA", false, &c) == 0,
          "NPOA: general research declared without ancestry is fine");
    CHECK(st, conflicts("GRU,NPOA", "HMB", false, &c) == 0, "NPOA: HMB never includes ancestry");
    CHECK(st, conflicts("HMB", "HMB,CC", false, &c) == 1 && names(&c, "CC"),
          "CC: clinical care use needs a dataset that allows it");
    CHECK(st, conflicts("HMB,CC", "HMB,CC", false, &c) == 0, "CC: allowed when the dataset has CC");
    CHECK(st, conflicts("HMB,CC", "HMB", false, &c) == 0,
          "CC: a dataset allowing clinical care asks nothing of research requests");
    CHECK(st, conflicts("NRES", "GRU,CC", false, &c) == 0,
          "CC: no restriction (NRES) includes clinical care use");

    /* Every term at once: the list never overflows. */
    n = conflicts("DS:MONDO:0007254,RS,NMDS,GSO,NPUNCU,PUB,COL,IRB,GS,MOR,TS,US,PS,IS,RTN,NPOA,"
                  "NPU,NCU",
                  "GRU,CC", true, &c);
    CHECK(st, n > 15 && n <= DUO_CONFLICTS_MAX, "bounds: all terms missing -> %d conflicts", n);
}

int main(void)
{
    struct check_state st = {0};
    test_parse(&st);
    test_permissions(&st);
    test_modifiers(&st);
    return check_finish(&st);
}
