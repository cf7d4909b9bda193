/* test_phenopacket.c — Phenopackets v2 ⇄ case: the fixtures of tests/fixtures/cases, the real
 * example of $GENOSHARE_DATA/hpo/examples (SKIP when absent), round trips that keep features,
 * exclusions, onsets, genes, variants and diagnoses, and malformed input named by JSON path. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "match/phenopacket.h"

static json_t *load(const char *path)
{
    return json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
}

/* Parses text; returns the error code and leaves the message in err. */
static int parse_text(const char *text, struct store_case *c, struct gs_err *err)
{
    json_t *doc = json_loads(text, 0, NULL);
    int rc = phenopacket_to_case(doc, c, NULL, err);
    json_decref(doc);
    return rc;
}

static void test_fixture(struct check_state *st)
{
    json_t *doc = load("tests/fixtures/cases/pp-basic.json");
    struct store_case c = {0};
    struct gs_err err = {0};
    struct case_report rep = {0};
    int rc = phenopacket_to_case(doc, &c, &rep, &err);
    CHECK(st, rc == GS_OK, "fixture parses (%s)", err.msg);
    CHECK(st, strcmp(c.external_id, "GS-PP-1") == 0 && strcmp(c.label, "Proband 1") == 0,
          "id to external_id, subject.id to label");
    CHECK(st, c.sex == CASE_SEX_FEMALE, "subject.sex FEMALE");
    CHECK(st, c.nfeatures == 4 && c.features[0].hpo == 1250 && !c.features[0].excluded,
          "features read in order");
    CHECK(st, c.nfeatures == 4 && c.features[2].excluded, "excluded feature kept as excluded");
    CHECK(st, c.nfeatures == 4 && strcmp(c.features[0].onset, "P2Y") == 0, "age onset");
    CHECK(st, c.nfeatures == 4 && strcmp(c.features[3].onset, "HP:0003593") == 0,
          "ontologyClass onset");
    CHECK(st, c.nvariants == 1 && c.variants[0].pos == 166000000 &&
                  strcmp(c.variants[0].chrom, "2") == 0 && strcmp(c.variants[0].ref, "C") == 0,
          "vcfRecord: chr stripped, ref upper-cased, pos kept 1-based");
    CHECK(st, c.nvariants == 1 && strcmp(c.variants[0].zygosity, "heterozygous") == 0 &&
                  strcmp(c.variants[0].gene_id, "HGNC:10585") == 0,
          "allelicState and geneContext");
    CHECK(st, c.ngenes == 2 && strcmp(c.genes[1].symbol, "FBN1") == 0, "gene-only interpretation");
    CHECK(st, c.ndiagnoses == 2 && strcmp(c.diagnoses[0].id, "OMIM:607208") == 0 &&
                  strcmp(c.diagnoses[1].id, "ORPHA:33069") == 0,
          "diagnoses from interpretation and diseases, deduplicated");

    /* round trip: case → phenopacket → case */
    json_t *out = phenopacket_from_case(&c, 0);
    struct store_case back = {0};
    rc = phenopacket_to_case(out, &back, NULL, &err);
    CHECK(st, rc == GS_OK, "exported phenopacket parses again (%s)", err.msg);
    bool same = back.nfeatures == c.nfeatures && back.ngenes == c.ngenes &&
                back.nvariants == c.nvariants && back.ndiagnoses == c.ndiagnoses;
    for (int i = 0; same && i < c.nfeatures; i++)
        same = back.features[i].hpo == c.features[i].hpo &&
               back.features[i].excluded == c.features[i].excluded &&
               strcmp(back.features[i].onset, c.features[i].onset) == 0;
    for (int i = 0; same && i < c.nvariants; i++)
        same = back.variants[i].pos == c.variants[i].pos &&
               strcmp(back.variants[i].alt, c.variants[i].alt) == 0 &&
               strcmp(back.variants[i].zygosity, c.variants[i].zygosity) == 0 &&
               strcmp(back.variants[i].gene_id, c.variants[i].gene_id) == 0;
    for (int i = 0; same && i < c.ngenes; i++)
        same = strcmp(back.genes[i].gene_id, c.genes[i].gene_id) == 0;
    for (int i = 0; same && i < c.ndiagnoses; i++)
        same = strcmp(back.diagnoses[i].id, c.diagnoses[i].id) == 0;
    CHECK(st, same, "round trip keeps features, exclusions, onsets, genes, variants, diagnoses");
    CHECK(st, back.sex == c.sex && strcmp(back.label, c.label) == 0 &&
                  strcmp(back.external_id, c.external_id) == 0,
          "round trip keeps sex, label, id");
    store_case_clear(&back);
    json_decref(out);
    store_case_clear(&c);
    json_decref(doc);
}

