/* tsv.h — what the benchmark programs share for reading tab-separated files in place: split
 * a line into fields and find a named column of the header. Header-only: each bench is one
 * program (Makefile: build/bench/%). */
#ifndef GS_BENCH_TSV_H
#define GS_BENCH_TSV_H

#include <string.h>

/* Splits s at sep in place into at most max fields; returns the count, -1 past max. */
static inline int tsv_split(char *s, char sep, char **fields, int max)
{
    int n = 0;
    if (*s == '\0')
        return 0;
    for (;;) {
        if (n == max)
            return -1;
        fields[n++] = s;
        char *e = strchr(s, sep);
        if (e == NULL)
            return n;
        *e = '\0';
        s = e + 1;
    }
}

/* The index of the field named name, or -1. */
static inline int tsv_column(char **fields, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(fields[i], name) == 0)
            return i;
    return -1;
}

#endif
