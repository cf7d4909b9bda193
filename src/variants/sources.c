/* sources.c — reference sources (sources.h): registration with its checks, and look-ups
 * of one variant in every registered tabix-indexed VCF through htslib's tabix iterators
 * (htslib 1.16's bcf_itr_* return nothing on .vcf.gz: ENGINEERING.md). */
#include "variants/sources.h"

#include <ctype.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>
#include <htslib/vcf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/parse.h"

static const char *const kind_names[] = {"clinvar", "frequency", "dbsnp"};

const char *source_kind_name(enum source_kind k)
{
    return (unsigned)k < 3 ? kind_names[k] : "frequency";
}

int source_kind_parse(const char *text, enum source_kind *out, struct gs_err *err)
{
    for (int i = 0; text != NULL && i < 3; i++)
        if (strcasecmp(text, kind_names[i]) == 0) {
            *out = (enum source_kind)i;
            return GS_OK;
        }
    return gs_err_set(err, GS_EINVAL, "unknown source kind '%.32s' (expected clinvar, frequency "
                      "or dbsnp)", text ? text : "");
}

/* ---- one open file ---- */

struct source_file {
    struct store_variant_source meta;
    htsFile *fp;
    bcf_hdr_t *hdr;
    tbx_t *tbx;
    const char *problem; /* static; NULL when open */
    int nfreq;
    char freq_fields[SOURCE_FREQ_MAX][32];
};

static void file_close(struct source_file *f)
{
    if (f->tbx)
        tbx_destroy(f->tbx);
    if (f->hdr)
        bcf_hdr_destroy(f->hdr);
    if (f->fp)
        hts_close(f->fp);
    f->tbx = NULL, f->hdr = NULL, f->fp = NULL;
}

/* An allele-frequency field by name: AF, EAS_AF, AF_EXAC, AF_eas. */
static bool is_frequency_field(const char *id)
{
    size_t n = strlen(id);
    return strcmp(id, "AF") == 0 || (n > 3 && strcmp(id + n - 3, "_AF") == 0) ||
           (n > 3 && strncmp(id, "AF_", 3) == 0);
}

static bool is_url(const char *path)
{
    if (strstr(path, "://") != NULL)
        return true;
    static const char *const schemes[] = {"http:", "https:", "ftp:", "s3:", "gs:", "data:"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strncasecmp(path, schemes[i], strlen(schemes[i])) == 0)
            return true;
    return false;
}

/* Opens f->meta.path: BGZF VCF, header, tabix/CSI index, frequency fields. On failure
 * f->problem says why (and err too); nothing stays open. */
static int file_open(struct source_file *f, struct gs_err *err)
{
    const char *path = f->meta.path;
    if (is_url(path)) {
        f->problem = "not a local file";
        return gs_err_set(err, GS_EINVAL, "%s: only local files are read (no URLs)", path);
    }
    f->fp = hts_open(path, "r");
    if (f->fp == NULL) {
        f->problem = "file cannot be opened";
        return gs_err_set(err, GS_EIO, "cannot open %s", path);
    }
    const htsFormat *fmt = hts_get_format(f->fp);
    if (fmt->format != vcf || fmt->compression != bgzf) {
        file_close(f);
        f->problem = "not a bgzip-compressed VCF";
        return gs_err_set(err, GS_EINVAL, "%s is not a bgzip-compressed VCF (compress with "
                          "bgzip, index with tabix -p vcf)", path);
    }
    if ((f->hdr = bcf_hdr_read(f->fp)) == NULL) {
        file_close(f);
        f->problem = "VCF header unreadable";
        return gs_err_set(err, GS_EINVAL, "%s: the VCF header cannot be read", path);
    }
    f->tbx = tbx_index_load3(path, NULL, HTS_IDX_SILENT_FAIL);
    if (f->tbx == NULL) {
        file_close(f);
        f->problem = "index missing";
        return gs_err_set(err, GS_EINVAL, "%s has no tabix index (.tbi or .csi): run tabix -p "
                          "vcf on it", path);
    }
    f->nfreq = 0;
    for (int i = 0; i < f->hdr->n[BCF_DT_ID] && f->nfreq < SOURCE_FREQ_MAX; i++) {
        const char *id = f->hdr->id[BCF_DT_ID][i].key;
        if (id == NULL || !bcf_hdr_idinfo_exists(f->hdr, BCF_HL_INFO, i) ||
            bcf_hdr_id2type(f->hdr, BCF_HL_INFO, i) != BCF_HT_REAL || !is_frequency_field(id) ||
            strlen(id) >= sizeof f->freq_fields[0])
            continue;
        snprintf(f->freq_fields[f->nfreq++], sizeof f->freq_fields[0], "%s", id);
    }
    f->problem = NULL;
    return GS_OK;
}

