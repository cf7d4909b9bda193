/* profile.c — one sample VCF to its resistance profile and lineage (see profile.h for how
 * fractions and depths are read), and the profile's JSON and text forms. */
#include "tb/profile.h"

#include <ctype.h>
#include <htslib/vcf.h>
#include <stdlib.h>
#include <string.h>

#include "tb/naming.h"

void tb_profile_options_default(struct tb_profile_options *o)
{
    tb_resistance_options_default(&o->resistance);
    tb_lineage_options_default(&o->lineage);
}

void tb_profile_report_clear(struct tb_profile_report *p)
{
    free(p->variants);
    free(p->low_depth);
    tb_resistance_clear(&p->resistance);
    memset(p, 0, sizeof *p);
}

/* A SNV site as the VCF states it, for the barcode. */
#define SITE_ALTS 4
struct site {
    int64_t pos;
    char alts[SITE_ALTS];
    double fractions[SITE_ALTS];
    int nalts;
};

struct reader {
    const struct tb_ref *ref;
    const struct tb_catalogue *c;
    const struct tb_profile_options *opt;
    struct tb_profile_report *out;
    size_t variants_cap, low_cap;
    struct site *sites;
    size_t nsites, sites_cap;
    struct tb_names names;
    /* htslib buffers, reused per record */
    int32_t *ad, *ao, *ro, *dp, *gt;
    int nad, nao, nro, ndp, ngt;
    float *af;
    int naf;
};

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 64;
    void *q = realloc(p, c * size);
    if (q != NULL)
        *cap = c;
    return q;
}

/* The gene name the catalogue knows: symbol, else locus tag (when c lacks the symbol). */
static const char *catalogue_gene(const struct tb_catalogue *c, const struct tb_gene *g,
                                  const char *name)
{
    const struct tb_catalogue_row *row;
    if (c == NULL || tb_catalogue_lookup(c, g->name, name, &row, 1) > 0)
        return g->name;
    if (g->locus_tag[0] && tb_catalogue_lookup(c, g->locus_tag, name, &row, 1) > 0)
        return g->locus_tag;
    return g->name;
}

