/* store_tb_catalogue.h — persistence of WHO mutation catalogue versions (schema v14): one
 * row per version (name, source file, counts, load time), its rows (gene, mutation, drug,
 * grade, WHO's original form, comment) and its rules (epistasis).
 *
 * Domain terms only; sqlite_tb_catalogue.c holds the SQL. Versions are never changed once
 * stored: a new catalogue is a new version beside the others. Nothing here validates:
 * src/tb/catalogue.c does, before it writes. */
#ifndef GS_STORE_STORE_TB_CATALOGUE_H
#define GS_STORE_STORE_TB_CATALOGUE_H

#include "store/store.h"

struct store_tb_catalogue {
    int64_t id;
    char version[STORE_NAME_MAX];
    char source[STORE_TEXT_MAX];
    int64_t nrows;
    int nrules;
    time_t loaded_at;
};

/* A row as stored; in a walk the strings are valid only during the call. */
struct store_tb_catalogue_row {
    const char *gene;
    const char *mutation;
    const char *drug;
    const char *original;
    const char *comment;
    int grade;              /* 1–5 */
};

struct store_tb_rule {
    char name[64];
    char type[32];          /* "epistasisRule" */
    char source_gene[32];
    char source_type[16];
    char target_gene[32];
    char drugs[STORE_TEXT_MAX]; /* comma list */
    int source_cutoff;
    int target_escape_cutoff;
};

/* ---- writes run inside the caller's transaction ---- */

/* GS_ECONFLICT when the version name exists. */
int store_tb_catalogue_insert(struct store *s, const struct store_tb_catalogue *in,
                              int64_t *id_out, struct gs_err *err) GS_MUST_USE;
/* ord: the row's place in the file (rows are walked in that order). */
int store_tb_catalogue_row_insert(struct store *s, int64_t catalogue_id, int64_t ord,
                                  const struct store_tb_catalogue_row *row,
                                  struct gs_err *err) GS_MUST_USE;
int store_tb_catalogue_rule_insert(struct store *s, int64_t catalogue_id, int ord,
                                   const struct store_tb_rule *rule, struct gs_err *err) GS_MUST_USE;

/* ---- reads ---- */

/* The version named version, or the newest (highest id) when version is NULL or "".
 * GS_ENOTFOUND (no message) when there is none. */
int store_tb_catalogue_find(struct store *s, const char *version, struct store_tb_catalogue *out,
                            struct gs_err *err) GS_MUST_USE;
/* Walks the versions, oldest first; fn's non-zero return stops the walk and is returned. */
typedef int (*store_tb_catalogue_fn)(void *ctx, const struct store_tb_catalogue *c);
int store_tb_catalogue_each(struct store *s, store_tb_catalogue_fn fn, void *ctx,
                            struct gs_err *err) GS_MUST_USE;
/* Walks a version's rows (in load order) and rules (in file order). */
typedef int (*store_tb_catalogue_row_fn)(void *ctx, const struct store_tb_catalogue_row *row);
int store_tb_catalogue_row_each(struct store *s, int64_t catalogue_id,
                                store_tb_catalogue_row_fn fn, void *ctx,
                                struct gs_err *err) GS_MUST_USE;
typedef int (*store_tb_rule_fn)(void *ctx, const struct store_tb_rule *rule);
int store_tb_catalogue_rule_each(struct store *s, int64_t catalogue_id, store_tb_rule_fn fn,
                                 void *ctx, struct gs_err *err) GS_MUST_USE;

#endif
