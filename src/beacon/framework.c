/* framework.c — the Beacon v2 framework responses that describe the Beacon itself (info,
 * service-info, configuration, map, entry types, filtering terms), the response meta every
 * query answer carries, the error response, the per-dataset security decision and the
 * datasets listing. */
#include <stdio.h>
#include <string.h>

#include "beacon/beacon_internal.h"
#include "core/parse.h"
#include "store/store_beacon.h"

#define BEACON_NAME "genoshare variant knowledge base"
#define BEACON_DESCRIPTION                                                                    \
    "Disease-related variants submitted by hospitals and research groups, curated by a "      \
    "registration committee, with ClinVar-style aggregate classifications."

static const char *const granularity_names[] = {"none", "boolean", "count", "record"};

const char *beacon_granularity_name(enum beacon_granularity g)
{
    return (unsigned)g < 4 ? granularity_names[g] : "none";
}

const char *beacon__security_level(enum tier t)
{
    return t == TIER_OPEN ? "PUBLIC" : t == TIER_CONTROLLED ? "REGISTERED" : "CONTROLLED";
}

int beacon_dataset_level(struct store *s, const struct principal *who,
                         const struct store_dataset *d, time_t now, enum beacon_granularity *out,
                         struct gs_err *err)
{
    *out = BEACON_NONE;
    if (d->tier == TIER_OPEN) {
        *out = BEACON_RECORD;
        return GS_OK;
    }
    struct access_decision v = {false, ""};
    int rc = access_check_read(s, who, d, 0, SCOPE_INTERNATIONAL, now, &v, err);
    if (rc != GS_OK)
        return rc;
    if (v.allowed)
        *out = BEACON_RECORD;
    else if (d->tier == TIER_CONTROLLED && who->user_id != 0)
        *out = BEACON_COUNT; /* REGISTERED: counts for any signed-in caller */
    return GS_OK;
}

/* ---- meta ---- */

json_t *beacon__info_meta(void)
{
    return json_pack("{s:s, s:s, s:[]}", "beaconId", BEACON_ID, "apiVersion", BEACON_API_VERSION,
                     "returnedSchemas");
}

static const char *const include_names[] = {"HIT", "MISS", "ALL", "NONE"};

json_t *beacon__meta(const struct beacon_query *q, enum beacon_granularity returned,
                     const char *entity_type, const char *schema)
{
    json_t *summary = json_pack(
        "{s:s, s:[], s:{s:I, s:i}, s:s, s:s}", "apiVersion", BEACON_API_VERSION,
        "requestedSchemas", "pagination", "skip", (json_int_t)q->skip, "limit", q->limit,
        "requestedGranularity",
        beacon_granularity_name(q->requested == BEACON_NONE ? BEACON_BOOLEAN : q->requested),
        "includeResultsetResponses", include_names[q->include]);
    json_t *filters = json_array();
    for (int i = 0; i < q->nfilters; i++) {
        const struct beacon_filter *f = &q->filters[i];
        if (f->kind == BEACON_FILTER_ONTOLOGY) {
            json_array_append_new(filters, json_string(f->id));
        } else {
            char text[260];
            snprintf(text, sizeof text, "%s=%s", f->id, f->value);
            json_array_append_new(filters, json_string(text));
        }
    }
    json_object_set_new(summary, "filters", filters);
    /* the model keys its parameters by entry: {"g_variant":{…}} (requestParameters.json
     * wants an object per key) */
    json_t *query = q->body ? json_object_get(q->body, "query") : NULL;
    json_t *params = query ? json_object_get(query, "requestParameters") : NULL;
    if (json_is_object(params) && json_object_size(params) > 0) {
        json_t *g = json_object_get(params, "g_variant");
        json_object_set_new(summary, "requestParameters",
                            json_pack("{s:O}", "g_variant", json_is_object(g) ? g : params));
    }
    return json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}], s:o}", "beaconId", BEACON_ID, "apiVersion",
                     BEACON_API_VERSION, "returnedGranularity", beacon_granularity_name(returned),
                     "returnedSchemas", "entityType", entity_type, "schema", schema,
                     "receivedRequestSummary", summary);
}

json_t *beacon_error(unsigned status, const char *message)
{
    struct beacon_query q;
    memset(&q, 0, sizeof q);
    q.requested = BEACON_BOOLEAN;
    q.limit = BEACON_LIMIT_DEFAULT;
    return json_pack("{s:o, s:{s:i, s:s}}", "meta",
                     beacon__meta(&q, BEACON_BOOLEAN, "genomicVariant", BEACON_SCHEMA_VARIANT),
                     "error", "errorCode", (int)status, "errorMessage", message ? message : "");
}