/* The value of a ##KEY=value header line, or "". */
static void header_value(const bcf_hdr_t *hdr, const char *key, char *out, size_t n)
{
    out[0] = '\0';
    for (int i = 0; i < hdr->nhrec; i++) {
        const bcf_hrec_t *h = hdr->hrec[i];
        if (h->type == BCF_HL_GEN && h->key && h->value && strcmp(h->key, key) == 0) {
            snprintf(out, n, "%s", h->value);
            return;
        }
    }
}

/* ---- registration ---- */

static int count_source(void *ctx, const struct store_variant_source *src)
{
    (void)src;
    (*(int *)ctx)++;
    return 0;
}

int sources_add(struct store *s, const struct actor *by, const char *name, const char *path,
                const char *kind, const char *assembly, time_t now, int64_t *id_out,
                struct gs_err *err)
{
    if (!parse_is_name(name))
        return gs_err_set(err, GS_EINVAL, "source name '%.64s' must be 1-64 letters, digits, "
                          "'-', '_' or '.'", name ? name : "");
    if (is_url(path))
        return gs_err_set(err, GS_EINVAL, "%.200s: only local files are read (no URLs)", path);
    int registered = 0;
    int rc = store_variant_sources_each(s, count_source, &registered, err);
    if (rc < 0)
        return rc;
    if (registered >= SOURCES_MAX)
        return gs_err_set(err, GS_EINVAL, "%d reference sources are registered already (the "
                          "most a look-up reads): remove one first", SOURCES_MAX);
    struct source_file f;
    memset(&f, 0, sizeof f);
    char real[PATH_MAX];
    struct stat st;
    if (realpath(path, real) == NULL || stat(real, &st) != 0)
        return gs_err_set(err, GS_EIO, "cannot read %.200s", path);
    if (!S_ISREG(st.st_mode))
        return gs_err_set(err, GS_EINVAL, "%.200s is not a regular file", path);
    if (strlen(real) >= sizeof f.meta.path)
        return gs_err_set(err, GS_EINVAL, "path too long: %.200s", path);
    snprintf(f.meta.path, sizeof f.meta.path, "%.1023s", real); /* length checked above */
    rc = file_open(&f, err);
    if (rc != GS_OK)
        return rc;
    char source[96], date[32];
    header_value(f.hdr, "source", source, sizeof source);
    header_value(f.hdr, "fileDate", date, sizeof date);
    file_close(&f);
    if (kind != NULL)
        rc = source_kind_parse(kind, &f.meta.kind, err);
    else if (strcasecmp(source, "ClinVar") == 0)
        f.meta.kind = SOURCE_CLINVAR;
    else if (strncasecmp(source, "dbSNP", 5) == 0)
        f.meta.kind = SOURCE_DBSNP;
    else
        f.meta.kind = SOURCE_FREQUENCY;
    if (rc != GS_OK)
        return rc;
    if (assembly == NULL || assembly[0] == '\0')
        assembly = "GRCh38";
    if (strcmp(assembly, "GRCh38") != 0 && strcmp(assembly, "GRCh37") != 0)
        return gs_err_set(err, GS_EINVAL, "unknown assembly '%.32s' (expected GRCh38 or GRCh37)",
                          assembly);
    snprintf(f.meta.name, sizeof f.meta.name, "%s", name);
    snprintf(f.meta.assembly, sizeof f.meta.assembly, "%s", assembly);
    snprintf(f.meta.description, sizeof f.meta.description, "%s%s%s",
             source[0] ? source : "VCF", date[0] ? ", " : "", date);
    f.meta.created_at = now;
    if ((rc = store_begin(s, err)) != GS_OK)
        return rc;
    int64_t id = 0;
    rc = store_variant_source_insert(s, &f.meta, &id, err);
    char object[96], detail[SOURCE_PATH_MAX + 64];
    snprintf(object, sizeof object, "source:%s", name);
    snprintf(detail, sizeof detail, "%s %.16s %.1023s", source_kind_name(f.meta.kind), assembly,
             f.meta.path);
    struct audit_event ev = {"source.add", object, detail};
    rc = audit_commit(s, rc, by, &ev, now, err);
    if (rc == GS_OK && id_out)
        *id_out = id;
    return rc;
}

