/* report.h — the DMP dashboard: per programme (or overall) plans by status, datasets and
 * records by tier and data type, dataset registrations per month, and the overdue plans,
 * each as a table that the API and the CLI give as JSON, CSV or TSV.
 *
 * A table is JSON {"columns":[names…], "rows":[[cells…]…]} (cells are strings, integers or
 * null), so one formatter writes every table as text. Overall, "datasets" counts the whole
 * catalogue; for one programme, the datasets its plans are linked to. Registrations come
 * from the datasets' registration time, one row per month from the first to now's month. */
#ifndef GS_POLICY_REPORT_H
#define GS_POLICY_REPORT_H

#include <jansson.h>
#include <time.h>

#include "store/store.h"

#define REPORT_TABLE_COUNT 5
/* "status", "programmes", "datasets", "registrations", "overdue". */
extern const char *const report_tables[REPORT_TABLE_COUNT];
/* GS_EINVAL listing the table names unless name is one. */
int report_table_check(const char *name, struct gs_err *err) GS_MUST_USE;

/* Builds {"as_of":"YYYY-MM-DD","programme":P|null,"tables":{name:table…}} for programme
 * (NULL: all; otherwise one of dmp_programmes) at now. The caller owns *out. */
int report_build(struct store *s, const char *programme, time_t now, json_t **out,
                 struct gs_err *err) GS_MUST_USE;

/* One table as text: sep ',' gives RFC 4180 CSV (fields quoted where needed, CRLF line
 * ends), sep '\t' TSV (tabs and line breaks in cells become spaces, LF line ends); a
 * header line first. The caller frees *out. */
int report_table_text(const json_t *table, char sep, char **out, struct gs_err *err) GS_MUST_USE;

#endif
