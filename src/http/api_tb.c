/* api_tb.c — TB reference, catalogue and resistance profiles. Each part keeps its handlers
 * in a section of its own and appends its routes to the table at the end. */
#include <stdio.h>
#include <string.h>

#include "http/request.h"
#include "store/store_tb.h"
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

const struct route tb_routes[] = {
    {"GET", "/api/v1/tb/reference", api_tb_reference, false, false},
    {"GET", "/api/v1/tb/reference/genes/*", api_tb_reference_gene, false, false},
};
const size_t tb_route_count = sizeof tb_routes / sizeof tb_routes[0];
