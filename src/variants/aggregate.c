/* aggregate.c — classification vocabulary and ClinVar-style aggregation (see aggregate.h). */
#include "variants/aggregate.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const review_names[REVIEW_STATUS_COUNT] = {
    "no classification provided",
    "no assertion criteria provided",
    "criteria provided, single submitter",
    "criteria provided, conflicting classifications",
    "criteria provided, multiple submitters, no conflicts",
    "reviewed by expert panel",
    "practice guideline",
};
static const int review_stars[REVIEW_STATUS_COUNT] = {0, 0, 1, 1, 2, 3, 4};

const char *review_status_name(enum review_status r)
{
    return (unsigned)r < REVIEW_STATUS_COUNT ? review_names[r] : review_names[0];
}

int review_status_stars(enum review_status r)
{
    return (unsigned)r < REVIEW_STATUS_COUNT ? review_stars[r] : 0;
}

/* Lower-case copy with '_' as ' ' (ClinVar's VCF spelling to its web spelling). */
static void spell(const char *in, char *out, size_t size)
{
    size_t i = 0;
    for (; in[i] && i + 1 < size; i++)
        out[i] = in[i] == '_' ? ' ' : (char)tolower((unsigned char)in[i]);
    out[i] = '\0';
}

int review_status_parse(const char *text, enum review_status *out, struct gs_err *err)
{
    static const struct { const char *word; enum review_status r; } extra[] = {
        {"none", REVIEW_NO_CLASSIFICATION},
        {"no criteria", REVIEW_NO_CRITERIA},
        {"no assertion provided", REVIEW_NO_CLASSIFICATION},
        {"criteria provided", REVIEW_SINGLE},
        {"single", REVIEW_SINGLE},
        {"multiple", REVIEW_MULTIPLE},
        {"conflicting", REVIEW_CONFLICTING},
        {"criteria provided, conflicting interpretations", REVIEW_CONFLICTING},
        {"expert panel", REVIEW_EXPERT_PANEL},
        {"guideline", REVIEW_PRACTICE_GUIDELINE},
    };
    char w[VARIANT_TERM_MAX];
    spell(text ? text : "", w, sizeof w);
    for (int i = 0; i < REVIEW_STATUS_COUNT; i++)
        if (strcmp(w, review_names[i]) == 0) {
            *out = (enum review_status)i;
            return GS_OK;
        }
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        if (strcmp(w, extra[i].word) == 0) {
            *out = extra[i].r;
            return GS_OK;
        }
    /* ClinVar's other "no classification…" statuses (for the single variant, from unflagged
     * records, no interpretation…) all mean: nothing to aggregate */
    if (strncmp(w, "no classification", 17) == 0 || strncmp(w, "no interpretation", 17) == 0) {
        *out = REVIEW_NO_CLASSIFICATION;
        return GS_OK;
    }
    return gs_err_set(err, GS_EINVAL,
                      "unknown review status '%.64s' (expected practice guideline, reviewed by "
                      "expert panel, criteria provided [single submitter | multiple submitters, "
                      "no conflicts | conflicting classifications], no assertion criteria "
                      "provided, or no classification provided)", text ? text : "");
}

/* The vocabulary: ClinVar's germline, somatic-neutral and non-pathogenicity terms. */
static const struct { const char *term; enum class_group group; } terms[] = {
    {"Pathogenic", CLASS_PATHOGENIC},
    {"Likely pathogenic", CLASS_PATHOGENIC},
    {"Pathogenic/Likely pathogenic", CLASS_PATHOGENIC},
    {"Pathogenic, low penetrance", CLASS_PATHOGENIC},
    {"Likely pathogenic, low penetrance", CLASS_PATHOGENIC},
    {"Uncertain significance", CLASS_UNCERTAIN},
    {"Uncertain risk allele", CLASS_OTHER},
    {"Likely benign", CLASS_BENIGN},
    {"Benign", CLASS_BENIGN},
    {"Benign/Likely benign", CLASS_BENIGN},
    {"Conflicting classifications of pathogenicity", CLASS_CONFLICTING},
    {"Conflicting interpretations of pathogenicity", CLASS_CONFLICTING},
    {"Established risk allele", CLASS_OTHER},
    {"Likely risk allele", CLASS_OTHER},
    {"drug response", CLASS_OTHER},
    {"risk factor", CLASS_OTHER},
    {"protective", CLASS_OTHER},
    {"association", CLASS_OTHER},
    {"association not found", CLASS_OTHER},
    {"Affects", CLASS_OTHER},
    {"confers sensitivity", CLASS_OTHER},
    {"other", CLASS_OTHER},
    {"not provided", CLASS_NONE},
    {"no classification provided", CLASS_NONE},
    {"no classification for the single variant", CLASS_NONE},
    {"no classifications from unflagged records", CLASS_NONE},
};
#define NTERMS ((int)(sizeof terms / sizeof terms[0]))

static int term_find(const char *word)
{
    char w[VARIANT_TERM_MAX], t[VARIANT_TERM_MAX];
    spell(word, w, sizeof w);
    for (int i = 0; i < NTERMS; i++) {
        spell(terms[i].term, t, sizeof t);
        if (strcmp(w, t) == 0)
            return i;
    }
    return -1;
}

