/* buf.c — bounded growable buffer. */
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void buf_init(struct gs_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max;
}

void buf_free(struct gs_buf *b)
{
    free(b->data);
    size_t max = b->max;
    buf_init(b, max);
}

void buf_reset(struct gs_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

static int buf_reserve(struct gs_buf *b, size_t extra)
{
    if (extra > b->max || b->len > b->max - extra)
        return GS_ETOOBIG;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return GS_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return GS_ENOMEM;
    b->data = p;
    b->cap = cap;
    return GS_OK;
}

int buf_append(struct gs_buf *b, const void *data, size_t n)
{
    int rc = buf_reserve(b, n);
    if (rc != GS_OK)
        return rc;
    if (n > 0)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return GS_OK;
}

int buf_printf(struct gs_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return GS_EINTERNAL;
    int rc = buf_reserve(b, (size_t)n);
    if (rc != GS_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return GS_OK;
}

char *buf_steal(struct gs_buf *b)
{
    char *p = b->data;
    if (p == NULL)
        p = calloc(1, 1);
    size_t max = b->max;
    buf_init(b, max);
    return p;
}

int buf_write_temp(const void *data, size_t n, const char *what, char *path, size_t path_size,
                   struct gs_err *err)
{
    const char *dir = getenv("TMPDIR");
    if (snprintf(path, path_size, "%s/genoshare-%s.XXXXXX", dir && dir[0] ? dir : "/tmp",
                 what) >= (int)path_size)
        return gs_err_set(err, GS_EIO, "the temporary directory's name is too long");
    int fd = mkstemp(path);
    if (fd < 0)
        return gs_err_set(err, GS_EIO, "cannot create a temporary file for the %s", what);
    const char *p = data;
    for (size_t done = 0; done < n;) {
        ssize_t w = write(fd, p + done, n - done);
        if (w <= 0) {
            close(fd);
            unlink(path);
            return gs_err_set(err, GS_EIO, "cannot write the %s to a temporary file", what);
        }
        done += (size_t)w;
    }
    if (close(fd) != 0) {
        unlink(path);
        return gs_err_set(err, GS_EIO, "cannot write the %s to a temporary file", what);
    }
    return GS_OK;
}
