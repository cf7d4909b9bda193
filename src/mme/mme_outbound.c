/* mme_outbound.c — asking the peers: which peers may receive the patient (the access
 * decision with each peer's principal), the parallel round of requests (libcurl multi,
 * bounded in time and size), and the checked, merged answers. A peer's failure is data in
 * the answer, never an error of the search. */
#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "match/cases.h"
#include "match/mme_patient.h"
#include "mme/mme.h"
#include "mme/mme_protocol.h"

struct peer_call {
    struct store_mme_peer peer;
    bool send;                  /* false: withheld by the access decision */
    const char *withheld_why;   /* static */
    CURL *easy;
    struct curl_slist *headers;
    char *body;                 /* received, malloc'd, at most MME_RESPONSE_MAX bytes */
    size_t len;
    bool too_big;
    char curl_error[CURL_ERROR_SIZE];
    bool done;
    CURLcode result;
    double ms;
    char error[GS_ERR_MSG_MAX]; /* "" when the answer was good */
    json_t *answer;             /* the validated response */
};

struct peer_round {
    struct peer_call *calls;
    size_t n, cap;
    const struct store_case *c;
    const struct store_dataset *d;
    struct store *s;
    time_t now;
    int rc;
    struct gs_err *err;
};

static int collect_peer(void *ctx, const struct store_mme_peer *p)
{
    struct peer_round *r = ctx;
    if (p->disabled)
        return GS_OK;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        struct peer_call *calls = realloc(r->calls, cap * sizeof *calls);
        if (calls == NULL)
            return gs_err_set(r->err, GS_ENOMEM, "out of memory");
        r->calls = calls;
        r->cap = cap;
    }
    struct peer_call *call = &r->calls[r->n++];
    memset(call, 0, sizeof *call);
    call->peer = *p;
    call->send = true;
    if (r->c != NULL) {
        /* the case goes only where the peer could read it here */
        struct principal who;
        struct access_decision dec;
        mme_peer_principal(p, &who);
        int rc = access_check_read(r->s, &who, r->d, r->c->institution_id, r->c->scope, r->now,
                                   &dec, r->err);
        if (rc != GS_OK)
            return rc;
        call->send = dec.allowed;
        call->withheld_why = dec.reason;
    }
    return GS_OK;
}

static size_t on_data(char *data, size_t size, size_t count, void *ctx)
{
    struct peer_call *call = ctx;
    size_t n = size * count;
    if (call->len + n > MME_RESPONSE_MAX) {
        call->too_big = true;
        return 0; /* aborts the transfer */
    }
    char *p = realloc(call->body, call->len + n + 1);
    if (p == NULL)
        return 0;
    memcpy(p + call->len, data, n);
    call->len += n;
    p[call->len] = '\0';
    call->body = p;
    return n;
}

static int call_setup(struct peer_call *call, const char *request, long connect_ms,
                      long total_ms)
{
    char url[MME_PEER_URL_MAX + 8], auth[MME_PEER_TOKEN_MAX + 16];
    snprintf(url, sizeof url, "%s/match", call->peer.url);
    snprintf(auth, sizeof auth, "X-Auth-Token: %s", call->peer.their_token);
    if ((call->easy = curl_easy_init()) == NULL)
        return GS_ENOMEM;
    struct curl_slist *h = NULL, *next;
    const char *lines[] = {"Content-Type: " MME_MEDIA_V11_TEXT,
                           "Accept: " MME_MEDIA_V11_TEXT ", " MME_MEDIA_V10_TEXT
                           ";q=0.9, application/json;q=0.5",
                           call->peer.their_token[0] ? auth : NULL, "Expect:"};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        if (lines[i] == NULL)
            continue;
        if ((next = curl_slist_append(h, lines[i])) == NULL) {
            curl_slist_free_all(h);
            return GS_ENOMEM;
        }
        h = next;
    }
    call->headers = h;
    CURL *e = call->easy;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, total_ms);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, request);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, call);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, call->curl_error);
    curl_easy_setopt(e, CURLOPT_PRIVATE, call);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "genoshare-mme/" GS_VERSION);
    return GS_OK;
}

