/* sqlite_tb.c — the SQLite side of store_tb.h: the one H37Rv reference set (sequence,
 * contig aliases, genes, lineage barcode, mask). Schema step v13 lives here. */
#include "store/store_tb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite_internal.h"

/* v13. tb_reference has at most one row (id 1): a load replaces the whole set. The
 * sequence is one BLOB (4.4 MB) so reading it back is a single copy. Genes are indexed by
 * locus tag and symbol for lookups by name; the in-memory index (src/tb/reference.c) does
 * the position lookups, so no interval index is kept here. */
const char store__schema_tb[] =
    "CREATE TABLE tb_reference ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  name TEXT NOT NULL,"
    "  length INTEGER NOT NULL CHECK (length > 0),"
    "  sequence BLOB NOT NULL,"
    "  sources TEXT NOT NULL DEFAULT '',"
    "  loaded_at INTEGER NOT NULL);"
    "CREATE TABLE tb_contig_alias ("
    "  alias TEXT PRIMARY KEY,"
    "  reference_id INTEGER NOT NULL REFERENCES tb_reference(id));"
    "CREATE TABLE tb_gene ("
    "  id INTEGER PRIMARY KEY,"
    "  locus_tag TEXT NOT NULL,"
    "  symbol TEXT NOT NULL DEFAULT '',"
    "  start INTEGER NOT NULL CHECK (start >= 1),"
    "  stop INTEGER NOT NULL CHECK (stop >= start),"
    "  strand INTEGER NOT NULL CHECK (strand IN (-1, 1)),"
    "  kind TEXT NOT NULL CHECK (kind IN ('coding', 'rRNA', 'noncoding')));"
    "CREATE INDEX tb_gene_locus_tag ON tb_gene(locus_tag);"
    "CREATE INDEX tb_gene_symbol ON tb_gene(symbol);"
    "CREATE TABLE tb_barcode ("
    "  id INTEGER PRIMARY KEY,"
    "  pos INTEGER NOT NULL CHECK (pos >= 1),"
    "  alt TEXT NOT NULL CHECK (alt IN ('A', 'C', 'G', 'T')),"
    "  lineage TEXT NOT NULL,"
    "  family TEXT NOT NULL DEFAULT '',"
    "  spoligotype TEXT NOT NULL DEFAULT '',"
    "  rds TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX tb_barcode_lineage ON tb_barcode(lineage);"
    "CREATE TABLE tb_mask ("
    "  id INTEGER PRIMARY KEY,"
    "  start INTEGER NOT NULL CHECK (start >= 1),"
    "  stop INTEGER NOT NULL CHECK (stop >= start));";

static const char *const kind_names[] = {"coding", "rRNA", "noncoding"};

static int exec_list(struct store *s, const char *const *sql, size_t n, const char *what,
                     struct gs_err *err)
{
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st;
        int rc = store__stmt_get(s, sql[i], &st, err);
        if (rc == GS_OK)
            rc = store__stmt_exec(s, st, err, what);
        if (rc != GS_OK)
            return rc;
    }
    return GS_OK;
}

