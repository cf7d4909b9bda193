/* check.h — the unit tests' tiny harness. Each check prints one line, "PASS name" or
 * "FAIL name: expression (file:line)", which tests/run.sh counts; a test program exits
 * 1 when any check failed. */
#ifndef GS_TESTS_CHECK_H
#define GS_TESTS_CHECK_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

struct check_state {
    int passed;
    int failed;
};

__attribute__((format(printf, 5, 6))) static inline bool
check_report(struct check_state *st, bool ok, const char *where, const char *expr,
             const char *fmt, ...)
{
    char name[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    if (ok) {
        st->passed++;
        printf("PASS %s\n", name);
    } else {
        st->failed++;
        printf("FAIL %s: %s (%s)\n", name, expr, where);
    }
    fflush(stdout);
    return ok;
}

#define CHECK_STR2(x) #x
#define CHECK_STR(x) CHECK_STR2(x)
/* CHECK(st, condition, "name format", args…) */
#define CHECK(st, cond, ...) \
    check_report((st), (cond), __FILE__ ":" CHECK_STR(__LINE__), #cond, __VA_ARGS__)

static inline int check_finish(const struct check_state *st)
{
    return st->failed == 0 ? 0 : 1;
}

#endif