static double elapsed_ms(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Runs every call to completion or to the round's deadline. */
static int round_run(struct peer_round *r, const char *request, long connect_ms, long total_ms,
                     struct gs_err *err)
{
    CURLM *multi = curl_multi_init();
    if (multi == NULL)
        return gs_err_set(err, GS_ENOMEM, "cannot start the requests to peers");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int pending = 0;
    for (size_t i = 0; i < r->n; i++) {
        struct peer_call *call = &r->calls[i];
        if (!call->send)
            continue;
        if (call_setup(call, request, connect_ms, total_ms) != GS_OK ||
            curl_multi_add_handle(multi, call->easy) != CURLM_OK) {
            snprintf(call->error, sizeof call->error, "cannot prepare the request");
            call->done = true;
            continue;
        }
        pending++;
    }
    int running = pending;
    while (running > 0 && elapsed_ms(&t0) < (double)total_ms + 500) {
        if (curl_multi_perform(multi, &running) != CURLM_OK)
            break;
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            struct peer_call *call = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&call);
            if (call != NULL) {
                call->done = true;
                call->result = msg->data.result;
                call->ms = elapsed_ms(&t0);
            }
        }
        if (running > 0)
            curl_multi_poll(multi, NULL, 0, 100, NULL);
    }
    for (size_t i = 0; i < r->n; i++) {
        struct peer_call *call = &r->calls[i];
        if (call->easy == NULL)
            continue;
        if (!call->done) {
            snprintf(call->error, sizeof call->error, "no answer within %ld ms", total_ms);
            call->ms = elapsed_ms(&t0);
        }
        curl_multi_remove_handle(multi, call->easy);
    }
    curl_multi_cleanup(multi);
    return GS_OK;
}

