/* query.c — Beacon requests: GET parameters turned into the POST body's shape, and that
 * body read into struct beacon_query with every value checked (coordinates, alleles,
 * chromosome names, granularity, pagination, filters). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "beacon/beacon_internal.h"
#include "core/parse.h"

#define COORD_MAX 4000000000LL /* beyond any chromosome */

/* ---- GET → body ---- */

/* "123" or "123,456" into a JSON array of integers. */
static int coordinates_json(const char *name, const char *text, json_t *params,
                            struct gs_err *err)
{
    json_t *a = json_array();
    char buf[64];
    if (strlen(text) >= sizeof buf) {
        json_decref(a);
        return gs_err_set(err, GS_EINVAL, "%s: too long", name);
    }
    snprintf(buf, sizeof buf, "%s", text);
    char *save = NULL;
    for (char *part = strtok_r(buf, ",", &save); part; part = strtok_r(NULL, ",", &save)) {
        int64_t v;
        struct gs_err inner = {0};
        if (parse_int64(part, 0, COORD_MAX, &v, &inner) != GS_OK) {
            json_decref(a);
            return gs_err_set(err, GS_EINVAL, "%s: '%.32s' is not a coordinate (0-based, "
                              "from 0)", name, part);
        }
        json_array_append_new(a, json_integer((json_int_t)v));
    }
    if (json_array_size(a) == 0 || json_array_size(a) > 2) {
        json_decref(a);
        return gs_err_set(err, GS_EINVAL, "%s takes one value or two (a bracket)", name);
    }
    json_object_set_new(params, name, a);
    return GS_OK;
}

int beacon_body_from_query(beacon_param_fn get, void *ctx, json_t **out, struct gs_err *err)
{
    static const char *const strings[] = {"referenceName", "referenceBases", "alternateBases",
                                          "assemblyId", "geneId", "variantType",
                                          "aminoacidChange", "genomicAlleleShortForm",
                                          "mateName"};
    json_t *params = json_object(), *query = json_object();
    int rc = GS_OK;
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        const char *v = get(ctx, strings[i]);
        if (v != NULL)
            json_object_set_new(params, strings[i], json_string(v));
    }
    const char *start = get(ctx, "start"), *end = get(ctx, "end");
    if (start != NULL)
        rc = coordinates_json("start", start, params, err);
    if (rc == GS_OK && end != NULL)
        rc = coordinates_json("end", end, params, err);
    json_object_set_new(query, "requestParameters", params);
    const char *filters = get(ctx, "filters");
    if (rc == GS_OK && filters != NULL) {
        json_t *list = json_array();
        const char *p = filters;
        while (*p) {
            size_t n = strcspn(p, ",");
            if (n > 0)
                json_array_append_new(list, json_stringn(p, n));
            p += n + (p[n] == ',');
        }
        json_object_set_new(query, "filters", list);
    }
    json_t *pagination = json_object();
    static const char *const numbers[] = {"skip", "limit"};
    for (int i = 0; rc == GS_OK && i < 2; i++) {
        const char *v = get(ctx, numbers[i]);
        int64_t n;
        struct gs_err inner = {0};
        if (v == NULL)
            continue;
        if (parse_int64(v, 0, 1000000000, &n, &inner) != GS_OK)
            rc = gs_err_set(err, GS_EINVAL, "%s: '%.32s' is not a whole number from 0", numbers[i],
                            v);
        else
            json_object_set_new(pagination, numbers[i], json_integer((json_int_t)n));
    }
    json_object_set_new(query, "pagination", pagination);
    const char *g = get(ctx, "requestedGranularity"), *inc = get(ctx, "includeResultsetResponses");
    if (g != NULL)
        json_object_set_new(query, "requestedGranularity", json_string(g));
    if (inc != NULL)
        json_object_set_new(query, "includeResultsetResponses", json_string(inc));
    if (rc != GS_OK) {
        json_decref(query);
        return rc;
    }
    *out = json_pack("{s:{s:s}, s:o}", "meta", "apiVersion", BEACON_API_VERSION, "query", query);
    return GS_OK;
}

