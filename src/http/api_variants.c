/* api_variants.c — variant submissions and curation (placeholder: filled by its issue's work). */
#include "http/request.h"

const struct route variant_routes[] = {{NULL, NULL, NULL, false, false}};
const size_t variant_route_count = 0;
