/* isolates.c — the TB isolate service (see isolates.h): file and JSON readers, the audited
 * import with its incremental distance update, and the access-checked reads. */
#include "tb/isolates.h"

#include <ctype.h>
#include <htslib/vcf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "core/parse.h"
#include "registry/registry.h"
#include "store/store_tb.h"
#include "tb/cluster.h"
#include "tb/naming.h"
#include "tb/profile.h"
#include "tb/resistance.h"

#define LINE_MAX_BYTES 8192
#define FIELDS_MAX 32
#define DISTANCE_THREADS 2

/* ---- the batch ---- */

void isolate_batch_free(struct isolate_batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->items[i].dst);
        free(b->items[i].mic);
        free(b->items[i].var);
        tb_intervals_free(&b->items[i].missing);
    }
    free(b->items);
    memset(b, 0, sizeof *b);
}

static struct isolate_input *batch_find(struct isolate_batch *b, const char *name)
{
    for (size_t i = b->n; i > 0; i--) /* the last added is the likeliest */
        if (strcmp(b->items[i - 1].meta.name, name) == 0)
            return &b->items[i - 1];
    return NULL;
}

int isolate_batch_add(struct isolate_batch *b, const char *name, struct isolate_input **out,
                      struct gs_err *err)
{
    int rc = parse_check_line("isolate", name, true, STORE_NAME_MAX, err);
    if (rc != GS_OK)
        return rc;
    if (batch_find(b, name) != NULL)
        return gs_err_set(err, GS_EINVAL, "isolate '%s' is listed twice", name);
    if (b->n >= ISOLATE_BATCH_MAX)
        return gs_err_set(err, GS_EINVAL, "at most %d isolates per import", ISOLATE_BATCH_MAX);
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 16;
        struct isolate_input *p = realloc(b->items, cap * sizeof *p);
        if (p == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for isolates");
        b->items = p, b->cap = cap;
    }
    struct isolate_input *in = &b->items[b->n++];
    memset(in, 0, sizeof *in);
    snprintf(in->meta.name, sizeof in->meta.name, "%s", name);
    *out = in;
    return GS_OK;
}