/* ---- body → query ---- */

static int get_string(json_t *obj, const char *key, const char **out, struct gs_err *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL || json_is_null(v))
        return GS_OK;
    if (!json_is_string(v))
        return gs_err_set(err, GS_EINVAL, "%s must be a string", key);
    *out = json_string_value(v);
    return GS_OK;
}

/* Chromosome names: "chr17", "17", "NC_000017.11"; "M", "chrM" → "MT". */
static int chrom_normalise(const char *text, char *out, size_t size, struct gs_err *err)
{
    const char *c = text;
    if (strncasecmp(c, "chr", 3) == 0)
        c += 3;
    if (strncmp(text, "NC_0000", 7) == 0 || strncmp(text, "NC_012920", 9) == 0) {
        if (strncmp(text, "NC_012920", 9) == 0) {
            snprintf(out, size, "MT");
            return GS_OK;
        }
        bool digits = isdigit((unsigned char)text[7]) && isdigit((unsigned char)text[8]);
        int n = digits ? (text[7] - '0') * 10 + (text[8] - '0') : 0;
        if (n < 1 || n > 24)
            return gs_err_set(err, GS_EINVAL, "referenceName '%.40s' is not a RefSeq accession of "
                              "a human chromosome", text);
        if (n <= 22)
            snprintf(out, size, "%d", n);
        else
            snprintf(out, size, "%s", n == 23 ? "X" : "Y");
        return GS_OK;
    }
    if (*c == '\0' || strlen(c) >= size)
        return gs_err_set(err, GS_EINVAL, "referenceName '%.40s' is not a chromosome name", text);
    for (const char *p = c; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.')
            return gs_err_set(err, GS_EINVAL, "referenceName '%.40s' is not a chromosome name",
                              text);
    if (strcasecmp(c, "M") == 0 || strcasecmp(c, "MT") == 0)
        snprintf(out, size, "MT");
    else if (strcasecmp(c, "X") == 0 || strcasecmp(c, "Y") == 0)
        snprintf(out, size, "%c", toupper((unsigned char)c[0]));
    else
        snprintf(out, size, "%s", c);
    return GS_OK;
}

static int allele(const char *key, const char *text, char *out, struct gs_err *err)
{
    size_t n = strlen(text);
    if (n >= BEACON_ALLELE_MAX)
        return gs_err_set(err, GS_EINVAL, "%s is longer than %d bases", key, BEACON_ALLELE_MAX - 1);
    for (size_t i = 0; i < n; i++) {
        char b = (char)toupper((unsigned char)text[i]);
        if (strchr("ACGTUNRYSWKMBDHV-.", b) == NULL)
            return gs_err_set(err, GS_EINVAL, "%s '%.40s' has a character that is not an IUPAC "
                              "base", key, text);
        out[i] = b;
    }
    out[n] = '\0';
    if (strcmp(out, "N") == 0 || strcmp(out, ".") == 0 || strcmp(out, "-") == 0)
        out[0] = '\0'; /* any / unspecified */
    return GS_OK;
}

static int coordinates(json_t *params, const char *key, int64_t out[2], int *n, struct gs_err *err)
{
    json_t *v = json_object_get(params, key);
    *n = 0;
    if (v == NULL || json_is_null(v))
        return GS_OK;
    if (json_is_integer(v)) {
        out[(*n)++] = json_integer_value(v);
    } else if (json_is_array(v) && json_array_size(v) >= 1 && json_array_size(v) <= 2) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *x = json_array_get(v, i);
            if (!json_is_integer(x))
                return gs_err_set(err, GS_EINVAL, "%s[%zu] must be an integer", key, i);
            out[(*n)++] = json_integer_value(x);
        }
    } else {
        return gs_err_set(err, GS_EINVAL, "%s must be an integer or an array of one or two",
                          key);
    }
    for (int i = 0; i < *n; i++)
        if (out[i] < 0 || out[i] > COORD_MAX)
            return gs_err_set(err, GS_EINVAL, "%s must be a 0-based coordinate from 0", key);
    if (*n == 2 && out[0] > out[1])
        return gs_err_set(err, GS_EINVAL, "%s: the bracket [%lld, %lld] is reversed", key,
                          (long long)out[0], (long long)out[1]);
    return GS_OK;
}

