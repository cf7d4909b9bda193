/* diseases.c — reading phenotype.hpoa into a disease table, saving it to the store (one
 * audited transaction) and reading it back (the contracts are in diseases.h). */
#include "match/diseases.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

#include "core/parse.h"
#include "pheno/hpo_store.h"

#define LINE_MAX_BYTES (1u << 16)

void disease_table_free(struct disease_table *t)
{
    if (t == NULL)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->diseases[i].terms);
    free(t->diseases);
    t->diseases = NULL;
    t->n = 0;
}

/* ---- frequencies ---- */

int diseases_frequency_parse(const char *text, double *out, struct gs_err *err)
{
    /* the middle of each frequency term's published range (hp.json definitions) */
    static const double term_value[] = {1.0, 0.895, 0.545, 0.17, 0.025, 0.0};
    uint32_t number;
    *out = -1;
    if (text[0] == '\0')
        return GS_OK;
    if (hpo_id_parse(text, &number)) {
        if (number < 40280 || number > 40285)
            return gs_err_set(err, GS_EINVAL, "'%.40s' is not a frequency term "
                              "(HP:0040280..HP:0040285)", text);
        *out = term_value[number - 40280];
        return GS_OK;
    }
    const char *slash = strchr(text, '/');
    size_t len = strlen(text);
    if (slash != NULL) {
        char num[24];
        int64_t n, m;
        size_t k = (size_t)(slash - text);
        if (k == 0 || k >= sizeof num)
            return gs_err_set(err, GS_EINVAL, "'%.40s' is not a frequency (n/m)", text);
        memcpy(num, text, k);
        num[k] = '\0';
        struct gs_err ignored = {0};
        if (parse_int64(num, 0, INT32_MAX, &n, &ignored) != GS_OK ||
            parse_int64(slash + 1, 1, INT32_MAX, &m, &ignored) != GS_OK || n > m)
            return gs_err_set(err, GS_EINVAL, "'%.40s' is not a frequency (n/m, n <= m)", text);
        *out = (double)n / (double)m;
        return GS_OK;
    }
    if (len >= 2 && text[len - 1] == '%') {
        char *end;
        errno = 0;
        double x = strtod(text, &end);
        if (errno == 0 && end == text + len - 1 && text[0] >= '0' && text[0] <= '9' &&
            x >= 0 && x <= 100) {
            *out = x / 100;
            return GS_OK;
        }
    }
    return gs_err_set(err, GS_EINVAL, "'%.40s' is not a frequency (HP:00402xx, n/m or x%%)",
                      text);
}

/* ---- reading the file ---- */

struct row {
    char id[DISEASE_ID_MAX];
    int name;       /* index into names */
    int term;
    double frequency;
    bool excluded;
    int64_t order;  /* file order, so the first name given wins */
};

struct reader {
    struct row *rows;
    size_t n, cap;
    char **names;
    size_t nnames, names_cap;
};

static void reader_free(struct reader *r)
{
    for (size_t i = 0; i < r->nnames; i++)
        free(r->names[i]);
    free(r->names);
    free(r->rows);
}

static int cmp_row(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c != 0)
        return c;
    if (x->excluded != y->excluded)
        return x->excluded ? 1 : -1;
    if (x->term != y->term)
        return (x->term > y->term) - (x->term < y->term);
    return (x->order > y->order) - (x->order < y->order);
}

/* Splits line at tabs into at most max fields; returns the count. */
static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    return n;
}

enum { C_ID, C_NAME, C_QUALIFIER, C_TERM, C_FREQUENCY, C_ASPECT, NCOLS };

static int header_columns(char *line, const char *path, int *col, int *needed,
                          struct gs_err *err)
{
    static const char *const names[NCOLS] = {"database_id", "disease_name", "qualifier",
                                             "hpo_id", "frequency", "aspect"};
    char *fields[64];
    int n = split_tabs(line, fields, 64);
    *needed = 0;
    for (int c = 0; c < NCOLS; c++) {
        col[c] = -1;
        for (int i = 0; i < n; i++)
            if (strcmp(fields[i], names[c]) == 0)
                col[c] = i;
        if (col[c] < 0)
            return gs_err_set(err, GS_EINVAL, "%s: not a phenotype.hpoa file (no column %s)",
                              path, names[c]);
        if (col[c] + 1 > *needed)
            *needed = col[c] + 1;
    }
    return GS_OK;
}

