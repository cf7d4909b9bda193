/* g_variants.c — the Beacon's genomic-variant queries: the query turned into one walk of
 * the variant store (sequence, range, bracket or gene location), each variant's accepted
 * submissions weighed per dataset by what the caller may learn there (beacon.h), and the
 * answer shaped as a boolean, count or result-sets response. Built on store_variants.h
 * directly: the Beacon's visibility (tier levels, accepted only) is not the search's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "beacon/beacon_internal.h"
#include "store/store_beacon.h"
#include "store/store_variants.h"
#include "variants/aggregate.h"
#include "variants/search.h"
#include "variants/sources.h"

#define WALK_VARIANTS_MAX 250000 /* a query reaching further is refused as too broad */

struct dataset_slot {
    struct store_dataset d;
    enum beacon_granularity level; /* the caller's, capped by the returned granularity */
    int64_t hits;                  /* variants with a counted submission here */
    json_t *results;               /* records of the page (level RECORD only) */
    json_t *pending;               /* interpretations of the current variant */
    bool hit_now;                  /* the current variant counted here */
};

struct run {
    struct store *s;
    const struct principal *who;
    const struct beacon_query *q;
    time_t now;
    struct gs_err *err;
    enum beacon_granularity returned;
    int nslots, cap;
    struct dataset_slot *slots;
    bool capped;     /* levels of slots are capped at returned from now on */
    char classification[VARIANT_TERM_MAX];
    int64_t total;   /* distinct variants counted in datasets of level ≥ COUNT */
    bool exists;     /* a variant counted in any dataset of level ≥ BOOLEAN */
    struct sources *sources;       /* reference sources, opened for the first record */
    struct source_hit *hits;
    /* the walk's variants, copied out of the store walk */
    int nvariants, vcap;
    struct store_variant *variants;
    int rc;
};

static void run_free(struct run *r)
{
    for (int i = 0; i < r->nslots; i++) {
        json_decref(r->slots[i].results);
        json_decref(r->slots[i].pending);
    }
    free(r->slots);
    for (int i = 0; i < r->nvariants; i++)
        store_variant_clear(&r->variants[i]);
    free(r->variants);
    sources_close(r->sources);
    free(r->hits);
}

/* The slot of dataset id, loading it and its level on first use; NULL on error (r->rc). */
static struct dataset_slot *slot_for(struct run *r, int64_t id, const struct store_dataset *known)
{
    for (int i = 0; i < r->nslots; i++)
        if (r->slots[i].d.id == id)
            return &r->slots[i];
    if (r->nslots == r->cap) {
        int cap = r->cap ? r->cap * 2 : 8;
        struct dataset_slot *p = realloc(r->slots, (size_t)cap * sizeof *p);
        if (p == NULL) {
            r->rc = gs_err_set(r->err, GS_ENOMEM, "out of memory");
            return NULL;
        }
        r->slots = p, r->cap = cap;
    }
    struct dataset_slot *sl = &r->slots[r->nslots];
    memset(sl, 0, sizeof *sl);
    if (known != NULL)
        sl->d = *known;
    else if ((r->rc = store_dataset_get(r->s, id, &sl->d, r->err)) != GS_OK)
        return NULL;
    if ((r->rc = beacon_dataset_level(r->s, r->who, &sl->d, r->now, &sl->level, r->err)) != GS_OK)
        return NULL;
    if (r->capped && sl->level > r->returned)
        sl->level = r->returned; /* never more than was asked */
    r->nslots++;
    return sl;
}

/* Every variant-holding dataset's level first: the returned granularity is the requested
 * one lowered to the best level the caller has anywhere, hit or not. */
static int note_dataset(void *ctx, const struct store_dataset *d)
{
    struct run *r = ctx;
    return slot_for(r, d->id, d) == NULL ? 1 : 0;
}

