/* hpo_files.c — reading the HPO's files, plain or gzipped (zlib reads both): whole files
 * for the ontology, lines and tab-separated fields for the annotation and label tables,
 * and hpo_load_ontology, which picks the obographs or OBO reader by the file's content. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pheno/hpo_internal.h"

#define ONTOLOGY_MAX ((size_t)512 << 20) /* hp.json is ~80 MB uncompressed, hp.obo ~10 MB */

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

int hpo__lines_next(struct hpo__lines *r, struct gs_err *err)
{
    char chunk[8192];
    buf_reset(&r->buf);
    bool any = false;
    while (gzgets(r->gz, chunk, sizeof chunk) != NULL) {
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
    const char *zmsg = gzerror(r->gz, &zerr);
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
