/* search.c — variant search, the variant page, JSON and exports (see search.h). */
#include "variants/search.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "variants/normalize.h"
#include "variants/visibility.h"

/* ---- RefSeq accessions of the chromosomes (GRCh38 and GRCh37 versions) ---- */

static const struct {
    const char *chrom;
    int number;   /* NC_0000NN */
    int v38, v37; /* versions */
} refseq[] = {
    {"1", 1, 11, 10},  {"2", 2, 12, 11},  {"3", 3, 12, 11},  {"4", 4, 12, 11},
    {"5", 5, 10, 9},   {"6", 6, 12, 11},  {"7", 7, 14, 13},  {"8", 8, 11, 10},
    {"9", 9, 12, 11},  {"10", 10, 11, 10}, {"11", 11, 10, 9}, {"12", 12, 12, 11},
    {"13", 13, 11, 10}, {"14", 14, 9, 8},  {"15", 15, 10, 9}, {"16", 16, 10, 9},
    {"17", 17, 11, 10}, {"18", 18, 10, 9}, {"19", 19, 10, 9}, {"20", 20, 11, 10},
    {"21", 21, 9, 8},  {"22", 22, 11, 10}, {"X", 23, 11, 10}, {"Y", 24, 10, 9},
};

void variant_hgvs(const struct store_variant *v, char *out, size_t size)
{
    char acc[32] = "";
    bool b37 = strcmp(v->assembly, "GRCh37") == 0;
    for (size_t i = 0; i < sizeof refseq / sizeof refseq[0]; i++)
        if (strcmp(refseq[i].chrom, v->chrom) == 0)
            snprintf(acc, sizeof acc, "NC_%06d.%d", refseq[i].number,
                     b37 ? refseq[i].v37 : refseq[i].v38);
    if (strcmp(v->chrom, "MT") == 0)
        snprintf(acc, sizeof acc, "NC_012920.1");
    if (acc[0] == '\0')
        snprintf(acc, sizeof acc, "%.24s", v->chrom);
    size_t nr = strlen(v->ref), na = strlen(v->alt);
    if (nr == 1 && na == 1 && v->alt[0] != '.' && v->alt[0] != '*')
        snprintf(out, size, "%s:g.%lld%s>%s", acc, (long long)v->pos, v->ref, v->alt);
    else if (na == 1 && nr > 1 && v->ref[0] == v->alt[0]) { /* deletion after an anchor */
        if (nr == 2)
            snprintf(out, size, "%s:g.%llddel", acc, (long long)v->pos + 1);
        else
            snprintf(out, size, "%s:g.%lld_%llddel", acc, (long long)v->pos + 1,
                     (long long)(v->pos + (int64_t)nr - 1));
    } else if (nr == 1 && na > 1 && v->ref[0] == v->alt[0] && na < 200)
        snprintf(out, size, "%s:g.%lld_%lldins%s", acc, (long long)v->pos,
                 (long long)v->pos + 1, v->alt + 1);
    else if (na < 200)
        snprintf(out, size, "%s:g.%lld_%llddelins%s", acc, (long long)v->pos,
                 (long long)(v->pos + (int64_t)nr - 1), v->alt);
    else
        snprintf(out, size, "%s:g.%lld_%llddelins(%zu)", acc, (long long)v->pos,
                 (long long)(v->pos + (int64_t)nr - 1), na);
}

/* ---- query parsing ---- */

static int parse_position(const char *text, size_t n, int64_t *out)
{
    char buf[32];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == ',')
            continue; /* 43,044,295 */
        if (!isdigit((unsigned char)text[i]) || k + 1 >= sizeof buf)
            return GS_EINVAL;
        buf[k++] = text[i];
    }
    buf[k] = '\0';
    if (k == 0)
        return GS_EINVAL;
    errno = 0;
    long long v = strtoll(buf, NULL, 10);
    if (errno || v < 1 || v > 4000000000LL)
        return GS_EINVAL;
    *out = v;
    return GS_OK;
}

/* "chr17:43044295-43125483", "17:43044295", "X". */
static int parse_region(const char *text, char *chrom, size_t csize, int64_t *start,
                        int64_t *end, struct gs_err *err)
{
    const char *colon = strchr(text, ':');
    char name[VARIANT_CHROM_MAX];
    size_t n = colon ? (size_t)(colon - text) : strlen(text);
    if (n == 0 || n >= sizeof name)
        return gs_err_set(err, GS_EINVAL, "region '%.60s' is not CHROM[:START[-END]]", text);
    memcpy(name, text, n);
    name[n] = '\0';
    if (chrom_normalize(name, chrom, csize, err) != GS_OK)
        return GS_EINVAL;
    *start = 0;
    *end = 0;
    if (colon == NULL)
        return GS_OK;
    const char *dash = strchr(colon + 1, '-');
    size_t n1 = dash ? (size_t)(dash - colon - 1) : strlen(colon + 1);
    if (parse_position(colon + 1, n1, start) != GS_OK ||
        (dash && parse_position(dash + 1, strlen(dash + 1), end) != GS_OK) ||
        (dash && *end < *start))
        return gs_err_set(err, GS_EINVAL, "region '%.60s' is not CHROM[:START[-END]] with "
                          "1-based START <= END", text);
    if (!dash)
        *end = *start;
    return GS_OK;
}

/* What a query resolved to. */
struct resolved {
    char assembly[VARIANT_ASSEMBLY_MAX];
    char chrom[VARIANT_CHROM_MAX];
    char ref[256], alt[256];
    char rsid[VARIANT_ID_MAX];
    char fts[512];
    char classification[VARIANT_TERM_MAX * 2];
    char area[24];
    bool has_review;
    enum review_status review;
    struct store_variant_filter f;
};