static const char *const alpha_fields[] = {"classification", "diseaseArea", "origin"};

/* "MONDO:0011450" (ontology), "classification=Pathogenic" (alphanumeric, GET spelling) or
 * {"id":…} / {"id":…,"operator":"=","value":…}. */
static int filter_parse(json_t *item, size_t index, struct beacon_filter *f, struct gs_err *err)
{
    const char *id = NULL, *value = NULL, *op = "=";
    char buf[260];
    memset(f, 0, sizeof *f);
    if (json_is_string(item)) {
        snprintf(buf, sizeof buf, "%s", json_string_value(item));
        char *eq = strchr(buf, '=');
        id = buf;
        if (eq != NULL) {
            *eq = '\0';
            value = eq + 1;
        }
    } else if (json_is_object(item)) {
        id = json_string_value(json_object_get(item, "id"));
        value = json_string_value(json_object_get(item, "value"));
        json_t *o = json_object_get(item, "operator");
        if (o != NULL && !json_is_string(o))
            return gs_err_set(err, GS_EINVAL, "filters[%zu].operator must be a string", index);
        if (o != NULL)
            op = json_string_value(o);
    }
    if (id == NULL || id[0] == '\0' || strlen(id) >= sizeof f->id)
        return gs_err_set(err, GS_EINVAL, "filters[%zu] needs an id (a CURIE such as "
                          "MONDO:0011450, or classification, diseaseArea, origin)", index);
    for (size_t i = 0; i < sizeof alpha_fields / sizeof alpha_fields[0]; i++) {
        if (strcmp(id, alpha_fields[i]) != 0)
            continue;
        if (value == NULL || value[0] == '\0' || strlen(value) >= sizeof f->value)
            return gs_err_set(err, GS_EINVAL, "filters[%zu]: %s needs a value", index, id);
        if (strcmp(op, "=") != 0)
            return gs_err_set(err, GS_EINVAL, "filters[%zu]: %s supports only the operator '='",
                              index, id);
        f->kind = BEACON_FILTER_ALPHANUMERIC;
        snprintf(f->id, sizeof f->id, "%.127s", id); /* length checked above */
        snprintf(f->value, sizeof f->value, "%s", value);
        return GS_OK;
    }
    const char *colon = strchr(id, ':');
    if (value != NULL || colon == NULL || colon == id || colon[1] == '\0')
        return gs_err_set(err, GS_EINVAL, "filters[%zu]: unsupported filter '%.64s' (see "
                          "/beacon/v2/filtering_terms)", index, id);
    f->kind = BEACON_FILTER_ONTOLOGY;
    snprintf(f->id, sizeof f->id, "%.127s", id); /* length checked above */
    return GS_OK;
}

static int granularity_parse(const char *text, enum beacon_granularity *out, struct gs_err *err)
{
    for (int g = BEACON_BOOLEAN; g <= BEACON_RECORD; g++)
        if (strcasecmp(text, beacon_granularity_name((enum beacon_granularity)g)) == 0) {
            *out = (enum beacon_granularity)g;
            return GS_OK;
        }
    return gs_err_set(err, GS_EINVAL, "requestedGranularity '%.32s' is not boolean, count or "
                      "record", text);
}

