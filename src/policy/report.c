/* report.c — the DMP dashboard's tables, computed at each request from the plans, their
 * links and the dataset catalogue (nothing is cached, so nothing goes stale). */
#include "policy/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "policy/dmp.h"
#include "store/store_dmp.h"

#define REPORT_TEXT_MAX (16u << 20)

const char *const report_tables[REPORT_TABLE_COUNT] = {"status", "programmes", "datasets",
                                                       "registrations", "overdue"};

int report_table_check(const char *name, struct gs_err *err)
{
    for (int i = 0; i < REPORT_TABLE_COUNT; i++)
        if (name != NULL && strcmp(name, report_tables[i]) == 0)
            return GS_OK;
    return gs_err_set(err, GS_EINVAL, "unknown report table '%.64s' (expected one of: status, "
                      "programmes, datasets, registrations, overdue)", name ? name : "");
}

/* A growable array of fixed-size elements. */
struct vec {
    void *data;
    size_t n, cap, size;
};

static int vec_push(struct vec *v, const void *elem, struct gs_err *err)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 16;
        void *grown = realloc(v->data, cap * v->size);
        if (grown == NULL)
            return gs_err_set(err, GS_ENOMEM, "report: out of memory");
        v->data = grown;
        v->cap = cap;
    }
    memcpy((char *)v->data + v->n * v->size, elem, v->size);
    v->n++;
    return GS_OK;
}

struct overdue {
    int64_t id, institution_id, days_overdue;
    time_t deadline;
    char programme[STORE_NAME_MAX], title[STORE_TEXT_MAX], pi[STORE_TEXT_MAX];
};

struct report {
    struct store *s;
    const char *programme; /* NULL: all */
    time_t now;
    struct gs_err *err;
    int64_t by_status[DMP_STATUS_COUNT];
    int64_t by_programme[DMP_PROGRAMME_COUNT][DMP_STATUS_COUNT];
    struct vec overdue;  /* struct overdue */
    struct vec linked;   /* int64_t dataset ids of the programme's plans */
    struct vec months;   /* int64_t year * 12 + month of each registration in scope */
    int64_t datasets[3][DATA_TYPE_COUNT], records[3][DATA_TYPE_COUNT];
};

static bool linked_has(const struct report *r, int64_t id)
{
    const int64_t *ids = r->linked.data;
    for (size_t i = 0; i < r->linked.n; i++)
        if (ids[i] == id)
            return true;
    return false;
}

/* Whether a dataset belongs to the report's scope. */
static bool in_scope(const struct report *r, int64_t dataset_id)
{
    return r->programme == NULL || linked_has(r, dataset_id);
}

static int count_plan(void *ctx, const struct store_dmp *d)
{
    struct report *r = ctx;
    if (r->programme != NULL && strcmp(d->programme, r->programme) != 0)
        return 0;
    struct dmp_state st = dmp_state_of(d, r->now);
    r->by_status[st.status]++;
    for (int p = 0; p < DMP_PROGRAMME_COUNT; p++)
        if (strcmp(d->programme, dmp_programmes[p]) == 0)
            r->by_programme[p][st.status]++;
    int rc = GS_OK;
    for (int i = 0; rc == GS_OK && r->programme != NULL && i < d->nitems; i++)
        if (d->items[i].dataset_id != 0 && !linked_has(r, d->items[i].dataset_id))
            rc = vec_push(&r->linked, &d->items[i].dataset_id, r->err);
    if (rc == GS_OK && st.status == DMP_OVERDUE) {
        struct overdue o = {d->id, d->institution_id, -st.days_left, st.deadline, "", "", ""};
        snprintf(o.programme, sizeof o.programme, "%s", d->programme);
        snprintf(o.title, sizeof o.title, "%s", d->title);
        snprintf(o.pi, sizeof o.pi, "%s", d->pi);
        rc = vec_push(&r->overdue, &o, r->err);
    }
    return rc;
}

static int count_dataset(void *ctx, const struct store_dataset *d)
{
    struct report *r = ctx;
    if (in_scope(r, d->id) && (unsigned)d->tier < 3 && (unsigned)d->data_type < DATA_TYPE_COUNT) {
        r->datasets[d->tier][d->data_type]++;
        r->records[d->tier][d->data_type] += d->records;
    }
    return 0;
}

static int64_t month_of(time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    return (int64_t)(tm.tm_year + 1900) * 12 + tm.tm_mon;
}

