/* error.c — the error table's lookups and the context recorder. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct error_entry {
    int value;
    const char *name;
    int http;
    int exit_code;
    const char *message;
};

static const struct error_entry error_entries[] = {
#define GS_X_ENTRY(name, value, code, http, exitc, msg) {value, code, http, exitc, msg},
    GS_ERROR_TABLE(GS_X_ENTRY)
#undef GS_X_ENTRY
};

static const struct error_entry *error_lookup(int code)
{
    size_t n = sizeof error_entries / sizeof error_entries[0];
    for (size_t i = 0; i < n; i++)
        if (error_entries[i].value == code)
            return &error_entries[i];
    return error_lookup(GS_EINTERNAL);
}

int gs_err_set(struct gs_err *err, int code, const char *fmt, ...)
{
    if (err == NULL || err->code != 0)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void gs_err_clear(struct gs_err *err)
{
    if (err != NULL)
        memset(err, 0, sizeof *err);
}

const char *gs_error_name(int code) { return error_lookup(code)->name; }
const char *gs_error_message(int code) { return error_lookup(code)->message; }
int gs_error_http_status(int code) { return error_lookup(code)->http; }
int gs_error_exit_code(int code) { return error_lookup(code)->exit_code; }

const char *gs_err_text(const struct gs_err *err, int code)
{
    if (err != NULL && err->msg[0] != '\0')
        return err->msg;
    return gs_error_message(code);
}
