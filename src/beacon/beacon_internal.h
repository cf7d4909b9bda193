/* beacon_internal.h — what the Beacon's files share (never included outside src/beacon/). */
#ifndef GS_BEACON_BEACON_INTERNAL_H
#define GS_BEACON_BEACON_INTERNAL_H

#include "beacon/beacon.h"

#define BEACON_SCHEMA_VARIANT "ga4gh-beacon-variant-v2.0.0"
#define BEACON_SCHEMA_DATASET "ga4gh-beacon-dataset-v2.0.0"

/* meta of a query response: beaconId, apiVersion, returnedGranularity, returnedSchemas
 * (entity_type with schema) and the receivedRequestSummary echoing q. New object. */
json_t *beacon__meta(const struct beacon_query *q, enum beacon_granularity returned,
                     const char *entity_type, const char *schema);
/* meta of an informational response (info, configuration, map, …). New object. */
json_t *beacon__info_meta(void);
/* The Beacon security level of a tier: "PUBLIC", "REGISTERED", "CONTROLLED". */
const char *beacon__security_level(enum tier t);

#endif
