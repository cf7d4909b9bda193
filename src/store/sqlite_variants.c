/* sqlite_variants.c — the SQLite side of store_variants.h: variants, submissions with their
 * history and curation state, upload batches, conditions (FTS5) and gene locations. Schema
 * step v11 lives here. */
#include "store/store_variants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/sqlite_internal.h"

/* The secondary indexes, in one place: the schema creates them, and a bulk load drops and
 * recreates them (store_variant_indexes). The only query by batch reads a batch's pending
 * submissions (store_variant_submission_each_state): batch_id rides in the state index
 * rather than in an index of its own, which cost a scan of the submission table and a sort
 * at the end of every bulk load (0.8 s of 3 million records). */
#define IDX_RSID "CREATE INDEX variant_rsid ON variant(rsid) WHERE rsid <> '';"
#define IDX_STATE "CREATE INDEX variant_submission_state ON variant_submission(state, dataset_id," \
                  " batch_id);"
#define IDX_COND "CREATE INDEX variant_submission_condition ON variant_submission(condition_id);"

/* v11. variant is unique on its normalised alleles; variant_span keeps the longest REF per
 * chromosome for overlap queries (see the header). variant_condition holds each distinct
 * condition once (variant_condition_fts indexes its names and ids); submissions point to
 * it. variant_submission_history is append-only, like case_version. */
const char store__schema_variants[] =
    "CREATE TABLE variant ("
    "  id INTEGER PRIMARY KEY,"
    "  assembly TEXT NOT NULL,"
    "  chrom TEXT NOT NULL,"
    "  chrom_rank INTEGER NOT NULL,"
    "  pos INTEGER NOT NULL CHECK (pos >= 1),"
    "  end_pos INTEGER NOT NULL,"
    "  ref TEXT NOT NULL,"
    "  alt TEXT NOT NULL,"
    "  rsid TEXT NOT NULL DEFAULT '',"
    "  gene TEXT NOT NULL DEFAULT '');"
    "CREATE UNIQUE INDEX variant_allele ON variant(assembly, chrom, pos, ref, alt);"
    IDX_RSID
    "CREATE TABLE variant_span ("
    "  assembly TEXT NOT NULL,"
    "  chrom TEXT NOT NULL,"
    "  longest INTEGER NOT NULL,"
    "  PRIMARY KEY (assembly, chrom));"
    "CREATE TABLE variant_condition ("
    "  id INTEGER PRIMARY KEY,"
    "  key TEXT NOT NULL UNIQUE,"
    "  ids TEXT NOT NULL DEFAULT '',"
    "  name TEXT NOT NULL DEFAULT '');"
    "CREATE VIRTUAL TABLE variant_condition_fts USING fts5("
    "  name, ids, content='variant_condition', content_rowid='id');"
    "CREATE TABLE variant_batch ("
    "  id INTEGER PRIMARY KEY,"
    "  dataset_id INTEGER NOT NULL REFERENCES dataset(id),"
    "  institution_id INTEGER NOT NULL REFERENCES institution(id),"
    "  actor TEXT NOT NULL,"
    "  filename TEXT NOT NULL DEFAULT '',"
    "  format TEXT NOT NULL,"
    "  status TEXT NOT NULL,"
    "  lines INTEGER NOT NULL DEFAULT 0,"
    "  written INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  report TEXT);"
    "CREATE TABLE variant_submission ("
    "  id INTEGER PRIMARY KEY,"
    "  variant_id INTEGER NOT NULL REFERENCES variant(id),"
    "  dataset_id INTEGER NOT NULL REFERENCES dataset(id),"
    "  institution_id INTEGER NOT NULL REFERENCES institution(id),"
    "  batch_id INTEGER NOT NULL REFERENCES variant_batch(id),"
    "  line INTEGER NOT NULL DEFAULT 0,"
    "  submitter TEXT NOT NULL,"
    "  condition_id INTEGER NOT NULL REFERENCES variant_condition(id),"
    "  classification TEXT NOT NULL,"
    "  review_status TEXT NOT NULL,"
    "  disease_area TEXT NOT NULL DEFAULT '',"
    "  origin TEXT NOT NULL DEFAULT '',"
    "  zygosity TEXT NOT NULL DEFAULT '',"
    "  method TEXT NOT NULL DEFAULT '',"
    "  evidence TEXT NOT NULL DEFAULT '',"
    "  gene TEXT NOT NULL DEFAULT '',"
    "  submitted_on TEXT NOT NULL DEFAULT '',"
    "  state TEXT NOT NULL CHECK (state IN ('pending','accepted','returned')),"
    "  comment TEXT NOT NULL DEFAULT '',"
    "  curated_by TEXT NOT NULL DEFAULT '',"
    "  curated_at INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1));"
    "CREATE UNIQUE INDEX variant_submission_identity"
    "  ON variant_submission(variant_id, dataset_id, institution_id, condition_id);"
    IDX_STATE
    IDX_COND
    "CREATE TABLE variant_submission_history ("
    "  submission_id INTEGER NOT NULL REFERENCES variant_submission(id),"
    "  version INTEGER NOT NULL,"
    "  replaced_at INTEGER NOT NULL,"
    "  replaced_by TEXT NOT NULL,"
    "  batch_id INTEGER NOT NULL,"
    "  line INTEGER NOT NULL,"
    "  classification TEXT NOT NULL,"
    "  review_status TEXT NOT NULL,"
    "  disease_area TEXT NOT NULL,"
    "  origin TEXT NOT NULL,"
    "  zygosity TEXT NOT NULL,"
    "  method TEXT NOT NULL,"
    "  evidence TEXT NOT NULL,"
    "  gene TEXT NOT NULL,"
    "  submitted_on TEXT NOT NULL,"
    "  state TEXT NOT NULL,"
    "  comment TEXT NOT NULL,"
    "  curated_by TEXT NOT NULL,"
    "  curated_at INTEGER NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  PRIMARY KEY (submission_id, version));"
    "CREATE TRIGGER variant_history_no_update BEFORE UPDATE ON variant_submission_history"
    "  BEGIN SELECT RAISE(ABORT, 'submission history is never changed'); END;"
    "CREATE TRIGGER variant_history_no_delete BEFORE DELETE ON variant_submission_history"
    "  BEGIN SELECT RAISE(ABORT, 'submission history is never changed'); END;"
    "CREATE TABLE gene_location ("
    "  assembly TEXT NOT NULL,"
    "  symbol TEXT NOT NULL,"
    "  chrom TEXT NOT NULL,"
    "  start_pos INTEGER NOT NULL,"
    "  end_pos INTEGER NOT NULL,"
    "  strand TEXT NOT NULL DEFAULT '.',"
    "  hgnc_id TEXT NOT NULL DEFAULT '',"
    "  entrez TEXT NOT NULL DEFAULT '',"
    "  ensembl TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX gene_location_symbol ON gene_location(assembly, symbol COLLATE NOCASE);"
    "CREATE INDEX gene_location_hgnc ON gene_location(assembly, hgnc_id);"
    "CREATE INDEX gene_location_entrez ON gene_location(assembly, entrez);"
    "CREATE INDEX gene_location_ensembl ON gene_location(assembly, ensembl);";