/* Judges one finished call: status, media type, size, JSON, spec. */
static void call_check(struct peer_call *call)
{
    if (call->error[0] != '\0' || !call->send)
        return;
    if (call->too_big) {
        snprintf(call->error, sizeof call->error, "answer larger than %u bytes",
                 (unsigned)MME_RESPONSE_MAX);
        return;
    }
    if (call->result != CURLE_OK) {
        snprintf(call->error, sizeof call->error, "%s",
                 call->curl_error[0] ? call->curl_error : curl_easy_strerror(call->result));
        return;
    }
    long status = 0;
    char *type = NULL;
    curl_easy_getinfo(call->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(call->easy, CURLINFO_CONTENT_TYPE, &type);
    if (status != 200) {
        json_t *doc = call->body ? json_loads(call->body, 0, NULL) : NULL;
        const char *msg = json_string_value(json_object_get(doc, "message"));
        snprintf(call->error, sizeof call->error, "HTTP %ld%s%.200s", status, msg ? ": " : "",
                 msg ? msg : "");
        json_decref(doc);
        return;
    }
    enum mme_media media;
    struct gs_err e = {0};
    if (mme_content_type(type, &media, &e) != GS_OK) {
        snprintf(call->error, sizeof call->error, "answer is not MME JSON (Content-Type %.80s)",
                 type ? type : "none");
        return;
    }
    json_error_t jerr;
    json_t *doc = json_loadb(call->body ? call->body : "", call->len, JSON_REJECT_DUPLICATES,
                             &jerr);
    if (doc == NULL) {
        snprintf(call->error, sizeof call->error, "malformed JSON at line %d, column %d: %s",
                 jerr.line, jerr.column, jerr.text);
        return;
    }
    if (mme_validate_response(doc, MME_PEER_RESULTS_MAX, &e) != GS_OK) {
        snprintf(call->error, sizeof call->error, "invalid MME response: %.480s", e.msg);
        json_decref(doc);
        return;
    }
    call->answer = doc;
}

static int by_score(const void *a, const void *b)
{
    double x = json_number_value(json_object_get(*(json_t *const *)a, "score"));
    double y = json_number_value(json_object_get(*(json_t *const *)b, "score"));
    return x < y ? 1 : x > y ? -1 : 0;
}

/* {"peers":[…], "remote_results":[…]} from the judged calls. */
static json_t *round_json(const struct peer_round *r)
{
    json_t *peers = json_array(), *merged = json_array();
    size_t total = 0;
    for (size_t i = 0; i < r->n; i++)
        total += json_array_size(json_object_get(r->calls[i].answer, "results"));
    json_t **items = calloc(total + 1, sizeof *items);
    size_t k = 0;
    for (size_t i = 0; peers && merged && items && i < r->n; i++) {
        const struct peer_call *call = &r->calls[i];
        const char *status = !call->send ? "withheld" : call->error[0] ? "error" : "ok";
        json_t *results = json_object_get(call->answer, "results");
        json_t *node = json_pack("{s:s, s:s, s:s, s:I, s:f}", "node", call->peer.name, "scope",
                                 scope_name(call->peer.scope), "status", status, "results",
                                 (json_int_t)json_array_size(results), "ms",
                                 round(call->ms * 10) / 10);
        if (node && !call->send)
            json_object_set_new(node, "error", json_string(call->withheld_why));
        else if (node && call->error[0])
            json_object_set_new(node, "error", json_string(call->error));
        json_array_append_new(peers, node);
        size_t j;
        json_t *it;
        json_array_foreach(results, j, it) {
            json_t *score = json_object_get(it, "score");
            json_t *one = json_pack("{s:s, s:O, s:O, s:O}", "node", call->peer.name, "score",
                                    json_object_get(score, "patient"), "scores", score,
                                    "patient", json_object_get(it, "patient"));
            /* the peer's own "_" extras (explanations) are kept, labelled as theirs */
            const char *key;
            json_t *v;
            json_object_foreach(it, key, v) if (one && key[0] == '_')
                json_object_set(one, key, v);
            if (one)
                items[k++] = one;
        }
    }
    qsort(items, k, sizeof *items, by_score);
    for (size_t i = 0; i < k; i++)
        json_array_append_new(merged, items[i]);
    free(items);
    json_t *out = json_pack("{s:o, s:o}", "peers", peers, "remote_results", merged);
    return out;
}

/* One exchange row per peer asked and the audit row, in one transaction. */
static int round_record(const struct peer_round *r, const struct actor *by, struct gs_err *err)
{
    char sent[STORE_AUDIT_TEXT_MAX / 2] = "", withheld[STORE_AUDIT_TEXT_MAX / 2] = "";
    int rc = store_begin(r->s, err);
    for (size_t i = 0; rc == GS_OK && i < r->n; i++) {
        const struct peer_call *call = &r->calls[i];
        char *list = call->send ? sent : withheld;
        size_t used = strlen(list);
        if (used + STORE_NAME_MAX + 2 < sizeof sent)
            snprintf(list + used, sizeof sent - used, "%s%s", used ? "," : "", call->peer.name);
        if (!call->send)
            continue;
        struct store_mme_exchange x = {0};
        snprintf(x.peer, sizeof x.peer, "%s", call->peer.name);
        x.direction = MME_OUTBOUND;
        x.at = r->now;
        x.case_id = r->c ? r->c->id : 0;
        x.results = (int)json_array_size(json_object_get(call->answer, "results"));
        snprintf(x.status, sizeof x.status, "%.250s", call->error[0] ? call->error : "ok");
        rc = store_mme_exchange_insert(r->s, &x, err);
    }
    char object[STORE_TEXT_MAX], detail[STORE_AUDIT_TEXT_MAX];
    if (r->c)
        snprintf(object, sizeof object, "case:%lld", (long long)r->c->id);
    else
        snprintf(object, sizeof object, "query");
    snprintf(detail, sizeof detail, "sent to: %.480s; withheld from: %.480s", sent[0] ? sent : "none",
             withheld[0] ? withheld : "none");
    struct audit_event ev = {"mme.send", object, detail};
    return audit_commit(r->s, rc, by, &ev, r->now, err);
}

int mme_search_peers(struct store *s, const struct actor *by, const json_t *patient,
                     const struct store_case *c, const struct store_dataset *d,
                     const struct mme_outbound_options *opt, time_t now, json_t **out,
                     struct gs_err *err)
{
    long connect_ms = opt && opt->connect_timeout_ms > 0 ? opt->connect_timeout_ms
                                                          : MME_CONNECT_TIMEOUT_MS;
    long total_ms = opt && opt->total_timeout_ms > 0 ? opt->total_timeout_ms
                                                      : MME_TOTAL_TIMEOUT_MS;
    if (connect_ms > total_ms)
        connect_ms = total_ms;
    json_t *request = json_pack("{s:O}", "patient", patient);
    if (request == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory");
    struct gs_err invalid = {0};
    if (mme_validate_request(request, &invalid) != GS_OK) {
        /* e.g. a query of unknown ids only: the local search still answers */
        json_decref(request);
        *out = json_pack("{s:[], s:[], s:s+}", "peers", "remote_results", "peers_error",
                         "this query cannot be sent to peers: ", invalid.msg);
        return *out ? GS_OK : gs_err_set(err, GS_ENOMEM, "out of memory");
    }
    char *text = json_dumps(request, JSON_COMPACT);
    json_decref(request);
    struct peer_round r = {.c = c, .d = d, .s = s, .now = now, .err = err};
    int rc = text ? store_mme_peer_each(s, collect_peer, &r, err)
                  : gs_err_set(err, GS_ENOMEM, "out of memory");
    if (rc == GS_OK)
        rc = round_run(&r, text, connect_ms, total_ms, err);
    for (size_t i = 0; rc == GS_OK && i < r.n; i++)
        call_check(&r.calls[i]);
    if (rc == GS_OK && (*out = round_json(&r)) == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    if (rc == GS_OK && (rc = round_record(&r, by, err)) != GS_OK) {
        json_decref(*out);
        *out = NULL;
    }
    for (size_t i = 0; i < r.n; i++) {
        if (r.calls[i].easy)
            curl_easy_cleanup(r.calls[i].easy);
        curl_slist_free_all(r.calls[i].headers);
        free(r.calls[i].body);
        json_decref(r.calls[i].answer);
    }
    free(r.calls);
    free(text);
    return rc;
}

/* ---- the two entry points ---- */

int mme_search_peers_for_case(struct store *s, const struct principal *who,
                              const struct actor *by, int64_t case_id,
                              const struct mme_outbound_options *opt, time_t now, json_t **out,
                              struct gs_err *err)
{
    struct store_case c = {0};
    struct store_dataset d;
    int rc = cases_read(s, who, by, case_id, now, &c, &d, err);
    json_t *patient = rc == GS_OK ? mme_patient_for_peer(s, &c, err) : NULL;
    if (rc == GS_OK && patient == NULL)
        rc = err->code ? err->code : GS_ENOMEM;
    if (rc == GS_OK)
        rc = mme_search_peers(s, by, patient, &c, &d, opt, now, out, err);
    json_decref(patient);
    store_case_clear(&c);
    return rc;
}

int mme_search_peers_for_query(struct store *s, const struct actor *by, const char *asker,
                               const struct match_query *q,
                               const struct mme_outbound_options *opt, time_t now,
                               json_t **out, struct gs_err *err)
{
    struct store_case c = {0};
    int rc = GS_OK;
    for (int k = 0; rc == GS_OK && k < 2; k++) {
        const char *const *ids = k ? q->excluded : q->observed;
        int n = k ? q->nexcluded : q->nobserved;
        for (int i = 0; rc == GS_OK && i < n; i++) {
            struct store_case_feature f = {0};
            struct gs_err ignored = {0};
            if (case_parse_hpo("hpo", ids[i], &f.hpo, &ignored) != GS_OK)
                continue; /* the local search lists it as unused */
            f.excluded = k == 1;
            rc = store_case_push_feature(&c, &f, err);
        }
    }
    for (int i = 0; rc == GS_OK && i < q->ngenes; i++) {
        struct store_case_gene g = {0};
        snprintf(g.gene_id, sizeof g.gene_id, "%s", q->genes[i]);
        snprintf(g.symbol, sizeof g.symbol, "%s", q->genes[i]);
        rc = store_case_push_gene(&c, &g, err);
    }
    for (int i = 0; rc == GS_OK && i < q->nvariants; i++)
        rc = store_case_push_variant(&c, &q->variants[i], err);
    snprintf(c.label, sizeof c.label, "query by %.64s", asker);
    snprintf(c.external_id, sizeof c.external_id, "genoshare-query-%lld", (long long)now);
    snprintf(c.contact_name, sizeof c.contact_name, "%.64s via genoshare", asker);
    snprintf(c.contact_href, sizeof c.contact_href, "urn:genoshare:user:%.64s", asker);
    json_t *patient = rc == GS_OK ? mme_patient_from_case(&c, NULL) : NULL;
    if (rc == GS_OK && patient == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory");
    if (rc == GS_OK)
        rc = mme_search_peers(s, by, patient, NULL, NULL, opt, now, out, err);
    json_decref(patient);
    store_case_clear(&c);
    return rc;
}
