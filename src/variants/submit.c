/* submit.c — reading VCF/BCF/TSV submissions, validating and normalising each record, and
 * writing the file all or nothing (see submit.h). */
#include "variants/submit.h"

#include <ctype.h>
#include <errno.h>
#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/vcf.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/buf.h"
#include "registry/registry.h"
#include "variants/aggregate.h"
#include "variants/normalize.h"

#define PROGRESS_EVERY 100000
#define BULK_RECORDS 100000  /* past this many records a run drops the secondary indexes
                                and rebuilds them at the end (store_variant_indexes) */
#define BULK_SMALL_STORE 10000 /* … or from its first record when the store holds fewer
                                  variants than this (the rebuild then costs what the
                                  file does) */
#define CONDITION_CACHE 4096 /* slots of the run's condition-key cache (a power of two) */
#define TSV_COLUMNS_MAX 32
#define PIPE_BATCHES 4       /* batches in flight between the reading and writing threads */
#define PIPE_RECORDS 2048    /* alleles per batch */

static const char *const areas[] = {"cancer", "rare", "infectious", "dementia", "other"};

/* ---- report ---- */

void submit_report_free(struct submit_report *r)
{
    free(r->items);
    memset(r, 0, sizeof *r);
}

struct pipe;

/* Everything one submission run carries. */
#define TERM_CACHE 16 /* classification and review-status spellings remembered per run */

struct run {
    struct store *s;
    const struct submit_options *o;
    struct submit_report *rep;
    struct reference *ref;
    struct store_dataset d;
    int64_t institution_id;
    char actor[STORE_TEXT_MAX];
    time_t now;
    char today[11];
    char assembly[VARIANT_ASSEMBLY_MAX];
    bool clinvar;                /* ##source=ClinVar */
    char file_date[11];          /* ##fileDate as YYYY-MM-DD, or "" */
    bool writing;                /* false after the first error: read on, write no more */
    bool noted_no_reference;
    bool indexes_dropped;
    int items_cap;
    int nerrors_kept;            /* errors come first in items */
    char *refbuf, *altbuf;       /* VARIANT_ALLELE_MAX + 1 each */
    struct { uint64_t hash; char *key; int64_t id; } *conditions; /* CONDITION_CACHE slots */
    /* the classification and review-status spellings read (the last TERM_CACHE of each)
     * and what they parsed to: a file repeats a handful of spellings millions of times, and
     * not one after the other */
    struct {
        char raw[VARIANT_TERM_MAX * 2], cls[VARIANT_TERM_MAX];
    } cls_seen[TERM_CACHE];
    struct {
        char raw[VARIANT_TERM_MAX];
        enum review_status rev;
    } rev_seen[TERM_CACHE];
    int cls_next, rev_next;      /* the slot the next new spelling replaces */
    struct store_variant_submission sub;   /* the reading thread's current line */
    struct store_variant_submission wsub, old; /* the writing thread's */
    /* new submissions waiting for one multi-row INSERT; their texts point into the batch
     * being written, so they are written before it is handed back (flush_new) */
    struct store_variant_new_submission staged[STORE_VARIANT_INSERT_MANY];
    int nstaged;
    /* the variants being written, STORE_VARIANT_INSERT_MANY at a time */
    struct store_variant wvar[STORE_VARIANT_INSERT_MANY];
    int64_t wids[STORE_VARIANT_INSERT_MANY];
    bool wcreated[STORE_VARIANT_INSERT_MANY];
    struct pipe *pipe;
    bool stop_reading;           /* the writer failed: the reader ends early */
};

static void report_add(struct run *r, int64_t line, bool error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report_add(struct run *r, int64_t line, bool error, const char *fmt, ...)
{
    struct submit_report *rep = r->rep;
    if (error)
        rep->errors++;
    else
        rep->notes++;
    /* keep errors before notes: a note is dropped for an error when full */
    if (rep->nitems >= SUBMIT_REPORT_MAX && (!error || r->nerrors_kept >= SUBMIT_REPORT_MAX))
        return;
    if (rep->nitems >= r->items_cap) {
        int cap = r->items_cap ? r->items_cap * 2 : 16;
        if (cap > SUBMIT_REPORT_MAX)
            cap = SUBMIT_REPORT_MAX;
        struct submit_item *p = realloc(rep->items, (size_t)cap * sizeof *p);
        if (p == NULL)
            return; /* the counts still say it */
        rep->items = p;
        r->items_cap = cap;
    }
    int at = rep->nitems;
    if (error) {
        if (rep->nitems >= SUBMIT_REPORT_MAX) /* full of errors and notes: replace a note */
            at = --rep->nitems;
        memmove(&rep->items[r->nerrors_kept + 1], &rep->items[r->nerrors_kept],
                (size_t)(at - r->nerrors_kept) * sizeof rep->items[0]);
        at = r->nerrors_kept++;
    }
    struct submit_item *it = &rep->items[at];
    it->line = line;
    it->error = error;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->message, sizeof it->message, fmt, ap);
    va_end(ap);
    rep->nitems++;
}

json_t *submit_report_json(const struct submit_report *r)
{
    json_t *items = json_array();
    for (int i = 0; i < r->nitems; i++)
        json_array_append_new(items, json_pack("{s:I, s:s, s:s}", "line",
                                               (json_int_t)r->items[i].line, "level",
                                               r->items[i].error ? "error" : "note", "message",
                                               r->items[i].message));
    json_t *doc = json_pack("{s:I, s:b, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:I}",
                            "batch", (json_int_t)r->batch_id, "stored", r->stored, "format",
                            r->format, "submitter", r->submitter, "lines", (json_int_t)r->lines,
                            "records", (json_int_t)r->records, "created",
                            (json_int_t)r->created, "updated", (json_int_t)r->updated,
                            "unchanged", (json_int_t)r->unchanged, "errors",
                            (json_int_t)r->errors, "notes", (json_int_t)r->notes, "items", items,
                            "items_omitted",
                            (json_int_t)(r->errors + r->notes - r->nitems));
    return doc;
}

void submit_report_print(FILE *f, const struct submit_report *r)
{
    for (int i = 0; i < r->nitems; i++) {
        if (r->items[i].line > 0)
            fprintf(f, "line %lld: %s: %s\n", (long long)r->items[i].line,
                    r->items[i].error ? "error" : "note", r->items[i].message);
        else
            fprintf(f, "%s: %s\n", r->items[i].error ? "error" : "note", r->items[i].message);
    }
    int64_t omitted = r->errors + r->notes - r->nitems;
    if (omitted > 0)
        fprintf(f, "(%lld more report lines not shown)\n", (long long)omitted);
    if (r->stored)
        fprintf(f, "stored batch %lld: %lld lines, %lld submissions (%lld new, %lld updated, "
                "%lld unchanged), pending curation\n", (long long)r->batch_id,
                (long long)r->lines, (long long)r->records, (long long)r->created,
                (long long)r->updated, (long long)r->unchanged);
    else
        fprintf(f, "refused: %lld of %lld lines have errors; nothing was stored\n",
                (long long)r->errors, (long long)r->lines);
}

int submit_format_parse(const char *text, enum submit_format *out, struct gs_err *err)
{
    if (text == NULL || strcasecmp(text, "auto") == 0)
        *out = SUBMIT_FORMAT_AUTO;
    else if (strcasecmp(text, "vcf") == 0 || strcasecmp(text, "bcf") == 0)
        *out = SUBMIT_FORMAT_VCF;
    else if (strcasecmp(text, "tsv") == 0)
        *out = SUBMIT_FORMAT_TSV;
    else
        return gs_err_set(err, GS_EINVAL, "unknown submission format '%.32s' (expected vcf, "
                          "bcf, tsv or auto)", text);
    return GS_OK;
}

const char *submit_tsv_template(void)
{
    return "## genoshare variant submission template (tab-separated; one row per variant and "
           "condition)\n"
           "## chrom           required  1..22, X, Y, MT (chr prefix accepted)\n"
           "## pos             required  1-based position of the first REF base (VCF style)\n"
           "## ref, alt        required  alleles, VCF style (alt may list several, comma-"
           "separated: split)\n"
           "## classification  required  Pathogenic, Likely pathogenic, Uncertain "
           "significance, Likely benign, Benign, drug response, risk factor, protective, …\n"
           "## condition_ids   required unless condition_name: MONDO:0011450|OMIM:604370|"
           "MedGen:C2676676|HP:0003002\n"
           "## condition_name  required unless condition_ids\n"
           "## disease_area    required  cancer, rare, infectious, dementia or other\n"
           "## assembly        optional  GRCh38 (default) or GRCh37\n"
           "## gene            optional  HGNC symbol\n"
           "## rsid            optional  rs80357906\n"
           "## review_status   optional  criteria provided (default), no assertion criteria "
           "provided, reviewed by expert panel, practice guideline\n"
           "## origin          optional  germline, somatic, de novo, inherited, maternal, "
           "paternal, unknown\n"
           "## zygosity        optional  heterozygous, homozygous, hemizygous\n"
           "## method          optional  clinical testing, research, literature only, …\n"
           "## evidence        optional  free text (ACMG criteria, PMIDs)\n"
           "## date            optional  YYYY-MM-DD of the interpretation (default: today)\n"
           "#chrom\tpos\tref\talt\tgene\tclassification\tcondition_ids\tcondition_name\t"
           "disease_area\torigin\tzygosity\tmethod\tevidence\tdate\treview_status\trsid\n";
}

