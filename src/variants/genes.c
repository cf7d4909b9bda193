/* genes.c — loading gene locations (see genes.h). */
#include "variants/genes.h"

#include <errno.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "variants/normalize.h"

enum { G_CHROM, G_START, G_END, G_SYMBOL, G_STRAND, G_ENTREZ, G_HGNC, G_ENSEMBL, G_NCOLS };
static const char *const gene_cols[G_NCOLS] = {"chrom", "start", "end", "symbol", "strand",
                                               "entrez_id", "hgnc_id", "ensembl_gene_id"};
#define GENE_COLUMNS_MAX 32

static int parse_int(const char *t, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(t, &end, 10);
    if (errno || end == t || *end || v < 1)
        return GS_EINVAL;
    *out = v;
    return GS_OK;
}

/* Copies a cell, "." meaning empty. */
static void cell(char *dst, size_t size, const char *v)
{
    snprintf(dst, size, "%s", v == NULL || strcmp(v, ".") == 0 ? "" : v);
}

static int load_rows(struct store *s, htsFile *fp, const char *assembly, int64_t *count,
                     struct gs_err *err)
{
    kstring_t ks = {0, 0, NULL};
    int map[GENE_COLUMNS_MAX], ncols = -1, rc = GS_OK;
    int64_t line = 0;
    while (rc == GS_OK && hts_getline(fp, '\n', &ks) >= 0) {
        line++;
        if (ks.l > 0 && ks.s[ks.l - 1] == '\r')
            ks.s[--ks.l] = '\0';
        if (ks.l == 0)
            continue;
        char *fields[GENE_COLUMNS_MAX];
        int n = 0;
        char *p = ks.s[0] == '#' && ncols < 0 ? ks.s + 1 : ks.s;
        for (;;) {
            char *tab = strchr(p, '\t');
            if (tab)
                *tab = '\0';
            if (n < GENE_COLUMNS_MAX)
                fields[n++] = p;
            if (!tab)
                break;
            p = tab + 1;
        }
        if (ncols < 0) {
            bool seen[G_NCOLS] = {false};
            for (int i = 0; i < n; i++) {
                map[i] = -1;
                for (int c = 0; c < G_NCOLS; c++)
                    if (strcasecmp(fields[i], gene_cols[c]) == 0 ||
                        (c == G_ENTREZ && strcasecmp(fields[i], "entrez") == 0) ||
                        (c == G_ENSEMBL && strcasecmp(fields[i], "ensembl") == 0))
                        map[i] = c, seen[c] = true;
            }
            ncols = n;
            for (int c = G_CHROM; c <= G_SYMBOL; c++)
                if (!seen[c])
                    rc = gs_err_set(err, GS_EINVAL, "line %lld: the header row has no %s column",
                                    (long long)line, gene_cols[c]);
            continue;
        }
        if (ks.s[0] == '#')
            continue;
        const char *v[G_NCOLS] = {0};
        for (int i = 0; i < n && i < ncols; i++)
            if (map[i] >= 0)
                v[map[i]] = fields[i];
        struct store_gene_location g = {0};
        snprintf(g.assembly, sizeof g.assembly, "%s", assembly);
        if (n != ncols)
            rc = gs_err_set(err, GS_EINVAL, "line %lld: %d columns where the header has %d",
                            (long long)line, n, ncols);
        else if (chrom_normalize(v[G_CHROM], g.chrom, sizeof g.chrom, err) != GS_OK ||
                 parse_int(v[G_START], &g.start) != GS_OK ||
                 parse_int(v[G_END], &g.end) != GS_OK || g.end < g.start)
            rc = gs_err_set(err, GS_EINVAL, "line %lld: chrom, start and end must be a "
                            "chromosome and 1-based positions with start <= end", (long long)line);
        else if (!v[G_SYMBOL] || !v[G_SYMBOL][0] || strlen(v[G_SYMBOL]) >= sizeof g.symbol)
            rc = gs_err_set(err, GS_EINVAL, "line %lld: symbol is empty or too long",
                            (long long)line);
        if (rc != GS_OK)
            break;
        cell(g.symbol, sizeof g.symbol, v[G_SYMBOL]);
        g.strand = v[G_STRAND] && (v[G_STRAND][0] == '+' || v[G_STRAND][0] == '-')
                       ? v[G_STRAND][0] : '.';
        cell(g.entrez, sizeof g.entrez, v[G_ENTREZ]);
        cell(g.hgnc_id, sizeof g.hgnc_id, v[G_HGNC]);
        cell(g.ensembl, sizeof g.ensembl, v[G_ENSEMBL]);
        if ((rc = store_gene_location_insert(s, &g, err)) == GS_OK)
            (*count)++;
    }
    if (rc == GS_OK && ncols < 0)
        rc = gs_err_set(err, GS_EINVAL, "the gene table is empty");
    free(ks.s);
    return rc;
}

int variant_genes_load(struct store *s, const struct actor *by, const char *path,
                       const char *assembly, time_t now, int64_t *count, struct gs_err *err)
{
    *count = 0;
    const char *as = assembly ? assembly : "GRCh38";
    if (strcmp(as, "GRCh38") != 0 && strcmp(as, "GRCh37") != 0)
        return gs_err_set(err, GS_EINVAL, "unknown assembly '%.20s' (expected GRCh38 or GRCh37)",
                          as);
    if (strstr(path, "://") != NULL)
        return gs_err_set(err, GS_EINVAL, "gene tables are read from a local file");
    htsFile *fp = hts_open(path, "r");
    if (fp == NULL)
        return gs_err_set(err, GS_EIO, "cannot open %.300s", path);
    int rc = store_begin(s, err);
    if (rc == GS_OK && (rc = store_gene_location_clear(s, as, err)) == GS_OK)
        rc = load_rows(s, fp, as, count, err);
    hts_close(fp);
    char detail[256];
    snprintf(detail, sizeof detail, "%lld genes from %.200s", (long long)*count, path);
    struct audit_event ev = {"variant.genes", as, detail};
    rc = audit_commit(s, rc, by, &ev, now, err);
    if (rc != GS_OK)
        *count = 0;
    return rc;
}
