/* store_dmp.h — persistence of Data Management Plans and their versions (schema v2), and the
 * dataset registration dates the reports count. Domain terms only; sqlite_dmp.c holds the
 * SQL. Nothing here is derived: deadlines and statuses are computed by policy/dmp.c from the
 * stored dates at each read, so nothing stored can go stale. */
#ifndef GS_STORE_STORE_DMP_H
#define GS_STORE_STORE_DMP_H

#include "store/store.h"

/* One planned data type of a plan. */
struct store_dmp_item {
    enum data_type data_type;
    enum tier tier;      /* the planned tier */
    int64_t dataset_id;  /* the registered dataset it is linked to; 0: not yet */
};

/* A plan's current version. Filled by value. */
struct store_dmp {
    int64_t id;
    char programme[STORE_NAME_MAX];
    char title[STORE_TEXT_MAX];
    char pi[STORE_TEXT_MAX];
    int64_t institution_id;
    char target_db[STORE_TEXT_MAX]; /* "" when not given */
    char volume[STORE_TEXT_MAX];    /* "" when not given */
    time_t analysis_done;           /* midnight UTC; 0: not yet */
    time_t paper_accepted;          /* midnight UTC; 0: not yet */
    int64_t created_by;             /* user id; 0: the operator */
    time_t created_at;
    time_t updated_at;
    int version;                    /* 1 for a new plan, +1 per change */
    int nitems;
    struct store_dmp_item items[DATA_TYPE_COUNT]; /* in data type order */
};

/* Inserts the plan and its items (in->id and in->version are ignored; the new plan is
 * version 1). Call inside a transaction, with store_dmp_version_insert for version 1. */
int store_dmp_insert(struct store *s, const struct store_dmp *in, int64_t *id_out,
                     struct gs_err *err) GS_MUST_USE;
/* Replaces the plan's fields and items with in's, where in->version is the new version
 * number; GS_ECONFLICT when the stored version is not in->version - 1 (someone else wrote
 * in between). Call inside a transaction. */
int store_dmp_update(struct store *s, const struct store_dmp *in, struct gs_err *err) GS_MUST_USE;
/* GS_ENOTFOUND "no plan with id N". */
int store_dmp_get(struct store *s, int64_t id, struct store_dmp *out,
                  struct gs_err *err) GS_MUST_USE;
/* Calls fn for every plan in id order; fn's non-zero return stops the walk and is
 * returned. The struct is valid only during the call. */
typedef int (*store_dmp_fn)(void *ctx, const struct store_dmp *d);
int store_dmp_each(struct store *s, store_dmp_fn fn, void *ctx, struct gs_err *err) GS_MUST_USE;

/* ---- versions: the full content of every version, never changed ---- */
struct store_dmp_version {
    int64_t dmp_id;
    int version;
    time_t at;
    char actor[STORE_TEXT_MAX];
    char changes[STORE_TEXT_MAX]; /* "created", or the changed fields: "title,paper_accepted" */
    const char *content;          /* JSON text; in a walk, valid only during the call */
};
int store_dmp_version_insert(struct store *s, const struct store_dmp_version *v,
                             struct gs_err *err) GS_MUST_USE;
typedef int (*store_dmp_version_fn)(void *ctx, const struct store_dmp_version *v);
/* Walks the plan's versions, oldest first. */
int store_dmp_version_each(struct store *s, int64_t dmp_id, store_dmp_version_fn fn, void *ctx,
                           struct gs_err *err) GS_MUST_USE;

/* ---- for the reports: when each dataset was registered ---- */
typedef int (*store_dataset_registered_fn)(void *ctx, int64_t dataset_id, time_t created_at);
/* Walks every dataset's id and registration time, oldest first. */
int store_dataset_registered_each(struct store *s, store_dataset_registered_fn fn, void *ctx,
                                  struct gs_err *err) GS_MUST_USE;

#endif
