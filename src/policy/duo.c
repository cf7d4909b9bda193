/* duo.c — GA4GH DUO terms: one table of the terms we know, a parser to a canonical form,
 * and the comparison of a dataset's consent with a request's purpose (duo.h). */
#include "policy/duo.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Every term, in DUO id order (which is also the canonical output order of modifiers).
 * permission != NONE marks a permission; otherwise bit is the modifier. */
static const struct duo_term {
    const char *code;
    const char *id;
    const char *label;
    enum duo_permission permission;
    unsigned bit;
} duo_terms_table[] = {
    {"NRES", "DUO:0000004", "no restriction", DUO_NRES, 0},
    {"HMB", "DUO:0000006", "health or medical or biomedical research", DUO_HMB, 0},
    {"DS", "DUO:0000007", "disease specific research", DUO_DS, 0},
    {"POA", "DUO:0000011", "population origins or ancestry research only", DUO_POA, 0},
    {"GRU", "DUO:0000042", "general research use", DUO_GRU, 0},
    {"RS", "DUO:0000012", "research specific restrictions", 0, DUO_MOD_RS},
    {"NMDS", "DUO:0000015", "no general methods research", 0, DUO_MOD_NMDS},
    {"GSO", "DUO:0000016", "genetic studies only", 0, DUO_MOD_GSO},
    {"NPUNCU", "DUO:0000018", "not for profit, non commercial use only", 0, DUO_MOD_NPUNCU},
    {"PUB", "DUO:0000019", "publication required", 0, DUO_MOD_PUB},
    {"COL", "DUO:0000020", "collaboration required", 0, DUO_MOD_COL},
    {"IRB", "DUO:0000021", "ethics approval required", 0, DUO_MOD_IRB},
    {"GS", "DUO:0000022", "geographical restriction", 0, DUO_MOD_GS},
    {"MOR", "DUO:0000024", "publication moratorium", 0, DUO_MOD_MOR},
    {"TS", "DUO:0000025", "time limit on use", 0, DUO_MOD_TS},
    {"US", "DUO:0000026", "user specific restriction", 0, DUO_MOD_US},
    {"PS", "DUO:0000027", "project specific restriction", 0, DUO_MOD_PS},
    {"IS", "DUO:0000028", "institution specific restriction", 0, DUO_MOD_IS},
    {"RTN", "DUO:0000029", "return to database or resource", 0, DUO_MOD_RTN},
    {"CC", "DUO:0000043", "clinical care use", 0, DUO_MOD_CC},
    {"NPOA", "DUO:0000044", "population origins or ancestry research prohibited", 0,
     DUO_MOD_NPOA},
    {"NPU", "DUO:0000045", "not for profit organisation use only", 0, DUO_MOD_NPU},
    {"NCU", "DUO:0000046", "non-commercial use only", 0, DUO_MOD_NCU},
};
#define NTERMS (sizeof duo_terms_table / sizeof duo_terms_table[0])

static const struct duo_term *term_by_code(const char *code, size_t len)
{
    for (size_t i = 0; i < NTERMS; i++) {
        const struct duo_term *t = &duo_terms_table[i];
        if (strlen(t->code) == len && strncasecmp(t->code, code, len) == 0)
            return t;
        if (strlen(t->id) == len && strncasecmp(t->id, code, len) == 0)
            return t;
    }
    return NULL;
}

const char *duo_permission_code(enum duo_permission p)
{
    for (size_t i = 0; i < NTERMS; i++)
        if (duo_terms_table[i].permission != DUO_PERMISSION_NONE &&
            duo_terms_table[i].permission == p)
            return duo_terms_table[i].code;
    return NULL;
}

const char *duo_modifier_code(unsigned modifier_bit)
{
    for (size_t i = 0; i < NTERMS; i++)
        if (duo_terms_table[i].bit != 0 && duo_terms_table[i].bit == modifier_bit)
            return duo_terms_table[i].code;
    return NULL;
}

const char *duo_term_label(const char *code)
{
    const struct duo_term *t = code ? term_by_code(code, strlen(code)) : NULL;
    return t ? t->label : NULL;
}

const char *duo_term_id(const char *code)
{
    const struct duo_term *t = code ? term_by_code(code, strlen(code)) : NULL;
    return t ? t->id : NULL;
}

/* ---- parsing ---- */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return n > 0;
}

/* A disease id: MONDO:7 digits, DOID:1-9 digits, OMIM:6 digits (MIM: accepted, written
 * OMIM:). Canonical prefix in capitals. */
static int parse_disease(const char *s, size_t len, char out[DUO_DISEASE_MAX], struct gs_err *err)
{
    static const struct {
        const char *prefix, *canonical;
        size_t min_digits, max_digits;
    } kinds[] = {
        {"MONDO:", "MONDO:", 7, 7}, {"DOID:", "DOID:", 1, 9},
        {"OMIM:", "OMIM:", 6, 6},   {"MIM:", "OMIM:", 6, 6},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        size_t plen = strlen(kinds[k].prefix);
        if (len <= plen || strncasecmp(s, kinds[k].prefix, plen) != 0)
            continue;
        size_t digits = len - plen;
        if (!all_digits(s + plen, digits) || digits < kinds[k].min_digits ||
            digits > kinds[k].max_digits)
            break;
        snprintf(out, DUO_DISEASE_MAX, "%s%.*s", kinds[k].canonical, (int)digits, s + plen);
        return GS_OK;
    }
    return gs_err_set(err, GS_EINVAL, "'%.*s' is not a disease id (MONDO:0000000 with 7 digits, "
                      "DOID:N or OMIM:000000)", (int)(len > 40 ? 40 : len), s);
}