/* Reads one line into buf (without its newline): 1 read, 0 at the end, or an error. */
static int read_line(gzFile gz, char *buf, size_t size, const char *path, int line,
                     struct gs_err *err)
{
    if (gzgets(gz, buf, (int)size) == NULL) {
        int zerr;
        gzerror(gz, &zerr);
        if (!gzeof(gz) || (zerr != Z_OK && zerr != Z_STREAM_END))
            return gs_err_set(err, GS_EIO, "%s: cannot read after line %d", path, line - 1);
        return 0;
    }
    size_t len = strlen(buf);
    if (len == size - 1 && buf[len - 1] != '\n' && !gzeof(gz))
        return gs_err_set(err, GS_ETOOBIG, "%s: line %d is longer than %zu bytes", path, line,
                          size - 2);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        buf[--len] = '\0';
    return 1;
}

/* Adds one data row (fields split) to r. */
static int add_row(const struct hpo *h, struct reader *r, char **f, const int *c, int line,
                   const char *path, struct disease_load_report *rep, struct gs_err *err)
{
    if (strcmp(f[c[C_ASPECT]], "P") != 0) {
        rep->skipped_aspect++;
        return GS_OK;
    }
    char at[32];
    snprintf(at, sizeof at, "line %d", line);
    int t = hpo_resolve_input(h, f[c[C_TERM]], at, &rep->problems);
    if (t < 0)
        return GS_OK;
    const char *id = f[c[C_ID]];
    size_t idlen = strlen(id);
    if (idlen == 0 || idlen >= DISEASE_ID_MAX || strchr(id, ':') == NULL)
        return gs_err_set(err, GS_EINVAL, "%s: line %d: '%.60s' is not a disease id (OMIM:n)",
                          path, line, id);
    struct row row = {.term = t, .order = (int64_t)r->n};
    memcpy(row.id, id, idlen + 1);
    row.excluded = strcmp(f[c[C_QUALIFIER]], "NOT") == 0;
    struct gs_err ferr = {0};
    if (diseases_frequency_parse(f[c[C_FREQUENCY]], &row.frequency, &ferr) != GS_OK) {
        if (rep->bad_frequency++ == 0)
            snprintf(rep->bad_frequency_example, sizeof rep->bad_frequency_example,
                     "line %d: '%.60s'", line, f[c[C_FREQUENCY]]);
        row.frequency = -1;
    }
    if (row.frequency == 0)
        row.excluded = true;
    rep->used++;
    rep->excluded += row.excluded;
    /* the name: a new string only when it differs from the previous row's */
    const char *name = f[c[C_NAME]];
    if (r->nnames == 0 || strcmp(r->names[r->nnames - 1], name) != 0) {
        if (r->nnames == r->names_cap) {
            size_t cap = r->names_cap ? r->names_cap * 2 : 1024;
            char **p = realloc(r->names, cap * sizeof *p);
            if (p == NULL)
                return gs_err_set(err, GS_ENOMEM, "diseases: out of memory");
            r->names = p;
            r->names_cap = cap;
        }
        if ((r->names[r->nnames] = strdup(name)) == NULL)
            return gs_err_set(err, GS_ENOMEM, "diseases: out of memory");
        r->nnames++;
    }
    row.name = (int)r->nnames - 1;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4096;
        struct row *p = realloc(r->rows, cap * sizeof *p);
        if (p == NULL)
            return gs_err_set(err, GS_ENOMEM, "diseases: out of memory");
        r->rows = p;
        r->cap = cap;
    }
    r->rows[r->n++] = row;
    return GS_OK;
}

