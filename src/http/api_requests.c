/* api_requests.c — placeholder: its capability has not landed yet. */
#include "http/request.h"

const struct route request_routes[1] = {{0}};
const size_t request_route_count = 0;
