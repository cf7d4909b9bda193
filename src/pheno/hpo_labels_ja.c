/* hpo_labels_ja.c — Japanese labels from the HPO's Babelon translation table
 * (hp-ja.babelon.tsv[.gz]). Columns are found by the header, so Babelon's optional columns
 * may come and go; only OFFICIAL rdfs:label rows become labels. Ids of alt or obsolete
 * terms are applied to the term they resolve to and counted in the report. */
#include <string.h>

#include "pheno/hpo_internal.h"

int hpo_load_labels_ja(struct hpo *h, const char *path, struct hpo_labels_report *rep,
                       struct gs_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct hpo__lines r;
    int rc = hpo__lines_open(&r, path, err);
    return rc == GS_OK ? hpo__labels_ja_read(h, &r, rep, err) : rc;
}

int hpo__labels_ja_read(struct hpo *h, struct hpo__lines *lines, struct hpo_labels_report *rep,
                        struct gs_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct hpo__lines r = *lines;
    const char *path = r.path;
    int rc = GS_OK;
    char *fields[HPO_FIELDS_MAX];
    while ((rc = hpo__lines_next(&r, err)) == GS_OK && r.buf.data[0] == '#')
        ; /* Babelon allows a commented YAML preamble */
    if (rc == GS_ENOTFOUND)
        rc = gs_err_set(err, GS_EINVAL, "%s: no header line", path);
    static const char *const names[] = {"subject_id", "predicate_id", "translation_value",
                                        "translation_status"};
    int col[4], needed = 0;
    if (rc == GS_OK)
        rc = hpo__header_columns(&r, names, 4, col, &needed, "a Babelon TSV", err);
    while (rc == GS_OK && (rc = hpo__lines_next(&r, err)) == GS_OK) {
        if (r.buf.data[0] == '\0' || r.buf.data[0] == '#')
            continue;
        rep->rows++;
        if ((rc = hpo__row_fields(&r, fields, needed, err)) != GS_OK)
            break;
        if (strcmp(fields[col[1]], "rdfs:label") != 0) {
            rep->skipped_other++;
            continue;
        }
        if (strcmp(fields[col[3]], "OFFICIAL") != 0 || fields[col[2]][0] == '\0') {
            rep->skipped_status++;
            continue;
        }
        char at[32];
        snprintf(at, sizeof at, "line %d", r.line);
        int t = hpo_resolve_input(h, fields[col[0]], at, &rep->problems);
        uint32_t number = 0;
        if (t < 0 || (hpo_id_parse(fields[col[0]], &number) && number != hpo_term_number(h, t) &&
                      hpo_term_label(h, t, HPO_LANG_JA)[0] != '\0'))
            continue; /* the term's own row wins over one for its alt or obsolete id */
        if ((rc = hpo__set_label_ja(h, t, fields[col[2]], err)) == GS_OK)
            rep->labels++;
    }
    if (rc == GS_ENOTFOUND)
        rc = GS_OK;
    hpo__lines_close(&r);
    return rc;
}
