/* api_isolates.c — TB isolates, transmission clusters, marker search (placeholder: filled by its issue's work). */
#include "http/request.h"

const struct route isolate_routes[] = {{NULL, NULL, NULL, false, false}};
const size_t isolate_route_count = 0;
