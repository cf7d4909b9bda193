/* mme_protocol.c — MME content negotiation and request/response validation (see the header
 * for the rules). Pure: no store, no network. */
#include "mme/mme_protocol.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define E422 GS_EUNPROCESSABLE

const char *mme_media_text(enum mme_media m)
{
    switch (m) {
    case MME_MEDIA_V11:
        return MME_MEDIA_V11_TEXT;
    case MME_MEDIA_V10:
        return MME_MEDIA_V10_TEXT;
    case MME_MEDIA_JSON:
        break;
    }
    return "application/json";
}

/* ---- negotiation ---- */

/* One media range "type/sub;p=v;q=0.5": its type (trimmed, into out) and its q (1 when
 * absent; -1 when malformed). */
static double media_range(const char *text, size_t len, char *out, size_t outsize)
{
    size_t n = 0;
    const char *end = text + len, *p = text;
    while (p < end && isspace((unsigned char)*p))
        p++;
    while (p < end && *p != ';' && !isspace((unsigned char)*p) && n + 1 < outsize)
        out[n++] = (char)tolower((unsigned char)*p++);
    out[n] = '\0';
    double q = 1.0;
    while (p < end) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        if (semi == NULL)
            break;
        p = semi + 1;
        while (p < end && isspace((unsigned char)*p))
            p++;
        if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
            char num[16];
            size_t k = 0;
            for (const char *v = p + 2; v < end && *v != ';' && k + 1 < sizeof num; v++)
                if (!isspace((unsigned char)*v))
                    num[k++] = *v;
            num[k] = '\0';
            char *stop;
            q = strtod(num, &stop);
            if (k == 0 || *stop != '\0' || q < 0 || q > 1)
                return -1;
        }
    }
    return q;
}

/* Which of our types a range covers: a bit set over enum mme_media. */
static unsigned range_covers(const char *type)
{
    if (strcmp(type, "*/*") == 0 || strcmp(type, "application/*") == 0)
        return 7u;
    if (strcmp(type, MME_MEDIA_V11_TEXT) == 0)
        return 1u << MME_MEDIA_V11;
    if (strcmp(type, MME_MEDIA_V10_TEXT) == 0)
        return 1u << MME_MEDIA_V10;
    if (strcmp(type, "application/json") == 0)
        return 1u << MME_MEDIA_JSON;
    return 0;
}

int mme_negotiate(const char *accept, enum mme_media *out, struct gs_err *err)
{
    *out = MME_MEDIA_V11;
    if (accept == NULL || accept[strspn(accept, " \t")] == '\0')
        return GS_OK;
    /* q per type: the most specific range that names it decides (RFC 9110 12.5.1); -1 = not
     * named by any range. */
    double q[3] = {-1, -1, -1};
    int specific[3] = {0, 0, 0};
    for (const char *p = accept; *p != '\0';) {
        size_t len = strcspn(p, ",");
        char type[128];
        double rq = media_range(p, len, type, sizeof type);
        unsigned covers = range_covers(type);
        int level = strcmp(type, "*/*") == 0 ? 1 : strcmp(type, "application/*") == 0 ? 2 : 3;
        for (int m = 0; m < 3 && rq >= 0; m++)
            if ((covers & (1u << m)) && level > specific[m]) {
                q[m] = rq;
                specific[m] = level;
            }
        p += len;
        if (*p == ',')
            p++;
    }
    int best = -1;
    for (int m = 0; m < 3; m++)
        if (q[m] > 0 && (best < 0 || q[m] > q[best]))
            best = m;
    if (best < 0)
        return gs_err_set(err, GS_ENOTACCEPTABLE, "cannot answer in any type of Accept: %.120s "
                          "(this node answers %s, %s or application/json)", accept,
                          MME_MEDIA_V11_TEXT, MME_MEDIA_V10_TEXT);
    *out = (enum mme_media)best;
    return GS_OK;
}

int mme_content_type(const char *content_type, enum mme_media *out, struct gs_err *err)
{
    char type[128];
    if (content_type != NULL) {
        double q = media_range(content_type, strlen(content_type), type, sizeof type);
        unsigned covers = q < 0 ? 0 : range_covers(type);
        for (int m = 0; m < 3; m++)
            if (covers == (1u << m)) {
                *out = (enum mme_media)m;
                return GS_OK;
            }
    }
    return gs_err_set(err, GS_EMEDIA, "Content-Type must be %s, %s or application/json, got "
                      "%.80s", MME_MEDIA_V11_TEXT, MME_MEDIA_V10_TEXT,
                      content_type ? content_type : "none");
}

