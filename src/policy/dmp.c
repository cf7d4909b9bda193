/* dmp.c — Data Management Plans: the deadline and status function, the plan vocabulary, and
 * the validated, versioned, audited writes (add, update, link). Decisions are in dmp.h. */
#include "policy/dmp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/parse.h"
#include "policy/policy_demo.h"

#define DAY 86400
#define DMP_YEAR_MIN 1990 /* earlier dates are typing mistakes, and 0 means "not yet" */
#define DMP_YEAR_MAX 2200

/* ---- dates ---- */

/* Days since the epoch, rounding down (also before 1970). */
static int64_t day_of(time_t t)
{
    int64_t v = (int64_t)t;
    return v >= 0 ? v / DAY : -((-v + DAY - 1) / DAY);
}

time_t dmp_plus_two_years(time_t t)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    tm.tm_year += 2;
    int year = tm.tm_year + 1900;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (tm.tm_mon == 1 && tm.tm_mday == 29 && !leap)
        tm.tm_mday = 28; /* never later than two years: not 1 March */
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    return timegm(&tm);
}

struct dmp_state dmp_evaluate(time_t analysis_done, time_t paper_accepted, bool fulfilled,
                              time_t now)
{
    struct dmp_state st = {DMP_ON_TRACK, DMP_RULE_NONE, 0, 0};
    time_t by_analysis = analysis_done ? dmp_plus_two_years(analysis_done) : 0;
    time_t by_paper = paper_accepted ? (time_t)(day_of(paper_accepted) * DAY) : 0;
    if (by_paper != 0 && (by_analysis == 0 || by_paper <= by_analysis)) {
        st.rule = DMP_RULE_PAPER;
        st.deadline = by_paper;
    } else if (by_analysis != 0) {
        st.rule = DMP_RULE_ANALYSIS_PLUS_2Y;
        st.deadline = by_analysis;
    }
    if (st.rule != DMP_RULE_NONE)
        st.days_left = day_of(st.deadline) - day_of(now);
    if (fulfilled)
        st.status = DMP_FULFILLED;
    else if (st.rule == DMP_RULE_NONE)
        st.status = DMP_ON_TRACK;
    else if (st.days_left < 0)
        st.status = DMP_OVERDUE;
    else if (st.days_left <= DMP_DUE_WINDOW_DAYS)
        st.status = DMP_DUE_SOON;
    else
        st.status = DMP_ON_TRACK;
    return st;
}

int dmp_parse_date(const char *text, time_t *out, struct gs_err *err)
{
    if (text != NULL && text[0] == '\0') {
        *out = 0;
        return GS_OK;
    }
    time_t t;
    if (text == NULL || strlen(text) != 10 || parse_utc_time(text, &t, err) != GS_OK)
        return gs_err_set(err, GS_EINVAL, "'%.40s' is not a date (YYYY-MM-DD)", text ? text : "");
    struct tm tm;
    gmtime_r(&t, &tm);
    if (tm.tm_year + 1900 < DMP_YEAR_MIN || tm.tm_year + 1900 > DMP_YEAR_MAX)
        return gs_err_set(err, GS_EINVAL, "date %s is outside %d-%d", text, DMP_YEAR_MIN,
                          DMP_YEAR_MAX);
    *out = t;
    return GS_OK;
}

void dmp_format_date(time_t t, char out[11])
{
    if (t == 0) {
        out[0] = '\0';
        return;
    }
    struct tm tm;
    gmtime_r(&t, &tm);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)(tm.tm_year + 1900) % 10000u,
             (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u);
}

/* ---- vocabulary ---- */

static const char *const status_names[DMP_STATUS_COUNT] = {"on_track", "due_soon", "overdue",
                                                           "fulfilled"};
static const char *const rule_names[] = {"none", "analysis_plus_2y", "paper"};

const char *const dmp_programmes[DMP_PROGRAMME_COUNT] = {
    "genome_medicine",    "rare_intractable_disease", "brain_mental_health",
    "emerging_infectious_disease", "hepatitis",       "hiv_aids",
};

