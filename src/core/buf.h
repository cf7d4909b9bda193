/* buf.h — a growable byte buffer with a hard maximum (curl's habit: every growable
 * buffer is created with its limit), used for request bodies and built strings. */
#ifndef GS_CORE_BUF_H
#define GS_CORE_BUF_H

#include <stddef.h>

#include "core/error.h"

struct gs_buf {
    char *data;    /* always NUL-terminated when len > 0 or after buf_append */
    size_t len;
    size_t cap;
    size_t max;    /* appends that would exceed max fail with GS_ETOOBIG */
};

/* Initialises an empty buffer that may hold at most max bytes. Free with buf_free. */
void buf_init(struct gs_buf *b, size_t max);
void buf_free(struct gs_buf *b);
void buf_reset(struct gs_buf *b);

/* Appends n bytes; GS_ETOOBIG past max, GS_ENOMEM when allocation fails. */
int buf_append(struct gs_buf *b, const void *data, size_t n) GS_MUST_USE;
/* Writes n bytes to a new private temporary file ($TMPDIR, else /tmp; mkstemp, mode 0600)
 * named "genoshare-<what>.XXXXXX" and puts its name in path: for libraries that read only
 * files (htslib). The caller unlinks it. GS_EIO naming what on failure (nothing is left). */
int buf_write_temp(const void *data, size_t n, const char *what, char *path, size_t path_size,
                   struct gs_err *err) GS_MUST_USE;
int buf_printf(struct gs_buf *b, const char *fmt, ...) GS_MUST_USE
    __attribute__((format(printf, 2, 3)));

/* Hands the bytes to the caller (who frees them) and leaves b empty. */
char *buf_steal(struct gs_buf *b);

#endif
