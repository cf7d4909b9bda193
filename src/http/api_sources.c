/* api_sources.c — reference sources shown beside the knowledge base's variants (placeholder: filled by its issue's work). */
#include "http/request.h"

const struct route source_routes[] = {{NULL, NULL, NULL, false, false}};
const size_t source_route_count = 0;
