/* cmd_sub.h — verbs of the commands several files share (variants, tb): each verb lives in
 * the file of its capability part; cmd_variants.c and cmd_tb.c list them. */
#ifndef GS_CLI_CMD_SUB_H
#define GS_CLI_CMD_SUB_H

#include "access/access.h"
#include "audit/audit.h"
#include "cli/cli.h"

/* cmd_variant_search.c: `variants search`, `variants show`, `variants genes` (gene
 * locations; the submission and curation verbs are in cmd_variants.c) */
int variants_search_cmd(int argc, char **argv, struct gs_err *err);
int variants_show_cmd(int argc, char **argv, struct gs_err *err);
/* cmd_variants.c: what the variants verbs share — the store named by --db and who acts (the
 * operator, or the --as user, decided as over the API). On failure nothing stays open. */
struct variants_session {
    struct store *s;
    struct principal who;
    struct actor by;              /* by.name points into name */
    char name[STORE_TEXT_MAX];
};
int variants_session_open(struct variants_session *vs, const char *db, const char *as,
                          struct gs_err *err) GS_MUST_USE;
void variants_session_close(struct variants_session *vs);
int variants_genes_cmd(int argc, char **argv, struct gs_err *err);

/* cmd_tb_reference.c: `tb reference load`, `tb name` (VCF edits to catalogue names) */
int tb_reference_cmd(int argc, char **argv, struct gs_err *err);
int tb_name_cmd(int argc, char **argv, struct gs_err *err);
/* cmd_tb_profile.c: `tb catalogue`, `tb profile`, `tb predict`, `tb lineage` */
int tb_catalogue_cmd(int argc, char **argv, struct gs_err *err);
int tb_profile_cmd(int argc, char **argv, struct gs_err *err);
int tb_predict_cmd(int argc, char **argv, struct gs_err *err);
int tb_lineage_cmd(int argc, char **argv, struct gs_err *err);
/* cmd_tb_isolates.c: `tb isolate`, `tb clusters`, `tb markers` */
int tb_isolate_cmd(int argc, char **argv, struct gs_err *err);
int tb_clusters_cmd(int argc, char **argv, struct gs_err *err);
int tb_markers_cmd(int argc, char **argv, struct gs_err *err);

#endif
