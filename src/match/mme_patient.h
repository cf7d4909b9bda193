/* mme_patient.h — Matchmaker Exchange patient JSON to and from a case: pure functions over
 * jansson values and struct store_case (cases_prepare resolves HPO ids and genes afterwards).
 *
 * Read (either the patient object or a request {"patient":{…}}): id → external_id, label
 * (else id), contact{name, institution, href, email}, sex (or the older "gender"), ageOfOnset
 * (an HP id string, or an {id,label} object), features[{id, observed, ageOfOnset}],
 * genomicFeatures[{gene{id}, variant{assembly, referenceName, start, end, referenceBases,
 * alternateBases}, zygosity}], disorders[{id, label}] (MIM:/Orphanet: become OMIM:/ORPHA:).
 * The forms seen in the wild are all accepted: "observed" as "yes"/"no" (v1.0), as a boolean,
 * or absent (observed); "unknown" features are skipped with a note; referenceBase /
 * alternativeBase as in the reference server's schema. MME `start` is 0-based (the spec),
 * so pos = start + 1; `end` is checked against the reference length when both are given.
 * zygosity 1 is heterozygous (or hemizygous: the spec does not tell them apart), 2 homozygous.
 * Write: the v1.0 form ("observed": "yes"/"no", ageOfOnset as a string, start 0-based,
 * end = start + length of ref), one genomicFeature per variant and per gene without one. */
#ifndef GS_MATCH_MME_PATIENT_H
#define GS_MATCH_MME_PATIENT_H

#include <jansson.h>

#include "match/cases.h"

int mme_patient_to_case(const json_t *doc, struct store_case *out, struct case_report *rep,
                        struct gs_err *err) GS_MUST_USE;

/* The case as an MME patient; institution is the contact's institution text (may be NULL).
 * The caller owns the result (NULL when out of memory). */
json_t *mme_patient_from_case(const struct store_case *c, const char *institution);

#endif
