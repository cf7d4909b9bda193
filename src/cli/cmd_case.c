/* cmd_case.c — `genoshare case`: import (Phenopackets v2, MME patient or own JSON; a file or a
 * folder, all or nothing), show, export, withdraw, list, and the gene table. Reads go through
 * the case service, hence through the one access decision; `--as USER` reads as that user. */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli_store.h"
#include "cli/commands.h"
#include "core/parse.h"
#include "match/cases.h"
#include "match/inbox.h"

#define CASE_FILE_MAX (4u << 20)
#define IMPORT_FILES_MAX 10000

/* ---- import ---- */

struct import_file {
    char path[1024];
    struct store_case c;
    struct case_report rep;
    char problem[GS_ERR_MSG_MAX]; /* "" when the file is fine */
};

static int by_path(const void *a, const void *b)
{
    return strcmp(((const struct import_file *)a)->path, ((const struct import_file *)b)->path);
}

/* The files to import: path itself, or every *.json of the folder (sorted). */
static int collect_files(const char *path, struct import_file **files, int *n, struct gs_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return gs_err_set(err, GS_EIO, "cannot read %s", path);
    *n = 0;
    if (!S_ISDIR(st.st_mode)) {
        if ((*files = calloc(1, sizeof **files)) == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory");
        snprintf((*files)[0].path, sizeof (*files)[0].path, "%s", path);
        *n = 1;
        return GS_OK;
    }
    DIR *d = opendir(path);
    if (d == NULL)
        return gs_err_set(err, GS_EIO, "cannot read folder %s", path);
    struct dirent *e;
    int cap = 0, rc = GS_OK;
    while (rc == GS_OK && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (*n >= IMPORT_FILES_MAX) {
            rc = gs_err_set(err, GS_EINVAL, "%s holds more than %d files", path, IMPORT_FILES_MAX);
            break;
        }
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            struct import_file *p = realloc(*files, (size_t)cap * sizeof *p);
            if (p == NULL) {
                rc = gs_err_set(err, GS_ENOMEM, "out of memory");
                break;
            }
            *files = p;
        }
        memset(&(*files)[*n], 0, sizeof **files);
        snprintf((*files)[*n].path, sizeof (*files)[*n].path, "%.500s/%.400s", path, e->d_name);
        (*n)++;
    }
    closedir(d);
    if (rc == GS_OK && *n == 0)
        rc = gs_err_set(err, GS_EINVAL, "%s holds no *.json file", path);
    if (rc == GS_OK)
        qsort(*files, (size_t)*n, sizeof **files, by_path);
    return rc;
}

