/* api_passport.c — placeholder: its capability has not landed yet. */
#include "http/request.h"

const struct route passport_routes[1] = {{0}};
const size_t passport_route_count = 0;
