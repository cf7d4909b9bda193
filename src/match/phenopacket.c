/* phenopacket.c — GA4GH Phenopackets v2 ⇄ case (see phenopacket.h for the mapping). */
#include "match/phenopacket.h"

#include <stdio.h>
#include <string.h>

#include "core/parse.h"

#define PATH_MAX_LEN 256

/* Adds a diagnosis unless its id is already there. */
static int add_disease(const json_t *term, const char *where, struct store_case *c,
                       struct gs_err *err)
{
    const char *id, *label;
    char at[PATH_MAX_LEN];
    int rc;
    if (!json_is_object(term))
        return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
    if ((rc = case_json_string(term, where, "id", true, &id, err)) != GS_OK ||
        (rc = case_json_string(term, where, "label", false, &label, err)) != GS_OK)
        return rc;
    struct store_case_diagnosis d = {0};
    snprintf(at, sizeof at, "%.180s.id", where);
    if ((rc = case_parse_disease(at, id, d.id, err)) != GS_OK ||
        (rc = case_copy_text(at, label, d.label, sizeof d.label, err)) != GS_OK)
        return rc;
    for (int i = 0; i < c->ndiagnoses; i++)
        if (strcmp(c->diagnoses[i].id, d.id) == 0)
            return GS_OK;
    snprintf(d.where, sizeof d.where, "%.150s", at);
    return store_case_push_diagnosis(c, &d, err);
}

/* A GeneDescriptor {valueId, symbol} → a gene (kept once per id). */
static int add_gene(const json_t *gd, const char *where, struct store_case *c, char *gene_id_out,
                    struct gs_err *err)
{
    const char *id, *symbol;
    int rc;
    if (!json_is_object(gd))
        return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
    if ((rc = case_json_string(gd, where, "valueId", false, &id, err)) != GS_OK ||
        (rc = case_json_string(gd, where, "symbol", false, &symbol, err)) != GS_OK)
        return rc;
    if (id == NULL && symbol == NULL)
        return gs_err_set(err, GS_EINVAL, "%s needs a valueId or a symbol", where);
    struct store_case_gene g = {0};
    if ((rc = case_copy_text(where, id, g.gene_id, sizeof g.gene_id, err)) != GS_OK ||
        (rc = case_copy_text(where, symbol, g.symbol, sizeof g.symbol, err)) != GS_OK)
        return rc;
    snprintf(g.where, sizeof g.where, "%.150s", where);
    if (gene_id_out != NULL)
        snprintf(gene_id_out, CASE_ID_TEXT_MAX, "%s", g.gene_id[0] ? g.gene_id : g.symbol);
    for (int i = 0; i < c->ngenes; i++)
        if (strcmp(c->genes[i].gene_id, g.gene_id) == 0 && strcmp(c->genes[i].symbol, g.symbol) == 0)
            return GS_OK;
    return store_case_push_gene(c, &g, err);
}

