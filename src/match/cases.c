/* cases.c — matchmaking cases: field checks shared by the formats, genoshare's own case JSON,
 * and the validated, versioned, audited writes and access-checked reads. Decisions are in
 * cases.h. */
#include "match/cases.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "core/parse.h"
#include "match/mme_patient.h"
#include "match/phenopacket.h"
#include "pheno/hpo_store.h"
#include "registry/registry.h"

void case_note(struct case_report *r, const char *fmt, ...)
{
    if (r == NULL)
        return;
    if (r->nnotes < CASE_NOTES_MAX) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->notes[r->nnotes], sizeof r->notes[0], fmt, ap);
        va_end(ap);
    }
    r->nnotes++;
}

/* ---- field checks ---- */

int case_json_string(const json_t *obj, const char *where, const char *key, bool required,
                     const char **out, struct gs_err *err)
{
    json_t *v = json_object_get(obj, key);
    if (v == NULL || json_is_null(v)) {
        if (required)
            return gs_err_set(err, GS_EINVAL, "%s%s%s is required", where, where[0] ? "." : "", key);
        *out = NULL;
        return GS_OK;
    }
    if (!json_is_string(v))
        return gs_err_set(err, GS_EINVAL, "%s%s%s must be a string", where, where[0] ? "." : "",
                          key);
    *out = json_string_value(v);
    return GS_OK;
}

int case_json_member(const json_t *obj, const char *where, const char *key, json_type type,
                     bool required, json_t **out, struct gs_err *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL || json_is_null(v)) {
        if (required)
            return gs_err_set(err, GS_EINVAL, "%s%s%s is required", where, where[0] ? "." : "", key);
        return GS_OK;
    }
    if (json_typeof(v) != type)
        return gs_err_set(err, GS_EINVAL, "%s%s%s must be %s", where, where[0] ? "." : "", key,
                          type == JSON_ARRAY ? "an array" : "an object");
    *out = v;
    return GS_OK;
}

int case_copy_text(const char *where, const char *text, char *out, size_t size,
                   struct gs_err *err)
{
    if (text == NULL)
        text = "";
    int rc = parse_check_line(where, text, false, size, err);
    if (rc != GS_OK)
        return rc;
    snprintf(out, size, "%s", text);
    return GS_OK;
}

int case_parse_hpo(const char *where, const char *text, uint32_t *out, struct gs_err *err)
{
    if (text == NULL || strncmp(text, "HP:", 3) != 0 || strlen(text) != 10 ||
        strspn(text + 3, "0123456789") != 7 || !hpo_id_parse(text, out) || *out == 0)
        return gs_err_set(err, GS_EINVAL, "%s: '%.40s' is not an HPO id (HP:nnnnnnn)", where,
                          text ? text : "");
    return GS_OK;
}

int case_parse_onset(const char *where, const char *text, char out[CASE_ID_TEXT_MAX],
                     struct gs_err *err)
{
    uint32_t n;
    if (text != NULL && strncmp(text, "HP:", 3) == 0) {
        if (case_parse_hpo(where, text, &n, err) != GS_OK)
            return GS_EINVAL;
        snprintf(out, CASE_ID_TEXT_MAX, "HP:%07u", (unsigned)n);
        return GS_OK;
    }
    /* ISO 8601 duration: P, then number+unit pairs, T before hours/minutes/seconds. */
    bool ok = text != NULL && text[0] == 'P' && text[1] != '\0' && strlen(text) < CASE_ID_TEXT_MAX;
    bool digits = false, time_part = false;
    for (const char *p = ok ? text + 1 : ""; ok && *p; p++) {
        if (isdigit((unsigned char)*p) || *p == '.')
            digits = true;
        else if (*p == 'T' && !time_part && !digits)
            time_part = true;
        else if (digits && strchr(time_part ? "HMS" : "YMWD", *p) != NULL)
            digits = false;
        else
            ok = false;
    }
    if (!ok || digits)
        return gs_err_set(err, GS_EINVAL, "%s: '%.40s' is neither an HPO onset id nor an ISO "
                          "8601 age such as P4Y6M", where, text ? text : "");
    snprintf(out, CASE_ID_TEXT_MAX, "%s", text);
    return GS_OK;
}

int case_parse_assembly(const char *where, const char *text, char out[16], struct gs_err *err)
{
    static const struct { const char *prefix, *name; } names[] = {
        {"GRCh38", "GRCh38"}, {"hg38", "GRCh38"}, {"GRCh37", "GRCh37"}, {"hg19", "GRCh37"},
        {"NCBI36", "NCBI36"}, {"hg18", "NCBI36"},
    };
    for (size_t i = 0; text != NULL && i < sizeof names / sizeof names[0]; i++) {
        size_t n = strlen(names[i].prefix);
        /* a patch suffix ".p13" is the same coordinates */
        if (strncasecmp(text, names[i].prefix, n) == 0 && (text[n] == '\0' || text[n] == '.')) {
            snprintf(out, 16, "%s", names[i].name);
            return GS_OK;
        }
    }
    return gs_err_set(err, GS_EINVAL, "%s: unknown assembly '%.40s' (GRCh38, GRCh37 or NCBI36)",
                      where, text ? text : "");
}

int case_parse_chrom(const char *where, const char *text, char out[8], struct gs_err *err)
{
    const char *c = text ? text : "";
    if (strncasecmp(c, "chr", 3) == 0)
        c += 3;
    char up[8] = "";
    for (size_t i = 0; c[i] && i < sizeof up - 1; i++)
        up[i] = (char)toupper((unsigned char)c[i]);
    int64_t n;
    struct gs_err ignored = {0};
    if (strlen(c) < sizeof up && (strcmp(up, "X") == 0 || strcmp(up, "Y") == 0)) {
        snprintf(out, 8, "%s", up);
        return GS_OK;
    }
    if (strcmp(up, "M") == 0 || strcmp(up, "MT") == 0) {
        snprintf(out, 8, "MT");
        return GS_OK;
    }
    if (c[0] != '0' && parse_int64(c, 1, 22, &n, &ignored) == GS_OK) {
        snprintf(out, 8, "%d", (int)n);
        return GS_OK;
    }
    return gs_err_set(err, GS_EINVAL, "%s: '%.20s' is not a chromosome (1-22, X, Y, MT; "
                      "\"chr\" optional)", where, text ? text : "");
}