/* Text bound for the duration of one step (the caller's string outlives it). */
static void bind_static(sqlite3_stmt *st, int idx, const char *text)
{
    sqlite3_bind_text(st, idx, text ? text : "", -1, SQLITE_STATIC);
}

/* 1..22, X 23, Y 24, MT 25, anything else 100 (then ordered by name). */
static int chrom_rank(const char *chrom)
{
    if (strcmp(chrom, "X") == 0)
        return 23;
    if (strcmp(chrom, "Y") == 0)
        return 24;
    if (strcmp(chrom, "MT") == 0)
        return 25;
    int n = 0;
    for (const char *p = chrom; *p; p++) {
        if (*p < '0' || *p > '9' || n > 100)
            return 100;
        n = n * 10 + (*p - '0');
    }
    return n >= 1 && n <= 22 && chrom[0] != '0' ? n : 100;
}

/* ---- vocabulary ---- */

static const char *const state_names[] = {"pending", "accepted", "returned"};

const char *variant_state_name(enum variant_state st)
{
    return (unsigned)st < 3 ? state_names[st] : "pending";
}

int variant_state_parse(const char *text, enum variant_state *out, struct gs_err *err)
{
    for (int i = 0; text != NULL && i < 3; i++)
        if (strcasecmp(text, state_names[i]) == 0) {
            *out = (enum variant_state)i;
            return GS_OK;
        }
    return gs_err_set(err, GS_EINVAL, "unknown state '%.32s' (expected pending, accepted or "
                      "returned)", text ? text : "");
}

/* ---- variants ---- */

void store_variant_clear(struct store_variant *v)
{
    free(v->alleles);
    memset(v, 0, sizeof *v);
}

#define VARIANT_COLS "v.id, v.assembly, v.chrom, v.pos, v.end_pos, v.ref, v.alt, v.rsid, v.gene"

/* Fills out from the columns VARIANT_COLS; ref/alt point into the statement's row. */
static void variant_row_borrow(sqlite3_stmt *st, struct store_variant *out)
{
    out->id = sqlite3_column_int64(st, 0);
    store__copy_text(out->assembly, sizeof out->assembly, st, 1);
    store__copy_text(out->chrom, sizeof out->chrom, st, 2);
    out->pos = sqlite3_column_int64(st, 3);
    out->end = sqlite3_column_int64(st, 4);
    const unsigned char *r = sqlite3_column_text(st, 5), *a = sqlite3_column_text(st, 6);
    out->ref = r ? (const char *)r : "";
    out->alt = a ? (const char *)a : "";
    store__copy_text(out->rsid, sizeof out->rsid, st, 7);
    store__copy_text(out->gene, sizeof out->gene, st, 8);
    out->alleles = NULL;
}

static int variant_row_own(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    struct store_variant *out = dst;
    variant_row_borrow(st, out);
    size_t nr = strlen(out->ref), na = strlen(out->alt);
    char *buf = malloc(nr + na + 2);
    if (buf == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for a variant's alleles");
    memcpy(buf, out->ref, nr + 1);
    memcpy(buf + nr + 1, out->alt, na + 1);
    out->alleles = buf;
    out->ref = buf;
    out->alt = buf + nr + 1;
    return GS_OK;
}

/* Binds v's insert values (assembly, chrom, chrom_rank, pos, end_pos, ref, alt, rsid, gene)
 * to at + 1 .. at + 9. */
static void variant_bind(sqlite3_stmt *st, int at, const struct store_variant *v)
{
    int64_t nref = (int64_t)strlen(v->ref);
    bind_static(st, at + 1, v->assembly);
    bind_static(st, at + 2, v->chrom);
    sqlite3_bind_int(st, at + 3, chrom_rank(v->chrom));
    sqlite3_bind_int64(st, at + 4, v->pos);
    sqlite3_bind_int64(st, at + 5, v->pos + (nref ? nref : 1) - 1);
    bind_static(st, at + 6, v->ref);
    bind_static(st, at + 7, v->alt);
    bind_static(st, at + 8, v->rsid);
    bind_static(st, at + 9, v->gene);
}

static const char variant_span_sql[] =
    "INSERT INTO variant_span(assembly, chrom, longest) VALUES (?1, ?2, ?3)"
    " ON CONFLICT(assembly, chrom) DO UPDATE SET longest = max(longest, excluded.longest)";

static int variant_span_put(struct store *s, const struct store_variant *v, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, variant_span_sql, &st, err);
    if (rc != GS_OK)
        return rc;
    bind_static(st, 1, v->assembly);
    bind_static(st, 2, v->chrom);
    sqlite3_bind_int64(st, 3, (int64_t)strlen(v->ref));
    return store__stmt_exec(s, st, err, "variant span");
}

/* The existing variant v: its id, and rsid/gene filled in when the stored row has none. */
static int variant_found(struct store *s, const struct store_variant *v, int64_t *id_out,
                         struct gs_err *err)
{
    static const char find[] = "SELECT id, rsid, gene FROM variant WHERE assembly = ?1 AND"
                               " chrom = ?2 AND pos = ?3 AND ref = ?4 AND alt = ?5";
    static const char fill[] = "UPDATE variant SET rsid = CASE WHEN rsid = '' THEN ?2 ELSE rsid"
                               " END, gene = CASE WHEN gene = '' THEN ?3 ELSE gene END"
                               " WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, find, &st, err);
    if (rc != GS_OK)
        return rc;
    bind_static(st, 1, v->assembly);
    bind_static(st, 2, v->chrom);
    sqlite3_bind_int64(st, 3, v->pos);
    bind_static(st, 4, v->ref);
    bind_static(st, 5, v->alt);
    rc = store__step_row(s, st, "variant", err);
    if (rc == GS_ENOTFOUND)
        rc = gs_err_set(err, GS_EINVAL, "variant %s:%lld could not be stored", v->chrom,
                        (long long)v->pos);
    if (rc != GS_OK) {
        sqlite3_reset(st);
        return rc;
    }
    *id_out = sqlite3_column_int64(st, 0);
    bool need = (v->rsid[0] && !sqlite3_column_bytes(st, 1)) ||
                (v->gene[0] && !sqlite3_column_bytes(st, 2));
    sqlite3_reset(st);
    if (!need)
        return GS_OK;
    if ((rc = store__stmt_get(s, fill, &st, err)) != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, *id_out);
    bind_static(st, 2, v->rsid);
    bind_static(st, 3, v->gene);
    return store__stmt_exec(s, st, err, "variant");
}

