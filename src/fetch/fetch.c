/* fetch.c — the table of public data sources and their download with libcurl: write to
 * FILE.part, verify the published checksum, rename into place. Progress goes to the stream
 * the caller names. Nothing is parsed here, and no transfer is resumed. */
#include "fetch/fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "core/buf.h"

#ifndef GS_VERSION
#define GS_VERSION "0.0.0"
#endif

#define FETCH_PATH_MAX 4096
#define FETCH_URL_MAX 2048
#define FETCH_CHECKSUM_FILE_MAX 4096 /* a .md5 file is one short line */
#define FETCH_MD5_HEX_LEN 32

/* Transfer limits: a dead or crawling server is abandoned rather than waited on forever. */
#define FETCH_MAX_REDIRECTS 5L
#define FETCH_CONNECT_TIMEOUT_S 30L
#define FETCH_LOW_SPEED_BYTES 1024L
#define FETCH_LOW_SPEED_TIME_S 60L

static const struct fetch_file hpo_files[] = {
    {"hp.json", "http://purl.obolibrary.org/obo/hp.json", NULL, FETCH_CHECKSUM_NONE},
    {"phenotype.hpoa",
     "https://github.com/obophenotype/human-phenotype-ontology/releases/latest/download/"
     "phenotype.hpoa",
     NULL, FETCH_CHECKSUM_NONE},
};

static const struct fetch_file hpo_ja_files[] = {
    {"hp-ja.babelon.tsv",
     "https://raw.githubusercontent.com/obophenotype/human-phenotype-ontology/master/src/"
     "translations/hp-ja.babelon.tsv",
     NULL, FETCH_CHECKSUM_NONE},
};

static const struct fetch_file tb_catalogue_files[] = {
    {"Genomic_coordinates_7May2024.vcf.gz",
     "https://raw.githubusercontent.com/GTB-tbsequencing/mutation-catalogue-2023/main/"
     "Final%20Result%20Files/Genomic_coordinates_7May2024.vcf.gz",
     NULL, FETCH_CHECKSUM_NONE},
};

/* NCBI publishes an .md5 beside the VCF, none beside its index. */
static const struct fetch_file clinvar_files[] = {
    {"clinvar.vcf.gz", "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/vcf_GRCh38/clinvar.vcf.gz",
     "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/vcf_GRCh38/clinvar.vcf.gz.md5",
     FETCH_CHECKSUM_MD5},
    {"clinvar.vcf.gz.tbi",
     "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/vcf_GRCh38/clinvar.vcf.gz.tbi", NULL,
     FETCH_CHECKSUM_NONE},
};

#define FETCH_FILES(a) (a), sizeof(a) / sizeof((a)[0])

static const struct fetch_source fetch_sources[] = {
    {"hpo", "Human Phenotype Ontology and its disease annotations", "hpo",
     FETCH_FILES(hpo_files)},
    {"hpo-ja", "HPO Japanese labels (babelon translation table)", "hpo",
     FETCH_FILES(hpo_ja_files)},
    {"tb-catalogue", "WHO 2023 TB mutation catalogue, genomic coordinates (VCF)", "tb",
     FETCH_FILES(tb_catalogue_files)},
    {"clinvar", "ClinVar GRCh38 VCF and its tabix index", "variants",
     FETCH_FILES(clinvar_files)},
};

#define FETCH_NSOURCES (sizeof fetch_sources / sizeof fetch_sources[0])

int fetch_global_init(struct gs_err *err)
{
    CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK)
        return gs_err_set(err, GS_EINTERNAL, "libcurl: cannot initialise: %s",
                          curl_easy_strerror(rc));
    return GS_OK;
}

void fetch_global_cleanup(void) { curl_global_cleanup(); }

size_t fetch_source_count(void) { return FETCH_NSOURCES; }

const struct fetch_source *fetch_source_at(size_t i)
{
    return i < FETCH_NSOURCES ? &fetch_sources[i] : NULL;
}

