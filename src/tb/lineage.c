/* lineage.c — the barcode lineage call of lineage.h: per-label support, the label tree from
 * dotted names, the deepest consistent label and mixed samples. */
#include "tb/lineage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tb_lineage_options_default(struct tb_lineage_options *o)
{
    o->min_fraction = 0.1;
    o->min_support = 0.5;
}

double tb_lineage_marker_fraction(const struct tb_barcode_marker *m, char ref_base,
                                  bool has_record, const char *alts, const double *alt_fractions,
                                  int nalts)
{
    bool marker_is_ref = m->alt == ref_base;
    if (!has_record)
        return marker_is_ref ? 1.0 : 0.0;
    double alt_sum = 0, marker = 0;
    for (int i = 0; i < nalts; i++) {
        alt_sum += alt_fractions[i];
        if (alts[i] == m->alt)
            marker += alt_fractions[i];
    }
    if (marker_is_ref)
        return alt_sum >= 1 ? 0.0 : 1.0 - alt_sum;
    return marker > 1 ? 1.0 : marker;
}

struct label {
    const char *name;
    const struct tb_barcode_marker *first;
    int markers, known, support;
    double fraction;
    bool present, consistent;
    int parent;                   /* index of the nearest barcode ancestor, -1 for a root */
};

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int label_find(const struct label *labels, int n, const char *name, size_t len)
{
    for (int i = 0; i < n; i++)
        if (strlen(labels[i].name) == len && strncmp(labels[i].name, name, len) == 0)
            return i;
    return -1;
}

/* The nearest ancestor present in the barcode: strip ".x" parts until a label matches. */
static int parent_of(const struct label *labels, int n, const char *name)
{
    size_t len = strlen(name);
    while (len > 0) {
        while (len > 0 && name[len - 1] != '.')
            len--;
        if (len == 0)
            break;
        len--; /* drop the dot */
        int p = label_find(labels, n, name, len);
        if (p >= 0)
            return p;
    }
    return -1;
}

static bool is_ancestor(const struct label *labels, int anc, int node)
{
    for (int p = labels[node].parent; p >= 0; p = labels[p].parent)
        if (p == anc)
            return true;
    return false;
}

static void label_out(const struct label *l, struct tb_lineage_label *o)
{
    memset(o, 0, sizeof *o);
    snprintf(o->lineage, sizeof o->lineage, "%s", l->name);
    snprintf(o->family, sizeof o->family, "%s", l->first->family);
    snprintf(o->spoligotype, sizeof o->spoligotype, "%s", l->first->spoligotype);
    snprintf(o->rds, sizeof o->rds, "%s", l->first->rds);
    o->fraction = l->fraction, o->support = l->support, o->known = l->known;
    o->markers = l->markers, o->consistent = l->consistent;
}

static int depth_of(const struct label *labels, int i)
{
    int d = 0;
    for (int p = labels[i].parent; p >= 0; p = labels[p].parent)
        d++;
    return d;
}

int tb_lineage_call(const struct tb_barcode_marker *markers, size_t n, const double *fraction,
                    const struct tb_lineage_options *opt, struct tb_lineage *out,
                    struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    struct label *labels = calloc(n ? n : 1, sizeof *labels);
    double *fr = malloc((n ? n : 1) * sizeof *fr);
    int *of = malloc((n ? n : 1) * sizeof *of);
    if (labels == NULL || fr == NULL || of == NULL) {
        free(labels), free(fr), free(of);
        return gs_err_set(err, GS_ENOMEM, "out of memory for the lineage call");
    }
    int nl = 0;
    for (size_t i = 0; i < n; i++) {
        int l = label_find(labels, nl, markers[i].lineage, strlen(markers[i].lineage));
        if (l < 0) {
            l = nl++;
            labels[l].name = markers[i].lineage, labels[l].first = &markers[i];
        }
        of[i] = l;
        labels[l].markers++;
        if (fraction[i] >= 0) {
            labels[l].known++;
            if (fraction[i] >= opt->min_fraction)
                labels[l].support++;
        }
    }
    for (int l = 0; l < nl; l++) { /* median fraction of the supporting markers */
        int k = 0;
        for (size_t i = 0; i < n; i++)
            if (of[i] == l && fraction[i] >= opt->min_fraction)
                fr[k++] = fraction[i];
        qsort(fr, (size_t)k, sizeof *fr, by_double);
        labels[l].fraction = k == 0 ? 0 : k % 2 ? fr[k / 2] : (fr[k / 2 - 1] + fr[k / 2]) / 2;
        labels[l].present = labels[l].known > 0 && labels[l].support > 0 &&
                            labels[l].support >= opt->min_support * labels[l].known - 1e-9;
        labels[l].parent = parent_of(labels, nl, labels[l].name);
    }
    for (int l = 0; l < nl; l++) {
        bool ok = labels[l].present;
        for (int p = labels[l].parent; ok && p >= 0; p = labels[p].parent)
            ok = labels[p].present;
        labels[l].consistent = ok;
    }
    /* present labels, shallow first; leaves: consistent with no consistent descendant */
    for (int d = 0; d < 16; d++)
        for (int l = 0; l < nl; l++)
            if (labels[l].present && depth_of(labels, l) == d &&
                out->npresent < TB_LINEAGE_CALLS_MAX)
                label_out(&labels[l], &out->present[out->npresent++]);
    for (int l = 0; l < nl; l++) {
        if (!labels[l].consistent)
            continue;
        bool leaf = true;
        for (int k = 0; k < nl && leaf; k++)
            if (k != l && labels[k].consistent && is_ancestor(labels, l, k))
                leaf = false;
        if (leaf && out->nleaves < TB_LINEAGE_CALLS_MAX)
            label_out(&labels[l], &out->leaves[out->nleaves++]);
    }
    /* the dominant leaf first */
    for (int i = 1; i < out->nleaves; i++)
        for (int j = i; j > 0 && out->leaves[j].fraction > out->leaves[j - 1].fraction; j--) {
            struct tb_lineage_label t = out->leaves[j];
            out->leaves[j] = out->leaves[j - 1], out->leaves[j - 1] = t;
        }
    out->mixed = out->nleaves > 1;
    if (out->nleaves > 0) {
        int l = label_find(labels, nl, out->leaves[0].lineage, strlen(out->leaves[0].lineage));
        snprintf(out->sub_lineage, sizeof out->sub_lineage, "%s", labels[l].name);
        snprintf(out->family, sizeof out->family, "%s", labels[l].first->family);
        while (labels[l].parent >= 0)
            l = labels[l].parent;
        snprintf(out->main_lineage, sizeof out->main_lineage, "%s", labels[l].name);
    }
    free(labels), free(fr), free(of);
    return GS_OK;
}