const char *dmp_status_name(enum dmp_status s)
{
    return (unsigned)s < DMP_STATUS_COUNT ? status_names[s] : "?";
}

const char *dmp_rule_name(enum dmp_rule r)
{
    return (unsigned)r < sizeof rule_names / sizeof rule_names[0] ? rule_names[r] : "?";
}

/* GS_EINVAL listing the accepted words. */
static int word_lookup(const char *text, const char *const *words, int n, const char *what,
                       int *out, struct gs_err *err)
{
    char list[256] = "";
    for (int i = 0; i < n; i++) {
        if (text != NULL && strcmp(text, words[i]) == 0) {
            *out = i;
            return GS_OK;
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", words[i]);
    }
    return gs_err_set(err, GS_EINVAL, "unknown %s '%.64s' (expected one of: %s)", what,
                      text ? text : "", list);
}

int dmp_status_parse(const char *text, enum dmp_status *out, struct gs_err *err)
{
    int v;
    int rc = word_lookup(text, status_names, DMP_STATUS_COUNT, "plan status", &v, err);
    if (rc == GS_OK)
        *out = (enum dmp_status)v;
    return rc;
}

int dmp_programme_check(const char *text, struct gs_err *err)
{
    int v;
    return word_lookup(text, dmp_programmes, DMP_PROGRAMME_COUNT, "programme", &v, err);
}

/* ---- input ---- */

void dmp_input_init(struct dmp_input *in)
{
    memset(in, 0, sizeof *in);
    in->nitems = -1;
}

/* Adds one data type entry, refusing a second entry for the same type. */
static int input_add_item(struct dmp_input *in, enum data_type type, enum tier tier,
                          struct gs_err *err)
{
    for (int i = 0; i < in->nitems; i++)
        if (in->items[i].data_type == type)
            return gs_err_set(err, GS_EINVAL, "data type %s is planned twice",
                              data_type_name(type));
    struct store_dmp_item it = {type, tier, 0};
    in->items[in->nitems++] = it;
    return GS_OK;
}

int dmp_parse_items(const char *text, struct dmp_input *in, struct gs_err *err)
{
    in->nitems = 0;
    const char *p = text ? text : "";
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        char entry[80];
        if (n == 0 || n >= sizeof entry)
            return gs_err_set(err, GS_EINVAL, "bad data type list '%.80s' (TYPE:TIER,…)", text);
        memcpy(entry, p, n);
        entry[n] = '\0';
        char *colon = strchr(entry, ':');
        if (colon == NULL)
            return gs_err_set(err, GS_EINVAL, "'%s' lacks its planned tier (TYPE:TIER, e.g. "
                              "variants:controlled)", entry);
        *colon = '\0';
        enum data_type type;
        enum tier tier;
        int rc;
        if ((rc = data_type_parse(entry, &type, err)) != GS_OK ||
            (rc = tier_parse(colon + 1, &tier, err)) != GS_OK ||
            (rc = input_add_item(in, type, tier, err)) != GS_OK)
            return rc;
        p += n;
        if (*p == ',' && *++p == '\0')
            return gs_err_set(err, GS_EINVAL, "bad data type list '%.80s' (TYPE:TIER,…)", text);
    }
    if (in->nitems == 0)
        return gs_err_set(err, GS_EINVAL, "a plan needs at least one data type (TYPE:TIER)");
    return GS_OK;
}

/* A display text: required ones non-empty; all short and free of control characters. */
static int check_text(const char *what, const char *text, bool required, struct gs_err *err)
{
    return parse_check_line(what, text, required, STORE_TEXT_MAX, err);
}

/* ---- state and JSON ---- */

struct dmp_state dmp_state_of(const struct store_dmp *d, time_t now)
{
    bool fulfilled = d->nitems > 0;
    for (int i = 0; i < d->nitems; i++)
        fulfilled = fulfilled && d->items[i].dataset_id != 0;
    return dmp_evaluate(d->analysis_done, d->paper_accepted, fulfilled, now);
}

static json_t *date_json(time_t t)
{
    char text[11];
    dmp_format_date(t, text);
    return t ? json_string(text) : json_null();
}

