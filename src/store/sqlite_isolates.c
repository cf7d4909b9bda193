/* sqlite_isolates.c — the SQLite side of store_isolates.h: TB isolates, their DST results,
 * MICs, variants (stored once), missing sites, the SNP mask and the stored distances.
 * Schema step v15 lives here. */
#include "store/store_isolates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* v15. tb_variant holds each distinct variant once: genome edits are unique on (pos, ref,
 * alt), named ones (pos 0) on (gene, name). isolate_distance keeps close pairs only (a < b)
 * and is WITHOUT ROWID: its key is the whole row. isolate.distances_done marks the isolates
 * whose distances to all earlier genome isolates are stored, so an import computes only the
 * new rows. */
const char store__schema_isolates[] =
    "CREATE TABLE isolate ("
    "  id INTEGER PRIMARY KEY,"
    "  dataset_id INTEGER NOT NULL REFERENCES dataset(id),"
    "  institution_id INTEGER NOT NULL REFERENCES institution(id),"
    "  name TEXT NOT NULL,"
    "  year INTEGER NOT NULL DEFAULT 0,"
    "  country TEXT NOT NULL DEFAULT '',"
    "  region TEXT NOT NULL DEFAULT '',"
    "  source TEXT NOT NULL DEFAULT '',"
    "  specimen TEXT NOT NULL DEFAULT '',"
    "  gaps TEXT NOT NULL DEFAULT '',"
    "  genome INTEGER NOT NULL DEFAULT 0 CHECK (genome IN (0, 1)),"
    "  distances_done INTEGER NOT NULL DEFAULT 0 CHECK (distances_done IN (0, 1)),"
    "  created_at INTEGER NOT NULL,"
    "  UNIQUE (dataset_id, name));"
    "CREATE TABLE isolate_dst ("
    "  isolate_id INTEGER NOT NULL REFERENCES isolate(id),"
    "  drug TEXT NOT NULL,"
    "  result TEXT NOT NULL CHECK (result IN ('R', 'S')),"
    "  category TEXT NOT NULL DEFAULT 'WHO',"
    "  method TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX isolate_dst_isolate ON isolate_dst(isolate_id, drug);"
    "CREATE INDEX isolate_dst_drug ON isolate_dst(drug);"
    "CREATE TABLE isolate_mic ("
    "  isolate_id INTEGER NOT NULL REFERENCES isolate(id),"
    "  drug TEXT NOT NULL,"
    "  relation TEXT NOT NULL CHECK (relation IN ('=', '<=', '>')),"
    "  value REAL NOT NULL,"
    "  unit TEXT NOT NULL DEFAULT 'mg/L',"
    "  method TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX isolate_mic_isolate ON isolate_mic(isolate_id, drug);"
    "CREATE INDEX isolate_mic_drug ON isolate_mic(drug);"
    "CREATE TABLE tb_variant ("
    "  id INTEGER PRIMARY KEY,"
    "  pos INTEGER NOT NULL CHECK (pos >= 0),"
    "  ref TEXT NOT NULL DEFAULT '',"
    "  alt TEXT NOT NULL DEFAULT '',"
    "  gene TEXT NOT NULL DEFAULT '',"
    "  name TEXT NOT NULL DEFAULT '',"
    "  effect TEXT NOT NULL DEFAULT '');"
    "CREATE UNIQUE INDEX tb_variant_edit ON tb_variant(pos, ref, alt) WHERE pos > 0;"
    "CREATE UNIQUE INDEX tb_variant_named ON tb_variant(gene, name) WHERE pos = 0;"
    "CREATE TABLE isolate_variant ("
    "  isolate_id INTEGER NOT NULL REFERENCES isolate(id),"
    "  variant_id INTEGER NOT NULL REFERENCES tb_variant(id),"
    "  af REAL NOT NULL CHECK (af >= 0 AND af <= 1),"
    "  depth INTEGER NOT NULL DEFAULT 0,"
    "  PRIMARY KEY (isolate_id, variant_id)) WITHOUT ROWID;"
    "CREATE INDEX isolate_variant_variant ON isolate_variant(variant_id);"
    "CREATE TABLE isolate_missing ("
    "  isolate_id INTEGER NOT NULL REFERENCES isolate(id),"
    "  start INTEGER NOT NULL CHECK (start >= 1),"
    "  end INTEGER NOT NULL CHECK (end >= start),"
    "  PRIMARY KEY (isolate_id, start, end)) WITHOUT ROWID;"
    "CREATE TABLE isolate_mask ("
    "  start INTEGER NOT NULL CHECK (start >= 1),"
    "  end INTEGER NOT NULL CHECK (end >= start),"
    "  PRIMARY KEY (start, end)) WITHOUT ROWID;"
    "CREATE TABLE isolate_distance ("
    "  a INTEGER NOT NULL REFERENCES isolate(id),"
    "  b INTEGER NOT NULL REFERENCES isolate(id),"
    "  snps INTEGER NOT NULL CHECK (snps >= 0),"
    "  CHECK (a < b),"
    "  PRIMARY KEY (a, b)) WITHOUT ROWID;"
    "CREATE INDEX isolate_distance_snps ON isolate_distance(snps);";

