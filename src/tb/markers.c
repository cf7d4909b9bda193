/* markers.c — WHO "solo" marker search, Wilson intervals and Fisher's exact test (see
 * markers.h). */
#include "tb/markers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- statistics ---- */

void stats_wilson(uint32_t k, uint32_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0, *hi = 1;
        return;
    }
    double p = (double)k / n, z2 = z * z, nn = (double)n;
    double denom = 1 + z2 / nn;
    double centre = (p + z2 / (2 * nn)) / denom;
    double half = z / denom * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *lo = centre - half < 0 ? 0 : centre - half;
    *hi = centre + half > 1 ? 1 : centre + half;
}

static double log_choose(uint32_t n, uint32_t k)
{
    return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1);
}

/* log P of the table with top-left x under fixed margins (hypergeometric). */
static double log_table(uint32_t x, uint32_t row1, uint32_t col1, uint32_t total)
{
    return log_choose(col1, x) + log_choose(total - col1, row1 - x) - log_choose(total, row1);
}

double stats_fisher_two_sided(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    uint32_t row1 = a + b, col1 = a + c, total = a + b + c + d;
    if (total == 0)
        return 1;
    uint32_t lo = row1 + col1 > total ? row1 + col1 - total : 0;
    uint32_t hi = row1 < col1 ? row1 : col1;
    double observed = log_table(a, row1, col1, total);
    double p = 0;
    for (uint32_t x = lo; x <= hi; x++) {
        double lp = log_table(x, row1, col1, total);
        if (lp <= observed + 1e-7) /* relative tolerance, as R's fisher.test */
            p += exp(lp);
    }
    return p > 1 ? 1 : p;
}

/* ---- the solo search ---- */

static bool graded_r(int grade)
{
    return grade == 1 || grade == 2;
}

static int by_isolate(const void *a, const void *b)
{
    const struct marker_call *x = a, *y = b;
    if (x->isolate != y->isolate)
        return x->isolate < y->isolate ? -1 : 1;
    return x->variant < y->variant ? -1 : x->variant > y->variant;
}

static int by_p(const void *a, const void *b)
{
    const struct marker_row *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->variant < y->variant ? -1 : x->variant > y->variant;
}

