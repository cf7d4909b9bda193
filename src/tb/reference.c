/* reference.c — reading the H37Rv reference from FASTA + GFF3 + BED files, the gene index by
 * position, and saving a reference with its audit row. The SQL (save/load) is in
 * src/store/sqlite_tb.c; this file never touches SQL. Files may be plain or gzip/bgzip (zlib reads concatenated members). */
#include "tb/reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "audit/audit.h"
#include "core/parse.h"
#include "store/store_tb.h"

#define LINE_MAX_BYTES 65536

static const char *const contig_aliases[] = {"NC_000962.3", "AL123456.3", "Chromosome"};

bool tb_contig_is_reference(const char *contig)
{
    if (contig == NULL)
        return false;
    for (size_t i = 0; i < sizeof contig_aliases / sizeof contig_aliases[0]; i++)
        if (strcmp(contig, contig_aliases[i]) == 0)
            return true;
    return false;
}

int tb_contig_check(const char *contig, const char *where, struct gs_err *err)
{
    if (tb_contig_is_reference(contig))
        return GS_OK;
    return gs_err_set(err, GS_EINVAL,
                      "%s: contig '%.64s' is not H37Rv (expected NC_000962.3, AL123456.3 or "
                      "Chromosome)",
                      where, contig ? contig : "");
}

/* ---- line reader over gzFile ---- */

struct line_reader {
    gzFile gz;
    const char *path;
    long lineno;
    char line[LINE_MAX_BYTES];
};

static int reader_open(struct line_reader *r, const char *path, struct gs_err *err)
{
    r->path = path;
    r->lineno = 0;
    r->gz = gzopen(path, "rb");
    if (r->gz == NULL)
        return gs_err_set(err, GS_EIO, "cannot open %s", path);
    return GS_OK;
}

/* GS_OK with the next line (no newline) in r->line, GS_ENOTFOUND at the end. */
static int reader_next(struct line_reader *r, struct gs_err *err)
{
    if (gzgets(r->gz, r->line, sizeof r->line) == NULL) {
        int zerr = 0;
        const char *msg = gzerror(r->gz, &zerr);
        if (zerr != Z_OK && zerr != Z_STREAM_END)
            return gs_err_set(err, GS_EIO, "%s: read error after line %ld: %s", r->path, r->lineno,
                              msg);
        return GS_ENOTFOUND;
    }
    r->lineno++;
    size_t n = strlen(r->line);
    if (n == sizeof r->line - 1 && r->line[n - 1] != '\n')
        return gs_err_set(err, GS_EINVAL, "%s:%ld: line longer than %d bytes", r->path, r->lineno,
                          LINE_MAX_BYTES - 1);
    while (n > 0 && (r->line[n - 1] == '\n' || r->line[n - 1] == '\r'))
        r->line[--n] = '\0';
    return GS_OK;
}

static void reader_close(struct line_reader *r)
{
    if (r->gz != NULL)
        gzclose(r->gz);
    r->gz = NULL;
}

/* Splits s in place at tabs into at most max fields; returns the count. */
static size_t split_tabs(char *s, char **fields, size_t max)
{
    size_t n = 0;
    fields[n++] = s;
    for (char *p = s; *p != '\0' && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    return n;
}

/* ---- FASTA ---- */

static int load_fasta(struct tb_ref *ref, const char *path, struct gs_err *err)
{
    struct line_reader r = {0};
    int rc = reader_open(&r, path, err);
    if (rc != GS_OK)
        return rc;
    ref->seq = malloc(TB_REF_LENGTH + 1);
    if (ref->seq == NULL) {
        reader_close(&r);
        return gs_err_set(err, GS_ENOMEM, "no memory for the reference sequence");
    }
    int64_t n = 0;
    int records = 0;
    while ((rc = reader_next(&r, err)) == GS_OK) {
        if (r.line[0] == '>') {
            if (++records > 1) {
                rc = gs_err_set(err, GS_EINVAL, "%s:%ld: a second FASTA record; H37Rv has one",
                                path, r.lineno);
                break;
            }
            char *name = r.line + 1;
            name[strcspn(name, " \t")] = '\0';
            if ((rc = tb_contig_check(name, path, err)) != GS_OK)
                break;
            continue;
        }
        if (records == 0) {
            rc = gs_err_set(err, GS_EINVAL, "%s:%ld: sequence before a '>' header", path, r.lineno);
            break;
        }
        for (const char *p = r.line; *p != '\0'; p++) {
            char c = *p;
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            if (c != 'A' && c != 'C' && c != 'G' && c != 'T' && c != 'N') {
                if (c >= 'A' && c <= 'Z')
                    c = 'N'; /* IUPAC ambiguity: kept as unknown */
                else {
                    rc = gs_err_set(err, GS_EINVAL, "%s:%ld: '%c' is not a base", path, r.lineno,
                                    *p);
                    goto done;
                }
            }
            if (n >= TB_REF_LENGTH) {
                rc = gs_err_set(err, GS_EINVAL, "%s: sequence longer than H37Rv's %d bases", path,
                                TB_REF_LENGTH);
                goto done;
            }
            ref->seq[n++] = c;
        }
    }
    if (rc == GS_ENOTFOUND)
        rc = GS_OK;
done:
    reader_close(&r);
    if (rc != GS_OK)
        return rc;
    if (n != TB_REF_LENGTH)
        return gs_err_set(err, GS_EINVAL, "%s: sequence has %lld bases; H37Rv (NC_000962.3) has %d",
                          path, (long long)n, TB_REF_LENGTH);
    ref->seq[n] = '\0';
    ref->length = n;
    return GS_OK;
}

/* ---- growable arrays ---- */

static int grow(void **items, size_t *cap, size_t need, size_t size, struct gs_err *err)
{
    if (need <= *cap)
        return GS_OK;
    size_t ncap = *cap ? *cap * 2 : 64;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*items, ncap * size);
    if (p == NULL)
        return gs_err_set(err, GS_ENOMEM, "no memory for the reference tables");
    *items = p;
    *cap = ncap;
    return GS_OK;
}

