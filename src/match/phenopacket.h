/* phenopacket.h — GA4GH Phenopackets v2 JSON to and from a case: pure functions over jansson
 * values and struct store_case (no store, no HPO: cases_prepare resolves ids afterwards).
 *
 * Read: id → external_id; subject.id → label (else id); subject.sex; phenotypicFeatures[]
 * (type.id, excluded, onset.age.iso8601duration or onset.ontologyClass.id);
 * interpretations[].diagnosis.disease and diseases[].term → diagnoses (deduplicated);
 * genomicInterpretations[].variantInterpretation.variationDescriptor: geneContext → gene,
 * vcfRecord → variant (1-based pos), allelicState → zygosity; genomicInterpretations[].gene
 * → gene. Unknown members are ignored; a member of the wrong type is an error naming its
 * JSON path ("phenotypicFeatures[3].type.id must be a string"). A feature without an id, a
 * variant without a vcfRecord and similar gaps are errors too: nothing is dropped silently.
 * Write: the same members, with metaData (created, createdBy "genoshare", resources hp, geno,
 * hgnc, omim, orpha, mondo as used, phenopacketSchemaVersion 2.0). */
#ifndef GS_MATCH_PHENOPACKET_H
#define GS_MATCH_PHENOPACKET_H

#include <jansson.h>
#include <time.h>

#include "match/cases.h"

/* Fills out (zero-initialised by the caller, who clears it) from a phenopacket; rep (may be
 * NULL) gets notes on what was read but not kept. */
int phenopacket_to_case(const json_t *doc, struct store_case *out, struct case_report *rep,
                        struct gs_err *err) GS_MUST_USE;

/* The case as a phenopacket; created is metaData.created. The caller owns the result (NULL
 * when out of memory). */
json_t *phenopacket_from_case(const struct store_case *c, time_t created);

#endif
