/* normalize.c — chromosome names, reference FASTA windows, trim and left-align
 * (see normalize.h). */
#include "variants/normalize.h"

#include <ctype.h>
#include <htslib/faidx.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int chrom_normalize(const char *in, char *out, size_t size, struct gs_err *err)
{
    const char *p = in ? in : "";
    if (strncasecmp(p, "chr", 3) == 0 && p[3] != '\0')
        p += 3;
    if (strcasecmp(p, "M") == 0 || strcasecmp(p, "MT") == 0)
        p = "MT";
    else if (strcasecmp(p, "X") == 0)
        p = "X";
    else if (strcasecmp(p, "Y") == 0)
        p = "Y";
    size_t n = strlen(p);
    if (n == 0 || n >= size)
        return gs_err_set(err, GS_EINVAL, "chromosome name '%.40s' is %s", in ? in : "",
                          n == 0 ? "empty" : "too long");
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)p[i]) && p[i] != '.' && p[i] != '_' && p[i] != '-')
            return gs_err_set(err, GS_EINVAL, "chromosome name '%.40s' has a character outside "
                              "letters, digits, '.', '_' and '-'", in);
    memcpy(out, p, n + 1);
    return GS_OK;
}

struct reference {
    faidx_t *fai;
    char path[512];
    char chrom[64];       /* our spelling of the cached chromosome */
    char seqname[64];     /* the FASTA's spelling of it */
    int64_t seqlen;
    int64_t win_start;    /* 1-based position of win[0] */
    int64_t win_len;
    char *win;
};

