/* sqlite_hpo.c — the SQLite side of store_hpo.h: schema step v5 and the HPO release's
 * rows. The search index is an FTS5 table with the trigram tokenizer, so substrings match
 * in English and in Japanese (which has no spaces between words); it knows nothing of the
 * ontology's structure, which lives in memory (src/pheno/hpo.h). */
#include "store/store_hpo.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

/* Terms are keyed by HP number. No foreign keys: a release is written whole by one
 * function in one transaction, and the checks would double the load time. */
/* The search index's definition: in the v5 step, and again when a new release replaces it. */
#define HPO_SEARCH_TABLE                                                                    \
    "CREATE VIRTUAL TABLE hpo_search USING fts5("                                          \
    "  text, term UNINDEXED, lang UNINDEXED, kind UNINDEXED, tokenize = 'trigram');"

const char store__schema_hpo[] =
    "CREATE TABLE hpo_release ("
    "  id INTEGER PRIMARY KEY,"
    "  version TEXT NOT NULL,"
    "  annotations_version TEXT NOT NULL DEFAULT '',"
    "  loaded_at INTEGER NOT NULL,"
    "  terms INTEGER NOT NULL,"
    "  diseases INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE hpo_term ("
    "  id INTEGER PRIMARY KEY,"
    "  label TEXT NOT NULL,"
    "  label_ja TEXT NOT NULL DEFAULT '',"
    "  obsolete INTEGER NOT NULL DEFAULT 0 CHECK (obsolete IN (0, 1)),"
    "  replaced_by INTEGER,"
    "  ic REAL NOT NULL DEFAULT 0);"
    "CREATE TABLE hpo_parent ("
    "  term INTEGER NOT NULL,"
    "  parent INTEGER NOT NULL,"
    "  PRIMARY KEY (term, parent)) WITHOUT ROWID;"
    "CREATE TABLE hpo_alt_id ("
    "  alt INTEGER PRIMARY KEY,"
    "  term INTEGER NOT NULL);"
    "CREATE TABLE hpo_consider ("
    "  term INTEGER NOT NULL,"
    "  consider INTEGER NOT NULL,"
    "  PRIMARY KEY (term, consider)) WITHOUT ROWID;"
    "CREATE TABLE hpo_synonym ("
    "  term INTEGER NOT NULL,"
    "  synonym TEXT NOT NULL);"
    "CREATE INDEX hpo_synonym_term ON hpo_synonym(term);"
    /* kind 0 = label, 1 = synonym; lang 'en' | 'ja' */
    HPO_SEARCH_TABLE;

/* ---- writes ---- */

int store_hpo_clear(struct store *s, struct gs_err *err)
{
    static const char *const sql[] = {"DELETE FROM hpo_term", "DELETE FROM hpo_parent",
                                      "DELETE FROM hpo_alt_id", "DELETE FROM hpo_consider",
                                      "DELETE FROM hpo_synonym"};
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *st;
        int rc = store__stmt_get(s, sql[i], &st, err);
        if (rc == GS_OK)
            rc = store__stmt_exec(s, st, err, "hpo clear");
        if (rc != GS_OK)
            return rc;
    }
    /* Deleting every row of an FTS5 table removes each row's trigrams one by one (0.2 s for
     * a release); dropping and creating it again, in the same transaction, is immediate. */
    return store__exec_sql(s, "DROP TABLE hpo_search;" HPO_SEARCH_TABLE, err);
}

