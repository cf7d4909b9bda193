/* predict.c — the genotypes-table reader (WHO solo input form) and the per-sample loop over
 * tb_resistance_call that `tb predict` and bench/tb-accuracy use. */
#include "tb/predict.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sample {
    char id[TB_SAMPLE_ID_MAX];
    size_t first, count;            /* its variants: vars[first .. first+count) after sorting */
    char unassessable[TB_DRUGS_MAX][TB_DRUG_MAX];
    int nunassessable;
};

struct tb_genotypes {
    struct sample *samples;
    size_t nsamples, samples_cap;
    struct tb_variant *vars;
    size_t *owner;                  /* per variant: its sample's index */
    size_t nvars, vars_cap;
};

void tb_genotypes_free(struct tb_genotypes *g)
{
    if (g == NULL)
        return;
    free(g->samples);
    free(g->vars);
    free(g->owner);
    free(g);
}

size_t tb_genotypes_samples(const struct tb_genotypes *g)
{
    return g->nsamples;
}

size_t tb_genotypes_variants(const struct tb_genotypes *g)
{
    return g->nvars;
}

/* The sample named id, appended when new. Linear search from the end: the files are
 * grouped by sample, so the last sample is nearly always the one. */
static int sample_get(struct tb_genotypes *g, const char *id, bool create, size_t *out,
                      struct gs_err *err)
{
    for (size_t i = g->nsamples; i-- > 0;)
        if (strcmp(g->samples[i].id, id) == 0) {
            *out = i;
            return GS_OK;
        }
    if (!create)
        return GS_ENOTFOUND;
    if (strlen(id) >= TB_SAMPLE_ID_MAX || id[0] == '\0')
        return gs_err_set(err, GS_EINVAL, "sample id '%.40s' is empty or longer than %d bytes",
                          id, TB_SAMPLE_ID_MAX - 1);
    if (g->nsamples == g->samples_cap) {
        size_t cap = g->samples_cap ? g->samples_cap * 2 : 256;
        struct sample *p = realloc(g->samples, cap * sizeof *p);
        if (p == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for samples");
        g->samples = p, g->samples_cap = cap;
    }
    struct sample *s = &g->samples[g->nsamples];
    memset(s, 0, sizeof *s);
    snprintf(s->id, sizeof s->id, "%s", id);
    *out = g->nsamples++;
    return GS_OK;
}

/* A TSV reader over a whole file in memory: skips '#' lines, finds the header's columns. */
struct tsv {
    char *text, *pos;
    const char *path;
    int line;
};

/* Splits the next data line into at most max fields (tabs); returns the count, 0 at the
 * end. The line is modified in place. */
static int tsv_next(struct tsv *t, char **fields, int max)
{
    for (;;) {
        if (*t->pos == '\0')
            return 0;
        char *line = t->pos, *eol = strchr(line, '\n');
        t->pos = eol ? eol + 1 : line + strlen(line);
        if (eol)
            *eol = '\0';
        t->line++;
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\r')
            line[n - 1] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        int k = 0;
        fields[k++] = line;
        for (char *p = line; *p; p++)
            if (*p == '\t') {
                *p = '\0';
                if (k < max)
                    fields[k] = p + 1;
                k++;
            }
        return k;
    }
}

#define TSV_COLS 16

static int tsv_columns(struct tsv *t, const char *const *want, int nwant, int *col,
                       struct gs_err *err)
{
    char *f[TSV_COLS];
    int n = tsv_next(t, f, TSV_COLS);
    for (int w = 0; w < nwant; w++) {
        col[w] = -1;
        for (int i = 0; i < n && i < TSV_COLS; i++)
            if (strcmp(f[i], want[w]) == 0)
                col[w] = i;
        if (col[w] < 0)
            return gs_err_set(err, GS_EINVAL, "%s line %d: the header has no column '%s'",
                              t->path, t->line, want[w]);
    }
    return GS_OK;
}

static int read_genotypes(struct tb_genotypes *g, const char *path, struct gs_err *err)
{
    static const char *const want[] = {"sample_id", "gene", "variant", "effect", "max_af"};
    char *text = NULL;
    size_t len;
    int rc = tb_read_file(path, TB_GENOTYPES_MAX, &text, &len, err);
    if (rc != GS_OK)
        return rc;
    struct tsv t = {text, text, path, 0};
    int col[5];
    rc = tsv_columns(&t, want, 5, col, err);
    char *f[TSV_COLS];
    int n;
    while (rc == GS_OK && (n = tsv_next(&t, f, TSV_COLS)) > 0) {
        for (int w = 0; w < 5; w++)
            if (col[w] >= n)
                rc = gs_err_set(err, GS_EINVAL, "%s line %d: %d columns, the header has more",
                                path, t.line, n);
        if (rc != GS_OK)
            break;
        const char *gene = f[col[1]], *name = f[col[2]], *effect = f[col[3]], *af = f[col[4]];
        char *end;
        double v = strtod(af, &end);
        if (af[0] == '\0' || *end != '\0' || !(v >= 0 && v <= 1)) {
            rc = gs_err_set(err, GS_EINVAL, "%s line %d: max_af '%.20s' is not a fraction 0-1",
                            path, t.line, af);
            break;
        }
        if (strlen(gene) >= TB_GENE_MAX || strlen(name) >= TB_MUTATION_MAX ||
            strlen(effect) >= TB_EFFECT_MAX || gene[0] == '\0' || name[0] == '\0') {
            rc = gs_err_set(err, GS_EINVAL, "%s line %d: empty or too long gene, variant or "
                            "effect", path, t.line);
            break;
        }
        size_t si;
        if ((rc = sample_get(g, f[col[0]], true, &si, err)) != GS_OK) {
            char inner[GS_ERR_MSG_MAX];
            snprintf(inner, sizeof inner, "%s", err->msg);
            gs_err_clear(err);
            rc = gs_err_set(err, rc, "%s line %d: %s", path, t.line, inner);
            break;
        }
        if (g->nvars == g->vars_cap) {
            size_t cap = g->vars_cap ? g->vars_cap * 2 : 4096;
            struct tb_variant *p = realloc(g->vars, cap * sizeof *p);
            if (p != NULL)
                g->vars = p;
            size_t *o = realloc(g->owner, cap * sizeof *o);
            if (o != NULL)
                g->owner = o;
            if (p == NULL || o == NULL) {
                rc = gs_err_set(err, GS_ENOMEM, "out of memory for genotypes");
                break;
            }
            g->vars_cap = cap;
        }
        struct tb_variant *var = &g->vars[g->nvars];
        memset(var, 0, sizeof *var);
        snprintf(var->gene, sizeof var->gene, "%s", gene);
        snprintf(var->name, sizeof var->name, "%s", name);
        snprintf(var->effect, sizeof var->effect, "%s", tb_effect_canonical(effect));
        var->af = v, var->depth = -1;
        g->owner[g->nvars++] = si;
    }
    free(text);
    return rc;
}

/* "Rifampicin/1,Kanamycin/2": tier-1 sets make the drug unassessable. */
static int parse_missing(struct sample *s, char *list, const char *path, int line,
                         struct gs_err *err)
{
    char *save = NULL;
    for (char *item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *slash = strchr(item, '/');
        if (slash == NULL)
            return gs_err_set(err, GS_EINVAL, "%s line %d: gene set '%.40s' is not Drug/tier",
                              path, line, item);
        *slash = '\0';
        if (strcmp(slash + 1, "1") != 0)
            continue;
        char drug[TB_DRUG_MAX];
        size_t i = 0;
        for (; item[i] && i + 1 < sizeof drug; i++)
            drug[i] = (char)tolower((unsigned char)item[i]);
        drug[i] = '\0';
        if (s->nunassessable < TB_DRUGS_MAX)
            memcpy(s->unassessable[s->nunassessable++], drug, sizeof drug);
    }
    return GS_OK;
}

static int read_samples(struct tb_genotypes *g, const char *path, struct gs_err *err)
{
    static const char *const want[] = {"sample_id", "genotype_sets_missing"};
    char *text = NULL;
    size_t len;
    int rc = tb_read_file(path, TB_GENOTYPES_MAX, &text, &len, err);
    if (rc != GS_OK)
        return rc;
    struct tsv t = {text, text, path, 0};
    int col[2];
    rc = tsv_columns(&t, want, 2, col, err);
    char *f[TSV_COLS];
    int n;
    while (rc == GS_OK && (n = tsv_next(&t, f, TSV_COLS)) > 0) {
        size_t si;
        if ((rc = sample_get(g, f[col[0]], true, &si, err)) != GS_OK)
            break;
        if (col[1] < n && f[col[1]][0] != '\0')
            rc = parse_missing(&g->samples[si], f[col[1]], path, t.line, err);
    }
    free(text);
    return rc;
}

/* Groups the variants by sample (stable), so each sample's are contiguous. */
static int group_variants(struct tb_genotypes *g, struct gs_err *err)
{
    struct tb_variant *sorted = malloc((g->nvars ? g->nvars : 1) * sizeof *sorted);
    if (sorted == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for genotypes");
    for (size_t i = 0; i < g->nvars; i++)
        g->samples[g->owner[i]].count++;
    size_t at = 0;
    for (size_t s = 0; s < g->nsamples; s++)
        g->samples[s].first = at, at += g->samples[s].count, g->samples[s].count = 0;
    for (size_t i = 0; i < g->nvars; i++) {
        struct sample *s = &g->samples[g->owner[i]];
        sorted[s->first + s->count++] = g->vars[i];
    }
    free(g->vars);
    g->vars = sorted;
    return GS_OK;
}

int tb_genotypes_read(const char *genotypes_path, const char *samples_path,
                      struct tb_genotypes **out, struct gs_err *err)
{
    struct tb_genotypes *g = calloc(1, sizeof *g);
    if (g == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for genotypes");
    int rc = GS_OK;
    if (samples_path != NULL)
        rc = read_samples(g, samples_path, err);
    if (rc == GS_OK)
        rc = read_genotypes(g, genotypes_path, err);
    if (rc == GS_OK)
        rc = group_variants(g, err);
    if (rc != GS_OK) {
        tb_genotypes_free(g);
        return rc;
    }
    *out = g;
    return GS_OK;
}

int tb_predict_each(const struct tb_genotypes *g, const struct tb_catalogue *c,
                    const struct tb_resistance_options *opt, tb_predict_fn fn, void *ctx,
                    struct gs_err *err)
{
    int rc = GS_OK;
    for (size_t i = 0; rc == GS_OK && i < g->nsamples; i++) {
        const struct sample *s = &g->samples[i];
        const char *unassessable[TB_DRUGS_MAX];
        for (int k = 0; k < s->nunassessable; k++)
            unassessable[k] = s->unassessable[k];
        struct tb_resistance_input in = {g->vars + s->first, s->count, NULL, 0, unassessable,
                                         (size_t)s->nunassessable};
        struct tb_resistance r;
        if ((rc = tb_resistance_call(c, &in, opt, &r, err)) != GS_OK)
            break;
        rc = fn(ctx, s->id, &r);
        tb_resistance_clear(&r);
    }
    return rc;
}
