/* dmp.h — Data Management Plans: one plan per research project, with what it will share
 * (data types, each with a planned tier), by when, and whether it has done so.
 *
 * Decisions (issue 5):
 *   - Deadline. The registration deadline is the earlier of "genome analysis finished + 2
 *     years" and "paper accepted"; with one date only, that date's rule; with neither, no
 *     deadline yet. "+2 years" from 29 February lands on 28 February (never later than two
 *     years). Equal dates name the paper rule. Dates are whole UTC days.
 *   - Status, computed by dmp_evaluate from the dates and `now`, never stored: fulfilled
 *     when every planned data type is linked to a registered dataset (whatever the dates);
 *     otherwise overdue once the deadline day has passed (the deadline day itself is still
 *     due), due_soon when 0-90 days are left, on_track beyond 90 days or with no deadline.
 *   - Who may do what: any signed-in user may list and read plans (administrative metadata,
 *     not patient data; reads are not audited). A submitter files plans for their own
 *     institution; an admin for any. The plan's creator, its PI (when the PI text is that
 *     user's genoshare name) or an admin may update and link it; a non-admin cannot move a
 *     plan to another institution. The CLI acts as the operator, who may do everything.
 *   - Versions: every write (add, update, link) stores the plan's full content as a new
 *     version with who, when and which fields changed, and audits it in the same
 *     transaction. Old versions are never changed. */
#ifndef GS_POLICY_DMP_H
#define GS_POLICY_DMP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "store/store_dmp.h"

#define DMP_DUE_WINDOW_DAYS 90
#define DMP_PROGRAMME_COUNT 6

/* ---- the pure deadline and status function ---- */

enum dmp_status { DMP_ON_TRACK, DMP_DUE_SOON, DMP_OVERDUE, DMP_FULFILLED };
#define DMP_STATUS_COUNT 4
enum dmp_rule { DMP_RULE_NONE, DMP_RULE_ANALYSIS_PLUS_2Y, DMP_RULE_PAPER };

struct dmp_state {
    enum dmp_status status;
    enum dmp_rule rule;  /* which date set the deadline */
    time_t deadline;     /* midnight UTC of the deadline day; 0 when there is none */
    int64_t days_left;   /* deadline day minus today (negative when overdue); 0 without one */
};

/* analysis_done and paper_accepted: any time on the day (0: not known yet). */
struct dmp_state dmp_evaluate(time_t analysis_done, time_t paper_accepted, bool fulfilled,
                              time_t now);
/* The same day two years later (29 February → 28 February); t at any time of day. */
time_t dmp_plus_two_years(time_t t);

const char *dmp_status_name(enum dmp_status s); /* "due_soon" */
const char *dmp_rule_name(enum dmp_rule r);     /* "analysis_plus_2y" */
int dmp_status_parse(const char *text, enum dmp_status *out, struct gs_err *err) GS_MUST_USE;

/* The programmes: "genome_medicine", "rare_intractable_disease", "brain_mental_health",
 * "emerging_infectious_disease", "hepatitis", "hiv_aids". */
extern const char *const dmp_programmes[DMP_PROGRAMME_COUNT];
int dmp_programme_check(const char *text, struct gs_err *err) GS_MUST_USE;

/* "YYYY-MM-DD" to midnight UTC; "" is 0 (clears the date). */
int dmp_parse_date(const char *text, time_t *out, struct gs_err *err) GS_MUST_USE;
/* "YYYY-MM-DD" into out, or "" for 0. */
void dmp_format_date(time_t t, char out[11]);

/* ---- the service: validated, versioned, audited writes ---- */

/* A plan's fields as given. For dmp_add every text but target_db and volume is required;
 * for dmp_update NULL means unchanged (and set_* false leaves a date as it is). */
struct dmp_input {
    const char *programme;
    const char *title;
    const char *pi;
    const char *institution; /* institution name */
    const char *target_db;
    const char *volume;
    bool set_analysis_done;
    time_t analysis_done;    /* 0 clears */
    bool set_paper_accepted;
    time_t paper_accepted;
    int nitems;              /* -1: unchanged (update only) */
    struct store_dmp_item items[DATA_TYPE_COUNT]; /* dataset_id is ignored */
};
void dmp_input_init(struct dmp_input *in); /* everything unchanged */

/* "sequence:controlled,variants:open" into in->items (each data type at most once). */
int dmp_parse_items(const char *text, struct dmp_input *in, struct gs_err *err) GS_MUST_USE;

/* Files a new plan as version 1. who: the operator, an admin, or a submitter (own
 * institution only; GS_EFORBIDDEN otherwise). */
int dmp_add(struct store *s, const struct principal *who, const struct actor *by,
            const struct dmp_input *in, time_t now, int64_t *id_out,
            struct gs_err *err) GS_MUST_USE;
/* Changes the given fields; a data type that stays keeps its link. GS_EINVAL when nothing
 * changes (no empty versions). */
int dmp_update(struct store *s, const struct principal *who, const struct actor *by,
               int64_t id, const struct dmp_input *in, time_t now,
               struct gs_err *err) GS_MUST_USE;
/* Links the plan's entry for type to the dataset named dataset (its data type must match),
 * or unlinks it when dataset is NULL. */
int dmp_link(struct store *s, const struct principal *who, const struct actor *by, int64_t id,
             enum data_type type, const char *dataset, time_t now,
             struct gs_err *err) GS_MUST_USE;

/* Whether who may update the plan (no store access beyond the user's name). */
bool dmp_may_edit(const struct principal *who, const struct store_dmp *d);

/* The plan as JSON, with institution and dataset names, the deadline and status at now;
 * with_state false gives the stored content only (what a version keeps). The caller owns
 * the result (NULL when out of memory or a name lookup fails, err filled). */
json_t *dmp_to_json(struct store *s, const struct store_dmp *d, bool with_state, time_t now,
                    struct gs_err *err);
/* The plan's state at now (fulfilled from its links). */
struct dmp_state dmp_state_of(const struct store_dmp *d, time_t now);

#endif