json_t *dmp_to_json(struct store *s, const struct store_dmp *d, bool with_state, time_t now,
                    struct gs_err *err)
{
    struct store_institution inst;
    if (store_institution_get(s, d->institution_id, &inst, err) != GS_OK)
        return NULL;
    json_t *items = json_array();
    for (int i = 0; items != NULL && i < d->nitems; i++) {
        const struct store_dmp_item *it = &d->items[i];
        struct store_dataset ds;
        if (it->dataset_id != 0 && store_dataset_get(s, it->dataset_id, &ds, err) != GS_OK) {
            json_decref(items);
            return NULL;
        }
        json_array_append_new(items, json_pack("{s:s, s:s, s:s?}", "data_type",
                                               data_type_name(it->data_type), "tier",
                                               tier_name(it->tier), "dataset",
                                               it->dataset_id ? ds.name : NULL));
    }
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:i}", "id",
                          (json_int_t)d->id, "programme", d->programme, "title", d->title, "pi",
                          d->pi, "institution", inst.name, "target_db", d->target_db, "volume",
                          d->volume, "analysis_done", date_json(d->analysis_done),
                          "paper_accepted", date_json(d->paper_accepted), "data_types", items,
                          "version", d->version);
    if (o == NULL || !with_state) {
        if (o == NULL)
            gs_err_set(err, GS_ENOMEM, "plan %lld: out of memory", (long long)d->id);
        return o;
    }
    struct store_user u;
    struct gs_err ignored = {0};
    bool have_user = d->created_by != 0 && store_user_get(s, d->created_by, &u, &ignored) == GS_OK;
    char created[21], updated[21];
    format_utc_time(d->created_at, created);
    format_utc_time(d->updated_at, updated);
    struct dmp_state st = dmp_state_of(d, now);
    json_object_set_new(o, "created_by", json_string(have_user ? u.name : "operator"));
    json_object_set_new(o, "created_at", json_string(created));
    json_object_set_new(o, "updated_at", json_string(updated));
    json_object_set_new(o, "status", json_string(dmp_status_name(st.status)));
    json_object_set_new(o, "deadline", date_json(st.deadline));
    json_object_set_new(o, "deadline_rule",
                        st.rule == DMP_RULE_NONE ? json_null() : json_string(dmp_rule_name(st.rule)));
    json_object_set_new(o, "days_left", st.rule == DMP_RULE_NONE ? json_null()
                                                                 : json_integer(st.days_left));
    return o;
}

/* ---- writes ---- */

bool dmp_may_edit(const struct principal *who, const struct store_dmp *d)
{
    if (who->is_operator || (who->roles & ROLE_ADMIN))
        return true;
    if (who->user_id == 0)
        return false;
    return who->user_id == d->created_by || strcmp(who->name, d->pi) == 0;
}

/* May who file or keep a plan at institution_id? */
static int check_institution(const struct principal *who, int64_t institution_id,
                             const char *institution, struct gs_err *err)
{
    if (who->is_operator || (who->roles & ROLE_ADMIN) || who->institution_id == institution_id)
        return GS_OK;
    return gs_err_set(err, GS_EFORBIDDEN, "plans are filed for your own institution, not '%.64s'",
                      institution);
}

/* Applies the given fields of in to d; lists the changed ones in changes. */
static int apply_input(struct store *s, const struct principal *who, const struct dmp_input *in,
                       struct store_dmp *d, char *changes, size_t size, struct gs_err *err)
{
    int rc;
    changes[0] = '\0';
#define NOTE(field) snprintf(changes + strlen(changes), size - strlen(changes), "%s%s", \
                             changes[0] ? "," : "", field)