static int add_variant(struct reader *r, const struct tb_name *nm, double af, int depth,
                       int64_t pos, struct gs_err *err)
{
    struct tb_profile_report *p = r->out;
    if (p->nvariants >= TB_PROFILE_VARIANTS_MAX)
        return gs_err_set(err, GS_ETOOBIG, "the VCF names more than %d alleles",
                          TB_PROFILE_VARIANTS_MAX);
    struct tb_variant *v = grow(p->variants, &r->variants_cap, p->nvariants, sizeof *v);
    if (v == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for a profile");
    p->variants = v;
    v = &p->variants[p->nvariants++];
    memset(v, 0, sizeof *v);
    const char *name = nm->hgvs;
    const struct tb_catalogue_row *row;
    if (r->c != NULL && strcmp(nm->hgvs, nm->nuc) != 0 &&
        tb_catalogue_lookup(r->c, nm->gene->name, nm->hgvs, &row, 1) == 0 &&
        tb_catalogue_lookup(r->c, nm->gene->locus_tag, nm->hgvs, &row, 1) == 0 &&
        (tb_catalogue_lookup(r->c, nm->gene->name, nm->nuc, &row, 1) > 0 ||
         tb_catalogue_lookup(r->c, nm->gene->locus_tag, nm->nuc, &row, 1) > 0))
        name = nm->nuc;
    snprintf(v->gene, sizeof v->gene, "%s", catalogue_gene(r->c, nm->gene, name));
    snprintf(v->name, sizeof v->name, "%s", name);
    snprintf(v->effect, sizeof v->effect, "%s", tb_effect_term(nm->effect));
    v->af = af, v->depth = depth, v->pos = pos;
    return GS_OK;
}

static int add_low_depth(struct reader *r, int64_t pos, const char *ref_allele,
                         const char *alt_allele, int depth, struct gs_err *err)
{
    char stand_in[2] = {0}, ref1[2] = {0};
    if (alt_allele == NULL) { /* name the position with any other base */
        stand_in[0] = toupper((unsigned char)ref_allele[0]) == 'A' ? 'C' : 'A';
        ref1[0] = ref_allele[0];
        alt_allele = stand_in, ref_allele = ref1;
    }
    struct gs_err ignored = {0};
    if (tb_name_edit(r->ref, pos, ref_allele, alt_allele, &r->names, &ignored) != GS_OK)
        return GS_OK; /* the allele itself will report the problem */
    struct tb_profile_report *p = r->out;
    for (size_t i = 0; i < r->names.n; i++) {
        struct tb_low_depth_site *s = grow(p->low_depth, &r->low_cap, p->nlow_depth, sizeof *s);
        if (s == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for a profile");
        p->low_depth = s;
        s = &p->low_depth[p->nlow_depth++];
        memset(s, 0, sizeof *s);
        const struct tb_name *nm = &r->names.items[i];
        snprintf(s->gene, sizeof s->gene, "%s", nm->gene->name);
        tb_mutation_site(nm->hgvs, s->name, sizeof s->name);
        s->depth = depth, s->pos = pos;
    }
    return GS_OK;
}

static bool plain_allele(const char *a)
{
    if (a == NULL || a[0] == '\0' || strcmp(a, ".") == 0)
        return false;
    for (const char *p = a; *p; p++)
        if (!strchr("ACGTNacgtn", *p))
            return false;
    return true;
}

/* Depth, per-allele fractions and which alleles the GT holds, for sample 0. */
static int record_depth(struct reader *r, const bcf_hdr_t *h, bcf1_t *rec, int32_t *ad_sum_out)
{
    int n_allele = rec->n_allele, depth = -1;
    int32_t ad_sum = -1;
    int k = bcf_get_format_int32(h, rec, "AD", &r->ad, &r->nad);
    if (k >= n_allele) {
        ad_sum = 0;
        for (int i = 0; i < n_allele; i++)
            if (r->ad[i] != bcf_int32_missing && r->ad[i] != bcf_int32_vector_end)
                ad_sum += r->ad[i];
    }
    *ad_sum_out = ad_sum;
    if (bcf_get_format_int32(h, rec, "DP", &r->dp, &r->ndp) >= 1 && r->dp[0] != bcf_int32_missing)
        depth = r->dp[0];
    else if (bcf_get_info_int32(h, rec, "DP", &r->dp, &r->ndp) >= 1)
        depth = r->dp[0];
    else if (ad_sum >= 0)
        depth = ad_sum;
    else if (bcf_get_format_int32(h, rec, "RO", &r->ro, &r->nro) >= 1 &&
             bcf_get_format_int32(h, rec, "AO", &r->ao, &r->nao) >= n_allele - 1) {
        depth = r->ro[0];
        for (int i = 0; i < n_allele - 1; i++)
            depth += r->ao[i];
    }
    return depth;
}

static double allele_fraction(struct reader *r, const bcf_hdr_t *h, bcf1_t *rec, int i,
                              int32_t ad_sum, int ngt, int ploidy_alleles)
{
    if (ad_sum > 0)
        return (double)r->ad[i] / ad_sum;
    if (bcf_get_format_int32(h, rec, "RO", &r->ro, &r->nro) >= 1 &&
        bcf_get_format_int32(h, rec, "AO", &r->ao, &r->nao) >= rec->n_allele - 1) {
        double total = r->ro[0];
        for (int k = 0; k < rec->n_allele - 1; k++)
            total += r->ao[k];
        if (total > 0)
            return r->ao[i - 1] / total;
    }
    if (bcf_get_info_float(h, rec, "AF", &r->af, &r->naf) >= rec->n_allele - 1)
        return r->af[i - 1];
    if (ngt > 0 && ploidy_alleles > 0) {
        int hits = 0;
        for (int k = 0; k < ngt; k++)
            if (!bcf_gt_is_missing(r->gt[k]) && r->gt[k] != bcf_int32_vector_end &&
                bcf_gt_allele(r->gt[k]) == i)
                hits++;
        return (double)hits / ploidy_alleles;
    }
    return 1.0;
}

/* One ALT allele the sample holds (af already known): names it and keeps it when it counts. */
static int add_allele(struct reader *r, int64_t pos, const char *ref_allele, const char *alt,
                      double af, int depth, const char *where, struct gs_err *err)
{
    if (af + 1e-9 < r->opt->resistance.min_af)
        return GS_OK;
    int rc = tb_name_edit(r->ref, pos, ref_allele, alt, &r->names, err);
    if (rc != GS_OK) {
        char inner[GS_ERR_MSG_MAX];
        snprintf(inner, sizeof inner, "%s", err->msg);
        gs_err_clear(err);
        return gs_err_set(err, rc, "%s: %s", where, inner);
    }
    for (size_t n = 0; rc == GS_OK && n < r->names.n; n++)
        rc = add_variant(r, &r->names.items[n], af, depth, pos, err);
    return rc;
}

static int add_site(struct reader *r, const struct site *site, struct gs_err *err)
{
    struct site *s = grow(r->sites, &r->sites_cap, r->nsites, sizeof *s);
    if (s == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for a profile");
    r->sites = s;
    r->sites[r->nsites++] = *site;
    return GS_OK;
}

static void site_add_alt(struct site *site, const char *ref_allele, const char *alt, double af)
{
    if (strlen(ref_allele) == 1 && strlen(alt) == 1 && site->nalts < SITE_ALTS) {
        site->alts[site->nalts] = (char)toupper((unsigned char)alt[0]);
        site->fractions[site->nalts++] = af;
    }
}

static int read_record(struct reader *r, const bcf_hdr_t *h, bcf1_t *rec, const char *path,
                       struct gs_err *err)
{
    char where[600];
    snprintf(where, sizeof where, "%.500s record %zu", path, r->out->records);
    int rc = tb_contig_check(bcf_seqname(h, rec), where, err);
    if (rc != GS_OK)
        return rc;
    bcf_unpack(rec, BCF_UN_ALL);
    int64_t pos = (int64_t)rec->pos + 1;
    int32_t ad_sum;
    int depth = record_depth(r, h, rec, &ad_sum);
    int ngt = bcf_get_genotypes(h, rec, &r->gt, &r->ngt), called_alleles = 0;
    if (ngt > 0 && bcf_hdr_nsamples(h) > 1)
        ngt = ngt / bcf_hdr_nsamples(h); /* sample 0's alleles come first */
    for (int k = 0; k < ngt; k++)
        if (!bcf_gt_is_missing(r->gt[k]) && r->gt[k] != bcf_int32_vector_end)
            called_alleles++;
    const char *ref_allele = rec->d.allele[0];
    const char *first_plain = NULL;
    struct site site = {pos, {0}, {0}, 0};
    for (int i = 1; rc == GS_OK && i < rec->n_allele; i++) {
        const char *alt = rec->d.allele[i];
        if (!plain_allele(alt)) {
            if (strcmp(alt, ".") != 0 && strcmp(alt, "<NON_REF>") != 0 && strcmp(alt, "<*>") != 0)
                r->out->skipped_alleles++;
            continue;
        }
        if (first_plain == NULL)
            first_plain = alt;
        double af = allele_fraction(r, h, rec, i, ad_sum, ngt, called_alleles);
        site_add_alt(&site, ref_allele, alt, af);
        bool called = ngt <= 0;
        for (int k = 0; k < ngt; k++)
            if (!bcf_gt_is_missing(r->gt[k]) && r->gt[k] != bcf_int32_vector_end &&
                bcf_gt_allele(r->gt[k]) == i)
                called = true;
        if (called)
            rc = add_allele(r, pos, ref_allele, alt, af, depth, where, err);
    }
    if (rc == GS_OK && strlen(ref_allele) == 1)
        rc = add_site(r, &site, err);
    if (rc == GS_OK && depth >= 0 && depth < r->opt->resistance.min_depth && r->c != NULL)
        rc = add_low_depth(r, pos, ref_allele, first_plain, depth, err);
    return rc;
}

static int by_pos(const void *a, const void *b)
{
    int64_t x = ((const struct site *)a)->pos, y = ((const struct site *)b)->pos;
    return (x > y) - (x < y);
}

static int call_lineage(struct reader *r, struct gs_err *err)
{
    const struct tb_ref *ref = r->ref;
    qsort(r->sites, r->nsites, sizeof *r->sites, by_pos);
    double *fraction = malloc((ref->n_barcode ? ref->n_barcode : 1) * sizeof *fraction);
    if (fraction == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for the lineage call");
    for (size_t i = 0; i < ref->n_barcode; i++) {
        const struct tb_barcode_marker *m = &ref->barcode[i];
        struct site key = {m->pos, {0}, {0}, 0};
        const struct site *s = bsearch(&key, r->sites, r->nsites, sizeof key, by_pos);
        char base = m->pos >= 1 && m->pos <= ref->length ? ref->seq[m->pos - 1] : 'N';
        fraction[i] = tb_lineage_marker_fraction(m, base, s != NULL, s ? s->alts : NULL,
                                                 s ? s->fractions : NULL, s ? s->nalts : 0);
    }
    int rc = tb_lineage_call(ref->barcode, ref->n_barcode, fraction, &r->opt->lineage,
                             &r->out->lineage, err);
    free(fraction);
    return rc;
}

static void reader_start(struct reader *r, const struct tb_ref *ref, const struct tb_catalogue *c,
                         const struct tb_profile_options *opt, struct tb_profile_report *out)
{
    memset(out, 0, sizeof *out);
    memset(r, 0, sizeof *r);
    r->ref = ref, r->c = c, r->opt = opt, r->out = out;
    if (c != NULL)
        snprintf(out->catalogue, sizeof out->catalogue, "%s", c->version);
}

/* Lineage and resistance over what was read; frees the reader; clears out on failure. */
static int reader_finish(struct reader *r, int rc, struct gs_err *err)
{
    struct tb_profile_report *out = r->out;
    if (rc == GS_OK)
        rc = call_lineage(r, err);
    if (rc == GS_OK && r->c != NULL) {
        struct tb_resistance_input in = {out->variants, out->nvariants, out->low_depth,
                                         out->nlow_depth, NULL, 0};
        rc = tb_resistance_call(r->c, &in, &r->opt->resistance, &out->resistance, err);
    }
    free(r->sites);
    free(r->ad), free(r->ao), free(r->ro), free(r->dp), free(r->gt), free(r->af);
    tb_names_free(&r->names);
    if (rc != GS_OK)
        tb_profile_report_clear(out);
    return rc;
}

int tb_profile_vcf(const struct tb_ref *ref, const struct tb_catalogue *c, const char *path,
                   const char *sample_name, const struct tb_profile_options *opt,
                   struct tb_profile_report *out, struct gs_err *err)
{
    struct reader r;
    reader_start(&r, ref, c, opt, out);
    if (strstr(path, "://") != NULL)
        return gs_err_set(err, GS_EINVAL, "%s: only local files are read", path);
    htsFile *fp = hts_open(path, "r");
    if (fp == NULL)
        return gs_err_set(err, GS_EIO, "cannot open %s as a VCF", path);
    bcf_hdr_t *h = bcf_hdr_read(fp);
    if (h == NULL) {
        hts_close(fp);
        return gs_err_set(err, GS_EINVAL, "%s: not a VCF (no header)", path);
    }
    const char *base = strrchr(path, '/');
    snprintf(out->sample, sizeof out->sample, "%s",
             sample_name ? sample_name
                         : bcf_hdr_nsamples(h) > 0 ? h->samples[0] : base ? base + 1 : path);
    bcf1_t *rec = bcf_init();
    int rc = rec ? GS_OK : gs_err_set(err, GS_ENOMEM, "out of memory reading %s", path);
    while (rc == GS_OK) {
        int got = bcf_read(fp, h, rec);
        if (got == -1)
            break;
        out->records++;
        if (got < -1)
            rc = gs_err_set(err, GS_EINVAL, "%s record %zu: malformed VCF record", path,
                            out->records);
        else
            rc = read_record(&r, h, rec, path, err);
    }
    bcf_destroy(rec);
    bcf_hdr_destroy(h);
    hts_close(fp);
    return reader_finish(&r, rc, err);
}

int tb_profile_edits(const struct tb_ref *ref, const struct tb_catalogue *c, const char *sample,
                     const struct tb_profile_edit *edits, size_t n,
                     const struct tb_profile_options *opt, struct tb_profile_report *out,
                     struct gs_err *err)
{
    struct reader r;
    reader_start(&r, ref, c, opt, out);
    snprintf(out->sample, sizeof out->sample, "%s", sample ? sample : "");
    int rc = GS_OK;
    for (size_t i = 0; rc == GS_OK && i < n; i++) {
        const struct tb_profile_edit *e = &edits[i];
        char where[64];
        snprintf(where, sizeof where, "edit %zu (position %lld)", i + 1, (long long)e->pos);
        out->records++;
        if (e->ref == NULL || !plain_allele(e->ref) || (e->alt != NULL && !plain_allele(e->alt))) {
            rc = gs_err_set(err, GS_EINVAL, "%s: alleles must be A/C/G/T/N", where);
            break;
        }
        if (!(e->af >= 0 && e->af <= 1)) {
            rc = gs_err_set(err, GS_EINVAL, "%s: allele fraction %g is not 0-1", where, e->af);
            break;
        }
        struct site site = {e->pos, {0}, {0}, 0};
        if (e->alt != NULL) {
            site_add_alt(&site, e->ref, e->alt, e->af);
            rc = add_allele(&r, e->pos, e->ref, e->alt, e->af, e->depth, where, err);
        }
        if (rc == GS_OK && strlen(e->ref) == 1)
            rc = add_site(&r, &site, err);
        if (rc == GS_OK && e->depth >= 0 && e->depth < opt->resistance.min_depth && c != NULL)
            rc = add_low_depth(&r, e->pos, e->ref, e->alt, e->depth, err);
    }
    return reader_finish(&r, rc, err);
}

/* ---- output ---- */

static json_t *label_json(const struct tb_lineage_label *l)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:f, s:i, s:i}", "lineage", l->lineage, "family",
                     l->family, "spoligotype", l->spoligotype, "rds", l->rds, "fraction",
                     l->fraction, "markers_seen", l->support, "markers", l->markers);
}

static json_t *lineage_json(const struct tb_lineage *l)
{
    json_t *leaves = json_array(), *present = json_array();
    for (int i = 0; i < l->nleaves; i++)
        json_array_append_new(leaves, label_json(&l->leaves[i]));
    for (int i = 0; i < l->npresent; i++)
        json_array_append_new(present, label_json(&l->present[i]));
    return json_pack("{s:s, s:s, s:s, s:b, s:o, s:o}", "main_lineage", l->main_lineage,
                     "sub_lineage", l->sub_lineage, "family", l->family, "mixed", l->mixed,
                     "lineages", leaves, "present", present);
}

static json_t *variant_json(const struct tb_variant *v)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:f}", "gene", v->gene, "variant", v->name,
                          "effect", v->effect, "pos", (json_int_t)v->pos, "af", v->af);
    if (o != NULL)
        json_object_set_new(o, "depth", v->depth >= 0 ? json_integer(v->depth) : json_null());
    return o;
}