/* Grows *arr (of *n elements, capacity *cap) by one element of size bytes. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t size, struct gs_err *err)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        void *p = realloc(*arr, c * size);
        if (p == NULL) {
            gs_err_set(err, GS_ENOMEM, "out of memory for isolates");
            return NULL;
        }
        *arr = p, *cap = c;
    }
    void *slot = (char *)*arr + (*n)++ * size;
    memset(slot, 0, size);
    return slot;
}

int isolate_add_dst(struct isolate_input *in, const char *drug, const char *result,
                    const char *category, const char *method, struct gs_err *err)
{
    int rc;
    if ((rc = parse_check_line("drug", drug, true, ISOLATE_DRUG_MAX, err)) != GS_OK ||
        (rc = parse_check_line("method", method ? method : "", false, ISOLATE_TEXT_MAX, err)) !=
            GS_OK)
        return rc;
    char r = result ? (char)toupper((unsigned char)result[0]) : '\0';
    if (result == NULL || (r != 'R' && r != 'S') || result[1] != '\0')
        return gs_err_set(err, GS_EINVAL, "result '%.16s' for %s must be R or S",
                          result ? result : "", drug);
    if (category == NULL || category[0] == '\0')
        category = "WHO";
    if (strcmp(category, "WHO") != 0 && strcmp(category, "CC") != 0 &&
        strcmp(category, "CC-ATU") != 0 && strcmp(category, "ALL") != 0)
        return gs_err_set(err, GS_EINVAL, "category '%.16s' must be WHO, CC, CC-ATU or ALL",
                          category);
    struct store_isolate_dst *d = grow((void **)&in->dst, &in->ndst, &in->capdst, sizeof *d, err);
    if (d == NULL)
        return GS_ENOMEM;
    snprintf(d->drug, sizeof d->drug, "%s", drug);
    for (char *p = d->drug; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    d->result = r;
    snprintf(d->category, sizeof d->category, "%s", category);
    snprintf(d->method, sizeof d->method, "%s", method ? method : "");
    return GS_OK;
}

static int add_mic(struct isolate_input *in, const char *drug, const char *text, const char *unit,
                   const char *method, struct gs_err *err)
{
    int rc;
    if ((rc = parse_check_line("drug", drug, true, ISOLATE_DRUG_MAX, err)) != GS_OK ||
        (rc = parse_check_line("unit", unit ? unit : "", false, 16, err)) != GS_OK ||
        (rc = parse_check_line("method", method ? method : "", false, ISOLATE_TEXT_MAX, err)) !=
            GS_OK)
        return rc;
    const char *rel = "=", *p = text ? text : "";
    if (strncmp(p, "<=", 2) == 0)
        rel = "<=", p += 2;
    else if (p[0] == '>')
        rel = ">", p += 1;
    else if (p[0] == '=')
        p += 1;
    char *end;
    double v = strtod(p, &end);
    if (p[0] == '\0' || *end != '\0' || !isfinite(v) || v < 0 || v > 1e6)
        return gs_err_set(err, GS_EINVAL, "MIC '%.32s' for %s must be a number, '<=N' or '>N'",
                          text ? text : "", drug);
    struct store_isolate_mic *m = grow((void **)&in->mic, &in->nmic, &in->capmic, sizeof *m, err);
    if (m == NULL)
        return GS_ENOMEM;
    snprintf(m->drug, sizeof m->drug, "%s", drug);
    for (char *q = m->drug; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    snprintf(m->relation, sizeof m->relation, "%s", rel);
    m->value = v;
    snprintf(m->unit, sizeof m->unit, "%s", unit && unit[0] ? unit : "mg/L");
    snprintf(m->method, sizeof m->method, "%s", method ? method : "");
    return GS_OK;
}

int isolate_add_variant(struct isolate_input *in, const struct store_tb_variant *v, double af,
                        int depth, struct gs_err *err)
{
    if (!(af >= 0 && af <= 1))
        return gs_err_set(err, GS_EINVAL, "allele fraction %g is not within 0-1", af);
    struct store_isolate_variant *x = grow((void **)&in->var, &in->nvar, &in->capvar, sizeof *x,
                                           err);
    if (x == NULL)
        return GS_ENOMEM;
    x->v = *v;
    x->af = af;
    x->depth = depth;
    return GS_OK;
}

/* Trims the common suffix, then the common prefix (moving pos), keeping one base each. */
static void trim_alleles(int64_t *pos, char *ref, char *alt)
{
    size_t lr = strlen(ref), la = strlen(alt);
    while (lr > 1 && la > 1 && toupper((unsigned char)ref[lr - 1]) ==
                                   toupper((unsigned char)alt[la - 1]))
        ref[--lr] = '\0', alt[--la] = '\0';
    size_t k = 0;
    while (lr - k > 1 && la - k > 1 && toupper((unsigned char)ref[k]) ==
                                           toupper((unsigned char)alt[k]))
        k++;
    if (k > 0) {
        memmove(ref, ref + k, lr - k + 1);
        memmove(alt, alt + k, la - k + 1);
        *pos += (int64_t)k;
    }
    for (char *p = ref; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    for (char *p = alt; *p; p++)
        *p = (char)toupper((unsigned char)*p);
}

static bool all_bases(const char *s)
{
    for (; *s; s++)
        if (strchr("ACGTN", toupper((unsigned char)*s)) == NULL)
            return false;
    return true;
}

/* ---- TSV files ---- */

struct tsv {
    const char *path;
    gzFile f;
    long line;
    char buf[LINE_MAX_BYTES];
    char *field[FIELDS_MAX];
    int nfields;
    char *header[FIELDS_MAX];
    int nheader;
};

static int tsv_split(char *s, char **f)
{
    int n = 0;
    s[strcspn(s, "\r\n")] = '\0';
    for (char *p = s; n < FIELDS_MAX;) {
        f[n++] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return n;
}

/* Next data row into t->field; GS_ENOTFOUND at the end. The first non-comment line is the
 * header (kept in t->header). */
static int tsv_next(struct tsv *t, struct gs_err *err)
{
    while (gzgets(t->f, t->buf, sizeof t->buf) != NULL) {
        t->line++;
        size_t len = strlen(t->buf);
        if (len == sizeof t->buf - 1 && t->buf[len - 1] != '\n')
            return gs_err_set(err, GS_EINVAL, "%s line %ld is longer than %d bytes", t->path,
                              t->line, LINE_MAX_BYTES);
        if (t->buf[0] == '#' || t->buf[strspn(t->buf, " \t\r\n")] == '\0')
            continue;
        if (t->nheader == 0) {
            char *copy = strdup(t->buf);
            if (copy == NULL)
                return gs_err_set(err, GS_ENOMEM, "out of memory");
            t->nheader = tsv_split(copy, t->header);
            continue;
        }
        t->nfields = tsv_split(t->buf, t->field);
        return GS_OK;
    }
    return GS_ENOTFOUND;
}

static int tsv_open(struct tsv *t, const char *path, struct gs_err *err)
{
    memset(t, 0, sizeof *t);
    t->path = path;
    if ((t->f = gzopen(path, "rb")) == NULL)
        return gs_err_set(err, GS_EIO, "cannot read %s", path);
    return GS_OK;
}

static void tsv_close(struct tsv *t)
{
    if (t->f)
        gzclose(t->f);
    if (t->nheader > 0)
        free(t->header[0]);
}

/* The column of name in the header, or -1. */
static int tsv_col(const struct tsv *t, const char *name)
{
    for (int i = 0; i < t->nheader; i++)
        if (strcasecmp(t->header[i], name) == 0)
            return i;
    return -1;
}

/* The value of column c in the current row ("" when absent). */
static const char *tsv_get(const struct tsv *t, int c)
{
    return c >= 0 && c < t->nfields ? t->field[c] : "";
}

static int tsv_require(const struct tsv *t, const char *name, int *col, struct gs_err *err)
{
    if ((*col = tsv_col(t, name)) < 0)
        return gs_err_set(err, GS_EINVAL, "%s: the header has no column '%s'", t->path, name);
    return GS_OK;
}

/* path relative to the folder of base (absolute paths kept). */
static void relative_path(const char *base, const char *path, char *out, size_t n)
{
    const char *slash = strrchr(base, '/');
    if (path[0] == '/' || slash == NULL)
        snprintf(out, n, "%s", path);
    else
        snprintf(out, n, "%.*s/%s", (int)(slash - base), base, path);
}

/* Prefixes err's message with "file line N: " (the message was set by a helper). */
static int at_line(const struct tsv *t, int rc, struct gs_err *err)
{
    char msg[GS_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    gs_err_clear(err);
    return gs_err_set(err, rc, "%s line %ld: %s", t->path, t->line, msg);
}

/* One row of a per-isolate file: v holds the values of the reader's columns, in order ("" for
 * an optional column the file lacks); ctx is the reader's. */
typedef int (*isolate_row_fn)(struct isolate_input *in, const char *const *v, void *ctx,
                              struct gs_err *err);

enum row_isolate {
    ROW_EXISTING, /* rows of isolates already in the batch (DST, MIC files) */
    ROW_CREATE,   /* the isolate is created on its first row (WHO's tables) */
    ROW_NEW,      /* each row is a new isolate (the isolates file) */
};

/* Reads a TSV whose rows belong to isolates: cols[0] names the isolate column ("isolate", or
 * WHO's "sample_id"), cols[0..nrequired) must be in the header. */
static int read_isolate_rows(const char *path, struct isolate_batch *b, const char *const *cols,
                             int nrequired, int ncols, enum row_isolate mode, isolate_row_fn add,
                             void *ctx, struct gs_err *err)
{
    struct tsv t;
    int col[10], rc = tsv_open(&t, path, err);
    if (rc == GS_OK && (rc = tsv_next(&t, err)) == GS_ENOTFOUND)
        rc = gs_err_set(err, GS_EINVAL, "%s holds no data row", path);
    for (int k = 0; rc == GS_OK && k < ncols; k++)
        if ((col[k] = tsv_col(&t, cols[k])) < 0 && k < nrequired)
            rc = tsv_require(&t, cols[k], &col[k], err);
    while (rc == GS_OK) {
        const char *v[10];
        for (int k = 0; k < ncols; k++)
            v[k] = tsv_get(&t, col[k]);
        struct isolate_input *in = mode == ROW_NEW ? NULL : batch_find(b, v[0]);
        if (in == NULL && mode != ROW_EXISTING)
            rc = isolate_batch_add(b, v[0], &in, err);
        else if (in == NULL)
            rc = gs_err_set(err, GS_EINVAL, "isolate '%.64s' is not in the isolates file", v[0]);
        if (rc == GS_OK)
            rc = add(in, v, ctx, err);
        if (rc != GS_OK) {
            rc = at_line(&t, rc, err);
            break;
        }
        rc = tsv_next(&t, err);
    }
    tsv_close(&t);
    return rc == GS_ENOTFOUND ? GS_OK : rc;
}

struct metadata_ctx {
    const char *path;
    int min_depth;
};

static int metadata_row(struct isolate_input *in, const char *const *v, void *ctx,
                        struct gs_err *err)
{
    const struct metadata_ctx *m = ctx;
    static const char *const what[4] = {"country", "region", "source", "specimen"};
    char *dst[4] = {in->meta.country, in->meta.region, in->meta.source, in->meta.specimen};
    int64_t y = 0;
    int rc = v[1][0] != '\0' ? parse_int64(v[1], 1800, 2200, &y, err) : GS_OK;
    for (int k = 0; rc == GS_OK && k < 4; k++)
        if ((rc = parse_check_line(what[k], v[2 + k], false, ISOLATE_TEXT_MAX, err)) == GS_OK)
            snprintf(dst[k], ISOLATE_TEXT_MAX, "%s", v[2 + k]);
    in->meta.year = (int)y;
    char file[1024];
    if (rc == GS_OK && v[6][0] != '\0') {
        relative_path(m->path, v[6], file, sizeof file);
        rc = isolates_read_vcf(file, m->min_depth, in, err);
    }
    if (rc == GS_OK && v[7][0] != '\0') {
        relative_path(m->path, v[7], file, sizeof file);
        struct tb_intervals bed = {0};
        if ((rc = tb_bed_read(file, &bed, err)) == GS_OK)
            for (size_t k = 0; rc == GS_OK && k < bed.n; k++)
                rc = tb_intervals_add(&in->missing, bed.start[k], bed.end[k], err);
        tb_intervals_free(&bed);
    }
    return rc;
}

int isolates_read_tsv(const char *path, int min_depth, struct isolate_batch *b,
                      struct gs_err *err)
{
    static const char *const cols[] = {"isolate", "year", "country", "region", "source",
                                       "specimen", "vcf", "missing"};
    struct metadata_ctx m = {path, min_depth};
    return read_isolate_rows(path, b, cols, 1, 8, ROW_NEW, metadata_row, &m, err);
}

static int dst_row(struct isolate_input *in, const char *const *v, void *ctx,
                   struct gs_err *err)
{
    (void)ctx;
    return isolate_add_dst(in, v[1], v[2], v[4], v[3], err);
}

int isolates_read_dst_tsv(const char *path, struct isolate_batch *b, struct gs_err *err)
{
    static const char *const cols[] = {"isolate", "drug", "result", "method", "category"};
    return read_isolate_rows(path, b, cols, 3, 5, ROW_EXISTING, dst_row, NULL, err);
}

static int mic_row(struct isolate_input *in, const char *const *v, void *ctx,
                   struct gs_err *err)
{
    (void)ctx;
    return add_mic(in, v[1], v[2], v[3], v[4], err);
}

int isolates_read_mic_tsv(const char *path, struct isolate_batch *b, struct gs_err *err)
{
    static const char *const cols[] = {"isolate", "drug", "mic", "unit", "method"};
    return read_isolate_rows(path, b, cols, 3, 5, ROW_EXISTING, mic_row, NULL, err);
}

static int genotype_row(struct isolate_input *in, const char *const *v, void *ctx,
                        struct gs_err *err)
{
    (void)ctx;
    struct store_tb_variant var = {0};
    char *end;
    double af = strtod(v[3], &end);
    int rc;
    if (*end != '\0' || v[3][0] == '\0')
        return gs_err_set(err, GS_EINVAL, "max_af '%.16s' is not a number", v[3]);
    if ((rc = parse_check_line("gene", v[1], true, ISOLATE_GENE_MAX, err)) != GS_OK ||
        (rc = parse_check_line("variant", v[2], true, ISOLATE_VNAME_MAX, err)) != GS_OK)
        return rc;
    snprintf(var.gene, sizeof var.gene, "%s", v[1]);
    snprintf(var.name, sizeof var.name, "%s", v[2]);
    snprintf(var.effect, sizeof var.effect, "%.47s", v[4]);
    return isolate_add_variant(in, &var, af, 0, err);
}

static int phenotype_row(struct isolate_input *in, const char *const *v, void *ctx,
                         struct gs_err *err)
{
    (void)ctx;
    return isolate_add_dst(in, v[1], v[2], v[3], v[4], err);
}

int isolates_read_who(const char *genotypes, const char *phenotypes, struct isolate_batch *b,
                      struct gs_err *err)
{
    static const char *const gcols[] = {"sample_id", "gene", "variant", "max_af", "effect"};
    static const char *const pcols[] = {"sample_id", "drug", "phenotype", "category", "box"};
    int rc = read_isolate_rows(genotypes, b, gcols, 4, 5, ROW_CREATE, genotype_row, NULL,
                               err);
    /* isolates with no variant in any gene set have no genotype row: phenotypes add them */
    return rc == GS_OK ? read_isolate_rows(phenotypes, b, pcols, 4, 5, ROW_CREATE,
                                             phenotype_row, NULL, err)
                       : rc;
}

static int sample_row(struct isolate_input *in, const char *const *v, void *ctx,
                      struct gs_err *err)
{
    (void)ctx;
    int rc = parse_check_line("genotype_sets_missing", v[1], false, STORE_TEXT_MAX, err);
    if (rc == GS_OK)
        snprintf(in->meta.gaps, sizeof in->meta.gaps, "%s", v[1]);
    return rc;
}

int isolates_read_who_samples(const char *samples, struct isolate_batch *b, struct gs_err *err)
{
    static const char *const cols[] = {"sample_id", "genotype_sets_missing"};
    return read_isolate_rows(samples, b, cols, 2, 2, ROW_CREATE, sample_row, NULL, err);
}

/* Whether the isolate's gaps hold "<drug>/1" (case-insensitive): no tier-1 genotype. */
static bool gap_for(const char *gaps, const char *drug)
{
    size_t len = strlen(drug);
    for (const char *p = gaps; *p;) {
        if (strncasecmp(p, drug, len) == 0 && strncmp(p + len, "/1", 2) == 0 &&
            (p[len + 2] == ',' || p[len + 2] == '\0'))
            return true;
        const char *comma = strchr(p, ',');
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    return false;
}

/* ---- VCF ---- */

int isolates_read_vcf(const char *path, int min_depth, struct isolate_input *in,
                      struct gs_err *err)
{
    if (strstr(path, "://") != NULL) /* htslib would fetch URLs: local files only */
        return gs_err_set(err, GS_EINVAL, "%s: only local VCF files are read", path);
    htsFile *f = hts_open(path, "r");
    if (f == NULL)
        return gs_err_set(err, GS_EIO, "cannot read %s", path);
    bcf_hdr_t *hdr = bcf_hdr_read(f);
    bcf1_t *rec = bcf_init();
    int32_t *gt = NULL, *ad = NULL, *dp = NULL;
    int ngt = 0, nad = 0, ndp = 0, rc = GS_OK, r;
    long records = 0;
    if (hdr == NULL || rec == NULL)
        rc = gs_err_set(err, GS_EINVAL, "%s is not a VCF", path);
    else if (bcf_hdr_nsamples(hdr) < 1)
        rc = gs_err_set(err, GS_EINVAL, "%s has no sample column", path);
    while (rc == GS_OK && (r = bcf_read(f, hdr, rec)) == 0) {
        records++;
        const char *contig = bcf_hdr_id2name(hdr, rec->rid);
        if (!tb_contig_is_reference(contig)) {
            rc = gs_err_set(err, GS_EINVAL, "%s record %ld: contig '%.64s' is not H37Rv "
                            "(NC_000962.3, AL123456.3 or Chromosome)", path, records, contig);
            break;
        }
        bcf_unpack(rec, BCF_UN_ALL);
        int64_t pos = rec->pos + 1, end = rec->pos + rec->rlen;
        if (pos < 1 || end > TB_GENOME_LENGTH) {
            rc = gs_err_set(err, GS_EINVAL, "%s record %ld: position %lld is off H37Rv", path,
                            records, (long long)pos);
            break;
        }
        int n = bcf_get_genotypes(hdr, rec, &gt, &ngt);
        int nsample_gt = n > 0 ? n / bcf_hdr_nsamples(hdr) : 0;
        bool missing = nsample_gt > 0 && bcf_gt_is_missing(gt[0]);
        int depth = 0;
        if (bcf_get_format_int32(hdr, rec, "DP", &dp, &ndp) > 0 && dp[0] != bcf_int32_missing)
            depth = dp[0];
        else if (bcf_get_info_int32(hdr, rec, "DP", &dp, &ndp) > 0)
            depth = dp[0];
        if (depth > 0 && depth < min_depth)
            missing = true;
        if (missing) {
            rc = tb_intervals_add(&in->missing, (uint32_t)pos, (uint32_t)end, err);
            continue;
        }
        int nad_vals = bcf_get_format_int32(hdr, rec, "AD", &ad, &nad);
        int64_t ad_total = 0;
        for (int k = 0; nad_vals >= rec->n_allele && k < rec->n_allele; k++)
            if (ad[k] != bcf_int32_missing && ad[k] != bcf_int32_vector_end && ad[k] > 0)
                ad_total += ad[k];
        for (int a = 1; rc == GS_OK && a < rec->n_allele; a++) {
            double af = 0;
            int copies = 0;
            for (int k = 0; k < nsample_gt; k++)
                if (gt[k] != bcf_int32_vector_end && !bcf_gt_is_missing(gt[k]) &&
                    bcf_gt_allele(gt[k]) == a)
                    copies++;
            if (nad_vals >= rec->n_allele && ad_total > 0 && ad[a] != bcf_int32_missing)
                af = (double)ad[a] / (double)ad_total;
            else if (nsample_gt > 0)
                af = (double)copies / nsample_gt;
            else
                af = 1; /* sites-only VCF: the record is the call */
            const char *ref = rec->d.allele[0], *alt = rec->d.allele[a];
            if (af < ISOLATE_MIXED_AF || !all_bases(alt) || !all_bases(ref) ||
                strlen(ref) >= ISOLATE_BASES_MAX || strlen(alt) >= ISOLATE_BASES_MAX)
                continue; /* absent, symbolic ("<DEL>", "*") or too long to store */
            struct store_tb_variant v = {0};
            v.pos = pos;
            snprintf(v.ref, sizeof v.ref, "%s", ref);
            snprintf(v.alt, sizeof v.alt, "%s", alt);
            trim_alleles(&v.pos, v.ref, v.alt);
            rc = isolate_add_variant(in, &v, af > 1 ? 1 : af, depth, err);
        }
    }
    if (rc == GS_OK && r < -1)
        rc = gs_err_set(err, GS_EINVAL, "%s: unreadable VCF record after record %ld", path,
                        records);
    free(gt), free(ad), free(dp);
    if (rec)
        bcf_destroy(rec);
    if (hdr)
        bcf_hdr_destroy(hdr);
    hts_close(f);
    if (rc == GS_OK)
        in->genome = true;
    return rc;
}

/* ---- JSON ---- */

static const char *jstr(const json_t *o, const char *key)
{
    const json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int json_isolate(const json_t *o, size_t idx, struct isolate_batch *b, struct gs_err *err)
{
    struct isolate_input *in;
    const char *name = jstr(o, "isolate") ? jstr(o, "isolate") : jstr(o, "id");
    if (!json_is_object(o) || name == NULL)
        return gs_err_set(err, GS_EINVAL, "isolates[%zu].isolate is required (a string)", idx);
    int rc = isolate_batch_add(b, name, &in, err);
    if (rc != GS_OK)
        return rc;
    const json_t *year = json_object_get(o, "year");
    if (year != NULL && (!json_is_integer(year) || json_integer_value(year) < 1800 ||
                         json_integer_value(year) > 2200))
        return gs_err_set(err, GS_EINVAL, "isolates[%zu].year must be an integer year", idx);
    in->meta.year = year ? (int)json_integer_value(year) : 0;
    static const char *const what[4] = {"country", "region", "source", "specimen"};
    char *dst[4] = {in->meta.country, in->meta.region, in->meta.source, in->meta.specimen};
    for (int k = 0; k < 4; k++) {
        const char *v = jstr(o, what[k]);
        if ((rc = parse_check_line(what[k], v ? v : "", false, ISOLATE_TEXT_MAX, err)) != GS_OK)
            return rc;
        snprintf(dst[k], ISOLATE_TEXT_MAX, "%s", v ? v : "");
    }
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(o, "dst"), i, x)
        if ((rc = isolate_add_dst(in, jstr(x, "drug") ? jstr(x, "drug") : "", jstr(x, "result"),
                          jstr(x, "category"), jstr(x, "method"), err)) != GS_OK)
            return rc;
    json_array_foreach(json_object_get(o, "mic"), i, x) {
        const json_t *mv = json_object_get(x, "mic");
        char num[64];
        if (json_is_number(mv))
            snprintf(num, sizeof num, "%g", json_number_value(mv));
        else
            snprintf(num, sizeof num, "%s", json_is_string(mv) ? json_string_value(mv) : "");
        if ((rc = add_mic(in, jstr(x, "drug") ? jstr(x, "drug") : "", num, jstr(x, "unit"),
                          jstr(x, "method"), err)) != GS_OK)
            return rc;
    }
    json_array_foreach(json_object_get(o, "variants"), i, x) {
        struct store_tb_variant v = {0};
        const json_t *pos = json_object_get(x, "pos"), *af = json_object_get(x, "af");
        const char *ref = jstr(x, "ref"), *alt = jstr(x, "alt"), *gene = jstr(x, "gene");
        const char *vname = jstr(x, "name");
        if (pos != NULL) {
            if (!json_is_integer(pos) || json_integer_value(pos) < 1 ||
                json_integer_value(pos) > TB_GENOME_LENGTH || ref == NULL || alt == NULL ||
                !all_bases(ref) || !all_bases(alt) || ref[0] == '\0' || alt[0] == '\0' ||
                strlen(ref) >= ISOLATE_BASES_MAX || strlen(alt) >= ISOLATE_BASES_MAX)
                return gs_err_set(err, GS_EINVAL, "isolates[%zu].variants[%zu] needs pos "
                                  "(1-%u), ref and alt (bases)", idx, i, TB_GENOME_LENGTH);
            v.pos = json_integer_value(pos);
            snprintf(v.ref, sizeof v.ref, "%s", ref);
            snprintf(v.alt, sizeof v.alt, "%s", alt);
            trim_alleles(&v.pos, v.ref, v.alt);
            in->genome = true;
        } else if (gene == NULL || vname == NULL || strlen(gene) >= ISOLATE_GENE_MAX ||
                   strlen(vname) >= ISOLATE_VNAME_MAX) {
            return gs_err_set(err, GS_EINVAL, "isolates[%zu].variants[%zu] needs pos/ref/alt "
                              "or gene/name", idx, i);
        } else {
            snprintf(v.gene, sizeof v.gene, "%s", gene);
            snprintf(v.name, sizeof v.name, "%s", vname);
            snprintf(v.effect, sizeof v.effect, "%.47s", jstr(x, "effect") ? jstr(x, "effect") : "");
        }
        if (af != NULL && !json_is_number(af))
            return gs_err_set(err, GS_EINVAL, "isolates[%zu].variants[%zu].af must be a number",
                              idx, i);
        const json_t *depth = json_object_get(x, "depth");
        if ((rc = isolate_add_variant(in, &v, af ? json_number_value(af) : 1,
                              json_is_integer(depth) ? (int)json_integer_value(depth) : 0,
                              err)) != GS_OK)
            return rc;
    }
    json_array_foreach(json_object_get(o, "missing"), i, x) {
        const json_t *s0 = json_array_get(x, 0), *s1 = json_array_get(x, 1);
        if (!json_is_integer(s0) || !json_is_integer(s1) || json_integer_value(s0) < 1 ||
            json_integer_value(s1) < json_integer_value(s0) ||
            json_integer_value(s1) > TB_GENOME_LENGTH)
            return gs_err_set(err, GS_EINVAL, "isolates[%zu].missing[%zu] must be [start, end] "
                              "(1-based, inclusive)", idx, i);
        if ((rc = tb_intervals_add(&in->missing, (uint32_t)json_integer_value(s0),
                                   (uint32_t)json_integer_value(s1), err)) != GS_OK)
            return rc;
        in->genome = true;
    }
    return GS_OK;
}

int isolates_from_json(const json_t *doc, struct isolate_batch *b, struct gs_err *err)
{
    const json_t *list = json_object_get(doc, "isolates");
    if (!json_is_array(list) || json_array_size(list) == 0)
        return gs_err_set(err, GS_EINVAL, "isolates must be a non-empty array");
    size_t i;
    const json_t *o;
    json_array_foreach(list, i, o) {
        int rc = json_isolate(o, i, b, err);
        if (rc != GS_OK)
            return rc;
    }
    return GS_OK;
}

/* ---- distances ---- */

/* The index of id in ids (sorted, n of them), or SIZE_MAX. */
static size_t id_index(const int64_t *ids, size_t n, int64_t id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? lo : SIZE_MAX;
}

struct profile_load {
    struct tb_profile *prof;
    size_t n;
    const int64_t *ids;  /* sorted: isolate id of each profile is ids[order[k]] */
    const size_t *slot;  /* profile index of ids[k] */
    struct gs_err *err;
};

static struct tb_profile *profile_of(struct profile_load *l, int64_t id)
{
    size_t k = id_index(l->ids, l->n, id);
    return k == SIZE_MAX ? NULL : &l->prof[l->slot[k]];
}

static int load_variant(void *ctx, const struct store_isolate_variant *iv)
{
    struct profile_load *l = ctx;
    struct tb_profile *p = profile_of(l, iv->isolate_id);
    size_t len = strlen(iv->v.ref);
    if (p == NULL || len != strlen(iv->v.alt))
        return 0; /* not a compared isolate, or an indel: indels never count */
    for (size_t k = 0; k < len; k++) {
        if (iv->v.ref[k] == iv->v.alt[k])
            continue;
        uint32_t pos = (uint32_t)iv->v.pos + (uint32_t)k;
        int rc = iv->af >= ISOLATE_CALL_AF && iv->v.alt[k] != 'N'
                     ? tb_profile_add_snp(p, pos, iv->v.alt[k], l->err)
                     : tb_profile_add_missing(p, pos, pos, l->err);
        if (rc != GS_OK)
            return rc;
    }
    return 0;
}

static int load_missing(void *ctx, int64_t isolate_id, int64_t start, int64_t end)
{
    struct profile_load *l = ctx;
    struct tb_profile *p = profile_of(l, isolate_id);
    return p ? tb_profile_add_missing(p, (uint32_t)start, (uint32_t)end, l->err) : 0;
}

struct mask_load {
    struct tb_intervals *mask;
    struct gs_err *err;
};

static int load_mask(void *ctx, int64_t unused, int64_t start, int64_t end)
{
    (void)unused;
    struct mask_load *l = ctx;
    return tb_intervals_add(l->mask, (uint32_t)start, (uint32_t)end, l->err);
}

/* The stored TB reference into *ref, or *ref NULL (and GS_OK) when none is stored. */
static int reference_if_any(struct store *s, struct tb_ref **ref, struct gs_err *err)
{
    struct gs_err inner = {0};
    *ref = NULL;
    int rc = store_tb_reference_load(s, ref, &inner);
    if (rc == GS_ENOTFOUND)
        return GS_OK;
    return rc == GS_OK ? GS_OK : gs_err_set(err, rc, "%s", inner.msg);
}

/* No mask of our own stored: the stored TB reference's mask (tbname's, from tb reference load
 * --mask), when there is one. */
static int reference_mask(struct store *s, struct tb_intervals *mask, struct gs_err *err)
{
    struct tb_ref *ref = NULL;
    int rc = reference_if_any(s, &ref, err);
    if (rc != GS_OK || ref == NULL)
        return rc;
    for (size_t k = 0; rc == GS_OK && k < ref->n_mask; k++)
        rc = tb_intervals_add(mask, (uint32_t)ref->mask[k].start, (uint32_t)ref->mask[k].end, err);
    tb_ref_free(ref);
    return rc;
}

struct genome_list {
    int64_t *ids;
    bool *done;
    size_t n, cap;
    struct gs_err *err;
};

static int collect_genome(void *ctx, const struct store_isolate *i)
{
    struct genome_list *g = ctx;
    if (!i->genome)
        return 0;
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 64;
        int64_t *ids = realloc(g->ids, cap * sizeof *ids);
        if (ids == NULL)
            return gs_err_set(g->err, GS_ENOMEM, "out of memory for distances");
        g->ids = ids;
        bool *done = realloc(g->done, cap * sizeof *done);
        if (done == NULL)
            return gs_err_set(g->err, GS_ENOMEM, "out of memory for distances");
        g->done = done;
        g->cap = cap;
    }
    g->ids[g->n] = i->id;
    g->done[g->n] = i->distances_done;
    g->n++;
    return 0;
}

/* Profiles of every genome isolate, those with stored distances first (*ndone of them):
 * prof[k] has id order_ids[k]. The caller frees with free_profiles. */
struct profiles {
    struct tb_profile *prof;
    size_t n, ndone;
    bool has_mask;
};

static void free_profiles(struct profiles *p)
{
    for (size_t k = 0; p->prof && k < p->n; k++)
        tb_profile_free(&p->prof[k]);
    free(p->prof);
    memset(p, 0, sizeof *p);
}

static int load_profiles(struct store *s, struct profiles *out, struct gs_err *err)
{
    struct genome_list g = {.err = err};
    struct tb_intervals mask = {0};
    memset(out, 0, sizeof *out);
    int rc = store_isolate_each(s, 0, collect_genome, &g, err);
    size_t *slot = NULL;
    if (rc == GS_OK && ((out->prof = calloc(g.n + 1, sizeof *out->prof)) == NULL ||
                        (slot = malloc((g.n + 1) * sizeof *slot)) == NULL))
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for distances");
    if (rc == GS_OK) {
        /* ids come in id order; the done ones take the first slots */
        size_t k = 0;
        for (size_t i = 0; i < g.n; i++)
            if (g.done[i])
                slot[i] = k++;
        out->ndone = k;
        for (size_t i = 0; i < g.n; i++)
            if (!g.done[i])
                slot[i] = k++;
        for (size_t i = 0; i < g.n; i++)
            out->prof[slot[i]].id = g.ids[i];
        out->n = g.n;
        struct profile_load l = {out->prof, g.n, g.ids, slot, err};
        if ((rc = store_isolate_variant_each(s, 0, true, load_variant, &l, err)) == GS_OK)
            rc = store_isolate_missing_each(s, 0, load_missing, &l, err);
        struct mask_load m = {&mask, err};
        if (rc == GS_OK)
            rc = store_isolate_mask_each(s, load_mask, &m, err);
        if (rc == GS_OK && mask.n == 0 && g.n > 0)
            rc = reference_mask(s, &mask, err);
        tb_intervals_finish(&mask);
        out->has_mask = mask.n > 0;
        for (size_t i = 0; rc == GS_OK && i < g.n; i++)
            rc = tb_profile_finish(&out->prof[i], &mask, err);
    }
    tb_intervals_free(&mask);
    free(g.ids), free(g.done), free(slot);
    if (rc != GS_OK)
        free_profiles(out);
    return rc;
}

/* Inside the caller's transaction: computes and stores the distances of every genome isolate
 * not yet done against all earlier ones (pairs up to ISOLATE_DISTANCE_KEEP SNPs). */
static int update_distances(struct store *s, struct isolate_import_result *res, struct gs_err *err)
{
    struct profiles p;
    int rc = load_profiles(s, &p, err);
    if (rc != GS_OK)
        return rc;
    if (p.n > p.ndone && !p.has_mask) {
        free_profiles(&p);
        return gs_err_set(err, GS_EINVAL, "no SNP mask is stored: load one first (genoshare tb "
                          "clusters --mask tbdb.mask.bed, or tb reference load … --mask)");
    }
    struct tb_distances *d = NULL;
    struct tb_pair_list pairs = {0};
    if (p.n > p.ndone && (rc = tb_distances_build(p.prof, p.n, &d, err)) == GS_OK)
        rc = tb_distances_all(d, p.ndone, ISOLATE_DISTANCE_KEEP, DISTANCE_THREADS, &pairs, NULL,
                              0, err);
    for (size_t k = 0; rc == GS_OK && k < pairs.n; k++)
        rc = store_isolate_distance_insert(s, p.prof[pairs.pairs[k].i].id,
                                           p.prof[pairs.pairs[k].j].id, (int)pairs.pairs[k].snps,
                                           err);
    for (size_t k = p.ndone; rc == GS_OK && k < p.n; k++)
        rc = store_isolate_distances_done(s, p.prof[k].id, err);
    if (rc == GS_OK && res != NULL) {
        for (size_t k = p.ndone; k < p.n; k++)
            res->pairs_computed += k;
        res->pairs_stored += pairs.n;
    }
    tb_pair_list_free(&pairs);
    tb_distances_free(d);
    free_profiles(&p);
    return rc;
}

int isolates_set_mask(struct store *s, const struct actor *by, const struct tb_intervals *mask,
                      time_t now, struct isolate_import_result *res, struct gs_err *err)
{
    if (mask->n == 0)
        return gs_err_set(err, GS_EINVAL, "the mask holds no interval");
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store_isolate_mask_clear(s, err)) == GS_OK)
        for (size_t k = 0; rc == GS_OK && k < mask->n; k++)
            rc = store_isolate_mask_insert(s, mask->start[k], mask->end[k], err);
    if (rc == GS_OK && (rc = store_isolate_distance_reset(s, err)) == GS_OK)
        rc = update_distances(s, res, err);
    char detail[STORE_TEXT_MAX];
    snprintf(detail, sizeof detail, "intervals=%zu bases=%llu", mask->n,
             (unsigned long long)tb_intervals_bases(mask));
    struct audit_event ev = {"isolate.mask", "isolate-mask", detail};
    return audit_commit(s, rc, by, &ev, now, err);
}

/* ---- import ---- */

static int write_isolate(struct store *s, struct isolate_input *in, struct gs_err *err)
{
    int rc = store_isolate_insert(s, &in->meta, &in->meta.id, err);
    for (size_t k = 0; rc == GS_OK && k < in->ndst; k++)
        rc = store_isolate_dst_insert(s, in->meta.id, &in->dst[k], err);
    for (size_t k = 0; rc == GS_OK && k < in->nmic; k++)
        rc = store_isolate_mic_insert(s, in->meta.id, &in->mic[k], err);
    for (size_t k = 0; rc == GS_OK && k < in->nvar; k++) {
        int64_t vid;
        if ((rc = store_tb_variant_id(s, &in->var[k].v, &vid, err)) == GS_OK)
            rc = store_isolate_variant_insert(s, in->meta.id, vid, in->var[k].af,
                                              in->var[k].depth, err);
    }
    tb_intervals_finish(&in->missing);
    for (size_t k = 0; rc == GS_OK && k < in->missing.n; k++)
        rc = store_isolate_missing_insert(s, in->meta.id, in->missing.start[k],
                                          in->missing.end[k], err);
    return rc;
}

/* The catalogue's name for one edit among its names: the first name (or its c./n. spelling)
 * the catalogue grades for some drug, else the first primary name; false when it has none
 * (an intergenic edit). */
static bool pick_name(const struct tb_catalogue *cat, const struct tb_names *names,
                      struct store_tb_variant *v)
{
    const struct tb_name *pick = NULL;
    const char *hgvs = NULL;
    const struct tb_catalogue_row *rows[1];
    for (size_t k = 0; cat != NULL && pick == NULL && k < names->n; k++) {
        const struct tb_name *x = &names->items[k];
        if (tb_catalogue_lookup(cat, x->gene->name, x->hgvs, rows, 1) > 0)
            pick = x, hgvs = x->hgvs;
        else if (tb_catalogue_lookup(cat, x->gene->name, x->nuc, rows, 1) > 0)
            pick = x, hgvs = x->nuc;
    }
    for (size_t k = 0; pick == NULL && k < names->n; k++)
        if (!names->items[k].alternative)
            pick = &names->items[k], hgvs = pick->hgvs;
    if (pick == NULL)
        return false;
    snprintf(v->gene, sizeof v->gene, "%s", pick->gene->name);
    snprintf(v->name, sizeof v->name, "%.*s", (int)sizeof v->name - 1, hgvs);
    snprintf(v->effect, sizeof v->effect, "%s", tb_effect_term(pick->effect));
    return true;
}

/* Names the batch's genome edits on the stored reference (tbname's naming), choosing the
 * names the newest stored catalogue grades, so the marker search sees VCF isolates too.
 * Without a stored reference the edits stay unnamed (reported by the caller's counts). */
static int name_edits(struct store *s, struct isolate_batch *b, size_t *named,
                      struct gs_err *err)
{
    struct tb_ref *ref = NULL;
    struct tb_catalogue *cat = NULL;
    struct gs_err inner = {0};
    int rc = reference_if_any(s, &ref, err);
    *named = 0;
    if (rc != GS_OK || ref == NULL)
        return rc;
    if ((rc = tb_catalogue_open(s, NULL, &cat, &inner)) == GS_ENOTFOUND)
        rc = GS_OK;
    else if (rc != GS_OK)
        gs_err_set(err, rc, "%s", inner.msg);
    struct tb_names names = {0};
    for (size_t i = 0; rc == GS_OK && i < b->n; i++)
        for (size_t k = 0; rc == GS_OK && k < b->items[i].nvar; k++) {
            struct store_tb_variant *v = &b->items[i].var[k].v;
            if (v->pos < 1 || v->gene[0] != '\0')
                continue;
            if ((rc = tb_name_edit(ref, v->pos, v->ref, v->alt, &names, err)) != GS_OK) {
                char msg[GS_ERR_MSG_MAX];
                snprintf(msg, sizeof msg, "%s", err->msg);
                gs_err_clear(err);
                rc = gs_err_set(err, rc, "isolate '%s', variant %lld %s>%s: %s",
                                b->items[i].meta.name, (long long)v->pos, v->ref, v->alt, msg);
                break;
            }
            *named += pick_name(cat, &names, v);
        }
    tb_names_free(&names);
    tb_catalogue_free(cat);
    tb_ref_free(ref);
    return rc;
}

int isolates_import(struct store *s, const struct principal *who, const struct actor *by,
                    const char *dataset, const char *institution, struct isolate_batch *b,
                    time_t now, struct isolate_import_result *res, struct gs_err *err)
{
    struct store_dataset d;
    struct isolate_import_result local = {0};
    if (res == NULL)
        res = &local;
    memset(res, 0, sizeof *res);
    if (b->n == 0)
        return gs_err_set(err, GS_EINVAL, "no isolate to import");
    int rc = store_dataset_by_name(s, dataset, &d, err);
    if (rc != GS_OK || (rc = registry_check_writer(s, who, &d, "isolates", err)) != GS_OK)
        return rc;
    int64_t inst = who->is_operator ? d.institution_id : who->institution_id;
    if (who->is_operator && institution != NULL) {
        struct store_institution i;
        if ((rc = store_institution_by_name(s, institution, &i, err)) != GS_OK)
            return rc;
        inst = i.id;
    }
    if ((rc = name_edits(s, b, &res->named, err)) != GS_OK ||
        (rc = store_begin(s, err)) != GS_OK)
        return rc;
    for (size_t k = 0; rc == GS_OK && k < b->n; k++) {
        struct isolate_input *in = &b->items[k];
        in->meta.dataset_id = d.id;
        in->meta.institution_id = inst;
        in->meta.genome = in->genome;
        in->meta.created_at = now;
        rc = write_isolate(s, in, err);
        res->isolates++;
        res->genomes += in->genome;
        res->variants += in->nvar;
    }
    if (rc == GS_OK && res->genomes > 0)
        rc = update_distances(s, res, err);
    char detail[STORE_TEXT_MAX];
    snprintf(detail, sizeof detail, "dataset=%s isolates=%zu genomes=%zu variants=%zu "
             "pairs_stored=%zu", d.name, res->isolates, res->genomes, res->variants,
             res->pairs_stored);
    struct audit_event ev = {"isolate.import", "isolates", detail};
    return audit_commit(s, rc, by, &ev, now, err);
}

/* ---- access ---- */

/* The datasets who may read (ids sorted), with the names of the non-open ones for audit. */
struct visible {
    const struct principal *who;
    struct store *s;
    time_t now;
    int64_t ids[1024];
    size_t n;
    char closed[STORE_TEXT_MAX]; /* "a,b,…" */
    size_t nclosed;
    struct gs_err *err;
};

static int visit_dataset(void *ctx, const struct store_dataset *d)
{
    struct visible *v = ctx;
    struct access_decision verdict;
    int rc = access_check_read(v->s, v->who, d, 0, SCOPE_INTERNATIONAL, v->now, &verdict, v->err);
    if (rc != GS_OK)
        return rc;
    if (!verdict.allowed || v->n >= sizeof v->ids / sizeof v->ids[0])
        return 0;
    v->ids[v->n++] = d->id;
    if (d->tier != TIER_OPEN) {
        size_t len = strlen(v->closed);
        snprintf(v->closed + len, sizeof v->closed - len, "%s%s", v->nclosed ? "," : "", d->name);
        v->nclosed++;
    }
    return 0;
}

static bool is_visible(const struct visible *v, int64_t dataset_id)
{
    for (size_t k = 0; k < v->n; k++)
        if (v->ids[k] == dataset_id)
            return true;
    return false;
}

static int visible_load(struct store *s, const struct principal *who, time_t now,
                        struct visible *v, struct gs_err *err)
{
    memset(v, 0, sizeof *v);
    v->who = who, v->s = s, v->now = now, v->err = err;
    return store_dataset_each(s, visit_dataset, v, err);
}

/* One audit row for a read over several datasets (none when all were open). */
static int audit_read(struct store *s, const struct actor *by, const struct visible *v,
                      const char *action, const char *what, time_t now, struct gs_err *err)
{
    if (v->nclosed == 0)
        return GS_OK;
    char detail[STORE_AUDIT_TEXT_MAX];
    snprintf(detail, sizeof detail, "%s datasets=%s", what, v->closed);
    struct audit_event ev = {action, "isolates", detail};
    return audit_record(s, by, &ev, now, err);
}

/* ---- reads ---- */

static json_t *isolate_json(const struct store_isolate *i, const char *dataset)
{
    return json_pack("{s:I, s:s, s:s, s:i, s:s, s:s, s:s, s:s, s:b, s:s}", "id",
                     (json_int_t)i->id, "dataset", dataset, "isolate", i->name, "year", i->year,
                     "country", i->country, "region", i->region, "source", i->source,
                     "specimen", i->specimen, "genome", i->genome, "genotype_gaps", i->gaps);
}

static int dst_json(void *ctx, int64_t id, const struct store_isolate_dst *d)
{
    (void)id;
    char r[2] = {d->result, '\0'};
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:s, s:s}", "drug", d->drug, "result", r,
                                         "category", d->category, "method", d->method));
    return 0;
}

