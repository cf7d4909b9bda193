/* resistance.c — per-drug R/S/U calls from named variants by the catalogue's grades, LoF
 * rows and epistasis rules, and the WHO 2021 resistance type. Pure computation: no files,
 * no store (see resistance.h for the rules in order). */
#include "tb/resistance.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tb_resistance_options_default(struct tb_resistance_options *o)
{
    o->min_depth = 10; /* TB-Profiler --min_depth */
    o->min_af = 0.1;   /* TB-Profiler --af / --reporting_af */
}

static const struct {
    const char *from, *to;
} effect_spellings[] = {
    {"frameshift", "frameshift_variant"},
    {"transcript_ablation", "feature_ablation"},
};

const char *tb_effect_canonical(const char *effect)
{
    for (size_t i = 0; i < sizeof effect_spellings / sizeof effect_spellings[0]; i++)
        if (strcmp(effect, effect_spellings[i].from) == 0)
            return effect_spellings[i].to;
    return effect;
}

bool tb_effect_name_is_lof(const char *effect)
{
    const char *e = tb_effect_canonical(effect);
    return strcmp(e, "frameshift_variant") == 0 || strcmp(e, "stop_gained") == 0 ||
           strcmp(e, "start_lost") == 0 || strcmp(e, "feature_ablation") == 0;
}

const char *tb_resistance_type_name(enum tb_resistance_type t)
{
    static const char *const names[] = {"Sensitive", "HR-TB",  "RR-TB", "MDR-TB",
                                        "Pre-XDR-TB", "XDR-TB", "Other"};
    return (unsigned)t <= TB_TYPE_OTHER ? names[t] : "Other";
}

void tb_resistance_clear(struct tb_resistance *r)
{
    free(r->drugs);
    memset(r, 0, sizeof *r);
}

const struct tb_drug_call *tb_resistance_drug(const struct tb_resistance *r, const char *drug)
{
    for (int i = 0; i < r->ndrugs; i++)
        if (strcmp(r->drugs[i].drug, drug) == 0)
            return &r->drugs[i];
    return NULL;
}

static void note(struct tb_resistance *r, const char *text)
{
    if (r->nnotes < TB_NOTES_MAX)
        snprintf(r->notes[r->nnotes++], TB_NOTE_MAX, "%s", text);
}

static struct tb_drug_call *drug_slot(struct tb_resistance *r, const char *drug)
{
    for (int i = 0; i < r->ndrugs; i++)
        if (strcmp(r->drugs[i].drug, drug) == 0)
            return &r->drugs[i];
    return NULL;
}

/* Adds (or strengthens) the evidence of variant vi for one drug. */
static void evidence_add(struct tb_drug_call *d, size_t vi, enum tb_grade grade, bool gene_level,
                         bool low_depth)
{
    for (int i = 0; i < d->nevidence && i < TB_EVIDENCE_MAX; i++)
        if (d->evidence[i].variant == vi) {
            if (grade < d->evidence[i].grade)
                d->evidence[i].grade = grade, d->evidence[i].gene_level = gene_level;
            return;
        }
    if (d->nevidence < TB_EVIDENCE_MAX)
        d->evidence[d->nevidence] = (struct tb_evidence){vi, grade, gene_level, false, low_depth};
    d->nevidence++;
}

static bool counts(const struct tb_variant *v, const struct tb_resistance_options *opt)
{
    return v->af + 1e-9 >= opt->min_af;
}

static bool is_low_depth(const struct tb_variant *v, const struct tb_resistance_options *opt)
{
    return v->depth >= 0 && v->depth < opt->min_depth;
}

/* Matches each counting variant to its catalogue rows (its own, then the gene's LoF row of
 * its effect), drug by drug. */
