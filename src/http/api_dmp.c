/* api_dmp.c — placeholder: its capability has not landed yet. */
#include "http/request.h"

const struct route dmp_routes[1] = {{0}};
const size_t dmp_route_count = 0;