static int keep_variant(void *ctx, const struct store_variant *v)
{
    struct run *r = ctx;
    if (r->nvariants >= WALK_VARIANTS_MAX) {
        r->rc = gs_err_set(r->err, GS_EINVAL, "the query reaches more than %d variants: narrow "
                           "the range", WALK_VARIANTS_MAX);
        return 1;
    }
    if (r->nvariants == r->vcap) {
        int cap = r->vcap ? r->vcap * 2 : 64;
        struct store_variant *p = realloc(r->variants, (size_t)cap * sizeof *p);
        if (p == NULL) {
            r->rc = gs_err_set(r->err, GS_ENOMEM, "out of memory");
            return 1;
        }
        r->variants = p, r->vcap = cap;
    }
    struct store_variant *c = &r->variants[r->nvariants];
    *c = *v;
    size_t nref = strlen(v->ref), nalt = strlen(v->alt);
    if ((c->alleles = malloc(nref + nalt + 2)) == NULL) {
        r->rc = gs_err_set(r->err, GS_ENOMEM, "out of memory");
        return 1;
    }
    memcpy(c->alleles, v->ref, nref + 1);
    memcpy(c->alleles + nref + 1, v->alt, nalt + 1);
    c->ref = c->alleles, c->alt = c->alleles + nref + 1;
    r->nvariants++;
    return 0;
}

/* Keeps the variant with this id (none when it is missing: exists false, as for one the
 * caller may not see). */
static int keep_by_id(struct run *r, int64_t id)
{
    struct store_variant v;
    memset(&v, 0, sizeof v);
    struct gs_err inner = {0};
    int rc = store_variant_get(r->s, id, &v, &inner);
    if (rc == GS_OK)
        rc = keep_variant(r, &v) ? r->rc : GS_OK;
    else if (rc == GS_ENOTFOUND)
        rc = GS_OK;
    else
        gs_err_set(r->err, rc, "%s", inner.msg);
    store_variant_clear(&v);
    return rc;
}

/* ---- matching ---- */

static const char *variant_type(const struct store_variant *v)
{
    size_t nr = strlen(v->ref), na = strlen(v->alt);
    if (nr == 1 && na == 1)
        return "SNP";
    if (nr == na)
        return "MNP";
    if (na == 1 && nr > 1 && v->ref[0] == v->alt[0])
        return "DEL";
    if (nr == 1 && na > 1 && v->ref[0] == v->alt[0])
        return "INS";
    return "INDEL";
}

/* Whether v is what the query's location form asks (the store walk is an overlap; the
 * Beacon's sequence and bracket forms are narrower). */
static bool location_matches(const struct beacon_query *q, const struct store_variant *v)
{
    int64_t start0 = v->pos - 1, end0 = v->end; /* Beacon: 0-based, end exclusive */
    if (q->nstart == 1 && q->nend == 0) {
        if (start0 != q->start[0])
            return false;
        if (q->ref[0] != '\0' && strcasecmp(q->ref, v->ref) != 0)
            return false;
        if (q->alt[0] != '\0' && strcasecmp(q->alt, v->alt) != 0)
            return false;
    } else if (q->nstart == 2) {
        if (start0 < q->start[0] || start0 > q->start[1] || end0 < q->end[0] || end0 > q->end[1])
            return false;
    }
    if (q->variant_type[0] != '\0') {
        const char *t = variant_type(v);
        bool indel_family = strcmp(q->variant_type, "INDEL") == 0 &&
                            (strcmp(t, "DEL") == 0 || strcmp(t, "INS") == 0);
        if (strcmp(t, q->variant_type) != 0 && !indel_family)
            return false;
    }
    return true;
}

/* Whether token (a CURIE) is one of the '|'/','-separated ids. */
static bool has_id(const char *ids, const char *token)
{
    size_t n = strlen(token);
    for (const char *p = ids; *p;) {
        size_t len = strcspn(p, "|,;");
        if (len == n && strncasecmp(p, token, n) == 0)
            return true;
        p += len + (p[len] != '\0');
    }
    return false;
}