/* ---- isolates ---- */

#define ISOLATE_COLS                                                                     \
    "SELECT id, dataset_id, institution_id, name, year, country, region, source, specimen," \
    " genome, distances_done, created_at, gaps FROM isolate "

static int isolate_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_isolate *out = dst;
    out->id = sqlite3_column_int64(st, 0);
    out->dataset_id = sqlite3_column_int64(st, 1);
    out->institution_id = sqlite3_column_int64(st, 2);
    store__copy_text(out->name, sizeof out->name, st, 3);
    out->year = sqlite3_column_int(st, 4);
    store__copy_text(out->country, sizeof out->country, st, 5);
    store__copy_text(out->region, sizeof out->region, st, 6);
    store__copy_text(out->source, sizeof out->source, st, 7);
    store__copy_text(out->specimen, sizeof out->specimen, st, 8);
    out->genome = sqlite3_column_int(st, 9) != 0;
    out->distances_done = sqlite3_column_int(st, 10) != 0;
    out->created_at = (time_t)sqlite3_column_int64(st, 11);
    store__copy_text(out->gaps, sizeof out->gaps, st, 12);
    return GS_OK;
}

int store_isolate_insert(struct store *s, const struct store_isolate *in, int64_t *id_out,
                         struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO isolate(dataset_id, institution_id, name, year, country, region, source,"
        " specimen, genome, created_at, gaps) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?11)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->dataset_id);
    sqlite3_bind_int64(st, 2, in->institution_id);
    store__bind_text(st, 3, in->name);
    sqlite3_bind_int(st, 4, in->year);
    store__bind_text(st, 5, in->country);
    store__bind_text(st, 6, in->region);
    store__bind_text(st, 7, in->source);
    store__bind_text(st, 8, in->specimen);
    sqlite3_bind_int(st, 9, in->genome);
    sqlite3_bind_int64(st, 10, in->created_at);
    store__bind_text(st, 11, in->gaps);
    struct gs_err inner = {0};
    rc = store__insert_id(s, st, id_out, "isolate", &inner);
    if (rc == GS_ECONFLICT)
        return gs_err_set(err, rc, "the dataset already holds an isolate named '%.64s'",
                          in->name);
    return rc == GS_OK ? GS_OK : gs_err_set(err, rc, "%s", inner.msg);
}

int store_isolate_get(struct store *s, int64_t id, struct store_isolate *out, struct gs_err *err)
{
    return store__fetch_one(s, ISOLATE_COLS "WHERE id = ?1", "isolate", id, NULL, isolate_row,
                            out, err);
}

int store_isolate_by_name(struct store *s, int64_t dataset_id, const char *name,
                          struct store_isolate *out, struct gs_err *err)
{
    static const char sql[] = ISOLATE_COLS "WHERE dataset_id = ?1 AND name = ?2";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset_id);
    store__bind_text(st, 2, name);
    if ((rc = store__step_row(s, st, "isolate", err)) == GS_OK)
        rc = isolate_row(st, out, err);
    sqlite3_reset(st);
    return rc;
}