int store_variant_put(struct store *s, const struct store_variant *v, int64_t *id_out,
                      bool *created, struct gs_err *err)
{
    static const char ins[] = "INSERT OR IGNORE INTO variant(assembly, chrom, chrom_rank, pos,"
                              " end_pos, ref, alt, rsid, gene)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    /* the new variant is the common case of a bulk load: try the insert first */
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, ins, &st, err);
    if (rc != GS_OK)
        return rc;
    variant_bind(st, 0, v);
    if ((rc = store__stmt_exec(s, st, err, "variant")) != GS_OK)
        return rc;
    bool is_new = sqlite3_changes(s->db) == 1;
    if (created)
        *created = is_new;
    if (!is_new)
        return variant_found(s, v, id_out, err);
    *id_out = sqlite3_last_insert_rowid(s->db);
    return strlen(v->ref) > 1 ? variant_span_put(s, v, err) : GS_OK;
}

#define NEW_VARIANT_COLS                                                                     \
    "INSERT OR IGNORE INTO variant(assembly, chrom, chrom_rank, pos, end_pos, ref, alt, rsid," \
    " gene) VALUES "
#define NEW_VARIANT_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define NEW_VARIANT_ROWS4 NEW_VARIANT_ROW "," NEW_VARIANT_ROW "," NEW_VARIANT_ROW "," NEW_VARIANT_ROW
#define NEW_VARIANT_ROWS16                                                                   \
    NEW_VARIANT_ROWS4 "," NEW_VARIANT_ROWS4 "," NEW_VARIANT_ROWS4 "," NEW_VARIANT_ROWS4
#define NEW_VARIANT_ROWS64                                                                   \
    NEW_VARIANT_ROWS16 "," NEW_VARIANT_ROWS16 "," NEW_VARIANT_ROWS16 "," NEW_VARIANT_ROWS16
#define NEW_VARIANT_ROWS256                                                                  \
    NEW_VARIANT_ROWS64 "," NEW_VARIANT_ROWS64 "," NEW_VARIANT_ROWS64 "," NEW_VARIANT_ROWS64

int store_variant_put_many(struct store *s, const struct store_variant *v, int n,
                           int64_t *ids, bool *created, struct gs_err *err)
{
    /* 256 rows to a statement (2,304 parameters), then 16, then one by one */
    static const char many[] = NEW_VARIANT_COLS NEW_VARIANT_ROWS256;
    static const char some[] = NEW_VARIANT_COLS NEW_VARIANT_ROWS16;
    _Static_assert(STORE_VARIANT_INSERT_MANY == 256, "the multi-row INSERT has 256 rows");
    int rc = GS_OK;
    while (rc == GS_OK && n >= 16) {
        const int k = n >= STORE_VARIANT_INSERT_MANY ? STORE_VARIANT_INSERT_MANY : 16;
        int64_t before;
        sqlite3_stmt *st;
        if ((rc = store_variant_id_max(s, &before, err)) != GS_OK ||
            (rc = store__stmt_get(s, k == 16 ? some : many, &st, err)) != GS_OK)
            return rc;
        for (int i = 0; i < k; i++)
            variant_bind(st, 9 * i, &v[i]);
        if ((rc = store__stmt_exec(s, st, err, "variants")) != GS_OK)
            return rc;
        bool all_new = sqlite3_changes(s->db) == k;
        for (int i = 0; rc == GS_OK && i < k; i++) {
            if (all_new) {
                ids[i] = before + 1 + i;
                created[i] = true;
            } else if ((rc = variant_found(s, &v[i], &ids[i], err)) == GS_OK) {
                /* new rows got ids above before; a repeated allele is new only the first time */
                created[i] = ids[i] > before;
                for (int j = 0; created[i] && j < i; j++)
                    created[i] = ids[j] != ids[i];
            }
            if (rc == GS_OK && created[i] && strlen(v[i].ref) > 1)
                rc = variant_span_put(s, &v[i], err);
        }
        v += k;
        ids += k;
        created += k;
        n -= k;
    }
    for (int i = 0; rc == GS_OK && i < n; i++)
        rc = store_variant_put(s, &v[i], &ids[i], &created[i], err);
    return rc;
}

int store_variant_get(struct store *s, int64_t id, struct store_variant *out, struct gs_err *err)
{
    static const char sql[] = "SELECT " VARIANT_COLS " FROM variant v WHERE v.id = ?1";
    memset(out, 0, sizeof *out);
    return store__fetch_one(s, sql, "variant", id, NULL, variant_row_own, out, err);
}

/* The integer of a one-row query, with text bound to ?1 when not NULL. */
static int one_int(struct store *s, const char *sql, const char *text, int64_t *out,
                   const char *what, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    if (text != NULL)
        bind_static(st, 1, text);
    if ((rc = store__step_row(s, st, what, err)) == GS_OK)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc;
}

int store_variant_count(struct store *s, int64_t *out, struct gs_err *err)
{
    static const char sql[] = "SELECT count(*) FROM variant";
    return one_int(s, sql, NULL, out, "variant count", err);
}

int store_variant_id_max(struct store *s, int64_t *out, struct gs_err *err)
{
    static const char sql[] = "SELECT coalesce(max(id), 0) FROM variant";
    return one_int(s, sql, NULL, out, "variant id", err);
}

/* The longest REF stored on the chromosome (1 when only SNVs or nothing). */
static int span_longest(struct store *s, const char *assembly, const char *chrom, int64_t *out,
                        struct gs_err *err)
{
    static const char sql[] = "SELECT coalesce(max(longest), 1) FROM variant_span"
                              " WHERE (?1 IS NULL OR assembly = ?1) AND chrom = ?2";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    if (assembly)
        bind_static(st, 1, assembly);
    bind_static(st, 2, chrom);
    if ((rc = store__step_row(s, st, "variant span", err)) == GS_OK)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc;
}