int store_hpo_release_insert(struct store *s, const struct store_hpo_release *in,
                             int64_t *id_out, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO hpo_release(version, annotations_version, loaded_at,"
                              " terms, diseases) VALUES (?1, ?2, ?3, ?4, ?5)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, in->version);
    store__bind_text(st, 2, in->annotations_version);
    sqlite3_bind_int64(st, 3, in->loaded_at);
    sqlite3_bind_int64(st, 4, in->terms);
    sqlite3_bind_int64(st, 5, in->diseases);
    return store__insert_id(s, st, id_out, "hpo release", err);
}

int store_hpo_term_insert(struct store *s, const struct store_hpo_term *in, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO hpo_term(id, label, label_ja, obsolete, replaced_by,"
                              " ic) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, in->number);
    sqlite3_bind_text(st, 2, in->label, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, in->label_ja, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, in->obsolete ? 1 : 0);
    if (in->replaced_by != 0)
        sqlite3_bind_int64(st, 5, in->replaced_by);
    sqlite3_bind_double(st, 6, in->ic);
    return store__stmt_exec(s, st, err, "hpo term");
}

int store_hpo_link_insert(struct store *s, enum store_hpo_link kind, uint32_t from, uint32_t to,
                          struct gs_err *err)
{
    static const char parent[] = "INSERT INTO hpo_parent(term, parent) VALUES (?1, ?2)";
    static const char alt[] = "INSERT INTO hpo_alt_id(term, alt) VALUES (?1, ?2)";
    static const char consider[] = "INSERT INTO hpo_consider(term, consider) VALUES (?1, ?2)";
    const char *sql = kind == STORE_HPO_PARENT ? parent : kind == STORE_HPO_ALT_ID ? alt : consider;
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    return store__stmt_exec(s, st, err, "hpo link");
}

int store_hpo_synonym_insert(struct store *s, uint32_t term, const char *text, struct gs_err *err)
{
    static const char sql[] = "INSERT INTO hpo_synonym(term, synonym) VALUES (?1, ?2)";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    sqlite3_bind_int64(st, 1, term);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    return store__stmt_exec(s, st, err, "hpo synonym");
}

int store_hpo_search_rebuild(struct store *s, struct gs_err *err)
{
    static const char sql[] =
        "INSERT INTO hpo_search(text, term, lang, kind)"
        " SELECT label, id, 'en', 0 FROM hpo_term WHERE obsolete = 0 AND label <> ''"
        " UNION ALL SELECT label_ja, id, 'ja', 0 FROM hpo_term"
        "  WHERE obsolete = 0 AND label_ja <> ''"
        " UNION ALL SELECT y.synonym, y.term, 'en', 1 FROM hpo_synonym y"
        "  JOIN hpo_term t ON t.id = y.term WHERE t.obsolete = 0";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    return rc == GS_OK ? store__stmt_exec(s, st, err, "hpo search index") : rc;
}

/* ---- reads ---- */

int store_hpo_release_current(struct store *s, struct store_hpo_release *out,
                              struct gs_err *err)
{
    static const char sql[] = "SELECT id, version, annotations_version, loaded_at, terms,"
                              " diseases FROM hpo_release ORDER BY id DESC LIMIT 1";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    if (rc != GS_OK)
        return rc;
    rc = store__step_row(s, st, "hpo release", err);
    if (rc == GS_OK) {
        out->id = sqlite3_column_int64(st, 0);
        store__copy_text(out->version, sizeof out->version, st, 1);
        store__copy_text(out->annotations_version, sizeof out->annotations_version, st, 2);
        out->loaded_at = sqlite3_column_int64(st, 3);
        out->terms = sqlite3_column_int64(st, 4);
        out->diseases = sqlite3_column_int64(st, 5);
    } else if (rc == GS_ENOTFOUND) {
        gs_err_set(err, rc, "no HPO release loaded in %s (genoshare hpo load --ontology FILE)",
                   s->path);
    }
    sqlite3_reset(st);
    return rc;
}

static const char *column_text(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? (const char *)t : "";
}

/* Steps st to its end, calling row(st) per row; row's non-zero stops and is returned. */
static int walk(struct store *s, sqlite3_stmt *st, const char *what,
                int (*row)(sqlite3_stmt *st, void *ctx), void *ctx, struct gs_err *err)
{
    int rc;
    while ((rc = store__step_row(s, st, what, err)) == GS_OK)
        if ((rc = row(st, ctx)) != GS_OK)
            break;
    sqlite3_reset(st);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

struct term_walk {
    int (*fn)(void *ctx, const struct store_hpo_term *t);
    void *ctx;
};
static int term_row(sqlite3_stmt *st, void *ctx)
{
    struct term_walk *w = ctx;
    struct store_hpo_term t = {
        .number = (uint32_t)sqlite3_column_int64(st, 0),
        .label = column_text(st, 1),
        .label_ja = column_text(st, 2),
        .obsolete = sqlite3_column_int(st, 3) != 0,
        .replaced_by = (uint32_t)sqlite3_column_int64(st, 4),
        .ic = sqlite3_column_double(st, 5),
    };
    return w->fn(w->ctx, &t);
}

int store_hpo_term_each(struct store *s, int (*fn)(void *ctx, const struct store_hpo_term *t),
                        void *ctx, struct gs_err *err)
{
    static const char sql[] = "SELECT id, label, label_ja, obsolete, replaced_by, ic"
                              " FROM hpo_term ORDER BY id";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    struct term_walk w = {fn, ctx};
    return rc == GS_OK ? walk(s, st, "hpo terms", term_row, &w, err) : rc;
}

struct link_walk {
    int (*fn)(void *ctx, uint32_t from, uint32_t to);
    void *ctx;
};
static int link_row(sqlite3_stmt *st, void *ctx)
{
    struct link_walk *w = ctx;
    return w->fn(w->ctx, (uint32_t)sqlite3_column_int64(st, 0),
                 (uint32_t)sqlite3_column_int64(st, 1));
}

int store_hpo_link_each(struct store *s, enum store_hpo_link kind,
                        int (*fn)(void *ctx, uint32_t from, uint32_t to), void *ctx,
                        struct gs_err *err)
{
    static const char parent[] = "SELECT term, parent FROM hpo_parent";
    static const char alt[] = "SELECT term, alt FROM hpo_alt_id";
    static const char consider[] = "SELECT term, consider FROM hpo_consider";
    const char *sql = kind == STORE_HPO_PARENT ? parent : kind == STORE_HPO_ALT_ID ? alt : consider;
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    struct link_walk w = {fn, ctx};
    return rc == GS_OK ? walk(s, st, "hpo links", link_row, &w, err) : rc;
}

struct synonym_walk {
    int (*fn)(void *ctx, uint32_t term, const char *text);
    void *ctx;
};
static int synonym_row(sqlite3_stmt *st, void *ctx)
{
    struct synonym_walk *w = ctx;
    return w->fn(w->ctx, (uint32_t)sqlite3_column_int64(st, 0), column_text(st, 1));
}

int store_hpo_synonym_each(struct store *s, int (*fn)(void *ctx, uint32_t term, const char *text),
                           void *ctx, struct gs_err *err)
{
    static const char sql[] = "SELECT term, synonym FROM hpo_synonym ORDER BY rowid";
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, sql, &st, err);
    struct synonym_walk w = {fn, ctx};
    return rc == GS_OK ? walk(s, st, "hpo synonyms", synonym_row, &w, err) : rc;
}

/* ---- search ---- */

#define SEARCH_TEXT_MAX 200
#define SEARCH_WORDS_MAX 8

/* The best hit per term: labels before synonyms, then the shortest text. */
#define SEARCH_SQL(where)                                                                     \
    "SELECT t.id, t.label, t.label_ja, m.text FROM"                                         \
    " (SELECT term, text, kind, row_number() OVER (PARTITION BY term ORDER BY kind,"        \
    "  length(text)) AS r FROM hpo_search WHERE " where " AND (?2 IS NULL OR lang = ?2)) m" \
    " JOIN hpo_term t ON t.id = m.term WHERE m.r = 1"                                       \
    " ORDER BY m.kind, length(m.text), t.id LIMIT ?3"

struct search_walk {
    int (*fn)(void *ctx, const struct store_hpo_hit *hit);
    void *ctx;
};
static int search_row(sqlite3_stmt *st, void *ctx)
{
    struct search_walk *w = ctx;
    struct store_hpo_hit hit = {(uint32_t)sqlite3_column_int64(st, 0), column_text(st, 1),
                                column_text(st, 2), column_text(st, 3)};
    return w->fn(w->ctx, &hit);
}

/* Characters, not bytes: the trigram index needs three per word. */
static size_t utf8_length(const char *s, size_t n)
{
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            chars++;
    return chars;
}

/* Builds an FTS5 query of quoted words ("a""b" escapes a quote), or a LIKE pattern when a
 * word is shorter than a trigram (the index cannot answer that; the scan is small). */
static bool search_query(const char *text, char *match, size_t msize, char *like, size_t lsize)
{
    bool all_long = true;
    size_t m = 0, l = 0;
    int words = 0;
    like[l++] = '%';
    for (const char *p = text; *p;) {
        p += strspn(p, " \t");
        size_t n = strcspn(p, " \t");
        if (n == 0)
            break;
        if (utf8_length(p, n) < 3)
            all_long = false;
        if (++words > SEARCH_WORDS_MAX)
            break;
        match[m++] = '"';
        for (size_t i = 0; i < n && m + 4 < msize; i++) {
            if (p[i] == '"')
                match[m++] = '"';
            match[m++] = p[i];
        }
        match[m++] = '"';
        match[m++] = ' ';
        if (l > 1 && l + 1 < lsize)
            like[l++] = ' ';
        for (size_t i = 0; i < n && l + 3 < lsize; i++) {
            if (p[i] == '%' || p[i] == '_' || p[i] == '\\')
                like[l++] = '\\';
            like[l++] = p[i];
        }
        p += n;
    }
    match[m] = '\0';
    like[l++] = '%';
    like[l] = '\0';
    return all_long;
}

int store_hpo_search(struct store *s, const char *text, const char *lang, int limit,
                     int (*fn)(void *ctx, const struct store_hpo_hit *hit), void *ctx,
                     struct gs_err *err)
{
    static const char by_match[] = SEARCH_SQL("hpo_search MATCH ?1");
    static const char by_like[] = SEARCH_SQL("text LIKE ?1 ESCAPE '\\'");
    if (text == NULL || text[strspn(text, " \t")] == '\0')
        return gs_err_set(err, GS_EINVAL, "the search text is empty");
    if (strlen(text) > SEARCH_TEXT_MAX)
        return gs_err_set(err, GS_EINVAL, "the search text is longer than %d bytes",
                          SEARCH_TEXT_MAX);
    char match[SEARCH_TEXT_MAX * 2 + 4 * SEARCH_WORDS_MAX + 8];
    char like[SEARCH_TEXT_MAX * 2 + 8];
    bool use_match = search_query(text, match, sizeof match, like, sizeof like);
    sqlite3_stmt *st;
    int rc = store__stmt_get(s, use_match ? by_match : by_like, &st, err);
    if (rc != GS_OK)
        return rc;
    store__bind_text(st, 1, use_match ? match : like);
    if (lang != NULL)
        store__bind_text(st, 2, lang);
    sqlite3_bind_int(st, 3, limit);
    struct search_walk w = {fn, ctx};
    return walk(s, st, "hpo search", search_row, &w, err);
}
