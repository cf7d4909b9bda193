/* distance.c — SNP distances: intervals and BED files, isolate profiles, the plain pairwise
 * merge, the anchor-based all-pairs engine and the dense reference (see distance.h). */
#include "tb/distance.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "tb/reference.h"

/* ---- intervals ---- */

int tb_intervals_add(struct tb_intervals *iv, uint32_t start, uint32_t end, struct gs_err *err)
{
    if (start < 1 || end < start || end > TB_GENOME_LENGTH)
        return gs_err_set(err, GS_EINVAL, "interval %u-%u is not on H37Rv (1-%u)", start, end,
                          TB_GENOME_LENGTH);
    if (iv->n == iv->cap) {
        size_t cap = iv->cap ? iv->cap * 2 : 16;
        uint32_t *s = realloc(iv->start, cap * sizeof *s);
        if (s == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for intervals");
        iv->start = s;
        uint32_t *e = realloc(iv->end, cap * sizeof *e);
        if (e == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for intervals");
        iv->end = e;
        iv->cap = cap;
    }
    iv->start[iv->n] = start;
    iv->end[iv->n] = end;
    iv->n++;
    return GS_OK;
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

void tb_intervals_finish(struct tb_intervals *iv)
{
    if (iv->n == 0)
        return;
    uint64_t *t = malloc(iv->n * sizeof *t);
    if (t == NULL) { /* keep unsorted pairs sorted the slow way: insertion sort */
        for (size_t i = 1; i < iv->n; i++)
            for (size_t j = i; j > 0 && iv->start[j - 1] > iv->start[j]; j--) {
                uint32_t s = iv->start[j], e = iv->end[j];
                iv->start[j] = iv->start[j - 1], iv->end[j] = iv->end[j - 1];
                iv->start[j - 1] = s, iv->end[j - 1] = e;
            }
    } else {
        for (size_t i = 0; i < iv->n; i++)
            t[i] = (uint64_t)iv->start[i] << 32 | iv->end[i];
        qsort(t, iv->n, sizeof *t, by_u64);
        for (size_t i = 0; i < iv->n; i++)
            iv->start[i] = (uint32_t)(t[i] >> 32), iv->end[i] = (uint32_t)t[i];
        free(t);
    }
    size_t w = 0;
    for (size_t i = 1; i < iv->n; i++) {
        if (iv->start[i] <= iv->end[w] + 1) {
            if (iv->end[i] > iv->end[w])
                iv->end[w] = iv->end[i];
        } else {
            w++;
            iv->start[w] = iv->start[i], iv->end[w] = iv->end[i];
        }
    }
    iv->n = w + 1;
}

bool tb_intervals_has(const struct tb_intervals *iv, uint32_t pos)
{
    size_t lo = 0, hi = iv->n; /* first interval with start > pos */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (iv->start[mid] <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && iv->end[lo - 1] >= pos;
}

uint64_t tb_intervals_bases(const struct tb_intervals *iv)
{
    uint64_t n = 0;
    for (size_t i = 0; i < iv->n; i++)
        n += (uint64_t)iv->end[i] - iv->start[i] + 1;
    return n;
}

void tb_intervals_free(struct tb_intervals *iv)
{
    free(iv->start);
    free(iv->end);
    memset(iv, 0, sizeof *iv);
}

int tb_bed_read(const char *path, struct tb_intervals *out, struct gs_err *err)
{
    gzFile f = gzopen(path, "rb");
    if (f == NULL)
        return gs_err_set(err, GS_EIO, "cannot read %s", path);
    char line[1024];
    int rc = GS_OK;
    long lineno = 0;
    while (rc == GS_OK && gzgets(f, line, sizeof line) != NULL) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n' || line[0] == '\r' ||
            strncmp(line, "track", 5) == 0 || strncmp(line, "browser", 7) == 0)
            continue;
        char contig[128];
        unsigned long start, end;
        if (sscanf(line, "%127s %lu %lu", contig, &start, &end) != 3 || end <= start ||
            end > TB_GENOME_LENGTH)
            rc = gs_err_set(err, GS_EINVAL, "%s line %ld: expected 'contig start end' with "
                            "0 <= start < end <= %u", path, lineno, TB_GENOME_LENGTH);
        else if (!tb_contig_is_reference(contig))
            rc = gs_err_set(err, GS_EINVAL, "%s line %ld: contig '%s' is not H37Rv "
                            "(NC_000962.3, AL123456.3 or Chromosome)", path, lineno, contig);
        else
            rc = tb_intervals_add(out, (uint32_t)start + 1, (uint32_t)end, err);
    }
    gzclose(f);
    if (rc == GS_OK)
        tb_intervals_finish(out);
    return rc;
}

/* ---- profiles ---- */

static int base_code(char b)
{
    switch (b) {
    case 'A': case 'a': return 0;
    case 'C': case 'c': return 1;
    case 'G': case 'g': return 2;
    case 'T': case 't': return 3;
    default: return -1;
    }
}

int tb_profile_add_snp(struct tb_profile *p, uint32_t pos, char base, struct gs_err *err)
{
    int code = base_code(base);
    if (code < 0 || pos < 1 || pos > TB_GENOME_LENGTH)
        return gs_err_set(err, GS_EINVAL, "SNP %u%c is not a base on H37Rv", pos, base);
    if (p->nsnps == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        uint32_t *s = realloc(p->snps, cap * sizeof *s);
        if (s == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for SNP calls");
        p->snps = s;
        p->cap = cap;
    }
    p->snps[p->nsnps++] = pos << 2 | (uint32_t)code;
    return GS_OK;
}

int tb_profile_add_missing(struct tb_profile *p, uint32_t start, uint32_t end, struct gs_err *err)
{
    return tb_intervals_add(&p->missing, start, end, err);
}

static int by_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int tb_profile_finish(struct tb_profile *p, const struct tb_intervals *mask, struct gs_err *err)
{
    if (p->nsnps > 1)
        qsort(p->snps, p->nsnps, sizeof *p->snps, by_u32);
    int rc = GS_OK;
    /* two different calls at one position: the position is unresolved */
    for (size_t i = 1; rc == GS_OK && i < p->nsnps; i++)
        if (p->snps[i] >> 2 == p->snps[i - 1] >> 2 && p->snps[i] != p->snps[i - 1])
            rc = tb_profile_add_missing(p, p->snps[i] >> 2, p->snps[i] >> 2, err);
    tb_intervals_finish(&p->missing);
    size_t w = 0;
    for (size_t i = 0; i < p->nsnps; i++) {
        uint32_t pos = p->snps[i] >> 2;
        if ((w > 0 && p->snps[w - 1] == p->snps[i]) || (mask && tb_intervals_has(mask, pos)) ||
            tb_intervals_has(&p->missing, pos))
            continue;
        p->snps[w++] = p->snps[i];
    }
    p->nsnps = w;
    return rc;
}

void tb_profile_free(struct tb_profile *p)
{
    free(p->snps);
    tb_intervals_free(&p->missing);
    memset(p, 0, sizeof *p);
}

uint32_t tb_distance_pair(const struct tb_profile *a, const struct tb_profile *b)
{
    uint32_t d = 0;
    size_t i = 0, j = 0;
    while (i < a->nsnps || j < b->nsnps) {
        uint32_t pa = i < a->nsnps ? a->snps[i] >> 2 : UINT32_MAX;
        uint32_t pb = j < b->nsnps ? b->snps[j] >> 2 : UINT32_MAX;
        uint32_t pos = pa < pb ? pa : pb;
        bool differ = pa != pb || a->snps[i] != b->snps[j];
        if (pa == pos)
            i++;
        if (pb == pos)
            j++;
        if (differ && !tb_intervals_has(&a->missing, pos) && !tb_intervals_has(&b->missing, pos))
            d++;
    }
    return d;
}

/* ---- the engine ---- */

struct isolate_code {
    uint32_t anchor;      /* index into anchors */
    uint32_t *diff;       /* key ids of (own keys Δ anchor's keys), sorted */
    uint32_t ndiff;
    const uint32_t *mstart, *mend; /* the profile's missing intervals (borrowed) */
    uint32_t nmiss;
    uint32_t *flip;       /* sites where holding a call differs from the anchor, sorted */
    uint32_t nflip;
    uint32_t *multi;      /* key ids it holds at multi-allelic sites, sorted */
    uint32_t nmulti;
};

struct tb_distances {
    size_t n;
    uint32_t nkeys;       /* distinct (position, base) calls */
    uint32_t *key;        /* pos << 2 | base, sorted */
    uint32_t nsites;      /* distinct positions */
    uint32_t *site_pos;
    uint32_t *site_key;   /* first key id of each site; site_key[nsites] = nkeys */
    uint32_t *multi;      /* sites with several alternative bases, sorted */
    uint32_t nmulti;
    uint32_t *key_site;   /* the site of each key */
    uint8_t *is_multi;    /* per site */
    uint32_t nanchors;
    uint32_t anchor_of[TB_ANCHORS_MAX]; /* the profile that founded each anchor's group */
    uint32_t *miss_calls; /* n × nanchors: the isolate's missing sites where anchor h calls */
    size_t words;         /* 64-bit words per anchor bitmap */
    uint64_t *bits;       /* nanchors × words: the anchor's keys */
    size_t site_words;
    uint64_t *site_bits;  /* nanchors × site_words: the sites where the anchor has a call */
    uint32_t *zsize;      /* nanchors × nanchors: |anchor_g Δ anchor_h| */
    struct isolate_code *code;
};

static uint32_t key_index(const struct tb_distances *d, uint32_t key)
{
    size_t lo = 0, hi = d->nkeys;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->key[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

/* |A Δ B| of two sorted key-id lists, stopping early once past limit. */
static uint32_t sym_diff_count(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                               uint32_t limit)
{
    uint32_t n = 0;
    size_t i = 0, j = 0;
    while (i < na && j < nb && n <= limit) {
        if (a[i] == b[j])
            i++, j++;
        else if (a[i] < b[j])
            i++, n++;
        else
            j++, n++;
    }
    return n + (uint32_t)(na - i) + (uint32_t)(nb - j);
}

/* Writes A Δ B of two sorted lists into out (room for na + nb); returns its length. */
static uint32_t sym_diff(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                         uint32_t *out)
{
    uint32_t n = 0;
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        if (j >= nb || (i < na && a[i] < b[j]))
            out[n++] = a[i++];
        else if (i >= na || b[j] < a[i])
            out[n++] = b[j++];
        else
            i++, j++;
    }
    return n;
}

/* The key ids of profile p (sorted, since keys are). */
static int profile_keys(const struct tb_distances *d, const struct tb_profile *p, uint32_t **out,
                        struct gs_err *err)
{
    *out = malloc((p->nsnps ? p->nsnps : 1) * sizeof **out);
    if (*out == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for distances");
    for (size_t i = 0; i < p->nsnps; i++)
        (*out)[i] = key_index(d, p->snps[i]);
    return GS_OK;
}

static int build_sites(struct tb_distances *d, const struct tb_profile *profiles, size_t n,
                       struct gs_err *err)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += profiles[i].nsnps;
    d->key = malloc((total ? total : 1) * sizeof *d->key);
    if (d->key == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for distances");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (profiles[i].nsnps > 0)
            memcpy(d->key + k, profiles[i].snps, profiles[i].nsnps * sizeof *d->key);
        k += profiles[i].nsnps;
    }
    if (total > 1)
        qsort(d->key, total, sizeof *d->key, by_u32);
    size_t w = 0;
    for (size_t i = 0; i < total; i++)
        if (w == 0 || d->key[w - 1] != d->key[i])
            d->key[w++] = d->key[i];
    d->nkeys = (uint32_t)w;
    d->site_pos = malloc((w + 1) * sizeof *d->site_pos);
    d->site_key = malloc((w + 1) * sizeof *d->site_key);
    d->multi = malloc((w + 1) * sizeof *d->multi);
    if (d->site_pos == NULL || d->site_key == NULL || d->multi == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for distances");
    for (uint32_t i = 0; i < d->nkeys; i++) {
        uint32_t pos = d->key[i] >> 2;
        if (d->nsites > 0 && d->site_pos[d->nsites - 1] == pos) {
            if (d->nmulti == 0 || d->multi[d->nmulti - 1] != d->nsites - 1)
                d->multi[d->nmulti++] = d->nsites - 1;
            continue;
        }
        d->site_pos[d->nsites] = pos;
        d->site_key[d->nsites] = i;
        d->nsites++;
    }
    d->site_key[d->nsites] = d->nkeys;
    d->key_site = malloc((d->nkeys + 1) * sizeof *d->key_site);
    d->is_multi = calloc(d->nsites + 1, 1);
    if (d->key_site == NULL || d->is_multi == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for distances");
    for (uint32_t s = 0; s < d->nsites; s++)
        for (uint32_t key = d->site_key[s]; key < d->site_key[s + 1]; key++)
            d->key_site[key] = s;
    for (uint32_t m = 0; m < d->nmulti; m++)
        d->is_multi[d->multi[m]] = 1;
    return GS_OK;
}

/* The site indexes inside p's missing intervals (malloc'd into *out, count *n). */
static int missing_sites(const struct tb_distances *d, const struct tb_profile *p, uint32_t **out,
                         uint32_t *n, struct gs_err *err)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    for (size_t m = 0; m < p->missing.n; m++) {
        size_t lo = 0, hi = d->nsites;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (d->site_pos[mid] < p->missing.start[m])
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t s = lo; s < d->nsites && d->site_pos[s] <= p->missing.end[m]; s++) {
            if (*n == cap) {
                cap = cap ? cap * 2 : 16;
                uint32_t *q = realloc(*out, cap * sizeof *q);
                if (q == NULL)
                    return gs_err_set(err, GS_ENOMEM, "out of memory for distances");
                *out = q;
            }
            (*out)[(*n)++] = (uint32_t)s;
        }
    }
    return GS_OK;
}

/* Each group's consensus: the keys more than half of its members hold (at most one key per
 * site, since two keys of a site cannot both pass half). An anchor that is the consensus
 * rather than one member keeps every member's difference list short. */
static int consensus(struct tb_distances *d, const struct tb_profile *profiles, uint32_t **keys,
                     uint32_t **cons, uint32_t *ncons, struct gs_err *err)
{
    uint32_t *count = calloc(d->nkeys + 1, sizeof *count);
    uint32_t *members = calloc(d->nanchors + 1, sizeof *members);
    if (count == NULL || members == NULL) {
        free(count), free(members);
        return gs_err_set(err, GS_ENOMEM, "out of memory for distances");
    }
    for (size_t i = 0; i < d->n; i++)
        members[d->code[i].anchor]++;
    int rc = GS_OK;
    for (uint32_t g = 0; rc == GS_OK && g < d->nanchors; g++) {
        size_t total = 0;
        for (size_t i = 0; i < d->n; i++)
            if (d->code[i].anchor == g) {
                for (size_t k = 0; k < profiles[i].nsnps; k++)
                    count[keys[i][k]]++;
                total += profiles[i].nsnps;
            }
        if ((cons[g] = malloc((total + 1) * sizeof **cons)) == NULL) {
            rc = gs_err_set(err, GS_ENOMEM, "out of memory for distances");
            break;
        }
        ncons[g] = 0;
        for (size_t i = 0; i < d->n; i++) /* collect in key order: walk members, then sort */
            if (d->code[i].anchor == g)
                for (size_t k = 0; k < profiles[i].nsnps; k++) {
                    uint32_t key = keys[i][k];
                    if (count[key] * 2 > members[g])
                        cons[g][ncons[g]++] = key;
                    count[key] = 0; /* reset, and each key is taken once */
                }
        if (ncons[g] > 1)
            qsort(cons[g], ncons[g], sizeof **cons, by_u32);
    }
    free(count), free(members);
    return rc;
}

#define ANCHOR_RADIUS 150 /* an isolate this close to an anchor joins it */

int tb_distances_build(const struct tb_profile *profiles, size_t n, struct tb_distances **out,
                       struct gs_err *err)
{
    struct tb_distances *d = calloc(1, sizeof *d);
    uint32_t **keys = calloc(n ? n : 1, sizeof *keys);
    int rc = GS_OK;
    if (d == NULL || keys == NULL || (d->code = calloc(n ? n : 1, sizeof *d->code)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for distances");
    if (rc == GS_OK)
        d->n = n, rc = build_sites(d, profiles, n, err);
    for (size_t i = 0; rc == GS_OK && i < n; i++) {
        rc = profile_keys(d, &profiles[i], &keys[i], err);
        d->code[i].mstart = profiles[i].missing.start;
        d->code[i].mend = profiles[i].missing.end;
        d->code[i].nmiss = (uint32_t)profiles[i].missing.n;
    }
    /* groups: the first isolate farther than ANCHOR_RADIUS from every group's founder
     * founds a new group (up to TB_ANCHORS_MAX); the anchor is then the group's consensus */
    for (size_t i = 0; rc == GS_OK && i < n; i++) {
        uint32_t best = UINT32_MAX, best_g = 0;
        for (uint32_t g = 0; g < d->nanchors && best > 0; g++) {
            size_t a = d->anchor_of[g];
            uint32_t x = sym_diff_count(keys[i], profiles[i].nsnps, keys[a], profiles[a].nsnps,
                                        best);
            if (x < best)
                best = x, best_g = g;
        }
        if (best > ANCHOR_RADIUS && d->nanchors < TB_ANCHORS_MAX) {
            best_g = d->nanchors;
            d->anchor_of[d->nanchors++] = (uint32_t)i;
        }
        d->code[i].anchor = best_g;
    }
    uint32_t *cons[TB_ANCHORS_MAX] = {0}, ncons[TB_ANCHORS_MAX] = {0};
    if (rc == GS_OK)
        rc = consensus(d, profiles, keys, cons, ncons, err);
    d->words = (d->nkeys + 63) / 64 + 1;
    d->site_words = (d->nsites + 63) / 64 + 1;
    if (rc == GS_OK && ((d->bits = calloc((size_t)d->nanchors * d->words + 1, 8)) == NULL ||
                        (d->zsize = calloc((size_t)d->nanchors * d->nanchors + 1, 4)) == NULL ||
                        (d->site_bits = calloc((size_t)d->nanchors * d->site_words + 1, 8)) ==
                            NULL ||
                        (d->miss_calls = calloc(n * d->nanchors + 1, 4)) == NULL))
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for distances");
    for (uint32_t g = 0; rc == GS_OK && g < d->nanchors; g++) {
        for (size_t k = 0; k < ncons[g]; k++) {
            uint32_t key = cons[g][k], site = d->key_site[key];
            d->bits[(size_t)g * d->words + key / 64] |= 1ull << (key % 64);
            d->site_bits[(size_t)g * d->site_words + site / 64] |= 1ull << (site % 64);
        }
        for (uint32_t h = 0; h < g; h++) {
            uint32_t z = sym_diff_count(cons[g], ncons[g], cons[h], ncons[h], UINT32_MAX);
            d->zsize[g * d->nanchors + h] = d->zsize[h * d->nanchors + g] = z;
        }
    }
    for (size_t i = 0; rc == GS_OK && i < n; i++) {
        struct isolate_code *c = &d->code[i];
        uint32_t g = c->anchor;
        uint32_t *tmp = malloc((profiles[i].nsnps + ncons[g] + 1) * sizeof *tmp);
        if (tmp == NULL) {
            rc = gs_err_set(err, GS_ENOMEM, "out of memory for distances");
            break;
        }
        c->ndiff = sym_diff(keys[i], profiles[i].nsnps, cons[g], ncons[g], tmp);
        uint32_t *shrunk = realloc(tmp, (c->ndiff + 1) * sizeof *tmp);
        c->diff = shrunk ? shrunk : tmp;
        /* a site flips when an odd number of its keys differ from the anchor's */
        c->flip = malloc((c->ndiff + 1) * sizeof *c->flip);
        c->multi = malloc((profiles[i].nsnps + 1) * sizeof *c->multi);
        if (c->flip == NULL || c->multi == NULL) {
            rc = gs_err_set(err, GS_ENOMEM, "out of memory for distances");
            break;
        }
        for (uint32_t x = 0; x < c->ndiff;) {
            uint32_t site = d->key_site[c->diff[x]], y = x;
            while (y < c->ndiff && d->key_site[c->diff[y]] == site)
                y++;
            if ((y - x) % 2 == 1)
                c->flip[c->nflip++] = site;
            x = y;
        }
        for (size_t k = 0; k < profiles[i].nsnps; k++)
            if (d->is_multi[d->key_site[keys[i][k]]])
                c->multi[c->nmulti++] = keys[i][k];
        /* per anchor: how many of the isolate's missing sites it calls */
        uint32_t *miss = NULL, nmiss = 0;
        if ((rc = missing_sites(d, &profiles[i], &miss, &nmiss, err)) == GS_OK)
            for (uint32_t h = 0; h < d->nanchors; h++) {
                const uint64_t *bits = d->site_bits + (size_t)h * d->site_words;
                uint32_t x = 0;
                for (uint32_t m = 0; m < nmiss; m++)
                    x += (bits[miss[m] / 64] >> (miss[m] % 64)) & 1;
                d->miss_calls[i * d->nanchors + h] = x;
            }
        free(miss);
    }
    for (uint32_t g = 0; g < TB_ANCHORS_MAX; g++)
        free(cons[g]);
    for (size_t i = 0; keys != NULL && i < n; i++)
        free(keys[i]);
    free(keys);
    if (rc != GS_OK) {
        tb_distances_free(d);
        return rc;
    }
    *out = d;
    return GS_OK;
}

void tb_distances_free(struct tb_distances *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; d->code != NULL && i < d->n; i++)
        free(d->code[i].diff), free(d->code[i].flip), free(d->code[i].multi);
    free(d->code);
    free(d->key);
    free(d->site_pos);
    free(d->site_key);
    free(d->multi);
    free(d->key_site);
    free(d->is_multi);
    free(d->site_bits);
    free(d->miss_calls);
    free(d->bits);
    free(d->zsize);
    free(d);
}

size_t tb_distances_anchors(const struct tb_distances *d)
{
    return d->nanchors;
}

/* How many sites missing in a (index ia) carry a call in b: those b's anchor calls (counted at
 * build time), corrected at b's flip sites that fall in a's missing intervals (a merge of two
 * short sorted lists). */
static int64_t missing_calls(const struct tb_distances *d, size_t ia, const struct isolate_code *a,
                             const struct isolate_code *b)
{
    if (a->nmiss == 0)
        return 0;
    const uint64_t *bits = d->site_bits + (size_t)b->anchor * d->site_words;
    int64_t n = d->miss_calls[ia * d->nanchors + b->anchor];
    uint32_t m = 0;
    for (uint32_t f = 0; f < b->nflip && m < a->nmiss; f++) {
        uint32_t s = b->flip[f], pos = d->site_pos[s];
        while (m < a->nmiss && a->mend[m] < pos)
            m++;
        if (m < a->nmiss && a->mstart[m] <= pos)
            n += ((bits[s / 64] >> (s % 64)) & 1) ? -1 : 1;
    }
    return n;
}

uint32_t tb_distances_get(const struct tb_distances *d, size_t i, size_t j)
{
    const struct isolate_code *a = &d->code[i], *b = &d->code[j];
    uint32_t g = a->anchor, h = b->anchor;
    int64_t n = d->zsize[g * d->nanchors + h];
    const uint64_t *bg = d->bits + (size_t)g * d->words, *bh = d->bits + (size_t)h * d->words;
    /* keys in a.diff Δ b.diff: +1 unless in anchor_g Δ anchor_h, where they cancel */
    size_t x = 0, y = 0;
    while (x < a->ndiff || y < b->ndiff) {
        uint32_t k;
        if (y >= b->ndiff || (x < a->ndiff && a->diff[x] < b->diff[y]))
            k = a->diff[x++];
        else if (x >= a->ndiff || b->diff[y] < a->diff[x])
            k = b->diff[y++];
        else {
            x++, y++;
            continue;
        }
        bool in_z = ((bg[k / 64] ^ bh[k / 64]) >> (k % 64)) & 1;
        n += in_z ? -1 : 1;
    }
    /* n counts differing keys; correct it exactly. At a site missing in one isolate that
     * isolate has no call (tb_profile_finish dropped it), so the count holds 1 exactly
     * when the other has a call there, and the truth is 0. At a multi-allelic site where
     * both have different calls the count holds 2 and the truth is 1. */
    n -= missing_calls(d, i, a, b);
    n -= missing_calls(d, j, b, a);
    for (size_t p = 0, q = 0; p < a->nmulti && q < b->nmulti;) {
        uint32_t sa = d->key_site[a->multi[p]], sb = d->key_site[b->multi[q]];
        if (sa < sb)
            p++;
        else if (sb < sa)
            q++;
        else
            n -= a->multi[p++] != b->multi[q++];
    }
    return (uint32_t)n;
}

void tb_pair_list_free(struct tb_pair_list *l)
{
    free(l->pairs);
    memset(l, 0, sizeof *l);
}

static int pair_push(struct tb_pair_list *l, uint32_t i, uint32_t j, uint32_t snps)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        struct tb_pair *p = realloc(l->pairs, cap * sizeof *p);
        if (p == NULL)
            return GS_ENOMEM;
        l->pairs = p;
        l->cap = cap;
    }
    l->pairs[l->n++] = (struct tb_pair){i, j, snps};
    return GS_OK;
}

struct worker {
    const struct tb_distances *d;
    size_t from, keep, nhist;
    int t, nthreads;
    struct tb_pair_list pairs;
    uint64_t *hist;
    int rc;
};

static void *work_rows(void *arg)
{
    struct worker *w = arg;
    for (size_t i = w->from + (size_t)w->t; i < w->d->n; i += (size_t)w->nthreads)
        for (size_t j = 0; j < i; j++) {
            uint32_t x = tb_distances_get(w->d, i, j);
            if (w->hist)
                w->hist[x < w->nhist ? x : w->nhist - 1]++;
            if (x <= w->keep && pair_push(&w->pairs, (uint32_t)i, (uint32_t)j, x) != GS_OK) {
                w->rc = GS_ENOMEM;
                return NULL;
            }
        }
    return NULL;
}

static int by_pair(const void *a, const void *b)
{
    const struct tb_pair *x = a, *y = b;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

int tb_distances_all(const struct tb_distances *d, size_t from, uint32_t keep, int threads,
                     struct tb_pair_list *out, uint64_t *hist, size_t nhist, struct gs_err *err)
{
    if (threads < 1)
        threads = 1;
    if (threads > TB_THREADS_MAX)
        threads = TB_THREADS_MAX;
    if (hist != NULL && nhist == 0)
        return gs_err_set(err, GS_EINVAL, "a distance histogram needs at least one bucket");
    struct worker w[TB_THREADS_MAX];
    pthread_t tid[TB_THREADS_MAX];
    int started = 0, rc = GS_OK;
    for (int t = 0; t < threads; t++) {
        w[t] = (struct worker){d, from, keep, nhist, t, threads, {0}, NULL, GS_OK};
        if (hist != NULL && (w[t].hist = calloc(nhist, sizeof *w[t].hist)) == NULL) {
            rc = GS_ENOMEM;
            break;
        }
    }
    for (int t = 0; rc == GS_OK && t < threads; t++) {
        if (t > 0 && pthread_create(&tid[t], NULL, work_rows, &w[t]) != 0) {
            rc = gs_err_set(err, GS_EINTERNAL, "cannot start a distance thread");
            break;
        }
        started = t + 1;
    }
    if (started > 0)
        work_rows(&w[0]);
    for (int t = 1; t < started; t++)
        pthread_join(tid[t], NULL);
    for (int t = 0; t < threads; t++) {
        if (rc == GS_OK && w[t].rc != GS_OK)
            rc = w[t].rc;
        for (size_t k = 0; rc == GS_OK && k < w[t].pairs.n; k++)
            if (pair_push(out, w[t].pairs.pairs[k].i, w[t].pairs.pairs[k].j,
                          w[t].pairs.pairs[k].snps) != GS_OK)
                rc = GS_ENOMEM;
        for (size_t k = 0; rc == GS_OK && hist != NULL && k < nhist; k++)
            hist[k] += w[t].hist[k];
        tb_pair_list_free(&w[t].pairs);
        free(w[t].hist);
    }
    if (rc == GS_ENOMEM)
        return gs_err_set(err, rc, "out of memory for distances");
    if (rc != GS_OK)
        return rc;
    if (out->n > 1)
        qsort(out->pairs, out->n, sizeof *out->pairs, by_pair);
    return GS_OK;
}

/* ---- the dense reference ---- */

int tb_distances_dense(const struct tb_profile *profiles, size_t n, uint32_t *matrix,
                       struct gs_err *err)
{
    /* columns: every position any isolate calls; cell: 0 reference, 1+base, 5 missing */
    struct tb_distances sites = {0};
    int rc = build_sites(&sites, profiles, n, err);
    size_t S = sites.nsites;
    uint8_t *cell = rc == GS_OK ? calloc(n * S + 1, 1) : NULL;
    if (rc == GS_OK && cell == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for the dense matrix");
    for (size_t i = 0; rc == GS_OK && i < n; i++) {
        uint8_t *row = cell + i * S;
        size_t s = 0;
        for (size_t k = 0; k < profiles[i].nsnps; k++) {
            while (sites.site_pos[s] < profiles[i].snps[k] >> 2)
                s++;
            row[s] = (uint8_t)(1 + (profiles[i].snps[k] & 3));
        }
        for (s = 0; s < S; s++)
            if (tb_intervals_has(&profiles[i].missing, sites.site_pos[s]))
                row[s] = 5;
    }
    for (size_t i = 0; rc == GS_OK && i < n; i++) {
        matrix[i * n + i] = 0;
        for (size_t j = 0; j < i; j++) {
            const uint8_t *a = cell + i * S, *b = cell + j * S;
            uint32_t x = 0;
            for (size_t s = 0; s < S; s++)
                x += a[s] != b[s] && a[s] != 5 && b[s] != 5;
            matrix[i * n + j] = matrix[j * n + i] = x;
        }
    }
    free(cell);
    free(sites.key);
    free(sites.site_pos);
    free(sites.site_key);
    free(sites.multi);
    free(sites.key_site);
    free(sites.is_multi);
    return rc;
}
