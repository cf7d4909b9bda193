/* visibility.h — which variant submissions a caller sees (internal to src/variants/): the
 * rule of search.h, with the dataset decisions cached for one search and the non-open
 * datasets noted for its audit row. */
#ifndef GS_VARIANTS_VISIBILITY_H
#define GS_VARIANTS_VISIBILITY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "store/store_variants.h"

struct visibility_dataset {
    struct store_dataset d;
    bool readable;   /* access_check_read on the dataset */
    bool shown;      /* a submission of it was shown (for the audit row) */
};

struct visibility {
    struct store *s;
    const struct principal *who;
    time_t now;
    bool curation;   /* curators also see pending submissions of readable datasets */
    int n, cap;
    struct visibility_dataset *ds;
};

/* Starts a cache for who; free with visibility_free. */
void visibility_init(struct visibility *v, struct store *s, const struct principal *who,
                     time_t now, bool curation);
void visibility_free(struct visibility *v);
/* The cached dataset (looked up and decided on first use). */
int visibility_dataset(struct visibility *v, int64_t dataset_id, struct visibility_dataset **out,
                       struct gs_err *err) GS_MUST_USE;
/* Whether who sees a submission of dataset_id by institution_id in state; marks its dataset
 * as shown when it does and mark is set. */
int visibility_submission(struct visibility *v, int64_t dataset_id, int64_t institution_id,
                          enum variant_state state, bool mark, bool *out,
                          struct gs_err *err) GS_MUST_USE;
/* One "variant.read" audit row naming the non-open datasets shown (none: nothing written). */
int visibility_audit(struct visibility *v, const struct actor *by, const char *what,
                     struct gs_err *err) GS_MUST_USE;

#endif
