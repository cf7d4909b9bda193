/* model.c — names of tiers, scopes, data types and roles. */
#include "core/model.h"

#include <stdio.h>
#include <string.h>

static const char *const tier_names[] = {"restricted", "controlled", "open"};
static const char *const scope_names[] = {"private", "domestic", "international"};
static const char *const data_type_names[] = {
    "sequence", "variants", "somatic_mutations", "expression_epigenome",
    "microbial_genomes", "phenotype_clinical",
};
static const char *const role_names[] = {"member", "submitter", "curator", "dac", "admin"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *tier_name(enum tier t) { return (unsigned)t < COUNT(tier_names) ? tier_names[t] : "?"; }
const char *scope_name(enum scope s)
{
    return (unsigned)s < COUNT(scope_names) ? scope_names[s] : "?";
}
const char *data_type_name(enum data_type d)
{
    return (unsigned)d < COUNT(data_type_names) ? data_type_names[d] : "?";
}

const char *role_name(enum role r)
{
    for (unsigned i = 0; i < COUNT(role_names); i++)
        if ((unsigned)r == (1u << i))
            return role_names[i];
    return "?";
}

static int name_lookup(const char *text, const char *const *names, unsigned n, const char *what,
                       int *out, struct gs_err *err)
{
    for (unsigned i = 0; text != NULL && i < n; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (int)i;
            return GS_OK;
        }
    }
    char list[256] = "";
    for (unsigned i = 0; i < n; i++) {
        strncat(list, names[i], sizeof list - strlen(list) - 1);
        if (i + 1 < n)
            strncat(list, ", ", sizeof list - strlen(list) - 1);
    }
    return gs_err_set(err, GS_EINVAL, "unknown %s '%.64s' (expected one of: %s)", what,
                      text ? text : "", list);
}

int tier_parse(const char *text, enum tier *out, struct gs_err *err)
{
    int v;
    int rc = name_lookup(text, tier_names, COUNT(tier_names), "tier", &v, err);
    if (rc == GS_OK)
        *out = (enum tier)v;
    return rc;
}

int scope_parse(const char *text, enum scope *out, struct gs_err *err)
{
    int v;
    int rc = name_lookup(text, scope_names, COUNT(scope_names), "scope", &v, err);
    if (rc == GS_OK)
        *out = (enum scope)v;
    return rc;
}

int data_type_parse(const char *text, enum data_type *out, struct gs_err *err)
{
    int v;
    int rc = name_lookup(text, data_type_names, COUNT(data_type_names), "data type", &v, err);
    if (rc == GS_OK)
        *out = (enum data_type)v;
    return rc;
}

int roles_parse(const char *text, unsigned *out, struct gs_err *err)
{
    unsigned roles = 0;
    const char *p = text ? text : "";
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        char word[32];
        if (n == 0 || n >= sizeof word)
            return gs_err_set(err, GS_EINVAL, "bad role list '%.64s'", text);
        memcpy(word, p, n);
        word[n] = '\0';
        int idx;
        int rc = name_lookup(word, role_names, COUNT(role_names), "role", &idx, err);
        if (rc != GS_OK)
            return rc;
        roles |= 1u << idx;
        p += n;
        if (*p == ',')
            p++;
    }
    *out = roles;
    return GS_OK;
}

void roles_format(unsigned roles, char *out, unsigned long outsize)
{
    out[0] = '\0';
    for (unsigned i = 0; i < COUNT(role_names); i++) {
        if (!(roles & (1u << i)))
            continue;
        if (out[0] != '\0')
            strncat(out, ",", outsize - strlen(out) - 1);
        strncat(out, role_names[i], outsize - strlen(out) - 1);
    }
}