int store_tb_reference_replace(struct store *s, const struct tb_ref *ref, const char *sources,
                               struct gs_err *err)
{
    static const char *const clear[] = {"DELETE FROM tb_contig_alias", "DELETE FROM tb_gene",
                                        "DELETE FROM tb_barcode", "DELETE FROM tb_mask",
                                        "DELETE FROM tb_reference"};
    int rc = exec_list(s, clear, sizeof clear / sizeof clear[0], "tb reference clear", err);
    if (rc != GS_OK)
        return rc;
    sqlite3_stmt *st;
    static const char ins_ref[] = "INSERT INTO tb_reference(id, name, length, sequence, "
                                  "sources, loaded_at) VALUES (1, ?1, ?2, ?3, ?4, ?5)";
    if ((rc = store__stmt_get(s, ins_ref, &st, err)) != GS_OK)
        return rc;
    store__bind_text(st, 1, ref->name);
    sqlite3_bind_int64(st, 2, ref->length);
    sqlite3_bind_blob64(st, 3, ref->seq, (sqlite3_uint64)ref->length, SQLITE_STATIC);
    store__bind_text(st, 4, sources ? sources : "");
    sqlite3_bind_int64(st, 5, (sqlite3_int64)time(NULL));
    if ((rc = store__stmt_exec(s, st, err, "tb reference insert")) != GS_OK)
        return rc;
    static const char *const aliases[] = {"NC_000962.3", "AL123456.3", "Chromosome"};
    static const char ins_alias[] =
        "INSERT INTO tb_contig_alias(alias, reference_id) VALUES (?1, 1)";
    for (size_t i = 0; i < 3; i++) {
        if ((rc = store__stmt_get(s, ins_alias, &st, err)) != GS_OK)
            return rc;
        store__bind_text(st, 1, aliases[i]);
        if ((rc = store__stmt_exec(s, st, err, "tb contig alias insert")) != GS_OK)
            return rc;
    }
    static const char ins_gene[] = "INSERT INTO tb_gene(locus_tag, symbol, start, stop, "
                                   "strand, kind) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    for (size_t i = 0; i < ref->n_genes; i++) {
        const struct tb_gene *g = &ref->genes[i];
        if ((rc = store__stmt_get(s, ins_gene, &st, err)) != GS_OK)
            return rc;
        store__bind_text(st, 1, g->locus_tag);
        store__bind_text(st, 2, g->symbol);
        sqlite3_bind_int64(st, 3, g->start);
        sqlite3_bind_int64(st, 4, g->end);
        sqlite3_bind_int(st, 5, g->strand);
        store__bind_text(st, 6, kind_names[g->kind]);
        if ((rc = store__stmt_exec(s, st, err, "tb gene insert")) != GS_OK)
            return rc;
    }
    static const char ins_bar[] = "INSERT INTO tb_barcode(pos, alt, lineage, family, "
                                  "spoligotype, rds) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    for (size_t i = 0; i < ref->n_barcode; i++) {
        const struct tb_barcode_marker *m = &ref->barcode[i];
        char alt[2] = {m->alt, '\0'};
        if ((rc = store__stmt_get(s, ins_bar, &st, err)) != GS_OK)
            return rc;
        sqlite3_bind_int64(st, 1, m->pos);
        store__bind_text(st, 2, alt);
        store__bind_text(st, 3, m->lineage);
        store__bind_text(st, 4, m->family);
        store__bind_text(st, 5, m->spoligotype);
        store__bind_text(st, 6, m->rds);
        if ((rc = store__stmt_exec(s, st, err, "tb barcode insert")) != GS_OK)
            return rc;
    }
    static const char ins_mask[] = "INSERT INTO tb_mask(start, stop) VALUES (?1, ?2)";
    for (size_t i = 0; i < ref->n_mask; i++) {
        if ((rc = store__stmt_get(s, ins_mask, &st, err)) != GS_OK)
            return rc;
        sqlite3_bind_int64(st, 1, ref->mask[i].start);
        sqlite3_bind_int64(st, 2, ref->mask[i].end);
        if ((rc = store__stmt_exec(s, st, err, "tb mask insert")) != GS_OK)
            return rc;
    }
    return GS_OK;
}

static const char no_reference[] = "no TB reference loaded (genoshare tb reference load)";

/* Grows *items to hold n + 1 elements of size bytes. */
static int grow(void **items, size_t *cap, size_t n, size_t size, struct gs_err *err)
{
    if (n < *cap)
        return GS_OK;
    size_t ncap = *cap ? *cap * 2 : 256;
    void *p = realloc(*items, ncap * size);
    if (p == NULL)
        return gs_err_set(err, GS_ENOMEM, "no memory for the TB reference");
    *items = p;
    *cap = ncap;
    return GS_OK;
}

