/* parse.c — number, time and name parsing with explicit bounds. */
#include "core/parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_int64(const char *text, int64_t min, int64_t max, int64_t *out, struct gs_err *err)
{
    if (text == NULL || *text == '\0')
        return gs_err_set(err, GS_EINVAL, "expected a number, got nothing");
    errno = 0;
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || isspace((unsigned char)text[0]))
        return gs_err_set(err, GS_EINVAL, "'%.40s' is not a whole number", text);
    if (v < min || v > max)
        return gs_err_set(err, GS_EINVAL, "%lld is out of range [%lld, %lld]", v,
                          (long long)min, (long long)max);
    *out = (int64_t)v;
    return GS_OK;
}

int parse_utc_time(const char *text, time_t *out, struct gs_err *err)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    int y, mo, d, h = 0, mi = 0, s = 0, n = 0;
    size_t len = text ? strlen(text) : 0;
    if (len == 10 && sscanf(text, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10) {
        /* date only */
    } else if (len == 20 &&
               sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &n) == 6 &&
               n == 20) {
        /* full timestamp */
    } else {
        return gs_err_set(err, GS_EINVAL, "'%.40s' is not a date (YYYY-MM-DD or "
                          "YYYY-MM-DDTHH:MM:SSZ)", text ? text : "");
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1970)
        return gs_err_set(err, GS_EINVAL, "'%.40s' is not a valid date", text);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    time_t t = timegm(&tm);
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_mday != d || back.tm_mon != mo - 1)
        return gs_err_set(err, GS_EINVAL, "'%.40s' is not a valid date", text);
    *out = t;
    return GS_OK;
}

void format_utc_time(time_t t, char out[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool parse_is_name(const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (n == 0 || n > 64 || !isalnum((unsigned char)text[0]))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (!isalnum(c) && c != '.' && c != '_' && c != '-')
            return false;
    }
    return true;
}

int parse_check_line(const char *what, const char *text, bool required, size_t max,
                     struct gs_err *err)
{
    if (text == NULL || text[0] == '\0')
        return required ? gs_err_set(err, GS_EINVAL, "%s is empty", what) : GS_OK;
    if (strlen(text) >= max)
        return gs_err_set(err, GS_EINVAL, "%s is longer than %zu bytes", what, max - 1);
    for (const unsigned char *c = (const unsigned char *)text; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return gs_err_set(err, GS_EINVAL, "%s contains a control character", what);
    return GS_OK;
}