static void match_variants(const struct tb_catalogue *c, const struct tb_resistance_input *in,
                           const struct tb_resistance_options *opt, struct tb_resistance *out)
{
    const struct tb_catalogue_row *rows[TB_DRUGS_MAX];
    for (size_t vi = 0; vi < in->nvariants; vi++) {
        const struct tb_variant *v = &in->variants[vi];
        if (!counts(v, opt))
            continue;
        bool low = is_low_depth(v, opt);
        size_t n = tb_catalogue_lookup(c, v->gene, v->name, rows, TB_DRUGS_MAX);
        for (size_t i = 0; i < n && i < TB_DRUGS_MAX; i++) {
            struct tb_drug_call *d = drug_slot(out, rows[i]->drug);
            if (d != NULL)
                evidence_add(d, vi, rows[i]->grade, false, low);
        }
        if (!tb_effect_name_is_lof(v->effect))
            continue;
        n = tb_catalogue_lookup(c, v->gene, tb_effect_canonical(v->effect), rows, TB_DRUGS_MAX);
        for (size_t i = 0; i < n && i < TB_DRUGS_MAX; i++) {
            struct tb_drug_call *d = drug_slot(out, rows[i]->drug);
            if (d != NULL)
                evidence_add(d, vi, rows[i]->grade, true, low);
        }
    }
}

static bool rule_has_drug(const struct tb_rule *r, const char *drug)
{
    for (int i = 0; i < r->ndrugs; i++)
        if (strcmp(r->drugs[i], drug) == 0)
            return true;
    return false;
}

/* Epistasis: LoF variants of the source gene summing to source_cutoff percent inactivate
 * the target gene's resistance variants for the rule's drugs (TB-Profiler: unconditional on
 * the target's fraction; the escape cutoff only adds a note). */
static void apply_rules(const struct tb_catalogue *c, const struct tb_resistance_input *in,
                        const struct tb_resistance_options *opt, struct tb_resistance *out)
{
    for (int ri = 0; ri < c->nrules; ri++) {
        const struct tb_rule *rule = &c->rules[ri];
        double source = 0;
        char names[TB_NOTE_MAX / 2] = "";
        size_t o = 0;
        for (size_t vi = 0; vi < in->nvariants; vi++) {
            const struct tb_variant *v = &in->variants[vi];
            if (counts(v, opt) && tb_effect_name_is_lof(v->effect) &&
                strcmp(tb_gene_canonical(v->gene), rule->source_gene) == 0) {
                source += v->af * 100;
                if (o < sizeof names)
                    o += (size_t)snprintf(names + o, sizeof names - o, "%s%s", o ? ", " : "",
                                          v->name);
            }
        }
        int source_pct = (int)fmin(ceil(source - 1e-6), 100);
        if (source == 0 || source_pct < rule->source_cutoff)
            continue;
        for (int di = 0; di < out->ndrugs; di++) {
            struct tb_drug_call *d = &out->drugs[di];
            if (!rule_has_drug(rule, d->drug))
                continue;
            double target = 0;
            bool any = false;
            for (int e = 0; e < d->nevidence && e < TB_EVIDENCE_MAX; e++) {
                struct tb_evidence *ev = &d->evidence[e];
                const struct tb_variant *v = &in->variants[ev->variant];
                if (tb_grade_is_resistance(ev->grade) &&
                    strcmp(tb_gene_canonical(v->gene), rule->target_gene) == 0)
                    ev->inactivated = true, any = true, target += v->af * 100;
            }
            if (!any)
                continue;
            char text[TB_NOTE_MAX];
            snprintf(text, sizeof text, "%.24s: loss of function in %.31s (%.40s) may abrogate "
                     "the %.31s resistance variants (%.31s)%s", rule->name, rule->source_gene, names,
                     rule->target_gene, d->drug,
                     target >= rule->target_escape_cutoff
                         ? " (some may escape)" : "");
            note(out, text);
        }
    }
}

static bool low_depth_site_hits(const struct tb_catalogue *c, const struct tb_resistance_input *in,
                                const char *drug, char *why, size_t why_size)
{
    for (size_t i = 0; i < in->nlow_depth; i++) {
        const struct tb_low_depth_site *s = &in->low_depth[i];
        bool graded = tb_catalogue_site_graded(c, s->gene, s->name, drug);
        if (graded || tb_catalogue_gene_lof(c, s->gene, drug)) {
            snprintf(why, why_size, "low depth (%d reads) at %s %s%s", s->depth, s->gene,
                     s->name, graded ? "" : " (gene with loss-of-function resistance)");
            return true;
        }
    }
    return false;
}