/* Appends clause to the SQL being built (bounded). */
static int sql_add(char *sql, size_t size, size_t *len, const char *clause, struct gs_err *err)
{
    size_t n = strlen(clause);
    if (*len + n + 1 > size)
        return gs_err_set(err, GS_EINTERNAL, "variant query too long");
    memcpy(sql + *len, clause, n + 1);
    *len += n;
    return GS_OK;
}

int store_variant_each(struct store *s, const struct store_variant_filter *f, store_variant_fn fn,
                       void *ctx, struct gs_err *err)
{
    char sql[2048];
    size_t len = 0;
    int64_t longest = 1;
    int rc = sql_add(sql, sizeof sql, &len, "SELECT " VARIANT_COLS " FROM variant v WHERE 1", err);
    if (rc == GS_OK && f->assembly)
        rc = sql_add(sql, sizeof sql, &len, " AND v.assembly = :assembly", err);
    if (rc == GS_OK && f->chrom) {
        rc = sql_add(sql, sizeof sql, &len, " AND v.chrom = :chrom", err);
        if (rc == GS_OK && f->start > 0 &&
            (rc = span_longest(s, f->assembly, f->chrom, &longest, err)) == GS_OK)
            rc = sql_add(sql, sizeof sql, &len,
                         " AND v.pos BETWEEN :lo AND :hi AND v.end_pos >= :start", err);
    }
    if (rc == GS_OK && f->ref)
        rc = sql_add(sql, sizeof sql, &len, " AND v.ref = :ref", err);
    if (rc == GS_OK && f->alt)
        rc = sql_add(sql, sizeof sql, &len, " AND v.alt = :alt", err);
    if (rc == GS_OK && f->rsid)
        rc = sql_add(sql, sizeof sql, &len, " AND v.rsid = :rsid", err);
    if (rc == GS_OK && f->condition)
        rc = sql_add(sql, sizeof sql, &len,
                     " AND v.id IN (SELECT variant_id FROM variant_submission WHERE condition_id"
                     " IN (SELECT rowid FROM variant_condition_fts WHERE variant_condition_fts"
                     " MATCH :condition))", err);
    if (rc == GS_OK && f->classification)
        rc = sql_add(sql, sizeof sql, &len,
                     " AND EXISTS (SELECT 1 FROM variant_submission x WHERE x.variant_id = v.id"
                     " AND x.classification = :class)", err);
    if (rc == GS_OK && f->disease_area)
        rc = sql_add(sql, sizeof sql, &len,
                     " AND EXISTS (SELECT 1 FROM variant_submission y WHERE y.variant_id = v.id"
                     " AND y.disease_area = :area)", err);
    if (rc == GS_OK && f->dataset_id)
        rc = sql_add(sql, sizeof sql, &len,
                     " AND EXISTS (SELECT 1 FROM variant_submission z WHERE z.variant_id = v.id"
                     " AND z.dataset_id = :dataset)", err);
    if (rc == GS_OK && f->after_id)
        rc = sql_add(sql, sizeof sql, &len, " AND v.id > :after", err);
    if (rc == GS_OK)
        rc = sql_add(sql, sizeof sql, &len,
                     f->chrom ? " ORDER BY v.pos, v.ref, v.alt"
                              : " ORDER BY v.chrom_rank, v.chrom, v.pos, v.ref, v.alt", err);
    if (rc != GS_OK)
        return rc;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return store__db_error(s, err, "variant query");
    struct { const char *name; const char *text; int64_t num; bool is_text; } params[] = {
        {":assembly", f->assembly, 0, true},
        {":chrom", f->chrom, 0, true},
        {":lo", NULL, f->start - longest + 1, false},
        {":hi", NULL, f->end > 0 ? f->end : INT64_MAX, false},
        {":start", NULL, f->start, false},
        {":ref", f->ref, 0, true},
        {":alt", f->alt, 0, true},
        {":rsid", f->rsid, 0, true},
        {":condition", f->condition, 0, true},
        {":class", f->classification, 0, true},
        {":area", f->disease_area, 0, true},
        {":dataset", NULL, f->dataset_id, false},
        {":after", NULL, f->after_id, false},
    };
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        int idx = sqlite3_bind_parameter_index(st, params[i].name);
        if (idx == 0)
            continue;
        if (params[i].is_text)
            bind_static(st, idx, params[i].text);
        else
            sqlite3_bind_int64(st, idx, params[i].num);
    }
    struct store_variant v;
    while ((rc = store__step_row(s, st, "variant query", err)) == GS_OK) {
        variant_row_borrow(st, &v);
        if ((rc = fn(ctx, &v)) != GS_OK)
            break;
    }
    sqlite3_finalize(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- conditions ---- */

int store_variant_condition_put(struct store *s, const char *key, const char *ids,
                                const char *name, int64_t *out, struct gs_err *err)
{
    static const char find[] = "SELECT id FROM variant_condition WHERE key = ?1";
    static const char ins[] = "INSERT INTO variant_condition(key, ids, name) VALUES (?1, ?2, ?3)";
    static const char fts[] = "INSERT INTO variant_condition_fts(rowid, name, ids)"
                              " VALUES (?1, ?2, ?3)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, find, &st, err);
    if (rc != GS_OK)
        return rc;
    bind_static(st, 1, key);
    rc = store__step_row(s, st, "variant condition", err);
    if (rc == GS_OK)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != GS_ENOTFOUND)
        return rc;
    if ((rc = store__stmt_get(s, ins, &st, err)) != GS_OK)
        return rc;
    bind_static(st, 1, key);
    bind_static(st, 2, ids);
    bind_static(st, 3, name);
    if ((rc = store__insert_id(s, st, out, "variant condition", err)) != GS_OK)
        return rc;
    if ((rc = store__stmt_get(s, fts, &st, err)) != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, *out);
    bind_static(st, 2, name);
    bind_static(st, 3, ids);
    return store__stmt_exec(s, st, err, "variant condition index");
}

/* The submission's condition: its condition_id, else found or added from its fields. */
static int condition_id(struct store *s, const struct store_variant_submission *in, int64_t *out,
                        struct gs_err *err)
{
    if (in->condition_id > 0) {
        *out = in->condition_id;
        return GS_OK;
    }
    return store_variant_condition_put(s, in->condition_key, in->condition_ids,
                                       in->condition_name, out, err);
}

int store_variant_indexes(struct store *s, bool present, struct gs_err *err)
{
    static const char drop[] = "DROP INDEX IF EXISTS variant_rsid;"
                               "DROP INDEX IF EXISTS variant_submission_state;"
                               "DROP INDEX IF EXISTS variant_submission_condition;";
    static const char create[] = IDX_RSID IDX_STATE IDX_COND;
    return store__exec_sql(s, present ? create : drop, err);
}