/* One comma-separated token [start, start+len): a shorthand or DUO id, and for DS ":disease". */
static int parse_token(const char *s, size_t len, struct duo_terms *out, struct gs_err *err)
{
    size_t code_len = 0;
    if (len >= 11 && strncasecmp(s, "DUO:", 4) == 0)
        code_len = 11; /* DUO:0000042 */
    else
        while (code_len < len && s[code_len] != ':')
            code_len++;
    const struct duo_term *t = term_by_code(s, code_len);
    int shown = (int)(len > 40 ? 40 : len);
    if (t == NULL)
        return gs_err_set(err, GS_EINVAL, "'%.*s' is not a DUO term (permissions: GRU, HMB, "
                          "DS:<disease>, POA, NRES; modifiers such as NPU, NCU, IRB, PUB, COL, "
                          "GSO, GS, US, TS)", shown, s);
    const char *rest = s + code_len;
    size_t rest_len = len - code_len;
    if (t->permission == DUO_DS) {
        if (rest_len < 2 || rest[0] != ':')
            return gs_err_set(err, GS_EINVAL, "DS needs a disease, e.g. DS:MONDO:0007254");
    } else if (rest_len != 0) {
        return gs_err_set(err, GS_EINVAL, "'%.*s': only DS takes a value", shown, s);
    }
    if (t->permission != DUO_PERMISSION_NONE) {
        if (out->permission != DUO_PERMISSION_NONE)
            return gs_err_set(err, GS_EINVAL, "'%.*s': terms have exactly one permission, and "
                              "%s was given already", shown, s,
                              duo_permission_code(out->permission));
        out->permission = t->permission;
        return t->permission == DUO_DS ? parse_disease(rest + 1, rest_len - 1, out->disease, err)
                                       : GS_OK;
    }
    if (out->modifiers & t->bit)
        return gs_err_set(err, GS_EINVAL, "%s is listed twice", t->code);
    out->modifiers |= t->bit;
    return GS_OK;
}

int duo_parse(const char *text, enum duo_subject subject, struct duo_terms *out,
              struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    if (text == NULL || strlen(text) >= DUO_TEXT_MAX)
        return gs_err_set(err, GS_EINVAL, "DUO terms are missing or longer than %d bytes",
                          DUO_TEXT_MAX - 1);
    const char *p = text;
    for (;;) {
        while (*p == ' ')
            p++;
        const char *end = p;
        while (*end != '\0' && *end != ',')
            end++;
        const char *last = end;
        while (last > p && last[-1] == ' ')
            last--;
        if (last == p)
            return gs_err_set(err, GS_EINVAL, "empty DUO term in '%.64s'", text);
        int rc = parse_token(p, (size_t)(last - p), out, err);
        if (rc != GS_OK)
            return rc;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    if (out->permission == DUO_PERMISSION_NONE)
        return gs_err_set(err, GS_EINVAL, "'%.64s' has no DUO permission (one of GRU, HMB, "
                          "DS:<disease>, POA%s)", text,
                          subject == DUO_FOR_DATASET ? ", NRES" : "");
    if (subject == DUO_FOR_REQUEST && out->permission == DUO_NRES)
        return gs_err_set(err, GS_EINVAL, "NRES describes data, not research: state the purpose "
                          "as GRU, HMB, DS:<disease> or POA");
    return GS_OK;
}

void duo_format(const struct duo_terms *t, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    const char *perm = duo_permission_code(t->permission);
    if (perm != NULL)
        used += (size_t)snprintf(out, size, t->permission == DUO_DS ? "%s:%s" : "%s", perm,
                                 t->disease);
    for (size_t i = 0; i < NTERMS && used < size; i++) {
        if (duo_terms_table[i].bit == 0 || !(t->modifiers & duo_terms_table[i].bit))
            continue;
        used += (size_t)snprintf(out + used, size - used, "%s%s", used ? "," : "",
                                 duo_terms_table[i].code);
    }
}

int duo_check_purpose(const struct duo_terms *request, bool commercial, struct gs_err *err)
{
    static const unsigned not_for_profit = DUO_MOD_NPU | DUO_MOD_NCU | DUO_MOD_NPUNCU;
    if (commercial && (request->modifiers & not_for_profit))
        return gs_err_set(err, GS_EINVAL, "a commercial request cannot also declare NPU, NCU or "
                          "NPUNCU (not-for-profit / non-commercial use)");
    return GS_OK;
}

/* ---- comparison ---- */

__attribute__((format(printf, 3, 4)))
static void add_conflict(struct duo_conflicts *out, const char *term, const char *fmt, ...)
{
    if (out->n >= DUO_CONFLICTS_MAX)
        return;
    struct duo_conflict *c = &out->items[out->n++];
    snprintf(c->term, sizeof c->term, "%s", term);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, sizeof c->why, fmt, ap);
    va_end(ap);
}

