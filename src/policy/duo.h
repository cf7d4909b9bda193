/* duo.h — GA4GH Data Use Ontology (DUO) terms: parsing, canonical spelling, and the one
 * comparison of a dataset's consent terms with an access request's declared purpose.
 *
 * Pure code: no store, no allocation. The conflicts it finds are shown to the data-access
 * committee; they inform the review and never decide it (that stays a human judgement).
 *
 * Terms follow DUO as published by EBISPOT (duo.csv): permissions NRES (DUO:0000004),
 * GRU (DUO:0000042), HMB (DUO:0000006), DS (DUO:0000007, with a disease id) and POA
 * (DUO:0000011); modifiers RS, NMDS, GSO, NPUNCU, PUB, COL, IRB, GS, MOR, TS, US, PS, IS,
 * RTN, CC, NPOA, NPU, NCU. Note that in current DUO "GS" is the *geographical* restriction
 * (DUO:0000022) and "genetic studies only" is GSO (DUO:0000016). */
#ifndef GS_POLICY_DUO_H
#define GS_POLICY_DUO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"

/* The primary category: what research the data may be used for (dataset) or what the
 * research is (request). Matching follows DUO's hierarchy NRES ⊇ GRU ⊇ HMB ⊇ DS-X and
 * GRU ⊇ POA (HMB explicitly excludes population origins or ancestry research). */
enum duo_permission {
    DUO_PERMISSION_NONE = 0, /* only in an unset struct: duo_parse always sets one */
    DUO_NRES,
    DUO_GRU,
    DUO_HMB,
    DUO_DS,
    DUO_POA,
};

/* Modifiers, one bit each. On a dataset most are conditions the requester must accept or
 * declare; CC (clinical care) instead widens what the data may be used for; NPOA narrows
 * the permission (no ancestry research). On a request they are what the requester
 * declares: "IRB" = ethics approval obtained, "NPU" = a not-for-profit organisation, … */
enum duo_modifier {
    DUO_MOD_RS = 1u << 0,      /* DUO:0000012 research specific restrictions */
    DUO_MOD_NMDS = 1u << 1,    /* DUO:0000015 no general methods research */
    DUO_MOD_GSO = 1u << 2,     /* DUO:0000016 genetic studies only */
    DUO_MOD_NPUNCU = 1u << 3,  /* DUO:0000018 not-for-profit, non-commercial use only */
    DUO_MOD_PUB = 1u << 4,     /* DUO:0000019 publication required */
    DUO_MOD_COL = 1u << 5,     /* DUO:0000020 collaboration required */
    DUO_MOD_IRB = 1u << 6,     /* DUO:0000021 ethics approval required */
    DUO_MOD_GS = 1u << 7,      /* DUO:0000022 geographical restriction */
    DUO_MOD_MOR = 1u << 8,     /* DUO:0000024 publication moratorium */
    DUO_MOD_TS = 1u << 9,      /* DUO:0000025 time limit on use */
    DUO_MOD_US = 1u << 10,     /* DUO:0000026 user specific restriction */
    DUO_MOD_PS = 1u << 11,     /* DUO:0000027 project specific restriction */
    DUO_MOD_IS = 1u << 12,     /* DUO:0000028 institution specific restriction */
    DUO_MOD_RTN = 1u << 13,    /* DUO:0000029 return to database or resource */
    DUO_MOD_CC = 1u << 14,     /* DUO:0000043 clinical care use */
    DUO_MOD_NPOA = 1u << 15,   /* DUO:0000044 population origins or ancestry research prohibited */
    DUO_MOD_NPU = 1u << 16,    /* DUO:0000045 not-for-profit organisation use only */
    DUO_MOD_NCU = 1u << 17,    /* DUO:0000046 non-commercial use only */
};

#define DUO_DISEASE_MAX 24 /* "MONDO:0007254", "DOID:1612", "OMIM:114480" + NUL */
#define DUO_TEXT_MAX 256   /* canonical text of a whole term set */

/* One set of terms: exactly one permission plus modifiers. Plain data. */
struct duo_terms {
    enum duo_permission permission;
    char disease[DUO_DISEASE_MAX]; /* DS only: the disease id, canonical; "" otherwise */
    unsigned modifiers;            /* enum duo_modifier bits */
};

/* Who the terms describe: a dataset's consent, or a request's purpose (where NRES, a
 * property of data, is not a research purpose and is refused). */
enum duo_subject { DUO_FOR_DATASET, DUO_FOR_REQUEST };

/* Parses "HMB,NPU", "DS:MONDO:0007254,IRB", "DUO:0000006,DUO:0000045" or
 * "DUO:0000007:DOID:1612" (shorthands case-insensitive, spaces around commas allowed).
 * Exactly one permission; DS needs a disease id (MONDO:nnnnnnn, DOID:n…, OMIM:nnnnnn or
 * MIM:nnnnnn); a term listed twice, an unknown term or stray text is GS_EINVAL naming it. */
int duo_parse(const char *text, enum duo_subject subject, struct duo_terms *out,
              struct gs_err *err) GS_MUST_USE;

/* The canonical spelling, shorthands in DUO order: "DS:MONDO:0007254,IRB,PUB". out holds
 * at least DUO_TEXT_MAX bytes. duo_parse(duo_format(x)) gives x back. */
void duo_format(const struct duo_terms *t, char *out, size_t size);

/* The shorthand, DUO id and label of one permission or modifier bit (static strings);
 * NULL for values that are not a term. */
const char *duo_permission_code(enum duo_permission p);
const char *duo_modifier_code(unsigned modifier_bit);
const char *duo_term_label(const char *code); /* "HMB" -> "health or medical or biomedical research" */
const char *duo_term_id(const char *code);    /* "HMB" -> "DUO:0000006" */

/* A request's declarations must agree with each other: commercial use cannot be declared
 * together with NPU, NCU or NPUNCU. GS_EINVAL naming the clash. */
int duo_check_purpose(const struct duo_terms *request, bool commercial,
                      struct gs_err *err) GS_MUST_USE;

/* ---- comparison ---- */

#define DUO_CONFLICTS_MAX 24
#define DUO_WHY_MAX 256
struct duo_conflict {
    char term[32];         /* the dataset term at stake, e.g. "HMB", "DS:MONDO:0007254", "NPU" */
    char why[DUO_WHY_MAX]; /* one sentence for the committee */
};
struct duo_conflicts {
    int n;
    struct duo_conflict items[DUO_CONFLICTS_MAX];
};

/* Compares a dataset's terms with a request's purpose. commercial: the requester declares
 * commercial (for-profit) use. Fills out (n = 0: no conflict); never fails. Disease ids
 * are compared exactly: genoshare does not hold MONDO/DOID, so a request for a subtype of
 * the dataset's disease is shown as a conflict for the committee to judge. */
void duo_compare(const struct duo_terms *dataset, const struct duo_terms *request,
                 bool commercial, struct duo_conflicts *out);

#endif
