/* hpo_annotations.c — information content from the HPO disease annotations
 * (phenotype.hpoa): which diseases reach each term once annotations are propagated to all
 * ancestors. Unknown, alt and obsolete ids are counted in the report, never dropped
 * unseen. The formula and the value for unannotated terms are in hpo.h. */
#include <stdlib.h>
#include <string.h>

#include "pheno/hpo_internal.h"

/* Disease ids → dense indices: open addressing over strdup'ed keys. */
struct disease_map {
    char **keys;
    int *index;
    size_t cap, count;
};

static uint64_t hash_text(const char *s)
{
    uint64_t v = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        v = (v ^ (unsigned char)*s) * 1099511628211u;
    return v;
}

static int map_grow(struct disease_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 4096;
    char **keys = calloc(cap, sizeof *keys);
    int *index = calloc(cap, sizeof *index);
    if (keys == NULL || index == NULL) {
        free(keys);
        free(index);
        return GS_ENOMEM;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i] == NULL)
            continue;
        size_t j = hash_text(m->keys[i]) & (cap - 1);
        while (keys[j] != NULL)
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        index[j] = m->index[i];
    }
    free(m->keys);
    free(m->index);
    m->keys = keys;
    m->index = index;
    m->cap = cap;
    return GS_OK;
}

/* The index of key, added if new; -1 when out of memory. */
static int map_index(struct disease_map *m, const char *key)
{
    if ((m->count + 1) * 2 > m->cap && map_grow(m) != GS_OK)
        return -1;
    size_t j = hash_text(key) & (m->cap - 1);
    while (m->keys[j] != NULL) {
        if (strcmp(m->keys[j], key) == 0)
            return m->index[j];
        j = (j + 1) & (m->cap - 1);
    }
    if ((m->keys[j] = strdup(key)) == NULL)
        return -1;
    m->index[j] = (int)m->count++;
    return m->index[j];
}

static void map_free(struct disease_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->index);
}

struct annotation {
    int disease, term;
};

static int cmp_annotation(const void *a, const void *b)
{
    const struct annotation *x = a, *y = b;
    if (x->disease != y->disease)
        return (x->disease > y->disease) - (x->disease < y->disease);
    return (x->term > y->term) - (x->term < y->term);
}

/* Counts, per term, the diseases whose annotations reach it through is-a. */
static int count_diseases(struct hpo *h, struct annotation *ann, size_t n, int64_t diseases,
                          struct gs_err *err)
{
    int nterms = hpo_term_count(h);
    int64_t *counts = calloc((size_t)nterms, sizeof *counts);
    int *stamp = calloc((size_t)nterms, sizeof *stamp);
    if (counts == NULL || stamp == NULL) {
        free(counts);
        free(stamp);
        return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
    }
    qsort(ann, n, sizeof *ann, cmp_annotation);
    for (size_t i = 0; i < n; i++) {
        int len;
        const int *anc = hpo_term_ancestors(h, ann[i].term, &len);
        for (int k = 0; k < len; k++) {
            if (stamp[anc[k]] != ann[i].disease + 1) { /* once per disease */
                stamp[anc[k]] = ann[i].disease + 1;
                counts[anc[k]]++;
            }
        }
    }
    hpo__set_ic_from_counts(h, counts, diseases);
    free(counts);
    free(stamp);
    return GS_OK;
}

enum { COL_DISEASE, COL_QUALIFIER, COL_TERM, COL_ASPECT, NCOLS };

/* Skips the "#" lines (keeping "#version:") and reads the header's columns. */
static int read_header(struct hpo__lines *r, struct hpo_annotation_report *rep, int *cols,
                       int *needed, struct gs_err *err)
{
    static const char version_tag[] = "#version:";
    static const char *const names[NCOLS] = {"database_id", "qualifier", "hpo_id", "aspect"};
    int rc;
    while ((rc = hpo__lines_next(r, err)) == GS_OK) {
        char *line = r->buf.data;
        if (strncmp(line, version_tag, sizeof version_tag - 1) == 0) {
            const char *v = line + sizeof version_tag - 1;
            v += strspn(v, " \t");
            snprintf(rep->version, sizeof rep->version, "%s", v);
        }
        if (line[0] != '#')
            break;
    }
    if (rc == GS_ENOTFOUND)
        return gs_err_set(err, GS_EINVAL, "%s: no header line (database_id, qualifier, hpo_id, "
                          "aspect)", r->path);
    if (rc != GS_OK)
        return rc;
    return hpo__header_columns(r, names, NCOLS, cols, needed, "a phenotype.hpoa file", err);
}

int hpo_load_annotations(struct hpo *h, const char *path, struct hpo_annotation_report *rep,
                         struct gs_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct hpo__lines r;
    int rc = hpo__lines_open(&r, path, err);
    return rc == GS_OK ? hpo__annotations_read(h, &r, rep, err) : rc;
}

int hpo__annotations_read(struct hpo *h, struct hpo__lines *lines,
                          struct hpo_annotation_report *rep, struct gs_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct hpo__lines r = *lines;
    int rc = GS_OK;
    int c[NCOLS], needed = 0;
    struct disease_map diseases = {0};
    struct annotation *ann = NULL;
    size_t nann = 0, cap = 0;
    if ((rc = read_header(&r, rep, c, &needed, err)) != GS_OK)
        goto done;
    while ((rc = hpo__lines_next(&r, err)) == GS_OK) {
        char *fields[HPO_FIELDS_MAX];
        if (r.buf.data[0] == '#' || r.buf.data[0] == '\0')
            continue;
        rep->rows++;
        if ((rc = hpo__row_fields(&r, fields, needed, err)) != GS_OK)
            goto done;
        if (strcmp(fields[c[COL_ASPECT]], "P") != 0) {
            rep->skipped_aspect++;
            continue;
        }
        if (strcmp(fields[c[COL_QUALIFIER]], "NOT") == 0) {
            rep->skipped_not++;
            continue;
        }
        char at[32];
        snprintf(at, sizeof at, "line %d", r.line);
        int t = hpo_resolve_input(h, fields[c[COL_TERM]], at, &rep->problems);
        if (t < 0)
            continue;
        int d = map_index(&diseases, fields[c[COL_DISEASE]]);
        if (d >= 0 && nann == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            struct annotation *grown = realloc(ann, ncap * sizeof *ann);
            if (grown != NULL)
                ann = grown, cap = ncap;
        }
        if (d < 0 || nann == cap) {
            rc = gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
            goto done;
        }
        ann[nann++] = (struct annotation){d, t};
        rep->used++;
    }
    if (rc != GS_ENOTFOUND)
        goto done;
    rep->diseases = (int64_t)diseases.count;
    if ((rc = count_diseases(h, ann, nann, rep->diseases, err)) == GS_OK)
        hpo__set_annotations(h, rep->diseases, rep->version);
done:
    hpo__lines_close(&r);
    map_free(&diseases);
    free(ann);
    return rc;
}
