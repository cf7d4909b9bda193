/* store_tb.h — persistence of the TB reference (schema v13): one reference set (the H37Rv
 * sequence, its contig aliases, genes, lineage barcode markers, mask intervals) and a row
 * describing where it came from.
 *
 * Domain terms only; sqlite_tb.c holds the SQL. The types are the in-memory ones of
 * src/tb/reference.h (plain data), so loading is a straight copy: the sequence is one
 * BLOB, genes/barcode/mask one row each (~7,500 rows), read back in a few milliseconds.
 * There is one reference: a new load replaces the old one. The caller wraps a replace in
 * store_begin/store_commit so a failed load leaves the previous reference intact. */
#ifndef GS_STORE_STORE_TB_H
#define GS_STORE_STORE_TB_H

#include "store/store.h"
#include "tb/reference.h"

struct store_tb_reference_info {
    char name[32];                 /* "NC_000962.3" */
    int64_t length;
    char aliases[STORE_TEXT_MAX];  /* "AL123456.3,Chromosome" */
    char sources[STORE_TEXT_MAX * 2]; /* the file names it was loaded from */
    int64_t n_genes, n_barcode, n_mask;
    int64_t loaded_at;             /* unix seconds */
};

/* Replaces the stored reference with ref; sources names the input files (free text).
 * Must run inside store_begin/store_commit. */
int store_tb_reference_replace(struct store *s, const struct tb_ref *ref, const char *sources,
                               struct gs_err *err) GS_MUST_USE;

/* Reads the stored reference into a new struct tb_ref (indexed, caller frees with
 * tb_ref_free); GS_ENOTFOUND "no TB reference loaded (genoshare tb reference load)". */
int store_tb_reference_load(struct store *s, struct tb_ref **out, struct gs_err *err) GS_MUST_USE;

/* The description row only; GS_ENOTFOUND as above. */
int store_tb_reference_info(struct store *s, struct store_tb_reference_info *out,
                            struct gs_err *err) GS_MUST_USE;

#endif
