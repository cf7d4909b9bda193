/* hpo_internal.h — what the HPO readers share (never included outside src/pheno/): the
 * builder that every source (obographs JSON, OBO, the store) feeds, the string arena, and
 * a line reader over plain or gzipped files. Names with two underscores are internal. */
#ifndef GS_PHENO_HPO_INTERNAL_H
#define GS_PHENO_HPO_INTERNAL_H

#include <stdio.h>
#include <zlib.h>

#include "core/buf.h"
#include "pheno/hpo.h"

/* ---- building: add terms and links by HP number, then finish ---- */

enum hpo__link_kind { HPO_LINK_IS_A, HPO_LINK_ALT_ID, HPO_LINK_REPLACED_BY, HPO_LINK_CONSIDER };

/* An empty ontology under construction (GS_ENOMEM only). */
int hpo__begin(struct hpo **out, struct gs_err *err);
int hpo__set_version(struct hpo *h, const char *version, struct gs_err *err);
/* Declares a term (label copied); hpo__finish rejects a number declared twice, naming
 * line (0: none). */
int hpo__add_term(struct hpo *h, uint32_t number, const char *label, bool obsolete, int line,
                  struct gs_err *err);
/* Links from → to (is_a: child → parent; alt_id: primary → alt; replaced_by/consider:
 * obsolete → current). line is reported if to names no term (0: none). */
int hpo__add_link(struct hpo *h, enum hpo__link_kind kind, uint32_t from, uint32_t to,
                  int line, struct gs_err *err);
int hpo__add_synonym(struct hpo *h, uint32_t number, const char *text, struct gs_err *err);
/* Resolves the links, orders the terms, computes children and ancestor sets; rejects links
 * to undeclared terms and is-a cycles, naming source. No adds after this. */
int hpo__finish(struct hpo *h, const char *source, struct gs_err *err);
/* Runs fn(arg) on another thread (at most one per ontology; inline when none can start):
 * a reader's leftovers, such as the parsed JSON document, are freed while the caller goes
 * on (reading the annotations, writing the store). hpo_free waits for it; fn must not
 * touch h. */
void hpo__free_later(struct hpo *h, void (*fn)(void *), void *arg);

/* The index of the term declared with number (no alt/obsolete resolution), or -1. */
int hpo__index_of(const struct hpo *h, uint32_t number);

/* Sets IC for every term from counts (diseases reaching the term) over n diseases. */
void hpo__set_ic_from_counts(struct hpo *h, const int64_t *counts, int64_t n);
/* Sets t's IC directly (the store keeps the computed values). */
void hpo__set_ic(struct hpo *h, int t, double ic);
/* Records the disease count and the annotation file's version behind the IC. */
void hpo__set_annotations(struct hpo *h, int64_t diseases, const char *version);
/* Sets t's Japanese label (copied into the arena). */
int hpo__set_label_ja(struct hpo *h, int t, const char *label, struct gs_err *err);

/* hpo_load_annotations / hpo_load_labels_ja over lines opened by the caller (closed here). */
struct hpo__lines;
int hpo__annotations_read(struct hpo *h, struct hpo__lines *r, struct hpo_annotation_report *rep,
                          struct gs_err *err);
int hpo__labels_ja_read(struct hpo *h, struct hpo__lines *r, struct hpo_labels_report *rep,
                        struct gs_err *err);

/* ---- reading text files, plain or gzipped ---- */

struct hpo__lines {
    gzFile gz;           /* the file, or NULL when reading text already in memory */
    const char *text;    /* …that text (not owned), its length and the read position */
    size_t text_len, text_pos;
    const char *path;
    int line;            /* number of the line last read, from 1 */
    struct gs_buf buf;   /* the line, without its newline */
};
#define HPO_LINE_MAX (1u << 20)

int hpo__lines_open(struct hpo__lines *r, const char *path, struct gs_err *err);
/* The same over a file's text already read (hpo__read_all); path names it in messages. */
void hpo__lines_open_text(struct hpo__lines *r, const char *path, const char *text, size_t len);
/* Reads the next line into r->buf.data (NUL-terminated, "\r\n" trimmed): GS_OK, GS_ENOTFOUND
 * at the end (no message), or GS_EIO/GS_ETOOBIG naming file and line. */
int hpo__lines_next(struct hpo__lines *r, struct gs_err *err);
void hpo__lines_close(struct hpo__lines *r);

/* Reads a whole (possibly gzipped) file into a NUL-terminated buffer of at most max bytes;
 * the caller frees *out. */
int hpo__read_all(const char *path, size_t max, char **out, size_t *len, struct gs_err *err);

/* Finds the n named columns in the header line just read into r (split in place):
 * cols[i] is names[i]'s index, *needed the field count a row must have. GS_EINVAL naming
 * the missing column and kind ("a phenotype.hpoa file") otherwise. */
int hpo__header_columns(struct hpo__lines *r, const char *const *names, int n, int *cols,
                        int *needed, const char *kind, struct gs_err *err);
/* Splits the data line just read into r at tabs (in place) into fields[HPO_FIELDS_MAX];
 * GS_EINVAL naming file and line when it has fewer than needed. */
#define HPO_FIELDS_MAX 64
int hpo__row_fields(struct hpo__lines *r, char **fields, int needed, struct gs_err *err);

/* The obographs and OBO readers, called by hpo_load_ontology with the file's contents. */
int hpo__parse_obographs(const char *path, const char *text, size_t len, struct hpo **out,
                         struct gs_err *err);
int hpo__parse_obo(const char *path, char *text, struct hpo **out, struct gs_err *err);

#endif