json_t *tb_profile_report_json(const struct tb_profile_report *p, const struct tb_catalogue *c)
{
    json_t *drugs = json_array(), *variants = json_array(), *notes = json_array();
    const struct tb_resistance *res = &p->resistance;
    for (int i = 0; i < res->ndrugs; i++) {
        const struct tb_drug_call *d = &res->drugs[i];
        json_t *ev = json_array();
        for (int e = 0; e < d->nevidence && e < TB_EVIDENCE_MAX; e++) {
            const struct tb_evidence *x = &d->evidence[e];
            json_t *v = variant_json(&p->variants[x->variant]);
            json_object_set_new(v, "grade", json_integer(x->grade));
            json_object_set_new(v, "confidence", json_string(tb_grade_text(x->grade)));
            json_object_set_new(v, "gene_level", json_boolean(x->gene_level));
            json_object_set_new(v, "inactivated", json_boolean(x->inactivated));
            json_object_set_new(v, "low_depth", json_boolean(x->low_depth));
            json_array_append_new(ev, v);
        }
        char call[2] = {(char)d->call, 0};
        json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "drug", d->drug, "code",
                              tb_drug_code(d->drug), "call", call, "variants", ev);
        json_object_set_new(o, "strongest_grade",
                            d->strongest ? json_integer(d->strongest) : json_null());
        if (d->reason[0])
            json_object_set_new(o, "reason", json_string(d->reason));
        json_array_append_new(drugs, o);
    }
    for (size_t i = 0; i < p->nvariants; i++) {
        json_t *v = variant_json(&p->variants[i]);
        if (c != NULL) { /* its grades, drug by drug */
            const struct tb_catalogue_row *rows[TB_DRUGS_MAX];
            size_t n = tb_catalogue_lookup(c, p->variants[i].gene, p->variants[i].name, rows,
                                           TB_DRUGS_MAX);
            json_t *g = json_object();
            for (size_t k = 0; k < n && k < TB_DRUGS_MAX; k++)
                json_object_set_new(g, rows[k]->drug, json_integer(rows[k]->grade));
            json_object_set_new(v, "grades", g);
        }
        json_array_append_new(variants, v);
    }
    for (int i = 0; i < res->nnotes; i++)
        json_array_append_new(notes, json_string(res->notes[i]));
    json_t *doc = json_pack("{s:s, s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "sample", p->sample,
                            "catalogue", p->catalogue, "records", (json_int_t)p->records,
                            "skipped_alleles", (json_int_t)p->skipped_alleles,
                            "low_depth_sites", (json_int_t)p->nlow_depth, "lineage",
                            lineage_json(&p->lineage), "drugs", drugs, "variants", variants,
                            "notes", notes);
    if (doc != NULL && p->catalogue[0]) {
        json_object_set_new(doc, "type", json_string(tb_resistance_type_name(res->type)));
        json_object_set_new(doc, "type_uncertain", json_boolean(res->type_uncertain));
    }
    return doc;
}