static bool filters_match(const struct beacon_query *q, const struct store_variant_submission *sub)
{
    for (int i = 0; i < q->nfilters; i++) {
        const struct beacon_filter *f = &q->filters[i];
        bool ok;
        if (f->kind == BEACON_FILTER_ONTOLOGY)
            ok = has_id(sub->condition_ids, f->id);
        else if (strcmp(f->id, "classification") == 0) {
            char canonical[VARIANT_TERM_MAX];
            struct gs_err ignored = {0};
            const char *want = classification_parse(f->value, canonical, sizeof canonical,
                                                    &ignored) == GS_OK ? canonical : f->value;
            ok = strcasecmp(sub->classification, want) == 0;
        } else if (strcmp(f->id, "diseaseArea") == 0)
            ok = strcasecmp(sub->disease_area, f->value) == 0;
        else
            ok = strcasecmp(sub->origin, f->value) == 0;
        if (!ok)
            return false;
    }
    return true;
}

static const char *const relevance[] = {"benign", "likely benign", "uncertain significance",
                                        "likely pathogenic", "pathogenic"};

static json_t *interpretation(const struct store_variant_submission *sub)
{
    char first[VARIANT_ID_MAX + 32];
    size_t n = strcspn(sub->condition_ids, "|,;");
    if (n > 0 && n < sizeof first)
        snprintf(first, sizeof first, "%.*s", (int)n, sub->condition_ids);
    else
        snprintf(first, sizeof first, "genoshare:condition");
    json_t *o = json_pack("{s:s, s:{s:s, s:s}}", "conditionId",
                          sub->condition_key[0] ? sub->condition_key : first, "effect", "id",
                          first, "label", sub->condition_name[0] ? sub->condition_name
                                                                 : "not provided");
    for (size_t i = 0; i < sizeof relevance / sizeof relevance[0]; i++)
        if (strcasecmp(sub->classification, relevance[i]) == 0)
            json_object_set_new(o, "clinicalRelevance", json_string(relevance[i]));
    return o;
}

static int weigh_submission(void *ctx, const struct store_variant_submission *sub)
{
    struct run *r = ctx;
    if (sub->state != VARIANT_ACCEPTED || !filters_match(r->q, sub))
        return 0;
    struct dataset_slot *sl = slot_for(r, sub->dataset_id, NULL);
    if (sl == NULL)
        return 1;
    if (sl->level < BEACON_BOOLEAN)
        return 0;
    sl->hit_now = true;
    if (sl->level >= BEACON_RECORD && r->returned >= BEACON_RECORD) {
        if (sl->pending == NULL)
            sl->pending = json_array();
        json_array_append_new(sl->pending, interpretation(sub));
    }
    return 0;
}

/* What the reference sources say about v, into the record: population frequencies as
 * frequencyInPopulations, a ClinVar variation id as identifiers.clinvarVariantId. A source
 * that cannot be read leaves the record as it is. */
