/* api_tb.c — TB reference, catalogue and resistance profiles. Sections: tbres (profile of an
 * uploaded VCF); tbname appends its reference routes in a section of its own. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/parse.h"
#include "http/request.h"
#include "store/store_tb.h"
#include "tb/profile.h"

/* ---- tbres: POST /api/v1/tb/profile ----
 * Body: one sample's VCF (plain or bgzip), at most the server's body limit. Query:
 * catalogue=VERSION, min_depth=N, min_af=F, sample=NAME. Reply: the profile JSON of
 * `genoshare tb profile --json`. htslib reads files, so the body goes to a private
 * temporary file (mkstemp, removed before the reply). Needs a signed-in user: profiling
 * reads no dataset, but costs CPU. */

static int profile_options(struct request *rq, struct tb_profile_options *opt, struct gs_err *err)
{
    tb_profile_options_default(opt);
    const char *depth = request_query(rq, "min_depth"), *af = request_query(rq, "min_af");
    if (depth != NULL) {
        int64_t v;
        if (parse_int64(depth, 0, 100000, &v, err) != GS_OK)
            return gs_err_set(err, GS_EINVAL, "min_depth: %s", err->msg);
        opt->resistance.min_depth = (int)v;
    }
    if (af != NULL) {
        char *end;
        double v = strtod(af, &end);
        if (af[0] == '\0' || *end != '\0' || !(v >= 0 && v <= 1))
            return gs_err_set(err, GS_EINVAL, "min_af '%.20s' is not a fraction 0-1", af);
        opt->resistance.min_af = v;
    }
    return GS_OK;
}

static int body_to_file(struct request *rq, char *path, size_t size, struct gs_err *err)
{
    if (rq->body.len == 0)
        return gs_err_set(err, GS_EINVAL, "the body must be a VCF (plain or bgzip)");
    const char *tmp = getenv("TMPDIR");
    snprintf(path, size, "%s/genoshare-profile.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return gs_err_set(err, GS_EIO, "cannot create a temporary file for the VCF");
    size_t off = 0;
    while (off < rq->body.len) {
        ssize_t n = write(fd, rq->body.data + off, rq->body.len - off);
        if (n <= 0) {
            close(fd);
            unlink(path);
            return gs_err_set(err, GS_EIO, "cannot write the VCF to a temporary file");
        }
        off += (size_t)n;
    }
    close(fd);
    return GS_OK;
}

static int api_tb_profile(struct request *rq, struct gs_err *err)
{
    struct tb_profile_options opt;
    char path[512];
    int rc = profile_options(rq, &opt, err);
    if (rc != GS_OK || (rc = body_to_file(rq, path, sizeof path, err)) != GS_OK)
        return rc;
    struct tb_ref *ref = NULL;
    struct tb_catalogue *c = NULL;
    struct tb_profile_report p = {0};
    if ((rc = store_tb_reference_load(rq->store, &ref, err)) == GS_OK &&
        (rc = tb_catalogue_open(rq->store, request_query(rq, "catalogue"), &c, err)) == GS_OK)
        rc = tb_profile_vcf(ref, c, path, request_query(rq, "sample"), &opt, &p, err);
    unlink(path);
    if (rc == GS_EIO) /* htslib could not parse what was sent */
        rc = GS_EINVAL;
    if (rc == GS_OK) {
        json_t *doc = tb_profile_report_json(&p, c);
        if (doc == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory for the profile");
        else
            request_reply(rq, 200, doc);
    }
    tb_profile_report_clear(&p);
    tb_catalogue_free(c);
    tb_ref_free(ref);
    return rc;
}

const struct route tb_routes[] = {
    {"POST", "/api/v1/tb/profile", api_tb_profile, true, false},
};
const size_t tb_route_count = sizeof tb_routes / sizeof tb_routes[0];
