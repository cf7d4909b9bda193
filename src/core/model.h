/* model.h — the vocabulary of the sharing model: tiers, scopes, data types, roles, and
 * their one spelling as text (used by the store, the API and the CLI alike). */
#ifndef GS_CORE_MODEL_H
#define GS_CORE_MODEL_H

#include <stdbool.h>

#include "core/error.h"

enum tier { TIER_RESTRICTED, TIER_CONTROLLED, TIER_OPEN };
enum scope { SCOPE_PRIVATE, SCOPE_DOMESTIC, SCOPE_INTERNATIONAL };
enum data_type {
    DATA_SEQUENCE,          /* germline/somatic sequence */
    DATA_VARIANTS,
    DATA_SOMATIC_MUTATIONS,
    DATA_EXPRESSION,        /* expression/epigenome */
    DATA_MICROBIAL,         /* microbial genomes */
    DATA_PHENOTYPE,         /* phenotype/clinical */
};
#define DATA_TYPE_COUNT 6

/* Roles are a bit set on a user. None of them widens what a user may read: reads are
 * decided by consortium membership, grants, institution and country (access.h). */
enum role {
    ROLE_MEMBER = 1u << 0,
    ROLE_SUBMITTER = 1u << 1,
    ROLE_CURATOR = 1u << 2,
    ROLE_DAC = 1u << 3,
    ROLE_ADMIN = 1u << 4,
};
#define ROLE_ALL 0x1fu

const char *tier_name(enum tier t);           /* "restricted" */
const char *scope_name(enum scope s);         /* "private" */
const char *data_type_name(enum data_type d); /* "phenotype_clinical" */
const char *role_name(enum role r);           /* "curator" */

/* Text to value; GS_EINVAL with the accepted spellings in err otherwise. */
int tier_parse(const char *text, enum tier *out, struct gs_err *err) GS_MUST_USE;
int scope_parse(const char *text, enum scope *out, struct gs_err *err) GS_MUST_USE;
int data_type_parse(const char *text, enum data_type *out, struct gs_err *err) GS_MUST_USE;

/* "member,submitter" to a bit set; GS_EINVAL naming the unknown role. */
int roles_parse(const char *text, unsigned *out, struct gs_err *err) GS_MUST_USE;
/* The bit set as "member,submitter" into out (at least 64 bytes). */
void roles_format(unsigned roles, char *out, unsigned long outsize);

#endif