int case_parse_bases(const char *where, const char *text, bool allow_empty,
                     char out[CASE_BASES_MAX], struct gs_err *err)
{
    if ((text == NULL || text[0] == '\0') && allow_empty) {
        out[0] = '\0';
        return GS_OK;
    }
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n >= CASE_BASES_MAX)
        return gs_err_set(err, GS_EINVAL, "%s: %s", where, n ? "longer than 255 bases"
                                                             : "bases are required");
    for (size_t i = 0; i < n; i++) {
        char b = (char)toupper((unsigned char)text[i]);
        if (strchr("ACGTN", b) == NULL || b == '\0')
            return gs_err_set(err, GS_EINVAL, "%s: '%.40s' is not a sequence of A, C, G, T, N",
                              where, text);
        out[i] = b;
    }
    out[n] = '\0';
    return GS_OK;
}

int case_parse_disease(const char *where, const char *text, char out[CASE_ID_TEXT_MAX],
                       struct gs_err *err)
{
    static const struct { const char *given, *prefix; size_t digits_min, digits_max; } forms[] = {
        {"OMIM:", "OMIM:", 6, 6}, {"MIM:", "OMIM:", 6, 6}, {"ORPHA:", "ORPHA:", 1, 7},
        {"Orphanet:", "ORPHA:", 1, 7}, {"ORPHANET:", "ORPHA:", 1, 7}, {"MONDO:", "MONDO:", 7, 7},
    };
    for (size_t i = 0; text != NULL && i < sizeof forms / sizeof forms[0]; i++) {
        size_t n = strlen(forms[i].given);
        if (strncmp(text, forms[i].given, n) != 0)
            continue;
        const char *d = text + n;
        size_t len = strlen(d);
        if (len >= forms[i].digits_min && len <= forms[i].digits_max &&
            strspn(d, "0123456789") == len) {
            snprintf(out, CASE_ID_TEXT_MAX, "%s%s", forms[i].prefix, d);
            return GS_OK;
        }
    }
    return gs_err_set(err, GS_EINVAL, "%s: '%.40s' is not an OMIM:, ORPHA: or MONDO: disease id",
                      where, text ? text : "");
}

int case_parse_zygosity(const char *where, const char *text, char out[16], struct gs_err *err)
{
    static const struct { const char *word, *geno; } forms[] = {
        {"heterozygous", "GENO:0000135"}, {"homozygous", "GENO:0000136"},
        {"hemizygous", "GENO:0000134"},
    };
    if (text == NULL || text[0] == '\0' || strcasecmp(text, "unknown") == 0) {
        out[0] = '\0';
        return GS_OK;
    }
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (strcasecmp(text, forms[i].word) == 0 || strcmp(text, forms[i].geno) == 0) {
            snprintf(out, 16, "%s", forms[i].word);
            return GS_OK;
        }
    return gs_err_set(err, GS_EINVAL, "%s: unknown zygosity '%.40s' (heterozygous, homozygous, "
                      "hemizygous, or a GENO id)", where, text);
}

/* ---- genoshare's own case JSON ---- */

