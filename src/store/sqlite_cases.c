/* sqlite_cases.c — the SQLite side of store_cases.h: matchmaking cases with their features,
 * genes, variants and diagnoses, their versions (append-only), and the gene table. Schema
 * step v7 lives here. */
#include "store/store_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/sqlite_internal.h"

/* v7. patient_case is the current version; case_version keeps every version's content.
 * The list tables are rewritten on each change (ord keeps the input order). The indexes on
 * case_feature(hpo) and case_gene(gene_id) are what the similarity search starts from;
 * case_variant(chrom, pos) finds cases sharing a variant. */
const char store__schema_cases[] =
    "CREATE TABLE gene ("
    "  gene_id TEXT PRIMARY KEY,"
    "  symbol TEXT NOT NULL,"
    "  hgnc_id TEXT NOT NULL DEFAULT '',"
    "  entrez TEXT NOT NULL DEFAULT '',"
    "  ensembl TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX gene_symbol ON gene(symbol COLLATE NOCASE);"
    "CREATE INDEX gene_hgnc ON gene(hgnc_id);"
    "CREATE INDEX gene_entrez ON gene(entrez);"
    "CREATE INDEX gene_ensembl ON gene(ensembl);"
    "CREATE TABLE patient_case ("
    "  id INTEGER PRIMARY KEY,"
    "  dataset_id INTEGER NOT NULL REFERENCES dataset(id),"
    "  institution_id INTEGER NOT NULL REFERENCES institution(id),"
    "  scope TEXT NOT NULL CHECK (scope IN ('private','domestic','international')),"
    "  label TEXT NOT NULL,"
    "  external_id TEXT NOT NULL DEFAULT '',"
    "  contact_name TEXT NOT NULL DEFAULT '',"
    "  contact_email TEXT NOT NULL DEFAULT '',"
    "  contact_href TEXT NOT NULL DEFAULT '',"
    "  sex TEXT NOT NULL CHECK (sex IN ('unknown','female','male','other')),"
    "  onset TEXT NOT NULL DEFAULT '',"
    "  state TEXT NOT NULL CHECK (state IN ('active','withdrawn')),"
    "  created_by INTEGER REFERENCES user(id),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  version INTEGER NOT NULL CHECK (version >= 1));"
    "CREATE INDEX patient_case_dataset ON patient_case(dataset_id, state);"
    "CREATE UNIQUE INDEX patient_case_external ON patient_case(dataset_id, external_id)"
    "  WHERE external_id <> '';"
    "CREATE TABLE case_feature ("
    "  case_id INTEGER NOT NULL REFERENCES patient_case(id),"
    "  ord INTEGER NOT NULL,"
    "  hpo INTEGER NOT NULL,"
    "  excluded INTEGER NOT NULL CHECK (excluded IN (0, 1)),"
    "  onset TEXT NOT NULL DEFAULT '',"
    "  label TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (case_id, ord));"
    "CREATE INDEX case_feature_hpo ON case_feature(hpo, case_id);"
    "CREATE TABLE case_gene ("
    "  case_id INTEGER NOT NULL REFERENCES patient_case(id),"
    "  ord INTEGER NOT NULL,"
    "  gene_id TEXT NOT NULL,"
    "  symbol TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, ord));"
    "CREATE INDEX case_gene_gene ON case_gene(gene_id, case_id);"
    "CREATE TABLE case_variant ("
    "  case_id INTEGER NOT NULL REFERENCES patient_case(id),"
    "  ord INTEGER NOT NULL,"
    "  assembly TEXT NOT NULL,"
    "  chrom TEXT NOT NULL,"
    "  pos INTEGER NOT NULL CHECK (pos >= 1),"
    "  ref TEXT NOT NULL DEFAULT '',"
    "  alt TEXT NOT NULL DEFAULT '',"
    "  zygosity TEXT NOT NULL DEFAULT '',"
    "  gene_id TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (case_id, ord));"
    "CREATE INDEX case_variant_locus ON case_variant(assembly, chrom, pos);"
    "CREATE TABLE case_diagnosis ("
    "  case_id INTEGER NOT NULL REFERENCES patient_case(id),"
    "  ord INTEGER NOT NULL,"
    "  disease_id TEXT NOT NULL,"
    "  label TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY (case_id, ord));"
    "CREATE INDEX case_diagnosis_disease ON case_diagnosis(disease_id);"
    "CREATE TABLE case_version ("
    "  case_id INTEGER NOT NULL REFERENCES patient_case(id),"
    "  version INTEGER NOT NULL,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  changes TEXT NOT NULL,"
    "  content TEXT NOT NULL,"
    "  PRIMARY KEY (case_id, version));"
    "CREATE TRIGGER case_version_no_update BEFORE UPDATE ON case_version"
    "  BEGIN SELECT RAISE(ABORT, 'case versions are never changed'); END;"
    "CREATE TRIGGER case_version_no_delete BEFORE DELETE ON case_version"
    "  BEGIN SELECT RAISE(ABORT, 'case versions are never changed'); END;";