int fetch_source_find(const char *name, const struct fetch_source **out, struct gs_err *err)
{
    for (size_t i = 0; i < FETCH_NSOURCES; i++) {
        if (strcmp(fetch_sources[i].name, name) == 0) {
            *out = &fetch_sources[i];
            return GS_OK;
        }
    }
    char known[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < FETCH_NSOURCES && used < sizeof known; i++) {
        int n = snprintf(known + used, sizeof known - used, "%s%s", i ? ", " : "",
                         fetch_sources[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return gs_err_set(err, GS_EUSAGE, "unknown source '%s' (known: %s)", name, known);
}

int fetch_file_url(const struct fetch_file *f, const char *mirror, bool checksum, char *out,
                   size_t outsize, struct gs_err *err)
{
    if (checksum && f->checksum == FETCH_CHECKSUM_NONE)
        return gs_err_set(err, GS_EINVAL, "%s: no checksum is published", f->name);
    int n;
    if (mirror != NULL) {
        size_t len = strlen(mirror);
        while (len > 0 && mirror[len - 1] == '/')
            len--;
        if (len > FETCH_URL_MAX)
            return gs_err_set(err, GS_ETOOBIG, "mirror URL longer than %d bytes", FETCH_URL_MAX);
        n = snprintf(out, outsize, "%.*s/%s%s", (int)len, mirror, f->name,
                     checksum ? ".md5" : "");
    } else {
        n = snprintf(out, outsize, "%s", checksum ? f->checksum_url : f->url);
    }
    if (n < 0 || (size_t)n >= outsize)
        return gs_err_set(err, GS_ETOOBIG, "%s: URL too long", f->name);
    return GS_OK;
}

/* ---- local files ---- */

/* mkdir -p: creates each missing component of path. */
static int fetch_make_dirs(const char *path, struct gs_err *err)
{
    char tmp[FETCH_PATH_MAX];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof tmp)
        return gs_err_set(err, GS_EIO, "data directory path is empty or too long");
    memcpy(tmp, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        char saved = tmp[i];
        tmp[i] = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return gs_err_set(err, GS_EIO, "cannot create directory %s: %s", tmp,
                              strerror(errno));
        tmp[i] = saved;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return gs_err_set(err, GS_EIO, "%s is not a directory", path);
    return GS_OK;
}

/* Makes a rename in dir durable; best effort, since the data is already whole on disk. */
static void fetch_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static void fetch_format_size(double bytes, char *out, size_t outsize)
{
    if (bytes < 1024.0)
        snprintf(out, outsize, "%.0f B", bytes);
    else if (bytes < 1024.0 * 1024.0)
        snprintf(out, outsize, "%.1f KiB", bytes / 1024.0);
    else if (bytes < 1024.0 * 1024.0 * 1024.0)
        snprintf(out, outsize, "%.1f MiB", bytes / (1024.0 * 1024.0));
    else
        snprintf(out, outsize, "%.2f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
}

/* ---- checksums ---- */

static bool fetch_is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool fetch_is_word(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '_';
}

/* Finds the first standalone 32-hex-digit word in an .md5 file, which covers both
 * "<hex>  name" (md5sum, NCBI's format) and "MD5 (name) = <hex>" (BSD). The file name in
 * it is not compared: NCBI names the dated release the unversioned link points to. */
static int fetch_parse_md5(const char *text, size_t len, char out[FETCH_MD5_HEX_LEN + 1])
{
    size_t i = 0;
    while (i < len) {
        if (!fetch_is_hex(text[i]) || (i > 0 && fetch_is_word(text[i - 1]))) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < len && fetch_is_hex(text[j]))
            j++;
        if (j - i == FETCH_MD5_HEX_LEN && (j == len || !fetch_is_word(text[j]))) {
            for (size_t k = 0; k < FETCH_MD5_HEX_LEN; k++) {
                char c = text[i + k];
                out[k] = (c >= 'A' && c <= 'F') ? (char)(c - 'A' + 'a') : c;
            }
            out[FETCH_MD5_HEX_LEN] = '\0';
            return GS_OK;
        }
        i = j;
    }
    return GS_ECORRUPT;
}

/* MD5 of a whole file, streamed through GnuTLS (libsodium has no MD5) so a release of
 * several hundred MB is never held in memory. */
static int fetch_md5_file(const char *path, char out[FETCH_MD5_HEX_LEN + 1],
                          struct gs_err *err)
{
    enum { CHUNK = 64 * 1024 };
    int rc = GS_OK;
    gnutls_hash_hd_t hash = NULL;
    unsigned char *chunk = NULL;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return gs_err_set(err, GS_EIO, "cannot read %s: %s", path, strerror(errno));
    int grc = gnutls_hash_init(&hash, GNUTLS_DIG_MD5);
    if (grc < 0) {
        hash = NULL;
        rc = gs_err_set(err, GS_EINTERNAL, "MD5 unavailable: %s", gnutls_strerror(grc));
        goto done;
    }
    chunk = malloc(CHUNK);
    if (chunk == NULL) {
        rc = gs_err_set(err, GS_ENOMEM, "out of memory hashing %s", path);
        goto done;
    }
    size_t n;
    while ((n = fread(chunk, 1, CHUNK, f)) > 0) {
        if (gnutls_hash(hash, chunk, n) < 0) {
            rc = gs_err_set(err, GS_EINTERNAL, "MD5 of %s failed", path);
            goto done;
        }
    }
    if (ferror(f)) {
        rc = gs_err_set(err, GS_EIO, "cannot read %s", path);
        goto done;
    }
    unsigned char digest[16];
    gnutls_hash_deinit(hash, digest);
    hash = NULL;
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 0x0f];
    }
    out[FETCH_MD5_HEX_LEN] = '\0';
done:
    if (hash != NULL)
        gnutls_hash_deinit(hash, NULL);
    free(chunk);
    fclose(f);
    return rc;
}

/* ---- transfers ---- */

/* One transfer's sink and progress state; lives on the caller's stack. */
struct fetch_transfer {
    FILE *file;          /* the .part file, or NULL… */
    struct gs_buf *buf;  /* …when the body goes to memory (checksum files) */
    double bytes;        /* body bytes received */
    int write_errno;     /* why the file sink failed, 0 if it did not */
    bool buf_full;       /* the memory sink hit its maximum */

    FILE *progress;      /* NULL: no progress lines */
    const char *name;
    bool tty;            /* rewrite one line with \r instead of printing a line each time */
    bool shown;          /* a progress line is on screen */
    struct timespec last;
};

static size_t fetch_write(char *data, size_t size, size_t nmemb, void *userdata)
{
    struct fetch_transfer *t = userdata;
    size_t n = size * nmemb;
    if (t->file != NULL) {
        errno = 0;
        if (fwrite(data, 1, n, t->file) != n) {
            t->write_errno = errno ? errno : EIO;
            return 0;
        }
    } else if (buf_append(t->buf, data, n) != GS_OK) {
        t->buf_full = true;
        return 0;
    }
    t->bytes += (double)n;
    return n;
}

static double fetch_seconds_since(const struct timespec *then, const struct timespec *now)
{
    return (double)(now->tv_sec - then->tv_sec) + (double)(now->tv_nsec - then->tv_nsec) / 1e9;
}

/* At most one progress line per second, so a fast link does not flood a log. */
static int fetch_on_progress(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                             curl_off_t ultotal, curl_off_t ulnow)
{
    (void)ultotal;
    (void)ulnow;
    struct fetch_transfer *t = clientp;
    if (t->progress == NULL)
        return 0;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (fetch_seconds_since(&t->last, &now) < 1.0)
        return 0;
    t->last = now;
    char have[32], total[32];
    fetch_format_size((double)dlnow, have, sizeof have);
    const char *lead = t->tty ? "\r" : "";
    const char *tail = t->tty ? "\033[K" : "\n";
    if (dltotal > 0) {
        fetch_format_size((double)dltotal, total, sizeof total);
        fprintf(t->progress, "%sfetch: %s %s / %s (%d%%)%s", lead, t->name, have, total,
                (int)((double)dlnow * 100.0 / (double)dltotal), tail);
    } else {
        fprintf(t->progress, "%sfetch: %s %s%s", lead, t->name, have, tail);
    }
    fflush(t->progress);
    t->shown = true;
    return 0;
}

/* Fetches url into t's sink with the transfer rules every source shares. sink_path names the
 * .part file in messages (NULL for memory). */
static int fetch_perform(CURL *curl, const char *url, struct fetch_transfer *t,
                         const char *sink_path, struct gs_err *err)
{
    char curl_msg[CURL_ERROR_SIZE] = "";
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    /* Refuse rather than fall back to every protocol libcurl knows (file://, ftp://…). */
    if (curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
        curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK)
        return gs_err_set(err, GS_EINTERNAL, "libcurl too old to restrict protocols (7.85+)");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, FETCH_MAX_REDIRECTS);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, FETCH_CONNECT_TIMEOUT_S);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, FETCH_LOW_SPEED_BYTES);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, FETCH_LOW_SPEED_TIME_S);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "genoshare/" GS_VERSION);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_msg);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, fetch_write);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, fetch_on_progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    clock_gettime(CLOCK_MONOTONIC, &t->last);

    CURLcode rc = curl_easy_perform(curl);
    if (t->shown && t->tty)
        fprintf(t->progress, "\r\033[K");
    t->shown = false;
    if (rc == CURLE_OK)
        return GS_OK;
    if (rc == CURLE_HTTP_RETURNED_ERROR) {
        long status = 0;
        const char *effective = NULL;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(curl, CURLINFO_EFFECTIVE_URL, &effective);
        if (effective != NULL && strcmp(effective, url) != 0)
            return gs_err_set(err, GS_ENET, "GET %s: HTTP %ld (after redirect to %s)", url,
                              status, effective);
        return gs_err_set(err, GS_ENET, "GET %s: HTTP %ld", url, status);
    }
    if (rc == CURLE_WRITE_ERROR && t->write_errno != 0)
        return gs_err_set(err, GS_EIO, "cannot write %s: %s", sink_path ? sink_path : "file",
                          strerror(t->write_errno));
    if (rc == CURLE_WRITE_ERROR && t->buf_full)
        return gs_err_set(err, GS_ECORRUPT, "GET %s: larger than %zu bytes, not a checksum file",
                          url, t->buf->max);
    return gs_err_set(err, GS_ENET, "GET %s: %s", url,
                      curl_msg[0] ? curl_msg : curl_easy_strerror(rc));
}