int store_isolate_each(struct store *s, int64_t dataset_id, store_isolate_fn fn, void *ctx,
                       struct gs_err *err)
{
    static const char sql[] = ISOLATE_COLS "WHERE ?1 = 0 OR dataset_id = ?1 ORDER BY id";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset_id);
    struct store_isolate row;
    while ((rc = store__step_row(s, st, "isolate list", err)) == GS_OK) {
        memset(&row, 0, sizeof row);
        if ((rc = isolate_row(st, &row, err)) != GS_OK || (rc = fn(ctx, &row)) != 0)
            break;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

static int exec_id(struct store *s, const char *sql, int64_t id, const char *what,
                   struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return store__stmt_exec(s, st, err, what);
}

int store_isolate_set_genome(struct store *s, int64_t id, struct gs_err *err)
{
    return exec_id(s, "UPDATE isolate SET genome = 1, distances_done = 0 WHERE id = ?1", id,
                   "isolate", err);
}

/* ---- DST and MIC ---- */

int store_isolate_dst_insert(struct store *s, int64_t isolate_id,
                             const struct store_isolate_dst *d, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO isolate_dst(isolate_id, drug, result, category,"
                              " method) VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    char result[2] = {d->result, '\0'};
    sqlite3_bind_int64(st, 1, isolate_id);
    store__bind_text(st, 2, d->drug);
    store__bind_text(st, 3, result);
    store__bind_text(st, 4, d->category);
    store__bind_text(st, 5, d->method);
    return store__stmt_exec(s, st, err, "isolate DST result");
}

/* Binds ?1 isolate id (0: all) and ?2 drug (NULL: all). */
static int bind_isolate_drug(sqlite3_stmt *st, int64_t isolate_id, const char *drug)
{
    sqlite3_bind_int64(st, 1, isolate_id);
    return drug ? store__bind_text(st, 2, drug) : sqlite3_bind_null(st, 2);
}

/* Walks the rows of sql (?1 isolate id or 0, ?2 drug or NULL), calling row for each; row's
 * non-zero return stops the walk and is returned. */
static int each_isolate_drug(struct store *s, const char *sql, int64_t isolate_id,
                             const char *drug, int (*row)(sqlite3_stmt *st, void *ctx), void *ctx,
                             const char *what, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    bind_isolate_drug(st, isolate_id, drug);
    while ((rc = store__step_row(s, st, what, err)) == GS_OK)
        if ((rc = row(st, ctx)) != 0)
            break;
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

struct dst_walk {
    store_isolate_dst_fn fn;
    void *ctx;
};

static int dst_row(sqlite3_stmt *st, void *ctx)
{
    const struct dst_walk *w = ctx;
    struct store_isolate_dst d = {0};
    store__copy_text(d.drug, sizeof d.drug, st, 1);
    const char *r = (const char *)sqlite3_column_text(st, 2);
    d.result = r ? r[0] : 'S';
    store__copy_text(d.category, sizeof d.category, st, 3);
    store__copy_text(d.method, sizeof d.method, st, 4);
    return w->fn(w->ctx, sqlite3_column_int64(st, 0), &d);
}

int store_isolate_dst_each(struct store *s, int64_t isolate_id, const char *drug,
                           store_isolate_dst_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] =
        "SELECT isolate_id, drug, result, category, method FROM isolate_dst"
        " WHERE (?1 = 0 OR isolate_id = ?1) AND (?2 IS NULL OR drug = ?2)"
        " ORDER BY isolate_id, drug, rowid";
    struct dst_walk w = {fn, ctx};
    return each_isolate_drug(s, sql, isolate_id, drug, dst_row, &w, "isolate DST results", err);
}

int store_isolate_mic_insert(struct store *s, int64_t isolate_id,
                             const struct store_isolate_mic *m, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO isolate_mic(isolate_id, drug, relation, value, unit,"
                              " method) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, isolate_id);
    store__bind_text(st, 2, m->drug);
    store__bind_text(st, 3, m->relation);
    sqlite3_bind_double(st, 4, m->value);
    store__bind_text(st, 5, m->unit);
    store__bind_text(st, 6, m->method);
    return store__stmt_exec(s, st, err, "isolate MIC");
}

struct mic_walk {
    store_isolate_mic_fn fn;
    void *ctx;
};

static int mic_row(sqlite3_stmt *st, void *ctx)
{
    const struct mic_walk *w = ctx;
    struct store_isolate_mic m = {0};
    store__copy_text(m.drug, sizeof m.drug, st, 1);
    store__copy_text(m.relation, sizeof m.relation, st, 2);
    m.value = sqlite3_column_double(st, 3);
    store__copy_text(m.unit, sizeof m.unit, st, 4);
    store__copy_text(m.method, sizeof m.method, st, 5);
    return w->fn(w->ctx, sqlite3_column_int64(st, 0), &m);
}

int store_isolate_mic_each(struct store *s, int64_t isolate_id, const char *drug,
                           store_isolate_mic_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] =
        "SELECT isolate_id, drug, relation, value, unit, method FROM isolate_mic"
        " WHERE (?1 = 0 OR isolate_id = ?1) AND (?2 IS NULL OR drug = ?2)"
        " ORDER BY isolate_id, drug, rowid";
    struct mic_walk w = {fn, ctx};
    return each_isolate_drug(s, sql, isolate_id, drug, mic_row, &w, "isolate MICs", err);
}

/* ---- variants ---- */

int store_tb_variant_id(struct store *s, const struct store_tb_variant *v, int64_t *id_out,
                        struct gs_err *err)
{
    static const char find_edit[] = "SELECT id FROM tb_variant WHERE pos = ?1 AND ref = ?2"
                                    " AND alt = ?3 AND pos > 0";
    static const char find_named[] = "SELECT id FROM tb_variant WHERE pos = 0 AND gene = ?4"
                                     " AND name = ?5";
    static const char add[] = "INSERT INTO tb_variant(pos, ref, alt, gene, name, effect)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, v->pos > 0 ? find_edit : find_named, &st, err);
    if (rc != GS_OK)
        return rc;
    if (v->pos > 0) {
        sqlite3_bind_int64(st, 1, v->pos);
        store__bind_text(st, 2, v->ref);
        store__bind_text(st, 3, v->alt);
    } else {
        store__bind_text(st, 4, v->gene);
        store__bind_text(st, 5, v->name);
    }
    rc = store__step_row(s, st, "variant", err);
    if (rc == GS_OK)
        *id_out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != GS_ENOTFOUND)
        return rc;
    if ((rc = store__stmt_get(s, add, &st, err)) != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, v->pos);
    store__bind_text(st, 2, v->ref);
    store__bind_text(st, 3, v->alt);
    store__bind_text(st, 4, v->gene);
    store__bind_text(st, 5, v->name);
    store__bind_text(st, 6, v->effect);
    return store__insert_id(s, st, id_out, "variant", err);
}

int store_isolate_variant_insert(struct store *s, int64_t isolate_id, int64_t variant_id,
                                 double af, int depth, struct gs_err *err)
{
    /* a VCF may repeat a site (two records for one allele): the higher fraction wins */
    static const char sql[] =
        "INSERT INTO isolate_variant(isolate_id, variant_id, af, depth) VALUES (?1, ?2, ?3, ?4)"
        " ON CONFLICT (isolate_id, variant_id) DO UPDATE SET af = max(af, excluded.af),"
        " depth = max(depth, excluded.depth)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, isolate_id);
    sqlite3_bind_int64(st, 2, variant_id);
    sqlite3_bind_double(st, 3, af);
    sqlite3_bind_int(st, 4, depth);
    return store__stmt_exec(s, st, err, "isolate variant");
}

int store_isolate_variant_each(struct store *s, int64_t isolate_id, bool genome_only,
                               store_isolate_variant_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] =
        "SELECT iv.isolate_id, v.id, v.pos, v.ref, v.alt, v.gene, v.name, v.effect, iv.af,"
        " iv.depth FROM isolate_variant iv JOIN tb_variant v ON v.id = iv.variant_id"
        " WHERE (?1 = 0 OR iv.isolate_id = ?1)"
        " AND (?2 = 0 OR (v.pos > 0 AND iv.isolate_id IN (SELECT id FROM isolate"
        " WHERE genome = 1)))"
        " ORDER BY iv.isolate_id, v.pos, v.gene, v.name, v.ref, v.alt";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, isolate_id);
    sqlite3_bind_int(st, 2, genome_only);
    struct store_isolate_variant *iv = malloc(sizeof *iv);
    if (iv == NULL) {
        sqlite3_reset(st);
        return gs_err_set(err, GS_ENOMEM, "out of memory for isolate variants");
    }
    while ((rc = store__step_row(s, st, "isolate variants", err)) == GS_OK) {
        memset(iv, 0, sizeof *iv);
        iv->isolate_id = sqlite3_column_int64(st, 0);
        iv->v.id = sqlite3_column_int64(st, 1);
        iv->v.pos = sqlite3_column_int64(st, 2);
        store__copy_text(iv->v.ref, sizeof iv->v.ref, st, 3);
        store__copy_text(iv->v.alt, sizeof iv->v.alt, st, 4);
        store__copy_text(iv->v.gene, sizeof iv->v.gene, st, 5);
        store__copy_text(iv->v.name, sizeof iv->v.name, st, 6);
        store__copy_text(iv->v.effect, sizeof iv->v.effect, st, 7);
        iv->af = sqlite3_column_double(st, 8);
        iv->depth = sqlite3_column_int(st, 9);
        if ((rc = fn(ctx, iv)) != 0)
            break;
    }
    free(iv);
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- intervals: missing sites and the mask ---- */

