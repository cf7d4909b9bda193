/* api_beacon.c — GA4GH Beacon v2 under /beacon/v2/ (placeholder: filled by its issue's work). */
#include "http/request.h"

const struct route beacon_routes[] = {{NULL, NULL, NULL, false, false}};
const size_t beacon_route_count = 0;

json_t *beacon_error_body(struct request *rq, int code, const char *message, unsigned *status)
{
    (void)rq, (void)code, (void)message, (void)status;
    return NULL;
}
