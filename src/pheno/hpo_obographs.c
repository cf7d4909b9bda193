/* hpo_obographs.c — reads the HPO's obographs JSON (hp.json): graphs[0]'s version, its HP
 * classes (label, deprecated, alt ids, replaced_by, consider, synonyms) and is_a edges.
 * Nodes of other ontologies, properties and other edge predicates are not ours: skipped. */
#include <jansson.h>
#include <string.h>

#include "pheno/hpo_internal.h"

#define OBO_IN_OWL "http://www.geneontology.org/formats/oboInOwl#"
#define IAO_REPLACED_BY "http://purl.obolibrary.org/obo/IAO_0100001"

/* One basicPropertyValues entry: alt id, replaced_by or consider with an HP value. Values
 * that are not HP ids (another ontology's term) are not ours and are skipped. */
static int node_property(struct hpo *h, uint32_t number, json_t *pv, struct gs_err *err)
{
    const char *pred = json_string_value(json_object_get(pv, "pred"));
    const char *val = json_string_value(json_object_get(pv, "val"));
    uint32_t to;
    if (pred == NULL || val == NULL || !hpo_id_parse(val, &to))
        return GS_OK;
    if (strcmp(pred, OBO_IN_OWL "hasAlternativeId") == 0)
        return hpo__add_link(h, HPO_LINK_ALT_ID, number, to, 0, err);
    if (strcmp(pred, IAO_REPLACED_BY) == 0)
        return hpo__add_link(h, HPO_LINK_REPLACED_BY, number, to, 0, err);
    if (strcmp(pred, OBO_IN_OWL "consider") == 0)
        return hpo__add_link(h, HPO_LINK_CONSIDER, number, to, 0, err);
    return GS_OK;
}

static int read_node(struct hpo *h, const char *path, size_t i, json_t *node,
                     struct gs_err *err)
{
    const char *id = json_string_value(json_object_get(node, "id"));
    const char *type = json_string_value(json_object_get(node, "type"));
    uint32_t number;
    if (id == NULL)
        return gs_err_set(err, GS_EINVAL, "%s: graphs[0].nodes[%zu] has no id", path, i);
    if (type == NULL || strcmp(type, "CLASS") != 0 || !hpo_id_parse(id, &number))
        return GS_OK;
    const char *label = json_string_value(json_object_get(node, "lbl"));
    json_t *meta = json_object_get(node, "meta");
    bool obsolete = json_is_true(json_object_get(meta, "deprecated"));
    int rc = hpo__add_term(h, number, label ? label : "", obsolete, 0, err);
    size_t k;
    json_t *v;
    json_array_foreach(json_object_get(meta, "basicPropertyValues"), k, v)
    {
        if (rc == GS_OK)
            rc = node_property(h, number, v, err);
    }
    json_array_foreach(json_object_get(meta, "synonyms"), k, v)
    {
        const char *text = json_string_value(json_object_get(v, "val"));
        if (rc == GS_OK && text != NULL && text[0] != '\0')
            rc = hpo__add_synonym(h, number, text, err);
    }
    return rc;
}

static int read_graph(struct hpo *h, const char *path, json_t *graph, struct gs_err *err)
{
    const char *version = json_string_value(json_object_get(json_object_get(graph, "meta"),
                                                            "version"));
    int rc = version ? hpo__set_version(h, version, err) : GS_OK;
    json_t *nodes = json_object_get(graph, "nodes");
    json_t *edges = json_object_get(graph, "edges");
    if (rc == GS_OK && (!json_is_array(nodes) || !json_is_array(edges)))
        return gs_err_set(err, GS_EINVAL, "%s: graphs[0] lacks a nodes or edges array", path);
    size_t i;
    json_t *v;
    json_array_foreach(nodes, i, v)
    {
        if (rc == GS_OK)
            rc = read_node(h, path, i, v, err);
    }
    json_array_foreach(edges, i, v)
    {
        const char *sub = json_string_value(json_object_get(v, "sub"));
        const char *pred = json_string_value(json_object_get(v, "pred"));
        const char *obj = json_string_value(json_object_get(v, "obj"));
        uint32_t from, to;
        if (rc != GS_OK || pred == NULL || strcmp(pred, "is_a") != 0)
            continue;
        if (sub == NULL || obj == NULL)
            rc = gs_err_set(err, GS_EINVAL, "%s: graphs[0].edges[%zu] lacks sub or obj", path, i);
        else if (hpo_id_parse(sub, &from) && hpo_id_parse(obj, &to))
            rc = hpo__add_link(h, HPO_LINK_IS_A, from, to, 0, err);
    }
    return rc;
}

static void free_document(void *doc)
{
    json_decref(doc);
}

int hpo__parse_obographs(const char *path, const char *text, size_t len, struct hpo **out,
                         struct gs_err *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL)
        return gs_err_set(err, GS_EINVAL, "%s: line %d column %d: %s", path, jerr.line,
                          jerr.column, jerr.text);
    json_t *graph = json_array_get(json_object_get(doc, "graphs"), 0);
    struct hpo *h = NULL;
    int rc;
    if (!json_is_object(graph))
        rc = gs_err_set(err, GS_EINVAL, "%s: not an obographs document (no graphs[0])", path);
    else if ((rc = hpo__begin(&h, err)) == GS_OK && (rc = read_graph(h, path, graph, err)) == GS_OK)
        rc = hpo__finish(h, path, err);
    /* Freeing the document's ~1.5 million values takes a third of the parse time: let
     * another core do it while the annotations are read. */
    if (rc == GS_OK)
        hpo__free_later(h, free_document, doc);
    else
        json_decref(doc);
    if (rc != GS_OK) {
        hpo_free(h);
        return rc;
    }
    *out = h;
    return GS_OK;
}