static int interval_insert(struct store *s, const char *sql, int64_t isolate_id, int64_t start,
                           int64_t end, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, isolate_id);
    sqlite3_bind_int64(st, 2, start);
    sqlite3_bind_int64(st, 3, end);
    return store__stmt_exec(s, st, err, "interval");
}

static int interval_each(struct store *s, const char *sql, int64_t isolate_id,
                         store_isolate_interval_fn fn, void *ctx, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, isolate_id);
    while ((rc = store__step_row(s, st, "intervals", err)) == GS_OK)
        if ((rc = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                     sqlite3_column_int64(st, 2))) != 0)
            break;
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

int store_isolate_missing_insert(struct store *s, int64_t isolate_id, int64_t start, int64_t end,
                                 struct gs_err *err)
{
    return interval_insert(s, "INSERT OR IGNORE INTO isolate_missing(isolate_id, start, end)"
                              " VALUES (?1, ?2, ?3)", isolate_id, start, end, err);
}

int store_isolate_missing_each(struct store *s, int64_t isolate_id, store_isolate_interval_fn fn,
                               void *ctx, struct gs_err *err)
{
    return interval_each(s, "SELECT isolate_id, start, end FROM isolate_missing"
                            " WHERE (?1 = 0 AND isolate_id IN (SELECT id FROM isolate"
                            " WHERE genome = 1)) OR isolate_id = ?1 ORDER BY isolate_id, start",
                         isolate_id, fn, ctx, err);
}