/* Groups the sorted rows into diseases, merging repeated terms. */
static int build_table(struct reader *r, struct disease_table *out,
                       struct disease_load_report *rep, struct gs_err *err)
{
    qsort(r->rows, r->n, sizeof *r->rows, cmp_row);
    size_t ndiseases = 0;
    for (size_t i = 0; i < r->n; i++)
        ndiseases += i == 0 || strcmp(r->rows[i].id, r->rows[i - 1].id) != 0;
    if (ndiseases > 0 && (out->diseases = calloc(ndiseases, sizeof *out->diseases)) == NULL)
        return gs_err_set(err, GS_ENOMEM, "diseases: out of memory");
    for (size_t i = 0; i < r->n;) {
        size_t j = i;
        while (j < r->n && strcmp(r->rows[j].id, r->rows[i].id) == 0)
            j++;
        struct disease *d = &out->diseases[out->n++];
        snprintf(d->id, sizeof d->id, "%s", r->rows[i].id);
        int64_t first = r->rows[i].order;
        int name = r->rows[i].name;
        for (size_t k = i; k < j; k++)
            if (r->rows[k].order < first)
                first = r->rows[k].order, name = r->rows[k].name;
        snprintf(d->name, sizeof d->name, "%s", r->names[name]);
        if ((d->terms = calloc(j - i, sizeof *d->terms)) == NULL)
            return gs_err_set(err, GS_ENOMEM, "diseases: out of memory");
        for (size_t k = i; k < j; k++) {
            const struct row *w = &r->rows[k];
            struct disease_term *last = d->nterms ? &d->terms[d->nterms - 1] : NULL;
            if (last && last->term == w->term && last->excluded == w->excluded) {
                rep->merged++;
                if (w->frequency > last->frequency)
                    last->frequency = w->frequency;
                continue;
            }
            d->terms[d->nterms++] = (struct disease_term){w->term, w->frequency, w->excluded};
        }
        rep->terms += d->nterms;
        i = j;
    }
    rep->diseases = (int64_t)out->n;
    return GS_OK;
}

int diseases_read_hpoa(const struct hpo *h, const char *path, struct disease_table *out,
                       struct disease_load_report *rep, struct gs_err *err)
{
    static const char version_tag[] = "#version:";
    memset(rep, 0, sizeof *rep);
    memset(out, 0, sizeof *out);
    gzFile gz = gzopen(path, "rb");
    if (gz == NULL)
        return gs_err_set(err, GS_EIO, "cannot read %s", path);
    char *buf = malloc(LINE_MAX_BYTES);
    struct reader r = {0};
    int col[NCOLS], needed = 0, line = 0, rc = GS_OK, got;
    bool header = false;
    if (buf == NULL) {
        gzclose(gz);
        return gs_err_set(err, GS_ENOMEM, "diseases: out of memory");
    }
    while ((got = read_line(gz, buf, LINE_MAX_BYTES, path, ++line, err)) == 1) {
        if (buf[0] == '#') {
            if (strncmp(buf, version_tag, sizeof version_tag - 1) == 0)
                snprintf(rep->version, sizeof rep->version, "%s",
                         buf + sizeof version_tag - 1 + strspn(buf + sizeof version_tag - 1, " \t"));
            continue;
        }
        if (buf[0] == '\0')
            continue;
        if (!header) {
            if ((rc = header_columns(buf, path, col, &needed, err)) != GS_OK)
                break;
            header = true;
            continue;
        }
        char *f[64];
        rep->rows++;
        if (split_tabs(buf, f, 64) < needed) {
            rc = gs_err_set(err, GS_EINVAL, "%s: line %d has fewer than %d fields", path, line,
                            needed);
            break;
        }
        if ((rc = add_row(h, &r, f, col, line, path, rep, err)) != GS_OK)
            break;
    }
    if (got < 0)
        rc = got;
    else if (rc == GS_OK && !header)
        rc = gs_err_set(err, GS_EINVAL, "%s: no header line (database_id, disease_name, "
                        "qualifier, hpo_id, frequency, aspect)", path);
    if (rc == GS_OK)
        rc = build_table(&r, out, rep, err);
    if (rc != GS_OK)
        disease_table_free(out);
    reader_free(&r);
    free(buf);
    gzclose(gz);
    return rc;
}

/* ---- the store ---- */

static int save_table(struct store *s, const struct hpo *h, const struct disease_table *t,
                      struct gs_err *err)
{
    int rc = store_diseases_clear(s, err);
    for (size_t i = 0; rc == GS_OK && i < t->n; i++) {
        const struct disease *d = &t->diseases[i];
        struct store_disease sd;
        snprintf(sd.id, sizeof sd.id, "%s", d->id);
        snprintf(sd.name, sizeof sd.name, "%s", d->name);
        snprintf(sd.source, sizeof sd.source, "%.*s", (int)strcspn(d->id, ":"), d->id);
        rc = store_disease_insert(s, &sd, err);
        for (int k = 0; rc == GS_OK && k < d->nterms; k++) {
            struct store_disease_term st = {hpo_term_number(h, d->terms[k].term),
                                            d->terms[k].frequency, d->terms[k].excluded};
            rc = store_disease_term_insert(s, d->id, &st, err);
        }
    }
    return rc;
}