/* HGVS genomic: "NC_000017.11:g.43045712T>C", "chr17:g.43045712T>C", "17:g.1_2del". */
static int parse_hgvs(const char *text, struct resolved *r, bool assembly_given,
                      struct gs_err *err)
{
    const char *g = strstr(text, ":g.");
    if (g == NULL)
        return gs_err_set(err, GS_EINVAL, "HGVS '%.60s' is not a genomic expression "
                          "(ACCESSION:g.…)", text);
    char acc[48];
    size_t n = (size_t)(g - text);
    if (n == 0 || n >= sizeof acc)
        return gs_err_set(err, GS_EINVAL, "HGVS '%.60s' has no sequence name", text);
    memcpy(acc, text, n);
    acc[n] = '\0';
    if (strncasecmp(acc, "NC_", 3) == 0) {
        int number = 0, version = 0;
        if (sscanf(acc + 3, "%d.%d", &number, &version) != 2)
            return gs_err_set(err, GS_EINVAL, "HGVS accession '%s' is not NC_NNNNNN.V", acc);
        bool found = false;
        if (number == 12920) {
            snprintf(r->chrom, sizeof r->chrom, "MT");
            found = true;
        }
        for (size_t i = 0; !found && i < sizeof refseq / sizeof refseq[0]; i++) {
            if (refseq[i].number != number)
                continue;
            const char *as = version == refseq[i].v38 ? "GRCh38"
                             : version == refseq[i].v37 ? "GRCh37" : NULL;
            if (as == NULL)
                return gs_err_set(err, GS_EINVAL, "HGVS accession %s: version %d is neither "
                                  "GRCh38's (%d) nor GRCh37's (%d)", acc, version,
                                  refseq[i].v38, refseq[i].v37);
            if (assembly_given && strcmp(as, r->assembly) != 0)
                return gs_err_set(err, GS_EINVAL, "HGVS accession %s is %s, the query asks for %s",
                                  acc, as, r->assembly);
            snprintf(r->assembly, sizeof r->assembly, "%s", as);
            snprintf(r->chrom, sizeof r->chrom, "%s", refseq[i].chrom);
            found = true;
        }
        if (!found)
            return gs_err_set(err, GS_EINVAL, "HGVS accession %s is not a GRCh37/38 chromosome",
                              acc);
    } else if (chrom_normalize(acc, r->chrom, sizeof r->chrom, err) != GS_OK) {
        return GS_EINVAL;
    }
    const char *p = g + 3;
    size_t d1 = strspn(p, "0123456789");
    int64_t start, end;
    if (d1 == 0 || parse_position(p, d1, &start) != GS_OK)
        return gs_err_set(err, GS_EINVAL, "HGVS '%.60s' has no position after g.", text);
    p += d1;
    end = start;
    if (*p == '_') {
        size_t d2 = strspn(p + 1, "0123456789");
        if (d2 == 0 || parse_position(p + 1, d2, &end) != GS_OK || end < start)
            return gs_err_set(err, GS_EINVAL, "HGVS '%.60s' has a bad range", text);
        p += 1 + d2;
    }
    if (isalpha((unsigned char)p[0]) && p[1] == '>' && start == end) {
        /* a substitution: exactly this allele */
        if (!strchr("ACGTacgt", p[0]) || !strchr("ACGTacgt", p[2] ? p[2] : 'x') || p[3] != '\0')
            return gs_err_set(err, GS_EINVAL, "HGVS substitution '%.60s' is not N>N", text);
        r->ref[0] = (char)toupper((unsigned char)p[0]);
        r->ref[1] = '\0';
        r->alt[0] = (char)toupper((unsigned char)p[2]);
        r->alt[1] = '\0';
        r->f.ref = r->ref;
        r->f.alt = r->alt;
    } else if (strncmp(p, "del", 3) != 0 && strncmp(p, "dup", 3) != 0 &&
               strncmp(p, "ins", 3) != 0 && strncmp(p, "inv", 3) != 0 && *p != '=') {
        return gs_err_set(err, GS_EINVAL, "HGVS '%.60s': only substitutions (N>N) and del, dup, "
                          "ins, delins, inv ranges are understood", text);
    } else if (strncmp(p, "del", 3) == 0 || strncmp(p, "dup", 3) == 0) {
        /* VCF puts the anchor base before a deletion/duplication */
        start = start > 1 ? start - 1 : start;
    }
    r->f.chrom = r->chrom;
    r->f.start = start;
    r->f.end = end;
    return GS_OK;
}

/* Words of text as an FTS5 query: each word quoted, prefix-matched, all required. */
static int fts_query(const char *text, char *out, size_t size, struct gs_err *err)
{
    size_t len = 0;
    const char *p = text;
    while (*p) {
        while (*p && !isalnum((unsigned char)*p) && (unsigned char)*p < 0x80)
            p++;
        const char *w = p;
        while (*p && (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80))
            p++;
        if (p == w)
            continue;
        int n = snprintf(out + len, size - len, "%s\"%.*s\"*", len ? " " : "", (int)(p - w), w);
        if (n < 0 || (size_t)n >= size - len)
            return gs_err_set(err, GS_EINVAL, "condition text too long");
        len += (size_t)n;
    }
    if (len == 0)
        return gs_err_set(err, GS_EINVAL, "condition '%.60s' has no word to search", text);
    return GS_OK;
}