static void add_sources(struct run *r, const struct store_variant *v, json_t *rec)
{
    struct gs_err ignored = {0};
    if (r->sources == NULL) {
        if (sources_open(r->s, &r->sources, &ignored) != GS_OK)
            return;
        if (sources_count(r->sources) > 0 &&
            (r->hits = calloc((size_t)sources_count(r->sources), sizeof *r->hits)) == NULL)
            return;
    }
    if (r->hits == NULL)
        return; /* no sources registered (or no memory for their answers) */
    struct source_variant sv = {v->assembly, v->chrom, v->pos, v->ref, v->alt};
    int n = 0;
    if (sources_lookup(r->sources, &sv, r->hits, sources_count(r->sources), &n, &ignored) != GS_OK)
        return;
    json_t *populations = json_array();
    for (int i = 0; i < n; i++) {
        const struct source_hit *h = &r->hits[i];
        if (!h->found)
            continue;
        bool numeric = h->id[0] != '\0' && strspn(h->id, "0123456789") == strlen(h->id);
        if (h->source->kind == SOURCE_CLINVAR && numeric)
            json_object_set_new(json_object_get(rec, "identifiers"), "clinvarVariantId",
                                json_string(h->id));
        if (h->nfreq == 0)
            continue;
        json_t *freqs = json_array();
        for (int k = 0; k < h->nfreq; k++)
            json_array_append_new(freqs, json_pack("{s:s, s:f}", "population",
                                                   h->freq[k].population, "alleleFrequency",
                                                   h->freq[k].af));
        char reference[96];
        snprintf(reference, sizeof reference, "genoshare:source/%s", h->source->name);
        json_array_append_new(populations,
                              json_pack("{s:s, s:s, s:s, s:o}", "source", h->source->name,
                                        "sourceReference", reference, "version",
                                        h->source->description, "frequencies", freqs));
    }
    if (json_array_size(populations) > 0)
        json_object_set_new(rec, "frequencyInPopulations", populations);
    else
        json_decref(populations);
}

static json_t *record_json(const struct store_variant *v, json_t *interpretations)
{
    char hgvs[256];
    variant_hgvs(v, hgvs, sizeof hgvs);
    /* the RefSeq accession HGVS names, when it names one, is the sequence of the location */
    char sequence[96];
    if (strncmp(hgvs, "NC_", 3) == 0)
        snprintf(sequence, sizeof sequence, "refseq:%.*s", (int)strcspn(hgvs, ":"), hgvs);
    else
        snprintf(sequence, sizeof sequence, "%s:%s", v->assembly, v->chrom);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)v->id);
    json_t *rec = json_pack(
        "{s:s, s:{s:s, s:s, s:s, s:{s:s, s:s, s:{s:s, s:{s:s, s:I}, s:{s:s, s:I}}}},"
        " s:{s:s}, s:{s:o}}",
        "variantInternalId", id, "variation", "variantType", variant_type(v), "referenceBases",
        v->ref, "alternateBases", v->alt, "location", "type", "SequenceLocation", "sequence_id",
        sequence, "interval", "type", "SequenceInterval", "start", "type", "Number", "value",
        (json_int_t)(v->pos - 1), "end", "type", "Number", "value", (json_int_t)v->end,
        "identifiers", "genomicHGVSId", hgvs, "variantLevelData", "clinicalInterpretations",
        interpretations ? json_incref(interpretations) : json_array());
    if (v->rsid[0] != '\0') {
        char url[96];
        snprintf(url, sizeof url, "https://www.ncbi.nlm.nih.gov/snp/%s", v->rsid);
        char curie[64];
        snprintf(curie, sizeof curie, "dbSNP:%s", v->rsid);
        json_object_set_new(json_object_get(rec, "identifiers"), "variantAlternativeIds",
                            json_pack("[{s:s, s:s}]", "id", curie, "reference", url));
    }
    if (v->gene[0] != '\0')
        json_object_set_new(rec, "molecularAttributes", json_pack("{s:[s]}", "geneIds", v->gene));
    return rec;
}

static int weigh_variant(struct run *r, const struct store_variant *v)
{
    if (!location_matches(r->q, v))
        return GS_OK;
    for (int i = 0; i < r->nslots; i++)
        r->slots[i].hit_now = false;
    int rc = store_variant_submission_each(r->s, v->id, weigh_submission, r, r->err);
    if (r->rc != GS_OK)
        return r->rc;
    if (rc < 0)
        return rc;
    bool counted = false;
    for (int i = 0; i < r->nslots; i++) {
        struct dataset_slot *sl = &r->slots[i];
        if (!sl->hit_now)
            continue;
        r->exists = true;
        counted = counted || sl->level >= BEACON_COUNT;
        if (sl->level >= BEACON_RECORD && r->returned >= BEACON_RECORD &&
            sl->hits >= r->q->skip && sl->hits < r->q->skip + r->q->limit) {
            if (sl->results == NULL)
                sl->results = json_array();
            json_t *rec = record_json(v, sl->pending);
            add_sources(r, v, rec);
            json_array_append_new(sl->results, rec);
        }
        json_decref(sl->pending);
        sl->pending = NULL;
        sl->hits++;
    }
    if (counted)
        r->total++;
    return GS_OK;
}