/* ---- describing the Beacon ---- */

static json_t *organization(void)
{
    return json_pack("{s:s, s:s, s:s}", "id", "genoshare", "name", "genoshare",
                     "description", "A clinical-genomics data-sharing platform");
}

json_t *beacon_info(void)
{
    return json_pack("{s:o, s:{s:s, s:s, s:s, s:s, s:s, s:s, s:o}}", "meta", beacon__info_meta(),
                     "response", "id", BEACON_ID, "name", BEACON_NAME, "apiVersion",
                     BEACON_API_VERSION, "environment", "prod", "description",
                     BEACON_DESCRIPTION, "version", GS_VERSION, "organization", organization());
}

json_t *beacon_service_info(void)
{
    return json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:s, s:{s:s, s:s}, s:s, s:s}", "id",
                     BEACON_ID, "name", BEACON_NAME, "type", "group", "org.ga4gh", "artifact",
                     "beacon", "version", BEACON_API_VERSION, "description", BEACON_DESCRIPTION,
                     "organization", "name", "genoshare", "url", "https://genoshare.invalid/",
                     "version", GS_VERSION, "environment", "prod");
}

static json_t *entry_type_definitions(void)
{
    return json_pack(
        "{s:{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:{s:s, s:s, s:s, s:s}, s:b},"
        " s:{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:{s:s, s:s, s:s, s:s}, s:b}}",
        "genomicVariant", "id", "genomicVariant", "name", "Genomic variant", "description",
        "A normalised genomic variant with the accepted interpretations submitted for it",
        "ontologyTermForThisType", "id", "ENSGLOSSARY:0000092", "label", "Variant",
        "partOfSpecification", "Beacon v2.0.0", "defaultSchema", "id", BEACON_SCHEMA_VARIANT,
        "name", "Default schema for a genomic variation", "referenceToSchemaDefinition",
        "./genomicVariations/defaultSchema.json", "schemaVersion", "v2.0.0",
        "nonFilteredQueriesAllowed", 0,
        "dataset", "id", "dataset", "name", "Dataset", "description",
        "A collection of variant submissions sharing one sharing tier",
        "ontologyTermForThisType", "id", "NCIT:C47824", "label", "Data set",
        "partOfSpecification", "Beacon v2.0.0", "defaultSchema", "id", BEACON_SCHEMA_DATASET,
        "name", "Default schema for datasets", "referenceToSchemaDefinition",
        "./datasets/defaultSchema.json", "schemaVersion", "v2.0.0", "nonFilteredQueriesAllowed",
        1);
}

json_t *beacon_configuration(void)
{
    return json_pack(
        "{s:o, s:{s:s, s:{s:s}, s:{s:s, s:[s, s, s]}, s:o}}", "meta", beacon__info_meta(),
        "response", "$schema",
        "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/"
        "configuration/beaconConfigurationSchema.json",
        "maturityAttributes", "productionStatus", "PROD", "securityAttributes",
        "defaultGranularity", "boolean", "securityLevels", "PUBLIC", "REGISTERED", "CONTROLLED",
        "entryTypes", entry_type_definitions());
}

json_t *beacon_entry_types(void)
{
    return json_pack("{s:o, s:{s:o}}", "meta", beacon__info_meta(), "response", "entryTypes",
                     entry_type_definitions());
}

json_t *beacon_map(const char *base_url)
{
    char root[512], single[512], datasets[512], filtering[512];
    snprintf(root, sizeof root, "%s/beacon/v2/g_variants", base_url);
    snprintf(single, sizeof single, "%s/beacon/v2/g_variants/{id}", base_url);
    snprintf(datasets, sizeof datasets, "%s/beacon/v2/datasets", base_url);
    snprintf(filtering, sizeof filtering, "%s/beacon/v2/filtering_terms", base_url);
    return json_pack(
        "{s:o, s:{s:s, s:{s:{s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s}}}}",
        "meta", beacon__info_meta(), "response", "$schema",
        "https://raw.githubusercontent.com/ga4gh-beacon/beacon-v2/main/framework/json/"
        "configuration/beaconMapSchema.json",
        "endpointSets", "genomicVariant", "entryType", "genomicVariant", "rootUrl", root,
        "singleEntryUrl", single, "filteringTermsUrl", filtering, "dataset", "entryType",
        "dataset", "rootUrl", datasets, "filteringTermsUrl", filtering);
}