/* ---- field helpers ---- */

/* Copies text into dst (size bytes), '_' turned into ' ' when unscore; GS_EINVAL naming
 * field when it does not fit. */
static int field_copy(char *dst, size_t size, const char *text, bool unscore, const char *field,
                      struct gs_err *err)
{
    size_t n = strlen(text);
    if (n >= size)
        return gs_err_set(err, GS_EINVAL, "%s is longer than %zu characters", field, size - 1);
    for (size_t i = 0; i <= n; i++)
        dst[i] = unscore && text[i] == '_' ? ' ' : text[i];
    return GS_OK;
}

static int area_check(const char *text, char *out, size_t size, struct gs_err *err)
{
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
        if (strcasecmp(text, areas[i]) == 0 ||
            (i == 1 && (strcasecmp(text, "rare disease") == 0 ||
                        strcasecmp(text, "rare and intractable disease") == 0))) {
            snprintf(out, size, "%s", areas[i]);
            return GS_OK;
        }
    return gs_err_set(err, GS_EINVAL, "unknown disease area '%.40s' (expected cancer, rare, "
                      "infectious, dementia or other)", text);
}

static int date_check(const char *text, struct gs_err *err)
{
    int y, m, d;
    char tail;
    if (strlen(text) != 10 || sscanf(text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
        y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
        return gs_err_set(err, GS_EINVAL, "date '%.20s' is not YYYY-MM-DD", text);
    return GS_OK;
}

/* ClinVar's ORIGIN bit flags ("1", "65") as words: "germline", "germline, biparental". */
static void origin_words(const char *flags, char *out, size_t size)
{
    static const struct { long bit; const char *word; } names[] = {
        {1, "germline"}, {2, "somatic"}, {4, "inherited"}, {8, "paternal"}, {16, "maternal"},
        {32, "de novo"}, {64, "biparental"}, {128, "uniparental"}, {256, "not tested"},
        {512, "tested inconclusive"}, {1073741824, "other"},
    };
    char *end;
    errno = 0;
    long v = strtol(flags, &end, 10);
    if (errno != 0 || end == flags || *end != '\0') { /* already words */
        snprintf(out, size, "%.*s", (int)(size - 1), flags);
        for (char *p = out; *p; p++)
            if (*p == '_')
                *p = ' ';
        return;
    }
    size_t len = 0;
    out[0] = '\0';
    if (v == 0)
        snprintf(out, size, "unknown");
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if ((v & names[i].bit) && len < size) {
            int n = snprintf(out + len, size - len, "%s%s", len ? ", " : "", names[i].word);
            if (n > 0)
                len += (size_t)n;
        }
}

/* dst = src's first n bytes at most, cut to size - 1: what snprintf(dst, size, "%.*s", n, src)
 * writes, without its cost (these run for every record on the reading thread). */
static void copy_text(char *dst, size_t size, const char *src, size_t n)
{
    size_t len = strnlen(src, n < size - 1 ? n : size - 1);
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The submission's condition key: its ids sorted ("MedGen:C1|OMIM:6"), else "name:" and the
 * lower-cased name, else "unspecified". */
static void condition_key(struct store_variant_submission *sub)
{
    char buf[VARIANT_TEXT_MAX];
    char *ids[128];
    int n = 0;
    size_t nids = strnlen(sub->condition_ids, sizeof buf - 1);
    memcpy(buf, sub->condition_ids, nids);
    buf[nids] = '\0';
    char *save = NULL;
    for (char *t = strtok_r(buf, "|,;", &save); t && n < 128; t = strtok_r(NULL, "|,;", &save)) {
        while (*t == ' ')
            t++;
        if (*t)
            ids[n++] = t;
    }
    qsort(ids, (size_t)n, sizeof ids[0], cmp_str);
    size_t len = 0;
    sub->condition_key[0] = '\0';
    /* joined with '|' by hand (snprintf was 5 % of the reading thread); a piece that does
     * not fit is cut where snprintf cut it */
    for (int i = 0; i < n; i++) {
        if (i > 0 && strcmp(ids[i], ids[i - 1]) == 0)
            continue;
        size_t room = sizeof sub->condition_key - len, sep = len ? 1 : 0;
        size_t w = strlen(ids[i]);
        char *d = sub->condition_key + len;
        if (sep + w >= room) {
            size_t k = sep < room - 1 ? sep : room - 1;
            memcpy(d, "|", k);
            memcpy(d + k, ids[i], room - 1 - k);
            d[room - 1] = '\0';
            break;
        }
        if (sep)
            d[0] = '|';
        memcpy(d + sep, ids[i], w + 1);
        len += sep + w;
    }
    if (len > 0)
        return;
    if (sub->condition_name[0] == '\0') {
        snprintf(sub->condition_key, sizeof sub->condition_key, "unspecified");
        return;
    }
    len = (size_t)snprintf(sub->condition_key, sizeof sub->condition_key, "name:");
    for (const char *p = sub->condition_name; *p && len + 1 < sizeof sub->condition_key; p++)
        sub->condition_key[len++] = (char)tolower((unsigned char)*p);
    sub->condition_key[len] = '\0';
}

/* Whether the stored submission already says what the new one says. */
static bool same_values(const struct store_variant_submission *a,
                        const struct store_variant_submission *b)
{
    return strcmp(a->classification, b->classification) == 0 &&
           strcmp(a->review_status, b->review_status) == 0 &&
           strcmp(a->disease_area, b->disease_area) == 0 && strcmp(a->origin, b->origin) == 0 &&
           strcmp(a->zygosity, b->zygosity) == 0 && strcmp(a->method, b->method) == 0 &&
           strcmp(a->evidence, b->evidence) == 0 && strcmp(a->gene, b->gene) == 0 &&
           strcmp(a->submitted_on, b->submitted_on) == 0 &&
           strcmp(a->submitter, b->submitter) == 0; /* the condition is the identity's */
}

/* FNV-1a over the key. */
static uint64_t key_hash(const char *k)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h;
}

/* The id of sub's condition: from the run's cache, else from the store (then cached).
 * The cache is direct-mapped: a collision replaces the older key. */
static int condition_resolve(struct run *r, struct store_variant_submission *sub,
                             struct gs_err *err)
{
    uint64_t h = key_hash(sub->condition_key);
    size_t slot = (size_t)(h & (CONDITION_CACHE - 1));
    if (r->conditions[slot].key && r->conditions[slot].hash == h &&
        strcmp(r->conditions[slot].key, sub->condition_key) == 0) {
        sub->condition_id = r->conditions[slot].id;
        return GS_OK;
    }
    int rc = store_variant_condition_put(r->s, sub->condition_key, sub->condition_ids,
                                         sub->condition_name, &sub->condition_id, err);
    if (rc != GS_OK)
        return rc;
    char *copy = strdup(sub->condition_key);
    if (copy != NULL) {
        free(r->conditions[slot].key);
        r->conditions[slot].key = copy;
        r->conditions[slot].hash = h;
        r->conditions[slot].id = sub->condition_id;
    }
    return GS_OK;
}

/* ---- one record ---- */

/* What a parser hands over for one line (alts may hold several, comma-separated). */
struct record_in {
    int64_t line;
    const char *chrom, *ref, *rsid, *gene;
    int64_t pos;
    const char *const *alts;
    int nalts;
};

/* ---- the pipeline: one thread reads, parses, validates and normalises; the calling
 * thread writes. Each normalised allele travels as one packed record (its texts copied
 * into the batch's arena) in a ring of PIPE_BATCHES batches, in file order. The store is
 * only ever used by the calling thread; the report only by the reading thread until it
 * ends (the writer counts created/updated/unchanged, fields the reader never touches). */

enum packed_text { P_CHROM, P_REF, P_ALT, P_RSID, P_COND_KEY, P_COND_IDS, P_COND_NAME,
                   P_CLASS, P_REVIEW, P_AREA, P_ORIGIN, P_ZYG, P_METHOD, P_EVIDENCE, P_GENE,
                   P_DATE, P_TEXTS };

struct packed {
    int64_t line, pos;
    uint32_t off[P_TEXTS], len[P_TEXTS];
};

struct batch {
    int n;
    struct packed *recs; /* PIPE_RECORDS */
    char *arena;
    size_t used, cap;
};

struct pipe {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch b[PIPE_BATCHES];
    uint64_t produced, consumed; /* batches; slot = count % PIPE_BATCHES */
    bool done;                   /* the reader has pushed its last batch */
    bool stop;                   /* the writer failed: push no more */
    bool holding;                /* the reader holds slot produced % PIPE_BATCHES */
};

/* The reader's batch to fill (waits for the writer to free one); NULL when the writer
 * stopped. */
static struct batch *pipe_slot(struct pipe *p)
{
    if (p->holding)
        return &p->b[p->produced % PIPE_BATCHES];
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->produced - p->consumed >= PIPE_BATCHES)
        pthread_cond_wait(&p->cv, &p->mu);
    bool stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    if (stop)
        return NULL;
    p->holding = true;
    struct batch *b = &p->b[p->produced % PIPE_BATCHES];
    b->n = 0;
    b->used = 0;
    return b;
}

/* Hands the reader's batch (when it holds one) to the writer; last: no more will come. */
static void pipe_push(struct pipe *p, bool last)
{
    pthread_mutex_lock(&p->mu);
    if (p->holding)
        p->produced++;
    p->holding = false;
    if (last)
        p->done = true;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static int arena_add(struct batch *b, struct packed *rec, int which, const char *text,
                     struct gs_err *err)
{
    size_t n = strlen(text);
    if (b->used + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1 << 20;
        while (cap < b->used + n + 1)
            cap *= 2;
        char *a = realloc(b->arena, cap);
        if (a == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for a batch of records");
        b->arena = a;
        b->cap = cap;
    }
    memcpy(b->arena + b->used, text, n + 1);
    rec->off[which] = (uint32_t)b->used;
    rec->len[which] = (uint32_t)n;
    b->used += n + 1;
    return GS_OK;
}

/* Queues one normalised allele of r->sub's line for the writer. */
static int pipe_add(struct run *r, int64_t line, const char *chrom, int64_t pos,
                    const char *rsid, struct gs_err *err)
{
    struct batch *b = pipe_slot(r->pipe);
    if (b == NULL) {
        r->writing = false;
        r->stop_reading = true;
        return GS_OK;
    }
    const struct store_variant_submission *sub = &r->sub;
    struct packed *rec = &b->recs[b->n];
    rec->line = line;
    rec->pos = pos;
    const char *texts[P_TEXTS] = {
        [P_CHROM] = chrom, [P_REF] = r->refbuf, [P_ALT] = r->altbuf,
        [P_RSID] = rsid ? rsid : "", [P_COND_KEY] = sub->condition_key,
        [P_COND_IDS] = sub->condition_ids, [P_COND_NAME] = sub->condition_name,
        [P_CLASS] = sub->classification, [P_REVIEW] = sub->review_status,
        [P_AREA] = sub->disease_area, [P_ORIGIN] = sub->origin, [P_ZYG] = sub->zygosity,
        [P_METHOD] = sub->method, [P_EVIDENCE] = sub->evidence, [P_GENE] = sub->gene,
        [P_DATE] = sub->submitted_on};
    for (int i = 0; i < P_TEXTS; i++) {
        int rc = arena_add(b, rec, i, texts[i], err);
        if (rc != GS_OK)
            return rc;
    }
    if (++b->n == PIPE_RECORDS)
        pipe_push(r->pipe, false);
    return GS_OK;
}

/* Copies packed text which into dst (size bytes; the reader's fields had the same sizes). */
static void unpack_text(const struct batch *b, const struct packed *rec, int which, char *dst,
                        size_t size)
{
    size_t n = rec->len[which] < size ? rec->len[which] : size - 1;
    memcpy(dst, b->arena + rec->off[which], n);
    dst[n] = '\0';
}

/* Writes the staged new submissions (the writing thread). */
static int flush_new(struct run *r, struct gs_err *err)
{
    int n = r->nstaged;
    r->nstaged = 0;
    return n ? store_variant_submission_insert_many(r->s, &r->wsub, r->staged, n, err) : GS_OK;
}

/* Stages the new submission of rec (its variant vid was just created: no submission of it can
 * exist), texts in place in the batch. */
static int stage_new(struct run *r, const struct batch *b, const struct packed *rec, int64_t vid,
                     int64_t condition_id, struct gs_err *err)
{
    static const struct { int which; size_t size; } texts[SVN_TEXTS] = {
        [SVN_CLASS] = {P_CLASS, VARIANT_TERM_MAX}, [SVN_REVIEW] = {P_REVIEW, VARIANT_TERM_MAX},
        [SVN_AREA] = {P_AREA, 24}, [SVN_ORIGIN] = {P_ORIGIN, VARIANT_TERM_MAX},
        [SVN_ZYGOSITY] = {P_ZYG, 24}, [SVN_METHOD] = {P_METHOD, VARIANT_TERM_MAX},
        [SVN_EVIDENCE] = {P_EVIDENCE, VARIANT_TEXT_MAX}, [SVN_GENE] = {P_GENE, VARIANT_ID_MAX},
        [SVN_DATE] = {P_DATE, 11},
    };
    struct store_variant_new_submission *n = &r->staged[r->nstaged++];
    n->variant_id = vid;
    n->line = rec->line;
    n->condition_id = condition_id;
    for (int t = 0; t < SVN_TEXTS; t++) {
        /* the same bounds as unpack_text's */
        size_t len = rec->len[texts[t].which];
        n->text[t] = b->arena + rec->off[texts[t].which];
        n->len[t] = (int)(len < texts[t].size ? len : texts[t].size - 1);
    }
    return r->nstaged == STORE_VARIANT_INSERT_MANY ? flush_new(r, err) : GS_OK;
}

/* Writes one packed allele: the variant, then its submission (new, replaced or unchanged).
 * Runs on the writing thread; a new variant's submission is staged (stage_new). */
/* The variant of a packed allele (ref and alt point into the batch). */
static void variant_of(const struct run *r, const struct batch *b, const struct packed *rec,
                       struct store_variant *v)
{
    memset(v, 0, sizeof *v);
    memcpy(v->assembly, r->assembly, sizeof v->assembly);
    unpack_text(b, rec, P_CHROM, v->chrom, sizeof v->chrom);
    v->pos = rec->pos;
    v->ref = b->arena + rec->off[P_REF];
    v->alt = b->arena + rec->off[P_ALT];
    unpack_text(b, rec, P_RSID, v->rsid, sizeof v->rsid);
    unpack_text(b, rec, P_GENE, v->gene, sizeof v->gene);
}

/* Writes the submission of one packed allele whose variant v was stored as vid (created:
 * new) — new, replaced or unchanged. */
static int write_allele(struct run *r, const struct batch *b, const struct packed *rec,
                        const struct store_variant *vp, int64_t vid, bool created,
                        struct gs_err *err)
{
    struct store_variant_submission *sub = &r->wsub;
    const struct store_variant v = *vp;
    int rc;
    /* line-independent fields were set once (run_writer) */
    sub->id = 0;
    sub->variant_id = vid;
    sub->line = rec->line;
    sub->version = 1;
    sub->created_at = r->now;
    memcpy(sub->gene, v.gene, sizeof sub->gene);
    static const struct { int which; size_t at, size; } fields[] = {
        {P_COND_KEY, offsetof(struct store_variant_submission, condition_key),
         VARIANT_TEXT_MAX},
        {P_COND_IDS, offsetof(struct store_variant_submission, condition_ids),
         VARIANT_TEXT_MAX},
        {P_COND_NAME, offsetof(struct store_variant_submission, condition_name),
         VARIANT_TEXT_MAX},
        {P_CLASS, offsetof(struct store_variant_submission, classification), VARIANT_TERM_MAX},
        {P_REVIEW, offsetof(struct store_variant_submission, review_status), VARIANT_TERM_MAX},
        {P_AREA, offsetof(struct store_variant_submission, disease_area), 24},
        {P_ORIGIN, offsetof(struct store_variant_submission, origin), VARIANT_TERM_MAX},
        {P_ZYG, offsetof(struct store_variant_submission, zygosity), 24},
        {P_METHOD, offsetof(struct store_variant_submission, method), VARIANT_TERM_MAX},
        {P_EVIDENCE, offsetof(struct store_variant_submission, evidence), VARIANT_TEXT_MAX},
        {P_DATE, offsetof(struct store_variant_submission, submitted_on), 11},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        unpack_text(b, rec, fields[i].which, (char *)sub + fields[i].at, fields[i].size);
    sub->condition_id = 0;
    if ((rc = condition_resolve(r, sub, err)) != GS_OK)
        return rc;
    if (!created) {
        /* the submission looked for may be staged */
        if ((rc = flush_new(r, err)) != GS_OK)
            return rc;
        rc = store_variant_submission_find(r->s, r->d.id, r->institution_id, vid,
                                           sub->condition_key, &r->old, err);
        if (rc == GS_OK) {
            if (same_values(&r->old, sub)) {
                r->rep->unchanged++;
                return GS_OK;
            }
            sub->id = r->old.id;
            sub->version = r->old.version + 1;
            sub->created_at = r->old.created_at;
            if ((rc = store_variant_submission_replace(r->s, sub, r->actor, r->now, err)) ==
                GS_OK)
                r->rep->updated++;
            return rc;
        }
        if (rc != GS_ENOTFOUND)
            return rc;
    }
    int64_t sid;
    if (created)
        rc = stage_new(r, b, rec, vid, sub->condition_id, err);
    else
        rc = store_variant_submission_insert(r->s, sub, &sid, err);
    if (rc == GS_OK)
        r->rep->created++;
    if (rc == GS_OK && !r->indexes_dropped && r->rep->created >= BULK_RECORDS) {
        if (r->o->progress)
            fprintf(stderr, "variants submit: a large file: indexes are rebuilt at the end\n");
        if ((rc = store_variant_indexes(r->s, false, err)) == GS_OK)
            r->indexes_dropped = true;
    }
    return rc;
}

/* Normalises one ALT of a record (r->sub holds the line's submission fields) and queues it
 * for the writer while the file is still clean. */
static int read_allele(struct run *r, const struct record_in *in, const char *chrom,
                       const char *alt, struct gs_err *err)
{
    size_t nref = strlen(in->ref), nalt = strlen(alt);
    if (nref > VARIANT_ALLELE_MAX || nalt > VARIANT_ALLELE_MAX)
        return gs_err_set(err, GS_EINVAL, "allele longer than %d bases", VARIANT_ALLELE_MAX);
    memcpy(r->refbuf, in->ref, nref + 1);
    memcpy(r->altbuf, alt, nalt + 1);
    int64_t pos = in->pos;
    bool changed = false;
    int rc = variant_normalize(r->ref, chrom, &pos, r->refbuf, r->altbuf, &changed, err);
    if (rc != GS_OK)
        return rc;
    if (changed)
        report_add(r, in->line, false, "%s %s:%lld %s>%s normalised to %s:%lld %s>%s",
                   in->nalts > 1 ? "allele" : "variant", chrom, (long long)in->pos, in->ref, alt,
                   chrom, (long long)pos, r->refbuf, r->altbuf);
    r->rep->records++;
    if (!r->writing)
        return GS_OK;
    return pipe_add(r, in->line, chrom, pos, in->rsid, err);
}

/* Completes r->sub's defaults, then writes every ALT; a problem becomes the line's error. */
static int record_finish(struct run *r, const struct record_in *in, struct gs_err *fatal)
{
    struct gs_err e = {0};
    char chrom[VARIANT_CHROM_MAX];
    int rc = chrom_normalize(in->chrom, chrom, sizeof chrom, &e);
    if (rc == GS_OK && in->pos < 1)
        rc = gs_err_set(&e, GS_EINVAL, "position %lld is not positive", (long long)in->pos);
    if (rc == GS_OK && in->nalts > 1)
        report_add(r, in->line, false, "multi-allelic record split into %d submissions",
                   in->nalts);
    condition_key(&r->sub);
    for (int i = 0; rc == GS_OK && i < in->nalts; i++)
        rc = read_allele(r, in, chrom, in->alts[i], &e);
    if (rc == GS_OK)
        return GS_OK;
    if (rc == GS_EDB || rc == GS_ENOMEM || rc == GS_EIO || rc == GS_ECORRUPT ||
        rc == GS_EINTERNAL) {
        report_add(r, in->line, true, "%s", gs_err_text(&e, rc));
        return gs_err_set(fatal, rc, "line %lld: %s", (long long)in->line, gs_err_text(&e, rc));
    }
    report_add(r, in->line, true, "%s", gs_err_text(&e, rc));
    r->writing = false;
    return GS_OK;
}

/* Fills the line-independent parts of r->sub and empties the rest. The struct is large
 * (several 4 KiB texts): only the first byte of each text is cleared, not the whole. */
static void sub_reset(struct run *r)
{
    struct store_variant_submission *sub = &r->sub;
    sub->id = sub->variant_id = sub->condition_id = sub->line = 0;
    sub->condition_key[0] = sub->condition_ids[0] = sub->condition_name[0] = '\0';
    sub->classification[0] = sub->review_status[0] = sub->disease_area[0] = '\0';
    sub->origin[0] = sub->zygosity[0] = sub->method[0] = sub->evidence[0] = '\0';
    sub->gene[0] = sub->comment[0] = sub->curated_by[0] = '\0';
    sub->curated_at = 0;
    sub->dataset_id = r->d.id;
    sub->institution_id = r->institution_id;
    sub->batch_id = r->rep->batch_id;
    copy_text(sub->submitter, sizeof sub->submitter, r->rep->submitter, SIZE_MAX);
    sub->state = VARIANT_PENDING;
    sub->created_at = sub->updated_at = r->now;
    sub->version = 1;
    copy_text(sub->submitted_on, sizeof sub->submitted_on,
              r->file_date[0] ? r->file_date : r->today, SIZE_MAX);
}

/* Validates the text fields a line gave (already copied into r->sub). */
static int sub_validate(struct run *r, const char *classification, const char *review,
                        const char *area, struct gs_err *e)
{
    struct store_variant_submission *sub = &r->sub;
    int rc;
    if (classification == NULL || classification[0] == '\0' || strcmp(classification, ".") == 0) {
        if (!r->clinvar)
            return gs_err_set(e, GS_EINVAL, "classification is missing");
        classification = "not provided";
    }
    int c = 0;
    while (c < TERM_CACHE && !(r->cls_seen[c].raw[0] && strcmp(classification,
                                                              r->cls_seen[c].raw) == 0))
        c++;
    if (c < TERM_CACHE) {
        memcpy(sub->classification, r->cls_seen[c].cls, sizeof sub->classification);
    } else {
        if ((rc = classification_parse(classification, sub->classification,
                                       sizeof sub->classification, e)) != GS_OK)
            return rc;
        c = r->cls_next;
        r->cls_next = (r->cls_next + 1) % TERM_CACHE;
        snprintf(r->cls_seen[c].raw, sizeof r->cls_seen[c].raw, "%s", classification);
        memcpy(r->cls_seen[c].cls, sub->classification, sizeof r->cls_seen[c].cls);
    }
    enum review_status rs = REVIEW_SINGLE;
    c = 0;
    if (!review || !review[0] || strcmp(review, ".") == 0) {
        rs = r->clinvar ? REVIEW_NO_CLASSIFICATION : REVIEW_SINGLE;
    } else {
        while (c < TERM_CACHE && !(r->rev_seen[c].raw[0] && strcmp(review,
                                                                  r->rev_seen[c].raw) == 0))
            c++;
        if (c < TERM_CACHE) {
            rs = r->rev_seen[c].rev;
        } else if ((rc = review_status_parse(review, &rs, e)) != GS_OK) {
            return rc;
        } else {
            c = r->rev_next;
            r->rev_next = (r->rev_next + 1) % TERM_CACHE;
            snprintf(r->rev_seen[c].raw, sizeof r->rev_seen[c].raw, "%s", review);
            r->rev_seen[c].rev = rs;
        }
    }
    copy_text(sub->review_status, sizeof sub->review_status, review_status_name(rs), SIZE_MAX);
    if (area == NULL || area[0] == '\0')
        area = r->o->disease_area;
    if (area == NULL || area[0] == '\0') {
        if (!r->clinvar)
            return gs_err_set(e, GS_EINVAL, "disease area is missing (cancer, rare, "
                              "infectious, dementia or other; or --disease-area for the file)");
        sub->disease_area[0] = '\0';
    } else if ((rc = area_check(area, sub->disease_area, sizeof sub->disease_area, e)) != GS_OK) {
        return rc;
    }
    if (!sub->condition_ids[0] && !sub->condition_name[0] && !r->clinvar)
        return gs_err_set(e, GS_EINVAL, "condition is missing (condition_ids or condition_name)");
    if (sub->zygosity[0] && strcasecmp(sub->zygosity, "heterozygous") != 0 &&
        strcasecmp(sub->zygosity, "homozygous") != 0 &&
        strcasecmp(sub->zygosity, "hemizygous") != 0)
        return gs_err_set(e, GS_EINVAL, "unknown zygosity '%.30s' (expected heterozygous, "
                          "homozygous or hemizygous)", sub->zygosity);
    /* the file's default date was checked once; a record's own date is checked here */
    if (strcmp(sub->submitted_on, r->file_date[0] ? r->file_date : r->today) == 0)
        return GS_OK;
    return date_check(sub->submitted_on, e);
}

/* ---- VCF / BCF ---- */

/* The INFO keys a record is read through, resolved to header ids once per file (a look-up
 * by name is two string hashes per key and record). */
enum info_key { K_CLNSIG, K_CLNREVSTAT, K_AREA, K_CLNDN, K_CLNDISDB, K_ZYGOSITY, K_METHOD,
                K_EVIDENCE, K_ORIGIN, K_DATE, K_GENEINFO, K_GENE, K_RS, K_KEYS };

struct info_ids {
    int id[K_KEYS];   /* header id, -1 when the header does not declare the key as INFO */
    int type[K_KEYS]; /* BCF_HT_STR, BCF_HT_INT, … */
};

static const char *info_name(enum info_key k)
{
    static const char *const names[K_KEYS] = {
        [K_CLNSIG] = "CLNSIG", [K_CLNREVSTAT] = "CLNREVSTAT", [K_AREA] = "GS_AREA",
        [K_CLNDN] = "CLNDN", [K_CLNDISDB] = "CLNDISDB", [K_ZYGOSITY] = "GS_ZYGOSITY",
        [K_METHOD] = "GS_METHOD", [K_EVIDENCE] = "GS_EVIDENCE", [K_ORIGIN] = "ORIGIN",
        [K_DATE] = "GS_DATE", [K_GENEINFO] = "GENEINFO", [K_GENE] = "GENE", [K_RS] = "RS"};
    return names[k];
}

static void info_ids_resolve(const bcf_hdr_t *h, struct info_ids *ids)
{
    for (int k = 0; k < K_KEYS; k++) {
        int id = bcf_hdr_id2int(h, BCF_DT_ID, info_name((enum info_key)k));
        bool ok = id >= 0 && bcf_hdr_idinfo_exists(h, BCF_HL_INFO, id);
        ids->id[k] = ok ? id : -1;
        ids->type[k] = ok ? (int)bcf_hdr_id2type(h, BCF_HL_INFO, id) : -1;
    }
}

/* INFO key k as text into out ("" when absent); GS_EINVAL when it does not fit. Strings are
 * read in place from the unpacked record; integers are joined with ','. */
static int info_text(const bcf_hdr_t *h, bcf1_t *rec, const struct info_ids *ids,
                     enum info_key k, char *out, size_t size, bool unscore, struct gs_err *e)
{
    out[0] = '\0';
    if (ids->id[k] < 0)
        return GS_OK;
    if (ids->type[k] == BCF_HT_STR) {
        bcf_info_t *info = bcf_get_info_id(rec, ids->id[k]);
        if (info == NULL || info->type != BCF_BT_CHAR || info->len <= 0)
            return GS_OK;
        const char *text = (const char *)info->vptr;
        size_t n = strnlen(text, (size_t)info->len);
        if (n >= size)
            return gs_err_set(e, GS_EINVAL, "%s is longer than %zu characters", info_name(k),
                              size - 1);
        for (size_t i = 0; i < n; i++)
            out[i] = unscore && text[i] == '_' ? ' ' : text[i];
        out[n] = '\0';
        return GS_OK;
    }
    if (ids->type[k] == BCF_HT_INT) {
        int32_t *vals = NULL;
        int nv = 0;
        int got = bcf_get_info_int32(h, rec, info_name(k), &vals, &nv);
        size_t len = 0;
        for (int i = 0; i < got && len < size; i++) {
            int w = snprintf(out + len, size - len, "%s%d", i ? "," : "", vals[i]);
            if (w > 0)
                len += (size_t)w;
        }
        free(vals);
    }
    return GS_OK;
}

struct vcf_bufs {
    struct info_ids ids;
    int32_t *gt;
    int ngt;
};

static int vcf_fields(struct run *r, const bcf_hdr_t *h, bcf1_t *rec, struct vcf_bufs *b,
                      char *rsid, size_t rsid_size, struct gs_err *e)
{
    struct store_variant_submission *sub = &r->sub;
    char cls[VARIANT_TERM_MAX * 2], rev[VARIANT_TERM_MAX], area[32], tmp[VARIANT_TEXT_MAX];
    int rc;
    if ((rc = info_text(h, rec, &b->ids, K_CLNSIG, cls, sizeof cls, false, e)) != GS_OK ||
        (rc = info_text(h, rec, &b->ids, K_CLNREVSTAT, rev, sizeof rev, false, e)) != GS_OK ||
        (rc = info_text(h, rec, &b->ids, K_AREA, area, sizeof area, false, e)) != GS_OK ||
        (rc = info_text(h, rec, &b->ids, K_CLNDN, sub->condition_name,
                        sizeof sub->condition_name, true, e)) != GS_OK ||
        (rc = info_text(h, rec, &b->ids, K_CLNDISDB, sub->condition_ids,
                        sizeof sub->condition_ids, false, e)) != GS_OK ||
        (rc = info_text(h, rec, &b->ids, K_ZYGOSITY, sub->zygosity,
                        sizeof sub->zygosity, false, e)) != GS_OK ||
        (rc = info_text(h, rec, &b->ids, K_METHOD, sub->method, sizeof sub->method, true,
                        e)) != GS_OK ||
        (rc = info_text(h, rec, &b->ids, K_EVIDENCE, sub->evidence,
                        sizeof sub->evidence, true, e)) != GS_OK ||
        (rc = info_text(h, rec, &b->ids, K_ORIGIN, tmp, sizeof tmp, false, e)) != GS_OK)
        return rc;
    if (tmp[0])
        origin_words(tmp, sub->origin, sizeof sub->origin);
    if (strchr(sub->condition_name, '|') != NULL) { /* ClinVar joins names with '|' */
        size_t k = 0;
        for (const char *p = sub->condition_name; *p && k + 3 < sizeof tmp; p++) {
            if (*p == '|')
                tmp[k++] = ';', tmp[k++] = ' ';
            else
                tmp[k++] = *p;
        }
        tmp[k] = '\0';
        copy_text(sub->condition_name, sizeof sub->condition_name, tmp, SIZE_MAX);
    }
    if (strcmp(sub->condition_name, "not provided") == 0 && !sub->condition_ids[0])
        sub->condition_name[0] = '\0';
    if ((rc = info_text(h, rec, &b->ids, K_DATE, tmp, sizeof tmp, false, e)) != GS_OK)
        return rc;
    if (tmp[0])
        copy_text(sub->submitted_on, sizeof sub->submitted_on, tmp, 10);
    if ((rc = info_text(h, rec, &b->ids, K_GENEINFO, tmp, sizeof tmp, false, e)) != GS_OK)
        return rc;
    if (!tmp[0] && (rc = info_text(h, rec, &b->ids, K_GENE, tmp, sizeof tmp, false, e)) !=
                       GS_OK)
        return rc;
    size_t glen = strcspn(tmp, ":|,");
    copy_text(sub->gene, sizeof sub->gene, tmp, glen < 47 ? glen : 47);
    if ((rc = info_text(h, rec, &b->ids, K_RS, tmp, sizeof tmp, false, e)) != GS_OK)
        return rc;
    size_t rlen = strcspn(tmp, "|,");
    if (rlen > 0 && rlen < 20) {
        size_t prefix = strncmp(tmp, "rs", 2) ? 2 : 0; /* rsid_size is VARIANT_ID_MAX */
        memcpy(rsid, "rs", prefix);
        copy_text(rsid + prefix, rsid_size - prefix, tmp, rlen);
    }
    else if (rec->d.id && strncmp(rec->d.id, "rs", 2) == 0 && strlen(rec->d.id) < rsid_size)
        snprintf(rsid, rsid_size, "%s", rec->d.id);
    if (!sub->zygosity[0] && bcf_hdr_nsamples(h) > 0) {
        int ng = bcf_get_genotypes(h, rec, &b->gt, &b->ngt);
        int ploidy = ng > 0 ? ng / bcf_hdr_nsamples(h) : 0;
        if (ploidy == 1 && !bcf_gt_is_missing(b->gt[0]) && bcf_gt_allele(b->gt[0]) > 0)
            snprintf(sub->zygosity, sizeof sub->zygosity, "hemizygous");
        else if (ploidy >= 2 && !bcf_gt_is_missing(b->gt[0]) && !bcf_gt_is_missing(b->gt[1]) &&
                 b->gt[1] != bcf_int32_vector_end) {
            int a0 = bcf_gt_allele(b->gt[0]), a1 = bcf_gt_allele(b->gt[1]);
            if (a0 != a1 && (a0 > 0 || a1 > 0))
                snprintf(sub->zygosity, sizeof sub->zygosity, "heterozygous");
            else if (a0 == a1 && a0 > 0)
                snprintf(sub->zygosity, sizeof sub->zygosity, "homozygous");
        }
    }
    return sub_validate(r, cls, rev, area, e);
}

/* "2026-02-26" or "20260226" from ##fileDate into out (YYYY-MM-DD), else "". */
static void header_date(const bcf_hdr_t *h, char *out, size_t size)
{
    out[0] = '\0';
    bcf_hrec_t *hr = bcf_hdr_get_hrec(h, BCF_HL_GEN, "fileDate", NULL, NULL);
    if (hr == NULL || hr->value == NULL)
        return;
    const char *v = hr->value;
    if (strlen(v) == 8 && strspn(v, "0123456789") == 8)
        snprintf(out, size, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
    else if (strlen(v) == 10 && v[4] == '-' && v[7] == '-')
        snprintf(out, size, "%s", v);
}

/* The file's header lines, so that records are numbered as lines of the text (htslib adds
 * lines of its own to the parsed header, so it is counted from the file). A BCF has no
 * lines: its records are numbered from 1. */
static int64_t header_line_count(const char *path, htsFile *fp)
{
    if (hts_get_format(fp)->format != vcf)
        return 0;
    htsFile *again = hts_open(path, "r");
    if (again == NULL)
        return 0;
    kstring_t ks = {0, 0, NULL};
    int64_t n = 0;
    while (hts_getline(again, '\n', &ks) >= 0 && ks.l > 0 && ks.s[0] == '#')
        n++;
    free(ks.s);
    hts_close(again);
    return n;
}

static int read_vcf(struct run *r, const char *path, htsFile *fp, struct gs_err *err)
{
    bcf_hdr_t *h = bcf_hdr_read(fp);
    if (h == NULL) {
        report_add(r, 1, true, "not a valid VCF header");
        r->writing = false;
        return GS_OK;
    }
    bcf_hrec_t *src = bcf_hdr_get_hrec(h, BCF_HL_GEN, "source", NULL, NULL);
    r->clinvar = src && src->value && strncasecmp(src->value, "ClinVar", 7) == 0;
    if (r->clinvar)
        snprintf(r->rep->submitter, sizeof r->rep->submitter, "ClinVar");
    header_date(h, r->file_date, sizeof r->file_date);
    if (r->file_date[0] && date_check(r->file_date, &(struct gs_err){0}) != GS_OK)
        r->file_date[0] = '\0';
    bcf_hrec_t *asm_rec = bcf_hdr_get_hrec(h, BCF_HL_GEN, "reference", NULL, NULL);
    if (r->o->assembly == NULL && asm_rec && asm_rec->value &&
        (strstr(asm_rec->value, "GRCh37") || strstr(asm_rec->value, "hg19")))
        snprintf(r->assembly, sizeof r->assembly, "GRCh37");
    int64_t header_lines = header_line_count(path, fp);
    bcf1_t *rec = bcf_init();
    struct vcf_bufs b = {0};
    info_ids_resolve(h, &b.ids);
    int rc = GS_OK;
    const char *alts[256];
    for (int64_t n = 1; rec != NULL && !r->stop_reading; n++) {
        int got = bcf_read(fp, h, rec);
        if (got == -1)
            break;
        int64_t line = header_lines + n;
        if (got < -1) {
            report_add(r, line, true, "not a valid VCF record (htslib could not parse it)");
            r->writing = false;
            r->rep->lines++;
            break;
        }
        r->rep->lines++;
        if (r->o->progress && r->rep->lines % PROGRESS_EVERY == 0)
            fprintf(stderr, "variants submit: %lld records read\n", (long long)r->rep->lines);
        bcf_unpack(rec, bcf_hdr_nsamples(h) > 0 ? BCF_UN_ALL : BCF_UN_SHR);
        sub_reset(r);
        struct gs_err e = {0};
        char rsid[VARIANT_ID_MAX] = "";
        if (vcf_fields(r, h, rec, &b, rsid, sizeof rsid, &e) != GS_OK) {
            report_add(r, line, true, "%s", gs_err_text(&e, e.code ? e.code : GS_EINVAL));
            r->writing = false;
            continue;
        }
        int nalts = rec->n_allele > 1 ? rec->n_allele - 1 : 1;
        if (nalts > (int)(sizeof alts / sizeof alts[0])) {
            report_add(r, line, true, "more than %d ALT alleles",
                       (int)(sizeof alts / sizeof alts[0]));
            r->writing = false;
            continue;
        }
        for (int i = 0; i < nalts; i++)
            alts[i] = rec->n_allele > 1 ? rec->d.allele[i + 1] : ".";
        struct record_in in = {line, bcf_seqname(h, rec), rec->d.allele[0], rsid,
                               r->sub.gene, (int64_t)rec->pos + 1, alts, nalts};
        if ((rc = record_finish(r, &in, err)) != GS_OK)
            break;
    }
    free(b.gt);
    bcf_destroy(rec);
    bcf_hdr_destroy(h);
    return rc;
}

/* ---- TSV ---- */

enum tsv_col { COL_CHROM, COL_POS, COL_REF, COL_ALT, COL_CLASS, COL_COND_IDS, COL_COND_NAME,
               COL_AREA, COL_ASSEMBLY, COL_GENE, COL_RSID, COL_REVIEW, COL_ORIGIN, COL_ZYG,
               COL_METHOD, COL_EVIDENCE, COL_DATE, NCOLS };
static const char *const col_names[NCOLS] = {
    "chrom", "pos", "ref", "alt", "classification", "condition_ids", "condition_name",
    "disease_area", "assembly", "gene", "rsid", "review_status", "origin", "zygosity", "method",
    "evidence", "date"};

static int tsv_header(char *line, int map[TSV_COLUMNS_MAX], int *ncols, struct gs_err *e)
{
    *ncols = 0;
    char *p = line[0] == '#' ? line + 1 : line;
    char *save = NULL;
    bool seen[NCOLS] = {false};
    for (char *t = strtok_r(p, "\t", &save); t; t = strtok_r(NULL, "\t", &save)) {
        if (*ncols >= TSV_COLUMNS_MAX)
            return gs_err_set(e, GS_EINVAL, "more than %d columns", TSV_COLUMNS_MAX);
        int c = -1;
        for (int i = 0; i < NCOLS; i++)
            if (strcasecmp(t, col_names[i]) == 0)
                c = i;
        if (c >= 0 && seen[c])
            return gs_err_set(e, GS_EINVAL, "column %s appears twice", col_names[c]);
        if (c >= 0)
            seen[c] = true;
        map[(*ncols)++] = c; /* unknown columns are ignored */
    }
    for (int i = COL_CHROM; i <= COL_CLASS; i++)
        if (!seen[i])
            return gs_err_set(e, GS_EINVAL, "the header row has no %s column (see `genoshare "
                              "variants template`)", col_names[i]);
    if (!seen[COL_COND_IDS] && !seen[COL_COND_NAME])
        return gs_err_set(e, GS_EINVAL, "the header row has neither condition_ids nor "
                          "condition_name");
    return GS_OK;
}

static int tsv_line(struct run *r, char *text, int64_t line, const int *map, int ncols,
                    struct gs_err *fatal)
{
    const char *v[NCOLS] = {0};
    int col = 0;
    char *p = text;
    for (;;) {
        char *tab = strchr(p, '\t');
        if (tab)
            *tab = '\0';
        if (col < ncols && map[col] >= 0)
            v[map[col]] = p;
        col++;
        if (!tab)
            break;
        p = tab + 1;
    }
    sub_reset(r);
    struct gs_err e = {0};
    struct store_variant_submission *sub = &r->sub;
    int rc = GS_OK;
    int64_t pos = 0;
    if (col != ncols)
        rc = gs_err_set(&e, GS_EINVAL, "%d columns where the header has %d", col, ncols);
    for (int i = COL_CHROM; rc == GS_OK && i <= COL_ALT; i++)
        if (v[i] == NULL || v[i][0] == '\0')
            rc = gs_err_set(&e, GS_EINVAL, "%s is empty", col_names[i]);
    if (rc == GS_OK) {
        char *end;
        errno = 0;
        long long x = strtoll(v[COL_POS], &end, 10);
        if (errno || *end || x < 1 || x > 4000000000LL)
            rc = gs_err_set(&e, GS_EINVAL, "pos '%.20s' is not a position", v[COL_POS]);
        pos = x;
    }
    if (rc == GS_OK && v[COL_ASSEMBLY] && v[COL_ASSEMBLY][0] &&
        strcasecmp(v[COL_ASSEMBLY], r->assembly) != 0)
        rc = gs_err_set(&e, GS_EINVAL, "assembly %.20s differs from the file's %s (one assembly "
                        "per file)", v[COL_ASSEMBLY], r->assembly);
    struct { int col; char *dst; size_t size; } copies[] = {
        {COL_COND_IDS, sub->condition_ids, sizeof sub->condition_ids},
        {COL_COND_NAME, sub->condition_name, sizeof sub->condition_name},
        {COL_GENE, sub->gene, sizeof sub->gene},
        {COL_ORIGIN, sub->origin, sizeof sub->origin},
        {COL_ZYG, sub->zygosity, sizeof sub->zygosity},
        {COL_METHOD, sub->method, sizeof sub->method},
        {COL_EVIDENCE, sub->evidence, sizeof sub->evidence},
        {COL_DATE, sub->submitted_on, sizeof sub->submitted_on},
    };
    for (size_t i = 0; rc == GS_OK && i < sizeof copies / sizeof copies[0]; i++)
        if (v[copies[i].col] && v[copies[i].col][0])
            rc = field_copy(copies[i].dst, copies[i].size, v[copies[i].col], false,
                            col_names[copies[i].col], &e);
    for (char *q = sub->zygosity; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    char rsid[VARIANT_ID_MAX] = "";
    if (rc == GS_OK && v[COL_RSID] && v[COL_RSID][0] && strcmp(v[COL_RSID], ".") != 0) {
        const char *digits = strncasecmp(v[COL_RSID], "rs", 2) == 0 ? v[COL_RSID] + 2 : v[COL_RSID];
        if (digits[0] == '\0' || strspn(digits, "0123456789") != strlen(digits) ||
            strlen(digits) > 15)
            rc = gs_err_set(&e, GS_EINVAL, "rsid '%.30s' is not rs and digits", v[COL_RSID]);
        else
            snprintf(rsid, sizeof rsid, "rs%s", digits);
    }
    if (rc == GS_OK)
        rc = sub_validate(r, v[COL_CLASS], v[COL_REVIEW], v[COL_AREA], &e);
    if (rc != GS_OK) {
        report_add(r, line, true, "%s", gs_err_text(&e, rc));
        r->writing = false;
        return GS_OK;
    }
    /* several ALTs, comma-separated: split */
    char altbuf[4096];
    const char *alts[64];
    int nalts = 0;
    if (strlen(v[COL_ALT]) >= sizeof altbuf) {
        alts[nalts++] = v[COL_ALT];
    } else {
        snprintf(altbuf, sizeof altbuf, "%s", v[COL_ALT]);
        char *save = NULL;
        for (char *t = strtok_r(altbuf, ",", &save); t && nalts < 64;
             t = strtok_r(NULL, ",", &save))
            alts[nalts++] = t;
    }
    struct record_in in = {line, v[COL_CHROM], v[COL_REF], rsid, sub->gene, pos, alts, nalts};
    return record_finish(r, &in, fatal);
}

static int read_tsv(struct run *r, htsFile *fp, struct gs_err *err)
{
    kstring_t ks = {0, 0, NULL};
    int map[TSV_COLUMNS_MAX];
    int ncols = -1, rc = GS_OK;
    int64_t line = 0;
    while (!r->stop_reading && hts_getline(fp, '\n', &ks) >= 0) {
        line++;
        if (ks.l > 0 && ks.s[ks.l - 1] == '\r')
            ks.s[--ks.l] = '\0';
        if (ks.l == 0 || strncmp(ks.s, "##", 2) == 0)
            continue;
        if (ncols < 0) {
            struct gs_err e = {0};
            if (tsv_header(ks.s, map, &ncols, &e) != GS_OK) {
                report_add(r, line, true, "%s", e.msg);
                r->writing = false;
                break;
            }
            continue;
        }
        r->rep->lines++;
        if (r->o->progress && r->rep->lines % PROGRESS_EVERY == 0)
            fprintf(stderr, "variants submit: %lld records read\n", (long long)r->rep->lines);
        if ((rc = tsv_line(r, ks.s, line, map, ncols, err)) != GS_OK)
            break;
    }
    if (rc == GS_OK && ncols < 0 && r->rep->errors == 0) {
        report_add(r, 0, true, "no header row (see `genoshare variants template`)");
        r->writing = false;
    }
    free(ks.s);
    return rc;
}

/* ---- the run ---- */

struct reader {
    struct run *r;
    const char *path;
    htsFile *fp;
    enum submit_format format;
    int rc;
    struct gs_err err;
};

static void *reader_main(void *arg)
{
    struct reader *a = arg;
    a->rc = a->format == SUBMIT_FORMAT_VCF ? read_vcf(a->r, a->path, a->fp, &a->err)
                                           : read_tsv(a->r, a->fp, &a->err);
    pipe_push(a->r->pipe, true);
    return NULL;
}

/* Writes every batch the reader pushes, in order, until it has read the whole file. */
static int pipe_drain(struct run *r, struct gs_err *err, int64_t *failed_line)
{
    struct pipe *p = r->pipe;
    struct store_variant_submission *sub = &r->wsub;
    int rc = GS_OK;
    bool first = true;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->consumed == p->produced && !p->done)
            pthread_cond_wait(&p->cv, &p->mu);
        bool empty = p->consumed == p->produced;
        pthread_mutex_unlock(&p->mu);
        if (empty)
            return rc;
        const struct batch *b = &p->b[p->consumed % PIPE_BATCHES];
        /* the reader sets the shown submitter from the header, before its first batch */
        memcpy(sub->submitter, r->rep->submitter, sizeof sub->submitter);
        int64_t stored = 0;
        if (first && b->n > 0 && (rc = store_variant_id_max(r->s, &stored, err)) == GS_OK &&
            stored < BULK_SMALL_STORE && (rc = store_variant_indexes(r->s, false, err)) == GS_OK)
            r->indexes_dropped = true;
        first = first && b->n == 0;
        /* the variants of up to STORE_VARIANT_INSERT_MANY alleles at a time, then their
         * submissions in file order */
        for (int i = 0; rc == GS_OK && i < b->n; i += STORE_VARIANT_INSERT_MANY) {
            int k = b->n - i < STORE_VARIANT_INSERT_MANY ? b->n - i : STORE_VARIANT_INSERT_MANY;
            for (int j = 0; j < k; j++)
                variant_of(r, b, &b->recs[i + j], &r->wvar[j]);
            if ((rc = store_variant_put_many(r->s, r->wvar, k, r->wids, r->wcreated, err)) !=
                GS_OK)
                *failed_line = b->recs[i].line;
            for (int j = 0; rc == GS_OK && j < k; j++)
                if ((rc = write_allele(r, b, &b->recs[i + j], &r->wvar[j], r->wids[j],
                                       r->wcreated[j], err)) != GS_OK)
                    *failed_line = b->recs[i + j].line;
        }
        /* the staged submissions point into b: written before b is handed back */
        if (rc == GS_OK && (rc = flush_new(r, err)) != GS_OK && b->n > 0)
            *failed_line = b->recs[b->n - 1].line;
        pthread_mutex_lock(&p->mu);
        p->consumed++;
        if (rc != GS_OK)
            p->stop = true;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

/* Reads the file on a second thread while this one writes (see "the pipeline"). */
static int run_pipeline(struct run *r, const char *path, htsFile *fp, enum submit_format format,
                        struct gs_err *err)
{
    struct pipe *p = calloc(1, sizeof *p);
    if (p == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    int rc = GS_OK;
    for (int i = 0; i < PIPE_BATCHES && rc == GS_OK; i++)
        if ((p->b[i].recs = malloc(PIPE_RECORDS * sizeof *p->b[i].recs)) == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    r->pipe = p;
    /* the writer's line-independent submission fields */
    struct store_variant_submission *sub = &r->wsub;
    sub->dataset_id = r->d.id;
    sub->institution_id = r->institution_id;
    sub->batch_id = r->rep->batch_id;
    sub->state = VARIANT_PENDING;
    sub->updated_at = r->now;
    sub->comment[0] = sub->curated_by[0] = '\0';
    sub->curated_at = 0;
    struct reader a = {r, path, fp, format, GS_OK, {0}};
    pthread_t thread;
    if (rc == GS_OK && pthread_create(&thread, NULL, reader_main, &a) != 0)
        rc = gs_err_set(err, GS_EINTERNAL, "cannot start the reading thread");
    if (rc == GS_OK) {
        struct gs_err werr = {0};
        int64_t line = 0;
        int wrc = pipe_drain(r, &werr, &line);
        pthread_join(thread, NULL);
        if (a.rc != GS_OK) {
            rc = a.rc;
            *err = a.err;
        } else if (wrc != GS_OK) {
            report_add(r, line, true, "%s", gs_err_text(&werr, wrc));
            rc = gs_err_set(err, wrc, "line %lld: %s", (long long)line, gs_err_text(&werr, wrc));
        }
    }
    for (int i = 0; i < PIPE_BATCHES; i++) {
        free(p->b[i].recs);
        free(p->b[i].arena);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
    r->pipe = NULL;
    return rc;
}

static int run_prepare(struct run *r, const struct principal *writer, struct gs_err *err)
{
    const struct submit_options *o = r->o;
    int rc;
    if (o->dataset == NULL || o->dataset[0] == '\0')
        return gs_err_set(err, GS_EINVAL, "dataset is required");
    if ((rc = store_dataset_by_name(r->s, o->dataset, &r->d, err)) != GS_OK)
        return rc;
    if (r->d.data_type != DATA_VARIANTS && r->d.data_type != DATA_SOMATIC_MUTATIONS)
        return gs_err_set(err, GS_EINVAL, "dataset '%s' holds %s, not variants", r->d.name,
                          data_type_name(r->d.data_type));
    if ((rc = registry_check_writer(r->s, writer, &r->d, "variant submissions", err)) != GS_OK)
        return rc;
    struct store_institution inst;
    if (o->institution && o->institution[0]) {
        if (!writer->is_operator)
            return gs_err_set(err, GS_EFORBIDDEN, "only the operator names the submitting "
                              "institution");
        if ((rc = store_institution_by_name(r->s, o->institution, &inst, err)) != GS_OK)
            return rc;
    } else if ((rc = store_institution_get(r->s, writer->is_operator ? r->d.institution_id
                                                                      : writer->institution_id,
                                           &inst, err)) != GS_OK) {
        return rc;
    }
    r->institution_id = inst.id;
    snprintf(r->rep->submitter, sizeof r->rep->submitter, "%s", inst.name);
    const char *assembly = o->assembly ? o->assembly : "GRCh38";
    if (strcmp(assembly, "GRCh38") != 0 && strcmp(assembly, "GRCh37") != 0)
        return gs_err_set(err, GS_EINVAL, "unknown assembly '%.20s' (expected GRCh38 or GRCh37)",
                          assembly);
    snprintf(r->assembly, sizeof r->assembly, "%s", assembly);
    if (o->disease_area && o->disease_area[0]) {
        char tmp[24];
        if ((rc = area_check(o->disease_area, tmp, sizeof tmp, err)) != GS_OK)
            return rc;
    }
    struct tm tm;
    gmtime_r(&r->now, &tm);
    strftime(r->today, sizeof r->today, "%Y-%m-%d", &tm);
    r->refbuf = malloc(VARIANT_ALLELE_MAX + 1);
    r->altbuf = malloc(VARIANT_ALLELE_MAX + 1);
    r->conditions = calloc(CONDITION_CACHE, sizeof *r->conditions);
    if (r->refbuf == NULL || r->altbuf == NULL || r->conditions == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    if (o->reference && o->reference[0] &&
        (rc = reference_open(o->reference, &r->ref, err)) != GS_OK)
        return rc;
    return GS_OK;
}

int variants_submit(struct store *s, const struct principal *writer, const struct actor *by,
                    const struct submit_options *o, const char *path, time_t now,
                    struct submit_report *rep, struct gs_err *err)
{
    memset(rep, 0, sizeof *rep);
    struct run r = {0};
    r.s = s;
    r.o = o;
    r.rep = rep;
    r.now = now;
    r.writing = true;
    snprintf(r.actor, sizeof r.actor, "%s", by->name);
    int rc = run_prepare(&r, writer, err);
    htsFile *fp = NULL;
    if (rc == GS_OK && (path == NULL || strstr(path, "://") != NULL || strcmp(path, "-") == 0))
        rc = gs_err_set(err, GS_EINVAL, "submissions are read from a local file");
    if (rc == GS_OK && (fp = hts_open(path, "r")) == NULL)
        rc = gs_err_set(err, GS_EIO, "cannot open %.300s", path);
    enum submit_format format = o->format;
    if (rc == GS_OK && format == SUBMIT_FORMAT_AUTO) {
        enum htsExactFormat f = hts_get_format(fp)->format;
        format = f == vcf || f == bcf ? SUBMIT_FORMAT_VCF : SUBMIT_FORMAT_TSV;
    }
    snprintf(rep->format, sizeof rep->format, "%s", format == SUBMIT_FORMAT_VCF ? "vcf" : "tsv");
    if (rc == GS_OK && (rc = store_variant_bulk(s, true, err)) == GS_OK)
        rc = store_begin(s, err);
    if (rc != GS_OK)
        goto done;
    struct store_variant_batch b = {0};
    b.dataset_id = r.d.id;
    b.institution_id = r.institution_id;
    snprintf(b.actor, sizeof b.actor, "%s", by->name);
    snprintf(b.filename, sizeof b.filename, "%s", o->filename ? o->filename : "");
    snprintf(b.format, sizeof b.format, "%s", rep->format);
    snprintf(b.status, sizeof b.status, "reading");
    b.created_at = now;
    if ((rc = store_variant_batch_insert(s, &b, &rep->batch_id, err)) == GS_OK) {
        if (r.ref == NULL) {
            report_add(&r, 0, false, "no reference FASTA given: REF not checked, indels not "
                       "left-aligned (trimmed only)");
        }
        rc = run_pipeline(&r, path, fp, format, err);
    }
    if (rc == GS_OK && rep->errors > 0) {
        store_rollback(s);
        rep->batch_id = 0;
        rc = gs_err_set(err, GS_EUNPROCESSABLE, "%lld of %lld lines refused; nothing was stored",
                        (long long)rep->errors, (long long)rep->lines);
        goto done;
    }
    if (rc == GS_OK && rep->lines == 0) {
        store_rollback(s);
        rep->batch_id = 0;
        rc = gs_err_set(err, GS_EUNPROCESSABLE, "the file holds no variant");
        goto done;
    }
    if (rc == GS_OK && r.indexes_dropped) {
        if (o->progress)
            fprintf(stderr, "variants submit: rebuilding indexes\n");
        rc = store_variant_indexes(s, true, err);
    }
    if (rc == GS_OK) {
        rep->stored = true;
        json_t *doc = submit_report_json(rep);
        b.id = rep->batch_id;
        snprintf(b.status, sizeof b.status, "stored");
        b.lines = rep->lines;
        b.written = rep->created + rep->updated;
        b.report = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        json_decref(doc);
        rc = store_variant_batch_finish(s, &b, err);
        free(b.report);
    }
    char object[STORE_TEXT_MAX], detail[256];
    snprintf(object, sizeof object, "dataset:%s", r.d.name);
    snprintf(detail, sizeof detail, "batch %lld: %lld lines, %lld new, %lld updated, %lld "
             "unchanged", (long long)rep->batch_id, (long long)rep->lines, (long long)rep->created,
             (long long)rep->updated, (long long)rep->unchanged);
    struct audit_event ev = {"variant.submit", object, detail};
    rc = audit_commit(s, rc, by, &ev, now, err);
    if (rc != GS_OK) {
        rep->stored = false;
        rep->batch_id = 0;
    }
done:
    if (store_variant_bulk(s, false, &(struct gs_err){0}) != GS_OK)
        fprintf(stderr, "genoshare: variants: could not reset the page cache\n");
    if (fp != NULL)
        hts_close(fp);
    reference_close(r.ref);
    free(r.refbuf);
    free(r.altbuf);
    for (int i = 0; r.conditions && i < CONDITION_CACHE; i++)
        free(r.conditions[i].key);
    free(r.conditions);
    return rc;
}

int variants_submit_text(struct store *s, const struct principal *writer, const struct actor *by,
                         const struct submit_options *o, const char *text, size_t len, time_t now,
                         struct submit_report *rep, struct gs_err *err)
{
    memset(rep, 0, sizeof *rep);
    char path[512];
    int rc = buf_write_temp(text, len, "submission", path, sizeof path, err);
    if (rc != GS_OK)
        return rc;
    rc = variants_submit(s, writer, by, o, path, now, rep, err);
    unlink(path);
    return rc;
}