int sources_remove(struct store *s, const struct actor *by, const char *name, time_t now,
                   struct gs_err *err)
{
    struct store_variant_source src;
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store_variant_source_by_name(s, name, &src, err)) == GS_OK)
        rc = store_variant_source_delete(s, src.id, err);
    char object[96];
    snprintf(object, sizeof object, "source:%.64s", name);
    struct audit_event ev = {"source.remove", object, rc == GS_OK ? src.path : ""};
    return audit_commit(s, rc, by, &ev, now, err);
}

/* ---- look-ups ---- */

struct sources {
    int n, cap;
    struct source_file *files; /* grown as the registry is read (at most SOURCES_MAX) */
    kstring_t line;
    bcf1_t *rec;
};

int sources_count(const struct sources *set)
{
    return set->n;
}

const struct store_variant_source *sources_at(const struct sources *set, int i)
{
    return i >= 0 && i < set->n ? &set->files[i].meta : NULL;
}

static int collect(void *ctx, const struct store_variant_source *src)
{
    struct sources *set = ctx;
    if (set->n >= SOURCES_MAX)
        return 1;
    if (set->n == set->cap) {
        int cap = set->cap ? set->cap * 2 : 4;
        struct source_file *p = realloc(set->files, (size_t)cap * sizeof *p);
        if (p == NULL)
            return 1; /* the sources read so far are used */
        set->files = p, set->cap = cap;
    }
    struct source_file *f = &set->files[set->n++];
    memset(f, 0, sizeof *f);
    f->meta = *src;
    return 0;
}

int sources_open(struct store *s, struct sources **out, struct gs_err *err)
{
    struct sources *set = calloc(1, sizeof *set);
    if (set == NULL || (set->rec = bcf_init()) == NULL) {
        free(set);
        return gs_err_set(err, GS_ENOMEM, "out of memory for reference sources");
    }
    int rc = store_variant_sources_each(s, collect, set, err);
    if (rc < 0) {
        sources_close(set);
        return rc;
    }
    for (int i = 0; i < set->n; i++) {
        struct gs_err ignored = {0};
        (void)file_open(&set->files[i], &ignored); /* a vanished file: reported per hit */
    }
    *out = set;
    return GS_OK;
}

void sources_close(struct sources *set)
{
    if (set == NULL)
        return;
    for (int i = 0; i < set->n; i++)
        file_close(&set->files[i]);
    free(set->files);
    if (set->rec)
        bcf_destroy(set->rec);
    free(set->line.s);
    free(set);
}

static bool is_allele(const char *a)
{
    size_t n = strlen(a);
    if (n == 0 || n >= SOURCE_ALLELE_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strchr("ACGTNacgtn", a[i]) == NULL)
            return false;
    return true;
}

