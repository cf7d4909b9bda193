/* cmd_demo.c — `genoshare demo`: a database to show genoshare with. Accounts, a
 * consortium, datasets of every tier and a small sample of records written for this
 * project; with the public data directory present, its files are registered as
 * records of open datasets (later capabilities load their contents). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "cli/demo_tb.h"
#include "cli/demo_variants.h"
#include <jansson.h>

#include "core/crypto.h"
#include "match/cases.h"
#include "match/diseases.h"
#include "pheno/hpo_store.h"
#include "policy/policy_demo.h"
#include "registry/registry.h"

#define DEMO_PASSWORD "genoshare-demo"

static const struct { const char *name, *title, *country; } demo_institutions[] = {
    {"kyoto-u", "Kyoto University Hospital", "JP"},
    {"osaka-u", "Osaka University Hospital", "JP"},
    {"snuh", "Seoul National University Hospital", "KR"},
    {"funder", "National Research Funder", "JP"},
};

static const struct { const char *name, *title, *institution, *roles; } demo_users[] = {
    {"alice", "Alice Tanaka", "kyoto-u", "member,submitter"},
    {"bob", "Bob Suzuki", "osaka-u", "member,curator"},
    {"carol", "Carol Kim", "snuh", "member,submitter"},
    {"dave", "Dave Sato", "funder", "member,dac"},
    {"admin", "Site Administrator", "funder", "admin"},
};

static const struct {
    const char *name, *title;
    enum tier tier;
    enum data_type type;
    const char *institution, *consortium;
} demo_datasets[] = {
    {"rare-disease-cases", "Rare and undiagnosed disease cases (IRUD-style consortium)",
     TIER_RESTRICTED, DATA_PHENOTYPE, "kyoto-u", "rare-jp"},
    {"hereditary-cancer-variants", "Hereditary breast and ovarian cancer variants",
     TIER_CONTROLLED, DATA_VARIANTS, "osaka-u", NULL},
    {"tb-isolates-asia", "Tuberculosis isolates from Asian reference laboratories",
     TIER_RESTRICTED, DATA_MICROBIAL, "snuh", "tb-asia"},
    {"public-variant-summary", "Public summary of interpreted variants", TIER_OPEN,
     DATA_VARIANTS, "kyoto-u", NULL},
};

/* Records written for the demo (not copied from any source). */
static const struct {
    const char *dataset, *institution;
    enum scope scope;
    const char *label, *content;
} demo_records[] = {
    {"rare-disease-cases", "kyoto-u", SCOPE_PRIVATE, "Case KU-0001",
     "{\"sex\":\"female\",\"age_years\":4,\"phenotypes\":[\"HP:0001250\",\"HP:0001263\"]}"},
    {"rare-disease-cases", "kyoto-u", SCOPE_DOMESTIC, "Case KU-0002",
     "{\"sex\":\"male\",\"age_years\":11,\"phenotypes\":[\"HP:0001166\",\"HP:0001519\"]}"},
    {"rare-disease-cases", "osaka-u", SCOPE_INTERNATIONAL, "Case OU-0107",
     "{\"sex\":\"male\",\"age_years\":2,\"phenotypes\":[\"HP:0000252\",\"HP:0001263\"]}"},
    {"hereditary-cancer-variants", "osaka-u", SCOPE_INTERNATIONAL, "Submission OU-V-17",
     "{\"gene\":\"BRCA1\",\"classification\":\"Pathogenic\",\"assembly\":\"GRCh38\"}"},
    {"tb-isolates-asia", "snuh", SCOPE_INTERNATIONAL, "Isolate SNUH-TB-031",
     "{\"year\":2024,\"country\":\"KR\",\"specimen\":\"sputum\"}"},
    {"public-variant-summary", "kyoto-u", SCOPE_INTERNATIONAL, "Summary 2026-Q3",
     "{\"variants\":128,\"pathogenic\":41,\"conflicting\":3}"},
};

