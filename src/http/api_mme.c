/* api_mme.c — Matchmaker Exchange API v1.1 under /mme/ (placeholder: filled by its issue's work). */
#include "http/request.h"

const struct route mme_routes[] = {{NULL, NULL, NULL, false, false}};
const size_t mme_route_count = 0;

json_t *mme_error_body(struct request *rq, int code, const char *message, unsigned *status)
{
    (void)rq, (void)code, (void)message, (void)status;
    return NULL;
}