void tb_profile_report_print(const struct tb_profile_report *p, FILE *f)
{
    const struct tb_lineage *l = &p->lineage;
    fprintf(f, "sample\t%s\n", p->sample);
    if (p->catalogue[0])
        fprintf(f, "catalogue\t%s\n", p->catalogue);
    fprintf(f, "main_lineage\t%s\nsub_lineage\t%s\nfamily\t%s\n",
            l->main_lineage[0] ? l->main_lineage : "-", l->sub_lineage[0] ? l->sub_lineage : "-",
            l->family[0] ? l->family : "-");
    if (l->mixed) {
        fprintf(f, "mixed");
        for (int i = 0; i < l->nleaves; i++)
            fprintf(f, "%s%s (%.2f)", i ? ", " : "\t", l->leaves[i].lineage, l->leaves[i].fraction);
        fprintf(f, "\n");
    }
    if (!p->catalogue[0])
        return;
    const struct tb_resistance *res = &p->resistance;
    fprintf(f, "type\t%s%s\n", tb_resistance_type_name(res->type),
            res->type_uncertain ? " (a deciding drug is U)" : "");
    fprintf(f, "drug\tcall\tvariants\n");
    for (int i = 0; i < res->ndrugs; i++) {
        const struct tb_drug_call *d = &res->drugs[i];
        fprintf(f, "%s\t%c\t", d->drug, (char)d->call);
        int shown = 0;
        for (int e = 0; e < d->nevidence && e < TB_EVIDENCE_MAX; e++) {
            const struct tb_evidence *x = &d->evidence[e];
            if (!tb_grade_is_resistance(x->grade))
                continue;
            const struct tb_variant *v = &p->variants[x->variant];
            fprintf(f, "%s%s %s (%.2f, grade %d%s%s)", shown++ ? ", " : "", v->gene, v->name,
                    v->af, (int)x->grade, x->inactivated ? ", inactivated" : "",
                    x->low_depth ? ", low depth" : "");
        }
        if (d->reason[0])
            fprintf(f, "%s%s", shown ? "; " : "", d->reason), shown++;
        fprintf(f, "%s\n", shown ? "" : "-");
    }
    for (int i = 0; i < res->nnotes; i++)
        fprintf(f, "note\t%s\n", res->notes[i]);
}
