/* test_mme_patient.c — MME patient ⇄ case: v1.0 ("observed": "yes"/"no") and later forms
 * (booleans, {id,label} onsets, "gender", referenceBase), 0-based start ⇄ 1-based pos, the
 * real example of $GENOSHARE_DATA (SKIP when absent), round trips and malformed input. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "match/mme_patient.h"

static int parse_text(const char *text, struct store_case *c, struct gs_err *err)
{
    json_t *doc = json_loads(text, 0, NULL);
    int rc = mme_patient_to_case(doc, c, NULL, err);
    json_decref(doc);
    return rc;
}

static void test_v10(struct check_state *st)
{
    json_t *doc = json_load_file("tests/fixtures/cases/mme-v10.json", 0, NULL);
    struct store_case c = {0};
    struct gs_err err = {0};
    struct case_report rep = {0};
    int rc = mme_patient_to_case(doc, &c, &rep, &err);
    CHECK(st, rc == GS_OK, "v1.0 fixture parses (%s)", err.msg);
    CHECK(st, c.nfeatures == 2 && !c.features[0].excluded && c.features[1].excluded,
          "v1.0: observed yes/no to observed/excluded");
    CHECK(st, rep.nnotes == 1 && strstr(rep.notes[0], "unknown") != NULL,
          "v1.0: observed unknown is skipped with a note, not silently");
    CHECK(st, c.nvariants == 1 && c.variants[0].pos == 48425493,
          "start 48425492 (0-based) is pos 48425493 (1-based)");
    CHECK(st, c.nvariants == 1 && strcmp(c.variants[0].assembly, "GRCh38") == 0 &&
                  strcmp(c.variants[0].zygosity, "homozygous") == 0,
          "GRCh38.p13 → GRCh38, zygosity 2 → homozygous");
    CHECK(st, c.ngenes == 2 && strcmp(c.genes[0].gene_id, "ENSG00000166147") == 0 &&
                  strcmp(c.genes[1].symbol, "SCN1A") == 0 && c.genes[1].gene_id[0] == '\0',
          "gene ids and symbols kept apart");
    CHECK(st, c.ndiagnoses == 2 && strcmp(c.diagnoses[0].id, "OMIM:607208") == 0 &&
                  strcmp(c.diagnoses[1].id, "ORPHA:33069") == 0,
          "MIM: → OMIM:, Orphanet: → ORPHA:");
    CHECK(st, c.sex == CASE_SEX_MALE && strcmp(c.onset, "HP:0003593") == 0 &&
                  strcmp(c.contact_href, "mailto:x@example.org") == 0,
          "sex, ageOfOnset, contact");
    /* round trip */
    json_t *out = mme_patient_from_case(&c, "Example Hospital");
    json_t *gf0 = json_array_get(json_object_get(out, "genomicFeatures"), 0);
    json_t *var = json_object_get(gf0, "variant");
    CHECK(st, json_integer_value(json_object_get(var, "start")) == 48425492 &&
                  json_integer_value(json_object_get(var, "end")) == 48425493,
          "export: pos 48425493 → start 48425492, end 48425493");
    CHECK(st, strcmp(json_string_value(json_object_get(
                         json_array_get(json_object_get(out, "features"), 1), "observed")), "no") == 0,
          "export: excluded → observed \"no\"");
    CHECK(st, strcmp(json_string_value(json_object_get(
                         json_array_get(json_object_get(out, "disorders"), 0), "id")), "MIM:607208") == 0,
          "export: OMIM: → MIM:");
    struct store_case back = {0};
    rc = mme_patient_to_case(out, &back, NULL, &err);
    bool same = rc == GS_OK && back.nfeatures == c.nfeatures && back.nvariants == c.nvariants &&
                back.ndiagnoses == c.ndiagnoses && back.variants[0].pos == c.variants[0].pos &&
                back.features[1].excluded && strcmp(back.external_id, "MME-1") == 0;
    CHECK(st, same, "round trip keeps features, variant position, diagnoses, id (%s)", err.msg);
    store_case_clear(&back);
    json_decref(out);
    store_case_clear(&c);
    json_decref(doc);
}

