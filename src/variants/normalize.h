/* normalize.h — one spelling per variant: chromosome names unified, alleles trimmed and
 * left-aligned against the reference FASTA, REF checked.
 *
 * Decisions:
 *   - Chromosomes are stored without "chr": "chr17" → "17", "chrM"/"M"/"chrMT" → "MT",
 *     "chrX" → "X". The FASTA may use either spelling: the reader tries both.
 *   - The algorithm is the usual one for VCF normalisation (as in vt and bcftools norm):
 *     while the alleles end with the same base, drop it, and when an allele becomes empty,
 *     prepend the reference base before pos to both (moving left); then drop shared leading
 *     bases while both alleles keep at least one. Without a reference only the trimming that
 *     needs no extra base is done (suffix, then prefix) and the result may not be
 *     left-aligned: the report says so once per file.
 *   - REF must equal the reference at pos (case-insensitive); a mismatch is an error of that
 *     line, never a silent correction. Symbolic and missing ALTs (<DEL>, *, .) are kept as
 *     given (REF still checked).
 *   - The reader is a path on the local disk (htslib would follow URLs: refused), opened
 *     with faidx (plain or bgzip FASTA with .fai/.gzi). Sequence is fetched in windows of
 *     NORMALIZE_WINDOW bases and cached, so a sorted VCF reads each block once. */
#ifndef GS_VARIANTS_NORMALIZE_H
#define GS_VARIANTS_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define NORMALIZE_WINDOW 65536

/* "chr17" → "17", "chrM" → "MT" into out; GS_EINVAL for an empty name, one longer than
 * size - 1, or characters outside [A-Za-z0-9._-]. */
int chrom_normalize(const char *in, char *out, size_t size, struct gs_err *err) GS_MUST_USE;

/* An open reference FASTA (opaque; one thread at a time). */
struct reference;
/* Opens path (local file; its .fai, and .gzi when bgzipped, must exist or be creatable).
 * The caller frees *out with reference_close. */
int reference_open(const char *path, struct reference **out, struct gs_err *err) GS_MUST_USE;
void reference_close(struct reference *r);
/* The base at 1-based pos of chrom (upper case); GS_ENOTFOUND when the FASTA has no such
 * sequence ("chromosome 17 is not in FILE"), GS_EINVAL past its end. */
int reference_base(struct reference *r, const char *chrom, int64_t pos, char *out,
                   struct gs_err *err) GS_MUST_USE;

/* Normalises one biallelic variant in place. ref and alt are NUL-terminated, upper-cased
 * by this call, and never grow (the buffers keep their size). r may be NULL (trim only).
 * *changed says whether pos/ref/alt moved. GS_EINVAL with the reason for a REF mismatch
 * ("REF 'A' does not match the reference 'G' at 17:43045712"), bad bases, or a position
 * outside the chromosome; GS_ENOTFOUND for a chromosome missing from the FASTA. */
int variant_normalize(struct reference *r, const char *chrom, int64_t *pos, char *ref, char *alt,
                      bool *changed, struct gs_err *err) GS_MUST_USE;

#endif
