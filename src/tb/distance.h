/* distance.h — pairwise SNP distances between TB isolates.
 *
 * The distance between two isolates is the number of genome positions where their bases
 * differ, counting single-nucleotide calls only (indels never count), leaving out the masked
 * positions (tbdb.mask.bed: repeats and low-confidence regions) and every position missing
 * in either isolate (no call, low depth, mixed). Two different alternative bases at one
 * position count once.
 *
 * Two implementations, which must agree exactly:
 *   tb_distance_pair   — the plain one: a merge of two sorted SNP lists (one pair at a time);
 *   tb_distances_*     — the engine for all pairs of many isolates. Each isolate is written
 *                        as its difference from an "anchor" isolate close to it (greedy
 *                        choice, at most TB_ANCHORS_MAX anchors), so a pair costs the merge
 *                        of two short difference lists plus a bit test per element against
 *                        the two anchors (A Δ B = A' Δ B' Δ (anchor_a Δ anchor_b), with
 *                        |anchor_a Δ anchor_b| precomputed), then an exact correction at
 *                        the few positions that are multi-allelic or missing in either.
 * tb_distances_dense is the straightforward dense reference (an isolates × sites matrix
 * compared column by column) used by the benchmark and the tests.
 *
 * Positions are 1-based on H37Rv (NC_000962.3 = AL123456.3 = Chromosome, 4,411,532 bp;
 * contig names are checked by reference.h's tb_contig_is_reference). */
#ifndef GS_TB_DISTANCE_H
#define GS_TB_DISTANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define TB_GENOME_LENGTH 4411532u
#define TB_ANCHORS_MAX 256
#define TB_THREADS_MAX 16

/* Sorted, merged intervals of positions (1-based, inclusive). Zero-initialise; add, then
 * finish before any lookup; freed by tb_intervals_free. */
struct tb_intervals {
    uint32_t *start, *end;
    size_t n, cap;
};
int tb_intervals_add(struct tb_intervals *iv, uint32_t start, uint32_t end,
                     struct gs_err *err) GS_MUST_USE;
void tb_intervals_finish(struct tb_intervals *iv);
bool tb_intervals_has(const struct tb_intervals *iv, uint32_t pos);
uint64_t tb_intervals_bases(const struct tb_intervals *iv);
void tb_intervals_free(struct tb_intervals *iv);

/* Reads a BED file (plain or gzip; 0-based half-open; contig must be an H37Rv alias) into
 * out (finished). GS_EINVAL naming file and line on a bad line or another contig. */
int tb_bed_read(const char *path, struct tb_intervals *out, struct gs_err *err) GS_MUST_USE;

/* One isolate's SNP calls and missing intervals. Zero-initialise; add calls and intervals,
 * then tb_profile_finish; freed by tb_profile_free. */
struct tb_profile {
    int64_t id;          /* the caller's (an isolate id) */
    uint32_t *snps;      /* pos << 2 | base (A 0, C 1, G 2, T 3), sorted, unique */
    size_t nsnps, cap;
    struct tb_intervals missing;
};
/* base: one of ACGT (case-insensitive); GS_EINVAL otherwise or for a position off H37Rv. */
int tb_profile_add_snp(struct tb_profile *p, uint32_t pos, char base,
                       struct gs_err *err) GS_MUST_USE;
int tb_profile_add_missing(struct tb_profile *p, uint32_t start, uint32_t end,
                           struct gs_err *err) GS_MUST_USE;
/* Sorts; drops calls at masked positions (mask may be NULL) and inside the profile's own
 * missing intervals; a position with two different calls becomes missing. */
int tb_profile_finish(struct tb_profile *p, const struct tb_intervals *mask,
                      struct gs_err *err) GS_MUST_USE;
void tb_profile_free(struct tb_profile *p);

/* The plain distance of two finished profiles. */
uint32_t tb_distance_pair(const struct tb_profile *a, const struct tb_profile *b);

/* ---- many isolates ---- */
struct tb_distances;
/* Builds the engine over n finished profiles (which must outlive it). */
int tb_distances_build(const struct tb_profile *profiles, size_t n, struct tb_distances **out,
                       struct gs_err *err) GS_MUST_USE;
void tb_distances_free(struct tb_distances *d);
size_t tb_distances_anchors(const struct tb_distances *d);
/* The distance of profiles i and j (indexes into the build's array). */
uint32_t tb_distances_get(const struct tb_distances *d, size_t i, size_t j);

struct tb_pair {
    uint32_t i, j; /* j < i */
    uint32_t snps;
};
struct tb_pair_list {
    struct tb_pair *pairs; /* malloc'd; freed by tb_pair_list_free */
    size_t n, cap;
};
void tb_pair_list_free(struct tb_pair_list *l);

/* Computes every pair (i, j) with j < i and from <= i < n (from 0: all pairs; from k: the
 * rows of profiles k.. that arrived last), on threads threads. Appends to out the pairs with
 * at most keep SNPs, ordered by i then j; if hist is non-NULL adds each distance d to
 * hist[min(d, nhist - 1)]. */
int tb_distances_all(const struct tb_distances *d, size_t from, uint32_t keep, int threads,
                     struct tb_pair_list *out, uint64_t *hist, size_t nhist,
                     struct gs_err *err) GS_MUST_USE;

/* The dense reference: fills matrix[i * n + j] for all i, j (n*n entries, caller's). */
int tb_distances_dense(const struct tb_profile *profiles, size_t n, uint32_t *matrix,
                       struct gs_err *err) GS_MUST_USE;

#endif