/* Registers each file of a public data folder as a record of an open dataset. */
static int demo_public_folder(struct store *s, const struct actor *by, const char *root,
                              const char *folder, enum data_type type, int *nfiles,
                              struct gs_err *err)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", root, folder);
    DIR *d = opendir(dir);
    if (d == NULL)
        return GS_OK;
    char name[80], title[STORE_TEXT_MAX];
    snprintf(name, sizeof name, "public-%s", folder);
    snprintf(title, sizeof title, "Public reference data: %.32s (files of %.180s)", folder, dir);
    int rc = registry_dataset_add(s, by, name, title, TIER_OPEN, type, "funder", NULL, NULL, err);
    struct principal op;
    principal_operator(&op);
    struct dirent *e;
    while (rc == GS_OK && (e = readdir(d)) != NULL) {
        char path[2048];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        json_t *content = json_pack("{s:s, s:s, s:I}", "folder", folder, "file", e->d_name,
                                    "bytes", (json_int_t)st.st_size);
        char *text = json_dumps(content, JSON_COMPACT);
        struct registry_record_input in = {name, SCOPE_INTERNATIONAL, e->d_name, text, "funder"};
        rc = text ? registry_record_add(s, by, &op, &in, NULL, err) : GS_ENOMEM;
        free(text);
        json_decref(content);
        (*nfiles)++;
    }
    closedir(d);
    return rc;
}

/* Loads the HPO release of the data directory (the ontology and annotations of one date,
 * and the Japanese labels), so matchmaking has its ontology. Quiet when absent. */
static int demo_hpo(struct store *s, const struct actor *by, const char *data_dir, bool *loaded,
                    struct gs_err *err)
{
    char ontology[1024], annotations[1024], labels[1024];
    snprintf(ontology, sizeof ontology, "%s/hpo/hp.v2025-05-06.json.gz", data_dir);
    snprintf(annotations, sizeof annotations, "%s/hpo/phenotype.v2025-05-06.hpoa.gz", data_dir);
    snprintf(labels, sizeof labels, "%s/hpo/hp-ja.babelon.tsv.gz", data_dir);
    struct stat st;
    *loaded = false;
    if (stat(ontology, &st) != 0)
        return GS_OK;
    struct hpo *h = NULL;
    struct hpo_annotation_report areport;
    struct hpo_labels_report lreport;
    int rc = hpo_load_release(ontology, stat(annotations, &st) == 0 ? annotations : NULL,
                              stat(labels, &st) == 0 ? labels : NULL, &h, &areport, &lreport,
                              err);
    if (rc == GS_OK)
        rc = hpo_store_save(s, by, h, time(NULL), err);
    hpo_free(h);
    *loaded = rc == GS_OK;
    return rc;
}

