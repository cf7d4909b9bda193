/* reference.h — the M. tuberculosis H37Rv reference held in memory: sequence, genes
 * (strand, coding or not, locus tag and symbol), lineage SNP barcode and the low-confidence
 * mask; loaded from the files (FASTA + GFF3 + BEDs) or from the store (schema v13).
 *
 * Decisions:
 * - One contig. NC_000962.3 (RefSeq), AL123456.3 (ENA) and Chromosome (Ensembl, used by
 *   TB-Profiler/tbdb) name the same sequence; every file and VCF is checked against that
 *   list and the FASTA's length must be 4,411,532. Anything else is refused, not guessed.
 * - Coordinates are 1-based inclusive everywhere in this interface (BED files are converted
 *   on load); ref->seq[pos - 1] is the base at pos, upper case A/C/G/T/N.
 * - Genes come from the GFF3 "gene", "rRNA_gene", "ncRNA_gene", "tRNA_gene" and
 *   "pseudogene" records; a "gene" of biotype protein_coding is coding (named c./p.; in
 *   H37Rv its CDS is the gene span), any other is named n. (rrs/rrl, tRNA, ncRNA,
 *   pseudogenes). The name a gene goes by is its symbol (GFF Name=) when it has one, else
 *   its locus tag; catalogues sometimes use the locus tag of a gene that has a symbol (WHO
 *   writes Rv0678 for mmpR5, Rv2983 for fbiD), so lookups accept either (tb_ref_gene_find)
 *   and callers matching names must compare both.
 * - Gene lookup by position is an array of bins of TB_REF_BIN bases, each listing the genes
 *   that reach into it (plus the upstream window): O(1) per edit, built once on load.
 * - A struct tb_ref is immutable after load and may be shared by threads. */
#ifndef GS_TB_REFERENCE_H
#define GS_TB_REFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/error.h"

#define TB_REF_LENGTH 4411532
#define TB_REF_NAME "NC_000962.3"
#define TB_GENE_NAME_MAX 32 /* "Rv1979c", "EBG00000313325", "PPE35" */
#define TB_REF_BIN 1024
/* Genes whose first base lies this far downstream of an edit get an upstream name
 * (c.-N / n.-N). WHO scanned up to 1,982 bases upstream (embC). */
#define TB_UPSTREAM_MAX 2000

enum tb_gene_kind {
    TB_GENE_CODING,    /* has a CDS: c. and p. names */
    TB_GENE_RRNA,      /* rrs, rrl, rrf: n. names */
    TB_GENE_NONCODING, /* tRNA, ncRNA, pseudogene without CDS: n. names */
};

struct tb_gene {
    char locus_tag[TB_GENE_NAME_MAX]; /* GFF gene_id: "Rv0667", "EBG00000313325" */
    char symbol[TB_GENE_NAME_MAX];    /* GFF Name=: "rpoB", or "" */
    const char *name;                 /* symbol if any, else locus_tag (points into this) */
    int64_t start, end;               /* 1-based inclusive genomic span of the feature */
    int strand;                       /* +1 or -1 */
    enum tb_gene_kind kind;
};

/* One lineage barcode SNP (tbdb barcode.bed): the lineage is present when alt is seen. */
struct tb_barcode_marker {
    int64_t pos;      /* 1-based */
    char alt;         /* A/C/G/T; may equal the reference base (lineage4, lineage4.9) */
    char lineage[48]; /* "lineage4.3.4.2" */
    char family[64];  /* "Euro-American (LAM)" */
    char spoligotype[64];
    char rds[64];
};

/* One masked interval, 1-based inclusive. */
struct tb_interval {
    int64_t start, end;
};

struct tb_ref_bin;

/* The reference. Owns everything it points to; free with tb_ref_free. genes are sorted by
 * start (then end), barcode by pos, mask by start and merged (non-overlapping). */
struct tb_ref {
    char name[32]; /* TB_REF_NAME */
    char *seq;     /* length bytes + NUL */
    int64_t length;
    struct tb_gene *genes;
    size_t n_genes;
    struct tb_barcode_marker *barcode;
    size_t n_barcode;
    struct tb_interval *mask;
    size_t n_mask;
    uint32_t *bin_start; /* internal index: bin b lists bin_genes[bin_start[b] .. */
    uint32_t *bin_genes; /* .. bin_start[b+1]) (indexes into genes) */
    size_t n_bins;
};

/* True when contig names the reference: exactly NC_000962.3, AL123456.3 or Chromosome. */
bool tb_contig_is_reference(const char *contig);

/* GS_OK when contig names the reference, else GS_EINVAL with
 * "<where>: contig 'X' is not H37Rv (expected NC_000962.3, AL123456.3 or Chromosome)". */
int tb_contig_check(const char *contig, const char *where, struct gs_err *err);

/* Reads the reference from files: fasta (plain, gzip or bgzip; one record), gff (GFF3,
 * plain or gzip), barcode and mask (BED, may be NULL). Every contig named is checked.
 * On success *out is a new reference the caller frees with tb_ref_free. */
int tb_ref_load_files(const char *fasta, const char *gff, const char *barcode, const char *mask,
                      struct tb_ref **out, struct gs_err *err) GS_MUST_USE;

/* Builds the position index; called by the loaders (and by the store reader). Exposed so a
 * reference assembled by hand (tests) can be indexed: sorts genes, barcode and mask. */
int tb_ref_index(struct tb_ref *ref, struct gs_err *err) GS_MUST_USE;

/* Allocates empty gene, barcode and mask arrays with room for the given counts (counts set
 * to 0), for a loader that knows its sizes (the store). */
int tb_ref_reserve(struct tb_ref *ref, size_t n_genes, size_t n_barcode, size_t n_mask,
                   struct gs_err *err) GS_MUST_USE;

/* Replaces the stored reference with ref in one transaction with its audit row
 * ("tb.reference.load"; sources names the files it came from). */
struct store;
struct actor;
int tb_ref_save(struct store *s, const struct actor *by, const struct tb_ref *ref,
                const char *sources, time_t now, struct gs_err *err) GS_MUST_USE;

void tb_ref_free(struct tb_ref *ref);

/* The gene named name (symbol or locus tag, exact, case-sensitive), or NULL. O(n). */
const struct tb_gene *tb_ref_gene_find(const struct tb_ref *ref, const char *name);

/* Calls fn for every gene that overlaps [start, end] or whose first base (start for +,
 * end for -) lies at most TB_UPSTREAM_MAX bases downstream of the span, each once;
 * fn's non-zero stops the walk and is returned. O(genes near the span). */
typedef int (*tb_gene_visit_fn)(void *ctx, const struct tb_gene *gene);
int tb_ref_genes_near(const struct tb_ref *ref, int64_t start, int64_t end, tb_gene_visit_fn fn,
                      void *ctx);

/* True when pos (1-based) lies in a masked interval. O(log n). */
bool tb_ref_masked(const struct tb_ref *ref, int64_t pos);

#endif
