/* beacon.h — genoshare's GA4GH Beacon v2 (framework v2.0, default model): the responses of
 * /beacon/v2/ (info, service-info, configuration, map, entry_types, filtering_terms,
 * datasets, g_variants) built as JSON documents that validate against the Beacon v2 JSON
 * Schemas. The HTTP side (src/http/api_beacon.c) only parses the transport and calls here.
 *
 * Decisions:
 * - Security per dataset, from its tier (beacon_dataset_level):
 *     open        → PUBLIC: anyone, up to records;
 *     controlled  → REGISTERED: any signed-in caller gets booleans and counts; records
 *                   need what access_check_read allows (a live grant, or the dataset's
 *                   own institution);
 *     restricted  → CONTROLLED: only callers access_check_read lets read the dataset
 *                   (consortium members, the owning institution), up to records; nothing
 *                   for anyone else — not even a count.
 *   Roles never widen this (an administrator is decided like anyone else). A dataset below
 *   BOOLEAN for the caller does not exist for it: it is not listed, not counted, not hit.
 * - The granularity of an answer is the requested one lowered to the highest level the
 *   caller has on any dataset; meta.returnedGranularity says which. In a record response a
 *   dataset where the caller may only count gets its count and no records (its result set
 *   says so in info.returnedGranularity).
 * - Only accepted submissions are in the Beacon: pending and returned ones are the
 *   curation queue's, not discovery data, whoever asks.
 * - Coordinates follow the Beacon: start 0-based inclusive, end 0-based exclusive; a
 *   variant's Beacon start is POS - 1 and its end POS - 1 + len(REF). Chromosome names are
 *   accepted with or without "chr" (and as RefSeq accessions of GRCh38/37 chromosomes).
 * - Reads that show counts or records of non-open datasets are audited ("beacon.read"). */
#ifndef GS_BEACON_BEACON_H
#define GS_BEACON_BEACON_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "store/store.h"

#define BEACON_API_VERSION "v2.0.0"
#define BEACON_ID "org.genoshare.beacon"
#define BEACON_FILTERS_MAX 16
#define BEACON_LIMIT_DEFAULT 10
#define BEACON_LIMIT_MAX 100
#define BEACON_ALLELE_MAX 1024

enum beacon_granularity { BEACON_NONE, BEACON_BOOLEAN, BEACON_COUNT, BEACON_RECORD };
const char *beacon_granularity_name(enum beacon_granularity g); /* "boolean" ("none" for NONE) */

/* The most the principal may learn from dataset d (see the rules above). */
int beacon_dataset_level(struct store *s, const struct principal *who,
                         const struct store_dataset *d, time_t now,
                         enum beacon_granularity *out, struct gs_err *err) GS_MUST_USE;

enum beacon_filter_kind { BEACON_FILTER_ONTOLOGY, BEACON_FILTER_ALPHANUMERIC };
struct beacon_filter {
    enum beacon_filter_kind kind;
    char id[128];    /* "MONDO:0011450", or the field: classification, diseaseArea, origin */
    char value[128]; /* alphanumeric: the value compared with "=" (case-insensitive) */
};

enum beacon_include { BEACON_INCLUDE_HIT, BEACON_INCLUDE_MISS, BEACON_INCLUDE_ALL,
                      BEACON_INCLUDE_NONE };

/* One request, parsed: from a POST body, or from GET parameters turned into the same body
 * (beacon_body_from_query). */
struct beacon_query {
    json_t *body;                   /* the request as received (borrowed): echoed in meta */
    enum beacon_granularity requested;
    int64_t skip;
    int limit;
    enum beacon_include include;
    char assembly[16];              /* "GRCh38" default */
    char chrom[32];                 /* normalised ("17", "X", "MT"); "" when not given */
    int nstart, nend;
    int64_t start[2], end[2];       /* Beacon coordinates, as received */
    char ref[BEACON_ALLELE_MAX];    /* "" when not given ("N" is read as not given) */
    char alt[BEACON_ALLELE_MAX];
    char gene[64];
    char variant_type[16];          /* SNP, DEL, INS, MNP, INDEL, or "" */
    int nfilters;
    struct beacon_filter filters[BEACON_FILTERS_MAX];
};

/* Turns GET parameters (get(ctx, name) returns the value or NULL) into a request body
 * {"meta":{…},"query":{"requestParameters":{…},"filters":[…],"pagination":{…},…}}; start
 * and end may be "123" or "123,456". New object; GS_EINVAL naming a malformed parameter. */
typedef const char *(*beacon_param_fn)(void *ctx, const char *name);
int beacon_body_from_query(beacon_param_fn get, void *ctx, json_t **out,
                           struct gs_err *err) GS_MUST_USE;
/* Reads a request body (borrowed by q). GS_EINVAL naming what is malformed. */
int beacon_query_parse(json_t *body, struct beacon_query *q, struct gs_err *err) GS_MUST_USE;

/* ---- responses (new JSON documents; NULL only without memory) ---- */

json_t *beacon_info(void);           /* beaconInfoResponse (also "/") */
json_t *beacon_service_info(void);   /* GA4GH service-info 1.0 */
json_t *beacon_configuration(void);  /* beaconConfigurationResponse */
json_t *beacon_map(const char *base_url); /* beaconMapResponse; base_url "" for relative */
json_t *beacon_entry_types(void);    /* beaconEntryTypesResponse */
json_t *beacon_filtering_terms(void); /* beaconFilteringTermsResponse */
/* beaconErrorResponse with errorCode = the HTTP status. */
json_t *beacon_error(unsigned status, const char *message);

/* beaconCollectionsResponse of the datasets the caller may query (level ≥ BOOLEAN), each
 * with its tier's security level and the caller's granularity in info. */
int beacon_datasets(struct store *s, const struct principal *who, const struct beacon_query *q,
                    time_t now, json_t **out, struct gs_err *err) GS_MUST_USE;

/* g_variants: a boolean, count or result-sets response (by the returned granularity) for
 * q, or for the one variant id when id > 0 (/g_variants/{id}; a variant nobody lets the
 * caller see answers exists=false, like a missing one). */
int beacon_g_variants(struct store *s, const struct principal *who, const struct actor *by,
                      const struct beacon_query *q, int64_t id, time_t now, json_t **out,
                      struct gs_err *err) GS_MUST_USE;

#endif