static int count_registration(void *ctx, int64_t dataset_id, time_t created_at)
{
    struct report *r = ctx;
    int64_t month = month_of(created_at);
    return in_scope(r, dataset_id) ? vec_push(&r->months, &month, r->err) : 0;
}

/* ---- tables ---- */

static json_t *table_new(const char *const *columns, int n)
{
    json_t *cols = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(cols, json_string(columns[i]));
    return json_pack("{s:o, s:o}", "columns", cols, "rows", json_array());
}

static void table_add(json_t *table, json_t *row)
{
    json_array_append_new(json_object_get(table, "rows"), row);
}

static json_t *status_table(const struct report *r)
{
    static const char *const cols[] = {"status", "plans"};
    json_t *t = table_new(cols, 2);
    for (int i = 0; i < DMP_STATUS_COUNT; i++)
        table_add(t, json_pack("[s, I]", dmp_status_name((enum dmp_status)i),
                               (json_int_t)r->by_status[i]));
    return t;
}

static json_t *programmes_table(const struct report *r)
{
    static const char *const cols[] = {"programme", "plans", "on_track", "due_soon", "overdue",
                                       "fulfilled"};
    json_t *t = table_new(cols, 6);
    for (int p = 0; p < DMP_PROGRAMME_COUNT; p++) {
        if (r->programme != NULL && strcmp(r->programme, dmp_programmes[p]) != 0)
            continue;
        const int64_t *c = r->by_programme[p];
        table_add(t, json_pack("[s, I, I, I, I, I]", dmp_programmes[p],
                               (json_int_t)(c[0] + c[1] + c[2] + c[3]), (json_int_t)c[DMP_ON_TRACK],
                               (json_int_t)c[DMP_DUE_SOON], (json_int_t)c[DMP_OVERDUE],
                               (json_int_t)c[DMP_FULFILLED]));
    }
    return t;
}

static json_t *datasets_table(const struct report *r)
{
    static const char *const cols[] = {"tier", "data_type", "datasets", "records"};
    json_t *t = table_new(cols, 4);
    for (int tier = 0; tier < 3; tier++)
        for (int type = 0; type < DATA_TYPE_COUNT; type++)
            table_add(t, json_pack("[s, s, I, I]", tier_name((enum tier)tier),
                                   data_type_name((enum data_type)type),
                                   (json_int_t)r->datasets[tier][type],
                                   (json_int_t)r->records[tier][type]));
    return t;
}

/* One row per month from the first registration to now's month, empty months included. */
static json_t *registrations_table(const struct report *r)
{
    static const char *const cols[] = {"month", "datasets"};
    json_t *t = table_new(cols, 2);
    const int64_t *months = r->months.data;
    if (r->months.n == 0)
        return t;
    int64_t last = month_of(r->now);
    size_t i = 0;
    for (int64_t m = months[0]; m <= last || i < r->months.n; m++) {
        json_int_t count = 0;
        for (; i < r->months.n && months[i] == m; i++)
            count++;
        char label[16];
        snprintf(label, sizeof label, "%04u-%02u", (unsigned)(m / 12) % 10000u,
                 (unsigned)(m % 12 + 1) % 100u);
        table_add(t, json_pack("[s, I]", label, count));
    }
    return t;
}