/* Why a dataset permission does not cover a request's purpose, or NULL when it does.
 * DUO's matching: NRES covers all; GRU covers GRU, HMB, DS, POA; HMB covers HMB and DS
 * but not POA (HMB "does not include the study of population origins or ancestry") nor
 * GRU (which may be non-health research); DS-X covers only DS-X; POA only POA. */
static const char *permission_gap(const struct duo_terms *d, const struct duo_terms *r)
{
    switch (d->permission) {
    case DUO_NRES:
    case DUO_GRU:
    case DUO_PERMISSION_NONE:
        return NULL;
    case DUO_HMB:
        if (r->permission == DUO_HMB || r->permission == DUO_DS)
            return NULL;
        return r->permission == DUO_POA
                   ? "the dataset allows health/medical/biomedical research, which excludes "
                     "population origins or ancestry research (POA)"
                   : "the dataset allows health/medical/biomedical research only; general "
                     "research use (GRU) may include non-medical or ancestry research";
    case DUO_DS:
        if (r->permission == DUO_DS)
            return strcasecmp(d->disease, r->disease) == 0
                       ? NULL
                       : "the dataset allows research on its disease only, and the request "
                         "names another disease (a subtype must be judged by the committee)";
        return "the dataset allows research on one disease only; the request's purpose is "
               "broader than disease-specific research";
    case DUO_POA:
        return r->permission == DUO_POA
                   ? NULL
                   : "the dataset allows population origins or ancestry research only";
    }
    return NULL;
}

void duo_compare(const struct duo_terms *dataset, const struct duo_terms *request,
                 bool commercial, struct duo_conflicts *out)
{
    memset(out, 0, sizeof *out);
    char term[48];
    const char *gap = permission_gap(dataset, request);
    if (gap != NULL) {
        snprintf(term, sizeof term, dataset->permission == DUO_DS ? "DS:%s" : "%s",
                 dataset->permission == DUO_DS ? dataset->disease
                                               : duo_permission_code(dataset->permission));
        char purpose[48];
        snprintf(purpose, sizeof purpose, request->permission == DUO_DS ? "DS:%s" : "%s",
                 request->permission == DUO_DS ? request->disease
                                               : duo_permission_code(request->permission));
        add_conflict(out, term, "dataset %s vs request %s: %s", term, purpose, gap);
    }
    unsigned d = dataset->modifiers, r = request->modifiers;
    /* NPOA narrows the permission: a purpose that may be ancestry research conflicts unless
     * the requester declares NPOA too (their general research excludes it). */
    if ((d & DUO_MOD_NPOA) && !(r & DUO_MOD_NPOA) &&
        (request->permission == DUO_POA || request->permission == DUO_GRU))
        add_conflict(out, "NPOA", "the dataset prohibits population origins or ancestry research "
                     "(NPOA) and the request's purpose (%s) may include it",
                     duo_permission_code(request->permission));
    /* CC widens: a request for clinical care use needs a dataset that allows it (or one
     * with no restriction at all). */
    if ((r & DUO_MOD_CC) && !(d & DUO_MOD_CC) && dataset->permission != DUO_NRES)
        add_conflict(out, "CC", "the request includes clinical care use (CC), which the "
                     "dataset's consent does not allow");
    /* Not-for-profit conditions: a commercial request is refused outright; otherwise the
     * requester must declare them (NPUNCU is met by NPUNCU or by NPU and NCU together). */
    static const unsigned not_for_profit = DUO_MOD_NPU | DUO_MOD_NCU | DUO_MOD_NPUNCU;
    bool declares_npu = (r & (DUO_MOD_NPU | DUO_MOD_NPUNCU)) != 0;
    bool declares_ncu = (r & (DUO_MOD_NCU | DUO_MOD_NPUNCU)) != 0;
    for (size_t i = 0; i < NTERMS; i++) {
        unsigned bit = duo_terms_table[i].bit;
        if (bit == 0 || !(d & bit) || bit == DUO_MOD_NPOA || bit == DUO_MOD_CC)
            continue;
        const char *code = duo_terms_table[i].code, *label = duo_terms_table[i].label;
        if (bit & not_for_profit) {
            bool met = bit == DUO_MOD_NPU   ? declares_npu
                       : bit == DUO_MOD_NCU ? declares_ncu
                                            : declares_npu && declares_ncu;
            if (commercial)
                add_conflict(out, code, "the dataset is limited to %s (%s) and the request "
                             "is for commercial use", label, code);
            else if (!met)
                add_conflict(out, code, "the dataset requires %s (%s); the request does not "
                             "declare it", label, code);
            continue;
        }
        if (!(r & bit))
            add_conflict(out, code, "the dataset requires %s (%s); the request does not "
                         "declare it", label, code);
    }
}