/* Appends a term to out with sep; GS_EINVAL when it does not fit. */
static int put(char *out, size_t size, size_t *len, const char *sep, const char *term,
               struct gs_err *err)
{
    int n = snprintf(out + *len, size - *len, "%s%s", *len ? sep : "", term);
    if (n < 0 || (size_t)n >= size - *len)
        return gs_err_set(err, GS_EINVAL, "classification too long");
    *len += (size_t)n;
    return GS_OK;
}

int classification_parse(const char *text, char *out, size_t size, struct gs_err *err)
{
    char buf[VARIANT_TERM_MAX * 2];
    size_t len = 0;
    if (text == NULL || text[0] == '\0' || strlen(text) >= sizeof buf)
        return gs_err_set(err, GS_EINVAL, "classification is %s",
                          text && text[0] ? "too long" : "missing");
    out[0] = '\0';
    snprintf(buf, sizeof buf, "%s", text);
    /* '|' separates independent terms ("Pathogenic|risk_factor"), ';' too (our output) */
    char *save = NULL;
    for (char *part = strtok_r(buf, "|;", &save); part; part = strtok_r(NULL, "|;", &save)) {
        while (*part == ' ')
            part++;
        int i = term_find(part);
        if (i >= 0) {
            if (put(out, size, &len, "; ", terms[i].term, err) != GS_OK)
                return GS_EINVAL;
            continue;
        }
        /* "Pathogenic/Likely_pathogenic/Pathogenic,_low_penetrance": '/'-joined terms */
        char sub[VARIANT_TERM_MAX * 2];
        snprintf(sub, sizeof sub, "%s", part);
        size_t start = len;
        char *save2 = NULL;
        for (char *t = strtok_r(sub, "/", &save2); t; t = strtok_r(NULL, "/", &save2)) {
            int j = term_find(t);
            if (j < 0)
                return gs_err_set(err, GS_EINVAL,
                                  "unknown classification '%.64s' (expected Pathogenic, Likely "
                                  "pathogenic, Uncertain significance, Likely benign, Benign, "
                                  "or another ClinVar term such as drug response or risk "
                                  "factor)", t);
            if (put(out, size, &len, len == start ? "; " : "/", terms[j].term, err) != GS_OK)
                return GS_EINVAL;
        }
    }
    if (len == 0)
        return gs_err_set(err, GS_EINVAL, "classification is missing");
    return GS_OK;
}

