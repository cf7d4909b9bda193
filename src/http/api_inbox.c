/* api_inbox.c — match notifications: the inbox (placeholder: filled by its issue's work). */
#include "http/request.h"

const struct route inbox_routes[] = {{NULL, NULL, NULL, false, false}};
const size_t inbox_route_count = 0;
