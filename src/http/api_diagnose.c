/* api_diagnose.c — placeholder: its capability has not landed yet. */
#include "http/request.h"

const struct route diagnose_routes[1] = {{0}};
const size_t diagnose_route_count = 0;
