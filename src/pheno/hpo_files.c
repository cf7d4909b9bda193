/* hpo_files.c — reading the HPO's files, plain or gzipped (zlib reads both): whole files
 * for the ontology, lines and tab-separated fields for the annotation and label tables,
 * and hpo_load_ontology, which picks the obographs or OBO reader by the file's content. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pheno/hpo_internal.h"

#define ONTOLOGY_MAX ((size_t)512 << 20) /* hp.json is ~80 MB uncompressed, hp.obo ~10 MB */
#define TABLE_MAX ((size_t)1 << 30)      /* phenotype.hpoa is ~34 MB uncompressed */

int hpo__lines_open(struct hpo__lines *r, const char *path, struct gs_err *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->gz = gzopen(path, "rb");
    if (r->gz == NULL)
        return gs_err_set(err, GS_EIO, "cannot open %s: %s", path,
                          errno ? strerror(errno) : "out of memory");
    gzbuffer(r->gz, 1 << 17);
    buf_init(&r->buf, HPO_LINE_MAX);
    return GS_OK;
}

void hpo__lines_open_text(struct hpo__lines *r, const char *path, const char *text, size_t len)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->text = text;
    r->text_len = len;
    buf_init(&r->buf, HPO_LINE_MAX);
}

/* The next line of text (memory mode) into r->buf, newline included. */
static int text_next(struct hpo__lines *r, bool *any, struct gs_err *err)
{
    if (r->text_pos >= r->text_len)
        return GS_OK;
    const char *start = r->text + r->text_pos;
    const char *nl = memchr(start, '\n', r->text_len - r->text_pos);
    size_t n = nl ? (size_t)(nl - start) + 1 : r->text_len - r->text_pos;
    r->text_pos += n;
    *any = true;
    int rc = buf_append(&r->buf, start, n);
    if (rc == GS_ETOOBIG)
        return gs_err_set(err, rc, "%s:%d: line longer than %u bytes", r->path, r->line + 1,
                          HPO_LINE_MAX);
    return rc == GS_OK ? GS_OK : gs_err_set(err, rc, "%s: out of memory", r->path);
}

int hpo__lines_next(struct hpo__lines *r, struct gs_err *err)
{
    char chunk[8192];
    buf_reset(&r->buf);
    bool any = false;
    if (r->gz == NULL) {
        int rc = text_next(r, &any, err);
        if (rc != GS_OK)
            return rc;
    }
    while (r->gz != NULL && gzgets(r->gz, chunk, sizeof chunk) != NULL) {
        any = true;
        size_t n = strlen(chunk);
        bool end = n > 0 && chunk[n - 1] == '\n';
        int rc = buf_append(&r->buf, chunk, n);
        if (rc == GS_ETOOBIG)
            return gs_err_set(err, rc, "%s:%d: line longer than %u bytes", r->path, r->line + 1,
                              HPO_LINE_MAX);
        if (rc != GS_OK)
            return gs_err_set(err, rc, "%s: out of memory", r->path);
        if (end)
            break;
    }
    int zerr = 0;
    const char *zmsg = r->gz ? gzerror(r->gz, &zerr) : "";
    if (zerr != Z_OK && zerr != Z_BUF_ERROR)
        return gs_err_set(err, GS_EIO, "%s:%d: %s", r->path, r->line + 1,
                          zerr == Z_ERRNO ? strerror(errno) : zmsg);
    if (!any)
        return GS_ENOTFOUND;
    if (buf_append(&r->buf, "", 1) != GS_OK) /* guarantees a NUL even for an empty line */
        return gs_err_set(err, GS_ENOMEM, "%s: out of memory", r->path);
    r->buf.len--;
    while (r->buf.len > 0 && (r->buf.data[r->buf.len - 1] == '\n' ||
                              r->buf.data[r->buf.len - 1] == '\r'))
        r->buf.data[--r->buf.len] = '\0';
    r->line++;
    return GS_OK;
}

void hpo__lines_close(struct hpo__lines *r)
{
    if (r->gz != NULL)
        gzclose(r->gz);
    r->gz = NULL;
    buf_free(&r->buf);
}

