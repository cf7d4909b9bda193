/* api_variant_search.c — variant search, export and reference sources (placeholder: filled by its issue's work). */
#include "http/request.h"

const struct route variant_search_routes[] = {{NULL, NULL, NULL, false, false}};
const size_t variant_search_route_count = 0;