enum class_group classification_group(const char *canonical)
{
    /* the pathogenicity group of the '/'-joined first part; conflicting when its parts
     * disagree; terms after "; " are other terms */
    char buf[VARIANT_TERM_MAX * 2];
    snprintf(buf, sizeof buf, "%s", canonical ? canonical : "");
    char *semi = strstr(buf, "; ");
    enum class_group g = CLASS_NONE;
    bool other = false;
    for (char *part = buf; part;) {
        if (semi)
            *semi = '\0';
        char *save = NULL;
        for (char *t = strtok_r(part, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
            int i = term_find(t);
            enum class_group tg = i < 0 ? CLASS_OTHER : terms[i].group;
            if (tg == CLASS_OTHER)
                other = true;
            else if (tg != CLASS_NONE)
                g = (g == CLASS_NONE || g == tg) ? tg : CLASS_CONFLICTING;
        }
        part = semi ? semi + 2 : NULL;
        semi = part ? strstr(part, "; ") : NULL;
    }
    return g != CLASS_NONE ? g : other ? CLASS_OTHER : CLASS_NONE;
}

/* The pathogenicity part (before "; ") and the other terms (after) of a canonical value. */
static void split_terms(const char *canonical, char *path, size_t psize, char *other,
                        size_t osize)
{
    path[0] = other[0] = '\0';
    const char *semi = strstr(canonical, "; ");
    enum class_group g = classification_group(canonical);
    if (g == CLASS_OTHER || g == CLASS_NONE) { /* only other terms */
        if (g == CLASS_OTHER)
            snprintf(other, osize, "%s", canonical);
        return;
    }
    if (semi == NULL) {
        snprintf(path, psize, "%s", canonical);
        return;
    }
    snprintf(path, psize, "%.*s", (int)(semi - canonical), canonical);
    snprintf(other, osize, "%s", semi + 2);
}

static bool is_criteria(enum review_status r)
{
    return r == REVIEW_SINGLE || r == REVIEW_MULTIPLE || r == REVIEW_CONFLICTING;
}

/* Adds term to a "; "-joined list when it is not in it yet. */
static void add_unique(char *list, size_t size, const char *term)
{
    if (term[0] == '\0')
        return;
    char buf[VARIANT_TERM_MAX * 2];
    snprintf(buf, sizeof buf, "%s", list);
    char *save = NULL;
    for (char *t = strtok_r(buf, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
        while (*t == ' ')
            t++;
        if (strcmp(t, term) == 0)
            return;
    }
    size_t len = strlen(list);
    snprintf(list + len, size - len, "%s%s", len ? "; " : "", term);
}

/* Aggregates the submissions with (criteria) or without assertion criteria into out; false
 * (out untouched) when none of them has a classification. */
static bool aggregate_tier(const struct aggregate_input *in, int n, bool criteria,
                           struct aggregate *out)
{
    char path_terms[VARIANT_TERM_MAX * 2] = "", others[VARIANT_TERM_MAX * 2] = "";
    unsigned groups = 0;
    int counted = 0, first = -1;
    bool has_p = false, has_lp = false, has_b = false, has_lb = false;
    for (int i = 0; i < n; i++) {
        enum class_group g = classification_group(in[i].classification);
        if (g == CLASS_NONE || is_criteria(in[i].review) != criteria)
            continue;
        char p[VARIANT_TERM_MAX * 2], o[VARIANT_TERM_MAX * 2];
        split_terms(in[i].classification, p, sizeof p, o, sizeof o);
        add_unique(others, sizeof others, o);
        counted++;
        if (first < 0)
            first = i;
        if (p[0] == '\0')
            continue;
        groups |= 1u << classification_group(p);
        add_unique(path_terms, sizeof path_terms, p);
        has_p |= strstr(p, "Pathogenic") == p || strstr(p, "/Pathogenic") != NULL;
        has_lp |= strstr(p, "Likely pathogenic") != NULL;
        has_b |= strstr(p, "Benign") == p || strstr(p, "/Benign") != NULL;
        has_lb |= strstr(p, "Likely benign") != NULL;
    }
    if (counted == 0)
        return false;
    /* distinct submitters */
    int submitters = 0;
    for (int i = 0; i < n; i++) {
        if (classification_group(in[i].classification) == CLASS_NONE ||
            is_criteria(in[i].review) != criteria)
            continue;
        bool seen = false;
        for (int j = 0; j < i && !seen; j++)
            seen = classification_group(in[j].classification) != CLASS_NONE &&
                   is_criteria(in[j].review) == criteria &&
                   strcmp(in[j].submitter, in[i].submitter) == 0;
        submitters += !seen;
    }
    char cls[VARIANT_TERM_MAX * 2] = "";
    bool conflict = (groups & (groups - 1)) != 0 || (groups & (1u << CLASS_CONFLICTING));
    if (conflict) {
        snprintf(cls, sizeof cls, "Conflicting classifications of pathogenicity");
        for (int i = 0; i < n && out->nconflicts < AGGREGATE_CONFLICTS_MAX; i++) {
            enum class_group g = classification_group(in[i].classification);
            if (g == CLASS_NONE || g == CLASS_OTHER || is_criteria(in[i].review) != criteria)
                continue;
            snprintf(out->conflicts[out->nconflicts].submitter,
                     sizeof out->conflicts[0].submitter, "%s", in[i].submitter);
            snprintf(out->conflicts[out->nconflicts].classification,
                     sizeof out->conflicts[0].classification, "%s", in[i].classification);
            out->nconflicts++;
        }
    } else if (groups == (1u << CLASS_PATHOGENIC) && has_p && has_lp) {
        snprintf(cls, sizeof cls, "Pathogenic/Likely pathogenic");
    } else if (groups == (1u << CLASS_BENIGN) && has_b && has_lb) {
        snprintf(cls, sizeof cls, "Benign/Likely benign");
    } else if (groups != 0) {
        snprintf(cls, sizeof cls, "%s", path_terms); /* one group, one spelling (or several
                                                        low-penetrance variants of it) */
    }
    add_unique(cls, sizeof cls, others);
    snprintf(out->classification, sizeof out->classification, "%s", cls);
    if (!criteria)
        out->review = REVIEW_NO_CRITERIA;
    else if (submitters == 1 && counted == 1)
        out->review = in[first].review; /* an imported aggregate keeps its own status */
    else if (conflict)
        out->review = REVIEW_CONFLICTING;
    else
        out->review = submitters > 1 ? REVIEW_MULTIPLE : REVIEW_SINGLE;
    return true;
}

void aggregate_compute(const struct aggregate_input *in, int n, struct aggregate *out)
{
    /* the conflict list is large and mostly unused: only its count is reset */
    out->submissions = n;
    out->nconflicts = 0;
    out->review = REVIEW_NO_CLASSIFICATION;
    snprintf(out->classification, sizeof out->classification, "no classification provided");
    /* a practice guideline, then an expert panel: the newest one decides */
    for (int level = REVIEW_PRACTICE_GUIDELINE; level >= REVIEW_EXPERT_PANEL; level--) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if ((int)in[i].review == level &&
                classification_group(in[i].classification) != CLASS_NONE &&
                (best < 0 || strcmp(in[i].date ? in[i].date : "",
                                    in[best].date ? in[best].date : "") > 0))
                best = i;
        if (best >= 0) {
            snprintf(out->classification, sizeof out->classification, "%s",
                     in[best].classification);
            out->review = (enum review_status)level;
            out->stars = review_status_stars(out->review);
            return;
        }
    }
    if (!aggregate_tier(in, n, true, out))
        aggregate_tier(in, n, false, out);
    out->stars = review_status_stars(out->review);
}