static int demo_fill(struct store *s, const struct actor *by, const char *data_dir,
                     struct gs_err *err)
{
    int rc = GS_OK;
    for (size_t i = 0; rc == GS_OK && i < sizeof demo_institutions / sizeof demo_institutions[0]; i++)
        rc = registry_institution_add(s, by, demo_institutions[i].name, demo_institutions[i].title,
                                      demo_institutions[i].country, NULL, err);
    for (size_t i = 0; rc == GS_OK && i < sizeof demo_users / sizeof demo_users[0]; i++) {
        unsigned roles = 0;
        rc = roles_parse(demo_users[i].roles, &roles, err);
        if (rc == GS_OK)
            rc = registry_user_add(s, by, demo_users[i].name, demo_users[i].title,
                                   demo_users[i].institution, roles, DEMO_PASSWORD, NULL, err);
    }
    if (rc == GS_OK)
        rc = registry_consortium_add(s, by, "rare-jp", "Rare disease consortium (Japan)", NULL, err);
    if (rc == GS_OK)
        rc = registry_consortium_add(s, by, "tb-asia", "Asian TB reference laboratories", NULL, err);
    if (rc == GS_OK)
        rc = registry_consortium_join(s, by, "rare-jp", "kyoto-u", NULL, err);
    if (rc == GS_OK)
        rc = registry_consortium_join(s, by, "rare-jp", "osaka-u", NULL, err);
    if (rc == GS_OK)
        rc = registry_consortium_join(s, by, "tb-asia", "snuh", NULL, err);
    if (rc == GS_OK)
        rc = registry_consortium_join(s, by, "tb-asia", NULL, "alice", err);
    for (size_t i = 0; rc == GS_OK && i < sizeof demo_datasets / sizeof demo_datasets[0]; i++)
        rc = registry_dataset_add(s, by, demo_datasets[i].name, demo_datasets[i].title,
                                  demo_datasets[i].tier, demo_datasets[i].type,
                                  demo_datasets[i].institution, demo_datasets[i].consortium, NULL,
                                  err);
    struct principal op;
    principal_operator(&op);
    for (size_t i = 0; rc == GS_OK && i < sizeof demo_records / sizeof demo_records[0]; i++) {
        struct registry_record_input in = {demo_records[i].dataset, demo_records[i].scope,
                                           demo_records[i].label, demo_records[i].content,
                                           demo_records[i].institution};
        rc = registry_record_add(s, by, &op, &in, NULL, err);
    }
    time_t now = time(NULL);
    if (rc == GS_OK)
        rc = registry_grant_add(s, by, "hereditary-cancer-variants", "carol", now + 180 * 86400,
                                now, NULL, err);
    if (rc == GS_OK)
        rc = dmp_demo_fill(s, by, err);
    if (rc == GS_OK)
        rc = requests_demo_fill(s, by, err);
    if (rc == GS_OK)
        rc = passport_demo_fill(s, by, err);
    if (rc == GS_OK)
        rc = cases_demo_fill(s, by, data_dir, err);
    int nfiles = 0;
    static const struct { const char *folder; enum data_type type; } folders[] = {
        {"hpo", DATA_PHENOTYPE}, {"variants", DATA_VARIANTS}, {"tb", DATA_MICROBIAL},
    };
    for (size_t i = 0; rc == GS_OK && data_dir && i < sizeof folders / sizeof folders[0]; i++)
        rc = demo_public_folder(s, by, data_dir, folders[i].folder, folders[i].type, &nfiles, err);
    if (rc == GS_OK)
        printf("demo data: %zu institutions, %zu users, %zu datasets, %zu records%s",
               sizeof demo_institutions / sizeof demo_institutions[0],
               sizeof demo_users / sizeof demo_users[0],
               sizeof demo_datasets / sizeof demo_datasets[0],
               sizeof demo_records / sizeof demo_records[0], nfiles ? "" : "\n");
    if (rc == GS_OK && nfiles)
        printf(", and %d public data files from %s\n", nfiles, data_dir);
    bool hpo_loaded = false;
    if (rc == GS_OK && data_dir)
        rc = demo_hpo(s, by, data_dir, &hpo_loaded, err);
    if (rc == GS_OK && hpo_loaded)
        rc = diseases_demo_fill(s, by, data_dir, err);
    if (rc == GS_OK && hpo_loaded)
        printf("demo data: HPO release loaded (genoshare hpo search …)\n");
    /* The variant knowledge base (issue 6): demo_variants.c. */
    if (rc == GS_OK)
        rc = variants_demo_fill(s, by, data_dir, err);
    /* The tuberculosis database (issue 4): demo_tb.c. */
    if (rc == GS_OK)
        rc = tb_demo_fill(s, by, data_dir, err);
    return rc;
}

int cmd_demo(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT("db", "FILE", "database to create (must not exist yet)"),
        OPT("data", "DIR", "public data directory (default $GENOSHARE_DATA, else ../shared/data)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, 2, &a, "demo --db FILE [--data DIR]",
                               "Create a demo database: accounts (password " DEMO_PASSWORD
                               "), datasets of every tier, sample records, and the public "
                               "data files when the data directory exists.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *path = cli_db_path(o[0].value);
    struct stat st;
    if (stat(path, &st) == 0)
        return gs_err_set(err, GS_ECONFLICT, "%s already exists: remove it or choose another "
                          "--db", path);
    const char *data_dir = o[1].value ? o[1].value : getenv("GENOSHARE_DATA");
    if (data_dir == NULL || data_dir[0] == '\0')
        data_dir = "../shared/data";
    if (stat(data_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("demo data: no public data directory at %s; using the built-in sample only\n",
               data_dir);
        data_dir = NULL;
    }
    struct store *s = NULL;
    if ((rc = store_open(path, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    rc = demo_fill(s, &by, data_dir, err);
    store_close(s);
    if (rc != GS_OK) {
        remove(path);
        return rc;
    }
    printf("demo logins (password '%s' for all):\n", DEMO_PASSWORD);
    for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
        printf("  %-6s %-20s %-8s %s\n", demo_users[i].name, demo_users[i].title,
               demo_users[i].institution, demo_users[i].roles);
    return GS_OK;
}