static int parse_span(const char *path, long lineno, const char *s, const char *e,
                      int64_t min_start, int64_t *start, int64_t *end, struct gs_err *err)
{
    if (parse_int64(s, min_start, TB_REF_LENGTH, start, NULL) != GS_OK ||
        parse_int64(e, 1, TB_REF_LENGTH, end, NULL) != GS_OK || *end < *start)
        return gs_err_set(err, GS_EINVAL, "%s:%ld: bad interval '%s'-'%s' (1..%d)", path, lineno, s,
                          e, TB_REF_LENGTH);
    return GS_OK;
}

/* Copies the value of key= from a GFF attribute column into out ("" when absent). */
static void gff_attr(const char *attrs, const char *key, char *out, size_t n)
{
    size_t klen = strlen(key);
    out[0] = '\0';
    for (const char *p = attrs; p != NULL && *p != '\0';) {
        if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
            const char *v = p + klen + 1;
            size_t len = strcspn(v, ";");
            if (len >= n)
                len = n - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return;
        }
        p = strchr(p, ';');
        if (p != NULL)
            p++;
    }
}

/* ---- GFF3 ---- */

static int load_gff(struct tb_ref *ref, const char *path, struct gs_err *err)
{
    struct line_reader r = {0};
    int rc = reader_open(&r, path, err);
    if (rc != GS_OK)
        return rc;
    size_t cap = 0;
    while ((rc = reader_next(&r, err)) == GS_OK) {
        if (r.line[0] == '#' || r.line[0] == '\0')
            continue;
        if (strncmp(r.line, "##FASTA", 7) == 0)
            break;
        char *f[9];
        if (split_tabs(r.line, f, 9) != 9) {
            rc = gs_err_set(err, GS_EINVAL, "%s:%ld: a GFF3 line has 9 tab-separated columns", path,
                            r.lineno);
            break;
        }
        if ((rc = tb_contig_check(f[0], path, err)) != GS_OK)
            break;
        const char *type = f[2];
        enum tb_gene_kind kind;
        if (strcmp(type, "gene") == 0)
            kind = TB_GENE_CODING;
        else if (strcmp(type, "rRNA_gene") == 0)
            kind = TB_GENE_RRNA;
        else if (strcmp(type, "ncRNA_gene") == 0 || strcmp(type, "tRNA_gene") == 0 ||
                 strcmp(type, "pseudogene") == 0)
            kind = TB_GENE_NONCODING;
        else
            continue;
        if (strncmp(f[8], "ID=gene:", 8) != 0)
            continue; /* pseudogene transcripts repeat the gene line */
        char biotype[32];
        gff_attr(f[8], "biotype", biotype, sizeof biotype);
        if (kind == TB_GENE_CODING && strcmp(biotype, "protein_coding") != 0)
            kind = TB_GENE_NONCODING;
        if ((rc = grow((void **)&ref->genes, &cap, ref->n_genes + 1, sizeof *ref->genes, err)) !=
            GS_OK)
            break;
        struct tb_gene *g = &ref->genes[ref->n_genes];
        memset(g, 0, sizeof *g);
        if ((rc = parse_span(path, r.lineno, f[3], f[4], 1, &g->start, &g->end, err)) != GS_OK)
            break;
        if (strcmp(f[6], "+") == 0)
            g->strand = 1;
        else if (strcmp(f[6], "-") == 0)
            g->strand = -1;
        else {
            rc = gs_err_set(err, GS_EINVAL, "%s:%ld: gene strand '%s' is not + or -", path,
                            r.lineno, f[6]);
            break;
        }
        g->kind = kind;
        gff_attr(f[8], "gene_id", g->locus_tag, sizeof g->locus_tag);
        if (g->locus_tag[0] == '\0')
            gff_attr(f[8], "ID", g->locus_tag, sizeof g->locus_tag);
        gff_attr(f[8], "Name", g->symbol, sizeof g->symbol);
        if (g->locus_tag[0] == '\0') {
            rc = gs_err_set(err, GS_EINVAL, "%s:%ld: gene without gene_id or ID", path, r.lineno);
            break;
        }
        if (kind == TB_GENE_CODING && g->end - g->start + 1 < 3) {
            rc = gs_err_set(err, GS_EINVAL, "%s:%ld: coding gene %s shorter than a codon", path,
                            r.lineno, g->locus_tag);
            break;
        }
        ref->n_genes++;
    }
    if (rc == GS_ENOTFOUND)
        rc = GS_OK;
    reader_close(&r);
    if (rc == GS_OK && ref->n_genes == 0)
        rc = gs_err_set(err, GS_EINVAL, "%s: no gene records (GFF3 type gene/rRNA_gene/…)", path);
    return rc;
}

