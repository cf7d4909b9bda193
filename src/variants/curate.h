/* curate.h — curation of variant submissions (issue 6, item 2): the registration committee
 * (users with the curator role, or the operator) accepts or returns pending submissions.
 *
 * Decisions:
 *   - Only pending submissions are decided (GS_ECONFLICT otherwise); a re-submission puts a
 *     submission back to pending, so each version is curated.
 *   - Returning needs a comment (the submitter must learn why); accepting may carry one.
 *   - A curator sees and decides the pending submissions of the datasets it may read
 *     (access_check_read on the dataset): the curator role opens the queue, never a
 *     dataset. A submission of a dataset the curator may not read is "no submission with
 *     id N", like a missing one.
 *   - Audited: "variant.accept" / "variant.return" with the submission (or batch) and the
 *     comment, in the transaction of the change. */
#ifndef GS_VARIANTS_CURATE_H
#define GS_VARIANTS_CURATE_H

#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "store/store_variants.h"
#include "variants/search.h"

/* Decides one submission (decision VARIANT_ACCEPTED or VARIANT_RETURNED). GS_EFORBIDDEN
 * without the curator role, GS_ENOTFOUND for a missing or unreadable submission,
 * GS_ECONFLICT when it is not pending, GS_EINVAL for a return without comment. */
int variants_curate(struct store *s, const struct principal *curator, const struct actor *by,
                    int64_t submission_id, enum variant_state decision, const char *comment,
                    time_t now, struct gs_err *err) GS_MUST_USE;
/* Decides every pending submission of one upload batch in one transaction; *count gets how
 * many. Same rules; GS_ENOTFOUND "no submission batch with id N" when none is visible. */
int variants_curate_batch(struct store *s, const struct principal *curator,
                          const struct actor *by, int64_t batch_id, enum variant_state decision,
                          const char *comment, time_t now, int64_t *count,
                          struct gs_err *err) GS_MUST_USE;

/* The queue: pending submissions the curator may decide (dataset_id 0: all), oldest first,
 * with their variant. fn's non-zero return stops. */
typedef int (*variants_queue_fn)(void *ctx, const struct variant_submission_view *sub,
                                 const struct store_variant *v);
int variants_queue_each(struct store *s, const struct principal *curator, int64_t dataset_id,
                        time_t now, variants_queue_fn fn, void *ctx,
                        struct gs_err *err) GS_MUST_USE;

/* A batch's report for who: the operator, users of the batch's institution, and curators
 * who may read its dataset; others get GS_ENOTFOUND like a missing batch. The caller frees
 * out with store_variant_batch_clear. */
int variants_batch_read(struct store *s, const struct principal *who, int64_t batch_id,
                        time_t now, struct store_variant_batch *out,
                        struct gs_err *err) GS_MUST_USE;

/* One submission with its history (oldest first) for who, visible by search.h's rules
 * (and to curators, pending ones of readable datasets). fn gets each earlier version. */
int variants_submission_read(struct store *s, const struct principal *who, const struct actor *by,
                             int64_t id, time_t now, struct variant_submission_view *out,
                             store_variant_submission_fn history_fn, void *ctx,
                             struct gs_err *err) GS_MUST_USE;

#endif
