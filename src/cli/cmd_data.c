/* cmd_data.c — "genoshare data fetch": lists or downloads the official public data releases
 * (see fetch/fetch.h) into the data directory. Parsing those files is other commands' work. */
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "fetch/fetch.h"

#define DATA_DEFAULT_DIR "../shared/data"

static const char data_usage[] =
    "data fetch [NAME...] [--dir DIR] [--mirror URL] [--list] [--force]";

static void data_print_sources(FILE *f)
{
    fprintf(f, "\nsources (no NAME: all of them):\n");
    for (size_t i = 0; i < fetch_source_count(); i++) {
        const struct fetch_source *s = fetch_source_at(i);
        fprintf(f, "  %-14s %s\n", s->name, s->title);
    }
}

/* The data directory: --dir, else $GENOSHARE_DATA, else ../shared/data. */
static const char *data_dir(const char *dir_option)
{
    if (dir_option != NULL)
        return dir_option;
    const char *env = getenv("GENOSHARE_DATA");
    if (env != NULL && env[0] != '\0')
        return env;
    return DATA_DEFAULT_DIR;
}

static int data_list(const struct fetch_source *const *sources, size_t n,
                     const struct fetch_options *opt, struct gs_err *err)
{
    char url[4096];
    for (size_t i = 0; i < n; i++) {
        const struct fetch_source *s = sources[i];
        printf("%s: %s\n  destination: %s/%s/\n", s->name, s->title, opt->dir, s->subdir);
        for (size_t j = 0; j < s->nfiles; j++) {
            const struct fetch_file *f = &s->files[j];
            int rc = fetch_file_url(f, opt->mirror, false, url, sizeof url, err);
            if (rc != GS_OK)
                return rc;
            printf("  %s  %s\n", f->name, url);
            if (f->checksum == FETCH_CHECKSUM_MD5) {
                rc = fetch_file_url(f, opt->mirror, true, url, sizeof url, err);
                if (rc != GS_OK)
                    return rc;
                printf("    md5: %s\n", url);
            }
        }
    }
    return GS_OK;
}

static int data_fetch(int argc, char **argv, struct gs_err *err)
{
    struct cli_option opts[] = {
        {.name = "dir", .arg = "DIR", .help = "data directory (default $GENOSHARE_DATA, else "
                                              DATA_DEFAULT_DIR ")"},
        {.name = "mirror", .arg = "URL", .help = "fetch URL/<file name> instead of the sources"},
        {.name = "list", .help = "print the sources, files and URLs; download nothing"},
        {.name = "force", .help = "download again files that are already present"},
    };
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    struct cli_args args;
    int rc = cli_parse(argc, argv, opts, nopts, &args, err);
    if (rc == CLI_HELP) {
        cli_print_help(stdout, data_usage,
                       "Downloads the public data releases genoshare reads, verifying published "
                       "checksums.",
                       opts, nopts);
        data_print_sources(stdout);
        return GS_OK;
    }
    if (rc != GS_OK)
        return rc;
    if (opts[0].value != NULL && opts[0].value[0] == '\0')
        return gs_err_set(err, GS_EUSAGE, "--dir needs a directory");
    if (opts[1].value != NULL && opts[1].value[0] == '\0')
        return gs_err_set(err, GS_EUSAGE, "--mirror needs a URL");

    /* The selected sources in the order given, each once. */
    const struct fetch_source *sources[CLI_MAX_POSITIONAL];
    size_t nsources = 0;
    if (args.npositional == 0) {
        for (size_t i = 0; i < fetch_source_count() && i < CLI_MAX_POSITIONAL; i++)
            sources[nsources++] = fetch_source_at(i);
    }
    for (int i = 0; i < args.npositional; i++) {
        const struct fetch_source *s;
        rc = fetch_source_find(args.positional[i], &s, err);
        if (rc != GS_OK)
            return rc;
        bool seen = false;
        for (size_t j = 0; j < nsources; j++)
            seen = seen || sources[j] == s;
        if (!seen)
            sources[nsources++] = s;
    }

    struct fetch_options fo = {
        .dir = data_dir(opts[0].value),
        .mirror = opts[1].value,
        .force = opts[3].value != NULL,
        .progress = stderr,
    };
    if (opts[2].value != NULL)
        return data_list(sources, nsources, &fo, err);

    rc = fetch_global_init(err);
    if (rc != GS_OK)
        return rc;
    for (size_t i = 0; i < nsources && rc == GS_OK; i++)
        rc = fetch_download(sources[i], &fo, err);
    fetch_global_cleanup();
    return rc;
}

int cmd_data(int argc, char **argv, struct gs_err *err)
{
    if (argc < 1)
        return gs_err_set(err, GS_EUSAGE, "expected a verb: fetch (see genoshare data --help)");
    if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
        printf("usage: genoshare %s\n\nverbs:\n  fetch   download the official public data "
               "releases (genoshare data fetch --help)\n",
               data_usage);
        return GS_OK;
    }
    if (strcmp(argv[0], "fetch") == 0)
        return data_fetch(argc - 1, argv + 1, err);
    return gs_err_set(err, GS_EUSAGE, "unknown verb '%s' (expected: fetch)", argv[0]);
}