int store_variant_bulk(struct store *s, bool on, struct gs_err *err)
{
    /* Up to 2 GiB of page cache while loading (a 3-million-record load is a 1.2 GB database;
     * with 256 MiB it spilled mid-transaction: 3M records 32.6 s -> 25.3 s; with 1 GiB the
     * end of the load, index rebuild included, still came near the limit: 2 GiB, 3M records
     * 14.8-15.1 s -> 14.3-14.5 s, system time 2.9 -> 2.5 s), SQLite's default (2 MiB)
     * afterwards; pages are allocated as used. Foreign keys
     * are not checked during the load: every id the load writes was read or inserted by the
     * same transaction (dataset, institution, batch, condition, variant), and the checks cost
     * five b-tree look-ups per submission. The index rebuild sorts in memory. Durability is
     * untouched (journal and synchronous stay as store_open set them). */
    return store__exec_sql(s, on ? "PRAGMA cache_size = -2097152; PRAGMA foreign_keys = OFF;"
                                   " PRAGMA temp_store = MEMORY;"
                                 : "PRAGMA cache_size = -2000; PRAGMA foreign_keys = ON;"
                                   " PRAGMA temp_store = DEFAULT;",
                           err);
}

/* ---- submissions ---- */

#define SUB_COLS                                                                             \
    "SELECT s.id, s.variant_id, s.dataset_id, s.institution_id, s.batch_id, s.line,"         \
    " s.submitter, c.key, c.ids, c.name, s.classification, s.review_status, s.disease_area," \
    " s.origin, s.zygosity, s.method, s.evidence, s.gene, s.submitted_on, s.state, s.comment," \
    " s.curated_by, s.curated_at, s.created_at, s.updated_at, s.version, s.condition_id"     \
    " FROM variant_submission s JOIN variant_condition c ON c.id = s.condition_id "

static int sub_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    struct store_variant_submission *o = dst;
    o->id = sqlite3_column_int64(st, 0);
    o->variant_id = sqlite3_column_int64(st, 1);
    o->dataset_id = sqlite3_column_int64(st, 2);
    o->institution_id = sqlite3_column_int64(st, 3);
    o->batch_id = sqlite3_column_int64(st, 4);
    o->line = sqlite3_column_int64(st, 5);
    store__copy_text(o->submitter, sizeof o->submitter, st, 6);
    store__copy_text(o->condition_key, sizeof o->condition_key, st, 7);
    store__copy_text(o->condition_ids, sizeof o->condition_ids, st, 8);
    store__copy_text(o->condition_name, sizeof o->condition_name, st, 9);
    store__copy_text(o->classification, sizeof o->classification, st, 10);
    store__copy_text(o->review_status, sizeof o->review_status, st, 11);
    store__copy_text(o->disease_area, sizeof o->disease_area, st, 12);
    store__copy_text(o->origin, sizeof o->origin, st, 13);
    store__copy_text(o->zygosity, sizeof o->zygosity, st, 14);
    store__copy_text(o->method, sizeof o->method, st, 15);
    store__copy_text(o->evidence, sizeof o->evidence, st, 16);
    store__copy_text(o->gene, sizeof o->gene, st, 17);
    store__copy_text(o->submitted_on, sizeof o->submitted_on, st, 18);
    const unsigned char *state = sqlite3_column_text(st, 19);
    if (variant_state_parse(state ? (const char *)state : "", &o->state, err) != GS_OK)
        return gs_err_set(err, GS_ECORRUPT, "submission %lld has an unknown state",
                          (long long)o->id);
    store__copy_text(o->comment, sizeof o->comment, st, 20);
    store__copy_text(o->curated_by, sizeof o->curated_by, st, 21);
    o->curated_at = (time_t)sqlite3_column_int64(st, 22);
    o->created_at = (time_t)sqlite3_column_int64(st, 23);
    o->updated_at = (time_t)sqlite3_column_int64(st, 24);
    o->version = sqlite3_column_int(st, 25);
    o->condition_id = sqlite3_column_int64(st, 26);
    return GS_OK;
}

int store_variant_submission_find(struct store *s, int64_t dataset_id, int64_t institution_id,
                                  int64_t variant_id, const char *condition_key,
                                  struct store_variant_submission *out, struct gs_err *err)
{
    static const char sql[] = SUB_COLS "WHERE s.variant_id = ?1 AND s.dataset_id = ?2 AND"
                                       " s.institution_id = ?3 AND c.key = ?4";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, variant_id);
    sqlite3_bind_int64(st, 2, dataset_id);
    sqlite3_bind_int64(st, 3, institution_id);
    bind_static(st, 4, condition_key);
    if ((rc = store__step_row(s, st, "variant submission", err)) == GS_OK) {
        memset(out, 0, sizeof *out);
        rc = sub_row(st, out, err);
    }
    sqlite3_reset(st);
    return rc;
}

/* Binds the submission's values to ?2..?19 (shared by insert and replace). */
static void sub_bind_values(sqlite3_stmt *st, const struct store_variant_submission *in,
                            int64_t cond)
{
    sqlite3_bind_int64(st, 2, in->variant_id);
    sqlite3_bind_int64(st, 3, in->dataset_id);
    sqlite3_bind_int64(st, 4, in->institution_id);
    sqlite3_bind_int64(st, 5, in->batch_id);
    sqlite3_bind_int64(st, 6, in->line);
    bind_static(st, 7, in->submitter);
    sqlite3_bind_int64(st, 8, cond);
    bind_static(st, 9, in->classification);
    bind_static(st, 10, in->review_status);
    bind_static(st, 11, in->disease_area);
    bind_static(st, 12, in->origin);
    bind_static(st, 13, in->zygosity);
    bind_static(st, 14, in->method);
    bind_static(st, 15, in->evidence);
    bind_static(st, 16, in->gene);
    bind_static(st, 17, in->submitted_on);
    bind_static(st, 18, variant_state_name(in->state));
    sqlite3_bind_int64(st, 19, (int64_t)in->updated_at);
}

