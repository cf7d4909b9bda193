/* vcf_names.c — the VCF walk behind `tb name` (see vcf_names.h). */
#include "tb/vcf_names.h"

#include <htslib/vcf.h>
#include <stdlib.h>
#include <string.h>

static bool plain_bases(const char *a)
{
    for (; *a != '\0'; a++)
        if (strchr("ACGTN", *a) == NULL)
            return false;
    return true;
}

int tb_vcf_name_each(const struct tb_ref *ref, const char *path, const char *info_key,
                     tb_vcf_edit_fn fn, void *ctx, struct gs_err *err)
{
    if (strstr(path, "://") != NULL)
        return gs_err_set(err, GS_EINVAL, "%s: only local VCF files are read", path);
    htsFile *fp = hts_open(path, "r");
    if (fp == NULL)
        return gs_err_set(err, GS_EIO, "cannot open %s", path);
    bcf_hdr_t *hdr = bcf_hdr_read(fp);
    if (hdr == NULL) {
        hts_close(fp);
        return gs_err_set(err, GS_EINVAL, "%s: not a VCF (no header)", path);
    }
    bcf1_t *rec = bcf_init();
    struct tb_names names = {0};
    char *info = NULL;
    int info_cap = 0;
    int rc = GS_OK, r;
    int64_t n = 0;
    int last_rid = -1;
    char upper[2][256];
    while (rc == GS_OK && (r = bcf_read(fp, hdr, rec)) == 0) {
        n++;
        if (rec->rid != last_rid) {
            const char *contig = bcf_hdr_id2name(hdr, rec->rid);
            char where[300];
            snprintf(where, sizeof where, "%s record %lld", path, (long long)n);
            if ((rc = tb_contig_check(contig, where, err)) != GS_OK)
                break;
            last_rid = rec->rid;
        }
        if (bcf_unpack(rec, BCF_UN_STR | BCF_UN_INFO) < 0) {
            rc = gs_err_set(err, GS_EINVAL, "%s: record %lld cannot be parsed", path,
                            (long long)n);
            break;
        }
        const char *value = NULL;
        if (info_key != NULL && bcf_get_info_string(hdr, rec, info_key, &info, &info_cap) > 0)
            value = info;
        const char *refa = rec->d.allele[0];
        for (int i = 1; i < rec->n_allele && rc == GS_OK; i++) {
            struct tb_vcf_edit e = {.record = n, .pos = (int64_t)rec->pos + 1, .ref = refa,
                                    .alt = rec->d.allele[i], .info_value = value};
            /* VCF allows lower case bases: compare in upper case when short */
            const char *ra = refa, *aa = e.alt;
            if (strlen(ra) < sizeof upper[0] && strlen(aa) < sizeof upper[1]) {
                for (int k = 0; k < 2; k++) {
                    const char *src = k == 0 ? ra : aa;
                    size_t j = 0;
                    for (; src[j] != '\0'; j++)
                        upper[k][j] = (char)(src[j] >= 'a' && src[j] <= 'z' ? src[j] - 32 : src[j]);
                    upper[k][j] = '\0';
                }
                ra = upper[0];
                aa = upper[1];
                e.ref = ra;
                e.alt = aa;
            }
            if (!plain_bases(aa) || !plain_bases(ra)) {
                e.skipped = "symbolic or non-base allele";
                rc = fn(ctx, &e, NULL);
                continue;
            }
            if (strlen(ra) == strlen(aa) && strcmp(ra, aa) == 0) {
                e.skipped = "ALT equals REF";
                rc = fn(ctx, &e, NULL);
                continue;
            }
            if ((rc = tb_name_edit(ref, e.pos, ra, aa, &names, err)) != GS_OK) {
                if (err != NULL) { /* say where: the first message wins, so rebuild it */
                    char msg[GS_ERR_MSG_MAX];
                    snprintf(msg, sizeof msg, "%s", err->msg);
                    gs_err_clear(err);
                    gs_err_set(err, rc, "%s record %lld: %s", path, (long long)n, msg);
                }
                break;
            }
            rc = fn(ctx, &e, &names);
        }
    }
    if (rc == GS_OK && r < -1)
        rc = gs_err_set(err, GS_EINVAL, "%s: VCF parse error after record %lld", path,
                        (long long)n);
    free(info);
    tb_names_free(&names);
    bcf_destroy(rec);
    bcf_hdr_destroy(hdr);
    hts_close(fp);
    return rc;
}
