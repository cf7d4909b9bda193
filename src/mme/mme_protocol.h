/* mme_protocol.h — the Matchmaker Exchange API v1.1 wire rules, as pure functions: content
 * negotiation (Accept, Content-Type) and validation of match requests and responses against
 * the spec (ga4gh/mme-apis search-api.md, and the reference server's JSON Schema).
 *
 * Decisions:
 *   - Media types: application/vnd.ga4gh.matchmaker.v1.1+json, …v1.0+json and plain
 *     application/json are read and written (the v1.0 and v1.1 payloads differ only in
 *     optional fields we accept either way). An absent Accept and the wildcards (any
 *     type, any application type) get v1.1; "q=0" refuses a type; among acceptable types the highest q
 *     wins, ties going to v1.1, then v1.0, then plain JSON. A vendor type of another version
 *     (v2.0) is not acceptable: GS_ENOTACCEPTABLE (406). A request body must declare one of
 *     the three (parameters such as charset are ignored): GS_EMEDIA (415) otherwise.
 *   - Validation is structural and names the field ("patient.features[2].id must be an HPO
 *     id (HP:nnnnnnn)"): GS_EUNPROCESSABLE (422) for a well-formed request that breaks the
 *     spec. Required: patient.id (≤255 characters), patient.contact.name and .href, and at
 *     least one feature or genomic feature; each feature an HP id; each genomic feature a
 *     gene {id} or a variant {assembly, referenceName, start}; sex/gender from the spec's
 *     list; disorders {id}. Unknown members are allowed (the spec reserves "_" members for
 *     extensions and peers add others). "observed" may be "yes"/"no" (the spec) or a boolean
 *     (seen in the wild; mme_patient.h reads both).
 *   - A response is {"results":[{"score":{"patient":0..1}, "patient":{…}}]}: the same
 *     patient rules apply to every result, so what a peer sends us is checked as strictly
 *     as what it asks us. */
#ifndef GS_MME_MME_PROTOCOL_H
#define GS_MME_MME_PROTOCOL_H

#include <jansson.h>
#include <stddef.h>

#include "core/error.h"

enum mme_media { MME_MEDIA_V11, MME_MEDIA_V10, MME_MEDIA_JSON };

#define MME_MEDIA_V11_TEXT "application/vnd.ga4gh.matchmaker.v1.1+json"
#define MME_MEDIA_V10_TEXT "application/vnd.ga4gh.matchmaker.v1.0+json"
#define MME_ID_MAX 255

/* The media type's text (static), e.g. for a Content-Type header. */
const char *mme_media_text(enum mme_media m);

/* Chooses the response type for an Accept header (NULL or "" when absent). */
int mme_negotiate(const char *accept, enum mme_media *out, struct gs_err *err) GS_MUST_USE;

/* Reads a request's Content-Type (NULL when absent: GS_EMEDIA). */
int mme_content_type(const char *content_type, enum mme_media *out,
                     struct gs_err *err) GS_MUST_USE;

/* Checks one patient object; where names it in messages ("patient", "results[3].patient"). */
int mme_validate_patient(const json_t *patient, const char *where,
                         struct gs_err *err) GS_MUST_USE;
/* Checks a match request {"patient":{…}}. */
int mme_validate_request(const json_t *doc, struct gs_err *err) GS_MUST_USE;
/* Checks a match response; GS_EUNPROCESSABLE also when it holds more than max_results. */
int mme_validate_response(const json_t *doc, size_t max_results, struct gs_err *err) GS_MUST_USE;

#endif