static int own_features(json_t *list, struct store_case *c, struct gs_err *err)
{
    size_t i;
    json_t *it;
    c->nfeatures = 0;
    json_array_foreach(list, i, it) {
        char where[64], at[CASE_WHERE_MAX];
        snprintf(where, sizeof where, "features[%zu]", i);
        if (!json_is_object(it))
            return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
        struct store_case_feature f = {0};
        const char *id, *onset, *label;
        json_t *ex = json_object_get(it, "excluded"), *obs = json_object_get(it, "observed");
        int rc;
        if ((rc = case_json_string(it, where, "id", true, &id, err)) != GS_OK ||
            (rc = case_json_string(it, where, "onset", false, &onset, err)) != GS_OK ||
            (rc = case_json_string(it, where, "label", false, &label, err)) != GS_OK)
            return rc;
        if ((ex != NULL && !json_is_boolean(ex)) || (obs != NULL && !json_is_boolean(obs)))
            return gs_err_set(err, GS_EINVAL, "%s.%s must be true or false", where,
                              ex != NULL && !json_is_boolean(ex) ? "excluded" : "observed");
        f.excluded = (ex != NULL && json_is_true(ex)) || (obs != NULL && json_is_false(obs));
        snprintf(at, sizeof at, "%s.id", where);
        if ((rc = case_parse_hpo(at, id, &f.hpo, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%s.onset", where);
        if (onset != NULL && (rc = case_parse_onset(at, onset, f.onset, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%s.label", where);
        if ((rc = case_copy_text(at, label, f.label, sizeof f.label, err)) != GS_OK)
            return rc;
        snprintf(f.where, sizeof f.where, "%s.id", where);
        if ((rc = store_case_push_feature(c, &f, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

static int own_genes(json_t *list, struct store_case *c, struct gs_err *err)
{
    size_t i;
    json_t *it;
    c->ngenes = 0;
    json_array_foreach(list, i, it) {
        char where[64];
        snprintf(where, sizeof where, "genes[%zu]", i);
        struct store_case_gene g = {0};
        const char *id = NULL, *symbol = NULL;
        int rc;
        if (json_is_string(it)) /* "FBN1" for short */
            symbol = json_string_value(it);
        else if (!json_is_object(it))
            return gs_err_set(err, GS_EINVAL, "%s must be an object or a gene symbol", where);
        else if ((rc = case_json_string(it, where, "id", false, &id, err)) != GS_OK ||
                 (rc = case_json_string(it, where, "symbol", false, &symbol, err)) != GS_OK)
            return rc;
        if (id == NULL && symbol == NULL)
            return gs_err_set(err, GS_EINVAL, "%s needs an id or a symbol", where);
        if ((rc = case_copy_text(where, id, g.gene_id, sizeof g.gene_id, err)) != GS_OK ||
            (rc = case_copy_text(where, symbol, g.symbol, sizeof g.symbol, err)) != GS_OK)
            return rc;
        snprintf(g.where, sizeof g.where, "%s", where);
        if ((rc = store_case_push_gene(c, &g, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

static int own_variants(json_t *list, struct store_case *c, struct gs_err *err)
{
    size_t i;
    json_t *it;
    c->nvariants = 0;
    json_array_foreach(list, i, it) {
        char where[64], at[CASE_WHERE_MAX];
        snprintf(where, sizeof where, "variants[%zu]", i);
        if (!json_is_object(it))
            return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
        struct store_case_variant v = {0};
        const char *assembly, *chrom, *ref, *alt, *zyg, *gene;
        json_t *pos = json_object_get(it, "pos");
        int rc;
        if ((rc = case_json_string(it, where, "assembly", true, &assembly, err)) != GS_OK ||
            (rc = case_json_string(it, where, "chrom", true, &chrom, err)) != GS_OK ||
            (rc = case_json_string(it, where, "ref", false, &ref, err)) != GS_OK ||
            (rc = case_json_string(it, where, "alt", false, &alt, err)) != GS_OK ||
            (rc = case_json_string(it, where, "zygosity", false, &zyg, err)) != GS_OK ||
            (rc = case_json_string(it, where, "gene", false, &gene, err)) != GS_OK)
            return rc;
        if (!json_is_integer(pos) || json_integer_value(pos) < 1)
            return gs_err_set(err, GS_EINVAL, "%s.pos must be a positive integer (1-based)", where);
        v.pos = json_integer_value(pos);
        snprintf(at, sizeof at, "%s.assembly", where);
        if ((rc = case_parse_assembly(at, assembly, v.assembly, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%s.chrom", where);
        if ((rc = case_parse_chrom(at, chrom, v.chrom, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%s.ref", where);
        if ((rc = case_parse_bases(at, ref, true, v.ref, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%s.alt", where);
        if ((rc = case_parse_bases(at, alt, true, v.alt, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%s.zygosity", where);
        if ((rc = case_parse_zygosity(at, zyg, v.zygosity, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%s.gene", where);
        if ((rc = case_copy_text(at, gene, v.gene_id, sizeof v.gene_id, err)) != GS_OK)
            return rc;
        snprintf(v.where, sizeof v.where, "%s", where);
        if ((rc = store_case_push_variant(c, &v, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

static int own_diagnoses(json_t *list, struct store_case *c, struct gs_err *err)
{
    size_t i;
    json_t *it;
    c->ndiagnoses = 0;
    json_array_foreach(list, i, it) {
        char where[64], at[CASE_WHERE_MAX];
        snprintf(where, sizeof where, "diagnoses[%zu]", i);
        if (!json_is_object(it))
            return gs_err_set(err, GS_EINVAL, "%s must be an object", where);
        struct store_case_diagnosis d = {0};
        const char *id, *label;
        int rc;
        if ((rc = case_json_string(it, where, "id", true, &id, err)) != GS_OK ||
            (rc = case_json_string(it, where, "label", false, &label, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%s.id", where);
        if ((rc = case_parse_disease(at, id, d.id, err)) != GS_OK)
            return rc;
        snprintf(at, sizeof at, "%s.label", where);
        if ((rc = case_copy_text(at, label, d.label, sizeof d.label, err)) != GS_OK)
            return rc;
        snprintf(d.where, sizeof d.where, "%s", at);
        if ((rc = store_case_push_diagnosis(c, &d, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

int case_from_json(const json_t *doc, struct store_case *out, struct gs_err *err)
{
    if (!json_is_object(doc))
        return gs_err_set(err, GS_EINVAL, "a case must be a JSON object");
    const char *label, *ext, *sex, *onset;
    json_t *contact, *list;
    int rc;
    if ((rc = case_json_string(doc, "", "label", false, &label, err)) != GS_OK ||
        (rc = case_json_string(doc, "", "external_id", false, &ext, err)) != GS_OK ||
        (rc = case_json_string(doc, "", "sex", false, &sex, err)) != GS_OK ||
        (rc = case_json_string(doc, "", "onset", false, &onset, err)) != GS_OK ||
        (rc = case_json_member(doc, "", "contact", JSON_OBJECT, false, &contact, err)) != GS_OK)
        return rc;
    if (label != NULL && (rc = case_copy_text("label", label, out->label, sizeof out->label,
                                               err)) != GS_OK)
        return rc;
    if (ext != NULL && (rc = case_copy_text("external_id", ext, out->external_id,
                                             sizeof out->external_id, err)) != GS_OK)
        return rc;
    if (sex != NULL && (rc = case_sex_parse(sex, &out->sex, err)) != GS_OK)
        return rc;
    if (onset != NULL && onset[0] == '\0')
        out->onset[0] = '\0';
    else if (onset != NULL && (rc = case_parse_onset("onset", onset, out->onset, err)) != GS_OK)
        return rc;
    if (contact != NULL) {
        const char *keys[] = {"name", "email", "href"};
        char *dst[] = {out->contact_name, out->contact_email, out->contact_href};
        for (int i = 0; i < 3; i++) {
            const char *v;
            char at[32];
            snprintf(at, sizeof at, "contact.%s", keys[i]);
            if ((rc = case_json_string(contact, "contact", keys[i], false, &v, err)) != GS_OK ||
                (v != NULL && (rc = case_copy_text(at, v, dst[i], STORE_TEXT_MAX, err)) != GS_OK))
                return rc;
        }
    }
    static const char *const lists[] = {"features", "genes", "variants", "diagnoses"};
    int (*const readers[])(json_t *, struct store_case *, struct gs_err *) = {
        own_features, own_genes, own_variants, own_diagnoses};
    for (int i = 0; i < 4; i++) {
        if ((rc = case_json_member(doc, "", lists[i], JSON_ARRAY, false, &list, err)) != GS_OK ||
            (list != NULL && (rc = readers[i](list, out, err)) != GS_OK))
            return rc;
    }
    return GS_OK;
}

/* The case's content: what a version keeps and what the API shows. */
json_t *case_to_json(struct store *s, const struct store_case *c, struct gs_err *err)
{
    struct store_dataset d;
    struct store_institution inst;
    if (store_dataset_get(s, c->dataset_id, &d, err) != GS_OK ||
        store_institution_get(s, c->institution_id, &inst, err) != GS_OK)
        return NULL;
    json_t *features = json_array(), *genes = json_array(), *variants = json_array(),
           *diagnoses = json_array();
    for (int i = 0; i < c->nfeatures; i++) {
        const struct store_case_feature *f = &c->features[i];
        char id[HPO_ID_MAX + 4];
        snprintf(id, sizeof id, "HP:%07u", (unsigned)f->hpo);
        json_t *o = json_pack("{s:s, s:b}", "id", id, "excluded", f->excluded);
        if (f->onset[0])
            json_object_set_new(o, "onset", json_string(f->onset));
        if (f->label[0])
            json_object_set_new(o, "label", json_string(f->label));
        json_array_append_new(features, o);
    }
    for (int i = 0; i < c->ngenes; i++)
        json_array_append_new(genes, json_pack("{s:s, s:s}", "id", c->genes[i].gene_id, "symbol",
                                               c->genes[i].symbol));
    for (int i = 0; i < c->nvariants; i++) {
        const struct store_case_variant *v = &c->variants[i];
        json_t *o = json_pack("{s:s, s:s, s:I, s:s, s:s}", "assembly", v->assembly, "chrom",
                              v->chrom, "pos", (json_int_t)v->pos, "ref", v->ref, "alt", v->alt);
        if (v->zygosity[0])
            json_object_set_new(o, "zygosity", json_string(v->zygosity));
        if (v->gene_id[0])
            json_object_set_new(o, "gene", json_string(v->gene_id));
        json_array_append_new(variants, o);
    }
    for (int i = 0; i < c->ndiagnoses; i++)
        json_array_append_new(diagnoses, json_pack("{s:s, s:s}", "id", c->diagnoses[i].id,
                                                   "label", c->diagnoses[i].label));
    char created[21], updated[21];
    format_utc_time(c->created_at, created);
    format_utc_time(c->updated_at, updated);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:s, s:s,"
                          " s:i, s:s, s:s, s:o, s:o, s:o, s:o}",
                          "id", (json_int_t)c->id, "dataset", d.name, "institution", inst.name,
                          "scope", scope_name(c->scope), "label", c->label, "external_id",
                          c->external_id, "contact", "name", c->contact_name, "email",
                          c->contact_email, "href", c->contact_href, "sex", case_sex_name(c->sex),
                          "onset", c->onset, "state", case_state_name(c->state), "version",
                          c->version, "created_at", created, "updated_at", updated, "features",
                          features, "genes", genes, "variants", variants, "diagnoses", diagnoses);
    if (o == NULL)
        gs_err_set(err, GS_ENOMEM, "case %lld: out of memory", (long long)c->id);
    return o;
}

/* ---- the three formats ---- */

int case_format_parse(const char *text, enum case_format *out, struct gs_err *err)
{
    static const char *const names[] = {"json", "phenopacket", "mme"};
    for (int i = 0; i < 3; i++)
        if (text == NULL || strcmp(text, names[i]) == 0) {
            *out = text == NULL ? CASE_FORMAT_JSON : (enum case_format)i;
            return GS_OK;
        }
    return gs_err_set(err, GS_EINVAL, "unknown format '%.32s' (json, phenopacket or mme)", text);
}

int case_from_format(const json_t *doc, enum case_format f, struct store_case *out,
                     struct case_report *rep, struct gs_err *err)
{
    if (f == CASE_FORMAT_PHENOPACKET)
        return phenopacket_to_case(doc, out, rep, err);
    if (f == CASE_FORMAT_MME)
        return mme_patient_to_case(doc, out, rep, err);
    return case_from_json(doc, out, err);
}

json_t *case_to_format(struct store *s, const struct store_case *c, enum case_format f,
                       time_t now, struct gs_err *err)
{
    json_t *o = NULL;
    struct store_institution inst;
    if (f == CASE_FORMAT_JSON)
        return case_to_json(s, c, err);
    if (f == CASE_FORMAT_PHENOPACKET)
        o = phenopacket_from_case(c, now);
    else if (store_institution_get(s, c->institution_id, &inst, err) != GS_OK)
        return NULL;
    else
        o = mme_patient_from_case(c, inst.display_name);
    if (o == NULL)
        gs_err_set(err, GS_ENOMEM, "case %lld: out of memory", (long long)c->id);
    return o;
}

/* ---- preparing a case: HPO, genes, duplicates ---- */

int cases_hpo_load(struct store *s, struct hpo **out, struct gs_err *err)
{
    struct gs_err inner = {0};
    *out = NULL;
    int rc = hpo_from_store(s, out, &inner);
    if (rc == GS_ENOTFOUND)
        return GS_OK;
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    return GS_OK;
}

/* Resolves one HPO number against the release; the error names where. */
static int resolve_hpo(const struct hpo *h, const char *where, uint32_t *number, char *label,
                       size_t label_size, struct case_report *rep, struct gs_err *err)
{
    char id[HPO_ID_MAX + 4];
    snprintf(id, sizeof id, "HP:%07u", (unsigned)*number);
    int t;
    enum hpo_resolution how;
    struct gs_err inner = {0};
    if (hpo_term_lookup(h, id, &t, &how, &inner) != GS_OK)
        return gs_err_set(err, GS_EINVAL, "%s: %s is not a term of HPO release %s", where, id,
                          hpo_version(h));
    if (how == HPO_RESOLVED_OBSOLETE)
        return gs_err_set(err, GS_EINVAL, "%s: %s is obsolete in HPO release %s and has no "
                          "replacement", where, id, hpo_version(h));
    if (how != HPO_RESOLVED_PRIMARY)
        case_note(rep, "%s: %s is %s, used as %s", where, id,
                  how == HPO_RESOLVED_ALT_ID ? "an alternative id" : "obsolete (replaced)",
                  hpo_term_id(h, t));
    *number = hpo_term_number(h, t);
    if (label != NULL)
        snprintf(label, label_size, "%s", hpo_term_label(h, t, HPO_LANG_EN));
    return GS_OK;
}

static int prepare_onset(const struct hpo *h, const char *where, char *onset,
                         struct case_report *rep, struct gs_err *err)
{
    uint32_t n;
    if (h == NULL || strncmp(onset, "HP:", 3) != 0 || !hpo_id_parse(onset, &n))
        return GS_OK;
    int rc = resolve_hpo(h, where, &n, NULL, 0, rep, err);
    if (rc == GS_OK)
        snprintf(onset, CASE_ID_TEXT_MAX, "HP:%07u", (unsigned)n);
    return rc;
}

/* A gene given by id or symbol → canonical id through the gene table (when loaded). */
static int prepare_gene(struct store *s, bool have_table, const char *where, char *gene_id,
                        char *symbol, struct case_report *rep, struct gs_err *err)
{
    const char *key = gene_id[0] ? gene_id : symbol;
    if (!have_table) {
        if (gene_id[0] == '\0')
            snprintf(gene_id, CASE_ID_TEXT_MAX, "%s", symbol);
        return GS_OK;
    }
    struct store_gene g;
    int rc = store_gene_lookup(s, key, &g, err);
    if (rc == GS_ENOTFOUND && gene_id[0] && symbol[0])
        rc = store_gene_lookup(s, symbol, &g, err); /* an id the table lacks, a known symbol */
    if (rc == GS_ENOTFOUND)
        return gs_err_set(err, GS_EINVAL, "%s: unknown gene '%.40s' (not in the gene table)",
                          where, key);
    if (rc != GS_OK)
        return rc;
    if (strcmp(g.gene_id, key) != 0 && symbol[0] && strcasecmp(g.symbol, symbol) != 0)
        case_note(rep, "%s: '%s' is %s (%s)", where, symbol, g.gene_id, g.symbol);
    snprintf(gene_id, CASE_ID_TEXT_MAX, "%s", g.gene_id);
    if (symbol[0] == '\0')
        snprintf(symbol, CASE_ID_TEXT_MAX, "%s", g.symbol);
    return GS_OK;
}

int cases_prepare(struct store *s, const struct hpo *h, struct store_case *c,
                  struct case_report *rep, struct gs_err *err)
{
    int rc;
    if (c->label[0] == '\0')
        snprintf(c->label, sizeof c->label, "%s", c->external_id);
    if ((rc = parse_check_line("case label", c->label, true, sizeof c->label, err)) != GS_OK)
        return rc;
    if (c->nfeatures + c->ngenes + c->nvariants == 0)
        return gs_err_set(err, GS_EINVAL, "case '%.64s' has no phenotypic feature, gene or "
                          "variant to match on", c->label);
    if (h == NULL && (c->nfeatures > 0 || c->onset[0]))
        case_note(rep, "no HPO release loaded: HPO ids were not checked");
    if (h != NULL && (rc = prepare_onset(h, "onset", c->onset, rep, err)) != GS_OK)
        return rc;
    int kept = 0;
    for (int i = 0; i < c->nfeatures; i++) {
        struct store_case_feature *f = &c->features[i];
        char where[CASE_WHERE_MAX];
        snprintf(where, sizeof where, "%s", f->where[0] ? f->where : "features");
        if (h != NULL && ((rc = resolve_hpo(h, where, &f->hpo, f->label, sizeof f->label, rep,
                                            err)) != GS_OK ||
                          (rc = prepare_onset(h, where, f->onset, rep, err)) != GS_OK))
            return rc;
        int dup = -1;
        for (int j = 0; j < kept; j++)
            if (c->features[j].hpo == f->hpo)
                dup = j;
        if (dup >= 0 && c->features[dup].excluded != f->excluded)
            return gs_err_set(err, GS_EINVAL, "%s: HP:%07u is both observed and excluded", where,
                              (unsigned)f->hpo);
        if (dup >= 0) {
            case_note(rep, "%s: HP:%07u is listed twice, kept once", where, (unsigned)f->hpo);
            continue;
        }
        c->features[kept++] = *f;
    }
    c->nfeatures = kept;
    int64_t ngenes_table = 0;
    if ((rc = store_gene_count(s, &ngenes_table, err)) != GS_OK)
        return rc;
    bool have_table = ngenes_table > 0;
    if (!have_table && (c->ngenes > 0 || c->nvariants > 0))
        case_note(rep, "no gene table loaded: genes kept as given, not normalised "
                  "(genoshare case genes load FILE)");
    kept = 0;
    for (int i = 0; i < c->ngenes; i++) {
        struct store_case_gene *g = &c->genes[i];
        const char *where = g->where[0] ? g->where : "genes";
        if ((rc = prepare_gene(s, have_table, where, g->gene_id, g->symbol, rep, err)) != GS_OK)
            return rc;
        bool dup = false;
        for (int j = 0; j < kept; j++)
            dup = dup || strcmp(c->genes[j].gene_id, g->gene_id) == 0;
        if (!dup)
            c->genes[kept++] = *g;
    }
    c->ngenes = kept;
    for (int i = 0; i < c->nvariants; i++) {
        struct store_case_variant *v = &c->variants[i];
        char symbol[CASE_ID_TEXT_MAX] = "";
        if (v->gene_id[0] &&
            (rc = prepare_gene(s, have_table, v->where[0] ? v->where : "variants", v->gene_id,
                               symbol, rep, err)) != GS_OK)
            return rc;
        if (v->pos < 1)
            return gs_err_set(err, GS_EINVAL, "%s: position must be 1 or more",
                              v->where[0] ? v->where : "variants");
    }
    for (int i = 0; i < c->ndiagnoses; i++)
        for (int j = 0; j < i; j++)
            if (strcmp(c->diagnoses[i].id, c->diagnoses[j].id) == 0)
                return gs_err_set(err, GS_EINVAL, "%s: %s is listed twice",
                                  c->diagnoses[i].where[0] ? c->diagnoses[i].where : "diagnoses",
                                  c->diagnoses[i].id);
    const char *texts[][2] = {{"contact.name", c->contact_name}, {"contact.email", c->contact_email},
                              {"contact.href", c->contact_href}};
    for (int i = 0; i < 3; i++)
        if ((rc = parse_check_line(texts[i][0], texts[i][1], false, STORE_TEXT_MAX, err)) != GS_OK)
            return rc;
    return GS_OK;
}

/* ---- writes ---- */

/* Stores version c->version of the case and appends its audit row (the transaction is
 * open; nothing is committed here). */
static int write_version(struct store *s, const struct actor *by, const struct store_case *c,
                         const char *action, const char *changes, time_t now, struct gs_err *err)
{
    json_t *content = case_to_json(s, c, err);
    char *text = content ? json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(content);
    if (text == NULL)
        return err->code ? err->code : gs_err_set(err, GS_ENOMEM, "out of memory");
    struct store_case_version v = {0};
    v.case_id = c->id;
    v.version = c->version;
    v.at = now;
    snprintf(v.actor, sizeof v.actor, "%s", by->name);
    snprintf(v.changes, sizeof v.changes, "%s", changes);
    v.content = text;
    int rc = store_case_version_insert(s, &v, err);
    free(text);
    if (rc != GS_OK)
        return rc;
    char object[64], detail[STORE_AUDIT_TEXT_MAX];
    snprintf(object, sizeof object, "case:%lld", (long long)c->id);
    snprintf(detail, sizeof detail, "version=%d scope=%s changes=%.300s label=%.100s "
             "features=%d genes=%d variants=%d diagnoses=%d", c->version, scope_name(c->scope),
             changes, c->label, c->nfeatures, c->ngenes, c->nvariants, c->ndiagnoses);
    struct audit_event ev = {action, object, detail};
    return audit_append(s, by, &ev, now, err);
}

int cases_import(struct store *s, const struct principal *who, const struct actor *by,
                 const struct case_target *t, struct store_case *cases, int n, time_t now,
                 int64_t *ids_out, struct gs_err *err)
{
    struct store_dataset d;
    int rc = store_dataset_by_name(s, t->dataset, &d, err);
    if (rc != GS_OK || (rc = registry_check_writer(s, who, &d, "cases", err)) != GS_OK)
        return rc;
    int64_t institution = who->is_operator ? d.institution_id : who->institution_id;
    if (who->is_operator && t->institution != NULL) {
        struct store_institution inst;
        if ((rc = store_institution_by_name(s, t->institution, &inst, err)) != GS_OK)
            return rc;
        institution = inst.id;
    }
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    for (int i = 0; rc == GS_OK && i < n; i++) {
        struct store_case *c = &cases[i];
        c->dataset_id = d.id;
        c->institution_id = institution;
        c->scope = t->scope;
        c->state = CASE_ACTIVE;
        c->created_by = who->is_operator ? 0 : who->user_id;
        c->created_at = c->updated_at = now;
        c->version = 1;
        if ((rc = store_case_insert(s, c, &c->id, err)) == GS_OK)
            rc = write_version(s, by, c, "case.add", "created", now, err);
        if (rc == GS_OK && ids_out != NULL)
            ids_out[i] = c->id;
    }
    if (rc == GS_OK)
        rc = store_commit(s, err);
    if (rc != GS_OK)
        store_rollback(s);
    return rc;
}

/* Reads case id with the access decision for who; a refused read is audited and 404. */
static int read_checked(struct store *s, const struct principal *who, const struct actor *by,
                        int64_t id, time_t now, bool audit, struct store_case *out,
                        struct store_dataset *d, struct gs_err *err)
{
    struct gs_err inner = {0};
    int rc = store_case_get(s, id, out, &inner);
    if (rc == GS_ENOTFOUND)
        return gs_err_set(err, rc, "no case with id %lld", (long long)id);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    struct access_decision verdict;
    if ((rc = store_dataset_get(s, out->dataset_id, d, err)) != GS_OK ||
        (rc = access_check_read(s, who, d, out->institution_id, out->scope, now, &verdict,
                                err)) != GS_OK) {
        store_case_clear(out);
        return rc;
    }
    if (audit && (d->tier != TIER_OPEN || out->scope != SCOPE_INTERNATIONAL)) {
        char object[64], detail[STORE_TEXT_MAX];
        snprintf(object, sizeof object, "case:%lld", (long long)id);
        snprintf(detail, sizeof detail, "dataset=%s tier=%s scope=%s: %s", d->name,
                 tier_name(d->tier), scope_name(out->scope), verdict.reason);
        struct audit_event ev = {verdict.allowed ? "case.read" : "case.read.denied", object,
                                 detail};
        if ((rc = audit_record(s, by, &ev, now, err)) != GS_OK) {
            store_case_clear(out);
            return rc;
        }
    }
    if (!verdict.allowed) {
        store_case_clear(out);
        return gs_err_set(err, GS_ENOTFOUND, "no case with id %lld", (long long)id);
    }
    return GS_OK;
}

int cases_read(struct store *s, const struct principal *who, const struct actor *by, int64_t id,
               time_t now, struct store_case *out, struct store_dataset *d, struct gs_err *err)
{
    return read_checked(s, who, by, id, now, true, out, d, err);
}

/* Reads case id for an edit: visible to who (else 404), writable by who (else 403), not
 * withdrawn. */
static int edit_begin(struct store *s, const struct principal *who, const struct actor *by,
                      int64_t id, time_t now, struct store_case *c, struct gs_err *err)
{
    struct store_dataset d;
    int rc = read_checked(s, who, by, id, now, false, c, &d, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = registry_check_writer(s, who, &d, "cases", err)) == GS_OK && !who->is_operator &&
        who->institution_id != c->institution_id)
        rc = gs_err_set(err, GS_EFORBIDDEN, "only the case's own institution may change case "
                        "%lld", (long long)id);
    if (rc == GS_OK && c->state == CASE_WITHDRAWN)
        rc = gs_err_set(err, GS_ECONFLICT, "case %lld is withdrawn", (long long)id);
    if (rc != GS_OK)
        store_case_clear(c);
    return rc;
}

/* Commits version c->version (already updated in c) or rolls back. */
static int edit_finish(struct store *s, const struct actor *by, struct store_case *c,
                       const char *action, const char *changes, time_t now, struct gs_err *err)
{
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store_case_update(s, c, err)) == GS_OK &&
        (rc = write_version(s, by, c, action, changes, now, err)) == GS_OK)
        rc = store_commit(s, err);
    if (rc != GS_OK)
        store_rollback(s);
    return rc;
}

int cases_update(struct store *s, const struct hpo *h, const struct principal *who,
                 const struct actor *by, int64_t id, const json_t *patch, time_t now,
                 struct case_report *rep, struct gs_err *err)
{
    struct store_case c = {0};
    int rc = edit_begin(s, who, by, id, now, &c, err);
    if (rc != GS_OK)
        return rc;
    json_t *before = case_to_json(s, &c, err), *after = NULL;
    const char *scope = NULL;
    if (before == NULL)
        rc = err->code ? err->code : GS_ENOMEM;
    if (rc == GS_OK && (rc = case_json_string(patch, "", "scope", false, &scope, err)) == GS_OK &&
        scope != NULL)
        rc = scope_parse(scope, &c.scope, err);
    if (rc == GS_OK && (rc = case_from_json(patch, &c, err)) == GS_OK &&
        (rc = cases_prepare(s, h, &c, rep, err)) == GS_OK && (after = case_to_json(s, &c, err)) == NULL)
        rc = err->code ? err->code : GS_ENOMEM;
    char changes[STORE_TEXT_MAX] = "";
    static const char *const fields[] = {"label", "external_id", "scope", "contact", "sex",
                                         "onset", "features", "genes", "variants", "diagnoses"};
    for (size_t i = 0; rc == GS_OK && i < sizeof fields / sizeof fields[0]; i++)
        if (!json_equal(json_object_get(before, fields[i]), json_object_get(after, fields[i])))
            snprintf(changes + strlen(changes), sizeof changes - strlen(changes), "%s%s",
                     changes[0] ? "," : "", fields[i]);
    if (rc == GS_OK && changes[0] == '\0')
        rc = gs_err_set(err, GS_EINVAL, "nothing to change in case %lld", (long long)id);
    json_decref(before);
    json_decref(after);
    if (rc == GS_OK) {
        c.version++;
        c.updated_at = now;
        rc = edit_finish(s, by, &c, "case.update", changes, now, err);
    }
    store_case_clear(&c);
    return rc;
}

int cases_withdraw(struct store *s, const struct principal *who, const struct actor *by,
                   int64_t id, time_t now, struct gs_err *err)
{
    struct store_case c = {0};
    int rc = edit_begin(s, who, by, id, now, &c, err);
    if (rc != GS_OK)
        return rc;
    c.state = CASE_WITHDRAWN;
    c.version++;
    c.updated_at = now;
    rc = edit_finish(s, by, &c, "case.withdraw", "withdrawn", now, err);
    store_case_clear(&c);
    return rc;
}

/* ---- lists ---- */

struct list_walk {
    struct store *s;
    const struct principal *who;
    time_t now;
    int64_t offset, limit, seen, shown;
    bool showed_closed;  /* a non-open or non-international case was shown */
    store_case_fn fn;
    void *ctx;
    struct gs_err *err;
    struct store_dataset d; /* the dataset of the last case (cases come grouped by id) */
};

static int list_visit(void *ctx, const struct store_case *c)
{
    struct list_walk *w = ctx;
    int rc;
    if (w->d.id != c->dataset_id && (rc = store_dataset_get(w->s, c->dataset_id, &w->d,
                                                            w->err)) != GS_OK)
        return rc;
    struct access_decision verdict;
    if ((rc = access_check_read(w->s, w->who, &w->d, c->institution_id, c->scope, w->now,
                                &verdict, w->err)) != GS_OK)
        return rc;
    if (!verdict.allowed)
        return 0;
    w->seen++;
    if (w->seen <= w->offset || (w->limit > 0 && w->shown >= w->limit))
        return 0;
    w->shown++;
    w->showed_closed = w->showed_closed || w->d.tier != TIER_OPEN ||
                       c->scope != SCOPE_INTERNATIONAL;
    return w->fn(w->ctx, c);
}

int cases_list(struct store *s, const struct principal *who, const struct actor *by,
               const char *dataset, bool with_withdrawn, int64_t offset, int64_t limit,
               time_t now, store_case_fn fn, void *ctx, int64_t *total, struct gs_err *err)
{
    struct list_walk w = {s, who, now, offset, limit, 0, 0, false, fn, ctx, err, {0}};
    int64_t dataset_id = 0;
    int rc;
    if (dataset != NULL) {
        if ((rc = store_dataset_by_name(s, dataset, &w.d, err)) != GS_OK)
            return rc;
        dataset_id = w.d.id;
    }
    if ((rc = store_case_each(s, dataset_id, with_withdrawn, list_visit, &w, err)) != GS_OK)
        return rc;
    if (total != NULL)
        *total = w.seen;
    if (w.showed_closed) {
        char detail[STORE_TEXT_MAX];
        snprintf(detail, sizeof detail, "dataset=%s shown=%lld offset=%lld",
                 dataset ? dataset : "*", (long long)w.shown, (long long)offset);
        struct audit_event ev = {"case.list", "cases", detail};
        rc = audit_record(s, by, &ev, now, err);
    }
    return rc;
}

/* ---- the gene table ---- */

/* Splits line at tabs in place into at most max fields; returns their number. */
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    for (char *p = line; n < max; n++) {
        fields[n] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL)
            return n + 1;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

int cases_genes_load(struct store *s, const struct actor *by, const char *path, int64_t *count,
                     struct gs_err *err)
{
    gzFile gz = gzopen(path, "rb");
    if (gz == NULL)
        return gs_err_set(err, GS_EIO, "cannot open %s", path);
    static const char *const names[] = {"symbol", "hgnc_id", "entrez_id", "ensembl_gene_id"};
    int cols[4] = {-1, -1, -1, -1};
    char line[4096];
    char *fields[32];
    int rc = GS_OK, lineno = 0;
    int64_t before = 0, after = 0;
    bool begun = false;
    while (rc == GS_OK && gzgets(gz, line, sizeof line) != NULL) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            rc = gs_err_set(err, GS_EINVAL, "%s: line %d is too long", path, lineno);
            break;
        }
        line[strcspn(line, "\r\n")] = '\0';
        int nf = split_tabs(line, fields, 32);
        if (cols[0] < 0) { /* the header: "#chrom\tstart\t…" */
            for (int f = 0; f < nf; f++)
                for (int k = 0; k < 4; k++)
                    if (strcmp(fields[f] + (f == 0 && fields[f][0] == '#'), names[k]) == 0)
                        cols[k] = f;
            for (int k = 0; k < 4; k++)
                if (cols[k] < 0)
                    rc = gs_err_set(err, GS_EINVAL, "%s: the header line lacks the column '%s'",
                                    path, names[k]);
            if (rc == GS_OK && (rc = store_begin(s, err)) == GS_OK) {
                begun = true;
                if ((rc = store_gene_count(s, &before, err)) == GS_OK)
                    rc = store_gene_clear(s, err);
            }
            continue;
        }
        if (nf <= cols[0] || nf <= cols[1] || nf <= cols[2] || nf <= cols[3]) {
            rc = gs_err_set(err, GS_EINVAL, "%s: line %d has %d columns", path, lineno, nf);
            break;
        }
        struct store_gene g = {0};
        const char *v[4];
        for (int k = 0; k < 4; k++)
            v[k] = strcmp(fields[cols[k]], ".") == 0 ? "" : fields[cols[k]];
        if (v[0][0] == '\0' || strlen(v[0]) >= sizeof g.symbol || strlen(v[1]) >= sizeof g.hgnc_id ||
            strlen(v[2]) >= sizeof g.entrez || strlen(v[3]) >= sizeof g.ensembl)
            continue; /* no symbol to normalise from, or an id no case could name */
        snprintf(g.symbol, sizeof g.symbol, "%s", v[0]);
        snprintf(g.hgnc_id, sizeof g.hgnc_id, "%s", v[1]);
        snprintf(g.entrez, sizeof g.entrez, "%s", v[2]);
        snprintf(g.ensembl, sizeof g.ensembl, "%s", v[3]);
        if (g.hgnc_id[0])
            snprintf(g.gene_id, sizeof g.gene_id, "%s", g.hgnc_id);
        else if (g.ensembl[0])
            snprintf(g.gene_id, sizeof g.gene_id, "%s", g.ensembl);
        else if (g.entrez[0])
            snprintf(g.gene_id, sizeof g.gene_id, "NCBIGene:%s", g.entrez);
        else
            continue;
        rc = store_gene_insert(s, &g, err);
    }
    if (rc == GS_OK && cols[0] < 0)
        rc = gs_err_set(err, GS_EINVAL, "%s: empty file", path);
    gzclose(gz);
    if (rc == GS_OK)
        rc = store_gene_count(s, &after, err);
    if (rc == GS_OK && after == 0)
        rc = gs_err_set(err, GS_EINVAL, "%s: no gene rows", path);
    char detail[STORE_TEXT_MAX];
    snprintf(detail, sizeof detail, "file=%.150s genes=%lld replaced=%lld", path,
             (long long)after, (long long)before);
    struct audit_event ev = {"gene.load", "genes", detail};
    if (begun)
        rc = audit_commit(s, rc, by, &ev, time(NULL), err);
    if (rc == GS_OK && count != NULL)
        *count = after;
    return rc;
}

/* ---- demo ---- */

/* Cases written for the demo (not copied from any source). */
static const struct {
    const char *institution;
    enum scope scope;
    const char *json;
} demo_cases[] = {
    {"kyoto-u", SCOPE_DOMESTIC,
     "{\"label\":\"KU-MM-001\",\"sex\":\"female\",\"onset\":\"HP:0003593\","
     "\"contact\":{\"name\":\"Alice Tanaka\",\"email\":\"alice@kyoto-u.example\"},"
     "\"features\":[{\"id\":\"HP:0001250\"},{\"id\":\"HP:0001263\"},{\"id\":\"HP:0000252\"},"
     "{\"id\":\"HP:0001166\",\"excluded\":true}],\"genes\":[{\"symbol\":\"SCN1A\"}]}"},
    {"kyoto-u", SCOPE_INTERNATIONAL,
     "{\"label\":\"KU-MM-002\",\"sex\":\"male\",\"contact\":{\"name\":\"Alice Tanaka\","
     "\"href\":\"mailto:alice@kyoto-u.example\"},\"features\":[{\"id\":\"HP:0001166\"},"
     "{\"id\":\"HP:0001083\"},{\"id\":\"HP:0002650\",\"excluded\":true}],"
     "\"genes\":[{\"symbol\":\"FBN1\"}],\"variants\":[{\"assembly\":\"GRCh38\",\"chrom\":\"15\","
     "\"pos\":48425493,\"ref\":\"T\",\"alt\":\"C\",\"zygosity\":\"heterozygous\",\"gene\":\"FBN1\"}],"
     "\"diagnoses\":[{\"id\":\"OMIM:154700\",\"label\":\"Marfan syndrome\"}]}"},
    {"osaka-u", SCOPE_PRIVATE,
     "{\"label\":\"OU-MM-017\",\"sex\":\"male\",\"contact\":{\"name\":\"Bob Suzuki\"},"
     "\"features\":[{\"id\":\"HP:0001263\"},{\"id\":\"HP:0001250\",\"onset\":\"P2Y\"}]}"},
};

int cases_demo_fill(struct store *s, const struct actor *by, const char *data_dir,
                    struct gs_err *err)
{
    int rc = GS_OK;
    char path[1024];
    if (data_dir != NULL) {
        snprintf(path, sizeof path, "%s/variants/genes_GRCh38_Ensembl109.tsv.gz", data_dir);
        gzFile probe = gzopen(path, "rb");
        if (probe != NULL) {
            gzclose(probe);
            rc = cases_genes_load(s, by, path, NULL, err);
        }
    }
    struct hpo *h = NULL;
    if (rc == GS_OK)
        rc = cases_hpo_load(s, &h, err);
    struct principal op;
    principal_operator(&op);
    time_t now = time(NULL);
    for (size_t i = 0; rc == GS_OK && i < sizeof demo_cases / sizeof demo_cases[0]; i++) {
        struct store_case c = {0};
        struct case_report rep = {0};
        json_t *doc = json_loads(demo_cases[i].json, 0, NULL);
        struct case_target t = {"rare-disease-cases", demo_cases[i].scope,
                                demo_cases[i].institution};
        if ((rc = case_from_json(doc, &c, err)) == GS_OK &&
            (rc = cases_prepare(s, h, &c, &rep, err)) == GS_OK)
            rc = cases_import(s, &op, by, &t, &c, 1, now, NULL, err);
        json_decref(doc);
        store_case_clear(&c);
    }
    hpo_free(h);
    return rc;
}
