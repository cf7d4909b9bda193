/* requests.c — placeholder: its workflow has not landed yet. */
#include "policy/policy_demo.h"

int requests_demo_fill(struct store *s, const struct actor *by, struct gs_err *err)
{
    (void)s;
    (void)by;
    (void)err;
    return GS_OK;
}