static int query_top(json_t *query, struct beacon_query *q, struct gs_err *err)
{
    const char *g = NULL, *inc = NULL;
    int rc;
    if ((rc = get_string(query, "requestedGranularity", &g, err)) != GS_OK ||
        (rc = get_string(query, "includeResultsetResponses", &inc, err)) != GS_OK)
        return rc;
    if (g != NULL && (rc = granularity_parse(g, &q->requested, err)) != GS_OK)
        return rc;
    if (inc != NULL) {
        static const char *const names[] = {"HIT", "MISS", "ALL", "NONE"};
        int found = -1;
        for (int i = 0; i < 4; i++)
            if (strcasecmp(inc, names[i]) == 0)
                found = i;
        if (found < 0)
            return gs_err_set(err, GS_EINVAL, "includeResultsetResponses '%.32s' is not HIT, "
                              "MISS, ALL or NONE", inc);
        q->include = (enum beacon_include)found;
    }
    json_t *pagination = json_object_get(query, "pagination");
    if (pagination != NULL && !json_is_object(pagination))
        return gs_err_set(err, GS_EINVAL, "pagination must be an object");
    json_t *skip = json_object_get(pagination, "skip"), *limit = json_object_get(pagination, "limit");
    if (skip != NULL && (!json_is_integer(skip) || json_integer_value(skip) < 0 ||
                         json_integer_value(skip) > 1000000000))
        return gs_err_set(err, GS_EINVAL, "pagination.skip must be a whole number from 0");
    if (limit != NULL && (!json_is_integer(limit) || json_integer_value(limit) < 0))
        return gs_err_set(err, GS_EINVAL, "pagination.limit must be a whole number from 0");
    if (skip != NULL)
        q->skip = json_integer_value(skip);
    if (limit != NULL && json_integer_value(limit) > 0)
        q->limit = json_integer_value(limit) > BEACON_LIMIT_MAX ? BEACON_LIMIT_MAX
                                                               : (int)json_integer_value(limit);
    json_t *filters = json_object_get(query, "filters");
    if (filters != NULL && !json_is_array(filters))
        return gs_err_set(err, GS_EINVAL, "filters must be an array");
    if (json_array_size(filters) > BEACON_FILTERS_MAX)
        return gs_err_set(err, GS_EINVAL, "at most %d filters", BEACON_FILTERS_MAX);
    for (size_t i = 0; i < json_array_size(filters); i++)
        if ((rc = filter_parse(json_array_get(filters, i), i, &q->filters[q->nfilters++], err)) !=
            GS_OK)
            return rc;
    return GS_OK;
}

