/* mme_patient.c — Matchmaker Exchange patient ⇄ case (see mme_patient.h for the mapping and
 * the 0-based start / 1-based pos conversion). */
#include "match/mme_patient.h"

#include <stdio.h>
#include <string.h>

#define PATH_LEN 256

/* An HP id given as "HP:…" or {"id":"HP:…","label":…}. */
static int hpo_text(const json_t *v, const char *where, const char **out, struct gs_err *err)
{
    if (json_is_string(v)) {
        *out = json_string_value(v);
        return GS_OK;
    }
    if (json_is_object(v))
        return case_json_string(v, where, "id", true, out, err);
    return gs_err_set(err, GS_EINVAL, "%s must be an HP id or an {\"id\"} object", where);
}

static int read_features(const json_t *list, struct store_case *c, struct case_report *rep,
                         struct gs_err *err)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        char where[64], at[PATH_LEN];
        snprintf(where, sizeof where, "features[%zu]", i);
        if (!json_is_object(it))
            return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
        const char *id, *label, *onset = NULL;
        int rc;
        if ((rc = case_json_string(it, where, "id", true, &id, err)) != GS_OK ||
            (rc = case_json_string(it, where, "label", false, &label, err)) != GS_OK)
            return rc;
        struct store_case_feature f = {0};
        snprintf(f.where, sizeof f.where, "%s.id", where);
        if ((rc = case_parse_hpo(f.where, id, &f.hpo, err)) != GS_OK ||
            (rc = case_copy_text(f.where, label, f.label, sizeof f.label, err)) != GS_OK)
            return rc;
        json_t *obs = json_object_get(it, "observed");
        snprintf(at, sizeof at, "%s.observed", where);
        if (obs == NULL || json_is_true(obs) ||
            (json_is_string(obs) && strcmp(json_string_value(obs), "yes") == 0)) {
            f.excluded = false;
        } else if (json_is_false(obs) ||
                   (json_is_string(obs) && strcmp(json_string_value(obs), "no") == 0)) {
            f.excluded = true;
        } else if (json_is_string(obs) && strcmp(json_string_value(obs), "unknown") == 0) {
            case_note(rep, "%s: %s observed \"unknown\": not kept", where, id);
            continue;
        } else {
            return gs_err_set(err, GS_EINVAL, "%s must be \"yes\", \"no\", \"unknown\" or a "
                              "boolean", at);
        }
        json_t *age = json_object_get(it, "ageOfOnset");
        snprintf(at, sizeof at, "%s.ageOfOnset", where);
        if (age != NULL && !json_is_null(age) &&
            ((rc = hpo_text(age, at, &onset, err)) != GS_OK ||
             (rc = case_parse_onset(at, onset, f.onset, err)) != GS_OK))
            return rc;
        if ((rc = store_case_push_feature(c, &f, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

/* One genomicFeature: a gene, and optionally its variant. */
static int read_genomic(const json_t *gf, const char *where, struct store_case *c,
                        struct gs_err *err)
{
    json_t *gene, *var;
    char at[PATH_LEN];
    int rc;
    if (!json_is_object(gf))
        return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
    if ((rc = case_json_member(gf, where, "gene", JSON_OBJECT, false, &gene, err)) != GS_OK ||
        (rc = case_json_member(gf, where, "variant", JSON_OBJECT, false, &var, err)) != GS_OK)
        return rc;
    if (gene == NULL && var == NULL)
        return gs_err_set(err, GS_EINVAL, "%s has neither a gene nor a variant", where);
    char gene_id[CASE_ID_TEXT_MAX] = "";
    if (gene != NULL) {
        const char *id, *name;
        snprintf(at, sizeof at, "%s.gene", where);
        if ((rc = case_json_string(gene, at, "id", true, &id, err)) != GS_OK ||
            (rc = case_json_string(gene, at, "_geneName", false, &name, err)) != GS_OK)
            return rc;
        struct store_case_gene g = {0};
        snprintf(g.where, sizeof g.where, "%.150s", at);
        /* an id that is a symbol fills the symbol; an ENSG/HGNC/Entrez id keeps _geneName */
        bool is_symbol = strncmp(id, "ENSG", 4) != 0 && strncmp(id, "HGNC:", 5) != 0 &&
                         strspn(id, "0123456789") != strlen(id) && strncmp(id, "NCBIGene:", 9) != 0;
        if ((rc = case_copy_text(at, is_symbol ? NULL : id, g.gene_id, sizeof g.gene_id, err)) != GS_OK ||
            (rc = case_copy_text(at, is_symbol ? id : name, g.symbol, sizeof g.symbol, err)) != GS_OK)
            return rc;
        snprintf(gene_id, sizeof gene_id, "%s", g.gene_id[0] ? g.gene_id : g.symbol);
        bool dup = false;
        for (int i = 0; i < c->ngenes; i++)
            dup = dup || (strcmp(c->genes[i].gene_id, g.gene_id) == 0 &&
                          strcmp(c->genes[i].symbol, g.symbol) == 0);
        if (!dup && (rc = store_case_push_gene(c, &g, err)) != GS_OK)
            return rc;
    }
    struct store_case_variant v = {0};
    snprintf(v.gene_id, sizeof v.gene_id, "%s", gene_id);
    json_t *zyg = json_object_get(gf, "zygosity");
    if (zyg != NULL && !json_is_null(zyg)) {
        json_int_t z = json_is_integer(zyg) ? json_integer_value(zyg) : -1;
        if (z < 0 || z > 2)
            return gs_err_set(err, GS_EINVAL, "%s.zygosity must be 1 (heterozygous) or 2 "
                              "(homozygous)", where);
        snprintf(v.zygosity, sizeof v.zygosity, "%s", z == 1 ? "heterozygous"
                                                  : z == 2 ? "homozygous" : "");
    }
    if (var == NULL)
        return GS_OK;
    snprintf(at, sizeof at, "%.200s.variant", where);
    snprintf(v.where, sizeof v.where, "%.150s", at);
    const char *assembly, *chrom, *ref, *alt;
    json_t *start = json_object_get(var, "start"), *end = json_object_get(var, "end");
    if ((rc = case_json_string(var, at, "assembly", true, &assembly, err)) != GS_OK ||
        (rc = case_json_string(var, at, "referenceName", true, &chrom, err)) != GS_OK ||
        (rc = case_json_string(var, at, "referenceBases", false, &ref, err)) != GS_OK ||
        (rc = case_json_string(var, at, "alternateBases", false, &alt, err)) != GS_OK)
        return rc;
    if (ref == NULL && (rc = case_json_string(var, at, "referenceBase", false, &ref, err)) != GS_OK)
        return rc;
    if (alt == NULL && (rc = case_json_string(var, at, "alternativeBase", false, &alt, err)) != GS_OK)
        return rc;
    if (!json_is_integer(start) || json_integer_value(start) < 0)
        return gs_err_set(err, GS_EINVAL, "%s.start must be an integer of 0 or more (0-based)", at);
    v.pos = json_integer_value(start) + 1; /* MME start is 0-based, VCF pos 1-based */
    char sub[PATH_LEN + 16];
    snprintf(sub, sizeof sub, "%s.assembly", at);
    if ((rc = case_parse_assembly(sub, assembly, v.assembly, err)) != GS_OK)
        return rc;
    snprintf(sub, sizeof sub, "%s.referenceName", at);
    if ((rc = case_parse_chrom(sub, chrom, v.chrom, err)) != GS_OK)
        return rc;
    snprintf(sub, sizeof sub, "%s.referenceBases", at);
    if ((rc = case_parse_bases(sub, ref, true, v.ref, err)) != GS_OK)
        return rc;
    snprintf(sub, sizeof sub, "%s.alternateBases", at);
    if ((rc = case_parse_bases(sub, alt, true, v.alt, err)) != GS_OK)
        return rc;
    if (end != NULL && !json_is_null(end)) {
        /* end is exclusive: start + length of the reference allele */
        if (!json_is_integer(end) || json_integer_value(end) <= json_integer_value(start))
            return gs_err_set(err, GS_EINVAL, "%s.end must be an integer greater than start", at);
        if (v.ref[0] && json_integer_value(end) - json_integer_value(start) != (json_int_t)strlen(v.ref))
            return gs_err_set(err, GS_EINVAL, "%s: end - start (%lld) is not the length of "
                              "referenceBases (%zu): is start 0-based?", at,
                              (long long)(json_integer_value(end) - json_integer_value(start)),
                              strlen(v.ref));
    }
    return store_case_push_variant(c, &v, err);
}

int mme_patient_to_case(const json_t *doc, struct store_case *out, struct case_report *rep,
                        struct gs_err *err)
{
    json_t *patient = json_object_get(doc, "patient");
    const char *base = "patient";
    if (patient == NULL) {
        patient = (json_t *)doc;
        base = "";
    }
    if (!json_is_object(patient))
        return gs_err_set(err, GS_EINVAL, "%s must be a JSON object", base[0] ? base : "an MME patient");
    const char *id, *label, *sex, *gender;
    json_t *contact, *features, *genomic, *disorders;
    char at[PATH_LEN];
    int rc;
#define P(name) (snprintf(at, sizeof at, "%s%s%s", base, base[0] ? "." : "", name), at)
    if ((rc = case_json_string(patient, base, "id", true, &id, err)) != GS_OK ||
        (rc = case_json_string(patient, base, "label", false, &label, err)) != GS_OK ||
        (rc = case_json_string(patient, base, "sex", false, &sex, err)) != GS_OK ||
        (rc = case_json_string(patient, base, "gender", false, &gender, err)) != GS_OK ||
        (rc = case_json_member(patient, base, "contact", JSON_OBJECT, false, &contact, err)) != GS_OK ||
        (rc = case_json_member(patient, base, "features", JSON_ARRAY, false, &features, err)) != GS_OK ||
        (rc = case_json_member(patient, base, "genomicFeatures", JSON_ARRAY, false, &genomic,
                               err)) != GS_OK ||
        (rc = case_json_member(patient, base, "disorders", JSON_ARRAY, false, &disorders, err)) != GS_OK)
        return rc;
    if ((rc = case_copy_text(P("id"), id, out->external_id, sizeof out->external_id, err)) != GS_OK ||
        (rc = case_copy_text(P("label"), label ? label : id, out->label, sizeof out->label,
                             err)) != GS_OK)
        return rc;
    if ((sex || gender) && case_sex_parse(sex ? sex : gender, &out->sex, err) != GS_OK) {
        gs_err_clear(err);
        /* MIXED_SAMPLE and NOT_APPLICABLE say nothing a human case needs */
        if (strcmp(sex ? sex : gender, "MIXED_SAMPLE") != 0 &&
            strcmp(sex ? sex : gender, "NOT_APPLICABLE") != 0)
            return gs_err_set(err, GS_EINVAL, "%s: unknown sex '%.32s'", P(sex ? "sex" : "gender"),
                              sex ? sex : gender);
    }
    json_t *age = json_object_get(patient, "ageOfOnset");
    const char *onset;
    if (age != NULL && !json_is_null(age) &&
        ((rc = hpo_text(age, P("ageOfOnset"), &onset, err)) != GS_OK ||
         (rc = case_parse_onset(at, onset, out->onset, err)) != GS_OK))
        return rc;
    if (contact != NULL) {
        const char *keys[] = {"name", "email", "href"};
        char *dst[] = {out->contact_name, out->contact_email, out->contact_href};
        char cw[64];
        snprintf(cw, sizeof cw, "%s%scontact", base, base[0] ? "." : "");
        for (int i = 0; i < 3; i++) {
            const char *v;
            if ((rc = case_json_string(contact, cw, keys[i], false, &v, err)) != GS_OK ||
                (rc = case_copy_text(cw, v, dst[i], STORE_TEXT_MAX, err)) != GS_OK)
                return rc;
        }
    }
    struct case_report local = {0};
    if ((rc = read_features(features, out, rep ? rep : &local, err)) != GS_OK) {
        /* features[i] paths are relative to the patient: say so once, here */
        if (base[0]) {
            char msg[GS_ERR_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", err->msg);
            gs_err_clear(err);
            gs_err_set(err, rc, "patient.%s", msg);
        }
        return rc;
    }
    size_t i;
    json_t *it;
    json_array_foreach(genomic, i, it) {
        char where[64];
        snprintf(where, sizeof where, "%s%sgenomicFeatures[%zu]", base, base[0] ? "." : "", i);
        if ((rc = read_genomic(it, where, out, err)) != GS_OK)
            return rc;
    }
    json_array_foreach(disorders, i, it) {
        char where[64], idw[80];
        snprintf(where, sizeof where, "%s%sdisorders[%zu]", base, base[0] ? "." : "", i);
        snprintf(idw, sizeof idw, "%s.id", where);
        const char *did, *dlabel;
        if (!json_is_object(it))
            return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
        struct store_case_diagnosis d = {0};
        if ((rc = case_json_string(it, where, "id", true, &did, err)) != GS_OK ||
            (rc = case_json_string(it, where, "label", false, &dlabel, err)) != GS_OK ||
            (rc = case_parse_disease(idw, did, d.id, err)) != GS_OK ||
            (rc = case_copy_text(idw, dlabel, d.label, sizeof d.label, err)) != GS_OK)
            return rc;
        snprintf(d.where, sizeof d.where, "%s", idw);
        if ((rc = store_case_push_diagnosis(out, &d, err)) != GS_OK)
            return rc;
    }
#undef P
    return GS_OK;
}

/* ---- writing ---- */

static json_t *variant_json(const struct store_case_variant *v)
{
    json_t *o = json_pack("{s:s, s:s, s:I}", "assembly", v->assembly, "referenceName", v->chrom,
                          "start", (json_int_t)(v->pos - 1));
    if (v->ref[0]) {
        json_object_set_new(o, "end", json_integer((json_int_t)(v->pos - 1 + (int64_t)strlen(v->ref))));
        json_object_set_new(o, "referenceBases", json_string(v->ref));
    }
    if (v->alt[0])
        json_object_set_new(o, "alternateBases", json_string(v->alt));
    return o;
}

static json_t *gene_json(const struct store_case *c, const char *gene_id)
{
    json_t *g = json_pack("{s:s}", "id", gene_id);
    for (int i = 0; i < c->ngenes; i++)
        if (strcmp(c->genes[i].gene_id, gene_id) == 0 && strcmp(c->genes[i].symbol, gene_id) != 0)
            json_object_set_new(g, "_geneName", json_string(c->genes[i].symbol));
    return g;
}

json_t *mme_patient_from_case(const struct store_case *c, const char *institution)
{
    static const char *const sexes[] = {NULL, "FEMALE", "MALE", "OTHER"};
    char id[STORE_TEXT_MAX + 32];
    if (c->external_id[0])
        snprintf(id, sizeof id, "%s", c->external_id);
    else
        snprintf(id, sizeof id, "genoshare-case-%lld", (long long)c->id);
    json_t *contact = json_pack("{s:s, s:s}", "name", c->contact_name, "href", c->contact_href);
    if (c->contact_email[0])
        json_object_set_new(contact, "email", json_string(c->contact_email));
    if (institution != NULL)
        json_object_set_new(contact, "institution", json_string(institution));
    json_t *features = json_array(), *genomic = json_array(), *disorders = json_array();
    for (int i = 0; i < c->nfeatures; i++) {
        char hp[HPO_ID_MAX + 4];
        snprintf(hp, sizeof hp, "HP:%07u", (unsigned)c->features[i].hpo);
        json_t *f = json_pack("{s:s, s:s}", "id", hp, "observed",
                              c->features[i].excluded ? "no" : "yes");
        if (c->features[i].label[0])
            json_object_set_new(f, "label", json_string(c->features[i].label));
        if (strncmp(c->features[i].onset, "HP:", 3) == 0) /* MME onsets are HP terms only */
            json_object_set_new(f, "ageOfOnset", json_string(c->features[i].onset));
        json_array_append_new(features, f);
    }
    for (int i = 0; i < c->nvariants; i++) {
        const struct store_case_variant *v = &c->variants[i];
        json_t *gf = json_pack("{s:o}", "variant", variant_json(v));
        if (v->gene_id[0])
            json_object_set_new(gf, "gene", gene_json(c, v->gene_id));
        if (v->zygosity[0])
            json_object_set_new(gf, "zygosity",
                                json_integer(strcmp(v->zygosity, "homozygous") == 0 ? 2 : 1));
        json_array_append_new(genomic, gf);
    }
    for (int i = 0; i < c->ngenes; i++) {
        bool with_variant = false;
        for (int j = 0; j < c->nvariants; j++)
            with_variant = with_variant || strcmp(c->variants[j].gene_id, c->genes[i].gene_id) == 0;
        if (!with_variant)
            json_array_append_new(genomic, json_pack("{s:o}", "gene",
                                                     gene_json(c, c->genes[i].gene_id)));
    }
    for (int i = 0; i < c->ndiagnoses; i++) {
        const char *d = c->diagnoses[i].id;
        char mid[CASE_ID_TEXT_MAX + 8];
        if (strncmp(d, "OMIM:", 5) == 0)
            snprintf(mid, sizeof mid, "MIM:%s", d + 5);
        else if (strncmp(d, "ORPHA:", 6) == 0)
            snprintf(mid, sizeof mid, "Orphanet:%s", d + 6);
        else
            snprintf(mid, sizeof mid, "%s", d);
        json_t *o = json_pack("{s:s}", "id", mid);
        if (c->diagnoses[i].label[0])
            json_object_set_new(o, "label", json_string(c->diagnoses[i].label));
        json_array_append_new(disorders, o);
    }
    json_t *p = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o}", "id", id, "label", c->label,
                          "contact", contact, "species", "NCBITaxon:9606", "features", features,
                          "genomicFeatures", genomic, "disorders", disorders);
    if (p != NULL && sexes[c->sex] != NULL)
        json_object_set_new(p, "sex", json_string(sexes[c->sex]));
    if (p != NULL && strncmp(c->onset, "HP:", 3) == 0)
        json_object_set_new(p, "ageOfOnset", json_string(c->onset));
    return p;
}
