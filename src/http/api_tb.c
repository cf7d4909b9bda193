/* api_tb.c — TB reference, catalogue and resistance profiles. Each part keeps its handlers
 * in a section of its own and appends its routes to the table at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/parse.h"
#include "http/request.h"
#include "store/store_tb.h"
#include "tb/profile.h"
#include "tb/reference.h"

/* ---- tbname: the H37Rv reference set ----
 * GET /api/v1/tb/reference: what is loaded (name, aliases, length, counts, when).
 * GET /api/v1/tb/reference/genes/NAME: one gene by symbol or locus tag (span, strand, kind).
 * Public reference data: no user needed, nothing audited. 404 when nothing is loaded. */

static const char *const gene_kinds[] = {"coding", "rRNA", "noncoding"};

static int api_tb_reference(struct request *rq, struct gs_err *err)
{
    struct store_tb_reference_info info;
    int rc = store_tb_reference_info(rq->store, &info, err);
    if (rc != GS_OK)
        return rc;
    json_t *aliases = json_array();
    json_array_append_new(aliases, json_string(info.name));
    char list[sizeof info.aliases];
    snprintf(list, sizeof list, "%s", info.aliases);
    for (char *save = NULL, *a = strtok_r(list, ",", &save); a != NULL;
         a = strtok_r(NULL, ",", &save))
        json_array_append_new(aliases, json_string(a));
    json_t *body = json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I}", "name", info.name,
                             "aliases", aliases, "length", (json_int_t)info.length, "genes",
                             (json_int_t)info.n_genes, "barcode_markers",
                             (json_int_t)info.n_barcode, "mask_intervals",
                             (json_int_t)info.n_mask, "loaded_at", (json_int_t)info.loaded_at);
    if (body == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    request_reply(rq, 200, body);
    return GS_OK;
}

static int api_tb_reference_gene(struct request *rq, struct gs_err *err)
{
    const char *name = rq->params[0];
    if (name == NULL || *name == '\0' || strlen(name) >= TB_GENE_NAME_MAX)
        return gs_err_set(err, GS_ENOTFOUND, "no TB gene named '%.40s'", name ? name : "");
    struct tb_gene g;
    int rc = store_tb_gene_get(rq->store, name, &g, err);
    if (rc != GS_OK)
        return rc;
    json_t *body = json_pack("{s:s, s:s, s:s, s:I, s:I, s:s, s:s}", "name", g.name,
                             "locus_tag", g.locus_tag, "symbol", g.symbol, "start",
                             (json_int_t)g.start, "end", (json_int_t)g.end, "strand",
                             g.strand > 0 ? "+" : "-", "kind", gene_kinds[g.kind]);
    if (body == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    request_reply(rq, 200, body);
    return GS_OK;
}

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
    return buf_write_temp(rq->body.data, rq->body.len, "profile", path, size, err);
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
    {"GET", "/api/v1/tb/reference", api_tb_reference, false, false},
    {"GET", "/api/v1/tb/reference/genes/*", api_tb_reference_gene, false, false},
    {"POST", "/api/v1/tb/profile", api_tb_profile, true, false},
};
const size_t tb_route_count = sizeof tb_routes / sizeof tb_routes[0];