static int resolve(struct store *s, const struct principal *who, const struct variant_query *q,
                   time_t now, struct resolved *r, struct gs_err *err)
{
    memset(r, 0, sizeof *r);
    int rc;
    const char *assembly = q->assembly && q->assembly[0] ? q->assembly : "GRCh38";
    if (strcmp(assembly, "GRCh38") != 0 && strcmp(assembly, "GRCh37") != 0)
        return gs_err_set(err, GS_EINVAL, "unknown assembly '%.20s' (expected GRCh38 or GRCh37)",
                          assembly);
    snprintf(r->assembly, sizeof r->assembly, "%s", assembly);
    int locations = (q->region && q->region[0]) + (q->chrom && q->chrom[0]) +
                    (q->gene && q->gene[0]) + (q->hgvs && q->hgvs[0]);
    if (locations > 1)
        return gs_err_set(err, GS_EINVAL, "give one location: region, chrom, gene or hgvs");
    if (q->region && q->region[0]) {
        int64_t start, end;
        if ((rc = parse_region(q->region, r->chrom, sizeof r->chrom, &start, &end, err)) != GS_OK)
            return rc;
        r->f.chrom = r->chrom;
        r->f.start = start;
        r->f.end = end;
    } else if (q->chrom && q->chrom[0]) {
        if (chrom_normalize(q->chrom, r->chrom, sizeof r->chrom, err) != GS_OK)
            return GS_EINVAL;
        r->f.chrom = r->chrom;
        r->f.start = q->start;
        r->f.end = q->end > 0 ? q->end : q->start;
        if (q->start < 0 || (q->end > 0 && q->end < q->start))
            return gs_err_set(err, GS_EINVAL, "start and end must be 1-based with start <= end");
        if (q->ref || q->alt) {
            if (!q->ref || !q->alt || q->start < 1 || strlen(q->ref) >= sizeof r->ref ||
                strlen(q->alt) >= sizeof r->alt)
                return gs_err_set(err, GS_EINVAL, "an allele query needs chrom, start, ref and "
                                  "alt (alleles up to %zu bases)", sizeof r->ref - 1);
            for (size_t i = 0; q->ref[i]; i++)
                r->ref[i] = (char)toupper((unsigned char)q->ref[i]);
            for (size_t i = 0; q->alt[i]; i++)
                r->alt[i] = (char)toupper((unsigned char)q->alt[i]);
            r->f.ref = r->ref;
            r->f.alt = r->alt;
            r->f.end = q->start;
        }
    } else if (q->gene && q->gene[0]) {
        struct store_gene_location g;
        if ((rc = store_gene_location_lookup(s, r->assembly, q->gene, &g, err)) != GS_OK)
            return rc;
        snprintf(r->chrom, sizeof r->chrom, "%s", g.chrom);
        r->f.chrom = r->chrom;
        r->f.start = g.start;
        r->f.end = g.end;
    } else if (q->hgvs && q->hgvs[0]) {
        if ((rc = parse_hgvs(q->hgvs, r, q->assembly && q->assembly[0], err)) != GS_OK)
            return rc;
    }
    r->f.assembly = r->assembly;
    int others = 0;
    if (q->rsid && q->rsid[0]) {
        const char *d = strncasecmp(q->rsid, "rs", 2) == 0 ? q->rsid + 2 : q->rsid;
        if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(d) > 15)
            return gs_err_set(err, GS_EINVAL, "rsid '%.30s' is not rs and digits", q->rsid);
        snprintf(r->rsid, sizeof r->rsid, "rs%s", d);
        r->f.rsid = r->rsid;
        others++;
    }
    if (q->condition && q->condition[0]) {
        if ((rc = fts_query(q->condition, r->fts, sizeof r->fts, err)) != GS_OK)
            return rc;
        r->f.condition = r->fts;
        others++;
    }
    if (q->classification && q->classification[0]) {
        if ((rc = classification_parse(q->classification, r->classification,
                                       sizeof r->classification, err)) != GS_OK)
            return rc;
        others++;
    }
    if (q->disease_area && q->disease_area[0]) {
        static const char *const areas[] = {"cancer", "rare", "infectious", "dementia", "other"};
        for (size_t i = 0; i < 5; i++)
            if (strcasecmp(q->disease_area, areas[i]) == 0)
                snprintf(r->area, sizeof r->area, "%s", areas[i]);
        if (r->area[0] == '\0')
            return gs_err_set(err, GS_EINVAL, "unknown disease area '%.30s' (expected cancer, "
                              "rare, infectious, dementia or other)", q->disease_area);
        r->f.disease_area = r->area;
        others++;
    }
    if (q->review_status && q->review_status[0]) {
        if ((rc = review_status_parse(q->review_status, &r->review, err)) != GS_OK)
            return rc;
        r->has_review = true;
        others++;
    }
    if (q->dataset && q->dataset[0]) {
        struct store_dataset d;
        struct access_decision dec = {false, ""};
        struct gs_err e = {0};
        if (store_dataset_by_name(s, q->dataset, &d, &e) != GS_OK ||
            access_check_read(s, who, &d, 0, SCOPE_INTERNATIONAL, now, &dec, &e) != GS_OK ||
            !dec.allowed)
            return gs_err_set(err, GS_ENOTFOUND, "no dataset named '%.64s'", q->dataset);
        r->f.dataset_id = d.id;
        others++;
    }
    if (locations == 0 && others == 0)
        return gs_err_set(err, GS_EINVAL, "a search needs at least one of region, gene, rsid, "
                          "hgvs, condition, classification, disease area, review status or "
                          "dataset");
    return GS_OK;
}