#define SET_TEXT(field, required)                                                       \
    do {                                                                                \
        if (in->field == NULL)                                                          \
            break;                                                                      \
        if ((rc = check_text(#field, in->field, required, err)) != GS_OK)               \
            return rc;                                                                  \
        if (strcmp(d->field, in->field) != 0) {                                         \
            snprintf(d->field, sizeof d->field, "%s", in->field);                       \
            NOTE(#field);                                                               \
        }                                                                               \
    } while (0)
    if (in->programme != NULL && (rc = dmp_programme_check(in->programme, err)) != GS_OK)
        return rc;
    SET_TEXT(programme, true);
    SET_TEXT(title, true);
    SET_TEXT(pi, true);
    SET_TEXT(target_db, false);
    SET_TEXT(volume, false);
    if (in->institution != NULL) {
        struct store_institution inst;
        if ((rc = store_institution_by_name(s, in->institution, &inst, err)) != GS_OK ||
            (rc = check_institution(who, inst.id, inst.name, err)) != GS_OK)
            return rc;
        if (inst.id != d->institution_id) {
            d->institution_id = inst.id;
            NOTE("institution");
        }
    }
    if (in->set_analysis_done && in->analysis_done != d->analysis_done) {
        d->analysis_done = in->analysis_done;
        NOTE("analysis_done");
    }
    if (in->set_paper_accepted && in->paper_accepted != d->paper_accepted) {
        d->paper_accepted = in->paper_accepted;
        NOTE("paper_accepted");
    }
    if (in->nitems == 0)
        return gs_err_set(err, GS_EINVAL, "a plan needs at least one data type (TYPE:TIER)");
    if (in->nitems > 0) {
        struct store_dmp next = *d;
        next.nitems = 0;
        for (int i = 0; i < in->nitems; i++) {
            struct store_dmp_item it = in->items[i];
            it.dataset_id = 0;
            for (int j = 0; j < d->nitems; j++) /* a type that stays keeps its link */
                if (d->items[j].data_type == it.data_type)
                    it.dataset_id = d->items[j].dataset_id;
            int at = next.nitems++;
            while (at > 0 && next.items[at - 1].data_type > it.data_type) {
                next.items[at] = next.items[at - 1];
                at--;
            }
            next.items[at] = it;
        }
        bool same = next.nitems == d->nitems;
        for (int i = 0; same && i < d->nitems; i++)
            same = next.items[i].data_type == d->items[i].data_type &&
                   next.items[i].tier == d->items[i].tier;
        if (!same) {
            memcpy(d->items, next.items, sizeof d->items);
            d->nitems = next.nitems;
            NOTE("data_types");
        }
    }
    return GS_OK;
#undef SET_TEXT
#undef NOTE
}

/* Writes version d->version of the plan (content and who changed what) and its audit row,
 * then commits; rolls everything back on failure. The transaction is open. */
static int finish_version(struct store *s, const struct actor *by, const struct store_dmp *d,
                          const char *action, const char *changes, time_t now, int rc,
                          struct gs_err *err)
{
    json_t *content = NULL;
    char *text = NULL;
    if (rc == GS_OK && (content = dmp_to_json(s, d, false, now, err)) == NULL)
        rc = err->code ? err->code : GS_ENOMEM;
    if (rc == GS_OK && (text = json_dumps(content, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "plan %lld: out of memory", (long long)d->id);
    if (rc == GS_OK) {
        struct store_dmp_version v = {0};
        v.dmp_id = d->id;
        v.version = d->version;
        v.at = now;
        snprintf(v.actor, sizeof v.actor, "%s", by->name);
        snprintf(v.changes, sizeof v.changes, "%s", changes);
        v.content = text;
        rc = store_dmp_version_insert(s, &v, err);
    }
    char object[64], detail[STORE_AUDIT_TEXT_MAX];
    snprintf(object, sizeof object, "dmp:%lld", (long long)d->id);
    snprintf(detail, sizeof detail, "version=%d changes=%s", d->version, changes);
    struct audit_event ev = {action, object, detail};
    rc = audit_commit(s, rc, by, &ev, now, err);
    free(text);
    json_decref(content);
    return rc;
}

int dmp_add(struct store *s, const struct principal *who, const struct actor *by,
            const struct dmp_input *in, time_t now, int64_t *id_out, struct gs_err *err)
{
    if (!who->is_operator) {
        if (who->user_id == 0)
            return gs_err_set(err, GS_EAUTH, "sign in to file a plan");
        if (!(who->roles & (ROLE_SUBMITTER | ROLE_ADMIN)))
            return gs_err_set(err, GS_EFORBIDDEN, "the submitter role is needed to file a plan");
    }
    const char *required[][2] = {{"programme", in->programme}, {"title", in->title},
                                 {"pi", in->pi}, {"institution", in->institution}};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (required[i][1] == NULL || required[i][1][0] == '\0')
            return gs_err_set(err, GS_EINVAL, "a plan needs its %s", required[i][0]);
    if (in->nitems < 1)
        return gs_err_set(err, GS_EINVAL, "a plan needs at least one data type (TYPE:TIER)");
    struct store_dmp d = {0};
    char changes[STORE_TEXT_MAX];
    d.created_by = who->is_operator ? 0 : who->user_id;
    d.created_at = d.updated_at = now;
    d.version = 1;
    int rc = apply_input(s, who, in, &d, changes, sizeof changes, err);
    if (rc != GS_OK || (rc = store_begin(s, err)) != GS_OK)
        return rc;
    rc = store_dmp_insert(s, &d, &d.id, err);
    rc = finish_version(s, by, &d, "dmp.add", "created", now, rc, err);
    if (rc == GS_OK && id_out != NULL)
        *id_out = d.id;
    return rc;
}

/* Opens the transaction and reads plan id for an edit by who. */
static int begin_edit(struct store *s, const struct principal *who, int64_t id,
                      struct store_dmp *d, struct gs_err *err)
{
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store_dmp_get(s, id, d, err)) == GS_OK && !dmp_may_edit(who, d))
        rc = gs_err_set(err, GS_EFORBIDDEN, "only the plan's creator, its PI or an admin may "
                        "change plan %lld", (long long)id);
    if (rc != GS_OK)
        store_rollback(s);
    return rc;
}

int dmp_update(struct store *s, const struct principal *who, const struct actor *by,
               int64_t id, const struct dmp_input *in, time_t now, struct gs_err *err)
{
    struct store_dmp d;
    char changes[STORE_TEXT_MAX];
    int rc = begin_edit(s, who, id, &d, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = apply_input(s, who, in, &d, changes, sizeof changes, err)) == GS_OK &&
        changes[0] == '\0')
        rc = gs_err_set(err, GS_EINVAL, "nothing to change in plan %lld", (long long)id);
    d.version++;
    d.updated_at = now;
    if (rc == GS_OK)
        rc = store_dmp_update(s, &d, err);
    return finish_version(s, by, &d, "dmp.update", changes, now, rc, err);
}

int dmp_link(struct store *s, const struct principal *who, const struct actor *by, int64_t id,
             enum data_type type, const char *dataset, time_t now, struct gs_err *err)
{
    struct store_dmp d;
    int rc = begin_edit(s, who, id, &d, err);
    if (rc != GS_OK)
        return rc;
    struct store_dmp_item *it = NULL;
    for (int i = 0; i < d.nitems; i++)
        if (d.items[i].data_type == type)
            it = &d.items[i];
    struct store_dataset ds = {0};
    if (it == NULL)
        rc = gs_err_set(err, GS_EINVAL, "plan %lld plans no %s data", (long long)id,
                        data_type_name(type));
    if (rc == GS_OK && dataset != NULL)
        rc = store_dataset_by_name(s, dataset, &ds, err);
    if (rc == GS_OK && dataset != NULL && ds.data_type != type)
        rc = gs_err_set(err, GS_EINVAL, "dataset '%s' holds %s data, not %s", ds.name,
                        data_type_name(ds.data_type), data_type_name(type));
    if (rc == GS_OK && it->dataset_id == ds.id)
        rc = gs_err_set(err, GS_EINVAL, "plan %lld: %s is already %s", (long long)id,
                        data_type_name(type), dataset ? "linked to that dataset" : "unlinked");
    char changes[STORE_TEXT_MAX];
    snprintf(changes, sizeof changes, "%s:%s=%s", dataset ? "link" : "unlink",
             data_type_name(type), dataset ? ds.name : "-");
    if (rc == GS_OK) {
        it->dataset_id = ds.id;
        d.version++;
        d.updated_at = now;
        rc = store_dmp_update(s, &d, err);
    }
    return finish_version(s, by, &d, "dmp.link", changes, now, rc, err);
}

/* ---- demo ---- */

/* Plans of every status, dated relative to today so the dashboard shows each one. */
int dmp_demo_fill(struct store *s, const struct actor *by, struct gs_err *err)
{
    static const struct {
        const char *programme, *title, *pi, *institution, *items, *target_db, *volume;
        int analysis_days_ago, paper_days_ago; /* -1: not yet */
        const char *links[2][2];               /* data type, dataset */
    } plans[] = {
        {"rare_intractable_disease", "Exome and phenotype study of undiagnosed paediatric cases",
         "alice", "kyoto-u", "phenotype_clinical:restricted,sequence:controlled", "JGA",
         "120 exomes, 40 GB", 700, -1, {{"phenotype_clinical", "rare-disease-cases"}, {0, 0}}},
        {"genome_medicine", "Hereditary breast and ovarian cancer gene panel", "Bob Suzuki",
         "osaka-u", "variants:controlled", "MGeND", "2,300 variants", 420, 30,
         {{"variants", "hereditary-cancer-variants"}, {0, 0}}},
        {"emerging_infectious_disease", "Drug-resistant tuberculosis in East Asia", "carol",
         "snuh", "microbial_genomes:restricted,phenotype_clinical:controlled", "DDBJ",
         "310 isolates", 380, 45, {{"microbial_genomes", "tb-isolates-asia"}, {0, 0}}},
        {"brain_mental_health", "Whole-genome study of early-onset psychosis", "alice", "kyoto-u",
         "sequence:controlled,expression_epigenome:controlled", "JGA", "80 genomes, 9 TB", 90,
         -1, {{0, 0}, {0, 0}}},
        {"hepatitis", "Host genetics of chronic hepatitis B outcomes", "Dr. Keiko Mori",
         "osaka-u", "variants:open,phenotype_clinical:controlled", "MGeND", "1,100 patients",
         760, -1, {{0, 0}, {0, 0}}},
        {"hiv_aids", "HIV-1 drug resistance surveillance", "Dr. Min-jun Lee", "snuh",
         "microbial_genomes:open", "DDBJ", "600 sequences", -1, -1, {{0, 0}, {0, 0}}},
    };
    struct principal op;
    principal_operator(&op);
    time_t now = time(NULL);
    time_t today = (time_t)(day_of(now) * DAY);
    int rc = GS_OK;
    for (size_t i = 0; rc == GS_OK && i < sizeof plans / sizeof plans[0]; i++) {
        struct dmp_input in;
        dmp_input_init(&in);
        in.programme = plans[i].programme;
        in.title = plans[i].title;
        in.pi = plans[i].pi;
        in.institution = plans[i].institution;
        in.target_db = plans[i].target_db;
        in.volume = plans[i].volume;
        in.set_analysis_done = plans[i].analysis_days_ago >= 0;
        in.analysis_done = in.set_analysis_done ? today - plans[i].analysis_days_ago * DAY : 0;
        int64_t id = 0;
        if ((rc = dmp_parse_items(plans[i].items, &in, err)) != GS_OK ||
            (rc = dmp_add(s, &op, by, &in, now, &id, err)) != GS_OK)
            break;
        if (plans[i].paper_days_ago >= 0) { /* a later change: the plan gets a history */
            struct dmp_input later;
            dmp_input_init(&later);
            later.set_paper_accepted = true;
            later.paper_accepted = today - plans[i].paper_days_ago * DAY;
            rc = dmp_update(s, &op, by, id, &later, now, err);
        }
        for (int l = 0; rc == GS_OK && l < 2 && plans[i].links[l][0] != NULL; l++) {
            enum data_type type;
            if ((rc = data_type_parse(plans[i].links[l][0], &type, err)) == GS_OK)
                rc = dmp_link(s, &op, by, id, type, plans[i].links[l][1], now, err);
        }
    }
    return rc;
}
