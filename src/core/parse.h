/* parse.h — range-checked parsing of numbers, dates and names from untrusted text. */
#ifndef GS_CORE_PARSE_H
#define GS_CORE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/error.h"

/* Parses a whole decimal integer in [min, max]; GS_EINVAL (with the reason) otherwise. */
int parse_int64(const char *text, int64_t min, int64_t max, int64_t *out,
                struct gs_err *err) GS_MUST_USE;

/* Parses "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" as UTC. */
int parse_utc_time(const char *text, time_t *out, struct gs_err *err) GS_MUST_USE;

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void format_utc_time(time_t t, char out[21]);

/* A name for an account, institution, consortium or dataset: 1–64 characters of
 * [A-Za-z0-9._-], starting with a letter or digit. */
bool parse_is_name(const char *text);

/* Checks a one-line text field from input (a title, a label): GS_EINVAL naming what when
 * it is missing but required, not shorter than max bytes, or holds a control character. */
int parse_check_line(const char *what, const char *text, bool required, size_t max,
                     struct gs_err *err) GS_MUST_USE;

#endif