/* ---- the struct's memory ---- */

void store_case_clear(struct store_case *c)
{
    free(c->features);
    free(c->genes);
    free(c->variants);
    free(c->diagnoses);
    memset(c, 0, sizeof *c);
}

/* Appends one element of size bytes to *arr (n elements), growing it by doubling. */
static int push(void **arr, int *n, size_t size, int max, const void *item, const char *what,
                struct gs_err *err)
{
    if (*n >= max)
        return gs_err_set(err, GS_EINVAL, "a case holds at most %d %s", max, what);
    if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4, …: the array is full */
        size_t cap = *n == 0 ? 4 : (size_t)*n * 2;
        void *p = realloc(*arr, cap * size);
        if (p == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for a case's %s", what);
        *arr = p;
    }
    memcpy((char *)*arr + (size_t)*n * size, item, size);
    (*n)++;
    return GS_OK;
}

int store_case_push_feature(struct store_case *c, const struct store_case_feature *f,
                            struct gs_err *err)
{
    return push((void **)&c->features, &c->nfeatures, sizeof *f, CASE_FEATURES_MAX, f,
                "phenotypic features", err);
}
int store_case_push_gene(struct store_case *c, const struct store_case_gene *g, struct gs_err *err)
{
    return push((void **)&c->genes, &c->ngenes, sizeof *g, CASE_GENES_MAX, g, "genes", err);
}
int store_case_push_variant(struct store_case *c, const struct store_case_variant *v,
                            struct gs_err *err)
{
    return push((void **)&c->variants, &c->nvariants, sizeof *v, CASE_VARIANTS_MAX, v,
                "variants", err);
}
int store_case_push_diagnosis(struct store_case *c, const struct store_case_diagnosis *d,
                              struct gs_err *err)
{
    return push((void **)&c->diagnoses, &c->ndiagnoses, sizeof *d, CASE_DIAGNOSES_MAX, d,
                "diagnoses", err);
}

/* ---- vocabulary ---- */

static const char *const sex_names[] = {"unknown", "female", "male", "other"};

const char *case_state_name(enum case_state s)
{
    return s == CASE_WITHDRAWN ? "withdrawn" : "active";
}

const char *case_sex_name(enum case_sex s)
{
    return (unsigned)s < 4 ? sex_names[s] : "unknown";
}

int case_sex_parse(const char *text, enum case_sex *out, struct gs_err *err)
{
    for (int i = 0; text != NULL && i < 4; i++)
        if (strcasecmp(text, sex_names[i]) == 0) {
            *out = (enum case_sex)i;
            return GS_OK;
        }
    if (text != NULL && strcasecmp(text, "UNKNOWN_SEX") == 0) { /* Phenopackets' spelling */
        *out = CASE_SEX_UNKNOWN;
        return GS_OK;
    }
    if (text != NULL && strcasecmp(text, "OTHER_SEX") == 0) {
        *out = CASE_SEX_OTHER;
        return GS_OK;
    }
    return gs_err_set(err, GS_EINVAL, "unknown sex '%.32s' (expected female, male, other or "
                      "unknown)", text ? text : "");
}

/* ---- lists ---- */