int store_variant_submission_insert(struct store *s, const struct store_variant_submission *in,
                                    int64_t *id_out, struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO variant_submission(variant_id, dataset_id, institution_id, batch_id, line,"
        " submitter, condition_id, classification, review_status, disease_area, origin,"
        " zygosity, method, evidence, gene, submitted_on, state, updated_at, created_at, version)"
        " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"
        " ?19, ?19, 1)";
    int64_t cond;
    sqlite3_stmt *st;
    int rc = condition_id(s, in, &cond, err);
    if (rc != GS_OK || (rc = store__stmt_get(s, sql, &st, err)) != GS_OK)
        return rc;
    sub_bind_values(st, in, cond);
    return store__insert_id(s, st, id_out, "variant submission", err);
}

#define NEW_SUB_COLS                                                                         \
    "INSERT INTO variant_submission(dataset_id, institution_id, batch_id, submitter, state,"  \
    " updated_at, created_at, version, variant_id, line, condition_id, classification,"       \
    " review_status, disease_area, origin, zygosity, method, evidence, gene, submitted_on)"   \
    " VALUES "
/* ?1..?6 common to every row; each row then binds 12 values from NEW_SUB_BASE + 12 * row */
#define NEW_SUB_ROW(n) "(?1, ?2, ?3, ?4, ?5, ?6, ?6, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define NEW_SUB_ROWS4 NEW_SUB_ROW() "," NEW_SUB_ROW() "," NEW_SUB_ROW() "," NEW_SUB_ROW()
#define NEW_SUB_ROWS16 NEW_SUB_ROWS4 "," NEW_SUB_ROWS4 "," NEW_SUB_ROWS4 "," NEW_SUB_ROWS4
#define NEW_SUB_ROWS64 NEW_SUB_ROWS16 "," NEW_SUB_ROWS16 "," NEW_SUB_ROWS16 "," NEW_SUB_ROWS16
#define NEW_SUB_ROWS256 NEW_SUB_ROWS64 "," NEW_SUB_ROWS64 "," NEW_SUB_ROWS64 "," NEW_SUB_ROWS64
#define NEW_SUB_BASE 7

int store_variant_submission_insert_many(struct store *s,
                                         const struct store_variant_submission *common,
                                         const struct store_variant_new_submission *rows, int n,
                                         struct gs_err *err)
{
    static const char one[] = NEW_SUB_COLS NEW_SUB_ROW();
    /* 256 rows to a statement (3,078 parameters), then 16, then one by one */
    static const char some[] = NEW_SUB_COLS NEW_SUB_ROWS16;
    static const char many[] = NEW_SUB_COLS NEW_SUB_ROWS256;
    _Static_assert(STORE_VARIANT_INSERT_MANY == 256, "the multi-row INSERT has 256 rows");
    int rc = GS_OK;
    while (rc == GS_OK && n > 0) {
        int k = n >= STORE_VARIANT_INSERT_MANY ? STORE_VARIANT_INSERT_MANY : n >= 16 ? 16 : 1;
        sqlite3_stmt *st;
        if ((rc = store__stmt_get(s, k == 1 ? one : k == 16 ? some : many, &st, err)) != GS_OK)
            return rc;
        sqlite3_bind_int64(st, 1, common->dataset_id);
        sqlite3_bind_int64(st, 2, common->institution_id);
        sqlite3_bind_int64(st, 3, common->batch_id);
        bind_static(st, 4, common->submitter);
        bind_static(st, 5, variant_state_name(common->state));
        sqlite3_bind_int64(st, 6, (int64_t)common->updated_at);
        for (int i = 0; i < k; i++) {
            const struct store_variant_new_submission *r = &rows[i];
            int at = NEW_SUB_BASE + 12 * i;
            sqlite3_bind_int64(st, at, r->variant_id);
            sqlite3_bind_int64(st, at + 1, r->line);
            sqlite3_bind_int64(st, at + 2, r->condition_id);
            for (int t = 0; t < SVN_TEXTS; t++)
                sqlite3_bind_text(st, at + 3 + t, r->text[t] ? r->text[t] : "",
                                  r->text[t] ? r->len[t] : 0, SQLITE_STATIC);
        }
        rc = store__stmt_exec(s, st, err, "variant submissions");
        rows += k;
        n -= k;
    }
    return rc;
}

int store_variant_submission_replace(struct store *s, const struct store_variant_submission *in,
                                     const char *actor, time_t at, struct gs_err *err)
{
    static const char keep[] =
        "INSERT INTO variant_submission_history(submission_id, version, replaced_at, replaced_by,"
        " batch_id, line, classification, review_status, disease_area, origin, zygosity, method,"
        " evidence, gene, submitted_on, state, comment, curated_by, curated_at, created_at)"
        " SELECT id, version, ?2, ?3, batch_id, line, classification, review_status,"
        " disease_area, origin, zygosity, method, evidence, gene, submitted_on, state, comment,"
        " curated_by, curated_at, updated_at FROM variant_submission WHERE id = ?1 AND"
        " version = ?4";
    static const char upd[] =
        "UPDATE variant_submission SET variant_id = ?2, dataset_id = ?3, institution_id = ?4,"
        " batch_id = ?5, line = ?6, submitter = ?7, condition_id = ?8, classification = ?9,"
        " review_status = ?10, disease_area = ?11, origin = ?12, zygosity = ?13, method = ?14,"
        " evidence = ?15, gene = ?16, submitted_on = ?17, state = ?18, updated_at = ?19,"
        " comment = '', curated_by = '', curated_at = 0, version = ?20"
        " WHERE id = ?1 AND version = ?20 - 1";
    int64_t cond;
    sqlite3_stmt *st;
    int rc = condition_id(s, in, &cond, err);
    if (rc != GS_OK || (rc = store__stmt_get(s, keep, &st, err)) != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->id);
    sqlite3_bind_int64(st, 2, (int64_t)at);
    bind_static(st, 3, actor);
    sqlite3_bind_int(st, 4, in->version - 1);
    if ((rc = store__stmt_exec(s, st, err, "variant submission history")) != GS_OK)
        return rc;
    if (sqlite3_changes(s->db) != 1)
        return gs_err_set(err, GS_ECONFLICT, "submission %lld changed meanwhile (not version %d)",
                          (long long)in->id, in->version - 1);
    if ((rc = store__stmt_get(s, upd, &st, err)) != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->id);
    sub_bind_values(st, in, cond);
    sqlite3_bind_int(st, 20, in->version);
    return store__update_one(s, st, "variant submission", in->id, err);
}

int store_variant_submission_get(struct store *s, int64_t id,
                                 struct store_variant_submission *out, struct gs_err *err)
{
    static const char sql[] = SUB_COLS "WHERE s.id = ?1";
    memset(out, 0, sizeof *out);
    return store__fetch_one(s, sql, "submission", id, NULL, sub_row, out, err);
}

int store_variant_submission_curate(struct store *s, int64_t id, enum variant_state state,
                                    const char *comment, const char *curated_by, time_t at,
                                    struct gs_err *err)
{
    static const char sql[] = "UPDATE variant_submission SET state = ?2, comment = ?3,"
                              " curated_by = ?4, curated_at = ?5 WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    bind_static(st, 2, variant_state_name(state));
    bind_static(st, 3, comment);
    bind_static(st, 4, curated_by);
    sqlite3_bind_int64(st, 5, (int64_t)at);
    return store__update_one(s, st, "submission", id, err);
}

struct sub_params {
    int64_t a, b, c;
    const char *text;
};

static int bind_variant_id(sqlite3_stmt *st, const void *params)
{
    return sqlite3_bind_int64(st, 1, ((const struct sub_params *)params)->a);
}

static int bind_state(sqlite3_stmt *st, const void *params)
{
    const struct sub_params *p = params;
    int rc = sqlite3_bind_text(st, 1, p->text, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 2, p->b);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 3, p->c);
    return rc;
}

