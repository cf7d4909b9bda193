/* api_cases.c — placeholder: its capability has not landed yet. */
#include "http/request.h"

const struct route case_routes[1] = {{0}};
const size_t case_route_count = 0;