static bool unassessable(const struct tb_resistance_input *in, const char *drug)
{
    for (size_t i = 0; i < in->nunassessable; i++)
        if (strcmp(in->unassessable_drugs[i], drug) == 0)
            return true;
    return false;
}

static void decide(const struct tb_catalogue *c, const struct tb_resistance_input *in,
                   struct tb_drug_call *d)
{
    bool r = false, low_r = false;
    d->strongest = TB_GRADE_NONE;
    for (int e = 0; e < d->nevidence && e < TB_EVIDENCE_MAX; e++) {
        const struct tb_evidence *ev = &d->evidence[e];
        if (ev->inactivated)
            continue;
        if (d->strongest == TB_GRADE_NONE || ev->grade < d->strongest)
            d->strongest = ev->grade;
        if (tb_grade_is_resistance(ev->grade)) {
            if (ev->low_depth)
                low_r = true;
            else
                r = true;
        }
    }
    d->reason[0] = '\0';
    if (r) {
        d->call = TB_CALL_R;
    } else if (low_r) {
        d->call = TB_CALL_U;
        snprintf(d->reason, sizeof d->reason, "resistance variant below the minimum depth");
    } else if (low_depth_site_hits(c, in, d->drug, d->reason, sizeof d->reason)) {
        d->call = TB_CALL_U;
    } else if (unassessable(in, d->drug)) {
        d->call = TB_CALL_U;
        snprintf(d->reason, sizeof d->reason, "no genotype for this drug's genes");
    } else {
        d->call = TB_CALL_S;
    }
}

static void resistance_type(struct tb_resistance *r)
{
    const char *fq[] = {"levofloxacin", "moxifloxacin"}, *groupa[] = {"bedaquiline", "linezolid"};
    bool rif = false, inh = false, fq_r = false, a_r = false, any = false, unsure = false;
    for (int i = 0; i < r->ndrugs; i++) {
        const struct tb_drug_call *d = &r->drugs[i];
        bool res = d->call == TB_CALL_R, u = d->call == TB_CALL_U;
        any |= res;
        if (strcmp(d->drug, "rifampicin") == 0)
            rif = res, unsure |= u;
        else if (strcmp(d->drug, "isoniazid") == 0)
            inh = res, unsure |= u;
        for (int k = 0; k < 2; k++) {
            if (strcmp(d->drug, fq[k]) == 0)
                fq_r |= res, unsure |= u;
            if (strcmp(d->drug, groupa[k]) == 0)
                a_r |= res, unsure |= u;
        }
    }
    if (rif && fq_r && a_r)
        r->type = TB_TYPE_XDR;
    else if (rif && fq_r)
        r->type = TB_TYPE_PRE_XDR;
    else if (rif && inh)
        r->type = TB_TYPE_MDR;
    else if (rif)
        r->type = TB_TYPE_RR;
    else if (inh)
        r->type = TB_TYPE_HR;
    else
        r->type = any ? TB_TYPE_OTHER : TB_TYPE_SENSITIVE;
    r->type_uncertain = unsure;
}

int tb_resistance_call(const struct tb_catalogue *c, const struct tb_resistance_input *in,
                       const struct tb_resistance_options *opt, struct tb_resistance *out,
                       struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    if (c->ndrugs > 0 && (out->drugs = calloc((size_t)c->ndrugs, sizeof *out->drugs)) == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for resistance calls");
    out->ndrugs = c->ndrugs;
    for (int i = 0; i < c->ndrugs; i++)
        snprintf(out->drugs[i].drug, TB_DRUG_MAX, "%s", c->drugs[i]);
    match_variants(c, in, opt, out);
    apply_rules(c, in, opt, out);
    for (int i = 0; i < out->ndrugs; i++)
        decide(c, in, &out->drugs[i]);
    resistance_type(out);
    return GS_OK;
}