/* Whether term (canonical, one term) is one of the '/'- or "; "-separated parts of value. */
static bool has_term(const char *value, const char *term)
{
    size_t n = strlen(term);
    for (const char *p = value; (p = strstr(p, term)) != NULL; p++) {
        bool left = p == value || p[-1] == '/' || (p - value >= 2 && p[-1] == ' ' && p[-2] == ';');
        bool right = p[n] == '\0' || p[n] == '/' || p[n] == ';';
        if (left && right)
            return true;
    }
    return false;
}

/* ---- the walk ---- */

struct sub_list {
    int n, cap;
    struct store_variant_submission *items;
};

static int collect_sub(void *ctx, const struct store_variant_submission *sub)
{
    struct sub_list *l = ctx;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        struct store_variant_submission *p = realloc(l->items, (size_t)cap * sizeof *p);
        if (p == NULL)
            return GS_ENOMEM;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->n++] = *sub;
    return GS_OK;
}

/* The visible submissions of variant id (of one dataset when dataset_id), into l. */
static int visible_subs(struct visibility *vis, int64_t variant_id, int64_t dataset_id,
                        struct sub_list *l, struct gs_err *err)
{
    l->n = 0;
    int rc = store_variant_submission_each(vis->s, variant_id, collect_sub, l, err);
    if (rc == GS_ENOMEM)
        return gs_err_set(err, rc, "out of memory");
    if (rc != GS_OK)
        return rc;
    int kept = 0;
    for (int i = 0; i < l->n; i++) {
        bool seen = false;
        if (dataset_id && l->items[i].dataset_id != dataset_id)
            continue;
        if ((rc = visibility_submission(vis, l->items[i].dataset_id, l->items[i].institution_id,
                                        l->items[i].state, false, &seen, err)) != GS_OK)
            return rc;
        if (seen)
            l->items[kept++] = l->items[i];
    }
    l->n = kept;
    return GS_OK;
}

/* One aggregation input; a review status that does not parse counts as none. */
static void input_fill(struct aggregate_input *in, const char *submitter, const char *cls,
                       const char *review, const char *date)
{
    struct gs_err ignored = {0};
    if (review_status_parse(review, &in->review, &ignored) != GS_OK)
        in->review = REVIEW_NO_CLASSIFICATION;
    in->submitter = submitter;
    in->classification = cls;
    in->date = date;
}

/* Beyond AGG_INPUTS submissions the newest count (a variant rarely has so many). */
#define AGG_INPUTS 64

static void aggregate_subs(const struct store_variant_submission *subs, int n,
                           struct aggregate *out)
{
    struct aggregate_input in[AGG_INPUTS];
    int k = 0;
    for (int i = n > AGG_INPUTS ? n - AGG_INPUTS : 0; i < n; i++, k++)
        input_fill(&in[k], subs[i].submitter, subs[i].classification, subs[i].review_status,
                   subs[i].submitted_on);
    aggregate_compute(in, k, out);
    out->submissions = n;
}

/* The visible submissions of one variant in brief (the walk's list). */
struct brief_list {
    int n, cap;
    struct store_variant_submission_brief *items;
};

static int collect_brief(void *ctx, const struct store_variant_submission_brief *b)
{
    struct brief_list *l = ctx;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 8;
        struct store_variant_submission_brief *p = realloc(l->items, (size_t)cap * sizeof *p);
        if (p == NULL)
            return GS_ENOMEM;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->n++] = *b;
    return GS_OK;
}

static int visible_briefs(struct visibility *vis, int64_t variant_id, int64_t dataset_id,
                          struct brief_list *l, struct gs_err *err)
{
    l->n = 0;
    int rc = store_variant_submission_brief_each(vis->s, variant_id, collect_brief, l, err);
    if (rc == GS_ENOMEM)
        return gs_err_set(err, rc, "out of memory");
    int kept = 0;
    for (int i = 0; rc == GS_OK && i < l->n; i++) {
        bool seen = false;
        const struct store_variant_submission_brief *b = &l->items[i];
        if (dataset_id && b->dataset_id != dataset_id)
            continue;
        rc = visibility_submission(vis, b->dataset_id, b->institution_id, b->state, false, &seen,
                                   err);
        if (rc == GS_OK && seen)
            l->items[kept++] = *b;
    }
    l->n = kept;
    return rc;
}

static void aggregate_briefs(const struct store_variant_submission_brief *subs, int n,
                             struct aggregate *out)
{
    struct aggregate_input in[AGG_INPUTS];
    int k = 0;
    for (int i = n > AGG_INPUTS ? n - AGG_INPUTS : 0; i < n; i++, k++)
        input_fill(&in[k], subs[i].submitter, subs[i].classification, subs[i].review_status,
                   subs[i].submitted_on);
    aggregate_compute(in, k, out);
    out->submissions = n;
}

struct walk {
    struct visibility vis;
    const struct resolved *r;
    struct brief_list subs;
    char condition_ids[VARIANT_TEXT_MAX];
    variant_hit_fn fn;
    void *ctx;
    int64_t total;
    struct variant_hit hit;
    struct gs_err *err;
    /* per-dataset counts */
    int ncounts, capcounts;
    struct variant_dataset_count *counts;
};