static int lists_delete(struct store *s, int64_t id, struct gs_err *err)
{
    static const char *const sql[] = {
        "DELETE FROM case_feature WHERE case_id = ?1",
        "DELETE FROM case_gene WHERE case_id = ?1",
        "DELETE FROM case_variant WHERE case_id = ?1",
        "DELETE FROM case_diagnosis WHERE case_id = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *st;
        int rc = store__stmt_get(s, sql[i], &st, err);
        if (rc != GS_OK)
            return rc;
        sqlite3_bind_int64(st, 1, id);
        if ((rc = store__stmt_exec(s, st, err, "case lists")) != GS_OK)
            return rc;
    }
    return GS_OK;
}

static int lists_write(struct store *s, const struct store_case *c, int64_t id, struct gs_err *err)
{
    static const char feat[] = "INSERT INTO case_feature(case_id, ord, hpo, excluded, onset, label)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    static const char gene[] = "INSERT INTO case_gene(case_id, ord, gene_id, symbol)"
                               " VALUES (?1, ?2, ?3, ?4)";
    static const char var[] = "INSERT INTO case_variant(case_id, ord, assembly, chrom, pos, ref,"
                              " alt, zygosity, gene_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
    static const char diag[] = "INSERT INTO case_diagnosis(case_id, ord, disease_id, label)"
                               " VALUES (?1, ?2, ?3, ?4)";
    sqlite3_stmt *st;
    int rc = GS_OK;
    for (int i = 0; rc == GS_OK && i < c->nfeatures; i++) {
        const struct store_case_feature *f = &c->features[i];
        if ((rc = store__stmt_get(s, feat, &st, err)) != GS_OK)
            break;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, i);
        sqlite3_bind_int64(st, 3, f->hpo);
        sqlite3_bind_int(st, 4, f->excluded);
        store__bind_text(st, 5, f->onset);
        store__bind_text(st, 6, f->label);
        rc = store__stmt_exec(s, st, err, "case feature");
    }
    for (int i = 0; rc == GS_OK && i < c->ngenes; i++) {
        if ((rc = store__stmt_get(s, gene, &st, err)) != GS_OK)
            break;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, i);
        store__bind_text(st, 3, c->genes[i].gene_id);
        store__bind_text(st, 4, c->genes[i].symbol);
        rc = store__stmt_exec(s, st, err, "case gene");
    }
    for (int i = 0; rc == GS_OK && i < c->nvariants; i++) {
        const struct store_case_variant *v = &c->variants[i];
        if ((rc = store__stmt_get(s, var, &st, err)) != GS_OK)
            break;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, i);
        store__bind_text(st, 3, v->assembly);
        store__bind_text(st, 4, v->chrom);
        sqlite3_bind_int64(st, 5, v->pos);
        store__bind_text(st, 6, v->ref);
        store__bind_text(st, 7, v->alt);
        store__bind_text(st, 8, v->zygosity);
        store__bind_text(st, 9, v->gene_id);
        rc = store__stmt_exec(s, st, err, "case variant");
    }
    for (int i = 0; rc == GS_OK && i < c->ndiagnoses; i++) {
        if ((rc = store__stmt_get(s, diag, &st, err)) != GS_OK)
            break;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int(st, 2, i);
        store__bind_text(st, 3, c->diagnoses[i].id);
        store__bind_text(st, 4, c->diagnoses[i].label);
        rc = store__stmt_exec(s, st, err, "case diagnosis");
    }
    return rc;
}