/* Reads and prepares one file; a problem goes into f->problem (not an error of the run). */
static void import_read(struct store *s, const struct hpo *h, enum case_format format,
                        struct import_file *f)
{
    char *text = NULL;
    struct gs_err e = {0};
    json_error_t jerr;
    int rc = cli_read_file(f->path, CASE_FILE_MAX, &text, &e);
    json_t *doc = NULL;
    if (rc == GS_OK && (doc = json_loads(text, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
        rc = gs_err_set(&e, GS_EINVAL, "not JSON: line %d, column %d: %s", jerr.line, jerr.column,
                        jerr.text);
    if (rc == GS_OK && (rc = case_from_format(doc, format, &f->c, &f->rep, &e)) == GS_OK)
        rc = cases_prepare(s, h, &f->c, &f->rep, &e);
    if (rc != GS_OK)
        snprintf(f->problem, sizeof f->problem, "%s", gs_err_text(&e, rc));
    json_decref(doc);
    free(text);
}

static void print_notes(const struct case_report *rep)
{
    for (int i = 0; i < rep->nnotes && i < CASE_NOTES_MAX; i++)
        printf("%s%s", i ? "; " : "", rep->notes[i]);
    if (rep->nnotes > CASE_NOTES_MAX)
        printf("; and %d more", rep->nnotes - CASE_NOTES_MAX);
}

/* After a committed case write: the match notifications (match/inbox.h). A failure only
 * delays them (the next case write or server start makes them), so it is a warning. */
static void notify_matches(struct store *s, const struct hpo *h)
{
    struct gs_err e = {0};
    if (inbox_process(s, h, NULL, time(NULL), &e) != GS_OK)
        fprintf(stderr, "genoshare: case: match notifications delayed (made on the next case "
                "write or server start): %s\n", e.msg);
}

static int case_import(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {
        OPT_DB,
        OPT("dataset", "NAME", "the dataset the cases belong to (required)"),
        OPT("scope", "SCOPE", "private | domestic | international (required)"),
        OPT("format", "FORMAT", "phenopacket | mme | json (default phenopacket)"),
        OPT("institution", "NAME", "submitting institution (default: the dataset's)"),
    };
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "case import FILE|DIR --dataset NAME --scope SCOPE "
                               "[--format phenopacket|mme|json] [--institution NAME]",
                               "Import cases: one file, or every *.json of a folder. All or "
                               "nothing; one report line per file (file, label, status, notes).",
                               1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *dataset, *scope_text;
    enum scope scope;
    enum case_format format;
    if (a.npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "case import needs a FILE or a folder");
    if ((rc = cli_required(&o[1], &dataset, err)) != GS_OK ||
        (rc = cli_required(&o[2], &scope_text, err)) != GS_OK)
        return rc;
    if (scope_parse(scope_text, &scope, err) != GS_OK ||
        case_format_parse(o[3].value ? o[3].value : "phenopacket", &format, err) != GS_OK)
        return GS_EUSAGE;
    struct store *s = NULL;
    struct hpo *h = NULL;
    struct import_file *files = NULL;
    int n = 0, bad = 0;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    if ((rc = collect_files(a.positional[0], &files, &n, err)) == GS_OK)
        rc = cases_hpo_load(s, &h, err);
    for (int i = 0; rc == GS_OK && i < n; i++) {
        import_read(s, h, format, &files[i]);
        bad += files[i].problem[0] != '\0';
    }
    struct store_case *cases = NULL;
    if (rc == GS_OK && bad == 0 && (cases = calloc((size_t)n, sizeof *cases)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    if (rc == GS_OK && bad == 0) {
        char actor_name[STORE_TEXT_MAX];
        struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
        struct principal op;
        principal_operator(&op);
        struct case_target t = {dataset, scope, o[4].value};
        for (int i = 0; i < n; i++)
            cases[i] = files[i].c; /* moved: cleared through files below */
        rc = cases_import(s, &op, &by, &t, cases, n, time(NULL), NULL, err);
        for (int i = 0; i < n; i++)
            files[i].c.id = cases[i].id;
        if (rc == GS_OK)
            notify_matches(s, h);
    }
    for (int i = 0; i < n && (rc == GS_OK || bad > 0); i++) {
        const struct import_file *f = &files[i];
        printf("%s\t%s\t", f->path, f->c.label[0] ? f->c.label : "-");
        if (f->problem[0])
            printf("error\t%s", f->problem);
        else if (bad > 0)
            printf("not imported\t");
        else
            printf("imported as case %lld\t", (long long)f->c.id);
        if (f->rep.nnotes > 0)
            printf("%s", f->problem[0] ? "; " : ""), print_notes(&f->rep);
        printf("\n");
    }
    if (rc == GS_OK && bad > 0)
        rc = gs_err_set(err, GS_EINVAL, "%d of %d file%s ha%s problems: nothing imported", bad, n,
                        n == 1 ? "" : "s", bad == 1 ? "s" : "ve");
    for (int i = 0; i < n; i++)
        store_case_clear(&files[i].c);
    free(cases);
    free(files);
    hpo_free(h);
    store_close(s);
    return rc;
}

/* ---- show, export, list, withdraw ---- */

static int print_json(json_t *doc, struct gs_err *err)
{
    char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
    json_decref(doc);
    if (text == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    printf("%s\n", text);
    free(text);
    return GS_OK;
}

static int case_id_arg(const struct cli_args *a, const char *verb, int64_t *id, struct gs_err *err)
{
    if (a->npositional != 1)
        return gs_err_set(err, GS_EUSAGE, "case %s needs the case ID", verb);
    if (parse_int64(a->positional[0], 1, INT64_MAX, id, err) != GS_OK)
        return GS_EUSAGE;
    return GS_OK;
}

static int case_show(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("as", "USER", "read as this user would (decided and "
                                                       "audited as for the API)"),
                             OPT("format", "FORMAT", "json | phenopacket | mme (default json)")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "case show ID [--as USER] [--format json|phenopacket|mme]",
                               "Print a case.", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    enum case_format format;
    if ((rc = case_id_arg(&a, "show", &id, err)) != GS_OK)
        return rc;
    if (case_format_parse(o[2].value, &format, err) != GS_OK)
        return GS_EUSAGE;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal p;
    struct store_case c = {0};
    struct store_dataset d;
    time_t now = time(NULL);
    if ((rc = cli_reader(s, o[1].value, &p, &by, actor_name, sizeof actor_name, err)) == GS_OK &&
        (rc = cases_read(s, &p, &by, id, now, &c, &d, err)) == GS_OK) {
        json_t *doc = case_to_format(s, &c, format, now, err);
        rc = doc ? print_json(doc, err) : (err->code ? err->code : GS_ENOMEM);
    }
    store_case_clear(&c);
    store_close(s);
    return rc;
}

struct export_ctx {
    int64_t *ids;
    int n, cap;
};

static int export_collect(void *ctx, const struct store_case *c)
{
    struct export_ctx *x = ctx;
    if (x->n == x->cap) {
        int cap = x->cap ? x->cap * 2 : 64;
        int64_t *p = realloc(x->ids, (size_t)cap * sizeof *p);
        if (p == NULL)
            return GS_ENOMEM;
        x->ids = p;
        x->cap = cap;
    }
    x->ids[x->n++] = c->id;
    return 0;
}

static int case_export(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("dataset", "NAME", "the dataset (required)"),
                             OPT("format", "FORMAT", "phenopacket | mme | json (required)"),
                             OPT("out", "DIR", "folder to write case-ID.json files to (required)"),
                             OPT("as", "USER", "export what this user may read")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "case export --dataset NAME --format phenopacket|mme|json --out DIR",
                               "Write every active case of a dataset, one file per case.", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    const char *dataset, *format_text, *dir;
    enum case_format format;
    if ((rc = cli_required(&o[1], &dataset, err)) != GS_OK ||
        (rc = cli_required(&o[2], &format_text, err)) != GS_OK ||
        (rc = cli_required(&o[3], &dir, err)) != GS_OK)
        return rc;
    if (case_format_parse(format_text, &format, err) != GS_OK)
        return GS_EUSAGE;
    if (mkdir(dir, 0755) != 0) {
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            return gs_err_set(err, GS_EIO, "cannot create folder %s", dir);
    }
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal p;
    struct export_ctx x = {0};
    time_t now = time(NULL);
    if ((rc = cli_reader(s, o[4].value, &p, &by, actor_name, sizeof actor_name, err)) == GS_OK)
        rc = cases_list(s, &p, &by, dataset, false, 0, 0, now, export_collect, &x, NULL, err);
    if (rc == GS_ENOMEM)
        gs_err_set(err, rc, "out of memory");
    for (int i = 0; rc == GS_OK && i < x.n; i++) {
        struct store_case c = {0};
        struct store_dataset d;
        json_t *doc = NULL;
        char path[1200];
        snprintf(path, sizeof path, "%.1000s/case-%lld.json", dir, (long long)x.ids[i]);
        if ((rc = cases_read(s, &p, &by, x.ids[i], now, &c, &d, err)) == GS_OK &&
            (doc = case_to_format(s, &c, format, now, err)) == NULL)
            rc = err->code ? err->code : GS_ENOMEM;
        if (rc == GS_OK && json_dump_file(doc, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0)
            rc = gs_err_set(err, GS_EIO, "cannot write %s", path);
        if (rc == GS_OK)
            printf("%lld\t%s\t%s\n", (long long)c.id, c.label, path);
        json_decref(doc);
        store_case_clear(&c);
    }
    if (rc == GS_OK)
        fprintf(stderr, "%d case%s written to %s\n", x.n, x.n == 1 ? "" : "s", dir);
    free(x.ids);
    store_close(s);
    return rc;
}

struct list_print {
    struct store *s;
};

static int list_print(void *ctx, const struct store_case *c)
{
    struct list_print *l = ctx;
    struct store_dataset d;
    struct store_institution inst;
    struct gs_err ignored = {0};
    if (store_dataset_get(l->s, c->dataset_id, &d, &ignored) != GS_OK)
        snprintf(d.name, sizeof d.name, "?");
    if (store_institution_get(l->s, c->institution_id, &inst, &ignored) != GS_OK)
        snprintf(inst.name, sizeof inst.name, "?");
    printf("%lld\t%s\t%s\t%s\t%s\t%s\t%d\n", (long long)c->id, d.name, inst.name,
           scope_name(c->scope), case_state_name(c->state), c->label, c->version);
    return 0;
}

static int case_list(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB, OPT("dataset", "NAME", "only this dataset"),
                             OPT("as", "USER", "list what this user may see"),
                             OPT("all", NULL, "include withdrawn cases")};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a,
                               "case list [--dataset NAME] [--as USER] [--all]",
                               "List cases (TSV: id, dataset, institution, scope, state, label, "
                               "version).", 0, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by;
    struct principal p;
    struct list_print l = {s};
    if ((rc = cli_reader(s, o[2].value, &p, &by, actor_name, sizeof actor_name, err)) == GS_OK)
        rc = cases_list(s, &p, &by, o[1].value, o[3].value != NULL, 0, 0, time(NULL), list_print,
                        &l, NULL, err);
    store_close(s);
    return rc;
}

static int case_withdraw(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "case withdraw ID",
                               "Withdraw a case (kept as a version; no longer matched).", 1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    int64_t id;
    if ((rc = case_id_arg(&a, "withdraw", &id, err)) != GS_OK)
        return rc;
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    struct principal op;
    principal_operator(&op);
    if ((rc = cases_withdraw(s, &op, &by, id, time(NULL), err)) == GS_OK) {
        printf("case %lld withdrawn\n", (long long)id);
        struct hpo *h = NULL;
        struct gs_err e = {0};
        if (cases_hpo_load(s, &h, &e) == GS_OK)
            notify_matches(s, h);
        hpo_free(h);
    }
    store_close(s);
    return rc;
}

static int case_inbox_threshold(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "case inbox-threshold [VALUE]",
                               "Print, or set, the match score at or above which a new or "
                               "updated case notifies both cases' owners (default 2.0).",
                               1, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    double value = 0;
    char *end = NULL;
    if (a.npositional > 1)
        return gs_err_set(err, GS_EUSAGE, "case inbox-threshold takes at most one VALUE");
    if (a.npositional == 1) {
        value = strtod(a.positional[0], &end);
        if (end == a.positional[0] || *end != '\0')
            return gs_err_set(err, GS_EUSAGE, "'%.40s' is not a number", a.positional[0]);
    }
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    if (a.npositional == 1 && (rc = inbox_set_threshold(s, &by, value, time(NULL), err)) == GS_OK)
        printf("inbox threshold: %g\n", value);
    else if (a.npositional == 0 && (rc = inbox_threshold(s, &value, err)) == GS_OK)
        printf("%g\n", value);
    store_close(s);
    return rc;
}

static int case_genes_load(int argc, char **argv, struct gs_err *err)
{
    struct cli_option o[] = {OPT_DB};
    struct cli_args a;
    int rc = cli_parse_or_help(argc, argv, o, NOPTS(o), &a, "case genes load FILE",
                               "Replace the gene table (symbol, hgnc_id, entrez_id, "
                               "ensembl_gene_id columns; .tsv or .tsv.gz).", 2, err);
    if (rc != GS_OK)
        return rc == CLI_HELP ? GS_OK : rc;
    if (a.npositional != 2 || strcmp(a.positional[0], "load") != 0)
        return gs_err_set(err, GS_EUSAGE, "usage: case genes load FILE");
    struct store *s = NULL;
    if ((rc = cli_open_store(o[0].value, &s, err)) != GS_OK)
        return rc;
    char actor_name[STORE_TEXT_MAX];
    struct actor by = cli_operator_actor(actor_name, sizeof actor_name);
    int64_t count = 0;
    if ((rc = cases_genes_load(s, &by, a.positional[1], &count, err)) == GS_OK)
        printf("gene table: %lld genes from %s\n", (long long)count, a.positional[1]);
    store_close(s);
    return rc;
}

int cmd_case(int argc, char **argv, struct gs_err *err)
{
    static const struct cli_verb verbs[] = {
        {"import", case_import, "import Phenopackets v2, MME patients or case JSON (file or folder)"},
        {"show", case_show, "print a case (as the operator, or --as a user)"},
        {"export", case_export, "write a dataset's cases as phenopackets or MME patients"},
        {"list", case_list, "list cases (TSV)"},
        {"withdraw", case_withdraw, "withdraw a case"},
        {"genes", case_genes_load, "genes load FILE: replace the gene table"},
        {"inbox-threshold", case_inbox_threshold, "print or set the match notification threshold"},
    };
    return cli_dispatch("case", verbs, NOPTS(verbs), argc, argv, err);
}