static int count_dataset(struct walk *w, const struct store_dataset *d)
{
    for (int i = 0; i < w->ncounts; i++)
        if (w->counts[i].dataset_id == d->id) {
            w->counts[i].variants++;
            return GS_OK;
        }
    if (w->ncounts == w->capcounts) {
        int cap = w->capcounts ? w->capcounts * 2 : 4;
        struct variant_dataset_count *p = realloc(w->counts, (size_t)cap * sizeof *p);
        if (p == NULL)
            return gs_err_set(w->err, GS_ENOMEM, "out of memory");
        w->counts = p;
        w->capcounts = cap;
    }
    struct variant_dataset_count *c = &w->counts[w->ncounts++];
    c->dataset_id = d->id;
    snprintf(c->name, sizeof c->name, "%s", d->name);
    c->tier = d->tier;
    c->variants = 1;
    return GS_OK;
}

static int walk_variant(void *ctx, const struct store_variant *v)
{
    struct walk *w = ctx;
    int rc = visible_briefs(&w->vis, v->id, w->r->f.dataset_id, &w->subs, w->err);
    if (rc != GS_OK || w->subs.n == 0)
        return rc;
    const struct resolved *r = w->r;
    if (r->classification[0] || r->area[0]) {
        bool ok_class = !r->classification[0], ok_area = !r->area[0];
        for (int i = 0; i < w->subs.n; i++) {
            ok_class |= r->classification[0] && has_term(w->subs.items[i].classification,
                                                         r->classification);
            ok_area |= r->area[0] && strcmp(w->subs.items[i].disease_area, r->area) == 0;
        }
        if (!ok_class || !ok_area)
            return GS_OK;
    }
    struct variant_hit *h = &w->hit; /* large: its fields are set, not the whole cleared */
    aggregate_briefs(w->subs.items, w->subs.n, &h->agg);
    if (r->has_review && h->agg.review != r->review)
        return GS_OK;
    h->v = *v;
    h->nsubmissions = w->subs.n;
    h->ndatasets = 0;
    if ((rc = store_variant_condition_get(w->vis.s, w->subs.items[w->subs.n - 1].condition_id,
                                          w->condition_ids, h->first_condition, w->err)) != GS_OK)
        return rc;
    for (int i = 0; i < w->subs.n; i++) {
        struct visibility_dataset *e;
        if ((rc = visibility_dataset(&w->vis, w->subs.items[i].dataset_id, &e, w->err)) != GS_OK)
            return rc;
        e->shown = true;
        bool dup = false;
        for (int j = 0; j < h->ndatasets && !dup; j++)
            dup = h->datasets[j] == e->d.id;
        if (dup)
            continue;
        if (h->ndatasets < VARIANT_HIT_DATASETS_MAX)
            h->datasets[h->ndatasets++] = e->d.id;
        if ((rc = count_dataset(w, &e->d)) != GS_OK)
            return rc;
    }
    w->total++;
    return w->fn ? w->fn(w->ctx, h) : GS_OK;
}

static int walk_run(struct store *s, const struct principal *who, const struct actor *by,
                    const struct variant_query *q, time_t now, struct walk *w,
                    struct gs_err *err)
{
    struct resolved r;
    int rc = resolve(s, who, q, now, &r, err);
    if (rc != GS_OK)
        return rc;
    visibility_init(&w->vis, s, who, now, false);
    w->r = &r;
    w->err = err;
    rc = store_variant_each(s, &r.f, walk_variant, w, err);
    if (rc != GS_OK && err->code == 0)
        gs_err_set(err, rc, "variant search stopped");
    if (rc == GS_OK)
        rc = visibility_audit(&w->vis, by, "variants", err);
    visibility_free(&w->vis);
    free(w->subs.items);
    w->subs.items = NULL;
    w->r = NULL;
    return rc;
}

/* ---- search ---- */

void variant_results_free(struct variant_results *r)
{
    for (int i = 0; i < r->nhits; i++)
        store_variant_clear(&r->hits[i].v);
    free(r->hits);
    free(r->datasets);
    memset(r, 0, sizeof *r);
}

struct page {
    struct variant_results *out;
    int64_t offset;
    int limit;
    int64_t seen;
    struct gs_err *err;
};

/* Keeps the hit when it is on the page (copying its alleles, which the walk only lends). */
static int page_hit(void *ctx, const struct variant_hit *h)
{
    struct page *p = ctx;
    int64_t i = p->seen++;
    if (i < p->offset || i >= p->offset + p->limit)
        return GS_OK;
    struct variant_results *out = p->out;
    if (out->hits == NULL && (out->hits = calloc((size_t)p->limit, sizeof *out->hits)) == NULL)
        return gs_err_set(p->err, GS_ENOMEM, "out of memory");
    struct variant_hit *dst = &out->hits[out->nhits];
    *dst = *h;
    size_t nr = strlen(h->v.ref), na = strlen(h->v.alt);
    if ((dst->v.alleles = malloc(nr + na + 2)) == NULL)
        return gs_err_set(p->err, GS_ENOMEM, "out of memory");
    memcpy(dst->v.alleles, h->v.ref, nr + 1);
    memcpy(dst->v.alleles + nr + 1, h->v.alt, na + 1);
    dst->v.ref = dst->v.alleles;
    dst->v.alt = dst->v.alleles + nr + 1;
    out->nhits++;
    return GS_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct variant_dataset_count *)a)->name,
                  ((const struct variant_dataset_count *)b)->name);
}