static int overdue_cmp(const void *a, const void *b)
{
    const struct overdue *x = a, *y = b;
    if (x->deadline != y->deadline)
        return x->deadline < y->deadline ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int overdue_table(struct report *r, json_t **out)
{
    static const char *const cols[] = {"id", "programme", "title", "pi", "institution",
                                       "deadline", "days_overdue"};
    json_t *t = table_new(cols, 7);
    struct overdue *rows = r->overdue.data;
    if (r->overdue.n > 0)
        qsort(rows, r->overdue.n, sizeof *rows, overdue_cmp);
    for (size_t i = 0; i < r->overdue.n; i++) {
        struct store_institution inst;
        int rc = store_institution_get(r->s, rows[i].institution_id, &inst, r->err);
        if (rc != GS_OK) {
            json_decref(t);
            return rc;
        }
        char deadline[11];
        dmp_format_date(rows[i].deadline, deadline);
        table_add(t, json_pack("[I, s, s, s, s, s, I]", (json_int_t)rows[i].id, rows[i].programme,
                               rows[i].title, rows[i].pi, inst.name, deadline,
                               (json_int_t)rows[i].days_overdue));
    }
    *out = t;
    return GS_OK;
}

int report_build(struct store *s, const char *programme, time_t now, json_t **out,
                 struct gs_err *err)
{
    if (programme != NULL && dmp_programme_check(programme, err) != GS_OK)
        return GS_EINVAL;
    struct report *r = calloc(1, sizeof *r);
    if (r == NULL)
        return gs_err_set(err, GS_ENOMEM, "report: out of memory");
    *r = (struct report){.s = s, .programme = programme, .now = now, .err = err};
    r->overdue.size = sizeof(struct overdue);
    r->linked.size = r->months.size = sizeof(int64_t);
    json_t *overdue = NULL;
    int rc = store_dmp_each(s, count_plan, r, err);
    if (rc == GS_OK)
        rc = store_dataset_each(s, count_dataset, r, err);
    if (rc == GS_OK)
        rc = store_dataset_registered_each(s, count_registration, r, err);
    if (rc == GS_OK)
        rc = overdue_table(r, &overdue);
    if (rc == GS_OK) {
        char as_of[11];
        dmp_format_date(now, as_of);
        *out = json_pack("{s:s, s:s?, s:{s:o, s:o, s:o, s:o, s:o}}", "as_of", as_of, "programme",
                         programme, "tables", "status", status_table(r), "programmes",
                         programmes_table(r), "datasets", datasets_table(r), "registrations",
                         registrations_table(r), "overdue", overdue);
        if (*out == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "report: out of memory");
    }
    free(r->overdue.data);
    free(r->linked.data);
    free(r->months.data);
    free(r);
    return rc;
}

/* ---- text ---- */

static int cell_text(struct gs_buf *b, const json_t *cell, char sep)
{
    char number[32];
    const char *text = "";
    bool formula = false;
    if (json_is_string(cell)) {
        text = json_string_value(cell);
        /* Plan titles and PIs are users' text: a spreadsheet opening the file would run
         * "=…", "+…", "-…" or "@…" as a formula (OWASP "CSV injection"), so such a cell
         * starts with an apostrophe. Numbers are integers here, never strings. */
        formula = text[0] != '\0' && strchr("=+-@", text[0]) != NULL;
    } else if (json_is_integer(cell)) {
        snprintf(number, sizeof number, "%lld", (long long)json_integer_value(cell));
        text = number;
    }
    bool quote = sep == ',' && strpbrk(text, ",\"\r\n") != NULL;
    int rc = quote ? buf_append(b, "\"", 1) : GS_OK;
    if (rc == GS_OK && formula)
        rc = buf_append(b, "'", 1);
    for (const char *c = text; rc == GS_OK && *c; c++) {
        if (sep == '\t')
            rc = buf_append(b, (*c == '\t' || *c == '\n' || *c == '\r') ? " " : c, 1);
        else
            rc = quote && *c == '"' ? buf_append(b, "\"\"", 2) : buf_append(b, c, 1);
    }
    return rc == GS_OK && quote ? buf_append(b, "\"", 1) : rc;
}

static int line_text(struct gs_buf *b, const json_t *cells, char sep)
{
    int rc = GS_OK;
    for (size_t i = 0; rc == GS_OK && i < json_array_size(cells); i++) {
        if (i > 0)
            rc = buf_append(b, &sep, 1);
        if (rc == GS_OK)
            rc = cell_text(b, json_array_get(cells, i), sep);
    }
    if (rc == GS_OK)
        rc = sep == ',' ? buf_append(b, "\r\n", 2) : buf_append(b, "\n", 1);
    return rc;
}

int report_table_text(const json_t *table, char sep, char **out, struct gs_err *err)
{
    const json_t *rows = json_object_get(table, "rows");
    struct gs_buf b;
    buf_init(&b, REPORT_TEXT_MAX);
    int rc = line_text(&b, json_object_get(table, "columns"), sep);
    for (size_t i = 0; rc == GS_OK && i < json_array_size(rows); i++)
        rc = line_text(&b, json_array_get(rows, i), sep);
    if (rc != GS_OK) {
        buf_free(&b);
        return gs_err_set(err, rc, "report table is larger than %u bytes or out of memory",
                          REPORT_TEXT_MAX);
    }
    *out = buf_steal(&b);
    return *out ? GS_OK : gs_err_set(err, GS_ENOMEM, "report: out of memory");
}