static int mic_json(void *ctx, int64_t id, const struct store_isolate_mic *m)
{
    (void)id;
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:f, s:s, s:s}", "drug", m->drug,
                                         "relation", m->relation, "value", m->value, "unit",
                                         m->unit, "method", m->method));
    return 0;
}

static int variant_json(void *ctx, const struct store_isolate_variant *iv)
{
    json_t *o = json_pack("{s:f, s:i}", "af", iv->af, "depth", iv->depth);
    if (iv->v.pos > 0) {
        json_object_set_new(o, "pos", json_integer(iv->v.pos));
        json_object_set_new(o, "ref", json_string(iv->v.ref));
        json_object_set_new(o, "alt", json_string(iv->v.alt));
    }
    if (iv->v.gene[0]) {
        json_object_set_new(o, "gene", json_string(iv->v.gene));
        json_object_set_new(o, "name", json_string(iv->v.name));
        json_object_set_new(o, "effect", json_string(iv->v.effect));
    }
    json_array_append_new(ctx, o);
    return 0;
}

static int missing_json(void *ctx, int64_t id, int64_t start, int64_t end)
{
    (void)id;
    json_array_append_new(ctx, json_pack("[I, I]", (json_int_t)start, (json_int_t)end));
    return 0;
}

/* The report document from resistance calls over variants v (resistance.h). */
static json_t *calls_json(const struct tb_catalogue *cat, const struct tb_resistance *res,
                          const struct tb_variant *v)
{
    json_t *list = json_array();
    for (int k = 0; k < res->ndrugs; k++) {
        const struct tb_drug_call *c = &res->drugs[k];
        char call[2] = {(char)c->call, '\0'};
        json_t *ev = json_array();
        for (int e = 0; e < c->nevidence && e < TB_EVIDENCE_MAX; e++) {
            const struct tb_variant *x = &v[c->evidence[e].variant];
            json_array_append_new(ev, json_pack("{s:s, s:s, s:f, s:i}", "gene", x->gene, "name",
                                                x->name, "af", x->af, "grade",
                                                (int)c->evidence[e].grade));
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:i, s:s, s:o}", "drug", c->drug,
                                              "call", call, "grade", (int)c->strongest,
                                              "reason", c->reason, "variants", ev));
    }
    return json_pack("{s:s, s:s, s:b, s:o}", "catalogue", cat->version, "type",
                     tb_resistance_type_name(res->type), "type_uncertain", res->type_uncertain,
                     "drugs", list);
}

