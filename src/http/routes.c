/* routes.c — the route tables the server searches, in order. A capability adds its
 * table here (and declares it in request.h). */
#include "http/request.h"

const struct route_table api_route_tables[] = {
    {api_routes, &api_route_count},
    {dmp_routes, &dmp_route_count},
    {request_routes, &request_route_count},
    {passport_routes, &passport_route_count},
    {case_routes, &case_route_count},
    {match_routes, &match_route_count},
    {diagnose_routes, &diagnose_route_count},
    {hpo_routes, &hpo_route_count},
};
const size_t api_route_table_count = sizeof api_route_tables / sizeof api_route_tables[0];