/* The calls present at min_af, sorted by isolate (a malloc'd copy). */
static int present_calls(const struct marker_input *in, struct marker_call **out, size_t *n,
                         struct gs_err *err)
{
    *out = malloc((in->ncalls + 1) * sizeof **out);
    if (*out == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for the marker search");
    *n = 0;
    for (size_t k = 0; k < in->ncalls; k++) {
        const struct marker_call *c = &in->calls[k];
        if (c->af >= in->min_af && c->isolate < in->nisolates && c->variant < in->nvariants)
            (*out)[(*n)++] = *c;
    }
    if (*n > 1)
        qsort(*out, *n, sizeof **out, by_isolate);
    return GS_OK;
}

int markers_solo(const struct marker_input *in, struct marker_row **rows, size_t *nrows,
                 struct gs_err *err)
{
    struct marker_call *calls;
    size_t ncalls;
    int rc = present_calls(in, &calls, &ncalls, err);
    if (rc != GS_OK)
        return rc;
    uint32_t *solo_r = calloc(in->nvariants + 1, sizeof *solo_r);
    uint32_t *solo_s = calloc(in->nvariants + 1, sizeof *solo_s);
    uint32_t *with_r = calloc(in->nvariants + 1, sizeof *with_r);
    uint32_t *with_s = calloc(in->nvariants + 1, sizeof *with_s);
    *rows = malloc((in->nvariants + 1) * sizeof **rows);
    if (solo_r == NULL || solo_s == NULL || with_r == NULL || with_s == NULL || *rows == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for the marker search");
    uint32_t total_r = 0, total_s = 0;
    for (size_t i = 0; rc == GS_OK && i < in->nisolates; i++)
        total_r += in->phenotype[i] == 'R', total_s += in->phenotype[i] == 'S';
    for (size_t k = 0; rc == GS_OK && k < ncalls;) {
        size_t end = k; /* calls[k..end) are one isolate's (a variant counted once) */
        uint32_t graded = 0, iso = calls[k].isolate;
        for (; end < ncalls && calls[end].isolate == iso; end++)
            if ((end == k || calls[end].variant != calls[end - 1].variant) &&
                graded_r(in->variants[calls[end].variant].grade))
                graded++;
        char ph = in->phenotype[iso];
        for (size_t x = k; (ph == 'R' || ph == 'S') && x < end; x++) {
            uint32_t v = calls[x].variant;
            if (x > k && v == calls[x - 1].variant)
                continue;
            bool solo = graded - (graded_r(in->variants[v].grade) ? 1 : 0) == 0;
            if (ph == 'R')
                with_r[v]++, solo_r[v] += solo;
            else
                with_s[v]++, solo_s[v] += solo;
        }
        k = end;
    }
    *nrows = 0;
    for (uint32_t v = 0; rc == GS_OK && v < in->nvariants; v++) {
        if (solo_r[v] + solo_s[v] == 0)
            continue;
        struct marker_row *r = &(*rows)[(*nrows)++];
        memset(r, 0, sizeof *r);
        r->variant = v;
        r->a = solo_r[v], r->b = solo_s[v];
        r->c = total_r - with_r[v], r->d = total_s - with_s[v];
        r->carriers = with_r[v] + with_s[v];
        r->ppv = (double)r->a / (r->a + r->b);
        stats_wilson(r->a, r->a + r->b, 1.959964, &r->ppv_lo, &r->ppv_hi);
        double a = r->a, b = r->b, c = r->c, d = r->d;
        if (r->a == 0 || r->b == 0 || r->c == 0 || r->d == 0)
            a += 0.5, b += 0.5, c += 0.5, d += 0.5;
        r->odds_ratio = (a * d) / (b * c);
        r->p = stats_fisher_two_sided(r->a, r->b, r->c, r->d);
        const struct marker_variant *mv = &in->variants[v];
        r->candidate = !graded_r(mv->grade) &&
                       (mv->effect == NULL || strcmp(mv->effect, "synonymous_variant") != 0) &&
                       r->a >= in->min_solo && r->ppv_lo >= 0.25 && r->odds_ratio > 1 &&
                       r->p < 0.05;
    }
    if (rc == GS_OK && *nrows > 1)
        qsort(*rows, *nrows, sizeof **rows, by_p);
    else
        free(*rows), *rows = NULL;
    free(calls), free(solo_r), free(solo_s), free(with_r), free(with_s);
    return rc;
}

static int by_bin(const void *a, const void *b)
{
    const struct marker_mic_bin *x = a, *y = b;
    if (x->variant != y->variant)
        return x->variant < y->variant ? -1 : 1;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    return strcmp(x->relation, y->relation);
}

int markers_mic_distribution(const struct marker_input *in, const struct marker_mic *mics,
                             size_t nmics, struct marker_mic_bin **bins, size_t *nbins,
                             struct gs_err *err)
{
    struct marker_call *calls;
    size_t ncalls;
    int rc = present_calls(in, &calls, &ncalls, err);
    if (rc != GS_OK)
        return rc;
    size_t cap = 64, n = 0;
    struct marker_mic_bin *b = malloc(cap * sizeof *b);
    if (b == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for the MIC distribution");
    for (size_t m = 0; rc == GS_OK && m < nmics; m++) {
        /* the calls of this isolate: a binary search for the first */
        size_t lo = 0, hi = ncalls;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (calls[mid].isolate < mics[m].isolate)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t end = lo;
        while (end < ncalls && calls[end].isolate == mics[m].isolate)
            end++;
        for (size_t x = lo; rc == GS_OK && x <= end; x++) {
            uint32_t v;
            if (x < end)
                v = calls[x].variant;
            else if (end == lo)
                v = UINT32_MAX;
            else
                break;
            if (x > lo && x < end && v == calls[x - 1].variant)
                continue;
            size_t k = 0;
            while (k < n && !(b[k].variant == v && b[k].value == mics[m].value &&
                              strcmp(b[k].relation, mics[m].relation) == 0))
                k++;
            if (k == n) {
                if (n == cap) {
                    struct marker_mic_bin *p = realloc(b, cap * 2 * sizeof *p);
                    if (p == NULL) {
                        rc = gs_err_set(err, GS_ENOMEM, "out of memory for the MIC distribution");
                        break;
                    }
                    b = p, cap *= 2;
                }
                b[n] = (struct marker_mic_bin){v, {0}, mics[m].value, 0};
                snprintf(b[n].relation, sizeof b[n].relation, "%s", mics[m].relation);
                n++;
            }
            b[k].isolates++;
        }
    }
    free(calls);
    if (rc != GS_OK) {
        free(b);
        return rc;
    }
    if (n > 1)
        qsort(b, n, sizeof *b, by_bin);
    *bins = b;
    *nbins = n;
    return GS_OK;
}
