/* sqlite_match.c — the SQLite side of store_match.h: one walk per case list table over the
 * active cases, for the similar-case search. No schema step: it reads schema v7's tables. */
#include "store/store_match.h"

#include <string.h>

#include "store/sqlite_internal.h"

/* The caller's callback (one of the three is set) and its context. */
struct walk_to {
    store_match_feature_fn feature;
    store_match_gene_fn gene;
    store_match_variant_fn variant;
    void *ctx;
};

/* Walks the rows of sql (no parameters), handing each to visit; stops on its non-zero. */
static int walk(struct store *s, const char *sql, const char *what,
                int (*visit)(sqlite3_stmt *st, const struct walk_to *to), const struct walk_to *to,
                struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    while ((rc = store__step_row(s, st, what, err)) == GS_OK)
        if ((rc = visit(st, to)) != GS_OK)
            break;
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

static int feature_row(sqlite3_stmt *st, const struct walk_to *to)
{
    struct store_case_feature f;
    memset(&f, 0, sizeof f);
    f.hpo = (uint32_t)sqlite3_column_int64(st, 1);
    f.excluded = sqlite3_column_int(st, 2) != 0;
    store__copy_text(f.label, sizeof f.label, st, 3);
    return to->feature(to->ctx, sqlite3_column_int64(st, 0), &f);
}

int store_match_features_each(struct store *s, store_match_feature_fn fn, void *ctx,
                              struct gs_err *err)
{
    static const char sql[] =
        "SELECT f.case_id, f.hpo, f.excluded, f.label FROM case_feature f"
        " JOIN patient_case c ON c.id = f.case_id WHERE c.state = 'active'"
        " ORDER BY f.case_id, f.ord";
    struct walk_to to = {.feature = fn, .ctx = ctx};
    return walk(s, sql, "case features", feature_row, &to, err);
}

static int gene_row(sqlite3_stmt *st, const struct walk_to *to)
{
    struct store_case_gene g;
    memset(&g, 0, sizeof g);
    store__copy_text(g.gene_id, sizeof g.gene_id, st, 1);
    store__copy_text(g.symbol, sizeof g.symbol, st, 2);
    return to->gene(to->ctx, sqlite3_column_int64(st, 0), &g);
}

int store_match_genes_each(struct store *s, store_match_gene_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] =
        "SELECT g.case_id, g.gene_id, g.symbol FROM case_gene g"
        " JOIN patient_case c ON c.id = g.case_id WHERE c.state = 'active'"
        " ORDER BY g.case_id, g.ord";
    struct walk_to to = {.gene = fn, .ctx = ctx};
    return walk(s, sql, "case genes", gene_row, &to, err);
}

static int variant_row(sqlite3_stmt *st, const struct walk_to *to)
{
    struct store_case_variant v;
    memset(&v, 0, sizeof v);
    store__copy_text(v.assembly, sizeof v.assembly, st, 1);
    store__copy_text(v.chrom, sizeof v.chrom, st, 2);
    v.pos = sqlite3_column_int64(st, 3);
    store__copy_text(v.ref, sizeof v.ref, st, 4);
    store__copy_text(v.alt, sizeof v.alt, st, 5);
    store__copy_text(v.zygosity, sizeof v.zygosity, st, 6);
    store__copy_text(v.gene_id, sizeof v.gene_id, st, 7);
    return to->variant(to->ctx, sqlite3_column_int64(st, 0), &v);
}

int store_match_variants_each(struct store *s, store_match_variant_fn fn, void *ctx,
                              struct gs_err *err)
{
    static const char sql[] =
        "SELECT v.case_id, v.assembly, v.chrom, v.pos, v.ref, v.alt, v.zygosity, v.gene_id"
        " FROM case_variant v JOIN patient_case c ON c.id = v.case_id"
        " WHERE c.state = 'active' ORDER BY v.case_id, v.ord";
    struct walk_to to = {.variant = fn, .ctx = ctx};
    return walk(s, sql, "case variants", variant_row, &to, err);
}

int store_match_generation(struct store *s, int64_t *out, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, "SELECT coalesce(max(rowid), 0) FROM case_version", &st, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store__step_row(s, st, "case change counter", err)) == GS_OK)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc;
}

int store_match_changed_each(struct store *s, int64_t since, int64_t upto, store_match_case_fn fn,
                             void *ctx, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, "SELECT DISTINCT case_id FROM case_version"
                                " WHERE rowid > ?1 AND rowid <= ?2 ORDER BY case_id", &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, since);
    sqlite3_bind_int64(st, 2, upto);
    while ((rc = store__step_row(s, st, "changed cases", err)) == GS_OK)
        if ((rc = fn(ctx, sqlite3_column_int64(st, 0))) != GS_OK)
            break;
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}
