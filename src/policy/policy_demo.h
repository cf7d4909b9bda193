/* policy_demo.h — what each policy workflow adds to `genoshare demo` (called in this
 * order after the foundation's accounts, datasets and records exist). */
#ifndef GS_POLICY_POLICY_DEMO_H
#define GS_POLICY_POLICY_DEMO_H

#include "audit/audit.h"
#include "store/store.h"

int dmp_demo_fill(struct store *s, const struct actor *by, struct gs_err *err) GS_MUST_USE;
int requests_demo_fill(struct store *s, const struct actor *by, struct gs_err *err) GS_MUST_USE;
int passport_demo_fill(struct store *s, const struct actor *by, struct gs_err *err) GS_MUST_USE;

#endif