int store_variant_submission_each(struct store *s, int64_t variant_id,
                                  store_variant_submission_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] = SUB_COLS "WHERE s.variant_id = ?1 ORDER BY s.id";
    struct sub_params p = {variant_id, 0, 0, NULL};
    return store__each(s, sql, bind_variant_id, &p, sub_row,
                       sizeof(struct store_variant_submission), NULL, (store__visit_fn)fn, ctx,
                       "variant submissions", err);
}

int store_variant_submission_each_state(struct store *s, enum variant_state state,
                                        int64_t dataset_id, int64_t batch_id,
                                        store_variant_submission_fn fn, void *ctx,
                                        struct gs_err *err)
{
    static const char sql[] = SUB_COLS "WHERE s.state = ?1 AND (?2 = 0 OR s.dataset_id = ?2) AND"
                                       " (?3 = 0 OR s.batch_id = ?3) ORDER BY s.id";
    struct sub_params p = {0, dataset_id, batch_id, variant_state_name(state)};
    return store__each(s, sql, bind_state, &p, sub_row, sizeof(struct store_variant_submission),
                       NULL, (store__visit_fn)fn, ctx, "variant submissions", err);
}

int store_variant_submission_brief_each(struct store *s, int64_t variant_id,
                                        store_variant_brief_fn fn, void *ctx, struct gs_err *err)
{
    static const char sql[] = "SELECT id, dataset_id, institution_id, condition_id, state,"
                              " submitter, classification, review_status, disease_area,"
                              " submitted_on FROM variant_submission WHERE variant_id = ?1"
                              " ORDER BY id";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, variant_id);
    struct store_variant_submission_brief b;
    while ((rc = store__step_row(s, st, "variant submissions", err)) == GS_OK) {
        b.id = sqlite3_column_int64(st, 0);
        b.dataset_id = sqlite3_column_int64(st, 1);
        b.institution_id = sqlite3_column_int64(st, 2);
        b.condition_id = sqlite3_column_int64(st, 3);
        const unsigned char *state = sqlite3_column_text(st, 4);
        if (variant_state_parse(state ? (const char *)state : "", &b.state, err) != GS_OK) {
            rc = gs_err_set(err, GS_ECORRUPT, "submission %lld has an unknown state",
                            (long long)b.id);
            break;
        }
        store__copy_text(b.submitter, sizeof b.submitter, st, 5);
        store__copy_text(b.classification, sizeof b.classification, st, 6);
        store__copy_text(b.review_status, sizeof b.review_status, st, 7);
        store__copy_text(b.disease_area, sizeof b.disease_area, st, 8);
        store__copy_text(b.submitted_on, sizeof b.submitted_on, st, 9);
        if ((rc = fn(ctx, &b)) != GS_OK)
            break;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

int store_variant_condition_get(struct store *s, int64_t id, char *ids, char *name,
                                struct gs_err *err)
{
    static const char sql[] = "SELECT ids, name FROM variant_condition WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if ((rc = store__step_row(s, st, "variant condition", err)) == GS_OK) {
        store__copy_text(ids, VARIANT_TEXT_MAX, st, 0);
        store__copy_text(name, VARIANT_TEXT_MAX, st, 1);
    } else if (rc == GS_ENOTFOUND) {
        gs_err_set(err, rc, "no condition with id %lld", (long long)id);
    }
    sqlite3_reset(st);
    return rc;
}

static int history_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    struct store_variant_submission *o = dst;
    o->id = sqlite3_column_int64(st, 0);
    o->version = sqlite3_column_int(st, 1);
    o->updated_at = (time_t)sqlite3_column_int64(st, 2);
    o->batch_id = sqlite3_column_int64(st, 4);
    o->line = sqlite3_column_int64(st, 5);
    store__copy_text(o->classification, sizeof o->classification, st, 6);
    store__copy_text(o->review_status, sizeof o->review_status, st, 7);
    store__copy_text(o->disease_area, sizeof o->disease_area, st, 8);
    store__copy_text(o->origin, sizeof o->origin, st, 9);
    store__copy_text(o->zygosity, sizeof o->zygosity, st, 10);
    store__copy_text(o->method, sizeof o->method, st, 11);
    store__copy_text(o->evidence, sizeof o->evidence, st, 12);
    store__copy_text(o->gene, sizeof o->gene, st, 13);
    store__copy_text(o->submitted_on, sizeof o->submitted_on, st, 14);
    const unsigned char *state = sqlite3_column_text(st, 15);
    if (variant_state_parse(state ? (const char *)state : "", &o->state, err) != GS_OK)
        return gs_err_set(err, GS_ECORRUPT, "submission history has an unknown state");
    store__copy_text(o->comment, sizeof o->comment, st, 16);
    store__copy_text(o->curated_by, sizeof o->curated_by, st, 17);
    o->curated_at = (time_t)sqlite3_column_int64(st, 18);
    o->created_at = (time_t)sqlite3_column_int64(st, 19);
    return GS_OK;
}

int store_variant_submission_history_each(struct store *s, int64_t submission_id,
                                          store_variant_submission_fn fn, void *ctx,
                                          struct gs_err *err)
{
    static const char sql[] =
        "SELECT submission_id, version, replaced_at, replaced_by, batch_id, line,"
        " classification, review_status, disease_area, origin, zygosity, method, evidence, gene,"
        " submitted_on, state, comment, curated_by, curated_at, created_at"
        " FROM variant_submission_history WHERE submission_id = ?1 ORDER BY version";
    struct sub_params p = {submission_id, 0, 0, NULL};
    return store__each(s, sql, bind_variant_id, &p, history_row,
                       sizeof(struct store_variant_submission), NULL, (store__visit_fn)fn, ctx,
                       "submission history", err);
}