json_t *beacon_filtering_terms(void)
{
    static const char *const classes[] = {
        "Pathogenic", "Likely pathogenic", "Uncertain significance", "Likely benign", "Benign",
        "drug response", "risk factor", "association", "protective", "affects",
        "conflicting data from submitters", "other", "not provided"};
    static const char *const areas[] = {"cancer", "rare", "infectious", "dementia", "other"};
    static const char *const origins[] = {"germline", "somatic", "de novo", "maternal",
                                          "paternal", "inherited", "unknown"};
    json_t *terms = json_array();
    struct {
        const char *id, *label;
        const char *const *values;
        size_t n;
    } alpha[] = {
        {"classification", "Classification of a submission (ClinVar terms)", classes,
         sizeof classes / sizeof classes[0]},
        {"diseaseArea", "Disease area of a submission", areas, sizeof areas / sizeof areas[0]},
        {"origin", "Allele origin of a submission", origins, sizeof origins / sizeof origins[0]},
    };
    for (size_t i = 0; i < sizeof alpha / sizeof alpha[0]; i++) {
        json_t *values = json_array();
        for (size_t k = 0; k < alpha[i].n; k++)
            json_array_append_new(values, json_string(alpha[i].values[k]));
        json_array_append_new(terms, json_pack("{s:s, s:s, s:s, s:[s], s:o}", "type",
                                               "alphanumeric", "id", alpha[i].id, "label",
                                               alpha[i].label, "scopes", "genomicVariation",
                                               "values", values));
    }
    struct {
        const char *prefix, *name, *url;
    } ontologies[] = {
        {"MONDO", "Mondo Disease Ontology", "http://purl.obolibrary.org/obo/mondo.owl"},
        {"OMIM", "Online Mendelian Inheritance in Man", "https://www.omim.org"},
        {"HP", "Human Phenotype Ontology", "http://purl.obolibrary.org/obo/hp.owl"},
        {"MedGen", "NCBI MedGen", "https://www.ncbi.nlm.nih.gov/medgen"},
        {"Orphanet", "Orphanet Rare Disease Ontology", "https://www.orpha.net"},
    };
    json_t *resources = json_array();
    for (size_t i = 0; i < sizeof ontologies / sizeof ontologies[0]; i++)
        json_array_append_new(resources,
                              json_pack("{s:s, s:s, s:s, s:s}", "id", ontologies[i].prefix,
                                        "name", ontologies[i].name, "nameSpacePrefix",
                                        ontologies[i].prefix, "url", ontologies[i].url));
    return json_pack("{s:o, s:{s:o, s:o}}", "meta", beacon__info_meta(), "response",
                     "filteringTerms", terms, "resources", resources);
}

/* ---- datasets ---- */

struct datasets_ctx {
    struct store *s;
    const struct principal *who;
    time_t now;
    json_t *list;
    int rc;
    struct gs_err *err;
};

static int add_dataset(void *ctx, const struct store_dataset *d)
{
    struct datasets_ctx *c = ctx;
    enum beacon_granularity level;
    if ((c->rc = beacon_dataset_level(c->s, c->who, d, c->now, &level, c->err)) != GS_OK)
        return 1;
    if (level < BEACON_BOOLEAN)
        return 0;
    json_array_append_new(c->list,
                          json_pack("{s:s, s:s, s:{s:s, s:s, s:s}}", "id", d->name, "name",
                                    d->title, "info", "tier", tier_name(d->tier), "securityLevel",
                                    beacon__security_level(d->tier), "grantedGranularity",
                                    beacon_granularity_name(level)));
    return 0;
}

int beacon_datasets(struct store *s, const struct principal *who, const struct beacon_query *q,
                    time_t now, json_t **out, struct gs_err *err)
{
    struct datasets_ctx c = {s, who, now, json_array(), GS_OK, err};
    int rc = store_variant_datasets_each(s, add_dataset, &c, err);
    if (c.rc != GS_OK)
        rc = c.rc;
    if (rc < 0) {
        json_decref(c.list);
        return rc;
    }
    size_t n = json_array_size(c.list);
    /* the collection is small (datasets): the page is cut here */
    json_t *page = json_array();
    for (size_t i = (size_t)q->skip; i < n && json_array_size(page) < (size_t)q->limit; i++)
        json_array_append(page, json_array_get(c.list, i));
    json_decref(c.list);
    enum beacon_granularity returned = q->requested > BEACON_BOOLEAN ? q->requested : BEACON_BOOLEAN;
    json_t *doc = json_pack("{s:o, s:{s:b}}", "meta",
                            beacon__meta(q, returned, "dataset", BEACON_SCHEMA_DATASET),
                            "responseSummary", "exists", n > 0);
    if (returned >= BEACON_COUNT)
        json_object_set_new(json_object_get(doc, "responseSummary"), "numTotalResults",
                            json_integer((json_int_t)n));
    json_object_set_new(doc, "response", json_pack("{s:o}", "collections", page));
    *out = doc;
    return GS_OK;
}