int source_variant_check(const struct source_variant *v, struct gs_err *err)
{
    if (v->chrom == NULL || v->chrom[0] == '\0' || strlen(v->chrom) >= SOURCE_CHROM_MAX)
        return gs_err_set(err, GS_EINVAL, "chrom is required (1-31 characters)");
    for (const char *c = v->chrom; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '.')
            return gs_err_set(err, GS_EINVAL, "chrom '%.31s' has a character other than letters, "
                              "digits, '_' or '.'", v->chrom);
    if (v->pos < 1 || v->pos > INT32_MAX)
        return gs_err_set(err, GS_EINVAL, "pos must be between 1 and %d", INT32_MAX);
    if (v->ref == NULL || !is_allele(v->ref))
        return gs_err_set(err, GS_EINVAL, "ref must be 1-%d bases of A, C, G, T, N",
                          SOURCE_ALLELE_MAX - 1);
    if (v->alt == NULL || !is_allele(v->alt))
        return gs_err_set(err, GS_EINVAL, "alt must be 1-%d bases of A, C, G, T, N",
                          SOURCE_ALLELE_MAX - 1);
    if (v->assembly != NULL && v->assembly[0] != '\0' && strcmp(v->assembly, "GRCh38") != 0 &&
        strcmp(v->assembly, "GRCh37") != 0)
        return gs_err_set(err, GS_EINVAL, "unknown assembly '%.32s' (expected GRCh38 or GRCh37)",
                          v->assembly);
    return GS_OK;
}

int source_variant_parse(char *text, struct source_variant *v, struct gs_err *err)
{
    char *part[4], shown[72];
    char *p = text;
    snprintf(shown, sizeof shown, "%.64s", text);
    for (int i = 0; i < 4; i++) {
        part[i] = p;
        size_t n = strcspn(p, ":-");
        if (i < 3 && p[n] == '\0')
            return gs_err_set(err, GS_EINVAL, "variant '%.64s' must read CHROM-POS-REF-ALT, as "
                              "17-43045712-T-C", shown);
        if (i == 3 && p[n] != '\0')
            return gs_err_set(err, GS_EINVAL, "variant '%.64s' has more than four parts", shown);
        p[n] = '\0';
        p += n + 1;
    }
    v->chrom = part[0], v->ref = part[2], v->alt = part[3];
    struct gs_err inner = {0};
    if (parse_int64(part[1], 1, INT32_MAX, &v->pos, &inner) != GS_OK)
        return gs_err_set(err, GS_EINVAL, "variant position '%.32s' is not a number from 1",
                          part[1]);
    return source_variant_check(v, err);
}

/* The file's sequence id for chrom, trying the other naming style ("17" / "chr17",
 * "MT" / "chrM" / "M"); -1 when the file has no such sequence. */
static int resolve_tid(tbx_t *tbx, const char *chrom)
{
    int tid = tbx_name2id(tbx, chrom);
    if (tid >= 0)
        return tid;
    const char *bare = strncasecmp(chrom, "chr", 3) == 0 ? chrom + 3 : chrom;
    char name[SOURCE_CHROM_MAX + 8];
    bool mito = strcasecmp(bare, "M") == 0 || strcasecmp(bare, "MT") == 0;
    const char *const mito_names[] = {"MT", "chrM", "M", "chrMT"};
    for (int i = 0; mito && i < 4; i++)
        if ((tid = tbx_name2id(tbx, mito_names[i])) >= 0)
            return tid;
    if (mito)
        return -1;
    if ((tid = tbx_name2id(tbx, bare)) >= 0)
        return tid;
    snprintf(name, sizeof name, "chr%s", bare);
    return tbx_name2id(tbx, name);
}