int reference_open(const char *path, struct reference **out, struct gs_err *err)
{
    if (strstr(path, "://") != NULL)
        return gs_err_set(err, GS_EINVAL, "reference %.200s: only local files are read", path);
    struct reference *r = calloc(1, sizeof *r);
    if (r == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for the reference");
    snprintf(r->path, sizeof r->path, "%s", path);
    r->fai = fai_load3(path, NULL, NULL, FAI_CREATE);
    if (r->fai == NULL) {
        free(r);
        return gs_err_set(err, GS_EIO, "cannot open reference FASTA %.300s (a FASTA with its "
                          ".fai index, or bgzip with .fai and .gzi)", path);
    }
    *out = r;
    return GS_OK;
}

void reference_close(struct reference *r)
{
    if (r == NULL)
        return;
    fai_destroy(r->fai);
    free(r->win);
    free(r);
}

/* Makes chrom the cached chromosome (finding the FASTA's name for it). */
static int use_chrom(struct reference *r, const char *chrom, struct gs_err *err)
{
    if (strcmp(r->chrom, chrom) == 0 && r->seqname[0])
        return GS_OK;
    char cand[3][80];
    snprintf(cand[0], sizeof cand[0], "%s", chrom);
    snprintf(cand[1], sizeof cand[1], "chr%s", chrom);
    snprintf(cand[2], sizeof cand[2], "%s", strcmp(chrom, "MT") == 0 ? "chrM" : chrom);
    for (int i = 0; i < 3; i++) {
        if (faidx_has_seq(r->fai, cand[i])) {
            snprintf(r->chrom, sizeof r->chrom, "%.63s", chrom);
            snprintf(r->seqname, sizeof r->seqname, "%.63s", cand[i]);
            r->seqlen = faidx_seq_len(r->fai, cand[i]);
            free(r->win);
            r->win = NULL;
            r->win_len = 0;
            return GS_OK;
        }
    }
    return gs_err_set(err, GS_ENOTFOUND, "chromosome %.40s is not in the reference %.200s",
                      chrom, r->path);
}

int reference_base(struct reference *r, const char *chrom, int64_t pos, char *out,
                   struct gs_err *err)
{
    int rc = use_chrom(r, chrom, err);
    if (rc != GS_OK)
        return rc;
    if (pos < 1 || pos > r->seqlen)
        return gs_err_set(err, GS_EINVAL, "position %s:%lld is outside the reference "
                          "(length %lld)", chrom, (long long)pos, (long long)r->seqlen);
    if (r->win == NULL || pos < r->win_start || pos >= r->win_start + r->win_len) {
        int64_t start = pos > NORMALIZE_WINDOW / 4 ? pos - NORMALIZE_WINDOW / 4 : 1;
        int64_t end = start + NORMALIZE_WINDOW - 1;
        if (end > r->seqlen)
            end = r->seqlen;
        hts_pos_t len = 0;
        char *seq = faidx_fetch_seq64(r->fai, r->seqname, start - 1, end - 1, &len);
        if (seq == NULL || len <= 0) {
            free(seq);
            return gs_err_set(err, GS_EIO, "cannot read %s:%lld-%lld from %.200s", chrom,
                              (long long)start, (long long)end, r->path);
        }
        free(r->win);
        r->win = seq;
        r->win_start = start;
        r->win_len = len;
    }
    *out = (char)toupper((unsigned char)r->win[pos - r->win_start]);
    return GS_OK;
}

static bool is_bases(const char *s)
{
    for (; *s; s++)
        if (strchr("ACGTN", *s) == NULL)
            return false;
    return true;
}

int variant_normalize(struct reference *r, const char *chrom, int64_t *pos, char *ref, char *alt,
                      bool *changed, struct gs_err *err)
{
    *changed = false;
    for (char *p = ref; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    bool symbolic = alt[0] == '<' || strcmp(alt, "*") == 0 || strcmp(alt, ".") == 0;
    if (!symbolic)
        for (char *p = alt; *p; p++)
            *p = (char)toupper((unsigned char)*p);
    if (ref[0] == '\0' || !is_bases(ref))
        return gs_err_set(err, GS_EINVAL, "REF '%.40s' is not a sequence of A, C, G, T, N", ref);
    if (!symbolic && (alt[0] == '\0' || !is_bases(alt)))
        return gs_err_set(err, GS_EINVAL, "ALT '%.40s' is not a sequence of A, C, G, T, N", alt);
    if (*pos < 1)
        return gs_err_set(err, GS_EINVAL, "position %lld is not positive", (long long)*pos);
    int rc;
    if (r != NULL) {
        size_t n = strlen(ref);
        for (size_t i = 0; i < n; i++) {
            char b;
            if ((rc = reference_base(r, chrom, *pos + (int64_t)i, &b, err)) != GS_OK)
                return rc;
            if (b != ref[i] && ref[i] != 'N') {
                char want[24];
                size_t k = 0;
                for (; k < n && k < sizeof want - 4; k++)
                    if (reference_base(r, chrom, *pos + (int64_t)k, &want[k], err) != GS_OK)
                        break;
                snprintf(want + k, sizeof want - k, "%s", k < n ? "..." : "");
                return gs_err_set(err, GS_EINVAL, "REF '%.20s%s' does not match the reference "
                                  "'%s' at %s:%lld", ref, n > 20 ? "..." : "", want, chrom,
                                  (long long)*pos);
            }
        }
    }
    if (symbolic || strcmp(ref, alt) == 0)
        return GS_OK;
    size_t nr = strlen(ref), na = strlen(alt);
    /* trim the shared suffix, extending to the left from the reference when an allele
     * would become empty (needs the reference; without one, stop at one base) */
    for (;;) {
        if (nr > 0 && na > 0 && ref[nr - 1] == alt[na - 1]) {
            if ((nr == 1 || na == 1) && (r == NULL || *pos <= 1))
                break;
            ref[--nr] = '\0';
            alt[--na] = '\0';
            *changed = true;
        }
        if (nr == 0 || na == 0) {
            char b;
            if ((rc = reference_base(r, chrom, *pos - 1, &b, err)) != GS_OK)
                return rc;
            memmove(ref + 1, ref, nr + 1);
            memmove(alt + 1, alt, na + 1);
            ref[0] = alt[0] = b;
            nr++, na++;
            (*pos)--;
            continue;
        }
        if (ref[nr - 1] != alt[na - 1])
            break;
    }
    /* trim the shared prefix while both keep at least one base */
    size_t k = 0;
    while (k + 1 < nr && k + 1 < na && ref[k] == alt[k])
        k++;
    if (k > 0) {
        memmove(ref, ref + k, nr - k + 1);
        memmove(alt, alt + k, na - k + 1);
        *pos += (int64_t)k;
        *changed = true;
    }
    return GS_OK;
}