int hpo__read_all(const char *path, size_t max, char **out, size_t *len, struct gs_err *err)
{
    gzFile gz = gzopen(path, "rb");
    if (gz == NULL)
        return gs_err_set(err, GS_EIO, "cannot open %s: %s", path,
                          errno ? strerror(errno) : "out of memory");
    gzbuffer(gz, 1 << 17);
    size_t cap = 1 << 20, used = 0;
    char *data = malloc(cap);
    int rc = data ? GS_OK : gs_err_set(err, GS_ENOMEM, "%s: out of memory", path);
    while (rc == GS_OK) {
        if (cap - used < (1u << 16) + 1) {
            if (cap >= max) {
                rc = gs_err_set(err, GS_ETOOBIG, "%s is larger than %zu MB", path, max >> 20);
                break;
            }
            char *grown = realloc(data, cap * 2);
            if (grown == NULL) {
                rc = gs_err_set(err, GS_ENOMEM, "%s: out of memory", path);
                break;
            }
            data = grown;
            cap *= 2;
        }
        int n = gzread(gz, data + used, 1u << 16);
        if (n < 0) {
            int zerr = 0;
            const char *zmsg = gzerror(gz, &zerr);
            rc = gs_err_set(err, GS_EIO, "cannot read %s: %s", path,
                            zerr == Z_ERRNO ? strerror(errno) : zmsg);
        } else if (n == 0) {
            break;
        } else {
            used += (size_t)n;
        }
    }
    gzclose(gz);
    if (rc != GS_OK) {
        free(data);
        return rc;
    }
    data[used] = '\0';
    *out = data;
    *len = used;
    return GS_OK;
}

static int split_tabs(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        fields[n++] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

int hpo__header_columns(struct hpo__lines *r, const char *const *names, int n, int *cols,
                        int *needed, const char *kind, struct gs_err *err)
{
    char *header[HPO_FIELDS_MAX];
    int nheader = split_tabs(r->buf.data, header, HPO_FIELDS_MAX);
    *needed = 0;
    for (int i = 0; i < n; i++) {
        cols[i] = -1;
        for (int k = 0; k < nheader && cols[i] < 0; k++)
            if (strcmp(header[k], names[i]) == 0)
                cols[i] = k;
        if (cols[i] < 0)
            return gs_err_set(err, GS_EINVAL, "%s:%d: the header lacks the column '%s' (is this "
                              "%s?)", r->path, r->line, names[i], kind);
        if (cols[i] + 1 > *needed)
            *needed = cols[i] + 1;
    }
    return GS_OK;
}

int hpo__row_fields(struct hpo__lines *r, char **fields, int needed, struct gs_err *err)
{
    int n = split_tabs(r->buf.data, fields, HPO_FIELDS_MAX);
    if (n < needed)
        return gs_err_set(err, GS_EINVAL, "%s:%d: %d columns, the header has at least %d",
                          r->path, r->line, n, needed);
    return GS_OK;
}

int hpo_load_ontology(const char *path, struct hpo **out, struct gs_err *err)
{
    char *text = NULL;
    size_t len = 0;
    int rc = hpo__read_all(path, ONTOLOGY_MAX, &text, &len, err);
    if (rc != GS_OK)
        return rc;
    if (strlen(text) != len) {
        free(text);
        return gs_err_set(err, GS_EINVAL, "%s: contains a NUL byte: not an ontology file", path);
    }
    const char *p = text;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (*p == '{')
        rc = hpo__parse_obographs(path, text, len, out, err);
    else
        rc = hpo__parse_obo(path, text, out, err);
    free(text);
    return rc;
}

/* ---- a release: the tables' files read on a second thread while the ontology is parsed ---- */

struct table_file {
    const char *path; /* NULL: not asked for */
    char *text;
    size_t len;
    int rc;
    struct gs_err err;
};

static void *read_tables(void *arg)
{
    struct table_file *f = arg;
    for (int i = 0; i < 2; i++)
        if (f[i].path != NULL)
            f[i].rc = hpo__read_all(f[i].path, TABLE_MAX, &f[i].text, &f[i].len, &f[i].err);
    return NULL;
}

int hpo_load_release(const char *ontology, const char *annotations, const char *labels_ja,
                     struct hpo **out, struct hpo_annotation_report *annotations_report,
                     struct hpo_labels_report *labels_report, struct gs_err *err)
{
    struct table_file f[2] = {{.path = annotations}, {.path = labels_ja}};
    pthread_t reader;
    bool threaded = pthread_create(&reader, NULL, read_tables, f) == 0;
    struct hpo *h = NULL;
    int rc = hpo_load_ontology(ontology, &h, err);
    if (threaded)
        pthread_join(reader, NULL);
    else
        read_tables(f); /* no second thread: the same work, in turn */
    for (int i = 0; rc == GS_OK && i < 2; i++)
        if (f[i].path != NULL && f[i].rc != GS_OK)
            rc = gs_err_set(err, f[i].rc, "%s", f[i].err.msg);
    struct hpo__lines r;
    if (rc == GS_OK && annotations != NULL) {
        hpo__lines_open_text(&r, annotations, f[0].text, f[0].len);
        rc = hpo__annotations_read(h, &r, annotations_report, err);
    }
    if (rc == GS_OK && labels_ja != NULL) {
        hpo__lines_open_text(&r, labels_ja, f[1].text, f[1].len);
        rc = hpo__labels_ja_read(h, &r, labels_report, err);
    }
    free(f[0].text);
    free(f[1].text);
    if (rc != GS_OK) {
        hpo_free(h);
        return rc;
    }
    *out = h;
    return GS_OK;
}