static int read_features(const json_t *list, struct store_case *c, struct gs_err *err)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        char where[64], at[PATH_MAX_LEN];
        snprintf(where, sizeof where, "phenotypicFeatures[%zu]", i);
        json_t *type, *onset, *ex = json_object_get(it, "excluded");
        const char *id, *label;
        int rc;
        if (!json_is_object(it))
            return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
        if ((rc = case_json_member(it, where, "type", JSON_OBJECT, true, &type, err)) != GS_OK ||
            (rc = case_json_member(it, where, "onset", JSON_OBJECT, false, &onset, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%.180s.type", where);
        if ((rc = case_json_string(type, at, "id", true, &id, err)) != GS_OK ||
            (rc = case_json_string(type, at, "label", false, &label, err)) != GS_OK)
            return rc;
        if (ex != NULL && !json_is_boolean(ex))
            return gs_err_set(err, GS_EINVAL, "%s.excluded must be true or false", where);
        struct store_case_feature f = {0};
        f.excluded = json_is_true(ex);
        snprintf(f.where, sizeof f.where, "%.180s.type.id", where);
        if ((rc = case_parse_hpo(f.where, id, &f.hpo, err)) != GS_OK ||
            (rc = case_copy_text(f.where, label, f.label, sizeof f.label, err)) != GS_OK)
            return rc;
        if (onset != NULL) {
            json_t *age, *cls;
            const char *text = NULL;
            snprintf(at, sizeof at, "%.180s.onset", where);
            if ((rc = case_json_member(onset, at, "age", JSON_OBJECT, false, &age, err)) != GS_OK ||
                (rc = case_json_member(onset, at, "ontologyClass", JSON_OBJECT, false, &cls,
                                       err)) != GS_OK)
                return rc;
            char sub[PATH_MAX_LEN];
            if (age != NULL) {
                snprintf(sub, sizeof sub, "%.180s.age", at);
                rc = case_json_string(age, sub, "iso8601duration", true, &text, err);
            } else if (cls != NULL) {
                snprintf(sub, sizeof sub, "%.180s.ontologyClass", at);
                rc = case_json_string(cls, sub, "id", true, &text, err);
            } else {
                return gs_err_set(err, GS_EINVAL, "%s: only age.iso8601duration or ontologyClass "
                                  "onsets are read", at);
            }
            if (rc != GS_OK || (rc = case_parse_onset(at, text, f.onset, err)) != GS_OK)
                return rc;
        }
        if ((rc = store_case_push_feature(c, &f, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

/* One genomicInterpretation: a variant (with its gene) or a gene alone. */
static int read_genomic(const json_t *gi, const char *where, struct store_case *c,
                        struct case_report *rep, struct gs_err *err)
{
    json_t *vi, *gene, *vd, *vcf, *gc, *allelic;
    const char *status;
    char at[PATH_MAX_LEN], sub[PATH_MAX_LEN];
    int rc;
    if (!json_is_object(gi))
        return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
    if ((rc = case_json_string(gi, where, "interpretationStatus", false, &status, err)) != GS_OK ||
        (rc = case_json_member(gi, where, "variantInterpretation", JSON_OBJECT, false, &vi,
                               err)) != GS_OK ||
        (rc = case_json_member(gi, where, "gene", JSON_OBJECT, false, &gene, err)) != GS_OK)
        return rc;
    if (gene != NULL) {
        snprintf(at, sizeof at, "%.180s.gene", where);
        if ((rc = add_gene(gene, at, c, NULL, err)) != GS_OK)
            return rc;
    }
    if (vi == NULL) {
        if (gene == NULL)
            return gs_err_set(err, GS_EINVAL, "%s has neither a gene nor a variantInterpretation",
                              where);
        return GS_OK;
    }
    snprintf(at, sizeof at, "%.180s.variantInterpretation", where);
    if ((rc = case_json_member(vi, at, "variationDescriptor", JSON_OBJECT, true, &vd, err)) != GS_OK)
        return rc;
    snprintf(at, sizeof at, "%.180s.variantInterpretation.variationDescriptor", where);
    if ((rc = case_json_member(vd, at, "geneContext", JSON_OBJECT, false, &gc, err)) != GS_OK ||
        (rc = case_json_member(vd, at, "vcfRecord", JSON_OBJECT, false, &vcf, err)) != GS_OK ||
        (rc = case_json_member(vd, at, "allelicState", JSON_OBJECT, false, &allelic, err)) != GS_OK)
        return rc;
    struct store_case_variant v = {0};
    if (gc != NULL) {
        snprintf(sub, sizeof sub, "%.180s.geneContext", where);
        if ((rc = add_gene(gc, sub, c, v.gene_id, err)) != GS_OK)
            return rc;
    }
    if (vcf == NULL) { /* HGVS or SPDI only: nothing we can place on the genome */
        case_note(rep, "%s: variant without vcfRecord not kept (gene kept)", where);
        return gc != NULL ? GS_OK : gs_err_set(err, GS_EINVAL, "%s.vcfRecord is required", at);
    }
    snprintf(sub, sizeof sub, "%.180s.vcfRecord", where);
    snprintf(v.where, sizeof v.where, "%.150s", sub);
    const char *assembly, *chrom, *ref, *alt;
    json_t *pos = json_object_get(vcf, "pos");
    if ((rc = case_json_string(vcf, sub, "genomeAssembly", true, &assembly, err)) != GS_OK ||
        (rc = case_json_string(vcf, sub, "chrom", true, &chrom, err)) != GS_OK ||
        (rc = case_json_string(vcf, sub, "ref", true, &ref, err)) != GS_OK ||
        (rc = case_json_string(vcf, sub, "alt", true, &alt, err)) != GS_OK)
        return rc;
    /* protobuf JSON writes 64-bit integers as strings: "48425493" is valid too */
    int64_t p = 0;
    struct gs_err ignored = {0};
    if (json_is_integer(pos))
        p = json_integer_value(pos);
    else if (!json_is_string(pos) ||
             parse_int64(json_string_value(pos), 1, INT64_MAX, &p, &ignored) != GS_OK)
        p = 0;
    if (p < 1)
        return gs_err_set(err, GS_EINVAL, "%s.pos must be a positive integer (1-based)", sub);
    v.pos = p;
    snprintf(at, sizeof at, "%.180s.genomeAssembly", sub);
    if ((rc = case_parse_assembly(at, assembly, v.assembly, err)) != GS_OK)
        return rc;
    snprintf(at, sizeof at, "%.180s.chrom", sub);
    if ((rc = case_parse_chrom(at, chrom, v.chrom, err)) != GS_OK)
        return rc;
    snprintf(at, sizeof at, "%.180s.ref", sub);
    if ((rc = case_parse_bases(at, ref, false, v.ref, err)) != GS_OK)
        return rc;
    snprintf(at, sizeof at, "%.180s.alt", sub);
    if ((rc = case_parse_bases(at, alt, false, v.alt, err)) != GS_OK)
        return rc;
    if (allelic != NULL) {
        const char *id, *label;
        snprintf(sub, sizeof sub, "%.180s.allelicState", where);
        if ((rc = case_json_string(allelic, sub, "id", false, &id, err)) != GS_OK ||
            (rc = case_json_string(allelic, sub, "label", false, &label, err)) != GS_OK ||
            (rc = case_parse_zygosity(sub, id ? id : label, v.zygosity, err)) != GS_OK)
            return rc;
    }
    return store_case_push_variant(c, &v, err);
}

static int read_interpretations(const json_t *list, struct store_case *c,
                                struct case_report *rep, struct gs_err *err)
{
    size_t i, j;
    json_t *it, *gi;
    json_array_foreach(list, i, it) {
        char where[64], at[PATH_MAX_LEN];
        json_t *dx, *disease, *gis;
        int rc;
        snprintf(where, sizeof where, "interpretations[%zu]", i);
        if (!json_is_object(it))
            return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
        if ((rc = case_json_member(it, where, "diagnosis", JSON_OBJECT, false, &dx, err)) != GS_OK)
            return rc;
        if (dx == NULL)
            continue;
        snprintf(at, sizeof at, "%.180s.diagnosis", where);
        if ((rc = case_json_member(dx, at, "disease", JSON_OBJECT, false, &disease, err)) != GS_OK ||
            (rc = case_json_member(dx, at, "genomicInterpretations", JSON_ARRAY, false, &gis,
                                   err)) != GS_OK)
            return rc;
        char sub[PATH_MAX_LEN];
        snprintf(sub, sizeof sub, "%.180s.disease", at);
        if (disease != NULL && (rc = add_disease(disease, sub, c, err)) != GS_OK)
            return rc;
        json_array_foreach(gis, j, gi) {
            snprintf(sub, sizeof sub, "%.180s.genomicInterpretations[%zu]", at, j);
            if ((rc = read_genomic(gi, sub, c, rep, err)) != GS_OK)
                return rc;
        }
    }
    return GS_OK;
}

int phenopacket_to_case(const json_t *doc, struct store_case *out, struct case_report *rep,
                        struct gs_err *err)
{
    if (!json_is_object(doc))
        return gs_err_set(err, GS_EINVAL, "a phenopacket must be a JSON object");
    const char *id, *subject_id = NULL, *sex = NULL;
    json_t *subject, *features, *interpretations, *diseases;
    int rc;
    if ((rc = case_json_string(doc, "", "id", true, &id, err)) != GS_OK ||
        (rc = case_json_member(doc, "", "subject", JSON_OBJECT, false, &subject, err)) != GS_OK ||
        (rc = case_json_member(doc, "", "phenotypicFeatures", JSON_ARRAY, false, &features,
                               err)) != GS_OK ||
        (rc = case_json_member(doc, "", "interpretations", JSON_ARRAY, false, &interpretations,
                               err)) != GS_OK ||
        (rc = case_json_member(doc, "", "diseases", JSON_ARRAY, false, &diseases, err)) != GS_OK)
        return rc;
    if (subject != NULL &&
        ((rc = case_json_string(subject, "subject", "id", false, &subject_id, err)) != GS_OK ||
         (rc = case_json_string(subject, "subject", "sex", false, &sex, err)) != GS_OK))
        return rc;
    if ((rc = case_copy_text("id", id, out->external_id, sizeof out->external_id, err)) != GS_OK ||
        (rc = case_copy_text("subject.id", subject_id ? subject_id : id, out->label,
                             sizeof out->label, err)) != GS_OK)
        return rc;
    if (sex != NULL && case_sex_parse(sex, &out->sex, err) != GS_OK) {
        gs_err_clear(err);
        return gs_err_set(err, GS_EINVAL, "subject.sex: unknown sex '%.32s' (FEMALE, MALE, "
                          "OTHER_SEX, UNKNOWN_SEX)", sex);
    }
    if (features != NULL && (rc = read_features(features, out, err)) != GS_OK)
        return rc;
    if (interpretations != NULL && (rc = read_interpretations(interpretations, out, rep, err)) != GS_OK)
        return rc;
    size_t i;
    json_t *it;
    json_array_foreach(diseases, i, it) {
        char where[64], at[PATH_MAX_LEN];
        json_t *term;
        snprintf(where, sizeof where, "diseases[%zu]", i);
        if (!json_is_object(it))
            return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
        if ((rc = case_json_member(it, where, "term", JSON_OBJECT, true, &term, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%.180s.term", where);
        if ((rc = add_disease(term, at, out, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

/* ---- writing ---- */

static const char *sex_word(enum case_sex s)
{
    static const char *const words[] = {"UNKNOWN_SEX", "FEMALE", "MALE", "OTHER_SEX"};
    return (unsigned)s < 4 ? words[s] : "UNKNOWN_SEX";
}

static json_t *onset_json(const char *onset)
{
    if (strncmp(onset, "HP:", 3) == 0)
        return json_pack("{s:{s:s}}", "ontologyClass", "id", onset);
    return json_pack("{s:{s:s}}", "age", "iso8601duration", onset);
}

static json_t *gene_json(const struct store_case *c, const char *gene_id)
{
    const char *symbol = gene_id;
    for (int i = 0; i < c->ngenes; i++)
        if (strcmp(c->genes[i].gene_id, gene_id) == 0)
            symbol = c->genes[i].symbol;
    return json_pack("{s:s, s:s}", "valueId", gene_id, "symbol", symbol);
}

static json_t *resource(const char *id, const char *name, const char *url, const char *prefix,
                        const char *iri)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id", id, "name", name, "url", url,
                     "version", "unknown", "namespacePrefix", prefix, "iriPrefix", iri);
}

json_t *phenopacket_from_case(const struct store_case *c, time_t created)
{
    char id[STORE_TEXT_MAX + 32], when[21];
    if (c->external_id[0])
        snprintf(id, sizeof id, "%s", c->external_id);
    else
        snprintf(id, sizeof id, "genoshare-case-%lld", (long long)c->id);
    format_utc_time(created, when);
    json_t *features = json_array(), *gis = json_array(), *diseases = json_array();
    for (int i = 0; i < c->nfeatures; i++) {
        const struct store_case_feature *f = &c->features[i];
        char hp[HPO_ID_MAX + 4];
        snprintf(hp, sizeof hp, "HP:%07u", (unsigned)f->hpo);
        json_t *o = json_pack("{s:{s:s, s:s}}", "type", "id", hp, "label", f->label);
        if (f->excluded)
            json_object_set_new(o, "excluded", json_true());
        if (f->onset[0])
            json_object_set_new(o, "onset", onset_json(f->onset));
        json_array_append_new(features, o);
    }
    static const struct { const char *word, *geno; } zyg[] = {
        {"heterozygous", "GENO:0000135"}, {"homozygous", "GENO:0000136"},
        {"hemizygous", "GENO:0000134"}};
    for (int i = 0; i < c->nvariants; i++) {
        const struct store_case_variant *v = &c->variants[i];
        json_t *vd = json_pack("{s:s, s:{s:s, s:s, s:I, s:s, s:s}, s:s}", "id", "", "vcfRecord",
                               "genomeAssembly", v->assembly, "chrom", v->chrom, "pos",
                               (json_int_t)v->pos, "ref", v->ref, "alt", v->alt,
                               "moleculeContext", "genomic");
        char vid[64];
        snprintf(vid, sizeof vid, "variant-%d", i + 1);
        json_object_set_new(vd, "id", json_string(vid));
        if (v->gene_id[0])
            json_object_set_new(vd, "geneContext", gene_json(c, v->gene_id));
        for (size_t z = 0; z < sizeof zyg / sizeof zyg[0]; z++)
            if (strcmp(v->zygosity, zyg[z].word) == 0)
                json_object_set_new(vd, "allelicState", json_pack("{s:s, s:s}", "id", zyg[z].geno,
                                                                  "label", zyg[z].word));
        json_array_append_new(gis, json_pack("{s:s, s:s, s:{s:o}}", "subjectOrBiosampleId",
                                             c->label, "interpretationStatus", "CANDIDATE",
                                             "variantInterpretation", "variationDescriptor", vd));
    }
    for (int i = 0; i < c->ngenes; i++) { /* genes no variant names */
        bool with_variant = false;
        for (int j = 0; j < c->nvariants; j++)
            with_variant = with_variant || strcmp(c->variants[j].gene_id, c->genes[i].gene_id) == 0;
        if (!with_variant)
            json_array_append_new(gis, json_pack("{s:s, s:s, s:o}", "subjectOrBiosampleId",
                                                 c->label, "interpretationStatus", "CANDIDATE",
                                                 "gene", gene_json(c, c->genes[i].gene_id)));
    }
    for (int i = 0; i < c->ndiagnoses; i++)
        json_array_append_new(diseases, json_pack("{s:{s:s, s:s}}", "term", "id",
                                                  c->diagnoses[i].id, "label",
                                                  c->diagnoses[i].label));
    json_t *subject = json_pack("{s:s, s:s}", "id", c->label, "sex", sex_word(c->sex));
    json_t *resources = json_array();
    json_array_append_new(resources, resource("hp", "human phenotype ontology",
                                              "http://purl.obolibrary.org/obo/hp.owl", "HP",
                                              "http://purl.obolibrary.org/obo/HP_"));
    json_array_append_new(resources, resource("geno", "Genotype Ontology",
                                              "http://purl.obolibrary.org/obo/geno.owl", "GENO",
                                              "http://purl.obolibrary.org/obo/GENO_"));
    json_array_append_new(resources, resource("hgnc", "HUGO Gene Nomenclature Committee",
                                              "https://www.genenames.org", "HGNC",
                                              "https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/"));
    json_array_append_new(resources, resource("omim", "Online Mendelian Inheritance in Man",
                                              "https://www.omim.org", "OMIM",
                                              "https://www.omim.org/entry/"));
    json_t *doc = json_pack("{s:s, s:o, s:o, s:o, s:{s:s, s:s, s:o, s:s}}", "id", id, "subject",
                            subject, "phenotypicFeatures", features, "diseases", diseases,
                            "metaData", "created", when, "createdBy", "genoshare", "resources",
                            resources, "phenopacketSchemaVersion", "2.0");
    if (doc != NULL && json_array_size(gis) > 0) {
        json_t *dx = json_pack("{s:O}", "genomicInterpretations", gis);
        if (c->ndiagnoses > 0)
            json_object_set_new(dx, "disease", json_pack("{s:s, s:s}", "id", c->diagnoses[0].id,
                                                         "label", c->diagnoses[0].label));
        char iid[64];
        snprintf(iid, sizeof iid, "%s-interpretation", c->external_id[0] ? "case" : "genoshare");
        json_object_set_new(doc, "interpretations",
                            json_pack("[{s:s, s:s, s:o}]", "id", iid, "progressStatus",
                                      c->ndiagnoses > 0 ? "SOLVED" : "IN_PROGRESS", "diagnosis",
                                      dx));
    }
    json_decref(gis);
    return doc;
}
