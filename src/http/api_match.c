/* api_match.c — placeholder: its capability has not landed yet. */
#include "http/request.h"

const struct route match_routes[1] = {{0}};
const size_t match_route_count = 0;