int variant_search(struct store *s, const struct principal *who, const struct actor *by,
                   const struct variant_query *q, time_t now, struct variant_results *out,
                   struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    int limit = q->limit == 0 ? VARIANT_LIMIT_DEFAULT : q->limit;
    if (limit < 1 || limit > VARIANT_LIMIT_MAX)
        return gs_err_set(err, GS_EINVAL, "limit must be 1..%d", VARIANT_LIMIT_MAX);
    if (q->offset < 0)
        return gs_err_set(err, GS_EINVAL, "offset must not be negative");
    struct page p = {out, q->offset, limit, 0, err};
    struct walk w = {0};
    w.fn = page_hit;
    w.ctx = &p;
    int rc = walk_run(s, who, by, q, now, &w, err);
    out->total = w.total;
    out->offset = q->offset;
    out->datasets = w.counts;
    out->ndatasets = w.ncounts;
    if (out->ndatasets > 1)
        qsort(out->datasets, (size_t)out->ndatasets, sizeof *out->datasets, by_name);
    return rc;
}

int variant_search_each(struct store *s, const struct principal *who, const struct actor *by,
                        const struct variant_query *q, time_t now, variant_hit_fn fn, void *ctx,
                        int64_t *total, struct gs_err *err)
{
    struct walk w = {0};
    w.fn = fn;
    w.ctx = ctx;
    int rc = walk_run(s, who, by, q, now, &w, err);
    free(w.counts);
    if (total)
        *total = w.total;
    return rc;
}

struct datasets_walk {
    struct store *s;
    const struct principal *who;
    time_t now;
    variant_dataset_fn fn;
    void *ctx;
    struct gs_err *err;
};

static int dataset_visit(void *ctx, const struct store_dataset *d)
{
    struct datasets_walk *w = ctx;
    if (d->data_type != DATA_VARIANTS && d->data_type != DATA_SOMATIC_MUTATIONS)
        return GS_OK;
    struct access_decision dec = {false, ""};
    int rc = access_check_read(w->s, w->who, d, 0, SCOPE_INTERNATIONAL, w->now, &dec, w->err);
    if (rc != GS_OK)
        return rc;
    return dec.allowed ? w->fn(w->ctx, d) : GS_OK;
}

int variant_visible_datasets(struct store *s, const struct principal *who, time_t now,
                             variant_dataset_fn fn, void *ctx, struct gs_err *err)
{
    struct datasets_walk w = {s, who, now, fn, ctx, err};
    return store_dataset_each(s, dataset_visit, &w, err);
}

/* ---- one variant ---- */

void variant_detail_free(struct variant_detail *d)
{
    store_variant_clear(&d->v);
    free(d->submissions);
    free(d->conditions);
    memset(d, 0, sizeof *d);
}

int variant_get(struct store *s, const struct principal *who, const struct actor *by, int64_t id,
                time_t now, struct variant_detail *out, struct gs_err *err)
{
    memset(out, 0, sizeof *out);
    struct gs_err e = {0};
    int rc = store_variant_get(s, id, &out->v, &e);
    if (rc == GS_ENOTFOUND)
        return gs_err_set(err, rc, "no variant with id %lld", (long long)id);
    if (rc != GS_OK)
        return gs_err_set(err, rc, "%s", e.msg);
    struct visibility vis;
    visibility_init(&vis, s, who, now, false);
    struct sub_list l = {0};
    rc = visible_subs(&vis, id, 0, &l, err);
    if (rc == GS_OK && l.n == 0)
        rc = gs_err_set(err, GS_ENOTFOUND, "no variant with id %lld", (long long)id);
    if (rc == GS_OK && ((out->submissions = calloc((size_t)l.n, sizeof *out->submissions)) ==
                            NULL ||
                        (out->conditions = calloc((size_t)l.n, sizeof *out->conditions)) == NULL))
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    for (int i = 0; rc == GS_OK && i < l.n; i++) {
        struct variant_submission_view *sv = &out->submissions[out->nsubmissions++];
        sv->sub = l.items[i];
        struct visibility_dataset *vd;
        struct store_institution inst;
        if ((rc = visibility_dataset(&vis, l.items[i].dataset_id, &vd, err)) != GS_OK)
            break;
        vd->shown = true;
        snprintf(sv->dataset, sizeof sv->dataset, "%s", vd->d.name);
        if ((rc = store_institution_get(s, l.items[i].institution_id, &inst, err)) != GS_OK)
            break;
        snprintf(sv->institution, sizeof sv->institution, "%s", inst.name);
    }
    if (rc == GS_OK) {
        aggregate_subs(l.items, l.n, &out->agg);
        /* per condition: the submissions sharing a key, in first-seen order */
        struct store_variant_submission *group = malloc((size_t)l.n * sizeof *group);
        if (group == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
        for (int i = 0; rc == GS_OK && i < l.n; i++) {
            bool done = false;
            for (int j = 0; j < out->nconditions && !done; j++)
                done = strcmp(out->conditions[j].key, l.items[i].condition_key) == 0;
            if (done)
                continue;
            int k = 0;
            for (int j = i; j < l.n; j++)
                if (strcmp(l.items[j].condition_key, l.items[i].condition_key) == 0)
                    group[k++] = l.items[j];
            struct variant_condition_view *c = &out->conditions[out->nconditions++];
            snprintf(c->key, sizeof c->key, "%s", l.items[i].condition_key);
            snprintf(c->ids, sizeof c->ids, "%s", l.items[i].condition_ids);
            snprintf(c->name, sizeof c->name, "%s", l.items[i].condition_name);
            aggregate_subs(group, k, &c->agg);
        }
        free(group);
    }
    if (rc == GS_OK)
        rc = visibility_audit(&vis, by, "variant", err);
    free(l.items);
    visibility_free(&vis);
    return rc;
}

/* ---- JSON ---- */

static json_t *aggregate_json(const struct aggregate *a)
{
    json_t *conflicts = json_array();
    for (int i = 0; i < a->nconflicts; i++)
        json_array_append_new(conflicts, json_pack("{s:s, s:s}", "submitter",
                                                   a->conflicts[i].submitter, "classification",
                                                   a->conflicts[i].classification));
    return json_pack("{s:s, s:s, s:i, s:i, s:o}", "classification", a->classification,
                     "review_status", review_status_name(a->review), "stars", a->stars,
                     "submissions", a->submissions, "conflicts", conflicts);
}

static json_t *variant_json(const struct store_variant *v)
{
    char hgvs[512];
    variant_hgvs(v, hgvs, sizeof hgvs);
    return json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s, s:s?, s:s?, s:s}", "id",
                     (json_int_t)v->id, "assembly", v->assembly, "chrom", v->chrom, "pos",
                     (json_int_t)v->pos, "end", (json_int_t)v->end, "ref", v->ref, "alt",
                     v->alt, "rsid", v->rsid[0] ? v->rsid : NULL, "gene",
                     v->gene[0] ? v->gene : NULL, "hgvs", hgvs);
}

