/* fetch.h — downloads the official public data releases genoshare reads (HPO, ClinVar, the
 * WHO TB catalogue) into the data directory, verifying published checksums.
 *
 * A download lands as FILE.part beside its destination and is renamed into place only once
 * it is complete and verified, so a file under its final name is always whole. This module
 * does not parse what it downloads, and it does not resume partial transfers. */
#ifndef GS_FETCH_FETCH_H
#define GS_FETCH_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

enum fetch_checksum_kind {
    FETCH_CHECKSUM_NONE, /* the source publishes no checksum */
    FETCH_CHECKSUM_MD5,  /* a "<hex>  name" (md5sum) or "MD5 (name) = <hex>" file */
};

/* One file of a source. All strings are static. */
struct fetch_file {
    const char *name;         /* file name in the destination folder, and on a mirror */
    const char *url;          /* canonical URL */
    const char *checksum_url; /* canonical checksum URL, NULL when kind is NONE */
    enum fetch_checksum_kind checksum;
};

/* A named release: one or more files that land in one subfolder of the data directory.
 * Sources live in a static read-only table; pointers to them are valid for the program's
 * lifetime and must not be freed. */
struct fetch_source {
    const char *name;   /* "clinvar" */
    const char *title;  /* one line for --list */
    const char *subdir; /* "variants" */
    const struct fetch_file *files;
    size_t nfiles;
};

struct fetch_options {
    const char *dir;    /* data directory (created if missing); borrowed */
    const char *mirror; /* NULL, or a base URL replacing every canonical URL by
                           MIRROR/<file name> (and MIRROR/<file name>.md5); borrowed */
    bool force;         /* download again even when the destination file exists */
    FILE *progress;     /* progress and per-file summaries, or NULL for silence; borrowed */
};

/* libcurl's process-wide setup. Rule: call fetch_global_init once, from the main thread
 * before any other thread exists, before the first fetch_download; call fetch_global_cleanup
 * once after the last one. GS_EINTERNAL when libcurl cannot initialise. */
int fetch_global_init(struct gs_err *err) GS_MUST_USE;
void fetch_global_cleanup(void);

/* The source table, in its fixed order: fetch_source_at(i) for i < fetch_source_count().
 * Returned pointers are static. */
size_t fetch_source_count(void);
const struct fetch_source *fetch_source_at(size_t i);

/* Looks a source up by name. *out is static. GS_EUSAGE naming the known sources when
 * there is no such source. */
int fetch_source_find(const char *name, const struct fetch_source **out,
                      struct gs_err *err) GS_MUST_USE;

/* Writes the URL file f is fetched from (checksum: its checksum file instead) into out,
 * honouring mirror (may be NULL). GS_EINVAL when f has no checksum file and one is asked
 * for, GS_ETOOBIG when outsize is too small. */
int fetch_file_url(const struct fetch_file *f, const char *mirror, bool checksum, char *out,
                   size_t outsize, struct gs_err *err) GS_MUST_USE;

/* Downloads every file of src into opt->dir/src->subdir, skipping files already present
 * unless opt->force. Stops at the first failure, which leaves behind no .part file and no
 * file under its final name that was not verified; files completed before it stay.
 * Errors: GS_ENET (transfer failed, HTTP status >= 400: the URL and status are named),
 * GS_ECORRUPT (checksum mismatch or unreadable checksum file), GS_EIO (local files). */
int fetch_download(const struct fetch_source *src, const struct fetch_options *opt,
                   struct gs_err *err) GS_MUST_USE;

#endif
