/* predict.h — resistance predictions for many samples from a genotypes table: the WHO
 * solo-algorithm input as the isolates folder of ../shared/data/tb has it (columns
 * sample_id, gene, variant, effect, max_af; '#' comment lines; gzip or plain), and the
 * samples table beside it (sample_id, genotype_sets_missing).
 *
 * Each sample goes through the same tb_resistance_call as a VCF profile, with depth
 * unknown. A drug whose tier-1 gene set WHO had no genotype for ("Rifampicin/1" in
 * genotype_sets_missing) is unassessable: U unless a variant makes it R. Missing tier-2
 * sets change nothing: every grade-1/2 row of the catalogue lies in a tier-1 gene.
 * Samples come in the samples file's order, then any sample only the genotypes name, in
 * the genotypes' order. */
#ifndef GS_TB_PREDICT_H
#define GS_TB_PREDICT_H

#include "tb/resistance.h"

#define TB_SAMPLE_ID_MAX 64
#define TB_GENOTYPES_MAX (512u << 20) /* uncompressed bytes */

struct tb_genotypes; /* opaque */

/* Reads the genotypes file and the optional samples file (NULL). Errors name the file and
 * line. Free with tb_genotypes_free (NULL is fine). */
int tb_genotypes_read(const char *genotypes_path, const char *samples_path,
                      struct tb_genotypes **out, struct gs_err *err) GS_MUST_USE;
void tb_genotypes_free(struct tb_genotypes *g);
size_t tb_genotypes_samples(const struct tb_genotypes *g);
size_t tb_genotypes_variants(const struct tb_genotypes *g);

/* Calls every sample against c and hands each result to fn (valid during the call); fn's
 * non-zero return stops and is returned. */
typedef int (*tb_predict_fn)(void *ctx, const char *sample_id, const struct tb_resistance *r);
int tb_predict_each(const struct tb_genotypes *g, const struct tb_catalogue *c,
                    const struct tb_resistance_options *opt, tb_predict_fn fn, void *ctx,
                    struct gs_err *err) GS_MUST_USE;

#endif