/* INFO string field key into out with '_' read as ' ' (ClinVar's spelling of spaces). */
static void info_text(const bcf_hdr_t *hdr, bcf1_t *rec, const char *key, char *out, size_t n)
{
    out[0] = '\0';
    char *value = NULL;
    int len = 0;
    if (bcf_get_info_string(hdr, rec, key, &value, &len) > 0) {
        snprintf(out, n, "%s", value);
        for (char *c = out; *c; c++)
            if (*c == '_')
                *c = ' ';
    }
    free(value);
}

static void fill_hit(struct source_file *f, bcf1_t *rec, int alt_index, struct source_hit *h)
{
    h->found = true;
    const char *id = rec->d.id;
    if (id != NULL && strcmp(id, ".") != 0)
        snprintf(h->id, sizeof h->id, "%s", id);
    if (strncmp(h->id, "rs", 2) == 0) {
        snprintf(h->rsid, sizeof h->rsid, "%.*s", (int)strcspn(h->id, ";"), h->id);
    } else {
        int type = bcf_hdr_id2int(f->hdr, BCF_DT_ID, "RS");
        if (type >= 0 && bcf_hdr_id2type(f->hdr, BCF_HL_INFO, type) == BCF_HT_INT) {
            int32_t *v = NULL;
            int len = 0;
            if (bcf_get_info_int32(f->hdr, rec, "RS", &v, &len) > 0)
                snprintf(h->rsid, sizeof h->rsid, "rs%d", (int)v[0]);
            free(v);
        } else {
            char rs[24];
            info_text(f->hdr, rec, "RS", rs, sizeof rs);
            if (rs[0] != '\0')
                snprintf(h->rsid, sizeof h->rsid, "rs%.*s", (int)strcspn(rs, "|,"), rs);
        }
    }
    info_text(f->hdr, rec, "CLNSIG", h->significance, sizeof h->significance);
    info_text(f->hdr, rec, "CLNREVSTAT", h->review_status, sizeof h->review_status);
    info_text(f->hdr, rec, "CLNDN", h->conditions, sizeof h->conditions);
    info_text(f->hdr, rec, "GENEINFO", h->gene, sizeof h->gene);
    /* review status keeps its commas; CLNREVSTAT writes them as "_" after a comma too */
    h->nfreq = 0;
    for (int i = 0; i < f->nfreq; i++) {
        float *v = NULL;
        int len = 0;
        int got = bcf_get_info_float(f->hdr, rec, f->freq_fields[i], &v, &len);
        int at = got > alt_index - 1 ? alt_index - 1 : (got == 1 ? 0 : -1);
        if (got > 0 && at >= 0 && !bcf_float_is_missing(v[at]) && !bcf_float_is_vector_end(v[at])) {
            struct source_frequency *q = &h->freq[h->nfreq++];
            snprintf(q->field, sizeof q->field, "%s", f->freq_fields[i]);
            const char *fld = f->freq_fields[i];
            size_t fl = strlen(fld);
            if (strcmp(fld, "AF") == 0)
                snprintf(q->population, sizeof q->population, "ALL");
            else if (strncmp(fld, "AF_", 3) == 0)
                snprintf(q->population, sizeof q->population, "%s", fld + 3);
            else
                snprintf(q->population, sizeof q->population, "%.*s", (int)(fl - 3), fld);
            char shortest[32]; /* a float's digits, not its double expansion's */
            snprintf(shortest, sizeof shortest, "%.6g", (double)v[at]);
            q->af = strtod(shortest, NULL);
        }
        free(v);
    }
}