static int query_params(json_t *params, struct beacon_query *q, struct gs_err *err)
{
    const char *name = NULL, *ref = NULL, *alt = NULL, *assembly = NULL, *gene = NULL,
               *type = NULL, *unsupported = NULL;
    int rc;
    if ((rc = get_string(params, "referenceName", &name, err)) != GS_OK ||
        (rc = get_string(params, "referenceBases", &ref, err)) != GS_OK ||
        (rc = get_string(params, "alternateBases", &alt, err)) != GS_OK ||
        (rc = get_string(params, "assemblyId", &assembly, err)) != GS_OK ||
        (rc = get_string(params, "geneId", &gene, err)) != GS_OK ||
        (rc = get_string(params, "variantType", &type, err)) != GS_OK)
        return rc;
    static const char *const not_here[] = {"aminoacidChange", "genomicAlleleShortForm", "mateName"};
    for (size_t i = 0; i < 3; i++)
        if (json_object_get(params, not_here[i]) != NULL)
            unsupported = not_here[i];
    if (unsupported != NULL)
        return gs_err_set(err, GS_EINVAL, "%s queries are not supported by this Beacon "
                          "(sequence, range, bracket and geneId queries are)", unsupported);
    if (assembly != NULL) {
        if (strcasecmp(assembly, "GRCh38") == 0 || strcasecmp(assembly, "hg38") == 0)
            snprintf(q->assembly, sizeof q->assembly, "GRCh38");
        else if (strcasecmp(assembly, "GRCh37") == 0 || strcasecmp(assembly, "hg19") == 0)
            snprintf(q->assembly, sizeof q->assembly, "GRCh37");
        else
            return gs_err_set(err, GS_EINVAL, "assemblyId '%.32s' is not GRCh38 or GRCh37",
                              assembly);
    }
    if (name != NULL && (rc = chrom_normalise(name, q->chrom, sizeof q->chrom, err)) != GS_OK)
        return rc;
    if ((ref != NULL && (rc = allele("referenceBases", ref, q->ref, err)) != GS_OK) ||
        (alt != NULL && (rc = allele("alternateBases", alt, q->alt, err)) != GS_OK))
        return rc;
    if ((rc = coordinates(params, "start", q->start, &q->nstart, err)) != GS_OK ||
        (rc = coordinates(params, "end", q->end, &q->nend, err)) != GS_OK)
        return rc;
    if (gene != NULL) {
        if (gene[0] == '\0' || strlen(gene) >= sizeof q->gene)
            return gs_err_set(err, GS_EINVAL, "geneId must be 1-63 characters");
        snprintf(q->gene, sizeof q->gene, "%s", gene);
    }
    if (type != NULL) {
        static const char *const types[] = {"SNP", "DEL", "INS", "MNP", "INDEL"};
        bool ok = false;
        for (size_t i = 0; i < 5; i++)
            ok = ok || strcasecmp(type, types[i]) == 0;
        if (!ok)
            return gs_err_set(err, GS_EINVAL, "variantType '%.32s' is not SNP, DEL, INS, MNP or "
                              "INDEL", type);
        for (size_t i = 0; type[i] && i < sizeof q->variant_type - 1; i++)
            q->variant_type[i] = (char)toupper((unsigned char)type[i]);
    }
    /* the query forms */
    if (q->nstart > 0 && q->chrom[0] == '\0')
        return gs_err_set(err, GS_EINVAL, "start needs referenceName");
    if (q->chrom[0] != '\0' && q->nstart == 0)
        return gs_err_set(err, GS_EINVAL, "referenceName needs start (0-based)");
    if (q->nend > 0 && q->nstart == 0)
        return gs_err_set(err, GS_EINVAL, "end needs start");
    if (q->nstart == 2 && q->nend != 2)
        return gs_err_set(err, GS_EINVAL, "a bracket query gives two starts and two ends");
    if (q->nstart == 1 && q->nend == 2)
        return gs_err_set(err, GS_EINVAL, "a bracket query gives two starts and two ends");
    if (q->nstart == 1 && q->nend == 1 && q->end[0] <= q->start[0])
        return gs_err_set(err, GS_EINVAL, "end (0-based, exclusive) must be after start");
    if (q->alt[0] != '\0' && (q->nstart != 1 || q->nend != 0))
        return gs_err_set(err, GS_EINVAL, "alternateBases belongs to a sequence query: "
                          "referenceName, one start, no end");
    if (q->gene[0] != '\0' && q->nstart > 0)
        return gs_err_set(err, GS_EINVAL, "give either geneId or referenceName + start");
    return GS_OK;
}

int beacon_query_parse(json_t *body, struct beacon_query *q, struct gs_err *err)
{
    memset(q, 0, sizeof *q);
    q->body = body;
    q->requested = BEACON_BOOLEAN;
    q->limit = BEACON_LIMIT_DEFAULT;
    q->include = BEACON_INCLUDE_HIT;
    snprintf(q->assembly, sizeof q->assembly, "GRCh38");
    if (body == NULL)
        return GS_OK;
    if (!json_is_object(body))
        return gs_err_set(err, GS_EINVAL, "the request body must be a JSON object");
    json_t *meta = json_object_get(body, "meta"), *query = json_object_get(body, "query");
    if (meta != NULL && !json_is_object(meta))
        return gs_err_set(err, GS_EINVAL, "meta must be an object");
    if (query == NULL)
        return GS_OK;
    if (!json_is_object(query))
        return gs_err_set(err, GS_EINVAL, "query must be an object");
    int rc = query_top(query, q, err);
    if (rc != GS_OK)
        return rc;
    json_t *params = json_object_get(query, "requestParameters");
    if (params == NULL)
        return GS_OK;
    if (!json_is_object(params))
        return gs_err_set(err, GS_EINVAL, "requestParameters must be an object");
    json_t *g = json_object_get(params, "g_variant");
    if (json_is_object(g))
        params = g;
    return query_params(params, q, err);
}
