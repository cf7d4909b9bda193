/* api_passport.c — GA4GH Passports over HTTP: a signed-in user presents a passport and
 * gets a verdict per visa; accepted ControlledAccessGrants visas become grants for that
 * user (policy/passport.c decides, records and audits; nothing is decided here). */
#include <stdlib.h>

#include "http/request.h"
#include "policy/passport.h"

/* POST /api/v1/passports {"passport":"<jwt>"} → 200 with the verdicts, or 400 with the
 * reason when the passport as a whole is refused. Grants go to the caller only. */
static int api_passport_present(struct request *rq, struct gs_err *err)
{
    json_t *body = NULL;
    const char *token = NULL;
    int rc = request_json_body(rq, &body, err);
    if (rc == GS_OK)
        rc = json_get_string(body, "passport", true, &token, err);
    struct passport_result r = {0};
    if (rc == GS_OK)
        rc = passport_present(rq->store, &rq->actor, token, rq->who.name, rq->now, &r, err);
    if (rc == GS_OK) {
        json_t *reply = passport_result_json(&r);
        if (reply == NULL)
            rc = gs_err_set(err, GS_ENOMEM, "out of memory");
        else
            request_reply(rq, 200, reply);
    }
    passport_result_free(&r);
    json_decref(body);
    return rc;
}

const struct route passport_routes[] = {
    {"POST", "/api/v1/passports", api_passport_present, true, false},
};
const size_t passport_route_count = sizeof passport_routes / sizeof passport_routes[0];