/* ---- the walk ---- */

/* The store filter of q's location form; *none when the query can match nothing (an
 * unknown gene). */
static int location_filter(struct run *r, struct store_variant_filter *f, char *chrom,
                           size_t size, bool *none)
{
    const struct beacon_query *q = r->q;
    memset(f, 0, sizeof *f);
    *none = false;
    f->assembly = q->assembly;
    if (q->gene[0] != '\0') {
        struct store_gene_location g;
        struct gs_err inner = {0};
        int rc = store_gene_location_lookup(r->s, q->assembly, q->gene, &g, &inner);
        if (rc == GS_ENOTFOUND) {
            *none = true;
            return GS_OK;
        }
        if (rc != GS_OK)
            return gs_err_set(r->err, rc, "%s", inner.msg);
        snprintf(chrom, size, "%s", g.chrom);
        f->chrom = chrom, f->start = g.start, f->end = g.end;
        return GS_OK;
    }
    if (q->nstart == 0) {
        const char *klass = NULL, *area = NULL;
        for (int i = 0; i < q->nfilters; i++) {
            if (q->filters[i].kind != BEACON_FILTER_ALPHANUMERIC)
                continue;
            if (strcmp(q->filters[i].id, "classification") == 0)
                klass = q->filters[i].value;
            else if (strcmp(q->filters[i].id, "diseaseArea") == 0)
                area = q->filters[i].value;
        }
        if (klass == NULL && area == NULL)
            return gs_err_set(r->err, GS_EINVAL, "a g_variants query needs referenceName + "
                              "start, a geneId, or a classification or diseaseArea filter");
        struct gs_err inner = {0};
        if (klass != NULL &&
            classification_parse(klass, r->classification, sizeof r->classification, &inner) == GS_OK)
            klass = r->classification; /* the store compares the canonical spelling */
        f->classification = klass, f->disease_area = area;
        return GS_OK;
    }
    f->chrom = q->chrom;
    if (q->nstart == 1 && q->nend == 0) {
        f->start = f->end = q->start[0] + 1;
        if (q->ref[0] != '\0' && q->alt[0] != '\0')
            f->ref = q->ref, f->alt = q->alt;
    } else if (q->nstart == 1) {
        f->start = q->start[0] + 1, f->end = q->end[0];
    } else {
        f->start = q->start[0] + 1, f->end = q->end[1];
    }
    return GS_OK;
}

static json_t *response_json(struct run *r)
{
    json_t *doc = json_pack("{s:o, s:{s:b}}", "meta",
                            beacon__meta(r->q, r->returned, "genomicVariant", BEACON_SCHEMA_VARIANT),
                            "responseSummary", "exists", r->exists);
    if (r->returned >= BEACON_COUNT)
        json_object_set_new(json_object_get(doc, "responseSummary"), "numTotalResults",
                            json_integer((json_int_t)r->total));
    if (r->returned < BEACON_RECORD)
        return doc;
    json_t *sets = json_array();
    for (int i = 0; i < r->nslots; i++) {
        struct dataset_slot *sl = &r->slots[i];
        bool hit = sl->hits > 0;
        if (sl->level < BEACON_COUNT || r->q->include == BEACON_INCLUDE_NONE ||
            (r->q->include == BEACON_INCLUDE_HIT && !hit) ||
            (r->q->include == BEACON_INCLUDE_MISS && hit))
            continue;
        json_t *results = sl->results ? json_incref(sl->results) : json_array();
        json_array_append_new(
            sets, json_pack("{s:s, s:s, s:b, s:I, s:o, s:{s:s, s:s}}", "id", sl->d.name,
                            "setType", "dataset", "exists", hit, "resultsCount",
                            (json_int_t)sl->hits, "results", results, "info",
                            "returnedGranularity", beacon_granularity_name(sl->level),
                            "securityLevel", beacon__security_level(sl->d.tier)));
    }
    json_object_set_new(doc, "response", json_pack("{s:o}", "resultSets", sets));
    return doc;
}

