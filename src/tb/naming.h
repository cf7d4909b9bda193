/* naming.h — VCF edits on H37Rv to the names WHO's 2023 catalogue (and tbdb/TB-Profiler)
 * use: per gene an HGVS-style name and a Sequence Ontology effect term.
 *
 * House style (learnt from WHO's genomic-coordinates VCF, the test oracle; see
 * docs/tb-naming.md):
 * - Coding genes: an amino-acid change is named at protein level, one name per codon that
 *   changes (p.Ser450Leu, p.Gln247*, p.Met1? for any change of codon 1, p.Ter…ext*? for a
 *   lost stop); a codon whose amino acid stays is named per nucleotide at cDNA level
 *   (c.1509A>T, effect synonymous_variant). Codon table 11; codon 1 counts as Met whatever
 *   its bases (GTG/TTG starts), and losing a start is start_lost.
 * - Indels in coding genes: a length change not a multiple of 3 is p.<first changed
 *   aa><pos>fs (frameshift); in-frame ones are p.X1del, p.X1_X2del, p.X1dup, p.X1_X2insYZ,
 *   p.X1_X2delinsY, with the HGVS 3' rule applied in the gene's direction.
 * - Upstream of a gene (up to TB_UPSTREAM_MAX bases before its first base, edit not in
 *   the gene): c.-N (n.-N for non-coding genes), N counted back from the first base; indels
 *   as c.-N_-Mdel…, c.-Ndup…, c.-N_-MinsX; effect upstream_gene_variant.
 * - Non-coding genes (rrs, rrl, tRNA, ncRNA): n.NX>Y, n.Ndel…, n.N_MinsX,
 *   effect non_coding_transcript_exon_variant.
 * - An edit that touches several genes (overlapping genes, a gene and another's promoter)
 *   gets one or more names for each. Deleting a gene's first base or the whole gene is
 *   feature_ablation.
 * - Alleles are compared after trimming the shared prefix and suffix (VCF padding base);
 *   symbolic (<DEL>), breakend and '*' alleles are refused with GS_EINVAL.
 *
 * Cost: one bin lookup in the reference plus work proportional to the edit's length;
 * no allocation except growing the caller's struct tb_names. Thread-safe given a shared,
 * immutable struct tb_ref and one struct tb_names per thread. */
#ifndef GS_TB_NAMING_H
#define GS_TB_NAMING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "tb/reference.h"

#define TB_NAME_MAX 160     /* longest HGVS text kept; longer inserts are abbreviated */
#define TB_ALLELE_MAX 100000 /* longer REF/ALT alleles are refused */

enum tb_effect {
    TB_EFFECT_MISSENSE,          /* missense_variant */
    TB_EFFECT_SYNONYMOUS,        /* synonymous_variant */
    TB_EFFECT_STOP_GAINED,       /* stop_gained */
    TB_EFFECT_STOP_LOST,         /* stop_lost */
    TB_EFFECT_STOP_RETAINED,     /* stop_retained_variant */
    TB_EFFECT_START_LOST,        /* start_lost */
    TB_EFFECT_INITIATOR_SYNONYMOUS, /* initiator_codon_variant: start codon changed to another start */
    TB_EFFECT_FRAMESHIFT,        /* frameshift_variant */
    TB_EFFECT_INFRAME_INSERTION, /* inframe_insertion */
    TB_EFFECT_INFRAME_DELETION,  /* inframe_deletion */
    TB_EFFECT_UPSTREAM,          /* upstream_gene_variant */
    TB_EFFECT_NONCODING,         /* non_coding_transcript_exon_variant */
    TB_EFFECT_FEATURE_ABLATION,  /* feature_ablation */
};

/* The Sequence Ontology term as tbdb writes it ("missense_variant", "frameshift_variant",
 * "feature_ablation", …). Static string. */
const char *tb_effect_term(enum tb_effect effect);

/* True for the effects WHO's gene-level "LoF" rows stand for: frameshift, stop gained,
 * start lost, feature ablation. */
bool tb_effect_is_lof(enum tb_effect effect);

/* One name of an edit in one gene. */
struct tb_name {
    const struct tb_gene *gene; /* borrowed from the struct tb_ref */
    char hgvs[TB_NAME_MAX];     /* "p.Ser450Leu", "c.-777C>T", "n.1401A>G", "c.758del" */
    char nuc[TB_NAME_MAX];      /* the cDNA/n. spelling of the same change ("c.1349C>T");
                                   equals hgvs when hgvs is not a p. name */
    enum tb_effect effect;
    bool alternative;           /* another spelling of a change named just before (WHO's
                                   lists use both: unshifted promoter indels, ins vs dup,
                                   per-base MNV names); match on any, display the others */
};

/* The names of one edit: items[0..n) valid until the next tb_name_edit on this struct.
 * Zero-initialise, reuse across calls, release with tb_names_free. */
struct tb_names {
    struct tb_name *items;
    size_t n, cap;
};

/* Names the edit REF→ALT at pos (1-based, VCF convention) on ref: clears out, then appends
 * one or more names per gene the edit touches or lies upstream of (none for an
 * intergenic edit further than TB_UPSTREAM_MAX from any gene's start). GS_EINVAL when the
 * REF allele does not match the reference, the alleles are not A/C/G/T/N, or the edit
 * runs past the end of the sequence. */
int tb_name_edit(const struct tb_ref *ref, int64_t pos, const char *ref_allele,
                 const char *alt_allele, struct tb_names *out, struct gs_err *err) GS_MUST_USE;

void tb_names_free(struct tb_names *names);

/* Amino-acid three-letter code ("Ser", "Ter" for a stop) of a codon under table 11;
 * "Xaa" when the codon holds anything but A/C/G/T. */
const char *tb_codon_aa3(const char codon[3]);

#endif