json_t *variant_hit_json(struct store *s, const struct variant_hit *h)
{
    json_t *doc = variant_json(&h->v);
    if (doc == NULL)
        return NULL;
    json_t *names = json_array();
    for (int i = 0; i < h->ndatasets; i++) {
        struct store_dataset d;
        struct gs_err ignored = {0};
        if (store_dataset_get(s, h->datasets[i], &d, &ignored) == GS_OK)
            json_array_append_new(names, json_string(d.name));
    }
    json_object_set_new(doc, "aggregate", aggregate_json(&h->agg));
    json_object_set_new(doc, "submissions", json_integer(h->nsubmissions));
    json_object_set_new(doc, "datasets", names);
    json_object_set_new(doc, "condition", json_string(h->first_condition));
    return doc;
}

static json_t *ids_json(const char *ids)
{
    json_t *a = json_array();
    char buf[VARIANT_TEXT_MAX];
    snprintf(buf, sizeof buf, "%s", ids);
    char *save = NULL;
    for (char *t = strtok_r(buf, "|,", &save); t; t = strtok_r(NULL, "|,", &save))
        json_array_append_new(a, json_string(t));
    return a;
}

json_t *variant_detail_json(const struct variant_detail *d)
{
    json_t *doc = variant_json(&d->v);
    if (doc == NULL)
        return NULL;
    json_t *subs = json_array(), *conds = json_array(), *names = json_array();
    for (int i = 0; i < d->nsubmissions; i++) {
        const struct variant_submission_view *sv = &d->submissions[i];
        const struct store_variant_submission *x = &sv->sub;
        bool dup = false;
        for (int j = 0; j < i && !dup; j++)
            dup = strcmp(d->submissions[j].dataset, sv->dataset) == 0;
        if (!dup)
            json_array_append_new(names, json_string(sv->dataset));
        json_array_append_new(
            subs, json_pack("{s:I, s:s, s:s, s:s, s:{s:o, s:s}, s:s, s:s, s:s, s:s, s:s, s:s, "
                            "s:s, s:s, s:s, s:s, s:s, s:i}",
                            "id", (json_int_t)x->id, "dataset", sv->dataset, "institution",
                            sv->institution, "submitter", x->submitter, "condition", "ids",
                            ids_json(x->condition_ids), "name", x->condition_name,
                            "classification", x->classification, "review_status",
                            x->review_status, "disease_area", x->disease_area, "origin",
                            x->origin, "zygosity", x->zygosity, "method", x->method, "evidence",
                            x->evidence, "gene", x->gene, "date", x->submitted_on, "state",
                            variant_state_name(x->state), "comment", x->comment, "version",
                            x->version));
    }
    for (int i = 0; i < d->nconditions; i++)
        json_array_append_new(conds, json_pack("{s:o, s:s, s:o}", "ids",
                                               ids_json(d->conditions[i].ids), "name",
                                               d->conditions[i].name, "aggregate",
                                               aggregate_json(&d->conditions[i].agg)));
    json_object_set_new(doc, "aggregate", aggregate_json(&d->agg));
    json_object_set_new(doc, "datasets", names);
    json_object_set_new(doc, "submissions", subs);
    json_object_set_new(doc, "conditions", conds);
    return doc;
}

json_t *variant_results_json(struct store *s, const struct variant_results *r, int limit)
{
    json_t *results = json_array(), *datasets = json_array();
    for (int i = 0; i < r->nhits; i++)
        json_array_append_new(results, variant_hit_json(s, &r->hits[i]));
    for (int i = 0; i < r->ndatasets; i++)
        json_array_append_new(datasets, json_pack("{s:s, s:s, s:I}", "name", r->datasets[i].name,
                                                  "tier", tier_name(r->datasets[i].tier),
                                                  "variants",
                                                  (json_int_t)r->datasets[i].variants));
    return json_pack("{s:I, s:I, s:i, s:o, s:o}", "total", (json_int_t)r->total, "offset",
                     (json_int_t)r->offset, "limit",
                     limit ? limit : VARIANT_LIMIT_DEFAULT, "results", results, "datasets",
                     datasets);
}

/* ---- exports ---- */

int variant_format_parse(const char *text, enum variant_format *out, struct gs_err *err)
{
    if (text == NULL || strcasecmp(text, "json") == 0)
        *out = VARIANT_FORMAT_JSON;
    else if (strcasecmp(text, "tsv") == 0)
        *out = VARIANT_FORMAT_TSV;
    else if (strcasecmp(text, "vcf") == 0)
        *out = VARIANT_FORMAT_VCF;
    else
        return gs_err_set(err, GS_EINVAL, "unknown format '%.20s' (expected json, tsv or vcf)",
                          text);
    return GS_OK;
}