/* ---- batches ---- */

void store_variant_batch_clear(struct store_variant_batch *b)
{
    free(b->report);
    memset(b, 0, sizeof *b);
}

int store_variant_batch_insert(struct store *s, const struct store_variant_batch *in,
                               int64_t *id_out, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO variant_batch(dataset_id, institution_id, actor,"
                              " filename, format, status, lines, written, created_at, report)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->dataset_id);
    sqlite3_bind_int64(st, 2, in->institution_id);
    bind_static(st, 3, in->actor);
    bind_static(st, 4, in->filename);
    bind_static(st, 5, in->format);
    bind_static(st, 6, in->status);
    sqlite3_bind_int64(st, 7, in->lines);
    sqlite3_bind_int64(st, 8, in->written);
    sqlite3_bind_int64(st, 9, (int64_t)in->created_at);
    if (in->report)
        bind_static(st, 10, in->report);
    return store__insert_id(s, st, id_out, "variant batch", err);
}

int store_variant_batch_finish(struct store *s, const struct store_variant_batch *in,
                               struct gs_err *err)
{
    static const char sql[] = "UPDATE variant_batch SET status = ?2, lines = ?3, written = ?4,"
                              " report = ?5 WHERE id = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->id);
    bind_static(st, 2, in->status);
    sqlite3_bind_int64(st, 3, in->lines);
    sqlite3_bind_int64(st, 4, in->written);
    if (in->report)
        bind_static(st, 5, in->report);
    return store__update_one(s, st, "variant batch", in->id, err);
}

static int batch_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    struct store_variant_batch *o = dst;
    o->id = sqlite3_column_int64(st, 0);
    o->dataset_id = sqlite3_column_int64(st, 1);
    o->institution_id = sqlite3_column_int64(st, 2);
    store__copy_text(o->actor, sizeof o->actor, st, 3);
    store__copy_text(o->filename, sizeof o->filename, st, 4);
    store__copy_text(o->format, sizeof o->format, st, 5);
    store__copy_text(o->status, sizeof o->status, st, 6);
    o->lines = sqlite3_column_int64(st, 7);
    o->written = sqlite3_column_int64(st, 8);
    o->created_at = (time_t)sqlite3_column_int64(st, 9);
    const unsigned char *rep = sqlite3_column_text(st, 10);
    o->report = NULL;
    if (rep != NULL && (o->report = strdup((const char *)rep)) == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for a batch report");
    return GS_OK;
}

int store_variant_batch_get(struct store *s, int64_t id, struct store_variant_batch *out,
                            struct gs_err *err)
{
    static const char sql[] = "SELECT id, dataset_id, institution_id, actor, filename, format,"
                              " status, lines, written, created_at, report FROM variant_batch"
                              " WHERE id = ?1";
    memset(out, 0, sizeof *out);
    return store__fetch_one(s, sql, "submission batch", id, NULL, batch_row, out, err);
}

/* ---- gene locations ---- */

int store_gene_location_clear(struct store *s, const char *assembly, struct gs_err *err)
{
    static const char sql[] = "DELETE FROM gene_location WHERE assembly = ?1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    bind_static(st, 1, assembly);
    return store__stmt_exec(s, st, err, "gene locations");
}

int store_gene_location_insert(struct store *s, const struct store_gene_location *g,
                               struct gs_err *err)
{
    static const char sql[] = "INSERT INTO gene_location(assembly, symbol, chrom, start_pos,"
                              " end_pos, strand, hgnc_id, entrez, ensembl)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    char strand[2] = {g->strand ? g->strand : '.', '\0'};
    bind_static(st, 1, g->assembly);
    bind_static(st, 2, g->symbol);
    bind_static(st, 3, g->chrom);
    sqlite3_bind_int64(st, 4, g->start);
    sqlite3_bind_int64(st, 5, g->end);
    bind_static(st, 6, strand);
    bind_static(st, 7, g->hgnc_id);
    bind_static(st, 8, g->entrez);
    bind_static(st, 9, g->ensembl);
    return store__stmt_exec(s, st, err, "gene location");
}

static int gene_row(sqlite3_stmt *st, void *dst, struct gs_err *err)
{
    (void)err;
    struct store_gene_location *o = dst;
    store__copy_text(o->assembly, sizeof o->assembly, st, 0);
    store__copy_text(o->symbol, sizeof o->symbol, st, 1);
    store__copy_text(o->chrom, sizeof o->chrom, st, 2);
    o->start = sqlite3_column_int64(st, 3);
    o->end = sqlite3_column_int64(st, 4);
    const unsigned char *strand = sqlite3_column_text(st, 5);
    o->strand = strand && strand[0] ? (char)strand[0] : '.';
    store__copy_text(o->hgnc_id, sizeof o->hgnc_id, st, 6);
    store__copy_text(o->entrez, sizeof o->entrez, st, 7);
    store__copy_text(o->ensembl, sizeof o->ensembl, st, 8);
    return GS_OK;
}

int store_gene_location_lookup(struct store *s, const char *assembly, const char *text,
                               struct store_gene_location *out, struct gs_err *err)
{
    static const char sql[] =
        "SELECT assembly, symbol, chrom, start_pos, end_pos, strand, hgnc_id, entrez, ensembl"
        " FROM gene_location WHERE assembly = ?1 AND (symbol = ?2 COLLATE NOCASE OR"
        " (?2 <> '' AND (hgnc_id = ?2 OR ensembl = ?2 OR entrez = ?3)))"
        " ORDER BY hgnc_id = '', end_pos - start_pos DESC LIMIT 1";
    const char *entrez = text;
    if (strncasecmp(entrez, "NCBIGene:", 9) == 0)
        entrez += 9;
    else if (strncasecmp(entrez, "Entrez:", 7) == 0)
        entrez += 7;
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    bind_static(st, 1, assembly);
    bind_static(st, 2, text);
    bind_static(st, 3, entrez[0] ? entrez : "-");
    memset(out, 0, sizeof *out);
    if ((rc = store__step_row(s, st, "gene location", err)) == GS_OK)
        rc = gene_row(st, out, err);
    else if (rc == GS_ENOTFOUND)
        gs_err_set(err, rc, "no gene '%.64s' in the %s gene table", text, assembly);
    sqlite3_reset(st);
    return rc;
}

int store_gene_location_count(struct store *s, const char *assembly, int64_t *out,
                              struct gs_err *err)
{
    static const char sql[] = "SELECT count(*) FROM gene_location WHERE assembly = ?1";
    return one_int(s, sql, assembly, out, "gene locations", err);
}