/* ---- BED files ---- */

/* One BED line, already split, on the reference contig, with its 0-based start and end. */
typedef int (*bed_line_fn)(struct tb_ref *ref, char **f, size_t nf, int64_t s0, int64_t e1,
                           size_t *cap, const struct line_reader *r, struct gs_err *err);

static int load_bed(struct tb_ref *ref, const char *path, size_t min_fields,
                    const char *fields_text, bed_line_fn fn, struct gs_err *err)
{
    struct line_reader r = {0};
    int rc = reader_open(&r, path, err);
    if (rc != GS_OK)
        return rc;
    size_t cap = 0;
    while ((rc = reader_next(&r, err)) == GS_OK) {
        if (r.line[0] == '#' || r.line[0] == '\0' || strncmp(r.line, "track", 5) == 0)
            continue;
        char *f[8];
        size_t nf = split_tabs(r.line, f, 8);
        if (nf < min_fields) {
            rc = gs_err_set(err, GS_EINVAL, "%s:%ld: a line has %s", path, r.lineno, fields_text);
            break;
        }
        int64_t s0, e1;
        if ((rc = tb_contig_check(f[0], path, err)) != GS_OK ||
            (rc = parse_span(path, r.lineno, f[1], f[2], 0, &s0, &e1, err)) != GS_OK ||
            (rc = fn(ref, f, nf, s0, e1, &cap, &r, err)) != GS_OK)
            break;
    }
    if (rc == GS_ENOTFOUND)
        rc = GS_OK;
    reader_close(&r);
    return rc;
}

static int barcode_line(struct tb_ref *ref, char **f, size_t nf, int64_t s0, int64_t e1,
                        size_t *cap, const struct line_reader *r, struct gs_err *err)
{
    if (e1 != s0 + 1 || strlen(f[4]) != 1 || strchr("ACGT", f[4][0]) == NULL)
        return gs_err_set(err, GS_EINVAL, "%s:%ld: a barcode marker is one base A/C/G/T", r->path,
                          r->lineno);
    int rc = grow((void **)&ref->barcode, cap, ref->n_barcode + 1, sizeof *ref->barcode, err);
    if (rc != GS_OK)
        return rc;
    struct tb_barcode_marker *m = &ref->barcode[ref->n_barcode++];
    memset(m, 0, sizeof *m);
    m->pos = e1;
    m->alt = f[4][0];
    snprintf(m->lineage, sizeof m->lineage, "%s", f[3]);
    if (nf > 5)
        snprintf(m->family, sizeof m->family, "%s", f[5]);
    if (nf > 6)
        snprintf(m->spoligotype, sizeof m->spoligotype, "%s", f[6]);
    if (nf > 7)
        snprintf(m->rds, sizeof m->rds, "%s", f[7]);
    return GS_OK;
}

