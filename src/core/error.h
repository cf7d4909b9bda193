/* error.h — genoshare's one error table.
 *
 * Every fallible function returns 0 or a negative GS_E* code and, where it can say more,
 * fills a caller-owned struct gs_err with one line of context (what, where, why). The
 * message is recorded once, where the error is detected, and reported once, at the edge
 * (CLI: "genoshare: <what>: <why>", HTTP: {"error":{"code":…,"message":…}}). */
#ifndef GS_CORE_ERROR_H
#define GS_CORE_ERROR_H

#include <stddef.h>

/* X(name, value, code string, HTTP status, CLI exit code, default message) */
#define GS_ERROR_TABLE(X)                                                                    \
    X(GS_OK, 0, "ok", 200, 0, "ok")                                                          \
    X(GS_EINVAL, -1, "invalid_input", 400, 1, "invalid input")                               \
    X(GS_EUSAGE, -2, "bad_usage", 400, 2, "bad usage")                                       \
    X(GS_ENOTFOUND, -3, "not_found", 404, 1, "not found")                                    \
    X(GS_EAUTH, -4, "unauthorized", 401, 1, "authentication required")                       \
    X(GS_EFORBIDDEN, -5, "forbidden", 403, 1, "forbidden")                                   \
    X(GS_ECONFLICT, -6, "conflict", 409, 1, "already exists")                                \
    X(GS_ETOOBIG, -7, "payload_too_large", 413, 1, "payload too large")                      \
    X(GS_EMEDIA, -8, "unsupported_media_type", 415, 1, "unsupported media type")             \
    X(GS_EMETHOD, -9, "method_not_allowed", 405, 1, "method not allowed")                    \
    X(GS_ERATE, -10, "rate_limited", 429, 1, "too many attempts")                            \
    X(GS_EIO, -11, "io_error", 500, 1, "input/output error")                                 \
    X(GS_EDB, -12, "store_error", 500, 1, "store error")                                     \
    X(GS_ENOMEM, -13, "out_of_memory", 500, 1, "out of memory")                              \
    X(GS_ECORRUPT, -14, "integrity_error", 500, 1, "integrity check failed")                 \
    X(GS_ENET, -15, "network_error", 502, 1, "network error")                                \
    X(GS_EINTERNAL, -16, "internal_error", 500, 1, "internal error")                         \
    X(GS_ENOTACCEPTABLE, -17, "not_acceptable", 406, 1, "no acceptable response type")       \
    X(GS_EUNPROCESSABLE, -18, "unprocessable", 422, 1, "well-formed but not valid")

enum gs_error_code {
#define GS_X_ENUM(name, value, code, http, exitc, msg) name = value,
    GS_ERROR_TABLE(GS_X_ENUM)
#undef GS_X_ENUM
};

#define GS_ERR_MSG_MAX 512

/* Context for one failure. Zero-initialise it; the first gs_err_set wins, so the place that
 * detected the problem keeps its words even when callers pass the code upward. */
struct gs_err {
    int code;
    char msg[GS_ERR_MSG_MAX];
};

/* Records code and a printf-style message in err (may be NULL); returns code. */
int gs_err_set(struct gs_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears err for reuse. */
void gs_err_clear(struct gs_err *err);

/* Static descriptions of a code; unknown codes map to GS_EINTERNAL's entries. */
const char *gs_error_name(int code);    /* "not_found" */
const char *gs_error_message(int code); /* "not found" */
int gs_error_http_status(int code);     /* 404 */
int gs_error_exit_code(int code);       /* 1, or 2 for bad usage */

/* The message to show: err->msg if set, else the code's default message. */
const char *gs_err_text(const struct gs_err *err, int code);

#define GS_MUST_USE __attribute__((warn_unused_result))

#endif