static void test_real_example(struct check_state *st)
{
    const char *dir = getenv("GENOSHARE_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/hpo/examples/phenopacket.FBN1.PMID_10756346_Patient_B55.json",
             dir ? dir : "../shared/data");
    json_t *doc = load(path);
    if (doc == NULL) {
        printf("SKIP phenopacket: real example: %s not found\n", path);
        return;
    }
    struct store_case c = {0};
    struct gs_err err = {0};
    int rc = phenopacket_to_case(doc, &c, NULL, &err);
    CHECK(st, rc == GS_OK, "real example parses (%s)", err.msg);
    int excluded = 0;
    for (int i = 0; i < c.nfeatures; i++)
        excluded += c.features[i].excluded;
    CHECK(st, c.nfeatures == 23 && excluded == 14, "real example: 23 features, 14 excluded (got %d, %d)",
          c.nfeatures, excluded);
    CHECK(st, c.nvariants == 1 && strcmp(c.variants[0].assembly, "GRCh38") == 0 &&
                  strcmp(c.variants[0].chrom, "15") == 0 && c.variants[0].pos == 48425493,
          "real example: hg38 chr15:48425493 → GRCh38 15:48425493");
    CHECK(st, c.ngenes == 1 && strcmp(c.genes[0].gene_id, "HGNC:3603") == 0, "real example: FBN1");
    CHECK(st, c.ndiagnoses == 1 && strcmp(c.diagnoses[0].id, "OMIM:154700") == 0,
          "real example: Marfan syndrome once");
    CHECK(st, c.sex == CASE_SEX_MALE && strcmp(c.label, "Patient B55") == 0, "real example: subject");
    store_case_clear(&c);
    json_decref(doc);
}

static void test_malformed(struct check_state *st)
{
    static const struct { const char *name, *text, *path; } bad[] = {
        {"wrong type of type.id", "{\"id\":\"x\",\"phenotypicFeatures\":[{\"type\":{\"id\":\"HP:0001250\"}},"
                                  "{\"type\":{\"id\":1250}}]}", "phenotypicFeatures[1].type.id"},
        {"malformed HP id", "{\"id\":\"x\",\"phenotypicFeatures\":[{\"type\":{\"id\":\"HP:12\"}}]}",
         "phenotypicFeatures[0].type.id"},
        {"excluded not a boolean", "{\"id\":\"x\",\"phenotypicFeatures\":[{\"type\":{\"id\":"
                                   "\"HP:0001250\"},\"excluded\":\"yes\"}]}",
         "phenotypicFeatures[0].excluded"},
        {"missing id", "{\"phenotypicFeatures\":[]}", "id is required"},
        {"features not an array", "{\"id\":\"x\",\"phenotypicFeatures\":{}}", "phenotypicFeatures must be"},
        {"bad chromosome", "{\"id\":\"x\",\"interpretations\":[{\"diagnosis\":{\"genomicInterpretations\":"
                           "[{\"variantInterpretation\":{\"variationDescriptor\":{\"vcfRecord\":"
                           "{\"genomeAssembly\":\"GRCh38\",\"chrom\":\"chr99\",\"pos\":5,\"ref\":\"A\","
                           "\"alt\":\"G\"}}}}]}}]}",
         "interpretations[0].diagnosis.genomicInterpretations[0].vcfRecord.chrom"},
        {"pos zero", "{\"id\":\"x\",\"interpretations\":[{\"diagnosis\":{\"genomicInterpretations\":"
                     "[{\"variantInterpretation\":{\"variationDescriptor\":{\"vcfRecord\":"
                     "{\"genomeAssembly\":\"GRCh38\",\"chrom\":\"1\",\"pos\":0,\"ref\":\"A\","
                     "\"alt\":\"G\"}}}}]}}]}", "vcfRecord.pos"},
        {"bad disease id", "{\"id\":\"x\",\"diseases\":[{\"term\":{\"id\":\"DOID:1\"}}]}",
         "diseases[0].term.id"},
        {"unknown sex", "{\"id\":\"x\",\"subject\":{\"sex\":\"BOTH\"}}", "subject.sex"},
        {"not an object", "[1,2]", "JSON object"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct store_case c = {0};
        struct gs_err err = {0};
        int rc = parse_text(bad[i].text, &c, &err);
        CHECK(st, rc == GS_EINVAL && strstr(err.msg, bad[i].path) != NULL,
              "malformed: %s names '%s' (got: %s)", bad[i].name, bad[i].path, err.msg);
        store_case_clear(&c);
    }
    struct store_case c = {0};
    struct gs_err err = {0};
    CHECK(st, parse_text("{\"id\":\"x\",\"phenotypicFeatures\":[{\"type\":{\"id\":\"HP:0001250\"},"
                         "\"whatever\":[1]}],\"extra\":{}}", &c, &err) == GS_OK &&
                  c.nfeatures == 1,
          "unknown members are ignored");
    store_case_clear(&c);
}

int main(void)
{
    struct check_state st = {0};
    test_fixture(&st);
    test_real_example(&st);
    test_malformed(&st);
    return check_finish(&st);
}