static int lists_read(struct store *s, struct store_case *c, struct gs_err *err)
{
    static const char feat[] = "SELECT hpo, excluded, onset, label FROM case_feature"
                               " WHERE case_id = ?1 ORDER BY ord";
    static const char gene[] = "SELECT gene_id, symbol FROM case_gene WHERE case_id = ?1"
                               " ORDER BY ord";
    static const char var[] = "SELECT assembly, chrom, pos, ref, alt, zygosity, gene_id"
                              " FROM case_variant WHERE case_id = ?1 ORDER BY ord";
    static const char diag[] = "SELECT disease_id, label FROM case_diagnosis WHERE case_id = ?1"
                               " ORDER BY ord";
    const char *const sql[] = {feat, gene, var, diag};
    int rc = GS_OK;
    for (int list = 0; rc == GS_OK && list < 4; list++) {
        sqlite3_stmt *st;
        if ((rc = store__stmt_get(s, sql[list], &st, err)) != GS_OK)
            break;
        sqlite3_bind_int64(st, 1, c->id);
        while ((rc = store__step_row(s, st, "case lists", err)) == GS_OK) {
            if (list == 0) {
                struct store_case_feature f = {0};
                f.hpo = (uint32_t)sqlite3_column_int64(st, 0);
                f.excluded = sqlite3_column_int(st, 1) != 0;
                store__copy_text(f.onset, sizeof f.onset, st, 2);
                store__copy_text(f.label, sizeof f.label, st, 3);
                rc = store_case_push_feature(c, &f, err);
            } else if (list == 1) {
                struct store_case_gene g = {0};
                store__copy_text(g.gene_id, sizeof g.gene_id, st, 0);
                store__copy_text(g.symbol, sizeof g.symbol, st, 1);
                rc = store_case_push_gene(c, &g, err);
            } else if (list == 2) {
                struct store_case_variant v = {0};
                store__copy_text(v.assembly, sizeof v.assembly, st, 0);
                store__copy_text(v.chrom, sizeof v.chrom, st, 1);
                v.pos = sqlite3_column_int64(st, 2);
                store__copy_text(v.ref, sizeof v.ref, st, 3);
                store__copy_text(v.alt, sizeof v.alt, st, 4);
                store__copy_text(v.zygosity, sizeof v.zygosity, st, 5);
                store__copy_text(v.gene_id, sizeof v.gene_id, st, 6);
                rc = store_case_push_variant(c, &v, err);
            } else {
                struct store_case_diagnosis d = {0};
                store__copy_text(d.id, sizeof d.id, st, 0);
                store__copy_text(d.label, sizeof d.label, st, 1);
                rc = store_case_push_diagnosis(c, &d, err);
            }
            if (rc != GS_OK)
                break;
        }
        sqlite3_reset(st);
        if (rc == GS_ENOTFOUND)
            rc = GS_OK;
    }
    return rc;
}

/* ---- cases ---- */

#define CASE_COLS                                                                           \
    "SELECT id, dataset_id, institution_id, scope, label, external_id, contact_name,"       \
    " contact_email, contact_href, sex, onset, state, coalesce(created_by, 0), created_at," \
    " updated_at, version FROM patient_case "

static int case_row(sqlite3_stmt *st, struct store_case *out, struct gs_err *err)
{
    out->id = sqlite3_column_int64(st, 0);
    out->dataset_id = sqlite3_column_int64(st, 1);
    out->institution_id = sqlite3_column_int64(st, 2);
    store__copy_text(out->label, sizeof out->label, st, 4);
    store__copy_text(out->external_id, sizeof out->external_id, st, 5);
    store__copy_text(out->contact_name, sizeof out->contact_name, st, 6);
    store__copy_text(out->contact_email, sizeof out->contact_email, st, 7);
    store__copy_text(out->contact_href, sizeof out->contact_href, st, 8);
    store__copy_text(out->onset, sizeof out->onset, st, 10);
    const char *state = (const char *)sqlite3_column_text(st, 11);
    out->state = state && strcmp(state, "withdrawn") == 0 ? CASE_WITHDRAWN : CASE_ACTIVE;
    out->created_by = sqlite3_column_int64(st, 12);
    out->created_at = (time_t)sqlite3_column_int64(st, 13);
    out->updated_at = (time_t)sqlite3_column_int64(st, 14);
    out->version = sqlite3_column_int(st, 15);
    if (scope_parse((const char *)sqlite3_column_text(st, 3), &out->scope, err) != GS_OK ||
        case_sex_parse((const char *)sqlite3_column_text(st, 9), &out->sex, err) != GS_OK) {
        gs_err_clear(err);
        return gs_err_set(err, GS_ECORRUPT, "case %lld has a bad scope or sex", (long long)out->id);
    }
    return GS_OK;
}

/* Binds the fields a write sets, as ?2..?12 (?1 is the id of an update). */
static void case_bind_fields(sqlite3_stmt *st, const struct store_case *c)
{
    sqlite3_bind_int64(st, 2, c->dataset_id);
    sqlite3_bind_int64(st, 3, c->institution_id);
    store__bind_text(st, 4, scope_name(c->scope));
    store__bind_text(st, 5, c->label);
    store__bind_text(st, 6, c->external_id);
    store__bind_text(st, 7, c->contact_name);
    store__bind_text(st, 8, c->contact_email);
    store__bind_text(st, 9, c->contact_href);
    store__bind_text(st, 10, case_sex_name(c->sex));
    store__bind_text(st, 11, c->onset);
    store__bind_text(st, 12, case_state_name(c->state));
}