static int mask_line(struct tb_ref *ref, char **f, size_t nf, int64_t s0, int64_t e1, size_t *cap,
                     const struct line_reader *r, struct gs_err *err)
{
    (void)f, (void)nf, (void)r;
    if (e1 == s0)
        return GS_OK; /* an empty BED interval */
    int rc = grow((void **)&ref->mask, cap, ref->n_mask + 1, sizeof *ref->mask, err);
    if (rc != GS_OK)
        return rc;
    ref->mask[ref->n_mask].start = s0 + 1;
    ref->mask[ref->n_mask].end = e1;
    ref->n_mask++;
    return GS_OK;
}

/* ---- index ---- */

static int cmp_gene(const void *a, const void *b)
{
    const struct tb_gene *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return strcmp(x->locus_tag, y->locus_tag);
}

static int cmp_marker(const void *a, const void *b)
{
    const struct tb_barcode_marker *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return strcmp(x->lineage, y->lineage);
}

static int cmp_interval(const void *a, const void *b)
{
    const struct tb_interval *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

/* The span a gene is found from: the gene plus its upstream window. */
static void gene_reach(const struct tb_gene *g, int64_t length, int64_t *lo, int64_t *hi)
{
    *lo = g->start;
    *hi = g->end;
    if (g->strand > 0)
        *lo = g->start > TB_UPSTREAM_MAX ? g->start - TB_UPSTREAM_MAX : 1;
    else
        *hi = g->end + TB_UPSTREAM_MAX <= length ? g->end + TB_UPSTREAM_MAX : length;
}

int tb_ref_index(struct tb_ref *ref, struct gs_err *err)
{
    if (ref->length <= 0 || ref->seq == NULL)
        return gs_err_set(err, GS_EINVAL, "reference without a sequence");
    for (size_t i = 0; i < ref->n_genes; i++) {
        struct tb_gene *g = &ref->genes[i];
        if (g->start < 1 || g->end > ref->length || g->end < g->start)
            return gs_err_set(err, GS_EINVAL, "gene %s spans %lld-%lld outside 1..%lld",
                              g->locus_tag, (long long)g->start, (long long)g->end,
                              (long long)ref->length);
        g->name = g->symbol[0] != '\0' ? g->symbol : g->locus_tag;
    }
    if (ref->n_genes > 0)
        qsort(ref->genes, ref->n_genes, sizeof *ref->genes, cmp_gene);
    if (ref->n_barcode > 0)
        qsort(ref->barcode, ref->n_barcode, sizeof *ref->barcode, cmp_marker);
    if (ref->n_mask > 0)
        qsort(ref->mask, ref->n_mask, sizeof *ref->mask, cmp_interval);
    size_t w = 0; /* merge overlapping mask intervals */
    for (size_t i = 0; i < ref->n_mask; i++) {
        if (w > 0 && ref->mask[i].start <= ref->mask[w - 1].end + 1) {
            if (ref->mask[i].end > ref->mask[w - 1].end)
                ref->mask[w - 1].end = ref->mask[i].end;
        } else
            ref->mask[w++] = ref->mask[i];
    }
    ref->n_mask = w;

    free(ref->bin_start);
    free(ref->bin_genes);
    ref->bin_genes = NULL;
    ref->n_bins = (size_t)((ref->length + TB_REF_BIN - 1) / TB_REF_BIN);
    ref->bin_start = calloc(ref->n_bins + 1, sizeof *ref->bin_start);
    if (ref->bin_start == NULL)
        return gs_err_set(err, GS_ENOMEM, "no memory for the gene index");
    /* two passes: count per bin, then fill (counting sort keeps genome order per bin) */
    for (size_t i = 0; i < ref->n_genes; i++) {
        int64_t lo, hi;
        gene_reach(&ref->genes[i], ref->length, &lo, &hi);
        for (int64_t b = (lo - 1) / TB_REF_BIN; b <= (hi - 1) / TB_REF_BIN; b++)
            ref->bin_start[b + 1]++;
    }
    for (size_t b = 0; b < ref->n_bins; b++)
        ref->bin_start[b + 1] += ref->bin_start[b];
    size_t total = ref->bin_start[ref->n_bins];
    ref->bin_genes = malloc((total ? total : 1) * sizeof *ref->bin_genes);
    uint32_t *fill = calloc(ref->n_bins, sizeof *fill);
    if (ref->bin_genes == NULL || fill == NULL) {
        free(fill);
        return gs_err_set(err, GS_ENOMEM, "no memory for the gene index");
    }
    for (size_t i = 0; i < ref->n_genes; i++) {
        int64_t lo, hi;
        gene_reach(&ref->genes[i], ref->length, &lo, &hi);
        for (int64_t b = (lo - 1) / TB_REF_BIN; b <= (hi - 1) / TB_REF_BIN; b++)
            ref->bin_genes[ref->bin_start[b] + fill[b]++] = (uint32_t)i;
    }
    free(fill);
    return GS_OK;
}

int tb_ref_load_files(const char *fasta, const char *gff, const char *barcode, const char *mask,
                      struct tb_ref **out, struct gs_err *err)
{
    *out = NULL;
    struct tb_ref *ref = calloc(1, sizeof *ref);
    if (ref == NULL)
        return gs_err_set(err, GS_ENOMEM, "no memory for the reference");
    snprintf(ref->name, sizeof ref->name, "%s", TB_REF_NAME);
    int rc = load_fasta(ref, fasta, err);
    if (rc == GS_OK)
        rc = load_gff(ref, gff, err);
    if (rc == GS_OK && barcode != NULL)
        rc = load_bed(ref, barcode, 5, "chrom, start, end, lineage, allele", barcode_line, err);
    if (rc == GS_OK && mask != NULL)
        rc = load_bed(ref, mask, 3, "chrom, start, end", mask_line, err);
    if (rc == GS_OK)
        rc = tb_ref_index(ref, err);
    if (rc != GS_OK) {
        tb_ref_free(ref);
        return rc;
    }
    *out = ref;
    return GS_OK;
}

int tb_ref_reserve(struct tb_ref *ref, size_t n_genes, size_t n_barcode, size_t n_mask,
                   struct gs_err *err)
{
    ref->genes = calloc(n_genes ? n_genes : 1, sizeof *ref->genes);
    ref->barcode = calloc(n_barcode ? n_barcode : 1, sizeof *ref->barcode);
    ref->mask = calloc(n_mask ? n_mask : 1, sizeof *ref->mask);
    ref->n_genes = ref->n_barcode = ref->n_mask = 0;
    if (ref->genes == NULL || ref->barcode == NULL || ref->mask == NULL)
        return gs_err_set(err, GS_ENOMEM, "no memory for the reference tables");
    return GS_OK;
}

void tb_ref_free(struct tb_ref *ref)
{
    if (ref == NULL)
        return;
    free(ref->seq);
    free(ref->genes);
    free(ref->barcode);
    free(ref->mask);
    free(ref->bin_start);
    free(ref->bin_genes);
    free(ref);
}

const struct tb_gene *tb_ref_gene_find(const struct tb_ref *ref, const char *name)
{
    for (size_t i = 0; i < ref->n_genes; i++)
        if (strcmp(ref->genes[i].symbol, name) == 0 || strcmp(ref->genes[i].locus_tag, name) == 0)
            return &ref->genes[i];
    return NULL;
}

int tb_ref_genes_near(const struct tb_ref *ref, int64_t start, int64_t end, tb_gene_visit_fn fn,
                      void *ctx)
{
    if (ref->n_bins == 0 || end < start)
        return 0;
    if (start < 1)
        start = 1;
    if (end > ref->length)
        end = ref->length;
    size_t b0 = (size_t)((start - 1) / TB_REF_BIN), b1 = (size_t)((end - 1) / TB_REF_BIN);
    for (size_t b = b0; b <= b1; b++)
        for (uint32_t k = ref->bin_start[b]; k < ref->bin_start[b + 1]; k++) {
            uint32_t i = ref->bin_genes[k];
            int64_t lo, hi;
            gene_reach(&ref->genes[i], ref->length, &lo, &hi);
            if (hi < start || lo > end)
                continue;
            size_t first = (size_t)((lo - 1) / TB_REF_BIN); /* visit once: in its first bin */
            if (b != (first > b0 ? first : b0))
                continue;
            int rc = fn(ctx, &ref->genes[i]);
            if (rc != 0)
                return rc;
        }
    return 0;
}

bool tb_ref_masked(const struct tb_ref *ref, int64_t pos)
{
    size_t lo = 0, hi = ref->n_mask;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ref->mask[mid].end < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < ref->n_mask && ref->mask[lo].start <= pos;
}

/* ---- saving, audited ---- */

int tb_ref_save(struct store *s, const struct actor *by, const struct tb_ref *ref,
                const char *sources, time_t now, struct gs_err *err)
{
    char detail[64];
    snprintf(detail, sizeof detail, "genes=%zu barcode=%zu mask=%zu", ref->n_genes,
             ref->n_barcode, ref->n_mask);
    struct audit_event ev = {"tb.reference.load", "tb_reference:" TB_REF_NAME, detail};
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    rc = store_tb_reference_replace(s, ref, sources, err);
    return audit_commit(s, rc, by, &ev, now, err);
}