static int lookup_one(struct sources *set, struct source_file *f, const struct source_variant *v,
                      struct source_hit *h, struct gs_err *err)
{
    int tid = resolve_tid(f->tbx, v->chrom);
    if (tid < 0)
        return GS_OK;
    hts_itr_t *itr = tbx_itr_queryi(f->tbx, tid, (hts_pos_t)v->pos - 1, (hts_pos_t)v->pos);
    if (itr == NULL)
        return gs_err_set(err, GS_EIO, "%s: region query failed", f->meta.path);
    int rc = GS_OK, r = -1;
    while (!h->found && (r = tbx_itr_next(f->fp, f->tbx, itr, &set->line)) >= 0) {
        if (vcf_parse(&set->line, f->hdr, set->rec) < 0) {
            rc = gs_err_set(err, GS_EIO, "%s: a record near %s:%lld cannot be parsed",
                            f->meta.path, v->chrom, (long long)v->pos);
            break;
        }
        bcf1_t *rec = set->rec;
        if (rec->pos != v->pos - 1 || bcf_unpack(rec, BCF_UN_ALL) < 0 || rec->n_allele < 2 ||
            strcasecmp(rec->d.allele[0], v->ref) != 0)
            continue;
        for (int a = 1; a < rec->n_allele; a++)
            if (strcasecmp(rec->d.allele[a], v->alt) == 0) {
                fill_hit(f, rec, a, h);
                break;
            }
    }
    if (rc == GS_OK && !h->found && r < -1)
        rc = gs_err_set(err, GS_EIO, "%s: read error", f->meta.path);
    hts_itr_destroy(itr);
    return rc;
}

int sources_lookup(struct sources *set, const struct source_variant *v, struct source_hit *hits,
                   int max, int *n, struct gs_err *err)
{
    *n = 0;
    int rc = source_variant_check(v, err);
    if (rc != GS_OK)
        return rc;
    const char *assembly = v->assembly && v->assembly[0] ? v->assembly : "GRCh38";
    for (int i = 0; i < set->n && *n < max; i++) {
        struct source_file *f = &set->files[i];
        if (strcmp(f->meta.assembly, assembly) != 0)
            continue;
        struct source_hit *h = &hits[(*n)++];
        memset(h, 0, sizeof *h);
        h->source = &f->meta;
        h->available = f->tbx != NULL;
        h->problem = f->problem;
        if (h->available && (rc = lookup_one(set, f, v, h, err)) != GS_OK)
            return rc;
    }
    return GS_OK;
}

/* ---- JSON ---- */

static json_t *split_json(const char *text)
{
    json_t *a = json_array();
    while (text && *text) {
        size_t len = strcspn(text, "|");
        if (len > 0)
            json_array_append_new(a, json_stringn(text, len));
        text += len + (text[len] == '|');
    }
    return a;
}

json_t *source_hits_json(const struct source_hit *hits, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        const struct source_hit *h = &hits[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:b}", "source", h->source->name, "kind",
                              source_kind_name(h->source->kind), "assembly",
                              h->source->assembly, "available", h->available, "found", h->found);
        if (!h->available)
            json_object_set_new(o, "problem", json_string(h->problem ? h->problem : "unavailable"));
        if (h->found) {
            json_object_set_new(o, "id", json_string(h->id));
            json_object_set_new(o, "rsid", h->rsid[0] ? json_string(h->rsid) : json_null());
            if (h->significance[0] || h->review_status[0])
                json_object_set_new(
                    o, "clinvar",
                    json_pack("{s:s, s:s, s:o, s:s}", "significance", h->significance,
                              "reviewStatus", h->review_status, "conditions",
                              split_json(h->conditions), "gene", h->gene));
            json_t *freqs = json_array();
            for (int k = 0; k < h->nfreq; k++)
                json_array_append_new(freqs, json_pack("{s:s, s:s, s:f}", "field",
                                                       h->freq[k].field, "population",
                                                       h->freq[k].population, "af",
                                                       h->freq[k].af));
            json_object_set_new(o, "frequencies", freqs);
        }
        json_array_append_new(a, o);
    }
    return a;
}

json_t *source_json(const struct store_variant_source *src, bool show_path)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I}", "name", src->name, "kind",
                          source_kind_name(src->kind), "assembly", src->assembly, "description",
                          src->description, "createdAt", (json_int_t)src->created_at);
    if (show_path)
        json_object_set_new(o, "path", json_string(src->path));
    return o;
}