int store_isolate_mask_clear(struct store *s, struct gs_err *err)
{
    return store__exec_sql(s, "DELETE FROM isolate_mask", err);
}

int store_isolate_mask_insert(struct store *s, int64_t start, int64_t end, struct gs_err *err)
{
    return interval_insert(s, "INSERT OR IGNORE INTO isolate_mask(start, end)"
                              " VALUES (?2, ?3)", 0, start, end, err);
}

int store_isolate_mask_each(struct store *s, store_isolate_interval_fn fn, void *ctx,
                            struct gs_err *err)
{
    return interval_each(s, "SELECT ?1, start, end FROM isolate_mask ORDER BY start", 0, fn, ctx,
                         err);
}

/* ---- distances ---- */

int store_isolate_distance_insert(struct store *s, int64_t a, int64_t b, int snps,
                                  struct gs_err *err)
{
    static const char sql[] = "INSERT OR REPLACE INTO isolate_distance(a, b, snps)"
                              " VALUES (min(?1, ?2), max(?1, ?2), ?3)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    sqlite3_bind_int(st, 3, snps);
    return store__stmt_exec(s, st, err, "isolate distance");
}

int store_isolate_distance_reset(struct store *s, struct gs_err *err)
{
    int rc = store__exec_sql(s, "DELETE FROM isolate_distance", err);
    return rc != GS_OK ? rc : store__exec_sql(s, "UPDATE isolate SET distances_done = 0", err);
}

int store_isolate_distances_done(struct store *s, int64_t id, struct gs_err *err)
{
    return exec_id(s, "UPDATE isolate SET distances_done = 1 WHERE id = ?1", id, "isolate", err);
}

int store_isolate_distance_each(struct store *s, int max_snps, store_isolate_distance_fn fn,
                                void *ctx, struct gs_err *err)
{
    static const char sql[] = "SELECT a, b, snps FROM isolate_distance WHERE snps <= ?1"
                              " ORDER BY a, b";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int(st, 1, max_snps);
    while ((rc = store__step_row(s, st, "isolate distances", err)) == GS_OK)
        if ((rc = fn(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                     sqlite3_column_int(st, 2))) != 0)
            break;
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}