/* ---- validation ---- */

static bool is_hp_id(const char *s)
{
    return strncmp(s, "HP:", 3) == 0 && strlen(s) == 10 && strspn(s + 3, "0123456789") == 7;
}

/* A member of an expected JSON type, or NULL when absent (null counts as absent). */
static int member(const json_t *obj, const char *where, const char *key, json_type type,
                  bool required, json_t **out, struct gs_err *err)
{
    static const char *const names[] = {"an object", "an array", "a string", "an integer",
                                        "a number", "a boolean", "a boolean", "null"};
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return required ? gs_err_set(err, E422, "%s.%s is required", where, key) : GS_OK;
    bool ok = json_typeof(v) == type || (type == JSON_TRUE && json_is_boolean(v)) ||
              (type == JSON_REAL && json_is_number(v));
    if (!ok)
        return gs_err_set(err, E422, "%s.%s must be %s", where, key,
                          names[type < 8 ? type : 7]);
    *out = v;
    return GS_OK;
}

static int hp_member(const json_t *obj, const char *where, const char *key, bool required,
                     struct gs_err *err)
{
    json_t *v;
    int rc = member(obj, where, key, JSON_STRING, required, &v, err);
    if (rc != GS_OK || v == NULL)
        return rc;
    if (!is_hp_id(json_string_value(v)))
        return gs_err_set(err, E422, "%s.%s must be an HPO id (HP:nnnnnnn), got '%.40s'", where,
                          key, json_string_value(v));
    return GS_OK;
}

static int check_contact(const json_t *p, const char *where, struct gs_err *err)
{
    char at[200];
    json_t *contact, *v;
    int rc = member(p, where, "contact", JSON_OBJECT, true, &contact, err);
    if (rc != GS_OK)
        return rc;
    snprintf(at, sizeof at, "%.150s.contact", where);
    if ((rc = member(contact, at, "name", JSON_STRING, true, &v, err)) != GS_OK ||
        (rc = member(contact, at, "href", JSON_STRING, true, &v, err)) != GS_OK)
        return rc;
    const char *href = json_string_value(v);
    size_t scheme = strspn(href, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    if (scheme == 0 || href[scheme] != ':' || !isalpha((unsigned char)href[0]) ||
        href[scheme + 1] == '\0')
        return gs_err_set(err, E422, "%s.href must be a URI (https://… or mailto:…), got "
                          "'%.60s'", at, href);
    if ((rc = member(contact, at, "institution", JSON_STRING, false, &v, err)) != GS_OK ||
        (rc = member(contact, at, "email", JSON_STRING, false, &v, err)) != GS_OK ||
        (rc = member(contact, at, "roles", JSON_ARRAY, false, &v, err)) != GS_OK)
        return rc;
    return GS_OK;
}

static int check_features(const json_t *list, const char *where, struct gs_err *err)
{
    size_t i;
    json_t *f, *v;
    json_array_foreach(list, i, f) {
        char at[200];
        snprintf(at, sizeof at, "%.150s.features[%zu]", where, i);
        if (!json_is_object(f))
            return gs_err_set(err, E422, "%s must be an object", at);
        int rc = hp_member(f, at, "id", true, err);
        if (rc == GS_OK)
            rc = hp_member(f, at, "ageOfOnset", false, err);
        if (rc != GS_OK)
            return rc;
        v = json_object_get(f, "observed");
        if (v != NULL && !json_is_null(v) && !json_is_boolean(v) &&
            !(json_is_string(v) && (strcmp(json_string_value(v), "yes") == 0 ||
                                    strcmp(json_string_value(v), "no") == 0 ||
                                    strcmp(json_string_value(v), "unknown") == 0)))
            return gs_err_set(err, E422, "%s.observed must be \"yes\" or \"no\"", at);
    }
    return GS_OK;
}

static bool is_bases(const char *s)
{
    return s[0] != '\0' && strspn(s, "ACGTNacgtn") == strlen(s);
}

static int check_variant(const json_t *var, const char *at, struct gs_err *err)
{
    json_t *v;
    int rc;
    if ((rc = member(var, at, "assembly", JSON_STRING, true, &v, err)) != GS_OK)
        return rc;
    const char *a = json_string_value(v);
    if (strncmp(a, "GRCh37", 6) != 0 && strncmp(a, "GRCh38", 6) != 0 &&
        strncmp(a, "NCBI36", 6) != 0)
        return gs_err_set(err, E422, "%s.assembly must be NCBI36, GRCh37 or GRCh38, got '%.20s'",
                          at, a);
    if ((rc = member(var, at, "referenceName", JSON_STRING, true, &v, err)) != GS_OK)
        return rc;
    const char *chrom = json_string_value(v);
    if (strncasecmp(chrom, "chr", 3) == 0)
        chrom += 3;
    long n = strspn(chrom, "0123456789") == strlen(chrom) && chrom[0] ? strtol(chrom, NULL, 10) : 0;
    if (!((n >= 1 && n <= 22) || strcmp(chrom, "X") == 0 || strcmp(chrom, "Y") == 0 ||
          strcmp(chrom, "M") == 0 || strcmp(chrom, "MT") == 0))
        return gs_err_set(err, E422, "%s.referenceName must be 1-22, X, Y or M, got '%.20s'", at,
                          json_string_value(v));
    json_t *start, *end;
    if ((rc = member(var, at, "start", JSON_INTEGER, true, &start, err)) != GS_OK ||
        (rc = member(var, at, "end", JSON_INTEGER, false, &end, err)) != GS_OK)
        return rc;
    if (json_integer_value(start) < 0)
        return gs_err_set(err, E422, "%s.start must be 0 or more (0-based)", at);
    if (end != NULL && json_integer_value(end) < json_integer_value(start))
        return gs_err_set(err, E422, "%s.end must not be before start", at);
    static const char *const bases[] = {"referenceBases", "alternateBases", "referenceBase",
                                        "alternativeBase"};
    for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++) {
        if ((rc = member(var, at, bases[i], JSON_STRING, false, &v, err)) != GS_OK)
            return rc;
        if (v != NULL && !is_bases(json_string_value(v)))
            return gs_err_set(err, E422, "%s.%s must be bases (A, C, G, T, N)", at, bases[i]);
    }
    return GS_OK;
}