/* Writes text as a VCF INFO value: spaces as '_', and ',;=%' and tabs percent-encoded. */
static void vcf_info_value(FILE *f, const char *text)
{
    for (const char *p = text; *p; p++) {
        if (*p == ' ')
            fputc('_', f);
        else if (strchr(",;=%\t\r\n", *p))
            fprintf(f, "%%%02X", (unsigned char)*p);
        else
            fputc(*p, f);
    }
}

/* Writes text as a TSV cell (tabs and line breaks as spaces). */
static void tsv_cell(FILE *f, const char *text)
{
    for (const char *p = text; *p; p++)
        fputc(*p == '\t' || *p == '\n' || *p == '\r' ? ' ' : *p, f);
}

struct export {
    struct store *s;
    FILE *f;
    enum variant_format format;
    int64_t n;
};

static int export_hit(void *ctx, const struct variant_hit *h)
{
    struct export *x = ctx;
    FILE *f = x->f;
    if (x->format == VARIANT_FORMAT_VCF) {
        fprintf(f, "%s\t%lld\t%s\t%s\t%s\t.\t.\tGSID=%lld;STARS=%d;NSUB=%d", h->v.chrom,
                (long long)h->v.pos, h->v.rsid[0] ? h->v.rsid : ".", h->v.ref, h->v.alt,
                (long long)h->v.id, h->agg.stars, h->nsubmissions);
        if (h->v.gene[0])
            fputs(";GENE=", f), vcf_info_value(f, h->v.gene);
        fputs(";CLNSIG=", f), vcf_info_value(f, h->agg.classification);
        fputs(";CLNREVSTAT=", f), vcf_info_value(f, review_status_name(h->agg.review));
        if (h->first_condition[0])
            fputs(";CLNDN=", f), vcf_info_value(f, h->first_condition);
        fputc('\n', f);
    } else if (x->format == VARIANT_FORMAT_TSV) {
        char hgvs[512];
        variant_hgvs(&h->v, hgvs, sizeof hgvs);
        fprintf(f, "%lld\t%s\t%s\t%lld\t%s\t%s\t%s\t%s\t%s\t", (long long)h->v.id, h->v.assembly,
                h->v.chrom, (long long)h->v.pos, h->v.ref, h->v.alt, h->v.gene, h->v.rsid, hgvs);
        tsv_cell(f, h->agg.classification);
        fprintf(f, "\t%s\t%d\t%d\t", review_status_name(h->agg.review), h->agg.stars,
                h->nsubmissions);
        tsv_cell(f, h->first_condition);
        fputc('\n', f);
    } else {
        json_t *doc = variant_hit_json(x->s, h);
        char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        json_decref(doc);
        if (text == NULL)
            return GS_ENOMEM;
        fprintf(f, "%s%s", x->n ? ",\n" : "\n", text);
        free(text);
    }
    x->n++;
    return ferror(f) ? GS_EIO : GS_OK;
}

int variant_export(struct store *s, const struct principal *who, const struct actor *by,
                   const struct variant_query *q, enum variant_format format, time_t now,
                   FILE *f, int64_t *total, struct gs_err *err)
{
    const char *assembly = q->assembly && q->assembly[0] ? q->assembly : "GRCh38";
    if (format == VARIANT_FORMAT_VCF) {
        fprintf(f, "##fileformat=VCFv4.2\n##source=genoshare\n##reference=%s\n", assembly);
        for (size_t i = 0; i < sizeof refseq / sizeof refseq[0]; i++)
            fprintf(f, "##contig=<ID=%s>\n", refseq[i].chrom);
        fputs("##contig=<ID=MT>\n"
              "##INFO=<ID=GSID,Number=1,Type=Integer,Description=\"genoshare variant id\">\n"
              "##INFO=<ID=STARS,Number=1,Type=Integer,Description=\"Review stars of the "
              "aggregate (0-4)\">\n"
              "##INFO=<ID=NSUB,Number=1,Type=Integer,Description=\"Visible submissions\">\n"
              "##INFO=<ID=GENE,Number=1,Type=String,Description=\"Gene symbol\">\n"
              "##INFO=<ID=CLNSIG,Number=1,Type=String,Description=\"Aggregate classification "
              "of the visible submissions\">\n"
              "##INFO=<ID=CLNREVSTAT,Number=1,Type=String,Description=\"Aggregate review "
              "status\">\n"
              "##INFO=<ID=CLNDN,Number=1,Type=String,Description=\"Condition of the newest "
              "submission\">\n"
              "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n", f);
    } else if (format == VARIANT_FORMAT_TSV) {
        fputs("id\tassembly\tchrom\tpos\tref\talt\tgene\trsid\thgvs\tclassification\t"
              "review_status\tstars\tsubmissions\tcondition\n", f);
    } else {
        fputs("[", f);
    }
    struct export x = {s, f, format, 0};
    int rc = variant_search_each(s, who, by, q, now, export_hit, &x, total, err);
    if (rc == GS_ENOMEM || rc == GS_EIO)
        gs_err_set(err, rc, "cannot write the export");
    if (format == VARIANT_FORMAT_JSON)
        fputs(x.n ? "\n]\n" : "]\n", f);
    if (rc == GS_OK && (fflush(f) != 0 || ferror(f)))
        rc = gs_err_set(err, GS_EIO, "cannot write the export");
    return rc;
}