int diseases_load_hpoa(struct store *s, const struct actor *by, const struct hpo *h,
                       const char *path, struct disease_load_report *rep, struct gs_err *err)
{
    struct disease_table t;
    int rc = diseases_read_hpoa(h, path, &t, rep, err);
    if (rc != GS_OK)
        return rc;
    char detail[400];
    snprintf(detail, sizeof detail,
             "{\"version\":\"%.60s\",\"diseases\":%lld,\"terms\":%lld,\"unknown_ids\":%lld}",
             rep->version, (long long)rep->diseases, (long long)rep->terms,
             (long long)rep->problems.unknown);
    struct audit_event ev = {"disease.load", "diseases", detail};
    if ((rc = store_begin(s, err)) == GS_OK) {
        rc = save_table(s, h, &t, err);
        rc = audit_commit(s, rc, by, &ev, time(NULL), err);
    }
    disease_table_free(&t);
    return rc;
}

struct from_store {
    const struct hpo *h;
    struct disease_table *t;
    size_t cap;
    int terms_cap;
};

static int collect_term(void *ctx, const struct store_disease *sd, const struct store_disease_term *st)
{
    struct from_store *x = ctx;
    struct disease_table *t = x->t;
    int term = hpo_term_find(x->h, st->hpo, NULL);
    if (t->n == 0 || strcmp(t->diseases[t->n - 1].id, sd->id) != 0) {
        if (t->n == x->cap) {
            size_t cap = x->cap ? x->cap * 2 : 1024;
            struct disease *p = realloc(t->diseases, cap * sizeof *p);
            if (p == NULL)
                return GS_ENOMEM;
            t->diseases = p;
            x->cap = cap;
        }
        struct disease *d = &t->diseases[t->n++];
        memset(d, 0, sizeof *d);
        snprintf(d->id, sizeof d->id, "%s", sd->id);
        snprintf(d->name, sizeof d->name, "%s", sd->name);
        x->terms_cap = 0;
    }
    struct disease *d = &t->diseases[t->n - 1];
    if (term < 0 || hpo_term_obsolete(x->h, term))
        return GS_OK;
    if (d->nterms == x->terms_cap) {
        int cap = x->terms_cap ? x->terms_cap * 2 : 16;
        struct disease_term *p = realloc(d->terms, (size_t)cap * sizeof *p);
        if (p == NULL)
            return GS_ENOMEM;
        d->terms = p;
        x->terms_cap = cap;
    }
    d->terms[d->nterms++] = (struct disease_term){term, st->frequency, st->excluded};
    return GS_OK;
}

static int cmp_term(const void *a, const void *b)
{
    const struct disease_term *x = a, *y = b;
    if (x->excluded != y->excluded)
        return x->excluded ? 1 : -1;
    return (x->term > y->term) - (x->term < y->term);
}

int diseases_from_store(struct store *s, const struct hpo *h, struct disease_table *out,
                        struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    struct from_store x = {h, out, 0, 0};
    int rc = store_disease_terms_each(s, collect_term, &x, err);
    if (rc == GS_ENOMEM)
        rc = gs_err_set(err, GS_ENOMEM, "diseases: out of memory");
    if (rc != GS_OK) {
        disease_table_free(out);
        return rc;
    }
    /* ids order as the store sorted them; terms by (excluded, term) as the reader does */
    for (size_t i = 0; i < out->n; i++)
        qsort(out->diseases[i].terms, (size_t)out->diseases[i].nterms,
              sizeof *out->diseases[i].terms, cmp_term);
    return GS_OK;
}

int diseases_demo_fill(struct store *s, const struct actor *by, const char *data_dir,
                       struct gs_err *err)
{
    char path[1024];
    struct stat st;
    if (data_dir == NULL)
        return GS_OK;
    snprintf(path, sizeof path, "%.900s/hpo/phenotype.v2025-05-06.hpoa.gz", data_dir);
    if (stat(path, &st) != 0)
        return GS_OK;
    struct hpo *h = NULL;
    int rc = hpo_from_store(s, &h, err);
    if (rc == GS_ENOTFOUND) {
        gs_err_clear(err);
        return GS_OK;
    }
    struct disease_load_report rep;
    if (rc == GS_OK)
        rc = diseases_load_hpoa(s, by, h, path, &rep, err);
    hpo_free(h);
    return rc;
}