/* Audits a read that showed anything of a non-open dataset. */
static int audit_read(struct run *r, const struct actor *by)
{
    char names[512] = "";
    size_t used = 0;
    for (int i = 0; i < r->nslots; i++) {
        const struct dataset_slot *sl = &r->slots[i];
        if (sl->d.tier == TIER_OPEN || sl->hits == 0 || sl->level < BEACON_BOOLEAN)
            continue;
        int n = snprintf(names + used, sizeof names - used, "%s%s", used ? "," : "", sl->d.name);
        if (n < 0 || (size_t)n >= sizeof names - used)
            break;
        used += (size_t)n;
    }
    if (used == 0)
        return GS_OK;
    char object[600], detail[160];
    snprintf(object, sizeof object, "datasets:%s", names);
    snprintf(detail, sizeof detail, "g_variants %s granularity", beacon_granularity_name(r->returned));
    struct audit_event ev = {"beacon.read", object, detail};
    return audit_record(r->s, by, &ev, r->now, r->err);
}

int beacon_g_variants(struct store *s, const struct principal *who, const struct actor *by,
                      const struct beacon_query *q, int64_t id, time_t now, json_t **out,
                      struct gs_err *err)
{
    struct run r;
    memset(&r, 0, sizeof r);
    r.s = s, r.who = who, r.q = q, r.now = now, r.err = err;
    int rc = store_variant_datasets_each(s, note_dataset, &r, err);
    if (r.rc != GS_OK)
        rc = r.rc;
    enum beacon_granularity best = BEACON_BOOLEAN;
    for (int i = 0; i < r.nslots; i++)
        if (r.slots[i].level > best)
            best = r.slots[i].level;
    r.returned = q->requested < best ? q->requested : best;
    if (r.returned < BEACON_BOOLEAN)
        r.returned = BEACON_BOOLEAN;
    /* a dataset's level is also capped by what was asked */
    for (int i = 0; i < r.nslots; i++)
        if (r.slots[i].level > r.returned)
            r.slots[i].level = r.returned;
    r.capped = true;
    char chrom[VARIANT_CHROM_MAX];
    if (rc == GS_OK && id > 0) {
        rc = keep_by_id(&r, id);
    } else if (rc == GS_OK && q->nstart == 1 && q->nend == 0 && q->ref[0] && q->alt[0]) {
        /* one exact allele: a point look-up on the allele index */
        int64_t found = 0;
        struct gs_err inner = {0};
        rc = store_variant_allele_id(s, q->assembly, q->chrom, q->start[0] + 1, q->ref, q->alt,
                                     &found, &inner);
        if (rc == GS_OK)
            rc = keep_by_id(&r, found);
        else if (rc == GS_ENOTFOUND)
            rc = GS_OK;
        else
            gs_err_set(err, rc, "%s", inner.msg);
    } else if (rc == GS_OK) {
        struct store_variant_filter f;
        bool none = false;
        if ((rc = location_filter(&r, &f, chrom, sizeof chrom, &none)) == GS_OK && !none) {
            rc = store_variant_each(s, &f, keep_variant, &r, err);
            if (r.rc != GS_OK)
                rc = r.rc;
        }
    }
    for (int i = 0; rc >= 0 && i < r.nvariants; i++)
        rc = weigh_variant(&r, &r.variants[i]);
    if (rc >= 0)
        rc = audit_read(&r, by);
    if (rc >= 0) {
        *out = response_json(&r);
        rc = GS_OK;
    }
    run_free(&r);
    return rc;
}