/* Reads the published MD5 for f into expected. */
static int fetch_expected_md5(CURL *curl, const struct fetch_file *f, const char *mirror,
                              char expected[FETCH_MD5_HEX_LEN + 1], struct gs_err *err)
{
    char url[FETCH_URL_MAX + 256];
    int rc = fetch_file_url(f, mirror, true, url, sizeof url, err);
    if (rc != GS_OK)
        return rc;
    struct gs_buf body;
    buf_init(&body, FETCH_CHECKSUM_FILE_MAX);
    struct fetch_transfer t = {.buf = &body};
    rc = fetch_perform(curl, url, &t, NULL, err);
    if (rc == GS_OK && fetch_parse_md5(body.data ? body.data : "", body.len, expected) != GS_OK)
        rc = gs_err_set(err, GS_ECORRUPT, "%s: no MD5 found in %s", f->name, url);
    buf_free(&body);
    return rc;
}

/* Downloads one file to dir/f->name by way of dir/f->name.part. */
static int fetch_one(CURL *curl, const struct fetch_file *f, const char *dir,
                     const struct fetch_options *opt, struct gs_err *err)
{
    char path[FETCH_PATH_MAX], part[FETCH_PATH_MAX + 8];
    char url[FETCH_URL_MAX + 256];
    char expected[FETCH_MD5_HEX_LEN + 1] = "", actual[FETCH_MD5_HEX_LEN + 1] = "";
    int n = snprintf(path, sizeof path, "%s/%s", dir, f->name);
    if (n < 0 || (size_t)n >= sizeof path)
        return gs_err_set(err, GS_EIO, "%s/%s: path too long", dir, f->name);
    snprintf(part, sizeof part, "%s.part", path);

    struct stat st;
    if (!opt->force && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        if (opt->progress != NULL)
            fprintf(opt->progress, "fetch: %s present, skipped (--force to download again)\n",
                    f->name);
        return GS_OK;
    }
    int rc = fetch_file_url(f, opt->mirror, false, url, sizeof url, err);
    if (rc != GS_OK)
        return rc;
    /* The checksum first: it is small, and a source without one fails before the big file. */
    if (f->checksum == FETCH_CHECKSUM_MD5) {
        rc = fetch_expected_md5(curl, f, opt->mirror, expected, err);
        if (rc != GS_OK)
            return rc;
    }

    struct fetch_transfer t = {
        .progress = opt->progress,
        .name = f->name,
        .tty = opt->progress != NULL && isatty(fileno(opt->progress)),
    };
    int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return gs_err_set(err, GS_EIO, "cannot create %s: %s", part, strerror(errno));
    FILE *out = fdopen(fd, "wb");
    if (out == NULL) {
        rc = gs_err_set(err, GS_EIO, "cannot open %s: %s", part, strerror(errno));
        close(fd);
        goto fail;
    }
    t.file = out;
    rc = fetch_perform(curl, url, &t, part, err);
    if (rc == GS_OK && (fflush(out) != 0 || fsync(fileno(out)) != 0))
        rc = gs_err_set(err, GS_EIO, "cannot write %s: %s", part, strerror(errno));
    if (fclose(out) != 0 && rc == GS_OK)
        rc = gs_err_set(err, GS_EIO, "cannot write %s: %s", part, strerror(errno));
    if (rc != GS_OK)
        goto fail;

    if (f->checksum == FETCH_CHECKSUM_MD5) {
        rc = fetch_md5_file(part, actual, err);
        if (rc != GS_OK)
            goto fail;
        if (strcmp(actual, expected) != 0) {
            rc = gs_err_set(err, GS_ECORRUPT,
                            "%s: md5 mismatch (published %s, downloaded %s); download discarded",
                            f->name, expected, actual);
            goto fail;
        }
    }
    if (rename(part, path) != 0) {
        rc = gs_err_set(err, GS_EIO, "cannot rename %s to %s: %s", part, path, strerror(errno));
        goto fail;
    }
    fetch_sync_dir(dir);
    if (opt->progress != NULL) {
        char size[32];
        fetch_format_size(t.bytes, size, sizeof size);
        fprintf(opt->progress, "fetch: %s done (%s, %s)\n", f->name, size,
                f->checksum == FETCH_CHECKSUM_MD5 ? "md5 ok" : "no checksum published");
    }
    return GS_OK;

fail:
    unlink(part);
    return rc;
}

int fetch_download(const struct fetch_source *src, const struct fetch_options *opt,
                   struct gs_err *err)
{
    char dir[FETCH_PATH_MAX];
    int n = snprintf(dir, sizeof dir, "%s/%s", opt->dir, src->subdir);
    if (n < 0 || (size_t)n >= sizeof dir)
        return gs_err_set(err, GS_EIO, "%s/%s: path too long", opt->dir, src->subdir);
    int rc = fetch_make_dirs(dir, err);
    if (rc != GS_OK)
        return rc;
    CURL *curl = curl_easy_init();
    if (curl == NULL)
        return gs_err_set(err, GS_EINTERNAL, "libcurl: cannot create a transfer");
    for (size_t i = 0; i < src->nfiles && rc == GS_OK; i++)
        rc = fetch_one(curl, &src->files[i], dir, opt, err);
    curl_easy_cleanup(curl);
    return rc;
}
