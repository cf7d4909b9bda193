/* registry.h — the writes and reads of institutions, users, consortia, datasets, records
 * and grants, as the CLI and the HTTP API both perform them.
 *
 * Each write validates its input, runs in one transaction together with its audit row,
 * and leaves nothing behind on failure. Each read of dataset contents is decided by
 * access_check_read and, for non-open data, audited (allowed and refused alike). */
#ifndef GS_REGISTRY_REGISTRY_H
#define GS_REGISTRY_REGISTRY_H

#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "store/store.h"

int registry_institution_add(struct store *s, const struct actor *by, const char *name,
                             const char *display_name, const char *country, int64_t *id_out,
                             struct gs_err *err) GS_MUST_USE;

/* password may be NULL (no web login until one is set). */
int registry_user_add(struct store *s, const struct actor *by, const char *name,
                      const char *display_name, const char *institution, unsigned roles,
                      const char *password, int64_t *id_out, struct gs_err *err) GS_MUST_USE;
int registry_user_set_password(struct store *s, const struct actor *by, const char *name,
                               const char *password, struct gs_err *err) GS_MUST_USE;
int registry_user_set_roles(struct store *s, const struct actor *by, const char *name,
                            unsigned roles, struct gs_err *err) GS_MUST_USE;

int registry_consortium_add(struct store *s, const struct actor *by, const char *name,
                            const char *title, int64_t *id_out, struct gs_err *err) GS_MUST_USE;
/* Exactly one of institution and user is non-NULL. */
int registry_consortium_join(struct store *s, const struct actor *by, const char *consortium,
                             const char *institution, const char *user,
                             struct gs_err *err) GS_MUST_USE;

/* consortium may be NULL except for restricted datasets. */
int registry_dataset_add(struct store *s, const struct actor *by, const char *name,
                         const char *title, enum tier tier, enum data_type data_type,
                         const char *institution, const char *consortium, int64_t *id_out,
                         struct gs_err *err) GS_MUST_USE;

/* Adds a record to a dataset. The writer must be the operator, or a user with the
 * submitter role at the dataset's institution or (restricted datasets) a consortium
 * member; the record belongs to the writer's institution (the operator names it). */
/* May writer add patient-level items (what: "records", "cases") to dataset d? The
 * operator always; a user with the submitter role at the dataset's institution; for a
 * restricted dataset also a submitter who is a member of its consortium. GS_EAUTH for
 * anonymous callers, GS_EFORBIDDEN otherwise. */
int registry_check_writer(struct store *s, const struct principal *writer,
                          const struct store_dataset *d, const char *what,
                          struct gs_err *err) GS_MUST_USE;

struct registry_record_input {
    const char *dataset;
    enum scope scope;
    const char *label;
    const char *content;     /* JSON object text */
    const char *institution; /* operator only: the submitting institution */
};
int registry_record_add(struct store *s, const struct actor *by, const struct principal *writer,
                        const struct registry_record_input *in, int64_t *id_out,
                        struct gs_err *err) GS_MUST_USE;

/* Reads a record for p. A record p may not see is GS_ENOTFOUND with the same message as
 * a record that does not exist. The caller frees rec with store_record_clear. */
int registry_record_read(struct store *s, const struct principal *p, const struct actor *by,
                         int64_t id, time_t now, struct store_record *rec,
                         struct store_dataset *dataset, struct gs_err *err) GS_MUST_USE;

int registry_grant_add(struct store *s, const struct actor *by, const char *dataset,
                       const char *user, time_t expires_at, time_t now, int64_t *id_out,
                       struct gs_err *err) GS_MUST_USE;
int registry_grant_revoke(struct store *s, const struct actor *by, int64_t grant_id, time_t now,
                          struct gs_err *err) GS_MUST_USE;

#endif
