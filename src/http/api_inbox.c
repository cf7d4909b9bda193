/* api_inbox.c — match notifications: GET /api/v1/inbox (the caller's, paginated, unread
 * first) and POST /api/v1/inbox/{id}/read. Making, listing and the visibility rules are
 * match/inbox.h's; pending notifications are made before a listing (inbox_process), so
 * cases written by the CLI while the server runs are announced too. */
#include <stdio.h>

#include "core/parse.h"
#include "http/request.h"
#include "match/inbox.h"

#define INBOX_PAGE_DEFAULT 20

void api_inbox_after_case_write(struct request *rq)
{
    struct gs_err e = {0};
    /* The case write has committed: a failure here only delays the notifications (the
     * change counter was not moved, so the next run makes them). */
    if (inbox_process(rq->store, request_hpo(rq), request_case_index(rq), rq->now, &e) != GS_OK)
        fprintf(stderr, "genoshare: serve: match notifications delayed: %s\n", e.msg);
}

static int page_value(const char *text, const char *name, int64_t min, int64_t max, int64_t *out,
                      struct gs_err *err)
{
    struct gs_err ignored = {0};
    if (text != NULL && parse_int64(text, min, max, out, &ignored) != GS_OK)
        return gs_err_set(err, GS_EINVAL, "%s must be an integer from %lld to %lld", name,
                          (long long)min, (long long)max);
    return GS_OK;
}

static int api_inbox_list(struct request *rq, struct gs_err *err)
{
    int64_t offset = 0, limit = INBOX_PAGE_DEFAULT;
    int rc = page_value(request_query(rq, "offset"), "offset", 0, INT32_MAX, &offset, err);
    if (rc == GS_OK)
        rc = page_value(request_query(rq, "limit"), "limit", 1, INBOX_PAGE_MAX, &limit, err);
    if (rc != GS_OK)
        return rc;
    api_inbox_after_case_write(rq);
    json_t *doc;
    if ((rc = inbox_list(rq->store, &rq->who, &rq->actor, offset, limit, rq->now, &doc, err)) ==
        GS_OK)
        request_reply(rq, 200, doc);
    return rc;
}

static int api_inbox_read(struct request *rq, struct gs_err *err)
{
    int64_t id;
    int rc = request_param_id(rq, 0, "notification", &id, err);
    if (rc == GS_OK && (rc = inbox_mark_read(rq->store, &rq->who, id, rq->now, err)) == GS_OK)
        request_reply(rq, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "read", 1));
    return rc;
}

const struct route inbox_routes[] = {
    {"GET", "/api/v1/inbox", api_inbox_list, true, false},
    {"POST", "/api/v1/inbox/*/read", api_inbox_read, true, false},
};
const size_t inbox_route_count = sizeof inbox_routes / sizeof inbox_routes[0];