/* A genome isolate's report: its stored edits named on the stored reference and called by
 * tbres's tb_profile_edits (with the lineage); short missing intervals (VCF no-calls and
 * low-depth records) are passed as low-depth sites. */
static int genome_report(struct store *s, const struct tb_catalogue *cat, json_t *doc,
                         struct gs_err *err)
{
    struct tb_ref *ref = NULL;
    struct gs_err inner = {0};
    int rc = store_tb_reference_load(s, &ref, &inner);
    if (rc == GS_ENOTFOUND) {
        json_object_set_new(doc, "resistance", json_null());
        json_object_set_new(doc, "resistance_note", json_string(inner.msg));
        return GS_OK;
    }
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    json_t *vars = json_object_get(doc, "variants"), *miss = json_object_get(doc, "missing"), *x;
    size_t nv = json_array_size(vars), n = 0, i;
    enum { SHORT = 50 }; /* longer intervals are uncovered regions, not records */
    size_t cap = nv + 1;
    json_array_foreach(miss, i, x) {
        json_int_t a = json_integer_value(json_array_get(x, 0));
        json_int_t b = json_integer_value(json_array_get(x, 1));
        cap += b - a < SHORT ? (size_t)(b - a + 1) : 0;
    }
    struct tb_profile_edit *edits = calloc(cap, sizeof *edits);
    if (edits == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for the resistance report");
    json_array_foreach(vars, i, x) {
        if (rc != GS_OK || json_object_get(x, "pos") == NULL)
            continue;
        int depth = (int)json_integer_value(json_object_get(x, "depth"));
        edits[n++] = (struct tb_profile_edit){json_integer_value(json_object_get(x, "pos")),
                                              json_string_value(json_object_get(x, "ref")),
                                              json_string_value(json_object_get(x, "alt")),
                                              json_real_value(json_object_get(x, "af")),
                                              depth > 0 ? depth : -1};
    }
    char (*bases)[2] = calloc(cap, sizeof *bases); /* the reference base of each site */
    if (rc == GS_OK && bases == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for the resistance report");
    json_array_foreach(miss, i, x) {
        json_int_t a = json_integer_value(json_array_get(x, 0));
        json_int_t b = json_integer_value(json_array_get(x, 1));
        for (json_int_t pos = a; rc == GS_OK && b - a < SHORT && pos <= b && pos <= ref->length;
             pos++) {
            bases[n][0] = ref->seq[pos - 1];
            edits[n] = (struct tb_profile_edit){pos, bases[n], NULL, 0, 0};
            n++;
        }
    }
    struct tb_profile_options opt;
    struct tb_profile_report report = {0};
    tb_profile_options_default(&opt);
    const char *name = json_string_value(json_object_get(doc, "isolate"));
    if (rc == GS_OK && (rc = tb_profile_edits(ref, cat, name, edits, n, &opt, &report, err)) ==
                           GS_OK) {
        json_t *r = calls_json(cat, &report.resistance, report.variants);
        json_object_set_new(r, "main_lineage", json_string(report.lineage.main_lineage));
        json_object_set_new(r, "sub_lineage", json_string(report.lineage.sub_lineage));
        json_object_set_new(r, "mixed", json_boolean(report.lineage.mixed));
        json_object_set_new(doc, "resistance", r);
    }
    tb_profile_report_clear(&report);
    free(edits);
    free(bases);
    tb_ref_free(ref);
    return rc;
}

/* The resistance report of a read isolate by the newest stored catalogue: a genome
 * isolate's edits are named and profiled (genome_report); a named-variant isolate (WHO's
 * tables, JSON with names) is called from its names, its tier-1 genotype gaps making their
 * drugs not assessable. "resistance" is null with a "resistance_note" when no catalogue
 * (or, for a genome, no reference) is stored. */
static int resistance_json(struct store *s, const struct store_isolate *iso, json_t *doc,
                           struct gs_err *err)
{
    json_t *vars = json_object_get(doc, "variants");
    size_t n = json_array_size(vars), i;
    json_t *x;
    struct tb_catalogue *cat = NULL;
    struct gs_err inner = {0};
    int rc = tb_catalogue_open(s, NULL, &cat, &inner);
    if (rc == GS_ENOTFOUND) {
        json_object_set_new(doc, "resistance", json_null());
        json_object_set_new(doc, "resistance_note", json_string("no catalogue loaded"));
        return GS_OK;
    }
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    if (iso->genome) {
        rc = genome_report(s, cat, doc, err);
        tb_catalogue_free(cat);
        return rc;
    }
    struct tb_variant *tv = calloc(n + 1, sizeof *tv);
    char drugs[TB_DRUGS_MAX][TB_DRUG_MAX];
    const char *unassessable[TB_DRUGS_MAX];
    size_t nun = 0, nv = 0;
    if (tv == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for the resistance report");
    json_array_foreach(vars, i, x) {
        if (rc != GS_OK || json_object_get(x, "gene") == NULL)
            continue;
        struct tb_variant *v = &tv[nv++];
        snprintf(v->gene, sizeof v->gene, "%s", json_string_value(json_object_get(x, "gene")));
        snprintf(v->name, sizeof v->name, "%s", json_string_value(json_object_get(x, "name")));
        snprintf(v->effect, sizeof v->effect, "%s",
                 tb_effect_canonical(json_string_value(json_object_get(x, "effect"))));
        v->af = json_real_value(json_object_get(x, "af"));
        int depth = (int)json_integer_value(json_object_get(x, "depth"));
        v->depth = depth > 0 ? depth : -1;
    }
    for (int k = 0; rc == GS_OK && k < cat->ndrugs && nun < TB_DRUGS_MAX; k++)
        if (gap_for(iso->gaps, cat->drugs[k])) {
            snprintf(drugs[nun], sizeof drugs[nun], "%s", cat->drugs[k]);
            unassessable[nun] = drugs[nun];
            nun++;
        }
    struct tb_resistance res = {0};
    struct tb_resistance_options opt;
    tb_resistance_options_default(&opt);
    struct tb_resistance_input in = {tv, nv, NULL, 0, unassessable, nun};
    if (rc == GS_OK && (rc = tb_resistance_call(cat, &in, &opt, &res, err)) == GS_OK)
        json_object_set_new(doc, "resistance", calls_json(cat, &res, tv));
    tb_resistance_clear(&res);
    free(tv);
    tb_catalogue_free(cat);
    return rc;
}

int isolates_read(struct store *s, const struct principal *who, const struct actor *by,
                  int64_t id, time_t now, json_t **out, struct gs_err *err)
{
    struct store_isolate i;
    struct store_dataset d;
    struct access_decision verdict;
    struct gs_err inner = {0};
    int rc = store_isolate_get(s, id, &i, &inner);
    if (rc == GS_ENOTFOUND)
        return gs_err_set(err, rc, "no isolate with id %lld", (long long)id);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", inner.msg);
    if ((rc = store_dataset_get(s, i.dataset_id, &d, err)) != GS_OK ||
        (rc = access_check_read(s, who, &d, i.institution_id, SCOPE_INTERNATIONAL, now, &verdict,
                                err)) != GS_OK)
        return rc;
    if (d.tier != TIER_OPEN) {
        char object[64], detail[STORE_TEXT_MAX];
        snprintf(object, sizeof object, "isolate:%lld", (long long)id);
        snprintf(detail, sizeof detail, "dataset=%s tier=%s: %s", d.name, tier_name(d.tier),
                 verdict.reason);
        struct audit_event ev = {verdict.allowed ? "isolate.read" : "isolate.read.denied",
                                 object, detail};
        if ((rc = audit_record(s, by, &ev, now, err)) != GS_OK)
            return rc;
    }
    if (!verdict.allowed)
        return gs_err_set(err, GS_ENOTFOUND, "no isolate with id %lld", (long long)id);
    json_t *doc = isolate_json(&i, d.name);
    json_t *dst = json_array(), *mic = json_array(), *var = json_array(), *miss = json_array();
    json_object_set_new(doc, "dst", dst);
    json_object_set_new(doc, "mic", mic);
    json_object_set_new(doc, "variants", var);
    json_object_set_new(doc, "missing", miss);
    if ((rc = store_isolate_dst_each(s, id, NULL, dst_json, dst, err)) == GS_OK &&
        (rc = store_isolate_mic_each(s, id, NULL, mic_json, mic, err)) == GS_OK &&
        (rc = store_isolate_variant_each(s, id, false, variant_json, var, err)) == GS_OK &&
        (rc = store_isolate_missing_each(s, id, missing_json, miss, err)) == GS_OK)
        rc = resistance_json(s, &i, doc, err);
    if (rc != GS_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return GS_OK;
}

struct list_walk {
    struct store *s;
    const struct visible *v;
    int64_t offset, limit, seen;
    json_t *items;
    struct store_dataset d;
    struct gs_err *err;
};

static int list_visit(void *ctx, const struct store_isolate *i)
{
    struct list_walk *w = ctx;
    if (!is_visible(w->v, i->dataset_id))
        return 0;
    w->seen++;
    if (w->seen <= w->offset || (int64_t)json_array_size(w->items) >= w->limit)
        return 0;
    int rc;
    if (w->d.id != i->dataset_id && (rc = store_dataset_get(w->s, i->dataset_id, &w->d,
                                                            w->err)) != GS_OK)
        return rc;
    json_array_append_new(w->items, isolate_json(i, w->d.name));
    return 0;
}

int isolates_list(struct store *s, const struct principal *who, const struct actor *by,
                  const char *dataset, int64_t offset, int64_t limit, time_t now, json_t **out,
                  struct gs_err *err)
{
    struct visible v;
    int64_t dataset_id = 0;
    int rc = visible_load(s, who, now, &v, err);
    if (rc == GS_OK && dataset != NULL) {
        struct store_dataset d;
        struct gs_err inner = {0};
        if (store_dataset_by_name(s, dataset, &d, &inner) != GS_OK || !is_visible(&v, d.id))
            return gs_err_set(err, GS_ENOTFOUND, "no dataset named '%.64s'", dataset);
        dataset_id = d.id;
    }
    struct list_walk w = {s, &v, offset, limit, 0, json_array(), {0}, err};
    if (rc == GS_OK)
        rc = store_isolate_each(s, dataset_id, list_visit, &w, err);
    if (rc == GS_OK && json_array_size(w.items) > 0)
        rc = audit_read(s, by, &v, "isolate.list", dataset ? dataset : "*", now, err);
    if (rc != GS_OK) {
        json_decref(w.items);
        return rc;
    }
    *out = json_pack("{s:o, s:I, s:I, s:I}", "isolates", w.items, "total", (json_int_t)w.seen,
                     "offset", (json_int_t)offset, "limit", (json_int_t)limit);
    return GS_OK;
}

/* ---- clusters ---- */

int isolates_thresholds_parse(const char *text, struct isolate_cluster_query *q,
                              struct gs_err *err)
{
    q->nthresholds = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", text);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int64_t t;
        if (q->nthresholds >= ISOLATE_THRESHOLDS_MAX)
            return gs_err_set(err, GS_EINVAL, "at most %d thresholds", ISOLATE_THRESHOLDS_MAX);
        if (parse_int64(tok, 0, ISOLATE_DISTANCE_KEEP, &t, err) != GS_OK) {
            gs_err_clear(err);
            return gs_err_set(err, GS_EINVAL, "threshold '%.16s' must be a whole number of SNPs "
                              "from 0 to %d (distances are stored up to %d)", tok,
                              ISOLATE_DISTANCE_KEEP, ISOLATE_DISTANCE_KEEP);
        }
        q->thresholds[q->nthresholds++] = (uint32_t)t;
    }
    if (q->nthresholds == 0)
        return gs_err_set(err, GS_EINVAL, "no threshold given (e.g. 5,12)");
    return GS_OK;
}

struct cluster_members {
    const struct visible *v;
    struct store_isolate *iso; /* visible genome isolates, id order */
    int64_t *ids;              /* their ids */
    size_t n, cap;
    struct gs_err *err;
};

static int collect_members(void *ctx, const struct store_isolate *i)
{
    struct cluster_members *m = ctx;
    if (!i->genome || !is_visible(m->v, i->dataset_id))
        return 0;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct store_isolate *p = realloc(m->iso, cap * sizeof *p);
        if (p != NULL)
            m->iso = p;
        int64_t *ids = p ? realloc(m->ids, cap * sizeof *ids) : NULL;
        if (ids == NULL)
            return gs_err_set(m->err, GS_ENOMEM, "out of memory for clusters");
        m->ids = ids, m->cap = cap;
    }
    m->ids[m->n] = i->id;
    m->iso[m->n++] = *i;
    return 0;
}

static size_t member_index(const struct cluster_members *m, int64_t id)
{
    return id_index(m->ids, m->n, id);
}

struct pair_collect {
    const struct cluster_members *m;
    struct tb_pair_list pairs;
};

static int collect_pair(void *ctx, int64_t a, int64_t b, int snps)
{
    struct pair_collect *c = ctx;
    size_t i = member_index(c->m, b), j = member_index(c->m, a);
    if (i == SIZE_MAX || j == SIZE_MAX)
        return 0; /* a hidden isolate links nothing */
    if (c->pairs.n == c->pairs.cap) {
        size_t cap = c->pairs.cap ? c->pairs.cap * 2 : 256;
        struct tb_pair *p = realloc(c->pairs.pairs, cap * sizeof *p);
        if (p == NULL)
            return GS_ENOMEM;
        c->pairs.pairs = p, c->pairs.cap = cap;
    }
    c->pairs.pairs[c->pairs.n++] = (struct tb_pair){(uint32_t)i, (uint32_t)j, (uint32_t)snps};
    return 0;
}

static int dataset_name(struct store *s, int64_t id, char *out, size_t n)
{
    struct store_dataset d;
    struct gs_err ignored = {0};
    int rc = store_dataset_get(s, id, &d, &ignored);
    snprintf(out, n, "%s", rc == GS_OK ? d.name : "?");
    return GS_OK;
}

/* The NJ tree of the members, from their profiles. */
static int members_tree(struct store *s, const struct cluster_members *m, char **newick,
                        struct gs_err *err)
{
    if (m->n > TB_TREE_MAX)
        return gs_err_set(err, GS_EINVAL, "a tree is drawn for at most %d isolates (%zu visible)",
                          TB_TREE_MAX, m->n);
    struct profiles p;
    int rc = load_profiles(s, &p, err);
    if (rc != GS_OK)
        return rc;
    size_t *at = malloc((m->n + 1) * sizeof *at); /* member → profile index */
    double *dist = calloc(m->n * m->n + 1, sizeof *dist);
    const char **names = calloc(m->n + 1, sizeof *names);
    char (*labels)[STORE_NAME_MAX + 8] = calloc(m->n + 1, sizeof *labels);
    struct tb_distances *d = NULL;
    if (at == NULL || dist == NULL || names == NULL || labels == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for the tree");
    for (size_t k = 0; rc == GS_OK && k < m->n; k++) {
        at[k] = SIZE_MAX;
        for (size_t x = 0; x < p.n; x++)
            if (p.prof[x].id == m->iso[k].id)
                at[k] = x;
        snprintf(labels[k], sizeof labels[k], "%s", m->iso[k].name);
        names[k] = labels[k];
    }
    if (rc == GS_OK && m->n > 0 && (rc = tb_distances_build(p.prof, p.n, &d, err)) == GS_OK) {
        for (size_t i = 0; i < m->n; i++)
            for (size_t j = 0; j < i; j++)
                dist[i * m->n + j] = dist[j * m->n + i] =
                    at[i] == SIZE_MAX || at[j] == SIZE_MAX ? 0 : tb_distances_get(d, at[i], at[j]);
        rc = tb_tree_newick(m->n, dist, names, newick, err);
    }
    tb_distances_free(d);
    free(at), free(dist), free(names), free(labels);
    free_profiles(&p);
    return rc;
}

int isolates_clusters(struct store *s, const struct principal *who, const struct actor *by,
                      const struct isolate_cluster_query *q, time_t now, json_t **out,
                      struct gs_err *err)
{
    struct visible v;
    struct cluster_members m = {&v, NULL, NULL, 0, 0, err};
    struct pair_collect pc = {&m, {0}};
    uint32_t top = 0;
    for (int t = 0; t < q->nthresholds; t++)
        top = q->thresholds[t] > top ? q->thresholds[t] : top;
    int rc = visible_load(s, who, now, &v, err);
    if (rc == GS_OK)
        rc = store_isolate_each(s, 0, collect_members, &m, err);
    if (rc == GS_OK)
        rc = store_isolate_distance_each(s, (int)top, collect_pair, &pc, err);
    if (rc == GS_ENOMEM)
        gs_err_set(err, rc, "out of memory for clusters");
    uint32_t *label = calloc(m.n + 1, sizeof *label);
    if (rc == GS_OK && label == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for clusters");
    json_t *doc = json_pack("{s:I, s:[], s:[]}", "isolates", (json_int_t)m.n, "thresholds",
                            "pairs");
    json_t *names = json_object();
    for (size_t k = 0; rc == GS_OK && k < m.n; k++) {
        char ds[STORE_NAME_MAX], key[32];
        dataset_name(s, m.iso[k].dataset_id, ds, sizeof ds);
        snprintf(key, sizeof key, "%lld", (long long)m.iso[k].id);
        json_object_set_new(names, key, json_pack("{s:s, s:s}", "isolate", m.iso[k].name,
                                                  "dataset", ds));
    }
    for (int t = 0; rc == GS_OK && t < q->nthresholds; t++) {
        size_t nclusters;
        if ((rc = tb_clusters_single_linkage(m.n, pc.pairs.pairs, pc.pairs.n, q->thresholds[t],
                                             label, &nclusters, err)) != GS_OK)
            break;
        json_t *clusters = json_array();
        for (size_t c = 1; c <= nclusters; c++) {
            json_t *members = json_array();
            for (size_t k = 0; k < m.n; k++)
                if (label[k] == c)
                    json_array_append_new(members, json_integer(m.iso[k].id));
            json_array_append_new(clusters, json_pack("{s:I, s:I, s:o}", "cluster",
                                                      (json_int_t)c, "size",
                                                      (json_int_t)json_array_size(members),
                                                      "members", members));
        }
        json_array_append_new(json_object_get(doc, "thresholds"),
                              json_pack("{s:i, s:o}", "threshold", (int)q->thresholds[t],
                                        "clusters", clusters));
    }
    for (size_t k = 0; rc == GS_OK && k < pc.pairs.n; k++)
        json_array_append_new(json_object_get(doc, "pairs"),
                              json_pack("{s:I, s:I, s:i}", "a", (json_int_t)m.iso[pc.pairs.pairs[k].j].id,
                                        "b", (json_int_t)m.iso[pc.pairs.pairs[k].i].id, "snps",
                                        (int)pc.pairs.pairs[k].snps));
    json_object_set_new(doc, "names", names);
    if (rc == GS_OK && q->newick && m.n > 0) {
        char *tree = NULL;
        if ((rc = members_tree(s, &m, &tree, err)) == GS_OK)
            json_object_set_new(doc, "newick", json_string(tree));
        free(tree);
    }
    if (rc == GS_OK)
        rc = audit_read(s, by, &v, "isolate.clusters", "clusters", now, err);
    free(label);
    free(m.iso);
    free(m.ids);
    tb_pair_list_free(&pc.pairs);
    if (rc != GS_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return GS_OK;
}

/* ---- markers ---- */

/* The grade of gene + name for drug: its own row, else (for a loss-of-function effect) the
 * gene-level row of that effect; TB_GRADE_NONE when the catalogue has neither. */
static int catalogue_grade(const struct tb_catalogue *c, const char *drug, const char *gene,
                           const char *name, const char *effect)
{
    const struct tb_catalogue_row *rows[TB_DRUGS_MAX];
    size_t n = tb_catalogue_lookup(c, gene, name, rows, TB_DRUGS_MAX);
    for (size_t k = 0; k < n && k < TB_DRUGS_MAX; k++)
        if (strcmp(rows[k]->drug, drug) == 0)
            return rows[k]->grade;
    if (effect == NULL || !tb_effect_name_is_lof(effect))
        return TB_GRADE_NONE;
    n = tb_catalogue_lookup(c, gene, tb_effect_canonical(effect), rows, TB_DRUGS_MAX);
    for (size_t k = 0; k < n && k < TB_DRUGS_MAX; k++)
        if (strcmp(rows[k]->drug, drug) == 0)
            return rows[k]->grade;
    return TB_GRADE_NONE;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The drug's candidate genes: every gene with a catalogue row for it (sorted, unique,
 * pointing into the catalogue). */
static int drug_genes(const struct tb_catalogue *c, const char *drug, const char ***out,
                      size_t *n, struct gs_err *err)
{
    *n = 0;
    if ((*out = malloc((c->nrows + 1) * sizeof **out)) == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for the marker search");
    for (size_t k = 0; k < c->nrows; k++)
        if (strcmp(c->rows[k].drug, drug) == 0)
            (*out)[(*n)++] = c->rows[k].gene;
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_text);
    size_t w = 0;
    for (size_t k = 0; k < *n; k++)
        if (w == 0 || strcmp((*out)[w - 1], (*out)[k]) != 0)
            (*out)[w++] = (*out)[k];
    *n = w;
    return GS_OK;
}

struct marker_data {
    const struct visible *v;
    const struct tb_catalogue *cat;
    const char **genes;  /* the drug's candidate genes, sorted */
    size_t ngenes;
    const char *drug;
    /* visible isolates, id order, and their phenotype */
    int64_t *ids;
    char *pheno;
    int *rank;          /* the category rank of the phenotype kept: WHO 3, CC 2, ALL 1 */
    size_t n, cap;
    /* variants of the drug's genes, by stored id */
    int64_t *vid;
    uint32_t *slot;     /* stored variant id → 1 + its index here (0: not seen yet) */
    size_t nslot;
    struct marker_variant *var;
    char (*text)[ISOLATE_GENE_MAX + ISOLATE_VNAME_MAX + 48];
    size_t nvar, capvar;
    struct marker_call *calls;
    size_t ncalls, capcalls;
    struct marker_mic *mics;
    size_t nmics, capmics;
    struct gs_err *err;
};

static size_t data_isolate(const struct marker_data *md, int64_t id)
{
    return id_index(md->ids, md->n, id);
}

static int md_isolate(void *ctx, const struct store_isolate *i)
{
    struct marker_data *md = ctx;
    if (!is_visible(md->v, i->dataset_id) || gap_for(i->gaps, md->drug))
        return 0;
    if (md->n == md->cap) {
        size_t cap = md->cap ? md->cap * 2 : 256;
        int64_t *ids = realloc(md->ids, cap * sizeof *ids);
        char *ph = ids ? realloc(md->pheno, cap) : NULL;
        int *rank = ph ? realloc(md->rank, cap * sizeof *rank) : NULL;
        if (ids) md->ids = ids;
        if (ph) md->pheno = ph;
        if (rank == NULL)
            return gs_err_set(md->err, GS_ENOMEM, "out of memory for the marker search");
        md->rank = rank;
        md->cap = cap;
    }
    md->ids[md->n] = i->id;
    md->pheno[md->n] = 0;
    md->rank[md->n] = 0;
    md->n++;
    return 0;
}

static int md_dst(void *ctx, int64_t id, const struct store_isolate_dst *d)
{
    struct marker_data *md = ctx;
    size_t k = data_isolate(md, id);
    int rank = strcmp(d->category, "WHO") == 0 ? 3 : strcmp(d->category, "CC") == 0 ? 2
               : strcmp(d->category, "ALL") == 0 ? 1 : 0; /* CC-ATU is not used */
    if (k == SIZE_MAX || rank == 0 || rank < md->rank[k])
        return 0;
    if (rank > md->rank[k])
        md->pheno[k] = d->result, md->rank[k] = rank;
    else if (d->result == 'R') /* discordant results of one category: resistant */
        md->pheno[k] = 'R';
    return 0;
}

static int md_variant(void *ctx, const struct store_isolate_variant *iv)
{
    struct marker_data *md = ctx;
    size_t k = data_isolate(md, iv->isolate_id);
    const char *gene = tb_gene_canonical(iv->v.gene);
    if (k == SIZE_MAX || iv->v.gene[0] == '\0' ||
        bsearch(&gene, md->genes, md->ngenes, sizeof *md->genes, by_text) == NULL)
        return 0;
    if ((size_t)iv->v.id >= md->nslot) { /* ids are dense: a direct map */
        size_t n = ((size_t)iv->v.id + 1) * 2;
        uint32_t *slot = realloc(md->slot, n * sizeof *slot);
        if (slot == NULL)
            return gs_err_set(md->err, GS_ENOMEM, "out of memory for the marker search");
        memset(slot + md->nslot, 0, (n - md->nslot) * sizeof *slot);
        md->slot = slot, md->nslot = n;
    }
    size_t x = md->slot[iv->v.id] ? md->slot[iv->v.id] - 1 : md->nvar;
    if (x == md->nvar) {
        md->slot[iv->v.id] = (uint32_t)x + 1;
        if (md->nvar == md->capvar) {
            size_t cap = md->capvar ? md->capvar * 2 : 256;
            int64_t *vid = realloc(md->vid, cap * sizeof *vid);
            if (vid) md->vid = vid;
            struct marker_variant *var = vid ? realloc(md->var, cap * sizeof *var) : NULL;
            if (var) md->var = var;
            void *text = var ? realloc(md->text, cap * sizeof *md->text) : NULL;
            if (text == NULL)
                return gs_err_set(md->err, GS_ENOMEM, "out of memory for the marker search");
            md->text = text;
            md->capvar = cap;
        }
        char *t = md->text[x];
        size_t lg = strlen(iv->v.gene) + 1, ln = strlen(iv->v.name) + 1;
        memcpy(t, iv->v.gene, lg);
        memcpy(t + lg, iv->v.name, ln);
        memcpy(t + lg + ln, iv->v.effect, strlen(iv->v.effect) + 1);
        md->vid[x] = iv->v.id;
        /* the strings are pointed at once the walk is over (text may still move) */
        md->var[x] = (struct marker_variant){NULL, NULL, NULL,
                                             catalogue_grade(md->cat, md->drug, gene,
                                                           iv->v.name, iv->v.effect)};
        md->nvar++;
    }
    struct marker_call *c = grow((void **)&md->calls, &md->ncalls, &md->capcalls, sizeof *c,
                                 md->err);
    if (c == NULL)
        return GS_ENOMEM;
    *c = (struct marker_call){(uint32_t)k, (uint32_t)x, iv->af};
    return 0;
}

static int md_mic(void *ctx, int64_t id, const struct store_isolate_mic *m)
{
    struct marker_data *md = ctx;
    size_t k = data_isolate(md, id);
    if (k == SIZE_MAX)
        return 0;
    struct marker_mic *x = grow((void **)&md->mics, &md->nmics, &md->capmics, sizeof *x, md->err);
    if (x == NULL)
        return GS_ENOMEM;
    x->isolate = (uint32_t)k;
    snprintf(x->relation, sizeof x->relation, "%s", m->relation);
    x->value = m->value;
    return 0;
}

static void md_free(struct marker_data *md)
{
    free(md->ids), free(md->pheno), free(md->rank), free(md->vid), free(md->var);
    free(md->text), free(md->calls), free(md->mics), free(md->genes), free(md->slot);
}

int isolates_markers(struct store *s, const struct principal *who, const struct actor *by,
                     const struct tb_catalogue *cat, const char *drug, uint32_t min_solo,
                     time_t now, json_t **out, struct gs_err *err)
{
    char lower[TB_DRUG_MAX];
    struct gs_err inner = {0};
    bool known = false;
    if (tb_drug_parse(drug, lower, &inner) == GS_OK)
        for (int k = 0; k < cat->ndrugs; k++)
            known = known || strcmp(cat->drugs[k], lower) == 0;
    if (!known)
        return gs_err_set(err, GS_EINVAL, "catalogue %s grades no variant for drug '%.32s' "
                          "(drug names as in the catalogue: rifampicin, isoniazid, …, or WHO "
                          "codes: RIF, INH, …)", cat->version, drug);
    struct visible v;
    struct marker_data md = {0};
    md.v = &v, md.cat = cat, md.drug = lower, md.err = err;
    int rc = drug_genes(cat, lower, &md.genes, &md.ngenes, err);
    if (rc == GS_OK)
        rc = visible_load(s, who, now, &v, err);
    if (rc == GS_OK)
        rc = store_isolate_each(s, 0, md_isolate, &md, err);
    if (rc == GS_OK)
        rc = store_isolate_dst_each(s, 0, lower, md_dst, &md, err);
    if (rc == GS_OK)
        rc = store_isolate_variant_each(s, 0, false, md_variant, &md, err);
    for (size_t x = 0; rc == GS_OK && x < md.nvar; x++) { /* gene \0 name \0 effect \0 */
        md.var[x].gene = md.text[x];
        md.var[x].name = md.var[x].gene + strlen(md.var[x].gene) + 1;
        md.var[x].effect = md.var[x].name + strlen(md.var[x].name) + 1;
    }
    if (rc == GS_OK)
        rc = store_isolate_mic_each(s, 0, lower, md_mic, &md, err);
    struct marker_input in = {md.n, md.pheno, md.nvar, md.var, md.ncalls, md.calls,
                              ISOLATE_CALL_AF, min_solo};
    struct marker_row *rows = NULL;
    struct marker_mic_bin *bins = NULL;
    size_t nrows = 0, nbins = 0;
    if (rc == GS_OK && (rc = markers_solo(&in, &rows, &nrows, err)) == GS_OK)
        rc = markers_mic_distribution(&in, md.mics, md.nmics, &bins, &nbins, err);
    json_t *doc = NULL;
    if (rc == GS_OK) {
        size_t nr = 0, ns = 0;
        for (size_t k = 0; k < md.n; k++)
            nr += md.pheno[k] == 'R', ns += md.pheno[k] == 'S';
        json_t *list = json_array(), *cands = json_array(), *mic = json_array();
        for (size_t k = 0; k < nrows; k++) {
            const struct marker_row *r = &rows[k];
            const struct marker_variant *mv = &md.var[r->variant];
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:f, s:f, s:f, "
                                "s:f, s:f, s:b}", "gene", mv->gene, "variant", mv->name,
                                "effect", mv->effect, "grade", mv->grade, "a", (int)r->a, "b",
                                (int)r->b, "c", (int)r->c, "d", (int)r->d, "carriers",
                                (int)r->carriers, "ppv", r->ppv, "ppv_lo", r->ppv_lo, "ppv_hi",
                                r->ppv_hi, "odds_ratio", r->odds_ratio, "p", r->p, "candidate",
                                r->candidate));
            if (r->candidate)
                json_array_append_new(cands, json_pack("{s:s, s:s}", "gene", mv->gene,
                                                       "variant", mv->name));
        }
        for (size_t k = 0; k < nbins; k++) {
            const struct marker_mic_bin *b = &bins[k];
            json_t *o = json_pack("{s:s, s:f, s:i}", "relation", b->relation, "value", b->value,
                                  "isolates", (int)b->isolates);
            if (b->variant == UINT32_MAX) {
                json_object_set_new(o, "gene", json_string(""));
                json_object_set_new(o, "variant", json_string("(none in the drug's genes)"));
            } else {
                json_object_set_new(o, "gene", json_string(md.var[b->variant].gene));
                json_object_set_new(o, "variant", json_string(md.var[b->variant].name));
            }
            json_array_append_new(mic, o);
        }
        doc = json_pack("{s:s, s:s, s:s, s:s, s:f, s:i, s:I, s:I, s:I, s:o, s:o, s:o}", "drug",
                        lower, "catalogue", cat->version, "method", "WHO solo: carriers with no other grade 1-2 variant",
                        "interval", "Wilson score 95%", "min_af", ISOLATE_CALL_AF, "min_solo",
                        (int)min_solo, "isolates", (json_int_t)(nr + ns), "resistant",
                        (json_int_t)nr, "susceptible", (json_int_t)ns, "variants", list,
                        "candidates", cands, "mic", mic);
        rc = audit_read(s, by, &v, "isolate.markers", lower, now, err);
    }
    free(rows), free(bins);
    md_free(&md);
    if (rc != GS_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return GS_OK;
}