static int load_rows(struct store *s, struct tb_ref *ref, struct gs_err *err)
{
    sqlite3_stmt *st;
    int rc;
    size_t cap = 0;
    static const char sel_gene[] =
        "SELECT locus_tag, symbol, start, stop, strand, kind FROM tb_gene ORDER BY id";
    if ((rc = store__stmt_get(s, sel_gene, &st, err)) != GS_OK)
        return rc;
    while ((rc = store__step_row(s, st, "tb gene", err)) == GS_OK) {
        if ((rc = grow((void **)&ref->genes, &cap, ref->n_genes, sizeof *ref->genes, err)) !=
            GS_OK)
            break;
        struct tb_gene *g = &ref->genes[ref->n_genes++];
        memset(g, 0, sizeof *g);
        store__copy_text(g->locus_tag, sizeof g->locus_tag, st, 0);
        store__copy_text(g->symbol, sizeof g->symbol, st, 1);
        g->start = sqlite3_column_int64(st, 2);
        g->end = sqlite3_column_int64(st, 3);
        g->strand = sqlite3_column_int(st, 4);
        const char *kind = (const char *)sqlite3_column_text(st, 5);
        g->kind = TB_GENE_NONCODING;
        for (int k = 0; kind != NULL && k < 3; k++)
            if (strcmp(kind, kind_names[k]) == 0)
                g->kind = (enum tb_gene_kind)k;
    }
    sqlite3_reset(st);
    if (rc != GS_ENOTFOUND)
        return rc;
    cap = 0;
    static const char sel_bar[] =
        "SELECT pos, alt, lineage, family, spoligotype, rds FROM tb_barcode ORDER BY id";
    if ((rc = store__stmt_get(s, sel_bar, &st, err)) != GS_OK)
        return rc;
    while ((rc = store__step_row(s, st, "tb barcode", err)) == GS_OK) {
        if ((rc = grow((void **)&ref->barcode, &cap, ref->n_barcode, sizeof *ref->barcode,
                       err)) != GS_OK)
            break;
        struct tb_barcode_marker *m = &ref->barcode[ref->n_barcode++];
        memset(m, 0, sizeof *m);
        m->pos = sqlite3_column_int64(st, 0);
        const char *alt = (const char *)sqlite3_column_text(st, 1);
        m->alt = alt != NULL ? alt[0] : 'N';
        store__copy_text(m->lineage, sizeof m->lineage, st, 2);
        store__copy_text(m->family, sizeof m->family, st, 3);
        store__copy_text(m->spoligotype, sizeof m->spoligotype, st, 4);
        store__copy_text(m->rds, sizeof m->rds, st, 5);
    }
    sqlite3_reset(st);
    if (rc != GS_ENOTFOUND)
        return rc;
    cap = 0;
    static const char sel_mask[] = "SELECT start, stop FROM tb_mask ORDER BY id";
    if ((rc = store__stmt_get(s, sel_mask, &st, err)) != GS_OK)
        return rc;
    while ((rc = store__step_row(s, st, "tb mask", err)) == GS_OK) {
        if ((rc = grow((void **)&ref->mask, &cap, ref->n_mask, sizeof *ref->mask, err)) !=
            GS_OK)
            break;
        ref->mask[ref->n_mask].start = sqlite3_column_int64(st, 0);
        ref->mask[ref->n_mask].end = sqlite3_column_int64(st, 1);
        ref->n_mask++;
    }
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

int store_tb_reference_load(struct store *s, struct tb_ref **out, struct gs_err *err)
{
    *out = NULL;
    sqlite3_stmt *st;
    static const char sel[] = "SELECT name, length, sequence FROM tb_reference WHERE id = 1";
    int rc = store__stmt_get(s, sel, &st, err);
    if (rc != GS_OK)
        return rc;
    rc = store__step_row(s, st, "tb reference", err);
    if (rc == GS_ENOTFOUND)
        return gs_err_set(err, GS_ENOTFOUND, "%s", no_reference);
    if (rc != GS_OK)
        return rc;
    struct tb_ref *ref = calloc(1, sizeof *ref);
    int64_t length = sqlite3_column_int64(st, 1);
    const void *blob = sqlite3_column_blob(st, 2);
    int64_t bytes = sqlite3_column_bytes(st, 2);
    if (ref == NULL || (ref->seq = malloc((size_t)length + 1)) == NULL) {
        sqlite3_reset(st);
        tb_ref_free(ref);
        return gs_err_set(err, GS_ENOMEM, "no memory for the TB reference");
    }
    if (bytes != length || blob == NULL) {
        sqlite3_reset(st);
        tb_ref_free(ref);
        return gs_err_set(err, GS_ECORRUPT, "stored TB reference: sequence has %lld bytes, "
                          "length says %lld", (long long)bytes, (long long)length);
    }
    store__copy_text(ref->name, sizeof ref->name, st, 0);
    memcpy(ref->seq, blob, (size_t)length);
    ref->seq[length] = '\0';
    ref->length = length;
    sqlite3_reset(st);
    rc = load_rows(s, ref, err);
    if (rc == GS_OK)
        rc = tb_ref_index(ref, err);
    if (rc != GS_OK) {
        tb_ref_free(ref);
        return rc;
    }
    *out = ref;
    return GS_OK;
}

static int fill_info(sqlite3_stmt *st, void *out, struct gs_err *err)
{
    (void)err;
    struct store_tb_reference_info *info = out;
    store__copy_text(info->name, sizeof info->name, st, 0);
    info->length = sqlite3_column_int64(st, 1);
    store__copy_text(info->sources, sizeof info->sources, st, 2);
    info->loaded_at = sqlite3_column_int64(st, 3);
    info->n_genes = sqlite3_column_int64(st, 4);
    info->n_barcode = sqlite3_column_int64(st, 5);
    info->n_mask = sqlite3_column_int64(st, 6);
    store__copy_text(info->aliases, sizeof info->aliases, st, 7);
    return GS_OK;
}

int store_tb_reference_info(struct store *s, struct store_tb_reference_info *out,
                            struct gs_err *err)
{
    static const char sql[] =
        "SELECT name, length, sources, loaded_at,"
        " (SELECT count(*) FROM tb_gene), (SELECT count(*) FROM tb_barcode),"
        " (SELECT count(*) FROM tb_mask),"
        " (SELECT group_concat(alias, ',') FROM (SELECT alias FROM tb_contig_alias"
        "   WHERE alias <> tb_reference.name ORDER BY alias))"
        " FROM tb_reference WHERE id = ?1";
    memset(out, 0, sizeof *out);
    int rc = store__fetch_one(s, sql, "TB reference", 1, NULL, fill_info, out, err);
    if (rc == GS_ENOTFOUND) {
        gs_err_clear(err);
        return gs_err_set(err, GS_ENOTFOUND, "%s", no_reference);
    }
    return rc;
}
