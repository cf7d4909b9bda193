/* api_tb.c — TB reference, catalogue and resistance profiles (placeholder: filled by its issue's work). */
#include "http/request.h"

const struct route tb_routes[] = {{NULL, NULL, NULL, false, false}};
const size_t tb_route_count = 0;