int store_case_insert(struct store *s, const struct store_case *in, int64_t *id_out,
                      struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO patient_case(dataset_id, institution_id, scope, label, external_id,"
        " contact_name, contact_email, contact_href, sex, onset, state, created_by, created_at,"
        " updated_at, version) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
        " nullif(?13, 0), ?14, ?14, 1)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    case_bind_fields(st, in);
    sqlite3_bind_int64(st, 13, in->created_by);
    sqlite3_bind_int64(st, 14, in->created_at);
    int64_t id = 0;
    struct gs_err inner = {0};
    rc = store__insert_id(s, st, &id, "case", &inner);
    if (rc == GS_ECONFLICT)
        return gs_err_set(err, rc, "the dataset already holds a case with id '%.100s'",
                          in->external_id);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    if ((rc = lists_write(s, in, id, err)) != GS_OK)
        return rc;
    if (id_out != NULL)
        *id_out = id;
    return GS_OK;
}

int store_case_update(struct store *s, const struct store_case *in, struct gs_err *err)
{
    static const char sql[] =
        "UPDATE patient_case SET dataset_id = ?2, institution_id = ?3, scope = ?4, label = ?5,"
        " external_id = ?6, contact_name = ?7, contact_email = ?8, contact_href = ?9, sex = ?10,"
        " onset = ?11, state = ?12, updated_at = ?13, version = ?14"
        " WHERE id = ?1 AND version = ?14 - 1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->id);
    case_bind_fields(st, in);
    sqlite3_bind_int64(st, 13, in->updated_at);
    sqlite3_bind_int(st, 14, in->version);
    if ((rc = store__stmt_exec(s, st, err, "case")) != GS_OK)
        return rc;
    if (sqlite3_changes(s->db) == 0)
        return gs_err_set(err, GS_ECONFLICT, "case %lld is not at version %d (changed meanwhile "
                          "or missing)", (long long)in->id, in->version - 1);
    if ((rc = lists_delete(s, in->id, err)) != GS_OK)
        return rc;
    return lists_write(s, in, in->id, err);
}

int store_case_get(struct store *s, int64_t id, struct store_case *out, struct gs_err *err)
{
    static const char sql[] = CASE_COLS "WHERE id = ?1";
    sqlite3_stmt *st;
    store_case_clear(out);
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = store__step_row(s, st, "case", err);
    if (rc == GS_OK)
        rc = case_row(st, out, err);
    else if (rc == GS_ENOTFOUND)
        gs_err_set(err, rc, "no case with id %lld", (long long)id);
    sqlite3_reset(st);
    if (rc == GS_OK)
        rc = lists_read(s, out, err);
    if (rc != GS_OK)
        store_case_clear(out);
    return rc;
}

int store_case_each(struct store *s, int64_t dataset_id, bool with_withdrawn, store_case_fn fn,
                    void *ctx, struct gs_err *err)
{
    static const char sql[] = CASE_COLS "WHERE (?1 = 0 OR dataset_id = ?1)"
                                        " AND (?2 OR state = 'active') ORDER BY id";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, dataset_id);
    sqlite3_bind_int(st, 2, with_withdrawn);
    struct store_case c;
    while ((rc = store__step_row(s, st, "case list", err)) == GS_OK) {
        memset(&c, 0, sizeof c);
        if ((rc = case_row(st, &c, err)) != GS_OK || (rc = fn(ctx, &c)) != 0)
            break;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- versions ---- */

int store_case_version_insert(struct store *s, const struct store_case_version *v,
                              struct gs_err *err)
{
    static const char sql[] = "INSERT INTO case_version(case_id, version, at, actor, changes,"
                              " content) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, v->case_id);
    sqlite3_bind_int(st, 2, v->version);
    sqlite3_bind_int64(st, 3, v->at);
    store__bind_text(st, 4, v->actor);
    store__bind_text(st, 5, v->changes);
    store__bind_text(st, 6, v->content ? v->content : "{}");
    return store__stmt_exec(s, st, err, "case version");
}

int store_case_version_each(struct store *s, int64_t case_id, store_case_version_fn fn,
                            void *ctx, struct gs_err *err)
{
    static const char sql[] = "SELECT version, at, actor, changes, content FROM case_version"
                              " WHERE case_id = ?1 ORDER BY version";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, case_id);
    struct store_case_version v;
    while ((rc = store__step_row(s, st, "case versions", err)) == GS_OK) {
        memset(&v, 0, sizeof v);
        v.case_id = case_id;
        v.version = sqlite3_column_int(st, 0);
        v.at = (time_t)sqlite3_column_int64(st, 1);
        store__copy_text(v.actor, sizeof v.actor, st, 2);
        store__copy_text(v.changes, sizeof v.changes, st, 3);
        const unsigned char *content = sqlite3_column_text(st, 4);
        v.content = content ? (const char *)content : "{}";
        if ((rc = fn(ctx, &v)) != 0)
            break;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

/* ---- genes ---- */

int store_gene_clear(struct store *s, struct gs_err *err)
{
    return store__exec_sql(s, "DELETE FROM gene", err);
}

int store_gene_insert(struct store *s, const struct store_gene *g, struct gs_err *err)
{
    static const char sql[] = "INSERT OR IGNORE INTO gene(gene_id, symbol, hgnc_id, entrez,"
                              " ensembl) VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, g->gene_id);
    store__bind_text(st, 2, g->symbol);
    store__bind_text(st, 3, g->hgnc_id);
    store__bind_text(st, 4, g->entrez);
    store__bind_text(st, 5, g->ensembl);
    return store__stmt_exec(s, st, err, "gene");
}

int store_gene_count(struct store *s, int64_t *out, struct gs_err *err)
{
    static const char sql[] = "SELECT count(*) FROM gene";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    rc = store__step_row(s, st, "gene count", err);
    *out = rc == GS_OK ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

int store_gene_lookup(struct store *s, const char *text, struct store_gene *out,
                      struct gs_err *err)
{
    /* ?1 the text as given, ?2 the digits of an Entrez id ("" when text is not one). */
    static const char sql[] =
        "SELECT gene_id, symbol, hgnc_id, entrez, ensembl FROM gene WHERE gene_id = ?1"
        " UNION ALL SELECT gene_id, symbol, hgnc_id, entrez, ensembl FROM gene"
        "   WHERE hgnc_id = upper(?1) AND ?1 <> ''"
        " UNION ALL SELECT gene_id, symbol, hgnc_id, entrez, ensembl FROM gene"
        "   WHERE ensembl = upper(?1) AND ?1 <> ''"
        " UNION ALL SELECT gene_id, symbol, hgnc_id, entrez, ensembl FROM gene"
        "   WHERE entrez = ?2 AND ?2 <> ''"
        " UNION ALL SELECT * FROM (SELECT gene_id, symbol, hgnc_id, entrez, ensembl FROM gene"
        "   WHERE symbol = ?1 COLLATE NOCASE ORDER BY hgnc_id = '', gene_id)"
        " LIMIT 1";
    char entrez[24] = "";
    const char *digits = text;
    if (strncasecmp(text, "NCBIGene:", 9) == 0)
        digits = text + 9;
    else if (strncasecmp(text, "Entrez:", 7) == 0)
        digits = text + 7;
    if (digits[0] != '\0' && strspn(digits, "0123456789") == strlen(digits) && strlen(digits) < 20)
        snprintf(entrez, sizeof entrez, "%s", digits);
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, text);
    store__bind_text(st, 2, entrez);
    rc = store__step_row(s, st, "gene", err);
    if (rc == GS_OK) {
        memset(out, 0, sizeof *out);
        store__copy_text(out->gene_id, sizeof out->gene_id, st, 0);
        store__copy_text(out->symbol, sizeof out->symbol, st, 1);
        store__copy_text(out->hgnc_id, sizeof out->hgnc_id, st, 2);
        store__copy_text(out->entrez, sizeof out->entrez, st, 3);
        store__copy_text(out->ensembl, sizeof out->ensembl, st, 4);
    }
    sqlite3_reset(st);
    return rc;
}