static int check_genomic(const json_t *list, const char *where, struct gs_err *err)
{
    size_t i;
    json_t *g;
    json_array_foreach(list, i, g) {
        char at[200], sub[220];
        snprintf(at, sizeof at, "%.150s.genomicFeatures[%zu]", where, i);
        if (!json_is_object(g))
            return gs_err_set(err, E422, "%s must be an object", at);
        json_t *gene, *var, *zyg, *type, *v;
        int rc;
        if ((rc = member(g, at, "gene", JSON_OBJECT, false, &gene, err)) != GS_OK ||
            (rc = member(g, at, "variant", JSON_OBJECT, false, &var, err)) != GS_OK ||
            (rc = member(g, at, "zygosity", JSON_INTEGER, false, &zyg, err)) != GS_OK ||
            (rc = member(g, at, "type", JSON_OBJECT, false, &type, err)) != GS_OK)
            return rc;
        if (gene == NULL && var == NULL)
            return gs_err_set(err, E422, "%s needs a gene or a variant", at);
        snprintf(sub, sizeof sub, "%s.gene", at);
        if (gene != NULL && (rc = member(gene, sub, "id", JSON_STRING, true, &v, err)) != GS_OK)
            return rc;
        if (gene != NULL && json_string_length(v) == 0)
            return gs_err_set(err, E422, "%s.id must not be empty", sub);
        snprintf(sub, sizeof sub, "%s.variant", at);
        if (var != NULL && (rc = check_variant(var, sub, err)) != GS_OK)
            return rc;
        if (zyg != NULL && (json_integer_value(zyg) < 0 || json_integer_value(zyg) > 2))
            return gs_err_set(err, E422, "%s.zygosity must be 1 or 2 (0: unknown)", at);
        snprintf(sub, sizeof sub, "%s.type", at);
        if (type != NULL && (rc = member(type, sub, "id", JSON_STRING, true, &v, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

static int check_disorders(const json_t *list, const char *where, struct gs_err *err)
{
    size_t i;
    json_t *d, *v;
    json_array_foreach(list, i, d) {
        char at[200];
        snprintf(at, sizeof at, "%.150s.disorders[%zu]", where, i);
        if (!json_is_object(d))
            return gs_err_set(err, E422, "%s must be an object", at);
        int rc = member(d, at, "id", JSON_STRING, true, &v, err);
        if (rc != GS_OK)
            return rc;
    }
    return GS_OK;
}

int mme_validate_patient(const json_t *p, const char *where, struct gs_err *err)
{
    static const char *const sexes[] = {"FEMALE", "MALE", "OTHER", "MIXED_SAMPLE",
                                        "NOT_APPLICABLE"};
    if (!json_is_object(p))
        return gs_err_set(err, E422, "%s must be an object", where);
    json_t *id, *v, *features, *genomic, *disorders;
    int rc;
    if ((rc = member(p, where, "id", JSON_STRING, true, &id, err)) != GS_OK)
        return rc;
    if (json_string_length(id) == 0 || json_string_length(id) > MME_ID_MAX)
        return gs_err_set(err, E422, "%s.id must have 1 to %d characters", where, MME_ID_MAX);
    if ((rc = member(p, where, "label", JSON_STRING, false, &v, err)) != GS_OK ||
        (rc = check_contact(p, where, err)) != GS_OK ||
        (rc = member(p, where, "species", JSON_STRING, false, &v, err)) != GS_OK ||
        (rc = hp_member(p, where, "ageOfOnset", false, err)) != GS_OK ||
        (rc = hp_member(p, where, "inheritanceMode", false, err)) != GS_OK ||
        (rc = member(p, where, "test", JSON_TRUE, false, &v, err)) != GS_OK ||
        (rc = member(p, where, "features", JSON_ARRAY, false, &features, err)) != GS_OK ||
        (rc = member(p, where, "genomicFeatures", JSON_ARRAY, false, &genomic, err)) != GS_OK ||
        (rc = member(p, where, "disorders", JSON_ARRAY, false, &disorders, err)) != GS_OK)
        return rc;
    if (json_string_length(json_object_get(p, "label")) > MME_ID_MAX)
        return gs_err_set(err, E422, "%s.label must have at most %d characters", where,
                          MME_ID_MAX);
    for (int k = 0; k < 2; k++) {
        const char *key = k ? "gender" : "sex";
        if ((rc = member(p, where, key, JSON_STRING, false, &v, err)) != GS_OK)
            return rc;
        bool known = v == NULL;
        for (size_t i = 0; !known && i < sizeof sexes / sizeof sexes[0]; i++)
            known = strcmp(json_string_value(v), sexes[i]) == 0;
        if (!known)
            return gs_err_set(err, E422, "%s.%s must be FEMALE, MALE, OTHER, MIXED_SAMPLE or "
                              "NOT_APPLICABLE", where, key);
    }
    if (json_array_size(features) == 0 && json_array_size(genomic) == 0)
        return gs_err_set(err, E422, "%s needs at least one of features and genomicFeatures",
                          where);
    if ((features && (rc = check_features(features, where, err)) != GS_OK) ||
        (genomic && (rc = check_genomic(genomic, where, err)) != GS_OK) ||
        (disorders && (rc = check_disorders(disorders, where, err)) != GS_OK))
        return rc;
    return GS_OK;
}

int mme_validate_request(const json_t *doc, struct gs_err *err)
{
    json_t *p;
    if (!json_is_object(doc))
        return gs_err_set(err, E422, "the request must be a JSON object {\"patient\":{…}}");
    int rc = member(doc, "request", "patient", JSON_OBJECT, true, &p, err);
    return rc != GS_OK ? rc : mme_validate_patient(p, "patient", err);
}

int mme_validate_response(const json_t *doc, size_t max_results, struct gs_err *err)
{
    json_t *results;
    if (!json_is_object(doc))
        return gs_err_set(err, E422, "the response must be a JSON object {\"results\":[…]}");
    int rc = member(doc, "response", "results", JSON_ARRAY, true, &results, err);
    if (rc != GS_OK)
        return rc;
    if (json_array_size(results) > max_results)
        return gs_err_set(err, E422, "the response holds %zu results (at most %zu are read)",
                          json_array_size(results), max_results);
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r) {
        char at[64];
        snprintf(at, sizeof at, "results[%zu]", i);
        json_t *score, *patient, *sp;
        if (!json_is_object(r))
            return gs_err_set(err, E422, "%s must be an object", at);
        if ((rc = member(r, at, "score", JSON_OBJECT, true, &score, err)) != GS_OK ||
            (rc = member(r, at, "patient", JSON_OBJECT, true, &patient, err)) != GS_OK)
            return rc;
        char sat[80];
        snprintf(sat, sizeof sat, "%s.score", at);
        if ((rc = member(score, sat, "patient", JSON_REAL, true, &sp, err)) != GS_OK)
            return rc;
        double x = json_number_value(sp);
        if (!(x >= 0 && x <= 1))
            return gs_err_set(err, E422, "%s.patient must be from 0 to 1", sat);
        char pat[80];
        snprintf(pat, sizeof pat, "%s.patient", at);
        if ((rc = mme_validate_patient(patient, pat, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}
