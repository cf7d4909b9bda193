/* vcf_names.h — walks a VCF (plain, bgzip or BCF, through htslib) and names every ALT
 * allele of every record on H37Rv with tb_name_edit. Used by `genoshare tb name`, the
 * naming bench and (for the edits) by profiles.
 *
 * Decisions: local paths only (htslib would fetch URLs); a record on any contig other than
 * NC_000962.3 / AL123456.3 / Chromosome stops the walk with GS_EINVAL naming the line;
 * a symbolic, '*' or breakend ALT is passed to the callback with names NULL and a reason
 * instead of stopping, so one odd allele does not hide the rest of a sample. */
#ifndef GS_TB_VCF_NAMES_H
#define GS_TB_VCF_NAMES_H

#include "tb/naming.h"

struct tb_vcf_edit {
    int64_t record;          /* 1-based record number in the file */
    int64_t pos;             /* 1-based */
    const char *ref;
    const char *alt;
    const char *info_value;  /* value of the INFO key asked for, or NULL */
    const char *skipped;     /* why this allele was not named, or NULL */
};

/* Called once per ALT allele; names is NULL when edit->skipped is set. Pointers are valid
 * during the call only. A non-zero return stops the walk and is returned. */
typedef int (*tb_vcf_edit_fn)(void *ctx, const struct tb_vcf_edit *edit,
                              const struct tb_names *names);

/* info_key (may be NULL): a String INFO field whose value is handed to fn. */
int tb_vcf_name_each(const struct tb_ref *ref, const char *path, const char *info_key,
                     tb_vcf_edit_fn fn, void *ctx, struct gs_err *err) GS_MUST_USE;

#endif
