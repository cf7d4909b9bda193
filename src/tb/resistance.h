/* resistance.h — per-drug resistance calls for one sample from its named variants, by the
 * WHO catalogue's grades and rules, and the sample's WHO 2021 resistance type.
 *
 * Input: the sample's variants already named as the catalogue names them (gene, HGVS name,
 * SO effect, allele fraction, depth) — from a VCF through tbname's naming (tb profile) or
 * from a genotypes table (tb predict) — and, when depth is known, the low-depth sites.
 *
 * Rules, in order, per drug of the catalogue:
 * 1. A variant counts when its allele fraction is at least min_af (and its depth at least
 *    min_depth, when known); below min_af it is ignored, below min_depth it is "low depth".
 * 2. Its catalogue row for the drug gives the grade; a variant with no row of its own whose
 *    effect is a loss of function (frameshift, stop gained, start lost, feature ablation)
 *    takes the gene-level LoF row of that effect.
 * 3. Epistasis rules inactivate resistance variants of their target gene (noted).
 * 4. Call: R when a counting grade-1/2 variant remains; otherwise U when a grade-1/2
 *    variant was seen at low depth, a low-depth site sits on a graded position or in a
 *    gene with LoF resistance rows, or the caller marked the drug not assessable; else S.
 *    Variants of grades 3–5 are reported with their grade and never make a call.
 * 5. The strongest grade among the drug's reported variants is kept with the call.
 * Resistance type from the R calls (WHO 2021): RR/MDR plus a fluoroquinolone is pre-XDR,
 * plus bedaquiline or linezolid too is XDR; isoniazid alone HR-TB; resistance to other
 * drugs only is "Other" (TB-Profiler's word); no R at all is Sensitive.
 *
 * Defaults are TB-Profiler's: min depth 10, allele fraction 0.1 to report and to predict.
 * Nothing here reads files or the store; every function is pure over its inputs. */
#ifndef GS_TB_RESISTANCE_H
#define GS_TB_RESISTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "tb/catalogue.h"

#define TB_EFFECT_MAX 48
#define TB_EVIDENCE_MAX 64  /* variants reported per drug; more are counted, not kept */
#define TB_NOTE_MAX 256
#define TB_NOTES_MAX 16

/* One named variant of the sample. */
struct tb_variant {
    char gene[TB_GENE_MAX];         /* annotation or catalogue name (tb_gene_canonical) */
    char name[TB_MUTATION_MAX];     /* "p.Ser450Leu", "c.-777C>T", "n.1401A>G", "p.Asp47fs" */
    char effect[TB_EFFECT_MAX];     /* SO term: missense_variant, frameshift_variant, … */
    double af;                      /* allele fraction 0..1 */
    int depth;                      /* reads over the site; -1 when unknown */
    int64_t pos;                    /* genome position (1-based), 0 when unknown */
};

/* A site whose depth is below min_depth (only known from VCFs with depth). name is the
 * site's position within the gene without an allele ("p.Ser450", "c.-777", "n.1401"): it
 * matches every catalogue row at that position; "" means somewhere in the gene. */
struct tb_low_depth_site {
    char gene[TB_GENE_MAX];
    char name[TB_MUTATION_MAX];
    int depth;
    int64_t pos;
};

struct tb_resistance_options {
    int min_depth;          /* reads; default 10 */
    double min_af;          /* a variant counts (reported and predicting) at this fraction; 0.1 */
};
void tb_resistance_options_default(struct tb_resistance_options *o);

enum tb_call { TB_CALL_S = 'S', TB_CALL_R = 'R', TB_CALL_U = 'U' };

/* A variant behind a drug's call. */
struct tb_evidence {
    size_t variant;             /* index into the input variants */
    enum tb_grade grade;
    bool gene_level;            /* matched the gene's LoF row rather than its own */
    bool inactivated;           /* by an epistasis rule */
    bool low_depth;
};

struct tb_drug_call {
    char drug[TB_DRUG_MAX];
    enum tb_call call;
    enum tb_grade strongest;    /* strongest grade among the evidence; NONE when none */
    int nevidence;              /* may exceed TB_EVIDENCE_MAX; only that many kept */
    struct tb_evidence evidence[TB_EVIDENCE_MAX];
    char reason[TB_NOTE_MAX];   /* why U (or "" ) */
};

enum tb_resistance_type {
    TB_TYPE_SENSITIVE, TB_TYPE_HR, TB_TYPE_RR, TB_TYPE_MDR, TB_TYPE_PRE_XDR, TB_TYPE_XDR,
    TB_TYPE_OTHER,
};
/* "Sensitive", "HR-TB", "RR-TB", "MDR-TB", "Pre-XDR-TB", "XDR-TB", "Other" (TB-Profiler's
 * spelling). */
const char *tb_resistance_type_name(enum tb_resistance_type t);

struct tb_resistance {
    int ndrugs;                      /* one per catalogue drug, in the catalogue's order */
    struct tb_drug_call *drugs;      /* owned; tb_resistance_clear frees */
    enum tb_resistance_type type;
    bool type_uncertain;             /* a drug the type depends on is U */
    int nnotes;
    char notes[TB_NOTES_MAX][TB_NOTE_MAX];
};
void tb_resistance_clear(struct tb_resistance *r);

/* Drugs the caller knows cannot be assessed (e.g. WHO had no genotype for their genes):
 * they are U unless a resistance variant makes them R. NULL / 0 for none. */
struct tb_resistance_input {
    const struct tb_variant *variants;
    size_t nvariants;
    const struct tb_low_depth_site *low_depth;
    size_t nlow_depth;
    const char *const *unassessable_drugs;
    size_t nunassessable;
};

/* Calls every drug of c for one sample. out is cleared first; free with
 * tb_resistance_clear. Only GS_ENOMEM can fail. */
int tb_resistance_call(const struct tb_catalogue *c, const struct tb_resistance_input *in,
                       const struct tb_resistance_options *opt, struct tb_resistance *out,
                       struct gs_err *err) GS_MUST_USE;

/* The call of one drug in r, or NULL when the catalogue has no such drug. */
const struct tb_drug_call *tb_resistance_drug(const struct tb_resistance *r, const char *drug);

/* Whether an SO effect is a loss of function (frameshift[_variant], stop_gained,
 * start_lost, feature_ablation, transcript_ablation). */
bool tb_effect_name_is_lof(const char *effect);
/* WHO's/TB-Profiler's effect spellings onto one ("frameshift" → "frameshift_variant",
 * "initiator_codon_variant" stays); a static string or effect itself. */
const char *tb_effect_canonical(const char *effect);

#endif