static void test_v11(struct check_state *st)
{
    json_t *doc = json_load_file("tests/fixtures/cases/mme-v11.json", 0, NULL);
    struct store_case c = {0};
    struct gs_err err = {0};
    int rc = mme_patient_to_case(doc, &c, NULL, &err);
    CHECK(st, rc == GS_OK, "later form parses (%s)", err.msg);
    CHECK(st, c.nfeatures == 3 && !c.features[0].excluded && c.features[1].excluded &&
                  !c.features[2].excluded,
          "observed true/false/absent");
    CHECK(st, strcmp(c.onset, "HP:0011463") == 0 && c.sex == CASE_SEX_FEMALE,
          "ageOfOnset object and gender");
    CHECK(st, c.nvariants == 1 && c.variants[0].pos == 1 && strcmp(c.variants[0].ref, "A") == 0 &&
                  strcmp(c.variants[0].chrom, "X") == 0,
          "start 0 → pos 1; referenceBase/alternativeBase spelling");
    CHECK(st, strcmp(c.label, "MME-2") == 0, "label defaults to id");
    store_case_clear(&c);
    json_decref(doc);
}

static void test_real_example(struct check_state *st)
{
    const char *dir = getenv("GENOSHARE_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/hpo/examples/mme-match-request.example.json",
             dir ? dir : "../shared/data");
    json_t *doc = json_load_file(path, 0, NULL);
    if (doc == NULL) {
        printf("SKIP mme: real example: %s not found\n", path);
        return;
    }
    struct store_case c = {0};
    struct gs_err err = {0};
    int rc = mme_patient_to_case(doc, &c, NULL, &err);
    CHECK(st, rc == GS_OK && c.nfeatures == 3 && c.features[2].excluded && c.nvariants == 1 &&
                  c.variants[0].pos == 48425493 && c.ndiagnoses == 1,
          "real MME example (%s)", err.msg);
    store_case_clear(&c);
    json_decref(doc);
}

static void test_malformed(struct check_state *st)
{
    static const struct { const char *name, *text, *path; } bad[] = {
        {"observed maybe", "{\"patient\":{\"id\":\"x\",\"features\":[{\"id\":\"HP:0001250\","
                           "\"observed\":\"maybe\"}]}}", "patient.features[0].observed"},
        {"feature id number", "{\"id\":\"x\",\"features\":[{\"id\":7}]}", "features[0].id"},
        {"negative start", "{\"id\":\"x\",\"genomicFeatures\":[{\"gene\":{\"id\":\"FBN1\"},"
                           "\"variant\":{\"assembly\":\"GRCh38\",\"referenceName\":\"1\","
                           "\"start\":-1}}]}", "genomicFeatures[0].variant.start"},
        {"1-based start given", "{\"id\":\"x\",\"genomicFeatures\":[{\"gene\":{\"id\":\"FBN1\"},"
                                "\"variant\":{\"assembly\":\"GRCh38\",\"referenceName\":\"1\","
                                "\"start\":10,\"end\":10,\"referenceBases\":\"A\"}}]}",
         "genomicFeatures[0].variant.end"},
        {"end not matching ref", "{\"id\":\"x\",\"genomicFeatures\":[{\"gene\":{\"id\":\"FBN1\"},"
                                 "\"variant\":{\"assembly\":\"GRCh38\",\"referenceName\":\"1\","
                                 "\"start\":10,\"end\":13,\"referenceBases\":\"A\"}}]}",
         "0-based"},
        {"bad assembly", "{\"id\":\"x\",\"genomicFeatures\":[{\"gene\":{\"id\":\"FBN1\"},"
                         "\"variant\":{\"assembly\":\"hg17\",\"referenceName\":\"1\",\"start\":1}}]}",
         "genomicFeatures[0].variant.assembly"},
        {"zygosity text", "{\"id\":\"x\",\"genomicFeatures\":[{\"gene\":{\"id\":\"FBN1\"},"
                          "\"zygosity\":\"het\"}]}", "genomicFeatures[0].zygosity"},
        {"gene without id", "{\"id\":\"x\",\"genomicFeatures\":[{\"gene\":{}}]}",
         "genomicFeatures[0].gene.id"},
        {"bad disorder", "{\"id\":\"x\",\"disorders\":[{\"id\":\"MIM:12\"}]}", "disorders[0].id"},
        {"missing id", "{\"patient\":{\"features\":[]}}", "patient.id"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct store_case c = {0};
        struct gs_err err = {0};
        int rc = parse_text(bad[i].text, &c, &err);
        CHECK(st, rc == GS_EINVAL && strstr(err.msg, bad[i].path) != NULL,
              "malformed: %s names '%s' (got: %s)", bad[i].name, bad[i].path, err.msg);
        store_case_clear(&c);
    }
}

int main(void)
{
    struct check_state st = {0};
    test_v10(&st);
    test_v11(&st);
    test_real_example(&st);
    test_malformed(&st);
    return check_finish(&st);
}
